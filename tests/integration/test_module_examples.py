# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module's EXAMPLES run, task by task, against an emulated camera, and their results match RETURN.

A reader copies an example into a play; here each example of each module runs
as that play would run it, in order, on one emulated camera brought into a
state where every task has something to do (SCENARIOS). Only what a play
would take from elsewhere is given: the connection options (module_defaults),
the vault variables (VARIABLES) and, for the export and report examples, a
destination under the test's scratch directory instead of ``/srv`` or
``/var/lib`` (DESTINATIONS). Templates (``{{ }}``), ``when``, ``register``,
``check_mode``, ``diff``, and the ``ansible.builtin.debug`` and
``ansible.builtin.assert`` tasks are evaluated with Ansible's own templar.

For each task of the collection:
- it ends as its name says (SCENARIOS lists changed, ok, skipped per task);
- run in check mode first, on the same state, it sends no write and predicts
  the same changed and the same steps as the real run;
- every key of its results is documented in its module's RETURN (or one
  Ansible documents for every module), a key RETURN says is returned
  ``always`` is there, a key returned ``success`` is in every successful
  result, and each value has the documented type, with every sub-key of a
  documented ``contains`` documented there; the sample of a part an info
  module reads shows the keys of a part the camera supports.
"""

from __future__ import annotations

import datetime
import importlib
from pathlib import Path

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.vapix.edge_storage.plugins.plugin_utils import _report_audit
from tests.emulator.model import Recording
from tests.functional.test_result_docs import COMMON, module_return
from tests.integration.inprocess import run_task
from tests.unit.test_docs_match_spec import MODULES, PREFIX, examples, tasks_in

try:  # ansible-core 2.19 renders only trusted templates; before it, every string is one
    from ansible.template import trust_as_template
except ImportError:  # pragma: no cover
    def trust_as_template(value):
        return value

# The vault variables the examples use, as a play would give them (the NAS password is the emulator's).
VARIABLES = {
    "vault_camera_password": "pass",
    "vault_nas_password": "s3cr&t=x",
    "vault_nas2_password": "other-nas-password",
    "vault_sd_passphrase": "first passphrase 2026",
    "vault_sd_passphrase_2027": "second passphrase 2027",
    "vault_evidence_password": "zip password for INC-4711",
}
# Controller paths the examples write to, and where they go here (under the test's tmp_path).
DESTINATIONS = ("/srv/", "/var/lib/")
# The collection's Python filters by their full names: the templar here runs without Ansible's collection loader.
COLLECTION_FILTERS = {
    PREFIX + name: function
    for path in sorted((Path(__file__).resolve().parents[2] / "plugins" / "filter").glob("*.py"))
    for name, function in importlib.import_module(
        "ansible_collections.vapix.edge_storage.plugins.filter." + path.stem).FilterModule().filters().items()
}
PYTHON_TYPES = {"dict": dict, "list": list, "str": str, "int": int, "bool": bool, "float": (int, float)}


def _recording(camera, rec_id, disk_id, start, minutes, event_id, profile=None):
    stop = None if minutes is None else start + datetime.timedelta(minutes=minutes)
    recording = Recording(rec_id, disk_id, start, stop, event_id, "continuous" if profile else "triggered",
                          event_id, "", profile=profile)
    with camera.model.lock:
        camera.model.recordings.append(recording)


def _at(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def prepare_disk(camera):
    """A vfat SD card, so that moving it to ext4 formats it."""
    with camera.model.lock:
        camera.model.disk("SD_DISK").filesystem = "vfat"


def prepare_disk_job(camera):
    """File system errors on the SD card, so that the check finds them and the repair runs."""
    camera.inject(corrupt="SD_DISK")


def prepare_continuous_profile(camera):
    """A profile on the network share, with the event id of the third example: the first (exclusive) removes it,
    so the third finds it stopped already."""
    camera.model.add_profile("NetworkShare", "resolution=640x360", "continuous_nas")


def prepare_edge_storage(camera):
    """An undeclared recording group, which the purge deletes."""
    camera.model.create_group("old-group", disk_id="SD_DISK", retention="24")


def prepare_recording(camera):
    """Recordings of the commissioning period, of a test event (one still running) and the two of the ticket."""
    with camera.model.lock:
        camera.model.recordings = []
    now = camera.model.now()
    _recording(camera, "20261020_080000_0001_ACCC8E000001", "SD_DISK", _at("2026-10-20T08:00:00Z"), 5, "motion")
    _recording(camera, "20261120_080000_1A2B_ACCC8E000001", "SD_DISK", _at("2026-11-20T08:00:00Z"), 5, "motion")
    _recording(camera, "20261121_123000_3C4D_ACCC8E000001", "SD_DISK", _at("2026-11-21T12:30:00Z"), 5, "motion")
    _recording(camera, "20261122_080000_5E6F_ACCC8E000001", "SD_DISK", now - datetime.timedelta(hours=3), 5,
               "test_motion")
    _recording(camera, "20261122_090000_7A8B_ACCC8E000001", "SD_DISK", now - datetime.timedelta(minutes=1), None,
               "test_motion")


def prepare_recording_export(camera):
    """A recording in the incident's window and a motion recording an hour ago."""
    with camera.model.lock:
        camera.model.recordings = []
    _recording(camera, "20261129_221500_AAAA_ACCC8E000001", "SD_DISK", _at("2026-11-29T22:15:00Z"), 10, "motion")
    _recording(camera, "20261130_000000_BBBB_ACCC8E000001", "SD_DISK",
               camera.model.now() - datetime.timedelta(hours=1), 5, "motion")


def prepare_recording_group(camera):
    """The old group the last example deletes."""
    camera.model.create_group("old-group", disk_id="SD_DISK", retention="24")


def prepare_recording_info(camera):
    """A continuous profile that has recorded without a gap for 31 days."""
    number = camera.model.add_profile("SD_DISK", "resolution=1280x720", "continuous")
    with camera.model.lock:
        camera.model.recordings = []
    _recording(camera, "20261030_000000_CCCC_ACCC8E000001", "SD_DISK",
               camera.model.now() - datetime.timedelta(days=31), None, "continuous", profile=number)


def prepare_share(camera):
    """A share old-nas beside the nas1 the first example adds: the fourth (exclusive) removes it, so the fifth
    finds it gone already."""
    camera.model.add_share("old-nas", "old.example.com", "cameras", shareid="old-nas", user="cam", password="x")


def prepare_storage_info(camera):
    """A worn SD card, so that the warning task has something to say."""
    with camera.model.lock:
        camera.model.disk("SD_DISK").wear = 85


def prepare_storage_limit(camera):
    """A limit on the SD card, which the third example lifts."""
    camera.model.set_limit("SD_DISK", "2097152")


# module: (camera profile, preparation, how each task of its EXAMPLES ends, in order)
SCENARIOS = {
    "axis_continuous_profile": ("modern", prepare_continuous_profile, ["changed", "ok", "ok"]),
    "axis_disk": ("modern-share", prepare_disk, ["changed"] * 5),
    "axis_disk_job": ("modern", prepare_disk_job, ["changed"] * 3),
    "axis_edge_storage": ("modern", prepare_edge_storage, ["changed", "changed"]),
    "axis_encryption": ("modern", None, ["changed"] * 4),
    "axis_recording": ("modern", prepare_recording, ["changed"] * 3),
    "axis_recording_export": ("modern-export-zip", prepare_recording_export, ["changed", "changed"]),
    "axis_recording_group": ("modern-share", prepare_recording_group, ["changed"] * 4),
    "axis_recording_info": ("modern", prepare_recording_info, ["ok"] * 4),
    "axis_recording_settings": ("modern-share", None, ["changed"]),
    "axis_share": ("modern", prepare_share, ["changed"] * 4 + ["ok"]),
    "axis_storage_info": ("modern-share", prepare_storage_info, ["ok"] * 5),
    "axis_storage_limit": ("modern-share", prepare_storage_limit, ["changed", "ok", "changed", "ok"]),
    "report_files": ("modern", None, ["changed", "changed"]),
}


def trusted(value):
    """value with every string marked as a template, as Ansible marks the strings of a playbook."""
    if isinstance(value, str):
        return trust_as_template(value)
    if isinstance(value, list):
        return [trusted(item) for item in value]
    if isinstance(value, dict):
        return {key: trusted(item) for key, item in value.items()}
    return value


def moved(value, tmp_path):
    """value with a controller path of the examples moved under tmp_path."""
    if isinstance(value, str):
        for prefix in DESTINATIONS:
            if value.startswith(prefix):
                return str(tmp_path / value[1:])
    return value


def documentation_problems(name, result):
    """Sentences naming how one result departs from the module's RETURN."""
    documented = module_return(name)
    found = ["%s: returned but not documented" % key for key in sorted(set(result) - set(documented) - COMMON)]
    for key, entry in documented.items():
        returned = str(entry.get("returned", ""))
        if key not in result:
            if returned == "always" or (returned == "success" and not result.get("failed")):
                found.append(f"{key}: documented as returned {returned}, not returned")
            continue
        found.extend(value_problems(key, entry, result[key]))
        sample = entry.get("sample")
        if isinstance(sample, dict) and isinstance(result[key], dict) and result[key].get("supported") is True \
                and sorted(sample) != sorted(result[key]):
            found.append("%s: the sample shows the keys %s, a part the camera supports has %s"
                         % (key, sorted(sample), sorted(result[key])))
    return found


def value_problems(path, entry, value):
    found = []
    expected = PYTHON_TYPES.get(entry.get("type"))
    if expected and value is not None and (not isinstance(value, expected) or isinstance(value, bool) and
                                           entry["type"] != "bool"):
        found.append(f"{path}: documented as {entry['type']}, returned {value!r}")
    contains = entry.get("contains")
    if contains and isinstance(value, dict):
        found.extend(f"{path}.{key}: returned but not documented" for key in sorted(set(value) - set(contains)))
        for key, sub in contains.items():
            if key in value:
                found.extend(value_problems(f"{path}.{key}", sub, value[key]))
            elif str(sub.get("returned", "always")) == "always":
                found.append(f"{path}.{key}: documented as always returned, not returned")
    return found


class ExampleRun:
    """One module's examples in order on one camera, as a play runs them; asserts as it goes."""

    def __init__(self, name, camera, tmp_path):
        self.name = name
        self.camera = camera
        self.tmp_path = tmp_path
        self.variables = dict(VARIABLES, inventory_hostname="cam0", ansible_host=camera.host,
                              playbook_dir=str(tmp_path / "playbook"))
        self.problems = []
        self.statuses = []
        self.predicted = self.result = None

    def templar(self):
        """Ansible's templar with the play's variables and this collection's filters (its FQCNs)."""
        templar = Templar(loader=DataLoader(), variables=self.variables)
        templar.environment.filters.update(COLLECTION_FILTERS)
        return templar

    def template(self, value):
        return self.templar().template(trusted(value))

    def true(self, condition):
        return self.templar().evaluate_conditional(trust_as_template(condition))

    def run(self, task):
        conditions = task.get("when", [])
        if not all(self.true(condition) for condition in (conditions if isinstance(conditions, list)
                                                          else [conditions])):
            return "skipped"
        if "ansible.builtin.debug" in task:
            self.template(task["ansible.builtin.debug"])
            return "ok"
        if "ansible.builtin.assert" in task:
            asserted = task["ansible.builtin.assert"]
            that = asserted["that"] if isinstance(asserted["that"], list) else [asserted["that"]]
            if all(self.true(condition) for condition in that):
                return "ok"
            self.problems.append(f"{task['name']!r}: {self.template(asserted.get('fail_msg', ''))}")
            return "failed"
        module = next(key for key in task if key.startswith(PREFIX))
        short = module[len(PREFIX):]
        args = {key: moved(value, self.tmp_path) for key, value in self.template(task[module] or {}).items()}
        where = {} if short == "report_files" else self.camera
        diff = bool(task.get("diff"))
        if "check_mode" not in task:
            self.compare_with_check_mode(task, short, where, args, diff)
        result = run_task(where, short, args, check=bool(task.get("check_mode")), diff=diff)
        self.problems.extend(f"{task['name']!r}: {problem}" for problem in documentation_problems(short, result))
        if result.get("failed"):
            self.problems.append("{!r} failed: {}".format(task["name"], result.get("msg")))
        if "register" in task:
            self.variables[task["register"]] = result
        self.result = result
        return "failed" if result.get("failed") else "changed" if result.get("changed") else "ok"

    def compare_with_check_mode(self, task, short, where, args, diff):
        """Run the task in check mode: no write, and what the real run will then do, predicted."""
        writes = self.camera.write_count()
        predicted = run_task(where, short, args, check=True, diff=diff)
        self.problems.extend(f"{task['name']!r} in check mode: {problem}"
                             for problem in documentation_problems(short, predicted))
        if self.camera.write_count() != writes:
            self.problems.append("%r: check mode sent a write" % task["name"])
        self.predicted = predicted

    def run_all(self):
        for task in (task for task in tasks_in(examples(self.name)) if "block" not in task):
            self.predicted = self.result = None
            status = self.run(task)
            self.statuses.append(status)
            if self.predicted is not None and status in ("changed", "ok"):
                self.check_prediction(task, status, self.result)
            if status == "failed":
                break
        return self

    def check_prediction(self, task, status, real):
        predicted = self.predicted
        if predicted.get("failed") or bool(predicted.get("changed")) != (status == "changed"):
            self.problems.append(f"{task['name']!r}: check mode predicted changed={predicted.get('changed')} "
                                 f"({predicted.get('msg', 'no failure')}), the real run was {status}")
        if "steps" in real and predicted.get("steps") != real.get("steps"):
            self.problems.append("%r: check mode predicted the steps %r, the real run did %r"
                                 % (task["name"], predicted.get("steps"), real.get("steps")))


def test_every_module_has_a_scenario():
    assert sorted(SCENARIOS) == MODULES


@pytest.mark.parametrize("name", MODULES)
def test_examples_run_as_their_names_say_and_return_what_is_documented(name, make_camera, tmp_path):
    profile, prepare, statuses = SCENARIOS[name]
    camera = make_camera(profile, job_seconds=None)
    if prepare:
        prepare(camera)
    runner = ExampleRun(name, camera, tmp_path)
    if name == "report_files":
        audit = run_task(camera, "axis_edge_storage", {"disks": [{"disk_id": "SD_DISK", "cleanup_max_age": 30}]},
                         check=True)
        runner.variables["audit_report"] = _report_audit.build_audit_report({"cam0": audit})
    runner.run_all()
    assert runner.problems == []
    assert runner.statuses == statuses
