# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""axis_recording_info against the emulator, on its own clock.

The scenarios run the action plugin in-process (tests/integration/inprocess.py); a check-mode run goes through
real ansible-playbook (test_a_day_of_continuous_recording_is_fully_covered_on_the_camera_clock), and so does the
share quota the role builds from its inventory group (playbooks/converge.yml: weights from host variables, --limit,
a camera outside the group); the quota's split itself runs in-process through axis_edge_storage's share_quota."""

from __future__ import annotations

import datetime

import pytest

from tests.emulator.model import Recording
from tests.integration.checks import COPIED_ID, OTHER_ID, minute_recordings, one_id_on_two_disks
from tests.integration.harness import run_collection_playbook, run_playbook
from tests.integration.inprocess import run_task, run_tasks

MODULE = "vapix.edge_storage.axis_recording_info"
HOUR = 3600
ROLE_TASK = "vapix.edge_storage.edge_storage : Converge the edge storage of the camera"


def info_task(name="info", **options):
    return {"name": name, MODULE: options}


def start_recording_continuously(camera, event_id="continuous", clear=True):
    """A continuous profile on the SD card, recording from the camera's current time."""
    with camera.model.lock:
        if clear:
            camera.model.recordings = []
        camera.model.add_profile("SD_DISK", "resolution=1280x720", event_id)


def disk_job(camera, action, disk_id="SD_DISK"):
    """Mount or unmount a disk on the emulated camera and wait for the job (bounded)."""
    job = camera.model.start_mount(disk_id, action)
    for _poll in range(50):
        if job.done:
            break
        camera.model.poll_disk_job(job.job_id, disk_id)
    assert job.done and job.result == "OK", job.description


def parse(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_day_of_continuous_recording_is_fully_covered_on_the_camera_clock(camera):
    start_recording_continuously(camera)
    camera.model.advance_clock(24 * HOUR + 600)
    camera.clear_log()
    run = run_playbook(camera, [info_task(coverage={"window": "24h", "max_gap": "5m"})], check=True)
    assert run.rc == 0, run
    assert run.changed == 0 and camera.write_count() == 0
    result = run.result("info")
    # "now" is the camera's clock, a day ahead of the controller's
    camera_time = parse(result["camera_time"])
    assert abs((camera_time - camera.model.now()).total_seconds()) < 60
    assert (camera_time - datetime.datetime.now(datetime.UTC)).total_seconds() > 23 * HOUR
    coverage = result["coverage"]
    assert coverage["window"]["seconds"] == 24 * HOUR
    assert coverage["window"]["end"] == result["camera_time"]
    continuous = coverage["event_ids"]["continuous"]
    assert continuous == {"recording_now": True, "covered_percent": 100.0, "gaps": [], "cause": None}
    assert coverage["compliant"] is True and coverage["problems"] == []
    assert coverage["disks"]["SD_DISK"]["recordings"] == 1
    # every request was a read, with the window from the camera's clock
    listings = [entry for entry in camera.log() if entry["path"].endswith("record/list.cgi")]
    assert listings and all(not entry["write"] for entry in camera.log())


def test_an_unmount_of_37_minutes_is_one_gap_of_37_minutes(camera):
    start_recording_continuously(camera)
    camera.model.advance_clock(2 * HOUR)
    disk_job(camera, "unmount")
    camera.model.advance_clock(37 * 60)
    disk_job(camera, "mount")
    camera.model.advance_clock(HOUR)
    run = run_tasks(camera, [info_task(coverage={"window": "3h", "max_gap": "5m"})])
    assert run.rc == 0, run
    coverage = run.result("info")["coverage"]
    continuous = coverage["event_ids"]["continuous"]
    assert continuous["recording_now"] is True
    assert len(continuous["gaps"]) == 1, continuous
    gap = continuous["gaps"][0]
    assert 37 * 60 <= gap["seconds"] < 38 * 60 and gap["length"].startswith("37m")
    assert gap["open"] is False
    # now = start + 3h37m, so the 3-hour window opens 37 minutes after the recording started and
    # the gap (2 hours after the start) begins 83 minutes into the window
    assert abs((parse(gap["start"]) - parse(coverage["window"]["start"])).total_seconds() - 83 * 60) < 60
    assert 78.8 < continuous["covered_percent"] < 79.5     # (180 - 37) / 180
    assert coverage["compliant"] is False
    assert any("1 gap(s) longer than 5m" in problem for problem in coverage["problems"])


def test_an_open_gap_names_its_cause(camera):
    start_recording_continuously(camera)
    camera.model.advance_clock(HOUR)
    disk_job(camera, "unmount")
    camera.model.advance_clock(20 * 60)
    run = run_tasks(camera, [info_task(coverage={"window": "1h"})])
    assert run.rc == 0, run
    continuous = run.result("info")["coverage"]["event_ids"]["continuous"]
    assert continuous["recording_now"] is False
    assert continuous["gaps"][-1]["open"] is True and continuous["gaps"][-1]["seconds"] >= 20 * 60
    assert continuous["cause"].startswith("disk SD_DISK is not mounted")

    disk_job(camera, "mount")
    camera.inject(eject="SD_DISK")
    camera.model.advance_clock(10 * 60)
    run = run_tasks(camera, [info_task(coverage={"window": "1h"})])
    continuous = run.result("info")["coverage"]["event_ids"]["continuous"]
    assert continuous["recording_now"] is False
    assert continuous["cause"] == "disk SD_DISK is missing (status disconnected)"


def test_an_event_id_without_a_profile_is_not_recording(camera):
    start_recording_continuously(camera)
    camera.model.advance_clock(HOUR)
    run = run_tasks(camera, [info_task(coverage={"window": "1h", "event_ids": ["continuous", "lobby"]})])
    coverage = run.result("info")["coverage"]
    assert coverage["event_ids"]["continuous"]["covered_percent"] == 100.0
    lobby = coverage["event_ids"]["lobby"]
    assert lobby["recording_now"] is False and lobby["covered_percent"] == 0.0
    assert lobby["cause"] == "no continuous recording profile records this event id"
    assert coverage["compliant"] is False


def test_achieved_retention_short_of_the_target_is_flagged(camera):
    start_recording_continuously(camera)
    camera.model.advance_clock(2 * 24 * HOUR)
    run = run_tasks(camera, [info_task(coverage={"window": "24h", "retention_target": "7d"}),
                             info_task(name="enough", coverage={"window": "24h", "retention_target": "1d"})])
    assert run.rc == 0, run
    disk = run.result("info")["coverage"]["disks"]["SD_DISK"]
    assert disk["retention_short"] is True
    assert 2 * 24 * HOUR <= disk["achieved_retention_seconds"] < 2 * 24 * HOUR + 600
    assert disk["achieved_retention"].startswith("2d")
    assert disk["retention_target_seconds"] == 7 * 24 * HOUR
    assert disk["cleanup_max_age_days"] == camera.dump()["disks"][0]["cleanup_max_age"]
    assert any("short of the retention target 7d" in p for p in run.result("info")["coverage"]["problems"])
    assert run.result("enough")["coverage"]["disks"]["SD_DISK"]["retention_short"] is False


def test_paging_joins_pages_and_the_page_cap_is_reported(camera):
    minute_recordings(camera, 25)
    camera.clear_log()
    run = run_tasks(camera, [info_task(page_size=10), info_task(name="capped", page_size=10, max_pages=2)])
    assert run.rc == 0, run
    every = run.result("info")
    assert every["complete"] is True and every["pages"] == 3
    assert len(every["recordings"]) == 25
    assert len({r["recording_id"] for r in every["recordings"]}) == 25
    starts = [r["start"] for r in every["recordings"]]
    assert starts == sorted(starts)
    assert all(r["status"] == "completed" and r["stop"] for r in every["recordings"])
    capped = run.result("capped")
    assert capped["complete"] is False and capped["pages"] == 2 and len(capped["recordings"]) == 20
    assert any("max_pages" in warning for warning in capped["warnings"])
    pages = [entry["args"] for entry in camera.log() if entry["path"].endswith("record/list.cgi")]
    assert len(pages) == 5


def five_minute_recordings(camera, count):
    """count finished 5-minute recordings (event id "cont") on SD_DISK, back to back, the last ending now."""
    with camera.model.lock:
        now = camera.model.now()
        camera.model.recordings = []
        for number in range(count):
            begin = now - datetime.timedelta(minutes=5 * (count - number))
            camera.model.recordings.append(Recording("R%03d" % number, "SD_DISK", begin,
                                                     begin + datetime.timedelta(minutes=5), "cont", "continuous",
                                                     "cont", ""))


def test_a_recording_the_camera_cleans_up_between_two_pages_skips_no_other(camera):
    five_minute_recordings(camera, 250)
    # the camera's fifo cleanup removes the oldest recording right after the first page is answered
    camera.inject(fifo_cleanup={"after": "record/list.cgi"})
    camera.clear_log()
    run = run_tasks(camera, [info_task(start="24h")])
    assert run.rc == 0, run
    result = run.result("info")
    # R000 was listed before it went; R100, which moved back to where R099 was, is not skipped
    assert [r["recording_id"] for r in result["recordings"]] == ["R%03d" % number for number in range(250)]
    assert result["complete"] is True and "warnings" not in result
    # the page from R099's place finds it gone from there: asked again from one before (the count fell by one)
    pages = [(entry["args"]["startatresultnumber"], entry["args"]["maxnumberofresults"])
             for entry in camera.log() if entry["path"].endswith("record/list.cgi")]
    assert pages == [("0", "100"), ("99", "101"), ("98", "101"), ("198", "101")]
    assert result["pages"] == 4
    with camera.model.lock:
        assert "R000" not in {recording.rec_id for recording in camera.model.recordings}


def test_a_camera_counting_results_from_1_lists_each_recording_once_also_when_it_cleans_up(legacy_camera):
    """The legacy profile counts startatresultnumber from 1 (the modern one from 0): paged, with the oldest
    recording removed between two pages, every other recording is listed exactly once."""
    five_minute_recordings(legacy_camera, 250)
    legacy_camera.inject(fifo_cleanup={"after": "record/list.cgi"})
    run = run_tasks(legacy_camera, [info_task(start="24h")])
    assert run.rc == 0, run
    result = run.result("info")
    assert [r["recording_id"] for r in result["recordings"]] == ["R%03d" % number for number in range(250)]
    assert result["complete"] is True and "warnings" not in result
    plain = run_tasks(legacy_camera, [info_task(start="24h", page_size=7)]).result("info")
    assert [r["recording_id"] for r in plain["recordings"]] == ["R%03d" % number for number in range(1, 250)]
    assert plain["complete"] is True


def test_coverage_shows_no_gap_where_the_camera_cleaned_up_between_two_pages(camera):
    five_minute_recordings(camera, 250)
    camera.inject(fifo_cleanup={"after": "record/list.cgi"})
    run = run_tasks(camera, [info_task(coverage={"window": "24h", "max_gap": "1m", "event_ids": ["cont"]})])
    assert run.rc == 0, run
    coverage = run.result("info")["coverage"]
    assert coverage["complete"] is True and coverage["stopped"] is None
    # one gap: from the window's start to the first recording (250 x 5 minutes cover the last 20h 50m, up to the
    # time they were made: the run's "now" is a moment later)
    gaps = coverage["event_ids"]["cont"]["gaps"]
    assert len(gaps) == 1 and gaps[0]["start"] == coverage["window"]["start"]
    assert abs(gaps[0]["seconds"] - (3 * HOUR + 10 * 60)) <= 60


def test_one_recording_id_on_two_disks_is_listed_on_each(make_camera):
    camera = make_camera("modern-share")
    one_id_on_two_disks(camera)
    run = run_tasks(camera, [info_task(start="2026-11-01T00:00:00Z")])
    assert run.rc == 0, run
    result = run.result("info")
    assert sorted((r["recording_id"], r["disk_id"]) for r in result["recordings"]) == [
        (COPIED_ID, "NetworkShare"), (COPIED_ID, "SD_DISK"), (OTHER_ID, "SD_DISK")]
    assert result["complete"] is True and result["pages"] == 1 and "warnings" not in result


def test_filters_by_event_and_window_relative_to_the_camera_clock(camera):
    # seed recordings: motion on 2026-11-20 and -21, audio detection on -22 (factory state)
    run = run_tasks(camera, [
        info_task(name="motion", event_id="motion"),
        info_task(name="window", start="2026-11-21T00:00:00Z", stop="2026-11-21T23:59:59Z"),
        info_task(name="recent", start="1h"),
    ])
    assert run.rc == 0, run
    assert [r["event_id"] for r in run.result("motion")["recordings"]] == ["motion", "motion"]
    window = run.result("window")["recordings"]
    assert [r["start"] for r in window] == ["2026-11-21T12:30:00.000000Z"]
    assert run.result("recent")["recordings"] == []


def test_wrong_options_fail_before_any_request(camera):
    camera.clear_log()
    run = run_tasks(camera, [
        {"name": "both", MODULE: {"start": "1h", "coverage": {}}, "ignore_errors": True},
        {"name": "page", MODULE: {"page_size": 0}, "ignore_errors": True},
        {"name": "time", MODULE: {"start": "yesterday"}, "ignore_errors": True},
    ])
    assert "leave start and stop out" in run.result("both")["msg"]
    assert "page_size 0 is out of range" in run.result("page")["msg"]
    assert "'yesterday' is not understood" in run.result("time")["msg"]
    assert camera.log() == []


# -- the role's NAS share quota ---------------------------------------------------------------------

def quota_hosts(cameras, weights, **role_vars):
    hosts = {}
    for index, camera in enumerate(cameras):
        host = {"ansible_host": camera.host, "edge_storage_port": camera.port, "edge_storage_protocol": "http",
                "edge_storage_username": "root", "edge_storage_password": "pass",
                "edge_storage_share_quota_group": "nas1_cameras"}
        if weights[index] is not None:
            host["edge_storage_share_quota_weight"] = weights[index]
        host.update(role_vars)
        hosts["cam%d" % index] = host
    return hosts


def network_share_limits(cameras):
    return [camera.dump()["storage_limits"]["NetworkShare"] for camera in cameras]


def run_share_quota(cameras, weights, check=False, sections=None, **quota):
    """What the role's one task does on each camera of the group, in-process: axis_edge_storage with the
    share_quota the role builds (weights of the group's cameras by host name, this camera as member).
    Returns {host: result}."""
    hosts = ["cam%d" % index for index in range(len(cameras))]
    results = {}
    for host, camera in zip(hosts, cameras):
        args = dict(sections or {}, share_quota=dict(quota, weights=weights, member=host))
        results[host] = run_task(camera, "axis_edge_storage", args, check=check)
    return results


def test_the_role_splits_the_nas_by_weight_and_limit_changes_nobodys_part(make_camera):
    cameras = [make_camera("modern-share") for _index in range(3)]
    # weights 2, 1 and (unset =) 1 of an 8 GiB NAS
    hosts = quota_hosts(cameras, [2, 1, None], edge_storage_share_quota_capacity="8 GiB")
    groups = {"nas1_cameras": list(hosts)}
    only_one = run_collection_playbook("converge.yml", hosts, groups=groups, limit="cam1")
    assert only_one.rc == 0, only_one
    assert network_share_limits(cameras) == [0, 2097152, 0]

    everyone = run_collection_playbook("converge.yml", hosts, groups=groups)
    assert everyone.rc == 0, everyone
    assert network_share_limits(cameras) == [4194304, 2097152, 2097152]
    assert sum(network_share_limits(cameras)) == 8 * 1024 * 1024
    # cam1 already had its part: only the other two changed
    changed = [entry["host"] for entry in everyone.statuses("changed")]
    assert sorted(changed) == ["cam0", "cam2"]


@pytest.mark.parametrize("variable, values", [
    ("edge_storage_share_quota_capacity", ["8 GiB", "16 GiB"]),
    ("edge_storage_share_quota_reserve", ["10%", None]),
])
def test_the_role_refuses_a_capacity_or_reserve_the_group_does_not_agree_on(make_camera, variable, values):
    # Each camera split its own value: 4 GiB + 8 GiB were set as the parts of one 8 GiB NAS.
    cameras = [make_camera("modern-share") for _index in range(2)]
    hosts = quota_hosts(cameras, [None, None], edge_storage_share_quota_capacity="8 GiB")
    for host, value in zip(hosts, values):
        hosts[host][variable] = value
    run = run_collection_playbook("converge.yml", hosts, groups={"nas1_cameras": list(hosts)})
    assert run.rc != 0
    for host in hosts:
        message = run.result(ROLE_TASK, host)["msg"]
        assert "the cameras of group 'nas1_cameras' do not agree on %s" % variable in message, message
        assert "set it once for the whole group" in message
    assert network_share_limits(cameras) == [0, 0]
    assert all(camera.write_count() == 0 for camera in cameras)


def test_the_role_takes_one_capacity_however_each_camera_spells_it(make_camera):
    # The cameras were compared by the text of their variables: '8 GiB' and 8388608 (kB) were refused as different.
    cameras = [make_camera("modern-share") for _index in range(2)]
    hosts = quota_hosts(cameras, [None, None], edge_storage_share_quota_capacity="8 GiB")
    hosts["cam1"]["edge_storage_share_quota_capacity"] = 8388608
    run = run_collection_playbook("converge.yml", hosts, groups={"nas1_cameras": list(hosts)})
    assert run.rc == 0, run
    assert network_share_limits(cameras) == [4194304, 4194304]


def test_the_role_names_the_host_variable_and_group_of_a_weight_that_is_not_positive(make_camera):
    # It said the camera "does not belong in the weights", which the role's user never wrote.
    cameras = [make_camera("modern-share") for _index in range(2)]
    hosts = quota_hosts(cameras, [0, None], edge_storage_share_quota_capacity="8 GiB")
    run = run_collection_playbook("converge.yml", hosts, groups={"nas1_cameras": list(hosts)})
    assert run.rc != 0
    message = run.result(ROLE_TASK, "cam1")["msg"]
    assert "the weight of 'cam0' (its host variable edge_storage_share_quota_weight) is 0: give a positive " \
           "number (a camera that should not record to the share does not belong in the inventory group " \
           "'nas1_cameras': take it out of the group)" in message, message
    # given as weights: the item's name and the split's name were both put before the message
    failed = run_share_quota([cameras[1]], {"cam0": 0, "cam1": 1})["cam0"]
    assert failed["msg"].startswith("share_quota: the weight of 'cam0' is 0"), failed["msg"]
    assert network_share_limits(cameras) == [0, 0]


def test_the_share_quota_takes_the_nas_size_from_the_network_share_disk(make_camera):
    cameras = [make_camera("modern-share") for _index in range(2)]
    total_kb = cameras[0].dump()["disks"][1]["total_kb"]
    results = run_share_quota(cameras, {"cam0": 3, "cam1": 1}, check=True, reserve="10%")
    assert not any(result.get("failed") for result in results.values()), results
    assert all(camera.write_count() == 0 for camera in cameras)
    usable = total_kb - -(-total_kb // 10)
    planned = [result["after"]["storage limit NetworkShare"]["size_kb"] for result in results.values()]
    assert sum(planned) == usable and planned[0] > 2 * planned[1]


def test_from_factory_state_the_share_quota_binds_the_share_and_sets_its_part_in_one_run(make_camera):
    # No share yet, so no NAS size when the run starts: the limit is worked out after the share is bound.
    cameras = [make_camera("modern") for _index in range(2)]
    share = {"name": "nas1", "address": "nas.example.com", "share": "cameras", "bound": True}
    weights = {"cam0": 1, "cam1": 3}
    check = run_share_quota(cameras, weights, check=True, sections={"shares": [share]})
    assert not any(result.get("failed") for result in check.values()), check
    assert all(camera.write_count() == 0 for camera in cameras)
    assert any("planned after the changes" in warning for warning in check["cam0"]["warnings"])

    first = run_share_quota(cameras, weights, sections={"shares": [share]})
    assert not any(result.get("failed") for result in first.values()), first
    total_kb = cameras[0].dump()["disks"][1]["total_kb"]
    assert total_kb > 0
    assert network_share_limits(cameras) == [total_kb // 4, total_kb - total_kb // 4]
    again = run_share_quota(cameras, weights, sections={"shares": [share]})
    assert not any(result.get("failed") or result["changed"] for result in again.values()), again


@pytest.mark.parametrize("args, needle", [
    # the SD card's settings change nothing of the NAS: cam1's part below 1 GiB failed only after writing them
    ({"disks": [{"disk_id": "SD_DISK", "cleanup_max_age": 5}],
      "share_quota": {"weights": {"cam0": 2000, "cam1": 1}, "member": "cam1"}},
     "cam1 would get less than the camera's minimum storage limit"),
    # a change to the network share's settings changes nothing of the SD card's size
    ({"disks": [{"disk_id": "NetworkShare", "cleanup_max_age": 5}], "storage_limits": {"SD_DISK": "200 GiB"}},
     "is larger than disk SD_DISK itself"),
    # the recording defaults change no disk: the split duration was set, then the limit failed
    ({"recording_settings": {"default_split_duration": 123}, "storage_limits": {"SD_DISK": "200 GiB"}},
     "is larger than disk SD_DISK itself"),
])
def test_a_limit_wrong_whatever_the_other_sections_do_fails_before_any_write(make_camera, args, needle):
    camera = make_camera("modern-share")
    for check in (True, False):
        camera.clear_log()
        result = run_task(camera, "axis_edge_storage", args, check=check)
        assert result.get("failed") is True and result["changed"] is False, result
        assert needle in result["msg"] and "change was made" not in result["msg"]
        assert camera.write_count() == 0


def test_a_quota_capacity_larger_than_the_share_the_camera_reports_is_refused(make_camera):
    # 2 TiB split over 4 cameras of a 1 TiB share: each part (512 GiB) fit the share, and all four were set.
    camera = make_camera("modern-share")
    weights = {"cam%d" % index: 1 for index in range(4)}
    for check in (True, False):
        result = run_share_quota([camera], weights, check=check, capacity="2 TiB")["cam0"]
        assert result.get("failed") is True and result["changed"] is False, result
        assert "the quota's capacity 2 TiB (2147483648 kB) is more than disk NetworkShare itself (1 TiB, " \
               "1073741824 kB)" in result["msg"]
        assert "at most 1 TiB (with the role: edge_storage_share_quota_capacity)" in result["msg"]
    assert network_share_limits([camera]) == [0] and camera.write_count() == 0
    # also once the camera already has the part: the run does not report a share split above its size as ok
    with camera.model.lock:
        camera.model.set_limit("NetworkShare", str(512 * 1024 * 1024))
    assert run_share_quota([camera], weights, capacity="2 TiB")["cam0"].get("failed") is True
    assert run_share_quota([camera], weights, capacity="1 TiB")["cam0"]["changed"] is True
    assert network_share_limits([camera]) == [256 * 1024 * 1024]


def test_a_group_quota_in_a_storage_limits_item_points_to_share_quota_in_a_play(make_camera):
    # In a play the item's group is not read from the inventory either; it said "run the task in a play".
    camera = make_camera("modern-share")
    tasks = [{"name": "limits", "vapix.edge_storage.axis_edge_storage": {
        "storage_limits": [{"disk_id": "NetworkShare", "quota": {"group": "cameras"}}]}}]
    run = run_playbook([camera], tasks)
    assert run.rc != 0
    message = run.result("limits", "cam0")["msg"]
    assert "run the task in a play" not in message
    assert "storage_limits[0]: the quota's group cameras is read from the play's inventory only for" in message
    assert "(for a storage_limits item, share_quota)" in message
    assert camera.write_count() == 0


def test_a_share_quota_beside_a_network_share_limit_is_refused(make_camera):
    camera = make_camera("modern-share")
    failed = run_share_quota([camera], {"cam0": 1}, sections={"storage_limits": {"NetworkShare": "500 GiB"}})["cam0"]
    assert failed["error_class"] == "invalid_argument"
    assert "storage_limits sets it too" in failed["msg"]
    assert camera.write_count() == 0


def test_the_role_refuses_an_unknown_nas_size_and_a_camera_outside_the_group(make_camera):
    camera = make_camera("modern")      # no share bound: the NetworkShare disk has no size
    failed = run_share_quota([camera], {"cam0": 1})["cam0"]
    assert failed.get("failed") is True
    assert "capacity to split is unknown" in failed["msg"] and "edge_storage_share_quota_capacity" in failed["msg"]
    assert failed["error_class"] == "invalid_argument" and failed["changed"] is False
    hosts = quota_hosts([camera], [1])
    outside = run_collection_playbook("converge.yml", hosts, groups={"other": ["cam0"]})
    assert outside.rc != 0
    assert "must be an inventory group that holds this camera" in outside.result(ROLE_TASK, "cam0")["msg"]
    assert camera.write_count() == 0


def test_a_damaged_recording_list_is_an_error_not_an_empty_list(camera):
    start_recording_continuously(camera)
    camera.model.advance_clock(HOUR)
    camera.inject(answer=[{"path": "record/list.cgi", "kind": "drop_attribute", "name": "numberofrecordings"}])
    run = run_tasks(camera, [info_task(coverage={"window": "1h"})])
    failed = run.result("info")
    assert failed["error_class"] == "damaged_answer"
    assert "record/list.cgi" in failed["msg"] and "numberofrecordings" in failed["msg"]
    assert "coverage" not in failed
    camera.inject(answer=[{"path": "record/list.cgi", "kind": "truncate", "after": "<recording "}])
    run = run_tasks(camera, [info_task(coverage={"window": "1h"})])
    assert run.result("info")["error_class"] == "damaged_answer"
    # the fault spent, the same question is answered
    run = run_tasks(camera, [info_task(coverage={"window": "1h"})])
    assert run.result("info")["coverage"]["event_ids"]["continuous"]["covered_percent"] == 100.0
