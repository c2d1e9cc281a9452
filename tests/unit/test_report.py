# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The audit and inventory report builders and their JUnit, HTML and stdout renderings.

Inputs are shaped like what the playbooks find in hostvars: the registered
results of axis_edge_storage (audit) and axis_storage_info (inventory), with
the keys of the collection's result contract (error_class, skipped,
needs_allow_data_loss, model/firmware, completed_steps/failed_step).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import lxml.html
import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from lxml import etree

from ansible_collections.vapix.edge_storage.plugins.filter.edge_storage_report import FilterModule
from ansible_collections.vapix.edge_storage.plugins.module_utils import _edge_storage
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._report_audit import build_audit_report, section_of
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._report_inventory import build_inventory_report
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._report_render import (
    junit_xml,
    report_html,
    summary_lines,
)

SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "junit-10.xsd"
NOW = datetime.datetime(2026, 11, 30, 4, 0, 0, tzinfo=datetime.UTC)
SECRETS = ("s3cr&t=x", "card-passphrase-1", "camera-root-pw")

# What no_log leaves in a registered result, plus keys a report must never copy.
_INVOCATION = {"module_args": {"password": "camera-root-pw", "shares": [{"share_password": "s3cr&t=x"}],
                               "encryption": [{"passphrase": "card-passphrase-1"}]}}

FORMAT_STEP = "format disk SD_DISK to ext4 [destructive; needs allow_data_loss]"
DELETE_STEP = "delete recording group old-7d (not declared; purge: recording_groups) [destructive]"

AUDIT_RESULTS = {
    "cam-ok": {
        "changed": False, "steps": [], "needs_allow_data_loss": [], "skipped": [], "writes": 0, "requests": 6,
        "model": "AXIS Q1615 Mk III", "firmware": "10.4.1", "invocation": _INVOCATION,
        "before": {"disk SD_DISK": {"cleanup_max_age": 30}}, "after": {"disk SD_DISK": {"cleanup_max_age": 30}},
    },
    "cam-drift": {
        "changed": True, "writes": 0, "requests": 9, "model": "AXIS Companion Bullet LE", "firmware": "9.80.2.2",
        "steps": ["set cleanup_max_age 7000 -> 30 of disk SD_DISK (setcleanupmaxage.cgi)", FORMAT_STEP, DELETE_STEP],
        "needs_allow_data_loss": [FORMAT_STEP], "skipped": [], "invocation": _INVOCATION,
        "before": {"disk SD_DISK": {"cleanup_max_age": 7000, "filesystem": "vfat"},
                   "share nas1": {"address": "old.example.com", "state": "present"},
                   "recording groups other than recording group retention-7d": {"old-7d": {"retention_hours": 168}}},
        "after": {"disk SD_DISK": {"cleanup_max_age": 30, "filesystem": "ext4"},
                  "share nas1": {"address": "nas.example.com", "state": "present"},
                  "recording groups other than recording group retention-7d": {}},
    },
    "cam-legacy-skip": {
        "changed": False, "steps": [], "needs_allow_data_loss": [], "model": "AXIS P5512", "firmware": "5.51.7",
        "skipped_unsupported": [{"what": "storage limit NetworkShare (storage_limits)",
                                 "why": "firmware 5.51.7 has no storage limit API"}],
        "before": {"disk SD_DISK": {"cleanup_max_age": 30}}, "after": {"disk SD_DISK": {"cleanup_max_age": 30}},
    },
    "cam-legacy-fail": {
        "failed": True, "error_class": "unsupported", "model": "AXIS P5512", "firmware": "5.51.7",
        "msg": "not supported by this camera: recording storage limit (firmware 5.51.7)",
    },
    "cam-refused": {"failed": True, "error_class": "refused", "msg": "no answer from https://10.0.0.9: refused"},
    "cam-timeout": {"failed": True, "error_class": "timeout", "msg": "no answer within 30 s"},
    "cam-dns": {"failed": True, "error_class": "dns", "msg": "cannot resolve cam7.example.com"},
    "cam-device": {
        "failed": True, "error_class": "device", "msg": "step 'bind share nas1' failed: device error 300",
        "failed_step": "bind share nas1", "completed_steps": ["add share nas1"], "not_run_steps": ["mount"],
        "invocation": _INVOCATION,
    },
    "cam-no-class": {"failed": True, "msg": "an error from a module without error_class"},
    "cam-no-result": None,
}


def audit():
    return build_audit_report(AUDIT_RESULTS, ["inventories/prod.yml"], now=NOW)


def camera(report, name):
    return next(entry for entry in report["cameras"] if entry["name"] == name)


def test_every_camera_has_a_status_and_every_status_is_counted():
    report = audit()
    statuses = {entry["name"]: entry["status"] for entry in report["cameras"]}
    assert statuses == {
        "cam-ok": "compliant", "cam-drift": "drift", "cam-legacy-skip": "unsupported",
        "cam-legacy-fail": "unsupported", "cam-refused": "unreachable", "cam-timeout": "unreachable",
        "cam-dns": "unreachable", "cam-device": "failed", "cam-no-class": "failed", "cam-no-result": "failed",
    }
    assert report["summary"] == {"cameras": 10, "compliant": 1, "drift": 1, "unsupported": 2, "failed": 3,
                                 "unreachable": 3}
    assert report["metadata"] == {"generated_at": "2026-11-30T04:00:00+00:00", "collection": "vapix.edge_storage",
                                  "collection_version": "0.1.0", "inventory_sources": ["inventories/prod.yml"]}


def test_drift_lists_each_field_with_declared_and_actual_values():
    drift = camera(audit(), "cam-drift")["drift"]
    assert drift == [
        {"section": "disks", "item": "disk SD_DISK", "field": "cleanup_max_age", "declared": 30, "actual": 7000},
        {"section": "disks", "item": "disk SD_DISK", "field": "filesystem", "declared": "ext4", "actual": "vfat"},
        {"section": "recording_groups", "item": "recording groups other than recording group retention-7d",
         "field": "old-7d", "declared": None, "actual": {"retention_hours": 168}},
        {"section": "shares", "item": "share nas1", "field": "address", "declared": "nas.example.com",
         "actual": "old.example.com"},
    ]
    assert camera(audit(), "cam-ok")["drift"] == []


def test_steps_keep_their_data_loss_marks():
    steps = camera(audit(), "cam-drift")["steps"]
    assert [(step["destructive"], step["needs_allow_data_loss"]) for step in steps] == [
        (False, False), (True, True), (True, False)]


def test_a_skipped_list_counts_as_what_unsupported_skip_left_out():
    result = {"changed": False, "skipped": [{"what": "recording group r (recording_groups)", "why": "no API"}]}
    entry = build_audit_report({"cam": result}, now=NOW)["cameras"][0]
    assert entry["status"] == "unsupported"
    assert entry["skipped"] == [{"what": "recording group r (recording_groups)", "why": "no API",
                                 "section": "recording_groups"}]
    declared = {"disk SD_DISK": {"cleanup_max_age": 30}}
    assert build_audit_report({"cam": {"changed": False, "skipped": False, "before": declared, "after": declared}},
                              now=NOW)["cameras"][0]["status"] == "compliant"


def test_model_and_firmware_are_unknown_when_the_result_lacks_them():
    report = audit()
    assert (camera(report, "cam-drift")["model"], camera(report, "cam-drift")["firmware"]) == (
        "AXIS Companion Bullet LE", "9.80.2.2")
    assert camera(report, "cam-refused")["model"] is None
    page = lxml.html.fromstring(report_html(report))
    row = page.xpath('//tbody[@data-camera="cam-refused"]')[0]
    assert "unknown" in row.text_content()


def test_failures_keep_message_class_and_steps():
    error = camera(audit(), "cam-device")["error"]
    assert error == {"message": "step 'bind share nas1' failed: device error 300", "error_class": "device",
                     "failed_step": "bind share nas1", "completed_steps": ["add share nas1"],
                     "not_run_steps": ["mount"]}
    assert camera(audit(), "cam-no-result")["error"]["error_class"] is None


# What axis_edge_storage returns with nothing declared: it sends no request, so nothing about the camera is known.
NOTHING_DECLARED = {"changed": False, "steps": [], "before": {}, "after": {}, "skipped_unsupported": [],
                    "needs_allow_data_loss": [], "model": None, "firmware": None, "requests": 0, "writes": 0}


def test_a_camera_with_nothing_declared_is_not_compliant_but_could_not_be_audited():
    """A camera whose group_vars the audit did not find is not reported as matching them: compliance is unknown."""
    report = build_audit_report({"cam-ok": AUDIT_RESULTS["cam-ok"], "cam-bare": NOTHING_DECLARED}, now=NOW)
    bare = camera(report, "cam-bare")
    assert bare["status"] == "failed" and bare["all_statuses"] == ["failed"]
    assert bare["error"]["error_class"] == "nothing_declared"
    assert "nothing is declared for this camera" in bare["error"]["message"]
    assert "edge_storage_" in bare["error"]["message"]
    assert report["summary"] == {"cameras": 2, "compliant": 1, "drift": 0, "unsupported": 0, "failed": 1,
                                 "unreachable": 0}
    assert {name: outcome(case) for name, case in cases_of(junit_root(report), "cam-bare").items()} == {
        "audit": "error"}
    # With a coverage requirement the camera was read, and its coverage decides.
    with_coverage = build_audit_report({"cam-bare": NOTHING_DECLARED}, now=NOW,
                                       coverage={"cam-bare": coverage_result()})
    assert camera(with_coverage, "cam-bare")["all_statuses"] == ["compliant"]


def test_a_camera_that_drifts_in_no_declared_field_fails_a_junit_case():
    """A plan with steps and no field that differs (a share password sent again with update_password: always)
    is drift in audit.json: the JUnit file says so too, with the steps, instead of passing every case."""
    same = {"share nas1": {"address": "nas.example.com", "bound": True, "state": "present"}}
    steps = ["unbind share 'nas1' from disk NetworkShare", "modify share 'nas1': password sent"]
    report = build_audit_report({"cam-pw": {"changed": True, "steps": steps, "before": same, "after": same}}, now=NOW)
    assert camera(report, "cam-pw")["status"] == "drift" and camera(report, "cam-pw")["drift"] == []
    cases = cases_of(junit_root(report), "cam-pw")
    assert {name: outcome(case) for name, case in cases.items()} == {"shares": "passed", "plan": "failure"}
    failure = cases["plan"].find("failure")
    assert failure.get("type") == "drift" and failure.get("message") == "2 step(s) planned, no declared field differs"
    assert all(step in failure.text for step in steps)


def whole_camera_params(params):
    """params with axis_edge_storage's defaults filled in, as the module hands them over."""
    return ArgumentSpecValidator(_edge_storage.ARGUMENT_SPEC).validate(params).validated_parameters


def test_section_of_knows_every_identity_the_whole_camera_module_makes():
    params = {
        "shares": [{"name": "nas1", "address": "nas.example.com", "share": "cameras"}],
        "disks": [{"disk_id": "SD_DISK", "cleanup_max_age": 30}],
        "encryption": [{"disk_id": "SD_DISK", "enabled": True, "passphrase": "x", "allow_data_loss": True}],
        "storage_limits": {"NetworkShare": "500 GiB"},
        "continuous_profiles": [{"disk_id": "SD_DISK", "event_id": "continuous", "options": {"fps": 15}}],
        "recording_groups": [{"id": "retention-7d", "disk_id": "SD_DISK", "retention": "7d"}],
        "purge": ["shares", "continuous_profiles", "recording_groups"],
    }
    resources = _edge_storage.build_resources(whole_camera_params(params), set())
    section_by_module = {module.__name__: section for section, module in _edge_storage.SECTIONS}
    assert len(resources) == 9
    for resource in resources:
        assert section_of(resource.identity) == section_by_module[type(resource).__module__], resource.identity
    emptied = _edge_storage.build_resources(
        whole_camera_params({"purge": ["shares", "continuous_profiles", "recording_groups"]}), set())
    assert [section_of(resource.identity) for resource in emptied] == [
        "shares", "continuous_profiles", "recording_groups"]
    assert section_of("something else") is None
    assert section_of("cleanup_max_age of disk SD_DISK (disks)") == "disks"
    assert section_of("storage limit NetworkShare (storage_limits)") == "storage_limits"


def junit_root(report):
    text = junit_xml(report)
    root = etree.fromstring(text.encode("utf-8"))
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    schema.assertValid(root)
    return root


def cases_of(root, name):
    return {case.get("name"): case for case in root.iter("testcase") if case.get("classname") == name}


def outcome(case):
    children = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
    return children[0] if children else "passed"


def test_junit_is_valid_and_has_one_case_per_camera_and_section():
    root = junit_root(audit())
    suite = root.find("testsuite")
    drift = cases_of(root, "cam-drift")
    assert {name: outcome(case) for name, case in drift.items()} == {
        "shares": "failure", "disks": "failure", "recording_groups": "failure"}
    assert "cleanup_max_age: actual 7000 -> declared 30" in drift["disks"].find("failure").text
    assert FORMAT_STEP in drift["disks"].find("failure").text
    assert {name: outcome(case) for name, case in cases_of(root, "cam-legacy-skip").items()} == {
        "disks": "passed", "storage_limits": "skipped"}
    assert outcome(cases_of(root, "cam-ok")["disks"]) == "passed"
    for name in ("cam-refused", "cam-timeout", "cam-dns", "cam-device", "cam-no-class", "cam-no-result",
                 "cam-legacy-fail"):
        assert [outcome(case) for case in cases_of(root, name).values()] == ["error"], name
    assert cases_of(root, "cam-refused")["audit"].find("error").get("type") == "refused"
    cases = list(root.iter("testcase"))
    assert suite.get("tests") == str(len(cases)) == "13"
    assert suite.get("failures") == "3" and suite.get("errors") == "7" and suite.get("skipped") == "1"
    properties = {prop.get("name"): prop.get("value") for prop in suite.iter("property")}
    assert properties["count.drift"] == "1" and properties["inventory_sources"] == "inventories/prod.yml"


def no_external_reference(page):
    """No script, style sheet, image, font or frame from anywhere: the page is one file."""
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in ("src", "href", "action", "data", "poster", "srcset"):
            assert element.get(attribute) is None, (element.tag, attribute)
        assert element.tag not in ("link", "iframe", "img", "object", "embed", "base")
    for code in page.xpath("//style/text() | //script/text()"):
        for reference in ("url(", "@import", "http:", "https:", "fetch(", "XMLHttpRequest", "//"):
            assert reference not in code, reference


def test_html_has_summary_every_camera_and_nothing_external():
    report = audit()
    page = lxml.html.fromstring(report_html(report))
    counts = {item.get("data-status"): item.find("b").text for item in page.xpath('//li[@class="count"]')}
    assert counts == {"cameras": "10", "compliant": "1", "drift": "1", "unsupported": "2", "failed": "3",
                      "unreachable": "3"}
    rows = page.xpath("//tbody[@data-camera]")
    assert sorted(row.get("data-camera") for row in rows) == sorted(AUDIT_RESULTS)
    assert {row.get("data-camera"): row.get("data-status") for row in rows} == {
        entry["name"]: entry["status"] for entry in report["cameras"]}
    drift_row = page.xpath('//tbody[@data-camera="cam-drift"]')[0]
    assert drift_row.xpath(".//details/summary") and "needs allow_data_loss" in drift_row.text_content()
    assert [option.get("value") for option in page.xpath('//select[@id="status-filter"]/option')] == [
        "all", "compliant", "drift", "unsupported", "failed", "unreachable"]
    assert "default-src 'none'" in page.xpath('//meta[@http-equiv="Content-Security-Policy"]')[0].get("content")
    no_external_reference(page)


def test_html_escapes_what_the_camera_says():
    results = {"cam<1>": {"failed": True, "error_class": "device", "msg": "<script>alert(1)</script>"}}
    page_text = report_html(build_audit_report(results, now=NOW))
    assert "<script>alert(1)</script>" not in page_text and "&lt;script&gt;" in page_text


def test_control_characters_the_camera_sent_are_shown_escaped_and_the_junit_stays_valid():
    """A JSON answer (API discovery's error) can carry any character; XML 1.0 allows none of these, and in
    the HTML they would only drive a terminal."""
    message = "api-discovery apidiscovery.cgi failed with device error 8000: boom\x01\x1b[2J\x00end\ufffe"
    report = build_audit_report({"cam1": {"failed": True, "error_class": "device", "msg": message}}, now=NOW)
    root = junit_root(report)
    shown = "boom\\x01\\x1b[2J\\x00end\\ufffe"
    assert any(shown in (element.get("message") or "") + (element.text or "") for element in root.iter())
    page = report_html(report)
    assert shown in page and not any(char in page for char in "\x00\x01\x1b\ufffe")


def test_no_secret_in_any_output():
    for report in (audit(), inventory()):
        outputs = [json.dumps(report), junit_xml(report), report_html(report), "\n".join(summary_lines(report))]
        for text in outputs:
            for secret in SECRETS:
                assert secret not in text


def test_stdout_summary_one_line_per_status_then_each_camera_needing_attention():
    lines = summary_lines(audit())
    assert lines[:6] == ["Edge storage compliance audit: 10 camera(s)", "  compliant    1", "  drift        1",
                         "  unsupported  2", "  failed       3", "  unreachable  3"]
    assert len(lines) == 6 + 9
    assert "cam-drift (drift): 4 field(s) drift, 3 step(s) planned, 2 destructive, 1 need allow_data_loss" in lines
    assert "cam-refused (unreachable): [refused] no answer from https://10.0.0.9: refused" in lines
    assert not any(line.startswith("cam-ok") for line in lines)
    long_failure = {"cam": {"failed": True, "error_class": "device", "msg": "x" * 500}}
    line = summary_lines(build_audit_report(long_failure, now=NOW))[-1]
    assert len(line) == 200 and line.startswith("cam (failed): [device] xxx") and line.endswith("x…")


def test_filters_wrap_the_builders():
    filters = FilterModule().filters()
    report = filters["audit_report"]({"cam-ok": AUDIT_RESULTS["cam-ok"]}, "hosts.ini")
    assert report["summary"]["compliant"] == 1 and report["metadata"]["inventory_sources"] == ["hosts.ini"]
    assert filters["report_summary"](report)[0] == "Edge storage compliance audit: 1 camera(s)"
    with pytest.raises(Exception, match="not an edge storage report"):
        filters["report_junit"]({"cameras": []})
    with pytest.raises(Exception, match="mapping of camera name"):
        filters["audit_report"](["cam-ok"])


# -- inventory -----------------------------------------------------------------------------

def info(wear=3, alert_wear=90, temperature=None, alert_temperature=358, sd_status="ok", full=False,
         share_bound=False, share_status="disconnected", overall=None):
    """An axis_storage_info result (gather_subset device, disks, health, shares, limits, profiles, groups)."""
    shares = {"nas1": {"name": "nas1", "share_id": "nas1", "address": "nas.example.com", "share": "cameras",
                       "share_username": "cam", "bound": share_bound,
                       "disk_id": "NetworkShare" if share_bound else None}}
    return {
        "changed": False, "invocation": _INVOCATION,
        "device": {"model": "AXIS Companion Bullet LE", "firmware_version": "9.80.2.2"},
        "disks": {
            "SD_DISK": {"disk_id": "SD_DISK", "status": sd_status, "mounted": sd_status == "ok",
                        "total": "110.73 GiB", "free": "60.2 GiB",
                        "total_kb": 116109036, "free_kb": 63126240, "filesystem": "ext4", "encrypted": False,
                        "full": full},
            "NetworkShare": {"disk_id": "NetworkShare", "status": share_status, "mounted": share_status == "ok",
                             "filesystem": "cifs", "full": False},
            "NetworkShareN0": {"disk_id": "NetworkShareN0", "group": "S2", "cleanup_max_age": 7},
        },
        "health": {"supported": True, "disks": {
            "SD_DISK": {"wear": wear, "axis_card": True, "temperature_k": temperature, "overall_health": overall},
            "NetworkShare": {"wear": -1, "axis_card": False, "temperature_k": None, "overall_health": None}}},
        "alert_levels": {"supported": True, "disks": {"SD_DISK": {"wear": alert_wear, "temperature": alert_temperature}}},
        "network_shares": {"supported": True, "shares": shares},
        "storage_limits": {"supported": True, "disks": {"NetworkShare": {"size": "500 GiB", "size_kb": 524288000}}},
        "continuous_profiles": {"supported": True, "max_profiles": 1, "profiles": [
            {"profile": 1, "disk_id": "SD_DISK", "event_id": "continuous", "options": "resolution=1280x720"}]},
        "recording_groups": {"supported": False, "reason": "no recording group API"},
    }


def inventory():
    return build_inventory_report({
        "cam-fine": info(),
        "cam-worn": info(wear=82),
        "cam-worn-out": info(wear=95),
        "cam-hot": info(temperature=355),
        "cam-full": info(full=True),
        "cam-nocard": info(sd_status="disconnected"),
        "cam-share-down": info(share_bound=True, share_status="disconnected"),
        "cam-sick": info(overall="fail"),
        "cam-refused": {"failed": True, "error_class": "refused", "msg": "connection refused"},
        "cam-auth": {"failed": True, "error_class": "auth", "msg": "wrong user name or password"},
    }, ["hosts.yml"], now=NOW)


def test_inventory_flags_disks_at_or_near_their_alert_levels_full_or_not_mounted():
    report = inventory()
    flags = {entry["name"]: [flag for disk in entry["disks"] for flag in disk["flags"]]
             for entry in report["cameras"]}
    assert flags["cam-fine"] == []
    assert flags["cam-worn"] == ["wear 82 % is within 8 of its alert level of 90 % (margin 10)"]
    assert flags["cam-worn-out"] == ["wear 95 % is at or above its alert level of 90 % (margin 10)"]
    assert flags["cam-hot"] == ["temperature 355 K is within 3 of its alert level of 358 K (margin 5)"]
    assert flags["cam-full"] == ["full"]
    assert flags["cam-nocard"] == ["not mounted (status disconnected)"]
    assert flags["cam-share-down"] == ["not mounted (status disconnected)"]
    assert flags["cam-sick"] == ["the card's health check failed"]
    assert report["summary"] == {"cameras": 10, "ok": 1, "flagged": 7, "failed": 1, "unreachable": 1}
    fine = camera(report, "cam-fine")
    assert fine["model"] == "AXIS Companion Bullet LE" and fine["firmware"] == "9.80.2.2"
    assert fine["disks"][1]["alert_levels"] == {"wear": 90, "temperature": 358} and fine["disks"][1]["wear"] == 3
    assert fine["disks"][0]["wear"] is None                          # NetworkShare: -1 means no wear reading
    assert [disk["disk_id"] for disk in fine["disks"]] == ["NetworkShare", "SD_DISK"]   # not the parameter group
    assert fine["storage_limits"] == {"NetworkShare": "500 GiB"}
    assert fine["unsupported"] == {"recording_groups": "no recording group API"}
    assert report["metadata"]["wear_margin"] == 10 and report["metadata"]["temperature_margin"] == 5


def test_inventory_does_not_call_a_failed_disk_unmounted():
    """axis_storage_info reports the mount state of a disk in status failed as null (a mounted card with file system
    errors has that status): the flag said 'not mounted', which nobody knows; it now says what is known."""
    result = info(sd_status="failed")
    result["disks"]["SD_DISK"]["mounted"] = None
    report = build_inventory_report({"cam-failed": result}, now=NOW)
    flags = [flag for disk in report["cameras"][0]["disks"] for flag in disk["flags"]]
    assert flags == ["status failed: the camera found a problem and does not say whether the disk is mounted; check "
                     "and repair it with vapix.edge_storage.axis_disk_job"]
    assert report["cameras"][0]["status"] == "flagged"


def test_inventory_margins_are_parameters():
    report = build_inventory_report({"cam": info(wear=82)}, now=NOW, wear_margin=5)
    assert report["cameras"][0]["status"] == "ok"


def test_inventory_junit_a_flag_is_a_failure():
    root = junit_root(inventory())
    assert outcome(cases_of(root, "cam-worn")["disk SD_DISK"]) == "failure"
    assert outcome(cases_of(root, "cam-worn")["disk NetworkShare"]) == "passed"
    assert outcome(cases_of(root, "cam-fine")["disk SD_DISK"]) == "passed"
    assert [outcome(case) for case in cases_of(root, "cam-auth").values()] == ["error"]
    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("18", "7", "2")


def test_inventory_html_lists_every_camera_and_its_disks():
    page = lxml.html.fromstring(report_html(inventory()))
    assert len(page.xpath("//tbody[@data-camera]")) == 10
    worn = page.xpath('//tbody[@data-camera="cam-worn"]')[0]
    assert worn.get("data-status") == "flagged" and "within 8 of its alert level" in worn.text_content()
    no_external_reference(page)


# -- coverage in the audit ---------------------------------------------------------------------

WINDOW = {"start": "2026-11-29T04:00:00Z", "end": "2026-11-30T04:00:00Z", "seconds": 86400}


def coverage_result(events=None, disks=None, complete=True):
    """An axis_recording_info result with coverage (window 24h, max_gap 5m, target 7d), as the role registers it."""
    if events is None:
        events = {"continuous": event()}
    if disks is None:
        disks = {"SD_DISK": disk()}
    return {"changed": False, "camera_time": WINDOW["end"], "requests": 6, "invocation": _INVOCATION,
            "coverage": {"window": WINDOW, "max_gap_seconds": 300, "event_ids": events, "disks": disks,
                         "complete": complete, "compliant": False, "problems": ["(the module's sentences)"]}}


def event(recording_now=True, covered=100.0, gaps=(), cause=None):
    return {"recording_now": recording_now, "covered_percent": covered, "gaps": list(gaps), "cause": cause}


def gap(start, end, seconds, length, still_open=False):
    return {"start": start, "end": end, "seconds": seconds, "length": length, "open": still_open}


def disk(achieved=10 * 86400, target=7 * 86400, recordings=12):
    return {"recordings": recordings, "oldest_recording": "2026-11-20T04:00:00Z" if recordings else None,
            "achieved_retention_seconds": achieved, "achieved_retention": "%dd" % (achieved // 86400),
            "cleanup_max_age_days": 30, "retention_target_seconds": target,
            "retention_short": target is not None and achieved < target}


GAP_37 = gap("2026-11-30T02:00:00Z", "2026-11-30T02:37:00Z", 2220, "37m")
OPEN_GAP = gap("2026-11-30T03:40:00Z", "2026-11-30T04:00:00Z", 1200, "20m", still_open=True)
OK = AUDIT_RESULTS["cam-ok"]

COVERAGE_RESULTS = {
    "cam-recorded": (OK, coverage_result()),
    "cam-gap": (OK, coverage_result({"continuous": event(covered=97.43, gaps=[GAP_37])})),
    "cam-stopped": (OK, coverage_result({"continuous": event(False, 98.61, [OPEN_GAP],
                                                             "disk SD_DISK is not mounted (status OK)")})),
    "cam-short": (OK, coverage_result(disks={"SD_DISK": disk(achieved=2 * 86400),
                                             "NetworkShare": disk(achieved=0, recordings=0)})),
    # drift and a gap: the gap ranks higher, the report keeps both
    "cam-drift-gap": (AUDIT_RESULTS["cam-drift"], coverage_result({"continuous": event(covered=97.43, gaps=[GAP_37])})),
    # everything at once: not_recording is the highest coverage status
    "cam-worst": (OK, coverage_result({"continuous": event(False, 50.0, [GAP_37, OPEN_GAP], "disk SD_DISK is full"),
                                       "lobby": event(gaps=[GAP_37])},
                                      {"SD_DISK": disk(achieved=86400)})),
    "cam-no-profile": (OK, coverage_result(events={})),
    "cam-capped": (OK, coverage_result({"continuous": event(False, 10.0, [OPEN_GAP])}, complete=False)),
    # a camera whose plan failed is failed, whatever its coverage (the role never read it)
    "cam-plan-failed": (AUDIT_RESULTS["cam-device"], None),
    "cam-read-refused": (OK, {"failed": True, "error_class": "refused", "msg": "no answer from 10.0.0.9: refused"}),
    "cam-skip-short": (AUDIT_RESULTS["cam-legacy-skip"], coverage_result(disks={"SD_DISK": disk(achieved=86400)})),
    # no requirement for this one: the role's coverage task was skipped
    "cam-no-requirement": (OK, {"changed": False, "skipped": True, "skip_reason": "Conditional result was False"}),
}


def coverage_audit():
    return build_audit_report({name: pair[0] for name, pair in COVERAGE_RESULTS.items()}, ["hosts.yml"],
                              now=NOW, coverage={name: pair[1] for name, pair in COVERAGE_RESULTS.items()})


def test_coverage_statuses_rank_between_failed_and_drift():
    report = coverage_audit()
    assert {entry["name"]: entry["all_statuses"] for entry in report["cameras"]} == {
        "cam-recorded": ["compliant"],
        "cam-gap": ["coverage_gap"],
        "cam-stopped": ["not_recording"],
        "cam-short": ["retention_short"],
        "cam-drift-gap": ["coverage_gap", "drift"],
        "cam-worst": ["not_recording"],
        "cam-no-profile": ["not_recording"],
        "cam-capped": ["coverage_gap"],
        "cam-plan-failed": ["failed"],
        "cam-read-refused": ["unreachable"],
        "cam-skip-short": ["retention_short", "unsupported"],
        "cam-no-requirement": ["compliant"],
    }
    assert all(entry["status"] == entry["all_statuses"][0] for entry in report["cameras"])
    assert report["statuses"] == ["compliant", "drift", "unsupported", "retention_short", "coverage_gap",
                                  "not_recording", "failed", "unreachable"]
    assert report["summary"] == {"cameras": 12, "compliant": 2, "drift": 0, "unsupported": 0, "retention_short": 2,
                                 "coverage_gap": 3, "not_recording": 3, "failed": 1, "unreachable": 1}


def test_without_a_coverage_requirement_the_coverage_statuses_are_not_listed():
    skipped = {"changed": False, "skipped": True}
    report = build_audit_report({"cam": OK}, now=NOW, coverage={"cam": skipped})
    assert report["statuses"] == ["compliant", "drift", "unsupported", "failed", "unreachable"]
    assert report["cameras"][0]["coverage"] is None
    assert build_audit_report({"cam": OK}, now=NOW) == report


def test_coverage_lines_name_event_ids_gaps_causes_and_retention():
    report = coverage_audit()
    gap_entry = camera(report, "cam-gap")["coverage"]
    assert gap_entry["status"] == "coverage_gap"
    assert gap_entry["findings"] == [{"status": "coverage_gap", "subject": "continuous",
                                      "text": "continuous did not record for 37m, from 2026-11-30T02:00:00Z to "
                                              "2026-11-30T02:37:00Z (longer than 5m)"}]
    assert gap_entry["event_ids"] == [{"event_id": "continuous", "recording_now": True, "covered_percent": 97.43,
                                       "gaps": [GAP_37], "cause": None}]
    assert gap_entry["window"] == WINDOW and gap_entry["max_gap_seconds"] == 300
    stopped = camera(report, "cam-stopped")["coverage"]["findings"]
    assert stopped == [{"status": "not_recording", "subject": "continuous",
                        "text": "continuous is not recording since 2026-11-30T03:40:00Z: "
                                "disk SD_DISK is not mounted (status OK)"}]
    short = camera(report, "cam-short")["coverage"]
    assert short["findings"] == [{"status": "retention_short", "subject": "SD_DISK",
                                  "text": "SD_DISK holds recordings back 2d (oldest 2026-11-20T04:00:00Z), "
                                          "short of the target 7d"}]
    # the empty NAS is listed but not short: whether the camera records there is the event ids' question
    assert [(entry["disk_id"], entry["retention_short"], entry["retention_target"]) for entry in short["disks"]] == [
        ("NetworkShare", False, "7d"), ("SD_DISK", True, "7d")]
    worst = camera(report, "cam-worst")["coverage"]["findings"]
    assert [(finding["status"], finding["subject"]) for finding in worst] == [
        ("not_recording", "continuous"), ("coverage_gap", "continuous"), ("coverage_gap", "lobby"),
        ("retention_short", "SD_DISK")]
    assert worst[0]["text"].endswith("disk SD_DISK is full")
    assert camera(report, "cam-no-profile")["coverage"]["findings"][0]["text"].startswith("nothing records")
    capped = camera(report, "cam-capped")["coverage"]["findings"]
    assert [finding["status"] for finding in capped] == ["coverage_gap"]       # no false not_recording
    assert "edge_storage_coverage_max_pages" in capped[0]["text"]
    refused = camera(report, "cam-read-refused")
    assert refused["coverage"] is None and refused["error"]["message"].startswith("the coverage read failed: ")
    assert refused["error"]["error_class"] == "refused"


def test_a_camera_with_drift_and_a_gap_keeps_both():
    entry = camera(coverage_audit(), "cam-drift-gap")
    assert entry["status"] == "coverage_gap"
    assert len(entry["drift"]) == 4 and entry["coverage"]["findings"][0]["status"] == "coverage_gap"
    root = junit_root(coverage_audit())
    cases = cases_of(root, "cam-drift-gap")
    assert {name: outcome(case) for name, case in cases.items()} == {
        "shares": "failure", "disks": "failure", "recording_groups": "failure", "coverage": "failure"}
    assert cases["coverage"].find("failure").get("type") == "coverage_gap"
    assert cases["disks"].find("failure").get("type") == "drift"
    lines = summary_lines(coverage_audit())
    line = next(line for line in lines if line.startswith("cam-drift-gap"))
    assert line.startswith("cam-drift-gap (coverage_gap): continuous did not record for 37m")
    assert "4 field(s) drift, 3 step(s) planned" in line


@pytest.mark.parametrize("stopped, why", [
    ("list_moved", "the camera's list of recordings moved while it was read"),
    ("nothing_new", "the camera counts more matching recordings than its pages list"),
])
def test_a_coverage_whose_list_moved_while_it_was_read_says_so_not_the_page_cap(stopped, why):
    moved = coverage_result({"continuous": event(False, 10.0, [OPEN_GAP])}, complete=False)
    moved["coverage"]["stopped"] = stopped
    report = build_audit_report({"cam": OK}, now=NOW, coverage={"cam": moved})
    findings = report["cameras"][0]["coverage"]["findings"]
    assert [finding["status"] for finding in findings] == ["coverage_gap"]
    assert why in findings[0]["text"]
    assert "run the audit again" in findings[0]["text"] and "max_pages" not in findings[0]["text"]


def test_coverage_is_a_junit_test_case_per_camera_with_a_requirement():
    root = junit_root(coverage_audit())
    expected = {"cam-recorded": "passed", "cam-gap": "failure", "cam-stopped": "failure", "cam-short": "failure",
                "cam-worst": "failure", "cam-no-profile": "failure", "cam-capped": "failure",
                "cam-skip-short": "failure"}
    for name, wanted in expected.items():
        assert outcome(cases_of(root, name)["coverage"]) == wanted, name
    for name in ("cam-no-requirement", "cam-plan-failed", "cam-read-refused"):
        assert "coverage" not in cases_of(root, name)
    worst = cases_of(root, "cam-worst")["coverage"].find("failure")
    assert worst.get("type") == "not_recording" and worst.get("message") == "not_recording: 4 findings"
    assert worst.text.splitlines()[-1].startswith("retention_short: SD_DISK holds recordings back 1d")
    assert cases_of(root, "cam-short")["coverage"].find("failure").get("message").startswith(
        "retention_short: SD_DISK holds recordings back 2d")
    assert list(cases_of(root, "cam-recorded")["coverage"]) == []


def test_html_filters_by_the_coverage_statuses_and_expands_the_lines():
    report = coverage_audit()
    page = lxml.html.fromstring(report_html(report))
    assert [option.get("value") for option in page.xpath('//select[@id="status-filter"]/option')] == [
        "all", "compliant", "drift", "unsupported", "retention_short", "coverage_gap", "not_recording", "failed",
        "unreachable"]
    counts = {item.get("data-status"): item.find("b").text for item in page.xpath('//li[@class="count"]')}
    assert (counts["not_recording"], counts["coverage_gap"], counts["retention_short"]) == ("3", "3", "2")
    row = page.xpath('//tbody[@data-camera="cam-stopped"]')[0]
    assert row.get("data-status") == "not_recording"
    details = row.xpath(".//details//div[@class='coverage']")[0].text_content()
    assert "disk SD_DISK is not mounted (status OK)" in details and "20m from 2026-11-30T03:40:00Z" in details
    short = page.xpath('//tbody[@data-camera="cam-short"]//div[@class="coverage"]')[0]
    assert short.xpath('.//span[@class="attention"]')[0].text == "2d"
    assert "Recorded as required." in page.xpath('//tbody[@data-camera="cam-recorded"]')[0].text_content()
    no_external_reference(page)


def test_stdout_summary_counts_and_names_the_coverage_statuses():
    lines = summary_lines(coverage_audit())
    assert lines[:9] == ["Edge storage compliance audit: 12 camera(s)", "  compliant       2", "  drift           0",
                         "  unsupported     0", "  retention_short 2", "  coverage_gap    3", "  not_recording   3",
                         "  failed          1", "  unreachable     1"]
    assert "cam-recorded" not in "\n".join(lines)
    assert ("cam-skip-short (retention_short): SD_DISK holds recordings back 1d (oldest 2026-11-20T04:00:00Z), "
            "short of the target 7d; not supported: storage limit NetworkShare (storage_limits)") in lines


def test_the_filter_takes_the_coverage_results():
    filters = FilterModule().filters()
    report = filters["audit_report"]({"cam": OK}, "hosts.yml", {"cam": COVERAGE_RESULTS["cam-gap"][1]})
    assert report["cameras"][0]["status"] == "coverage_gap"
    assert "invocation" not in json.dumps(report) and SECRETS[0] not in json.dumps(report)
