# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Export of recordings to files on the controller (``axis_recording_export``).

The recordings of a window (optionally of one event id, one disk, or named
ids) are listed with record/list.cgi; each becomes one file in ``dest``,
named after its recording id: ``<id>.mkv`` as the camera exports it
(Matroska), or ``<id>.zip`` with an export password (the camera's
``zip-aes256`` archive). A recording id is unique on its disk only: an id the
listing holds on more than one disk names each copy's file after its disk
too, ``<id>.<disk id>.mkv``. Fixed names make a rerun skip what it exported
before, unless ``force``.

Per recording: record/export/properties.cgi (its estimated size; asked in
check mode too), then record/export/exportrecording.cgi streamed into a
temporary file next to the target, renamed into place when complete, so an
interrupted export never leaves a file that looks finished.

"Complete" is checked on the file itself before the rename, since a camera's
error page, an empty answer or a body cut short can come with status 200: a
Matroska export must start with the EBML header (1A 45 DF A3) and hold its
whole Segment when the Segment states its size (a live-written Segment of
unknown size cannot be measured); a ``zip-aes256`` export must start with a
ZIP local file header (``PK\\x03\\x04``) and end with the archive's central
directory. Anything else is a damaged answer: the temporary file is removed
and a file from an earlier export stays as it was. (A body shorter than the
Content-Length the camera sent is refused by the HTTP client before that.)

The controller's side is checked as far as it can be without writing, in check
mode too, once there is a file to write: a file in the way of dest is an argument
error (before any request), a read-only file system or a directory this user
may not write in a DestinationError. What only a write shows (a full file
system) is a DestinationError where the file is written, after the temporary
file is removed.

The Export recording API is asked which schema versions it speaks
(schemaversions.cgi) and what it offers (capabilities.cgi) before any export:
requests use major version 1; an encrypted export needs version 1.2 and
``zip-aes256`` among the capabilities of the Matroska format.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import zipfile

from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import Step, apply_steps
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    EXPORT,
    RECORDING,
    DestinationError,
    StepError,
    UnsupportedError,
    ValidationError,
    damaged_answer,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._options import disk_id_option
from ansible_collections.vapix.edge_storage.plugins.module_utils._recordings import (
    Query,
    camera_now,
    given_recording_ids,
    iso,
    list_recordings,
    recording_filters,
    resolve_moment,
    running,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._units import KB, format_size

ARGUMENT_SPEC = dict(
    dest=dict(type="path", required=True),
    start=dict(type="str"),
    stop=dict(type="str"),
    event_id=dict(type="str"),
    disk_id=disk_id_option(),
    recording_ids=dict(type="list", elements="str"),
    include_active=dict(type="bool", default=False),
    export_password=dict(type="str", no_log=True),
    force=dict(type="bool", default=False),
    page_size=dict(type="int", default=100),
    max_pages=dict(type="int", default=50),
)

FORMAT = "matroska"
ENCRYPTION = "zip-aes256"
SCHEMA_MAJOR = 1
ENCRYPTION_SCHEMA = (1, 2)
MAX_PASSWORD_BYTES = 512
EXTENSIONS = {None: ".mkv", ENCRYPTION: ".zip"}

EBML_MAGIC = b"\x1a\x45\xdf\xa3"     # the EBML header element, first in every Matroska file
SEGMENT_ID = b"\x18\x53\x80\x67"
VOID_ID = b"\xec"                      # padding, allowed at any level
ZIP_MAGIC = b"PK\x03\x04"              # a ZIP local file header, first in the archive
HEAD_BYTES = 65536                     # how much of a Matroska file is read to find its Segment


class ExportRequest:
    """The validated options of axis_recording_export."""

    def __init__(self, params):
        self.dest = params["dest"]
        if not os.path.isabs(self.dest):
            # A relative dest would be resolved against the directory ansible-playbook was started in, not the
            # playbook's: the files land elsewhere on each run from another directory (as report_files says).
            raise ValidationError("dest %s is a relative path: give an absolute one, for example "
                                  "'{{ playbook_dir }}/exports'" % self.dest)
        self.password = params.get("export_password") or None
        self.encryption = ENCRYPTION if self.password else None
        self.force = bool(params.get("force"))
        self.include_active = bool(params.get("include_active"))
        self.ids = given_recording_ids(params)
        self.query = Query(params)
        if not (self.ids or self.query.start is not None or self.query.stop is not None or self.query.event_id):
            raise ValidationError("select what to export: a window (start and/or stop), an event_id or "
                                  "recording_ids")
        if self.password is not None and len(self.password.encode("utf-8")) > MAX_PASSWORD_BYTES:
            raise ValidationError("export_password is longer than the camera's maximum of %d bytes" % MAX_PASSWORD_BYTES)
        self.saved = []       # the paths of the files this run has written, in order
        existing = nearest_existing(self.dest)
        if existing == os.path.abspath(self.dest) and not os.path.isdir(existing):
            raise ValidationError("dest %s exists and is not a directory" % self.dest)
        if not os.path.isdir(existing):
            raise ValidationError("dest %s cannot be created: %s is not a directory; choose another dest"
                                  % (self.dest, existing))

    def state_now(self, device):
        """Where things stand after a failed export: the camera is unchanged; the files written are kept."""
        if not self.saved:
            return "the camera is unchanged; no file was written in %s" % self.dest
        files, are = ("file", "is") if len(self.saved) == 1 else (f"{len(self.saved)} files", "are")
        return f"the camera is unchanged; the {files} exported before the failure {are} complete and kept: " + \
            ", ".join(self.saved)

    def target(self, recording, on_disks=False):
        """The file of a recording in dest: ``<id>.<ext>``, or ``<id>.<disk id>.<ext>`` when on_disks (the
        recording's id is listed on more than one disk)."""
        name = recording["recording_id"] + ("." + recording["disk_id"] if on_disks else "")
        return os.path.join(self.dest, name + EXTENSIONS[self.encryption])


def nearest_existing(path):
    """path itself when it exists, else its nearest parent that does (where it would be created)."""
    path = os.path.abspath(path)
    while not os.path.lexists(path) and os.path.dirname(path) != path:
        path = os.path.dirname(path)
    return path


def why_not_writable(code, where):
    """What an errno of the controller's file system means for writing into the directory where, and what to
    do about it."""
    if code in (errno.ENOSPC, errno.EDQUOT):
        return "the file system of %s is full (or the user's quota there is used up): free space there or choose " \
               "another dest" % where
    if code == errno.EROFS:
        return "%s is on a read-only file system: choose a dest on a writable one" % where
    if code in (errno.EACCES, errno.EPERM):
        return "the user Ansible runs as on the controller may not write in %s: give it write access there or " \
               "choose another dest" % where
    if code == errno.ENOTDIR:
        return "a part of the path %s is a file, not a directory: choose another dest" % where
    return "check %s, or choose another dest" % where


def destination_error(doing, exc, where, outcome):
    """The DestinationError for an OSError (exc) of the controller's file system while doing something in
    the directory where; outcome says what is left of the export."""
    return DestinationError("%s failed on the controller (%s): %s; %s"
                            % (doing, exc.strerror or exc, why_not_writable(exc.errno, where), outcome))


def check_destination(dest):
    """Raise DestinationError when files cannot be written into dest (or dest cannot be created), as far as
    that can be seen without writing: a read-only file system, or no write permission for this user. A full
    file system shows only when a file is written (see space_warning)."""
    existing = nearest_existing(dest)
    if os.statvfs(existing).f_flag & os.ST_RDONLY:
        code = errno.EROFS
    elif not os.access(existing, os.W_OK | os.X_OK):
        code = errno.EACCES
    else:
        return
    raise DestinationError("dest %s cannot be written: %s; nothing was exported, the camera is unchanged"
                           % (dest, why_not_writable(code, existing)))


def space_warning(dest, files):
    """A warning when the camera's estimates of the files add up to more than the free space where dest is;
    None otherwise (estimates are no promise, so this does not fail the task)."""
    needed_kb = sum(entry["estimated_kb"] or 0 for entry in files)
    stats = os.statvfs(nearest_existing(dest))
    free_kb = stats.f_bavail * stats.f_frsize // KB
    if needed_kb <= free_kb:
        return None
    return ("the camera estimates the files at %s in all, more than the %s free on the file system of %s: the "
            "export may stop when it is full" % (format_size(needed_kb), format_size(free_kb), dest))


def make_destination(dest):
    """Create dest (mode 0750) with the directories it needs; DestinationError when the controller refuses."""
    try:
        os.makedirs(dest, 0o750, exist_ok=True)
    except OSError as exc:
        raise destination_error("creating dest %s" % dest, exc, nearest_existing(dest),
                                "nothing was exported, the camera is unchanged") from exc


def require_export_api(device, request):
    """Schema version and capabilities the export needs; UnsupportedError naming what is missing."""
    device.require("export_recording", "recording export")
    versions = [(major, minor) for major, minor, _deprecated in device.export_schema_versions()]
    spoken = [version for version in versions if version[0] == SCHEMA_MAJOR]
    if not spoken:
        raise UnsupportedError("recording export", "the camera's Export recording API speaks schema versions %s, "
                               "not %d.x" % (", ".join("%d.%d" % v for v in versions) or "none", SCHEMA_MAJOR))
    formats = device.export_capabilities()
    if FORMAT not in formats:
        raise UnsupportedError("recording export", "the camera exports %s, not %s"
                               % (", ".join(sorted(formats)) or "no format", FORMAT))
    if request.encryption:
        if max(spoken) < ENCRYPTION_SCHEMA:
            raise UnsupportedError("encrypted export (zip-aes256)", "needs the Export recording API 1.2; the camera "
                                   "speaks up to %d.%d: leave export_password out" % max(spoken))
        if request.encryption not in formats[FORMAT]:
            raise UnsupportedError("encrypted export (zip-aes256)", "the camera's export capabilities offer no %s "
                                   "encryption for %s: leave export_password out" % (request.encryption, FORMAT))


# A recording id names its file in dest: it must be a plain file name (the camera's ids are like
# 20261120_080000_0694_ACCC8EF7DE6B), never a path or a hidden name.
_PLAIN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def select(device, request, now):
    """The recordings to consider, oldest first, and the ids named but not found. A listed recording whose id
    is not a plain file name is a damaged answer: trusted, it would have the export write outside dest."""
    query = request.query
    filters = recording_filters(query, resolve_moment(query.start, now), resolve_moment(query.stop, now))
    listing = list_recordings(device, filters, query.page_size, query.max_pages)
    listed = listing.recordings
    disks_of = {}
    for recording in listed:
        disks_of.setdefault(recording["recording_id"], set()).add(recording["disk_id"])
    for recording in listed:
        # the id names the file; so does the disk id, of an id listed on more than one disk
        for what in ("recording_id", "disk_id") if len(disks_of[recording["recording_id"]]) > 1 else ("recording_id",):
            if not _PLAIN_ID.match(recording[what]):
                raise damaged_answer(RECORDING, device.where("recordings_page", filters),
                                     "the camera lists a recording with the %s %r, which is not a plain file name "
                                     "(letters, digits, '_', '.', '-'): an export names its file after it, so "
                                     "nothing is exported" % (what.replace("_", " "), recording[what]))
    warnings = []
    if not listing.complete:
        warnings.append("%s, and were not exported; %s"
                        % (listing.summary(), listing.remedy("narrow the window or raise max_pages")))
    if not request.ids:
        return listed, [], warnings
    ids = list(dict.fromkeys(request.ids))
    # every listed copy of an id: one on each disk that holds it
    return [recording for rid in ids for recording in listed if recording["recording_id"] == rid], \
        [rid for rid in ids if not any(recording["recording_id"] == rid for recording in listed)], warnings


def _vint(data, pos):
    """(value, next position) of the EBML variable-size integer at pos, its length marker removed; value None
    for the reserved "unknown" value (all value bits set). (None, None) when data ends inside it or it is not
    one (a first byte of 0)."""
    if pos >= len(data) or data[pos] == 0:
        return None, None
    length = 9 - data[pos].bit_length()
    if pos + length > len(data):
        return None, None
    value = int.from_bytes(data[pos:pos + length], "big") & ((1 << (7 * length)) - 1)
    return (None if value == (1 << (7 * length)) - 1 else value), pos + length


def _not_the_file(head):
    """What a body that does not start as the file asked for looks like, in words."""
    shown = head[:40].decode("iso-8859-1")
    if head.lstrip()[:1] == b"<":
        return "it starts with %r, an HTML or XML page as a camera answers an error" % shown
    return "it starts with %r" % shown


def _matroska_problem(path, size):
    """Why the file at path is not a whole Matroska file; None when it is (or when its Segment, of unknown
    size, cannot tell)."""
    with open(path, "rb") as data_file:
        head = data_file.read(HEAD_BYTES)
    if not head.startswith(EBML_MAGIC):
        return "the answer is not a Matroska file (no EBML header 1A 45 DF A3): %s" % _not_the_file(head)
    header_size, pos = _vint(head, len(EBML_MAGIC))
    if pos is None or header_size is None or pos + header_size > len(head):
        return "the answer ends inside its EBML header (%d bytes): it was cut off" % size
    pos += header_size
    while head[pos:pos + len(VOID_ID)] == VOID_ID:
        void_size, pos = _vint(head, pos + len(VOID_ID))
        if pos is None or void_size is None:
            return "the answer ends inside padding after its EBML header (%d bytes): it was cut off" % size
        pos += void_size
    if pos + len(SEGMENT_ID) > len(head):
        return "the answer ends after its EBML header, before its Segment (%d bytes): it was cut off" % size
    if head[pos:pos + len(SEGMENT_ID)] != SEGMENT_ID:
        return "the answer has no Matroska Segment after its EBML header"
    segment_size, start = _vint(head, pos + len(SEGMENT_ID))
    if start is None:
        return "the answer ends inside its Segment's size (%d bytes): it was cut off" % size
    if segment_size is not None and start + segment_size > size:
        return "the answer is %d bytes long, but its Matroska Segment says the file is %d bytes: it was cut off" \
            % (size, start + segment_size)
    return None


def _zip_problem(path):
    """Why the file at path is not a whole ZIP archive; None when it is."""
    with open(path, "rb") as data_file:
        head = data_file.read(len(ZIP_MAGIC) + 40)
    if not head.startswith(ZIP_MAGIC):
        return "the answer is not a ZIP archive (no local file header PK\\x03\\x04): %s" % _not_the_file(head)
    try:
        with zipfile.ZipFile(path) as archive:
            if not archive.infolist():
                return "the answer is a ZIP archive without any file in it"
    except (zipfile.BadZipFile, OSError) as exc:
        return "the answer is not a whole ZIP archive (%s): it was cut off" % exc
    return None


def export_problem(path, size, encryption):
    """Why the file an export wrote to path is not the whole recording the request asked for (Matroska, or
    a zip-aes256 archive with encryption); None when it is."""
    if size == 0:
        return "the answer is empty"
    return _zip_problem(path) if encryption else _matroska_problem(path, size)


def _discard(partial):
    """Remove the temporary file of a failed export; the words for what is left of it."""
    try:
        if os.path.lexists(partial):
            os.unlink(partial)
    except OSError as exc:
        return f"its partial file {partial} could not be removed ({exc.strerror or exc}): delete it"
    return "no partial file of it is left"


def export_one(device, request, recording, path):
    """Stream one recording into path (through a temporary file in the same directory); return its size.
    An answer that is not the whole file (see export_problem) is a damaged answer and path is left as it was.
    The controller's file system refusing the file (full, read-only, no permission) is a DestinationError."""
    try:
        handle, partial = tempfile.mkstemp(prefix=".%s." % recording["recording_id"], suffix=".part",
                                           dir=request.dest)
    except OSError as exc:
        raise destination_error("writing %s" % path, exc, request.dest, "nothing of it was written") from exc
    try:
        with os.fdopen(handle, "wb") as out:
            size = device.export_recording(recording["recording_id"], recording["disk_id"], FORMAT, out,
                                           password=request.password, encryption=request.encryption)
        problem = export_problem(partial, size, request.encryption)
        if problem:
            kept = ", and the file there from an earlier export is kept as it was" if os.path.exists(path) else ""
            raise damaged_answer(EXPORT, device.where("export_recording", [
                ("recordingid", recording["recording_id"]), ("diskid", recording["disk_id"]),
                ("exportformat", FORMAT), ("encryptionformat", request.encryption)]),
                f"{problem}; it is not saved as {path}{kept}")
        os.chmod(partial, 0o640)
        os.replace(partial, path)
    except OSError as exc:
        # The client turns every failure of the network into a VapixError: an OSError here is the file's.
        raise destination_error("writing %s" % path, exc, request.dest, _discard(partial)) from exc
    except BaseException:
        _discard(partial)
        raise
    return size


def export_step(request, entry):
    """The export of one planned file; records its size in entry, and its path in request.saved, when done. A
    file written is a change, on the controller: a failure after it is ``changed`` and names it."""
    def run(device):
        entry["size"] = export_one(device, request, entry, entry["path"])
        request.saved.append(entry["path"])
    return Step("export_recording", "export recording %s from disk %s to %s%s"
                % (entry["recording_id"], entry["disk_id"], entry["path"],
                   " (%s, password-protected)" % entry["encryption"] if entry["encryption"] else ""), run,
                writes_controller=True)


def run(module):
    """The axis_recording_export task: select, plan files, export (not in check mode), report."""
    request = ExportRequest(module.params)
    module.add_secrets([request.password])
    device = module.device
    device.properties()
    now = camera_now(device)
    require_export_api(device, request)
    recordings, missing, warnings = select(device, request, now)
    planned = []
    skipped = [{"what": rid, "why": "no such recording on the camera (or not in the selection)"} for rid in missing]
    disks_of = {}
    for recording in recordings:
        disks_of.setdefault(recording["recording_id"], set()).add(recording["disk_id"])
    for recording in recordings:
        on_disks = len(disks_of[recording["recording_id"]]) > 1
        path = request.target(recording, on_disks)
        what = f"{recording['recording_id']} on disk {recording['disk_id']}" if on_disks else recording["recording_id"]
        # Firmware lists a running recording with the stop time it has got to (recordingstatus="recording"):
        # running() reads both, as the filters, coverage and axis_recording do.
        if running(recording) and not request.include_active:
            skipped.append({"what": what, "why": "still recording; include_active: true exports it up to now"})
        elif os.path.exists(path) and not request.force:
            skipped.append({"what": what, "why": "%s exists; force: true overwrites it" % path})
        else:
            planned.append((recording, path))
    files = []
    for recording, path in planned:
        properties = device.export_properties(recording["recording_id"], recording["disk_id"], FORMAT,
                                              request.encryption)
        files.append({
            "recording_id": recording["recording_id"],
            "disk_id": recording["disk_id"],
            "event_id": recording.get("event_id"),
            "start": properties.get("start") or recording["start"],
            "stop": properties.get("stop") or recording.get("stop"),
            "path": path,
            "estimated_kb": properties.get("estimated_kb"),
            "size": None,
            "encryption": request.encryption,
        })
    steps = [export_step(request, entry) for entry in files]
    result = {
        "changed": bool(files),
        "dest": request.dest,
        "camera_time": iso(now),
        "files": files,
        "skipped_recordings": skipped,
        "steps": [step.text for step in steps],
    }
    if files:
        check_destination(request.dest)
        short = space_warning(request.dest, files)
        if short:
            warnings.append(short)
    if warnings:
        result["warnings"] = warnings
    if module.check_mode or not files:
        return result
    make_destination(request.dest)
    try:
        apply_steps(device, request, steps)
    except StepError as exc:
        # the files written before the failure are complete and kept: the result names them
        exc.extra["files"] = [entry for entry in files if entry["path"] in request.saved]
        raise
    return result
