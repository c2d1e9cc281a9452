# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_disk: reading, validation, write routes (dedicated CGI or param.cgi), step order, refusals."""

from __future__ import annotations

import json

import pytest

from tests.unit.double import FIXTURES, Call, Transcript, module_params, param_list, validation_message

from ansible_collections.vapix.edge_storage.plugins.module_utils import _errors
from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import converge, summarize
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_disk import (
    ARGUMENT_SPEC,
    DiskResource,
    normalise_permissions,
    write_route,
)

MODERN_APIS = {"disk-management": "1.0", "disk-properties": "1.1", "param-cgi": "1.0"}
PROPERTIES = "root.Properties.Firmware.Version=9.80.2.2\nroot.Properties.LocalStorage.LocalStorage=yes\n"
FIRST_READ = ("Properties.LocalStorage", "Properties.NetworkShare", "Properties.Firmware", "Brand", "Storage")
JOB_STARTED = '<root><job action="%s" diskid="SD_DISK" result="OK" jobid="7"/></root>'
JOB_DONE = '<root><job jobid="7" diskid="SD_DISK" action="format" result="OK" progress="100" description="Done"/></root>'
GENERAL_SUCCESS = "<DiskPropertiesResponse><Success><GeneralSuccess/></Success></DiskPropertiesResponse>"
CAPABILITIES = Call("disks/getcapabilities.cgi", {"diskid": "SD_DISK"}).answers_file("disk_capabilities_sd.xml")
ALERT_LEVELS = Call("disks/properties/getdiskalertlevels.cgi", {"schemaversion": 1, "diskid": "SD_DISK"}).answers_file(
    "disk_alert_levels.xml")
JOB_POLL = Call("disks/job.cgi", {"jobid": 7, "diskid": "SD_DISK"}).answers(JOB_DONE)


def fixture(name):
    return (FIXTURES / name).read_text()


def disk_list(fixture_name, replace=None):
    """list.cgi answered with the fixture; replace={old: new} edits it (first occurrence)."""
    text = fixture(fixture_name)
    for old, new in (replace or {}).items():
        text = text.replace(old, new, 1)
    return Call("disks/list.cgi", {"diskid": "all"}).answers(text)


def parameters(storage_fixture):
    return param_list(PROPERTIES + fixture(storage_fixture), *FIRST_READ)


def discovery(apis):
    """apidiscovery.cgi listing apis {id: version} (None: the firmware has no apidiscovery, 404)."""
    call = Call.post("apidiscovery.cgi", {"apiVersion": "1.0", "method": "getApiList"})
    if apis is None:
        return call.answers("<html><body>404 Not Found</body></html>", status=404)
    return call.answers(json.dumps({"apiVersion": "1.0", "data": {"apiList": [
        {"id": api, "version": version} for api, version in sorted(apis.items())]}}))


def modern_reads(replace=None):
    """What reading SD_DISK or NetworkShare asks a 9.80-shaped camera: list.cgi, then the parameters."""
    return [disk_list("disk_list_modern.xml", replace), parameters("disk_params_modern.txt")]


def modern(*calls, **replace):
    """A camera shaped like 9.80 firmware (replace={old: new} edits its list.cgi answer); reads, then calls."""
    return Transcript(*modern_reads(replace), *calls)


def legacy(*calls):
    """A camera shaped like 5.51 firmware: no apidiscovery, no modern Storage keys."""
    return Transcript(disk_list("disk_list_legacy.xml"), parameters("disk_params_legacy.txt"), *calls)


def disk_property(cgi, answer=GENERAL_SUCCESS, **params):
    return Call("disks/properties/" + cgi, dict(params, schemaversion=1, diskid="SD_DISK"), exact=True).answers(
        answer)


def param_update(**values):
    """param.cgi update of exactly these Storage.S0 values."""
    params = {"Storage.S0." + name: value for name, value in values.items()}
    return Call("param.cgi", dict(params, action="update"), exact=True).answers("OK")


def disk(**params):
    return DiskResource(module_params(ARGUMENT_SPEC, **params))


def plan(transcript, **params):
    device = transcript.device()
    resource = disk(**params)
    return resource.plan(device, resource.read(device))


def actions(steps):
    return [step.action for step in steps]


def run(transcript, steps):
    for step in steps:
        step.run(transcript.device())
    return transcript.writes


# -- reading -------------------------------------------------------------------------

def test_properties_and_storage_are_one_param_cgi_read_and_a_write_re_reads_only_storage():
    transcript = Transcript(parameters("disk_params_modern.txt"),
                            param_list(fixture("disk_params_modern.txt"), "Storage"))
    device = transcript.device()
    device.supports("sd_card")
    device.storage_params()
    device.invalidate("storage_params")
    assert device.storage_params()["SD_DISK"]["group"] == "S0"
    assert device.firmware_version()
    assert transcript.paths == ["param.cgi", "param.cgi"]


def test_a_parameter_update_forgets_storage_but_not_the_read_only_properties():
    transcript = Transcript(parameters("disk_params_modern.txt"), param_update(FriendlyName="SD card"),
                            param_list(fixture("disk_params_modern.txt"), "Storage"))
    device = transcript.device()
    assert device.supports("local_storage")
    device.update_params({"Storage.S0.FriendlyName": "SD card"})
    assert device.storage_params()["SD_DISK"]["group"] == "S0"
    assert device.supports("local_storage") and device.firmware_version() == "9.80.2.2"
    assert transcript.paths == ["param.cgi", "param.cgi", "param.cgi"]   # list all, update, list Storage


def test_read_merges_list_and_params_and_normalises():
    state = disk(disk_id="SD_DISK").read(modern().device())
    assert state["friendly_name"] == ""
    assert state["cleanup_policy"] == "fifo"
    assert state["cleanup_max_age"] == 7000
    assert state["mount_on_boot"] is True and state["auto_repair"] is True and state["enabled"] is True
    assert state["locked"] is False
    assert state["filesystem"] == "vfat"
    assert state["required_filesystem"] == "none"
    assert state["mount_point_permissions"] == "0770"      # the device said 770
    assert state["extra_mount_options"] == ""
    assert state["state"] == "mounted"
    assert state["group"] == "S0"


def test_read_network_share_disk_disconnected_and_locked():
    state = disk(disk_id="NetworkShare").read(modern().device())
    assert state["state"] == "unmounted"
    assert state["status"] == "disconnected"
    assert state["locked"] is True
    assert state["extra_mount_options"] == "vers=2.1"
    assert state["group"] == "S1"


def test_read_legacy_has_only_the_keys_the_firmware_has():
    state = disk(disk_id="SD_DISK").read(legacy().device())
    assert state["cleanup_max_age"] == 7 and state["mount_on_boot"] is True
    for absent in ("enabled", "auto_repair", "required_filesystem", "mount_point_permissions",
                   "extra_mount_options"):
        assert absent not in state


def test_read_asks_alert_levels_and_capabilities_only_when_declared():
    # The transcripts prove it: without alert_levels neither apidiscovery nor getdiskalertlevels.cgi is asked.
    disk(disk_id="SD_DISK", cleanup_max_age=30).read(modern().device())
    state = disk(disk_id="SD_DISK", alert_levels={"wear": 80}).read(
        modern(discovery(MODERN_APIS), ALERT_LEVELS).device())
    assert state["alert_levels"] == {"wear": 90}             # only the declared level


def test_unknown_disk_lists_the_disks_the_camera_has():
    with pytest.raises(_errors.ValidationError) as err:
        plan(Transcript(disk_list("disk_list_modern.xml")), disk_id="USB_DISK", friendly_name="x")
    assert str(err.value) == ("cannot configure disk USB_DISK: the camera has no disk 'USB_DISK'; its disks are: "
                              "NetworkShare, SD_DISK")


# -- validation (no device) ---------------------------------------------------------------

@pytest.mark.parametrize("value, normalised", [
    ("770", "0770"), ("0770", "0770"), (" 0750 ", "0750"), ("1777", "1777"), ("000", "0000"),
    ("0880", None), ("77", None), ("rwxrwx---", None), ("07700", None),
])
def test_permission_normalisation(value, normalised):
    assert normalise_permissions(value) == normalised


@pytest.mark.parametrize("params, message", [
    ({"cleanup_max_age": 7001}, "cleanup_max_age must be between 0 and 7000 days, got 7001"),
    ({"cleanup_max_age": -1}, "cleanup_max_age must be between 0 and 7000 days, got -1"),
    ({"mount_point_permissions": 504}, "quoted octal string such as '0770', got the number 504"),
    # a list or a boolean is not called a number
    ({"mount_point_permissions": ["0770"]}, "quoted octal string such as '0770', got the list ['0770']"),
    ({"mount_point_permissions": True}, "quoted octal string such as '0770', got the boolean True"),
    ({"mount_point_permissions": "0880"}, "3 or 4 octal digits such as '0770' or '770', got '0880'"),
    ({"alert_levels": {"wear": -5, "temperature": None}}, "alert_levels.wear must be 0 or more, got -5"),
    ({"alert_levels": {"wear": None, "temperature": None}}, "alert_levels needs wear and/or temperature"),
    ({"job_timeout": 0}, "job_timeout must be a positive number of seconds"),
    ({"enabled": False, "state": "mounted"}, "a disabled disk cannot be mounted"),
    ({"disk_id": " "}, "disk_id is empty: give the disk's id as the camera lists it"),
])
def test_validation_messages(params, message):
    assert message in validation_message(disk, **{"disk_id": "SD_DISK", **params})


def test_desired_holds_only_declared_fields_normalised():
    resource = disk(disk_id="SD_DISK", mount_point_permissions="750", cleanup_max_age=0,
                    alert_levels={"wear": None, "temperature": 350}, allow_data_loss=True)
    assert resource.desired() == {"mount_point_permissions": "0750", "cleanup_max_age": 0,
                                  "alert_levels": {"temperature": 350}}


# -- write routes ---------------------------------------------------------------------------

MODERN_KEYS = ["CleanupMaxAge", "CleanupPolicyActive", "Enabled", "FriendlyName", "RequiredFileSystem"]
LEGACY_KEYS = ["CleanupMaxAge", "CleanupPolicyActive", "FriendlyName", "Locked", "MountOnBoot"]


@pytest.mark.parametrize("field, version, keys, route", [
    # the cleanup settings go with the other parameters whatever the disk-properties version
    ("cleanup_max_age", (1, 1), MODERN_KEYS, ("param", "CleanupMaxAge")),
    ("cleanup_policy", (1, 1), MODERN_KEYS, ("param", "CleanupPolicyActive")),
    ("cleanup_max_age", (1, 0), MODERN_KEYS, ("param", "CleanupMaxAge")),
    # setrequiredfs.cgi with any disk-properties version
    ("required_filesystem", (1, 1), MODERN_KEYS, ("call", "set_required_filesystem")),
    ("required_filesystem", (1, 0), MODERN_KEYS, ("call", "set_required_filesystem")),
    # no apidiscovery (5.x): param.cgi, and nothing where the key is missing
    ("cleanup_max_age", None, LEGACY_KEYS, ("param", "CleanupMaxAge")),
    ("cleanup_policy", None, LEGACY_KEYS, ("param", "CleanupPolicyActive")),
    ("required_filesystem", None, MODERN_KEYS, ("param", "RequiredFileSystem")),
    ("required_filesystem", None, LEGACY_KEYS, None),
    ("enabled", None, LEGACY_KEYS, None),
    ("enabled", (1, 1), MODERN_KEYS, ("param", "Enabled")),
    ("friendly_name", (1, 1), [], ("param", "FriendlyName")),     # list.cgi shows it everywhere
])
def test_write_route(field, version, keys, route):
    assert write_route(field, version, keys) == route


def test_modern_plan_writes_every_setting_with_a_parameter_in_one_param_update():
    """The cleanup settings go with the others (one request, as the vendor's workflow for a share sets them),
    not one disks/properties CGI request each."""
    transcript = modern(discovery(MODERN_APIS))
    steps = plan(transcript, disk_id="SD_DISK", friendly_name="SD card", cleanup_policy="none",
                 cleanup_max_age=30, mount_on_boot=False, mount_point_permissions="0750")
    assert actions(steps) == ["update_params"]
    assert steps[0].description == ("set friendly_name '' -> 'SD card', cleanup_policy 'fifo' -> 'none', "
                                    "cleanup_max_age 7000 -> 30, mount_on_boot yes -> no, "
                                    "mount_point_permissions '0770' -> '0750' of disk SD_DISK "
                                    "(param.cgi Storage.S0)")
    assert not any(step.destructive for step in steps)
    assert transcript.writes == []                          # planning writes nothing
    transcript.expect(param_update(FriendlyName="SD card", CleanupPolicyActive="none", CleanupMaxAge=30,
                                   MountOnBoot=False, MountPointPermissions="0750"))
    assert run(transcript, steps) == [
        ("param.cgi", {"action": "update", "Storage.S0.FriendlyName": "SD card",
                       "Storage.S0.CleanupPolicyActive": "none", "Storage.S0.CleanupMaxAge": "30",
                       "Storage.S0.MountOnBoot": "no", "Storage.S0.MountPointPermissions": "0750"}),
    ]


def test_legacy_plan_writes_the_same_settings_through_param_cgi():
    transcript = legacy(discovery(None))
    steps = plan(transcript, disk_id="SD_DISK", friendly_name="SD card", cleanup_policy="none", cleanup_max_age=30)
    assert actions(steps) == ["update_params"]
    transcript.expect(param_update(CleanupMaxAge=30, CleanupPolicyActive="none", FriendlyName="SD card"))
    assert run(transcript, steps) == [
        ("param.cgi", {"action": "update", "Storage.S0.CleanupMaxAge": "30", "Storage.S0.CleanupPolicyActive": "none",
                       "Storage.S0.FriendlyName": "SD card"}),
    ]


def test_settings_already_right_plan_nothing():
    steps = plan(modern(discovery(MODERN_APIS), ALERT_LEVELS),
                 disk_id="SD_DISK", friendly_name="", cleanup_policy="fifo", cleanup_max_age=7000,
                 mount_point_permissions="770", enabled=True, locked=False, filesystem="vfat",
                 state="mounted", required_filesystem="none", alert_levels={"wear": 90, "temperature": 358})
    assert steps == []


# -- order -----------------------------------------------------------------------------------

def test_full_order_unlock_format_settings_alerts_unmount():
    transcript = modern(discovery(MODERN_APIS), ALERT_LEVELS, CAPABILITIES, **{'locked="no"': 'locked="yes"'})
    steps = plan(transcript, disk_id="SD_DISK", locked=False, filesystem="ext4", allow_data_loss=True,
                 friendly_name="SD", cleanup_max_age=30, alert_levels={"wear": 80}, state="unmounted")
    assert actions(steps) == ["lock_disk", "format_disk", "update_params", "set_alert_levels", "unmount"]
    assert [step.destructive for step in steps] == [False, True, False, False, False]
    assert steps[1].text == ("format disk SD_DISK from vfat to ext4, erasing every recording on it "
                             "[destructive]")


def test_lock_comes_after_the_format_and_mount_last():
    steps = plan(modern(discovery(MODERN_APIS), CAPABILITIES), disk_id="SD_DISK", locked=True, filesystem="ext4",
                 allow_data_loss=True, cleanup_policy="none")
    assert actions(steps) == ["format_disk", "update_params", "lock_disk"]


def test_format_and_mount_steps_start_the_job_and_poll_it():
    transcript = modern(discovery(MODERN_APIS), CAPABILITIES, **{'status="OK"': 'status="connected"'})
    steps = plan(transcript, disk_id="SD_DISK", filesystem="ext4", allow_data_loss=True, state="mounted")
    assert actions(steps) == ["format_disk", "mount"]
    transcript.expect(
        Call("disks/format.cgi", {"diskid": "SD_DISK", "filesystem": "ext4"}, exact=True).answers(JOB_STARTED % "format"),
        JOB_POLL,
        Call("disks/mount.cgi", {"action": "mount", "diskid": "SD_DISK"}, exact=True).answers(JOB_STARTED % "mount"),
        JOB_POLL)
    assert run(transcript, steps) == [
        ("disks/format.cgi", {"diskid": "SD_DISK", "filesystem": "ext4"}),
        ("disks/mount.cgi", {"action": "mount", "diskid": "SD_DISK"}),
    ]
    assert transcript.paths[-4:] == ["disks/format.cgi", "disks/job.cgi", "disks/mount.cgi", "disks/job.cgi"]


# -- refusals before any write ---------------------------------------------------------------

def test_format_without_opt_in_is_shown_in_check_mode_and_refused_before_any_write():
    transcript = modern(discovery(MODERN_APIS), CAPABILITIES)
    device = transcript.device()
    planned = summarize(converge(device, [disk(disk_id="SD_DISK", filesystem="ext4", friendly_name="x")],
                                 check_mode=True))
    marked = "format disk SD_DISK from vfat to ext4, erasing every recording on it [destructive; needs allow_data_loss]"
    assert planned["changed"] is True
    assert planned["needs_allow_data_loss"] == [marked]
    assert marked in planned["steps"]
    with pytest.raises(_errors.DataLossRefused) as err:
        converge(device, [disk(disk_id="SD_DISK", filesystem="ext4", friendly_name="x")], check_mode=False)
    message = str(err.value)
    assert "needs allow_data_loss: true" in message and "nothing was changed" in message
    assert marked in message
    assert err.value.as_dict()["error_class"] == "needs_allow_data_loss"
    assert transcript.writes == []


def test_format_to_a_filesystem_the_disk_cannot_hold_is_refused():
    with pytest.raises(_errors.ValidationError) as err:
        plan(modern(discovery(MODERN_APIS), CAPABILITIES), disk_id="SD_DISK", filesystem="cifs", allow_data_loss=True)
    assert "cannot be formatted with cifs; its capabilities allow: vfat, ext4" in str(err.value)


def test_locked_disk_cannot_be_formatted_unless_unlocked_first():
    transcript = modern(discovery(MODERN_APIS), CAPABILITIES, **{'locked="no"': 'locked="yes"'})
    with pytest.raises(_errors.ValidationError) as err:
        plan(transcript, disk_id="SD_DISK", filesystem="ext4", allow_data_loss=True)
    assert "locked, and a locked disk cannot be formatted; declare locked: false" in str(err.value)
    with pytest.raises(_errors.ValidationError):
        plan(transcript, disk_id="SD_DISK", filesystem="ext4", allow_data_loss=True, locked=True)
    assert transcript.writes == []


def test_required_filesystem_that_would_reformat_needs_opt_in_and_is_destructive():
    without = plan(modern(discovery(MODERN_APIS), CAPABILITIES), disk_id="SD_DISK", required_filesystem="ext4")
    assert without[0].destructive
    assert "formats the disk, which holds vfat, at its next mount and erases every recording" in without[0].text
    refused = modern(discovery(MODERN_APIS), CAPABILITIES)
    with pytest.raises(_errors.DataLossRefused):
        converge(refused.device(), [disk(disk_id="SD_DISK", required_filesystem="ext4")], check_mode=False)
    assert refused.writes == []
    steps = plan(modern(discovery(MODERN_APIS), CAPABILITIES), disk_id="SD_DISK", required_filesystem="ext4",
                 allow_data_loss=True)
    assert actions(steps) == ["set_required_filesystem"]
    assert steps[0].destructive


def test_required_filesystem_after_a_format_to_it_is_not_destructive():
    steps = plan(modern(discovery(MODERN_APIS), CAPABILITIES), disk_id="SD_DISK", required_filesystem="ext4",
                 filesystem="ext4", allow_data_loss=True)
    assert actions(steps) == ["format_disk", "set_required_filesystem"]
    assert [step.destructive for step in steps] == [True, False]


def test_required_filesystem_the_disk_cannot_use_is_refused():
    capabilities = CAPABILITIES.answers(fixture("disk_capabilities_sd.xml").replace(
        'name="ext4" nicename="ext4" requiredfssupported="true"', 'name="ext4" requiredfssupported="false"'))
    with pytest.raises(_errors.ValidationError) as err:
        plan(modern(discovery(MODERN_APIS), capabilities), disk_id="SD_DISK", required_filesystem="ext4",
             allow_data_loss=True)
    assert "cannot use ext4 as required file system; its capabilities allow: none" in str(err.value)


def test_disconnected_disk_cannot_be_mounted():
    with pytest.raises(_errors.ValidationError) as err:
        plan(modern(discovery(MODERN_APIS)), disk_id="NetworkShare", state="mounted")
    assert "disk NetworkShare is disconnected" in str(err.value)


def test_legacy_lists_every_declared_field_it_lacks():
    transcript = legacy(discovery(None))
    with pytest.raises(_errors.UnsupportedError) as err:
        plan(transcript, disk_id="SD_DISK", friendly_name="x", enabled=True, auto_repair=False,
             required_filesystem="none", alert_levels={"wear": 80, "temperature": None})
    message = str(err.value)
    for field in ("enabled (no Storage.S0.Enabled parameter)", "auto_repair (no Storage.S0.AutoRepair",
                  "required_filesystem (no Storage.S0.RequiredFileSystem",
                  "alert_levels (needs the disk-properties API 1.1 or later; apidiscovery reports no "
                  "disk-properties API)"):
        assert field in message
    assert "friendly_name" not in message
    assert transcript.writes == []


def test_alert_levels_need_disk_properties_1_1():
    with pytest.raises(_errors.UnsupportedError) as err:
        plan(modern(discovery(dict(MODERN_APIS, **{"disk-properties": "1.0"}))),
             disk_id="SD_DISK", alert_levels={"wear": 80, "temperature": None})
    assert "apidiscovery reports version 1.0" in str(err.value)


# -- engine: check mode and diff ----------------------------------------------------------------

def test_check_mode_plans_without_writing_and_diff_shows_declared_fields_only():
    transcript = modern(discovery(MODERN_APIS))
    resource = disk(disk_id="SD_DISK", friendly_name="SD card", cleanup_max_age=30, state="mounted")
    result = summarize(converge(transcript.device(), [resource], check_mode=True), diff_mode=True)
    assert transcript.writes == []
    assert result["changed"] is True
    assert result["steps"] == ["set friendly_name '' -> 'SD card', cleanup_max_age 7000 -> 30 of disk SD_DISK "
                               "(param.cgi Storage.S0)"]
    assert result["diff"] == {
        "before": {"disk SD_DISK": {"friendly_name": "", "cleanup_max_age": 7000, "state": "mounted"}},
        "after": {"disk SD_DISK": {"friendly_name": "SD card", "cleanup_max_age": 30, "state": "mounted"}},
    }


def test_a_device_error_code_surfaces_with_its_sentence_and_what_was_done():
    refused = disk_property("setdiskalertlevels.cgi", wear=80, answer=(
        "<DiskPropertiesResponse><Error><GeneralError><ErrorCode>50</ErrorCode>"
        "<ErrorDescription>Invalid disk ID.</ErrorDescription></GeneralError></Error></DiskPropertiesResponse>"))
    transcript = modern(discovery(MODERN_APIS), ALERT_LEVELS, param_update(FriendlyName="SD card"), refused,
                        *modern_reads(), discovery(MODERN_APIS), ALERT_LEVELS)
    resource = disk(disk_id="SD_DISK", friendly_name="SD card", alert_levels={"wear": 80})
    with pytest.raises(_errors.StepError) as err:
        converge(transcript.device(), [resource], check_mode=False)
    message = str(err.value)
    assert "step 'set alert levels wear 90 -> 80 of disk SD_DISK (setdiskalertlevels.cgi)' failed" in message
    assert "with device error 50: Invalid disk ID. (no disk with this disk id)" in message
    assert "1 change was made before it: set friendly_name '' -> 'SD card'" in message
    assert err.value.as_dict()["code"] == 50


def test_a_disk_busy_with_another_job_is_a_clear_failure_naming_the_job():
    busy = Call("disks/format.cgi", {"diskid": "SD_DISK", "filesystem": "ext4"}).answers(
        '<root><job action="format" diskid="SD_DISK" result="ERROR" description="Disk is busy with job 12"/></root>')
    transcript = modern(discovery(MODERN_APIS), CAPABILITIES, busy, *modern_reads())
    with pytest.raises(_errors.StepError) as info:
        converge(transcript.device(), [disk(disk_id="SD_DISK", filesystem="ext4", allow_data_loss=True)],
                 check_mode=False)
    assert isinstance(info.value.cause, _errors.ConcurrentChangeError)
    assert info.value.as_dict()["error_class"] == "concurrent_change"
    assert ("cannot start the format job on disk SD_DISK: the camera says 'Disk is busy with job 12'; another run or "
            "a person started a job on this disk") in str(info.value)


def test_no_format_when_list_cgi_and_param_cgi_disagree_on_the_file_system():
    """Issue 10: a destructive step needs read values that agree. list.cgi says ext4, param.cgi vfat:
    filesystem: vfat must not become a format, whatever allow_format says."""
    transcript = modern(discovery(MODERN_APIS), **{'filesystem="vfat"': 'filesystem="ext4"'})
    with pytest.raises(_errors.VapixError) as info:
        plan(transcript, disk_id="SD_DISK", filesystem="vfat", allow_format=True)
    assert info.value.error_class == "damaged_answer"
    assert "list.cgi says the disk holds ext4 but param.cgi Storage.S0.FileSystem says vfat" in str(info.value)
    assert transcript.writes == []


def test_no_setting_is_written_when_two_storage_groups_name_the_disk():
    """The group decides which Storage.S# parameters a setting goes to: two groups saying DiskID=SD_DISK
    are a damaged answer, not the last of them."""
    storage = fixture("disk_params_modern.txt").replace("root.Storage.S1.DiskID=NetworkShare",
                                                        "root.Storage.S1.DiskID=SD_DISK")
    transcript = Transcript(disk_list("disk_list_modern.xml"), param_list(PROPERTIES + storage, *FIRST_READ))
    with pytest.raises(_errors.VapixError) as info:
        plan(transcript, disk_id="SD_DISK", friendly_name="Front door")
    assert info.value.error_class == "damaged_answer"
    assert "param.cgi" in str(info.value) and "Storage.S0.DiskID and Storage.S1.DiskID both say SD_DISK" in str(
        info.value)
    assert transcript.writes == []


def test_a_setting_of_a_disk_whose_storage_group_is_unknown_is_a_damaged_answer_not_storage_none():
    """list.cgi without the disk's group (the documentation lists it) and param.cgi without a DiskID naming the
    disk: the plan wrote the setting to 'Storage.None.CleanupMaxAge'."""
    params = fixture("disk_params_modern.txt").replace("root.Storage.S0.DiskID=SD_DISK\n", "")
    transcript = Transcript(disk_list("disk_list_modern.xml", {'group="S0"': ""}),
                            param_list(PROPERTIES + params, *FIRST_READ), discovery(MODERN_APIS))
    with pytest.raises(_errors.VapixError) as info:
        plan(transcript, disk_id="SD_DISK", cleanup_max_age=30)
    assert info.value.error_class == _errors.DAMAGED_ANSWER
    assert "the Storage group cleanup_max_age would be written to is unknown" in str(info.value)
    assert "Storage.None" not in str(info.value)
