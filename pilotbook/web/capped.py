"""An HTTP server whose threads cannot all be taken by idle or slow connections.

One thread per connection is simple and enough for a room of phones, but each
held connection holds a thread. So: at most `per_address` connections at once
from one address and `in_all` in all, a plain 503 (sent without reading the
request) beyond that, and a read timeout on every connection so that one that
sends nothing, or half a request, is dropped after `timeout` seconds.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections import Counter
from http.server import ThreadingHTTPServer
from typing import Any

REFUSAL = (
    b"HTTP/1.0 503 Service Unavailable\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Retry-After: 5\r\n"
    b"Connection: close\r\n"
    b"Content-Length: 33\r\n\r\n"
    b"Too many connections; try again.\n"
)


class CappedHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    per_address = 8
    in_all = 64
    timeout_s = 10.0
    request_queue_size = 128  # a burst of connections is accepted (and refused) quickly

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._held: Counter[str] = Counter()
        self._held_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def _take(self, address: str) -> bool:
        with self._held_lock:
            if self._held[address] >= self.per_address or self._held.total() >= self.in_all:
                return False
            self._held[address] += 1
            return True

    def _give_back(self, address: str) -> None:
        with self._held_lock:
            self._held[address] -= 1
            if self._held[address] <= 0:
                del self._held[address]

    @property
    def held(self) -> int:
        """Connections being served now."""
        with self._held_lock:
            return self._held.total()

    def process_request(self, request: Any, client_address: Any) -> None:
        address = str(client_address[0])
        if not self._take(address):
            _refuse(request)
            self.shutdown_request(request)
            return
        request.settimeout(self.timeout_s)  # reads and writes: an idle peer is dropped
        try:
            super().process_request(request, client_address)
        except BaseException:  # no thread started: the place is free again
            self._give_back(address)
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._give_back(str(client_address[0]))

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a peer gone or too slow: nothing to report, and stderr is the app's screen


def _refuse(request: socket.socket) -> None:
    """The 503, sent on the accepting thread: so it must never wait on the peer."""
    with contextlib.suppress(OSError):
        request.setblocking(False)
        request.send(REFUSAL)
