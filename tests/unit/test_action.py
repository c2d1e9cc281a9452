# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin base: validation as AnsibleModule does it, masking, environment fallbacks, progress lines."""

from __future__ import annotations

import pytest
from ansible.parsing.dataloader import DataLoader

from ansible_collections.vapix.edge_storage.plugins.module_utils._module import full_argument_spec
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_share import ARGUMENT_RULES, ARGUMENT_SPEC
from ansible_collections.vapix.edge_storage.plugins.plugin_utils import _action

CONNECTION = {"hostname": "cam.example.com", "username": "root", "password": "Camera-pw&1"}
SHARE_PASSWORD = "nas pw=%2F"


def validated(args, environment=None, check_mode=False):
    return _action.ValidatedTask("vapix.edge_storage.axis_share", args, full_argument_spec(ARGUMENT_SPEC),
                                 ARGUMENT_RULES, environment or {}, check_mode)


def test_defaults_and_types_as_ansible_module_fills_them():
    task = validated(dict(CONNECTION, name="nas1", port="8080"))
    assert task.params["port"] == 8080
    assert task.params["protocol"] == "https" and task.params["update_password"] == "on_create"
    assert task.no_log_values == {"Camera-pw&1"}


def test_rule_violations_fail_with_the_modules_message():
    with pytest.raises(_action.TaskExit) as end:
        validated(dict(CONNECTION))
    assert end.value.result["failed"] is True
    assert end.value.result["msg"] == "one of the following is required: name, share_id"


def test_results_and_failures_are_masked_like_a_modules():
    task = validated(dict(CONNECTION, name="nas1", share_password=SHARE_PASSWORD))
    with pytest.raises(_action.TaskExit) as end:
        task.exit_json(changed=True, steps=["sent %s" % SHARE_PASSWORD])
    result = end.value.result
    assert result["invocation"]["module_args"]["share_password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert result["invocation"]["module_args"]["password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert result["steps"] == ["sent ********"]
    with pytest.raises(_action.TaskExit) as end:
        task.fail_json(msg="camera said Camera-pw&1")
    assert end.value.result["msg"] == "camera said ********"


def test_environment_fallbacks_prefer_the_tasks_environment(monkeypatch):
    monkeypatch.setenv("VAPIX_USERNAME", "from-controller")
    monkeypatch.setenv("VAPIX_PORT", "8443")
    task = validated({"hostname": "cam", "password": "pw", "name": "nas1"}, environment={"VAPIX_USERNAME": "op"})
    assert task.params["username"] == "op"
    assert task.params["port"] == 8443


def test_progress_lines_at_most_one_per_interval_and_no_repeats():
    now = [100.0]
    shown = []
    lines = _action.ProgressLines("cam07", shown.append, clock=lambda: now[0])
    lines("format SD_DISK", 10)
    now[0] += 1
    lines("format SD_DISK", 40)          # too soon: not shown
    now[0] += _action.PROGRESS_INTERVAL
    lines("format SD_DISK", 40)
    now[0] += _action.PROGRESS_INTERVAL
    lines("format SD_DISK", 40)          # the same line again: not shown
    lines("share test", None)
    now[0] += 1
    lines("share test", 50)              # too soon after the last line shown
    assert shown == ["cam07: format SD_DISK 10%", "cam07: format SD_DISK 40%", "cam07: share test running"]


def test_a_null_or_empty_connection_option_is_not_given_so_its_fallback_applies(monkeypatch):
    monkeypatch.setenv("VAPIX_PASSWORD", "from-the-controller")
    given = _action.AxisAction.given_arguments(dict(CONNECTION, password=None, port="", protocol=None, name="nas1",
                                                    share_username=""))
    task = validated(given, environment={"VAPIX_PROTOCOL": "http"})
    assert task.params["password"] == "from-the-controller"
    assert task.params["protocol"] == "http" and task.params["port"] is None
    # Only connection options: a module's own option keeps the empty value it was given.
    assert task.params["share_username"] == ""
    assert _action.ControllerAction.given_arguments({"port": ""}) == {"port": ""}


def test_plain_turns_ansibles_tagged_arguments_into_the_types_a_module_process_gets():
    loaded = DataLoader().load("shares: [{name: nas1, port: 445, ratio: 1.5, bound: true, user: null}]\n")
    assert type(loaded["shares"][0]["name"]).__name__ != "str"      # ansible-core's tagged subclass
    args = _action.plain(dict(loaded, pair=("a", "b"), other=frozenset()))
    assert args == {"shares": [{"name": "nas1", "port": 445, "ratio": 1.5, "bound": True, "user": None}],
                    "pair": ["a", "b"], "other": frozenset()}
    share = args["shares"][0]
    assert [type(value) for value in (args, args["shares"], share, *share, share["name"], share["port"],
                                      share["ratio"], share["bound"])] == [dict, list, dict] + [str] * 5 + \
        [str, int, float, bool]
