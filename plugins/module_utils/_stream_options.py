# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stream options (the image URL arguments a recording uses) in one canonical form.

Continuous recording profiles (``options``) and recording groups
(``streamoptions``) carry a string of ``key=value`` pairs joined by ``&``,
e.g. ``resolution=1280x720&fps=15``. Users write them as a dict or as such a
string, possibly percent-encoded; the device returns whatever was stored.
Both sides are brought to one canonical form before comparing, so an
unchanged profile is never re-created and a group's options never updated
for nothing.

The canonical form, which is also what this collection sends:

- the pairs ``key=value`` joined by ``&``, sorted by key (a key repeated in a
  device's string keeps its repeats, in their order); no pairs is ``""``;
- keys and values percent-decoded, stripped of surrounding blanks (a dict's as a string's), then
  percent-encoded again so that only letters, digits and ``-_.~,:`` stay as
  they are (``Hello World`` becomes ``Hello%20World``; ``%`` is never decoded
  twice and ``+`` is a plus sign, not a space); an escape that is no UTF-8 text
  (``%FC``, ISO-8859-1's ``ü``) stays as it is written, never a replacement character;
- a part without ``=`` is refused in what users give (the camera refuses it too); the
  device's own strings are read leniently and keep it as a bare key;
- dict values as strings: numbers as written, booleans as ``1``/``0`` (the
  spelling of image URL switches such as ``audio`` or ``clock``).

What users give is checked before any request: ``""`` and ``{}`` are the camera's default
stream (the documentation: the system default is used when no value is given); a string of
blanks only (almost always a template that rendered nothing), a part without ``=``, a key with an empty
value (``textstring=``, the camera refuses it: leave the key out), a ``%`` not followed by two hex digits, a key that is
not letters, digits and ``_``, and the value of the keys whose form is fixed
(``resolution`` ``WxH``, ``fps`` a whole number or a fraction, ``compression`` 0..100) are refused
with what to write instead.

A whole string that was percent-encoded once more (``resolution%3D1280x720%26fps%3D15``,
as it appears in a request URL) is recognised by having no ``=`` or ``&``
of its own but an encoded one, and decoded once first.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ValidationError

SAFE = "-_.~,:"
_ENCODED_SEPARATOR = re.compile(r"%(3d|26)", re.IGNORECASE)
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
# The keys whose value has a fixed form, with that form and an example.
_VALUE_FORMS = {
    "resolution": (re.compile(r"^[1-9][0-9]{0,4}x[1-9][0-9]{0,4}$"), "width x height, e.g. 1280x720"),
    "fps": (re.compile(r"^[0-9]+(/[1-9][0-9]*)?$"),
            "a whole number of frames per second or a fraction, e.g. 15 or 30000/1001 (the camera takes no decimals)"),
    "compression": (re.compile(r"^([0-9]|[1-9][0-9]|100)$"), "a whole number from 0 to 100"),
}


def _encode(text):
    # surrogateescape: a byte _unquote kept (an escape that is no UTF-8) goes back as the same escape.
    return quote(text, safe=SAFE, errors="surrogateescape")


def _unquote(text):
    """Percent-decoded text; an escape that is not UTF-8 (%FC, the ISO-8859-1 byte of u-umlaut) is kept as its byte
    (a surrogate escape), never replaced by U+FFFD: sent again as it was written."""
    return unquote(text, errors="surrogateescape")


def _scalar(key, value, what):
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float, str)):
        return str(value)
    if value is None:
        raise ValidationError(f"{what}: '{key}' has no value; give one (e.g. {key}: 15) or leave the key out")
    raise ValidationError("%s: the value of '%s' must be a string or a number, not %s"
                          % (what, key, type(value).__name__))


def _pairs_of_string(text):
    """'a=1&b=x%20y' -> [('a', '1'), ('b', 'x y')]; a bare part 'c' -> ('c', None)."""
    text = text.strip()
    if text.startswith("?"):
        text = text[1:]
    if "=" not in text and "&" not in text and _ENCODED_SEPARATOR.search(text):
        text = _unquote(text)
    pairs = []
    for part in text.split("&"):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        pairs.append((_unquote(key).strip(), _unquote(value).strip() if sep else None))
    return pairs


def _pairs_of_dict(options, what):
    """{'a': 1, 'b': ' x y '} -> [('a', '1'), ('b', 'x y')]: stripped as the pairs of a string are."""
    return [(str(key).strip(), _scalar(key, value, what).strip()) for key, value in options.items()]


def _render(pairs):
    parts = []
    for key, value in sorted(pairs, key=lambda pair: pair[0]):
        parts.append(_encode(key) if value is None else f"{_encode(key)}={_encode(value)}")
    return "&".join(parts)


def canonical(options, what="options"):
    """A user's options (dict or string) -> the canonical string; ValidationError when they are ambiguous.

    None stays None (the option was not set).
    """
    if options is None:
        return None
    if isinstance(options, dict):
        pairs = _pairs_of_dict(options, what)
    elif isinstance(options, str):
        pairs = _pairs_of_string(options)
    else:
        raise ValidationError("%s must be a mapping such as {resolution: 1280x720, fps: 15} or a string such as "
                              "'resolution=1280x720&fps=15', not %s" % (what, type(options).__name__))
    if isinstance(options, str):
        _check_string(options, pairs, what)
    for key, value in pairs:
        _check_pair(key, value, options, what)
    keys = [key for key, _value in pairs]
    if "" in keys:
        raise ValidationError("%s %r has a value without a key; write key=value pairs joined by '&', "
                              "e.g. 'resolution=1280x720&fps=15'" % (what, options))
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise ValidationError("{} {!r} sets {} more than once; give each key once".format(what, options, ", ".join(repeated)))
    empty = [key for key, value in pairs if value == ""]
    if empty:
        each, them = ("it", "it") if len(empty) == 1 else ("each", "them")
        raise ValidationError("%s %r gives %s an empty value; give %s a value, or leave %s out for the camera's "
                              "default" % (what, options, ", ".join(empty), each, them))
    return _render(pairs)


def _check_string(options, pairs, what):
    if not pairs and options:
        raise ValidationError("%s %r holds no key=value pair: give pairs such as 'resolution=1280x720&fps=15', or "
                              "'' (or {}) for the camera's default stream" % (what, options))
    bad = _BAD_ESCAPE.search(options)
    if bad:
        raise ValidationError("%s %r has a '%%' that is not followed by two hex digits (at %r): write %%25 for a "
                              "percent sign" % (what, options, options[bad.start():bad.start() + 3]))
    for key, value in pairs:
        if value is None:
            raise ValidationError("%s %r has '%s' without a value; write key=value pairs joined by '&', e.g. "
                                  "'resolution=1280x720&fps=15'" % (what, options, key))


def _check_pair(key, value, options, what):
    if key and not _KEY.match(key):
        raise ValidationError("%s %r has the key %r; keys are letters, digits and '_' (e.g. resolution, fps)"
                              % (what, options, key))
    form = _VALUE_FORMS.get(key.lower()) if value is not None else None
    if form is not None and not form[0].match(value):
        raise ValidationError(f"{what} {options!r} sets {key} to {value!r}; give {form[1]}")


def from_device(text):
    """The options string the device lists -> the canonical string (lenient: the device's word is kept)."""
    return _render(_pairs_of_string(text or ""))
