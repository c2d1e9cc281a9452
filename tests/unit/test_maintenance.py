# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parsers and planners of disk jobs, recording removal, export and recording settings (no device)."""

from __future__ import annotations

import datetime

import pytest

from tests.emulator import media
from tests.unit.double import Call, Transcript, module_params

from ansible_collections.vapix.edge_storage.plugins.module_utils import _parsers, _xml
from ansible_collections.vapix.edge_storage.plugins.module_utils._disk_job import DiskJob
from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import Step
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    EXPORT,
    ValidationError,
    VapixError,
    describe,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_export import ARGUMENT_SPEC as EXPORT_SPEC
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_export import ExportRequest, export_one
from ansible_collections.vapix.edge_storage.plugins.module_utils._recording_removal import (
    RecordingSelection,
    counts,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_recording_settings import (
    ARGUMENT_SPEC as SETTINGS_SPEC,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_recording_settings import (
    RecordingSettingsResource,
)

EXPORT_NS = ('xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" SchemaVersion="1.2" '
             'xsi:noNamespaceSchemaLocation="http://www.axis.com/vapix/http_cgi/exportrecording1.xsd"')


def test_job_answer_keeps_result_and_finding():
    root = _xml.parse('<root><job jobid="7" diskid="SD_DISK" action="checkdisk" result="ERROR" progress="100" '
                      'description="File system errors found" /></root>')
    assert _parsers.parse_job(root) == {"job_id": "7", "disk_id": "SD_DISK", "action": "checkdisk", "progress": 100,
                                        "result": "ERROR", "description": "File system errors found"}


def test_remove_answer_per_recording():
    root = _xml.parse('<root><remove recordingid="a" result="OK" /><remove recordingid="b" result="ERROR" '
                      'errormsg="Disk is locked" /><remove recordingid="c" result="error" /></root>')
    assert _parsers.parse_remove_results(root) == [("a", None), ("b", "Disk is locked"), ("c", "removal failed")]


def test_export_capabilities_with_and_without_encryption():
    root = _xml.parse('<ExportRecordingResponse %s><CapabilitiesSuccess><ExportCapabilities ExportFormat="matroska">'
                      '<ExportEncryption EncryptionFormat="zip-aes256"/></ExportCapabilities>'
                      '<ExportCapabilities ExportFormat="mp4" /></CapabilitiesSuccess></ExportRecordingResponse>'
                      % EXPORT_NS)
    assert _parsers.parse_export_capabilities(root) == {"matroska": ["zip-aes256"], "mp4": []}


def test_export_properties_unknown_size_is_none():
    root = _xml.parse('<ExportRecordingResponse %s><PropertiesSuccess><ExportProperties RecordingId="r" '
                      'ExportFormat="matroska" EstimatedFileSize="-1" Starttime="2014-12-11T09:11:52Z" '
                      'Stoptime="2014-12-11T11:00:46Z"/></PropertiesSuccess></ExportRecordingResponse>' % EXPORT_NS)
    assert _parsers.parse_export_properties(root) == {
        "recording_id": "r", "format": "matroska", "encryption": None, "estimated_kb": None,
        "start": "2014-12-11T09:11:52Z", "stop": "2014-12-11T11:00:46Z"}
    with pytest.raises(ValueError):
        _parsers.parse_export_properties(_xml.parse("<ExportRecordingResponse><PropertiesSuccess/>"
                                                    "</ExportRecordingResponse>"))


@pytest.mark.parametrize("code, needle", [(110, "no such recording"), (250, "encryption format"),
                                          (280, "does not suit the export format"), (40, "schema version")])
def test_export_error_codes_have_sentences(code, needle):
    assert needle in describe(EXPORT, code)
    assert needle in str(VapixError(EXPORT, "record/export/properties.cgi", "x", code=code))


def test_repair_and_format_are_destructive_and_a_check_is_not():
    check = DiskJob({"disk_id": "SD_DISK", "action": "check", "job_timeout": 60})
    repair = DiskJob({"disk_id": "SD_DISK", "action": "repair", "job_timeout": 60, "allow_data_loss": True})
    assert not check.destructive and not check.allows_data_loss
    assert repair.destructive and repair.allows_data_loss
    step = repair._job_step({"filesystem": "ext4"})  # pylint: disable=protected-access
    assert isinstance(step, Step) and step.destructive and step.text.endswith("(repair.cgi) [destructive]")


@pytest.mark.parametrize("params, needle", [
    ({"disk_id": " ", "action": "check", "job_timeout": 60}, "disk_id is empty: give the disk's id as the camera lists it"),
    ({"disk_id": "SD_DISK", "action": "check", "job_timeout": 0}, "job_timeout must be a positive"),
    ({"disk_id": "SD_DISK", "action": "repair", "filesystem": "ext4", "job_timeout": 60}, "action: format only"),
])
def test_disk_job_options(params, needle):
    with pytest.raises(ValidationError, match=needle):
        DiskJob(params)


def test_removal_filters_follow_the_selection():
    selection = RecordingSelection({"before": "2026-11-01T01:00:00+01:00", "event_id": "motion",
                                    "disk_id": "SD_DISK"})
    assert selection.filters() == [("diskid", "SD_DISK"), ("eventid", "motion"), ("stoptime", "2026-11-01T00:00:00Z")]
    assert RecordingSelection({"recording_ids": ["a"]}).filters() == [("recordingid", "all")]


@pytest.mark.parametrize("params, needle", [
    ({"recording_ids": ["a"], "event_id": "motion"}, "cannot be combined"),
    ({"recording_ids": []}, "recording_ids is empty"),
    ({}, "select the recordings to remove"),
    ({"before": "30d"}, "before must be a fixed time"),
    ({"before": "2026-13-01T00:00:00Z"}, "is not a time"),
])
def test_removal_selection_errors(params, needle):
    with pytest.raises(ValidationError, match=needle):
        RecordingSelection(params)


def test_removal_counts():
    recordings = [{"disk_id": "SD_DISK", "event_id": "motion", "stop": "x"},
                  {"disk_id": "SD_DISK", "event_id": "motion", "stop": None},
                  {"disk_id": "NetworkShare", "event_id": "", "stop": "y", "status": "recording"}]
    assert counts(recordings) == {"total": 3, "active": 2, "by_disk": {"SD_DISK": 2, "NetworkShare": 1},
                                  "by_event": {"motion": 2, "": 1}}


@pytest.mark.parametrize("params, needle", [
    ({}, "declare default_disk_id"),
    ({"default_split_duration": 0}, "1 to 86400"),
    ({"default_disk_id": " "}, "default_disk_id is empty: give the disk.s id"),
])
def test_recording_settings_options(params, needle):
    with pytest.raises(ValidationError, match=needle):
        RecordingSettingsResource(module_params(SETTINGS_SPEC, **params))


def export_request(given):
    return ExportRequest(module_params(EXPORT_SPEC, **given))


EXPORT_CALL = Call("record/export/exportrecording.cgi",
                   {"recordingid": "r1", "diskid": "SD_DISK", "exportformat": "matroska"})
# A whole Matroska file, as the emulator exports one (an export must be the whole file it asks for).
MATROSKA = media.matroska("r1", datetime.datetime(2026, 11, 20, 8, tzinfo=datetime.UTC),
                          datetime.datetime(2026, 11, 20, 8, 10, tzinfo=datetime.UTC))


def test_a_failed_export_leaves_no_file_behind(tmp_path):
    request = export_request({"dest": str(tmp_path), "recording_ids": ["r1"]})
    target = str(tmp_path / "r1.mkv")
    # The connection drops after part of the file, on each of the client's attempts.
    dropped = EXPORT_CALL.answers(MATROSKA, headers={"Content-Type": "video/x-matroska"}).breaks_after(6)
    camera = Transcript(dropped, dropped, dropped)
    with pytest.raises(VapixError):
        export_one(camera.device(sleep=lambda seconds: None), request,
                   {"recording_id": "r1", "disk_id": "SD_DISK"}, target)
    assert list(tmp_path.iterdir()) == []
    whole = Transcript(EXPORT_CALL.answers(MATROSKA, headers={"Content-Type": "video/x-matroska"}))
    assert export_one(whole.device(), request, {"recording_id": "r1", "disk_id": "SD_DISK"}, target) == len(MATROSKA)
    assert [p.name for p in tmp_path.iterdir()] == ["r1.mkv"]
    assert (tmp_path / "r1.mkv").read_bytes() == MATROSKA


def test_export_request_options(tmp_path):
    with pytest.raises(ValidationError, match="select what to export"):
        export_request({"dest": str(tmp_path)})
    with pytest.raises(ValidationError, match="longer than the camera's maximum of 512 bytes"):
        export_request({"dest": str(tmp_path), "event_id": "motion", "export_password": "é" * 257})
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValidationError, match="is not a directory"):
        export_request({"dest": str(tmp_path / "file"), "event_id": "motion"})
    zipped = export_request({"dest": str(tmp_path), "event_id": "motion", "export_password": "pw"})
    assert zipped.target({"recording_id": "r1"}) == str(tmp_path / "r1.zip")
    # an id listed on more than one disk: the file of each copy is named after its disk too
    assert zipped.target({"recording_id": "r1", "disk_id": "NetworkShare"}, on_disks=True) == str(
        tmp_path / "r1.NetworkShare.zip")
