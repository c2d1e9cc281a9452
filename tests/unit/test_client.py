# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""VapixClient: encoding, retries, envelopes, charsets, masking, auth errors.

What an answer can show runs against the shared test double (tests/unit/double.py): it
plugs in as the requests adapter of the real client, so statuses, headers and body bytes
reach the client as a camera sends them, and it fails on a request nobody expected (a
retry too many, a write sent twice). What needs a real socket runs against the camera
emulator (tests/emulator: a password's bytes as a web server decodes them) or the
loopback endpoints of tests/loopback.py (refused, silent, not TLS).
"""

from __future__ import annotations

import threading
import time
from urllib.parse import quote

import pytest
import urllib3

from tests.emulator import EmulatorFleet
from tests.loopback import (
    LOOPBACK,
    NotACamera,
    ProxyWantsAuthentication,
    challenging,
    closed_port,
    dripping,
    redirecting,
    serving,
    silent_port,
)
from tests.unit.double import Call, Transcript, fixture_bytes, param_list

from ansible_collections.vapix.edge_storage.plugins.module_utils import _parsers
from ansible_collections.vapix.edge_storage.plugins.module_utils._client import (
    MAX_ANSWER_BYTES,
    VapixClient,
    encode_args,
    offered_schemes,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._device import Device
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    DISK_MANAGEMENT,
    DISK_PROPERTIES,
    EXPORT,
    NETWORK_SHARE,
    RECORDING,
    RECORDING_GROUP,
    STORAGE_LIMIT,
    UnsupportedError,
    VapixError,
)

SECRET = "p&ss= 100%"
PASSWORDS = ["p&ss= 100%", "a=b&c=d", "100% sure", "+plus+", "\u00e4/\u00f6?#"]
DISKS = Call("disks/list.cgi", {"diskid": "all"})
GETLIMIT = Call("record/storage/getlimit.cgi", {"schemaversion": 1}, exact=True)
SETLIMIT = Call("record/storage/setlimit.cgi", {"size": 1048576}, exact=True)
BRAND = param_list("root.Brand.Brand=AXIS\n", "Brand")
GROUPS_404 = Call("record/recording_group/list.cgi").answers_file("apidiscovery_404.html", status=404)


def listing(*groups):
    """The param.cgi list request (of exactly these groups, when named), to be answered by the test."""
    params = {"action": "list"}
    if groups:
        params["group"] = ",".join(groups)
    return Call("param.cgi", params, exact=bool(groups))


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def connect(sleeps):
    """connect(*calls, **options) -> (client, transcript): a real VapixClient (user root, password SECRET,
    Basic auth, no real sleeping) whose requests the shared double answers with calls, in order."""
    def make(*calls, **options):
        transcript = Transcript(*calls)
        return transcript.client(**dict({"password": SECRET, "auth": "basic", "sleep": sleeps.append},
                                        **options)), transcript
    return make


def loopback_client(port, sleeps, **options):
    """A VapixClient to a loopback port (no camera there), its sleeps recorded instead of slept."""
    options = dict({"protocol": "http", "timeout": 2, "sleep": sleeps.append}, **options)
    return VapixClient(LOOPBACK, "root", SECRET, port=port, **options)


@pytest.fixture(scope="module")
def emulator():
    with EmulatorFleet(count=1, profile="modern") as fleet:
        yield fleet.cameras[0]


@pytest.fixture
def emulated(emulator):
    """The emulated camera in its factory state."""
    emulator.reset("modern")
    return emulator


# -- percent-encoding --------------------------------------------------------------------------

def test_encode_args_in_iso_8859_1_for_a_camera_that_keeps_its_text_in_it():
    assert encode_args([("name", "Entr\u00e9e")]) == "name=Entr%C3%A9e"
    assert encode_args([("name", "Entr\u00e9e")], "iso-8859-1") == "name=Entr%E9e"
    with pytest.raises(UnicodeEncodeError):
        encode_args([("name", "\u20ac")], "iso-8859-1")


def test_encode_args_escapes_every_reserved_character_and_spaces_as_percent_20():
    assert encode_args([("a b", "x&y=z%w v"), ("skip", None), ("flag", True)]) == "a%20b=x%26y%3Dz%25w%20v&flag=yes"


@pytest.mark.parametrize("password", PASSWORDS)
def test_passwords_are_sent_with_every_reserved_character_escaped(connect, password):
    """On the wire: spaces as %20 (never '+', which a camera may read as a plus), '&', '=', '%', '+' escaped."""
    update = Call("param.cgi", {"action": "update", "NetworkShare.N0.Password": password}, exact=True)
    client, camera = connect(update.answers("OK"))
    client.param_update({"NetworkShare.N0.Password": password})
    query = camera.sent[-1].query
    assert query == "action=update&NetworkShare.N0.Password=" + quote(password, safe="")
    assert "+" not in query.replace("%2B", "")


@pytest.mark.parametrize("password", PASSWORDS)
def test_passwords_arrive_intact_at_a_real_server(emulated, password):
    """The emulator decodes a request as a web server does ('+' and %20 are spaces, %26 %3D %25 are & = %)."""
    client = VapixClient(LOOPBACK, "root", "pass", port=emulated.port, protocol="http", timeout=5)
    try:
        Device(client).add_share([("shareid", "nas"), ("nicename", "nas"), ("address", "nas.example.com"),
                                  ("share", "cameras"), ("user", "cam"), ("pass", password)])
    finally:
        client.close()
    with emulated.model.lock:
        assert emulated.model.share("nas").password == password


# -- retries -------------------------------------------------------------------------------------

def test_read_is_retried_on_5xx_with_bounded_backoff(connect, sleeps):
    client, camera = connect(GETLIMIT.answers("busy", status=500), GETLIMIT.answers("busy", status=503),
                             GETLIMIT.answers_file("getlimit.xml"))
    root = client.xml("record/storage/getlimit.cgi", [("schemaversion", 1)], api=STORAGE_LIMIT)
    assert _parsers.parse_storage_limits(root)["NetworkShare"]["size_kb"] == 524288000
    assert len(camera.sent) == 3
    assert sleeps == [0.5, 1.0]


def test_read_gives_up_after_three_attempts(connect, sleeps):
    broken = DISKS.answers("broken", status=500)
    client, camera = connect(broken, broken, broken)
    with pytest.raises(VapixError) as info:
        client.request("disks/list.cgi", [("diskid", "all")], api=DISK_MANAGEMENT)
    assert info.value.http_status == 500
    assert len(camera.sent) == 3 and sleeps == [0.5, 1.0]


def test_connection_errors_are_retried_then_reported(sleeps):
    port = closed_port()
    closed = loopback_client(port, sleeps)
    with pytest.raises(VapixError, match="no answer from http://127.0.0.1:%d" % port) as info:
        closed.request("disks/list.cgi", api=DISK_MANAGEMENT)
    assert sleeps == [0.5, 1.0]
    assert info.value.error_class == "refused" and info.value.api == DISK_MANAGEMENT
    assert "connection was refused" in str(info.value) and "check hostname, port and protocol" in str(info.value)


def test_an_unresolvable_name_is_a_dns_error_and_not_retried(sleeps):
    unknown = VapixClient("camera.invalid", "root", SECRET, protocol="http", timeout=2, sleep=sleeps.append)
    with pytest.raises(VapixError) as info:
        unknown.request("disks/list.cgi")
    assert info.value.error_class == "dns" and "could not be resolved" in str(info.value)
    assert sleeps == []


def test_https_to_a_plain_http_port_is_not_tls(sleeps):
    """Issue 10, case 7: HTTPS to a plain-HTTP port was reported as a certificate failure."""
    with serving(NotACamera) as server:
        asking = loopback_client(server.server_address[1], sleeps, protocol="https", validate_certs=False)
        with pytest.raises(VapixError) as info:
            asking.request("disks/list.cgi")
    assert info.value.error_class == "not_tls" and "set protocol: http" in str(info.value)
    assert "certificate" not in str(info.value) and sleeps == []


def test_a_write_that_times_out_may_have_been_applied(sleeps):
    with silent_port() as port:
        asking = loopback_client(port, sleeps, timeout=0.3)
        with pytest.raises(VapixError) as info:
            asking.request("disks/format.cgi", [("diskid", "SD_DISK")], write=True, api=DISK_MANAGEMENT)
    assert info.value.error_class == "timeout" and "the camera may have applied it" in str(info.value)
    assert sleeps == []


def timed(call, *args, **kwargs):
    """(the VapixError call raised, the seconds it took)."""
    started = time.monotonic()
    with pytest.raises(VapixError) as info:
        call(*args, **kwargs)
    return info.value, time.monotonic() - started


@pytest.mark.parametrize("part", ["headers", "body"])
def test_an_answer_that_drips_ends_at_the_timeout_and_a_write_may_have_been_applied(sleeps, part):
    """requests' timeout bounds each wait for the socket alone: a camera sending a byte every 0.4 s held a
    request with timeout 1 for 9 s (body) or 34 s (headers), and the write counted as answered."""
    with dripping(part) as port:
        client = loopback_client(port, sleeps, timeout=1, auth="basic")
        error, took = timed(client.request, "record/storage/setlimit.cgi", [("size", 1048576)], write=True,
                            api=STORAGE_LIMIT)
        client.close()
    assert 1 <= took < 1.5
    assert error.error_class == "timeout" and "no complete answer within the timeout (1 s)" in str(error)
    assert "the camera may have applied it" in str(error)
    assert (client.write_count, client.unanswered_writes, client.request_count) == (1, 1, 1) and sleeps == []


def test_a_read_that_drips_is_tried_three_times_each_ending_at_the_timeout(sleeps):
    with dripping("body") as port:
        client = loopback_client(port, sleeps, timeout=1, auth="basic")
        error, took = timed(client.param_list, ["Brand"])
        client.close()
    assert 3 <= took < 3 * 1.5 and client.request_count == 3 and sleeps == [0.5, 1.0]
    assert error.error_class == "timeout" and "no complete answer within the timeout (1 s)" in str(error)
    assert "may have applied" not in str(error)


def test_each_thread_s_request_has_its_own_deadline(sleeps):
    """The client's threads read at once, each on a connection of its own: one request's deadline neither cuts
    off nor extends another's (the second starts half a second after the first)."""
    took = {}
    with dripping("body") as port:
        client = loopback_client(port, sleeps, timeout=1, auth="basic")

        def write(name):
            took[name] = timed(client.request, "disks/format.cgi", [("diskid", name)], write=True)

        threads = [threading.Thread(target=write, args=(name,)) for name in ("first", "second")]
        threads[0].start()
        time.sleep(0.5)
        threads[1].start()
        for thread in threads:
            thread.join(10)
        client.close()
    for error, seconds in took.values():
        assert error.error_class == "timeout" and 1 <= seconds < 1.5
    assert client.unanswered_writes == 2


def test_an_exported_file_that_keeps_coming_is_read_past_the_timeout(sleeps, tmp_path):
    """Only its beginning is due within the timeout: a recording may take longer to come whole, each wait for
    more of it bounded by the timeout."""
    with dripping("body", pause=0.1) as port, open(tmp_path / "export.mkv", "wb+") as out:
        client = loopback_client(port, sleeps, timeout=1, auth="basic")
        started = time.monotonic()
        size = client.download("record/export/exportrecording.cgi", [("recordingid", "r1")], out, api=EXPORT)
        assert time.monotonic() - started > 1.5
        client.close()
        out.seek(0)
        assert (size, out.read()) == (22, b"root.Brand.Brand=AXIS\n")


def test_a_write_whose_challenge_the_deadline_cuts_is_not_said_to_be_applied(sleeps):
    """The camera refused the write (401) and the signed one never went, as the deadline cut the challenge's body:
    the error said the camera may have applied it, and counted it as a write without answer."""
    asked = []
    with dripping("challenge", asked=asked) as port:
        client = loopback_client(port, sleeps, timeout=1, auth="digest")
        error, took = timed(client.request, "record/storage/setlimit.cgi", [("size", 1048576)], write=True,
                            api=STORAGE_LIMIT)
        client.close()
    assert 1 <= took < 1.5 and asked == [None]
    assert error.error_class == "timeout" and "no complete answer within the timeout (1 s)" in str(error)
    assert "may have applied" not in str(error)
    assert (client.write_count, client.unanswered_writes, client.request_count) == (1, 0, 1) and sleeps == []


class _SlowChallengeThenFile(NotACamera):
    """A Digest challenge sent 1.2 s after the request; the signed request answered with a file of 3 pieces, one
    every 0.6 s."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if not self.headers.get("Authorization"):
            time.sleep(1.2)
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Digest realm="r", nonce="n", qop="auth"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "video/x-matroska")
        self.send_header("Content-Length", "300")
        self.end_headers()
        try:
            for _piece in range(3):
                self.wfile.write(b"x" * 100)
                time.sleep(0.6)
        except OSError:
            self.close_connection = True


def test_each_wait_for_more_of_an_exported_file_is_bounded_by_the_timeout_after_a_slow_challenge(sleeps, tmp_path):
    """Once the file began, each wait for more of it was bounded by what was left of the timeout when the signed
    request went (0.3 s here), not by the timeout: a gap of 0.6 s cut it, and the export went again."""
    with serving(_SlowChallengeThenFile) as camera, open(tmp_path / "export.mkv", "wb+") as out:
        client = loopback_client(camera.server_address[1], sleeps, timeout=1.5, auth="digest")
        size = client.download("record/export/exportrecording.cgi", [("recordingid", "r1")], out, api=EXPORT)
        client.close()
    assert (size, sleeps, client.request_count) == (300, [], 1)


def test_writes_are_never_retried(connect, sleeps):
    client, camera = connect(SETLIMIT.answers("broken", status=500))
    with pytest.raises(VapixError) as info:
        client.request("record/storage/setlimit.cgi", [("size", 1048576)], write=True, api=STORAGE_LIMIT)
    assert info.value.http_status == 500
    assert len(camera.sent) == 1 and sleeps == []


def test_a_write_answered_with_a_server_error_may_have_been_carried_out(connect, sleeps):
    """A 500 without the family's error envelope said only 'HTTP 500', though a write is never sent again for
    that very reason: the camera may have carried it out before failing."""
    client, _camera = connect(SETLIMIT.answers("<html><body>Internal Server Error</body></html>", status=500,
                                               headers={"Content-Type": "text/html"}))
    with pytest.raises(VapixError) as info:
        client.request("record/storage/setlimit.cgi", [("size", 1048576)], write=True, api=STORAGE_LIMIT)
    assert "failed with HTTP 500" in str(info.value)
    assert "this request changes the camera, and the camera may have carried it out" in str(info.value)
    client, _camera = connect(*[GETLIMIT.answers("broken", status=500)] * 3)
    with pytest.raises(VapixError) as info:
        client.request("record/storage/getlimit.cgi", [("schemaversion", 1)], api=STORAGE_LIMIT)
    assert "may have carried it out" not in str(info.value)


def test_every_write_is_counted_whatever_its_answer_and_reads_are_not(connect):
    client, camera = connect(Call("param.cgi", {"action": "update", "Storage.S0.FriendlyName": "x"}).answers("OK"),
                             SETLIMIT.answers("broken", status=500), Call("disks/list.cgi").answers("<root/>"))
    client.param_update({"Storage.S0.FriendlyName": "x"})
    with pytest.raises(VapixError):
        client.request("record/storage/setlimit.cgi", [("size", 1048576)], write=True, api=STORAGE_LIMIT)
    client.request("disks/list.cgi")
    assert (client.write_count, client.unanswered_writes, client.request_count) == (2, 0, 3)
    assert [sent.write for sent in camera.sent] == [True, True, False]


def test_a_write_without_answer_is_counted_as_unanswered(sleeps):
    with silent_port() as port:
        waiting = loopback_client(port, sleeps, timeout=0.3)
        with pytest.raises(VapixError):
            waiting.request("record/storage/setlimit.cgi", [("size", 1048576)], write=True, api=STORAGE_LIMIT)
    assert (waiting.write_count, waiting.unanswered_writes) == (1, 1)
    # A refused connection never reached the camera: sent, but not a write the camera may have carried out.
    closed = loopback_client(closed_port(), sleeps)
    with pytest.raises(VapixError):
        closed.request("record/storage/setlimit.cgi", [("size", 1048576)], write=True, api=STORAGE_LIMIT)
    assert (closed.write_count, closed.unanswered_writes) == (1, 0)
    with pytest.raises(VapixError):
        closed.request("disks/list.cgi")
    assert (closed.write_count, closed.unanswered_writes) == (1, 0)


# -- HTTP status messages -----------------------------------------------------------------------------

def test_401_says_which_credentials_to_check(connect):
    client, camera = connect(listing().answers("no", status=401, headers={"WWW-Authenticate": 'Basic realm="AXIS_1"'}))
    with pytest.raises(VapixError) as info:
        client.request("param.cgi", [("action", "list")])
    assert info.value.http_status == 401 and info.value.error_class == "auth"
    assert "authentication failed for user 'root'" in str(info.value) and "check username and password" in str(
        info.value)
    assert len(camera.sent) == 1


@pytest.mark.parametrize("auth, offered, hint", [
    ("basic", 'Digest realm="AXIS_1", nonce="abc", algorithm=MD5, qop="auth"', "set auth: digest"),
    ("digest", 'Basic realm="AXIS_1"', "set auth: basic"),
])
def test_401_names_the_scheme_the_camera_accepts(connect, auth, offered, hint):
    """Issue 10, case 7: a Basic-only camera asked with Digest was told 'the camera may only accept digest'."""
    asking, camera = connect(listing().answers("no", status=401, headers={"WWW-Authenticate": offered}),
                             auth=auth)
    with pytest.raises(VapixError) as info:
        asking.request("param.cgi", [("action", "list")])
    assert info.value.error_class == "auth" and hint in str(info.value)
    assert "accepts only %s" % ("Digest" if auth == "basic" else "Basic") in str(info.value)
    assert len(camera.sent) == 1


def test_a_scheme_name_inside_a_quoted_value_is_not_taken_as_offered(connect):
    """A Basic-only camera whose realm holds ', Digest x=' was read as offering Digest too, so auth: digest
    was told 'check username and password' though the camera never asked for Digest."""
    header = 'Basic realm="lab, Digest x=1", charset="UTF-8"'
    assert offered_schemes(type("Answer", (), {"headers": {"WWW-Authenticate": header}})()) == ["basic"]
    asking, _camera = connect(listing().answers("no", status=401, headers={"WWW-Authenticate": header}),
                              auth="digest")
    with pytest.raises(VapixError) as info:
        asking.request("param.cgi", [("action", "list")])
    assert "accepts only Basic" in str(info.value) and "set auth: basic" in str(info.value)


def test_401_after_earlier_requests_succeeded_is_too_few_rights(connect):
    """Issue 10, case 7: a camera answering 401 for too few rights was told 'check password'."""
    client, _camera = connect(BRAND, Call("disks/format.cgi", {"diskid": "SD_DISK"}).answers(
        "no", status=401, headers={"WWW-Authenticate": 'Basic realm="x"'}))
    client.param_list(["Brand"])
    with pytest.raises(VapixError) as info:
        client.request("disks/format.cgi", [("diskid", "SD_DISK")], write=True)
    assert info.value.error_class == "forbidden"
    assert "accepted for the earlier requests" in str(info.value) and "needs admin" not in str(info.value)
    assert "(admin)" in str(info.value)


@pytest.mark.parametrize("path, need", [("disks/format.cgi", "needs admin"),
                                        ("record/storage/setlimit.cgi", "needs operator or admin")])
def test_403_says_which_access_level_is_missing(connect, path, need):
    client, _camera = connect(Call(path).answers("no", status=403))
    with pytest.raises(VapixError) as info:
        client.request(path, write=True)
    assert info.value.http_status == 403 and info.value.error_class == "forbidden"
    assert "user 'root' lacks the access level" in str(info.value) and need in str(info.value)


def test_404_after_a_vapix_answer_means_unsupported(connect):
    client, _camera = connect(BRAND, GROUPS_404)
    client.param_list(["Brand"])
    with pytest.raises(UnsupportedError, match="record/recording_group/list.cgi") as info:
        client.request("record/recording_group/list.cgi")
    assert "check hostname" not in str(info.value)


def test_404_before_any_vapix_answer_says_the_server_may_be_no_camera(connect):
    client, _camera = connect(GROUPS_404)
    with pytest.raises(UnsupportedError, match="check hostname, port and protocol"):
        client.request("record/recording_group/list.cgi")


def test_404_for_param_cgi_is_not_an_axis_camera_even_after_other_answers(connect):
    client, _camera = connect(listing("Properties.LocalStorage").answers(
        "<html><body>Not Found</body></html>", status=404))
    client.vapix_seen = True
    with pytest.raises(VapixError, match="every Axis device serves") as raised:
        client.param_list(["Properties.LocalStorage"])
    assert raised.value.error_class == "not_vapix"


def test_an_html_page_where_xml_is_expected_is_not_an_axis_camera(connect):
    client, _camera = connect(Call("disks/list.cgi").answers(
        "<!DOCTYPE html><html><head><title>Router</title></head><body><p>login</body></html>"))
    with pytest.raises(VapixError) as raised:
        client.xml("disks/list.cgi", api=DISK_MANAGEMENT)
    assert raised.value.error_class == "not_vapix"


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_not_followed_and_a_write_is_not_sent_again(connect, status):
    """A write answered with a redirect went again to wherever it pointed, and that server's answer was taken
    as the camera's: the double fails on any request after the first."""
    elsewhere = "http://elsewhere.example:8080/axis-cgi/record/storage/setlimit.cgi?size=1048576&pass=%s" % quote(
        SECRET, safe="")
    client, camera = connect(SETLIMIT.answers("", status=status, headers={"Location": elsewhere}))
    with pytest.raises(VapixError) as info:
        client.request("record/storage/setlimit.cgi", [("size", 1048576)], write=True, api=STORAGE_LIMIT)
    assert len(camera.sent) == 1 and (client.write_count, client.request_count) == (1, 1)
    assert info.value.http_status == status and info.value.error_class == "not_vapix"
    assert "redirects to http://elsewhere.example:8080/axis-cgi/record/storage/setlimit.cgi, which is not followed" \
        in str(info.value) and "may have carried it out" in str(info.value)
    assert "set hostname" in str(info.value) and SECRET not in str(info.value) and "pass=" not in str(info.value)


@pytest.mark.parametrize("location, hint", [
    ("https://camera.example/axis-cgi/disks/list.cgi?diskid=all", "set protocol: https and port: 443"),
    ("http://camera.example:8080/axis-cgi/disks/list.cgi?diskid=all", "set port: 8080"),
    ("/login.html", "check hostname, port and protocol"),
])
def test_a_redirect_on_the_same_host_names_the_option_that_reaches_it(connect, location, hint):
    client, camera = connect(DISKS.answers("", status=302, headers={"Location": location}),
                             protocol="http")
    with pytest.raises(VapixError) as info:
        client.request("disks/list.cgi", [("diskid", "all")], api=DISK_MANAGEMENT)
    assert hint in str(info.value) and "may have carried it out" not in str(info.value)
    assert len(camera.sent) == 1


@pytest.mark.parametrize("write", [False, True])
def test_a_redirect_to_a_location_that_is_no_url_is_the_redirect_error(connect, write):
    """requests prepared the request a 3xx points to even with redirects off, and its ValueError for a Location it
    cannot parse escaped as a bug ('unexpected ValueError: Invalid IPv6 URL')."""
    call = SETLIMIT if write else DISKS
    client, camera = connect(call.answers("", status=302, headers={"Location": "http://[::1"}))
    with pytest.raises(VapixError) as info:
        if write:
            client.request("record/storage/setlimit.cgi", [("size", 1048576)], write=True, api=STORAGE_LIMIT)
        else:
            client.request("disks/list.cgi", [("diskid", "all")], api=DISK_MANAGEMENT)
    assert info.value.http_status == 302 and info.value.error_class == "not_vapix"
    assert "redirects to http://[::1, which is not followed" in str(info.value)
    assert ("may have carried it out" in str(info.value)) == write and len(camera.sent) == 1


@pytest.mark.parametrize("status", [300, 302, 304])
def test_a_3xx_without_location_is_not_said_to_redirect_to_the_camera_itself(connect, status):
    """It read 'the server redirects to http://camera:80/' (the Location missing, joined to the camera's URL)."""
    client, camera = connect(DISKS.answers("", status=status), protocol="http")
    with pytest.raises(VapixError) as info:
        client.request("disks/list.cgi", [("diskid", "all")], api=DISK_MANAGEMENT)
    assert info.value.http_status == status and info.value.error_class == "not_vapix"
    assert "HTTP %d" % status in str(info.value) and "without a Location" in str(info.value)
    assert "redirects to" not in str(info.value) and len(camera.sent) == 1


class _LongRedirect(NotACamera):
    """A 302 with a Location and a body of 128 MiB, written in pieces of 1 MiB until the client stops reading."""

    written = []

    def do_GET(self):
        size = 128 << 20
        self.send_response(302)
        self.send_header("Location", "/elsewhere")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        piece = b"x" * (1 << 20)
        try:
            for _start in range(0, size, len(piece)):
                self.wfile.write(piece)
                self.written.append(len(piece))
        except OSError:
            self.close_connection = True


def test_the_body_of_a_redirect_is_held_to_the_bound_of_every_answer(sleeps):
    """requests read a 3xx's body whole into memory to prepare the request it points to (redirects off or not):
    past MAX_ANSWER_BYTES, as far as the camera sent within the timeout."""
    _LongRedirect.written = []
    with serving(_LongRedirect) as camera:
        client = loopback_client(camera.server_address[1], sleeps, timeout=30, auth="basic")
        with pytest.raises(VapixError) as info:
            client.request("param.cgi", [("action", "update"), ("Storage.S0.FriendlyName", "x")], write=True)
        client.close()
    assert "larger than %d bytes" % MAX_ANSWER_BYTES in str(info.value)
    assert sum(_LongRedirect.written) < MAX_ANSWER_BYTES + (32 << 20)


def test_a_digest_challenge_of_the_server_a_redirect_points_to_is_never_answered(sleeps):
    """With Digest, the redirect was followed and the other server's challenge answered with the camera's
    credentials (its realm, its nonce: a response to crack offline)."""
    asked = []
    with serving(challenging(asked)) as elsewhere:
        with serving(redirecting(307, "http://%s:%d" % (LOOPBACK, elsewhere.server_address[1]))) as camera:
            asking = loopback_client(camera.server_address[1], sleeps, auth="digest")
            with pytest.raises(VapixError) as info:
                asking.request("disks/list.cgi", [("diskid", "all")], api=DISK_MANAGEMENT)
            asking.close()
    assert asked == [] and info.value.http_status == 307 and sleeps == []


# -- error envelopes -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, api, code, description", [
    ("error_disk_job.xml", DISK_MANAGEMENT, None, "Disk is locked"),
    ("error_job_progress.xml", DISK_MANAGEMENT, None, "Format failed: I/O error"),
    ("error_networkshare.xml", NETWORK_SHARE, 500, "Share is bound"),
    ("error_storage_limit.xml", STORAGE_LIMIT, 110, "Disk not found"),
    ("error_recording_group.xml", RECORDING_GROUP, 140, "Recording group in use"),
    ("error_health.xml", "health", 10, "Internal error"),
    ("error_disk_properties.xml", DISK_PROPERTIES, 160, "Disk is mounted"),
    ("error_continuous_profile.xml", RECORDING, None, "Maximum number of profiles reached"),
])
def test_every_error_envelope_becomes_one_vapix_error(connect, name, api, code, description):
    client, _camera = connect(Call("some/path.cgi", {"diskid": "SD_DISK"}, exact=True).answers_file(name))
    with pytest.raises(VapixError) as info:
        client.xml("some/path.cgi", [("diskid", "SD_DISK")], api=api)
    error = info.value
    assert (error.api, error.code, error.description) == (api, code, description)
    assert error.cgi == "some/path.cgi?diskid=SD_DISK"
    assert description in str(error)
    if code is not None:
        assert "device error %d" % code in str(error)


def test_device_code_gets_our_sentence(connect):
    client, _camera = connect(Call("disks/properties/enablediskencryption.cgi").answers_file("error_disk_properties.xml"))
    with pytest.raises(VapixError, match="encryption can only be enabled or disabled while it is unmounted"):
        client.xml("disks/properties/enablediskencryption.cgi", api=DISK_PROPERTIES)


def test_param_update_error_line_is_an_error_and_masks_secrets(connect):
    client, camera = connect(Call("param.cgi", {"action": "update"}).answers_file("error_param.txt"))
    with pytest.raises(VapixError, match="Error setting 'Storage.S0.CleanupMaxAge'"):
        client.param_update({"Storage.S0.CleanupMaxAge": 9000})
    camera.expect(Call("param.cgi", {"action": "update", "NetworkShare.N0.Password": SECRET}).answers(
        "# Error: bad value %s for NetworkShare.N0.Password\n" % SECRET))
    with pytest.raises(VapixError) as info:
        client.param_update({"NetworkShare.N0.Password": SECRET})
    text = str(info.value) + repr(info.value.as_dict())
    assert SECRET not in text and "p%26ss%3D%20100%25" not in text
    assert "********" in text


def test_param_update_refused_in_part_names_the_parameters_the_camera_may_have_set(connect):
    values = {"Storage.S0.CleanupMaxAge": 30, "Storage.S0.FriendlyName": "x", "Storage.S0.CleanupPolicyActive": "none"}
    client, camera = connect(Call("param.cgi", {"action": "update"}).answers(
        "# Error: Error setting 'root.Storage.S0.FriendlyName' to 'x'!\n"))
    with pytest.raises(VapixError) as info:
        client.param_update(values)
    assert "may have set the other parameters of this request: Storage.S0.CleanupMaxAge, " \
           "Storage.S0.CleanupPolicyActive;" in str(info.value)
    # An error that names no parameter: any of them may have been set; one parameter refused: nothing else was sent.
    camera.expect(Call("param.cgi", {"action": "update"}).answers("# Error: Internal error\n"))
    with pytest.raises(VapixError, match="this request: Storage.S0.CleanupMaxAge, Storage.S0.CleanupPolicyActive, "
                                         "Storage.S0.FriendlyName;"):
        client.param_update(values)
    camera.expect(Call("param.cgi", {"action": "update"}).answers("# Error: Internal error\n"))
    with pytest.raises(VapixError) as info:
        client.param_update({"Storage.S0.FriendlyName": "x"})
    assert "may have set" not in str(info.value)


def test_a_refused_update_names_the_admin_account_only_for_a_parameter_an_operator_may_not_change(connect):
    """FriendlyName and MountPointPermissions are operator-writable (vendor docs): a refused update of them alone
    is a value the camera does not take, not a want of an admin account."""
    client, camera = connect(Call("param.cgi", {"action": "update"}).answers(
        "# Error: Error setting 'Storage.S0.FriendlyName' to 'x'!\n"))
    with pytest.raises(VapixError) as info:
        client.param_update({"Storage.S0.FriendlyName": "x", "Storage.S0.MountPointPermissions": "0770"})
    assert "admin" not in str(info.value)
    camera.expect(Call("param.cgi", {"action": "update"}).answers(
        "# Error: Error setting 'Storage.S0.CleanupMaxAge' to '5'!\n"))
    with pytest.raises(VapixError) as info:
        client.param_update({"Storage.S0.FriendlyName": "x", "Storage.S0.CleanupMaxAge": 5})
    assert "the Storage parameters need an admin account" in str(info.value)


def test_param_update_answered_with_neither_ok_nor_an_error_may_have_been_applied(connect):
    client, _camera = connect(Call("param.cgi", {"action": "update"}).answers("<html>Proxy says hello</html>"))
    with pytest.raises(VapixError) as info:
        client.param_update({"Storage.S0.FriendlyName": "x"})
    assert info.value.error_class == "damaged_answer" and "the camera may have carried it out" in str(info.value)


def test_secrets_are_masked_in_http_errors_including_the_request_shown(connect):
    client, _camera = connect(Call("disks/networkshare/add.cgi", {"pass": "share-pw", "user": SECRET}).answers(
        "x", status=500))
    client.add_secret("share-pw")
    with pytest.raises(VapixError) as info:
        client.request("disks/networkshare/add.cgi", [("pass", "share-pw"), ("user", SECRET)], write=True)
    assert "share-pw" not in str(info.value) and "p%26ss" not in str(info.value)
    assert info.value.cgi == "disks/networkshare/add.cgi?pass=********&user=********"


def test_malformed_xml_is_a_clear_error(connect):
    client, _camera = connect(Call("disks/list.cgi").answers("Service temporarily unavailable"))
    with pytest.raises(VapixError, match="not complete, well-formed XML") as raised:
        client.xml("disks/list.cgi", api=DISK_MANAGEMENT)
    assert raised.value.error_class == "damaged_answer" and raised.value.api == DISK_MANAGEMENT


# -- param.cgi list and API discovery --------------------------------------------------------------------

def test_param_list_asks_the_groups_in_one_request(connect):
    client, camera = connect(Call("param.cgi", {"action": "list", "group": "Brand,Storage"}, exact=True)
                             .answers_file("params_980.txt"))
    params = client.param_list(["Brand", "Storage"])
    assert len(camera.sent) == 1
    assert "group=Brand%2CStorage" in camera.sent[0].query
    assert params["Storage.S0.DiskID"] == "SD_DISK" and params["NetworkShare.N0.Share"] == "video=archive"


@pytest.mark.parametrize("body, needle", [
    # read as "no parameters": encryption unsupported, every section skipped, the format cross-check left out
    ("", "the answer is empty; a camera answers the groups asked for (Brand, Storage) with their parameters, or "
         "with an '# Error' line for one it lacks"),
    ("\n\n", "the answer is empty"),
    ("# nothing\n", "the answer lists no parameter"),
    ("root.Brand.Brand=AXIS\nroot.Storage.S0.FriendlyName=Fro", "ends in the middle of a line"),
    ("root.Brand.Brand=AXIS\nroot.Storage.S0.Friendly", "line 2 of the parameter list is not name=value"),
])
def test_a_parameter_list_that_is_empty_or_cut_off_is_a_damaged_answer(connect, body, needle):
    client, _camera = connect(listing("Brand", "Storage").answers(body, headers={"Content-Type": "text/plain"}))
    client.vapix_seen = True
    with pytest.raises(VapixError) as info:
        client.param_list(["Brand", "Storage"])
    assert info.value.error_class == "damaged_answer" and needle in str(info.value)
    assert "param.cgi" in str(info.value)


def test_a_page_of_another_server_for_the_first_parameter_list_is_not_an_axis_camera(connect):
    client, _camera = connect(listing("Brand").answers("<html><body>Welcome</body></html>\n",
                                                       headers={"Content-Type": "text/html"}))
    with pytest.raises(VapixError) as info:
        client.param_list(["Brand"])
    assert info.value.error_class == "not_vapix"


def test_an_empty_first_parameter_list_is_a_damaged_answer_not_another_server(connect):
    client, _camera = connect(listing("Brand").answers("", headers={"Content-Type": "text/plain"}))
    with pytest.raises(VapixError) as info:
        client.param_list(["Brand"])
    assert info.value.error_class == "damaged_answer"


def test_param_list_falls_back_to_one_group_at_a_time_when_one_is_missing(connect):
    missing = "# Error: Error -1 getting param in group 'Properties.LocalStorage'\n"
    client, camera = connect(param_list(missing, "Brand", "Properties.LocalStorage"), BRAND,
                             param_list(missing, "Properties.LocalStorage"))
    assert client.param_list(["Brand", "Properties.LocalStorage"]) == {"Brand.Brand": "AXIS"}
    assert len(camera.sent) == 3


def test_api_list_reads_ids_and_versions(connect):
    client, camera = connect(Call.post("apidiscovery.cgi", {"apiVersion": "1.0", "method": "getApiList"})
                             .answers_file("apidiscovery_200.json"))
    apis = client.api_list()
    assert apis["recording-storage-limit"] == "1.0" and apis["disk-properties"] == "1.1"
    assert camera.sent[0].method == "POST" and b"getApiList" in camera.sent[0].body


def test_api_list_is_none_on_firmware_that_answers_404(connect):
    client, _camera = connect(Call.post("apidiscovery.cgi", {"apiVersion": "1.0", "method": "getApiList"})
                              .answers_file("apidiscovery_404.html", status=404))
    assert client.api_list() is None


def test_tls_verification_is_on_by_default_and_uses_ca_path(monkeypatch):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    assert VapixClient("cam", "root", "x").verify is True
    assert VapixClient("cam", "root", "x", ca_path="/etc/ca.pem").verify == "/etc/ca.pem"
    assert VapixClient("cam", "root", "x", validate_certs=False, ca_path="/etc/ca.pem").verify is False


@pytest.fixture(scope="module")
def tls_emulator():
    """An emulated camera serving HTTPS with a certificate from its own throw-away CA."""
    with EmulatorFleet(count=1, profile="modern", tls=True) as fleet:
        yield fleet.cameras[0]


def test_tls_is_verified_against_ca_path_at_a_real_tls_server(tls_emulator, sleeps):
    def brand(**options):
        return brand_of(tls_emulator, sleeps, **options)
    with pytest.raises(VapixError) as info:
        brand()
    assert info.value.error_class == "tls" and "set ca_path" in str(info.value)
    assert sleeps == []   # a certificate refused is refused again: not retried
    assert brand(ca_path=tls_emulator.ca_path) == "AXIS"
    with pytest.warns(urllib3.exceptions.InsecureRequestWarning):
        assert brand(validate_certs=False) == "AXIS"


def brand_of(camera, sleeps, **options):
    client = VapixClient(LOOPBACK, "root", "pass", port=camera.port, timeout=5, sleep=sleeps.append, **options)
    try:
        return client.param_list(["Brand"])["Brand.Brand"]
    finally:
        client.close()


@pytest.fixture
def no_proxy_settings(monkeypatch):
    """An environment without proxy variables; the test sets its own."""
    for name in ("http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_proxy_settings")
def test_a_proxy_in_the_environment_is_used_unless_no_proxy_names_the_camera(emulated, sleeps, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://%s:%d" % (LOOPBACK, closed_port()))
    with pytest.raises(VapixError) as info:
        brand_of(emulated, sleeps, protocol="http")
    assert info.value.error_class == "refused"     # the proxy's port, not the camera's
    monkeypatch.setenv("NO_PROXY", LOOPBACK)
    assert brand_of(emulated, sleeps, protocol="http") == "AXIS"


def failure_through_proxy(monkeypatch, port, protocol, timeout, sleeps):
    """The VapixError of a request to a camera through the proxy the environment names at port (with a user and
    password of its own)."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(name, "http://puser:proxy-secret@%s:%d" % (LOOPBACK, port))
    asking = VapixClient("camera.example", "root", SECRET, protocol=protocol, timeout=timeout, sleep=sleeps.append)
    try:
        with pytest.raises(VapixError) as info:
            asking.request("disks/list.cgi", api=DISK_MANAGEMENT)
    finally:
        asking.close()
    return info.value


@pytest.mark.usefixtures("no_proxy_settings")
@pytest.mark.parametrize("protocol", ["http", "https"])
def test_a_proxy_that_fails_is_named_and_not_taken_for_the_camera(sleeps, monkeypatch, protocol):
    """A proxy that was down read 'the connection was refused ... check hostname, port and protocol' of the
    camera; one that wanted authentication read 'HTTP 407' (class device), or through a tunnel 'the connection
    closed without a complete answer ... raise timeout', retried."""
    monkeypatch.delenv("https_proxy", raising=False)
    for down in (True, False):
        del sleeps[:]
        with serving(ProxyWantsAuthentication) as proxy:
            port = closed_port() if down else proxy.server_address[1]
            error = failure_through_proxy(monkeypatch, port, protocol, 2, sleeps)
        shown = str(error)
        assert "the proxy http://%s:%d" % (LOOPBACK, port) in shown and "NO_PROXY" in shown
        assert "check hostname" not in shown and "proxy-secret" not in shown
        assert error.error_class == ("refused" if down else "auth")
        if not down:
            assert "asks for authentication (407)" in shown and sleeps == []   # not asked again


@pytest.mark.usefixtures("no_proxy_settings")
@pytest.mark.parametrize("protocol", ["http", "https"])
def test_a_silent_proxy_is_named_beside_the_camera(sleeps, monkeypatch, protocol):
    """A proxy that takes the connection and never answers (the tunnel's CONNECT, or the forwarded request)
    read 'no answer from https://camera...: check that the camera is up' with no word of the proxy the request
    went through: the camera may be fine. The proxy is named, with how to reach the camera without it."""
    monkeypatch.delenv("https_proxy", raising=False)
    with silent_port() as port:
        error = failure_through_proxy(monkeypatch, port, protocol, 0.3, sleeps)
    shown = str(error)
    assert error.error_class == "timeout"
    assert "through the proxy http://%s:%d" % (LOOPBACK, port) in shown and "NO_PROXY" in shown, shown
    assert "proxy-secret" not in shown


@pytest.mark.usefixtures("no_proxy_settings")
def test_the_environment_is_read_when_the_client_is_made_not_for_every_request(emulated, sleeps, monkeypatch):
    client = VapixClient(LOOPBACK, "root", "pass", port=emulated.port, protocol="http", timeout=5,
                         sleep=sleeps.append)
    try:
        monkeypatch.setenv("HTTP_PROXY", "http://%s:%d" % (LOOPBACK, closed_port()))
        assert client.param_list(["Brand"])["Brand.Brand"] == "AXIS"
    finally:
        client.close()


def test_requests_ca_bundle_verifies_when_ca_path_is_not_set_and_never_beats_the_options(tls_emulator, sleeps,
                                                                                         monkeypatch):
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", tls_emulator.ca_path)
    assert brand_of(tls_emulator, sleeps) == "AXIS"
    assert VapixClient("cam", "root", "x").verify == tls_emulator.ca_path
    assert VapixClient("cam", "root", "x", ca_path="/etc/ca.pem").verify == "/etc/ca.pem"
    assert VapixClient("cam", "root", "x", validate_certs=False).verify is False


# -- charsets (issue 10, case 3) ------------------------------------------------------------------------

def test_param_list_in_iso_8859_1_with_the_charset_declared_like_the_m1065_capture(connect):
    client, _camera = connect(listing("PTZ", "Storage").answers(
        fixture_bytes("params_m1065.txt").decode("utf-8").encode("iso-8859-1"),
        headers={"Content-Type": "text/plain; charset=iso-8859-1"}))
    values = client.param_list(["PTZ", "Storage"])
    assert values["PTZ.Preset.P0.Position.P1.Name"] == "Entr\u00e9e"
    assert values["PTZ.Preset.P1.Position.P1.Name"] == "Haust\u00fcr"
    assert values["Storage.S0.DiskID"] == "SD_DISK"


@pytest.mark.parametrize("headers, body, expected", [
    ({"Content-Type": "text/plain"}, "root.Storage.S0.FriendlyName=\u00c5land kort \u00fc\n".encode(),
     "\u00c5land kort \u00fc"),
    ({"Content-Type": None}, "root.Storage.S0.FriendlyName=\u00c5land kort \u00fc\n".encode(),
     "\u00c5land kort \u00fc"),
    ({"Content-Type": "text/plain"}, "root.Storage.S0.FriendlyName=Entr\u00e9e\n".encode("iso-8859-1"),
     "Entr\u00e9e"),
])
def test_text_without_a_declared_charset_is_utf_8_else_iso_8859_1(connect, headers, body, expected):
    client, _camera = connect(listing("Storage").answers(body, headers=headers))
    assert client.param_list(["Storage"])["Storage.S0.FriendlyName"] == expected


def test_text_that_breaks_its_declared_charset_is_a_damaged_answer(connect):
    client, _camera = connect(listing("Storage").answers(
        "root.Storage.S0.FriendlyName=Entr\u00e9e\n".encode("iso-8859-1"),
        headers={"Content-Type": "text/plain; charset=utf-8"}))
    with pytest.raises(VapixError) as info:
        client.param_list(["Storage"])
    assert info.value.error_class == "damaged_answer" and "not valid utf-8 text" in str(info.value)


@pytest.mark.parametrize("declaration, encoding", [
    ('<?xml version="1.0" encoding="utf-8"?>', "utf-8"),
    ('<?xml version="1.0"?>', "utf-8"),
    ('<?xml version="1.0" encoding="ISO-8859-1"?>', "iso-8859-1"),
])
def test_xml_is_read_from_its_bytes_by_its_declaration(connect, declaration, encoding):
    """An XML answer sent as text/xml without charset: requests would decode it as ISO-8859-1."""
    body = ('%s<NetworkShareResponse><ListSuccess><NetworkShares><NetworkShare ShareId="m" NiceName="m\u00fcller" '
            'Address="nas" Share="c" User="m\u00fcller"/></NetworkShares></ListSuccess></NetworkShareResponse>'
            % declaration).encode(encoding)
    client, _camera = connect(Call("disks/networkshare/list.cgi").answers(body, headers={"Content-Type": "text/xml"}))
    root = client.xml("disks/networkshare/list.cgi", api=NETWORK_SHARE)
    assert _parsers.parse_share_list(root)["m"]["share_username"] == "m\u00fcller"


def test_an_answer_larger_than_any_vapix_answer_is_refused(connect):
    client, _camera = connect(listing().answers(b"x" * (MAX_ANSWER_BYTES + 1)))
    with pytest.raises(VapixError) as info:
        client.request("param.cgi", [("action", "list")])
    assert info.value.error_class == "damaged_answer" and "larger than" in str(info.value)


def test_a_parameter_error_that_does_not_name_the_group_is_the_camera_failing_not_a_missing_group(connect):
    """An '# Error' line is a group the firmware lacks only when it names the group; any other (an internal
    error) was read as "no such group", so a whole-camera run called the camera's network shares, storage
    limits and continuous profiles unsupported (with unsupported: skip, skipped them and succeeded)."""
    failing = "# Error: Internal error, try again later\n"
    client, camera = connect(param_list(failing, "Brand", "Properties.LocalStorage"),
                             param_list(failing, "Brand"))
    with pytest.raises(VapixError) as info:
        client.param_list(["Brand", "Properties.LocalStorage"])
    assert info.value.error_class == "device" and info.value.api == "param-cgi"
    assert "Internal error, try again later" in str(info.value) and "Brand" in str(info.value)
    assert len(camera.sent) == 2
    # The firmware's answer for a group it lacks names the group: that one is still "absent", not an error.
    missing = "# Error: Error -1 getting param in group 'root.Properties.LocalStorage'\n"
    client, _camera = connect(param_list(missing, "Properties.LocalStorage"))
    assert client.param_list(["Properties.LocalStorage"]) == {}


def test_an_http_error_whose_body_is_the_api_s_error_envelope_keeps_its_code_and_text(connect):
    """A camera (or firmware) answering 400/500 with the family's GeneralError in the body: the code, the
    camera's text and the sentence for the code were dropped for "HTTP 400 Bad Request"."""
    envelope = ('<?xml version="1.0" encoding="utf-8"?><StorageLimitsResponse SchemaVersion="1.0"><GeneralError>'
                '<ErrorCode>120</ErrorCode><ErrorDescription>Invalid size value</ErrorDescription></GeneralError>'
                '</StorageLimitsResponse>')
    client, camera = connect(SETLIMIT.answers(envelope, status=400))
    with pytest.raises(VapixError) as info:
        client.request("record/storage/setlimit.cgi", [("size", 1048576)], write=True, api=STORAGE_LIMIT)
    error = info.value
    assert (error.code, error.http_status, error.description, error.error_class) == \
        (120, 400, "Invalid size value", "device")
    assert "device error 120: Invalid size value (the size is not a valid number of kilobytes)" in str(error)
    assert len(camera.sent) == 1
    # A body that is no envelope (an HTML page, text) stays the HTTP status.
    client, _camera = connect(SETLIMIT.answers("<html><body>Internal Server Error</body></html>", status=500,
                                               headers={"Content-Type": "text/html"}))
    with pytest.raises(VapixError) as info:
        client.request("record/storage/setlimit.cgi", [("size", 1048576)], write=True, api=STORAGE_LIMIT)
    assert (info.value.code, info.value.http_status) == (None, 500) and "HTTP 500" in str(info.value)


@pytest.mark.parametrize("cgi, code, wrong", [
    # The disk properties' per-CGI lists copy the encryption codes onto CGIs of other settings.
    ("disks/properties/setrequiredfs.cgi", 110, "passphrase"),
    ("disks/properties/setdiskalertlevels.cgi", 160, "encryption"),
    ("disks/properties/setdiskalertlevels.cgi", 140, "encryption"),
    ("disks/properties/setrequiredfs.cgi", 100, "encryption"),
    # A code the table gives another CGI of the family.
    ("disks/networkshare/add.cgi", 600, "cannot be modified"),
])
def test_a_code_the_vendor_table_gives_only_other_cgis_gets_no_sentence_of_theirs(connect, cgi, code, wrong):
    """A setting's CGI answered 110 was explained as 'the passphrase was rejected': the sentence of a code
    holds for the CGIs the vendor's table names for it, not for every CGI of the family."""
    api = DISK_PROPERTIES if "/properties/" in cgi else NETWORK_SHARE
    answer = ('<?xml version="1.0"?><Response SchemaVersion="1.0"><Error><GeneralError><ErrorCode>%d</ErrorCode>'
              '<ErrorDescription>Camera text</ErrorDescription></GeneralError></Error></Response>' % code)
    client, _camera = connect(Call(cgi).answers(answer))
    with pytest.raises(VapixError) as info:
        client.xml(cgi, [("diskid", "SD_DISK")], write=True, api=api)
    assert info.value.code == code and "device error %d: Camera text" % code in str(info.value)
    assert wrong not in str(info.value)


def test_a_code_keeps_its_sentence_on_the_cgis_the_vendor_table_names(connect):
    for cgi, code, sentence in (("disks/properties/enablediskencryption.cgi", 110, "the passphrase was rejected"),
                                ("disks/properties/disablediskencryption.cgi", 160, "the disk is mounted"),
                                ("disks/properties/setrequiredfs.cgi", 50, "no disk with this disk id"),
                                ("disks/properties/setdiskalertlevels.cgi", 10, "internal error")):
        answer = ('<?xml version="1.0"?><Response><Error><GeneralError><ErrorCode>%d</ErrorCode><ErrorDescription>'
                  'Camera text</ErrorDescription></GeneralError></Error></Response>' % code)
        client, _camera = connect(Call(cgi).answers(answer))
        with pytest.raises(VapixError) as info:
            client.xml(cgi, [("diskid", "SD_DISK")], write=True, api=DISK_PROPERTIES)
        assert sentence in str(info.value)


FOREIGN = ('<?xml version="1.0"?><DiskPropertiesResponse SchemaVersion="1.0"><Error><GeneralError><ErrorCode>%d'
           '</ErrorCode><ErrorDescription>%s</ErrorDescription></GeneralError></Error></DiskPropertiesResponse>')


@pytest.mark.parametrize("status", [200, 400])
def test_an_error_in_another_api_s_envelope_gets_no_sentence_from_this_api_s_table(connect, status):
    """setlimit.cgi answered with a DiskPropertiesResponse GeneralError 130 read 'device error 130: Old passphrase
    mismatch (the size is below the device minimum of 1048576 kB (1 GiB))': the storage limit's sentence for the
    disk properties' code. The camera's code and text are kept; a code every family shares keeps its sentence."""
    client, _camera = connect(SETLIMIT.answers(FOREIGN % (130, "Old passphrase mismatch"), status=status),
                              SETLIMIT.answers(FOREIGN % (10, "Internal error"), status=status))
    with pytest.raises(VapixError) as info:
        client.xml("record/storage/setlimit.cgi", [("size", 1048576)], write=True, api=STORAGE_LIMIT)
    error = info.value
    assert (error.code, error.description, error.error_class, error.api) == \
        (130, "Old passphrase mismatch", "device", STORAGE_LIMIT)
    assert str(error).endswith("failed with device error 130: Old passphrase mismatch")
    with pytest.raises(VapixError) as info:
        client.xml("record/storage/setlimit.cgi", [("size", 1048576)], write=True, api=STORAGE_LIMIT)
    assert "device error 10: Internal error (the device hit an internal error" in str(info.value)


@pytest.mark.parametrize("inner, said", [
    ("<ErrorCode>130</ErrorCode><ErrorDescription></ErrorDescription>",
     "device error 130: the camera gave no description (the size is below the device minimum of 1048576 kB"),
    ("<ErrorCode>130</ErrorCode><ErrorDescription>  </ErrorDescription>",
     "device error 130: the camera gave no description (the size is below the device minimum of 1048576 kB"),
    ("<ErrorCode>130</ErrorCode>",
     "device error 130: the camera gave no description (the size is below the device minimum of 1048576 kB"),
    ("<ErrorCode>abc</ErrorCode>", "failed: the camera gave error code 'abc' and no description"),
    ("", "failed: the camera reported an error without code or description"),
])
def test_an_error_without_a_description_says_so_instead_of_repeating_the_code(connect, inner, said):
    """An empty or missing ErrorDescription read 'device error 130: 130', description '130'."""
    answer = ('<?xml version="1.0"?><StorageLimitsResponse SchemaVersion="1.0"><GeneralError>%s</GeneralError>'
              '</StorageLimitsResponse>' % inner)
    client, _camera = connect(SETLIMIT.answers(answer))
    with pytest.raises(VapixError) as info:
        client.xml("record/storage/setlimit.cgi", [("size", 1048576)], write=True, api=STORAGE_LIMIT)
    assert said in str(info.value) and info.value.error_class == "device"
    assert info.value.description == said.split(": ", 1)[1].split(" (", 1)[0]
    assert "130: 130" not in str(info.value)


def test_a_request_shown_in_a_message_has_each_argument_cut_after_its_secrets_are_masked():
    """A long argument is cut for a message, and the cut comes after the masking: a secret the cut would split
    is never shown in part."""
    client = VapixClient("cam", "root", "x")
    secret = "s3cr3t-" * 40                                           # 280 characters
    client.add_secret(secret)
    args = [("user", "u"), ("pass", "y" * 150 + secret), ("share", "z" * 500)]
    shown = client.describe("disks/networkshare/add.cgi", args)
    assert "s3cr3t" not in shown and "pass=" + "y" * 150 + "********" in shown
    assert "share=" + "z" * 194 + "...(506 characters)" in shown
    assert shown.startswith("disks/networkshare/add.cgi?user=u&")
