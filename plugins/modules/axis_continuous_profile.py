#!/usr/bin/python
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: axis_continuous_profile
short_description: Declare what an Axis camera records continuously, and to which disk
version_added: 0.1.0
author: vapix.edge_storage developers (@vapix-edge-storage)
description:
  - Adds or removes one continuous recording profile of an Axis camera. A profile makes the camera
    record all the time, with the given stream options, to a disk (SD card or network share).
  - A profile is identified by its disk (O(disk_id)) and event id (O(event_id)).
  - The camera cannot change a profile. When the declared options differ from the profile's, the
    module removes the profile and adds a new one; check mode shows both steps. The options are
    compared in one canonical form (keys sorted, percent-encoding normalised, numbers and booleans
    as strings), so options written in another order or spelling do not re-create the profile.
  - If the camera rejects the new options after the old profile was removed, the module adds the old
    profile back before failing, so the camera keeps recording as before. When the answer to the add
    is lost or damaged, the module lists the profiles again first; when the new profile is there (the
    camera carried out the add), nothing is added back and the task fails with the add's error, saying
    so; when the profiles cannot be listed again either, nothing is added back and the message says
    that whether the add was carried out is unknown.
  - The camera holds a fixed number of profiles (C(Properties.LocalStorage.NbrOfContinuousRecordingProfiles),
    often one). When all are taken by other profiles, the module fails before any change and names the
    profile that holds the slot; O(exclusive=true) removes the profiles not declared here.
  - Two runs adding the same profile at once leave one. When the camera refuses this run's add (its slots
    taken by the other run's profile, or any other refusal) and then lists the declared profile, the task
    fails with C(error_class=concurrent_change) and adds back nothing it removed; the next run has nothing
    to do. A removal the camera refuses because another run removed the profile first fails the same way.
  - Needs C(Properties.LocalStorage.ContinuousRecording=yes); other cameras fail with a clear
    "not supported" message.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
  - vapix.edge_storage.attributes.resource_module
options:
  disk_id:
    description:
      - The disk to record to, as the camera names it, for example V(SD_DISK) or V(NetworkShare).
      - Adding a profile for a disk the camera does not have fails before any change, listing the
        camera's disks.
    type: str
    required: true
    aliases: [disk]
  event_id:
    description:
      - The event id that classifies the recordings of the profile; recordings are listed by it.
      - Together with O(disk_id) it identifies the profile.
      - A value that holds a control character other than tab (such as U+0007, BEL) is refused before any
        request; XML cannot carry it, so the camera would list it in answers that no later run could read.
    type: str
    default: continuous
  options:
    description:
      - "The stream options to record with, as a mapping such as C({resolution: 1280x720, fps: 15}) or as a
        string such as V(resolution=1280x720&fps=15)."
      - The string may be percent-encoded, as a whole (as in
        a request URL, V(resolution%3D1280x720%26fps%3D15)) or per value (V(text=Hello%20World)).
      - An escape that is not UTF-8 text, such as V(%FC) (the ISO-8859-1 escape of C(ü)), is sent and compared as
        it is written, never replaced.
      - In a mapping, numbers become their digits and booleans V(1) or V(0) (the spelling of switches
        such as C(audio)); quote a value to send it as written. Each key may be given once.
      - What the camera is sent, and what is compared, is the canonical form C(key=value) pairs sorted
        by key and joined by C(&), values percent-encoded except letters, digits and C(-_.~,:).
      - 'Keys and values are stripped of the white space around them, in a mapping as in a string
        (C({textstring: "Door "}) is sent and compared as C(textstring=Door)).'
      - Checked before any request where the camera would refuse it. Refused are a string of blanks only, a
        key without a value or with an empty one (V(textstring=); leave the key out), a C(%) not followed by two
        hex digits, a key other than letters, digits and
        C(_), and a malformed C(resolution) (C(WxH)), C(fps) (a whole number or a fraction such as
        V(30000/1001), no decimals) or C(compression) (0 to 100).
      - Required with O(state=present).
    type: raw
  state:
    description:
      - V(present) makes sure the profile exists with O(options) (adding it, or re-creating it when its
        options differ).
      - V(absent) removes every profile with this O(disk_id) and O(event_id); O(options) is not needed.
    type: str
    choices: [present, absent]
    default: present
  exclusive:
    description:
      - When V(true), every other continuous recording profile of the camera (another disk or event id)
        is removed first, which also frees the slots for this one.
      - Run it with C(--check) first to see what would be removed.
    type: bool
    default: false
notes:
  - Removing a profile stops its recording; the recordings already made stay on the disk.
  - When the camera holds several profiles with the same disk and event id (made by other tools), the one
    with the declared options is kept and the others are removed.
seealso:
  - module: vapix.edge_storage.axis_recording_group
  - module: vapix.edge_storage.axis_storage_limit
"""

EXAMPLES = r"""
# Connection options come from module_defaults, as in the first example of vapix.edge_storage.axis_edge_storage.

- name: 720p at 15 fps, the only continuous profile on the camera
  vapix.edge_storage.axis_continuous_profile:
    disk_id: SD_DISK
    event_id: continuous_sd
    options:
      resolution: 1280x720
      fps: 15
    exclusive: true

- name: The same profile written as a string (no change on a second run)
  vapix.edge_storage.axis_continuous_profile:
    disk_id: SD_DISK
    event_id: continuous_sd
    options: fps=15&resolution=1280x720

- name: Stop recording continuously to the network share
  vapix.edge_storage.axis_continuous_profile:
    disk_id: NetworkShare
    event_id: continuous_nas
    state: absent
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
    - "remove continuous recording profile 1 (disk SD_DISK, event id continuous_sd, options resolution=640x480)
      to re-create it with options fps=15&resolution=1280x720 (a profile cannot be changed)"
    - "add continuous recording profile on disk SD_DISK, event id continuous_sd, options fps=15&resolution=1280x720
      (replaces the removed profile: a profile cannot be changed)"
before:
  description:
    - What the task manages as it was before the run, keyed by resource; never a secret.
    - The profile before the run, keyed by C(continuous profile <disk_id>/<event_id>), with C(disk_id),
      C(event_id), C(options) (canonical form) and C(state).
    - With O(exclusive=true) also the other profiles, keyed by C(continuous profiles other than continuous
      profile <disk_id>/<event_id>) and then by C(profile <number>).
  returned: success
  type: dict
  sample:
    continuous profile SD_DISK/continuous_sd:
      disk_id: SD_DISK
      event_id: continuous_sd
      options: resolution=640x480
      state: present
after:
  description:
    - The same fields after the run as the camera reports them when read again (in check mode, as
      predicted), keyed like RV(before).
  returned: success
  type: dict
  sample:
    continuous profile SD_DISK/continuous_sd:
      disk_id: SD_DISK
      event_id: continuous_sd
      options: fps=15&resolution=1280x720
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
  sample: 4
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
