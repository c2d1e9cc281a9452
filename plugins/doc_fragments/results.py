# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """The result keys every module of the collection shares, worded once.

    ansible-doc merges doc fragments into DOCUMENTATION only, never into RETURN
    (``ansible.utils.plugin_docs.add_fragments``), so these entries cannot be
    pulled in with ``extends_documentation_fragment``. Each module's RETURN
    holds a copy of the entries of the keys it returns instead, written by
    scripts/sync_result_docs.py; tests/functional/test_result_docs.py pins
    every copy to this text and proves by running each module which of the
    keys it returns.

    A module's copy is the entry below, to which it may add description items
    after these (what the key holds for that module), a ``sample`` and
    ``contains``.
    """

    RETURN = r"""
steps:
  description:
    - What the run did, one sentence a step, in order; in check mode, what it would do. Empty when there is
      nothing to do.
    - A step that destroys recordings ends in C([destructive]), or in check mode without
      C(allow_data_loss=true) in C([destructive; needs allow_data_loss]).
  returned: success
  type: list
  elements: str
needs_allow_data_loss:
  description:
    - The steps of RV(steps) that destroy recordings and were planned without C(allow_data_loss=true); empty
      when none. Check mode lists them and warns; a real run refuses them before any write and fails with
      C(error_class=needs_allow_data_loss).
  returned: success, and on failure with error_class needs_allow_data_loss
  type: list
  elements: str
before:
  description:
    - What the task manages as it was before the run, keyed by resource; never a secret.
  returned: success
  type: dict
after:
  description:
    - The same fields after the run as the camera reports them when read again (in check mode, as
      predicted), keyed like RV(before).
  returned: success
  type: dict
diff:
  description:
    - RV(before) and RV(after), for C(--diff).
  returned: when diff mode is on
  type: dict
  contains:
    before:
      description: Same as RV(before).
      returned: always
      type: dict
    after:
      description: Same as RV(after).
      returned: always
      type: dict
requests:
  description:
    - Number of HTTP requests this run sent to the camera.
  returned: success
  type: int
writes:
  description:
    - Number of write requests this run sent to the camera, counted where every request is sent; a write the
      camera refused or never answered counts too. Whenever it is not 0 the task is C(changed), on failure
      too.
  returned: always; by a module that only reads, only on failure (and then 0)
  type: int
msg:
  description:
    - What went wrong and, where it can be told, what to do about it. Secrets are masked.
  returned: failure
  type: str
error_class:
  description:
    - The kind of failure, for a play to branch on. C(refused), C(timeout), C(dns), C(tls), C(not_tls) and
      C(damaged_answer) are about the way to the camera and its answers; C(auth) and C(forbidden) about the
      account; C(not_vapix), C(device) and C(unsupported) about what the camera is and says;
      C(invalid_argument), C(needs_allow_data_loss), C(verify) and C(concurrent_change) about the task;
      C(destination) about the controller's own files (an export's destination it cannot write to).
    - Left out for an unexpected error (a bug in the collection), which carries C(exception) instead.
  returned: failure
  type: str
  sample: auth
completed_steps:
  description:
    - The steps done before the failure, each of which may have changed the camera; empty when the run failed
      before its first step.
  returned: failure
  type: list
  elements: str
failed_step:
  description:
    - The step that failed; null when the run failed before its first step (while reading or planning).
    - A failed step whose write the camera never answered, or whose job was still running at its timeout, may
      have changed the camera.
  returned: failure
  type: str
not_run_steps:
  description:
    - The planned steps that did not run because of the failure.
  returned: failure
  type: list
  elements: str
state_now:
  description:
    - After a failed step, what the camera holds now, read again, so that the next run can be judged; left out
      when it could not be read.
  returned: failure, when a step failed
  type: str
problems:
  description:
    - Every problem that planning found before any write, each with C(where) (the section of
      M(vapix.edge_storage.axis_edge_storage), else null), C(error_class) and C(msg).
  returned: failure, when planning found a problem
  type: list
  elements: dict
mismatches:
  description:
    - What still differs from the task when the camera is read again after the run, one sentence each.
  returned: failure with error_class verify
  type: list
  elements: str
unsupported:
  description:
    - What the camera lacks that the task needs (an API, a parameter or a capability).
  returned: failure, when the camera lacks what the task needs
  type: str
  sample: recording groups
reason:
  description:
    - How the camera was found to lack it.
  returned: failure, when the camera lacks what the task needs
  type: str
api:
  description:
    - The API family of the request that failed, for example C(disk-network-share).
  returned: failure, when a request to the camera failed
  type: str
cgi:
  description:
    - The path of the request that failed.
  returned: failure, when a request to the camera failed
  type: str
code:
  description:
    - The camera's numeric error code; null when its answer had none.
  returned: failure, when a request to the camera failed
  type: int
description:
  description:
    - The camera's own text for the error, or what was wrong with its answer.
  returned: failure, when a request to the camera failed
  type: str
http_status:
  description:
    - The HTTP status the camera answered the failed request with, for example 401; null when the answer
      was not an HTTP error.
  returned: failure, when a request to the camera failed
  type: int
"""
