"""Fault injection for the replay server, and the replay server's wire (HTTP/1.1 over loopback).

Why hand-written: the faults newsdesk must survive are wire-level -- a connection reset halfway
through a body, a body that never ends, a server that accepts and never answers -- which no mock
transport reproduces and no third-party test server offers with the service's URL shapes. This
module owns the bytes on the socket; :mod:`newsdesk.replay` owns what the answers mean.

A :class:`FaultPlan` decides, for every request, whether it is faulted and how:

* **rules** first, in order: a :class:`Rule` matches by endpoint kind (``list`` pages, ``story``
  requests, ``image`` files), path prefix and story id, lets its first ``skip`` matches through,
  then faults the next ``times`` (``None``: every later one);
* else, at ``rate``, a fault drawn from ``mix`` (only the faults that fit the endpoint kind).
  The draw hashes ``(seed, path?query, how often that exact request was seen before)``, so a plan
  faults the same requests the same way for the same seed, whatever the order in which
  concurrent requests arrive.

Faults (:data:`FAULTS`): ``latency`` (answer after ``latency`` s), ``429``, ``429-retry-after``,
``500``, ``502`` (nginx's HTML page), ``503``, ``503-retry-after`` (``Retry-After: retry_after``),
``reset`` (headers and half the body, then a TCP reset), ``truncated`` (a complete HTTP answer
whose JSON stops halfway), ``html-200`` (a 200 text/html page), ``html-403`` (a CDN challenge
page), ``oversize`` (a valid JSON body of ``oversize_bytes``, with Content-Length),
``oversize-chunked`` (the same, chunked, no Content-Length), ``hang`` (read the request, never
answer; hold until the client closes, at most ``hang_seconds``), ``404`` (story or image not
found), ``cursor-loop`` (a list page whose ``pagination.cursor`` points back to the page before,
or to the first page again when it is the first).

``FaultPlan.log`` records every fault served as ``(path?query, fault)``.
"""

from __future__ import annotations

import hashlib
import json
import select
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from newsdesk.loopback import TrackingServer

__all__ = ["FAULTS", "KINDS", "Answer", "FaultPlan", "Rule", "WireServer"]

Answer = tuple[int, dict[str, str], bytes]

KINDS = ("list", "story", "image")
FAULTS: dict[str, frozenset[str]] = {  # fault -> endpoint kinds it applies to ("other": any other path)
    "latency": frozenset({*KINDS, "other"}),
    "429": frozenset({*KINDS, "other"}),
    "429-retry-after": frozenset({*KINDS, "other"}),
    "500": frozenset({*KINDS, "other"}),
    "502": frozenset({*KINDS, "other"}),
    "503": frozenset({*KINDS, "other"}),
    "503-retry-after": frozenset({*KINDS, "other"}),
    "reset": frozenset({*KINDS, "other"}),
    "truncated": frozenset({*KINDS, "other"}),
    "html-200": frozenset({*KINDS, "other"}),
    "html-403": frozenset({*KINDS, "other"}),
    "oversize": frozenset({*KINDS, "other"}),
    "oversize-chunked": frozenset({*KINDS, "other"}),
    "hang": frozenset({*KINDS, "other"}),
    "404": frozenset({"story", "image"}),
    "cursor-loop": frozenset({"list"}),
}
_JSON = "application/json; charset=utf-8"
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Rule:
    """Fault the requests this rule matches: after the first ``skip`` matches, the next ``times``."""

    fault: str
    kind: str | None = None  # "list", "story", "image"; None: any
    path: str | None = None  # path prefix; None: any
    story_id: str | None = None  # the ``id`` query parameter; None: any
    skip: int = 0
    times: int | None = 1  # None: every match after the skipped ones

    def __post_init__(self) -> None:
        if self.fault not in FAULTS:
            raise ValueError(f"unknown fault {self.fault!r}; known: {', '.join(FAULTS)}")
        if self.kind is not None and self.kind not in KINDS:
            raise ValueError(f"unknown endpoint kind {self.kind!r}; known: {', '.join(KINDS)}")

    def matches(self, kind: str, path: str, story_id: str | None) -> bool:
        return ((self.kind is None or self.kind == kind) and (self.path is None or path.startswith(self.path))
                and (self.story_id is None or self.story_id == story_id))


@dataclass
class FaultPlan:
    """Which requests the replay server faults, and how (see the module docstring)."""

    rate: float = 0.0
    seed: int = 0
    mix: tuple[str, ...] = tuple(FAULTS)
    kinds: frozenset[str] = frozenset(KINDS)  # endpoint kinds the rate applies to
    rules: list[Rule] = field(default_factory=list)
    latency: float = 0.3
    retry_after: int = 1
    hang_seconds: float = 30.0
    oversize_bytes: int = 9_000_000
    log: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"fault rate must be between 0 and 1, got {self.rate}")
        unknown = [f for f in self.mix if f not in FAULTS]
        if unknown:
            raise ValueError(f"unknown fault(s) {unknown}; known: {', '.join(FAULTS)}")
        self._lock = threading.Lock()
        self._seen: Counter[str] = Counter()
        self._rule_hits: Counter[int] = Counter()

    def counts(self) -> Counter[str]:
        """How often each fault was served."""
        with self._lock:
            return Counter(fault for _, fault in self.log)

    def decide(self, kind: str, target: str) -> str | None:
        """The fault for this request (``path?query``), or None; counts the request."""
        parts = urlsplit(target)
        ids = parse_qs(parts.query).get("id") if kind == "story" else None
        story_id = ids[0] if ids else None
        with self._lock:
            fault = self._by_rule(kind, parts.path, story_id)
            occurrence = self._seen[target]
            self._seen[target] += 1
            if fault is None and self.rate > 0 and kind in self.kinds:
                fault = self._draw(kind, target, occurrence)
            if fault is not None:
                self.log.append((target, fault))
            return fault

    def _by_rule(self, kind: str, path: str, story_id: str | None) -> str | None:
        for index, rule in enumerate(self.rules):
            if not rule.matches(kind, path, story_id):
                continue
            hit = self._rule_hits[index]
            self._rule_hits[index] += 1
            if hit >= rule.skip and (rule.times is None or hit < rule.skip + rule.times):
                return rule.fault
        return None

    def _draw(self, kind: str, target: str, occurrence: int) -> str | None:
        digest = hashlib.sha256(f"{self.seed}\0{target}\0{occurrence}".encode()).digest()
        if int.from_bytes(digest[:8], "big") / 2.0**64 >= self.rate:
            return None
        fitting = [f for f in self.mix if kind in FAULTS[f]]
        return fitting[int.from_bytes(digest[8:16], "big") % len(fitting)] if fitting else None


class Backend(Protocol):
    """What the wire needs from the replay server."""

    def respond(self, target: str, headers: Mapping[str, str], port: int) -> tuple[Answer, str | None, FaultPlan]:
        """The answer to ``GET target``, the fault to serve it with (None: as it is) and the fault's
        parameters."""
        ...

    def loop_cursor(self, target: str, body: dict[str, Any]) -> None: ...


class WireServer(TrackingServer):
    """The loopback server of a :class:`Backend` (which may fault), ending open connections on stop."""

    def __init__(self, address: tuple[str, int], backend: Backend) -> None:
        self.backend = backend
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real service and the client expect
    wbufsize = -1  # headers and body leave in one write (flushed per request by http.server) ...
    disable_nagle_algorithm = True  # ... and without Nagle's delay: ~40 ms a request otherwise
    server: WireServer

    def do_GET(self) -> None:  # http.server's naming
        headers = {name.lower(): value for name, value in self.headers.items()}
        answer, fault, plan = self.server.backend.respond(self.path, headers, self.client_address[1])
        if fault is None:
            self._send(*answer)
        else:
            _FAULT_ACTIONS[fault](self, answer, plan)

    def _send(self, status: int, headers: Mapping[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if not any(name.lower() in ("content-length", "transfer-encoding") for name in headers):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # the base class's signature
        """Silent: tests and benchmarks read ``ReplayServer.requests`` / ``ReplayServer.log`` instead."""


# -- the faults ------------------------------------------------------------------------------

def _error(status: int, message: str, retry_after: int | None = None) -> Answer:
    headers = {"Content-Type": _JSON}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    return status, headers, json.dumps({"status": "error", "message": message}).encode()


def html_page(status: int, title: str) -> Answer:
    """nginx's error page."""
    page = (f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n"
            "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
    return status, {"Content-Type": "text/html"}, page.encode()


_CHALLENGE = (b"<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title></head><body>"
              b"<noscript>Enable JavaScript and cookies to continue</noscript></body></html>")


def _reset(handler: _Handler, answer: Answer, plan: FaultPlan) -> None:
    """The answer's headers and half its body, then a TCP reset (SO_LINGER 0)."""
    status, headers, body = answer
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body[: len(body) // 2])
    handler.wfile.flush()
    time.sleep(0.05)  # let the client read the headers before the reset discards anything
    handler.close_connection = True
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()  # the descriptor closes (with the reset) once http.server lets go


def _oversize(handler: _Handler, answer: Answer, plan: FaultPlan, *, chunked: bool) -> None:
    """A valid JSON object of ``plan.oversize_bytes`` bytes, streamed until done or the client leaves."""
    head, tail = b'{"items": [], "padding": "', b'"}'
    size = max(plan.oversize_bytes, len(head) + len(tail))
    handler.close_connection = True
    handler.send_response(200)
    handler.send_header("Content-Type", _JSON)
    handler.send_header("Transfer-Encoding" if chunked else "Content-Length", "chunked" if chunked else str(size))
    handler.end_headers()
    pieces = _padding(size - len(head) - len(tail))
    try:
        for piece in (head, *pieces, tail):
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
        if chunked:
            handler.wfile.write(b"0\r\n\r\n")
        handler.wfile.flush()
    except OSError:
        pass  # the client stopped reading at its cap and closed: expected


def _padding(total: int) -> Iterable[bytes]:
    full, rest = divmod(total, _CHUNK)
    block = b"x" * _CHUNK
    yield from (block for _ in range(full))
    if rest:
        yield b"x" * rest


def _hang(handler: _Handler, answer: Answer, plan: FaultPlan) -> None:
    """Never answer: hold the connection until the client closes it (or ``hang_seconds`` pass)."""
    handler.close_connection = True
    sock = handler.connection
    deadline = time.monotonic() + plan.hang_seconds
    while time.monotonic() < deadline:
        readable, _, _ = select.select([sock], [], [], 0.05)
        if readable:
            try:
                if not sock.recv(1, socket.MSG_PEEK):
                    return  # the client gave up and closed
            except OSError:
                return
            time.sleep(0.05)  # the client sent more (a pipelined request): still no answer


def _truncated(handler: _Handler, answer: Answer, plan: FaultPlan) -> None:
    status, headers, body = answer
    handler._send(200 if status >= 400 else status, headers, body[: max(1, len(body) // 2)])


def _latency(handler: _Handler, answer: Answer, plan: FaultPlan) -> None:
    time.sleep(plan.latency)
    handler._send(*answer)


def _cursor_loop(handler: _Handler, answer: Answer, plan: FaultPlan) -> None:
    status, headers, body = answer
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if status == 200 and isinstance(data, dict):
        handler.server.backend.loop_cursor(handler.path, data)
        body = json.dumps(data, ensure_ascii=False).encode()
    handler._send(status, headers, body)


def _fixed(answer: Callable[[FaultPlan], Answer]) -> Callable[[_Handler, Answer, FaultPlan], None]:
    return lambda handler, _normal, plan: handler._send(*answer(plan))


_FAULT_ACTIONS: dict[str, Callable[[_Handler, Answer, FaultPlan], None]] = {
    "latency": _latency,
    "429": _fixed(lambda plan: _error(429, "too many requests")),
    "429-retry-after": _fixed(lambda plan: _error(429, "too many requests", plan.retry_after)),
    "500": _fixed(lambda plan: _error(500, "internal server error")),
    "502": _fixed(lambda plan: html_page(502, "502 Bad Gateway")),
    "503": _fixed(lambda plan: _error(503, "service unavailable")),
    "503-retry-after": _fixed(lambda plan: _error(503, "service unavailable", plan.retry_after)),
    "reset": _reset,
    "truncated": _truncated,
    "html-200": _fixed(lambda plan: html_page(200, "Market News")),
    "html-403": _fixed(lambda plan: (403, {"Content-Type": "text/html; charset=UTF-8"}, _CHALLENGE)),
    "oversize": lambda handler, answer, plan: _oversize(handler, answer, plan, chunked=False),
    "oversize-chunked": lambda handler, answer, plan: _oversize(handler, answer, plan, chunked=True),
    "hang": _hang,
    "404": _fixed(lambda plan: _error(404, "not found")),
    "cursor-loop": _cursor_loop,
}
assert set(_FAULT_ACTIONS) == set(FAULTS)
