#!/usr/bin/python
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: axis_recording_info
short_description: List an Axis camera's recordings and prove it records
version_added: 0.1.0
author: vapix.edge_storage developers (@vapix-edge-storage)
description:
  - Lists the recordings of an Axis camera, filtered by disk, event id and time window, and never
    changes anything.
  - With O(coverage), answers the question an audit asks first - did the camera record, without
    gaps, for as long as it should - per event id and per disk, measured against the camera's own
    clock.
  - Listing pages through C(record/list.cgi) with O(page_size) recordings a request, at most
    O(max_pages) requests; when more recordings match, the result says so (RV(complete) is
    V(false)) and a warning names the limit, so a listing is never silently short.
  - Each page after the first is asked from the last recording listed, which must be on it again. When the
    camera's list moved between two pages (its cleanup removed the oldest recordings, so the rest moved
    back), that recording is looked for again from further back (at most 3 pages asked again in a row, within
    O(max_pages)) and the listing goes on from it, so no recording is skipped. When it cannot be found again,
    RV(complete) is V(false) and a warning says why.
  - A listed recording outside the disk, event id or time window that was asked for is a damaged answer
    (error class C(damaged_answer)), never part of the list.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
  - vapix.edge_storage.attributes.info_module
options:
  disk_id:
    description:
      - Only recordings on this disk, for example V(SD_DISK) or V(NetworkShare).
    type: str
    aliases: [disk]
  event_id:
    description:
      - Only recordings of this event id, for example the event id of a continuous recording profile.
    type: str
  start:
    description:
      - Only recordings with any part at or after this time.
      - An ISO 8601 time (UTC when it has no offset), for example V(2026-11-30T08:00:00Z), or a
        duration before the camera's current time, for example V(24h) or V(7d) (with its unit - a bare number
        is refused).
      - Without O(start) and O(stop), every recording is listed.
    type: str
  stop:
    description:
      - Only recordings with any part at or before this time; same forms as O(start).
    type: str
  page_size:
    description:
      - Recordings not listed before asked for per request (1 to 1000). Each request after the first asks for
        one more - the last recording of the page before, which shows where the new page goes on from.
    type: int
    default: 100
  max_pages:
    description:
      - Requests at most, per listing. With the defaults, 5000 recordings; beyond that the listing
        stops, RV(complete) is V(false) and a warning says so.
    type: int
    default: 50
  coverage:
    description:
      - Measure whether the camera recorded. The window ends at the camera's current time, taken
        from the C(Date) header of its answers (no extra request), not from the controller's clock.
      - Instead of the recordings, returns RV(coverage). O(start) and O(stop) do not apply.
      - O(disk_id) limits both the recordings considered and the disks reported; O(event_id) is
        not used, give O(coverage.event_ids).
    type: dict
    suboptions:
      window:
        description:
          - How far back from now to look, as a duration with its unit (V(24h), V(7d), V(90m)); a bare number
            is refused.
        type: str
        default: 24h
      max_gap:
        description:
          - The longest stretch without a recording that is tolerated (the camera needs a few seconds
            to start a new recording after a split or a remount).
        type: str
        default: 5m
      event_ids:
        description:
          - The event ids that must be covered. Default - the event ids of the camera's continuous
            recording profiles.
          - Blanks around each are left out, so a text such as V(continuous, continuous_nas) names two event ids.
            A list that holds no event id is refused.
        type: list
        elements: str
      retention_target:
        description:
          - How far back each disk should hold recordings, as a duration (V(7d)). A disk whose oldest
            recording is younger is flagged (C(retention_short) in the disk's entry of RV(coverage)). A mounted
            disk without recordings is listed but not flagged - whether the camera records there is what
            the event ids say.
          - Recordings cannot be tied to a recording group through the API, so this is per disk, not
            per group.
        type: str
notes:
  - Times in results are ISO 8601 UTC, as the camera reports them.
  - Whether a camera counts C(startatresultnumber) from 0 or 1 is not documented; each page goes on from the
    last recording listed, found on it again, so either way each recording is listed once.
  - Recordings are listed from mounted disks only; a disk that is not mounted shows none.
seealso:
  - module: vapix.edge_storage.axis_storage_info
  - module: vapix.edge_storage.axis_continuous_profile
"""

EXAMPLES = r"""
# Connection options come from module_defaults, as in the first example of vapix.edge_storage.axis_edge_storage.

- name: The recordings of the last 24 hours on the SD card
  vapix.edge_storage.axis_recording_info:
    disk_id: SD_DISK
    start: 24h
  register: last_day

- name: Did every continuous profile record the last 7 days, with gaps of at most 5 minutes?
  vapix.edge_storage.axis_recording_info:
    coverage:
      window: 7d
      max_gap: 5m
      retention_target: 30d
  register: recorded

- name: Fail the audit where a camera did not record
  ansible.builtin.assert:
    that: recorded.coverage.compliant
    fail_msg: "{{ recorded.coverage.problems | join('; ') }}"

- name: Recordings of one event between two times
  vapix.edge_storage.axis_recording_info:
    event_id: continuous
    start: "2026-11-29T00:00:00Z"
    stop: "2026-11-30T00:00:00Z"
"""

RETURN = r"""
camera_time:
  description: The camera's current time (from the C(Date) header of its answers), ISO 8601 UTC.
  returned: success
  type: str
  sample: "2026-11-30T09:00:00Z"
recordings:
  description:
    - The matching recordings, oldest first. While a recording runs, C(status) is V(recording) and
      C(stop) is null or, on firmware that lists one, the time it has got to so far; a recording with
      no C(stop) counts as running when the camera does not say (C(status) null).
    - A recording is its C(disk_id) and its C(recording_id) - an id is unique on its disk only (a recording
      copied to another disk keeps its id), so one id may be listed once per disk.
  returned: without O(coverage)
  type: list
  elements: dict
  sample:
    - recording_id: 20261130_080000_1A2B_ACCC8E000001
      disk_id: SD_DISK
      event_id: continuous
      type: continuous
      start: "2026-11-30T08:00:00Z"
      stop: null
      status: recording
complete:
  description:
    - Whether every matching recording was listed. V(false) when O(max_pages) stopped the listing, or when the
      camera's list moved while it was read and the last recording listed could not be found again, or when a
      page held no recording not listed before though the camera counts more (a warning says which, and what to
      do).
  returned: without O(coverage)
  type: bool
  sample: true
pages:
  description: How many C(record/list.cgi) pages were read, those asked again included.
  returned: without O(coverage)
  type: int
  sample: 1
coverage:
  description:
    - Whether the camera recorded in the window.
    - C(window) (C(start), C(end), C(seconds)) and C(max_gap_seconds) as measured.
    - C(event_ids) - per event id, C(recording_now), C(covered_percent) (rounded down to 0.01),
      C(gaps) (each with C(start), C(end), C(seconds), C(length) in words and C(open) when it lasts
      until now) and, for an open gap, its likely C(cause) from the camera's current state (disk
      missing, not mounted, locked or full; no share bound; no profile).
    - C(disks) - per mounted disk (and per disk in status C(failed), which may be mounted), C(recordings),
      C(oldest_recording), C(achieved_retention_seconds) and C(achieved_retention) (now minus the oldest
      recording's start), C(cleanup_max_age_days), C(retention_target_seconds) and C(retention_short)
      (V(false) for a disk without recordings).
    - C(complete) - V(false) when the listing stopped short (the coverage is then not known); C(stopped) says
      why - V(null) when complete, V(max_pages) when O(max_pages) stopped it, V(list_moved) when the camera's list
      moved while it was read and the last recording listed could not be found again (run the task again),
      V(nothing_new) when a page held no recording not listed before though the camera counts more.
    - C(compliant) - no problem found; C(problems) - one sentence per problem.
  returned: with O(coverage)
  type: dict
  sample:
    window: {start: "2026-11-29T09:00:00Z", end: "2026-11-30T09:00:00Z", seconds: 86400}
    max_gap_seconds: 300
    event_ids:
      continuous:
        recording_now: true
        covered_percent: 97.43
        gaps: [{start: "2026-11-30T02:00:00Z", end: "2026-11-30T02:37:00Z", seconds: 2220, length: 37m, open: false}]
        cause: null
    disks:
      SD_DISK:
        recordings: 12
        oldest_recording: "2026-11-20T09:00:00Z"
        achieved_retention_seconds: 864000
        achieved_retention: 10d
        cleanup_max_age_days: 30
        retention_target_seconds: 2592000
        retention_short: true
    complete: true
    stopped: null
    compliant: false
    problems:
      - "continuous has 1 gap(s) longer than 5m in the last 1d: 37m from 2026-11-30T02:00:00Z"
      - "SD_DISK holds recordings back 10d, short of the retention target 30d"
requests:
  description:
    - Number of HTTP requests this run sent to the camera.
  returned: success
  type: int
  sample: 4
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
