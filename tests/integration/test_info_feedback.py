# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What axis_storage_info returns can be given back to the modules: one vocabulary, real ansible-playbook.

A converged emulated camera is read with axis_storage_info; each share, disk, storage limit,
profile and group it lists goes back, under the keys it was read with, into its single module
and into axis_edge_storage. Nothing is renamed or converted on the way: only the keys that are
no option of the module (sizes in words, status, the profile's number, ...) are left out, and the
test names exactly which those are, so a fact that should be an option and is spelled otherwise
fails it. Every task must report changed=false, and the camera must see no write.

Secrets cannot be read back (the camera never returns a share password, and a passphrase is not
a fact): the items go back without share_password. axis_share's default update_password:
on_create compares no password of an existing share, so the share is unchanged; encryption,
whose only input is a passphrase, is not part of the round trip.
"""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.module_utils import (
    _resource_continuous_profile,
    _resource_disk,
    _resource_recording_group,
    _resource_share,
    _resource_storage_limit,
)
from tests.integration.harness import run_playbook

SHARE_PASSWORD = "s3cr&t=x"      # the password the modern-share camera holds for nas1
CONVERGED = {
    "shares": [{"name": "nas1", "address": "nas.example.com", "share": "cameras", "share_username": "cam",
                "share_password": SHARE_PASSWORD, "bound": True}],
    "disks": [{"disk_id": "SD_DISK", "friendly_name": "SD card", "cleanup_policy": "fifo", "cleanup_max_age": 30,
               "alert_levels": {"wear": 80, "temperature": 350}},
              {"disk_id": "NetworkShare", "cleanup_max_age": 14}],
    "storage_limits": {"NetworkShare": "500 GiB", "SD_DISK": 1048577},     # the second one is no round size
    "continuous_profiles": [{"disk_id": "SD_DISK", "event_id": "continuous_sd",
                             "options": {"resolution": "1280x720", "fps": 15}}],
    "recording_groups": [{"id": "retention-7d", "disk_id": "SD_DISK", "nice_name": "Seven days", "retention": "7d",
                          "stream_options": "resolution=1920x1080", "pre_duration": "5s", "post_duration": 10000}],
}
INFO_SUBSETS = ["disks", "health", "shares", "limits", "profiles", "groups"]

# The facts that are no option of the module, per section: everything else goes back as it is.
READ_ONLY = {
    "shares": {"disk_id"},
    "disks": {"group", "status", "mounted", "total_kb", "total", "free_kb", "free", "used_kb", "used", "full",
              "readonly", "encryption_enabled", "encrypted", "device_node"},
    "storage_limits": {"size_kb", "limited", "used_kb", "used"},
    "continuous_profiles": {"profile"},
    "recording_groups": set(),
}
SPECS = {
    "shares": _resource_share.ARGUMENT_SPEC,
    "disks": _resource_disk.ARGUMENT_SPEC,
    "storage_limits": _resource_storage_limit.ARGUMENT_SPEC,
    "continuous_profiles": _resource_continuous_profile.ARGUMENT_SPEC,
    "recording_groups": _resource_recording_group.ARGUMENT_SPEC,
}
MODULES = {
    "shares": "axis_share",
    "disks": "axis_disk",
    "storage_limits": "axis_storage_limit",
    "continuous_profiles": "axis_continuous_profile",
    "recording_groups": "axis_recording_group",
}


# The same round trip in a play, with Ansible's own filters only (as docs/gitops.md shows it).
_KEEP = "map('dict2items') | map('selectattr', 'key', 'in', %s) | map('list') | map('items2dict') | list"
JINJA_FEEDBACK = {
    "name": "whole camera through jinja",
    "vars": {"share_options": ["name", "share_id", "address", "share", "share_username", "bound"],
             "disk_options": ["disk_id", "friendly_name", "cleanup_policy", "cleanup_max_age", "mount_on_boot",
                              "auto_repair", "required_filesystem", "mount_point_permissions", "extra_mount_options",
                              "enabled", "locked", "filesystem", "state"],
             "limit_options": ["disk_id", "size"],
             "profile_options": ["disk_id", "event_id", "options"]},
    "vapix.edge_storage.axis_edge_storage": {
        "shares": "{{ found.network_shares.shares.values() | %s }}" % (_KEEP % "share_options"),
        "disks": "{{ found.disks.values() | selectattr('status', 'defined') | %s }}" % (_KEEP % "disk_options"),
        "storage_limits": "{{ found.storage_limits.disks.values() | %s }}" % (_KEEP % "limit_options"),
        "continuous_profiles": "{{ found.continuous_profiles.profiles | %s }}" % (_KEEP % "profile_options"),
        "recording_groups": "{{ found.recording_groups.groups.values() | list }}",
    },
}


def option_names(spec):
    names = set(spec)
    for option in spec.values():
        names.update(option.get("aliases", ()))
    return names


def as_input(section, fact):
    """A fact back as module input: the keys that are options, values untouched; and the keys left out."""
    options = option_names(SPECS[section])
    item = {key: value for key, value in fact.items() if key in options and value is not None}
    return item, set(fact) - options


def items_of(info):
    """{section: [fact]} of the facts that describe something a module manages."""
    alert_levels = info["alert_levels"]["disks"]
    disks = []
    # Listed disks only (they have a status): a Storage parameter group no listed disk matches is no disk.
    for disk_id, disk in sorted(info["disks"].items()):
        if "status" in disk:
            disks.append(dict(disk, alert_levels=alert_levels[disk_id]) if disk_id in alert_levels else disk)
    return {
        "shares": list(info["network_shares"]["shares"].values()),
        "disks": disks,
        "storage_limits": list(info["storage_limits"]["disks"].values()),
        "continuous_profiles": info["continuous_profiles"]["profiles"],
        "recording_groups": list(info["recording_groups"]["groups"].values()),
    }


def test_storage_info_output_given_back_to_the_modules_changes_nothing(make_camera):
    camera = make_camera("modern-share")
    converge = run_playbook(camera, [{"name": "converge", "vapix.edge_storage.axis_edge_storage": CONVERGED},
                                     {"name": "info", "vapix.edge_storage.axis_storage_info":
                                      {"gather_subset": INFO_SUBSETS}}])
    assert converge.rc == 0, converge
    assert converge.result("converge")["changed"] is True
    info = converge.result("info")

    sections = {}
    for section, facts in items_of(info).items():
        assert facts, section                     # the converged camera has something of every kind
        sections[section] = []
        for fact in facts:
            item, left_out = as_input(section, fact)
            assert left_out == READ_ONLY[section] & set(fact), (section, fact)
            sections[section].append(item)

    # The vocabulary as the modules take it: names, states and exact sizes.
    assert sections["shares"] == [{"name": "nas1", "share_id": "nas1", "address": "nas.example.com",
                                   "share": "cameras", "share_username": "cam", "bound": True}]
    sd = next(item for item in sections["disks"] if item["disk_id"] == "SD_DISK")
    assert (sd["state"], sd["friendly_name"], sd["alert_levels"]) == ("mounted", "SD card",
                                                                      {"wear": 80, "temperature": 350})
    assert sorted(sections["storage_limits"], key=lambda item: item["disk_id"]) == [
        {"disk_id": "NetworkShare", "size": "500 GiB"}, {"disk_id": "SD_DISK", "size": "1048577 KiB"}]
    assert sections["continuous_profiles"] == [{"disk_id": "SD_DISK", "event_id": "continuous_sd",
                                                "options": "fps=15&resolution=1280x720"}]
    assert sections["recording_groups"] == [{
        "group_id": "retention-7d", "disk_id": "SD_DISK", "nice_name": "Seven days", "description": "",
        "retention_hours": 168, "stream_options": "resolution=1920x1080", "pre_duration_ms": 5000,
        "post_duration_ms": 10000}]

    tasks = [{"name": "whole camera", "vapix.edge_storage.axis_edge_storage": sections},
             {"name": "read again", "vapix.edge_storage.axis_storage_info": {"gather_subset": INFO_SUBSETS},
              "register": "found"},
             JINJA_FEEDBACK]
    for section, items in sections.items():
        tasks.extend({"name": "%s %d" % (section, index), "vapix.edge_storage.%s" % MODULES[section]: item}
                     for index, item in enumerate(items))
    camera.clear_log()
    again = run_playbook(camera, tasks)
    assert again.rc == 0, again
    assert again.changed == 0, [(entry["task"], entry["result"].get("steps")) for entry in again.results]
    assert camera.write_count() == 0
    for entry in again.results:
        if entry["task"] != "read again":
            assert entry["result"]["writes"] == 0 and entry["result"]["steps"] == [], entry["task"]
    # the play's round trip declared every item the facts hold
    assert sorted(again.result("whole camera through jinja")["after"]) == sorted(again.result("whole camera")["after"])

    # The same facts with one value changed are a change: the round trip is not vacuous.
    limit = dict(next(item for item in sections["storage_limits"] if item["disk_id"] == "NetworkShare"),
                 size="600 GiB")
    changed = run_playbook(camera, [{"name": "limit", "vapix.edge_storage.axis_storage_limit": limit}], check=True)
    assert changed.result("limit")["changed"] is True and camera.write_count() == 0
