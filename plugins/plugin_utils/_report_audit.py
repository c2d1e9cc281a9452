# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The compliance audit report: what each camera's check-mode converge found.

Built on the controller from the ``axis_edge_storage`` result of every camera
the audit targeted (``hostvars[camera].edge_storage_result``), including the
cameras that failed or could not be reached, and, when the audit declares a
coverage requirement, the ``axis_recording_info`` coverage result of each camera
(``hostvars[camera].edge_storage_coverage_result``). Nothing here talks to a camera.

A camera's status is the highest of everything that applies to it, in this order:
unreachable, failed (also a camera with nothing declared and no coverage requirement: the audit
compared nothing with it) and unsupported with ``unsupported: fail`` (the camera could not be
audited: an error, nothing else is known) > not_recording > coverage_gap >
retention_short > drift > unsupported with ``unsupported: skip`` (parts left out) >
compliant. ``all_statuses`` keeps every one that applies, and the report lists the
lines of each.
"""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.module_utils._recordings import human
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._report_common import (
    Check,
    camera_error,
    count_statuses,
    run_metadata,
    value_text,
)

STATUSES = ("compliant", "drift", "unsupported", "failed", "unreachable")

# What a coverage requirement adds: the camera is configured right but did not record as required.
COVERAGE_STATUSES = ("not_recording", "coverage_gap", "retention_short")

# Highest first, for a camera that was audited: its status is the first of these that applies
# (unsupported: what ``unsupported: skip`` left out). A camera that could not be audited has its
# error_status (unreachable, failed, or unsupported with ``unsupported: fail``) and nothing else.
PRECEDENCE = COVERAGE_STATUSES + ("drift", "unsupported", "compliant")

# Why a coverage's listing stopped short (its ``stopped``) other than the page cap, in words.
NOT_LISTED = {
    "list_moved": "the camera's list of recordings moved while it was read, as its cleanup removes the oldest",
    "nothing_new": "the camera counts more matching recordings than its pages list",
}

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


def error_status(result):
    """unreachable, unsupported or failed for a failed (or missing) module result; None when it did not fail.

    unsupported here is ``unsupported: fail`` (the camera lacks a declared feature); what
    ``unsupported: skip`` left out is a status of a camera that did not fail.
    """
    if not result:
        return "failed"
    if not result.get("failed"):
        return None
    error_class = result.get("error_class")
    if error_class in UNREACHABLE_CLASSES:
        return "unreachable"
    if error_class == "unsupported":
        return "unsupported"
    return "failed"


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


def _required(coverage_result):
    """The coverage result when the audit declared a requirement (the role's read ran), else None."""
    if not coverage_result or coverage_result.get("skipped") is True:
        return None
    return coverage_result


def coverage_entry(coverage):
    """The camera's coverage against the requirement, from axis_recording_info's ``coverage`` result.

    Lines (``findings``), each with the status it gives the camera: an event id with no recording
    running now (or no event id to cover at all) is not_recording; a gap longer than the tolerance
    that has ended is coverage_gap, and so is a listing that stopped at its page cap, or whose list moved
    while it was read (its newest recordings unread, the event ids get no line then: an unread recording is no
    gap); a disk that
    holds recordings reaching back less far than the target is retention_short. A mounted disk that
    holds no recordings is listed without a retention line: whether the camera records there is
    what the event ids' coverage says.
    """
    window = coverage.get("window") or {}
    within = "in the last %s" % human(window.get("seconds") or 0)
    tolerance = human(coverage.get("max_gap_seconds") or 0)
    findings = []
    events = []
    complete = coverage.get("complete") is not False
    for event_id, event in sorted((coverage.get("event_ids") or {}).items()):
        gaps = list(event.get("gaps") or [])
        events.append({"event_id": event_id, "recording_now": bool(event.get("recording_now")),
                       "covered_percent": event.get("covered_percent"), "gaps": gaps,
                       "cause": event.get("cause")})
        if not complete:
            continue
        if not event.get("recording_now"):
            since = [gap["start"] for gap in gaps if gap.get("open")]
            findings.append({"status": "not_recording", "subject": event_id, "text": "{} is not recording{}: {}".format(
                event_id, " since %s" % since[0] if since else " now", event.get("cause") or "no recording runs now")})
        for gap in gaps:
            if not gap.get("open"):
                findings.append({"status": "coverage_gap", "subject": event_id,
                                 "text": "%s did not record for %s, from %s to %s (longer than %s)"
                                         % (event_id, gap["length"], gap["start"], gap["end"], tolerance)})
    if complete and not events:
        findings.append({"status": "not_recording", "subject": None,
                         "text": "nothing records continuously: the camera has no continuous recording profile "
                                 "and the requirement names no event id"})
    if not complete and coverage.get("stopped") in NOT_LISTED:
        findings.append({"status": "coverage_gap", "subject": None,
                         "text": "the recordings %s could not all be listed (%s), so coverage is not shown; run the "
                                 "audit again" % (within, NOT_LISTED[coverage["stopped"]])})
    elif not complete:
        findings.append({"status": "coverage_gap", "subject": None,
                         "text": "the recordings %s did not fit the page cap, so coverage is not shown; raise "
                                 "edge_storage_coverage_max_pages" % within})
    disks = []
    for disk_id, disk in sorted((coverage.get("disks") or {}).items()):
        target = disk.get("retention_target_seconds")
        short = bool(disk.get("retention_short")) and bool(disk.get("recordings"))
        disks.append({"disk_id": disk_id, "recordings": disk.get("recordings"),
                      "oldest_recording": disk.get("oldest_recording"),
                      "achieved_retention": disk.get("achieved_retention"),
                      "achieved_retention_seconds": disk.get("achieved_retention_seconds"),
                      "retention_target": human(target) if target is not None else None,
                      "retention_target_seconds": target,
                      "cleanup_max_age_days": disk.get("cleanup_max_age_days"),
                      "retention_short": short})
        if short:
            findings.append({"status": "retention_short", "subject": disk_id,
                             "text": "%s holds recordings back %s (oldest %s), short of the target %s"
                                     % (disk_id, disk.get("achieved_retention"), disk.get("oldest_recording"),
                                        human(target))})
    findings.sort(key=lambda finding: PRECEDENCE.index(finding["status"]))
    statuses = ordered(finding["status"] for finding in findings)
    return {
        "status": statuses[0] if statuses else None,
        "window": window,
        "max_gap_seconds": coverage.get("max_gap_seconds"),
        "complete": coverage.get("complete"),
        "findings": findings,
        "event_ids": events,
        "disks": disks,
    }


def ordered(statuses):
    """The distinct statuses, highest first (PRECEDENCE)."""
    return sorted(set(statuses), key=PRECEDENCE.index)


# The error of a camera whose plan compared nothing: nothing declared, no coverage requirement.
NOTHING_DECLARED = {
    "message": "nothing is declared for this camera, so the audit compared nothing with it and sent it no request: "
               "declare its state in the edge_storage_* variables of its group_vars or host_vars (check that they "
               "are beside the inventory and name one of its groups), or leave it out with -e target=",
    "error_class": "nothing_declared",
}


def _compared_nothing(result, coverage_result):
    """True for a plan that succeeded with nothing declared and no coverage read: compliance unknown."""
    return (bool(result) and not result.get("failed") and coverage_result is None and not result.get("before")
            and not result.get("after") and not _skipped_entries(result) and not result.get("steps"))


def audit_camera(name, result, coverage_result=None):
    """One camera's entry in audit.json."""
    result = result or {}
    coverage_result = _required(coverage_result)
    error = error_status(result)
    if error is None and coverage_result is not None:
        error = error_status(coverage_result)
    if error is None and _compared_nothing(result, coverage_result):
        error = "failed"
    coverage = None
    if error is None:
        if coverage_result is not None:
            coverage = coverage_entry(coverage_result.get("coverage") or {})
        applies = ([coverage["status"]] if coverage and coverage["status"] else []) + (
            ["drift"] if result.get("changed") else []) + (["unsupported"] if _skipped_entries(result) else [])
        all_statuses = ordered(applies) or ["compliant"]
    else:
        all_statuses = [error]
    entry = {
        "name": name,
        "status": all_statuses[0],
        "all_statuses": all_statuses,
        "model": result.get("model"),
        "firmware": result.get("firmware"),
        "drift": field_drift(result.get("before"), result.get("after")) if "drift" in all_statuses else [],
        "steps": planned_steps(result),
        "skipped": skipped_parts(result),
        "sections": sorted({section_of(item) or "other" for item in (result.get("after") or {})},
                           key=_section_order),
        "coverage": coverage,
        "requests": result.get("requests"),
        "writes": result.get("writes"),
        "error": None,
    }
    if not result:
        entry["error"] = {"message": "the audit has no result for this camera (it did not reach the "
                                     "axis_edge_storage task)", "error_class": None}
    elif result.get("failed"):
        entry["error"] = camera_error(result)
    elif _compared_nothing(result, coverage_result):
        entry["error"] = dict(NOTHING_DECLARED)
    elif error is not None:
        entry["error"] = camera_error(coverage_result)
        entry["error"]["message"] = "the coverage read failed: " + entry["error"]["message"]
    return entry


def _section_order(section):
    return SECTIONS.index(section) if section in SECTIONS else len(SECTIONS)


def build_audit_report(results, inventory_sources=None, now=None, coverage=None):
    """audit.json as a dict, from {camera name: its axis_edge_storage result or None}.

    ``coverage`` maps camera name to its axis_recording_info coverage result (None, or a skipped
    task's result, when the audit declared no coverage requirement). The coverage statuses are
    listed and counted when at least one camera had a requirement: without one they cannot occur,
    and a count of 0 would claim a check that was never made.
    """
    coverage = coverage or {}
    cameras = [audit_camera(name, results[name], coverage.get(name)) for name in sorted(results)]
    statuses = STATUSES
    if any(_required(coverage.get(name)) is not None for name in results):
        statuses = STATUSES[:3] + COVERAGE_STATUSES[::-1] + STATUSES[3:]
    return {
        "report": "audit",
        "title": "Edge storage compliance audit",
        "metadata": run_metadata(inventory_sources, now),
        "statuses": list(statuses),
        "summary": count_statuses(cameras, statuses),
        "cameras": cameras,
    }


def drift_text(drift):
    """Field-level drift as lines: 'share nas1: address: actual 'a' -> declared 'b''."""
    return "\n".join("{}: {}: actual {} -> declared {}".format(one["item"], one["field"], value_text(one["actual"]),
                                                               value_text(one["declared"]))
                     for one in drift)


def steps_text(steps):
    return "\n".join(one["text"] for one in steps)


def coverage_check(coverage):
    """The camera's ``coverage`` JUnit test case: a failure, typed by its highest status, when it did not record as required."""
    if coverage["status"] is None:
        return Check("coverage", "passed", "recorded as required in the last %s"
                     % human((coverage["window"] or {}).get("seconds") or 0))
    texts = [finding["text"] for finding in coverage["findings"]]
    return Check("coverage", "failure", "{}: {}".format(coverage["status"], texts[0]) if len(texts) == 1 else
                 "%s: %d findings" % (coverage["status"], len(texts)), coverage["status"],
                 text="\n".join("{}: {}".format(finding["status"], finding["text"]) for finding in coverage["findings"]))


def audit_checks(camera):
    """The JUnit test cases of one camera: one per section (drift fails, failures are errors) and,
    with a coverage requirement, ``coverage`` (a failure when the camera did not record as required)."""
    if camera["error"] is not None:
        return [Check("audit", "error", camera["error"]["message"], camera["error"].get("error_class"),
                      text=camera["error"]["message"])]
    coverage = [coverage_check(camera["coverage"])] if camera["coverage"] is not None else []
    sections = list(camera["sections"])
    for part in camera["skipped"]:
        if (part["section"] or "other") not in sections:
            sections.append(part["section"] or "other")
    if not sections:
        return [Check("audit", "passed", "nothing declared for this camera")] + coverage
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
            why = "; ".join("{} ({})".format(part["what"], part["why"]) if part["why"] else part["what"]
                            for part in skipped)
            checks.append(Check(section, "skipped", "not supported by this camera: %s" % why, "unsupported"))
        else:
            checks.append(Check(section, "passed", "matches the declared state"))
    if "drift" in camera["all_statuses"] and not camera["drift"]:
        # Steps planned with no declared field differing (a password sent again with update_password: always):
        # the camera drifts, so a case fails, with the steps.
        checks.append(Check("plan", "failure", "%d step(s) planned, no declared field differs" % len(camera["steps"]),
                            "drift", text="The converge would (whole camera):\n" + steps_text(camera["steps"])))
    return checks + coverage


def audit_summary_line(camera):
    """What the stdout summary and the HTML table say about one camera: every status that applies, highest first."""
    if camera["error"] is not None:
        error_class = camera["error"].get("error_class")
        return "{}{}".format("[%s] " % error_class if error_class else "", camera["error"]["message"])
    parts = [finding["text"] for finding in (camera["coverage"] or {}).get("findings", [])]
    if "drift" in camera["all_statuses"]:
        destructive = sum(1 for step in camera["steps"] if step["destructive"])
        waiting = sum(1 for step in camera["steps"] if step["needs_allow_data_loss"])
        text = "%d field(s) drift, %d step(s) planned" % (len(camera["drift"]), len(camera["steps"]))
        if destructive:
            text += ", %d destructive" % destructive
        if waiting:
            text += ", %d need allow_data_loss" % waiting
        parts.append(text)
    if "unsupported" in camera["all_statuses"]:
        parts.append("not supported: %s" % "; ".join(part["what"] for part in camera["skipped"]))
    if not parts:
        parts.append("matches the declared state" + (" and recorded as required" if camera["coverage"] else ""))
    return "; ".join(parts)
