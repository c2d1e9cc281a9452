# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fleet benchmark: our converge beside the in-process floor and the plain ansible.builtin.uri yardstick.

Starts an emulated fleet (every camera with the same per-request latency and
the emulator's default job polls, so a converge cannot look fast by making
jobs instant), then measures, from a factory-fresh fleet:

- ours (playbooks/converge.yml, the role, one action plugin run per camera):
  converge, no-op re-run and --check; and the same no-op and --check as a
  play of one axis_edge_storage task (the role's task without the role, the
  shape of the floor's play), which shows what the role itself costs;
- the floor: an action plugin doing nothing but the reads a no-op needs
  (tests/bench/floor_plugins), the least any collection can spend;
- the uri yardstick (tests/bench/uri_yardstick.yml: plain ansible.builtin.uri
  tasks, one module process per request): converge, no-op re-run and --check.

For each run: wall time, HTTP requests (with the Digest challenges) and writes
per camera, and the controller's peak memory summed over ansible-playbook's
whole process tree (proportional set sizes sampled from /proc, so pages the
forked workers share count once). Our runs and the floor's go in rounds,
one after the other (a converge from a fleet reset to its factory state, the
no-op, --check, the role's task, the floor; again), after a warm-up round
that is not counted: the median of the rounds is each run's time, and a ratio
of two of them is the median of their ratios round by round, shown with its
range, so a shared machine's drift in speed does not decide a verdict. The
verdicts against the targets are computed from the measured numbers; no speed
is asserted, this is not a timed test. The run fails only
when the yardstick is not the uri playbook it stands for: its converge of a
factory-fresh camera must send exactly the requests that playbook sends
(YARDSTICK_CONVERGE, each with its own Digest challenge) and deliver the share
password intact, its no-op re-run must write nothing, and it must leave the
cameras in the state ours leaves them in.

    .venv/bin/python -m tests.bench.fleet_bench [--cameras 30] [--latency-ms 20] [--forks 10] [--rounds 5]
        [--scale-cameras 300] [--baseline tests/bench/uri_yardstick.yml]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

from tests.emulator import EmulatorFleet
from tests.integration.harness import REPO, ansible_bin, collections_path

DESIRED_STATE = REPO / "playbooks" / "demo" / "group_vars" / "cameras.yml"
DESIRED = yaml.safe_load(DESIRED_STATE.read_text())
YARDSTICK = REPO / "tests" / "bench" / "uri_yardstick.yml"
FLOOR_PLUGINS = Path(__file__).resolve().parent / "floor_plugins"
OURS = "vapix.edge_storage"
OURS_TASK = "module task"
FLOOR = "in-process floor"
URI = "uri yardstick"

# The emulator's defaults, printed with the results: jobs end after JOB_POLLS polls or JOB_SECONDS.
JOB_POLLS = 3
JOB_SECONDS = 30.0
MEMORY_SAMPLE_SECONDS = 0.2

ROLE = REPO / "roles" / "edge_storage"
# The role's defaults go to group_vars/all (below the inventory's cameras group, as role defaults are).
MODULE_TASK_PLAYBOOK = [{
    "name": "The role's one task, without the role",
    "hosts": "cameras",
    "gather_facts": False,
    "vars": yaml.safe_load((ROLE / "vars" / "main.yml").read_text()),
    "tasks": yaml.safe_load((ROLE / "tasks" / "main.yml").read_text()),
}]

FLOOR_PLAYBOOK = [{
    "name": "Only the reads a no-op needs, in the controller's worker process",
    "hosts": "cameras",
    "gather_facts": False,
    "tasks": [{"name": "Read", "bench_floor_reads": {"host": "{{ ansible_host }}", "port": "{{ edge_storage_port }}"}}],
}]


def write_inventory(path, cameras, port_var, module_process=False):
    """An inventory of the fleet; only the uri yardstick (modules) needs a local connection and interpreter."""
    hosts = {"cam%04d" % index: {"ansible_host": cam.host, port_var: cam.port}
             for index, cam in enumerate(cameras)}
    group = {"hosts": hosts}
    if module_process:
        group["vars"] = {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"}
    path.write_text(yaml.safe_dump({"cameras": group}))


def _children():
    """{parent pid: [child pids]} of every process now."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def process_memory_kb(pid):
    """The proportional set size of one process (shared pages split among their users), else its RSS."""
    for path, key in (("/proc/%d/smaps_rollup" % pid, "Pss:"), ("/proc/%d/status" % pid, "VmRSS:")):
        try:
            with open(path) as lines:
                for line in lines:
                    if line.startswith(key):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


def tree_memory_mb(pid):
    """Memory of pid and all its descendants, in MB: their PSS summed, so shared pages count once."""
    children = _children()
    total_kb = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        total_kb += process_memory_kb(current)
    return total_kb / 1024.0


class TreeMemory(threading.Thread):
    """The peak of tree_memory_mb(pid) while the process runs."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_mb = 0.0
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(MEMORY_SAMPLE_SECONDS):
            self.peak_mb = max(self.peak_mb, tree_memory_mb(self.pid))


def run(playbook, inventory_dir, forks, check=False):
    """Run ansible-playbook once; (wall seconds, peak MB of its process tree)."""
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(collections_path()), ANSIBLE_FORKS=str(forks),
               ANSIBLE_NOCOLOR="1", ANSIBLE_RETRY_FILES_ENABLED="0", ANSIBLE_CONFIG=str(REPO / "ansible.cfg"),
               ANSIBLE_ACTION_PLUGINS=str(FLOOR_PLUGINS))
    command = [ansible_bin("ansible-playbook"), "-i", str(inventory_dir / "inventory.yml"), str(playbook)]
    if check:
        command.append("--check")
    with tempfile.TemporaryFile("w+") as output:
        start = time.monotonic()
        proc = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        memory = TreeMemory(proc.pid)
        memory.start()
        proc.wait()
        elapsed = time.monotonic() - start
        memory.done.set()
        memory.join()
        if proc.returncode != 0:
            output.seek(0)
            sys.stderr.write(output.read()[-5000:])
            raise SystemExit(f"{playbook.name} failed (rc {proc.returncode})")
    return elapsed, memory.peak_mb


def fleet_counts(cameras):
    entries = [entry for cam in cameras for entry in cam.log()]
    return {
        "requests": len(entries) / len(cameras),
        "writes": sum(1 for e in entries if e.get("write")) / len(cameras),
        "challenges": sum(cam.challenge_count() for cam in cameras) / len(cameras),
    }


class Row:
    """One contender's run: its wall time in each round (times, in round order), requests per camera, peak memory."""

    def __init__(self, contender, label, times, counts, peak_mb):
        self.contender = contender
        self.label = label
        self.times = times
        self.counts = counts
        self.peak_mb = peak_mb

    @property
    def seconds(self):
        """The median of the rounds."""
        return statistics.median(self.times)


def measure_run(playbook, cameras, inventory_dir, forks, check=False, from_factory=False):
    """One run: (wall seconds, requests/writes/challenges per camera, peak MB of the process tree).
    from_factory: every camera is reset to its factory state first (a converge)."""
    for cam in cameras:
        if from_factory:
            cam.reset()
        cam.clear_log()
    elapsed, peak_mb = run(playbook, inventory_dir, forks, check=check)
    return elapsed, fleet_counts(cameras), peak_mb


def measure(contender, label, playbook, cameras, inventory_dir, forks, check=False, from_factory=False):
    """A Row of one run."""
    elapsed, counts, peak_mb = measure_run(playbook, cameras, inventory_dir, forks, check, from_factory)
    return Row(contender, label, [elapsed], counts, peak_mb)


def measure_rounds(runs, cameras, forks, rounds, warmup=True):
    """Rows of the runs (contender, label, playbook, inventory_dir, check, from_factory), measured in turn: a
    warm-up round that is not counted (unless warmup is false), then the rounds, each of every run one after
    the other (A B C A B C ...). A machine whose speed drifts slows the runs of one round alike, so the ratio of
    two runs of a round (see ratio) holds where a ratio of runs far apart in time would not. The counts are
    those of the last round (every round makes the same requests)."""
    found = {}
    for counted in [False] * warmup + [True] * rounds:
        for contender, label, playbook, inventory_dir, check, from_factory in runs:
            elapsed, counts, peak_mb = measure_run(playbook, cameras, inventory_dir, forks, check, from_factory)
            if not counted:
                continue
            row = found.setdefault((contender, label), Row(contender, label, [], counts, 0.0))
            row.times.append(elapsed)
            row.counts = counts
            row.peak_mb = max(row.peak_mb, peak_mb)
    return list(found.values())


def ratio(numerator, denominator):
    """numerator's time over denominator's as (median, lowest, highest): of their ratios round by round when
    both rows were measured in the same rounds (measure_rounds), else the ratio of their medians for all three."""
    if len(numerator.times) == len(denominator.times) > 1:
        ratios = sorted(a / b for a, b in zip(numerator.times, denominator.times))
        return statistics.median(ratios), ratios[0], ratios[-1]
    single = numerator.seconds / denominator.seconds
    return single, single, single


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


def our_setup(work, cameras):
    ours = work / "ours"
    (ours / "group_vars").mkdir(parents=True)
    write_inventory(ours / "inventory.yml", cameras, "edge_storage_port")
    shutil.copy(DESIRED_STATE, ours / "group_vars" / "cameras.yml")
    shutil.copy(ROLE / "defaults" / "main.yml", ours / "group_vars" / "all.yml")
    return ours


def measure_ours(work, cameras, forks, rounds, full=True, warmup=True):
    """Our converge from factory and no-op re-run; with full also our --check, the role's task alone (no-op and
    --check) and the in-process floor: all of them in the same rounds (measure_rounds), so their ratios are
    taken round by round."""
    ours = our_setup(work, cameras)
    playbook = REPO / "playbooks" / "converge.yml"
    runs = [(OURS, "converge", playbook, ours, False, True),
            (OURS, "no-op re-run", playbook, ours, False, False)]
    if full:
        task_playbook = ours / "module_task.yml"
        task_playbook.write_text(yaml.safe_dump(MODULE_TASK_PLAYBOOK, sort_keys=False))
        floor = work / "floor"
        floor.mkdir()
        write_inventory(floor / "inventory.yml", cameras, "edge_storage_port")
        floor_playbook = floor / "floor.yml"
        floor_playbook.write_text(yaml.safe_dump(FLOOR_PLAYBOOK, sort_keys=False))
        runs += [(OURS, "--check", playbook, ours, True, False),
                 (OURS_TASK, "no-op re-run", task_playbook, ours, False, False),
                 (OURS_TASK, "--check", task_playbook, ours, True, False),
                 (FLOOR, "no-op reads", floor_playbook, floor, False, False)]
    return measure_rounds(runs, cameras, forks, rounds, warmup=warmup)


# What the uri yardstick sends to a factory-fresh camera, in order (401 challenges aside): one read per
# API family and a write where the factory state differs from the desired one, as the plain uri
# playbook a user writes does. urllib opens a new connection per task, so each request is challenged.
YARDSTICK_CONVERGE = ("disks/networkshare/list.cgi", "disks/networkshare/add.cgi", "disks/networkshare/bind.cgi",
                      "param.cgi", "param.cgi", "record/storage/getlimit.cgi", "record/storage/setlimit.cgi",
                      "record/continuous/listconfiguration.cgi", "record/continuous/addconfiguration.cgi",
                      "record/recording_group/list.cgi", "record/recording_group/create.cgi")
YARDSTICK_CONVERGE_WRITES = 6


def yardstick_converge_problems(camera):
    """What is wrong with the yardstick's converge of one factory-fresh camera (empty: it is the yardstick)."""
    problems = []
    sent = tuple(entry["path"].split("/axis-cgi/", 1)[1] for entry in camera.log() if entry["status"] != 401)
    if sent != YARDSTICK_CONVERGE:
        problems.append(f"it sent {list(sent)}, not {list(YARDSTICK_CONVERGE)}")
    if camera.challenge_count() != len(YARDSTICK_CONVERGE):
        problems.append("%d Digest challenges for %d requests" % (camera.challenge_count(), len(YARDSTICK_CONVERGE)))
    if camera.write_count() != YARDSTICK_CONVERGE_WRITES:
        problems.append("%d writes, not %d" % (camera.write_count(), YARDSTICK_CONVERGE_WRITES))
    desired_password = DESIRED["edge_storage_shares"][0]["share_password"]
    share = camera.model.share(DESIRED["edge_storage_shares"][0]["name"])
    if share is None or share.password != desired_password:
        problems.append("the share password did not arrive intact")
    return problems


def measure_uri(work, cameras, forks, baseline):
    """The yardstick's rows, and what makes it no yardstick: each camera's converge must send exactly
    YARDSTICK_CONVERGE, and the no-op re-run write nothing."""
    base = work / "baseline"
    base.mkdir()
    write_inventory(base / "inventory.yml", cameras, "vapix_port", module_process=True)
    for cam in cameras:
        cam.reset()
    converge = measure(URI, "converge", baseline, cameras, base, forks)
    problems = [f"converge of {cam.port}: {problem}"
                for cam in cameras for problem in yardstick_converge_problems(cam)]
    noop = measure(URI, "no-op re-run", baseline, cameras, base, forks)
    if noop.counts["writes"]:
        problems.append("the no-op re-run wrote %.1f times per camera" % noop.counts["writes"])
    rows = [converge, noop, measure(URI, "--check", baseline, cameras, base, forks, check=True)]
    return rows, problems


def verdicts(rows):
    """(sentence, measured, target, met) for every target whose numbers were measured. A ratio of two rows of the
    same rounds is the median of its ratios round by round, shown with their range."""
    found = {(row.contender, row.label): row for row in rows}
    results = []

    def check(sentence, measured, target, met):
        results.append((sentence, measured, target, met))

    def shown(middle, lowest, highest):
        return f"x{middle:.2f}" if lowest == highest else f"x{middle:.2f} ({lowest:.2f}-{highest:.2f})"

    floor = found.get((FLOOR, "no-op reads"))
    for label in ("no-op re-run", "--check"):
        ours = found[(OURS, label)]
        uri = found.get((URI, label))
        if uri is not None:
            faster = ratio(uri, ours)[0]
            check("%s: uri / ours" % label, "x%.1f" % faster, ">= x10", faster >= 10)
        if floor is not None:
            for contender, name in ((OURS, "ours (role)"), (OURS_TASK, "ours (module task)")):
                if (contender, label) in found:
                    over = ratio(found[(contender, label)], floor)
                    check(f"{label}: {name} / in-process floor", shown(*over), "<= x1.25", over[0] <= 1.25)
    over = ratio(found[(OURS, "converge")], found[(OURS, "no-op re-run")])
    check("converge from factory / our no-op", shown(*over), "<= x2", over[0] <= 2)
    requests = found[(OURS, "no-op re-run")].counts["requests"]
    check("requests per camera in a no-op, Digest challenge included", "%.1f" % requests, "<= 8", requests <= 8)
    return results


def print_table(title, rows):
    print("\n%s" % title)
    print("%-20s %-14s %9s %25s %13s %10s %9s %15s" % (
        "contender", "run", "wall s", "rounds s", "requests/cam", "writes/cam", "401s/cam", "peak tree MB"))
    for row in rows:
        print("%-20s %-14s %9.2f %25s %13.1f %10.1f %9.1f %15.0f" % (
            row.contender, row.label, row.seconds, "/".join("%.1f" % one for one in row.times),
            row.counts["requests"], row.counts["writes"], row.counts["challenges"], row.peak_mb))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--cameras", type=int, default=30)
    parser.add_argument("--latency-ms", type=int, default=20)
    parser.add_argument("--forks", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=9,
                        help="rounds of our runs and the floor's after a warm-up round (medians, ratios round by "
                             "round); the uri yardstick runs once")
    parser.add_argument("--scale-cameras", type=int, default=0,
                        help="also run ours (converge and no-op) once on this many cameras")
    parser.add_argument("--baseline", type=Path, default=YARDSTICK, help="the uri yardstick playbook")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be 1 or more")

    settings = dict(latency_ms=args.latency_ms, job_polls=JOB_POLLS, job_seconds=JOB_SECONDS)
    work = Path(tempfile.mkdtemp(prefix="vapix-bench-"))
    rows = []
    scale_rows = []
    same = None
    yardstick_problems = []
    try:
        with EmulatorFleet(count=args.cameras, base_port=0, **settings) as fleet:
            rows += measure_ours(work, fleet.cameras, args.forks, args.rounds)
            our_state = comparable_state(fleet.cameras[0])
            if args.baseline.exists():
                uri_rows, yardstick_problems = measure_uri(work, fleet.cameras, args.forks, args.baseline)
                rows += uri_rows
                same = comparable_state(fleet.cameras[0]) == our_state
            else:
                print("uri yardstick not found at %s: measuring ours and the floor only" % args.baseline)
        if args.scale_cameras:
            with EmulatorFleet(count=args.scale_cameras, base_port=0, **settings) as fleet:
                scale_rows = measure_ours(work / "scale", fleet.cameras, args.forks, 1, full=False, warmup=False)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print("\nfleet benchmark: %d cameras, %d forks, %d cores; emulator: %d ms per request, a job ends after %d "
          "polls or %.0f s (the emulator's defaults)"
          % (args.cameras, args.forks, os.cpu_count() or 0, args.latency_ms, JOB_POLLS, JOB_SECONDS))
    print_table("%d cameras" % args.cameras, rows)
    print("\nverdicts (from the numbers above):")
    for sentence, measured, target, met in verdicts(rows):
        print("  %-58s %18s  target %-9s %s" % (sentence, measured, target, "met" if met else "NOT MET"))
    if same is not None:
        print("  final camera state identical to the uri yardstick's: %s" % ("yes" if same else "NO"))
        if not same:
            yardstick_problems.append("its final camera state differs from ours")
    if scale_rows:
        print_table("%d cameras, ours only, one run each" % args.scale_cameras, scale_rows)
        small = {row.label: row.seconds / args.cameras for row in rows if row.contender == OURS}
        for row in scale_rows:
            print("  %-14s %.3f s per camera at %d cameras, %.3f s at %d" % (
                row.label, row.seconds / args.scale_cameras, args.scale_cameras, small[row.label], args.cameras))
    if yardstick_problems:
        # Not a verdict: the comparison itself is void when the yardstick is not the uri playbook it stands for.
        raise SystemExit("the uri yardstick is not what it stands for:\n  " + "\n  ".join(yardstick_problems))


if __name__ == "__main__":
    main()
