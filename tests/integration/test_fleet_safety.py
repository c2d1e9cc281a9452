# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fleet-safe runs against the emulator: a result never hides a write, every check happens before the
first write, mixed-firmware fleets, concurrent runs on one camera.

The scenarios run the action plugin in-process (tests/integration/inprocess.py). Real ansible-playbook
runs what only Ansible does: two hosts of one play running at once on one camera
(test_two_simultaneous_runs_adding_the_same_profile_leave_exactly_one), and the status Ansible gives a
task that left out what the camera lacks (changed, not skipped:
test_unsupported_skip_converges_the_rest_reports_what_it_left_out_and_reruns_unchanged)."""

from __future__ import annotations

import threading
import time

from tests.integration.harness import run_playbook
from tests.integration.inprocess import run_tasks

TASK = "converge the camera"
NAS1 = {"name": "nas1", "address": "nas.example.com", "share": "cameras", "share_username": "cam",
        "share_password": "n4s-pass", "bound": True}


def converge(camera, desired, runner=run_tasks, **kwargs):
    """One axis_edge_storage task with desired, in-process unless runner is harness.run_playbook."""
    return runner(camera, [{"name": TASK, "vapix.edge_storage.axis_edge_storage": desired}], **kwargs)


def writes(camera):
    return [entry["path"].rsplit("/", 1)[-1] for entry in camera.log() if entry["write"]]


# -- the result tells the truth ------------------------------------------------------------------


def test_a_run_that_fails_after_writes_is_changed_and_names_its_completed_steps(camera):
    desired = {
        "shares": [NAS1],
        "disks": [{"disk_id": "SD_DISK", "friendly_name": "SD card"}],
        # An fps the camera cannot stream: only the camera can judge it, at the add.
        "continuous_profiles": [{"disk_id": "SD_DISK", "event_id": "sd", "options": {"fps": 99}}],
    }
    camera.clear_log()
    run = converge(camera, desired)
    assert run.rc != 0
    result = run.result(TASK)
    assert result["changed"] is True
    # The share test is no write; the rejected add is one.
    assert result["writes"] == camera.write_count() == 4
    assert [step.split(" ")[0] for step in result["completed_steps"]] == ["test", "add", "bind", "set"]
    assert result["failed_step"].startswith("add continuous recording profile on disk SD_DISK, event id sd")
    assert result["not_run_steps"] == []
    assert "3 changes were made before it: add share 'nas1'" in result["msg"]
    assert result["error_class"] == "device"
    assert (result["model"], result["firmware"]) == ("AXIS Companion Bullet LE", "9.80.2.2")
    # The share really is there: the result did not hide it.
    assert [share["share_id"] for share in camera.dump()["shares"]] == ["nas1"]


def test_a_write_without_answer_is_reported_as_may_have_been_applied(camera):
    set_limit = camera.model.set_limit
    carried_out = threading.Event()

    def slow_set_limit(*args, **kwargs):
        time.sleep(1.5)          # the client gives up after its timeout of 1 s
        try:
            return set_limit(*args, **kwargs)
        finally:
            carried_out.set()
    camera.model.set_limit = slow_set_limit
    camera.clear_log()
    run = run_tasks(camera, [{"name": TASK, "vapix.edge_storage.axis_edge_storage": {
        "storage_limits": {"SD_DISK": "2 GiB"}, "timeout": 1}}])
    assert carried_out.wait(30)
    assert run.rc != 0
    result = run.result(TASK)
    assert (result["changed"], result["writes"]) == (True, 1)
    assert result["failed_step"].startswith("set the storage limit of SD_DISK to 2 GiB")
    assert "its request got no answer, so it may have been applied" in result["msg"]
    # It was: the camera carried out the write after the client gave up.
    assert camera.dump()["storage_limits"]["SD_DISK"] == 2097152


def test_a_job_that_outlives_its_timeout_is_a_change_that_may_still_be_running(camera):
    camera.inject(stuck_jobs=True)
    camera.clear_log()
    run = converge(camera, {"disks": [{"disk_id": "SD_DISK", "filesystem": "vfat", "job_timeout": 1}],
                            "allow_data_loss": True})
    assert run.rc != 0
    result = run.result(TASK)
    assert (result["changed"], result["writes"], result["error_class"]) == (True, 1, "timeout")
    assert "format of disk SD_DISK started, not finished after 1 s" in result["msg"]
    assert "it may still be running" in result["msg"]
    assert result["completed_steps"] == []


# -- every check before the first write; mixed-firmware fleets ---------------------------------------


def test_a_share_and_its_disk_settings_and_limit_converge_from_factory_in_one_run(camera):
    desired = {"shares": [NAS1],
               "disks": [{"disk_id": "NetworkShare", "cleanup_max_age": 14, "state": "mounted"}],
               "storage_limits": {"NetworkShare": "500 GiB"}}
    # The NetworkShare disk is disconnected until the share is bound: check mode plans the share, says the
    # disk is planned after it, and fails nothing.
    checked = converge(camera, desired, check=True)
    assert checked.rc == 0, checked
    assert any("disk NetworkShare (disks) is planned after the changes of the sections before it" in warning
               for warning in checked.result(TASK)["warnings"])
    run = converge(camera, desired)
    assert run.rc == 0, run
    state = camera.dump()
    assert state["storage_limits"]["NetworkShare"] == 524288000
    network_share = next(disk for disk in state["disks"] if disk["disk_id"] == "NetworkShare")
    assert (network_share["share_id"], network_share["mounted"], network_share["cleanup_max_age"]) == \
        ("nas1", True, 14)
    again = converge(camera, desired)
    assert again.rc == 0, again
    assert again.changed == 0


LEGACY_DESIRED = {
    "shares": [NAS1],
    "disks": [{"disk_id": "SD_DISK", "cleanup_max_age": 30, "required_filesystem": "none"}],
    "storage_limits": {"SD_DISK": "2 GiB"},
    "recording_groups": [{"id": "week", "disk_id": "SD_DISK", "retention": "7d"}],
    "purge": ["recording_groups"],
}


def test_a_legacy_camera_fails_naming_everything_it_lacks_with_no_write(legacy_camera):
    legacy_camera.clear_log()
    run = converge(legacy_camera, LEGACY_DESIRED)
    assert run.rc != 0
    result = run.result(TASK)
    assert result["msg"].startswith(
        "not supported by this camera (5.51.7): disk SD_DISK: required_filesystem (no Storage.S0.RequiredFileSystem "
        "parameter) (disks), recording storage limit (storage_limits), recording groups (recording_groups). "
        "Nothing was changed")
    assert "unsupported: skip" in result["msg"]
    assert (result["error_class"], result["writes"], result["changed"]) == ("unsupported", 0, False)
    assert (result["model"], result["firmware"]) == ("AXIS P5512", "5.51.7")
    assert legacy_camera.write_count() == 0


def test_unsupported_skip_converges_the_rest_reports_what_it_left_out_and_reruns_unchanged(legacy_camera):
    desired = dict(LEGACY_DESIRED, unsupported="skip")
    run = converge(legacy_camera, desired, runner=run_playbook)
    assert run.rc == 0, run
    # Reported as changed, not as a skipped task.
    assert (run.changed, len(run.statuses("skipped"))) == (1, 0)
    result = run.result(TASK)
    assert result["changed"] is True
    skipped = [entry["what"] for entry in result["skipped_unsupported"]]
    assert skipped == ["required_filesystem of disk SD_DISK (disks)", "storage limit SD_DISK (storage_limits)",
                       "recording groups other than week (recording_groups)",
                       "recording group week (recording_groups)"]
    assert "Storage.S0.RequiredFileSystem" in result["skipped_unsupported"][0]["why"]
    assert all(any(what in warning for warning in result["warnings"]) for what in skipped)
    share = legacy_camera.dump()["shares"][0]
    assert (share["share_id"], share["disk_id"]) == ("nas1", "NetworkShare")
    sd = next(disk for disk in legacy_camera.dump()["disks"] if disk["disk_id"] == "SD_DISK")
    assert sd["cleanup_max_age"] == 30

    legacy_camera.clear_log()
    again = converge(legacy_camera, desired)
    assert again.rc == 0, again
    assert again.changed == 0
    assert [entry["what"] for entry in again.result(TASK)["skipped_unsupported"]] == skipped
    assert legacy_camera.write_count() == 0


# -- concurrent runs on one camera -------------------------------------------------------------------


def test_two_simultaneous_runs_adding_the_same_profile_leave_exactly_one(camera):
    camera.model.max_profiles = 3
    camera.set_latency(300)
    camera.clear_log()
    task = {"name": TASK, "vapix.edge_storage.axis_continuous_profile": {
        "disk_id": "SD_DISK", "event_id": "fleet", "options": {"resolution": "1280x720"}}}
    # Two hosts of one play, run in parallel, are one camera.
    run = run_playbook([camera, camera], [task], forks=2)
    camera.set_latency(0)
    fleet = [p for p in camera.dump()["continuous_profiles"] if p["event_id"] == "fleet"]
    assert len(fleet) == 1, camera.dump()["continuous_profiles"]
    results = [run.result(TASK, host) for host in ("cam0", "cam1")]
    assert any(not result.get("failed") for result in results), run
    for result in results:
        if result.get("failed"):
            assert result["error_class"] == "concurrent_change"
            assert "this run removed the profile it added" in result["msg"]
    # Both runs added a profile; the one added second was removed again by its own run.
    assert writes(camera).count("addconfiguration.cgi") == 2
    assert writes(camera).count("removeconfiguration.cgi") == 1
