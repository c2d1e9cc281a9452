"""Repository-wide pytest hooks (owned by the toolchain; tests live under tests/).

Tests are marked by the directory they live in, so `pytest -m "not slow"` or
`pytest -m unit` work without every test file repeating its markers:

- tests/unit/**         -> unit
- tests/functional/**   -> functional
- tests/integration/**  -> integration, slow (each runs ansible-playbook)
"""

from __future__ import annotations

import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent
_MARKS = {
    'unit': ('unit',),
    'functional': ('functional',),
    'integration': ('integration', 'slow'),
}


def pytest_collection_modifyitems(config, items):  # pylint: disable=unused-argument
    """Add directory-based markers to every collected test."""
    for item in items:
        try:
            rel = pathlib.Path(str(item.fspath)).resolve().relative_to(ROOT / 'tests')
        except ValueError:
            continue
        for name in _MARKS.get(rel.parts[0], ()):
            item.add_marker(getattr(pytest.mark, name))
