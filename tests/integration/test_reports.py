# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/audit.yml and playbooks/report.yml against an emulated fleet: the report files.

The audit fleet declares the demo's state (playbooks/demo/group_vars/cameras.yml) on one
compliant camera (converged first), two factory-fresh (drifting) ones, two legacy cameras (their
firmware has no storage limit or recording group API): one failing on it, one with
``unsupported: skip`` converged as far as it goes, one camera whose requests all answer HTTP
500, and one closed port.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import lxml.html
import pytest
import yaml
from lxml import etree
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.emulator import EmulatorFleet
from tests.integration import harness
from tests.integration.harness import REPO, run_collection_playbook
from tests.integration.inprocess import run_task
from tests.loopback import closed_port
from tests.integration.test_recording_info import disk_job

SCHEMA = REPO / "tests" / "schemas" / "junit-10.xsd"
SCREENSHOTS = REPO / "tests" / "output"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_ARGUMENTS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000")
CAMERA_PASSWORD = "Camera-Root-Pw-9"
SHARE_PASSWORD = "s3cr&t=x"          # the demo's share password (playbooks/demo/group_vars/cameras.yml)
SECRETS = (CAMERA_PASSWORD, SHARE_PASSWORD, "s3cr%26t%3Dx")
DEMO_STATE = yaml.safe_load((REPO / "playbooks" / "demo" / "group_vars" / "cameras.yml").read_text())

AUDIT_STATUSES = {
    "cam-compliant": "compliant",
    "cam-drift-a": "drift",
    "cam-drift-b": "drift",
    "cam-legacy": "unsupported",
    "cam-legacy-skip": "unsupported",
    "cam-failing": "failed",
    "cam-closed": "unreachable",
}


MODULE_TASK = "vapix.edge_storage.edge_storage : Converge the edge storage of the camera"
WRITE_TASK = "Write audit.json, audit.xml (JUnit) and audit.html"
FAIL_TASK = ("Fail when a camera could not be audited, did not record as required, or drifts with audit_fail_on_drift "
             "(for pipelines)")


def demo_hosts(ports, host_vars=None):
    """Camera hosts {name: port} on loopback, each declaring the demo's state, with our camera password."""
    hosts = {}
    for name, port in ports.items():
        hosts[name] = dict(DEMO_STATE, edge_storage_password=CAMERA_PASSWORD, edge_storage_timeout=5,
                           ansible_host="127.0.0.1", edge_storage_port=port)
        hosts[name].update((host_vars or {}).get(name, {}))
    return hosts


def converge_demo_state(camera, **options):
    """The demo's desired state on one camera, converged in this process (the role's own converge runs
    through ansible-playbook in test_playbooks_env and Molecule; here it only prepares the cameras)."""
    prefix = "edge_storage_"
    sections = {key[len(prefix):]: value for key, value in DEMO_STATE.items()
                if key[len(prefix):] in ("shares", "disks", "storage_limits", "continuous_profiles",
                                         "recording_groups")}
    result = run_task(camera, "axis_edge_storage", dict(sections, **options), defaults={"password": CAMERA_PASSWORD})
    assert not result.get("failed"), result


def read_reports(directory, stem):
    directory = Path(directory)
    report = json.loads((directory / ("%s.json" % stem)).read_text())
    junit_text = (directory / ("%s.xml" % stem)).read_text()
    junit = etree.fromstring(junit_text.encode("utf-8"))
    etree.XMLSchema(etree.parse(str(SCHEMA))).assertValid(junit)
    html_text = (directory / ("%s.html" % stem)).read_text()
    for text in ((directory / ("%s.json" % stem)).read_text(), junit_text, html_text):
        for secret in SECRETS:
            assert secret not in text
    return report, junit, html_text, lxml.html.fromstring(html_text)


def outcomes(junit, camera):
    found = {}
    for case in junit.iter("testcase"):
        if case.get("classname") == camera:
            tags = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
            found[case.get("name")] = tags[0] if tags else "passed"
    return found


def assert_self_contained(page):
    for element in page.iter():
        if isinstance(element.tag, str):
            assert element.tag not in ("link", "iframe", "img", "object", "embed", "base")
            for attribute in ("src", "href", "action", "data", "srcset"):
                assert element.get(attribute) is None, (element.tag, attribute)


@pytest.fixture(scope="module")
def audited_fleet(tmp_path_factory):
    """The mixed fleet audited once with audit_fail_on_drift=true: (run, report directory, fleet)."""
    fleet = EmulatorFleet(count=6, base_port=0, users={"root": (CAMERA_PASSWORD, "admin")})
    fleet.start()
    try:
        compliant, drift_a, drift_b, legacy, legacy_skip, failing = fleet.cameras
        legacy.reset(profile="legacy")
        legacy_skip.reset(profile="legacy")
        ports = {"cam-compliant": compliant.port, "cam-drift-a": drift_a.port, "cam-drift-b": drift_b.port,
                 "cam-legacy": legacy.port, "cam-legacy-skip": legacy_skip.port, "cam-failing": failing.port,
                 "cam-closed": closed_port()}
        hosts = demo_hosts(ports, {"cam-legacy-skip": {"edge_storage_unsupported": "skip"}})
        converge_demo_state(compliant)
        converge_demo_state(legacy_skip, unsupported="skip")
        for camera in fleet.cameras:
            camera.clear_log()
        failing.inject(http500=100000)
        reports = tmp_path_factory.mktemp("audit-reports")
        run = run_collection_playbook("audit.yml", hosts,
                                      extra_vars={"audit_report_dir": str(reports), "audit_fail_on_drift": True})
        writes = sum(camera.write_count() for camera in fleet.cameras)
        yield run, reports, writes
    finally:
        fleet.stop()


def test_audit_writes_every_camera_with_its_status_and_counts(audited_fleet):
    run, reports, writes = audited_fleet
    assert writes == 0
    report, _junit, _text, _page = read_reports(reports, "audit")
    assert {camera["name"]: camera["status"] for camera in report["cameras"]} == AUDIT_STATUSES
    assert report["summary"] == {"cameras": 7, "compliant": 1, "drift": 2, "unsupported": 2, "failed": 1,
                                 "unreachable": 1}
    assert report["metadata"]["collection_version"] == "0.1.0"
    assert report["metadata"]["inventory_sources"][0].endswith("inventory.yml")
    for camera in report["cameras"]:
        result = run.result(MODULE_TASK, camera["name"])
        assert (camera["model"], camera["firmware"]) == (result.get("model"), result.get("firmware"))
    drift = next(camera for camera in report["cameras"] if camera["name"] == "cam-drift-a")
    assert {"section": "disks", "item": "disk SD_DISK", "field": "cleanup_max_age", "declared": 30,
            "actual": 7000} in drift["drift"]
    assert {"section": "storage_limits", "item": "storage limit NetworkShare", "field": "size",
            "declared": "500 GiB", "actual": "no limit"} in drift["drift"]
    assert any(step["text"].startswith("add share 'nas1'") for step in drift["steps"])
    # The audit play turns diff mode on for the plan (diff: true), with or without --diff.
    drift_result = run.result(MODULE_TASK, "cam-drift-a")
    assert drift_result["diff"] == {"before": drift_result["before"], "after": drift_result["after"]}
    compliant = next(camera for camera in report["cameras"] if camera["name"] == "cam-compliant")
    assert compliant["drift"] == [] and compliant["steps"] == [] and compliant["error"] is None
    failing = next(camera for camera in report["cameras"] if camera["name"] == "cam-failing")
    assert "HTTP 500" in failing["error"]["message"]
    legacy = next(camera for camera in report["cameras"] if camera["name"] == "cam-legacy")
    assert "not supported" in legacy["error"]["message"]
    assert legacy["error"]["error_class"] == "unsupported"
    legacy_skip = next(camera for camera in report["cameras"] if camera["name"] == "cam-legacy-skip")
    assert legacy_skip["error"] is None and legacy_skip["drift"] == []
    assert {part["section"] for part in legacy_skip["skipped"]} >= {"storage_limits", "recording_groups"}
    closed = next(camera for camera in report["cameras"] if camera["name"] == "cam-closed")
    assert closed["error"]["error_class"] == "refused"


def test_audit_fails_once_on_localhost_naming_the_drifting_cameras(audited_fleet):
    run, _reports, _writes = audited_fleet
    assert run.rc != 0
    failed = {entry["host"]: entry["task"] for entry in run.statuses("failed")}
    assert failed == {"cam-legacy": MODULE_TASK, "cam-failing": MODULE_TASK, "cam-closed": MODULE_TASK,
                      "localhost": FAIL_TASK}
    assert run.result(FAIL_TASK, "localhost")["msg"] == (
        "2 camera(s) drift from the declared state: cam-drift-a, cam-drift-b. "
        "3 camera(s) could not be audited: cam-closed, cam-failing, cam-legacy.")
    summary = run.result("Summarise the audit", "localhost")["msg"]
    assert summary[:6] == ["Edge storage compliance audit: 7 camera(s)", "  compliant    1", "  drift        2",
                           "  unsupported  2", "  failed       1", "  unreachable  1"]
    assert [line.split(" ")[0] for line in summary[6:-1]] == [
        "cam-closed", "cam-drift-a", "cam-drift-b", "cam-failing", "cam-legacy", "cam-legacy-skip"]
    assert summary[-1].startswith("reports: ") and summary[-1].endswith("/audit.{json,xml,html}")


def test_audit_junit_has_a_case_per_camera_and_section(audited_fleet):
    _run, reports, _writes = audited_fleet
    _report, junit, _text, _page = read_reports(reports, "audit")
    sections = ["shares", "disks", "storage_limits", "continuous_profiles", "recording_groups"]
    assert outcomes(junit, "cam-compliant") == {section: "passed" for section in sections}
    assert outcomes(junit, "cam-drift-a") == {section: "failure" for section in sections}
    for camera in ("cam-legacy", "cam-failing", "cam-closed"):
        assert outcomes(junit, camera) == {"audit": "error"}
    legacy_skip = outcomes(junit, "cam-legacy-skip")
    assert legacy_skip["storage_limits"] == legacy_skip["recording_groups"] == "skipped"
    assert set(legacy_skip.values()) <= {"passed", "skipped"}
    suite = junit.find("testsuite")
    skipped = sum(1 for outcome in legacy_skip.values() if outcome == "skipped")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors"), suite.get("skipped")) == (
        str(18 + len(legacy_skip)), "10", "3", str(skipped))
    failure = next(case for case in junit.iter("testcase")
                   if case.get("classname") == "cam-drift-b" and case.get("name") == "disks").find("failure")
    assert "disk SD_DISK: cleanup_max_age: actual 7000 -> declared 30" in failure.text


def test_audit_html_lists_every_camera_and_loads_nothing(audited_fleet):
    _report, _junit, text, page = read_reports(audited_fleet[1], "audit")
    rows = {row.get("data-camera"): row.get("data-status") for row in page.xpath("//tbody[@data-camera]")}
    assert rows == AUDIT_STATUSES
    assert "cleanup_max_age" in page.xpath('//tbody[@data-camera="cam-drift-a"]//details')[0].text_content()
    assert_self_contained(page)
    assert "<script src" not in text


def test_report_is_written_when_every_camera_is_unreachable(tmp_path):
    """Also in a --check run (check_mode: false on the report_files task), into a directory that does not exist
    yet, in one task whose result names each file and does not carry the contents."""
    hosts = demo_hosts({"cam-gone-1": closed_port(), "cam-gone-2": closed_port()})
    reports = tmp_path / "reports" / "audit"
    run = run_collection_playbook("audit.yml", hosts, check=True, extra_vars={"audit_report_dir": str(reports)})
    assert run.rc != 0
    report, junit, _text, page = read_reports(reports, "audit")
    assert report["summary"] == {"cameras": 2, "compliant": 0, "drift": 0, "unsupported": 0, "failed": 0,
                                 "unreachable": 2}
    assert junit.find("testsuite").get("errors") == "2"
    assert len(page.xpath("//tbody[@data-camera]")) == 2
    written = run.result(WRITE_TASK, "localhost")
    assert written["changed"] is True and written["dest"] == str(reports)
    assert [(entry["name"], entry["changed"], entry["size"]) for entry in written["files"]] == [
        (name, True, (reports / name).stat().st_size) for name in ("audit.json", "audit.xml", "audit.html")]
    assert sorted(os.listdir(reports)) == ["audit.html", "audit.json", "audit.xml"]
    assert "<html" not in json.dumps(written)


@pytest.mark.parametrize("pwd", [None, "stale"])
def test_reports_go_under_the_directory_the_run_starts_in_whatever_pwd_says(tmp_path, pwd):
    """The default report directories are under ansible-playbook's working directory, also when the process
    that starts it (cron, systemd, a CI agent, Python's subprocess with cwd=) leaves PWD unset or naming
    another directory: no failed write and no report left where nobody looks."""
    work = tmp_path / "run dir"
    work.mkdir()
    elsewhere = tmp_path / "elsewhere"
    harness.write_inventory(work, demo_hosts({"cam-gone": closed_port()}))
    env = harness._ansible_env(work, {})
    if pwd is None:
        del env["PWD"]
    else:
        env["PWD"] = str(elsewhere)
    for playbook, stem in (("audit.yml", "audit"), ("report.yml", "inventory")):
        command = [harness.ansible_bin("ansible-playbook"), "-i", str(work / "inventory.yml"),
                   str(REPO / "playbooks" / playbook)]
        run = harness._run(work, command, env, 600)
        assert run.rc == 2, run
        reports = work / "reports" / stem
        report, _junit, _text, _page = read_reports(reports, stem)
        assert [(camera["name"], camera["status"]) for camera in report["cameras"]] == [("cam-gone", "unreachable")]
        assert [entry["result"]["dest"] for entry in run.results if entry["host"] == "localhost"
                and "dest" in entry["result"]] == [str(reports)]
        (work / "results.jsonl").unlink()
    assert not elsewhere.exists()


def test_an_audit_of_cameras_whose_state_it_did_not_find_fails_naming_them(make_camera, tmp_path):
    """Nothing declared reaches two cameras (their group_vars were not found): the audit sends them no request,
    so it does not call them compliant, the closed port among them; it fails naming both and saying why."""
    camera = make_camera("modern")
    bare = {"ansible_host": "127.0.0.1", "edge_storage_username": "root", "edge_storage_password": "pass",
            "edge_storage_protocol": "http"}
    hosts = {"cam-bare": dict(bare, edge_storage_port=camera.port),
             "cam-bare-closed": dict(bare, edge_storage_port=closed_port())}
    run = run_collection_playbook("audit.yml", hosts, extra_vars={"audit_report_dir": str(tmp_path)})
    assert run.rc == 2, run
    report, junit, _text, _page = read_reports(tmp_path, "audit")
    assert [(entry["name"], entry["status"], entry["error"]["error_class"]) for entry in report["cameras"]] == [
        ("cam-bare", "failed", "nothing_declared"), ("cam-bare-closed", "failed", "nothing_declared")]
    assert report["summary"]["compliant"] == 0
    assert outcomes(junit, "cam-bare") == {"audit": "error"}
    assert "2 camera(s) could not be audited: cam-bare, cam-bare-closed." in run.result(FAIL_TASK, "localhost")["msg"]
    assert camera.write_count() == 0


def test_a_camera_refused_before_its_plan_is_reported_with_the_reason(make_camera, tmp_path):
    """The role's check of its variables fails before the plan, which registers nothing: the report gives that
    check's message (which variable is wrong), not only that the camera has no result."""
    camera = make_camera("modern")
    hosts = {"cam-bad-vars": {"ansible_host": "127.0.0.1", "edge_storage_port": camera.port,
                              "edge_storage_username": "root", "edge_storage_password": "pass",
                              "edge_storage_protocol": "http", "edge_storage_disks": "SD_DISK"}}
    run = run_collection_playbook("audit.yml", hosts, extra_vars={"audit_report_dir": str(tmp_path)})
    assert run.rc == 2, run
    report, junit, _text, _page = read_reports(tmp_path, "audit")
    entry = report["cameras"][0]
    assert entry["status"] == "failed"
    assert "edge_storage_disks" in entry["error"]["message"], entry
    assert "edge_storage_disks" in junit.find(".//testcase/error").get("message")
    assert camera.log() == []


def test_inventory_report_flags_worn_unmounted_and_lists_the_fleet(tmp_path):
    fleet = EmulatorFleet(count=3, base_port=0, users={"root": (CAMERA_PASSWORD, "admin")})
    fleet.start()
    try:
        worn, nocard, legacy = fleet.cameras
        worn.reset(profile="modern-share")
        with worn.model.lock:
            worn.model.disk("SD_DISK").alert_wear = 10     # the card's wear (3 %) is within 10 of it
        nocard.reset(profile="modern-nocard")
        legacy.reset(profile="legacy")
        hosts = demo_hosts({"cam-worn": worn.port, "cam-nocard": nocard.port, "cam-legacy": legacy.port,
                           "cam-closed": closed_port()})
        run = run_collection_playbook("report.yml", hosts, extra_vars={"report_dir": str(tmp_path)})
        assert sum(camera.write_count() for camera in fleet.cameras) == 0
    finally:
        fleet.stop()
    assert run.rc != 0          # the closed port fails its read
    report, junit, _text, page = read_reports(tmp_path, "inventory")
    cameras = {camera["name"]: camera for camera in report["cameras"]}
    assert {name: camera["status"] for name, camera in cameras.items()} == {
        "cam-worn": "flagged", "cam-nocard": "flagged", "cam-legacy": "ok", "cam-closed": "unreachable"}
    assert report["summary"] == {"cameras": 4, "ok": 1, "flagged": 2, "failed": 0, "unreachable": 1}
    worn_sd = next(disk for disk in cameras["cam-worn"]["disks"] if disk["disk_id"] == "SD_DISK")
    assert worn_sd["flags"] == ["wear 3 % is within 7 of its alert level of 10 % (margin 10)"]
    assert worn_sd["alert_levels"] == {"wear": 10, "temperature": 358}
    assert (worn_sd["filesystem"], worn_sd["encrypted"], worn_sd["size"]) == ("ext4", False, "110.73 GiB")
    assert cameras["cam-worn"]["shares"] == [{"share_id": "nas1", "name": "nas1", "address": "nas.example.com",
                                              "share": "cameras", "share_username": "cam", "disk_id": "NetworkShare"}]
    assert (cameras["cam-worn"]["model"], cameras["cam-worn"]["firmware"]) == ("AXIS Companion Bullet LE", "9.80.2.2")
    nocard_flags = [flag for disk in cameras["cam-nocard"]["disks"] for flag in disk["flags"]]
    assert nocard_flags == ["not mounted (status disconnected)"]
    assert cameras["cam-legacy"]["unsupported"]["alert_levels"].startswith("needs the disk-properties API 1.1")
    assert outcomes(junit, "cam-worn") == {"disk NetworkShare": "passed", "disk SD_DISK": "failure"}
    assert outcomes(junit, "cam-nocard") == {"disk NetworkShare": "passed", "disk SD_DISK": "failure"}
    assert outcomes(junit, "cam-closed") == {"inventory": "error"}
    assert len(page.xpath("//tbody[@data-camera]")) == 4
    assert_self_contained(page)
    summary = run.result("Summarise the inventory", "localhost")["msg"]
    assert summary[:5] == ["Edge storage fleet inventory: 4 camera(s)", "  ok           1", "  flagged      2",
                           "  failed       0", "  unreachable  1"]


@pytest.fixture
def browser(tmp_path):
    """Debian's headless chromium driven through /usr/bin/chromedriver (nothing downloaded)."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        message = ("the HTML report test needs Debian's chromium and chromium-driver (%s, %s): "
                   "bash scripts/test installs them as root" % (CHROMIUM, CHROMEDRIVER))
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in CHROMIUM_ARGUMENTS:
        options.add_argument(argument)
    options.add_argument("--user-data-dir=%s" % (tmp_path / "chromium-profile"))
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def shown_cameras(driver):
    return sorted(row.get_attribute("data-camera") for row in driver.find_elements(By.CSS_SELECTOR, "tbody.camera")
                  if row.is_displayed())


def requested_urls(driver):
    """URLs requested since the last call, leaving out chromium's own chrome:// pages and what they load."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            document = message["params"].get("documentURL") or ""
            if not (url.startswith("chrome://") or document.startswith("chrome://")):
                urls.append(url)
    return urls


def test_audit_html_in_a_headless_browser(audited_fleet, browser):
    _run, reports, _writes = audited_fleet
    page = (Path(reports) / "audit.html").as_uri()
    requested_urls(browser)
    browser.get(page)
    assert browser.title == "Edge storage compliance audit"
    assert shown_cameras(browser) == sorted(AUDIT_STATUSES)
    statuses = {camera["name"]: camera["status"]
                for camera in json.loads((Path(reports) / "audit.json").read_text())["cameras"]}
    status_filter = Select(browser.find_element(By.ID, "status-filter"))
    for status in sorted(set(statuses.values())):
        status_filter.select_by_value(status)
        assert shown_cameras(browser) == sorted(name for name, its in statuses.items() if its == status)
    status_filter.select_by_value("all")
    assert shown_cameras(browser) == sorted(AUDIT_STATUSES)
    details = browser.find_element(By.CSS_SELECTOR, 'tbody[data-camera="cam-drift-a"] details')
    drift_table = details.find_element(By.CSS_SELECTOR, "table.inner")
    assert details.get_attribute("open") is None and not drift_table.is_displayed()
    details.find_element(By.TAG_NAME, "summary").click()
    assert details.get_attribute("open") is not None and drift_table.is_displayed()
    assert "cleanup_max_age" in drift_table.text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOTS / "audit-report.png"))
    assert requested_urls(browser) == [page]


# -- coverage in the audit -----------------------------------------------------------------------

COVERAGE_REQUIREMENT = {"edge_storage_coverage_window": "2h", "edge_storage_coverage_max_gap": "5m",
                        "edge_storage_coverage_retention_target": "150m"}
MINUTE = 60


@pytest.fixture(scope="module")
def coverage_fleet(tmp_path_factory):
    """Four cameras converged to the demo state, recording continuously on the SD card since, then
    each on its own clock: fine, a 30-minute unmount in the window, locked for the last 30 minutes,
    and set up too recently for the retention target; then audited with a coverage requirement.
    Yields (cameras by name, hosts, report directory, the audit run, writes of the audit)."""
    fleet = EmulatorFleet(count=4, base_port=0, users={"root": (CAMERA_PASSWORD, "admin")})
    fleet.start()
    try:
        names = ("cam-fine", "cam-gap", "cam-stopped", "cam-short")
        cameras = dict(zip(names, fleet.cameras))
        for camera in fleet.cameras:
            with camera.model.lock:
                camera.model.recordings = []
        hosts = demo_hosts({name: camera.port for name, camera in cameras.items()})
        for camera in fleet.cameras:
            converge_demo_state(camera)
        cameras["cam-fine"].model.advance_clock(180 * MINUTE)
        gap = cameras["cam-gap"]
        gap.model.advance_clock(80 * MINUTE)
        disk_job(gap, "unmount")
        gap.model.advance_clock(30 * MINUTE)
        disk_job(gap, "mount")
        gap.model.advance_clock(70 * MINUTE)
        stopped = cameras["cam-stopped"]
        stopped.model.advance_clock(150 * MINUTE)
        stopped.model.set_lock("SD_DISK", "lock")
        stopped.model.advance_clock(30 * MINUTE)
        cameras["cam-short"].model.advance_clock(130 * MINUTE)
        for camera in fleet.cameras:
            camera.clear_log()
        reports = tmp_path_factory.mktemp("coverage-reports")
        run = run_collection_playbook("audit.yml", hosts,
                                      extra_vars=dict(COVERAGE_REQUIREMENT, audit_report_dir=str(reports / "coverage")))
        writes = sum(camera.write_count() for camera in fleet.cameras)
        yield cameras, hosts, reports, run, writes
    finally:
        fleet.stop()


def test_audit_without_a_coverage_requirement_reads_no_recording(coverage_fleet):
    cameras, hosts, reports, _run, _writes = coverage_fleet
    for camera in cameras.values():
        camera.clear_log()
    # One more host (on cam-fine's camera) declares a retention target without a window: planned, then
    # refused before its coverage read. The other four declare no requirement.
    typo = dict(hosts["cam-fine"], edge_storage_coverage_retention_target="7d")
    run = run_collection_playbook("audit.yml", dict(hosts, **{"cam-no-window": typo}),
                                  extra_vars={"audit_report_dir": str(reports / "plain")})
    report, junit, _text, _page = read_reports(reports / "plain", "audit")
    assert {camera["name"]: camera["status"] for camera in report["cameras"]} == {
        "cam-fine": "compliant", "cam-gap": "compliant", "cam-stopped": "compliant", "cam-short": "compliant",
        "cam-no-window": "failed"}
    assert not any(outcomes(junit, name).get("coverage") for name in cameras)
    for camera in cameras.values():
        assert not any(entry["path"].endswith("record/list.cgi") for entry in camera.log())
        assert camera.write_count() == 0
    assert run.result(FAIL_TASK, "localhost")["msg"] == "1 camera(s) could not be audited: cam-no-window."
    no_window = next(camera for camera in report["cameras"] if camera["name"] == "cam-no-window")
    assert no_window["error"]["message"].startswith("the coverage read failed: ")
    assert "set edge_storage_coverage_window" in no_window["error"]["message"]
    assert "set edge_storage_coverage_window" in run.result(
        "vapix.edge_storage.edge_storage : Check the coverage requirement", "cam-no-window")["msg"]


def test_audit_with_a_coverage_requirement_names_who_did_not_record(coverage_fleet):
    _cameras, hosts, reports, run, writes = coverage_fleet
    assert writes == 0
    report, junit, _text, page = read_reports(reports / "coverage", "audit")
    entries = {camera["name"]: camera for camera in report["cameras"]}
    assert {name: entry["all_statuses"] for name, entry in entries.items()} == {
        "cam-fine": ["compliant"], "cam-gap": ["coverage_gap"], "cam-stopped": ["not_recording"],
        "cam-short": ["retention_short"]}
    assert report["summary"] == {"cameras": 4, "compliant": 1, "drift": 0, "unsupported": 0, "retention_short": 1,
                                 "coverage_gap": 1, "not_recording": 1, "failed": 0, "unreachable": 0}

    fine = entries["cam-fine"]["coverage"]
    assert fine["findings"] == [] and fine["window"]["seconds"] == 2 * 3600 and fine["max_gap_seconds"] == 300
    assert [(event["event_id"], event["recording_now"], event["covered_percent"]) for event in fine["event_ids"]] == [
        ("continuous_sd", True, 100.0)]
    fine_sd = next(disk for disk in fine["disks"] if disk["disk_id"] == "SD_DISK")
    assert fine_sd["retention_short"] is False and fine_sd["achieved_retention"].startswith("3h")
    assert fine_sd["retention_target"] == "2h 30m" and fine_sd["cleanup_max_age_days"] == 30

    gap = entries["cam-gap"]["coverage"]
    assert [finding["status"] for finding in gap["findings"]] == ["coverage_gap"]
    (only_gap,) = gap["event_ids"][0]["gaps"]
    assert 30 * MINUTE <= only_gap["seconds"] < 31 * MINUTE and only_gap["open"] is False
    assert gap["findings"][0]["text"].startswith("continuous_sd did not record for 30m")

    stopped = entries["cam-stopped"]["coverage"]
    assert [finding["status"] for finding in stopped["findings"]] == ["not_recording"]
    assert stopped["event_ids"][0]["cause"] == "disk SD_DISK is locked"
    assert stopped["findings"][0]["text"].endswith(": disk SD_DISK is locked")

    short = entries["cam-short"]["coverage"]
    assert [(finding["status"], finding["subject"]) for finding in short["findings"]] == [
        ("retention_short", "SD_DISK")]
    assert "short of the target 2h 30m" in short["findings"][0]["text"]

    for name, status in (("cam-fine", "passed"), ("cam-gap", "failure"), ("cam-stopped", "failure"),
                         ("cam-short", "failure")):
        assert outcomes(junit, name)["coverage"] == status, name
        assert set(outcomes(junit, name).values()) - {"coverage"} <= {"passed", status}
    types = {case.get("classname"): case.find("failure").get("type") for case in junit.iter("testcase")
             if case.get("name") == "coverage" and case.find("failure") is not None}
    assert types == {"cam-gap": "coverage_gap", "cam-stopped": "not_recording", "cam-short": "retention_short"}

    rows = {row.get("data-camera"): row.get("data-status") for row in page.xpath("//tbody[@data-camera]")}
    assert rows == {"cam-fine": "compliant", "cam-gap": "coverage_gap", "cam-stopped": "not_recording",
                    "cam-short": "retention_short"}
    assert [option.get("value") for option in page.xpath('//select[@id="status-filter"]/option')][4:7] == [
        "retention_short", "coverage_gap", "not_recording"]
    assert "disk SD_DISK is locked" in page.xpath('//tbody[@data-camera="cam-stopped"]//details')[0].text_content()

    assert run.rc != 0
    assert [entry["host"] for entry in run.statuses("failed")] == ["localhost"]
    assert run.result(FAIL_TASK, "localhost")["msg"] == (
        "3 camera(s) did not record as required: cam-gap (coverage_gap), cam-short (retention_short), "
        "cam-stopped (not_recording). ")
    summary = run.result("Summarise the audit", "localhost")["msg"]
    assert summary[1:9] == ["  compliant       1", "  drift           0", "  unsupported     0",
                            "  retention_short 1", "  coverage_gap    1", "  not_recording   1", "  failed          0",
                            "  unreachable     0"]

    relaxed = run_collection_playbook("audit.yml", hosts, extra_vars=dict(
        COVERAGE_REQUIREMENT, audit_report_dir=str(reports / "relaxed"), audit_fail_on_coverage=False))
    assert relaxed.rc == 0, relaxed


def test_coverage_html_in_a_headless_browser(coverage_fleet, browser):
    _cameras, _hosts, reports, _run, _writes = coverage_fleet
    page = (Path(reports) / "coverage" / "audit.html").as_uri()
    requested_urls(browser)
    browser.get(page)
    status_filter = Select(browser.find_element(By.ID, "status-filter"))
    for status, camera in (("not_recording", "cam-stopped"), ("coverage_gap", "cam-gap"),
                           ("retention_short", "cam-short"), ("compliant", "cam-fine")):
        status_filter.select_by_value(status)
        assert shown_cameras(browser) == [camera], status
    status_filter.select_by_value("all")
    details = browser.find_element(By.CSS_SELECTOR, 'tbody[data-camera="cam-gap"] details')
    lines = details.find_element(By.CSS_SELECTOR, "div.coverage")
    assert not lines.is_displayed()
    details.find_element(By.TAG_NAME, "summary").click()
    assert lines.is_displayed() and "continuous_sd did not record for 30m" in lines.text
    assert requested_urls(browser) == [page]
