# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The recording storage limit of one disk: how much of it the camera may fill.

The device counts the limit in kilobytes of 1024 bytes; 0 means no limit, and
any other value must be at least 1048576 kB (1 GiB). Sizes are normalised to
kilobytes before comparing, so ``500 GiB`` and ``524288000`` are one state.
``no limit`` as a size is 0, as ``axis_storage_info`` says it.

Instead of a size, ``quota`` gives the camera its weighted part of a network
share that several cameras record to: the share's capacity (given, or the
disk's size as the camera reports it, read with the disk list the run makes
anyway) split over every camera's weight (``_share_quota``).
"""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.module_utils import _share_quota
from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import OneDiskResource, Step
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    NOTHING_CHANGED,
    ValidationError,
    VapixError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._options import disk_id_option
from ansible_collections.vapix.edge_storage.plugins.module_utils._units import (
    format_size,
    format_size_at_most,
    format_size_exact,
    parse_size_kb,
)

MINIMUM_KB = 1048576  # 1 GiB, the device's smallest limit other than 0
# The API documents no largest limit. 1 PiB is more than any disk or NAS share a camera records to,
# so a larger value is a typing or unit mistake (e.g. TB for GB), refused before any request.
MAXIMUM_KB = 1024 ** 4
NO_LIMIT = "no limit"

ARGUMENT_SPEC = dict(
    disk_id=disk_id_option(required=True),
    size=dict(type="str"),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    quota=dict(type="dict", options=dict(
        weights=dict(type="dict"),
        member=dict(type="str"),
        group=dict(type="str"),
        weight_variable=dict(type="str"),
        capacity=dict(type="raw"),
        reserve=dict(type="raw"),
    ), mutually_exclusive=[["group", "weights"], ["group", "member"]], required_together=[["weights", "member"]],
        required_one_of=[["group", "weights"]]),
)
# The option an action plugin fills from the play's inventory (quota.group): _share_quota.from_inventory.
QUOTA_OPTION = "quota"
ARGUMENT_RULES = dict(mutually_exclusive=[["size", "quota"]])


def describe_size(size_kb):
    """'500 GiB' for a limit, 'no limit' for 0."""
    return NO_LIMIT if size_kb == 0 else format_size(size_kb)


def describe_size_exact(size_kb):
    """Words that size reads back as exactly size_kb ('500 GiB', '1953125 KiB'), 'no limit' for 0: as
    axis_storage_info says the limit, so two different limits never read alike."""
    return NO_LIMIT if size_kb == 0 else format_size_exact(size_kb)


class StorageLimit(OneDiskResource):
    kind = "storage limit"
    reads = ("limits",)
    # setlimit.cgi sets one disk's limit; another disk's limit and size stay as they are.
    independent_of_its_kind = True
    write_calls = ("set_storage_limit",)
    capacity_kb = None  # a quota's given capacity in kB

    def validate(self):
        super().validate()
        size = self.params.get("size")
        if self.params.get("state", "present") == "absent":
            if size is not None:
                raise ValidationError("size is set with state=absent: state=absent removes the limit of %s "
                                      "(size 0); drop size, or use state=present" % self.disk_id)
            if self.params.get("quota"):
                raise ValidationError("quota is set with state=absent: state=absent removes the limit of %s "
                                      "(size 0); drop quota, or use state=present" % self.disk_id)
            self.size_kb = 0
            return
        quota = self.params.get("quota")
        if quota:
            self._validate_quota(quota)
            return
        if size is None:
            raise ValidationError("size is required with state=present: give e.g. '500 GiB' or kilobytes, or a "
                                  "quota (use state=absent to remove the limit of %s)" % self.disk_id)
        self.size_kb = 0 if str(size).strip().lower() == NO_LIMIT else parse_size_kb(size, what="size")
        if self.size_kb > MAXIMUM_KB:
            raise ValidationError("size '%s' is %s, more than the largest limit this collection accepts (%s, more than "
                                  "any disk or share a camera records to); check the number and the unit"
                                  % (size, format_size(self.size_kb), format_size(MAXIMUM_KB)))
        if 0 < self.size_kb < MINIMUM_KB:
            raise ValidationError("size '%s' is %d kB (%s), below the device minimum of %d kB (1 GiB): give at "
                                  "least 1 GiB, or 0 / state=absent for no limit"
                                  % (size, self.size_kb, format_size(self.size_kb), MINIMUM_KB))

    def _validate_quota(self, quota):
        """Everything about the quota that needs no camera; with a given capacity, the limit itself."""
        if quota.get("group") is not None:
            # In a play the action plugin has replaced the group by its weights (_share_quota.from_inventory).
            # Also an axis_edge_storage storage_limits item's quota, which is not read from it, even in a play.
            raise ValidationError("the quota's group %s is read from the play's inventory only for the quota option "
                                  "of axis_storage_limit and the share_quota option of axis_edge_storage, in a play: "
                                  "use one of those in a play (for a storage_limits item, share_quota), or give the "
                                  "quota's weights and member" % quota["group"])
        weights = quota["weights"] or {}
        if quota["member"] not in weights:
            raise ValidationError("this camera ('%s', the quota's member) has no weight among the cameras of the share "
                                  "(%s): every camera recording to the share needs one (with the role: "
                                  "edge_storage_share_quota_group must be an inventory group that holds this camera)"
                                  % (quota["member"], ", ".join(sorted(str(name) for name in weights)) or "none"))
        self.quota_weights = _share_quota.parse_weights(weights)
        _share_quota.parse_reserve(quota.get("reserve"))
        self.size_kb = None
        if quota.get("capacity") not in (None, ""):
            self.capacity_kb = _share_quota.capacity_kb(quota["capacity"])
            self.size_kb = self._quota_kb(self.capacity_kb)

    def _quota_kb(self, total_kb):
        """This camera's part of total_kb, with the weights checked by validate."""
        quota = self.params["quota"]
        parts = _share_quota.split_capacity(self.quota_weights, total_kb,
                                            _share_quota.reserve_kb(quota.get("reserve"), total_kb), MINIMUM_KB)
        return parts[quota["member"]]

    def _quota_from_disk_size(self, device):
        """The quota's part of the disk's size, as the camera reports it now."""
        disk = device.disk(self.disk_id)
        total_kb = disk.get("total_kb") if disk else None
        if not total_kb:
            raise ValidationError("disk %s reports no size (for a NetworkShare: no share bound and mounted "
                                  "yet), so the capacity to split is unknown: give the quota's capacity, for "
                                  "example '20 TB' (with the role: edge_storage_share_quota_capacity), or bind "
                                  "and mount the share first" % self.disk_id)
        self.size_kb = self._quota_kb(total_kb)

    def read(self, device):
        """{'size_kb', 'used_kb'} of the disk; an unknown disk fails with the device's code 110.

        Whether the camera has storage limits at all is asked first: a quota whose size is not known yet (a
        share the run binds) waits for earlier changes, but a camera without the feature is refused before them.
        """
        limits = device.storage_limits()
        if self.params.get("quota") and self.params["quota"].get("capacity") in (None, ""):
            self._quota_from_disk_size(device)
        if self.disk_id in limits:
            return limits[self.disk_id]
        try:
            limit = device.storage_limit(self.disk_id)
        except VapixError as exc:
            if exc.code != 110:
                raise
            raise VapixError(exc.api, exc.cgi, exc.description, code=exc.code,
                             hint="the camera has no disk '%s'; its disks with a storage limit are: %s"
                             % (self.disk_id, ", ".join(sorted(limits)) or "none"))
        if limit is None:
            raise ValidationError("the camera reports no storage limit for disk '%s'; its disks with a storage "
                                  "limit are: %s" % (self.disk_id, ", ".join(sorted(limits)) or "none"))
        return limit

    def desired(self):
        return {"size_kb": self.size_kb}

    def managed(self, state):
        """The limit in kB and in words, plus the space used (for information; never compared)."""
        state = state or {}
        size_kb = state.get("size_kb")
        used_kb = state.get("used_kb")
        return {
            "state": "absent" if not size_kb else "present",
            "size_kb": size_kb,
            "size": describe_size_exact(size_kb) if size_kb is not None else None,
            "used_kb": used_kb,
            "used": format_size(used_kb),
        }

    def plan(self, device, current):
        if self.capacity_kb:
            self._check_capacity(device)
        was = current.get("size_kb")
        if was == self.size_kb:
            return []
        disk_id = self.disk_id
        size_kb = self.size_kb
        if size_kb == 0:
            action = "remove_limit"
            text = f"remove the storage limit of {disk_id} (was {describe_size(was)})"
        else:
            self._check_disk_size(device)
            action = "set_limit"
            # The limit it was in kB when its words are the new one's (1953125 kB and 1950351 kB are both 1.86 GiB).
            was_text = describe_size(was)
            if was and was_text == describe_size(size_kb):
                was_text = "%d kB" % was
            text = "set the storage limit of %s to %s (%d kB; was %s)" % (
                disk_id, describe_size(size_kb), size_kb, was_text)
        return [Step(action, text, lambda dev: dev.set_storage_limit(disk_id, size_kb))]

    def _check_capacity(self, device):
        """A quota's capacity larger than the disk the camera reports gives parts that add up to more than the
        share (each part may still fit): refused, whether this camera's limit changes or not."""
        disk = device.disk(self.disk_id)
        total_kb = disk.get("total_kb") if disk else None
        if total_kb and self.capacity_kb > total_kb:
            raise ValidationError("the quota's capacity %s (%d kB) is more than disk %s itself (%s, %d kB), so the "
                                  "cameras' parts would add up to more than the share: give the share's capacity, at "
                                  "most %s (with the role: edge_storage_share_quota_capacity), or leave it out to "
                                  "split the size the camera reports. %s." % (
                                      self.params["quota"]["capacity"], self.capacity_kb, self.disk_id,
                                      format_size(total_kb), total_kb, format_size_at_most(total_kb),
                                      NOTHING_CHANGED))

    def _check_disk_size(self, device):
        """A limit larger than the disk itself is a mistake; refused when the camera reports the disk's size."""
        disk = device.disk(self.disk_id)
        total_kb = disk.get("total_kb") if disk else None
        unknown = ("%s reports no size yet (status '%s'), so %s is not compared with it now; it is compared, and "
                   "refused if larger, only once the camera reports a size: in a run that binds a share to "
                   "NetworkShare, after the bind; otherwise a real run sets it as it is"
                   % (self.disk_id, disk and disk.get("status"), describe_size(self.size_kb)))
        if disk is not None and not total_kb and unknown not in self.warnings:
            self.warnings.append(unknown)
        if total_kb and self.size_kb > total_kb:
            # Both in kB as well: two sizes a few MiB apart have the same words. The largest to give is cut, not
            # rounded, so that it is no larger than the disk.
            raise ValidationError("size %s (%d kB) is larger than disk %s itself (%s, %d kB): give at most %s, or 0 / "
                                  "state=absent for no limit. %s." % (
                                      format_size(self.size_kb), self.size_kb, self.disk_id, format_size(total_kb),
                                      total_kb, format_size_at_most(total_kb), NOTHING_CHANGED))


def build_resources(params):
    return [StorageLimit(params)]
