# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_recording (state: absent) against the emulator.

The scenarios run the action plugin in-process (tests/integration/inprocess.py); the check-mode run goes
through real ansible-playbook (test_check_mode_lists_what_goes_with_counts_and_writes_nothing)."""

from __future__ import annotations

from tests.integration.checks import (
    COPIED_ID,
    OTHER_ID,
    minute_recordings,
    one_id_on_two_disks,
    refused_before_any_write_in_both_modes,
)
from tests.integration.harness import run_playbook
from tests.integration.inprocess import run_tasks

MODULE = "vapix.edge_storage.axis_recording"
# The emulator's factory recordings on SD_DISK: motion on 11-20 and 11-21, audio detection on 11-22.
BEFORE_22ND = "2026-11-21T23:00:00Z"


def remove_task(name="remove", **options):
    return {"name": name, MODULE: options}


def events_left(camera):
    with camera.model.lock:
        return sorted(r.event_id for r in camera.model.recordings)


def test_check_mode_lists_what_goes_with_counts_and_writes_nothing(camera):
    camera.clear_log()
    run = run_playbook(camera, [remove_task(before=BEFORE_22ND, disk_id="SD_DISK")], check=True)
    assert run.rc == 0, run
    result = run.result("remove")
    assert result["changed"] is True
    assert result["counts"] == {"total": 2, "active": 0, "by_disk": {"SD_DISK": 2}, "by_event": {"motion": 2}}
    # as the camera lists them (the modern profile in microseconds, as firmware does)
    assert [r["start"] for r in result["recordings"]] == ["2026-11-20T08:00:00.000000Z",
                                                          "2026-11-21T12:30:00.000000Z"]
    assert result["steps"] == ["remove 2 recording(s) from disk SD_DISK (event 'motion': 2) (record/remove.cgi) "
                               "[destructive; needs allow_data_loss]"]
    assert result["needs_allow_data_loss"] == result["steps"]
    assert camera.write_count() == 0 and len(events_left(camera)) == 3


def test_removal_before_a_fixed_time_then_a_rerun_changes_nothing(camera):
    task = remove_task(before=BEFORE_22ND, allow_data_loss=True)
    run = run_tasks(camera, [task])
    assert run.rc == 0, run
    result = run.result("remove")
    assert result["changed"] is True and result["counts"]["total"] == 2
    assert result["steps"][0].endswith("[destructive]")
    assert events_left(camera) == ["audio detection"]
    camera.clear_log()
    again = run_tasks(camera, [task])
    assert again.rc == 0, again
    assert again.result("remove")["changed"] is False and again.result("remove")["steps"] == []
    assert camera.write_count() == 0


def test_without_allow_data_loss_nothing_is_removed(camera):
    camera.clear_log()
    run = run_tasks(camera, [remove_task(event_id="motion")])
    assert run.rc != 0
    result = run.result("remove")
    assert result["msg"] == (
        "1 step would destroy recordings and needs allow_data_loss: true; nothing was changed: remove 2 recording(s) "
        "from disk SD_DISK (event 'motion': 2) (record/remove.cgi) [destructive; needs allow_data_loss]")
    assert result["needs_allow_data_loss"]
    assert camera.write_count() == 0 and len(events_left(camera)) == 3


def test_check_mode_without_allow_data_loss_warns_that_a_real_run_refuses(camera):
    """As the converging modules do: RETURN's needs_allow_data_loss says check mode lists the steps and warns."""
    run = run_tasks(camera, [remove_task(event_id="motion")], check=True)
    assert run.rc == 0, run
    result = run.result("remove")
    assert result["needs_allow_data_loss"] == [
        "remove 2 recording(s) from disk SD_DISK (event 'motion': 2) (record/remove.cgi) "
        "[destructive; needs allow_data_loss]"]
    assert result["warnings"] == [
        "1 step(s) would destroy recordings and need allow_data_loss: true; a real run refuses them before any "
        "write: " + result["needs_allow_data_loss"][0]]
    assert camera.write_count() == 0
    allowed = run_tasks(camera, [remove_task(event_id="motion", allow_data_loss=True)], check=True)
    assert "warnings" not in allowed.result("remove")


def test_removal_by_event_id_and_by_ids_with_an_unknown_id(camera):
    with camera.model.lock:
        first = sorted(camera.model.recordings, key=lambda r: r.start)[0].rec_id
    run = run_tasks(camera, [
        remove_task("by event", event_id="audio detection", disk_id="SD_DISK", allow_data_loss=True),
        remove_task("by ids", recording_ids=[first, "20200101_000000_0000_UNKNOWN"], allow_data_loss=True),
    ])
    assert run.rc == 0, run
    assert run.result("by event")["counts"]["by_event"] == {"audio detection": 1}
    by_ids = run.result("by ids")
    assert [r["recording_id"] for r in by_ids["recordings"]] == [first]
    assert by_ids["not_found"] == ["20200101_000000_0000_UNKNOWN"]
    assert events_left(camera) == ["motion"]


def left_on_the_camera(camera):
    with camera.model.lock:
        return sorted((r.rec_id, r.disk_id) for r in camera.model.recordings)


def test_a_recording_id_on_two_disks_is_removed_from_each_disk_named(make_camera):
    camera = make_camera("modern-share")
    one_id_on_two_disks(camera)
    camera.clear_log()
    run = run_tasks(camera, [remove_task(recording_ids=[COPIED_ID], allow_data_loss=True)])
    assert run.rc == 0, run
    result = run.result("remove")
    assert sorted((r["recording_id"], r["disk_id"]) for r in result["recordings"]) == [
        (COPIED_ID, "NetworkShare"), (COPIED_ID, "SD_DISK")]
    assert result["counts"]["by_disk"] == {"NetworkShare": 1, "SD_DISK": 1} and result["not_found"] == []
    # one remove.cgi per disk, each naming its disk
    removes = [entry["args"] for entry in camera.log() if entry["path"].endswith("record/remove.cgi")]
    assert sorted((args["recordingid"], args["diskid"]) for args in removes) == [
        (COPIED_ID, "NetworkShare"), (COPIED_ID, "SD_DISK")]
    assert left_on_the_camera(camera) == [(OTHER_ID, "SD_DISK")]


def test_a_removal_by_time_removes_a_recording_id_from_both_disks_that_hold_it(make_camera):
    camera = make_camera("modern-share")
    one_id_on_two_disks(camera)
    run = run_tasks(camera, [remove_task(before="2026-11-25T00:00:00Z", allow_data_loss=True)])
    assert run.rc == 0, run
    assert run.result("remove")["counts"]["total"] == 3
    assert left_on_the_camera(camera) == []


def test_only_unknown_ids_is_already_absent(camera):
    camera.clear_log()
    run = run_tasks(camera, [remove_task(recording_ids=["20200101_000000_0000_UNKNOWN"])])
    assert run.rc == 0, run
    assert run.result("remove")["changed"] is False
    assert run.result("remove")["not_found"] == ["20200101_000000_0000_UNKNOWN"]
    assert camera.write_count() == 0


def test_active_recordings_are_refused_unless_included(camera):
    with camera.model.lock:
        camera.model.add_profile("SD_DISK", "resolution=1280x720", "continuous")
    camera.model.advance_clock(600)
    camera.clear_log()
    refused = run_tasks(camera, [remove_task(event_id="continuous", allow_data_loss=True)])
    assert refused.rc != 0
    assert "still recording" in refused.result("remove")["msg"]
    assert "include_active: true" in refused.result("remove")["msg"]
    assert camera.write_count() == 0
    run = run_tasks(camera, [remove_task(event_id="continuous", include_active=True, allow_data_loss=True)])
    assert run.rc == 0, run
    result = run.result("remove")
    assert result["counts"]["active"] == 1 and result["recordings"][0]["active"] is True
    assert "1 active, stopped and removed" in result["steps"][0]


def test_a_locked_disk_keeps_its_recordings_and_check_mode_says_so_as_the_real_run_does(camera):
    camera.model.set_lock("SD_DISK", "lock")
    for msg in refused_before_any_write_in_both_modes(camera, remove_task(event_id="motion", allow_data_loss=True)):
        assert "disk SD_DISK is locked, and the camera removes no recording of a locked disk (2 of the selected " \
               "recordings are on it)" in msg and "locked: false" in msg
    assert len(events_left(camera)) == 3


def test_a_removal_in_batches_that_fails_names_the_batches_removed_before_it(camera):
    # 120 recordings on SD_DISK go in batches of 50, one remove.cgi each; the second answers 500
    minute_recordings(camera, 120)
    batches = ["remove %d recording(s) from disk SD_DISK, batch %d of 3 (event 'continuous': %d) (record/remove.cgi)"
               % (count, number, count) for number, count in ((1, 50), (2, 50), (3, 20))]
    checked = run_tasks(camera, [remove_task(disk_id="SD_DISK", allow_data_loss=True)], check=True)
    assert checked.result("remove")["steps"] == [batch + " [destructive]" for batch in batches]
    camera.inject(answer={"path": "record/remove.cgi", "kind": "replace_body", "status": 500, "body": "Internal error",
                          "content_type": "text/plain", "skip": 1, "apply": False})
    run = run_tasks(camera, [remove_task(disk_id="SD_DISK", allow_data_loss=True)])
    assert run.rc != 0
    result = run.result("remove")
    assert result["changed"] is True and result["writes"] == 2
    assert result["completed_steps"] == batches[:1]
    assert result["failed_step"] == batches[1] and result["not_run_steps"] == batches[2:]
    assert "1 change was made before it: %s" % batches[0] in result["msg"]
    assert "nothing had been changed" not in result["msg"]
    assert result["state_now"] == "70 of the selected recordings are still on the camera"
    assert len(events_left(camera)) == 70
    rerun = run_tasks(camera, [remove_task(disk_id="SD_DISK", allow_data_loss=True)])
    assert rerun.rc == 0, rerun
    assert events_left(camera) == []


def test_a_recording_the_camera_keeps_locked_on_an_unlocked_disk_gets_no_hint_to_unlock_the_disk(camera):
    with camera.model.lock:
        first, second = sorted((r.start, r.rec_id) for r in camera.model.recordings if r.event_id == "motion")
    # the camera removes the first and keeps the second, locked itself; the disk is not locked
    body = ('<?xml version="1.0" ?><root><remove recordingid="%s" result="OK" /><remove recordingid="%s" '
            'result="ERROR" errormsg="Recording is locked" /></root>' % (first[1], second[1]))
    camera.inject(answer={"path": "record/remove.cgi", "kind": "replace_body", "body": body, "apply": False})
    run = run_tasks(camera, [remove_task(event_id="motion", allow_data_loss=True)])
    assert run.rc != 0
    result = run.result("remove")
    assert "the camera kept 1 of 2 recordings on disk SD_DISK: %s: Recording is locked;" % second[1] in result["msg"]
    assert "locked disk" not in result["msg"] and "axis_disk" not in result["msg"]
    assert camera.dump()["disks"][0]["locked"] is False


def test_a_disk_locked_after_the_plan_keeps_its_recordings_and_the_task_says_to_unlock_it(camera):
    """Locked by another client between the plan and the removal: the camera's refusal gets the hint, since the
    disk list read again says the disk is locked."""
    model = camera.model
    original = model.remove_recordings

    def locked_first(*args, **kwargs):
        model.remove_recordings = original
        model.set_lock("SD_DISK", "lock")
        return original(*args, **kwargs)
    model.remove_recordings = locked_first
    run = run_tasks(camera, [remove_task(event_id="motion", allow_data_loss=True)])
    assert run.rc != 0
    result = run.result("remove")
    assert "the camera kept 2 of 2 recordings on disk SD_DISK" in result["msg"] and "Disk is locked" in result["msg"]
    assert "(disk SD_DISK is locked, and a locked disk keeps its recordings: unlock it with axis_disk locked: " \
           "false)" in result["msg"], result["msg"]
    assert result["failed_step"].startswith("remove 2 recording(s) from disk SD_DISK")
    assert len(events_left(camera)) == 3


def test_wrong_selections_fail_before_any_request(camera):
    camera.clear_log()
    tasks = [remove_task("ids and time", recording_ids=["x"], before=BEFORE_22ND),
             remove_task("nothing selected"),
             remove_task("duration", before="7d")]
    for task in tasks:
        task["ignore_errors"] = True
    run = run_tasks(camera, tasks)
    assert "cannot be combined" in run.result("ids and time")["msg"]
    assert "select the recordings to remove" in run.result("nothing selected")["msg"]
    assert "before must be a fixed time" in run.result("duration")["msg"]
    assert camera.log() == []
