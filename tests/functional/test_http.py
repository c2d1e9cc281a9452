"""HTTP layer: authentication, access levels, argument decoding, schema versions, 404s,
the legacy profile, TLS, fleets, the command line, fault injection and the request log."""

import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
import requests
from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from .conftest import Client, attr, disk_attr, error_code, run_disk_job, start_disk_job

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


# ---- authentication ----------------------------------------------------------------------

def test_401_without_or_with_wrong_credentials(camera):
    r = requests.get(camera.url + "/axis-cgi/disks/list.cgi", timeout=5)
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Digest ")
    assert 'qop="auth"' in r.headers["WWW-Authenticate"]
    assert "Basic" not in r.headers["WWW-Authenticate"]       # policy "digest" on modern
    assert requests.get(camera.url + "/axis-cgi/disks/list.cgi", timeout=5,
                        auth=HTTPDigestAuth("root", "nope")).status_code == 401
    assert requests.get(camera.url + "/axis-cgi/disks/list.cgi", timeout=5,
                        auth=HTTPBasicAuth("root", "pass")).status_code == 401
    assert camera.challenge_count() == 4      # the wrong digest costs two 401s
    assert all(e["user"] is None and e["status"] == 401 for e in camera.log())


def test_digest_nonce_reused_without_new_challenge(client, camera):
    for dummy in range(5):
        client.xml("/axis-cgi/disks/list.cgi")
    assert camera.challenge_count() == 1
    statuses = [e["status"] for e in camera.log()]
    assert statuses == [401, 200, 200, 200, 200, 200]


def test_urllib_digest_handler_like_ansible_uri(camera):
    mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    mgr.add_password(None, camera.url, "root", "pass")
    opener = urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(mgr),
                                         urllib.request.HTTPDigestAuthHandler(mgr))
    with opener.open(camera.url + "/axis-cgi/disks/networkshare/add.cgi?schemaversion=1"
                     "&nicename=nas1&shareid=nas1&address=nas.example.com&share=cameras"
                     "&user=cam&pass=s3cr%26t%3Dx", timeout=5) as resp:
        assert resp.status == 200
        assert b'AddSuccess ShareId="nas1"' in resp.read()
    assert camera.model.share("nas1").password == "s3cr&t=x"


def test_basic_and_rfc2069_digest_on_legacy(make_fleet):
    cam = make_fleet(profile="legacy").cameras[0]
    r = requests.get(cam.url + "/axis-cgi/disks/list.cgi", timeout=5)
    challenges = r.raw.headers.getlist("WWW-Authenticate")
    assert challenges[0].startswith("Digest ") and challenges[1].startswith("Basic ")
    assert requests.get(cam.url + "/axis-cgi/disks/list.cgi", timeout=5,
                        auth=HTTPBasicAuth("root", "pass")).status_code == 200
    assert requests.get(cam.url + "/axis-cgi/disks/list.cgi", timeout=5,
                        auth=HTTPDigestAuth("root", "pass")).status_code == 200
    # without qop (AuthenticationWithQop=no) the RFC 2069 digest is used
    cam.model.auth_with_qop = "no"
    r = requests.get(cam.url + "/axis-cgi/disks/list.cgi", timeout=5)
    assert "qop" not in r.headers["WWW-Authenticate"]
    assert requests.get(cam.url + "/axis-cgi/disks/list.cgi", timeout=5,
                        auth=HTTPDigestAuth("root", "pass")).status_code == 200


def test_auth_policy_parameter_switches_schemes(client, camera):
    assert client.xml("/axis-cgi/param.cgi", action="update",
                      **{"Network.HTTP.AuthenticationPolicy": "basic"}) == "OK"
    assert requests.get(camera.url + "/axis-cgi/disks/list.cgi", timeout=5,
                        auth=HTTPBasicAuth("operator", "operpass")).status_code == 200
    r = requests.get(camera.url + "/axis-cgi/disks/list.cgi", timeout=5)
    assert r.headers["WWW-Authenticate"].startswith("Basic ")


def test_custom_users(make_fleet):
    cam = make_fleet(users={"alice": ("wonder land", "admin"), "bob": ("b", "viewer")}).cameras[0]
    assert requests.get(cam.url + "/axis-cgi/disks/list.cgi", timeout=5,
                        auth=HTTPDigestAuth("alice", "wonder land")).status_code == 200
    assert requests.get(cam.url + "/axis-cgi/disks/list.cgi", timeout=5,
                        auth=HTTPDigestAuth("bob", "b")).status_code == 403
    assert requests.get(cam.url + "/axis-cgi/disks/list.cgi", timeout=5,
                        auth=HTTPDigestAuth("root", "pass")).status_code == 401


# ---- access levels -----------------------------------------------------------------------

@pytest.mark.parametrize("path,level,params", [
    ("/axis-cgi/disks/list.cgi", "viewer", {}),
    ("/axis-cgi/disks/format.cgi", "operator", {"diskid": "SD_DISK"}),
    ("/axis-cgi/disks/mount.cgi", "operator", {"diskid": "SD_DISK", "action": "unmount"}),
    ("/axis-cgi/disks/lock.cgi", "operator", {"diskid": "SD_DISK", "action": "lock"}),
    ("/axis-cgi/disks/gethealth.cgi", "viewer", {}),
    ("/axis-cgi/disks/properties/enablediskencryption.cgi", "operator", {"schemaversion": 1}),
    ("/axis-cgi/disks/properties/setcleanupmaxage.cgi", "operator", {"schemaversion": 1}),
    ("/axis-cgi/disks/properties/getdiskalertlevels.cgi", "viewer", {"schemaversion": 1}),
    ("/axis-cgi/disks/networkshare/add.cgi", "operator", {"schemaversion": 1}),
    ("/axis-cgi/disks/networkshare/remove.cgi", "operator", {"schemaversion": 1}),
    ("/axis-cgi/disks/networkshare/list.cgi", "viewer", {"schemaversion": 1}),
    ("/axis-cgi/record/storage/setlimit.cgi", "viewer", {"schemaversion": 1}),
    ("/axis-cgi/record/continuous/addconfiguration.cgi", "viewer", {}),
    ("/axis-cgi/record/recording_group/create.cgi", "viewer", {"schemaversion": 1}),
    ("/axis-cgi/record/remove.cgi", "viewer", {"recordingid": "all"}),
])
def test_access_level_denied(client, camera, path, level, params):
    r = client.get(path, level, **params)
    assert r.status_code == 403
    entry = camera.log()[-1]
    assert entry["status"] == 403 and entry["changed"] is False
    assert camera.dump()["disks"][0]["locked"] is False


def test_param_access_levels(client, camera):
    assert client.get("/axis-cgi/param.cgi", "viewer", action="update",
                      **{"Storage.S0.FriendlyName": "x"}).status_code == 403
    assert client.xml("/axis-cgi/param.cgi", "viewer", action="list",
                      group="Storage").startswith("# Error:")
    brand = client.xml("/axis-cgi/param.cgi", "viewer", action="list")
    assert "root.Brand.Brand=AXIS" in brand and "root.Storage." not in brand
    # operator: FriendlyName yes, CleanupMaxAge (admin write) no
    assert client.xml("/axis-cgi/param.cgi", "operator", action="update",
                      **{"Storage.S0.FriendlyName": "op"}) == "OK"
    assert client.xml("/axis-cgi/param.cgi", "operator", action="update",
                      **{"Storage.S0.CleanupMaxAge": "3"}).startswith("# Error:")
    assert "root.NetworkShare." not in client.xml("/axis-cgi/param.cgi", "operator", action="list")


# ---- arguments ---------------------------------------------------------------------------

def test_percent_decoding_plus_and_unknown_args(client, camera):
    s = client.session()
    url = camera.url + "/axis-cgi/disks/networkshare/add.cgi?schemaversion=1&nicename=My+Share" \
        "&address=nas&share=my%20share&user=u&pass=a%26b%3Dc%25d+e%2Bf&bogus=1&Shareid=x1"
    assert 'ShareId="x1"' in s.get(url, timeout=5).text
    sh = camera.model.share("x1")
    assert (sh.nicename, sh.share, sh.password) == ("My Share", "my share", "a&b=c%d e+f")
    entry = camera.log()[-1]
    assert entry["args"]["pass"] == "******" and entry["args"]["bogus"] == "1"
    r = client.post("/axis-cgi/disks/properties/setcleanupmaxage.cgi",
                    {"schemaversion": "1", "diskid": "SD_DISK", "maxage": "9", "x": "y"})
    assert "<GeneralSuccess />" in r.text
    assert camera.model.disk("SD_DISK").cleanup_max_age == 9


def test_schema_versions_refused_in_family_envelope(client):
    ns = client.xml("/axis-cgi/disks/networkshare/list.cgi", schemaversion=2, shareid="all")
    assert "<NetworkShareResponse" in ns and error_code(ns) == 40
    assert error_code(client.xml("/axis-cgi/disks/networkshare/list.cgi", schemaversion="1.0",
                                 shareid="all")) is None
    assert error_code(client.xml("/axis-cgi/disks/networkshare/job.cgi", jobid=1)) == 20
    assert error_code(client.xml("/axis-cgi/disks/networkshare/list.cgi", schemaversion=1)) == 20
    dp = client.xml("/axis-cgi/disks/properties/setcleanuppolicy.cgi", schemaversion=7,
                    diskid="SD_DISK", cleanuppolicy="fifo")
    assert "<DiskPropertiesResponse" in dp and "<Error>" in dp and error_code(dp) == 40
    rg = client.xml("/axis-cgi/record/recording_group/list.cgi", schemaversion="x")
    assert "<RecordingGroupResponse" in rg and error_code(rg) == 20


def test_unknown_path_is_404_html(client):
    r = client.get("/axis-cgi/nope.cgi")
    assert r.status_code == 404 and "<TITLE>404 Not Found</TITLE>" in r.text
    assert r.headers["Content-Length"] == str(len(r.content))


def test_apidiscovery_modern(client):
    r = client.post("/axis-cgi/apidiscovery.cgi", None, "viewer")
    apis = {a["id"]: a["version"] for a in r.json()["data"]["apiList"]}
    for api_id, version in {"disk-management": "1.0", "disk-properties": "1.1",
                            "disk-network-share": "1.0", "recording": "1.0",
                            "recording-storage-limit": "1.0", "recording-export": "1.1",
                            "param-cgi": "1.0"}.items():
        assert apis[api_id] == version
    s = client.session("viewer")
    r = s.post(client.camera.url + "/axis-cgi/apidiscovery.cgi",
               json={"apiVersion": "1.0", "method": "getSupportedVersions"}, timeout=5)
    assert r.json()["data"]["apiVersions"] == ["1.0"]


# ---- encoder profile (no local storage) ------------------------------------------------------

def test_encoder_profile_has_no_local_storage(make_fleet):
    """As the M7001 capture: no Properties.LocalStorage or NetworkShare group, no Storage or Recording
    parameters, and the disk and recording CGIs answer 404."""
    c = Client(make_fleet(profile="encoder").cameras[0])
    params = c.xml("/axis-cgi/param.cgi", action="list")
    assert "root.Properties.Firmware.Version=5.20.5" in params
    for group in ("Properties.LocalStorage.", "Properties.NetworkShare.", "root.Storage.", "root.Recording."):
        assert group not in params, group
    assert c.xml("/axis-cgi/param.cgi", action="list", group="Storage") == \
        "# Error: Error -1 getting param in group 'Storage'\n"
    for path in ("/axis-cgi/disks/list.cgi", "/axis-cgi/record/list.cgi",
                 "/axis-cgi/disks/networkshare/list.cgi", "/axis-cgi/record/continuous/listconfiguration.cgi"):
        assert c.get(path, diskid="all", schemaversion=1).status_code == 404, path
    c.close()


# ---- legacy profile ----------------------------------------------------------------------

def test_legacy_profile_shape(make_fleet):
    cam = make_fleet(profile="legacy").cameras[0]
    c = Client(cam)
    for path in ("/axis-cgi/apidiscovery.cgi", "/axis-cgi/record/storage/getlimit.cgi",
                 "/axis-cgi/record/recording_group/list.cgi",
                 "/axis-cgi/disks/properties/enablediskencryption.cgi",
                 "/axis-cgi/disks/gethealth.cgi", "/axis-cgi/record/export/capabilities.cgi"):
        r = c.get(path, schemaversion=1)
        assert r.status_code == 404, path
        assert "was not found on this server" in r.text
    params = c.xml("/axis-cgi/param.cgi", action="list")
    for key in ("Enabled", "AutoRepair", "RequiredFileSystem", "DiskEncryption", "StorageLimit"):
        assert "." + key + "=" not in params
    assert "root.Storage.S0.FileSystem=vfat" in params
    assert "root.Properties.Firmware.Version=5.51.7" in params
    assert "root.Network.HTTP.AuthenticationPolicy=basic_digest" in params
    assert params.index("Storage.S0.DiskID") < params.index("Storage.S0.FriendlyName")
    disks = c.xml("/axis-cgi/disks/list.cgi", diskid="all")
    assert "encryption" not in disks and "requiredfilesystem" not in disks
    assert disk_attr(disks, "SD_DISK", "filesystem") == "vfat"
    caps = c.xml("/axis-cgi/disks/getcapabilities.cgi", diskid="SD_DISK")
    assert 'requiredfssupported="false" encryptionsupported="false"' in caps
    # shares, continuous profiles and recordings exist on 5.51
    assert "NumberOfShares" in c.xml("/axis-cgi/disks/networkshare/list.cgi", schemaversion=1,
                                     shareid="all")
    assert attr(c.xml("/axis-cgi/record/continuous/addconfiguration.cgi", diskid="SD_DISK",
                      options="fps=1"), "result") == "OK"
    c.close()


# ---- TLS ---------------------------------------------------------------------------------

def test_tls_with_generated_ca(make_fleet):
    fleet = make_fleet(tls=True, count=2)
    cam = fleet.cameras[0]
    assert cam.url.startswith("https://127.0.0.1:") and cam.ca_path == fleet.ca_path
    assert os.path.exists(cam.ca_path)
    assert "BEGIN CERTIFICATE" in open(cam.ca_path).read()
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(cam.url + "/axis-cgi/disks/list.cgi", timeout=5)
    c = Client(cam, verify=cam.ca_path)
    assert disk_attr(c.xml("/axis-cgi/disks/list.cgi"), "SD_DISK", "status") == "OK"
    r = requests.get("https://localhost:%d/_emulator/writes" % fleet.cameras[1].port,
                     verify=cam.ca_path, timeout=5)
    assert r.json() == {"count": 0}
    c.close()


# ---- fleet and command line --------------------------------------------------------------

def test_fleet_cameras_are_independent(make_fleet):
    fleet = make_fleet(count=3)
    ports = [c.port for c in fleet.cameras]
    assert len(set(ports)) == 3
    serials = {c.dump()["serial"] for c in fleet.cameras}
    assert len(serials) == 3
    a, b = Client(fleet.cameras[0]), Client(fleet.cameras[1])
    a.xml("/axis-cgi/param.cgi", action="update", **{"Storage.S0.FriendlyName": "A"})
    assert disk_attr(b.xml("/axis-cgi/disks/list.cgi"), "SD_DISK", "name") == ""
    assert fleet.cameras[1].write_count() == 0
    a.close(), b.close()


def _free_port_run(n):
    """A first port of n free consecutive loopback ports, tried at 20 random places (another test may hold one)."""
    choose = random.Random()
    for _attempt in range(20):
        base = choose.randrange(20000, 60000 - n)
        socks = []
        try:
            for i in range(n):
                s = socket.socket()
                s.bind(("127.0.0.1", base + i))
                socks.append(s)
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    pytest.skip("no run of free ports")


def test_fleet_consecutive_ports(make_fleet):
    base = _free_port_run(3)
    fleet = make_fleet(count=3, base_port=base)
    assert [c.port for c in fleet.cameras] == [base, base + 1, base + 2]
    assert fleet.cameras[2].url == "http://127.0.0.1:%d" % (base + 2)


def _start_cli(*args):
    proc = subprocess.Popen([sys.executable, "-m", "tests.emulator"] + list(args), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return proc


def _stop_cli(proc, sig=signal.SIGTERM):
    proc.send_signal(sig)
    try:
        out, err = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    return proc.returncode, out, err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_cli_single_camera_port_zero_and_signal(sig):
    proc = _start_cli("--port", "0", "--latency-ms", "5")
    try:
        line = proc.stdout.readline()
        m = re.match(r"camera 0: (http://127\.0\.0\.1:\d+) profile=modern$", line.strip())
        assert m, line
        r = requests.get(m.group(1) + "/axis-cgi/disks/list.cgi", timeout=5,
                         auth=HTTPDigestAuth("root", "pass"))
        assert r.status_code == 200
    finally:
        code, out, err = _stop_cli(proc, sig)
    assert code == 0, err
    assert "stopped" in out


def test_cli_fleet_tls_and_profile():
    base = _free_port_run(2)
    proc = _start_cli("--port", str(base), "--count", "2", "--profile", "legacy", "--tls")
    try:
        ca = proc.stdout.readline().strip()
        assert ca.startswith("ca: ")
        lines = [proc.stdout.readline().strip() for dummy in range(2)]
        assert lines == ["camera 0: https://127.0.0.1:%d profile=legacy" % base,
                         "camera 1: https://127.0.0.1:%d profile=legacy" % (base + 1)]
        r = requests.get("https://127.0.0.1:%d/axis-cgi/disks/list.cgi" % (base + 1),
                         verify=ca[4:], auth=HTTPBasicAuth("root", "pass"), timeout=5)
        assert r.status_code == 200
    finally:
        code, out, err = _stop_cli(proc)
    assert code == 0, err


# ---- faults, latency, log ----------------------------------------------------------------

def test_fault_http500_counts_down(client, camera):
    requests.post(camera.url + "/_emulator/faults", json={"http500": 2}, timeout=5)
    assert client.get("/axis-cgi/disks/list.cgi").status_code == 500
    assert client.get("/axis-cgi/disks/list.cgi").status_code == 500
    assert client.get("/axis-cgi/disks/list.cgi").status_code == 200
    assert [e["status"] for e in camera.log() if e["status"] != 401] == [500, 500, 200]


def test_fault_drop_closes_connection(client, camera):
    camera.inject(drop=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        client.get("/axis-cgi/param.cgi", action="update", **{"Storage.S0.FriendlyName": "d"})
    assert camera.model.disk("SD_DISK").friendly_name == ""
    entry = camera.log()[-1]
    assert entry["status"] == 0 and entry["write"] is True and entry["changed"] is False
    assert client.get("/axis-cgi/disks/list.cgi").status_code == 200


def test_fault_delay_and_latency(client, camera):
    client.xml("/axis-cgi/disks/list.cgi")
    requests.post(camera.url + "/_emulator/faults", json={"delay_ms": 150}, timeout=5)
    t0 = time.monotonic()
    client.xml("/axis-cgi/disks/list.cgi")
    assert time.monotonic() - t0 >= 0.15
    requests.post(camera.url + "/_emulator/faults", json={"clear": True}, timeout=5)
    assert requests.post(camera.url + "/_emulator/latency", json={"ms": 120},
                         timeout=5).json()["ms"] == 120
    t0 = time.monotonic()
    client.xml("/axis-cgi/disks/list.cgi")
    assert time.monotonic() - t0 >= 0.12
    camera.set_latency(0)
    t0 = time.monotonic()
    requests.get(camera.url + "/_emulator/writes", timeout=5)      # hooks have no latency
    assert time.monotonic() - t0 < 0.12


def test_fault_stuck_jobs(client, camera):
    requests.post(camera.url + "/_emulator/faults", json={"stuck_jobs": True}, timeout=5)
    job = start_disk_job(client, "/axis-cgi/disks/mount.cgi", action="unmount", diskid="SD_DISK")
    seen = [int(attr(client.xml("/axis-cgi/disks/job.cgi", jobid=job, diskid="SD_DISK"),
                     "progress")) for dummy in range(8)]
    assert max(seen) < 100 and seen == sorted(seen)
    assert camera.dump()["disks"][0]["mounted"] is True
    camera.inject(clear=True)
    for dummy in range(5):
        if attr(client.xml("/axis-cgi/disks/job.cgi", jobid=job, diskid="SD_DISK"),
                "progress") == "100":
            break
    assert camera.dump()["disks"][0]["mounted"] is False


def test_fault_fail_job(client, camera):
    requests.post(camera.url + "/_emulator/faults", json={"fail_job": "format"}, timeout=5)
    text = run_disk_job(client, "/axis-cgi/disks/format.cgi", "SD_DISK", filesystem="vfat")
    assert attr(text, "result") == "ERROR" and attr(text, "progress") == "100"
    assert disk_attr(client.xml("/axis-cgi/disks/list.cgi"), "SD_DISK", "filesystem") == "ext4"
    assert disk_attr(client.xml("/axis-cgi/disks/list.cgi"), "SD_DISK", "status") == "failed"
    # only the next job of that kind
    ok = run_disk_job(client, "/axis-cgi/disks/format.cgi", "SD_DISK", filesystem="vfat")
    assert attr(ok, "result") == "OK"
    camera.inject(fail_job="test")
    job = attr(client.xml("/axis-cgi/disks/networkshare/test.cgi", schemaversion=1,
                          address="nas.example", share="s"), "JobId")
    for dummy in range(5):
        text = client.xml("/axis-cgi/disks/networkshare/job.cgi", schemaversion=1, jobid=job)
        if "<Progress>" not in text:
            break
    assert error_code(text) == 710
    with pytest.raises(ValueError):
        camera.inject(fail_job="explode")


def test_log_masks_secrets(client, camera):
    client.xml("/axis-cgi/disks/networkshare/add.cgi", schemaversion=1, nicename="n",
               address="a", share="s", **{"pass": "topsecret"})
    client.xml("/axis-cgi/disks/properties/enablediskencryption.cgi", schemaversion=1,
               diskid="SD_DISK", passphrase="p1")
    client.xml("/axis-cgi/disks/properties/changediskpassphrase.cgi", schemaversion=1,
               diskid="SD_DISK", oldpassphrase="p1", newpassphrase="p2")
    log = requests.get(camera.url + "/_emulator/log", timeout=5).text
    for secret in ("topsecret", "p1", "p2"):
        assert '"%s"' % secret not in log
    assert log.count('"******"') >= 4


def test_hook_errors_and_share_schemaversions(client, camera):
    r = requests.post(camera.url + "/_emulator/faults", json={"explode": 1}, timeout=5)
    assert r.status_code == 400 and "explode" in r.json()["error"]
    r = requests.post(camera.url + "/_emulator/faults", data="{not json", timeout=5)
    assert r.status_code == 400
    text = client.xml("/axis-cgi/disks/networkshare/schemaversions.cgi", "operator")
    assert "<SchemaVersionsSuccess>" in text and "<VersionNumber>1.0</VersionNumber>" in text
    assert "<Deprecated>false</Deprecated>" in text
    # operators cannot read NetworkShare.N# (admin only), so not even that a share exists
    client.xml("/axis-cgi/disks/networkshare/add.cgi", schemaversion=1, nicename="n",
               address="a", share="s")
    assert "root.NetworkShare.N0.Address=a" in client.xml("/axis-cgi/param.cgi", action="list")
    assert "root.NetworkShare." not in client.xml("/axis-cgi/param.cgi", "operator",
                                                  action="list")


def test_jobs_hook_sets_polls_and_seconds(client, camera):
    r = requests.post(camera.url + "/_emulator/jobs", json={"polls": 1}, timeout=5)
    assert r.json() == {"ok": True, "polls": 1, "seconds": None}
    job = start_disk_job(client, "/axis-cgi/disks/mount.cgi", action="unmount", diskid="SD_DISK")
    assert attr(client.xml("/axis-cgi/disks/job.cgi", jobid=job, diskid="SD_DISK"),
                "progress") == "100"
    requests.post(camera.url + "/_emulator/jobs", json={"polls": 50, "seconds": 0.01}, timeout=5)
    job = start_disk_job(client, "/axis-cgi/disks/mount.cgi", action="mount", diskid="SD_DISK")
    deadline = time.monotonic() + 5
    while disk_attr(client.xml("/axis-cgi/disks/list.cgi"), "SD_DISK", "status") != "OK":
        assert time.monotonic() < deadline, "job did not end by time"
        time.sleep(0.02)
    camera.reset()
    assert camera.model.job_polls == 50          # a camera setting, kept by reset


def test_concurrent_clients_on_one_camera(camera):
    import threading
    errors, statuses = [], []

    def worker(n):
        try:
            c = Client(camera)
            for i in range(10):
                r = c.get("/axis-cgi/param.cgi", action="update",
                          **{"Storage.S0.FriendlyName": "w%d-%d" % (n, i)})
                statuses.append((r.status_code, r.text))
                statuses.append((c.get("/axis-cgi/disks/list.cgi").status_code, "list"))
            c.close()
        except Exception as err:          # pylint: disable=broad-except
            errors.append(err)
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert len(statuses) == 160 and all(code == 200 for code, _text in statuses)
    assert all(text in ("OK", "list") for _code, text in statuses)
    assert camera.write_count() == 80
    assert camera.challenge_count() == 8


def test_digest_response_must_name_the_requested_uri(client, camera):
    client.xml("/axis-cgi/disks/list.cgi")           # get a nonce
    auth = client.session().auth
    header = auth.build_digest_header("GET", camera.url + "/axis-cgi/disks/list.cgi?diskid=all")
    ok = requests.get(camera.url + "/axis-cgi/disks/list.cgi?diskid=all", timeout=5,
                      headers={"Authorization": header})
    assert ok.status_code == 200
    header = auth.build_digest_header("GET", camera.url + "/axis-cgi/disks/list.cgi")
    replayed = requests.get(camera.url + "/axis-cgi/disks/format.cgi?diskid=SD_DISK", timeout=5,
                            headers={"Authorization": header})
    assert replayed.status_code == 401
