# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sizes and durations: what is accepted, how it is rounded, what is refused and why."""

from __future__ import annotations

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ValidationError
from ansible_collections.vapix.edge_storage.plugins.module_utils._units import (
    format_size,
    format_size_at_most,
    format_size_exact,
    parse_duration,
    parse_size_kb,
)


@pytest.mark.parametrize("value, kb", [
    (524288000, 524288000),
    ("524288000", 524288000),
    (" 524288000 ", 524288000),
    (0, 0),
    ("0", 0),
    ("500 GiB", 524288000),
    ("500GiB", 524288000),
    ("500 gib", 524288000),
    ("1 GiB", 1048576),
    ("1.5 GiB", 1572864),
    ("2 TiB", 2147483648),
    ("1 PiB", 1024 ** 4),          # a NAS a whole fleet shares (share_quota capacity)
    ("1.5 PB", 1464843750000),     # 1.5e15 bytes / 1024, exact
    ("100 MiB", 102400),
    ("512 KiB", 512),
    ("512 kB", 512),
    ("512 KB", 512),
    ("512k", 512),
    ("1.5 TB", 1464843750),        # 1.5e12 bytes / 1024, exact
    ("1 TB", 976562500),
    ("2 GB", 1953125),             # 2e9 / 1024 = 1953125 exact
    ("1 GB", 976562),              # 976562.5 rounded down
    ("1 MB", 976),                 # 976.5625 rounded down
    ("0.3 MiB", 307),              # 307.2 rounded down
    (".5 GiB", 524288),
])
def test_parse_size_kb_accepts_device_kilobytes_and_units(value, kb):
    assert parse_size_kb(value) == kb


def test_same_size_in_two_spellings_is_the_same_number():
    assert parse_size_kb("500 GiB") == parse_size_kb(524288000) == parse_size_kb("512000 MiB")


@pytest.mark.parametrize("value", ["", "GiB", "500 GiBs", "500 Gb/s", "five GiB", "5 M", "5 EB", "1,5 GiB",
                                   "-1 GiB", "1e9", None, [1], True])
def test_parse_size_kb_refuses_what_it_cannot_read_and_says_what_is_accepted(value):
    with pytest.raises(ValidationError) as info:
        parse_size_kb(value)
    message = str(info.value)
    assert "GiB" in message and "MB" in message and "1024 bytes" in message


@pytest.mark.parametrize("value, down, up", [
    ("1 MB", 976, 977), ("0.3 MiB", 307, 308), ("1 GiB", 1048576, 1048576), ("2000 GB", 1953125000, 1953125000),
    ("1048577", 1048577, 1048577), (1048577, 1048577, 1048577),
])
def test_parse_size_kb_rounds_down_unless_asked_to_round_up(value, down, up):
    assert parse_size_kb(value) == down
    assert parse_size_kb(value, round_up=True) == up


def test_parse_size_kb_refuses_negative_int():
    with pytest.raises(ValidationError, match="negative"):
        parse_size_kb(-5)


def test_parse_size_kb_refuses_fraction_of_a_kilobyte_without_unit():
    with pytest.raises(ValidationError, match="fraction of a kilobyte"):
        parse_size_kb("1.5")


def test_parse_size_kb_names_the_option_in_the_message():
    with pytest.raises(ValidationError, match="^size of NetworkShare 'lots'"):
        parse_size_kb("lots", what="size of NetworkShare")


@pytest.mark.parametrize("kb, text", [
    (524288000, "500 GiB"),
    (1048576, "1 GiB"),
    (1572864, "1.5 GiB"),
    (1464843750, "1.36 TiB"),
    (102400, "100 MiB"),
    (512, "512 KiB"),
    (0, "0 KiB"),
    (None, None),
])
def test_format_size_is_human_and_binary(kb, text):
    assert format_size(kb) == text


@pytest.mark.parametrize("kb, text", [
    (524288000, "500 GiB"), (1572864, "1.5 GiB"), (1048576, "1 GiB"), (512, "512 KiB"),
    (1048577, "1048577 KiB"),          # format_size says "1 GiB", which is not this size
    (715827882, "715827882 KiB"),      # format_size says "682.67 GiB"
    (None, None),
])
def test_format_size_exact_reads_back_as_the_same_size(kb, text):
    assert format_size_exact(kb) == text
    if kb is not None:
        assert parse_size_kb(text) == kb


@pytest.mark.parametrize("kb, text", [
    (116116161, "110.73 GiB"),         # 110.737 GiB: format_size rounds it up to 110.74 GiB, more than it
    (116109036, "110.73 GiB"), (1048576, "1 GiB"), (1048575, "1023.99 MiB"), (512, "512 KiB"),
    (1024 ** 4, "1024 TiB"), (None, None),
])
def test_format_size_at_most_never_reads_back_as_more(kb, text):
    assert format_size_at_most(kb) == text
    if kb is not None:
        assert parse_size_kb(text) <= kb


# Durations and what parse_duration makes of them, by unit.
DURATIONS = {
    "h": {168: 168, "168": 168, "7d": 168, "36h": 36, "1d12h": 36, "1d 12h": 36, "1w": 168, "120m": 2, "7200s": 2,
          "0": 0},
    "ms": {500: 500, "500ms": 500, "30s": 30000, "90m": 5400000, "1m30s": 90000, "1.5s": 1500, "2MS": 2},
}


@pytest.mark.parametrize("value, unit, expected", [
    (value, unit, expected) for unit, durations in DURATIONS.items() for value, expected in durations.items()])
def test_parse_duration(value, unit, expected):
    assert parse_duration(value, unit) == expected


@pytest.mark.parametrize("value, unit", [("90m", "h"), ("30s", "h"), ("1500us", "ms"), ("1.5h", "h"),
                                         ("0.5ms", "ms")])
def test_parse_duration_refuses_inexact_or_unknown(value, unit):
    with pytest.raises(ValidationError):
        parse_duration(value, unit)


def test_parse_duration_inexact_message_suggests_neighbours():
    with pytest.raises(ValidationError) as info:
        parse_duration("90m", "h", what="retention_time")
    assert str(info.value) == ("retention_time '90m' is not a whole number of hours (it is 1.5): "
                               "give e.g. 1h or 2h")


@pytest.mark.parametrize("value", ["", "7 days", "d7", "7x", "1d-2h", "-3h", None, True, 1.5])
def test_parse_duration_refuses_garbage_and_says_what_is_accepted(value):
    with pytest.raises(ValidationError) as info:
        parse_duration(value, "h")
    assert "7d" in str(info.value) and "hours" in str(info.value)


def test_a_whole_number_given_as_a_float_is_that_number():
    """Jinja arithmetic gives floats ('{{ days * 24 }}' is 168.0): refused as 'not understood: give a whole
    number', which it is."""
    assert parse_duration(168.0, "h") == 168
    assert parse_duration(2500.0, "ms") == 2500
    assert parse_size_kb(1048576.0) == 1048576
    with pytest.raises(ValidationError, match="negative"):
        parse_duration(-1.0, "h")


def test_parse_duration_refuses_negative_int():
    with pytest.raises(ValidationError, match="negative"):
        parse_duration(-1, "ms")


def test_parse_duration_unit_must_be_h_or_ms():
    with pytest.raises(ValueError):
        parse_duration("1h", "s")
