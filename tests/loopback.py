# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Loopback endpoints for the tests that need a real socket but not a camera.

Everything a camera answers is either the unit tests' shared double
(``tests/unit/double.py``, no socket) or the camera emulator (``tests/emulator``).
What is left needs a socket that is *not* a camera, and lives here, once:

- :func:`closed_port`: a port nothing listens on (connection refused);
- :func:`silent_port`: a port that accepts the connection and never answers
  (a timeout, a write without answer);
- :class:`NotACamera` served by :func:`serving`: a web server that is no Axis
  device (404 for every path, as a wrong port would give);
- :class:`ProxyWantsAuthentication` served by :func:`serving`: a proxy that answers 407 to
  every request and tunnel;
- :func:`redirecting` and :func:`challenging` handlers for :func:`serving`: a server that
  redirects every request elsewhere, and one that answers every request with a Digest
  challenge and notes the Authorization header it got (where a redirect must not lead).

All of them are on 127.0.0.1 only; the served and silent ones are closed when the ``with``
block ends, a closed port's socket when the test process ends.
"""

from __future__ import annotations

import atexit
import contextlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

LOOPBACK = "127.0.0.1"


@contextlib.contextmanager
def serving(handler_class):
    """An HTTPServer on 127.0.0.1 (free port) running handler_class in a thread; stopped on exit
    (within the 10 ms poll interval: tests start and stop many of them)."""
    server = HTTPServer((LOOPBACK, 0), handler_class)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class NotACamera(BaseHTTPRequestHandler):
    """A web server that is not an Axis camera: 404 with an HTML page for every path and method."""

    BODY = b"<html><body><h1>Not Found</h1></body></html>"

    def do_GET(self):
        self.send_response(404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(self.BODY)))
        self.end_headers()
        self.wfile.write(self.BODY)

    do_POST = do_GET

    def log_message(self, *args):
        pass


class ProxyWantsAuthentication(NotACamera):
    """A proxy that wants its user and password: 407 for every request and every CONNECT."""

    def do_GET(self):
        self.send_response(407)
        self.send_header("Proxy-Authenticate", 'Basic realm="proxy"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_CONNECT = do_GET


def redirecting(status, base):
    """A handler class answering every request with the redirect status to base + the request's path."""

    class Redirecting(NotACamera):
        def do_GET(self):
            self.send_response(status)
            self.send_header("Location", base + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_POST = do_GET

    return Redirecting


def challenging(asked, body_bytes=0, written=None, accept=False):
    """A handler class answering every request with a Digest challenge (401); it appends the Authorization
    header of each request (None without one) to the list asked. body_bytes: the size of the 401's body, written
    in pieces of 1 MiB until the client stops reading (the bytes written are appended to the list written);
    accept: a request with an Authorization header is answered 200 with a parameter line."""

    class Challenging(NotACamera):
        def do_GET(self):
            authorization = self.headers.get("Authorization")
            asked.append(authorization)
            if accept and authorization:
                body = b"root.Brand.Brand=AXIS\n"
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Digest realm="elsewhere", nonce="n", qop="auth"')
            self.send_header("Content-Length", str(body_bytes))
            self.end_headers()
            piece = b"x" * (1 << 20)
            try:
                for start in range(0, body_bytes, len(piece)):
                    self.wfile.write(piece[:body_bytes - start])
                    written.append(min(len(piece), body_bytes - start))
            except OSError:
                self.close_connection = True

        do_POST = do_GET

    return Challenging


# The sockets holding the ports closed_port handed out, closed when the test process ends.
_HELD = []


@atexit.register
def _release_held_ports():
    for held in _HELD:
        held.close()


def closed_port():
    """A loopback port nothing listens on: connecting to it is refused. Its socket stays bound (never
    listening) until the test process ends, so no server another test starts meanwhile on a free port
    (an emulator, in a parallel worker) can be given it: a port bound and released at once could be."""
    held = socket.socket()
    held.bind((LOOPBACK, 0))
    _HELD.append(held)
    return held.getsockname()[1]


@contextlib.contextmanager
def silent_port():
    """A loopback port that accepts connections (the kernel's backlog) and never answers; yields the port."""
    with socket.socket() as silent:
        silent.bind((LOOPBACK, 0))
        silent.listen(1)
        yield silent.getsockname()[1]
