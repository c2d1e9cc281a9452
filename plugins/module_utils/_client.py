# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP client every module uses to talk to a camera.

One ``requests.Session`` per camera per module run: connections are kept
alive, and after the first Digest challenge every request is authorised
without another 401 round trip, those sent at once from several threads on
connections of their own included (:mod:`._digest`). Arguments are
percent-encoded by us (spaces as ``%20``, ``&``, ``=`` and ``%`` escaped) so
passwords arrive intact. Every request's answer must be complete within
``timeout`` seconds of its start, the Digest challenge's round trip included,
however slowly the camera sends it (requests' own timeout bounds each wait for
the socket alone). Reads are
retried with backoff on connection errors and 5xx; writes never are, since a
write the device may already have carried out must not be sent twice. A
client of a check-mode run refuses to send any write at all
(:class:`WriteInCheckMode`): a second guard behind the engine's, which plans
without writing in check mode. Paths, and which of them write or need an
admin account, come from the table of calls in :mod:`._device`.

Every error the device reports, in any API family's envelope, becomes one
:class:`VapixError` whose text has the secrets registered with the client
masked, and whose ``error_class`` says what kind of failure it is: the
transport ones (``refused``, ``timeout``, ``dns``, ``tls``, ``not_tls``), the
access ones (``auth``, ``forbidden``), ``not_vapix`` for a server that is not
an Axis device (recognised from the answers the run gets anyway, without an
extra request), ``damaged_answer`` for an answer that cannot be read as data
and ``device`` for an error the camera reports.

Answers are read as bytes, at most :data:`MAX_ANSWER_BYTES`. XML is parsed
from its bytes (see :mod:`._xml`); text (param.cgi) is decoded with the
charset the header declares, else as UTF-8, else as ISO-8859-1 (the
documented default of the old parameter API), never guessed.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import math
import os
import re
import socket
import ssl
import threading
import time
import traceback
from email.message import Message
from urllib.parse import quote, urljoin, urlsplit

from ansible_collections.vapix.edge_storage.plugins.module_utils import _parsers, _xml
from ansible_collections.vapix.edge_storage.plugins.module_utils._device import CALLS, calls_at, calls_of, needs_admin
from ansible_collections.vapix.edge_storage.plugins.module_utils._digest import (
    SharedDigestAuth,
    answerable,
    cannot_answer,
    parse_challenges,
    refused,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._digest import offered_schemes as offered_in
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    AUTH,
    DNS,
    FORBIDDEN,
    NOT_TLS,
    NOT_VAPIX,
    REFUSED,
    TIMEOUT,
    TLS,
    UnsupportedError,
    ValidationError,
    VapixError,
    WriteInCheckMode,
    damaged_answer,
    describe,
    envelope_family,
    mask_secrets,
    note_answer_charset,
)

try:
    import requests
    from requests.adapters import HTTPAdapter
    from requests.auth import HTTPBasicAuth
    from urllib3 import HTTPConnectionPool as _HTTPPool
    from urllib3 import HTTPSConnectionPool as _HTTPSPool
    from urllib3 import ProxyManager
    from urllib3.connection import HTTPConnection, HTTPSConnection
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    requests = ProxyManager = None
    # Bases of the classes below that are never used without requests (the client refuses to start).
    HTTPAdapter = _HTTPPool = _HTTPSPool = HTTPConnection = HTTPSConnection = object
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

CGI_ROOT = "/axis-cgi/"
READ_ATTEMPTS = 3
BACKOFF_SECONDS = (0.5, 1.0, 2.0)
# No edge storage answer comes near this (a full param.cgi list is ~100 kB); more is not a camera's answer.
MAX_ANSWER_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
# How much of one argument of a request a message shows (name=value, percent-encoded).
SHOWN_ARGUMENT = 200
# How deep the chain of causes of a transport error is searched.
_CAUSE_DEPTH = 8
# -- the deadline of a request ---------------------------------------------------------------------
# requests' timeout bounds each wait for the socket alone: a camera that sends a byte now and then (headers
# or body, the 401 of a Digest challenge included) held a request as long as it liked. Each request the client
# sends gets a deadline, timeout seconds after it starts; every read of its answer waits at most until then
# (one settimeout per read, no thread). The thread that sends the request reads its answer, on the connection
# the pool gives it, so the deadline goes from the client to the answer's reader through the thread: the
# client's threads (reads sent at once, each on a connection of its own) each have their own.
_CURRENT = threading.local()


class _Deadline:
    """When the answer to the request a thread sends must be complete (time.monotonic()), or None: lifted for
    an exported file that keeps coming (each wait for more of it stays bounded by the read timeout)."""

    __slots__ = ("at", "wait")

    def __init__(self, at, wait=None):
        self.at = at
        # What bounds each wait once lifted: the request's timeout (None: the pool's read timeout).
        self.wait = wait

    def left(self):
        """Seconds left (0 when passed), or None when lifted."""
        return None if self.at is None else max(self.at - time.monotonic(), 0.0)


class _DeadlineReader(io.RawIOBase):
    """The socket an answer is read from (its SocketIO), each wait bounded by what is left until the deadline."""

    def __init__(self, raw, sock, deadline):
        super().__init__()
        self._raw = raw
        self._sock = sock
        self._deadline = deadline
        self._timeout = sock.gettimeout()   # the read timeout the pool set
        self._set = self._timeout           # the socket's timeout now

    def readable(self):
        return True

    def fileno(self):
        return self._raw.fileno()

    def readinto(self, buffer):
        left = self._deadline.left()
        if left is not None:
            if left <= 0:
                raise TimeoutError("no complete answer within the timeout")
            wanted = left if self._timeout is None else min(left, self._timeout)
        elif self._deadline.wait is not None:
            # Lifted (an exported file that keeps coming): each wait is bounded by the request's timeout, not by
            # the pool's read timeout, which is what was left when the request went (less after a Digest
            # challenge's round trip: a file answered after a slow challenge was cut by a gap of a second).
            wanted = self._deadline.wait
        else:
            wanted = self._timeout
        if wanted != self._set:
            self._sock.settimeout(wanted)
            self._set = wanted
        return self._raw.readinto(buffer)

    def close(self):
        if not self.closed:
            if self._set != self._timeout:
                try:
                    self._sock.settimeout(self._timeout)
                except OSError:
                    pass
            self._raw.close()
        super().close()


class _DeadlineResponse(http.client.HTTPResponse):
    """An answer read under the deadline of the request the constructing thread sends (when it has one)."""

    def __init__(self, sock, *args, **kwargs):
        super().__init__(sock, *args, **kwargs)
        deadline = getattr(_CURRENT, "deadline", None)
        if deadline is not None:
            self.fp = io.BufferedReader(_DeadlineReader(self.fp.detach(), sock, deadline))


class _Connection(HTTPConnection):
    response_class = _DeadlineResponse


class _TLSConnection(HTTPSConnection):
    response_class = _DeadlineResponse


# Named as urllib3's pools: the name is in the text of every transport error (shown in its brackets).
class HTTPConnectionPool(_HTTPPool):
    ConnectionCls = _Connection


class HTTPSConnectionPool(_HTTPSPool):
    ConnectionCls = _TLSConnection


_POOLS = {"http": HTTPConnectionPool, "https": HTTPSConnectionPool}


class _DeadlineAdapter(HTTPAdapter):
    """requests' adapter whose connections read answers under the request's deadline, directly or through an
    HTTP proxy; a request it sends (the Digest challenge's second round trip too) gets at most what is left."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if isinstance(manager, ProxyManager):
            manager.pool_classes_by_scheme = _POOLS
        return manager

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        deadline = getattr(_CURRENT, "deadline", None)
        left = deadline.left() if deadline is not None else None
        if left is not None and isinstance(timeout, (int, float)):
            if left <= 0:
                # Only a Digest challenge's resend starts this late: the camera refused the request (401).
                raise refused(requests.exceptions.ReadTimeout("no complete answer within the timeout", request=request))
            timeout = min(timeout, math.ceil(left * 1000) / 1000)   # whole ms: the value shows in errors
        return super().send(request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies)


class _Session(requests.Session if HAS_REQUESTS else object):
    """A requests Session that never prepares a redirect. Even with allow_redirects=False, requests' send builds
    the request a 3xx points to (Response.next): it reads the 3xx's body whole into memory for it, past the
    MAX_ANSWER_BYTES every other answer is held to, and raises a bare ValueError for a Location it cannot parse.
    The client reads the 3xx's body as any answer's and says itself where it points (see VapixClient.answer)."""

    def get_redirect_target(self, resp):
        return None


def needed_level(path, write):
    """The access level a request needs, for the messages on 401/403 (the table's admin column)."""
    return "admin" if needs_admin(path, write) else "operator or admin"


def encode_args(args, charset="utf-8"):
    """Percent-encode arguments as VAPIX wants them: every reserved character escaped, text in charset (UTF-8,
    or ISO-8859-1 for a camera that keeps its text in it: see VapixClient.request_charset).

    ``args`` is a sequence of (name, value) pairs or a dict; None values are
    left out, booleans become yes/no. A value charset cannot hold raises UnicodeEncodeError.
    """
    items = args.items() if isinstance(args, dict) else args
    parts = []
    for name, value in items:
        if value is None:
            continue
        if isinstance(value, bool):
            value = "yes" if value else "no"
        parts.append("{}={}".format(quote(str(name), safe="", encoding=charset),
                                    quote(str(value), safe="", encoding=charset)))
    return "&".join(parts)


# The names an answer may give ISO-8859-1 by (Content-Type charset, lower case).
LATIN1_NAMES = frozenset(("iso-8859-1", "iso8859-1", "iso_8859-1", "latin-1", "latin1", "l1", "cp819"))


def foreign_characters(text, charset):
    """The characters of text that charset cannot hold, each once, in their order ('' when none)."""
    found = []
    for char in str(text):
        if char not in found:
            try:
                char.encode(charset)
            except UnicodeEncodeError:
                found.append(char)
    return "".join(found)


def _causes(exc):
    """exc and the exceptions it wraps (requests -> urllib3 -> socket/ssl), outermost first."""
    seen = []
    pending = [exc]
    while pending and len(seen) < _CAUSE_DEPTH:
        current = pending.pop(0)
        if current is None or any(current is known for known in seen):
            continue
        seen.append(current)
        pending.extend(arg for arg in getattr(current, "args", ()) if isinstance(arg, BaseException))
        pending.extend([getattr(current, "reason", None), current.__cause__, current.__context__])
        pending = [item for item in pending if isinstance(item, BaseException)]
    return seen


def classify_transport_error(exc):
    """(error_class, what happened) for an exception raised while talking to the camera."""
    chain = _causes(exc)
    text = " ".join(str(item) for item in chain).lower()
    if any(isinstance(item, socket.gaierror) for item in chain) or "failed to resolve" in text \
            or "name or service not known" in text or "nodename nor servname" in text:
        return DNS, "the host name could not be resolved"
    if any(isinstance(item, ConnectionRefusedError) for item in chain) or "connection refused" in text:
        return REFUSED, "the connection was refused (nothing listens on that port, or a firewall rejects it)"
    if "wrong version number" in text or "record layer failure" in text or "unknown protocol" in text \
            or "http_request" in text or "packet length too long" in text:
        return NOT_TLS, "the server does not speak TLS on that port (HTTPS was sent to a plain HTTP port)"
    if any(isinstance(item, ssl.SSLCertVerificationError) for item in chain) or "certificate verify failed" in text \
            or "certificate_verify_failed" in text or "hostname mismatch" in text:
        return TLS, "the camera's TLS certificate was not accepted"
    if HAS_REQUESTS and any(isinstance(item, requests.exceptions.SSLError) for item in chain):
        return TLS, "the TLS handshake failed"
    if any(isinstance(item, (socket.timeout, TimeoutError)) for item in chain) or "timed out" in text \
            or (HAS_REQUESTS and any(isinstance(item, requests.exceptions.Timeout) for item in chain)):
        return TIMEOUT, "no answer within the timeout"
    return TIMEOUT, "the connection closed without a complete answer"


_REMEDY = {
    DNS: "check hostname (a name your DNS resolves, an IPv4 address, or an IPv6 address)",
    REFUSED: "check hostname, port and protocol (http is port 80, https 443 unless the camera is set otherwise)",
    NOT_TLS: "set protocol: http, or the port the camera serves HTTPS on",
    TLS: "set ca_path to the CA that signed the camera's certificate, or validate_certs: false for a lab camera",
    TIMEOUT: "check that the camera is up and reachable, or raise timeout",
}

# For a failure of the proxy the environment sets for the camera.
_PROXY_REMEDY = ("the proxy comes from the environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY: the controller's, or the "
                 "task's environment keyword): check it, or name the camera in NO_PROXY to reach it directly")


def declared_charset(response):
    """The charset the Content-Type header declares, lower case, or None."""
    header = response.headers.get("Content-Type")
    if not header:
        return None
    message = Message()
    message["Content-Type"] = header
    charset = message.get_content_charset()
    return charset.strip().lower() if charset else None


def offered_schemes(response):
    """The authentication schemes a 401 offers in WWW-Authenticate, lower case, each once."""
    return offered_in(response.headers.get("WWW-Authenticate"))


# Held while os.environ carries an environment laid over it (environment_over); re-entrant, so that a client
# built within such a block lays the task's environment over it in turn.
_ENVIRONMENT_LOCK = threading.RLock()


@contextlib.contextmanager
def environment_over(environment):
    """Within the block, os.environ has environment (a task's keyword ``environment:``) over what it holds, as the
    process of a module that task ran would have it: where requests reads the proxies and the CA bundle."""
    if not environment:
        yield
        return
    with _ENVIRONMENT_LOCK:
        saved = {name: os.environ.get(name) for name in environment}
        os.environ.update({name: str(value) for name, value in environment.items()})
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


class VapixClient:
    """HTTP access to one camera."""

    def __init__(self, hostname, username, password, port=None, protocol="https", auth="digest",
                 validate_certs=True, ca_path=None, timeout=30, sleep=time.sleep, check_mode=False, environment=None):
        if not HAS_REQUESTS:  # pragma: no cover - the module base checks first
            raise RuntimeError("the python 'requests' library is required")
        self.hostname = hostname
        self.protocol = protocol
        self.port = port or (443 if protocol == "https" else 80)
        self.username = username
        self.auth = auth
        self.timeout = timeout
        self._sleep = sleep
        # A check-mode run: every write request is refused before it is sent.
        self.check_mode = check_mode
        self._secrets = set()
        self.add_secret(password)
        host = hostname
        if ":" in hostname and not hostname.startswith("["):
            host = "[%s]" % hostname.replace("%", "%25")
        self.base_url = f"{protocol}://{host}:{self.port}"
        self.session = _Session()
        # Every answer is read under its request's deadline (see _DeadlineAdapter).
        adapter = _DeadlineAdapter()
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.auth = SharedDigestAuth(username, password) if auth == "digest" else HTTPBasicAuth(username, password)
        # What the environment adds (proxies and their no_proxy exceptions for this camera,
        # REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE when the certificate is checked without ca_path) is read
        # once here, not again for every request as a session that trusts the environment does: the
        # controller's, with the task's environment (environment) over it.
        # ca_path and validate_certs: false are never overridden by the environment.
        self.verify = ca_path if (ca_path and validate_certs) else bool(validate_certs)
        with environment_over(environment):
            settings = self.session.merge_environment_settings(self.base_url, {}, None, self.verify, None)
        self.session.trust_env = False
        self.session.proxies = settings["proxies"]
        self.verify = settings["verify"]
        self.session.verify = self.verify
        self.session.headers["User-Agent"] = "vapix.edge_storage"
        self.request_count = 0   # every request sent; the client's threads count under _count_lock
        self._count_lock = threading.Lock()
        self.camera_date = None   # the Date header of the camera's latest answer
        # Every write request sent (whatever its answer), and those of them that got no answer:
        # the camera may have carried those out.
        self.write_count = 0
        self.unanswered_writes = 0
        # Set once the task's own timeout ran out (a TaskTimedOut): raised instead of sending any further request.
        self.stopped = None
        # Whether an earlier request of this run was authorised, and whether an answer looked like
        # VAPIX: together they tell a lack of rights and a server that is no Axis device apart.
        self.authorised = False
        self.vapix_seen = False
        # The charset requests are percent-encoded in: UTF-8, or ISO-8859-1 once an answer declares it (firmware
        # that keeps its text in ISO-8859-1 reads requests in it too, as VAPIX asks: UTF-8 bytes would be stored
        # as two characters each, and a name written so would never read back as written).
        self.request_charset = "utf-8"

    @classmethod
    def from_params(cls, params, check_mode=False, environment=None):
        """Build a client from the common connection options of a module (validated before); environment is
        the task's (its keyword environment:), over the controller's."""
        return cls(
            hostname=params["hostname"],
            port=params.get("port"),
            protocol=params.get("protocol") or "https",
            username=params["username"],
            password=params["password"],
            auth=params.get("auth") or "digest",
            validate_certs=params.get("validate_certs", True),
            ca_path=params.get("ca_path"),
            timeout=params["timeout"] if params.get("timeout") is not None else 30,
            check_mode=check_mode,
            environment=environment,
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

    def describe(self, path, args):
        """The request as it may be shown to a person: secrets masked, each argument cut to SHOWN_ARGUMENT
        characters (masked first, so that a cut never leaves part of a secret unmasked)."""
        query = encode_args(args or ())
        shown = self.mask(path + ("?" + query if query else ""))
        return "&".join(part if len(part) <= SHOWN_ARGUMENT else f"{part[:SHOWN_ARGUMENT]}...({len(part)} characters)"
                        for part in shown.split("&"))

    def proxy(self):
        """The proxy the environment sets for the camera (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY; NO_PROXY read), as
        it may be shown (no user or password), or None."""
        url = requests.utils.select_proxy(self.base_url, self.session.proxies)
        if not url:
            return None
        parts = urlsplit(url if "://" in url else "http://" + url)
        return "{}://{}".format(parts.scheme, parts.netloc.rpartition("@")[2])

    def _transport_error(self, exc, api, path, args, write, overdue=False):
        """overdue: the request's timeout had passed (its deadline cut off an answer still coming)."""
        error_class, what = classify_transport_error(exc)
        if error_class == TIMEOUT and overdue:
            what = "no complete answer within the timeout (%s s)" % self.timeout
        detail = self.mask(exc)
        if len(detail) > 300:
            detail = detail[:300] + "..."
        hint = _REMEDY.get(error_class)
        if any(type(item).__name__ == "ProxyError" for item in _causes(exc)):
            # What failed is the proxy, not the camera: say so, and how to reach the camera without it.
            if "tunnel connection failed: 407" in str(exc).lower():
                error_class, what = AUTH, "the proxy asks for authentication (407)"
            description = f"no answer from {self.base_url} through the proxy {self.proxy()}: {what} [{detail}]"
            hint = _PROXY_REMEDY
        else:
            description = f"no answer from {self.base_url}: {what} [{detail}]"
        if write and error_class == TIMEOUT:
            # What to do next is the task's to say (a rerun converges; a disk job started must be waited for first).
            description += ("; this request changes the camera and the camera may have applied it: the next run "
                            "reads the state the camera is in now")
        return VapixError(api, self.describe(path, args), description, hint=hint, error_class=error_class)

    def _fetch(self, method, url, body, sink, deadline):
        """One request; the response with its body read, at most MAX_ANSWER_BYTES. With sink (an open binary
        file), a 200 answer that is not XML is written there whole instead (an exported recording).

        The answer must be complete by the deadline (a _Deadline), the Digest challenge's round trip included,
        however the camera spaces its bytes; an exported file only has to begin by then (the deadline is
        lifted: it may take longer to come whole, each wait for more of it bounded by timeout)."""
        _CURRENT.deadline = deadline
        try:
            return self._fetch_by(deadline, method, url, body, sink)
        finally:
            _CURRENT.deadline = None

    def _fetch_by(self, deadline, method, url, body, sink):
        # Redirects are never followed (see answer): a write would be sent again, to wherever the answer
        # points, and the Digest answer to that server's challenge would go with it.
        if method == "POST":
            response = self.session.post(url, data=body, timeout=self.timeout, verify=self.verify, stream=True,
                                         headers={"Content-Type": "application/json"}, allow_redirects=False)
        else:
            response = self.session.get(url, timeout=self.timeout, verify=self.verify, stream=True,
                                        allow_redirects=False)
        streamed = sink is not None and response.status_code == 200 and \
            "xml" not in (response.headers.get("Content-Type") or "").lower()
        data = bytearray()
        try:
            if streamed:
                deadline.at = None
                sink.seek(0)
                sink.truncate()
            for chunk in response.iter_content(CHUNK_BYTES):
                if streamed:
                    sink.write(chunk)
                    continue
                data.extend(chunk)
                if len(data) > MAX_ANSWER_BYTES:
                    return response, None
        finally:
            response.close()
        return response, bytes(data)

    def _send(self, method, path, args, body, write, api=None, sink=None):
        if self.stopped is not None:
            raise self.stopped
        if write and self.check_mode:
            raise WriteInCheckMode(" or ".join(calls_at(path, write)) or "a call the table does not have",
                                   self.describe(path, args))
        url = self.base_url + CGI_ROOT + path
        try:
            query = encode_args(args or (), self.request_charset)
        except UnicodeEncodeError:
            raise self.unsendable(path, args)
        if query:
            url += "?" + query
        attempts = 1 if write else READ_ATTEMPTS
        last_error = None
        for attempt in range(attempts):
            if attempt:
                self._sleep(BACKOFF_SECONDS[min(attempt - 1, len(BACKOFF_SECONDS) - 1)])
            try:
                with self._count_lock:
                    self.request_count += 1
                if write:
                    self.write_count += 1
                deadline = _Deadline(time.monotonic() + self.timeout, self.timeout)
                response, data = self._fetch(method, url, body, sink, deadline)
            except requests.exceptions.RequestException as exc:
                # A write the camera refused with a 401 whose body or resend the deadline cut was not carried out.
                carried_out = write and not getattr(exc, "refused", False)
                last_error = self._transport_error(exc, api, path, args, carried_out, overdue=deadline.left() == 0)
                if carried_out and last_error.error_class == TIMEOUT:
                    self.unanswered_writes += 1
                if last_error.error_class in (DNS, TLS, NOT_TLS, AUTH):
                    break
                continue
            if data is None:
                raise damaged_answer(api, self.describe(path, args),
                                     "the answer is larger than %d bytes, which no VAPIX answer of this API is"
                                     % MAX_ANSWER_BYTES)
            if response.status_code >= 500 and not write and attempt + 1 < attempts:
                last_error = None
                continue
            return response, data
        if last_error is None:  # pragma: no cover - loop always sets or returns
            last_error = VapixError(api, self.describe(path, args), "no answer", error_class=TIMEOUT)
        raise last_error

    def _unauthorised(self, response, api, shown, level):
        """The error for a 401: a Digest challenge this cannot answer, too few rights after earlier success, wrong
        scheme, or wrong credentials."""
        offered = [scheme for scheme in offered_schemes(response) if scheme in ("basic", "digest")]
        challenges = parse_challenges(response.headers.get("WWW-Authenticate"))
        if self.auth == "digest" and challenges and answerable(challenges) is None:
            # No answer to it was sent: no password to check.
            asked = " or ".join(dict.fromkeys(cannot_answer(challenge) for challenge in challenges))
            what = "the camera asks for Digest authentication with %s, which this client cannot answer" % asked
            if not self.authorised:
                what += ", so no credentials were sent"
            if "basic" in offered:
                hint = "set auth: basic, which the camera offers too (over HTTPS only)"
            else:
                hint = "let the camera offer Digest with algorithm MD5 or SHA-256 and qop auth, which this client answers"
            return VapixError(api, shown, what, http_status=401, hint=hint, error_class=AUTH)
        if self.authorised:
            return VapixError(api, shown, "user '%s' was accepted for the earlier requests of this run but is "
                                          "refused for this one: it lacks the access level it needs (%s)"
                              % (self.username, level), http_status=401,
                              hint="use an account with that access level", error_class=FORBIDDEN)
        if offered and self.auth not in offered:
            return VapixError(api, shown, "the camera accepts only %s authentication and auth is %s"
                              % (" and ".join(scheme.capitalize() for scheme in offered), self.auth),
                              http_status=401, hint="set auth: %s" % offered[0], error_class=AUTH)
        return VapixError(api, shown, "authentication failed for user '%s'" % self.username, http_status=401,
                          hint="check username and password (the camera offers %s authentication)"
                          % (" and ".join(scheme.capitalize() for scheme in offered) or "no known"),
                          error_class=AUTH)

    def _not_vapix(self, api, shown, what):
        return VapixError(api, shown, "%s at %s, and no answer of this run looked like an Axis camera's"
                          % (what, self.base_url),
                          hint="check hostname, port and protocol: the server there is not an Axis device's "
                               "VAPIX interface", error_class=NOT_VAPIX)

    def _learn_charset(self, charset):
        """Requests go in ISO-8859-1 from the first answer that declares it (Content-Type or XML declaration), an
        answer read before the run's first write: what the plan checked is what the writes send, whatever a later
        answer says."""
        if charset and not self.write_count and charset.strip().lower() in LATIN1_NAMES:
            self.request_charset = "iso-8859-1"

    def foreign(self, text):
        """The characters of text that the camera's request charset cannot hold ('' when none)."""
        return foreign_characters(text, self.request_charset)

    def unsendable(self, path, args):
        """The ValidationError for a request whose text the camera's charset cannot hold, raised before it is sent:
        the arguments named (not their values, which may be secrets), and the characters that cannot go."""
        named = []
        for name, value in (args.items() if isinstance(args, dict) else args or ()):
            foreign = foreign_characters(value, self.request_charset) if isinstance(value, str) else ""
            if foreign:
                secret = any(secret and secret in value for secret in self._secrets)
                named.append(f"{name} (a secret)" if secret else f"{name} (the character(s) {foreign})")
        return ValidationError("%s was not sent: this camera keeps its text in %s (its answers declare that "
                               "charset), which cannot hold %s; use only characters of %s"
                               % (path, self.request_charset.upper(), ", ".join(named), self.request_charset.upper()))

    def answer(self, path, args=None, write=False, api=None, method="GET", body=None, sink=None):
        """Send one request; return (response, body bytes); HTTP errors raise VapixError.
        With sink, a file answer goes into it and the body returned is empty (see _fetch)."""
        response, data = self._send(method, path, args, body, write, api=api, sink=sink)
        if response.status_code == 200:
            self._learn_charset(declared_charset(response))
        # The camera's clock, for what is measured against "now" (recording coverage).
        self.camera_date = response.headers.get("Date") or self.camera_date
        status = response.status_code
        if status == 401:
            raise self._unauthorised(response, api, self.describe(path, args), needed_level(path, write))
        if 300 <= status < 400:
            raise self._redirected(response, api, self.describe(path, args), write)
        self.authorised = True
        if status >= 400:
            raise self._http_error(response, path, args, write, api, data)
        return response, data

    def _redirected(self, response, api, shown, write):
        """The error for a redirect (3xx): never followed, so no request goes anywhere but hostname:port as
        configured; the hint names the option that would reach the address it points to."""
        status = response.status_code
        given = (response.headers.get("Location") or "").strip()
        hint = "check hostname, port and protocol"
        if not given:
            # 304 Not Modified, 300 Multiple Choices, or a redirect that names no address: nowhere to point to.
            what = "the server answers HTTP %d %s without a Location, where a camera answers the request" \
                % (status, self.mask(response.reason or ""))
            when = ""
        else:
            try:
                location = urljoin(self.base_url + "/", given)
                target = urlsplit(location)
                hostname = target.hostname
            except ValueError:
                # Not a URL (http://[::1): said as given.
                location, target, hostname = given, None, None
            if target is not None:
                try:
                    port = target.port or (443 if target.scheme == "https" else 80)
                except ValueError:
                    port = None
                if (hostname or "").lower() != urlsplit(self.base_url).hostname.lower():
                    hint = "set hostname to the camera's own address; the collection talks only to the host it is given"
                elif target.scheme in ("http", "https") and target.scheme != self.protocol:
                    hint = f"set protocol: {target.scheme} and port: {port}"
                elif port is not None and port != self.port:
                    hint = "set port: %s" % port
            what = "the server redirects to %s, which is not followed" % self.mask(location.split("?", 1)[0])
            when = " before redirecting"
        what += " (requests go only to %s)" % self.base_url
        if write:
            what += "; this request changes the camera and the camera may have carried it out" + when
        return VapixError(api, shown, what, http_status=status, hint=hint, error_class=NOT_VAPIX)

    def _http_error(self, response, path, args, write, api, data=b""):
        """The error for an answer with status 403, 404 or another of 400 and over; for another, the API
        family's error envelope in its body (a code and the camera's text) is kept, with the status."""
        status = response.status_code
        # Described (secrets masked) only here, where it is shown: masking the text of every request that
        # succeeds would spend CPU on text nobody sees.
        shown = self.describe(path, args)
        if status == 407:
            return VapixError(api, shown, "the proxy %s asks for authentication (407)" % self.proxy(), http_status=407,
                              hint=_PROXY_REMEDY, error_class=AUTH)
        if status == 403:
            return VapixError(api, shown, "user '%s' lacks the access level for this request (needs %s)"
                              % (self.username, needed_level(path, write)), http_status=403, error_class=FORBIDDEN)
        if status == 414:
            return VapixError(api, shown, "the camera does not take a request this long (%d characters of "
                              "arguments)" % len(encode_args(args or ())), http_status=414,
                              hint="shorten the longest text value of the task")
        if status == 404:
            if path == CALLS["param_list"].path:
                return self._not_vapix(api, shown, "HTTP 404 for %s%s, which every Axis device serves"
                                       % (CGI_ROOT, path))
            reason = "the camera answers 404: this firmware lacks the API"
            if not self.vapix_seen:
                reason += ("; no other answer of this run has shown an Axis camera yet, so if this is not old "
                           "firmware, check hostname, port and protocol")
            return UnsupportedError(shown.split("?", 1)[0], reason)
        told = self._envelope_in(response, data, api, path, args)
        if told is not None:
            return VapixError(api, shown, told.description, code=told.code, http_status=status,
                              calls=calls_of(path), hint=told.hint)
        what = "HTTP {} {}".format(status, self.mask(response.reason or ""))
        if write and status >= 500:
            # A server error says nothing of how far the camera got: why writes are never sent again.
            what += "; this request changes the camera, and the camera may have carried it out"
        return VapixError(api, shown, what, http_status=status)

    def _envelope_in(self, response, data, api, path, args):
        """The API family's error envelope in the body of an HTTP error answer, as the VapixError it says
        (None when the body is not XML or holds none: an HTML page, plain text)."""
        if not data or b"<" not in data[:512]:
            return None
        try:
            root = _xml.parse(data, charset=declared_charset(response))
        except _xml.XMLParseError:
            return None
        try:
            self.raise_for_envelope(root, api, path, args)
        except VapixError as exc:
            return exc
        return None

    def decode(self, response, data, api, path, args):
        """Answer bytes -> text: the declared charset, else UTF-8, else ISO-8859-1; a declared charset
        the bytes do not follow is a damaged answer."""
        charset = declared_charset(response)
        if charset:
            note_answer_charset(charset)
            try:
                return data.decode(charset)
            except LookupError:
                raise damaged_answer(api, self.describe(path, args),
                                     "the answer declares an unknown charset %r" % charset)
            except UnicodeDecodeError as exc:
                raise damaged_answer(api, self.describe(path, args),
                                     f"the answer is not valid {charset} text ({exc.reason})")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("iso-8859-1")

    def request(self, path, args=None, write=False, api=None, method="GET", body=None):
        """Send one request and return the answer as text; HTTP errors raise VapixError."""
        response, data = self.answer(path, args, write=write, api=api, method=method, body=body)
        return self.decode(response, data, api, path, args)

    # -- XML families ----------------------------------------------------------

    def download(self, path, args, out, api=None):
        """Stream a file answer (an exported recording) into the open binary file out; return its size.
        An XML answer instead of the file is the camera's error envelope and raises."""
        response, data = self.answer(path, args, api=api, sink=out)
        if data:
            try:
                root = _xml.parse(data, charset=declared_charset(response))
                note_answer_charset(root.getroottree().docinfo.encoding)
            except _xml.XMLParseError as exc:
                raise damaged_answer(api, self.describe(path, args), self.mask(str(exc)))
            self.raise_for_envelope(root, api, path, args)
            raise damaged_answer(api, self.describe(path, args), "the camera answered XML instead of the file")
        return out.tell()

    def xml(self, path, args=None, write=False, api=None, envelope=True):
        """Send a request to an XML CGI; return the root, or raise on any error envelope
        (envelope=False leaves a result="ERROR" answer to the caller, e.g. a job's findings)."""
        response, data = self.answer(path, args, write=write, api=api)
        try:
            root = _xml.parse(data, charset=declared_charset(response))
            note_answer_charset(root.getroottree().docinfo.encoding)
            self._learn_charset(root.getroottree().docinfo.encoding)
        except _xml.XMLParseError as exc:
            if b"<html" in data[:512].lower():
                raise self._html_instead(api, path, args, write)
            raise damaged_answer(api, self.describe(path, args), self.mask(str(exc)), write=write)
        if _xml.local_name(root).lower() == "html":
            # Well-formed (XHTML) is still a page, not an answer: no write counts as done on the strength of it.
            raise self._html_instead(api, path, args, write)
        self.vapix_seen = True
        if envelope:
            self.raise_for_envelope(root, api, path, args)
        return root

    def _html_instead(self, api, path, args, write):
        """The error for an HTML page where the API answers XML: no Axis camera yet in this run, or a damaged
        answer (a write's may have been carried out)."""
        shown = self.describe(path, args)
        what = "an HTML page instead of the XML answer of %s" % shown.split("?", 1)[0]
        if not self.vapix_seen:
            return self._not_vapix(api, shown, what)
        return damaged_answer(api, shown, what, write=write)

    def raise_for_envelope(self, root, api, path, args):
        """Turn any API family's error envelope into a VapixError.

        Handles ``<GeneralError><ErrorCode/><ErrorDescription/>`` (network
        share, disk properties, storage limit, recording group, health,
        export) and ``result="ERROR"`` with ``description``/``errormsg``
        (disk management jobs, continuous recording profiles). A GeneralError
        under the root of another family's envelope (a DiskPropertiesResponse
        answering setlimit.cgi) is that family's code: it keeps the camera's
        code and text, and gets no sentence from this family's table (only
        that of a code every family shares).
        """
        general = _xml.find_named(root, "GeneralError")
        if general is not None:
            code_text = _xml.child_text(general, "ErrorCode")
            try:
                code = int(code_text) if code_text is not None else None
            except ValueError:
                code = None
            description = _xml.child_text(general, "ErrorDescription")
            if not description:
                # Not the code again ("device error 130: 130"): say that the camera gave no text.
                if code is not None:
                    description = "the camera gave no description"
                elif code_text:
                    description = "the camera gave error code %r and no description" % code_text
                else:
                    description = "the camera reported an error without code or description"
            family = envelope_family(_xml.local_name(root))
            hint = (describe(None, code) or "") if family not in (None, api) else None
            raise VapixError(api, self.describe(path, args), self.mask(description), code=code,
                             calls=calls_of(path), hint=hint)
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            if (_xml.attr(element, "result") or "").upper() == "ERROR":
                description = _xml.attr(element, "description", "errormsg", "error") or "the device reported ERROR"
                raise VapixError(api, self.describe(path, args), self.mask(description))

    # -- parameters ------------------------------------------------------------

    def param_list(self, groups):
        """Read parameter groups; return {name without 'root.': value}.

        A group the firmware does not have is left out (old firmware lacks
        keys and whole groups): the camera answers it with an ``# Error`` line
        that names the group. An ``# Error`` line for one group that does not
        name it is the camera failing the request: a VapixError with its text.
        Any other answer lists the groups asked for, so an empty one, or one
        that is not complete ``name=value`` lines (see :func:`parse_param_list`),
        is a damaged answer, never "no parameters". Values may contain '=';
        masked passwords stay masked.
        """
        groups = list(groups)
        if not groups:
            return {}
        call = CALLS["param_list"]
        args = list(call.leading_args) + [("group", ",".join(groups))]
        text = self.request(call.path, args, api=call.api)
        if _param_error(text) is None:
            shown = self.describe(call.path, args)
            try:
                values = parse_param_list(text, groups)
            except _parsers.AnswerError as exc:
                if not self.vapix_seen and not _PARAM_LINE.search(text):
                    raise self._not_vapix(call.api, shown, "%s answered with no parameter list" % call.path)
                raise damaged_answer(call.api, shown, self.mask(str(exc)))
            if not values:
                raise damaged_answer(call.api, shown, "the answer %s; a camera answers the groups asked for (%s) with "
                                                      "their parameters, or with an '# Error' line for one it lacks"
                                     % ("is empty" if not text.strip() else "lists no parameter", ", ".join(groups)))
            self.vapix_seen = True
            return values
        self.vapix_seen = True
        if len(groups) == 1:
            error = _param_error(text)
            if _names_group(error, groups[0]):
                return {}
            # Any other error line is the camera failing the request, not a group this firmware lacks: reading
            # it as "no such group" would call the camera's features unsupported (or skip them).
            raise VapixError(call.api, self.describe(call.path, args), self.mask(error),
                             hint="the camera refused to list the parameter group %s; run the task again, and "
                                  "check the camera's log if it persists" % groups[0])
        # One missing group spoils a batched list on real firmware: ask one by one.
        values = {}
        for group in groups:
            values.update(self.param_list([group]))
        return values

    def param_update(self, values):
        """Write parameters; values is {name: value} with yes/no for booleans."""
        call = CALLS["param_update"]
        args = list(call.leading_args) + sorted(values.items())
        text = self.request(call.path, args, write=call.writes, api=call.api)
        error = _param_error(text)
        if error is not None:
            hints = [hint for hint in (_refusal_causes(values), _maybe_set(text, values)) if hint]
            raise VapixError(call.api, self.describe(call.path, args), self.mask(error),
                             hint="; ".join(hints) or None)
        if text.strip() and text.strip().upper() != "OK":
            raise damaged_answer(call.api, self.describe(call.path, args),
                                 "the answer is neither OK nor an error: %s" % self.mask(text.strip()[:200]), write=True)

    # -- API discovery ---------------------------------------------------------

    def api_list(self):
        """{api id: version} from apidiscovery.cgi, or None where the firmware has no such service."""
        call = CALLS["api_list"]
        body = json.dumps({"apiVersion": "1.0", "method": "getApiList"})
        try:
            text = self.request(call.path, method=call.method, body=body, api=call.api)
        except UnsupportedError:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            raise damaged_answer(call.api, call.path, "the answer is not complete JSON")
        if not isinstance(data, dict):
            raise damaged_answer(call.api, call.path, "the answer is not a JSON object")
        self.vapix_seen = True
        if "error" in data:
            error = data["error"] or {}
            raise VapixError(call.api, call.path, error.get("message"), code=error.get("code"))
        apis = {}
        for entry in (data.get("data") or {}).get("apiList") or []:
            if entry.get("id"):
                apis[entry["id"]] = entry.get("version")
        return apis


# A line of a parameter list, a dotted name and '=': what tells one from a page of another server, and a
# parameter from the next line of a value that holds a line break.
_PARAM_LINE = re.compile(r"^[ \t]*(?:root\.)?[A-Za-z][\w-]*(?:\.[\w-]+)+[ \t]*=", re.MULTILINE)


def _names_group(error, group):
    """Whether a param.cgi error line is the camera's answer for a group it does not have (firmware answers
    "# Error: Error -1 getting param in group 'Group'"): it names the group."""
    name = group.removeprefix("root.")
    return bool(error) and re.search(r"(?<![\w.])(?:root\.)?%s(?![\w.])" % re.escape(name), error) is not None


# Parameter groups only an admin account may change (vendor docs' access control column); an operator's update of
# one is answered like a value the camera does not take, without a 401 or 403. The keys of those groups an operator
# may change as well (the same column) need no admin account.
ADMIN_WRITTEN_GROUPS = ("Storage.",)
OPERATOR_WRITTEN_KEYS = ("FriendlyName", "MountPointPermissions")


def _refusal_causes(values):
    """For an update of a parameter only an admin may change, the causes param.cgi gives the same answer for."""
    if not any(name.startswith(ADMIN_WRITTEN_GROUPS) and name.rsplit(".", 1)[-1] not in OPERATOR_WRITTEN_KEYS
               for name in values):
        return None
    return ("param.cgi answers so for a value the camera does not take and for a parameter the account may not "
            "change: the Storage parameters need an admin account (but %s, which an operator may change too)"
            % " and ".join(OPERATOR_WRITTEN_KEYS))


def _maybe_set(text, values):
    """For an update of several parameters answered with an error: the sentence naming those the answer does not
    name, which the camera may have set all the same (firmware sets an update's parameters one at a time and
    answers only what it refused); None for one parameter, or when the answer names them all."""
    others = sorted(name for name in values if not _names_group(text, name))
    if len(values) < 2 or not others:
        return None
    return ("the camera may have set the other parameters of this request: %s; a rerun reads what it holds"
            % ", ".join(others))


def _param_error(text):
    """The error text of a param.cgi answer, or None when it is not an error."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("# Error") or stripped.startswith("Error:"):
            return stripped.lstrip("# ").strip()
    return None


def parse_param_list(text, groups=None):
    """Parse ``root.Group.Key=value`` lines into {'Group.Key': 'value'}.

    Firmware ends every line with a line end (LF, or CRLF) and writes each as
    ``name=value``, the name dotted (``Group.Key``, ``Group.S0.Key``); comments
    (``#``) and blank lines are skipped. A value holding a line break (one a
    person or another tool set, e.g. mount options) goes on over the next lines,
    which do not start with a dotted name and '=' (``vers=3.0`` does not): they
    are joined to it. An AnswerError for such a line before any parameter or one
    that starts as a parameter's name (``root.``: cut before its '='), and for a
    last line of the groups asked for (all of them when groups is None) that
    lacks its line end: the answer was cut off there, perhaps in the middle of
    its value.
    """
    values = {}
    name = None
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        if _PARAM_LINE.match(line):
            name, value = line.split("=", 1)
            name = name.strip().removeprefix("root.")
            values[name] = value
        elif name is None or line.startswith("root."):
            # Nothing to go on, or a parameter's name cut before its '='.
            raise _parsers.AnswerError("line %d of the parameter list is not name=value: %r" % (number, line[:80]))
        else:
            values[name] += "\n" + line
        if number == len(lines) and _in_groups(name, groups):
            raise _parsers.AnswerError("the parameter list ends in the middle of a line (%s=...), without its "
                                       "line end: it was cut off" % name)
    return values


def _in_groups(name, groups):
    """Whether the parameter name (without 'root.') is in one of groups (all groups when None)."""
    if groups is None:
        return True
    return any(name == group or name.startswith(group + ".") for group in groups)
