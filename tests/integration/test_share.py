# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_share against the camera emulator.

The scenarios run the action plugin in-process (tests/integration/inprocess.py);
real ansible-playbook runs check mode with --diff on a drifted camera (its
output shows the diff, never the password) and a run at -vvv with --diff.

Profiles: ``modern`` (factory: no share) and ``modern-share`` (share nas1 at
nas.example.com/cameras, user cam, bound to NetworkShare and mounted).
The emulator decides share tests by address/share name: ``*.invalid`` -> 700,
``unreachable.example`` -> 760, share ``readonly`` -> 740.
"""

from __future__ import annotations

import json
from urllib.parse import quote, quote_plus

import pytest

from tests.integration.harness import PlaybookRun, run_playbook
from tests.integration.inprocess import run_tasks

MODULE = "vapix.edge_storage.axis_share"
PASSWORD = "s3cr&t=x %20y"
NAS1 = dict(name="nas1", address="nas.example.com", share="cameras", share_username="cam", bound=True)


def nas1(**changes):
    """NAS1 with some options changed."""
    options = dict(NAS1)
    options.update(changes)
    return options


def share_task(**options):
    return {"name": "share", MODULE: options}


def shares(camera):
    """{share_id: share} as the emulator holds them."""
    return {one["share_id"]: one for one in camera.dump()["shares"]}


def network_share_disk(camera):
    return [disk for disk in camera.dump()["disks"] if disk["disk_id"] == "NetworkShare"][0]


def writes(camera):
    """The write requests the camera received, as 'family/cgi' (e.g. 'networkshare/bind.cgi')."""
    return ["/".join(entry["path"].split("/")[-2:]) for entry in camera.log() if entry["write"]]


def requested(camera):
    return ["/".join(entry["path"].split("/")[-2:]) for entry in camera.log()]


def assert_no_secret(run):
    """No form of the share password in what the run shows: ansible-playbook's output, or every in-process result."""
    text = run.stdout + run.stderr if isinstance(run, PlaybookRun) else json.dumps(run.results)
    for form in (PASSWORD, quote(PASSWORD, safe=""), quote_plus(PASSWORD, safe="")):
        assert form not in text


def test_factory_add_test_bind_then_nothing_to_do(camera):
    run = run_tasks(camera, [share_task(share_password=PASSWORD, **NAS1)])
    assert run.rc == 0, run
    assert run.changed == 1
    result = run.result("share")
    assert [step.split(" ")[0] for step in result["steps"]] == ["test", "add", "bind"]
    assert result["before"] == {"share nas1": {"state": "absent"}}
    assert result["after"]["share nas1"] == {
        "name": "nas1", "share_id": "nas1", "address": "nas.example.com", "share": "cameras",
        "share_username": "cam", "bound": True, "disk_id": "NetworkShare", "state": "present"}
    # the test ran (and finished) before the first write
    calls = requested(camera)
    assert calls.index("networkshare/test.cgi") < calls.index("networkshare/job.cgi") < calls.index(
        "networkshare/add.cgi")
    assert writes(camera) == ["networkshare/add.cgi", "networkshare/bind.cgi"]
    held = shares(camera)["nas1"]
    assert (held["nicename"], held["address"], held["share"], held["user"], held["password_set"]) == (
        "nas1", "nas.example.com", "cameras", "cam", True)
    assert network_share_disk(camera)["share_id"] == "nas1"
    assert network_share_disk(camera)["mounted"] is True
    # '&', '=', '%' and the space arrived as they are
    assert camera.model.share("nas1").password == PASSWORD

    camera.clear_log()
    again = run_tasks(camera, [share_task(share_password=PASSWORD, **NAS1)])
    assert again.rc == 0, again
    assert again.changed == 0
    assert again.result("share")["steps"] == []
    assert camera.write_count() == 0


def test_name_that_is_not_an_id_gets_the_derived_id_every_run(camera):
    task = share_task(name="Site NAS", address="nas.example.com", share="cameras", bound=False)
    first = run_tasks(camera, [task])
    assert first.rc == 0, first
    (share_id,) = shares(camera)
    assert share_id.startswith("Site-NAS-") and len(share_id) == len("Site-NAS-") + 8
    assert shares(camera)[share_id]["nicename"] == "Site NAS"
    again = run_tasks(camera, [task])
    assert again.changed == 0 and list(shares(camera)) == [share_id]


def test_check_on_drifted_camera_predicts_the_real_run_and_writes_nothing(make_camera):
    camera = make_camera("modern-share")
    task = share_task(share_password=PASSWORD, **nas1(address="nas2.example.com"))
    camera.clear_log()
    check = run_playbook(camera, [task], check=True, diff=True)       # check and --diff through Ansible
    assert check.rc == 0, check
    assert check.changed == 1
    assert camera.write_count() == 0
    assert "networkshare/test.cgi" not in requested(camera)  # no side effects in check mode
    planned = check.result("share")
    assert [step.split(" ")[0] for step in planned["steps"]] == ["test", "unmount", "unbind", "modify", "bind"]
    assert planned["diff"]["before"]["share nas1"]["address"] == "nas.example.com"
    assert planned["diff"]["after"]["share nas1"]["address"] == "nas2.example.com"
    assert "nas2.example.com" in check.stdout  # --diff printed it
    assert_no_secret(check)

    real = run_tasks(camera, [task], diff=True)
    assert real.rc == 0, real
    done = real.result("share")
    assert done["steps"] == planned["steps"]
    assert done["after"] == planned["after"] and done["before"] == planned["before"]
    # the device's order: unmount -> unbind -> modify -> bind (the test ran before all of them)
    assert writes(camera) == ["disks/mount.cgi", "networkshare/unbind.cgi", "networkshare/modify.cgi",
                              "networkshare/bind.cgi"]
    calls = requested(camera)
    assert calls.index("networkshare/job.cgi") < calls.index("disks/mount.cgi")
    assert shares(camera)["nas1"]["address"] == "nas2.example.com"
    assert network_share_disk(camera)["mounted"] is True
    # on_create: the declared password went with the connection change
    assert camera.model.share("nas1").password == PASSWORD
    assert_no_secret(real)


def test_password_never_shown_even_at_vvv_with_diff(camera):
    run = run_playbook(camera, [share_task(share_password=PASSWORD, **NAS1)], diff=True, verbosity=3)
    assert run.rc == 0, run
    assert "share_password" in run.stdout  # -vvv printed the invocation, with the value masked
    assert_no_secret(run)
    assert camera.model.share("nas1").password == PASSWORD


def test_update_password_on_create_leaves_an_existing_password_alone(make_camera):
    camera = make_camera("modern-share")
    run = run_tasks(camera, [share_task(share_password=PASSWORD, **NAS1)])
    assert run.rc == 0, run
    assert run.changed == 0
    assert camera.write_count() == 0
    assert camera.model.share("nas1").password == "s3cr&t=x"


def test_update_password_always_resends_it_with_a_full_rebind_every_run(make_camera):
    camera = make_camera("modern-share")
    task = share_task(share_password=PASSWORD, update_password="always", **NAS1)
    for _attempt in range(2):
        camera.clear_log()
        run = run_tasks(camera, [task])
        assert run.rc == 0, run
        assert run.changed == 1
        assert writes(camera) == ["disks/mount.cgi", "networkshare/unbind.cgi", "networkshare/modify.cgi",
                                  "networkshare/bind.cgi"]
        assert camera.model.share("nas1").password == PASSWORD
        assert_no_secret(run)


def test_nice_name_only_change_on_bound_share_is_a_single_modify(make_camera):
    camera = make_camera("modern-share")
    camera.clear_log()
    task = share_task(share_id="nas1", name="Front NAS", bound=True)
    run = run_tasks(camera, [task])
    assert run.rc == 0, run
    assert writes(camera) == ["networkshare/modify.cgi"]
    assert shares(camera)["nas1"]["nicename"] == "Front NAS"
    assert network_share_disk(camera)["mounted"] is True
    assert run_tasks(camera, [task]).changed == 0


def test_a_share_whose_nice_name_was_emptied_elsewhere_is_read_and_named_again(make_camera):
    """modify.cgi takes an empty nice name (set outside the collection): the list's NiceName="" was called a damaged
    answer, so every share task on the camera failed (axis_storage_info too), the one that names it again included,
    saying the answer was damaged on its way. It is read as the empty name it is, and a task names the share."""
    camera = make_camera("modern-share")
    with camera.model.lock:
        camera.model.modify_share("nas1", nicename="")
    info = run_tasks(camera, [{"name": "info", "vapix.edge_storage.axis_storage_info": {"gather_subset": ["shares"]}}])
    assert info.rc == 0, info
    camera.clear_log()
    task = share_task(share_id="nas1", name="Front NAS", bound=True)
    run = run_tasks(camera, [task])
    assert run.rc == 0 and run.changed == 1, run
    assert writes(camera) == ["networkshare/modify.cgi"]
    assert shares(camera)["nas1"]["nicename"] == "Front NAS"
    assert run_tasks(camera, [task]).changed == 0


@pytest.mark.parametrize("first, second", [("B\u00fcro NAS", "Bu\u0308ro NAS"), ("Bu\u0308ro NAS", "B\u00fcro NAS")],
                         ids=["NFC then NFD", "NFD then NFC"])
def test_a_nice_name_written_with_its_accents_composed_otherwise_is_the_same_share(camera, first, second):
    """'Bu\u0308ro NAS' (u and a combining diaeresis, as some editors save text) did not find the share the
    camera lists as 'B\u00fcro NAS': a second share that looks the same was added (and with bound: true, the
    first was named as the one holding the disk). The same text is the same share: nothing to do."""
    options = dict(address="nas.example.com", share="cameras", bound=True)
    assert run_tasks(camera, [share_task(name=first, **options)]).changed == 1
    before = shares(camera)
    for check in (True, False):
        camera.clear_log()
        run = run_tasks(camera, [share_task(name=second, **options)], check=check)
        assert run.rc == 0 and run.changed == 0, run
        assert writes(camera) == []
    assert shares(camera) == before


def test_removing_a_bound_share_unmounts_unbinds_removes(make_camera):
    camera = make_camera("modern-share")
    camera.clear_log()
    task = share_task(name="nas1", state="absent")
    run = run_tasks(camera, [task])
    assert run.rc == 0, run
    assert writes(camera) == ["disks/mount.cgi", "networkshare/unbind.cgi", "networkshare/remove.cgi"]
    assert run.result("share")["after"] == {"share nas1": {"state": "absent"}}
    assert shares(camera) == {}
    assert network_share_disk(camera)["share_id"] is None
    assert run_tasks(camera, [task]).changed == 0


def test_binding_while_another_share_is_bound_names_it_and_replace_bound_takes_over(make_camera):
    camera = make_camera("modern-share")
    nas2 = dict(name="nas2", address="nas2.example.com", share="cameras", share_username="cam",
                share_password=PASSWORD, bound=True)
    camera.clear_log()
    refused = run_tasks(camera, [share_task(**nas2)])
    assert refused.failed == 1
    message = refused.result("share")["msg"]
    assert "'nas1'" in message and "address nas.example.com" in message and "replace_bound" in message
    assert camera.write_count() == 0

    camera.clear_log()
    taken = run_tasks(camera, [share_task(replace_bound=True, **nas2)])
    assert taken.rc == 0, taken
    assert [step.split(" ")[0] for step in taken.result("share")["steps"]] == [
        "test", "add", "unmount", "unbind", "bind"]
    assert writes(camera) == ["networkshare/add.cgi", "disks/mount.cgi", "networkshare/unbind.cgi",
                              "networkshare/bind.cgi"]
    held = shares(camera)
    assert held["nas1"]["disk_id"] is None  # still there, unbound
    assert held["nas2"]["disk_id"] == "NetworkShare"
    assert network_share_disk(camera)["share_id"] == "nas2"
    assert_no_secret(taken)


@pytest.mark.parametrize("address, share, code, words", [
    ("nas.invalid", "cameras", 700, "host name could not be resolved"),
    ("unreachable.example", "cameras", 760, "could not connect to the NAS"),
    ("nas.example.com", "readonly", 740, "could not write to the share"),
])
def test_failing_share_test_fails_with_device_code_and_changes_nothing(camera, address, share, code, words):
    camera.clear_log()
    run = run_tasks(camera, [share_task(name="nas1", address=address, share=share,
                                        share_password=PASSWORD, bound=True)])
    assert run.failed == 1
    result = run.result("share")
    assert result["code"] == code
    assert "device error %d" % code in result["msg"] and words in result["msg"]
    assert "nothing had been changed" in result["msg"]
    assert camera.write_count() == 0
    assert shares(camera) == {}
    assert_no_secret(run)


def test_failing_test_of_a_changed_bound_share_leaves_it_bound_and_mounted(make_camera):
    camera = make_camera("modern-share")
    camera.clear_log()
    run = run_tasks(camera, [share_task(**nas1(address="gone.invalid"))])
    assert run.failed == 1
    assert run.result("share")["code"] == 700
    assert camera.write_count() == 0
    assert shares(camera)["nas1"]["address"] == "nas.example.com"
    assert network_share_disk(camera)["mounted"] is True


def test_exclusive_removes_other_shares_shown_in_check_mode_first(make_camera):
    camera = make_camera("modern-share")
    spare = run_tasks(camera, [share_task(name="spare", address="backup.example.com", share="old")])
    assert spare.rc == 0, spare
    declared = share_task(exclusive=True, share_password=PASSWORD,
                          **nas1(name="nas2", address="nas2.example.com"))

    camera.clear_log()
    check = run_tasks(camera, [declared], check=True, diff=True)
    assert check.rc == 0, check
    assert camera.write_count() == 0
    planned = check.result("share")
    others = planned["before"]["shares other than share nas2"]
    assert sorted(others) == ["nas1", "spare"]
    assert planned["after"]["shares other than share nas2"] == {}
    assert [step.split(" ")[0] for step in planned["steps"]] == [
        "test", "unmount", "unbind", "remove", "remove", "add", "bind"]

    real = run_tasks(camera, [declared])
    assert real.rc == 0, real
    assert real.result("share")["steps"] == planned["steps"]
    assert list(shares(camera)) == ["nas2"]
    assert network_share_disk(camera)["share_id"] == "nas2"
    assert run_tasks(camera, [declared]).changed == 0


def test_a_failing_share_test_under_exclusive_removes_no_other_share(make_camera):
    camera = make_camera("modern-share")
    declared = share_task(exclusive=True, **nas1(name="nas2", address="gone.invalid"))
    check = run_tasks(camera, [declared], check=True)
    assert check.result("share")["steps"][0].startswith("test the connection to //gone.invalid/cameras")
    camera.clear_log()
    run = run_tasks(camera, [declared])
    assert run.failed == 1
    result = run.result("share")
    assert result["code"] == 700 and result["changed"] is False
    assert result["completed_steps"] == [] and result["failed_step"].startswith("test ")
    assert camera.write_count() == 0
    assert list(shares(camera)) == ["nas1"]
    assert network_share_disk(camera)["share_id"] == "nas1" and network_share_disk(camera)["mounted"] is True
    # the test runs once, before the first write, also when the run goes on
    camera.clear_log()
    good = run_tasks(camera, [share_task(exclusive=True, **nas1(name="nas2", address="nas2.example.com"))])
    assert good.rc == 0, good
    assert requested(camera).count("networkshare/test.cgi") == 1
    assert requested(camera).index("networkshare/job.cgi") < requested(camera).index("disks/mount.cgi")
    assert list(shares(camera)) == ["nas2"]


def test_a_failure_after_the_share_test_lists_the_test_as_done_not_as_not_run(make_camera):
    camera = make_camera("modern-share")
    camera.inject(answer={"path": "disks/networkshare/remove.cgi", "kind": "device_error", "code": 10})
    run = run_tasks(camera, [share_task(exclusive=True, **nas1(name="nas2", address="nas2.example.com"))])
    assert run.failed == 1
    result = run.result("share")
    assert result["completed_steps"][0].startswith("test the connection to //nas2.example.com/cameras")
    assert result["failed_step"].startswith("remove share 'nas1'")
    assert [step.split(" ")[0] for step in result["not_run_steps"]] == ["add", "bind"]


def test_binding_an_unbound_share_that_cannot_be_mounted_fails_at_its_test_and_binds_nothing(make_camera):
    camera = make_camera("modern-share")
    assert run_tasks(camera, [share_task(**nas1(bound=False))]).rc == 0
    with camera.model.lock:
        camera.model.share("nas1").password = "wrongpass"    # changed on the NAS side: the mount would fail
    camera.clear_log()
    run = run_tasks(camera, [share_task(**NAS1)])
    assert run.failed == 1
    result = run.result("share")
    assert result["code"] == 710 and result["changed"] is False and result["completed_steps"] == []
    assert camera.write_count() == 0
    assert network_share_disk(camera)["share_id"] is None
    test = [entry["args"] for entry in camera.log() if entry["path"].endswith("networkshare/test.cgi")]
    assert test and test[0]["shareid"] == "nas1" and "pass" not in test[0]     # the stored password is tested
    with camera.model.lock:
        camera.model.share("nas1").password = "right"
    bound = run_tasks(camera, [share_task(**NAS1)])
    assert bound.rc == 0, bound
    assert [step.split(" ")[0] for step in bound.result("share")["steps"]] == ["test", "bind"]
    assert network_share_disk(camera)["mounted"] is True


def test_an_add_the_camera_refuses_leaves_the_share_holding_the_disk_bound(make_camera):
    camera = make_camera("modern-share")
    for name in ("b", "c", "d"):     # the emulated camera holds at most 4 shares
        assert run_tasks(camera, [share_task(name=name, address="nas.example.com", share=name)]).rc == 0
    camera.clear_log()
    run = run_tasks(camera, [share_task(replace_bound=True, **nas1(name="e", address="nas2.example.com"))])
    assert run.failed == 1
    result = run.result("share")
    assert result["code"] == 230 and result["failed_step"].startswith("add share 'e'")
    assert writes(camera) == ["networkshare/add.cgi"]
    assert network_share_disk(camera)["share_id"] == "nas1" and network_share_disk(camera)["mounted"] is True


def test_a_share_id_ending_in_a_line_break_is_refused_before_any_request(make_camera):
    camera = make_camera("modern-share")
    camera.clear_log()
    run = run_tasks(camera, [share_task(share_id="nas2\n", address="nas2.example.com", share="cameras",
                                        bound=True, replace_bound=True)])
    assert run.failed == 1
    result = run.result("share")
    assert result["error_class"] == "invalid_argument" and result["changed"] is False
    assert "letters, digits and '-'" in result["msg"]
    assert camera.log() == []
    assert network_share_disk(camera)["share_id"] == "nas1" and network_share_disk(camera)["mounted"] is True


def test_legacy_firmware_adds_and_binds_the_same_way(legacy_camera):
    run = run_tasks(legacy_camera, [share_task(share_password=PASSWORD, **NAS1)])
    assert run.rc == 0, run
    assert writes(legacy_camera) == ["networkshare/add.cgi", "networkshare/bind.cgi"]
    assert network_share_disk(legacy_camera)["share_id"] == "nas1"
    assert run_tasks(legacy_camera, [share_task(share_password=PASSWORD, **NAS1)]).changed == 0


def test_automatic_mount_false_binds_without_mounting(camera):
    run = run_tasks(camera, [share_task(share_password=PASSWORD, automatic_mount=False, **NAS1)])
    assert run.rc == 0, run
    assert run.result("share")["steps"][-1] == ("bind share 'nas1' to the network share disk "
                                                "(automaticmount=no: not mounted)")
    bind = [entry for entry in camera.log() if entry["path"].endswith("networkshare/bind.cgi")]
    assert [entry["args"].get("automaticmount") for entry in bind] == ["no"]
    disk = network_share_disk(camera)
    assert disk["share_id"] == "nas1" and disk["mounted"] is False and disk["status"] == "connected"
    # bound is what is declared and compared; the mount state is axis_disk's
    assert run_tasks(camera, [share_task(automatic_mount=False, **NAS1)]).changed == 0


def test_an_address_in_other_case_is_the_same_host_and_changes_nothing(make_camera):
    camera = make_camera("modern-share")
    task = share_task(share_password=PASSWORD, **nas1(address="NAS.Example.COM"))
    camera.clear_log()
    check = run_tasks(camera, [task], check=True)
    assert check.rc == 0 and check.changed == 0, check
    run = run_tasks(camera, [task])
    assert run.rc == 0 and run.changed == 0, run
    assert run.result("share")["steps"] == []
    assert camera.write_count() == 0
    assert shares(camera)["nas1"]["address"] == "nas.example.com"
    assert network_share_disk(camera)["mounted"] is True


def test_an_address_in_other_case_is_not_sent_with_another_change_and_a_new_host_is_sent_as_written(make_camera):
    camera = make_camera("modern-share")
    renamed = share_task(share_password=PASSWORD, share_id="nas1",
                         **nas1(name="Front NAS", address="NAS.Example.COM"))
    check = run_tasks(camera, [renamed], check=True)
    camera.clear_log()
    run = run_tasks(camera, [renamed])
    assert run.rc == 0, run
    assert writes(camera) == ["networkshare/modify.cgi"]    # the nice name alone: no unbind, no rebind
    modify = [entry["args"] for entry in camera.log() if entry["path"].endswith("networkshare/modify.cgi")]
    assert "address" not in modify[0] and modify[0]["nicename"] == "Front NAS"
    assert run.result("share")["after"] == check.result("share")["after"]
    assert run.result("share")["after"]["share Front NAS"]["address"] == "nas.example.com"
    second_run = run_tasks(camera, [renamed])
    assert second_run.changed == 0, second_run

    moved = share_task(share_password=PASSWORD, share_id="nas1",
                       **nas1(name="Front NAS", address="NAS2.Example.COM"))
    camera.clear_log()
    run = run_tasks(camera, [moved])
    assert run.rc == 0, run
    assert writes(camera) == ["disks/mount.cgi", "networkshare/unbind.cgi", "networkshare/modify.cgi",
                              "networkshare/bind.cgi"]
    assert shares(camera)["nas1"]["address"] == "NAS2.Example.COM"
    assert run_tasks(camera, [moved]).changed == 0
