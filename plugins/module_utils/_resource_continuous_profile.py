# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Continuous recording profiles: what a camera records all the time, and where.

The device's rules, which the plans below follow:

- a profile is added with a disk, stream options and an event id (default
  ``continuous``); the device answers with the profile's number, and a
  profile is removed by that number;
- a profile cannot be changed: different options mean remove -> add; if the
  device rejects the new options, the removed profile is added back, so a
  camera is not left without continuous recording;
- the camera holds at most ``Properties.LocalStorage.NbrOfContinuousRecordingProfiles``
  profiles; when they are all taken, the plan fails before any write and
  names the profile that holds the slot.

A profile is identified by its disk and event id. Options are compared in the
canonical form of :mod:`._stream_options`.

Two runs (or a run and a person) adding the same profile at once would leave
two: after an add, the profiles are listed again (by the verifying re-read
of the add's batch, see :attr:`._engine.Step.confirm`). A twin with a lower
number was there first: this run removes the one it added (by the number the
camera returned) and fails. A twin with a higher number is the other run's,
which does the same; this run waits a few seconds for it to go. When the
camera refuses the add (its slots taken by the other run's profile, or any
other device error) and then lists the declared profile, another run added it
(or the camera carried out the add it refused): this run fails with a
concurrent change, and adds back nothing it removed. A removal the camera
refuses because the profile is gone already is a concurrent change too (see
:func:`._engine.removal`).
"""

from __future__ import annotations

import time

from ansible_collections.vapix.edge_storage.plugins.module_utils import _stream_options
from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import (
    OneDiskResource,
    Step,
    UndeclaredRemoval,
    removal,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    DEVICE,
    PARAM,
    ConcurrentChangeError,
    ConflictError,
    EdgeStorageError,
    UnsupportedError,
    ValidationError,
    VapixError,
    damaged_answer,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._options import check_xml_text, disk_id_option
from ansible_collections.vapix.edge_storage.plugins.module_utils._parsers import DEFAULT_EVENT_ID

# How often, and how far apart, the profiles are listed again while a concurrent twin goes away.
TWIN_CHECKS = 10
TWIN_CHECK_INTERVAL = 0.5
# The fields before/after show for one profile (not its number: a re-created profile gets a new
# one the device picks, which check mode cannot know).
SHOWN_FIELDS = ("disk_id", "event_id", "options")

ARGUMENT_SPEC = dict(
    disk_id=disk_id_option(required=True),
    event_id=dict(type="str", default=DEFAULT_EVENT_ID),
    options=dict(type="raw"),
    state=dict(type="str", default="present", choices=["present", "absent"]),
    exclusive=dict(type="bool", default=False),
)
# Rules between options, for AnsibleModule and ArgumentSpecValidator alike.
ARGUMENT_RULES = dict(required_if=[["state", "present", ["options"]]])


def shown(state):
    return {key: state.get(key) for key in SHOWN_FIELDS}


def describe(state):
    """'profile 3 (disk SD_DISK, event id continuous, options fps=15&resolution=1280x720)'."""
    return "profile {} (disk {}, event id {}, options {})".format(
        state["profile"], state["disk_id"], state["event_id"], state["options"] or "none")


def remove_step(state, why="", final=True):
    """The removal of a listed profile; final: its absence is what the task declares (see _engine.removal)."""
    number = state["profile"]

    def gone(device):
        device.invalidate("profiles")
        return all(listed["profile"] != number for listed in device.continuous_profiles())
    return Step("remove", f"remove continuous recording {describe(state)}{why}",
                removal("continuous recording profile %s" % number,
                        lambda device: device.remove_continuous_profile(number), gone, final))


class ContinuousProfile(OneDiskResource):
    """One profile, found by disk id and event id."""

    kind = "continuous profile"
    reads = ("profiles",)
    write_calls = ("add_continuous_profile", "remove_continuous_profile")
    # The removal of the undeclared profiles planned before this one (exclusive or purge), if any;
    # set by OtherProfiles.
    others_removal = None

    def validate(self):
        super().validate()
        p = self.params
        if not (p.get("event_id") or "").strip():
            raise ValidationError("event_id is empty: give the event id that classifies the recordings "
                                  "(the camera's default is '%s')" % DEFAULT_EVENT_ID)
        check_xml_text(p, ("event_id",))
        self.options = _stream_options.canonical(p.get("options"), what="options")

    @property
    def event_id(self):
        return self.params["event_id"].strip()

    @property
    def identity(self):
        return f"continuous profile {self.disk_id}/{self.event_id}"

    def matching(self, device):
        """The listed profiles with this disk and event id, normalised, in profile-number order."""
        return [listed for listed in device.continuous_profiles()
                if listed["disk_id"] == self.disk_id and listed["event_id"] == self.event_id]

    def read(self, device):
        """The profile (the one with the wanted options when the camera has several alike), or None."""
        found = self.matching(device)
        if not found:
            return None
        same = [state for state in found if state["options"] == self.options]
        state = dict((same or found)[0])
        state["duplicates"] = len(found) - 1
        return state

    def desired(self):
        if self.params.get("state") == "absent":
            return None
        return {"disk_id": self.disk_id, "event_id": self.event_id, "options": self.options}

    def managed(self, state):
        if state is None:
            return {"state": "absent"}
        return dict(shown(state), state="present")

    def predict(self, current, steps):
        if not steps:
            return current
        wanted = self.desired()
        return None if wanted is None else dict(wanted, duplicates=0)

    def verify(self, current):
        problems = super().verify(current)
        if current is not None and current.get("duplicates"):
            problems.append("%d more profiles with disk %s and event id %s remain"
                            % (current["duplicates"], self.disk_id, self.event_id))
        return problems

    # -- planning ------------------------------------------------------------------------

    def plan(self, device, current):
        found = self.matching(device) if current is not None else []
        if self.desired() is None:
            return [remove_step(state) for state in found]
        kept = next((state for state in found if state["options"] == self.options), None)
        if kept is not None:
            return [remove_step(state, " (another profile with this disk and event id; profile %s has the declared "
                                       "options and is kept)" % kept["profile"])
                    for state in found if state is not kept]
        steps = [remove_step(state, " to re-create it with options %s (a profile cannot be changed)"
                             % (self.options or "none"), final=False) for state in found]
        device.require_disk(self.disk_id, "add %s" % self.identity)
        self._check_free_slot(device, freed=len(steps))
        disk_id, options, event_id = self.disk_id, self.options, self.event_id
        replaces = " (replaces the removed profile: a profile cannot be changed)" if steps else ""
        added = []

        def add(dev):
            added.append(add_or_restore(dev, disk_id, options, event_id, replaced=found))

        def no_twin(dev):
            if added[-1] is not None:
                keep_one_added(dev, disk_id, options, event_id, added[-1])
        steps.append(Step("add", "add continuous recording profile on disk %s, event id %s, options %s%s"
                          % (disk_id, event_id, options or "none", replaces), add, confirm=no_twin))
        return steps

    def _holds(self, listed):
        """Whether the listed profile has this profile's disk and event id."""
        return listed["disk_id"] == self.disk_id and listed["event_id"] == self.event_id

    def _check_free_slot(self, device, freed):
        """Fail before any write when every profile slot is taken by a profile this run keeps, or by one a
        profile declared before this one in the same run keeps or adds (they are applied first)."""
        limit = device.max_continuous_profiles()
        if limit is None:
            stated = device.local_storage_properties().get("NbrOfContinuousRecordingProfiles")
            raise damaged_answer(PARAM, device.where("param_list", [("group", "Properties.LocalStorage")]),
                                 "Properties.LocalStorage.NbrOfContinuousRecordingProfiles is %s while "
                                 "ContinuousRecording is yes: how many profiles the camera holds is unknown (not 0), "
                                 "so no profile is added" % ("missing" if stated is None
                                                             else "%r, not a whole number" % stated))
        if limit < 1:
            raise UnsupportedError(
                "continuous recording profiles",
                "Properties.LocalStorage.NbrOfContinuousRecordingProfiles is %s on this camera (firmware %s)"
                % (limit, device.firmware_version() or "unknown"))
        others = [listed for listed in device.continuous_profiles()
                  if not self._holds(listed) and not any(profile._holds(listed) for profile in self.earlier)
                  and not (self.others_removal is not None and self.others_removal.removes(device, listed))]
        # Each profile declared present before this one holds one slot when this one is added.
        before = [profile for profile in self.earlier if profile.desired() is not None]
        if len(others) + len(before) + len(self.matching(device)) - freed < limit:
            return
        holders = ["%s holds a slot" % describe(state) for state in others]
        holders.extend("%s, declared before it, holds a slot" % profile.identity for profile in before)
        raise ConflictError(
            "cannot add %s: the camera holds at most %d continuous recording profile%s and %s; set exclusive: "
            "true (in axis_edge_storage: purge: [continuous_profiles]) to remove the profiles not declared here, "
            "or remove %s first (state: absent with its disk_id "
            "and event_id)%s" % (self.identity, limit, "" if limit == 1 else "s", "; ".join(holders),
                                 "it" if len(holders) == 1 else "one of them",
                                 ", or declare fewer profiles" if before else ""),
            whatever_comes_first=True)


def add_or_restore(device, disk_id, options, event_id, replaced):
    """Add a profile and return the number the camera gave it (None when its answer names none); if the device
    refuses it, add back the profiles it was to replace.

    The error raised is the add's (its request, code and class), telling how the restore went: a refused
    add may have been carried out all the same (an error answered for a write the camera did), and then the
    restore fails in turn (no free slot); the camera is left as it is, for the run's report to show.

    When the camera refuses the add (a device error) and then lists the declared profile (same disk, event id
    and options), another run added it meanwhile, or the camera carried out the add it refused: either way the
    camera is as declared, a ConcurrentChangeError says so, and nothing is added back (which would leave a
    second profile with this disk and event id, or fail for want of a slot). An add whose answer was lost or
    damaged (the camera may have carried it out) is looked for the same way: listed, it was carried out, the
    add's error says so and nothing is added back (on a camera with a free slot, the camera would record both).
    """
    try:
        number = device.add_continuous_profile(disk_id, options, event_id)
    except VapixError as exc:
        try:
            present = _declared_present(device, disk_id, options, event_id)
        except EdgeStorageError as unread:
            if exc.error_class == DEVICE or not replaced:
                # The camera's refusal stands (unknown is not present), and an add that replaced nothing.
                present = None
            else:
                # Whether the add whose answer was lost was carried out is unknown: a restore could leave two.
                raise exc.with_hint("whether the camera carried out this run's add is unknown, since its profiles "
                                    "could not be listed again (%s); the removed %s was not added back, which "
                                    "could leave two profiles for this disk and event id: run the task again, it "
                                    "reads the camera afresh" % (unread, " and ".join(map(describe, replaced)))) \
                    from exc
        if present is not None:
            kept = ("; the profile%s this run removed to re-create it %s not added back"
                    % (("", "was") if len(replaced) == 1 else ("s", "were")) if replaced else "")
            if exc.error_class != DEVICE:
                raise exc.with_hint("the camera carried out this run's add all the same: it lists %s%s; it is "
                                    "as declared, so running the task again has nothing to do for it"
                                    % (describe(present), kept)) from exc
            raise ConcurrentChangeError(
                "the camera refused this run's add of the profile (%s), and now lists %s: another run or a person "
                "added it meanwhile (or the camera carried out the add it refused)%s; it is as declared, so running "
                "the task again has nothing to do for it" % (exc, describe(present), kept),
                refused=exc) from exc
        if not replaced:
            raise
        restored, failure = [], None
        for state in replaced:
            try:
                device.add_continuous_profile(state["disk_id"], state["options"], state["event_id"])
            except VapixError as restore_error:
                failure = (state, restore_error)
                break
            restored.append(state)
        if failure is None:
            told = ("the removed profile was added back with its previous options %s, so the camera records as "
                    "before" % " and ".join(state["options"] or "none" for state in restored))
        else:
            told = ("this run then tried to add back the removed %s, and that failed too: %s; the camera may "
                    "hold the new profile after all (a refused add may have been carried out), or no profile "
                    "for this disk and event id: see what the device is now"
                    % (describe(failure[0]), failure[1]))
            if restored:
                told = " and ".join(describe(state) for state in restored) + " was added back; " + told
        raise exc.with_hint(told)
    return number


def keep_one_added(device, disk_id, options, event_id, number, sleep=time.sleep):
    """keep_one after this run's add of profile number, from the verifying re-read of its batch on: an error
    reading the profiles says the add was carried out."""
    try:
        keep_one(device, disk_id, event_id, number, sleep, fresh=False)
    except VapixError as exc:
        raise exc.with_hint("this run's add was carried out: the camera holds profile %s (disk %s, event id "
                            "%s, options %s); what failed came after it, making sure no second profile with this "
                            "disk and event id is left (another run may add one at the same time)"
                            % (number, disk_id, event_id, options or "none")) from exc


def _declared_present(device, disk_id, options, event_id):
    """The listed profile with this disk, event id and options, read afresh; None when there is none. A list
    that cannot be read raises its error."""
    device.invalidate("profiles")
    return next((state for state in device.continuous_profiles() if state["disk_id"] == disk_id
                 and state["event_id"] == event_id and state["options"] == options), None)


def _twins(device, disk_id, event_id, number, fresh=True):
    """The listed profiles with this disk and event id other than profile number, read afresh (fresh), or as
    last read."""
    if fresh:
        device.invalidate("profiles")
    return [listed for listed in device.continuous_profiles()
            if listed["disk_id"] == disk_id and listed["event_id"] == event_id and listed["profile"] != number]


def keep_one(device, disk_id, event_id, number, sleep=time.sleep, fresh=True):
    """After adding profile number: leave exactly one profile with this disk and event id, or fail clearly.

    The first check reads the profiles afresh, or (fresh false) takes them as last read: the add forgot them,
    so that read came after it (the verifying re-read of the add's batch)."""
    for check in range(TWIN_CHECKS):
        twins = _twins(device, disk_id, event_id, number, fresh=fresh or check > 0)
        if not twins:
            return
        first = [state for state in twins if state["profile"] < number]
        if first:
            device.remove_continuous_profile(number)
            raise ConcurrentChangeError(
                "while this run added profile %s (disk %s, event id %s), another run or a person added %s; this run "
                "removed the profile it added and keeps that one; run the task again to converge its options"
                % (number, disk_id, event_id, "; ".join(describe(state) for state in first)))
        sleep(TWIN_CHECK_INTERVAL)
    raise ConcurrentChangeError(
        "after this run added profile %s (disk %s, event id %s), %s appeared and stayed; it was added by another run "
        "or a person, so it is left alone: remove the one you do not want" % (
            number, disk_id, event_id, "; ".join(describe(state) for state in twins)))


class OtherProfiles(UndeclaredRemoval):
    """Every profile on the camera but the declared ones is removed.

    The single module's exclusive mode declares one profile, a whole-camera
    purge the whole section (possibly none: then every profile goes). Planned
    before the declared profiles, which are told so: a slot this frees is free
    for them.
    """

    kind = "continuous profiles"
    reads = ("profiles",)

    def __init__(self, declared, reason):
        super().__init__(declared, reason)
        for profile in self.declared:
            profile.others_removal = self

    def _declared_numbers(self, device):
        return {state["profile"] for profile in self.declared for state in profile.matching(device)}

    def removes(self, device, listed):
        """Whether this removes the listed profile."""
        return listed["profile"] not in self._declared_numbers(device)

    def undeclared(self, device):
        own = self._declared_numbers(device)
        return {"profile %s" % listed["profile"]: listed for listed in device.continuous_profiles()
                if listed["profile"] not in own}

    def removal_steps(self, device, key, state, why):
        return [remove_step(state, why)]

    def show(self, state):
        return shown(state)

    def describe(self, key, state):
        return describe(state)


def build_resources(params):
    """The declared profile, preceded in exclusive mode by the removal of every other profile."""
    profile = ContinuousProfile(params)
    if params.get("exclusive"):
        return [OtherProfiles([profile], "exclusive: true"), profile]
    return [profile]
