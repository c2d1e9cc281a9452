"""Answer faults and the charset profiles of the emulator (the hooks issue 10's tests use)."""

import json
import re

import pytest
import requests
import urllib3

from .conftest import attr


def hook(camera, faults):
    return requests.post(camera.url + "/_emulator/faults", data=json.dumps(faults), timeout=5)


def test_truncate_cuts_after_the_text_and_says_so_in_content_length(client, camera):
    assert hook(camera, {"answer": {"path": "disks/list.cgi", "kind": "truncate",
                                    "after": 'encryptionenabled="false"'}}).status_code == 200
    assert camera.dump()["faults"]["answer"] == [{"path": "/axis-cgi/disks/list.cgi", "kind": "truncate",
                                                  "times": 1, "skip": 0, "apply": True, "hang_ms": 0}]
    cut = client.get("/axis-cgi/disks/list.cgi", diskid="all")
    assert cut.content.endswith(b'encryptionenabled="false"') and b"</root>" not in cut.content
    assert int(cut.headers["Content-Length"]) == len(cut.content)
    assert b"</root>" in client.get("/axis-cgi/disks/list.cgi", diskid="all").content   # used up


def test_cut_short_announces_the_whole_answer_and_closes_the_connection_after_the_part_sent(client, camera):
    camera.inject(answer={"path": "disks/list.cgi", "kind": "cut_short", "after": 'encryptionenabled="false"'})
    answer = client.session().get(camera.url + "/axis-cgi/disks/list.cgi", params={"diskid": "all"}, stream=True,
                                  timeout=10)
    assert answer.headers["Connection"] == "close"
    with pytest.raises(urllib3.exceptions.ProtocolError) as info:   # the camera closed before the whole answer
        answer.raw.read(decode_content=False)
    sent, missing = map(int, re.search(r"IncompleteRead\((\d+) bytes read, (\d+) more expected",
                                       str(info.value)).groups())
    assert sent + missing == int(answer.headers["Content-Length"]) and missing > 0
    assert b"</root>" in client.get("/axis-cgi/disks/list.cgi", diskid="all").content   # used up


def test_drop_and_set_attribute_change_only_that_attribute(client, camera):
    camera.inject(answer=[{"path": "disks/list.cgi", "kind": "drop_attribute", "name": "diskencrypted"},
                          {"path": "disks/list.cgi", "kind": "set_attribute", "name": "status", "value": "odd",
                           "times": 2}])
    dropped = client.xml("/axis-cgi/disks/list.cgi", diskid="all")
    assert "diskencrypted" not in dropped and 'status="OK"' in dropped
    assert attr(client.xml("/axis-cgi/disks/list.cgi", diskid="all"), "status") == "odd"
    assert attr(client.xml("/axis-cgi/disks/list.cgi", diskid="all"), "status") == "odd"
    assert attr(client.xml("/axis-cgi/disks/list.cgi", diskid="all"), "status") == "OK"


def test_skip_leaves_the_first_answers_alone_and_damages_the_next(client, camera):
    camera.inject(answer={"path": "disks/list.cgi", "kind": "set_attribute", "name": "status", "value": "odd",
                          "skip": 2})
    assert [attr(client.xml("/axis-cgi/disks/list.cgi", diskid="all"), "status") for _poll in range(4)] == [
        "OK", "OK", "odd", "OK"]


def test_a_write_applied_but_answered_with_an_error_or_a_hang(client, camera):
    camera.inject(answer={"path": "record/storage/setlimit.cgi", "kind": "device_error", "code": 10,
                          "apply": True})
    answer = client.xml("/axis-cgi/record/storage/setlimit.cgi", schemaversion=1, diskid="SD_DISK", size=2097152)
    assert "<ErrorCode>10</ErrorCode>" in answer
    assert camera.dump()["storage_limits"]["SD_DISK"] == 2097152
    camera.inject(answer={"path": "record/storage/setlimit.cgi", "kind": "truncate", "hang_ms": 400})
    try:
        client.get("/axis-cgi/record/storage/setlimit.cgi", schemaversion=1, diskid="SD_DISK", size=3145728)
    except requests.exceptions.Timeout:
        raise AssertionError("the client's timeout is 10 s, the hang 0.4 s")
    assert camera.dump()["storage_limits"]["SD_DISK"] == 3145728


def test_no_answer_closes_the_connection_after_carrying_out_the_request_unless_told_not_to(client, camera):
    camera.inject(answer=[{"path": "record/storage/setlimit.cgi", "kind": "no_answer"},
                          {"path": "record/storage/setlimit.cgi", "kind": "no_answer", "apply": False}])
    for size in (2097152, 3145728):
        with pytest.raises(requests.exceptions.ConnectionError):
            client.get("/axis-cgi/record/storage/setlimit.cgi", schemaversion=1, diskid="SD_DISK", size=size)
    assert camera.dump()["storage_limits"]["SD_DISK"] == 2097152     # the first was carried out, the second not
    assert [(entry["status"], entry["write"], entry["changed"]) for entry in camera.log()
            if entry["status"] != 401] == [(0, True, True), (0, True, False)]
    assert "<GeneralSuccess" in client.xml("/axis-cgi/record/storage/setlimit.cgi", schemaversion=1,
                                           diskid="SD_DISK", size=3145728)   # used up


def test_a_device_error_not_applied_changes_nothing_and_echoes_the_arguments(client, camera):
    camera.inject(answer={"path": "disks/properties/enablediskencryption.cgi", "kind": "device_error",
                          "code": 10, "echo_args": True, "echo_form": "percent_lower",
                          "declare_charset": "iso-8859-1"})
    answer = client.get("/axis-cgi/disks/properties/enablediskencryption.cgi", schemaversion=1, diskid="SD_DISK",
                        passphrase="p\u00e4ss")
    assert answer.headers["Content-Type"] == "text/xml; charset=iso-8859-1"
    assert b'encoding="iso-8859-1"' in answer.content and b"passphrase=p%c3%a4ss" in answer.content
    assert camera.dump()["disks"][0]["encryption_enabled"] is False


def test_unknown_fault_fields_and_kinds_are_refused(camera):
    assert hook(camera, {"answer": {"path": "disks/list.cgi", "kind": "explode"}}).status_code == 400
    assert hook(camera, {"answer": {"path": "disks/list.cgi", "kind": "truncate", "bogus": 1}}).status_code == 400
    assert hook(camera, {"answer": {"kind": "truncate"}}).status_code == 400
    assert camera.dump()["faults"]["answer"] == []


def test_clear_and_reset_drop_pending_answer_faults(camera):
    camera.inject(answer={"path": "disks/list.cgi", "kind": "truncate", "times": 5})
    camera.inject(clear=True)
    assert camera.dump()["faults"]["answer"] == []


def test_the_latin1_profile_declares_iso_8859_1_and_the_modern_one_no_charset(make_fleet):
    for profile, param_type, xml_start in (
            ("modern", "text/plain", b'<?xml version="1.0"?>'),
            ("modern-latin1", "text/plain; charset=iso-8859-1", b'<?xml version="1.0" encoding="ISO-8859-1"?>')):
        camera = make_fleet(profile=profile).cameras[0]
        with camera.model.lock:
            camera.model.disk("SD_DISK").friendly_name = "Entr\u00e9e \u2013 Haust\u00fcr"
        session = requests.Session()
        session.auth = requests.auth.HTTPDigestAuth("root", "pass")
        params = session.get(camera.url + "/axis-cgi/param.cgi", params={"action": "list", "group": "Storage"},
                             timeout=5)
        disks = session.get(camera.url + "/axis-cgi/disks/list.cgi", params={"diskid": "all"}, timeout=5)
        session.close()
        assert params.headers["Content-Type"] == param_type and disks.headers["Content-Type"] == "text/xml"
        assert disks.content.startswith(xml_start)
        if profile == "modern":
            assert "Entr\u00e9e \u2013 Haust\u00fcr".encode() in params.content
            assert "Entr\u00e9e \u2013 Haust\u00fcr".encode() in disks.content
        else:
            assert "Entr\u00e9e ? Haust\u00fcr".encode("iso-8859-1") in params.content
            assert "Entr\u00e9e &#8211; Haust\u00fcr".encode("iso-8859-1") in disks.content
