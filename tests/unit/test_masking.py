# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""mask_secrets: every form a secret can take in a camera's answer is masked (issue 10, case 4)."""

from __future__ import annotations

import html
import json
from urllib.parse import quote, quote_plus

import pytest

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import MASK, mask_secrets, note_answer_charset

# Non-ASCII, reserved URL characters, a space, and characters cp1252 and ISO-8859-1 treat apart.
SECRETS = ["Zq9&=%x#pä€ü", "pass wörd+1", "Åland<kort>\"ü'", "秘密 key"]


def forms(secret):
    """The forms a device or a wrong decoding shows a secret in, built independently of the code under test."""
    data = secret.encode("utf-8")
    shown = {
        "raw": secret,
        "percent": quote(secret, safe=""),
        "percent lower case": "%".join([quote(secret, safe="").split("%")[0]] + [
            chunk[:2].lower() + chunk[2:] for chunk in quote(secret, safe="").split("%")[1:]]),
        "percent with +": quote_plus(secret, safe=""),
        "UTF-8 read as ISO-8859-1": data.decode("iso-8859-1"),
        "UTF-8 read as cp1252": data.decode("cp1252", errors="replace"),
        "XML entities": html.escape(secret, quote=True),
        "decimal references": "".join("&#%d;" % ord(c) if ord(c) > 127 else html.escape(c) for c in secret),
        "hex references": "".join("&#x%x;" % ord(c) if ord(c) > 127 else html.escape(c) for c in secret),
        "JSON \\u escapes": json.dumps(secret)[1:-1],
        "JSON \\u escapes upper case": json.dumps(secret)[1:-1].replace("\\u20ac", "\\u20AC"),
    }
    return shown


@pytest.mark.parametrize("secret", SECRETS)
def test_every_form_of_a_secret_is_masked(secret):
    for name, form in forms(secret).items():
        text = "device error: passphrase=%s was refused" % form
        masked = mask_secrets(text, [secret])
        assert form not in masked, name
        assert MASK in masked, name
        assert masked.startswith("device error: passphrase=") and masked.endswith(" was refused"), name


def test_the_issue_10_leak_is_masked():
    """Issue 10 showed 'Zq9&=%x#pâ\\x82¬Ã¼' in msg: the UTF-8 bytes of the password read as cp1252/latin-1."""
    secret = "Zq9&=%x#p\u20ac\u00fc"
    leaked = "Zq9&=%x#p\u00e2\x82\u00ac\u00c3\u00bc"
    assert secret.encode("utf-8").decode("iso-8859-1") == leaked
    assert mask_secrets("echo: pass=%s" % leaked, [secret]) == "echo: pass=%s" % MASK


def test_a_secret_inside_another_is_masked_whole_and_other_text_is_kept():
    assert mask_secrets("a=longsecret b=secret c=public", ["secret", "longsecret"]) == (
        f"a={MASK} b={MASK} c=public")
    assert mask_secrets(None, ["x"]) is None
    assert mask_secrets("nothing", []) == "nothing"


def test_a_secret_whose_line_ends_an_xml_parser_normalised_is_masked():
    for secret in ("CrLf\r\nQuokka0815", "Cr\rZebra4711"):
        shown = secret.replace("\r\n", "\n").replace("\r", "\n")
        assert mask_secrets("echo: pass=%s." % shown, [secret]) == "echo: pass=%s." % MASK


@pytest.mark.parametrize("charset", ["windows-1250", "koi8-r", "iso-8859-2", "shift_jis"])
def test_a_secret_misread_in_a_charset_an_answer_declared_is_masked(charset):
    """The UTF-8 bytes of the secret decoded in the charset the camera declared (the client notes it)."""
    secret = "Ppw&q=\u00e4 \u00e9%7X+#\"'<>n7"
    shown = secret.encode("utf-8").decode(charset, errors="replace")
    note_answer_charset(charset)
    assert mask_secrets("echo: pass=%s." % shown, [secret]) == "echo: pass=%s." % MASK
