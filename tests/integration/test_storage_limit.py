# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_storage_limit against the emulator.

The scenarios run the action plugin in-process (tests/integration/inprocess.py); a run with --diff goes
through real ansible-playbook, whose output shows the diff (test_diff_shows_before_and_after_of_the_limit)."""

from __future__ import annotations

from tests.integration.checks import refused_before_any_request
from tests.integration.harness import run_playbook
from tests.integration.inprocess import run_tasks

MODULE = "vapix.edge_storage.axis_storage_limit"
KEY = "storage limit NetworkShare"


def limit_task(name="limit", **options):
    options.setdefault("disk_id", "NetworkShare")
    return {"name": name, MODULE: options}


def emulator_limits(camera):
    """{disk_id: limit in kB} as the emulator holds it."""
    return camera.dump()["storage_limits"]


def test_converge_then_idempotent_in_other_units_and_state_matches(camera):
    run = run_tasks(camera, [limit_task(size="500 GiB")])
    assert run.rc == 0, run
    assert run.changed == 1
    result = run.result("limit")
    assert result["steps"] == ["set the storage limit of NetworkShare to 500 GiB (524288000 kB; was no limit)"]
    assert result["after"][KEY]["size_kb"] == 524288000 and result["after"][KEY]["size"] == "500 GiB"
    assert "used_kb" in result["after"][KEY] and result["after"][KEY]["used"]
    assert emulator_limits(camera)["NetworkShare"] == 524288000

    camera.clear_log()
    again = run_tasks(camera, [limit_task(size="524288000"), limit_task(name="again", size="512000 MiB")])
    assert again.rc == 0, again
    assert again.changed == 0
    assert again.result("again")["steps"] == []
    assert camera.write_count() == 0


def test_absent_removes_the_limit(camera):
    run_tasks(camera, [limit_task(size="1 TiB")])
    run = run_tasks(camera, [limit_task(state="absent")])
    assert run.rc == 0, run
    assert run.changed == 1
    assert run.result("limit")["steps"] == ["remove the storage limit of NetworkShare (was 1 TiB)"]
    assert emulator_limits(camera)["NetworkShare"] == 0
    assert run_tasks(camera, [limit_task(state="absent")]).changed == 0


def test_check_mode_predicts_the_real_run_with_zero_writes(camera):
    camera.clear_log()
    checked = run_tasks(camera, [limit_task(size="1.5 TB")], check=True)
    assert checked.rc == 0, checked
    assert camera.write_count() == 0
    assert emulator_limits(camera)["NetworkShare"] == 0
    real = run_tasks(camera, [limit_task(size="1.5 TB")])
    predicted, done = checked.result("limit"), real.result("limit")
    assert checked.changed == real.changed == 1
    assert predicted["steps"] == done["steps"]
    assert predicted["after"] == done["after"]
    assert emulator_limits(camera)["NetworkShare"] == 1464843750


def test_diff_shows_before_and_after_of_the_limit(camera):
    run = run_playbook(camera, [limit_task(size="2 TiB")], diff=True)
    assert run.rc == 0, run
    assert '"size": "no limit"' in run.stdout and '"size": "2 TiB"' in run.stdout
    diff = run.result("limit")["diff"]
    assert diff["before"][KEY]["size_kb"] == 0 and diff["after"][KEY]["size_kb"] == 2147483648


def test_below_minimum_is_refused_before_any_request(camera):
    assert "below the device minimum of 1048576 kB (1 GiB)" in refused_before_any_request(
        camera, limit_task(size="512 MiB"))


def test_unknown_disk_reports_device_code_110_and_the_known_disks(camera):
    run = run_tasks(camera, [limit_task(disk_id="USB_DISK", size="2 GiB")])
    assert run.failed == 1
    result = run.result("limit")
    assert result["code"] == 110
    assert "device error 110" in result["msg"] and "Disk not found" in result["msg"]
    assert "NetworkShare, SD_DISK" in result["msg"]
    assert camera.write_count() == 0


def test_legacy_firmware_is_not_supported(legacy_camera):
    run = run_tasks(legacy_camera, [limit_task(size="2 GiB")])
    assert run.failed == 1
    result = run.result("limit")
    assert result["msg"].startswith("not supported by this camera (5.51.7): recording storage limit")
    assert "StorageLimit" in result["msg"] and "5.51" in result["msg"]
    assert legacy_camera.write_count() == 0
