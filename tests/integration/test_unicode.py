# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Non-ASCII names round-trip and stay converged, on both charset profiles (issue 10, case 3).

``modern`` sends UTF-8 and declares no charset (text/xml, text/plain): a client that lets
``requests`` guess reads it as ISO-8859-1. ``modern-latin1`` sends param.cgi as
``text/plain; charset=iso-8859-1`` (as the M1065-LW capture) and XML declaring ISO-8859-1.
Every name-like option of every module gets non-ASCII text; the first run writes it, the
camera holds exactly that text, the second run changes nothing. The runs are in-process
(tests/integration/inprocess.py); one goes through real ansible-playbook, whose YAML, templating and
result transport carry the same text (test_non_ascii_names_pass_through_ansible_playbook).
"""

from __future__ import annotations

import pytest

from tests.integration import harness, inprocess
from tests.integration.checks import second_run_changes_nothing

ADMIN_PASSWORD = "Camera-Admin-7"
USERS = {"root": (ADMIN_PASSWORD, "admin")}

SHARE = {"name": "B\u00fcro-NAS S\u00fcd", "address": "nas.example.com", "share": "aufnahmen-\u00e4",
         "share_username": "m\u00fcller", "share_password": "p\u00e4ssw\u00f6rt \u20ac", "bound": True}
DISK = {"disk_id": "SD_DISK", "friendly_name": "\u00c5land kort \u00fc"}
GROUP = {"id": "sued", "disk_id": "SD_DISK", "nice_name": "Kamera S\u00fcd",
         "description": "Au\u00dfenbereich \u2013 T\u00fcr", "stream_options": {"textstring": "T\u00fcr 1"}}
PROFILE = {"disk_id": "SD_DISK", "event_id": "Eingang-\u00dc",
           "options": {"resolution": "1280x720", "textstring": "Haust\u00fcr"}}
ENCRYPTION = {"enabled": True, "passphrase": "Entr\u00e9e \u00fc\u20ac", "allow_data_loss": True}

PROFILES = ["modern", "modern-latin1"]


def run_tasks(camera, tasks):
    return inprocess.run_tasks(camera, tasks, defaults={"password": ADMIN_PASSWORD})


def run_playbook(camera, tasks):
    return harness.run_playbook(camera, tasks, defaults={"password": ADMIN_PASSWORD})


def single_module_tasks():
    return [{"name": module, "vapix.edge_storage.%s" % module: dict(options)} for module, options in (
        ("axis_share", SHARE), ("axis_disk", DISK), ("axis_recording_group", GROUP),
        ("axis_continuous_profile", PROFILE), ("axis_encryption", ENCRYPTION))]


def whole_camera_task():
    return [{"name": "axis_edge_storage", "vapix.edge_storage.axis_edge_storage": {
        "shares": [SHARE], "disks": [DISK], "recording_groups": [GROUP], "continuous_profiles": [PROFILE],
        "encryption": [ENCRYPTION]}}]


def assert_camera_holds_the_names(camera):
    state = camera.dump()
    share = next(share for share in state["shares"] if share["nicename"] == SHARE["name"])
    wanted = (SHARE["share_username"], SHARE["share"], "NetworkShare")
    assert (share["user"], share["share"], share["disk_id"]) == wanted
    sd_disk = next(disk for disk in state["disks"] if disk["disk_id"] == "SD_DISK")
    assert sd_disk["friendly_name"] == DISK["friendly_name"] and sd_disk["encrypted"] is True
    group = next(group for group in state["recording_groups"] if group["id"] == "sued")
    assert (group["nicename"], group["description"]) == (GROUP["nice_name"], GROUP["description"])
    assert group["stream_options"] == "textstring=T%C3%BCr%201"
    assert [(profile["event_id"], profile["options"]) for profile in state["continuous_profiles"]] == [
        (PROFILE["event_id"], "resolution=1280x720&textstring=Haust%C3%BCr")]


def assert_converge_once_and_stay_converged(camera, tasks, run):
    first = run(camera, tasks())
    assert first.failed == 0 and first.changed == len(tasks()), first
    assert_camera_holds_the_names(camera)
    second_run_changes_nothing(camera, tasks(), run)
    assert_camera_holds_the_names(camera)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("tasks", [single_module_tasks, whole_camera_task], ids=["single modules", "whole camera"])
def test_non_ascii_names_converge_once_and_stay_converged(make_camera, profile, tasks):
    assert_converge_once_and_stay_converged(make_camera(profile, users=USERS), tasks, run_tasks)


def test_non_ascii_names_pass_through_ansible_playbook(make_camera):
    # Jobs end at their first poll: what this run adds to the in-process ones is text through Ansible, not waiting.
    assert_converge_once_and_stay_converged(make_camera("modern-latin1", users=USERS, job_polls=1), whole_camera_task,
                                            run_playbook)
