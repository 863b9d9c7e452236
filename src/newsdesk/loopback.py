"""What newsdesk's loopback test servers share: a threaded HTTP server that can end every open
connection, and the start/stop/context-manager life of one running in a background thread.

The replay server of the news API (:mod:`newsdesk.replay`) and the feed and page server
(:mod:`newsdesk.feedserver`) are built on these; both listen on 127.0.0.1 (port 0: any free port).
"""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

__all__ = ["LoopbackServer", "TrackingServer"]


class TrackingServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer (daemon threads) that knows its open connections, so it can end them
    all -- idle keep-alive ones and ones a handler holds on purpose -- when it stops."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        self.forget(request)
        super().shutdown_request(request)

    def forget(self, request: Any) -> bool:
        """Stop tracking ``request``; whether it was tracked."""
        with self._connections_lock:
            held = request in self._connections
            self._connections.discard(request)
        return held

    def close_connections(self) -> None:
        """Wake handler threads blocked on keep-alive reads (or holding a connection) so they close."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer (or a reset a fault caused) is normal here; stay quiet."""


class LoopbackServer:
    """A server running in a daemon thread: :meth:`start`/:meth:`stop` or ``with``; :attr:`url`."""

    #: Names the server in messages and its thread's name.
    server_name = "loopback server"

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host, self.port = host, port
        self._httpd: TrackingServer | None = None
        self._thread: threading.Thread | None = None

    def _make_server(self) -> TrackingServer:
        raise NotImplementedError

    def _stopping(self, httpd: TrackingServer) -> None:
        """Called first by :meth:`stop` (a subclass tells its handlers to give up)."""

    @property
    def url(self) -> str:
        """``http://HOST:PORT`` of the running server."""
        if self._httpd is None:
            raise RuntimeError(f"the {self.server_name} is not running: call start() first")
        return f"http://{self.host}:{self._httpd.server_address[1]}"

    def start(self) -> Self:
        if self._httpd is not None:
            raise RuntimeError(f"the {self.server_name} is already running")
        self._httpd = self._make_server()
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"{self.server_name}:{self._httpd.server_address[1]}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, end open connections and close the listening socket."""
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._stopping(httpd)
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        if thread is not None:
            thread.join()
        self._httpd = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
