# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The recording list parser, paging, gaps and the options of axis_recording_info."""

from __future__ import annotations

import datetime

import pytest

from tests.unit.double import Call, Transcript

from ansible_collections.vapix.edge_storage.plugins.module_utils import _recording_removal, _xml
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ConcurrentChangeError, ValidationError
from ansible_collections.vapix.edge_storage.plugins.module_utils._parsers import AnswerError, parse_recording_list
from ansible_collections.vapix.edge_storage.plugins.module_utils._recordings import (
    Query,
    gaps_in,
    human,
    list_recordings,
)

UTC = datetime.UTC

# Shaped like the vendor's list1.xsd answer: one finished, one running recording.
LIST = b"""<?xml version="1.0" encoding="UTF-8"?>
<root xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
      xsi:noNamespaceSchemaLocation="http://www.axis.com/vapix/http_cgi/recording/list1.xsd">
  <recordings totalnumberofrecordings="6" numberofrecordings="2">
    <recording diskid="NetworkShare" recordingid="20110812_081211_016F_00408C1834FD"
      starttime="2011-08-12T08:12:11Z" starttimelocal="2011-08-12T10:12:11+02:00"
      stoptime="2011-08-13T09:30:30Z" stoptimelocal="2011-08-13T11:30:30+02:00"
      recordingtype="continuous" eventid="continuous_nas" eventtrigger="continuous"
      recordingstatus="completed" source="1">
      <video mimetype="video/x-h264" source="1" framerate="30:1" resolution="1920x1080" width="1920" height="1080"/>
    </recording>
    <recording diskid="NetworkShare" recordingid="20110813_103530_037C_00408C1834FD"
      starttime="2011-08-13T10:35:30Z" stoptime="" recordingtype="continuous" eventid="continuous_nas"
      recordingstatus="Recording" source="1"/>
  </recordings>
</root>"""


def test_parse_recording_list():
    matched, recordings = parse_recording_list(_xml.parse(LIST))
    assert matched == 2
    assert recordings == [
        {"recording_id": "20110812_081211_016F_00408C1834FD", "disk_id": "NetworkShare",
         "event_id": "continuous_nas", "type": "continuous", "start": "2011-08-12T08:12:11Z",
         "stop": "2011-08-13T09:30:30Z", "status": "completed"},
        {"recording_id": "20110813_103530_037C_00408C1834FD", "disk_id": "NetworkShare",
         "event_id": "continuous_nas", "type": "continuous", "start": "2011-08-13T10:35:30Z",
         "stop": None, "status": "recording"},
    ]


@pytest.mark.parametrize("damage, needle", [
    ((b"<recordings totalnumberofrecordings=\"6\" numberofrecordings=\"2\">", b"<other>"), "has no <recordings> element"),
    ((b' numberofrecordings="2"', b""), "lacks the required attribute numberofrecordings"),
    ((b'starttime="2011-08-13T10:35:30Z"', b""), "lacks the required attribute starttime"),
    ((b'diskid="NetworkShare" recordingid="20110812_081211_016F_00408C1834FD"',
      b'diskid="" recordingid="20110812_081211_016F_00408C1834FD"'),
     "has an empty diskid"),
])
def test_a_damaged_list_is_an_error_not_an_empty_list(damage, needle):
    text = LIST.replace(*damage)
    if b"<other>" in text:
        text = text.replace(b"</recordings>", b"</other>")
    with pytest.raises(AnswerError, match=needle):
        parse_recording_list(_xml.parse(text))


def page(first, numbers, total, count=10):
    """record/list.cgi asked for count recordings from result first, answering recordings rec<number> of total
    that match (numberofrecordings is the count before paging)."""
    recordings = "".join(
        '<recording diskid="SD_DISK" recordingid="rec%02d" starttime="2026-11-30T00:%02d:00Z" '
        'stoptime="2026-11-30T00:%02d:30Z" recordingtype="continuous" eventid="continuous" '
        'recordingstatus="completed" source="1"/>' % (number, number, number) for number in numbers)
    return Call("record/list.cgi", {"sortorder": "ascending", "startatresultnumber": first,
                                    "maxnumberofresults": count}).answers(
        '<?xml version="1.0" encoding="UTF-8"?><root><recordings totalnumberofrecordings="%d" '
        'numberofrecordings="%d">%s</recordings></root>' % (total, total, recordings))


def later(first, numbers, total):
    """A page after the first: asked from the last recording listed (first), for one more than page_size 10."""
    return page(first, numbers, total, count=11)


# A camera whose startatresultnumber counts from 0, and one that counts from 1 (and answers 0 like 1). Each page
# after the first is asked from the last recording listed, for 11: that recording again and 10 more at most; on
# the camera counting from 1 the first of these pages starts one before it.
PAGES_FROM_0 = [page(0, range(0, 10), 25), later(9, range(9, 20), 25), later(19, range(19, 25), 25)]
PAGES_FROM_1 = [page(0, range(0, 10), 25), later(9, range(8, 19), 25), later(19, range(18, 25), 25)]


@pytest.mark.parametrize("pages", [PAGES_FROM_0, PAGES_FROM_1], ids=["first-index-0", "first-index-1"])
def test_paging_lists_each_recording_once_whatever_the_first_index(pages):
    camera = Transcript(*pages)
    listing = list_recordings(camera.device(), [("recordingid", "all")], 10, 50)
    assert [r["recording_id"] for r in listing.recordings] == ["rec%02d" % n for n in range(25)]
    assert listing.complete is True and listing.stopped is None
    # as many requests as without the overlap: each page still brings up to page_size recordings not listed before
    assert listing.pages == len(camera.sent) == 3
    assert all(sent.params["recordingid"] == "all" for sent in camera.sent)


def test_paging_stops_at_max_pages_and_says_it_is_incomplete():
    camera = Transcript(*PAGES_FROM_0[:2])
    listing = list_recordings(camera.device(), [], 10, 2)
    assert (len(listing.recordings), listing.complete, listing.pages) == (20, False, 2)
    assert listing.stopped == "max_pages"
    assert listing.summary() == "listed 20 recordings in 2 pages (max_pages) and stopped: more match"


def test_paging_stops_when_the_camera_returns_nothing_new():
    # a camera that keeps answering the first page: bounded, and incomplete, for that reason and not max_pages
    camera = Transcript(page(0, range(10), 50), later(9, range(10), 50))
    listing = list_recordings(camera.device(), [], 10, 50)
    assert (len(listing.recordings), listing.complete, listing.pages) == (10, False, 2)
    assert listing.stopped == "nothing_new"
    assert listing.summary() == ("listed 10 recordings in 2 pages and stopped: page 2 held no recording not listed "
                                 "before, though the camera counts 50 that match")
    assert "max_pages" not in listing.summary() + listing.remedy("raise max_pages")
    assert listing.remedy("raise max_pages").startswith("run the task again")


def test_one_recording_id_on_two_disks_is_two_recordings():
    # a recording copied to the network share keeps its id there
    body = ('<?xml version="1.0" encoding="UTF-8"?><root><recordings totalnumberofrecordings="3" '
            'numberofrecordings="3">%s</recordings></root>' % "".join(
                '<recording diskid="%s" recordingid="%s" starttime="2026-11-20T08:00:00Z" '
                'stoptime="2026-11-20T08:05:00Z" eventid="motion" recordingstatus="completed"/>' % pair
                for pair in (("SD_DISK", "rec_a"), ("NetworkShare", "rec_a"), ("SD_DISK", "rec_b"))))
    camera = Transcript(Call("record/list.cgi", {"startatresultnumber": 0, "maxnumberofresults": 10}).answers(body))
    listing = list_recordings(camera.device(), [("recordingid", "all")], 10, 50)
    assert [(r["recording_id"], r["disk_id"]) for r in listing.recordings] == [
        ("rec_a", "SD_DISK"), ("rec_a", "NetworkShare"), ("rec_b", "SD_DISK")]
    assert (listing.complete, listing.pages) == (True, 1)


# The camera's cleanup removes the oldest recording (rec00) after the first page: the 24 left move back by one.
# Counting from 0, the page asked from rec09's number (9) starts at rec10: nothing listed before is on it, so the
# listing asks again from one further back (the count fell by one), finds rec09 there, and goes on from it.
CLEANED_UP_FROM_0 = [page(0, range(0, 10), 25), later(9, range(10, 21), 24), later(8, range(9, 20), 24),
                     later(18, range(19, 25), 24)]
# Counting from 1, the page asked from 9 now starts at rec09 itself: found, nothing to ask again.
CLEANED_UP_FROM_1 = [page(0, range(0, 10), 25), later(9, range(9, 20), 24), later(19, range(19, 25), 24)]


@pytest.mark.parametrize("pages", [CLEANED_UP_FROM_0, CLEANED_UP_FROM_1], ids=["first-index-0", "first-index-1"])
def test_a_recording_the_camera_removes_between_two_pages_skips_no_other(pages):
    camera = Transcript(*pages)
    listing = list_recordings(camera.device(), [], 10, 50)
    # rec00 was listed before it went; rec10, which moved to the number rec09 had, is not skipped
    assert [r["recording_id"] for r in listing.recordings] == ["rec%02d" % n for n in range(25)]
    assert listing.complete is True
    assert listing.pages == len(camera.sent) == len(pages)


def test_a_list_that_moved_further_than_the_pages_asked_again_is_not_complete():
    # After the first page the camera's list moved by 15 (15 oldest removed, 15 new ones): from 9, and from
    # further back, down to 0, no recording listed before is found again.
    camera = Transcript(page(0, range(0, 10), 25), later(9, range(24, 35), 25), later(8, range(23, 34), 25),
                        later(0, range(15, 26), 25))
    listing = list_recordings(camera.device(), [], 10, 50)
    assert listing.complete is False and listing.stopped == "list_moved"
    assert [r["recording_id"] for r in listing.recordings] == ["rec%02d" % n for n in range(10)]
    assert "moved while it was read" in listing.why and "2 page(s) asked again" in listing.why
    assert listing.remedy("raise max_pages") == "run the task again"


def test_a_removal_whose_list_cannot_be_followed_removes_nothing(monkeypatch):
    monkeypatch.setattr(_recording_removal, "PAGE_SIZE", 10)
    camera = Transcript(page(0, range(0, 10), 25), later(9, range(24, 35), 25), later(8, range(23, 34), 25),
                        later(0, range(15, 26), 25))
    removal = _recording_removal.RecordingRemoval({"disk_id": "SD_DISK", "allow_data_loss": True})
    with pytest.raises(ConcurrentChangeError, match="could not all be listed .*moved while it was read"):
        removal.selection.read(camera.device())
    assert camera.writes == []


def test_a_list_that_keeps_moving_is_asked_again_at_most_three_times_in_a_row():
    pages = [page(0, range(0, 10), 90), later(9, range(9, 20), 90), later(19, range(19, 30), 90),
             # the list moved by 40: nothing listed before on the page from 29, nor from 28, 18 and 8
             later(29, range(69, 80), 90), later(28, range(68, 79), 90), later(18, range(58, 69), 90),
             later(8, range(48, 59), 90)]
    camera = Transcript(*pages)
    listing = list_recordings(camera.device(), [], 10, 50)
    assert (listing.complete, listing.stopped, listing.pages) == (False, "list_moved", 7)
    assert len(listing.recordings) == 30 and "3 page(s) asked again" in listing.why


def at(minute):
    return datetime.datetime(2026, 11, 30, 0, 0, tzinfo=UTC) + datetime.timedelta(minutes=minute)


def test_gaps_longer_than_the_tolerance_only():
    intervals = [(at(-30), at(20)), (at(22), at(60)), (at(97), at(130))]
    gaps, covered = gaps_in(intervals, at(0), at(180), max_gap=300)
    assert gaps == [(at(60), at(97)), (at(130), at(180))]     # the 2-minute break is tolerated
    assert covered == (20 + 38 + 33) * 60


def test_overlapping_recordings_count_once():
    gaps, covered = gaps_in([(at(0), at(50)), (at(10), at(40)), (at(45), at(60))], at(0), at(60), 0)
    assert gaps == [] and covered == 3600


def test_no_recording_is_one_gap_over_the_whole_window():
    assert gaps_in([], at(0), at(60), 300) == ([(at(0), at(60))], 0.0)


@pytest.mark.parametrize("seconds, text", [(0, "0s"), (59, "59s"), (2220, "37m"), (93784, "1d 2h 3m 4s")])
def test_human(seconds, text):
    assert human(seconds) == text


@pytest.mark.parametrize("params, needle", [
    ({"page_size": 0}, "page_size 0 is out of range"),
    ({"page_size": 1001}, "page_size 1001 is out of range"),
    ({"max_pages": 0}, "max_pages 0 is out of range"),
    ({"start": "yesterday"}, "'yesterday' is not understood"),
    ({"start": "2026-13-01T00:00:00Z"}, "is not a time"),
    ({"start": "1h", "coverage": {}}, "leave start and stop out"),
    ({"coverage": {"window": "0s"}}, "longer than 0"),
    ({"coverage": {"max_gap": "soon"}}, "not understood"),
    # a bare number is not a duration here (read in milliseconds it would make a day's window 86.4 seconds)
    ({"coverage": {"window": "86400"}}, "coverage.window '86400' has no unit"),
    ({"coverage": {"window": 86400}}, "coverage.window '86400' has no unit"),
    ({"coverage": {"max_gap": "300"}}, "coverage.max_gap '300' has no unit"),
    ({"coverage": {"retention_target": "2592000"}}, "coverage.retention_target '2592000' has no unit"),
    ({"start": "3600"}, "start '3600' has no unit"),
    ({"stop": "0"}, "stop '0' has no unit"),
])
def test_wrong_options(params, needle):
    with pytest.raises(ValidationError, match=needle):
        Query(params)


def test_relative_and_absolute_times():
    query = Query({"start": "24h", "stop": "2026-11-30T08:00:00"})
    assert query.start == ("ago", 86400.0)
    assert query.stop == datetime.datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    coverage = Query({"coverage": {"window": "7d", "max_gap": "30s", "retention_target": "30d"}}).coverage
    assert coverage == {"window": 604800.0, "max_gap": 30.0, "event_ids": [], "retention_target": 2592000.0}
