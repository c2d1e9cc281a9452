# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Answers that are well-formed but inconsistent with the request, or with themselves, are damaged answers.

Each case injects one answer fault into the emulator and runs the module's action plugin in-process
(tests/integration/inprocess.py). Each shows: the task fails with ``error_class: damaged_answer`` and a
message naming the CGI and what does not agree; nothing destructive reached the camera.
"""

from __future__ import annotations

import re

import pytest
import requests
from requests.auth import HTTPDigestAuth

from ansible_collections.vapix.edge_storage.plugins.module_utils import _device
from tests.integration import inprocess

# Not "pass" (the emulator's default), which every message would mask inside the word "passphrase".
ADMIN_PASSWORD = "Camera-Admin-7"
USERS = {"root": (ADMIN_PASSWORD, "admin")}
RECORDINGS = "record/list.cgi"
DISKS = "disks/list.cgi"


@pytest.fixture
def camera_options():
    return {"users": USERS}


def run_tasks(camera, tasks, **kwargs):
    return inprocess.run_tasks(camera, tasks, defaults={"password": ADMIN_PASSWORD}, **kwargs)


def task(module, **options):
    return {"name": "task", "vapix.edge_storage.%s" % module: options}


def recording_ids(camera):
    with camera.model.lock:
        return sorted(r.rec_id for r in camera.model.recordings)


def camera_answer(camera, cgi, **args):
    """The camera's own answer to a request, as text."""
    answer = requests.get(camera.url + "/axis-cgi/" + cgi, params=args, auth=HTTPDigestAuth("root", ADMIN_PASSWORD),
                          timeout=10)
    answer.raise_for_status()
    return answer.text


def unfiltered_list(camera):
    """The camera's own answer to a list.cgi request without filters: every recording it has."""
    return camera_answer(camera, RECORDINGS, recordingid="all")


# -- record/list.cgi that ignores the filter -----------------------------------------------------------

# The emulator's factory recordings on SD_DISK: motion on 11-20 08:00 and 11-21 12:30, audio detection
# on 11-22 18:00. Each selection matches fewer than all three (the first none at all).
SELECTIONS = [
    ({"disk_id": "NetworkShare"}, "it is on disk SD_DISK, and disk NetworkShare was asked"),
    ({"event_id": "motion"}, "its event id is 'audio detection', and event id 'motion' was asked"),
    ({"before": "2026-11-21T00:00:00Z"},
     "it starts at 2026-11-22T18:00:00.000000Z, after the stop time 2026-11-21T00:00:00Z that was asked"),
]


@pytest.mark.parametrize("check", [False, True], ids=["run", "check"])
@pytest.mark.parametrize("selection, why", SELECTIONS, ids=["disk", "event", "before"])
def test_a_recording_listed_outside_the_selection_refuses_the_removal(camera, selection, why, check):
    """A list.cgi answer that ignores the filter (the camera's full list) made axis_recording remove every
    recording on SD_DISK; a listed recording the request does not select is a damaged answer."""
    everything = recording_ids(camera)
    camera.inject(answer={"path": RECORDINGS, "kind": "replace_body", "body": unfiltered_list(camera)})
    camera.clear_log()
    run = run_tasks(camera, [task("axis_recording", allow_data_loss=True, **selection)], check=check)
    result = run.result("task")
    assert run.failed == 1, run
    assert result["error_class"] == "damaged_answer" and result["changed"] is False, result
    assert "record/list.cgi" in result["msg"] and why in result["msg"], result["msg"]
    assert "it did not apply the filter, so its list is not used" in result["msg"]
    assert camera.write_count() == 0
    assert recording_ids(camera) == everything


def test_a_removal_by_ids_on_a_disk_is_refused_when_the_list_holds_another_disk(camera):
    everything = recording_ids(camera)
    camera.inject(answer={"path": RECORDINGS, "kind": "replace_body", "body": unfiltered_list(camera)})
    run = run_tasks(camera, [task("axis_recording", recording_ids=everything, disk_id="NetworkShare",
                                  allow_data_loss=True)])
    result = run.result("task")
    assert result["error_class"] == "damaged_answer", result
    assert "disk NetworkShare was asked" in result["msg"]
    assert camera.write_count() == 0 and recording_ids(camera) == everything


@pytest.mark.parametrize("options, why", [
    ({"disk_id": "NetworkShare"}, "it is on disk SD_DISK, and disk NetworkShare was asked"),
    ({"event_id": "motion"}, "its event id is 'audio detection', and event id 'motion' was asked"),
    ({"start": "2026-11-22T00:00:00Z"}, ", before the start time 2026-11-22T00:00:00Z that was asked"),
], ids=["disk", "event", "start"])
def test_axis_recording_info_reports_no_recording_outside_what_it_asked_for(camera, options, why):
    camera.inject(answer={"path": RECORDINGS, "kind": "replace_body", "body": unfiltered_list(camera)})
    run = run_tasks(camera, [task("axis_recording_info", **options)])
    result = run.result("task")
    assert result["error_class"] == "damaged_answer", result
    assert why in result["msg"] and "recordings" not in result
    # the fault spent, the same question is answered from the camera's filtered list
    assert run_tasks(camera, [task("axis_recording_info", **options)]).failed == 0


# -- the re-read after the declared passphrase was tried on a card encrypted elsewhere -------------------

CARD_PASSPHRASE = "from another camera"


def without_encryption_state(camera):
    """A fault: the camera's disk list as it is now, without encryptionenabled and diskencrypted."""
    body = camera_answer(camera, DISKS, diskid="all")
    return {"kind": "replace_body", "body": re.sub(r'\s(encryptionenabled|diskencrypted)="[^"]*"', "", body)}


def damage_the_read_after_enable(monkeypatch, camera, fault):
    """The first disks/list.cgi answer after enablediskencryption.cgi (the unlock step's re-read) is damaged;
    fault is an answer fault, or a function of the camera that gives one."""
    enable = _device.Device.enable_encryption

    def enable_then_damage(device, disk_id, passphrase):
        enable(device, disk_id, passphrase)
        camera.inject(answer=dict(fault(camera) if callable(fault) else fault, path=DISKS))
    monkeypatch.setattr(_device.Device, "enable_encryption", enable_then_damage)


def writes(camera):
    return [entry["path"].split("/axis-cgi/", 1)[-1] for entry in camera.log() if entry["write"]]


@pytest.mark.parametrize("fault, why", [
    # 'no passphrase' says encryption is disabled: both flags true contradict it (the audit's case)
    ({"kind": "set_attribute", "name": "status", "value": "no passphrase"},
     "status 'no passphrase' means encryption disabled and the content encrypted"),
    ({"kind": "set_attribute", "name": "encryptionenabled", "value": "false"},
     "status 'wrong passphrase' means encryption enabled and the content encrypted"),
    (without_encryption_state, "reports no encryption state (encryptionenabled, diskencrypted) for SD_DISK"),
], ids=["no-passphrase-both-flags", "wrong-passphrase-disabled", "no-encryption-state"])
@pytest.mark.parametrize("allow_data_loss", [True, False], ids=["opt-in", "no-opt-in"])
def test_the_card_is_not_formatted_or_mounted_on_a_damaged_read_after_the_passphrase_was_tried(
        make_camera, monkeypatch, fault, why, allow_data_loss):
    """The unlock step formatted the card on 'no passphrase' with both encryption flags true, values the plan
    refuses as contradicting each other; the step's re-read gets the same check before its format."""
    camera = make_camera("modern-encrypted")
    camera.inject(insert="SD_DISK", card_passphrase=CARD_PASSPHRASE)
    damage_the_read_after_enable(monkeypatch, camera, fault)
    camera.clear_log()
    run = run_tasks(camera, [task("axis_encryption", enabled=True, passphrase="secret",
                                  allow_data_loss=allow_data_loss)])
    result = run.result("task")
    assert run.failed == 1, run
    assert result["error_class"] == "damaged_answer", result
    assert "disks/list.cgi" in result["msg"] and why in result["msg"], result["msg"]
    assert "neither a format nor a mount follows" in result["msg"], result["msg"]
    # what was done is said, and reported as a change
    assert result["changed"] is True
    assert "2 changes were made before it: disable encryption on SD_DISK (forget the camera's passphrase); " \
           "enable encryption on SD_DISK with the given passphrase" in result["msg"]
    assert writes(camera) == ["disks/properties/disablediskencryption.cgi",
                              "disks/properties/enablediskencryption.cgi"]
    with camera.model.lock:
        disk = camera.model.disk("SD_DISK")
        assert (disk.card_passphrase, disk.encrypted, disk.mounted) == (CARD_PASSPHRASE, True, False)


# -- an export answer that is not the whole recording ----------------------------------------------------

EXPORT = "record/export/exportrecording.cgi"
RECORDING_ID = "20261120_080000_0694_ACCC8EF7DE6B"
HTML = "<html><head><title>Error</title></head><body><h1>500 Internal error</h1></body></html>"
MOTION = {"event_id": "motion", "start": "2026-11-19T00:00:00Z", "stop": "2026-11-23T00:00:00Z"}

BAD_EXPORTS = [
    ({"kind": "replace_body", "body": HTML, "content_type": "text/html"},
     "(no EBML header 1A 45 DF A3): it starts with '<html><head><title>Error</title></head><', an HTML or XML "
     "page as a camera answers an error"),
    ({"kind": "replace_body", "body": HTML, "content_type": "text/plain"}, "an HTML or XML page"),
    ({"kind": "replace_body", "body": "", "content_type": "video/x-matroska"}, "the answer is empty"),
    # the emulator cuts the body with a matching Content-Length, as a proxy would deliver it
    ({"kind": "truncate"}, "the answer is 91 bytes long, but its Matroska Segment says the file is 182 bytes: it was "
                           "cut off"),
]


def files_in(directory):
    return {path.name: path.read_bytes() for path in directory.iterdir()}


def export_task(dest, **options):
    return task("axis_recording_export", dest=str(dest), recording_ids=[RECORDING_ID], **options)


def assert_export_refused(run, why, path):
    result = run.result("task")
    assert run.failed == 1, run
    assert result["error_class"] == "damaged_answer", result
    assert EXPORT in result["msg"] and why in result["msg"], result["msg"]
    assert "it is not saved as %s" % path in result["msg"]


@pytest.mark.parametrize("fault, why", BAD_EXPORTS, ids=["html", "html-as-text", "empty", "cut-off"])
def test_forced_export_keeps_the_earlier_file_when_the_answer_is_not_the_recording(camera, tmp_path, fault, why):
    """An HTML error page, an empty body or a cut-off body with status 200 was saved as the recording, and
    with force: true replaced a good earlier export."""
    assert run_tasks(camera, [export_task(tmp_path)]).failed == 0
    good = files_in(tmp_path)
    assert list(good) == [RECORDING_ID + ".mkv"] and good[RECORDING_ID + ".mkv"][:4] == b"\x1a\x45\xdf\xa3"
    camera.inject(answer=dict(fault, path=EXPORT))
    run = run_tasks(camera, [export_task(tmp_path, force=True)])
    assert_export_refused(run, why, tmp_path / (RECORDING_ID + ".mkv"))
    assert "and the file there from an earlier export is kept as it was" in run.result("task")["msg"]
    assert files_in(tmp_path) == good       # the old file intact, no temporary file left


@pytest.mark.parametrize("fault, why", BAD_EXPORTS, ids=["html", "html-as-text", "empty", "cut-off"])
def test_a_first_export_writes_no_file_when_the_answer_is_not_the_recording(camera, tmp_path, fault, why):
    camera.inject(answer=dict(fault, path=EXPORT))
    run = run_tasks(camera, [export_task(tmp_path)])
    assert_export_refused(run, why, tmp_path / (RECORDING_ID + ".mkv"))
    assert files_in(tmp_path) == {}
    # the fault spent, the same task exports the recording
    assert run_tasks(camera, [export_task(tmp_path)]).failed == 0 and list(files_in(tmp_path)) == [
        RECORDING_ID + ".mkv"]


@pytest.mark.parametrize("fault, why", [
    ({"kind": "replace_body", "body": HTML, "content_type": "text/html"},
     "the answer is not a ZIP archive (no local file header PK\\x03\\x04): it starts with '<html>"),
    ({"kind": "replace_body", "body": "", "content_type": "application/zip"}, "the answer is empty"),
    ({"kind": "truncate"}, "the answer is not a whole ZIP archive"),
], ids=["html", "empty", "cut-off"])
def test_a_password_protected_export_must_be_a_whole_zip_archive(make_camera, tmp_path, fault, why):
    camera = make_camera("modern-export-zip")
    camera.inject(answer=dict(fault, path=EXPORT))
    run = run_tasks(camera, [export_task(tmp_path, export_password="evid3nce!")])
    assert_export_refused(run, why, tmp_path / (RECORDING_ID + ".zip"))
    assert files_in(tmp_path) == {}


def test_an_export_body_shorter_than_its_content_length_is_not_saved(camera, tmp_path):
    """The camera announces the whole file and the connection closes half-way through it: the HTTP client
    refuses the answer (a transport error, after its retries), and nothing is saved."""
    assert run_tasks(camera, [export_task(tmp_path)]).failed == 0
    good = files_in(tmp_path)
    camera.inject(answer={"path": EXPORT, "kind": "cut_short", "times": 3})   # each of the client's 3 tries
    run = run_tasks(camera, [export_task(tmp_path, force=True)])
    result = run.result("task")
    assert run.failed == 1, run
    assert EXPORT in result["msg"] and "without a complete answer" in result["msg"], result["msg"]
    assert files_in(tmp_path) == good


@pytest.mark.parametrize("recording_id", ["../../escaped", "/tmp/escaped", ".hidden", "a\\b"])
def test_a_recording_id_that_is_no_plain_file_name_exports_nothing(camera, tmp_path, recording_id):
    """The export names each file after its recording's id: an id that is a path (a damaged or hostile
    answer) would have it write outside dest, so the list is refused before any export request."""
    dest = tmp_path / "exports" / "deeper"
    camera.inject(answer={"path": "record/list.cgi", "kind": "set_attribute", "name": "recordingid",
                          "value": recording_id, "times": 3})
    run = run_tasks(camera, [task("axis_recording_export", dest=str(dest), **MOTION)])
    result = run.result("task")
    assert run.failed == 1 and result["error_class"] == "damaged_answer", result
    assert "which is not a plain file name" in result["msg"] and "nothing is exported" in result["msg"]
    assert not any("exportrecording" in entry["path"] for entry in camera.log())
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []
