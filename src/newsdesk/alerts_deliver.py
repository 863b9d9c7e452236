"""Alert delivery through Apprise: checking notify URLs, and sending with a time limit.

Apprise (the library) knows the services -- ``ntfy://``, ``json://`` webhooks, ``mailto://`` and
the rest -- and each one's socket timeouts (``cto``/``rto`` in the URL, 4 s by default; 15 s to
connect for mail). Three things are added here, by hand because Apprise does not offer them:

- a time limit over everything: each URL's messages are sent in a daemon thread of their own, and
  the caller waits at most ``timeout`` seconds for all of them. A receiver that hangs in a way the
  socket timeouts do not catch (a reply dripped a byte at a time) costs the run that long and no
  more, and one slow or failing URL never holds up another. A message still going when the time is
  up counts as failed (it is retried later; should the late send succeed after all, the receiver
  gets it twice: alerts are delivered at least once, never lost);
- the reason of a failure: a plugin's ``notify`` only answers True/False, and says why in the
  ``apprise`` logger; a handler on that logger keeps each thread's warnings apart, and every plugin
  is called directly (``plugin.notify``, which sends in the calling thread), so the reason belongs
  to its message;
- loading Apprise's plugins with its own DeprecationWarnings silenced (its mail plugin imports the
  deprecated ``imghdr`` module), once, in the calling thread.

Notify URLs carry secrets (tokens, mail passwords): a :class:`Target` keeps the URL for sending
only; the archive and every message see its SHA-256 (:attr:`Target.key`) and its masked form
(:attr:`Target.label`, Apprise's privacy URL).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType

__all__ = ["Message", "Outcome", "Target", "deliver", "target"]

_LOCK = threading.Lock()


@cache
def _apprise() -> ModuleType:
    """The apprise package with every plugin loaded (Apprise loads them on first use)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import apprise

        apprise.Apprise.instantiate("json://localhost")  # loads the plugin modules now, warnings off
    return apprise


class _Capture(logging.Handler):
    """Warnings and errors of the ``apprise`` logger, kept per thread while a thread listens."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: dict[int, list[str]] = {}

    def emit(self, record: logging.LogRecord) -> None:
        lines = self.lines.get(threading.get_ident())
        if lines is not None:
            try:
                lines.append(record.getMessage())
            except (TypeError, ValueError):  # a malformed log call inside a plugin
                lines.append(str(record.msg))


_CAPTURE = _Capture()


@contextmanager
def _listening() -> Iterator[list[str]]:
    """Apprise's warnings logged by this thread while the block runs."""
    logger = logging.getLogger("apprise")
    with _LOCK:
        if _CAPTURE not in logger.handlers:
            logger.addHandler(_CAPTURE)
        lines: list[str] = []
        _CAPTURE.lines[threading.get_ident()] = lines
    try:
        yield lines
    finally:
        with _LOCK:
            _CAPTURE.lines.pop(threading.get_ident(), None)


def _reason(lines: Sequence[str], fallback: str) -> str:
    text = " ".join(" ".join(lines[-2:]).split()) if lines else fallback
    return text[:300]


@dataclass(frozen=True)
class Target:
    """One notify URL, checked by Apprise."""

    url: str = field(repr=False)
    key: str  # SHA-256 of the URL: what the archive stores
    label: str  # the URL with its secrets masked, without Apprise's option query


def target(url: str) -> Target:
    """The checked :class:`Target` of ``url``; ValueError saying why Apprise cannot use it."""
    apprise = _apprise()
    with _listening() as lines:
        plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        scheme = url.split("://", 1)[0]
        known = [line for line in lines if not line.startswith("Could not load")]
        raise ValueError(_reason(known, f"Apprise knows no service {scheme}:// (or the URL lacks a part it needs)"))
    label = str(plugin.url(privacy=True)).split("?", 1)[0]
    return Target(url, hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest(), label)


@dataclass(frozen=True)
class Message:
    title: str
    body: str


@dataclass
class Outcome:
    """What became of one message: ``ok`` True (delivered), False (failed, ``error`` says why) or
    None (never tried: the time limit came first)."""

    ok: bool | None = None
    error: str = ""


def _send(target: Target, messages: Sequence[Message], outcomes: list[Outcome], abandoned: threading.Event,
          timeout: float) -> None:
    apprise = _apprise()
    for message, outcome in zip(messages, outcomes):
        if abandoned.is_set():
            return
        with _LOCK:
            outcome.ok, outcome.error = False, f"no answer within {timeout:g}s (the alerts' time limit)"
        with _listening() as lines:
            try:
                plugin = apprise.Apprise.instantiate(target.url)
                ok = plugin is not None and bool(plugin.notify(
                    body=message.body, title=message.title, body_format=apprise.NotifyFormat.TEXT))
                error = "" if ok else _reason(lines, "Apprise reported a failure without a reason")
            except Exception as exc:  # noqa: BLE001 -- a plugin bug is this message's failure, not the run's
                ok, error = False, f"{type(exc).__name__}: {exc}"[:300]
        with _LOCK:
            if not abandoned.is_set():
                outcome.ok, outcome.error = ok, error


def deliver(jobs: Sequence[tuple[Target, Sequence[Message]]], timeout: float) -> list[list[Outcome]]:
    """Send each job's messages, in order, to its target; the targets at the same time. Waits at
    most ``timeout`` seconds in all; returns one :class:`Outcome` per message, in job order."""
    _apprise()  # plugins load here, in the calling thread, before any sender starts
    results = [[Outcome() for _ in messages] for _, messages in jobs]
    abandoned = threading.Event()
    threads = [threading.Thread(target=_send, args=(t, messages, outcomes, abandoned, timeout), daemon=True,
                                name=f"alert:{t.label[:40]}")
               for (t, messages), outcomes in zip(jobs, results) if messages]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    with _LOCK:
        abandoned.set()
        return [[Outcome(o.ok, o.error) for o in outcomes] for outcomes in results]
