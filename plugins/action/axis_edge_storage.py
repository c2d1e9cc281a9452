# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""vapix.edge_storage.axis_edge_storage on the controller; its documentation is plugins/modules/axis_edge_storage.py."""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.module_utils._edge_storage import (
    ARGUMENT_SPEC,
    QUOTA_OPTION,
    build_resources,
)
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import AxisAction


class ActionModule(AxisAction):
    argument_spec = ARGUMENT_SPEC
    quota_option = QUOTA_OPTION

    def execute_on_camera(self, axis):
        axis.converge(lambda params: build_resources(params, axis.module.no_log_values), whole_camera=True,
                      skip_unsupported=axis.params["unsupported"] == "skip")
