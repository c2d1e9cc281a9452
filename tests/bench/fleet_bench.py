# -*- coding: utf-8 -*-
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fleet benchmark: our converge against the plain ansible.builtin.uri yardstick.

Starts an emulated fleet (every camera with the same per-request latency),
then for each contender measures, from a factory-fresh fleet: the converge,
a no-op re-run and a --check run; the wall time, HTTP requests and writes
per camera, 401 challenges, and the peak memory of ansible-playbook. Both
contenders converge the same desired state (playbooks/demo/group_vars/cameras.yml;
the yardstick is tests/bench/uri_yardstick.yml) and the resulting camera states
are compared. Numbers go to stdout; nothing is asserted about time.

    .venv/bin/python -m tests.bench.fleet_bench [--cameras 30] [--latency-ms 20] [--forks 10]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from tests.emulator import EmulatorFleet
from tests.integration.harness import REPO, ansible_bin, collections_path

DESIRED_STATE = REPO / "playbooks" / "demo" / "group_vars" / "cameras.yml"
YARDSTICK = REPO / "tests" / "bench" / "uri_yardstick.yml"


def write_inventory(path, cameras, port_var):
    hosts = dict(("cam%04d" % index, {"ansible_host": cam.host, port_var: cam.port})
                 for index, cam in enumerate(cameras))
    inventory = {"cameras": {"vars": {"ansible_connection": "local",
                                      "ansible_python_interpreter": "{{ ansible_playbook_python }}"},
                             "hosts": hosts}}
    path.write_text(yaml.safe_dump(inventory))


def run(playbook, inventory_dir, forks, check=False):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(collections_path()), ANSIBLE_FORKS=str(forks),
               ANSIBLE_NOCOLOR="1", ANSIBLE_RETRY_FILES_ENABLED="0", ANSIBLE_CONFIG=str(REPO / "ansible.cfg"))
    command = [ansible_bin("ansible-playbook"), "-i", str(inventory_dir / "inventory.yml"), str(playbook)]
    if check:
        command.append("--check")
    with tempfile.TemporaryFile("w+") as output:
        start = time.monotonic()
        proc = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        # wait4 gives this run's own peak memory (ansible-playbook and the workers it reaped).
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            output.seek(0)
            sys.stderr.write(output.read()[-5000:])
            raise SystemExit("%s failed (rc %s)" % (playbook.name, proc.returncode))
    return elapsed, usage.ru_maxrss / 1024.0


def fleet_counts(cameras):
    entries = [entry for cam in cameras for entry in cam.log()]
    return {
        "requests": len(entries) / len(cameras),
        "writes": sum(1 for e in entries if e.get("write")) / len(cameras),
        "challenges": sum(cam.challenge_count() for cam in cameras) / len(cameras),
    }


def measure(name, playbook, cameras, inventory_dir, forks):
    rows = []
    for cam in cameras:
        cam.reset()
    for label, check in (("converge", False), ("no-op re-run", False), ("--check", True)):
        for cam in cameras:
            cam.clear_log()
        elapsed, peak_mb = run(playbook, inventory_dir, forks, check=check)
        rows.append((name, label, elapsed, fleet_counts(cameras), peak_mb))
    return rows


def comparable_state(camera):
    """The fields of the desired state (DESIRED_STATE), as the camera holds them."""
    state = camera.dump()
    return {
        "shares": sorted((s["share_id"], s["nicename"], s["address"], s["share"], s["user"], s["password_set"],
                          s["disk_id"]) for s in state["shares"]),
        "disks": sorted((d["disk_id"], d["friendly_name"], d["cleanup_policy"], d["cleanup_max_age"])
                        for d in state["disks"] if d["disk_id"] in ("SD_DISK", "NetworkShare")),
        "limits": state["storage_limits"],
        "profiles": sorted((p["disk_id"], p["event_id"], p["options"]) for p in state["continuous_profiles"]),
        "groups": sorted((g["id"], g["disk_id"], g["retention_hours"]) for g in state["recording_groups"]),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--cameras", type=int, default=30)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--forks", type=int, default=10)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="vapix-bench-"))
    fleet = EmulatorFleet(count=args.cameras, base_port=0, latency_ms=args.latency_ms)
    fleet.start()
    try:
        rows = []
        ours = work / "ours"
        (ours / "group_vars").mkdir(parents=True)
        write_inventory(ours / "inventory.yml", fleet.cameras, "edge_storage_port")
        shutil.copy(DESIRED_STATE, ours / "group_vars" / "cameras.yml")
        rows += measure("vapix.edge_storage", REPO / "playbooks" / "converge.yml", fleet.cameras, ours, args.forks)
        our_state = comparable_state(fleet.cameras[0])

        yardstick = work / "yardstick"
        yardstick.mkdir()
        write_inventory(yardstick / "inventory.yml", fleet.cameras, "vapix_port")
        rows += measure("uri yardstick", YARDSTICK, fleet.cameras, yardstick, args.forks)
        same = comparable_state(fleet.cameras[0]) == our_state
    finally:
        fleet.stop()
        shutil.rmtree(work, ignore_errors=True)

    print("\nfleet benchmark: %d cameras, %d ms per request, %d forks, %d cores"
          % (args.cameras, args.latency_ms, args.forks, os.cpu_count() or 0))
    print("%-20s %-14s %9s %14s %12s %12s %14s" % ("contender", "run", "wall s", "requests/cam", "writes/cam",
                                                   "401s/cam", "peak RSS MB"))
    for name, label, elapsed, counts, rss in rows:
        print("%-20s %-14s %9.1f %14.1f %12.1f %12.1f %14.0f" % (
            name, label, elapsed, counts["requests"], counts["writes"], counts["challenges"], rss))
    by_key = dict(((name, label), elapsed) for name, label, elapsed, _counts, _rss in rows)
    for label in ("converge", "no-op re-run", "--check"):
        ratio = by_key[("uri yardstick", label)] / by_key[("vapix.edge_storage", label)]
        print("speed-up on %-13s x%.1f" % (label + ":", ratio))
    print("final camera state identical to the yardstick's: %s" % ("yes" if same else "NO"))


if __name__ == "__main__":
    main()
