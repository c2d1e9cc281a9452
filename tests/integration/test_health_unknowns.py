# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_storage_info's health against the emulator: axis_card is what the camera's wear says, and null where the
camera does not say (no card present, no wear in the answer), never false."""

from __future__ import annotations

from tests.integration.inprocess import run_tasks

MODULE = "vapix.edge_storage.axis_storage_info"


def health(camera):
    run = run_tasks(camera, [{"name": "info", MODULE: {"gather_subset": ["health"]}}])
    assert run.rc == 0, run
    return run.result("info")["health"]["disks"]


def test_axis_card_says_what_the_wear_says(make_camera):
    disks = health(make_camera("modern-share"))       # the NetworkShare disk has a share: wear -1, not supported
    assert (disks["SD_DISK"]["wear"], disks["SD_DISK"]["axis_card"]) == (3, True)
    assert (disks["NetworkShare"]["wear"], disks["NetworkShare"]["axis_card"]) == (-1, False)


def test_a_network_share_disk_without_a_share_is_not_present_so_unknown(camera):
    disks = health(camera)
    assert (disks["NetworkShare"]["wear"], disks["NetworkShare"]["axis_card"]) == (-3, None)


def test_no_card_present_is_unknown_not_a_card_of_another_make(make_camera):
    disks = health(make_camera("modern-nocard"))
    assert disks["SD_DISK"]["wear"] == -3
    assert disks["SD_DISK"]["axis_card"] is None


def test_a_health_answer_without_wear_is_unknown_not_false(camera):
    camera.inject(answer={"path": "disks/gethealth.cgi", "kind": "drop_attribute", "name": "wear"})
    disks = health(camera)
    assert all(entry["wear"] is None and entry["axis_card"] is None for entry in disks.values()), disks


def test_a_wear_that_is_no_number_is_a_damaged_answer_not_unknown(camera):
    """wear="abc" was read as no wear: the card was reported with wear and axis_card null, as if the camera did
    not say, while its answer was damaged."""
    camera.inject(answer={"path": "disks/gethealth.cgi", "kind": "set_attribute", "name": "wear", "value": "abc"})
    run = run_tasks(camera, [{"name": "info", MODULE: {"gather_subset": ["health"]}}])
    result = run.result("info")
    assert result.get("failed") and result["error_class"] == "damaged_answer", result
    assert "<HealthStatus> has wear='abc', which is not a whole number" in result["msg"]
    assert health(camera)["SD_DISK"]["wear"] == 3
