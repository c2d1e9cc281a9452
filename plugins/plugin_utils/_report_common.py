# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the audit and the inventory report share: run metadata, counts, failures, checks."""

from __future__ import annotations

import datetime
import json
import os

COLLECTION_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Check:
    """One JUnit test case: a camera's section (audit) or disk (inventory) and how it came out.

    ``outcome`` is passed, failure (drift, a flagged disk), error (the camera failed or could
    not be reached) or skipped (not supported, with ``unsupported: skip``).
    """

    __slots__ = ("name", "outcome", "message", "kind", "text")

    OUTCOMES = ("passed", "failure", "error", "skipped")

    def __init__(self, name, outcome, message, kind=None, text=None):
        if outcome not in self.OUTCOMES:
            raise ValueError("unknown outcome %r" % outcome)
        self.name = name
        self.outcome = outcome
        self.message = message
        self.kind = kind
        self.text = text

    def __repr__(self):
        return f"Check({self.name!r}, {self.outcome!r}, {self.message!r})"


def collection_version():
    """This collection's version: MANIFEST.json when installed, galaxy.yml in a source checkout."""
    manifest = os.path.join(COLLECTION_ROOT, "MANIFEST.json")
    if os.path.isfile(manifest):
        with open(manifest, encoding="utf-8") as handle:
            return json.load(handle).get("collection_info", {}).get("version")
    galaxy = os.path.join(COLLECTION_ROOT, "galaxy.yml")
    if os.path.isfile(galaxy):
        with open(galaxy, encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("version:"):
                    return line.split(":", 1)[1].strip().strip("'\"")
    return None


def run_metadata(inventory_sources=None, now=None):
    """When the report was made, by which collection version, from which inventory."""
    now = now or datetime.datetime.now(datetime.UTC)
    if isinstance(inventory_sources, str):
        inventory_sources = [inventory_sources]
    return {
        "generated_at": now.replace(microsecond=0).isoformat(),
        "collection": "vapix.edge_storage",
        "collection_version": collection_version(),
        "inventory_sources": [str(source) for source in inventory_sources or []],
    }


def count_statuses(cameras, statuses):
    """{'cameras': total, status: how many, ...}; every camera counts, whatever its status."""
    counts = {"cameras": len(cameras)}
    for status in statuses:
        counts[status] = sum(1 for camera in cameras if camera["status"] == status)
    return counts


def camera_error(result):
    """The failure of a module result, as the report keeps it (the module masked its secrets)."""
    error = {
        "message": str(result.get("msg") or "failed without a message"),
        "error_class": result.get("error_class"),
    }
    for key in ("failed_step", "completed_steps", "not_run_steps"):
        if result.get(key):
            error[key] = result[key]
    return error


def value_text(value):
    """A field value as one short line of text (JSON for lists and mappings)."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, str):
        return repr(value)
    return str(value)
