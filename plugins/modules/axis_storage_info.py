#!/usr/bin/python
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: axis_storage_info
short_description: Read the edge storage of an Axis camera for audits and inventories
version_added: 0.1.0
author: vapix.edge_storage developers (@vapix-edge-storage)
description:
  - Reads, and never changes, what an Axis camera knows about its edge storage - the device model and
    firmware, storage capabilities, disks and their settings, disk health, network shares, recording
    storage limits, continuous recording profiles and recording groups.
  - >-
    A part the camera's firmware does not support is reported as C({supported: false, reason: ...}),
    never as a failure, so one audit runs across old and new firmware alike.
  - >-
    A part the camera answers with an error or a damaged answer fails the task, and the message names that
    part and how to gather the others without it (for example C(['all', '!limits'])).
  - Network share passwords are never returned; the camera does not hand them out.
  - >-
    What it returns speaks the modules' language - a share's C(name) and C(share_username), a disk's
    C(state), a storage limit's C(size), a group's C(retention_hours) (an alias of O(vapix.edge_storage.axis_recording_group#module:retention)),
    stream options in the form the modules send - so each share, disk, limit, profile and group can be given
    back to its module or to M(vapix.edge_storage.axis_edge_storage) after leaving out the keys that are no
    option (such as C(total_kb), C(status) or a profile's number), and a camera read this way changes nothing.
    Passwords cannot be read back; M(vapix.edge_storage.axis_share) leaves the stored one alone unless told
    to send one.
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
  - vapix.edge_storage.attributes.info_module
options:
  gather_subset:
    description:
      - Which parts to read; each part asks the camera only what it needs, so a narrow subset is faster.
      - V(all) reads every part. Prefix a part with C(!) to leave it out, for example C(['all', '!health']);
        a list of exclusions only means "all but these".
      - V(device) reads C(param.cgi) (Brand, Properties) and returns RV(device).
      - V(capabilities) reads C(param.cgi) (Properties) and C(apidiscovery.cgi); returns RV(capabilities).
      - V(disks) reads C(disks/list.cgi) and C(param.cgi) (Storage); returns RV(disks).
      - V(health) reads C(param.cgi) (Properties), C(apidiscovery.cgi), C(disks/gethealth.cgi), C(disks/list.cgi),
        C(disks/getcapabilities.cgi) for each disk and C(disks/properties/getdiskalertlevels.cgi) for each local
        disk; returns RV(health), RV(disk_capabilities) and RV(alert_levels).
      - V(shares) reads C(param.cgi) (Properties) and C(disks/networkshare/list.cgi); returns RV(network_shares).
      - V(limits) reads C(param.cgi) (Properties) and C(record/storage/getlimit.cgi); returns RV(storage_limits).
      - V(profiles) reads C(param.cgi) (Properties) and C(record/continuous/listconfiguration.cgi); returns
        RV(continuous_profiles).
      - V(groups) reads C(record/recording_group/list.cgi); returns RV(recording_groups).
      - V(share_tests) is not part of V(all) - name it, for example C([all, share_tests]). It runs the camera's
        share test (C(disks/networkshare/test.cgi), polled with C(job.cgi)) for each share the camera holds, with
        the share's stored settings, and returns RV(share_tests). The test mounts the share, writes and reads
        back a file and stores nothing; it takes a few seconds per share.
      - Choices are V(all), V(device), V(capabilities), V(disks), V(health), V(shares), V(limits), V(profiles),
        V(groups), V(share_tests), each optionally prefixed with C(!).
    type: list
    elements: str
    default: [all]
  share_test_timeout:
    description:
      - Seconds to wait for each share test of V(share_tests) to finish, at least 1; a test still running then
        is reported as not passed, its C(reason) naming this option.
    type: int
    default: 120
notes:
  - C(param.cgi) is asked once per run for all the property groups the chosen parts need.
seealso:
  - module: vapix.edge_storage.axis_storage_limit
  - module: vapix.edge_storage.axis_edge_storage
"""

EXAMPLES = r"""
# Connection options come from module_defaults, as in the first example of vapix.edge_storage.axis_edge_storage.

- name: Read everything
  vapix.edge_storage.axis_storage_info:
  register: storage

- name: Warn about worn SD cards
  ansible.builtin.debug:
    msg: "{{ inventory_hostname }}: SD card wear {{ storage.health.disks.SD_DISK.wear }} %"
  when:
    - storage.health.supported
    - storage.health.disks.SD_DISK.wear | default(-1) >= 80

- name: Only disks and storage limits (three requests)
  vapix.edge_storage.axis_storage_info:
    gather_subset: [disks, limits]
  register: quick

- name: Everything but the per-disk health and capabilities
  vapix.edge_storage.axis_storage_info:
    gather_subset: ["!health"]

- name: Can each camera still reach its NAS? (runs the share test, changes nothing)
  vapix.edge_storage.axis_storage_info:
    gather_subset: [share_tests]
  register: reach
"""

RETURN = r"""
gathered_subsets:
  description: The parts read, in a fixed order.
  returned: success
  type: list
  elements: str
  sample: [device, disks, limits]
device:
  description:
    - The camera's model and firmware, from the Brand and Properties.Firmware parameters; keys the camera
      leaves empty are left out.
  returned: when O(gather_subset) includes V(device)
  type: dict
  sample:
    brand: AXIS
    model: AXIS Companion Bullet LE
    full_name: AXIS Companion Bullet LE Network Camera
    product_number: C Bullet LE
    product_type: Network Camera
    firmware_version: 9.80.2.2
    firmware_build_date: Jul 09 2020 08:35
    firmware_build_number: "36"
capabilities:
  description: What the firmware says it supports.
  returned: when O(gather_subset) includes V(capabilities)
  type: dict
  contains:
    local_storage:
      description:
        - Properties.LocalStorage in snake_case, yes/no as booleans, counts as integers; only the keys the
          firmware has (5.51 has no C(storage_limit), C(disk_encryption), C(disk_health), ...).
      type: dict
      sample: {local_storage: true, sd_card: true, storage_limit: true, disk_encryption: true,
               nbr_of_continuous_recording_profiles: 1, version: "1.00"}
    network_share:
      description: Properties.NetworkShare in the same form.
      type: dict
      sample: {network_share: true, cifs: true, ipv6: true, name_lookup: true}
    apis:
      description:
        - API id to version from the API discovery service, or V(null) on firmware without it.
      type: dict
      sample: {disk-management: "1.0", disk-properties: "1.1", recording-storage-limit: "1.0"}
    apis_note:
      description: Why RV(capabilities.apis) is V(null).
      type: str
      returned: when RV(capabilities.apis) is V(null)
disks:
  description:
    - Each disk by disk id, merging C(disks/list.cgi) with the Storage.S# parameters. Only keys the firmware
      reports are present.
    - Sizes are kilobytes of 1024 bytes (C(*_kb)) with the same value in words next to them.
    - C(status) is the camera's status in lower case (V(ok), V(disconnected), V(failed), V(connected),
      V(not encrypted), V(no passphrase), V(wrong passphrase)); C(mounted) is whether it is V(ok), and C(state)
      says the same as O(vapix.edge_storage.axis_disk#module:state) does (V(mounted) or V(unmounted)). Status
      V(failed) does not tell whether the disk is mounted (a mounted card with file system errors has it), so
      both are V(null) then.
    - Storage parameter groups the camera lists no disk for (such as C(NetworkShareN0)) have no C(status).
    - Empty on a device without local storage (a video encoder or I/O module - its properties do not say
      C(LocalStorage=yes) and it has no C(disks/list.cgi)); C(capabilities.local_storage) is then empty too.
  returned: when O(gather_subset) includes V(disks)
  type: dict
  sample:
    SD_DISK:
      disk_id: SD_DISK
      group: S0
      status: ok
      mounted: true
      state: mounted
      filesystem: ext4
      total_kb: 116109036
      total: 110.73 GiB
      free_kb: 63126240
      free: 60.2 GiB
      used_kb: 52982796
      used: 50.53 GiB
      cleanup_policy: fifo
      cleanup_max_age: 7000
      locked: false
      full: false
      readonly: false
      required_filesystem: none
      encryption_enabled: false
      encrypted: false
      mount_on_boot: true
      auto_repair: true
      enabled: true
      mount_point_permissions: "0770"
      friendly_name: ""
      device_node: /dev/mmcblk0p1
health:
  description:
    - Health of each disk by disk id - C(wear) in percent as the camera reports it (negative when it cannot
      tell - V(-1) not supported for the disk, V(-2) an error, V(-3) no disk present; V(null) when the answer
      has none), C(axis_card), C(temperature_k) in kelvin or V(null), and C(overall_health) V(passed), V(fail)
      or V(null).
    - C(axis_card) is V(true) for an Axis SD card (wear 0 or more), V(false) when the wear says the disk is not
      one (V(-1)), and V(null) when the camera does not say (no wear, V(-2) or V(-3)).
    - >-
      C({supported: false, reason}) on firmware without disk health.
  returned: when O(gather_subset) includes V(health)
  type: dict
  sample: {supported: true, disks: {SD_DISK: {wear: 3, axis_card: true, temperature_k: null, overall_health: null}}}
disk_capabilities:
  description:
    - Per disk - the file systems it can be formatted with, which of them can be required, and whether it
      supports a required file system and encryption.
    - >-
      C({supported: false, reason}) on firmware without C(getcapabilities.cgi).
  returned: when O(gather_subset) includes V(health)
  type: dict
  sample:
    supported: true
    disks:
      SD_DISK: {disk_id: SD_DISK, filesystems: [vfat, ext4], required_filesystems: [ext4],
                required_fs_supported: true, encryption_supported: true}
alert_levels:
  description:
    - The alert levels of each local disk (not the NetworkShare) by disk id - C(wear) in percent and
      C(temperature) in kelvin; the camera raises a disk alert when the card reaches either.
    - >-
      C({supported: false, reason}) on firmware without version 1.1 of the disk-properties API.
  returned: when O(gather_subset) includes V(health)
  type: dict
  sample: {supported: true, disks: {SD_DISK: {wear: 90, temperature: 358}}}
network_shares:
  description:
    - Network shares by share id, in the option names of M(vapix.edge_storage.axis_share) - C(name) (the nice
      name), C(share_id), C(address), C(share), C(share_username), C(bound) - and C(disk_id), the disk a bound
      share appears as (V(null) when not bound); never a password.
  returned: when O(gather_subset) includes V(shares)
  type: dict
  sample:
    supported: true
    shares:
      nas1: {name: nas1, share_id: nas1, address: nas.example.com, share: cameras, share_username: cam,
             bound: true, disk_id: NetworkShare}
storage_limits:
  description:
    - Recording storage limit of each disk - C(disk_id), C(size_kb) (0 means no limit), C(size) in words that
      read back as exactly C(size_kb) (V(500 GiB), V(1048577 KiB)) or V(no limit), as
      O(vapix.edge_storage.axis_storage_limit#module:size) takes it, C(limited), and the space recordings use,
      C(used_kb) and C(used).
    - >-
      C({supported: false, reason}) on firmware without the storage limit API (before AXIS OS 5.70).
  returned: when O(gather_subset) includes V(limits)
  type: dict
  sample:
    supported: true
    disks:
      NetworkShare: {disk_id: NetworkShare, size_kb: 524288000, size: 500 GiB, limited: true, used_kb: 553324,
                     used: 540.36 MiB}
      SD_DISK: {disk_id: SD_DISK, size_kb: 0, size: no limit, limited: false, used_kb: 661324, used: 645.82 MiB}
continuous_profiles:
  description:
    - Continuous recording profiles (profile number, disk, event id, stream options in the canonical form
      M(vapix.edge_storage.axis_continuous_profile) compares and sends) and how many the camera can hold
      (C(max_profiles), null when the camera does not state it as a whole number).
  returned: when O(gather_subset) includes V(profiles)
  type: dict
  sample:
    supported: true
    max_profiles: 1
    profiles: [{profile: 1, disk_id: SD_DISK, event_id: continuous, options: "fps=15&resolution=1280x720"}]
recording_groups:
  description:
    - C(supported) and C(groups), the recording groups by id - C(group_id), C(disk_id), C(nice_name),
      C(description), C(retention_hours), C(stream_options) (canonical form), C(pre_duration_ms),
      C(post_duration_ms) - each the name of an option (or alias) of M(vapix.edge_storage.axis_recording_group).
    - A field the camera leaves out of its list is null (unknown), never an empty string or the default stream.
    - >-
      C({supported: false, reason}) on firmware without the recording group API.
  returned: when O(gather_subset) includes V(groups)
  type: dict
  sample:
    supported: true
    groups:
      retention-7d: {group_id: retention-7d, disk_id: SD_DISK, nice_name: Seven days, description: "",
                     retention_hours: 168, stream_options: "fps=25&resolution=1920x1080", pre_duration_ms: 5000,
                     post_duration_ms: 10000}
share_tests:
  description:
    - Per share id, whether the camera's share test C(passed). V(false) when the test found the share failing,
      with the device's C(code) (700 host name not found, 710 mounting failed, 740 cannot write, 750 cannot
      read back, 760 cannot connect); null when the test could not be run or did not end (no answer, a refusal,
      a damaged answer, the camera busy with code 730 or failing with 720), which says nothing about the share.
      For both, C(reason) is the whole message with the camera's own text and C(error_class) its class
      (C(device) for a code, else as for a failed task); both are null for a test that passed.
    - C(supported) is V(false) with a C(reason) on a camera without network shares.
  returned: when O(gather_subset) names V(share_tests)
  type: dict
  sample:
    supported: true
    shares:
      nas1:
        passed: false
        code: 760
        error_class: device
        reason: >-
          disk-network-share disks/networkshare/job.cgi?schemaversion=1&jobid=1 failed with device error 760:
          Problem connecting to the share. (share test: the camera could not connect to the NAS (check address,
          firewall, SMB version))
requests:
  description:
    - Number of HTTP requests this run sent to the camera.
  returned: success
  type: int
  sample: 9
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
