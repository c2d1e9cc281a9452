"""Share test outcomes (the deterministic address rule), bind failures, and the extra
profiles."""

import re

import pytest

from .conftest import Client, attr, disk_attr, error_code, run_disk_job

SHARES = "/axis-cgi/disks/networkshare/"


def finish_test(client, job, max_polls=10):
    for dummy in range(max_polls):
        text = client.xml(SHARES + "job.cgi", schemaversion=1, jobid=job)
        if "<Progress>" not in text:
            return text
    raise AssertionError("share test %s did not finish" % job)


@pytest.mark.parametrize("args,code", [
    ({"address": "nas.example.com", "share": "cams"}, None),
    ({"address": "nas.invalid", "share": "cams"}, 700),
    ({"address": "unreachable.example", "share": "cams"}, 760),
    ({"address": "box.unreachable.example", "share": "cams"}, 760),
    ({"address": "internal-error.example", "share": "cams"}, 720),
    ({"address": "nas.example.com", "share": "cams", "user": "baduser"}, 710),
    ({"address": "nas.example.com", "share": "cams", "pass": "wrongpass"}, 710),
    ({"address": "nas.example.com", "share": "readonly"}, 740),
    ({"address": "nas.example.com", "share": "writeonly"}, 750),
])
def test_share_test_outcomes(client, args, code):
    t = client.xml(SHARES + "test.cgi", "operator", schemaversion=1, **args)
    result = finish_test(client, attr(t, "JobId"))
    if code is None:
        assert "<JobSuccess>" in result and "<GeneralSuccess />" in result
    else:
        assert "<JobSuccess>" in result and error_code(result) == code


def test_share_test_arguments_override_stored_share(client):
    client.xml(SHARES + "add.cgi", schemaversion=1, nicename="n", shareid="s1",
               address="nas.invalid", share="x")
    bad = finish_test(client, attr(client.xml(SHARES + "test.cgi", schemaversion=1,
                                              shareid="s1"), "JobId"))
    assert error_code(bad) == 700
    good = finish_test(client, attr(client.xml(SHARES + "test.cgi", schemaversion=1,
                                               shareid="s1", address="nas.example"), "JobId"))
    assert "<GeneralSuccess />" in good
    assert error_code(client.xml(SHARES + "test.cgi", schemaversion=1)) == 20
    assert error_code(client.xml(SHARES + "test.cgi", schemaversion=1, shareid="nope")) == 20
    assert error_code(client.xml(SHARES + "job.cgi", schemaversion=1, jobid=999)) == 20


def test_too_many_share_tests(client, camera):
    camera.inject(stuck_jobs=True)
    for dummy in range(4):
        client.xml(SHARES + "test.cgi", schemaversion=1, address="a.example", share="s")
    assert error_code(client.xml(SHARES + "test.cgi", schemaversion=1, address="a.example",
                                 share="s")) == 730


def test_binding_an_unreachable_share_leaves_disk_failed(client):
    client.xml(SHARES + "add.cgi", schemaversion=1, nicename="n", shareid="s1",
               address="nas.invalid", share="x")
    assert attr(client.xml(SHARES + "bind.cgi", schemaversion=1, shareid="s1"),
                "DiskID") == "NetworkShare"
    disks = client.xml("/axis-cgi/disks/list.cgi")
    assert disk_attr(disks, "NetworkShare", "status") == "failed"
    failed = run_disk_job(client, "/axis-cgi/disks/mount.cgi", "NetworkShare", action="mount")
    assert attr(failed, "result") == "ERROR"
    # not mounted, so it can be unbound, fixed and bound again
    assert "<GeneralSuccess />" in client.xml(SHARES + "unbind.cgi", schemaversion=1,
                                              shareid="s1")
    client.xml(SHARES + "modify.cgi", schemaversion=1, shareid="s1", address="nas.example")
    client.xml(SHARES + "bind.cgi", schemaversion=1, shareid="s1", automaticmount="no")
    assert disk_attr(client.xml("/axis-cgi/disks/list.cgi"), "NetworkShare",
                     "status") == "connected"
    run_disk_job(client, "/axis-cgi/disks/mount.cgi", "NetworkShare", action="mount")
    assert disk_attr(client.xml("/axis-cgi/disks/list.cgi"), "NetworkShare", "status") == "OK"


def test_profile_modern_share(make_fleet):
    cam = make_fleet(profile="modern-share").cameras[0]
    c = Client(cam)
    listed = c.xml(SHARES + "list.cgi", schemaversion=1, shareid="all")
    assert re.search(r'ShareId="nas1"[^>]*DiskId="NetworkShare"', listed)
    disks = c.xml("/axis-cgi/disks/list.cgi")
    assert disk_attr(disks, "NetworkShare", "status") == "OK"
    assert disk_attr(disks, "NetworkShare", "totalsize") == "1073741824"
    params = c.xml("/axis-cgi/param.cgi", action="list", group="NetworkShare,Storage.S2")
    assert "root.NetworkShare.N0.Password=******" in params
    assert "root.Storage.S2.DiskID=NetworkShareN0" in params
    c.close()


def test_profile_modern_nocard_and_encrypted(make_fleet):
    nocard = make_fleet(profile="modern-nocard").cameras[0]
    c = Client(nocard)
    disks = c.xml("/axis-cgi/disks/list.cgi")
    assert disk_attr(disks, "SD_DISK", "status") == "disconnected"
    assert attr(c.xml("/axis-cgi/disks/format.cgi", diskid="SD_DISK"), "result") == "ERROR"
    c.close()
    enc = make_fleet(profile="modern-encrypted").cameras[0]
    c = Client(enc)
    disks = c.xml("/axis-cgi/disks/list.cgi")
    assert disk_attr(disks, "SD_DISK", "encryptionenabled") == "true"
    assert disk_attr(disks, "SD_DISK", "diskencrypted") == "true"
    assert "<GeneralSuccess />" in c.xml("/axis-cgi/disks/properties/changediskpassphrase.cgi",
                                         schemaversion=1, diskid="SD_DISK",
                                         oldpassphrase="secret", newpassphrase="other")
    c.close()


def test_unknown_profile_rejected():
    from tests.emulator import EmulatorFleet
    with pytest.raises(ValueError):
        EmulatorFleet(profile="nope").start()
