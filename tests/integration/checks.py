# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What integration scenarios check again and again, written once.

Each check runs its tasks with ``run``: ``inprocess.run_tasks`` unless the test
module passes its own runner (one that adds the cameras' admin password, or
``harness.run_playbook``), and asserts as it goes.
"""

from __future__ import annotations

from tests.integration.inprocess import run_tasks


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
