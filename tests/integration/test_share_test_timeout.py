# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_storage_info's share tests and their option share_test_timeout, against the emulator: a test that
outlives it is reported naming that option (not job_timeout, which this module does not have), and a value
below one second is refused before any request, as job_timeout is by the modules that have it."""

from __future__ import annotations

import pytest

from tests.integration.checks import refused_before_any_request
from tests.integration.inprocess import run_tasks

MODULE = "vapix.edge_storage.axis_storage_info"


def test_a_share_test_still_running_at_the_timeout_names_share_test_timeout(make_camera):
    camera = make_camera("modern-share")
    camera.inject(stuck_jobs=True)
    run = run_tasks(camera, [{"name": "info", MODULE: {"gather_subset": ["share_tests"], "share_test_timeout": 1}}])
    assert run.rc == 0, run
    test = run.result("info")["share_tests"]["shares"]["nas1"]
    # A test that did not end says nothing about the share: unknown, not failed.
    assert (test["passed"], test["code"], test["error_class"]) == (None, None, "timeout"), test
    assert test["reason"].startswith("share test started, not finished after 1 s (last progress: ")
    assert test["reason"].endswith("it may still be running on the camera: raise share_test_timeout or check the "
                                   "camera")
    assert "job_timeout" not in test["reason"]


@pytest.mark.parametrize("timeout", [0, -5])
def test_a_share_test_timeout_below_one_second_is_refused_before_any_request(camera, timeout):
    task = {"name": "info", MODULE: {"gather_subset": ["all", "share_tests"], "share_test_timeout": timeout}}
    assert refused_before_any_request(camera, task) == \
        "share_test_timeout must be a positive number of seconds, got %d" % timeout
