# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Free text sent to the camera, against the emulator: every value converges in one run.

Stream options are normalised: keys and values are stripped, in a mapping as in a string, so
both forms converge in one run and change nothing on the second.
"""

from __future__ import annotations

import pytest

from tests.integration.checks import second_run_changes_nothing
from tests.integration.inprocess import run_tasks

GROUP = {"id": "g1", "disk_id": "SD_DISK", "nice_name": "S\u00fcd", "description": "T\u00fcr"}


def task(module, options):
    return {"name": module, "vapix.edge_storage.%s" % module: options}


PROFILE_OPTIONS = [{"resolution": "1280x720", "textstring": "T\u00fcr "},
                   "resolution=1280x720&textstring=T%C3%BCr%20",
                   " resolution = 1280x720 & textstring = T\u00fcr "]


@pytest.mark.parametrize("options", PROFILE_OPTIONS, ids=["mapping", "encoded string", "plain string"])
def test_stream_option_values_are_stripped_in_either_form_and_converge_in_one_run(camera, options):
    tasks = [task("axis_continuous_profile", {"disk_id": "SD_DISK", "event_id": "cont", "options": options}),
             task("axis_recording_group", dict(GROUP, stream_options=options))]
    first = run_tasks(camera, tasks)
    assert first.rc == 0 and first.changed == 2, first
    state = camera.dump()
    assert [profile["options"] for profile in state["continuous_profiles"]] == [
        "resolution=1280x720&textstring=T%C3%BCr"]
    assert [group["stream_options"] for group in state["recording_groups"]] == [
        "resolution=1280x720&textstring=T%C3%BCr"]
    second_run_changes_nothing(camera, tasks)
