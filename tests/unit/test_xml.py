# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The hardened, lenient XML reader."""

from __future__ import annotations

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils import _xml


def test_external_entities_are_not_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    text = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://%s">]><r>&x;</r>' % secret)
    root = _xml.parse(text)
    assert "TOPSECRET" not in "".join(root.itertext())


def test_billion_laughs_does_not_expand():
    lol = ('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
           '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;</l>')
    root = _xml.parse(lol)
    assert len("".join(root.itertext())) < 1000


def test_names_match_by_local_name_whatever_namespace_and_case():
    root = _xml.parse('<a:Root xmlns:a="urn:x"><a:Disk DiskID=" SD_DISK "/><disk diskid="B"/></a:Root>')
    found = [_xml.attr(e, "diskid") for e in _xml.iter_named(root, "disk")]
    assert found == ["SD_DISK", "B"]


def test_attr_takes_the_first_spelling_present_and_strips():
    element = _xml.parse('<disk encryptionenabled=" true "/>')
    assert _xml.attr(element, "diskencryptionenabled", "encryptionenabled") == "true"
    assert _xml.attr(element, "missing", default="x") == "x"


def test_unquoted_attribute_values_of_the_vendor_examples_are_read():
    root = _xml.parse('<root><job jobid=4 diskid=SD_DISK result="OK"/></root>')
    job = _xml.find_named(root, "job")
    assert _xml.attr(job, "jobid") == "4" and _xml.attr(job, "diskid") == "SD_DISK"


def test_child_text_is_stripped():
    root = _xml.parse("<r><GeneralError><ErrorCode> 110 </ErrorCode></GeneralError></r>")
    assert _xml.child_text(root, "errorcode") == "110"
    assert _xml.child_text(root, "missing", default="-") == "-"


def test_declared_encoding_is_honoured_from_str_and_bytes():
    text = '<?xml version="1.0" encoding="ISO-8859-1"?><r name="caf\xe9"/>'
    assert _xml.attr(_xml.parse(text.encode("latin-1")), "name") == "caf\xe9"
    assert _xml.attr(_xml.parse('<?xml version="1.0" encoding="utf-8"?><r name="x"/>'), "name") == "x"


@pytest.mark.parametrize("text", ["", "   ", "Service unavailable", "404 Not Found"])
def test_what_is_not_xml_raises(text):
    with pytest.raises(_xml.XMLParseError):
        _xml.parse(text)
