# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Never act on a bad answer (issue 10): damaged answers against every destructive path.

Each case injects one damaged answer into the emulator (``answer`` faults: a truncated body, a
missing attribute, values that contradict each other, another API's root) and runs the module's
action plugin in-process (tests/integration/inprocess.py). Each shows: the task fails with ``error_class: damaged_answer`` and a message naming the
API family and the CGI; no write reached the camera; the camera's state is as before; a rerun
(the damage gone) converges without changing anything.
"""

from __future__ import annotations

import re

import pytest
import requests
from requests.auth import HTTPDigestAuth

from tests.integration import inprocess

ADMIN_PASSWORD = "Camera-Admin-7"
USERS = {"root": (ADMIN_PASSWORD, "admin")}
LIST = "disks/list.cgi"
ENCRYPTED_SD = {"enabled": True, "passphrase": "secret", "allow_data_loss": True}

# The state that must survive: what each destructive path would destroy.
KEPT = ("disks", "shares", "storage_limits", "continuous_profiles", "recording_groups", "recordings")


def run_tasks(camera, tasks, **kwargs):
    return inprocess.run_tasks(camera, tasks, defaults={"password": ADMIN_PASSWORD}, **kwargs)


def task(module, **options):
    return {"name": "task", "vapix.edge_storage.%s" % module: options}


def kept(camera):
    state = camera.dump()
    return {key: state[key] for key in KEPT}


def refused(camera, module, options, fault, api="disk-management", cgi=LIST):
    """One run with the fault: refused with damaged_answer, naming api and cgi, no write, state intact.
    Returns the task result."""
    before = kept(camera)
    camera.clear_log()
    camera.inject(answer=fault)
    run = run_tasks(camera, [task(module, **options)])
    result = run.result("task")
    assert run.failed == 1, run
    assert result["error_class"] == "damaged_answer", result
    assert api in result["msg"] and cgi in result["msg"], result["msg"]
    assert camera.write_count() == 0, [entry for entry in camera.log() if entry["write"]]
    assert kept(camera) == before
    return result


def assert_refused_without_writing(camera, module, options, fault, api, cgi):
    """refused(), then a rerun without the fault converges with nothing to do."""
    before = kept(camera)
    result = refused(camera, module, options, fault, api, cgi)
    rerun = run_tasks(camera, [task(module, **options)])
    assert rerun.failed == 0 and rerun.result("task")["changed"] is False, rerun
    assert kept(camera) == before
    return result


@pytest.fixture
def encrypted(make_camera):
    """An SD card that is encrypted, mounted and converged, with recordings on it."""
    camera = make_camera("modern-encrypted", users=USERS)
    with camera.model.lock:
        camera.model.start_recording("SD_DISK", "resolution=640x480")
    converged = run_tasks(camera, [task("axis_encryption", **ENCRYPTED_SD)])
    assert converged.rc == 0 and converged.result("task")["changed"] is False, converged
    return camera


@pytest.fixture
def camera(make_camera):
    return make_camera("modern", users=USERS)


# -- encryption: the data-loss case of the issue ---------------------------------------------------

@pytest.mark.parametrize("fault, why", [
    ({"path": LIST, "kind": "drop_attribute", "name": "diskencrypted"}, "has encryptionenabled but not diskencrypted"),
    ({"path": LIST, "kind": "truncate", "after": 'encryptionenabled="true"'}, "not complete, well-formed XML"),
    ({"path": LIST, "kind": "set_attribute", "name": "diskencrypted", "value": "false"}, "contradict each other"),
    ({"path": LIST, "kind": "drop_attribute", "name": "encryptionenabled"}, "has diskencrypted but not"),
    ({"path": LIST, "kind": "replace_body", "body": '<?xml version="1.0"?><root><recordings/></root>'},
     "the answer has no <disks> element"),
])
def test_an_encrypted_card_is_never_formatted_on_a_damaged_answer(encrypted, fault, why):
    """Issue 10, case 1: with allow_data_loss: true, a list.cgi answer without diskencrypted (or cut
    after encryptionenabled) planned unmount -> format -> mount and destroyed the recordings."""
    result = assert_refused_without_writing(encrypted, "axis_encryption", ENCRYPTED_SD, fault,
                                            "disk-management", "disks/list.cgi")
    assert why in result["msg"]
    assert encrypted.dump()["recordings"]["count"] == 1


def test_disabling_encryption_needs_a_status_that_agrees(encrypted):
    """A destructive disable is planned only from values that agree: 'not encrypted' contradicts
    diskencrypted=true."""
    result = refused(encrypted, "axis_encryption", {"enabled": False, "allow_data_loss": True},
                     {"path": LIST, "kind": "set_attribute", "name": "status", "value": "not encrypted"})
    assert "contradict each other" in result["msg"] and "status 'not encrypted'" in result["msg"]


def test_enabling_encryption_needs_a_status_that_agrees(camera):
    """The plain card reads as encrypted while mounted and encryption disabled: no enable -> format."""
    result = refused(camera, "axis_encryption", dict(ENCRYPTED_SD, passphrase="n3w secret"),
                     {"path": LIST, "kind": "set_attribute", "name": "diskencrypted", "value": "true"})
    assert "status 'ok'" in result["msg"]
    assert camera.dump()["recordings"]["count"] == 3


# -- format of a disk ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fault", [
    {"path": LIST, "kind": "drop_attribute", "name": "filesystem"},
    {"path": LIST, "kind": "truncate", "after": 'status="OK"'},
    {"path": LIST, "kind": "set_attribute", "name": "filesystem", "value": "vfat"},   # param.cgi still says ext4
])
def test_a_converged_disk_is_never_formatted_on_a_damaged_answer(camera, fault):
    """filesystem: ext4 on an ext4 card with allow_format: true is a no-op; an answer without the file
    system must not make it a format."""
    options = {"disk_id": "SD_DISK", "filesystem": "ext4", "allow_format": True}
    assert_refused_without_writing(camera, "axis_disk", options, fault, "disk-management", "disks/list.cgi")
    assert camera.dump()["recordings"]["count"] == 3


def test_a_mounted_disk_is_not_mounted_again_on_a_truncated_answer(camera):
    """Issue 10, case 2: a truncated list.cgi made a mount of an already-mounted disk."""
    assert_refused_without_writing(camera, "axis_disk", {"disk_id": "SD_DISK", "state": "mounted"},
                                   {"path": LIST, "kind": "truncate", "after": "<disk "}, "disk-management", LIST)


def test_an_unexpected_root_is_not_a_camera_without_disks(camera):
    """Issue 10, case 2: a well-formed answer with another root read as 'its disks are: none'."""
    result = assert_refused_without_writing(
        camera, "axis_disk", {"disk_id": "SD_DISK", "friendly_name": ""},
        {"path": LIST, "kind": "replace_body", "body": '<?xml version="1.0"?><root><other/></root>'},
        "disk-management", LIST)
    assert "its disks are" not in result["msg"] and "no <disks> element" in result["msg"]


@pytest.mark.parametrize("state", ["mounted", "unmounted"])
def test_an_undocumented_disk_status_is_not_read_as_unmounted(camera, state):
    """status="weird" was read as unmounted: state: unmounted reported ok on the mounted card, and state:
    mounted would have mounted it again."""
    result = refused(camera, "axis_disk", {"disk_id": "SD_DISK", "state": state},
                     {"path": LIST, "kind": "set_attribute", "name": "status", "value": "weird"})
    assert "status='weird'" in result["msg"]
    assert next(disk for disk in camera.dump()["disks"] if disk["disk_id"] == "SD_DISK")["mounted"] is True


@pytest.mark.parametrize("attribute", ["totalsize", "freesize"])
def test_a_negative_disk_size_is_no_quota(make_camera, attribute):
    """A negative totalsize was taken as the share's size, the quota computed from it."""
    camera = make_camera("modern-share", users=USERS)
    result = refused(camera, "axis_storage_limit", {"disk_id": "NetworkShare",
                                                    "quota": {"weights": {"a": 1, "b": 1}, "member": "a"}},
                     {"path": LIST, "kind": "set_attribute", "name": attribute, "value": "-5"})
    assert "a size is never negative" in result["msg"]


@pytest.mark.parametrize("attribute", ["size", "usedspace"])
def test_a_negative_storage_limit_is_a_damaged_answer(make_camera, attribute):
    """A negative limit crashed the run with a ValidationError about its own words ('-5 KiB')."""
    camera = make_camera("modern-share", users=USERS)
    result = refused(camera, "axis_storage_limit", {"disk_id": "NetworkShare", "size": "500 GiB"},
                     {"path": "record/storage/getlimit.cgi", "kind": "set_attribute", "name": attribute,
                      "value": "-5"}, api="recording-storage-limit", cgi="record/storage/getlimit.cgi")
    assert "%s=-5, and a size is never negative" % attribute in result["msg"]


# -- recording groups: delete and recreate, purge -----------------------------------------------------

GROUP_LIST = "record/recording_group/list.cgi"


def add_group(camera, group_id):
    with camera.model.lock:
        camera.model.create_group(group_id, None, None, "168", "SD_DISK", None, None, None)


@pytest.mark.parametrize("fault", [
    {"path": GROUP_LIST, "kind": "drop_attribute", "name": "DiskId"},
    # DiskId="" was read as "on another disk": the group was deleted with its recordings and created again.
    {"path": GROUP_LIST, "kind": "set_attribute", "name": "DiskId", "value": ""},
])
def test_a_group_is_not_recreated_when_its_disk_is_missing_from_the_answer(camera, fault):
    add_group(camera, "retention-7d")
    options = {"id": "retention-7d", "disk_id": "SD_DISK", "retention": "7d", "allow_recreate": True}
    assert_refused_without_writing(camera, "axis_recording_group", options, fault, "recording-group", GROUP_LIST)


@pytest.mark.parametrize("name", ["RetentionTime", "PreDuration"])
def test_a_group_is_not_updated_from_a_duration_that_is_no_number(camera, name):
    """RetentionTime="abc" was read as unknown: update.cgi was sent, then the run failed its verification."""
    add_group(camera, "retention-7d")
    options = {"id": "retention-7d", "retention": "14d", "pre_duration": "5s"}
    result = refused(camera, "axis_recording_group", options,
                     {"path": GROUP_LIST, "kind": "set_attribute", "name": name, "value": "abc"},
                     "recording-group", GROUP_LIST)
    assert "%s='abc', which is not a whole number" % name in result["msg"]
    assert camera.dump()["recording_groups"][0]["retention_hours"] == 168


@pytest.mark.parametrize("name, option, value", [("RetentionTime", "retention", 168),
                                                 ("PostDuration", "post_duration", 0),
                                                 # Read as "": update.cgi sent for the name the camera held.
                                                 ("NiceName", "nice_name", "retention-7d"),
                                                 # Read as "" (and as the default stream): taken as declared.
                                                 ("Description", "description", ""),
                                                 ("StreamOptions", "stream_options", "")])
def test_a_group_listed_without_a_declared_duration_is_not_updated(camera, name, option, value):
    """A group listed without RetentionTime had it as None: update.cgi was sent on every run (the camera held
    the declared value), then the run failed its verification. Without NiceName or Description it had "", and
    without StreamOptions the default stream: a declared name was sent again, and an empty description or
    the default stream was taken as what the camera holds (whatever it held)."""
    add_group(camera, "retention-7d")
    result = assert_refused_without_writing(camera, "axis_recording_group", {"id": "retention-7d", option: value},
                                            {"path": GROUP_LIST, "kind": "drop_attribute", "name": name},
                                            "recording-group", GROUP_LIST)
    assert "<RecordingGroup> retention-7d is listed without %s: whether it is as declared is unknown" % name \
        in result["msg"]


def test_a_group_listed_without_its_nice_name_is_not_moved_to_another_disk(make_camera):
    """A move deletes the group and creates it again with what it holds: listed without NiceName, it was created
    again without one, and the camera named it after its id (the name "Front door" lost, silently)."""
    camera = make_camera("modern-share", users=USERS)
    with camera.model.lock:
        camera.model.create_group("retention-7d", "Front door", None, "168", "SD_DISK", None, None, None)
    options = {"id": "retention-7d", "disk_id": "NetworkShare", "allow_data_loss": True}
    result = refused(camera, "axis_recording_group", options,
                     {"path": GROUP_LIST, "kind": "drop_attribute", "name": "NiceName"}, "recording-group", GROUP_LIST)
    assert "listed without NiceName: what it holds is unknown, so it is not moved to disk NetworkShare" \
        in result["msg"]
    moved = run_tasks(camera, [task("axis_recording_group", **options)])
    assert moved.failed == 0 and moved.result("task")["changed"] is True, moved
    assert [(group["nicename"], group["disk_id"]) for group in camera.dump()["recording_groups"]] == [
        ("Front door", "NetworkShare")]


def test_a_disk_listed_without_its_name_is_not_renamed_or_reported_unnamed(camera):
    """disks/list.cgi without name was read as the name "": axis_disk sent param.cgi for a name the camera held
    and failed its verification, and axis_storage_info reported "" for it. Absent is unknown: the name comes
    from param.cgi Storage.S#.FriendlyName, the same parameter."""
    options = {"disk_id": "SD_DISK", "friendly_name": "Front door"}
    assert run_tasks(camera, [task("axis_disk", **options)]).changed == 1
    camera.clear_log()
    fault = {"path": LIST, "kind": "drop_attribute", "name": "name", "times": 2}
    camera.inject(answer=fault)
    rerun = run_tasks(camera, [task("axis_disk", **options)])
    assert rerun.failed == 0 and rerun.result("task")["changed"] is False, rerun
    assert camera.write_count() == 0, [entry for entry in camera.log() if entry["write"]]
    info = run_tasks(camera, [task("axis_storage_info", gather_subset=["disks"])]).result("task")
    assert info["disks"]["SD_DISK"]["friendly_name"] == "Front door", info
    assert camera.dump()["faults"]["answer"] == []


@pytest.mark.parametrize("line, damaged, why", [
    ("Storage.S0.MountOnBoot=yes", "Storage.S0.MountOnBoot=maybe", "Storage.S0.MountOnBoot='maybe' is not yes or no"),
    ("Storage.S0.CleanupMaxAge=7000", "Storage.S0.CleanupMaxAge=7x", "CleanupMaxAge='7x' is not a whole number"),
])
def test_a_storage_parameter_that_is_no_yes_no_or_number_is_a_damaged_answer(camera, line, damaged, why):
    """MountOnBoot=maybe was read as unknown: axis_disk planned a write of mount_on_boot, and axis_storage_info
    reported null for a value the camera had stated."""
    groups = "Properties.LocalStorage,Properties.NetworkShare,Properties.Firmware,Brand,Storage"
    body = camera_answer(camera, "param.cgi", action="list", group=groups)
    assert line in body
    fault = {"path": "param.cgi", "kind": "replace_body", "body": body.replace(line, damaged),
             "content_type": "text/plain"}
    result = assert_refused_without_writing(camera, "axis_disk", {"disk_id": "SD_DISK", "mount_on_boot": True},
                                            fault, "param-cgi", "param.cgi")
    assert why in result["msg"]
    camera.inject(answer=fault)
    info = run_tasks(camera, [task("axis_storage_info", gather_subset=["disks"])]).result("task")
    assert info.get("failed") and info["error_class"] == "damaged_answer" and why in info["msg"], info


@pytest.mark.parametrize("damaged", ['name="ext4" nicename=" " requiredfssupported="maybe"',
                                     'nicename=" " requiredfssupported="true"'])
def test_a_damaged_file_system_capability_is_no_limit_of_the_disk(camera, damaged):
    """<filesystem name="ext4" requiredfssupported="maybe"> (or without name) was read as a file system the disk
    cannot require: required_filesystem: ext4 was refused as invalid_argument ('its capabilities allow: none'),
    blaming the disk for a damaged answer."""
    body = camera_answer(camera, "disks/getcapabilities.cgi", diskid="SD_DISK")
    line = 'name="ext4" nicename=" " requiredfssupported="true"'
    assert line in body
    fault = {"path": "disks/getcapabilities.cgi", "kind": "replace_body", "body": body.replace(line, damaged)}
    result = refused(camera, "axis_disk", {"disk_id": "SD_DISK", "required_filesystem": "ext4"}, fault,
                     "disk-management", "disks/getcapabilities.cgi")
    assert "<filesystem>" in result["msg"]


ALERT_LEVELS = "disks/properties/getdiskalertlevels.cgi"


@pytest.mark.parametrize("fault, why", [
    ({"path": ALERT_LEVELS, "kind": "set_attribute", "name": "Wear", "value": "abc"}, "Wear='abc', which is not"),
    ({"path": ALERT_LEVELS, "kind": "drop_attribute", "name": "Wear"}, "lacks the required attribute Wear"),
    ({"path": ALERT_LEVELS, "kind": "set_attribute", "name": "Temperature", "value": "-5"}, "never negative"),
])
def test_alert_levels_are_not_set_or_reported_from_a_damaged_answer(camera, fault, why):
    """Wear="abc" (or no Wear) was read as unset: axis_disk sent setdiskalertlevels.cgi for a level the camera
    held already, and axis_storage_info reported null for it."""
    result = assert_refused_without_writing(camera, "axis_disk", {"disk_id": "SD_DISK", "alert_levels": {"wear": 90}},
                                            fault, "disk-properties", ALERT_LEVELS)
    assert why in result["msg"]
    camera.inject(answer=fault)
    info = run_tasks(camera, [task("axis_storage_info", gather_subset=["health"])]).result("task")
    assert info.get("failed") and info["error_class"] == "damaged_answer" and why in info["msg"], info


@pytest.mark.parametrize("fault", [
    {"path": GROUP_LIST, "kind": "truncate", "after": "<RecordingGroup "},
    {"path": GROUP_LIST, "kind": "replace_body",
     "body": '<?xml version="1.0"?><RecordingGroupResponse><Other/></RecordingGroupResponse>'},
])
def test_purge_deletes_nothing_on_a_damaged_list(camera, fault):
    desired = {"recording_groups": [{"id": "retention-7d", "disk_id": "SD_DISK", "retention": "7d"},
                                    {"id": "keep-me", "disk_id": "SD_DISK", "retention": "7d"}],
               "purge": ["recording_groups"]}
    add_group(camera, "retention-7d")
    add_group(camera, "keep-me")
    assert_refused_without_writing(camera, "axis_edge_storage", desired, fault, "recording-group", GROUP_LIST)
    assert [group["id"] for group in camera.dump()["recording_groups"]] == ["retention-7d", "keep-me"]


def test_exclusive_removes_no_share_on_a_damaged_list(make_camera):
    camera = make_camera("modern-share", users=USERS)
    options = {"name": "nas1", "address": "nas.example.com", "share": "cameras", "share_username": "cam",
               "exclusive": True}
    assert_refused_without_writing(camera, "axis_share", options,
                                   {"path": "disks/networkshare/list.cgi", "kind": "truncate", "after": "<NetworkShare "},
                                   "disk-network-share", "disks/networkshare/list.cgi")


def test_a_share_listed_without_its_user_is_not_unbound_to_set_the_user_again(make_camera):
    camera = make_camera("modern-share", users=USERS)
    options = {"name": "nas1", "address": "nas.example.com", "share": "cameras", "share_username": "cam",
               "bound": True}
    assert_refused_without_writing(camera, "axis_share", options,
                                   {"path": "disks/networkshare/list.cgi", "kind": "drop_attribute", "name": "User"},
                                   "disk-network-share", "disks/networkshare/list.cgi")
    assert [disk["mounted"] for disk in camera.dump()["disks"] if disk["disk_id"] == "NetworkShare"] == [True]


# -- continuous profiles --------------------------------------------------------------------------

def test_a_truncated_profile_list_adds_no_duplicate(camera):
    """Issue 10, case 2: a truncated listconfiguration.cgi made axis_continuous_profile add a duplicate."""
    with camera.model.lock:
        camera.model.add_profile("SD_DISK", "resolution=1280x720", "continuous_sd")
    options = {"disk_id": "SD_DISK", "event_id": "continuous_sd", "options": "resolution=1280x720"}
    fault = {"path": "record/continuous/listconfiguration.cgi", "kind": "truncate",
             "after": "<continuousrecordingconfigurations>"}
    assert_refused_without_writing(camera, "axis_continuous_profile", options, fault, "recording",
                                   "record/continuous/listconfiguration.cgi")
    assert len(camera.dump()["continuous_profiles"]) == 1


def test_exclusive_removes_no_profile_listed_with_an_empty_disk(camera):
    """listconfiguration.cgi with diskid="": the declared profile no longer matched, and exclusive: true
    removed it and added it again."""
    with camera.model.lock:
        camera.model.add_profile("SD_DISK", "resolution=1280x720", "continuous_sd")
    options = {"disk_id": "SD_DISK", "event_id": "continuous_sd", "options": "resolution=1280x720", "exclusive": True}
    fault = {"path": "record/continuous/listconfiguration.cgi", "kind": "set_attribute", "name": "diskid", "value": ""}
    result = assert_refused_without_writing(camera, "axis_continuous_profile", options, fault, "recording",
                                            "record/continuous/listconfiguration.cgi")
    assert "has an empty diskid" in result["msg"]


# -- an item listed twice, a count that disagrees -------------------------------------------------------

SHARE_LIST = "disks/networkshare/list.cgi"
PROFILE_LIST = "record/continuous/listconfiguration.cgi"


def camera_answer(camera, path, **params):
    """The camera's own answer to a read, as root (fetched before the run whose answer is damaged)."""
    answer = requests.get(camera.url + "/axis-cgi/" + path, params=params,
                          auth=HTTPDigestAuth("root", ADMIN_PASSWORD), timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.text


def listed_twice(body, entry_pattern, change=lambda entry: entry):
    """body with its first entry matching entry_pattern followed by a copy of it, changed by change."""
    entry = re.search(entry_pattern, body).group(0)
    return body.replace(entry, entry + "\n" + change(entry), 1)


def encrypted_copy(entry):
    return entry.replace('encryptionenabled="false" diskencrypted="false"', 'encryptionenabled="true" diskencrypted="true"')


@pytest.mark.parametrize("damage, why", [
    # The second copy says encrypted: enabled: false on the plain card unmounted, disabled and formatted it.
    (lambda body: listed_twice(body, r'<disk diskid="SD_DISK"[^>]*/>', encrypted_copy),
     "<disk> with diskid SD_DISK is listed twice"),
    (lambda body: body.replace('numberofdisks="2"', 'numberofdisks="3"'), "says numberofdisks=3 but lists 2"),
], ids=["listed twice", "miscounted"])
def test_a_plain_card_is_never_formatted_on_a_disk_list_that_lists_it_twice(camera, damage, why):
    body = damage(camera_answer(camera, LIST, diskid="all"))
    result = assert_refused_without_writing(camera, "axis_encryption", {"enabled": False, "allow_data_loss": True},
                                            {"path": LIST, "kind": "replace_body", "body": body},
                                            "disk-management", LIST)
    assert why in result["msg"]
    assert camera.dump()["recordings"]["count"] == 3


def refused_on_an_entry_listed_twice(camera, path, entry_pattern, module, options, api, **params):
    """The list answer of path with its first entry listed again on disk NetworkShare: refused, no write."""
    body = listed_twice(camera_answer(camera, path, **params), entry_pattern,
                        lambda entry: re.sub(r'(?i)(diskid=")SD_DISK"', r'\1NetworkShare"', entry))
    result = assert_refused_without_writing(camera, module, options,
                                            {"path": path, "kind": "replace_body", "body": body}, api, path)
    assert "listed twice" in result["msg"]


def test_a_group_listed_twice_is_not_deleted_and_created_again(camera):
    add_group(camera, "retention-7d")
    refused_on_an_entry_listed_twice(
        camera, GROUP_LIST, r"<RecordingGroup [^>]*/>", "axis_recording_group",
        {"id": "retention-7d", "disk_id": "SD_DISK", "retention": "7d", "allow_recreate": True}, "recording-group",
        schemaversion=1)


@pytest.mark.parametrize("damage", [
    lambda body: listed_twice(body, r"<NetworkShare [^>]*/>", lambda entry: entry.replace(' Share="', ' Share="other-', 1)),
    lambda body: re.sub(r'NumberOfShares="\d+"', 'NumberOfShares="0"', body),
], ids=["listed twice", "miscounted"])
def test_exclusive_removes_no_share_on_a_list_that_lists_one_twice_or_miscounts(make_camera, damage):
    camera = make_camera("modern-share", users=USERS)
    body = damage(camera_answer(camera, SHARE_LIST, schemaversion=1, shareid="all"))
    options = {"name": "nas1", "address": "nas.example.com", "share": "cameras", "share_username": "cam",
               "exclusive": True}
    assert_refused_without_writing(camera, "axis_share", options,
                                   {"path": SHARE_LIST, "kind": "replace_body", "body": body},
                                   "disk-network-share", SHARE_LIST)


def test_exclusive_removes_no_profile_listed_twice(camera):
    with camera.model.lock:
        camera.model.add_profile("SD_DISK", "resolution=1280x720", "continuous_sd")
    refused_on_an_entry_listed_twice(
        camera, PROFILE_LIST, r"<continuousrecordingconfiguration [^>]*/>", "axis_continuous_profile",
        {"disk_id": "SD_DISK", "event_id": "continuous_sd", "options": "resolution=1280x720", "exclusive": True},
        "recording")
    assert len(camera.dump()["continuous_profiles"]) == 1


# -- disk jobs: only OK or ERROR in a job.cgi answer ends a job ---------------------------------------------

JOB = "disks/job.cgi"
# The emulator ends a job at its third job.cgi poll: the unmount before the job takes three.
UNMOUNT_POLLS = 3


def writes_sent(camera):
    return [(entry["path"].rsplit("/", 1)[-1], entry["args"].get("action")) for entry in camera.log() if entry["write"]]


@pytest.mark.parametrize("action, options, camera_fault", [
    ("check", {}, {"corrupt": "SD_DISK"}),    # the camera's check ends in ERROR: file system errors found
    ("repair", {"allow_data_loss": True}, {"fail_job": "repair"}),
    ("format", {"allow_data_loss": True, "filesystem": "ext4"}, {"fail_job": "format"}),
    ("format", {"allow_data_loss": True, "filesystem": "ext4"}, {}),    # one that worked: the answer does not say
], ids=["check of a corrupt card", "failed repair", "failed format", "format"])
@pytest.mark.parametrize("damage, why", [
    ({"kind": "drop_attribute", "name": "result"}, "has ended (progress 100) without a result"),
    ({"kind": "set_attribute", "name": "result", "value": "weird"}, "result='weird', which is neither OK nor ERROR"),
], ids=["no result", "unknown result"])
def test_a_job_answer_without_a_known_result_is_no_outcome_and_nothing_is_sent_after_it(
        camera, action, options, camera_fault, damage, why):
    """job.cgi without result was read as OK: a check of a corrupt card reported it clean, a failed repair or
    format succeeded, and the mount after it was sent."""
    if camera_fault:
        camera.inject(**camera_fault)
    camera.clear_log()
    camera.inject(answer=dict(damage, path=JOB, skip=UNMOUNT_POLLS, times=10))
    run = run_tasks(camera, [task("axis_disk_job", disk_id="SD_DISK", action=action, **options)])
    result = run.result("task")
    assert run.failed == 1 and result["error_class"] == "damaged_answer", result
    assert why in result["msg"] and "disk-management" in result["msg"] and JOB in result["msg"], result["msg"]
    assert "clean" not in result and "findings" not in result
    assert "not mounted again, since nothing is sent after a damaged answer" in result["msg"]
    # the unmount and the job's start were sent before the damaged answer; nothing after it
    assert writes_sent(camera) == [("mount.cgi", "unmount")] + ([] if action == "check" else [(action + ".cgi", None)])
    assert next(disk for disk in camera.dump()["disks"] if disk["disk_id"] == "SD_DISK")["mounted"] is False


# -- param.cgi: an empty or cut-off parameter list is no list -------------------------------------------------

PARAM = "param.cgi"
EMPTY_PARAMS = {"path": PARAM, "kind": "replace_body", "body": "", "content_type": "text/plain"}


def test_a_converged_disk_is_never_formatted_when_the_parameter_list_is_empty(camera):
    """An empty param.cgi answer read as "no parameters" left out the list.cgi/param.cgi file-system cross-check:
    with list.cgi saying vfat, the ext4 card was formatted."""
    options = {"disk_id": "SD_DISK", "filesystem": "ext4", "allow_format": True}
    result = assert_refused_without_writing(
        camera, "axis_disk", options,
        [{"path": LIST, "kind": "set_attribute", "name": "filesystem", "value": "vfat"}, EMPTY_PARAMS],
        "param-cgi", PARAM)
    assert "the answer is empty" in result["msg"]
    assert camera.dump()["recordings"]["count"] == 3


@pytest.mark.parametrize("fault, why", [
    ({"path": PARAM, "kind": "truncate", "after": "root.Storage.S0.CleanupMaxAge=70"}, "ends in the middle of a line"),
    ({"path": PARAM, "kind": "truncate", "after": "root.Storage.S0.Clean"}, "is not name=value"),
], ids=["in a value", "in a name"])
def test_a_parameter_list_cut_off_changes_no_setting(camera, fault, why):
    options = {"disk_id": "SD_DISK", "friendly_name": "Front door", "cleanup_max_age": 7000}
    result = refused(camera, "axis_disk", options, fault, "param-cgi", PARAM)
    assert why in result["msg"]


def test_an_empty_parameter_list_is_damaged_not_a_camera_without_encryption(encrypted):
    result = refused(encrypted, "axis_encryption", {"enabled": False, "allow_data_loss": True}, EMPTY_PARAMS,
                     "param-cgi", PARAM)
    assert "unsupported" not in result["msg"]


def test_an_empty_parameter_list_skips_no_section_as_unsupported(encrypted):
    """unsupported: skip finished changed: false with every section skipped as unsupported (firmware unknown)."""
    desired = {"unsupported": "skip", "allow_data_loss": True, "encryption": [{"disk_id": "SD_DISK", "enabled": False}],
               "storage_limits": [{"disk_id": "SD_DISK", "size": "2 GiB"}]}
    result = refused(encrypted, "axis_edge_storage", desired, EMPTY_PARAMS, "param-cgi", PARAM)
    assert not result.get("skipped_unsupported")


@pytest.mark.parametrize("body", ["<html><body><h1>Error</h1></body></html>",      # well-formed: parses as XML
                                  "<html><body><p>Error<br></body></html>"])       # not: does not
@pytest.mark.parametrize("apply", [False, True])
def test_a_write_answered_by_an_html_page_is_not_done_and_may_have_been_carried_out(camera, body, apply):
    """A page (a proxy's, a portal's) where the API answers XML is no success of the write, well-formed or not."""
    camera.inject(answer={"path": "disks/networkshare/add.cgi", "kind": "replace_body", "status": 200,
                          "content_type": "text/html", "body": body, "apply": apply})
    run = run_tasks(camera, [task("axis_share", name="nas1", address="nas.example.com", share="cams",
                                  share_username="cam", share_password="pw", test_share=False, bound=False)])
    result = run.result("task")
    assert run.failed == 1 and result["changed"] is True, result
    assert result["error_class"] == "damaged_answer" and result["failed_step"].startswith("add share"), result
    assert "an HTML page instead of the XML answer of disks/networkshare/add.cgi" in result["msg"]
    assert "the camera may have carried it out" in result["msg"]
    assert result["completed_steps"] == []


WHOLE_CAMERA = {
    "shares": [{"name": "nas1", "address": "nas.example.com", "share": "cameras", "bound": True}],
    "disks": [{"disk_id": "SD_DISK", "cleanup_max_age": 30, "alert_levels": {"wear": 80}}],
    "storage_limits": {"SD_DISK": "2 GiB"},
    "continuous_profiles": [{"disk_id": "SD_DISK", "event_id": "continuous_sd", "options": "resolution=1280x720"}],
    "recording_groups": [{"id": "week", "disk_id": "SD_DISK", "retention": "7d"}],
}


@pytest.mark.parametrize("cgi, step", [
    ("disks/networkshare/add.cgi", "add share 'nas1'"),
    ("disks/networkshare/bind.cgi", "bind share 'nas1'"),
    ("disks/properties/setdiskalertlevels.cgi", "set alert levels wear 90 -> 80 of disk SD_DISK"),
    ("record/storage/setlimit.cgi", "set the storage limit of SD_DISK"),
    ("record/continuous/addconfiguration.cgi", "add continuous recording profile on disk SD_DISK"),
    ("record/recording_group/create.cgi", "create recording group week"),
])
@pytest.mark.parametrize("body", [
    '<?xml version="1.0"?><root/>',
    # the family's envelope, answering another request of it
    '<?xml version="1.0"?><NetworkShareResponse SchemaVersion="1.0"><ListSuccess><NetworkShares NumberOfShares="0"/>'
    '</ListSuccess></NetworkShareResponse>'])
def test_a_write_answered_by_well_formed_xml_that_is_not_its_success_is_not_done(camera, cgi, step, body):
    """A well-formed answer without the success element of the write was taken as the write done: the result named
    a share added that the camera did not hold (the next step then failed on it), or passed on a verify."""
    camera.inject(answer={"path": cgi, "kind": "replace_body", "body": body, "apply": False})
    result = run_tasks(camera, [task("axis_edge_storage", **WHOLE_CAMERA)]).result("task")
    assert result["failed"] is True and result["changed"] is True, result
    assert result["error_class"] == "damaged_answer" and result["failed_step"].startswith(step), result
    assert "the answer holds no <" in result["msg"] and "the camera may have carried it out" in result["msg"]
    assert not any(done.startswith(step) for done in result["completed_steps"]), result["completed_steps"]
    rerun = run_tasks(camera, [task("axis_edge_storage", **WHOLE_CAMERA)])
    assert rerun.failed == 0, rerun
    assert run_tasks(camera, [task("axis_edge_storage", **WHOLE_CAMERA)]).changed == 0
