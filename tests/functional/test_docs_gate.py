"""The docs gate end to end on sample docs (tests/docs/samples): a broken command fails the gate
with its doc and line; a good doc runs files, shell state, a background server, a scaled command
and an address served by an emulated camera, in a namespace no request leaves."""

import subprocess
import sys

import pytest

from tests.docs.run import REPO

SAMPLES = "tests/docs/samples/"


def run_gate(*docs):
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("no network namespaces here (unshare --net): the docs gate itself says so")
    proc = subprocess.run([sys.executable, "-m", "tests.docs", "--budget", "60"] + list(docs), cwd=str(REPO),
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def test_a_broken_command_fails_the_gate_naming_doc_and_line():
    rc, out = run_gate(SAMPLES + "broken.md")
    assert rc == 1, out
    assert "FAIL tests/docs/samples/broken.md:5: exit status 127 from: ansible-playbook " in out, out
    assert "the first line works" in out            # the output before the failure is shown
    assert "never reached" not in out.replace('echo "never reached"', "")


def test_a_good_doc_runs_every_kind_of_block():
    rc, out = run_gate(SAMPLES + "sample.md")
    assert rc == 0, out
    assert "network: private namespace, only interface lo (127.0.0.1, 10.77.0.1)" in out
    assert "requests served for 10.77.0.1: 2" in out      # curl: a 401 challenge, then the answer
    assert "(scaled: --count 2)" in out
    assert "sample.md:22  (stopped)" in out
    assert "blocks: background 1, files written 1, illustrative 1, scaled 1, shell 4, skip 1" in out
    assert "not run: 1 illustrative, 1 skipped" in out
    assert "docs gate: " in out and "of a 60 s budget" in out


def test_the_gate_refuses_a_doc_it_cannot_honour(tmp_path):
    doc = tmp_path / "bad-marker.md"
    doc.write_text("text\n\n<!-- doc-test: maybe -->\n```bash\ntrue\n```\n")
    rc, out = run_gate(str(doc))
    assert rc == 1 and "bad-marker.md:3: unknown doc-test marker 'maybe'" in out, out


def test_a_failing_command_continued_over_lines_is_named_by_its_first_line(tmp_path):
    doc = tmp_path / "continued.md"
    doc.write_text("# T\n\n```bash\ntrue\nls \\\n   /nonexistent \\\n   -l\necho after\n```\n")
    rc, out = run_gate(str(doc))
    assert rc == 1 and "continued.md:5: exit status 2 from: ls \\" in out, out
