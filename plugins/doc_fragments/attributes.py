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
notes:
  - >-
    Results. C(writes) counts the write requests this run sent to the camera, counted where every request
    is sent; a write the camera rejected or never answered counts too, and whenever it is not 0 the task is
    C(changed), on failure too. C(needs_allow_data_loss) lists the planned steps that destroy recordings
    without C(allow_data_loss) (ending in C([destructive; needs allow_data_loss])); check mode lists them
    and warns, a real run refuses them before any write.
  - >-
    Failures. Every failure carries C(completed_steps) (the steps done before it, each of which may have
    changed the camera), C(failed_step) (null when the run failed before its first write),
    C(not_run_steps), C(writes), C(changed) and C(error_class), one of C(refused), C(timeout), C(dns),
    C(tls), C(not_tls), C(auth), C(forbidden), C(not_vapix), C(device), C(damaged_answer),
    C(unsupported), C(invalid_argument), C(verify), C(needs_allow_data_loss), C(concurrent_change). A
    write the camera never answered, and a job still running at its timeout, are reported as changes
    that may have been applied.
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
