# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_continuous_profile against the emulator.

The scenarios run the action plugin in-process (tests/integration/inprocess.py); check mode with --diff of a
replaced profile runs through real ansible-playbook, whose output shows the diff."""

from __future__ import annotations

import pytest

from tests.integration.checks import check_then_apply, refused_before_any_request
from tests.integration.harness import run_playbook
from tests.integration.inprocess import run_tasks

MODULE = "vapix.edge_storage.axis_continuous_profile"
KEY = "continuous profile SD_DISK/continuous_sd"
OTHERS = "continuous profiles other than " + KEY


def profile_task(name="profile", **options):
    options.setdefault("disk_id", "SD_DISK")
    options.setdefault("event_id", "continuous_sd")
    return {"name": name, MODULE: options}


def emulator_profiles(camera):
    """[(disk_id, event_id, options)] as the emulator holds them."""
    return [(p["disk_id"], p["event_id"], p["options"]) for p in camera.dump()["continuous_profiles"]]


def add_foreign_profile(camera, disk_id="SD_DISK", options="resolution=640x480", event_id="continuous"):
    """A profile made by another tool, straight in the emulator's model."""
    camera.model.add_profile(disk_id, options, event_id)
    camera.clear_log()


def test_converge_then_idempotent_in_other_spellings_and_state_matches(camera):
    run = run_tasks(camera, [profile_task(options={"resolution": "1280x720", "fps": 15})])
    assert run.rc == 0, run
    assert run.changed == 1
    result = run.result("profile")
    assert result["steps"] == ["add continuous recording profile on disk SD_DISK, event id continuous_sd, "
                               "options fps=15&resolution=1280x720"]
    assert result["after"][KEY] == {"disk_id": "SD_DISK", "event_id": "continuous_sd",
                                    "options": "fps=15&resolution=1280x720", "state": "present"}
    assert emulator_profiles(camera) == [("SD_DISK", "continuous_sd", "fps=15&resolution=1280x720")]

    camera.clear_log()
    again = run_tasks(camera, [
        profile_task(name="same dict", options={"fps": "15", "resolution": "1280x720"}),
        profile_task(name="same string", options="resolution=1280x720&fps=15"),
        profile_task(name="same encoded", options="resolution%3D1280x720%26fps%3D15"),
    ])
    assert again.rc == 0, again
    assert again.changed == 0
    assert camera.write_count() == 0
    assert [p["profile"] for p in camera.dump()["continuous_profiles"]] == [1]


def test_changed_options_are_remove_then_add_and_check_mode_predicts_it(camera):
    run_tasks(camera, [profile_task(options="resolution=640x480")])
    camera.clear_log()
    checked = run_playbook(camera, [profile_task(options={"resolution": "1280x720", "fps": 15})],  # PLAYBOOK
                           check=True, diff=True)                               # check and --diff through Ansible
    assert checked.rc == 0, checked
    assert camera.write_count() == 0
    assert emulator_profiles(camera) == [("SD_DISK", "continuous_sd", "resolution=640x480")]
    predicted = checked.result("profile")
    assert predicted["steps"] == [
        "remove continuous recording profile 1 (disk SD_DISK, event id continuous_sd, options resolution=640x480) "
        "to re-create it with options fps=15&resolution=1280x720 (a profile cannot be changed)",
        "add continuous recording profile on disk SD_DISK, event id continuous_sd, options "
        "fps=15&resolution=1280x720 (replaces the removed profile: a profile cannot be changed)"]
    assert '"options": "resolution=640x480"' in checked.stdout
    assert '"options": "fps=15&resolution=1280x720"' in checked.stdout

    real = run_tasks(camera, [profile_task(options={"resolution": "1280x720", "fps": 15})], diff=True)
    done = real.result("profile")
    assert real.changed == checked.changed == 1
    assert done["steps"] == predicted["steps"]
    assert done["after"] == predicted["after"] and done["diff"] == predicted["diff"]
    assert done["diff"]["before"][KEY]["options"] == "resolution=640x480"
    writes = [(entry["path"].rsplit("/", 1)[-1], entry["args"]) for entry in camera.log() if entry["write"]]
    assert [name for name, _args in writes] == ["removeconfiguration.cgi", "addconfiguration.cgi"]
    assert writes[0][1]["profile"] == "1"
    assert emulator_profiles(camera) == [("SD_DISK", "continuous_sd", "fps=15&resolution=1280x720")]


def test_absent_removes_the_profile(camera):
    run_tasks(camera, [profile_task(options="resolution=640x480")])
    run = run_tasks(camera, [profile_task(state="absent")])
    assert run.rc == 0, run
    assert run.changed == 1
    assert run.result("profile")["after"] == {KEY: {"state": "absent"}}
    assert emulator_profiles(camera) == []
    assert run_tasks(camera, [profile_task(state="absent")]).changed == 0


def test_full_camera_fails_before_writing_and_names_the_slot_holder(camera):
    add_foreign_profile(camera)
    run = run_tasks(camera, [profile_task(options="resolution=1280x720")])
    assert run.failed == 1
    msg = run.result("profile")["msg"]
    assert ("the camera holds at most 1 continuous recording profile and profile 1 (disk SD_DISK, event id "
            "continuous, options resolution=640x480) holds a slot; set exclusive: true") in msg
    assert camera.write_count() == 0
    assert emulator_profiles(camera) == [("SD_DISK", "continuous", "resolution=640x480")]


def test_exclusive_frees_the_slot_check_mode_first(camera):
    add_foreign_profile(camera)
    task = profile_task(options="resolution=1280x720", exclusive=True)
    checked, real = check_then_apply(camera, [task])
    assert checked.result("profile")["steps"] == real.result("profile")["steps"] == [
        "remove continuous recording profile 1 (disk SD_DISK, event id continuous, options resolution=640x480) "
        "(not declared; exclusive: true)",
        "add continuous recording profile on disk SD_DISK, event id continuous_sd, options resolution=1280x720"]
    assert checked.result("profile")["after"] == real.result("profile")["after"]
    assert real.result("profile")["before"][OTHERS] == {
        "profile 1": {"disk_id": "SD_DISK", "event_id": "continuous", "options": "resolution=640x480"}}
    assert real.result("profile")["after"][OTHERS] == {}
    assert emulator_profiles(camera) == [("SD_DISK", "continuous_sd", "resolution=1280x720")]
    assert run_tasks(camera, [task]).changed == 0


def test_unknown_disk_fails_before_writing(camera):
    run = run_tasks(camera, [profile_task(disk_id="USB_DISK", options="resolution=1280x720")])
    assert run.failed == 1
    msg = run.result("profile")["msg"]
    assert "the camera has no disk 'USB_DISK'; its disks are: NetworkShare, SD_DISK" in msg
    assert camera.write_count() == 0


def test_invalid_options_are_refused_before_any_request(camera):
    msg = refused_before_any_request(camera, profile_task(options="resolution=1280x720&fps=15&fps=30"))
    assert "sets fps more than once; give each key once" in msg


def test_legacy_firmware_records_continuously_too(legacy_camera):
    run = run_tasks(legacy_camera, [profile_task(options="resolution=640x480")])
    assert run.rc == 0, run
    assert emulator_profiles(legacy_camera) == [("SD_DISK", "continuous_sd", "resolution=640x480")]


def test_camera_without_continuous_recording_is_not_supported(camera):
    camera.model.profile["local_storage"] = [(key, "no" if key == "ContinuousRecording" else value)
                                             for key, value in camera.model.profile["local_storage"]]
    run = run_tasks(camera, [profile_task(options="resolution=1280x720")])
    assert run.failed == 1
    result = run.result("profile")
    assert result["msg"].startswith("not supported by this camera (9.80.2.2): continuous recording profiles "
                                    "(Properties.LocalStorage.ContinuousRecording is not 'yes'")
    assert (result["error_class"], result["writes"]) == ("unsupported", 0)
    assert camera.write_count() == 0


def test_options_the_device_rejects_fail_with_its_message(camera):
    """Options only the device can judge (an fps it cannot stream): the add fails with the device's errormsg."""
    run = run_tasks(camera, [profile_task(options={"resolution": "1280x720", "fps": 99})])
    assert run.failed == 1
    result = run.result("profile")
    assert "Invalid stream options: invalid value '99' for stream option 'fps'" in result["msg"]
    assert emulator_profiles(camera) == []          # nothing was added

    # Replacing a profile: a profile cannot be changed, so the old one is removed first; when the
    # device then refuses the new options, the old profile is added back, so the camera keeps recording.
    run_tasks(camera, [profile_task(options="resolution=640x480")])
    camera.clear_log()
    replaced = run_tasks(camera, [profile_task(options="resolution=640x480&videocodec=vp9")])
    assert replaced.failed == 1
    result = replaced.result("profile")
    assert "Invalid stream options: invalid value 'vp9' for stream option 'videocodec'" in result["msg"]
    assert "the removed profile was added back with its previous options resolution=640x480" in result["msg"]
    assert [entry["path"].rsplit("/", 1)[-1] for entry in camera.log() if entry["write"]] == [
        "removeconfiguration.cgi", "addconfiguration.cgi", "addconfiguration.cgi"]
    assert emulator_profiles(camera) == [("SD_DISK", "continuous_sd", "resolution=640x480")]
    fixed = run_tasks(camera, [profile_task(options="resolution=640x480&videocodec=h264")])
    assert fixed.rc == 0, fixed
    assert emulator_profiles(camera) == [("SD_DISK", "continuous_sd", "resolution=640x480&videocodec=h264")]


def test_an_add_done_before_the_twin_check_failed_is_said_to_be_done(camera):
    """The profiles are listed again after an add (a twin another run added meanwhile); when that list was
    damaged, the task said the add failed and that nothing had been changed, while the camera held the profile."""
    camera.inject(answer={"path": "record/continuous/listconfiguration.cgi", "kind": "truncate", "skip": 1,
                          "times": 3})
    run = run_tasks(camera, [profile_task(options="resolution=1280x720")])
    result = run.result("profile")
    assert run.failed == 1 and result["changed"] is True, run
    assert result["error_class"] == "damaged_answer"
    assert ("this run's add was carried out: the camera holds profile 1 (disk SD_DISK, event id continuous_sd, "
            "options resolution=1280x720); what failed came after it") in result["msg"]
    assert emulator_profiles(camera) == [("SD_DISK", "continuous_sd", "resolution=1280x720")]
    camera.inject(clear=True)
    rerun = run_tasks(camera, [profile_task(options="resolution=1280x720")])
    assert rerun.rc == 0 and rerun.result("profile")["changed"] is False, rerun


@pytest.mark.parametrize("value, message", [
    ({"textstring": ""}, "gives textstring an empty value; give it a value, or leave it out"),
    ({"fps": 12.5}, "sets fps to '12.5'; give a whole number of frames per second or a fraction"),
])
def test_an_empty_option_value_is_refused_before_the_profile_it_replaces_is_removed(camera, value, message):
    """textstring= (and fps=12.5) passed the checks: the profile was removed, the camera refused the new one and
    the old one was added back (a gap in the recording), and check mode had shown a plan that works."""
    run_tasks(camera, [profile_task(options="resolution=640x480")])
    camera.clear_log()
    for check in (True, False):
        run = run_tasks(camera, [profile_task(options=dict(value, resolution="640x480"))], check=check)
        result = run.result("profile")
        assert run.failed == 1 and result["changed"] is False, run
        assert message in result["msg"]
        assert result["error_class"] == "invalid_argument"
    assert camera.write_count() == 0
    assert emulator_profiles(camera) == [("SD_DISK", "continuous_sd", "resolution=640x480")]


def test_an_unknown_number_of_profile_slots_is_not_read_as_unsupported(camera):
    """An empty NbrOfContinuousRecordingProfiles was read as 0: the task said the camera does not support
    continuous profiles, and axis_edge_storage with unsupported: skip left the section out and reported ok."""
    with camera.model.lock:
        camera.model.max_profiles = ""
    desired = {"continuous_profiles": [{"disk_id": "SD_DISK", "options": "resolution=640x480"}],
               "unsupported": "skip"}
    run = run_tasks(camera, [dict(profile_task(options="resolution=640x480"), ignore_errors=True),
                             {"name": "camera", "vapix.edge_storage.axis_edge_storage": desired}])
    for name in ("profile", "camera"):
        result = run.result(name)
        assert result.get("failed") and result["error_class"] == "damaged_answer", result
        assert "NbrOfContinuousRecordingProfiles is '', not a whole number" in result["msg"]
        assert not result.get("skipped_unsupported")
    assert camera.write_count() == 0
