"""What the alerts keep in the archive (migration 7), and what `newsdesk status` reads of it.

- ``meta.alerts_cursor``: the archive-write time (``stories.updated_at``) up to which stories were
  looked at. Each run looks at the stories written after it (and a minute before it, in case of
  stories written in the same second or a clock that stepped back; looking twice changes nothing)
  and moves it forward in the same transaction that records the matches, so a crash anywhere
  loses nothing and repeats nothing. The first run on an archive only sets it (to now): an
  existing archive does not flood anyone; stories archived from then on alert.
- ``alert_waiting``: stories written after the cursor that were not published yet (dirty); they
  are looked at again on every run until published, so a story whose publish failed alerts once
  it is on the site.
- ``alert_rules``: each rule's ``since`` (the cursor when the rule was first seen: a new rule
  alerts for stories archived since the last alerts run, never for older ones) and what it sent.
- ``alert_matches``: the once-ever record, one row per (rule, story id): the story's other
  languages, a changed version, a re-render or a restart never alert that rule again.
- ``alert_deliveries``: one row per (rule, story, notify URL) still to deliver (``due``, with
  attempts and the next try) or given up (``failed``, kept :data:`KEEP_FAILED` seconds for
  ``status``); a delivered row is deleted. URLs are keyed by their SHA-256, shown masked.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from newsdesk.store import Store

CURSOR_KEY = "alerts_cursor"
SLACK = 60  # seconds before the cursor looked at again
RETRY_BASE = 60  # seconds before the first retry of a failed delivery; doubles per attempt
RETRY_MAX = 3600
RETRY_LIMIT = 8  # attempts, then the delivery is given up (about two hours of retries)
KEEP_FAILED = 30 * 86400  # given-up deliveries stay listed by `status` this long


def cursor(store: Store) -> int | None:
    value = store.get_meta(CURSOR_KEY)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def set_cursor(store: Store, value: int) -> None:
    store.db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
                     "excluded.value", (CURSOR_KEY, str(value)))


def register(store: Store, names: Iterable[str], since: int) -> dict[str, int]:
    """Each rule's start (set now for rules never seen), by name."""
    store.db.executemany("INSERT OR IGNORE INTO alert_rules (rule, since) VALUES (?, ?)",
                         [(name, since) for name in names])
    return {str(r): int(s) for r, s in store.db.execute("SELECT rule, since FROM alert_rules")}


@dataclass(frozen=True)
class Candidate:
    """A published story written after the cursor (or waiting since): what matching reads."""

    id: str
    lang: str
    source: str
    updated_at: int
    site_url: str
    raw_text: str


_COLUMNS = "id, lang, source, dirty, updated_at, site_url, raw"


def scan(store: Store, after: int, now: int) -> Iterator[Candidate]:
    """Published stories written after ``after`` (minus :data:`SLACK`), then the waiting ones now
    published; unpublished ones are put (or kept) in ``alert_waiting``. Sets the new cursor when
    exhausted. Call inside a transaction."""
    db = store.db
    waiting = [(str(i), str(lang)) for i, lang in db.execute("SELECT id, lang FROM alert_waiting")]
    held: list[tuple[str, str]] = []
    latest = after
    for story_id, lang, source, dirty, updated, site_url, raw in db.execute(
            f"SELECT {_COLUMNS} FROM stories WHERE updated_at > ? ORDER BY updated_at", (after - SLACK,)):
        latest = max(latest, int(updated))
        if dirty:
            held.append((story_id, lang))
        else:
            yield Candidate(story_id, lang, source, int(updated), site_url, raw)
    gone: list[tuple[str, str]] = []
    for story_id, lang in waiting:
        row = db.execute(f"SELECT {_COLUMNS} FROM stories WHERE id = ? AND lang = ?", (story_id, lang)).fetchone()
        if row is None:
            gone.append((story_id, lang))
        elif not row[3]:
            gone.append((story_id, lang))
            yield Candidate(row[0], row[1], row[2], int(row[4]), row[5], row[6])
    db.executemany("DELETE FROM alert_waiting WHERE id = ? AND lang = ?", gone)
    db.executemany("INSERT OR IGNORE INTO alert_waiting (id, lang) VALUES (?, ?)", held)
    # Never past the clock: a story stamped in the future (the clock stepped back since) is looked
    # at again until the clock passes it, instead of hiding the stories written meanwhile.
    set_cursor(store, min(latest, now))


def skip(store: Store, after: int, now: int) -> None:
    """No rules: move the cursor past every story (forgetting the waiting ones) without reading them,
    so rules added later start from here. Call inside a transaction."""
    latest = store.db.execute("SELECT MAX(updated_at) FROM stories").fetchone()[0]
    store.db.execute("DELETE FROM alert_waiting")
    set_cursor(store, min(max(after, int(latest or 0)), now))


def record_matches(store: Store, matches: Mapping[tuple[str, str], str], targets: Mapping[str, Iterable[tuple[str, str]]],
                   now: int) -> int:
    """Record new (rule, story id) -> lang matches and a due delivery per target (key, label) of
    the rule; pairs matched before are left alone. Returns how many were new."""
    new = 0
    for (rule, story_id), lang in matches.items():
        cur = store.db.execute("INSERT OR IGNORE INTO alert_matches (rule, id, lang, matched_at) VALUES (?, ?, ?, ?)",
                               (rule, story_id, lang, now))
        if cur.rowcount != 1:
            continue
        new += 1
        store.db.executemany(
            "INSERT OR IGNORE INTO alert_deliveries (rule, id, target, label, state, attempts, next_try) "
            "VALUES (?, ?, ?, ?, 'due', 0, ?)", [(rule, story_id, key, label, now) for key, label in targets[rule]])
    return new


def matched(store: Store, rule: str, story_ids: Iterable[str]) -> set[str]:
    """Those of ``story_ids`` that alerted ``rule`` before."""
    ids = list(dict.fromkeys(story_ids))
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        found.update(str(i) for (i,) in store.db.execute(
            f"SELECT id FROM alert_matches WHERE rule = ? AND id IN ({','.join('?' * len(chunk))})", (rule, *chunk)))
    return found


def prune(store: Store, targets: Mapping[str, Iterable[tuple[str, str]]], now: int) -> int:
    """Drop deliveries of rules or URLs no longer configured, and given-up ones past
    :data:`KEEP_FAILED`. Returns how many undelivered ones were dropped."""
    keep = {(rule, key) for rule, pairs in targets.items() for key, _ in pairs}
    stale = [(rule, key) for rule, key in store.db.execute("SELECT DISTINCT rule, target FROM alert_deliveries "
                                                            "WHERE state = 'due'") if (rule, key) not in keep]
    dropped = 0
    for rule, key in stale:
        dropped += store.db.execute("DELETE FROM alert_deliveries WHERE rule = ? AND target = ? AND state = 'due'",
                                    (rule, key)).rowcount
    store.db.execute("DELETE FROM alert_deliveries WHERE state = 'failed' AND last_try < ?", (now - KEEP_FAILED,))
    return dropped


@dataclass(frozen=True)
class Due:
    rule: str
    id: str
    lang: str
    target: str
    attempts: int


def due(store: Store, now: int) -> list[Due]:
    """Deliveries to try now, oldest story first."""
    return [Due(*row) for row in store.db.execute(
        "SELECT d.rule, d.id, m.lang, d.target, d.attempts FROM alert_deliveries d JOIN alert_matches m "
        "ON m.rule = d.rule AND m.id = d.id LEFT JOIN stories s ON s.id = m.id AND s.lang = m.lang "
        "WHERE d.state = 'due' AND d.next_try <= ? ORDER BY s.published, d.id", (now,))]


def delivered(store: Store, rule: str, items: Iterable[Due], now: int) -> None:
    with store.atomic():
        store.db.executemany("DELETE FROM alert_deliveries WHERE rule = ? AND id = ? AND target = ?",
                             [(d.rule, d.id, d.target) for d in items])
        store.db.execute("UPDATE alert_rules SET sent = sent + 1, last_sent = ? WHERE rule = ?", (now, rule))


def failed(store: Store, items: Iterable[Due], error: str, now: int) -> int:
    """Count one failed attempt of each delivery; returns how many were given up."""
    gave_up = 0
    with store.atomic():
        for d in items:
            attempts = d.attempts + 1
            if attempts >= RETRY_LIMIT:
                gave_up += 1
            store.db.execute(
                "UPDATE alert_deliveries SET attempts = ?, next_try = ?, last_error = ?, last_try = ?, state = ? "
                "WHERE rule = ? AND id = ? AND target = ?",
                (attempts, now + min(RETRY_BASE * 2 ** (attempts - 1), RETRY_MAX), error, now,
                 "failed" if attempts >= RETRY_LIMIT else "due", d.rule, d.id, d.target))
    return gave_up


def drop(store: Store, items: Iterable[Due]) -> None:
    """Deliveries whose story left the archive."""
    with store.atomic():
        store.db.executemany("DELETE FROM alert_deliveries WHERE rule = ? AND id = ? AND target = ?",
                             [(d.rule, d.id, d.target) for d in items])


# -- status ---------------------------------------------------------------------------------------

@dataclass
class RuleStatus:
    """One rule as `newsdesk status` shows it."""

    rule: str
    sent: int = 0  # messages delivered (a digest counts once)
    last_sent: int | None = None
    waiting: int = 0  # deliveries waiting for a retry (or their first try)
    gave_up: int = 0  # deliveries given up after the retry limit (kept 30 days)
    last_error: str | None = None
    last_error_at: int | None = None
    last_error_target: str | None = None  # the URL, masked


def read_status(db: sqlite3.Connection, rules: Iterable[str]) -> list[RuleStatus]:
    """Each configured rule's deliveries, from a (read-only) connection to the archive."""
    result = {name: RuleStatus(name) for name in rules}
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not result or "alert_rules" not in tables:
        return list(result.values())
    for rule, sent, last in db.execute("SELECT rule, sent, last_sent FROM alert_rules"):
        if rule in result:
            result[rule].sent, result[rule].last_sent = int(sent), last
    for rule, waiting, gave_up in db.execute(
            "SELECT rule, SUM(state = 'due'), SUM(state = 'failed') FROM alert_deliveries GROUP BY rule"):
        if rule in result:
            result[rule].waiting, result[rule].gave_up = int(waiting or 0), int(gave_up or 0)
    for rule, error, at, label in db.execute(
            "SELECT rule, last_error, last_try, label FROM alert_deliveries WHERE last_error IS NOT NULL "
            "ORDER BY last_try"):
        if rule in result:
            result[rule].last_error, result[rule].last_error_at, result[rule].last_error_target = error, at, label
    return list(result.values())
