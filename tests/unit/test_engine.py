# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resource engine: read -> plan -> apply unless check mode -> re-read -> verify, and the summary.

The engine drives the collection's own resources (storage limit, recording group,
recording settings, share) on the real Device and VapixClient over the shared test
double (tests/unit/double.py). Each test states the camera's answers in the order
the engine must ask for them, so it shows what the engine reads, writes and re-reads,
in which order, and what it reports when the camera does not go along.
"""

from __future__ import annotations

import pytest
import requests

from tests.unit.double import Call, Transcript, disk_list, fixture_bytes, module_params, param_list
from tests.unit.test_recording_group import BASE, DISKS, LIST, create, delete
from tests.unit.test_storage_limit import DISK_SIZES, LIMIT_500_GIB, NO_LIMITS, disks, getlimit, setlimit

from ansible_collections.vapix.edge_storage.plugins.module_utils import (
    _resource_recording_group,
    _resource_recording_settings,
    _resource_share,
    _resource_storage_limit,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._device import PROPERTY_GROUPS, STORAGE_GROUP
from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import Step, apply_steps, converge, summarize
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    ConvergeError,
    DataLossRefused,
    PlanError,
    StepError,
    ValidationError,
)

FIRMWARE = "9.80.2.2"
GROUP = "recording group retention-7d"
OTHER_GROUP = "3f2b9c1e-7a4d-4e21-a9b0-5d6c7e8f9a0b"
# retention-7d (on SD_DISK in group_list_two.xml) moved to NetworkShare: delete -> create.
MOVE = ["delete recording group retention-7d and its recordings to move it from disk SD_DISK to NetworkShare (the "
        "camera cannot change a group's disk)",
        "create recording group retention-7d: disk_id 'NetworkShare', nice_name 'Seven days', description 'Kept a "
        "week', retention_hours 168, stream_options 'fps=25&resolution=1920x1080', pre_duration_ms 5000, "
        "post_duration_ms 10000 (re-created on disk NetworkShare)"]
MOVE_CREATE = dict(recordinggroupid="retention-7d", diskid="NetworkShare", nicename="Seven days",
                   description="Kept a week", retentiontime=168, streamoptions="fps=25&resolution=1920x1080",
                   preduration=5000, postduration=10000)
SD_2_GIB = "set the storage limit of SD_DISK to 2 GiB (2097152 kB; was no limit)"
SPLIT_1800 = "set default_split_duration 3600 -> 1800 (param.cgi Recording)"
BIND_NAS1 = "bind share 'nas1' to the network share disk (mounts it)"


# -- the camera's answers ---------------------------------------------------------------------------------

def properties(storage_limit="yes"):
    """The first parameter read of a run: the property groups and the Storage group, in one request."""
    return param_list("root.Properties.Firmware.Version=%s\n"
                      "root.Properties.LocalStorage.LocalStorage=yes\n"
                      "root.Properties.LocalStorage.StorageLimit=%s\n"
                      "root.Properties.NetworkShare.NetworkShare=yes\n"
                      "root.Storage.S0.DiskID=SD_DISK\n" % (FIRMWARE, storage_limit), *PROPERTY_GROUPS, STORAGE_GROUP)


def recording_params(split=3600):
    return param_list("root.Recording.DefaultDiskId=SD_DISK\nroot.Recording.DefaultSplitDuration=%d\n" % split,
                      "Recording")


def update_split(seconds):
    return Call("param.cgi", {"action": "update", "Recording.DefaultSplitDuration": seconds}, exact=True).answers("OK")


def groups_listed(disk_id="SD_DISK"):
    """list.cgi with retention-7d on disk_id (and the other group); None: retention-7d deleted."""
    text = fixture_bytes("group_list_two.xml")
    if disk_id is None:
        start = text.index(b"<RecordingGroup RecordingGroupId=\"retention-7d\"")
        text = text[:start] + text[text.index(b"/>", start) + 2:]
    else:
        text = text.replace(b'DiskId="SD_DISK"', b'DiskId="%s"' % disk_id.encode())
    return Call(BASE + "list.cgi", {"schemaversion": 1}, exact=True).answers(text)


def group_error(code, description):
    return ('<?xml version="1.0" encoding="utf-8"?><RecordingGroupResponse schemaversion="1.0"><GeneralError>'
            "<ErrorCode>%d</ErrorCode><ErrorDescription>%s</ErrorDescription></GeneralError></RecordingGroupResponse>"
            % (code, description))


GROUPS_404 = Call(BASE + "list.cgi", {"schemaversion": 1}).answers_file("apidiscovery_404.html", status=404)


def shares_listed(bound):
    """The share list with one share, nas1, bound to the NetworkShare disk or not."""
    disk = ' DiskId="NetworkShare"' if bound else ""
    return Call("disks/networkshare/list.cgi", {"schemaversion": 1, "shareid": "all"}).answers(
        '<?xml version="1.0" encoding="utf-8"?><NetworkShareResponse SchemaVersion="1.0"><ListSuccess>'
        '<NetworkShares NumberOfShares="1"><NetworkShare NiceName="nas1" ShareId="nas1" Address="nas.example.com" '
        'Share="cameras" User=""%s /></NetworkShares></ListSuccess></NetworkShareResponse>' % disk)


BIND = Call("disks/networkshare/bind.cgi", {"schemaversion": 1, "shareid": "nas1", "automaticmount": "yes"},
            exact=True).answers('<NetworkShareResponse SchemaVersion="1.0"><BindSuccess/></NetworkShareResponse>')
# The NetworkShare disk before the share is bound (no size) and after (the NAS's 4 TiB).
SHARE_UNBOUND = disk_list({"diskid": "SD_DISK", "totalsize": DISK_SIZES["SD_DISK"]},
                          {"diskid": "NetworkShare", "totalsize": 0, "status": "disconnected", "filesystem": "cifs"})
SHARE_MOUNTED = disks()
HALF_OF_4_TIB = 2 * 1024 ** 3


# -- the resources ------------------------------------------------------------------------------------------

def limit(**params):
    return _resource_storage_limit.StorageLimit(module_params(
        _resource_storage_limit.ARGUMENT_SPEC, _resource_storage_limit.ARGUMENT_RULES, **params))


def quota_limit():
    """NetworkShare's limit as half of the share's size, read from the camera (no capacity given)."""
    return limit(disk_id="NetworkShare", quota={"weights": {"cam1": 1, "cam2": 1}, "member": "cam1"})


def group(**params):
    params.setdefault("id", "retention-7d")
    return _resource_recording_group.RecordingGroup(module_params(_resource_recording_group.ARGUMENT_SPEC, **params))


def settings(**params):
    return _resource_recording_settings.RecordingSettingsResource(
        module_params(_resource_recording_settings.ARGUMENT_SPEC, **params))


def bind_nas1():
    return _resource_share.ShareResource(module_params(
        _resource_share.ARGUMENT_SPEC, _resource_share.ARGUMENT_RULES, name="nas1", bound=True, test_share=False))


def in_section(section, resource):
    """The resource as a whole-camera run (axis_edge_storage) declares it, in a section."""
    resource.section = section
    return resource


def writes_of(camera):
    """The CGI paths of the writes sent, in order."""
    return [path for path, _params in camera.writes]


# -- one resource -------------------------------------------------------------------------------------------


def test_validation_runs_in_the_constructor():
    with pytest.raises(ValidationError, match="size is required with state=present"):
        limit(disk_id="SD_DISK")


def test_check_mode_reads_plans_and_predicts_without_writing():
    camera = Transcript(properties(), getlimit(NO_LIMITS), disks())
    outcome, = converge(camera.device(), [limit(disk_id="NetworkShare", size="500 GiB")], check_mode=True)
    assert camera.writes == []
    assert camera.paths == ["param.cgi", "record/storage/getlimit.cgi", "disks/list.cgi"]
    assert [s.action for s in outcome.steps] == ["set_limit"]
    assert outcome.before == {"size_kb": 0, "used_kb": 553324}
    assert outcome.after == {"size_kb": 524288000, "used_kb": 553324}


def test_real_run_applies_in_order_rereads_and_verifies():
    camera = Transcript(LIST, DISKS, delete("retention-7d"), create(**MOVE_CREATE), groups_listed("NetworkShare"))
    outcome, = converge(camera.device(), [group(disk_id="NetworkShare", allow_data_loss=True)], check_mode=False)
    assert camera.writes == [(BASE + "delete.cgi", {"schemaversion": "1", "recordinggroupid": "retention-7d"}),
                             (BASE + "create.cgi", {"schemaversion": "1", **{key: str(value) for key, value in
                                                                             MOVE_CREATE.items()}})]
    # The engine re-reads without flushing the cache: each write forgets only what it affects (the groups,
    # not the disks).
    assert camera.paths == [BASE + "list.cgi", "disks/list.cgi", BASE + "delete.cgi", BASE + "create.cgi",
                            BASE + "list.cgi"]
    assert [step.description for step in outcome.steps] == MOVE
    assert outcome.after["disk_id"] == "NetworkShare"


def test_nothing_to_do_means_no_write_and_no_reread():
    camera = Transcript(properties(), getlimit(LIMIT_500_GIB))
    outcome, = converge(camera.device(), [limit(disk_id="NetworkShare", size="500 GiB")], check_mode=False)
    assert outcome.steps == [] and camera.writes == []
    assert camera.paths == ["param.cgi", "record/storage/getlimit.cgi"]


def test_a_device_that_does_not_take_the_change_is_a_converge_error():
    camera = Transcript(properties(), getlimit(NO_LIMITS), disks(), setlimit("SD_DISK", 2097152),
                        getlimit(NO_LIMITS))
    with pytest.raises(StepError) as info:
        converge(camera.device(), [limit(disk_id="SD_DISK", size="2 GiB")], check_mode=False)
    assert isinstance(info.value.cause, ConvergeError)
    assert info.value.cause.mismatches == ["size_kb is 0, wanted 2097152"]
    assert info.value.as_dict()["error_class"] == "verify"
    assert info.value.as_dict()["failed_step"] == "check that storage limit SD_DISK converged"
    assert "storage limit SD_DISK did not converge" in str(info.value)
    assert "1 change was made before it: %s" % SD_2_GIB in str(info.value)
    assert writes_of(camera) == ["record/storage/setlimit.cgi"]


def test_a_failed_step_says_what_was_done_and_where_the_device_stands():
    camera = Transcript(LIST, DISKS, delete("retention-7d"), create(**MOVE_CREATE).answers(
        group_error(120, "Maximum number of recording groups reached.")),
        # the refused create's re-read (is the group there: another run's?), then where the device stands
        groups_listed(None), groups_listed(None))
    with pytest.raises(StepError) as info:
        converge(camera.device(), [group(disk_id="NetworkShare", allow_data_loss=True)], check_mode=False)
    error = info.value
    assert error.step == MOVE[1] and error.done == [MOVE[0]]
    assert error.as_dict()["code"] == 120
    assert "1 change was made before it: %s" % MOVE[0] in str(error)
    # Where the device stands is read again, from the camera, after the failure.
    assert str(error).endswith("the device is now: {'state': 'absent'}")
    assert camera.paths[-1] == BASE + "list.cgi"


class _Files:
    """What a failed run of steps that write on the controller leaves (an export's files)."""

    def state_now(self, device):
        return "the files written are kept"


@pytest.mark.parametrize("writes_controller", [True, False])
def test_a_step_that_wrote_on_the_controller_is_a_change_a_later_failure_names(writes_controller):
    def refused(device):
        raise ValidationError("the second file cannot be written")

    steps = [Step("save", "save the first file", lambda device: None, writes_controller=writes_controller),
             Step("save", "save the second file", refused), Step("save", "save the third file", lambda d: None)]
    with pytest.raises(StepError) as info:
        apply_steps(Transcript().device(), _Files(), steps)
    error = info.value
    assert error.done == ["save the first file"] and error.not_run == ["save the third file"]
    if writes_controller:
        # no request wrote to the camera, and still the first file is a change the failure names
        assert error.changes == ["save the first file"] and error.as_dict()["changed"] is True
        assert "1 change was made before it: save the first file" in str(error)
    else:
        assert error.changes == [] and "changed" not in error.as_dict()
        assert "nothing had been changed before it" in str(error)
    assert str(error).endswith("the device is now: the files written are kept")


def test_summary_changed_steps_and_diff_of_managed_fields_only():
    camera = Transcript(LIST, DISKS, properties(), getlimit(NO_LIMITS))
    outcomes = converge(camera.device(), [group(disk_id="NetworkShare", allow_data_loss=True),
                                          limit(disk_id="SD_DISK", size="no limit")], check_mode=True)
    summary = summarize(outcomes, diff_mode=True)
    assert summary["changed"] is True
    assert summary["steps"] == [MOVE[0] + " [destructive]", MOVE[1]]
    assert summary["needs_allow_data_loss"] == [] and summary["skipped_unsupported"] == []
    unlimited = {"state": "absent", "size_kb": 0, "size": "no limit", "used_kb": 661324, "used": "645.82 MiB"}
    assert summary["before"] == {GROUP: {"disk_id": "SD_DISK", "state": "present"},
                                 "storage limit SD_DISK": unlimited}
    assert summary["after"] == {GROUP: {"disk_id": "NetworkShare", "state": "present"},
                                "storage limit SD_DISK": unlimited}
    assert summary["diff"] == {"before": summary["before"], "after": summary["after"]}
    # Without --diff, before/after stay and no diff is returned.
    assert "diff" not in summarize(outcomes) and summarize(outcomes)["after"] == summary["after"]
    assert camera.writes == []


def test_summary_of_nothing_to_do_is_unchanged():
    camera = Transcript(properties(), getlimit(LIMIT_500_GIB))
    summary = summarize(converge(camera.device(), [limit(disk_id="NetworkShare", size="500 GiB")],
                                 check_mode=False))
    assert summary["changed"] is False and summary["steps"] == []
    assert summary["before"] == summary["after"]
    assert camera.writes == []


def test_absent_resource_shows_as_absent():
    resource = group(id="z", disk_id="SD_DISK")
    assert resource.managed(None) == {"state": "absent"}
    assert resource.verify(None) == ["recording group z does not exist"]


# -- the whole run planned before the first write ----------------------------------------------


def test_every_feature_the_camera_lacks_is_named_at_once_before_any_write():
    camera = Transcript(recording_params(), properties(storage_limit="no"), GROUPS_404)
    resources = [settings(default_split_duration=1800),
                 in_section("storage_limits", limit(disk_id="SD_DISK", size="2 GiB")),
                 in_section("recording_groups", group(disk_id="SD_DISK"))]
    with pytest.raises(PlanError) as info:
        converge(camera.device(), resources, check_mode=False)
    assert camera.writes == []
    assert str(info.value).startswith("not supported by this camera (%s): recording storage limit (storage_limits), "
                                      "recording groups (recording_groups). Nothing was changed" % FIRMWARE)
    data = info.value.as_dict()
    assert data["error_class"] == "unsupported"
    assert data["not_run_steps"] == [SPLIT_1800] and data["completed_steps"] == []
    assert [problem["where"] for problem in data["problems"]] == ["storage_limits", "recording_groups"]


def test_a_state_problem_with_nothing_planned_before_it_fails_the_run_before_any_write():
    camera = Transcript(properties(), getlimit(NO_LIMITS), LIST, DISKS)
    with pytest.raises(PlanError) as info:
        converge(camera.device(), [limit(disk_id="SD_DISK", size="no limit"), group(id="usb", disk_id="USB")],
                 check_mode=False)
    assert str(info.value) == ("cannot create recording group usb: the camera has no disk 'USB'; its disks are: "
                               "NetworkShare, SD_DISK")
    assert info.value.as_dict()["error_class"] == "invalid_argument"
    assert camera.writes == []


def test_a_resource_that_needs_the_writes_before_it_is_planned_after_them():
    """The limit's quota splits the share's size, which the camera reports only once the share is bound."""
    camera = Transcript(properties(), shares_listed(bound=False), getlimit(NO_LIMITS), SHARE_UNBOUND)
    device = camera.device()
    resources = [bind_nas1(), quota_limit()]
    planned = summarize(converge(device, resources, check_mode=True))
    assert planned["steps"] == [BIND_NAS1]
    assert planned["warnings"] == [
        "storage limit NetworkShare is planned after the changes of the sections before it, which it depends on; "
        "against the camera as it is now: disk NetworkShare reports no size (for a NetworkShare: no share bound and "
        "mounted yet), so the capacity to split is unknown: give the quota's capacity, for example '20 TB' (with "
        "the role: edge_storage_share_quota_capacity), or bind and mount the share first"]
    assert camera.writes == []
    # The real run plans again from what is cached, binds, verifies the share (re-reading what the bind
    # changed), then plans the limit against the camera as the bind left it.
    camera.expect(BIND, shares_listed(bound=True), getlimit(NO_LIMITS), SHARE_MOUNTED, setlimit("NetworkShare", HALF_OF_4_TIB),
                  getlimit({"NetworkShare": (HALF_OF_4_TIB, 0)}))
    done = summarize(converge(device, resources, check_mode=False))
    assert done["steps"] == [BIND_NAS1, "set the storage limit of NetworkShare to 2 TiB (2147483648 kB; was no "
                                        "limit)"]
    assert writes_of(camera) == ["disks/networkshare/bind.cgi", "record/storage/setlimit.cgi"]


def test_each_resource_is_planned_again_after_the_writes_of_the_ones_before_it():
    """The same limit declared twice: the second finds the first one's write done and writes nothing; its
    before is still the state before the run (what the diff compares the end with)."""
    camera = Transcript(properties(), getlimit(NO_LIMITS), disks(), setlimit("SD_DISK", 2097152),
                        getlimit(dict(NO_LIMITS, SD_DISK=(2097152, 661324))))
    twice = [limit(disk_id="SD_DISK", size="2 GiB"), limit(disk_id="SD_DISK", size="2 GiB")]
    first, second = converge(camera.device(), twice, check_mode=False)
    assert [step.description for step in first.steps] == [SD_2_GIB] and second.steps == []
    assert second.after == {"size_kb": 2097152, "used_kb": 661324}
    assert second.before == first.before == {"size_kb": 0, "used_kb": 661324}
    assert writes_of(camera) == ["record/storage/setlimit.cgi"]


SHARE_500_GIB = "set the storage limit of NetworkShare to 500 GiB (524288000 kB; was no limit)"
BOTH_SET = dict(NO_LIMITS, SD_DISK=(2097152, 661324), NetworkShare=(524288000, 553324))


def test_adjacent_resources_of_different_disks_are_written_together_and_verified_by_one_reread():
    camera = Transcript(properties(), getlimit(NO_LIMITS), disks(), setlimit("SD_DISK", 2097152),
                        setlimit("NetworkShare", 524288000), getlimit(BOTH_SET))
    first, second = converge(camera.device(), [limit(disk_id="SD_DISK", size="2 GiB"),
                                               limit(disk_id="NetworkShare", size="500 GiB")], check_mode=False)
    assert camera.paths == ["param.cgi", "record/storage/getlimit.cgi", "disks/list.cgi",
                            "record/storage/setlimit.cgi", "record/storage/setlimit.cgi",
                            "record/storage/getlimit.cgi"]
    assert (first.before["size_kb"], first.after["size_kb"]) == (0, 2097152)
    assert (second.before["size_kb"], second.after["size_kb"]) == (0, 524288000)


def test_a_write_of_a_batch_that_did_not_take_is_found_by_the_reread_after_the_batch():
    camera = Transcript(properties(), getlimit(NO_LIMITS), disks(), setlimit("SD_DISK", 2097152),
                        setlimit("NetworkShare", 524288000),
                        getlimit(dict(BOTH_SET, SD_DISK=(0, 661324))))
    with pytest.raises(StepError) as info:
        converge(camera.device(), [limit(disk_id="SD_DISK", size="2 GiB"),
                                   limit(disk_id="NetworkShare", size="500 GiB")], check_mode=False)
    data = info.value.as_dict()
    assert (data["completed_steps"], data["failed_step"]) == (
        [SD_2_GIB, SHARE_500_GIB], "check that storage limit SD_DISK converged")
    assert info.value.cause.mismatches == ["size_kb is 0, wanted 2097152"]
    assert "2 changes were made before it" in str(info.value)


def groups_with_retention(seven_days, other):
    """list.cgi with retention-7d and the other group keeping seven_days and other hours."""
    text = fixture_bytes("group_list_two.xml").replace(b'RetentionTime="168"', b'RetentionTime="%d"' % seven_days)
    return Call(BASE + "list.cgi", {"schemaversion": 1}, exact=True).answers(
        text.replace(b'RetentionTime="0"', b'RetentionTime="%d"' % other))


def retention_update(group_id):
    return Call(BASE + "update.cgi", {"recordinggroupid": group_id}).answers_file("group_success.xml")


def test_resources_of_a_kind_whose_steps_affect_each_other_are_verified_one_by_one():
    """Recording groups are not independent of each other (a camera caps their number, a group's disk
    fills for all): each is re-read and verified before the next one is planned and written."""
    camera = Transcript(groups_with_retention(168, 0), retention_update("retention-7d"),
                        groups_with_retention(24, 0), retention_update(OTHER_GROUP), groups_with_retention(24, 48))
    converge(camera.device(), [group(retention="24h"), group(id=OTHER_GROUP, retention="48h")], check_mode=False)
    assert camera.paths == [BASE + "list.cgi", BASE + "update.cgi", BASE + "list.cgi", BASE + "update.cgi",
                            BASE + "list.cgi"]


SD_LIMIT_SET = dict(NO_LIMITS, SD_DISK=(2097152, 661324))
RETENTION_24H = "update recording group retention-7d: retention_hours 168 -> 24"


def test_a_limit_and_a_group_are_written_together_and_verified_by_one_reread():
    """Kinds whose writes change nothing the other's plan or verification reads (the storage limits, the
    recording groups) form one batch: both written, then re-read together."""
    camera = Transcript(properties(), getlimit(NO_LIMITS), disks(), groups_with_retention(168, 0),
                        setlimit("SD_DISK", 2097152), retention_update("retention-7d"),
                        getlimit(SD_LIMIT_SET), groups_with_retention(24, 0))
    first, second = converge(camera.device(), [limit(disk_id="SD_DISK", size="2 GiB"), group(retention="24h")],
                             check_mode=False)
    assert camera.paths == ["param.cgi", "record/storage/getlimit.cgi", "disks/list.cgi", BASE + "list.cgi",
                            "record/storage/setlimit.cgi", BASE + "update.cgi",
                            "record/storage/getlimit.cgi", BASE + "list.cgi"]
    assert (first.before["size_kb"], first.after["size_kb"]) == (0, 2097152)
    assert (second.before["retention_hours"], second.after["retention_hours"]) == (168, 24)


def test_a_write_of_another_kind_in_the_batch_that_did_not_take_fails_after_both_writes():
    camera = Transcript(properties(), getlimit(NO_LIMITS), disks(), groups_with_retention(168, 0),
                        setlimit("SD_DISK", 2097152), retention_update("retention-7d"), getlimit(NO_LIMITS))
    with pytest.raises(StepError) as info:
        converge(camera.device(), [limit(disk_id="SD_DISK", size="2 GiB"), group(retention="24h")],
                 check_mode=False)
    data = info.value.as_dict()
    assert data["failed_step"] == "check that storage limit SD_DISK converged"
    assert data["completed_steps"] == [SD_2_GIB, RETENTION_24H]
    assert info.value.cause.mismatches == ["size_kb is 0, wanted 2097152"]
    assert "2 changes were made before it" in str(info.value)


def test_a_kind_that_does_not_declare_its_writes_is_a_batch_of_its_own():
    """The recording settings write param.cgi, which other plans read: a limit beside them is verified before."""
    camera = Transcript(properties(), getlimit(NO_LIMITS), disks(), recording_params(),
                        setlimit("SD_DISK", 2097152), getlimit(SD_LIMIT_SET),
                        update_split(1800), recording_params(split=1800))
    converge(camera.device(), [limit(disk_id="SD_DISK", size="2 GiB"), settings(default_split_duration=1800)],
             check_mode=False)
    assert camera.paths[4:] == ["record/storage/setlimit.cgi", "record/storage/getlimit.cgi", "param.cgi",
                                "param.cgi"]


def test_skip_leaves_out_what_the_camera_lacks_and_converges_the_rest():
    camera = Transcript(recording_params(), properties(storage_limit="no"), update_split(1800),
                        recording_params(split=1800))
    resources = [settings(default_split_duration=1800),
                 in_section("storage_limits", limit(disk_id="SD_DISK", size="2 GiB"))]
    result = summarize(converge(camera.device(), resources, check_mode=False, skip_unsupported=True))
    why = ("not supported by this camera: recording storage limit (Properties.LocalStorage.StorageLimit is not 'yes' "
           "on this camera (firmware %s))" % FIRMWARE)
    assert result["steps"] == [SPLIT_1800]
    assert result["skipped_unsupported"] == [{"what": "storage limit SD_DISK (storage_limits)", "why": why}]
    assert result["warnings"] == ["skipped storage limit SD_DISK (storage_limits): " + why]
    assert list(result["before"]) == ["recording settings"]
    assert camera.writes == [("param.cgi", {"action": "update", "Recording.DefaultSplitDuration": "1800"})]


def test_a_failure_after_writes_names_what_was_done_what_failed_and_what_was_not_run():
    # The two limits are one batch: both written, then verified (the failure comes first).
    camera = Transcript(properties(), getlimit(NO_LIMITS), disks(), recording_params(),
                        setlimit("SD_DISK", 2097152),
                        setlimit("NetworkShare", 524288000).answers_file("error_storage_limit.xml"),
                        properties(), getlimit(dict(NO_LIMITS, SD_DISK=(2097152, 661324))))
    resources = [limit(disk_id="SD_DISK", size="2 GiB"), limit(disk_id="NetworkShare", size="500 GiB"),
                 settings(default_split_duration=1800)]
    with pytest.raises(StepError) as info:
        converge(camera.device(), resources, check_mode=False)
    data = info.value.as_dict()
    set_share = "set the storage limit of NetworkShare to 500 GiB (524288000 kB; was no limit)"
    assert (data["completed_steps"], data["failed_step"], data["not_run_steps"]) == (
        [SD_2_GIB], set_share, [SPLIT_1800])
    assert data["error_class"] == "device" and data["code"] == 110
    assert f"1 change was made before it: {SD_2_GIB}; not run: {SPLIT_1800}" in str(info.value)
    assert writes_of(camera) == ["record/storage/setlimit.cgi", "record/storage/setlimit.cgi"]


def test_an_unexpected_exception_in_a_step_is_reported_with_what_was_done():
    camera = Transcript(properties(), getlimit(NO_LIMITS), disks(), recording_params(),
                        setlimit("SD_DISK", 2097152), getlimit(dict(NO_LIMITS, SD_DISK=(2097152, 661324))),
                        update_split(1800).fails(KeyError("missing")), recording_params())
    with pytest.raises(StepError) as info:
        converge(camera.device(), [limit(disk_id="SD_DISK", size="2 GiB"), settings(default_split_duration=1800)],
                 check_mode=False)
    assert isinstance(info.value.cause, KeyError)
    assert "step '%s' failed with an unexpected KeyError" % SPLIT_1800 in str(info.value)
    assert info.value.as_dict()["completed_steps"] == [SD_2_GIB]


def test_a_write_without_answer_may_have_been_applied():
    applied = dict(NO_LIMITS, SD_DISK=(2097152, 661324))
    camera = Transcript(properties(), getlimit(NO_LIMITS), disks(),
                        setlimit("SD_DISK", 2097152).fails(requests.exceptions.ReadTimeout("read timed out")),
                        properties(), getlimit(applied))
    with pytest.raises(StepError) as info:
        converge(camera.device(), [limit(disk_id="SD_DISK", size="2 GiB")], check_mode=False)
    assert "its request got no answer, so it may have been applied" in str(info.value)
    assert info.value.as_dict()["error_class"] == "timeout"
    assert "'size_kb': 2097152" in info.value.state_now
    assert writes_of(camera) == ["record/storage/setlimit.cgi"]


def test_steps_that_destroy_data_are_marked_in_check_mode_and_refused_before_any_write():
    camera = Transcript(properties(), getlimit(NO_LIMITS), disks(), LIST)
    device = camera.device()
    resources = [limit(disk_id="NetworkShare", size="500 GiB"), group(disk_id="NetworkShare")]
    refused = MOVE[0] + " [destructive; needs allow_data_loss]"
    planned = summarize(converge(device, resources, check_mode=True))
    assert planned["steps"] == ["set the storage limit of NetworkShare to 500 GiB (524288000 kB; was no limit)",
                                refused, MOVE[1]]
    assert planned["needs_allow_data_loss"] == [refused]
    assert planned["changed"] is True and "needs allow_data_loss" in planned["warnings"][0]
    with pytest.raises(DataLossRefused) as info:
        converge(device, resources, check_mode=False)
    assert camera.writes == []
    assert info.value.as_dict()["error_class"] == "needs_allow_data_loss"
    assert info.value.as_dict()["needs_allow_data_loss"] == [refused]


def test_unsupported_features_and_other_problems_are_named_together_once_each():
    camera = Transcript(GROUPS_404, GROUPS_404, properties(), getlimit(NO_LIMITS), disks())
    resources = [in_section("recording_groups", group(id="a", disk_id="SD_DISK")),
                 in_section("recording_groups", group(id="b", disk_id="SD_DISK")),
                 limit(disk_id="SD_DISK", size="200 GiB")]
    with pytest.raises(PlanError) as info:
        converge(camera.device(), resources, check_mode=True)
    # Each problem once, and "Nothing was changed" once, for the whole run.
    assert str(info.value).startswith("not supported by this camera (%s): recording groups (recording_groups); "
                                      "size 200 GiB (209715200 kB) is larger than disk SD_DISK itself (110.73 GiB, "
                                      "116109036 kB): give at most "
                                      "110.73 GiB, or 0 / state=absent for no limit. Nothing was changed (leave "
                                      % FIRMWARE)
    assert str(info.value).count("Nothing was changed") == 1
    assert [problem["error_class"] for problem in info.value.as_dict()["problems"]] == [
        "unsupported", "unsupported", "invalid_argument"]


def test_what_a_resource_planned_after_the_earlier_writes_lacks_is_found_before_them():
    """The limit waits for the bind to know the share's size, but the storage limit API is asked first, before
    any write: getlimit.cgi answers 404. Skipped, the bind goes on alone; otherwise nothing is written."""
    getlimit_404 = Call("record/storage/getlimit.cgi", {"schemaversion": 1}).answers_file(
        "apidiscovery_404.html", status=404)
    checking = Transcript(properties(), shares_listed(bound=False), getlimit_404)
    planned = summarize(converge(checking.device(), [bind_nas1(), quota_limit()], check_mode=True,
                                 skip_unsupported=True))
    assert planned["steps"] == [BIND_NAS1]
    assert [entry["what"] for entry in planned["skipped_unsupported"]] == ["storage limit NetworkShare"]
    skipping = Transcript(properties(), shares_listed(bound=False), getlimit_404, BIND,
                          shares_listed(bound=True))
    result = summarize(converge(skipping.device(), [bind_nas1(), quota_limit()], check_mode=False,
                                skip_unsupported=True))
    assert result["steps"] == [BIND_NAS1]
    assert [entry["what"] for entry in result["skipped_unsupported"]] == ["storage limit NetworkShare"]
    assert writes_of(skipping) == ["disks/networkshare/bind.cgi"]
    failing = Transcript(properties(), shares_listed(bound=False), getlimit_404)
    with pytest.raises(PlanError) as info:
        converge(failing.device(), [bind_nas1(), quota_limit()], check_mode=False)
    assert info.value.as_dict()["error_class"] == "unsupported"
    assert writes_of(failing) == []


def test_a_resource_a_later_one_undid_fails_the_run_after_the_last_write():
    """Each batch is verified after its own writes; after the last one every resource is checked again, reading
    only what the later writes made stale: here the bind (which makes the limits stale) took the limit away."""
    limit_set = dict(NO_LIMITS, SD_DISK=(2097152, 661324))
    camera = Transcript(properties(), getlimit(NO_LIMITS), disks(), shares_listed(bound=False),
                        setlimit("SD_DISK", 2097152), getlimit(limit_set),
                        BIND, shares_listed(bound=True), getlimit(NO_LIMITS))
    with pytest.raises(StepError) as info:
        converge(camera.device(), [limit(disk_id="SD_DISK", size="2 GiB"), bind_nas1()], check_mode=False)
    data = info.value.as_dict()
    assert data["failed_step"] == "check that storage limit SD_DISK still holds after the steps that followed it"
    assert data["completed_steps"] == [SD_2_GIB, BIND_NAS1] and data["not_run_steps"] == []
    assert data["error_class"] == "verify" and data["mismatches"] == ["size_kb is 0, wanted 2097152"]
    assert "2 changes were made before it" in str(info.value)
    assert writes_of(camera) == ["record/storage/setlimit.cgi", "disks/networkshare/bind.cgi"]


def test_the_check_after_the_last_write_reads_nothing_the_later_writes_left_alone():
    """The limit's write makes only the limits stale: the settings verified before it are not read again (and
    the update of the Recording group made only the recording defaults stale: the limit plans on the disks read
    before it)."""
    camera = Transcript(recording_params(), properties(), getlimit(NO_LIMITS), disks(),
                        update_split(1800), recording_params(split=1800),
                        setlimit("SD_DISK", 2097152), getlimit(dict(NO_LIMITS, SD_DISK=(2097152, 661324))))
    first, second = converge(camera.device(), [settings(default_split_duration=1800),
                                               limit(disk_id="SD_DISK", size="2 GiB")], check_mode=False)
    assert first.after["default_split_duration"] == 1800 and second.after["size_kb"] == 2097152
    # Nothing after the limit's own re-read: the Transcript also fails a run that asks for more.
    assert camera.paths[-2:] == ["record/storage/setlimit.cgi", "record/storage/getlimit.cgi"]
