# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options several modules share, each defined once so that it is spelled, aliased and checked alike."""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import empty_disk_id


def disk_id_option(**spec):
    """The argument spec entry of a disk_id option (alias disk); spec adds required=True or a default."""
    return dict(type="str", aliases=["disk"], **spec)


def job_timeout_option(default=600):
    """The argument spec entry of job_timeout: seconds a disk or share job may take."""
    return dict(type="int", default=default)


def given_disk_id(params):
    """The disk_id option without surrounding blanks; ValidationError when it is empty."""
    disk_id = (params.get("disk_id") or "").strip()
    if not disk_id:
        raise empty_disk_id()
    return disk_id
