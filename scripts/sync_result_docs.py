# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Copy the shared result keys' entries from the results doc fragment into every module's RETURN.

ansible-doc merges doc fragments into DOCUMENTATION only, so each module's
RETURN holds a copy of the shared entries (plugins/doc_fragments/results.py)
of the keys it returns. After changing the wording there, run

    .venv/bin/python scripts/sync_result_docs.py

and every copy is rewritten: the shared description items, ``returned``,
``type``, ``elements`` and ``contains``, keeping what the module adds (its own
description items after the shared ones, and its ``sample``). Which keys a
module documents is not changed here; tests/functional/test_result_docs.py
says which are missing or wrong.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RETURN = re.compile(r'RETURN = r"""\n(.*?)"""', re.S)
TOP_KEY = re.compile(r"^([A-Za-z_]+):")


def entries(text):
    """{key: its lines} of a RETURN text, in order."""
    found = {}
    key = None
    for line in text.strip("\n").split("\n"):
        match = TOP_KEY.match(line)
        if match:
            key = match.group(1)
            found[key] = []
        found[key].append(line)
    return found


def description_items(lines):
    """The description items of an entry, each as its lines (a one-line description is one item)."""
    items = []
    inside = False
    for line in lines[1:]:
        if line.startswith("  description:"):
            inside = True
            rest = line[len("  description:"):].strip()
            if rest:
                items.append(["    - " + rest])
                inside = False
            continue
        if inside and line.startswith("    - "):
            items.append([line])
        elif inside and line.startswith("      ") and items:
            items[-1].append(line)
        elif inside:
            inside = False
    return items


def field(lines, name):
    """The lines of one field of an entry (the field's line and the deeper lines under it)."""
    for index, line in enumerate(lines):
        if line.startswith("  %s:" % name):
            end = index + 1
            while end < len(lines) and lines[end].startswith("   "):
                end += 1
            return lines[index:end]
    return []


def synced_entry(shared, copy):
    """The module's entry rewritten from the shared one, keeping the module's own items and sample."""
    own_items = description_items(copy)[len(description_items(shared)):]
    lines = [line for line in shared if not line.startswith("  sample:")] if field(copy, "sample") else list(shared)
    at = next(index for index, line in enumerate(lines) if line.startswith("  returned:"))
    lines[at:at] = [line for item in own_items for line in item]
    return lines + field(copy, "sample")


def synced(source, shared):
    """A module file's source with the shared entries of its RETURN rewritten."""
    match = RETURN.search(source)
    copies = entries(match.group(1))
    lines = []
    for key, copy in copies.items():
        lines.extend(synced_entry(shared[key], copy) if key in shared else copy)
    return source[:match.start(1)] + "\n".join(lines) + "\n" + source[match.end(1):]


def shared_entries():
    sys.path.insert(0, str(ROOT / "build" / "collections"))
    from ansible_collections.vapix.edge_storage.plugins.doc_fragments.results import ModuleDocFragment
    return entries(ModuleDocFragment.RETURN)


def main():
    shared = shared_entries()
    for path in sorted((ROOT / "plugins" / "modules").glob("*.py")):
        source = path.read_text()
        new = synced(source, shared)
        if new != source:
            path.write_text(new)
            print("rewrote %s" % path.relative_to(ROOT))


if __name__ == "__main__":
    main()
