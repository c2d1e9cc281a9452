# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Non-ASCII names round-trip and stay converged, on both charset profiles (issue 10, case 3).

``modern`` sends UTF-8 and declares no charset (text/xml, text/plain): a client that lets
``requests`` guess reads it as ISO-8859-1. ``modern-latin1`` sends param.cgi as
``text/plain; charset=iso-8859-1`` (as the M1065-LW capture) and XML declaring ISO-8859-1.
Every name-like option of every module gets non-ASCII text; the first run writes it, the
camera holds exactly that text, the second run changes nothing. ``modern-latin1`` reads requests in
ISO-8859-1 too, as such firmware does: its names stay within ISO-8859-1 (the euro sign and the en dash become
a section sign and a hyphen), and a character outside it is refused before any write. The runs are in-process
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
# On the camera that keeps its text in ISO-8859-1, the same names within ISO-8859-1.
_WITHIN_LATIN1 = str.maketrans({"\u20ac": "\u00a7", "\u2013": "-"})


def names(profile, value):
    """value (a name, or a dict of them) as the tests of profile declare it."""
    if profile != "modern-latin1":
        return value
    if isinstance(value, dict):
        return {key: names(profile, item) for key, item in value.items()}
    if isinstance(value, list):
        return [names(profile, item) for item in value]
    return value.translate(_WITHIN_LATIN1) if isinstance(value, str) else value


def run_tasks(camera, tasks):
    return inprocess.run_tasks(camera, tasks, defaults={"password": ADMIN_PASSWORD})


def run_playbook(camera, tasks):
    return harness.run_playbook(camera, tasks, defaults={"password": ADMIN_PASSWORD})


def single_module_tasks(profile="modern"):
    return [{"name": module, "vapix.edge_storage.%s" % module: names(profile, options)} for module, options in (
        ("axis_share", SHARE), ("axis_disk", DISK), ("axis_recording_group", GROUP),
        ("axis_continuous_profile", PROFILE), ("axis_encryption", ENCRYPTION))]


def whole_camera_task(profile="modern"):
    return [{"name": "axis_edge_storage", "vapix.edge_storage.axis_edge_storage": {
        "shares": [names(profile, SHARE)], "disks": [names(profile, DISK)], "recording_groups": [names(profile, GROUP)],
        "continuous_profiles": [names(profile, PROFILE)], "encryption": [names(profile, ENCRYPTION)]}}]


def assert_camera_holds_the_names(camera):
    state = camera.dump()
    share_, disk_, group_ = (names(state["profile"], item) for item in (SHARE, DISK, GROUP))
    share = next(share for share in state["shares"] if share["nicename"] == share_["name"])
    wanted = (share_["share_username"], share_["share"], "NetworkShare")
    assert (share["user"], share["share"], share["disk_id"]) == wanted
    sd_disk = next(disk for disk in state["disks"] if disk["disk_id"] == "SD_DISK")
    assert sd_disk["friendly_name"] == disk_["friendly_name"] and sd_disk["encrypted"] is True
    group = next(group for group in state["recording_groups"] if group["id"] == "sued")
    assert (group["nicename"], group["description"]) == (group_["nice_name"], group_["description"])
    assert group["stream_options"] == "textstring=T%C3%BCr%201"
    assert [(profile["event_id"], profile["options"]) for profile in state["continuous_profiles"]] == [
        (PROFILE["event_id"], "resolution=1280x720&textstring=Haust%C3%BCr")]


def assert_converge_once_and_stay_converged(camera, tasks, run):
    profile = camera.dump()["profile"]
    first = run(camera, tasks(profile))
    assert first.failed == 0 and first.changed == len(tasks(profile)), first
    assert_camera_holds_the_names(camera)
    second_run_changes_nothing(camera, tasks(profile), run)
    assert_camera_holds_the_names(camera)


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("tasks", [single_module_tasks, whole_camera_task], ids=["single modules", "whole camera"])
def test_non_ascii_names_converge_once_and_stay_converged(make_camera, profile, tasks):
    assert_converge_once_and_stay_converged(make_camera(profile, users=USERS), tasks, run_tasks)


def test_non_ascii_names_pass_through_ansible_playbook(make_camera):
    # Jobs end at their first poll: what this run adds to the in-process ones is text through Ansible, not waiting.
    assert_converge_once_and_stay_converged(make_camera("modern-latin1", users=USERS, job_polls=1), whole_camera_task,
                                            run_playbook)


@pytest.mark.parametrize("check", [False, True], ids=["run", "check"])
@pytest.mark.parametrize("tasks", [single_module_tasks, whole_camera_task], ids=["single modules", "whole camera"])
def test_a_character_outside_iso_8859_1_is_refused_before_any_write_on_a_camera_that_keeps_its_text_in_it(
        make_camera, tasks, check):
    """The modern-latin1 camera reads requests in ISO-8859-1: sent as UTF-8, 'Entr\u00e9e' was stored as
    'Entr\u00c3\u00a9e' and never read back as written (every run wrote it again and failed its verification).
    Text is now sent in ISO-8859-1, and a character it cannot hold (the euro sign) is refused, naming the option
    (a secret without its value), before any write; check mode says the same."""
    camera = make_camera("modern-latin1", users=USERS)
    outside = [task for task in tasks("modern") if task != names("modern-latin1", task)]
    assert outside
    for task in outside:
        run = inprocess.run_tasks(camera, [task], check=check, defaults={"password": ADMIN_PASSWORD})
        result = run.result(task["name"])
        assert run.failed == 1 and result["changed"] is False and camera.write_count() == 0, result
        assert result["error_class"] == "invalid_argument" and "ISO-8859-1" in result["msg"], result
        assert any(text in result["msg"] for text in ("'\u20ac'", "'\u2013'", "a secret")), result["msg"]
        for secret in (SHARE["share_password"], ENCRYPTION["passphrase"]):
            assert secret not in result["msg"], result["msg"]


@pytest.mark.parametrize("check", [False, True], ids=["run", "check"])
def test_decomposed_accents_refused_on_an_iso_8859_1_camera_are_named_and_the_composed_form_offered(make_camera,
                                                                                                    check):
    """'Entre\u0301e' (NFD: e and a combining accent, as some editors write it) was refused naming the character
    '\u0301' alone, which shows as nothing: the message said no more than "cannot hold ('')". The accent is named
    by its code point, and the composed form (NFC), which ISO-8859-1 holds, is offered; written so, it converges."""
    camera = make_camera("modern-latin1", users=USERS)
    decomposed = {"disk_id": "SD_DISK", "friendly_name": "Entre\u0301e"}
    run = inprocess.run_tasks(camera, [{"name": "nfd", "vapix.edge_storage.axis_disk": decomposed}], check=check,
                              defaults={"password": ADMIN_PASSWORD})
    result = run.result("nfd")
    assert run.failed == 1 and result["changed"] is False and camera.write_count() == 0, result
    assert "friendly_name ('\u0301' (U+0301 COMBINING ACUTE ACCENT))" in result["msg"], result["msg"]
    assert result["msg"].endswith("with its accents composed (NFC) the text fits: write friendly_name as "
                                  "'Entr\u00e9e'"), result["msg"]
    composed = [{"name": "nfc", "vapix.edge_storage.axis_disk": dict(decomposed, friendly_name="Entr\u00e9e")}]
    assert run_tasks(camera, composed).changed == 1
    second_run_changes_nothing(camera, composed, run_tasks)
