# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A removal the camera refuses: a concurrent change only when a fresh list shows the item gone.

The camera's refusal of a removal stands as the device error it is when the item is still listed, when the
fresh list cannot be read (unknown is not gone), and when the refusal is no device error (a damaged answer to
a write, which the camera may have carried out, is not read as another run's doing).
"""

from __future__ import annotations

import pytest

from tests.unit.double import Call, Transcript, module_params, param_list

from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import converge
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ConcurrentChangeError, StepError
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_continuous_profile import (
    ARGUMENT_RULES,
    ARGUMENT_SPEC,
    ContinuousProfile,
)

LIST = "record/continuous/listconfiguration.cgi"
REMOVE = "record/continuous/removeconfiguration.cgi"
PROPERTIES = param_list("root.Properties.LocalStorage.LocalStorage=yes\n"
                        "root.Properties.LocalStorage.ContinuousRecording=yes\n"
                        "root.Properties.Firmware.Version=9.80.2.2\n"
                        "root.Properties.LocalStorage.NbrOfContinuousRecordingProfiles=2\n")


def listed(fixture):
    return Call(LIST).answers_file(fixture)


def remove_answered(answer):
    return Call(REMOVE, {"profile": 3}, exact=True).answers_file(answer)


def remove_profile_3(*calls):
    """Plan the removal of profile 3 (SD_DISK, event id continuous) and run it against calls; the StepError."""
    transcript = Transcript(PROPERTIES, listed("profile_list_two.xml"), *calls)
    absent = ContinuousProfile(module_params(ARGUMENT_SPEC, ARGUMENT_RULES, disk_id="SD_DISK", state="absent"))
    with pytest.raises(StepError) as info:
        converge(transcript.device(), [absent], check_mode=False)
    assert [path for path, _params in transcript.writes] == [REMOVE]
    return info.value


def test_a_removal_refused_for_a_profile_gone_already_is_a_concurrent_change():
    failure = remove_profile_3(remove_answered("profile_remove_error.xml"), listed("profile_list_nas_only.xml"),
                               PROPERTIES, listed("profile_list_nas_only.xml"))
    assert isinstance(failure.cause, ConcurrentChangeError)
    assert failure.as_dict()["error_class"] == "concurrent_change"
    assert failure.as_dict()["description"] == "No such continuous recording profile"
    assert str(failure).startswith(
        "step 'remove continuous recording profile 3 (disk SD_DISK, event id continuous, options "
        "fps=15&resolution=1280x720&text=Gate%201)' failed: continuous recording profile 3 is gone: another run or "
        "a person removed it first, or the camera carried out this run's removal and answered it with an error (the "
        "camera refused this run's removal: recording "
        "record/continuous/removeconfiguration.cgi?profile=3 failed: No such continuous recording profile); it is "
        "absent as declared, so running the task again has nothing to do for it")


def test_a_removal_refused_for_a_profile_still_listed_stays_a_device_error():
    failure = remove_profile_3(remove_answered("profile_remove_error.xml"), listed("profile_list_two.xml"),
                               PROPERTIES, listed("profile_list_two.xml"))
    assert failure.as_dict()["error_class"] == "device"
    assert "is gone" not in str(failure)


def test_a_removal_refused_whose_fresh_list_is_damaged_stays_a_device_error():
    failure = remove_profile_3(remove_answered("profile_remove_error.xml"), Call(LIST).answers("<root><continuous"),
                               PROPERTIES, Call(LIST).answers("<root><continuous"))
    assert failure.as_dict()["error_class"] == "device"
    assert "is gone" not in str(failure)


def test_a_damaged_answer_to_a_removal_is_not_taken_for_another_runs_removal():
    # No fresh list after the removal's answer: only state_now reads the camera again.
    failure = remove_profile_3(Call(REMOVE, {"profile": 3}, exact=True).answers("<root><remove"),
                               PROPERTIES, listed("profile_list_nas_only.xml"))
    assert failure.as_dict()["error_class"] == "damaged_answer"
    assert "is gone" not in str(failure)
