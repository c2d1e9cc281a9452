# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The camera-wide recording defaults (``axis_recording_settings``).

``Recording.DefaultDiskId`` (the disk recordings go to when an action does
not name one) and ``Recording.DefaultSplitDuration`` (the length in seconds
of each recording block), read and written with param.cgi in one request.
"""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import Resource, Step
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import (
    PARAM,
    UnsupportedError,
    ValidationError,
    damaged_answer,
    empty_disk_id,
)

ARGUMENT_SPEC = dict(
    default_disk_id=dict(type="str"),
    default_split_duration=dict(type="int"),
)

# our name -> Recording.<parameter>
PARAMETERS = {
    "default_disk_id": "DefaultDiskId",
    "default_split_duration": "DefaultSplitDuration",
}
MAX_SPLIT_SECONDS = 86400


class RecordingSettingsResource(Resource):
    """Recording.DefaultDiskId and Recording.DefaultSplitDuration."""

    kind = "recording settings"
    reads = ("recording_params",)

    def __init__(self, params):
        # The declared parameters the camera lacks, left out with unsupported: skip.
        self.unsupported_fields = set()
        super().__init__(params)

    def validate(self):
        wanted = self.desired()
        if not wanted:
            raise ValidationError("declare default_disk_id and/or default_split_duration")
        if "default_disk_id" in wanted and not wanted["default_disk_id"]:
            raise empty_disk_id("default_disk_id")
        split = wanted.get("default_split_duration")
        if split is not None and not 1 <= split <= MAX_SPLIT_SECONDS:
            raise ValidationError("default_split_duration must be 1 to %d seconds, got %d" % (MAX_SPLIT_SECONDS, split))

    @property
    def identity(self):
        return "recording settings"

    def disks(self, device):
        """No disk's state changes with the defaults; the plan reads only whether the declared default disk is
        listed."""
        disk_id = self.desired().get("default_disk_id")
        return {disk_id} if disk_id else set()

    def desired(self):
        """The declared parameters, less those left out because the camera lacks them (unsupported: skip)."""
        wanted = {field: self.params.get(field) for field in PARAMETERS
                  if self.params.get(field) is not None and field not in self.unsupported_fields}
        if "default_disk_id" in wanted:
            wanted["default_disk_id"] = wanted["default_disk_id"].strip()
        return wanted

    def read(self, device):
        values = device.recording_params()
        current = {}
        if "Recording.DefaultDiskId" in values:
            current["default_disk_id"] = values["Recording.DefaultDiskId"]
        if "Recording.DefaultSplitDuration" in values:
            split = values["Recording.DefaultSplitDuration"]
            try:
                current["default_split_duration"] = int(split)
            except ValueError:
                # Damaged, never data: taken as a value, it had the declared duration written on its strength.
                # Not declared, it is not compared: left out.
                if "default_split_duration" in self.desired():
                    raise damaged_answer(PARAM, device.where("param_list", [("group", "Recording")]),
                                         "Recording.DefaultSplitDuration=%r is not a whole number of seconds, so "
                                         "whether it is as declared is unknown" % split)
        return current

    def managed(self, state):
        return {field: (state or {}).get(field) for field in self.desired()}

    def plan(self, device, current):
        wanted = self.desired()
        missing = [field for field in wanted if field not in current]
        if missing and self.skip_unsupported:
            # Each parameter the camera lacks is left out on its own; the others are still set.
            for field in missing:
                self.unsupported_fields.add(field)
                firmware = device.firmware_version() or "unknown"
                self.skip(f"{field} of {self.label}",
                          f"the camera (firmware {firmware}) has no parameter Recording.{PARAMETERS[field]}")
            wanted = self.desired()
        elif missing:
            raise UnsupportedError(", ".join("Recording.%s" % PARAMETERS[field] for field in missing),
                                   "the camera (firmware %s) has no such parameter; leave %s out"
                                   % (device.firmware_version() or "unknown", ", ".join(missing)))
        if wanted.get("default_disk_id") not in (None, current.get("default_disk_id")):
            device.require_disk(wanted["default_disk_id"], "record to it by default")
        changes = [(field, value) for field, value in sorted(wanted.items()) if current.get(field) != value]
        if not changes:
            return []
        values = {"Recording.%s" % PARAMETERS[field]: value for field, value in changes}
        text = ", ".join(f"{field} {current.get(field)} -> {value}" for field, value in changes)
        return [Step("update_params", "set %s (param.cgi Recording)" % text, lambda d: d.update_params(values))]


def build_resources(params):
    return [RecordingSettingsResource(params)]
