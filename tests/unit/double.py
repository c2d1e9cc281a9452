# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one test double of the unit tests: a camera that answers an ordered list of expected calls.

It plugs in at the transport, as a ``requests`` adapter mounted on the
session of a real :class:`VapixClient`, so the real client (encoding, error
envelopes, charsets), the real :class:`Device` (cache, invalidation) and the
real parsers run. A test states the conversation it expects, in order, like a
transcript::

    camera = Transcript(
        Call("param.cgi", {"action": "list"}).answers_file("params_980.txt"),
        Call("disks/list.cgi", {"diskid": "all"}).answers_file("disks_list_980.xml"),
        Call("disks/lock.cgi", {"action": "lock", "diskid": "SD_DISK"}).answers("<root/>"),
    )
    device = camera.device()

Each expected call names the HTTP method, the CGI path under ``/axis-cgi/``,
the parameters that must be present (``exact=True``: no others), or the exact
body of a POST; and the answer: status, body bytes and headers, or a
transport error to raise. The double fails clearly on a call nobody expected,
on a call out of order, and (see :meth:`Transcript.assert_done`, which the
unit tests' conftest runs after every test) on expected calls left over. It
records every request, and which of them the client sent as writes (the
client's own write counter tells, so no list of write CGIs is kept here).

Module parameters are built with :func:`module_params`, through Ansible's
argument spec validator, so defaults, aliases and type conversion apply as in
a real run.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import json
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.vapix.edge_storage.plugins.module_utils._client import CGI_ROOT, VapixClient
from ansible_collections.vapix.edge_storage.plugins.module_utils._device import Device
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ValidationError

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PASSWORD = "pass"

# Every transcript made in the current test; the unit tests' conftest checks each is used up.
LIVE = []


class TranscriptMismatch(BaseException):
    """The code under test sent a request the transcript does not expect (or not now).

    A BaseException, so that no ``except Exception`` of the code under test can
    turn it into an ordinary failure the test might expect; it is also recorded
    and raised again when the test ends.
    """


def fixture_bytes(name):
    """A unit-test fixture file, as the bytes a camera would send."""
    return (FIXTURES / name).read_bytes()


def _text(value):
    """A parameter value as it is on the wire: booleans yes/no, everything else str()."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _content_type(body):
    """The Content-Type a camera sends with such a body."""
    start = body.lstrip()[:64].lower()
    if start.startswith(b"<html") or start.startswith(b"<!doctype html"):
        return "text/html"
    if start.startswith(b"<"):
        return "text/xml"
    if start.startswith(b"{"):
        return "application/json"
    return "text/plain"


class Call:
    """One expected request and the camera's answer to it."""

    def __init__(self, path, params=None, method="GET", exact=False, body=None):
        self.method = method
        self.path = path
        self.params = {name: _text(value) for name, value in (params or {}).items()}
        self.exact = exact
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.status = 200
        self.content = b""
        self.headers = {}
        self.error = None
        self.break_after = None

    @classmethod
    def post(cls, path, body):
        """A POST whose body must be exactly body (a dict is compared as JSON)."""
        return cls(path, method="POST", body=json.dumps(body) if isinstance(body, dict) else body)

    def answers(self, body, status=200, headers=None):
        """The answer: body (text is sent as UTF-8, bytes as they are), status and headers.
        Without a Content-Type header, one is chosen from the body as a camera would send it; a header given
        as None is not sent at all ({"Content-Type": None}: an answer without one).
        Returns a new Call: an expected call may be shared and answered differently in two tests."""
        answered = copy.copy(self)
        answered.content = body.encode("utf-8") if isinstance(body, str) else body
        answered.status = status
        answered.headers = dict(headers or {})
        if not any(name.lower() == "content-type" for name in answered.headers) and answered.content:
            answered.headers["Content-Type"] = _content_type(answered.content)
        answered.headers = {name: value for name, value in answered.headers.items() if value is not None}
        return answered

    def answers_file(self, name, status=200, headers=None):
        """The answer is a fixture file of tests/unit/fixtures, byte for byte."""
        return self.answers(fixture_bytes(name), status, headers)

    def breaks_after(self, size):
        """The answer's body stops after size bytes: the connection drops while the body is read."""
        broken = copy.copy(self)
        broken.break_after = size
        return broken

    def fails(self, error):
        """Instead of an answer, the transport raises error (a requests exception: timeout, refused...)."""
        failing = copy.copy(self)
        failing.error = error
        return failing

    def describe(self):
        shown = f"{self.method} {self.path}"
        if self.params:
            shown += " with {}{}".format(", ".join("%s=%s" % item for item in sorted(self.params.items())),
                                         " (exactly)" if self.exact else "")
        if self.body is not None:
            shown += " with body %r" % self.body
        return shown

    def mismatch(self, sent):
        """Why the request sent is not this call, or None when it is."""
        if (sent.method, sent.path) != (self.method, self.path):
            return "expected %s" % self.describe()
        wrong = [f"{name}={sent.params.get(name)!r} (expected {value!r})"
                 for name, value in sorted(self.params.items()) if sent.params.get(name) != value]
        if self.exact:
            wrong += [f"{name}={value!r} (not expected)" for name, value in sorted(sent.params.items())
                      if name not in self.params]
        if self.body is not None and sent.body != self.body:
            wrong.append(f"body {sent.body!r} (expected {self.body!r})")
        if wrong:
            return "the parameters differ: %s" % "; ".join(wrong)
        return None


@dataclasses.dataclass
class Sent:
    """A request the code under test sent: method, CGI path, parameters (dict, decoded), body, whether the
    client counted it as a write, and the query as it went on the wire."""

    method: str
    path: str
    params: dict
    body: bytes | None
    write: bool
    query: str = ""

    def __repr__(self):
        return "{} {} {!r}{}".format(self.method, self.path, self.params, " (write)" if self.write else "")


def _reason(status):
    """The reason phrase of an HTTP status ('' for one HTTP does not define)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class _DroppedBody(io.BytesIO):
    """A body whose connection drops once what it holds is read."""

    def read(self, size=-1):
        chunk = super().read(size)
        if not chunk:
            raise requests.exceptions.ChunkedEncodingError("connection broken: the camera closed it mid-answer")
        return chunk


class _Adapter(BaseAdapter):
    def __init__(self, transcript):
        super().__init__()
        self.transcript = transcript

    def send(self, request, **kwargs):
        return self.transcript.respond(request)

    def close(self):
        pass


class Transcript:
    """The ordered calls a test expects, answered in turn; see the module docstring."""

    def __init__(self, *calls):
        self.expected = list(calls)
        self.sent = []
        self.failure = None
        self._client = None
        self._device = None
        self._writes_seen = 0
        LIVE.append(self)

    def expect(self, *calls):
        """Append more expected calls (e.g. the writes, after the reads of a plan)."""
        self.expected.extend(calls)
        return self

    # -- wiring ----------------------------------------------------------------------------

    def client(self, **options):
        """A real VapixClient whose HTTP goes to this transcript."""
        if self._client is None:
            options.setdefault("protocol", "http")
            self._client = VapixClient("camera.example", "root", options.pop("password", PASSWORD), **options)
            self._client.session.mount("http://", _Adapter(self))
            self._client.session.mount("https://", _Adapter(self))
        return self._client

    def device(self, progress=None, **options):
        """The real Device over client() (one per transcript, so its read cache works as in a run); progress
        is the callback that hears of a long job's progress. Its reads go one after the other (read_threads=1),
        in the order a transcript states them; the integration tests run them at once against the emulator."""
        if self._device is None:
            self._device = Device(self.client(**options), progress=progress, read_threads=1)
        return self._device

    # -- answering ---------------------------------------------------------------------------

    def _fail(self, message):
        if self.failure is None:
            self.failure = TranscriptMismatch(message)
        raise TranscriptMismatch(message)

    def respond(self, request):
        url = urlsplit(request.url)
        path = url.path[len(CGI_ROOT):] if url.path.startswith(CGI_ROOT) else url.path
        body = request.body.encode("utf-8") if isinstance(request.body, str) else request.body
        write = self._client is not None and self._client.write_count > self._writes_seen
        if self._client is not None:
            self._writes_seen = self._client.write_count
        sent = Sent(request.method, path, dict(parse_qsl(url.query, keep_blank_values=True)), body, write, url.query)
        self.sent.append(sent)
        number = len(self.sent)
        if not self.expected:
            self._fail("request %d was not expected (the transcript is used up): %r" % (number, sent))
        call = self.expected[0]
        why = call.mismatch(sent)
        if why is not None:
            later = [index for index, other in enumerate(self.expected[1:], 2) if other.mismatch(sent) is None]
            if later:
                self._fail("request %d is out of order: %r is expected later (call %d of the %d left), but the "
                           "next expected call is %s" % (number, sent, later[0], len(self.expected), call.describe()))
            self._fail("request %d was not expected: %r; %s" % (number, sent, why))
        self.expected.pop(0)
        if call.error is not None:
            raise call.error
        response = requests.Response()
        response.status_code = call.status
        response.reason = _reason(call.status)
        response.headers = CaseInsensitiveDict(call.headers)
        response.raw = io.BytesIO(call.content) if call.break_after is None else \
            _DroppedBody(call.content[:call.break_after])
        response.url = request.url
        response.request = request
        response.encoding = None
        return response

    # -- what happened -----------------------------------------------------------------------

    @property
    def writes(self):
        """[(path, {param: value})] of the requests the client sent as writes, in order."""
        return [(sent.path, sent.params) for sent in self.sent if sent.write]

    @property
    def paths(self):
        """The CGI path of every request sent, in order."""
        return [sent.path for sent in self.sent]

    def assert_done(self):
        """Fail on an earlier mismatch (even if the code under test caught it) or on calls left over."""
        if self.failure is not None:
            raise AssertionError(str(self.failure))
        if self.expected:
            raise AssertionError("%d expected call(s) were not made, first: %s"
                                 % (len(self.expected), self.expected[0].describe()))


def module_params(argument_spec, rules=None, **given):
    """Module parameters as a real run has them: given validated by Ansible's ArgumentSpecValidator with
    the resource's spec (and rules: required_if, mutually_exclusive, ...), defaults and aliases applied."""
    result = ArgumentSpecValidator(argument_spec, **(rules or {})).validate(given)
    if result.error_messages:
        raise AssertionError("invalid module parameters {!r}: {}".format(given, "; ".join(result.error_messages)))
    return result.validated_parameters


def validation_message(build, **params):
    """The message of the ValidationError build(**params) raises: a resource refusing its arguments."""
    with pytest.raises(ValidationError) as refused:
        build(**params)
    return str(refused.value)


def param_list(text, *groups):
    """The expected param.cgi list request (of exactly these groups, when named) answered with text."""
    params = {"action": "list"}
    if groups:
        params["group"] = ",".join(groups)
    return Call("param.cgi", params).answers(text, headers={"Content-Type": "text/plain"})


# -- answers built for a test ----------------------------------------------------------------------

DISK_DEFAULTS = {"name": "", "totalsize": "0", "freesize": "0", "cleanupmaxage": "7", "cleanuppolicy": "fifo",
                 "locked": "no", "full": "no", "readonly": "no", "status": "OK", "filesystem": "ext4",
                 "group": "S0"}


def disk_list(*disks):
    """disks/list.cgi?diskid=all answering these disks: each a dict of list.cgi attributes (diskid first),
    over DISK_DEFAULTS."""
    elements = []
    for disk in disks:
        attributes = dict(DISK_DEFAULTS, **disk)
        elements.append("<disk diskid=\"{}\" {} />".format(attributes.pop("diskid"), " ".join(
            "%s=\"%s\"" % item for item in attributes.items())))
    return Call("disks/list.cgi", {"diskid": "all"}).answers(
        "<?xml version=\"1.0\"?><root><disks numberofdisks=\"%d\">%s</disks></root>" % (len(disks), "".join(elements)))
