# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Free text sent to the camera, against the emulator: every value converges in one run, or is refused first.

The camera stores a text value as it is sent; its answers are read without the white space around
values. A value that starts or ends with white space would so never match what the camera lists: every
run would write it again (for a bound share: unmount, unbind, modify with the password, bind) and fail
"did not converge". Each such option is refused before any request, naming the option and the value and
saying to remove the white space, in the single modules and in axis_edge_storage alike; a share
password is not compared, so it may hold any blanks and is never shown.

Stream options are normalised instead: keys and values are stripped, in a mapping as in a string, so
both forms converge in one run and change nothing on the second.
"""

from __future__ import annotations

import json

import pytest

from tests.integration.checks import refused_before_any_request, second_run_changes_nothing
from tests.integration.harness import run_playbook
from tests.integration.inprocess import run_tasks

PASSWORD = " p\u00e4ss wort "
SHARE = {"name": "B\u00fcro NAS", "address": "nas.example.com", "share": "cams", "share_username": "m\u00fcller",
         "share_password": PASSWORD, "bound": True}
DISK = {"disk_id": "SD_DISK", "friendly_name": "SD card", "extra_mount_options": "noatime"}
GROUP = {"id": "g1", "disk_id": "SD_DISK", "nice_name": "S\u00fcd", "description": "T\u00fcr"}

# (module, its valid options, the option given a value with white space around it, that value)
SURROUNDED = [
    ("axis_disk", DISK, "friendly_name", "SD card "),
    ("axis_recording_group", GROUP, "nice_name", "S\u00fcd "),
    ("axis_recording_group", GROUP, "description", " T\u00fcr"),
    ("axis_recording_group", GROUP, "description", "T\u00fcr\u00a0"),   # a no-break space is white space too
    ("axis_share", SHARE, "name", "B\u00fcro NAS "),
    ("axis_share", SHARE, "address", " nas.example.com"),
    ("axis_share", SHARE, "share", "cams "),
    ("axis_share", SHARE, "share_username", " m\u00fcller"),
    ("axis_share", SHARE, "share_username", "m\u00fcller\n"),
]
SECTION = {"axis_disk": "disks", "axis_recording_group": "recording_groups", "axis_share": "shares"}


def task(module, options):
    return {"name": module, "vapix.edge_storage.%s" % module: options}


def assert_refusal_says_what_to_do(message, option, value):
    assert (f"{option} {value!r} starts or ends with white space: remove the white space around it "
            f"(write {value.strip()!r})") in message
    assert "p\u00e4ss" not in message


@pytest.mark.parametrize("module, options, option, value", SURROUNDED,
                         ids=[f"{module} {option} {value!r}" for module, _o, option, value in SURROUNDED])
def test_white_space_around_a_text_value_is_refused_before_any_request(camera, module, options, option, value):
    message = refused_before_any_request(camera, task(module, dict(options, **{option: value})))
    assert_refusal_says_what_to_do(message, option, value)


@pytest.mark.parametrize("module, options, option, value", SURROUNDED[::3],
                         ids=[f"{module} {option}" for module, _o, option, _v in SURROUNDED[::3]])
def test_whole_camera_refuses_it_naming_the_item(camera, module, options, option, value):
    section = SECTION[module]
    whole = {section: [dict(options, **{option: value})]}
    message = refused_before_any_request(camera, task("axis_edge_storage", whole))
    assert message.startswith("%s[0]: " % section)
    assert_refusal_says_what_to_do(message, option, value)


def test_the_same_values_without_the_white_space_converge_once_and_stay_converged(camera):
    tasks = [task(module, dict(options)) for module, options in (
        ("axis_share", SHARE), ("axis_disk", DISK), ("axis_recording_group", GROUP))]
    first = run_tasks(camera, tasks)
    assert first.rc == 0 and first.changed == 3, first
    state = camera.dump()
    share = state["shares"][0]
    assert (share["nicename"], share["share"], share["user"], share["disk_id"]) == (
        "B\u00fcro NAS", "cams", "m\u00fcller", "NetworkShare")
    assert camera.model.share(share["share_id"]).password == PASSWORD   # a password is sent as it is given
    assert state["disks"][0]["friendly_name"] == "SD card"
    assert [(group["nicename"], group["description"]) for group in state["recording_groups"]] == [
        ("S\u00fcd", "T\u00fcr")]
    again = second_run_changes_nothing(camera, tasks)
    assert PASSWORD not in json.dumps(first.results) + json.dumps(again.results)


PROFILE_OPTIONS = [{"resolution": "1280x720", "textstring": "T\u00fcr "},
                   "resolution=1280x720&textstring=T%C3%BCr%20",
                   " resolution = 1280x720 & textstring = T\u00fcr "]


@pytest.mark.parametrize("options", PROFILE_OPTIONS, ids=["mapping", "encoded string", "plain string"])
def test_stream_option_values_are_stripped_in_either_form_and_converge_in_one_run(camera, options):
    tasks = [task("axis_continuous_profile", {"disk_id": "SD_DISK", "event_id": "cont", "options": options}),
             task("axis_recording_group", dict(GROUP, stream_options=options))]
    first = run_tasks(camera, tasks)
    assert first.rc == 0 and first.changed == 2, first
    state = camera.dump()
    assert [profile["options"] for profile in state["continuous_profiles"]] == [
        "resolution=1280x720&textstring=T%C3%BCr"]
    assert [group["stream_options"] for group in state["recording_groups"]] == [
        "resolution=1280x720&textstring=T%C3%BCr"]
    second_run_changes_nothing(camera, tasks)


def test_stream_options_escaped_in_iso_8859_1_are_sent_and_kept_as_written(camera):
    """'textstring=T%FCr' (VAPIX's ISO-8859-1 escape of u-umlaut) was stored as 'T%EF%BF%BDr': a replacement
    character in place of the letter, written silently, and the run converged on it."""
    options = "resolution=1280x720&textstring=T%FCr"
    tasks = [task("axis_continuous_profile", {"disk_id": "SD_DISK", "event_id": "cont", "options": options}),
             task("axis_recording_group", dict(GROUP, stream_options=options))]
    first = run_tasks(camera, tasks)
    assert first.rc == 0 and first.changed == 2, first
    state = camera.dump()
    assert [profile["options"] for profile in state["continuous_profiles"]] == [options]
    assert [group["stream_options"] for group in state["recording_groups"]] == [options]
    second_run_changes_nothing(camera, tasks)


BROKEN = [
    ("axis_disk", DISK, "friendly_name", "SD\ncard"),
    ("axis_disk", DISK, "extra_mount_options", "rw,vers=3.0\nsync"),
    ("axis_recording_group", GROUP, "description", "T\u00fcr\r\nzu"),
    ("axis_share", SHARE, "name", "B\u00fcro\nNAS"),
]


@pytest.mark.parametrize("module, options, option, value", BROKEN,
                         ids=[f"{module} {option}" for module, _o, option, _v in BROKEN])
def test_a_line_break_in_a_text_value_is_refused_before_any_request(camera, module, options, option, value):
    """XML attributes give a line break back as a space, param.cgi as the start of another parameter."""
    message = refused_before_any_request(camera, task(module, dict(options, **{option: value})))
    assert message.startswith(f"{option} {value!r} holds a line break: write it on one line"), message
    assert "p\u00e4ss" not in message


CONTROL = [
    ("axis_disk", DISK, "friendly_name", "SD\x07card", "U+0007"),
    ("axis_recording_group", GROUP, "nice_name", "S\x1b[1m\u00fcd", "U+001B"),
    ("axis_recording_group", GROUP, "description", "T\u00fcr\x0c", "U+000C"),
    ("axis_share", SHARE, "share", "cams\x00", "U+0000"),
    ("axis_continuous_profile", {"disk_id": "SD_DISK", "options": "fps=15"}, "event_id", "cont\x01", "U+0001"),
]


@pytest.mark.parametrize("module, options, option, value, named", CONTROL,
                         ids=[f"{module} {option}" for module, _o, option, _v, _n in CONTROL])
def test_a_control_character_in_a_text_value_is_refused_before_any_request(
        camera, module, options, option, value, named):
    """XML cannot carry a control character (not even as a character reference): the camera stored it and then
    listed it in answers that were not well-formed XML; the run that wrote it failed its verification after the
    write, and every later run on the camera (axis_storage_info too) failed on the damaged answer."""
    message = refused_before_any_request(camera, task(module, dict(options, **{option: value})))
    assert message.startswith(f"{option} {value!r} holds {named}, which XML cannot carry: remove it"), message
    assert "p\u00e4ss" not in message
    whole = {"axis_continuous_profile": "continuous_profiles", **SECTION}[module]
    message = refused_before_any_request(camera, task("axis_edge_storage", {whole: [dict(options, **{option: value})]}))
    assert message.startswith(f"{whole}[0]: {option} {value!r} holds {named}"), message


def test_a_name_with_a_line_break_set_by_someone_else_is_read_and_replaced(camera):
    """A friendly name set with a line break outside the collection (the camera's web page) is listed by
    param.cgi over two lines: the camera is still read, and the declared name replaces it in one run."""
    with camera.model.lock:
        camera.model.disk("SD_DISK").friendly_name = "SD\ncard"
    tasks = [task("axis_disk", {"disk_id": "SD_DISK", "friendly_name": "SD card"})]
    first = run_tasks(camera, tasks)
    assert first.rc == 0 and first.changed == 1, first
    assert camera.dump()["disks"][0]["friendly_name"] == "SD card"
    second_run_changes_nothing(camera, tasks)


@pytest.mark.parametrize("options", [" noatime", "noatime,vers=3.0 "])
def test_mount_options_are_read_as_the_camera_lists_them_so_white_space_around_them_converges(camera, options):
    """param.cgi gives the value back as it is (the read-back recipe may write it so): no refusal."""
    tasks = [task("axis_disk", dict(DISK, extra_mount_options=options))]
    first = run_tasks(camera, tasks)
    assert first.rc == 0 and first.changed == 1, first
    assert camera.dump()["disks"][0]["extra_mount_options"] == options
    second_run_changes_nothing(camera, tasks)


def test_a_value_too_long_for_the_camera_is_named_in_a_message_of_a_readable_length(camera):
    """A value the camera's web server refuses as too long (HTTP 414) was reported as a bare HTTP error, with the
    whole request of tens of thousands of characters in the message."""
    name = "x" * 70000
    result = run_tasks(camera, [task("axis_disk", {"disk_id": "SD_DISK", "friendly_name": name})]).result("axis_disk")
    assert result["failed"] is True and result["http_status"] == 414, result
    message = result["msg"].replace("'%s'" % name, "'<the name>'")    # the step names the value it sets
    assert "the camera does not take a request this long (70038 characters of arguments)" in message, message
    assert "shorten the longest text value of the task" in message
    assert "Storage.S0.FriendlyName=" + "x" * 176 + "...(70024 characters)" in message
    assert len(message) < 1000, len(message)


def test_a_text_option_given_an_unquoted_number_or_boolean_is_sent_as_its_text_with_a_warning(camera):
    """YAML reads an unquoted 1.10 as the number 1.1, 0123 as 83 and yes as True; the text options took the
    converted text without a word (ansible-core 2.19 no longer warns). Each such option now warns, naming it, and a
    secret's warning shows no value; through ansible-playbook, in the single modules and a whole-camera section."""
    share = {"name": "nas1", "address": "nas.example.com", "share": "cams", "share_username": "u",
             "share_password": 83, "bound": False, "test_share": False}
    run = run_playbook(camera, [task("axis_disk", {"disk_id": "SD_DISK", "friendly_name": 1.1}),
                                task("axis_share", share),
                                task("axis_edge_storage", {"recording_groups": [{"id": True, "disk_id": "SD_DISK"}]})])
    assert run.rc == 0, run
    disk, added, whole = (run.result(name)["warnings"] for name in ("axis_disk", "axis_share", "axis_edge_storage"))
    assert disk == ["friendly_name was given as a number (1.1; YAML reads it so when unquoted) and is sent as the "
                    "text '1.1'; quote it in YAML if you meant other text (unquoted, 1.10 reads as 1.1, 0123 as 83, "
                    "yes as True)"]
    assert any(warning.endswith("word was given as a number, not as text (YAML reads it so when unquoted), and is "
                                "sent as the text of that number, which is not shown (a secret); quote it in YAML if "
                                "it is other text (unquoted, digits with a leading zero read as an octal number)")
               for warning in added), added
    assert "83" not in run.stdout
    assert any(warning.startswith("recording_groups[0]: id was given as a boolean (True;") for warning in whole), whole
    assert camera.dump()["disks"][0]["friendly_name"] == "1.1"
