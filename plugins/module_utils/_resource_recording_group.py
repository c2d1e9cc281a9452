# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Recording groups: recordings kept together on one disk for a retention time.

The device's rules, which the plans below follow:

- a group is created with an id (letters, digits, ``_``, ``-``, at most 50),
  a disk and optional nice name, description, retention time in hours
  (0 = unlimited), stream options and pre/post durations in milliseconds;
- every field but the disk can be updated in place; the disk cannot, so
  moving a group to another disk is delete -> create;
- deleting a group deletes its recordings, and the API cannot tell a group's
  recordings apart from others, so every deletion (state absent, exclusive,
  purge, a move to another disk) is marked destructive and needs
  ``allow_data_loss`` (alias ``allow_recreate``);
- a group a recording action refers to cannot be deleted (device code 140);
  the limit on the number of groups is the device's (code 120), as is the
  judgement of stream options (code 130);
- a camera without the API answers 404 on list.cgi: not supported;
- a group is kept on its storage: while that is not attached (the disk is
  ``disconnected``: no SD card, no share bound) the camera does not list the
  group, so a group not listed there may exist all the same: nothing is
  created on such a disk (nor moved to it), and a deletion (state absent,
  exclusive, purge) warns that the groups kept there are not deleted;
- a locked disk keeps its recordings, so no group on it is deleted: the plan
  fails before any write and says to unlock it.

A deletion the camera refuses (code 110, no such group) while the group is
no longer listed was done first by another run or a person: a concurrent
change (see :func:`._engine.removal`).
"""

from __future__ import annotations

import re

from ansible_collections.vapix.edge_storage.plugins.module_utils import _stream_options
from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import (
    Resource,
    Step,
    UndeclaredRemoval,
    creation,
    removal,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    RECORDING_GROUP,
    ConflictError,
    ValidationError,
    damaged_answer,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._options import (
    check_free_text,
    disk_id_option,
    given_disk_id,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._parsers import DISCONNECTED_STATUS
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_share import NETWORK_SHARE_DISK
from ansible_collections.vapix.edge_storage.plugins.module_utils._units import parse_duration

GROUP_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,50}")
# The API documents no largest retention or pre/post duration. Ten years of retention and an hour of
# pre/post recording are beyond any real setup, so larger values are unit mistakes, refused before
# any request.
MAX_RETENTION_HOURS = 10 * 365 * 24
MAX_PRE_POST_MS = 3600 * 1000

# Our field -> the argument create.cgi/update.cgi take. diskid is create-only.
DEVICE_ARGUMENT = {
    "nice_name": "nicename",
    "description": "description",
    "retention_hours": "retentiontime",
    "stream_options": "streamoptions",
    "pre_duration_ms": "preduration",
    "post_duration_ms": "postduration",
    "disk_id": "diskid",
}
# Our field -> the list.cgi attribute, for the fields a listed group may leave out (then None: unknown).
LISTED_AS = {"nice_name": "NiceName", "description": "Description", "retention_hours": "RetentionTime",
             "stream_options": "StreamOptions", "pre_duration_ms": "PreDuration", "post_duration_ms": "PostDuration"}
# The order fields are sent and shown in.
FIELDS = ("disk_id", "nice_name", "description", "retention_hours", "stream_options", "pre_duration_ms",
          "post_duration_ms")

ARGUMENT_SPEC = dict(
    id=dict(type="str", required=True, aliases=["group_id"]),
    nice_name=dict(type="str"),
    description=dict(type="str"),
    retention=dict(type="raw", aliases=["retention_hours"]),
    disk_id=disk_id_option(),
    stream_options=dict(type="raw"),
    pre_duration=dict(type="raw", aliases=["pre_duration_ms"]),
    post_duration=dict(type="raw", aliases=["post_duration_ms"]),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    allow_data_loss=dict(type="bool", default=False, aliases=["allow_recreate"]),
    exclusive=dict(type="bool", default=False),
)


def describe_change(key, old, new):
    return f"{key} {old!r} -> {new!r}"


def delete_step(device, group_id, disk_id, why, final=True):
    """The deletion of a listed group (kept on disk_id); final: its absence is what the task declares (see
    _engine.removal). A ConflictError, before any write, when the disk is locked: deleting a group deletes its
    recordings, and a locked disk keeps its saved recordings, so the camera refuses it."""
    disk = device.disks().get(disk_id)
    if disk is not None and disk["locked"]:
        raise ConflictError("cannot delete recording group %s%s: its disk %s is locked, and a locked disk keeps its "
                            "recordings; unlock it (vapix.edge_storage.axis_disk with locked: false) and run the task "
                            "again" % (group_id, why, disk_id))

    def gone(device):
        device.invalidate("groups")
        return group_id not in device.recording_groups()
    return Step("delete", f"delete recording group {group_id} and its recordings{why}",
                removal("recording group %s" % group_id, lambda device: device.delete_recording_group(group_id),
                        gone, final),
                destructive=True)


def detached_disks(device, disk_id=None):
    """disk_id if it is disconnected, or when None, the disconnected disks but the NetworkShare disk (with no share
    bound, as on every camera that records to its card only): the camera does not list the groups kept on them."""
    return sorted(listed for listed, disk in device.disks().items()
                  if disk["status"] == DISCONNECTED_STATUS
                  and (listed == disk_id if disk_id else listed != NETWORK_SHARE_DISK))


def warn_of_detached(resource, device, what, disk_id=None):
    """Warn (once) when detached_disks(device, disk_id) is not empty: what the run found absent may be kept there
    (what says the consequence)."""
    detached = detached_disks(device, disk_id)
    if not detached:
        return
    warning = ("the camera does not list the recording groups kept on %s while %s disconnected (no SD card "
               "inserted, or no share bound to NetworkShare): %s; attach the storage and run the task again"
               % (", ".join(detached), "it is" if len(detached) == 1 else "they are", what))
    if warning not in resource.warnings:
        resource.warnings.append(warning)


class RecordingGroup(Resource):
    """One recording group, found by its id."""

    kind = "recording group"
    reads = ("groups",)
    write_calls = ("create_recording_group", "update_recording_group", "delete_recording_group")

    def validate(self):
        p = self.params
        group_id = p.get("id") or ""
        if not GROUP_ID_PATTERN.fullmatch(group_id):
            raise ValidationError("id %r is not a valid recording group id: use 1 to 50 letters, digits, '_' or '-' "
                                  "(e.g. retention-7d)" % group_id)
        check_free_text(p, ("nice_name", "description"))
        wanted = {}
        if p.get("disk_id") is not None:
            wanted["disk_id"] = given_disk_id(p)
        for key in ("nice_name", "description"):
            if p.get(key) is not None:
                wanted[key] = p[key]
        if p.get("retention") is not None:
            wanted["retention_hours"] = parse_duration(p["retention"], "h", what="retention")
            if wanted["retention_hours"] > MAX_RETENTION_HOURS:
                raise ValidationError("retention %r is %d hours, more than ten years (%d hours), the most this "
                                      "collection accepts; check the number and the unit (0 keeps recordings "
                                      "without limit)" % (p["retention"], wanted["retention_hours"],
                                                          MAX_RETENTION_HOURS))
        for option in ("pre_duration", "post_duration"):
            if p.get(option) is not None:
                wanted[option + "_ms"] = parse_duration(p[option], "ms", what=option)
                if wanted[option + "_ms"] > MAX_PRE_POST_MS:
                    raise ValidationError("%s %r is %d ms, more than one hour (%d ms), the most this collection "
                                          "accepts; check the number and the unit"
                                          % (option, p[option], wanted[option + "_ms"], MAX_PRE_POST_MS))
        if p.get("stream_options") is not None:
            wanted["stream_options"] = _stream_options.canonical(p["stream_options"], what="stream_options")
        self.wanted = wanted

    @property
    def group_id(self):
        return self.params["id"]

    @property
    def identity(self):
        return "recording group %s" % self.group_id

    def read(self, device):
        listed = device.recording_groups().get(self.group_id)
        return dict(listed) if listed is not None else None

    def disks(self, device):
        """The group's disk as declared and as listed (a create needs the one attached, a deletion the other
        unlocked); None, any disk, when neither is known: the group may be kept on a disk not attached now."""
        listed = device.recording_groups().get(self.group_id)
        return {disk_id for disk_id in (self.wanted.get("disk_id"), listed and listed["disk_id"]) if disk_id} or None

    def desired(self):
        if self.params.get("state") == "absent":
            return None
        return dict(self.wanted)

    # -- planning ------------------------------------------------------------------------

    def plan(self, device, current):
        if self.desired() is None:
            if current is None:
                warn_of_detached(self, device, "%s may be kept there, and is then not deleted" % self.identity,
                                 self.wanted.get("disk_id"))
                return []
            return [delete_step(device, self.group_id, current["disk_id"], " (state: absent)")]
        if current is None:
            return [self._create_step(device, self.wanted, "")]
        unknown = [LISTED_AS[key] for key in FIELDS if key in self.wanted and current.get(key) is None]
        if unknown:
            raise damaged_answer(RECORDING_GROUP, device.where("recording_groups"),
                                 "<RecordingGroup> %s is listed without %s: whether it is as declared is unknown, "
                                 "so no update is sent (and it could not be verified)"
                                 % (self.group_id, " and ".join(unknown)))
        if self.wanted.get("disk_id", current["disk_id"]) != current["disk_id"]:
            # A move re-creates the group with the fields it holds: one unknown would be lost (a nice name the
            # camera would set to the id), so none is deleted.
            kept = [LISTED_AS[key] for key in FIELDS if key in LISTED_AS and current.get(key) is None]
            if kept:
                raise damaged_answer(RECORDING_GROUP, device.where("recording_groups"),
                                     "<RecordingGroup> %s is listed without %s: what it holds is unknown, so it is "
                                     "not moved to disk %s (the move deletes it and creates it again with what it "
                                     "holds)" % (self.group_id, " and ".join(kept), self.wanted["disk_id"]))
        changes = {key: value for key, value in self.wanted.items() if current.get(key) != value}
        if not changes:
            return []
        if "disk_id" in changes:
            return self._recreate_steps(device, current)
        args = [(DEVICE_ARGUMENT[key], changes[key]) for key in FIELDS if key in changes]
        told = ", ".join(describe_change(key, current.get(key), changes[key]) for key in FIELDS if key in changes)
        group_id = self.group_id
        return [Step("update", f"update recording group {group_id}: {told}",
                     lambda dev: dev.update_recording_group(group_id, args))]

    def _create_step(self, device, fields, why):
        if "disk_id" not in fields:
            detached = detached_disks(device)
            raise ValidationError("%s does not exist on the camera; set disk_id to create it (the disk of a group "
                                  "cannot change later)%s" % (self.identity, "; or it is kept on %s, which the "
                                                              "camera does not list groups of while disconnected: "
                                                              "attach the storage and run the task again"
                                                              % " or ".join(detached) if detached else ""))
        disk = device.require_disk(fields["disk_id"], "create %s" % self.identity)
        if disk["status"] == DISCONNECTED_STATUS:
            raise ConflictError(
                "cannot create %s on disk %s: the disk is %s (no SD card inserted, or no share bound to "
                "NetworkShare); the camera lists a group only while the storage it is kept on is attached, so %s "
                "may exist there already; attach the storage (insert the card, or bind a share), then run the "
                "task again" % (self.identity, fields["disk_id"], DISCONNECTED_STATUS, self.group_id))
        args = [("recordinggroupid", self.group_id)]
        args.extend((DEVICE_ARGUMENT[key], fields[key]) for key in FIELDS if key in fields)
        told = ", ".join(f"{key} {fields[key]!r}" for key in FIELDS if key in fields)
        group_id = self.group_id

        def present(device):
            device.invalidate("groups")
            listed = device.recording_groups().get(group_id)
            return None if listed is None else all(listed.get(key) == fields[key] for key in FIELDS if key in fields)
        return Step("create", f"create recording group {group_id}: {told}{why}",
                    creation("recording group %s" % group_id, lambda dev: dev.create_recording_group(args), present))

    def _recreate_steps(self, device, current):
        """delete -> create on the new disk, keeping the fields the user did not set (needs allow_data_loss)."""
        old_disk, new_disk = current["disk_id"], self.wanted["disk_id"]
        fields = {key: current[key] for key in FIELDS if current.get(key) is not None}
        fields.update(self.wanted)
        return [delete_step(device, self.group_id, old_disk, " to move it from disk %s to %s (the camera cannot "
                            "change a group's disk)" % (old_disk, new_disk), final=False),
                self._create_step(device, fields, " (re-created on disk %s)" % new_disk)]


class OtherGroups(UndeclaredRemoval):
    """Every recording group on the camera but the declared ones is deleted, with its recordings.

    The single module's exclusive mode declares one group, a whole-camera purge
    the whole section (possibly none: then every group goes).
    """

    kind = "recording groups"
    reads = ("groups",)
    plan_reads = ("disks",)

    def declared_names(self):
        return [group.group_id for group in self.declared]

    def undeclared(self, device):
        own = set(self.declared_names())
        return {group_id: dict(listed) for group_id, listed in sorted(device.recording_groups().items())
                if group_id not in own}

    def disks(self, device):
        """The disks of the groups it deletes (a locked one refuses them): only the listed groups are deleted."""
        return {listed["disk_id"] for listed in self.undeclared(device).values()}

    def plan(self, device, current):
        warn_of_detached(self, device, "the groups kept there are not deleted")
        return super().plan(device, current)

    def removal_steps(self, device, key, state, why):
        return [delete_step(device, key, state["disk_id"], why)]

    def show(self, state):
        return {key: state.get(key) for key in FIELDS}

    def describe(self, key, state):
        return "recording group %s" % key


def build_resources(params):
    """The declared group, preceded in exclusive mode by the deletion of every other group."""
    group = RecordingGroup(params)
    if params.get("exclusive"):
        return [OtherGroups([group], "exclusive: true", {"allow_data_loss": params.get("allow_data_loss")}), group]
    return [group]
