# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn each VAPIX answer into our normalised vocabulary.

Pure functions from a parsed XML root (or a param dict) to plain dicts with
snake_case keys, Python booleans and integers. The device's spellings
(yes/no and true/false, ``encryptionenabled`` and ``diskencryptionenabled``,
attribute case, stray whitespace) are settled here and nowhere else.

The vocabulary is the modules' own: a field a module takes as an option has
that option's name and form here (a share's ``name`` and ``share_username``,
a disk's ``state``, stream options in their canonical form), so what
``axis_storage_info`` returns can be given back to the modules, and the
resources use the parsed objects as they are. Disk statuses are lower case;
``mounted`` (status ``ok``) is defined here once.

Strict about what matters: each parser names the element that holds the
answer (an answer without it, e.g. another API's root, is an
:class:`AnswerError`, never "no items"), and the attributes it requires (a
missing, empty or unreadable required attribute is an :class:`AnswerError`;
one that may be empty, a profile's ``options``, only has to be there).
Optional attributes are None when absent: unknown, which no caller may read
as "false". What is required follows the firmware: the encryption attributes
of ``disks/list.cgi`` exist only where ``Properties.LocalStorage.DiskEncryption``
is yes (5.51 has none), so the parser requires them as a pair and the
encryption resource requires the pair where the camera has the feature.
"""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.module_utils import _stream_options, _xml

# The disks/list.cgi status of a mounted disk, lower-cased. parse_disk_list reads every other status as not
# mounted; for UNKNOWN_MOUNT_STATUS its readers that must not guess (axis_disk's state, axis_storage_info, the
# retention, axis_disk_job) take the mount state as unknown.
MOUNTED_STATUS = "ok"
# The status that does not tell whether the disk is mounted: a problem was found, on a mounted disk (file system
# errors) or at a mount that failed. An unmount is the only way to know; the camera refuses one of a disk that
# is not mounted.
UNKNOWN_MOUNT_STATUS = "failed"
# The status of a disk whose storage is not attached: no SD card inserted, no share bound to NetworkShare.
DISCONNECTED_STATUS = "disconnected"
# Every status disks/list.cgi documents, lower-cased. Another one is a damaged answer: read as "not
# mounted" it would plan a mount, or a job on a disk that may be mounted, on a state nobody knows.
DISK_STATUSES = frozenset((MOUNTED_STATUS, "connected", DISCONNECTED_STATUS, UNKNOWN_MOUNT_STATUS, "not encrypted", "no passphrase",
                           "wrong passphrase"))

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


class AnswerError(ValueError):
    """A well-formed answer that is not what the API answers: no element holding the answer,
    or a required attribute missing or unreadable. The device layer names the API and CGI."""


def _holder(root, name):
    """The element that holds the answer; AnswerError naming the root when there is none."""
    found = _xml.find_named(root, name)
    if found is None:
        raise AnswerError(f"the answer has no <{name}> element (its root element is <{_xml.local_name(root)}>)")
    return found


def _present(values, element, *names):
    """(name, value) of the first of names present in values (an element's attributes), the value
    possibly empty; AnswerError when none is."""
    for name in names:
        value = values.get(name.lower())
        if value is not None:
            return name, value
    raise AnswerError("<{}> lacks the required attribute {}{}".format(
        element, " or ".join(names), _which(values)))


def _required(values, element, *names):
    """The first of names present in values, which must not be empty: an empty value tells no more
    than a missing one. An attribute that may be empty is read with :func:`_present`."""
    name, value = _present(values, element, *names)
    if value == "":
        raise AnswerError(f"<{element}> has an empty {name}{_which(values)}")
    return value


def _which(values):
    for key in ("diskid", "shareid", "recordinggroupid", "profile", "jobid"):
        if values.get(key):
            return f" ({key} {values[key]})"
    return ""


def _required_bool(values, element, *names):
    value = _required(values, element, *names)
    converted = to_bool(value)
    if converted is None:
        raise AnswerError("<%s> has %s=%r, which is neither yes/no nor true/false%s"
                          % (element, names[0], value, _which(values)))
    return converted


def _required_int(values, element, *names):
    value = _required(values, element, *names)
    converted = to_int(value)
    if converted is None:
        raise AnswerError(f"<{element}> has {names[0]}={value!r}, which is not a whole number{_which(values)}")
    return converted


def _required_size(values, element, name):
    """A required whole number of kB that is not negative."""
    size = _required_int(values, element, name)
    if size < 0:
        raise AnswerError(f"<{element}> has {name}={size}, and a size is never negative{_which(values)}")
    return size


def _optional_bool(values, element, name):
    """None when absent (unknown); AnswerError for a value that is present but not a boolean."""
    if values.get(name) is None:
        return None
    return _required_bool(values, element, name)


def _optional_count(values, element, name):
    """None when absent (unknown); a whole number that is not negative when present; AnswerError for any other
    value (an empty one too): a damaged count is never taken as unknown, and so as a difference to write."""
    if values.get(name.lower()) is None:
        return None
    number = _required_int(values, element, name)
    if number < 0:
        raise AnswerError(f"<{element}> has {name}={number}, and it is never negative{_which(values)}")
    return number


def _once(found, key, element, name):
    """AnswerError when key is already in found: a camera lists each of its items once, and of two
    entries that may disagree neither can be trusted over the other."""
    if key in found:
        raise AnswerError(f"<{element}> with {name} {key} is listed twice; a camera lists each once")


def _count_agrees(holder, name, found):
    """AnswerError when the holder states a count (attribute name) other than the number of entries found.
    Without the attribute there is nothing to compare."""
    stated = _xml.attr(holder, name)
    if stated is None:
        return
    number = to_int(stated)
    if number is None:
        raise AnswerError(f"<{_xml.local_name(holder)}> has {name}={stated!r}, which is not a whole number")
    if number != len(found):
        raise AnswerError(f"<{_xml.local_name(holder)}> says {name}={number} but lists {len(found)}")


# -- disk management ------------------------------------------------------------

def parse_disk_list(root):
    """disks/list.cgi -> {disk_id: disk}.

    Required: the ``disks`` element; per disk ``diskid``, ``status``, ``filesystem`` (which may be
    empty: None, unknown), ``locked``, ``totalsize``, ``freesize``; the encryption attributes as a pair (both or,
    on firmware without disk encryption, neither: then they are None, unknown). Each disk
    is listed once, and ``numberofdisks``, where the answer states it, is the number listed.
    ``status`` is lower case and one of :data:`DISK_STATUSES`; ``mounted`` is whether it is
    ``ok``, and ``state`` says the same in axis_disk's words (``mounted`` or ``unmounted``).
    The sizes are never negative, and the free size is never above the total.
    """
    disks = {}
    holder = _holder(root, "disks")
    for element in _xml.iter_named(holder, "disk"):
        a = _xml.attrs(element)
        disk_id = _required(a, "disk", "diskid")
        _once(disks, disk_id, "disk", "diskid")
        # Documented as diskencryptionenabled; 9.80 firmware says encryptionenabled.
        encryption_enabled = _optional_bool(a, "disk", "diskencryptionenabled") \
            if a.get("diskencryptionenabled") is not None else _optional_bool(a, "disk", "encryptionenabled")
        encrypted = _optional_bool(a, "disk", "diskencrypted")
        if (encryption_enabled is None) != (encrypted is None):
            raise AnswerError("<disk> (diskid %s) has %s but not %s: the two come together"
                              % (disk_id, *(("encryptionenabled", "diskencrypted") if encrypted is None
                                            else ("diskencrypted", "encryptionenabled"))))
        status = _required(a, "disk", "status").strip().lower()
        if status not in DISK_STATUSES:
            raise AnswerError("<disk> has status=%r, which is none of the documented %s%s"
                              % (a["status"], ", ".join(sorted(DISK_STATUSES)), _which(a)))
        mounted = status == MOUNTED_STATUS
        total_kb, free_kb = _required_size(a, "disk", "totalsize"), _required_size(a, "disk", "freesize")
        if free_kb > total_kb:
            raise AnswerError("<disk> has freesize=%d above totalsize=%d, and a disk never has more free than it "
                              "holds%s" % (free_kb, total_kb, _which(a)))
        disks[disk_id] = {
            "disk_id": disk_id,
            # Absent: unknown (param.cgi Storage.S#.FriendlyName, the same parameter, tells), never "".
            "friendly_name": a.get("name"),
            "total_kb": total_kb,
            "free_kb": free_kb,
            "cleanup_max_age": to_int(a.get("cleanupmaxage")),
            "cleanup_policy": (a.get("cleanuppolicy") or "").lower() or None,
            "locked": _required_bool(a, "disk", "locked"),
            "full": to_bool(a.get("full")),
            "readonly": to_bool(a.get("readonly")),
            # Present, but empty when the camera cannot tell (a card it would have to format): unknown.
            "filesystem": _present(a, "disk", "filesystem")[1].lower() or None,
            "status": status,
            "mounted": mounted,
            "state": "mounted" if mounted else "unmounted",
            "group": a.get("group"),
            "required_filesystem": (a.get("requiredfilesystem") or "").lower() or None,
            "encryption_enabled": encryption_enabled,
            "encrypted": encrypted,
        }
    _count_agrees(holder, "numberofdisks", disks)
    return disks


def parse_capabilities(root):
    """disks/getcapabilities.cgi -> capabilities of one disk.

    Required: the ``disk`` element and its ``diskid``. ``required_fs_supported`` and
    ``encryption_supported`` are None when the answer does not say (unknown).
    """
    disk = _holder(root, "disk")
    values = _xml.attrs(disk)
    filesystems = []
    required_candidates = []
    for element in _xml.iter_named(disk, "filesystem"):
        # A file system without its name, or with a requiredfssupported that is no boolean, is damaged: read as
        # absent or unsupported, it would refuse a valid format or required file system as the disk's own limit.
        fs_values = _xml.attrs(element)
        name = _required(fs_values, "filesystem", "name").lower()
        filesystems.append(name)
        if _optional_bool(fs_values, "filesystem", "requiredfssupported"):
            required_candidates.append(name)
    return {
        "disk_id": _required(values, "disk", "diskid"),
        "required_fs_supported": _optional_bool(values, "disk", "requiredfssupported"),
        "encryption_supported": _optional_bool(values, "disk", "encryptionsupported"),
        "filesystems": filesystems,
        "required_filesystems": required_candidates,
    }


# gethealth.cgi's negative values that do not say the card is not an Axis card: -2 an error occurred, -3 the disk
# is not present. Any other negative wear (-1: not supported for the disk) says it is not one.
HEALTH_UNKNOWN = (-2, -3)


def axis_card(wear):
    """Whether gethealth.cgi's wear says the disk is an Axis SD card (wear 0 or more) or not (negative); None when
    it does not say: no wear reported, an error or no disk present."""
    if wear is None or wear in HEALTH_UNKNOWN:
        return None
    return wear >= 0


def parse_health(root):
    """disks/gethealth.cgi -> {disk_id: {wear, axis_card, temperature_k, overall_health}}; negative values mean
    unknown. Each disk is listed once."""
    health = {}
    for element in _xml.iter_named(_holder(root, "HealthStatusSuccess"), "HealthStatus"):
        values = _xml.attrs(element)
        disk_id = _required(values, "HealthStatus", "diskid")
        _once(health, disk_id, "HealthStatus", "diskid")
        # Absent or empty: the camera does not report it (unknown); else a whole number (negative: it cannot
        # tell), or the answer is damaged, never unknown.
        wear, temperature, overall = (None if values.get(name) in (None, "") else
                                      _required_int(values, "HealthStatus", name)
                                      for name in ("wear", "temperature", "overallhealth"))
        health[disk_id] = {
            "wear": wear,
            "axis_card": axis_card(wear),
            "temperature_k": temperature if temperature is not None and temperature >= 0 else None,
            "overall_health": {0: "fail", 1: "passed"}.get(overall) if overall is not None else None,
        }
    return health


def parse_job(root):
    """disks/*.cgi start-job or job.cgi answers -> {job_id, disk_id, action, progress, result, description}.

    Required: the ``job`` element and its ``jobid``; job.cgi answers also need ``progress``
    and, once the job has ended, ``result`` (see :func:`parse_job_progress`).
    """
    job = _holder(root, "job")
    values = _xml.attrs(job)
    return {
        "job_id": _required(values, "job", "jobid"),
        "disk_id": values.get("diskid"),
        "action": values.get("action"),
        "progress": to_int(values.get("progress")),
        "result": (values.get("result") or "").upper() or None,
        "description": values.get("description"),
    }


# A job.cgi result: OK while the job runs and when it succeeded, ERROR when it failed (a check's
# findings too); the camera answers every poll with one of them.
JOB_RESULTS = ("OK", "ERROR")


def parse_job_progress(root):
    """disks/job.cgi -> the job, whose ``progress`` is required (a poll without it cannot end), and whose
    ``result`` is OK or ERROR: required once the job has ended (progress 100), where it alone tells
    success from failure, and never another word."""
    job = parse_job(root)
    values = _xml.attrs(_holder(root, "job"))
    progress = _required_int(values, "job", "progress")
    result = job["result"]
    if result is None and progress >= 100:
        raise AnswerError(f"<job> has ended (progress {progress}) without a result, so it says neither OK nor "
                          f"ERROR{_which(values)}")
    if result is not None and result not in JOB_RESULTS:
        raise AnswerError(f"<job> has result={values['result']!r}, which is neither OK nor ERROR{_which(values)}")
    return job


def parse_alert_levels(root):
    """disks/properties/getdiskalertlevels.cgi -> {wear, temperature}: the ``AlertLevels`` element with both
    levels, each a whole number of 0 or more; a level missing or unreadable is an AnswerError, never "unset"
    (which would plan a write, and report null for a level the camera has)."""
    values = _xml.attrs(_holder(root, "AlertLevels"))
    levels = {}
    for name in ("Wear", "Temperature"):
        level = _required_int(values, "AlertLevels", name)
        if level < 0:
            raise AnswerError(f"<AlertLevels> has {name}={level}, and an alert level is never negative")
        levels[name.lower()] = level
    return levels


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
STORAGE_PARAM_OF = {ours: key for key, (ours, _conv) in STORAGE_KEYS.items()}


def parse_storage_params(params):
    """{'Storage.S0.DiskID': 'SD_DISK', ...} -> {disk_id: {'group': 'S0', settings...}}.

    A disk is in one group: two groups with the same DiskID are an AnswerError (the group decides
    which parameters a setting is written to)."""
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
        if disk_id in disks:
            raise AnswerError("Storage.%s.DiskID and Storage.%s.DiskID both say %s; a camera keeps each disk in one "
                              "group" % (disks[disk_id]["group"], group, disk_id))
        settings = {"group": group}
        for key, (ours, convert) in STORAGE_KEYS.items():
            if key in keys:
                settings[ours] = convert(keys[key])
                if settings[ours] is None:
                    # A yes/no or a number that is neither is damaged, never unknown (which would plan a write).
                    kind = "yes or no" if convert is to_bool else "a whole number"
                    raise AnswerError(f"Storage.{group}.{key}={keys[key]!r} is not {kind}")
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
    """disks/networkshare/list.cgi -> {share_id: share} in axis_share's words. No password: the device
    never returns one.

    Required: the ``NetworkShares`` element; per share ``ShareId``, ``NiceName`` (our ``name``, which may be
    empty), ``Address`` and ``Share``. ``DiskId`` is absent or empty for a share that is not bound
    (``bound`` false, ``disk_id`` None). ``User`` is ``share_username``: required, empty for a share
    without a user (the API leaves out only ``DiskId``; an answer without ``User`` tells nothing of the user,
    and read as "no user" it had a declared user sent again, unbinding a bound share). Each share is listed
    once, and ``NumberOfShares``, where the answer states it, is the number listed.
    """
    shares = {}
    holder = _holder(root, "NetworkShares")
    for element in _xml.iter_named(holder, "NetworkShare"):
        values = _xml.attrs(element)
        share_id = _required(values, "NetworkShare", "ShareId")
        _once(shares, share_id, "NetworkShare", "ShareId")
        disk_id = _none_if_empty(values.get("diskid"))
        shares[share_id] = {
            # Present, but may be empty: modify.cgi takes an empty nice name (set outside the collection), and a
            # camera holding one is read, so that a task can name the share again.
            "name": _present(values, "NetworkShare", "NiceName")[1],
            "share_id": share_id,
            "address": _required(values, "NetworkShare", "Address"),
            "share": _required(values, "NetworkShare", "Share"),
            "share_username": _present(values, "NetworkShare", "User")[1],
            "bound": disk_id is not None,
            "disk_id": disk_id,
        }
    _count_agrees(holder, "NumberOfShares", shares)
    return shares


def parse_share_job(root):
    """disks/networkshare/job.cgi (errors already raised) -> {'done': bool, 'progress': int}.

    Required: ``JobSuccess`` holding either ``GeneralSuccess`` or ``Progress``.
    """
    job = _holder(root, "JobSuccess")
    if _xml.find_named(job, "GeneralSuccess") is not None:
        return {"done": True, "progress": 100}
    progress = to_int(_xml.child_text(job, "Progress"))
    if progress is None:
        raise AnswerError("<JobSuccess> holds neither <GeneralSuccess> nor a <Progress> number")
    return {"done": False, "progress": progress}


def parse_share_test_job_id(root):
    """disks/networkshare/test.cgi (errors already raised) -> the started job's id."""
    return _required(_xml.attrs(_holder(root, "TestSuccess")), "TestSuccess", "JobId")


# -- storage limits -------------------------------------------------------------------

def parse_storage_limits(root):
    """record/storage/getlimit.cgi -> {disk_id: {'size_kb', 'used_kb'}}; size 0 means no limit.

    Required: the ``GetStorageLimitsResponse`` element; per limit ``diskid`` and ``size``;
    each disk listed once. Sizes are whole numbers of kB, never negative (the used size when given too).
    """
    limits = {}
    for element in _xml.iter_named(_holder(root, "GetStorageLimitsResponse"), "StorageLimit"):
        values = _xml.attrs(element)
        disk_id = _required(values, "StorageLimit", "diskid")
        _once(limits, disk_id, "StorageLimit", "diskid")
        # Documented as usedsize in the table, usedspace in every example; absent or empty is unknown, unreadable
        # or negative is a damaged answer.
        used = "usedspace" if "usedspace" in values else "usedsize"
        limits[disk_id] = {
            "size_kb": _required_size(values, "StorageLimit", "size"),
            "used_kb": _required_size(values, "StorageLimit", used) if values.get(used) not in (None, "") else None,
        }
    return limits


# -- continuous recording profiles ---------------------------------------------------

# The event id of a profile added without one (the camera's default).
DEFAULT_EVENT_ID = "continuous"


def parse_continuous_profiles(root):
    """record/continuous/listconfiguration.cgi -> [profile] in profile-number order.

    Required: the ``continuousrecordingconfigurations`` element; per profile ``profile``,
    ``diskid`` and ``options`` (empty for the default stream; in the canonical form of
    :mod:`._stream_options`); each profile number listed once. ``eventid`` defaults to
    ``continuous``.
    """
    profiles = {}
    for element in _xml.iter_named(_holder(root, "continuousrecordingconfigurations"),
                                   "continuousrecordingconfiguration"):
        values = _xml.attrs(element)
        number = _required_int(values, "continuousrecordingconfiguration", "profile")
        _once(profiles, number, "continuousrecordingconfiguration", "profile")
        profiles[number] = {
            "profile": number,
            "disk_id": _required(values, "continuousrecordingconfiguration", "diskid"),
            "options": _stream_options.from_device(
                _present(values, "continuousrecordingconfiguration", "options")[1]),
            "event_id": values.get("eventid") or DEFAULT_EVENT_ID,
        }
    return [profiles[number] for number in sorted(profiles)]


def parse_added_profile(root):
    configure = _xml.find_named(root, "configure")
    return to_int(_xml.attr(configure, "profile")) if configure is not None else None


# -- recording groups -------------------------------------------------------------------

def parse_recording_groups(root):
    """record/recording_group/list.cgi -> {group_id: group}.

    Required: the ``ListSuccess`` element; per group ``RecordingGroupId`` and ``DiskId``
    (the disk decides whether a change is an update or a delete -> create); each group listed
    once. Stream options
    are in the canonical form of :mod:`._stream_options`. ``NiceName``, ``Description``, ``StreamOptions``,
    ``RetentionTime``, ``PreDuration`` and ``PostDuration`` may be absent (None, unknown, never "" or the
    default stream); a duration present is a whole number that is not negative.
    """
    groups = {}
    for element in _xml.iter_named(_holder(root, "ListSuccess"), "RecordingGroup"):
        values = _xml.attrs(element)
        group_id = _required(values, "RecordingGroup", "RecordingGroupId")
        _once(groups, group_id, "RecordingGroup", "RecordingGroupId")
        groups[group_id] = {
            "group_id": group_id,
            # Absent: unknown (None), never "" (which a task declaring it would update on every run).
            "nice_name": values.get("nicename"),
            "description": values.get("description"),
            "retention_hours": _optional_count(values, "RecordingGroup", "RetentionTime"),
            "disk_id": _required(values, "RecordingGroup", "DiskId", "DiskID"),
            "stream_options": (_stream_options.from_device(values["streamoptions"])
                               if values.get("streamoptions") is not None else None),
            "pre_duration_ms": _optional_count(values, "RecordingGroup", "PreDuration"),
            "post_duration_ms": _optional_count(values, "RecordingGroup", "PostDuration"),
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
    container = _holder(root, "recordings")
    matched = to_int(_required(_xml.attrs(container), "recordings", "numberofrecordings"))
    if matched is None:
        raise AnswerError("<recordings> has a numberofrecordings that is not a whole number")
    recordings = []
    for element in _xml.iter_named(container, "recording"):
        a = _xml.attrs(element)
        recordings.append({
            "recording_id": _required(a, "recording", "recordingid"),
            "disk_id": _required(a, "recording", "diskid"),
            "event_id": a.get("eventid", ""),
            "type": _none_if_empty(a.get("recordingtype")),
            "start": _required(a, "recording", "starttime"),
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
    element = _holder(root, "ExportProperties")
    estimate = to_int(_xml.attr(element, "EstimatedFileSize"))
    return {
        "recording_id": _xml.attr(element, "RecordingId"),
        "format": _xml.attr(element, "ExportFormat"),
        "encryption": _none_if_empty(_xml.attr(element, "EncryptionFormat")),
        "estimated_kb": estimate if estimate is not None and estimate >= 0 else None,
        "start": _xml.attr(element, "Starttime"),
        "stop": _xml.attr(element, "Stoptime"),
    }
