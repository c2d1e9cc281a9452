# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One wording for the same mistake in every module, and the same aliases for the same option."""

from __future__ import annotations

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils import (
    _disk_job,
    _recording_export,
    _recording_removal,
    _recordings,
    _resource_continuous_profile,
    _resource_disk,
    _resource_encryption,
    _resource_recording_group,
    _resource_recording_settings,
    _resource_share,
    _resource_storage_limit,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    ValidationError,
    bad_job_timeout,
    empty_disk_id,
)

# Every argument spec of the collection (each module's own options).
SPECS = {
    "axis_disk": _resource_disk.ARGUMENT_SPEC,
    "axis_disk_job": _disk_job.ARGUMENT_SPEC,
    "axis_encryption": _resource_encryption.ARGUMENT_SPEC,
    "axis_storage_limit": _resource_storage_limit.ARGUMENT_SPEC,
    "axis_continuous_profile": _resource_continuous_profile.ARGUMENT_SPEC,
    "axis_recording_group": _resource_recording_group.ARGUMENT_SPEC,
    "axis_recording_info": _recordings.ARGUMENT_SPEC,
    "axis_recording": _recording_removal.ARGUMENT_SPEC,
    "axis_recording_export": _recording_export.ARGUMENT_SPEC,
    "axis_share": _resource_share.ARGUMENT_SPEC,
    "axis_recording_settings": _resource_recording_settings.ARGUMENT_SPEC,
}


def defaults(spec, **given):
    values = {key: option.get("default") for key, option in spec.items()}
    values.update(given)
    return values


# How each module checks its arguments, with everything but the option under test valid.
BUILDERS = {
    "axis_disk": lambda **p: _resource_disk.DiskResource(defaults(_resource_disk.ARGUMENT_SPEC, **p)),
    "axis_disk_job": lambda **p: _disk_job.DiskJob(defaults(_disk_job.ARGUMENT_SPEC, action="check", **p)),
    "axis_encryption": lambda **p: _resource_encryption.EncryptionResource(
        defaults(_resource_encryption.ARGUMENT_SPEC, enabled=False, **p)),
    "axis_storage_limit": lambda **p: _resource_storage_limit.StorageLimit(
        defaults(_resource_storage_limit.ARGUMENT_SPEC, size="1 GiB", **p)),
    "axis_continuous_profile": lambda **p: _resource_continuous_profile.ContinuousProfile(
        defaults(_resource_continuous_profile.ARGUMENT_SPEC, options="fps=15", **p)),
    "axis_recording_group": lambda **p: _resource_recording_group.RecordingGroup(
        defaults(_resource_recording_group.ARGUMENT_SPEC, id="g1", **p)),
    "axis_share": lambda **p: _resource_share.ShareResource(defaults(_resource_share.ARGUMENT_SPEC, name="nas1", **p)),
}


@pytest.mark.parametrize("module", ["axis_disk", "axis_disk_job", "axis_encryption", "axis_storage_limit",
                                    "axis_continuous_profile", "axis_recording_group"])
@pytest.mark.parametrize("disk_id", ["", "  "])
def test_an_empty_disk_id_is_one_message_in_every_module(module, disk_id):
    with pytest.raises(ValidationError) as error:
        BUILDERS[module](disk_id=disk_id)
    assert str(error.value) == str(empty_disk_id())
    assert "disk_id is empty" in str(error.value) and "SD_DISK" in str(error.value)


def test_an_empty_default_disk_id_names_its_option_in_the_same_words():
    with pytest.raises(ValidationError) as error:
        _resource_recording_settings.RecordingSettingsResource({"default_disk_id": " ", "default_split_duration": None})
    assert str(error.value) == str(empty_disk_id("default_disk_id"))


@pytest.mark.parametrize("module", ["axis_disk", "axis_disk_job", "axis_encryption", "axis_share"])
def test_a_job_timeout_below_one_second_is_one_message_in_every_module(module):
    with pytest.raises(ValidationError) as error:
        BUILDERS[module](disk_id="SD_DISK", job_timeout=0)
    assert str(error.value) == str(bad_job_timeout(0)) == "job_timeout must be a positive number of seconds, got 0"


def test_every_disk_id_option_has_the_alias_disk():
    with_disk_id = {module: spec["disk_id"] for module, spec in SPECS.items() if "disk_id" in spec}
    assert len(with_disk_id) == 9
    assert {module: option.get("aliases") for module, option in with_disk_id.items()} == {
        module: ["disk"] for module in with_disk_id}
    assert all("disk" not in spec for spec in SPECS.values())     # no module has another option named disk


def test_recording_group_durations_take_the_names_axis_storage_info_returns():
    spec = _resource_recording_group.ARGUMENT_SPEC
    assert (spec["retention"]["aliases"], spec["pre_duration"]["aliases"], spec["post_duration"]["aliases"],
            spec["id"]["aliases"]) == (["retention_hours"], ["pre_duration_ms"], ["post_duration_ms"], ["group_id"])
