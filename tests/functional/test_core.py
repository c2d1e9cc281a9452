"""Core behaviour: param.cgi, disks, shares, storage limit, continuous profiles, recording
groups, jobs -- and the yardstick playbook's requests and regexes (tests/bench/uri_yardstick.yml)."""

import re

import requests

from .conftest import attr, disk_attr, error_code, run_disk_job, start_disk_job, wait_disk_job

SHARES = "/axis-cgi/disks/networkshare/"


def test_bench_baseline_flow_converges_then_is_idempotent(client, camera):
    """The requests of the uri yardstick (tests/bench/uri_yardstick.yml), twice."""
    def converge():
        shares = client.xml(SHARES + "list.cgi", schemaversion=1, shareid="all")
        if not re.search(r'ShareId="nas1"', shares):
            t = client.xml(SHARES + "add.cgi", schemaversion=1, nicename="nas1", shareid="nas1",
                           address="nas.example.com", share="cameras", user="cam",
                           **{"pass": "s3cr&t=x"})
            assert attr(t, "ShareId") == "nas1"
        if not re.search(r'ShareId="nas1"[^>]*DiskId=', shares):
            t = client.xml(SHARES + "bind.cgi", schemaversion=1, shareid="nas1")
            assert attr(t, "DiskID") == "NetworkShare"
        storage = client.xml("/axis-cgi/param.cgi", action="list", group="Storage")
        if (not re.search(r"Storage.S0.CleanupMaxAge=30\r?\n", storage)
                or not re.search(r"Storage.S0.FriendlyName=SD card\r?\n", storage)
                or "Storage.S0.CleanupPolicyActive=fifo" not in storage
                or not re.search(r"Storage.S1.CleanupMaxAge=14\r?\n", storage)):
            r = client.session().get(
                client.camera.url + "/axis-cgi/param.cgi?action=update&Storage.S0.FriendlyName="
                "SD%20card&Storage.S0.CleanupPolicyActive=fifo&Storage.S0.CleanupMaxAge=30"
                "&Storage.S1.CleanupPolicyActive=fifo&Storage.S1.CleanupMaxAge=14")
            assert r.text.strip() == "OK"
        limit = client.xml("/axis-cgi/record/storage/getlimit.cgi", schemaversion=1,
                           diskid="NetworkShare")
        if 'size="524288000"' not in limit:
            t = client.xml("/axis-cgi/record/storage/setlimit.cgi", schemaversion=1,
                           diskid="NetworkShare", size=524288000)
            assert "<GeneralSuccess />" in t
        profiles = client.xml("/axis-cgi/record/continuous/listconfiguration.cgi")
        if 'eventid="continuous_sd"' not in profiles:
            r = client.session().get(client.camera.url + "/axis-cgi/record/continuous/"
                                     "addconfiguration.cgi?diskid=SD_DISK&eventid=continuous_sd"
                                     "&options=resolution%3D1280x720")
            assert 'result="OK"' in r.text
        groups = client.xml("/axis-cgi/record/recording_group/list.cgi", schemaversion=1)
        if 'RecordingGroupId="retention-7d"' not in groups:
            t = client.xml("/axis-cgi/record/recording_group/create.cgi", schemaversion=1,
                           recordinggroupid="retention-7d", diskid="SD_DISK", retentiontime=168,
                           nicename="retention-7d")
            assert attr(t, "RecordingGroupId") == "retention-7d"
        elif not re.search(r'RecordingGroupId="retention-7d"[^>]*RetentionTime="168"', groups):
            client.xml("/axis-cgi/record/recording_group/update.cgi", schemaversion=1,
                       recordinggroupid="retention-7d", retentiontime=168)

    converge()
    assert camera.write_count() == 6
    state = camera.dump()
    assert state["shares"][0]["password_set"] is True
    assert camera.model.share("nas1").password == "s3cr&t=x"
    assert state["disks"][1]["status"] == "OK" and state["disks"][1]["share_id"] == "nas1"
    assert state["storage_limits"]["NetworkShare"] == 524288000
    camera.clear_log()
    converge()
    assert camera.write_count() == 0
    assert all(not e["changed"] for e in camera.log())


def test_param_list_root_prefix_and_masked_password(client, camera):
    client.xml(SHARES + "add.cgi", schemaversion=1, nicename="n", shareid="n1", address="a.example",
               share="s", user="u", **{"pass": "secret"})
    text = client.xml("/axis-cgi/param.cgi", action="list", group="NetworkShare")
    assert "root.NetworkShare.N0.Password=******\n" in text
    assert "secret" not in text
    assert "root.NetworkShare.N0.ShareId=n1\n" in text
    storage = client.xml("/axis-cgi/param.cgi", action="list", group="root.Storage")
    assert "root.Storage.S2.DiskID=NetworkShareN0\n" in storage
    assert all(line.startswith("root.") for line in storage.splitlines())
    one = client.xml("/axis-cgi/param.cgi", action="list", group="Storage.S0.DiskID")
    assert one == "root.Storage.S0.DiskID=SD_DISK\n"
    props = client.xml("/axis-cgi/param.cgi", action="list",
                       group="Properties.LocalStorage,Brand,Properties.Firmware")
    assert "root.Properties.LocalStorage.NbrOfContinuousRecordingProfiles=1\n" in props
    assert "root.Brand.Brand=AXIS\n" in props
    assert "root.Properties.Firmware.Version=9.80.2.2\n" in props


def test_param_errors(client):
    text = client.xml("/axis-cgi/param.cgi", action="list", group="NoSuchGroup")
    assert text.startswith("# Error:")
    bad = client.xml("/axis-cgi/param.cgi", action="update", **{"Storage.S0.CleanupMaxAge": "9000"})
    assert bad.startswith("# Error: Error setting 'Storage.S0.CleanupMaxAge' to '9000'")
    ro = client.xml("/axis-cgi/param.cgi", action="update", **{"Storage.S0.DiskID": "X"})
    assert ro.startswith("# Error:")
    # all-or-nothing: a bad value leaves the good one unapplied
    mixed = client.xml("/axis-cgi/param.cgi", action="update",
                       **{"Storage.S0.CleanupMaxAge": "5", "Storage.S0.CleanupPolicyActive": "x"})
    assert mixed.startswith("# Error:")
    assert "cleanupmaxage=\"7000\"" in client.xml("/axis-cgi/disks/list.cgi", diskid="SD_DISK")


def test_param_and_cgis_stay_consistent(client):
    client.xml("/axis-cgi/disks/properties/setcleanupmaxage.cgi", schemaversion=1,
               diskid="SD_DISK", maxage=12)
    assert "root.Storage.S0.CleanupMaxAge=12\n" in client.xml(
        "/axis-cgi/param.cgi", action="list", group="Storage.S0")
    assert disk_attr(client.xml("/axis-cgi/disks/list.cgi", diskid="all"), "SD_DISK",
                     "cleanupmaxage") == "12"
    assert client.xml("/axis-cgi/param.cgi", action="update",
                      **{"root.Storage.S0.FriendlyName": "My SD & card"}) == "OK"
    assert disk_attr(client.xml("/axis-cgi/disks/list.cgi", diskid="SD_DISK"), "SD_DISK",
                     "name") == "My SD &amp; card"
    client.xml("/axis-cgi/disks/properties/setcleanuppolicy.cgi", schemaversion=1,
               diskid="SD_DISK", cleanuppolicy="none")
    assert "root.Storage.S0.CleanupPolicyActive=none" in client.xml(
        "/axis-cgi/param.cgi", action="list", group="Storage.S0")
    client.xml("/axis-cgi/disks/properties/setrequiredfs.cgi", schemaversion=1,
               diskid="SD_DISK", filesystem="ext4")
    assert "root.Storage.S0.RequiredFileSystem=ext4" in client.xml(
        "/axis-cgi/param.cgi", action="list", group="Storage.S0")
    client.xml("/axis-cgi/param.cgi", action="update", **{"Storage.S0.Locked": "yes"})
    assert disk_attr(client.xml("/axis-cgi/disks/list.cgi"), "SD_DISK", "locked") == "yes"


def test_disk_list_shape_like_real_firmware(client):
    text = client.xml("/axis-cgi/disks/list.cgi", diskid="all")
    assert '<disks numberofdisks="2" >  <disk diskid="SD_DISK"' in text
    assert 'encryptionenabled="false"' in text and "diskencryptionenabled" not in text
    assert text.rstrip().endswith("</disks> </root>")
    assert disk_attr(text, "NetworkShare", "status") == "disconnected"
    assert disk_attr(text, "SD_DISK", "status") == "OK"
    one = client.xml("/axis-cgi/disks/list.cgi", diskid="NetworkShare")
    assert attr(one, "numberofdisks") == "1"


def test_share_workflow(client, camera):
    t = client.xml(SHARES + "add.cgi", schemaversion=1, nicename="My NAS", address="nas.example.com",
                   share="cams", user="cam", **{"pass": "p&ss word=%"})
    share_id = attr(t, "ShareId")
    assert camera.model.share(share_id).password == "p&ss word=%"
    # test
    t = client.xml(SHARES + "test.cgi", schemaversion=1, shareid=share_id)
    job = attr(t, "JobId")
    progresses = []
    for dummy in range(10):
        j = client.xml(SHARES + "job.cgi", schemaversion=1, jobid=job)
        if "<GeneralSuccess />" in j:
            break
        progresses.append(int(re.search(r"<Progress>(\d+)</Progress>", j).group(1)))
    else:
        raise AssertionError("share test did not finish")
    assert progresses == sorted(progresses) and len(progresses) == 2
    # bind
    t = client.xml(SHARES + "bind.cgi", schemaversion=1, shareid=share_id)
    assert attr(t, "DiskID") == "NetworkShare"
    listed = client.xml(SHARES + "list.cgi", schemaversion=1, shareid="all")
    assert re.search(r'ShareId="%s"[^>]*DiskId="NetworkShare"' % share_id, listed)
    assert disk_attr(client.xml("/axis-cgi/disks/list.cgi"), "NetworkShare", "status") == "OK"
    # modify refused while bound (nicename alone is allowed)
    assert error_code(client.xml(SHARES + "modify.cgi", schemaversion=1, shareid=share_id,
                                 address="other.example")) == 600
    assert "<GeneralSuccess />" in client.xml(SHARES + "modify.cgi", schemaversion=1,
                                              shareid=share_id, nicename="Renamed")
    assert error_code(client.xml(SHARES + "remove.cgi", schemaversion=1, shareid=share_id)) == 500
    # unbind refused while mounted
    assert error_code(client.xml(SHARES + "unbind.cgi", schemaversion=1, shareid=share_id)) == 400
    # a second share cannot be bound
    t2 = client.xml(SHARES + "add.cgi", schemaversion=1, nicename="Second", address="b.example",
                    share="x")
    assert error_code(client.xml(SHARES + "bind.cgi", schemaversion=1,
                                 shareid=attr(t2, "ShareId"))) == 300
    assert error_code(client.xml(SHARES + "bind.cgi", schemaversion=1, shareid=share_id)) == 310
    # unmount -> unbind -> modify -> remove
    run_disk_job(client, "/axis-cgi/disks/mount.cgi", "NetworkShare", action="unmount")
    assert "<GeneralSuccess />" in client.xml(SHARES + "unbind.cgi", schemaversion=1,
                                              shareid=share_id)
    assert disk_attr(client.xml("/axis-cgi/disks/list.cgi"), "NetworkShare",
                     "status") == "disconnected"
    assert "<GeneralSuccess />" in client.xml(SHARES + "modify.cgi", schemaversion=1,
                                              shareid=share_id, address="other.example",
                                              **{"pass": "new"})
    assert camera.model.share(share_id).address == "other.example"
    assert "<GeneralSuccess />" in client.xml(SHARES + "remove.cgi", schemaversion=1,
                                              shareid=share_id)
    assert camera.model.share(share_id) is None


def test_share_add_errors(client, camera):
    add = SHARES + "add.cgi"
    assert error_code(client.xml(add, schemaversion=1, nicename="a", address="x", share="s",
                                 shareid="bad id!")) == 200
    client.xml(add, schemaversion=1, nicename="a", address="x", share="s", shareid="s1")
    assert error_code(client.xml(add, schemaversion=1, nicename="b", address="x", share="s",
                                 shareid="s1")) == 210
    assert error_code(client.xml(add, schemaversion=1, nicename="a", address="x",
                                 share="s")) == 220
    assert error_code(client.xml(add, schemaversion=1, nicename="c", address="x")) == 20
    for i in range(camera.model.max_shares - 1):
        client.xml(add, schemaversion=1, nicename="n%d" % i, address="x", share="s")
    assert error_code(client.xml(add, schemaversion=1, nicename="last", address="x",
                                 share="s")) == 230
    c2 = client.xml(SHARES + "add.cgi", schemaversion=1, nicename="z", address="x", share="s")
    assert error_code(c2) == 230
    assert error_code(client.xml(SHARES + "modify.cgi", schemaversion=1, shareid="n1x",
                                 nicename="a")) == 20


def test_storage_limit(client):
    base = "/axis-cgi/record/storage/"
    assert "<VersionNumber>1.0</VersionNumber>" in client.xml(base + "schemaversions.cgi")
    assert error_code(client.xml(base + "setlimit.cgi", schemaversion=1, diskid="SD_DISK",
                                 size=1048575)) == 130
    assert error_code(client.xml(base + "setlimit.cgi", schemaversion=1, diskid="SD_DISK",
                                 size="textstring")) == 120
    assert error_code(client.xml(base + "setlimit.cgi", schemaversion=1, diskid="DUMMY",
                                 size=0)) == 110
    assert error_code(client.xml(base + "getlimit.cgi", schemaversion=1, diskid="DUMMY")) == 110
    assert "<GeneralSuccess />" in client.xml(base + "setlimit.cgi", schemaversion=1,
                                              diskid="SD_DISK", size=1048576)
    assert 'size="1048576"' in client.xml(base + "getlimit.cgi", schemaversion=1, diskid="SD_DISK")
    assert "<GeneralSuccess />" in client.xml(base + "setlimit.cgi", schemaversion=1,
                                              diskid="SD_DISK", size=0)
    assert error_code(client.xml(base + "getlimit.cgi", schemaversion=2)) == 40
    assert error_code(client.xml(base + "getlimit.cgi")) == 20
    # operator may set limits
    assert "<GeneralSuccess />" in client.xml(base + "setlimit.cgi", "operator", schemaversion=1,
                                              diskid="SD_DISK", size=2097152)


def test_continuous_profile_produces_recording_and_max_enforced(client, camera):
    add = "/axis-cgi/record/continuous/addconfiguration.cgi"
    t = client.xml(add, diskid="SD_DISK", options="resolution=1280x720", eventid="cont")
    assert attr(t, "result") == "OK"
    number = attr(t, "profile")
    recs = client.xml("/axis-cgi/record/list.cgi", recordingid="all", eventid="cont")
    assert attr(recs, "recordingstatus") == "recording"
    assert attr(recs, "recordingtype") == "continuous"
    assert attr(recs, "resolution") == "1280x720"
    # firmware lists a running recording with the stop time it has got to (the camera's now), in microseconds
    now = camera.model.now().strftime("%Y-%m-%dT%H:%M:%S")
    assert attr(recs, "stoptime") == now + ".000000Z" and attr(recs, "starttime").endswith(".000000Z")
    full = client.xml(add, diskid="SD_DISK", options="resolution=640x480")
    assert attr(full, "result") == "ERROR" and "Maximum" in attr(full, "errormsg")
    listed = client.xml("/axis-cgi/record/continuous/listconfiguration.cgi", "viewer")
    assert re.search(r'profile="%s" diskid="SD_DISK" options="resolution=1280x720" '
                     r'eventid="cont"' % number, listed)
    t = client.xml("/axis-cgi/record/continuous/removeconfiguration.cgi", profile=number)
    assert attr(t, "result") == "OK"
    recs = client.xml("/axis-cgi/record/list.cgi", recordingid="all", eventid="cont")
    assert attr(recs, "recordingstatus") == "completed"
    bad = client.xml("/axis-cgi/record/continuous/removeconfiguration.cgi", profile=number)
    assert attr(bad, "result") == "ERROR"
    assert attr(client.xml(add, diskid="NOPE", options="x=1"), "result") == "ERROR"


def test_recording_groups(client, camera):
    base = "/axis-cgi/record/recording_group/"
    assert "<VersionNumber>1.0</VersionNumber>" in client.xml(base + "schemaversions.cgi", "viewer")
    t = client.xml(base + "create.cgi", "operator", schemaversion=1, diskid="SD_DISK",
                   retentiontime=24, streamoptions="resolution=1920x1080&fps=15")
    generated = attr(t, "RecordingGroupId")
    assert re.fullmatch(r"[0-9a-f-]{36}", generated)
    listed = client.xml(base + "list.cgi", "viewer", schemaversion=1)
    assert re.search(r'RecordingGroupId="%s" NiceName="%s" Description="" RetentionTime="24" '
                     r'DiskId="SD_DISK" StreamOptions="resolution=1920x1080&amp;fps=15" '
                     r'PreDuration="0" PostDuration="0"' % (generated, generated), listed)
    assert "<GeneralSuccess />" in client.xml(base + "update.cgi", schemaversion=1,
                                              recordinggroupid=generated, retentiontime=336)
    assert 'RetentionTime="336"' in client.xml(base + "list.cgi", schemaversion=1,
                                               recordinggroupid=generated)
    assert error_code(client.xml(base + "update.cgi", schemaversion=1,
                                 recordinggroupid="nope")) == 110
    assert error_code(client.xml(base + "list.cgi", schemaversion=1,
                                 recordinggroupid="nope")) == 110
    assert error_code(client.xml(base + "create.cgi", schemaversion=1, diskid="SD_DISK",
                                 streamoptions="garbage")) == 130
    assert error_code(client.xml(base + "create.cgi", schemaversion=3, diskid="SD_DISK")) == 40
    for i in range(camera.model.max_groups - 1):
        client.xml(base + "create.cgi", schemaversion=1, diskid="SD_DISK",
                   recordinggroupid="g%d" % i)
    assert error_code(client.xml(base + "create.cgi", schemaversion=1, diskid="SD_DISK")) == 120
    camera.set_group_in_use(generated)
    assert error_code(client.xml(base + "delete.cgi", schemaversion=1,
                                 recordinggroupid=generated)) == 140
    camera.set_group_in_use(generated, False)
    assert "<GeneralSuccess />" in client.xml(base + "delete.cgi", schemaversion=1,
                                              recordinggroupid=generated)
    assert error_code(client.xml(base + "delete.cgi", schemaversion=1,
                                 recordinggroupid=generated)) == 110


def test_a_recording_group_goes_away_with_its_storage_until_it_is_attached_again(client, camera):
    """The documentation: a group resides on its storage; removed with it, back when it is attached again."""
    base = "/axis-cgi/record/recording_group/"
    client.xml(base + "create.cgi", schemaversion=1, diskid="SD_DISK", recordinggroupid="week", retentiontime=168)
    camera.inject(eject="SD_DISK")
    assert "RecordingGroupId" not in client.xml(base + "list.cgi", schemaversion=1)
    for cgi in ("list.cgi", "update.cgi", "delete.cgi"):
        assert error_code(client.xml(base + cgi, schemaversion=1, recordinggroupid="week", retentiontime=24)) == 110
    assert error_code(client.xml(base + "create.cgi", schemaversion=1, diskid="SD_DISK",
                                 recordinggroupid="other")) == 10
    assert [group["id"] for group in camera.dump()["recording_groups"]] == ["week"]
    camera.inject(insert="SD_DISK")
    listed = client.xml(base + "list.cgi", schemaversion=1)
    assert re.search(r'RecordingGroupId="week"[^>]*RetentionTime="168"', listed)


def test_a_recording_group_on_a_locked_disk_is_not_deleted(client, camera):
    """lock.cgi: a locked disk keeps its saved recordings, and deleting a group deletes its recordings."""
    base = "/axis-cgi/record/recording_group/"
    client.xml(base + "create.cgi", schemaversion=1, diskid="SD_DISK", recordinggroupid="week")
    client.xml("/axis-cgi/disks/lock.cgi", action="lock", diskid="SD_DISK")
    assert error_code(client.xml(base + "delete.cgi", schemaversion=1, recordinggroupid="week")) == 10
    assert [group["id"] for group in camera.dump()["recording_groups"]] == ["week"]
    client.xml("/axis-cgi/disks/lock.cgi", action="unlock", diskid="SD_DISK")
    assert "<GeneralSuccess />" in client.xml(base + "delete.cgi", schemaversion=1, recordinggroupid="week")


def test_job_progress_rises_and_state_changes_at_end(client, camera):
    job = start_disk_job(client, "/axis-cgi/disks/mount.cgi", action="unmount", diskid="SD_DISK")
    assert camera.dump()["disks"][0]["mounted"] is True       # not before the job ends
    text, seen = wait_disk_job(client, job, "SD_DISK")
    assert seen == sorted(seen) and seen[-1] == 100 and len(seen) == camera.model.job_polls
    assert len(set(seen)) == len(seen)
    assert attr(text, "result") == "OK" and attr(text, "action") == "unmount"
    assert camera.dump()["disks"][0]["mounted"] is False
    assert disk_attr(client.xml("/axis-cgi/disks/list.cgi"), "SD_DISK", "status") == "connected"
    # polling again after the end keeps answering 100
    assert attr(client.xml("/axis-cgi/disks/job.cgi", jobid=job, diskid="SD_DISK"),
                "progress") == "100"
    unknown = client.xml("/axis-cgi/disks/job.cgi", jobid=999, diskid="SD_DISK")
    assert attr(unknown, "result") == "ERROR" and attr(unknown, "action") == "N/A"


def test_hooks_over_http(client, camera):
    url = camera.url
    client.xml("/axis-cgi/disks/list.cgi")
    client.xml("/axis-cgi/param.cgi", action="update", **{"Storage.S0.FriendlyName": "x"})
    client.xml("/axis-cgi/param.cgi", action="update", **{"Storage.S0.FriendlyName": "x"})
    log = requests.get(url + "/_emulator/log", timeout=5).json()
    updates = [e for e in log if e["args"].get("action") == "update" and e["status"] == 200]
    assert [e["changed"] for e in updates] == [True, False]
    assert all(e["write"] for e in updates)
    assert requests.get(url + "/_emulator/writes", timeout=5).json() == {"count": 2}
    assert requests.get(url + "/_emulator/challenges", timeout=5).json()["count"] >= 1
    state = requests.get(url + "/_emulator/state", timeout=5).json()
    assert state["disks"][0]["friendly_name"] == "x"
    assert requests.post(url + "/_emulator/log/clear", timeout=5).json() == {"ok": True}
    assert requests.get(url + "/_emulator/writes", timeout=5).json() == {"count": 0}
    assert requests.post(url + "/_emulator/reset", json={"profile": "legacy"},
                         timeout=5).json()["profile"] == "legacy"
    assert requests.get(url + "/_emulator/state", timeout=5).json()["profile"] == "legacy"
    requests.post(url + "/_emulator/reset", timeout=5)
    assert camera.dump()["profile"] == "legacy"     # reset without a profile keeps it
    assert requests.get(url + "/_emulator/nope", timeout=5).status_code == 404
