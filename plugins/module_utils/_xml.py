# -*- coding: utf-8 -*-
# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hardened, lenient XML reading for VAPIX answers.

Hardened: no entity expansion, no DTD or network access, no huge trees.
Lenient: elements and attributes are found by local name whatever namespace a
firmware puts them in, attribute names match case-insensitively, whitespace
around values is dropped, and a recovering parse is tried when the strict one
fails (the vendor documentation itself shows unquoted attribute values).
"""

from __future__ import annotations

import re
import traceback

try:
    from lxml import etree
    HAS_LXML = True
    LXML_IMPORT_ERROR = None
except ImportError:
    etree = None
    HAS_LXML = False
    LXML_IMPORT_ERROR = traceback.format_exc()


# name=value with the value unquoted, as in some of the vendor's own examples.
_UNQUOTED_ATTRIBUTE = re.compile(rb'(\s[A-Za-z_][\w:.-]*)=([^\s"\'<>/=]+)')


class XMLParseError(ValueError):
    """The text is not XML we can read."""


def _parser(recover):
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
    )


def parse(text):
    """Parse an XML document (str or bytes) and return its root element."""
    if isinstance(text, str):
        data = text.encode("utf-8")
    else:
        data = text
    data = data.strip()
    if not data:
        raise XMLParseError("empty answer where XML was expected")
    # An XML declaration naming an encoding is not allowed on str input, and
    # bytes keep whatever the device declared: always hand lxml bytes.
    try:
        root = etree.fromstring(data, _parser(recover=False))
    except etree.XMLSyntaxError as strict_error:
        quoted = _UNQUOTED_ATTRIBUTE.sub(rb'\1="\2"', data)
        try:
            root = etree.fromstring(quoted, _parser(recover=True))
        except etree.XMLSyntaxError:
            root = None
        if root is None:
            raise XMLParseError("answer is not well-formed XML: %s" % strict_error)
    return root


def local_name(element):
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def iter_named(root, name):
    """Every element below (and including) root whose local name is name, case-insensitive."""
    wanted = name.lower()
    for element in root.iter():
        if local_name(element).lower() == wanted:
            yield element


def find_named(root, name):
    """The first element named name, or None."""
    for element in iter_named(root, name):
        return element
    return None


def attrs(element):
    """The element's attributes as a dict with lower-case local names and stripped values."""
    result = {}
    for key, value in element.attrib.items():
        result[key.rsplit("}", 1)[-1].lower()] = value.strip() if value is not None else value
    return result


def attr(element, *names, **kwargs):
    """The first attribute present among names (case-insensitive); default if none."""
    values = attrs(element)
    for name in names:
        value = values.get(name.lower())
        if value is not None:
            return value
    return kwargs.get("default")


def child_text(element, name, default=None):
    """Stripped text of the first descendant named name."""
    found = find_named(element, name)
    if found is None or found.text is None:
        return default
    return found.text.strip()
