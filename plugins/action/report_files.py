# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""vapix.edge_storage.report_files on the controller; its documentation is plugins/modules/report_files.py.

Writes text files into one directory of the controller in the worker
process, without a module process: every name and mode is checked before the
first write, a file is written only when its content (or mode) differs, and
each write goes to a temporary file in the same directory that is synced and
renamed over the target, so a reader never sees half a report and a failed
write leaves no temporary file behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile

from ansible.module_utils.common.text.converters import to_bytes

from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import ControllerAction

ARGUMENT_SPEC = dict(
    dest=dict(type="path", required=True),
    files=dict(type="dict", required=True),
    mode=dict(type="raw", default="0644"),
    directory_mode=dict(type="raw", default="0755"),
)


class InvalidFiles(ValueError):
    """An option the task cannot write with; the message says what to give instead."""


def parse_mode(option, value):
    """An octal permission mode (``'0644'``, ``'644'`` or a YAML octal number) as an int."""
    if isinstance(value, int) and not isinstance(value, bool):
        mode = value
    elif isinstance(value, str) and value.strip().isdigit() and set(value.strip()) <= set("01234567"):
        mode = int(value.strip(), 8)
    else:
        raise InvalidFiles(f"{option} {value!r} is not an octal mode: give it quoted, as in '0644'")
    if not 0 <= mode <= 0o7777:
        raise InvalidFiles(f"{option} {oct(mode)} is not a permission mode: give one from '0000' to '7777'")
    return mode


def check_name(name):
    """A file name to write in dest: a plain name, no path."""
    if not isinstance(name, str):
        raise InvalidFiles(f"file name {name!r} is not text: quote it")
    if not name:
        raise InvalidFiles("files has an empty file name: give each file a name such as 'audit.json'")
    if "\0" in name:
        raise InvalidFiles("file name %r holds a NUL character" % name)
    if "/" in name or name in (".", ".."):
        raise InvalidFiles("file name %r is not a plain file name: give a name without '/' (the files go into dest), "
                           "not '.' or '..'" % name)


def planned_files(dest, files):
    """[(name, path, content bytes)] of every file, or InvalidFiles naming the first bad name or content."""
    planned = []
    for name, content in files.items():
        check_name(name)
        if not isinstance(content, str):
            raise InvalidFiles("files[%r] is a %s, not text: render it first, for example with "
                               "ansible.builtin.to_nice_json" % (name, type(content).__name__))
        try:
            encoded = to_bytes(content, errors="surrogate_or_strict")
        except UnicodeEncodeError as exc:
            raise InvalidFiles(f"files[{name!r}] cannot be written as UTF-8: {exc.reason}") from None
        planned.append((name, os.path.join(dest, name), encoded))
    return planned


def needs_write(path, content, mode):
    """(content differs, mode differs) of the file at path; a missing file differs in both, and so does a
    symbolic link (whatever it points to: it is replaced by the file, never followed to write or chmod)."""
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return True, True
    if stat.S_ISLNK(found.st_mode):
        return True, True
    if stat.S_ISDIR(found.st_mode):
        raise IsADirectoryError("%s is a directory, not a file: remove it or choose another name" % path)
    if found.st_size != len(content):
        return True, stat.S_IMODE(found.st_mode) != mode
    with open(path, "rb") as current:
        return current.read() != content, stat.S_IMODE(found.st_mode) != mode


def write_atomically(path, content, mode):
    """content into path through a synced temporary file in the same directory, renamed over path."""
    directory, name = os.path.split(path)
    handle, temporary = tempfile.mkstemp(prefix=".%s." % name, suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fchmod(out.fileno(), mode)
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def make_directories(path, mode):
    """The directory path and its missing parents, each created with mode (not reduced by the umask)."""
    missing = []
    while not os.path.isdir(path):
        if os.path.lexists(path):
            raise NotADirectoryError(errno.ENOTDIR, "Not a directory", path)
        missing.append(path)
        path = os.path.dirname(path)
    for directory in reversed(missing):
        try:
            os.mkdir(directory)
        except FileExistsError:
            if not os.path.isdir(directory):
                raise
            continue
        os.chmod(directory, mode)


def sync_directory(path):
    """Make the renames in directory path durable."""
    handle = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def describe(exc):
    """An OSError as the system says it, with the path it concerns."""
    if exc.strerror and exc.filename:
        return f"{exc.strerror}: {exc.filename}"
    return exc.strerror or str(exc)


def validated_request(params):
    """(dest, file mode, directory mode, planned files) of the task, or InvalidFiles before anything is written."""
    dest = params["dest"]
    if not os.path.isabs(dest):
        raise InvalidFiles("dest %s is a relative path: give an absolute one, for example "
                           "'{{ playbook_dir }}/reports'" % dest)
    return (dest, parse_mode("mode", params["mode"]), parse_mode("directory_mode", params["directory_mode"]),
            planned_files(dest, params["files"]))


class ActionModule(ControllerAction):
    argument_spec = ARGUMENT_SPEC

    def invocation(self, params):
        """The arguments without the files' contents (a report can be megabytes): each content's length instead."""
        shown = dict(params)
        if isinstance(shown.get("files"), dict):
            shown["files"] = {name: "(%d characters)" % len(content) if isinstance(content, str) else content
                              for name, content in shown["files"].items()}
        return shown

    def execute(self, task):
        try:
            dest, mode, directory_mode, planned = validated_request(task.params)
        except InvalidFiles as exc:
            return task.fail_json(msg=str(exc))
        result = {"changed": False, "dest": dest, "files": []}
        try:
            if os.path.lexists(dest) and not os.path.isdir(dest):
                raise NotADirectoryError("dest %s exists and is not a directory" % dest)
            exists = os.path.isdir(dest)
            if not exists:
                result["changed"] = True
                if not task.check_mode:
                    make_directories(dest, directory_mode)
            for name, path, content in planned:
                content_differs, mode_differs = needs_write(path, content, mode) if exists else (True, True)
                if not task.check_mode:
                    if content_differs:
                        write_atomically(path, content, mode)
                    elif mode_differs:
                        os.chmod(path, mode)
                changed = content_differs or mode_differs
                result["changed"] = result["changed"] or changed
                result["files"].append({"name": name, "path": path, "changed": changed, "size": len(content)})
            if result["changed"] and not task.check_mode:
                sync_directory(dest)
        except OSError as exc:
            return task.fail_json(msg=f"writing the files into {dest} failed: {describe(exc)}", **result)
        return task.exit_json(**result)
