# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_recording_group against the emulator.

The scenarios run the action plugin in-process (tests/integration/inprocess.py); an update with --diff runs
through real ansible-playbook, whose output shows the diff."""

from __future__ import annotations

from tests.integration.checks import check_then_apply
from tests.integration.harness import run_playbook
from tests.integration.inprocess import run_tasks

MODULE = "vapix.edge_storage.axis_recording_group"
KEY = "recording group retention-7d"
FULL = dict(disk_id="SD_DISK", nice_name="Seven days", description="Kept a week", retention="7d",
            stream_options={"resolution": "1920x1080", "fps": 25}, pre_duration="5s", post_duration=10000)


def group_task(name="group", **options):
    options.setdefault("id", "retention-7d")
    return {"name": name, MODULE: options}


def emulator_groups(camera):
    """{id: group} as the emulator holds them."""
    return {group.pop("id"): group for group in camera.dump()["recording_groups"]}


def writes(camera):
    return [(entry["path"].rsplit("/", 1)[-1], entry["args"]) for entry in camera.log() if entry["write"]]


def test_converge_then_idempotent_in_other_spellings_and_state_matches(camera):
    run = run_tasks(camera, [group_task(**FULL)])
    assert run.rc == 0, run
    assert run.changed == 1
    result = run.result("group")
    assert result["steps"] == ["create recording group retention-7d: disk_id 'SD_DISK', nice_name 'Seven days', "
                               "description 'Kept a week', retention_hours 168, stream_options "
                               "'fps=25&resolution=1920x1080', pre_duration_ms 5000, post_duration_ms 10000"]
    assert result["after"][KEY] == {"disk_id": "SD_DISK", "nice_name": "Seven days", "description": "Kept a week",
                                    "retention_hours": 168, "stream_options": "fps=25&resolution=1920x1080",
                                    "pre_duration_ms": 5000, "post_duration_ms": 10000, "state": "present"}
    assert emulator_groups(camera) == {"retention-7d": {
        "nicename": "Seven days", "description": "Kept a week", "retention_hours": 168, "disk_id": "SD_DISK",
        "stream_options": "fps=25&resolution=1920x1080", "pre_duration": 5000, "post_duration": 10000,
        "in_use": False}}

    camera.clear_log()
    again = run_tasks(camera, [
        group_task(name="same", **FULL),
        group_task(name="same in device units", disk_id="SD_DISK", retention=168, pre_duration=5000,
                   post_duration="10s", stream_options="resolution=1920x1080&fps=25"),
        group_task(name="only the id", ),
    ])
    assert again.rc == 0, again
    assert again.changed == 0
    assert camera.write_count() == 0


def test_update_in_place_sends_only_what_differs(camera):
    run_tasks(camera, [group_task(**FULL)])
    camera.clear_log()
    run = run_playbook(camera, [group_task(retention="14d", stream_options="")], diff=True)  # PLAYBOOK: --diff shown
    assert run.rc == 0, run
    result = run.result("group")
    assert result["steps"] == ["update recording group retention-7d: retention_hours 168 -> 336, "
                               "stream_options 'fps=25&resolution=1920x1080' -> ''"]
    assert writes(camera) == [("update.cgi", {"schemaversion": "1", "recordinggroupid": "retention-7d",
                                              "retentiontime": "336", "streamoptions": ""})]
    assert result["diff"]["before"][KEY] == {"retention_hours": 168,
                                             "stream_options": "fps=25&resolution=1920x1080", "state": "present"}
    assert result["diff"]["after"][KEY] == {"retention_hours": 336, "stream_options": "", "state": "present"}
    assert '"retention_hours": 336' in run.stdout
    group = emulator_groups(camera)["retention-7d"]
    assert (group["retention_hours"], group["stream_options"], group["nicename"]) == (336, "", "Seven days")


def test_check_mode_predicts_the_real_run_with_zero_writes(camera):
    camera.clear_log()
    checked = run_tasks(camera, [group_task(**FULL)], check=True, diff=True)
    assert checked.rc == 0, checked
    assert camera.write_count() == 0
    assert emulator_groups(camera) == {}
    real = run_tasks(camera, [group_task(**FULL)], diff=True)
    predicted, done = checked.result("group"), real.result("group")
    assert checked.changed == real.changed == 1
    assert predicted["steps"] == done["steps"]
    assert predicted["diff"] == done["diff"]
    assert predicted["before"] == {KEY: {"state": "absent"}}


def test_disk_change_needs_allow_data_loss_and_is_shown_as_destructive(make_camera):
    camera = make_camera("modern-share")
    run_tasks(camera, [group_task(**FULL)])
    camera.clear_log()
    refused = run_tasks(camera, [group_task(disk_id="NetworkShare")])
    assert refused.failed == 1
    result = refused.result("group")
    assert ("delete recording group retention-7d and its recordings to move it from disk SD_DISK to NetworkShare "
            "(the camera cannot change a group's disk) [destructive; needs allow_data_loss]") in result["msg"]
    assert "needs allow_data_loss: true" in result["msg"]
    assert (result["error_class"], result["writes"], result["changed"]) == ("needs_allow_data_loss", 0, False)
    assert camera.write_count() == 0

    # The old name of the opt-in still works.
    task = group_task(disk_id="NetworkShare", allow_recreate=True)
    checked, real = check_then_apply(camera, [task])
    steps = real.result("group")["steps"]
    assert checked.result("group")["steps"] == steps
    assert steps[0] == ("delete recording group retention-7d and its recordings to move it from disk SD_DISK to "
                        "NetworkShare (the camera cannot change a group's disk) [destructive]")
    assert steps[1].startswith("create recording group retention-7d: disk_id 'NetworkShare', nice_name 'Seven days'")
    assert checked.result("group")["after"] == real.result("group")["after"]
    assert [name for name, _args in writes(camera)] == ["delete.cgi", "create.cgi"]
    group = emulator_groups(camera)["retention-7d"]
    assert (group["disk_id"], group["retention_hours"], group["pre_duration"]) == ("NetworkShare", 168, 5000)
    assert run_tasks(camera, [task]).changed == 0


def test_absent_deletes_and_exclusive_deletes_the_others(camera):
    run_tasks(camera, [group_task(**FULL), group_task(name="other", id="other", disk_id="SD_DISK")])
    camera.clear_log()
    refused = run_tasks(camera, [group_task(id="other", state="absent")])
    assert refused.result("group")["error_class"] == "needs_allow_data_loss"
    assert camera.write_count() == 0
    run = run_tasks(camera, [group_task(id="other", state="absent", allow_data_loss=True)])
    assert run.rc == 0, run
    assert run.result("group")["steps"] == ["delete recording group other and its recordings (state: absent) "
                                            "[destructive]"]
    assert sorted(emulator_groups(camera)) == ["retention-7d"]

    run_tasks(camera, [group_task(id="third", disk_id="SD_DISK")])
    checked = run_tasks(camera, [group_task(exclusive=True, allow_data_loss=True)], check=True)
    real = run_tasks(camera, [group_task(exclusive=True, allow_data_loss=True)])
    assert real.rc == 0, real
    assert checked.result("group")["steps"] == real.result("group")["steps"] == [
        "delete recording group third and its recordings (not declared; exclusive: true) [destructive]"]
    assert sorted(emulator_groups(camera)) == ["retention-7d"]


def test_unknown_disk_fails_before_writing(camera):
    run = run_tasks(camera, [group_task(disk_id="USB_DISK")])
    assert run.failed == 1
    assert "the camera has no disk 'USB_DISK'; its disks are: NetworkShare, SD_DISK" in run.result("group")["msg"]
    assert camera.write_count() == 0


def test_invalid_values_are_refused_before_any_request(camera):
    camera.clear_log()
    run = run_tasks(camera, [
        {"name": "bad id", MODULE: {"id": "seven days!", "disk_id": "SD_DISK"}, "ignore_errors": True},
        {"name": "bad retention", MODULE: {"id": "g", "disk_id": "SD_DISK", "retention": "90m"},
         "ignore_errors": True},
    ])
    assert run.failed == 2
    assert "id 'seven days!' is not a valid recording group id" in run.result("bad id")["msg"]
    assert "retention '90m' is not a whole number of hours" in run.result("bad retention")["msg"]
    assert camera.log() == []


def test_stream_options_the_device_rejects_report_code_130(camera):
    run = run_tasks(camera, [group_task(disk_id="SD_DISK", stream_options="videocodec=h999")])
    assert run.failed == 1
    msg = run.result("group")["msg"]
    assert "with device error 130" in msg and "the device rejected the stream options" in msg
    assert emulator_groups(camera) == {}


def test_group_limit_reached_reports_code_120(camera):
    camera.model.max_groups = 1
    run_tasks(camera, [group_task(id="first", disk_id="SD_DISK")])
    run = run_tasks(camera, [group_task(disk_id="SD_DISK")])
    assert run.failed == 1
    msg = run.result("group")["msg"]
    assert "with device error 120" in msg and "maximum number of recording groups" in msg
    assert sorted(emulator_groups(camera)) == ["first"]


def test_group_in_use_reports_the_device_reason_code_140(camera):
    run_tasks(camera, [group_task(**FULL)])
    camera.set_group_in_use("retention-7d")
    run = run_tasks(camera, [group_task(state="absent", allow_data_loss=True)])
    assert run.failed == 1
    result = run.result("group")
    assert "with device error 140: Recording group in use." in result["msg"]
    assert "a recording action refers to it" in result["msg"]
    assert result["code"] == 140
    assert sorted(emulator_groups(camera)) == ["retention-7d"]


def test_legacy_firmware_is_not_supported(legacy_camera):
    run = run_tasks(legacy_camera, [group_task(disk_id="SD_DISK")])
    assert run.failed == 1
    result = run.result("group")
    assert result["msg"].startswith("not supported by this camera (5.51.7): recording groups (the camera has no "
                                    "recording group API")
    assert (result["error_class"], result["writes"], result["changed"]) == ("unsupported", 0, False)
    assert legacy_camera.write_count() == 0


def test_stream_options_with_unknown_key_or_bad_value_fail_with_code_130(camera):
    # Values the collection cannot judge (an unknown key, a rotation of 45) reach the camera, which refuses them;
    # malformed ones (a key without value, resolution=abc, compression=101) never do (test_stream_options.py).
    run = run_tasks(camera, [group_task(name="unknown key", disk_id="SD_DISK", stream_options={"quality": "high"})])
    assert run.failed == 1
    result = run.result("unknown key")
    assert result["code"] == 130
    assert "with device error 130" in result["msg"] and "the device rejected the stream options" in result["msg"]
    assert emulator_groups(camera) == {}

    run_tasks(camera, [group_task(**FULL)])
    camera.clear_log()
    update = run_tasks(camera, [group_task(name="bad value", stream_options={"resolution": "1920x1080",
                                                                             "fps": 25, "rotation": 45})])
    assert update.failed == 1
    assert update.result("bad value")["code"] == 130
    assert [name for name, _args in writes(camera)] == ["update.cgi"]
    # the refused update changed nothing
    assert emulator_groups(camera)["retention-7d"]["stream_options"] == "fps=25&resolution=1920x1080"


def test_a_group_is_not_created_or_moved_where_its_storage_is_not_attached(camera):
    """A group is not listed while its SD card is out: it was created again (a second group of that id once the
    card is back); moved to the NetworkShare disk with no share bound, it was deleted with its recordings, and
    the create that followed failed."""
    assert run_tasks(camera, [group_task(disk_id="SD_DISK", retention="7d")]).rc == 0
    camera.inject(eject="SD_DISK")
    camera.clear_log()
    for check in (True, False):
        run = run_tasks(camera, [group_task(disk_id="SD_DISK", retention="14d")], check=check)
        result = run.result("group")
        assert run.rc != 0 and result["changed"] is False, run
        assert result["msg"].startswith("cannot create recording group retention-7d on disk SD_DISK: the disk is "
                                        "disconnected"), result["msg"]
        assert "retention-7d may exist there already; attach the storage" in result["msg"]
    camera.inject(insert="SD_DISK")
    run = run_tasks(camera, [group_task(disk_id="NetworkShare", allow_data_loss=True)])
    assert run.rc != 0 and run.result("group")["changed"] is False, run
    assert "cannot create recording group retention-7d on disk NetworkShare" in run.result("group")["msg"]
    assert camera.write_count() == 0
    assert [(group["id"], group["disk_id"], group["retention_hours"])
            for group in camera.dump()["recording_groups"]] == [("retention-7d", "SD_DISK", 168)]


def test_a_deletion_while_the_card_is_out_warns_that_its_groups_are_not_deleted(camera):
    """With the SD card out its groups are not listed: state absent and exclusive reported them gone, no word
    said, and they were back with the card."""
    run_tasks(camera, [group_task(id="keep", disk_id="SD_DISK"), group_task(id="old", disk_id="SD_DISK")])
    camera.inject(eject="SD_DISK")
    camera.clear_log()
    tasks = [group_task(name="absent", id="old", state="absent", allow_data_loss=True),
             group_task(name="exclusive", id="gone", state="absent", exclusive=True, allow_data_loss=True)]
    for check in (True, False):
        run = run_tasks(camera, tasks, check=check)
        assert run.rc == 0 and run.changed == 0, run
        assert run.result("absent")["warnings"] == [
            "the camera does not list the recording groups kept on SD_DISK while it is disconnected (no SD card "
            "inserted, or no share bound to NetworkShare): recording group old may be kept there, and is then not "
            "deleted; attach the storage and run the task again"]
        warnings = run.result("exclusive")["warnings"]
        assert len(warnings) == 2 and "the groups kept there are not deleted" in warnings[0], warnings
        assert "recording group gone may be kept there" in warnings[1]
        # Declared with its id only, it is not said not to exist.
        run = run_tasks(camera, [group_task(id="keep", retention="14d")], check=check)
        assert run.result("group")["msg"].endswith(
            "does not exist on the camera; set disk_id to create it (the disk of a group cannot change later); or "
            "it is kept on SD_DISK, which the camera does not list groups of while disconnected: attach the storage "
            "and run the task again")
    assert camera.write_count() == 0
    camera.inject(insert="SD_DISK")
    run = run_tasks(camera, tasks)
    assert run.rc == 0 and all(not result["result"].get("warnings") for result in run.results), run
    assert list(emulator_groups(camera)) == []
