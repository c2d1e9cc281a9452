# -*- coding: utf-8 -*-
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compliance audit report: what each camera's check-mode converge found.

Built on the controller from the ``axis_edge_storage`` result of every camera
the audit targeted (``hostvars[camera].edge_storage_result``), including the
cameras that failed or could not be reached. Nothing here talks to a camera.
"""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.plugin_utils._report_common import (
    Check,
    camera_error,
    count_statuses,
    run_metadata,
    value_text,
)

STATUSES = ("compliant", "drift", "unsupported", "failed", "unreachable")

# error_class values of a camera nothing could talk to (the module never reached the device).
UNREACHABLE_CLASSES = ("refused", "timeout", "dns")

# The whole-camera module's sections, in the order it applies them.
SECTIONS = ("shares", "disks", "encryption", "storage_limits", "continuous_profiles", "recording_groups")

# How the engine names the items of each section (Resource.identity), longest prefix first:
# 'share nas1', 'shares other than share nas1', 'all shares (none declared)', 'disk SD_DISK', ...
_IDENTITY_PREFIXES = (
    ("all continuous profiles", "continuous_profiles"),
    ("all recording groups", "recording_groups"),
    ("all shares", "shares"),
    ("continuous profile", "continuous_profiles"),
    ("recording group", "recording_groups"),
    ("storage limit", "storage_limits"),
    ("encryption of", "encryption"),
    ("share", "shares"),
    ("disk", "disks"),
)

DESTRUCTIVE_MARK = " [destructive]"
NEEDS_ALLOW_DATA_LOSS_MARK = " [destructive; needs allow_data_loss]"


def section_of(identity):
    """The section an item (or a skipped part) belongs to, or None when its name says none.

    A name that ends with its section in parentheses ('cleanup_max_age of disk SD_DISK (disks)',
    as whole-camera results label what they skipped) says so itself; otherwise the item's name does.
    """
    text = str(identity or "").strip().lower()
    for section in SECTIONS:
        if text.endswith("(%s)" % section):
            return section
    for prefix, section in _IDENTITY_PREFIXES:
        if text == prefix or text.startswith(prefix + " ") or text.startswith(prefix + "s "):
            return section
    return None


def camera_status(result):
    """compliant, drift, unsupported, failed or unreachable, from one camera's module result."""
    if not result:
        return "failed"
    if result.get("failed"):
        error_class = result.get("error_class")
        if error_class in UNREACHABLE_CLASSES:
            return "unreachable"
        if error_class == "unsupported":
            return "unsupported"
        return "failed"
    if result.get("changed"):
        return "drift"
    if _skipped_entries(result):
        return "unsupported"
    return "compliant"


def field_drift(before, after):
    """Every declared field whose actual value differs: [{section, item, field, declared, actual}]."""
    drift = []
    for item in sorted(set(before or {}) | set(after or {})):
        actual_fields = (before or {}).get(item) or {}
        declared_fields = (after or {}).get(item) or {}
        for field in sorted(set(actual_fields) | set(declared_fields)):
            actual = actual_fields.get(field)
            declared = declared_fields.get(field)
            if actual != declared:
                drift.append({"section": section_of(item), "item": item, "field": field,
                              "declared": declared, "actual": actual})
    return drift


def planned_steps(result):
    """The plan's steps with their data-loss marks: [{text, destructive, needs_allow_data_loss}]."""
    waiting = set(result.get("needs_allow_data_loss") or [])
    steps = []
    for text in result.get("steps") or []:
        text = str(text)
        needs = text in waiting or text.endswith(NEEDS_ALLOW_DATA_LOSS_MARK)
        steps.append({"text": text, "destructive": needs or text.endswith(DESTRUCTIVE_MARK),
                      "needs_allow_data_loss": needs})
    return steps


def _skipped_entries(result):
    """The {what, why} entries of what unsupported: skip left out.

    The module returns them as ``skipped_unsupported``: Ansible reads a true ``skipped`` key as
    "the task was skipped". A ``skipped`` list is accepted too.
    """
    entries = result.get("skipped_unsupported")
    if entries is None and isinstance(result.get("skipped"), list):
        entries = result["skipped"]
    return entries or []


def skipped_parts(result):
    """What unsupported: skip left out: [{what, why, section}]."""
    parts = []
    for entry in _skipped_entries(result):
        if isinstance(entry, dict):
            what, why = entry.get("what"), entry.get("why")
        else:
            what, why = entry, None
        parts.append({"what": str(what), "why": why, "section": section_of(what)})
    return parts


def audit_camera(name, result):
    """One camera's entry in audit.json."""
    result = result or {}
    status = camera_status(result)
    entry = {
        "name": name,
        "status": status,
        "model": result.get("model"),
        "firmware": result.get("firmware"),
        "drift": field_drift(result.get("before"), result.get("after")) if status == "drift" else [],
        "steps": planned_steps(result),
        "skipped": skipped_parts(result),
        "sections": sorted(set(section_of(item) or "other" for item in (result.get("after") or {})),
                           key=_section_order),
        "requests": result.get("requests"),
        "writes": result.get("writes"),
        "error": None,
    }
    if not result:
        entry["error"] = {"message": "the audit has no result for this camera (it did not reach the "
                                     "axis_edge_storage task)", "error_class": None}
    elif result.get("failed"):
        entry["error"] = camera_error(result)
    return entry


def _section_order(section):
    return SECTIONS.index(section) if section in SECTIONS else len(SECTIONS)


def build_audit_report(results, inventory_sources=None, now=None):
    """audit.json as a dict, from {camera name: its axis_edge_storage result or None}."""
    cameras = [audit_camera(name, results[name]) for name in sorted(results)]
    return {
        "report": "audit",
        "title": "Edge storage compliance audit",
        "metadata": run_metadata(inventory_sources, now),
        "statuses": list(STATUSES),
        "summary": count_statuses(cameras, STATUSES),
        "cameras": cameras,
    }


def drift_text(drift):
    """Field-level drift as lines: 'share nas1: address: actual 'a' -> declared 'b''."""
    return "\n".join("%s: %s: actual %s -> declared %s" % (one["item"], one["field"], value_text(one["actual"]),
                                                           value_text(one["declared"]))
                     for one in drift)


def steps_text(steps):
    return "\n".join(one["text"] for one in steps)


def audit_checks(camera):
    """The JUnit test cases of one camera: one per section; drift fails, failures are errors."""
    if camera["error"] is not None:
        return [Check("audit", "error", camera["error"]["message"], camera["error"].get("error_class"),
                      text=camera["error"]["message"])]
    sections = list(camera["sections"])
    for part in camera["skipped"]:
        if (part["section"] or "other") not in sections:
            sections.append(part["section"] or "other")
    if not sections:
        return [Check("audit", "passed", "nothing declared for this camera")]
    checks = []
    for section in sorted(sections, key=_section_order):
        drift = [one for one in camera["drift"] if (one["section"] or "other") == section]
        skipped = [part for part in camera["skipped"] if (part["section"] or "other") == section]
        if drift:
            text = drift_text(drift)
            if camera["steps"]:
                text += "\n\nThe converge would (whole camera):\n" + steps_text(camera["steps"])
            checks.append(Check(section, "failure", "%d field(s) drift" % len(drift), "drift", text=text))
        elif skipped:
            why = "; ".join("%s (%s)" % (part["what"], part["why"]) if part["why"] else part["what"]
                            for part in skipped)
            checks.append(Check(section, "skipped", "not supported by this camera: %s" % why, "unsupported"))
        else:
            checks.append(Check(section, "passed", "matches the declared state"))
    return checks


def audit_summary_line(camera):
    """What the stdout summary and the HTML table say about one camera."""
    if camera["error"] is not None:
        error_class = camera["error"].get("error_class")
        return "%s%s" % ("[%s] " % error_class if error_class else "", camera["error"]["message"])
    if camera["status"] == "drift":
        destructive = sum(1 for step in camera["steps"] if step["destructive"])
        waiting = sum(1 for step in camera["steps"] if step["needs_allow_data_loss"])
        text = "%d field(s) drift, %d step(s) planned" % (len(camera["drift"]), len(camera["steps"]))
        if destructive:
            text += ", %d destructive" % destructive
        if waiting:
            text += ", %d need allow_data_loss" % waiting
        return text
    if camera["status"] == "unsupported":
        return "not supported: %s" % "; ".join(part["what"] for part in camera["skipped"])
    return "matches the declared state"
