# -*- coding: utf-8 -*-
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run of one task of the collection against one camera.

Every module of the collection runs as an action plugin on the controller
(``plugins/action``); the module files hold only the documentation. The
action plugin validates the task's arguments and hands :class:`AxisModule` a
validated task (``plugins/plugin_utils/_task.py``) with the interface of an
``AnsibleModule``: ``params``, ``check_mode``, ``no_log_values``, ``warn``,
``progress``, ``fail_json`` and ``exit_json``.

This module owns the connection options (documented once, in the
``vapix.edge_storage.connection`` doc fragment), builds the client, runs the
engine, and is the only place that calls ``fail_json``: every error this
collection raises becomes one failure with a message and the device's code.
"""

from __future__ import annotations

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.vapix.edge_storage.plugins.module_utils import _client, _xml
from ansible_collections.vapix.edge_storage.plugins.module_utils._device import Device
from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import converge, summarize
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import EdgeStorageError, mask_secrets


def _env(name):
    return (env_fallback, ["VAPIX_%s" % name])


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
)


def full_argument_spec(argument_spec):
    """A module's own options with the connection options every module takes."""
    spec = dict(CONNECTION_ARGUMENT_SPEC)
    spec.update(argument_spec)
    return spec


class AxisModule(object):
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

    @property
    def check_mode(self):
        return self.module.check_mode

    @property
    def device(self):
        """The camera, connected on first use (so validation happens before any request)."""
        if self._device is None:
            self._client = _client.VapixClient.from_params(self.params)
            for secret in self._secrets:
                self._client.add_secret(secret)
            self._device = Device(self._client, progress=None if self.check_mode else self.module.progress)
        return self._device

    def add_secrets(self, values):
        for value in values:
            if value:
                self._secrets.add(str(value))
                if self._client is not None:
                    self._client.add_secret(value)

    def fail(self, exc, **extra):
        """The single place where an error becomes fail_json."""
        secrets = set(self._secrets)
        if self.params.get("password"):
            secrets.add(self.params["password"])
        data = exc.as_dict() if isinstance(exc, EdgeStorageError) else {}
        data.update(extra)
        clean = dict((key, mask_secrets(value, secrets) if isinstance(value, str) else value)
                     for key, value in data.items())
        self.close()
        self.module.fail_json(msg=mask_secrets(str(exc), secrets), **clean)

    def close(self):
        if self._client is not None:
            self._client.close()

    def converge(self, build_resources):
        """Validate, converge the resources build_resources(params) returns, and exit."""
        try:
            resources = build_resources(self.params)
            for resource in resources:
                self.add_secrets(resource.secrets())
            outcomes = converge(self.device, resources, self.check_mode)
        except EdgeStorageError as exc:
            self.fail(exc)
        result = summarize(outcomes)
        result["requests"] = self._client.request_count if self._client else 0
        self.close()
        self.module.exit_json(**result)

    def report(self, gather):
        """Run a read-only gather(device, params) -> dict and exit with it (changed=False)."""
        try:
            data = gather(self.device, self.params)
        except EdgeStorageError as exc:
            self.fail(exc)
        data["requests"] = self._client.request_count if self._client else 0
        self.close()
        self.module.exit_json(changed=False, **data)
