# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A camera as the resources see it: each API family read at most once per run.

:data:`CALLS` is the one table of every CGI the collection calls: its path
under ``/axis-cgi/``, its API family, its HTTP method, whether it writes, the
arguments every request of it starts with, which cached reads a request of it
invalidates, whether it needs an admin account, and for a write whose answer is
not parsed the element its success answer holds (any other answer is damaged).
:class:`Device` has one named method per call (``device.bind_share(share_id, ...)``,
``device.mount(disk_id)``); resources, jobs and reports call those methods and
never name a path. Reads are cached per family (and per disk where the CGI
takes one) until a call whose table entry invalidates them is sent, so a
whole-camera converge asks each family once, and a re-read after writing asks
again only what changed. The families a plan or a verification needs are read
together (:meth:`Device.read_together`): at once, each on a connection of its
own, after one request alone that answers the Digest challenge (the
parameters, which gate the others, when they are needed); writes are always
sent one at a time, in order. The client takes from the table the paths of the
calls it makes itself (the parameter list and update, API discovery), the
access level named in its 401/403 messages, and which requests are writes,
which it refuses to send in check mode.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

from ansible_collections.vapix.edge_storage.plugins.module_utils import _parsers, _xml
from ansible_collections.vapix.edge_storage.plugins.module_utils._jobs import job_may_still_run, still_running
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    API_DISCOVERY,
    DISK_MANAGEMENT,
    DISK_PROPERTIES,
    EXPORT,
    NETWORK_SHARE,
    PARAM,
    RECORDING,
    RECORDING_GROUP,
    STORAGE_LIMIT,
    ConcurrentChangeError,
    UnsupportedError,
    ValidationError,
    VapixError,
    damaged_answer,
)

SCHEMA = 1

# The alert level calls (get and set) came with version 1.1 of the disk-properties API.
ALERT_LEVELS_API = (1, 1)

# The parameter groups a run may need, read together (with STORAGE_GROUP) in one parameter list request.
PROPERTY_GROUPS = ("Properties.LocalStorage", "Properties.NetworkShare", "Properties.Firmware", "Brand")
STORAGE_GROUP = "Storage"

# Features gated on Properties.LocalStorage.<key>=yes.
FEATURE_PROPERTIES = {
    "local_storage": "LocalStorage",
    "sd_card": "SDCard",
    "continuous_recording": "ContinuousRecording",
    "disk_encryption": "DiskEncryption",
    "disk_health": "DiskHealth",
    "storage_limit": "StorageLimit",
    "required_filesystem": "RequiredFileSystem",
    "auto_repair": "AutoRepair",
    "export_recording": "ExportRecording",
    "failover_recording": "FailOverRecording",
}


# The cached families read whole (the keys of Device's cache), by the Device method that reads each:
# what read_together can read at once.
FAMILY_READERS = {
    "properties": "properties",
    "storage_params": "storage_params",
    "recording_params": "recording_params",
    "apidiscovery": "api_list",
    "disks": "disks",
    "health": "health",
    "shares": "shares",
    "limits": "storage_limits",
    "profiles": "continuous_profiles",
    "groups": "recording_groups",
}
# The families read after the properties: with them in one request (storage_params), or behind the
# feature gate they answer (Device.require).
AFTER_PROPERTIES = ("storage_params", "limits", "profiles")
# The families one parameter list request reads, each that is not cached (Device._read_parameters).
PARAMETER_FAMILIES = ("properties", "storage_params")
# By default at most this many reads of one run are in flight to the camera at once (the connection option
# parallel_reads), each on a connection of its own: the six families a whole-camera plan reads after the
# parameters go in two rounds. A connection more would save one answer waited for in a row, for its setup's
# cost on the controller, which bounds a no-op run. More than MAX_READ_THREADS is refused: it stays below
# the 10 connections requests keeps per host, so no connection is opened only to be thrown away.
READ_THREADS = 4
MAX_READ_THREADS = 8


class Call(NamedTuple):
    """One CGI the collection calls (an entry of :data:`CALLS`)."""

    path: str                  # under /axis-cgi/
    api: str                   # API family: names the call in errors, keys the device's error codes
    writes: bool = False       # changes the camera: sent once, never retried, counted, refused in check mode
    invalidates: tuple = ()    # the cached reads (Device cache families) a request of it makes stale
    leading_args: tuple = ()   # the arguments every request of it starts with
    admin: bool = False        # needs an admin account (vendor docs), for the 401/403 messages
    method: str = "GET"
    # The elements one of which the success answer holds (vendor docs), for a call whose answer is not parsed:
    # any other answer, well-formed or not, is a damaged answer, never the write done.
    succeeds: tuple = ()


_SCHEMA = (("schemaversion", SCHEMA),)
# What a disk job, a disk property or a share change can change in what is cached.
_AFTER_DISK_JOB = ("disks", "storage_params", "limits", "profiles")
_AFTER_DISK_PROPERTY = ("disks", "storage_params", "capabilities", "alert_levels")
_AFTER_SHARE_CHANGE = ("shares", "disks", "storage_params", "limits")


_GENERAL_SUCCESS = ("GeneralSuccess",)


def _disk_property(cgi):
    return Call("disks/properties/" + cgi, DISK_PROPERTIES, writes=True, invalidates=_AFTER_DISK_PROPERTY,
                leading_args=_SCHEMA, admin=True, succeeds=_GENERAL_SUCCESS)


def _disk_job(cgi, writes=True, leading_args=(), admin=False):
    return Call("disks/" + cgi, DISK_MANAGEMENT, writes=writes, invalidates=_AFTER_DISK_JOB,
                leading_args=leading_args, admin=admin)


def _share(cgi, writes=False, admin=False, succeeds=()):
    return Call("disks/networkshare/" + cgi, NETWORK_SHARE, writes=writes,
                invalidates=_AFTER_SHARE_CHANGE if writes else (), leading_args=_SCHEMA, admin=admin,
                succeeds=succeeds or (_GENERAL_SUCCESS if writes else ()))


def _group(cgi, writes=True, succeeds=_GENERAL_SUCCESS):
    return Call("record/recording_group/" + cgi, RECORDING_GROUP, writes=writes,
                invalidates=("groups",) if writes else (), leading_args=_SCHEMA, succeeds=succeeds if writes else ())


def _export(cgi, leading_args=_SCHEMA):
    return Call("record/export/" + cgi, EXPORT, leading_args=leading_args)


# What an update of a parameter group makes stale: the Storage group feeds the disk list and the Storage
# parameters, the Recording group the recording defaults; the shares come from a group of their own.
PARAM_GROUP_FEEDS = {"Storage": ("disks", "storage_params"), "Recording": ("recording_params",)}

# Every CGI the collection calls, by the name of the method that sends it: a Device method, or for
# param_list, param_update and api_list the VapixClient method (Device reaches those through it).
# Nothing outside this module names a path.
CALLS = {
    # parameters and discovery
    "param_list": Call("param.cgi", PARAM, leading_args=(("action", "list"),)),
    # The Properties and Brand groups are read-only: an update leaves them as they are.
    "param_update": Call("param.cgi", PARAM, writes=True, leading_args=(("action", "update"),), admin=True,
                         invalidates=("disks", "storage_params", "shares", "recording_params")),
    "api_list": Call("apidiscovery.cgi", API_DISCOVERY, method="POST"),
    # disk management
    "disks": Call("disks/list.cgi", DISK_MANAGEMENT, leading_args=(("diskid", "all"),)),
    "capabilities": Call("disks/getcapabilities.cgi", DISK_MANAGEMENT),
    "health": Call("disks/gethealth.cgi", "health"),
    "format_disk": _disk_job("format.cgi", admin=True),
    "mount": _disk_job("mount.cgi", leading_args=(("action", "mount"),), admin=True),
    "unmount": _disk_job("mount.cgi", leading_args=(("action", "unmount"),), admin=True),
    # A check reads the file system and changes nothing: not a write.
    "check_disk": _disk_job("checkdisk.cgi", writes=False),
    "repair_disk": _disk_job("repair.cgi"),
    "disk_job": Call("disks/job.cgi", DISK_MANAGEMENT),
    "lock_disk": Call("disks/lock.cgi", DISK_MANAGEMENT, writes=True, invalidates=("disks", "storage_params"),
                      admin=True, succeeds=("lock", "unlock")),
    # disk properties
    "alert_levels": Call("disks/properties/getdiskalertlevels.cgi", DISK_PROPERTIES, leading_args=_SCHEMA,
                         admin=True),
    "set_alert_levels": _disk_property("setdiskalertlevels.cgi"),
    "set_required_filesystem": _disk_property("setrequiredfs.cgi"),
    "enable_encryption": _disk_property("enablediskencryption.cgi"),
    "disable_encryption": _disk_property("disablediskencryption.cgi"),
    "change_passphrase": _disk_property("changediskpassphrase.cgi"),
    # network shares
    "shares": Call("disks/networkshare/list.cgi", NETWORK_SHARE, leading_args=_SCHEMA + (("shareid", "all"),)),
    "test_share": _share("test.cgi"),
    "share_job": _share("job.cgi"),
    "add_share": _share("add.cgi", writes=True, admin=True, succeeds=("AddSuccess",)),
    "modify_share": _share("modify.cgi", writes=True, admin=True),
    "remove_share": _share("remove.cgi", writes=True, admin=True),
    "bind_share": _share("bind.cgi", writes=True, succeeds=("BindSuccess",)),
    "unbind_share": _share("unbind.cgi", writes=True),
    # recording storage limit
    "storage_limits": Call("record/storage/getlimit.cgi", STORAGE_LIMIT, leading_args=_SCHEMA),
    "set_storage_limit": Call("record/storage/setlimit.cgi", STORAGE_LIMIT, writes=True, invalidates=("limits",),
                              leading_args=_SCHEMA, succeeds=_GENERAL_SUCCESS),
    # continuous recording profiles
    "continuous_profiles": Call("record/continuous/listconfiguration.cgi", RECORDING),
    "add_continuous_profile": Call("record/continuous/addconfiguration.cgi", RECORDING, writes=True,
                                   invalidates=("profiles",), succeeds=("configure",)),
    "remove_continuous_profile": Call("record/continuous/removeconfiguration.cgi", RECORDING, writes=True,
                                      invalidates=("profiles",), succeeds=("remove",)),
    # recordings
    "recordings_page": Call("record/list.cgi", RECORDING),
    "remove_recordings": Call("record/remove.cgi", RECORDING, writes=True, admin=True),
    # recording export
    "export_schema_versions": _export("schemaversions.cgi", leading_args=()),
    "export_capabilities": _export("capabilities.cgi"),
    "export_properties": _export("properties.cgi"),
    "export_recording": _export("exportrecording.cgi"),
    # recording groups
    "recording_groups": _group("list.cgi", writes=False),
    "create_recording_group": _group("create.cgi", succeeds=("CreateSuccess",)),
    "update_recording_group": _group("update.cgi"),
    "delete_recording_group": _group("delete.cgi"),
}


def cgi_name(name):
    """The CGI file of a call, as step texts and messages name it: 'setrequiredfs.cgi'."""
    return CALLS[name].path.rsplit("/", 1)[-1]


def calls_at(path, write):
    """The names of the table entries a request to path is (one CGI may serve several calls: mount, unmount)."""
    return [name for name, call in CALLS.items() if call.path == path and call.writes == write]


def calls_of(path):
    """The names of the table entries that send requests to path, reads and writes."""
    return [name for name, call in CALLS.items() if call.path == path]


def needs_admin(path, write):
    """Whether the vendor docs say a request to path needs an admin account."""
    return any(CALLS[name].admin for name in calls_at(path, write))


class _FailedRead:
    """A read of read_together that failed: its error, raised when the family is asked for."""

    __slots__ = ("error",)

    def __init__(self, error):
        self.error = error


class Device:
    """Cached, normalised reads and the write calls of one camera, one method per entry of CALLS."""

    def __init__(self, client, progress=None, read_threads=READ_THREADS):
        """read_threads: how many reads read_together sends at once (the connection option parallel_reads);
        with 1 it reads nothing ahead, and each family is read when a resource asks for it, one request after
        the other (the order the unit tests' transcripts state)."""
        self.client = client
        self._cache = {}
        self._progress = progress
        self._identity = {"model": None, "firmware": None}
        self.read_threads = read_threads

    def report_progress(self, what, percent):
        """Tell the person running the task how far a long job is (None: nobody listens)."""
        if self._progress is not None:
            self._progress(what, percent)

    # -- cache -------------------------------------------------------------------

    def _cached(self, key, read):
        if key not in self._cache:
            self._cache[key] = read()
        return self._value(key)

    def _value(self, key):
        """The cached read; a read that failed in read_together raises its error now, where it is needed."""
        value = self._cache[key]
        if isinstance(value, _FailedRead):
            raise value.error
        return value

    def read_together(self, families, at_once=None):
        """Read the families (keys of FAMILY_READERS) that are not cached, at once, at most read_threads at a
        time (at_once, fewer, when the run has another request of its own under way: one after the other with
        1), each on a connection of its own.

        One read goes first, alone: the parameters when they are wanted, or when a family needs them
        (AFTER_PROPERTIES) and they are not cached; else the first family when no request of the run has been
        answered yet. It answers the Digest challenge the others then share; when it fails, nothing else is
        sent. A read that fails is kept as its error: raised when the family is asked for (by the resource
        that needs it, where the run would have read it) and forgotten like a read when a write invalidates
        the family.
        """
        if self.read_threads <= 1:
            return
        wanted = []
        for family in families:
            if family not in self._cache and family not in wanted:
                wanted.append(family)
        if not wanted:
            return
        lead = None
        if "properties" in wanted or ("properties" not in self._cache
                                      and any(family in AFTER_PROPERTIES for family in wanted)):
            lead = "properties"
        elif not self.client.authorised:
            lead = wanted[0]
        if lead is not None:
            self._read_keeping_error(lead)
            if isinstance(self._cache[lead], _FailedRead):
                return   # nothing more is sent to a camera that refuses or fails it (a wrong password goes once)
            wanted = [family for family in wanted if family not in self._cache]
        if not wanted:
            return
        at_once = self.read_threads if at_once is None else min(at_once, self.read_threads)
        if at_once <= 1:
            for family in wanted:
                self._read_keeping_error(family)
            return
        # This thread reads the first family itself, on the connection the run has open; the pool makes a
        # thread (and the client a connection) only for each read more.
        with ThreadPoolExecutor(max_workers=max(1, min(at_once - 1, len(wanted) - 1))) as pool:
            futures = [pool.submit(self._read_keeping_error, family) for family in wanted[1:]]
            self._read_keeping_error(wanted[0])
            for future in futures:
                future.result()

    def _read_keeping_error(self, family):
        try:
            getattr(self, FAMILY_READERS[family])()
        except Exception as exc:  # pylint: disable=broad-except  # kept, raised where the family is needed
            self._cache[family] = _FailedRead(exc)
            if family in PARAMETER_FAMILIES:
                # The request that failed asked for the other family too when it was not cached: its damaged
                # answer is not asked for again.
                for other in PARAMETER_FAMILIES:
                    self._cache.setdefault(other, self._cache[family])

    def invalidate(self, *families):
        """Forget cached reads of these families (all when none named)."""
        if not families:
            self._cache.clear()
            return
        for key in list(self._cache):
            family = key[0] if isinstance(key, tuple) else key
            if family in families:
                del self._cache[key]

    @property
    def write_count(self):
        """Write requests sent to the camera so far in this run."""
        return self.client.write_count

    @property
    def unanswered_writes(self):
        """Write requests that got no answer (the camera may have carried them out)."""
        return self.client.unanswered_writes

    # -- sending: every request of a Device method goes through here --------------------------

    def where(self, name, args=()):
        """A request of the named call as errors show it (secrets masked): 'disks/list.cgi?diskid=all'."""
        call = CALLS[name]
        return self.client.describe(call.path, list(call.leading_args) + list(args))

    def _send(self, name, args=(), envelope=True):
        """Send the named call (its leading arguments first) after forgetting the reads it invalidates;
        return the XML root (envelope=False: see VapixClient.xml)."""
        call = CALLS[name]
        if call.invalidates:
            self.invalidate(*call.invalidates)
        root = self.client.xml(call.path, list(call.leading_args) + list(args), write=call.writes, api=call.api,
                               envelope=envelope)
        if call.succeeds and not any(_xml.find_named(root, element) is not None for element in call.succeeds):
            raise damaged_answer(call.api, self.where(name, args), "the answer holds no <%s> element (its root "
                                 "element is <%s>), which the camera's answer to this request holds when it was "
                                 "carried out" % ("> or <".join(call.succeeds), _xml.local_name(root)),
                                 write=call.writes)
        return root

    def _parsed(self, name, args, parse, envelope=True):
        """Send the named call and parse its answer; an answer the parser cannot trust is a damaged_answer
        error naming the API family and the request."""
        root = self._send(name, args, envelope=envelope)
        try:
            return parse(root)
        except _parsers.AnswerError as exc:
            call = CALLS[name]
            raise damaged_answer(call.api, self.where(name, args), str(exc), write=call.writes)

    # -- discovery and properties ---------------------------------------------------

    def _read_parameters(self, key):
        """The parameters cached under key (properties or storage_params), read when they are not cached, with
        the other when it is not cached either: one parameter list request.

        A run needs both (features and firmware; disk settings), so the first
        read asks for both at once; after a write invalidates one of them,
        only that one is asked again, when it is needed.
        """
        if key in self._cache:
            return self._value(key)
        missing = [name for name in PARAMETER_FAMILIES if name not in self._cache]
        groups = list(PROPERTY_GROUPS) if "properties" in missing else []
        if "storage_params" in missing:
            groups.append(STORAGE_GROUP)
        values = self.client.param_list(groups)
        if "properties" in missing:
            properties = {name: value for name, value in values.items()
                          if not name.startswith(STORAGE_GROUP + ".")}
            self._cache["properties"] = properties
            self._identity = {"model": properties.get("Brand.ProdShortName") or properties.get("Brand.ProdNbr"),
                              "firmware": properties.get("Properties.Firmware.Version")}
        if "storage_params" in missing:
            try:
                self._cache["storage_params"] = _parsers.parse_storage_params(values)
            except _parsers.AnswerError as exc:
                raise damaged_answer(PARAM, self.where("param_list", [("group", ",".join(groups))]), str(exc))
        return self._value(key)

    def properties(self):
        """Properties.LocalStorage/NetworkShare/Firmware and Brand (read with Storage, in one request)."""
        return self._read_parameters("properties")

    def local_storage_properties(self):
        return _parsers.parse_properties(self.properties(), "Properties.LocalStorage")

    def supports(self, feature):
        """True when Properties.LocalStorage says yes to the feature; False on old firmware without the key."""
        key = FEATURE_PROPERTIES[feature]
        return self.local_storage_properties().get(key) is True

    def require(self, feature, what):
        """Raise UnsupportedError unless the camera supports feature."""
        if not self.supports(feature):
            raise UnsupportedError(
                what, "Properties.LocalStorage.%s is not 'yes' on this camera (firmware %s)"
                % (FEATURE_PROPERTIES[feature], self.firmware_version() or "unknown"))

    def supports_network_share(self):
        return _parsers.parse_properties(self.properties(), "Properties.NetworkShare").get("NetworkShare") is True

    def firmware_version(self):
        return self.properties().get("Properties.Firmware.Version")

    def known_identity(self):
        """{'model', 'firmware'} from the properties read in this run (no request of its own)."""
        return dict(self._identity)

    def api_list(self):
        """{api id: version} from apidiscovery, or None on firmware without it."""
        return self._cached("apidiscovery", self.client.api_list)

    def api_version(self, api_id):
        """(major, minor) of an API apidiscovery lists, or None (not listed, or no apidiscovery)."""
        version = (self.api_list() or {}).get(api_id)
        if version is None:
            return None
        major, _sep, minor = str(version).partition(".")
        return (_parsers.to_int(major) or 0, _parsers.to_int(minor) or 0)

    def max_continuous_profiles(self):
        """Properties.LocalStorage.NbrOfContinuousRecordingProfiles; None when the camera does not state it as a
        whole number (unknown, not 0)."""
        return _parsers.to_int(self.local_storage_properties().get("NbrOfContinuousRecordingProfiles"))

    def recording_params(self):
        """The Recording parameter group: {'Recording.DefaultDiskId': ..., ...} (empty where the firmware lacks it)."""
        return self._cached("recording_params", lambda: self.client.param_list(["Recording"]))

    def update_params(self, values):
        """Write parameters ({name: value}) in one request; forgets whatever their groups feed (PARAM_GROUP_FEEDS;
        a group not named there: whatever any parameter may feed)."""
        stale = set()
        for name in values:
            stale.update(PARAM_GROUP_FEEDS.get(name.removeprefix("root.").split(".", 1)[0],
                                               CALLS["param_update"].invalidates))
        self.invalidate(*sorted(stale))
        self.client.param_update(values)

    # -- disks -----------------------------------------------------------------------

    def disks(self):
        return self._cached("disks", lambda: self._parsed("disks", (), _parsers.parse_disk_list))

    def disk(self, disk_id):
        """The listed disk, or None when the camera has no such disk."""
        return self.disks().get(disk_id)

    def require_disk(self, disk_id, purpose):
        """The listed disk; a ValidationError naming the camera's disks when it has none called disk_id."""
        disk = self.disk(disk_id)
        if disk is None:
            raise ValidationError("cannot %s: the camera has no disk '%s'; its disks are: %s"
                                  % (purpose, disk_id, ", ".join(sorted(self.disks())) or "none"))
        return disk

    def storage_params(self):
        """Storage.S# settings by disk id (only the keys this firmware has; read with the properties)."""
        return self._read_parameters("storage_params")

    def capabilities(self, disk_id):
        return self._cached(("capabilities", disk_id), lambda: self._parsed(
            "capabilities", [("diskid", disk_id)], _parsers.parse_capabilities))

    def health(self):
        return self._cached("health", lambda: self._parsed("health", (), _parsers.parse_health))

    def supports_alert_levels(self):
        """True when apidiscovery lists the disk-properties API at a version with alert levels."""
        version = self.api_version(DISK_PROPERTIES)
        return version is not None and version >= ALERT_LEVELS_API

    def alert_levels(self, disk_id):
        return self._cached(("alert_levels", disk_id), lambda: self._parsed(
            "alert_levels", [("diskid", disk_id)], _parsers.parse_alert_levels))

    # Disk jobs: each starts a job and returns its id, to be polled with disk_job.

    def format_disk(self, disk_id, filesystem):
        return self._start_job("format_disk", [("diskid", disk_id), ("filesystem", filesystem)])

    def mount(self, disk_id):
        return self._start_job("mount", [("diskid", disk_id)])

    def unmount(self, disk_id):
        return self._start_job("unmount", [("diskid", disk_id)])

    def check_disk(self, disk_id):
        return self._start_job("check_disk", [("diskid", disk_id)])

    def repair_disk(self, disk_id):
        return self._start_job("repair_disk", [("diskid", disk_id)])

    def _start_job(self, name, args):
        """Start a disk job; return its job id. A start whose answer was lost or damaged says the job may run;
        a disk busy with another job (another run's, a person's, or one whose start lost its answer) is a
        ConcurrentChangeError naming both jobs."""
        named = dict(CALLS[name].leading_args + tuple(args))
        try:
            return self._parsed(name, args, _parsers.parse_job)["job_id"]
        except VapixError as exc:
            if job_may_still_run(exc, started=False):
                # No advice to run the task again: axis_disk_job's rerun would run its job a second time.
                raise still_running(exc, "if the camera started the job, it may still be running, and the camera "
                                         "refuses another job on disk %s until it ends: wait for that (%s)"
                                    % (named.get("diskid"), CALLS["disk_job"].path)) from exc
            if exc.error_class != "device" or "busy" not in (exc.description or "").lower():
                raise
            raise ConcurrentChangeError(
                "cannot start the %s job on disk %s: the camera says '%s'; another run or a person started a job "
                "on this disk, or a run whose request to start one got no answer or a damaged one; wait until it "
                "ends (%s) and run the task again"
                % (" ".join(filter(None, (named.get("action"), cgi_name(name).rsplit(".", 1)[0]))),
                   named.get("diskid"), exc.description, CALLS["disk_job"].path))

    def disk_job(self, disk_id, job_id, raise_error=True):
        """One job's progress; raise_error=False returns an ERROR answer (a check's findings) as it is."""
        return self._parsed("disk_job", [("jobid", job_id), ("diskid", disk_id)], _parsers.parse_job_progress,
                            envelope=raise_error)

    def lock_disk(self, disk_id, locked):
        self._send("lock_disk", [("action", "lock" if locked else "unlock"), ("diskid", disk_id)])

    # Disk properties: each answers GeneralSuccess.

    def set_alert_levels(self, disk_id, levels):
        """levels: [(argument, value)] of the alert levels to set."""
        self._send("set_alert_levels", [("diskid", disk_id)] + list(levels))

    def set_required_filesystem(self, disk_id, filesystem):
        self._send("set_required_filesystem", [("diskid", disk_id), ("filesystem", filesystem)])

    def enable_encryption(self, disk_id, passphrase):
        self._send("enable_encryption", [("diskid", disk_id), ("passphrase", passphrase)])

    def disable_encryption(self, disk_id):
        self._send("disable_encryption", [("diskid", disk_id)])

    def change_passphrase(self, disk_id, new, old):
        self._send("change_passphrase", [("diskid", disk_id), ("newpassphrase", new), ("oldpassphrase", old)])

    # -- network shares ------------------------------------------------------------------

    def shares(self):
        return self._cached("shares", lambda: self._parsed("shares", (), _parsers.parse_share_list))

    def test_share(self, connection):
        """Start a test of a share connection ([(argument, value)]); return the test job's id."""
        return self._parsed("test_share", connection, _parsers.parse_share_test_job_id)

    def share_job(self, job_id):
        """{'done', 'progress'} of a share test job (an error the job ends in raises)."""
        return self._parsed("share_job", [("jobid", job_id)], _parsers.parse_share_job)

    def add_share(self, share):
        """share: [(argument, value)], share id and nice name first."""
        self._send("add_share", share)

    def modify_share(self, share_id, changes):
        """changes: [(argument, value)] to set on the share."""
        self._send("modify_share", [("shareid", share_id)] + list(changes))

    def remove_share(self, share_id):
        self._send("remove_share", [("shareid", share_id)])

    def bind_share(self, share_id, automatic_mount):
        self._send("bind_share", [("shareid", share_id), ("automaticmount", "yes" if automatic_mount else "no")])

    def unbind_share(self, share_id):
        self._send("unbind_share", [("shareid", share_id)])

    # -- storage limits ------------------------------------------------------------------

    def storage_limits(self):
        self.require("storage_limit", "recording storage limit")
        return self._cached("limits", lambda: self._parsed("storage_limits", (), _parsers.parse_storage_limits))

    def storage_limit(self, disk_id):
        """The limit of one disk: {'size_kb', 'used_kb'}; the device answers code 110 for an unknown disk."""
        self.require("storage_limit", "recording storage limit")
        return self._cached(("limits", disk_id), lambda: self._parsed(
            "storage_limits", [("diskid", disk_id)], _parsers.parse_storage_limits).get(disk_id))

    def set_storage_limit(self, disk_id, size_kb):
        self._send("set_storage_limit", [("diskid", disk_id), ("size", size_kb)])

    # -- continuous recording profiles ------------------------------------------------------

    def continuous_profiles(self):
        self.require("continuous_recording", "continuous recording profiles")
        return self._cached("profiles", lambda: self._parsed("continuous_profiles", (),
                                                             _parsers.parse_continuous_profiles))

    def add_continuous_profile(self, disk_id, options, event_id):
        """Add a profile; return its number."""
        root = self._send("add_continuous_profile", [("diskid", disk_id), ("options", options),
                                                     ("eventid", event_id)])
        return _parsers.parse_added_profile(root)

    def remove_continuous_profile(self, profile):
        self._send("remove_continuous_profile", [("profile", profile)])

    # -- recordings --------------------------------------------------------------------------------

    def recordings_page(self, filters, first, count):
        """One page of the recording list, oldest first: (matched, [recording]); filters is a list of
        (argument, value) pairs (diskid, eventid, starttime, stoptime or recordingid)."""
        args = list(filters) + [("sortorder", "ascending"), ("startatresultnumber", first),
                                ("maxnumberofresults", count)]
        return self._parsed("recordings_page", args, _parsers.parse_recording_list)

    def remove_recordings(self, recording_ids, disk_id=None):
        """Remove these recordings (from disk_id: a recording id is unique on its disk only): [(id, None or the
        camera's error text)], one per recording the camera answers for (its answer carries result="ERROR" per
        recording it kept). remove.cgi takes diskid with recordingid (only beforetime, eventid and source are
        refused with it)."""
        return self._parsed("remove_recordings", [("recordingid", ",".join(recording_ids)), ("diskid", disk_id)],
                            _parsers.parse_remove_results, envelope=False)

    # -- recording export ------------------------------------------------------------------------

    def export_schema_versions(self):
        """[(major, minor, deprecated)] of the export API."""
        return self._cached("export_schemas", lambda: self._parsed("export_schema_versions", (),
                                                                   _parsers.parse_schema_versions))

    def export_capabilities(self):
        """{export format: [encryption formats]} the camera offers."""
        return self._cached("export_capabilities", lambda: self._parsed("export_capabilities", (),
                                                                        _parsers.parse_export_capabilities))

    def export_properties(self, recording_id, disk_id, export_format, encryption=None):
        return self._parsed("export_properties",
                            [("recordingid", recording_id), ("diskid", disk_id), ("exportformat", export_format),
                             ("encryptionformat", encryption)], _parsers.parse_export_properties)

    def export_recording(self, recording_id, disk_id, export_format, out, password=None, encryption=None):
        """Stream one recording, as the camera exports it, into the open binary file out; return its size."""
        call = CALLS["export_recording"]
        return self.client.download(
            call.path, list(call.leading_args) + [
                ("recordingid", recording_id), ("diskid", disk_id), ("exportformat", export_format),
                ("password", password), ("encryptionformat", encryption)], out, api=call.api)

    # -- recording groups -----------------------------------------------------------------------

    def recording_groups(self):
        return self._cached("groups", self._read_recording_groups)

    def _read_recording_groups(self):
        try:
            return self._parsed("recording_groups", (), _parsers.parse_recording_groups)
        except UnsupportedError:
            raise UnsupportedError("recording groups", "the camera has no recording group API "
                                   "(%s answers 404)" % CALLS["recording_groups"].path)

    def create_recording_group(self, group):
        """group: [(argument, value)], the group id first."""
        self._send("create_recording_group", group)

    def update_recording_group(self, group_id, changes):
        self._send("update_recording_group", [("recordinggroupid", group_id)] + list(changes))

    def delete_recording_group(self, group_id):
        self._send("delete_recording_group", [("recordinggroupid", group_id)])
