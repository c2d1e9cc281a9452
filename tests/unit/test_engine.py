# -*- coding: utf-8 -*-
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
    StepError,
    ValidationError,
    VapixError,
)


class Store(object):
    """A device holding named dicts; counts reads and writes."""

    def __init__(self, **items):
        self.items = dict(items)
        self.reads = 0
        self.writes = []
        self.invalidations = 0
        self.broken = set()
        self.ignore_writes = False

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
        return device.get(self.params["name"])

    def desired(self):
        return {"colour": self.params["colour"]}

    def plan(self, device, current):
        steps = []
        name = self.params["name"]
        if current is None or current.get("colour") != self.params["colour"]:
            if self.params.get("repaint"):
                steps.append(Step("strip", "strip %s" % name, lambda d: d.put(name, colour=None),
                                  destructive=True))
            steps.append(Step("paint", "paint %s %s" % (name, self.params["colour"]),
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
    outcome, = converge(device, [Thing({"name": "a", "colour": "blue", "repaint": True})], check_mode=False)
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
    with pytest.raises(ConvergeError) as info:
        converge(device, [Thing({"name": "a", "colour": "blue"})], check_mode=False)
    assert info.value.mismatches == ["colour is 'red', wanted 'blue'"]
    assert "thing a did not converge" in str(info.value)


def test_a_failed_step_says_what_was_done_and_where_the_device_stands():
    device = Store(a={"colour": "red"})
    resource = Thing({"name": "a", "colour": "blue", "repaint": True})
    steps = resource.plan(device, device.get("a"))
    steps[1] = Step("paint", "paint a blue", lambda d: (d.broken.add("a"), d.put("a", colour="blue")))
    resource.plan = lambda dev, current: steps
    with pytest.raises(StepError) as info:
        converge(device, [resource], check_mode=False)
    error = info.value
    assert error.step == "paint a blue" and error.done == ["strip a"]
    assert error.as_dict()["code"] == 20
    assert "steps completed before it: strip a" in str(error)
    assert "the device is now: {'colour': None, 'state': 'present'}" in str(error)


def test_summary_changed_steps_and_diff_of_managed_fields_only():
    device = Store(a={"colour": "red", "size": 3}, b={"colour": "green"})
    outcomes = converge(device, [Thing({"name": "a", "colour": "blue", "repaint": True}),
                                 Thing({"name": "b", "colour": "green"})], check_mode=True)
    summary = summarize(outcomes)
    assert summary["changed"] is True
    assert summary["steps"] == ["strip a [destructive]", "paint a blue"]
    assert summary["before"] == {"thing a": {"colour": "red", "state": "present"},
                                 "thing b": {"colour": "green", "state": "present"}}
    assert summary["after"]["thing a"] == {"colour": "blue", "state": "present"}
    assert summary["diff"] == {"before": summary["before"], "after": summary["after"]}


def test_summary_of_nothing_to_do_is_unchanged():
    device = Store(a={"colour": "blue"})
    summary = summarize(converge(device, [Thing({"name": "a", "colour": "blue"})], check_mode=False))
    assert summary["changed"] is False and summary["steps"] == []
    assert summary["before"] == summary["after"]


def test_absent_resource_shows_as_absent():
    resource = Thing({"name": "z", "colour": "blue"})
    assert resource.managed(None) == {"state": "absent"}
    assert resource.verify(None) == ["thing z does not exist"]
