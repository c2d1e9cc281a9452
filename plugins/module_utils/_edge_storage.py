# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The whole camera in one run: every section of the desired state, in the device's order.

Each section is a list of items with exactly the options of the matching
single module, validated with that module's own argument spec, and turned
into resources by that module's own ``build_resources``. One client and one
:class:`Device` serve them all, so each API family is read once and one
Digest challenge is answered per camera.

The order is the engine's rule: shares (add, test, bind) before disk settings
(the NetworkShare disk exists once a share is bound), then the recording
defaults (a default disk that exists), encryption, storage limits, continuous
profiles and recording groups.

``purge`` names sections declared in full: what the camera has of that kind
and the section does not declare is removed, planned before the section's
items with the single modules' exclusive-mode resources.

``allow_data_loss`` at the top applies to every item (and to purge): an item
may also opt in on its own. ``unsupported: skip`` leaves out what the camera
lacks instead of failing (see the engine).
"""

from __future__ import annotations

import re

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.validation import check_type_dict, check_type_list
from ansible.module_utils.errors import UnsupportedError

from ansible_collections.vapix.edge_storage.plugins.module_utils import (
    _resource_continuous_profile,
    _resource_disk,
    _resource_encryption,
    _resource_recording_group,
    _resource_recording_settings,
    _resource_share,
    _resource_storage_limit,
)
from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import in_declared_order
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ValidationError
from ansible_collections.vapix.edge_storage.plugins.module_utils._options import (
    alias_warnings,
    converted_text,
    job_timeout_option,
    misread_values,
)

# (option name, resource module) in the order the device needs them applied.
SECTIONS = (
    ("shares", _resource_share),
    ("disks", _resource_disk),
    ("recording_settings", _resource_recording_settings),
    ("encryption", _resource_encryption),
    ("storage_limits", _resource_storage_limit),
    ("continuous_profiles", _resource_continuous_profile),
    ("recording_groups", _resource_recording_group),
)

ARGUMENT_SPEC = {name: dict(type="list", elements="dict", default=[]) for name, _module in SECTIONS}
ARGUMENT_SPEC["storage_limits"] = dict(type="raw", default=[])
# One camera-wide item: a mapping, not a list.
ARGUMENT_SPEC["recording_settings"] = dict(type="dict", default={})
ARGUMENT_SPEC["job_timeout"] = job_timeout_option()

# The sections purge can name: those whose single module has an exclusive mode.
PURGEABLE = ("shares", "continuous_profiles", "recording_groups")
ARGUMENT_SPEC["purge"] = dict(type="list", elements="str", default=[], choices=list(PURGEABLE))
ARGUMENT_SPEC["allow_data_loss"] = dict(type="bool", default=False)
ARGUMENT_SPEC["unsupported"] = dict(type="str", default="fail", choices=["fail", "skip"])
# The NetworkShare storage limit as this camera's part of the NAS (the storage limit's quota).
ARGUMENT_SPEC["share_quota"] = dict(_resource_storage_limit.ARGUMENT_SPEC["quota"])
QUOTA_OPTION = "share_quota"
SHARE_DISK = "NetworkShare"

# Options of the single modules that would act beyond one item; in a whole-camera
# run each section is declared in full, so they are refused.
_ITEM_ONLY_OPTIONS = ("exclusive",)


def _limit_items(value):
    """storage_limits as a list of items; also accepts the mapping {disk_id: size or null}."""
    if isinstance(value, dict):
        items = []
        for disk_id, size in sorted(value.items()):
            if size in (None, 0, "0", "absent"):
                items.append({"disk_id": disk_id, "state": "absent"})
            else:
                items.append({"disk_id": disk_id, "size": size})
        return items
    if isinstance(value, list):
        return value
    raise ValidationError("storage_limits must be a list of {disk_id, size} items or a mapping of disk id to size, "
                          "got %s" % type(value).__name__)


# option=value (or option: value) in text, the value quoted or up to the next blank.
_VALUE_IN_TEXT = r"(?:^|[\s,{{]){}\s*[=:]\s*(\"[^\"]*\"|'[^']*'|[^\s}}]+)"


def _no_log_values(argument_spec, item):
    """The values of the no_log options of argument_spec in item, as given: no validation, so nothing in the
    item can stop them from being found. An item given as text (validation turns key=value text into a
    mapping, as Ansible does) has every value given to a no_log option in it taken as a secret, parsed or not.
    (No section's no_log option has an alias or sits in sub-options; tests/unit/test_edge_storage_secrets.py
    keeps it so.)"""
    options = [option for option, spec in argument_spec.items() if spec.get("no_log")]
    found = set()
    if isinstance(item, str):
        for option in options:
            for value in re.findall(_VALUE_IN_TEXT.format(re.escape(option)), item):
                # Whole, unquoted, and up to a comma: Ansible's list conversion may have split the text there.
                found.update({value, value.strip("\"'"), value.split(",", 1)[0]})
        try:
            item = check_type_dict(item)
        except (TypeError, ValueError):
            return found - {""}
    if not isinstance(item, dict):
        return found
    return found | {str(item[option]) for option in options if item.get(option) not in (None, "")}


def section_secrets(params):
    """Every secret (no_log value) in the items of every section, from the task's arguments as given:
    a run that fails on one item, or on any other argument, must not show another item's secret. A
    section given as text, or holding text items, is searched as text as well as item by item."""
    found = set()
    for section, module in SECTIONS:
        items = params.get(section)
        if isinstance(items, str):
            found.update(_no_log_values(module.ARGUMENT_SPEC, items))
            try:
                items = check_type_list(items)
            except (TypeError, ValueError):
                items = []
        for item in items if isinstance(items, list) else [items]:
            found.update(_no_log_values(module.ARGUMENT_SPEC, item))
    return found


def _named_items(section, params):
    """The section's items, each with the name errors give it: its place in the section, or share_quota
    for the NetworkShare storage limit the share quota adds."""
    items = params.get(section) or []
    if section == "recording_settings":   # one mapping, not a list: named without a place
        return [(section, items)] if items else []
    if section == "storage_limits":
        items = _limit_items(items)
    named = [("%s[%d]" % (section, index), item) for index, item in enumerate(items)]
    share_quota = params.get("share_quota")
    if section == "storage_limits" and share_quota:
        for item in items:
            if isinstance(item, dict) and SHARE_DISK in (item.get("disk_id"), item.get("disk")):
                raise ValidationError("share_quota sets the storage limit of %s, and storage_limits sets it too: "
                                      "leave %s out of storage_limits" % (SHARE_DISK, SHARE_DISK))
        # The options it was given: validation filled the others in as null, which the item's own
        # validation would take as given (group and weights are mutually exclusive).
        quota = {name: value for name, value in share_quota.items() if value is not None}
        named.append(("share_quota", {"disk_id": SHARE_DISK, "quota": quota}))
    return named


def _validate_item(section, where, module, item, job_timeout, no_log_values):
    """(the item's validated options, the warnings of its validation); ValidationError naming where."""
    if not isinstance(item, dict):
        raise ValidationError(f"{where} must be a mapping of options, got {type(item).__name__}")
    item = dict(item)
    if "job_timeout" in module.ARGUMENT_SPEC and "job_timeout" not in item:
        item["job_timeout"] = job_timeout
    validator = ArgumentSpecValidator(module.ARGUMENT_SPEC, **getattr(module, "ARGUMENT_RULES", {}))
    result = validator.validate(item)
    no_log_values.update(result._no_log_values)
    # Ansible's message for an unknown option names it without saying what is wrong with it.
    messages = ["unsupported parameters: " + error.msg if isinstance(error, UnsupportedError) else error.msg
                for error in result.errors.errors] or misread_values(module.ARGUMENT_SPEC, item)
    if messages:
        raise ValidationError("{}: {}".format(where, "; ".join(messages)))
    # Validated, so that a value Ansible reads as false ('no', 'false') is no refusal.
    for option in _ITEM_ONLY_OPTIONS:
        if result.validated_parameters.get(option):
            raise ValidationError("%s: '%s' acts on items beyond this one and is only available in the single "
                                  "module; leave it out here and add %s to purge to remove what the section "
                                  "does not declare" % (where, option, section))
    return result.validated_parameters, alias_warnings(result._warnings, f"{where}: ")


def _removal_of_undeclared(section, declared, params):
    """The single module's exclusive-mode resource, for every item of the section at once."""
    reason = "purge: %s" % section
    if section == "shares":
        return _resource_share.OtherSharesResource(declared, params["job_timeout"], reason)
    if section == "continuous_profiles":
        return _resource_continuous_profile.OtherProfiles(declared, reason)
    return _resource_recording_group.OtherGroups(declared, reason, {"allow_data_loss": params["allow_data_loss"]})


def build_resources(params, no_log_values):
    """Validate every section and return the resources in apply order.

    no_log_values (a set) receives the secrets found in the sections, so the
    module can mask them in its invocation and output.
    """
    resources = []
    purged = params.get("purge") or []
    for section, module in SECTIONS:
        declared = []
        for where, item in _named_items(section, params):
            validated, warnings = _validate_item(section, where, module, item, params["job_timeout"], no_log_values)
            if "allow_data_loss" in validated:
                validated["allow_data_loss"] = bool(validated["allow_data_loss"] or params["allow_data_loss"])
            try:
                built = module.build_resources(validated)
            except ValidationError as exc:
                # The share quota's own messages already start with its name.
                text = str(exc)
                raise ValidationError(text if text.startswith(where + ": ") else f"{where}: {text}")
            if built:
                built[0].warnings.extend(warnings + converted_text(module.ARGUMENT_SPEC, item, f"{where}: "))
            declared.extend(built)
        # The items of a section are applied in order: each is told the ones before it.
        in_declared_order(declared)
        if hasattr(module, "check_section"):
            module.check_section(declared)
        if section in purged:
            resources.append(_removal_of_undeclared(section, declared, params))
        resources.extend(declared)
        for resource in resources:
            resource.section = resource.section or section
    # A disks item that declares the disk's state says whether it is mounted: the encryption item then does not
    # warn about a disk left unmounted.
    stated = {resource.disk_id for resource in resources
              if resource.section == "disks" and resource.params.get("state")}
    for resource in resources:
        if resource.section == "encryption" and resource.disk_id in stated:
            resource.warns_when_unmounted = False
    seen = set()
    for resource in resources:
        if resource.identity in seen:
            raise ValidationError("%s is declared twice; declare each item once" % resource.identity)
        seen.add(resource.identity)
    return resources


def conflicts(outcomes):
    """What the plans of different sections would undo of each other, as (section, ValidationError).

    Found after every plan and before any write, so check mode names them too. The encryption workflow of a
    disk (it unmounts, formats and ends with the disk mounted), when it runs, beside a disks item of the same
    disk that declares it unmounted or locked (a locked disk cannot be formatted), or another file system
    than the workflow formats with (the encryption item's filesystem, else the required file system the run
    leaves the disk with, else ext4), or a required file system other than the encryption item's filesystem;
    and a share unbound from the NetworkShare disk, with no share bound to it, beside a disks item that
    declares NetworkShare mounted.
    """
    problems = []
    planned = [outcome for outcome in outcomes if outcome.planned]
    disks = {outcome.resource.disk_id: outcome.resource for outcome in planned if outcome.resource.section == "disks"}
    for outcome in planned:
        resource = outcome.resource
        if resource.section != "encryption" or not outcome.steps or resource.disk_id not in disks:
            continue
        declared = disks[resource.disk_id].params
        found = []
        if declared.get("state") == "unmounted":
            found.append("it ends with %s mounted, and the disks section declares it unmounted; leave state out of "
                         "the disks item while encryption changes" % resource.disk_id)
        if any(step.destructive for step in outcome.steps):
            if declared.get("locked"):
                found.append("it formats %s, and the disks section locks it first (locked: true): a locked disk "
                             "cannot be formatted; leave locked out of the disks item while encryption changes"
                             % resource.disk_id)
            required = declared.get("required_filesystem")
            required = None if required in (None, "none") else required
            formats_as = (resource.filesystem or required or (outcome.before or {}).get("required_filesystem")
                          or _resource_encryption.DEFAULT_FILESYSTEM)
            if declared.get("filesystem") and declared["filesystem"] != formats_as:
                found.append("it formats %s as %s, and the disks section declares filesystem %s: give the "
                             "encryption item filesystem: %s as well, or leave filesystem out of the disks item"
                             % (resource.disk_id, formats_as, declared["filesystem"], declared["filesystem"]))
            if required and resource.filesystem and resource.filesystem != required:
                found.append("it formats %s as %s, and the disks section declares required_filesystem %s: give "
                             "both the same file system, or leave filesystem out of the encryption item (it then "
                             "formats as the required one)" % (resource.disk_id, resource.filesystem, required))
        problems.extend(("encryption", ValidationError("%s: the two sections would undo each other: %s"
                                                       % (resource.identity, text))) for text in found)
    actions = [step.action for outcome in planned if outcome.resource.section == "shares" for step in outcome.steps]
    network_share = disks.get(SHARE_DISK)
    if ("unbind" in actions and "bind" not in actions and network_share is not None
            and network_share.params.get("state") == "mounted"):
        problems.append(("disks", ValidationError(
            "the shares section unbinds the share bound to %s and binds none, and the disks section declares %s "
            "mounted: a disk with no share cannot be mounted; bind a share, or leave state out of the %s item"
            % (SHARE_DISK, SHARE_DISK, SHARE_DISK))))
    return problems
