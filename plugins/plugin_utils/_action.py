# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action plugin base every module of the collection runs as.

A task of this collection runs in Ansible's worker process on the
controller: no module process, no connection to the inventory host (a
camera's inventory needs no ``ansible_connection`` and no interpreter).
:class:`ControllerAction` validates the task's arguments as ``AnsibleModule``
would (same rules, same messages, environment fallbacks also from the task's
``environment:``) and runs the plugin's ``execute`` with the validated task;
the result is masked like a module's: every ``no_log`` value is removed from
it, ``invocation`` included. :class:`AxisAction`, the base of the camera
modules, adds the connection options and hands the validated task to
``AxisModule`` (``module_utils/_module.py``), which runs the engine.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import signal
import threading
import time
import weakref
from collections.abc import Mapping

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase

from ansible_collections.vapix.edge_storage.plugins.module_utils import _share_quota
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import TaskTimedOut, ValidationError
from ansible_collections.vapix.edge_storage.plugins.module_utils._options import (
    alias_warnings,
    converted_text,
    misread_values,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import (
    AxisModule,
    full_argument_spec,
    without_unset_connection_options,
)

# At most one progress line per camera in this many seconds.
PROGRESS_INTERVAL = 3.0

ASYNC_REFUSED = (
    "%s runs on the controller as an action plugin and cannot run with 'async': remove 'async' and 'poll' "
    "from the task."
)
# What a camera module's task bounds and shows instead, said after ASYNC_REFUSED.
CAMERA_JOBS_INSTEAD_OF_ASYNC = (
    " Long camera jobs are bounded by the job_timeout option, and their progress is shown "
    "on the controller while they run (lines like 'cam07: format of disk SD_DISK 40%')."
)


class _Attempts:
    """What the earlier attempts of one task (until/retries) left, kept per task object of the worker process
    (_ATTEMPTS), since Ansible keeps only the last attempt's result.

    ``changes``: what each attempt changed (attempt_changes). Without it, an attempt that found nothing left to do
    after one that wrote and failed would report the task unchanged (and notify no handler). ``timed_out``: the
    result of the attempt the task's keyword timeout stopped. Ansible's own timeout ends a task without another
    attempt, and so does this one: what the stopped attempt sent, a format, may still be under way, and another
    attempt could start it again once it ends.
    """

    def __init__(self):
        self.changes = []
        self.timed_out = None


_ATTEMPTS = weakref.WeakKeyDictionary()


def attempt_changes(result):
    """What one attempt's (masked) result says it changed, as a sentence; None when it changed nothing."""
    if not result.get("changed"):
        return None
    if result.get("failed"):
        steps = list(result.get("completed_steps") or [])
        if result.get("failed_step"):
            steps.append("%s (the step that failed; it may have been carried out)" % result["failed_step"])
    else:
        steps = list(result.get("steps") or [])
    writes = result.get("writes")
    done = "; ".join(steps) if steps else "changes"
    return done + (" (%d write(s))" % writes if writes else "")


def with_earlier_attempts(result, earlier):
    """result, changed when an earlier attempt of the same task (in earlier: their attempt_changes) changed
    something, with a warning naming it; this attempt's own changes are added to earlier."""
    if earlier:
        result["changed"] = True
        result.setdefault("warnings", []).append(
            "An earlier attempt of this task (until/retries) made changes: %s. The task is reported "
            "changed for it, whatever this attempt found." % "; then ".join(earlier))
    changes = attempt_changes(result)
    if changes:
        earlier.append(changes)
    return result


# Said after the message of a timed-out attempt's result, which later attempts return (_Attempts.timed_out).
NOT_AGAIN = ("The task was not attempted again (until/retries) after its timeout ran out, as Ansible does not "
             "attempt a task its timeout stops again: this is the stopped attempt's result")


class TaskExit(Exception):
    """The end of a task: its result, already masked."""

    def __init__(self, result):
        super().__init__(result.get("msg", ""))
        self.result = result


def plain(value):
    """value as plain Python data, as a module process receives its arguments: mappings, lists, str, int,
    float, bool and None. ansible-core 2.19 hands an action plugin its arguments as tagged subclasses of
    these types (with their origin and trust), which every later access pays for: a camera's no-op took
    23 ms of CPU in the plugin with them, 19.5 ms without."""
    if isinstance(value, Mapping):
        return {plain(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if value is None or isinstance(value, bool):
        return value
    for kind in (str, int, float):
        if isinstance(value, kind):
            return kind(value)
    return value


def environment_fallbacks(argument_spec, environment):
    """The spec with every fallback reading the task's environment first.

    Every fallback of the collection names environment variables (VAPIX_*);
    the action plugin runs in the worker, whose environment is the
    controller's, so a variable the task's ``environment:`` sets (not empty)
    wins, and the spec's own fallback strategy reads the controller's.
    """
    def task_environment_first(strategy):
        def fallback(*names, **kwargs):
            for name in names:
                if environment.get(name) not in (None, ""):
                    return str(environment[name])
            return strategy(*names, **kwargs)
        return fallback

    spec = {}
    for name, option in argument_spec.items():
        option = dict(option)
        fallback = option.get("fallback")
        if fallback and fallback[0] is not None:
            option["fallback"] = (task_environment_first(fallback[0]),) + tuple(fallback[1:])
        if option.get("options"):
            option["options"] = environment_fallbacks(option["options"], environment)
        spec[name] = option
    return spec


class ValidatedTask:
    """A task's arguments validated like AnsibleModule does, with the part of its interface AxisModule uses.

    ``argument_spec`` is every option the task takes (a camera module's with
    the connection options: ``full_argument_spec``). ``fail_json`` and
    ``exit_json`` raise :class:`TaskExit` with the masked result, as the
    module's process would have ended there. ``diff_mode`` is whether the task
    runs with ``--diff`` (or ``diff: true``). ``invocation`` turns the
    parameters into the ``module_args`` the result shows (all of them unless
    the plugin leaves some out). ``refused``: what the result of arguments
    refused by validation holds besides ``msg``.
    """

    def __init__(self, name, args, argument_spec, rules, environment, check_mode, progress=None, diff_mode=False,
                 invocation=dict, origins=None, secrets=frozenset(), refused=None):
        self.check_mode = check_mode
        self.diff_mode = diff_mode
        # The task's environment: the fallbacks read it first, the camera's client its proxies and CA bundle.
        self.environment = dict(environment)
        self.params = dict(args)
        # Secrets the argument spec cannot see (inside options it takes as raw data), masked from the start.
        self.no_log_values = set(secrets)
        self._warnings = []
        self._progress = progress
        self._invocation = invocation
        # The options whose value is an environment variable's, for the messages about those values: looked up
        # only when a message needs them.
        self._environment_sources = functools.partial(environment_sources, argument_spec, args, self.environment)
        validator = ArgumentSpecValidator(environment_fallbacks(argument_spec, environment), **rules)
        result = validator.validate(dict(args))
        self.params = result.validated_parameters
        self.no_log_values.update(result._no_log_values)
        if result.errors.errors:
            msg = result.errors.msg
            if isinstance(result.errors[0], UnsupportedError):
                msg = f"Unsupported parameters for ({name}) module: {msg}"
            msg = _with_environment(_with_origins(_with_null_hint(msg, args, argument_spec), args, argument_spec,
                                                  origins), argument_spec, self._environment_sources())
        else:
            msg = "; ".join(misread_values(argument_spec, args))
        if msg:
            self.fail_json(msg=msg, **(refused or {}))   # raises TaskExit
        for warning in alias_warnings(result._warnings) + converted_text(argument_spec, args):
            self.warn(warning)

    def from_environment(self, option):
        """The sentence saying which environment variable gave the option its value; None when none did."""
        source = self._environment_sources().get(option)
        return from_the_environment(option, source) if source else None

    def warn(self, warning):
        self._warnings.append(warning)

    def progress(self, what, percent):
        if self._progress is not None:
            self._progress(what, percent)

    def _finish(self, result):
        result.setdefault("invocation", {"module_args": self._invocation(self.params)})
        if self._warnings:
            result["warnings"] = list(self._warnings)
        raise TaskExit(remove_values(result, self.no_log_values))

    def exit_json(self, **result):
        self._finish(result)

    def fail_json(self, msg, **result):
        result.update(failed=True, msg=msg)
        self._finish(result)


def _refused_options(msg, args, argument_spec):
    """The options a validation failure is about: those whose given value is refused on its own, and those
    the message says are missing."""
    named = [option for option in argument_spec if option in args and ArgumentSpecValidator(
        {option: argument_spec[option]}).validate({option: args[option]}).error_messages]
    named += [option for option in _missing(msg) if option not in named]
    return named


def _missing(msg):
    """The options a 'missing required arguments' message names."""
    missing = re.search(r"missing required arguments: ([\w, ]+)", msg)
    return [option.strip() for option in missing.group(1).split(",")] if missing else []


def _where_missing_come_from(msg, argument_spec):
    """msg, followed for each missing option with an environment fallback by how to give it: 'missing required
    arguments: username. Give username as an option of the task (or module_defaults) or in the environment
    variable VAPIX_USERNAME.'"""
    told = []
    for option in _missing(msg):
        names = _fallback_variables(argument_spec.get(option, {}))
        if names:
            told.append("give %s as an option of the task (or in module_defaults) or in the environment variable "
                        "%s" % (option, " or ".join(names)))
    return _followed_by(msg, told)


def _followed_by(msg, sentences, capital=True):
    """msg, ended with a full stop, followed by the sentences joined with '; ' as one sentence (its first letter a
    capital unless it starts with an option's name); msg alone when there are none."""
    if not sentences:
        return msg
    msg = msg.rstrip()
    text = "; ".join(sentences)
    return "{}{} {}.".format(msg, "" if msg.endswith(".") else ".", text[0].upper() + text[1:] if capital else text)


def _fallback_variables(spec):
    """The environment variables (VAPIX_*) an option's fallback reads, in order."""
    fallback = spec.get("fallback") or ()
    return [name for name in (fallback[1] if len(fallback) > 1 else ()) if isinstance(name, str)]


def environment_sources(argument_spec, args, environment):
    """{option: (variable, where, value)} for the options the task does not give whose fallback takes a value
    from an environment variable: the task's environment: first, then the controller's (where says which)."""
    sources = {}
    for option, spec in argument_spec.items():
        if option in args:
            continue
        for variable in _fallback_variables(spec):
            found = [(where, values[variable]) for where, values in (("the task's environment", environment),
                                                                     ("the controller", os.environ))
                     if values.get(variable) not in (None, "")]
            if found:
                sources[option] = (variable, found[0][0], str(found[0][1]))
                break
    return sources


def from_the_environment(option, source):
    """The sentence that says an option's value is an environment variable's, for a message about that value."""
    return ("the value of %s is the environment variable %s of %s: correct or unset it there, or give %s as an "
            "option of the task" % (option, source[0], source[1], option))


def _with_environment(msg, argument_spec, sources):
    """msg, followed for each option of sources (environment_sources) whose value validation refuses by the
    variable it came from: 'argument 'timeout' is ... '30s' ... The value of timeout is the environment variable
    VAPIX_TIMEOUT of the controller: ...'. A no_log option is never checked (its value would be shown)."""
    told = [from_the_environment(option, source) for option, source in sources.items()
            if not argument_spec[option].get("no_log") and ArgumentSpecValidator(
                {option: argument_spec[option]}).validate({option: source[2]}).error_messages]
    return _followed_by(msg, told)


def _with_null_hint(msg, args, argument_spec):
    """msg, followed for each option given null that validation refuses (a list or a mapping with a default: an
    option with nothing after its colon in YAML, every item commented out) by how to give none."""
    empty = {"list": "[]", "dict": "{}"}
    told = [f"{option}: null is what YAML reads for an option with nothing after its colon (every item commented "
            f"out): give {empty[spec['type']]} for none, or leave {option} out"
            for option, spec in argument_spec.items()
            if option in args and args[option] is None and spec.get("type") in empty
            and spec.get("default") is not None and f"'{option}'" in msg]
    return _followed_by(msg, told, capital=False)


def _with_origins(msg, args, argument_spec, origins):
    """msg, followed by where the user set the options it is about when origins (the plugin's option_origins)
    says they are not the task's own arguments: '... got: ftp. In the edge_storage role: protocol is ...';
    else by how to give a missing option that has an environment fallback (_where_missing_come_from)."""
    named = _refused_options(msg, args, argument_spec)
    where, told = origins(named) if origins is not None else (None, {})
    if not told:
        return _where_missing_come_from(msg, argument_spec)
    msg = msg.rstrip()
    return "{}{} In {}: {}.".format(msg, "" if msg.endswith(".") else ".", where,
                                    "; ".join(f"{option} is {told[option]}" for option in named if option in told))


class ProgressLines:
    """Progress of a camera's long jobs as lines on the controller: at most one per PROGRESS_INTERVAL."""

    def __init__(self, camera, show, clock=time.monotonic):
        self.camera = camera
        self.show = show
        self.clock = clock
        self._last = None
        self._shown = None

    def __call__(self, what, percent):
        now = self.clock()
        if self._last is not None and now - self._last < PROGRESS_INTERVAL:
            return
        line = "{}: {} {}".format(self.camera, what, "%s%%" % percent if percent is not None else "running")
        if line == self._shown:
            return
        self._last = now
        self._shown = line
        self.show(line)


class ControllerAction(ActionBase):
    """Base of the collection's action plugins: set ``argument_spec`` (and ``argument_rules``), implement ``execute``.

    The task runs in the worker, never on the inventory host, and cannot run
    with ``async``; its arguments are validated before ``execute`` runs.
    """

    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    argument_spec = {}
    argument_rules = {}
    # What the task offers instead of async, said when a task sets it.
    instead_of_async = ""
    # What the result of arguments refused by validation holds besides msg.
    refused = {}

    @classmethod
    def task_argument_spec(cls):
        """Every option the task takes."""
        return cls.argument_spec

    def secrets_in(self, args):
        """no_log values inside options the argument spec takes as raw data (masked even when validation fails)."""
        return set()

    def option_origins(self, options):
        """(where, {option: how the user sets it}) for options a play sets other than as the task's own
        arguments (a role's variables), named in a validation failure; (None, {}) when they are the task's."""
        return None, {}

    def invocation(self, params):
        """The ``module_args`` of the result's ``invocation``: every parameter, unless a plugin leaves some out."""
        return dict(params)

    @classmethod
    def given_arguments(cls, args):
        """The task's arguments as validation takes them: all of them, unless a plugin counts some as not given."""
        return args

    def execute(self, task):
        """Run the validated task (a :class:`ValidatedTask`); it always ends in TaskExit."""
        raise NotImplementedError

    def run(self, tmp=None, task_vars=None):
        if self._task.async_val:
            return {"failed": True, "msg": ASYNC_REFUSED % self._task.action + self.instead_of_async}
        super().run(tmp, task_vars)
        # Each attempt of until/retries runs a new action plugin on the same task object (a loop's item: a copy).
        attempts = _ATTEMPTS.setdefault(self._task, _Attempts())
        if attempts.timed_out is not None:
            return dict(attempts.timed_out)   # a later attempt of until/retries: it sends nothing
        environment = {}
        self._compute_environment_string(environment)
        host = (task_vars or {}).get("inventory_hostname", "camera")
        result = self.run_validated(self._task.action, plain(self._task.args), plain(environment),
                                    bool(self._task.check_mode),
                                    diff_mode=bool(self._task.diff),
                                    progress=ProgressLines(host, self._display.display))
        if not self._task.check_mode:   # an attempt in check mode changed nothing: its changed is a prediction
            result = with_earlier_attempts(result, attempts.changes)
        if result.get("timedout"):
            attempts.timed_out = dict(result, msg=f"{result.get('msg', '').rstrip('.')}. {NOT_AGAIN}")
        return result

    def run_validated(self, action, args, environment, check_mode, diff_mode=False, progress=None):
        """The masked result of one task from its templated arguments: validate them, run ``execute``.

        ``run`` calls it once Ansible has templated the task; the in-process test
        runner (``tests/integration/inprocess.py``) calls it directly, so both go
        through this one path. A failure is a result with ``failed``, never an exception.
        """
        try:
            task = ValidatedTask(action, self.given_arguments(args), self.task_argument_spec(), self.argument_rules,
                                 environment, check_mode, progress=progress, diff_mode=diff_mode,
                                 invocation=self.invocation, origins=self.option_origins,
                                 secrets=self.secrets_in(args), refused=self.refused)
            self.execute(task)
        except TaskExit as end:
            return end.result
        raise RuntimeError("%s ended without a result" % action)  # pragma: no cover - execute always exits


class AxisAction(ControllerAction):
    """Base of the camera modules' action plugins: the connection options; implement ``execute_on_camera``.

    ``quota_option`` names the option whose ``group`` is read from the play's
    inventory (``_share_quota.from_inventory``) before the engine runs.
    """

    instead_of_async = CAMERA_JOBS_INSTEAD_OF_ASYNC
    # The kind of failure every failure of a camera module names (a play branches on it, a report counts it).
    refused = {"changed": False, "error_class": ValidationError.error_class}
    quota_option = None
    # (this host's name, {group: [host]}, hostvars) of the play; None outside one (the in-process runner).
    _inventory = None
    # The fully qualified name of the role the task belongs to (None: not a role's task).
    _role_name = None
    # The task's AxisModule once its arguments are validated (what the task's timeout stops).
    _axis = None

    @classmethod
    def task_argument_spec(cls):
        return full_argument_spec(cls.argument_spec)

    @classmethod
    def given_arguments(cls, args):
        return without_unset_connection_options(args)

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        self._inventory = (task_vars.get("inventory_hostname"), task_vars.get("groups", {}), task_vars.get("hostvars", {}))
        self._role_name = task_vars.get("ansible_role_name")
        with self._task_timeout_reported():
            return super().run(tmp, task_vars)

    @contextlib.contextmanager
    def _task_timeout_reported(self):
        """Within the block, the alarm Ansible sets for the task keyword ``timeout`` raises TaskTimedOut, an error
        of the collection: the run stops there and reports what it had done (Ansible's own exception ends the
        plugin with a result that says nothing of the writes made), and nothing more is sent to the camera."""
        seconds = self._task.timeout
        ansible_handler = signal.getsignal(signal.SIGALRM)
        if not seconds or not callable(ansible_handler) or threading.current_thread() is not threading.main_thread():
            yield
            return

        def on_alarm(_signum, _frame):
            raise self._axis.stop(seconds) if self._axis is not None else TaskTimedOut(seconds, wrote=False)

        signal.signal(signal.SIGALRM, on_alarm)
        try:
            yield
        finally:
            signal.signal(signal.SIGALRM, ansible_handler)

    def execute(self, task):
        axis = self._axis = AxisModule(task)
        if self.quota_option and self._inventory is not None:
            try:
                task.params[self.quota_option] = _share_quota.from_inventory(
                    task.params.get(self.quota_option), *self._inventory, agreed=self.quota_host_variables())
            except ValidationError as exc:
                axis.fail(exc)
        self.execute_on_camera(axis)

    def quota_host_variables(self):
        """{host variable: quota option} for the variables the quota's capacity and reserve were built from, which
        every camera of its group must give the same value (``_share_quota.from_inventory``); none unless a role
        built them."""
        return {}

    def execute_on_camera(self, axis):
        """Run the task through AxisModule (converge or report); it always ends in TaskExit."""
        raise NotImplementedError


# How AxisModule runs each kind of task, and the name of the engine function it runs.
KINDS = {
    "converge": ("converge", "build_resources"),  # resources: read, plan, write, verify
    "act": ("act", "run"),                        # one action on the camera (a job, a removal, an export)
    "report": ("report", "gather"),               # read-only facts
}


def engine_action(engine, kind):
    """The ActionModule class of a module whose engine is the module_utils module ``engine``.

    The engine module holds ``ARGUMENT_SPEC`` (and ``ARGUMENT_RULES`` when it
    has some) and the function ``kind`` names in KINDS; each action plugin
    file is then one line: ``ActionModule = engine_action(_resource_share, "converge")``.
    """
    method, function = KINDS[kind]

    class ActionModule(AxisAction):
        argument_spec = engine.ARGUMENT_SPEC
        argument_rules = getattr(engine, "ARGUMENT_RULES", {})
        quota_option = getattr(engine, "QUOTA_OPTION", None)

        def execute_on_camera(self, axis):
            getattr(axis, method)(getattr(engine, function))

    return ActionModule
