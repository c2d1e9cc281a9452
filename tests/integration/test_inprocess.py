# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The in-process runner returns what a real ansible-playbook run returns for the same tasks, and polls jobs fast."""

from __future__ import annotations

import time

import pytest

from tests.integration.harness import run_playbook
from tests.integration.inprocess import run_task, run_tasks

pytestmark = pytest.mark.integration

# Keys only Ansible's executor adds to a task result (the plugin never returns them); it also adds
# changed=False to a result without 'changed' (a failure of the argument spec).
EXECUTOR_ONLY = {"_ansible_no_log": False, "exception": "(traceback unavailable)"}

# One task of each kind, in this order on a factory camera: a check-mode prediction, the change it predicted,
# the same task again (ok), a check-mode prediction that warns of a missing opt-in, the real run of it
# refused by the engine (error_class) and a refusal of the argument spec.
SCENARIO = [
    ("predicted", {"check_mode": True}, {"disk_id": "SD_DISK", "friendly_name": "SD card", "cleanup_max_age": 30}),
    ("changed", {}, {"disk_id": "SD_DISK", "friendly_name": "SD card", "cleanup_max_age": 30}),
    ("ok", {}, {"disk_id": "SD_DISK", "friendly_name": "SD card", "cleanup_max_age": 30}),
    ("warned", {"check_mode": True}, {"disk_id": "SD_DISK", "filesystem": "vfat"}),
    ("refused", {"ignore_errors": True}, {"disk_id": "SD_DISK", "filesystem": "vfat"}),
    ("invalid", {"ignore_errors": True}, {"disk_id": "SD_DISK", "no_such_option": 1}),
]


def without_executor_keys(result):
    return {key: value for key, value in result.items() if EXECUTOR_ONLY.get(key, object()) != value}


def test_each_kind_of_result_is_the_one_ansible_playbook_returns(camera):
    played = run_playbook(camera, [dict({"name": name, "vapix.edge_storage.axis_disk": args}, **keywords)
                                   for name, keywords, args in SCENARIO])
    assert [entry["status"] for entry in played.results] == ["changed", "changed", "ok", "changed", "failed", "failed"], played

    camera.reset()
    for name, keywords, args in SCENARIO:
        result = run_task(camera, "axis_disk", args, check=bool(keywords.get("check_mode")))
        # a callback gets the failure as its event (the status), not as the result's 'failed' key
        failed = [entry["status"] == "failed" for entry in played.results if entry["task"] == name]
        assert failed == [result.pop("failed", False)], name
        assert dict({"changed": False}, **result) == without_executor_keys(played.result(name)), name

    assert played.result("predicted")["writes"] == 0 and played.result("predicted")["steps"]
    assert any("allow_data_loss" in warning for warning in played.result("warned")["warnings"])
    assert played.result("refused")["error_class"] == "needs_allow_data_loss"
    assert played.result("invalid")["msg"].startswith("Unsupported parameters for (vapix.edge_storage.axis_disk)")


def test_run_tasks_reads_like_a_play_a_failed_task_ends_the_host(camera):
    run = run_tasks(camera, [
        {"name": "refused", "vapix.edge_storage.axis_disk": {"disk_id": "SD_DISK", "filesystem": "vfat"}},
        {"name": "never", "vapix.edge_storage.axis_disk": {"disk_id": "SD_DISK", "friendly_name": "x"}},
    ])
    assert (run.rc, run.failed, run.changed) == (2, 1, 0), run
    assert [entry["task"] for entry in run.results] == ["refused"]
    assert camera.write_count() == 0
    with pytest.raises(ValueError, match="harness.run_playbook"):
        run_tasks(camera, [{"name": "loop", "loop": [1], "vapix.edge_storage.axis_disk": {"disk_id": "SD_DISK"}}])


def test_jobs_are_polled_every_millisecond_in_process(make_camera):
    camera = make_camera("modern", job_polls=8)      # the engine's own back-off would wait 4.5 s for 8 polls
    started = time.monotonic()
    run = run_tasks(camera, [{"name": "format", "vapix.edge_storage.axis_disk": {
        "disk_id": "SD_DISK", "filesystem": "vfat", "allow_format": True}}])
    elapsed = time.monotonic() - started
    assert run.rc == 0 and run.changed == 1, run
    assert [entry["path"] for entry in camera.log()].count("/axis-cgi/disks/job.cgi") >= 8
    assert elapsed < 2.0
    # the progress lines a playbook shows, through the same ProgressLines: the first poll only, as every
    # later one comes within PROGRESS_INTERVAL of it
    assert run.progress_lines == ["cam0: format of disk SD_DISK 12%"]
