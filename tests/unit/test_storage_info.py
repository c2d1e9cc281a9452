# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_storage_info gathering on a real Device over a client that answers from fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.answers import fixture_answer

from ansible_collections.vapix.edge_storage.plugins.module_utils._client import VapixClient
from ansible_collections.vapix.edge_storage.plugins.module_utils._device import Device
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import UnsupportedError, ValidationError
from ansible_collections.vapix.edge_storage.plugins.module_utils._storage_info import gather, selected_subsets

FIXTURES = Path(__file__).parent / "fixtures"

MODERN = {
    "param.cgi": "params_980.txt",
    "apidiscovery.cgi": "apidiscovery_200.json",
    "disks/list.cgi": "disks_list_980.xml",
    "disks/gethealth.cgi": "gethealth.xml",
    "disks/getcapabilities.cgi": "getcapabilities.xml",
    "disks/properties/getdiskalertlevels.cgi": "disk_alert_levels.xml",
    "disks/networkshare/list.cgi": "networkshare_list.xml",
    "record/storage/getlimit.cgi": "getlimit.xml",
    "record/continuous/listconfiguration.cgi": "continuous_list.xml",
    "record/recording_group/list.cgi": "recording_group_list.xml",
}
LEGACY = {
    "param.cgi": "params_551.txt",
    "disks/list.cgi": "disks_list_551.xml",
    "disks/networkshare/list.cgi": "networkshare_list.xml",
    "record/continuous/listconfiguration.cgi": "continuous_list.xml",
}


class FixtureClient(VapixClient):
    """Answers each CGI from a fixture file; a CGI not in the table answers 404. Records the paths."""

    def __init__(self, table):
        super(FixtureClient, self).__init__("camera.invalid", "root", "pass")
        self.table = table
        self.paths = []

    def answer(self, path, args=None, write=False, api=None, method="GET", body=None):
        self.paths.append(path)
        if path not in self.table:
            raise UnsupportedError(path, "the camera answers 404: this firmware lacks the API")
        text = (FIXTURES / self.table[path]).read_text(encoding="utf-8")
        if path == "param.cgi":
            groups = dict(args)["group"].split(",")
            text = "".join(line + "\n" for line in text.splitlines()
                           if any(line.startswith("root.%s." % group) for group in groups))
        return fixture_answer(text)


def run(table, *subsets):
    client = FixtureClient(table)
    facts = gather(Device(client), {"gather_subset": list(subsets) or ["all"]})
    return facts, client.paths


def test_modern_facts():
    facts, _paths = run(MODERN)
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
    facts, paths = run(LEGACY)
    assert facts["capabilities"]["apis"] is None and "404" in facts["capabilities"]["apis_note"]
    assert facts["storage_limits"] == {
        "supported": False,
        "reason": "Properties.LocalStorage.StorageLimit is not 'yes' on this camera (firmware 5.51.5)"}
    assert facts["health"]["supported"] is False
    assert facts["disk_capabilities"]["supported"] is False
    assert facts["alert_levels"] == {"supported": False, "reason": "needs the disk-properties API 1.1 or later; "
                                                                   "apidiscovery reports none"}
    assert "disks/properties/getdiskalertlevels.cgi" not in paths
    assert facts["recording_groups"]["supported"] is False
    assert "record/storage/getlimit.cgi" not in paths and "disks/gethealth.cgi" not in paths
    assert "auto_repair" not in facts["disks"]["SD_DISK"] and "encrypted" not in facts["disks"]["SD_DISK"]


@pytest.mark.parametrize("subset, expected_paths, keys", [
    ("disks", {"disks/list.cgi", "param.cgi"}, {"disks"}),
    ("limits", {"param.cgi", "record/storage/getlimit.cgi"}, {"storage_limits"}),
    ("groups", {"record/recording_group/list.cgi"}, {"recording_groups"}),
    ("health", {"param.cgi", "apidiscovery.cgi", "disks/gethealth.cgi", "disks/list.cgi",
                "disks/getcapabilities.cgi", "disks/properties/getdiskalertlevels.cgi"},
     {"health", "disk_capabilities", "alert_levels"}),
])
def test_a_subset_reads_only_what_it_needs(subset, expected_paths, keys):
    facts, paths = run(MODERN, subset)
    assert set(paths) == expected_paths
    assert set(facts) == keys | {"gathered_subsets"}


def test_param_cgi_is_asked_once_for_all_parts():
    _facts, paths = run(MODERN)
    assert paths.count("param.cgi") == 1     # properties and Storage in one read
    assert paths.count("disks/list.cgi") == 1


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
