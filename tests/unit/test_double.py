# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared test double (tests/unit/double.py) fails where it must, and is the only one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

from tests.unit import double
from tests.unit.double import Call, Transcript, TranscriptMismatch, module_params

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

FAKE_CLASS = re.compile(r"^\s*class\s+(\w*(?:Fake|Fixture|Stub|Mock)\w*|\w*(?:Device|Client))\b|"
                        r"^\s*class\s+\w+\((?:[\w.]*\.)?(?:VapixClient|Device|BaseAdapter)\)", re.M)


def test_no_test_local_fake_beside_the_shared_double():
    found = []
    for path in sorted(UNIT.rglob("*.py")):
        if path.name == "double.py":
            continue
        found += [f"{path.name}: {match.group(0).strip()}" for match in FAKE_CLASS.finditer(path.read_text())]
    assert found == [], "use tests/unit/double.py (Transcript) instead of a hand-rolled fake: %s" % found


SHARED_FOLDER = re.compile(r"/work/shared|shared/(?:real-devices|vapix)|\"shared\"\s*[/,)]")


def test_tests_do_not_read_the_shared_folder_at_run_time():
    """The real-device captures are copied into tests/unit/fixtures/real-devices; users lack ../shared."""
    readers = [str(path.relative_to(UNIT.parent)) for path in sorted(UNIT.parent.rglob("*.py"))
               if path.name != "test_double.py" and SHARED_FOLDER.search(path.read_text())]
    assert readers == []
