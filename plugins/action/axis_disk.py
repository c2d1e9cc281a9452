# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""vapix.edge_storage.axis_disk on the controller; its documentation is plugins/modules/axis_disk.py."""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.module_utils import _resource_disk
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import engine_action

ActionModule = engine_action(_resource_disk, "converge")
