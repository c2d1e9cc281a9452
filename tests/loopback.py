# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A tiny HTTP server on loopback for tests that need a server which is not the emulator."""

from __future__ import annotations

import contextlib
import threading
from http.server import HTTPServer


@contextlib.contextmanager
def serving(handler_class):
    """An HTTPServer on 127.0.0.1 (free port) running handler_class in a thread; stopped on exit
    (within the 10 ms poll interval: tests start and stop many of them)."""
    server = HTTPServer(("127.0.0.1", 0), handler_class)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
