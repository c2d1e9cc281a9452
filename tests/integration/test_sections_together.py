# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_edge_storage: sections that would undo each other are refused before any write, check mode included.

Each section is planned against the camera as it is; what one section's steps would undo of another's is
found from the plans (the encryption workflow, when it runs, beside a disk declared unmounted, locked or with
another file system; a share unbound beside NetworkShare declared mounted), and named before the first
write; the same sections with nothing to change are no conflict. A run whose later steps undo an earlier section anyway fails after its last write instead of
reporting a state the camera no longer has (the engine's last check; tests/unit/test_engine.py).
"""

from __future__ import annotations

import pytest

from tests.integration.inprocess import fast_job_polls, run_task

PASSPHRASE = "pp1"


def converge(camera, check=False, **sections):
    with fast_job_polls():
        return run_task(camera, "axis_edge_storage", dict(sections, allow_data_loss=True), check=check)


def disk(camera, disk_id="SD_DISK"):
    return next(one for one in camera.dump()["disks"] if one["disk_id"] == disk_id)


@pytest.mark.parametrize("sections, refused", [
    ({"disks": [{"disk_id": "SD_DISK", "filesystem": "vfat"}],
      "encryption": [{"enabled": True, "passphrase": PASSPHRASE}]},
     "encryption: encryption of SD_DISK: the two sections would undo each other: it formats SD_DISK as ext4, and "
     "the disks section declares filesystem vfat: give the encryption item filesystem: vfat as well"),
    ({"disks": [{"disk_id": "SD_DISK", "required_filesystem": "ext4"}],
      "encryption": [{"enabled": True, "passphrase": PASSPHRASE, "filesystem": "vfat"}]},
     "it formats SD_DISK as vfat, and the disks section declares required_filesystem ext4: give both the same "
     "file system"),
])
def test_two_file_systems_for_one_disk_are_refused_before_any_write(camera, sections, refused):
    for check in (True, False):
        result = converge(camera, check=check, **sections)
        assert result.get("failed") and refused in result["msg"], result
        assert result["completed_steps"] == [] and not result["changed"], result
    assert camera.write_count() == 0
    assert (disk(camera)["filesystem"], disk(camera)["encrypted"]) == ("ext4", False)


def test_two_file_systems_are_no_conflict_while_encryption_formats_nothing(camera):
    """A vfat card with encryption off, declared as it is: the encryption item would format nothing."""
    assert not converge(camera, disks=[{"disk_id": "SD_DISK", "filesystem": "vfat"}]).get("failed")
    assert disk(camera)["filesystem"] == "vfat"
    camera.clear_log()
    sections = {"disks": [{"disk_id": "SD_DISK", "filesystem": "vfat"}], "encryption": [{"enabled": False}]}
    result = converge(camera, **sections)
    assert not result.get("failed") and not result["changed"], result
    assert camera.write_count() == 0


@pytest.mark.parametrize("declared, refused", [
    ({"state": "unmounted"}, "encryption: encryption of SD_DISK: the two sections would undo each other: it ends "
                             "with SD_DISK mounted, and the disks section declares it unmounted"),
    ({"locked": True}, "encryption: encryption of SD_DISK: the two sections would undo each other: it formats "
                       "SD_DISK, and the disks section locks it first (locked: true): a locked disk cannot be "
                       "formatted"),
])
def test_the_encryption_workflow_beside_a_disk_it_would_undo_is_refused_before_any_write(camera, declared, refused):
    sections = {"disks": [dict(declared, disk_id="SD_DISK")],
                "encryption": [{"enabled": True, "passphrase": PASSPHRASE}]}
    for check in (True, False):
        result = converge(camera, check=check, **sections)
        assert result.get("failed") and refused in result["msg"], result
        assert result["completed_steps"] == [] and not result["changed"], result
    assert camera.write_count() == 0
    assert (disk(camera)["mounted"], disk(camera)["encrypted"], disk(camera)["locked"]) == (True, False, False)


def test_a_locked_disk_whose_encryption_is_already_as_declared_is_no_conflict(make_camera):
    camera = make_camera("modern-encrypted")
    sections = {"disks": [{"disk_id": "SD_DISK", "locked": True}],
                "encryption": [{"enabled": True, "passphrase": "secret"}]}
    first = converge(camera, **sections)
    assert not first.get("failed") and first["steps"] == ["lock disk SD_DISK"], first
    camera.clear_log()
    again = converge(camera, **sections)
    assert not again["changed"] and camera.write_count() == 0, again


def test_a_share_unbound_beside_network_share_declared_mounted_is_refused_before_any_write(make_camera):
    camera = make_camera("modern-share")
    sections = {"shares": [{"name": "nas1", "bound": False}],
                "disks": [{"disk_id": "NetworkShare", "state": "mounted"}]}
    for check in (True, False):
        result = converge(camera, check=check, **sections)
        assert result.get("failed"), result
        assert ("the shares section unbinds the share bound to NetworkShare and binds none, and the disks section "
                "declares NetworkShare mounted" in result["msg"]), result
    assert camera.write_count() == 0
    assert disk(camera, "NetworkShare")["mounted"] is True


def test_a_limit_larger_than_a_share_bound_in_the_same_run_is_found_after_the_bind_and_said_so(camera):
    """The NAS's size is known only once the share is bound: check mode warns, the real run fails there, and
    its message says what it had changed (not the limit check's own 'Nothing was changed')."""
    sections = {"shares": [{"name": "nas1", "address": "nas.example.com", "share": "cameras",
                            "share_username": "cam", "share_password": "pw", "bound": True}],
                "storage_limits": {"NetworkShare": "900 TiB"}}
    planned = converge(camera, check=True, **sections)
    assert not planned.get("failed"), planned
    assert any(warning.startswith("NetworkShare reports no size yet (status 'disconnected'), so 900 TiB is not "
                                  "compared with it now") for warning in planned["warnings"]), planned
    done = converge(camera, **sections)
    assert done.get("failed") and done["changed"], done
    assert "is larger than disk NetworkShare itself" in done["msg"], done
    assert "Nothing was changed" not in done["msg"] and "changes were made before it: add share" in done["msg"]


def test_before_is_the_state_before_the_run_also_for_a_section_an_earlier_one_changed(make_camera):
    """The shares section's unbind unmounts NetworkShare before the disks section is planned again: the real
    run's before (and diff) still shows the disk as it was before the run, mounted, as check mode does, not
    unmounted -> unmounted."""
    camera = make_camera("modern-share")
    sections = {"shares": [{"name": "nas1", "bound": False}],
                "disks": [{"disk_id": "NetworkShare", "state": "unmounted"}]}
    planned = converge(camera, check=True, **sections)
    assert planned["before"]["disk NetworkShare"] == {"state": "mounted"}, planned
    done = converge(camera, **sections)
    assert not done.get("failed"), done
    assert done["before"] == planned["before"] and done["after"] == planned["after"], done
    assert done["before"]["disk NetworkShare"] == {"state": "mounted"}
    assert done["after"]["disk NetworkShare"] == {"state": "unmounted"}
    assert disk(camera, "NetworkShare")["mounted"] is False


def test_a_refusal_on_a_disk_no_earlier_section_changes_is_made_before_any_write(legacy_camera):
    """A share bound first changes the NetworkShare disk, not the SD card: a card the camera cannot mount (none
    inserted) is refused before the share is added, in check mode as in the real run, not after the share's
    writes; NetworkShare itself is still planned after the bind."""
    legacy_camera.inject(eject="SD_DISK")
    share = {"name": "nas1", "address": "nas.example.com", "share": "cameras", "bound": True}
    sections = {"shares": [share], "disks": [{"disk_id": "SD_DISK", "state": "mounted"},
                                             {"disk_id": "NetworkShare", "state": "mounted"}]}
    for check in (True, False):
        result = converge(legacy_camera, check=check, **sections)
        assert result.get("failed"), result
        assert "disks: disk SD_DISK is disconnected" in result["msg"] and "NetworkShare" not in result["msg"], result
        assert result["completed_steps"] == [] and not result["changed"], result
    assert legacy_camera.write_count() == 0
    assert legacy_camera.dump()["shares"] == []


def test_a_profile_on_a_disk_the_camera_lacks_beside_a_share_bound_first_is_refused_before_any_write(camera):
    """A profile waited for the changes of any earlier section (its slot, which only profiles free, is counted
    with the ones declared before it): the share was added and bound, then the run failed half-applied."""
    share = {"name": "nas1", "address": "nas.example.com", "share": "cameras", "bound": True}
    profile = {"disk_id": "SD_DISK2", "event_id": "continuous", "options": {"resolution": "1280x720"}}
    for check in (True, False):
        result = converge(camera, check=check, shares=[share], continuous_profiles=[profile])
        assert result.get("failed") and not result["changed"], result
        assert "the camera has no disk 'SD_DISK2'" in result["msg"], result
    assert camera.write_count() == 0 and camera.dump()["shares"] == []


def test_before_of_a_section_planned_after_the_ones_it_depends_on_is_the_state_before_the_run(camera):
    """NetworkShare cannot be planned mounted until the share is bound: check mode warns and shows it as it is
    and as declared; the real run plans it after the bind and reports the same before and after."""
    sections = {"shares": [{"name": "nas1", "address": "nas.example.com", "share": "cameras", "bound": True}],
                "disks": [{"disk_id": "NetworkShare", "friendly_name": "NAS", "state": "mounted"}]}
    planned = converge(camera, check=True, **sections)
    # Check mode shows it as it is and as it is declared (the warning says it is planned after the bind).
    assert planned["before"]["disk NetworkShare"] == {"friendly_name": "", "state": "unmounted"}, planned
    assert planned["after"]["disk NetworkShare"] == {"friendly_name": "NAS", "state": "mounted"}, planned
    assert any("disk NetworkShare (disks) is planned after the changes of the sections before it" in warning
               for warning in planned["warnings"]), planned
    done = converge(camera, **sections)
    assert not done.get("failed"), done
    assert done["before"]["disk NetworkShare"] == {"friendly_name": "", "state": "unmounted"}, done
    assert done["after"]["disk NetworkShare"] == {"friendly_name": "NAS", "state": "mounted"}
    assert (done["before"], done["after"]) == (planned["before"], planned["after"])
