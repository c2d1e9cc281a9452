# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_disk_job against the emulator: check, repair, format.

The scenarios run the action plugin in-process (tests/integration/inprocess.py); check mode runs through real
ansible-playbook (test_check_mode_plans_without_a_single_write_or_job)."""

from __future__ import annotations

import pytest
import yaml

from ansible_collections.vapix.edge_storage.plugins.modules import axis_disk_job
from tests.integration.checks import format_that_outlives_job_timeout, refused_before_any_write_in_both_modes
from tests.integration.harness import run_playbook
from tests.integration.inprocess import run_tasks

MODULE = "vapix.edge_storage.axis_disk_job"


def job_task(name="job", **options):
    options.setdefault("disk_id", "SD_DISK")
    return {"name": name, MODULE: options}


def sd(camera):
    return next(disk for disk in camera.dump()["disks"] if disk["disk_id"] == "SD_DISK")


def test_check_of_a_sound_card_unmounts_checks_and_mounts_again(camera):
    camera.clear_log()
    run = run_tasks(camera, [job_task(action="check")])
    assert run.rc == 0, run
    result = run.result("job")
    assert result["changed"] is True
    assert result["steps"] == ["unmount disk SD_DISK (recording to it stops until it is mounted again)",
                               "check the file system of disk SD_DISK (checkdisk.cgi)",
                               "mount disk SD_DISK again"]
    assert result["status_before"] == "ok" and result["status_after"] == "ok"
    assert result["clean"] is True and result["findings"]["result"] == "OK"
    assert result["findings"]["action"] == "checkdisk" and result["findings"]["progress"] == 100
    assert result["needs_allow_data_loss"] == []
    # unmount and mount are the writes; the check itself is not one
    assert camera.write_count() == 2
    kinds = [job["kind"] for job in camera.dump()["jobs"]]
    assert kinds == ["unmount", "checkdisk", "mount"]
    assert sd(camera)["mounted"] is True


def test_check_of_a_corrupt_card_reports_the_finding_and_leaves_the_card_mounted(camera):
    camera.inject(corrupt="SD_DISK")
    run = run_tasks(camera, [job_task(action="check")])
    assert run.rc == 0, run
    result = run.result("job")
    assert result["status_before"] == "failed"
    assert result["clean"] is False
    assert result["findings"]["result"] == "ERROR"
    assert "errors found" in result["findings"]["description"]
    # status failed does not tell whether the disk is mounted: the unmount is tried and worked
    assert result["steps"][0].startswith("unmount disk SD_DISK (status failed does not tell")
    assert result["status_after"] == "failed"
    assert sd(camera)["fs_errors"] is True and sd(camera)["mounted"] is True


def test_check_mode_plans_without_a_single_write_or_job(camera):
    camera.clear_log()
    run = run_playbook(camera, [job_task(action="repair")], check=True)
    assert run.rc == 0, run
    result = run.result("job")
    assert result["changed"] is True
    assert result["steps"][1] == ("repair the file system of disk SD_DISK (damaged files may be lost) "
                                  "(repair.cgi) [destructive; needs allow_data_loss]")
    assert result["needs_allow_data_loss"] == [result["steps"][1]]
    assert result["findings"] is None and result["status_after"] is None
    assert camera.write_count() == 0 and camera.dump()["jobs"] == []


def test_repair_needs_allow_data_loss_and_fails_before_any_write(camera):
    camera.inject(corrupt="SD_DISK")
    camera.clear_log()
    run = run_tasks(camera, [job_task(action="repair")])
    assert run.rc != 0
    result = run.result("job")
    assert "allow_data_loss: true" in result["msg"]
    assert result["needs_allow_data_loss"] and result["needs_allow_data_loss"][0].startswith("repair the file")
    assert camera.write_count() == 0 and camera.dump()["jobs"] == []


def test_check_mode_warns_that_a_real_run_refuses_a_format_without_allow_data_loss(camera):
    """As the converging modules do: the step is listed in needs_allow_data_loss and a warning says a real run
    refuses it."""
    camera.clear_log()
    run = run_tasks(camera, [job_task(action="format", filesystem="ext4")], check=True)
    assert run.rc == 0, run
    result = run.result("job")
    assert result["needs_allow_data_loss"] == ["format disk SD_DISK with ext4, erasing every recording on it "
                                               "(format.cgi) [destructive; needs allow_data_loss]"]
    assert result["warnings"] == [
        "1 step(s) would destroy recordings and need allow_data_loss: true; a real run refuses them before any "
        "write: " + result["needs_allow_data_loss"][0]]
    assert camera.write_count() == 0
    allowed = run_tasks(camera, [job_task(action="format", filesystem="ext4", allow_data_loss=True)], check=True)
    assert "warnings" not in allowed.result("job")


def test_repair_fixes_a_corrupt_card_and_a_check_then_finds_it_clean(camera):
    camera.inject(corrupt="SD_DISK")
    run = run_tasks(camera, [job_task("repair", action="repair", allow_data_loss=True),
                             job_task("check", action="check")])
    assert run.rc == 0, run
    repair = run.result("repair")
    assert repair["changed"] is True and repair["clean"] is True
    assert repair["status_before"] == "failed" and repair["status_after"] == "ok"
    assert repair["steps"][1].endswith("[destructive]")
    assert run.result("check")["clean"] is True
    assert sd(camera)["fs_errors"] is False and sd(camera)["mounted"] is True


def test_a_failed_repair_job_fails_the_task_and_mounts_the_card_again(camera):
    camera.inject(fail_job="repair")
    run = run_tasks(camera, [job_task(action="repair", allow_data_loss=True)])
    assert run.rc != 0
    result = run.result("job")
    assert "the repair job ended in ERROR: repair failed" in result["msg"]
    assert result["failed_step"].startswith("repair the file system of disk SD_DISK")
    assert result["completed_steps"] == ["unmount disk SD_DISK (recording to it stops until it is mounted "
                                         "again)", "mount disk SD_DISK again"]
    assert result["not_run_steps"] == []
    assert "mounted again after the failure; disk SD_DISK has status ok" in result["msg"]
    # The remount ran after the failure: it is completed, but no change made before it.
    assert ("; 1 change was made before it: unmount disk SD_DISK (recording to it stops until it is mounted "
            "again); the device is now: " in result["msg"]), result["msg"]
    assert sd(camera)["mounted"] is True


def test_format_wipes_a_card_with_the_same_file_system(camera):
    assert camera.dump()["recordings"]["per_disk"]["SD_DISK"] == 3
    run = run_tasks(camera, [job_task(action="format", allow_data_loss=True)])
    assert run.rc == 0, run
    result = run.result("job")
    assert result["steps"][1] == ("format disk SD_DISK with ext4, erasing every recording on it (format.cgi) "
                                  "[destructive]")
    assert result["status_after"] == "ok" and result["clean"] is True
    state = sd(camera)
    assert state["filesystem"] == "ext4" and state["mounted"] is True and state["recordings"] == 0


def test_format_of_a_locked_card_is_refused_before_any_write(camera):
    camera.model.set_lock("SD_DISK", "lock")
    camera.clear_log()
    run = run_tasks(camera, [job_task(action="format", allow_data_loss=True)])
    assert run.rc != 0
    assert "is locked" in run.result("job")["msg"] and "locked: false" in run.result("job")["msg"]
    assert camera.write_count() == 0


def test_format_of_a_card_with_no_known_file_system_asks_for_one(camera):
    """disks/list.cgi names no file system (a card the camera cannot read): a format without filesystem said
    'cannot be formatted with None'; it now asks for the option, before any write, check mode included."""
    camera.inject(answer={"path": "disks/list.cgi", "kind": "set_attribute", "name": "filesystem", "value": "",
                          "times": 2})
    task = job_task(action="format", allow_data_loss=True)
    for msg in refused_before_any_write_in_both_modes(camera, task):
        assert msg == ("disk SD_DISK has no known file system (disks/list.cgi names none), so action: format needs "
                       "filesystem: declare one of vfat, ext4"), msg
    assert sd(camera)["recordings"] == 3


def test_check_of_a_vfat_card_is_refused_before_any_write(legacy_camera):
    run = run_tasks(legacy_camera, [job_task(action="check")])
    assert run.rc != 0
    assert "only an SD card with ext4" in run.result("job")["msg"]
    assert legacy_camera.write_count() == 0


def test_format_of_the_network_share_with_cifs(make_camera):
    camera = make_camera("modern-share")
    run = run_tasks(camera, [job_task(disk_id="NetworkShare", action="format", filesystem="cifs",
                                      allow_data_loss=True)])
    assert run.rc == 0, run
    result = run.result("job")
    assert result["steps"][1].startswith("format disk NetworkShare with cifs")
    assert result["status_after"] == "ok"


def test_a_job_that_outlives_job_timeout_fails_and_says_where_it_stopped(camera):
    camera.inject(stuck_jobs=True)
    run = run_tasks(camera, [job_task(action="check", job_timeout=1)])
    assert run.rc != 0
    result = run.result("job")
    # the unmount itself never ends: nothing else runs and the message says where things stand
    assert "unmount of disk SD_DISK started, not finished after 1 s" in result["msg"]
    assert result["failed_step"].startswith("unmount disk SD_DISK")
    assert result["error_class"] == "timeout" and result["job_timeout"] == 1
    assert len(result["not_run_steps"]) == 2


def test_a_format_the_mount_again_would_undo_is_refused_before_any_write_check_mode_included(camera):
    """With required file system ext4 the camera formats a vfat card back to ext4 when the run mounts it again:
    the task would report a format with vfat and leave ext4, so it is refused, in check mode as well."""
    assert run_tasks(camera, [{"name": "required", "vapix.edge_storage.axis_disk": {
        "disk_id": "SD_DISK", "required_filesystem": "ext4"}}]).rc == 0
    task = job_task(disk_id="SD_DISK", action="format", filesystem="vfat", allow_data_loss=True)
    for msg in refused_before_any_write_in_both_modes(camera, task):
        assert "formats it again as ext4 when this run mounts it after the format with vfat" in msg
    assert sd(camera)["filesystem"] == "ext4"
    done = run_tasks(camera, [job_task(disk_id="SD_DISK", action="format", filesystem="ext4", allow_data_loss=True)])
    assert done.rc == 0, done


def test_a_format_that_outlives_job_timeout_sends_no_mount_and_says_how_to_finish_without_a_second_erase(camera):
    """The format (not the unmount) outlives job_timeout: no mount is sent while it runs (the camera refuses one
    on a busy disk), and the message tells to mount the disk once the job has ended, not to run the task again
    (which would format it a second time and leave it unmounted)."""
    format_that_outlives_job_timeout(camera)
    camera.clear_log()
    run = run_tasks(camera, [job_task(action="format", allow_data_loss=True, job_timeout=1)])
    assert run.rc != 0
    result = run.result("job")
    assert result["error_class"] == "timeout" and result["changed"], result
    assert result["failed_step"].startswith("format disk SD_DISK")
    assert [entry["path"].rsplit("/", 1)[-1] for entry in camera.log() if entry["write"]] == [
        "mount.cgi", "format.cgi"]
    assert "another run or a person" not in result["msg"]
    assert ("not mounted again, since the format job may still be running and the camera mounts no disk busy with "
            "a job: once it has ended, mount it with axis_disk state: mounted (running this task again would format "
            "it again, erasing it a second time, and leave it unmounted)" in result["msg"]), result["msg"]
    assert sd(camera)["mounted"] is False and sd(camera)["busy_job"] is not None


@pytest.mark.parametrize("fault", [
    {"path": "disks/format.cgi", "kind": "no_answer"},
    {"path": "disks/format.cgi", "kind": "replace_body", "status": 500, "content_type": "text/html",
     "body": "<html><body>Internal Server Error</body></html>", "apply": True},
    {"path": "disks/job.cgi", "kind": "no_answer", "apply": False, "skip": 3, "times": 10},   # after the unmount
], ids=["start_unanswered", "start_server_error", "poll_unanswered"])
def test_a_format_that_may_have_started_sends_no_mount_and_says_how_to_finish_without_a_second_erase(
        make_camera, fault):
    """A format whose start got no answer or a server error (the camera may have started it), or whose progress
    could not be read, was followed by a mount: the camera refused it for the busy disk and the message blamed
    'another run or a person' for this run's own job; as for a job that outlives job_timeout, no mount is sent
    and the message says to mount the disk once the job has ended, not to run the task again."""
    camera = make_camera("modern", job_polls=3)
    camera.inject(answer=fault)
    camera.clear_log()
    run = run_tasks(camera, [job_task(action="format", allow_data_loss=True, timeout=3)])
    assert run.rc != 0
    result = run.result("job")
    assert result["changed"] and result["failed_step"].startswith("format disk SD_DISK"), result
    assert [entry["path"].rsplit("/", 1)[-1] for entry in camera.log() if entry["write"]] == [
        "mount.cgi", "format.cgi"]
    assert "another run or a person" not in result["msg"], result["msg"]
    # nothing in the message tells to run the task again as it is (the client's own words for a lost write said so,
    # and so did the words for a job that may still run: 'wait for that before running the task again')
    assert "run the task again" not in result["msg"] and "running the task again" not in result["msg"], result["msg"]
    assert ("not mounted again, since the format job may still be running and the camera mounts no disk busy with "
            "a job: once it has ended, mount it with axis_disk state: mounted (running this task again would format "
            "it again, erasing it a second time, and leave it unmounted)" in result["msg"]), result["msg"]
    assert sd(camera)["mounted"] is False and sd(camera)["busy_job"] is not None


@pytest.mark.parametrize("action", ["check", "repair"])
def test_a_check_or_repair_whose_progress_cannot_be_read_says_it_may_still_be_running(make_camera, action):
    """The failed poll of a check or a repair was reported alone: nothing said the job had started and that the
    camera refuses another job on the disk until it ends."""
    camera = make_camera("modern", job_polls=3)
    camera.inject(answer={"path": "disks/job.cgi", "kind": "no_answer", "apply": False, "skip": 4, "times": 10})
    result = run_tasks(camera, [job_task(action=action, allow_data_loss=True, timeout=3)]).result("job")
    assert result["failed"] is True and result["error_class"] == "timeout", result
    assert ("%s of disk SD_DISK was started (job " % action) in result["msg"], result["msg"]
    assert "may still be running on the camera, which refuses another job on disk SD_DISK" in result["msg"]


@pytest.mark.parametrize("fault", [{"kind": "no_answer"},
                                   {"kind": "replace_body", "status": 500, "content_type": "text/html",
                                    "body": "<html><body>Internal Server Error</body></html>"}],
                         ids=["no_answer", "server_error"])
def test_an_unmount_of_a_failed_disk_that_may_have_started_is_no_refusal(camera, fault):
    """A disk in status failed is unmounted first, and the camera's refusal means it was not mounted; an unmount
    start with no answer or a server error (the camera started the job) was taken so too: reported completed,
    then the check was refused as the disk was busy, blaming another run or a person for this run's own unmount.
    It fails at the unmount now, saying the job may still be running, and starts no check."""
    camera.inject(corrupt="SD_DISK")
    camera.inject(answer=dict(fault, path="disks/mount.cgi", times=1))
    result = run_tasks(camera, [job_task(action="check")]).result("job")
    assert result["failed"] is True and result["changed"] is True, result
    assert result["failed_step"].startswith("unmount disk SD_DISK"), result
    assert "it may still be running" in result["msg"] and "another run or a person" not in result["msg"], result
    assert [job["kind"] for job in camera.dump()["jobs"]] == ["unmount"]


def test_the_result_has_what_return_documents_on_success_and_on_failure(camera):
    """RETURN said action, disk_id, status_before, status_after, findings and clean come always, with statuses such
    as OK; a failed task has none of them, and statuses are lower case, as disks/list.cgi is parsed."""
    documented = yaml.safe_load(axis_disk_job.RETURN)
    always = {key for key, entry in documented.items() if entry["returned"] == "always"}
    success = {key for key, entry in documented.items() if entry["returned"] == "success"}
    done = run_tasks(camera, [job_task(action="check")]).result("job")
    assert success | always <= set(done), (success | always) - set(done)
    assert done["status_before"] == documented["status_after"]["sample"] == "ok" and done["status_after"] == "ok"
    camera.model.set_lock("SD_DISK", "lock")
    refused = run_tasks(camera, [job_task(action="format", allow_data_loss=True)]).result("job")
    assert refused.get("failed") and always <= set(refused), always - set(refused)
