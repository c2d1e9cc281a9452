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


def test_no_diff_without_diff_mode_but_with_the_task_keyword(camera):
    run = run_playbook(camera, TASKS + [dict(LIMIT, name="limit with diff: true", diff=True)])
    assert run.rc == 0, run
    for task in ("limit", "disk", "whole", "limit again"):
        result = run.result(task)
        assert "diff" not in result, task
        assert "before" in result and "after" in result, task
    # the run changed the camera; "limit again" found nothing to do, still without a diff
    assert run.result("limit")["changed"] is True and run.result("limit again")["changed"] is False
    keyword = run.result("limit with diff: true")
    assert keyword["diff"] == {"before": keyword["before"], "after": keyword["after"]}
    assert keyword["diff"]["after"]["storage limit SD_DISK"]["size"] == "10 GiB"


def test_diff_with_diff_mode_equals_before_and_after_unless_the_task_turns_it_off(camera):
    run = run_playbook(camera, TASKS + [dict(DISK, name="disk with diff: false", diff=False)], check=True, diff=True)
    assert run.rc == 0, run
    for task in ("limit", "disk", "whole", "limit again"):
        result = run.result(task)
        assert result["diff"] == {"before": result["before"], "after": result["after"]}, task
    assert run.result("disk")["diff"]["after"] == {"disk SD_DISK": {"friendly_name": "SD card"}}
    assert '"friendly_name": "SD card"' in run.stdout     # Ansible showed the diff
    assert "diff" not in run.result("disk with diff: false")
