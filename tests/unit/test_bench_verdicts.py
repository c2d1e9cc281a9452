# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The benchmark's verdicts come from the measured numbers, nothing else."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.bench.fleet_bench import (
    FLOOR,
    OURS,
    OURS_TASK,
    URI,
    Row,
    process_memory_kb,
    ratio,
    tree_memory_mb,
    verdicts,
)


def rows(ours_noop, ours_check, ours_converge, floor, uri_noop, uri_check, requests=8.0, task=None):
    counts = {"requests": requests, "writes": 0.0, "challenges": 1.0}
    task_rows = [Row(OURS_TASK, label, [task], counts, 0) for label in ("no-op re-run", "--check")] if task else []
    return task_rows + [
        Row(OURS, "converge", [ours_converge], counts, 0),
        Row(OURS, "no-op re-run", [ours_noop, ours_noop + 1, ours_noop - 1], counts, 0),
        Row(OURS, "--check", [ours_check], counts, 0),
        Row(FLOOR, "no-op reads", [floor], counts, 0),
        Row(URI, "no-op re-run", [uri_noop], counts, 0),
        Row(URI, "--check", [uri_check], counts, 0),
    ]


def met(found):
    return {sentence: is_met for sentence, _measured, _target, is_met in found}


def test_every_target_met():
    assert all(met(verdicts(rows(2.0, 2.0, 3.9, 1.8, 30.0, 25.0))).values())


def test_each_verdict_follows_its_own_numbers():
    found = met(verdicts(rows(ours_noop=3.0, ours_check=2.0, ours_converge=6.5, floor=2.0, uri_noop=29.0,
                              uri_check=20.0, requests=9.0, task=2.4)))
    assert found == {
        "no-op re-run: uri / ours": False,                          # 29 / 3 < 10
        "no-op re-run: ours (role) / in-process floor": False,      # 3 / 2 > 1.25
        "no-op re-run: ours (module task) / in-process floor": True,
        "--check: uri / ours": True,
        "--check: ours (role) / in-process floor": True,
        "--check: ours (module task) / in-process floor": True,
        "converge from factory / our no-op": False,         # 6.5 / 3 > 2
        "requests per camera in a no-op, Digest challenge included": False,
    }


def test_the_median_of_the_rounds_is_the_measured_time():
    assert rows(2.0, 2.0, 3.9, 1.8, 30.0, 25.0)[1].seconds == 2.0


def row(contender, label, times):
    return Row(contender, label, times, {"requests": 8.0, "writes": 0.0, "challenges": 1.0}, 0)


def test_rows_of_the_same_rounds_are_compared_round_by_round():
    # The machine was four times slower during the floor's second and third rounds and our third: round by
    # round ours is the floor's time twice (x1.0), once a quarter of it; the medians alone would say x4.
    ours = row(OURS, "no-op re-run", [1.0, 4.0, 1.0])
    floor = row(FLOOR, "no-op reads", [1.0, 4.0, 4.0])
    assert ratio(ours, floor) == (1.0, 0.25, 1.0)
    assert ours.seconds / floor.seconds == 0.25
    converge = row(OURS, "converge", [2.0, 8.0, 2.1])
    found = {sentence: (measured, is_met) for sentence, measured, _target, is_met
             in verdicts([ours, converge, row(OURS, "--check", [1.0, 4.0, 1.0]), floor])}
    assert found["no-op re-run: ours (role) / in-process floor"] == ("x1.00 (0.25-1.00)", True)
    assert found["converge from factory / our no-op"] == ("x2.00 (2.00-2.10)", True)


def test_a_row_measured_once_is_compared_by_its_median():
    uri = row(URI, "no-op re-run", [30.0])
    assert ratio(uri, row(OURS, "no-op re-run", [2.0, 3.0, 2.5])) == (12.0, 12.0, 12.0)


def test_memory_is_summed_over_the_process_tree():
    child = subprocess.Popen([sys.executable, "-c", "import time; print('up', flush=True); time.sleep(30)"],
                             stdout=subprocess.PIPE, text=True)
    try:
        # measured once the interpreter is up (right after the fork the child is a sliver of memory)
        assert child.stdout.readline().strip() == "up"
        alone = tree_memory_mb(child.pid)
        assert alone > 1
        # This process's tree holds this process and the child. This process is measured first: walking the
        # process table allocates, so measured after the tree it could have grown past its share in the sum.
        own_mb = process_memory_kb(os.getpid()) / 1024.0
        assert tree_memory_mb(os.getpid()) >= 0.9 * alone + own_mb
    finally:
        child.kill()
        child.wait()
        child.stdout.close()
