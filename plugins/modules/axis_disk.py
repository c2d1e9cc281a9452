#!/usr/bin/python
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: axis_disk
short_description: Manage the settings, file system and mount state of one disk of an Axis camera
version_added: 0.1.0
author: vapix.edge_storage developers (@vapix-edge-storage)
description:
  - Makes one disk of an Axis camera (the SD card C(SD_DISK), the C(NetworkShare) disk of a bound
    network share, ...) match the declared settings, file system and mount state.
  - Only the options you set are compared and changed; everything else on the disk is left as it is.
  - Settings go through the disk's C(param.cgi) C(Storage.S#) parameters, all of them in one request,
    O(cleanup_policy) and O(cleanup_max_age) included. O(required_filesystem) uses C(setrequiredfs.cgi)
    when apidiscovery lists C(disk-properties), and C(param.cgi) otherwise; O(alert_levels) needs
    C(disk-properties) 1.1 or later. Firmware without apidiscovery (5.x) gets C(param.cgi) for every setting.
  - Steps run in this order - unlock, format, settings, alert levels, lock, mount or unmount. A locked disk
    cannot be formatted, and mount point permissions, extra mount options and the required file system
    take effect when the disk is mounted.
  - Every check that could refuse the task (unknown disk, option the firmware lacks, file system the disk
    cannot use, format without O(allow_data_loss), locked disk) happens before the first write.
  - Old firmware lacks some parameters (5.51 has no C(Enabled), C(AutoRepair), C(RequiredFileSystem),
    C(MountPointPermissions) or C(ExtraMountOptions)); declaring one of those fails with a clear
    "not supported" message, leaving them out works.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
  - vapix.edge_storage.attributes.resource_module
options:
  disk_id:
    description:
      - The disk, as C(disks/list.cgi) names it, for example V(SD_DISK) or V(NetworkShare).
      - An id the camera does not have fails with the list of disks it has.
    type: str
    aliases: [disk]
    required: true
  friendly_name:
    description:
      - User-friendly name of the disk (C(Storage.S#.FriendlyName)).
      - A value that starts or ends with white space, or holds a line break, is refused before any request
        (the camera's answers cannot give it back as sent, so it would never match and would be written again
        on every run).
      - A value that holds a control character other than tab (such as U+0007, BEL) is refused before any request
        too; XML cannot carry it, so the camera would list it in answers that no later run could read.
    type: str
  cleanup_policy:
    description:
      - V(fifo) deletes recordings older than O(cleanup_max_age) days automatically; V(none) keeps them
        until they are removed by hand (or the disk runs full).
    type: str
    choices: [fifo, none]
  cleanup_max_age:
    description:
      - Days unlocked recordings are kept with O(cleanup_policy=fifo), from 0 to 7000.
    type: int
  mount_on_boot:
    description:
      - Whether the camera mounts the disk when it starts.
    type: bool
  auto_repair:
    description:
      - Whether the file system is checked, and repaired if needed, before the disk is mounted.
    type: bool
  required_filesystem:
    description:
      - File system the camera enforces on the disk (called autoformat in the camera's web interface);
        V(none) turns the enforcement off.
      - The disk's capabilities (C(getcapabilities.cgi)) must allow the file system.
      - When the disk holds another file system, the camera formats it at the next mount and erases its
        recordings, so setting it then needs O(allow_data_loss=true) and the step is marked destructive.
    type: str
    choices: [none, ext4]
  mount_point_permissions:
    description:
      - Permissions of the mount point (ext4 only) as a quoted octal string, V('0770') or V('770');
        both are stored and compared as V('0770').
      - Quote the value; YAML reads an unquoted C(0770) as the number 504, which is refused.
    type: raw
  extra_mount_options:
    description:
      - Additional mount options, for example C(vers=3.0) to pick the SMB version of a network share.
      - A value that holds a line break is refused before any request (the camera's answers cannot give it
        back as sent, so it would never match and would be written again on every run); separate options with
        commas. White space around the value is kept and compared as it is.
    type: str
  enabled:
    description:
      - Whether the disk may be used. The camera applies a change after its next restart.
      - V(false) cannot be combined with O(state=mounted).
    type: bool
  locked:
    description:
      - Lock (C(disks/lock.cgi)) the disk so that recordings stop and nothing is written or removed, or unlock it.
      - A locked disk cannot be formatted; declare V(false) together with O(filesystem) to unlock it first.
    type: bool
  alert_levels:
    description:
      - Levels at which the camera sends a storage alert event for the disk. Set one or both.
      - Needs the C(disk-properties) API 1.1 or later.
    type: dict
    suboptions:
      wear:
        description:
          - Wear level, 0 or more.
        type: int
      temperature:
        description:
          - Temperature in Kelvin, 0 or more.
        type: int
  state:
    description:
      - V(mounted) mounts the disk (C(disks/mount.cgi)), V(unmounted) unmounts it so it can be removed safely.
      - Not set, the mount state is left as it is.
      - The mount and unmount jobs are polled until they end, at most O(job_timeout) seconds.
      - A mount the camera formats at (the disk's required file system differs from the one it holds, or an
        encrypted card's status needs a format) is marked destructive and needs O(allow_data_loss=true). A card
        the camera cannot mount as it is (status C(wrong passphrase); C(no passphrase) or C(not encrypted)
        without a required file system), and a declared O(filesystem) the mount would format away, are refused
        before any write, check mode included.
      - Status C(failed) does not tell whether the disk is mounted (a mounted card with file system errors has
        it too), so V(unmounted) sends the unmount on every run while the status is C(failed); the camera's
        refusal then means the disk was not mounted and is no failure (an unmount start with no answer, a damaged
        one or a server error is no refusal - the job may still run - and fails the task). RV(before) and
        RV(after) show its state as null, unknown. M(vapix.edge_storage.axis_disk_job) checks and repairs such a disk.
    type: str
    choices: [mounted, unmounted]
  filesystem:
    description:
      - File system the disk must hold. When it holds another one the disk is formatted
        (C(disks/format.cgi)), which erases every recording on it; that needs O(allow_data_loss=true).
      - The disk's capabilities must list the file system.
    type: str
    choices: [ext4, vfat, cifs]
  wipe:
    description:
      - Format the disk with O(filesystem) even when it holds that file system already, erasing every
        recording on it (for example a card handed over to another site). Needs O(allow_data_loss=true).
      - Every run with V(true) formats again, so use it in a task of its own, not in a configuration
        that is applied repeatedly. M(vapix.edge_storage.axis_disk_job) with O(vapix.edge_storage.axis_disk_job#module:action=format)
        does the same as a one-off action.
      - For the V(NetworkShare) disk, V(cifs) removes the recordings this camera made on the share; files
        others put there stay.
    type: bool
    default: false
  allow_data_loss:
    description:
      - Allow a format (O(filesystem), O(wipe)), or a required file system or a mount that makes the camera format
        the disk (O(required_filesystem), O(state=mounted)); each erases every recording on the disk.
      - Without it check mode shows such a step marked C([destructive; needs allow_data_loss]) (the task is
        changed and warns), and a real run refuses it before any write.
      - C(allow_format) is the old name of this option. A task that gives both with different values is refused
        before any request.
    type: bool
    default: false
    aliases: [allow_format]
  job_timeout:
    description:
      - Seconds to wait for each format, mount or unmount job of the camera to finish.
    type: int
    default: 600
notes:
  - In check mode the steps, with the format marked C([destructive]), are returned without any write.
seealso:
  - module: vapix.edge_storage.axis_share
  - module: vapix.edge_storage.axis_edge_storage
"""

EXAMPLES = r"""
# Connection options come from module_defaults, as in the first example of vapix.edge_storage.axis_edge_storage.

- name: Name the SD card and keep 30 days of recordings
  vapix.edge_storage.axis_disk:
    disk_id: SD_DISK
    friendly_name: SD card
    cleanup_policy: fifo
    cleanup_max_age: 30
    mount_point_permissions: "0770"
    alert_levels:
      wear: 90
      temperature: 358

- name: Move the SD card to ext4 (erases its recordings) and enforce it from now on
  vapix.edge_storage.axis_disk:
    disk_id: SD_DISK
    filesystem: ext4
    required_filesystem: ext4
    allow_data_loss: true
    job_timeout: 900

- name: Record to the NAS with SMB 3 and a week of retention
  vapix.edge_storage.axis_disk:
    disk_id: NetworkShare
    extra_mount_options: vers=3.0
    cleanup_policy: fifo
    cleanup_max_age: 7

- name: Wipe the recordings of the network share this camera made (other files stay)
  vapix.edge_storage.axis_disk:
    disk_id: NetworkShare
    filesystem: cifs
    wipe: true
    allow_data_loss: true

- name: Unmount the SD card before it is swapped
  vapix.edge_storage.axis_disk:
    disk_id: SD_DISK
    state: unmounted
"""

RETURN = r"""
steps:
  description:
    - What the run did, one sentence a step, in order; in check mode, what it would do. Empty when there is
      nothing to do.
    - A step that destroys recordings ends in C([destructive]), or in check mode without
      C(allow_data_loss=true) in C([destructive; needs allow_data_loss]).
    - Each step names the request it uses (a Disk properties CGI or C(param.cgi Storage.S#)).
  returned: success
  type: list
  elements: str
  sample:
    - "format disk SD_DISK from vfat to ext4, erasing every recording on it [destructive]"
    - "set friendly_name '' -> 'SD card', cleanup_max_age 7000 -> 30 of disk SD_DISK (param.cgi Storage.S0)"
    - "set required_filesystem none -> ext4 of disk SD_DISK (setrequiredfs.cgi)"
before:
  description:
    - What the task manages as it was before the run, keyed by resource; never a secret.
    - The declared fields of the disk before the run, keyed by C(disk <disk_id>).
  returned: success
  type: dict
  sample: {"disk SD_DISK": {"cleanup_max_age": 7000, "friendly_name": ""}}
after:
  description:
    - The same fields after the run as the camera reports them when read again (in check mode, as
      predicted), keyed like RV(before).
  returned: success
  type: dict
  sample: {"disk SD_DISK": {"cleanup_max_age": 30, "friendly_name": "SD card"}}
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
  sample: 6
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
