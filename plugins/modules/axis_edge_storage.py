#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: axis_edge_storage
short_description: Converge the whole edge storage of an Axis camera in one run
version_added: 0.1.0
author: vapix.edge_storage developers (@vapix-edge-storage)
description:
  - Brings network shares, disk settings, SD card encryption, storage limits, continuous recording
    profiles and recording groups of one camera to the declared state in a single module run.
  - Each section is a list of items that take exactly the options of the matching single module
    (M(vapix.edge_storage.axis_share), M(vapix.edge_storage.axis_disk),
    M(vapix.edge_storage.axis_encryption), M(vapix.edge_storage.axis_storage_limit),
    M(vapix.edge_storage.axis_continuous_profile), M(vapix.edge_storage.axis_recording_group));
    items are validated with those modules' rules before the first request.
  - Sections are applied in the order the camera needs them; shares first (so the NetworkShare disk
    exists), then disks, encryption, storage limits, continuous profiles and recording groups.
  - One HTTP session serves the whole run, each API family is read once, and one Digest challenge is
    answered per camera, which is what makes a fleet converge fast.
  - Leaving a section out (or empty) leaves that part of the camera alone, unless O(purge) names it.
  - With O(purge), a section is the full list of what the camera keeps of that kind; whatever else the
    camera has is removed. B(A purged section that is left out or empty removes every item of that kind
    from the camera), including the recordings of deleted recording groups. Run with C(--check) first and
    read RV(steps).
  - In check mode each section is planned against the camera as it is now; where an earlier section
    would change what a later one sees (for example binding a share before setting the
    NetworkShare disk), the later plan is made against the current state and the real run re-plans.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
options:
  shares:
    description:
      - Network shares, each with the options of M(vapix.edge_storage.axis_share) except
        O(vapix.edge_storage.axis_share#module:exclusive); use O(purge) instead.
      - Passwords in items are treated as secrets.
    type: list
    elements: dict
    default: []
  disks:
    description:
      - Disk settings, each with the options of M(vapix.edge_storage.axis_disk).
    type: list
    elements: dict
    default: []
  encryption:
    description:
      - SD card encryption, each item with the options of M(vapix.edge_storage.axis_encryption).
      - Passphrases in items are treated as secrets.
    type: list
    elements: dict
    default: []
  storage_limits:
    description:
      - >-
        Recording storage limits, either a list of items with the options of
        M(vapix.edge_storage.axis_storage_limit), or a mapping of disk id to size
        (V(null) or V(0) removes the limit), for example C({NetworkShare: 500 GiB}).
    type: raw
    default: []
  continuous_profiles:
    description:
      - Continuous recording profiles, each with the options of M(vapix.edge_storage.axis_continuous_profile)
        except O(vapix.edge_storage.axis_continuous_profile#module:exclusive); use O(purge) instead.
    type: list
    elements: dict
    default: []
  recording_groups:
    description:
      - Recording groups, each with the options of M(vapix.edge_storage.axis_recording_group)
        except O(vapix.edge_storage.axis_recording_group#module:exclusive); use O(purge) instead.
    type: list
    elements: dict
    default: []
  purge:
    description:
      - Sections declared in full. For each section named here, every share, continuous recording profile
        or recording group the camera has and the section does not declare is removed, before the
        section's items are applied (so a removed share no longer holds the NetworkShare disk and a removed
        profile frees its slot).
      - B(A named section that is empty or left out removes everything of that kind from the camera.)
      - Removing a bound share unmounts and unbinds it first. Deleting a recording group deletes its
        recordings; those steps are marked C([destructive]). Removing a continuous profile stops that
        recording but keeps what was recorded.
      - The removals are the ones the single modules make with O(vapix.edge_storage.axis_share#module:exclusive=true),
        O(vapix.edge_storage.axis_continuous_profile#module:exclusive=true) and
        O(vapix.edge_storage.axis_recording_group#module:exclusive=true), for the whole section at once.
      - Check mode lists every removal in RV(steps) without touching the camera; run it first.
    type: list
    elements: str
    choices: [shares, continuous_profiles, recording_groups]
    default: []
  job_timeout:
    description:
      - Seconds to wait for each asynchronous job of the camera (share test, format, mount, unmount),
        used for items that do not set their own.
    type: int
    default: 600
seealso:
  - module: vapix.edge_storage.axis_storage_info
"""

EXAMPLES = r"""
- name: Converge the edge storage of every camera
  hosts: cameras
  gather_facts: false
  module_defaults:
    group/vapix.edge_storage.vapix:
      hostname: "{{ ansible_host }}"
      username: root
      password: "{{ vault_camera_password }}"
      ca_path: /etc/pki/axis-ca.pem
  tasks:
    - name: Record to the NAS and keep a week on the SD card
      vapix.edge_storage.axis_edge_storage:
        shares:
          - name: nas1
            address: nas.example.com
            share: cameras
            share_username: cam
            share_password: "{{ vault_nas_password }}"
            bound: true
        disks:
          - disk_id: SD_DISK
            friendly_name: SD card
            cleanup_policy: fifo
            cleanup_max_age: 30
          - disk_id: NetworkShare
            cleanup_policy: fifo
            cleanup_max_age: 14
        storage_limits:
          NetworkShare: 500 GiB
        continuous_profiles:
          - disk_id: SD_DISK
            event_id: continuous_sd
            options:
              resolution: 1280x720
        recording_groups:
          - id: retention-7d
            disk_id: SD_DISK
            retention: 7d

- name: Keep exactly the declared shares and recording groups (run with --check first)
  hosts: cameras
  gather_facts: false
  module_defaults:
    group/vapix.edge_storage.vapix:
      hostname: "{{ ansible_host }}"
      username: root
      password: "{{ vault_camera_password }}"
      ca_path: /etc/pki/axis-ca.pem
  tasks:
    - name: Remove every share and recording group not declared here
      vapix.edge_storage.axis_edge_storage:
        purge: [shares, recording_groups]
        shares:
          - name: nas1
            address: nas.example.com
            share: cameras
            bound: true
        recording_groups:
          - id: retention-7d
            disk_id: SD_DISK
            retention: 7d
"""

RETURN = r"""
steps:
  description: What was done (or, in check mode, would be done), in order; destructive steps end in C([destructive]).
  returned: always
  type: list
  elements: str
  sample: ["add share nas1 (nas.example.com/cameras)", "bind share nas1 to the NetworkShare disk"]
before:
  description:
    - The managed fields of every declared item before the run, keyed by item (for example C(share nas1)). No secrets.
    - For each section in O(purge) also what the section does not declare, keyed by C(shares other than share nas1),
      C(continuous profiles other than ...), C(recording groups other than ...) (or C(all shares (none declared)) and
      the like for an empty section), then by share id, profile number or group id.
  returned: always
  type: dict
after:
  description: The managed fields of every declared item after the run (predicted in check mode). No secrets.
  returned: always
  type: dict
diff:
  description: C(before) and C(after), for C(--diff).
  returned: always
  type: dict
requests:
  description: Number of HTTP requests this run sent to the camera.
  returned: always
  type: int
  sample: 14
"""
