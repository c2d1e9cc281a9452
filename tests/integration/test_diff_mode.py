# -*- coding: utf-8 -*-
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``diff`` is in a result only in diff mode (``--diff`` or the task's ``diff: true``), through real ansible-playbook.

``before`` and ``after`` are returned either way; ``diff`` repeats them for Ansible's diff display.
"""

from __future__ import annotations

from tests.integration.harness import run_playbook

LIMIT = {"name": "limit", "vapix.edge_storage.axis_storage_limit": {"disk_id": "SD_DISK", "size": "10 GiB"}}
DISK = {"name": "disk", "vapix.edge_storage.axis_disk": {"disk_id": "SD_DISK", "friendly_name": "SD card"}}
WHOLE = {"name": "whole", "vapix.edge_storage.axis_edge_storage": {
    "disks": [{"disk_id": "SD_DISK", "cleanup_max_age": 30}], "storage_limits": {"SD_DISK": "10 GiB"}}}
TASKS = [LIMIT, DISK, WHOLE, dict(LIMIT, name="limit again")]


def test_no_diff_without_diff_mode_in_check_and_real_runs(camera):
    for check in (True, False):
        run = run_playbook(camera, TASKS, check=check)
        assert run.rc == 0, run
        for task in ("limit", "disk", "whole", "limit again"):
            result = run.result(task)
            assert "diff" not in result, (check, task)
            assert "before" in result and "after" in result, (check, task)
    # the real run changed the camera; the last task found nothing to do, still without a diff
    assert run.result("limit")["changed"] is True and run.result("limit again")["changed"] is False


def test_diff_with_diff_mode_equals_before_and_after(camera):
    run = run_playbook(camera, TASKS, diff=True)
    assert run.rc == 0, run
    for task in ("limit", "disk", "whole", "limit again"):
        result = run.result(task)
        assert result["diff"] == {"before": result["before"], "after": result["after"]}, task
    assert run.result("disk")["diff"]["after"] == {"disk SD_DISK": {"friendly_name": "SD card"}}
    assert '"friendly_name": "SD card"' in run.stdout     # Ansible showed the diff


def test_the_task_keyword_diff_true_turns_diff_mode_on(camera):
    run = run_playbook(camera, [dict(LIMIT, diff=True), dict(DISK, diff=False)], check=True, diff=True)
    assert run.rc == 0, run
    assert run.result("limit")["diff"]["after"]["storage limit SD_DISK"]["size"] == "10 GiB"
    assert "diff" not in run.result("disk")
    without_cli = run_playbook(camera, [dict(LIMIT, diff=True)], check=True)
    assert without_cli.result("limit")["diff"] == {"before": without_cli.result("limit")["before"],
                                                   "after": without_cli.result("limit")["after"]}
