# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run of one task of the collection against one camera.

Every module of the collection runs as an action plugin on the controller
(``plugins/action``); the module files hold only the documentation. The
action plugin validates the task's arguments and hands :class:`AxisModule` a
validated task (``plugins/plugin_utils/_action.py``) with the interface of an
``AnsibleModule``: ``params``, ``check_mode``, ``diff_mode``, ``no_log_values``, ``warn``,
``progress``, ``fail_json`` and ``exit_json``.

This module owns the connection options (documented once, in the
``vapix.edge_storage.connection`` doc fragment), builds the client, runs the
engine, and is the only place that calls ``fail_json``: every error this
collection raises becomes one failure with a message and the device's code.
"""

from __future__ import annotations

import os
import traceback

from ansible.module_utils.basic import AnsibleFallbackNotFound, missing_required_lib

from ansible_collections.vapix.edge_storage.plugins.module_utils import _client, _xml
from ansible_collections.vapix.edge_storage.plugins.module_utils._device import MAX_READ_THREADS, READ_THREADS, Device
from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import converge, summarize
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    EdgeStorageError,
    TaskTimedOut,
    ValidationError,
    mask_secrets,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._hosts import validate_host


def _nonempty_env(name):
    """The environment variable's value; an empty one counts as unset (an AWX credential injects '' for a
    field left empty, which must leave the option's default in place)."""
    if os.environ.get(name):
        return os.environ[name]
    raise AnsibleFallbackNotFound


def _env(name):
    return (_nonempty_env, ["VAPIX_%s" % name])


CONNECTION_ARGUMENT_SPEC = dict(
    hostname=dict(type="str", required=True, fallback=_env("HOSTNAME")),
    port=dict(type="int", fallback=_env("PORT")),
    protocol=dict(type="str", default="https", choices=["https", "http"], fallback=_env("PROTOCOL")),
    username=dict(type="str", required=True, fallback=_env("USERNAME")),
    password=dict(type="str", required=True, no_log=True, fallback=_env("PASSWORD")),
    auth=dict(type="str", default="digest", choices=["digest", "basic"], fallback=_env("AUTH")),
    validate_certs=dict(type="bool", default=True, fallback=_env("VALIDATE_CERTS")),
    ca_path=dict(type="path", fallback=_env("CA_PATH")),
    timeout=dict(type="int", default=30, fallback=_env("TIMEOUT")),
    parallel_reads=dict(type="int", default=READ_THREADS, fallback=_env("PARALLEL_READS")),
)


def without_unset_connection_options(params):
    """The parameters without the connection options given as null or as an empty string: those count as not
    given, so their VAPIX_* fallback, else their default, applies (the role passes every connection variable
    whether it is set or not)."""
    return {name: value for name, value in params.items()
            if not (name in CONNECTION_ARGUMENT_SPEC and (value is None or value == ""))}


def full_argument_spec(argument_spec):
    """A module's own options with the connection options every module takes."""
    spec = dict(CONNECTION_ARGUMENT_SPEC)
    spec.update(argument_spec)
    return spec


# The longest a single request may be waited for; a camera that needs longer is not answering.
MAX_TIMEOUT_SECONDS = 3600


def validate_connection(params):
    """Every connection option, before the first request; ValidationError saying what to fix."""
    validate_host(params.get("hostname"), "hostname", zone_id=False)
    port = params.get("port")
    if port is not None and not 1 <= port <= 65535:
        raise ValidationError("port %s is not a TCP port: give 1 to 65535, or leave it out for the protocol's "
                              "default (443 for https, 80 for http)" % port)
    timeout = params.get("timeout")
    if timeout is not None and not 0 < timeout <= MAX_TIMEOUT_SECONDS:
        raise ValidationError("timeout %s is not a number of seconds from 1 to %d: it is how long one request "
                              "is waited for" % (timeout, MAX_TIMEOUT_SECONDS))
    parallel_reads = params.get("parallel_reads")
    if parallel_reads is not None and not 1 <= parallel_reads <= MAX_READ_THREADS:
        raise ValidationError("parallel_reads %s is not from 1 to %d: it is how many reads are sent to the camera at "
                              "once (1: one after the other)" % (parallel_reads, MAX_READ_THREADS))
    if not (params.get("username") or "").strip():
        raise ValidationError("username is empty: give the camera account to log in with")
    ca_path = params.get("ca_path")
    if ca_path is not None and not os.path.exists(ca_path):
        raise ValidationError("ca_path %s does not exist: give the PEM file (or directory) of the CA that signed "
                              "the camera's certificate" % ca_path)


def _masked(value, secrets):
    """value with the secrets masked in every string it holds (lists of step texts too)."""
    if isinstance(value, str):
        return mask_secrets(value, secrets)
    if isinstance(value, list):
        return [_masked(item, secrets) for item in value]
    if isinstance(value, dict):
        return {key: _masked(item, secrets) for key, item in value.items()}
    return value


class AxisModule:
    """One validated task with our client and error handling."""

    def __init__(self, module):
        self.module = module
        if not _client.HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib("requests"), exception=_client.REQUESTS_IMPORT_ERROR)
        if not _xml.HAS_LXML:
            self.module.fail_json(msg=missing_required_lib("lxml"), exception=_xml.LXML_IMPORT_ERROR)
        self.params = self.module.params
        self._secrets = set()
        self._client = None
        self._device = None
        try:
            validate_connection(self.params)
        except ValidationError as exc:
            # Each message starts with the option's name; a value from a VAPIX_* variable names it.
            told = getattr(self.module, "from_environment", lambda option: None)(str(exc).split(" ", 1)[0])
            self.fail(ValidationError(f"{exc}. {told[0].upper()}{told[1:]}.") if told else exc)

    @property
    def check_mode(self):
        return self.module.check_mode

    @property
    def device(self):
        """The camera, connected on first use (so validation happens before any request)."""
        if self._device is None:
            self._client = _client.VapixClient.from_params(self.params, check_mode=self.check_mode,
                                                           environment=getattr(self.module, "environment", None))
            for secret in self._secrets:
                self._client.add_secret(secret)
            self._device = Device(self._client, progress=None if self.check_mode else self.module.progress,
                                  read_threads=self.params.get("parallel_reads") or READ_THREADS)
        return self._device

    def stop(self, seconds):
        """The task's timeout of seconds ran out: send nothing more to the camera (every request from now on
        raises it) and return the TaskTimedOut to raise, which says whether a write had been sent."""
        error = TaskTimedOut(seconds, wrote=bool(self._client and self._client.write_count))
        if self._client is not None:
            self._client.stopped = error
        return error

    def _fail_if_stopped(self, **extra):
        """Fail a run its task's timeout stopped (stop) that went on to its end: what it ran took the error for an
        unknown value and carried on (a share test of axis_storage_info), so its result would pass for whole."""
        if self._client is not None and self._client.stopped is not None:
            self.fail(self._client.stopped, **extra)

    def add_secrets(self, values):
        for value in values:
            if value:
                self._secrets.add(str(value))
                if self._client is not None:
                    self._client.add_secret(value)

    def fail(self, exc, **extra):
        """The single place where an error becomes fail_json.

        Every failure says how many writes reached the camera and is
        ``changed`` when any did, or when a step done before it changed
        something else (an export's file on the controller), so a failed run
        never hides a change; an unexpected exception (a bug) is reported the
        same way, with its traceback, instead of a bare traceback.
        """
        secrets = set(self._secrets)
        if self.params.get("password"):
            secrets.add(self.params["password"])
        if isinstance(exc, EdgeStorageError):
            data = exc.as_dict()
            message = str(exc)
            cause = getattr(exc, "cause", None)
            if cause is not None and not isinstance(cause, EdgeStorageError):
                data["exception"] = "".join(traceback.format_exception(type(cause), cause, cause.__traceback__))
        else:
            data = {"exception": traceback.format_exc()}
            message = f"unexpected {type(exc).__name__} (a bug in the collection; please report it): {exc}"
        writes = self._client.write_count if self._client else 0
        data.setdefault("completed_steps", [])
        data.setdefault("failed_step", None)
        data.setdefault("not_run_steps", [])
        if writes and not data["completed_steps"] and not data["failed_step"]:
            message += "; %d write(s) had reached the camera before it" % writes
        data.update(extra)
        data["writes"] = writes
        data["changed"] = writes > 0 or data.get("changed") is True
        if data.get("error_class") is None:
            data.pop("error_class", None)
        clean = {key: _masked(value, secrets) for key, value in data.items()}
        self.close()
        self.module.fail_json(msg=mask_secrets(message, secrets), **clean)

    def close(self):
        if self._client is not None:
            self._client.close()

    def converge(self, build_resources, whole_camera=False, skip_unsupported=False, conflicts=None):
        """Validate, converge the resources build_resources(params) returns, and exit.

        whole_camera adds the camera's ``model`` and ``firmware`` (from the
        properties the run read anyway) to the result, on failure too, and
        what ``unsupported: skip`` (skip_unsupported) left out. conflicts: see the engine's plan_all.
        """
        identity = self._identity if whole_camera else dict
        try:
            resources = build_resources(self.params)
            for resource in resources:
                self.add_secrets(resource.secrets())
            outcomes = converge(self.device, resources, self.check_mode, skip_unsupported=skip_unsupported,
                                conflicts=conflicts)
        except Exception as exc:  # pylint: disable=broad-except  # every failure reports the writes it made
            self.fail(exc, **identity())
        self._fail_if_stopped(**identity())
        result = summarize(outcomes, diff_mode=self.module.diff_mode)
        if not whole_camera:
            del result["skipped_unsupported"]
        for warning in result.pop("warnings"):
            self.module.warn(warning)
        result.update(identity())
        result["requests"] = self._client.request_count if self._client else 0
        result["writes"] = self._client.write_count if self._client else 0
        result["changed"] = result["changed"] or result["writes"] > 0
        self.close()
        self.module.exit_json(**result)

    def act(self, perform):
        """Run perform(self) -> result dict (with 'changed') for a task that runs an action rather
        than converging a declared state (a disk check, a removal, an export), and exit with it."""
        try:
            data = perform(self)
        except Exception as exc:  # pylint: disable=broad-except  # every failure reports the writes it made
            self.fail(exc)
        self._fail_if_stopped()
        for warning in data.pop("warnings", []):
            self.module.warn(warning)
        data["requests"] = self._client.request_count if self._client else 0
        data["writes"] = self._client.write_count if self._client else 0
        data["changed"] = bool(data.get("changed")) or data["writes"] > 0
        self.close()
        self.module.exit_json(**data)

    def _identity(self):
        if self._device is None:
            return {"model": None, "firmware": None}
        return self._device.known_identity()

    def report(self, gather):
        """Run a read-only gather(device, params) -> dict and exit with it (changed=False)."""
        try:
            data = gather(self.device, self.params)
        except EdgeStorageError as exc:
            self.fail(exc)
        self._fail_if_stopped()
        data["requests"] = self._client.request_count if self._client else 0
        self.close()
        self.module.exit_json(changed=False, **data)
