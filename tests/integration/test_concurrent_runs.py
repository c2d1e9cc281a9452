# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Two runs converging one camera at once, as docs/fleet.md ("Two runs on one camera") promises (emulator).

A run whose write the camera refuses because another run got there first fails with
``error_class: concurrent_change``, not with the camera's refusal as a device error, and is changed (its
refused write reached the camera):

- adding a continuous profile on a camera with one slot, which the other run's identical profile took;
- removing a continuous profile, a recording group or a share (by its single module, with ``exclusive`` or
  by a purge) the other run removed a moment before;
- creating a recording group or a share the other run created a moment before.

The in-process tests make the other run's request land right before this run's (the emulator's model
carries it out first); the playbook tests run three hosts of one play on one camera at once, as the audit
did.
"""

from __future__ import annotations

import pytest

from tests.integration.harness import run_playbook
from tests.integration.inprocess import run_tasks

TASK = "task"
EVENT = "race"
PROFILE = {"disk_id": "SD_DISK", "event_id": EVENT, "options": {"resolution": "1280x720"}}
GROUP = {"id": "grp-race", "disk_id": "SD_DISK", "retention": "7d"}
SHARE = {"name": "nasrace", "address": "nas.example.com", "share": "cameras"}


def task(module, **args):
    return {"name": TASK, "vapix.edge_storage." + module: args}


def another_run_first(camera, method, before=None):
    """The first call of the camera model's method is preceded by another run's: before(model) when given,
    else the same call with the same arguments."""
    model = camera.model
    original = getattr(model, method)

    def first(*args, **kwargs):
        setattr(model, method, original)
        if before is not None:
            before(model)
        else:
            original(*args, **kwargs)
        return original(*args, **kwargs)
    setattr(model, method, first)


def remove_bound_share(share_id):
    """What another run's removal of a bound share does: unmount its disk, unbind, remove."""
    def before(model):
        disk_id = next(share.disk_id for share in model.shares if share.share_id == share_id)
        with model.lock:
            model.disk(disk_id).mounted = False
        model.unbind_share(share_id)
        model.remove_shares(share_id)
    return before


def profiles(camera):
    return [(profile["event_id"], profile["options"]) for profile in camera.dump()["continuous_profiles"]]


def assert_rerun_has_nothing_to_do(camera, rerun_task):
    camera.clear_log()
    rerun = run_tasks(camera, [rerun_task])
    assert rerun.rc == 0 and rerun.changed == 0, rerun
    assert camera.write_count() == 0


# -- adding the same continuous profile -----------------------------------------------------------


def test_an_add_refused_for_the_slot_the_other_runs_identical_profile_took_is_a_concurrent_change(camera):
    assert camera.dump()["continuous_profiles"] == []
    another_run_first(camera, "add_profile")
    camera.clear_log()
    run = run_tasks(camera, [task("axis_continuous_profile", **PROFILE)])
    assert run.failed == 1, run
    result = run.result(TASK)
    assert (result["error_class"], result["changed"], result["writes"]) == ("concurrent_change", True, 1)
    # The refused request is named as for any refused write.
    assert result["cgi"].startswith("record/continuous/addconfiguration.cgi?diskid=SD_DISK")
    assert result["description"] == "Maximum number of continuous recording profiles (1) reached"
    assert ("and now lists profile 1 (disk SD_DISK, event id race, options resolution=1280x720): another run or a "
            "person added it meanwhile") in result["msg"]
    assert "it is as declared, so running the task again has nothing to do for it" in result["msg"]
    assert profiles(camera) == [(EVENT, "resolution=1280x720")]
    assert_rerun_has_nothing_to_do(camera, task("axis_continuous_profile", **PROFILE))


def test_a_twin_the_other_run_added_first_is_found_by_the_reread_of_the_batch_and_this_runs_add_removed(camera):
    """After an add the profiles are listed again: the verifying re-read of the add's batch does it (a storage
    limit, a profile and a group are written in one batch), not a list of its own right after the add. A twin
    the other run added a moment before is found there: this run removes its own and fails."""
    with camera.model.lock:
        camera.model.max_profiles = 2
    another_run_first(camera, "add_profile")
    camera.clear_log()
    run = run_tasks(camera, [task("axis_edge_storage", continuous_profiles=[PROFILE], recording_groups=[GROUP])])
    result = run.result(TASK)
    assert run.failed == 1, run
    assert (result["error_class"], result["changed"]) == ("concurrent_change", True)
    assert ("while this run added profile 2 (disk SD_DISK, event id race), another run or a person added profile 1 "
            "(disk SD_DISK, event id race, options resolution=1280x720); this run removed the profile it added"
            ) in result["msg"]
    assert profiles(camera) == [(EVENT, "resolution=1280x720")]
    sent = [entry["path"].split("/axis-cgi/", 1)[-1] for entry in camera.log() if entry["status"] != 401]
    after_add = sent[sent.index("record/continuous/addconfiguration.cgi") + 1:]
    # The group's create comes right after the add; the profiles are listed once, beside the group's re-read.
    assert after_add[0] == "record/recording_group/create.cgi"
    assert after_add.count("record/continuous/listconfiguration.cgi") == 1
    assert after_add[-1] == "record/continuous/removeconfiguration.cgi"


def test_a_twin_is_still_looked_for_when_a_later_write_of_the_adds_batch_fails(camera):
    """The twin check of an add runs on its batch's re-read; a later write of the batch that fails (the group's
    create) leaves no re-read: the twin check still runs, this run's add is removed and the failure says so."""
    with camera.model.lock:
        camera.model.max_profiles = 2
    another_run_first(camera, "add_profile")
    camera.inject(answer={"path": "record/recording_group/create.cgi", "kind": "device_error", "code": 10})
    run = run_tasks(camera, [task("axis_edge_storage", continuous_profiles=[PROFILE], recording_groups=[GROUP])])
    result = run.result(TASK)
    assert run.failed == 1, run
    assert (result["changed"], result["code"]) == (True, 10)
    assert result["failed_step"].startswith("create recording group grp-race")
    assert result["completed_steps"] == ["add continuous recording profile on disk SD_DISK, event id race, options "
                                         "resolution=1280x720"]
    assert ("then, making sure of what 'add continuous recording profile on disk SD_DISK, event id race, options "
            "resolution=1280x720' did: while this run added profile 2 (disk SD_DISK, event id race), another run or "
            "a person added profile 1") in result["msg"]
    assert "this run removed the profile it added and keeps that one" in result["msg"]
    assert profiles(camera) == [(EVENT, "resolution=1280x720")]


def test_a_twin_is_looked_for_before_the_verification_of_another_resource_of_the_batch_fails(camera):
    """A storage limit and a profile are written in one batch; the storage limit's verifying re-read is damaged.
    The twin check of the add does not wait behind that verification: this run's add is removed."""
    with camera.model.lock:
        camera.model.max_profiles = 2
    another_run_first(camera, "add_profile")
    # The first getlimit.cgi is the plan's read; the second, the batch's verifying re-read.
    camera.inject(answer={"path": "record/storage/getlimit.cgi", "kind": "truncate", "skip": 1})
    run = run_tasks(camera, [task("axis_edge_storage", storage_limits={"SD_DISK": "2 GiB"},
                                  continuous_profiles=[PROFILE])])
    result = run.result(TASK)
    assert run.failed == 1, run
    assert (result["error_class"], result["changed"]) == ("concurrent_change", True)
    assert "this run removed the profile it added and keeps that one" in result["msg"]
    assert profiles(camera) == [(EVENT, "resolution=1280x720")]


def test_an_add_refused_while_the_camera_holds_another_profile_stays_a_device_error(camera):
    number = camera.model.add_profile("SD_DISK", "resolution=640x480", "other")
    run = run_tasks(camera, [task("axis_continuous_profile", **PROFILE)])
    result = run.result(TASK)
    # Planned against the full camera: refused before any write, as before.
    assert (result["error_class"], result["writes"]) == ("invalid_argument", 0)
    # Planned while the slot was free, taken by another run's other profile before the add: the device's refusal.
    camera.model.remove_profile(number)
    another_run_first(camera, "add_profile", lambda model: model.add_profile("SD_DISK", "fps=5", "other"))
    run = run_tasks(camera, [task("axis_continuous_profile", **PROFILE)])
    result = run.result(TASK)
    assert (result["error_class"], result["writes"]) == ("device", 1), result
    assert "Maximum number of continuous recording profiles (1) reached" in result["msg"]


# -- removing the same item -----------------------------------------------------------------------

REMOVALS = {
    "profile absent": ("modern", [task("axis_continuous_profile", **PROFILE)], "remove_profile", None,
                       task("axis_continuous_profile", disk_id="SD_DISK", event_id=EVENT, state="absent"),
                       "continuous recording profile 1"),
    "profile exclusive": ("modern", [task("axis_continuous_profile", **PROFILE)], "remove_profile", None,
                          task("axis_continuous_profile", disk_id="SD_DISK", event_id="other", state="absent",
                               exclusive=True),
                          "continuous recording profile 1"),
    "profile purge": ("modern", [task("axis_continuous_profile", **PROFILE)], "remove_profile", None,
                      task("axis_edge_storage", continuous_profiles=[], purge=["continuous_profiles"]),
                      "continuous recording profile 1"),
    "group absent": ("modern", [task("axis_recording_group", **GROUP)], "delete_group", None,
                     task("axis_recording_group", id=GROUP["id"], state="absent", allow_data_loss=True),
                     "recording group grp-race"),
    "share absent": ("modern", [task("axis_share", **SHARE)], "remove_shares", None,
                     task("axis_share", name=SHARE["name"], state="absent"), "share 'nasrace'"),
    "bound share absent": ("modern-share", [], "start_mount", remove_bound_share("nas1"),
                           task("axis_share", name="nas1", state="absent"), "share 'nas1'"),
    "bound share purge": ("modern-share", [], "start_mount", remove_bound_share("nas1"),
                          task("axis_edge_storage", shares=[], purge=["shares"]), "share 'nas1'"),
}


@pytest.mark.parametrize("profile, setup, method, before, removal, item", list(REMOVALS.values()), ids=list(REMOVALS))
def test_a_removal_another_run_did_first_is_a_concurrent_change_that_leaves_nothing_to_do(
        make_camera, profile, setup, method, before, removal, item):
    camera = make_camera(profile)
    assert run_tasks(camera, setup).rc == 0
    state = camera.dump()
    another_run_first(camera, method, before)
    camera.clear_log()
    run = run_tasks(camera, [removal])
    assert run.failed == 1, run
    result = run.result(TASK)
    # The refused write reached the camera: changed, as every write is.
    assert (result["error_class"], result["changed"], result["writes"]) == ("concurrent_change", True, 1), result
    assert ("%s is gone: another run or a person removed it first, or the camera carried out this run's removal "
            "and answered it with an error (the camera refused this run's removal: " % item in result["msg"])
    assert "it is absent as declared, so running the task again has nothing to do for it" in result["msg"]
    assert result["cgi"] and result["failed_step"]
    dump = camera.dump()
    assert len(dump["continuous_profiles"]) < len(state["continuous_profiles"]) or (
        len(dump["recording_groups"]) < len(state["recording_groups"])) or len(dump["shares"]) < len(state["shares"])
    assert_rerun_has_nothing_to_do(camera, removal)


def release_bound_share(share_id, unbind):
    """What another run's removal of a bound share has done when it is stopped half-way: unmounted its disk,
    and with unbind unbound it too, but not removed it yet."""
    def before(model):
        disk_id = next(share.disk_id for share in model.shares if share.share_id == share_id)
        with model.lock:
            model.disk(disk_id).mounted = False
        if unbind:
            model.unbind_share(share_id)
    return before


@pytest.mark.parametrize("unbind, found", [(False, "is no longer mounted: another run or a person unmounted it first"),
                                           (True, "is no longer bound: another run or a person released it first")],
                         ids=["unmounted", "unbound"])
def test_a_share_removal_another_run_left_half_way_is_a_concurrent_change_the_rerun_finishes(
        make_camera, unbind, found):
    camera = make_camera("modern-share")
    another_run_first(camera, "start_mount", release_bound_share("nas1", unbind))
    removal = task("axis_share", name="nas1", state="absent")
    run = run_tasks(camera, [removal])
    result = run.result(TASK)
    # This run's unmount was refused: the other run had got there first.
    assert (result["error_class"], result["changed"], result["writes"]) == ("concurrent_change", True, 1), result
    assert "share 'nas1' %s" % found in result["msg"], result["msg"]
    assert "run the task again to converge" in result["msg"]
    assert result["failed_step"].startswith("unmount disk NetworkShare")
    assert [share["share_id"] for share in camera.dump()["shares"]] == ["nas1"]
    again = run_tasks(camera, [removal])
    assert again.rc == 0 and again.changed == 1 and camera.dump()["shares"] == [], again
    assert_rerun_has_nothing_to_do(camera, removal)


def test_a_share_release_the_camera_refuses_while_the_share_is_as_planned_stays_a_device_error(make_camera):
    camera = make_camera("modern-share")
    camera.inject(answer={"path": "disks/mount.cgi", "kind": "device_error", "code": 10,
                          "description": "Internal error"})
    run = run_tasks(camera, [task("axis_share", name="nas1", state="absent")])
    result = run.result(TASK)
    assert (result["error_class"], result["cgi"]) == ("device", "disks/mount.cgi?action=unmount&diskid=NetworkShare")
    assert "Internal error" in result["msg"] and "another run" not in result["msg"], result["msg"]
    assert camera.dump()["shares"][0]["disk_id"] == "NetworkShare"


def other_group(retention):
    """Another run's creation of GROUP's id with its own retention (hours)."""
    def before(model):
        model.create_group(GROUP["id"], disk_id=GROUP["disk_id"], retention=retention)
    return before


@pytest.mark.parametrize("before, then", [
    (None, "it is as declared, so running the task again has nothing to do for it"),
    (other_group(24), "run the task again to converge"),
], ids=["same", "other"])
def test_a_group_another_run_created_first_is_a_concurrent_change(camera, before, then):
    """The other run's create.cgi of the same group lands first: this run's is refused (the group exists) and
    read 'device error 20' as if the camera had failed; a fresh read finds the group, so it is a concurrent
    change, changed (the refused write reached the camera), and says whether the rerun has anything to do."""
    another_run_first(camera, "create_group", before)
    camera.clear_log()
    run = run_tasks(camera, [task("axis_recording_group", **GROUP)])
    result = run.result(TASK)
    assert (result["error_class"], result["changed"], result["writes"]) == ("concurrent_change", True, 1), result
    assert ("recording group %s exists: another run or a person created it first, or the camera carried out this "
            "run's creation and answered it with an error (the camera refused this run's creation: " % GROUP["id"]
            in result["msg"]), result["msg"]
    assert then in result["msg"]
    again = run_tasks(camera, [task("axis_recording_group", **GROUP)])
    assert again.rc == 0 and again.changed == (0 if before is None else 1), again
    assert [(group["id"], group["retention_hours"]) for group in camera.dump()["recording_groups"]] == [
        (GROUP["id"], 168)]


def test_a_share_another_run_added_first_is_a_concurrent_change(camera):
    """The other run's add.cgi of the same share lands first: this run's is refused (code 210, the share id is
    not unique) and read as the camera's error; a fresh read finds the share, so it is a concurrent change, and
    the rerun finishes what the declared state still needs (nothing here: the share is not to be bound)."""
    another_run_first(camera, "add_share")
    camera.clear_log()
    run = run_tasks(camera, [task("axis_share", **SHARE)])
    result = run.result(TASK)
    assert (result["error_class"], result["changed"], result["writes"]) == ("concurrent_change", True, 1), result
    assert ("share %s exists: another run or a person created it first, or the camera carried out this run's "
            "creation and answered it with an error" % SHARE["name"]) in result["msg"], result["msg"]
    assert "it is as declared, so running the task again has nothing to do for it" in result["msg"]
    assert [share["share_id"] for share in camera.dump()["shares"]] == [SHARE["name"]]
    assert_rerun_has_nothing_to_do(camera, task("axis_share", **SHARE))


def test_a_group_create_refused_while_no_group_is_there_stays_a_device_error(camera):
    camera.inject(answer={"path": "record/recording_group/create.cgi", "kind": "device_error", "code": 120})
    run = run_tasks(camera, [task("axis_recording_group", **GROUP)])
    result = run.result(TASK)
    assert (result["error_class"], result["changed"]) == ("device", True), result


def test_a_removal_to_re_create_the_profile_the_other_run_did_first_asks_for_a_rerun(camera):
    assert run_tasks(camera, [task("axis_continuous_profile", **PROFILE)]).rc == 0
    another_run_first(camera, "remove_profile")
    wanted = {"disk_id": "SD_DISK", "event_id": EVENT, "options": "resolution=640x480"}
    run = run_tasks(camera, [task("axis_continuous_profile", **wanted)])
    result = run.result(TASK)
    assert (result["error_class"], result["changed"]) == ("concurrent_change", True), result
    assert "continuous recording profile 1 is gone: another run or a person removed it first" in result["msg"]
    assert "run the task again to converge" in result["msg"]
    assert result["not_run_steps"][0].startswith("add continuous recording profile on disk SD_DISK, event id race")
    assert profiles(camera) == []
    again = run_tasks(camera, [task("axis_continuous_profile", **wanted)])
    assert again.rc == 0 and profiles(camera) == [(EVENT, "resolution=640x480")]


def test_a_removal_the_camera_carried_out_but_answered_with_an_error_says_it_may_be_this_runs(camera):
    """Nothing tells another run's removal from this run's own carried out and answered with an error: the
    message says both, and the run is changed (its write reached the camera)."""
    assert run_tasks(camera, [task("axis_recording_group", id="g-race", disk_id="SD_DISK")]).rc == 0
    camera.inject(answer={"path": "record/recording_group/delete.cgi", "kind": "device_error", "apply": True,
                          "code": 10, "description": "Internal error"})
    run = run_tasks(camera, [task("axis_recording_group", id="g-race", state="absent", allow_data_loss=True)])
    result = run.result(TASK)
    assert (result["error_class"], result["changed"], result["writes"]) == ("concurrent_change", True, 1), result
    assert ("another run or a person removed it first, or the camera carried out this run's removal and answered "
            "it with an error" in result["msg"])
    assert "g-race" not in [group["id"] for group in camera.dump()["recording_groups"]]


def test_a_removal_the_camera_refuses_while_the_item_is_still_there_stays_a_device_error(camera):
    assert run_tasks(camera, [task("axis_recording_group", **GROUP)]).rc == 0
    camera.set_group_in_use(GROUP["id"])
    run = run_tasks(camera, [task("axis_recording_group", id=GROUP["id"], state="absent", allow_data_loss=True)])
    result = run.result(TASK)
    assert (result["error_class"], result["code"]) == ("device", 140), result
    assert "is gone" not in result["msg"]


# -- three hosts of one play on one camera at once (real ansible-playbook) -------------------------


def play(camera, tasks):
    """The tasks on three hosts that are one camera, at once (the camera answers slowly to widen the race)."""
    camera.set_latency(200)
    try:
        return run_playbook([camera] * 3, tasks, forks=3)
    finally:
        camera.set_latency(0)


def outcomes(run, name):
    """{host: (status, error_class)} of the task named name."""
    return {host: (entry["status"], entry["result"].get("error_class"))
            for host in ("cam0", "cam1", "cam2")
            for entry in [next(e for e in reversed(run.results) if e["task"] == name and e["host"] == host)]}


def test_three_runs_adding_the_same_profile_on_a_camera_with_one_slot(camera):
    run = play(camera, [task("axis_continuous_profile", **PROFILE)])
    found = outcomes(run, TASK)
    assert sorted(found.values()).count(("changed", None)) >= 1, run
    assert set(found.values()) <= {("changed", None), ("ok", None), ("failed", "concurrent_change")}, found
    assert ("failed", "concurrent_change") in found.values(), found
    assert profiles(camera) == [(EVENT, "resolution=1280x720")]


def test_three_runs_removing_the_same_profile_group_and_share(camera):
    assert run_tasks(camera, [task("axis_continuous_profile", **PROFILE), task("axis_recording_group", **GROUP),
                              task("axis_share", **SHARE)]).rc == 0
    removals = {
        "profile": task("axis_continuous_profile", disk_id="SD_DISK", event_id=EVENT, state="absent"),
        "group": task("axis_recording_group", id=GROUP["id"], state="absent", allow_data_loss=True),
        "share": task("axis_share", name=SHARE["name"], state="absent"),
    }
    run = play(camera, [dict(removal, name=name, ignore_errors=True) for name, removal in removals.items()])
    for name in removals:
        found = outcomes(run, name)
        assert set(found.values()) <= {("changed", None), ("ok", None), ("failed", "concurrent_change")}, (name, found)
        assert ("failed", "concurrent_change") in found.values(), (name, found)
        for host, (status, _error_class) in found.items():
            if status == "failed":
                assert run.result(name, host)["changed"] is True
    dump = camera.dump()
    assert (dump["continuous_profiles"], dump["recording_groups"], dump["shares"]) == ([], [], [])
