# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What integration scenarios check again and again, and states they start from, written once.

Each check runs its tasks with ``run``: ``inprocess.run_tasks`` unless the test
module passes its own runner (one that adds the cameras' admin password, or
``harness.run_playbook``), and asserts as it goes.
"""

from __future__ import annotations

import datetime

from tests.emulator.model import Recording, parse_time
from tests.integration.inprocess import run_tasks

# A recording copied to the network share keeps its id there: this id is on both disks of
# one_id_on_two_disks, and OTHER_ID on SD_DISK only.
COPIED_ID = "20261120_080000_AAAA_ACCC8EF7DE6B"
OTHER_ID = "20261121_080000_BBBB_ACCC8EF7DE6B"


def one_id_on_two_disks(camera):
    """Replace the camera's recordings (a modern-share camera: SD_DISK and NetworkShare mounted) with COPIED_ID on
    SD_DISK and on NetworkShare and OTHER_ID on SD_DISK, finished motion recordings of 5 minutes."""
    with camera.model.lock:
        camera.model.recordings = [
            Recording(rec_id, disk_id, parse_time(start), parse_time(start) + datetime.timedelta(minutes=5), "motion",
                      "triggered", "motion", "")
            for rec_id, disk_id, start in ((COPIED_ID, "SD_DISK", "2026-11-20T08:00:00Z"),
                                           (COPIED_ID, "NetworkShare", "2026-11-20T08:00:00Z"),
                                           (OTHER_ID, "SD_DISK", "2026-11-21T08:00:00Z"))]


def minute_recordings(camera, count):
    """Replace the camera's recordings with count recordings of one minute on SD_DISK, one after the other, each
    started and stopped by the camera model (its continuous recording), its clock moving on a minute each."""
    with camera.model.lock:
        camera.model.recordings = []
    for _minute in range(count):
        recording_id = camera.model.start_recording("SD_DISK")
        camera.model.advance_clock(60)
        camera.model.stop_recording(recording_id)


def check_then_apply(camera, tasks, run=run_tasks):
    """Run the tasks in check mode (they must succeed and send no write), then for real (they must succeed).

    Returns (the check-mode run, the real run).
    """
    checked = run(camera, tasks, check=True)
    assert checked.rc == 0, checked
    assert camera.write_count() == 0
    real = run(camera, tasks)
    assert real.rc == 0, real
    return checked, real


def second_run_changes_nothing(camera, tasks, run=run_tasks):
    """Run the tasks again from a clear request log: they must succeed, change nothing and send no write.

    Returns that run.
    """
    camera.clear_log()
    again = run(camera, tasks)
    assert again.rc == 0, again
    assert again.changed == 0, again
    assert camera.write_count() == 0
    return again


def refused_before_any_request(camera, task, run=run_tasks):
    """Run one task that must fail before its first request to the camera; returns its msg."""
    camera.clear_log()
    refused = run(camera, [task])
    assert refused.failed == 1, refused
    assert camera.log() == []
    return refused.result(task["name"])["msg"]


def refused_before_any_write_in_both_modes(camera, task, run=run_tasks):
    """Run one task in check mode, then for real: each must fail as invalid_argument, naming no failed step, and
    neither may write; returns the two messages (check mode's first)."""
    camera.clear_log()
    messages = []
    for check in (True, False):
        result = run(camera, [task], check=check).result(task["name"])
        assert result.get("failed") and result["error_class"] == "invalid_argument", result
        assert result.get("failed_step") is None, result
        messages.append(result["msg"])
    assert camera.write_count() == 0
    return messages


def format_that_outlives_job_timeout(camera):
    """From the next format on, the camera's jobs do not end (until stuck_jobs is cleared); returns the undo."""
    model = camera.model
    start_format = model.start_format

    def format_that_hangs(*args, **kwargs):
        job = start_format(*args, **kwargs)
        model.stuck_jobs = True
        return job
    model.start_format = format_that_hangs

    def undo():
        model.start_format = start_format
        camera.inject(stuck_jobs=False)
    return undo


def jobs_end(camera):
    """Every disk job the camera runs ends, as if it were polled until it did (what waiting for it comes to)."""
    for disk in camera.dump()["disks"]:
        while disk["busy_job"] is not None:
            camera.model.poll_disk_job(disk["busy_job"], disk["disk_id"])
            disk = next(one for one in camera.dump()["disks"] if one["disk_id"] == disk["disk_id"])
