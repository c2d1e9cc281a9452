#!/usr/bin/python
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: axis_recording_export
short_description: Export an Axis camera's recordings to files on the controller
version_added: 0.1.0
author: vapix.edge_storage developers (@vapix-edge-storage)
description:
  - Exports the recordings of a time window - optionally only those of one event id, one disk or named
    recording ids - from an Axis camera into a directory on the Ansible controller, for example as
    evidence of an incident. Nothing on the camera changes.
  - One file per recording, named after its recording id - C(<recording id>.mkv), the Matroska file the
    camera exports (C(record/export/exportrecording.cgi)), or C(<recording id>.zip) with O(export_password), the
    camera's password-protected C(zip-aes256) archive of it.
  - A recording id is unique on its disk only (a recording copied to another disk keeps its id). An id listed
    on more than one disk names each copy's file after its disk too - C(<recording id>.<disk id>.mkv) (or
    C(.zip)); every other file keeps its plain name.
  - A file that exists already is skipped, unless O(force=true), so a rerun exports only what is new.
  - Each file is written to a temporary name in O(dest) and renamed when complete; a failed or interrupted
    export leaves no partial file behind. The files written before a failure are complete and kept - the failed
    task is C(changed) (a file on the controller is a change, though the camera is not) and names them
    (RV(files), RV(completed_steps)).
  - Complete means the whole file asked for. An answer that is not - a camera's error page, an empty body, a
    Matroska file shorter than its Segment says (a Segment of unknown size cannot be measured), a ZIP archive
    without its central directory, a body shorter than its C(Content-Length) - fails the task (error class
    C(damaged_answer) for the body); the temporary file is removed, and a file an earlier export left there
    (O(force=true)) is kept as it was.
  - When the controller cannot take the files - no write permission in O(dest) or where it would be created, a
    read-only or full file system - the task fails with error class C(destination) and a message naming the
    directory and what to do; the file being written is removed and the camera is unchanged. A file in the way
    of O(dest) (O(dest) itself, or a part of its path) fails with C(invalid_argument) before any request.
  - Before any export the module reads which schema versions the camera's Export recording API speaks
    and what it offers; a camera without it, or without the encryption O(export_password) needs, fails with a
    clear "not supported" message.
  - The module runs on the controller (the modules of this collection talk to the camera over HTTP from
    there), so O(dest) is a directory on the controller.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
  - vapix.edge_storage.attributes.action_module
attributes:
  idempotent:
    support: partial
    details:
      - A rerun skips every file that exists, so it exports only what is new; with O(force=true) every run exports
        again.
options:
  dest:
    description:
      - Directory on the controller for the files, as an absolute path (a relative path is refused, since it
        would depend on the directory ansible-playbook runs in), for example C({{ playbook_dir }}/exports);
        created (mode 0750) when missing.
      - When there is something to export, the module checks first that the user Ansible runs as may write in
        it (or in the directory it is created in) and that its file system is not mounted read-only; a warning
        says when the camera's estimates of the files add up to more than the free space there.
    type: path
    required: true
  start:
    description:
      - Export the recordings with any part at or after this time - ISO 8601 (UTC when it has no offset),
        for example V(2026-11-30T08:00:00Z), or a duration before the camera's current time, for example V(2h).
    type: str
  stop:
    description:
      - Export the recordings with any part at or before this time; same forms as O(start).
    type: str
  event_id:
    description:
      - Only recordings of this event id.
    type: str
  disk_id:
    description:
      - Only recordings on this disk, for example V(SD_DISK).
    type: str
    aliases: [disk]
  recording_ids:
    description:
      - Only these recordings. An id not on the camera (or outside the window) is reported in RV(skipped_recordings).
      - An id listed on more than one disk selects every copy (one file each, named after its disk).
      - An id that holds a bracket, a quote or a blank is refused before any request - a list given as its text
        (a template with C(to_json)) is split at its commas only. A text of ids separated by commas is a list.
    type: list
    elements: str
  include_active:
    description:
      - Also export recordings that are still running; the camera exports them up to the time of the request.
      - Their file is then incomplete, and a rerun skips it unless O(force=true).
    type: bool
    default: false
  export_password:
    description:
      - Export each recording as a C(zip-aes256) archive protected with this password (at most 512 bytes;
        some unzip tools cannot handle more than 99 characters).
      - Needs a camera whose Export recording API is version 1.2 or later and offers C(zip-aes256).
      - Never shown in results, messages or logs.
    type: str
  force:
    description:
      - Export again, overwriting files that exist already.
    type: bool
    default: false
  page_size:
    description:
      - Recordings not listed before asked for per C(record/list.cgi) request (1 to 1000); each request after
        the first asks for one more, the last recording of the page before, as M(vapix.edge_storage.axis_recording_info)
        does.
    type: int
    default: 100
  max_pages:
    description:
      - C(record/list.cgi) requests at most; when more recordings match, the rest are not exported and a
        warning says so. So does a warning when the camera's list moved while it was read (its cleanup removed
        the oldest recordings) and where the listing had got to could not be found again.
    type: int
    default: 50
notes:
  - In check mode each recording's export properties (its estimated size) are read and RV(files) lists what
    would be written; no file or directory is created. O(dest) is checked as for a real run (see O(dest)), so
    a destination the files cannot go to fails check mode too; only a file system that fills up during the
    export (see the warning about the estimates) is seen by the real run alone.
  - At least one of O(start), O(stop), O(event_id) or O(recording_ids) is required.
  - Recordings are listed from mounted disks only.
  - Unpacking the password-protected archives needs a tool that reads WinZip AES, for example 7-Zip or the
    Python library pyzipper.
seealso:
  - module: vapix.edge_storage.axis_recording_info
  - module: vapix.edge_storage.axis_recording
"""

EXAMPLES = r"""
# Connection options come from module_defaults, as in the first example of vapix.edge_storage.axis_edge_storage.

- name: Keep the recordings of an incident as evidence
  vapix.edge_storage.axis_recording_export:
    dest: "/srv/evidence/{{ inventory_hostname }}/INC-4711"
    start: "2026-11-29T22:00:00Z"
    stop: "2026-11-29T23:30:00Z"
    export_password: "{{ vault_evidence_password }}"
  register: evidence

- name: The motion recordings of the last two hours, as the camera exports them
  vapix.edge_storage.axis_recording_export:
    dest: /srv/exports/motion
    start: 2h
    event_id: motion
"""

RETURN = r"""
dest:
  description: The directory the files went to.
  returned: success
  type: str
  sample: /srv/evidence/cam1/INC-4711
camera_time:
  description: The camera's current time (from the C(Date) header of its answers), ISO 8601 UTC.
  returned: success
  type: str
files:
  description:
    - One entry per file written (in check mode, to be written; after a failure, written before it) -
      C(recording_id), C(disk_id), C(event_id),
      C(start) and C(stop) (as the camera's export properties give them), C(path), C(estimated_kb) (the
      camera's estimate, null when it has none), C(size) (bytes written; null in check mode) and
      C(encryption) (C(zip-aes256) or null).
  returned: success, and on failure once the export of the files has begun
  type: list
  elements: dict
  sample:
    - recording_id: 20261129_220412_1A2B_ACCC8E000001
      disk_id: SD_DISK
      event_id: motion
      start: "2026-11-29T22:04:12Z"
      stop: "2026-11-29T22:09:12Z"
      path: /srv/evidence/cam1/INC-4711/20261129_220412_1A2B_ACCC8E000001.zip
      estimated_kb: 9375
      size: 9601234
      encryption: zip-aes256
skipped_recordings:
  description:
    - What was not exported, each with C(what) (a recording id; C(<id> on disk <disk id>) for an id listed on more
      than one disk) and C(why).
    - Not called C(skipped), which Ansible reads as "the task was skipped".
  returned: success
  type: list
  elements: dict
  sample:
    - what: 20261129_230001_3C4D_ACCC8E000001
      why: "/srv/evidence/cam1/INC-4711/20261129_230001_3C4D_ACCC8E000001.mkv exists; force: true overwrites it"
steps:
  description:
    - What the run did, one sentence a step, in order; in check mode, what it would do. Empty when there is
      nothing to do.
    - A step that destroys recordings ends in C([destructive]), or in check mode without
      C(allow_data_loss=true) in C([destructive; needs allow_data_loss]).
    - One export per file.
  returned: success
  type: list
  elements: str
requests:
  description:
    - Number of HTTP requests this run sent to the camera.
  returned: success
  type: int
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
    - C(destination) - the controller cannot take the files (no write permission in O(dest), a read-only or full
      file system); the message names the directory and what to do.
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
