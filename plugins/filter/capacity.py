# -*- coding: utf-8 -*-
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""NAS capacity planning: ``share_quota`` and ``retention_estimate``.

``share_quota`` splits a share's capacity between cameras by weight with the
largest-remainder method: every part is rounded down to whole kilobytes, and
the kilobytes left over go one each to the parts with the largest fractions
(ties to the name that sorts first), so the parts always add up to the
capacity minus the reserve, and the same input always gives the same split.

``retention_estimate`` turns a limit and a constant bitrate into days.
Documentation: ``share_quota.yml`` and ``retention_estimate.yml`` beside this file.
"""

from __future__ import annotations

import re
from fractions import Fraction

from ansible.errors import AnsibleFilterError

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ValidationError
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_storage_limit import MINIMUM_KB
from ansible_collections.vapix.edge_storage.plugins.module_utils._units import KB, parse_size_kb

_NUMBER = r"(\d+(?:\.\d+)?|\.\d+)"
_PERCENT = re.compile(r"^%s\s*%%$" % _NUMBER)
_BITRATE = re.compile(r"^%s\s*([A-Za-z/]*)$" % _NUMBER)

# bitrate unit (lower case) -> bits per second; network rates count in powers of 1000
_BITRATE_UNITS = {
    "bit/s": 1, "bps": 1,
    "kbit/s": 1000, "kbps": 1000,
    "mbit/s": 1000 ** 2, "mbps": 1000 ** 2,
    "gbit/s": 1000 ** 3, "gbps": 1000 ** 3,
}
BITRATE_ACCEPTED = "bits per second as a number, or a number with a unit: bit/s, kbit/s, Mbit/s, Gbit/s " \
                   "(or bps, kbps, Mbps, Gbps; powers of 1000), e.g. '4 Mbit/s'"
SECONDS_PER_DAY = 24 * 3600


def _size_kb(value, what):
    try:
        return parse_size_kb(value, what)
    except ValidationError as exc:
        raise AnsibleFilterError(str(exc))


def _weight(name, value):
    if isinstance(value, bool):
        raise AnsibleFilterError("share_quota: the weight of '%s' is %r: give a positive number" % (name, value))
    try:
        weight = Fraction(str(value).strip())
    except ValueError:
        raise AnsibleFilterError("share_quota: the weight of '%s' is %r: give a positive number, e.g. 1 or 2.5"
                                 % (name, value))
    if weight <= 0:
        raise AnsibleFilterError("share_quota: the weight of '%s' is %s: give a positive number (a camera that "
                                 "should not record to the share does not belong in the weights)" % (name, value))
    return weight


def _reserve_kb(reserve, capacity_kb):
    """The reserve in whole kB, rounded up so the cameras never get more than what is left."""
    if reserve in (None, "", 0):
        return 0
    if isinstance(reserve, str):
        match = _PERCENT.match(reserve.strip())
        if match:
            percent = Fraction(match.group(1))
            if percent >= 100:
                raise AnsibleFilterError("share_quota: reserve '%s' leaves nothing for the cameras: give less "
                                         "than 100%%" % reserve)
            share = capacity_kb * percent / 100
            return -(-share.numerator // share.denominator)
    reserve_kb = _size_kb(reserve, "share_quota: reserve")
    if reserve_kb >= capacity_kb:
        raise AnsibleFilterError("share_quota: reserve %s (%d kB) is not smaller than the capacity (%d kB)"
                                 % (reserve, reserve_kb, capacity_kb))
    return reserve_kb


def split_capacity(weights, capacity_kb, reserve_kb=0, minimum_kb=MINIMUM_KB):
    """{name: weight} -> {name: kB}, parts summing to capacity_kb - reserve_kb (largest remainder)."""
    usable = capacity_kb - reserve_kb
    total = sum(weights.values())
    exact = dict((name, usable * weight / total) for name, weight in weights.items())
    parts = dict((name, value.numerator // value.denominator) for name, value in exact.items())
    left = usable - sum(parts.values())
    by_fraction = sorted(weights, key=lambda name: (-(exact[name] - parts[name]), str(name)))
    for name in by_fraction[:left]:
        parts[name] += 1
    small = sorted(str(name) for name, part in parts.items() if part < minimum_kb)
    if small:
        raise AnsibleFilterError(
            "share_quota: %s would get less than the camera's minimum storage limit of %d kB (1 GiB) "
            "(%s): give the share more capacity, a smaller reserve, or these cameras more weight"
            % (", ".join(small), minimum_kb, ", ".join("%s %d kB" % (name, parts[name]) for name in small)))
    return dict((name, parts[name]) for name in weights)


def share_quota(weights, capacity, reserve=None):
    """{camera: weight} | share_quota(capacity, reserve=None) -> {camera: limit in kB}."""
    if not isinstance(weights, dict) or not weights:
        raise AnsibleFilterError("share_quota: the input must be a non-empty mapping of camera to weight, "
                                 "e.g. {'cam1': 2, 'cam2': 1}, not %r" % (weights,))
    parsed = dict((name, _weight(name, value)) for name, value in weights.items())
    capacity_kb = _size_kb(capacity, "share_quota: capacity")
    if capacity_kb <= 0:
        raise AnsibleFilterError("share_quota: capacity %r is empty: give the share's size, e.g. '4 TiB'"
                                 % (capacity,))
    return split_capacity(parsed, capacity_kb, _reserve_kb(reserve, capacity_kb))


def _bits_per_second(bitrate):
    if isinstance(bitrate, bool):
        raise AnsibleFilterError("retention_estimate: bitrate %r is not understood: give %s"
                                 % (bitrate, BITRATE_ACCEPTED))
    if isinstance(bitrate, (int, float)):
        value = Fraction(bitrate)
    else:
        match = _BITRATE.match(str(bitrate).strip())
        unit = match.group(2).lower() if match else None
        if not match or (unit and unit not in _BITRATE_UNITS):
            raise AnsibleFilterError("retention_estimate: bitrate '%s' is not understood: give %s"
                                     % (bitrate, BITRATE_ACCEPTED))
        value = Fraction(match.group(1)) * _BITRATE_UNITS.get(unit, 1)
    if value <= 0:
        raise AnsibleFilterError("retention_estimate: bitrate %s must be more than 0: give %s"
                                 % (bitrate, BITRATE_ACCEPTED))
    return value


def retention_estimate(size, bitrate):
    """size | retention_estimate(bitrate) -> days (rounded down to 0.01) the size holds at the bitrate."""
    size_kb = _size_kb(size, "retention_estimate: size")
    if size_kb <= 0:
        raise AnsibleFilterError("retention_estimate: size %r is empty: give a limit, e.g. '500 GiB'" % (size,))
    days = Fraction(size_kb * KB * 8) / _bits_per_second(bitrate) / SECONDS_PER_DAY
    return int(days * 100) / 100


class FilterModule:
    def filters(self):
        return {
            "share_quota": share_quota,
            "retention_estimate": retention_estimate,
        }
