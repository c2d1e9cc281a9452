# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parsers on fixtures shaped like both real captures (9.80 and 5.51) and the documentation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils import _parsers, _xml
from ansible_collections.vapix.edge_storage.plugins.module_utils._client import parse_param_list

FIXTURES = Path(__file__).parent / "fixtures"


def text(name):
    return (FIXTURES / name).read_text(encoding="utf-8")


def xml(name):
    return _xml.parse((FIXTURES / name).read_bytes())


# -- disks/list.cgi --------------------------------------------------------------------------

def test_disk_list_of_980_firmware_with_encryptionenabled_spelling_and_odd_whitespace():
    disks = _parsers.parse_disk_list(xml("disks_list_980.xml"))
    assert sorted(disks) == ["NetworkShare", "SD_DISK"]
    assert disks["SD_DISK"] == {
        "disk_id": "SD_DISK", "friendly_name": "", "total_kb": 31154688, "free_kb": 20971520,
        "cleanup_max_age": 30, "cleanup_policy": "fifo", "locked": False, "full": False, "readonly": False,
        "filesystem": "ext4", "status": "ok", "mounted": True, "state": "mounted", "group": "S0",
        "required_filesystem": "none", "encryption_enabled": False, "encrypted": False,
    }
    share = disks["NetworkShare"]
    assert share["friendly_name"] == "nas one"
    assert share["locked"] is True and share["cleanup_policy"] == "none" and share["filesystem"] == "cifs"
    # The camera says status="OK" for both: lower-cased, and mounted (axis_disk's state: mounted).
    assert (share["status"], share["mounted"], share["state"]) == ("ok", True, "mounted")


def test_disk_list_documented_spelling_upper_case_values_and_padded_name():
    disk = _parsers.parse_disk_list(xml("disks_list_documented.xml"))["SD_DISK"]
    assert disk["encryption_enabled"] is True and disk["encrypted"] is True
    assert disk["cleanup_policy"] == "fifo" and disk["filesystem"] == "ext4"
    assert disk["locked"] is False and disk["full"] is True
    assert disk["friendly_name"] == "My card"
    assert disk["required_filesystem"] == "ext4"


def test_disk_list_of_551_firmware_lacks_encryption_and_required_fs():
    disks = _parsers.parse_disk_list(xml("disks_list_551.xml"))
    assert disks["SD_DISK"]["filesystem"] == "vfat"
    assert disks["SD_DISK"]["encryption_enabled"] is None and disks["SD_DISK"]["encrypted"] is None
    assert disks["SD_DISK"]["required_filesystem"] is None
    assert (disks["SD_DISK"]["status"], disks["SD_DISK"]["mounted"], disks["SD_DISK"]["state"]) == (
        "ok", True, "mounted")
    assert (disks["NetworkShare"]["status"], disks["NetworkShare"]["mounted"], disks["NetworkShare"]["state"]) == (
        "disconnected", False, "unmounted")


@pytest.mark.parametrize("status, expected", [
    ("OK", "ok"), (" Ok ", "ok"), ("ok", "ok"), ("Failed", "failed"), ("DISCONNECTED", "disconnected"),
    ("connected", "connected"), ("Wrong Passphrase", "wrong passphrase"), ("no passphrase", "no passphrase"),
    ("not encrypted", "not encrypted"),
])
def test_disk_status_is_lower_case_and_only_ok_is_mounted(status, expected):
    disk = _parsers.parse_disk_list(disk_list(DISK.replace('status="OK"', 'status="%s"' % status)))["SD_DISK"]
    assert disk["status"] == expected
    assert disk["mounted"] is (expected == "ok")
    assert disk["state"] == ("mounted" if expected == "ok" else "unmounted")


@pytest.mark.parametrize("status", ["weird", "checking", "unmounted", "mounted"])
def test_an_undocumented_disk_status_is_an_error_not_unmounted(status):
    """status="weird" was read as unmounted: axis_disk state: unmounted reported ok on a mounted card."""
    with pytest.raises(_parsers.AnswerError, match="has status='%s', which is none of the documented" % status):
        _parsers.parse_disk_list(disk_list(DISK.replace('status="OK"', 'status="%s"' % status)))


def disk_with(attribute, value):
    """The disk list of DISK with attribute set to value."""
    return disk_list(re.sub(r' %s="[^"]*"' % attribute, f' {attribute}="{value}"', DISK))


def test_more_free_than_total_is_an_error_and_all_free_is_not():
    """A disk's used size is its total less its free: free above total would make it negative."""
    total = int(re.search(r' totalsize="(\d+)"', DISK).group(1))
    with pytest.raises(_parsers.AnswerError, match="has freesize=%d above totalsize=%d" % (total + 1, total)):
        _parsers.parse_disk_list(disk_with("freesize", total + 1))
    assert _parsers.parse_disk_list(disk_with("freesize", total))["SD_DISK"]["free_kb"] == total


@pytest.mark.parametrize("attribute", ["totalsize", "freesize"])
def test_a_negative_disk_size_is_an_error(attribute):
    with pytest.raises(_parsers.AnswerError, match="has %s=-5, and a size is never negative" % attribute):
        _parsers.parse_disk_list(disk_with(attribute, "-5"))


# -- param.cgi ---------------------------------------------------------------------------------

def test_param_list_strips_root_prefix_keeps_values_with_equals_and_masked_password():
    params = parse_param_list(text("params_980.txt"))
    assert "root.Brand.Brand" not in params and params["Brand.Brand"] == "AXIS"
    assert params["NetworkShare.N0.Share"] == "video=archive"
    assert params["Storage.S0.ExtraMountOptions"] == "uid=0,gid=0"
    assert params["NetworkShare.N0.Password"] == "******"
    assert params["Brand.ProdVariant"] == ""


def test_param_list_of_551_with_crlf_line_ends():
    params = parse_param_list(text("params_551.txt").replace("\n", "\r\n"))
    assert params["Properties.Firmware.Version"] == "5.51.5"
    assert params["Storage.S1.DeviceNode"] == "NetworkShare:"
    assert all(not value.endswith("\r") for value in params.values())


@pytest.mark.parametrize("text, needle", [
    # cut in a name: a line without '='
    ("root.Brand.Brand=AXIS\nroot.Storage.S0.Clea\n", "line 2 of the parameter list is not name=value"),
    ("<html>\nroot.Brand.Brand=AXIS\n", "line 1 of the parameter list is not name=value: '<html>'"),
    ("=AXIS\n", "line 1 of the parameter list is not name=value"),
    ("root.Brand.Brand=AXIS\nroot.Storage.S0.Clea", "line 2 of the parameter list is not name=value"),
    # cut in a value: 70 of 7000, read as the maximum age
    ("root.Storage.S0.DiskID=SD_DISK\nroot.Storage.S0.CleanupMaxAge=70",
     r"ends in the middle of a line \(Storage.S0.CleanupMaxAge=...\)"),
])
def test_a_line_without_equals_or_a_last_line_cut_off_is_an_error(text, needle):
    with pytest.raises(_parsers.AnswerError, match=needle):
        parse_param_list(text)


def test_a_value_with_a_line_break_goes_on_over_the_next_lines():
    """A friendly name set with a line break (through the web page or another tool) is listed over two
    lines: the second has no '=' of its own and belongs to the value, so the list is still read."""
    params = parse_param_list("root.Storage.S0.FriendlyName=SD\ncard\n\nroot.Storage.S0.DiskID=SD_DISK\n")
    assert params == {"Storage.S0.FriendlyName": "SD\ncard", "Storage.S0.DiskID": "SD_DISK"}
    # A line with '=' that does not start with a dotted name is the value's too (mount options).
    params = parse_param_list("root.Storage.S1.ExtraMountOptions=vers=3.0\nsec=ntlmssp\nroot.Storage.S1.DiskID=X\n")
    assert params == {"Storage.S1.ExtraMountOptions": "vers=3.0\nsec=ntlmssp", "Storage.S1.DiskID": "X"}


def test_a_last_line_without_its_line_end_matters_only_in_the_groups_asked_for():
    """A camera lists only the groups asked for; the M1065 list (served whole by the axis library, without its
    last line end) ends in a group edge storage does not read."""
    text = "root.Storage.S0.DiskID=SD_DISK\nroot.WebService.UsernameToken.ReplayAttackProtection=yes"
    assert parse_param_list(text, ["Storage"])["Storage.S0.DiskID"] == "SD_DISK"
    with pytest.raises(_parsers.AnswerError, match="cut off"):
        parse_param_list(text, ["Storage", "WebService"])


def test_param_list_skips_comments_and_blank_lines_and_keeps_line_ends_out_of_values():
    assert parse_param_list("# a comment\n\nroot.Brand.Brand=AXIS\r\n\r\nroot.Brand.ProdNbr=M1065-LW\r\n") == {
        "Brand.Brand": "AXIS", "Brand.ProdNbr": "M1065-LW"}


def test_storage_params_of_980_three_groups_with_yes_no_booleans():
    storage = _parsers.parse_storage_params(parse_param_list(text("params_980.txt")))
    assert sorted(storage) == ["NetworkShare", "NetworkShareN0", "SD_DISK"]
    sd = storage["SD_DISK"]
    assert sd["group"] == "S0" and sd["friendly_name"] == "Front door"
    assert sd["mount_on_boot"] is True and sd["auto_repair"] is True and sd["enabled"] is True
    assert sd["cleanup_max_age"] == 30 and sd["cleanup_policy"] == "fifo"
    assert sd["required_filesystem"] == "none" and sd["mount_point_permissions"] == "0770"
    assert sd["extra_mount_options"] == "uid=0,gid=0"
    share = storage["NetworkShare"]
    assert share["auto_repair"] is False and share["locked"] is True and share["mount_on_boot"] is False


def test_storage_params_of_551_have_no_keys_the_firmware_lacks():
    storage = _parsers.parse_storage_params(parse_param_list(text("params_551.txt")))
    assert sorted(storage) == ["NetworkShare", "SD_DISK"]
    sd = storage["SD_DISK"]
    for missing in ("enabled", "auto_repair", "required_filesystem", "mount_point_permissions"):
        assert missing not in sd
    assert sd["filesystem"] == "vfat" and sd["cleanup_max_age"] == 7
    # Storage.MountDir has no S# group and is not a disk
    assert "MountDir" not in storage


def test_properties_yes_no_become_booleans_other_values_stay_text():
    params = parse_param_list(text("params_980.txt"))
    local = _parsers.parse_properties(params, "Properties.LocalStorage")
    assert local["StorageLimit"] is True and local["DiskEncryption"] is True
    assert local["NbrOfContinuousRecordingProfiles"] == "2" and local["Version"] == "1.00"
    assert _parsers.parse_properties(params, "Properties.NetworkShare")["IPV6"] is False


def test_properties_of_551_lack_the_newer_features():
    local = _parsers.parse_properties(parse_param_list(text("params_551.txt")), "Properties.LocalStorage")
    for missing in ("StorageLimit", "DiskEncryption", "DiskHealth", "RequiredFileSystem", "AutoRepair"):
        assert missing not in local
    assert local["ContinuousRecording"] is True


# -- other families ----------------------------------------------------------------------------

def test_storage_limits_with_usedspace():
    assert _parsers.parse_storage_limits(xml("getlimit.xml")) == {
        "NetworkShare": {"size_kb": 524288000, "used_kb": 553324},
        "SD_DISK": {"size_kb": 0, "used_kb": 661324},
    }


@pytest.mark.parametrize("attributes, needle", [
    ('size="-5" usedspace="1"', "has size=-5, and a size is never negative (diskid SD_DISK)"),
    ('size="0" usedspace="-1"', "has usedspace=-1, and a size is never negative"),
    ('size="0" usedspace="12x"', "has usedspace='12x', which is not a whole number"),
    ('size="0" usedsize="a lot"', "has usedsize='a lot', which is not a whole number"),
])
def test_a_negative_or_unreadable_storage_limit_size_is_an_error(attributes, needle):
    # A negative limit crashed the run (its words could not be read back); an unreadable used size was unknown.
    root = _xml.parse('<StorageLimitsResponse><GetStorageLimitsResponse>'
                      '<StorageLimit diskid="SD_DISK" %s/></GetStorageLimitsResponse></StorageLimitsResponse>'
                      % attributes)
    with pytest.raises(_parsers.AnswerError, match=re.escape(needle)):
        _parsers.parse_storage_limits(root)


def test_storage_limits_without_a_used_size_leave_it_unknown():
    root = _xml.parse('<StorageLimitsResponse><GetStorageLimitsResponse><StorageLimit diskid="SD_DISK" size="0"/>'
                      '</GetStorageLimitsResponse></StorageLimitsResponse>')
    assert _parsers.parse_storage_limits(root) == {"SD_DISK": {"size_kb": 0, "used_kb": None}}


def test_storage_limits_accept_the_usedsize_spelling_of_the_table():
    root = _xml.parse('<StorageLimitsResponse><GetStorageLimitsResponse>'
                      '<StorageLimit diskid="SD_DISK" size="1048576" usedsize="42"/>'
                      '</GetStorageLimitsResponse></StorageLimitsResponse>')
    assert _parsers.parse_storage_limits(root) == {"SD_DISK": {"size_kb": 1048576, "used_kb": 42}}


def test_health_negative_values_mean_unknown():
    health = _parsers.parse_health(xml("gethealth.xml"))
    assert health["SD_DISK"] == {"wear": 12, "axis_card": True, "temperature_k": None, "overall_health": None}
    assert health["NetworkShare"]["axis_card"] is False
    assert health["HDD_DISK"] == {"wear": 13, "axis_card": True, "temperature_k": 315, "overall_health": "passed"}
    assert health["EMMC"]["temperature_k"] is None and health["EMMC"]["overall_health"] == "fail"


def test_capabilities():
    assert _parsers.parse_capabilities(xml("getcapabilities.xml")) == {
        "disk_id": "SD_DISK", "required_fs_supported": True, "encryption_supported": True,
        "filesystems": ["vfat", "ext4"], "required_filesystems": ["ext4"],
    }


def test_share_list_never_has_a_password_and_empty_disk_is_none():
    shares = _parsers.parse_share_list(xml("networkshare_list.xml"))
    # axis_share's option names: name (NiceName), share_username (User), bound.
    assert shares["nas1"] == {"name": "nas one", "share_id": "nas1", "address": "nas.example.com",
                              "share": "video=archive", "share_username": "cam01", "bound": True,
                              "disk_id": "NetworkShare"}
    assert shares["spare-2"]["disk_id"] is None and shares["spare-2"]["bound"] is False
    assert all("password" not in share for share in shares.values())


def test_continuous_profiles_sorted_by_profile_number_with_entities_decoded():
    profiles = _parsers.parse_continuous_profiles(xml("continuous_list.xml"))
    assert [p["profile"] for p in profiles] == [1, 2]
    # options in the canonical form the module compares and sends (pairs sorted by key)
    assert profiles[0] == {"profile": 1, "disk_id": "SD_DISK", "options": "fps=15&resolution=1280x720",
                           "event_id": "continuous"}


def test_recording_groups_on_one_line_with_runs_of_spaces():
    assert _parsers.parse_recording_groups(xml("recording_group_list.xml")) == {"retention-7d": {
        "group_id": "retention-7d", "nice_name": "Seven days", "description": "kept a week",
        "retention_hours": 168, "disk_id": "SD_DISK", "stream_options": "resolution=1920x1080",
        "pre_duration_ms": 5000, "post_duration_ms": 10000}}


@pytest.mark.parametrize("attribute, value", [("RetentionTime", "abc"), ("RetentionTime", ""), ("RetentionTime", "-1"),
                                              ("PreDuration", "5s"), ("PostDuration", "1.5")])
def test_a_group_duration_that_is_no_whole_number_is_an_error_not_unknown(attribute, value):
    """RetentionTime="abc" was read as None (unknown): a retention declared was then updated from None on every
    run, the update sent on the strength of the damaged answer."""
    group = GROUP.replace(' DiskId=', ' PreDuration="0" PostDuration="0" DiskId=')
    damaged = re.sub(r' %s="[^"]*"' % attribute, f' {attribute}="{value}"', group)
    with pytest.raises(_parsers.AnswerError, match=attribute):
        _parsers.parse_recording_groups(_xml.parse(("<r><ListSuccess>%s</ListSuccess></r>" % damaged).encode()))


def test_group_durations_left_out_are_unknown():
    listed = _parsers.parse_recording_groups(_xml.parse(
        b'<r><ListSuccess><RecordingGroup RecordingGroupId="g" DiskId="SD_DISK" /></ListSuccess></r>'))["g"]
    assert (listed["retention_hours"], listed["pre_duration_ms"], listed["post_duration_ms"]) == (None, None, None)
    # The text fields too: unknown, never "" (nor the default stream).
    assert (listed["nice_name"], listed["description"], listed["stream_options"]) == (None, None, None)


def test_group_text_fields_listed_empty_are_empty():
    listed = _parsers.parse_recording_groups(_xml.parse(
        b'<r><ListSuccess><RecordingGroup RecordingGroupId="g" NiceName="" Description="" StreamOptions="" '
        b'DiskId="SD_DISK" /></ListSuccess></r>'))["g"]
    assert (listed["nice_name"], listed["description"], listed["stream_options"]) == ("", "", "")


@pytest.mark.parametrize("value, expected", [("yes", True), ("NO", False), (" true ", True), ("False", False),
                                             ("1", True), ("0", False), ("maybe", None), (None, None),
                                             (True, True)])
def test_to_bool_settles_every_spelling(value, expected):
    assert _parsers.to_bool(value) is expected


@pytest.mark.parametrize("value, expected", [("42", 42), (" 7 ", 7), ("-1", -1), ("x", None), (None, None)])
def test_to_int(value, expected):
    assert _parsers.to_int(value) == expected


# -- strictness (issue 10) -----------------------------------------------------------------------------

DISK = ('<disk diskid="SD_DISK" name="" totalsize="116109036" freesize="63126240" cleanupmaxage="7000" '
        'cleanuppolicy="fifo" locked="no" full="no" readonly="no" status="OK" filesystem="ext4" group="S0" '
        'requiredfilesystem="none" encryptionenabled="true" diskencrypted="true"/>')


def disk_list(disk=DISK):
    return _xml.parse(('<?xml version="1.0"?><root><disks numberofdisks="1">%s</disks></root>' % disk).encode())


@pytest.mark.parametrize("attribute", ["diskencrypted", "encryptionenabled"])
def test_one_encryption_attribute_without_the_other_is_an_error_not_false(attribute):
    """Issue 10, case 1: list.cgi once without diskencrypted; read as 'not encrypted', the card was formatted."""
    damaged = DISK.replace(' %s="true"' % attribute, "")
    with pytest.raises(_parsers.AnswerError, match="the two come together"):
        _parsers.parse_disk_list(disk_list(damaged))


def test_firmware_without_encryption_has_neither_attribute_and_that_is_unknown_not_false():
    disks = _parsers.parse_disk_list(xml("disks_list_551.xml"))
    assert disks["SD_DISK"]["encryption_enabled"] is None and disks["SD_DISK"]["encrypted"] is None


@pytest.mark.parametrize("attribute", ["diskid", "status", "filesystem", "locked", "totalsize", "freesize"])
def test_a_disk_without_a_required_attribute_is_an_error(attribute):
    damaged = re.sub(r' %s="[^"]*"' % attribute, "", DISK)
    with pytest.raises(_parsers.AnswerError, match="lacks the required attribute %s" % attribute):
        _parsers.parse_disk_list(disk_list(damaged))


@pytest.mark.parametrize("attribute, value", [("locked", "maybe"), ("diskencrypted", "unknown"),
                                              ("totalsize", "lots")])
def test_an_unreadable_value_is_an_error(attribute, value):
    damaged = re.sub(r' %s="[^"]*"' % attribute, f' {attribute}="{value}"', DISK)
    with pytest.raises(_parsers.AnswerError, match=attribute):
        _parsers.parse_disk_list(disk_list(damaged))


@pytest.mark.parametrize("parse, text", [
    # Issue 10, case 2: another API's well-formed answer was read as "the camera has no disks".
    (_parsers.parse_disk_list, '<root><other/></root>'),
    (_parsers.parse_disk_list, '<NetworkShareResponse><ListSuccess/></NetworkShareResponse>'),
    (_parsers.parse_share_list, '<root><disks/></root>'),
    (_parsers.parse_storage_limits, '<root/>'),
    (_parsers.parse_continuous_profiles, '<root><disks/></root>'),
    (_parsers.parse_recording_groups, '<html><body>login</body></html>'),
    (_parsers.parse_capabilities, '<root/>'),
    (_parsers.parse_job, '<root/>'),
    (_parsers.parse_health, '<HealthStatusResponse/>'),
    (_parsers.parse_share_job, '<NetworkShareResponse/>'),
    (_parsers.parse_share_test_job_id, '<NetworkShareResponse/>'),
])
def test_an_unexpected_root_is_an_error_naming_it(parse, text):
    with pytest.raises(_parsers.AnswerError, match="the answer has no <"):
        parse(_xml.parse(text.encode()))


def test_empty_lists_are_still_lists():
    assert _parsers.parse_continuous_profiles(xml("profile_list_empty.xml")) == []
    assert _parsers.parse_share_list(_xml.parse(
        b'<NetworkShareResponse><ListSuccess><NetworkShares NumberOfShares="0"></NetworkShares></ListSuccess>'
        b'</NetworkShareResponse>')) == {}


@pytest.mark.parametrize("parse, text, attribute", [
    (_parsers.parse_share_list, '<r><NetworkShares><NetworkShare ShareId="a" NiceName="a" Address="n"/>'
                                '</NetworkShares></r>', "Share"),
    (_parsers.parse_share_list, '<r><NetworkShares><NetworkShare ShareId="a" NiceName="a" Address="n" Share="s"/>'
                                '</NetworkShares></r>', "User"),
    (_parsers.parse_recording_groups, '<r><ListSuccess><RecordingGroup RecordingGroupId="g"/></ListSuccess></r>',
     "DiskId"),
    (_parsers.parse_continuous_profiles, '<r><continuousrecordingconfigurations><continuousrecordingconfiguration '
                                         'profile="1" diskid="SD_DISK"/></continuousrecordingconfigurations></r>',
     "options"),
    (_parsers.parse_storage_limits, '<r><GetStorageLimitsResponse><StorageLimit diskid="SD_DISK"/>'
                                    '</GetStorageLimitsResponse></r>', "size"),
    (_parsers.parse_job_progress, '<root><job jobid="3" diskid="SD_DISK" result="OK"/></root>', "progress"),
])
def test_every_parser_states_its_required_attributes(parse, text, attribute):
    with pytest.raises(_parsers.AnswerError, match="required attribute %s" % attribute):
        parse(_xml.parse(text.encode()))


def test_capabilities_that_do_not_say_are_unknown_not_false():
    capabilities = _parsers.parse_capabilities(_xml.parse(b'<root><disk diskid="SD_DISK"/></root>'))
    assert capabilities["encryption_supported"] is None and capabilities["required_fs_supported"] is None


@pytest.mark.parametrize("parse, text, needle", [
    # A group listed with DiskId="" was read as "on another disk": allow_recreate deleted it with its recordings.
    (_parsers.parse_recording_groups, '<r><ListSuccess><RecordingGroup RecordingGroupId="g" DiskId=""/></ListSuccess>'
                                      '</r>', "<RecordingGroup> has an empty DiskId"),
    (_parsers.parse_recording_groups, '<r><ListSuccess><RecordingGroup RecordingGroupId="" DiskId="SD_DISK"/>'
                                      '</ListSuccess></r>', "has an empty RecordingGroupId"),
    # A profile listed with diskid="" was not the declared one: exclusive: true removed it.
    (_parsers.parse_continuous_profiles, '<r><continuousrecordingconfigurations><continuousrecordingconfiguration '
                                         'profile="1" diskid="" options=""/></continuousrecordingconfigurations></r>',
     "has an empty diskid"),
    (_parsers.parse_share_list, '<r><NetworkShares><NetworkShare ShareId="" NiceName="a" Address="n" Share="s"/>'
                                '</NetworkShares></r>', "has an empty ShareId"),
    (_parsers.parse_share_list, '<r><NetworkShares><NetworkShare ShareId="a" NiceName="a" Address="" Share="s"/>'
                                '</NetworkShares></r>', "has an empty Address"),
    (_parsers.parse_storage_limits, '<r><GetStorageLimitsResponse><StorageLimit diskid="" size="0"/>'
                                    '</GetStorageLimitsResponse></r>', "has an empty diskid"),
    (_parsers.parse_job, '<root><job jobid="" diskid="SD_DISK" result="OK"/></root>', "has an empty jobid"),
])
def test_an_empty_required_attribute_is_an_error_like_a_missing_one(parse, text, needle):
    with pytest.raises(_parsers.AnswerError, match=needle):
        parse(_xml.parse(text.encode()))


@pytest.mark.parametrize("attribute", ["diskid", "status"])
def test_a_disk_with_an_empty_required_attribute_is_an_error(attribute):
    with pytest.raises(_parsers.AnswerError, match="<disk> has an empty %s" % attribute):
        _parsers.parse_disk_list(disk_with(attribute, ""))


def test_an_empty_file_system_is_unknown_not_an_error_and_a_missing_one_is():
    """The camera lists a card whose file system it cannot tell (one it would format) with filesystem=""."""
    unknown = _parsers.parse_disk_list(disk_with("filesystem", ""))
    assert [disk["filesystem"] for disk in unknown.values()] == [None]
    with pytest.raises(_parsers.AnswerError, match="lacks the required attribute filesystem"):
        _parsers.parse_disk_list(disk_list(re.sub(r' filesystem="[^"]*"', "", DISK)))


def test_a_profile_for_the_default_stream_has_empty_options_and_that_is_no_error():
    profiles = _parsers.parse_continuous_profiles(_xml.parse(
        b'<r><continuousrecordingconfigurations><continuousrecordingconfiguration profile="1" diskid="SD_DISK" '
        b'options="" eventid="continuous"/></continuousrecordingconfigurations></r>'))
    assert profiles == [{"profile": 1, "disk_id": "SD_DISK", "options": "", "event_id": "continuous"}]


# -- an item listed twice, a count that disagrees ------------------------------------------------------------

PLAIN_SD = DISK.replace('encryptionenabled="true" diskencrypted="true"', 'encryptionenabled="false" diskencrypted="false"')


def test_a_disk_listed_twice_is_an_error_not_its_last_copy():
    """list.cgi once listed SD_DISK twice, the second copy encrypted: read as encrypted, the plain card was
    formatted to disable its encryption."""
    root = _xml.parse(f'<root><disks numberofdisks="2">{PLAIN_SD}{DISK}</disks></root>'.encode())
    with pytest.raises(_parsers.AnswerError, match="<disk> with diskid SD_DISK is listed twice"):
        _parsers.parse_disk_list(root)


@pytest.mark.parametrize("count, needle", [
    ("2", "says numberofdisks=2 but lists 1"),
    ("0", "says numberofdisks=0 but lists 1"),
    ("two", "numberofdisks='two', which is not a whole number"),
])
def test_a_disk_count_that_disagrees_with_the_disks_listed_is_an_error(count, needle):
    root = _xml.parse(f'<root><disks numberofdisks="{count}">{DISK}</disks></root>'.encode())
    with pytest.raises(_parsers.AnswerError, match=needle):
        _parsers.parse_disk_list(root)


def test_every_disk_list_fixture_and_capture_counts_its_disks_right():
    for name in ("disks_list_980.xml", "disks_list_documented.xml", "disks_list_551.xml", "disk_list_legacy.xml",
                 "disk_list_modern.xml", "real-devices/companion-bullet-le-9.80.2.2.disks-list.xml"):
        assert _parsers.parse_disk_list(xml(name)), name


SHARE = '<NetworkShare NiceName="nas one" ShareId="nas1" Address="nas.example.com" Share="video" User="" DiskId="" />'


@pytest.mark.parametrize("shares, count, needle", [
    (SHARE + SHARE.replace('Share="video"', 'Share="other"'), "2", "<NetworkShare> with ShareId nas1 is listed twice"),
    (SHARE, "2", "says NumberOfShares=2 but lists 1"),
])
def test_a_share_listed_twice_or_miscounted_is_an_error(shares, count, needle):
    root = _xml.parse(('<NetworkShareResponse><ListSuccess><NetworkShares NumberOfShares="%s">%s</NetworkShares>'
                       '</ListSuccess></NetworkShareResponse>' % (count, shares)).encode())
    with pytest.raises(_parsers.AnswerError, match=needle):
        _parsers.parse_share_list(root)


GROUP = '<RecordingGroup RecordingGroupId="retention-7d" RetentionTime="168" DiskId="SD_DISK" />'
PROFILE = '<continuousrecordingconfiguration profile="1" diskid="SD_DISK" options="" eventid="continuous" />'


@pytest.mark.parametrize("parse, text, needle", [
    # A group listed twice on two disks was deleted (with its recordings) and created again.
    (_parsers.parse_recording_groups, '<r><ListSuccess>%s%s</ListSuccess></r>'
     % (GROUP, GROUP.replace("SD_DISK", "NetworkShare")), "<RecordingGroup> with RecordingGroupId retention-7d is "
                                                          "listed twice"),
    (_parsers.parse_continuous_profiles, '<r><continuousrecordingconfigurations>%s%s'
                                         '</continuousrecordingconfigurations></r>'
     % (PROFILE, PROFILE.replace("SD_DISK", "NetworkShare")), "with profile 1 is listed twice"),
    (_parsers.parse_storage_limits, '<r><GetStorageLimitsResponse><StorageLimit diskid="SD_DISK" size="0"/>'
                                    '<StorageLimit diskid="SD_DISK" size="1048576"/></GetStorageLimitsResponse></r>',
     "<StorageLimit> with diskid SD_DISK is listed twice"),
    (_parsers.parse_health, '<r><HealthStatusSuccess><HealthStatus diskid="SD_DISK" wear="3"/>'
                            '<HealthStatus diskid="SD_DISK" wear="90"/></HealthStatusSuccess></r>',
     "<HealthStatus> with diskid SD_DISK is listed twice"),
])
def test_an_item_listed_twice_is_an_error_not_its_last_copy(parse, text, needle):
    with pytest.raises(_parsers.AnswerError, match=needle):
        parse(_xml.parse(text.encode()))


def test_two_storage_groups_of_one_disk_are_an_error_not_the_last_group():
    """The group decides which Storage.S# parameters a setting is written to."""
    storage = text("params_980.txt").replace("root.Storage.S1.DiskID=NetworkShare", "root.Storage.S1.DiskID=SD_DISK")
    params = parse_param_list(storage)
    with pytest.raises(_parsers.AnswerError, match="Storage.S0.DiskID and Storage.S1.DiskID both say SD_DISK"):
        _parsers.parse_storage_params(params)


# -- disks/job.cgi: a job ends in OK or ERROR ----------------------------------------------------------------

def job_answer(attributes):
    return _xml.parse(('<root><job jobid="7" diskid="SD_DISK" action="checkdisk" %s /></root>' % attributes).encode())


@pytest.mark.parametrize("attributes, needle", [
    # read as OK: a check of a corrupt card was clean, a format the camera ended in ERROR a success
    ('progress="100"', r"has ended \(progress 100\) without a result"),
    ('progress="100" result=""', r"has ended \(progress 100\) without a result"),
    ('progress="100" result="weird"', "result='weird', which is neither OK nor ERROR"),
    ('progress="33" result="done"', "result='done', which is neither OK nor ERROR"),
])
def test_a_job_answer_without_ok_or_error_is_an_error(attributes, needle):
    with pytest.raises(_parsers.AnswerError, match=needle):
        _parsers.parse_job_progress(job_answer(attributes))


@pytest.mark.parametrize("attributes, result", [
    ('progress="100" result="OK"', "OK"),
    ('progress="100" result="error" description="File system errors found"', "ERROR"),
    ('progress="40" result="ERROR"', "ERROR"),
    ('progress="33" result="OK"', "OK"),
    ('progress="33"', None),     # a job still running: its result is not needed yet
])
def test_a_job_answer_with_ok_or_error_or_still_running(attributes, result):
    assert _parsers.parse_job_progress(job_answer(attributes))["result"] == result
