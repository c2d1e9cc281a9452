# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_encryption: reading both attribute spellings, validation messages, the planner for every
state combination, and the workflow run step by step against a fake device.

``FakeDevice`` keeps one SD card's encryption state and logs every write. It
follows the device's documented rules closely enough for the planner and the
step runner: enable/disable only while unmounted, passphrase change only while
mounted and with the right old passphrase, format encrypts the content when
encryption is enabled.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils import _parsers, _xml
from ansible_collections.vapix.edge_storage.plugins.module_utils._client import encode_args
from ansible_collections.vapix.edge_storage.plugins.module_utils._device import CALLS, Device, cgi_name
from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import apply_steps, converge, summarize
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    DISK_MANAGEMENT,
    DataLossRefused,
    DISK_PROPERTIES,
    StepError,
    UnsupportedError,
    ValidationError,
    VapixError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_encryption import (
    ARGUMENT_SPEC,
    EncryptionResource,
    build_resources,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PASSPHRASE = "c0rrect horse&battery=staple"
OLD_PASSPHRASE = "old-Secret%1"


class FakeDevice(object):
    def __init__(self, status="OK", enabled=False, encrypted=False, locked=False, required_filesystem="none",
                 encryption_supported=True, filesystems=("ext4", "vfat"), has_encryption_property=True,
                 passphrase=None, fail_job=None, card_passphrase=None):
        self.sd = {"disk_id": "SD_DISK", "status": status, "encryption_enabled": enabled, "encrypted": encrypted,
                   "locked": locked, "required_filesystem": required_filesystem, "filesystem": "ext4"}
        self.caps = {"disk_id": "SD_DISK", "encryption_supported": encryption_supported,
                     "filesystems": list(filesystems)}
        self.has_encryption_property = has_encryption_property
        self.passphrase = passphrase
        # The passphrase the card's content is encrypted with (None: the camera's own).
        self.card_passphrase = card_passphrase if card_passphrase is not None else passphrase
        self.fail_job = fail_job
        self.writes = []
        self.jobs = {}
        self.progress = []

    @property
    def write_count(self):
        return len(self.writes)

    unanswered_writes = 0

    # -- reads ---------------------------------------------------------------------------

    def require(self, feature, what):
        assert feature == "disk_encryption"
        if not self.has_encryption_property:
            raise UnsupportedError(what, "Properties.LocalStorage.DiskEncryption is not 'yes' on this camera "
                                         "(firmware 5.51.7)")

    def disks(self):
        return {"SD_DISK": dict(self.sd), "NetworkShare": {"disk_id": "NetworkShare", "status": "disconnected"}}

    def disk(self, disk_id):
        return self.disks().get(disk_id)

    require_disk = Device.require_disk

    def where(self, name, args=()):
        call = CALLS[name]
        return encode_path(call.path, call.leading_args + tuple(args))

    def capabilities(self, disk_id):
        return dict(self.caps)

    def invalidate(self, *families):
        pass

    def report_progress(self, what, percent):
        self.progress.append((what, percent))

    # -- writes --------------------------------------------------------------------------

    @property
    def _mounted(self):
        return self.sd["status"] == "OK"

    def _settle(self):
        """The unmounted status the device documents for the current encryption state."""
        if self.sd["encryption_enabled"] and not self.sd["encrypted"]:
            self.sd["status"] = "not encrypted"
        elif self.sd["encrypted"] and not self.sd["encryption_enabled"]:
            self.sd["status"] = "no passphrase"
        elif self.sd["encrypted"] and self.card_passphrase not in (None, self.passphrase):
            self.sd["status"] = "wrong passphrase"
        else:
            self.sd["status"] = "connected"

    # The real Device methods build each request; _start_job and _send below carry it out.
    format_disk = Device.format_disk
    mount = Device.mount
    unmount = Device.unmount
    enable_encryption = Device.enable_encryption
    disable_encryption = Device.disable_encryption
    change_passphrase = Device.change_passphrase

    def _start_job(self, name, args):
        cgi = cgi_name(name)
        args = dict(CALLS[name].leading_args + tuple(args))
        self.writes.append((cgi, args))
        job_id = str(len(self.writes))
        action = args.get("action", "format")
        self.jobs[job_id] = action
        if action == "unmount":
            self._settle()
        elif action == "format" and self.fail_job != "format":
            self.sd["encrypted"] = self.sd["encryption_enabled"]
            self.card_passphrase = self.passphrase if self.sd["encrypted"] else None
            self.sd["filesystem"] = args["filesystem"]
            if not self._mounted:
                self._settle()
        elif action == "mount":
            self.sd["status"] = "OK"
        return job_id

    def disk_job(self, disk_id, job_id):
        if self.jobs[job_id] == self.fail_job:
            self.sd["status"] = "failed"   # as the device reports a disk whose format or mount failed
            raise VapixError(DISK_MANAGEMENT, "disks/job.cgi?jobid=%s&diskid=%s" % (job_id, disk_id),
                             "Format failed: I/O error")
        return {"job_id": job_id, "progress": 100}

    def _send(self, name, args=(), envelope=True):
        """A disk property call; logged with its arguments but the disk id (always SD_DISK here)."""
        cgi = cgi_name(name)
        args = dict(args)
        assert args.pop("diskid") == "SD_DISK"
        self.writes.append((cgi, args))
        shown = "disks/properties/%s" % cgi
        if cgi in ("enablediskencryption.cgi", "disablediskencryption.cgi") and self._mounted:
            raise VapixError(DISK_PROPERTIES, shown, "The disk is mounted.", code=160)
        if cgi == "enablediskencryption.cgi":
            self.sd["encryption_enabled"] = True
            self.passphrase = args["passphrase"]
            self._settle()
        elif cgi == "disablediskencryption.cgi":
            self.sd["encryption_enabled"] = False
            if self.card_passphrase is None:
                self.card_passphrase = self.passphrase
            self.passphrase = None
            self._settle()
        elif cgi == "changediskpassphrase.cgi":
            if not self._mounted:
                raise VapixError(DISK_PROPERTIES, shown, "The disk is unmounted.", code=150)
            if args["oldpassphrase"] != self.passphrase:
                raise VapixError(DISK_PROPERTIES, shown, "The oldpassphrase does not match the existing "
                                                         "passphrase.", code=130)
            self.passphrase = args["newpassphrase"]

    def write_names(self):
        """Each write as the CGI and, for mount.cgi, its action."""
        return [cgi if cgi != "mount.cgi" else "%s:%s" % (cgi, args["action"]) for cgi, args in self.writes]


def encode_path(path, args):
    return "%s?%s" % (path, encode_args(args)) if args else path


def fixture_root(name):
    return _xml.parse((FIXTURES / name).read_bytes())


def params(**overrides):
    """Module parameters as AnsibleModule would hand them over (defaults filled in)."""
    values = dict((name, spec.get("default")) for name, spec in ARGUMENT_SPEC.items())
    values.update(enabled=True, passphrase=PASSPHRASE, allow_data_loss=True)
    values.update(overrides)
    return values


def resource(**overrides):
    return EncryptionResource(params(**overrides))


def actions(steps):
    return [step.action for step in steps]


# -- reading ---------------------------------------------------------------------------------


class ParsedDevice(FakeDevice):
    """A FakeDevice whose disk and capabilities come from XML fixtures through our parsers."""

    def __init__(self, disks_fixture, capabilities_fixture):
        super(ParsedDevice, self).__init__()
        self.parsed_disks = _parsers.parse_disk_list(fixture_root(disks_fixture))
        self.parsed_caps = _parsers.parse_capabilities(fixture_root(capabilities_fixture))

    def disks(self):
        return self.parsed_disks

    def capabilities(self, disk_id):
        return self.parsed_caps


def test_read_firmware_spelling_encryptionenabled():
    device = ParsedDevice("encryption_disks_list_firmware.xml", "encryption_capabilities.xml")
    state = resource().read(device)
    assert state == {
        "enabled": True, "encrypted": True, "mounted": True, "status": "ok", "locked": False,
        "required_filesystem": None, "encryption_supported": True, "filesystems": ["ext4", "vfat"],
    }


def test_read_documented_spelling_and_not_encrypted_status():
    device = ParsedDevice("encryption_disks_list_documented.xml", "encryption_capabilities.xml")
    state = resource().read(device)
    assert state["enabled"] is True
    assert state["encrypted"] is False
    assert state["mounted"] is False
    assert state["status"] == "not encrypted"
    assert state["required_filesystem"] == "ext4"


def test_read_capabilities_without_encryption():
    device = ParsedDevice("encryption_disks_list_firmware.xml", "encryption_capabilities_unsupported.xml")
    state = resource().read(device)
    assert state["encryption_supported"] is False
    assert state["filesystems"] == ["vfat"]


def test_read_unknown_disk_is_none():
    assert resource(disk_id="SD_DISK2").read(FakeDevice()) is None


@pytest.mark.parametrize("status, enabled, encrypted", [
    ("no passphrase", True, True),        # the status says encryption is disabled
    ("wrong passphrase", True, False),    # ... that the content is encrypted
    ("not encrypted", True, True),        # ... that it is not
    ("OK", True, False),                  # a readable card is encrypted exactly when encryption is enabled
    ("connected", False, True),
    ("checking", False, False),           # not a documented status
])
def test_contradicting_answers_plan_no_format_even_with_allow_data_loss(status, enabled, encrypted):
    """The data-loss case of issue 10: a destructive plan needs values that were read and agree."""
    device = FakeDevice(status=status, enabled=enabled, encrypted=encrypted)
    for wanted in (True, False):
        target = resource(enabled=wanted, allow_data_loss=True)
        current = target.read(device)
        if target.change_needed(current)[0] is None:
            continue
        with pytest.raises(VapixError) as info:
            target.plan(device, current)
        assert info.value.error_class == "damaged_answer"
        assert "status '%s'" % status.lower() in str(info.value)
    assert device.writes == []


@pytest.mark.parametrize("missing", ["encryption_enabled", "encrypted"])
def test_unknown_encryption_state_is_a_damaged_answer_not_false(missing):
    device = FakeDevice(status="OK", enabled=True, encrypted=True)
    device.sd[missing] = None
    with pytest.raises(VapixError) as info:
        resource(enabled=True, allow_data_loss=True).read(device)
    assert info.value.error_class == "damaged_answer" and "no encryption state" in str(info.value)


def test_unknown_encryption_capability_is_a_damaged_answer_not_unsupported():
    device = FakeDevice(encryption_supported=None)
    target = resource(enabled=True, allow_data_loss=True)
    with pytest.raises(VapixError) as info:
        target.plan(device, target.read(device))
    assert info.value.error_class == "damaged_answer" and device.writes == []


def test_read_on_camera_without_encryption_property_is_unsupported():
    with pytest.raises(UnsupportedError) as info:
        resource().read(FakeDevice(has_encryption_property=False))
    assert "not supported by this camera: disk encryption" in str(info.value)
    assert "DiskEncryption" in str(info.value)


# -- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize("overrides, message", [
    (dict(passphrase=None), "passphrase is required with enabled: true"),
    (dict(passphrase=""), "passphrase is required with enabled: true"),
    (dict(passphrase="x" * 513), "passphrase is 513 bytes long; the camera accepts at most 512 bytes"),
    (dict(passphrase="\u00e9" * 257), "passphrase is 514 bytes long"),
    (dict(update_passphrase="always", old_passphrase="y" * 600), "old_passphrase is 600 bytes long"),
    (dict(update_passphrase="always"), "update_passphrase: always needs old_passphrase"),
    (dict(enabled=False, passphrase=None, update_passphrase="always", old_passphrase="a"),
     "cannot be combined with enabled: false"),
    (dict(job_timeout=0), "job_timeout must be at least 1 second, got 0"),
    (dict(disk_id=" "), "disk_id must not be empty"),
])
def test_validation_messages(overrides, message):
    with pytest.raises(ValidationError) as info:
        resource(**overrides)
    assert message in str(info.value)


def test_validation_accepts_512_bytes_and_disable_without_passphrase():
    assert resource(passphrase="x" * 512).passphrase == "x" * 512
    assert resource(enabled=False, passphrase=None).desired() == {"enabled": False, "encrypted": False}


def test_filesystem_is_normalised_and_secrets_listed():
    item = resource(filesystem=" EXT4 ", update_passphrase="always", old_passphrase=OLD_PASSPHRASE)
    assert item.filesystem == "ext4"
    assert sorted(item.secrets()) == sorted([PASSPHRASE, OLD_PASSPHRASE])
    assert item.identity == "encryption of SD_DISK"
    assert build_resources(params())[0].identity == "encryption of SD_DISK"


def test_argument_spec_marks_passphrases_no_log():
    assert ARGUMENT_SPEC["passphrase"]["no_log"] is True
    assert ARGUMENT_SPEC["old_passphrase"]["no_log"] is True
    assert ARGUMENT_SPEC["allow_data_loss"]["default"] is False
    assert ARGUMENT_SPEC["update_passphrase"]["default"] == "never"
    assert ARGUMENT_SPEC["job_timeout"]["default"] == 600


# -- planning: every state x desired ----------------------------------------------------------

# (status, enabled, encrypted) as the device lists them.
FACTORY = ("OK", False, False)
UNMOUNTED_PLAIN = ("connected", False, False)
ENCRYPTED_MOUNTED = ("OK", True, True)
ENCRYPTED_UNMOUNTED = ("connected", True, True)
NOT_ENCRYPTED = ("not encrypted", True, False)
NO_PASSPHRASE = ("no passphrase", False, True)
WRONG_PASSPHRASE = ("wrong passphrase", True, True)

ENABLE_PLANS = [
    (FACTORY, ["unmount", "enable_encryption", "format", "mount"]),
    (UNMOUNTED_PLAIN, ["enable_encryption", "format", "mount"]),
    (ENCRYPTED_MOUNTED, []),
    (ENCRYPTED_UNMOUNTED, []),
    (NOT_ENCRYPTED, ["format", "mount"]),
    (NO_PASSPHRASE, ["enable_encryption", "format", "mount"]),
    (WRONG_PASSPHRASE, ["disable_encryption", "enable_encryption", "format", "mount"]),
]
DISABLE_PLANS = [
    (FACTORY, []),
    (UNMOUNTED_PLAIN, []),
    (ENCRYPTED_MOUNTED, ["unmount", "disable_encryption", "format", "mount"]),
    (ENCRYPTED_UNMOUNTED, ["disable_encryption", "format", "mount"]),
    (NOT_ENCRYPTED, ["disable_encryption", "format", "mount"]),
    (NO_PASSPHRASE, ["format", "mount"]),
    (WRONG_PASSPHRASE, ["disable_encryption", "format", "mount"]),
]


def plan_for(state, **overrides):
    status, enabled, encrypted = state
    device = FakeDevice(status=status, enabled=enabled, encrypted=encrypted)
    item = resource(**overrides)
    return item, device, item.plan(device, item.read(device))


@pytest.mark.parametrize("state, expected", ENABLE_PLANS)
def test_plan_enable(state, expected):
    _item, device, steps = plan_for(state)
    assert actions(steps) == expected
    assert device.writes == []


@pytest.mark.parametrize("state, expected", DISABLE_PLANS)
def test_plan_disable(state, expected):
    _item, device, steps = plan_for(state, enabled=False, passphrase=None)
    assert actions(steps) == expected
    assert device.writes == []


@pytest.mark.parametrize("state", [state for state, _expected in ENABLE_PLANS])
@pytest.mark.parametrize("desired", [dict(), dict(enabled=False, passphrase=None)])
def test_only_encryption_and_format_steps_are_destructive(state, desired):
    _item, _device, steps = plan_for(state, **desired)
    unlocking = desired.get("enabled", True) and state in (NO_PASSPHRASE, WRONG_PASSPHRASE)
    destructive = ("format",) if unlocking else ("enable_encryption", "disable_encryption", "format")
    for step in steps:
        assert step.destructive == (step.action in destructive)
        assert step.text.endswith("[destructive]") == step.destructive


@pytest.mark.parametrize("state, desired_enabled", [
    (s, True) for s, e in ENABLE_PLANS if e and s not in (NO_PASSPHRASE, WRONG_PASSPHRASE)]
    + [(s, False) for s, e in DISABLE_PLANS if e])
def test_plan_without_opt_in_is_refused_before_any_write(state, desired_enabled):
    overrides = dict(allow_data_loss=False, enabled=desired_enabled)
    if not desired_enabled:
        overrides["passphrase"] = None
    status, enabled, encrypted = state
    device = FakeDevice(status=status, enabled=enabled, encrypted=encrypted)
    with pytest.raises(DataLossRefused) as info:
        converge(device, [resource(**overrides)], check_mode=False)
    message = str(info.value)
    assert "allow_data_loss: true" in message
    assert "format SD_DISK as ext4 [destructive; needs allow_data_loss]" in message
    assert "nothing was changed" in message
    assert device.writes == []


@pytest.mark.parametrize("state, refused", [
    (FACTORY, ["enable encryption on SD_DISK with the given passphrase [destructive; needs allow_data_loss]",
               "format SD_DISK as ext4 [destructive; needs allow_data_loss]"]),
    (NOT_ENCRYPTED, ["format SD_DISK as ext4 [destructive; needs allow_data_loss]"]),
])
def test_check_mode_marks_the_steps_that_need_the_opt_in(state, refused):
    status, enabled, encrypted = state
    device = FakeDevice(status=status, enabled=enabled, encrypted=encrypted)
    result = summarize(converge(device, [resource(allow_data_loss=False)], check_mode=True))
    assert result["changed"] is True
    assert result["needs_allow_data_loss"] == refused
    assert device.writes == []


@pytest.mark.parametrize("state, expected", [
    (ENCRYPTED_MOUNTED, ["change_passphrase"]),
    (ENCRYPTED_UNMOUNTED, ["mount", "change_passphrase"]),
    (FACTORY, ["unmount", "enable_encryption", "format", "mount"]),  # enabling sets the new passphrase
])
def test_plan_passphrase_update(state, expected):
    _item, _device, steps = plan_for(state, update_passphrase="always", old_passphrase=OLD_PASSPHRASE,
                                     allow_data_loss=state == FACTORY)
    assert actions(steps) == expected
    assert not any(step.destructive for step in steps if step.action in ("mount", "change_passphrase"))


def test_passphrase_update_needs_no_opt_in_and_skips_when_old_equals_new():
    _item, _device, steps = plan_for(ENCRYPTED_MOUNTED, update_passphrase="always", old_passphrase=PASSPHRASE,
                                     allow_data_loss=False)
    assert steps == []


@pytest.mark.parametrize("overrides", [
    dict(),
    dict(update_passphrase="always", old_passphrase=OLD_PASSPHRASE),
    dict(enabled=False, passphrase=None),
])
def test_locked_disk_is_refused_when_a_change_is_needed(overrides):
    state = ENCRYPTED_MOUNTED if overrides else FACTORY
    device = FakeDevice(status=state[0], enabled=state[1], encrypted=state[2], locked=True)
    item = resource(**overrides)
    with pytest.raises(ValidationError) as info:
        item.plan(device, item.read(device))
    assert "SD_DISK is locked" in str(info.value)
    assert "locked: false" in str(info.value)
    assert device.writes == []


def test_locked_disk_in_desired_state_is_left_alone():
    device = FakeDevice(status="OK", enabled=True, encrypted=True, locked=True)
    item = resource()
    assert item.plan(device, item.read(device)) == []


@pytest.mark.parametrize("status, enabled, overrides, message", [
    ("disconnected", False, dict(), "SD_DISK has no card (status 'disconnected')"),
    ("failed", True, dict(update_passphrase="always", old_passphrase=OLD_PASSPHRASE),
     "SD_DISK reports status 'failed'; check and repair"),
])
def test_unusable_disk_is_refused(status, enabled, overrides, message):
    device = FakeDevice(status=status, enabled=enabled, encrypted=enabled)
    item = resource(**overrides)
    with pytest.raises(ValidationError) as info:
        item.plan(device, item.read(device))
    assert message in str(info.value)


def test_failed_disk_is_formatted_by_the_workflow():
    # What a failed format leaves behind: encryption enabled, content not encrypted, status failed.
    _item, _device, steps = plan_for(("failed", True, False))
    assert actions(steps) == ["format", "mount"]


def test_disk_that_cannot_encrypt_is_unsupported():
    device = FakeDevice(encryption_supported=False)
    item = resource()
    with pytest.raises(UnsupportedError) as info:
        item.plan(device, item.read(device))
    assert "encryption of SD_DISK" in str(info.value)
    assert "cannot be encrypted" in str(info.value)


def test_unknown_disk_names_the_disks_there_are():
    item = resource(disk_id="SD_DISK2")
    with pytest.raises(ValidationError) as info:
        item.plan(FakeDevice(), None)
    assert str(info.value) == ("cannot configure encryption of SD_DISK2: the camera has no disk 'SD_DISK2'; its disks "
                               "are: NetworkShare, SD_DISK")


# -- file system --------------------------------------------------------------------------------


def format_args(steps):
    step = [s for s in steps if s.action == "format"][0]
    return step.description


@pytest.mark.parametrize("required, asked, expected", [
    ("none", None, "format SD_DISK as ext4"),
    ("none", "vfat", "format SD_DISK as vfat"),
    ("ext4", None, "format SD_DISK as ext4"),
    ("ext4", "ext4", "format SD_DISK as ext4"),
])
def test_filesystem_choice(required, asked, expected):
    device = FakeDevice(required_filesystem=required)
    item = resource(filesystem=asked)
    assert format_args(item.plan(device, item.read(device))) == expected


@pytest.mark.parametrize("required, asked, filesystems, message", [
    ("ext4", "vfat", ("ext4", "vfat"), "filesystem vfat differs from the required file system ext4 set on SD_DISK"),
    ("none", "btrfs", ("ext4", "vfat"), "SD_DISK cannot be formatted as btrfs; it offers: ext4, vfat"),
    ("none", None, ("vfat",), "SD_DISK cannot be formatted as ext4; it offers: vfat"),
])
def test_filesystem_errors(required, asked, filesystems, message):
    device = FakeDevice(required_filesystem=required, filesystems=filesystems)
    item = resource(filesystem=asked)
    with pytest.raises(ValidationError) as info:
        item.plan(device, item.read(device))
    assert message in str(info.value)


# -- running the workflow ------------------------------------------------------------------------


def run(device, **overrides):
    item = resource(**overrides)
    outcomes = converge(device, [item], check_mode=False)
    return summarize(outcomes)


def test_enable_runs_the_workflow_in_order_and_converges():
    device = FakeDevice()
    result = run(device)
    assert device.write_names() == ["mount.cgi:unmount", "enablediskencryption.cgi", "format.cgi",
                                    "mount.cgi:mount"]
    assert device.writes[1][1] == {"passphrase": PASSPHRASE}
    assert device.writes[2][1] == {"diskid": "SD_DISK", "filesystem": "ext4"}
    assert result["after"] == {"encryption of SD_DISK": {"enabled": True, "encrypted": True, "mounted": True}}
    assert result["before"] == {"encryption of SD_DISK": {"enabled": False, "encrypted": False, "mounted": True}}
    assert result["steps"] == [
        "unmount SD_DISK",
        "enable encryption on SD_DISK with the given passphrase [destructive]",
        "format SD_DISK as ext4 [destructive]",
        "mount SD_DISK",
    ]
    # Each job's progress is reported as it is polled (the controller shows it).
    assert device.progress == [("unmount SD_DISK", 100), ("format SD_DISK as ext4", 100), ("mount SD_DISK", 100)]
    assert PASSPHRASE not in repr(result)
    # A second run finds nothing to do.
    device.writes = []
    assert run(device)["changed"] is False
    assert device.writes == []


def test_disable_runs_the_workflow_in_order():
    device = FakeDevice(status="OK", enabled=True, encrypted=True, passphrase=PASSPHRASE)
    result = run(device, enabled=False, passphrase=None)
    assert device.write_names() == ["mount.cgi:unmount", "disablediskencryption.cgi", "format.cgi",
                                    "mount.cgi:mount"]
    assert result["after"]["encryption of SD_DISK"] == {"enabled": False, "encrypted": False, "mounted": True}


def test_mount_is_skipped_when_the_format_left_the_disk_mounted():
    device = FakeDevice(status="not encrypted", enabled=True, encrypted=False)
    original = device._start_job

    def format_and_mount(name, args):
        job_id = original(name, args)
        if name == "format_disk":
            device.sd["status"] = "OK"
        return job_id
    device._start_job = format_and_mount
    run(device)
    assert device.write_names() == ["format.cgi"]


def test_passphrase_change_with_right_old_passphrase():
    device = FakeDevice(status="connected", enabled=True, encrypted=True, passphrase=OLD_PASSPHRASE)
    result = run(device, update_passphrase="always", old_passphrase=OLD_PASSPHRASE)
    assert device.write_names() == ["mount.cgi:mount", "changediskpassphrase.cgi"]
    assert device.writes[1][1] == {"newpassphrase": PASSPHRASE, "oldpassphrase": OLD_PASSPHRASE}
    assert device.passphrase == PASSPHRASE
    assert result["changed"] is True
    assert result["steps"] == ["mount SD_DISK", "change the encryption passphrase of SD_DISK"]


def test_passphrase_change_with_wrong_old_passphrase_reports_code_130():
    device = FakeDevice(status="OK", enabled=True, encrypted=True, passphrase="something else")
    with pytest.raises(StepError) as info:
        run(device, update_passphrase="always", old_passphrase=OLD_PASSPHRASE)
    error = info.value
    assert error.step == "change the encryption passphrase of SD_DISK"
    assert error.cause.code == 130
    assert "device error 130" in str(error)
    assert "the old passphrase does not match the passphrase set on the disk" in str(error)
    assert "nothing had been changed before it" in str(error)
    assert device.passphrase == "something else"


def test_job_failure_stops_and_says_where_the_disk_is():
    device = FakeDevice(fail_job="format")
    with pytest.raises(StepError) as info:
        run(device)
    error = info.value
    assert error.step == "format SD_DISK as ext4"
    assert error.done == ["unmount SD_DISK", "enable encryption on SD_DISK with the given passphrase"]
    assert error.state_now == ("SD_DISK has status 'failed', is unmounted, encryption is enabled and its "
                               "content is not encrypted; running the task again continues from this state")
    assert "Format failed: I/O error" in str(error)
    assert error.as_dict()["failed_step"] == "format SD_DISK as ext4"
    # The writes stopped at the failed step: no mount was attempted.
    assert device.write_names() == ["mount.cgi:unmount", "enablediskencryption.cgi", "format.cgi"]
    # A rerun continues from the state left behind: format and mount.
    device.fail_job = None
    device.writes = []
    run(device)
    assert device.write_names() == ["format.cgi", "mount.cgi:mount"]


@pytest.mark.parametrize("state", [NO_PASSPHRASE, WRONG_PASSPHRASE])
def test_an_unreadable_card_is_first_tried_with_the_given_passphrase(state):
    status, enabled, encrypted = state
    _item, device, steps = plan_for(state, allow_data_loss=False)
    assert actions(steps) == (["disable_encryption"] if enabled else []) + [
        "enable_encryption", "check_passphrase", "mount"]
    assert not any(step.destructive for step in steps)
    assert device.writes == []


def test_a_card_the_given_passphrase_opens_keeps_its_recordings():
    # The card came from another camera that used the same passphrase as this task.
    device = FakeDevice(status="wrong passphrase", enabled=True, encrypted=True, passphrase="this camera's old",
                        card_passphrase=PASSPHRASE)
    run(device, allow_data_loss=False)
    assert device.write_names() == ["disablediskencryption.cgi", "enablediskencryption.cgi", "mount.cgi:mount"]
    assert device.sd["status"] == "OK" and device.passphrase == PASSPHRASE


def test_a_card_the_given_passphrase_does_not_open_is_formatted_only_with_opt_in():
    device = FakeDevice(status="wrong passphrase", enabled=True, encrypted=True, passphrase="this camera's",
                        card_passphrase="other camera")
    with pytest.raises(StepError) as info:
        run(device, allow_data_loss=False)
    message = str(info.value)
    assert "does not open the card in SD_DISK either (status 'wrong passphrase')" in message
    assert "allow_data_loss: true" in message
    assert "format.cgi" not in device.write_names()

    device = FakeDevice(status="wrong passphrase", enabled=True, encrypted=True, passphrase="this camera's",
                        card_passphrase="other camera")
    run(device)
    assert device.write_names() == ["disablediskencryption.cgi", "enablediskencryption.cgi", "format.cgi",
                                    "mount.cgi:mount"]
    assert device.passphrase == PASSPHRASE and device.sd["status"] == "OK"


def test_apply_steps_in_check_mode_is_never_called():
    device = FakeDevice()
    result = summarize(converge(device, [resource()], check_mode=True))
    assert device.writes == []
    assert result["changed"] is True
    assert result["after"] == {"encryption of SD_DISK": {"enabled": True, "encrypted": True, "mounted": True}}
    assert len(result["steps"]) == 4


def test_verify_requires_the_disk_mounted():
    item = resource()
    state = {"enabled": True, "encrypted": True, "mounted": False, "status": "connected"}
    assert item.verify(state) == ["SD_DISK is not mounted (status 'connected')"]
    assert item.verify(dict(state, mounted=True, status="ok")) == []
    assert item.verify(dict(state, encrypted=False, mounted=True)) == ["encrypted is False, wanted True"]


def test_state_now_when_the_camera_no_longer_lists_the_disk():
    device = FakeDevice()
    device.disks = lambda: {}
    assert resource().state_now(device) == "SD_DISK is not listed by the camera"


def test_apply_steps_reports_a_failure_of_the_first_step():
    device = FakeDevice(status="OK", enabled=False)
    item = resource()
    steps = item.plan(device, item.read(device))
    # The device refuses to enable on a mounted disk (code 160) if the unmount step were missing.
    with pytest.raises(StepError) as info:
        apply_steps(device, item, steps[1:])
    assert info.value.cause.code == 160
    assert "encryption can only be enabled or disabled while it is unmounted" in str(info.value)


@pytest.mark.parametrize("option", ["passphrase", "old_passphrase"])
def test_a_blank_passphrase_is_refused_before_any_request(option):
    """Issue 10, case 6: a whitespace-only passphrase ('   ', a template that rendered nothing) encrypted a card."""
    given = {"enabled": True, "update_passphrase": "always", "old_passphrase": OLD_PASSPHRASE, option: "   "}
    with pytest.raises(ValidationError, match="%s is empty or only blanks" % option):
        resource(**given)
