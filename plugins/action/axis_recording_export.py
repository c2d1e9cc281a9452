# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""vapix.edge_storage.axis_recording_export on the controller; its documentation is plugins/modules/axis_recording_export.py."""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.module_utils import _recording_export
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import engine_action

ActionModule = engine_action(_recording_export, "act")
