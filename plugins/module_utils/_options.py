# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The options several modules share, each defined once so that it is spelled, aliased and checked alike."""

from __future__ import annotations

import re

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ValidationError, empty_disk_id


def disk_id_option(**spec):
    """The argument spec entry of a disk_id option (alias disk); spec adds required=True or a default."""
    return dict(type="str", aliases=["disk"], **spec)


def job_timeout_option(default=600):
    """The argument spec entry of job_timeout: seconds a disk or share job may take."""
    return dict(type="int", default=default)


def given_disk_id(params):
    """The disk_id option without surrounding blanks; ValidationError when it is empty."""
    disk_id = (params.get("disk_id") or "").strip()
    if not disk_id:
        raise empty_disk_id()
    return disk_id


# The characters XML 1.0 cannot carry, not even as a character reference: the C0 controls but tab and the line
# ends, the surrogates, U+FFFE and U+FFFF.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def check_xml_text(params, options):
    """ValidationError for the first of the options (free text the collection reads back from XML answers) that
    holds a character XML cannot carry (a control character such as U+0007): the camera stores it as sent and
    then lists it in answers that are not well-formed XML, which no run can read any more. The message shows
    the value: never pass an option that holds a secret."""
    for option in options:
        value = params.get(option)
        if not isinstance(value, str):
            continue
        found = "".join(dict.fromkeys(_NOT_IN_XML.findall(value)))
        if found:
            raise ValidationError("%s %r holds %s, which XML cannot carry: remove %s; the camera would store "
                                  "it and then list it in answers that are not well-formed XML, which this "
                                  "collection cannot read, so every later run on this camera would fail"
                                  % (option, value, ", ".join("U+%04X" % ord(char) for char in found),
                                     "it" if len(found) == 1 else "them"))


def check_free_text(params, options, ends=True):
    """ValidationError for the first of the options (free text sent to the camera) that the camera's answers
    cannot give back as it was sent: a value that holds a line break and, with ends (options the collection
    reads from XML answers, whose attribute values it reads without the white space around them), one that
    starts or ends with white space.

    The camera stores such a value as it is sent; read back, it would never match, and every run would
    write it again and fail to converge. It is refused, not changed, so the camera holds exactly what the
    task says. With ends, a value that holds a character XML cannot carry is refused too (check_xml_text).
    The message shows the value: never pass an option that holds a secret.
    """
    if ends:
        check_xml_text(params, options)
    for option in options:
        value = params.get(option)
        if not isinstance(value, str):
            continue
        if ends and value != value.strip():
            raise ValidationError("%s %r starts or ends with white space: remove the white space around it "
                                  "(write %r); the camera's answers are read without it, so the value would "
                                  "never match and would be written again on every run"
                                  % (option, value, value.strip()))
        if "\n" in value or "\r" in value:
            raise ValidationError("%s %r holds a line break: write it on one line; the camera's answers do not "
                                  "give a line break back as it was sent (an XML answer reads it as a space), so "
                                  "the value would never match and would be written again on every run"
                                  % (option, value))


# Text options whose documented values include a plain number (a storage limit's size in kB): a number given
# there is meant as one, and only a boolean is named.
NUMBERS_MEANT = ("size",)


def _given_values(spec, given, kind, where=""):
    """(place, name, option, value) for every option of type kind in spec given in given (a value held in given
    under the option's name or an alias), in sub-options too and for each element of a list of kind; place is
    the option's name prefixed with where and its place in the lists and sub-options it is in."""
    for name, option in spec.items():
        value = next((given[key] for key in [name] + list(option.get("aliases") or []) if key in given), None)
        given_kind = option.get("type", "str")
        if given_kind == kind:
            yield where + name, name, option, value
        elif given_kind == "list" and option.get("elements") == kind and isinstance(value, list):
            for index, item in enumerate(value):
                yield f"{where}{name}[{index}]", name, option, item
        else:
            items = value if given_kind == "list" and isinstance(value, list) else [value]
            for index, item in enumerate(items):
                if option.get("options") and isinstance(item, dict):
                    place = f"{where}{name}[{index}]." if given_kind == "list" else f"{where}{name}."
                    yield from _given_values(option["options"], item, kind, place)


def converted_text(spec, given, where=""):
    """Warnings for text options (type str, also in sub-options and str list elements) given a value YAML read as a
    number or a boolean: validation turns it into text silently, and an unquoted value is not always the text that
    was written (0123 is the number 83, 1.10 is 1.1, yes is True). A secret's value is never shown. where prefixes
    each option's name (a section item's place)."""
    return [_conversion(place, item, option.get("no_log"))
            for place, name, option, item in _given_values(spec, given, "str", where)
            if isinstance(item, bool) or (isinstance(item, (int, float)) and name not in NUMBERS_MEANT)]


def _conversion(place, value, secret):
    what = "a boolean" if isinstance(value, bool) else "a number"
    if secret:
        return (f"{place} was given as {what}, not as text (YAML reads it so when unquoted), and is sent as the "
                f"text of that {what[2:]}, which is not shown (a secret); quote it in YAML if it is other text "
                "(unquoted, digits with a leading zero read as an octal number)")
    return (f"{place} was given as {what} ({value!r}; YAML reads it so when unquoted) and is sent as the text "
            f"'{value}'; quote it in YAML if you meant other text (unquoted, 1.10 reads as 1.1, 0123 as 83, yes as "
            "True)")


def misread_values(spec, given, where=""):
    """Messages for values validation takes but turns into something else, which would be sent to the camera:
    a boolean for a whole-number option (type int, also in sub-options and int list elements), taken as a
    number (True is the int 1 to Python; YAML reads an unquoted yes, no, on, off, true or false so), which the
    camera was sent as 'yes' or 'no'; a list or a mapping for a text option (type str or path, also their list
    elements), turned into Python's text of it (['noatime', 'vers=3.0']), which the camera stored as it was
    sent. A secret's value is never shown. where prefixes each option's name (a section item's place)."""
    messages = _given_twice(spec, given, where)
    messages += [f"{place} is the boolean {item} (YAML reads an unquoted yes, no, on, off, true or false so), and "
                 "it takes a whole number: give a number"
                 for place, _name, _option, item in _given_values(spec, given, "int", where) if isinstance(item, bool)]
    texts = [value for kind in ("str", "path") for value in _given_values(spec, given, kind, where)]
    for place, _name, option, item in texts:
        if isinstance(item, (list, dict)):
            what = "a list" if isinstance(item, list) else "a mapping"
            shown = "" if option.get("no_log") else f" ({item!r})"
            messages.append(f"{place} is {what}{shown}, and it takes text: give one text value (a list or a "
                            "mapping would be sent as Python's text of it)")
    return messages


def _given_twice(spec, given, where):
    """Messages for options given under their name and an alias with values that differ (validation would take
    the alias's: allow_data_loss: false beside allow_format: true would allow the data loss). Booleans are
    compared as Ansible reads them ('no' is false); a secret's values are never shown."""
    messages = []
    for name, option in spec.items():
        names = [key for key in [name] + list(option.get("aliases") or []) if key in given]
        values = [given[key] for key in names]
        if option.get("type") == "bool":
            try:
                values = [None if value is None else boolean(value) for value in values]
            except TypeError:
                continue   # validation refuses what is no boolean
        if len(names) < 2 or all(value == values[0] for value in values[1:]):
            continue
        shown = "" if option.get("no_log") else " ({})".format(", ".join(f"{key}: {given[key]!r}" for key in names))
        messages.append("{}{} and its alias {} are given different values{}: give only one of them".format(
            where, names[0], " and ".join(names[1:]), shown))
    return messages


def alias_warnings(warnings, where=""):
    """The warnings of an argument validation that found an option given under its name and an alias (its
    _warnings), each saying which value is used: validation takes the alias's. where prefixes each option's
    name (a section item's place)."""
    return ["{0}Both option {1} and its alias {2} are set: the value given as {2} is used; give only one of them."
            .format(where, warning["option"], warning["alias"]) for warning in warnings if "alias" in warning]
