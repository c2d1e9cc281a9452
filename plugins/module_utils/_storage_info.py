# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What axis_storage_info gathers: read-only facts of a camera's edge storage.

Each subset reads only the API families it needs (listed in the module's
documentation of gather_subset). A part
the camera does not support is reported as ``{"supported": false, "reason":
...}``, never as a failure; any other device error fails the module, naming the subset.
"""

from __future__ import annotations

import contextlib
import re

from ansible_collections.vapix.edge_storage.plugins.module_utils import _parsers
from ansible_collections.vapix.edge_storage.plugins.module_utils._device import FEATURE_PROPERTIES
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    DAMAGED_ANSWER,
    DEVICE,
    DISK_PROPERTIES,
    PARAM,
    EdgeStorageError,
    UnsupportedError,
    ValidationError,
    VapixError,
    bad_job_timeout,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_share import (
    NETWORK_SHARE_DISK,
    run_share_test,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_storage_limit import NO_LIMIT
from ansible_collections.vapix.edge_storage.plugins.module_utils._units import format_size, format_size_exact

SUBSETS = ("device", "capabilities", "disks", "health", "shares", "limits", "profiles", "groups")
# Subsets 'all' leaves out: they make the camera do something (a share test mounts the share).
OPT_IN_SUBSETS = ("share_tests",)

ARGUMENT_SPEC = dict(
    gather_subset=dict(type="list", elements="str", default=["all"]),
    share_test_timeout=dict(type="int", default=120),
)

APIDISCOVERY_MISSING = ("this firmware has no API discovery service (apidiscovery.cgi answers 404); "
                        "capabilities come from Properties.LocalStorage only")

_PROPERTY_NAMES = {key: ours for ours, key in FEATURE_PROPERTIES.items()}
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def selected_subsets(requested):
    """gather_subset -> the set of subsets to gather; 'all' and '!name' understood."""
    chosen = set()
    excluded = set()
    for entry in requested or ["all"]:
        name = str(entry).strip()
        negate = name.startswith("!")
        if negate:
            name = name[1:]
        if name != "all" and name not in SUBSETS + OPT_IN_SUBSETS:
            raise ValidationError("gather_subset '%s' is not known: choose from all, %s (prefix '!' to leave "
                                  "one out, e.g. ['all', '!health'])" % (entry, ", ".join(SUBSETS + OPT_IN_SUBSETS)))
        names = set(SUBSETS) if name == "all" else {name}
        (excluded if negate else chosen).update(names)
    if not chosen:
        chosen = set(SUBSETS)
    return chosen - excluded


def unsupported(reason):
    return {"supported": False, "reason": reason}


def _gated(read):
    """read()'s facts marked supported, or unsupported with the reason when the camera lacks the feature."""
    try:
        facts = read()
    except UnsupportedError as exc:
        return unsupported(exc.reason)
    return dict(facts, supported=True)


def _snake(key):
    return _PROPERTY_NAMES.get(key) or _CAMEL_BOUNDARY.sub("_", key).lower()


def _property_values(values):
    """Properties.X.* as {snake_case: bool, int or str}."""
    result = {}
    for key, value in sorted(values.items()):
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        result[_snake(key)] = value
    return result


def _human(entry, **kb_keys):
    """Add human sizes next to kilobyte values: _human(d, total='total_kb')."""
    for human, kb_key in kb_keys.items():
        if entry.get(kb_key) is not None:
            entry[human] = format_size(entry[kb_key])
    return entry


# -- subsets ---------------------------------------------------------------------------

def gather_device(device):
    params = device.properties()
    found = {
        "brand": params.get("Brand.Brand"),
        "model": params.get("Brand.ProdShortName"),
        "full_name": params.get("Brand.ProdFullName"),
        "product_number": params.get("Brand.ProdNbr"),
        "product_type": params.get("Brand.ProdType"),
        "firmware_version": params.get("Properties.Firmware.Version"),
        "firmware_build_date": params.get("Properties.Firmware.BuildDate"),
        "firmware_build_number": params.get("Properties.Firmware.BuildNumber"),
    }
    return {key: value for key, value in found.items() if value not in (None, "")}


def gather_capabilities(device):
    params = device.properties()
    capabilities = {
        "local_storage": _property_values(_parsers.parse_properties(params, "Properties.LocalStorage")),
        "network_share": _property_values(_parsers.parse_properties(params, "Properties.NetworkShare")),
    }
    apis = device.api_list()
    capabilities["apis"] = apis
    if apis is None:
        capabilities["apis_note"] = APIDISCOVERY_MISSING
    return capabilities


def gather_disks(device):
    """disks/list.cgi merged with Storage.S# parameters; only the keys this firmware has; the mount state of a disk
    in status failed is None (unknown). A device without local
    storage (its properties do not say LocalStorage=yes and it has no disk API: an encoder, an I/O module) has
    no disks: {}, not a failure of the whole gathering."""
    merged = {}
    for disk_id, settings in device.storage_params().items():
        merged[disk_id] = dict(settings)
    try:
        listed_disks = device.disks()
    except UnsupportedError:
        if device.supports("local_storage"):
            raise
        return {}
    for disk_id, listed in listed_disks.items():
        entry = merged.setdefault(disk_id, {})
        entry.update((key, value) for key, value in listed.items() if value is not None)
    for disk_id, entry in merged.items():
        entry["disk_id"] = disk_id
        if entry.get("status") == _parsers.UNKNOWN_MOUNT_STATUS:
            # The camera does not say whether a disk in this status is mounted: unknown, not "unmounted".
            entry["mounted"] = entry["state"] = None
        if entry.get("total_kb") is not None and entry.get("free_kb") is not None:
            entry["used_kb"] = entry["total_kb"] - entry["free_kb"]
        _human(entry, total="total_kb", free="free_kb", used="used_kb")
    return merged


def gather_health(device):
    """Wear, temperature and overall health of each disk."""
    def read():
        device.require("disk_health", "disk health")
        return {"disks": device.health()}
    return _gated(read)


def gather_alert_levels(device):
    """getdiskalertlevels.cgi of each local disk (not the NetworkShare): the wear (%) and temperature (K)
    at which the camera raises a disk alert."""
    def read():
        if not device.supports_alert_levels():
            raise UnsupportedError("disk alert levels", "needs the disk-properties API 1.1 or later; apidiscovery "
                                   "reports %s" % (device.api_list() or {}).get(DISK_PROPERTIES, "none"))
        return {"disks": {disk_id: device.alert_levels(disk_id) for disk_id in sorted(device.disks())
                          if disk_id != NETWORK_SHARE_DISK}}
    return _gated(read)


def gather_disk_capabilities(device):
    """getcapabilities.cgi of each listed disk: file systems, required file system, encryption."""
    return _gated(lambda: {"disks": {disk_id: device.capabilities(disk_id)
                                     for disk_id in sorted(device.disks())}})


def gather_shares(device):
    if not device.supports_network_share():
        return unsupported("Properties.NetworkShare.NetworkShare is not 'yes' on this camera")
    return _gated(lambda: {"shares": device.shares()})


def _limit_facts(limits):
    """Each disk's limit in axis_storage_limit's words: disk_id, and size exact enough to give back
    ('500 GiB', or 'no limit' for 0)."""
    disks = {}
    for disk_id, limit in limits.items():
        entry = dict(limit, disk_id=disk_id, limited=bool(limit.get("size_kb")))
        _human(entry, used="used_kb")
        entry["size"] = format_size_exact(limit["size_kb"]) if entry["limited"] else NO_LIMIT
        disks[disk_id] = entry
    return {"disks": disks}


def gather_limits(device):
    return _gated(lambda: _limit_facts(device.storage_limits()))


def gather_profiles(device):
    return _gated(lambda: {"profiles": device.continuous_profiles(),
                           "max_profiles": device.max_continuous_profiles()})


def gather_groups(device):
    return _gated(lambda: {"groups": device.recording_groups()})


# The share test's codes that say the share failed it (host unknown, mount refused, cannot write, read back
# or connect); 720 (the camera's internal error) and 730 (too many jobs) say only that it could not test.
SHARE_FAILED_CODES = (700, 710, 740, 750, 760)


def share_test(device, share_id, timeout):
    """The camera's share test of one stored share: {passed, code, reason, error_class}; a probe that stores
    nothing. passed is False when the test found the share failing, None when the test could not be run or
    did not end (no answer, a refusal, a damaged answer, a busy camera): unknown is not failed."""
    try:
        run_share_test(device, [("shareid", share_id)], timeout, option="share_test_timeout")
    except EdgeStorageError as exc:
        code = getattr(exc, "code", None)
        failed = exc.error_class == DEVICE and code in SHARE_FAILED_CODES
        return {"passed": False if failed else None, "code": code, "reason": str(exc),
                "error_class": exc.error_class}
    return {"passed": True, "code": None, "reason": None, "error_class": None}


def gather_share_tests(device, timeout):
    """The share test of every share the camera holds, one after the other."""
    if not device.supports_network_share():
        return unsupported("Properties.NetworkShare.NetworkShare is not 'yes' on this camera")
    return _gated(lambda: {"shares": {share_id: share_test(device, share_id, timeout)
                                      for share_id in sorted(device.shares())}})


# Each subset and the result keys it fills, with the function that reads each from the device.
GATHERERS = (
    ("device", (("device", gather_device),)),
    ("capabilities", (("capabilities", gather_capabilities),)),
    ("disks", (("disks", gather_disks),)),
    ("health", (("health", gather_health), ("disk_capabilities", gather_disk_capabilities),
                ("alert_levels", gather_alert_levels))),
    ("shares", (("network_shares", gather_shares),)),
    ("limits", (("storage_limits", gather_limits),)),
    ("profiles", (("continuous_profiles", gather_profiles),)),
    ("groups", (("recording_groups", gather_groups),)),
)


# The cached families each subset reads on any camera, read together before the subsets are gathered (see
# Device.read_together). The shares join them on a camera with network shares; what a feature gate or a disk
# decides (the health, each disk's capabilities and alert levels) is read when it is needed.
SUBSET_FAMILIES = {
    "device": ("properties",),
    "capabilities": ("properties", "apidiscovery"),
    "disks": ("storage_params", "disks"),
    "health": ("properties", "disks", "apidiscovery"),
    "limits": ("limits",),
    "profiles": ("profiles",),
    "groups": ("groups",),
}


def gather(device, params):
    """The facts of the chosen subsets, under the module's RETURN keys."""
    subsets = selected_subsets(params.get("gather_subset"))
    share_test_timeout = params.get("share_test_timeout")
    if share_test_timeout is None:      # null: not given
        share_test_timeout = ARGUMENT_SPEC["share_test_timeout"]["default"]
    if share_test_timeout < 1:
        raise bad_job_timeout(share_test_timeout, "share_test_timeout")
    facts = {"gathered_subsets": [name for name in SUBSETS + OPT_IN_SUBSETS if name in subsets]}
    families = [family for subset in SUBSETS if subset in subsets for family in SUBSET_FAMILIES.get(subset, ())]
    if {"shares", "share_tests"} & subsets and device.supports_network_share():
        families.append("shares")
    device.read_together(families)
    for subset, readers in GATHERERS:
        if subset in subsets:
            with _naming(subset):
                facts.update((key, read(device)) for key, read in readers)
    if "share_tests" in subsets:
        with _naming("share_tests"):
            facts["share_tests"] = gather_share_tests(device, share_test_timeout)
    return facts


@contextlib.contextmanager
def _naming(subset):
    """A camera's error or damaged answer while gathering subset says which subset failed, and how to gather the
    others without it. Not for param.cgi (every subset reads it) nor the way to the camera (no subset helps)."""
    try:
        yield
    except VapixError as exc:
        if exc.error_class not in (DEVICE, DAMAGED_ANSWER) or exc.api == PARAM:
            raise
        exc.args = ("gather_subset %s failed, so nothing was gathered (leave it out with '!%s' to gather the other "
                    "parts): %s" % (subset, subset, exc),) + exc.args[1:]
        raise
