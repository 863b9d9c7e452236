"""Fetch progress kept in the archive, so a crash, a fault or a new process loses nothing.

Three kinds of state, each keyed by the source's label (``SourceConfig.label``):

* **sweeps** -- per list request sequence, the serialised
  :class:`~newsdesk.sources.sweep.SweepState` (watermark and pending sweeps), saved after every
  page whose items are all archived or recorded as failed, so a run killed mid-sweep resumes
  where the last finished page ended.
* **failures** -- a story whose request failed (after http.py's retries) or whose answer could not
  be read, with its list item, the error and its attempt count. It is retried by id with capped
  exponential backoff (``[fetch] retry_base`` doubling per attempt up to ``retry_max``) until it
  succeeds or has had ``retry_limit`` attempts; then it is *given up* (still listed by
  ``newsdesk stories --failed``; a changed list item brings it back).
* **source_state** -- last attempt, success and error of each source, and a deferral: a source
  that answered 429/503 with ``Retry-After`` is not asked again before that time (capped at
  ``[fetch] max_defer``), by this process or any later one.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from newsdesk.config import FetchConfig
from newsdesk.store import Store

@dataclass(frozen=True)
class FailureRecord:
    source: str
    id: str
    lang: str
    item: dict[str, Any]
    error: str
    attempts: int
    first_failed: int
    last_failed: int
    next_try: int
    gave_up: bool


def backoff(config: FetchConfig, attempts: int) -> float:
    """Seconds before the next try of a story that has failed ``attempts`` times (1-based)."""
    return min(config.retry_base * (2.0 ** max(attempts - 1, 0)), config.retry_max)


# -- sweeps --------------------------------------------------------------------------------------

def load_sweep(store: Store, source: str, sequence: str) -> str | None:
    """The saved state text of one list request sequence, None when it never ran."""
    row = store.db.execute("SELECT state FROM sweeps WHERE source = ? AND sequence = ?",
                           (source, sequence)).fetchone()
    return str(row[0]) if row else None


def save_sweep(store: Store, source: str, sequence: str, state: str) -> None:
    with store.atomic():
        store.db.execute("INSERT INTO sweeps (source, sequence, state, updated_at) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (source, sequence) DO UPDATE SET state = excluded.state, "
                         "updated_at = excluded.updated_at", (source, sequence, state, int(time.time())))


# -- failed stories ------------------------------------------------------------------------------

_FAILURE_COLUMNS = "source, id, lang, item, error, attempts, first_failed, last_failed, next_try, gave_up"


def _failure(row: Sequence[Any]) -> FailureRecord:
    """A row; its ``item`` column holds ``{"item": <list item>, "hash": <item hash>}``."""
    try:
        saved = json.loads(row[3])
    except ValueError:
        saved = {}
    item = saved.get("item") if isinstance(saved, dict) else None
    return FailureRecord(row[0], row[1], row[2], item if isinstance(item, dict) else {}, row[4], row[5],
                         row[6], row[7], row[8], bool(row[9]))


def record_failure(store: Store, config: FetchConfig, source: str, story_id: str, lang: str,
                   item: Mapping[str, Any] | None, item_hash: str, error: str, *, retry: bool = True,
                   now: float | None = None) -> FailureRecord:
    """Count one more failed attempt of a story; ``retry=False`` gives it up at once."""
    at = int(time.time() if now is None else now)
    item_text = json.dumps({"item": item if item is not None else {}, "hash": item_hash}, ensure_ascii=True,
                           separators=(",", ":"), default=str)
    with store.atomic():
        row = store.db.execute("SELECT attempts, first_failed FROM failures WHERE source = ? AND id = ? "
                               "AND lang = ?", (source, story_id, lang)).fetchone()
        attempts = (row[0] if row else 0) + 1
        first = row[1] if row else at
        gave_up = (not retry) or attempts >= config.retry_limit
        next_try = at + int(backoff(config, attempts))
        store.db.execute(
            f"INSERT INTO failures ({_FAILURE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT (source, id, lang) DO UPDATE SET item = excluded.item, error = excluded.error, "
            "attempts = excluded.attempts, last_failed = excluded.last_failed, next_try = excluded.next_try, "
            "gave_up = excluded.gave_up",
            (source, story_id, lang, item_text, error[:2000], attempts, first, at, next_try, int(gave_up)))
    return FailureRecord(source, story_id, lang, dict(item or {}), error, attempts, first, at, next_try, gave_up)


def clear_failure(store: Store, source: str, story_id: str, lang: str) -> None:
    with store.atomic():
        store.db.execute("DELETE FROM failures WHERE source = ? AND id = ? AND lang = ?", (source, story_id, lang))


def due_failures(store: Store, source: str, now: float | None = None) -> list[FailureRecord]:
    """Failed stories of ``source`` whose next try has come, oldest first (given-up ones excluded)."""
    at = int(time.time() if now is None else now)
    rows = store.db.execute(f"SELECT {_FAILURE_COLUMNS} FROM failures WHERE source = ? AND gave_up = 0 "
                            "AND next_try <= ? ORDER BY next_try, id, lang", (source, at))
    return [_failure(row) for row in rows]


def failed_hashes(store: Store, source: str, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(id, lang) -> hash of the recorded list item, for the given keys that are failures of ``source``.

    A listed item that failed before, unchanged, is left to the retry schedule (not re-requested
    by every sweep that passes it); a changed item is requested again at once.
    """
    found: dict[tuple[str, str], str] = {}
    for start in range(0, len(keys), 300):
        chunk = keys[start:start + 300]
        marks = ",".join("(?, ?)" for _ in chunk)
        sql = f"SELECT id, lang, item FROM failures WHERE source = ? AND (id, lang) IN (VALUES {marks})"
        for story_id, lang, text in store.db.execute(sql, [source, *(v for key in chunk for v in key)]):
            try:
                saved = json.loads(text)
            except ValueError:
                continue
            if isinstance(saved, dict) and isinstance(saved.get("hash"), str):
                found[(story_id, lang)] = saved["hash"]
    return found


def list_failures(store: Store) -> list[FailureRecord]:
    """Every failed story, the next to be tried first."""
    rows = store.db.execute(f"SELECT {_FAILURE_COLUMNS} FROM failures ORDER BY gave_up, next_try, source, id, lang")
    return [_failure(row) for row in rows]


# -- source state --------------------------------------------------------------------------------

def _update_source(store: Store, source: str, **values: Any) -> None:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    updates = ", ".join(f"{name} = excluded.{name}" for name in values)
    with store.atomic():
        store.db.execute(f"INSERT INTO source_state (source, {columns}) VALUES (?, {marks}) "
                         f"ON CONFLICT (source) DO UPDATE SET {updates}", (source, *values.values()))


def source_attempted(store: Store, source: str) -> None:
    _update_source(store, source, last_attempt=int(time.time()))


def source_succeeded(store: Store, source: str) -> None:
    _update_source(store, source, last_success=int(time.time()))


def source_failed(store: Store, source: str, error: str) -> None:
    _update_source(store, source, last_error=error[:2000], last_error_at=int(time.time()))


def defer_source(store: Store, source: str, until: float, reason: str) -> None:
    _update_source(store, source, deferred_until=int(until), deferred_reason=reason[:2000])


def deferred_until(store: Store, source: str, now: float | None = None) -> tuple[int, str] | None:
    """(until, reason) when ``source`` is deferred past ``now``; else None."""
    row = store.db.execute("SELECT deferred_until, deferred_reason FROM source_state WHERE source = ?",
                           (source,)).fetchone()
    at = time.time() if now is None else now
    if row and row[0] is not None and row[0] > at:
        return int(row[0]), row[1] or ""
    return None
