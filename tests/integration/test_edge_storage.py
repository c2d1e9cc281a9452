# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_edge_storage: the whole camera in one run, against the emulator.

The scenarios run the action plugin in-process (tests/integration/inprocess.py); a run with --diff at -vvv
goes through real ansible-playbook, whose output must hold no share password
(test_diff_and_verbose_output_carry_no_secret)."""

from __future__ import annotations

import copy
import json

import pytest

from tests.integration.harness import run_playbook
from tests.integration.inprocess import run_task, run_tasks

SHARE_PASSWORD = "s3cr&t=x %20y"

DESIRED = {
    "shares": [{"name": "nas1", "address": "nas.example.com", "share": "cameras",
                "share_username": "cam", "share_password": SHARE_PASSWORD, "bound": True}],
    "disks": [{"disk_id": "SD_DISK", "friendly_name": "SD card", "cleanup_policy": "fifo", "cleanup_max_age": 30},
              {"disk_id": "NetworkShare", "cleanup_policy": "fifo", "cleanup_max_age": 14}],
    "storage_limits": {"NetworkShare": "500 GiB"},
    "continuous_profiles": [{"disk_id": "SD_DISK", "event_id": "continuous_sd",
                             "options": {"resolution": "1280x720"}}],
    "recording_groups": [{"id": "retention-7d", "disk_id": "SD_DISK", "retention": "7d"}],
}

TASK = "converge the camera"


def converge(camera, desired=None, run=run_tasks, **kwargs):
    """The camera converged to desired (DESIRED when None), in-process unless run is harness.run_playbook."""
    task = {"name": TASK, "vapix.edge_storage.axis_edge_storage": desired or DESIRED}
    return run(camera, [task], **kwargs)


def share_of(camera, share_id):
    return next(share for share in camera.dump()["shares"] if share["share_id"] == share_id)


def disk_of(camera, disk_id):
    return next(disk for disk in camera.dump()["disks"] if disk["disk_id"] == disk_id)


def test_converge_from_factory_then_nothing_left_to_do(camera):
    run = converge(camera)
    assert run.rc == 0, run
    result = run.result(TASK)
    assert result["changed"] is True
    steps = result["steps"]
    # The device's order: share test before any write, share before disks, groups last.
    assert steps[0].startswith("test the connection to //nas.example.com/cameras")
    order = [next(i for i, s in enumerate(steps) if marker in s)
             for marker in ("add share", "bind share", "SD_DISK", "storage limit", "continuous recording profile",
                            "recording group")]
    assert order == sorted(order), steps
    # After the writes each family is re-read once: the disks after the bind (which creates the NetworkShare
    # disk) and once more after both disks' settings, not once per disk; the Properties never again.
    reads = [entry["path"].split("/axis-cgi/")[1] + ("?" + entry["args"].get("group", "") if "group" in
                                                     entry["args"] else "")
             for entry in camera.log() if entry["status"] == 200 and not entry["write"]]
    assert reads.count("disks/list.cgi") == 3, reads
    assert [read for read in reads if read.startswith("param.cgi")] == [
        "param.cgi?Properties.LocalStorage,Properties.NetworkShare,Properties.Firmware,Brand,Storage",
        "param.cgi?Storage", "param.cgi?Storage"], reads

    state = camera.dump()
    share = share_of(camera, "nas1")
    assert (share["nicename"], share["address"], share["share"], share["user"]) == \
        ("nas1", "nas.example.com", "cameras", "cam")
    assert share["disk_id"] == "NetworkShare"
    # The password, with &, =, % and a space, arrived intact.
    assert camera.model.share("nas1").password == SHARE_PASSWORD
    sd = disk_of(camera, "SD_DISK")
    assert (sd["friendly_name"], sd["cleanup_policy"], sd["cleanup_max_age"]) == ("SD card", "fifo", 30)
    assert disk_of(camera, "NetworkShare")["cleanup_max_age"] == 14
    assert state["storage_limits"]["NetworkShare"] == 524288000
    assert [(p["disk_id"], p["event_id"], p["options"]) for p in state["continuous_profiles"]] == \
        [("SD_DISK", "continuous_sd", "resolution=1280x720")]
    assert [(g["id"], g["disk_id"], g["retention_hours"]) for g in state["recording_groups"]] == \
        [("retention-7d", "SD_DISK", 168)]

    camera.clear_log()
    again = converge(camera)
    assert again.rc == 0, again
    assert again.changed == 0
    assert again.result(TASK)["steps"] == []
    assert camera.write_count() == 0


TWO_DISKS = {"disks": [{"disk_id": "SD_DISK", "friendly_name": "SD card", "cleanup_max_age": 30},
                       {"disk_id": "NetworkShare", "cleanup_max_age": 14}]}


def param_updates(camera):
    return [entry["args"] for entry in camera.log()
            if entry["path"].endswith("/param.cgi") and entry["args"].get("action") == "update"]


def test_the_settings_of_two_disks_go_in_one_parameter_update(camera):
    run = converge(camera, TWO_DISKS)
    assert run.rc == 0 and run.changed == 1, run
    assert param_updates(camera) == [{"action": "update", "Storage.S0.CleanupMaxAge": "30",
                                      "Storage.S0.FriendlyName": "SD card", "Storage.S1.CleanupMaxAge": "14"}]
    assert run.result(TASK)["steps"] == [
        "set friendly_name '' -> 'SD card', cleanup_max_age 7000 -> 30 of disk SD_DISK (param.cgi Storage.S0)",
        "set cleanup_max_age 7000 -> 14 of disk NetworkShare (param.cgi Storage.S1)"]
    camera.clear_log()
    again = converge(camera, TWO_DISKS)
    assert again.rc == 0 and again.changed == 0, again
    assert camera.write_count() == 0


def test_a_shared_parameter_update_the_camera_refuses_names_both_disks_steps_and_where_they_stand(camera):
    """The camera applies the update in part (one parameter refused): the failure names the steps of both
    disks the request carried, is changed (the request reached the camera), and says where each disk stands."""
    camera.inject(refuse_param="Storage.S1.CleanupMaxAge")
    run = converge(camera, TWO_DISKS)
    assert run.failed == 1, run
    result = run.result(TASK)
    assert result["changed"] is True
    assert result["failed_step"] == (
        "set friendly_name '' -> 'SD card', cleanup_max_age 7000 -> 30 of disk SD_DISK (param.cgi Storage.S0) and "
        "set cleanup_max_age 7000 -> 14 of disk NetworkShare (param.cgi Storage.S1)")
    assert "Error setting 'Storage.S1.CleanupMaxAge' to '14'" in result["msg"]
    assert "the device is now: disk SD_DISK {" in result["msg"] and "'friendly_name': 'SD card'" in result["msg"]
    assert "; disk NetworkShare {" in result["msg"]
    assert len(param_updates(camera)) == 1
    assert disk_of(camera, "SD_DISK")["friendly_name"] == "SD card"
    assert disk_of(camera, "NetworkShare")["cleanup_max_age"] == 7000
    again = converge(camera, TWO_DISKS)
    assert again.rc == 0 and again.changed == 1, again
    assert again.result(TASK)["steps"] == ["set cleanup_max_age 7000 -> 14 of disk NetworkShare (param.cgi Storage.S1)"]


def test_check_mode_plans_the_real_run_and_writes_nothing(camera):
    planned = converge(camera, check=True, diff=True)
    assert planned.rc == 0, planned
    assert planned.result(TASK)["changed"] is True
    assert camera.write_count() == 0

    done = converge(camera, diff=True)
    assert done.rc == 0, done
    assert done.result(TASK)["steps"] == planned.result(TASK)["steps"]
    # The prediction of check mode is what the real run produced.
    assert planned.result(TASK)["after"] == done.result(TASK)["after"]


def test_one_digest_challenge_per_run_and_reads_once(camera):
    converge(camera)
    camera.clear_log()
    before = camera.challenge_count()
    run = converge(camera)
    assert run.rc == 0, run
    assert camera.challenge_count() - before == 1
    reads = [(entry["path"], repr(sorted(entry["args"].items()))) for entry in camera.log() if entry["status"] == 200]
    # Each API family (and each param.cgi group set) is asked once in a no-op run.
    assert len(reads) == len(set(reads)), reads
    assert run.result(TASK)["requests"] == len([entry for entry in camera.log() if entry["status"] != 401])
    # The properties and the Storage group are one param.cgi read: 8 requests with the challenge.
    assert [entry["path"].split("/axis-cgi/")[1] for entry in camera.log()].count("param.cgi") == 2
    assert len(camera.log()) <= 8


PASSPHRASE = "Encr&pt=phrase %20z"
SHARE = DESIRED["shares"][0]


@pytest.mark.parametrize("args, refused", [
    # an argument outside the sections is refused before any section is looked at
    ({"shares": [SHARE], "purge": ["disks"]}, "value of purge must be one or more of"),
    # an item before the one holding the secret is refused
    ({"shares": [{"name": "x", "no_such_option": 1}, SHARE]}, "shares[0]: unsupported parameters: no_such_option"),
    # a later section's item is refused, and its own secret is masked too
    ({"shares": [SHARE], "encryption": [{"disk_id": "SD_DISK", "passphrase": PASSPHRASE, "no_such_option": 1}]},
     "encryption[0]: "),
    # a section given as key=value text, which validation would have turned into an item
    ({"shares": [{"name": "x", "no_such_option": 1}], "encryption": "enabled=true passphrase='%s'" % PASSPHRASE},
     "shares[0]: unsupported parameters: no_such_option"),
    ({"shares": ["name=x share_password='%s' no_such_option=1" % SHARE_PASSWORD],
      "encryption": ["enabled=true passphrase='%s'" % PASSPHRASE]}, "shares[0]: unsupported parameters: no_such_option"),
])
def test_a_refused_argument_shows_no_secret_of_any_section(camera, args, refused):
    result = run_task(camera, "axis_edge_storage", args)
    assert result["failed"] is True and refused in result["msg"], result
    text = json.dumps(result)
    for secret in (SHARE_PASSWORD, PASSPHRASE):
        assert secret not in text
    assert camera.log() == []


def test_diff_and_verbose_output_carry_no_secret(camera):
    run = converge(camera, run=run_playbook, diff=True, verbosity=3)
    assert run.rc == 0, run
    for text in (run.stdout, run.stderr, repr(run.results)):
        assert SHARE_PASSWORD not in text
        assert "s3cr%26t" not in text
    result = run.result(TASK)
    # From the factory there is no share: the diff shows it absent before and without its password after.
    assert result["diff"]["before"]["share nas1"] == {"state": "absent"}
    assert result["diff"]["after"]["share nas1"] == {
        "name": "nas1", "share_id": "nas1", "address": "nas.example.com", "share": "cameras",
        "share_username": "cam", "bound": True, "disk_id": "NetworkShare", "state": "present"}
    assert '+        "share_username": "cam",' in run.stdout.splitlines()   # --diff printed it


def test_limits_as_a_list_are_the_same_state(camera):
    converge(camera)
    desired = copy.deepcopy(DESIRED)
    desired["storage_limits"] = [{"disk_id": "NetworkShare", "size": 524288000}]
    run = converge(camera, desired)
    assert run.rc == 0, run
    assert run.changed == 0


def test_invalid_item_fails_before_any_request_naming_the_item(camera):
    desired = copy.deepcopy(DESIRED)
    desired["disks"][1]["cleanup_max_age"] = 9000
    camera.clear_log()
    run = converge(camera, desired)
    assert run.rc != 0
    message = run.result(TASK)["msg"]
    assert "disks[1]" in message and "7000" in message
    assert camera.log() == []


def test_exclusive_is_refused_in_a_section(camera):
    desired = copy.deepcopy(DESIRED)
    desired["shares"][0]["exclusive"] = True
    run = converge(camera, desired)
    assert run.rc != 0
    assert "shares[0]" in run.result(TASK)["msg"] and "exclusive" in run.result(TASK)["msg"]
    assert camera.write_count() == 0


def test_failing_share_test_stops_before_any_write(camera):
    desired = copy.deepcopy(DESIRED)
    desired["shares"][0]["address"] = "nas.invalid"
    run = converge(camera, desired)
    assert run.rc != 0
    result = run.result(TASK)
    # The test ran while the later sections were read (ahead of its report): its own error, code 700.
    assert (result["code"], result["changed"], result["completed_steps"]) == (700, False, []), result
    assert result["failed_step"].startswith("test the connection to //nas.invalid/cameras"), result
    assert camera.write_count() == 0
    assert camera.dump()["shares"] == []


def test_the_share_test_runs_while_the_later_sections_are_read(make_camera):
    """A real run starts the share test once the shares are planned, beside the reads the later sections' plans
    need (four requests at once, as parallel_reads allows: the test and three reads); it reports the test first,
    before any write."""
    camera = make_camera(latency_ms=30)
    camera.clear_log()
    run = converge(camera)
    assert run.rc == 0, run
    assert camera.most_at_once() == 4
    sent = [entry["path"].split("/axis-cgi/", 1)[-1] for entry in camera.log() if entry["status"] != 401]
    assert sent.index("disks/networkshare/test.cgi") < sent.index("record/recording_group/list.cgi")
    assert run.result(TASK)["steps"][0].startswith("test the connection to //nas.example.com/cameras")


@pytest.mark.parametrize("parallel_reads", [2, 3])
def test_the_share_test_and_the_reads_beside_it_keep_to_parallel_reads(make_camera, parallel_reads):
    """parallel_reads bounds the requests a run has under way at once: the share test is one of them, the reads
    beside it take the rest."""
    camera = make_camera(latency_ms=30)
    camera.clear_log()
    run = converge(camera, dict(DESIRED, parallel_reads=parallel_reads))
    assert run.rc == 0, run
    assert camera.most_at_once() == parallel_reads
    assert run.result(TASK)["steps"][0].startswith("test the connection to //nas.example.com/cameras")


def failed_before_any_write(camera, share_address=None, group_disk=None, sd_filesystem=None):
    """The result of a converge of DESIRED so changed that it fails before any write (the share test runs ahead
    of the later plans): failed, unchanged, nothing written, the test not among the steps not run."""
    desired = copy.deepcopy(DESIRED)
    if share_address:
        desired["shares"][0]["address"] = share_address
    if group_disk:
        desired["recording_groups"][0]["disk_id"] = group_disk
    if sd_filesystem:
        desired["disks"][0]["filesystem"] = sd_filesystem
    run = converge(camera, desired)
    result = run.result(TASK)
    assert run.failed == 1 and result["changed"] is False, run
    assert camera.write_count() == 0
    assert not [step for step in result["not_run_steps"] if step.startswith("test the connection")], result
    return result


def test_a_share_test_that_ran_while_a_later_plan_failed_writes_nothing(camera):
    """The share test ran ahead and passed; a later section's plan fails on the camera's state: the run fails
    naming it (not the test), before any write, as when the test ran after every plan."""
    result = failed_before_any_write(camera, group_disk="SD_DISK2")
    assert "the camera has no disk 'SD_DISK2'" in result["msg"]
    assert "shares" not in result["msg"]
    assert camera.dump()["shares"] == []


def test_a_share_test_that_ran_and_failed_while_a_later_plan_failed_is_named_not_said_not_run(camera):
    """The share test ran ahead and failed; a later section's plan fails too: the run names both problems, and
    does not list the test among the steps not run."""
    result = failed_before_any_write(camera, share_address="nas.invalid", group_disk="SD_DISK2")
    assert "the camera has no disk 'SD_DISK2'" in result["msg"]
    assert "shares: " in result["msg"] and "device error 700" in result["msg"]
    assert "add share 'nas1' (id nas1) for //nas.invalid/cameras" in result["not_run_steps"]


def test_a_share_test_that_ran_and_failed_before_a_data_loss_refusal_is_named_with_it(camera):
    """The share test ran ahead and failed; the run is then refused for a format without allow_data_loss: the
    refusal names the test's failure too, and does not list the test among the steps not run."""
    result = failed_before_any_write(camera, share_address="nas.invalid", sd_filesystem="vfat")
    assert result["error_class"] == "needs_allow_data_loss"
    assert ("besides, 'test the connection to //nas.invalid/cameras as user cam (share test, before any change)' "
            "failed: ") in result["msg"] and "device error 700" in result["msg"]


def test_check_mode_runs_no_share_test(camera):
    camera.clear_log()
    run = converge(camera, check=True)
    assert run.rc == 0 and run.changed == 1, run
    assert not [entry for entry in camera.log() if "networkshare/test.cgi" in entry["path"]]


def test_legacy_camera_converges_what_it_has_and_refuses_what_it_lacks(legacy_camera):
    disks_only = {"disks": [{"disk_id": "SD_DISK", "cleanup_max_age": 30}]}
    run = converge(legacy_camera, disks_only)
    assert run.rc == 0, run
    assert disk_of(legacy_camera, "SD_DISK")["cleanup_max_age"] == 30
    assert converge(legacy_camera, disks_only).changed == 0

    legacy_camera.clear_log()
    run = converge(legacy_camera, {"recording_groups": [{"id": "week", "disk_id": "SD_DISK", "retention": 168}]})
    assert run.rc != 0
    assert "not supported" in run.result(TASK)["msg"]
    assert legacy_camera.write_count() == 0


def test_legacy_share_quota_with_a_share_bound_in_the_run_is_refused_before_any_write(legacy_camera):
    """The quota waits for the share's size, but whether the camera has storage limits at all is known first:
    no share is added or bound for a limit it cannot hold, and check mode says what the real run does."""
    share = {"name": "nas1", "address": "nas.example.com", "share": "cameras", "share_username": "cam",
             "share_password": SHARE_PASSWORD, "bound": True}
    desired = {"shares": [share], "share_quota": {"weights": {"a": 1, "b": 1}, "member": "a"}}
    for check in (True, False):
        run = converge(legacy_camera, desired, check=check)
        assert run.rc != 0, run
        result = run.result(TASK)
        assert "not supported by this camera (5.51.7): recording storage limit (storage_limits)" in result["msg"]
        assert result["changed"] is False and result["writes"] == 0
        assert legacy_camera.write_count() == 0
        assert legacy_camera.dump()["shares"] == []

    skipping = dict(desired, unsupported="skip")
    planned = converge(legacy_camera, skipping, check=True).result(TASK)
    applied = converge(legacy_camera, skipping).result(TASK)
    assert applied["skipped_unsupported"] == planned["skipped_unsupported"]
    assert [item["what"] for item in applied["skipped_unsupported"]] == ["storage limit NetworkShare (storage_limits)"]
    assert applied["steps"] == planned["steps"]
    assert converge(legacy_camera, skipping).changed == 0


# -- purge: each purged section is declared in full -------------------------------------------


def planned_then_applied(camera, desired):
    """--check, then the real run, then a second run: the check writes nothing and predicts the run exactly."""
    camera.clear_log()
    planned = converge(camera, desired, check=True, diff=True)
    assert planned.rc == 0, planned
    assert camera.write_count() == 0
    done = converge(camera, desired, diff=True)
    assert done.rc == 0, done
    assert done.result(TASK)["steps"] == planned.result(TASK)["steps"]
    assert done.result(TASK)["after"] == planned.result(TASK)["after"]
    again = converge(camera, desired)
    assert again.rc == 0, again
    assert again.changed == 0
    return done.result(TASK)


def test_purge_of_shares_removes_the_undeclared_holder_of_the_disk_and_keeps_the_declared(camera):
    nas2 = {"name": "nas2", "address": "nas2.example.com", "share": "rec", "bound": False}
    seeded = converge(camera, {"shares": [DESIRED["shares"][0], nas2, dict(nas2, name="nas3")]})
    assert seeded.rc == 0, seeded
    assert share_of(camera, "nas1")["disk_id"] == "NetworkShare"

    # nas2 takes the NetworkShare disk that undeclared nas1 holds: no conflict, nas1 goes first.
    result = planned_then_applied(camera, {"purge": ["shares"], "shares": [dict(nas2, bound=True)]})
    assert result["steps"] == [
        "test the connection to //nas2.example.com/rec (share test, before any change)",
        "unmount disk NetworkShare (share 'nas1')",
        "unbind share 'nas1' from disk NetworkShare",
        "remove share 'nas1' (not declared; purge: shares)",
        "remove share 'nas3' (not declared; purge: shares)",
        "bind share 'nas2' to the network share disk (mounts it)"]
    assert result["before"]["shares other than share nas2"] == {
        "nas1": {"name": "nas1", "share_id": "nas1", "address": "nas.example.com", "share": "cameras",
                 "share_username": "cam", "bound": True, "disk_id": "NetworkShare"},
        "nas3": {"name": "nas3", "share_id": "nas3", "address": "nas2.example.com", "share": "rec",
                 "share_username": "", "bound": False, "disk_id": None}}
    assert result["after"]["shares other than share nas2"] == {}
    assert [(share["share_id"], share["disk_id"]) for share in camera.dump()["shares"]] == [("nas2", "NetworkShare")]


def test_purge_of_continuous_profiles_frees_the_slots_for_the_declared(camera):
    with camera.model.lock:
        camera.model.max_profiles = 2
    kept = {"disk_id": "SD_DISK", "event_id": "continuous_sd", "options": {"resolution": "1280x720"}}
    seeded = converge(camera, {"continuous_profiles": [kept, dict(kept, event_id="old")]})
    assert seeded.rc == 0, seeded

    # Both slots are taken: without purge the new profile is a conflict naming the holder.
    declared = [kept, dict(kept, event_id="new")]
    refused = converge(camera, {"continuous_profiles": declared})
    assert refused.rc != 0
    assert "event id old" in refused.result(TASK)["msg"] and "purge: [continuous_profiles]" in refused.result(TASK)["msg"]

    result = planned_then_applied(camera, {"purge": ["continuous_profiles"], "continuous_profiles": declared})
    assert [step.split(" (")[0] for step in result["steps"]] == [
        "remove continuous recording profile 2", "add continuous recording profile on disk SD_DISK, event id new, "
        "options resolution=1280x720"]
    assert "(not declared; purge: continuous_profiles)" in result["steps"][0]
    assert sorted(profile["event_id"] for profile in camera.dump()["continuous_profiles"]) == ["continuous_sd", "new"]


@pytest.mark.parametrize("check", [True, False])
def test_more_profiles_declared_than_the_camera_holds_fail_before_any_write(camera, check):
    """Each profile's slot check counted only what the camera listed: check mode planned three adds on a camera
    of two slots, and the real run added two, then failed planning the third."""
    with camera.model.lock:
        camera.model.max_profiles = 2
    profile = {"disk_id": "SD_DISK", "options": {"resolution": "1280x720"}}
    declared = [dict(profile, event_id=event_id) for event_id in ("one", "two", "three")]
    camera.clear_log()
    run = converge(camera, {"continuous_profiles": declared}, check=check)
    result = run.result(TASK)
    assert run.rc != 0 and result["changed"] is False, run
    assert result["msg"].startswith("continuous_profiles: cannot add continuous profile SD_DISK/three: the camera "
                                    "holds at most 2 continuous recording profiles and continuous profile "
                                    "SD_DISK/one, declared before it, holds a slot; continuous profile SD_DISK/two, "
                                    "declared before it, holds a slot;"), result["msg"]
    assert camera.write_count() == 0
    assert camera.dump()["continuous_profiles"] == []

    # Two fit, and the run that keeps them and adds none more plans nothing.
    assert converge(camera, {"continuous_profiles": declared[:2]}).rc == 0
    assert converge(camera, {"continuous_profiles": declared[:2]}, check=check).result(TASK)["changed"] is False


def test_purge_of_recording_groups_needs_allow_data_loss_and_deletes_the_undeclared_with_it(camera):
    group = {"disk_id": "SD_DISK", "retention": "7d"}
    seeded = converge(camera, {"recording_groups": [dict(group, id="week"), dict(group, id="day"),
                                                    dict(group, id="old")]})
    assert seeded.rc == 0, seeded
    declared = [dict(group, id="week"), dict(group, id="day", retention="1d")]
    deletion = "delete recording group old and its recordings (not declared; purge: recording_groups)"

    # Check mode shows the plan and what needs the opt-in; a drift, not a failure.
    camera.clear_log()
    planned = converge(camera, {"purge": ["recording_groups"], "recording_groups": declared}, check=True)
    assert planned.rc == 0, planned
    result = planned.result(TASK)
    assert result["changed"] is True
    assert result["needs_allow_data_loss"] == [deletion + " [destructive; needs allow_data_loss]"]
    assert result["steps"][0] == deletion + " [destructive; needs allow_data_loss]"
    assert any("allow_data_loss" in warning for warning in result["warnings"])
    # The real run refuses before any write, the update of 'day' included.
    refused = converge(camera, {"purge": ["recording_groups"], "recording_groups": declared})
    assert refused.rc != 0
    result = refused.result(TASK)
    assert (result["error_class"], result["writes"], result["changed"]) == ("needs_allow_data_loss", 0, False)
    assert "allow_data_loss: true" in result["msg"] and deletion in result["msg"]
    assert camera.write_count() == 0
    assert sorted(g["id"] for g in camera.dump()["recording_groups"]) == ["day", "old", "week"]

    # With the opt-in at the top of the task it applies to the purge.
    result = planned_then_applied(camera, {"purge": ["recording_groups"], "recording_groups": declared,
                                           "allow_data_loss": True})
    assert result["steps"] == [deletion + " [destructive]", "update recording group day: retention_hours 168 -> 24"]
    assert result["needs_allow_data_loss"] == []
    assert sorted((g["id"], g["retention_hours"]) for g in camera.dump()["recording_groups"]) == \
        [("day", 24), ("week", 168)]


def test_purge_of_empty_sections_removes_everything_of_those_kinds_and_nothing_else(camera):
    seeded = converge(camera)
    assert seeded.rc == 0, seeded
    result = planned_then_applied(camera, {"purge": ["shares", "continuous_profiles", "recording_groups"],
                                           "allow_data_loss": True})
    assert sorted(result["before"]) == ["all continuous profiles (none declared)",
                                        "all recording groups (none declared)", "all shares (none declared)"]
    assert [step for step in result["steps"] if step.startswith("remove share")] == \
        ["remove share 'nas1' (not declared; purge: shares)"]
    assert [step for step in result["steps"] if "[destructive]" in step] == [
        "delete recording group retention-7d and its recordings (not declared; purge: recording_groups) [destructive]"]
    state = camera.dump()
    assert (state["shares"], state["continuous_profiles"], state["recording_groups"]) == ([], [], [])
    # Sections not purged are left alone.
    assert disk_of(camera, "SD_DISK")["friendly_name"] == "SD card"


def test_purge_names_only_sections_it_knows(camera):
    run = converge(camera, {"purge": ["disks"]})
    assert run.rc != 0
    assert "purge" in run.result(TASK)["msg"] and "shares" in run.result(TASK)["msg"]
    assert camera.log() == []


def test_purge_deletes_no_group_when_one_is_on_a_locked_disk(make_camera):
    """Check mode planned every deletion; the real run deleted the group on the share with its recordings, then
    the camera refused the one on the locked card."""
    camera = make_camera("modern-share")
    seeded = converge(camera, {"recording_groups": [{"id": "a-nas", "disk_id": "NetworkShare"},
                                                    {"id": "b-sd", "disk_id": "SD_DISK"}]})
    assert seeded.rc == 0, seeded
    with camera.model.lock:
        camera.model.disk("SD_DISK").locked = True
    camera.clear_log()
    for check in (True, False):
        run = converge(camera, {"recording_groups": [], "purge": ["recording_groups"], "allow_data_loss": True},
                       check=check)
        result = run.result(TASK)
        assert run.rc != 0 and result["changed"] is False, run
        assert result["msg"].startswith("recording_groups: cannot delete recording group b-sd (not declared; purge: "
                                        "recording_groups): its disk SD_DISK is locked"), result["msg"]
    assert camera.write_count() == 0
    assert [group["id"] for group in camera.dump()["recording_groups"]] == ["a-nas", "b-sd"]


def test_every_share_test_runs_before_the_first_write_of_the_shares_section(make_camera):
    camera = make_camera("modern-share")
    camera.clear_log()
    result = run_task(camera, "axis_edge_storage", {
        "purge": ["shares"],
        "shares": [{"name": "spare", "address": "nas3.example.com", "share": "spare"},
                   {"name": "nas2", "address": "gone.invalid", "share": "cameras", "bound": True}]})
    assert result["failed"] is True and result["changed"] is False
    assert result["code"] == 700 and result["completed_steps"] == []
    assert camera.write_count() == 0
    assert [share["share_id"] for share in camera.dump()["shares"]] == ["nas1"]


def test_two_shares_declared_bound_are_refused_before_any_request(camera):
    shares = [{"name": "a", "address": "nas1.example.com", "share": "x", "bound": True},
              {"name": "b", "address": "nas2.example.com", "share": "y", "bound": True}]
    for check in (True, False):
        camera.clear_log()
        result = run_task(camera, "axis_edge_storage", {"shares": shares}, check=check)
        assert result["failed"] is True and result["changed"] is False
        assert result["error_class"] == "invalid_argument"
        assert "share a, share b are all declared bound: true" in result["msg"]
        assert camera.log() == []
    assert camera.dump()["shares"] == []
    # one bound and one unbound is fine
    shares[1]["bound"] = False
    assert run_task(camera, "axis_edge_storage", {"shares": shares}).get("failed") is not True


def test_a_share_bound_after_an_earlier_item_releases_the_holder_is_tested_before_any_write(make_camera):
    camera = make_camera("modern-share")
    failing = {"shares": [{"name": "nas1", "state": "absent"},
                          {"name": "b", "address": "gone.invalid", "share": "cameras", "bound": True}]}
    camera.clear_log()
    result = run_task(camera, "axis_edge_storage", failing)
    assert result["failed"] is True and result["changed"] is False
    assert result["code"] == 700 and result["completed_steps"] == []
    assert camera.write_count() == 0
    assert share_of(camera, "nas1")["disk_id"] == "NetworkShare"

    working = {"shares": [{"name": "nas1", "bound": False},
                          {"name": "b", "address": "nas2.example.com", "share": "cameras", "bound": True}]}
    check = run_task(camera, "axis_edge_storage", working, check=True)
    assert not check.get("warnings")     # planned at once, not after the changes before it
    assert [step.split(" ")[0] for step in check["steps"]] == ["test", "unmount", "unbind", "add", "bind"]
    done = run_task(camera, "axis_edge_storage", working)
    assert done.get("failed") is not True, done
    assert done["steps"] == check["steps"]
    assert share_of(camera, "b")["disk_id"] == "NetworkShare" and share_of(camera, "nas1")["disk_id"] is None


def test_a_share_bound_while_no_earlier_item_releases_the_holder_is_refused_before_any_write(make_camera):
    """The holder conflict already counts what the items before it release: it was left for after their writes
    (the share before it added, then the run failed), check mode warning of a dependency on them."""
    camera = make_camera("modern-share")
    shares = {"shares": [{"name": "a", "address": "a.example.com", "share": "x"},
                         {"name": "b", "address": "b.example.com", "share": "y", "bound": True}]}
    camera.clear_log()
    for check in (True, False):
        result = run_task(camera, "axis_edge_storage", shares, check=check)
        assert result["failed"] is True and result["changed"] is False, result
        assert result["msg"].startswith("shares: cannot bind share b: share 'nas1'"), result["msg"]
    assert camera.write_count() == 0
    assert [share["share_id"] for share in camera.dump()["shares"]] == ["nas1"]


def test_a_group_on_a_card_taken_out_beside_a_share_bound_first_fails_before_any_write(make_camera):
    """Binding a share attaches no SD card: the group's refusal was left for after the share's writes (added and
    bound, then the run failed half-applied; check mode warned of a dependency that was not there)."""
    camera = make_camera("modern")
    assert converge(camera, {"recording_groups": [{"id": "g", "disk_id": "SD_DISK", "retention": "7d"}]}).rc == 0
    camera.inject(eject="SD_DISK")
    camera.clear_log()
    share = {"name": "nas1", "address": "nas.example.com", "share": "cameras", "bound": True}
    for check in (True, False):
        run = converge(camera, {"shares": [share], "recording_groups": [{"id": "g", "disk_id": "SD_DISK",
                                                                         "retention": "14d"}]}, check=check)
        result = run.result(TASK)
        assert run.rc != 0 and result["changed"] is False, run
        assert result["msg"].startswith("recording_groups: cannot create recording group g on disk SD_DISK: the disk "
                                        "is disconnected"), result["msg"]
    assert camera.write_count() == 0 and camera.dump()["shares"] == []


def test_purge_beside_a_share_bound_first_deletes_no_group_on_a_locked_disk_and_writes_nothing(make_camera):
    """A share bound first does not unlock the card: the purge's refusal was left for after the share's writes
    (added and bound, then failed). Unlocking the card in the same run still lifts it."""
    camera = make_camera("modern")
    assert converge(camera, {"recording_groups": [{"id": "b-sd", "disk_id": "SD_DISK"}]}).rc == 0
    with camera.model.lock:
        camera.model.disk("SD_DISK").locked = True
    camera.clear_log()
    share = {"name": "nas1", "address": "nas.example.com", "share": "cameras", "bound": True}
    purge = {"shares": [share], "recording_groups": [], "purge": ["recording_groups"], "allow_data_loss": True}
    for check in (True, False):
        run = converge(camera, purge, check=check)
        result = run.result(TASK)
        assert run.rc != 0 and result["changed"] is False, run
        assert result["msg"].startswith("recording_groups: cannot delete recording group b-sd"), result["msg"]
    assert camera.write_count() == 0 and camera.dump()["shares"] == []
    unlocked = converge(camera, dict(purge, disks=[{"disk_id": "SD_DISK", "locked": False}]))
    assert unlocked.rc == 0, unlocked
    assert camera.dump()["recording_groups"] == []
