# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A share list naming a local disk is a damaged answer, refused before any write (emulator, in-process).

A share is only ever bound to a network share disk, and the release of a bound share unmounts the disk
the share list names. Trusted, a list.cgi answer saying that share nas1 is bound to SD_DISK had a removal
unmount the SD card (stopping its recordings) before the camera refused the unbind. Every path that
releases a share (state absent, a connection change, replace_bound, exclusive, a purge in
axis_edge_storage) now fails with ``error_class: damaged_answer`` naming the share, the disk and the
CGI, with no write sent and every disk as it was.

The id of a network share disk is the camera's (bind.cgi answers with it; 9.80 firmware has a Storage
group with DiskID NetworkShareN0), so a share bound to a disk of another id is released and removed as
usual, and one listed on a disk disks/list.cgi does not list is no reason to refuse: no disk is unmounted
for it.

Profile ``modern-share``: share nas1 at nas.example.com/cameras, user cam, bound to NetworkShare and
mounted; the SD card mounted with ext4.
"""

from __future__ import annotations

import pytest

from tests.integration.inprocess import run_tasks

PASSWORD = "s3cr&t=x %20y"
NAS1 = dict(name="nas1", address="nas.example.com", share="cameras", share_username="cam", bound=True)
NAS2 = dict(name="nas2", address="nas2.example.com", share="cameras", share_username="cam",
            share_password=PASSWORD, bound=True)


def share_task(**options):
    return {"name": "task", "vapix.edge_storage.axis_share": options}


TASKS = {
    "state absent": share_task(name="nas1", state="absent"),
    "connection change": share_task(share_password=PASSWORD, **{**NAS1, "address": "nas3.example.com"}),
    "replace_bound": share_task(replace_bound=True, **NAS2),
    "exclusive": share_task(exclusive=True, **NAS2),
    "purge": {"name": "task", "vapix.edge_storage.axis_edge_storage": {"shares": [], "purge": ["shares"]}},
}


def disks(camera):
    return {disk["disk_id"]: (disk["status"], disk["mounted"], disk["share_id"]) for disk in camera.dump()["disks"]}


def wrong_disk(disk_id):
    return {"path": "disks/networkshare/list.cgi", "kind": "set_attribute", "name": "DiskId", "value": disk_id}


@pytest.mark.parametrize("task", list(TASKS.values()), ids=list(TASKS))
def test_a_share_listed_on_the_sd_card_is_a_damaged_answer_and_nothing_is_unmounted(make_camera, task):
    camera = make_camera("modern-share")
    before = (disks(camera), camera.dump()["shares"])
    camera.clear_log()
    camera.inject(answer=wrong_disk("SD_DISK"))
    run = run_tasks(camera, [task])
    assert run.failed == 1, run
    result = run.result("task")
    assert result["error_class"] == "damaged_answer", result
    assert ("disks/networkshare/list.cgi" in result["msg"]
            and "share 'nas1' is listed as bound to disk SD_DISK, which disks/list.cgi lists as a local disk (the "
                "SD card, file system ext4), but a share is only ever bound to a network share disk" in result["msg"])
    assert "nothing is changed on the strength of this answer" in result["msg"]
    assert camera.write_count() == 0, [entry for entry in camera.log() if entry["write"]]
    assert (disks(camera), camera.dump()["shares"]) == before
    assert disks(camera)["SD_DISK"][:2] == ("OK", True)


def test_a_share_listed_on_a_disk_the_camera_does_not_list_unmounts_nothing(make_camera):
    camera = make_camera("modern-share")
    before = disks(camera)
    camera.inject(answer=wrong_disk("USB_DISK"))
    camera.clear_log()
    run = run_tasks(camera, [TASKS["state absent"]])
    result = run.result("task")
    # Not refused for the disk id: the camera, whose share is in fact mounted on NetworkShare, refuses the unbind.
    assert (result["error_class"], result["code"]) == ("device", 400), result
    assert [entry["path"] for entry in camera.log() if entry["write"]] == ["/axis-cgi/disks/networkshare/unbind.cgi"]
    assert disks(camera) == before


def test_a_share_bound_to_a_network_share_disk_of_another_id_is_released_and_removed(make_camera):
    camera = make_camera("modern-share")
    # The camera's network share disk under another id (not NetworkShareN0: the emulator's param.cgi lists
    # that one for share nas1 already, as the 9.80 capture does).
    with camera.model.lock:
        camera.model.disk("NetworkShare").disk_id = "NetworkShare1"
        camera.model.share("nas1").disk_id = "NetworkShare1"
    camera.clear_log()
    run = run_tasks(camera, [TASKS["state absent"]])
    assert run.rc == 0, run
    mounts = [entry["args"] for entry in camera.log() if entry["path"].endswith("disks/mount.cgi")]
    assert [(args["action"], args["diskid"]) for args in mounts] == [("unmount", "NetworkShare1")]
    assert camera.dump()["shares"] == []
    assert disks(camera)["SD_DISK"][:2] == ("OK", True)


def test_the_answer_as_the_camera_gives_it_releases_the_network_share_disk(make_camera):
    camera = make_camera("modern-share")
    camera.clear_log()
    run = run_tasks(camera, [TASKS["state absent"]])
    assert run.rc == 0, run
    mounts = [entry["args"] for entry in camera.log() if entry["path"].endswith("disks/mount.cgi")]
    assert [(args["action"], args["diskid"]) for args in mounts] == [("unmount", "NetworkShare")]
    assert disks(camera)["SD_DISK"][:2] == ("OK", True)
