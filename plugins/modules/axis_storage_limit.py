#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: axis_storage_limit
short_description: Limit how much of a disk or network share an Axis camera may fill with recordings
version_added: 0.1.0
author: vapix.edge_storage developers (@vapix-edge-storage)
description:
  - Sets or removes the recording storage limit of one disk of an Axis camera, for example so that
    several cameras share one NAS without one of them filling it.
  - The camera counts the limit in kilobytes of 1024 bytes. Sizes you write in other units are turned
    into those kilobytes before they are compared, so C(500 GiB) and C(524288000) are the same limit and
    running the task again changes nothing.
  - The result reports the space the camera's recordings already use on the disk.
  - Needs firmware with the recording storage limit API (C(Properties.LocalStorage.StorageLimit=yes),
    AXIS OS 5.70 and later); older cameras fail with a clear "not supported" message.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
options:
  disk_id:
    description:
      - The disk whose limit to manage, as the camera names it, for example C(SD_DISK) or C(NetworkShare).
      - A disk the camera does not have fails with the camera's error code 110 and the list of its disks.
    type: str
    required: true
    aliases: [disk]
  size:
    description:
      - The limit, with O(state=present). Required then, unless O(quota) gives it.
      - Either kilobytes as the camera counts them (1 kB = 1024 bytes), for example V(524288000), or a
        number with a unit, for example V(500 GiB) or V(1.5 TB). Binary units V(KiB), V(MiB), V(GiB),
        V(TiB) are powers of 1024 bytes; V(kB), V(KB) and V(k) mean the camera's kilobyte (1024 bytes);
        decimal units V(MB), V(GB), V(TB) are powers of 1000 bytes, rounded down to whole kilobytes so the
        limit never exceeds what you wrote.
      - The camera's smallest limit is 1048576 kB (1 GiB); a smaller size other than V(0) is refused
        before any request. V(0) means no limit, like O(state=absent).
      - The largest accepted is 1 PiB (the API documents no maximum; no disk or share a camera records
        to is larger, so more is a unit mistake), and a limit larger than the disk's own size (when the
        camera reports it) is refused before the write.
    type: str
  state:
    description:
      - V(present) sets the limit to O(size).
      - V(absent) removes the limit (the camera stores size 0); O(size) must not be given then.
    type: str
    choices: [present, absent]
    default: present
  quota:
    description:
      - Instead of O(size), the limit is this camera's weighted part of a network share that several
        cameras record to, split as the P(vapix.edge_storage.share_quota#filter) filter splits it. The
        parts of all cameras add up to the capacity minus the reserve, and no camera gets less than 1 GiB.
      - Give the same O(quota.weights) to every camera of the share (the role
        P(vapix.edge_storage.edge_storage#role) builds them from an inventory group), so each camera's
        part fits with the others'.
    type: dict
    suboptions:
      weights:
        description:
          - "Every camera recording to the share, by name, with its weight (a positive number), for
            example V({'cam1': 2, 'cam2': 1})."
        type: dict
        required: true
      member:
        description:
          - This camera's name among O(quota.weights), usually C(inventory_hostname).
        type: str
        required: true
      capacity:
        description:
          - The share's capacity to split, in the units of O(size).
          - Default is the disk's own size as the camera reports it (the C(totalsize) of its
            C(NetworkShare) disk, read with the disk list the run makes anyway). Without a share bound
            and mounted the camera reports no size, and the task fails before any write asking for
            O(quota.capacity).
        type: raw
      reserve:
        description:
          - Capacity kept free for everything else on the share, as a percentage (V(5%)) or a size
            (V(100 GiB)).
        type: raw
notes:
  - The limit is a quota on what the camera writes, not on the disk; the camera removes its oldest
    recordings when it reaches the limit.
seealso:
  - module: vapix.edge_storage.axis_storage_info
  - module: vapix.edge_storage.axis_share
"""

EXAMPLES = r"""
- name: Share one NAS among cameras
  hosts: cameras
  gather_facts: false
  module_defaults:
    group/vapix.edge_storage.vapix:
      hostname: "{{ ansible_host }}"
      username: "{{ vapix_user }}"
      password: "{{ vapix_password }}"
      ca_path: /etc/ssl/certs/axis-ca.pem
  tasks:
    - name: Let each camera fill at most 500 GiB of the network share
      vapix.edge_storage.axis_storage_limit:
        disk_id: NetworkShare
        size: 500 GiB

    - name: The same limit written in the camera's kilobytes (no change on a second run)
      vapix.edge_storage.axis_storage_limit:
        disk_id: NetworkShare
        size: 524288000

    - name: No limit on the SD card
      vapix.edge_storage.axis_storage_limit:
        disk_id: SD_DISK
        state: absent
      register: sd_limit

    - name: Show how much the recordings use
      ansible.builtin.debug:
        msg: "{{ sd_limit.after['storage limit SD_DISK'].used }} used on the SD card"
"""

RETURN = r"""
steps:
  description:
    - The steps planned (check mode) or performed, in order, as sentences. Empty when nothing changes.
  returned: always
  type: list
  elements: str
  sample: ["set the storage limit of NetworkShare to 500 GiB (524288000 kB; was no limit)"]
before:
  description:
    - The limit before the run, keyed by C(storage limit <disk_id>).
    - C(size_kb) is the limit in kilobytes (0 for no limit), C(size) the same in words,
      C(state) V(absent) when there is no limit.
    - C(used_kb) and C(used) are the space the recordings use on the disk; they are reported,
      never compared.
  returned: always
  type: dict
  sample:
    storage limit NetworkShare:
      state: absent
      size_kb: 0
      size: no limit
      used_kb: 553324
      used: 540.36 MiB
after:
  description:
    - The limit after the run (in check mode, the predicted one), in the shape of RV(before).
  returned: always
  type: dict
  sample:
    storage limit NetworkShare:
      state: present
      size_kb: 524288000
      size: 500 GiB
      used_kb: 553324
      used: 540.36 MiB
diff:
  description:
    - RV(before) and RV(after), for C(--diff).
  returned: always
  type: dict
  contains:
    before:
      description: As RV(before).
      type: dict
    after:
      description: As RV(after).
      type: dict
requests:
  description: How many HTTP requests the module sent to the camera.
  returned: always
  type: int
  sample: 3
"""
