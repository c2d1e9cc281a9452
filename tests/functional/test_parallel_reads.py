# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The parallel_reads connection option reaches the run: a module reads several families at once by default,
one after the other with parallel_reads: 1 (from the task or from VAPIX_PARALLEL_READS), the same requests
either way."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.emulator import EmulatorFleet
from tests.integration.inprocess import run_task

ALL = {"gather_subset": ["all"]}


@pytest.fixture(scope="module")
def slow_camera():
    # Each request waits 50 ms on the camera, so requests sent at once are answered at once.
    with EmulatorFleet(count=1, latency_ms=50) as fleet:
        yield fleet.cameras[0]


def audit(camera, args, env=None):
    camera.clear_log()
    result = run_task(camera, "axis_storage_info", args, env=env)
    assert not result.get("failed"), result
    return Counter(entry["path"] for entry in camera.log()), camera.most_at_once()


def test_reads_go_at_once_by_default_and_one_after_the_other_with_1(slow_camera):
    sent, at_once = audit(slow_camera, ALL)
    assert at_once >= 2
    assert audit(slow_camera, dict(ALL, parallel_reads=1)) == (sent, 1)
    assert audit(slow_camera, ALL, env={"VAPIX_PARALLEL_READS": "1"}) == (sent, 1)
