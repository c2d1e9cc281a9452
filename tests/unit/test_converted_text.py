# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Text options given a value YAML read as a number or a boolean are named (_options.converted_text)."""

from __future__ import annotations

from ansible_collections.vapix.edge_storage.plugins.module_utils._options import converted_text

SPEC = {
    "name": dict(type="str", aliases=["nice_name"]),
    "plain": dict(),                                    # no type: text
    "password": dict(type="str", no_log=True),
    "count": dict(type="int"),
    "flag": dict(type="bool"),
    "tags": dict(type="list", elements="str"),
    "items": dict(type="list", elements="dict", options={"label": dict(type="str")}),
    "quota": dict(type="dict", options={"group": dict(type="str")}),
    "options": dict(type="raw"),
}


def test_text_options_given_numbers_or_booleans_are_named_wherever_they_are():
    warnings = converted_text(SPEC, {"nice_name": 1.1, "plain": True, "count": 3, "flag": True, "options": 5,
                                     "tags": ["a", 7], "items": [{"label": "x"}, {"label": False}],
                                     "quota": {"group": 12}}, "shares[0]: ")
    named = [warning.split(" was given", 1)[0] for warning in warnings]
    assert named == ["shares[0]: name", "shares[0]: plain", "shares[0]: tags[1]", "shares[0]: items[1].label",
                     "shares[0]: quota.group"]
    assert "(1.1; YAML reads it so when unquoted) and is sent as the text '1.1'" in warnings[0]


def test_text_given_as_text_or_left_out_is_not_named():
    assert converted_text(SPEC, {"name": "1.10", "plain": "yes", "tags": ["7"], "items": [{"label": "0123"}]}) == []
    assert converted_text(SPEC, {}) == []


def test_a_secret_given_as_a_number_is_named_without_its_value():
    warning, = converted_text(SPEC, {"password": 83})
    assert warning.startswith("password was given as a number, not as text") and "83" not in warning


def test_a_size_given_as_a_number_is_meant_as_one():
    """A storage limit's size is documented as a plain number of kB too: only a boolean there is named."""
    spec = {"size": dict(type="str")}
    assert converted_text(spec, {"size": 524288000}) == []
    assert converted_text(spec, {"size": True})[0].startswith("size was given as a boolean")
