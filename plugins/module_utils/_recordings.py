# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What axis_recording_info gathers: the recordings of a camera, and whether it records.

Recordings are listed with ``record/list.cgi``, oldest first, a page at a time
(``startatresultnumber``/``maxnumberofresults``), at most ``max_pages`` pages;
the API documents no limit of its own. Each page after the first is asked from
the last recording listed, which must be on it again (see
:func:`list_recordings`): so whether paging counts from 0 or 1 (not documented
either) changes nothing, and a list that moved between two pages (the camera's
cleanup removed its oldest recordings) is found out, never read with a
recording skipped.

Coverage: "now" is the camera's clock (the ``Date`` header of its answers), so
a controller in another time zone or with a wrong clock changes nothing. For
each event id that must be covered, the recordings in the window are merged
into covered intervals; what lies between them longer than ``max_gap`` is a
gap. A gap still open at "now" gets its likely cause from the camera's current
state. Retention is per disk: the API does not tie a recording to a recording
group, so the oldest recording on a disk is what the disk holds.
"""

from __future__ import annotations

import datetime
import email.utils
import re

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    RECORDING,
    ValidationError,
    VapixError,
    damaged_answer,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._options import disk_id_option
from ansible_collections.vapix.edge_storage.plugins.module_utils._parsers import DISCONNECTED_STATUS, UNKNOWN_MOUNT_STATUS
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_share import is_mounted
from ansible_collections.vapix.edge_storage.plugins.module_utils._units import parse_duration

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
DEFAULT_MAX_PAGES = 50

ARGUMENT_SPEC = dict(
    disk_id=disk_id_option(),
    event_id=dict(type="str"),
    start=dict(type="str"),
    stop=dict(type="str"),
    page_size=dict(type="int", default=DEFAULT_PAGE_SIZE),
    max_pages=dict(type="int", default=DEFAULT_MAX_PAGES),
    coverage=dict(type="dict", options=dict(
        window=dict(type="str", default="24h"),
        max_gap=dict(type="str", default="5m"),
        event_ids=dict(type="list", elements="str"),
        retention_target=dict(type="str"),
    )),
)

UTC = datetime.UTC


def iso(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment is not None else None


def parse_time(text, what):
    """ISO 8601 combined date and time (UTC when no offset) -> aware datetime."""
    value = str(text).strip()
    if value[-1:] in ("Z", "z"):
        value = value[:-1] + "+00:00"
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError("%s '%s' is not a time: give ISO 8601 UTC, e.g. '2026-11-30T08:00:00Z', or a "
                              "duration before the camera's current time, e.g. '24h'" % (what, text))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


# What a list given as its text ('["a", "b"]', "['a', 'b']") leaves in the ids Ansible splits it into at its
# commas, and what no recording id holds (the camera's ids are letters, digits and '_').
_LIST_TEXT = re.compile(r"[\[\]{}'\"\s]")


def given_recording_ids(params):
    """The recording_ids option without the blanks around each id and without empty ones ([] when not given);
    ValidationError for an id that holds a bracket, a quote or a blank: the task gave a list as its text (a
    template with to_json or string), which would select no recording, and the task would report nothing to do."""
    ids = [text.strip() for text in params.get("recording_ids") or [] if text and text.strip()]
    for text in ids:
        if _LIST_TEXT.search(text):
            raise ValidationError("recording_ids holds %r, which is no recording id (it holds a bracket, a quote or "
                                  "a blank): give a list of ids, or one text of ids separated by commas; a list "
                                  "given as its text (a template with to_json or string) is split at its commas "
                                  "only" % text)
    return ids


def seconds(value, what):
    """A duration with its unit ('24h', '7d', '90m', '30s') -> seconds. A bare number is refused: parse_duration
    would read it in its own unit, milliseconds, so 'window: 86400' would be 86.4 seconds and a coverage report
    over 86 seconds could pass an audit that meant a day."""
    if (isinstance(value, (int, float)) and not isinstance(value, bool)) or str(value).strip().isdigit():
        raise ValidationError("%s '%s' has no unit: give a duration with one, e.g. '24h', '7d', '90m' or '30s'"
                              % (what, value))
    return parse_duration(value, "ms", what) / 1000.0


def human(total_seconds):
    """3725 -> '1h 2m 5s'; 0 -> '0s'."""
    total = int(round(total_seconds))
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if total >= size:
            parts.append("%d%s" % (total // size, unit))
            total %= size
    return " ".join(parts) or "0s"


def camera_now(device):
    """The camera's current time, from the Date header of its latest answer."""
    header = device.client.camera_date
    if not header:
        raise VapixError(RECORDING, device.where("recordings_page"),
                         "the camera's answers carry no Date header, so its clock is unknown and coverage "
                         "cannot be measured against it")
    try:
        moment = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        moment = None
    if moment is None:
        raise VapixError(RECORDING, device.where("recordings_page"), "the camera's Date header %r is not a date"
                         % header)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class Query:
    """The validated options of axis_recording_info."""

    def __init__(self, params):
        self.disk_id = params.get("disk_id") or None
        self.event_id = params.get("event_id") or None
        self.page_size = DEFAULT_PAGE_SIZE if params.get("page_size") is None else params["page_size"]
        self.max_pages = DEFAULT_MAX_PAGES if params.get("max_pages") is None else params["max_pages"]
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise ValidationError("page_size %d is out of range: give 1 to %d" % (self.page_size, MAX_PAGE_SIZE))
        if self.max_pages < 1:
            raise ValidationError("max_pages %d is out of range: give 1 or more" % self.max_pages)
        self.start = self._moment(params.get("start"), "start")
        self.stop = self._moment(params.get("stop"), "stop")
        coverage = params.get("coverage")
        self.coverage = None
        if coverage is not None:
            window = seconds(coverage.get("window") or "24h", "coverage.window")
            if window <= 0:
                raise ValidationError("coverage.window must be longer than 0, e.g. '24h'")
            target = coverage.get("retention_target")
            # Without the blanks around them: 'continuous, continuous_nas' is split at the comma only.
            given = coverage.get("event_ids") or []
            event_ids = list(dict.fromkeys(event_id.strip() for event_id in given if event_id and event_id.strip()))
            if given and not event_ids:
                raise ValidationError("coverage.event_ids holds no event id (%r): name at least one, or leave it out "
                                      "to cover the event ids of the camera's continuous profiles" % (given,))
            self.coverage = {
                "window": window,
                "max_gap": seconds(coverage.get("max_gap") or "5m", "coverage.max_gap"),
                "event_ids": event_ids,
                "retention_target": seconds(target, "coverage.retention_target") if target else None,
            }
            if self.start is not None or self.stop is not None:
                raise ValidationError("coverage sets its own window (coverage.window, ending at the camera's "
                                      "current time): leave start and stop out")

    @staticmethod
    def _moment(value, what):
        """An absolute time, or ('ago', seconds) for a duration before the camera's current time."""
        if value in (None, ""):
            return None
        text = str(value).strip()
        if text[:1].isdigit() and ("-" in text or "T" in text):
            return parse_time(text, what)
        return ("ago", seconds(text, what))


def resolve_moment(moment, now):
    if isinstance(moment, tuple):
        return now - datetime.timedelta(seconds=moment[1])
    return moment


def running(recording):
    """Whether the recording is still being recorded: the camera says so (``recordingstatus="recording"``,
    whose stop time, where firmware gives one, is only where it has got to), or it has no stop time."""
    return recording["stop"] is None or recording.get("status") == "recording"


def _listed_time(recording, key):
    """The listed start or stop of a recording as a datetime; None when it is not a time."""
    try:
        return parse_time(recording[key], key)
    except ValidationError:
        return None


def outside_filters(recording, filters):
    """Why a recording record/list.cgi listed is not one the filters select, as a sentence; None when it is.

    The filters are those of :func:`recording_filters` (and of axis_recording's selection): ``diskid``,
    ``eventid``, ``starttime`` (recordings with any part at or after it: a running one always has) and
    ``stoptime`` (recordings with any part at or before it); ``recordingid=all`` selects every recording.
    Times are compared to the whole second, as the filter was sent.
    """
    for name, value in filters:
        if name == "diskid" and recording["disk_id"] != value:
            return f"it is on disk {recording['disk_id']}, and disk {value} was asked"
        if name == "eventid" and recording["event_id"] != value:
            return f"its event id is '{recording['event_id']}', and event id '{value}' was asked"
        if name == "stoptime":
            start = _listed_time(recording, "start")
            if start is None:
                return "its starttime '%s' is not a time" % recording["start"]
            if (start - parse_time(value, name)).total_seconds() >= 1:
                return f"it starts at {recording['start']}, after the stop time {value} that was asked"
        if name == "starttime" and not running(recording):
            stop = _listed_time(recording, "stop")
            if stop is None:
                return "its stoptime '%s' is not a time" % recording["stop"]
            if (parse_time(value, name) - stop).total_seconds() >= 1:
                return f"it ended at {recording['stop']}, before the start time {value} that was asked"
    return None


def recordings_page(device, filters, first, count):
    """One page of record/list.cgi: (matched, [recording]). A recording on it that the filters do not select
    is a damaged answer: the camera (or something on the way) did not apply what was asked, so nothing it
    lists about the selection can be trusted, and no recording of the page is used."""
    matched, page = device.recordings_page(filters, first, count)
    for recording in page:
        why = outside_filters(recording, filters)
        if why:
            raise damaged_answer(RECORDING, device.where("recordings_page", filters),
                                 "the camera listed recording %s, which the request does not select (%s): it did "
                                 "not apply the filter, so its list is not used" % (recording["recording_id"], why))
    return matched, page


# Pages a listing asks again, one after another, to find where it had got to when the camera's list moved under it
# (recordings before the page it asked for were removed, as the camera's cleanup removes the oldest, or added).
MAX_REASKS = 3

# Why a listing stopped short (Listing.stopped).
AT_MAX_PAGES = "max_pages"
LIST_MOVED = "list_moved"
NOTHING_NEW = "nothing_new"


def recording_key(recording):
    """What tells one listed recording from the others: its disk and its id (a recording id is unique on its disk
    only: a recording copied to another disk keeps its id there)."""
    return recording["disk_id"], recording["recording_id"]


class Listing:
    """What :func:`list_recordings` read: ``recordings`` oldest first, ``pages`` (the requests), ``stopped`` (None
    when every matching recording was listed; else why the listing stopped short: AT_MAX_PAGES, LIST_MOVED,
    NOTHING_NEW) and ``why`` (that, in words)."""

    def __init__(self, recordings, pages, stopped=None, why=None):
        self.recordings = recordings
        self.pages = pages
        self.stopped = stopped
        self.why = why

    @property
    def complete(self):
        return self.stopped is None

    def summary(self):
        """What was listed and why it stopped short, as a sentence (for a listing that is not complete)."""
        return "listed %d recordings in %d pages%s and stopped: %s" % (
            len(self.recordings), self.pages, " (max_pages)" if self.stopped == AT_MAX_PAGES else "", self.why)

    def remedy(self, at_max_pages):
        """What to do about a listing that stopped short: at_max_pages when max_pages stopped it."""
        if self.stopped == AT_MAX_PAGES:
            return at_max_pages
        if self.stopped == NOTHING_NEW:
            return ("run the task again; if it persists, the camera counts recordings its pages do not list: check "
                    "its firmware")
        return "run the task again"


def list_recordings(device, filters, page_size, max_pages):
    """Every recording matching filters, oldest first, as a :class:`Listing`; a recording listed outside the
    filters is a damaged answer (see :func:`recordings_page`).

    The first page is asked from result 0, each later one from the last recording listed so far, for one more
    than page_size: found on the page again, that recording shows where the page goes on from, whether the
    camera counts its results from 0 or 1. When the camera's list moved between two requests (its cleanup
    removed the oldest recordings: the rest move back), the page asked for holds no recording listed before and
    the listing asks again from further back (first by as many as the matching count fell, then a page further
    each time), at most MAX_REASKS times in a row and within max_pages; a page of recordings listed before only,
    ending before the last one listed (recordings added before it), is followed by the next. What cannot be
    found again stops the listing as not complete (LIST_MOVED), never as complete with recordings skipped; so
    does a page that brings nothing not listed before while the camera counts more (NOTHING_NEW).
    Once the list moved, it is complete only when a page ends the list (shorter than asked, reaching the
    count the camera gives); until then, when the count of recordings listed reaches the camera's.
    """
    seen = {}            # key -> recording, in the order listed
    order = {}           # key -> its place in that order
    pages = 0
    start, count = 0, page_size
    moved = False        # the list moved while it was paged: its count alone no longer tells where it ends
    reasks = 0
    back = 0
    expected = 0         # the number the last recording listed had on the page before
    matched_then = None  # the camera's count on the last page that went on from a recording listed before
    while True:
        if pages >= max_pages:
            return Listing(list(seen.values()), pages, AT_MAX_PAGES, "more match")
        matched, page = recordings_page(device, filters, start, count)
        pages += 1
        known = [index for index, recording in enumerate(page) if recording_key(recording) in order]
        if seen and not known:
            if not page and matched == 0:
                # every recording listed before is gone, and nothing else matches: nothing is left to list
                return Listing(list(seen.values()), pages)
            # Nothing listed before is on the page: recordings before it were removed, and the list moved back.
            moved = True
            if reasks == MAX_REASKS or start == 0:
                return Listing(list(seen.values()), pages, LIST_MOVED, _moved(reasks))
            reasks += 1
            back = max(1, matched_then - matched) if reasks == 1 else back + page_size
            start = max(0, expected - back)
            count = page_size + 1
            continue
        anchor = max(known, key=lambda index: order[recording_key(page[index])]) if known else -1
        if seen and order[recording_key(page[anchor])] != len(seen) - 1:
            moved = True     # the last recording listed is not on the page: removed, or further on
        if matched_then is not None and matched < matched_then:
            moved = True     # recordings that matched were removed
        new = []
        for recording in page:
            if recording_key(recording) not in order:
                order[recording_key(recording)] = len(seen)
                seen[recording_key(recording)] = recording
                new.append(recording)
        at_end = len(page) < count
        if (at_end and start + len(page) >= matched) if moved else len(seen) >= matched:
            return Listing(list(seen.values()), pages)
        if not new and known and anchor == len(page) - 1 and not at_end:
            # Only recordings listed before, ending before the last one listed: recordings were added before it
            # and the list moved on. Go on from the page's end.
            moved = True
            if reasks == MAX_REASKS:
                return Listing(list(seen.values()), pages, LIST_MOVED, _moved(reasks))
            reasks += 1
        elif not new:
            # Not max_pages: the camera counts more than it lists (or answers the same page again).
            return Listing(list(seen.values()), pages, NOTHING_NEW,
                           "page %d held no recording not listed before, though the camera counts %d that match"
                           % (pages, matched))
        else:
            reasks = 0
        matched_then = matched
        expected = start = start + len(page) - 1
        count = page_size + 1


def _moved(reasks):
    return ("the camera's list of recordings moved while it was read (recordings before the page asked for were "
            "removed or added, as the camera's cleanup removes the oldest), and %d page(s) asked again did not find "
            "where the listing had got to, so more may match" % reasks)


def recording_filters(query, start, stop, event_id=None):
    filters = []
    if query.disk_id:
        filters.append(("diskid", query.disk_id))
    if event_id or query.event_id:
        filters.append(("eventid", event_id or query.event_id))
    if start is not None:
        filters.append(("starttime", iso(start)))
    if stop is not None:
        filters.append(("stoptime", iso(stop)))
    if start is None and stop is None:
        filters.append(("recordingid", "all"))
    return filters


def _interval(recording, now):
    start = parse_time(recording["start"], "starttime")
    stop = now if running(recording) else parse_time(recording["stop"], "stoptime")
    return start, min(stop, now)


def gaps_in(intervals, window_start, now, max_gap):
    """Uncovered stretches of [window_start, now] longer than max_gap seconds, and the covered seconds."""
    gaps = []
    covered = 0.0
    cursor = window_start
    for start, stop in sorted(intervals):
        start, stop = max(start, window_start), min(stop, now)
        if stop <= cursor:
            continue
        if start > cursor:
            if (start - cursor).total_seconds() > max_gap:
                gaps.append((cursor, start))
            cursor = start
        covered += (stop - cursor).total_seconds()
        cursor = stop
    if (now - cursor).total_seconds() > max_gap:
        gaps.append((cursor, now))
    return gaps, covered


def open_gap_cause(device, profile):
    """Why a continuous profile is not recording now, from the camera's current state."""
    if profile is None:
        return "no continuous recording profile records this event id"
    disk_id = profile["disk_id"]
    disk = device.disks().get(disk_id)
    status = (disk or {}).get("status") or "unknown"
    if disk_id == "NetworkShare" and not any(share.get("disk_id") == disk_id
                                             for share in device.shares().values()):
        return "no network share is bound to NetworkShare"
    if disk is None or status == DISCONNECTED_STATUS:
        return f"disk {disk_id} is missing (status {status})"
    if disk.get("locked"):
        return "disk %s is locked" % disk_id
    if not is_mounted(device, disk_id):
        return f"disk {disk_id} is not mounted (status {status})"
    if disk.get("full") or disk.get("free_kb") == 0:
        return "disk %s is full" % disk_id
    return "unknown: disk %s is mounted and not full; check the camera's log" % disk_id


def coverage_report(device, query, now):
    cover = query.coverage
    window_start = now - datetime.timedelta(seconds=cover["window"])
    profiles = device.continuous_profiles() if device.supports("continuous_recording") else []
    by_event = {profile["event_id"]: profile for profile in profiles}
    event_ids = cover["event_ids"] or sorted(by_event)
    listing = list_recordings(device, recording_filters(query, window_start, now), query.page_size, query.max_pages)
    listed = listing.recordings
    problems = []
    if listing.stopped == AT_MAX_PAGES:
        problems.append("the recording list stopped after %d pages (max_pages): coverage is not known" % listing.pages)
    elif not listing.complete:
        problems.append("the recording list is not complete (%s): coverage is not known; %s"
                        % (listing.summary(), listing.remedy(None)))
    if not event_ids:
        problems.append("no continuous recording profile and no coverage.event_ids: nothing to cover")
    events = {}
    for event_id in event_ids:
        mine = [recording for recording in listed if recording["event_id"] == event_id]
        gaps, covered = gaps_in([_interval(recording, now) for recording in mine], window_start, now,
                                cover["max_gap"])
        recording_now = any(running(recording) for recording in mine)
        still_open = bool(gaps) and gaps[-1][1] == now and not recording_now
        report = {
            "recording_now": recording_now,
            "covered_percent": int(covered * 10000 / cover["window"]) / 100.0,
            "gaps": [{"start": iso(start), "end": iso(end), "seconds": int((end - start).total_seconds()),
                      "length": human((end - start).total_seconds()), "open": end == now and still_open}
                     for start, end in gaps],
            "cause": open_gap_cause(device, by_event.get(event_id)) if still_open else None,
        }
        events[event_id] = report
        if not recording_now:
            cause = report["cause"] or open_gap_cause(device, by_event.get(event_id))
            problems.append(f"{event_id} is not recording now: {cause}")
        closed = [gap for gap in report["gaps"] if not gap["open"]]
        if closed:
            problems.append("%s has %d gap(s) longer than %s in the last %s: %s"
                            % (event_id, len(closed), human(cover["max_gap"]), human(cover["window"]),
                               ", ".join("{} from {}".format(gap["length"], gap["start"]) for gap in closed)))
    disks = retention(device, query, now, cover["retention_target"], problems)
    return {
        "window": {"start": iso(window_start), "end": iso(now), "seconds": int(cover["window"])},
        "max_gap_seconds": int(cover["max_gap"]),
        "event_ids": events,
        "disks": disks,
        "complete": listing.complete,
        "stopped": listing.stopped,
        "compliant": not problems,
        "problems": problems,
    }


def retention(device, query, now, target, problems):
    """Per mounted disk: the oldest recording and how far back recordings reach. A disk without recordings is
    listed but not short of the target: whether the camera records there is what the event ids tell. A disk in
    status failed may be mounted and recording (file system errors on a mounted card): it is measured too."""
    result = {}
    for disk_id, disk in sorted(device.disks().items()):
        may_be_mounted = disk["status"] == UNKNOWN_MOUNT_STATUS or is_mounted(device, disk_id)
        if query.disk_id and disk_id != query.disk_id or not may_be_mounted:
            continue
        matched, oldest = recordings_page(device, [("diskid", disk_id), ("recordingid", "all")], 0, 1)
        achieved = (now - parse_time(oldest[0]["start"], "starttime")).total_seconds() if oldest else 0
        short = target is not None and bool(oldest) and achieved < target
        result[disk_id] = {
            "recordings": matched,
            "oldest_recording": oldest[0]["start"] if oldest else None,
            "achieved_retention_seconds": int(achieved),
            "achieved_retention": human(achieved),
            "cleanup_max_age_days": disk.get("cleanup_max_age"),
            "retention_target_seconds": int(target) if target is not None else None,
            "retention_short": short,
        }
        if short:
            problems.append("%s holds recordings back %s, short of the retention target %s"
                            % (disk_id, human(achieved), human(target)))
    return result


def gather(device, params):
    """The recordings that match the options, and the coverage report when asked."""
    query = Query(params)
    # The first read tells the camera's time (Date header): windows "24h" are measured from it.
    device.properties()
    now = camera_now(device)
    data = {"camera_time": iso(now)}
    if query.coverage is not None:
        data["coverage"] = coverage_report(device, query, now)
        return data
    listing = list_recordings(
        device, recording_filters(query, resolve_moment(query.start, now), resolve_moment(query.stop, now)),
        query.page_size, query.max_pages)
    data["recordings"] = listing.recordings
    data["complete"] = listing.complete
    data["pages"] = listing.pages
    if not listing.complete:
        data["warnings"] = [f"{listing.summary()}; {listing.remedy('narrow the window or raise max_pages')}"]
    return data
