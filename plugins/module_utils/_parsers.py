# -*- coding: utf-8 -*-
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn each VAPIX answer into our normalised vocabulary.

Pure functions from a parsed XML root (or a param dict) to plain dicts with
snake_case keys, Python booleans and integers. The device's spellings
(yes/no and true/false, ``encryptionenabled`` and ``diskencryptionenabled``,
attribute case, stray whitespace) are settled here and nowhere else.
"""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.module_utils import _xml

_TRUE = frozenset(("yes", "true", "1", "on"))
_FALSE = frozenset(("no", "false", "0", "off"))


def to_bool(value):
    """yes/no/true/false (any case) -> bool; None or unknown spelling -> None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def to_int(value):
    if value is None:
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _none_if_empty(value):
    return value if value not in (None, "") else None


# -- disk management ------------------------------------------------------------

def parse_disk_list(root):
    """disks/list.cgi -> {disk_id: disk}."""
    disks = {}
    for element in _xml.iter_named(root, "disk"):
        a = _xml.attrs(element)
        disk_id = a.get("diskid")
        if not disk_id:
            continue
        disks[disk_id] = {
            "disk_id": disk_id,
            "friendly_name": a.get("name", ""),
            "total_kb": to_int(a.get("totalsize")),
            "free_kb": to_int(a.get("freesize")),
            "cleanup_max_age": to_int(a.get("cleanupmaxage")),
            "cleanup_policy": (a.get("cleanuppolicy") or "").lower() or None,
            "locked": to_bool(a.get("locked")),
            "full": to_bool(a.get("full")),
            "readonly": to_bool(a.get("readonly")),
            "filesystem": (a.get("filesystem") or "").lower() or None,
            "status": a.get("status"),
            "group": a.get("group"),
            "required_filesystem": (a.get("requiredfilesystem") or "").lower() or None,
            # Documented as diskencryptionenabled; 9.80 firmware says encryptionenabled.
            "encryption_enabled": to_bool(a.get("diskencryptionenabled", a.get("encryptionenabled"))),
            "encrypted": to_bool(a.get("diskencrypted")),
        }
    return disks


def parse_capabilities(root):
    """disks/getcapabilities.cgi -> capabilities of one disk."""
    disk = _xml.find_named(root, "disk")
    if disk is None:
        return {}
    filesystems = []
    required_candidates = []
    for element in _xml.iter_named(disk, "filesystem"):
        name = (_xml.attr(element, "name") or "").lower()
        if not name:
            continue
        filesystems.append(name)
        if to_bool(_xml.attr(element, "requiredfssupported")):
            required_candidates.append(name)
    return {
        "disk_id": _xml.attr(disk, "diskid"),
        "required_fs_supported": bool(to_bool(_xml.attr(disk, "requiredfssupported"))),
        "encryption_supported": bool(to_bool(_xml.attr(disk, "encryptionsupported"))),
        "filesystems": filesystems,
        "required_filesystems": required_candidates,
    }


def parse_health(root):
    """disks/gethealth.cgi -> {disk_id: {wear, temperature_k, overall_health}}; negative values mean unknown."""
    health = {}
    for element in _xml.iter_named(root, "HealthStatus"):
        disk_id = _xml.attr(element, "diskid")
        if not disk_id:
            continue
        wear = to_int(_xml.attr(element, "wear"))
        temperature = to_int(_xml.attr(element, "temperature"))
        overall = to_int(_xml.attr(element, "overallhealth"))
        health[disk_id] = {
            "wear": wear,
            "axis_card": wear is not None and wear >= 0,
            "temperature_k": temperature if temperature is not None and temperature >= 0 else None,
            "overall_health": {0: "fail", 1: "passed"}.get(overall) if overall is not None else None,
        }
    return health


def parse_job(root):
    """disks/*.cgi start-job or job.cgi answers -> {job_id, disk_id, action, progress, result, description}."""
    job = _xml.find_named(root, "job")
    if job is None:
        return {}
    return {
        "job_id": _xml.attr(job, "jobid"),
        "disk_id": _xml.attr(job, "diskid"),
        "action": _xml.attr(job, "action"),
        "progress": to_int(_xml.attr(job, "progress")),
        "result": (_xml.attr(job, "result") or "").upper() or None,
        "description": _xml.attr(job, "description"),
    }


def parse_alert_levels(root):
    levels = _xml.find_named(root, "AlertLevels")
    if levels is None:
        return {}
    return {"wear": to_int(_xml.attr(levels, "wear")),
            "temperature": to_int(_xml.attr(levels, "temperature"))}


# -- param.cgi Storage group ------------------------------------------------------

# Storage.S# key -> (our name, converter). Keys absent on old firmware are simply missing.
STORAGE_KEYS = {
    "FriendlyName": ("friendly_name", str),
    "CleanupMaxAge": ("cleanup_max_age", to_int),
    "CleanupPolicyActive": ("cleanup_policy", lambda v: v.lower()),
    "MountOnBoot": ("mount_on_boot", to_bool),
    "AutoRepair": ("auto_repair", to_bool),
    "RequiredFileSystem": ("required_filesystem", lambda v: v.lower()),
    "MountPointPermissions": ("mount_point_permissions", str),
    "ExtraMountOptions": ("extra_mount_options", str),
    "Enabled": ("enabled", to_bool),
    "Locked": ("locked", to_bool),
    "FileSystem": ("filesystem", lambda v: v.lower()),
    "DeviceNode": ("device_node", str),
}
STORAGE_PARAM_OF = dict((ours, key) for key, (ours, _conv) in STORAGE_KEYS.items())


def parse_storage_params(params):
    """{'Storage.S0.DiskID': 'SD_DISK', ...} -> {disk_id: {'group': 'S0', settings...}}."""
    groups = {}
    for name, value in params.items():
        parts = name.split(".")
        if len(parts) != 3 or parts[0] != "Storage":
            continue
        groups.setdefault(parts[1], {})[parts[2]] = value
    disks = {}
    for group, keys in sorted(groups.items()):
        disk_id = keys.get("DiskID")
        if not disk_id:
            continue
        settings = {"group": group}
        for key, (ours, convert) in STORAGE_KEYS.items():
            if key in keys:
                settings[ours] = convert(keys[key])
        disks[disk_id] = settings
    return disks


def parse_properties(params, prefix):
    """Properties.<prefix>.* -> {Key: bool or str}, yes/no as booleans."""
    result = {}
    lead = prefix + "."
    for name, value in params.items():
        if name.startswith(lead):
            key = name[len(lead):]
            as_bool = to_bool(value)
            result[key] = as_bool if as_bool is not None and value.lower() in ("yes", "no") else value
    return result


# -- network shares -------------------------------------------------------------------

def parse_share_list(root):
    """disks/networkshare/list.cgi -> {share_id: share}. No password: the device never returns one."""
    shares = {}
    for element in _xml.iter_named(root, "NetworkShare"):
        share_id = _xml.attr(element, "ShareId")
        if not share_id:
            continue
        shares[share_id] = {
            "share_id": share_id,
            "nice_name": _xml.attr(element, "NiceName", default=""),
            "address": _xml.attr(element, "Address", default=""),
            "share": _xml.attr(element, "Share", default=""),
            "username": _xml.attr(element, "User", default=""),
            "disk_id": _none_if_empty(_xml.attr(element, "DiskId", "DiskID")),
        }
    return shares


def parse_share_job(root):
    """disks/networkshare/job.cgi (errors already raised) -> {'done': bool, 'progress': int}."""
    job = _xml.find_named(root, "JobSuccess")
    if job is None:
        return {"done": False, "progress": None}
    if _xml.find_named(job, "GeneralSuccess") is not None:
        return {"done": True, "progress": 100}
    return {"done": False, "progress": to_int(_xml.child_text(job, "Progress"))}


def parse_share_test_job_id(root):
    """disks/networkshare/test.cgi (errors already raised) -> the started job's id, or None."""
    started = _xml.find_named(root, "TestSuccess")
    return _xml.attr(started, "JobId") if started is not None else None


# -- storage limits -------------------------------------------------------------------

def parse_storage_limits(root):
    """record/storage/getlimit.cgi -> {disk_id: {'size_kb', 'used_kb'}}; size 0 means no limit."""
    limits = {}
    for element in _xml.iter_named(root, "StorageLimit"):
        disk_id = _xml.attr(element, "diskid")
        if not disk_id:
            continue
        limits[disk_id] = {
            "size_kb": to_int(_xml.attr(element, "size")),
            # Documented as usedsize in the table, usedspace in every example.
            "used_kb": to_int(_xml.attr(element, "usedspace", "usedsize")),
        }
    return limits


# -- continuous recording profiles ---------------------------------------------------

def parse_continuous_profiles(root):
    """record/continuous/listconfiguration.cgi -> [profile] in profile-number order."""
    profiles = []
    for element in _xml.iter_named(root, "continuousrecordingconfiguration"):
        profiles.append({
            "profile": to_int(_xml.attr(element, "profile")),
            "disk_id": _xml.attr(element, "diskid"),
            "options": _xml.attr(element, "options", default=""),
            "event_id": _xml.attr(element, "eventid", default="continuous"),
        })
    profiles.sort(key=lambda p: (p["profile"] is None, p["profile"]))
    return profiles


def parse_added_profile(root):
    configure = _xml.find_named(root, "configure")
    return to_int(_xml.attr(configure, "profile")) if configure is not None else None


# -- recording groups -------------------------------------------------------------------

def parse_recording_groups(root):
    """record/recording_group/list.cgi -> {group_id: group}."""
    groups = {}
    for element in _xml.iter_named(root, "RecordingGroup"):
        group_id = _xml.attr(element, "RecordingGroupId")
        if not group_id:
            continue
        groups[group_id] = {
            "group_id": group_id,
            "nice_name": _xml.attr(element, "NiceName", default=""),
            "description": _xml.attr(element, "Description", default=""),
            "retention_hours": to_int(_xml.attr(element, "RetentionTime")),
            "disk_id": _xml.attr(element, "DiskId", "DiskID"),
            "stream_options": _xml.attr(element, "StreamOptions", default=""),
            "pre_duration_ms": to_int(_xml.attr(element, "PreDuration")),
            "post_duration_ms": to_int(_xml.attr(element, "PostDuration")),
        }
    return groups


def parse_schema_versions(root):
    """schemaversions.cgi of any family -> [(major, minor, deprecated)]."""
    versions = []
    for element in _xml.iter_named(root, "SchemaVersion"):
        number = _xml.child_text(element, "VersionNumber")
        if not number:
            continue
        major, _sep, minor = number.partition(".")
        versions.append((to_int(major), to_int(minor) or 0, bool(to_bool(_xml.child_text(element, "Deprecated")))))
    return versions


# -- recordings ----------------------------------------------------------------------------

def parse_recording_list(root):
    """record/list.cgi (listentity=recording) -> (matched, [recording]).

    Required: the ``recordings`` element with ``numberofrecordings`` (the number
    that matched before paging) and, on each recording, ``recordingid``, ``diskid``
    and ``starttime``; an answer without them is damaged, never "no recordings".
    ``stoptime`` is empty while a recording runs (``stop`` None); ``recordingstatus``
    is ``recording``, ``completed`` or ``unknown`` (None when the camera leaves it out).
    """
    container = _xml.find_named(root, "recordings")
    if container is None:
        raise ValueError("no <recordings> element")
    matched = to_int(_xml.attr(container, "numberofrecordings"))
    if matched is None:
        raise ValueError("<recordings> has no numberofrecordings")
    recordings = []
    for element in _xml.iter_named(container, "recording"):
        a = _xml.attrs(element)
        missing = [name for name in ("recordingid", "diskid", "starttime") if not a.get(name)]
        if missing:
            raise ValueError("a <recording> lacks %s" % ", ".join(missing))
        recordings.append({
            "recording_id": a["recordingid"],
            "disk_id": a["diskid"],
            "event_id": a.get("eventid", ""),
            "type": _none_if_empty(a.get("recordingtype")),
            "start": a["starttime"],
            "stop": _none_if_empty(a.get("stoptime")),
            "status": _none_if_empty((a.get("recordingstatus") or "").lower()),
        })
    return matched, recordings


def parse_remove_results(root):
    """record/remove.cgi -> [(recording id, None when removed, else the camera's error text)], one per
    ``remove`` element, in the camera's order."""
    results = []
    for element in _xml.iter_named(root, "remove"):
        a = _xml.attrs(element)
        ok = (a.get("result") or "").upper() == "OK"
        results.append((a.get("recordingid") or "", None if ok else (a.get("errormsg") or "removal failed")))
    return results


# -- recording export -----------------------------------------------------------------------

def parse_export_capabilities(root):
    """record/export/capabilities.cgi -> {export format: [encryption formats offered with it]}."""
    formats = {}
    for element in _xml.iter_named(root, "ExportCapabilities"):
        name = _xml.attr(element, "ExportFormat")
        if not name:
            continue
        formats[name] = [_xml.attr(child, "EncryptionFormat") for child in _xml.iter_named(element, "ExportEncryption")
                         if _xml.attr(child, "EncryptionFormat")]
    return formats


def parse_export_properties(root):
    """record/export/properties.cgi -> {recording_id, format, encryption, estimated_kb, start, stop};
    estimated_kb is None where the camera cannot estimate (it answers -1)."""
    element = _xml.find_named(root, "ExportProperties")
    if element is None:
        raise ValueError("no <ExportProperties> element")
    estimate = to_int(_xml.attr(element, "EstimatedFileSize"))
    return {
        "recording_id": _xml.attr(element, "RecordingId"),
        "format": _xml.attr(element, "ExportFormat"),
        "encryption": _none_if_empty(_xml.attr(element, "EncryptionFormat")),
        "estimated_kb": estimate if estimate is not None and estimate >= 0 else None,
        "start": _xml.attr(element, "Starttime"),
        "stop": _xml.attr(element, "Stoptime"),
    }
