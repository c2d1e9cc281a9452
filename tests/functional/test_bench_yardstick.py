"""The yardstick: the plain ansible.builtin.uri playbook users write (tests/bench/uri_yardstick.yml)
must converge the default profile with one request per CGI the desired state needs, then be a
no-op.  urllib's Digest handler, the percent-encoded share password and the playbook's
conditions are all exercised.  Skipped when ansible-playbook is not available."""

import os
import shutil
import subprocess
import sys

import pytest

from tests.emulator import EmulatorFleet

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
YARDSTICK = os.path.join(REPO, "tests", "bench", "uri_yardstick.yml")


def _ansible_playbook():
    for candidate in (os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
                      os.path.join(REPO, ".venv", "bin", "ansible-playbook"),
                      shutil.which("ansible-playbook")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


# One read per API family, and a write where the factory state differs from the desired one.
FIRST_RUN = ["disks/networkshare/list.cgi", "disks/networkshare/add.cgi", "disks/networkshare/bind.cgi",
             "param.cgi", "param.cgi", "record/storage/getlimit.cgi", "record/storage/setlimit.cgi",
             "record/continuous/listconfiguration.cgi", "record/continuous/addconfiguration.cgi",
             "record/recording_group/list.cgi", "record/recording_group/create.cgi"]


@pytest.mark.slow
def test_uri_yardstick_playbook_converges_then_noop(tmp_path):
    playbook = _ansible_playbook()
    if playbook is None:
        pytest.skip("needs ansible-playbook (scripts/setup)")
    # One camera: each task is one module process per camera, and what is checked holds per camera
    # (tests/bench/fleet_bench.py runs the yardstick on a fleet).
    with EmulatorFleet(count=1, job_seconds=None) as fleet:
        lines = ["cameras:", "  vars:", "    ansible_connection: local",
                 "    ansible_python_interpreter: '{{ ansible_playbook_python }}'", "  hosts:"]
        for i, cam in enumerate(fleet.cameras):
            lines += ["    cam%d:" % i, "      ansible_host: %s" % cam.host,
                      "      vapix_port: %d" % cam.port]
        (tmp_path / "inventory.yml").write_text("\n".join(lines) + "\n")
        (tmp_path / "ansible.cfg").write_text("[defaults]\n")     # a user's bare setup
        env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_RETRY_FILES_ENABLED="0",
                   ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"),
                   ANSIBLE_CONFIG=str(tmp_path / "ansible.cfg"))

        def run():
            proc = subprocess.run([playbook, "-i", str(tmp_path / "inventory.yml"), YARDSTICK],
                                  cwd=str(tmp_path), env=env, capture_output=True, text=True,
                                  stdin=subprocess.DEVNULL, timeout=300, check=False)
            assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
            return proc.stdout

        first = run()
        assert first.count("changed=6 ") == 1 and "failed=0" in first
        for cam in fleet.cameras:
            assert [e["path"].split("/axis-cgi/", 1)[1] for e in cam.log() if e["status"] != 401] == FIRST_RUN
            assert cam.challenge_count() == len(FIRST_RUN)        # urllib: a new connection per task
            assert cam.write_count() == 6
            state = cam.dump()
            sd_card = [d for d in state["disks"] if d["disk_id"] == "SD_DISK"][0]
            assert (sd_card["friendly_name"], sd_card["cleanup_max_age"]) == ("SD card", 30)
            assert state["shares"][0]["disk_id"] == "NetworkShare"
            assert cam.model.share("nas1").password == "s3cr&t=x"
            assert state["storage_limits"]["NetworkShare"] == 524288000
            assert state["continuous_profiles"][0]["options"] == "resolution=1280x720"
            assert state["recording_groups"][0]["retention_hours"] == 168
            cam.clear_log()
        second = run()
        assert second.count("changed=0 ") == 1
        assert [cam.write_count() for cam in fleet.cameras] == [0]
