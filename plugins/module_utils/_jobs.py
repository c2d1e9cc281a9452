# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Polling of the device's asynchronous jobs, always bounded by a deadline.

Disk jobs (format, checkdisk, repair, mount, unmount) are polled with
disks/job.cgi; share tests with disks/networkshare/job.cgi. A job that ends in
error raises the device's VapixError (job.cgi answers result="ERROR" or a
GeneralError inside JobSuccess); a job that outlives the timeout raises
JobTimeout with its last progress.
"""

from __future__ import annotations

import time

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    DAMAGED_ANSWER,
    DEVICE,
    TIMEOUT,
    EdgeStorageError,
    VapixError,
)

FIRST_INTERVAL = 0.1
MAX_INTERVAL = 1.0


# What to do about a job that outlived the wait, as said to a task whose option bounding the wait is job_timeout
# (JobTimeout names the task's own option instead when it has another, e.g. share_test_timeout).
STILL_RUNNING = "it may still be running on the camera: raise job_timeout or check the camera"


class JobTimeout(EdgeStorageError):
    """A job the camera started did not end in time; it may still be running. option is the task's option
    that bounds the wait, which the message tells to raise."""

    error_class = "timeout"

    def __init__(self, what, timeout, progress, option="job_timeout"):
        self.what = what
        self.timeout = timeout
        self.progress = progress
        self.option = option
        shown = progress if progress is not None else "?"
        remedy = STILL_RUNNING.replace("job_timeout", option)
        super().__init__(f"{what} started, not finished after {timeout} s (last progress: {shown}%); {remedy}")

    def as_dict(self):
        return {"error_class": self.error_class, "job": self.what, "job_timeout": self.timeout, "last_progress": self.progress}


def _poll(read_progress, what, timeout, clock=time.monotonic, sleep=time.sleep, option="job_timeout"):
    """Call read_progress() until it reports done; back off from 0.1 s to 1 s between polls. option is the
    task's option that bounds the wait (see JobTimeout)."""
    deadline = clock() + timeout
    interval = FIRST_INTERVAL
    progress = None
    while True:
        done, progress = read_progress()
        if done:
            return
        if clock() + interval > deadline:
            raise JobTimeout(what, timeout, progress, option)
        sleep(interval)
        interval = min(interval * 2, MAX_INTERVAL)


def job_may_still_run(exc, started):
    """Whether a disk job may still be running after its start (started false) or a poll of it (started true)
    failed with exc. A start that got no answer, a damaged one or a server error may have been carried out; once
    the camera has answered the start with a job id, any failed poll leaves the job's end unknown, except the
    camera's own report that the job ended in error."""
    if not isinstance(exc, VapixError):
        return False
    if started:
        return not (exc.error_class == DEVICE and exc.http_status is None)
    return exc.error_class in (TIMEOUT, DAMAGED_ANSWER) or (exc.http_status or 0) >= 500


def start_refused(exc):
    """Whether a disk job's start failed with the camera's refusal, which started no job: a device error that
    leaves no job possibly running (see job_may_still_run), not a start that got no answer, a damaged one or a
    server error."""
    return isinstance(exc, VapixError) and exc.error_class == DEVICE and not exc.job_may_run


def still_running(exc, hint):
    """exc with hint said after its own, marked as leaving a disk job that may still be running."""
    marked = exc.with_hint(hint)
    marked.job_may_run = True
    return marked


def _read_disk_job(device, disk_id, job_id, what, raise_error=True):
    """device.disk_job(); a poll that fails other than by the camera's report that the job ended in error (no
    answer, a damaged one, an HTTP error) says the job was started and may still be running: the camera refuses
    another job on the disk until it ends."""
    try:
        return device.disk_job(disk_id, job_id, raise_error=raise_error)
    except VapixError as exc:
        if not job_may_still_run(exc, started=True):
            raise   # the job's own answer: it ended in error
        # No advice to run the task again: axis_disk_job's rerun would run its job a second time.
        raise still_running(exc, "%s was started (job %s) and then its progress could not be read, so it may "
                                 "still be running on the camera, which refuses another job on disk %s until it "
                                 "ends: wait for that" % (what, job_id, disk_id)) from exc


def wait_disk_job(device, disk_id, job_id, what, timeout, **kwargs):
    """Poll disks/job.cgi until the job reaches 100 %, reporting its progress (a failed poll: _read_disk_job)."""
    def read_progress():
        job = _read_disk_job(device, disk_id, job_id, what)
        progress = job.get("progress")
        device.report_progress(what, progress)
        return progress is not None and progress >= 100, progress
    _poll(read_progress, what, timeout, **kwargs)
    device.invalidate()


def disk_job_outcome(device, disk_id, job_id, what, timeout, **kwargs):
    """Poll disks/job.cgi until the job ends and return its last answer, an ERROR result included
    (a check's findings come as result="ERROR" with the finding as description; a failed poll: _read_disk_job)."""
    last = {}

    def read_progress():
        last.clear()
        last.update(_read_disk_job(device, disk_id, job_id, what, raise_error=False))
        progress = last.get("progress")
        return last.get("result") == "ERROR" or (progress is not None and progress >= 100), progress
    _poll(read_progress, what, timeout, **kwargs)
    device.invalidate()
    return dict(last)


def wait_share_job(device, job_id, what, timeout, **kwargs):
    """Poll disks/networkshare/job.cgi until GeneralSuccess (errors raise), reporting its progress."""
    def read_progress():
        job = device.share_job(job_id)
        device.report_progress(what, job["progress"])
        return job["done"], job["progress"]
    _poll(read_progress, what, timeout, **kwargs)
