# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Removal of recordings by a fixed selection (``axis_recording`` with ``state: absent``).

The selection (recording ids, a fixed time, an event id, a disk) is listed
first with record/list.cgi, so check mode shows exactly what would go and a
rerun finds nothing left: the module then changes nothing. The listed
recordings are removed by their ids, disk by disk
(``record/remove.cgi?recordingid=a,b&diskid=SD_DISK``, at most ``BATCH`` a
request), never by the camera's own filters, so what is removed is what was
listed, and active recordings are left out unless the task includes them. A
recording id is unique on its disk only (a recording copied to another disk
keeps its id): a recording is its disk and its id, and an id given in
``recording_ids`` selects every listed copy of it.

Every listed recording must be one the selection selects (its disk, event id
and time): the camera was asked for exactly that, so a list holding any other
recording is a damaged answer and nothing is removed (see
:func:`._recordings.recordings_page`); with ``recording_ids`` the ids are then
picked from the list.

A selection with recordings on a locked disk is refused before any write
(check mode too): the camera keeps a locked disk's recordings. Each request
(a disk's recordings, ``BATCH`` at a time) is one step, so a failure names
the requests done before it (``changed``) and those not run. The camera
answers per recording; one it keeps all the same (locked on its own, or on
a disk locked since the plan) fails the task with its reason, after the
others of its request went; the hint to unlock the disk is given only when
the disk list says the disk is locked. A recording that is already gone
("not found") counts as removed: the re-read after the removal shows
whether anything listed is still there.
"""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import (
    Step,
    apply_steps,
    mark_opt_in,
    opt_in_warnings,
    refuse_data_loss,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    RECORDING,
    ConcurrentChangeError,
    ConflictError,
    ConvergeError,
    EdgeStorageError,
    ValidationError,
    VapixError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._options import disk_id_option
from ansible_collections.vapix.edge_storage.plugins.module_utils._recordings import (
    AT_MAX_PAGES,
    given_recording_ids,
    iso,
    list_recordings,
    parse_time,
    recording_key,
    running,
)

ARGUMENT_SPEC = dict(
    state=dict(type="str", default="absent", choices=["absent"]),
    recording_ids=dict(type="list", elements="str"),
    before=dict(type="str"),
    event_id=dict(type="str"),
    disk_id=disk_id_option(),
    include_active=dict(type="bool", default=False),
    allow_data_loss=dict(type="bool", default=False),
)

PAGE_SIZE = 1000
MAX_PAGES = 50
BATCH = 50


class RecordingSelection:
    """The recordings a task selects, listed from the camera."""

    def __init__(self, params):
        self.ids = given_recording_ids(params)
        self.event_id = params.get("event_id") or None
        self.disk_id = params.get("disk_id") or None
        self.include_active = bool(params.get("include_active"))
        before = params.get("before")
        if params.get("recording_ids") is not None and not self.ids:
            raise ValidationError("recording_ids is empty: name at least one recording id, or leave it out")
        if self.ids and (before or self.event_id):
            raise ValidationError("recording_ids cannot be combined with before or event_id (the camera's "
                                  "remove.cgi takes either ids or filters): use one or the other")
        if not (self.ids or before or self.event_id or self.disk_id):
            raise ValidationError("select the recordings to remove: recording_ids, before, event_id and/or "
                                  "disk_id (to remove everything on a disk, give disk_id alone)")
        self.before = None
        if before:
            text = str(before).strip()
            if not (text[:1].isdigit() and "-" in text):
                raise ValidationError("before must be a fixed time, ISO 8601 UTC such as '2026-11-01T00:00:00Z', "
                                      "got '%s': a duration would select other recordings on every run" % before)
            self.before = parse_time(text, "before")

    def filters(self):
        filters = []
        if self.disk_id:
            filters.append(("diskid", self.disk_id))
        if self.event_id:
            filters.append(("eventid", self.event_id))
        if self.before is not None:
            # list.cgi stoptime selects recordings with any part at or before it, as remove.cgi beforetime does
            filters.append(("stoptime", iso(self.before)))
        else:
            filters.append(("recordingid", "all"))
        return filters

    def describe(self):
        parts = []
        if self.ids:
            parts.append("%d recording id(s)" % len(self.ids))
        if self.before is not None:
            parts.append("with any part on or before %s" % iso(self.before))
        if self.event_id:
            parts.append("of event id '%s'" % self.event_id)
        if self.disk_id:
            parts.append("on disk %s" % self.disk_id)
        return "recordings " + ", ".join(parts)

    def read(self, device):
        """(matching recordings oldest first, ids named but not on the camera)."""
        listing = list_recordings(device, self.filters(), PAGE_SIZE, MAX_PAGES)
        listed = listing.recordings
        if listing.stopped == AT_MAX_PAGES:
            raise ConflictError("more than %d recordings match %s (listing stopped after %d pages): narrow the "
                                "selection (an earlier before, an event id or a disk) and run again"
                                % (len(listed), self.describe(), listing.pages))
        if not listing.complete:
            # The camera's list moved while it was read: what it holds now is not known.
            raise ConcurrentChangeError("the %s could not all be listed (%s); %s"
                                        % (self.describe(), listing.summary(), listing.remedy(None)))
        if not self.ids:
            return listed, []
        ids = list(dict.fromkeys(self.ids))
        # every listed copy of an id: one on each disk that holds it
        return ([recording for rid in ids for recording in listed if recording["recording_id"] == rid],
                [rid for rid in ids if not any(recording["recording_id"] == rid for recording in listed)])


def counts(recordings):
    by_disk = {}
    by_event = {}
    for recording in recordings:
        by_disk[recording["disk_id"]] = by_disk.get(recording["disk_id"], 0) + 1
        event = recording.get("event_id") or ""
        by_event[event] = by_event.get(event, 0) + 1
    return {"total": len(recordings), "active": sum(1 for r in recordings if running(r)),
            "by_disk": by_disk, "by_event": by_event}


class RecordingRemoval:
    """Plan and run the removal of the selected recordings."""

    def __init__(self, params):
        self.selection = RecordingSelection(params)
        self.identity = self.selection.describe()
        self.allows_data_loss = bool(params.get("allow_data_loss"))

    def plan(self, device, recordings):
        active = [r for r in recordings if running(r)]
        if active and not self.selection.include_active:
            raise ConflictError(
                "%d of the selected recordings are still recording (%s); removing them stops them: set "
                "include_active: true to remove them too, or narrow the selection"
                % (len(active), ", ".join("{} on {}".format(r["recording_id"], r["disk_id"]) for r in active)))
        disks = sorted({r["disk_id"] for r in recordings})
        # The camera keeps every recording of a locked disk (disks/list.cgi says which are locked): refused here,
        # before any write and in check mode too, rather than planned and then refused by the camera.
        locked = [disk_id for disk_id in disks if (device.disk(disk_id) or {}).get("locked")]
        if locked:
            raise ConflictError(
                "disk%s %s %s locked, and the camera removes no recording of a locked disk (%d of the selected "
                "recordings are on it): unlock it first (axis_disk locked: false), or narrow the selection to "
                "another disk" % ("s" if len(locked) > 1 else "", ", ".join(locked),
                                  "are" if len(locked) > 1 else "is",
                                  sum(1 for r in recordings if r["disk_id"] in locked)))
        steps = []
        for disk_id in disks:
            mine = [r for r in recordings if r["disk_id"] == disk_id]
            # One step a request: a failure names the batches removed before it as done.
            batches = [mine[first:first + BATCH] for first in range(0, len(mine), BATCH)]
            steps.extend(self._step(disk_id, batch, number, len(batches))
                         for number, batch in enumerate(batches, 1))
        return steps

    def _step(self, disk_id, recordings, number, batches):
        """The removal of one batch (number of batches) of the recordings on disk_id, in one remove.cgi."""
        ids = [r["recording_id"] for r in recordings]
        tally = counts(recordings)
        detail = ", ".join("event '%s': %d" % (event, count) for event, count in sorted(tally["by_event"].items()))
        if tally["active"]:
            detail += "; %d active, stopped and removed" % tally["active"]

        def run(device):
            refused = []
            for rid, error in device.remove_recordings(ids, disk_id):
                if error and "not found" not in error.lower():
                    refused.append(f"{rid}: {error}")
            if refused:
                raise VapixError(RECORDING, device.where("remove_recordings"),
                                 "the camera kept %d of %d recordings on disk %s: %s%s"
                                 % (len(refused), len(ids), disk_id, "; ".join(refused),
                                    locked_disk_hint(device, disk_id)))
        return Step("remove_recordings", "remove %d recording(s) from disk %s%s (%s) (record/remove.cgi)"
                    % (len(ids), disk_id, ", batch %d of %d" % (number, batches) if batches > 1 else "", detail),
                    run, destructive=True)

    def state_now(self, device):
        try:
            device.invalidate()
            left, _missing = self.selection.read(device)
            return "%d of the selected recordings are still on the camera" % len(left)
        except EdgeStorageError:
            return None


def locked_disk_hint(device, disk_id):
    """What to do about recordings the camera kept, when disk_id is listed as locked (disks/list.cgi, read now):
    unlock it. Nothing otherwise: a recording the camera keeps locked itself ("Recording is locked") is no
    locked disk, and unlocking the disk would not help; nor when the list cannot be read."""
    try:
        device.invalidate("disks")   # read now: the list the plan read said the disk was not locked
        disk = device.disks().get(disk_id)
    except EdgeStorageError:
        return ""
    if not (disk or {}).get("locked"):
        return ""
    return " (disk %s is locked, and a locked disk keeps its recordings: unlock it with axis_disk locked: false)" \
        % disk_id


def recording_summary(recording):
    shown = {key: recording.get(key) for key in ("recording_id", "disk_id", "event_id", "start", "stop")}
    shown["active"] = running(recording)
    return shown


def run(module):
    """The axis_recording task: list, plan, refuse without the opt-in, remove (not in check mode), re-read."""
    removal = RecordingRemoval(module.params)
    device = module.device
    recordings, missing = removal.selection.read(device)
    steps = mark_opt_in(removal, removal.plan(device, recordings))
    result = {
        "changed": bool(steps),
        "steps": [step.text for step in steps],
        "needs_allow_data_loss": [step.text for step in steps if step.needs_opt_in],
        "recordings": [recording_summary(r) for r in recordings],
        "counts": counts(recordings),
        "not_found": missing,
    }
    if module.check_mode or not steps:
        return dict(result, warnings=opt_in_warnings(steps))
    refuse_data_loss(steps, not_run=result["steps"], assumed=False)
    apply_steps(device, removal, steps)
    removed = {recording_key(r) for r in recordings}
    device.invalidate()
    left, _missing = removal.selection.read(device)
    still = [r for r in left if recording_key(r) in removed]
    if still:
        raise ConvergeError(removal.identity, [f"{r['recording_id']} is still on disk {r['disk_id']}" for r in still])
    return result
