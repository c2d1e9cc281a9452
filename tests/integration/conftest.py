# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for integration tests: emulated cameras started in-process, stopped after each test."""

from __future__ import annotations

import pytest

from tests.emulator import EmulatorFleet


@pytest.fixture
def camera_options():
    """Emulator options every camera of a test gets (a test module overrides this, e.g. to set the users)."""
    return {}


@pytest.fixture
def make_camera(camera_options):
    """Factory: make_camera(profile="modern", **kwargs) -> a started emulated camera (kwargs over camera_options)."""
    fleets = []

    def factory(profile="modern", **kwargs):
        fleet = EmulatorFleet(count=1, profile=profile, **{**camera_options, **kwargs})
        fleet.start()
        fleets.append(fleet)
        return fleet.cameras[0]

    yield factory
    for fleet in fleets:
        fleet.stop()


@pytest.fixture
def camera(make_camera):
    """The default modern camera: SD card mounted, no network share."""
    return make_camera("modern")


@pytest.fixture
def legacy_camera(make_camera):
    """A camera shaped like 5.51 firmware: no encryption, storage limit or recording groups."""
    return make_camera("legacy")
