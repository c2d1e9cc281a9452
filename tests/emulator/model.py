"""The state model of one emulated Axis camera.

Plain Python objects hold ALL state (disks, shares, jobs, recordings, continuous profiles,
recording groups, storage limits, parameters, users).  Every documented precondition and
error code is enforced here; the HTTP layer (server.py) only parses, authenticates, routes
and renders.  All public methods are called with ``self.lock`` held by the caller (the HTTP
layer takes it around route+render) -- they also take it themselves, it is re-entrant.

Errors are raised as ``ApiError(code, description)``; ``code`` is the documented numeric
code of the API family (None for families without numeric codes, e.g. disk management).

"CHOICE:" comments mark where the documentation is silent and a decision was made; the
README lists them all.
"""

import datetime as _dt
import random
import re
import threading
import time

from . import profiles as _profiles
from . import streamopts as _streamopts

MIN_LIMIT_KB = 1048576          # storage limit: minimum non-zero value (1 GiB in kB)
MAX_PASSPHRASE = 512            # bytes, enablediskencryption / changediskpassphrase
LEVELS = {"viewer": 1, "operator": 2, "admin": 3}
DEFAULT_USERS = {
    "root": ("pass", "admin"),
    "operator": ("operpass", "operator"),
    "viewer": ("viewpass", "viewer"),
}
REC_KB = 20480                  # CHOICE: every emulated recording occupies 20 MiB


class ApiError(Exception):
    def __init__(self, code, description):
        Exception.__init__(self, description)
        self.code = code
        self.description = description


class ParamError(Exception):
    """param.cgi failure; ``lines`` are the '# Error:' lines to answer."""

    def __init__(self, lines):
        Exception.__init__(self, "; ".join(lines))
        self.lines = lines


def utcnow():
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)


def parse_time(text):
    """ISO 8601 UTC combined date and time; fraction and offset optional; no zone = UTC."""
    if text is None:
        return None
    t = text.strip()
    if t.endswith("Z") or t.endswith("z"):
        t = t[:-1] + "+00:00"
    try:
        value = _dt.datetime.fromisoformat(t)
    except ValueError:
        raise ValueError("invalid time %r" % text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=_dt.timezone.utc)
    return value.astimezone(_dt.timezone.utc)


def fmt_time(value, fraction=False):
    """UTC 'YYYY-MM-DDTHH:MM:SSZ'; with fraction, microseconds as firmware lists recordings ('...SS.349296Z')."""
    if value is None:
        return ""
    return value.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ" if fraction else
                                                       "%Y-%m-%dT%H:%M:%SZ")


def fmt_local(value, fraction=False):
    # CHOICE: the emulated camera's local time zone is UTC.
    if value is None:
        return ""
    return value.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00" if fraction else
                                                       "%Y-%m-%dT%H:%M:%S+00:00")


def yesno(flag):
    return "yes" if flag else "no"


def truefalse(flag):
    return "true" if flag else "false"


# --------------------------------------------------------------------------------------
# plain state objects
# --------------------------------------------------------------------------------------

class Disk:
    def __init__(self, group, spec):
        self.group = group                       # N of Storage.S<N>
        self.disk_id = spec["disk_id"]
        self.kind = spec["kind"]                 # "sd" or "share"
        self.device_node = spec["device_node"]
        self.present = spec.get("present", True)  # SD card inserted / share bound
        self.mounted = spec.get("mounted", False)
        self.filesystem = spec["filesystem"]
        self.total_kb = spec["total_kb"]
        self.base_used_kb = spec.get("base_used_kb", 0)
        self.cleanup_level = spec.get("cleanup_level", 90)
        self.cleanup_max_age = spec.get("cleanup_max_age", 7000)
        self.cleanup_policy = spec.get("cleanup_policy", "fifo")
        self.friendly_name = spec.get("friendly_name", "")
        self.locked = spec.get("locked", False)
        self.mount_on_boot = True
        self.auto_repair = True
        self.enabled = True
        self.extra_mount_options = ""
        self.mount_point_permissions = "0770"
        self.required_fs = spec.get("required_fs", "none")
        self.encryption_enabled = spec.get("encryption_enabled", False)
        self.encrypted = spec.get("encrypted", False)
        self.passphrase = spec.get("passphrase")
        # The passphrase the card's content is encrypted with when it is NOT the camera's own
        # (a card encrypted elsewhere, or the camera's passphrase since disabled); None when
        # the content is not encrypted or the camera's passphrase opens it.
        self.card_passphrase = None
        self.fs_errors = False                   # set by the "corrupt" fault
        self.failed = False                      # last mount failed
        self.busy_job = None                     # id of the running job on this disk
        self.share_id = spec.get("share_id")     # bound share (kind "share")
        self.limit_kb = 0                        # recording storage limit, 0 = disabled
        self.alert_wear = 90                     # CHOICE: default alert levels
        self.alert_temperature = 358
        self.wear = spec.get("wear", -1)

    @property
    def status(self):
        # Values from the disks/list.cgi documentation.
        if not self.present:
            return "disconnected"
        if self.fs_errors or self.failed:
            return "failed"
        if self.mounted:
            return "OK"
        if self.encryption_enabled and not self.encrypted:
            return "not encrypted"
        if self.wrong_passphrase:
            return "wrong passphrase"
        if self.encrypted and not self.encryption_enabled:
            return "no passphrase"
        return "connected"

    @property
    def wrong_passphrase(self):
        """Encrypted with a passphrase other than the one set on the camera."""
        return self.encrypted and self.encryption_enabled and self.card_passphrase is not None \
            and self.card_passphrase != self.passphrase

    def supported_fs(self):
        return ["vfat", "ext4"] if self.kind == "sd" else ["cifs"]


class Share:
    def __init__(self, share_id, nicename, address, share, user, password):
        self.share_id = share_id
        self.nicename = nicename
        self.address = address
        self.share = share
        self.user = user
        self.password = password
        self.disk_id = None                      # disk the share is bound to


class Recording:
    def __init__(self, rec_id, disk_id, start, stop, event_id, rtype, trigger, options,
                 profile=None):
        self.rec_id = rec_id
        self.disk_id = disk_id
        self.start = start
        self.stop = stop                         # None while recording
        self.event_id = event_id
        self.rtype = rtype                       # continuous / triggered / scheduled
        self.trigger = trigger
        self.options = options
        self.profile = profile                   # continuous profile number, if any
        self.size_kb = REC_KB
        self.source = "1"

    @property
    def active(self):
        return self.stop is None

    def resolution(self):
        m = re.search(r"resolution=(\d+)x(\d+)", self.options or "")
        if m:
            return int(m.group(1)), int(m.group(2))
        return 1920, 1080


class ContinuousProfile:
    def __init__(self, number, disk_id, options, event_id):
        self.number = number
        self.disk_id = disk_id
        self.options = options
        self.event_id = event_id


class RecordingGroup:
    def __init__(self, group_id, nicename, description, retention, disk_id, streamoptions,
                 pre, post):
        self.group_id = group_id
        self.nicename = nicename
        self.description = description
        self.retention = retention
        self.disk_id = disk_id
        self.streamoptions = streamoptions
        self.pre = pre
        self.post = post
        self.in_use = False                      # test hook groups/in_use: error 140


class Job:
    """A disk job (format/checkdisk/repair/mount/unmount) or a share test."""

    def __init__(self, job_id, kind, disk_id, polls, effect, fail=False, error=None):
        self.job_id = job_id
        self.kind = kind
        self.disk_id = disk_id
        self.polls_needed = max(1, polls)
        self.polls = 0
        self.effect = effect                     # callable -> None or error description
        self.fail = fail                         # forced failure (fault "fail_job")
        self.error = error                       # share test: (code, description) outcome
        self.done = False
        self.result = "OK"
        self.description = ""
        self.started = time.monotonic()


# --------------------------------------------------------------------------------------
# the camera
# --------------------------------------------------------------------------------------

class CameraModel:
    """All state of one camera.  ``index`` makes serial numbers unique within a fleet."""

    def __init__(self, profile="modern", index=0, users=None, job_polls=3, job_seconds=30.0):
        self.lock = threading.RLock()
        self.index = index
        self.users = dict(users or DEFAULT_USERS)
        self.job_polls = job_polls               # job.cgi polls until a job ends
        self.job_seconds = job_seconds           # ... or this long, whichever first (None: never)
        self.stuck_jobs = False                  # fault: jobs never end
        self.fail_next = set()                   # fault: next job of these kinds fails
        self.refuse_params = set()               # fault: next update setting one of these applies the rest only
        self.changed = False                     # set by every mutation (request log "changed")
        self.reset(profile)

    # ---- factory state -------------------------------------------------------------

    def reset(self, profile=None):
        with self.lock:
            prof = _profiles.get_profile(profile or self.profile_name)
            self.profile_name = prof["name"]
            self.profile = prof
            self.clock_offset = _dt.timedelta(0)   # the camera's clock = wall clock + this (test hook)
            self.features = set(prof["features"])
            base_serial = int(prof["serial"], 16)
            self.serial = "%012X" % (base_serial + self.index)
            self.rng = random.Random(base_serial + self.index)
            self.max_profiles = prof["max_profiles"]
            self.max_groups = prof["max_groups"]
            self.max_shares = prof["max_shares"]
            self.auth_policy = prof["auth_policy"]
            self.auth_with_qop = prof["auth_with_qop"]
            self.default_disk = "SD_DISK"
            self.split_duration = 300
            self.disks = [Disk(i, spec) for i, spec in enumerate(prof["disks"])]
            self.shares = []
            for spec in prof["shares"]:
                share = Share(spec["share_id"], spec["nicename"], spec["address"], spec["share"],
                              spec.get("user", ""), spec.get("password", ""))
                self.shares.append(share)
            for disk in self.disks:
                if disk.share_id:
                    self.share(disk.share_id).disk_id = disk.disk_id
            self.share_seq = 0
            self.job_seq = 0
            self.jobs = {}
            self.share_jobs = {}
            self.recordings = []
            for spec in prof["recordings"]:
                start = parse_time(spec["start"])
                self.recordings.append(Recording(
                    self._rec_id(start), spec["disk_id"], start, parse_time(spec["stop"]),
                    spec["event_id"], spec["type"], spec["trigger"], spec["options"]))
            self.profiles = []
            self.profile_seq = 0
            self.groups = []
            self.stuck_jobs = False
            self.fail_next = set()
            self.refuse_params = set()
            self.changed = False

    # ---- clock ---------------------------------------------------------------------

    def now(self):
        """The camera's clock: recordings, list.cgi filters and the HTTP Date header use it."""
        return utcnow() + self.clock_offset

    def advance_clock(self, seconds):
        """Let time pass on the camera: recordings go on, cleanup removes what aged out."""
        if seconds < 0:
            raise ValueError("the camera's clock does not go back (advance by %s s)" % seconds)
        with self.lock:
            self.clock_offset += _dt.timedelta(seconds=seconds)
            self.cleanup()
            self.sync_recordings()

    def restart(self, seconds=60):
        """A restart: every recording ends now and continuous ones start again when it is up."""
        with self.lock:
            now = self.now()
            for rec in self.recordings:
                if rec.active:
                    rec.stop = now
            self.advance_clock(seconds)

    def cleanup(self):
        """Automatic cleanup (policy fifo): finished recordings older than the disk's
        cleanup_max_age (days, 0 = no limit) go; so do the oldest finished ones while a
        disk is fuller than its cleanup_level (percent)."""
        now = self.now()
        for disk in self.disks:
            if disk.cleanup_policy != "fifo" or not disk.present:
                continue
            done = sorted((r for r in self.recordings if r.disk_id == disk.disk_id and not r.active),
                          key=lambda r: r.start)
            if disk.cleanup_max_age:
                oldest_kept = now - _dt.timedelta(days=disk.cleanup_max_age)
                for rec in [r for r in done if r.stop < oldest_kept]:
                    self.recordings.remove(rec)
                    done.remove(rec)
            while done and disk.total_kb and \
                    (disk.total_kb - self.free_kb(disk)) * 100 > disk.total_kb * disk.cleanup_level:
                self.recordings.remove(done.pop(0))

    def remove_oldest(self, count, disk_id=None):
        """The fifo cleanup of a full disk at work: the count oldest finished recordings (on disk_id, else on any
        disk) go, as between two requests of a client."""
        with self.lock:
            done = sorted((r for r in self.recordings if not r.active and disk_id in (None, r.disk_id)),
                          key=lambda r: (r.start, r.rec_id))
            for rec in done[:count]:
                self.recordings.remove(rec)

    # ---- helpers -------------------------------------------------------------------

    def has(self, feature):
        return feature in self.features

    def _mark(self):
        self.changed = True

    def _rec_id(self, start):
        return "{}_{:04X}_{}".format(start.strftime("%Y%m%d_%H%M%S"), self.rng.randrange(0x10000),
                                     self.serial)

    def disk(self, disk_id):
        for disk in self.disks:
            if disk.disk_id == disk_id:
                return disk
        return None

    def share(self, share_id):
        for share in self.shares:
            if share.share_id == share_id:
                return share
        return None

    def visible_recordings(self):
        # CHOICE: recordings are listed only from mounted ("attached") disks.
        mounted = {d.disk_id for d in self.disks if d.mounted}
        return [r for r in self.recordings if r.disk_id in mounted]

    def used_kb(self, disk):
        return sum(r.size_kb for r in self.recordings if r.disk_id == disk.disk_id)

    def free_kb(self, disk):
        if not disk.present:
            return 0
        return max(0, disk.total_kb - disk.base_used_kb - self.used_kb(disk))

    def disk_sizes(self, disk):
        """(totalsize, freesize) as list.cgi reports them."""
        if not disk.present:
            return 0, 0       # CHOICE: absent card / unbound share report size 0
        return disk.total_kb, self.free_kb(disk)

    # ---- continuous recording ------------------------------------------------------

    def _usable(self, disk):
        return disk is not None and disk.present and disk.mounted and not disk.locked \
            and disk.busy_job is None and self.free_kb(disk) > 0

    def sync_recordings(self):
        """Active continuous profiles record whenever their disk is usable."""
        now = self.now()
        for rec in self.recordings:
            if rec.active and not self._usable(self.disk(rec.disk_id)):
                rec.stop = now
        for prof in self.profiles:
            disk = self.disk(prof.disk_id)
            active = [r for r in self.recordings if r.profile == prof.number and r.active]
            if self._usable(disk) and not active:
                self.recordings.append(Recording(self._rec_id(now), prof.disk_id, now, None,
                                                 prof.event_id, "continuous", "continuous",
                                                 prof.options, profile=prof.number))

    # ---- jobs ----------------------------------------------------------------------

    def tick(self):
        """Finish jobs whose time is up (a real device does not wait for polls)."""
        if self.job_seconds is None or self.stuck_jobs:
            return
        now = time.monotonic()
        for job in list(self.jobs.values()) + list(self.share_jobs.values()):
            if not job.done and now - job.started >= self.job_seconds:
                self._finish(job)

    def _new_job(self, kind, disk_id, effect, error=None):
        self.job_seq += 1
        fail = kind in self.fail_next
        self.fail_next.discard(kind)
        return Job(self.job_seq, kind, disk_id, self.job_polls, effect, fail=fail, error=error)

    def _finish(self, job):
        job.done = True
        disk = self.disk(job.disk_id) if job.disk_id else None
        if disk is not None and disk.busy_job == job.job_id:
            disk.busy_job = None
        if job.fail:
            job.result = "ERROR"
            job.description = "%s failed" % job.kind
            if job.kind == "test":
                job.error = (710, "Error while mounting network share.")
                job.description = job.error[1]
            if disk is not None and job.kind in ("mount", "format"):
                # the documented error state: the disk is not mounted and reports status
                # "failed" until a later format or mount succeeds
                disk.failed = True
                disk.mounted = False
        elif job.error is not None:
            job.result = "ERROR"
            job.description = job.error[1]
        else:
            err = job.effect() if job.effect else None
            if err:
                job.result = "ERROR"
                job.description = err
            else:
                job.result = "OK"
                job.description = "Done"
        self.sync_recordings()

    def _advance(self, job):
        if job.done:
            return
        job.polls += 1
        if self.stuck_jobs:
            return                               # fault: never ends (progress stops at 99)
        if job.polls >= job.polls_needed:
            self._finish(job)

    @staticmethod
    def progress(job):
        """Percent done: rises with every poll (33, 66, 100 for 3 polls); 100 only at the end."""
        if job.done:
            return 100
        return min(99, 100 * job.polls // job.polls_needed)

    def poll_disk_job(self, job_id, disk_id):
        """disks/job.cgi.  Returns the Job (advanced by one poll)."""
        with self.lock:
            try:
                job = self.jobs[int(job_id)]
            except (TypeError, ValueError, KeyError):
                raise ApiError(None, "No such job")
            if disk_id is not None and disk_id != job.disk_id:
                raise ApiError(None, "No such job on disk %s" % disk_id)
            self._advance(job)
            return job

    def poll_share_job(self, job_id):
        with self.lock:
            try:
                job = self.share_jobs[int(job_id)]
            except (TypeError, ValueError, KeyError):
                raise ApiError(20, "Invalid request: no such job")
            self._advance(job)
            return job

    # ---- disk management -----------------------------------------------------------

    def _disk_for_job(self, disk_id):
        disk = self.disk(disk_id) if disk_id else None
        if disk is None:
            raise ApiError(None, "Invalid disk ID")
        if disk.busy_job is not None:
            raise ApiError(None, "Disk is busy with job %d" % disk.busy_job)
        return disk

    def _start(self, disk, job, mark=True):
        self.jobs[job.job_id] = job
        disk.busy_job = job.job_id
        if mark:        # a check changes nothing on the disk: not a change for the log
            self._mark()
        self.sync_recordings()
        return job

    def _wipe(self, disk, filesystem):
        disk.filesystem = filesystem
        if disk.kind == "sd":
            # a network share keeps the data other products put there; only this camera's
            # recordings go (documented for format.cgi with filesystem=cifs)
            disk.base_used_kb = 0
        disk.fs_errors = False
        disk.failed = False
        if disk.kind == "sd":
            disk.encrypted = disk.encryption_enabled
            disk.card_passphrase = None
        self.recordings = [r for r in self.recordings if r.disk_id != disk.disk_id]

    def start_format(self, disk_id, filesystem=None):
        with self.lock:
            disk = self._disk_for_job(disk_id)
            if not disk.present:
                raise ApiError(None, "No disk present")
            if disk.locked:
                raise ApiError(None, "Disk is locked")
            fs = filesystem or disk.filesystem
            if fs not in disk.supported_fs():
                raise ApiError(None, "File system %s is not supported by the disk" % fs)
            was_mounted = disk.mounted

            def effect():
                self._wipe(disk, fs)
                # CHOICE: a disk formatted while mounted is mounted again afterwards.
                disk.mounted = was_mounted
            return self._start(disk, self._new_job("format", disk.disk_id, effect))

    def _ext4_unmounted(self, disk, action):
        if disk.kind != "sd" or not disk.present:
            raise ApiError(None, "Only SD cards can be %s" % action)
        if disk.filesystem != "ext4":
            raise ApiError(None, "Only ext4 file systems can be %s" % action)
        if disk.mounted:
            raise ApiError(None, "Disk is mounted")
        if disk.encrypted and not disk.encryption_enabled:
            raise ApiError(None, "Disk is encrypted and no passphrase is set")
        if disk.wrong_passphrase:
            raise ApiError(None, "Disk is encrypted with another passphrase")

    def start_checkdisk(self, disk_id):
        with self.lock:
            disk = self._disk_for_job(disk_id)
            self._ext4_unmounted(disk, "checked")

            def effect():
                if disk.fs_errors:
                    return "File system errors found, repair the disk"
                return None
            return self._start(disk, self._new_job("checkdisk", disk.disk_id, effect), mark=False)

    def start_repair(self, disk_id):
        with self.lock:
            disk = self._disk_for_job(disk_id)
            self._ext4_unmounted(disk, "repaired")

            def effect():
                disk.fs_errors = False
                disk.failed = False
            return self._start(disk, self._new_job("repair", disk.disk_id, effect))

    def share_failure(self, address, share, user, password):
        """Deterministic outcome of reaching a share (the emulator has no network).

        Returns None when the share works, else (code, description) of the documented
        network share error codes.  The rule (README "Share test outcomes"):
          address ending in ".invalid"                 -> 700 no such host name
          address "unreachable.example" (or *.unreachable.example) -> 760 cannot connect
          address "internal-error.example"             -> 720 internal error while mounting
          user "baduser" or password "wrongpass"       -> 710 error while mounting (login)
          share "readonly"                             -> 740 cannot write to the share
          share "writeonly"                            -> 750 cannot read back what was written
        """
        address = (address or "").lower()
        if address.endswith(".invalid"):
            return (700, "No such hostname.")
        if address == "unreachable.example" or address.endswith(".unreachable.example"):
            return (760, "Problem connecting to the share.")
        if address == "internal-error.example":
            return (720, "Internal error while mounting network share.")
        if user == "baduser" or password == "wrongpass":
            return (710, "Error while mounting network share.")
        if share == "readonly":
            return (740, "Problem writing to the share.")
        if share == "writeonly":
            return (750, "Problem reading data written to the share.")
        return None

    def _mount_failure(self, disk):
        if disk.kind == "share":
            share = self.share(disk.share_id)
            if share is None:
                return "No network share bound"
            err = self.share_failure(share.address, share.share, share.user, share.password)
            if err and err[0] in (700, 710, 720, 760):
                return err[1]
        return None

    def start_mount(self, disk_id, action):
        with self.lock:
            if action not in ("mount", "unmount"):
                raise ApiError(None, "Invalid action")
            disk = self._disk_for_job(disk_id)
            if not disk.present:
                raise ApiError(None, "No network share bound" if disk.kind == "share"
                               else "No disk present")
            if action == "unmount":
                if not disk.mounted:
                    raise ApiError(None, "Disk is not mounted")

                def effect():
                    disk.mounted = False
                return self._start(disk, self._new_job("unmount", disk.disk_id, effect))
            if disk.mounted:
                raise ApiError(None, "Disk is already mounted")
            if not disk.enabled:
                raise ApiError(None, "Disk is disabled")

            def effect():
                err = self._mount_failure(disk)
                if err:
                    disk.failed = True
                    return err
                autoformat = disk.required_fs != "none" and not disk.locked
                if disk.wrong_passphrase:
                    # CHOICE: never formatted automatically, not even with a required file
                    # system: the documentation says to set the correct passphrase, and the
                    # right one would open the card's recordings again.
                    return "Disk is encrypted with another passphrase, set the correct " \
                           "passphrase or format it"
                if disk.encryption_enabled and not disk.encrypted:
                    if not autoformat:
                        disk.failed = False
                        return "Disk is not encrypted, format it before mounting"
                    self._wipe(disk, disk.required_fs)
                elif disk.encrypted and not disk.encryption_enabled:
                    if not autoformat:
                        return "Disk is encrypted but encryption is disabled, format it"
                    self._wipe(disk, disk.required_fs)
                elif autoformat and disk.filesystem != disk.required_fs:
                    self._wipe(disk, disk.required_fs)
                disk.failed = False
                disk.mounted = True
            return self._start(disk, self._new_job("mount", disk.disk_id, effect))

    def insert_card(self, disk_id, card_passphrase=None):
        """Fault "insert": the SD card is inserted (again) and mounted.

        With ``card_passphrase`` it is another card, encrypted with that passphrase (CHOICE:
        ext4, empty, none of the old card's recordings).  The camera mounts it only when its
        own encryption settings open it; otherwise it stays unmounted with status
        ``wrong passphrase`` (encryption enabled, other passphrase) or ``no passphrase``
        (encryption disabled).
        """
        with self.lock:
            disk = self.disk(disk_id)
            if disk is None or disk.kind != "sd":
                raise ValueError("insert: no such SD disk %r" % disk_id)
            if card_passphrase is not None and not isinstance(card_passphrase, str):
                raise ValueError("card_passphrase must be a string")
            disk.present = True
            disk.failed = disk.fs_errors = False
            if card_passphrase is None:
                disk.mounted = True
            else:
                if disk.busy_job is not None:
                    raise ValueError("insert: %s is busy with job %d" % (disk_id, disk.busy_job))
                self.recordings = [r for r in self.recordings if r.disk_id != disk_id]
                disk.filesystem, disk.base_used_kb = "ext4", 0
                disk.encrypted = True
                opens = disk.encryption_enabled and disk.passphrase == card_passphrase
                disk.card_passphrase = None if opens else card_passphrase
                disk.mounted = opens
            self._mark()
            self.sync_recordings()

    def set_lock(self, disk_id, action):
        with self.lock:
            disk = self.disk(disk_id) if disk_id else None
            if disk is None:
                raise ApiError(None, "Invalid disk ID")
            if action not in ("lock", "unlock"):
                raise ApiError(None, "Invalid action")
            want = action == "lock"
            if disk.locked != want:
                disk.locked = want
                self._mark()
                self.sync_recordings()

    def list_disks(self, diskid_arg):
        with self.lock:
            if not diskid_arg or diskid_arg == "all":
                return list(self.disks)
            wanted = [d.strip() for d in diskid_arg.split(",")]
            # CHOICE: unknown disk IDs are simply not listed (numberofdisks counts the rest).
            return [d for d in self.disks if d.disk_id in wanted]

    # ---- disk properties -----------------------------------------------------------

    def _prop_disk(self, disk_id, code=50):
        disk = self.disk(disk_id) if disk_id else None
        if disk is None:
            raise ApiError(code, "Invalid disk ID.")
        return disk

    def set_required_fs(self, disk_id, filesystem):
        with self.lock:
            disk = self._prop_disk(disk_id, code=20)   # setrequiredfs lists 10,20,30,40 only
            if filesystem is None:
                raise ApiError(20, "Invalid request: filesystem is required.")
            if filesystem not in ("none", "ext4") or (disk.kind != "sd" and filesystem != "none"):
                raise ApiError(30, "Specified file system is not supported.")
            if disk.required_fs != filesystem:
                disk.required_fs = filesystem
                self._mark()

    def _encryption_disk(self, disk_id):
        disk = self._prop_disk(disk_id)
        if disk.kind != "sd" or not self.has("encryption"):
            raise ApiError(100, "The disk does not support disk encryption.")
        return disk

    def enable_encryption(self, disk_id, passphrase):
        with self.lock:
            disk = self._encryption_disk(disk_id)
            if not passphrase or len(passphrase.encode("utf-8")) > MAX_PASSPHRASE:
                raise ApiError(110, "Invalid passphrase.")
            if disk.encryption_enabled:
                raise ApiError(140, "Encryption is already enabled.")
            if disk.mounted or disk.busy_job is not None:
                raise ApiError(160, "The disk is mounted. Encryption can only be enabled/disabled "
                                    "when the disk is unmounted.")
            disk.encryption_enabled = True
            disk.passphrase = passphrase
            if disk.card_passphrase == passphrase:
                disk.card_passphrase = None      # the right passphrase opens the card again
            self._mark()

    def disable_encryption(self, disk_id):
        with self.lock:
            disk = self._encryption_disk(disk_id)
            if disk.mounted or disk.busy_job is not None:
                raise ApiError(160, "The disk is mounted. Encryption can only be enabled/disabled "
                                    "when the disk is unmounted.")
            if disk.encryption_enabled:      # CHOICE: disabling when disabled is a no-op success
                if disk.encrypted and disk.card_passphrase is None:
                    # the content stays encrypted with the passphrase being dropped
                    disk.card_passphrase = disk.passphrase
                disk.encryption_enabled = False
                disk.passphrase = None
                self._mark()

    def change_passphrase(self, disk_id, old, new):
        with self.lock:
            disk = self._encryption_disk(disk_id)
            if not disk.encryption_enabled:
                # CHOICE: no documented code for "encryption not enabled"; 10 is the generic one.
                raise ApiError(10, "Disk encryption is not enabled.")
            if not new or len(new.encode("utf-8")) > MAX_PASSPHRASE:
                raise ApiError(120, "Invalid new passphrase.")
            if not disk.mounted:
                raise ApiError(150, "The disk is unmounted. Passphrase can only be changed when "
                                    "the disk is mounted.")
            if old != disk.passphrase:
                raise ApiError(130, "The oldpassphrase does not match the existing passphrase.")
            if new != disk.passphrase:
                disk.passphrase = new
                self._mark()

    def set_cleanup_max_age(self, disk_id, maxage):
        with self.lock:
            disk = self._prop_disk(disk_id)
            value = _int_in(maxage, 0, 7000)
            if value is None:
                raise ApiError(20, "Invalid request: maxage must be 0-7000.")
            if disk.cleanup_max_age != value:
                disk.cleanup_max_age = value
                self._mark()

    def set_cleanup_policy(self, disk_id, policy):
        with self.lock:
            disk = self._prop_disk(disk_id)
            if policy not in ("fifo", "none"):
                raise ApiError(20, "Invalid request: cleanuppolicy must be fifo or none.")
            if disk.cleanup_policy != policy:
                disk.cleanup_policy = policy
                self._mark()

    def set_alert_levels(self, disk_id, wear, temperature):
        with self.lock:
            disk = self._prop_disk(disk_id)
            if wear is None and temperature is None:
                raise ApiError(20, "Invalid request: wear or temperature is required.")
            w = disk.alert_wear if wear is None else _int_in(wear, 0, None)
            t = disk.alert_temperature if temperature is None else _int_in(temperature, 0, None)
            if w is None or t is None:
                raise ApiError(20, "Invalid request: alert levels must be integers >= 0.")
            if (w, t) != (disk.alert_wear, disk.alert_temperature):
                disk.alert_wear, disk.alert_temperature = w, t
                self._mark()

    def get_alert_levels(self, disk_id):
        with self.lock:
            disk = self._prop_disk(disk_id)
            return disk.alert_wear, disk.alert_temperature

    # ---- network shares ------------------------------------------------------------

    def list_shares(self, shareid_arg):
        with self.lock:
            if shareid_arg is None:
                raise ApiError(20, "Invalid request: shareid is required.")
            if shareid_arg == "all":
                return list(self.shares)
            wanted = [s.strip() for s in shareid_arg.split(",")]
            return [s for s in self.shares if s.share_id in wanted]

    def add_share(self, nicename, address, share, shareid=None, user=None, password=None):
        with self.lock:
            if not nicename or not address or not share:
                raise ApiError(20, "Invalid request: nicename, address and share are required.")
            if shareid is not None and not re.fullmatch(r"[A-Za-z0-9-]+", shareid):
                raise ApiError(200, "Invalid ShareId")
            if shareid is not None and self.share(shareid):
                raise ApiError(210, "The ShareId is not unique")
            if any(s.nicename == nicename for s in self.shares):
                raise ApiError(220, "The NiceName is not unique")
            if len(self.shares) >= self.max_shares:
                raise ApiError(230, "Maximum number of network shares is already reached.")
            if shareid is None:
                # CHOICE: generated ids are 5-digit numbers, as in the documentation example.
                while True:
                    self.share_seq += 1
                    shareid = str(35418 + self.share_seq)
                    if not self.share(shareid):
                        break
            self.shares.append(Share(shareid, nicename, address, share, user or "", password or ""))
            self._mark()
            return shareid

    def _existing_share(self, shareid):
        if not shareid:
            raise ApiError(20, "Invalid request: shareid is required.")
        share = self.share(shareid)
        if share is None:
            # CHOICE: unknown share id -> 20 (no dedicated code is documented).
            raise ApiError(20, "Invalid request: no such share %s." % shareid)
        return share

    def modify_share(self, shareid, nicename=None, address=None, share=None, user=None,
                     password=None):
        with self.lock:
            sh = self._existing_share(shareid)
            others = (address, share, user, password)
            # CHOICE: on a bound share any argument other than nicename is refused (600),
            # even when it repeats the current value.
            if sh.disk_id is not None and any(v is not None for v in others):
                raise ApiError(600, "The network share is bound and cannot be modified. "
                                    "Use unbind.cgi to unbind the share.")
            if nicename is not None and any(s.nicename == nicename and s is not sh
                                            for s in self.shares):
                raise ApiError(620, "The NiceName parameter is not unique.")
            before = (sh.nicename, sh.address, sh.share, sh.user, sh.password)
            if nicename is not None:
                sh.nicename = nicename
            if address is not None:
                sh.address = address
            if share is not None:
                sh.share = share
            if user is not None:
                sh.user = user
            if password is not None:
                sh.password = password
            if before != (sh.nicename, sh.address, sh.share, sh.user, sh.password):
                self._mark()

    def remove_shares(self, shareid_arg):
        with self.lock:
            if not shareid_arg:
                raise ApiError(20, "Invalid request: shareid is required.")
            targets = [self._existing_share(s.strip()) for s in shareid_arg.split(",")]
            for sh in targets:
                if sh.disk_id is not None:
                    raise ApiError(500, "The network share is bound and cannot be removed. "
                                        "Use unbind.cgi to unbind the share.")
            for sh in targets:
                self.shares.remove(sh)
            self._mark()

    def bind_share(self, shareid, automaticmount="yes"):
        with self.lock:
            sh = self._existing_share(shareid)
            if sh.disk_id is not None:
                raise ApiError(310, "The network share is already bound to a disk.")
            free = [d for d in self.disks if d.kind == "share" and d.share_id is None]
            if not free:
                raise ApiError(300, "No available disk. Check if another network share is "
                                    "already bound.")
            disk = free[0]
            disk.share_id = sh.share_id
            disk.present = True
            disk.failed = False
            sh.disk_id = disk.disk_id
            # CHOICE: the automatic mount after binding is immediate (no job); a share that
            # cannot be reached (see share_failure) leaves the disk in status "failed".
            if (automaticmount or "yes") != "no":
                err = self._mount_failure(disk)
                if err:
                    disk.failed = True
                else:
                    disk.mounted = True
            self._mark()
            self.sync_recordings()
            return disk.disk_id

    def unbind_share(self, shareid):
        with self.lock:
            sh = self._existing_share(shareid)
            if sh.disk_id is None:
                raise ApiError(20, "Invalid request: the network share is not bound.")
            disk = self.disk(sh.disk_id)
            if disk.mounted or disk.busy_job is not None:
                raise ApiError(400, "The network share is mounted and cannot be unbound. Unmount "
                                    "the share using Disk Management API.")
            disk.share_id = None
            disk.present = False
            disk.failed = False
            sh.disk_id = None
            self._mark()

    def start_share_test(self, shareid=None, address=None, share=None, user=None, password=None):
        with self.lock:
            if shareid:
                sh = self._existing_share(shareid)
                address = sh.address if address is None else address
                share = sh.share if share is None else share
                user = sh.user if user is None else user
                password = sh.password if password is None else password
            if not address or not share:
                raise ApiError(20, "Invalid request: address and share are required.")
            running = [j for j in self.share_jobs.values() if not j.done]
            if len(running) >= 4:     # CHOICE: at most 4 concurrent share tests
                raise ApiError(730, "Too many tests or jobs started, wait for some to finish.")
            err = self.share_failure(address, share, user, password)
            job = self._new_job("test", None, None, error=err)
            self.share_jobs[job.job_id] = job
            return job

    # ---- storage limit -------------------------------------------------------------

    def get_limits(self, disk_id=None):
        with self.lock:
            if disk_id:
                disk = self.disk(disk_id)
                if disk is None:
                    raise ApiError(110, "Disk not found")
                disks = [disk]
            else:
                disks = list(self.disks)
            return [(d.disk_id, d.limit_kb, self.used_kb(d)) for d in disks]

    def set_limit(self, disk_id, size):
        with self.lock:
            if not disk_id or size is None:
                raise ApiError(20, "Invalid request")
            disk = self.disk(disk_id)
            if disk is None:
                raise ApiError(110, "Disk not found")
            if not re.fullmatch(r"\d+", size.strip()):
                raise ApiError(120, "Invalid size value")
            value = int(size)
            if 0 < value < MIN_LIMIT_KB:
                raise ApiError(130, "Supplied size is less than the minimum allowed limit")
            if disk.limit_kb != value:
                disk.limit_kb = value
                self._mark()

    # ---- recordings ----------------------------------------------------------------

    def list_recordings(self, recordingid=None, eventid=None, diskid=None, starttime=None,
                        stoptime=None, sortorder=None, source=None):
        """Returns (total, matched) lists; paging is applied by the caller."""
        with self.lock:
            start = parse_time(starttime) if starttime else None
            stop = parse_time(stoptime) if stoptime else None
            recs = self.visible_recordings()
            if diskid:
                recs = [r for r in recs if r.disk_id == diskid]
            total = len(recs)
            now = self.now()
            out = []
            for r in recs:
                if recordingid and recordingid != "all" and r.rec_id != recordingid:
                    continue
                if eventid and r.event_id != eventid:
                    continue
                if source and r.source != source:
                    continue
                end = r.stop or now
                if start and end < start:
                    continue
                if stop and r.start > stop:
                    continue
                out.append(r)
            out.sort(key=lambda r: (r.start, r.rec_id), reverse=(sortorder != "ascending"))
            return total, out

    def start_recording(self, disk_id, options=None):
        with self.lock:
            disk = self.disk(disk_id) if disk_id else None
            if disk is None:
                raise ApiError(None, "Invalid disk ID")
            if not self._usable(disk):
                raise ApiError(None, "Disk %s is not available for recording" % disk_id)
            now = self.now()
            # CHOICE: manual recordings get event id and type "continuous".
            rec = Recording(self._rec_id(now), disk_id, now, None, "continuous", "continuous",
                            "continuous", options or "")
            self.recordings.append(rec)
            self._mark()
            return rec.rec_id

    def stop_recording(self, rec_id):
        with self.lock:
            rec = self._recording(rec_id)
            if not rec.active:
                raise ApiError(None, "Recording is not active")
            if rec.profile is not None:
                # CHOICE: a continuous profile's recording stops only with its profile.
                raise ApiError(None, "Recording belongs to continuous profile %d; remove the "
                                     "profile to stop it" % rec.profile)
            rec.stop = self.now()
            self._mark()

    def _recording(self, rec_id):
        if not rec_id:
            raise ApiError(None, "recordingid is required")
        for rec in self.visible_recordings():
            if rec.rec_id == rec_id:
                return rec
        raise ApiError(None, "Recording not found")

    def remove_recordings(self, recordingid=None, diskid=None, beforetime=None, eventid=None,
                          source=None):
        """Returns a list of (recording id, error or None)."""
        with self.lock:
            if recordingid and (beforetime or eventid or source):
                raise ApiError(None, "recordingid cannot be combined with beforetime, eventid "
                                     "or source")
            results = []
            if recordingid and recordingid != "all":
                targets = []
                for rid in recordingid.split(","):
                    rid = rid.strip()
                    # A recording id is unique on its disk only (diskid names the disk to remove it from);
                    # CHOICE: without diskid, the first listed recording of that id.
                    rec = next((r for r in self.visible_recordings()
                                if r.rec_id == rid and diskid in (None, "", r.disk_id)), None)
                    if rec is None:
                        results.append((rid, "Recording not found"))
                    else:
                        targets.append(rec)
            else:
                if not recordingid and not (beforetime or eventid or source or diskid):
                    raise ApiError(None, "recordingid is required")
                before = parse_time(beforetime) if beforetime else None
                targets = []
                for rec in self.visible_recordings():
                    if diskid and rec.disk_id != diskid:
                        continue
                    if eventid and rec.event_id != eventid:
                        continue
                    if source and rec.source != source:
                        continue
                    if before and rec.start > before:
                        continue
                    targets.append(rec)
            if diskid:
                targets = [r for r in targets if r.disk_id == diskid]
            for rec in targets:
                if self.disk(rec.disk_id).locked:
                    results.append((rec.rec_id, "Disk is locked"))
                    continue
                # Active recordings are stopped, then removed; an active continuous profile
                # starts a new recording right away (sync_recordings).
                self.recordings.remove(rec)
                results.append((rec.rec_id, None))
                self._mark()
            self.sync_recordings()
            return results

    # ---- continuous profiles -------------------------------------------------------

    def add_profile(self, disk_id, options, event_id=None):
        with self.lock:
            if self.max_profiles <= 0:
                raise ApiError(None, "Continuous recording profiles are not supported")
            disk = self.disk(disk_id) if disk_id else None
            if disk is None:
                raise ApiError(None, "Invalid disk ID")
            if options is None:
                raise ApiError(None, "options is required")
            problem = _streamopts.problem(options)
            if problem:
                # CHOICE: the wording of the (undocumented) errormsg
                raise ApiError(None, "Invalid stream options: %s" % problem)
            if len(self.profiles) >= self.max_profiles:
                raise ApiError(None, "Maximum number of continuous recording profiles (%d) "
                                     "reached" % self.max_profiles)
            # CHOICE: profile numbers count up from 1 and are never reused.
            self.profile_seq += 1
            prof = ContinuousProfile(self.profile_seq, disk_id, options, event_id or "continuous")
            self.profiles.append(prof)
            self._mark()
            self.sync_recordings()
            return prof.number

    def list_profiles(self, number=None):
        with self.lock:
            if number is None or number == "":
                return list(self.profiles)
            return [p for p in self.profiles if str(p.number) == str(number)]

    def remove_profile(self, number):
        with self.lock:
            prof = next((p for p in self.profiles if str(p.number) == str(number)), None)
            if prof is None:
                raise ApiError(None, "No such continuous recording profile")
            self.profiles.remove(prof)
            now = self.now()
            for rec in self.recordings:
                if rec.profile == prof.number and rec.active:
                    rec.stop = now
            self._mark()

    # ---- recording groups ----------------------------------------------------------

    def _attached(self, grp):
        """Whether the storage the group resides on is attached (SD card inserted, share bound): the API
        documentation says a group goes away with its storage until the storage is attached again."""
        disk = self.disk(grp.disk_id)
        return disk is not None and disk.present

    def _group(self, group_id):
        if not group_id:
            raise ApiError(20, "Invalid request: recordinggroupid is required.")
        grp = next((g for g in self.groups if g.group_id == group_id and self._attached(g)), None)
        if grp is None:
            raise ApiError(110, "Recording group not found.")
        return grp

    def create_group(self, group_id=None, nicename=None, description=None, retention=None,
                     disk_id=None, streamoptions=None, pre=None, post=None):
        with self.lock:
            if group_id is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,50}", group_id):
                raise ApiError(20, "Invalid request: invalid recordinggroupid.")
            if group_id is not None and any(g.group_id == group_id for g in self.groups):
                # CHOICE: no documented code for a duplicate id; 20 (invalid request).
                raise ApiError(20, "Invalid request: recording group %s already exists." % group_id)
            if not disk_id or self.disk(disk_id) is None:
                raise ApiError(20, "Invalid request: unknown diskid.")
            if not self.disk(disk_id).present:
                # CHOICE: a group resides on its storage, so none is created on storage that is not
                # attached; code 10 (the documented general error), the wording ours.
                raise ApiError(10, "An error occurred while processing the request: storage %s is not "
                                   "attached." % disk_id)
            nums = [_int_in(v, 0, None) if v is not None else 0 for v in (retention, pre, post)]
            if None in nums:
                raise ApiError(20, "Invalid request: retentiontime, preduration and "
                                   "postduration must be integers >= 0.")
            if _streamopts.problem(streamoptions):
                raise ApiError(130, "Invalid stream options.")
            if len(self.groups) >= self.max_groups:
                raise ApiError(120, "Max number of recording groups reached.")
            if group_id is None:
                group_id = "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}".format(
                    self.rng.getrandbits(32), self.rng.getrandbits(16), self.rng.getrandbits(12),
                    self.rng.getrandbits(12), self.rng.getrandbits(48))
            grp = RecordingGroup(group_id, nicename if nicename is not None else group_id,
                                 description or "", nums[0], disk_id, streamoptions or "",
                                 nums[1], nums[2])
            self.groups.append(grp)
            self._mark()
            return group_id

    def update_group(self, group_id, nicename=None, description=None, retention=None,
                     streamoptions=None, pre=None, post=None):
        with self.lock:
            grp = self._group(group_id)
            values = {}
            for name, raw in (("retention", retention), ("pre", pre), ("post", post)):
                if raw is not None:
                    v = _int_in(raw, 0, None)
                    if v is None:
                        raise ApiError(20, "Invalid request: %s must be an integer >= 0." % name)
                    values[name] = v
            if streamoptions is not None:
                if _streamopts.problem(streamoptions):
                    raise ApiError(130, "Invalid stream options.")
                values["streamoptions"] = streamoptions
            if nicename is not None:
                values["nicename"] = nicename
            if description is not None:
                values["description"] = description
            for key, value in values.items():
                if getattr(grp, key) != value:
                    setattr(grp, key, value)
                    self._mark()

    def delete_group(self, group_id):
        with self.lock:
            grp = self._group(group_id)
            if grp.in_use:
                raise ApiError(140, "Recording group in use.")
            if self.disk(grp.disk_id).locked:
                # CHOICE: deleting a group deletes its recordings, and a locked disk keeps its saved
                # recordings (lock.cgi); code 10 (the documented general error), the wording ours.
                raise ApiError(10, "An error occurred while processing the request: storage %s is "
                                   "locked." % grp.disk_id)
            self.groups.remove(grp)
            self._mark()

    def list_groups(self, group_id=None):
        with self.lock:
            if group_id:
                return [self._group(group_id)]
            return [g for g in self.groups if self._attached(g)]

    # ---- export --------------------------------------------------------------------

    def export_properties(self, rec_id, disk_id, starttime=None, stoptime=None,
                          exportformat=None, encryptionformat=None):
        with self.lock:
            if not rec_id or not disk_id:
                raise ApiError(20, "Invalid request: recordingid and diskid are required.")
            rec = next((r for r in self.visible_recordings()
                        if r.rec_id == rec_id and r.disk_id == disk_id), None)
            if rec is None:
                raise ApiError(110, "Recording not found.")
            try:
                start = parse_time(starttime) if starttime else None
            except ValueError:
                raise ApiError(120, "Invalid start time.")
            try:
                stop = parse_time(stoptime) if stoptime else None
            except ValueError:
                raise ApiError(130, "Invalid stop time.")
            if exportformat is not None and exportformat != "matroska":
                raise ApiError(170, "Invalid export format.")
            if encryptionformat is not None and (encryptionformat != "zip-aes256"
                                                 or not self.has("export_encryption")):
                # export 1.1 has no encrypted export (that arrived with 1.2)
                raise ApiError(250, "Invalid encryption format.")
            rec_end = rec.stop or self.now()
            if start and stop and start > stop:
                raise ApiError(140, "Invalid start time. The requested start time is after the "
                                    "stop time.")
            if start and start > rec_end:
                raise ApiError(150, "Invalid start time. The requested start time is after the "
                                    "recording's stop time.")
            if stop and stop < rec.start:
                raise ApiError(160, "Invalid stop time. The requested stop time is before the "
                                    "recording's start time.")
            real_start = max(rec.start, start) if start else rec.start
            if start and real_start > rec.start:
                # the proper start time is the preceding key frame (CHOICE: 2 s earlier)
                real_start = max(rec.start, real_start - _dt.timedelta(seconds=2))
            real_stop = min(rec_end, stop) if stop else rec_end
            seconds = max(1, int((real_stop - real_start).total_seconds()))
            return rec, real_start, real_stop, seconds * 250 // 8   # ~2 Mbit/s, in kB

    # ---- users / auth --------------------------------------------------------------

    def user_level(self, name):
        entry = self.users.get(name)
        return LEVELS[entry[1]] if entry else 0

    # ---- state dump ----------------------------------------------------------------

    def dump(self):
        with self.lock:
            from . import params as _params
            counts = {}
            for rec in self.recordings:
                counts[rec.disk_id] = counts.get(rec.disk_id, 0) + 1
            return {
                "profile": self.profile_name,
                "serial": self.serial,
                "features": sorted(self.features),
                "limits": {"max_continuous_profiles": self.max_profiles,
                           "max_recording_groups": self.max_groups,
                           "max_shares": self.max_shares,
                           "job_polls": self.job_polls,
                           "job_seconds": self.job_seconds},
                "disks": [{
                    "disk_id": d.disk_id, "group": "S%d" % d.group, "kind": d.kind,
                    "device_node": d.device_node, "extra_mount_options": d.extra_mount_options,
                    "mount_point_permissions": d.mount_point_permissions,
                    "present": d.present, "mounted": d.mounted, "status": d.status,
                    "filesystem": d.filesystem, "required_filesystem": d.required_fs,
                    "friendly_name": d.friendly_name, "cleanup_policy": d.cleanup_policy,
                    "cleanup_max_age": d.cleanup_max_age, "cleanup_level": d.cleanup_level,
                    "locked": d.locked, "mount_on_boot": d.mount_on_boot,
                    "auto_repair": d.auto_repair, "enabled": d.enabled,
                    "encryption_enabled": d.encryption_enabled, "encrypted": d.encrypted,
                    "passphrase_set": d.passphrase is not None,
                    "wrong_passphrase": d.wrong_passphrase, "fs_errors": d.fs_errors,
                    "busy_job": d.busy_job, "share_id": d.share_id,
                    "total_kb": self.disk_sizes(d)[0], "free_kb": self.disk_sizes(d)[1],
                    "storage_limit_kb": d.limit_kb, "used_kb": self.used_kb(d),
                    "alert_levels": {"wear": d.alert_wear, "temperature": d.alert_temperature},
                    "recordings": counts.get(d.disk_id, 0),
                } for d in self.disks],
                "shares": [{
                    "share_id": s.share_id, "nicename": s.nicename, "address": s.address,
                    "share": s.share, "user": s.user, "password_set": bool(s.password),
                    "disk_id": s.disk_id,
                } for s in self.shares],
                "storage_limits": {d.disk_id: d.limit_kb for d in self.disks},
                "continuous_profiles": [{
                    "profile": p.number, "disk_id": p.disk_id, "options": p.options,
                    "event_id": p.event_id,
                } for p in self.profiles],
                "recording_groups": [{
                    "id": g.group_id, "nicename": g.nicename, "description": g.description,
                    "retention_hours": g.retention, "disk_id": g.disk_id,
                    "stream_options": g.streamoptions, "pre_duration": g.pre,
                    "post_duration": g.post, "in_use": g.in_use,
                } for g in self.groups],
                "recordings": {
                    "count": len(self.recordings),
                    "active": sum(1 for r in self.recordings if r.active),
                    "per_disk": counts,
                },
                "jobs": [{
                    "job_id": j.job_id, "kind": j.kind, "disk_id": j.disk_id, "done": j.done,
                    "result": j.result, "progress": self.progress(j),
                } for j in sorted(list(self.jobs.values()) + list(self.share_jobs.values()),
                                  key=lambda j: j.job_id)],
                "params": _params.as_dict(self),
                "faults": {"stuck_jobs": self.stuck_jobs, "fail_job": sorted(self.fail_next),
                           "refuse_param": sorted(self.refuse_params)},
            }


def _int_in(raw, low, high):
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return None
    if value < low or (high is not None and value > high):
        return None
    return value
