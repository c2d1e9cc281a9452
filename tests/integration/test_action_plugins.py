# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's modules run as action plugins on the controller: what users rely on keeps working.

A camera inventory needs no connection settings (nothing connects to the
camera host), module_defaults reach the plugins per module and per action
group, VAPIX_* fallbacks come from the controller's and the task's
environment, async is refused with a clear message, secrets never appear even
at -vvvv, task keywords (register, failed_when, changed_when, delegate_to)
work, and long jobs show progress lines on the controller. A task retried
with until/retries, stopped by its timeout, or given proxies in its
environment: reports and connects as a module process would.
"""

from __future__ import annotations

import socket
import threading
import time
import stat
from urllib.parse import quote, quote_plus

import pytest

from tests.emulator import EmulatorFleet
from tests.integration.checks import format_that_outlives_job_timeout, jobs_end
from tests.integration.harness import run_playbook

pytestmark = pytest.mark.integration

INFO = "vapix.edge_storage.axis_storage_info"
CAMERA_PASSWORD = "Cam-Admin&pw=1 %x"
SHARE_PASSWORD = "nas-S3cret&=%2F y"
PASSPHRASE = "p@ss phrase&=%/x"


def info_task(name="info", **options):
    return {"name": name, INFO: options}


def status(run, task, host=None):
    return [entry["status"] for entry in run.results if entry["task"] == task and host in (None, entry["host"])]


@pytest.fixture(scope="module")
def plumbing(tmp_path_factory):
    """One playbook run over two cameras for the plumbing tests below: cam0 takes the tasks that reach a
    camera, cam1 only those that must fail before any request (its request log stays empty). The inventory
    has no ansible_connection or interpreter, and an ansible_ssh_executable that records any call.
    Yields (run, cam0, cam1, the file the ssh executable writes when called)."""
    work = tmp_path_factory.mktemp("plumbing")
    called = work / "ssh-called"
    sentinel = work / "ssh"
    sentinel.write_text("#!/bin/sh\necho \"$@\" >> %s\nexit 255\n" % called)
    sentinel.chmod(sentinel.stat().st_mode | stat.S_IXUSR)
    fleet = EmulatorFleet(count=2)
    fleet.start()
    try:
        on_cam0 = {"when": "inventory_hostname == 'cam0'"}
        on_cam1 = {"when": "inventory_hostname == 'cam1'", "ignore_errors": True}
        tasks = [
            dict(info_task(timeout=11), **on_cam0),
            dict(info_task("module default"), module_defaults={INFO: {"timeout": 7}}, **on_cam0),
            dict({"name": "disk", "vapix.edge_storage.axis_disk": {"disk_id": "SD_DISK", "friendly_name": "no ssh"}},
                 **on_cam0),
            dict(info_task("read"), register="storage", delegate_to="localhost", **on_cam0),
            dict(info_task("delegated to the other camera's host"), delegate_to="cam1", **on_cam0),
            dict({"name": "use the registered result", "ansible.builtin.assert": {
                "that": ["storage.disks | length > 0", "storage is not changed"]}}, **on_cam0),
            dict(info_task("changed on purpose"), changed_when=True, **on_cam0),
            dict(info_task("failed on purpose"), failed_when="storage.disks | length > 0", ignore_errors=True,
                 when="inventory_hostname == 'cam0'"),
            dict(info_task("unsupported", bogus=1), **on_cam1),
            dict(info_task("wrong choice", protocol="ftp"), **on_cam1),
            dict(info_task("async"), **{"async": 60, "poll": 5}, **on_cam1),
        ]
        run = run_playbook(fleet.cameras, tasks, defaults={"timeout": 5},
                           inventory_vars={"ansible_ssh_executable": str(sentinel)})
        yield run, fleet.cameras[0], fleet.cameras[1], called
    finally:
        fleet.stop()


def test_default_ssh_connection_is_never_used(plumbing):
    """An inventory without ansible_connection or interpreter: the ssh executable is never called."""
    run, _cam0, _cam1, called = plumbing
    assert run.rc == 0, run
    assert run.result("disk", "cam0")["changed"] is True
    assert not called.exists(), called.read_text()


def test_module_defaults_per_module_and_for_the_action_group(plumbing):
    run, cam0, _cam1, _called = plumbing
    # The group's defaults (hostname, port, user) reach every module; per-module defaults win over the group's;
    # the task's own arguments win over both.
    assert run.result("info", "cam0")["invocation"]["module_args"]["timeout"] == 11
    invoked = run.result("module default", "cam0")["invocation"]["module_args"]
    assert invoked["timeout"] == 7
    assert invoked["hostname"] == cam0.host and invoked["port"] == cam0.port
    assert invoked["password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


def test_vapix_environment_fallbacks_from_the_controller_and_the_task(camera):
    without_credentials = {"username": None, "password": None}
    missing = run_playbook(camera, [info_task()], defaults=without_credentials)
    assert missing.rc != 0
    # Each missing option is said with how to give it, its environment variable included.
    assert missing.result("info")["msg"] == (
        "missing required arguments: password, username. Give password as an option of the task (or in "
        "module_defaults) or in the environment variable VAPIX_PASSWORD; give username as an option of the task (or "
        "in module_defaults) or in the environment variable VAPIX_USERNAME.")

    from_controller = run_playbook(camera, [info_task()], defaults=without_credentials,
                                   env={"VAPIX_USERNAME": "root", "VAPIX_PASSWORD": "pass"})
    assert from_controller.rc == 0, from_controller

    # The task's environment: wins over the controller's.
    from_task = dict(info_task(), environment={"VAPIX_USERNAME": "root", "VAPIX_PASSWORD": "pass"})
    run = run_playbook(camera, [from_task], defaults=without_credentials,
                       env={"VAPIX_USERNAME": "root", "VAPIX_PASSWORD": "wrong"})
    assert run.rc == 0, run


def test_validation_messages_are_the_modules(plumbing):
    run, _cam0, cam1, _called = plumbing
    assert status(run, "unsupported", "cam1") == status(run, "wrong choice", "cam1") == ["failed"]
    assert run.result("unsupported", "cam1")["msg"].startswith(
        "Unsupported parameters for (vapix.edge_storage.axis_storage_info) module: bogus. Supported parameters "
        "include:")
    assert run.result("wrong choice", "cam1")["msg"] == "value of protocol must be one of: https, http, got: ftp"
    assert cam1.log() == []


def test_async_is_refused_with_a_pointer_to_job_timeout(plumbing):
    run, _cam0, cam1, _called = plumbing
    assert status(run, "async", "cam1") == ["failed"]
    msg = run.result("async", "cam1")["msg"]
    assert "cannot run with 'async'" in msg
    assert "job_timeout" in msg and "progress" in msg
    assert cam1.log() == []


def test_register_failed_when_changed_when_and_delegate_to(plumbing):
    run, _cam0, _cam1, _called = plumbing
    assert run.result("changed on purpose", "cam0")["changed"] is True
    assert status(run, "failed on purpose", "cam0") == ["failed"]
    assert status(run, "use the registered result", "cam0") == ["ok"]


def test_delegate_to_another_camera_host_keeps_the_play_host_s_camera(plumbing):
    # As documented for hostname: the arguments (module_defaults included) are templated with the play host's
    # variables, so the task still reads cam0; cam1's camera is never asked.
    run, cam0, cam1, _called = plumbing
    invoked = run.result("delegated to the other camera's host", "cam0")["invocation"]["module_args"]
    assert (invoked["hostname"], invoked["port"]) == (cam0.host, cam0.port)
    assert cam1.log() == []


def test_no_secret_appears_at_vvvv(make_camera):
    camera = make_camera("modern", users={"admin": (CAMERA_PASSWORD, "admin")})
    share = {"name": "nas1", "address": "nas.example.com", "share": "cameras", "share_username": "cam",
             "share_password": SHARE_PASSWORD, "bound": True}
    tasks = [
        {"name": "share", "vapix.edge_storage.axis_share": share},
        {"name": "encryption", "vapix.edge_storage.axis_encryption": {
            "enabled": True, "passphrase": PASSPHRASE, "allow_data_loss": True}},
        {"name": "whole camera", "vapix.edge_storage.axis_edge_storage": {"shares": [share]}},
        # Failures carry the arguments too: a wrong option in a section, and a camera that refuses the share.
        {"name": "bad section", "ignore_errors": True, "vapix.edge_storage.axis_edge_storage": {
            "shares": [dict(share, wrong_option=1)]}},
        {"name": "bad share", "ignore_errors": True, "vapix.edge_storage.axis_share": dict(
            share, name="nas2", address="unknown.invalid", exclusive=True)},
    ]
    run = run_playbook(camera, tasks, verbosity=4, defaults={"username": "admin", "password": CAMERA_PASSWORD})
    assert run.rc == 0, run
    assert run.result("share")["changed"] is True
    assert status(run, "bad section") == ["failed"]
    assert status(run, "bad share") == ["failed"]
    text = run.stdout + run.stderr
    assert '"invocation"' in text            # the arguments were shown, masked
    for secret in (CAMERA_PASSWORD, SHARE_PASSWORD, PASSPHRASE):
        for form in (secret, quote(secret, safe=""), quote_plus(secret, safe="")):
            assert form not in text, "secret %r appears at -vvvv" % form


def test_progress_lines_of_long_jobs_on_the_controller(make_camera):
    # Four polls within about 0.7 s of the engine's back-off: the first is shown at default verbosity,
    # the other three come sooner than PROGRESS_INTERVAL after it and are not (the interval itself is
    # pinned in tests/unit/test_action.py with a clock of its own).
    camera = make_camera("modern", job_polls=4)
    task = {"name": "unmount", "vapix.edge_storage.axis_disk": {"disk_id": "SD_DISK", "state": "unmounted"}}
    checked = run_playbook(camera, [task], check=True)
    assert checked.rc == 0, checked
    assert "cam0: unmount" not in checked.stdout
    run = run_playbook(camera, [task])
    assert run.rc == 0, run
    assert run.result("unmount")["changed"] is True
    lines = [line for line in run.stdout.splitlines() if line.startswith("cam0: ")]
    assert lines == ["cam0: unmount of disk SD_DISK 25%"], run.stdout


def test_a_write_of_an_earlier_attempt_of_until_retries_keeps_the_task_changed(make_camera):
    """Ansible keeps only the last attempt's result: the attempt after one that wrote and failed finds nothing to
    do, and the task was reported unchanged (no handler notified), though the camera was written."""
    camera = make_camera("modern")
    # The first setlimit is carried out but its answer is cut: that attempt fails after its write.
    camera.inject(answer={"path": "record/storage/setlimit.cgi", "kind": "truncate"})
    retried = {"name": "retried", "register": "limit", "until": "limit is succeeded", "retries": 2, "delay": 0,
               "vapix.edge_storage.axis_storage_limit": {"disk_id": "SD_DISK", "size": "10 GiB"}}
    # Each loop item is a task of its own: the first item's change does not make the second one changed.
    items = {"name": "items", "loop": ["20 GiB", "20 GiB"], "register": "sized",
             "until": "sized is succeeded", "retries": 1, "delay": 0,
             "vapix.edge_storage.axis_storage_limit": {"disk_id": "SD_DISK", "size": "{{ item }}"}}
    # In check mode no attempt changes anything: each one's changed is its own prediction.
    predicted = {"name": "predicted", "check_mode": True, "register": "plan", "until": "plan is not changed",
                 "retries": 1, "delay": 0, "ignore_errors": True,
                 "vapix.edge_storage.axis_storage_limit": {"disk_id": "SD_DISK", "size": "30 GiB"}}
    run = run_playbook(camera, [retried, items, predicted])
    assert run.rc == 0, run
    result = run.result("retried")
    assert result["attempts"] == 2 and result["writes"] == 0, result
    assert result["changed"] is True, result
    assert any(warning.startswith("An earlier attempt of this task (until/retries) made changes: set the "
                                  "storage limit of SD_DISK to 10 GiB") for warning in result["warnings"]), result
    assert camera.write_count() == 2      # the retried limit, then the first item
    first, second = run.result("items")["results"]
    assert first["changed"] is True and second["changed"] is False, (first, second)
    assert "warnings" not in second
    assert run.result("predicted")["attempts"] == 1 and "warnings" not in run.result("predicted")


def test_the_task_timeout_keyword_reports_what_the_run_had_done_and_sends_nothing_after_it(make_camera):
    """The task keyword timeout stopped the plugin with Ansible's own result (changed: false, no word of the
    unmount and format already sent); the run now stops as an error of its own, naming what it had done."""
    camera = make_camera("modern")
    format_that_outlives_job_timeout(camera)
    task = {"name": "format", "timeout": 5, "ignore_errors": True, "vapix.edge_storage.axis_disk_job": {
        "disk_id": "SD_DISK", "action": "format", "allow_data_loss": True}}
    run = run_playbook(camera, [task, {"name": "next", "vapix.edge_storage.axis_storage_info": {}}])
    assert run.rc == 0, run
    result = run.result("format")
    assert status(run, "format") == ["failed"] and result["changed"] is True, result
    assert result["error_class"] == "timeout" and result["timedout"] == {"period": 5}, result
    assert result["writes"] == 2 and result["completed_steps"][0].startswith("unmount disk SD_DISK"), result
    assert result["failed_step"].startswith("format disk SD_DISK"), result
    assert "the task's timeout of 5 second(s) (its keyword timeout) ran out" in result["msg"]
    # The format job may still be running: no mount is sent after it (the camera mounts no busy disk); the
    # message says to mount the disk once the job has ended, as for a job that outlives job_timeout.
    assert "not mounted again, since the format job may still be running" in result["msg"], result["msg"]
    writes = [(entry["path"].rsplit("/", 1)[-1], entry["args"].get("action")) for entry in camera.log()
              if entry["write"]]
    assert writes == [("mount.cgi", "unmount"), ("format.cgi", None)], writes
    assert status(run, "next") == ["ok"]

    # A run stopped before any write (here: in check mode, on a camera slower than the timeout) says so.
    camera.inject(delay_ms=3000)
    slow = {"name": "slow", "timeout": 1, "check_mode": True,
            "vapix.edge_storage.axis_disk": {"disk_id": "SD_DISK", "friendly_name": "slow"}}
    run = run_playbook(camera, [slow])
    result = run.result("slow")
    assert status(run, "slow") == ["failed"] and result["changed"] is False and result["writes"] == 0, result
    assert result["error_class"] == "timeout" and "no write had been sent" in result["msg"], result


def test_a_share_test_the_task_timeout_stops_while_later_sections_are_read_is_the_step_reported(make_camera):
    """The share test runs while the later sections' reads are answered; the task's timeout stopping it there
    is reported as that step's failure, with nothing written (the test's error is raised where the run reports
    its checks)."""
    camera = make_camera("modern")
    camera.inject(stuck_jobs=True)
    task = {"name": "camera", "timeout": 2, "ignore_errors": True,
            "vapix.edge_storage.axis_edge_storage": {
                "shares": [{"name": "nas1", "address": "nas.example.com", "share": "cameras", "bound": True}],
                "disks": [{"disk_id": "SD_DISK", "friendly_name": "SD card"}],
                "recording_groups": [{"id": "g1", "disk_id": "SD_DISK", "retention": "7d"}]}}
    run = run_playbook(camera, [task])
    result = run.result("camera")
    assert status(run, "camera") == ["failed"] and result["changed"] is False and result["writes"] == 0, result
    assert result["error_class"] == "timeout", result
    assert result["failed_step"].startswith("test the connection to //nas.example.com/cameras"), result
    assert camera.write_count() == 0


def test_a_run_its_task_timeout_stopped_never_ends_as_a_success(make_camera):
    """axis_storage_info reports a share test that cannot end as unknown and goes on: stopped by its task's
    timeout, it ended ok with that share test unknown, as if it had run to its end."""
    camera = make_camera("modern-share")
    camera.inject(stuck_jobs=True)
    task = {"name": "info", "timeout": 2, "vapix.edge_storage.axis_storage_info": {
        "gather_subset": ["all", "share_tests"]}}
    run = run_playbook(camera, [task])
    result = run.result("info")
    assert status(run, "info") == ["failed"], result
    assert result["error_class"] == "timeout" and result["timedout"] == {"period": 2}, result
    assert result["msg"].startswith("the task's timeout of 2 second(s) (its keyword timeout) ran out"), result


def closed_port():
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_task_environment_sets_the_proxy_as_the_controller_s_does(camera):
    """The task's environment: (the keyword Ansible's documentation gives proxies with) was read for the VAPIX_*
    fallbacks only: a NO_PROXY there left the requests going through the controller's proxy, whose failure then
    said to add the camera to NO_PROXY, and a proxy there was not used."""
    dead_proxy = "http://127.0.0.1:%d" % closed_port()
    no_proxy_env = {"NO_PROXY": "", "no_proxy": ""}
    controller_proxy = dict(no_proxy_env, HTTP_PROXY=dead_proxy, http_proxy=dead_proxy)
    tasks = [
        dict(info_task("direct"), environment={"NO_PROXY": camera.host, "no_proxy": camera.host}),
        dict(info_task("through the controller's proxy"), ignore_errors=True),
    ]
    run = run_playbook(camera, tasks, env=controller_proxy)
    assert status(run, "direct") == ["ok"], run
    assert status(run, "through the controller's proxy") == ["failed"], run
    assert "through the proxy %s" % dead_proxy in run.result("through the controller's proxy")["msg"]

    task_proxy = dict(info_task("through the task's proxy"), environment={"HTTP_PROXY": dead_proxy})
    run = run_playbook(camera, [task_proxy], env=no_proxy_env)
    assert status(run, "through the task's proxy") == ["failed"], run
    assert "through the proxy %s" % dead_proxy in run.result("through the task's proxy")["msg"]


def test_a_task_its_timeout_stopped_is_not_run_again_by_until_retries(make_camera):
    """Ansible's own timeout ends a task without further attempts; the run's own TaskTimedOut result was retried
    by until/retries: the next attempt went to the camera again and, the format job having ended meanwhile,
    formatted the disk a second time."""
    camera = make_camera("modern")
    undo = format_that_outlives_job_timeout(camera)

    def end_the_job_once_the_timeout_has_run_out():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not any(entry["path"].endswith("format.cgi") for entry in camera.log()):
            time.sleep(0.1)
        time.sleep(5)
        undo()
        jobs_end(camera)

    ender = threading.Thread(target=end_the_job_once_the_timeout_has_run_out, daemon=True)
    ender.start()
    task = {"name": "format", "timeout": 4, "register": "formatted", "until": "formatted is succeeded",
            "retries": 1, "delay": 3, "ignore_errors": True, "vapix.edge_storage.axis_disk_job": {
                "disk_id": "SD_DISK", "action": "format", "allow_data_loss": True}}
    run = run_playbook(camera, [task])
    ender.join()
    assert run.rc == 0, run
    result = run.result("format")
    assert status(run, "format") == ["failed"] and result["changed"] is True, result
    assert result["error_class"] == "timeout" and result["timedout"] == {"period": 4}, result
    formats = [entry for entry in camera.log() if entry["path"].endswith("format.cgi")]
    assert len(formats) == 1, formats
    assert "The task was not attempted again (until/retries) after its timeout ran out" in \
        result["msg"], result
