# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmark refuses a yardstick that is not the uri playbook it stands for.

The uri playbook itself (tests/bench/uri_yardstick.yml) runs in the benchmark,
which the docs gate runs at two cameras (README, "Speed is measured"): there
every camera's converge must pass ``yardstick_converge_problems`` and the
no-op re-run write nothing, or the benchmark fails. Here: that the check finds
what is wrong.
"""

from __future__ import annotations

from tests.bench.fleet_bench import DESIRED, YARDSTICK_CONVERGE, yardstick_converge_problems
from tests.integration.inprocess import run_task


def test_a_camera_the_yardstick_never_reached_is_no_yardstick_run(camera):
    assert yardstick_converge_problems(camera) == [
        "it sent [], not %s" % list(YARDSTICK_CONVERGE),
        "0 Digest challenges for 11 requests",
        "0 writes, not 6",
        "the share password did not arrive intact",
    ]


def test_another_converge_to_the_same_state_is_told_apart_by_its_requests(camera):
    sections = ("shares", "disks", "storage_limits", "continuous_profiles", "recording_groups")
    desired = {name: DESIRED["edge_storage_" + name] for name in sections}
    result = run_task(camera, "axis_edge_storage", desired)
    assert result["changed"] is True and not result.get("failed"), result
    problems = yardstick_converge_problems(camera)
    # The parameters first, alone; the families after them are read at once, in no set order.
    assert problems[0].startswith("it sent ['param.cgi', ") and "'disks/networkshare/list.cgi'" in problems[0], problems
    assert "the share password did not arrive intact" not in problems
