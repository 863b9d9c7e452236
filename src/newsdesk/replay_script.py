"""Scripted answers and the request log of the replay server (:class:`newsdesk.replay.ReplayServer`).

A test states what a path -- optionally only with certain query values -- answers next: a status,
headers, a body, a delay before answering, or one of the wire faults of :mod:`newsdesk.faults`
(``reset``, ``hang``, ``oversize-chunked``, ...) applied to that answer. Each :class:`Reply` answers
``times`` requests (None: every one from then on); once a path's replies are used up, the server
answers as the service would again. Every request is recorded as a :class:`Request` (path, query
pairs in order, headers, the client's port), so a test can check what a client sent.

Why hand-written: it is part of the replay server's test double (see :mod:`newsdesk.replay`); a
mocking library would replace the HTTP the tests mean to exercise. Only the stdlib.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from newsdesk.faults import FAULTS, Answer

__all__ = ["Reply", "Request", "Script"]


@dataclass(frozen=True)
class Reply:
    """One scripted answer: used for the next ``times`` matching requests (None: for good)."""

    status: int = 200
    body: bytes = b"{}"
    content_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    fault: str | None = None  # a :data:`newsdesk.faults.FAULTS` name, applied to this answer
    times: int | None = 1

    def __post_init__(self) -> None:
        if self.fault is not None and self.fault not in FAULTS:
            raise ValueError(f"unknown fault {self.fault!r}; known: {', '.join(FAULTS)}")
        if self.times is not None and self.times < 1:
            raise ValueError("times must be at least 1 (or None: every request)")

    @classmethod
    def json(cls, data: Any, status: int = 200, *, headers: Mapping[str, str] | None = None,
             **options: Any) -> Reply:
        """A JSON answer of ``data``."""
        return cls(status, json.dumps(data).encode(), "application/json", dict(headers or {}), **options)

    def answer(self) -> Answer:
        """The ``(status, headers, body)`` the wire sends."""
        return self.status, {"Content-Type": self.content_type, **self.headers}, self.body


@dataclass(frozen=True)
class Request:
    """A request the server received: ``target`` is ``path?query`` as sent."""

    target: str
    path: str
    query: tuple[tuple[str, str], ...]  # decoded pairs, in the order sent (a key may repeat)
    headers: Mapping[str, str]  # names in lower case
    port: int  # the client's port: one port for several requests means a kept-alive connection

    @property
    def params(self) -> dict[str, list[str]]:
        """The query as ``name -> values`` (in order)."""
        params: dict[str, list[str]] = {}
        for key, value in self.query:
            params.setdefault(key, []).append(value)
        return params


@dataclass
class _Entry:
    path: str
    query: tuple[tuple[str, str], ...]
    reply: Reply
    left: int | None


class Script:
    """Scripted replies by path and query, used in the order added; thread-safe."""

    def __init__(self) -> None:
        self._entries: list[_Entry] = []
        self._lock = threading.Lock()

    def add(self, path: str, replies: Iterable[Reply], query: Mapping[str, str] | None = None) -> None:
        """Answer requests of ``path`` whose query holds every ``query`` pair with ``replies``."""
        pairs = tuple((query or {}).items())
        with self._lock:
            self._entries.extend(_Entry(path, pairs, reply, reply.times) for reply in replies)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def take(self, request: Request) -> Reply | None:
        """The reply for ``request`` (counted as used), or None: the server answers as usual."""
        with self._lock:
            for entry in self._entries:
                if entry.path == request.path and all(pair in request.query for pair in entry.query):
                    if entry.left is not None:
                        entry.left -= 1
                        if entry.left == 0:
                            self._entries.remove(entry)
                    return entry.reply
        return None

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
