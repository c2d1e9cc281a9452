"""Disk management and disk properties: encryption workflow, format, lock, check/repair,
required file system, health, capabilities, alert levels, error codes."""

import re

import pytest

from .conftest import attr, disk_attr, error_code, run_disk_job, start_disk_job, wait_disk_job

PROPS = "/axis-cgi/disks/properties/"


def disk_property(client, cgi, diskid="SD_DISK", **params):
    """A disks/properties CGI (schema version 1) about diskid."""
    return client.xml(PROPS + cgi, schemaversion=1, diskid=diskid, **params)


def change_passphrase(client, old, new):
    return disk_property(client, "changediskpassphrase.cgi", oldpassphrase=old, newpassphrase=new)


def sd(client, name):
    return disk_attr(client.xml("/axis-cgi/disks/list.cgi", diskid="SD_DISK"), "SD_DISK", name)


def test_encryption_workflow_unmount_enable_format_mount(client, camera):
    assert error_code(disk_property(client, "enablediskencryption.cgi", passphrase="secret")) == 160
    run_disk_job(client, "/axis-cgi/disks/mount.cgi", "SD_DISK", action="unmount")
    assert sd(client, "status") == "connected"
    t = disk_property(client, "enablediskencryption.cgi", passphrase="s&cret=1 %")
    assert "<GeneralSuccess />" in t and 'xmlns="http://www.axis.com/vapix/http_cgi/disks/' \
        'properties1"' in t
    assert camera.model.disk("SD_DISK").passphrase == "s&cret=1 %"
    assert sd(client, "encryptionenabled") == "true"
    assert sd(client, "diskencrypted") == "false"
    assert sd(client, "status") == "not encrypted"
    assert error_code(disk_property(client, "enablediskencryption.cgi", passphrase="x")) == 140
    # mounting an unencrypted disk with encryption enabled fails: format first
    failed = run_disk_job(client, "/axis-cgi/disks/mount.cgi", "SD_DISK", action="mount")
    assert attr(failed, "result") == "ERROR"
    done = run_disk_job(client, "/axis-cgi/disks/format.cgi", "SD_DISK", filesystem="ext4")
    assert attr(done, "result") == "OK"
    assert sd(client, "diskencrypted") == "true"
    assert sd(client, "status") == "connected"
    run_disk_job(client, "/axis-cgi/disks/mount.cgi", "SD_DISK", action="mount")
    assert sd(client, "status") == "OK"
    state = camera.dump()["disks"][0]
    assert state["encryption_enabled"] and state["encrypted"] and state["passphrase_set"]
    assert "s&cret" not in str(camera.dump())
    # passphrase change: mounted, right old passphrase
    assert error_code(change_passphrase(client, "wrong", "n")) == 130
    assert error_code(change_passphrase(client, "s&cret=1 %", "")) == 120
    assert "<GeneralSuccess />" in change_passphrase(client, "s&cret=1 %", "v+2")
    assert camera.model.disk("SD_DISK").passphrase == "v+2"
    assert error_code(disk_property(client, "disablediskencryption.cgi")) == 160
    run_disk_job(client, "/axis-cgi/disks/mount.cgi", "SD_DISK", action="unmount")
    assert error_code(change_passphrase(client, "v+2", "n")) == 150
    # disable -> "no passphrase" until formatted
    assert "<GeneralSuccess />" in disk_property(client, "disablediskencryption.cgi")
    assert sd(client, "status") == "no passphrase"
    run_disk_job(client, "/axis-cgi/disks/format.cgi", "SD_DISK")
    run_disk_job(client, "/axis-cgi/disks/mount.cgi", "SD_DISK", action="mount")
    assert sd(client, "status") == "OK" and sd(client, "diskencrypted") == "false"


def test_encryption_error_codes(client):
    enable = PROPS + "enablediskencryption.cgi"
    assert error_code(client.xml(enable, schemaversion=1, diskid="NOPE", passphrase="x")) == 50
    assert error_code(client.xml(enable, schemaversion=1, diskid="NetworkShare",
                                 passphrase="x")) == 100
    assert error_code(client.xml(enable, schemaversion=1, diskid="SD_DISK")) == 110
    assert error_code(client.xml(enable, schemaversion=1, diskid="SD_DISK",
                                 passphrase="x" * 513)) == 110
    assert error_code(client.xml(enable, schemaversion=2, diskid="SD_DISK",
                                 passphrase="x")) == 40
    assert error_code(client.xml(enable, diskid="SD_DISK", passphrase="x")) == 20
    assert error_code(disk_property(client, "disablediskencryption.cgi", diskid="NOPE")) == 50
    assert error_code(change_passphrase(client, "a", "b")) == 10


def test_format_removes_recordings_and_locked_disk_cannot_be_formatted(client, camera):
    assert attr(client.xml("/axis-cgi/record/list.cgi", recordingid="all"),
                "totalnumberofrecordings") == "3"
    t = client.xml("/axis-cgi/disks/lock.cgi", action="lock", diskid="SD_DISK")
    assert re.search(r'<lock diskid="SD_DISK" result="OK" />', t)
    assert sd(client, "locked") == "yes"
    refused = client.xml("/axis-cgi/disks/format.cgi", diskid="SD_DISK", filesystem="vfat")
    assert attr(refused, "result") == "ERROR" and "locked" in attr(refused, "description")
    t = client.xml("/axis-cgi/disks/lock.cgi", action="unlock", diskid="SD_DISK")
    assert re.search(r'<unlock diskid="SD_DISK" result="OK" />', t)
    job = start_disk_job(client, "/axis-cgi/disks/format.cgi", diskid="SD_DISK", filesystem="vfat")
    busy = client.xml("/axis-cgi/disks/format.cgi", diskid="SD_DISK")
    assert attr(busy, "result") == "ERROR"
    text, seen = wait_disk_job(client, job, "SD_DISK")
    assert attr(text, "action") == "format" and attr(text, "result") == "OK"
    assert sd(client, "filesystem") == "vfat"
    assert sd(client, "freesize") == sd(client, "totalsize")
    assert attr(client.xml("/axis-cgi/record/list.cgi", recordingid="all"),
                "totalnumberofrecordings") == "0"
    assert camera.dump()["disks"][0]["recordings"] == 0
    assert "root.Storage.S0.FileSystem=vfat" in client.xml("/axis-cgi/param.cgi", action="list",
                                                           group="Storage.S0")
    bad = client.xml("/axis-cgi/disks/format.cgi", diskid="SD_DISK", filesystem="ntfs")
    assert attr(bad, "result") == "ERROR"
    assert attr(client.xml("/axis-cgi/disks/format.cgi", diskid="NOPE"), "result") == "ERROR"
    lock_bad = client.xml("/axis-cgi/disks/lock.cgi", action="lock", diskid="NOPE")
    assert attr(lock_bad, "result") == "ERROR"


def test_lock_stops_recordings(client):
    client.xml("/axis-cgi/record/continuous/addconfiguration.cgi", diskid="SD_DISK",
               options="fps=1")
    assert 'recordingstatus="recording"' in client.xml("/axis-cgi/record/list.cgi",
                                                       recordingid="all")
    client.xml("/axis-cgi/disks/lock.cgi", action="lock", diskid="SD_DISK")
    assert 'recordingstatus="recording"' not in client.xml("/axis-cgi/record/list.cgi",
                                                           recordingid="all")
    rec = client.xml("/axis-cgi/record/record.cgi", diskid="SD_DISK")
    assert attr(rec, "result") == "ERROR"
    removed = client.xml("/axis-cgi/record/remove.cgi", recordingid="all")
    assert 'result="ERROR"' in removed and 'result="OK"' not in removed


def test_checkdisk_and_repair(client, camera):
    refused = client.xml("/axis-cgi/disks/checkdisk.cgi", diskid="SD_DISK")
    assert attr(refused, "result") == "ERROR" and "mounted" in attr(refused, "description")
    run_disk_job(client, "/axis-cgi/disks/mount.cgi", "SD_DISK", action="unmount")
    camera.clear_log()
    ok = run_disk_job(client, "/axis-cgi/disks/checkdisk.cgi", "SD_DISK")
    assert attr(ok, "result") == "OK" and attr(ok, "action") == "checkdisk"
    assert not any(e["write"] or e["changed"] for e in camera.log())
    camera.inject(corrupt="SD_DISK")
    assert sd(client, "status") == "failed"
    bad = run_disk_job(client, "/axis-cgi/disks/checkdisk.cgi", "SD_DISK")
    assert attr(bad, "result") == "ERROR"
    # operator may check but not repair
    assert client.get("/axis-cgi/disks/repair.cgi", "operator", diskid="SD_DISK").status_code == 403
    fixed = run_disk_job(client, "/axis-cgi/disks/repair.cgi", "SD_DISK")
    assert attr(fixed, "result") == "OK" and attr(fixed, "action") == "repair"
    assert sd(client, "status") == "connected"
    run_disk_job(client, "/axis-cgi/disks/format.cgi", "SD_DISK", filesystem="vfat")
    vfat = client.xml("/axis-cgi/disks/checkdisk.cgi", diskid="SD_DISK")
    assert attr(vfat, "result") == "ERROR"
    share = client.xml("/axis-cgi/disks/repair.cgi", diskid="NetworkShare")
    assert attr(share, "result") == "ERROR"


def test_mount_errors(client):
    again = client.xml("/axis-cgi/disks/mount.cgi", action="mount", diskid="SD_DISK")
    assert attr(again, "result") == "ERROR"
    unbound = client.xml("/axis-cgi/disks/mount.cgi", action="mount", diskid="NetworkShare")
    assert attr(unbound, "result") == "ERROR"
    bad = client.xml("/axis-cgi/disks/mount.cgi", action="eject", diskid="SD_DISK")
    assert attr(bad, "result") == "ERROR"
    missing = client.xml("/axis-cgi/disks/job.cgi", jobid=1)
    assert attr(missing, "result") == "ERROR"


def test_required_fs_formats_on_mount(client, camera):
    run_disk_job(client, "/axis-cgi/disks/format.cgi", "SD_DISK", filesystem="vfat")
    assert error_code(disk_property(client, "setrequiredfs.cgi", filesystem="vfat")) == 30
    assert error_code(disk_property(client, "setrequiredfs.cgi", diskid="NetworkShare", filesystem="ext4")) == 30
    assert error_code(disk_property(client, "setrequiredfs.cgi", diskid="NOPE", filesystem="ext4")) == 20
    assert "<GeneralSuccess />" in disk_property(client, "setrequiredfs.cgi", filesystem="ext4")
    assert sd(client, "requiredfilesystem") == "ext4"
    assert sd(client, "filesystem") == "vfat"            # only on the next mount
    run_disk_job(client, "/axis-cgi/disks/mount.cgi", "SD_DISK", action="unmount")
    run_disk_job(client, "/axis-cgi/disks/mount.cgi", "SD_DISK", action="mount")
    assert sd(client, "filesystem") == "ext4" and sd(client, "status") == "OK"


def test_capabilities_health_alert_levels_schemas(client):
    caps = client.xml("/axis-cgi/disks/getcapabilities.cgi", "operator", diskid="NetworkShare")
    assert 'requiredfssupported="false" encryptionsupported="false"' in caps
    assert '<filesystem name="cifs"' in caps
    bad = client.xml("/axis-cgi/disks/getcapabilities.cgi", diskid="NOPE")
    assert attr(bad, "result") == "ERROR"
    health = client.xml("/axis-cgi/disks/gethealth.cgi", "operator")
    assert '<HealthStatus diskid="SD_DISK" wear="3" />' in health
    assert '<HealthStatus diskid="NetworkShare" wear="-3" />' in health
    get = PROPS + "getdiskalertlevels.cgi"
    assert 'Wear="90" Temperature="358"' in client.xml(get, "operator", schemaversion=1,
                                                       diskid="SD_DISK")
    assert "<GeneralSuccess />" in disk_property(client, "setdiskalertlevels.cgi", wear=50, temperature=360)
    assert 'Wear="50" Temperature="360"' in client.xml(get, schemaversion=1, diskid="SD_DISK")
    assert error_code(disk_property(client, "setdiskalertlevels.cgi", wear=-1)) == 20
    assert error_code(client.xml(get, schemaversion=1, diskid="NOPE")) == 50
    schemas = client.xml(PROPS + "schemaversions.cgi", "operator")
    assert "<VersionNumber>1.1</VersionNumber>" in schemas
    assert error_code(disk_property(client, "setcleanupmaxage.cgi", maxage=7001)) == 20
    assert error_code(disk_property(client, "setcleanuppolicy.cgi", cleanuppolicy="lifo")) == 20
    assert error_code(disk_property(client, "setcleanupmaxage.cgi", diskid="NOPE", maxage=1)) == 50


def test_eject_and_insert_card(client, camera):
    camera.inject(eject="SD_DISK")
    text = client.xml("/axis-cgi/disks/list.cgi")
    assert disk_attr(text, "SD_DISK", "status") == "disconnected"
    assert disk_attr(text, "SD_DISK", "totalsize") == "0"
    assert '<HealthStatus diskid="SD_DISK" wear="-3" />' in client.xml("/axis-cgi/disks/gethealth.cgi")
    camera.inject(insert="SD_DISK")
    assert sd(client, "status") == "OK"


def test_foreign_encrypted_card_reports_wrong_passphrase_until_fixed(client, camera):
    # a camera with encryption enabled (passphrase "secret") gets a card encrypted elsewhere
    camera.reset("modern-encrypted")
    camera.inject(eject="SD_DISK")
    camera.inject(insert="SD_DISK", card_passphrase="elsewhere")
    assert sd(client, "status") == "wrong passphrase"
    assert (sd(client, "encryptionenabled"), sd(client, "diskencrypted")) == ("true", "true")
    disk = camera.dump()["disks"][0]
    assert (disk["mounted"], disk["wrong_passphrase"], disk["recordings"]) == (False, True, 0)
    assert "elsewhere" not in str(camera.dump())
    # it cannot be mounted (not even with a required file system), checked or re-keyed
    assert "<GeneralSuccess />" in disk_property(client, "setrequiredfs.cgi", filesystem="ext4")
    failed = run_disk_job(client, "/axis-cgi/disks/mount.cgi", "SD_DISK", action="mount")
    assert attr(failed, "result") == "ERROR" and "another passphrase" in attr(failed, "description")
    assert sd(client, "status") == "wrong passphrase"
    check = client.xml("/axis-cgi/disks/checkdisk.cgi", diskid="SD_DISK")
    assert attr(check, "result") == "ERROR" and "another passphrase" in check
    assert error_code(change_passphrase(client, "secret", "elsewhere")) == 150
    # setting the card's passphrase (disable, enable with it) opens it again
    assert "<GeneralSuccess />" in disk_property(client, "disablediskencryption.cgi")
    assert sd(client, "status") == "no passphrase"
    disk_property(client, "enablediskencryption.cgi", passphrase="still not it")
    assert sd(client, "status") == "wrong passphrase"
    disk_property(client, "disablediskencryption.cgi")
    disk_property(client, "enablediskencryption.cgi", passphrase="elsewhere")
    assert sd(client, "status") == "connected"
    run_disk_job(client, "/axis-cgi/disks/mount.cgi", "SD_DISK", action="mount")
    assert sd(client, "status") == "OK"


def test_wrong_passphrase_cleared_by_a_format_with_the_cameras_passphrase(client, camera):
    camera.reset("modern-encrypted")
    camera.inject(insert="SD_DISK", card_passphrase="elsewhere")
    assert sd(client, "status") == "wrong passphrase"
    done = run_disk_job(client, "/axis-cgi/disks/format.cgi", "SD_DISK", filesystem="ext4")
    assert attr(done, "result") == "OK"
    assert sd(client, "status") == "connected" and sd(client, "diskencrypted") == "true"
    run_disk_job(client, "/axis-cgi/disks/mount.cgi", "SD_DISK", action="mount")
    assert sd(client, "status") == "OK"
    assert camera.dump()["disks"][0]["wrong_passphrase"] is False


def test_foreign_card_on_camera_without_or_with_the_same_passphrase(client, camera):
    # encryption disabled on this camera: the foreign card reports "no passphrase"
    camera.inject(insert="SD_DISK", card_passphrase="elsewhere")
    assert sd(client, "status") == "no passphrase"
    assert camera.dump()["disks"][0]["recordings"] == 0
    # the camera's own passphrase opens the card: mounted at once
    camera.reset("modern-encrypted")
    camera.inject(insert="SD_DISK", card_passphrase="secret")
    assert sd(client, "status") == "OK"


def test_own_passphrase_dropped_then_another_set_is_a_wrong_passphrase(client, camera):
    camera.reset("modern-encrypted")
    run_disk_job(client, "/axis-cgi/disks/mount.cgi", "SD_DISK", action="unmount")
    disk_property(client, "disablediskencryption.cgi")
    disk_property(client, "enablediskencryption.cgi", passphrase="other")
    assert sd(client, "status") == "wrong passphrase"
    disk_property(client, "disablediskencryption.cgi")
    disk_property(client, "enablediskencryption.cgi", passphrase="secret")
    assert sd(client, "status") == "connected"


def test_card_passphrase_fault_needs_insert(camera):
    with pytest.raises(ValueError):
        camera.inject(card_passphrase="x")
    with pytest.raises(ValueError):
        camera.inject(insert="NetworkShare", card_passphrase="x")
