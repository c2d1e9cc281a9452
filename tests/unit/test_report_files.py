# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""report_files: its action plugin run in this process, as Ansible's worker runs it, on a scratch directory."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import stat
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.integration.inprocess import action_plugin

REPO = Path(__file__).resolve().parents[2]
REPORTS = {"audit.json": '{"cameras": []}\n', "audit.xml": "<testsuites/>\n", "audit.html": "<p>Kamera \u00e5tta</p>\n"}


def run(args, check=False):
    plugin, action = action_plugin("report_files")
    return plugin.run_validated(action, args, {}, check)


def listing(directory):
    """{name: (inode, mtime_ns, mode, bytes)} of every entry of directory, temporary files included."""
    found = {}
    for entry in os.scandir(directory):
        info = entry.stat(follow_symlinks=False)
        found[entry.name] = (info.st_ino, info.st_mtime_ns, stat.S_IMODE(info.st_mode), Path(entry.path).read_bytes())
    return found


def test_writes_every_file_with_its_mode_and_creates_dest_with_its_parents(tmp_path):
    dest = tmp_path / "reports" / "audit"
    result = run({"dest": str(dest), "files": REPORTS, "mode": "0640", "directory_mode": "0750"})
    assert not result.get("failed"), result
    assert result["changed"] is True and result["dest"] == str(dest)
    assert result["files"] == [{"name": name, "path": str(dest / name), "changed": True,
                                "size": len(content.encode("utf-8"))} for name, content in REPORTS.items()]
    for name, content in REPORTS.items():
        assert (dest / name).read_text(encoding="utf-8") == content
        assert stat.S_IMODE((dest / name).stat().st_mode) == 0o640
    assert stat.S_IMODE(dest.stat().st_mode) == stat.S_IMODE((tmp_path / "reports").stat().st_mode) == 0o750
    assert sorted(os.listdir(dest)) == sorted(REPORTS)


def test_the_defaults_are_0644_files_in_a_0755_directory(tmp_path):
    old_umask = os.umask(0o077)
    try:
        run({"dest": str(tmp_path / "reports"), "files": {"a.txt": "a"}})
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "reports").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "reports" / "a.txt").stat().st_mode) == 0o644


def test_a_second_run_changes_nothing_and_leaves_the_files_untouched(tmp_path):
    args = {"dest": str(tmp_path), "files": REPORTS}
    assert run(args)["changed"] is True
    before = listing(tmp_path)
    again = run(args)
    assert again["changed"] is False
    assert [entry["changed"] for entry in again["files"]] == [False, False, False]
    assert listing(tmp_path) == before


def test_only_the_file_whose_content_changed_is_replaced(tmp_path):
    run({"dest": str(tmp_path), "files": REPORTS})
    before = listing(tmp_path)
    result = run({"dest": str(tmp_path), "files": dict(REPORTS, **{"audit.json": '{"cameras": [1]}\n'})})
    assert result["changed"] is True
    assert [entry["changed"] for entry in result["files"]] == [True, False, False]
    after = listing(tmp_path)
    assert after["audit.json"][3] == b'{"cameras": [1]}\n'
    assert after["audit.json"][0] != before["audit.json"][0]     # a new file renamed over the old one
    assert {name: after[name] for name in ("audit.xml", "audit.html")} == \
        {name: before[name] for name in ("audit.xml", "audit.html")}
    assert sorted(after) == sorted(REPORTS)                        # no temporary file left


def test_a_changed_mode_alone_is_set_without_rewriting_the_file(tmp_path):
    run({"dest": str(tmp_path), "files": {"a.txt": "a"}})
    inode = (tmp_path / "a.txt").stat().st_ino
    result = run({"dest": str(tmp_path), "files": {"a.txt": "a"}, "mode": "0600"})
    assert result["changed"] is True and result["files"][0]["changed"] is True
    assert (tmp_path / "a.txt").stat().st_ino == inode
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o600


@pytest.mark.parametrize("content", ['{"cameras": []}\n', "other\n"])
def test_a_symbolic_link_in_dest_is_replaced_and_what_it_points_to_is_left_alone(tmp_path, content):
    """Whether or not the link's target holds the same text, the target keeps its mode and content."""
    outside = tmp_path / "outside.txt"
    outside.write_text(content)
    outside.chmod(0o600)
    dest = tmp_path / "reports"
    dest.mkdir()
    (dest / "audit.json").symlink_to(outside)
    result = run({"dest": str(dest), "files": {"audit.json": REPORTS["audit.json"]}, "mode": "0666"})
    assert not result.get("failed") and result["changed"] is True, result
    assert stat.S_IMODE(outside.stat().st_mode) == 0o600 and outside.read_text() == content
    assert not (dest / "audit.json").is_symlink()
    assert (dest / "audit.json").read_text() == REPORTS["audit.json"]


def test_a_same_sized_content_is_compared_not_only_its_size(tmp_path):
    run({"dest": str(tmp_path), "files": {"a.txt": "abc"}})
    assert run({"dest": str(tmp_path), "files": {"a.txt": "abd"}})["changed"] is True
    assert (tmp_path / "a.txt").read_text() == "abd"


def test_check_mode_writes_nothing_and_predicts_the_change(tmp_path):
    dest = tmp_path / "reports"
    predicted = run({"dest": str(dest), "files": REPORTS}, check=True)
    assert predicted["changed"] is True and not dest.exists()
    assert [entry["changed"] for entry in predicted["files"]] == [True, True, True]
    run({"dest": str(dest), "files": REPORTS})
    before = listing(dest)
    unchanged = run({"dest": str(dest), "files": REPORTS}, check=True)
    assert unchanged["changed"] is False
    one_changed = run({"dest": str(dest), "files": dict(REPORTS, **{"audit.xml": "<testsuites></testsuites>\n"})},
                      check=True)
    assert one_changed["changed"] is True
    assert [entry["changed"] for entry in one_changed["files"]] == [False, True, False]
    assert listing(dest) == before


@pytest.mark.parametrize("name, complaint", [
    ("", "empty file name"),
    ("sub/audit.json", "not a plain file name"),
    ("..", "not a plain file name"),
    (".", "not a plain file name"),
    ("audit\0.json", "NUL character"),
    (2024, "file name 2024 is not text: quote it"),
])
def test_a_bad_name_among_good_ones_is_refused_before_anything_is_written(tmp_path, name, complaint):
    dest = tmp_path / "reports"
    files = dict(REPORTS)
    files[name] = "x"
    result = run({"dest": str(dest), "files": files})
    assert result["failed"] is True and complaint in result["msg"]
    assert "dest" not in result
    assert not dest.exists()


def test_contents_are_text_and_modes_octal(tmp_path):
    result = run({"dest": str(tmp_path), "files": {"audit.json": {"cameras": []}}})
    assert result["failed"] and "files['audit.json'] is a dict, not text" in result["msg"]
    assert "to_nice_json" in result["msg"]
    result = run({"dest": str(tmp_path), "files": {"a.txt": "a"}, "mode": "u=rw,g=r"})
    assert result["failed"] and result["msg"] == "mode 'u=rw,g=r' is not an octal mode: give it quoted, as in '0644'"
    result = run({"dest": str(tmp_path), "files": {"a.txt": "a"}, "directory_mode": "17777"})
    assert result["failed"] and "directory_mode 0o17777 is not a permission mode" in result["msg"]
    assert os.listdir(tmp_path) == []
    assert run({"dest": str(tmp_path), "files": {"a.txt": "a"}, "mode": 0o600})["changed"] is True  # YAML 0600
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o600


def test_arguments_are_validated_as_ansible_module_does(tmp_path):
    result = run({"files": {"a.txt": "a"}})
    assert result["failed"] and result["msg"] == "missing required arguments: dest"
    result = run({"dest": str(tmp_path), "files": {"a.txt": "a"}, "hostname": "cam1"})
    assert result["failed"] and result["msg"].startswith(
        "Unsupported parameters for (vapix.edge_storage.report_files) module: hostname.")
    result = run({"dest": str(tmp_path), "files": ["a.txt"]})
    assert result["failed"] and "files" in result["msg"] and "dict" in result["msg"]


def test_a_relative_dest_is_refused_and_home_is_expanded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run({"dest": "reports", "files": {"a.txt": "a"}})
    assert result["failed"] and result["msg"].startswith("dest reports is a relative path: give an absolute one")
    assert os.listdir(tmp_path) == []
    monkeypatch.setenv("HOME", str(tmp_path))
    assert run({"dest": "~/reports", "files": {"a.txt": "a"}})["dest"] == str(tmp_path / "reports")
    assert (tmp_path / "reports" / "a.txt").read_text() == "a"


def test_dest_that_is_a_file_or_below_one_fails_cleanly(tmp_path):
    (tmp_path / "taken").write_text("")
    result = run({"dest": str(tmp_path / "taken"), "files": {"a.txt": "a"}})
    assert result["failed"] and result["msg"].endswith("dest %s exists and is not a directory" % (tmp_path / "taken"))
    result = run({"dest": str(tmp_path / "taken" / "reports"), "files": {"a.txt": "a"}})
    assert result["failed"] and result["msg"].startswith("writing the files into %s failed: Not a directory"
                                                         % (tmp_path / "taken" / "reports"))
    assert os.listdir(tmp_path) == ["taken"]


def test_a_file_name_taken_by_a_directory_fails_before_it_is_written(tmp_path):
    (tmp_path / "audit.xml").mkdir()
    result = run({"dest": str(tmp_path), "files": REPORTS})
    assert result["failed"] and "is a directory, not a file" in result["msg"]
    assert [entry["name"] for entry in result["files"]] == ["audit.json"]   # what was written before it
    assert result["changed"] is True
    assert sorted(os.listdir(tmp_path)) == ["audit.json", "audit.xml"]


@contextlib.contextmanager
def file_size_limit(size):
    """Within the block, this process cannot write a file beyond size bytes (the write fails with EFBIG)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path):
    run({"dest": str(tmp_path), "files": {"audit.json": "old\n"}})
    with file_size_limit(1024):
        result = run({"dest": str(tmp_path), "files": {"audit.html": "small\n", "audit.json": "x" * 4096}})
    assert result["failed"] is True
    assert result["msg"].startswith("writing the files into %s failed: File too large" % tmp_path)
    assert result["changed"] is True and [entry["name"] for entry in result["files"]] == ["audit.html"]
    assert sorted(os.listdir(tmp_path)) == ["audit.html", "audit.json"]
    assert (tmp_path / "audit.json").read_text() == "old\n"


READ_ONLY_RUN = """
import json, sys
from tests.integration.inprocess import action_plugin
plugin, action = action_plugin("report_files")
print(json.dumps(plugin.run_validated(action, json.loads(sys.argv[1]), {}, False)))
"""


def run_in_read_only_directory(dest, args):
    """The task's result where dest is read-only: its mode for a user, a read-only mount for root (whom no mode
    stops), made in a private mount namespace of a child process (``unshare``), so nothing else sees it."""
    if os.geteuid() != 0:
        dest.chmod(0o555)
        try:
            return run(args)
        finally:
            dest.chmod(0o755)
    mount_read_only = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    child = subprocess.run(["unshare", "--mount", "sh", "-c", mount_read_only, str(dest), sys.executable, "-c",
                            READ_ONLY_RUN, json.dumps(args)], capture_output=True, text=True, timeout=60,
                           cwd=str(REPO), env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)), check=False)
    if child.returncode != 0 and "mount" in child.stderr:
        pytest.skip("no private read-only mount here: %s" % child.stderr.strip())
    assert child.returncode == 0, child.stderr
    return json.loads(child.stdout)


def test_a_read_only_directory_is_a_clean_failure(tmp_path):
    dest = tmp_path / "reports"
    dest.mkdir()
    (dest / "audit.json").write_text("old\n")
    result = run_in_read_only_directory(dest, {"dest": str(dest), "files": {"audit.json": "new\n"}})
    assert result["failed"] is True
    reason = "Read-only file system" if os.geteuid() == 0 else "Permission denied"
    assert result["msg"].startswith(f"writing the files into {dest} failed: {reason}: {dest}/.audit.json.")
    assert result["changed"] is False and result["files"] == []
    assert os.listdir(dest) == ["audit.json"] and (dest / "audit.json").read_text() == "old\n"


def test_the_result_shows_the_contents_length_not_the_contents(tmp_path):
    result = run({"dest": str(tmp_path), "files": {"audit.html": "<p>" + "x" * 5000 + "</p>"}})
    assert result["invocation"]["module_args"]["files"] == {"audit.html": "(5007 characters)"}
    assert "x" * 100 not in repr(result)


def test_async_is_refused_before_anything_is_written(tmp_path):
    plugin, action = action_plugin("report_files")
    plugin._task = SimpleNamespace(async_val=60, action=action, args={"dest": str(tmp_path), "files": {"a": "a"}})
    result = plugin.run(task_vars={})
    assert result == {"failed": True, "msg": "vapix.edge_storage.report_files runs on the controller as an action "
                                             "plugin and cannot run with 'async': remove 'async' and 'poll' from "
                                             "the task."}
    assert os.listdir(tmp_path) == []
