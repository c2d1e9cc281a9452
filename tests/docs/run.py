# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the fenced blocks of README.md and docs/*.md, as a reader would, against the emulator.

    python -m tests.docs [--budget SECONDS] [--keep] [--verbose] [DOC ...]

The run happens in a private network namespace (``unshare --net``) whose only
interface is loopback, so no request can leave the machine. Every IPv4 address
outside 127.0.0.0/8 that a block mentions is added to that loopback and served
there by an emulated camera (HTTPS on 443, its CA at ``~/axis-ca.pem``). The
blocks run in a scratch copy of this checkout with a scratch HOME and the
environment of a fresh shell (no venv on PATH). The convention and its markers:
tests/docs/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from tests.docs.extract import DocError, addresses, check_links, parse

REPO = Path(__file__).resolve().parents[2]
# A newcomer's path through the docs; other docs/*.md follow in name order.
READING_ORDER = ("README.md", "docs/quickstart.md", "docs/fleet.md", "docs/gitops.md")
DEFAULT_BUDGET = 300
IN_NAMESPACE = "VAPIX_DOCS_NETNS"
CA_FILE = "axis-ca.pem"
READY_TIMEOUT = 60
TAIL_LINES = 60

PRELUDE = r"""# sourced before every shell block: the shell state the previous block left
set -eo pipefail
. "$VAPIX_DOCS_STATE/env.sh"
cd "$(cat "$VAPIX_DOCS_STATE/cwd")"
"""
SAVE_STATE = r"""trap 'echo "$LINENO" >"$VAPIX_DOCS_STATE/failed_line"' ERR
trap 'pwd >"$VAPIX_DOCS_STATE/cwd"; export -p >"$VAPIX_DOCS_STATE/env.sh"' EXIT
"""


def default_docs():
    found = [doc for doc in READING_ORDER if (REPO / doc).exists()]
    found += sorted(str(p.relative_to(REPO)) for p in (REPO / "docs").glob("*.md")
                    if str(p.relative_to(REPO)) not in found)
    return found


def say(text=""):
    print(text, flush=True)


class Failure(Exception):
    """A block failed; the message starts with doc:line."""


# --- isolation -------------------------------------------------------------------------------------

def enter_namespace(argv):
    """Re-run this command in a private network namespace (root, or a user namespace)."""
    command = ["unshare", "--net"] + ([] if os.geteuid() == 0 else ["--map-root-user"])
    probe = subprocess.run(command + ["true"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        say("docs: cannot create a private network namespace (%s): the docs gate runs the documented "
            "commands where no request can leave the machine, which needs `unshare --net` (root, or "
            "unprivileged user namespaces)" % (probe.stderr.strip() or "unshare missing"))
        return 1
    env = dict(os.environ, **{IN_NAMESPACE: "1"})
    return subprocess.run(command + ["--", sys.executable, "-m", "tests.docs"] + argv, env=env, cwd=str(REPO),
                          check=False).returncode


def isolate(mapped):
    """Loopback up, the mapped addresses on it, and proof that nothing else exists."""
    with open("/proc/self/net/dev") as dev:     # this process's network namespace (not sysfs's)
        interfaces = sorted(line.split(":")[0].strip() for line in dev.readlines()[2:])
    if interfaces != ["lo"]:
        raise Failure("docs: expected a network namespace with only loopback, found %s" % interfaces)
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    for address in mapped:
        subprocess.run(["ip", "addr", "add", address + "/32", "dev", "lo"], check=True)
    say("network: private namespace, only interface lo (127.0.0.1%s)"
        % "".join(", " + a for a in mapped))


# --- scratch checkout and shell state -------------------------------------------------------------

def copy_checkout(target):
    """The files of this checkout as git sees them (tracked and untracked-not-ignored), .venv linked."""
    listing = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], capture_output=True, text=True, check=True).stdout
    for name in filter(None, listing.split("\0")):
        source = REPO / name
        if not source.exists() or source.is_dir():
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / name, follow_symlinks=False)
    if (REPO / ".venv").exists():
        (target / ".venv").symlink_to(REPO / ".venv")


def fresh_shell_env(home):
    """The environment of a new terminal: no venv, no ANSIBLE_*/VIRTUAL_ENV from scripts/test."""
    env = {}
    for key, value in os.environ.items():
        if not key.isidentifier() or not key.isascii():
            continue                                    # exported bash functions (BASH_FUNC_x%%)
        if key.startswith(("ANSIBLE_", "VAPIX_", "PYTEST", "MOLECULE_")) or key in (
                "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "OLDPWD", "PWD"):
            continue
        env[key] = value
    venv_bin = str(REPO / ".venv" / "bin")
    env["PATH"] = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                                  if p and os.path.realpath(p) != os.path.realpath(venv_bin))
    env["HOME"] = str(home)
    env["ANSIBLE_NOCOLOR"] = "1"
    # async_status finds job results under ~<user> from the password database, the module writes
    # them under $HOME: with a scratch HOME both must be told the same directory.
    env["ANSIBLE_ASYNC_DIR"] = str(home / ".ansible_async")
    return env


class ShellState:
    """Working directory and exported variables, carried from one shell block to the next."""

    def __init__(self, directory, cwd, env):
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "prelude.sh").write_text(PRELUDE)
        (self.dir / "cwd").write_text(str(cwd) + "\n")
        (self.dir / "env.sh").write_text("".join(f"export {k}={shell_quote(v)}\n"
                                                 for k, v in sorted(env.items())))
        self.env = dict(env, VAPIX_DOCS_STATE=str(self.dir))

    @property
    def cwd(self):
        return Path((self.dir / "cwd").read_text().strip())

    def script(self, block_text, save=True):
        """A bash script: the prelude on line 1, then the block (so LINENO - 1 is the block line)."""
        path = self.dir / "block.sh"
        first = '. "$VAPIX_DOCS_STATE/prelude.sh"; ' + (SAVE_STATE.replace("\n", "; ") if save else "")
        path.write_text(first + "\n" + block_text)
        return path


def shell_quote(value):
    return "'" + value.replace("'", "'\\''") + "'"


# --- running blocks -------------------------------------------------------------------------------

def tail(path):
    lines = Path(path).read_text(errors="replace").splitlines()
    return "\n".join("    | " + line for line in lines[-TAIL_LINES:])


def stop_process(proc):
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def run_shell(block, state, deadline, log):
    (state.dir / "failed_line").unlink(missing_ok=True)
    script = state.script(block.scaled_text())
    with open(log, "w") as output:
        proc = subprocess.Popen(["bash", str(script)], env=state.env, stdout=output, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True, cwd=str(state.cwd))
        try:
            rc = proc.wait(max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            stop_process(proc)
            raise Failure("%s: still running when the gate's time budget ran out (stopped)\n%s"
                          % (block.where, tail(log)))
    if rc != 0:
        failed = state.dir / "failed_line"
        offset = int(failed.read_text().strip()) - 2 if failed.exists() else 0
        lines = block.scaled_text().splitlines()
        # bash may name a line inside a command continued with backslashes: report its first line
        while 0 < offset < len(lines) and lines[offset - 1].rstrip().endswith("\\"):
            offset -= 1
        command = lines[offset].strip() if 0 <= offset < len(lines) else "?"
        raise Failure("%s:%d: exit status %d from: %s\n%s"
                      % (block.doc, block.line + max(offset, 0), rc, command, tail(log)))


def start_background(block, state, log):
    marker = block.marker("background")
    command = next(line for line in block.text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    script = state.script("exec " + command.strip() + "\n", save=False)
    output = open(log, "w")
    proc = subprocess.Popen(["bash", str(script)], env=state.env, stdout=output, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True, cwd=str(state.cwd))
    output.close()
    waited = time.monotonic() + READY_TIMEOUT
    while marker.ready not in Path(log).read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > waited:
            stop_process(proc)
            raise Failure('%s: background command never printed "%s": %s\n%s'
                          % (block.where, marker.ready, command.strip(), tail(log)))
        time.sleep(0.1)
    return proc


def write_file(block, state):
    name = block.target_path
    target = Path(state.env["HOME"] + name[1:] if name.startswith("~") else name)
    if not target.is_absolute():
        target = state.cwd / target
    check_yaml(block)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(block.text)
    return target


def check_yaml(block):
    try:
        return yaml.safe_load(block.text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise Failure("%s:%d: not valid YAML: %s" % (block.doc, block.line + (mark.line if mark else 0),
                                                     str(err).replace("\n", " ")))


def syntax_check(block, state, scratch):
    """A YAML block without a path: parsed; a playbook is also syntax-checked against the collection."""
    data = check_yaml(block)
    is_playbook = isinstance(data, list) and data and all(
        isinstance(play, dict) and ("hosts" in play or "import_playbook" in play) for play in data)
    if not is_playbook:
        return "parsed"
    playbook = scratch / "syntax-check.yml"
    playbook.write_text(block.text)
    checkout = scratch / "checkout"
    proc = subprocess.run([str(REPO / ".venv" / "bin" / "ansible-playbook"), "--syntax-check",
                           "-i", "localhost,", str(playbook)], cwd=str(checkout), capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, check=False,
                          env=dict(state.env, ANSIBLE_CONFIG=str(checkout / "ansible.cfg")))
    if proc.returncode != 0:
        raise Failure("%s: ansible-playbook --syntax-check failed:\n%s"
                      % (block.where, (proc.stdout + proc.stderr).strip()[-3000:]))
    return "syntax-checked"


# --- the gate -------------------------------------------------------------------------------------

class Tally:
    def __init__(self):
        self.counts = {}
        self.not_run = []

    def add(self, what):
        self.counts[what] = self.counts.get(what, 0) + 1


def run_doc(doc, blocks, scratch, base_env, deadline, tally, verbose=False):
    state = ShellState(scratch / "state" / doc.replace("/", "_"), scratch / "checkout", base_env)
    log = scratch / "block.log"
    background = []
    say("--- %s (%d blocks)" % (doc, len(blocks)))
    try:
        for number, block in enumerate(blocks):
            kind = block.kind
            start = time.monotonic()
            if kind in ("illustrative", "skip"):
                tally.add(kind)
                tally.not_run.append(block)
                say("  %-13s %s  %s" % (kind, block.where, block.not_run.reason))
                continue
            if kind == "prose":
                continue
            if kind == "file":
                target = write_file(block, state)
                tally.add("files written")
                say("  %-13s %s  %s" % ("write", block.where, os.path.relpath(target, scratch)))
                continue
            if kind == "yaml":
                tally.add("YAML " + syntax_check(block, state, scratch))
                say("  %-13s %s" % ("yaml checked", block.where))
                continue
            if kind == "background":
                background.append((block, start_background(block, state, scratch / ("background-%d.log" % number))))
                tally.add("background")
                say("  %-13s %s  %s (up after %.1fs)"
                    % ("background", block.where, block.text.strip().splitlines()[-1], time.monotonic() - start))
                continue
            run_shell(block, state, deadline, log)
            if verbose:
                say(tail(log))
            tally.add("shell")
            if block.marker("scale"):
                tally.add("scaled")
            say("  %-13s %s  %.1fs%s" % ("ran", block.where, time.monotonic() - start,
                                         "  (scaled: %s)" % " ".join("%s %s" % kv for kv in block.marker("scale").scale.items())
                                         if block.marker("scale") else ""))
    finally:
        for block, proc in background:
            stop_process(proc)
            say("  %-13s %s  (stopped)" % ("background", block.where))


def serve_addresses(mapped, home):
    """One emulated camera (HTTPS, port 443) on each mapped address; their CAs in ~/axis-ca.pem."""
    from tests.emulator import EmulatorFleet
    fleets = []
    try:
        for address in mapped:
            fleet = EmulatorFleet(count=1, base_port=443, host=address, tls=True)
            fleets.append(fleet.start())
            say("camera: %s (emulator, profile modern, root/pass)" % fleet.cameras[0].url)
    except Exception:
        for fleet in fleets:
            fleet.stop()
        raise
    if fleets:
        with open(home / CA_FILE, "w") as bundle:
            for fleet in fleets:
                bundle.write(Path(fleet.ca_path).read_text())
    return fleets


def gate(docs, budget, keep, verbose=False):
    started = time.monotonic()
    deadline = started + budget
    blocks = {doc: parse(doc, (REPO / doc).read_text()) for doc in docs}
    for doc in docs:
        check_links(doc, (REPO / doc).read_text(), REPO)
    mapped = addresses([b for doc in docs for b in blocks[doc]])
    isolate(mapped)
    scratch = Path(tempfile.mkdtemp(prefix="vapix-docs-"))
    home = scratch / "home"
    home.mkdir()
    (scratch / "checkout").mkdir()
    copy_checkout(scratch / "checkout")
    fleets = serve_addresses(mapped, home)
    tally = Tally()
    try:
        base_env = fresh_shell_env(home)
        for doc in docs:
            run_doc(doc, blocks[doc], scratch, base_env, deadline, tally, verbose)
        served = {fleet.cameras[0].host: len(fleet.cameras[0].log()) for fleet in fleets}
    finally:
        for fleet in fleets:
            fleet.stop()
        if keep:
            say("scratch kept: %s" % scratch)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    for address, count in served.items():
        say("requests served for %s: %d" % (address, count))
    if mapped and not any(served.values()):
        raise Failure("docs: the docs mention %s, but no block sent a request there" % ", ".join(mapped))
    elapsed = time.monotonic() - started
    say("blocks: %s" % ", ".join("%s %d" % kv for kv in sorted(tally.counts.items())))
    say("not run: %d illustrative, %d skipped (each marked in its doc; keep them few)"
        % (tally.counts.get("illustrative", 0), tally.counts.get("skip", 0)))
    say("docs gate: %.0f s of a %d s budget" % (elapsed, budget))
    if elapsed > budget:
        raise Failure("docs: the gate took %.0f s, over its %d s budget" % (elapsed, budget))


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m tests.docs", description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--budget", type=int, default=DEFAULT_BUDGET, help="seconds the whole gate may take")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--verbose", "-v", action="store_true", help="show the end of every block's output")
    parser.add_argument("docs", nargs="*", help="documents, relative to the repository (default: %s, docs/*.md)"
                        % ", ".join(READING_ORDER))
    args = parser.parse_args(argv)
    docs = [os.path.relpath(os.path.abspath(d), REPO) for d in args.docs] or default_docs()
    if os.environ.get(IN_NAMESPACE) != "1":
        return enter_namespace(["--budget", str(args.budget)] + (["--keep"] if args.keep else [])
                               + (["--verbose"] if args.verbose else []) + docs)
    try:
        gate(docs, args.budget, args.keep, args.verbose)
    except (DocError, Failure) as err:
        say("FAIL %s" % err)
        return 1
    say("docs: every block to be run ran green")
    return 0
