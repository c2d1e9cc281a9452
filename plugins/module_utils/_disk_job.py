# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Maintenance jobs on one disk (``axis_disk_job``): check, repair or format.

The camera checks and repairs only an unmounted disk, so a run is
unmount -> job -> mount again, each job polled with disks/job.cgi until it
ends or ``job_timeout`` passes. The disk is mounted again only when the run
unmounted it; status ``failed`` does not say whether the disk is mounted, so an
unmount is tried and, when the camera refuses it, the job runs anyway and the
disk is left unmounted afterwards.

A check that finds errors is a finding, not a failure: job.cgi answers
``result="ERROR"`` with the finding as description, and the module returns it
(``clean: false``). A repair or format that ends in ERROR fails the task, after
the disk has been mounted again where it was mounted before. A job.cgi answer
without a known result (OK or ERROR) once the job has ended is a damaged answer,
never a success: nothing is sent after it, so the disk is left unmounted and the
message says so (the job may still be running).
A job that outlives ``job_timeout`` is not followed by a mount either (the camera
mounts no disk busy with a job): the message says to mount it once the job has
ended, since a rerun would run the job again (a format: a second erase).

Everything the camera would refuse (no such disk, no card, not ext4 for a
check or repair, a locked disk for repair or format, an encrypted disk it
cannot open), a format with another file system than the disk's required one
when the run mounts it again (the camera would format it back at that mount),
and the data-loss opt-in are checked before the first write.
"""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.module_utils._device import cgi_name
from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import (
    Step,
    mark_opt_in,
    opt_in_warnings,
    refuse_data_loss,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    DAMAGED_ANSWER,
    DISK_MANAGEMENT,
    ConflictError,
    EdgeStorageError,
    StepError,
    TaskTimedOut,
    ValidationError,
    VapixError,
    bad_job_timeout,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._jobs import (
    JobTimeout,
    disk_job_outcome,
    start_refused,
    wait_disk_job,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._options import disk_id_option, given_disk_id, job_timeout_option
from ansible_collections.vapix.edge_storage.plugins.module_utils._parsers import DISCONNECTED_STATUS, UNKNOWN_MOUNT_STATUS

ARGUMENT_SPEC = dict(
    disk_id=disk_id_option(required=True),
    action=dict(type="str", required=True, choices=["check", "repair", "format"]),
    filesystem=dict(type="str", choices=["ext4", "vfat", "cifs"]),
    allow_data_loss=dict(type="bool", default=False),
    job_timeout=job_timeout_option(),
)

# action -> (the Device call that starts the job, what the step does, destructive)
JOBS = {
    "check": ("check_disk", "check the file system of %s", False),
    "repair": ("repair_disk", "repair the file system of %s (damaged files may be lost)", True),
    "format": ("format_disk", "format %s with %s, erasing every recording on it", True),
}
UNREADABLE = ("wrong passphrase", "no passphrase")


class DiskJob:
    """One check, repair or format of one disk, with the unmount before and the mount after."""

    def __init__(self, params):
        self.params = params
        self.disk_id = given_disk_id(params)
        self.action = params["action"]
        self.timeout = params.get("job_timeout")
        self.findings = None
        self.unmounted = False
        if self.timeout is None or self.timeout <= 0:
            raise bad_job_timeout(self.timeout)
        if params.get("filesystem") and self.action != "format":
            raise ValidationError("filesystem applies to action: format only; leave it out for action: %s"
                                  % self.action)

    @property
    def identity(self):
        return "disk %s" % self.disk_id

    @property
    def destructive(self):
        return JOBS[self.action][2]

    @property
    def allows_data_loss(self):
        return bool(self.params.get("allow_data_loss"))

    # -- planning -----------------------------------------------------------------

    def plan(self, device):
        """(disk before, steps, whether the disk is mounted again at the end); no write."""
        disk = device.require_disk(self.disk_id, f"{self.action} {self.identity}")
        status = disk["status"]
        self._check_preconditions(device, disk, status)
        steps = []
        mounted = disk["mounted"]
        if mounted or status == UNKNOWN_MOUNT_STATUS:
            steps.append(self._unmount_step(mounted))
        steps.append(self._job_step(disk))
        if mounted or status == UNKNOWN_MOUNT_STATUS:
            steps.append(self._mount_step(mounted))
        return disk, steps

    def _check_preconditions(self, device, disk, status):
        if status == DISCONNECTED_STATUS:
            raise ConflictError("%s is disconnected (no SD card inserted, or no network share bound): there is "
                                "nothing to %s" % (self.identity, self.action))
        if status in UNREADABLE and self.action != "format":
            raise ConflictError("%s is encrypted and the camera cannot open it (status '%s'): set the right "
                                "passphrase with axis_encryption first, or format it" % (self.identity, status))
        filesystem = disk.get("filesystem")
        if self.action in ("check", "repair") and (filesystem != "ext4" or self.disk_id == "NetworkShare"):
            raise ConflictError("the camera can %s only an SD card with ext4; %s holds %s"
                                % (self.action, self.identity, filesystem or "no known file system"))
        if self.destructive and disk.get("locked"):
            raise ConflictError("%s is locked, and a locked disk cannot be %s: unlock it first "
                                "(axis_disk locked: false)" % (self.identity,
                                                               "formatted" if self.action == "format" else
                                                               "written to by a repair"))
        if self.action == "format":
            target = self.filesystem(disk)
            allowed = device.capabilities(self.disk_id).get("filesystems") or []
            if target is None:
                raise ValidationError("%s has no known file system (disks/list.cgi names none), so action: format "
                                      "needs filesystem: declare one of %s"
                                      % (self.identity, ", ".join(allowed) or "none"))
            if target not in allowed:
                raise ValidationError("%s cannot be formatted with %s; its capabilities allow: %s"
                                      % (self.identity, target, ", ".join(allowed) or "none"))
            required = disk.get("required_filesystem")
            remounts = disk["mounted"] or status == UNKNOWN_MOUNT_STATUS
            if remounts and required not in (None, "none") and target != required:
                raise ValidationError(
                    "%s has the required file system %s, so the camera formats it again as %s when this run mounts "
                    "it after the format with %s: format it with %s, or set required_filesystem: none first "
                    "(axis_disk)" % (self.identity, required, required, target, required))

    def filesystem(self, disk):
        return self.params.get("filesystem") or disk.get("filesystem")

    # -- steps ----------------------------------------------------------------------

    def _unmount_step(self, mounted):
        disk_id = self.disk_id
        why = "recording to it stops until it is mounted again" if mounted else \
            "status failed does not tell whether it is mounted; a refusal means it is not"

        def run(device):
            try:
                job_id = device.unmount(disk_id)
            except VapixError as exc:
                if mounted or not start_refused(exc):
                    raise   # a start that may have been carried out is no refusal
                return
            wait_disk_job(device, disk_id, job_id, "unmount of %s" % self.identity, self.timeout)
            self.unmounted = True
        return Step("unmount", f"unmount {self.identity} ({why})", run)

    def _job_step(self, disk):
        call, text, destructive = JOBS[self.action]
        filesystem = self.filesystem(disk) if self.action == "format" else None
        if self.action == "format":
            description = text % (self.identity, filesystem)
        else:
            description = text % self.identity
        description += " (%s)" % cgi_name(call)

        def start(device):
            if self.action == "format":
                return device.format_disk(self.disk_id, filesystem)
            if self.action == "repair":
                return device.repair_disk(self.disk_id)
            return device.check_disk(self.disk_id)

        def run(device):
            job_id = start(device)
            outcome = disk_job_outcome(device, self.disk_id, job_id, f"{self.action} of {self.identity}",
                                       self.timeout)
            self.findings = {
                "action": outcome.get("action") or self.action,
                "job_id": job_id,
                "result": outcome["result"],
                "description": outcome.get("description"),
                "progress": outcome.get("progress"),
            }
            # A check that finds errors reports them with result ERROR: that is what a check is for.
            if self.findings["result"] == "ERROR" and self.action != "check":
                raise VapixError(DISK_MANAGEMENT,
                                 device.where("disk_job", [("jobid", job_id), ("diskid", self.disk_id)]),
                                 "the %s job ended in ERROR: %s"
                                 % (self.action, outcome.get("description") or "no description"))
        return Step(self.action, description, run, destructive=destructive)

    def _mount_step(self, mounted):
        disk_id = self.disk_id

        def run(device):
            if not self.unmounted:
                return
            job_id = device.mount(disk_id)
            wait_disk_job(device, disk_id, job_id, "mount of %s" % self.identity, self.timeout)
        return Step("mount", "mount {} again{}".format(
            self.identity, "" if mounted else " (when the unmount above unmounted it)"), run)

    # -- running ----------------------------------------------------------------------

    def apply(self, device, steps):
        """Run the steps; when one after the unmount fails, mount the disk again before reporting."""
        done = []
        for index, step in enumerate(steps):
            try:
                step.run(device)
            except EdgeStorageError as exc:
                rest = steps[index + 1:]
                before_it = list(done)
                state_now = self._recover(device, step, exc, rest, done)
                # The remount after the failure is completed, but no change made before it.
                raise StepError(step.description, exc, done, state_now=state_now, changes=before_it,
                                not_run=[s.description for s in rest])
            done.append(step.description)

    def _recover(self, device, failed, cause, rest, done):
        """Mount the disk again when the failed step left it unmounted, unless the step failed on a damaged
        answer (nothing is sent after one) or its job may still be running: it outlived job_timeout or the task's
        own timeout, its start may have been carried out, or its progress could not be read (VapixError.job_may_run,
        set by _jobs.job_may_still_run; the camera mounts no busy disk); say where the disk stands."""
        remount = [step for step in rest if step.action == "mount"]
        note = ""
        if remount and self.unmounted and failed.action not in ("unmount", "mount"):
            if cause.error_class == DAMAGED_ANSWER:
                return self._where_now(device, "not mounted again, since nothing is sent after a damaged answer "
                                               "(the job may still be running): mount it with axis_disk state: "
                                               "mounted once it has ended; ")
            if isinstance(cause, (JobTimeout, TaskTimedOut)) or getattr(cause, "job_may_run", False):
                # The camera refuses a mount while the job runs; a rerun would run the job again (a format:
                # a second erase) and, the disk being unmounted then, leave it unmounted.
                return self._where_now(device, "not mounted again, since the %s job may still be running and the "
                                               "camera mounts no disk busy with a job: once it has ended, mount it "
                                               "with axis_disk state: mounted (running this task again would %s it "
                                               "again%s and leave it unmounted); "
                                       % (self.action, self.action,
                                          ", erasing it a second time," if self.action == "format" else ""))
            try:
                remount[0].run(device)
                done.append(remount[0].description)
                rest.remove(remount[0])
                note = "mounted again after the failure; "
            except EdgeStorageError as exc:
                note = "mounting it again failed too (%s); " % exc
        return self._where_now(device, note)

    def _where_now(self, device, note):
        """note, then the disk's status as the camera lists it now (the note alone when it cannot be read)."""
        try:
            device.invalidate()
            disk = device.disk(self.disk_id) or {}
            return "{}{} has status {}".format(note, self.identity, disk.get("status"))
        except EdgeStorageError:
            return note.rstrip("; ") or None


def run(module):
    """The axis_disk_job task: plan, refuse without the opt-in, run (not in check mode), report."""
    job = DiskJob(module.params)
    device = module.device
    disk, steps = job.plan(device)
    mark_opt_in(job, steps)
    result = {
        "action": job.action,
        "disk_id": job.disk_id,
        "status_before": disk.get("status"),
        "steps": [step.text for step in steps],
        "needs_allow_data_loss": [step.text for step in steps if step.needs_opt_in],
    }
    # unmount, mount, repair and format are writes; a check alone changes nothing
    result["changed"] = any(step.action in ("unmount", "mount") or step.destructive for step in steps)
    if module.check_mode:
        result.update(status_after=None, findings=None, clean=None, warnings=opt_in_warnings(steps))
        return result
    refuse_data_loss(steps, not_run=result["steps"])
    job.apply(device, steps)
    device.invalidate()
    after = device.disk(job.disk_id) or {}
    findings = job.findings or {}
    result.update(
        status_after=after.get("status"),
        findings=findings,
        clean=findings.get("result") == "OK",
    )
    return result
