"""Every XML answer parses (success and error envelopes of every family), and its root
element is the family's."""

import xml.etree.ElementTree as ET

import pytest

from .conftest import Client

REQUESTS = [
    ("/axis-cgi/disks/list.cgi", {"diskid": "all"}, "root"),
    ("/axis-cgi/disks/format.cgi", {"diskid": "NOPE"}, "root"),
    ("/axis-cgi/disks/checkdisk.cgi", {"diskid": "SD_DISK"}, "root"),
    ("/axis-cgi/disks/repair.cgi", {"diskid": "SD_DISK"}, "root"),
    ("/axis-cgi/disks/mount.cgi", {"diskid": "SD_DISK", "action": "mount"}, "root"),
    ("/axis-cgi/disks/job.cgi", {"diskid": "SD_DISK", "jobid": "7"}, "root"),
    ("/axis-cgi/disks/lock.cgi", {"diskid": "SD_DISK", "action": "unlock"}, "root"),
    ("/axis-cgi/disks/lock.cgi", {"diskid": "NOPE", "action": "lock"}, "root"),
    ("/axis-cgi/disks/getcapabilities.cgi", {"diskid": "SD_DISK"}, "root"),
    ("/axis-cgi/disks/getcapabilities.cgi", {"diskid": "NOPE"}, "root"),
    ("/axis-cgi/disks/gethealth.cgi", {}, "HealthStatusResponse"),
    ("/axis-cgi/disks/properties/schemaversions.cgi", {}, "DiskPropertiesResponse"),
    ("/axis-cgi/disks/properties/setcleanupmaxage.cgi",
     {"schemaversion": "1", "diskid": "SD_DISK", "maxage": "3"}, "DiskPropertiesResponse"),
    ("/axis-cgi/disks/properties/setcleanupmaxage.cgi",
     {"schemaversion": "1", "diskid": "NOPE", "maxage": "3"}, "DiskPropertiesResponse"),
    ("/axis-cgi/disks/properties/getdiskalertlevels.cgi",
     {"schemaversion": "1", "diskid": "SD_DISK"}, "DiskPropertiesResponse"),
    ("/axis-cgi/disks/networkshare/schemaversions.cgi", {}, "NetworkShareResponse"),
    ("/axis-cgi/disks/networkshare/add.cgi",
     {"schemaversion": "1", "nicename": "a<b>&\"c'", "address": "x", "share": "s",
      "shareid": "q1"}, "NetworkShareResponse"),
    ("/axis-cgi/disks/networkshare/list.cgi", {"schemaversion": "1", "shareid": "all"},
     "NetworkShareResponse"),
    ("/axis-cgi/disks/networkshare/bind.cgi", {"schemaversion": "1", "shareid": "nope"},
     "NetworkShareResponse"),
    ("/axis-cgi/disks/networkshare/test.cgi",
     {"schemaversion": "1", "address": "x", "share": "s"}, "NetworkShareResponse"),
    ("/axis-cgi/disks/networkshare/job.cgi", {"schemaversion": "1", "jobid": "1"},
     "NetworkShareResponse"),
    ("/axis-cgi/record/storage/schemaversions.cgi", {}, "StorageLimitsResponse"),
    ("/axis-cgi/record/storage/getlimit.cgi", {"schemaversion": "1"}, "StorageLimitsResponse"),
    ("/axis-cgi/record/storage/setlimit.cgi",
     {"schemaversion": "1", "diskid": "SD_DISK", "size": "5"}, "StorageLimitsResponse"),
    ("/axis-cgi/record/list.cgi", {"recordingid": "all"}, "root"),
    ("/axis-cgi/record/list.cgi", {"listentity": "eventid"}, "root"),
    ("/axis-cgi/record/list.cgi", {"listentity": "source"}, "root"),
    ("/axis-cgi/record/record.cgi", {"diskid": "NOPE"}, "root"),
    ("/axis-cgi/record/stop.cgi", {"recordingid": "nope"}, "root"),
    ("/axis-cgi/record/remove.cgi", {"recordingid": "nope"}, "root"),
    ("/axis-cgi/record/continuous/addconfiguration.cgi",
     {"diskid": "SD_DISK", "options": "a=<1>&b=\"2\"", "eventid": "e&1"}, "root"),
    ("/axis-cgi/record/continuous/listconfiguration.cgi", {}, "root"),
    ("/axis-cgi/record/continuous/removeconfiguration.cgi", {"profile": "99"}, "root"),
    ("/axis-cgi/record/recording_group/schemaversions.cgi", {}, "RecordingGroupResponse"),
    ("/axis-cgi/record/recording_group/create.cgi",
     {"schemaversion": "1", "diskid": "SD_DISK", "description": "<&>\"'"},
     "RecordingGroupResponse"),
    ("/axis-cgi/record/recording_group/list.cgi", {"schemaversion": "1"},
     "RecordingGroupResponse"),
    ("/axis-cgi/record/recording_group/delete.cgi", {"schemaversion": "1",
                                                     "recordinggroupid": "x"},
     "RecordingGroupResponse"),
    ("/axis-cgi/record/export/schemaversions.cgi", {}, "ExportRecordingResponse"),
    ("/axis-cgi/record/export/capabilities.cgi", {"schemaversion": "1"},
     "ExportRecordingResponse"),
    ("/axis-cgi/record/export/properties.cgi", {"schemaversion": "1", "recordingid": "x",
                                                "diskid": "SD_DISK"},
     "ExportRecordingResponse"),
]


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def test_every_xml_answer_is_well_formed(client):
    for path, params, root in REQUESTS:
        r = client.get(path, **params)
        assert r.status_code == 200, path
        assert r.headers["Content-Type"] == "text/xml", path
        tree = ET.fromstring(r.content)
        assert _local(tree.tag) == root, (path, tree.tag)


@pytest.mark.parametrize("profile", ["legacy", "modern-share", "modern-encrypted"])
def test_disk_list_well_formed_on_profiles(make_fleet, profile):
    c = Client(make_fleet(profile=profile).cameras[0])
    tree = ET.fromstring(c.get("/axis-cgi/disks/list.cgi").content)
    disks = tree.find("disks")
    assert int(disks.get("numberofdisks")) == len(disks.findall("disk")) == 2
    c.close()
