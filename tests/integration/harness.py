# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run real ``ansible-playbook`` against emulated cameras and read back every task result.

Each run writes an inventory (one host per camera, nothing but the camera's
address: no ``ansible_connection``, no interpreter, so every test runs the
collection's action plugins on the controller), a playbook whose
``module_defaults`` point the collection's action group at the camera, and
collects each task result through the ``result_recorder`` callback.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
CALLBACKS = Path(__file__).resolve().parent / "callback_plugins"
_COLLECTIONS = None


def collections_path():
    """A directory holding ansible_collections/vapix/edge_storage -> this checkout."""
    global _COLLECTIONS
    if _COLLECTIONS is None:
        root = Path(tempfile.mkdtemp(prefix="vapix-collections-"))
        link = root / "ansible_collections" / "vapix" / "edge_storage"
        link.parent.mkdir(parents=True)
        link.symlink_to(REPO)
        atexit.register(shutil.rmtree, str(root), ignore_errors=True)
        _COLLECTIONS = root
    return _COLLECTIONS


def ansible_bin(name):
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if not found:
        raise RuntimeError("%s not found: run scripts/setup first" % name)
    return found


class TaskResults:
    """Every task result of a run, as {"task", "host", "status", "result"} entries in the order they came."""

    def __init__(self, results):
        self.results = results

    def result(self, task=None, host=None):
        """The result dict of the last task named task (any task when None) on host."""
        for entry in reversed(self.results):
            if (task is None or entry["task"] == task) and (host is None or entry["host"] == host):
                return entry["result"]
        raise KeyError("no result for task %r on host %r; tasks run: %s"
                       % (task, host, [e["task"] for e in self.results]))

    def statuses(self, status):
        return [e for e in self.results if e["status"] == status]

    @property
    def changed(self):
        """How many task results reported changed."""
        return len(self.statuses("changed"))

    @property
    def failed(self):
        return len(self.statuses("failed"))


class PlaybookRun(TaskResults):
    """What one ansible-playbook run did."""

    def __init__(self, rc, stdout, stderr, results):
        super().__init__(results)
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr

    def __repr__(self):
        return "PlaybookRun(rc={}, changed={}, failed={})\n{}\n{}".format(
            self.rc, self.changed, self.failed, self.stdout[-4000:], self.stderr[-2000:])


def connection_defaults(camera, username="root", password="pass", hostname="{{ camera_host }}",
                        port="{{ camera_port }}"):
    """The connection options of one emulated camera (http, or https with its CA): by default module_defaults
    that read the camera's address from its inventory variables."""
    defaults = {
        "hostname": hostname,
        "port": port,
        "protocol": "https" if getattr(camera, "ca_path", None) else "http",
        "username": username,
        "password": password,
    }
    if getattr(camera, "ca_path", None):
        defaults["ca_path"] = camera.ca_path
    return defaults


def _ansible_env(work, env):
    """The environment of one ansible-playbook run: this checkout as the collection, results recorded."""
    run_env = dict(os.environ)
    run_env.update({
        "ANSIBLE_CONFIG": str(work / "ansible.cfg"),
        "ANSIBLE_COLLECTIONS_PATH": str(collections_path()),
        "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACKS),
        "ANSIBLE_CALLBACKS_ENABLED": "result_recorder",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_LOCAL_TEMP": str(work / "tmp"),
        "PWD": str(work),                   # the run's directory (default report directories are under it)
        "VAPIX_RESULTS_FILE": str(work / "results.jsonl"),
    })
    run_env.update(env or {})
    return run_env


def run_playbook_in(work, playbook, options=(), env=None, timeout=600):
    """Run ansible-playbook on the playbook with work/inventory.yml (see write_inventory), in work; return
    what it did, with every task result. ``options`` are more command-line options; ``env`` is added to
    the environment."""
    command = [ansible_bin("ansible-playbook"), "-i", str(work / "inventory.yml"), str(playbook)] + list(options)
    return _run(work, command, _ansible_env(work, env), timeout)


def _run(work, command, run_env, timeout):
    """Run ansible-playbook in work; return what it did, with every task result."""
    (work / "ansible.cfg").write_text("[defaults]\nretry_files_enabled = False\n")
    proc = subprocess.run(command, cwd=str(work), env=run_env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL, check=False)
    results_file = work / "results.jsonl"
    results = []
    if results_file.exists():
        results = [json.loads(line) for line in results_file.read_text().splitlines() if line.strip()]
    return PlaybookRun(proc.returncode, proc.stdout, proc.stderr, results)


def write_inventory(work, hosts, group_vars=None, groups=None):
    """inventory.yml with the group 'cameras': hosts (name -> variables) and no connection settings;
    group_vars on every camera; groups (name -> host names) become child groups of 'cameras'."""
    inventory = {"cameras": {
        "vars": dict(group_vars or {}),
        "hosts": hosts,
        "children": {name: {"hosts": {host: None for host in members}}
                     for name, members in (groups or {}).items()},
    }}
    (work / "inventory.yml").write_text(yaml.safe_dump(inventory))


def _options(check, diff, verbosity):
    return (["--check"] if check else []) + (["--diff"] if diff else []) + (["-" + "v" * verbosity] if verbosity else [])


def run_collection_playbook(name, hosts, check=False, verbosity=0, env=None, timeout=600, groups=None,
                            limit=None, extra_vars=None):
    """Run one of the collection's own playbooks (playbooks/<name>) on the inventory group 'cameras'.

    ``hosts`` maps host name to its host variables (the collection runs on the
    controller; the hosts get no connection settings). ``env`` is added to the environment (e.g. VAPIX_*
    credentials). ``groups`` adds child groups (name -> host names); ``limit`` is passed as --limit;
    ``extra_vars`` go in with -e (as JSON).
    """
    work = Path(tempfile.mkdtemp(prefix="vapix-play-"))
    try:
        write_inventory(work, hosts, groups=groups)
        options = _options(check, False, verbosity)
        if limit:
            options += ["--limit", limit]
        if extra_vars:
            options += ["-e", json.dumps(extra_vars)]
        return run_playbook_in(work, REPO / "playbooks" / name, options, env, timeout)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_playbook(cameras, tasks, check=False, diff=False, verbosity=0, defaults=None, env=None,
                 forks=5, timeout=600, inventory_vars=None):
    """Run tasks on one camera or a list of them with real ansible-playbook.

    ``defaults`` overrides the connection defaults (e.g. another user; None
    leaves an option out). ``inventory_vars`` are set on every camera host.
    Returns a PlaybookRun; never raises on a failed play (tests assert on it).
    """
    if not isinstance(cameras, (list, tuple)):
        cameras = [cameras]
    module_defaults = connection_defaults(cameras[0])
    module_defaults.update(defaults or {})
    module_defaults = {name: value for name, value in module_defaults.items() if value is not None}
    work = Path(tempfile.mkdtemp(prefix="vapix-play-"))
    try:
        write_inventory(work, {"cam%d" % index: {"camera_host": cam.host, "camera_port": cam.port}
                               for index, cam in enumerate(cameras)}, inventory_vars)
        playbook = [{
            "name": "integration test",
            "hosts": "cameras",
            "gather_facts": False,
            "module_defaults": {"group/vapix.edge_storage.vapix": module_defaults},
            "tasks": tasks,
        }]
        (work / "playbook.yml").write_text(yaml.safe_dump(playbook, sort_keys=False))
        command = [ansible_bin("ansible-playbook"), "-i", str(work / "inventory.yml"),
                   str(work / "playbook.yml")] + _options(check, diff, verbosity)
        return _run(work, command, _ansible_env(work, dict({"ANSIBLE_FORKS": str(forks)}, **(env or {}))), timeout)
    finally:
        shutil.rmtree(work, ignore_errors=True)
