# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""VapixClient against a tiny loopback HTTP server: encoding, retries, envelopes, masking, auth errors."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils._client import VapixClient, encode_args
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
    """Answers from server.replies (a list of (status, body) popped in order; the last one repeats)."""

    def do_GET(self):
        self._answer(b"")

    def do_POST(self):
        self._answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def _answer(self, body):
        server = self.server
        server.requests.append({"method": self.command, "path": self.path, "body": body})
        status, text = server.replies.pop(0) if len(server.replies) > 1 else server.replies[0]
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = HTTPServer(("127.0.0.1", 0), Recorder)
    httpd.requests = []
    httpd.replies = [(200, "OK")]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


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
    with pytest.raises(VapixError, match="no answer from http://127.0.0.1:1"):
        closed.request("disks/list.cgi")
    assert sleeps == [0.5, 1.0]


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
    closed = VapixClient("127.0.0.1", "root", SECRET, port=1, protocol="http", timeout=2, sleep=sleeps.append)
    with pytest.raises(VapixError):
        closed.request("record/storage/setlimit.cgi", [("size", 1048576)], write=True, api=STORAGE_LIMIT)
    assert (closed.write_count, closed.unanswered_writes) == (1, 1)
    with pytest.raises(VapixError):
        closed.request("disks/list.cgi")
    assert (closed.write_count, closed.unanswered_writes) == (1, 1)


# -- HTTP status messages -----------------------------------------------------------------------------

def test_401_says_which_credentials_to_check(client, server):
    server.replies = [(401, "no")]
    with pytest.raises(VapixError) as info:
        client.request("param.cgi", [("action", "list")])
    assert info.value.http_status == 401
    assert "authentication failed for user 'root'" in str(info.value)
    assert len(server.requests) == 1


@pytest.mark.parametrize("path, need", [("disks/format.cgi", "needs admin"),
                                        ("record/storage/setlimit.cgi", "needs operator or admin")])
def test_403_says_which_access_level_is_missing(client, server, path, need):
    server.replies = [(403, "no")]
    with pytest.raises(VapixError) as info:
        client.request(path, write=True)
    assert info.value.http_status == 403
    assert "user 'root' lacks the access level" in str(info.value) and need in str(info.value)


def test_404_means_unsupported(client, server):
    server.replies = [(404, fixture("apidiscovery_404.html"))]
    with pytest.raises(UnsupportedError, match="record/recording_group/list.cgi"):
        client.request("record/recording_group/list.cgi")


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


def test_secrets_are_masked_in_http_errors_including_the_request_shown(client, server):
    client.add_secret("share-pw")
    server.replies = [(500, "x")]
    with pytest.raises(VapixError) as info:
        client.request("disks/networkshare/add.cgi", [("pass", "share-pw"), ("user", SECRET)], write=True)
    assert "share-pw" not in str(info.value) and "p%26ss" not in str(info.value)
    assert info.value.cgi == "disks/networkshare/add.cgi?pass=********&user=********"


def test_malformed_xml_is_a_clear_error(client, server):
    server.replies = [(200, "Service temporarily unavailable")]
    with pytest.raises(VapixError, match="not well-formed XML"):
        client.xml("disks/list.cgi", api=DISK_MANAGEMENT)


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
