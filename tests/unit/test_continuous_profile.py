# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_continuous_profile: reading device-shaped answers, validation, and the planner.

The resource runs on the real Device and VapixClient over the shared test
double (tests/unit/double.py): each test states the camera's answers in the
order they are asked (fixture files shaped like the documented and
real-firmware answers), and asserts the exact steps, their order, and what
each step sends.
"""

from __future__ import annotations

import pytest

from tests.unit.double import Call, Transcript, module_params, param_list, validation_message
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import converge, in_declared_order, summarize
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    ConcurrentChangeError,
    ConflictError,
    PlanError,
    StepError,
    UnsupportedError,
    ValidationError,
    VapixError,
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

LIST = "record/continuous/listconfiguration.cgi"
ADD = "record/continuous/addconfiguration.cgi"
REMOVE = "record/continuous/removeconfiguration.cgi"
DISKS = Call("disks/list.cgi", {"diskid": "all"}).answers_file("profile_disks_list.xml")


def properties(continuous="yes", slots=1):
    lines = ["root.Properties.LocalStorage.LocalStorage=yes",
             "root.Properties.LocalStorage.ContinuousRecording=%s" % continuous,
             "root.Properties.Firmware.Version=9.80.2.2"]
    if slots is not None:
        lines.append("root.Properties.LocalStorage.NbrOfContinuousRecordingProfiles=%d" % slots)
    return param_list("\n".join(lines) + "\n")


def listed(fixture="profile_list_two.xml"):
    return Call(LIST).answers_file(fixture)


def add(disk_id, options, event_id, answer="profile_add_ok.xml"):
    return Call(ADD, {"diskid": disk_id, "options": options, "eventid": event_id}, exact=True).answers_file(answer)


def remove(profile):
    return Call(REMOVE, {"profile": profile}, exact=True).answers_file("profile_remove_ok.xml")


def camera(*calls, listing="profile_list_two.xml", slots=2, continuous="yes"):
    """A camera with slots profile slots listing the profiles of the fixture listing; then calls."""
    return Transcript(properties(continuous, slots), listed(listing), *calls)


def profile(**params):
    params.setdefault("disk_id", "SD_DISK")
    return ContinuousProfile(module_params(ARGUMENT_SPEC, ARGUMENT_RULES, **params))


def run_steps(transcript, steps):
    """Run the steps, then what they confirm once their batch is re-read, as the engine does."""
    for step in steps:
        step.run(transcript.device())
    for step in steps:
        if step.confirm is not None:
            step.confirm(transcript.device())
    return list(transcript.writes)


# -- reading ---------------------------------------------------------------------------


def test_read_normalises_options_and_defaults_the_event_id():
    state = profile(options="fps=15&resolution=1280x720&text=Gate 1").read(camera().device())
    assert state == {"profile": 3, "disk_id": "SD_DISK", "event_id": "continuous",
                     "options": "fps=15&resolution=1280x720&text=Gate%201", "duplicates": 0}


def test_read_finds_by_disk_and_event_id_only():
    device = camera().device()
    assert profile(event_id="continuous_nas", options="x=1").read(device) is None
    found = profile(disk="NetworkShare", event_id="continuous_nas", options="x=1").read(device)
    assert (found["profile"], found["options"]) == (7, "resolution=640x480&videocodec=h264")


def test_camera_without_continuous_recording_is_not_supported():
    with pytest.raises(UnsupportedError) as info:
        profile(options="fps=15").read(Transcript(properties(continuous="no")).device())
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
    assert message in validation_message(profile, **{"options": "fps=15", **params})


# -- planning ---------------------------------------------------------------------------------


def test_same_options_in_another_spelling_plan_nothing():
    device = camera().device()
    for options in ({"text": "Gate 1", "resolution": "1280x720", "fps": 15},
                    "text=Gate%201&fps=15&resolution=1280x720",
                    "fps%3D15%26resolution%3D1280x720%26text%3DGate%25201"):
        resource = profile(options=options)
        assert resource.plan(device, resource.read(device)) == []


def test_new_profile_is_one_add_with_canonical_options():
    transcript = camera(DISKS, listing="profile_list_empty.xml")
    device = transcript.device()
    resource = profile(event_id="continuous_sd", options={"resolution": "1280x720", "fps": 15})
    steps = resource.plan(device, resource.read(device))
    assert [step.action for step in steps] == ["add"]
    assert not steps[0].destructive
    transcript.expect(add("SD_DISK", "fps=15&resolution=1280x720", "continuous_sd"), listed("profile_list_empty.xml"))
    assert run_steps(transcript, steps) == [(ADD, {"diskid": "SD_DISK", "options": "fps=15&resolution=1280x720",
                                                   "eventid": "continuous_sd"})]


def test_changed_options_are_remove_then_add_of_the_same_disk_and_event():
    transcript = camera(DISKS)
    device = transcript.device()
    resource = profile(options={"resolution": "1920x1080"})
    steps = resource.plan(device, resource.read(device))
    assert [step.action for step in steps] == ["remove", "add"]
    assert steps[0].description == ("remove continuous recording profile 3 (disk SD_DISK, event id continuous, "
                                    "options fps=15&resolution=1280x720&text=Gate%201) to re-create it with "
                                    "options resolution=1920x1080 (a profile cannot be changed)")
    transcript.expect(remove(3), add("SD_DISK", "resolution=1920x1080", "continuous"),
                      listed("profile_list_after_add.xml"))
    assert run_steps(transcript, steps) == [
        (REMOVE, {"profile": "3"}),
        (ADD, {"diskid": "SD_DISK", "options": "resolution=1920x1080", "eventid": "continuous"})]


def test_absent_removes_every_profile_of_the_disk_and_event():
    transcript = camera()
    device = transcript.device()
    resource = profile(state="absent")
    steps = resource.plan(device, resource.read(device))
    assert [step.action for step in steps] == ["remove"]
    transcript.expect(remove(3))
    assert run_steps(transcript, steps) == [(REMOVE, {"profile": "3"})]
    assert profile(state="absent", event_id="other").plan(device, None) == []


def test_full_camera_fails_before_any_write_naming_the_holder():
    transcript = camera(DISKS)
    device = transcript.device()
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
    assert transcript.writes == []


def test_re_creating_frees_its_own_slot_on_a_full_camera():
    device = camera(DISKS, slots=2).device()
    resource = profile(options="fps=30")
    assert [step.action for step in resource.plan(device, resource.read(device))] == ["remove", "add"]


def test_no_profile_slots_at_all_is_not_supported():
    device = camera(DISKS, listing="profile_list_empty.xml", slots=0).device()
    resource = profile(options="fps=15")
    with pytest.raises(UnsupportedError) as info:
        resource.plan(device, resource.read(device))
    assert "NbrOfContinuousRecordingProfiles is 0 on this camera (firmware 9.80.2.2)" in str(info.value)


@pytest.mark.parametrize("slots, said", [(None, "is missing"), ("", "is '', not a whole number")])
def test_an_unknown_number_of_slots_is_a_damaged_answer_not_0(slots, said):
    """NbrOfContinuousRecordingProfiles missing or empty was read as 0: the camera was said not to support
    continuous profiles, and unsupported: skip left the section out."""
    lines = ["root.Properties.LocalStorage.LocalStorage=yes", "root.Properties.LocalStorage.ContinuousRecording=yes",
             "root.Properties.Firmware.Version=9.80.2.2"]
    if slots is not None:
        lines.append("root.Properties.LocalStorage.NbrOfContinuousRecordingProfiles=%s" % slots)
    transcript = Transcript(param_list("\n".join(lines) + "\n"), listed("profile_list_empty.xml"), DISKS)
    device = transcript.device()
    resource = profile(options="fps=15")
    with pytest.raises(VapixError) as info:
        resource.plan(device, resource.read(device))
    assert info.value.error_class == "damaged_answer"
    assert ("Properties.LocalStorage.NbrOfContinuousRecordingProfiles %s while ContinuousRecording is yes: how "
            "many profiles the camera holds is unknown (not 0), so no profile is added" % said) in str(info.value)
    assert transcript.writes == []


def test_unknown_disk_fails_before_any_write():
    transcript = camera(DISKS, listing="profile_list_empty.xml")
    device = transcript.device()
    resource = profile(disk_id="USB_DISK", options="fps=15")
    with pytest.raises(ValidationError) as info:
        resource.plan(device, resource.read(device))
    assert str(info.value) == ("cannot add continuous profile USB_DISK/continuous: the camera has no disk "
                               "'USB_DISK'; its disks are: NetworkShare, SD_DISK")
    assert transcript.writes == []


DUPLICATES = Call(LIST).answers(
    '<?xml version="1.0" ?><root><continuousrecordingconfigurations>'
    '<continuousrecordingconfiguration profile="3" diskid="SD_DISK" options="resolution=1280x720&amp;fps=15" />'
    '<continuousrecordingconfiguration profile="7" diskid="NetworkShare" options="x=1" eventid="continuous_nas" />'
    '<continuousrecordingconfiguration profile="9" diskid="NetworkShare" options="videocodec=h264&amp;'
    'resolution=640x480" eventid="continuous_nas" />'
    "</continuousrecordingconfigurations></root>")


def test_duplicates_keep_the_one_with_the_declared_options():
    transcript = Transcript(properties(slots=3), DUPLICATES)
    device = transcript.device()
    resource = profile(disk_id="NetworkShare", event_id="continuous_nas", options="x=1")
    state = resource.read(device)
    assert (state["profile"], state["duplicates"]) == (7, 1)
    steps = resource.plan(device, state)
    assert [step.action for step in steps] == ["remove"]
    assert steps[0].description.endswith("(another profile with this disk and event id; profile 7 has the "
                                         "declared options and is kept)")
    transcript.expect(remove(9))
    assert run_steps(transcript, steps) == [(REMOVE, {"profile": "9"})]


# -- exclusive mode -----------------------------------------------------------------------------


def test_exclusive_removes_the_others_first_and_skips_the_slot_check():
    params = module_params(ARGUMENT_SPEC, ARGUMENT_RULES, disk_id="SD_DISK", event_id="continuous_sd",
                           options="fps=15", exclusive=True)
    others, declared = build_resources(params)
    assert isinstance(others, OtherProfiles) and isinstance(declared, ContinuousProfile)
    transcript = camera(DISKS)
    outcomes = converge(transcript.device(), [others, declared], check_mode=True)
    assert [[step.action for step in outcome.steps] for outcome in outcomes] == [["remove", "remove"], ["add"]]
    result = summarize(outcomes)
    assert result["before"][others.identity] == {
        "profile 3": {"disk_id": "SD_DISK", "event_id": "continuous", "options": "fps=15&resolution=1280x720&text=Gate%201"},
        "profile 7": {"disk_id": "NetworkShare", "event_id": "continuous_nas",
                      "options": "resolution=640x480&videocodec=h264"}}
    assert result["after"] == {others.identity: {},
                               declared.identity: {"disk_id": "SD_DISK", "event_id": "continuous_sd",
                                                   "options": "fps=15", "state": "present"}}
    assert transcript.writes == []


def test_removal_of_the_undeclared_keeps_every_declared_profile_and_frees_their_slots():
    kept = profile(options="fps=15&resolution=1280x720&text=Gate 1")       # profile 3, as it is
    new = profile(event_id="continuous_sd", options="fps=15")                # not there yet
    others = OtherProfiles([kept, new], "purge: continuous_profiles")
    assert others.identity == ("continuous profiles other than continuous profile SD_DISK/continuous, "
                               "continuous profile SD_DISK/continuous_sd")
    transcript = camera(DISKS, slots=2)
    outcomes = converge(transcript.device(), [others, kept, new], check_mode=True)
    assert [[step.text for step in outcome.steps] for outcome in outcomes] == [
        ["remove continuous recording profile 7 (disk NetworkShare, event id continuous_nas, options "
         "resolution=640x480&videocodec=h264) (not declared; purge: continuous_profiles)"],
        [],
        ["add continuous recording profile on disk SD_DISK, event id continuous_sd, options fps=15"]]
    assert transcript.writes == []


def test_slot_held_by_another_declared_profile_is_still_a_conflict():
    kept = profile(options="fps=15&resolution=1280x720&text=Gate 1")
    new = profile(event_id="continuous_sd", options="fps=15")
    OtherProfiles([kept, new], "purge: continuous_profiles")
    device = camera(DISKS, slots=1).device()
    with pytest.raises(ConflictError) as info:
        new.plan(device, new.read(device))
    assert "at most 1 continuous recording profile and profile 3 (disk SD_DISK" in str(info.value)
    assert "profile 7" not in str(info.value)


def test_slots_kept_or_added_by_the_profiles_declared_before_are_taken():
    """In a whole-camera section each profile counted only the profiles listed: two new ones on a camera with
    one free slot both planned an add, and the second failed after the first was written."""
    params = [dict(disk_id="SD_DISK", event_id=event_id, options="fps=15") for event_id in ("a", "b")]
    first, second = (profile(**one) for one in params)
    in_declared_order([first, second])
    transcript = camera(DISKS, slots=3)        # two profiles listed: one slot free
    with pytest.raises(PlanError) as info:
        converge(transcript.device(), [first, second], check_mode=True)
    assert ("profile 7 (disk NetworkShare, event id continuous_nas, options resolution=640x480&videocodec=h264) "
            "holds a slot; continuous profile SD_DISK/a, declared before it, holds a slot; set exclusive") \
        in str(info.value)
    assert str(info.value).endswith(", or declare fewer profiles")
    # A profile declared after it, or absent, takes no slot from it.
    absent = profile(disk_id="SD_DISK", event_id="continuous", state="absent")
    in_declared_order([absent, second, first])
    device = camera(DISKS, slots=3).device()
    assert [step.action for step in second.plan(device, second.read(device))] == ["add"]


def test_removal_with_nothing_declared_removes_every_profile():
    others = OtherProfiles([], "purge: continuous_profiles")
    assert others.identity == "all continuous profiles (none declared)"
    transcript = camera()
    device = transcript.device()
    steps = others.plan(device, others.read(device))
    transcript.expect(remove(3), remove(7))
    assert run_steps(transcript, steps) == [(REMOVE, {"profile": "3"}), (REMOVE, {"profile": "7"})]


def test_without_exclusive_one_resource():
    params = module_params(ARGUMENT_SPEC, ARGUMENT_RULES, disk_id="SD_DISK", options="a=1")
    assert [type(r) for r in build_resources(params)] == [ContinuousProfile]


# -- converge -------------------------------------------------------------------------------------


def test_converge_check_mode_predicts_and_writes_nothing():
    transcript = camera(DISKS)
    outcomes = converge(transcript.device(), [profile(options="fps=30")], check_mode=True)
    result = summarize(outcomes, diff_mode=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["continuous profile SD_DISK/continuous"]["options"] == (
        "fps=15&resolution=1280x720&text=Gate%201")
    assert result["diff"]["after"]["continuous profile SD_DISK/continuous"] == {
        "disk_id": "SD_DISK", "event_id": "continuous", "options": "fps=30", "state": "present"}
    assert transcript.writes == []


def test_a_failing_add_after_the_remove_says_what_was_done():
    # After the refused add the profiles are listed again: no other run added the declared one, so the removed
    # profile is added back.
    transcript = camera(DISKS, remove(3), add("SD_DISK", "fps=30", "continuous", answer="profile_add_error.xml"),
                        listed("profile_list_nas_only.xml"),
                        add("SD_DISK", "fps=15&resolution=1280x720&text=Gate%201", "continuous"),
                        properties(slots=2), listed("profile_list_after_add.xml"))
    with pytest.raises(StepError) as info:
        converge(transcript.device(), [profile(options="fps=30")], check_mode=False)
    message = str(info.value)
    assert "Invalid stream options" in message
    assert "1 change was made before it: remove continuous recording profile 3" in message
    assert "the removed profile was added back with its previous options fps=15&resolution=1280x720&text=Gate%201" \
        in message
    assert [path for path, _params in transcript.writes] == [REMOVE, ADD, ADD]


# -- concurrent runs adding the same profile ------------------------------------------------------


def test_a_twin_added_first_by_another_run_makes_this_run_remove_its_own_and_fail():
    transcript = Transcript(properties(), listed("profile_list_earlier_twin.xml"), remove(8))
    with pytest.raises(ConcurrentChangeError) as info:
        keep_one(transcript.device(), "SD_DISK", "continuous", 8, sleep=lambda seconds: None)
    assert transcript.writes == [(REMOVE, {"profile": "8"})]
    assert info.value.as_dict()["error_class"] == "concurrent_change"
    assert str(info.value).startswith("while this run added profile 8 (disk SD_DISK, event id continuous), another "
                                      "run or a person added profile 5 (disk SD_DISK, event id continuous, options "
                                      "resolution=1920x1080); this run removed the profile it added")


def test_a_twin_added_later_is_left_to_its_own_run_and_waited_for():
    transcript = Transcript(properties(), listed("profile_list_later_twin.xml"), listed("profile_list_after_add.xml"))
    waits = []
    keep_one(transcript.device(), "SD_DISK", "continuous", 8, sleep=waits.append)
    assert waits == [TWIN_CHECK_INTERVAL]
    assert transcript.writes == []


def test_a_later_twin_that_stays_is_a_clear_failure_and_is_not_touched():
    transcript = Transcript(properties(), *[listed("profile_list_later_twin.xml")] * TWIN_CHECKS)
    waits = []
    with pytest.raises(ConcurrentChangeError) as info:
        keep_one(transcript.device(), "SD_DISK", "continuous", 8, sleep=waits.append)
    assert len(waits) == TWIN_CHECKS
    assert transcript.writes == []
    assert "profile 9 (disk SD_DISK, event id continuous, options resolution=1920x1080) appeared and stayed" \
        in str(info.value)
