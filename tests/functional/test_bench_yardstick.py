"""The yardstick: the plain ansible.builtin.uri playbook users write (shared/bench) must
converge the default profile, then be a no-op.  urllib's Digest handler, percent-encoded
share password and the playbook's regexes are all exercised.  Skipped when ansible-playbook
or the shared playbook is not available."""

import os
import shutil
import subprocess
import sys

import pytest

from tests.emulator import EmulatorFleet

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BASELINE = os.path.join(os.path.dirname(REPO), "shared", "bench", "uri-baseline.yml")


def _ansible_playbook():
    for candidate in (os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
                      os.path.join(REPO, ".venv", "bin", "ansible-playbook"),
                      shutil.which("ansible-playbook")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.mark.slow
def test_uri_baseline_playbook_converges_then_noop(tmp_path):
    playbook = _ansible_playbook()
    if playbook is None or not os.path.exists(BASELINE):
        pytest.skip("needs ansible-playbook and ../shared/bench/uri-baseline.yml")
    with EmulatorFleet(count=2, job_seconds=None) as fleet:
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
            proc = subprocess.run([playbook, "-i", str(tmp_path / "inventory.yml"), BASELINE],
                                  cwd=str(tmp_path), env=env, capture_output=True, text=True,
                                  stdin=subprocess.DEVNULL, timeout=300, check=False)
            assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
            return proc.stdout

        first = run()
        assert first.count("changed=6 ") == 2 and "failed=0" in first
        for cam in fleet.cameras:
            assert cam.write_count() == 6
            state = cam.dump()
            assert state["shares"][0]["disk_id"] == "NetworkShare"
            assert cam.model.share("nas1").password == "s3cr&t=x"
            assert state["storage_limits"]["NetworkShare"] == 524288000
            assert state["continuous_profiles"][0]["options"] == "resolution=1280x720"
            assert state["recording_groups"][0]["retention_hours"] == 168
            cam.clear_log()
        second = run()
        assert second.count("changed=0 ") == 2
        assert [cam.write_count() for cam in fleet.cameras] == [0, 0]
