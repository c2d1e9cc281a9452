# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_recording_group: validation (ids, durations via _units, stream options), reading, and the planner.

The resource runs on the real Device and VapixClient over the shared test
double (tests/unit/double.py): each test states the camera's answers in the
order they are asked (fixture files shaped like the documented answers), and
asserts the exact steps, their order, and what each step sends.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.double import Call, Transcript, module_params, validation_message

from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import converge, summarize
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    ConflictError,
    DataLossRefused,
    StepError,
    UnsupportedError,
    ValidationError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_recording_group import (
    ARGUMENT_SPEC,
    OtherGroups,
    RecordingGroup,
    build_resources,
)

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "record/recording_group/"
KEY = "recording group retention-7d"
OTHER = "3f2b9c1e-7a4d-4e21-a9b0-5d6c7e8f9a0b"
LIST = Call(BASE + "list.cgi", {"schemaversion": 1}, exact=True).answers_file("group_list_two.xml")
# SD_DISK and NetworkShare (a share bound) mounted.
DISKS = Call("disks/list.cgi", {"diskid": "all"}).answers_file("group_disks_list.xml")
# NetworkShare with no share bound (disconnected).
NO_SHARE = Call("disks/list.cgi", {"diskid": "all"}).answers_file("profile_disks_list.xml")


def create(**params):
    return Call(BASE + "create.cgi", dict(params, schemaversion=1), exact=True).answers_file("group_create_ok.xml")


def update(**params):
    return Call(BASE + "update.cgi", dict(params, schemaversion=1), exact=True).answers_file("group_success.xml")


def delete(group_id, answer="group_success.xml"):
    return Call(BASE + "delete.cgi", {"schemaversion": 1, "recordinggroupid": group_id}, exact=True).answers_file(
        answer)


def camera(*calls):
    """A camera listing two groups (retention-7d on SD_DISK, OTHER on NetworkShare); then calls."""
    return Transcript(LIST, *calls)


def group(**params):
    params.setdefault("id", "retention-7d")
    return RecordingGroup(module_params(ARGUMENT_SPEC, **params))


def plan(resource, device):
    return resource.plan(device, resource.read(device))


def run_steps(transcript, steps):
    for step in steps:
        step.run(transcript.device())
    return [(path.replace(BASE, ""), params) for path, params in transcript.writes]


# -- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize("group_id", ["retention-7d", "a", "A_b-9", "x" * 50])
def test_valid_ids(group_id):
    assert group(id=group_id).group_id == group_id


@pytest.mark.parametrize("group_id", ["", "seven days", "retention.7d", "x" * 51, "grüppe", "week\n"])
def test_invalid_ids_are_refused_before_any_request(group_id):
    with pytest.raises(ValidationError) as info:
        group(id=group_id)
    assert str(info.value) == ("id %r is not a valid recording group id: use 1 to 50 letters, digits, '_' or '-' "
                               "(e.g. retention-7d)" % group_id)


@pytest.mark.parametrize("retention, hours", [(168, 168), ("168", 168), ("7d", 168), ("1w", 168), ("1d12h", 36),
                                              (0, 0), ("0", 0)])
def test_retention_in_hours_or_human_durations(retention, hours):
    assert group(retention=retention).desired() == {"retention_hours": hours}


@pytest.mark.parametrize("option, value, ms", [("pre_duration", 5000, 5000), ("pre_duration", "5s", 5000),
                                               ("post_duration", "1500ms", 1500), ("post_duration", "1m", 60000)])
def test_pre_and_post_durations_in_milliseconds_or_human_durations(option, value, ms):
    assert group(**{option: value}).desired() == {option + "_ms": ms}


@pytest.mark.parametrize("params, message", [
    ({"retention": "90m"}, "retention '90m' is not a whole number of hours (it is 1.5): give e.g. 1h or 2h"),
    ({"retention": -1}, "retention -1 is negative"),
    ({"pre_duration": "five seconds"}, "pre_duration 'five seconds' is not understood"),
    ({"post_duration": 1.5}, "post_duration 1.5 is not understood"),
    ({"disk_id": " "}, "disk_id is empty: give the disk's id as the camera lists it"),
    ({"stream_options": "fps=25&fps=30"}, "stream_options 'fps=25&fps=30' sets fps more than once"),
])
def test_wrong_values_say_what_is_wrong(params, message):
    assert message in validation_message(group, **params)


def test_stream_options_as_dict_or_string_are_one_value():
    assert (group(stream_options={"resolution": "1920x1080", "fps": 25}).desired()
            == group(stream_options="resolution%3D1920x1080%26fps%3D25").desired()
            == {"stream_options": "fps=25&resolution=1920x1080"})


def test_only_the_fields_set_are_desired_and_absent_desires_nothing():
    assert group(nice_name="Seven days", description="").desired() == {"nice_name": "Seven days", "description": ""}
    assert group(state="absent", retention="7d").desired() is None


# -- reading -------------------------------------------------------------------------------


def test_read_normalises_the_listed_group():
    assert group().read(camera().device()) == {
        "group_id": "retention-7d", "disk_id": "SD_DISK", "nice_name": "Seven days", "description": "Kept a week",
        "retention_hours": 168, "stream_options": "fps=25&resolution=1920x1080", "pre_duration_ms": 5000,
        "post_duration_ms": 10000}
    assert group(id="missing").read(camera().device()) is None


def test_camera_without_the_api_is_not_supported():
    missing = Transcript(LIST.answers("<html><body>404 Not Found</body></html>", status=404))
    with pytest.raises(UnsupportedError) as info:
        group().read(missing.device())
    assert str(info.value) == ("not supported by this camera: recording groups (the camera has no recording group "
                               "API (record/recording_group/list.cgi answers 404))")


# -- planning ----------------------------------------------------------------------------------


def test_unchanged_group_in_other_spellings_plans_nothing():
    resource = group(disk_id="SD_DISK", retention="7d", pre_duration="5s", post_duration="10s",
                     stream_options={"fps": 25, "resolution": "1920x1080"}, nice_name="Seven days")
    assert plan(resource, camera().device()) == []


def test_new_group_is_one_create_with_the_fields_set():
    transcript = camera(DISKS)
    resource = group(id="week", disk_id="SD_DISK", retention="7d", stream_options="resolution=1920x1080",
                     post_duration="2s")
    steps = plan(resource, transcript.device())
    assert [step.action for step in steps] == ["create"]
    assert steps[0].description == ("create recording group week: disk_id 'SD_DISK', retention_hours 168, "
                                    "stream_options 'resolution=1920x1080', post_duration_ms 2000")
    transcript.expect(create(recordinggroupid="week", diskid="SD_DISK", retentiontime=168,
                             streamoptions="resolution=1920x1080", postduration=2000))
    assert run_steps(transcript, steps) == [("create.cgi", {
        "schemaversion": "1", "recordinggroupid": "week", "diskid": "SD_DISK", "retentiontime": "168",
        "streamoptions": "resolution=1920x1080", "postduration": "2000"})]


def test_new_group_needs_a_disk_the_camera_has():
    with pytest.raises(ValidationError) as info:
        plan(group(id="week", retention=1), camera(DISKS).device())
    assert str(info.value) == ("recording group week does not exist on the camera; set disk_id to create it (the "
                               "disk of a group cannot change later)")
    transcript = camera(DISKS)
    with pytest.raises(ValidationError) as info:
        plan(group(id="week", disk="USB_DISK"), transcript.device())
    assert str(info.value) == ("cannot create recording group week: the camera has no disk 'USB_DISK'; its disks "
                               "are: NetworkShare, SD_DISK")
    assert transcript.writes == []


def test_changed_fields_are_one_update_with_only_those_fields():
    transcript = camera()
    steps = plan(group(retention="14d", description="Kept a week", stream_options="", disk_id="SD_DISK"),
                 transcript.device())
    assert [step.action for step in steps] == ["update"]
    assert steps[0].description == ("update recording group retention-7d: retention_hours 168 -> 336, "
                                    "stream_options 'fps=25&resolution=1920x1080' -> ''")
    assert not steps[0].destructive
    transcript.expect(update(recordinggroupid="retention-7d", retentiontime=336, streamoptions=""))
    assert run_steps(transcript, steps) == [("update.cgi", {"schemaversion": "1", "recordinggroupid": "retention-7d",
                                                            "retentiontime": "336", "streamoptions": ""})]


def test_disk_change_without_opt_in_fails_before_any_write():
    transcript = camera(DISKS)
    with pytest.raises(DataLossRefused) as info:
        converge(transcript.device(), [group(disk_id="NetworkShare", retention=1)], check_mode=False)
    assert str(info.value).endswith(
        "nothing was changed: delete recording group retention-7d and its recordings to move it from disk SD_DISK "
        "to NetworkShare (the camera cannot change a group's disk) [destructive; needs allow_data_loss]")
    assert info.value.as_dict()["not_run_steps"][1].startswith("create recording group retention-7d")
    assert transcript.writes == []


def test_disk_change_with_opt_in_is_destructive_delete_then_create_keeping_the_other_fields():
    transcript = camera(DISKS)
    steps = plan(group(disk_id="NetworkShare", retention="14d", allow_data_loss=True), transcript.device())
    assert [(step.action, step.destructive) for step in steps] == [("delete", True), ("create", False)]
    assert steps[0].text == ("delete recording group retention-7d and its recordings to move it from disk SD_DISK to "
                             "NetworkShare (the camera cannot change a group's disk) [destructive]")
    transcript.expect(delete("retention-7d"),
                      create(recordinggroupid="retention-7d", diskid="NetworkShare", nicename="Seven days",
                             description="Kept a week", retentiontime=336, streamoptions="fps=25&resolution=1920x1080",
                             preduration=5000, postduration=10000))
    assert run_steps(transcript, steps) == [
        ("delete.cgi", {"schemaversion": "1", "recordinggroupid": "retention-7d"}),
        ("create.cgi", {"schemaversion": "1", "recordinggroupid": "retention-7d", "diskid": "NetworkShare",
                        "nicename": "Seven days", "description": "Kept a week", "retentiontime": "336",
                        "streamoptions": "fps=25&resolution=1920x1080", "preduration": "5000",
                        "postduration": "10000"})]


@pytest.mark.parametrize("params", [dict(id="new-group", disk_id="NetworkShare"),
                                    dict(disk_id="NetworkShare", allow_data_loss=True)])
def test_no_group_is_created_or_moved_on_a_disk_that_is_not_attached(params):
    """The camera does not list the groups kept on storage that is not attached: one created there may exist."""
    transcript = camera(NO_SHARE)
    with pytest.raises(ConflictError) as info:
        plan(group(**params), transcript.device())
    assert str(info.value).startswith("cannot create recording group %s on disk NetworkShare: the disk is "
                                      "disconnected (no SD card inserted, or no share bound to NetworkShare)"
                                      % params.get("id", "retention-7d"))
    assert transcript.writes == []


def test_absent_is_one_destructive_delete_and_nothing_when_gone():
    transcript = camera(DISKS)
    steps = plan(group(state="absent"), transcript.device())
    assert [(step.action, step.destructive) for step in steps] == [("delete", True)]
    transcript.expect(delete("retention-7d"))
    assert run_steps(transcript, steps) == [("delete.cgi", {"schemaversion": "1", "recordinggroupid": "retention-7d"})]
    assert plan(group(id="gone", state="absent"), camera(DISKS).device()) == []


LOCKED = Call("disks/list.cgi", {"diskid": "all"}).answers(
    open(FIXTURES / "group_disks_list.xml", encoding="utf-8").read().replace('locked="no"', 'locked="yes"', 1))


@pytest.mark.parametrize("params", [dict(state="absent", allow_data_loss=True),
                                    dict(disk_id="NetworkShare", allow_data_loss=True)])
def test_no_group_on_a_locked_disk_is_deleted(params):
    """A locked disk keeps its recordings, and deleting a group deletes them: the camera refuses the deletion,
    which came after the deletions planned before it."""
    transcript = camera(LOCKED)
    with pytest.raises(ConflictError) as info:
        plan(group(**params), transcript.device())
    assert str(info.value).startswith("cannot delete recording group retention-7d ")
    assert str(info.value).endswith("its disk SD_DISK is locked, and a locked disk keeps its recordings; unlock it "
                                    "(vapix.edge_storage.axis_disk with locked: false) and run the task again")
    others = OtherGroups([], "purge: recording_groups")
    transcript = camera(LOCKED)
    with pytest.raises(ConflictError):
        plan(others, transcript.device())
    assert transcript.writes == []


def test_exclusive_deletes_every_other_group_first():
    params = module_params(ARGUMENT_SPEC, id="retention-7d", exclusive=True, retention="7d")
    others, declared = build_resources(params)
    assert isinstance(others, OtherGroups) and isinstance(declared, RecordingGroup)
    transcript = camera(DISKS)
    outcomes = converge(transcript.device(), [others, declared], check_mode=True)
    steps = [[step.text for step in outcome.steps] for outcome in outcomes]
    assert steps == [["delete recording group 3f2b9c1e-7a4d-4e21-a9b0-5d6c7e8f9a0b and its recordings (not "
                      "declared; exclusive: true) [destructive; needs allow_data_loss]"], []]
    result = summarize(outcomes)
    assert result["before"][others.identity] == {OTHER: {
        "disk_id": "NetworkShare", "nice_name": OTHER, "description": "",
        "retention_hours": 0, "stream_options": "", "pre_duration_ms": 0, "post_duration_ms": 0}}
    assert result["after"][others.identity] == {}
    assert transcript.writes == []


# -- device errors ---------------------------------------------------------------------------------


def test_group_in_use_reports_the_device_reason_and_code():
    # The refusal is checked against a fresh list (the group is still there: the refusal stands), then state_now.
    transcript = camera(DISKS, delete("retention-7d", answer="group_error_in_use.xml"), LIST, LIST)
    with pytest.raises(StepError) as info:
        converge(transcript.device(), [group(state="absent", allow_data_loss=True)], check_mode=False)
    assert info.value.as_dict()["code"] == 140
    message = str(info.value)
    assert message.startswith(
        "step 'delete recording group retention-7d and its recordings (state: absent)' failed: recording-group "
        "record/recording_group/delete.cgi?schemaversion=1&recordinggroupid=retention-7d failed with device error "
        "140: Recording group in use. (the recording group is in use (a recording action refers to it); remove "
        "that action first); nothing had been changed before it; the device is now: {")
    assert "'disk_id': 'SD_DISK'" in message and "'state': 'present'" in message


def test_removal_of_the_undeclared_keeps_every_declared_group():
    declared = [group(retention="7d"), group(id=OTHER)]
    others = OtherGroups(declared, "purge: recording_groups")
    assert others.identity == "recording groups other than retention-7d, 3f2b9c1e-7a4d-4e21-a9b0-5d6c7e8f9a0b"
    device = camera(DISKS).device()
    assert others.read(device) == {}
    assert plan(others, device) == []


def test_removal_with_nothing_declared_deletes_every_group_destructively():
    others = OtherGroups([], "purge: recording_groups")
    assert others.identity == "all recording groups (none declared)"
    transcript = camera(DISKS)
    steps = plan(others, transcript.device())
    assert [(step.text, step.destructive) for step in steps] == [
        ("delete recording group 3f2b9c1e-7a4d-4e21-a9b0-5d6c7e8f9a0b and its recordings (not declared; purge: "
         "recording_groups) [destructive]", True),
        ("delete recording group retention-7d and its recordings (not declared; purge: recording_groups) "
         "[destructive]", True)]
    transcript.expect(delete(OTHER), delete("retention-7d"))
    assert run_steps(transcript, steps) == [
        ("delete.cgi", {"schemaversion": "1", "recordinggroupid": OTHER}),
        ("delete.cgi", {"schemaversion": "1", "recordinggroupid": "retention-7d"})]


@pytest.mark.parametrize("given, message", [
    ({"retention": "100000000000000000000000h"}, "more than ten years (87600 hours)"),
    ({"retention": 87601}, "more than ten years"),
    ({"pre_duration": "2h"}, "pre_duration '2h' is 7200000 ms, more than one hour"),
    ({"post_duration": 3600001}, "post_duration 3600001 is 3600001 ms"),
])
def test_durations_beyond_any_real_setup_are_refused_before_any_request(given, message):
    """Issue 10, case 6: a retention of 10^23 hours was sent to the camera."""
    assert message in validation_message(group, **given)


def test_the_largest_accepted_durations_pass():
    assert group(retention="3650d", pre_duration="1h", post_duration="60m").wanted == {
        "retention_hours": 87600, "pre_duration_ms": 3600000, "post_duration_ms": 3600000}
