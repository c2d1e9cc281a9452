#!/usr/bin/python
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: axis_encryption
short_description: Encrypt the SD card of an Axis camera, or stop encrypting it
version_added: 0.1.0
author: vapix.edge_storage developers (@vapix-edge-storage)
description:
  - Makes the encryption of a camera disk a declared state. With O(enabled=true) the disk ends up with
    encryption enabled, its content encrypted, and mounted; with O(enabled=false) it ends up unencrypted
    and mounted.
  - The camera turns encryption on or off only while the disk is unmounted, and the disk can be used again
    only after a format. The module therefore runs the whole workflow in order, polling every disk job to
    its end. To enable it unmounts the disk, enables encryption with O(passphrase), formats and mounts.
    To disable it unmounts, disables encryption, formats and mounts.
  - Both workflows format the disk and destroy every recording on it, so the module refuses them, before
    sending any change, unless O(allow_data_loss=true). Check mode shows them either way, marked
    C([destructive; needs allow_data_loss]) without the opt-in.
  - Disk statuses the camera reports in between are reconciled. C(not encrypted) (encryption enabled but
    the disk never formatted) is finished with a format and a mount, which needs O(allow_data_loss=true).
  - A card that is encrypted but unreadable, C(no passphrase) (encryption disabled on the camera) or
    C(wrong passphrase) (encrypted with another passphrase, for example in another camera), is first tried
    with O(passphrase) when O(enabled=true) - disable and enable encryption on the unmounted card, which
    only changes the camera's setting, then mount. If that is the card's passphrase it opens with its
    recordings and no opt-in is needed. If it still does not open, the module formats it when
    O(allow_data_loss=true) and otherwise stops and says so; check mode cannot know in advance which
    happens, and lists the format as conditional. That decision is taken on the disk's status read again
    after the passphrase was set; a read that lacks the encryption state or whose values contradict each other
    (as the plan checks them) stops the task (error class C(damaged_answer)) with what was done so far, and
    neither formats nor mounts the card. With O(enabled=false) such a card needs a format.
  - A disk whose encryption is already as declared but which is unmounted (status C(connected)), as a run whose
    format or mount outlived O(job_timeout) leaves it once the job has ended, is left as it is (this task declares
    encryption, not the mount, and a mount may make the camera format the card for its required file system);
    the task warns that the camera records nothing to it and names M(vapix.edge_storage.axis_disk) with
    O(vapix.edge_storage.axis_disk#module:state=mounted). In M(vapix.edge_storage.axis_edge_storage) a disks
    item that declares the disk's C(state) says whether it is mounted, and there is no warning.
  - A passphrase change is made while the disk is mounted (the module mounts an unmounted disk first) and
    needs the current passphrase in O(old_passphrase); see O(update_passphrase).
  - A locked disk or a missing card is refused before anything is changed, and so is a camera or disk
    that does not support encryption, such as firmware without C(Properties.LocalStorage.DiskEncryption=yes).
  - A disk with status C(failed) (for example after a format that failed) is formatted again by the
    workflows above, which clears that status; a passphrase change on such a disk is refused.
  - If a step fails, the module stops and reports the failed step, the device's error and the state the
    disk is now in; running the task again continues from that state.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
  - vapix.edge_storage.attributes.resource_module
attributes:
  idempotent:
    support: partial
    details:
      - Not with O(update_passphrase=always), which sets the passphrase again on every run where the disk is encrypted.
options:
  disk_id:
    description:
      - The disk whose encryption to manage. Only SD cards support encryption.
    type: str
    aliases: [disk]
    default: SD_DISK
  enabled:
    description:
      - Whether the disk should be encrypted.
    type: bool
    required: true
  passphrase:
    description:
      - The passphrase the camera encrypts the disk with, at most 512 bytes. Required with O(enabled=true).
      - A passphrase of blanks only is refused (it is almost always a template that rendered nothing).
      - The camera never reveals the passphrase it holds, so an already encrypted disk is left as it is
        unless O(update_passphrase=always).
      - Never shown in the diff, the result or any error message.
    type: str
  filesystem:
    description:
      - The file system to format the disk with when the workflow formats it.
      - Defaults to the disk's required file system when one is set, otherwise C(ext4).
      - Must be one of the file systems the disk's capabilities list (SD cards offer C(ext4) and C(vfat)),
        and must match the required file system when one is set.
    type: str
  allow_data_loss:
    description:
      - Allow the steps that format the disk, which are enabling or disabling encryption, finishing the
        C(not encrypted) status, and formatting an encrypted card that O(passphrase) does not open.
      - Formatting destroys every recording on the disk. Without this option check mode marks such steps
        C([destructive; needs allow_data_loss]) and a real run refuses them before sending any request that
        changes the camera, and says why; only trying
        O(passphrase) on an unreadable card happens without it, since that destroys nothing.
      - A passphrase change does not format and does not need this option.
    type: bool
    default: false
  update_passphrase:
    description:
      - V(never) leaves the passphrase of an already encrypted disk alone.
      - V(always) sets O(passphrase) on every run where the disk is encrypted, using O(old_passphrase) as
        the current one. The camera cannot say which passphrase it holds, so the task reports a change
        on every run unless O(old_passphrase) equals O(passphrase). After a successful change, set
        O(old_passphrase) to the new passphrase or go back to V(never); otherwise the next run fails
        with device error 130 (old passphrase does not match).
    type: str
    choices: [never, always]
    default: never
  old_passphrase:
    description:
      - The passphrase the disk is encrypted with now. Required with O(update_passphrase=always).
      - Never shown in the diff, the result or any error message.
    type: str
  job_timeout:
    description:
      - Seconds to wait for each disk job of the workflow (unmount, format, mount) to finish.
    type: int
    default: 600
notes:
  - Enabling or disabling encryption is refused by the camera while the disk is mounted, and a passphrase
    change while it is unmounted; the module orders the steps so that neither happens.
  - In check mode the module reads the camera, plans every step (destructive ones end in
    C([destructive])) and sends no change.
seealso:
  - module: vapix.edge_storage.axis_disk
  - module: vapix.edge_storage.axis_edge_storage
"""

EXAMPLES = r"""
# Connection options come from module_defaults, as in the first example of vapix.edge_storage.axis_edge_storage.

- name: Show what encrypting would do (nothing is changed)
  vapix.edge_storage.axis_encryption:
    enabled: true
    passphrase: "{{ vault_sd_passphrase }}"
    allow_data_loss: true
  check_mode: true
  diff: true

- name: Encrypt the SD card (formats it, its recordings are lost)
  vapix.edge_storage.axis_encryption:
    disk_id: SD_DISK
    enabled: true
    passphrase: "{{ vault_sd_passphrase }}"
    filesystem: ext4
    allow_data_loss: true

- name: Rotate the SD card passphrase without losing recordings
  vapix.edge_storage.axis_encryption:
    enabled: true
    passphrase: "{{ vault_sd_passphrase_2027 }}"
    old_passphrase: "{{ vault_sd_passphrase }}"
    update_passphrase: always

- name: Disable encryption (formats the card)
  vapix.edge_storage.axis_encryption:
    enabled: false
    allow_data_loss: true
    job_timeout: 900
"""

RETURN = r"""
steps:
  description:
    - What the run did, one sentence a step, in order; in check mode, what it would do. Empty when there is
      nothing to do.
    - A step that destroys recordings ends in C([destructive]), or in check mode without
      C(allow_data_loss=true) in C([destructive; needs allow_data_loss]).
    - No passphrase appears here.
  returned: success
  type: list
  elements: str
  sample:
    - unmount SD_DISK
    - enable encryption on SD_DISK with the given passphrase [destructive]
    - format SD_DISK as ext4 [destructive]
    - mount SD_DISK
before:
  description:
    - What the task manages as it was before the run, keyed by resource; never a secret.
    - The disk's encryption state before the run, keyed by C(encryption of <disk_id>).
    - C(enabled) is whether the camera has encryption enabled for the disk, C(encrypted) whether its content
      is encrypted, C(mounted) whether it is mounted and usable.
  returned: success
  type: dict
  sample: {"encryption of SD_DISK": {"enabled": false, "encrypted": false, "mounted": true}}
after:
  description:
    - The same fields after the run as the camera reports them when read again (in check mode, as
      predicted), keyed like RV(before).
  returned: success
  type: dict
  sample: {"encryption of SD_DISK": {"enabled": true, "encrypted": true, "mounted": true}}
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
  sample: 23
state_now:
  description:
    - After a failed step, what the camera holds now, read again, so that the next run can be judged; left out
      when it could not be read.
  returned: failure, when a step failed
  type: str
  sample: >-
    SD_DISK has status 'not encrypted', is unmounted, encryption is enabled and its content is not
    encrypted; running the task again continues from this state
code:
  description:
    - The camera's numeric error code; null when its answer had none.
    - For example 130 for a wrong old passphrase.
  returned: failure, when a request to the camera failed
  type: int
  sample: 130
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
