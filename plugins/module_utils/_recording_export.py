# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Export of recordings to files on the controller (``axis_recording_export``).

The recordings of a window (optionally of one event id, one disk, or named
ids) are listed with record/list.cgi; each becomes one file in ``dest``,
named after its recording id: ``<id>.mkv`` as the camera exports it
(Matroska), or ``<id>.zip`` with an export password (the camera's
``zip-aes256`` archive). Fixed names make a rerun skip what it exported
before, unless ``force``.

Per recording: record/export/properties.cgi (its estimated size; asked in
check mode too), then record/export/exportrecording.cgi streamed into a
temporary file next to the target, renamed into place when complete, so an
interrupted export never leaves a file that looks finished.

The Export recording API is asked which schema versions it speaks
(schemaversions.cgi) and what it offers (capabilities.cgi) before any export:
requests use major version 1; an encrypted export needs version 1.2 and
``zip-aes256`` among the capabilities of the Matroska format.
"""

from __future__ import annotations

import os
import tempfile

from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import Step, apply_steps
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import UnsupportedError, ValidationError
from ansible_collections.vapix.edge_storage.plugins.module_utils._options import disk_id_option
from ansible_collections.vapix.edge_storage.plugins.module_utils._recordings import (
    Query,
    camera_now,
    iso,
    list_recordings,
    recording_filters,
    resolve_moment,
)

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


class ExportRequest:
    """The validated options of axis_recording_export."""

    def __init__(self, params):
        self.dest = params["dest"]
        self.password = params.get("export_password") or None
        self.encryption = ENCRYPTION if self.password else None
        self.force = bool(params.get("force"))
        self.include_active = bool(params.get("include_active"))
        self.ids = [text.strip() for text in params.get("recording_ids") or [] if text and text.strip()]
        self.query = Query(params)
        if not (self.ids or self.query.start is not None or self.query.stop is not None or self.query.event_id):
            raise ValidationError("select what to export: a window (start and/or stop), an event_id or "
                                  "recording_ids")
        if self.password is not None and len(self.password.encode("utf-8")) > MAX_PASSWORD_BYTES:
            raise ValidationError("export_password is longer than the camera's maximum of %d bytes" % MAX_PASSWORD_BYTES)
        if os.path.exists(self.dest) and not os.path.isdir(self.dest):
            raise ValidationError("dest %s exists and is not a directory" % self.dest)

    def state_now(self, device):
        """Where things stand after a failed export: the camera is unchanged; the files written are kept."""
        return "the camera is unchanged; the files exported before the failure are complete and kept in %s" % self.dest

    def target(self, recording):
        return os.path.join(self.dest, recording["recording_id"] + EXTENSIONS[self.encryption])


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


def select(device, request, now):
    """The recordings to consider, oldest first, and the ids named but not found."""
    query = request.query
    filters = recording_filters(query, resolve_moment(query.start, now), resolve_moment(query.stop, now))
    listed, complete, pages = list_recordings(device, filters, query.page_size, query.max_pages)
    warnings = []
    if not complete:
        warnings.append("listed %d recordings in %d pages (max_pages) and stopped: more match, and were not "
                        "exported; narrow the window or raise max_pages" % (len(listed), pages))
    if not request.ids:
        return listed, [], warnings
    by_id = {recording["recording_id"]: recording for recording in listed}
    return [by_id[rid] for rid in request.ids if rid in by_id], [rid for rid in request.ids if rid not in by_id], \
        warnings


def export_one(device, request, recording, path):
    """Stream one recording into path (through a temporary file in the same directory); return its size."""
    handle, partial = tempfile.mkstemp(prefix=".%s." % recording["recording_id"], suffix=".part", dir=request.dest)
    try:
        with os.fdopen(handle, "wb") as out:
            size = device.export_recording(recording["recording_id"], recording["disk_id"], FORMAT, out,
                                           password=request.password, encryption=request.encryption)
        os.chmod(partial, 0o640)
        os.replace(partial, path)
    except BaseException:
        if os.path.exists(partial):
            os.unlink(partial)
        raise
    return size


def export_step(request, entry):
    """The export of one planned file; records its size in entry when done."""
    def run(device):
        entry["size"] = export_one(device, request, entry, entry["path"])
    return Step("export_recording", "export recording %s from disk %s to %s%s"
                % (entry["recording_id"], entry["disk_id"], entry["path"],
                   " (%s, password-protected)" % entry["encryption"] if entry["encryption"] else ""), run)


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
    for recording in recordings:
        path = request.target(recording)
        if recording.get("stop") is None and not request.include_active:
            skipped.append({"what": recording["recording_id"],
                            "why": "still recording; include_active: true exports it up to now"})
        elif os.path.exists(path) and not request.force:
            skipped.append({"what": recording["recording_id"],
                            "why": "%s exists; force: true overwrites it" % path})
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
    if warnings:
        result["warnings"] = warnings
    if module.check_mode or not files:
        return result
    if not os.path.isdir(request.dest):
        os.makedirs(request.dest, 0o750)
    apply_steps(device, request, steps)
    return result
