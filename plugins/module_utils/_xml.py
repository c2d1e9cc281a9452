# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hardened, strict XML reading for VAPIX answers.

Hardened: no entity expansion, no DTD or network access, no huge trees.
Strict: a document that is not well-formed (truncated, broken) is an error,
never data; lxml's recovering mode is not used. The one deviation we repair
is the one the vendor's own examples show: the disk management start-job
answers of the edge storage API's encryption workflow write
``<job action=unmount ...>`` with the value unquoted. Such a value (letters,
digits, ``_``, ``-``, ``.``) is quoted and the document parsed strictly again.
Lenient only in naming: elements and attributes are found by local name
whatever namespace a firmware puts them in, attribute names match
case-insensitively, and whitespace around values is dropped.

Charset: the document is parsed from its bytes, so its own declaration
(``<?xml ... encoding="ISO-8859-1"?>``) decides; without one, the charset the
HTTP header declared; without that, UTF-8 (the XML default).
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


# name=value with the value unquoted, as in the vendor's start-job examples (action=format).
_UNQUOTED_ATTRIBUTE = re.compile(rb'(<[A-Za-z_][\w:.-]*(?:\s+[A-Za-z_][\w:.-]*="[^"]*")*\s+[A-Za-z_][\w:.-]*)=([\w.-]+)(?=[\s/>])')
_DECLARED_ENCODING = re.compile(rb'^\s*<\?xml[^>]*\sencoding\s*=', re.IGNORECASE)


class XMLParseError(ValueError):
    """The text is not XML we can read."""


def _parser(encoding=None):
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=False,
        encoding=encoding,
    )


def quote_unquoted_attributes(data):
    """Quote the unquoted attribute values of the vendor's start-job examples; other bytes unchanged."""
    previous = None
    while previous != data:
        previous = data
        data = _UNQUOTED_ATTRIBUTE.sub(rb'\1="\2"', data)
    return data


def parse(data, charset=None):
    """Parse an XML document and return its root element; XMLParseError when it is not well-formed.

    ``data`` is bytes as received (str is taken as UTF-8 text); ``charset`` is
    the charset the HTTP header declared, used only when the document declares none.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
        charset = None
    data = data.strip()
    if not data:
        raise XMLParseError("the answer is empty where XML was expected")
    encoding = None if (charset is None or _DECLARED_ENCODING.match(data)) else charset
    try:
        return etree.fromstring(data, _parser(encoding))
    except LookupError:
        raise XMLParseError("the answer declares an unknown charset %r" % charset)
    except etree.XMLSyntaxError as strict_error:
        repaired = quote_unquoted_attributes(data)
        if repaired != data:
            try:
                return etree.fromstring(repaired, _parser(encoding))
            except etree.XMLSyntaxError:
                pass
        raise XMLParseError("the answer is not complete, well-formed XML (%s)" % strict_error)


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
