# -*- coding: utf-8 -*-
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each documentation-only module file says what its action plugin accepts.

The modules run as action plugins, so ansible-test's validate-modules and
ansible-lint no longer compare the documentation with the argument spec. This
test does: every option documented and accepted, with the same type, default,
choices, aliases, required, elements and sub-options; secrets (no_log) are the
options the documentation says are never shown.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
import yaml

from ansible_collections.vapix.edge_storage.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import full_argument_spec

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


def action_spec(name):
    plugin = importlib.import_module("ansible_collections.vapix.edge_storage.plugins.action.%s" % name)
    return full_argument_spec(plugin.ActionModule.argument_spec)


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
        found.append("%s%s is documented but not accepted" % (where, name))
    for name in sorted(set(spec) - set(documented)):
        found.append("%s%s is accepted but not documented" % (where, name))
    for name in sorted(set(documented) & set(spec)):
        doc, accepted = documented[name], spec[name]
        for key in COMPARED:
            if _field(doc, key) != _field(accepted, key):
                found.append("%s%s: %s documented %r, accepted %r"
                             % (where, name, key, _field(doc, key), _field(accepted, key)))
        description = " ".join(doc.get("description") or [])
        if bool(accepted.get("no_log")) != bool(SECRET_WORDING.search(description)):
            found.append("%s%s: no_log is %s, but the documentation %s" % (
                where, name, bool(accepted.get("no_log")),
                "says it is never shown" if SECRET_WORDING.search(description) else "does not say it is never shown"))
        if SECRET_NAME.search(name) and "no_log" not in accepted:
            found.append("%s%s: looks like a secret; set no_log explicitly" % (where, name))
        if doc.get("suboptions") or accepted.get("options"):
            found.extend(differences(doc.get("suboptions") or {}, accepted.get("options") or {},
                                     "%s%s." % (where, name)))
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
