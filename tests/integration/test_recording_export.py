# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_recording_export against the emulator: files on the controller.

The scenarios run the action plugin in-process (tests/integration/inprocess.py); the export with a password
goes through real ansible-playbook, whose output must not show it
(test_an_export_secret_gives_one_aes_zip_per_recording_that_opens_with_it)."""

from __future__ import annotations

import json
import struct

from tests.integration.checks import COPIED_ID, OTHER_ID, one_id_on_two_disks, refused_before_any_request
from tests.integration.harness import run_playbook
from tests.integration.inprocess import run_tasks

MODULE = "vapix.edge_storage.axis_recording_export"
WINDOW = {"start": "2026-11-19T00:00:00Z", "stop": "2026-11-23T00:00:00Z"}


def export_task(name="export", **options):
    return {"name": name, MODULE: options}


def read_vint(data, pos, keep_marker):
    first = data[pos]
    length = 8 - first.bit_length() + 1
    value = int.from_bytes(data[pos:pos + length], "big")
    if not keep_marker:
        value &= (1 << (7 * length)) - 1
    return value, pos + length


def ebml_elements(data):
    """{element id: payload} of one level of an EBML document."""
    found = {}
    pos = 0
    while pos < len(data):
        element_id, pos = read_vint(data, pos, True)
        size, pos = read_vint(data, pos, False)
        found[element_id] = data[pos:pos + size]
        pos += size
    return found


def matroska_info(path):
    top = ebml_elements(path.read_bytes())
    header = ebml_elements(top[0x1A45DFA3])
    info = ebml_elements(ebml_elements(top[0x18538067])[0x1549A966])
    return {"doctype": header[0x4282].decode(), "title": info[0x7BA9].decode(),
            "duration_ms": struct.unpack(">d", info[0x4489])[0]}


def seeded(camera):
    with camera.model.lock:
        return {r.rec_id: r for r in camera.model.recordings}


def test_check_mode_lists_the_files_and_writes_nothing(camera, tmp_path):
    dest = tmp_path / "evidence"
    camera.clear_log()
    run = run_tasks(camera, [export_task(dest=str(dest), **WINDOW)], check=True)
    assert run.rc == 0, run
    result = run.result("export")
    assert result["changed"] is True
    assert sorted(f["recording_id"] for f in result["files"]) == sorted(seeded(camera))
    assert all(f["size"] is None and f["estimated_kb"] > 0 for f in result["files"])
    assert result["steps"][0].startswith("export recording ")
    assert not dest.exists()
    assert camera.write_count() == 0


def test_export_writes_one_readable_matroska_file_per_recording_and_a_rerun_skips_them(camera, tmp_path):
    recordings = seeded(camera)
    task = export_task(dest=str(tmp_path), **WINDOW)
    run = run_tasks(camera, [task])
    assert run.rc == 0, run
    result = run.result("export")
    assert result["changed"] is True and result["skipped_recordings"] == []
    assert len(result["files"]) == 3
    for entry in result["files"]:
        path = tmp_path / ("%s.mkv" % entry["recording_id"])
        assert entry["path"] == str(path)
        assert entry["size"] == path.stat().st_size
        info = matroska_info(path)
        recording = recordings[entry["recording_id"]]
        assert info["doctype"] == "matroska" and info["title"] == entry["recording_id"]
        assert info["duration_ms"] == (recording.stop - recording.start).total_seconds() * 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted("%s.mkv" % rid for rid in recordings)
    assert camera.write_count() == 0

    again = run_tasks(camera, [task])
    assert again.rc == 0, again
    rerun = again.result("export")
    assert rerun["changed"] is False and rerun["files"] == []
    assert len(rerun["skipped_recordings"]) == 3 and all("force: true overwrites it" in s["why"] for s in rerun["skipped_recordings"])

    (tmp_path / ("%s.mkv" % result["files"][0]["recording_id"])).write_bytes(b"tampered")
    forced = run_tasks(camera, [export_task(dest=str(tmp_path), force=True, **WINDOW)])
    assert forced.rc == 0, forced
    assert len(forced.result("export")["files"]) == 3
    assert matroska_info(tmp_path / ("%s.mkv" % result["files"][0]["recording_id"]))["doctype"] == "matroska"


def test_event_id_and_recording_ids_narrow_the_export(camera, tmp_path):
    motion = sorted(rid for rid, r in seeded(camera).items() if r.event_id == "motion")
    run = run_tasks(camera, [
        export_task("by event", dest=str(tmp_path / "motion"), event_id="motion", **WINDOW),
        export_task("by id", dest=str(tmp_path / "one"), recording_ids=[motion[0], "20200101_000000_0000_NONE"],
                    **WINDOW),
    ])
    assert run.rc == 0, run
    assert sorted(f["recording_id"] for f in run.result("by event")["files"]) == motion
    by_id = run.result("by id")
    assert [f["recording_id"] for f in by_id["files"]] == [motion[0]]
    assert by_id["skipped_recordings"] == [
        {"what": "20200101_000000_0000_NONE", "why": "no such recording on the camera (or not in the selection)"}]


def test_a_recording_id_on_two_disks_gives_a_file_per_disk_named_after_it(make_camera, tmp_path):
    camera = make_camera("modern-share")
    one_id_on_two_disks(camera)
    camera.clear_log()
    task = export_task(dest=str(tmp_path), **WINDOW)
    run = run_tasks(camera, [task, export_task("by id", dest=str(tmp_path / "by-id"), recording_ids=[COPIED_ID],
                                               **WINDOW)])
    assert run.rc == 0, run
    # the id on two disks names each copy's file after its disk; the id on one disk keeps its plain name
    names = {"%s.SD_DISK.mkv" % COPIED_ID: "SD_DISK", "%s.NetworkShare.mkv" % COPIED_ID: "NetworkShare",
             "%s.mkv" % OTHER_ID: "SD_DISK"}
    files = run.result("export")["files"]
    assert sorted((f["path"], f["disk_id"]) for f in files) == sorted(
        (str(tmp_path / name), disk_id) for name, disk_id in names.items())
    assert sorted(path.name for path in tmp_path.iterdir() if path.is_file()) == sorted(names)
    assert all(matroska_info(tmp_path / name)["doctype"] == "matroska" for name in names)
    # each copy was exported from its own disk
    exported = sorted((entry["args"]["recordingid"], entry["args"]["diskid"]) for entry in camera.log()
                      if entry["path"].endswith("exportrecording.cgi"))
    assert exported == sorted([(COPIED_ID, "NetworkShare"), (COPIED_ID, "SD_DISK"), (OTHER_ID, "SD_DISK"),
                               (COPIED_ID, "NetworkShare"), (COPIED_ID, "SD_DISK")])
    # recording_ids selects every copy of the id
    assert sorted(f["disk_id"] for f in run.result("by id")["files"]) == ["NetworkShare", "SD_DISK"]
    # a rerun skips both copies, each by its own file
    again = run_tasks(camera, [task])
    assert again.rc == 0, again
    assert again.result("export")["files"] == []
    assert sorted(skip["what"] for skip in again.result("export")["skipped_recordings"]) == sorted(
        ["%s on disk NetworkShare" % COPIED_ID, "%s on disk SD_DISK" % COPIED_ID, OTHER_ID])


def test_an_export_that_fails_after_a_file_was_saved_is_changed_and_names_the_file(camera, tmp_path):
    recordings = seeded(camera)
    first, second, third = sorted(recordings, key=lambda rid: recordings[rid].start)
    # the second export's answer is cut off: the first file is saved, the second not, the third not asked
    camera.inject(answer={"path": "record/export/exportrecording.cgi", "kind": "truncate", "skip": 1})
    run = run_tasks(camera, [export_task(dest=str(tmp_path), **WINDOW)])
    assert run.rc != 0
    result = run.result("export")
    saved = str(tmp_path / ("%s.mkv" % first))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["%s.mkv" % first]
    # a file was written on the controller: changed, though nothing was written to the camera
    assert result["changed"] is True and result["writes"] == 0 and camera.write_count() == 0
    assert [entry["path"] for entry in result["files"]] == [saved]
    assert result["files"][0]["size"] == (tmp_path / ("%s.mkv" % first)).stat().st_size
    assert result["completed_steps"] == [f"export recording {first} from disk SD_DISK to {saved}"]
    assert second in result["failed_step"] and third in result["not_run_steps"][0]
    assert "1 change was made before it: export recording %s" % first in result["msg"]
    assert "nothing had been changed" not in result["msg"]
    assert result["state_now"] == ("the camera is unchanged; the file exported before the failure is complete and "
                                   "kept: %s" % saved)


def test_a_running_recording_is_exported_only_with_include_active(camera, tmp_path):
    with camera.model.lock:
        camera.model.recordings = []
        camera.model.add_profile("SD_DISK", "resolution=1280x720", "continuous")
    camera.model.advance_clock(300)
    run = run_tasks(camera, [export_task("skip", dest=str(tmp_path), start="1h"),
                             export_task("include", dest=str(tmp_path), start="1h", include_active=True)])
    assert run.rc == 0, run
    assert run.result("skip")["files"] == []
    assert "still recording" in run.result("skip")["skipped_recordings"][0]["why"]
    included = run.result("include")["files"]
    assert len(included) == 1
    assert 290 * 1000 <= matroska_info(tmp_path / ("%s.mkv" % included[0]["recording_id"]))["duration_ms"]


def test_an_export_secret_needs_the_encrypted_export_of_api_1_2(camera, tmp_path):
    # the modern profile's Export recording API is 1.1, without encryption
    run = run_tasks(camera, [export_task(dest=str(tmp_path), export_password="evid3nce!", **WINDOW)])
    assert run.rc != 0
    result = run.result("export")
    assert "encrypted export (zip-aes256)" in result["msg"] and "API 1.2" in result["msg"]
    assert "evid3nce!" not in json.dumps(run.results)     # every result the plugin returned, invocation included
    assert list(tmp_path.iterdir()) == []


def test_a_camera_without_the_export_api_is_refused(legacy_camera, tmp_path):
    run = run_tasks(legacy_camera, [export_task(dest=str(tmp_path), **WINDOW)])
    assert run.rc != 0
    assert "not supported by this camera: recording export" in run.result("export")["msg"]


def test_selection_is_required_before_any_request(camera, tmp_path):
    assert "select what to export" in refused_before_any_request(camera, export_task(dest=str(tmp_path)))


def test_an_export_secret_gives_one_aes_zip_per_recording_that_opens_with_it(make_camera, tmp_path):
    import pyzipper

    camera = make_camera("modern-export-zip")
    password = "evid3nce!&=x"
    run = run_playbook(camera, [export_task(dest=str(tmp_path), event_id="motion", export_password=password,
                                            **WINDOW)])
    assert run.rc == 0, run
    files = run.result("export")["files"]
    assert len(files) == 2 and all(f["encryption"] == "zip-aes256" for f in files)
    for entry in files:
        path = tmp_path / ("%s.zip" % entry["recording_id"])
        assert entry["path"] == str(path) and entry["size"] == path.stat().st_size
        with pyzipper.AESZipFile(str(path)) as archive:
            (name,) = archive.namelist()
            assert name.endswith(".mkv")
            archive.setpassword(password.encode())
            inner = tmp_path / "inner.mkv"
            inner.write_bytes(archive.read(name))
        assert matroska_info(inner)["title"] == entry["recording_id"]
        inner.unlink()
    # the password is in no result, no output and no request the camera logged
    assert password not in run.stdout + run.stderr + str(run.results)
    assert all(entry["args"].get("password") != password for entry in camera.log())
    assert any(entry["args"].get("password") for entry in camera.log())


def test_a_running_recording_listed_with_a_stop_time_is_still_running(camera, tmp_path):
    # Real firmware lists a running recording with the stop time it has got to and recordingstatus="recording"
    # (the recording API examples); without include_active it is not exported, as with an empty stop time.
    with camera.model.lock:
        camera.model.recordings = []
        camera.model.add_profile("SD_DISK", "resolution=1280x720", "continuous")
    camera.model.advance_clock(300)
    with camera.model.lock:
        reached = camera.model.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    camera.inject(answer={"path": "record/list.cgi", "kind": "set_attribute", "name": "stoptime", "value": reached,
                          "times": 10})
    run = run_tasks(camera, [export_task("skip", dest=str(tmp_path), start="1h")])
    assert run.rc == 0, run
    assert run.result("skip")["files"] == []
    assert "still recording" in run.result("skip")["skipped_recordings"][0]["why"]
    assert list(tmp_path.iterdir()) == []
