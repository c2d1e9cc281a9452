# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One wording for the same mistake in every module, and the same aliases for the same option."""

from __future__ import annotations

import importlib

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils._disk_job import DiskJob
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    ValidationError,
    bad_job_timeout,
    empty_disk_id,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_continuous_profile import ContinuousProfile
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_disk import DiskResource
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_encryption import EncryptionResource
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_recording_group import RecordingGroup
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_recording_settings import (
    RecordingSettingsResource,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_share import ShareResource
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_storage_limit import StorageLimit

MODULES = ("axis_disk", "axis_disk_job", "axis_encryption", "axis_storage_limit", "axis_continuous_profile",
           "axis_recording_group", "axis_recording_info", "axis_recording", "axis_recording_export", "axis_share",
           "axis_recording_settings")


def argument_spec(module):
    """The argument spec the module's action plugin validates its tasks with (the module's own options)."""
    action = importlib.import_module("ansible_collections.vapix.edge_storage.plugins.action." + module)
    return action.ActionModule.argument_spec


# Every argument spec of the collection.
SPECS = {module: argument_spec(module) for module in MODULES}

# How each module checks its arguments: its class and the other options that make them valid.
CHECKED_BY = {
    "axis_disk": (DiskResource, {}),
    "axis_disk_job": (DiskJob, {"action": "check"}),
    "axis_encryption": (EncryptionResource, {"enabled": False}),
    "axis_storage_limit": (StorageLimit, {"size": "1 GiB"}),
    "axis_continuous_profile": (ContinuousProfile, {"options": "fps=15"}),
    "axis_recording_group": (RecordingGroup, {"id": "g1"}),
    "axis_share": (ShareResource, {"name": "nas1"}),
}


def build(module, **given):
    """The module's check of its arguments: its defaults, the valid other options, and given."""
    checked_by, valid = CHECKED_BY[module]
    params = {key: option.get("default") for key, option in SPECS[module].items()}
    params.update(valid, **given)
    return checked_by(params)


@pytest.mark.parametrize("module", ["axis_disk", "axis_disk_job", "axis_encryption", "axis_storage_limit",
                                    "axis_continuous_profile", "axis_recording_group"])
@pytest.mark.parametrize("disk_id", ["", "  "])
def test_an_empty_disk_id_is_one_message_in_every_module(module, disk_id):
    with pytest.raises(ValidationError) as error:
        build(module, disk_id=disk_id)
    assert str(error.value) == str(empty_disk_id())
    assert "disk_id is empty" in str(error.value) and "SD_DISK" in str(error.value)


def test_an_empty_default_disk_id_names_its_option_in_the_same_words():
    with pytest.raises(ValidationError) as error:
        RecordingSettingsResource({"default_disk_id": " ", "default_split_duration": None})
    assert str(error.value) == str(empty_disk_id("default_disk_id"))


@pytest.mark.parametrize("module", ["axis_disk", "axis_disk_job", "axis_encryption", "axis_share"])
def test_a_job_timeout_below_one_second_is_one_message_in_every_module(module):
    with pytest.raises(ValidationError) as error:
        build(module, disk_id="SD_DISK", job_timeout=0)
    assert str(error.value) == str(bad_job_timeout(0)) == "job_timeout must be a positive number of seconds, got 0"


def test_every_disk_id_option_has_the_alias_disk():
    with_disk_id = {module: spec["disk_id"] for module, spec in SPECS.items() if "disk_id" in spec}
    assert len(with_disk_id) == 9
    assert {module: option.get("aliases") for module, option in with_disk_id.items()} == {
        module: ["disk"] for module in with_disk_id}
    assert all("disk" not in spec for spec in SPECS.values())     # no module has another option named disk


def test_recording_group_durations_take_the_names_axis_storage_info_returns():
    spec = SPECS["axis_recording_group"]
    assert (spec["retention"]["aliases"], spec["pre_duration"]["aliases"], spec["post_duration"]["aliases"],
            spec["id"]["aliases"]) == (["retention_hours"], ["pre_duration_ms"], ["post_duration_ms"], ["group_id"])
