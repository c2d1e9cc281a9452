# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""share_quota and retention_estimate: exact splits, reserves, the minimum, bad input."""

from __future__ import annotations

import itertools
import random

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.vapix.edge_storage.plugins.filter.capacity import (
    FilterModule,
    retention_estimate,
    share_quota,
)

GIB_KB = 1048576


def test_vendor_example_two_thirds_one_third():
    # The vendor's worked example: one 4194304000 kB NAS, 2/3 and 1/3.
    assert share_quota({"cam1": 2, "cam2": 1}, "4194304000 kB") == {"cam1": 2796202667, "cam2": 1398101333}


def test_plain_kilobytes_and_units_agree():
    assert share_quota({"a": 1, "b": 1}, 4194304000) == share_quota({"a": 1, "b": 1}, "4194304000 KiB")
    assert share_quota({"a": 1}, "2 TiB") == {"a": 2 * 1024 ** 3}


def test_result_keeps_input_order():
    assert list(share_quota({"z": 1, "a": 1, "m": 1}, "30 GiB")) == ["z", "a", "m"]


def test_parts_always_sum_to_the_usable_capacity():
    rng = random.Random(20261130)
    for _case in range(200):
        count = rng.randint(1, 40)
        weights = {"cam%02d" % i: rng.choice([1, 2, 3, 0.5, "1.5", 7]) for i in range(count)}
        capacity = rng.randint(count * GIB_KB * 20, 10 ** 11)
        parts = share_quota(weights, capacity)
        assert sum(parts.values()) == capacity
        # largest remainder: no part is more than 1 kB from its exact share
        total = sum(float(w) for w in weights.values())
        for name, weight in weights.items():
            assert abs(parts[name] - capacity * float(weight) / total) < 1.0001


def test_leftover_kilobytes_go_to_the_largest_fractions_then_by_name():
    # 3 equal cameras on 10 GiB + 1 kB = 3 * 3495253 + 2 kB: the 2 kB left over go to the first two names
    capacity = 10 * GIB_KB + 1
    parts = share_quota({"c": 1, "b": 1, "a": 1}, capacity)
    base = capacity // 3
    assert parts == {"a": base + 1, "b": base + 1, "c": base}


@pytest.mark.parametrize("reserve, reserved_kb", [
    ("5%", 209715200),
    (" 5 % ", 209715200),
    ("0.5%", 20971520),
    ("100 GiB", 100 * GIB_KB),
    (1048576, GIB_KB),
    (None, 0),
    (0, 0),
])
def test_reserve(reserve, reserved_kb):
    parts = share_quota({"a": 1, "b": 3}, "4194304000", reserve=reserve)
    assert sum(parts.values()) == 4194304000 - reserved_kb


def test_percent_reserve_rounds_up():
    # 1% of 1073741825 kB is 10737418.25 kB: reserve 10737419, never less
    parts = share_quota({"a": 1}, 1073741825, reserve="1%")
    assert parts == {"a": 1073741825 - 10737419}


def test_a_reserve_size_rounds_up_as_documented():
    # 1 MB is 976.5625 kB: reserve 977, so the camera never gets more than the 2000 GB less the 1 MB
    parts = share_quota({"a": 1}, "2000 GB", reserve="1 MB")
    assert parts == {"a": 1953125000 - 977}


def test_refuses_a_part_below_the_camera_minimum():
    with pytest.raises(AnsibleFilterError) as err:
        share_quota({"big": 100, "tiny": 1}, "50 GiB")
    text = str(err.value)
    assert "tiny" in text and "big" not in text.split("(", maxsplit=1)[0]
    assert "1048576 kB" in text


def test_exactly_the_minimum_is_accepted():
    assert share_quota({"a": 1, "b": 1}, 2 * GIB_KB) == {"a": GIB_KB, "b": GIB_KB}


@pytest.mark.parametrize("weights, needle", [
    ({}, "non-empty mapping"),
    (["cam1"], "non-empty mapping"),
    ({"cam1": 0}, "positive number"),
    ({"cam1": -1}, "positive number"),
    ({"cam1": True}, "positive number"),
    ({"cam1": "heavy"}, "positive number"),
    # a ZeroDivisionError escaped (the module said "a bug in the collection")
    ({"cam1": "1/0"}, "the weight of 'cam1' is '1/0': give a positive number"),
])
def test_bad_weights(weights, needle):
    with pytest.raises(AnsibleFilterError, match=needle):
        share_quota(weights, "4 TiB")


@pytest.mark.parametrize("capacity, reserve, needle", [
    ("lots", None, "not understood"),
    (0, None, "empty"),
    ("4 TiB", "100%", "less than 100%"),
    ("4 TiB", "4 TiB", "not smaller than the capacity"),
    ("4 TiB", "some", "not understood"),
    # the message named sizes only, never the percentage a reserve is as often
    ("4 TiB", "-5%", r"reserve '-5%' is not understood: give .*; or a percentage below 100%, e.g. '5%'"),
    ("4 TiB", "5,5%", r"or a percentage below 100%, e.g. '5%'"),
])
def test_bad_capacity_or_reserve(capacity, reserve, needle):
    with pytest.raises(AnsibleFilterError, match=needle):
        share_quota({"a": 1}, capacity, reserve=reserve)


@pytest.mark.parametrize("size, bitrate, days", [
    ("500 GiB", "4 Mbit/s", 12.42),      # 536870912000 B * 8 / 4e6 / 86400 = 12.4275...
    ("500 GiB", "4Mbps", 12.42),
    ("500 GiB", 4000000, 12.42),
    ("500 GiB", "4000 kbit/s", 12.42),
    (524288000, "4 Mbit/s", 12.42),      # plain kB, as the camera counts
    ("1 TB", "1 Gbit/s", 0.09),
    ("86400 kB", "8192 bit/s", 1.0),     # 86400 * 1024 * 8 bits at 8192 bit/s = exactly one day
])
def test_retention_estimate(size, bitrate, days):
    assert retention_estimate(size, bitrate) == days


@pytest.mark.parametrize("size, bitrate, needle", [
    ("500 GiB", "fast", "not understood"),
    ("500 GiB", "4 MB/s", "not understood"),
    ("500 GiB", 0, "more than 0"),
    ("500 GiB", True, "not understood"),
    ("500 GiB", float("inf"), "not a number of bits per second"),     # YAML .inf
    ("500 GiB", float("nan"), "not a number of bits per second"),     # YAML .nan
    (0, "4 Mbit/s", "empty"),
    ("big", "4 Mbit/s", "not understood"),
])
def test_retention_estimate_bad_input(size, bitrate, needle):
    with pytest.raises(AnsibleFilterError, match=needle):
        retention_estimate(size, bitrate)


def test_filters_are_registered():
    assert set(FilterModule().filters()) == {"share_quota", "retention_estimate"}


def test_split_is_independent_of_input_order():
    weights = {"a": 1, "b": 2, "c": 3, "d": 1}
    results = set()
    for order in itertools.permutations(weights):
        results.add(tuple(sorted(share_quota({k: weights[k] for k in order}, 10 ** 10 + 3).items())))
    assert len(results) == 1
