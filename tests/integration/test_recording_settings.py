# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_recording_settings and the recording_settings section of axis_edge_storage, against the emulator.

The scenarios run the action plugins in-process (tests/integration/inprocess.py); the run with --check --diff
goes through real ansible-playbook (test_check_mode_then_apply_then_a_rerun_changes_nothing)."""

from __future__ import annotations

from tests.emulator import params as emulator_params
from tests.integration.checks import refused_before_any_request
from tests.integration.harness import run_playbook
from tests.integration.inprocess import run_tasks

MODULE = "vapix.edge_storage.axis_recording_settings"


def settings_task(name="settings", **options):
    return {"name": name, MODULE: options}


def recording_params(camera):
    params = camera.dump()["params"]
    return params["Recording.DefaultDiskId"], params["Recording.DefaultSplitDuration"]


def test_check_mode_then_apply_then_a_rerun_changes_nothing(camera):
    task = settings_task(default_disk_id="NetworkShare", default_split_duration=600)
    camera.clear_log()
    check = run_playbook(camera, [task], check=True, diff=True)
    assert check.rc == 0, check
    result = check.result("settings")
    assert result["changed"] is True
    assert result["steps"] == ["set default_disk_id SD_DISK -> NetworkShare, default_split_duration 300 -> 600 "
                               "(param.cgi Recording)"]
    before = {"default_disk_id": "SD_DISK", "default_split_duration": 300}
    assert result["diff"]["before"] == {"recording settings": before}
    assert camera.write_count() == 0 and recording_params(camera) == ("SD_DISK", "300")

    run = run_tasks(camera, [task])
    assert run.rc == 0 and run.changed == 1, run
    assert recording_params(camera) == ("NetworkShare", "600")
    assert camera.write_count() == 1
    again = run_tasks(camera, [task])
    assert again.rc == 0 and again.changed == 0, again


def test_an_unknown_default_disk_is_refused_with_the_camera_s_disks(camera):
    camera.clear_log()
    run = run_tasks(camera, [settings_task(default_disk_id="USB_DISK")])
    assert run.rc != 0
    assert "no disk 'USB_DISK'; its disks are: NetworkShare, SD_DISK" in run.result("settings")["msg"]
    assert camera.write_count() == 0


def test_a_split_duration_out_of_range_fails_before_any_request(camera):
    assert "1 to 86400 seconds" in refused_before_any_request(camera, settings_task(default_split_duration=0))


def test_recording_settings_section_of_axis_edge_storage(camera):
    task = {"name": "camera", "vapix.edge_storage.axis_edge_storage": {
        "disks": [{"disk_id": "SD_DISK", "cleanup_max_age": 30}],
        "recording_settings": {"default_split_duration": 900},
    }}
    run = run_tasks(camera, [task])
    assert run.rc == 0, run
    steps = run.result("camera")["steps"]
    assert steps[-1] == "set default_split_duration 300 -> 900 (param.cgi Recording)"
    assert recording_params(camera) == ("SD_DISK", "900")
    assert run_tasks(camera, [task]).changed == 0


def test_unsupported_skip_leaves_out_only_the_parameter_the_camera_lacks(camera, monkeypatch):
    """On firmware without Recording.DefaultSplitDuration, unsupported: skip left out the whole section: the
    default disk declared beside it was not set, and the task said ok."""
    entries = emulator_params.entries
    monkeypatch.setattr(emulator_params, "entries", lambda model: [
        entry for entry in entries(model) if entry.name != "Recording.DefaultSplitDuration"])
    task = {"name": "camera", "vapix.edge_storage.axis_edge_storage": {
        "recording_settings": {"default_disk_id": "NetworkShare", "default_split_duration": 900},
        "unsupported": "skip"}}
    for check in (True, False):
        run = run_tasks(camera, [task], check=check)
        result = run.result("camera")
        assert run.rc == 0 and result["steps"] == ["set default_disk_id SD_DISK -> NetworkShare (param.cgi Recording)"]
        assert result["skipped_unsupported"] == [{
            "what": "default_split_duration of recording settings (recording_settings)",
            "why": "the camera (firmware 9.80.2.2) has no parameter Recording.DefaultSplitDuration"}]
    assert camera.dump()["params"]["Recording.DefaultDiskId"] == "NetworkShare"
    assert run_tasks(camera, [task]).changed == 0


def test_a_split_duration_that_is_no_number_is_a_damaged_answer_not_a_value_to_replace(camera):
    """Recording.DefaultSplitDuration='x300' was kept as the string 'x300': check mode said changed and the run
    wrote the declared duration on the strength of the damaged answer. It is a damaged_answer before any write;
    a task that does not declare the duration is not held up by it."""
    body = "root.Recording.DefaultDiskId=SD_DISK\nroot.Recording.DefaultSplitDuration=x300\n"
    fault = {"path": "param.cgi", "kind": "replace_body", "body": body, "content_type": "text/plain"}
    for check in (True, False):
        camera.clear_log()
        camera.inject(answer=fault)
        result = run_tasks(camera, [settings_task(default_split_duration=300)], check=check).result("settings")
        assert result["failed"] and result["changed"] is False, result
        assert result["error_class"] == "damaged_answer", result
        assert "Recording.DefaultSplitDuration='x300' is not a whole number of seconds" in result["msg"], result
        assert camera.write_count() == 0
    camera.inject(answer=fault)
    other = run_tasks(camera, [settings_task(default_disk_id="SD_DISK")])
    assert other.rc == 0 and other.changed == 0, other
    assert recording_params(camera) == ("SD_DISK", "300")
