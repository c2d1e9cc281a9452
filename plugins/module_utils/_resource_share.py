# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Network shares: add, test, modify, bind, unbind and remove in the order the camera needs.

The device's rules, which the plans below follow:

- only the nice name of a bound share can be modified; any other change needs
  unmount -> unbind -> modify -> bind (bind mounts again with automaticmount=yes);
- a bound share is removed with unmount -> unbind -> remove;
- one share at a time holds the NetworkShare disk: binding another one fails
  (device code 300), so the holder is named before any write, or released
  first when the user opts in with ``replace_bound``;
- the share test (test.cgi + job.cgi) runs before the first write of a run
  that binds a share (new, unbound, or bound again after a connection change;
  the bind mounts it, and a mount that fails leaves the disk failed) (a check step: the
  engine runs it before the removal of undeclared shares too), so a failing
  test leaves the camera untouched.

A share this module adds gets a deterministic share id derived from its name
(see :func:`derive_share_id`), so re-runs and other tools find the same share.

A step of a share's removal the camera refuses while the share is no longer
listed was done first by another run or a person: a concurrent change (see
:func:`._engine.removal`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import (
    GONE,
    RELEASED,
    UNMOUNTED,
    Resource,
    Step,
    UndeclaredRemoval,
    creation,
    removal,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    NETWORK_SHARE,
    ConflictError,
    UnsupportedError,
    ValidationError,
    bad_job_timeout,
    damaged_answer,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._hosts import validate_host
from ansible_collections.vapix.edge_storage.plugins.module_utils._jobs import wait_disk_job, wait_share_job
from ansible_collections.vapix.edge_storage.plugins.module_utils._options import (
    check_free_text,
    job_timeout_option,
)

# \Z, not $: '$' also matches before a final line break, which the camera refuses in an id (device code 200).
SHARE_ID_PATTERN = re.compile(r"^[A-Za-z0-9-]+\Z")
SLUG_LENGTH = 24
HASH_LENGTH = 8
# The disk a bound share appears as on the cameras this collection knows, used to predict the state in check
# mode. bind.cgi answers with the disk's id and the vendor does not fix it (9.80 firmware lists a Storage group
# with DiskID NetworkShareN0 besides NetworkShare), so a share listed with another disk id is not refused for it.
NETWORK_SHARE_DISK = "NetworkShare"
# The SD card's disk id, and the file systems disks/list.cgi lists for a network share disk: a share listed
# as bound to a disk the camera lists as a local disk (see local_disk) is a damaged answer.
SD_CARD_DISK = "SD_DISK"
SHARE_FILESYSTEMS = ("cifs", "nfs")
# The fields that say where the camera connects to; changing one of them on a bound share needs an unbind.
CONNECTION_FIELDS = ("address", "share", "share_username")
# The fields before/after show (never a password: the device does not return one).
SHOWN_FIELDS = ("name", "share_id", "address", "share", "share_username", "bound", "disk_id")
# The options of free text the camera stores (not the password: it is never read back, so never compared).
TEXT_OPTIONS = ("name", "address", "share", "share_username")
# Our field -> the argument name add.cgi/modify.cgi/test.cgi take.
DEVICE_ARGUMENT = {"name": "nicename", "address": "address", "share": "share", "share_username": "user"}

ARGUMENT_SPEC = dict(
    name=dict(type="str"),
    share_id=dict(type="str"),
    address=dict(type="str"),
    share=dict(type="str"),
    share_username=dict(type="str"),
    share_password=dict(type="str", no_log=True),
    update_password=dict(type="str", default="on_create", choices=["always", "on_create"], no_log=False),
    bound=dict(type="bool"),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    test_share=dict(type="bool", default=True),
    automatic_mount=dict(type="bool", default=True),
    replace_bound=dict(type="bool", default=False),
    exclusive=dict(type="bool", default=False),
    job_timeout=job_timeout_option(120),
)
# Rules between options, for AnsibleModule and ArgumentSpecValidator alike.
ARGUMENT_RULES = dict(required_one_of=[["name", "share_id"]])


def derive_share_id(name):
    """The share id this module gives a share named name: the same on every run and machine.

    A name the device accepts as an id (letters, digits, '-') is used as it is;
    any other name becomes a slug of its allowed characters plus the first
    eight hex digits of the SHA-256 of the name, so two names that slug alike
    still get different ids.
    """
    if SHARE_ID_PATTERN.match(name):
        return name
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[:SLUG_LENGTH].strip("-") or "share"
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:HASH_LENGTH]
    return f"{slug}-{digest}"


def require_network_share(device):
    if not device.supports_network_share():
        raise UnsupportedError(
            "network shares", "Properties.NetworkShare.NetworkShare is not 'yes' on this camera (firmware %s)"
            % (device.firmware_version() or "unknown"))


def local_disk(device, disk_id):
    """The disk disks/list.cgi lists as a local disk: the SD card, or a disk whose file system is known and
    not a network share's. None for any other id: a network share disk, a disk listed with its file system
    unknown, or one the list does not hold (unknown is not local)."""
    if disk_id == NETWORK_SHARE_DISK:
        return None
    disk = device.disk(disk_id)
    if disk is None:
        return None
    if disk_id == SD_CARD_DISK or (disk["filesystem"] is not None and disk["filesystem"] not in SHARE_FILESYSTEMS):
        return disk
    return None


def share_disks(device):
    """The disks binding, unbinding or removing a share may change: NetworkShare and every other disk that is not
    local (see local_disk); never the SD card."""
    return {NETWORK_SHARE_DISK} | {disk_id for disk_id in device.disks() if local_disk(device, disk_id) is None}


def listed_shares(device):
    """The camera's shares, {share_id: share}; a damaged_answer when one is listed as bound to a local disk
    (see local_disk).

    A share is only ever bound to a network share disk, and a share's disk is what its release unmounts:
    trusted, such an answer would have this run unmount a local disk (an SD card the camera records to) and
    then fail on the unbind. Another disk id is accepted: bind.cgi answers with the disk's id, which the vendor
    does not fix, and the release unmounts only a disk disks/list.cgi lists as mounted.
    """
    shares = device.shares()
    for listed in shares.values():
        disk_id = listed["disk_id"]
        disk = local_disk(device, disk_id) if disk_id is not None else None
        if disk is not None:
            raise damaged_answer(NETWORK_SHARE, device.where("shares"),
                                 "share %s is listed as bound to disk %s, which disks/list.cgi lists as a local "
                                 "disk (%sfile system %s), but a share is only ever bound to a network share disk"
                                 % (describe(listed), disk_id, "the SD card, " if disk_id == SD_CARD_DISK else "",
                                    disk["filesystem"] or "unknown"))
    return shares


def same_name(listed, wanted):
    """Whether two nice names are the same text: equal once composed (NFC), so that 'Bu\u0308ro' (a u and a
    combining diaeresis, as some editors write it) is the 'B\u00fcro' the camera lists."""
    if listed is None or wanted is None:
        return listed == wanted
    return unicodedata.normalize("NFC", listed) == unicodedata.normalize("NFC", wanted)


def same_value(key, listed, wanted):
    """Whether a field the camera lists already is the declared value: an address without regard to case
    (host names are case-insensitive, as are an IPv6 address's hex digits), the nice name as the same text
    (see same_name), anything else exactly (the connection fields go to the NAS as they are)."""
    if key == "address" and listed is not None and wanted is not None:
        return listed.lower() == wanted.lower()
    if key == "name":
        return same_name(listed, wanted)
    return listed == wanted


def shown(state):
    """The fields before/after show for one share."""
    return {key: state.get(key) for key in SHOWN_FIELDS}


def describe(state):
    """'nas1' or 'Site NAS' (id site-nas-1a2b3c4d)."""
    if state["name"] == state["share_id"]:
        return "'%s'" % state["name"]
    return "'{}' (id {})".format(state["name"], state["share_id"])


def is_mounted(device, disk_id):
    """Whether the camera lists the disk as mounted (a bound share whose mount failed is not)."""
    disk = device.disk(disk_id)
    return disk is not None and disk["mounted"]


def unmount(device, disk_id, timeout):
    job_id = device.unmount(disk_id)
    wait_disk_job(device, disk_id, job_id, "unmount of disk %s" % disk_id, timeout)


def run_share_test(device, args, timeout, option="job_timeout"):
    """Start the share test of args and wait for its end; option is the task's option that timeout comes from
    (what a timeout tells to raise)."""
    job_id = device.test_share(args)
    wait_share_job(device, job_id, "share test", timeout, option=option)


def release_steps(device, state, timeout, purpose=""):
    """unmount (when mounted) -> unbind of a bound share."""
    share_id = state["share_id"]
    disk_id = state["disk_id"]
    steps = []
    if is_mounted(device, disk_id):
        steps.append(Step("unmount", f"unmount disk {disk_id} (share {describe(state)}){purpose}",
                          lambda d: unmount(d, disk_id, timeout)))
    steps.append(Step("unbind", f"unbind share {describe(state)} from disk {disk_id}{purpose}",
                      lambda d: d.unbind_share(share_id)))
    return steps


def remove_steps(device, state, timeout, why=""):
    """Release a bound share, then remove it; a step the camera refuses because the share is gone already, or
    (a release step) is unbound or its disk unmounted already, is a concurrent change (see _engine.removal)."""
    share_id = state["share_id"]

    def found(d, action):
        d.invalidate("shares", "disks")
        share = d.shares().get(share_id)
        if share is None:
            return GONE
        if action != "remove" and not share["bound"]:
            return RELEASED
        if action == "unmount" and not is_mounted(d, state["disk_id"]):
            return UNMOUNTED
        return False
    steps = release_steps(device, state, timeout) if state["bound"] else []
    steps.append(Step("remove", f"remove share {describe(state)}{why}",
                      lambda d: d.remove_share(share_id)))
    for step in steps:
        step.run = removal("share %s" % describe(state), step.run,
                           lambda d, action=step.action: found(d, action))
    return steps


class ShareResource(Resource):
    """One network share, found by share_id, else by nice name (exactly, else as the same text: see same_name),
    else by the id derived from the name."""

    kind = "share"
    reads = ("properties", "shares")
    # Which share API version the camera has (what the plan may send) is read with the shares.
    plan_reads = ("apidiscovery",)
    plans_checks = True
    # The removal of the undeclared shares planned before this one (exclusive or purge), if any;
    # set by OtherSharesResource.
    others_removal = None

    def disks(self, device):
        return share_disks(device)

    def validate(self):
        p = self.params
        if not p.get("name") and not p.get("share_id"):
            raise ValidationError("say which share this is: set name (the nice name shown on the camera), "
                                  "share_id, or both")
        if p.get("name") is not None and not p["name"].strip():
            raise ValidationError("name must not be empty or blank")
        if p.get("share_id") is not None and not SHARE_ID_PATTERN.match(p["share_id"]):
            raise ValidationError("share_id %r is not valid: the camera accepts only letters, digits and '-' "
                                  "(for example 'nas1'); leave share_id out to derive one from name"
                                  % p["share_id"])
        for key in ("address", "share"):
            if p.get(key) is not None and not p[key].strip():
                raise ValidationError("%s must not be empty or blank" % key)
        check_free_text(p, TEXT_OPTIONS)
        if p.get("address") is not None:
            validate_host(p["address"], "address")
        if p.get("job_timeout") is not None and p["job_timeout"] < 1:
            raise bad_job_timeout(p["job_timeout"])

    @property
    def identity(self):
        return "share %s" % (self.params.get("name") or self.params["share_id"])

    @property
    def timeout(self):
        return self.params.get("job_timeout") or ARGUMENT_SPEC["job_timeout"]["default"]

    @property
    def new_share_id(self):
        """The id the share gets when this module adds it."""
        return self.params.get("share_id") or derive_share_id(self.params["name"])

    def find(self, device):
        """The listed share this resource means, or None."""
        shares = listed_shares(device)
        if self.params.get("share_id"):
            return shares.get(self.params["share_id"])
        for listed in shares.values():
            if listed["name"] == self.params["name"]:
                return listed
        # The same name written with its accents composed otherwise (NFC or NFD): one share, not a second one.
        alike = [listed for listed in shares.values() if same_name(listed["name"], self.params["name"])]
        if len(alike) == 1:
            return alike[0]
        return shares.get(derive_share_id(self.params["name"]))

    def read(self, device):
        require_network_share(device)
        listed = self.find(device)
        return dict(listed) if listed is not None else None

    def desired(self):
        if self.params.get("state") == "absent":
            return None
        return {key: self.params[key] for key in ("name", "share_id", "address", "share", "share_username",
                                                  "bound")
                if self.params.get(key) is not None}

    def secrets(self):
        return [self.params["share_password"]] if self.params.get("share_password") else []

    def managed(self, state):
        if state is None:
            return {"state": "absent"}
        return dict(shown(state), state="present")

    def _as_added(self):
        """The share as the camera lists it right after the add, before anything else."""
        share_id = self.new_share_id
        return {"name": share_id, "share_id": share_id, "share_username": "", "bound": False, "disk_id": None}

    def compared(self, current):
        """desired(), with a field the camera lists in another spelling of the same value (an address in
        other case) as the camera lists it: what is compared, and what the camera holds after a run."""
        wanted = self.desired()
        if wanted is None or current is None:
            return wanted
        return {key: current[key] if same_value(key, current.get(key), value) else value
                for key, value in wanted.items()}

    def predict(self, current, steps):
        if not steps:
            return current
        wanted = self.compared(current)
        predicted = None
        if wanted is not None:
            predicted = dict(current if current is not None else self._as_added())
            predicted.update(wanted)
            if not predicted["bound"]:
                predicted["disk_id"] = None
            elif not (current or {}).get("bound"):
                predicted["disk_id"] = NETWORK_SHARE_DISK
        return predicted

    # -- planning ------------------------------------------------------------------------

    def plan(self, device, current):
        if self.desired() is None:
            return remove_steps(device, current, self.timeout) if current is not None else []
        if current is None:
            return self._plan_add(device)
        return self._plan_change(device, current)

    def _plan_add(self, device):
        p = self.params
        missing = [key for key in ("address", "share") if not p.get(key)]
        if missing:
            raise ValidationError("%s does not exist on the camera; set %s to add it"
                                  % (self.identity, " and ".join(missing)))
        share_id = self.new_share_id
        name = p.get("name") or share_id
        self._check_name_free(device, name, share_id)
        binds = p.get("bound") is True
        # The holder of the disk is released right before the bind, after every other write: an add the camera
        # refuses (the most shares, a name another run took) leaves it bound and recording.
        free_disk = self._free_disk_steps(device, share_id) if binds else []
        steps = []
        if binds and p["test_share"]:
            steps.append(self._test_step(None, send_password=True))
        args = [("shareid", share_id), ("nicename", name)]
        args.extend((DEVICE_ARGUMENT[key], p[key]) for key in CONNECTION_FIELDS if p.get(key) is not None)
        if p.get("share_password") is not None:
            args.append(("pass", p["share_password"]))

        def present(device):
            device.invalidate("shares")
            state = self.read(device)
            return None if state is None else not self.verify(state)
        steps.append(Step("add", "add share '{}' (id {}) for //{}/{}".format(name, share_id, p["address"], p["share"]),
                          creation("share %s" % name, lambda d: d.add_share(args), present)))
        if binds:
            steps.extend(free_disk)
            steps.append(self._bind_step(share_id, name))
        return steps

    def _plan_change(self, device, current):
        p = self.params
        share_id = current["share_id"]
        changes = {key: value for key, value in self.compared(current).items()
                   if key in DEVICE_ARGUMENT and current.get(key) != value}
        if "name" in changes:
            self._check_name_free(device, changes["name"], share_id)
        resend_password = p["update_password"] == "always" and p.get("share_password") is not None
        connection_changes = resend_password or any(key in changes for key in CONNECTION_FIELDS)
        # on_create: the declared password goes with a connection change, never on its own.
        send_password = connection_changes and p.get("share_password") is not None
        binds = p["bound"] if p.get("bound") is not None else current["bound"]
        # Every bind mounts the share: tested first, also a share bound as it is (its mount may fail).
        rebinds = binds and (connection_changes or not current["bound"])
        # The holder of the disk is released right before the bind (see _plan_add).
        free_disk = self._free_disk_steps(device, share_id) if binds and not current["bound"] else []
        steps = []
        if rebinds and p["test_share"]:
            steps.append(self._test_step(current, send_password))
        if current["bound"] and (connection_changes or not binds):
            steps.extend(release_steps(device, current, self.timeout))
        if changes or send_password:
            steps.append(self._modify_step(current, changes, send_password))
        steps.extend(free_disk)
        if rebinds:
            steps.append(self._bind_step(share_id, changes.get("name", current["name"])))
        return steps

    def _others_kept(self, device, share_id, unbound=False):
        """The listed shares other than share_id that are still there when this share is planned to change:
        not removed by the removal of the undeclared, nor by a share declared before this one (nor, with
        unbound, still bound: a share declared before this one may unbind it)."""
        return [listed for listed in listed_shares(device).values()
                if listed["share_id"] != share_id
                and not (self.others_removal is not None and self.others_removal.removes(device, listed))
                and not any(share.releases(device, listed, unbound) for share in self.earlier)]

    def releases(self, device, listed, unbound=False):
        """Whether this share's plan removes the listed share (with unbound: or leaves it unbound)."""
        found = self.find(device)
        if found is None or found["share_id"] != listed["share_id"]:
            return False
        return self.desired() is None or (unbound and self.params.get("bound") is False)

    def _check_name_free(self, device, name, share_id):
        """Another share with the nice name would make add/modify fail (device codes 220/620)."""
        for listed in self._others_kept(device, share_id):
            if listed["name"] == name:
                raise ConflictError(
                    "cannot name share %s '%s': share %s already has that nice name; rename or remove it, "
                    "or set share_id: %s to manage it" % (share_id, name, listed["share_id"], listed["share_id"]))

    def _free_disk_steps(self, device, share_id):
        """Steps that free the NetworkShare disk from another share, or a ConflictError naming it."""
        holders = [listed for listed in self._others_kept(device, share_id, unbound=True) if listed["bound"]]
        if not holders:
            return []
        holder = holders[0]
        if not self.params.get("replace_bound"):
            # The holders are those no share before this one releases (_others_kept): no earlier change lifts it.
            raise ConflictError(
                "cannot bind %s: share %s (address %s, share %s) is bound to disk %s; set replace_bound: true "
                "to unbind it first, or unbind it yourself" % (self.identity, describe(holder), holder["address"],
                                                               holder["share"], holder["disk_id"]),
                whatever_comes_first=True)
        return release_steps(device, holder, self.timeout, " to free it for %s" % self.identity)

    def _test_step(self, current, send_password):
        """test.cgi with the connection this run will set (the stored password when none is sent)."""
        p = self.params
        args = [("shareid", current["share_id"])] if current is not None else []
        target = {}
        for key in CONNECTION_FIELDS:
            value = p.get(key) if p.get(key) is not None else (current or {}).get(key)
            target[key] = value
            if value is not None:
                args.append((DEVICE_ARGUMENT[key], value))
        if send_password and p.get("share_password") is not None:
            args.append(("pass", p["share_password"]))
        user = " as user %s" % target["share_username"] if target["share_username"] else ""
        return Step("test", "test the connection to //%s/%s%s (share test, before any change)"
                    % (target["address"], target["share"], user),
                    lambda d: run_share_test(d, args, self.timeout), check=True)

    def _modify_step(self, current, changes, send_password):
        share_id = current["share_id"]
        args = [(DEVICE_ARGUMENT[key], value) for key, value in sorted(changes.items())]
        told = [f"{key} {current.get(key)!r} -> {value!r}" for key, value in sorted(changes.items())]
        if send_password:
            args.append(("pass", self.params["share_password"]))
            told.append("password sent")
        return Step("modify", "modify share {}: {}".format(describe(current), ", ".join(told)),
                    lambda d: d.modify_share(share_id, args))

    def _bind_step(self, share_id, name):
        label = describe({"name": name, "share_id": share_id})
        mount = self.params.get("automatic_mount") is not False
        return Step("bind", "bind share %s to the network share disk (%s)"
                    % (label, "mounts it" if mount else "automaticmount=no: not mounted"),
                    lambda d: d.bind_share(share_id, mount))


class OtherSharesResource(UndeclaredRemoval):
    """Every share on the camera but the declared ones is removed.

    The single module's exclusive mode declares one share, a whole-camera purge
    the whole section (possibly none: then every share goes). Planned before
    the declared shares, which are told so: a share this removes is no name or
    disk conflict for them.
    """

    kind = "shares"
    reads = ("shares",)

    def __init__(self, declared, timeout, reason):
        self.timeout = timeout
        super().__init__(declared, reason, {"job_timeout": timeout})
        for share in self.declared:
            share.others_removal = self

    def disks(self, device):
        return share_disks(device)

    def _declared_ids(self, device):
        found = (share.find(device) for share in self.declared)
        return {listed["share_id"] for listed in found if listed is not None}

    def removes(self, device, listed):
        """Whether this removes the listed share."""
        return listed["share_id"] not in self._declared_ids(device)

    def undeclared(self, device):
        require_network_share(device)
        own = self._declared_ids(device)
        return {share_id: listed for share_id, listed in sorted(listed_shares(device).items()) if share_id not in own}

    def removal_steps(self, device, key, state, why):
        return remove_steps(device, state, self.timeout, why)

    def show(self, state):
        return shown(state)

    def describe(self, key, state):
        return "share %s" % describe(state)


def check_section(shares):
    """A whole-camera section's shares (each told the ones before it, Resource.earlier: a share one of them removes
    or unbinds is no conflict for it, so its plan, share test included, is made before any write): more than one
    declared bound is refused before any request. The camera binds one share at a time, so the run would bind the
    first and fail at the next (or, with replace_bound, unbind the first again), which check mode could not
    tell."""
    bound = [share for share in shares if share.params.get("bound") is True and share.desired() is not None]
    if len(bound) > 1:
        raise ValidationError("shares: %s are all declared bound: true, but the camera binds one share at a time "
                              "(to its network share disk); declare bound: true on one of them and bound: false on "
                              "the others" % ", ".join(share.identity for share in bound))


def build_resources(params):
    """The declared share, preceded in exclusive mode by the removal of every other share."""
    share = ShareResource(params)
    if params.get("exclusive"):
        return [OtherSharesResource([share], share.timeout, "exclusive: true"), share]
    return [share]
