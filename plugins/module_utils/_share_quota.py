# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Splitting a network share's capacity between the cameras that record to it.

The split uses the largest-remainder method: every part is rounded down to
whole kilobytes, and the kilobytes left over go one each to the parts with the
largest fractions (ties to the name that sorts first), so the parts always add
up to the capacity minus the reserve, and the same input always gives the same
split. The ``share_quota`` filter and the storage limit's ``quota`` option
(and through it the role) share this one implementation.
"""

from __future__ import annotations

import re
from fractions import Fraction

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ValidationError
from ansible_collections.vapix.edge_storage.plugins.module_utils._units import parse_size_kb

_PERCENT = re.compile(r"^(\d+(?:\.\d+)?|\.\d+)\s*%$")


def parse_weight(name, value, source=None):
    """A camera's weight as an exact positive number. source: (host variable, inventory group) when the weight
    was read from the inventory, so that the message names what to change."""
    what = "the weight of '%s'" % name
    belongs = "in the weights"
    if source is not None:
        what += " (its host variable %s)" % source[0]
        belongs = "in the inventory group '%s': take it out of the group" % source[1]
    if isinstance(value, bool):
        raise ValidationError(f"share_quota: {what} is {value!r}: give a positive number")
    try:
        weight = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):  # '1/0' is a fraction's spelling with no number
        raise ValidationError(f"share_quota: {what} is {value!r}: give a positive number, e.g. 1 or 2.5")
    if weight <= 0:
        raise ValidationError("share_quota: %s is %s: give a positive number (a camera that should not record to "
                              "the share does not belong %s)" % (what, value, belongs))
    return weight


def parse_weights(weights):
    """{camera: weight} checked and made exact."""
    if not isinstance(weights, dict) or not weights:
        raise ValidationError("share_quota: the weights must be a non-empty mapping of camera to weight, "
                              "e.g. {'cam1': 2, 'cam2': 1}, not %r" % (weights,))
    return {name: parse_weight(name, value) for name, value in weights.items()}


def capacity_kb(capacity):
    """The capacity to split, in kB; it must not be empty."""
    value = parse_size_kb(capacity, "share_quota: capacity")
    if value <= 0:
        raise ValidationError(f"share_quota: capacity {capacity!r} is empty: give the share's size, e.g. '4 TiB'")
    return value


def parse_reserve(reserve):
    """The reserve as ('percent', exact number below 100) or ('kb', size), or None when it reserves nothing (unset,
    empty, or any spelling of 0: '0%', '0 GiB'); checked without a capacity."""
    if reserve in (None, "", 0):
        return None
    if isinstance(reserve, str):
        match = _PERCENT.match(reserve.strip())
        if match:
            percent = Fraction(match.group(1))
            if percent >= 100:
                raise ValidationError("share_quota: reserve '%s' leaves nothing for the cameras: give less "
                                      "than 100%%" % reserve)
            return ("percent", percent) if percent else None
    # Rounded up, as a percentage is: the cameras never get more than what is left.
    try:
        size = parse_size_kb(reserve, "share_quota: reserve", round_up=True)
    except ValidationError as exc:
        # The size's own message names only sizes; a reserve is a percentage as often.
        raise ValidationError("%s; or a percentage below 100%%, e.g. '5%%'" % exc)
    return ("kb", size) if size else None


def reserve_kb(reserve, total_kb):
    """The reserve in whole kB, rounded up so the cameras never get more than what is left."""
    parsed = parse_reserve(reserve)
    if parsed is None:
        return 0
    kind, value = parsed
    if kind == "percent":
        share = total_kb * value / 100
        return -(-share.numerator // share.denominator)
    if value >= total_kb:
        raise ValidationError("share_quota: reserve %s (%d kB) is not smaller than the capacity (%d kB)"
                              % (reserve, value, total_kb))
    return value


def split_capacity(weights, total_kb, reserved_kb, minimum_kb):
    """{name: exact weight} -> {name: kB}, parts summing to total_kb - reserved_kb, none below minimum_kb."""
    usable = total_kb - reserved_kb
    total = sum(weights.values())
    exact = {name: usable * weight / total for name, weight in weights.items()}
    parts = {name: value.numerator // value.denominator for name, value in exact.items()}
    left = usable - sum(parts.values())
    by_fraction = sorted(weights, key=lambda name: (-(exact[name] - parts[name]), str(name)))
    for name in by_fraction[:left]:
        parts[name] += 1
    small = sorted(str(name) for name, part in parts.items() if part < minimum_kb)
    if small:
        raise ValidationError(
            "share_quota: %s would get less than the camera's minimum storage limit of %d kB (1 GiB) "
            "(%s): give the share more capacity, a smaller reserve, or these cameras more weight"
            % (", ".join(small), minimum_kb, ", ".join("%s %d kB" % (name, parts[name]) for name in small)))
    return {name: parts[name] for name in weights}


def share_quota(weights, capacity, reserve, minimum_kb):
    """{camera: weight}, capacity, reserve -> {camera: limit in kB}."""
    exact = parse_weights(weights)
    total_kb = capacity_kb(capacity)
    return split_capacity(exact, total_kb, reserve_kb(reserve, total_kb), minimum_kb)


# The host variable a camera's weight is read from when a quota names an inventory group.
WEIGHT_VARIABLE = "edge_storage_share_quota_weight"


# What a quota option's value comes to, for comparing the values cameras give it (from_inventory's agreed).
MEANING_OF = {"capacity": capacity_kb, "reserve": parse_reserve}


def _agreed(group, hosts, hostvars, variable, option):
    """ValidationError when the hosts' values of variable, which sets the quota's option, come to different
    things: '8 GiB' and 8388608 agree, as do unset, empty and (for a reserve) any spelling of 0 ('0%', '0 GiB');
    a value the option cannot read is compared as it is written (its own message comes from the quota's checks)."""
    values = {}
    for host in hosts:
        value = hostvars[host].get(variable)
        try:
            read = None if value in (None, "") else MEANING_OF[option](value)
            meaning = None if read is None else ("read", read)
        except ValidationError:
            meaning = ("written", str(value).strip())
        values.setdefault(meaning, []).append((host, value))
    if len(values) > 1:
        raise ValidationError(
            "share_quota: the cameras of group %r do not agree on %s (%s): each camera works out its part from its "
            "own value, so the parts would not add up to the share; set it once for the whole group (for example in "
            "group_vars/%s.yml)" % (group, variable, "; ".join(_spellings(found) for found in sorted(
                values.values(), key=_spellings)), group))


def _spellings(found):
    """[(host, value)] of one meaning -> "'8 GiB' on cam1, 8388608 on cam2" ('unset' for no value)."""
    by_value = {}
    for host, value in found:
        shown = "unset" if value in (None, "") else repr(value.strip() if isinstance(value, str) else value)
        by_value.setdefault(shown, []).append(str(host))
    return " or ".join(f"{shown} on {', '.join(sorted(hosts))}" for shown, hosts in sorted(by_value.items()))


def from_inventory(quota, member, groups, hostvars, agreed=None):
    """The quota with its inventory group replaced by the weights and this camera as its member.

    quota: the task's validated quota option (``group``, maybe ``weight_variable``); member: this camera's
    inventory name; groups: {group: [host]}; hostvars: {host: {variable: value}}. Each camera of the group
    weighs what its ``weight_variable`` host variable says (WEIGHT_VARIABLE when unset), 1 without one. A
    quota without a group is returned as it is. agreed: {host variable: the quota option it was built into} (the
    role's capacity and reserve), which every camera of the group must give the same value (see _agreed).
    """
    if not isinstance(quota, dict) or quota.get("group") is None:
        return quota
    group = quota["group"]
    if group not in groups:
        raise ValidationError("share_quota: the inventory has no group %r: name the inventory group of the cameras "
                              "that record to the share (with the role: edge_storage_share_quota_group must be an "
                              "inventory group that holds this camera)" % group)
    for shared, option in (agreed or {}).items():
        _agreed(group, groups[group], hostvars, shared, option)
    variable = quota.get("weight_variable") or WEIGHT_VARIABLE
    resolved = {name: value for name, value in quota.items() if name not in ("group", "weight_variable")}
    resolved["weights"] = {host: hostvars[host].get(variable, 1) for host in groups[group]}
    for host, weight in resolved["weights"].items():
        parse_weight(host, weight, source=(variable, group))
    resolved["member"] = member
    return resolved
