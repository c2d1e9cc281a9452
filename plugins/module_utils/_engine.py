# -*- coding: utf-8 -*-
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resource engine: read -> normalise -> plan -> apply -> re-read -> verify.

A :class:`Resource` is one thing a module manages (a share, a disk's settings,
a storage limit, ...). It validates its arguments without touching the
device, reads and normalises the current state through :class:`Device`,
and plans an ordered list of :class:`Step` records. :func:`converge` runs the
steps (never in check mode), re-reads and verifies that the device now holds
what was asked. ``changed`` is whether any resource planned a step; the diff
holds only the fields the user set.
"""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    ConvergeError,
    EdgeStorageError,
    StepError,
)


class Step(object):
    """One device change: what it does, whether it destroys data, and how to do it."""

    __slots__ = ("action", "description", "run", "destructive")

    def __init__(self, action, description, run, destructive=False):
        self.action = action
        self.description = description
        self.run = run
        self.destructive = destructive

    @property
    def text(self):
        if self.destructive:
            return "%s [destructive]" % self.description
        return self.description

    def __repr__(self):
        return "Step(%r)" % self.text


def marked_text(step, allowed):
    """A step's text with the data-loss marking of the result contract."""
    if step.destructive and not allowed:
        return "%s [destructive; needs allow_data_loss]" % step.description
    return step.text


class Resource(object):
    """Base of every managed resource.

    Subclasses set ``kind`` and implement ``read``, ``desired`` and ``plan``;
    they may override ``managed``, ``predict``, ``verify`` and ``state_now``.
    Arguments are validated in ``validate``, called from the constructor, so
    a wrong argument fails before the first request.
    """

    kind = "resource"

    def __init__(self, params):
        self.params = params
        self.validate()

    # -- to implement ---------------------------------------------------------------

    def validate(self):
        """Raise ValidationError for wrong arguments. No device access here."""

    @property
    def identity(self):
        """A short human name, e.g. 'share nas1'; keys the diff and the result."""
        raise NotImplementedError

    def read(self, device):
        """The current state, normalised, or None when the resource is absent."""
        raise NotImplementedError

    def desired(self):
        """The fields the user set, normalised; None when the resource should be absent."""
        raise NotImplementedError

    def plan(self, device, current):
        """The ordered steps that take the device from current to desired."""
        raise NotImplementedError

    def secrets(self):
        """Values that must be masked in any text (passwords, passphrases)."""
        return []

    # -- defaults ------------------------------------------------------------------------

    def managed(self, state):
        """The part of a state the diff shows: the fields the user set."""
        if state is None:
            return {"state": "absent"}
        wanted = self.desired()
        if wanted is None:
            return dict(state, state="present")
        shown = dict((key, state.get(key)) for key in wanted)
        shown["state"] = "present"
        return shown

    def predict(self, current, steps):
        """The state check mode expects after the steps: current updated with the desired fields."""
        wanted = self.desired()
        if not steps:
            return current
        if wanted is None:
            return None
        predicted = dict(current or {})
        predicted.update(wanted)
        return predicted

    def verify(self, current):
        """Differences between the re-read state and the desired fields, as sentences."""
        wanted = self.desired()
        if wanted is None:
            return [] if current is None else ["%s still exists" % self.identity]
        if current is None:
            return ["%s does not exist" % self.identity]
        return ["%s is %r, wanted %r" % (key, current.get(key), value)
                for key, value in sorted(wanted.items()) if current.get(key) != value]

    def state_now(self, device):
        """A sentence on the resource's state, for a failure in the middle of a plan."""
        try:
            device.invalidate()
            return repr(self.managed(self.read(device)))
        except EdgeStorageError:
            return None


class UndeclaredRemoval(Resource):
    """Removal of every item of a kind the camera has and the task does not declare.

    Serves a single module's exclusive mode (one declared item) and a
    whole-camera purge (a whole section, possibly empty: then everything of
    that kind goes). Planned before the declared items. Subclasses set
    ``kind`` (plural, e.g. 'shares') and implement ``undeclared(device)`` ->
    {key: state}, ``removal_steps(device, key, state, why)`` and ``show(state)``
    (the fields the diff shows); ``describe(key, state)`` names one item.
    """

    def __init__(self, declared, reason, params=None):
        self.declared = list(declared)
        self.reason = reason
        super(UndeclaredRemoval, self).__init__(params or {})

    def declared_names(self):
        return [item.identity for item in self.declared]

    @property
    def identity(self):
        if not self.declared:
            return "all %s (none declared)" % self.kind
        return "%s other than %s" % (self.kind, ", ".join(self.declared_names()))

    def undeclared(self, device):
        raise NotImplementedError

    def removal_steps(self, device, key, state, why):
        raise NotImplementedError

    def show(self, state):
        raise NotImplementedError

    def describe(self, key, state):
        return key

    def read(self, device):
        return self.undeclared(device)

    def desired(self):
        return {}

    def plan(self, device, current):
        why = " (not declared; %s)" % self.reason
        steps = []
        for key, state in current.items():
            steps.extend(self.removal_steps(device, key, state, why))
        return steps

    def managed(self, state):
        return dict((key, self.show(one)) for key, one in (state or {}).items())

    def predict(self, current, steps):
        return {} if steps else current

    def verify(self, current):
        return ["%s still exists" % self.describe(key, state) for key, state in current.items()]


class Outcome(object):
    __slots__ = ("resource", "before", "after", "steps")

    def __init__(self, resource, before, after, steps):
        self.resource = resource
        self.before = before
        self.after = after
        self.steps = steps


def apply_steps(device, resource, steps):
    """Run the steps in order; a failure says what was done and where the device stands."""
    done = []
    for step in steps:
        try:
            step.run(device)
        except EdgeStorageError as exc:
            raise StepError(step.description, exc, done, resource.state_now(device))
        done.append(step.description)


def converge(device, resources, check_mode):
    """Converge each resource in order; return their outcomes.

    In check mode every read happens and no write does; ``after`` is the
    predicted state. Otherwise ``after`` is what the device reports after
    the writes, and a difference from the desired state is an error.
    """
    outcomes = []
    for resource in resources:
        before = resource.read(device)
        steps = resource.plan(device, before)
        if steps and not check_mode:
            apply_steps(device, resource, steps)
            # Each write invalidated the reads it affects: the re-read asks only those again.
            after = resource.read(device)
            mismatches = resource.verify(after)
            if mismatches:
                raise ConvergeError(resource.identity, mismatches)
        else:
            after = resource.predict(before, steps)
        outcomes.append(Outcome(resource, before, after, steps))
    return outcomes


def summarize(outcomes):
    """changed, diff, before/after (managed fields only) and the step texts of a run."""
    before = {}
    after = {}
    steps = []
    for outcome in outcomes:
        before[outcome.resource.identity] = outcome.resource.managed(outcome.before)
        after[outcome.resource.identity] = outcome.resource.managed(outcome.after)
        steps.extend(step.text for step in outcome.steps)
    return {
        "changed": bool(steps),
        "steps": steps,
        "before": before,
        "after": after,
        "diff": {"before": before, "after": after},
    }
