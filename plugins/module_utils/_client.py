# -*- coding: utf-8 -*-
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP client every module uses to talk to a camera.

One ``requests.Session`` per camera per module run: connections are kept
alive, and after the first Digest challenge every request is authorised
without another 401 round trip. Arguments are percent-encoded by us (spaces as
``%20``, ``&``, ``=`` and ``%`` escaped) so passwords arrive intact. Reads are
retried with backoff on connection errors and 5xx; writes never are, since a
write the device may already have carried out must not be sent twice.

Every error the device reports, in any API family's envelope, becomes one
:class:`VapixError` whose text has the secrets registered with the client
masked.
"""

from __future__ import annotations

import json
import time
import traceback
from urllib.parse import quote

from ansible_collections.vapix.edge_storage.plugins.module_utils import _xml
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    API_DISCOVERY,
    PARAM,
    UnsupportedError,
    VapixError,
    mask_secrets,
)

try:
    import requests
    from requests.auth import HTTPBasicAuth, HTTPDigestAuth
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

CGI_ROOT = "/axis-cgi/"
READ_ATTEMPTS = 3
BACKOFF_SECONDS = (0.5, 1.0, 2.0)

# Who may call what, for the message on HTTP 403 (from the vendor docs).
_ADMIN_ONLY = ("format.cgi", "mount.cgi", "lock.cgi", "/properties/", "add.cgi", "modify.cgi",
               "remove.cgi", "param.cgi?action=update")


def encode_args(args):
    """Percent-encode arguments as VAPIX wants them: every reserved character escaped.

    ``args`` is a sequence of (name, value) pairs or a dict; None values are
    left out, booleans become yes/no.
    """
    items = args.items() if isinstance(args, dict) else args
    parts = []
    for name, value in items:
        if value is None:
            continue
        if isinstance(value, bool):
            value = "yes" if value else "no"
        parts.append("%s=%s" % (quote(str(name), safe=""), quote(str(value), safe="")))
    return "&".join(parts)


class VapixClient(object):
    """HTTP access to one camera."""

    def __init__(self, hostname, username, password, port=None, protocol="https", auth="digest",
                 validate_certs=True, ca_path=None, timeout=30, sleep=time.sleep):
        if not HAS_REQUESTS:  # pragma: no cover - the module base checks first
            raise RuntimeError("the python 'requests' library is required")
        self.hostname = hostname
        self.protocol = protocol
        self.port = port or (443 if protocol == "https" else 80)
        self.username = username
        self.timeout = timeout
        self._sleep = sleep
        self._secrets = set()
        self.add_secret(password)
        host = "[%s]" % hostname if ":" in hostname and not hostname.startswith("[") else hostname
        self.base_url = "%s://%s:%s" % (protocol, host, self.port)
        self.session = requests.Session()
        self.session.auth = HTTPDigestAuth(username, password) if auth == "digest" else HTTPBasicAuth(username, password)
        # Passed with every request too: requests lets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE in the
        # environment override a session's verify, which would silently ignore ca_path.
        self.verify = ca_path if (ca_path and validate_certs) else bool(validate_certs)
        self.session.verify = self.verify
        self.session.headers["User-Agent"] = "vapix.edge_storage"
        self.request_count = 0
        # Every write request sent (whatever its answer), and those of them that got no answer:
        # the camera may have carried those out.
        self.write_count = 0
        self.unanswered_writes = 0

    @classmethod
    def from_params(cls, params):
        """Build a client from the common connection options of a module."""
        return cls(
            hostname=params["hostname"],
            port=params.get("port"),
            protocol=params.get("protocol") or "https",
            username=params["username"],
            password=params["password"],
            auth=params.get("auth") or "digest",
            validate_certs=params.get("validate_certs", True),
            ca_path=params.get("ca_path"),
            timeout=params.get("timeout") or 30,
        )

    def add_secret(self, value):
        """Register a value that must never appear in any error text."""
        if value:
            self._secrets.add(str(value))

    def mask(self, text):
        return mask_secrets(text, self._secrets)

    def close(self):
        self.session.close()

    # -- transport -----------------------------------------------------------

    def _describe(self, path, args):
        """The request as it may be shown to a person: secrets masked."""
        query = encode_args(args or ())
        return self.mask(path + ("?" + query if query else ""))

    def _send(self, method, path, args, body, write):
        url = self.base_url + CGI_ROOT + path
        query = encode_args(args or ())
        if query:
            url += "?" + query
        attempts = 1 if write else READ_ATTEMPTS
        last_error = None
        for attempt in range(attempts):
            if attempt:
                self._sleep(BACKOFF_SECONDS[min(attempt - 1, len(BACKOFF_SECONDS) - 1)])
            try:
                self.request_count += 1
                if write:
                    self.write_count += 1
                if method == "POST":
                    response = self.session.post(url, data=body, timeout=self.timeout, verify=self.verify,
                                                 headers={"Content-Type": "application/json"})
                else:
                    response = self.session.get(url, timeout=self.timeout, verify=self.verify)
            except requests.exceptions.SSLError as exc:
                raise VapixError(None, self._describe(path, args),
                                 "TLS certificate verification failed: %s (set ca_path to the camera's CA, "
                                 "or validate_certs: false for a lab camera)" % self.mask(exc))
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                if write:
                    self.unanswered_writes += 1
                last_error = VapixError(None, self._describe(path, args),
                                        "no answer from %s: %s" % (self.base_url, self.mask(exc)))
                continue
            if response.status_code >= 500 and not write and attempt + 1 < attempts:
                last_error = None
                continue
            return response
        if last_error is None:  # pragma: no cover - loop always sets or returns
            last_error = VapixError(None, self._describe(path, args), "no answer")
        raise last_error

    def request(self, path, args=None, write=False, api=None, method="GET", body=None):
        """Send one request and return the response text; HTTP errors raise VapixError."""
        response = self._send(method, path, args, body, write)
        status = response.status_code
        shown = self._describe(path, args)
        if status == 401:
            raise VapixError(api, shown, "authentication failed for user '%s': check username, password and "
                                         "auth (the camera may only accept digest)" % self.username,
                             http_status=401)
        if status == 403:
            need = "admin" if any(marker in shown for marker in _ADMIN_ONLY) else "operator or admin"
            raise VapixError(api, shown, "user '%s' lacks the access level for this request (needs %s)"
                             % (self.username, need), http_status=403)
        if status == 404:
            raise UnsupportedError(shown.split("?", 1)[0], "the camera answers 404: this firmware lacks the API")
        if status >= 400:
            raise VapixError(api, shown, "HTTP %s %s" % (status, self.mask(response.reason or "")),
                             http_status=status)
        # The documented charset is ISO-8859-1 where a device does not say.
        if response.encoding is None:
            response.encoding = "utf-8"
        return response.text

    # -- XML families ----------------------------------------------------------

    def xml(self, path, args=None, write=False, api=None):
        """Send a request to an XML CGI; return the root, or raise on any error envelope."""
        text = self.request(path, args, write=write, api=api)
        try:
            root = _xml.parse(text)
        except _xml.XMLParseError as exc:
            raise VapixError(api, self._describe(path, args), self.mask(str(exc)))
        self.raise_for_envelope(root, api, self._describe(path, args))
        return root

    def raise_for_envelope(self, root, api, shown):
        """Turn any API family's error envelope into a VapixError.

        Handles ``<GeneralError><ErrorCode/><ErrorDescription/>`` (network
        share, disk properties, storage limit, recording group, health,
        export) and ``result="ERROR"`` with ``description``/``errormsg``
        (disk management jobs, continuous recording profiles).
        """
        general = _xml.find_named(root, "GeneralError")
        if general is not None:
            code_text = _xml.child_text(general, "ErrorCode")
            try:
                code = int(code_text) if code_text is not None else None
            except ValueError:
                code = None
            description = _xml.child_text(general, "ErrorDescription") or code_text
            raise VapixError(api, shown, self.mask(description), code=code)
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            if (_xml.attr(element, "result") or "").upper() == "ERROR":
                description = _xml.attr(element, "description", "errormsg", "error") or "the device reported ERROR"
                raise VapixError(api, shown, self.mask(description))

    # -- param.cgi -------------------------------------------------------------

    def param_list(self, groups):
        """Read parameter groups; return {name without 'root.': value}.

        A group the firmware does not have is left out (old firmware lacks
        keys and whole groups). Values may contain '='; masked passwords stay
        masked.
        """
        groups = list(groups)
        if not groups:
            return {}
        text = self.request("param.cgi", [("action", "list"), ("group", ",".join(groups))], api=PARAM)
        if _param_error(text) is None:
            return parse_param_list(text)
        if len(groups) == 1:
            return {}
        # One missing group spoils a batched list on real firmware: ask one by one.
        values = {}
        for group in groups:
            values.update(self.param_list([group]))
        return values

    def param_update(self, values):
        """Write parameters; values is {name: value} with yes/no for booleans."""
        args = [("action", "update")] + sorted(values.items())
        text = self.request("param.cgi", args, write=True, api=PARAM)
        error = _param_error(text)
        if error is not None:
            raise VapixError(PARAM, self._describe("param.cgi", args), self.mask(error))
        if text.strip() and text.strip().upper() != "OK":
            raise VapixError(PARAM, self._describe("param.cgi", args),
                             "unexpected answer: %s" % self.mask(text.strip()[:200]))

    # -- API discovery ---------------------------------------------------------

    def api_list(self):
        """{api id: version} from apidiscovery.cgi, or None where the firmware has no such service."""
        body = json.dumps({"apiVersion": "1.0", "method": "getApiList"})
        try:
            text = self.request("apidiscovery.cgi", method="POST", body=body, api=API_DISCOVERY)
        except UnsupportedError:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            raise VapixError(API_DISCOVERY, "apidiscovery.cgi", "answer is not JSON")
        if "error" in data:
            error = data["error"] or {}
            raise VapixError(API_DISCOVERY, "apidiscovery.cgi", error.get("message"), code=error.get("code"))
        apis = {}
        for entry in (data.get("data") or {}).get("apiList") or []:
            if entry.get("id"):
                apis[entry["id"]] = entry.get("version")
        return apis


def _param_error(text):
    """The error text of a param.cgi answer, or None when it is not an error."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("# Error") or stripped.startswith("Error:"):
            return stripped.lstrip("# ").strip()
    return None


def parse_param_list(text):
    """Parse ``root.Group.Key=value`` lines into {'Group.Key': 'value'}."""
    values = {}
    for line in text.splitlines():
        line = line.rstrip("\r")
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = line.split("=", 1)
        name = name.strip()
        if name.startswith("root."):
            name = name[len("root."):]
        values[name] = value
    return values
