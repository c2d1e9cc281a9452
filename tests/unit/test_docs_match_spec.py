# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each documentation-only module file says what its action plugin accepts.

The modules run as action plugins, so ansible-test's validate-modules and
ansible-lint no longer compare the documentation with the argument spec. This
test does: every option documented and accepted, with the same type, default,
choices, aliases, required, elements and sub-options; secrets (no_log) are the
options the documentation says are never shown. And every EXAMPLES is a task
list whose tasks of this collection the action plugin accepts.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
import yaml

from ansible_collections.vapix.edge_storage.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.vapix.edge_storage.plugins.module_utils import _edge_storage
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import CONNECTION_ARGUMENT_SPEC
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import AxisAction, TaskExit, ValidatedTask

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"
MODULES = sorted(path.stem for path in (PLUGINS / "modules").glob("*.py"))
COMPARED = ("type", "default", "choices", "aliases", "required", "elements")
SECRET_WORDING = re.compile(r"\bnever (logged|shown)", re.IGNORECASE)
SECRET_NAME = re.compile(r"pass(word|phrase)|secret")


def documentation(name):
    """The module's DOCUMENTATION with the connection fragment's options merged in."""
    source = (PLUGINS / "modules" / ("%s.py" % name)).read_text()
    doc = yaml.safe_load(re.search(r'DOCUMENTATION = r"""(.*?)"""', source, re.S).group(1))
    options = dict(doc.get("options") or {})
    if "vapix.edge_storage.connection" in doc.get("extends_documentation_fragment", []):
        options.update(yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"])
    return options


def action_plugin(name):
    return importlib.import_module("ansible_collections.vapix.edge_storage.plugins.action.%s" % name).ActionModule


def action_spec(name):
    """Every option the module's action plugin validates (a camera module's with the connection options)."""
    return action_plugin(name).task_argument_spec()


# The modules that talk to a camera (the others, such as report_files, write on the controller and take no
# connection options, so their examples need no module_defaults).
CAMERA_MODULES = [name for name in MODULES if issubclass(action_plugin(name), AxisAction)]


def _field(option, key):
    """One compared field, with Ansible's default where it is left out."""
    value = option.get(key)
    if key == "type":
        return value or "str"
    if key == "required":
        return bool(value)
    if key == "aliases":
        return sorted(value or [])
    return value


def differences(documented, spec, where=""):
    """Sentences naming every way the documented options and the argument spec differ."""
    found = []
    for name in sorted(set(documented) - set(spec)):
        found.append(f"{where}{name} is documented but not accepted")
    for name in sorted(set(spec) - set(documented)):
        found.append(f"{where}{name} is accepted but not documented")
    for name in sorted(set(documented) & set(spec)):
        doc, accepted = documented[name], spec[name]
        for key in COMPARED:
            if _field(doc, key) != _field(accepted, key):
                found.append("%s%s: %s documented %r, accepted %r"
                             % (where, name, key, _field(doc, key), _field(accepted, key)))
        description = " ".join(doc.get("description") or [])
        if bool(accepted.get("no_log")) != bool(SECRET_WORDING.search(description)):
            found.append("{}{}: no_log is {}, but the documentation {}".format(
                where, name, bool(accepted.get("no_log")),
                "says it is never shown" if SECRET_WORDING.search(description) else "does not say it is never shown"))
        if SECRET_NAME.search(name) and "no_log" not in accepted:
            found.append(f"{where}{name}: looks like a secret; set no_log explicitly")
        if doc.get("suboptions") or accepted.get("options"):
            found.extend(differences(doc.get("suboptions") or {}, accepted.get("options") or {},
                                     f"{where}{name}."))
    return found


def test_every_module_runs_as_an_action_plugin_and_nothing_else():
    actions = sorted(path.stem for path in (PLUGINS / "action").glob("*.py") if not path.stem.startswith("_"))
    assert MODULES and actions == MODULES
    for name in MODULES:
        source = (PLUGINS / "modules" / ("%s.py" % name)).read_text()
        assert "import" not in source.split('DOCUMENTATION = r"""')[1].split('"""', 1)[1].replace(
            "from __future__ import annotations", ""), "%s holds code besides its documentation" % name


@pytest.mark.parametrize("name", MODULES)
def test_documented_options_are_the_accepted_ones(name):
    assert differences(documentation(name), action_spec(name)) == []


def test_every_kind_of_drift_is_found():
    documented = {
        "size": {"type": "int", "description": ["A size."]},
        "mode": {"type": "str", "choices": ["a", "b"], "default": "a", "aliases": ["m"], "description": ["x"]},
        "items": {"type": "list", "elements": "str", "required": True, "description": ["x"]},
        "secret_key": {"type": "str", "description": ["Never shown."]},
        "limits": {"type": "dict", "description": ["x"], "suboptions": {"wear": {"type": "int", "description": []}}},
        "gone": {"type": "str", "description": ["x"]},
    }
    spec = {
        "size": {"type": "str"},
        "mode": {"type": "str", "choices": ["a"], "default": "b", "aliases": ["n"]},
        "items": {"type": "list", "elements": "int"},
        "secret_key": {"type": "str"},
        "limits": {"type": "dict", "options": {"wear": {"type": "str"}, "heat": {"type": "int"}}},
        "password": {"type": "str", "no_log": True},
    }
    assert differences(documented, spec) == [
        "gone is documented but not accepted",
        "password is accepted but not documented",
        "items: required documented True, accepted False",
        "items: elements documented 'str', accepted 'int'",
        "limits.heat is accepted but not documented",
        "limits.wear: type documented 'int', accepted 'str'",
        "mode: default documented 'a', accepted 'b'",
        "mode: choices documented ['a', 'b'], accepted ['a']",
        "mode: aliases documented ['m'], accepted ['n']",
        "secret_key: no_log is False, but the documentation says it is never shown",
        "secret_key: looks like a secret; set no_log explicitly",
        "size: type documented 'int', accepted 'str'",
    ]


PREFIX = "vapix.edge_storage."
# Keywords of a task (not options of its module) that the examples use.
TASK_KEYWORDS = {"name", "register", "when", "check_mode", "diff", "module_defaults", "block", "loop", "no_log",
                 "changed_when", "failed_when", "tags", "vars", "delegate_to", "run_once"}
# Connection options as module_defaults would give them (the examples rely on that).
CONNECTION = {"hostname": "cam.example.com", "username": "root", "password": "pw"}


def examples(name):
    source = (PLUGINS / "modules" / ("%s.py" % name)).read_text()
    return yaml.safe_load(re.search(r'EXAMPLES = r"""(.*?)"""', source, re.S).group(1))


def tasks_in(task_list):
    """Every task of a task list, those in blocks too."""
    for task in task_list:
        yield task
        for section in ("block", "rescue", "always"):
            yield from tasks_in(task.get(section) or [])


def templated(value):
    if isinstance(value, str):
        return "{{" in value
    if isinstance(value, list):
        return any(templated(item) for item in value)
    if isinstance(value, dict):
        return any(templated(item) for item in value.values())
    return False


def example_problems(task):
    """What the action plugin would refuse in one example task (a template stands for a valid value)."""
    modules = [key for key in task if key not in TASK_KEYWORDS]
    if "block" in task and not modules:
        return []
    if len(modules) != 1:
        return ["{!r}: not one module in {}".format(task.get("name"), modules)]
    module = modules[0]
    if not module.startswith(PREFIX):
        return [] if module.startswith("ansible.builtin.") else ["%s: not a module of this collection" % module]
    name = module[len(PREFIX):]
    if name not in MODULES:
        return ["%s: no such module" % module]
    plugin = action_plugin(name)
    spec = dict(plugin.task_argument_spec())
    args = dict(CONNECTION if name in CAMERA_MODULES else {}, **(task[module] or {}))
    for option, value in list(args.items()):
        # a template renders to any value: leave it out where it must render to something other than a string
        if option in spec and templated(value) and spec[option].get("type", "str") not in ("str", "path", "raw"):
            del args[option]
            spec[option] = dict(spec[option], required=False)
    try:
        task_args = ValidatedTask(module, args, spec, plugin.argument_rules, {}, False)
        if name == "axis_edge_storage":
            _edge_storage.build_resources(task_args.params, set())
    except TaskExit as refused:
        return ["{!r}: {}".format(task.get("name"), refused.result["msg"])]
    except Exception as exc:  # pylint: disable=broad-except  # the sections' own validation
        return ["{!r}: {}".format(task.get("name"), exc)]
    return []


@pytest.mark.parametrize("name", MODULES)
def test_examples_are_tasks_the_action_plugin_accepts(name):
    task_list = examples(name)
    assert isinstance(task_list, list) and task_list
    assert not [task for task in task_list if "hosts" in task or "tasks" in task], "a play, not a task list"
    problems = []
    uses_module = False
    for task in tasks_in(task_list):
        problems.extend(example_problems(task))
        uses_module = uses_module or PREFIX + name in task
        for group, defaults in (task.get("module_defaults") or {}).items():
            assert group == "group/vapix.edge_storage.vapix"
            assert set(defaults) <= set(CONNECTION_ARGUMENT_SPEC)
    assert problems == []
    assert uses_module


def test_one_example_shows_module_defaults_and_the_others_point_to_it():
    showing = [name for name in MODULES
               if any(task.get("module_defaults") for task in tasks_in(examples(name)))]
    assert showing == ["axis_edge_storage"]
    for name in CAMERA_MODULES:
        if name not in showing:
            source = (PLUGINS / "modules" / ("%s.py" % name)).read_text()
            assert "come from module_defaults, as in the first example of vapix.edge_storage.axis_edge_storage" in source


def test_a_wrong_example_is_found():
    assert example_problems({"name": "x", "vapix.edge_storage.axis_disk": {"disk_id": "SD", "cleanup_policy": "lifo"}})
    assert example_problems({"name": "x", "vapix.edge_storage.axis_disk": {"disk_id": "SD", "cleanup_age": 3}})
    assert example_problems({"name": "x", "vapix.edge_storage.axis_disks": {"disk_id": "SD"}})
    assert example_problems({"name": "x", "vapix.edge_storage.axis_edge_storage": {"disks": [{"disk_idd": "SD"}]}})
    assert example_problems({"name": "x", "vapix.edge_storage.axis_disk": {"disk_id": "SD", "cleanup_max_age": "{{ a }}"}}) == []
