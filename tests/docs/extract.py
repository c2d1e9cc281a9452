# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fenced blocks of a Markdown document, with their doc-test markers.

The convention (tests/docs/README.md):

- a ``yaml``/``yml`` block whose first line is ``# path`` is written to that path;
  one without it is parsed (and syntax-checked when it is a playbook);
- ``bash``/``sh``/``shell`` blocks run in order;
- ``text`` blocks and blocks without a language are prose (diagrams, sample output);
- any other language must carry a marker;
- markers are HTML comments on the lines right above the opening fence:
  ``<!-- doc-test: illustrative -->``, ``<!-- doc-test: skip: REASON -->``,
  ``<!-- doc-test: background until "TEXT" -->``, ``<!-- doc-test: scale: --opt VALUE ... -->``.
"""

from __future__ import annotations

import ipaddress
import re
import shlex
from dataclasses import dataclass, field

SHELL = ("bash", "sh", "shell")
YAML = ("yaml", "yml")
PROSE = ("", "text")

_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")   # also inside list items
_MARKER = re.compile(r"^\s*<!--\s*doc-test:\s*(?P<body>.*?)\s*-->\s*$")
_PATH_COMMENT = re.compile(r"^#\s*(?P<path>[\w./~-]+\.(?:ya?ml|json|cfg|ini|txt|pem))\s*(?:#.*)?$")
_BACKGROUND = re.compile(r'^background\s+until\s+"(?P<ready>[^"]+)"$')
_IPV4 = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?![\w.])")
_LINK = re.compile(r"\[[^\]]*\]\((?P<target>[^)\s]+)\)")
_CODE_SPAN = re.compile(r"`+[^`]*`+")
_HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*#*\s*$")


class DocError(Exception):
    """A block or marker the gate cannot honour; the message starts with doc:line."""


@dataclass
class Marker:
    kind: str                    # illustrative | skip | background | scale
    reason: str = ""             # illustrative/skip: why
    ready: str = ""              # background: text the output shows once it is up
    scale: dict = field(default_factory=dict)   # scale: option -> smaller value


@dataclass
class Block:
    doc: str                     # path of the document, as given
    line: int                    # line number of the first content line (1-based)
    language: str
    text: str
    markers: list = field(default_factory=list)

    @property
    def where(self):
        return "%s:%d" % (self.doc, self.line)

    def marker(self, kind):
        for marker in self.markers:
            if marker.kind == kind:
                return marker
        return None

    @property
    def not_run(self):
        """The illustrative or skip marker when the block is not run, else None."""
        return self.marker("illustrative") or self.marker("skip")

    @property
    def kind(self):
        if self.not_run:
            return self.not_run.kind
        if self.language in SHELL:
            return "background" if self.marker("background") else "shell"
        if self.language in YAML:
            return "file" if self.target_path else "yaml"
        return "prose"

    @property
    def target_path(self):
        """The path a YAML block names in its first line (``# inventory.yml``), or None."""
        if self.language not in YAML:
            return None
        first = self.text.split("\n", 1)[0]
        match = _PATH_COMMENT.match(first.strip())
        return match.group("path") if match else None

    def scaled_text(self):
        """The block with every option a scale marker names set to its smaller value."""
        marker = self.marker("scale")
        if not marker:
            return self.text
        text = self.text
        for option, value in marker.scale.items():
            pattern = re.compile(r"(?<!\S)%s(?:=|\s+)\S+" % re.escape(option))
            if not pattern.search(text):
                raise DocError("%s: the scale marker names %s, which the command does not use"
                               % (self.where, option))
            text = pattern.sub(lambda _m, o=option, v=value: f"{o} {v}", text)
        return text


def parse_marker(body, where):
    """One marker comment's body (after ``doc-test:``)."""
    kind, _sep, rest = body.partition(":")
    kind, rest = kind.strip(), rest.strip()
    if kind == "illustrative":
        return Marker("illustrative", reason=rest)
    if kind == "skip":
        if not rest:
            raise DocError("%s: 'skip' needs a reason: <!-- doc-test: skip: REASON -->" % where)
        return Marker("skip", reason=rest)
    if kind == "scale":
        words = shlex.split(rest)
        if not words or len(words) % 2 or not all(w.startswith("-") for w in words[::2]):
            raise DocError("%s: 'scale' needs option/value pairs: <!-- doc-test: scale: --cameras 3 -->"
                           % where)
        return Marker("scale", scale=dict(zip(words[::2], words[1::2])))
    match = _BACKGROUND.match(body.strip())
    if match:
        return Marker("background", ready=match.group("ready"))
    raise DocError('%s: unknown doc-test marker %r (known: illustrative, skip: REASON, '
                   'background until "TEXT", scale: --OPTION VALUE)' % (where, body))


def parse(doc, text):
    """Every fenced block of a document, in order, with the markers right above it."""
    lines = text.split("\n")
    blocks = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        fence = opening.group("fence")
        language = opening.group("info").strip().split(" ", 1)[0].lower()
        markers = []
        above = index - 1
        while above >= 0 and _MARKER.match(lines[above]):
            markers.insert(0, parse_marker(_MARKER.match(lines[above]).group("body"),
                                           "%s:%d" % (doc, above + 1)))
            above -= 1
        body = []
        index += 1
        start = index
        while index < len(lines):
            stripped = lines[index].strip()
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
                break
            body.append(lines[index][len(opening.group("indent")):])
            index += 1
        else:
            raise DocError("%s:%d: the fenced block opened here is never closed" % (doc, start))
        index += 1
        blocks.append(Block(doc=doc, line=start + 1, language=language,
                            text="\n".join(body) + "\n", markers=markers))
    for block in blocks:
        check(block)
    return blocks


def check(block):
    """Refuse blocks the gate could neither run nor honestly leave alone."""
    kinds = [m.kind for m in block.markers]
    if len(set(kinds)) != len(kinds):
        raise DocError("%s: the same doc-test marker twice" % block.where)
    if block.not_run and len(block.markers) > 1:
        raise DocError("%s: a block that is not run takes no other marker" % block.where)
    if block.not_run:
        return
    if block.language not in SHELL + YAML + PROSE:
        raise DocError("%s: the gate cannot run a %r block; mark it <!-- doc-test: illustrative -->"
                       % (block.where, block.language))
    if block.language in PROSE and block.markers:
        raise DocError("%s: a prose block takes no doc-test marker" % block.where)
    if (block.marker("background") or block.marker("scale")) and block.language not in SHELL:
        raise DocError("%s: background and scale apply to shell blocks only" % block.where)
    if block.marker("background") and len(
            [line for line in block.text.splitlines() if line.strip() and not line.lstrip().startswith("#")]) != 1:
        raise DocError("%s: a background block holds exactly one command" % block.where)
    block.scaled_text()


def addresses(blocks):
    """Every IPv4 address outside 127.0.0.0/8 that a block to be run mentions, in order."""
    found = []
    for block in blocks:
        if block.not_run or block.kind == "prose":
            continue
        for text in _IPV4.findall(block.text):
            try:
                address = ipaddress.IPv4Address(text)
            except ValueError:
                continue
            if not address.is_loopback and not address.is_unspecified and str(address) not in found:
                found.append(str(address))
    return found


def anchor(title):
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", _CODE_SPAN.sub(lambda m: m.group(0).strip("`"), title).lower()).replace(" ", "-")


def prose_lines(text):
    """(line number, line) of the text outside fenced blocks."""
    inside = None
    for number, line in enumerate(text.split("\n"), 1):
        opening = _FENCE.match(line)
        if inside is None and opening:
            inside = opening.group("fence")[0]
        elif inside is not None and line.strip().startswith(inside * 3) and not line.strip().strip(inside):
            inside = None
        elif inside is None:
            yield number, line


def check_links(doc, text, repo):
    """Every relative link names a file of the repository (and a heading of it, with #anchor)."""
    repo = repo.resolve()
    for number, line in prose_lines(text):
        for match in _LINK.finditer(_CODE_SPAN.sub("", line)):
            target = match.group("target")
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):
                continue                                    # https:, mailto:
            name, _sep, fragment = target.partition("#")
            path = ((repo / doc).parent / name).resolve() if name else (repo / doc).resolve()
            where = "%s:%d" % (doc, number)
            if path != repo and repo not in path.parents:
                raise DocError(f"{where}: the link {target} leaves the repository (readers do not have it)")
            if not path.exists():
                raise DocError(f"{where}: the link {target} names no file of the repository")
            if fragment and path.suffix == ".md" and fragment not in [
                    anchor(_HEADING.match(l).group("title")) for _n, l in prose_lines(path.read_text())
                    if _HEADING.match(l)]:
                raise DocError(f"{where}: the link {target} names no heading of {path.name}")
