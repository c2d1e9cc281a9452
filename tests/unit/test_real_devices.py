# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Answers recorded from real devices (tests/unit/fixtures/real-devices, see PROVENANCE.md there),
fed byte for byte through the real client, Device and parsers by the shared double."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from tests.unit.double import FIXTURES, Call, Transcript, module_params

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import UnsupportedError
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_disk import ARGUMENT_SPEC as DISK_SPEC
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_disk import DiskResource
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_storage_limit import (
    ARGUMENT_SPEC as LIMIT_SPEC,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_storage_limit import StorageLimit
from ansible_collections.vapix.edge_storage.plugins.module_utils._storage_info import gather

REAL = FIXTURES / "real-devices"
COMPANION = "companion-bullet-le-9.80.2.2"
P5512 = "p5512-5.51.7"


def capture(name):
    return (REAL / name).read_bytes()


def device_note(prefix):
    """The recording's own note of the device (model, firmware, ...)."""
    return json.loads(capture(prefix + ".device.json"))


def param_list(name, charset=None):
    """param.cgi list answered with the captured list, as the device sent it."""
    content_type = "text/plain" + ("; charset=%s" % charset if charset else "")
    return Call("param.cgi", {"action": "list"}).answers(capture(name), headers={"Content-Type": content_type})


def api_discovery(name, status=200):
    return Call.post("apidiscovery.cgi", {"apiVersion": "1.0", "method": "getApiList"}).answers(
        capture(name), status=status)


def disk_list(name):
    return Call("disks/list.cgi", {"diskid": "all"}).answers(capture(name))


# -- AXIS Companion Bullet LE, 9.80.2.2 -------------------------------------------------------------


def test_companion_bullet_9_80_is_read_as_recorded():
    camera = Transcript(param_list(COMPANION + ".param-list.txt"),
                        api_discovery(COMPANION + ".apidiscovery.json"),
                        disk_list(COMPANION + ".disks-list.xml"))
    facts = gather(camera.device(), {"gather_subset": ["device", "capabilities", "disks"]})
    note = device_note(COMPANION)
    assert (facts["device"]["model"], facts["device"]["firmware_version"]) == (note["model"], note["firmware_version"])
    assert facts["device"]["firmware_build_date"] == note["firmware_build_date"]
    local = facts["capabilities"]["local_storage"]
    assert local["storage_limit"] is local["disk_encryption"] is local["required_filesystem"] is True
    assert local["nbr_of_continuous_recording_profiles"] == 1
    assert facts["capabilities"]["network_share"] == {"cifs": True, "ipv6": True, "name_lookup": True,
                                                      "network_share": True}
    apis = facts["capabilities"]["apis"]
    for api, version in (("disk-management", "1.0"), ("disk-properties", "1.1"), ("disk-network-share", "1.0"),
                         ("recording", "1.0"), ("recording-storage-limit", "1.0"), ("recording-export", "1.1"),
                         ("param-cgi", "1.0")):
        assert apis[api] == version
    sd = facts["disks"]["SD_DISK"]
    assert (sd["total_kb"], sd["free_kb"], sd["used_kb"]) == (116109036, 63126240, 116109036 - 63126240)
    # status="OK" on the camera: lower-cased, mounted, axis_disk's state: mounted
    assert (sd["filesystem"], sd["status"], sd["group"]) == ("ext4", "ok", "S0")
    assert (sd["mounted"], sd["state"]) == (True, "mounted")
    # The firmware spells it encryptionenabled (the documentation: diskencryptionenabled): read, not missing.
    assert sd["encryption_enabled"] is False and sd["encrypted"] is False
    assert (sd["cleanup_max_age"], sd["mount_point_permissions"], sd["enabled"]) == (7000, "0770", True)
    share = facts["disks"]["NetworkShare"]
    assert (share["filesystem"], share["total_kb"]) == ("cifs", 1073741824)
    assert (share["status"], share["mounted"]) == ("ok", True)
    # Listed only in the Storage parameters, as a third group.
    assert facts["disks"]["NetworkShareN0"]["group"] == "S2" and "status" not in facts["disks"]["NetworkShareN0"]


def test_companion_bullet_disk_settings_are_read_by_the_disk_resource():
    camera = Transcript(disk_list(COMPANION + ".disks-list.xml"), param_list(COMPANION + ".param-list.txt"))
    state = DiskResource(module_params(DISK_SPEC, disk_id="SD_DISK")).read(camera.device())
    assert state["state"] == "mounted" and state["filesystem"] == "ext4" and state["locked"] is False
    assert state["required_filesystem"] == "none" and state["auto_repair"] is True
    assert state["cleanup_policy"] == "fifo" and state["friendly_name"] == ""


def test_companion_bullet_identity_and_the_masked_share_password():
    camera = Transcript(param_list(COMPANION + ".param-list.txt"))
    device = camera.device()
    assert device.supports("storage_limit") and device.supports_network_share()
    assert device.known_identity() == {"model": "AXIS Companion Bullet LE", "firmware": "9.80.2.2"}
    assert device.properties()["NetworkShare.N0.Password"] == "******"


# -- AXIS P5512, 5.51.7 --------------------------------------------------------------------------------


def test_p5512_5_51_has_no_api_discovery_and_fewer_storage_keys():
    camera = Transcript(param_list(P5512 + ".param-list.txt"), api_discovery(P5512 + ".apidiscovery-404.html", 404))
    device = camera.device()
    facts = gather(device, {"gather_subset": ["device", "capabilities"]})
    note = device_note(P5512)
    assert (facts["device"]["model"], facts["device"]["firmware_version"]) == (note["model"], note["firmware_version"])
    assert facts["capabilities"]["apis"] is None and "404" in facts["capabilities"]["apis_note"]
    assert facts["capabilities"]["local_storage"] == {
        "continuous_recording": True, "failover_recording": True, "local_storage": True,
        "nbr_of_continuous_recording_profiles": 1, "sd_card": True, "version": "1.00"}
    sd = device.storage_params()["SD_DISK"]
    assert (sd["filesystem"], sd["cleanup_max_age"], sd["mount_on_boot"]) == ("vfat", 7, True)
    for absent in ("enabled", "auto_repair", "required_filesystem", "mount_point_permissions"):
        assert absent not in sd
    assert sorted(device.storage_params()) == ["NetworkShare", "SD_DISK"]


def test_p5512_refuses_a_storage_limit_naming_its_firmware():
    camera = Transcript(param_list(P5512 + ".param-list.txt"))
    with pytest.raises(UnsupportedError, match=r"StorageLimit is not 'yes' on this camera \(firmware 5\.51\.7\)"):
        StorageLimit(module_params(LIMIT_SPEC, disk_id="SD_DISK", size="1 GiB")).read(camera.device())


# -- AXIS M1065-LW, 9.10.1: a whole list in ISO-8859-1 ---------------------------------------------------


def test_m1065_list_in_iso_8859_1_is_decoded_as_declared():
    camera = Transcript(param_list("axis-lib-m1065-lw.param-list.iso-8859-1.bin", charset="iso-8859-1"))
    device = camera.device()
    properties = device.properties()
    assert properties["PTZ.Preset.P0.Position.P1.Name"] == "Entrée"
    assert properties["PTZ.Preset.P1.Position.P1.Name"] == "Haustür"
    assert device.known_identity() == {"model": "AXIS M1065-LW", "firmware": "9.10.1"}
    assert device.supports("auto_repair") and device.supports("disk_encryption")
    assert device.max_continuous_profiles() == 1
    sd = device.storage_params()["SD_DISK"]
    assert (sd["filesystem"], sd["auto_repair"], sd["required_filesystem"]) == ("vfat", True, "none")
    assert "enabled" not in sd and "mount_point_permissions" not in sd


# -- devices without local storage ----------------------------------------------------------------------


@pytest.mark.parametrize("name, firmware", [("axis-lib-m7001-5.20.5.properties.txt", "5.20.5"),
                                            ("axis-lib-a9188-1.84.1.properties.txt", "1.84.1")])
def test_a_device_without_local_storage_gets_a_clear_answer(name, firmware):
    camera = Transcript(param_list(name))
    device = camera.device()
    facts = gather(device, {"gather_subset": ["device"]})
    assert facts["device"]["firmware_version"] == firmware
    assert device.supports("local_storage") is False and device.local_storage_properties() == {}
    with pytest.raises(UnsupportedError, match=r"firmware %s" % re.escape(firmware)):
        StorageLimit(module_params(LIMIT_SPEC, disk_id="SD_DISK", size="1 GiB")).read(device)


# -- the captures stay as recorded --------------------------------------------------------------------------


def test_every_capture_is_listed_with_its_checksum_and_unchanged():
    """The SHA-256 sums in PROVENANCE.md are those of the files as recorded."""
    listed = {name: digest for digest, name in
              re.findall(r"^([0-9a-f]{64})  (\S+)$", (REAL / "PROVENANCE.md").read_text(), re.M)}
    files = sorted(path.name for path in REAL.iterdir() if path.name != "PROVENANCE.md")
    assert sorted(listed) == files
    for name in files:
        assert hashlib.sha256(capture(name)).hexdigest() == listed[name], name
