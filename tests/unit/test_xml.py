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
    """Source: the edge storage API documentation, disk encryption example, the answers of
    mount.cgi and format.cgi: '<job action=unmount diskid="SD_DISK" result="OK" jobid="10"/>'."""
    documented = ('<?xml version="1.0" encoding="UTF-8"?>\n<root xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                  'xsi:noNamespaceSchemaLocation="http://www.axis.com/vapix/http_cgi/disk/startjob1.xsd">\n'
                  '  <job action=unmount\n    diskid="SD_DISK"\n    result="OK"\n    jobid="10"/>\n</root>')
    job = _xml.find_named(_xml.parse(documented.encode("utf-8")), "job")
    assert _xml.attrs(job) == {"action": "unmount", "diskid": "SD_DISK", "result": "OK", "jobid": "10"}
    root = _xml.parse('<root><job jobid=4 diskid=SD_DISK result="OK"/></root>')
    job = _xml.find_named(root, "job")
    assert _xml.attr(job, "jobid") == "4" and _xml.attr(job, "diskid") == "SD_DISK"


@pytest.mark.parametrize("text", [
    # Issue 10, case 1: disks/list.cgi cut right after diskencryptionenabled="true".
    '<?xml version="1.0"?><root><disks numberofdisks="1"><disk diskid="SD_DISK" status="OK" '
    'diskencryptionenabled="true"',
    # Issue 10, case 2: listconfiguration.cgi cut between two profiles.
    '<?xml version="1.0"?><root><continuousrecordingconfigurations><continuousrecordingconfiguration '
    'profile="1" diskid="SD_DISK" options="" eventid="continuous" />',
    # A truncated attribute value, an unclosed root, a stray end tag.
    '<root><disk diskid="SD_D',
    "<root><disks></root>",
    "<root></disks></root>",
])
def test_truncated_or_broken_answers_are_errors_never_data(text):
    with pytest.raises(_xml.XMLParseError, match="not complete, well-formed XML"):
        _xml.parse(text.encode("utf-8"))


def test_the_repair_is_only_for_unquoted_values_and_does_not_hide_truncation():
    with pytest.raises(_xml.XMLParseError):
        _xml.parse(b'<root><job action=format diskid="SD_DISK"')
    assert _xml.quote_unquoted_attributes(b'<a b="x=y">c=d</a>') == b'<a b="x=y">c=d</a>'


def test_child_text_is_stripped():
    root = _xml.parse("<r><GeneralError><ErrorCode> 110 </ErrorCode></GeneralError></r>")
    assert _xml.child_text(root, "errorcode") == "110"
    assert _xml.child_text(root, "missing", default="-") == "-"


def test_a_charset_from_the_header_applies_only_when_the_document_declares_none():
    latin1 = b'<r name="Haust\xfcr"/>'
    assert _xml.attr(_xml.parse(latin1, charset="iso-8859-1"), "name") == "Haust\xfcr"
    declared = '<?xml version="1.0" encoding="utf-8"?><r name="Haust\xfcr"/>'.encode()
    assert _xml.attr(_xml.parse(declared, charset="iso-8859-1"), "name") == "Haust\xfcr"
    with pytest.raises(_xml.XMLParseError):
        _xml.parse(latin1)             # no declaration, no header: UTF-8, and these bytes are not


def test_declared_encoding_is_honoured_from_str_and_bytes():
    text = '<?xml version="1.0" encoding="ISO-8859-1"?><r name="caf\xe9"/>'
    assert _xml.attr(_xml.parse(text.encode("latin-1")), "name") == "caf\xe9"
    assert _xml.attr(_xml.parse('<?xml version="1.0" encoding="utf-8"?><r name="x"/>'), "name") == "x"


@pytest.mark.parametrize("text", ["", "   ", "Service unavailable", "404 Not Found"])
def test_what_is_not_xml_raises(text):
    with pytest.raises(_xml.XMLParseError):
        _xml.parse(text)
