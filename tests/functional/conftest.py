"""Fixtures: an emulated camera started in-process on 127.0.0.1, reset before every test."""

import re

import pytest
import requests
from requests.auth import HTTPDigestAuth

from tests.emulator import EmulatorFleet

USERS = {"admin": ("root", "pass"), "operator": ("operator", "operpass"),
         "viewer": ("viewer", "viewpass")}


class Client:
    """requests against one camera, with Digest auth per access level."""

    def __init__(self, camera, verify=True):
        self.camera = camera
        self.verify = verify
        self.sessions = {}

    def session(self, level="admin"):
        if level not in self.sessions:
            s = requests.Session()
            s.auth = HTTPDigestAuth(*USERS[level])
            s.verify = self.verify
            self.sessions[level] = s
        return self.sessions[level]

    def get(self, path, level="admin", **params):
        # verify per request: REQUESTS_CA_BUNDLE in the environment beats Session.verify
        return self.session(level).get(self.camera.url + path, params=params or None, timeout=10,
                                       verify=self.verify)

    def post(self, path, data, level="admin"):
        return self.session(level).post(self.camera.url + path, data=data, timeout=10,
                                        verify=self.verify)

    def xml(self, path, level="admin", **params):
        r = self.get(path, level, **params)
        assert r.status_code == 200, (r.status_code, r.text)
        return r.text

    def close(self):
        for s in self.sessions.values():
            s.close()


def attr(text, name, element=None):
    """First value of attribute ``name`` (optionally inside the first ``element``)."""
    if element:
        m = re.search(r"<%s\b[^>]*>" % element, text)
        assert m, f"no <{element}> in {text}"
        text = m.group(0)
    m = re.search(r'\b%s="([^"]*)"' % name, text)
    assert m, f"no {name}= in {text}"
    return m.group(1)


def disk_attr(text, disk_id, name):
    m = re.search(r'<disk diskid="%s"[^>]*>' % disk_id, text)
    assert m, text
    return attr(m.group(0), name)


def error_code(text):
    m = re.search(r"<ErrorCode>(\d+)</ErrorCode>", text)
    return int(m.group(1)) if m else None


def wait_disk_job(client, job_id, disk_id, max_polls=20):
    """Poll disks/job.cgi until progress 100; returns (final xml, list of progresses)."""
    seen = []
    for dummy in range(max_polls):
        text = client.xml("/axis-cgi/disks/job.cgi", jobid=job_id, diskid=disk_id)
        progress = int(attr(text, "progress"))
        seen.append(progress)
        if progress == 100:
            return text, seen
    raise AssertionError("job %s did not finish in %d polls: %s" % (job_id, max_polls, seen))


def start_disk_job(client, path, **params):
    text = client.xml(path, **params)
    assert attr(text, "result") == "OK", text
    return attr(text, "jobid")


def run_disk_job(client, path, disk_id, **params):
    job = start_disk_job(client, path, diskid=disk_id, **params)
    text = wait_disk_job(client, job, disk_id)[0]
    return text


@pytest.fixture(scope="session")
def fleet():
    f = EmulatorFleet(count=1, base_port=0, profile="modern", job_polls=3, job_seconds=None)
    f.start()
    yield f
    f.stop()


@pytest.fixture
def camera(fleet):
    cam = fleet.cameras[0]
    cam.reset("modern")
    cam.set_latency(0)
    cam.model.job_polls, cam.model.job_seconds = 3, None
    return cam


@pytest.fixture
def client(camera):
    c = Client(camera)
    yield c
    c.close()


@pytest.fixture
def make_fleet():
    """Factory for extra fleets (other profiles, TLS, several cameras); stopped at teardown."""
    fleets = []

    def make(**kwargs):
        kwargs.setdefault("job_seconds", None)
        f = EmulatorFleet(**kwargs)
        f.start()
        fleets.append(f)
        return f
    yield make
    for f in fleets:
        f.stop()
