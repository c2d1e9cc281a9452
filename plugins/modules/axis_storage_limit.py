#!/usr/bin/python
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
  - vapix.edge_storage.attributes.resource_module
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
        V(TiB), V(PiB) are powers of 1024 bytes; V(kB), V(KB) and V(k) mean the camera's kilobyte (1024 bytes);
        decimal units V(MB), V(GB), V(TB), V(PB) are powers of 1000 bytes, rounded down to whole kilobytes so the
        limit never exceeds what you wrote.
      - The camera's smallest limit is 1048576 kB (1 GiB); a smaller size other than V(0) is refused
        before any request. V(0) and V(no limit) (as M(vapix.edge_storage.axis_storage_info) says it) mean no
        limit, like O(state=absent).
      - The largest accepted is 1 PiB (the API documents no maximum; no disk or share a camera records
        to is larger, so more is a unit mistake), and a limit larger than the disk's own size (when the
        camera reports it) is refused before the write.
    type: str
  state:
    description:
      - V(present) sets the limit to O(size).
      - V(absent) removes the limit (the camera stores size 0); O(size) and O(quota) must not be given then.
    type: str
    choices: [present, absent]
    default: present
  quota:
    description:
      - Instead of O(size), the limit is this camera's weighted part of a network share that several
        cameras record to, split as the P(vapix.edge_storage.share_quota#filter) filter splits it. The
        parts of all cameras add up to the capacity minus the reserve, and no camera gets less than 1 GiB.
      - Name the cameras of the share with O(quota.group), or give O(quota.weights) and O(quota.member);
        every camera of the share needs the same weights, so that each camera's part fits with the
        others'.
    type: dict
    suboptions:
      group:
        description:
          - The inventory group of the cameras recording to the share, read from the play's inventory.
            Every host of the group weighs what its O(quota.weight_variable) host variable says (1
            without one), and this camera is the inventory host the task runs for. So the weights do
            not depend on the hosts a play targets (C(--limit) changes nobody's part).
          - Mutually exclusive with O(quota.weights) and O(quota.member). Works in a play only.
        type: str
      weight_variable:
        description:
          - The host variable that holds each camera's weight, with O(quota.group).
          - When unset, C(edge_storage_share_quota_weight), the variable of the role
            P(vapix.edge_storage.edge_storage#role).
        type: str
      weights:
        description:
          - "Every camera recording to the share, by name, with its weight (a positive number), for
            example V({'cam1': 2, 'cam2': 1}); with O(quota.member), instead of O(quota.group)."
        type: dict
      member:
        description:
          - This camera's name among O(quota.weights), usually C(inventory_hostname).
        type: str
      capacity:
        description:
          - The share's capacity to split, in the units of O(size).
          - Default is the disk's own size as the camera reports it (the C(totalsize) of its
            C(NetworkShare) disk, read with the disk list the run makes anyway). Without a share bound
            and mounted the camera reports no size, and the task fails before any write asking for
            O(quota.capacity).
          - A capacity larger than the size the camera reports for the disk is refused before any write
            (the parts would add up to more than the share), also when this camera's limit already is its part.
        type: raw
      reserve:
        description:
          - Capacity kept free for everything else on the share, as a percentage (V(5%)) or a size
            (V(100 GiB)); a bare number is kilobytes, as the camera counts (V(5) keeps 5 kB free, not 5%).
        type: raw
notes:
  - The limit is a quota on what the camera writes, not on the disk; the camera removes its oldest
    recordings when it reaches the limit.
seealso:
  - module: vapix.edge_storage.axis_storage_info
  - module: vapix.edge_storage.axis_share
"""

EXAMPLES = r"""
# Connection options come from module_defaults, as in the first example of vapix.edge_storage.axis_edge_storage.

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
    - What the run did, one sentence a step, in order; in check mode, what it would do. Empty when there is
      nothing to do.
    - A step that destroys recordings ends in C([destructive]), or in check mode without
      C(allow_data_loss=true) in C([destructive; needs allow_data_loss]).
  returned: success
  type: list
  elements: str
  sample: ["set the storage limit of NetworkShare to 500 GiB (524288000 kB; was no limit)"]
before:
  description:
    - What the task manages as it was before the run, keyed by resource; never a secret.
    - The limit before the run, keyed by C(storage limit <disk_id>).
    - C(size_kb) is the limit in kilobytes (0 for no limit), C(size) the same in words that read back as exactly
      C(size_kb) (V(500 GiB), V(1953125 KiB)), as M(vapix.edge_storage.axis_storage_info) says it, C(state) V(absent)
      when there is no limit.
    - C(used_kb) and C(used) are the space the recordings use on the disk; they are reported, never
      compared.
  returned: success
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
    - The same fields after the run as the camera reports them when read again (in check mode, as
      predicted), keyed like RV(before).
  returned: success
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
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: Same as RV(before).
      returned: always
      type: dict
    after:
      description: Same as RV(after).
      returned: always
      type: dict
requests:
  description:
    - Number of HTTP requests this run sent to the camera.
  returned: success
  type: int
  sample: 3
needs_allow_data_loss:
  description:
    - The steps of RV(steps) that destroy recordings and were planned without C(allow_data_loss=true); empty
      when none. Check mode lists them and warns; a real run refuses them before any write and fails with
      C(error_class=needs_allow_data_loss).
  returned: success, and on failure with error_class needs_allow_data_loss
  type: list
  elements: str
writes:
  description:
    - Number of write requests this run sent to the camera, counted where every request is sent; a write the
      camera refused or never answered counts too. Whenever it is not 0 the task is C(changed), on failure
      too.
  returned: always; by a module that only reads, only on failure (and then 0)
  type: int
msg:
  description:
    - What went wrong and, where it can be told, what to do about it. Secrets are masked.
  returned: failure
  type: str
error_class:
  description:
    - The kind of failure, for a play to branch on. C(refused), C(timeout), C(dns), C(tls), C(not_tls) and
      C(damaged_answer) are about the way to the camera and its answers; C(auth) and C(forbidden) about the
      account; C(not_vapix), C(device) and C(unsupported) about what the camera is and says;
      C(invalid_argument), C(needs_allow_data_loss), C(verify) and C(concurrent_change) about the task;
      C(destination) about the controller's own files (an export's destination it cannot write to).
    - Left out for an unexpected error (a bug in the collection), which carries C(exception) instead.
  returned: failure
  type: str
  sample: auth
completed_steps:
  description:
    - The steps done before the failure, each of which may have changed the camera; empty when the run failed
      before its first step.
  returned: failure
  type: list
  elements: str
failed_step:
  description:
    - The step that failed; null when the run failed before its first step (while reading or planning).
    - A failed step whose write the camera never answered, or whose job was still running at its timeout, may
      have changed the camera.
  returned: failure
  type: str
not_run_steps:
  description:
    - The planned steps that did not run because of the failure.
  returned: failure
  type: list
  elements: str
api:
  description:
    - The API family of the request that failed, for example C(disk-network-share).
  returned: failure, when a request to the camera failed
  type: str
cgi:
  description:
    - The path of the request that failed.
  returned: failure, when a request to the camera failed
  type: str
code:
  description:
    - The camera's numeric error code; null when its answer had none.
  returned: failure, when a request to the camera failed
  type: int
description:
  description:
    - The camera's own text for the error, or what was wrong with its answer.
  returned: failure, when a request to the camera failed
  type: str
http_status:
  description:
    - The HTTP status the camera answered the failed request with, for example 401; null when the answer
      was not an HTTP error.
  returned: failure, when a request to the camera failed
  type: int
state_now:
  description:
    - After a failed step, what the camera holds now, read again, so that the next run can be judged; left out
      when it could not be read.
  returned: failure, when a step failed
  type: str
problems:
  description:
    - Every problem that planning found before any write, each with C(where) (the section of
      M(vapix.edge_storage.axis_edge_storage), else null), C(error_class) and C(msg).
  returned: failure, when planning found a problem
  type: list
  elements: dict
mismatches:
  description:
    - What still differs from the task when the camera is read again after the run, one sentence each.
  returned: failure with error_class verify
  type: list
  elements: str
unsupported:
  description:
    - What the camera lacks that the task needs (an API, a parameter or a capability).
  returned: failure, when the camera lacks what the task needs
  type: str
  sample: recording groups
reason:
  description:
    - How the camera was found to lack it.
  returned: failure, when the camera lacks what the task needs
  type: str
"""
