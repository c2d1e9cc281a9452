# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_continuous_profile: reading device-shaped answers, validation, and the planner.

The resource runs on the real Device and VapixClient, whose only stand-in is
``request``: it answers from fixture files shaped like the documented and
real-firmware answers and records every request, so the tests assert the
exact steps, their order, and what each step sends.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.answers import fixture_answer
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.vapix.edge_storage.plugins.module_utils._client import VapixClient
from ansible_collections.vapix.edge_storage.plugins.module_utils._device import Device
from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import converge, summarize
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    ConcurrentChangeError,
    ConflictError,
    StepError,
    UnsupportedError,
    ValidationError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_continuous_profile import (
    ARGUMENT_RULES,
    ARGUMENT_SPEC,
    TWIN_CHECK_INTERVAL,
    TWIN_CHECKS,
    ContinuousProfile,
    OtherProfiles,
    build_resources,
    keep_one,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LIST = "record/continuous/listconfiguration.cgi"
ADD = "record/continuous/addconfiguration.cgi"
REMOVE = "record/continuous/removeconfiguration.cgi"


def properties(continuous="yes", slots=1):
    lines = ["root.Properties.LocalStorage.LocalStorage=yes",
             "root.Properties.LocalStorage.ContinuousRecording=%s" % continuous,
             "root.Properties.Firmware.Version=9.80.2.2"]
    if slots is not None:
        lines.append("root.Properties.LocalStorage.NbrOfContinuousRecordingProfiles=%d" % slots)
    return "\n".join(lines) + "\n"


class FixtureClient(VapixClient):
    """A VapixClient whose HTTP is replaced by fixture answers; records (path, args, write) of each request.

    ``answers`` maps a CGI path to a fixture name, or to a list of names answered in turn.
    """

    def __init__(self, answers, params_text):
        super(FixtureClient, self).__init__("camera.example", "root", "pass", protocol="http")
        self.answers = dict(answers)
        self.params_text = params_text
        self.sent = []

    def answer(self, path, args=None, write=False, api=None, method="GET", body=None):
        self.sent.append((path, dict(args or []), write))
        self.write_count += 1 if write else 0     # as VapixClient._send counts
        if path == "param.cgi":
            return fixture_answer(self.params_text)
        answer = self.answers[path]
        if isinstance(answer, list):
            answer = answer.pop(0) if len(answer) > 1 else answer[0]
        return fixture_answer((FIXTURES / answer).read_text())

    def writes(self):
        return [(path, args) for path, args, write in self.sent if write]


def camera(listed="profile_list_two.xml", slots=2, continuous="yes", add="profile_add_ok.xml"):
    client = FixtureClient({LIST: listed, ADD: add, REMOVE: "profile_remove_ok.xml",
                            "disks/list.cgi": "profile_disks_list.xml"}, properties(continuous, slots))
    return Device(client)


def profile(**params):
    params.setdefault("disk_id", "SD_DISK")
    params.setdefault("event_id", "continuous")
    params.setdefault("state", "present")
    params.setdefault("exclusive", False)
    return ContinuousProfile(params)


def run_steps(device, steps):
    for step in steps:
        step.run(device)
    return device.client.writes()


# -- reading ---------------------------------------------------------------------------


def test_read_normalises_options_and_defaults_the_event_id():
    device = camera()
    state = profile(options="fps=15&resolution=1280x720&text=Gate 1").read(device)
    assert state == {"profile": 3, "disk_id": "SD_DISK", "event_id": "continuous",
                     "options": "fps=15&resolution=1280x720&text=Gate%201", "duplicates": 0}


def test_read_finds_by_disk_and_event_id_only():
    device = camera()
    assert profile(event_id="continuous_nas", options="x=1").read(device) is None
    found = profile(disk_id="NetworkShare", event_id="continuous_nas", options="x=1").read(device)
    assert (found["profile"], found["options"]) == (7, "resolution=640x480&videocodec=h264")


def test_camera_without_continuous_recording_is_not_supported():
    with pytest.raises(UnsupportedError) as info:
        profile(options="fps=15").read(camera(continuous="no"))
    assert str(info.value).startswith("not supported by this camera: continuous recording profiles "
                                      "(Properties.LocalStorage.ContinuousRecording is not 'yes'")


# -- validation ---------------------------------------------------------------------------


def test_options_are_required_only_to_have_a_profile():
    validator = ArgumentSpecValidator(ARGUMENT_SPEC, **ARGUMENT_RULES)
    assert validator.validate({"disk_id": "SD_DISK"}).error_messages == [
        "state is present but all of the following are missing: options"]
    removal = validator.validate({"disk_id": "SD_DISK", "state": "absent"})
    assert removal.error_messages == []
    assert removal.validated_parameters["event_id"] == "continuous"


@pytest.mark.parametrize("params, message", [
    ({"disk_id": " "}, "disk_id is empty: give the disk's id as the camera lists it"),
    ({"event_id": ""}, "event_id is empty: give the event id that classifies the recordings (the camera's "
                       "default is 'continuous')"),
    ({"options": "fps=15&fps=30"}, "options 'fps=15&fps=30' sets fps more than once; give each key once"),
    ({"options": ["fps=15"]}, "options must be a mapping such as {resolution: 1280x720, fps: 15} or a string"),
])
def test_validation_says_what_is_wrong(params, message):
    params.setdefault("options", "fps=15")
    with pytest.raises(ValidationError) as info:
        profile(**params)
    assert message in str(info.value)


# -- planning ---------------------------------------------------------------------------------


def test_same_options_in_another_spelling_plan_nothing():
    device = camera()
    for options in ({"text": "Gate 1", "resolution": "1280x720", "fps": 15},
                    "text=Gate%201&fps=15&resolution=1280x720",
                    "fps%3D15%26resolution%3D1280x720%26text%3DGate%25201"):
        resource = profile(options=options)
        assert resource.plan(device, resource.read(device)) == []


def test_new_profile_is_one_add_with_canonical_options():
    device = camera(listed="profile_list_empty.xml")
    resource = profile(event_id="continuous_sd", options={"resolution": "1280x720", "fps": 15})
    steps = resource.plan(device, resource.read(device))
    assert [step.action for step in steps] == ["add"]
    assert not steps[0].destructive
    assert run_steps(device, steps) == [(ADD, {"diskid": "SD_DISK", "options": "fps=15&resolution=1280x720",
                                               "eventid": "continuous_sd"})]


def test_changed_options_are_remove_then_add_of_the_same_disk_and_event():
    device = camera(listed=["profile_list_two.xml", "profile_list_after_add.xml"])
    resource = profile(options={"resolution": "1920x1080"})
    steps = resource.plan(device, resource.read(device))
    assert [step.action for step in steps] == ["remove", "add"]
    assert steps[0].description == ("remove continuous recording profile 3 (disk SD_DISK, event id continuous, "
                                    "options fps=15&resolution=1280x720&text=Gate%201) to re-create it with "
                                    "options resolution=1920x1080 (a profile cannot be changed)")
    assert run_steps(device, steps) == [
        (REMOVE, {"profile": 3}),
        (ADD, {"diskid": "SD_DISK", "options": "resolution=1920x1080", "eventid": "continuous"})]


def test_absent_removes_every_profile_of_the_disk_and_event():
    device = camera()
    resource = profile(state="absent")
    steps = resource.plan(device, resource.read(device))
    assert [step.action for step in steps] == ["remove"]
    assert run_steps(device, steps) == [(REMOVE, {"profile": 3})]
    assert profile(state="absent", event_id="other").plan(device, None) == []


def test_full_camera_fails_before_any_write_naming_the_holder():
    device = camera()
    resource = profile(event_id="continuous_sd", options="fps=15")
    with pytest.raises(ConflictError) as info:
        resource.plan(device, resource.read(device))
    assert str(info.value) == (
        "cannot add continuous profile SD_DISK/continuous_sd: the camera holds at most 2 continuous recording "
        "profiles and profile 3 (disk SD_DISK, event id continuous, options fps=15&resolution=1280x720&text=Gate%201) "
        "holds a slot; profile 7 (disk NetworkShare, event id continuous_nas, options "
        "resolution=640x480&videocodec=h264) holds a slot; set exclusive: true (in axis_edge_storage: purge: "
        "[continuous_profiles]) to remove the profiles not declared here, or remove one of them first (state: "
        "absent with its disk_id and event_id)")
    assert device.client.writes() == []


def test_re_creating_frees_its_own_slot_on_a_full_camera():
    device = camera(slots=2)
    resource = profile(options="fps=30")
    assert [step.action for step in resource.plan(device, resource.read(device))] == ["remove", "add"]


def test_no_profile_slots_at_all_is_not_supported():
    device = camera(listed="profile_list_empty.xml", slots=0)
    resource = profile(options="fps=15")
    with pytest.raises(UnsupportedError) as info:
        resource.plan(device, resource.read(device))
    assert "NbrOfContinuousRecordingProfiles is 0 on this camera (firmware 9.80.2.2)" in str(info.value)


def test_unknown_disk_fails_before_any_write():
    device = camera(listed="profile_list_empty.xml")
    resource = profile(disk_id="USB_DISK", options="fps=15")
    with pytest.raises(ValidationError) as info:
        resource.plan(device, resource.read(device))
    assert str(info.value) == ("cannot add continuous profile USB_DISK/continuous: the camera has no disk "
                               "'USB_DISK'; its disks are: NetworkShare, SD_DISK")
    assert device.client.writes() == []


def test_duplicates_keep_the_one_with_the_declared_options():
    device = camera(listed="profile_list_two.xml", slots=3)
    resource = profile(disk_id="NetworkShare", event_id="continuous_nas", options="x=1")
    # Two profiles alike: the listed one plus one with other options.
    listed = device.continuous_profiles()
    listed.append(dict(listed[1], profile=9, options="resolution=640x480&videocodec=h264"))
    listed[1]["options"] = "x=1"
    state = resource.read(device)
    assert (state["profile"], state["duplicates"]) == (7, 1)
    steps = resource.plan(device, state)
    assert [step.action for step in steps] == ["remove"]
    assert steps[0].description.endswith("(another profile with this disk and event id; profile 7 has the "
                                         "declared options and is kept)")
    assert run_steps(device, steps) == [(REMOVE, {"profile": 9})]


# -- exclusive mode -----------------------------------------------------------------------------


def test_exclusive_removes_the_others_first_and_skips_the_slot_check():
    params = {"disk_id": "SD_DISK", "event_id": "continuous_sd", "options": "fps=15", "state": "present",
              "exclusive": True}
    others, declared = build_resources(params)
    assert isinstance(others, OtherProfiles) and isinstance(declared, ContinuousProfile)
    device = camera()
    outcomes = converge(device, [others, declared], check_mode=True)
    assert [[step.action for step in outcome.steps] for outcome in outcomes] == [["remove", "remove"], ["add"]]
    result = summarize(outcomes)
    assert result["before"][others.identity] == {
        "profile 3": {"disk_id": "SD_DISK", "event_id": "continuous", "options": "fps=15&resolution=1280x720&text=Gate%201"},
        "profile 7": {"disk_id": "NetworkShare", "event_id": "continuous_nas",
                      "options": "resolution=640x480&videocodec=h264"}}
    assert result["after"] == {others.identity: {},
                               declared.identity: {"disk_id": "SD_DISK", "event_id": "continuous_sd",
                                                   "options": "fps=15", "state": "present"}}
    assert device.client.writes() == []


def test_removal_of_the_undeclared_keeps_every_declared_profile_and_frees_their_slots():
    kept = profile(options="fps=15&resolution=1280x720&text=Gate 1")       # profile 3, as it is
    new = profile(event_id="continuous_sd", options="fps=15")                # not there yet
    others = OtherProfiles([kept, new], "purge: continuous_profiles")
    assert others.identity == ("continuous profiles other than continuous profile SD_DISK/continuous, "
                               "continuous profile SD_DISK/continuous_sd")
    device = camera(slots=2)
    outcomes = converge(device, [others, kept, new], check_mode=True)
    assert [[step.text for step in outcome.steps] for outcome in outcomes] == [
        ["remove continuous recording profile 7 (disk NetworkShare, event id continuous_nas, options "
         "resolution=640x480&videocodec=h264) (not declared; purge: continuous_profiles)"],
        [],
        ["add continuous recording profile on disk SD_DISK, event id continuous_sd, options fps=15"]]
    assert device.client.writes() == []


def test_slot_held_by_another_declared_profile_is_still_a_conflict():
    kept = profile(options="fps=15&resolution=1280x720&text=Gate 1")
    new = profile(event_id="continuous_sd", options="fps=15")
    OtherProfiles([kept, new], "purge: continuous_profiles")
    device = camera(slots=1, listed="profile_list_two.xml")
    with pytest.raises(ConflictError) as info:
        new.plan(device, new.read(device))
    assert "at most 1 continuous recording profile and profile 3 (disk SD_DISK" in str(info.value)
    assert "profile 7" not in str(info.value)


def test_removal_with_nothing_declared_removes_every_profile():
    others = OtherProfiles([], "purge: continuous_profiles")
    assert others.identity == "all continuous profiles (none declared)"
    device = camera()
    steps = others.plan(device, others.read(device))
    assert run_steps(device, steps) == [(REMOVE, {"profile": 3}), (REMOVE, {"profile": 7})]


def test_without_exclusive_one_resource():
    assert [type(r) for r in build_resources({"disk_id": "SD_DISK", "event_id": "continuous", "options": "a=1",
                                              "state": "present", "exclusive": False})] == [ContinuousProfile]


# -- converge -------------------------------------------------------------------------------------


def test_converge_check_mode_predicts_and_writes_nothing():
    device = camera()
    outcomes = converge(device, [profile(options="fps=30")], check_mode=True)
    result = summarize(outcomes, diff_mode=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["continuous profile SD_DISK/continuous"]["options"] == (
        "fps=15&resolution=1280x720&text=Gate%201")
    assert result["diff"]["after"]["continuous profile SD_DISK/continuous"] == {
        "disk_id": "SD_DISK", "event_id": "continuous", "options": "fps=30", "state": "present"}
    assert device.client.writes() == []


def test_a_failing_add_after_the_remove_says_what_was_done():
    device = camera(add="profile_add_error.xml")
    with pytest.raises(StepError) as info:
        converge(device, [profile(options="fps=30")], check_mode=False)
    message = str(info.value)
    assert "Invalid stream options" in message
    assert "1 change was made before it: remove continuous recording profile 3" in message


# -- concurrent runs adding the same profile ------------------------------------------------------


def test_a_twin_added_first_by_another_run_makes_this_run_remove_its_own_and_fail():
    device = camera(listed="profile_list_earlier_twin.xml")
    with pytest.raises(ConcurrentChangeError) as info:
        keep_one(device, "SD_DISK", "continuous", 8, sleep=lambda seconds: None)
    assert device.client.writes() == [(REMOVE, {"profile": 8})]
    assert info.value.as_dict()["error_class"] == "concurrent_change"
    assert str(info.value).startswith("while this run added profile 8 (disk SD_DISK, event id continuous), another "
                                      "run or a person added profile 5 (disk SD_DISK, event id continuous, options "
                                      "resolution=1920x1080); this run removed the profile it added")


def test_a_twin_added_later_is_left_to_its_own_run_and_waited_for():
    device = camera(listed=["profile_list_later_twin.xml", "profile_list_after_add.xml"])
    waits = []
    keep_one(device, "SD_DISK", "continuous", 8, sleep=waits.append)
    assert waits == [TWIN_CHECK_INTERVAL]
    assert device.client.writes() == []


def test_a_later_twin_that_stays_is_a_clear_failure_and_is_not_touched():
    device = camera(listed="profile_list_later_twin.xml")
    waits = []
    with pytest.raises(ConcurrentChangeError) as info:
        keep_one(device, "SD_DISK", "continuous", 8, sleep=waits.append)
    assert len(waits) == TWIN_CHECKS
    assert device.client.writes() == []
    assert "profile 9 (disk SD_DISK, event id continuous, options resolution=1920x1080) appeared and stayed" \
        in str(info.value)
