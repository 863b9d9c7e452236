"""A loopback HTTP server of feeds and article pages, for tests and benchmarks of feed sources.

Why hand-written: feed polling is judged on the wire -- conditional GET (one 304 per unchanged
feed and nothing else), a feed that changes between runs, a source that answers 503 with
Retry-After, resets the connection or never answers -- and no third-party test server offers
exact ETag/Last-Modified semantics plus per-path faults and a request log. Like
:class:`newsdesk.replay.ReplayServer` it is stdlib only (:class:`http.server.ThreadingHTTPServer`,
daemon threads), listens on 127.0.0.1, port 0 by default, and is a context manager.

* Content: a mapping ``path -> bytes | (bytes, content type)`` or a folder (every file below it,
  served at ``/<relative path>``, its type from the extension; ``.xml`` sniffed for RSS/Atom/RDF).
  A request matches ``path?query`` exactly first, then its path alone; anything else is a 404.
* Every answer of a resource carries a strong ``ETag`` (a hash of the bytes) and ``Last-Modified``.
  ``If-None-Match`` (weak comparison, ``*``) decides when sent; else ``If-Modified-Since``;
  a match is a bodiless 304 with the same validators. GET and HEAD; other methods 405.
* :meth:`FeedServer.set` adds or replaces a path's content (a new ``Last-Modified``, one second
  after the previous at least, so a change within the same second is still seen); :meth:`remove`.
* :meth:`FeedServer.fault` injects a :class:`Fault` on a path, for its next ``times`` requests or
  until cleared: ``delay`` seconds first; then ``hang`` (read the request, never answer, hold the
  connection until the client closes it, the server stops or ``hang`` seconds pass), or ``status``
  (with ``Retry-After``/``Location`` if given, a short text body), or ``reset`` (headers and half
  the body, then a TCP reset).
* :attr:`FeedServer.log` lists every request as :class:`Logged` (method, target, status --
  0 when nothing was answered --, request headers with lower-case names, the fault if any), written
  before the answer leaves; :meth:`statuses` counts statuses, for "one 304 per feed, nothing else".
* Bounded: at most ``max_connections`` connections at once (further ones wait to be accepted), idle
  keep-alive connections close after ``idle_timeout`` s, and :meth:`stop` ends every connection.
"""

from __future__ import annotations

import hashlib
import mimetypes
import select
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsdesk.loopback import LoopbackServer, TrackingServer

__all__ = ["Fault", "FeedServer", "Logged"]

Body = bytes | tuple[bytes, str]
_TYPES = {".rss": "application/rss+xml", ".atom": "application/atom+xml", ".rdf": "application/rdf+xml",
          ".html": "text/html", ".htm": "text/html", ".json": "application/json", ".txt": "text/plain"}


@dataclass(frozen=True)
class Fault:
    """How to misbehave on a path (see the module docstring); ``times=None``: until cleared."""

    status: int | None = None
    retry_after: str | int | None = None
    location: str | None = None
    delay: float = 0.0
    reset: bool = False
    hang: float | None = None
    times: int | None = None

    def __post_init__(self) -> None:
        if sum((self.status is not None, self.reset, self.hang is not None)) > 1:
            raise ValueError("a fault is one of status, reset or hang (each may follow a delay)")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1 (None: until cleared)")

    @property
    def name(self) -> str:
        if self.hang is not None:
            return "hang"
        if self.reset:
            return "reset"
        return str(self.status) if self.status is not None else "delay"


@dataclass(frozen=True)
class Logged:
    """One request the server received."""

    method: str
    target: str  # path?query as requested
    status: int  # 0: no answer (hang)
    headers: Mapping[str, str] = field(default_factory=dict)  # request headers, names lower-cased
    fault: str | None = None

    @property
    def path(self) -> str:
        return urlsplit(self.target).path


@dataclass(frozen=True)
class _Resource:
    body: bytes
    content_type: str
    etag: str
    modified: int  # epoch seconds


class FeedServer(LoopbackServer):
    """Serve feeds and pages over loopback HTTP with conditional GET, faults and a request log."""

    server_name = "feed server"

    def __init__(self, content: Mapping[str, Body] | Path | str | None = None, *, host: str = "127.0.0.1",
                 port: int = 0, max_connections: int = 64, idle_timeout: float = 5.0) -> None:
        if max_connections < 1:
            raise ValueError("max_connections must be at least 1")
        super().__init__(host, port)
        self.max_connections, self.idle_timeout = max_connections, idle_timeout
        self._resources: dict[str, _Resource] = {}
        self._faults: dict[str, tuple[Fault, int | None]] = {}
        self._log: list[Logged] = []
        self._lock = threading.Lock()
        if isinstance(content, (str, Path)):
            self.add_folder(Path(content))
        elif content is not None:
            for path, body in content.items():
                self.set(path, *(body if isinstance(body, tuple) else (body,)))

    # -- lifecycle ----------------------------------------------------------------------------

    def url_for(self, path: str) -> str:
        return self.url + _slash(path)

    def _make_server(self) -> _Server:
        return _Server((self.host, self.port), self)

    def _stopping(self, httpd: TrackingServer) -> None:
        if isinstance(httpd, _Server):
            httpd.stopping.set()

    # -- content, faults, log ------------------------------------------------------------------

    def set(self, path: str, body: bytes, content_type: str | None = None) -> None:
        """Serve ``body`` at ``path`` (added, or replacing what was there: the feed changed)."""
        path = _slash(path)
        kind = content_type or _guess_type(path, body)
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        with self._lock:
            old = self._resources.get(path)
            modified = int(time.time()) if old is None else max(int(time.time()), old.modified + 1)
            self._resources[path] = _Resource(body, kind, etag, modified)

    def add_folder(self, folder: Path, prefix: str = "/") -> list[str]:
        """Serve every file under ``folder`` at ``prefix`` + its relative path; the paths added."""
        added = []
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            path = prefix.rstrip("/") + "/" + file.relative_to(folder).as_posix()
            self.set(path, file.read_bytes())
            added.append(path)
        return added

    def remove(self, path: str) -> None:
        with self._lock:
            self._resources.pop(_slash(path), None)

    def content(self, path: str) -> tuple[bytes, str, str, int]:
        """``(body, content type, ETag, Last-Modified epoch)`` of ``path``; KeyError if none."""
        resource = self._resources[_slash(path)]
        return resource.body, resource.content_type, resource.etag, resource.modified

    def fault(self, path: str, fault: Fault) -> None:
        """Misbehave on ``path`` (path only, any query) as ``fault`` says; replaces an earlier fault."""
        with self._lock:
            self._faults[_slash(path)] = (fault, fault.times)

    def clear_faults(self, path: str | None = None) -> None:
        with self._lock:
            if path is None:
                self._faults.clear()
            else:
                self._faults.pop(_slash(path), None)

    @property
    def log(self) -> list[Logged]:
        """Every request so far, in arrival order (a copy)."""
        with self._lock:
            return list(self._log)

    def statuses(self, path: str | None = None) -> Counter[int]:
        """How many answers of each status (0: none given) -- for ``path`` only if given."""
        wanted = None if path is None else _slash(path)
        return Counter(entry.status for entry in self.log if wanted is None or entry.path == wanted)

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    # -- answering (handler threads) -----------------------------------------------------------

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            held = self._faults.get(path)
            if held is None:
                return None
            fault, left = held
            if left is not None:
                if left <= 1:
                    del self._faults[path]
                else:
                    self._faults[path] = (fault, left - 1)
            return fault

    def _record(self, entry: Logged) -> None:
        with self._lock:
            self._log.append(entry)

    def _lookup(self, target: str) -> _Resource | None:
        with self._lock:
            return self._resources.get(target) or self._resources.get(urlsplit(target).path)


def _slash(path: str) -> str:
    return path if path.startswith("/") else "/" + path


def _guess_type(path: str, body: bytes) -> str:
    suffix = Path(urlsplit(path).path).suffix.lower()
    if suffix == ".xml":
        head = body[:1024]
        if b"<feed" in head:
            return "application/atom+xml"
        if b"<rdf:RDF" in head:
            return "application/rdf+xml"
        return "application/rss+xml" if b"<rss" in head else "application/xml"
    return _TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def _not_modified(resource: _Resource, headers: Mapping[str, str]) -> bool:
    """RFC 9110 section 13.2.2: If-None-Match (weak comparison) decides when present, else If-Modified-Since."""
    tags = headers.get("if-none-match")
    if tags is not None:
        wanted = {tag.strip().removeprefix("W/") for tag in tags.split(",")}
        return "*" in wanted or resource.etag in wanted
    since = headers.get("if-modified-since")
    if since is None:
        return False
    try:
        return resource.modified <= parsedate_to_datetime(since).timestamp()
    except (TypeError, ValueError, IndexError):
        return False


class _Server(TrackingServer):
    """The feed server's socket server, with a cap on open connections."""

    def __init__(self, address: tuple[str, int], owner: FeedServer) -> None:
        self.owner = owner
        self.stopping = threading.Event()
        self._slots = threading.BoundedSemaphore(owner.max_connections)
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        while not self._slots.acquire(timeout=0.1):  # bounded: wait for a free connection slot
            if self.stopping.is_set():
                super().shutdown_request(request)
                return
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        held = self.forget(request)
        super().shutdown_request(request)
        if held:
            self._slots.release()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = -1  # headers and body in one write ...
    disable_nagle_algorithm = True  # ... sent at once
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.owner.idle_timeout)  # idle keep-alive connections close

    def do_GET(self) -> None:  # http.server's naming
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _other(self) -> None:
        self.close_connection = True  # the request body, if any, stays unread
        self._answer(405, {"Allow": "GET, HEAD"}, b"method not allowed\n", head=False)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _other

    def _serve(self, *, head: bool) -> None:
        owner = self.server.owner
        fault = owner._take_fault(urlsplit(self.path).path)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        if fault is not None and fault.hang is not None:
            self._log(0, fault)
            self._hang(fault.hang)
            return
        if fault is not None and fault.status is not None:
            extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            if fault.location:
                extra["Location"] = fault.location
            self._answer(fault.status, extra, f"fault {fault.status}\n".encode(), head=head, fault=fault)
            return
        resource = owner._lookup(self.path)
        if resource is None:
            self._answer(404, {}, b"not found\n", head=head, fault=fault)
            return
        validators = {"ETag": resource.etag, "Last-Modified": formatdate(resource.modified, usegmt=True)}
        if _not_modified(resource, self._headers()):
            self._answer(304, validators, b"", head=True, fault=fault)
        elif fault is not None and fault.reset:
            self._log(200, fault)
            self._reset(resource, validators)
        else:
            self._answer(200, {"Content-Type": resource.content_type, **validators}, resource.body, head=head,
                         fault=fault)

    def _headers(self) -> dict[str, str]:
        return {name.lower(): value for name, value in self.headers.items()}

    def _log(self, status: int, fault: Fault | None) -> None:
        self.server.owner._record(Logged(self.command, self.path, status, self._headers(),
                                         fault.name if fault is not None else None))

    def _answer(self, status: int, headers: Mapping[str, str], body: bytes, *, head: bool,
                fault: Fault | None = None) -> None:
        self._log(status, fault)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            headers_have_type = any(name.lower() == "content-type" for name in headers)
            if not headers_have_type:
                self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _reset(self, resource: _Resource, validators: Mapping[str, str]) -> None:
        """Headers and half the body, then a TCP reset (SO_LINGER 0)."""
        self.send_response(200)
        for name, value in {"Content-Type": resource.content_type, **validators}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(resource.body)))
        self.end_headers()
        self.wfile.write(resource.body[: len(resource.body) // 2])
        self.wfile.flush()
        time.sleep(0.05)  # let the client read the headers before the reset discards anything
        self.close_connection = True
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()  # the descriptor closes (with the reset) once http.server lets go

    def _hang(self, seconds: float) -> None:
        """Never answer: hold until the client closes, the server stops or ``seconds`` pass."""
        self.close_connection = True
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.server.stopping.is_set():
            readable, _, _ = select.select([self.connection], [], [], 0.05)
            if readable:
                try:
                    if not self.connection.recv(1, socket.MSG_PEEK):
                        return  # the client gave up
                except OSError:
                    return
                time.sleep(0.05)

    def log_message(self, format: str, *args: Any) -> None:  # the base class's signature
        """Silent: tests read :attr:`FeedServer.log`."""

