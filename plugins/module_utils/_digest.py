# Copyright: vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP Digest authentication (RFC 7616, and RFC 2069 without qop) shared by the threads of one client.

The client reads a camera's independent API families at once, each on a
connection of its own. ``requests``' own Digest support keeps the camera's
challenge per thread, so every new thread would first be refused (401) and
challenged again. Here one challenge serves every thread of the client: each
request is signed with the challenge's nonce and the next nonce count (nc),
as browsers do over their parallel connections to one host. A request the
camera refuses with a new challenge (a stale nonce, or the first request of
a run) is signed with it and sent once more, on the same connection; a
second refusal is the caller's to report. Of several Digest challenges (a
camera may offer one per algorithm) the first this can answer is answered; a
401 none of whose challenges it can answer comes back to the caller unanswered.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from urllib.parse import urlsplit

try:
    import requests
    import urllib3
    from requests.auth import AuthBase
except ImportError:  # pragma: no cover - the client checks for requests first
    AuthBase = object

# Digest algorithm names (RFC 7616, with the SHA and SHA-512 older servers offer) -> hashlib names.
HASHES = {"MD5": "md5", "SHA": "sha1", "SHA-256": "sha256", "SHA-512": "sha512", "SHA-512-256": "sha512_256"}
SESSION_SUFFIX = "-SESS"
# The most of a 401's body read before the request is sent again, so its connection can be reused: a camera's
# challenge page is a few hundred bytes; of a longer body nothing more is read, and the connection is closed.
CHALLENGE_BODY_BYTES = 64 * 1024
# An authentication scheme's name (a token), where a challenge starts: after the start or a comma.
_SCHEME = re.compile(r"[\s,]*([A-Za-z0-9!#$%&'*+.^_`|~-]+)")
_PARAMETER = re.compile(r'\s*([A-Za-z0-9_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)\s*(?:,|$)')


def _challenges(header):
    """Every challenge in a WWW-Authenticate header, in the order offered: [(scheme lower case, {name: value})],
    names lower case, quotes removed (a scheme name inside a quoted value is part of the value)."""
    header = header or ""
    found = []
    position = 0
    while position < len(header):
        scheme = _SCHEME.match(header, position)
        if scheme is None:
            break
        position = scheme.end()
        parameters = {}
        while position < len(header):
            match = _PARAMETER.match(header, position)
            if match is None:
                break
            name, value = match.group(1).lower(), match.group(2)
            if value.startswith('"'):
                value = re.sub(r"\\(.)", r"\1", value[1:-1])
            parameters[name] = value
            position = match.end()
        found.append((scheme.group(1).lower(), parameters))
    return found


def parse_challenges(header):
    """The parameters of every Digest challenge in a WWW-Authenticate header (a camera may offer several, e.g.
    one per algorithm, in one header or in several, which requests joins with commas), in the order offered:
    [{'realm', 'nonce', ...}], names lower case, quotes removed; one without a nonce is left out. Challenges of
    other schemes (Basic realm=...) are read past."""
    return [parameters for scheme, parameters in _challenges(header) if scheme == "digest" and "nonce" in parameters]


def offered_schemes(header):
    """The authentication schemes a WWW-Authenticate header offers, lower case, each once, in the order offered
    (a camera may offer Digest several times, e.g. once per algorithm)."""
    return list(dict.fromkeys(scheme for scheme, _parameters in _challenges(header)))


def parse_challenge(header):
    """The first Digest challenge in a WWW-Authenticate header (see parse_challenges; the parameters of an
    Authorization header read alike), or None when it offers none."""
    challenges = parse_challenges(header)
    return challenges[0] if challenges else None


def cannot_answer(challenge):
    """What of a Digest challenge this does not answer ('algorithm SHA3-256', 'qop auth-int'), or None."""
    algorithm = (challenge.get("algorithm") or "MD5").upper()
    hash_name = HASHES.get(algorithm[:-len(SESSION_SUFFIX)] if algorithm.endswith(SESSION_SUFFIX) else algorithm)
    if hash_name is None or hash_name not in hashlib.algorithms_available:
        return "algorithm %s" % (challenge.get("algorithm") or "MD5")
    qops = [qop.strip().lower() for qop in (challenge.get("qop") or "").split(",") if qop.strip()]
    if qops and "auth" not in qops:
        return "qop %s" % ", ".join(qops)
    return None


def answerable(challenges):
    """The first of challenges (see parse_challenges) this answers, or None."""
    return next((challenge for challenge in challenges if cannot_answer(challenge) is None), None)


def _quoted(value):
    return '"%s"' % str(value).replace("\\", "\\\\").replace('"', '\\"')


def authorization(username, password, challenge, count, method, url, cnonce=None):
    """The Authorization header answering challenge (see parse_challenge) for the count-th request signed with
    its nonce; None when the challenge asks for what this does not do (an unknown algorithm, qop auth-int only)."""
    if cannot_answer(challenge) is not None:
        return None
    algorithm = (challenge.get("algorithm") or "MD5").upper()
    session = algorithm.endswith(SESSION_SUFFIX)
    hash_name = HASHES[algorithm[:-len(SESSION_SUFFIX)] if session else algorithm]
    qops = [qop.strip().lower() for qop in (challenge.get("qop") or "").split(",") if qop.strip()]

    def digest(*parts):
        return hashlib.new(hash_name, ":".join(parts).encode("utf-8")).hexdigest()

    parts = urlsplit(url)
    uri = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    nonce = challenge["nonce"]
    cnonce = cnonce or os.urandom(8).hex()
    nc = "%08x" % count
    secret = digest(username, challenge.get("realm", ""), password)
    if session:
        secret = digest(secret, nonce, cnonce)
    request_digest = digest(method, uri)
    if qops:
        response = digest(secret, nonce, nc, cnonce, "auth", request_digest)
    else:
        response = digest(secret, nonce, request_digest)
    fields = [("username", _quoted(username)), ("realm", _quoted(challenge.get("realm", ""))),
              ("nonce", _quoted(nonce)), ("uri", _quoted(uri)), ("response", _quoted(response))]
    if challenge.get("algorithm"):
        fields.append(("algorithm", challenge["algorithm"]))
    if challenge.get("opaque") is not None:
        fields.append(("opaque", _quoted(challenge["opaque"])))
    if qops:
        fields += [("qop", "auth"), ("nc", nc), ("cnonce", _quoted(cnonce))]
    return "Digest " + ", ".join(f"{name}={value}" for name, value in fields)


class SharedDigestAuth(AuthBase):
    """Digest authentication for a requests Session used by several threads at once: one challenge, one nonce
    count, under a lock."""

    def __init__(self, username, password):
        self.username = username
        self.password = password
        self._lock = threading.Lock()
        self._challenge = None
        self._count = 0

    def _sign(self, method, url):
        with self._lock:
            if self._challenge is None:
                return None
            self._count += 1
            challenge, count = self._challenge, self._count
        return authorization(self.username, self.password, challenge, count, method, url)

    def _adopt(self, challenge):
        with self._lock:
            if self._challenge is None or self._challenge["nonce"] != challenge["nonce"]:
                self._challenge = challenge
                self._count = 0

    def __call__(self, request):
        header = self._sign(request.method, request.url)
        if header:
            request.headers["Authorization"] = header
        request.register_hook("response", self._answer_challenge)
        return request

    def _answer_challenge(self, response, **kwargs):
        """A 401 with a Digest challenge: sign the request with the first one offered that this answers and send
        it once more on the same connection (the adapter's send runs no response hooks, so a second 401 comes back
        as it is). A 401 none of whose challenges this answers comes back as it is (the client says why)."""
        if response.status_code != 401:
            return response
        challenge = answerable(parse_challenges(response.headers.get("WWW-Authenticate")))
        if challenge is None:
            return response
        self._adopt(challenge)
        retry = response.request.copy()
        header = self._sign(retry.method, retry.url)
        if not header:
            return response
        retry.headers["Authorization"] = header
        _drain(response)
        answer = response.connection.send(retry, **kwargs)
        answer.history.append(response)
        answer.request = retry
        return answer


def _drain(response):
    """Read the rest of a 401's body, at most CHALLENGE_BODY_BYTES (so its connection can be reused), and close it:
    a body without end is not read whole into memory. Read under the request's deadline as any answer is; a
    failure to read it (the deadline passed, the connection dropped) is raised as requests raises one, marked
    refused: the camera refused the request (401), and the signed one was never sent."""
    read = 0
    try:
        for chunk in response.raw.stream(CHALLENGE_BODY_BYTES, decode_content=False):
            read += len(chunk)
            if read > CHALLENGE_BODY_BYTES:
                break
    except urllib3.exceptions.ReadTimeoutError as exc:
        raise refused(requests.exceptions.ReadTimeout(exc, request=response.request))
    except urllib3.exceptions.HTTPError as exc:
        raise refused(requests.exceptions.ConnectionError(exc, request=response.request))
    finally:
        response.close()


def refused(exc):
    """exc, marked as the failure of a request the camera refused (401) and that was not sent again: nothing of
    it was carried out (a write's error must not say the camera may have applied it)."""
    exc.refused = True
    return exc
