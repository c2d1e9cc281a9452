# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared test double (tests/unit/double.py) fails where it must, and is the only one."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import requests

from tests.unit import double
from tests.unit.double import Call, Transcript, TranscriptMismatch, module_params

from ansible_collections.vapix.edge_storage.plugins.module_utils._client import VapixClient
from ansible_collections.vapix.edge_storage.plugins.module_utils._device import Device
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import VapixError
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_disk import ARGUMENT_SPEC

UNIT = Path(__file__).resolve().parent
LOCK = Call("disks/lock.cgi", {"action": "lock", "diskid": "SD_DISK"}).answers(
    '<root><lock diskid="SD_DISK" result="OK"/></root>')
LIST = Call("disks/list.cgi", {"diskid": "all"}).answers_file("disk_list_modern.xml")


def used_up(transcript):
    """Take transcript off the conftest's end-of-test check (the test checks it itself)."""
    double.LIVE.remove(transcript)
    return transcript


def test_answers_in_order_and_records_what_was_sent_and_which_requests_were_writes():
    camera = Transcript(LIST, LOCK)
    device = camera.device()
    assert sorted(device.disks()) == ["NetworkShare", "SD_DISK"]
    device.lock_disk("SD_DISK", True)
    assert camera.paths == ["disks/list.cgi", "disks/lock.cgi"]
    assert camera.writes == [("disks/lock.cgi", {"action": "lock", "diskid": "SD_DISK"})]
    camera.assert_done()


def test_an_unexpected_call_fails_clearly_even_when_the_code_catches_exceptions():
    camera = used_up(Transcript(LIST))
    with pytest.raises(TranscriptMismatch, match=r"request 1 was not expected: GET disks/lock.cgi .*expected "
                                                 r"GET disks/list.cgi with diskid=all"):
        try:
            camera.device().lock_disk("SD_DISK", True)
        except Exception:  # pylint: disable=broad-except  # what the engine does with a failing step
            pass
    with pytest.raises(AssertionError, match="request 1 was not expected"):
        camera.assert_done()


def test_a_call_out_of_order_names_the_call_it_matches():
    camera = used_up(Transcript(LIST, LOCK))
    with pytest.raises(TranscriptMismatch, match="request 1 is out of order: .* is expected later \\(call 2 of the 2 left\\)"):
        camera.device().lock_disk("SD_DISK", True)


def test_a_call_with_other_parameters_names_them():
    camera = used_up(Transcript(Call("disks/lock.cgi", {"action": "unlock", "diskid": "SD_DISK"})))
    with pytest.raises(TranscriptMismatch, match="action='lock' \\(expected 'unlock'\\)"):
        camera.device().lock_disk("SD_DISK", True)


def test_exact_parameters_refuse_one_more():
    camera = used_up(Transcript(Call("disks/lock.cgi", {"action": "lock"}, exact=True)))
    with pytest.raises(TranscriptMismatch, match="diskid='SD_DISK' \\(not expected\\)"):
        camera.device().lock_disk("SD_DISK", True)


def test_a_post_body_must_be_the_expected_one():
    camera = Transcript(Call.post("apidiscovery.cgi", {"apiVersion": "1.0", "method": "getApiList"}).answers(
        '{"apiVersion": "1.0", "data": {"apiList": [{"id": "disk-management", "version": "1.0"}]}}'))
    assert camera.device().api_list() == {"disk-management": "1.0"}
    wrong = used_up(Transcript(Call.post("apidiscovery.cgi", {"method": "getSupportedVersions"})))
    with pytest.raises(TranscriptMismatch, match="body"):
        wrong.device().api_list()


def test_expected_calls_left_over_fail():
    camera = used_up(Transcript(LIST, LOCK))
    camera.device().disks()
    with pytest.raises(AssertionError, match="1 expected call\\(s\\) were not made, first: GET disks/lock.cgi"):
        camera.assert_done()


def test_statuses_headers_and_transport_errors_reach_the_real_client():
    camera = Transcript(
        Call("disks/list.cgi").answers("", status=403),
        Call("param.cgi").answers("root.Brand.Brand=AXIS\n", headers={"Content-Type": "text/plain; charset=utf-8",
                                                                      "Date": "Mon, 30 Nov 2026 05:00:00 GMT"}),
        Call("disks/lock.cgi").fails(requests.exceptions.ConnectTimeout("timed out")))
    client = camera.client()
    with pytest.raises(VapixError) as info:
        client.xml("disks/list.cgi", [("diskid", "all")])
    assert info.value.error_class == "forbidden"
    assert client.param_list(["Brand"]) == {"Brand.Brand": "AXIS"}
    assert client.camera_date == "Mon, 30 Nov 2026 05:00:00 GMT"
    with pytest.raises(VapixError) as info:
        client.xml("disks/lock.cgi", [("action", "lock")], write=True)
    assert info.value.error_class == "timeout" and client.unanswered_writes == 1
    assert camera.writes == [("disks/lock.cgi", {"action": "lock"})]


def test_module_params_apply_defaults_aliases_and_types():
    params = module_params(ARGUMENT_SPEC, disk_id="SD_DISK", allow_format=True, cleanup_max_age="30")
    assert params["allow_data_loss"] is True and params["cleanup_max_age"] == 30
    assert params["job_timeout"] == 600 and params["friendly_name"] is None
    with pytest.raises(AssertionError, match="cleanup_policy"):
        module_params(ARGUMENT_SPEC, disk_id="SD_DISK", cleanup_policy="lifo")


# -- one double, and captures that stay in the repository ---------------------------------------------

TESTS = UNIT.parent
# A class that stands in for the camera, its HTTP server, the client or a resource: by its name, or by
# what it subclasses (the collection's client, device and resources; requests' adapters and sessions;
# the standard library's HTTP servers and request handlers).
FAKE_CLASS = re.compile(
    r"^[ \t]*class[ \t]+(?:(?P<named>\w*(?:Fake|Fixture|Stub|Mock)\w*|\w*(?:Device|Client))\b"
    r"|(?P<derived>\w+)[ \t]*\([^)]*\b(?:VapixClient|Device|Resource|UndeclaredRemoval|BaseAdapter|HTTPAdapter"
    r"|Session|BaseHTTPRequestHandler|SimpleHTTPRequestHandler|BaseRequestHandler|StreamRequestHandler"
    r"|HTTPServer|ThreadingHTTPServer|TCPServer)\b[^)]*\))", re.M)
# The shared stand-ins, where such classes belong (paths relative to tests/).
SHARED_STAND_INS = (
    "unit/double.py",   # the one double of the unit tests (its requests adapter)
    "emulator/",        # the camera emulator: the one camera over HTTP for functional and integration tests
    "loopback.py",      # the loopback endpoints that are no camera (NotACamera), in one documented place
)
# Classes the pattern matches that stand in for nothing, and why (relative path, class name).
NOT_A_FAKE = {
    # A requests client (Digest auth per access level) the emulator's functional tests send their requests
    # with: a client of the emulator, not a stand-in for the camera or for the collection's VapixClient.
    ("functional/conftest.py", "Client"),
}


# What a duck-typed camera would define: the public methods and properties of Device and VapixClient
# (close aside: anything holding a connection has one).
INTERFACE = {name for cls in (Device, VapixClient) for name in vars(cls) if not name.startswith("_")} - {"close"}


def duck_typed(text):
    """(class name, line) of each class in text that defines two or more names of the device's or client's
    interface (a toy device such as a 'Store' with write_count, invalidate and firmware_version)."""
    return [(node.name, node.lineno) for node in ast.walk(ast.parse(text)) if isinstance(node, ast.ClassDef)
            and len(INTERFACE & {item.name for item in node.body
                                 if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))}) >= 2]


def local_fakes(path, text):
    """The test-local fake classes in text, the source of path (relative to tests/): ['path: class ...']."""
    if path.startswith(SHARED_STAND_INS):
        return []
    found = [(match.group("named") or match.group("derived"), match.group(0).strip())
             for match in FAKE_CLASS.finditer(text)]
    found += [(name, "class %s (line %d) acts as a device or client" % (name, line)) for name, line in duck_typed(text)
              if name not in [named for named, _shown in found]]
    return [f"{path}: {shown}" for name, shown in found if (path, name) not in NOT_A_FAKE]


def test_no_test_local_fake_beside_the_shared_double():
    found = []
    for source in sorted(TESTS.rglob("*.py")):
        path = source.relative_to(TESTS).as_posix()
        if not path.startswith("output/"):
            found += local_fakes(path, source.read_text(encoding="utf-8"))
    assert found == [], ("use tests/unit/double.py (Transcript), the emulator or tests/loopback.py instead of a "
                         "hand-rolled fake: %s" % found)


@pytest.mark.parametrize("path, source", [
    ("unit/test_x.py", "class FakeCamera:\n    pass\n"),
    ("unit/test_x.py", "class Store(Device):\n    pass\n"),
    ("unit/test_x.py", "def test_x():\n    class Thing(Resource):\n        kind = 'thing'\n"),
    ("unit/test_x.py", "class Replies(requests.adapters.HTTPAdapter):\n    pass\n"),
    ("integration/test_x.py", "class NotACamera(BaseHTTPRequestHandler):\n    pass\n"),
    ("functional/test_x.py", "class Recorder(object, http.server.BaseHTTPRequestHandler):\n    pass\n"),
    ("test_x.py", "class Server(ThreadingHTTPServer):\n    pass\n"),
    # The one exception is one class in one file.
    ("functional/conftest.py", "class Recorder(BaseHTTPRequestHandler):\n    pass\n"),
    ("integration/conftest.py", "class Client:\n    pass\n"),
    ("unit/test_x.py", "class Store:\n    def write_count(self):\n        pass\n\n"
                       "    def invalidate(self, *families):\n        pass\n"),
])
def test_the_guard_finds_a_fake_anywhere_in_the_tests(path, source):
    assert len(local_fakes(path, source)) == 1


@pytest.mark.parametrize("path, source", [
    ("unit/double.py", "class _Adapter(BaseAdapter):\n    pass\n"),
    ("emulator/server.py", "class Handler(BaseHTTPRequestHandler):\n    pass\n"),
    ("loopback.py", "class NotACamera(BaseHTTPRequestHandler):\n    pass\n"),
    ("functional/conftest.py", "class Client:\n    pass\n"),
    ("integration/harness.py", "class PlaybookRun(TaskResults):\n    pass\n"),
    ("docs/run.py", "class ShellState:\n    pass\n"),
])
def test_the_guard_leaves_the_shared_stand_ins_and_other_classes_alone(path, source):
    assert local_fakes(path, source) == []


SHARED_FOLDER = re.compile(r"/work/shared|shared/(?:real-devices|vapix)|\"shared\"\s*[/,)]")


def test_tests_do_not_read_the_shared_folder_at_run_time():
    """The real-device captures are copied into tests/unit/fixtures/real-devices; users lack ../shared."""
    readers = [str(path.relative_to(UNIT.parent)) for path in sorted(UNIT.parent.rglob("*.py"))
               if path.name != "test_double.py" and SHARED_FOLDER.search(path.read_text())]
    assert readers == []
