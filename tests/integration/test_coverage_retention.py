# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_recording_info's retention check against the emulator: a mounted disk with no recordings is listed, not
flagged (docs/recordings.md; the audit report reads it the same way), while a disk that holds recordings is
measured against the target."""

from __future__ import annotations

from tests.integration.inprocess import run_tasks

MODULE = "vapix.edge_storage.axis_recording_info"
DAY = 24 * 3600


def test_a_mounted_disk_without_recordings_is_listed_but_not_short_of_the_target(make_camera):
    camera = make_camera("modern-share")          # NetworkShare bound to nas1 and mounted, nothing on it
    with camera.model.lock:
        camera.model.recordings = []
        camera.model.add_profile("SD_DISK", "resolution=1280x720", "continuous_sd")
    camera.model.advance_clock(2 * DAY)
    run = run_tasks(camera, [
        {"name": "met", MODULE: {"coverage": {"window": "1h", "retention_target": "1d"}}},
        {"name": "short", MODULE: {"coverage": {"window": "1h", "retention_target": "30d"}}},
    ])
    assert run.rc == 0, run
    met = run.result("met")["coverage"]
    share = met["disks"]["NetworkShare"]
    assert share["recordings"] == 0 and share["oldest_recording"] is None
    assert share["retention_target_seconds"] == DAY and share["retention_short"] is False
    assert met["disks"]["SD_DISK"]["retention_short"] is False
    assert met["compliant"] is True and met["problems"] == []

    short = run.result("short")["coverage"]
    assert short["disks"]["NetworkShare"]["retention_short"] is False
    assert short["disks"]["SD_DISK"]["retention_short"] is True
    assert short["compliant"] is False
    assert [problem.split(" ")[0] for problem in short["problems"]] == ["SD_DISK"]


def test_a_failed_disk_that_records_is_measured_against_the_target(make_camera):
    """Status failed (file system errors on a mounted card, which goes on recording) was taken as not mounted:
    the disk was left out of the retention check, and a coverage short of its target was compliant."""
    camera = make_camera("modern")
    with camera.model.lock:
        camera.model.recordings = []
        camera.model.add_profile("SD_DISK", "resolution=1280x720", "continuous_sd")
    camera.model.advance_clock(2 * DAY)
    camera.inject(corrupt="SD_DISK")
    run = run_tasks(camera, [{"name": "short", MODULE: {"coverage": {"window": "1h", "retention_target": "30d"}}}])
    assert run.rc == 0, run
    short = run.result("short")["coverage"]
    assert short["event_ids"]["continuous_sd"]["recording_now"] is True
    assert short["disks"]["SD_DISK"]["retention_short"] is True
    assert short["compliant"] is False and short["problems"][0].startswith("SD_DISK holds recordings back"), short
