# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Answers that are well-formed but inconsistent with the request, or with themselves, are damaged answers.

Each case injects one answer fault into the emulator and runs the module's action plugin in-process
(tests/integration/inprocess.py). Each shows: the task fails with ``error_class: damaged_answer`` and a
message naming the CGI and what does not agree; nothing destructive reached the camera.
"""

from __future__ import annotations

import pytest
import requests
from requests.auth import HTTPDigestAuth

from tests.integration.inprocess import run_tasks

RECORDINGS = "record/list.cgi"


def task(module, **options):
    return {"name": "task", "vapix.edge_storage.%s" % module: options}


def recording_ids(camera):
    with camera.model.lock:
        return sorted(r.rec_id for r in camera.model.recordings)


def unfiltered_list(camera):
    """The camera's own answer to a list.cgi request without filters: every recording it has."""
    answer = requests.get(camera.url + "/axis-cgi/" + RECORDINGS, params={"recordingid": "all"},
                          auth=HTTPDigestAuth("root", "pass"), timeout=10)
    answer.raise_for_status()
    return answer.text


# -- record/list.cgi that ignores the filter -----------------------------------------------------------

# The emulator's factory recordings on SD_DISK: motion on 11-20 08:00 and 11-21 12:30, audio detection
# on 11-22 18:00. Each selection matches fewer than all three (the first none at all).
SELECTIONS = [
    ({"disk_id": "NetworkShare"}, "it is on disk SD_DISK, and disk NetworkShare was asked"),
    ({"event_id": "motion"}, "its event id is 'audio detection', and event id 'motion' was asked"),
    ({"before": "2026-11-21T00:00:00Z"},
     "it starts at 2026-11-22T18:00:00Z, after the stop time 2026-11-21T00:00:00Z that was asked"),
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
