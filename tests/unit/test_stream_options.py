# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stream options: every spelling of the same options comes to one canonical string."""

from __future__ import annotations

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ValidationError
from ansible_collections.vapix.edge_storage.plugins.module_utils._stream_options import canonical, from_device

CANONICAL = "fps=15&resolution=1280x720"


@pytest.mark.parametrize("spelling", [
    {"resolution": "1280x720", "fps": 15},
    {"fps": "15", "resolution": "1280x720"},
    "resolution=1280x720&fps=15",
    "fps=15&resolution=1280x720",
    "resolution%3D1280x720%26fps%3D15",          # the whole string encoded, as in a request URL
    "resolution%3d1280x720%26fps%3d15",          # lower-case hex
    "?resolution=1280x720&fps=15&",              # pasted from a URL, stray separator
    " resolution = 1280x720 && fps=15 ",         # blanks around keys, values and the string
    {" resolution ": " 1280x720 ", "fps": "15\t"},  # blanks around a mapping's keys and values
    "resolution=1280%78720&fps=%315",            # needlessly encoded characters
])
def test_one_canonical_form_for_every_spelling(spelling):
    assert canonical(spelling) == CANONICAL


def test_keys_sorted_values_re_encoded_and_booleans_as_switches():
    assert canonical({"text": "Gate 1", "audio": True, "clock": False, "compression": 30, "ratio": 1.5}) == (
        "audio=1&clock=0&compression=30&ratio=1.5&text=Gate%201")


def test_encoded_and_plain_values_are_the_same_option():
    assert canonical("text=Gate%201&overlaypos=10,20") == canonical({"overlaypos": "10,20", "text": "Gate 1"}) == (
        "overlaypos=10,20&text=Gate%201")


def test_reserved_characters_in_values_stay_inside_their_value():
    assert canonical({"text": "a&b=c 100%", "camera": "quad"}) == "camera=quad&text=a%26b%3Dc%20100%25"
    # the canonical string reads back as the same options: '%' is decoded once, never twice
    assert canonical("camera=quad&text=a%26b%3Dc%20100%25") == "camera=quad&text=a%26b%3Dc%20100%25"


def test_a_mapping_and_a_string_strip_a_value_alike():
    # The device's answers are read stripped: a value sent with its blanks would never match.
    assert canonical({"textstring": "T\u00fcr "}) == canonical("textstring=T\u00fcr ") == "textstring=T%C3%BCr"
    assert canonical({"text": " a "}) == canonical("text=%20a%20") == "text=a"


def test_plus_is_a_plus_sign_not_a_space():
    assert canonical("text=a+b") == "text=a%2Bb"


@pytest.mark.parametrize("options, kept", [
    ("textstring=T%FCr", "textstring=T%FCr"),                             # ISO-8859-1's u-umlaut, as VAPIX encodes
    ("textstring=%E4%20ok&resolution=1280x720", "resolution=1280x720&textstring=%E4%20ok"),
    ("textstring%3DT%FCr", "textstring=T%FCr"),                           # the whole string encoded once more
    ("textstring=%C3", "textstring=%C3"),                                 # a UTF-8 sequence cut short
])
def test_an_escape_that_is_no_utf8_is_kept_as_written_never_replaced(options, kept):
    """%FC was decoded as UTF-8 with replacement: the camera was sent T%EF%BF%BDr, a replacement character in
    place of the letter, silently (and the run converged on it)."""
    assert canonical(options) == kept
    assert from_device(kept) == kept


def test_nothing_set_and_the_default_stream():
    assert canonical(None) is None
    assert canonical({}) == canonical("") == ""


@pytest.mark.parametrize("options, message", [
    ("   ", "holds no key=value pair"),
    ("&", "holds no key=value pair"),
    ("resolution", "has 'resolution' without a value"),
    ("resolution&fps=15", "has 'resolution' without a value"),
    ("text=%zz", "'%' that is not followed by two hex digits"),
    ("resolution=abc", "sets resolution to 'abc'; give width x height"),
    ({"resolution": "1280*720"}, "sets resolution to '1280*720'"),
    ("fps=fast", "sets fps to 'fast'"),
    # The camera refused it after the profile it replaces was removed (then added back).
    ({"fps": 12.5}, "sets fps to '12.5'; give a whole number of frames per second or a fraction"),
    ("fps=0.5", "sets fps to '0.5'"),
    ("compression=101", "sets compression to '101'"),
    ("re solution=1", "has the key 're solution'"),
    # The camera refused them after the profile they replace was removed (then added back).
    ("resolution=640x480&textstring=", "gives textstring an empty value; give it a value, or leave it out"),
    ("textstring= &text=", "gives textstring, text an empty value; give each a value, or leave them out"),
    ({"textstring": " "}, "gives textstring an empty value"),
])
def test_what_the_camera_would_refuse_is_refused_before_any_request(options, message):
    """Issue 10: stream options '', 'resolution', '%zz' and 'resolution=abc' reached the camera."""
    with pytest.raises(ValidationError) as info:
        canonical(options)
    assert message in str(info.value)


@pytest.mark.parametrize("options", [
    {"resolution": "1280x720", "fps": 15, "text": "Gate 1", "audio": True},
    "videocodec=h264&resolution=640x480&text=a%26b",
    "resolution%3D1280x720%26fps%3D15",
])
def test_canonical_is_stable_and_reads_back_from_the_device_unchanged(options):
    once = canonical(options)
    assert canonical(once) == once
    assert from_device(once) == once


def test_device_strings_are_read_leniently():
    assert from_device(None) == ""
    assert from_device("resolution=640x480&fps=25&fps=30") == "fps=25&fps=30&resolution=640x480"
    assert from_device("=x&fps=15") == "=x&fps=15"


@pytest.mark.parametrize("options, message", [
    ("fps=15&resolution=1280x720&fps=30",
     "options 'fps=15&resolution=1280x720&fps=30' sets fps more than once; give each key once"),
    ("=15&fps=15", "options '=15&fps=15' has a value without a key; write key=value pairs joined by '&'"),
    ({"fps": None}, "options: 'fps' has no value; give one (e.g. fps: 15) or leave the key out"),
    ({"fps": [15, 30]}, "options: the value of 'fps' must be a string or a number, not list"),
    (15, "options must be a mapping such as {resolution: 1280x720, fps: 15} or a string such as "
         "'resolution=1280x720&fps=15', not int"),
])
def test_ambiguous_options_are_refused_with_what_to_do(options, message):
    with pytest.raises(ValidationError) as info:
        canonical(options)
    assert message in str(info.value)


def test_the_option_name_is_in_the_message():
    with pytest.raises(ValidationError) as info:
        canonical("a=1&a=2", what="stream_options")
    assert str(info.value).startswith("stream_options 'a=1&a=2' sets a more than once")
