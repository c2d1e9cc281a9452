"""Recording API (list filters, time window, paging, listentity, record/stop/remove) and the
export API."""

import re

from .conftest import attr, error_code

LIST = "/axis-cgi/record/list.cgi"


def ids(text):
    return re.findall(r'recordingid="([^"]+)"', text)


def test_list_sorting_paging_and_counts(client):
    desc = client.xml(LIST, "viewer", recordingid="all")
    starts = re.findall(r'starttime="([^"]+)"', desc)
    assert starts == sorted(starts, reverse=True) and len(starts) == 3
    asc = client.xml(LIST, recordingid="all", sortorder="ascending")
    assert ids(asc) == list(reversed(ids(desc)))
    page = client.xml(LIST, recordingid="all", sortorder="ascending", maxnumberofresults=1,
                      startatresultnumber=1)
    assert ids(page) == [ids(asc)[1]]
    assert attr(page, "totalnumberofrecordings") == "3"
    assert attr(page, "numberofrecordings") == "3"       # matches before paging
    one = client.xml(LIST, recordingid=ids(asc)[0])
    assert ids(one) == [ids(asc)[0]]
    assert attr(client.xml(LIST, recordingid="nope"), "numberofrecordings") == "0"
    # the documentation's own examples use listentity=recordingid
    assert ids(client.xml(LIST, listentity="recordingid", eventid="motion")) == ids(
        client.xml(LIST, recordingid="all", eventid="motion"))
    # a POST with a form body is accepted as well
    r = client.post(LIST, {"recordingid": "all", "eventid": "motion"}, "viewer")
    assert r.status_code == 200 and len(ids(r.text)) == 2


def test_list_filters_and_time_window(client):
    motion = client.xml(LIST, eventid="motion", recordingid="all")
    assert len(ids(motion)) == 2
    window = client.xml(LIST, starttime="2026-11-21T12:31:00Z", stoptime="2026-11-22T18:30:00Z")
    assert len(ids(window)) == 2           # overlaps: 11-21 12:30-12:31:30 and 11-22 18:00
    after = client.xml(LIST, starttime="2026-11-22T00:00:00Z")
    assert len(ids(after)) == 1
    frac = client.xml(LIST, stoptime="2026-11-20T08:02:00.5+00:00")
    assert len(ids(frac)) == 1
    assert len(ids(client.xml(LIST, recordingid="all", diskid="NetworkShare"))) == 0
    assert len(ids(client.xml(LIST, recordingid="all", source="1"))) == 3
    assert client.get(LIST, starttime="yesterday").status_code == 400


def test_a_running_recording_is_listed_as_firmware_lists_it_and_as_the_documentation_does(client, make_fleet):
    # modern (as the recording API examples from firmware): microseconds, and the stop time it has got to
    rid = attr(client.xml("/axis-cgi/record/record.cgi", diskid="SD_DISK"), "recordingid")
    running = client.xml(LIST, recordingid=rid)
    assert attr(running, "recordingstatus") == "recording"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", attr(running, "stoptime"))
    assert re.fullmatch(r".*\.\d{6}\+00:00", attr(running, "starttimelocal"))
    assert attr(client.xml(LIST, recordingid="all", sortorder="ascending"),
                "starttime") == "2026-11-20T08:00:00.000000Z"
    # legacy (the documentation's shape): whole seconds, and an empty stop time while it runs
    from .conftest import Client
    legacy = Client(make_fleet(profile="legacy").cameras[0])
    try:
        rid = attr(legacy.xml("/axis-cgi/record/record.cgi", diskid="SD_DISK"), "recordingid")
        running = legacy.xml(LIST, recordingid=rid)
        assert attr(running, "recordingstatus") == "recording" and attr(running, "stoptime") == ""
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", attr(running, "starttime"))
    finally:
        legacy.close()


def test_startatresultnumber_counts_from_0_on_modern_and_from_1_on_legacy(client, make_fleet):
    from .conftest import Client
    asc = ids(client.xml(LIST, recordingid="all", sortorder="ascending"))
    assert ids(client.xml(LIST, recordingid="all", sortorder="ascending", startatresultnumber=1,
                          maxnumberofresults=1)) == [asc[1]]
    legacy = Client(make_fleet(profile="legacy").cameras[0])
    try:
        asc = ids(legacy.xml(LIST, recordingid="all", sortorder="ascending"))
        for first, wanted in ((0, asc[0]), (1, asc[0]), (2, asc[1])):
            assert ids(legacy.xml(LIST, recordingid="all", sortorder="ascending", startatresultnumber=first,
                                  maxnumberofresults=1)) == [wanted]
    finally:
        legacy.close()


def test_listentity_eventid_and_source(client):
    ev = client.xml(LIST, "viewer", listentity="eventid", diskid="SD_DISK")
    assert re.findall(r"<eventid>([^<]*)</eventid>", ev) == ["audio detection", "motion"]
    src = client.xml(LIST, listentity="source")
    assert re.findall(r"<source>([^<]*)</source>", src) == ["1"]


def test_record_stop_remove(client, camera):
    t = client.xml("/axis-cgi/record/record.cgi", "operator", diskid="SD_DISK",
                   options="resolution=640x480")
    rid = attr(t, "recordingid")
    assert rid.endswith("_" + camera.model.serial)
    listed = client.xml(LIST, recordingid=rid)
    assert attr(listed, "recordingstatus") == "recording" and attr(listed, "resolution") == "640x480"
    assert client.get("/axis-cgi/record/record.cgi", "viewer", diskid="SD_DISK").status_code == 403
    stop = client.xml("/axis-cgi/record/stop.cgi", recordingid=rid)
    assert re.search(r'<stop recordingid="%s" result="OK" />' % rid, stop)
    assert attr(client.xml(LIST, recordingid=rid), "recordingstatus") == "completed"
    again = client.xml("/axis-cgi/record/stop.cgi", recordingid=rid)
    assert attr(again, "result") == "ERROR"
    assert attr(client.xml("/axis-cgi/record/record.cgi", diskid="NetworkShare"),
                "result") == "ERROR"
    removed = client.xml("/axis-cgi/record/remove.cgi", recordingid=rid)
    assert re.search(r'<remove recordingid="%s" result="OK" />' % rid, removed)
    missing = client.xml("/axis-cgi/record/remove.cgi", recordingid=rid)
    assert attr(missing, "result") == "ERROR"
    combo = client.xml("/axis-cgi/record/remove.cgi", recordingid="all", eventid="motion")
    assert attr(combo, "result") == "ERROR"
    by_event = client.xml("/axis-cgi/record/remove.cgi", eventid="motion")
    assert len(ids(by_event)) == 2
    before = client.xml("/axis-cgi/record/remove.cgi", beforetime="2030-01-01T00:00:00Z")
    assert len(ids(before)) == 1
    assert attr(client.xml(LIST, recordingid="all"), "totalnumberofrecordings") == "0"


def test_remove_active_profile_recording_restarts_it(client):
    client.xml("/axis-cgi/record/continuous/addconfiguration.cgi", diskid="SD_DISK",
               options="fps=1", eventid="c")
    first = ids(client.xml(LIST, eventid="c"))[0]
    profile_stop = client.xml("/axis-cgi/record/stop.cgi", recordingid=first)
    assert attr(profile_stop, "result") == "ERROR"
    client.xml("/axis-cgi/record/remove.cgi", recordingid=first)
    now = client.xml(LIST, eventid="c")
    assert len(ids(now)) == 1 and ids(now)[0] != first
    assert attr(now, "recordingstatus") == "recording"


def test_unmount_completes_continuous_recording_and_mount_restarts(client):
    from .conftest import run_disk_job
    client.xml("/axis-cgi/record/continuous/addconfiguration.cgi", diskid="SD_DISK",
               options="fps=1", eventid="c")
    run_disk_job(client, "/axis-cgi/disks/mount.cgi", "SD_DISK", action="unmount")
    assert attr(client.xml(LIST, recordingid="all"), "totalnumberofrecordings") == "0"
    run_disk_job(client, "/axis-cgi/disks/mount.cgi", "SD_DISK", action="mount")
    statuses = re.findall(r'recordingstatus="(\w+)"', client.xml(LIST, eventid="c"))
    assert sorted(statuses) == ["completed", "recording"]


def test_export(client):
    base = "/axis-cgi/record/export/"
    schemas = client.xml(base + "schemaversions.cgi", "viewer")
    assert "<VersionNumber>1.1</VersionNumber>" in schemas
    assert 'ExportFormat="matroska"' in client.xml(base + "capabilities.cgi", "viewer",
                                                   schemaversion=1)
    rid = ids(client.xml(LIST, recordingid="all", eventid="audio detection"))[0]
    props = client.xml(base + "properties.cgi", "viewer", schemaversion=1, recordingid=rid,
                       diskid="SD_DISK")
    assert attr(props, "Starttime") == "2026-11-22T18:00:00Z"
    assert attr(props, "Stoptime") == "2026-11-22T19:00:00Z"
    assert int(attr(props, "EstimatedFileSize")) > 0
    part = client.xml(base + "properties.cgi", schemaversion=1, recordingid=rid, diskid="SD_DISK",
                      starttime="2026-11-22T18:30:00Z", stoptime="2026-11-22T18:40:00Z")
    assert attr(part, "Starttime") == "2026-11-22T18:29:58Z"      # preceding key frame
    assert attr(part, "Stoptime") == "2026-11-22T18:40:00Z"
    codes = {
        110: dict(recordingid="nope", diskid="SD_DISK"),
        120: dict(recordingid=rid, diskid="SD_DISK", starttime="bad"),
        130: dict(recordingid=rid, diskid="SD_DISK", stoptime="bad"),
        140: dict(recordingid=rid, diskid="SD_DISK", starttime="2026-11-22T18:50:00Z",
                  stoptime="2026-11-22T18:40:00Z"),
        150: dict(recordingid=rid, diskid="SD_DISK", starttime="2026-11-23T00:00:00Z"),
        160: dict(recordingid=rid, diskid="SD_DISK", stoptime="2026-11-01T00:00:00Z"),
        170: dict(recordingid=rid, diskid="SD_DISK", exportformat="avi"),
        20: dict(recordingid=rid),
    }
    for code, args in codes.items():
        assert error_code(client.xml(base + "properties.cgi", schemaversion=1, **args)) == code
    r = client.get(base + "exportrecording.cgi", "viewer", schemaversion=1, recordingid=rid,
                   diskid="SD_DISK", exportformat="matroska", filename="clip")
    assert r.status_code == 200 and r.headers["Content-Type"] == "video/x-matroska"
    assert r.headers["Content-Disposition"] == 'attachment; filename="clip.mkv"'
    assert r.content.startswith(b"\x1a\x45\xdf\xa3")
    r = client.get(base + "exportrecording.cgi", schemaversion=1, recordingid=rid,
                   diskid="SD_DISK", exportformat="matroska")
    assert 'filename="20261122_180000_20261122_190000.mkv"' in r.headers["Content-Disposition"]
    assert error_code(client.xml(base + "exportrecording.cgi", schemaversion=1, recordingid=rid,
                                 diskid="SD_DISK")) == 20
    assert error_code(client.xml(base + "exporttoexternal.cgi", schemaversion=1, recordingid=rid,
                                 diskid="SD_DISK", exportformat="matroska",
                                 externaldiskid="USB_DISK")) == 200
    assert error_code(client.xml(base + "getjobstatus.cgi", schemaversion=1, jobid=1)) == 190
    assert error_code(client.xml(base + "capabilities.cgi", schemaversion=9)) == 40


def test_encrypted_export_of_api_1_2(camera, client):
    base = "/axis-cgi/record/export/"
    rid = ids(client.xml(LIST, recordingid="all", eventid="audio detection"))[0]
    args = dict(schemaversion=1, recordingid=rid, diskid="SD_DISK", exportformat="matroska")
    # export 1.1 (modern): no encryption
    assert "ExportEncryption" not in client.xml(base + "capabilities.cgi", schemaversion=1)
    assert error_code(client.xml(base + "properties.cgi", encryptionformat="zip-aes256", **args)) == 250
    camera.reset("modern-export-zip")
    rid = ids(client.xml(LIST, recordingid="all", eventid="audio detection"))[0]
    args["recordingid"] = rid
    assert "<VersionNumber>1.2</VersionNumber>" in client.xml(base + "schemaversions.cgi")
    assert 'EncryptionFormat="zip-aes256"' in client.xml(base + "capabilities.cgi", schemaversion=1)
    props = client.xml(base + "properties.cgi", encryptionformat="zip-aes256", **args)
    assert attr(props, "EncryptionFormat") == "zip-aes256"
    assert error_code(client.xml(base + "exportrecording.cgi", password="pw", **args)) == 270
    assert error_code(client.xml(base + "exportrecording.cgi", encryptionformat="zip-aes256", **args)) == 260
    assert error_code(client.xml(base + "exportrecording.cgi", encryptionformat="zip-aes256",
                                 password="x" * 513, **args)) == 240
    r = client.get(base + "exportrecording.cgi", "viewer", password="pw", encryptionformat="zip-aes256", **args)
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/zip"
    assert re.fullmatch(r'attachment; filename="[A-Z0-9]{6}\.zip"', r.headers["Content-Disposition"])
    assert r.content.startswith(b"PK\x03\x04") and b"20261122_180000_20261122_190000.mkv" in r.content
