# -*- coding: utf-8 -*-
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""vapix.edge_storage.axis_storage_limit on the controller; its documentation is plugins/modules/axis_storage_limit.py."""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.module_utils._resource_storage_limit import (
    ARGUMENT_RULES,
    ARGUMENT_SPEC,
    build_resources,
)
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._action import AxisAction


class ActionModule(AxisAction):
    argument_spec = ARGUMENT_SPEC
    argument_rules = ARGUMENT_RULES

    def execute(self, axis):
        axis.converge(build_resources)
