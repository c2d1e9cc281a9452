# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_storage_info gathering on a real Device over a client that answers from fixtures."""

from __future__ import annotations

import pytest

from tests.unit.double import FIXTURES, Call, Transcript, param_list

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ValidationError
from ansible_collections.vapix.edge_storage.plugins.module_utils._storage_info import gather, selected_subsets

FIRST_READ = ("Properties.LocalStorage", "Properties.NetworkShare", "Properties.Firmware", "Brand", "Storage")
NOT_FOUND = "<html><body><h1>404 Not Found</h1></body></html>"


def parameters(name):
    """param.cgi list of the first read, answered with the lines of fixture name in the groups it asks."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return param_list("".join(line + "\n" for line in lines
                              if any(line.startswith("root.%s." % group) for group in FIRST_READ)), *FIRST_READ)


DISCOVERY = Call.post("apidiscovery.cgi", {"apiVersion": "1.0", "method": "getApiList"})
MODERN = {
    "param.cgi": parameters("params_980.txt"),
    "apidiscovery": DISCOVERY.answers_file("apidiscovery_200.json"),
    "list": Call("disks/list.cgi", {"diskid": "all"}).answers_file("disks_list_980.xml"),
    "health": Call("disks/gethealth.cgi").answers_file("gethealth.xml"),
    "capabilities NetworkShare": Call("disks/getcapabilities.cgi", {"diskid": "NetworkShare"}).answers_file(
        "getcapabilities.xml"),
    "capabilities SD_DISK": Call("disks/getcapabilities.cgi", {"diskid": "SD_DISK"}).answers_file(
        "getcapabilities.xml"),
    "alert levels": Call("disks/properties/getdiskalertlevels.cgi", {"schemaversion": 1, "diskid": "SD_DISK"})
    .answers_file("disk_alert_levels.xml"),
    "shares": Call("disks/networkshare/list.cgi", {"schemaversion": 1, "shareid": "all"}).answers_file(
        "networkshare_list.xml"),
    "limits": Call("record/storage/getlimit.cgi", {"schemaversion": 1}).answers_file("getlimit.xml"),
    "profiles": Call("record/continuous/listconfiguration.cgi").answers_file("continuous_list.xml"),
    "groups": Call("record/recording_group/list.cgi", {"schemaversion": 1}).answers_file("recording_group_list.xml"),
}


def modern(*names):
    """A 9.80-shaped camera expecting the named calls of MODERN, in this order."""
    return Transcript(*(MODERN[name] for name in names))


def legacy():
    """A 5.51-shaped camera: apidiscovery, getcapabilities and the recording group API answer 404."""
    return Transcript(
        parameters("params_551.txt"),
        DISCOVERY.answers(NOT_FOUND, status=404),
        Call("disks/list.cgi", {"diskid": "all"}).answers_file("disks_list_551.xml"),
        Call("disks/getcapabilities.cgi", {"diskid": "NetworkShare"}).answers(NOT_FOUND, status=404),
        MODERN["shares"],
        MODERN["profiles"],
        Call("record/recording_group/list.cgi", {"schemaversion": 1}).answers(NOT_FOUND, status=404))


def run(transcript, *subsets):
    facts = gather(transcript.device(), {"gather_subset": list(subsets) or ["all"]})
    transcript.assert_done()
    return facts


ALL = ("param.cgi", "apidiscovery", "list", "health", "capabilities NetworkShare", "capabilities SD_DISK",
       "alert levels", "shares", "limits", "profiles", "groups")


def test_modern_facts():
    facts = run(modern(*ALL))
    assert facts["device"]["model"] == "AXIS Q1615 Mk III" and facts["device"]["firmware_version"] == "10.4.1"
    assert "product_variant" not in facts["device"]
    local = facts["capabilities"]["local_storage"]
    assert local["storage_limit"] is True and local["failover_recording"] is True
    assert local["nbr_of_continuous_recording_profiles"] == 2 and local["version"] == "1.00"
    assert facts["capabilities"]["network_share"]["ipv6"] is False
    assert facts["capabilities"]["apis"]["recording-storage-limit"] == "1.0"
    sd = facts["disks"]["SD_DISK"]
    assert sd["friendly_name"] == "" and sd["mount_on_boot"] is True and sd["encryption_enabled"] is False
    assert sd["used_kb"] == 31154688 - 20971520 and sd["total"] == "29.71 GiB"
    assert facts["disks"]["NetworkShareN0"]["group"] == "S2"      # only in the Storage parameters
    assert facts["health"]["disks"]["SD_DISK"]["wear"] == 12
    assert facts["disk_capabilities"]["disks"]["SD_DISK"]["filesystems"] == ["vfat", "ext4"]
    # Alert levels of the local disk only: the NetworkShare is not a card.
    assert facts["alert_levels"] == {"supported": True, "disks": {"SD_DISK": {"wear": 90, "temperature": 358}}}
    assert facts["network_shares"]["shares"]["nas1"]["share"] == "video=archive"
    assert facts["network_shares"]["shares"]["nas1"]["name"] == "nas one"
    assert (sd["status"], sd["mounted"], sd["state"]) == ("ok", True, "mounted")
    assert facts["storage_limits"]["disks"]["NetworkShare"] == {
        "disk_id": "NetworkShare", "size_kb": 524288000, "size": "500 GiB", "limited": True, "used_kb": 553324,
        "used": "540.36 MiB"}
    assert facts["storage_limits"]["disks"]["SD_DISK"]["size"] == "no limit"
    assert facts["continuous_profiles"]["max_profiles"] == 2
    assert facts["recording_groups"]["groups"]["retention-7d"]["retention_hours"] == 168


def test_legacy_features_are_unsupported_not_errors():
    # The transcript is the proof that neither getdiskalertlevels.cgi, getlimit.cgi nor gethealth.cgi is asked.
    facts = run(legacy())
    assert facts["capabilities"]["apis"] is None and "404" in facts["capabilities"]["apis_note"]
    assert facts["storage_limits"] == {
        "supported": False,
        "reason": "Properties.LocalStorage.StorageLimit is not 'yes' on this camera (firmware 5.51.5)"}
    assert facts["health"]["supported"] is False
    assert facts["disk_capabilities"]["supported"] is False
    assert facts["alert_levels"] == {"supported": False, "reason": "needs the disk-properties API 1.1 or later; "
                                                                   "apidiscovery reports none"}
    assert facts["recording_groups"]["supported"] is False
    assert "auto_repair" not in facts["disks"]["SD_DISK"] and "encrypted" not in facts["disks"]["SD_DISK"]


@pytest.mark.parametrize("subset, calls, keys", [
    ("disks", ("param.cgi", "list"), {"disks"}),
    ("limits", ("param.cgi", "limits"), {"storage_limits"}),
    ("groups", ("groups",), {"recording_groups"}),
    ("health", ("param.cgi", "health", "list", "capabilities NetworkShare", "capabilities SD_DISK", "apidiscovery",
                "alert levels"),
     {"health", "disk_capabilities", "alert_levels"}),
])
def test_a_subset_reads_only_what_it_needs(subset, calls, keys):
    facts = run(modern(*calls), subset)
    assert set(facts) == keys | {"gathered_subsets"}


def test_param_cgi_is_asked_once_for_all_parts():
    transcript = modern(*ALL)
    run(transcript)
    assert transcript.paths.count("param.cgi") == 1     # properties and Storage in one read
    assert transcript.paths.count("disks/list.cgi") == 1


@pytest.mark.parametrize("requested, expected", [
    (["all"], {"device", "capabilities", "disks", "health", "shares", "limits", "profiles", "groups"}),
    (["disks", "limits"], {"disks", "limits"}),
    (["!health", "!groups"], {"device", "capabilities", "disks", "shares", "limits", "profiles"}),
    (["all", "!device"], {"capabilities", "disks", "health", "shares", "limits", "profiles", "groups"}),
    (["limits", "!limits"], set()),
])
def test_selected_subsets(requested, expected):
    assert selected_subsets(requested) == expected


def test_unknown_subset_is_refused_with_the_choices():
    with pytest.raises(ValidationError, match="gather_subset 'disk' is not known: choose from all, device"):
        selected_subsets(["disk"])
