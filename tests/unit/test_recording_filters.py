# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether a recording record/list.cgi listed is one the request's filters select (outside_filters)."""

from __future__ import annotations

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils._recordings import outside_filters, running

FINISHED = {"recording_id": "20261120_080000_0694_ACCC8EF7DE6B", "disk_id": "SD_DISK", "event_id": "motion",
            "start": "2026-11-20T08:00:00Z", "stop": "2026-11-20T08:10:00Z"}
RUNNING = dict(FINISHED, stop=None)


@pytest.mark.parametrize("recording, filters", [
    (FINISHED, [("recordingid", "all")]),
    (FINISHED, [("diskid", "SD_DISK"), ("eventid", "motion"), ("recordingid", "all")]),
    # any part at or before stoptime / at or after starttime, both ends included
    (FINISHED, [("stoptime", "2026-11-20T08:00:00Z")]),
    (FINISHED, [("starttime", "2026-11-20T08:10:00Z")]),
    # the filter is sent to the second: a start within that second is the camera's to judge
    (dict(FINISHED, start="2026-11-20T08:00:00.750Z"), [("stoptime", "2026-11-20T08:00:00Z")]),
    (dict(FINISHED, stop="2026-11-20T08:09:59.250Z"), [("starttime", "2026-11-20T08:10:00Z")]),
    # a running recording reaches the camera's present
    (RUNNING, [("starttime", "2026-11-30T00:00:00Z"), ("stoptime", "2026-11-30T01:00:00Z")]),
    # ... also when the camera lists it with the stop time it has got to (recordingstatus="recording"), as the
    # vendor's recording examples show
    (dict(FINISHED, status="recording"), [("starttime", "2026-11-30T00:00:00Z")]),
])
def test_a_recording_the_filters_select(recording, filters):
    assert outside_filters(recording, filters) is None


@pytest.mark.parametrize("recording, filters, why", [
    (FINISHED, [("diskid", "NetworkShare"), ("recordingid", "all")],
     "it is on disk SD_DISK, and disk NetworkShare was asked"),
    (FINISHED, [("eventid", "audio detection"), ("recordingid", "all")],
     "its event id is 'motion', and event id 'audio detection' was asked"),
    (FINISHED, [("stoptime", "2026-11-20T07:59:59Z")],
     "it starts at 2026-11-20T08:00:00Z, after the stop time 2026-11-20T07:59:59Z that was asked"),
    (FINISHED, [("starttime", "2026-11-20T08:10:01Z")],
     "it ended at 2026-11-20T08:10:00Z, before the start time 2026-11-20T08:10:01Z that was asked"),
    (dict(FINISHED, start="yesterday"), [("stoptime", "2026-11-20T07:59:59Z")], "its starttime 'yesterday' is not a time"),
    (dict(FINISHED, stop="soon"), [("starttime", "2026-11-20T07:59:59Z")], "its stoptime 'soon' is not a time"),
])
def test_a_recording_outside_the_filters_says_why(recording, filters, why):
    assert outside_filters(recording, filters) == why


def test_a_recording_listed_with_recordingstatus_recording_is_running_whatever_its_stop_time():
    """What the starttime filter check and coverage (up to now, recording now) take as still recording."""
    assert running(RUNNING) and running(dict(FINISHED, status="recording")) and not running(FINISHED)
    assert not running(dict(FINISHED, status="completed"))
