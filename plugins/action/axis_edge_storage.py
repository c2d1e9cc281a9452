# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""vapix.edge_storage.axis_edge_storage on the controller; its documentation is plugins/modules/axis_edge_storage.py."""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.module_utils._edge_storage import (
    ARGUMENT_SPEC,
    QUOTA_OPTION,
    build_resources,
    conflicts,
    section_secrets,
)
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import AxisAction


# The collection's role whose converge task this is: each of its variables edge_storage_<option> is the option,
# except the share quota, which the role builds from three variables.
ROLE = "vapix.edge_storage.edge_storage"
QUOTA_VARIABLES = ("the variables edge_storage_share_quota_group, edge_storage_share_quota_capacity and "
                   "edge_storage_share_quota_reserve")
QUOTA_AGREED = {"edge_storage_share_quota_capacity": "capacity", "edge_storage_share_quota_reserve": "reserve"}


class ActionModule(AxisAction):
    argument_spec = ARGUMENT_SPEC
    quota_option = QUOTA_OPTION

    def secrets_in(self, args):
        return section_secrets(args)

    def quota_host_variables(self):
        # Each camera's part is split from its own capacity and reserve: the group's cameras must agree on them.
        return QUOTA_AGREED if self._role_name == ROLE else {}

    def option_origins(self, options):
        if self._role_name != ROLE:
            return None, {}
        return "the edge_storage role", {option: QUOTA_VARIABLES if option == QUOTA_OPTION
                                         else "the variable edge_storage_" + option for option in options}

    def execute_on_camera(self, axis):
        axis.converge(lambda params: build_resources(params, axis.module.no_log_values), whole_camera=True,
                      skip_unsupported=axis.params["unsupported"] == "skip", conflicts=conflicts)
