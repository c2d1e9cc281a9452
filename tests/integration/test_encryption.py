# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_encryption against the camera emulator.

The scenarios run the action plugin in-process (tests/integration/inprocess.py);
real ansible-playbook runs the enable/rotate with --diff at -vvv, whose output
must hold no passphrase (test_no_passphrase_at_vvv_with_diff).

Profiles: ``modern`` (factory: SD card mounted, ext4, not encrypted, three
recordings), ``modern-encrypted`` (SD card encrypted with passphrase
"secret", mounted) and ``legacy`` (5.51: no Properties.LocalStorage.DiskEncryption).
The odd statuses (``no passphrase``, ``not encrypted``) and a locked disk are
set up through the emulator's model, as a card moved between cameras or an
interrupted workflow would leave them.

The cameras get an admin password that is not a word of our messages: Ansible
masks every no_log value wherever it appears in the output, and the default
emulator password "pass" would turn each "passphrase" into "********phrase".
"""

from __future__ import annotations

import json
from urllib.parse import quote, quote_plus

import pytest

from tests.integration import harness, inprocess
from tests.integration.checks import format_that_outlives_job_timeout, second_run_changes_nothing

MODULE = "vapix.edge_storage.axis_encryption"
PASSPHRASE = "p@ss phrase&=%/x"
FACTORY_PASSPHRASE = "secret"          # what the modern-encrypted profile holds
NEW_PASSPHRASE = "n3w pass&phrase=%"

ADMIN_PASSWORD = "Camera-Admin-7"
USERS = {"root": (ADMIN_PASSWORD, "admin")}


def run_tasks(camera, tasks, **kwargs):
    """The tasks run in-process as the cameras' admin."""
    return inprocess.run_tasks(camera, tasks, defaults={"password": ADMIN_PASSWORD}, **kwargs)


def run_playbook(camera, tasks, **kwargs):
    """The tasks run by real ansible-playbook as the cameras' admin."""
    return harness.run_playbook(camera, tasks, defaults={"password": ADMIN_PASSWORD}, **kwargs)


@pytest.fixture
def camera_options():
    """Every camera of this module (make_camera, camera, legacy_camera) has USERS."""
    return {"users": USERS}


ENABLE_STEPS = [
    "unmount SD_DISK",
    "enable encryption on SD_DISK with the given passphrase [destructive]",
    "format SD_DISK as ext4 [destructive]",
    "mount SD_DISK",
]
DISABLE_STEPS = [
    "unmount SD_DISK",
    "disable encryption on SD_DISK [destructive]",
    "format SD_DISK as ext4 [destructive]",
    "mount SD_DISK",
]


def encryption_task(name="encryption", **options):
    return {"name": name, MODULE: options}


def enable(**extra):
    return encryption_task(enabled=True, passphrase=PASSPHRASE, allow_data_loss=True, **extra)


def sd_disk(camera):
    return [disk for disk in camera.dump()["disks"] if disk["disk_id"] == "SD_DISK"][0]


def writes(camera):
    """The write requests the camera received, as 'family/cgi' (e.g. 'properties/enablediskencryption.cgi')."""
    return ["/".join(entry["path"].split("/")[-2:]) for entry in camera.log() if entry["write"]]


def assert_no_secret(run, *secrets):
    """No form of a secret in what the run shows: ansible-playbook's output, or every result of an in-process run."""
    text = run.stdout + run.stderr if isinstance(run, harness.PlaybookRun) else json.dumps(run.results)
    for secret in secrets:
        for form in (secret, quote(secret, safe=""), quote_plus(secret, safe="")):
            assert form not in text, "secret %r appears in the output" % form


def assert_check_writes_nothing(camera, tasks):
    """Run tasks in check mode; return the run after asserting the camera saw no write."""
    camera.clear_log()
    run = run_tasks(camera, tasks, check=True, diff=True)
    assert camera.write_count() == 0, writes(camera)
    camera.clear_log()
    return run


def test_enable_from_factory_with_opt_in_then_nothing_to_do(camera):
    assert sd_disk(camera)["recordings"] > 0
    predicted = assert_check_writes_nothing(camera, [enable()])
    assert predicted.rc == 0, predicted
    assert predicted.changed == 1

    run = run_tasks(camera, [enable()], diff=True)
    assert run.rc == 0, run
    assert run.changed == 1
    result = run.result("encryption")
    assert result["steps"] == ENABLE_STEPS
    assert result["before"] == {"encryption of SD_DISK": {"enabled": False, "encrypted": False, "mounted": True}}
    assert result["after"] == {"encryption of SD_DISK": {"enabled": True, "encrypted": True, "mounted": True}}
    # check mode predicted exactly this
    assert predicted.result("encryption")["steps"] == result["steps"]
    assert predicted.result("encryption")["diff"] == result["diff"]
    assert writes(camera) == ["disks/mount.cgi", "properties/enablediskencryption.cgi", "disks/format.cgi",
                              "disks/mount.cgi"]
    disk = sd_disk(camera)
    assert (disk["encryption_enabled"], disk["encrypted"], disk["mounted"], disk["status"]) == (True, True, True, "OK")
    assert disk["filesystem"] == "ext4"
    assert disk["recordings"] == 0
    # the passphrase arrived intact ('@', ' ', '&', '=', '%', '/')
    assert camera.model.disk("SD_DISK").passphrase == PASSPHRASE
    assert_no_secret(run, PASSPHRASE)

    again = second_run_changes_nothing(camera, [enable()], run_tasks)
    assert again.result("encryption")["steps"] == []


def test_enable_without_opt_in_is_planned_in_check_mode_and_refused_before_any_write(camera):
    task = encryption_task(enabled=True, passphrase=PASSPHRASE)
    predicted = assert_check_writes_nothing(camera, [task])
    assert predicted.rc == 0, predicted
    planned = predicted.result("encryption")
    assert planned["changed"] is True
    assert planned["needs_allow_data_loss"] == [
        "enable encryption on SD_DISK with the given passphrase [destructive; needs allow_data_loss]",
        "format SD_DISK as ext4 [destructive; needs allow_data_loss]"]
    assert any("allow_data_loss" in warning for warning in planned["warnings"])
    run = run_tasks(camera, [task])
    assert run.rc != 0
    result = run.result("encryption")
    message = result["msg"]
    assert "encryption is disabled; enabling encryption formats the disk and destroys every recording" in message
    assert "allow_data_loss: true" in message
    assert "nothing was changed" in message
    assert (result["error_class"], result["writes"], result["changed"]) == ("needs_allow_data_loss", 0, False)
    assert result["needs_allow_data_loss"] == planned["needs_allow_data_loss"]
    assert camera.write_count() == 0
    disk = sd_disk(camera)
    assert (disk["encryption_enabled"], disk["mounted"]) == (False, True)
    assert disk["recordings"] > 0


def test_enable_with_other_filesystem(camera):
    run = run_tasks(camera, [enable(filesystem="vfat")])
    assert run.rc == 0, run
    assert "format SD_DISK as vfat [destructive]" in run.result("encryption")["steps"]
    assert sd_disk(camera)["filesystem"] == "vfat"
    refused = run_tasks(camera, [encryption_task(enabled=False, allow_data_loss=True, filesystem="ntfs")])
    assert refused.rc != 0
    assert "SD_DISK cannot be formatted as ntfs; it offers: vfat, ext4" in refused.result("encryption")["msg"]


def test_disable(make_camera):
    camera = make_camera("modern-encrypted")
    task = encryption_task(enabled=False, allow_data_loss=True)
    predicted = assert_check_writes_nothing(camera, [task])
    assert predicted.result("encryption")["steps"] == DISABLE_STEPS

    run = run_tasks(camera, [task], diff=True)
    assert run.rc == 0, run
    assert run.changed == 1
    result = run.result("encryption")
    assert result["steps"] == DISABLE_STEPS
    assert result["diff"] == predicted.result("encryption")["diff"]
    assert result["diff"]["before"]["encryption of SD_DISK"]["encrypted"] is True
    assert result["diff"]["after"]["encryption of SD_DISK"] == {"enabled": False, "encrypted": False, "mounted": True}
    assert writes(camera) == ["disks/mount.cgi", "properties/disablediskencryption.cgi", "disks/format.cgi",
                              "disks/mount.cgi"]
    disk = sd_disk(camera)
    assert (disk["encryption_enabled"], disk["encrypted"], disk["mounted"], disk["passphrase_set"]) == (
        False, False, True, False)

    second_run_changes_nothing(camera, [task], run_tasks)


def test_disable_without_opt_in_is_refused(make_camera):
    camera = make_camera("modern-encrypted")
    task = encryption_task(enabled=False)
    assert assert_check_writes_nothing(camera, [task]).rc == 0
    run = run_tasks(camera, [task])
    assert run.rc != 0
    assert "encryption is enabled; disabling encryption formats the disk" in run.result("encryption")["msg"]
    assert camera.write_count() == 0
    assert sd_disk(camera)["encrypted"] is True


def rotate(old):
    return encryption_task(enabled=True, passphrase=NEW_PASSPHRASE, old_passphrase=old, update_passphrase="always")


def test_passphrase_change_with_right_old_passphrase(make_camera):
    camera = make_camera("modern-encrypted")
    predicted = assert_check_writes_nothing(camera, [rotate(FACTORY_PASSPHRASE)])
    assert predicted.result("encryption")["steps"] == ["change the encryption passphrase of SD_DISK"]

    run = run_tasks(camera, [rotate(FACTORY_PASSPHRASE)], diff=True)
    assert run.rc == 0, run
    assert run.changed == 1
    assert run.result("encryption")["steps"] == ["change the encryption passphrase of SD_DISK"]
    assert writes(camera) == ["properties/changediskpassphrase.cgi"]
    assert camera.model.disk("SD_DISK").passphrase == NEW_PASSPHRASE
    disk = sd_disk(camera)
    assert (disk["encrypted"], disk["mounted"]) == (True, True)
    assert_no_secret(run, NEW_PASSPHRASE, FACTORY_PASSPHRASE)

    # With update_passphrase: never the encrypted disk is left alone.
    second_run_changes_nothing(camera, [encryption_task(enabled=True, passphrase=NEW_PASSPHRASE)], run_tasks)


def test_passphrase_change_on_unmounted_disk_mounts_first(make_camera):
    camera = make_camera("modern-encrypted")
    camera.model.disk("SD_DISK").mounted = False
    run = run_tasks(camera, [rotate(FACTORY_PASSPHRASE)])
    assert run.rc == 0, run
    assert run.result("encryption")["steps"] == ["mount SD_DISK", "change the encryption passphrase of SD_DISK"]
    assert writes(camera) == ["disks/mount.cgi", "properties/changediskpassphrase.cgi"]
    assert sd_disk(camera)["mounted"] is True
    assert camera.model.disk("SD_DISK").passphrase == NEW_PASSPHRASE


def test_passphrase_change_with_wrong_old_passphrase(make_camera):
    camera = make_camera("modern-encrypted")
    wrong = "not the old one"
    assert assert_check_writes_nothing(camera, [rotate(wrong)]).rc == 0   # the device alone can tell

    run = run_tasks(camera, [rotate(wrong)])
    assert run.rc != 0
    result = run.result("encryption")
    assert result["failed_step"] == "change the encryption passphrase of SD_DISK"
    assert result["code"] == 130
    assert "device error 130" in result["msg"]
    assert "the old passphrase does not match the passphrase set on the disk" in result["msg"]
    assert "nothing had been changed before it" in result["msg"]
    assert "SD_DISK has status 'ok', is mounted, encryption is enabled" in result["state_now"]
    assert camera.model.disk("SD_DISK").passphrase == FACTORY_PASSPHRASE
    assert_no_secret(run, NEW_PASSPHRASE, wrong)


def test_locked_disk_is_refused_before_anything_is_done(camera):
    camera.model.set_lock("SD_DISK", "lock")
    assert assert_check_writes_nothing(camera, [enable()]).rc != 0
    run = run_tasks(camera, [enable()])
    assert run.rc != 0
    message = run.result("encryption")["msg"]
    assert "SD_DISK is locked" in message
    assert "locked: false" in message
    assert camera.write_count() == 0
    disk = sd_disk(camera)
    assert (disk["encryption_enabled"], disk["mounted"], disk["locked"]) == (False, True, True)


def test_job_failure_mid_workflow_reports_step_and_disk_state(camera):
    camera.inject(fail_job="format")
    assert assert_check_writes_nothing(camera, [enable()]).rc == 0
    run = run_tasks(camera, [enable()])
    assert run.rc != 0
    result = run.result("encryption")
    assert result["failed_step"] == "format SD_DISK as ext4"
    assert result["completed_steps"] == ["unmount SD_DISK", "enable encryption on SD_DISK with the given passphrase"]
    assert "step 'format SD_DISK as ext4' failed" in result["msg"]
    assert "format failed" in result["msg"]
    assert result["state_now"] == (
        "SD_DISK has status 'failed', is unmounted, encryption is enabled and its content is not encrypted; "
        "running the task again continues from this state (once encryption is as declared it leaves the disk as "
        "it is: mount an unmounted one with axis_disk state: mounted)")
    assert writes(camera) == ["disks/mount.cgi", "properties/enablediskencryption.cgi", "disks/format.cgi"]
    disk = sd_disk(camera)
    assert (disk["encryption_enabled"], disk["encrypted"], disk["mounted"]) == (True, False, False)

    # The fault is spent: the next run continues from where the disk is and finishes the workflow.
    predicted = assert_check_writes_nothing(camera, [enable()])
    assert predicted.result("encryption")["steps"] == ["format SD_DISK as ext4 [destructive]", "mount SD_DISK"]
    rerun = run_tasks(camera, [enable()])
    assert rerun.rc == 0, rerun
    assert rerun.result("encryption")["steps"] == predicted.result("encryption")["steps"]
    disk = sd_disk(camera)
    assert (disk["encryption_enabled"], disk["encrypted"], disk["mounted"], disk["status"]) == (True, True, True, "OK")


@pytest.mark.parametrize("enabled, encrypted, desired, status, expected", [
    # encryption enabled but never formatted (a workflow interrupted before the format)
    (True, False, True, "not encrypted", ["format SD_DISK as ext4 [destructive]", "mount SD_DISK"]),
    # encryption disabled while the content is still encrypted
    (False, True, False, "no passphrase", ["format SD_DISK as ext4 [destructive]", "mount SD_DISK"]),
])
def test_odd_statuses_are_reconciled(make_camera, enabled, encrypted, desired, status, expected):
    camera = make_camera("modern-encrypted" if encrypted else "modern")
    disk = camera.model.disk("SD_DISK")
    disk.mounted, disk.encryption_enabled, disk.encrypted = False, enabled, encrypted
    if not enabled:
        disk.passphrase = None
    assert sd_disk(camera)["status"] == status
    options = dict(enabled=desired, passphrase=PASSPHRASE if desired else None)

    refused = run_tasks(camera, [encryption_task(**options)])
    assert refused.rc != 0
    assert "(status '%s')" % status in refused.result("encryption")["msg"]
    assert "allow_data_loss: true" in refused.result("encryption")["msg"]
    assert camera.write_count() == 0

    predicted = assert_check_writes_nothing(camera, [encryption_task(allow_data_loss=True, **options)])
    assert predicted.result("encryption")["steps"] == expected
    run = run_tasks(camera, [encryption_task(allow_data_loss=True, **options)])
    assert run.rc == 0, run
    assert run.result("encryption")["steps"] == expected
    assert writes(camera) == ["disks/format.cgi", "disks/mount.cgi"]
    disk = sd_disk(camera)
    assert (disk["encryption_enabled"], disk["encrypted"], disk["mounted"]) == (desired, desired, True)


def test_no_passphrase_at_vvv_with_diff(camera):
    """One playbook at -vvv with --diff: the enable, then the rotation in check mode (task keyword check_mode)."""
    rotation = dict(rotate(PASSPHRASE), name="rotation", check_mode=True)
    run = run_playbook(camera, [enable(), rotation], diff=True, verbosity=3)
    assert run.rc == 0, run
    assert "enable encryption on SD_DISK" in run.stdout
    assert run.result("rotation")["steps"] == ["change the encryption passphrase of SD_DISK"]
    assert run.result("rotation")["writes"] == 0
    assert camera.model.disk("SD_DISK").passphrase == PASSPHRASE
    assert_no_secret(run, PASSPHRASE, NEW_PASSPHRASE)


def test_legacy_camera_is_not_supported(legacy_camera):
    assert assert_check_writes_nothing(legacy_camera, [enable()]).rc != 0
    run = run_tasks(legacy_camera, [enable()])
    assert run.rc != 0
    result = run.result("encryption")
    assert "not supported by this camera (5.51.7): disk encryption" in result["msg"]
    assert "Properties.LocalStorage.DiskEncryption is not 'yes'" in result["msg"]
    assert "5.51.7" in result["msg"]
    assert legacy_camera.write_count() == 0


UNLOCK_WITHOUT_OPT_IN = [
    "disable encryption on SD_DISK (forget the camera's passphrase)",
    "enable encryption on SD_DISK with the given passphrase",
    "check that the given passphrase opens the card in SD_DISK",
    "mount SD_DISK",
]
UNLOCK_WITH_OPT_IN = [
    "disable encryption on SD_DISK (forget the camera's passphrase)",
    "enable encryption on SD_DISK with the given passphrase",
    "format SD_DISK as ext4 if the given passphrase does not open the card [destructive]",
    "mount SD_DISK",
]


def test_card_encrypted_with_the_declared_passphrase_opens_without_a_format(make_camera):
    """A card from another camera that used the declared passphrase: no format, no opt-in needed."""
    camera = make_camera("modern-encrypted")
    camera.inject(insert="SD_DISK", card_passphrase=PASSPHRASE)
    assert sd_disk(camera)["status"] == "wrong passphrase"
    task = encryption_task(enabled=True, passphrase=PASSPHRASE)
    predicted = assert_check_writes_nothing(camera, [task])
    assert predicted.result("encryption")["steps"] == UNLOCK_WITHOUT_OPT_IN
    run = run_tasks(camera, [task])
    assert run.rc == 0, run
    assert run.result("encryption")["steps"] == UNLOCK_WITHOUT_OPT_IN
    assert writes(camera) == ["properties/disablediskencryption.cgi", "properties/enablediskencryption.cgi",
                              "disks/mount.cgi"]
    disk = sd_disk(camera)
    assert (disk["status"], disk["wrong_passphrase"], disk["encrypted"], disk["mounted"]) == ("OK", False, True, True)
    assert_no_secret(run, PASSPHRASE)
    second_run_changes_nothing(camera, [task], run_tasks)


def test_card_encrypted_with_another_passphrase(make_camera):
    """A card encrypted with a passphrase nobody declared: tried, then formatted only with the opt-in."""
    camera = make_camera("modern-encrypted")
    camera.inject(insert="SD_DISK", card_passphrase="from another camera")
    assert sd_disk(camera)["status"] == "wrong passphrase"
    task = encryption_task(enabled=True, passphrase=FACTORY_PASSPHRASE)

    # Without the opt-in: the declared passphrase is tried (no data is touched), then the task stops.
    assert assert_check_writes_nothing(camera, [task]).result("encryption")["steps"] == UNLOCK_WITHOUT_OPT_IN
    refused = run_tasks(camera, [task])
    assert refused.rc != 0
    message = refused.result("encryption")["msg"]
    assert "does not open the card in SD_DISK either (status 'wrong passphrase')" in message
    assert "allow_data_loss: true" in message
    assert "disks/format.cgi" not in writes(camera)
    disk = sd_disk(camera)
    assert (disk["status"], disk["wrong_passphrase"], disk["mounted"]) == ("wrong passphrase", True, False)

    # With the opt-in: the card that still does not open is formatted, as check mode predicts.
    opted_in = encryption_task(enabled=True, passphrase=FACTORY_PASSPHRASE, allow_data_loss=True)
    predicted = assert_check_writes_nothing(camera, [opted_in])
    assert predicted.result("encryption")["steps"] == UNLOCK_WITH_OPT_IN
    run = run_tasks(camera, [opted_in], diff=True)
    assert run.rc == 0, run
    assert run.changed == 1
    assert run.result("encryption")["steps"] == predicted.result("encryption")["steps"]
    assert run.result("encryption")["diff"] == predicted.result("encryption")["diff"]
    assert writes(camera) == ["properties/disablediskencryption.cgi", "properties/enablediskencryption.cgi",
                              "disks/format.cgi", "disks/mount.cgi"]
    disk = sd_disk(camera)
    assert (disk["status"], disk["wrong_passphrase"], disk["encrypted"], disk["mounted"]) == ("OK", False, True, True)
    assert camera.model.disk("SD_DISK").passphrase == FACTORY_PASSPHRASE
    assert_no_secret(run, FACTORY_PASSPHRASE)

    second_run_changes_nothing(camera, [opted_in], run_tasks)


def test_card_encrypted_with_another_passphrase_disabled_with_opt_in(make_camera):
    """enabled: false on a 'wrong passphrase' card: disable -> format -> mount leaves a plain, usable card."""
    camera = make_camera("modern-encrypted")
    camera.inject(insert="SD_DISK", card_passphrase="from another camera")
    task = encryption_task(enabled=False, allow_data_loss=True)
    expected = ["disable encryption on SD_DISK [destructive]", "format SD_DISK as ext4 [destructive]",
                "mount SD_DISK"]
    assert assert_check_writes_nothing(camera, [task]).result("encryption")["steps"] == expected
    run = run_tasks(camera, [task])
    assert run.rc == 0, run
    assert run.result("encryption")["steps"] == expected
    disk = sd_disk(camera)
    assert (disk["status"], disk["encryption_enabled"], disk["encrypted"], disk["mounted"]) == ("OK", False, False, True)


def _end_the_running_job(camera):
    """The job the disk is busy with ends (one job.cgi poll after stuck_jobs was cleared)."""
    job_id = sd_disk(camera)["busy_job"]
    assert job_id is not None
    camera.model.poll_disk_job(job_id, "SD_DISK")
    assert sd_disk(camera)["busy_job"] is None


@pytest.mark.parametrize("profile, task, encrypted", [
    ("modern", enable, True),
    ("modern-encrypted", lambda **extra: encryption_task(enabled=False, allow_data_loss=True, **extra), False),
])
def test_a_format_that_outlived_job_timeout_is_not_formatted_again_and_the_rerun_says_to_mount_it(
        make_camera, profile, task, encrypted):
    """The workflow's format outlives job_timeout: the run fails (timeout, changed) and leaves the disk unmounted.
    A rerun while the format runs formats nothing more (the camera is busy); once it has ended, the disk is
    encrypted as declared but unmounted: the rerun writes nothing (the task declares encryption, not the mount)
    and warns that the camera records nothing to it, naming axis_disk state: mounted, which then mounts it."""
    camera = make_camera(profile)
    undo = format_that_outlives_job_timeout(camera)
    run = run_tasks(camera, [task(job_timeout=1)])
    result = run.result("encryption")
    assert run.rc != 0 and result["changed"] and result["error_class"] == "timeout", run
    assert result["failed_step"].startswith("format SD_DISK")
    assert "mount an unmounted one with axis_disk state: mounted" in result["state_now"], result
    undo()
    _end_the_running_job(camera)
    disk = sd_disk(camera)
    assert (disk["encryption_enabled"], disk["encrypted"], disk["mounted"], disk["status"]) == (
        encrypted, encrypted, False, "connected")

    camera.clear_log()
    rerun = run_tasks(camera, [task()])
    found = rerun.result("encryption")
    assert rerun.rc == 0 and not found["changed"] and found["steps"] == [], rerun
    assert camera.write_count() == 0
    assert any("the disk is unmounted (status 'connected'), so the camera records nothing to it; mount it with "
               "vapix.edge_storage.axis_disk state: mounted" in warning for warning in found["warnings"]), found
    mounted = run_tasks(camera, [{"name": "mount", "vapix.edge_storage.axis_disk": {
        "disk_id": "SD_DISK", "state": "mounted", "password": ADMIN_PASSWORD}}])
    assert mounted.rc == 0, mounted
    disk = sd_disk(camera)
    assert (disk["encryption_enabled"], disk["encrypted"], disk["mounted"], disk["status"]) == (
        encrypted, encrypted, True, "OK")
    settled = run_tasks(camera, [task()]).result("encryption")
    assert not settled["changed"] and not any("unmounted" in warning for warning in settled.get("warnings", []))


def test_an_unmounted_disk_the_disks_section_declares_unmounted_is_left_unmounted(make_camera):
    """Whole camera: encryption already as declared beside a disks item declaring the disk unmounted is no conflict,
    the disk stays unmounted, and the encryption item does not warn about it."""
    camera = make_camera("modern-encrypted")
    camera.model.disk("SD_DISK").mounted = False
    assert sd_disk(camera)["status"] == "connected"
    sections = {"disks": [{"disk_id": "SD_DISK", "state": "unmounted"}],
                "encryption": [{"enabled": True, "passphrase": FACTORY_PASSPHRASE}]}
    camera.clear_log()
    result = inprocess.run_task(camera, "axis_edge_storage", sections, defaults={"password": ADMIN_PASSWORD})
    assert not result.get("failed") and not result["changed"], result
    assert not any("records nothing to it" in warning for warning in result.get("warnings", [])), result
    assert camera.write_count() == 0
    assert sd_disk(camera)["mounted"] is False
