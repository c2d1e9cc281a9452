# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_encryption: reading both attribute spellings, validation messages, the planner for every
state combination, and the workflow run step by step.

The resource runs on the real Device and VapixClient over the shared test
double (tests/unit/double.py). Each scenario states what the camera answers,
in order: the disk's state as disks/list.cgi reports it before and after each
step, and the answer to each write, so the tests carry no model of the
encryption state machine of their own (the emulator in tests/emulator has the
one stateful model, exercised by tests/functional and tests/integration).
"""

from __future__ import annotations

import pytest

from tests.unit.double import Call, Transcript, disk_list, module_params, param_list, validation_message

from ansible_collections.vapix.edge_storage.plugins.module_utils import _errors
from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import apply_steps, converge, summarize
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_encryption import (
    ARGUMENT_SPEC,
    EncryptionResource,
    build_resources,
)

PASSPHRASE = "c0rrect horse&battery=staple"
OLD_PASSPHRASE = "old-Secret%1"
GENERAL_SUCCESS = "<DiskPropertiesResponse><Success><GeneralSuccess/></Success></DiskPropertiesResponse>"


# -- the camera's answers --------------------------------------------------------------------


def properties(disk_encryption=True):
    return param_list("root.Properties.LocalStorage.LocalStorage=yes\n"
                      "root.Properties.LocalStorage.DiskEncryption=%s\n"
                      "root.Properties.Firmware.Version=5.51.7\n" % ("yes" if disk_encryption else "no"))


def listing(status="OK", enabled=False, encrypted=False, locked=False, required_filesystem="none",
            filesystem="ext4", without=()):
    """disks/list.cgi: SD_DISK in this state (without: attributes left out), and a disconnected NetworkShare."""
    sd = {"diskid": "SD_DISK", "status": status, "filesystem": filesystem, "locked": "yes" if locked else "no",
          "requiredfilesystem": required_filesystem, "encryptionenabled": "true" if enabled else "false",
          "diskencrypted": "true" if encrypted else "false"}
    for name in without:
        del sd[name]
    return disk_list(sd, {"diskid": "NetworkShare", "status": "disconnected", "filesystem": "cifs", "group": "S1",
                          "encryptionenabled": "false", "diskencrypted": "false"})


def capabilities(supported="true", filesystems=("ext4", "vfat")):
    """getcapabilities.cgi of SD_DISK (supported None: the answer does not say)."""
    attribute = ' encryptionsupported="%s"' % supported if supported is not None else ""
    return Call("disks/getcapabilities.cgi", {"diskid": "SD_DISK"}).answers(
        '<?xml version="1.0" ?><root><disk diskid="SD_DISK" requiredfssupported="true"%s><filesystems>%s'
        "</filesystems></disk></root>" % (attribute, "".join(
            f'<filesystem name="{name}" nicename="{name}" requiredfssupported="true" />'
            for name in filesystems)))


def state_reads(state, **disk):
    """What reading the resource asks: the properties, the disk list (SD_DISK in state), the capabilities."""
    status, enabled, encrypted = state
    return [properties(), listing(status, enabled, encrypted, **disk), capabilities()]


def job(cgi, params, job_id, error=None):
    """A disk job: its start (cgi with params) and one poll that finds it done (or failed with error)."""
    action = params.get("action", "format")
    result = ('result="ERROR" description="%s"' % error) if error else 'result="OK" progress="100"'
    start = Call("disks/" + cgi, params, exact=True).answers(
        f'<root><job action="{action}" diskid="SD_DISK" result="OK" jobid="{job_id}"/></root>')
    poll = Call("disks/job.cgi", {"jobid": job_id, "diskid": "SD_DISK"}, exact=True).answers(
        f'<root><job jobid="{job_id}" diskid="SD_DISK" action="{action}" {result}/></root>')
    return [start, poll]


def unmount(job_id):
    return job("mount.cgi", {"action": "unmount", "diskid": "SD_DISK"}, job_id)


def mount(job_id):
    return job("mount.cgi", {"action": "mount", "diskid": "SD_DISK"}, job_id)


def format_ext4(job_id, error=None):
    return job("format.cgi", {"diskid": "SD_DISK", "filesystem": "ext4"}, job_id, error)


def disk_property(cgi, answer=GENERAL_SUCCESS, **params):
    return Call("disks/properties/" + cgi, dict(params, schemaversion=1, diskid="SD_DISK"), exact=True).answers(
        answer)


def refused(code, description):
    return ("<DiskPropertiesResponse><Error><GeneralError><ErrorCode>%d</ErrorCode><ErrorDescription>%s"
            "</ErrorDescription></GeneralError></Error></DiskPropertiesResponse>" % (code, description))


def write_names(transcript):
    """Each write as the CGI and, for mount.cgi, its action."""
    return [path.rsplit("/", 1)[1] + (":" + sent["action"] if path.endswith("mount.cgi") else "")
            for path, sent in transcript.writes]


def params(**overrides):
    """Module parameters as a real run has them (through the argument spec)."""
    given = dict(enabled=True, passphrase=PASSPHRASE, allow_data_loss=True)
    given.update(overrides)
    return module_params(ARGUMENT_SPEC, **{name: value for name, value in given.items() if value is not None})


def resource(**overrides):
    return EncryptionResource(params(**overrides))


def actions(steps):
    return [step.action for step in steps]


# -- reading ---------------------------------------------------------------------------------


def read_answered_by(disk_list_file, capabilities_file="encryption_capabilities.xml"):
    """What the resource reads when the camera answers disks/list.cgi and getcapabilities.cgi with these fixtures."""
    camera = Transcript(properties(), Call("disks/list.cgi", {"diskid": "all"}).answers_file(disk_list_file),
                        Call("disks/getcapabilities.cgi", {"diskid": "SD_DISK"}).answers_file(capabilities_file))
    return resource().read(camera.device())


def test_read_firmware_spelling_encryptionenabled():
    state = read_answered_by("encryption_disks_list_firmware.xml")
    assert state == {
        "enabled": True, "encrypted": True, "mounted": True, "status": "ok", "locked": False,
        "required_filesystem": None, "encryption_supported": True, "filesystems": ["ext4", "vfat"],
    }


def test_read_documented_spelling_and_not_encrypted_status():
    state = read_answered_by("encryption_disks_list_documented.xml")
    assert state["enabled"] is True
    assert state["encrypted"] is False
    assert state["mounted"] is False
    assert state["status"] == "not encrypted"
    assert state["required_filesystem"] == "ext4"


def test_read_capabilities_without_encryption():
    state = read_answered_by("encryption_disks_list_firmware.xml", "encryption_capabilities_unsupported.xml")
    assert state["encryption_supported"] is False
    assert state["filesystems"] == ["vfat"]


def test_read_unknown_disk_is_none():
    assert resource(disk_id="SD_DISK2").read(Transcript(properties(), listing()).device()) is None


@pytest.mark.parametrize("status, enabled, encrypted", [
    ("no passphrase", True, True),        # the status says encryption is disabled
    ("wrong passphrase", True, False),    # ... that the content is encrypted
    ("not encrypted", True, True),        # ... that it is not
    ("OK", True, False),                  # a readable card is encrypted exactly when encryption is enabled
    ("connected", False, True),
])
def test_contradicting_answers_plan_no_format_even_with_allow_data_loss(status, enabled, encrypted):
    """The data-loss case of issue 10: a destructive plan needs values that were read and agree."""
    camera = Transcript(*state_reads((status, enabled, encrypted)))
    device = camera.device()
    for wanted in (True, False):
        target = resource(enabled=wanted, allow_data_loss=True)
        current = target.read(device)
        if target.change_needed(current)[0] is None:
            continue
        with pytest.raises(_errors.VapixError) as info:
            target.plan(device, current)
        assert info.value.error_class == "damaged_answer"
        assert "status '%s'" % status.lower() in str(info.value)
    assert camera.writes == []


def test_an_undocumented_status_is_a_damaged_answer_when_read():
    """A status the disk management API does not document says nothing about mounted or encrypted."""
    camera = Transcript(properties(), listing("checking"))
    with pytest.raises(_errors.VapixError) as info:
        resource(enabled=True, allow_data_loss=True).read(camera.device())
    assert info.value.error_class == "damaged_answer" and "status='checking'" in str(info.value)
    assert camera.writes == []


@pytest.mark.parametrize("missing, words", [
    (["encryptionenabled", "diskencrypted"], "reports no encryption state (encryptionenabled, diskencrypted)"),
    (["encryptionenabled"], "has diskencrypted but not encryptionenabled"),
    (["diskencrypted"], "has encryptionenabled but not diskencrypted"),
])
def test_unknown_encryption_state_is_a_damaged_answer_not_false(missing, words):
    camera = Transcript(properties(), listing("OK", True, True, without=missing))
    with pytest.raises(_errors.VapixError) as info:
        resource(enabled=True, allow_data_loss=True).read(camera.device())
    assert info.value.error_class == "damaged_answer" and words in str(info.value)


def test_unknown_encryption_capability_is_a_damaged_answer_not_unsupported():
    camera = Transcript(properties(), listing(), capabilities(supported=None))
    target = resource(enabled=True, allow_data_loss=True)
    with pytest.raises(_errors.VapixError) as info:
        target.plan(camera.device(), target.read(camera.device()))
    assert info.value.error_class == "damaged_answer" and camera.writes == []


def test_read_on_camera_without_encryption_property_is_unsupported():
    with pytest.raises(_errors.UnsupportedError) as info:
        resource().read(Transcript(properties(disk_encryption=False)).device())
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
    (dict(job_timeout=0), "job_timeout must be a positive number of seconds, got 0"),
    (dict(disk_id=" "), "disk_id is empty: give the disk's id as the camera lists it"),
])
def test_validation_messages(overrides, message):
    assert message in validation_message(resource, **overrides)


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
    # as a workflow whose format or mount outlived job_timeout leaves it: nothing to do (it warns)
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
    camera = Transcript(*state_reads(state))
    item = resource(**overrides)
    device = camera.device()
    return item, camera, item.plan(device, item.read(device))


@pytest.mark.parametrize("state, expected", ENABLE_PLANS)
def test_plan_enable(state, expected):
    _item, camera, steps = plan_for(state)
    assert actions(steps) == expected
    assert camera.writes == []


@pytest.mark.parametrize("state, expected", DISABLE_PLANS)
def test_plan_disable(state, expected):
    _item, camera, steps = plan_for(state, enabled=False, passphrase=None)
    assert actions(steps) == expected
    assert camera.writes == []


@pytest.mark.parametrize("state", [state for state, _expected in ENABLE_PLANS])
@pytest.mark.parametrize("desired", [dict(), dict(enabled=False, passphrase=None)])
def test_only_encryption_and_format_steps_are_destructive(state, desired):
    _item, _camera, steps = plan_for(state, **desired)
    unlocking = desired.get("enabled", True) and state in (NO_PASSPHRASE, WRONG_PASSPHRASE)
    destructive = ("format",) if unlocking else ("enable_encryption", "disable_encryption", "format")
    for step in steps:
        assert step.destructive == (step.action in destructive)
        assert step.text.endswith("[destructive]") == step.destructive


@pytest.mark.parametrize("state, desired_enabled", [
    (s, True) for s, e in ENABLE_PLANS if "format" in e and s not in (NO_PASSPHRASE, WRONG_PASSPHRASE)]
    + [(s, False) for s, e in DISABLE_PLANS if "format" in e])
def test_plan_without_opt_in_is_refused_before_any_write(state, desired_enabled):
    overrides = dict(allow_data_loss=False, enabled=desired_enabled)
    if not desired_enabled:
        overrides["passphrase"] = None
    camera = Transcript(*state_reads(state))
    with pytest.raises(_errors.DataLossRefused) as info:
        converge(camera.device(), [resource(**overrides)], check_mode=False)
    message = str(info.value)
    assert "allow_data_loss: true" in message
    assert "format SD_DISK as ext4 [destructive; needs allow_data_loss]" in message
    assert "nothing was changed" in message
    assert camera.writes == []


@pytest.mark.parametrize("state, refused", [
    (FACTORY, ["enable encryption on SD_DISK with the given passphrase [destructive; needs allow_data_loss]",
               "format SD_DISK as ext4 [destructive; needs allow_data_loss]"]),
    (NOT_ENCRYPTED, ["format SD_DISK as ext4 [destructive; needs allow_data_loss]"]),
])
def test_check_mode_marks_the_steps_that_need_the_opt_in(state, refused):
    camera = Transcript(*state_reads(state))
    result = summarize(converge(camera.device(), [resource(allow_data_loss=False)], check_mode=True))
    assert result["changed"] is True
    assert result["needs_allow_data_loss"] == refused
    assert camera.writes == []


@pytest.mark.parametrize("state, expected", [
    (ENCRYPTED_MOUNTED, ["change_passphrase"]),
    (ENCRYPTED_UNMOUNTED, ["mount", "change_passphrase"]),
    (FACTORY, ["unmount", "enable_encryption", "format", "mount"]),  # enabling sets the new passphrase
])
def test_plan_passphrase_update(state, expected):
    _item, _camera, steps = plan_for(state, update_passphrase="always", old_passphrase=OLD_PASSPHRASE,
                                     allow_data_loss=state == FACTORY)
    assert actions(steps) == expected
    assert not any(step.destructive for step in steps if step.action in ("mount", "change_passphrase"))


def test_passphrase_update_needs_no_opt_in_and_skips_when_old_equals_new():
    _item, _camera, steps = plan_for(ENCRYPTED_MOUNTED, update_passphrase="always", old_passphrase=PASSPHRASE,
                                     allow_data_loss=False)
    assert steps == []


@pytest.mark.parametrize("overrides", [
    dict(),
    dict(update_passphrase="always", old_passphrase=OLD_PASSPHRASE),
    dict(enabled=False, passphrase=None),
])
def test_locked_disk_is_refused_when_a_change_is_needed(overrides):
    state = ENCRYPTED_MOUNTED if overrides else FACTORY
    camera = Transcript(*state_reads(state, locked=True))
    item = resource(**overrides)
    with pytest.raises(_errors.ValidationError) as info:
        item.plan(camera.device(), item.read(camera.device()))
    assert "SD_DISK is locked" in str(info.value)
    assert "locked: false" in str(info.value)
    assert camera.writes == []


def test_locked_disk_in_desired_state_is_left_alone():
    device = Transcript(*state_reads(ENCRYPTED_MOUNTED, locked=True)).device()
    item = resource()
    assert item.plan(device, item.read(device)) == []


@pytest.mark.parametrize("status, enabled, overrides, message", [
    ("disconnected", False, dict(), "SD_DISK has no card (status 'disconnected')"),
    ("failed", True, dict(update_passphrase="always", old_passphrase=OLD_PASSPHRASE),
     "SD_DISK reports status 'failed'; check and repair"),
])
def test_unusable_disk_is_refused(status, enabled, overrides, message):
    device = Transcript(*state_reads((status, enabled, enabled))).device()
    item = resource(**overrides)
    with pytest.raises(_errors.ValidationError) as info:
        item.plan(device, item.read(device))
    assert message in str(info.value)


def test_failed_disk_is_formatted_by_the_workflow():
    # What a failed format leaves behind: encryption enabled, content not encrypted, status failed.
    _item, _camera, steps = plan_for(("failed", True, False))
    assert actions(steps) == ["format", "mount"]


def test_disk_that_cannot_encrypt_is_unsupported():
    device = Transcript(properties(), listing(), capabilities(supported="false")).device()
    item = resource()
    with pytest.raises(_errors.UnsupportedError) as info:
        item.plan(device, item.read(device))
    assert "encryption of SD_DISK" in str(info.value)
    assert "cannot be encrypted" in str(info.value)


def test_unknown_disk_names_the_disks_there_are():
    item = resource(disk_id="SD_DISK2")
    with pytest.raises(_errors.ValidationError) as info:
        item.plan(Transcript(listing()).device(), None)
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
    device = Transcript(*state_reads(FACTORY, required_filesystem=required)).device()
    item = resource(filesystem=asked)
    assert format_args(item.plan(device, item.read(device))) == expected


@pytest.mark.parametrize("required, asked, filesystems, message", [
    ("ext4", "vfat", ("ext4", "vfat"), "filesystem vfat differs from the required file system ext4 set on SD_DISK"),
    ("none", "btrfs", ("ext4", "vfat"), "SD_DISK cannot be formatted as btrfs; it offers: ext4, vfat"),
    ("none", None, ("vfat",), "SD_DISK cannot be formatted as ext4; it offers: vfat"),
])
def test_filesystem_errors(required, asked, filesystems, message):
    device = Transcript(properties(), listing(required_filesystem=required),
                        capabilities(filesystems=filesystems)).device()
    item = resource(filesystem=asked)
    with pytest.raises(_errors.ValidationError) as info:
        item.plan(device, item.read(device))
    assert message in str(info.value)


# -- running the workflow ------------------------------------------------------------------------


def run(camera, **overrides):
    outcomes = converge(camera.device(), [resource(**overrides)], check_mode=False)
    return summarize(outcomes)


def test_enable_runs_the_workflow_in_order_and_converges():
    progress = []
    camera = Transcript(
        *state_reads(FACTORY),
        *unmount(1),
        disk_property("enablediskencryption.cgi", passphrase=PASSPHRASE),
        *format_ext4(2),
        listing("not encrypted", True, True), *mount(3),
        *state_reads(ENCRYPTED_MOUNTED))
    camera.device(progress=lambda what, percent: progress.append((what, percent)))
    result = run(camera)
    assert write_names(camera) == ["mount.cgi:unmount", "enablediskencryption.cgi", "format.cgi", "mount.cgi:mount"]
    assert camera.writes[1][1] == {"schemaversion": "1", "diskid": "SD_DISK", "passphrase": PASSPHRASE}
    assert camera.writes[2][1] == {"diskid": "SD_DISK", "filesystem": "ext4"}
    assert result["after"] == {"encryption of SD_DISK": {"enabled": True, "encrypted": True, "mounted": True}}
    assert result["before"] == {"encryption of SD_DISK": {"enabled": False, "encrypted": False, "mounted": True}}
    assert result["steps"] == [
        "unmount SD_DISK",
        "enable encryption on SD_DISK with the given passphrase [destructive]",
        "format SD_DISK as ext4 [destructive]",
        "mount SD_DISK",
    ]
    # Each job's progress is reported as it is polled (the controller shows it).
    assert progress == [("unmount SD_DISK", 100), ("format SD_DISK as ext4", 100), ("mount SD_DISK", 100)]
    assert PASSPHRASE not in repr(result)
    # A second run finds nothing to do.
    again = Transcript(*state_reads(ENCRYPTED_MOUNTED))
    assert run(again)["changed"] is False
    assert again.writes == []


def test_disable_runs_the_workflow_in_order():
    camera = Transcript(
        *state_reads(ENCRYPTED_MOUNTED),
        *unmount(1),
        disk_property("disablediskencryption.cgi"),
        *format_ext4(2),
        listing("connected", False, False), *mount(3),
        *state_reads(FACTORY))
    result = run(camera, enabled=False, passphrase=None)
    assert write_names(camera) == ["mount.cgi:unmount", "disablediskencryption.cgi", "format.cgi", "mount.cgi:mount"]
    assert result["after"]["encryption of SD_DISK"] == {"enabled": False, "encrypted": False, "mounted": True}


def test_mount_is_skipped_when_the_format_left_the_disk_mounted():
    camera = Transcript(
        *state_reads(NOT_ENCRYPTED),
        *format_ext4(1),
        listing("OK", True, True),                   # the format mounted the disk
        properties(), capabilities())                # the re-read (list.cgi was read just before)
    run(camera)
    assert write_names(camera) == ["format.cgi"]


def test_passphrase_change_with_right_old_passphrase():
    camera = Transcript(
        *state_reads(ENCRYPTED_UNMOUNTED),
        *mount(1),
        disk_property("changediskpassphrase.cgi", newpassphrase=PASSPHRASE, oldpassphrase=OLD_PASSPHRASE),
        *state_reads(ENCRYPTED_MOUNTED))
    result = run(camera, update_passphrase="always", old_passphrase=OLD_PASSPHRASE)
    assert write_names(camera) == ["mount.cgi:mount", "changediskpassphrase.cgi"]
    assert camera.writes[1][1] == {"schemaversion": "1", "diskid": "SD_DISK", "newpassphrase": PASSPHRASE,
                                   "oldpassphrase": OLD_PASSPHRASE}
    assert result["changed"] is True
    assert result["steps"] == ["mount SD_DISK", "change the encryption passphrase of SD_DISK"]


def test_passphrase_change_with_wrong_old_passphrase_reports_code_130():
    camera = Transcript(
        *state_reads(ENCRYPTED_MOUNTED),
        disk_property("changediskpassphrase.cgi", newpassphrase=PASSPHRASE, oldpassphrase=OLD_PASSPHRASE,
                      answer=refused(130, "The oldpassphrase does not match the existing passphrase.")),
        *state_reads(ENCRYPTED_MOUNTED))
    with pytest.raises(_errors.StepError) as info:
        run(camera, update_passphrase="always", old_passphrase=OLD_PASSPHRASE)
    error = info.value
    assert error.step == "change the encryption passphrase of SD_DISK"
    assert error.cause.code == 130
    assert "device error 130" in str(error)
    assert "the old passphrase does not match the passphrase set on the disk" in str(error)
    assert "nothing had been changed before it" in str(error)


def test_job_failure_stops_and_says_where_the_disk_is():
    failed = ("failed", True, False)     # what a failed format leaves: encryption enabled, content not encrypted
    camera = Transcript(
        *state_reads(FACTORY),
        *unmount(1),
        disk_property("enablediskencryption.cgi", passphrase=PASSPHRASE),
        *format_ext4(2, error="Format failed: I/O error"),
        *state_reads(failed))
    with pytest.raises(_errors.StepError) as info:
        run(camera)
    error = info.value
    assert error.step == "format SD_DISK as ext4"
    assert error.done == ["unmount SD_DISK", "enable encryption on SD_DISK with the given passphrase"]
    assert error.state_now == ("SD_DISK has status 'failed', is unmounted, encryption is enabled and its "
                               "content is not encrypted; running the task again continues from this state "
                               "(once encryption is as declared it leaves the disk as it is: mount an unmounted one "
                               "with axis_disk state: mounted)")
    assert "Format failed: I/O error" in str(error)
    assert error.as_dict()["failed_step"] == "format SD_DISK as ext4"
    # The writes stopped at the failed step: no mount was attempted.
    assert write_names(camera) == ["mount.cgi:unmount", "enablediskencryption.cgi", "format.cgi"]
    # A rerun continues from the state left behind: format and mount.
    rerun = Transcript(*state_reads(failed), *format_ext4(3), listing("connected", True, True), *mount(4),
                       *state_reads(ENCRYPTED_MOUNTED))
    run(rerun)
    assert write_names(rerun) == ["format.cgi", "mount.cgi:mount"]


@pytest.mark.parametrize("state", [NO_PASSPHRASE, WRONG_PASSPHRASE])
def test_an_unreadable_card_is_first_tried_with_the_given_passphrase(state):
    _status, enabled, _encrypted = state
    _item, camera, steps = plan_for(state, allow_data_loss=False)
    assert actions(steps) == (["disable_encryption"] if enabled else []) + [
        "enable_encryption", "check_passphrase", "mount"]
    assert not any(step.destructive for step in steps)
    assert camera.writes == []


def test_a_card_the_given_passphrase_opens_keeps_its_recordings():
    # The card came from another camera that used the same passphrase as this task.
    camera = Transcript(
        *state_reads(WRONG_PASSPHRASE),
        disk_property("disablediskencryption.cgi"),
        disk_property("enablediskencryption.cgi", passphrase=PASSPHRASE),
        listing("connected", True, True),            # the check: the passphrase opens the card
        *mount(1),
        *state_reads(ENCRYPTED_MOUNTED))
    result = run(camera, allow_data_loss=False)
    assert write_names(camera) == ["disablediskencryption.cgi", "enablediskencryption.cgi", "mount.cgi:mount"]
    assert camera.writes[1][1]["passphrase"] == PASSPHRASE
    assert result["after"] == {"encryption of SD_DISK": {"enabled": True, "encrypted": True, "mounted": True}}


def test_a_card_the_given_passphrase_does_not_open_is_formatted_only_with_opt_in():
    camera = Transcript(
        *state_reads(WRONG_PASSPHRASE),
        disk_property("disablediskencryption.cgi"),
        disk_property("enablediskencryption.cgi", passphrase=PASSPHRASE),
        listing("wrong passphrase", True, True),     # the check: the card still does not open
        *state_reads(WRONG_PASSPHRASE))
    with pytest.raises(_errors.StepError) as info:
        run(camera, allow_data_loss=False)
    message = str(info.value)
    assert "does not open the card in SD_DISK either (status 'wrong passphrase')" in message
    assert "allow_data_loss: true" in message
    assert "format.cgi" not in write_names(camera)

    camera = Transcript(
        *state_reads(WRONG_PASSPHRASE),
        disk_property("disablediskencryption.cgi"),
        disk_property("enablediskencryption.cgi", passphrase=PASSPHRASE),
        listing("wrong passphrase", True, True), *format_ext4(1),
        listing("connected", True, True), *mount(2),
        *state_reads(ENCRYPTED_MOUNTED))
    result = run(camera)
    assert write_names(camera) == ["disablediskencryption.cgi", "enablediskencryption.cgi", "format.cgi",
                                   "mount.cgi:mount"]
    assert result["after"] == {"encryption of SD_DISK": {"enabled": True, "encrypted": True, "mounted": True}}


def test_apply_steps_in_check_mode_is_never_called():
    camera = Transcript(*state_reads(FACTORY))
    result = summarize(converge(camera.device(), [resource()], check_mode=True))
    assert camera.writes == []
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
    camera = Transcript(properties(), disk_list({"diskid": "NetworkShare", "status": "disconnected",
                                                 "encryptionenabled": "false", "diskencrypted": "false"}))
    assert resource().state_now(camera.device()) == "SD_DISK is not listed by the camera"


def test_apply_steps_reports_a_failure_of_the_first_step():
    camera = Transcript(*state_reads(FACTORY))
    item = resource()
    steps = item.plan(camera.device(), item.read(camera.device()))
    # The device refuses to enable on a mounted disk (code 160) if the unmount step were missing.
    camera.expect(disk_property("enablediskencryption.cgi", passphrase=PASSPHRASE,
                                answer=refused(160, "The disk is mounted.")),
                  *state_reads(FACTORY))
    with pytest.raises(_errors.StepError) as info:
        apply_steps(camera.device(), item, steps[1:])
    assert info.value.cause.code == 160
    assert "encryption can only be enabled or disabled while it is unmounted" in str(info.value)


@pytest.mark.parametrize("option", ["passphrase", "old_passphrase"])
def test_a_blank_passphrase_is_refused_before_any_request(option):
    """Issue 10, case 6: a whitespace-only passphrase ('   ', a template that rendered nothing) encrypted a card."""
    given = {"enabled": True, "update_passphrase": "always", "old_passphrase": OLD_PASSPHRASE, option: "   "}
    with pytest.raises(_errors.ValidationError, match="%s is empty or only blanks" % option):
        resource(**given)
