# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet inventory report: what each camera has, and which disks need attention.

Built on the controller from the ``axis_storage_info`` result of every camera
(``hostvars[camera].report_info``). A disk is flagged when it is full, when it
should be mounted and is not, when its card's wear or temperature is at or
within a margin of the disk's alert level, or when the card reports a failed
health check.
"""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.plugin_utils._report_audit import UNREACHABLE_CLASSES
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._report_common import (
    Check,
    camera_error,
    count_statuses,
    run_metadata,
)

STATUSES = ("ok", "flagged", "failed", "unreachable")
# What the report keeps of each share axis_storage_info lists (never a password: it has none).
SHARE_FIELDS = ("share_id", "name", "address", "share", "share_username", "disk_id")

# Defaults of the documented margins (playbooks/report.yml: report_wear_margin, report_temperature_margin).
WEAR_MARGIN = 10          # percentage points below the wear alert level
TEMPERATURE_MARGIN = 5    # kelvin below the temperature alert level


def _part(result, key):
    """A gathered part's data, or {} when it was not gathered or the camera does not support it."""
    part = result.get(key) or {}
    return part if part.get("supported", True) else {}


def _unsupported_parts(result):
    return {key: part.get("reason") for key, part in sorted(result.items())
            if isinstance(part, dict) and part.get("supported") is False}


def _bound_disks(shares):
    return {share.get("disk_id") for share in shares.values() if share.get("disk_id")}


def disk_flags(disk, health, levels, bound_disks, wear_margin=WEAR_MARGIN, temperature_margin=TEMPERATURE_MARGIN):
    """Why a disk needs attention, as sentences (empty when it does not)."""
    flags = []
    disk_id = disk.get("disk_id")
    status = disk.get("status")
    if disk.get("full"):
        flags.append("full")
    unused_share_disk = disk_id == "NetworkShare" and disk_id not in bound_disks and status == "disconnected"
    if status and disk.get("mounted") is None:
        # axis_storage_info: a status (failed) that does not tell whether the disk is mounted
        flags.append("status %s: the camera found a problem and does not say whether the disk is mounted; check "
                     "and repair it with vapix.edge_storage.axis_disk_job" % status)
    elif status and not disk.get("mounted") and not unused_share_disk:
        flags.append("not mounted (status %s)" % disk.get("status"))
    wear = health.get("wear")
    alert_wear = levels.get("wear")
    if wear is not None and wear >= 0 and alert_wear is not None and wear >= alert_wear - wear_margin:
        flags.append("wear %d %% is %s its alert level of %d %% (margin %d)"
                     % (wear, "at or above" if wear >= alert_wear else "within %d of" % (alert_wear - wear),
                        alert_wear, wear_margin))
    temperature = health.get("temperature_k")
    alert_temperature = levels.get("temperature")
    if temperature is not None and alert_temperature is not None and temperature >= alert_temperature - temperature_margin:
        flags.append("temperature %d K is %s its alert level of %d K (margin %d)"
                     % (temperature, "at or above" if temperature >= alert_temperature
                        else "within %d of" % (alert_temperature - temperature), alert_temperature, temperature_margin))
    if health.get("overall_health") == "fail":
        flags.append("the card's health check failed")
    return flags


def inventory_disks(result, wear_margin=WEAR_MARGIN, temperature_margin=TEMPERATURE_MARGIN):
    """Each disk the camera lists (disks/list.cgi gives it a status) with its health, alert levels and flags.

    Storage parameter groups no listed disk matches (such as NetworkShareN0) are not disks.
    """
    health = _part(result, "health").get("disks") or {}
    levels = _part(result, "alert_levels").get("disks") or {}
    bound = _bound_disks(_part(result, "network_shares").get("shares") or {})
    disks = []
    for disk_id, disk in sorted((result.get("disks") or {}).items()):
        if disk.get("status") is None:
            continue
        disk_health = health.get(disk_id) or {}
        disk_levels = levels.get(disk_id) or {}
        wear = disk_health.get("wear")
        disks.append({
            "disk_id": disk_id,
            "status": disk.get("status"),
            "size": disk.get("total"),
            "free": disk.get("free"),
            "total_kb": disk.get("total_kb"),
            "free_kb": disk.get("free_kb"),
            "filesystem": disk.get("filesystem"),
            "encrypted": disk.get("encrypted"),
            "full": disk.get("full"),
            "wear": wear if wear is not None and wear >= 0 else None,
            "temperature_k": disk_health.get("temperature_k"),
            "overall_health": disk_health.get("overall_health"),
            "alert_levels": {"wear": disk_levels.get("wear"), "temperature": disk_levels.get("temperature")},
            "flags": disk_flags(dict(disk, disk_id=disk_id), disk_health, disk_levels, bound,
                                wear_margin, temperature_margin),
        })
    return disks


def inventory_camera(name, result, wear_margin=WEAR_MARGIN, temperature_margin=TEMPERATURE_MARGIN):
    """One camera's entry in the inventory report."""
    result = result or {}
    device = result.get("device") or {}
    entry = {
        "name": name,
        "model": device.get("model"),
        "firmware": device.get("firmware_version"),
        "disks": [],
        "shares": [],
        "storage_limits": {},
        "continuous_profiles": [],
        "recording_groups": [],
        "unsupported": {},
        "error": None,
    }
    if not result or result.get("failed"):
        entry["error"] = camera_error(result) if result else {
            "message": "the report has no result for this camera (it did not reach the axis_storage_info task)",
            "error_class": None}
        entry["status"] = "unreachable" if entry["error"].get("error_class") in UNREACHABLE_CLASSES else "failed"
        return entry
    shares = _part(result, "network_shares").get("shares") or {}
    entry["disks"] = inventory_disks(result, wear_margin, temperature_margin)
    entry["shares"] = [{key: share.get(key) for key in SHARE_FIELDS} for _share_id, share in sorted(shares.items())]
    entry["storage_limits"] = {disk_id: limit.get("size") for disk_id, limit
                               in sorted((_part(result, "storage_limits").get("disks") or {}).items())}
    entry["continuous_profiles"] = list(_part(result, "continuous_profiles").get("profiles") or [])
    entry["recording_groups"] = [dict(group, id=group_id) for group_id, group
                                 in sorted((_part(result, "recording_groups").get("groups") or {}).items())]
    entry["unsupported"] = _unsupported_parts(result)
    entry["status"] = "flagged" if any(disk["flags"] for disk in entry["disks"]) else "ok"
    return entry


def build_inventory_report(results, inventory_sources=None, now=None, wear_margin=WEAR_MARGIN,
                           temperature_margin=TEMPERATURE_MARGIN):
    """The inventory report as a dict, from {camera name: its axis_storage_info result or None}."""
    cameras = [inventory_camera(name, results[name], wear_margin, temperature_margin) for name in sorted(results)]
    metadata = run_metadata(inventory_sources, now)
    metadata["wear_margin"] = wear_margin
    metadata["temperature_margin"] = temperature_margin
    return {
        "report": "inventory",
        "title": "Edge storage fleet inventory",
        "metadata": metadata,
        "statuses": list(STATUSES),
        "summary": count_statuses(cameras, STATUSES),
        "cameras": cameras,
    }


def inventory_checks(camera):
    """The JUnit test cases of one camera: one per disk; a flag is a failure, a failed camera an error."""
    if camera["error"] is not None:
        return [Check("inventory", "error", camera["error"]["message"], camera["error"].get("error_class"),
                      text=camera["error"]["message"])]
    if not camera["disks"]:
        return [Check("inventory", "passed", "no disks")]
    checks = []
    for disk in camera["disks"]:
        name = "disk %s" % disk["disk_id"]
        if disk["flags"]:
            checks.append(Check(name, "failure", "; ".join(disk["flags"]), "flagged", text="\n".join(disk["flags"])))
        else:
            checks.append(Check(name, "passed", "status %s" % disk["status"]))
    return checks


def inventory_summary_line(camera):
    if camera["error"] is not None:
        error_class = camera["error"].get("error_class")
        return "{}{}".format("[%s] " % error_class if error_class else "", camera["error"]["message"])
    flags = ["{}: {}".format(disk["disk_id"], flag) for disk in camera["disks"] for flag in disk["flags"]]
    if flags:
        return "; ".join(flags)
    return "%d disk(s), %d share(s), nothing flagged" % (len(camera["disks"]), len(camera["shares"]))
