# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_storage_limit: validation before any request, normalised comparison, the planned steps."""

from __future__ import annotations

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import converge, summarize
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    STORAGE_LIMIT,
    UnsupportedError,
    ValidationError,
    VapixError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_storage_limit import (
    StorageLimit,
    build_resources,
)


class FakeDevice(object):
    """Limits as getlimit.cgi reports them; records every set and every single-disk read."""

    def __init__(self, limits=None, supported=True, known=(), total_kb=None):
        self.total_kb = dict(total_kb if total_kb is not None else {"SD_DISK": 116109036, "NetworkShare": 4 * 1024 ** 3})
        self.limits = dict(limits if limits is not None else {
            "SD_DISK": {"size_kb": 0, "used_kb": 661324},
            "NetworkShare": {"size_kb": 0, "used_kb": 553324},
        })
        self.supported = supported
        self.known = set(known)
        self.sets = []
        self.single_reads = []
        self.unanswered_writes = 0

    @property
    def write_count(self):
        return len(self.sets)

    def storage_limits(self):
        if not self.supported:
            raise UnsupportedError("recording storage limit", "Properties.LocalStorage.StorageLimit is not 'yes'")
        return dict(self.limits)

    def storage_limit(self, disk_id):
        self.single_reads.append(disk_id)
        if disk_id in self.known:
            return {"size_kb": 0, "used_kb": 0}
        raise VapixError(STORAGE_LIMIT, "record/storage/getlimit.cgi?schemaversion=1&diskid=%s" % disk_id,
                         "Disk not found", code=110)

    def disk(self, disk_id):
        return {"disk_id": disk_id, "total_kb": self.total_kb[disk_id]} if disk_id in self.total_kb else None

    def set_storage_limit(self, disk_id, size_kb):
        self.sets.append((disk_id, size_kb))
        self.limits[disk_id] = dict(self.limits.get(disk_id, {"used_kb": 0}), size_kb=size_kb)

    def invalidate(self, *families):
        pass


def limit(**params):
    params.setdefault("disk_id", "NetworkShare")
    params.setdefault("state", "present")
    return StorageLimit(params)


def test_set_limit_in_human_units_plans_one_step_with_kilobytes():
    device = FakeDevice()
    resource = limit(size="500 GiB")
    steps = resource.plan(device, resource.read(device))
    assert [s.action for s in steps] == ["set_limit"]
    assert steps[0].description == "set the storage limit of NetworkShare to 500 GiB (524288000 kB; was no limit)"
    assert not steps[0].destructive
    steps[0].run(device)
    assert device.sets == [("NetworkShare", 524288000)]


@pytest.mark.parametrize("size", ["500 GiB", "524288000", "512000 MiB", "500gib"])
def test_same_limit_in_any_spelling_plans_nothing(size):
    device = FakeDevice({"NetworkShare": {"size_kb": 524288000, "used_kb": 10}})
    resource = limit(size=size)
    assert resource.plan(device, resource.read(device)) == []


def test_absent_removes_a_limit_and_is_a_no_op_without_one():
    device = FakeDevice({"NetworkShare": {"size_kb": 524288000, "used_kb": 10}})
    resource = limit(state="absent")
    steps = resource.plan(device, resource.read(device))
    assert [s.action for s in steps] == ["remove_limit"]
    assert steps[0].description == "remove the storage limit of NetworkShare (was 500 GiB)"
    steps[0].run(device)
    assert device.sets == [("NetworkShare", 0)]
    assert resource.plan(device, resource.read(device)) == []


def test_size_zero_is_no_limit():
    device = FakeDevice({"NetworkShare": {"size_kb": 0, "used_kb": 10}})
    assert limit(size="0").plan(device, device.limits["NetworkShare"]) == []


@pytest.mark.parametrize("size", ["no limit", " No Limit "])
def test_no_limit_as_axis_storage_info_says_it_is_size_zero(size):
    device = FakeDevice({"NetworkShare": {"size_kb": 0, "used_kb": 10}})
    assert limit(size=size).plan(device, device.limits["NetworkShare"]) == []
    limited = FakeDevice({"NetworkShare": {"size_kb": 524288000, "used_kb": 10}})
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


def test_unreadable_size_says_what_is_accepted():
    with pytest.raises(ValidationError, match="GiB.*MB"):
        limit(size="half the NAS")


def test_empty_disk_id_is_refused():
    with pytest.raises(ValidationError, match="disk_id is empty"):
        limit(disk_id=" ", size="1 GiB")


def test_unknown_disk_fails_with_device_code_110_and_lists_the_disks():
    device = FakeDevice()
    resource = limit(disk_id="USB_DISK", size="1 GiB")
    with pytest.raises(VapixError) as info:
        resource.read(device)
    assert info.value.code == 110
    message = str(info.value)
    assert "device error 110" in message
    assert "no disk 'USB_DISK'" in message and "NetworkShare, SD_DISK" in message
    assert device.single_reads == ["USB_DISK"]


def test_disk_missing_from_the_full_list_but_known_to_the_device_is_read_alone():
    device = FakeDevice(known=["SD_DISK2"])
    assert limit(disk_id="SD_DISK2", size="1 GiB").read(device) == {"size_kb": 0, "used_kb": 0}


def test_legacy_camera_is_not_supported():
    with pytest.raises(UnsupportedError, match="not supported by this camera: recording storage limit"):
        limit(size="1 GiB").read(FakeDevice(supported=False))


def test_result_reports_limit_and_used_space_in_words():
    resource = limit(size="500 GiB")
    assert resource.managed({"size_kb": 524288000, "used_kb": 553324}) == {
        "state": "present", "size_kb": 524288000, "size": "500 GiB", "used_kb": 553324, "used": "540.36 MiB"}
    assert resource.managed({"size_kb": 0, "used_kb": 0})["size"] == "no limit"
    assert resource.managed({"size_kb": 0, "used_kb": 0})["state"] == "absent"


def test_converge_check_mode_predicts_without_writing_and_real_run_matches():
    device = FakeDevice()
    params = {"disk_id": "NetworkShare", "size": "1.5 TB", "state": "present"}
    checked = summarize(converge(device, build_resources(params), check_mode=True))
    assert device.sets == []
    real = summarize(converge(device, build_resources(params), check_mode=False))
    assert device.sets == [("NetworkShare", 1464843750)]
    assert checked["changed"] is real["changed"] is True
    assert checked["steps"] == real["steps"]
    assert checked["after"] == real["after"]
    assert real["after"]["storage limit NetworkShare"]["size_kb"] == 1464843750
    same_in_kb = dict(params, size="1464843750")
    again = summarize(converge(device, build_resources(same_in_kb), check_mode=False))
    assert again["changed"] is False and again["steps"] == []


def test_a_limit_above_the_largest_accepted_is_refused_before_any_request():
    with pytest.raises(ValidationError, match="more than the largest limit"):
        limit(size="99999999999999999999999999 TiB")
    with pytest.raises(ValidationError, match="1024 TiB"):
        limit(size="1025 TiB")
    assert limit(size="1024 TiB").size_kb == 1024 ** 4


def test_a_limit_larger_than_the_disk_is_refused_before_the_write():
    device = FakeDevice()
    target = limit(disk_id="SD_DISK", size="200 GiB")
    with pytest.raises(ValidationError, match="larger than disk SD_DISK itself"):
        target.plan(device, target.read(device))
    assert device.sets == []


def test_a_disk_of_unknown_size_does_not_stop_the_limit():
    device = FakeDevice(total_kb={"NetworkShare": 0})
    target = limit(size="2 TiB")
    assert [step.action for step in target.plan(device, target.read(device))] == ["set_limit"]
