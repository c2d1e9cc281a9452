#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: axis_recording_settings
short_description: Manage the camera-wide recording defaults of an Axis camera
version_added: 0.1.0
author: vapix.edge_storage developers (@vapix-edge-storage)
description:
  - Sets the disk recordings go to when a recording action does not name one, and the length of each
    recording block, for the whole camera (C(param.cgi) C(Recording.DefaultDiskId) and
    C(Recording.DefaultSplitDuration)).
  - Only the options you set are compared and changed.
  - The same settings are the C(recording_settings) section of M(vapix.edge_storage.axis_edge_storage).
extends_documentation_fragment:
  - vapix.edge_storage.connection
  - vapix.edge_storage.attributes
options:
  default_disk_id:
    description:
      - The disk recordings go to by default, as C(disks/list.cgi) names it, for example V(SD_DISK) or
        V(NetworkShare). A disk the camera does not have fails with the list of its disks.
    type: str
  default_split_duration:
    description:
      - Length in seconds of each recording block (1 to 86400); the camera's default is 300.
    type: int
notes:
  - Declare at least one of the options.
seealso:
  - module: vapix.edge_storage.axis_edge_storage
  - module: vapix.edge_storage.axis_continuous_profile
"""

EXAMPLES = r"""
- name: Record to the NAS by default, in blocks of ten minutes
  vapix.edge_storage.axis_recording_settings:
    default_disk_id: NetworkShare
    default_split_duration: 600
"""

RETURN = r"""
steps:
  description: What was done (or, in check mode, would be done).
  returned: always
  type: list
  elements: str
  sample: ["set default_disk_id SD_DISK -> NetworkShare (param.cgi Recording)"]
before:
  description: The declared settings before the run, under C(recording settings).
  returned: always
  type: dict
  sample: {"recording settings": {"default_disk_id": "SD_DISK"}}
after:
  description: The declared settings after the run (predicted in check mode).
  returned: always
  type: dict
  sample: {"recording settings": {"default_disk_id": "NetworkShare"}}
diff:
  description: RV(before) and RV(after), for C(--diff).
  returned: in diff mode (C(--diff), or the task keyword C(diff) set to V(true))
  type: dict
requests:
  description: Number of HTTP requests this run sent to the camera.
  returned: always
  type: int
"""
