# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that turn the fleet's module results into the audit and inventory reports.

playbooks/audit.yml and playbooks/report.yml use them in a final play on
localhost; the builders live in plugins/plugin_utils/_report_*.py.

- ``results | vapix.edge_storage.audit_report(inventory_sources, coverage)``: audit.json as a dict,
  from {camera: its axis_edge_storage result (or null when it has none)} and, with a coverage
  requirement, {camera: its axis_recording_info coverage result}.
- ``results | vapix.edge_storage.inventory_report(inventory_sources, wear_margin, temperature_margin)``:
  the inventory report as a dict, from {camera: its axis_storage_info result or null}.
- ``report | vapix.edge_storage.report_junit``: the report as JUnit XML text.
- ``report | vapix.edge_storage.report_html``: the report as one self-contained HTML page.
- ``report | vapix.edge_storage.report_summary``: the short stdout summary, a list of lines.
"""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.vapix.edge_storage.plugins.plugin_utils._report_audit import build_audit_report
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._report_inventory import (
    TEMPERATURE_MARGIN,
    WEAR_MARGIN,
    build_inventory_report,
)
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._report_render import (
    junit_xml,
    report_html,
    summary_lines,
)


def _results(results, name):
    if not isinstance(results, dict):
        raise AnsibleFilterError("%s expects a mapping of camera name to module result, got %s"
                                 % (name, type(results).__name__))
    return {str(camera): dict(result) if result else None for camera, result in results.items()}


def audit_report(results, inventory_sources=None, coverage=None):
    return build_audit_report(_results(results, "audit_report"), inventory_sources,
                              coverage=_results(coverage or {}, "audit_report's coverage"))


def inventory_report(results, inventory_sources=None, wear_margin=WEAR_MARGIN, temperature_margin=TEMPERATURE_MARGIN):
    return build_inventory_report(_results(results, "inventory_report"), inventory_sources,
                                  wear_margin=int(wear_margin), temperature_margin=int(temperature_margin))


def _rendered(render):
    def render_report(report):
        try:
            return render(report)
        except (ValueError, KeyError, TypeError) as exc:
            raise AnsibleFilterError("not an edge storage report (from audit_report or inventory_report): %s" % exc)
    return render_report


class FilterModule:
    def filters(self):
        return {
            "audit_report": audit_report,
            "inventory_report": inventory_report,
            "report_junit": _rendered(junit_xml),
            "report_html": _rendered(report_html),
            "report_summary": _rendered(summary_lines),
        }
