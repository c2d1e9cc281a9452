# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Device.read_together against the emulator: a camera's families read at once after one request alone,
one Digest challenge for all of them, and a read that fails kept as its error until it is needed."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from tests.emulator import EmulatorFleet
from tests.integration.harness import REPO

from ansible_collections.vapix.edge_storage.plugins.module_utils import _edge_storage, _engine, _storage_info
from ansible_collections.vapix.edge_storage.plugins.module_utils._client import VapixClient
from ansible_collections.vapix.edge_storage.plugins.module_utils._device import READ_THREADS, Device
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import VapixError

EVERY_FAMILY_A_CONVERGE_READS = ["shares", "disks", "storage_params", "apidiscovery", "limits", "profiles", "groups"]
GETLIMIT = "record/storage/getlimit.cgi"


@pytest.fixture(scope="module")
def fleet():
    # Each request waits 50 ms on the camera, so requests sent at once are answered at once.
    with EmulatorFleet(count=1, latency_ms=50) as cameras:
        yield cameras


@pytest.fixture
def camera(fleet):
    fleet.cameras[0].reset("modern")
    return fleet.cameras[0]


@pytest.fixture
def device_of():
    """Devices of the emulated camera (read_threads and the password as given); their sessions are closed
    when the test ends."""
    clients = []

    def device(camera, password="pass", **options):
        clients.append(VapixClient("127.0.0.1", "root", password, port=camera.port, protocol="http", timeout=5))
        return Device(clients[-1], **options)

    yield device
    for client in clients:
        client.close()


def sent(camera):
    return [(entry["status"], entry["path"].split("/axis-cgi/", 1)[1]) for entry in camera.log()]


def test_the_parameters_go_alone_first_then_the_families_at_once_with_one_challenge(camera, device_of):
    device = device_of(camera)
    device.read_together(EVERY_FAMILY_A_CONVERGE_READS)
    log = sent(camera)
    assert log[:2] == [(401, "param.cgi"), (200, "param.cgi")]
    # The Storage group came with the properties; every other family once, at the same time.
    assert sorted(log[2:]) == sorted((200, path) for path in (
        "disks/networkshare/list.cgi", "disks/list.cgi", "apidiscovery.cgi", GETLIMIT,
        "record/continuous/listconfiguration.cgi", "record/recording_group/list.cgi"))
    assert camera.challenge_count() == 1
    assert camera.most_at_once() >= 2
    # What was read is what the resources get, with no request of their own.
    assert "SD_DISK" in device.disks() and "SD_DISK" in device.storage_params()
    device.shares(), device.storage_limits(), device.continuous_profiles(), device.recording_groups()
    device.api_list()
    assert len(camera.log()) == 8


def test_without_a_family_behind_the_parameters_the_first_family_goes_alone(camera, device_of):
    device = device_of(camera)
    device.read_together(["groups", "shares"])
    assert sent(camera)[:2] == [(401, "record/recording_group/list.cgi"), (200, "record/recording_group/list.cgi")]
    assert sent(camera)[2:] == [(200, "disks/networkshare/list.cgi")]


def test_a_damaged_answer_is_kept_as_its_error_until_the_family_is_needed(camera, device_of):
    device = device_of(camera)
    camera.inject(answer={"path": GETLIMIT, "kind": "truncate", "after": "<"})
    device.read_together(["limits", "disks"])
    requests_sent = len(camera.log())
    for _attempt in range(2):
        with pytest.raises(VapixError) as info:
            device.storage_limits()
        assert info.value.error_class == "damaged_answer" and GETLIMIT in str(info.value)
    assert len(camera.log()) == requests_sent
    assert "SD_DISK" in device.disks()
    # A write that makes the family stale forgets the error with it: the next read asks the camera again.
    device.invalidate("limits")
    assert "SD_DISK" in device.storage_limits()
    assert sent(camera)[-1] == (200, GETLIMIT)


def test_a_damaged_parameter_list_is_kept_for_both_families_it_was_asked_for(camera, device_of):
    """The properties and the Storage group come in one param.cgi answer: when it is damaged, the Storage
    parameters are not asked for again (a clean second answer once let the run write after the damaged one)."""
    device = device_of(camera)
    camera.inject(answer={"path": "param.cgi", "kind": "replace_body", "body": "", "content_type": "text/plain"})
    device.read_together(["storage_params", "disks"])
    assert sent(camera) == [(401, "param.cgi"), (200, "param.cgi")]
    for read in (device.storage_params, device.properties):
        with pytest.raises(VapixError) as info:
            read()
        assert info.value.error_class == "damaged_answer" and "the answer is empty" in str(info.value)
    assert len(camera.log()) == 2


def test_a_camera_that_refuses_the_first_read_is_asked_nothing_more(camera, device_of):
    device = device_of(camera, password="wrong")
    device.read_together(EVERY_FAMILY_A_CONVERGE_READS)
    assert sent(camera) == [(401, "param.cgi"), (401, "param.cgi")]
    with pytest.raises(VapixError) as info:
        device.shares()
    assert info.value.error_class == "auth"


def test_with_one_read_thread_nothing_is_read_ahead(camera, device_of):
    device = device_of(camera, read_threads=1)
    device.read_together(EVERY_FAMILY_A_CONVERGE_READS)
    assert camera.log() == []


def requests_of(camera):
    """The answered requests, in no order: (method, path, arguments)."""
    return Counter((entry["method"], entry["path"], repr(sorted(entry["args"].items())))
                   for entry in camera.log() if entry["status"] != 401)


DEMO = yaml.safe_load((REPO / "playbooks" / "demo" / "group_vars" / "cameras.yml").read_text())


def converge_demo(device):
    """The demo's desired state of a whole camera, converged by the engine as axis_edge_storage runs it with
    unsupported: skip (what an old camera lacks is left out)."""
    params = {section: DEMO["edge_storage_" + section] for section in (
        "shares", "disks", "storage_limits", "continuous_profiles", "recording_groups")}
    params = ArgumentSpecValidator(_edge_storage.ARGUMENT_SPEC).validate(params).validated_parameters
    resources = _edge_storage.build_resources(params, set())
    return _engine.summarize(_engine.converge(device, resources, False, skip_unsupported=True))


def gather_all(device):
    return _storage_info.gather(device, {"gather_subset": ["all", "share_tests"]})


@pytest.mark.parametrize("profile", ["modern", "legacy"])
@pytest.mark.parametrize("run", [converge_demo, gather_all])
def test_reading_ahead_sends_no_request_the_run_would_not_send(fleet, profile, run, device_of):
    """The same run reading each family when it is needed, then reading ahead: the same requests (a camera
    without a feature is not asked for it), the same outcome, one Digest challenge either way."""
    camera = fleet.cameras[0]
    seen = []
    for read_threads in (1, READ_THREADS):
        camera.reset(profile)
        outcome = run(device_of(camera, read_threads=read_threads))
        seen.append((requests_of(camera), camera.challenge_count(), outcome, camera.dump()["shares"]))
    (one_by_one, challenged, outcome, shares), (ahead, challenged_ahead, outcome_ahead, shares_ahead) = seen
    assert ahead == one_by_one
    assert challenged == challenged_ahead == 1
    assert outcome_ahead == outcome and shares_ahead == shares


def test_a_damaged_answer_read_ahead_after_writes_fails_where_the_run_needs_it(fleet, device_of):
    """The disks read after the share is bound (with the share's re-read, for the disks' plans) is damaged:
    the run stops at the disks' plan, as when it read them there, naming what it had done."""
    camera = fleet.cameras[0]
    camera.reset("modern")
    device = device_of(camera)
    params = {"shares": DEMO["edge_storage_shares"], "disks": DEMO["edge_storage_disks"]}
    params = ArgumentSpecValidator(_edge_storage.ARGUMENT_SPEC).validate(params).validated_parameters
    planned = _engine.plan_all(device, _edge_storage.build_resources(params, set()))
    camera.inject(answer={"path": "disks/list.cgi", "kind": "truncate", "after": "<disk "})
    with pytest.raises(_engine.StepError) as info:
        _engine.apply_all(device, planned)
    failure = info.value.as_dict()
    assert failure["failed_step"] == "plan disk SD_DISK (disks)"
    assert failure["error_class"] == "damaged_answer"
    assert [step.split(" ", 2)[:2] for step in failure["completed_steps"]] == [
        ["test", "the"], ["add", "share"], ["bind", "share"]]
    # After the bind: the share's re-read, the disks and the Storage parameters, once each (the damaged
    # answer is not asked for again).
    paths = [path for _status, path in sent(camera)]
    after_bind = paths[paths.index("disks/networkshare/bind.cgi") + 1:]
    assert sorted(after_bind) == ["disks/list.cgi", "disks/networkshare/list.cgi", "param.cgi"]
