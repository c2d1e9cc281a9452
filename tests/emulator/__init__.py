"""Emulated Axis camera(s) serving the VAPIX edge-storage API, for tests and benchmarks.

Public, stable API (other test suites code against it):

    from tests.emulator import EmulatorFleet
    fleet = EmulatorFleet(count=1, base_port=0, profile="modern", latency_ms=0, tls=False,
                          host="127.0.0.1")
    fleet.start(); cam = fleet.cameras[0]
    cam.url, cam.port, cam.host, cam.ca_path, cam.model
    cam.log(), cam.write_count(), cam.challenge_count(), cam.clear_log()
    cam.reset(profile=None), cam.dump(), cam.inject(**faults)
    fleet.stop()        # or: with EmulatorFleet(...) as fleet: ...

See README.md in this directory.
"""

from .fleet import EmulatorFleet
from .model import ApiError, CameraModel
from .profiles import PROFILES
from .server import Camera

__all__ = ["EmulatorFleet", "Camera", "CameraModel", "ApiError", "PROFILES"]
