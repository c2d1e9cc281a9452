# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module's RETURN documents what the module really returns, the shared keys in one wording.

The keys every module shares are worded once, in the RETURN of the
``vapix.edge_storage.results`` doc fragment; ansible-doc does not merge RETURN
from fragments, so each module's RETURN holds a copy of the entries it needs,
and this test pins each copy to the fragment. Which keys a module returns is
taken from the module itself: each module runs here, as its action plugin runs
it, against the emulated camera (in check and diff mode on a current and on a
5.51 camera, and with a wrong password); every key of its results must be
documented, and every shared key it documents must have been returned, except
the failure details these runs do not bring about, which CONDITIONAL lists
with the modules that can return them. ``report_files`` talks to no camera
(it writes files on the controller): it runs here on a scratch directory.
"""

from __future__ import annotations

import importlib
import os
import re
import tempfile
from pathlib import Path

import pytest
import yaml

from ansible_collections.vapix.edge_storage.plugins.doc_fragments.results import ModuleDocFragment
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import AxisAction
from scripts.sync_result_docs import entries, synced
from tests.emulator import EmulatorFleet
from tests.integration.inprocess import run_task

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"
MODULES = sorted(path.stem for path in (PLUGINS / "modules").glob("*.py"))
# The modules that talk to a camera; the others (report_files) write on the controller.
CAMERA_MODULES = [name for name in MODULES if issubclass(importlib.import_module(
    "ansible_collections.vapix.edge_storage.plugins.action.%s" % name).ActionModule, AxisAction)]
SHARED = yaml.safe_load(ModuleDocFragment.RETURN)

# Keys Ansible documents for every module itself (common return values); timedout is the key Ansible sets for a
# task its keyword timeout stopped, which a camera module's failure then carries too (TaskTimedOut).
COMMON = {"changed", "failed", "invocation", "warnings", "exception", "skipped", "timedout"}
ALL = "every camera module"
CONVERGING = ("axis_continuous_profile", "axis_disk", "axis_edge_storage", "axis_encryption", "axis_recording_group",
              "axis_recording_settings", "axis_share", "axis_storage_limit")
# Shared keys the runs here need not bring about, and the modules that can return them.
CONDITIONAL = {
    # a step failed: the engine's step runner reads the resource again (module_utils/_engine.py _Progress),
    # and the jobs, removals and exports run their steps through it or read the disk again themselves
    "state_now": CONVERGING + ("axis_disk_job", "axis_recording", "axis_recording_export"),
    # planning found a problem: the engine's converge() raises PlanError
    "problems": CONVERGING,
    # the re-read after the run differs: the engine's verify, and the removal's re-read of the recordings
    "mismatches": CONVERGING + ("axis_recording",),
    # the client finds an API missing (a 404 after VAPIX answers), in any request of any camera module
    "unsupported": ALL,
    "reason": ALL,
}
# What a module's copy may have beside the shared entry.
OWN_FIELDS = {"sample", "contains"}

# One task a module runs successfully on the emulator's default camera (SD card mounted, no share).
TASKS = {
    "axis_continuous_profile": {"disk_id": "SD_DISK", "event_id": "continuous_sd", "options": {"fps": 15}},
    "axis_disk": {"disk_id": "SD_DISK", "cleanup_max_age": 30},
    "axis_disk_job": {"disk_id": "SD_DISK", "action": "check"},
    "axis_edge_storage": {"disks": [{"disk_id": "SD_DISK", "cleanup_max_age": 30}]},
    "axis_encryption": {"disk_id": "SD_DISK", "enabled": False},
    "axis_recording": {"disk_id": "SD_DISK"},
    # check mode creates no directory, but checks that it could be created: under the temporary directory
    "axis_recording_export": {"dest": os.path.join(tempfile.gettempdir(), "vapix-result-docs", "exports"),
                              "start": "2000-01-01T00:00:00Z"},
    "axis_recording_group": {"id": "week", "disk_id": "SD_DISK", "retention": "7d"},
    "axis_recording_info": {},
    "axis_recording_settings": {"default_disk_id": "SD_DISK"},
    "axis_share": {"name": "nas1", "address": "nas.example.com", "share": "cameras", "bound": True},
    "axis_storage_info": {},
    "axis_storage_limit": {"disk_id": "SD_DISK", "size": "1 GiB"},
}


def module_return(name):
    source = (PLUGINS / "modules" / ("%s.py" % name)).read_text()
    return yaml.safe_load(re.search(r'RETURN = r"""(.*?)"""', source, re.S).group(1))


def copy_differences(key, documented, shared):
    """Sentences naming how a module's entry for a shared key departs from the shared entry."""
    found = []
    for field in sorted(set(shared) | set(documented)):
        if field == "description":
            own = documented.get("description")
            own = [own] if isinstance(own, str) else list(own or [])
            if own[:len(shared["description"])] != shared["description"]:
                found.append("%s: the description does not start with the shared one" % key)
        elif field not in OWN_FIELDS and documented.get(field) != shared.get(field):
            found.append(f"{key}: {field} is {documented.get(field)!r}, shared {shared.get(field)!r}")
    return found


def test_the_shared_entries_are_complete():
    for key, entry in SHARED.items():
        assert entry["description"] and isinstance(entry["description"], list), key
        assert entry["returned"] and entry["type"], key


@pytest.mark.parametrize("name", MODULES)
def test_shared_keys_are_documented_in_the_one_wording(name):
    documented = module_return(name)
    found = []
    for key in sorted(set(documented) & set(SHARED)):
        found.extend(copy_differences(key, documented[key], SHARED[key]))
    assert found == [], "run scripts/sync_result_docs.py"


@pytest.mark.parametrize("name", MODULES)
def test_the_copies_are_what_the_sync_script_writes(name):
    source = (PLUGINS / "modules" / ("%s.py" % name)).read_text()
    assert synced(source, entries(ModuleDocFragment.RETURN)) == source, "run scripts/sync_result_docs.py"


def test_the_sync_script_rewrites_the_shared_part_and_keeps_the_modules_own():
    shared = entries("requests:\n  description:\n    - Requests sent.\n  returned: success\n  type: int\n")
    source = ('RETURN = r"""\nrequests:\n  description: How many requests.\n  returned: always\n  type: int\n'
              '  sample: 9\nown:\n  description: Mine.\n  type: str\n"""\n')
    assert synced(source, shared) == (
        'RETURN = r"""\nrequests:\n  description:\n    - Requests sent.\n  returned: success\n  type: int\n'
        '  sample: 9\nown:\n  description: Mine.\n  type: str\n"""\n')
    with_own_item = source.replace("  description: How many requests.\n",
                                   "  description:\n    - Requests sent.\n    - Reads too.\n")
    assert "    - Requests sent.\n    - Reads too.\n  returned: success" in synced(with_own_item, shared)


@pytest.fixture(scope="module")
def old_camera():
    fleet = EmulatorFleet(count=1, profile="legacy", job_seconds=None)
    fleet.start()
    yield fleet.cameras[0]
    fleet.stop()


@pytest.mark.parametrize("name", CAMERA_MODULES)
def test_documented_keys_are_the_returned_ones(name, camera, old_camera):
    assert set(TASKS) == set(CAMERA_MODULES)
    success = run_task(camera, name, TASKS[name], check=True, diff=True)
    assert not success.get("failed"), success["msg"]
    failure = run_task(camera, name, TASKS[name], check=True, diff=True, defaults={"password": "wrong"})
    assert failure["failed"] and failure["error_class"] == "auth"
    on_old_firmware = run_task(old_camera, name, TASKS[name], check=True, diff=True)
    returned = (set(success) | set(failure) | set(on_old_firmware)) - COMMON
    documented = set(module_return(name))
    always = {key for key, entry in module_return(name).items() if entry.get("returned") == "always"}
    for run in (success, failure, on_old_firmware):
        assert sorted(always - set(run)) == [], "documented as returned always, not returned: %r" % run
    assert sorted(returned - documented) == [], "returned but not documented"
    assert sorted((documented & set(SHARED)) - returned - set(CONDITIONAL)) == [], "documented but not returned"
    for key, modules in CONDITIONAL.items():
        assert (key in documented) == (modules == ALL or name in modules), key


def test_report_files_documents_the_keys_it_returns(tmp_path):
    """A write, a check-mode run, a refused name and a failed write (dest below a file) on the controller."""
    assert "report_files" not in CAMERA_MODULES
    args = {"dest": str(tmp_path / "reports"), "files": {"summary.txt": "3 cameras\n"}}
    (tmp_path / "a-file").write_text("")
    runs = [run_task({}, "report_files", args), run_task({}, "report_files", args, check=True),
            run_task({}, "report_files", dict(args, files={"../summary.txt": ""})),
            run_task({}, "report_files", dict(args, dest=str(tmp_path / "a-file" / "reports")))]
    assert [bool(run.get("failed")) for run in runs] == [False, False, True, True]
    returned = set().union(*runs) - COMMON
    assert sorted(returned) == sorted(module_return("report_files"))


def test_the_runs_bring_about_the_failure_details_of_the_old_firmware(old_camera):
    """The conditional keys are not all left to reading the code: a 5.51 camera lacks recording groups."""
    result = run_task(old_camera, "axis_recording_group", TASKS["axis_recording_group"], check=True)
    assert result["error_class"] == "unsupported"
    assert {"problems", "unsupported", "reason"} <= set(result)


def test_a_departing_copy_is_found():
    shared = SHARED["requests"]
    assert copy_differences("requests", dict(shared, sample=9), shared) == []
    assert copy_differences("requests", dict(shared, description=shared["description"] + ["More."]), shared) == []
    assert copy_differences("requests", dict(shared, returned="always", description="How many requests."), shared) == [
        "requests: the description does not start with the shared one",
        "requests: returned is 'always', shared 'success'",
    ]
