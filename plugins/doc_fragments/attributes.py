# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # Every module: the standard attributes with what is the same for all of them. Each module adds
    # the fragment of its kind (RESOURCE_MODULE, INFO_MODULE or ACTION_MODULE) for check_mode,
    # diff_mode and idempotent; an action module declares idempotent itself.
    DOCUMENTATION = r"""
attributes:
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
    details:
      - The whole task runs on the controller, which talks HTTP to the camera; the inventory host is never connected to.
  action_group:
    description: Action is part of action_group(s), for convenient setting of module_defaults.
    support: full
    membership:
      - vapix.edge_storage.vapix
  async:
    description: Supports being used with the C(async) keyword.
    support: none
    details:
      - A task with C(async) fails and says so; long camera jobs are bounded by C(job_timeout) where the module has it.
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying the camera.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
  idempotent:
    description:
      - When run twice in a row outside check mode, with the same arguments, the second invocation indicates no change.
      - This assumes that the camera has not changed in a relevant way in between.
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: Axis network cameras (VAPIX over HTTP)
"""

    # Modules that declare a state of the camera and converge it.
    RESOURCE_MODULE = r"""
attributes:
  check_mode:
    support: full
    details:
      - Every read is made and no write is sent; the planned steps, destructive ones marked, are returned in RV(steps).
  diff_mode:
    support: full
    details:
      - The diff holds only the fields you set, and never a password or passphrase.
  idempotent:
    support: full
"""

    # Read-only modules.
    INFO_MODULE = r"""
attributes:
  check_mode:
    support: full
    details:
      - This module only reads and behaves the same in check mode.
  diff_mode:
    support: N/A
    details:
      - This module changes nothing.
  idempotent:
    support: full
    details:
      - This module does not change the camera.
"""

    # Modules that run a job, a removal or an export rather than converge a declared state;
    # each declares idempotent itself.
    ACTION_MODULE = r"""
attributes:
  check_mode:
    support: full
    details:
      - The camera is read and what would be done is returned in RV(steps), with the module's own details;
        no write is sent and nothing is created on the controller.
  diff_mode:
    support: none
    details:
      - An action has no declared state to compare; the results say what was done or found.
"""
