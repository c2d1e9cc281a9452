# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One disk's settings, file system and mount state (``axis_disk``).

Reading: disks/list.cgi and param.cgi ``Storage`` (both cached by Device) give
every setting; getcapabilities.cgi and getdiskalertlevels.cgi are asked only
when a declared field needs them.

Writing, and which way each field goes:

- ``cleanup_max_age``, ``cleanup_policy``: param.cgi ``Storage.S#.CleanupMaxAge``
  and ``CleanupPolicyActive``, with the other settings below in one request, as
  the vendor's own workflow for a network share sets them (the disks/properties
  CGIs setcleanupmaxage.cgi and setcleanuppolicy.cgi write the same parameters,
  one request each).
- ``required_filesystem``: disks/properties/setrequiredfs.cgi when apidiscovery
  lists ``disk-properties`` (any version), else param.cgi
  ``Storage.S#.RequiredFileSystem`` when the firmware has that key.
- ``alert_levels``: only disks/properties/set/getdiskalertlevels.cgi
  (``disk-properties`` 1.1 or later; the documented answer is schema 1.1).
- ``locked``: disks/lock.cgi. ``state``: disks/mount.cgi, job polled.
  ``filesystem``: disks/format.cgi, job polled (destructive; planned only when
  list.cgi and param.cgi agree on the file system the disk holds now); with
  ``wipe`` also when the disk holds that file system already.
- everything else: param.cgi ``Storage.S#.<Key>``, all in one request, where
  ``S#`` is the disk's group from param.cgi (its DiskID) or from list.cgi.

Firmware without apidiscovery (5.x) gets param.cgi for every setting.

Order of the steps: unlock -> format -> settings -> lock -> mount/unmount.
A locked disk cannot be formatted, so an unlock comes first and a lock after
the format; settings come before the mount because mount point permissions,
extra mount options and the required file system take effect when the disk
is mounted.
"""

from __future__ import annotations

import re

from ansible_collections.vapix.edge_storage.plugins.module_utils._device import cgi_name
from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import OneDiskResource, Step
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    DISK_MANAGEMENT,
    DISK_PROPERTIES,
    UnsupportedError,
    ValidationError,
    VapixError,
    bad_job_timeout,
    damaged_answer,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._jobs import start_refused, wait_disk_job
from ansible_collections.vapix.edge_storage.plugins.module_utils._options import (
    check_free_text,
    disk_id_option,
    job_timeout_option,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._parsers import (
    DISCONNECTED_STATUS,
    STORAGE_PARAM_OF,
    UNKNOWN_MOUNT_STATUS,
)

ARGUMENT_SPEC = dict(
    disk_id=disk_id_option(required=True),
    friendly_name=dict(type="str"),
    cleanup_policy=dict(type="str", choices=["fifo", "none"]),
    cleanup_max_age=dict(type="int"),
    mount_on_boot=dict(type="bool"),
    auto_repair=dict(type="bool"),
    required_filesystem=dict(type="str", choices=["none", "ext4"]),
    mount_point_permissions=dict(type="raw"),
    extra_mount_options=dict(type="str"),
    enabled=dict(type="bool"),
    locked=dict(type="bool"),
    alert_levels=dict(type="dict", options=dict(
        wear=dict(type="int"),
        temperature=dict(type="int"),
    )),
    state=dict(type="str", choices=["mounted", "unmounted"]),
    filesystem=dict(type="str", choices=["ext4", "vfat", "cifs"]),
    wipe=dict(type="bool", default=False),
    allow_data_loss=dict(type="bool", default=False, aliases=["allow_format"]),
    job_timeout=job_timeout_option(),
)

# The settings, in the order they are written and shown.
SETTINGS = ("friendly_name", "cleanup_policy", "cleanup_max_age", "mount_on_boot", "auto_repair",
            "required_filesystem", "mount_point_permissions", "extra_mount_options", "enabled")
FIELDS = SETTINGS + ("locked", "alert_levels", "filesystem", "state")

# The settings of free text the camera stores as they are sent: the friendly name is read back from
# disks/list.cgi (XML: without the white space around it), the mount options from param.cgi, as they are.
XML_TEXT_OPTIONS = ("friendly_name",)
PARAM_TEXT_OPTIONS = ("extra_mount_options",)

MAX_AGE_DAYS = 7000

# Settings with a disks/properties CGI: field -> (the Device call that sets it, lowest disk-properties version).
DEDICATED_CALLS = {
    "required_filesystem": ("set_required_filesystem", (1, 0)),
}

# Settings disks/list.cgi reports on every firmware; they need no param.cgi key to be supported.
LISTED = ("friendly_name", "cleanup_max_age", "cleanup_policy", "locked", "filesystem")

_PERMISSIONS = re.compile(r"^[0-7]{3,4}$")

# Statuses of an encrypted card (disks/list.cgi, lower-cased) the camera does not mount as it is: the card's
# content is encrypted with another passphrase; or its encryption state needs a format first (encrypted while
# encryption is off, or encryption on and the card never formatted), which the camera makes at the mount only
# when a required file system is set.
WRONG_PASSPHRASE = "wrong passphrase"
NEEDS_FORMAT = ("no passphrase", "not encrypted")


def normalise_permissions(value):
    """'770' or '0770' -> '0770'; None for anything that is not 3 or 4 octal digits."""
    text = str(value).strip()
    if not _PERMISSIONS.match(text):
        return None
    return text if len(text) == 4 else "0" + text


def write_route(field, api_version, storage_keys):
    """How a setting is written on this camera.

    api_version is the disk-properties version from apidiscovery ((major,
    minor) or None), storage_keys the parameters the disk's Storage group
    has. Returns ('call', the Device call that sets it), ('param', key) or
    None when the camera cannot store the field.
    """
    dedicated = DEDICATED_CALLS.get(field)
    if dedicated and api_version is not None and api_version >= dedicated[1]:
        return ("call", dedicated[0])
    key = STORAGE_PARAM_OF[field]
    if key in storage_keys or field in LISTED:
        return ("param", key)
    return None


def _reformats_at_mount(current, wanted):
    """Whether the declared required file system differs from what the disk will hold (the camera formats it)."""
    required = wanted.get("required_filesystem")
    return required not in (None, "none") and required != wanted.get("filesystem", current.get("filesystem"))


def _shown(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "unset"
    if isinstance(value, str):
        return "'%s'" % value
    return str(value)


class DiskResource(OneDiskResource):
    """The settings, file system and mount state of one disk."""

    kind = "disk"
    reads = ("disks", "storage_params")
    plan_reads = ("apidiscovery",)
    # Every disk CGI and Storage.S<n> parameter it writes is this disk's own.
    independent_of_its_kind = True

    def __init__(self, params):
        self.unsupported_fields = set()
        super().__init__(params)

    def validate(self):
        super().validate()
        p = self.params
        check_free_text(p, XML_TEXT_OPTIONS)
        check_free_text(p, PARAM_TEXT_OPTIONS, ends=False)
        age = p.get("cleanup_max_age")
        if age is not None and not 0 <= age <= MAX_AGE_DAYS:
            raise ValidationError("cleanup_max_age must be between 0 and %d days, got %d"
                                  % (MAX_AGE_DAYS, age))
        permissions = p.get("mount_point_permissions")
        if permissions is not None:
            if isinstance(permissions, (bool, list, dict)):
                what = ("the boolean" if isinstance(permissions, bool)
                        else "the list" if isinstance(permissions, list) else "the mapping")
                raise ValidationError("mount_point_permissions must be a quoted octal string such as '0770', got "
                                      "%s %r" % (what, permissions))
            if not isinstance(permissions, str):
                raise ValidationError(
                    "mount_point_permissions must be a quoted octal string such as '0770', got the number %r "
                    "(YAML reads an unquoted 0770 as the number 504): quote the value" % (permissions,))
            if normalise_permissions(permissions) is None:
                raise ValidationError("mount_point_permissions must be 3 or 4 octal digits such as '0770' or "
                                      "'770', got %r" % permissions)
        levels = p.get("alert_levels")
        if levels is not None:
            given = {k: v for k, v in levels.items() if v is not None}
            if not given:
                raise ValidationError("alert_levels needs wear and/or temperature (Kelvin)")
            for name, value in sorted(given.items()):
                if value < 0:
                    raise ValidationError("alert_levels.%s must be 0 or more, got %d" % (name, value))
        if p.get("job_timeout") is not None and p["job_timeout"] <= 0:
            raise bad_job_timeout(p["job_timeout"])
        if p.get("wipe") and not p.get("filesystem"):
            raise ValidationError("wipe: true formats the disk with filesystem: declare the file system too, "
                                  "for example filesystem: ext4")
        if p.get("enabled") is False and p.get("state") == "mounted":
            raise ValidationError("enabled: false and state: mounted contradict each other: a disabled disk "
                                  "cannot be mounted")

    def desired(self):
        """The declared fields, less those left out because the camera lacks them (unsupported: skip)."""
        wanted = {}
        for field in FIELDS:
            value = self.params.get(field)
            if value is None or field in self.unsupported_fields:
                continue
            if field == "mount_point_permissions":
                value = normalise_permissions(value)
            elif field == "alert_levels":
                value = {k: v for k, v in value.items() if v is not None}
            wanted[field] = value
        return wanted

    # -- reading --------------------------------------------------------------------

    def read(self, device):
        disk = device.disk(self.disk_id)
        if disk is None:
            return None
        settings = device.storage_params().get(self.disk_id, {})
        current = {key: value for key, value in settings.items() if key != "group"}
        # What param.cgi says the disk holds, kept beside what list.cgi says: a format needs both to agree.
        current["filesystem_param"] = settings.get("filesystem")
        for field in LISTED + ("required_filesystem",):
            if disk.get(field) is not None:
                current[field] = disk[field]
        if current.get("mount_point_permissions") is not None:
            current["mount_point_permissions"] = (normalise_permissions(current["mount_point_permissions"])
                                                  or current["mount_point_permissions"])
        current["group"] = settings.get("group") or disk.get("group")
        current["status"] = disk["status"]
        # Status failed does not tell whether the disk is mounted: unknown, never "unmounted".
        current["state"] = None if disk["status"] == UNKNOWN_MOUNT_STATUS else disk["state"]
        current["storage_keys"] = sorted(STORAGE_PARAM_OF[key] for key in settings if key in STORAGE_PARAM_OF)
        wanted_levels = self.desired().get("alert_levels")
        if wanted_levels and device.supports_alert_levels():
            levels = device.alert_levels(self.disk_id)
            current["alert_levels"] = {name: levels.get(name) for name in wanted_levels}
        return current

    def compared(self, current):
        """desired(), less a state: unmounted the camera cannot confirm (status failed, which it keeps after the
        unmount: the unmount ended, or was refused as the disk was not mounted)."""
        wanted = self.desired()
        if (current or {}).get("state") is None and wanted.get("state") == "unmounted":
            wanted = dict(wanted, state=None)
        return wanted

    def managed(self, state):
        """The declared fields only (the disk always exists, so no present/absent marker)."""
        if state is None:
            return {}
        return {field: state.get(field) for field in self.desired()}

    @staticmethod
    def _properties_version(device):
        return device.api_version(DISK_PROPERTIES)

    # -- planning ---------------------------------------------------------------------

    def plan(self, device, current):
        if current is None:
            device.require_disk(self.disk_id, "configure %s" % self.identity)
        version = self._properties_version(device)
        routes = self._routes(device, current, self.desired(), version)
        wanted = self.desired()
        formats = "filesystem" in wanted and (wanted["filesystem"] != current.get("filesystem")
                                              or bool(self.params.get("wipe")))
        self._check_device_rules(device, current, wanted, formats)

        self._check_group(device, current, wanted, routes)
        steps = []
        if wanted.get("locked") is False and current.get("locked"):
            steps.append(self._lock_step(False))
        if formats:
            steps.append(self._format_step(current, wanted["filesystem"]))
        steps.extend(self._setting_steps(current, wanted, routes, formats))
        if "alert_levels" in wanted and current.get("alert_levels") != wanted["alert_levels"]:
            steps.append(self._alert_levels_step(current, wanted["alert_levels"]))
        if wanted.get("locked") is True and not current.get("locked"):
            steps.append(self._lock_step(True))
        # A disk in status failed may still be mounted (file system errors): an unmount is tried, not skipped.
        unknown = current.get("status") == UNKNOWN_MOUNT_STATUS and wanted.get("state") == "unmounted"
        if "state" in wanted and (wanted["state"] != current.get("state") or unknown):
            steps.append(self._mount_step(wanted["state"], self._mount_formats(current, wanted, formats), unknown))
        return steps

    def _routes(self, device, current, wanted, version):
        """The write route of each declared setting; UnsupportedError for all the camera lacks at once.

        With unsupported: skip, what the camera lacks is left out of the
        desired state instead, and reported as skipped.
        """
        routes = {}
        missing = {}
        keys = current.get("storage_keys", [])
        for field in SETTINGS:
            if field in wanted:
                routes[field] = write_route(field, version, keys)
                if routes[field] is None:
                    missing[field] = "no Storage.{}.{} parameter".format(
                        current.get("group") or "S#", STORAGE_PARAM_OF[field])
        if "alert_levels" in wanted and not device.supports_alert_levels():
            missing["alert_levels"] = ("needs the disk-properties API 1.1 or later; apidiscovery reports %s"
                                       % ("version %d.%d" % version if version else "no disk-properties API"))
        if not missing:
            return routes
        firmware = device.firmware_version() or "unknown"
        if self.skip_unsupported:
            for field, why in sorted(missing.items()):
                self.unsupported_fields.add(field)
                self.skip(f"{field} of {self.label}", f"{why} (firmware {firmware})")
            return routes
        raise UnsupportedError(
            "{}: {}".format(self.identity, "; ".join("%s (%s)" % item for item in sorted(missing.items()))),
            "firmware %s; leave these options out for this camera" % firmware)

    def _check_group(self, device, current, wanted, routes):
        """A setting written by param.cgi needs the disk's Storage group: unknown (list.cgi without its group,
        param.cgi without a Storage.S#.DiskID naming the disk) is a damaged answer, never a group to write."""
        if current.get("group"):
            return
        fields = [field for field in SETTINGS if field in wanted and current.get(field) != wanted[field]
                  and (routes.get(field) or ("",))[0] == "param"]
        if fields:
            raise damaged_answer(DISK_MANAGEMENT, device.where("disks"),
                                 "%s: disks/list.cgi gives no group for it and no param.cgi Storage.S#.DiskID "
                                 "names it, so the Storage group %s would be written to is unknown"
                                 % (self.identity, " and ".join(fields)))

    def _check_device_rules(self, device, current, wanted, formats):
        """Everything the camera would refuse or that would lose data, before the first write."""
        disconnected = current.get("status") == DISCONNECTED_STATUS
        if disconnected and (formats or wanted.get("state") == "mounted"):
            raise ValidationError(
                "%s is disconnected (no SD card inserted, or no network share bound), so it cannot be %s"
                % (self.identity, "formatted" if formats else "mounted"))
        if formats:
            self._check_format(device, current, wanted)
        if wanted.get("state") == "mounted" and current.get("state") != "mounted":
            self._check_mount(current, wanted, formats)
        required = wanted.get("required_filesystem")
        if required not in (None, "none") and required != current.get("required_filesystem"):
            capabilities = device.capabilities(self.disk_id)
            if required not in capabilities.get("required_filesystems", []):
                raise ValidationError(
                    "%s cannot use %s as required file system; its capabilities allow: %s"
                    % (self.identity, required, ", ".join(capabilities.get("required_filesystems")) or "none"))

    @staticmethod
    def _required_at_mount(current, wanted):
        """The file system the camera enforces when it mounts the disk (the declared one, else the one set), or
        None when it enforces none."""
        required = wanted.get("required_filesystem", current.get("required_filesystem"))
        return None if required in (None, "none") else required

    def _check_mount(self, current, wanted, formats):
        """A mount the camera would refuse, or that would leave another file system than the declared one, is
        refused before the first write (check mode included). A format planned before the mount makes the card
        readable again; without one, a card the camera cannot open is not mounted (status 'wrong passphrase'),
        nor is one whose encryption state needs a format unless the camera formats it as its required file
        system ('no passphrase', 'not encrypted')."""
        status = current.get("status")
        required = self._required_at_mount(current, wanted)
        if not formats and (status == WRONG_PASSPHRASE or (status in NEEDS_FORMAT and required is None)):
            raise ValidationError(
                "%s has status '%s', so the camera cannot mount it: set the card's passphrase with "
                "vapix.edge_storage.axis_encryption, or format it (filesystem with allow_data_loss: true)"
                % (self.identity, status))
        declared = wanted.get("filesystem")
        if declared and required and declared != required and not wanted.get("locked", current.get("locked")):
            raise ValidationError(
                "%s is declared with filesystem %s and mounted, but the camera formats it as its required file system "
                "%s when it mounts it: declare the same file system for both, or required_filesystem: none"
                % (self.identity, declared, required))

    def _mount_formats(self, current, wanted, formats):
        """Why the mount this plan makes has the camera format the disk (its required file system differs from
        what the disk will hold, or its encryption state needs a format), or None. A required file system this
        plan sets, other than what the disk will hold, marks its own step destructive instead (see
        _reformats_at_mount); one the disk holds already still has the camera format a card whose encryption
        state needs a format, at this mount."""
        if wanted.get("state") != "mounted" or wanted.get("locked", current.get("locked")):
            return None
        required = self._required_at_mount(current, wanted)
        if required is None:
            return None
        holds = wanted["filesystem"] if formats else current.get("filesystem")
        if holds != required:
            if "required_filesystem" in wanted and wanted["required_filesystem"] != current.get("required_filesystem"):
                return None  # the step that sets it says so (_reformats_at_mount)
            return ("its required file system is %s and it holds %s: the camera formats it when it mounts it and "
                    "erases every recording on it" % (required, holds))
        if not formats and current.get("status") in NEEDS_FORMAT:
            return ("its status is '%s': the camera formats it as its required file system %s when it mounts it "
                    "and erases every recording on it" % (current.get("status"), required))
        return None

    def _check_format(self, device, current, wanted):
        target = wanted["filesystem"]
        listed, param = current.get("filesystem"), current.get("filesystem_param")
        if param is not None and param != listed:
            raise damaged_answer(DISK_MANAGEMENT, device.where("disks"),
                                 "%s: disks/list.cgi says the disk holds %s but param.cgi Storage.%s.FileSystem says "
                                 "%s; a format is not planned on answers that contradict each other"
                                 % (self.identity, listed, current.get("group") or "S#", param))
        capabilities = device.capabilities(self.disk_id)
        if target not in capabilities.get("filesystems", []):
            raise ValidationError("%s cannot be formatted with %s; its capabilities allow: %s"
                                  % (self.identity, target, ", ".join(capabilities.get("filesystems")) or "none"))
        if current.get("locked") and wanted.get("locked") is not False:
            raise ValidationError(
                "%s is locked, and a locked disk cannot be formatted; declare locked: false to unlock it "
                "before the format" % self.identity)

    # -- steps --------------------------------------------------------------------------

    def _setting_steps(self, current, wanted, routes, formats):
        by_param = []
        steps = []
        for field in SETTINGS:
            if field not in wanted or current.get(field) == wanted[field]:
                continue
            route = routes[field]
            change = f"{field} {_shown(current.get(field))} -> {_shown(wanted[field])}"
            destructive = field == "required_filesystem" and _reformats_at_mount(current, wanted)
            if destructive:
                change += (" (the camera formats the disk, which holds %s, at its next mount and erases every "
                           "recording on it)" % current.get("filesystem"))
            if route[0] == "call":
                steps.append(self._property_step(route[1], wanted[field], change, destructive))
            else:
                by_param.append((route[1], wanted[field], change, destructive))
        if by_param:
            steps.insert(0, self._param_step(current.get("group"), by_param))
        return steps

    def _property_step(self, call, value, change, destructive):
        disk_id = self.disk_id
        return Step(call, f"set {change} of {self.identity} ({cgi_name(call)})",
                    lambda device: getattr(device, call)(disk_id, value), destructive=destructive)

    def _param_step(self, group, changes):
        values = {f"Storage.{group}.{key}": value for key, value, _change, _d in changes}
        description = "set {} of {} (param.cgi Storage.{})".format(
            ", ".join(change for _k, _v, change, _d in changes), self.identity, group)
        return Step("update_params", description, lambda device: device.update_params(values),
                    destructive=any(d for _k, _v, _c, d in changes), params=values)

    def _alert_levels_step(self, current, levels):
        disk_id = self.disk_id
        change = ", ".join("{} {} -> {}".format(name, _shown((current.get("alert_levels") or {}).get(name)), value)
                           for name, value in sorted(levels.items()))
        args = sorted(levels.items())
        return Step("set_alert_levels",
                    "set alert levels {} of {} ({})".format(change, self.identity, cgi_name("set_alert_levels")),
                    lambda device: device.set_alert_levels(disk_id, args))

    def _lock_step(self, locked):
        disk_id = self.disk_id
        return Step("lock_disk", "{} {}".format("lock" if locked else "unlock", self.identity),
                    lambda device: device.lock_disk(disk_id, locked))

    def _format_step(self, current, filesystem):
        disk_id = self.disk_id
        what = "format of %s" % self.identity
        timeout = self.params.get("job_timeout") or 600

        def run(device):
            job_id = device.format_disk(disk_id, filesystem)
            wait_disk_job(device, disk_id, job_id, what, timeout)
        if current.get("filesystem") == filesystem:
            description = "wipe {} (format it with {} again), erasing every recording on it".format(
                self.identity, filesystem)
        else:
            description = "format {} from {} to {}, erasing every recording on it".format(
                self.identity, current.get("filesystem"), filesystem)
        return Step("format_disk", description, run, destructive=True)

    def _mount_step(self, state, formats_why=None, unknown=False):
        """The mount or unmount; formats_why (see _mount_formats) marks a mount the camera formats at. With
        unknown (status failed), an unmount the camera refuses says the disk was not mounted: no failure."""
        disk_id = self.disk_id
        action = "mount" if state == "mounted" else "unmount"
        what = f"{action} of {self.identity}"
        timeout = self.params.get("job_timeout") or 600

        def run(device):
            try:
                job_id = device.mount(disk_id) if action == "mount" else device.unmount(disk_id)
            except VapixError as exc:
                if unknown and start_refused(exc):   # not a start that may have been carried out
                    return
                raise
            wait_disk_job(device, disk_id, job_id, what, timeout)
        description = f"{action} {self.identity}"
        if unknown:
            description += (" (its status failed does not tell whether it is mounted; a refusal means it is not: "
                            "check or repair it with vapix.edge_storage.axis_disk_job)")
        if formats_why:
            description += " (%s)" % formats_why
        return Step(action, description, run, destructive=bool(formats_why))


def build_resources(params):
    return [DiskResource(params)]
