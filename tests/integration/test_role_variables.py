# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/converge.yml imports the role without ansible-core's per-camera validation task
(rolespec_validate: false): every value the role's argument spec refuses is refused by the converge
task itself, before any request to the camera, and the message names the role's variable."""

from __future__ import annotations

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from tests.integration.harness import REPO, run_collection_playbook, run_playbook

pytestmark = pytest.mark.integration

ROLE_SPEC = yaml.safe_load((REPO / "roles" / "edge_storage" / "meta" / "argument_specs.yml").read_text())
MAIN_OPTIONS = ROLE_SPEC["argument_specs"]["main"]["options"]
# The role's converge task: converge.yml imports the role, whose one task this is.
ROLE_TASK = "vapix.edge_storage.edge_storage : Converge the edge storage of the camera"
# Types under which some value cannot be converted (a str, path or raw option takes any value).
REFUSABLE_TYPES = ("int", "bool", "list", "dict")


def refused_value(option):
    """A value the option's spec refuses, or None when it takes any value."""
    spec = MAIN_OPTIONS[option]
    if spec.get("choices"):
        return ["no-such-choice"] if spec["type"] == "list" else "no-such-choice"
    return {"int": "not-a-number", "bool": "not-a-bool", "list": {"not": "a list"},
            "dict": "not-a-dict"}.get(spec.get("type"))


# What ansible-core's validation task checks of the role's argument spec.
CHECKED_SPEC = {name: {key: val for key, val in option_spec.items() if key in ("type", "choices", "elements")}
                for name, option_spec in MAIN_OPTIONS.items()}


def role_spec_refuses(option, value):
    """Whether the role's argument spec refuses the value."""
    return bool(ArgumentSpecValidator(CHECKED_SPEC).validate({option: value}).error_messages)


REFUSED = {option: refused_value(option) for option in MAIN_OPTIONS if refused_value(option) is not None}


def test_every_option_the_role_spec_can_refuse_has_a_refused_value():
    refusable = {option for option, spec in MAIN_OPTIONS.items()
                 if spec.get("choices") or spec.get("type") in REFUSABLE_TYPES}
    assert set(REFUSED) == refusable
    assert len(REFUSED) >= 15
    for option, value in REFUSED.items():
        assert role_spec_refuses(option, value), option


def test_converge_refuses_every_value_the_role_spec_refuses_before_any_request_naming_the_variable(camera):
    connection = {"ansible_host": camera.host, "edge_storage_port": camera.port, "edge_storage_protocol": "http",
                  "edge_storage_username": "root", "edge_storage_password": "pass"}
    hosts = {"bad_" + option[len("edge_storage_"):]: dict(connection, **{option: value})
             for option, value in REFUSED.items()}
    run = run_collection_playbook("converge.yml", hosts)
    assert run.rc != 0
    assert camera.log() == []      # not one request, not even the Digest challenge
    assert "Validating arguments against arg spec" not in run.stdout
    failed = {entry["host"]: entry["result"]["msg"] for entry in run.statuses("failed") if entry["task"] == ROLE_TASK}
    assert set(failed) == set(hosts), run
    for option in REFUSED:
        message = failed["bad_" + option[len("edge_storage_"):]]
        assert "In the edge_storage role: " in message and "the variable %s" % option in message, message


def test_outside_the_role_the_message_names_the_option_only(camera):
    outside = run_playbook(camera, [{"name": "outside the role", "vapix.edge_storage.axis_edge_storage": {
        "hostname": camera.host, "port": camera.port, "protocol": "ftp", "username": "root", "password": "pass"}}])
    assert outside.rc != 0
    message = outside.result("outside the role")["msg"]
    assert message.startswith("value of protocol must be one of: https, http, got: ftp")
    assert "edge_storage role" not in message
