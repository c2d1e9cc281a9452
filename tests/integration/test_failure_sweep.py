# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_edge_storage failing at every request of a whole-camera converge, one fault at a time (in-process).

Two converges are recorded against the emulator without a fault: the demo's desired state from factory state
(a share test, the share added and bound, both disks' settings in one parameter update, a storage limit, a
continuous profile, a recording group), and a change of every section on the camera that has it (the share moved to another NAS:
its test, the unmount job of the NetworkShare disk, unbind, modify, bind; a disk setting; the limit; the profile
replaced; a group updated and one created). The request list of each recording is the list of cases: each
fault of FAULTS that fits a request (a write, or a read: a plan read, a job poll, a verifying re-read) is
injected at exactly that request (the emulator's answer faults, by CGI and how many requests to it come
before), and the same converge runs again. The camera's state after every request of the recording is kept
as well, so what the faulted run leaves behind can be compared with where the recorded run stood.

For every case: the task fails; ``writes`` counts the write requests that reached the camera and ``changed`` is
true exactly when one did (the faulted write included: the camera may have carried it out, see docs/fleet.md,
"What a failed run tells you"); the failed step is the step of the faulted request, the steps before it are
``completed_steps`` and the rest ``not_run_steps``, and the message names the failed step, the changes made and
the steps not run; no secret is in the result; the camera is where the recorded run stood right after the
faulted request (before it, when the fault kept the camera from carrying it out), so the faulted run wrote
nothing after the fault, except a restore its message names; a rerun without the fault converges (after the
disk job the failed run left running has ended) and a third run changes nothing. In check mode every read is
faulted the same way: the task fails with a clear error and sends no write.

One fault is recovered by design rather than failed: an error answered for the parameter list of several
groups is asked again one group at a time (real firmware fails a list of groups for one group it lacks; see
``VapixClient.param_list``).
"""

from __future__ import annotations

import copy
import json

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils import _client
from tests.emulator import EmulatorFleet
from tests.integration.checks import jobs_end
from tests.integration.inprocess import run_task
from tests.integration.test_edge_storage import DESIRED, SHARE_PASSWORD

pytestmark = pytest.mark.integration

ADMIN_PASSWORD = "Sweep-Admin-9"
NEW_SHARE_PASSWORD = "n3w&Sh=re %41"
SECRETS = (ADMIN_PASSWORD, SHARE_PASSWORD, NEW_SHARE_PASSWORD)

CHANGED = copy.deepcopy(DESIRED)
CHANGED["shares"][0].update(address="nas2.example.com", share_password=NEW_SHARE_PASSWORD)
CHANGED["disks"][0]["cleanup_max_age"] = 20
CHANGED["storage_limits"] = {"NetworkShare": "400 GiB"}
CHANGED["continuous_profiles"][0]["options"] = {"resolution": "1920x1080"}
CHANGED["recording_groups"] = [dict(DESIRED["recording_groups"][0], retention="14d"),
                               {"id": "second", "disk_id": "NetworkShare", "retention": "3d"}]

# name: (the desired state the camera has first, or None for factory state; the desired state converged)
SCENARIOS = {"factory": (None, DESIRED), "change": (DESIRED, CHANGED)}

OTHER_XML = '<?xml version="1.0"?><root/>'
# name: (answer fault, for writes, for reads, whether the camera carries the request out). A read the client
# tries again (no answer, a 500) gets the fault at every attempt; such a read is not carried out, so the state
# it leaves is the recorded one before it (a job poll carried out three times would end the job early).
FAULTS = {
    "refused": ({"kind": "device_error", "code": 10}, True, True, False),
    "refused_but_done": ({"kind": "device_error", "code": 10, "apply": True}, True, False, True),
    "http_500": ({"kind": "replace_body", "status": 500, "content_type": "text/html",
                  "body": "<html><body>Internal Server Error</body></html>", "apply": False}, True, True, False),
    "no_answer_done": ({"kind": "no_answer"}, True, False, True),
    "no_answer": ({"kind": "no_answer", "apply": False}, True, True, False),
    "truncated": ({"kind": "truncate"}, True, True, True),
    "cut_short": ({"kind": "cut_short"}, True, False, True),   # the connection drops in the middle of the answer
    "other_xml": ({"kind": "replace_body", "body": OTHER_XML, "apply": False}, True, True, False),
}
RETRIED = ("http_500", "no_answer")
READ_FAULTS = [name for name, fault in FAULTS.items() if fault[2]]


def state_of(dump):
    """What a converge manages, from the emulator's state dump (no ids, times or counters)."""
    return {
        "shares": sorted((share["share_id"], share["nicename"], share["address"], share["share"], share["user"],
                          share["disk_id"]) for share in dump["shares"]),
        "disks": sorted((disk["disk_id"], disk["friendly_name"], disk["cleanup_policy"], disk["cleanup_max_age"],
                         disk["mounted"], disk["status"]) for disk in dump["disks"]),
        "limits": dump["storage_limits"],
        "profiles": sorted((profile["disk_id"], profile["event_id"], profile["options"])
                           for profile in dump["continuous_profiles"]),
        "groups": sorted((group["id"], group["disk_id"], group["retention_hours"], group["stream_options"])
                         for group in dump["recording_groups"]),
    }


def steps_carried(pairs):
    """How many steps a write request carries: a parameter update one per Storage group it sets (the settings of
    several disks go in one update), any other write one."""
    groups = {name.split(".")[1] for name, _value in pairs if name.startswith("Storage.")}
    return max(1, len(groups))


def flat(units):
    return [step for unit in units for step in unit]


class Recording:
    """A converge without a fault: its requests (path, how many to that path came before, write, whether it lists
    several parameter groups), the camera's state before each and after each, its steps, and its units: the
    steps as a failure names them, in order (a step, or the steps one write request carries: a failure of that
    request names them together, joined with ' and '), the write units one per write request."""

    def __init__(self, camera, desired, check):
        self.before, self.after, self.requests = [], [], []
        counts = {}
        carried = []   # the steps each write request carries
        record = camera._record   # the emulator's request log; wrapped to see the state at each request

        def recording(method, path, pairs, user, status, write, changed):
            record(method, path, pairs, user, status, write, changed)
            if status != 401:
                groups = dict(pairs).get("group", "")
                self.requests.append((path, counts.get(path, 0), write, "," in groups))
                if write:
                    carried.append(steps_carried(pairs))
                counts[path] = counts.get(path, 0) + 1
                self.after.append(state_of(camera.model.dump()))

        start = state_of(camera.dump())
        camera._record = recording
        try:
            self.result = converge(camera, desired, check=check)
        finally:
            del camera._record
        assert not self.result.get("failed") and self.result["changed"] is True, self.result
        self.before = [start] + self.after[:-1]
        # As a failure names them: without the marks of destructive steps.
        self.steps = [step.split(" [destructive")[0] for step in self.result["steps"]]
        tests = [[step] for step in self.steps if "(share test, before any change)" in step]
        write_steps = [step for step in self.steps if "(share test, before any change)" not in step]
        self.write_units = []
        for count in [] if check else carried:
            self.write_units.append(write_steps[:count])
            write_steps = write_steps[count:]
        assert write_steps == [] or check, (carried, write_steps)
        self.units = [[step] for step in self.steps] if check else tests + self.write_units
        self.labels = [" and ".join(unit) for unit in self.units]
        self.write_steps = [" and ".join(unit) for unit in self.write_units]


def converge(camera, desired, check=False):
    return run_task(camera, "axis_edge_storage", desired, check=check, defaults={"password": ADMIN_PASSWORD})


def setup(camera, scenario):
    camera.reset()
    first = SCENARIOS[scenario][0]
    if first is not None:
        assert not converge(camera, first).get("failed")
    camera.clear_log()


@pytest.fixture(scope="module")
def camera():
    with EmulatorFleet(count=1, base_port=0, users={"root": (ADMIN_PASSWORD, "admin")}) as fleet:
        yield fleet.cameras[0]


@pytest.fixture(scope="module")
def recordings(camera):
    """Recording per (scenario, check mode), made when first asked for."""
    made = {}

    def recording(scenario, check=False):
        if (scenario, check) not in made:
            setup(camera, scenario)
            made[scenario, check] = Recording(camera, SCENARIOS[scenario][1], check)
        return made[scenario, check]
    return recording


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    """The client tries a read again at once (its backoff between attempts would only make the sweep slow)."""
    monkeypatch.setattr(_client, "BACKOFF_SECONDS", (0, 0, 0))


def inject(camera, name, path, before, write):
    fault = dict(FAULTS[name][0], path=path, skip=before)
    if name in RETRIED and not write:
        fault["times"] = _client.READ_ATTEMPTS
    camera.inject(answer=fault)


def recovered_by_design(request, name):
    """The parameter list of several groups answered with an error is asked again group by group."""
    return request[3] and name == "refused"


def problems_of_real_run(camera, recording, index, name, result):
    """What is wrong with the result and the camera after the converge whose request index got the fault."""
    path, _before, write, _groups = recording.requests[index]
    applied = FAULTS[name][3]
    log = [entry for entry in camera.log() if entry["status"] != 401]
    writes = [number for number, entry in enumerate(log) if entry["write"]]
    problems = []
    if not result.get("failed"):
        if recovered_by_design(recording.requests[index], name) and result["steps"] == recording.result["steps"]:
            return []
        return ["did not fail"]
    if result["writes"] != len(writes) or result["changed"] is not bool(writes):
        problems.append("writes %s, changed %s, but %d write(s) reached the camera"
                        % (result["writes"], result["changed"], len(writes)))
    shown = json.dumps(result)
    problems.extend("secret %r shown" % secret for secret in SECRETS if secret in shown)
    done, failed, not_run = result["completed_steps"], result["failed_step"], result["not_run_steps"]
    msg = result["msg"]
    written_before = sum(1 for request in recording.requests[:index] if request[2])
    if failed is None:
        if written_before or done:
            problems.append("no failed step named after %d write(s)" % written_before)
        if path.split("/axis-cgi/")[1] not in msg:
            problems.append("the message does not name %s" % path)
    else:
        real = failed in recording.labels
        at = recording.labels.index(failed) if real else next(
            (number for number in range(len(recording.units)) if flat(recording.units[:number]) == done),
            len(recording.units))
        if done != flat(recording.units[:at]) or not_run != flat(recording.units[at + 1 if real else at:]):
            problems.append(f"steps: done {done}, failed {failed!r}, not run {not_run}")
        starts_job = index + 1 < len(recording.requests) and recording.requests[index + 1][0].endswith("/disks/job.cgi")
        if write and starts_job and name in ("no_answer_done", "no_answer", "truncated", "cut_short") \
                and "may still be running" not in msg:
            problems.append("the message does not say the job the lost answer may have started may be running")
        if write and not name.startswith("refused") and "may have" not in msg:
            # (refused: the camera's own error envelope, its refusal)
            problems.append("the message does not say the camera may have carried out the write")
        if write and failed != recording.write_steps[written_before]:
            problems.append("failed step %r, but the faulted write is of %r"
                            % (failed, recording.write_steps[written_before]))
        done_writes = [step for step in done if step in flat(recording.write_units)]
        allowed = [flat(recording.write_units[:written_before])]
        if not write and written_before and failed == recording.write_steps[written_before - 1]:
            allowed = [flat(recording.write_units[:written_before - 1])]   # a read of that step (a job's poll)
            if path.endswith("/disks/job.cgi") and name != "refused" and "may still be running" not in msg:
                # (refused: the camera's answer that the job ended in error)
                problems.append("the message does not say the job the step started may still be running")
        if done_writes not in allowed:
            problems.append("done %s, but %d write(s) were sent before the fault" % (done_writes, written_before))
        for step in [failed] + not_run + done_writes:
            if step not in msg:
                problems.append("the message does not name %r" % step)
                break
    fault_at = next(number for number, entry in enumerate(log) if entry["path"] == path
                    and sum(1 for earlier in log[:number] if earlier["path"] == path) == recording.requests[index][1])
    later_writes = [log[number] for number in writes if number > fault_at]
    expected = recording.after[index] if applied else recording.before[index]
    if later_writes:
        # The one write a failed step sends after its failure: a replaced profile's restore, which it names.
        if "added back" not in msg or any(entry["path"] != path for entry in later_writes):
            problems.append("writes after the fault: %s" % [entry["path"] for entry in later_writes])
    elif state_of(camera.dump()) != expected:
        problems.append("the camera is not where the recorded run stood %s the faulted request: %s, not %s"
                        % ("after" if applied else "before", state_of(camera.dump()), expected))
    return problems


def problems_of_rerun(camera, desired):
    jobs_end(camera)
    again = converge(camera, desired)
    if again.get("failed"):
        return ["the rerun failed: %s" % again["msg"]]
    third = converge(camera, desired)
    if third.get("failed") or third["changed"]:
        return ["the third run: %s" % (third.get("msg") or third["steps"])]
    return []


@pytest.mark.parametrize("name", list(FAULTS))
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_a_fault_at_each_request_of_a_converge_fails_it_truthfully_and_a_rerun_converges(
        camera, recordings, scenario, name):
    recording = recordings(scenario)
    desired = SCENARIOS[scenario][1]
    _fault, for_writes, for_reads, _applied = FAULTS[name]
    found = []
    for index, (path, before, write, _groups) in enumerate(recording.requests):
        if not (for_writes if write else for_reads):
            continue
        setup(camera, scenario)
        inject(camera, name, path, before, write)
        result = converge(camera, desired)
        camera.inject(clear=True)
        problems = problems_of_real_run(camera, recording, index, name, result)
        problems.extend(problems_of_rerun(camera, desired))
        if problems:
            found.append("request %d (%s #%d%s): %s\n    msg: %s" % (
                index, path, before + 1, ", a write" if write else "", "; ".join(problems), result.get("msg")))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("name", READ_FAULTS)
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_a_fault_at_each_read_in_check_mode_fails_it_clearly_and_writes_nothing(camera, recordings, scenario, name):
    recording = recordings(scenario, check=True)
    found = []
    for request in recording.requests:
        path, before = request[:2]
        setup(camera, scenario)
        inject(camera, name, path, before, False)
        result = converge(camera, SCENARIOS[scenario][1], check=True)
        camera.inject(clear=True)
        problems = []
        if not result.get("failed"):
            if not (recovered_by_design(request, name) and result["steps"] == recording.result["steps"]):
                problems.append("did not fail")
        else:
            if result["changed"] or result["writes"]:
                problems.append("changed {}, writes {}".format(result["changed"], result["writes"]))
            if path.split("/axis-cgi/")[1] not in result["msg"]:
                problems.append("the message does not name %s" % path)
            shown = json.dumps(result)
            problems.extend("secret %r shown" % secret for secret in SECRETS if secret in shown)
        if camera.write_count():
            problems.append("%d write(s) sent" % camera.write_count())
        if problems:
            found.append("%s #%d: %s\n    msg: %s" % (path, before + 1, "; ".join(problems), result.get("msg")))
    assert not found, "\n".join(found)
