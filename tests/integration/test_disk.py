# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_disk against the emulator: converge, idempotence, check/diff, format refused and allowed, mount state,
old firmware, and device errors.

The scenarios run the action plugin in-process (tests/integration/inprocess.py); check mode with --diff runs
through real ansible-playbook, whose diff display must show the declared fields only and no password."""

from __future__ import annotations

import pytest
import requests
from requests.auth import HTTPDigestAuth

from ansible_collections.vapix.edge_storage.plugins.module_utils import _xml
from ansible_collections.vapix.edge_storage.plugins.module_utils._client import parse_param_list
from ansible_collections.vapix.edge_storage.plugins.module_utils._parsers import (
    parse_disk_list,
    parse_storage_params,
)
from tests.integration.checks import (
    jobs_end,
    refused_before_any_request,
    refused_before_any_write_in_both_modes,
    second_run_changes_nothing,
)
from tests.integration.harness import run_playbook
from tests.integration.inprocess import run_tasks

pytestmark = pytest.mark.integration

DECLARED = {
    "disk_id": "SD_DISK",
    "friendly_name": "SD card",
    "cleanup_policy": "none",
    "cleanup_max_age": 30,
    "mount_on_boot": False,
    "auto_repair": False,
    "mount_point_permissions": "750",
    "extra_mount_options": "noatime",
    "required_filesystem": "ext4",
    "alert_levels": {"wear": 80, "temperature": 350},
}


def disk_task(name="disk", **options):
    return {"name": name, "vapix.edge_storage.axis_disk": options}


def device_view(camera, disk_id):
    """What disks/list.cgi and param.cgi Storage say about a disk, read over HTTP as root."""
    auth = HTTPDigestAuth("root", "pass")
    listed = requests.get(camera.url + "/axis-cgi/disks/list.cgi", params={"diskid": "all"}, auth=auth,
                          timeout=10)
    params = requests.get(camera.url + "/axis-cgi/param.cgi", params={"action": "list", "group": "Storage"},
                          auth=auth, timeout=10)
    return (parse_disk_list(_xml.parse(listed.text))[disk_id],
            parse_storage_params(parse_param_list(params.text))[disk_id])


def paths(camera, writes_only=False):
    return [entry["path"] for entry in camera.log() if entry["write"] or not writes_only]


def sd_disk(camera):
    return next(d for d in camera.dump()["disks"] if d["disk_id"] == "SD_DISK")


def test_modern_converge_from_factory_is_idempotent_and_list_and_params_agree(camera):
    run = run_tasks(camera, [disk_task(**DECLARED)])
    assert run.rc == 0, run
    result = run.result("disk")
    assert result["changed"] is True
    # modern firmware: the dedicated CGIs for the required fs and alert levels, every other setting (the cleanup
    # settings too) in one param.cgi update
    written = paths(camera, writes_only=True)
    for cgi in ("setrequiredfs.cgi", "setdiskalertlevels.cgi"):
        assert "/axis-cgi/disks/properties/" + cgi in written
    assert not any("/setcleanup" in path for path in written), written
    assert written.count("/axis-cgi/param.cgi") == 1

    listed, params = device_view(camera, "SD_DISK")
    assert (listed["friendly_name"], listed["cleanup_policy"], listed["cleanup_max_age"],
            listed["required_filesystem"]) == ("SD card", "none", 30, "ext4")
    assert (params["friendly_name"], params["cleanup_policy"], params["cleanup_max_age"],
            params["required_filesystem"]) == ("SD card", "none", 30, "ext4")
    assert params["mount_on_boot"] is False and params["auto_repair"] is False
    assert params["mount_point_permissions"] == "0750"
    assert params["extra_mount_options"] == "noatime"
    assert sd_disk(camera)["alert_levels"] == {"wear": 80, "temperature": 350}

    again = second_run_changes_nothing(camera, [disk_task(**DECLARED)])
    assert again.result("disk")["steps"] == []


def test_legacy_converge_goes_through_param_cgi_with_the_same_result(legacy_camera):
    declared = dict(disk_id="SD_DISK", friendly_name="SD card", cleanup_policy="none", cleanup_max_age=30,
                    mount_on_boot=False, locked=True)
    run = run_tasks(legacy_camera, [disk_task(**declared)])
    assert run.rc == 0 and run.changed == 1, run
    assert run.result("disk")["steps"] == [
        "set friendly_name '' -> 'SD card', cleanup_policy 'fifo' -> 'none', cleanup_max_age 7 -> 30, "
        "mount_on_boot yes -> no of disk SD_DISK (param.cgi Storage.S0)",
        "lock disk SD_DISK",
    ]
    assert not any("/disks/properties/" in path for path in paths(legacy_camera))
    listed, params = device_view(legacy_camera, "SD_DISK")
    assert (listed["friendly_name"], listed["cleanup_policy"], listed["cleanup_max_age"], listed["locked"]) == \
        ("SD card", "none", 30, True)
    assert (params["friendly_name"], params["cleanup_policy"], params["cleanup_max_age"], params["locked"],
            params["mount_on_boot"]) == ("SD card", "none", 30, True, False)

    legacy_camera.clear_log()
    again = run_tasks(legacy_camera, [disk_task(**declared)])
    assert again.rc == 0 and again.changed == 0, again
    assert legacy_camera.write_count() == 0


def test_a_parameter_update_the_camera_applies_in_part_says_what_it_may_have_set_and_the_rerun_converges(
        legacy_camera):
    """Firmware that sets an update's parameters one at a time refuses one and keeps the others, answering only
    the error: the task is changed, names the parameters the camera may have set, and the rerun finishes it."""
    declared = dict(disk_id="SD_DISK", friendly_name="SD card", cleanup_policy="none", cleanup_max_age=30)
    legacy_camera.inject(refuse_param="Storage.S0.FriendlyName")
    run = run_tasks(legacy_camera, [disk_task(**declared)])
    assert run.failed == 1, run
    result = run.result("disk")
    assert result["changed"] is True and result["writes"] == 1
    assert "Error setting 'Storage.S0.FriendlyName' to 'SD card'" in result["msg"]
    assert "may have set the other parameters of this request: Storage.S0.CleanupMaxAge, " \
           "Storage.S0.CleanupPolicyActive" in result["msg"]
    listed, _params = device_view(legacy_camera, "SD_DISK")
    assert (listed["friendly_name"], listed["cleanup_policy"], listed["cleanup_max_age"]) == ("", "none", 30)

    again = run_tasks(legacy_camera, [disk_task(**declared)])
    assert again.rc == 0 and again.changed == 1, again
    assert again.result("disk")["steps"] == [
        "set friendly_name '' -> 'SD card' of disk SD_DISK (param.cgi Storage.S0)"]
    second_run_changes_nothing(legacy_camera, [disk_task(**declared)])


def test_legacy_fails_clearly_for_declared_fields_it_lacks_before_any_write(legacy_camera):
    run = run_tasks(legacy_camera, [disk_task(disk_id="SD_DISK", friendly_name="x", enabled=True,
                                              auto_repair=False, alert_levels={"wear": 80})])
    assert run.failed == 1, run
    result = run.result("disk")
    assert "not supported by this camera" in result["msg"]
    assert "enabled (no Storage.S0.Enabled parameter)" in result["msg"]
    assert "auto_repair (no Storage.S0.AutoRepair parameter)" in result["msg"]
    assert "alert_levels (needs the disk-properties API 1.1 or later" in result["msg"]
    assert "firmware 5.51.7" in result["msg"]
    assert legacy_camera.write_count() == 0


def test_check_mode_on_a_drifted_camera_predicts_the_real_run_without_writing(camera):
    declared = dict(disk_id="SD_DISK", friendly_name="SD card", cleanup_policy="fifo", cleanup_max_age=30,
                    mount_point_permissions="0770")
    assert run_tasks(camera, [disk_task(**declared)]).rc == 0
    drift = run_tasks(camera, [disk_task(disk_id="SD_DISK", friendly_name="changed by hand",
                                         cleanup_max_age=3, mount_point_permissions="0700", auto_repair=False)])
    assert drift.changed == 1, drift

    camera.clear_log()
    check = run_playbook(camera, [disk_task(**declared)], check=True, diff=True)   # check and --diff through Ansible
    assert check.rc == 0, check
    assert camera.write_count() == 0
    predicted = check.result("disk")
    assert predicted["changed"] is True
    assert predicted["steps"] == [
        "set friendly_name 'changed by hand' -> 'SD card', cleanup_max_age 3 -> 30, mount_point_permissions "
        "'0700' -> '0770' of disk SD_DISK (param.cgi Storage.S0)",
    ]
    # --diff: before/after of the declared fields only (auto_repair drifted but is not declared)
    assert predicted["diff"]["before"] == {"disk SD_DISK": {
        "friendly_name": "changed by hand", "cleanup_policy": "fifo", "cleanup_max_age": 3,
        "mount_point_permissions": "0700"}}
    assert predicted["diff"]["after"] == {"disk SD_DISK": {
        "friendly_name": "SD card", "cleanup_policy": "fifo", "cleanup_max_age": 30,
        "mount_point_permissions": "0770"}}
    assert '-        "cleanup_max_age": 3,' in check.stdout
    assert '+        "cleanup_max_age": 30,' in check.stdout
    assert "auto_repair" not in check.stdout
    assert "pass" not in check.stdout.replace("passed", "")     # the camera password never shows

    real = run_tasks(camera, [disk_task(**declared)])
    assert real.result("disk")["steps"] == predicted["steps"]
    assert real.result("disk")["after"] == predicted["after"]
    assert sd_disk(camera)["auto_repair"] is False                 # undeclared drift left alone


def test_format_is_refused_without_opt_in_and_writes_nothing(camera):
    recordings = sd_disk(camera)["recordings"]
    assert recordings > 0
    run = run_tasks(camera, [disk_task(disk_id="SD_DISK", filesystem="vfat", friendly_name="x")])
    assert run.failed == 1, run
    result = run.result("disk")
    assert ("format disk SD_DISK from ext4 to vfat, erasing every recording on it [destructive; needs "
            "allow_data_loss]") in result["msg"]
    assert "needs allow_data_loss: true" in result["msg"]
    assert (result["error_class"], result["writes"]) == ("needs_allow_data_loss", 0)
    assert camera.write_count() == 0
    assert sd_disk(camera)["filesystem"] == "ext4"
    assert sd_disk(camera)["recordings"] == recordings


def test_format_with_opt_in_polls_the_job_and_erases_recordings(camera):
    task = disk_task(disk_id="SD_DISK", filesystem="vfat", allow_format=True, job_timeout=60)
    camera.clear_log()
    check = run_tasks(camera, [task], check=True)
    assert check.result("disk")["steps"] == [
        "format disk SD_DISK from ext4 to vfat, erasing every recording on it [destructive]"]
    assert camera.write_count() == 0

    run = run_tasks(camera, [task])
    assert run.rc == 0 and run.changed == 1, run
    assert run.result("disk")["steps"] == check.result("disk")["steps"]
    called = paths(camera)
    assert "/axis-cgi/disks/format.cgi" in called
    assert called.count("/axis-cgi/disks/job.cgi") >= 2          # polled until it ended
    assert [job["result"] for job in camera.dump()["jobs"] if job["kind"] == "format"] == ["OK"]
    listed, params = device_view(camera, "SD_DISK")
    assert listed["filesystem"] == "vfat" and params["filesystem"] == "vfat"
    assert listed["mounted"] is True                              # mounted again after the format
    assert sd_disk(camera)["recordings"] == 0

    again = run_tasks(camera, [task])
    assert again.rc == 0 and again.changed == 0, again


def test_wipe_formats_a_card_that_holds_the_file_system_already(camera):
    assert sd_disk(camera)["filesystem"] == "ext4" and sd_disk(camera)["recordings"] == 3
    task = disk_task(disk_id="SD_DISK", filesystem="ext4", wipe=True, allow_data_loss=True)
    camera.clear_log()
    check = run_tasks(camera, [task], check=True)
    assert check.result("disk")["steps"] == [
        "wipe disk SD_DISK (format it with ext4 again), erasing every recording on it [destructive]"]
    assert camera.write_count() == 0
    refused = run_tasks(camera, [disk_task(disk_id="SD_DISK", filesystem="ext4", wipe=True)])
    assert refused.rc != 0 and "wipe disk SD_DISK" in refused.result("disk")["msg"]
    assert "needs allow_data_loss: true" in refused.result("disk")["msg"]
    assert camera.write_count() == 0 and sd_disk(camera)["recordings"] == 3
    run = run_tasks(camera, [task])
    assert run.rc == 0 and run.changed == 1, run
    assert sd_disk(camera)["recordings"] == 0 and sd_disk(camera)["filesystem"] == "ext4"
    assert [job["kind"] for job in camera.dump()["jobs"]] == ["format"]
    # without wipe, the same file system is left alone
    assert run_tasks(camera, [disk_task(disk_id="SD_DISK", filesystem="ext4")]).changed == 0


def test_wipe_of_the_network_share_formats_it_with_cifs(make_camera):
    camera = make_camera("modern-share")
    run = run_tasks(camera, [disk_task(disk_id="NetworkShare", filesystem="cifs", wipe=True, allow_data_loss=True)])
    assert run.rc == 0, run
    assert run.result("disk")["steps"] == [
        "wipe disk NetworkShare (format it with cifs again), erasing every recording on it [destructive]"]
    share = next(d for d in camera.dump()["disks"] if d["disk_id"] == "NetworkShare")
    assert share["filesystem"] == "cifs" and share["status"] == "OK"


def test_wipe_without_filesystem_is_refused_before_any_request(camera):
    assert "declare the file system too" in refused_before_any_request(
        camera, disk_task(disk_id="SD_DISK", wipe=True, allow_data_loss=True))


def test_locked_disk_is_not_formatted_unless_declared_unlocked(camera):
    assert run_tasks(camera, [disk_task(disk_id="SD_DISK", locked=True)]).changed == 1
    camera.clear_log()
    refused = run_tasks(camera, [disk_task(disk_id="SD_DISK", filesystem="vfat", allow_format=True)])
    assert "locked, and a locked disk cannot be formatted; declare locked: false" in refused.result("disk")["msg"]
    assert camera.write_count() == 0

    run = run_tasks(camera, [disk_task(disk_id="SD_DISK", filesystem="vfat", allow_format=True, locked=False)])
    assert run.rc == 0, run
    assert run.result("disk")["steps"] == [
        "unlock disk SD_DISK",
        "format disk SD_DISK from ext4 to vfat, erasing every recording on it [destructive]",
    ]
    assert sd_disk(camera)["filesystem"] == "vfat" and sd_disk(camera)["locked"] is False


def test_unmount_and_mount_through_state(camera):
    unmount = run_tasks(camera, [disk_task(disk_id="SD_DISK", state="unmounted")])
    assert unmount.rc == 0 and unmount.changed == 1, unmount
    assert unmount.result("disk")["after"] == {"disk SD_DISK": {"state": "unmounted"}}
    listed, _params = device_view(camera, "SD_DISK")
    assert listed["status"] == "connected" and sd_disk(camera)["mounted"] is False
    assert run_tasks(camera, [disk_task(disk_id="SD_DISK", state="unmounted")]).changed == 0

    mount = run_tasks(camera, [disk_task(disk_id="SD_DISK", state="mounted", cleanup_max_age=14)])
    assert mount.rc == 0, mount
    assert mount.result("disk")["steps"] == [
        "set cleanup_max_age 7000 -> 14 of disk SD_DISK (param.cgi Storage.S0)",   # settings before the mount
        "mount disk SD_DISK",
    ]
    assert sd_disk(camera)["mounted"] is True
    assert run_tasks(camera, [disk_task(disk_id="SD_DISK", state="mounted")]).changed == 0


def test_a_job_whose_progress_cannot_be_read_is_said_to_be_started_and_maybe_running(camera):
    """The polls of the unmount got no answer: the message said nothing had been changed before the step, and
    nothing of the job the camera had started, which then held the disk busy for the rerun."""
    camera.inject(answer={"path": "disks/job.cgi", "kind": "no_answer", "apply": False, "times": 3})
    run = run_tasks(camera, [disk_task(disk_id="SD_DISK", state="unmounted")])
    result = run.result("disk")
    assert run.failed == 1 and result["changed"] is True and result["error_class"] == "timeout", result
    assert result["failed_step"] == "unmount disk SD_DISK", result
    assert ("unmount of disk SD_DISK was started (job %s) and then its progress could not be read, so it may still "
            "be running on the camera" % camera.dump()["disks"][0]["busy_job"]) in result["msg"], result["msg"]
    jobs_end(camera)
    assert run_tasks(camera, [disk_task(disk_id="SD_DISK", state="unmounted")]).changed == 0


@pytest.mark.parametrize("fault", [{"kind": "truncate"}, {"kind": "no_answer"},
                                   {"kind": "replace_body", "status": 500, "content_type": "text/html",
                                    "body": "<html><body>Internal Server Error</body></html>"}],
                         ids=["truncate", "no_answer", "server_error"])
def test_a_job_start_whose_answer_was_lost_says_the_job_may_run_and_the_rerun_names_that_cause(camera, fault):
    """The answer to the unmount's start was lost (or was a server error the camera gave after starting it): the
    message said to run the task again, and the rerun then failed on the busy disk, saying another run or a person
    had started a job on it."""
    camera.inject(answer=dict(fault, path="disks/mount.cgi"))
    task = disk_task(disk_id="SD_DISK", state="unmounted")
    result = run_tasks(camera, [task]).result("disk")
    assert result["failed"] is True and result["changed"] is True, result
    assert ("if the camera started the job, it may still be running, and the camera refuses another job on disk "
            "SD_DISK until it ends: wait for that (disks/job.cgi)") in result["msg"]
    again = run_tasks(camera, [task]).result("disk")
    assert again["error_class"] == "concurrent_change", again
    assert "or a run whose request to start one got no answer or a damaged one; wait until it ends" in again["msg"]
    jobs_end(camera)
    assert run_tasks(camera, [task]).changed == 0


def test_a_job_the_camera_reports_ended_in_error_is_not_said_to_be_running(camera):
    camera.inject(answer={"path": "disks/job.cgi", "kind": "device_error", "description": "unmount failed"})
    result = run_tasks(camera, [disk_task(disk_id="SD_DISK", state="unmounted")]).result("disk")
    assert result["failed"] is True and "unmount failed" in result["msg"], result
    assert "may still be running" not in result["msg"]


def test_a_failed_disk_declared_unmounted_is_unmounted_not_taken_as_unmounted(camera):
    """Status failed (file system errors found on a mounted card) was read as unmounted: state: unmounted
    reported ok and sent nothing, and the card stayed mounted. The unmount is now tried, in check mode too, and
    a refusal (the card was not mounted) is no failure."""
    camera.inject(corrupt="SD_DISK")
    assert sd_disk(camera)["mounted"] is True
    task = disk_task(disk_id="SD_DISK", state="unmounted")
    check = run_tasks(camera, [task], check=True)
    assert check.rc == 0 and check.changed == 1 and camera.write_count() == 0, check
    assert check.result("disk")["steps"][0].startswith("unmount disk SD_DISK (its status failed does not tell")
    unmount = run_tasks(camera, [task])
    assert unmount.rc == 0 and unmount.changed == 1, unmount
    assert sd_disk(camera)["mounted"] is False and sd_disk(camera)["status"] == "failed"
    again = run_tasks(camera, [task])
    assert again.rc == 0 and sd_disk(camera)["mounted"] is False, again


SERVER_ERROR = {"kind": "replace_body", "status": 500, "content_type": "text/html",
                "body": "<html><body>Internal Server Error</body></html>"}


def test_an_unmount_start_of_a_failed_disk_answered_with_a_server_error_is_no_refusal(camera):
    """The unmount of a disk in status failed takes the camera's refusal for 'it was not mounted'; a server error
    answered to the start (the camera started the job) was taken so too: the run reported success while the
    unmount ran. It fails now, saying the job may still be running."""
    camera.inject(corrupt="SD_DISK")
    camera.inject(answer=dict(SERVER_ERROR, path="disks/mount.cgi", times=1))
    result = run_tasks(camera, [disk_task(disk_id="SD_DISK", state="unmounted")]).result("disk")
    assert result.get("failed") is True and result["changed"] is True, result
    assert "HTTP 500" in result["msg"] and "it may still be running" in result["msg"], result["msg"]


def test_the_mount_state_of_a_failed_disk_is_unknown_not_unmounted(camera):
    """A mounted card with file system errors (status failed) was shown as state 'unmounted': check mode's diff
    said so, and the mount the camera refused ('already mounted') ended with 'the device is now: {'state':
    'unmounted'}'. The state the camera does not tell is null."""
    camera.inject(corrupt="SD_DISK")
    task = disk_task(disk_id="SD_DISK", state="mounted")
    check = run_tasks(camera, [task], check=True, diff=True)
    assert check.result("disk")["diff"]["before"] == {"disk SD_DISK": {"state": None}}, check
    run = run_tasks(camera, [task])
    result = run.result("disk")
    assert result.get("failed") and "Disk is already mounted" in result["msg"], result
    assert result["state_now"] == "{'state': None}" and "'unmounted'" not in result["msg"], result
    assert sd_disk(camera)["mounted"] is True


def test_legacy_format_and_required_filesystem(legacy_camera):
    refused = run_tasks(legacy_camera, [disk_task(disk_id="SD_DISK", required_filesystem="ext4")])
    assert "not supported by this camera" in refused.result("disk")["msg"]
    assert "required_filesystem (no Storage.S0.RequiredFileSystem parameter)" in refused.result("disk")["msg"]

    run = run_tasks(legacy_camera, [disk_task(disk_id="SD_DISK", filesystem="ext4", allow_format=True)])
    assert run.rc == 0 and run.changed == 1, run
    listed, params = device_view(legacy_camera, "SD_DISK")
    assert listed["filesystem"] == params["filesystem"] == "ext4"


def test_unknown_disk_and_bad_values_fail_clearly(camera):
    unknown = run_tasks(camera, [disk_task(disk_id="USB_DISK", friendly_name="x")])
    assert "the camera has no disk 'USB_DISK'; its disks are: NetworkShare, SD_DISK" in unknown.result("disk")["msg"]
    assert camera.write_count() == 0

    assert "cleanup_max_age must be between 0 and 7000 days, got 8000" in refused_before_any_request(
        camera, disk_task(disk_id="SD_DISK", cleanup_max_age=8000))
    assert "quoted octal string such as '0770', got the number 504" in refused_before_any_request(
        camera, disk_task(disk_id="SD_DISK", mount_point_permissions=504))


def test_device_errors_surface_with_the_device_text_and_code(camera):
    camera.inject(fail_job="format")
    failed = run_tasks(camera, [disk_task(disk_id="SD_DISK", filesystem="vfat", allow_format=True)])
    assert failed.failed == 1, failed
    result = failed.result("disk")
    assert "step 'format disk SD_DISK from ext4 to vfat, erasing every recording on it' failed" in result["msg"]
    assert "disks/job.cgi" in result["msg"] and "format failed" in result["msg"]
    assert "nothing had been changed before it" in result["msg"]

    operator = run_tasks(camera, [disk_task(disk_id="SD_DISK", cleanup_max_age=5)],
                         defaults={"username": "operator", "password": "operpass"})
    result = operator.result("disk")
    # param.cgi refuses an operator's update of a Storage parameter as it refuses a bad value: no 403
    assert "Error setting 'Storage.S0.CleanupMaxAge' to '5'" in result["msg"]
    assert "the Storage parameters need an admin account" in result["msg"], result["msg"]
    assert sd_disk(camera)["cleanup_max_age"] != 5

    operator = run_tasks(camera, [disk_task(disk_id="SD_DISK", alert_levels={"wear": 70})],
                         defaults={"username": "operator", "password": "operpass"})
    result = operator.result("disk")
    assert "with HTTP 403" in result["msg"] and "needs admin" in result["msg"]
    assert result["http_status"] == 403


def _vfat_card_unmounted_with_ext4_required(camera):
    """An unmounted vfat card in a camera whose required file system is ext4 (set while it was unmounted, or
    a card from elsewhere): the camera formats it at its next mount."""
    assert run_tasks(camera, [disk_task(disk_id="SD_DISK", filesystem="vfat", allow_format=True),
                              disk_task(disk_id="SD_DISK", state="unmounted"),
                              disk_task(disk_id="SD_DISK", required_filesystem="ext4", allow_format=True)]).rc == 0
    assert sd_disk(camera)["filesystem"] == "vfat" and sd_disk(camera)["mounted"] is False
    camera.clear_log()


def test_a_mount_the_camera_formats_at_is_destructive_in_check_mode_and_refused_without_opt_in(camera):
    _vfat_card_unmounted_with_ext4_required(camera)
    mount = disk_task(disk_id="SD_DISK", state="mounted")
    checked = run_tasks(camera, [mount], check=True).result("disk")
    step = ("mount disk SD_DISK (its required file system is ext4 and it holds vfat: the camera formats it when it "
            "mounts it and erases every recording on it) [destructive; needs allow_data_loss]")
    assert checked["steps"] == [step] and checked["needs_allow_data_loss"] == [step]
    assert camera.write_count() == 0

    refused = run_tasks(camera, [mount]).result("disk")
    assert refused["error_class"] == "needs_allow_data_loss" and camera.write_count() == 0
    assert sd_disk(camera)["filesystem"] == "vfat"

    allowed = disk_task(disk_id="SD_DISK", state="mounted", allow_data_loss=True)
    checked = run_tasks(camera, [allowed], check=True).result("disk")
    done = run_tasks(camera, [allowed]).result("disk")
    assert done["steps"] == checked["steps"] == [step.replace("; needs allow_data_loss", "")]
    assert sd_disk(camera)["mounted"] is True and sd_disk(camera)["filesystem"] == "ext4"


def test_a_declared_file_system_the_mount_would_format_away_is_refused_in_check_mode_too(camera):
    _vfat_card_unmounted_with_ext4_required(camera)
    task = disk_task(disk_id="SD_DISK", filesystem="vfat", state="mounted", allow_data_loss=True)
    for msg in refused_before_any_write_in_both_modes(camera, task):
        assert "formats it as its required file system ext4 when it mounts it" in msg
    assert sd_disk(camera)["filesystem"] == "vfat"


@pytest.mark.parametrize("card", ["wrong passphrase", "no passphrase"])
def test_a_card_the_camera_cannot_open_is_not_planned_as_mounted(camera, card):
    if card == "wrong passphrase":
        assert run_tasks(camera, [{"name": "enc", "vapix.edge_storage.axis_encryption": {
            "enabled": True, "passphrase": "ours", "allow_data_loss": True}}]).rc == 0
    camera.inject(insert="SD_DISK", card_passphrase="theirs")
    assert sd_disk(camera)["status"] == card
    camera.clear_log()
    task = disk_task(disk_id="SD_DISK", friendly_name="x", state="mounted")
    for check in (True, False):
        result = run_tasks(camera, [task], check=check).result("disk")
        # (the emulator's admin password 'pass' is masked in every text, so the status is not matched whole)
        assert result.get("failed") and result["error_class"] == "invalid_argument", result
        assert "so the camera cannot mount it" in result["msg"], result
    assert camera.write_count() == 0


@pytest.mark.parametrize("encrypted, status", [(False, "not encrypted"), (True, "no passphrase")])
def test_a_required_file_system_set_with_the_mount_of_a_card_needing_a_format_is_destructive(camera, encrypted,
                                                                                             status):
    """The card holds ext4 already, but its encryption state needs a format: setting required_filesystem ext4
    in the same run as the mount has the camera format it at that mount, so the mount needs allow_data_loss
    (the required file system set before the run is test_a_mount_the_camera_formats_at_is_destructive_...)."""
    assert run_tasks(camera, [disk_task(disk_id="SD_DISK", state="unmounted")]).rc == 0
    with camera.model.lock:
        card = camera.model.disk("SD_DISK")
        card.encryption_enabled, card.encrypted, card.passphrase = not encrypted, encrypted, "pp1"
    assert (sd_disk(camera)["status"], sd_disk(camera)["filesystem"]) == (status, "ext4")
    recordings = camera.dump()["recordings"]["per_disk"]["SD_DISK"]
    assert recordings
    camera.clear_log()
    task = disk_task(disk_id="SD_DISK", required_filesystem="ext4", state="mounted")
    checked = run_tasks(camera, [task], check=True).result("disk")
    # (the emulator's admin password 'pass' is masked in every text, so the status is not matched whole)
    assert checked["steps"][-1].startswith("mount disk SD_DISK (its status is '"), checked
    assert "formats it as its required file system ext4 when it mounts it" in checked["steps"][-1], checked
    assert checked["needs_allow_data_loss"] == [checked["steps"][-1]], checked
    refused = run_tasks(camera, [task]).result("disk")
    assert refused["error_class"] == "needs_allow_data_loss" and camera.write_count() == 0, refused
    assert camera.dump()["recordings"]["per_disk"]["SD_DISK"] == recordings
