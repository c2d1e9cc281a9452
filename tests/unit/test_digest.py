# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Digest authentication shared by the threads of one client: the RFC's worked examples, challenges as
cameras send them, and one challenge for many requests at once against the emulator."""

from __future__ import annotations

import hashlib
import threading
import time

import pytest
import requests

from tests.emulator import EmulatorFleet
from tests.loopback import LOOPBACK, challenging, dripping, serving

from ansible_collections.vapix.edge_storage.plugins.module_utils._client import VapixClient
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import VapixError
from ansible_collections.vapix.edge_storage.plugins.module_utils._digest import (
    SharedDigestAuth,
    authorization,
    parse_challenge,
    parse_challenges,
)

URL = "http://camera.example/dir/index.html"
DISKS = "/axis-cgi/disks/list.cgi?diskid=all"


def fields(header):
    assert header.startswith("Digest ")
    return parse_challenge(header)


def test_the_worked_example_of_rfc_2617():
    challenge = {"realm": "testrealm@host.com", "nonce": "dcd98b7102dd2f0e8b11d0f600bfb0c093", "qop": "auth,auth-int",
                 "opaque": "5ccc069c403ebaf9f0171e9517f40e41"}
    sent = fields(authorization("Mufasa", "Circle Of Life", challenge, 1, "GET", URL, cnonce="0a4f113b"))
    assert sent["response"] == "6629fae49393a05397450978507c4ef1"
    assert (sent["uri"], sent["qop"], sent["nc"], sent["opaque"]) == (
        "/dir/index.html", "auth", "00000001", "5ccc069c403ebaf9f0171e9517f40e41")


@pytest.mark.parametrize("algorithm, response", [
    ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
    ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
])
def test_the_worked_examples_of_rfc_7616(algorithm, response):
    challenge = {"realm": "http-auth@example.org", "qop": "auth, auth-int", "algorithm": algorithm,
                 "nonce": "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                 "opaque": "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"}
    sent = fields(authorization("Mufasa", "Circle of Life", challenge, 1, "GET", URL,
                                cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"))
    assert (sent["response"], sent["algorithm"]) == (response, algorithm)


def test_without_qop_the_rfc_2069_response_is_sent_and_no_nonce_count():
    sent = fields(authorization("root", "pass", {"realm": "AXIS_1", "nonce": "abc"}, 3, "GET", URL + "?a=1"))
    assert "nc" not in sent and "qop" not in sent and sent["uri"] == "/dir/index.html?a=1"
    assert len(sent["response"]) == 32


def test_the_nonce_count_is_the_count_given_in_hex():
    sent = fields(authorization("root", "pass", {"realm": "r", "nonce": "n", "qop": "auth"}, 26, "GET", URL))
    assert sent["nc"] == "0000001a"


@pytest.mark.parametrize("challenge", [
    {"realm": "r", "nonce": "n", "qop": "auth-int"},
    {"realm": "r", "nonce": "n", "algorithm": "SHA-3"},
])
def test_what_this_cannot_answer_gets_no_header(challenge):
    assert authorization("root", "pass", challenge, 1, "GET", URL) is None


def test_a_username_with_a_quote_is_escaped_in_its_quoted_string():
    sent = authorization('ro"ot', "pass", {"realm": "r", "nonce": "n"}, 1, "GET", URL)
    assert 'username="ro\\"ot"' in sent
    assert fields(sent)["username"] == 'ro"ot'


def test_a_digest_challenge_is_read_beside_a_basic_one():
    header = 'Basic realm="AXIS_1", Digest realm="AXIS_1", nonce="a,b=", algorithm=MD5, qop="auth", stale=true'
    assert parse_challenge(header) == {"realm": "AXIS_1", "nonce": "a,b=", "algorithm": "MD5", "qop": "auth",
                                       "stale": "true"}
    header = 'Digest realm="AXIS_1", nonce="n1", Basic realm="AXIS_1"'
    assert parse_challenge(header) == {"realm": "AXIS_1", "nonce": "n1"}


@pytest.mark.parametrize("header", [None, "", 'Basic realm="x"', 'Digest realm="x"'])
def test_no_digest_challenge_is_none(header):
    assert parse_challenge(header) is None


def test_every_digest_challenge_is_read_in_the_order_offered():
    """requests joins several WWW-Authenticate headers with commas: one header or several read alike."""
    header = ('Digest realm="r", nonce="n1", qop="auth", algorithm=SHA3-256, Basic realm="digest x", '
              'Negotiate, Digest realm="a, Digest b=c", nonce="n2", algorithm=MD5,Digest realm="r"')
    assert parse_challenges(header) == [
        {"realm": "r", "nonce": "n1", "qop": "auth", "algorithm": "SHA3-256"},
        {"realm": "a, Digest b=c", "nonce": "n2", "algorithm": "MD5"}]


@pytest.fixture(scope="module")
def camera():
    with EmulatorFleet(count=1, latency_ms=50) as fleet:
        yield fleet.cameras[0]


def _get_at_once(session, url, count):
    answers = [None] * count

    def get(number):
        answers[number] = session.get(url, timeout=10).status_code

    threads = [threading.Thread(target=get, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return answers


@pytest.fixture
def session(camera):
    """A session with the shared Digest authentication whose first request answered the camera's challenge."""
    camera.reset()
    with requests.Session() as signed_in:
        signed_in.auth = SharedDigestAuth("root", "pass")
        assert signed_in.get(camera.url + DISKS, timeout=10).status_code == 200
        yield signed_in


def test_one_challenge_serves_many_threads_at_once(camera, session):
    assert _get_at_once(session, camera.url + DISKS, 6) == [200] * 6
    assert camera.challenge_count() == 1
    assert len(camera.log()) == 8
    assert camera.most_at_once() >= 2


def test_a_nonce_the_camera_forgot_is_replaced_once_for_every_thread(camera, session):
    with camera.auth.lock:
        camera.auth.nonces.clear()
    assert _get_at_once(session, camera.url + DISKS, 4) == [200] * 4
    # Each thread that sent the forgotten nonce was told it is stale (401) and answered the new challenge
    # (all four, unless one started after another had adopted a new nonce already).
    assert 1 + 1 <= [entry["status"] for entry in camera.log()].count(401) <= 1 + 4


def test_a_wrong_password_is_refused_after_one_new_try():
    with EmulatorFleet(count=1) as fleet:
        wrong = requests.Session()
        wrong.auth = SharedDigestAuth("root", "wrong")
        answer = wrong.get(fleet.cameras[0].url + DISKS, timeout=10)
        wrong.close()
        assert answer.status_code == 401
        assert fleet.cameras[0].challenge_count() == 2


def test_the_body_of_a_challenge_is_not_read_whole():
    """The 401 answering the first request was read whole into memory before the request went again, past the
    8 MiB no answer may exceed (a body without end: without end)."""
    asked, written, size = [], [], 64 << 20
    with serving(challenging(asked, body_bytes=size, written=written, accept=True)) as camera:
        client = VapixClient(LOOPBACK, "root", "pass", port=camera.server_address[1], protocol="http", timeout=5)
        assert client.param_list(["Brand"]) == {"Brand.Brand": "AXIS"}
        client.close()
    assert asked[0] is None and asked[1].startswith("Digest ") and len(asked) == 2
    assert sum(written) < size // 2


@pytest.mark.parametrize("write", [False, True])
def test_the_challenge_round_trip_ends_at_the_timeout_however_its_body_drips(write):
    """The 401 answering the first request dripped its body a byte every 0.4 s: a request with timeout 1 took 9 s.
    A read is tried again (signed with the challenge it got, answered at once); a write is not."""
    asked, sleeps = [], []
    with dripping("challenge", asked=asked) as port:
        client = VapixClient(LOOPBACK, "root", "pass", port=port, protocol="http", timeout=1, sleep=sleeps.append)
        started = time.monotonic()
        if write:
            with pytest.raises(VapixError) as info:
                client.request("param.cgi", [("action", "update"), ("Brand.X", "y")], write=True)
            # Refused (401) and never sent signed: nothing was applied (see test_client's
            # test_a_write_whose_challenge_the_deadline_cuts_is_not_said_to_be_applied).
            assert info.value.error_class == "timeout" and "may have applied" not in str(info.value)
            assert client.unanswered_writes == 0
        else:
            assert client.param_list(["Brand"]) == {"Brand.Brand": "AXIS"}
        took = time.monotonic() - started
        client.close()
    assert 1 <= took < 1.5
    assert asked[0] is None and (asked[1:] == [] if write else asked[1].startswith("Digest "))


def _signed_correctly(header, password="pass"):
    """Whether the Authorization header answers its challenge with password (qop auth, MD5)."""
    sent = fields(header)

    def md5(*parts):
        return hashlib.md5(":".join(parts).encode()).hexdigest()

    expected = md5(md5(sent["username"], sent["realm"], password), sent["nonce"], sent["nc"], sent["cnonce"], "auth",
                   md5("GET", sent["uri"]))
    return sent["response"] == expected


@pytest.mark.parametrize("offered", [
    ('Digest realm="r", nonce="n1", qop="auth", algorithm=SHA3-256',
     'Digest realm="r", nonce="n2", qop="auth", algorithm=MD5'),
    ('Digest realm="r", nonce="n1", qop="auth", algorithm=SHA3-256, Digest realm="r", nonce="n2", qop="auth", '
     'algorithm=MD5',),
    ('Digest realm="r", nonce="n1", qop="auth-int", Digest realm="r", nonce="n2", qop="auth", algorithm=MD5',),
])
def test_the_first_challenge_this_can_answer_is_answered(offered):
    """Only the first Digest challenge was read: a camera offering SHA3-256 first and MD5 second (each in a header
    of its own, or both in one) was refused as 'the camera offers Digest and Digest authentication'."""
    asked = []
    with serving(challenging(asked, accept=True, offered=offered)) as camera:
        client = VapixClient(LOOPBACK, "root", "pass", port=camera.server_address[1], protocol="http", timeout=5)
        assert client.param_list(["Brand"]) == {"Brand.Brand": "AXIS"}
        client.close()
    assert asked[0] is None and len(asked) == 2
    assert (fields(asked[1])["nonce"], fields(asked[1])["algorithm"]) == ("n2", "MD5") and _signed_correctly(asked[1])


@pytest.mark.parametrize("offered, wanted", [
    (('Digest realm="r", nonce="n", qop="auth-int"',), "qop auth-int"),
    (('Digest realm="r", nonce="n", qop="auth", algorithm=SHA3-256',), "algorithm SHA3-256"),
    (('Digest realm="r", nonce="n1", algorithm=SHA3-256', 'Digest realm="r", nonce="n2", qop="auth-int"'),
     "algorithm SHA3-256 or qop auth-int"),
])
def test_a_challenge_this_cannot_answer_is_named_and_not_taken_for_a_wrong_password(offered, wanted):
    """A camera asking for qop auth-int only was told 'check username and password', though none was sent."""
    asked = []
    with serving(challenging(asked, offered=offered)) as camera:
        client = VapixClient(LOOPBACK, "root", "pass", port=camera.server_address[1], protocol="http", timeout=5)
        with pytest.raises(VapixError) as info:
            client.param_list(["Brand"])
        client.close()
    shown = str(info.value)
    assert info.value.error_class == "auth" and asked == [None]
    assert "the camera asks for Digest authentication with %s, which this client cannot answer, so no credentials " \
           "were sent" % wanted in shown
    assert "let the camera offer Digest with algorithm MD5 or SHA-256 and qop auth" in shown
    assert "check username and password" not in shown


def test_a_camera_offering_digest_twice_is_named_once_when_the_password_is_refused():
    asked = []
    offered = ('Digest realm="r", nonce="n", qop="auth", algorithm=SHA-256', 'Digest realm="r", nonce="n", qop="auth"')
    with serving(challenging(asked, offered=offered)) as camera:
        client = VapixClient(LOOPBACK, "root", "wrong", port=camera.server_address[1], protocol="http", timeout=5)
        with pytest.raises(VapixError) as info:
            client.param_list(["Brand"])
        client.close()
    assert "check username and password (the camera offers Digest authentication)" in str(info.value)
    assert fields(asked[1])["algorithm"] == "SHA-256"
