# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the engine batches resources of different kinds by holds for the code of those kinds.

A storage limit, a continuous profile and a recording group are planned before the first of their writes and
verified after the last (_engine._batches): that is right only while no kind's writes change what another reads.
Each such kind declares the Device calls its steps send (``write_calls``); what it reads is its ``reads`` and
``plan_reads`` and the families any plan may read when it needs them (``_engine.READ_WHEN_NEEDED``). These tests
read each kind's module and fail when it sends a write it does not declare, or reads a family it does not.
"""

from __future__ import annotations

import ast
import inspect

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils._device import CALLS, FAMILY_READERS, Device
from ansible_collections.vapix.edge_storage.plugins.module_utils._edge_storage import SECTIONS
from ansible_collections.vapix.edge_storage.plugins.module_utils._engine import READ_WHEN_NEEDED, Resource

# The module of every kind a whole-camera converge plans, the single modules' too.
RESOURCE_MODULES = tuple(module for _section, module in SECTIONS)

# The Device methods that read a cached family without being its reader (FAMILY_READERS), and those that read
# nothing from the camera.
READ_THROUGH = {"disk": "disks", "require_disk": "disks", "local_storage_properties": "properties",
                "max_continuous_profiles": "properties", "firmware_version": "properties", "supports": "properties",
                "require": "properties", "storage_limit": "limits", "api_version": "apidiscovery",
                "supports_alert_levels": "apidiscovery"}
READ_NOTHING = {"where", "invalidate", "report_progress"}


def batched_kinds():
    return [cls for module in RESOURCE_MODULES for cls in vars(module).values()
            if inspect.isclass(cls) and issubclass(cls, Resource) and cls.__module__ == module.__name__
            and cls.write_calls is not None]


def device_methods_called(module):
    """The names of Device methods the module's code calls on anything (a device is named device, dev or d)."""
    names = set()
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and hasattr(Device, node.func.attr):
            names.add(node.func.attr)
    return names


def reaches_the_client(module):
    """Whether the module's code names a device's client (device.client...), which sends past the Device table."""
    return any(isinstance(node, ast.Attribute) and node.attr == "client"
               for node in ast.walk(ast.parse(inspect.getsource(module))))


def test_the_kinds_batched_with_other_kinds_are_the_limit_the_profile_and_the_group():
    assert sorted(cls.kind for cls in batched_kinds()) == ["continuous profile", "recording group", "storage limit"]


@pytest.mark.parametrize("kind", batched_kinds(), ids=lambda cls: cls.kind)
def test_a_batched_kind_sends_only_the_writes_it_declares_and_reads_only_what_it_declares(kind):
    module = inspect.getmodule(kind)
    readers = {method: family for family, method in FAMILY_READERS.items()}
    readable = set(kind.reads + kind.plan_reads + READ_WHEN_NEEDED)
    assert not reaches_the_client(module), f"{module.__name__} sends through the client: use a Device method"
    for name in sorted(device_methods_called(module)):
        if name.startswith("_"):
            assert name == "__init__", f"{module.__name__} calls Device.{name}: use a Device method of CALLS"
        elif name in CALLS and CALLS[name].writes:
            assert name in kind.write_calls, f"{module.__name__} sends {name}: declare it in {kind.__name__}.write_calls"
        elif name in readers or name in READ_THROUGH:
            family = readers.get(name) or READ_THROUGH[name]
            assert family in readable, (f"{module.__name__} reads {family} (Device.{name}), which {kind.__name__} "
                                        "does not declare")
        else:
            assert name in READ_NOTHING, f"Device.{name}: say here what it reads"
    for name in kind.write_calls:
        assert CALLS[name].writes, f"{name} is not a write"


def test_no_batched_kind_writes_what_any_plan_reads_when_it_needs_it():
    for kind in batched_kinds():
        written = {family for name in kind.write_calls for family in CALLS[name].invalidates}
        assert not written & set(READ_WHEN_NEEDED), kind.kind
