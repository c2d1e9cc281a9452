# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit and inventory reports as JUnit XML, one self-contained HTML page and stdout lines.

Every renderer takes the report dict (what audit.json or inventory.json hold)
and nothing else, so the three files always say the same thing.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from ansible_collections.vapix.edge_storage.plugins.module_utils._recordings import human
from ansible_collections.vapix.edge_storage.plugins.plugin_utils import _report_audit, _report_inventory
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._report_common import value_text

# Per report kind: (the camera's JUnit checks, its one-line summary, its HTML details).
_KINDS = {
    "audit": (_report_audit.audit_checks, _report_audit.audit_summary_line),
    "inventory": (_report_inventory.inventory_checks, _report_inventory.inventory_summary_line),
}

# The statuses that need nobody's attention (left out of the per-camera stdout lines).
_FINE = ("compliant", "ok")

# A camera's stdout line stops here; the report files hold the whole message.
_LINE_LIMIT = 200

# Characters a camera's text may hold (a JSON answer can carry any) that XML 1.0 does not allow, or that
# only drive a terminal or nothing at all: control characters (tab and line ends aside), surrogates,
# U+FFFE/U+FFFF.
_UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _showable(text):
    """text with every unshowable character written as its escape (\\x01, \\x1b, \\ufffe): the files stay
    well-formed and what the camera sent stays visible."""
    return _UNSHOWABLE.sub(lambda m: "\\x%02x" % ord(m.group()) if ord(m.group()) < 0x100
                           else "\\u%04x" % ord(m.group()), text)


def _kind(report):
    try:
        return _KINDS[report["report"]]
    except (KeyError, TypeError):
        raise ValueError("not an edge storage report (expected report: audit or inventory)")


# -- stdout ---------------------------------------------------------------------------------

def summary_lines(report):
    """One line per status with its count, then one line per camera that needs attention."""
    summary_line = _kind(report)[1]
    counts = report["summary"]
    lines = ["%s: %d camera(s)" % (report["title"], counts["cameras"])]
    width = max([12] + [len(status) for status in report["statuses"]])
    lines.extend("  %-*s %d" % (width, status, counts[status]) for status in report["statuses"])
    for camera in report["cameras"]:
        if camera["status"] not in _FINE:
            line = "{} ({}): {}".format(camera["name"], camera["status"], summary_line(camera))
            lines.append(line if len(line) <= _LINE_LIMIT else line[:_LINE_LIMIT - 1] + "…")
    return lines


# -- JUnit ------------------------------------------------------------------------------------

def junit_xml(report):
    """JUnit XML (the schema Jenkins' xunit plugin calls junit-10.xsd): one suite, one case per check."""
    checks_of = _kind(report)[0]
    cases = [(camera, check) for camera in report["cameras"] for check in checks_of(camera)]
    totals = {outcome: sum(1 for _camera, check in cases if check.outcome == outcome)
              for outcome in ("failure", "error", "skipped")}
    name = "vapix.edge_storage %s" % report["report"]
    suites = ET.Element("testsuites", name=name, tests=str(len(cases)), failures=str(totals["failure"]),
                        errors=str(totals["error"]), time="0")
    suite = ET.SubElement(suites, "testsuite", name=name, tests=str(len(cases)), failures=str(totals["failure"]),
                          errors=str(totals["error"]), skipped=str(totals["skipped"]), time="0",
                          timestamp=report["metadata"]["generated_at"])
    properties = ET.SubElement(suite, "properties")
    for key, value in sorted(report["metadata"].items()):
        ET.SubElement(properties, "property", name=key,
                      value=", ".join(value) if isinstance(value, list) else str(value if value is not None else ""))
    for key, value in sorted(report["summary"].items()):
        ET.SubElement(properties, "property", name="count.%s" % key, value=str(value))
    for camera, check in cases:
        case = ET.SubElement(suite, "testcase", classname=camera["name"], name=check.name, time="0")
        if check.outcome != "passed":
            element = ET.SubElement(case, check.outcome, message=check.message)
            if check.kind:
                element.set("type", check.kind)
            if check.text:
                element.text = check.text
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + _showable(ET.tostring(suites, encoding="unicode")) + "\n"


# -- HTML -------------------------------------------------------------------------------------

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 1.5rem; color: #1b1f24; }
h1 { font-size: 1.4rem; margin: 0 0 .3rem; }
.meta { color: #555; font-size: .85rem; margin-bottom: 1rem; }
.counts { display: flex; flex-wrap: wrap; gap: .5rem; margin: 0 0 1rem; padding: 0; list-style: none; }
.counts li { border: 1px solid #ccc; border-radius: 4px; padding: .3rem .7rem; }
.counts b { font-size: 1.2rem; margin-right: .3rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #ddd; }
th { background: #f3f4f6; }
table.inner { margin: .4rem 0 .8rem; font-size: .85rem; }
table.inner th { background: #fafafa; }
.status { font-weight: 600; padding: .1rem .45rem; border-radius: 3px; white-space: nowrap; }
.s-compliant, .s-ok { background: #d9f2df; color: #14532d; }
.s-drift, .s-flagged { background: #fde9c8; color: #7c4a03; }
.s-unsupported { background: #e5e7eb; color: #374151; }
.s-retention_short { background: #fcd9b6; color: #7c2d12; }
.s-coverage_gap, .s-not_recording { background: #f9c0a8; color: #7f1d1d; }
.s-failed, .s-unreachable { background: #fbd5d5; color: #7f1d1d; }
.attention { color: #b91c1c; font-weight: 600; }
summary { cursor: pointer; }
code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; }
pre { white-space: pre-wrap; margin: .3rem 0; }
#filter { margin: 0 0 1rem; }
.hidden { display: none; }
@media print {
  body { margin: 0; }
  #filter { display: none; }
  tbody.camera.hidden { display: table-row-group; }
  .status { border: 1px solid #888; }
  tr { break-inside: avoid; }
}
"""

# Filter by status; open every camera's details before printing. No request leaves the page.
_SCRIPT = """
(function () {
  var filter = document.getElementById('status-filter');
  function apply() {
    var wanted = filter.value;
    var rows = document.querySelectorAll('tbody.camera');
    for (var i = 0; i < rows.length; i++) {
      var show = wanted === 'all' || rows[i].getAttribute('data-status') === wanted;
      rows[i].classList.toggle('hidden', !show);
    }
  }
  filter.addEventListener('change', apply);
  apply();
  window.addEventListener('beforeprint', function () {
    var all = document.querySelectorAll('details');
    for (var i = 0; i < all.length; i++) { all[i].open = true; }
  });
})();
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'none'; form-action 'none'"


def _e(value):
    return html.escape(_showable("" if value is None else str(value)), quote=True)


def _table(columns, rows):
    if not rows:
        return ""
    head = "".join("<th>%s</th>" % _e(column) for column in columns)
    body = "".join("<tr>%s</tr>" % "".join("<td>%s</td>" % cell for cell in row) for row in rows)
    return f'<table class="inner"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _error_html(error):
    if not error:
        return ""
    parts = ['<p><b>Error</b>%s:</p><pre class="error">%s</pre>'
             % (" (%s)" % _e(error["error_class"]) if error.get("error_class") else "", _e(error["message"]))]
    if error.get("failed_step"):
        parts.append("<p>Failed step: %s</p>" % _e(error["failed_step"]))
    if error.get("completed_steps"):
        parts.append("<p>Completed before it:</p><ul>%s</ul>"
                     % "".join("<li>%s</li>" % _e(step) for step in error["completed_steps"]))
    return "".join(parts)


def _audit_details(camera):
    parts = [_error_html(camera["error"])]
    parts.append(_table(("section", "item", "field", "actual", "declared"),
                        [(_e(one["section"] or "other"), _e(one["item"]), _e(one["field"]),
                          "<code>%s</code>" % _e(value_text(one["actual"])),
                          "<code>%s</code>" % _e(value_text(one["declared"])))
                         for one in camera["drift"]]))
    if camera["steps"]:
        items = []
        for step in camera["steps"]:
            mark = ""
            if step["needs_allow_data_loss"]:
                mark = ' <span class="attention">needs allow_data_loss</span>'
            elif step["destructive"]:
                mark = ' <span class="attention">destructive</span>'
            items.append("<li>{}{}</li>".format(_e(step["text"]), mark))
        parts.append("<p><b>The converge would</b>:</p><ol class=\"steps\">%s</ol>" % "".join(items))
    if camera["skipped"]:
        parts.append("<p><b>Not supported by this camera</b> (skipped):</p>"
                     + _table(("what", "why"), [(_e(part["what"]), _e(part["why"])) for part in camera["skipped"]]))
    if camera["coverage"] is not None:
        parts.append(_coverage_details(camera["coverage"]))
    if not any(parts):
        parts.append("<p>Matches the declared state.</p>")
    return "".join(parts)


def _status(status):
    return f'<span class="status s-{_e(status)}">{_e(status)}</span>'


def _gap_text(gap):
    return "{} from {} to {}{}".format(gap["length"], gap["start"], gap["end"], " (open)" if gap.get("open") else "")


def _coverage_details(coverage):
    window = coverage["window"] or {}
    parts = ['<div class="coverage"><p><b>Coverage</b> from %s to %s (camera clock), gaps up to %s tolerated:</p>'
             % (_e(window.get("start")), _e(window.get("end")), _e(human(coverage["max_gap_seconds"] or 0)))]
    if not coverage["findings"]:
        parts.append("<p>Recorded as required.</p>")
    parts.append(_table(("status", "event id or disk", "finding"),
                        [(_status(finding["status"]), _e(finding["subject"] or ""), _e(finding["text"]))
                         for finding in coverage["findings"]]))
    parts.append(_table(("event id", "recording now", "covered %", "gaps", "cause of the open gap"),
                        [(_e(event["event_id"]), _e(_yes_no(event["recording_now"])), _e(event["covered_percent"]),
                          "<br>".join(_e(_gap_text(gap)) for gap in event["gaps"]),
                          _e(event["cause"] or "")) for event in coverage["event_ids"]]))
    parts.append(_table(("disk", "recordings", "oldest recording", "retention achieved", "target", "cleanup max age (days)"),
                        [(_e(disk["disk_id"]), _e(disk["recordings"]), _e(disk["oldest_recording"]),
                          ('<span class="attention">%s</span>' if disk["retention_short"] else "%s")
                          % _e(disk["achieved_retention"]), _e(disk["retention_target"] or ""),
                          _e(disk["cleanup_max_age_days"])) for disk in coverage["disks"]]))
    parts.append("</div>")
    return "".join(parts)


def _yes_no(value):
    return "" if value is None else ("yes" if value else "no")


def _inventory_details(camera):
    parts = [_error_html(camera["error"])]
    parts.append(_table(
        ("disk", "status", "size", "free", "file system", "encrypted", "wear %", "temperature K",
         "alert levels (wear %, K)", "flags"),
        [(_e(disk["disk_id"]), _e(disk["status"]), _e(disk["size"]), _e(disk["free"]), _e(disk["filesystem"]),
          _e(_yes_no(disk["encrypted"])), _e(disk["wear"]), _e(disk["temperature_k"]),
          _e("{}, {}".format(disk["alert_levels"]["wear"], disk["alert_levels"]["temperature"])
             if disk["alert_levels"]["wear"] is not None else ""),
          "<br>".join('<span class="attention">%s</span>' % _e(flag) for flag in disk["flags"]))
         for disk in camera["disks"]]))
    parts.append(_table(("share", "name", "address", "share name", "user", "bound to"),
                        [(_e(share["share_id"]), _e(share["name"]), _e(share["address"]), _e(share["share"]),
                          _e(share["share_username"]), _e(share["disk_id"])) for share in camera["shares"]]))
    parts.append(_table(("disk", "storage limit"),
                        [(_e(disk_id), _e(size)) for disk_id, size in camera["storage_limits"].items()]))
    parts.append(_table(("profile", "disk", "event id", "options"),
                        [(_e(profile.get("profile")), _e(profile.get("disk_id")), _e(profile.get("event_id")),
                          _e(profile.get("options"))) for profile in camera["continuous_profiles"]]))
    parts.append(_table(("recording group", "disk", "retention (h)"),
                        [(_e(group["id"]), _e(group.get("disk_id")), _e(group.get("retention_hours", group.get("retention"))))
                         for group in camera["recording_groups"]]))
    if camera["unsupported"]:
        parts.append(_table(("not supported", "why"),
                            [(_e(part), _e(reason)) for part, reason in camera["unsupported"].items()]))
    return "".join(parts)


_DETAILS = {"audit": _audit_details, "inventory": _inventory_details}


def report_html(report):
    """One self-contained page: summary, a table of cameras filterable by status, expandable details."""
    summary_line = _kind(report)[1]
    details = _DETAILS[report["report"]]
    metadata = report["metadata"]
    counts = report["summary"]
    count_items = "".join('<li class="count" data-status="%s"><b>%d</b><span class="status s-%s">%s</span></li>'
                          % (_e(status), counts[status], _e(status), _e(status)) for status in report["statuses"])
    options = '<option value="all">all (%d)</option>' % counts["cameras"] + "".join(
        '<option value="%s">%s (%d)</option>' % (_e(status), _e(status), counts[status])
        for status in report["statuses"])
    rows = []
    for camera in report["cameras"]:
        rows.append(
            '<tbody class="camera" data-status="%(status)s" data-camera="%(name)s"><tr>'
            '<td class="name">%(name)s</td><td><span class="status s-%(status)s">%(status)s</span></td>'
            '<td>%(model)s</td><td>%(firmware)s</td>'
            '<td><details><summary>%(line)s</summary><div class="details">%(details)s</div></details></td>'
            '</tr></tbody>'
            % {"status": _e(camera["status"]), "name": _e(camera["name"]), "model": _e(camera["model"] or "unknown"),
               "firmware": _e(camera["firmware"] or "unknown"), "line": _e(summary_line(camera)),
               "details": details(camera)})
    meta = "Generated {} by {} {} from {}.".format(
        _e(metadata["generated_at"]), _e(metadata["collection"]), _e(metadata["collection_version"] or ""),
        _e(", ".join(metadata["inventory_sources"]) or "an unnamed inventory"))
    if report["report"] == "inventory":
        meta += (" A disk is flagged when full, not mounted, failing its health check, or within %d %% wear "
                 "or %d K of its alert levels." % (metadata["wear_margin"], metadata["temperature_margin"]))
    return """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="%(csp)s">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%(title)s</title>
<style>%(style)s</style>
</head>
<body>
<h1>%(title)s</h1>
<p class="meta">%(meta)s</p>
<ul class="counts" id="counts"><li class="count" data-status="cameras"><b>%(total)d</b>cameras</li>%(counts)s</ul>
<p id="filter"><label for="status-filter">Show cameras: </label><select id="status-filter">%(options)s</select></p>
<table id="cameras">
<thead><tr><th>camera</th><th>status</th><th>model</th><th>firmware</th><th>details</th></tr></thead>
%(rows)s
</table>
<script>%(script)s</script>
</body>
</html>
""" % {"csp": _CSP, "title": _e(report["title"]), "style": _STYLE, "meta": meta, "total": counts["cameras"],
       "counts": count_items, "options": options, "rows": "\n".join(rows), "script": _SCRIPT}
