# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The storage limit's quota and axis_edge_storage's share_quota: checked before any request."""

from __future__ import annotations

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.vapix.edge_storage.plugins.module_utils import (
    _edge_storage,
    _resource_storage_limit,
    _share_quota,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ValidationError

EDGE_DEFAULTS = ArgumentSpecValidator(_edge_storage.ARGUMENT_SPEC).validate({}).validated_parameters


def limit(**params):
    result = ArgumentSpecValidator(_resource_storage_limit.ARGUMENT_SPEC,
                                   **_resource_storage_limit.ARGUMENT_RULES).validate(params)
    assert not result.error_messages, result.error_messages
    (resource,) = _resource_storage_limit.build_resources(result.validated_parameters)
    resource.validate()
    return resource


def test_a_given_capacity_gives_the_limit_before_any_request():
    weights = {"cam1": 2, "cam2": 1}
    first = limit(disk_id="NetworkShare", quota={"weights": weights, "member": "cam1", "capacity": "4194304000 kB"})
    second = limit(disk_id="NetworkShare", quota={"weights": weights, "member": "cam2", "capacity": 4194304000})
    # the vendor's worked example: 2/3 and 1/3 of 4194304000 kB
    assert (first.desired(), second.desired()) == ({"size_kb": 2796202667}, {"size_kb": 1398101333})


def test_the_reserve_is_kept_out_of_the_split():
    quota = {"weights": {"a": 1, "b": 1}, "member": "a", "capacity": "100 GiB", "reserve": "10%"}
    part = limit(disk_id="NetworkShare", quota=quota)
    assert part.desired() == {"size_kb": 45 * 1024 * 1024}


def test_without_a_capacity_the_limit_waits_for_the_disk_size():
    part = limit(disk_id="NetworkShare", quota={"weights": {"a": 1}, "member": "a"})
    assert part.size_kb is None


def test_absent_refuses_a_quota_as_it_refuses_a_size():
    # It crashed on the camera (AttributeError) instead: the quota was neither used nor refused.
    with pytest.raises(ValidationError, match="quota is set with state=absent: .* drop quota, or use state=present"):
        limit(disk_id="NetworkShare", state="absent", quota={"weights": {"a": 1}, "member": "a"})


def test_size_and_quota_exclude_each_other():
    result = ArgumentSpecValidator(_resource_storage_limit.ARGUMENT_SPEC,
                                   **_resource_storage_limit.ARGUMENT_RULES).validate(
        {"disk_id": "NetworkShare", "size": "1 TiB", "quota": {"weights": {"a": 1}, "member": "a"}})
    assert "mutually exclusive: size|quota" in " ".join(result.error_messages)


@pytest.mark.parametrize("quota, message", [
    ({"weights": {"a": 1}, "member": "b"}, "this camera ('b', the quota's member) has no weight among the cameras of the "
                                           "share (a)"),
    ({"weights": {}, "member": "b"}, "(none)"),
    ({"weights": {"a": 0, "b": 1}, "member": "b"}, "the weight of 'a' is 0"),
    ({"weights": {"a": 1, "b": 1}, "member": "b", "capacity": "1.5 GiB"}, "less than the camera's minimum"),
    ({"weights": {"a": 1}, "member": "a", "capacity": "2 TiB", "reserve": "100%"}, "leaves nothing"),
    # without a capacity the reserve is still checked before any request
    ({"weights": {"a": 1}, "member": "a", "reserve": "100%"}, "leaves nothing"),
    ({"weights": {"a": 1}, "member": "a", "reserve": "lots"}, "share_quota: reserve"),
])
def test_bad_quotas_are_refused_with_what_to_fix(quota, message):
    with pytest.raises(ValidationError) as refused:
        limit(disk_id="NetworkShare", quota=quota)
    assert message in str(refused.value)


def edge(**params):
    return _edge_storage.build_resources(dict(EDGE_DEFAULTS, **params), set())


def test_share_quota_becomes_the_network_share_limit_beside_the_others():
    resources = edge(storage_limits={"SD_DISK": "64 GiB"},
                     share_quota={"weights": {"cam1": 2, "cam2": 1}, "member": "cam2", "capacity": "4194304000"})
    limits = {r.disk_id: r.desired()["size_kb"] for r in resources if r.kind == "storage limit"}
    assert limits == {"SD_DISK": 64 * 1024 * 1024, "NetworkShare": 1398101333}


@pytest.mark.parametrize("storage_limits", [{"NetworkShare": "500 GiB"}, [{"disk": "NetworkShare", "size": 0}]])
def test_share_quota_refuses_a_second_network_share_limit(storage_limits):
    with pytest.raises(ValidationError) as refused:
        edge(storage_limits=storage_limits, share_quota={"weights": {"a": 1}, "member": "a"})
    assert "storage_limits sets it too" in str(refused.value)


def test_errors_of_the_share_quota_name_it_not_a_storage_limits_item():
    with pytest.raises(ValidationError) as refused:
        edge(storage_limits={"SD_DISK": "64 GiB"}, share_quota={"weights": {"a": 1}, "member": "z"})
    assert str(refused.value).startswith("share_quota: this camera ('z'")


INVENTORY = {"groups": {"nas1_cameras": ["cam1", "cam2", "cam3"], "other": ["cam9"]},
             "hostvars": {"cam1": {"edge_storage_share_quota_weight": 2}, "cam2": {"nas_weight": 3}, "cam3": {},
                          "cam9": {}}}


def from_inventory(quota, member="cam1"):
    return _share_quota.from_inventory(quota, member, INVENTORY["groups"], INVENTORY["hostvars"])


def test_a_group_quota_takes_every_member_of_the_group_with_its_weight_variable():
    quota = {"group": "nas1_cameras", "weight_variable": None, "weights": None, "member": None, "capacity": "8 GiB"}
    assert from_inventory(quota) == {"weights": {"cam1": 2, "cam2": 1, "cam3": 1}, "member": "cam1",
                                     "capacity": "8 GiB"}
    assert from_inventory(dict(quota, weight_variable="nas_weight"), member="cam3")["weights"] == {
        "cam1": 1, "cam2": 3, "cam3": 1}
    # a camera of another group has no weight among them: refused as a member outside the weights is
    resolved = from_inventory(quota, member="cam9")
    with pytest.raises(ValidationError, match="has no weight among the cameras of the share"):
        limit(disk_id="NetworkShare", quota=resolved)


def test_the_variables_a_group_must_agree_on_are_compared_across_its_cameras():
    quota = {"group": "nas1_cameras", "capacity": "8 GiB"}
    hostvars = {"cam1": {"cap": "8 GiB"}, "cam2": {"cap": " 8 GiB"}, "cam3": {"cap": "16 GiB", "res": ""}}
    with pytest.raises(ValidationError, match=r"do not agree on cap \('16 GiB' on cam3; '8 GiB' on cam1, cam2\)"):
        _share_quota.from_inventory(quota, "cam1", INVENTORY["groups"], hostvars, agreed={"cap": "capacity"})
    # unset and empty are alike; without agreed variables nothing is compared
    assert _share_quota.from_inventory(quota, "cam1", INVENTORY["groups"], hostvars,
                                       agreed={"res": "reserve"})["member"] == "cam1"
    assert _share_quota.from_inventory(quota, "cam1", INVENTORY["groups"], hostvars)["member"] == "cam1"


@pytest.mark.parametrize("option, spellings", [
    ("capacity", ["8 GiB", 8388608, "8388608", "8gib", "8192 MiB"]),
    ("reserve", ["10%", "10 %", "10.0%"]),
    ("reserve", [None, "", 0]),
    ("reserve", [None, "0%", "0", "0 GiB", 0.0]),
    ("reserve", ["1 GiB", 1048576]),
])
def test_cameras_agree_on_a_value_however_each_spells_it(option, spellings):
    hostvars = {"cam1": {"v": spellings[0]}, "cam2": {"v": spellings[1 % len(spellings)]},
                "cam3": {"v": spellings[-1]}}
    quota = {"group": "nas1_cameras", "capacity": "8 GiB"}
    assert _share_quota.from_inventory(quota, "cam1", INVENTORY["groups"], hostvars,
                                       agreed={"v": option})["member"] == "cam1"


def test_cameras_that_differ_in_meaning_are_shown_with_their_spellings():
    hostvars = {"cam1": {"v": "8 GiB"}, "cam2": {"v": 8388608}, "cam3": {"v": "8 TB"}}
    quota = {"group": "nas1_cameras", "capacity": "8 GiB"}
    with pytest.raises(ValidationError, match=r"do not agree on v \('8 GiB' on cam1 or 8388608 on cam2; '8 TB' on "
                                              r"cam3\)"):
        _share_quota.from_inventory(quota, "cam1", INVENTORY["groups"], hostvars, agreed={"v": "capacity"})
    # a percentage and a size of a reserve differ; a value no option reads is compared as written
    hostvars = {"cam1": {"v": "10%"}, "cam2": {"v": "1 GiB"}, "cam3": {"v": "10%"}}
    with pytest.raises(ValidationError, match="do not agree on v"):
        _share_quota.from_inventory(quota, "cam1", INVENTORY["groups"], hostvars, agreed={"v": "reserve"})
    hostvars = {"cam1": {"v": "lots"}, "cam2": {"v": "lots"}, "cam3": {"v": "lots"}}
    assert _share_quota.from_inventory(quota, "cam1", INVENTORY["groups"], hostvars,
                                       agreed={"v": "capacity"})["member"] == "cam1"


def test_a_quota_without_a_group_is_left_as_it_is_and_an_unknown_group_is_refused():
    quota = {"weights": {"a": 1}, "member": "a", "group": None}
    assert from_inventory(quota) is quota
    with pytest.raises(ValidationError, match="the inventory has no group 'nas2'"):
        from_inventory({"group": "nas2"})


def test_a_group_outside_a_play_and_a_group_beside_weights_are_refused():
    with pytest.raises(ValidationError, match="read from the play's inventory only for the quota option of "
                                              "axis_storage_limit and the share_quota option of axis_edge_storage"):
        limit(disk_id="NetworkShare", quota={"group": "nas1_cameras"})
    result = ArgumentSpecValidator(_resource_storage_limit.ARGUMENT_SPEC).validate(
        {"disk_id": "NetworkShare", "quota": {"group": "nas1_cameras", "weights": {"a": 1}, "member": "a"}})
    assert "mutually exclusive: group|weights, group|member" in " ".join(result.error_messages)
