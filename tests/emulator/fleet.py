"""EmulatorFleet: N independent emulated cameras in one process (one server thread each).

    from tests.emulator import EmulatorFleet
    with EmulatorFleet(count=3, base_port=0, profile="modern") as fleet:
        for cam in fleet.cameras:
            print(cam.url)
"""

import shutil
import threading

from .server import Camera


def _quiet_stop(cam):
    try:
        cam.stop()
    except Exception:      # pylint: disable=broad-except  # keep stopping the others
        pass


class EmulatorFleet:
    def __init__(self, count=1, base_port=0, profile="modern", latency_ms=0, tls=False,
                 host="127.0.0.1", users=None, job_polls=3, job_seconds=30.0):
        """``base_port=0``: every camera gets its own free port; otherwise cameras listen on
        base_port, base_port+1, ...  ``users``: {name: (password, "admin"|"operator"|"viewer")}
        replacing the default users.  ``job_polls``: job.cgi polls until a job ends;
        ``job_seconds``: a job also ends after this long (None: only by polling)."""
        self.count = count
        self.base_port = base_port
        self.profile = profile
        self.latency_ms = latency_ms
        self.tls = tls
        self.host = host
        self.users = users
        self.job_polls = job_polls
        self.job_seconds = job_seconds
        self.cameras = []
        self.ca_path = None
        self._tls_dir = None

    def start(self):
        ssl_context = None
        if self.tls:
            from .tlsgen import make_tls
            hosts = ["127.0.0.1", "localhost"]
            if self.host not in hosts:
                hosts.insert(0, self.host)
            ssl_context, self.ca_path, self._tls_dir = make_tls(tuple(hosts))
        try:
            for i in range(self.count):
                port = 0 if not self.base_port else self.base_port + i
                cam = Camera(index=i, host=self.host, port=port, profile=self.profile,
                             latency_ms=self.latency_ms, ssl_context=ssl_context,
                             ca_path=self.ca_path, users=self.users, job_polls=self.job_polls,
                             job_seconds=self.job_seconds)
                self.cameras.append(cam)
                cam.start()
        except Exception:
            self.stop()
            raise
        return self

    def stop(self):
        # stop the cameras in parallel: each waits for its serving thread and open connections
        threads = [threading.Thread(target=_quiet_stop, args=(cam,)) for cam in self.cameras]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        self.cameras = []
        if self._tls_dir:
            shutil.rmtree(self._tls_dir, ignore_errors=True)
            self._tls_dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False
