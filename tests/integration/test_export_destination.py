# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_recording_export when the controller cannot take the files: a file in the way of dest, no write
permission, a read-only or full file system.

Each is a failure with its error class and a message naming the directory and what to do, never "an unexpected
OSError"; check mode finds what can be seen without writing and fails the same way. The camera is never
written to. A regular file in the way and a directory without write permission are real (the latter only for a
user other than root, whom permissions do not stop); a read-only or full file system is the controller's
answer to the write, given here by replacing the call that meets it (mounting one needs root)."""

from __future__ import annotations

import errno
import os

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils import _recording_export
from tests.integration.checks import refused_before_any_request
from tests.integration.inprocess import run_tasks

MODULE = "vapix.edge_storage.axis_recording_export"
WINDOW = {"start": "2026-11-19T00:00:00Z", "stop": "2026-11-23T00:00:00Z"}
FULL = "No space left on device"


def export_task(dest, name="export", **options):
    return {"name": name, MODULE: dict(WINDOW, dest=str(dest), **options)}


def failed_in_both_modes(camera, dest):
    """Run the export in check mode and for real: both fail alike; the results (check, real)."""
    camera.clear_log()
    check = run_tasks(camera, [export_task(dest)], check=True)
    real = run_tasks(camera, [export_task(dest)])
    assert check.rc != 0 and real.rc != 0, (check, real)
    checked, applied = check.result("export"), real.result("export")
    assert checked["changed"] is False and applied["changed"] is False
    assert (checked["error_class"], checked["msg"]) == (applied["error_class"], applied["msg"])
    assert camera.write_count() == 0
    return checked, applied


def read_only(existing):
    """os.statvfs as on a read-only mount for the directory existing (and as it is everywhere else)."""
    real = os.statvfs

    def statvfs(path):
        found = real(path)
        if os.path.abspath(path) != os.path.abspath(existing):
            return found
        values = list(found)
        values[8] |= os.ST_RDONLY          # f_flag
        return os.statvfs_result(values)
    return statvfs


def test_a_regular_file_in_the_way_is_refused_before_any_request_in_both_modes(camera, tmp_path):
    (tmp_path / "afile").write_text("")
    for dest, said in ((tmp_path / "afile" / "sub", "dest %s cannot be created: %s is not a directory; choose "
                                                    "another dest" % (tmp_path / "afile" / "sub", tmp_path / "afile")),
                       (tmp_path / "afile", "dest %s exists and is not a directory" % (tmp_path / "afile"))):
        for check in (True, False):
            msg = refused_before_any_request(camera, export_task(dest),
                                             run=lambda cam, tasks, check=check: run_tasks(cam, tasks, check=check))
            assert msg == said
    assert sorted(path.name for path in tmp_path.iterdir()) == ["afile"]


def test_a_read_only_file_system_fails_check_mode_and_the_run_alike(camera, tmp_path, monkeypatch):
    monkeypatch.setattr(_recording_export.os, "statvfs", read_only(tmp_path))
    for dest, where in ((tmp_path, tmp_path), (tmp_path / "new" / "evidence", tmp_path)):
        checked, _applied = failed_in_both_modes(camera, dest)
        assert checked["error_class"] == "destination"
        assert checked["msg"] == ("dest %s cannot be written: %s is on a read-only file system: choose a dest on a "
                                  "writable one; nothing was exported, the camera is unchanged" % (dest, where))
    assert list(tmp_path.iterdir()) == []


def test_no_write_permission_fails_check_mode_and_the_run_alike(camera, tmp_path, monkeypatch):
    # os.access as for a user who may not write in tmp_path (root may write anywhere, so it is asked here)
    real = os.access
    monkeypatch.setattr(_recording_export.os, "access",
                        lambda path, mode: real(path, mode) and os.path.abspath(path) != str(tmp_path))
    checked, _applied = failed_in_both_modes(camera, tmp_path / "evidence")
    assert checked["error_class"] == "destination"
    assert checked["msg"] == (
        "dest %s cannot be written: the user Ansible runs as on the controller may not write in %s: give it write "
        "access there or choose another dest; nothing was exported, the camera is unchanged"
        % (tmp_path / "evidence", tmp_path))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a directory of mode 0555")
def test_a_directory_without_write_permission_for_real(camera, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    try:
        checked, _applied = failed_in_both_modes(camera, locked / "evidence")
    finally:
        locked.chmod(0o755)
    assert checked["error_class"] == "destination" and "may not write in %s" % locked in checked["msg"]
    assert list(locked.iterdir()) == []


def test_a_full_file_system_fails_the_step_and_leaves_no_partial_file(camera, tmp_path, monkeypatch):
    """The second file meets a full file system: the first stays, complete; no temporary file is left."""
    real_fdopen = os.fdopen
    opened = []

    class FullAfterSomeBytes:
        def __init__(self, raw):
            self.raw = raw

        def __getattr__(self, name):
            return getattr(self.raw, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.raw.close()

        def write(self, data):
            if self.raw.tell() + len(data) > 64:
                raise OSError(errno.ENOSPC, FULL)
            return self.raw.write(data)

    def fdopen(handle, mode="r", *args, **kwargs):
        opened.append(handle)
        raw = real_fdopen(handle, mode, *args, **kwargs)
        return FullAfterSomeBytes(raw) if len(opened) == 2 else raw

    monkeypatch.setattr(_recording_export.os, "fdopen", fdopen)
    camera.clear_log()
    run = run_tasks(camera, [export_task(tmp_path)])
    assert run.rc != 0, run
    result = run.result("export")
    first, second = (step.rsplit(" to ", 1)[1] for step in result["completed_steps"] + [result["failed_step"]])
    assert result["error_class"] == "destination"
    assert result["msg"].startswith(
        "step '%s' failed: writing %s failed on the controller (%s): the file system of %s is full (or the user's "
        "quota there is used up): free space there or choose another dest; no partial file of it is left"
        % (result["failed_step"], second, FULL, tmp_path))
    assert result["state_now"] == ("the camera is unchanged; the file exported before the failure is complete "
                                   "and kept: %s" % first)
    # the first file is a change on the controller: named, and the task is changed
    assert result["changed"] is True and [entry["path"] for entry in result["files"]] == [first]
    assert len(result["not_run_steps"]) == 1
    assert [path.name for path in tmp_path.iterdir()] == [os.path.basename(first)]
    assert camera.write_count() == 0


@pytest.mark.parametrize("code, remedy", [
    (errno.EROFS, "%s is on a read-only file system: choose a dest on a writable one"),
    (errno.EACCES, "the user Ansible runs as on the controller may not write in %s: give it write access there or "
                   "choose another dest"),
])
def test_the_controller_refusing_a_write_is_a_destination_error(camera, tmp_path, monkeypatch, code, remedy):
    """What the checks without writing cannot see (an NFS mount, a change meanwhile) is met at the write."""
    said = f"{os.strerror(code)}): {remedy % tmp_path}"

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(_recording_export.tempfile, "mkstemp", refuse)
    run = run_tasks(camera, [export_task(tmp_path)])
    result = run.result("export")
    assert result["error_class"] == "destination"
    assert ("failed: writing %s failed on the controller (%s; nothing of it was written; nothing had been changed "
            "before it" % (result["failed_step"].rsplit(" to ", 1)[1], said)) in result["msg"]
    assert list(tmp_path.iterdir()) == []

    monkeypatch.setattr(_recording_export.os, "makedirs", refuse)
    run = run_tasks(camera, [export_task(tmp_path / "new")])
    result = run.result("export")
    assert result["error_class"] == "destination" and result["failed_step"] is None
    assert result["msg"] == "creating dest %s failed on the controller (%s; nothing was exported, the camera is " \
                            "unchanged" % (tmp_path / "new", said)
    assert camera.write_count() == 0


def test_check_mode_warns_when_the_estimates_exceed_the_free_space(camera, tmp_path, monkeypatch):
    real = os.statvfs

    def nearly_full(path):
        values = list(real(path))
        values[4] = 1                      # f_bavail: one block free
        return os.statvfs_result(values)

    monkeypatch.setattr(_recording_export.os, "statvfs", nearly_full)
    run = run_tasks(camera, [export_task(tmp_path)], check=True)
    assert run.rc == 0, run
    result = run.result("export")
    assert result["changed"] is True and len(result["files"]) == 3
    assert [warning for warning in result["warnings"] if "more than the" in warning][0].endswith(
        "free on the file system of %s: the export may stop when it is full" % tmp_path)


def test_a_relative_dest_is_refused_before_any_request_in_both_modes(camera, tmp_path, monkeypatch):
    # Resolved against the directory the run started in, a relative dest put the files elsewhere on every run
    # started from another directory.
    monkeypatch.chdir(tmp_path)
    for check in (True, False):
        msg = refused_before_any_request(camera, export_task("evidence/INC-1"),
                                         run=lambda cam, tasks, check=check: run_tasks(cam, tasks, check=check))
        assert msg == "dest evidence/INC-1 is a relative path: give an absolute one, for example " \
                      "'{{ playbook_dir }}/exports'"
    assert list(tmp_path.iterdir()) == []
