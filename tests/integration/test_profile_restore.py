# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A replaced continuous profile whose add fails: the add's error first, then how the restore went (emulator).

A profile cannot be changed, so new options are remove -> add; when the add fails, the removed profile is
added back. A restore the camera refuses in turn: the failure reports the add's error (its request, its
class), says the restore was tried and how it failed, and leaves the camera as it is, which the device's
state in the message shows; the run changed the camera. An add answered with a device error, or whose answer
was lost or damaged, after which the camera lists the declared profile is not undone by a restore: the camera
is as declared (it carried out the add, or another run did). A rerun converges without a write.
"""

from __future__ import annotations

from tests.integration.inprocess import run_tasks

ADD = "record/continuous/addconfiguration.cgi"
OLD, NEW = "resolution=1280x720", "resolution=640x480"


def profile_task(options):
    return {"name": "profile", "vapix.edge_storage.axis_continuous_profile": {
        "disk_id": "SD_DISK", "event_id": "cont", "options": options}}


def profiles(camera):
    return [(profile["event_id"], profile["options"]) for profile in camera.dump()["continuous_profiles"]]


def replace_with_fault(camera, fault):
    """A profile with OLD, then a run declaring NEW whose first add gets the fault (a list: the adds get them in
    turn); returns its result."""
    assert run_tasks(camera, [profile_task(OLD)]).rc == 0
    camera.inject(answer=[dict(one, path=ADD) for one in (fault if isinstance(fault, list) else [fault])])
    camera.clear_log()
    run = run_tasks(camera, [profile_task(NEW)])
    assert run.failed == 1, run
    return run.result("profile")


def adds(camera):
    return [entry["args"]["options"] for entry in camera.log() if entry["path"].endswith(ADD)]


def assert_rerun_converges_without_a_write(camera):
    camera.clear_log()
    rerun = run_tasks(camera, [profile_task(NEW)])
    assert rerun.rc == 0 and rerun.changed == 0, rerun
    assert camera.write_count() == 0


def test_an_add_carried_out_but_answered_with_a_device_error_is_not_undone_by_a_restore(camera):
    result = replace_with_fault(camera, {"kind": "device_error", "apply": True, "description": "Internal error"})
    message = result["msg"]
    assert result["changed"] is True
    assert (result["error_class"], result["cgi"], result["description"]) == (
        "concurrent_change", ADD + "?diskid=SD_DISK&options=resolution%3D640x480&eventid=cont", "Internal error")
    assert ("the camera refused this run's add of the profile (recording %s?diskid=SD_DISK&options=resolution"
            "%%3D640x480&eventid=cont failed: Internal error), and now lists" % ADD) in message
    assert ("now lists profile 2 (disk SD_DISK, event id cont, options resolution=640x480): another run or a "
            "person added it meanwhile (or the camera carried out the add it refused); the profile this run removed "
            "to re-create it was not added back; it is as declared") in message
    assert "1 change was made before it: remove continuous recording profile 1" in message
    assert adds(camera) == [NEW]                      # no restore: it would take the declared profile's place
    assert profiles(camera) == [("cont", NEW)]
    assert_rerun_converges_without_a_write(camera)


def test_the_class_of_the_adds_error_is_kept_when_the_restore_fails(camera):
    """The add answered by a page that is no answer of the API and not carried out; the restore refused."""
    result = replace_with_fault(camera, [{"kind": "replace_body", "content_type": "text/html", "apply": False,
                                          "body": "<html><body>Proxy says hello</body></html>"},
                                         {"kind": "device_error", "description": "Internal error"}])
    assert (result["error_class"], result["cgi"]) == (
        "damaged_answer", ADD + "?diskid=SD_DISK&options=resolution%3D640x480&eventid=cont")
    assert "this run then tried to add back the removed profile 1" in result["msg"]
    assert "and that failed too" in result["msg"] and "Internal error" in result["msg"]
    assert adds(camera) == [NEW, OLD]
    assert profiles(camera) == []
    assert run_tasks(camera, [profile_task(NEW)]).rc == 0
    assert_rerun_converges_without_a_write(camera)


def test_an_add_carried_out_whose_answer_was_lost_is_not_undone_by_a_restore(camera):
    """With a slot free for it, the restore after an add whose answer never came left the camera with both
    profiles, recording twice, and the message said it records as before."""
    with camera.model.lock:
        camera.model.max_profiles = 2
    for fault in ({"kind": "no_answer"}, {"kind": "truncate"}):
        result = replace_with_fault(camera, fault)
        assert result["changed"] is True and result["error_class"] in ("timeout", "damaged_answer"), result
        assert result["cgi"] == ADD + "?diskid=SD_DISK&options=resolution%3D640x480&eventid=cont"
        assert ("the camera carried out this run's add all the same: it lists profile 2 (disk SD_DISK, event id "
                "cont, options resolution=640x480); the profile this run removed to re-create it was not added "
                "back; it is as declared") in result["msg"], result["msg"]
        assert "added back with its previous options" not in result["msg"]
        assert adds(camera) == [NEW]
        assert profiles(camera) == [("cont", NEW)]
        assert camera.dump()["recordings"]["active"] == 1
        assert_rerun_converges_without_a_write(camera)
        camera.reset()


def test_a_refused_add_still_puts_the_removed_profile_back(camera):
    result = replace_with_fault(camera, {"kind": "device_error", "apply": False, "description": "Internal error"})
    assert result["cgi"] == ADD + "?diskid=SD_DISK&options=resolution%3D640x480&eventid=cont"
    assert ("failed: Internal error (the removed profile was added back with its previous options "
            "resolution=1280x720, so the camera records as before)") in result["msg"]
    assert adds(camera) == [NEW, OLD]
    assert profiles(camera) == [("cont", OLD)]


def test_an_add_whose_answer_was_lost_is_not_undone_when_the_profiles_cannot_be_listed_again(camera):
    """The add's answer lost and the profiles not listed again: the restore went ahead on that unknown, left both
    profiles on a camera with a free slot, and said the camera records as before."""
    with camera.model.lock:
        camera.model.max_profiles = 2
    assert run_tasks(camera, [profile_task(OLD)]).rc == 0
    camera.inject(answer=[{"path": ADD, "kind": "no_answer"},
                          {"path": "record/continuous/listconfiguration.cgi", "kind": "no_answer", "apply": False,
                           "skip": 1, "times": 3}])
    camera.clear_log()
    result = run_tasks(camera, [profile_task(NEW)]).result("profile")
    assert result["failed"] is True and result["changed"] is True and result["error_class"] == "timeout", result
    assert ("whether the camera carried out this run's add is unknown, since its profiles could not be listed "
            "again") in result["msg"], result["msg"]
    assert ("the removed profile 1 (disk SD_DISK, event id cont, options resolution=1280x720) was not added back"
            in result["msg"])
    assert "records as before" not in result["msg"]
    assert adds(camera) == [NEW]
    assert profiles(camera) == [("cont", NEW)]
    assert_rerun_converges_without_a_write(camera)
