# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""NAS capacity planning: ``share_quota`` and ``retention_estimate``.

``share_quota`` splits a share's capacity between cameras by weight; the split
itself (module_utils/_share_quota.py) is shared with the storage limit's
``quota`` option, so the filter and the role give the same parts.

``retention_estimate`` turns a limit and a constant bitrate into days.
Documentation: ``share_quota.yml`` and ``retention_estimate.yml`` beside this file.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

from ansible.errors import AnsibleFilterError

from ansible_collections.vapix.edge_storage.plugins.module_utils import _share_quota
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ValidationError
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_storage_limit import MINIMUM_KB
from ansible_collections.vapix.edge_storage.plugins.module_utils._units import KB, parse_size_kb

_NUMBER = r"(\d+(?:\.\d+)?|\.\d+)"
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


def share_quota(weights, capacity, reserve=None):
    """{camera: weight} | share_quota(capacity, reserve=None) -> {camera: limit in kB}."""
    try:
        return _share_quota.share_quota(weights, capacity, reserve, MINIMUM_KB)
    except ValidationError as exc:
        raise AnsibleFilterError(str(exc))


def _bits_per_second(bitrate):
    if isinstance(bitrate, bool):
        raise AnsibleFilterError("retention_estimate: bitrate %r is not understood: give %s"
                                 % (bitrate, BITRATE_ACCEPTED))
    if isinstance(bitrate, float) and not math.isfinite(bitrate):
        raise AnsibleFilterError("retention_estimate: bitrate %s is not a number of bits per second: give %s"
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
        raise AnsibleFilterError(f"retention_estimate: size {size!r} is empty: give a limit, e.g. '500 GiB'")
    days = Fraction(size_kb * KB * 8) / _bits_per_second(bitrate) / SECONDS_PER_DAY
    return int(days * 100) / 100


class FilterModule:
    def filters(self):
        return {
            "share_quota": share_quota,
            "retention_estimate": retention_estimate,
        }
