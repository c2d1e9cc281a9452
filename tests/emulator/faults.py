"""Answer faults: what a damaged network path or a misbehaving firmware does to an answer.

One fault names a CGI path and a kind; it is used up by the next ``times`` authenticated
requests to that path, after the first ``skip`` of them (default 0) were answered as they are: a
fault that strikes a later answer of a run, e.g. the polls of its second job. Kinds (see README.md,
"Answer faults"):

- ``truncate``: the answer ends right after the text ``after`` (default: half-way), with a
  matching Content-Length, as a proxy that cuts a body short would deliver it;
- ``cut_short``: the same cut, but the Content-Length announces the whole answer and the
  connection closes after the part sent, as when the connection drops in the middle of an answer;
- ``drop_attribute``: the XML attribute ``name`` is removed wherever it appears;
- ``set_attribute``: the XML attribute ``name`` says ``value`` wherever it appears (a
  well-formed answer whose values contradict each other);
- ``replace_body``: the answer is ``body`` (with ``content_type``, ``status`` and ``headers``),
  e.g. another root, an HTML page, or a 401 for a user the camera accepted before;
- ``device_error``: the API family's error envelope with ``code`` and ``description``,
  optionally echoing the request's arguments (``echo_args``) in the form ``echo_form``;
- ``no_answer``: no answer at all, the connection closed (after the request was carried out,
  unless ``apply`` is false): the global ``drop`` fault, aimed at one request of one CGI.

``apply`` (default true, except for ``device_error``) runs the request first, so the state
changes and only the answer is damaged: a write that was carried out but answered with an
error. ``hang_ms`` delays the answer (after applying), so a client times out on a write the
camera did carry out. ``declare_charset`` makes the answer claim a charset (HTTP header and
XML declaration) without re-encoding its UTF-8 bytes: a mis-declared answer.
"""

import json
import re
import urllib.parse

from . import render as R

KINDS = ("truncate", "cut_short", "drop_attribute", "set_attribute", "replace_body", "device_error",
         "no_answer")
ECHO_FORMS = ("raw", "percent", "percent_lower", "plus", "entities", "json")
_FIELDS = {"path", "kind", "times", "skip", "apply", "hang_ms", "after", "name", "value", "body", "content_type",
           "status", "headers", "code", "description", "echo_args", "echo_form", "declare_charset"}
_DECLARATION = re.compile(rb'^(\s*<\?xml[^>]*?)(\s+encoding\s*=\s*["\'][^"\']*["\'])?(\s*\?>)', re.IGNORECASE)


def _cgi_path(path):
    path = str(path)
    if not path.startswith("/"):
        path = "/axis-cgi/" + path
    return path


class AnswerFault:
    def __init__(self, spec):
        unknown = set(spec) - _FIELDS
        if unknown:
            raise ValueError("unknown answer fault field(s): %s" % ", ".join(sorted(unknown)))
        if spec.get("kind") not in KINDS:
            raise ValueError("answer fault kind must be one of %s" % ", ".join(KINDS))
        if not spec.get("path"):
            raise ValueError("answer fault needs a path")
        self.path = _cgi_path(spec["path"])
        self.kind = spec["kind"]
        self.times = max(1, int(spec.get("times", 1)))
        self.skip = max(0, int(spec.get("skip", 0)))
        self.apply = bool(spec.get("apply", self.kind != "device_error"))
        self.hang_ms = max(0, int(spec.get("hang_ms", 0)))
        self.after = spec.get("after")
        self.name = spec.get("name")
        self.value = str(spec.get("value", ""))
        self.body = spec.get("body", "")
        self.content_type = spec.get("content_type", "text/xml")
        self.status = int(spec.get("status", 200))
        self.headers = [(str(k), str(v)) for k, v in (spec.get("headers") or {}).items()]
        self.code = spec.get("code", 10)
        self.description = spec.get("description", "Internal error")
        self.echo_args = bool(spec.get("echo_args", False))
        self.echo_form = spec.get("echo_form", "raw")
        self.declare_charset = spec.get("declare_charset")
        if self.kind in ("drop_attribute", "set_attribute") and not self.name:
            raise ValueError("%s needs name" % self.kind)
        if self.echo_form not in ECHO_FORMS:
            raise ValueError("echo_form must be one of %s" % ", ".join(ECHO_FORMS))

    def describe(self):
        return {"path": self.path, "kind": self.kind, "times": self.times, "skip": self.skip, "apply": self.apply,
                "hang_ms": self.hang_ms}

    # ---- what the answer becomes -------------------------------------------------------

    def damage(self, reply, pairs):
        """(body, content type, status, headers, announced length) of the damaged answer for reply (the
        camera's own Reply, or None when the request was not applied); the announced length is None
        when the Content-Length is the body's own."""
        announced = None
        if self.kind in ("truncate", "cut_short"):
            body = reply.body
            marker = self.after.encode("utf-8") if self.after else None
            cut = body.find(marker) + len(marker) if marker and marker in body else len(body) // 2
            out = _reply(body[:cut], reply.ctype, reply.status)
            if self.kind == "cut_short":
                announced = len(body)
        elif self.kind == "drop_attribute":
            pattern = re.compile(rb'\s' + re.escape(self.name.encode("utf-8")) + rb'\s*=\s*"[^"]*"', re.IGNORECASE)
            out = _reply(pattern.sub(b"", reply.body), reply.ctype, reply.status)
        elif self.kind == "set_attribute":
            pattern = re.compile(rb'(\s' + re.escape(self.name.encode("utf-8")) + rb'\s*=\s*")[^"]*"', re.IGNORECASE)
            value = self.value.encode("utf-8")
            out = _reply(pattern.sub(lambda m: m.group(1) + value + b'"', reply.body), reply.ctype, reply.status)
        elif self.kind == "replace_body":
            out = _reply(self.body.encode("utf-8"), self.content_type, self.status)
        else:
            description = self.description
            if self.echo_args:
                description += " (request: %s)" % "&".join(
                    f"{name}={_echo(value, self.echo_form)}" for name, value in pairs)
            body, ctype = error_answer(self.path, self.code, description)
            out = _reply(body.encode("utf-8"), ctype, 200)
        if self.declare_charset:
            out = _reply(_declare(out.body, self.declare_charset), "{}; charset={}".format(
                out.ctype.split(";")[0], self.declare_charset), out.status)
        return out.body, out.ctype, out.status, self.headers if self.kind == "replace_body" else [], announced


class _Answer:
    __slots__ = ("body", "ctype", "status")

    def __init__(self, body, ctype, status):
        self.body, self.ctype, self.status = body, ctype, status


def _reply(body, ctype, status):
    return _Answer(body, ctype, status)


def _declare(body, charset):
    """Make an XML declaration name charset (the bytes stay as they are)."""
    match = _DECLARATION.match(body)
    if not match:
        return body
    return match.group(1) + (' encoding="%s"' % charset).encode("ascii") + match.group(3) + body[match.end():]


def _echo(value, form):
    if form == "percent":
        return urllib.parse.quote(value, safe="")
    if form == "percent_lower":
        return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), urllib.parse.quote(value, safe=""))
    if form == "plus":
        return urllib.parse.quote_plus(value, safe="")
    if form == "entities":
        return "".join("&#%d;" % ord(char) if ord(char) > 127 else char for char in value)
    if form == "json":
        return json.dumps(value)[1:-1]
    return value


def error_answer(path, code, description):
    """(body, content type) of the error envelope the API family of path answers with."""
    if path.endswith("/param.cgi"):
        return "# Error: %s\n" % description, "text/plain"
    if "/disks/properties/" in path:
        return R.dp_error(code, description), "text/xml"
    if "/disks/networkshare/" in path:
        return R.NS.error(code, description), "text/xml"
    if "/record/storage/" in path:
        return R.SL.error(code, description), "text/xml"
    if "/record/recording_group/" in path:
        return R.RG.error(code, description), "text/xml"
    if "/record/continuous/" in path:
        return R.rec_result("continuousconfiguration1.xsd", "configure",
                            [{"profile": "", "result": "ERROR", "errormsg": description}]), "text/xml"
    if "/disks/" in path:
        action = path.rsplit("/", 1)[-1].replace(".cgi", "")
        return R.start_job(action, "", error=description), "text/xml"
    return R.status_html(500, description), "text/html"
