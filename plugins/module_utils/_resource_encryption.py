# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SD card encryption as one declarative state over the device's multi-step workflow.

The camera enables or disables encryption only while the disk is unmounted,
and the disk is usable again only after a format and a mount, so turning
encryption on is unmount -> enable (passphrase) -> format -> mount and turning
it off is unmount -> disable -> format -> mount. Every disk job is polled to
its end. Both workflows destroy the disk's recordings and are planned only
with ``allow_data_loss``. A passphrase change is made while the disk is
mounted and needs the current passphrase.

The odd statuses the device documents are reconciled into the same steps:
``not encrypted`` (enabled, never formatted) needs a format. A card that is
already encrypted but cannot be read — ``no passphrase`` (encryption disabled
on the camera) or ``wrong passphrase`` (the card was encrypted with another
passphrase, e.g. in another camera) — is first tried with the declared
passphrase (disable -> enable -> mount), which keeps its recordings when it is
the card's passphrase; only when the card still does not open is it formatted,
and only with ``allow_data_loss``. Turning encryption off on such a card needs
a format.

A step that formats is planned only from values that were read and agree:
``encryptionenabled``, ``diskencrypted`` and the status must all be known
(a missing one is a damaged answer, not "false") and consistent with each
other (see :func:`contradictions`); otherwise the plan fails with what was
seen, before any write, whatever ``allow_data_loss`` says. The format of the
unlock workflow is decided inside its step, on the status read again after the
declared passphrase was set: that read gets the same check, and a read that
fails it stops the run there, with neither a format nor a mount.
"""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import Resource, Step
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    DISK_MANAGEMENT,
    NOTHING_CHANGED,
    EdgeStorageError,
    UnsupportedError,
    ValidationError,
    bad_job_timeout,
    damaged_answer,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._jobs import wait_disk_job
from ansible_collections.vapix.edge_storage.plugins.module_utils._options import disk_id_option, given_disk_id, job_timeout_option
from ansible_collections.vapix.edge_storage.plugins.module_utils._parsers import DISCONNECTED_STATUS, MOUNTED_STATUS

DEFAULT_FILESYSTEM = "ext4"
MAX_PASSPHRASE_BYTES = 512

# Disk statuses documented for disks/list.cgi, lower-cased (as the parser gives them).
FAILED = "failed"
NO_PASSPHRASE = "no passphrase"
WRONG_PASSPHRASE = "wrong passphrase"
NOT_ENCRYPTED = "not encrypted"
CONNECTED = "connected"

# What a status says about (encryption enabled, content encrypted). A readable card (mounted,
# or unmounted and openable) is encrypted exactly when encryption is enabled; the three
# encryption statuses name one combination each. Other documented statuses say nothing.
READABLE = (MOUNTED_STATUS, CONNECTED)
STATUS_IMPLIES = {
    NOT_ENCRYPTED: (True, False),
    NO_PASSPHRASE: (False, True),
    WRONG_PASSPHRASE: (True, True),
}
DOCUMENTED_STATUSES = READABLE + (DISCONNECTED_STATUS, FAILED) + tuple(STATUS_IMPLIES)

ARGUMENT_SPEC = dict(
    disk_id=disk_id_option(default="SD_DISK"),
    enabled=dict(type="bool", required=True),
    passphrase=dict(type="str", no_log=True),
    filesystem=dict(type="str"),
    allow_data_loss=dict(type="bool", default=False),
    update_passphrase=dict(type="str", default="never", choices=["never", "always"], no_log=False),
    old_passphrase=dict(type="str", no_log=True),
    job_timeout=job_timeout_option(),
)

# What each kind of change does to the disk.
ENABLE = "enable"          # unmount -> enable -> format -> mount
DISABLE = "disable"        # unmount -> disable -> format -> mount
FORMAT = "format"          # unmount -> format -> mount
REKEY = "rekey"            # mount -> change passphrase
UNLOCK = "unlock"          # (disable ->) enable -> format only if the card still does not open -> mount

_WORKFLOW_TEXT = {
    ENABLE: "enabling encryption",
    DISABLE: "disabling encryption",
    FORMAT: "formatting the disk",
}


def _passphrase_bytes(value):
    return len(value.encode("utf-8"))


def _truefalse(value):
    return "true" if value else "false"


def contradictions(current):
    """Why the read values of a disk cannot all be true at once, as sentences; [] when they agree."""
    status, enabled, encrypted = current["status"], current["enabled"], current["encrypted"]
    if status not in DOCUMENTED_STATUSES:
        return ["status '%s' is not one the disk management API documents" % status]
    if status in READABLE and enabled != encrypted:
        return ["status '%s' means the camera can read the card, which it can only when the card is encrypted "
                "exactly when encryption is enabled" % status]
    implied = STATUS_IMPLIES.get(status)
    if implied is not None and implied != (enabled, encrypted):
        return ["status '{}' means encryption {} and the content {}".format(
            status, "enabled" if implied[0] else "disabled", "encrypted" if implied[1] else "not encrypted")]
    return []


class EncryptionResource(Resource):
    """Encryption of one disk: enabled or not, and the disk encrypted accordingly."""

    kind = "encryption"
    reads = ("properties", "disks")
    # Whether a disk whose encryption is already as declared but which is unmounted (status 'connected') gets a
    # warning that the camera records nothing to it. False where a declaration says whether the disk is mounted
    # (a disks item with state, in the whole-camera module).
    warns_when_unmounted = True

    def disks(self, device):
        return {self.disk_id}

    def validate(self):
        p = self.params
        self.disk_id = given_disk_id(p)
        self.enabled = bool(p.get("enabled"))
        self.passphrase = p.get("passphrase")
        self.old_passphrase = p.get("old_passphrase")
        self.allow_data_loss = bool(p.get("allow_data_loss"))
        self.update_passphrase = p.get("update_passphrase") or "never"
        self.filesystem = (p.get("filesystem") or "").strip().lower() or None
        self.job_timeout = p.get("job_timeout") if p.get("job_timeout") is not None else 600
        if self.enabled and not self.passphrase:
            raise ValidationError("passphrase is required with enabled: true: the camera encrypts the disk "
                                  "with it (keep it in a vault)")
        for option in ("passphrase", "old_passphrase"):
            value = p.get(option)
            if value is not None and not value.strip():
                raise ValidationError("%s is empty or only blanks, which is almost always a template that rendered "
                                      "nothing (e.g. an undefined vault variable); give the real passphrase"
                                      % option)
            if value and _passphrase_bytes(value) > MAX_PASSPHRASE_BYTES:
                raise ValidationError("%s is %d bytes long; the camera accepts at most %d bytes"
                                      % (option, _passphrase_bytes(value), MAX_PASSPHRASE_BYTES))
        if self.update_passphrase == "always":
            if not self.enabled:
                raise ValidationError("update_passphrase: always changes the passphrase of an encrypted disk; "
                                      "it cannot be combined with enabled: false")
            if not self.old_passphrase:
                raise ValidationError("update_passphrase: always needs old_passphrase: the camera changes the "
                                      "passphrase only when given the current one")
        if self.job_timeout < 1:
            raise bad_job_timeout(self.job_timeout)

    @property
    def identity(self):
        return "encryption of %s" % self.disk_id

    def secrets(self):
        return [value for value in (self.passphrase, self.old_passphrase) if value]

    # -- state ---------------------------------------------------------------------------

    def read(self, device):
        """enabled/encrypted/mounted and what the plan needs; None when the camera has no such disk.

        The camera has disk encryption (checked first), so list.cgi must report the encryption
        state: a disk without it is a damaged answer, never "not encrypted".
        """
        device.require("disk_encryption", "disk encryption")
        disk = device.disk(self.disk_id)
        if disk is None:
            return None
        if disk.get("encryption_enabled") is None or disk.get("encrypted") is None:
            raise damaged_answer(DISK_MANAGEMENT, device.where("disks"),
                                 "the camera has disk encryption (Properties.LocalStorage.DiskEncryption=yes) but "
                                 "disks/list.cgi reports no encryption state (encryptionenabled, diskencrypted) for %s"
                                 % self.disk_id)
        capabilities = device.capabilities(self.disk_id)
        required = disk.get("required_filesystem")
        return {
            "enabled": disk["encryption_enabled"],
            "encrypted": disk["encrypted"],
            "mounted": disk["mounted"],
            "status": disk["status"],
            "locked": disk["locked"],
            "required_filesystem": required if required not in (None, "none") else None,
            "encryption_supported": capabilities.get("encryption_supported"),
            "filesystems": capabilities.get("filesystems") or [],
        }

    def desired(self):
        return {"enabled": self.enabled, "encrypted": self.enabled}

    def managed(self, state):
        if state is None:
            return {"state": "absent"}
        return {"enabled": state["enabled"], "encrypted": state["encrypted"], "mounted": state["mounted"]}

    def predict(self, current, steps):
        if not steps:
            return current
        return dict(current, enabled=self.enabled, encrypted=self.enabled, mounted=True, status=MOUNTED_STATUS)

    def verify(self, current):
        problems = super().verify(current)
        if current is not None and not current["mounted"]:
            problems.append("{} is not mounted (status '{}')".format(self.disk_id, current["status"]))
        return problems

    def state_now(self, device):
        """The disk's state in words, for a failure in the middle of the workflow."""
        try:
            device.invalidate()
            state = self.read(device)
        except EdgeStorageError:
            return None
        if state is None:
            return "%s is not listed by the camera" % self.disk_id
        return ("%s has status '%s', is %s, encryption is %s and its content is %s; running the task again "
                "continues from this state (once encryption is as declared it leaves the disk as it is: mount an "
                "unmounted one with axis_disk state: mounted)" % (
                    self.disk_id, state["status"], "mounted" if state["mounted"] else "unmounted",
                    "enabled" if state["enabled"] else "disabled",
                    "encrypted" if state["encrypted"] else "not encrypted"))

    # -- plan ----------------------------------------------------------------------------

    def change_needed(self, current):
        """(kind of change, why) that takes current to the desired state; (None, None) when none is."""
        status = current["status"]
        if self.enabled:
            if status in (WRONG_PASSPHRASE, NO_PASSPHRASE):
                return UNLOCK, ("the card is encrypted and the camera cannot read it (status '%s')" % status)
            if not current["enabled"]:
                return ENABLE, "encryption is disabled"
            if not current["encrypted"]:
                return FORMAT, ("encryption is enabled but the disk is not encrypted yet (status '%s'); "
                                "it is encrypted when formatted" % status)
            if self.update_passphrase == "always" and self.old_passphrase != self.passphrase:
                return REKEY, "update_passphrase is always"
            return None, None
        if current["enabled"]:
            return DISABLE, "encryption is enabled"
        if current["encrypted"]:
            return FORMAT, ("encryption is disabled but the disk still holds encrypted data (status '%s'); "
                            "it is usable again only after a format" % status)
        return None, None

    def plan(self, device, current):
        if current is None:
            device.require_disk(self.disk_id, "configure %s" % self.identity)
        if current["encryption_supported"] is None:
            raise damaged_answer(DISK_MANAGEMENT, device.where("capabilities", [("diskid", self.disk_id)]),
                                 "the capabilities of %s do not say whether it can be encrypted "
                                 "(no encryptionsupported attribute)" % self.disk_id)
        if not current["encryption_supported"]:
            raise UnsupportedError("encryption of %s" % self.disk_id,
                                   "the disk's capabilities say it cannot be encrypted")
        kind, why = self.change_needed(current)
        if kind is None:
            self._warn_if_unmounted(current)
            return []
        self._require_consistent(device, current, kind)
        self._refuse_unusable_disk(current, formats=kind != REKEY)
        if kind == REKEY:
            steps = [] if current["mounted"] else [self._mount_step()]
            return steps + [Step("change_passphrase", "change the encryption passphrase of %s" % self.disk_id,
                                 self._change_passphrase)]
        if kind == UNLOCK:
            return self._unlock_steps(current)
        filesystem = self._filesystem(current)
        reason = f"{why}; {_WORKFLOW_TEXT[kind]} formats the disk and destroys every recording on it"
        steps = []
        if current["mounted"]:
            steps.append(self._job_step("unmount", "unmount %s" % self.disk_id,
                                        lambda device: device.unmount(self.disk_id)))
        if kind == DISABLE:
            steps.append(Step("disable_encryption", "disable encryption on %s" % self.disk_id,
                              lambda device: device.disable_encryption(self.disk_id),
                              destructive=True, reason=reason))
        if kind == ENABLE:
            steps.append(Step("enable_encryption", "enable encryption on %s with the given passphrase" % self.disk_id,
                              lambda device: device.enable_encryption(self.disk_id, self.passphrase),
                              destructive=True, reason=reason))
        steps.append(self._job_step("format", f"format {self.disk_id} as {filesystem}",
                                    lambda device: device.format_disk(self.disk_id, filesystem), destructive=True,
                                    reason=reason))
        steps.append(self._mount_step())
        return steps

    def _warn_if_unmounted(self, current):
        """Encryption is as declared and the disk unmounted but readable: as a workflow whose last job outlived
        job_timeout (or a person) leaves it. Mounting is not what this task declares (and a mount may make the
        camera format the card for its required file system), so it warns instead of mounting."""
        if current["mounted"] or current["status"] != CONNECTED or not self.warns_when_unmounted:
            return
        warning = ("%s: encryption is as declared, but the disk is unmounted (status '%s'), so the camera records "
                   "nothing to it; mount it with vapix.edge_storage.axis_disk state: mounted (an earlier run whose "
                   "last job outlived job_timeout leaves it so)" % (self.disk_id, current["status"]))
        if warning not in self.warnings:
            self.warnings.append(warning)

    def _unlock_steps(self, current):
        """An encrypted card the camera cannot read: try the declared passphrase before any format.

        Disabling and enabling encryption on an unmounted card only changes the
        camera's setting, so they destroy nothing; if the card then opens, it is
        mounted with its recordings. The format that follows only when it does
        not open is the one destructive step, and needs allow_data_loss.
        """
        steps = []
        if current["enabled"]:
            steps.append(Step("disable_encryption", "disable encryption on %s (forget the camera's passphrase)"
                              % self.disk_id,
                              lambda device: device.disable_encryption(self.disk_id)))
        steps.append(Step("enable_encryption", "enable encryption on %s with the given passphrase" % self.disk_id,
                          lambda device: device.enable_encryption(self.disk_id, self.passphrase)))
        if self.allow_data_loss:
            filesystem = self._filesystem(current)
            format_job = self._job_step("format", f"format {self.disk_id} as {filesystem}",
                                        lambda device: device.format_disk(self.disk_id, filesystem),
                                        destructive=True)
            action = "format"
            description = "format {} as {} if the given passphrase does not open the card".format(
                self.disk_id, filesystem)
        else:
            format_job = None
            action = "check_passphrase"
            description = "check that the given passphrase opens the card in %s" % self.disk_id

        def run(device):
            status = self._status_after_unlock(device)
            if status not in (WRONG_PASSPHRASE, NO_PASSPHRASE):
                return
            # Format only on positive evidence that the card is still encrypted and unreadable with the
            # passphrase just set: 'wrong passphrase' (encryption enabled, content encrypted).
            if status != WRONG_PASSPHRASE:
                raise damaged_answer(
                    DISK_MANAGEMENT, device.where("disks"),
                    "%s has status '%s' (encryption disabled) right after the camera accepted enabling encryption, "
                    "so the format is not run" % (self.disk_id, status))
            if format_job is None:
                raise ValidationError(
                    "the given passphrase does not open the card in %s either (status '%s'); formatting it "
                    "would destroy every recording on it, so it needs allow_data_loss: true"
                    % (self.disk_id, status))
            format_job.run(device)
        steps.append(Step(action, description, run, destructive=format_job is not None))
        steps.append(self._mount_step())
        return steps

    def _contradicting(self, current, problems):
        """The values read and why they cannot all be true, for a damaged_answer."""
        return "%s: the camera reports encryption %s, content encrypted %s and status '%s', which contradict " \
            "each other (%s)" % (self.disk_id, "enabled" if current["enabled"] else "disabled",
                                 _truefalse(current["encrypted"]), current["status"], "; ".join(problems))

    def _require_consistent(self, device, current, kind):
        """Fail, before any write and whatever allow_data_loss says, when the read values disagree."""
        problems = contradictions(current)
        if not problems or kind == REKEY:
            return
        workflow = _WORKFLOW_TEXT.get(kind, "unlocking the card")
        effect = "format the disk" if kind != UNLOCK else "change the card's passphrase setting"
        raise damaged_answer(DISK_MANAGEMENT, device.where("disks"), f"{self._contradicting(current, problems)}; "
                             f"{workflow} would {effect} on the strength of it, so nothing is planned")

    def _status_after_unlock(self, device):
        """The disk's status read again once the declared passphrase is set, from values that agree: an answer
        without the encryption state, or whose values contradict each other (:func:`contradictions`, the check
        the plan makes), is a damaged answer, and neither a format nor a mount follows it."""
        disk = device.disk(self.disk_id)
        if disk is None:
            raise damaged_answer(DISK_MANAGEMENT, device.where("disks"),
                                 "disks/list.cgi no longer lists %s after its encryption was enabled, so neither a "
                                 "format nor a mount follows" % self.disk_id)
        current = {"status": disk.get("status"), "enabled": disk.get("encryption_enabled"),
                   "encrypted": disk.get("encrypted")}
        if current["enabled"] is None or current["encrypted"] is None:
            raise damaged_answer(DISK_MANAGEMENT, device.where("disks"),
                                 "disks/list.cgi reports no encryption state (encryptionenabled, diskencrypted) for "
                                 "%s after its encryption was enabled, so neither a format nor a mount follows"
                                 % self.disk_id)
        problems = contradictions(current)
        if problems:
            raise damaged_answer(DISK_MANAGEMENT, device.where("disks"),
                                 "%s, read after the given passphrase was set, so neither a format nor a mount "
                                 "follows" % self._contradicting(current, problems))
        return current["status"]

    def _refuse_unusable_disk(self, current, formats):
        """Refuse a locked disk, a missing card, and a failed disk unless the plan formats it (which repairs it)."""
        status = current["status"]
        if current["locked"]:
            raise ValidationError("%s is locked, and a locked disk cannot be unmounted, formatted or written to; "
                                  "unlock it first (vapix.edge_storage.axis_disk with locked: false). %s."
                                  % (self.disk_id, NOTHING_CHANGED))
        if status == DISCONNECTED_STATUS:
            raise ValidationError("%s has no card (status 'disconnected'); insert one. %s."
                                  % (self.disk_id, NOTHING_CHANGED))
        if status == FAILED and not formats:
            raise ValidationError("%s reports status 'failed'; check and repair its file system first "
                                  "(vapix.edge_storage.axis_disk). %s." % (self.disk_id, NOTHING_CHANGED))

    def _filesystem(self, current):
        """The file system to format with: the one asked, else the required one, else ext4."""
        required = current["required_filesystem"]
        if self.filesystem and required and self.filesystem != required:
            raise ValidationError("filesystem %s differs from the required file system %s set on %s; leave "
                                  "filesystem out, or change the required file system first "
                                  "(vapix.edge_storage.axis_disk)" % (self.filesystem, required, self.disk_id))
        filesystem = self.filesystem or required or DEFAULT_FILESYSTEM
        offered = current["filesystems"]
        if offered and filesystem not in offered:
            raise ValidationError("%s cannot be formatted as %s; it offers: %s"
                                  % (self.disk_id, filesystem, ", ".join(offered)))
        return filesystem

    # -- steps ---------------------------------------------------------------------------

    def _job_step(self, action, description, start, destructive=False, reason=None):
        """A step that starts a disk job with start(device) -> job id and waits for it."""
        def run(device):
            job_id = start(device)
            wait_disk_job(device, self.disk_id, job_id, description, self.job_timeout)
        return Step(action, description, run, destructive=destructive, reason=reason)

    def _mount_step(self):
        job = self._job_step("mount", "mount %s" % self.disk_id, lambda device: device.mount(self.disk_id))

        def run(device):
            # Some firmware mounts the disk at the end of a format; mount only when it has not.
            disk = device.disk(self.disk_id) or {}
            if not disk.get("mounted"):
                job.run(device)
        return Step(job.action, job.description, run)

    def _change_passphrase(self, device):
        device.change_passphrase(self.disk_id, self.passphrase, self.old_passphrase)


def build_resources(params):
    return [EncryptionResource(params)]
