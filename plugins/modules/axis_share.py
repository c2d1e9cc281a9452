#!/usr/bin/python
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: axis_share
short_description: Declare the network share (NAS) an Axis camera records to
version_added: 0.1.0
author: vapix.edge_storage developers (@vapix-edge-storage)
description:
  - Adds, changes, binds, unbinds and removes one network share (SMB/CIFS) of an Axis camera
    through the VAPIX network share API, so that the camera holds exactly what is declared.
  - The share is found by O(share_id) when given, otherwise by its nice name O(name), otherwise by
    the share id this module derives from O(name). A share this module adds gets that derived id,
    so re-runs (and other tools that know the rule) find the same share.
  - A nice name is compared as text, whatever way its accents are written (composed or as combining
    characters, NFC or NFD), so V(Büro) written either way finds the same share and renames nothing.
  - The derived id is O(name) itself when O(name) holds only letters, digits and C(-) (the
    characters the camera allows in an id), for example V(nas1). Any other name becomes its
    allowed characters joined by C(-) (at most 24) plus C(-) and the first 8 hex digits of the
    SHA-256 of the name, for example V(Site NAS) becomes C(Site-NAS-) followed by 8 hex digits.
  - The camera's rules are followed in order. Only the nice name of a bound share can be changed in
    place (one modify). Any other change to a bound share is unmount, unbind, modify, then bind
    again, which mounts the share. A bound share is removed with unmount, unbind, remove.
  - One share at a time can be bound to the camera's network share disk. Binding while another
    share holds it fails before any change, naming that share, unless O(replace_bound=true).
  - Only the fields you set are compared; a second run with the same options changes nothing
    (except with O(update_password=always), see there).
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
  - vapix.edge_storage.attributes.resource_module
attributes:
  idempotent:
    support: partial
    details:
      - Not with O(update_password=always), which sends the password and reports C(changed) on every run.
options:
  name:
    description:
      - The share's nice name, the name the camera shows for it.
      - When the share is found by O(share_id) and its nice name differs, it is renamed.
      - When adding a share without O(name), its nice name is its share id.
      - At least one of O(name) and O(share_id) is required.
      - A value that starts or ends with white space, or holds a line break, is refused before any request
        (the camera's answers cannot give it back as sent, so it would never match and would be written again
        on every run).
      - A value that holds a control character other than tab (such as U+0007, BEL) is refused before any request
        too; XML cannot carry it, so the camera would list it in answers that no later run could read.
    type: str
  share_id:
    description:
      - The camera's id of the share; letters, digits and C(-) only.
      - Leave it out to find the share by O(name) and to derive the id of a share this module adds
        (see the description).
    type: str
  address:
    description:
      - Host name or IP address of the NAS (no port, path or other characters; checked before any request).
      - Required, with O(share), to add a share.
      - Compared without regard to case (host names are case-insensitive), so V(NAS.example.com) leaves a
        share listed with V(nas.example.com) as it is; an address that changes is sent as written.
    type: str
  share:
    description:
      - Name of the share on the NAS.
      - Required, with O(address), to add a share.
      - A value that starts or ends with white space, or holds a line break, is refused before any request
        (the camera's answers cannot give it back as sent, so it would never match and would be written again
        on every run).
      - A value that holds a control character other than tab (such as U+0007, BEL) is refused before any request
        too; XML cannot carry it, so the camera would list it in answers that no later run could read.
    type: str
  share_username:
    description:
      - User the camera logs in to the share with.
      - Named C(share_username) because O(username) is the camera user.
      - A value that starts or ends with white space, or holds a line break, is refused before any request
        (the camera's answers cannot give it back as sent, so it would never match and would be written again
        on every run).
      - A value that holds a control character other than tab (such as U+0007, BEL) is refused before any request
        too; XML cannot carry it, so the camera would list it in answers that no later run could read.
    type: str
  share_password:
    description:
      - Password of O(share_username) on the NAS.
      - Write-only. The camera never returns it, so the module cannot compare it; it is never shown in
        the result, diff, steps or error messages. When it is sent is decided by O(update_password).
    type: str
  update_password:
    description:
      - V(on_create) sends O(share_password) when the share is added, and together with a change of
        O(address), O(share) or O(share_username) (the camera then connects somewhere else, and the
        declared password belongs to the declared connection). It is never sent on its own, so an
        unchanged share stays unchanged, and a rename alone does not send it. Without O(share_password)
        the camera keeps the password it has.
      - V(always) sends O(share_password) on every run. The module cannot tell whether the password
        changed, so every run modifies the share and reports C(changed). For a bound share each run is
        then unmount, unbind, modify, share test (see O(test_share)) and bind, which interrupts
        recording to the share for a moment. Use it for one run after changing the password on the
        NAS, not permanently.
    type: str
    choices: [always, on_create]
    default: on_create
  bound:
    description:
      - Whether the share is bound to the camera's network share disk (so recordings can go to it).
        Binding mounts the share.
      - V(false) unmounts and unbinds a bound share.
      - Leave it out to keep the current binding (a share this module adds is then left unbound).
    type: bool
  state:
    description:
      - V(present) adds or changes the share; V(absent) removes it (after unmounting and unbinding it
        when bound). Removing a share does not delete recordings on the NAS.
    type: str
    choices: [present, absent]
    default: present
  test_share:
    description:
      - Run the camera's share test (it mounts the share, writes and reads back) before a share is bound
        (a new share, a share on the camera that is not bound yet, or a share whose O(address), O(share),
        O(share_username) or password changes, bound again), since the bind mounts the share and a mount
        that fails leaves the network share disk failed.
      - The test runs before any change, also before the removal of other shares with O(exclusive=true), so a
        failing test (for example device code 700, host name not found; 710 or 760, cannot connect; 740, cannot
        write) fails the task with the device's code and leaves the camera as it was.
      - A share that ends up unbound is not tested. Check mode never runs the test; the planned steps
        list it.
    type: bool
    default: true
  automatic_mount:
    description:
      - Whether the camera mounts the NetworkShare disk right after this module binds the share
        (C(bind.cgi) C(automaticmount)). With V(false) the disk stays unmounted until it is mounted, for
        example with M(vapix.edge_storage.axis_disk) O(vapix.edge_storage.axis_disk#module:state=mounted)
        after its settings are made.
      - Applies only when the task binds the share (a new binding, or a rebinding after a connection change);
        the camera does not report the setting, so it is not compared.
    type: bool
    default: true
  replace_bound:
    description:
      - When another share holds the network share disk and this share is to be bound, unmount and
        unbind that other share first (it stays on the camera). That happens right before the bind, after the
        share test and after this share is added or changed, so a refused add or change leaves the other share
        bound.
      - With the default V(false), the task fails before any change and names the other share and its
        address.
    type: bool
    default: false
  exclusive:
    description:
      - Remove every other share on the camera (unmounting and unbinding the bound one first), so the
        declared share is the only one; for GitOps-style declarations.
      - Run with C(--check) first; the steps and the diff list every share that would be removed.
    type: bool
    default: false
  job_timeout:
    description:
      - Seconds to wait for each asynchronous job of the camera (share test, unmount).
    type: int
    default: 120
seealso:
  - module: vapix.edge_storage.axis_disk
    description: Settings of the NetworkShare disk a bound share appears as (cleanup policy, max age).
  - module: vapix.edge_storage.axis_edge_storage
    description: Shares, disks and recordings of a camera in one run.
notes:
  - The share password is the only secret; O(password) is the camera user's password and is
    never shown either.
  - A share the camera lists as bound to a local disk (the SD card, or a disk whose file system is not
    a network share's) is refused as a damaged answer before any change, so no local disk is ever
    unmounted for a share. A network share disk with another id than V(NetworkShare) is used as the
    camera names it.
  - When another run or a person removed the share first, the camera refuses this run's removal and the
    module, listing the shares again, fails with C(error_class=concurrent_change); the share is absent
    as declared and the next run has nothing to do for it.
"""

EXAMPLES = r"""
# Connection options come from module_defaults, as in the first example of vapix.edge_storage.axis_edge_storage.

- name: Add the share, test it and bind it to the network share disk
  vapix.edge_storage.axis_share:
    name: nas1
    address: nas.example.com
    share: cameras
    share_username: cam
    share_password: "{{ vault_nas_password }}"
    bound: true

- name: Move to a new NAS (unmount, unbind, modify, test, bind; the password goes with the change)
  vapix.edge_storage.axis_share:
    name: nas1
    address: nas2.example.com
    share: cameras
    share_username: cam
    share_password: "{{ vault_nas2_password }}"
    bound: true

- name: Re-send the password after it was rotated on the NAS (reports changed on every run)
  vapix.edge_storage.axis_share:
    name: nas1
    share_password: "{{ vault_nas_password }}"
    update_password: always

- name: Take over the network share disk from whatever share holds it, and remove all other shares
  vapix.edge_storage.axis_share:
    name: Site NAS
    address: 192.0.2.10
    share: recordings
    share_username: cam
    share_password: "{{ vault_nas_password }}"
    bound: true
    replace_bound: true
    exclusive: true

- name: Remove a share (unmounted and unbound first when bound)
  vapix.edge_storage.axis_share:
    share_id: old-nas
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
    - "test the connection to //nas2.example.com/cameras as user cam (share test, before any change)"
    - "unmount disk NetworkShare (share 'nas1')"
    - "unbind share 'nas1' from disk NetworkShare"
    - "modify share 'nas1': address 'nas.example.com' -> 'nas2.example.com', password sent"
    - "bind share 'nas1' to the network share disk (mounts it)"
before:
  description:
    - What the task manages as it was before the run, keyed by resource; never a secret.
    - The share before the run, keyed by C(share <name or share_id>); with O(exclusive=true) also the other
      shares, keyed by C(shares other than share <name>) and then by share id.
    - Holds the nice name (C(name)), C(share_id), C(address), C(share), C(share_username), C(bound),
      C(disk_id) and C(state); never a password.
  returned: success
  type: dict
  sample:
    share nas1:
      name: nas1
      share_id: nas1
      address: nas.example.com
      share: cameras
      share_username: cam
      bound: true
      disk_id: NetworkShare
      state: present
after:
  description:
    - The same fields after the run as the camera reports them when read again (in check mode, as
      predicted), keyed like RV(before).
  returned: success
  type: dict
  sample:
    share nas1:
      name: nas1
      share_id: nas1
      address: nas2.example.com
      share: cameras
      share_username: cam
      bound: true
      disk_id: NetworkShare
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
  sample: 9
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
