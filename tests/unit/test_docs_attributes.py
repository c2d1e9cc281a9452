# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module declares the standard attributes, honestly, as ansible-doc shows them.

The documentation is merged with its doc fragments by ansible-core's own code
(``ansible.utils.plugin_docs.get_docstring``), the fragments read from this
collection's plugins/doc_fragments.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from ansible.utils.plugin_docs import get_docstring

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(path.stem for path in (ROOT / "plugins" / "modules").glob("*.py"))
PREFIX = "vapix.edge_storage."
STANDARD = {"action", "action_group", "async", "check_mode", "diff_mode", "idempotent", "platform"}
SUPPORT = {"full", "partial", "none", "N/A"}


def fragment(name):
    """A doc fragment of this collection, the way ansible's fragment loader hands it over."""
    if not name.startswith(PREFIX):
        return None
    try:
        module = importlib.import_module("ansible_collections.vapix.edge_storage.plugins.doc_fragments.%s"
                                         % name[len(PREFIX):])
    except ImportError:
        return None
    return SimpleNamespace(ansible_name=name, **vars(module.ModuleDocFragment))


def documentation(name):
    return get_docstring(str(ROOT / "plugins" / "modules" / ("%s.py" % name)), SimpleNamespace(get=fragment),
                         collection_name="vapix.edge_storage", plugin_type="module")[0]


def action_groups():
    runtime = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())
    return runtime.get("action_groups") or {}


@pytest.mark.parametrize("name", MODULES)
def test_every_standard_attribute_is_declared(name):
    documented = documentation(name)
    attributes = documented["attributes"]
    # action_group has a required membership (validate-modules): a module that takes no connection options
    # (report_files) is in no group and leaves the attribute out
    assert set(attributes) == (STANDARD if "hostname" in documented["options"] else STANDARD - {"action_group"})
    for attribute, declared in attributes.items():
        assert declared.get("description"), attribute
        assert declared.get("support") in SUPPORT, attribute
        if declared["support"] in ("partial", "none"):
            assert declared.get("details"), "%s: say what is not supported" % attribute


@pytest.mark.parametrize("name", MODULES)
def test_action_group_membership_is_the_one_in_meta_runtime(name):
    groups = sorted(f"{PREFIX}{group}" for group, members in action_groups().items() if name in members)
    documented = documentation(name)
    # a camera module (it takes the connection options) is in the group whose module_defaults give them;
    # another (report_files) is in none and declares no action_group
    assert bool(groups) == ("hostname" in documented["options"])
    assert sorted(documented["attributes"].get("action_group", {}).get("membership") or []) == groups


@pytest.mark.parametrize("name", MODULES)
def test_idempotence_is_declared_for_the_modules_kind(name):
    attributes = documentation(name)["attributes"]
    idempotent = attributes["idempotent"]["support"]
    if attributes["diff_mode"]["support"] == "full":
        # converges a declared state: a second run changes nothing, unless an option says otherwise
        assert idempotent in ("full", "partial")
    elif attributes["diff_mode"]["support"] == "N/A":
        # only reads
        assert idempotent == "full"
    assert attributes["action"]["support"] == "full" and attributes["async"]["support"] == "none"


def test_the_modules_that_resend_secrets_or_rerun_jobs_say_so():
    def support(name):
        return documentation(name)["attributes"]["idempotent"]["support"]
    assert support("axis_share") == "partial"            # update_password: always
    assert support("axis_encryption") == "partial"       # update_passphrase: always
    assert support("axis_edge_storage") == "partial"     # items of both
    assert support("axis_recording_export") == "partial"  # force: true
    assert support("axis_disk_job") == "none"
