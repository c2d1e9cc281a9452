# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Host names and addresses as options give them: the camera's ``hostname``, a share's ``address``."""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ValidationError

_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$")


def validate_host(value, option, zone_id=True):
    """ValidationError unless value is a host name, an IPv4 address or an IPv6 address (brackets allowed).

    zone_id=False: the collection connects to the host itself (the camera's hostname), and an IPv6 address with
    a zone id (fe80::1%eth0) is refused: requests hands the zone id, percent-encoded, to the resolver, so such an
    address can never be reached and every request would fail as a name that does not resolve."""
    text = value if isinstance(value, str) else ""
    if not text.strip():
        raise ValidationError("%s is empty: give a host name, an IPv4 or an IPv6 address" % option)
    if text != text.strip() or any(char.isspace() for char in text):
        raise ValidationError(f"{option} {value!r} contains blanks: give only a host name or address")
    if "://" in text or any(char in text for char in "/\\?#@&=") or ("%" in text and ":" not in text):
        raise ValidationError("%s %r is not a host name or address: give it without scheme, path, user or "
                              "arguments (e.g. nas1.example.com, 192.0.2.10 or fd00::10)" % (option, value))
    inner = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    if ":" in inner:
        try:
            ipaddress.IPv6Address(inner.split("%", 1)[0])
        except ValueError:
            if inner.count(":") == 1 and inner.rsplit(":", 1)[1].isdigit():
                raise ValidationError("%s %r contains a port: give the host alone "
                                      "(%s: %s, port: %s)" % ((option, value, option) + tuple(inner.rsplit(":", 1))))
            raise ValidationError(f"{option} {value!r} is not a valid IPv6 address")
        if "%" in inner and not zone_id:
            raise ValidationError("%s %r is an IPv6 address with a zone id (%s), which the collection cannot connect "
                                  "to: give the camera's IPv4 address, a global or unique local IPv6 address (e.g. "
                                  "fd00::10) or a host name instead" % (option, value, inner[inner.index("%"):]))
        return None
    if text.startswith("["):
        raise ValidationError(f"{option} {value!r}: brackets are only for IPv6 addresses")
    name = text[:-1] if text.endswith(".") else text
    labels = name.split(".")
    if len(name) > 253 or not all(_HOST_LABEL.match(label) for label in labels):
        raise ValidationError("%s %r is not a valid host name: use letters, digits and '-' in dot-separated "
                              "labels of at most 63 characters" % (option, value))
    if all(label.isdigit() for label in labels):
        try:
            ipaddress.IPv4Address(name)
        except ValueError:
            raise ValidationError(f"{option} {value!r} is not a valid IPv4 address")
    return None
