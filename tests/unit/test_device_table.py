# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The table of CGI calls in _device.py: the only place that names a CGI, every entry sent by the
method of its name, and the client's refusal to send a write in check mode."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.unit.double import Call, Transcript, param_list

from ansible_collections.vapix.edge_storage.plugins.module_utils._client import VapixClient, needed_level
from ansible_collections.vapix.edge_storage.plugins.module_utils._device import CALLS, Device, cgi_name
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import VapixError, WriteInCheckMode
from ansible_collections.vapix.edge_storage.plugins.module_utils._module import AxisModule

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"
DEVICE_MODULE = PLUGINS / "module_utils" / "_device.py"
# The cache families reads fill (Device._cached keys, and the two the parameter read fills itself).
CACHE_FAMILIES = {"properties", "storage_params", "apidiscovery", "recording_params", "disks", "capabilities",
                  "health", "alert_levels", "shares", "limits", "profiles", "export_schemas", "export_capabilities",
                  "groups"}


def docstrings(tree):
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}


def cgi_literals(path):
    """(line, text) of each string literal in path that names a CGI and is no docstring and no sentence.

    A sentence (a literal with a blank: a message, a step text a person reads, module documentation) may
    name a CGI; a literal without a blank is a path, a CGI file or a request, and only _device.py has those.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = docstrings(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and ".cgi" in node.value
            and id(node) not in skipped and not any(char.isspace() for char in node.value)]


def test_no_cgi_path_outside_the_device_table():
    found = ["%s:%d: %r" % (path.relative_to(PLUGINS.parent), line, text)
             for path in sorted(PLUGINS.rglob("*.py")) if path != DEVICE_MODULE
             for line, text in cgi_literals(path)]
    assert found == []


def test_the_scan_finds_a_path_and_spares_docstrings_and_sentences(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""Reads disks/list.cgi."""\n'
                      'PATH = "disks/list.cgi"\n'
                      'def f():\n    """job.cgi"""\n    return "ask job.cgi", "disks/%s" % "mount.cgi"\n')
    assert cgi_literals(sample) == [(2, "disks/list.cgi"), (5, "mount.cgi")]


def test_in_device_py_only_the_table_names_a_cgi():
    tree = ast.parse(DEVICE_MODULE.read_text(encoding="utf-8"))
    device_class = next(node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "Device")
    skipped = docstrings(device_class)
    named = [node.value for node in ast.walk(device_class)
             if isinstance(node, ast.Constant) and isinstance(node.value, str) and ".cgi" in node.value
             and id(node) not in skipped]
    assert named == []


def test_every_call_of_a_device_method_names_an_entry_of_the_table():
    """Device methods send only through _send, _parsed and _start_job, naming their table entry by a
    literal the table has; only _send asks the client for XML, and the export download, the parameter
    and discovery reads and the parameter update are the client's own methods, which take their paths
    from the table."""
    tree = ast.parse(DEVICE_MODULE.read_text(encoding="utf-8"))
    device_class = next(node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "Device")
    senders = ("_send", "_parsed", "_start_job", "where")
    named = []
    for method in device_class.body:
        if not isinstance(method, ast.FunctionDef):
            continue
        for node in ast.walk(method):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            target, attr = node.func.value, node.func.attr
            if isinstance(target, ast.Name) and target.id == "self" and attr in senders \
                    and method.name not in senders:
                assert isinstance(node.args[0], ast.Constant), (method.name, ast.dump(node))
                named.append(node.args[0].value)
            if isinstance(target, ast.Attribute) and target.attr == "client":
                if attr == "xml":
                    assert method.name == "_send"
                elif attr == "download":
                    assert method.name == "export_recording"
                else:
                    assert attr in ("param_list", "param_update", "api_list", "describe"), (method.name, attr)
    assert set(named) <= set(CALLS)


def refused(name, status=400):
    """The request of table entry name, as the shared double expects it, answered with an HTTP error so that
    the Device method stops right there (400: no retry, and a VapixError naming the API family)."""
    call = CALLS[name]
    return Call(call.path, dict(call.leading_args), method=call.method).answers("", status=status)


# How each entry of the table is reached through Device.
INVOCATIONS = {
    "param_list": lambda d: d.properties(),
    "param_update": lambda d: d.update_params({"Storage.S0.FriendlyName": "x"}),
    "api_list": lambda d: d.api_list(),
    "disks": lambda d: d.disks(),
    "capabilities": lambda d: d.capabilities("SD_DISK"),
    "health": lambda d: d.health(),
    "format_disk": lambda d: d.format_disk("SD_DISK", "ext4"),
    "mount": lambda d: d.mount("SD_DISK"),
    "unmount": lambda d: d.unmount("SD_DISK"),
    "check_disk": lambda d: d.check_disk("SD_DISK"),
    "repair_disk": lambda d: d.repair_disk("SD_DISK"),
    "disk_job": lambda d: d.disk_job("SD_DISK", "7"),
    "lock_disk": lambda d: d.lock_disk("SD_DISK", True),
    "alert_levels": lambda d: d.alert_levels("SD_DISK"),
    "set_alert_levels": lambda d: d.set_alert_levels("SD_DISK", [("wear", 80)]),
    "set_required_filesystem": lambda d: d.set_required_filesystem("SD_DISK", "ext4"),
    "enable_encryption": lambda d: d.enable_encryption("SD_DISK", "secret"),
    "disable_encryption": lambda d: d.disable_encryption("SD_DISK"),
    "change_passphrase": lambda d: d.change_passphrase("SD_DISK", "new", "old"),
    "shares": lambda d: d.shares(),
    "test_share": lambda d: d.test_share([("address", "nas")]),
    "share_job": lambda d: d.share_job("3"),
    "add_share": lambda d: d.add_share([("shareid", "nas"), ("nicename", "nas")]),
    "modify_share": lambda d: d.modify_share("nas", [("nicename", "NAS")]),
    "remove_share": lambda d: d.remove_share("nas"),
    "bind_share": lambda d: d.bind_share("nas", True),
    "unbind_share": lambda d: d.unbind_share("nas"),
    "storage_limits": lambda d: d.storage_limits(),
    "set_storage_limit": lambda d: d.set_storage_limit("SD_DISK", 1024),
    "continuous_profiles": lambda d: d.continuous_profiles(),
    "add_continuous_profile": lambda d: d.add_continuous_profile("SD_DISK", "resolution=640x480", "e1"),
    "remove_continuous_profile": lambda d: d.remove_continuous_profile("1"),
    "recordings_page": lambda d: d.recordings_page([("diskid", "SD_DISK")], 0, 10),
    "remove_recordings": lambda d: d.remove_recordings(["r1"]),
    "export_schema_versions": lambda d: d.export_schema_versions(),
    "export_capabilities": lambda d: d.export_capabilities(),
    "export_properties": lambda d: d.export_properties("r1", "SD_DISK", "matroska"),
    "export_recording": lambda d: d.export_recording("r1", "SD_DISK", "matroska", None),
    "recording_groups": lambda d: d.recording_groups(),
    "create_recording_group": lambda d: d.create_recording_group([("recordinggroupid", "g1")]),
    "update_recording_group": lambda d: d.update_recording_group("g1", [("maxretentiontime", 60)]),
    "delete_recording_group": lambda d: d.delete_recording_group("g1"),
}


def test_every_table_entry_is_reached_through_device():
    assert set(INVOCATIONS) == set(CALLS)


def test_each_entry_is_named_after_the_method_that_sends_it():
    """A Device method, or the client's own parameter and discovery methods, which Device calls."""
    client_own = {name for name in CALLS if not hasattr(Device, name) or name == "api_list"}
    assert client_own == {"param_list", "param_update", "api_list"}
    assert all(callable(getattr(VapixClient, name)) for name in client_own)


# What a camera answers first for the entries that check a feature before their request.
FEATURES = param_list("root.Properties.LocalStorage.StorageLimit=yes\n"
                      "root.Properties.LocalStorage.ContinuousRecording=yes\n")
FEATURE_READS = {"storage_limits": [FEATURES], "continuous_profiles": [FEATURES]}


@pytest.mark.parametrize("name", sorted(INVOCATIONS))
def test_each_device_method_sends_exactly_its_table_entry(name):
    camera = Transcript(*FEATURE_READS.get(name, []), refused(name))
    with pytest.raises(VapixError) as info:
        INVOCATIONS[name](camera.device())
    call = CALLS[name]
    sent = camera.sent[-1]
    assert (sent.method, sent.path, sent.write, info.value.api) == (call.method, call.path, call.writes, call.api)


def test_a_write_forgets_exactly_the_reads_its_entry_names():
    families = sorted(CACHE_FAMILIES)
    for name, call in CALLS.items():
        assert set(call.invalidates) <= CACHE_FAMILIES, name
        if name in ("param_update", "param_list", "api_list") or not call.invalidates:
            continue
        device = Transcript(refused(name)).device()
        device._cache = {family: "cached" for family in families}
        with pytest.raises(VapixError):
            INVOCATIONS[name](device)
        assert sorted(device._cache) == sorted(set(families) - set(call.invalidates)), name


@pytest.mark.parametrize("values, stale", [
    ({"Storage.S0.FriendlyName": "SD card"}, {"disks", "storage_params"}),
    ({"root.Recording.DefaultSplitDuration": "1800"}, {"recording_params"}),
    ({"Storage.S0.CleanupMaxAge": "7", "Recording.DefaultDiskId": "SD_DISK"},
     {"disks", "storage_params", "recording_params"}),
    # a group the table does not name: whatever any parameter may feed
    ({"NetworkShare.N0.Share": "cams"}, set(CALLS["param_update"].invalidates)),
])
def test_a_parameter_update_forgets_what_its_groups_feed(values, stale):
    families = sorted(CACHE_FAMILIES)
    device = Transcript(refused("param_update")).device()
    device._cache = {family: "cached" for family in families}
    with pytest.raises(VapixError):
        device.update_params(values)
    assert sorted(device._cache) == sorted(set(families) - stale)


def test_cgi_name_and_admin_level_come_from_the_table():
    assert cgi_name("set_required_filesystem") == "setrequiredfs.cgi"
    assert needed_level("disks/format.cgi", True) == "admin"
    assert needed_level("param.cgi", True) == "admin" and needed_level("param.cgi", False) == "operator or admin"
    assert needed_level("disks/networkshare/bind.cgi", True) == "operator or admin"
    assert needed_level("some/unknown.cgi", True) == "operator or admin"


# -- the client's check-mode guard ------------------------------------------------------------------------

@pytest.mark.parametrize("name, write", [
    ("bind_share", lambda d: d.bind_share("nas", True)),
    ("format_disk", lambda d: d.format_disk("SD_DISK", "ext4")),
    ("param_update", lambda d: d.update_params({"Storage.S0.FriendlyName": "x"})),
    ("remove_recordings", lambda d: d.remove_recordings(["r1"])),
])
def test_a_write_in_check_mode_raises_and_sends_nothing(name, write):
    camera = Transcript()          # expects no request at all
    client = camera.client(check_mode=True)
    with pytest.raises(WriteInCheckMode) as info:
        write(camera.device())
    assert f"a write was attempted in check mode: {name} ({CALLS[name].path}" in str(info.value)
    assert camera.sent == [] and (client.request_count, client.write_count) == (0, 0)


def test_reads_in_check_mode_and_writes_outside_it_are_sent():
    reading = Transcript(refused("shares"), refused("check_disk"))
    reading.client(check_mode=True)
    with pytest.raises(VapixError):
        reading.device().shares()
    with pytest.raises(VapixError):
        reading.device().check_disk("SD_DISK")       # a check changes nothing: not a write
    writing = Transcript(Call("disks/networkshare/bind.cgi", {"schemaversion": 1, "shareid": "nas",
                                                              "automaticmount": "yes"}, exact=True).answers("", 400))
    writing.client(check_mode=False)
    with pytest.raises(VapixError):
        writing.device().bind_share("nas", True)
    assert [sent.write for sent in reading.sent] == [False, False]
    assert writing.writes == [("disks/networkshare/bind.cgi", {"schemaversion": "1", "shareid": "nas",
                                                               "automaticmount": "yes"})]


@pytest.mark.parametrize("check_mode", [True, False])
def test_the_module_gives_its_client_the_run_s_check_mode(check_mode):
    task = SimpleNamespace(params={"hostname": "camera.invalid", "username": "root", "password": "pass",
                                   "timeout": 30}, check_mode=check_mode, progress=None)
    axis = AxisModule(task)
    assert axis.device.client.check_mode is check_mode
    axis.close()
