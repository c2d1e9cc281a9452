# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_storage_info against the modern and legacy emulator profiles.

The scenarios run the action plugin in-process (tests/integration/inprocess.py); the run at -vvv goes through
real ansible-playbook, whose output must not show a share's password (test_share_passwords_are_never_returned)."""

from __future__ import annotations

import pytest

from tests.integration.checks import refused_before_any_request
from tests.integration.harness import run_playbook
from tests.integration.inprocess import run_tasks

MODULE = "vapix.edge_storage.axis_storage_info"


def info_task(name="info", **options):
    return {"name": name, MODULE: options}


def paths(camera):
    """CGI paths the camera answered (after auth), in order."""
    return [entry["path"].replace("/axis-cgi/", "") for entry in camera.log() if entry["status"] != 401]


def test_a_device_without_local_storage_gets_its_facts_not_a_failure(make_camera):
    """An encoder (the M7001 capture's shape) has no disks: all subsets gathered, disks empty, the rest marked
    unsupported; before, its disks/list.cgi 404 failed the whole task, so a fleet inventory lost the device."""
    encoder = make_camera("encoder")
    run = run_tasks(encoder, [info_task()])
    assert run.rc == 0, run
    facts = run.result("info")
    assert facts["device"]["model"] == "AXIS M7001" and facts["device"]["firmware_version"] == "5.20.5"
    assert facts["disks"] == {} and facts["capabilities"]["local_storage"] == {}
    for key in ("storage_limits", "continuous_profiles", "recording_groups", "network_shares", "health"):
        assert facts[key]["supported"] is False, key
    task = {"name": "disk", "vapix.edge_storage.axis_disk": {"disk_id": "SD_DISK", "cleanup_max_age": 3}}
    disk = run_tasks(encoder, [task])
    assert disk.failed == 1 and disk.result("disk")["error_class"] == "unsupported" and encoder.write_count() == 0


def test_modern_camera_facts_match_the_emulator(camera):
    state = camera.dump()
    run = run_tasks(camera, [info_task()])
    assert run.rc == 0, run
    assert run.changed == 0
    facts = run.result("info")
    assert facts["device"]["model"] == "AXIS Companion Bullet LE"
    assert facts["device"]["firmware_version"] == "9.80.2.2"
    local = facts["capabilities"]["local_storage"]
    assert local["storage_limit"] is True and local["disk_encryption"] is True
    assert local["nbr_of_continuous_recording_profiles"] == state["limits"]["max_continuous_profiles"]
    assert facts["capabilities"]["apis"]["recording-storage-limit"] == "1.0"
    assert "apis_note" not in facts["capabilities"]

    for disk in state["disks"]:
        reported = facts["disks"][disk["disk_id"]]
        for key in ("filesystem", "cleanup_policy", "cleanup_max_age", "locked", "mount_on_boot", "auto_repair",
                    "encryption_enabled", "encrypted", "total_kb", "free_kb"):
            assert reported[key] == disk[key], key
        assert reported["status"] == disk["status"].lower()
        assert reported["mounted"] is disk["mounted"]
        assert reported["state"] == ("mounted" if disk["mounted"] else "unmounted")
    sd = facts["disks"]["SD_DISK"]
    assert sd["used_kb"] == sd["total_kb"] - sd["free_kb"] and sd["total"].endswith("GiB")

    assert facts["health"]["supported"] is True
    assert facts["health"]["disks"]["SD_DISK"]["wear"] == 3
    assert facts["disk_capabilities"]["disks"]["SD_DISK"]["encryption_supported"] is True
    assert facts["storage_limits"]["disks"]["SD_DISK"]["size"] == "no limit"
    assert facts["storage_limits"]["disks"]["SD_DISK"]["used_kb"] == state["disks"][0]["used_kb"]
    assert facts["network_shares"] == {"supported": True, "shares": {}}
    assert facts["continuous_profiles"]["max_profiles"] == 1
    assert facts["recording_groups"] == {"supported": True, "groups": {}}


def test_facts_follow_changes_made_by_other_modules(camera):
    run = run_tasks(camera, [
        {"name": "limit", "vapix.edge_storage.axis_storage_limit": {"disk_id": "SD_DISK", "size": "10 GiB"}},
        info_task(gather_subset=["limits"]),
    ])
    assert run.rc == 0, run
    limits = run.result("info")["storage_limits"]["disks"]["SD_DISK"]
    assert limits["size_kb"] == 10485760 and limits["size"] == "10 GiB" and limits["limited"] is True


def test_a_failed_disk_has_an_unknown_mount_state_not_unmounted(camera):
    """Status failed (here a mounted card with file system errors) was reported as mounted: false, state:
    unmounted, which the camera did not say: both are null; status says what the camera said."""
    camera.inject(corrupt="SD_DISK")
    sd = run_tasks(camera, [info_task(gather_subset=["disks"])]).result("info")["disks"]["SD_DISK"]
    assert sd["status"] == "failed" and sd["mounted"] is None and sd["state"] is None, sd
    assert next(d for d in camera.dump()["disks"] if d["disk_id"] == "SD_DISK")["mounted"] is True


def test_a_subset_that_fails_is_named_with_how_to_gather_the_others(camera):
    """A device error of one subset's CGI failed the whole task with a message naming only the CGI: which
    gather_subset failed, and that the others can be gathered without it, was left to the reader."""
    camera.inject(answer={"path": "record/storage/getlimit.cgi", "kind": "device_error", "code": 10,
                          "description": "boom"})
    result = run_tasks(camera, [info_task()]).result("info")
    assert result.get("failed") and result["error_class"] == "device" and result["code"] == 10, result
    assert result["msg"].startswith("gather_subset limits failed, so nothing was gathered (leave it out with "
                                    "'!limits' to gather the other parts): recording-storage-limit "
                                    "record/storage/getlimit.cgi"), result["msg"]
    camera.inject(answer={"path": "record/storage/getlimit.cgi", "kind": "device_error", "code": 10})
    rest = run_tasks(camera, [info_task(gather_subset=["all", "!limits"])]).result("info")
    assert not rest.get("failed") and "storage_limits" not in rest and rest["disks"]["SD_DISK"]["status"] == "ok"


def test_share_passwords_are_never_returned(make_camera):
    camera = make_camera("modern-share")
    run = run_playbook(camera, [info_task(gather_subset=["shares"])], verbosity=3)
    assert run.rc == 0, run
    share = run.result("info")["network_shares"]["shares"]["nas1"]
    assert share["address"] == "nas.example.com" and share["disk_id"] == "NetworkShare"
    assert "password" not in share
    assert "s3cr&t=x" not in run.stdout + run.stderr


def test_legacy_camera_reports_what_it_lacks_as_unsupported(legacy_camera):
    run = run_tasks(legacy_camera, [info_task()])
    assert run.rc == 0, run
    facts = run.result("info")
    assert facts["device"]["firmware_version"] == "5.51.7"
    assert facts["capabilities"]["apis"] is None and "404" in facts["capabilities"]["apis_note"]
    local = facts["capabilities"]["local_storage"]
    assert "storage_limit" not in local and "disk_encryption" not in local and local["sd_card"] is True
    assert facts["storage_limits"]["supported"] is False and "StorageLimit" in facts["storage_limits"]["reason"]
    assert facts["health"]["supported"] is False and "DiskHealth" in facts["health"]["reason"]
    assert facts["recording_groups"]["supported"] is False and "404" in facts["recording_groups"]["reason"]
    sd = facts["disks"]["SD_DISK"]
    assert sd["filesystem"] == "vfat" and sd["cleanup_max_age"] == 7
    for missing in ("encryption_enabled", "encrypted", "auto_repair", "enabled", "required_filesystem"):
        assert missing not in sd, missing
    assert facts["continuous_profiles"]["supported"] is True


def test_check_mode_reads_the_same_and_writes_nothing(camera):
    camera.clear_log()
    checked = run_tasks(camera, [info_task()], check=True)
    assert checked.rc == 0 and checked.changed == 0
    assert camera.write_count() == 0
    real = run_tasks(camera, [info_task()])
    for key in ("device", "capabilities", "storage_limits", "health"):
        assert checked.result("info")[key] == real.result("info")[key]


@pytest.mark.parametrize("subset, expected", [
    (["disks"], ["param.cgi", "disks/list.cgi"]),
    (["limits"], ["param.cgi", "record/storage/getlimit.cgi"]),
    (["groups"], ["record/recording_group/list.cgi"]),
    (["device", "capabilities"], ["param.cgi", "apidiscovery.cgi"]),
    (["shares"], ["param.cgi", "disks/networkshare/list.cgi"]),
])
def test_gather_subset_reads_only_its_cgis(camera, subset, expected):
    camera.clear_log()
    run = run_tasks(camera, [info_task(gather_subset=subset)])
    assert run.rc == 0, run
    assert sorted(set(paths(camera))) == sorted(expected)
    facts = run.result("info")
    assert facts["gathered_subsets"] == subset


def test_exclusion_leaves_a_part_out(camera):
    camera.clear_log()
    run = run_tasks(camera, [info_task(gather_subset=["!health", "!groups"])])
    assert run.rc == 0, run
    facts = run.result("info")
    assert "health" not in facts and "disk_capabilities" not in facts and "recording_groups" not in facts
    assert "storage_limits" in facts
    called = set(paths(camera))
    assert not called & {"disks/gethealth.cgi", "disks/getcapabilities.cgi", "record/recording_group/list.cgi"}


def test_unknown_subset_fails_before_any_request(camera):
    assert "gather_subset 'disk' is not known" in refused_before_any_request(
        camera, info_task(gather_subset=["disk"]))


def test_share_tests_are_opt_in_and_test_every_share_without_a_write(make_camera):
    camera = make_camera("modern-share")
    with camera.model.lock:
        camera.model.add_share("far", "unreachable.example", "cameras", shareid="far")
    run = run_tasks(camera, [info_task("all"), info_task("tests", gather_subset=["share_tests"])])
    assert run.rc == 0, run
    assert "share_tests" not in run.result("all")
    tests = run.result("tests")
    assert tests["gathered_subsets"] == ["share_tests"]
    assert tests["share_tests"]["supported"] is True
    assert tests["share_tests"]["shares"]["nas1"] == {"passed": True, "code": None, "reason": None,
                                                      "error_class": None}
    far = tests["share_tests"]["shares"]["far"]
    assert (far["passed"], far["code"], far["error_class"]) == (False, 760, "device"), far
    assert "could not connect" in far["reason"] and "disks/networkshare/job.cgi" in far["reason"], far
    assert [entry["args"].get("shareid") for entry in camera.log()
            if entry["path"].endswith("networkshare/test.cgi")] == ["far", "nas1"]
    assert camera.write_count() == 0 and run.changed == 0


@pytest.mark.parametrize("fault, error_class, code", [
    ({"kind": "device_error", "code": 730, "description": "Too many jobs"}, "device", 730),
    ({"kind": "device_error", "code": 10, "description": "Internal error"}, "device", 10),
    ({"kind": "truncate"}, "damaged_answer", None),
], ids=["busy", "internal-error", "damaged"])
def test_a_share_test_that_could_not_run_is_unknown_not_failed(make_camera, fault, error_class, code):
    """passed: false says the share failed the test; a test the camera could not run or answer says nothing
    about the share: passed is null, with the camera's own words and the error class."""
    camera = make_camera("modern-share")
    camera.inject(answer=dict(fault, path="disks/networkshare/job.cgi"))
    run = run_tasks(camera, [info_task("tests", gather_subset=["share_tests"])])
    assert run.rc == 0, run
    found = run.result("tests")["share_tests"]["shares"]["nas1"]
    assert (found["passed"], found["error_class"], found["code"]) == (None, error_class, code), found
    assert "disks/networkshare/job.cgi" in found["reason"], found
    if code is not None:
        assert fault["description"] in found["reason"], found


def test_share_tests_of_a_camera_with_no_share_are_empty(legacy_camera):
    run = run_tasks(legacy_camera, [info_task(gather_subset=["share_tests"])])
    assert run.rc == 0, run
    assert run.result("info")["share_tests"] == {"supported": True, "shares": {}}
