# -*- coding: utf-8 -*-
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A camera as the resources see it: each API family read at most once per run.

Reads are cached per family (and per disk where the CGI takes one) until a
write to that family invalidates them, so a whole-camera converge asks each
family once, and a re-read after writing asks again only what changed.
Every device call the resources make goes through here; nothing else builds a
CGI path.
"""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.module_utils import _parsers
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    DISK_MANAGEMENT,
    DISK_PROPERTIES,
    EXPORT,
    NETWORK_SHARE,
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

# disks/properties/get|setdiskalertlevels.cgi came with version 1.1 of the disk-properties API.
ALERT_LEVELS_API = (1, 1)

# The parameter groups a run may need, read together (with STORAGE_GROUP) in one param.cgi request.
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


class Device(object):
    """Cached, normalised reads and the write calls of one camera."""

    def __init__(self, client, progress=None):
        self.client = client
        self._cache = {}
        self._progress = progress
        self._identity = {"model": None, "firmware": None}

    def report_progress(self, what, percent):
        """Tell the person running the task how far a long job is (None: nobody listens)."""
        if self._progress is not None:
            self._progress(what, percent)

    # -- cache -------------------------------------------------------------------

    def _cached(self, key, read):
        if key not in self._cache:
            self._cache[key] = read()
        return self._cache[key]

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

    def _parsed(self, path, args, api, parse, write=False, envelope=True):
        """Ask an XML CGI and parse its answer; an answer the parser cannot trust is a damaged_answer
        error naming the API family and CGI (envelope=False: see VapixClient.xml)."""
        root = self.client.xml(path, args, write=write, api=api, envelope=envelope)
        try:
            return parse(root)
        except _parsers.AnswerError as exc:
            raise damaged_answer(api, self.client.describe(path, args), str(exc), write=write)

    # -- discovery and properties ---------------------------------------------------

    def _read_parameters(self):
        """The property groups and the Storage group, whichever is not cached, in one param.cgi request.

        A run needs both (features and firmware; disk settings), so the first
        read asks for both at once; after a write invalidates one of them,
        only that one is asked again.
        """
        missing = [key for key in ("properties", "storage_params") if key not in self._cache]
        if not missing:
            return
        groups = list(PROPERTY_GROUPS) if "properties" in missing else []
        if "storage_params" in missing:
            groups.append(STORAGE_GROUP)
        values = self.client.param_list(groups)
        if "properties" in missing:
            properties = dict((name, value) for name, value in values.items()
                              if not name.startswith(STORAGE_GROUP + "."))
            self._cache["properties"] = properties
            self._identity = {"model": properties.get("Brand.ProdShortName") or properties.get("Brand.ProdNbr"),
                              "firmware": properties.get("Properties.Firmware.Version")}
        if "storage_params" in missing:
            self._cache["storage_params"] = _parsers.parse_storage_params(values)

    def properties(self):
        """Properties.LocalStorage/NetworkShare/Firmware and Brand (read with Storage, in one request)."""
        self._read_parameters()
        return self._cache["properties"]

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
        return _parsers.to_int(self.local_storage_properties().get("NbrOfContinuousRecordingProfiles")) or 0

    # -- disks -----------------------------------------------------------------------

    def disks(self):
        return self._cached("disks", lambda: self._parsed(
            "disks/list.cgi", [("diskid", "all")], DISK_MANAGEMENT, _parsers.parse_disk_list))

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
        self._read_parameters()
        return self._cache["storage_params"]

    def capabilities(self, disk_id):
        return self._cached(("capabilities", disk_id), lambda: self._parsed(
            "disks/getcapabilities.cgi", [("diskid", disk_id)], DISK_MANAGEMENT, _parsers.parse_capabilities))

    def health(self):
        return self._cached("health", lambda: self._parsed("disks/gethealth.cgi", None, "health",
                                                           _parsers.parse_health))

    def supports_alert_levels(self):
        """True when apidiscovery lists the disk-properties API at a version with alert levels."""
        version = self.api_version(DISK_PROPERTIES)
        return version is not None and version >= ALERT_LEVELS_API

    def alert_levels(self, disk_id):
        return self._cached(("alert_levels", disk_id), lambda: self._parsed(
            "disks/properties/getdiskalertlevels.cgi", [("schemaversion", SCHEMA), ("diskid", disk_id)],
            DISK_PROPERTIES, _parsers.parse_alert_levels))

    def start_disk_job(self, cgi, args, write=True):
        """Start a format/checkdisk/repair/mount job; return its job id (a check is not a write).

        A disk busy with another job (another run's, or a person's) is a
        ConcurrentChangeError naming both jobs.
        """
        self.invalidate("disks", "storage_params", "limits", "profiles")
        try:
            return self._parsed("disks/%s" % cgi, args, DISK_MANAGEMENT, _parsers.parse_job, write=write)["job_id"]
        except VapixError as exc:
            if exc.error_class != "device" or "busy" not in (exc.description or "").lower():
                raise
            named = dict(args)
            raise ConcurrentChangeError(
                "cannot start the %s job on disk %s: the camera says '%s'; another run or a person started a job "
                "on this disk; wait until it ends (disks/job.cgi) and run the task again"
                % (" ".join(filter(None, (named.get("action"), cgi[:-len(".cgi")]))), named.get("diskid"),
                   exc.description))

    def disk_job(self, disk_id, job_id, raise_error=True):
        """job.cgi for one job; raise_error=False returns an ERROR answer (a check's findings) as it is."""
        return self._parsed("disks/job.cgi", [("jobid", job_id), ("diskid", disk_id)], DISK_MANAGEMENT,
                            _parsers.parse_job_progress, envelope=raise_error)

    def lock_disk(self, disk_id, locked):
        self.invalidate("disks", "storage_params")
        self.client.xml("disks/lock.cgi", [("action", "lock" if locked else "unlock"), ("diskid", disk_id)],
                        write=True, api=DISK_MANAGEMENT)

    def disk_property(self, cgi, disk_id, args=()):
        """Call a disks/properties CGI that answers GeneralSuccess."""
        self.invalidate("disks", "storage_params", "capabilities", "alert_levels")
        self.client.xml("disks/properties/%s" % cgi,
                        [("schemaversion", SCHEMA), ("diskid", disk_id)] + list(args),
                        write=True, api=DISK_PROPERTIES)

    def recording_params(self):
        """param.cgi Recording group: {'Recording.DefaultDiskId': ..., ...} (empty where the firmware lacks it)."""
        return self._cached("recording_params", lambda: self.client.param_list(["Recording"]))

    def update_params(self, values):
        """param.cgi update; invalidates whatever the parameters feed."""
        self.invalidate("disks", "storage_params", "properties", "shares", "recording_params")
        self.client.param_update(values)

    # -- network shares ------------------------------------------------------------------

    def shares(self):
        return self._cached("shares", lambda: self._parsed(
            "disks/networkshare/list.cgi", [("schemaversion", SCHEMA), ("shareid", "all")], NETWORK_SHARE,
            _parsers.parse_share_list))

    def share_call(self, cgi, args, write=True, parse=None):
        """Call a disks/networkshare CGI; return the root, or what parse makes of it."""
        if write:
            self.invalidate("shares", "disks", "storage_params", "limits")
        path = "disks/networkshare/%s" % cgi
        args = [("schemaversion", SCHEMA)] + list(args)
        if parse is not None:
            return self._parsed(path, args, NETWORK_SHARE, parse, write=write)
        return self.client.xml(path, args, write=write, api=NETWORK_SHARE)

    # -- storage limits ------------------------------------------------------------------

    def storage_limits(self):
        self.require("storage_limit", "recording storage limit")
        return self._cached("limits", lambda: self._parsed(
            "record/storage/getlimit.cgi", [("schemaversion", SCHEMA)], STORAGE_LIMIT, _parsers.parse_storage_limits))

    def storage_limit(self, disk_id):
        """getlimit.cgi for one disk: {'size_kb', 'used_kb'}; the device answers code 110 for an unknown disk."""
        self.require("storage_limit", "recording storage limit")
        return self._cached(("limits", disk_id), lambda: self._parsed(
            "record/storage/getlimit.cgi", [("schemaversion", SCHEMA), ("diskid", disk_id)], STORAGE_LIMIT,
            _parsers.parse_storage_limits).get(disk_id))

    def set_storage_limit(self, disk_id, size_kb):
        self.invalidate("limits")
        self.client.xml("record/storage/setlimit.cgi",
                        [("schemaversion", SCHEMA), ("diskid", disk_id), ("size", size_kb)],
                        write=True, api=STORAGE_LIMIT)

    # -- continuous recording profiles ------------------------------------------------------

    def continuous_profiles(self):
        self.require("continuous_recording", "continuous recording profiles")
        return self._cached("profiles", lambda: self._parsed(
            "record/continuous/listconfiguration.cgi", None, RECORDING, _parsers.parse_continuous_profiles))

    def add_continuous_profile(self, disk_id, options, event_id):
        self.invalidate("profiles")
        root = self.client.xml("record/continuous/addconfiguration.cgi",
                               [("diskid", disk_id), ("options", options), ("eventid", event_id)],
                               write=True, api=RECORDING)
        return _parsers.parse_added_profile(root)

    def remove_continuous_profile(self, profile):
        self.invalidate("profiles")
        self.client.xml("record/continuous/removeconfiguration.cgi", [("profile", profile)],
                        write=True, api=RECORDING)

    # -- recordings --------------------------------------------------------------------------------

    def recordings_page(self, filters, first, count):
        """One page of record/list.cgi, oldest first: (matched, [recording]); filters is a list of
        (argument, value) pairs (diskid, eventid, starttime, stoptime or recordingid)."""
        args = list(filters) + [("sortorder", "ascending"), ("startatresultnumber", first),
                                ("maxnumberofresults", count)]
        return self._parsed("record/list.cgi", args, RECORDING, _parsers.parse_recording_list)

    def remove_recordings(self, recording_ids):
        """record/remove.cgi for these ids: [(id, None or the camera's error text)], one per recording
        the camera answers for (its answer carries result="ERROR" per recording it kept)."""
        return self._parsed("record/remove.cgi", [("recordingid", ",".join(recording_ids))], RECORDING,
                            _parsers.parse_remove_results, write=True, envelope=False)

    # -- recording export ------------------------------------------------------------------------

    def export_schema_versions(self):
        """[(major, minor, deprecated)] of record/export/schemaversions.cgi."""
        return self._cached("export_schemas", lambda: self._parsed(
            "record/export/schemaversions.cgi", [], EXPORT, _parsers.parse_schema_versions))

    def export_capabilities(self):
        """{export format: [encryption formats]} of record/export/capabilities.cgi."""
        return self._cached("export_capabilities", lambda: self._parsed(
            "record/export/capabilities.cgi", [("schemaversion", SCHEMA)], EXPORT, _parsers.parse_export_capabilities))

    def export_properties(self, recording_id, disk_id, export_format, encryption=None):
        return self._parsed("record/export/properties.cgi",
                            [("schemaversion", SCHEMA), ("recordingid", recording_id), ("diskid", disk_id),
                             ("exportformat", export_format), ("encryptionformat", encryption)], EXPORT,
                            _parsers.parse_export_properties)

    def export_recording(self, recording_id, disk_id, export_format, out, password=None, encryption=None):
        """Stream one recording, as the camera exports it, into the open binary file out; return its size."""
        return self.client.download(
            "record/export/exportrecording.cgi",
            [("schemaversion", SCHEMA), ("recordingid", recording_id), ("diskid", disk_id),
             ("exportformat", export_format), ("password", password), ("encryptionformat", encryption)], out,
            api=EXPORT)

    # -- recording groups -----------------------------------------------------------------------

    def recording_groups(self):
        return self._cached("groups", self._read_recording_groups)

    def _read_recording_groups(self):
        try:
            return self._parsed("record/recording_group/list.cgi", [("schemaversion", SCHEMA)], RECORDING_GROUP,
                                _parsers.parse_recording_groups)
        except UnsupportedError:
            raise UnsupportedError("recording groups", "the camera has no recording group API "
                                   "(record/recording_group/list.cgi answers 404)")

    def recording_group_call(self, cgi, args):
        self.invalidate("groups")
        return self.client.xml("record/recording_group/%s" % cgi, [("schemaversion", SCHEMA)] + list(args),
                               write=True, api=RECORDING_GROUP)
