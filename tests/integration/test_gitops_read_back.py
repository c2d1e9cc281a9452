# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docs/gitops.md's read-back playbook, as the doc has it, on a 5.51-shaped camera and a current one.

The docs gate runs it against its one camera, a current one; here it runs (real ansible-playbook) on an
emulated legacy camera too, which answers storage limits and recording groups with {supported: false, reason}:
those sections are left out of the host_vars it writes, the parts the camera has are written, and a converge
of the role from those host_vars changes nothing on either camera."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml

from tests.docs.extract import parse
from tests.integration.harness import REPO, run_playbook_in, write_inventory

PLAYBOOK = "~/cameras/read-back.yml"
EVERY_SECTION = {"edge_storage_disks", "edge_storage_shares", "edge_storage_storage_limits",
                 "edge_storage_continuous_profiles", "edge_storage_recording_groups"}


def doc_playbook():
    """The text of the doc's read-back playbook (the block written to ~/cameras/read-back.yml)."""
    blocks = [block for block in parse("docs/gitops.md", (REPO / "docs" / "gitops.md").read_text())
              if block.target_path == PLAYBOOK]
    assert len(blocks) == 1, "docs/gitops.md has no single block for %s" % PLAYBOOK
    return blocks[0].text


def test_the_read_back_recipe_leaves_out_what_old_firmware_lacks_and_converges_to_no_change(make_camera):
    cameras = {"old": make_camera("legacy"), "new": make_camera("modern-share")}
    with cameras["old"].model.lock:
        cameras["old"].model.add_profile("SD_DISK", "resolution=640x480", "continuous_sd")
    work = Path(tempfile.mkdtemp(prefix="vapix-read-back-"))
    try:
        write_inventory(work, {name: {"ansible_host": camera.host, "edge_storage_port": camera.port}
                               for name, camera in cameras.items()},
                        group_vars={"edge_storage_protocol": "http", "edge_storage_username": "root",
                                    "edge_storage_password": "pass"})
        (work / "read-back.yml").write_text(doc_playbook())
        run = run_playbook_in(work, work / "read-back.yml")
        assert run.rc == 0, run
        written = {name: yaml.safe_load((work / "host_vars" / name / "edge_storage.yml").read_text())
                   for name in cameras}
        assert set(written["new"]) == EVERY_SECTION
        assert set(written["old"]) == EVERY_SECTION - {"edge_storage_storage_limits", "edge_storage_recording_groups"}
        assert [disk["disk_id"] for disk in written["old"]["edge_storage_disks"]] == ["SD_DISK", "NetworkShare"]
        assert written["old"]["edge_storage_continuous_profiles"] == [
            {"disk_id": "SD_DISK", "event_id": "continuous_sd", "options": "resolution=640x480"}]

        for camera in cameras.values():
            camera.clear_log()
        (work / "results.jsonl").unlink()        # the task results of the read-back run
        converge = run_playbook_in(work, REPO / "playbooks" / "converge.yml")
        assert converge.rc == 0, converge
        assert converge.changed == 0, converge
        assert {name: camera.write_count() for name, camera in cameras.items()} == {"old": 0, "new": 0}
    finally:
        shutil.rmtree(work, ignore_errors=True)
