#!/usr/bin/python
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: axis_recording_group
short_description: Declare the recording groups of an Axis camera and how long their recordings are kept
version_added: 0.1.0
author: vapix.edge_storage developers (@vapix-edge-storage)
description:
  - Creates, updates and deletes one recording group of an Axis camera through the VAPIX recording group
    API. A group keeps the recordings that recording actions send to it on one disk, for a retention time.
  - The group is identified by O(id). Only the fields you set are compared and sent; a second run with
    the same options changes nothing.
  - The camera cannot move a group to another disk. Changing O(disk_id) of an existing group means
    deleting it and creating it again on the new disk.
  - Deleting a group deletes its recordings, and the API cannot tell a group's recordings apart, so every
    deletion (O(state=absent), O(exclusive=true), a move to another disk) needs O(allow_data_loss=true).
    Without it check mode shows the deletion marked C([destructive; needs allow_data_loss]) and a real run
    refuses it before any write.
  - The camera refuses to delete a group that a recording action refers to (error 140); the module
    reports the camera's reason. When the camera holds its maximum number of groups it refuses a new one
    (error 120); stream options it does not accept fail with error 130.
  - When another run or a person deleted the group first, the camera refuses this run's deletion (error
    110) and the module, listing the groups again, fails with C(error_class=concurrent_change); the group
    is absent as declared and the next run has nothing to do for it. The task is C(changed), as for every
    request that reached the camera.
  - Cameras without the recording group API (it answers 404, for example AXIS OS 5.x) fail with a
    clear "not supported" message.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
  - vapix.edge_storage.attributes.resource_module
options:
  id:
    description:
      - The group's id on the camera; 1 to 50 letters, digits, C(_) or C(-). Checked before any request.
    type: str
    required: true
    aliases: [group_id]
  nice_name:
    description:
      - The group's user-friendly name. The camera uses O(id) when a group is created without one.
      - A value that starts or ends with white space, or holds a line break, is refused before any request
        (the camera's answers cannot give it back as sent, so it would never match and would be written again
        on every run).
      - A value that holds a control character other than tab (such as U+0007, BEL) is refused before any request
        too; XML cannot carry it, so the camera would list it in answers that no later run could read.
    type: str
  description:
    description:
      - A description of the group.
      - A value that starts or ends with white space, or holds a line break, is refused before any request
        (the camera's answers cannot give it back as sent, so it would never match and would be written again
        on every run).
      - A value that holds a control character other than tab (such as U+0007, BEL) is refused before any request
        too; XML cannot carry it, so the camera would list it in answers that no later run could read.
    type: str
  retention:
    description:
      - How long recordings of the group are kept, in hours as a whole number (V(168)), or as a duration
        with units V(w), V(d), V(h), V(m), V(s), for example V(7d), V(36h) or V(1d12h). It must come to a
        whole number of hours (V(90m) is refused).
      - V(0) means the camera keeps them without a time limit. At most ten years (V(87600) hours); the API
        documents no maximum, and a longer retention is a unit mistake.
      - Changing it applies to the existing recordings of the group too.
    type: raw
    aliases: [retention_hours]
  disk_id:
    description:
      - The disk the group records to, for example V(SD_DISK) or V(NetworkShare). Required to create a group;
        a disk the camera does not have fails before any change, listing the camera's disks.
      - The camera cannot change the disk of a group; see O(allow_data_loss).
      - The camera lists a group only while the storage it is kept on is attached. A group that is not
        listed is not created, nor moved, on a disk that is V(disconnected) (no SD card inserted, no share
        bound to NetworkShare), since it may exist there; the task fails before any change and says so.
    type: str
    aliases: [disk]
  stream_options:
    description:
      - "The stream options recordings of the group use, as a mapping such as C({resolution: 1920x1080}) or
        a string such as V(resolution=1920x1080&fps=25), percent-encoded or not."
      - They are compared and sent in a canonical form, as for O(vapix.edge_storage.axis_continuous_profile#module:options),
        pairs sorted by key, values percent-encoded except letters, digits and C(-_.~,:), booleans as V(1)/V(0),
        keys and values stripped of the white space around them.
      - V("") (or an empty mapping) clears them. Changing them restarts a recording of the group in progress.
      - Checked before any request as for O(vapix.edge_storage.axis_continuous_profile#module:options).
    type: raw
  pre_duration:
    description:
      - Time before a recording's trigger that is included, in milliseconds as a whole number (V(5000)) or
        as a duration such as V(5s) or V(1500ms). At most one hour (the API documents no maximum).
    type: raw
    aliases: [pre_duration_ms]
  post_duration:
    description:
      - Time after a recording stops that is included, in milliseconds or as a duration like O(pre_duration),
        at most one hour.
    type: raw
    aliases: [post_duration_ms]
  state:
    description:
      - V(present) creates the group or updates the fields that differ.
      - V(absent) deletes the group and all of its recordings (shown as destructive; needs O(allow_data_loss=true)).
      - A group on a locked disk is not deleted (the disk keeps its recordings), whether by O(state=absent),
        O(exclusive) or a move to another disk; the task fails before any change and says to unlock the disk.
    type: str
    choices: [present, absent]
    default: present
  allow_data_loss:
    description:
      - Allow the deletion of recording groups with their recordings - O(state=absent), the other groups with
        O(exclusive=true), and moving an existing group to another O(disk_id) (delete, then create again on
        the new disk keeping its other fields).
      - Without it check mode shows such a deletion marked C([destructive; needs allow_data_loss]) (the task
        is changed and warns), and a real run refuses it before any write.
      - C(allow_recreate) is the old name of this option.
    type: bool
    default: false
    aliases: [allow_recreate]
  exclusive:
    description:
      - When V(true), every other recording group of the camera is deleted first, with its recordings
        (shown as destructive; needs O(allow_data_loss=true)). Run it with C(--check) first.
      - The groups kept on a disk that is V(disconnected) (an SD card taken out) are not listed, so they are
        not deleted; the task warns. The same holds for O(state=absent).
    type: bool
    default: false
seealso:
  - module: vapix.edge_storage.axis_continuous_profile
  - module: vapix.edge_storage.axis_storage_limit
"""

EXAMPLES = r"""
# Connection options come from module_defaults, as in the first example of vapix.edge_storage.axis_edge_storage.

- name: A group on the SD card whose recordings are kept 7 days
  vapix.edge_storage.axis_recording_group:
    id: retention-7d
    nice_name: Seven days
    disk_id: SD_DISK
    retention: 7d
    stream_options:
      resolution: 1920x1080
      fps: 25
    pre_duration: 5s
    post_duration: 10s

- name: Keep them two weeks from now on (also applies to existing recordings)
  vapix.edge_storage.axis_recording_group:
    id: retention-7d
    retention: 336

- name: Move the group to the NAS (deletes its recordings on the SD card)
  vapix.edge_storage.axis_recording_group:
    id: retention-7d
    disk_id: NetworkShare
    allow_data_loss: true

- name: Delete an old group and its recordings
  vapix.edge_storage.axis_recording_group:
    id: old-group
    state: absent
    allow_data_loss: true
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
  sample:
    - "delete recording group retention-7d and its recordings to move it from disk SD_DISK to NetworkShare
      (the camera cannot change a group's disk) [destructive]"
    - "create recording group retention-7d: disk_id 'NetworkShare', nice_name 'Seven days', retention_hours 168
      (re-created on disk NetworkShare)"
before:
  description:
    - What the task manages as it was before the run, keyed by resource; never a secret.
    - The group before the run, keyed by C(recording group <id>), with the fields you set and C(state).
      Durations are numbers in the camera's units; C(retention_hours), C(pre_duration_ms) and
      C(post_duration_ms). C(stream_options) is in the canonical form.
    - With O(exclusive=true) also the other groups, keyed by C(recording groups other than <id>) and then by
      group id.
  returned: success
  type: dict
  sample:
    recording group retention-7d:
      disk_id: SD_DISK
      retention_hours: 168
      state: present
after:
  description:
    - The same fields after the run as the camera reports them when read again (in check mode, as
      predicted), keyed like RV(before).
  returned: success
  type: dict
  sample:
    recording group retention-7d:
      disk_id: SD_DISK
      retention_hours: 336
      state: present
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
