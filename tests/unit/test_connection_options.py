# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options and host addresses, checked before the first request (issue 10, case 5)."""

from __future__ import annotations

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils._client import VapixClient
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ValidationError
from ansible_collections.vapix.edge_storage.plugins.module_utils._hosts import validate_host
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import validate_connection


def options(**given):
    values = {"hostname": "camera1.example.com", "port": None, "username": "root", "password": "pass",
              "timeout": 30, "ca_path": None}
    values.update(given)
    return values


# Shared with tests/integration/test_faults.py, which shows every one refused by a module before any request.
BAD_CONNECTION_OPTIONS = [
    ({"port": 70000}, "port 70000 is not a TCP port: give 1 to 65535"),
    ({"port": -1}, "port -1 is not a TCP port"),
    ({"port": 0}, "port 0 is not a TCP port"),
    ({"timeout": -1}, "timeout -1 is not a number of seconds from 1 to 3600"),
    ({"timeout": 0}, "timeout 0 is not a number of seconds"),
    ({"parallel_reads": 0}, "parallel_reads 0 is not from 1 to 8: it is how many reads are sent to the camera at once"),
    ({"parallel_reads": 9}, "parallel_reads 9 is not from 1 to 8"),
    ({"hostname": "  "}, "hostname is empty"),      # "" counts as not given (the VAPIX_HOSTNAME fallback)
    ({"hostname": "cam 1"}, "hostname 'cam 1' contains blanks"),
    ({"hostname": "127.0.0.1:18081"}, "contains a port: give the host alone (hostname: 127.0.0.1, port: 18081)"),
    ({"hostname": "https://cam1"}, "without scheme, path, user or arguments"),
    ({"hostname": "300.1.2.3"}, "not a valid IPv4 address"),
    ({"hostname": "fd00::zz"}, "not a valid IPv6 address"),
    # requests hands a zone id, percent-encoded, to the resolver: every request failed as a name not resolved.
    ({"hostname": "fe80::1%eth0"}, "hostname 'fe80::1%eth0' is an IPv6 address with a zone id (%eth0), which the "
                                   "collection cannot connect to: give the camera's IPv4 address"),
    ({"hostname": "[fe80::1%25eth0]"}, "is an IPv6 address with a zone id (%25eth0)"),
    ({"username": " "}, "username is empty"),
    ({"ca_path": "/nonexistent/ca.pem"}, "ca_path /nonexistent/ca.pem does not exist"),
]


@pytest.mark.parametrize("given, message", BAD_CONNECTION_OPTIONS)
def test_bad_connection_options_are_refused_with_what_to_fix(given, message):
    with pytest.raises(ValidationError) as info:
        validate_connection(options(**given))
    assert message in str(info.value)
    assert info.value.as_dict()["error_class"] == "invalid_argument"


@pytest.mark.parametrize("hostname", ["camera1.example.com", "192.0.2.10", "fd00::10", "[fd00::10]",
                                      "fe80::1", "cam_1.local", "camera1.example.com."])
def test_good_hosts_pass(hostname, tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    validate_connection(options(hostname=hostname, port=443, timeout=1, ca_path=str(ca)))


@pytest.mark.parametrize("hostname, url", [
    ("fd00::10", "https://[fd00::10]:443"),
    ("[fd00::10]", "https://[fd00::10]:443"),
    ("192.0.2.10", "https://192.0.2.10:443"),
])
def test_ipv6_addresses_are_bracketed_in_the_url(hostname, url):
    assert VapixClient(hostname, "root", "x").base_url == url


def test_a_timeout_of_zero_never_silently_becomes_30():
    assert VapixClient.from_params(options(timeout=1)).timeout == 1
    assert VapixClient.from_params(options(timeout=None)).timeout == 30


@pytest.mark.parametrize("address", ["nas&x=1", "nas 1", "//nas/share", "nas.example.com:445", ""])
def test_a_share_address_must_be_a_host(address):
    with pytest.raises(ValidationError):
        validate_host(address, "address")


def test_a_zone_id_is_refused_only_where_the_collection_connects_itself():
    """A share's address is the camera's to reach (over its own interfaces): its zone id is left to the camera."""
    validate_host("fe80::1%eth0", "address")
    with pytest.raises(ValidationError, match="zone id"):
        validate_host("fe80::1%eth0", "hostname", zone_id=False)
