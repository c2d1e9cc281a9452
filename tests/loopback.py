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
  challenge and notes the Authorization header it got (where a redirect must not lead);
- :func:`dripping`: a port whose server answers a byte at a time, slowly (a request that
  must end at its timeout however the bytes are spaced).

All of them are on 127.0.0.1 only; the served and silent ones are closed when the ``with``
block ends, a closed port's socket when the test process ends.
"""

from __future__ import annotations

import atexit
import contextlib
import re
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


def challenging(asked, body_bytes=0, written=None, accept=False,
                offered=('Digest realm="elsewhere", nonce="n", qop="auth"',)):
    """A handler class answering every request with a Digest challenge (401); it appends the Authorization
    header of each request (None without one) to the list asked. body_bytes: the size of the 401's body, written
    in pieces of 1 MiB until the client stops reading (the bytes written are appended to the list written);
    accept: a request with an Authorization header is answered 200 with a parameter line; offered: the
    WWW-Authenticate headers of the 401, one header each."""

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
            for challenge in offered:
                self.send_header("WWW-Authenticate", challenge)
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


# What dripping answers: a parameter list of one line, 22 bytes (8.8 s at the default pause).
DRIPPED = b"root.Brand.Brand=AXIS\n"


@contextlib.contextmanager
def dripping(part="body", pause=0.4, asked=None):
    """A loopback port whose server answers every request of a connection (kept alive; each connection in a
    thread of its own) a byte at a time, one every pause seconds: part "headers" drips the whole answer (status
    line, headers and DRIPPED), "body" sends the headers at once and drips DRIPPED, "challenge" answers a request
    without Authorization with a Digest challenge (401) whose body it drips, and a signed one with DRIPPED at
    once. asked (a list) gets each request's Authorization header (None without one). Yields the port; on exit
    the server stops dripping within pause seconds and its threads are joined."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(DRIPPED)
    challenge = (b'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Digest realm="r", nonce="n", qop="auth"\r\n'
                 b"Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(DRIPPED))
    stop = threading.Event()
    threads = []

    def answer(connection):
        with connection:
            connection.settimeout(5)
            try:
                while not stop.is_set():
                    request = connection.recv(65536)
                    if not request:
                        return
                    found = re.search(rb"^Authorization: *([^\r\n]*)", request, re.M | re.I)
                    if asked is not None:
                        asked.append(found.group(1).decode() if found else None)
                    at_once, drip = {"headers": (b"", head + DRIPPED), "body": (head, DRIPPED)}.get(
                        part, (head + DRIPPED, b"") if found else (challenge, DRIPPED))
                    connection.sendall(at_once)
                    for index in range(len(drip)):
                        connection.sendall(drip[index:index + 1])
                        if stop.wait(pause):
                            return
            except OSError:
                pass

    def accept(listening):
        while not stop.is_set():
            try:
                connection, _address = listening.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=answer, args=(connection,), daemon=True)
            thread.start()
            threads.append(thread)

    with socket.socket() as listening:
        listening.bind((LOOPBACK, 0))
        listening.listen(8)
        listening.settimeout(0.05)
        acceptor = threading.Thread(target=accept, args=(listening,), daemon=True)
        acceptor.start()
        try:
            yield listening.getsockname()[1]
        finally:
            stop.set()
            acceptor.join(5)
            for thread in threads:
                thread.join(5)
