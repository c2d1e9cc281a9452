# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every failure the collection can report, and the one table that turns a
device error code into a sentence a person understands.

Nothing here knows about Ansible: the module base turns these exceptions into
``fail_json``.
"""

from __future__ import annotations

import functools
import html.entities
import json
import re

MASK = "********"

# error_class values of the result (the contract every module's result follows).
REFUSED = "refused"
TIMEOUT = "timeout"
DNS = "dns"
TLS = "tls"
NOT_TLS = "not_tls"
AUTH = "auth"
FORBIDDEN = "forbidden"
NOT_VAPIX = "not_vapix"
DEVICE = "device"
DAMAGED_ANSWER = "damaged_answer"


# API family names, as apidiscovery spells them where it has them.
DISK_MANAGEMENT = "disk-management"
DISK_PROPERTIES = "disk-properties"
NETWORK_SHARE = "disk-network-share"
STORAGE_LIMIT = "recording-storage-limit"
RECORDING = "recording"
RECORDING_GROUP = "recording-group"
EXPORT = "recording-export"
PARAM = "param-cgi"
API_DISCOVERY = "api-discovery"

# What the device's numeric codes mean, with what to do about it. Codes shared
# by every XML family (10, 20, 40) are keyed by None.
_COMMON = {
    10: "the device hit an internal error while processing the request; retry, and check the device log if it persists",
    20: "the device rejected the request as invalid",
    40: "the device does not support the requested XML schema version",
}

DEVICE_ERRORS = {
    DISK_PROPERTIES: {
        30: "the file system is not supported as required file system on this disk (see the disk's capabilities)",
        50: "no disk with this disk id",
        100: "this disk does not support encryption",
        110: "the passphrase was rejected (empty or longer than 512 bytes)",
        120: "the new passphrase was rejected (empty or longer than 512 bytes)",
        130: "the old passphrase does not match the passphrase set on the disk",
        140: "encryption is already enabled on this disk",
        150: "the disk is unmounted; the passphrase can only be changed while it is mounted",
        160: "the disk is mounted; encryption can only be enabled or disabled while it is unmounted",
    },
    NETWORK_SHARE: {
        200: "the share id is invalid (allowed: letters, digits and '-')",
        210: "another share already uses this share id",
        220: "another share already uses this nice name",
        230: "the device holds the maximum number of network shares already",
        300: "no free disk to bind to: another share is bound to the NetworkShare disk",
        310: "the share is already bound to a disk",
        400: "the share is mounted and cannot be unbound; unmount the NetworkShare disk first",
        500: "the share is bound and cannot be removed; unbind it first",
        600: "the share is bound and cannot be modified; unbind it first",
        610: "another share already uses the new share id",
        620: "another share already uses the new nice name",
        700: "share test: the NAS host name could not be resolved",
        710: "share test: mounting the share failed (check share name, user and password)",
        720: "share test: internal error while mounting the share",
        730: "share test: too many tests or jobs running on the device; wait and retry",
        740: "share test: the camera could not write to the share (check permissions)",
        750: "share test: the camera could not read back data written to the share",
        760: "share test: the camera could not connect to the NAS (check address, firewall, SMB version)",
    },
    STORAGE_LIMIT: {
        110: "no disk with this disk id",
        120: "the size is not a valid number of kilobytes",
        130: "the size is below the device minimum of 1048576 kB (1 GiB)",
    },
    RECORDING_GROUP: {
        110: "no recording group with this id",
        120: "the device holds the maximum number of recording groups already",
        130: "the device rejected the stream options",
        140: "the recording group is in use (a recording action refers to it); remove that action first",
    },
    "health": {},
    EXPORT: {
        110: "no such recording on that disk (it may have been removed by cleanup meanwhile)",
        120: "the start time is not a valid time",
        130: "the stop time is not a valid time",
        140: "the start time is after the stop time",
        150: "the start time is after the recording's end",
        160: "the stop time is before the recording's start",
        170: "the camera does not know this export format (see its export capabilities)",
        180: "the export format does not suit the recording's media type",
        190: "no such export job",
        200: "the external disk id is not valid",
        210: "the external disk cannot be used",
        220: "the camera runs the maximum number of export jobs already; wait and retry",
        230: "the file path is not valid",
        240: "the export password was rejected (at most 512 bytes)",
        250: "the camera does not know this encryption format (see its export capabilities)",
        260: "an encrypted export needs a password",
        270: "a password needs an encryption format",
        280: "the encryption format does not suit the export format",
    },
}


# The calls (names of the device table's entries, _device.CALLS) the vendor's code tables give a family's code
# for, where the sentence holds only for them (the tables' CGI column; codes for "All" are left out). The disk
# properties' lists of codes per CGI copy 100/110/140/160 onto the cleanup and alert level CGIs, but the table
# gives them only encryption meanings: no sentence for those.
_ENCRYPTION_CALLS = ("enable_encryption", "disable_encryption", "change_passphrase")
DOCUMENTED_FOR = {
    DISK_PROPERTIES: {
        30: ("set_required_filesystem",), 100: _ENCRYPTION_CALLS, 110: ("enable_encryption",),
        120: ("change_passphrase",), 130: ("change_passphrase",), 140: ("enable_encryption",),
        150: ("change_passphrase",), 160: ("enable_encryption", "disable_encryption"),
    },
    NETWORK_SHARE: dict(
        [(code, ("add_share",)) for code in (200, 210, 220, 230)] + [(code, ("bind_share",)) for code in (300, 310)]
        + [(400, ("unbind_share",)), (500, ("remove_share",))]
        + [(code, ("modify_share",)) for code in (600, 610, 620)]
        + [(code, ("test_share", "share_job")) for code in range(700, 770, 10)]),
    STORAGE_LIMIT: {110: ("storage_limits", "set_storage_limit"), 120: ("set_storage_limit",),
                    130: ("set_storage_limit",)},
}


# The root element (local name) of each API family's XML envelope, where the family has one of its own. A
# GeneralError under another family's root carries that family's code, which this family's table would misread.
ENVELOPE_ROOTS = {
    DISK_PROPERTIES: "DiskPropertiesResponse",
    NETWORK_SHARE: "NetworkShareResponse",
    STORAGE_LIMIT: "StorageLimitsResponse",
    RECORDING_GROUP: "RecordingGroupResponse",
    EXPORT: "ExportRecordingResponse",
    "health": "HealthStatusResponse",
}


def envelope_family(root_name):
    """The API family whose envelope has the root element root_name (a local name, any case), or None."""
    lowered = (root_name or "").lower()
    return next((api for api, root in ENVELOPE_ROOTS.items() if root.lower() == lowered), None)


def describe(api, code, calls=None):
    """The sentence for a device error code, or None when we have none; calls (the device table's entries the
    request is) leaves out a sentence the vendor's table gives the code only for other CGIs of the family."""
    if code is None:
        return None
    documented = DOCUMENTED_FOR.get(api, {}).get(code)
    if calls and documented is not None and not set(calls) & set(documented):
        return None
    table = DEVICE_ERRORS.get(api, {})
    return table.get(code) or _COMMON.get(code)


def _hex_pattern(data):
    """%XX for each byte, hex digits in either case."""
    return "".join("%%(?i:%02x)" % byte for byte in data)


def _char_forms(char):
    """Regular expressions for every form one character of a secret takes in text a camera sends back."""
    code = ord(char)
    forms = {re.escape(char)}
    # Percent-encoded: its UTF-8 bytes, or its ISO-8859-1 byte (the VAPIX default); '+' for a space.
    forms.add(_hex_pattern(char.encode("utf-8")))
    if code < 256:
        forms.add(_hex_pattern(bytes([code])))
    if char == " ":
        forms.add(re.escape("+"))
    # Its UTF-8 bytes read as ISO-8859-1 or cp1252 by a client that guessed the charset wrong
    # (bytes cp1252 leaves undefined shown as their ISO-8859-1 character or as U+FFFD).
    data = char.encode("utf-8")
    if len(data) > 1:
        forms.add(re.escape(data.decode("iso-8859-1")))
        for undefined in (None, "\ufffd"):
            shown = []
            for byte in data:
                try:
                    shown.append(bytes([byte]).decode("cp1252"))
                except UnicodeDecodeError:
                    shown.append(undefined or chr(byte))
            forms.add(re.escape("".join(shown)))
    # XML/HTML: character references (decimal, hex in either case, leading zeros), named entities.
    forms.add("&#0*%d;" % code)
    forms.add("&#[xX]0*(?i:%x);" % code)
    if code in html.entities.codepoint2name:
        forms.add(re.escape("&%s;" % html.entities.codepoint2name[code]))
    if char == "'":
        forms.add(re.escape("&apos;"))
    # JSON: \\uXXXX in either case (surrogate pairs beyond the BMP), or the escaped specials.
    escaped = json.dumps(char)[1:-1]
    if escaped != char:
        forms.add("".join(re.escape(part) if not part.startswith("\\u") else "\\\\u(?i:%s)" % part[2:]
                          for part in re.findall(r"\\u[0-9a-f]{4}|\\.|.", escaped)))
    return sorted(forms, key=len, reverse=True)


# The charsets other than UTF-8 that answers of this process were decoded with (the client notes each one):
# a secret's UTF-8 bytes misread in one of them are masked whole, whatever the charset.
_ANSWER_CHARSETS = set()


def note_answer_charset(charset):
    """Note a charset an answer was decoded with, for mask_secrets."""
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8", "us-ascii", "ascii"):
        _ANSWER_CHARSETS.add(charset.lower())


def _whole_forms(secret):
    """Forms of the whole secret that its per-character pattern cannot match: its line ends as an XML parser
    leaves them (CR LF and CR become LF), and its UTF-8 bytes misread in a charset an answer declared (one
    character may take several, and a multi-byte charset reads across characters)."""
    forms = set()
    for variant in (secret, re.sub("\r\n?", "\n", secret)):
        forms.add(variant)
        for charset in _ANSWER_CHARSETS:
            try:
                forms.add(variant.encode("utf-8").decode(charset, errors="replace"))
            except LookupError:
                continue
    forms.discard(secret)
    return sorted(forms, key=len, reverse=True)


def secret_pattern(secret):
    """One regular expression matching the secret in every form (and mix of forms) it can take in an
    answer: raw; percent-encoded as UTF-8 or ISO-8859-1, upper or lower case, '+' or %20 for spaces;
    its UTF-8 bytes mis-read as ISO-8859-1 or cp1252; XML/HTML character references and entities;
    JSON escapes."""
    return "".join("(?:%s)" % "|".join(_char_forms(char)) for char in secret)


@functools.lru_cache(maxsize=64)
def _secret_regex(secret):
    """secret_pattern compiled once per process: a run may mask many texts with the same few secrets."""
    return re.compile(secret_pattern(secret))


def mask_secrets(text, secrets):
    """Replace every secret value, in every form it can take in an answer (see secret_pattern and
    _whole_forms)."""
    if text is None:
        return None
    text = str(text)
    # Longest first so a secret that contains another is masked whole.
    for secret in sorted({str(s) for s in secrets if s}, key=len, reverse=True):
        text = _secret_regex(secret).sub(MASK, text)
        for form in _whole_forms(secret):
            text = text.replace(form, MASK)
    return text


class EdgeStorageError(Exception):
    """Base of every error this collection raises on purpose.

    ``error_class`` names the kind of failure for the result (one word a
    pipeline can branch on); every subclass sets its own.
    """

    error_class = "device"

    def tell_also(self, text):
        """Say more after the message: what the run did or found besides (a step that had failed)."""
        self.args = (f"{self}; {text}",)

    def as_dict(self):
        return {"error_class": self.error_class}


class WriteInCheckMode(Exception):
    """A write request reached the client in a check-mode run: a bug, since the engine plans without
    writing in check mode. Not an EdgeStorageError: the module reports it as a bug in the collection."""

    def __init__(self, call, request):
        super().__init__(f"a write was attempted in check mode: {call} ({request}); it was not sent")
        self.call = call
        self.request = request


class ValidationError(EdgeStorageError):
    """The arguments are wrong; raised before any request is sent."""

    error_class = "invalid_argument"


# Argument errors more than one module raises, worded here once.

def empty_disk_id(option="disk_id"):
    """The error for a disk id option that is empty or only blanks."""
    return ValidationError("%s is empty: give the disk's id as the camera lists it, for example SD_DISK or "
                           "NetworkShare" % option)


def bad_job_timeout(value, option="job_timeout"):
    """The error for a job_timeout (or the module's option of that kind) below one second."""
    return ValidationError(f"{option} must be a positive number of seconds, got {value}")


class DestinationError(EdgeStorageError):
    """A directory or file on the controller the task writes into (an export's dest) cannot be written: no
    permission, a read-only or full file system. The camera has no part in it."""

    error_class = "destination"


class TaskTimedOut(EdgeStorageError):
    """The task's own timeout (the task keyword ``timeout``) ran out in the middle of the run: nothing more is
    sent to the camera after it, and what was sent (wrote: a write was) may have been carried out."""

    error_class = TIMEOUT

    def __init__(self, seconds, wrote=True):
        self.seconds = seconds
        done = ("what had been sent may have been carried out (a job it started may still be running)" if wrote
                else "no write had been sent")
        super().__init__("the task's timeout of %d second(s) (its keyword timeout) ran out; nothing more was sent to "
                         "the camera, and %s: raise the task's timeout or leave it out (the module's job_timeout or "
                         "share_test_timeout bounds each camera job)" % (seconds, done))

    def as_dict(self):
        # timedout as Ansible sets it for a task it stops itself, so that a play's `is timedout` holds.
        return {"error_class": self.error_class, "timedout": {"period": self.seconds}}


class ConflictError(EdgeStorageError):
    """The camera's current state stands in the way of the task (e.g. another share holds
    the disk); found while planning, so raised before any write.

    ``whatever_comes_first``: the plan took the changes of the resources planned before it into
    account, so none of them can lift the conflict (see _engine.plan_all).
    """

    error_class = "invalid_argument"

    def __init__(self, message, whatever_comes_first=False):
        super().__init__(message)
        self.whatever_comes_first = whatever_comes_first


class ConcurrentChangeError(EdgeStorageError):
    """Something else changed the camera while this run was writing to it (another run, a person).

    ``refused`` is the camera's refusal of this run's write that showed it (a VapixError), if any: the result
    names its request, code and text as for any refused write.
    """

    error_class = "concurrent_change"

    def __init__(self, message, refused=None):
        super().__init__(message)
        self.refused = refused

    def as_dict(self):
        data = self.refused.as_dict() if self.refused is not None else {}
        data["error_class"] = self.error_class
        return data


class UnsupportedError(EdgeStorageError):
    """The camera lacks the API, parameter or capability the task needs."""

    error_class = "unsupported"

    def __init__(self, feature, reason):
        super().__init__(
            f"not supported by this camera: {feature} ({reason})")
        self.feature = feature
        self.reason = reason

    def as_dict(self):
        return {"error_class": self.error_class, "unsupported": self.feature, "reason": self.reason}


class VapixError(EdgeStorageError):
    """A request the device answered with an error, or did not answer.

    ``api`` is the API family, ``cgi`` the path that failed, ``code`` the
    device's numeric code (None where the family has none), ``description``
    the device's own text, ``http_status`` the HTTP status where relevant,
    ``error_class`` what kind of failure it is (``device`` when the camera
    answered with an error; the transport and answer classes otherwise).
    ``calls`` names the device table's entries the request is, so that a code
    gets no sentence the vendor's table gives it only for other CGIs.
    All text is masked by the client before it gets here. ``job_may_run`` is set on the failure of a disk job's
    start or poll that leaves the job possibly running (_jobs.job_may_still_run).
    """

    job_may_run = False

    def __init__(self, api, cgi, description, code=None, http_status=None, hint=None, error_class=DEVICE, calls=None):
        self.error_class = error_class
        self.api = api
        self.cgi = cgi
        self.code = code
        self.description = description
        self.http_status = http_status
        self.hint = hint if hint is not None else describe(api, code, calls)
        super().__init__(self._message())

    def _message(self):
        where = f"{self.api} {self.cgi}" if self.api else self.cgi
        parts = ["%s failed" % where]
        if self.code is not None:
            parts.append("with device error %s" % self.code)
        elif self.http_status:
            parts.append("with HTTP %s" % self.http_status)
        text = " ".join(parts)
        if self.description:
            text += ": %s" % self.description
        if self.hint and self.hint != self.description:
            text += " (%s)" % self.hint
        return text

    def with_hint(self, more):
        """The same error (request, code, class, job_may_run) with more said after its hint: what the run made
        of it."""
        same = VapixError(self.api, self.cgi, self.description, code=self.code, http_status=self.http_status,
                          hint=f"{self.hint}; {more}" if self.hint else more, error_class=self.error_class)
        same.job_may_run = self.job_may_run
        return same

    def as_dict(self):
        return {
            "error_class": self.error_class,
            "api": self.api,
            "cgi": self.cgi,
            "code": self.code,
            "description": self.description,
            "http_status": self.http_status,
        }


def damaged_answer(api, cgi, what, write=False):
    """The error for an answer that cannot be trusted as data (not complete XML, a missing
    attribute, an unexpected root, values that contradict each other)."""
    if write:
        what += "; this request changes the camera, and the camera may have carried it out"
    else:
        what += "; nothing is changed on the strength of this answer"
    return VapixError(api, cgi, what,
                      hint="the answer was damaged on its way or is not what this API answers; run the task again, "
                           "and check the network path (proxy, firewall) and the firmware if it persists",
                      error_class=DAMAGED_ANSWER)


def _count(number, word):
    return "%d %s%s" % (number, word, "" if number == 1 else "s")


class StepError(EdgeStorageError):
    """A step of a run failed, possibly after earlier steps changed the device.

    ``done`` is every step of the run completed before it, ``changes`` those
    of them that changed something (wrote to the camera, or a file on the
    controller), ``not_run`` the planned steps that were not reached.
    ``unanswered`` says a write of the failed step got no answer, so the
    camera may have carried it out. ``state_now`` says where the device
    stands, so the user knows what to do next. ``extra`` holds more keys for
    the task's result (what the steps done left behind, such as an export's
    files). The result is ``changed`` when any step made a change.
    """

    def __init__(self, step, cause, done, state_now=None, changes=None, not_run=(), unanswered=False):
        self.step = step
        self.cause = cause
        self.done = list(done)
        self.changes = list(self.done if changes is None else changes)
        self.not_run = list(not_run)
        self.unanswered = unanswered
        self.state_now = state_now
        self.extra = {}
        if isinstance(cause, EdgeStorageError):
            # What was changed is said below, for the whole run: not the cause's own "Nothing was changed."
            message = f"step '{step}' failed: {without_nothing_changed(str(cause))}"
        else:
            message = "step '{}' failed with an unexpected {} (a bug in the collection; please report it): {}".format(
                step, type(cause).__name__, cause)
        if unanswered:
            message += "; its request got no answer, so it may have been applied"
        if self.changes:
            message += "; {} made before it: {}".format(
                "1 change was" if len(self.changes) == 1 else "%d changes were" % len(self.changes),
                "; ".join(self.changes))
        else:
            message += "; nothing had been changed before it"
        if self.not_run:
            message += "; not run: %s" % "; ".join(self.not_run)
        if state_now:
            message += "; the device is now: %s" % state_now
        super().__init__(message)

    @property
    def error_class(self):
        return getattr(self.cause, "error_class", None)

    def as_dict(self):
        data = self.cause.as_dict() if isinstance(self.cause, EdgeStorageError) else {}
        data.update({"failed_step": self.step, "completed_steps": self.done, "not_run_steps": self.not_run})
        if self.state_now:
            data["state_now"] = self.state_now
        if self.changes:
            data["changed"] = True
        data.update(self.extra)
        return data


class ConvergeError(EdgeStorageError):
    """After applying a plan, the re-read state still differs from the desired one."""

    error_class = "verify"

    def __init__(self, resource, mismatches):
        self.resource = resource
        self.mismatches = mismatches
        super().__init__(
            "{} did not converge: {}".format(resource, "; ".join(mismatches)))

    def as_dict(self):
        return {"error_class": self.error_class, "mismatches": self.mismatches}


# Ends a refusal that wrote nothing; PlanError says it once for a whole run of several problems, and StepError
# (which says what was changed) not at all.
NOTHING_CHANGED = "Nothing was changed"


def without_nothing_changed(said):
    """A refusal's text without its closing "Nothing was changed." (and the full stop before it)."""
    return said.removesuffix(" " + NOTHING_CHANGED + ".").rstrip(".")


class PlanError(EdgeStorageError):
    """Every problem the plan of a run found, named at once; raised before the first write.

    ``problems`` is a list of (where, error): where is the section of a
    whole-camera run (e.g. 'storage_limits') or None, error the
    EdgeStorageError found there. Features the camera lacks are named in one
    sentence with its firmware version.
    """

    def __init__(self, problems, firmware=None, not_run=()):
        self.problems = list(problems)
        self.not_run = list(not_run)
        unsupported = []
        for where, error in self.problems:
            # The purge of a section and its items lack the same feature: name it once.
            if isinstance(error, UnsupportedError) and (where, error.feature) not in [
                    (seen_where, seen.feature) for seen_where, seen in unsupported]:
                unsupported.append((where, error))
        others = [(where, error) for where, error in self.problems if not isinstance(error, UnsupportedError)]
        parts = []
        if unsupported:
            parts.append("not supported by this camera ({}): {}".format(
                firmware or "firmware unknown",
                ", ".join(f"{error.feature} ({where or error.reason})" for where, error in unsupported)))
        whole_run = len(self.problems) > 1 or bool(unsupported)
        for where, error in others:
            said = str(error)
            if whole_run:
                # A problem's own "Nothing was changed." is said once, for the whole run, at the end.
                said = without_nothing_changed(said)
            parts.append(f"{where}: {said}" if where else said)
        message = "; ".join(parts)
        if whole_run:
            message += ". " + NOTHING_CHANGED
        if unsupported and any(where for where, _error in unsupported):
            details = "; ".join(f"{error.feature}: {error.reason}" for _where, error in unsupported)
            message += (" (leave these sections or options out for this camera, or set unsupported: skip to converge "
                        "the rest); details: %s" % details)
        super().__init__(message)

    @property
    def error_class(self):
        classes = [error.error_class for _where, error in self.problems]
        return classes[0] if classes else None

    def as_dict(self):
        data = {}
        if len(self.problems) == 1:
            data.update(self.problems[0][1].as_dict())
        data.update({
            "error_class": self.error_class,
            "problems": [{"where": where, "error_class": error.error_class, "msg": str(error)}
                         for where, error in self.problems],
            "completed_steps": [],
            "failed_step": None,
            "not_run_steps": self.not_run,
        })
        return data


class DataLossRefused(EdgeStorageError):
    """Steps that destroy recordings were planned without the allow_data_loss opt-in."""

    error_class = "needs_allow_data_loss"

    # Why a format or a group's deletion counts as destroying recordings, whether or not any are there.
    ASSUMED = "recordings cannot be told apart through the API, so a recording group or disk is taken to hold some"

    def __init__(self, steps, not_run=(), before_any_write=True, explained=None, assumed=True):
        """steps: the texts of the refused steps; explained: the same with why each is needed, for the message;
        assumed: whether the steps are taken to destroy recordings (ASSUMED) rather than remove listed ones."""
        self.steps = list(steps)
        self.not_run = list(not_run)
        super().__init__(
            "%s would destroy recordings and %s allow_data_loss: true%s%s: %s"
            % (_count(len(self.steps), "step"), "needs" if len(self.steps) == 1 else "need",
               " (%s)" % self.ASSUMED if assumed else "",
               "; nothing was changed" if before_any_write else "", "; ".join(explained or self.steps)))

    def as_dict(self):
        return {"error_class": self.error_class, "needs_allow_data_loss": self.steps,
                "completed_steps": [], "failed_step": None, "not_run_steps": self.not_run}
