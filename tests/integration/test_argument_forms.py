# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Arguments as users write them in YAML and Jinja, against the emulator: every form is read as meant, or
refused before any request with a message that names the option and says what to give."""

from __future__ import annotations

import json

import pytest

from tests.integration.checks import COPIED_ID, OTHER_ID, one_id_on_two_disks, refused_before_any_request
from tests.integration.harness import run_playbook
from tests.integration.inprocess import run_task, run_tasks
from tests.integration.test_recording_info import HOUR, start_recording_continuously


def task(module, options):
    return {"name": module, "vapix.edge_storage.%s" % module: options}


# (module, options with a whole-number option given a boolean, the option's name in the message)
BOOLEAN_NUMBERS = [
    ("axis_disk", {"disk_id": "SD_DISK", "cleanup_max_age": True}, "cleanup_max_age"),
    ("axis_disk", {"disk_id": "SD_DISK", "alert_levels": {"wear": False}}, "alert_levels.wear"),
    ("axis_recording_settings", {"default_split_duration": True}, "default_split_duration"),
    ("axis_disk", {"disk_id": "SD_DISK", "friendly_name": "SD card", "timeout": True}, "timeout"),
    ("axis_recording_info", {"page_size": True}, "page_size"),
]
SECTION = {"axis_disk": "disks"}


@pytest.mark.parametrize("module, options, named", BOOLEAN_NUMBERS,
                         ids=[named for _m, _o, named in BOOLEAN_NUMBERS])
@pytest.mark.parametrize("check", [False, True], ids=["run", "check"])
def test_a_whole_number_option_given_a_boolean_is_refused_before_any_request(camera, module, options, named, check):
    """An unquoted yes/no/true/false in a whole-number option was taken as the number (True is 1 to Python):
    the camera was sent 'yes' (a write that failed, changed=true), check mode predicted that change, and
    the connection timeout crashed as 'a bug in the collection'."""
    message = refused_before_any_request(camera, task(module, options),
                                         run=lambda cam, tasks: run_tasks(cam, tasks, check=check))
    assert message.startswith(f"{named} is the boolean "), message
    assert "takes a whole number: give a number" in message
    if module in SECTION and named != "timeout":   # a connection option, not an item's
        whole = {SECTION[module]: [options]}
        message = refused_before_any_request(camera, task("axis_edge_storage", whole),
                                             run=lambda cam, tasks: run_tasks(cam, tasks, check=check))
        assert message.startswith(f"{SECTION[module]}[0]: {named} is the boolean "), message


# (section, an item with a misspelled option, the misspelled option, an option the message lists)
MISSPELLED = [
    ("disks", [{"disk_id": "SD_DISK", "frendly_name": "SD card"}], "frendly_name", "friendly_name"),
    ("recording_groups", [{"id": "g1", "disk_id": "SD_DISK", "retension": "7d"}], "retension", "retention"),
]


@pytest.mark.parametrize("section, items, wrong, listed", MISSPELLED, ids=[wrong for _s, _i, wrong, _l in MISSPELLED])
def test_a_misspelled_option_of_a_section_item_is_refused_saying_it_is_unsupported(
        camera, section, items, wrong, listed):
    """The message named the key and listed the others ('disks[0]: frendly_name. Supported parameters include:
    ...') without saying what was wrong with it."""
    message = refused_before_any_request(camera, task("axis_edge_storage", {section: items}))
    assert message.startswith(f"{section}[0]: unsupported parameters: {wrong}. Supported parameters include: "), message
    assert listed in message


# (module, options Ansible's validation of the arguments refuses)
REFUSED_BY_VALIDATION = [
    ("axis_disk", {"disk_id": "SD_DISK", "frendly_name": "SD card"}),          # an unknown option
    ("axis_disk", {"disk_id": "SD_DISK", "cleanup_max_age": "30d"}),           # not a whole number
    ("axis_storage_limit", {"size": "2 GiB"}),                                 # a required option left out
    ("axis_disk", {"disk_id": "SD_DISK", "cleanup_max_age": True}),            # a boolean for a number
]


@pytest.mark.parametrize("module, options", REFUSED_BY_VALIDATION, ids=[str(o) for _m, o in REFUSED_BY_VALIDATION])
def test_arguments_refused_by_validation_fail_with_the_error_class_invalid_argument(camera, module, options):
    """Every failure names its kind (the modules document error_class on failure, and a play branches on
    it): the arguments Ansible's validation refuses failed with msg alone, no error_class and no changed."""
    refused_before_any_request(camera, task(module, options))
    result = run_tasks(camera, [task(module, options)]).result(module)
    assert result["error_class"] == "invalid_argument", result
    assert result["changed"] is False, result


def test_exclusive_written_as_false_text_in_a_section_item_is_no_refusal(camera):
    """An item's exclusive was refused as 'acts on items beyond this one' when given as the text 'no' or
    'false', which Ansible reads as false; and a section whose module has no exclusive (disks) was told to add
    itself to purge, which it cannot name."""
    item = {"id": "g1", "disk_id": "SD_DISK", "exclusive": "no"}
    result = run_tasks(camera, [task("axis_edge_storage", {"recording_groups": [item]})],
                       check=True).result("axis_edge_storage")
    assert not result.get("failed") and result["changed"] is True, result
    message = refused_before_any_request(camera, task("axis_edge_storage", {"recording_groups": [
        dict(item, exclusive="yes")]}))
    assert message.startswith("recording_groups[0]: 'exclusive' acts on items beyond this one"), message
    message = refused_before_any_request(camera, task("axis_edge_storage", {"disks": [
        {"disk_id": "SD_DISK", "exclusive": "false"}]}))
    assert message.startswith("disks[0]: unsupported parameters: exclusive."), message


def test_durations_computed_by_jinja_arithmetic_are_read_as_the_whole_numbers_they_are(camera):
    """Jinja arithmetic gives floats ('{{ 7 * 24.0 }}' is 168.0, '{{ 5000 / 2 }}' is 2500.0): a recording group's
    retention and pre_duration so given were refused as 'not understood: give a whole number'."""
    group = {"id": "g1", "disk_id": "SD_DISK", "retention": "{{ 7 * 24.0 }}", "pre_duration": "{{ 5000 / 2 }}"}
    run = run_playbook(camera, [task("axis_recording_group", group)])
    assert run.rc == 0, run
    assert run.result("axis_recording_group")["changed"] is True
    stored, = camera.dump()["recording_groups"]
    assert (stored["retention_hours"], stored["pre_duration"]) == (168, 2500), stored
    again = run_playbook(camera, [task("axis_recording_group", group)])
    assert again.rc == 0 and again.result("axis_recording_group")["changed"] is False, again


@pytest.mark.parametrize("option, env, environment, where, said", [
    ("timeout", {"VAPIX_TIMEOUT": "30s"}, None, "the controller", "'30s'"),
    ("timeout", {"VAPIX_TIMEOUT": "20"}, {"VAPIX_TIMEOUT": "30s"}, "the task's environment", "'30s'"),
    ("timeout", {"VAPIX_TIMEOUT": "0"}, None, "the controller", "timeout 0 is not a number of seconds"),
    ("hostname", None, {"VAPIX_HOSTNAME": "cam 1"}, "the task's environment", "hostname 'cam 1' contains blanks"),
], ids=["type, controller", "type, task environment", "range", "host"])
def test_a_connection_option_from_the_environment_refused_names_the_variable(camera, option, env, environment,
                                                                             where, said):
    """A VAPIX_* variable holding a value the task refuses (an AWX credential's '30s' for the timeout) was
    refused as 'argument 'timeout' is of type str ...' or 'timeout 0 is not a number of seconds' without saying
    that the value came from there."""
    camera.clear_log()
    result = run_task(camera, "axis_storage_info", {"gather_subset": ["disks"]}, defaults={option: None},
                      env=env, environment=environment)
    assert result["failed"] is True and result["error_class"] == "invalid_argument", result
    assert said in result["msg"]
    variable = "VAPIX_" + option.upper()
    assert result["msg"].endswith(f". The value of {option} is the environment variable {variable} of {where}: "
                                  f"correct or unset it there, or give {option} as an option of the task."), result
    assert camera.log() == []


def test_an_error_in_the_recording_settings_names_the_mapping_without_a_list_place(camera):
    """recording_settings is one mapping, not a list; its errors named it recording_settings[0]."""
    message = refused_before_any_request(camera, task("axis_edge_storage", {
        "recording_settings": {"default_split_duraton": 60}}))
    assert message.startswith("recording_settings: unsupported parameters: default_split_duraton."), message


def test_an_option_given_with_its_alias_in_a_section_item_warns_which_value_is_used(camera):
    """A recording group item with retention and retention_hours kept the alias's value without a word (the
    single module warned, without saying which value it used)."""
    item = {"id": "g1", "disk_id": "SD_DISK", "retention": 168, "retention_hours": 168}
    said = ("Both option retention and its alias retention_hours are set: the value given as retention_hours is "
            "used; give only one of them.")
    single = run_tasks(camera, [task("axis_recording_group", item)]).result("axis_recording_group")
    assert single["warnings"] == [said], single
    camera.reset()
    whole = run_tasks(camera, [task("axis_edge_storage", {"recording_groups": [item]})]).result("axis_edge_storage")
    assert whole["warnings"] == ["recording_groups[0]: " + said], whole
    assert camera.dump()["recording_groups"][0]["retention_hours"] == 168


@pytest.mark.parametrize("module, options, said", [
    ("axis_disk", {"disk_id": "SD_DISK", "friendly_name": "x", "allow_data_loss": False, "allow_format": True},
     "allow_data_loss and its alias allow_format are given different values (allow_data_loss: False, "
     "allow_format: True): give only one of them"),
    ("axis_recording_group", {"id": "g1", "disk_id": "SD_DISK", "retention": 168, "retention_hours": 24},
     "retention and its alias retention_hours are given different values (retention: 168, retention_hours: 24): "
     "give only one of them"),
], ids=["opt-in", "retention"])
def test_an_option_and_its_alias_given_different_values_are_refused_before_any_request(camera, module, options,
                                                                                       said):
    """Validation took the alias's value, with a warning: allow_data_loss: false beside allow_format: true (its
    old name) allowed the data loss the task said no to."""
    assert said in refused_before_any_request(camera, task(module, options))
    section = {"axis_disk": "disks", "axis_recording_group": "recording_groups"}[module]
    whole = refused_before_any_request(camera, task("axis_edge_storage", {section: [options]}))
    assert f"{section}[0]: {said}" in whole
    # The same value under both names is no contradiction: 'no' is false.
    same = dict(options, **({"allow_data_loss": "no", "allow_format": False} if module == "axis_disk"
                            else {"retention_hours": 168}))
    result = run_tasks(camera, [task(module, same)], check=True).result(module)
    assert not result.get("failed") and len(result["warnings"]) == 1, result


# (module, options with a text option given a list or a mapping, the refusal's start)
CONTAINERS_AS_TEXT = [
    ("axis_disk", {"disk_id": "SD_DISK", "extra_mount_options": ["noatime", "vers=3.0"]},
     "extra_mount_options is a list (['noatime', 'vers=3.0']), and it takes text"),
    ("axis_recording_group", {"id": "g1", "disk_id": "SD_DISK", "description": {"site": "lobby"}},
     "description is a mapping ({'site': 'lobby'}), and it takes text"),
    ("axis_recording", {"recording_ids": [["a", "b"]], "allow_data_loss": True},
     "recording_ids[0] is a list (['a', 'b']), and it takes text"),
    ("axis_recording_export", {"dest": ["/tmp/exports"], "recording_ids": ["a"]},
     "dest is a list (['/tmp/exports']), and it takes text"),
]
SECTIONS = {"axis_disk": "disks", "axis_recording_group": "recording_groups"}


@pytest.mark.parametrize("module, options, said", CONTAINERS_AS_TEXT, ids=[m for m, _o, _s in CONTAINERS_AS_TEXT])
def test_a_text_option_given_a_list_or_a_mapping_is_refused_before_any_request(camera, module, options, said):
    """Validation turned a list or a mapping given to a text option into Python's text of it, which the camera
    was sent and stored: mount options "['noatime', 'vers=3.0']", a description "{'site': 'lobby'}"."""
    message = refused_before_any_request(camera, task(module, options))
    assert message.startswith(said + ": give one text value"), message
    if module in SECTIONS:
        message = refused_before_any_request(camera, task("axis_edge_storage", {SECTIONS[module]: [options]}))
        assert message.startswith(f"{SECTIONS[module]}[0]: {said}"), message


def test_a_secret_given_as_a_list_is_refused_without_its_value(camera):
    share = {"name": "nas1", "address": "nas.example.com", "share": "cams", "share_username": "cam",
             "share_password": ["S3cret-one", "S3cret-two"]}
    message = refused_before_any_request(camera, task("axis_share", share))
    # (the camera's password, 'pass', is masked in the option's name)
    assert message.endswith("word is a list, and it takes text: give one text value (a list or a mapping would be "
                            "sent as Python's text of it)"), message
    assert "S3cret" not in message


@pytest.mark.parametrize("event_ids", ["continuous, continuous", [" continuous"], ["continuous "]])
def test_coverage_event_ids_with_blanks_around_them_are_the_event_ids(camera, event_ids):
    """Ansible splits 'continuous, continuous_nas' at the comma only: ' continuous_nas' matched no recording,
    and a camera that recorded was reported not recording ('no continuous recording profile records this event
    id'), failing its audit."""
    start_recording_continuously(camera)
    camera.model.advance_clock(HOUR)
    result = run_task(camera, "axis_recording_info", {"coverage": {"window": "1h", "event_ids": event_ids}})
    coverage = result["coverage"]
    assert list(coverage["event_ids"]) == ["continuous"], coverage
    assert coverage["event_ids"]["continuous"]["covered_percent"] == 100.0
    assert coverage["compliant"] is True, coverage["problems"]


def test_coverage_event_ids_that_hold_no_event_id_are_refused(camera):
    message = refused_before_any_request(camera, task("axis_recording_info", {"coverage": {"event_ids": ["", " "]}}))
    assert message.startswith("coverage.event_ids holds no event id (['', ' ']): name at least one, or leave it "
                              "out"), message


@pytest.mark.parametrize("module, options", [
    ("axis_recording", {"allow_data_loss": True}),
    ("axis_recording_export", {"dest": "/tmp/vapix-never-written"}),
], ids=["axis_recording", "axis_recording_export"])
@pytest.mark.parametrize("given", [json.dumps([OTHER_ID, COPIED_ID]), str([OTHER_ID, COPIED_ID])],
                         ids=["to_json", "string"])
def test_recording_ids_given_as_the_text_of_a_list_are_refused_before_any_request(camera, module, options, given):
    """Ansible splits a list given as its text ('["a", "b"]') at its commas only: the ids held brackets and
    quotes, selected no recording, and a removal reported nothing to do (the ids 'not found', changed=false)."""
    one_id_on_two_disks(camera)
    message = refused_before_any_request(camera, task(module, dict(options, recording_ids=given)))
    assert message.startswith("recording_ids holds %r, which is no recording id (it holds a bracket, a quote or a "
                              "blank): give a list of ids" % given.split(",")[0]), message
    assert camera.dump()["recordings"]["count"] == 3


def test_recording_ids_given_as_text_separated_by_commas_are_the_ids(camera):
    one_id_on_two_disks(camera)
    result = run_task(camera, "axis_recording", {"recording_ids": f"{OTHER_ID}, {COPIED_ID}", "disk_id": "SD_DISK",
                                                 "allow_data_loss": True})
    assert result.get("failed") is None and result["changed"] is True, result
    assert camera.dump()["recordings"]["per_disk"] == {"NetworkShare": 1}


def test_a_section_left_null_says_how_to_give_none(camera):
    """A section whose items are all commented out is null in YAML: refused with Ansible's words only ("is of
    type NoneType and we were unable to convert to list"), which did not say what to write instead."""
    message = refused_before_any_request(camera, task("axis_edge_storage", {
        "disks": None, "recording_groups": [{"id": "g1", "disk_id": "SD_DISK", "retention": "7d"}]}))
    assert ("disks: null is what YAML reads for an option with nothing after its colon (every item commented "
            "out): give [] for none, or leave disks out.") in message


def test_a_section_left_null_is_refused_through_ansible_playbook_as_in_process(camera):
    """The in-process runner dropped null arguments, so it passed a task ansible-playbook refuses."""
    run = run_playbook(camera, [dict(task("axis_edge_storage", {"shares": None}), check_mode=True)])
    result = run.result("axis_edge_storage")
    assert run.failed == 1 and result["error_class"] == "invalid_argument", run
    assert "give [] for none, or leave shares out" in result["msg"]
    assert run_task(camera, "axis_edge_storage", {"shares": None}, check=True)["msg"] == result["msg"]
