# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_share: which disk a listed share may be bound to.

bind.cgi answers with the id of the disk it bound the share to, and the vendor does not fix that id (9.80
firmware has a Storage group with DiskID NetworkShareN0 besides NetworkShare). What is certainly wrong is
a share listed as bound to a disk disks/list.cgi lists as a local disk: the SD card, or a disk whose file
system is known and not a network share's (cifs, nfs). Releasing such a share would unmount that disk, so
the answer is refused as damaged; any other disk id is accepted.
"""

from __future__ import annotations

import pytest

from tests.unit.double import Call, Transcript, disk_list, module_params, param_list

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import VapixError
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_share import (
    ARGUMENT_RULES,
    ARGUMENT_SPEC,
    ShareResource,
    listed_shares,
)

SHARES = "disks/networkshare/list.cgi"


def shares_on(disk_id):
    """list.cgi listing share nas1 bound to disk_id."""
    return Call(SHARES, {"schemaversion": 1, "shareid": "all"}).answers(
        '<?xml version="1.0" encoding="utf-8"?><NetworkShareResponse SchemaVersion="1.0"><ListSuccess>'
        '<NetworkShares NumberOfShares="1"><NetworkShare NiceName="nas1" ShareId="nas1" Address="nas.example.com" '
        'Share="cameras" User="cam" DiskId="%s" /></NetworkShares></ListSuccess></NetworkShareResponse>' % disk_id)


def disks(*extra):
    """disks/list.cgi: the SD card (ext4), NetworkShare (cifs) and extra disks."""
    return disk_list({"diskid": "SD_DISK", "group": "S0"},
                     {"diskid": "NetworkShare", "filesystem": "cifs", "group": "S1"}, *extra)


ACCEPTED = {
    "a network share disk of another id (cifs)": {"diskid": "NetworkShareN0", "filesystem": "cifs", "group": "S2"},
    "an NFS share disk": {"diskid": "NFS_SHARE", "filesystem": "nfs", "group": "S2"},
    "a disk listed with its file system unknown": {"diskid": "NetworkShareN0", "filesystem": "", "status": "failed",
                                                   "group": "S2"},
}


@pytest.mark.parametrize("disk", list(ACCEPTED.values()), ids=list(ACCEPTED))
def test_a_share_bound_to_a_disk_not_listed_as_local_is_accepted(disk):
    device = Transcript(shares_on(disk["diskid"]), disks(disk)).device()
    assert listed_shares(device)["nas1"]["disk_id"] == disk["diskid"]


def test_a_share_bound_to_a_disk_the_camera_does_not_list_is_accepted():
    device = Transcript(shares_on("NetworkShareN0"), disks()).device()
    assert listed_shares(device)["nas1"]["disk_id"] == "NetworkShareN0"


REFUSED = {
    "the SD card": ({"diskid": "SD_DISK"}, "the SD card, file system ext4"),
    "the SD card, its file system unknown": ({"diskid": "SD_DISK", "filesystem": "", "status": "failed"},
                                             "the SD card, file system unknown"),
    "a USB disk": ({"diskid": "USB_DISK", "filesystem": "vfat", "group": "S2"}, "file system vfat"),
}


@pytest.mark.parametrize("disk, said", list(REFUSED.values()), ids=list(REFUSED))
def test_a_share_bound_to_a_local_disk_is_a_damaged_answer(disk, said):
    listing = (disk_list(disk, {"diskid": "NetworkShare", "filesystem": "cifs", "group": "S1"})
               if disk["diskid"] == "SD_DISK" else disks(disk))
    device = Transcript(shares_on(disk["diskid"]), listing).device()
    with pytest.raises(VapixError) as info:
        listed_shares(device)
    assert info.value.error_class == "damaged_answer"
    assert ("share 'nas1' is listed as bound to disk %s, which disks/list.cgi lists as a local disk (%s), but a "
            "share is only ever bound to a network share disk; nothing is changed on the strength of this answer"
            % (disk["diskid"], said)) in str(info.value)


def test_a_share_bound_to_another_network_share_disk_is_released_from_that_disk():
    transcript = Transcript(
        param_list("root.Properties.NetworkShare.NetworkShare=yes\nroot.Properties.Firmware.Version=9.80.2.2\n"),
        shares_on("NetworkShareN0"), disks(ACCEPTED["a network share disk of another id (cifs)"]))
    share = ShareResource(module_params(ARGUMENT_SPEC, ARGUMENT_RULES, name="nas1", state="absent"))
    device = transcript.device()
    steps = share.plan(device, share.read(device))
    assert [step.description for step in steps] == [
        "unmount disk NetworkShareN0 (share 'nas1')", "unbind share 'nas1' from disk NetworkShareN0",
        "remove share 'nas1'"]
