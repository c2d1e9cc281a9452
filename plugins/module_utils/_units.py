# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sizes and durations as people write them, in the units the device counts.

Sizes: the device counts kilobytes of 1024 bytes. ``parse_size_kb`` accepts

- an int, or a string of digits: kilobytes as the device counts them;
- a number (decimals allowed) with a unit, case-insensitive, space optional:

  - ``kB``, ``KB``, ``k``, ``KiB``: the device's kilobyte, 1024 bytes;
  - ``MiB``, ``GiB``, ``TiB``, ``PiB``: powers of 1024 bytes;
  - ``MB``, ``GB``, ``TB``, ``PB``: powers of 1000 bytes (as disk vendors count).

Rounding: a value that is not a whole number of kilobytes (``1 MB`` is
976.5625 kB, ``0.3 MiB`` is 307.2 kB) is rounded *down* to whole kilobytes,
so a limit never allows more than the size written (a share quota's reserve,
which must be kept free, is rounded *up*).

Durations: ``parse_duration(value, unit)`` with unit ``"h"`` or ``"ms"``
accepts an int (already in that unit; a float without a fraction too, as Jinja
arithmetic gives), a string of digits (same), or parts
like ``7d``, ``36h``, ``90m``, ``30s``, ``500ms``, ``1w``, combined as
``1d12h`` or ``1d 12h``. A duration that is not a whole number of the unit
(``90m`` in hours) is refused, never rounded.
"""

from __future__ import annotations

import re
from fractions import Fraction

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ValidationError

KB = 1024  # bytes in the device's kilobyte

# unit (lower case) -> bytes
_SIZE_UNITS = {
    "k": KB,
    "kb": KB,
    "kib": KB,
    "mib": KB ** 2,
    "gib": KB ** 3,
    "tib": KB ** 4,
    "pib": KB ** 5,
    "mb": 1000 ** 2,
    "gb": 1000 ** 3,
    "tb": 1000 ** 4,
    "pb": 1000 ** 5,
}

_SIZE = re.compile(r"^(\d+(?:\.\d+)?|\.\d+)\s*([A-Za-z]*)$")

SIZE_ACCEPTED = ("kilobytes as the device counts them (1 kB = 1024 bytes), e.g. 524288000, or a number "
                 "with a unit: KiB, MiB, GiB, TiB, PiB (powers of 1024 bytes), MB, GB, TB, PB (powers of 1000 bytes), "
                 "kB/KB/k (= KiB), e.g. '500 GiB' or '1.5 TB'")

# duration unit (lower case) -> milliseconds
_MS = {
    "ms": 1,
    "s": 1000,
    "m": 60 * 1000,
    "h": 3600 * 1000,
    "d": 24 * 3600 * 1000,
    "w": 7 * 24 * 3600 * 1000,
}
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|[smhdw])", re.IGNORECASE)
_DURATION_UNIT_NAMES = {"h": "hours", "ms": "milliseconds"}

DURATION_ACCEPTED = ("a whole number in %s, or a duration made of parts with units w, d, h, m, s, ms, "
                     "e.g. '7d', '36h', '1d12h', '90m', '30s', '500ms'")


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _given_as_number(value, what, accepted):
    """value as an int when it is already a whole number >= 0 (an int, or a float without a fraction, which
    Jinja arithmetic gives: '{{ days * 24 }}' is 168.0), None when it is text to parse; ValidationError for a
    negative number or anything else (accepted says what to give)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if _is_int(value):
        if value < 0:
            raise ValidationError("%s %d is negative: give %s" % (what, value, accepted))
        return value
    if not isinstance(value, str):
        raise ValidationError(f"{what} {value!r} is not understood: give {accepted}")
    return None


def parse_size_kb(value, what="size", round_up=False):
    """A size -> whole kilobytes (1024 bytes) as an int >= 0; ValidationError otherwise. A size that is not a
    whole number of kilobytes is rounded down, or up with round_up (for what must be kept, such as a reserve)."""
    number = _given_as_number(value, what, SIZE_ACCEPTED)
    if number is not None:
        return number
    match = _SIZE.match(value.strip())
    unit = match.group(2).lower() if match else None
    if not match or (unit and unit not in _SIZE_UNITS):
        raise ValidationError(f"{what} '{value}' is not understood: give {SIZE_ACCEPTED}")
    number = Fraction(match.group(1))
    if not unit:
        if number.denominator != 1:
            raise ValidationError("%s '%s' has a fraction of a kilobyte: give whole kilobytes or use a unit, "
                                  "e.g. '1.5 GiB'" % (what, value))
        return int(number)
    kb = number * _SIZE_UNITS[unit] / KB
    return -(-kb.numerator // kb.denominator) if round_up else kb.numerator // kb.denominator


def format_size(kb):
    """Whole kilobytes (1024 bytes) -> e.g. '500 GiB', '1.5 TiB', '512 KiB'; None stays None."""
    if kb is None:
        return None
    for unit, factor in (("TiB", KB ** 3), ("GiB", KB ** 2), ("MiB", KB)):
        if kb >= factor:
            text = ("%.2f" % (Fraction(kb, factor))).rstrip("0").rstrip(".")
            return f"{text} {unit}"
    return "%d KiB" % kb


def format_size_at_most(kb):
    """Whole kilobytes -> words that parse_size_kb reads back as at most kb: format_size's words with the
    decimals cut instead of rounded ('110.73 GiB' for 110.737 GiB, where format_size says '110.74 GiB', which
    is more); for a largest value to give. None stays None."""
    if kb is None:
        return None
    for unit, factor in (("TiB", KB ** 3), ("GiB", KB ** 2), ("MiB", KB)):
        if kb >= factor:
            hundredths = kb * 100 // factor
            text = ("%d.%02d" % divmod(hundredths, 100)).rstrip("0").rstrip(".")
            return f"{text} {unit}"
    return "%d KiB" % kb


def format_size_exact(kb):
    """Whole kilobytes -> words that parse_size_kb reads back as exactly kb: format_size's words when they
    do ('500 GiB', '1.5 TiB'), else the kilobytes ('1048577 KiB'); None stays None."""
    if kb is None:
        return None
    text = format_size(kb)
    return text if parse_size_kb(text) == kb else "%d KiB" % kb


def parse_duration(value, unit, what="duration"):
    """A duration -> an int >= 0 in unit ('h' or 'ms'); ValidationError when not exact or not understood."""
    if unit not in _DURATION_UNIT_NAMES:
        raise ValueError(f"unit must be 'h' or 'ms', not {unit!r}")
    accepted = DURATION_ACCEPTED % _DURATION_UNIT_NAMES[unit]
    number = _given_as_number(value, what, accepted)
    if number is not None:
        return number
    text = value.strip()
    if text.isdigit():
        return int(text)
    parts = list(_DURATION_PART.finditer(text))
    if not parts or "".join(text.split()) != "".join(p.group(0).replace(" ", "") for p in parts):
        raise ValidationError(f"{what} '{value}' is not understood: give {accepted}")
    total_ms = sum(Fraction(p.group(1)) * _MS[p.group(2).lower()] for p in parts)
    amount = total_ms / _MS[unit]
    if amount.denominator != 1:
        lower = int(amount)
        raise ValidationError("%s '%s' is not a whole number of %s (it is %s): give e.g. %d%s or %d%s"
                              % (what, value, _DURATION_UNIT_NAMES[unit], ("%.3f" % float(amount)).rstrip("0"),
                                 lower, unit, lower + 1, unit))
    return int(amount)
