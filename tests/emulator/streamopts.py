"""Validation of stream options (continuous profile ``options``, recording group ``streamoptions``).

A real camera refuses options it cannot stream with.  The documentation says only that they
are image/stream URL settings (``resolution%3D640x480``, ``streamprofile%3DMyProfile``), so
the rule is a CHOICE (README "Stream options"): ``key=value`` pairs joined by ``&``; every key
(case-insensitive, percent-decoded) one of ``RULES``; every value (percent-decoded) of the
form its rule gives.  An empty string means "the system default" and is valid.
"""

import re
from urllib.parse import unquote

_DIGITS = re.compile(r"\d+")


def _int_range(low, high=None):
    def check(value):
        return bool(_DIGITS.fullmatch(value)) and low <= int(value) and (high is None or int(value) <= high)
    return check


def _choice(*words):
    return lambda value: value.lower() in words


def _fps(value):
    # CHOICE: an integer 0..60 (0 = unlimited) or a rational "n/d" (d > 0) of at most 60
    m = re.fullmatch(r"(\d+)/(\d+)", value)
    if m:
        return int(m.group(2)) > 0 and int(m.group(1)) <= 60 * int(m.group(2))
    return _int_range(0, 60)(value)


def _resolution(value):
    m = re.fullmatch(r"(\d{1,5})x(\d{1,5})", value)
    return bool(m) and int(m.group(1)) > 0 and int(m.group(2)) > 0


def _name(value):
    return bool(re.fullmatch(r"[A-Za-z0-9 _.-]{1,64}", value))


def _text(value):
    return len(value) <= 256


_SWITCH = _choice("0", "1")

# key -> (check, the form in words, for the error message)
RULES = {
    "resolution": (_resolution, "WIDTHxHEIGHT, e.g. 1280x720"),
    "fps": (_fps, "0..60 or a fraction n/d"),
    "compression": (_int_range(0, 100), "0..100"),
    "videocodec": (_choice("h264", "h265", "jpeg", "av1", "mpeg4"), "h264, h265, jpeg, av1 or mpeg4"),
    "camera": (lambda v: _int_range(1, 99)(v) or v.lower() == "quad", "a source number 1..99 or quad"),
    "streamprofile": (_name, "a stream profile name"),
    "audio": (_SWITCH, "0 or 1"),
    "rotation": (_choice("0", "90", "180", "270"), "0, 90, 180 or 270"),
    "videokeyframeinterval": (_int_range(1, 1023), "1..1023"),
    "videobitrate": (_int_range(0), "kbit/s, 0 or more"),
    "videomaxbitrate": (_int_range(0), "kbit/s, 0 or more"),
    "videobitratepriority": (_choice("none", "framerate", "quality"), "none, framerate or quality"),
    "videobitratemode": (_choice("vbr", "mbr", "abr", "cbr"), "vbr, mbr, abr or cbr"),
    "zipstrength": (lambda v: v.lower() == "off" or _int_range(0, 100)(v), "off or 0..100"),
    "videozstrength": (lambda v: v.lower() == "off" or _int_range(0, 100)(v), "off or 0..100"),
    "videozgopmode": (_choice("fixed", "dynamic"), "fixed or dynamic"),
    "videozmaxgoplength": (_int_range(1, 1200), "1..1200"),
    "videozprofile": (_choice("classic", "storage", "live"), "classic, storage or live"),
    "h264profile": (_choice("baseline", "main", "high"), "baseline, main or high"),
    "overlays": (_choice("all", "off"), "all or off"),
    "text": (_SWITCH, "0 or 1"),
    "textstring": (_text, "at most 256 characters"),
    "textcolor": (_choice("black", "white"), "black or white"),
    "textbackgroundcolor": (_choice("black", "white", "transparent", "semitransparent"),
                            "black, white, transparent or semitransparent"),
    "textpos": (_choice("top", "bottom"), "top or bottom"),
    "clock": (_SWITCH, "0 or 1"),
    "date": (_SWITCH, "0 or 1"),
    "color": (_SWITCH, "0 or 1"),
    "colorlevel": (_int_range(0, 100), "0..100"),
    "mirror": (_SWITCH, "0 or 1"),
    "squarepixel": (_SWITCH, "0 or 1"),
    "duration": (_int_range(0), "seconds, 0 or more"),
    "nbrofframes": (_int_range(0), "0 or more"),
    "audiocodec": (_choice("aac", "g711", "g726", "opus"), "aac, g711, g726 or opus"),
    "audiosamplerate": (_int_range(8000, 48000), "8000..48000"),
    "audiobitrate": (_int_range(8000, 256000), "8000..256000"),
    # in the recording-group documentation's create.cgi example (a source device id)
    "device": (_name, "a device id"),
}


def problem(options):
    """None when the options are valid, else what is wrong in words (for an error message)."""
    if not options:
        return None
    for part in options.split("&"):
        key, sep, value = part.partition("=")
        key = unquote(key).strip().lower()
        value = unquote(value).strip()
        if not key or not sep:
            return "'%s' is not a key=value pair" % part
        if key not in RULES:
            return f"unknown stream option '{key}' in '{part}'"
        check, form = RULES[key]
        if not value or not check(value):
            return f"invalid value '{value}' for stream option '{key}' ({form})"
    return None
