# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_storage_limit: validation before any request, normalised comparison, the planned steps."""

from __future__ import annotations

import pytest

from tests.unit.double import Call, Transcript, disk_list, module_params, param_list

from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import converge, summarize
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    UnsupportedError,
    ValidationError,
    VapixError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_storage_limit import (
    ARGUMENT_RULES,
    ARGUMENT_SPEC,
    StorageLimit,
    build_resources,
)

NO_LIMITS = {"SD_DISK": (0, 661324), "NetworkShare": (0, 553324)}
DISK_SIZES = {"SD_DISK": 116109036, "NetworkShare": 4 * 1024 ** 3}
LIMIT_500_GIB = {"NetworkShare": (524288000, 10)}


def properties(storage_limit="yes"):
    return param_list("root.Properties.LocalStorage.LocalStorage=yes\n"
                      "root.Properties.LocalStorage.StorageLimit=%s\n"
                      "root.Properties.Firmware.Version=9.80.2.2\n" % storage_limit)


def getlimit(limits, disk_id=None):
    """getlimit.cgi (of one disk when disk_id is given) answering limits {disk: (size_kb, used_kb)}."""
    params = {"schemaversion": 1}
    if disk_id is not None:
        params["diskid"] = disk_id
    return Call("record/storage/getlimit.cgi", params, exact=True).answers(
        '<?xml version="1.0" encoding="utf-8"?><StorageLimitsResponse SchemaVersion="1.0">'
        "<GetStorageLimitsResponse>%s</GetStorageLimitsResponse></StorageLimitsResponse>"
        % "".join('<StorageLimit diskid="%s" size="%d" usedspace="%d" />' % (disk, size, used)
                  for disk, (size, used) in sorted(limits.items())))


def disks(sizes=None):
    """disks/list.cgi with these disks {disk: total size in kB}."""
    return disk_list(*({"diskid": disk, "totalsize": size}
                       for disk, size in sorted((DISK_SIZES if sizes is None else sizes).items())))


def setlimit(disk_id, size_kb):
    return Call("record/storage/setlimit.cgi", {"schemaversion": 1, "diskid": disk_id, "size": size_kb},
                exact=True).answers('<StorageLimitsResponse SchemaVersion="1.0"><SetStorageLimitResponse>'
                                    "<GeneralSuccess/></SetStorageLimitResponse></StorageLimitsResponse>")


def camera(*calls, limits=None):
    """A camera with the storage limit feature whose getlimit.cgi answers limits; then calls."""
    return Transcript(properties(), getlimit(NO_LIMITS if limits is None else limits), *calls)


def limit(**params):
    params.setdefault("disk_id", "NetworkShare")
    return StorageLimit(module_params(ARGUMENT_SPEC, ARGUMENT_RULES, **params))


def test_set_limit_in_human_units_plans_one_step_with_kilobytes():
    transcript = camera(disks())
    device = transcript.device()
    resource = limit(size="500 GiB")
    steps = resource.plan(device, resource.read(device))
    assert [s.action for s in steps] == ["set_limit"]
    assert steps[0].description == "set the storage limit of NetworkShare to 500 GiB (524288000 kB; was no limit)"
    assert not steps[0].destructive
    assert transcript.writes == []
    transcript.expect(setlimit("NetworkShare", 524288000))
    steps[0].run(device)
    assert transcript.writes == [("record/storage/setlimit.cgi",
                                  {"schemaversion": "1", "diskid": "NetworkShare", "size": "524288000"})]


@pytest.mark.parametrize("size", ["500 GiB", "524288000", "512000 MiB", "500gib"])
def test_same_limit_in_any_spelling_plans_nothing(size):
    device = camera(limits=LIMIT_500_GIB).device()
    resource = limit(size=size)
    assert resource.plan(device, resource.read(device)) == []


def test_absent_removes_a_limit_and_is_a_no_op_without_one():
    transcript = camera(setlimit("NetworkShare", 0), getlimit({"NetworkShare": (0, 10)}), limits=LIMIT_500_GIB)
    device = transcript.device()
    resource = limit(state="absent")
    steps = resource.plan(device, resource.read(device))
    assert [s.action for s in steps] == ["remove_limit"]
    assert steps[0].description == "remove the storage limit of NetworkShare (was 500 GiB)"
    steps[0].run(device)
    assert transcript.writes == [("record/storage/setlimit.cgi",
                                  {"schemaversion": "1", "diskid": "NetworkShare", "size": "0"})]
    assert resource.plan(device, resource.read(device)) == []


def test_size_zero_is_no_limit():
    device = camera(limits={"NetworkShare": (0, 10)}).device()
    resource = limit(size="0")
    assert resource.plan(device, resource.read(device)) == []


@pytest.mark.parametrize("size", ["no limit", " No Limit "])
def test_no_limit_as_axis_storage_info_says_it_is_size_zero(size):
    device = camera(limits={"NetworkShare": (0, 10)}).device()
    resource = limit(size=size)
    assert resource.plan(device, resource.read(device)) == []
    limited = camera(limits=LIMIT_500_GIB).device()
    resource = limit(size=size)
    assert [s.action for s in resource.plan(limited, resource.read(limited))] == ["remove_limit"]


@pytest.mark.parametrize("size", ["1048575", "1023 MiB", "1 GB", "512"])
def test_below_device_minimum_is_refused_before_any_request(size):
    with pytest.raises(ValidationError) as info:
        limit(size=size)
    assert "below the device minimum of 1048576 kB (1 GiB)" in str(info.value)
    assert "state=absent" in str(info.value)


def test_exactly_the_minimum_is_accepted():
    assert limit(size="1 GiB").desired() == {"size_kb": 1048576}


def test_present_needs_a_size_and_absent_refuses_one():
    with pytest.raises(ValidationError, match="size is required with state=present"):
        limit()
    with pytest.raises(ValidationError, match="size is set with state=absent"):
        limit(state="absent", size="1 GiB")


def test_the_disk_alias_names_the_disk():
    assert limit(disk_id=None, disk="SD_DISK", size="1 GiB").identity == "storage limit SD_DISK"


def test_unreadable_size_says_what_is_accepted():
    with pytest.raises(ValidationError, match="GiB.*MB"):
        limit(size="half the NAS")


def test_empty_disk_id_is_refused():
    with pytest.raises(ValidationError, match="disk_id is empty"):
        limit(disk_id=" ", size="1 GiB")


def test_unknown_disk_fails_with_device_code_110_and_lists_the_disks():
    transcript = camera(Call("record/storage/getlimit.cgi", {"schemaversion": 1, "diskid": "USB_DISK"})
                        .answers_file("error_storage_limit.xml"))
    resource = limit(disk_id="USB_DISK", size="1 GiB")
    with pytest.raises(VapixError) as info:
        resource.read(transcript.device())
    assert info.value.code == 110
    message = str(info.value)
    assert "device error 110" in message
    assert "no disk 'USB_DISK'" in message and "NetworkShare, SD_DISK" in message
    assert transcript.writes == []


def test_disk_missing_from_the_full_list_but_known_to_the_device_is_read_alone():
    device = camera(getlimit({"SD_DISK2": (0, 0)}, disk_id="SD_DISK2")).device()
    assert limit(disk_id="SD_DISK2", size="1 GiB").read(device) == {"size_kb": 0, "used_kb": 0}


def test_legacy_camera_is_not_supported():
    device = Transcript(properties(storage_limit="no")).device()
    with pytest.raises(UnsupportedError, match="not supported by this camera: recording storage limit"):
        limit(size="1 GiB").read(device)


def test_result_reports_limit_and_used_space_in_words():
    resource = limit(size="500 GiB")
    assert resource.managed({"size_kb": 524288000, "used_kb": 553324}) == {
        "state": "present", "size_kb": 524288000, "size": "500 GiB", "used_kb": 553324, "used": "540.36 MiB"}
    assert resource.managed({"size_kb": 0, "used_kb": 0})["size"] == "no limit"
    assert resource.managed({"size_kb": 0, "used_kb": 0})["state"] == "absent"


def test_converge_check_mode_predicts_without_writing_and_real_run_matches():
    transcript = camera(disks())
    device = transcript.device()
    params = module_params(ARGUMENT_SPEC, ARGUMENT_RULES, disk_id="NetworkShare", size="1.5 TB")
    checked = summarize(converge(device, build_resources(params), check_mode=True))
    assert transcript.writes == []
    transcript.expect(setlimit("NetworkShare", 1464843750),
                      getlimit({"NetworkShare": (1464843750, 553324), "SD_DISK": (0, 661324)}))
    real = summarize(converge(device, build_resources(params), check_mode=False))
    assert transcript.writes == [("record/storage/setlimit.cgi",
                                  {"schemaversion": "1", "diskid": "NetworkShare", "size": "1464843750"})]
    assert checked["changed"] is real["changed"] is True
    assert checked["steps"] == real["steps"]
    assert checked["after"] == real["after"]
    assert real["after"]["storage limit NetworkShare"]["size_kb"] == 1464843750
    same_in_kb = dict(params, size="1464843750")
    again = summarize(converge(device, build_resources(same_in_kb), check_mode=False))
    assert again["changed"] is False and again["steps"] == []
    assert len(transcript.writes) == 1


def test_a_limit_above_the_largest_accepted_is_refused_before_any_request():
    with pytest.raises(ValidationError, match="more than the largest limit"):
        limit(size="99999999999999999999999999 TiB")
    with pytest.raises(ValidationError, match="1024 TiB"):
        limit(size="1025 TiB")
    assert limit(size="1024 TiB").size_kb == 1024 ** 4


def test_a_limit_larger_than_the_disk_is_refused_before_the_write():
    transcript = camera(disks())
    device = transcript.device()
    target = limit(disk_id="SD_DISK", size="200 GiB")
    with pytest.raises(ValidationError, match="larger than disk SD_DISK itself"):
        target.plan(device, target.read(device))
    assert transcript.writes == []


def test_the_largest_limit_a_refusal_suggests_is_accepted_and_both_sizes_are_told_apart():
    """A disk of 116116161 kB is 110.737 GiB: '110.74 GiB' (116119306 kB) is larger than it. The refusal names
    both sizes in kB and suggests a largest limit the disk takes."""
    device = camera(disks({"SD_DISK": 116116161})).device()
    target = limit(disk_id="SD_DISK", size="110.74 GiB")
    with pytest.raises(ValidationError) as info:
        target.plan(device, target.read(device))
    assert str(info.value).startswith("size 110.74 GiB (116119306 kB) is larger than disk SD_DISK itself (110.74 GiB, "
                                      "116116161 kB): give at most 110.73 GiB, or 0")
    suggested = limit(disk_id="SD_DISK", size="110.73 GiB")
    assert [step.action for step in suggested.plan(device, suggested.read(device))] == ["set_limit"]


def test_a_change_between_limits_of_the_same_words_says_both_in_kilobytes():
    """'2 GB' (1953125 kB) and '1.86 GiB' (1950351 kB) are both 1.86 GiB in words: the step says what the limit
    was in kB, and before and after read as axis_storage_info says them, words that are the exact size."""
    device = camera(disks({"SD_DISK": 116109036}), limits={"SD_DISK": (1953125, 10)}).device()
    target = limit(disk_id="SD_DISK", size="1.86 GiB")
    before = target.read(device)
    steps = target.plan(device, before)
    assert [step.description for step in steps] == [
        "set the storage limit of SD_DISK to 1.86 GiB (1950351 kB; was 1953125 kB)"]
    assert target.managed(before)["size"] == "1953125 KiB"
    assert target.managed({"size_kb": 1950351, "used_kb": 10})["size"] == "1.86 GiB"


def test_a_disk_of_unknown_size_warns_that_a_real_run_sets_the_limit_unchecked():
    """Without a size (no card, no share bound) nothing compares the limit later in the same task: the warning
    must not promise that the real run will."""
    device = camera(disks({"SD_DISK": 0})).device()
    target = limit(disk_id="SD_DISK", size="1000 TiB")
    assert [step.action for step in target.plan(device, target.read(device))] == ["set_limit"]
    assert len(target.warnings) == 1
    assert "a real run compares it" not in target.warnings[0]
    assert target.warnings[0].endswith("otherwise a real run sets it as it is")


def test_a_disk_of_unknown_size_does_not_stop_the_limit():
    device = camera(disks({"NetworkShare": 0})).device()
    target = limit(size="2 TiB")
    assert [step.action for step in target.plan(device, target.read(device))] == ["set_limit"]
