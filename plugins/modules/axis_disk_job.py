#!/usr/bin/python
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: axis_disk_job
short_description: Check, repair or format one disk of an Axis camera
version_added: 0.1.0
author: vapix.edge_storage developers (@vapix-edge-storage)
description:
  - Runs one maintenance job on one disk of an Axis camera - a file system check
    (C(disks/checkdisk.cgi)), a file system repair (C(disks/repair.cgi)) or a format
    (C(disks/format.cgi)) - and waits for it with C(disks/job.cgi).
  - The camera checks and repairs only an unmounted disk, so the module unmounts the disk, runs the
    job and mounts the disk again. Recording to the disk stops meanwhile. A disk that was not mounted
    (status C(connected)) is not unmounted and stays unmounted.
  - A disk in status C(failed) may or may not be mounted; the module tries to unmount it and mounts it
    again only when that unmount worked. When the camera refuses the unmount, the job runs anyway; an unmount
    start with no answer, a damaged one or a server error is no refusal (the unmount may still run), and the
    task fails there, starting no job.
  - Unlike M(vapix.edge_storage.axis_disk), this module does not declare a state; it runs the job each
    time. The task reports C(changed) whenever it unmounted, mounted, repaired or formatted the disk.
  - A check that finds file system errors is a finding, not a failure - RV(clean) is V(false) and
    RV(findings) holds the camera's description. A repair or format that ends in error fails the task,
    after the disk has been mounted again where it was mounted before; the message holds the camera's
    description (a failed task returns none of RV(findings), RV(clean), RV(status_before) or RV(status_after)).
  - Everything the camera would refuse is checked before the first write - unknown or disconnected
    disk, a check or repair of anything but an ext4 SD card, a repair or format of a locked disk, an
    encrypted disk the camera cannot open, a file system the disk cannot hold.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
  - vapix.edge_storage.attributes.action_module
attributes:
  idempotent:
    support: none
    details:
      - Every run runs the job again. A repair or a format, and the unmount and mount around a check of a mounted
        disk, are reported as changes on every run.
options:
  disk_id:
    description:
      - The disk, as C(disks/list.cgi) names it, for example V(SD_DISK) or V(NetworkShare).
    type: str
    aliases: [disk]
    required: true
  action:
    description:
      - V(check) checks the file system and changes nothing on it. Only an SD card with ext4 can be checked.
      - V(repair) repairs the file system; damaged files may be dropped, so it needs O(allow_data_loss=true).
        Only an SD card with ext4 can be repaired.
      - V(format) formats the disk - also when it already holds the file system, which wipes it - and
        erases every recording on it; it needs O(allow_data_loss=true). Formatting the V(NetworkShare)
        disk with V(cifs) removes the recordings this camera made on the share; files other cameras
        or users put there stay.
    type: str
    required: true
    choices: [check, repair, format]
  filesystem:
    description:
      - File system for O(action=format). Default - the file system the disk holds now; when the camera names
        none (a card it cannot read), the task fails before any write and asks for this option.
      - The disk's capabilities (C(getcapabilities.cgi)) must list it; SD cards take V(ext4) or V(vfat),
        the network share V(cifs).
      - >-
        On a mounted disk with a required file system (M(vapix.edge_storage.axis_disk) option
        O(vapix.edge_storage.axis_disk#module:required_filesystem)), another file system is refused before any
        write, check mode included: the camera would format the disk back to the required one when the run
        mounts it again.
    type: str
    choices: [ext4, vfat, cifs]
  allow_data_loss:
    description:
      - Allow O(action=repair) and O(action=format), which may lose or do erase recordings.
      - Without it such a task fails before any write and says why; in check mode the steps are
        returned marked C([destructive; needs allow_data_loss]) and listed in RV(needs_allow_data_loss).
    type: bool
    default: false
  job_timeout:
    description:
      - Seconds to wait for each job (unmount, the check, repair or format, mount) to finish.
      - A job that is still running then fails the task; it may still finish on the camera.
    type: int
    default: 600
notes:
  - In check mode the disk is read and the steps are returned; no job is started and nothing is unmounted.
  - Checking a large card takes minutes; raise O(job_timeout) rather than retrying, since a new check
    cannot start while the camera still runs the old one.
seealso:
  - module: vapix.edge_storage.axis_disk
  - module: vapix.edge_storage.axis_storage_info
"""

EXAMPLES = r"""
# Connection options come from module_defaults, as in the first example of vapix.edge_storage.axis_edge_storage.

- name: Check the file system (unmounts and mounts the card again)
  vapix.edge_storage.axis_disk_job:
    disk_id: SD_DISK
    action: check
    job_timeout: 1800
  register: sd_check

- name: Repair the card where the check found errors (damaged files may be lost)
  vapix.edge_storage.axis_disk_job:
    disk_id: SD_DISK
    action: repair
    allow_data_loss: true
    job_timeout: 1800
  when: not sd_check.clean

- name: Wipe a card handed over to another site - format it with ext4, even though it holds ext4 already
  vapix.edge_storage.axis_disk_job:
    disk_id: SD_DISK
    action: format
    filesystem: ext4
    allow_data_loss: true
"""

RETURN = r"""
action:
  description: The action run (or, in check mode, planned).
  returned: success
  type: str
  sample: check
disk_id:
  description: The disk.
  returned: success
  type: str
  sample: SD_DISK
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
    - "unmount disk SD_DISK (recording to it stops until it is mounted again)"
    - "check the file system of disk SD_DISK (checkdisk.cgi)"
    - "mount disk SD_DISK again"
needs_allow_data_loss:
  description:
    - The steps of RV(steps) that destroy recordings and were planned without C(allow_data_loss=true); empty
      when none. Check mode lists them and warns; a real run refuses them before any write and fails with
      C(error_class=needs_allow_data_loss).
  returned: success, and on failure with error_class needs_allow_data_loss
  type: list
  elements: str
status_before:
  description:
    - The disk's status (C(disks/list.cgi)) before the run, in lower case as M(vapix.edge_storage.axis_storage_info)
      gives it, for example V(ok) or V(failed).
  returned: success
  type: str
  sample: failed
status_after:
  description: The disk's status after the run, in lower case; null in check mode.
  returned: success
  type: str
  sample: ok
findings:
  description:
    - The job's last answer from C(disks/job.cgi) - C(action), C(job_id), C(result) (C(OK) or C(ERROR)),
      C(description) (for a check that found errors, what the camera found) and C(progress).
    - Null in check mode.
  returned: success
  type: dict
  sample: {"action": "checkdisk", "job_id": "7", "result": "ERROR", "progress": 100,
           "description": "File system errors found, repair the disk"}
clean:
  description: Whether the job ended without an error (for a check - whether the file system is sound); null in check mode.
  returned: success
  type: bool
  sample: false
failed_step:
  description:
    - The step that failed; null when the run failed before its first step (while reading or planning).
    - A failed step whose write the camera never answered, or whose job was still running at its timeout, may
      have changed the camera.
  returned: failure
  type: str
completed_steps:
  description:
    - The steps done before the failure, each of which may have changed the camera; empty when the run failed
      before its first step.
    - After a failed job they include mounting the disk again, when that worked.
  returned: failure
  type: list
  elements: str
not_run_steps:
  description:
    - The planned steps that did not run because of the failure.
  returned: failure
  type: list
  elements: str
requests:
  description:
    - Number of HTTP requests this run sent to the camera.
  returned: success
  type: int
  sample: 12
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
