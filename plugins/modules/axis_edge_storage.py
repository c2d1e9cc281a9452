#!/usr/bin/python
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: axis_edge_storage
short_description: Converge the whole edge storage of an Axis camera in one run
version_added: 0.1.0
author: vapix.edge_storage developers (@vapix-edge-storage)
description:
  - Brings network shares, disk settings, recording defaults, SD card encryption, storage limits, continuous recording
    profiles and recording groups of one camera to the declared state in a single module run.
  - Each section is a list of items that take exactly the options of the matching single module
    (M(vapix.edge_storage.axis_share), M(vapix.edge_storage.axis_disk),
    M(vapix.edge_storage.axis_encryption), M(vapix.edge_storage.axis_storage_limit),
    M(vapix.edge_storage.axis_continuous_profile), M(vapix.edge_storage.axis_recording_group));
    items are validated with those modules' rules before the first request.
  - Sections are applied in the order the camera needs them; shares first (so the NetworkShare disk
    exists), then disks, recording settings, encryption, storage limits, continuous profiles and recording
    groups.
  - One HTTP session serves the whole run, each API family is read once, and one Digest challenge is
    answered per camera, which is what makes a fleet converge fast.
  - Leaving a section out (or empty) leaves that part of the camera alone, unless O(purge) names it.
  - With O(purge), a section is the full list of what the camera keeps of that kind; whatever else the
    camera has is removed. B(A purged section that is left out or empty removes every item of that kind
    from the camera), including the recordings of deleted recording groups. Run with C(--check) first and
    read RV(steps).
  - >-
    Every section is planned before the first write. Every feature the camera lacks (firmware properties,
    APIs, parameters), every item the camera's state makes impossible and every step that would destroy
    recordings without O(allow_data_loss) is found then, and the run fails naming all of them at once with
    nothing written, for example C(not supported by this camera (5.51.7\): recording storage limit
    (storage_limits\), recording groups (recording_groups\)).
  - Sections that would undo each other are refused then too, check mode included, for example the encryption
    workflow (which formats the disk and ends with it mounted), when it runs, beside a C(disks) item that
    declares that disk unmounted, locked or with another file system, or a share unbound beside C(disks)
    declaring V(NetworkShare) mounted.
  - Then the sections are written in order, each planned again after the writes of the ones before it, so
    a share bound in the same run is there when the NetworkShare disk and its storage limit are set. A
    section whose plan depends on such earlier changes (for example mounting the NetworkShare disk of a
    share the run binds) cannot be planned in check mode against the camera as it is now; a warning says so
    and why, and the diff shows it as it is and as it is declared; the real run plans it after those changes.
    Only a section on a disk that earlier sections change waits so; a refusal no earlier change can lift (an SD
    card that is not inserted, beside a share the run binds) fails the run before any write, check mode included.
  - After the last write every section is checked again against the camera as the run leaves it (reading only
    what the later writes made stale), so a section that a later one changed back fails the run instead of
    being reported as converged.
  - A failure while writing says what was done, what failed and what was not run (C(completed_steps),
    C(failed_step), C(not_run_steps); see the notes), and the task is C(changed) whenever a write reached the camera
    (RV(writes)); a write the camera never answered, or a job still running at its timeout, is reported as
    one that may have been applied.
  - With O(unsupported=skip), what the camera lacks (a whole section, a O(purge) entry, or a single option of
    an item such as C(disks[].required_filesystem) on 5.x firmware) is left out, listed in
    RV(skipped_unsupported) and warned about, and the rest converges; a second run is not changed. One desired
    state then serves a fleet of mixed firmware.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
  - vapix.edge_storage.attributes.resource_module
attributes:
  idempotent:
    support: partial
    details:
      - Not when an item of O(shares) sets C(update_password=always) or an item of O(encryption) sets
        C(update_passphrase=always); see those modules.
options:
  shares:
    description:
      - Network shares, each with the options of M(vapix.edge_storage.axis_share) except
        O(vapix.edge_storage.axis_share#module:exclusive); use O(purge) instead.
      - Passwords in items are treated as secrets.
      - The camera binds one share at a time, so at most one item may set O(vapix.edge_storage.axis_share#module:bound)
        to V(true); more are refused before any request, in check mode too.
    type: list
    elements: dict
    default: []
  disks:
    description:
      - Disk settings, each with the options of M(vapix.edge_storage.axis_disk).
    type: list
    elements: dict
    default: []
  recording_settings:
    description:
      - The camera-wide recording defaults, a mapping with the options of
        M(vapix.edge_storage.axis_recording_settings), for example C(default_disk_id) V(NetworkShare).
      - Applied after the shares and disks, so the default disk may be the NetworkShare disk of a share bound
        in the same run.
    type: dict
    default: {}
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
      - An item's C(quota) takes weights and member; a quota's group is read from the inventory in
        O(share_quota) only.
    type: raw
    default: []
  share_quota:
    description:
      - The storage limit of the C(NetworkShare) disk as this camera's weighted part of the NAS that
        several cameras record to, as O(vapix.edge_storage.axis_storage_limit#module:quota) gives it for a
        C(NetworkShare) item; O(storage_limits) must then not set C(NetworkShare) itself.
      - Without O(share_quota.capacity), the NAS size is the one the camera reports for the share once
        it is bound and mounted; the limit is worked out after the shares of the same run are applied,
        so a camera from factory state gets its share and its part in one run.
      - The role P(vapix.edge_storage.edge_storage#role) sets O(share_quota.group) from
        C(edge_storage_share_quota_group).
    type: dict
    suboptions:
      group:
        description:
          - The inventory group of the cameras recording to the share, read from the play's inventory.
            Every host of the group weighs what its O(share_quota.weight_variable) host variable says
            (1 without one), and this camera is the inventory host the task runs for.
          - Mutually exclusive with O(share_quota.weights) and O(share_quota.member). Works in a play only.
        type: str
      weight_variable:
        description:
          - The host variable that holds each camera's weight, with O(share_quota.group); when unset,
            C(edge_storage_share_quota_weight).
        type: str
      weights:
        description:
          - Every camera recording to the share, by name, with its weight (a positive number); with
            O(share_quota.member), instead of O(share_quota.group).
        type: dict
      member:
        description:
          - This camera's name among O(share_quota.weights).
        type: str
      capacity:
        description:
          - The NAS capacity to split; default is the size the camera reports for its C(NetworkShare) disk.
          - A capacity larger than the size the camera reports for that disk is refused before any write.
        type: raw
      reserve:
        description:
          - Capacity kept free for everything else on the share, as a percentage (V(5%)) or a size; a bare
            number is kilobytes, as the camera counts (V(5) keeps 5 kB free, not 5%).
        type: raw
  continuous_profiles:
    description:
      - Continuous recording profiles, each with the options of M(vapix.edge_storage.axis_continuous_profile)
        except O(vapix.edge_storage.axis_continuous_profile#module:exclusive); use O(purge) instead.
      - The profiles are applied in the order given. When they need more profiles than the camera holds
        (counting those it keeps that the section does not declare), the task fails before any change,
        in check mode too, naming the profiles that take the slots.
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
        recordings; those steps are marked C([destructive]) and need O(allow_data_loss=true). Removing a
        continuous profile stops that recording but keeps what was recorded.
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
  allow_data_loss:
    description:
      - Allow the steps that destroy recordings, in every section - formats (O(disks) C(filesystem), a
        C(required_filesystem) that makes the camera reformat), the O(encryption) workflows that format, and
        every deletion of a recording group (C(state=absent), O(purge), a move to another disk). The API cannot
        tell a group's recordings apart, so a group is taken to hold some.
      - An item may also set its own C(allow_data_loss) (or its old names C(allow_format), C(allow_recreate));
        either suffices.
      - Without it check mode shows those steps marked C([destructive; needs allow_data_loss]), with
        C(changed=true) and a warning, and a real run refuses them before any write. Removing shares or
        continuous profiles destroys no recordings and needs no opt-in.
    type: bool
    default: false
  unsupported:
    description:
      - What to do with what the camera lacks.
      - V(fail) fails before any write, naming everything the camera lacks at once.
      - V(skip) leaves it out - a whole section item, a O(purge) entry, or a single option of an item - reports it
        in RV(skipped_unsupported) and as a warning, and converges the rest.
    type: str
    choices: [fail, skip]
    default: fail
seealso:
  - module: vapix.edge_storage.axis_storage_info
"""

EXAMPLES = r"""
# Every module of the collection takes the same connection options. Set them once with
# module_defaults on the action group group/vapix.edge_storage.vapix (on a play or, as here,
# on a block); the examples of the other modules rely on it.
- name: Converge the edge storage of a camera
  module_defaults:
    group/vapix.edge_storage.vapix:
      hostname: "{{ ansible_host }}"
      username: root
      password: "{{ vault_camera_password }}"
      ca_path: /etc/pki/axis-ca.pem
  block:
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
      vapix.edge_storage.axis_edge_storage:
        purge: [shares, recording_groups]
        allow_data_loss: true      # deleting a recording group deletes its recordings
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
  description:
    - What the run did, one sentence a step, in order; in check mode, what it would do. Empty when there is
      nothing to do.
    - A step that destroys recordings ends in C([destructive]), or in check mode without
      C(allow_data_loss=true) in C([destructive; needs allow_data_loss]).
  returned: success
  type: list
  elements: str
  sample: ["add share nas1 (nas.example.com/cameras)", "bind share nas1 to the NetworkShare disk"]
before:
  description:
    - What the task manages as it was before the run, keyed by resource; never a secret.
    - The managed fields of every declared item before the run, keyed by item (for example C(share nas1)).
      No secrets.
    - For each section in O(purge) also what the section does not declare, keyed by C(shares other than
      share nas1), C(continuous profiles other than ...), C(recording groups other than ...) (or C(all
      shares (none declared)) and the like for an empty section), then by share id, profile number or group
      id.
  returned: success
  type: dict
after:
  description:
    - The same fields after the run as the camera reports them when read again (in check mode, as
      predicted), keyed like RV(before).
  returned: success
  type: dict
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
  sample: 14
writes:
  description:
    - Number of write requests this run sent to the camera, counted where every request is sent; a write the
      camera refused or never answered counts too. Whenever it is not 0 the task is C(changed), on failure
      too.
  returned: always; by a module that only reads, only on failure (and then 0)
  type: int
  sample: 6
model:
  description: The camera's model (C(Brand.ProdShortName)), from the properties the run reads anyway; null when not read.
  returned: always
  type: str
  sample: AXIS P5512
firmware:
  description: The camera's firmware version (C(Properties.Firmware.Version)); null when not read.
  returned: always
  type: str
  sample: 5.51.7
skipped_unsupported:
  description:
    - What O(unsupported=skip) left out, each with C(what) (for example C(storage limit SD_DISK (storage_limits\)) or
      C(required_filesystem of disk SD_DISK (disks\))) and C(why). Empty with O(unsupported=fail).
    - Not named C(skipped), which Ansible would read as a skipped task.
  returned: success
  type: list
  elements: dict
  sample: [{"what": "recording group week (recording_groups)", "why": "not supported by this camera: recording groups (...)"}]
needs_allow_data_loss:
  description:
    - The steps of RV(steps) that destroy recordings and were planned without C(allow_data_loss=true); empty
      when none. Check mode lists them and warns; a real run refuses them before any write and fails with
      C(error_class=needs_allow_data_loss).
  returned: success, and on failure with error_class needs_allow_data_loss
  type: list
  elements: str
problems:
  description:
    - Every problem that planning found before any write, each with C(where) (the section of
      M(vapix.edge_storage.axis_edge_storage), else null), C(error_class) and C(msg).
  returned: failure, when planning found a problem
  type: list
  elements: dict
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
