# -*- coding: utf-8 -*-
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    # Configuration modules: full check and diff mode support.
    DOCUMENTATION = r"""
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying the camera.
    support: full
    details:
      - Every read is made and no write is sent; the planned steps, destructive ones marked, are returned in RV(steps).
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details:
      - The diff holds only the fields you set, and never a password or passphrase.
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: Axis network cameras (VAPIX over HTTP)
"""

    # Read-only modules.
    INFO_MODULE = r"""
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying the camera.
    support: full
    details:
      - This module only reads and behaves the same in check mode.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: N/A
    details:
      - This module changes nothing.
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: Axis network cameras (VAPIX over HTTP)
"""

    # Action modules: a job, a removal or an export rather than a declared state.
    ACTION_MODULE = r"""
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying the camera.
    support: full
    details:
      - The camera is read and what would be done is returned in RV(steps), with the module's own details;
        no write is sent and nothing is created on the controller.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
    details:
      - An action has no declared state to compare; the results say what was done or found.
  platform:
    description: Target OS/families that can be operated against.
    support: N/A
    platforms: Axis network cameras (VAPIX over HTTP)
"""
