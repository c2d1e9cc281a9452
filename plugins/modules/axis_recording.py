#!/usr/bin/python
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: axis_recording
short_description: Remove recordings from an Axis camera by ids, time, event id or disk
version_added: 0.1.0
author: vapix.edge_storage developers (@vapix-edge-storage)
description:
  - Makes sure the selected recordings are no longer on an Axis camera, for example to clear a
    commissioning period or the recordings of a test event. This is not a format - recordings outside
    the selection stay.
  - The selection is listed first (C(record/list.cgi)); the listed recordings are then removed by their
    ids, disk by disk (C(record/remove.cgi) with C(diskid)), so what is removed is exactly what check mode
    shows, and a rerun with the same selection finds nothing and changes nothing.
  - A recording id is unique on its disk only (a recording copied to another disk keeps its id); each copy is
    one recording, removed from its own disk.
  - Every recording the camera lists must be one the selection asked for (its disk, event id and time); a
    list that holds any other recording - the camera, or something on the way, ignored the filter - fails the
    task (error class C(damaged_answer)) before anything is removed.
  - Removing recordings needs O(allow_data_loss=true). A recording that is still running (a continuous
    profile's, for instance) is refused unless O(include_active=true), because removing it stops it;
    an active continuous profile then starts a new recording.
  - >-
    A locked disk keeps its recordings: a selection with recordings on one is refused before any write, check
    mode included. A recording the camera keeps all the same fails the task with its reason, and with the hint
    to unlock the disk only when the disk list (read again then) says it is locked.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
  - vapix.edge_storage.attributes.action_module
attributes:
  idempotent:
    support: full
    details:
      - A rerun with the same selection finds nothing left to remove, unless the camera recorded something new
        that the selection matches (a selection by O(disk_id) or O(event_id) alone matches new recordings).
options:
  state:
    description:
      - V(absent) is the only state - the selected recordings must not be on the camera.
    type: str
    choices: [absent]
    default: absent
  recording_ids:
    description:
      - The recordings to remove, by recording id (as M(vapix.edge_storage.axis_recording_info) lists them).
      - An id the camera does not have is already absent; it is returned in RV(not_found).
      - An id listed on more than one disk selects every copy; O(disk_id) narrows it to the copy on that disk.
      - Cannot be combined with O(before) or O(event_id); O(disk_id) narrows it to one disk.
      - An id that holds a bracket, a quote or a blank is refused before any request - a list given as its text
        (a template with C(to_json)) is split at its commas only. A text of ids separated by commas is a list.
    type: list
    elements: str
  before:
    description:
      - Remove the recordings with any part on or before this time - ISO 8601, UTC when it has no offset,
        for example V(2026-11-01T00:00:00Z).
      - Only a fixed time, not a duration, so that every run selects the same recordings.
    type: str
  event_id:
    description:
      - Remove the recordings of this event id.
    type: str
  disk_id:
    description:
      - Remove recordings on this disk only. Given alone, every recording on the disk is removed.
    type: str
    aliases: [disk]
  include_active:
    description:
      - Also remove recordings that are still running. They are stopped first.
    type: bool
    default: false
  allow_data_loss:
    description:
      - Allow the removal. Without it, a task that would remove anything fails before any write and says
        what it would remove; a task whose selection is already gone succeeds without it.
    type: bool
    default: false
notes:
  - In check mode the selection is listed and returned with counts in RV(recordings) and RV(counts); nothing
    is removed.
  - The selections combine - O(before), O(event_id) and O(disk_id) together select the recordings that match
    all of them.
  - Recordings are listed from mounted disks only; the recordings of an unmounted disk are not seen and not removed.
  - The selection is listed in pages of 1000. When the camera's list moved while it was read (its cleanup
    removed the oldest recordings) and where the listing had got to could not be found again, nothing is
    removed and the task fails with error class C(concurrent_change); run it again.
seealso:
  - module: vapix.edge_storage.axis_recording_info
  - module: vapix.edge_storage.axis_recording_export
"""

EXAMPLES = r"""
# Connection options come from module_defaults, as in the first example of vapix.edge_storage.axis_edge_storage.

- name: Clear the commissioning period from the SD card
  vapix.edge_storage.axis_recording:
    disk_id: SD_DISK
    before: "2026-11-01T00:00:00Z"
    allow_data_loss: true

- name: Remove the recordings of a test event, the running one too
  vapix.edge_storage.axis_recording:
    event_id: test_motion
    include_active: true
    allow_data_loss: true

- name: Remove two recordings named in a ticket
  vapix.edge_storage.axis_recording:
    recording_ids:
      - 20261120_080000_1A2B_ACCC8E000001
      - 20261121_123000_3C4D_ACCC8E000001
    allow_data_loss: true
"""

RETURN = r"""
steps:
  description:
    - What the run did, one sentence a step, in order; in check mode, what it would do. Empty when there is
      nothing to do.
    - A step that destroys recordings ends in C([destructive]), or in check mode without
      C(allow_data_loss=true) in C([destructive; needs allow_data_loss]).
    - One removal request per disk and at most 50 recordings, with its counts by event id; a disk with more
      has one step per request (C(batch 1 of 3)), so a failure names the requests done before it
      (RV(completed_steps); the task is then C(changed)).
  returned: success
  type: list
  elements: str
  sample:
    - "remove 2 recording(s) from disk SD_DISK (event 'motion': 2) (record/remove.cgi) [destructive]"
needs_allow_data_loss:
  description:
    - The steps of RV(steps) that destroy recordings and were planned without C(allow_data_loss=true); empty
      when none. Check mode lists them and warns; a real run refuses them before any write and fails with
      C(error_class=needs_allow_data_loss).
  returned: success, and on failure with error_class needs_allow_data_loss
  type: list
  elements: str
recordings:
  description: The selected recordings - removed, or in check mode to be removed - oldest first.
  returned: success
  type: list
  elements: dict
  sample:
    - recording_id: 20261120_080000_1A2B_ACCC8E000001
      disk_id: SD_DISK
      event_id: motion
      start: "2026-11-20T08:00:00Z"
      stop: "2026-11-20T08:05:00Z"
      active: false
counts:
  description: How many recordings were selected - C(total), C(active), C(by_disk) and C(by_event).
  returned: success
  type: dict
  sample: {"total": 2, "active": 0, "by_disk": {"SD_DISK": 2}, "by_event": {"motion": 2}}
not_found:
  description: Ids in O(recording_ids) the camera does not have (already absent).
  returned: success
  type: list
  elements: str
requests:
  description:
    - Number of HTTP requests this run sent to the camera.
  returned: success
  type: int
  sample: 3
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
