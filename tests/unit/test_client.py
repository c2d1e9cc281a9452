# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""VapixClient against a tiny loopback HTTP server: encoding, retries, envelopes, masking, auth errors."""

from __future__ import annotations

import socket
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from tests.loopback import serving

from ansible_collections.vapix.edge_storage.plugins.module_utils import _parsers
from ansible_collections.vapix.edge_storage.plugins.module_utils._client import (
    MAX_ANSWER_BYTES,
    VapixClient,
    encode_args,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    DISK_MANAGEMENT,
    DISK_PROPERTIES,
    NETWORK_SHARE,
    RECORDING,
    RECORDING_GROUP,
    STORAGE_LIMIT,
    UnsupportedError,
    VapixError,
)

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "p&ss= 100%"


class Recorder(BaseHTTPRequestHandler):
    """Answers from server.replies (a list of (status, body[, headers]) popped in order; the last one
    repeats). A body is text (sent as UTF-8) or bytes (sent as they are)."""

    def do_GET(self):
        self._answer(b"")

    def do_POST(self):
        self._answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def _answer(self, body):
        server = self.server
        server.requests.append({"method": self.command, "path": self.path, "body": body})
        reply = server.replies.pop(0) if len(server.replies) > 1 else server.replies[0]
        status, text = reply[:2]
        headers = reply[2] if len(reply) > 2 else {}
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    with serving(Recorder) as httpd:
        httpd.requests = []
        httpd.replies = [(200, "OK")]
        yield httpd


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(server, sleeps):
    made = VapixClient("127.0.0.1", "root", SECRET, port=server.server_address[1], protocol="http",
                       auth="basic", timeout=5, sleep=sleeps.append)
    yield made
    made.close()


def fixture(name):
    return (FIXTURES / name).read_text(encoding="utf-8")


# -- percent-encoding --------------------------------------------------------------------------

def test_encode_args_escapes_every_reserved_character_and_spaces_as_percent_20():
    assert encode_args([("a b", "x&y=z%w v"), ("skip", None), ("flag", True)]) == "a%20b=x%26y%3Dz%25w%20v&flag=yes"


@pytest.mark.parametrize("password", ["p&ss= 100%", "a=b&c=d", "100% sure", "+plus+", "ä/ö?#"])
def test_passwords_arrive_intact_at_a_real_server(client, server, password):
    client.param_update({"NetworkShare.N0.Password": password})
    request = server.requests[-1]
    query = request["path"].split("?", 1)[1]
    assert dict(parse_qsl(query, keep_blank_values=True))["NetworkShare.N0.Password"] == password
    assert "+" not in query.replace("%2B", "")


# -- retries -------------------------------------------------------------------------------------

def test_read_is_retried_on_5xx_with_bounded_backoff(client, server, sleeps):
    server.replies = [(500, "busy"), (503, "busy"), (200, fixture("getlimit.xml"))]
    root = client.xml("record/storage/getlimit.cgi", [("schemaversion", 1)], api=STORAGE_LIMIT)
    assert root is not None
    assert len(server.requests) == 3
    assert sleeps == [0.5, 1.0]


def test_read_gives_up_after_three_attempts(client, server, sleeps):
    server.replies = [(500, "broken")]
    with pytest.raises(VapixError) as info:
        client.request("disks/list.cgi", [("diskid", "all")], api=DISK_MANAGEMENT)
    assert info.value.http_status == 500
    assert len(server.requests) == 3 and sleeps == [0.5, 1.0]


def test_connection_errors_are_retried_then_reported(sleeps):
    closed = VapixClient("127.0.0.1", "root", SECRET, port=1, protocol="http", timeout=2, sleep=sleeps.append)
    with pytest.raises(VapixError, match="no answer from http://127.0.0.1:1") as info:
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


def test_https_to_a_plain_http_port_is_not_tls(server, sleeps):
    """Issue 10, case 7: HTTPS to a plain-HTTP port was reported as a certificate failure."""
    asking = VapixClient("127.0.0.1", "root", SECRET, port=server.server_address[1], protocol="https",
                         validate_certs=False, timeout=5, sleep=sleeps.append)
    with pytest.raises(VapixError) as info:
        asking.request("disks/list.cgi")
    assert info.value.error_class == "not_tls" and "set protocol: http" in str(info.value)


def test_a_write_that_times_out_may_have_been_applied(sleeps):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        asking = VapixClient("127.0.0.1", "root", SECRET, port=silent.getsockname()[1], protocol="http",
                             timeout=0.3, sleep=sleeps.append)
        with pytest.raises(VapixError) as info:
            asking.request("disks/format.cgi", [("diskid", "SD_DISK")], write=True, api=DISK_MANAGEMENT)
    finally:
        silent.close()
    assert info.value.error_class == "timeout" and "the camera may have applied it" in str(info.value)
    assert sleeps == []


def test_writes_are_never_retried(client, server, sleeps):
    server.replies = [(500, "broken"), (200, "OK")]
    with pytest.raises(VapixError) as info:
        client.request("record/storage/setlimit.cgi", [("size", 1048576)], write=True, api=STORAGE_LIMIT)
    assert info.value.http_status == 500
    assert len(server.requests) == 1 and sleeps == []


def test_every_write_is_counted_whatever_its_answer_and_reads_are_not(client, server):
    server.replies = [(200, "OK"), (500, "broken"), (200, "OK")]
    client.param_update({"Storage.S0.FriendlyName": "x"})
    with pytest.raises(VapixError):
        client.request("record/storage/setlimit.cgi", [("size", 1048576)], write=True, api=STORAGE_LIMIT)
    client.request("disks/list.cgi")
    assert (client.write_count, client.unanswered_writes, client.request_count) == (2, 0, 3)


def test_a_write_without_answer_is_counted_as_unanswered(sleeps):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        waiting = VapixClient("127.0.0.1", "root", SECRET, port=silent.getsockname()[1], protocol="http", timeout=0.3,
                              sleep=sleeps.append)
        with pytest.raises(VapixError):
            waiting.request("record/storage/setlimit.cgi", [("size", 1048576)], write=True, api=STORAGE_LIMIT)
    finally:
        silent.close()
    assert (waiting.write_count, waiting.unanswered_writes) == (1, 1)
    # A refused connection never reached the camera: sent, but not a write the camera may have carried out.
    closed = VapixClient("127.0.0.1", "root", SECRET, port=1, protocol="http", timeout=2, sleep=sleeps.append)
    with pytest.raises(VapixError):
        closed.request("record/storage/setlimit.cgi", [("size", 1048576)], write=True, api=STORAGE_LIMIT)
    assert (closed.write_count, closed.unanswered_writes) == (1, 0)
    with pytest.raises(VapixError):
        closed.request("disks/list.cgi")
    assert (closed.write_count, closed.unanswered_writes) == (1, 0)


# -- HTTP status messages -----------------------------------------------------------------------------

def test_401_says_which_credentials_to_check(client, server):
    server.replies = [(401, "no", {"WWW-Authenticate": 'Basic realm="AXIS_1"'})]
    with pytest.raises(VapixError) as info:
        client.request("param.cgi", [("action", "list")])
    assert info.value.http_status == 401 and info.value.error_class == "auth"
    assert "authentication failed for user 'root'" in str(info.value) and "check username and password" in str(
        info.value)
    assert len(server.requests) == 1


@pytest.mark.parametrize("auth, offered, hint", [
    ("basic", 'Digest realm="AXIS_1", nonce="abc", algorithm=MD5, qop="auth"', "set auth: digest"),
    ("digest", 'Basic realm="AXIS_1"', "set auth: basic"),
])
def test_401_names_the_scheme_the_camera_accepts(server, auth, offered, hint):
    """Issue 10, case 7: a Basic-only camera asked with Digest was told 'the camera may only accept digest'."""
    server.replies = [(401, "no", {"WWW-Authenticate": offered})]
    asking = VapixClient("127.0.0.1", "root", SECRET, port=server.server_address[1], protocol="http", auth=auth)
    with pytest.raises(VapixError) as info:
        asking.request("param.cgi", [("action", "list")])
    assert info.value.error_class == "auth" and hint in str(info.value)
    assert "accepts only %s" % ("Digest" if auth == "basic" else "Basic") in str(info.value)


def test_401_after_earlier_requests_succeeded_is_too_few_rights(client, server):
    """Issue 10, case 7: a camera answering 401 for too few rights was told 'check password'."""
    server.replies = [(200, "root.Brand.Brand=AXIS\n"), (401, "no", {"WWW-Authenticate": 'Basic realm="x"'})]
    client.param_list(["Brand"])
    with pytest.raises(VapixError) as info:
        client.request("disks/format.cgi", [("diskid", "SD_DISK")], write=True)
    assert info.value.error_class == "forbidden"
    assert "accepted for the earlier requests" in str(info.value) and "needs admin" not in str(info.value)
    assert "(admin)" in str(info.value)


@pytest.mark.parametrize("path, need", [("disks/format.cgi", "needs admin"),
                                        ("record/storage/setlimit.cgi", "needs operator or admin")])
def test_403_says_which_access_level_is_missing(client, server, path, need):
    server.replies = [(403, "no")]
    with pytest.raises(VapixError) as info:
        client.request(path, write=True)
    assert info.value.http_status == 403 and info.value.error_class == "forbidden"
    assert "user 'root' lacks the access level" in str(info.value) and need in str(info.value)


def test_404_after_a_vapix_answer_means_unsupported(client, server):
    server.replies = [(200, "root.Brand.Brand=AXIS\n"), (404, fixture("apidiscovery_404.html"))]
    client.param_list(["Brand"])
    with pytest.raises(UnsupportedError, match="record/recording_group/list.cgi"):
        client.request("record/recording_group/list.cgi")


def test_404_before_any_vapix_answer_says_the_server_may_be_no_camera(client, server):
    server.replies = [(404, fixture("apidiscovery_404.html"))]
    with pytest.raises(UnsupportedError, match="check hostname, port and protocol"):
        client.request("record/recording_group/list.cgi")


def test_404_for_param_cgi_is_not_an_axis_camera_even_after_other_answers(client, server):
    server.replies = [(404, "<html><body>Not Found</body></html>")]
    client.vapix_seen = True
    with pytest.raises(VapixError, match="every Axis device serves") as raised:
        client.param_list(["Properties.LocalStorage"])
    assert raised.value.error_class == "not_vapix"


def test_an_html_page_where_xml_is_expected_is_not_an_axis_camera(client, server):
    server.replies = [(200, "<!DOCTYPE html><html><head><title>Router</title></head><body><p>login</body></html>")]
    with pytest.raises(VapixError) as raised:
        client.xml("disks/list.cgi", api=DISK_MANAGEMENT)
    assert raised.value.error_class == "not_vapix"


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
def test_every_error_envelope_becomes_one_vapix_error(client, server, name, api, code, description):
    server.replies = [(200, fixture(name))]
    with pytest.raises(VapixError) as info:
        client.xml("some/path.cgi", [("diskid", "SD_DISK")], api=api)
    error = info.value
    assert (error.api, error.code, error.description) == (api, code, description)
    assert error.cgi == "some/path.cgi?diskid=SD_DISK"
    assert description in str(error)
    if code is not None:
        assert "device error %d" % code in str(error)


def test_device_code_gets_our_sentence(client, server):
    server.replies = [(200, fixture("error_disk_properties.xml"))]
    with pytest.raises(VapixError, match="encryption can only be enabled or disabled while it is unmounted"):
        client.xml("disks/properties/enableencryption.cgi", api=DISK_PROPERTIES)


def test_param_update_error_line_is_an_error_and_masks_secrets(client, server):
    server.replies = [(200, fixture("error_param.txt"))]
    with pytest.raises(VapixError, match="Error setting 'Storage.S0.CleanupMaxAge'"):
        client.param_update({"Storage.S0.CleanupMaxAge": 9000})
    server.replies = [(200, "# Error: bad value %s for NetworkShare.N0.Password\n" % SECRET)]
    with pytest.raises(VapixError) as info:
        client.param_update({"NetworkShare.N0.Password": SECRET})
    text = str(info.value) + repr(info.value.as_dict())
    assert SECRET not in text and "p%26ss%3D%20100%25" not in text
    assert "********" in text


def test_param_update_answered_with_neither_ok_nor_an_error_may_have_been_applied(client, server):
    server.replies = [(200, "<html>Proxy says hello</html>")]
    with pytest.raises(VapixError) as info:
        client.param_update({"Storage.S0.FriendlyName": "x"})
    assert info.value.error_class == "damaged_answer" and "the camera may have carried it out" in str(info.value)


def test_secrets_are_masked_in_http_errors_including_the_request_shown(client, server):
    client.add_secret("share-pw")
    server.replies = [(500, "x")]
    with pytest.raises(VapixError) as info:
        client.request("disks/networkshare/add.cgi", [("pass", "share-pw"), ("user", SECRET)], write=True)
    assert "share-pw" not in str(info.value) and "p%26ss" not in str(info.value)
    assert info.value.cgi == "disks/networkshare/add.cgi?pass=********&user=********"


def test_malformed_xml_is_a_clear_error(client, server):
    server.replies = [(200, "Service temporarily unavailable")]
    with pytest.raises(VapixError, match="not complete, well-formed XML") as raised:
        client.xml("disks/list.cgi", api=DISK_MANAGEMENT)
    assert raised.value.error_class == "damaged_answer" and raised.value.api == DISK_MANAGEMENT


# -- param.cgi list and API discovery --------------------------------------------------------------------

def test_param_list_asks_the_groups_in_one_request(client, server):
    server.replies = [(200, fixture("params_980.txt"))]
    params = client.param_list(["Brand", "Storage"])
    assert len(server.requests) == 1
    assert "group=Brand%2CStorage" in server.requests[0]["path"]
    assert params["Storage.S0.DiskID"] == "SD_DISK" and params["NetworkShare.N0.Share"] == "video=archive"


def test_param_list_falls_back_to_one_group_at_a_time_when_one_is_missing(client, server):
    server.replies = [(200, "# Error: Error -1 getting param in group 'Properties.LocalStorage'\n"),
                      (200, "root.Brand.Brand=AXIS\n"),
                      (200, "# Error: Error -1 getting param in group 'Properties.LocalStorage'\n")]
    assert client.param_list(["Brand", "Properties.LocalStorage"]) == {"Brand.Brand": "AXIS"}
    assert len(server.requests) == 3


def test_api_list_reads_ids_and_versions(client, server):
    server.replies = [(200, fixture("apidiscovery_200.json"))]
    apis = client.api_list()
    assert apis["recording-storage-limit"] == "1.0" and apis["disk-properties"] == "1.1"
    assert server.requests[0]["method"] == "POST" and b"getApiList" in server.requests[0]["body"]


def test_api_list_is_none_on_firmware_that_answers_404(client, server):
    server.replies = [(404, fixture("apidiscovery_404.html"))]
    assert client.api_list() is None


def test_tls_verification_is_on_by_default_and_uses_ca_path():
    assert VapixClient("cam", "root", "x").verify is True
    assert VapixClient("cam", "root", "x", ca_path="/etc/ca.pem").verify == "/etc/ca.pem"
    assert VapixClient("cam", "root", "x", validate_certs=False, ca_path="/etc/ca.pem").verify is False


# -- charsets (issue 10, case 3) ------------------------------------------------------------------------

def test_param_list_in_iso_8859_1_with_the_charset_declared_like_the_m1065_capture(client, server):
    server.replies = [(200, fixture("params_m1065.txt").encode("iso-8859-1"),
                       {"Content-Type": "text/plain; charset=iso-8859-1"})]
    values = client.param_list(["PTZ", "Storage"])
    assert values["PTZ.Preset.P0.Position.P1.Name"] == "Entr\u00e9e"
    assert values["PTZ.Preset.P1.Position.P1.Name"] == "Haust\u00fcr"
    assert values["Storage.S0.DiskID"] == "SD_DISK"


@pytest.mark.parametrize("headers, body, expected", [
    ({"Content-Type": "text/plain"}, "root.Storage.S0.FriendlyName=\u00c5land kort \u00fc\n".encode(),
     "\u00c5land kort \u00fc"),
    ({}, "root.Storage.S0.FriendlyName=\u00c5land kort \u00fc\n".encode(), "\u00c5land kort \u00fc"),
    ({"Content-Type": "text/plain"}, "root.Storage.S0.FriendlyName=Entr\u00e9e\n".encode("iso-8859-1"),
     "Entr\u00e9e"),
])
def test_text_without_a_declared_charset_is_utf_8_else_iso_8859_1(client, server, headers, body, expected):
    server.replies = [(200, body, headers)]
    assert client.param_list(["Storage"])["Storage.S0.FriendlyName"] == expected


def test_text_that_breaks_its_declared_charset_is_a_damaged_answer(client, server):
    server.replies = [(200, "root.Storage.S0.FriendlyName=Entr\u00e9e\n".encode("iso-8859-1"),
                       {"Content-Type": "text/plain; charset=utf-8"})]
    with pytest.raises(VapixError) as info:
        client.param_list(["Storage"])
    assert info.value.error_class == "damaged_answer" and "not valid utf-8 text" in str(info.value)


@pytest.mark.parametrize("declaration, encoding", [
    ('<?xml version="1.0" encoding="utf-8"?>', "utf-8"),
    ('<?xml version="1.0"?>', "utf-8"),
    ('<?xml version="1.0" encoding="ISO-8859-1"?>', "iso-8859-1"),
])
def test_xml_is_read_from_its_bytes_by_its_declaration(client, server, declaration, encoding):
    """An XML answer sent as text/xml without charset: requests would decode it as ISO-8859-1."""
    body = ('%s<NetworkShareResponse><ListSuccess><NetworkShares><NetworkShare ShareId="m" NiceName="m\u00fcller" '
            'Address="nas" Share="c" User="m\u00fcller"/></NetworkShares></ListSuccess></NetworkShareResponse>'
            % declaration).encode(encoding)
    server.replies = [(200, body, {"Content-Type": "text/xml"})]
    root = client.xml("disks/networkshare/list.cgi", api=NETWORK_SHARE)
    assert _parsers.parse_share_list(root)["m"]["share_username"] == "m\u00fcller"


def test_an_answer_larger_than_any_vapix_answer_is_refused(client, server):
    server.replies = [(200, b"x" * (MAX_ANSWER_BYTES + 1))]
    with pytest.raises(VapixError) as info:
        client.request("param.cgi", [("action", "list")])
    assert info.value.error_class == "damaged_answer" and "larger than" in str(info.value)
