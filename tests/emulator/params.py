"""param.cgi view of the camera model.

The Storage.S#, NetworkShare.N#, Properties.LocalStorage, Recording, Brand and
Properties.Firmware parameters are computed from the model on every request, so they can
never disagree with what the CGIs report; writes go through the same model attributes the
CGIs use.

Access levels follow the parameter tables of the Edge storage API (Storage: operator reads,
admin writes, FriendlyName and MountPointPermissions operator-writable; Recording: viewer
reads, operator writes; Properties and Brand: viewer reads).  CHOICE: NetworkShare.N# and
Network.HTTP are admin-only (not documented), NetworkShare.N# is read-only here (use the
network share CGIs), an update is all-or-nothing (unless the fault refuse_param makes it apply
the other parameters of the request), and a group the user may not read is
answered as if it did not exist.
"""

from .model import LEVELS, ParamError

V, O, A = LEVELS["viewer"], LEVELS["operator"], LEVELS["admin"]


class Entry:
    __slots__ = ("name", "value", "read", "write", "setter")

    def __init__(self, name, value, read, write=None, setter=None):
        self.name = name
        self.value = value
        self.read = read
        self.write = write         # level needed to write, None = read-only
        self.setter = setter       # callable(value) -> error text or None; applies if apply


def _setter(obj, attr, model, parse=None):
    """The setter of obj.attr: parse(value) is the new value (a ValueError makes the value invalid);
    applying a different value marks the model changed."""
    def setter(value, apply):
        try:
            new = parse(value) if parse else value
        except ValueError:
            return "invalid"
        if apply and getattr(obj, attr) != new:
            setattr(obj, attr, new)
            model._mark()
        return None
    return setter


def _yesno(value):
    if value not in ("yes", "no"):
        raise ValueError(value)
    return value == "yes"


def _int_in(low, high):
    def parse(value):
        number = int(value)
        if number < low or number > high:
            raise ValueError(value)
        return number
    return parse


def _one_of(*choices):
    def parse(value):
        if value not in choices:
            raise ValueError(value)
        return value
    return parse


def entries(model):
    """All parameters of the camera, in the order the firmware lists them."""
    prof = model.profile
    out = []
    for key, value in prof["brand"]:
        out.append(Entry("Brand." + key, value, V))
    out.append(Entry("Network.HTTP.AuthenticationPolicy", model.auth_policy, A, A,
                     _setter(model, "auth_policy", model, _one_of("basic", "digest", "basic_digest"))))
    out.append(Entry("Network.HTTP.AuthenticationPolicySet", "yes", A))
    out.append(Entry("Network.HTTP.AuthenticationWithQop", model.auth_with_qop, A, A,
                     _setter(model, "auth_with_qop", model, _one_of("yes", "no"))))
    for i, share in enumerate(model.shares):
        base = "NetworkShare.N%d." % i
        out.append(Entry(base + "Address", share.address, A))
        out.append(Entry(base + "Name", share.nicename, A))
        out.append(Entry(base + "Password", "******" if share.password else "", A))
        out.append(Entry(base + "Port", "0", A))
        out.append(Entry(base + "Share", share.share, A))
        out.append(Entry(base + "ShareId", share.share_id, A))
        out.append(Entry(base + "Username", share.user, A))
    for key, value in prof["api_props"]:
        out.append(Entry("Properties.API." + key, value, V))
    for key, value in prof["firmware"].items():
        out.append(Entry("Properties.Firmware." + key, value, V))
    for key, value in prof["local_storage"]:
        if key == "NbrOfContinuousRecordingProfiles":
            value = str(model.max_profiles)
        out.append(Entry("Properties.LocalStorage." + key, value, V))
    for key, value in prof["networkshare_props"]:
        out.append(Entry("Properties.NetworkShare." + key, value, V))

    if not model.has("local_storage"):
        return sorted(out, key=lambda e: e.name) if prof.get("sorted_params") else out

    def set_default_disk(value, apply):
        if model.disk(value) is None:
            return "invalid"
        if apply and model.default_disk != value:
            model.default_disk = value
            model._mark()
        return None
    out.append(Entry("Recording.DefaultDiskId", model.default_disk, V, O, set_default_disk))
    out.append(Entry("Recording.DefaultSplitDuration", str(model.split_duration), V, O,
                     _setter(model, "split_duration", model, _int_in(1, 86400))))
    out.append(Entry("Storage.MountDir", "/var/spool/storage", O))
    modern = model.has("modern_storage_keys")
    for disk in model.disks:
        out.extend(_storage_group(model, disk, modern))
    if modern:
        # CHOICE: like the 9.80 capture, every added share also has a read-only
        # Storage group (DiskID NetworkShareN<i>) that disks/list.cgi does not show.
        for i, share in enumerate(model.shares):
            base = "Storage.S%d." % (len(model.disks) + i)
            for key, value in (("AutoRepair", "yes"), ("CleanupLevel", "99"),
                               ("CleanupMaxAge", "1"), ("CleanupPolicyActive", "none"),
                               ("DeviceNode", "NetworkShare:/com/axis/NetworkShare/Device/%d" % i),
                               ("DiskID", "NetworkShareN%d" % i), ("Enabled", "yes"),
                               ("ExtraMountOptions", ""), ("FileSystem", "cifs"),
                               ("FriendlyName", "NetworkShareN%d" % i), ("Locked", "no"),
                               ("MountOnBoot", "yes"), ("MountPointPermissions", "0770"),
                               ("RequiredFileSystem", "none")):
                out.append(Entry(base + key, value, O))
    if prof.get("sorted_params"):
        out.sort(key=lambda e: e.name)
    return out


def _storage_group(model, disk, modern):
    base = "Storage.S%d." % disk.group

    def set_locked(value, apply):
        if value not in ("yes", "no"):
            return "invalid"
        if apply:
            model.set_lock(disk.disk_id, "lock" if value == "yes" else "unlock")
        return None

    def set_required_fs(value, apply):
        allowed = ("none", "ext4") if disk.kind == "sd" and model.has("requiredfs") else ("none",)
        if value not in allowed:
            return "invalid"
        if apply and disk.required_fs != value:
            disk.required_fs = value
            model._mark()
        return None

    items = {
        "AutoRepair": Entry(base + "AutoRepair", "yes" if disk.auto_repair else "no", O, A,
                            _setter(disk, "auto_repair", model, _yesno)),
        "CleanupLevel": Entry(base + "CleanupLevel", str(disk.cleanup_level), O, A,
                              _setter(disk, "cleanup_level", model, _int_in(0, 99))),
        "CleanupMaxAge": Entry(base + "CleanupMaxAge", str(disk.cleanup_max_age), O, A,
                               _setter(disk, "cleanup_max_age", model, _int_in(0, 7000))),
        "CleanupPolicyActive": Entry(base + "CleanupPolicyActive", disk.cleanup_policy, O, A,
                                     _setter(disk, "cleanup_policy", model, _one_of("fifo", "none"))),
        "DeviceNode": Entry(base + "DeviceNode", disk.device_node, O),
        "DiskID": Entry(base + "DiskID", disk.disk_id, O),
        "Enabled": Entry(base + "Enabled", "yes" if disk.enabled else "no", O, A,
                         _setter(disk, "enabled", model, _yesno)),
        "ExtraMountOptions": Entry(base + "ExtraMountOptions", disk.extra_mount_options, O, A,
                                   _setter(disk, "extra_mount_options", model)),
        "FileSystem": Entry(base + "FileSystem", disk.filesystem, O),
        "FriendlyName": Entry(base + "FriendlyName", disk.friendly_name, O, O,
                              _setter(disk, "friendly_name", model)),
        "Locked": Entry(base + "Locked", "yes" if disk.locked else "no", O, A, set_locked),
        "MountOnBoot": Entry(base + "MountOnBoot", "yes" if disk.mount_on_boot else "no", O, A,
                             _setter(disk, "mount_on_boot", model, _yesno)),
        "MountPointPermissions": Entry(base + "MountPointPermissions",
                                       disk.mount_point_permissions, O, O,
                                       _setter(disk, "mount_point_permissions", model)),
        "RequiredFileSystem": Entry(base + "RequiredFileSystem", disk.required_fs, O, A,
                                    set_required_fs),
    }
    if modern:
        order = sorted(items)
    else:
        # 5.51.7 has no Enabled, AutoRepair, RequiredFileSystem, MountPointPermissions or
        # ExtraMountOptions keys, and lists the rest in this order.
        order = ["DiskID", "FriendlyName", "DeviceNode", "CleanupLevel", "CleanupMaxAge",
                 "CleanupPolicyActive", "FileSystem", "Locked", "MountOnBoot"]
    return [items[k] for k in order]


def _strip_root(name):
    return name[5:] if name.startswith("root.") else name


def list_params(model, level, groups=None):
    """Text body of param.cgi?action=list (lines 'root.<name>=<value>')."""
    all_entries = [e for e in entries(model) if e.read <= level]
    lines = []
    if not groups:
        selected = all_entries
        lines.extend(f"root.{e.name}={e.value}" for e in selected)
    else:
        for group in groups.split(","):
            group = _strip_root(group.strip())
            hits = [e for e in all_entries
                    if e.name == group or e.name.startswith(group + ".")]
            if not hits:
                lines.append("# Error: Error -1 getting param in group '%s'" % group)
            lines.extend(f"root.{e.name}={e.value}" for e in hits)
    return "".join(line + "\n" for line in lines)


def update_params(model, level, updates):
    """param.cgi?action=update.  ``updates``: list of (name, value).  Raises ParamError."""
    by_name = {e.name: e for e in entries(model)}
    errors = []
    plan = []
    for raw_name, value in updates:
        name = _strip_root(raw_name)
        entry = by_name.get(name)
        if entry is None or entry.read > level or entry.write is None or entry.write > level \
                or entry.setter(value, False):
            errors.append(f"# Error: Error setting '{raw_name}' to '{value}'!")
        else:
            plan.append((entry, value))
    if not updates:
        errors.append("# Error: No parameters to update")
    if errors:
        raise ParamError(errors)
    # Fault refuse_param: firmware that sets an update's parameters one by one refuses this one after (or
    # before) setting the others, and answers only the error: the request was applied in part.
    refused = [(entry, value) for entry, value in plan if entry.name in model.refuse_params]
    for entry, value in plan:
        if (entry, value) not in refused:
            entry.setter(value, True)
    model.sync_recordings()
    if refused:
        model.refuse_params.difference_update(entry.name for entry, _value in refused)
        raise ParamError([f"# Error: Error setting '{raw}' to '{value}'!" for raw, value in updates
                          if _strip_root(raw) in {entry.name for entry, _v in refused}])


def as_dict(model):
    return {e.name: e.value for e in entries(model)}
