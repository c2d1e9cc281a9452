# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whether a disk job may still be running after its start or a poll failed: decided in one place
(_jobs.job_may_still_run), carried by the error (VapixError.job_may_run) to where a run decides what to send
after it (axis_disk_job sends no mount then)."""

from __future__ import annotations

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    DAMAGED_ANSWER,
    DEVICE,
    DISK_MANAGEMENT,
    FORBIDDEN,
    TIMEOUT,
    VapixError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._jobs import (
    job_may_still_run,
    start_refused,
    still_running,
)


def error(error_class=DEVICE, http_status=None):
    return VapixError(DISK_MANAGEMENT, "disks/format.cgi", "text", http_status=http_status, error_class=error_class)


@pytest.mark.parametrize("failure, after_start, after_poll", [
    (error(TIMEOUT), True, True),                         # no answer: carried out or not, nobody knows
    (error(DAMAGED_ANSWER), True, True),
    (error(DEVICE, http_status=500), True, True),         # a server error after the camera started it
    (error(FORBIDDEN, http_status=403), False, True),          # refused: not started; once started, its end is unknown
    (error(DEVICE), False, False),                        # the camera's own refusal, or the job ended in error
    (ValueError("not from the camera"), False, False),
])
def test_whether_a_job_may_still_run_depends_on_whether_the_camera_had_started_it(failure, after_start, after_poll):
    assert job_may_still_run(failure, started=False) is after_start
    assert job_may_still_run(failure, started=True) is after_poll


def test_the_mark_stays_with_the_error_when_more_is_said_of_it():
    marked = still_running(error(TIMEOUT), "it may still be running")
    assert marked.job_may_run is True and error(TIMEOUT).job_may_run is False
    assert marked.with_hint("and more").job_may_run is True
    assert "it may still be running; and more" in str(marked.with_hint("and more"))


def test_only_the_camera_s_refusal_of_a_start_is_one_a_start_that_may_have_run_is_not():
    assert start_refused(error(DEVICE)) is True
    assert start_refused(still_running(error(DEVICE, http_status=500), "it may still be running")) is False
    assert start_refused(still_running(error(TIMEOUT), "it may still be running")) is False
    assert start_refused(error(FORBIDDEN, http_status=403)) is False
    assert start_refused(ValueError("not from the camera")) is False
