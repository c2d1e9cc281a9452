"""docs/troubleshooting.md quotes the collection's own messages: each quoted phrase must still be
in the doc and in the code that raises it, and each device error code of its table must be in
the one table of codes (_errors.py) -- change a message, and this points at the doc to update."""

import re
from pathlib import Path

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils import _errors

REPO = Path(__file__).resolve().parents[2]
GUIDE = (REPO / "docs" / "troubleshooting.md").read_text()
# adjacent string literals continued on the next line read as one
SOURCES = re.sub(r"([\"'])\s*\n\s*\1", "", "\n".join(
    p.read_text() for p in (REPO / "plugins" / "module_utils").glob("*.py")))

QUOTED = [
    "with device error",
    "YAML reads it so when unquoted",
    "made before it",
    "not run: ",
    "nothing had been changed before it",
    "the device is now",
    "no answer from",
    "the connection closed without a complete answer",
    "the camera's TLS certificate was not accepted",
    "set ca_path to the CA that signed the camera's certificate, or validate_certs: false for a lab camera",
    "the server does not speak TLS on that port",
    "authentication failed for user",
    "check username and password (the camera offers",
    "the camera accepts only",
    "which this client cannot answer",
    "lacks the access level for this request",
    "not supported by this camera",
    "started, not finished after",
    "it may still be running on the camera: raise job_timeout or check the camera",
    "would destroy recordings and",
    "[destructive; needs allow_data_loss]",
    "or set unsupported: skip to converge the rest",
    "did not converge",
    "(its keyword timeout) ran out",
]


def one_line(text):
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("phrase", QUOTED)
def test_each_quoted_phrase_is_in_the_guide_and_in_the_code(phrase):
    assert phrase in one_line(GUIDE), "docs/troubleshooting.md no longer quotes %r" % phrase
    assert phrase in SOURCES, "no module_utils raises %r any more: update docs/troubleshooting.md" % phrase


def test_the_guides_device_codes_are_in_the_table_of_codes():
    rows = re.findall(r"^\| `?([\w -]+?)`? \| (\d+)(?:–(\d+))? \|", GUIDE, re.M)
    assert len(rows) >= 10
    families = {"any XML API": None, **{name: name for name in _errors.DEVICE_ERRORS}}
    for family, first, last in rows:
        for code in range(int(first), int(last or first) + 1, 10):
            assert _errors.describe(families[family], code), f"{family} {code} is not in _errors.py"
