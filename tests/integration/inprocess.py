# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the collection's action plugins in this process against emulated cameras, without Ansible's executor.

A task runs through the action plugin's own code: the ``ActionModule`` class of
``plugins/action/<module>.py`` validates its arguments (its ``argument_spec``
and ``argument_rules``, ``VAPIX_*`` fallbacks, the task's ``environment:``),
runs its ``execute`` and masks the result, through ``AxisAction.run_validated``,
the method ``AxisAction.run`` calls once Ansible has templated the task. The
result is the dict the plugin returns to Ansible (a failure is a result with
``failed: true``, never an exception). What only Ansible adds is not here:
templating, ``module_defaults``, the play's inventory (a quota's ``group`` is
refused here, as outside any play), the callback's output (``--diff`` display,
``-vvvv``), async refusal; ``tests/integration/MOVED.md`` lists the playbook
tests that keep proving that plumbing.

Jobs are polled every millisecond (:func:`fast_job_polls`), so a job the
emulator ends after N polls finishes in milliseconds, not N back-off steps.

``run_task`` runs one task and returns its result; ``run_tasks`` runs a list of
playbook-shaped tasks (``{"name": ..., "vapix.edge_storage.axis_disk": {...}}``)
on one camera or several and returns an :class:`InProcessRun`, which answers
``result()``, ``rc``, ``changed`` and ``failed`` as ``harness.PlaybookRun`` does (both are ``TaskResults``),
so a scenario reads the same either way.
"""

from __future__ import annotations

import contextlib
import importlib

from ansible_collections.vapix.edge_storage.plugins.module_utils import _jobs
from ansible_collections.vapix.edge_storage.plugins.module_utils._client import environment_over
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import ProgressLines
from tests.integration.harness import TaskResults, connection_defaults

COLLECTION = "vapix.edge_storage."
# Seconds between two polls of a job in an in-process run (the engine backs off from 0.1 s to 1 s).
FAST_POLL_SECONDS = 0.001
# Task keywords run_tasks understands besides the module's own key; anything else needs ansible-playbook.
TASK_KEYWORDS = ("name", "environment", "ignore_errors")


@contextlib.contextmanager
def fast_job_polls(seconds=FAST_POLL_SECONDS):
    """Within the block, the engine polls camera jobs every ``seconds`` (first and longest interval)."""
    saved = (_jobs.FIRST_INTERVAL, _jobs.MAX_INTERVAL)
    _jobs.FIRST_INTERVAL = _jobs.MAX_INTERVAL = seconds
    try:
        yield
    finally:
        _jobs.FIRST_INTERVAL, _jobs.MAX_INTERVAL = saved


def action_plugin(module_name):
    """An instance of the module's ActionModule (plugins/action/<module>.py); it needs no executor to run."""
    short = module_name[len(COLLECTION):] if module_name.startswith(COLLECTION) else module_name
    plugin = importlib.import_module("ansible_collections.vapix.edge_storage.plugins.action.%s" % short)
    return plugin.ActionModule(task=None, connection=None, play_context=None, loader=None, templar=None), \
        COLLECTION + short


def run_task(camera_or_params, module_name, args, check=False, diff=False, env=None, environment=None,
             progress=None, defaults=None):
    """The result of one task of module_name (``axis_disk`` or its full name) with args, run in this process.

    ``camera_or_params``: an emulated camera (its connection options are filled
    in, as the playbooks' module_defaults do) or a dict of connection options
    (none, for a task that takes them from ``env``). ``defaults`` overrides the
    camera's connection options (None leaves one out). ``env``: controller
    environment variables for the run; ``environment``: the task's
    ``environment:``; ``progress``: called with each progress line. ``diff`` is
    the playbook's --diff.
    """
    if isinstance(camera_or_params, dict):
        params = dict(camera_or_params)
    else:
        params = connection_defaults(camera_or_params, hostname=camera_or_params.host, port=camera_or_params.port)
    params.update(defaults or {})
    # A connection option the defaults set to None is left out; the task's own arguments go as given, a null
    # one too, as ansible-playbook hands them to the plugin.
    params = {name: value for name, value in params.items() if value is not None}
    params.update(args)
    plugin, action = action_plugin(module_name)
    # what ansible-playbook's environment gives its workers: env over this process's
    with environment_over(env), fast_job_polls():
        return plugin.run_validated(action, params, dict(environment or {}), check, diff_mode=diff,
                                    progress=progress)


class InProcessRun(TaskResults):
    """What run_tasks did: every task result (each entry also says whether its task had ignore_errors)."""

    def __init__(self, results, progress_lines):
        super().__init__(results)
        self.progress_lines = progress_lines

    @property
    def rc(self):
        """ansible-playbook's exit status for these results: 2 when a task failed (and was not ignored)."""
        return 2 if any(e["status"] == "failed" and not e["ignored"] for e in self.results) else 0

    def __repr__(self):
        lines = ["{} {} {}: {!r}".format(e["host"], e["task"], e["status"], e["result"]) for e in self.results]
        return "InProcessRun(rc={}, changed={}, failed={})\n{}".format(
            self.rc, self.changed, self.failed, "\n".join(lines))


def _module_of(task):
    """The (module name, args) of a playbook-shaped task; a keyword only Ansible knows is an error."""
    modules = [key for key in task if key not in TASK_KEYWORDS]
    if len(modules) != 1 or not modules[0].startswith(COLLECTION):
        raise ValueError("run_tasks runs tasks of this collection with the keywords %s only; run %r with "
                         "harness.run_playbook" % (", ".join(TASK_KEYWORDS), task))
    return modules[0], task[modules[0]] or {}


def run_tasks(cameras, tasks, check=False, diff=False, defaults=None, env=None):
    """Run playbook-shaped tasks on one camera or a list of them (hosts cam0, cam1, ...), in this process.

    As a play does: each host runs the tasks in order and stops at its first
    failed task unless the task has ``ignore_errors``. Arguments are used as
    given (no templating).
    """
    if not isinstance(cameras, (list, tuple)):
        cameras = [cameras]
    results = []
    progress_lines = []
    for index, camera in enumerate(cameras):
        host = "cam%d" % index
        for task in tasks:
            module_name, args = _module_of(task)
            result = run_task(camera, module_name, args, check=check, diff=diff, env=env,
                              environment=task.get("environment"), defaults=defaults,
                              progress=ProgressLines(host, progress_lines.append))
            status = "failed" if result.get("failed") else "changed" if result.get("changed") else "ok"
            ignored = bool(task.get("ignore_errors"))
            results.append({"task": task.get("name", module_name), "host": host, "status": status,
                            "ignored": ignored, "result": result})
            if status == "failed" and not ignored:
                break
    return InProcessRun(results, progress_lines)
