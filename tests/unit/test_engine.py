# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resource engine: read -> plan -> apply unless check mode -> re-read -> verify, and the summary."""

from __future__ import annotations

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import (
    Resource,
    Step,
    converge,
    summarize,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    ConvergeError,
    DataLossRefused,
    PlanError,
    StepError,
    UnsupportedError,
    ValidationError,
    VapixError,
)


class Store:
    """A device holding named dicts; counts reads and writes."""

    def __init__(self, **items):
        self.items = dict(items)
        self.reads = 0
        self.writes = []
        self.invalidations = 0
        self.broken = set()
        self.ignore_writes = False
        self.unanswered_writes = 0

    @property
    def write_count(self):
        return len(self.writes)

    @staticmethod
    def firmware_version():
        return "9.80.1"

    def get(self, name):
        self.reads += 1
        item = self.items.get(name)
        return dict(item) if item is not None else None

    def put(self, name, **fields):
        if name in self.broken:
            raise VapixError("toy", "put.cgi", "refused", code=20)
        self.writes.append((name, fields))
        if not self.ignore_writes:
            self.items[name] = dict(self.items.get(name) or {}, **fields)

    def invalidate(self, *families):
        self.invalidations += 1


class Thing(Resource):
    kind = "thing"

    def validate(self):
        if not self.params.get("name"):
            raise ValidationError("name is required")

    @property
    def identity(self):
        return "thing %s" % self.params["name"]

    def read(self, device):
        if self.params.get("lacks"):
            raise UnsupportedError(self.params["lacks"], "the toy firmware has no %s" % self.params["lacks"])
        return device.get(self.params["name"])

    def desired(self):
        return {"colour": self.params["colour"]}

    def plan(self, device, current):
        steps = []
        name = self.params["name"]
        after = self.params.get("after")
        if after and (device.get(after) or {}).get("colour") is None:
            raise ValidationError(f"{self.identity} needs {after} painted first")
        if current is None or current.get("colour") != self.params["colour"]:
            if self.params.get("repaint"):
                steps.append(Step("strip", "strip %s" % name, lambda d: d.put(name, colour=None),
                                  destructive=True))
            steps.append(Step("paint", "paint {} {}".format(name, self.params["colour"]),
                              lambda d: d.put(name, colour=self.params["colour"])))
        return steps


def test_validation_runs_in_the_constructor():
    with pytest.raises(ValidationError, match="name is required"):
        Thing({})


def test_check_mode_reads_plans_and_predicts_without_writing():
    device = Store(a={"colour": "red", "size": 3})
    outcome, = converge(device, [Thing({"name": "a", "colour": "blue"})], check_mode=True)
    assert device.writes == []
    assert [s.action for s in outcome.steps] == ["paint"]
    assert outcome.before == {"colour": "red", "size": 3}
    assert outcome.after == {"colour": "blue", "size": 3}


def test_real_run_applies_in_order_rereads_and_verifies():
    device = Store(a={"colour": "red"})
    outcome, = converge(device, [Thing({"name": "a", "colour": "blue", "repaint": True, "allow_data_loss": True})],
                        check_mode=False)
    assert device.writes == [("a", {"colour": None}), ("a", {"colour": "blue"})]
    # The engine re-reads without flushing the cache: each Device write invalidates what it affects.
    assert device.invalidations == 0 and device.reads == 2
    assert outcome.after == {"colour": "blue"}


def test_nothing_to_do_means_no_write_and_no_reread():
    device = Store(a={"colour": "blue"})
    outcome, = converge(device, [Thing({"name": "a", "colour": "blue"})], check_mode=False)
    assert outcome.steps == [] and device.writes == [] and device.reads == 1


def test_a_device_that_does_not_take_the_change_is_a_converge_error():
    device = Store(a={"colour": "red"})
    device.ignore_writes = True
    with pytest.raises(StepError) as info:
        converge(device, [Thing({"name": "a", "colour": "blue"})], check_mode=False)
    assert isinstance(info.value.cause, ConvergeError)
    assert info.value.cause.mismatches == ["colour is 'red', wanted 'blue'"]
    assert info.value.as_dict()["error_class"] == "verify"
    assert info.value.as_dict()["failed_step"] == "check that thing a converged"
    assert "thing a did not converge" in str(info.value)
    assert "1 change was made before it: paint a blue" in str(info.value)


def test_a_failed_step_says_what_was_done_and_where_the_device_stands():
    device = Store(a={"colour": "red"})
    resource = Thing({"name": "a", "colour": "blue", "repaint": True, "allow_data_loss": True})
    steps = resource.plan(device, device.get("a"))
    steps[1] = Step("paint", "paint a blue", lambda d: (d.broken.add("a"), d.put("a", colour="blue")))
    resource.plan = lambda dev, current: steps
    with pytest.raises(StepError) as info:
        converge(device, [resource], check_mode=False)
    error = info.value
    assert error.step == "paint a blue" and error.done == ["strip a"]
    assert error.as_dict()["code"] == 20
    assert "1 change was made before it: strip a" in str(error)
    assert "the device is now: {'colour': None, 'state': 'present'}" in str(error)


def test_summary_changed_steps_and_diff_of_managed_fields_only():
    device = Store(a={"colour": "red", "size": 3}, b={"colour": "green"})
    outcomes = converge(device, [Thing({"name": "a", "colour": "blue", "repaint": True, "allow_data_loss": True}),
                                 Thing({"name": "b", "colour": "green"})], check_mode=True)
    summary = summarize(outcomes, diff_mode=True)
    assert summary["changed"] is True
    assert summary["steps"] == ["strip a [destructive]", "paint a blue"]
    assert summary["needs_allow_data_loss"] == [] and summary["skipped_unsupported"] == []
    assert summary["before"] == {"thing a": {"colour": "red", "state": "present"},
                                 "thing b": {"colour": "green", "state": "present"}}
    assert summary["after"]["thing a"] == {"colour": "blue", "state": "present"}
    assert summary["diff"] == {"before": summary["before"], "after": summary["after"]}
    # Without --diff, before/after stay and no diff is returned.
    assert "diff" not in summarize(outcomes) and summarize(outcomes)["after"] == summary["after"]


def test_summary_of_nothing_to_do_is_unchanged():
    device = Store(a={"colour": "blue"})
    summary = summarize(converge(device, [Thing({"name": "a", "colour": "blue"})], check_mode=False))
    assert summary["changed"] is False and summary["steps"] == []
    assert summary["before"] == summary["after"]


def test_absent_resource_shows_as_absent():
    resource = Thing({"name": "z", "colour": "blue"})
    assert resource.managed(None) == {"state": "absent"}
    assert resource.verify(None) == ["thing z does not exist"]


# -- the whole run planned before the first write ----------------------------------------------


def test_every_feature_the_camera_lacks_is_named_at_once_before_any_write():
    device = Store(a={"colour": "red"})
    resources = [Thing({"name": "a", "colour": "blue"}), Thing({"name": "b", "colour": "x", "lacks": "limits"}),
                 Thing({"name": "c", "colour": "x", "lacks": "groups"})]
    resources[1].section, resources[2].section = "storage_limits", "recording_groups"
    with pytest.raises(PlanError) as info:
        converge(device, resources, check_mode=False)
    assert device.writes == []
    assert str(info.value).startswith("not supported by this camera (9.80.1): limits (storage_limits), "
                                      "groups (recording_groups). Nothing was changed")
    data = info.value.as_dict()
    assert data["error_class"] == "unsupported"
    assert data["not_run_steps"] == ["paint a blue"] and data["completed_steps"] == []
    assert [problem["where"] for problem in data["problems"]] == ["storage_limits", "recording_groups"]


def test_a_state_problem_with_nothing_planned_before_it_fails_the_run_before_any_write():
    device = Store(a={"colour": "blue"})
    with pytest.raises(PlanError) as info:
        converge(device, [Thing({"name": "a", "colour": "blue"}), Thing({"name": "b", "colour": "x", "after": "c"})],
                 check_mode=False)
    assert str(info.value) == "thing b needs c painted first"
    assert info.value.as_dict()["error_class"] == "invalid_argument"
    assert device.writes == []


def test_a_resource_that_needs_the_writes_before_it_is_planned_after_them():
    device = Store()
    resources = [Thing({"name": "c", "colour": "red"}), Thing({"name": "b", "colour": "x", "after": "c"})]
    planned = summarize(converge(device, resources, check_mode=True))
    assert planned["steps"] == ["paint c red"]
    assert planned["warnings"] == ["thing b is planned after the changes of the sections before it, which it "
                                   "depends on; against the camera as it is now: thing b needs c painted first"]
    assert device.writes == []
    done = summarize(converge(device, resources, check_mode=False))
    assert done["steps"] == ["paint c red", "paint b x"]
    assert device.items == {"c": {"colour": "red"}, "b": {"colour": "x"}}


def test_skip_leaves_out_what_the_camera_lacks_and_converges_the_rest():
    device = Store()
    resources = [Thing({"name": "a", "colour": "blue"}), Thing({"name": "b", "colour": "x", "lacks": "limits"})]
    resources[1].section = "storage_limits"
    result = summarize(converge(device, resources, check_mode=False, skip_unsupported=True))
    assert result["steps"] == ["paint a blue"]
    assert result["skipped_unsupported"] == [
        {"what": "thing b (storage_limits)",
         "why": "not supported by this camera: limits (the toy firmware has no limits)"}]
    assert result["warnings"] == ["skipped thing b (storage_limits): not supported by this camera: limits (the toy "
                                  "firmware has no limits)"]
    assert list(result["before"]) == ["thing a"]
    assert device.writes == [("a", {"colour": "blue"})]


def test_a_failure_after_writes_names_what_was_done_what_failed_and_what_was_not_run():
    device = Store(a={"colour": "red"})
    device.broken.add("b")
    resources = [Thing({"name": "a", "colour": "blue"}), Thing({"name": "b", "colour": "green"}),
                 Thing({"name": "c", "colour": "white"})]
    with pytest.raises(StepError) as info:
        converge(device, resources, check_mode=False)
    data = info.value.as_dict()
    assert (data["completed_steps"], data["failed_step"], data["not_run_steps"]) == (
        ["paint a blue"], "paint b green", ["paint c white"])
    assert data["error_class"] == "device"
    assert "1 change was made before it: paint a blue; not run: paint c white" in str(info.value)


def test_an_unexpected_exception_in_a_step_is_reported_with_what_was_done():
    device = Store(a={"colour": "red"})
    resource = Thing({"name": "b", "colour": "green"})
    resource.plan = lambda dev, current: [Step("boom", "explode b", lambda d: {}["missing"])]
    with pytest.raises(StepError) as info:
        converge(device, [Thing({"name": "a", "colour": "blue"}), resource], check_mode=False)
    assert isinstance(info.value.cause, KeyError)
    assert "failed with an unexpected KeyError" in str(info.value)
    assert info.value.as_dict()["completed_steps"] == ["paint a blue"]


def test_a_write_without_answer_may_have_been_applied():
    device = Store()

    def lost(d):
        d.writes.append(("a", {"colour": "blue"}))
        d.unanswered_writes += 1
        raise VapixError(None, "put.cgi", "no answer from the toy")
    resource = Thing({"name": "a", "colour": "blue"})
    resource.plan = lambda dev, current: [Step("paint", "paint a blue", lost)]
    with pytest.raises(StepError) as info:
        converge(device, [resource], check_mode=False)
    assert "its request got no answer, so it may have been applied" in str(info.value)


def test_steps_that_destroy_data_are_marked_in_check_mode_and_refused_before_any_write():
    device = Store(a={"colour": "red"}, b={"colour": "red"})
    resources = [Thing({"name": "b", "colour": "green"}), Thing({"name": "a", "colour": "blue", "repaint": True})]
    planned = summarize(converge(device, resources, check_mode=True))
    assert planned["steps"] == ["paint b green", "strip a [destructive; needs allow_data_loss]", "paint a blue"]
    assert planned["needs_allow_data_loss"] == ["strip a [destructive; needs allow_data_loss]"]
    assert planned["changed"] is True and "needs allow_data_loss" in planned["warnings"][0]
    with pytest.raises(DataLossRefused) as info:
        converge(device, resources, check_mode=False)
    assert device.writes == []
    assert info.value.as_dict()["error_class"] == "needs_allow_data_loss"
    assert info.value.as_dict()["needs_allow_data_loss"] == ["strip a [destructive; needs allow_data_loss]"]


def test_unsupported_features_and_other_problems_are_named_together_once_each():
    device = Store(c={"colour": "red"})
    resources = [Thing({"name": "a", "colour": "x", "lacks": "groups"}),
                 Thing({"name": "b", "colour": "x", "lacks": "groups"}),
                 Thing({"name": "c", "colour": "blue", "after": "d"})]
    resources[0].section = resources[1].section = "recording_groups"
    with pytest.raises(PlanError) as info:
        converge(device, resources, check_mode=True)
    assert str(info.value).startswith("not supported by this camera (9.80.1): groups (recording_groups); "
                                      "thing c needs d painted first. Nothing was changed")
    assert [problem["error_class"] for problem in info.value.as_dict()["problems"]] == [
        "unsupported", "unsupported", "invalid_argument"]


def test_what_turns_out_unsupported_only_after_the_earlier_writes_is_skipped_too():
    device = Store()

    class LacksOnceReady(Thing):
        def read(self, device):
            if device.get("c") is not None:
                raise UnsupportedError("limits", "the toy firmware has no limits")
            return Thing.read(self, device)

    def resources():
        return [Thing({"name": "c", "colour": "red"}), LacksOnceReady({"name": "b", "colour": "x", "after": "c"})]
    result = summarize(converge(device, resources(), check_mode=False, skip_unsupported=True))
    assert result["steps"] == ["paint c red"]
    assert [entry["what"] for entry in result["skipped_unsupported"]] == ["thing b"]
    with pytest.raises(StepError) as info:
        converge(Store(), resources(), check_mode=False)
    assert info.value.as_dict()["failed_step"] == "plan thing b"
    assert info.value.as_dict()["error_class"] == "unsupported"
