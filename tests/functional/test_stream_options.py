"""Stream options validation: continuous profiles (addconfiguration.cgi errormsg) and
recording groups (create.cgi / update.cgi code 130); the recording group "in use" hook."""

import pytest
import requests

from tests.emulator import streamopts

from .conftest import attr, error_code

ADD = "/axis-cgi/record/continuous/addconfiguration.cgi"
RG = "/axis-cgi/record/recording_group/"

VALID = [
    "",
    "resolution=1280x720",
    "resolution=1920x1080&fps=25&compression=30&videocodec=h264",
    "camera=1&streamprofile=My Profile&audio=1&rotation=180&videokeyframeinterval=32",
    "videobitrate=2000&videomaxbitrate=4000&videobitratepriority=framerate&zipstrength=30",
    "overlays=off&text=1&clock=1&date=0&duration=60&nbrofframes=100",
    "fps=15/2&videocodec=H265&zipstrength=off",
    "Resolution=640x480",                              # keys are case-insensitive
    "textstring=Hello%20World&text=1",                 # percent-encoded values
    "resolution=1920x1080&device=AABBCCDDEE",          # the recording-group documentation's example
]

INVALID = [
    ("resolution", "not a key=value pair"),
    ("resolution%3D640x480", "not a key=value pair"),   # encoded once more: no '=' of its own
    ("=1280x720", "not a key=value pair"),
    ("resolution=1280x720&", "not a key=value pair"),
    ("bogus=1", "unknown stream option 'bogus'"),
    ("resolution=big", "invalid value 'big' for stream option 'resolution'"),
    ("resolution=", "invalid value '' for stream option 'resolution'"),
    ("fps=61", "'fps'"),
    ("fps=abc", "'fps'"),
    ("fps=1/0", "'fps'"),
    ("compression=101", "'compression'"),
    ("videocodec=vp9", "'videocodec'"),
    ("rotation=45", "'rotation'"),
    ("audio=yes", "'audio'"),
    ("videokeyframeinterval=0", "'videokeyframeinterval'"),
    ("videobitrate=-1", "'videobitrate'"),
    ("videobitratepriority=speed", "'videobitratepriority'"),
    ("duration=1.5", "'duration'"),
    ("overlays=some", "'overlays'"),
]


@pytest.mark.parametrize("options", VALID)
def test_valid_options(options):
    assert streamopts.problem(options) is None


@pytest.mark.parametrize("options, words", INVALID)
def test_invalid_options(options, words):
    assert words in streamopts.problem(options)


def test_continuous_profile_with_invalid_options_is_refused(client, camera):
    bad = client.xml(ADD, diskid="SD_DISK", options="resolution=1280x720&fps=99", eventid="c")
    assert attr(bad, "result") == "ERROR"
    assert attr(bad, "errormsg") == ("Invalid stream options: invalid value '99' for stream option "
                                     "'fps' (0..60 or a fraction n/d)")
    unknown = client.xml(ADD, diskid="SD_DISK", options="frames=3", eventid="c")
    assert attr(unknown, "errormsg") == "Invalid stream options: unknown stream option 'frames' in 'frames=3'"
    assert camera.dump()["continuous_profiles"] == []
    assert not any(e["changed"] for e in camera.log())
    good = client.xml(ADD, diskid="SD_DISK", options="resolution=1280x720&fps=15", eventid="c")
    assert attr(good, "result") == "OK"
    assert camera.dump()["continuous_profiles"][0]["options"] == "resolution=1280x720&fps=15"


def test_recording_group_with_invalid_stream_options_is_refused_130(client, camera):
    assert error_code(client.xml(RG + "create.cgi", schemaversion=1, diskid="SD_DISK",
                                 recordinggroupid="g", streamoptions="videocodec=vp9")) == 130
    assert "<ErrorDescription>Invalid stream options.</ErrorDescription>" in client.xml(
        RG + "create.cgi", schemaversion=1, diskid="SD_DISK", recordinggroupid="g",
        streamoptions="nope=1")
    assert camera.dump()["recording_groups"] == []
    assert '<CreateSuccess RecordingGroupId="g" />' in client.xml(
        RG + "create.cgi", schemaversion=1, diskid="SD_DISK", recordinggroupid="g",
        streamoptions="resolution=1920x1080&device=AABBCCDDEE")
    assert error_code(client.xml(RG + "update.cgi", schemaversion=1, recordinggroupid="g",
                                 streamoptions="resolution=1920x1080&fps=0.5", retentiontime=5)) == 130
    group = camera.dump()["recording_groups"][0]
    assert (group["stream_options"], group["retention_hours"]) == ("resolution=1920x1080&device=AABBCCDDEE", 0)
    assert "<GeneralSuccess />" in client.xml(RG + "update.cgi", schemaversion=1, recordinggroupid="g",
                                              streamoptions="")
    assert camera.dump()["recording_groups"][0]["stream_options"] == ""


def test_group_in_use_hook_over_http_and_python(client, camera):
    hook = camera.url + "/_emulator/groups/in_use"
    client.xml(RG + "create.cgi", schemaversion=1, diskid="SD_DISK", recordinggroupid="g")
    assert requests.post(hook, json={"id": "g"}, timeout=5).json() == {"ok": True, "id": "g", "in_use": True}
    assert camera.dump()["recording_groups"][0]["in_use"] is True
    assert error_code(client.xml(RG + "delete.cgi", schemaversion=1, recordinggroupid="g")) == 140
    assert "<ErrorDescription>Recording group in use.</ErrorDescription>" in client.xml(
        RG + "delete.cgi", schemaversion=1, recordinggroupid="g")
    answer = requests.post(hook, json={"id": "nope"}, timeout=5)
    assert answer.status_code == 400 and "nope" in answer.json()["error"]
    assert requests.post(hook, json={"id": "g", "in_use": "yes"}, timeout=5).status_code == 400
    assert requests.post(hook, json={"id": "g", "in_use": False}, timeout=5).json()["in_use"] is False
    camera.set_group_in_use("g")
    camera.set_group_in_use("g", in_use=False)
    assert "<GeneralSuccess />" in client.xml(RG + "delete.cgi", schemaversion=1, recordinggroupid="g")
    with pytest.raises(ValueError):
        camera.set_group_in_use("g")
