# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resource engine: read -> normalise -> plan -> apply -> re-read -> verify.

A :class:`Resource` is one thing a module manages (a share, a disk's settings,
a storage limit, ...). It validates its arguments without touching the
device, reads and normalises the current state through :class:`Device`,
and plans an ordered list of :class:`Step` records.

:func:`converge` first plans every resource, before the first write: every
feature the camera lacks, every argument the camera's state makes wrong and
every step that would destroy recordings without ``allow_data_loss`` is
found then, and all of them are named in one failure with nothing written.
Only then does it write (never in check mode): first every step planned that
only checks (``Step.check``: a share test), so a failing check leaves the camera
as it was whatever resource it belongs to; then each resource is re-planned
after the writes of the ones before it (a share bound first changes what the
NetworkShare disk's plan sees), its steps run, and the re-read is verified.
Resources of one disk each whose steps cannot change another disk's state
(the disks' settings, storage limits) go together when they are adjacent:
re-planned together, their steps run, and one re-read verifies them all
(one list.cgi and param.cgi read for every disk, not one per disk).
A failure while writing names the steps completed, the one that failed and
the ones not run. ``changed`` is whether any step was planned or any write
sent; the diff holds only the fields the user set.
"""

from __future__ import annotations

import functools
import threading
import unicodedata

from ansible_collections.vapix.edge_storage.plugins.module_utils._device import CALLS
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    DEVICE,
    ConcurrentChangeError,
    ConflictError,
    ConvergeError,
    DataLossRefused,
    EdgeStorageError,
    PlanError,
    StepError,
    UnsupportedError,
    ValidationError,
    VapixError,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._options import given_disk_id

# The marks a destructive step's text ends with.
DESTRUCTIVE = " [destructive]"
NEEDS_DATA_LOSS = " [destructive; needs allow_data_loss]"


class Step:
    """One device change: what it does, whether it destroys data, and how to do it.

    ``reason`` may say why a destructive step is needed, for the refusal
    without the opt-in. ``needs_opt_in`` is set by the engine on a
    destructive step whose resource lacks ``allow_data_loss``.
    ``writes_controller`` marks a step whose change is on the controller (an
    export's file): done, it is a change though no request to the camera wrote.
    ``check`` marks a step that writes nothing and checks what later steps need
    (a share test): :func:`converge` sets ``early`` on each one planned before the
    first write, and a real run runs those before any write of the run (an
    undeclared share's removal planned before it included), once.
    ``confirm``, when given, is what a step that ran makes sure of once the
    verifying re-read of its batch is in (:func:`apply_all`), before the
    verification: it reads that re-read, and may write to repair a concurrent
    change (a continuous profile's twin check).
    ``params`` holds the parameters of a step that is one param.cgi update
    and nothing else ({name: value}): such steps of one batch's resources,
    each the first of its resource, are sent as one update (:func:`apply_all`).
    """

    __slots__ = ("action", "description", "run", "destructive", "reason", "needs_opt_in", "writes_controller",
                 "check", "early", "confirm", "params")

    def __init__(self, action, description, run, destructive=False, reason=None, writes_controller=False,
                 check=False, confirm=None, params=None):
        self.action = action
        self.description = description
        self.run = run
        self.destructive = destructive
        self.reason = reason
        self.needs_opt_in = False
        self.writes_controller = writes_controller
        self.check = check
        self.early = False
        self.confirm = confirm
        self.params = params

    @property
    def refusal(self):
        """The text of a step refused for want of the opt-in, with why it is needed."""
        return f"{self.text} ({self.reason})" if self.reason else self.text

    @property
    def text(self):
        if self.needs_opt_in:
            return self.description + NEEDS_DATA_LOSS
        if self.destructive:
            return self.description + DESTRUCTIVE
        return self.description

    def __repr__(self):
        return "Step(%r)" % self.text


# How an item a removal step was planned for is found on a fresh read (see removal): gone, or, for a step on
# the way to its removal, released already. Each: (the item ..., another run or a person ..., this run's ...).
GONE = ("is gone", "removed it first", "removal")
RELEASED = ("is no longer bound", "released it first", "release")
UNMOUNTED = ("is no longer mounted", "unmounted it first", "unmount")


def removal(what, run, gone, final=True):
    """The run of a step that removes one item (what names it), or releases it on the way to its removal: when
    the camera refuses the request (a device error) and gone(device), a fresh read, finds the item no longer as
    the step was planned for (True or GONE: not listed; RELEASED, UNMOUNTED: a release step found done),
    another run or a person got there first, or the camera carried out this step and answered it with an
    error: which, nothing tells. The step then fails with a ConcurrentChangeError saying both, not with the
    camera's refusal alone. final says the item's absence is what the task declares (not a removal before it
    is made again); a release found done leaves the removal itself to a rerun.

    The run still fails: this run planned on a camera someone else was changing. A refusal whose re-read cannot
    be trusted, or finds the item as planned, stands as the camera gave it.
    """
    def attempt(device):
        try:
            run(device)
        except VapixError as exc:
            found = _found_gone(device, gone) if exc.error_class == DEVICE else False
            if not found:
                raise
            state, done, step = GONE if found is True else found
            then = ("it is absent as declared, so running the task again has nothing to do for it"
                    if final and state == GONE[0] else "run the task again to converge")
            raise ConcurrentChangeError(
                "%s %s: another run or a person %s, or the camera carried out this run's %s and answered it with "
                "an error (the camera refused this run's %s: %s); %s" % (what, state, done, step, step, exc, then),
                refused=exc) from exc
    return attempt


def creation(what, run, present):
    """The run of a step that creates one item (what names it): when the camera refuses the request (a device
    error) and present(device), a fresh read, finds the item there (True: as declared; False: otherwise),
    another run or a person created it first, or the camera carried out this run's creation and answered it
    with an error: the step fails with a ConcurrentChangeError saying both, not with the camera's refusal alone.
    present returns None when the item is not there: the refusal then stands as the camera gave it, as it does
    when the re-read fails."""
    def attempt(device):
        try:
            run(device)
        except VapixError as exc:
            if exc.error_class != DEVICE:
                raise
            try:
                found = present(device)
            except EdgeStorageError:
                found = None
            if found is None:
                raise
            then = ("it is as declared, so running the task again has nothing to do for it" if found
                    else "run the task again to converge")
            raise ConcurrentChangeError(
                "%s exists: another run or a person created it first, or the camera carried out this run's creation "
                "and answered it with an error (the camera refused this run's creation: %s); %s" % (what, exc, then),
                refused=exc) from exc
    return attempt


def _found_gone(device, gone):
    """gone(device), False when the re-read fails (unknown is not gone)."""
    try:
        return gone(device)
    except EdgeStorageError:
        return False


class Resource:
    """Base of every managed resource.

    Subclasses set ``kind`` and implement ``read``, ``desired`` and ``plan``;
    they may override ``managed``, ``predict``, ``verify`` and ``state_now``.
    Arguments are validated in ``validate``, called from the constructor, so
    a wrong argument fails before the first request.

    ``section`` is the whole-camera section the resource belongs to (None in
    a single module). With ``skip_unsupported`` set (``unsupported: skip``) a
    resource may leave out single options the camera lacks, each recorded in
    ``skipped`` as {what, why}; ``warnings`` collects what the user should
    read.
    """

    kind = "resource"
    section = None
    # The resources of the same whole-camera section declared before this one, which the run applies first; set
    # by in_declared_order.
    earlier = ()
    skip_unsupported = False
    # True where the steps of one resource of this kind never change the state or the plan of another
    # of the same kind with another identity (each acts on its own disk): see apply_all.
    independent_of_its_kind = False
    # The Device calls (entries of _device.CALLS) this kind's steps may send, declared by a kind that may share a
    # batch with resources of other kinds (see _batches); None: a batch of its own kind only.
    write_calls = None
    # The cached families (Device.read_together) read() needs whatever the arguments, and those plan() needs
    # besides: read together before the plans, and after each batch of writes for its verification and the
    # next batch's plans. What only some arguments or states need is read when it is needed.
    reads = ()
    plan_reads = ()
    # True for a kind whose plans may hold steps that only check (Step.check: a share test): a real run starts
    # them while it reads what the resources after the last such one need (see plan_all).
    plans_checks = False

    def __init__(self, params):
        self.params = params
        self.skipped = []
        self.warnings = []
        self.validate()

    @property
    def allows_data_loss(self):
        """Whether the user opted in to steps that destroy recordings."""
        return bool(self.params.get("allow_data_loss"))

    @property
    def label(self):
        """The identity, with the section of a whole-camera run: 'storage limit SD_DISK (storage_limits)'."""
        return f"{self.identity} ({self.section})" if self.section else self.identity

    def skip(self, what, why):
        """Leave out something the camera lacks (unsupported: skip); it is reported and warned about."""
        self.skipped.append({"what": what, "why": why})
        self.warnings.append(f"skipped {what}: {why}")

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

    def disks(self, device):
        """The disk ids whose state this resource's plan reads and its steps change, or None for any disk (the
        default). plan_all leaves a refusal of a resource's plan for after the changes planned before it only
        when those may change a disk it reads (see plan_all)."""
        return None

    # -- defaults ------------------------------------------------------------------------

    def managed(self, state):
        """The part of a state the diff shows: the fields the user set."""
        if state is None:
            return {"state": "absent"}
        wanted = self.desired()
        if wanted is None:
            return dict(state, state="present")
        shown = {key: state.get(key) for key in wanted}
        shown["state"] = "present"
        return shown

    def predict(self, current, steps):
        """The state check mode expects after the steps: current updated with the desired fields."""
        if not steps:
            return current
        return self.as_declared(current)

    def as_declared(self, current):
        """current updated with the desired fields; None when the resource should be absent."""
        wanted = self.desired()
        if wanted is None:
            return None
        predicted = dict(current or {})
        predicted.update(wanted)
        return predicted

    def compared(self, current):
        """The desired fields as verify compares them with current (a resource may take a value the camera
        lists in another spelling of the same value as it lists it); desired() unless overridden."""
        return self.desired()

    def verify(self, current):
        """Differences between the re-read state and the desired fields, as sentences."""
        wanted = self.compared(current)
        if wanted is None:
            return [] if current is None else ["%s still exists" % self.identity]
        if current is None:
            return ["%s does not exist" % self.identity]
        return [f"{key} is {current.get(key)!r}, wanted {value!r}"
                for key, value in sorted(wanted.items()) if current.get(key) != value]

    def state_now(self, device):
        """A sentence on the resource's state, for a failure in the middle of a plan."""
        try:
            device.invalidate()
            return repr(self.managed(self.read(device)))
        except EdgeStorageError:
            return None


def in_declared_order(resources):
    """Tell each resource of a whole-camera section the ones declared before it (Resource.earlier): what they
    keep, add or release is planned as done when its own plan is made."""
    for index, resource in enumerate(resources):
        resource.earlier = tuple(resources[:index])


class OneDiskResource(Resource):
    """A resource of one disk, the one its disk_id option names; its identity is '<kind> <disk id>'.

    Subclasses check their other options after this class's validate has set ``disk_id``.
    """

    def validate(self):
        self.disk_id = given_disk_id(self.params)

    @property
    def identity(self):
        return f"{self.kind} {self.disk_id}"

    def disks(self, device):
        return {self.disk_id}


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
        super().__init__(params or {})

    def declared_names(self):
        return [item.identity for item in self.declared]

    @property
    def identity(self):
        if not self.declared:
            return "all %s (none declared)" % self.kind
        return "{} other than {}".format(self.kind, ", ".join(self.declared_names()))

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
        return {key: self.show(one) for key, one in (state or {}).items()}

    def predict(self, current, steps):
        return {} if steps else current

    def verify(self, current):
        return ["%s still exists" % self.describe(key, state) for key, state in current.items()]


# The state of a resource whose read failed when every resource was planned (see Outcome.first).
UNREAD = object()


class Outcome:
    """One resource of a run: its state before and after and the steps planned (done, in a real run).

    ``planned`` is False for a resource left out (unsupported: skip) or whose
    plan waits for the writes of earlier resources (check mode). ``first`` is
    the state read when every resource was planned, before the first write
    (UNREAD when that read failed): what a real run reports as ``before``,
    also for a resource planned again after the writes of earlier ones.
    """

    __slots__ = ("resource", "before", "after", "steps", "planned", "problem", "first")

    def __init__(self, resource, before, after, steps, planned=True, problem=None, first=UNREAD):
        self.resource = resource
        self.before = before
        self.after = after
        self.steps = steps
        self.planned = planned
        self.problem = problem
        self.first = before if planned and first is UNREAD else first


def mark_opt_in(resource, steps):
    for step in steps:
        step.needs_opt_in = step.destructive and not resource.allows_data_loss
    return steps


def opt_in_warnings(steps):
    """Check mode's warning about the steps that destroy recordings without the opt-in (a real run refuses them
    before any write, with refuse_data_loss); none when there are none."""
    refused = [step for step in steps if step.needs_opt_in]
    if not refused:
        return []
    return ["%d step(s) would destroy recordings and need allow_data_loss: true; a real run refuses them before any "
            "write: %s" % (len(refused), "; ".join(step.refusal for step in refused))]


def refuse_data_loss(steps, not_run=(), before_any_write=True, assumed=True):
    """DataLossRefused for the steps that destroy recordings without the opt-in, if any; assumed=False for steps
    that remove recordings the camera listed (DataLossRefused)."""
    refused = [step for step in steps if step.needs_opt_in]
    if refused:
        raise DataLossRefused([step.text for step in refused], not_run=not_run, before_any_write=before_any_write,
                              explained=[step.refusal for step in refused], assumed=assumed)


def _firmware(device):
    try:
        return device.firmware_version()
    except EdgeStorageError:
        return None


def plan_all(device, resources, skip_unsupported=False, conflicts=None, checks_ahead=False):
    """Read and plan every resource against the camera as it is, before any write.

    With checks_ahead (a real run), the steps that only check (share tests) of the resources up to the last
    kind that plans them run while the families the resources after them need are read (see
    _checks_beside_reads); the run reports each where it reports a check, before its first write.

    Returns an Outcome per resource with the predicted state. Raises
    PlanError naming every problem at once: features the camera lacks
    (unless skipped), arguments the camera's state makes wrong, and what
    conflicts(outcomes) finds the plans of different resources would undo of
    each other. A resource whose plan fails on the camera's state while an
    earlier resource plans changes to a disk it reads (see Resource.disks) is
    not a problem yet: those changes may be what it needs (a share bound
    before its disk is mounted), so it is planned again after them in the
    real run. A refusal no earlier change can lift (a card not inserted,
    beside a share bound first), or one whose plan took those changes into
    account already (a ConflictError ``whatever_comes_first``), is a problem
    now, before any write.
    """
    outcomes = []
    changing = []   # the resources planned so far with steps
    lead = _checking_lead(resources) if checks_ahead else len(resources)
    device.read_together(_families(resources[:lead], plans=True))
    problems = _unsendable_text(device, resources)
    for number, resource in enumerate(resources):
        if number == lead:
            _checks_beside_reads(device, outcomes, problems, resources[lead:])
        resource.skip_unsupported = skip_unsupported
        before = UNREAD
        try:
            before = resource.read(device)
            steps = mark_opt_in(resource, resource.plan(device, before))
        except UnsupportedError as exc:
            if skip_unsupported:
                resource.skip(resource.label, str(exc))
                outcomes.append(Outcome(resource, None, None, [], planned=False))
            else:
                problems.append((resource.section, exc))
            continue
        except (ValidationError, ConflictError) as exc:
            if not _may_change(device, changing, resource) or getattr(exc, "whatever_comes_first", False):
                problems.append((resource.section, exc))
                continue
            resource.warnings.append("%s is planned after the changes of the sections before it, which it depends "
                                     "on; against the camera as it is now: %s" % (resource.label, exc))
            outcomes.append(Outcome(resource, None, None, [], planned=False, problem=exc, first=before))
            continue
        outcomes.append(Outcome(resource, before, resource.predict(before, steps), steps))
        if steps:
            changing.append(resource)
    if conflicts is not None:
        problems.extend(conflicts(outcomes))
    if problems:
        # A check that ran ahead and failed is a problem too (it is not a step left to run).
        problems.extend((outcome.resource.section, _failed_ahead(step)) for outcome in outcomes
                        for step in outcome.steps if _failed_ahead(step) is not None)
        raise PlanError(problems, _firmware(device), not_run=_texts(outcomes))
    return outcomes


def _checking_lead(resources):
    """How many of the resources are planned before their checks start: up to the last of a kind that plans
    checks (Resource.plans_checks); all of them when none does, or when no resource comes after it."""
    last = max((number for number, resource in enumerate(resources) if resource.plans_checks), default=None)
    return len(resources) if last is None else last + 1


def _checks_beside_reads(device, outcomes, problems, rest):
    """Read the families the rest need, and meanwhile run the checks the outcomes planned (share tests: a job
    polled for a few tenths of a second at least), each replaced by its outcome for the run to report where it
    reports a check (apply_all). Without a check to run, or when a plan failed already, only read."""
    checks = [step for outcome in outcomes for step in outcome.steps if step.check]
    families = _families(rest, plans=True)
    if problems or not checks:
        device.read_together(families)
        return
    failure = []

    def read():
        try:
            # The check is a request under way too: the reads beside it take one connection less (parallel_reads).
            device.read_together(families, at_once=device.read_threads - 1)
        except BaseException as exc:  # pylint: disable=broad-except  # raised in the run's thread, below
            failure.append(exc)
    reader = threading.Thread(target=read, name="plan reads", daemon=True)
    reader.start()
    try:
        for step in checks:
            step.run = _ran(step.run, device)
            if step.run is not _checked_ahead:
                break   # it failed: the run stops there, the checks after it are not reached
    finally:
        reader.join()
    if failure:
        raise failure[0]


def _checked_ahead(_device):
    """The replay of a check that passed when it ran ahead."""


def _ran(run, device):
    """Run the check now: _checked_ahead when it passed, else a replay that raises its error again."""
    try:
        run(device)
    except Exception as exc:  # pylint: disable=broad-except  # raised again where the run reports the check
        return functools.partial(_raise, exc)
    return _checked_ahead


def _raise(error, _device):
    """The replay of a check that failed when it ran ahead: its error."""
    raise error


def _disks(resource, device):
    """resource.disks(device); None (any disk) when the camera's answers needed for it cannot be read."""
    try:
        return resource.disks(device)
    except EdgeStorageError:
        return None


def _may_change(device, changing, resource):
    """Whether the steps of the resources changing may change a disk resource reads (asked only when a refusal
    needs it: what a resource's disks are may take a read)."""
    if not changing:
        return False
    disks = _disks(resource, device)
    if disks is None:
        return True
    for earlier in changing:
        touched = _disks(earlier, device)
        if touched is None or touched & disks:
            return True
    return False


def _named_characters(chars):
    """The characters quoted; those that show as nothing on their own (a combining accent, a format or blank
    character) named by code point and name too, e.g. U+0301 COMBINING ACUTE ACCENT."""
    named = [f"U+{ord(char):04X} {unicodedata.name(char, '')}".strip() for char in chars
             if unicodedata.category(char)[0] in "MCZ"]
    return f"'{chars}'" + (" (%s)" % ", ".join(named) if named else "")


def _unsendable_text(device, resources):
    """(section, ValidationError) per resource whose declared text the camera cannot take: firmware that keeps its
    text in ISO-8859-1 (its answers say so; the client then sends requests in it) cannot hold a character outside
    it, and finding that at the request would be after the writes before it. Secrets are named, never shown."""
    foreign = getattr(getattr(device, "client", None), "foreign", None)
    if foreign is None:
        return []
    problems = []
    for resource in resources:
        secrets = [secret for secret in resource.secrets() if secret]
        found = []

        def walk(value, where):
            if isinstance(value, dict):
                for key, item in value.items():
                    walk(item, f"{where}.{key}" if where else str(key))
            elif isinstance(value, (list, tuple)):
                for item in value:
                    walk(item, where)
            elif isinstance(value, str) and foreign(value):
                if value in secrets:
                    shown.add(value)
                    found.append(f"{where} (a secret)")
                    return
                found.append(f"{where} ({_named_characters(foreign(value))})")
                composed = unicodedata.normalize("NFC", value)
                if not foreign(composed):
                    # Decomposed letters (NFD: e and a combining accent, as some editors write them).
                    fits.append(f"{where} as {composed!r}")
        shown = set()
        fits = []
        walk(resource.desired() or {}, "")
        found.extend("a secret option" for secret in secrets if foreign(secret) and secret not in shown)
        if found:
            charset = device.client.request_charset.upper()
            problems.append((resource.section, ValidationError(
                "%s: this camera keeps its text in %s (its answers declare that charset), which cannot hold the "
                "characters of %s; use only characters of %s%s" % (
                    resource.label, charset, ", ".join(found), charset,
                    "" if not fits else "; with its accents composed (NFC) the text fits: write %s" % ", ".join(fits)))))
    return problems


def _families(resources, plans):
    """The cached families the resources' reads need (with plans: and their plans), in their order."""
    return [family for resource in resources
            for family in resource.reads + (resource.plan_reads if plans else ())]


def _texts(outcomes):
    """The texts of the outcomes' steps, but the checks that ran ahead (see _checks_beside_reads)."""
    return [step.text for outcome in outcomes for step in outcome.steps if not _ran_ahead(step)]


def _ran_ahead(step):
    return step.run is _checked_ahead or _failed_ahead(step) is not None


def _failed_ahead(step):
    """The error of a check that ran ahead and failed (its replay: see _ran), else None."""
    return step.run.args[0] if getattr(step.run, "func", None) is _raise else None


def _descriptions(outcomes):
    """The descriptions of the outcomes' steps a real run has still to run (not the checks it ran first)."""
    return [step.description for outcome in outcomes for step in outcome.steps if not step.early]


class _Progress:
    """What a real run has done so far, for the report of a failure."""

    def __init__(self, device):
        self.device = device
        self.done = []
        self.changes = []

    def fail(self, step, exc, not_run, resource=None, unanswered=False):
        state_now = resource.state_now(self.device) if resource is not None else None
        return StepError(step, exc, self.done, state_now=state_now, changes=self.changes, not_run=not_run,
                         unanswered=unanswered)

    def run_params_together(self, first_steps, later):
        """Send the steps ([(resource, step)], each a param.cgi update: Step.params) as one update."""
        values = {}
        for _resource, step in first_steps:
            values.update(step.params)
        described = " and ".join(step.description for _resource, step in first_steps)
        writes = self.device.write_count
        unanswered = self.device.unanswered_writes
        try:
            self.device.update_params(values)
        except Exception as exc:  # pylint: disable=broad-except  # reported with what the run had done
            unanswered = self.device.unanswered_writes > unanswered
            states = [(resource.identity, resource.state_now(self.device)) for resource, _step in first_steps]
            raise StepError(described, exc, self.done, changes=self.changes, not_run=later, unanswered=unanswered,
                            state_now="; ".join(f"{identity} {state}" for identity, state in states if state)
                            or None) from exc
        self.done.extend(step.description for _resource, step in first_steps)
        if self.device.write_count > writes:
            self.changes.extend(step.description for _resource, step in first_steps)

    def run(self, resource, steps, later):
        """Run the steps in order; a failure says what was done, what was not, and where the device stands."""
        for index, step in enumerate(steps):
            writes = self.device.write_count
            unanswered = self.device.unanswered_writes
            try:
                step.run(self.device)
            except Exception as exc:  # pylint: disable=broad-except  # reported with what the run had done
                raise self.fail(step.description, exc, [s.description for s in steps[index + 1:]] + later, resource,
                                unanswered=self.device.unanswered_writes > unanswered)
            self.done.append(step.description)
            if self.device.write_count > writes or step.writes_controller:
                self.changes.append(step.description)


def apply_steps(device, resource, steps):
    """Run one resource's steps in order; a failure says what was done, what was not and where the device stands."""
    _Progress(device).run(resource, steps, [])


# The families a plan may read when it needs them, besides those its resource declares (reads, plan_reads): the
# disk it names, the properties that gate a feature or cap a count, the API versions. A kind that writes one of
# them shares no batch with another kind.
READ_WHEN_NEEDED = ("disks", "storage_params", "properties", "apidiscovery")


def _written(resource):
    """The cached families the resource's steps may change, or None when its kind does not declare them."""
    if resource.write_calls is None:
        return None
    return {family for name in resource.write_calls for family in CALLS[name].invalidates}


def _independent(resource, other):
    """Whether the two may be planned before either writes and verified after both wrote: of one kind, when the
    kind says so and they differ in identity; of two kinds, when neither kind's writes change what the other's
    plan or verification reads."""
    if resource.identity == other.identity:
        return False
    if resource.kind == other.kind:
        return resource.independent_of_its_kind and other.independent_of_its_kind
    written, others_written = _written(resource), _written(other)
    if written is None or others_written is None:
        return False
    return not (written & _read_by(other) or others_written & _read_by(resource))


def _read_by(resource):
    return set(resource.reads + resource.plan_reads + READ_WHEN_NEEDED)


def _batches(planned):
    """planned cut into what is applied together: adjacent resources each independent of the others (see
    _independent: the settings of two disks; a storage limit, a continuous profile and a recording group) form one
    batch; every other resource is one."""
    batches = []
    for outcome in planned:
        batch = batches[-1] if batches else []
        if batch and all(_independent(outcome.resource, other.resource) for other in batch):
            batch.append(outcome)
        else:
            batches.append([outcome])
    return batches


def apply_all(device, planned):
    """Write: re-plan each batch (see _batches) after the writes before it, run its steps, re-read once and verify
    each of its resources.

    Within a batch every resource is planned before the first of its writes, and verified after the last: a
    failure names every step of the batch that was done, and a resource whose write did not take is found by
    the one re-read after them. What the batch's steps confirm (Step.confirm) runs on that re-read, before any
    verification; when a step of the batch fails, on what is read then. The param.cgi updates that are the first
    steps of two or more of a batch's resources (two disks' settings) are sent as one update.
    """
    progress = _Progress(device)
    early = [(outcome.resource, step) for outcome in planned for step in outcome.steps if step.early]
    for number, (resource, step) in enumerate(early):
        progress.run(resource, [step], [other.description for _resource, other in early[number + 1:]]
                     + [other.description for outcome in planned for other in outcome.steps if not other.early])
    checked = {step.description: step for _resource, step in early}
    writes_at_plan = device.write_count
    outcomes = []
    position = 0
    batches = _batches(planned)
    for index, batch in enumerate(batches):
        position += len(batch)
        after_batch = _descriptions(planned[position:])
        pending = []   # the batch's Outcomes (also in outcomes): run, then verified (their 'after')
        for offset, outcome in enumerate(batch):
            resource = outcome.resource
            if not outcome.planned and outcome.problem is None:
                # Left out: the camera lacks it (unsupported: skip).
                outcomes.append(outcome)
                continue
            if outcome.planned and device.write_count == writes_at_plan:
                before, steps = outcome.before, outcome.steps
            else:
                not_run = _descriptions(pending) + _descriptions(batch[offset:]) + after_batch
                try:
                    before = resource.read(device)
                    steps = mark_opt_in(resource, resource.plan(device, before))
                    refuse_data_loss(steps, before_any_write=False)
                except UnsupportedError as exc:
                    if not resource.skip_unsupported:
                        raise progress.fail("plan %s" % resource.label, exc, not_run)
                    resource.skip(resource.label, str(exc))
                    outcomes.append(Outcome(resource, None, None, [], planned=False))
                    continue
                except Exception as exc:  # pylint: disable=broad-except  # reported with what the run had done
                    raise progress.fail("plan %s" % resource.label, exc, not_run)
                # A check the run made before its first write is not made again: it is the step that ran.
                steps = [checked.get(step.description, step) if step.check else step for step in steps]
            # The state before the run, not the one earlier writes left: what the diff compares the end with.
            first = before if outcome.first is UNREAD else outcome.first
            pending.append(Outcome(resource, first, before, steps))
            outcomes.append(pending[-1])
        # The steps left to run, by Outcome; the first ones that are param.cgi updates go as one request.
        to_run = {id(run): [step for step in run.steps if not step.early] for run in pending}
        updates = [run for run in pending if to_run[id(run)] and to_run[id(run)][0].params is not None]
        try:
            if len(updates) > 1:
                together = [(run.resource, to_run[id(run)].pop(0)) for run in updates]
                left = [step.description for run in pending for step in to_run[id(run)]]
                progress.run_params_together(together, left + after_batch)
            for number, run in enumerate(pending):
                progress.run(run.resource, to_run[id(run)],
                             [step.description for later in pending[number + 1:] for step in to_run[id(later)]]
                             + after_batch)
        except StepError as failure:
            done = set(progress.done)
            _confirm_after(device, failure, [step for run in pending for step in run.steps
                                             if step.confirm is not None and step.description in done])
            raise
        # What the verification re-reads, and what the next batch's plans read once something was written.
        upcoming = []
        if device.write_count != writes_at_plan and index + 1 < len(batches):
            upcoming = [outcome.resource for outcome in batches[index + 1]
                        if outcome.planned or outcome.problem is not None]
        device.read_together(_families([run.resource for run in pending if run.steps], plans=False)
                             + _families(upcoming, plans=True))
        # Every confirmation first: a verification that fails (of another resource) does not leave one undone.
        for run in pending:
            try:
                for step in run.steps:
                    if step.confirm is not None:
                        step.confirm(device)
            except Exception as exc:  # pylint: disable=broad-except  # reported with what the run had done
                raise progress.fail("check that %s converged" % run.resource.label, exc, after_batch)
        for run in pending:
            if not run.steps:
                continue
            try:
                # Each write invalidated the reads it affects: the re-read asks only those again.
                run.after = run.resource.read(device)
                mismatches = run.resource.verify(run.after)
                if mismatches:
                    raise ConvergeError(run.resource.identity, mismatches)
            except Exception as exc:  # pylint: disable=broad-except  # reported with what the run had done
                raise progress.fail("check that %s converged" % run.resource.label, exc, after_batch)
    _check_still_converged(device, progress, outcomes)
    return outcomes


def _confirm_after(device, failure, steps):
    """What the steps done confirm (Step.confirm), made sure of when a later step of their batch failed (no
    verifying re-read comes then): a twin check is not left undone. What a confirmation found or did is added to
    the failure's message."""
    for step in steps:
        try:
            step.confirm(device)
        except Exception as exc:  # pylint: disable=broad-except  # said with the failure that came first
            failure.tell_also(f"then, making sure of what '{step.description}' did: {exc}")


def _check_still_converged(device, progress, outcomes):
    """After the last write, check every resource of the run again against the camera as the run leaves it.

    A batch is verified right after its own writes; a later one may undo it (encryption formats a disk the
    disks section formatted otherwise; a disk section unmounts what a share bound). Such a run fails here,
    naming what changed, instead of reporting a state the camera no longer has. Only the families later writes
    made stale are read again (most runs read nothing more). What a resource already differed in when it was
    planned or verified (nothing, as a rule) is not counted again.
    """
    planned = [outcome for outcome in outcomes if outcome.planned]
    device.read_together(_families([outcome.resource for outcome in planned], plans=False))
    for outcome in planned:
        resource = outcome.resource
        try:
            known = set(resource.verify(outcome.after))
            now = resource.read(device)
            changed = [mismatch for mismatch in resource.verify(now) if mismatch not in known]
            if changed:
                raise ConvergeError(resource.identity, changed)
        except Exception as exc:  # pylint: disable=broad-except  # reported with what the run had done
            raise progress.fail("check that %s still holds after the steps that followed it" % resource.label,
                                exc, [])
        outcome.after = now


def converge(device, resources, check_mode, skip_unsupported=False, conflicts=None):
    """Plan every resource, then (unless check mode) apply them in order; return their outcomes.

    In check mode every read happens and no write does; ``after`` is the
    predicted state. Otherwise ``after`` is what the device reports after
    the writes, and a difference from the desired state is an error. Steps
    that destroy recordings without ``allow_data_loss`` are shown in check
    mode and refused in a real run before any write. The checks planned
    (``Step.check``) run before the first write, and are listed first.
    """
    planned = plan_all(device, resources, skip_unsupported, conflicts, checks_ahead=not check_mode)
    for outcome in planned:
        for step in outcome.steps:
            step.early = step.check
    if check_mode:
        return planned
    try:
        refuse_data_loss([step for outcome in planned for step in outcome.steps], not_run=_texts(planned))
    except DataLossRefused as refusal:
        for outcome in planned:
            for step in outcome.steps:
                if _failed_ahead(step) is not None:
                    refusal.tell_also(f"besides, '{step.description}' failed: {_failed_ahead(step)}")
        raise
    if not any(outcome.steps or outcome.problem for outcome in planned):
        return planned
    return apply_all(device, planned)


def summarize(outcomes, diff_mode=False):
    """The result of a run: changed, steps, before/after (managed fields only), skipped, needs_allow_data_loss,
    warnings; ``diff`` (before and after again, for Ansible's diff display) only in diff_mode (``--diff``)."""
    before = {}
    after = {}
    early = [step.text for outcome in outcomes for step in outcome.steps if step.early]
    steps = []
    skipped = []
    warnings = []
    refused = []
    for outcome in outcomes:
        resource = outcome.resource
        skipped.extend(resource.skipped)
        warnings.extend(resource.warnings)
        steps.extend(step.text for step in outcome.steps if not step.early)
        refused.extend(step for step in outcome.steps if step.needs_opt_in)
        if not outcome.planned:
            if outcome.problem is not None and outcome.first is not UNREAD:
                # Check mode, a resource planned after the changes before it (see plan_all): its warning says
                # why; the diff shows it as it is and as it is declared, what the real run will plan for.
                before[resource.identity] = resource.managed(outcome.first)
                after[resource.identity] = resource.managed(resource.as_declared(outcome.first))
            continue
        before[resource.identity] = resource.managed(outcome.before)
        after[resource.identity] = resource.managed(outcome.after)
    warnings.extend(opt_in_warnings(refused))
    steps = early + steps
    result = {
        "changed": bool(steps),
        "steps": steps,
        "before": before,
        "after": after,
        # Not "skipped": Ansible reports a task whose result has a true "skipped" as skipped, hiding its changes.
        "skipped_unsupported": skipped,
        "needs_allow_data_loss": [step.text for step in refused],
        "warnings": warnings,
    }
    if diff_mode:
        result["diff"] = {"before": before, "after": after}
    return result
