"""The emulator's clock: injectable through a hook, drives the Date header, recordings, gaps and cleanup."""

import datetime
import email.utils
import re

import requests

DAY = 86400


def hook(camera, path, body):
    r = requests.post(camera.url + "/_emulator/" + path, json=body, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def date_header(client):
    r = client.get("/axis-cgi/record/list.cgi", recordingid="all")
    assert r.status_code == 200
    return email.utils.parsedate_to_datetime(r.headers["Date"])


def recordings(client, **params):
    """[(start, stop, event id)], whole seconds; stop empty while the recording runs (the modern profile lists
    a running one with the stop time it has got to and recordingstatus="recording", times in microseconds)."""
    text = client.xml("/axis-cgi/record/list.cgi", sortorder="ascending", **params)
    found = re.findall(r'<recording [^>]*starttime="([^"]*)"[^>]*stoptime="([^"]*)"[^>]*eventid="([^"]*)"'
                       r'[^>]*recordingstatus="([^"]*)"', text)
    return [(start.replace(".000000Z", "Z"), "" if status == "recording" else stop.replace(".000000Z", "Z"), event)
            for start, stop, event, status in found]


def test_the_date_header_follows_the_camera_clock(camera, client):
    before = date_header(client)
    answer = hook(camera, "clock", {"advance": 3 * DAY})
    after = date_header(client)
    assert 3 * DAY - 5 <= (after - before).total_seconds() <= 3 * DAY + 5
    assert answer["now"].startswith(after.strftime("%Y-%m-%dT%H:%M"))
    real = datetime.datetime.now(datetime.UTC)
    assert (after - real).total_seconds() > 3 * DAY - 60


def test_the_clock_never_goes_back_and_reset_restores_it(camera, client):
    r = requests.post(camera.url + "/_emulator/clock", json={"advance": -60}, timeout=10)
    assert r.status_code == 400 and "does not go back" in r.json()["error"]
    hook(camera, "clock", {"advance": DAY})
    camera.reset("modern")
    real = datetime.datetime.now(datetime.UTC)
    assert abs((date_header(client) - real).total_seconds()) < 60


def test_a_restart_ends_the_recording_and_leaves_a_gap(camera, client):
    camera.model.add_profile("SD_DISK", "resolution=1280x720", "continuous")
    hook(camera, "clock", {"advance": 3600})
    hook(camera, "restart", {"seconds": 90})
    found = recordings(client, eventid="continuous")
    assert len(found) == 2
    (_first_start, first_stop, _first_event), (second_start, second_stop, _second_event) = found
    assert first_stop and not second_stop
    gap = (datetime.datetime.fromisoformat(second_start.replace("Z", "+00:00"))
           - datetime.datetime.fromisoformat(first_stop.replace("Z", "+00:00"))).total_seconds()
    assert gap == 90


def test_cleanup_removes_finished_recordings_older_than_the_max_age(camera, client):
    # factory recordings are from 2026-11-20..22; keep 1 day, then let two days pass
    camera.model.set_cleanup_max_age("SD_DISK", 1)
    camera.model.add_profile("SD_DISK", "resolution=1280x720", "continuous")
    hook(camera, "clock", {"advance": 2 * DAY})
    found = recordings(client, diskid="SD_DISK", recordingid="all")
    # the seed recordings aged out; the running continuous recording never does
    assert [event for _start, _stop, event in found] == ["continuous"]


def test_cleanup_removes_the_oldest_when_the_disk_is_fuller_than_its_level(camera, client):
    disk = camera.model.disk("SD_DISK")
    with camera.model.lock:
        # three seed recordings of 20 MiB each; make the disk so small that only two fit under the level
        disk.base_used_kb = 0
        disk.total_kb = 20480 * 2 * 100 // disk.cleanup_level + 1
    hook(camera, "clock", {"advance": 1})
    found = recordings(client, diskid="SD_DISK", recordingid="all")
    assert [start for start, _stop, _event in found] == ["2026-11-21T12:30:00Z", "2026-11-22T18:00:00Z"]


def test_a_full_disk_without_cleanup_ends_the_recording(camera, client):
    camera.model.set_cleanup_policy("SD_DISK", "none")
    camera.model.add_profile("SD_DISK", "resolution=1280x720", "continuous")
    disk = camera.model.disk("SD_DISK")
    with camera.model.lock:
        disk.base_used_kb = disk.total_kb          # nothing left
    hook(camera, "clock", {"advance": 60})
    found = recordings(client, eventid="continuous")
    assert len(found) == 1 and found[0][1], "the recording should have stopped on a full disk"
