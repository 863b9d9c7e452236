"""Health you can monitor: what ``newsdesk status`` reports, and the step records it reads.

:func:`record_step` wraps one fetch, publish or build and writes its start, end, result and a
one-line summary into the archive's ``steps`` table (one row per step: the last run of it).
:func:`gather` reads, without taking the run lock and without changing anything, each source's
state (last success, last error, stories waiting for a retry, a deferral), the archive's counts,
the steps and the lock's holder. The archive is opened read-only, so ``status`` works while
another run writes (SQLite WAL readers never block the writer) and on a missing archive.

Unhealthy (exit status 1): a source with no success for longer than ``[status] max_age`` seconds,
or one that was attempted and never succeeded. A source never attempted is not (yet) unhealthy.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table

from newsdesk.alerts_state import RuleStatus, read_status
from newsdesk.config import Config
from newsdesk.lock import Holder, current_holder, lock_path
from newsdesk.store import Store

log = logging.getLogger("newsdesk.status")

STEPS = ("fetch", "publish", "build", "deploy", "alerts")


@dataclass
class StepRecord:
    """What a step reports about itself while it runs; set ``ok``/``summary`` before it ends."""

    step: str
    ok: bool = True
    summary: str = ""


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _write_step(store: Store, sql: str, params: tuple[Any, ...]) -> None:
    """Step bookkeeping never fails the step itself (a full disk is reported by the step)."""
    try:
        with store.atomic():
            store.db.execute(sql, params)
    except sqlite3.Error as exc:
        log.warning("could not record the step in the archive: %s", exc)


@contextmanager
def record_step(store: Store, step: str) -> Iterator[StepRecord]:
    """Record ``step`` in the archive: started now, then finished with ok/summary when the block
    ends. An exception marks it failed with the exception's message, and propagates."""
    record = StepRecord(step)
    _write_step(store, "INSERT INTO steps (step, started, finished, ok, summary) VALUES (?, ?, NULL, NULL, '')"
                       " ON CONFLICT (step) DO UPDATE SET started = excluded.started, finished = NULL,"
                       " ok = NULL, summary = ''", (step, int(time.time())))
    try:
        yield record
    except BaseException as exc:
        reason = "interrupted" if isinstance(exc, KeyboardInterrupt) else f"{exc}" or type(exc).__name__
        _write_step(store, "UPDATE steps SET finished = ?, ok = 0, summary = ? WHERE step = ?",
                    (int(time.time()), _one_line(reason), step))
        raise
    _write_step(store, "UPDATE steps SET finished = ?, ok = ?, summary = ? WHERE step = ?",
                (int(time.time()), int(record.ok), _one_line(record.summary), step))


# -- reading ------------------------------------------------------------------------------------

@dataclass
class SourceStatus:
    source: str
    last_attempt: int | None = None
    last_success: int | None = None
    last_error: str | None = None
    last_error_at: int | None = None
    deferred_until: int | None = None
    deferred_reason: str | None = None
    failed_waiting: int = 0  # failed stories that will be retried
    gave_up: int = 0  # failed stories past the retry limit
    problem: str | None = None  # why this source makes `status` exit 1


@dataclass
class StepStatus:
    step: str
    started: int
    finished: int | None
    ok: bool | None  # None: started and never finished (running, or the process died)
    summary: str


@dataclass
class ArchiveStatus:
    path: str
    exists: bool
    stories: int = 0
    languages: dict[str, int] = field(default_factory=dict)
    dirty: int = 0
    publish_errors: int = 0
    schema: int = 0


@dataclass
class LockStatus:
    path: str
    held: bool
    pid: int | None = None
    command: str | None = None
    since: int | None = None


@dataclass
class StatusReport:
    checked_at: int
    max_age: int
    archive: ArchiveStatus
    lock: LockStatus
    sources: list[SourceStatus]
    steps: list[StepStatus]
    alerts: list[RuleStatus] = field(default_factory=list)  # each [[alerts]] rule's deliveries

    @property
    def problems(self) -> list[str]:
        return [f"source {s.source}: {s.problem}" for s in self.sources if s.problem]

    @property
    def exit_code(self) -> int:
        return 1 if self.problems else 0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = not self.problems
        data["problems"] = self.problems
        return data


def _ago(seconds: float) -> str:
    seconds = int(max(0, seconds))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _judge(source: SourceStatus, now: int, max_age: int) -> str | None:
    attempted = source.last_attempt is not None or source.last_error_at is not None
    if source.last_success is None:
        return "attempted but never fetched successfully" if attempted else None
    age = now - source.last_success
    if age > max_age:
        return f"no successful fetch for {_ago(age)} (status.max_age = {max_age}s)"
    return None


def _tables(db: sqlite3.Connection) -> set[str]:
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _read_archive(db: sqlite3.Connection, config: Config, archive: ArchiveStatus,
                  sources: dict[str, SourceStatus]) -> list[StepStatus]:
    tables = _tables(db)
    archive.schema = int(db.execute("PRAGMA user_version").fetchone()[0])
    if "stories" in tables:
        archive.languages = dict(db.execute("SELECT lang, COUNT(*) FROM stories GROUP BY lang ORDER BY lang"))
        archive.stories = sum(archive.languages.values())
        archive.dirty = int(db.execute("SELECT COUNT(*) FROM stories WHERE dirty = 1").fetchone()[0])
        columns = {r[1] for r in db.execute("PRAGMA table_info(stories)")}
        if "publish_error" in columns:
            archive.publish_errors = int(db.execute(
                "SELECT COUNT(*) FROM stories WHERE publish_error IS NOT NULL").fetchone()[0])
    if "source_state" in tables:
        for row in db.execute("SELECT source, last_attempt, last_success, last_error, last_error_at, "
                              "deferred_until, deferred_reason FROM source_state"):
            if row[0] in sources:
                sources[row[0]] = SourceStatus(*row)
    if "failures" in tables:
        for name, waiting, gave_up in db.execute(
                "SELECT source, SUM(gave_up = 0), SUM(gave_up != 0) FROM failures GROUP BY source"):
            if name in sources:
                sources[name].failed_waiting, sources[name].gave_up = int(waiting or 0), int(gave_up or 0)
    steps: list[StepStatus] = []
    if "steps" in tables:
        order = {name: i for i, name in enumerate(STEPS)}
        rows = db.execute("SELECT step, started, finished, ok, summary FROM steps").fetchall()
        for step, started, finished, ok, summary in sorted(rows, key=lambda r: (order.get(r[0], 99), r[0])):
            steps.append(StepStatus(step, started, finished, None if ok is None else bool(ok), summary))
    return steps


def gather(config: Config, *, now: int | None = None) -> StatusReport:
    """The health of the site of ``config``; reads only (never takes the lock, never writes)."""
    now = int(time.time()) if now is None else now
    store = config.store_path
    archive = ArchiveStatus(str(store), store.is_file())
    sources = {source.label: SourceStatus(source.label) for source in config.sources}
    steps: list[StepStatus] = []
    alerts = [RuleStatus(rule.name) for rule in config.alerts]
    if archive.exists:
        uri = store.resolve().as_uri() + "?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as db:
            db.execute("PRAGMA busy_timeout = 10000")
            steps = _read_archive(db, config, archive, sources)
            alerts = read_status(db, [rule.name for rule in config.alerts])
    for source in sources.values():
        source.problem = _judge(source, now, config.status.max_age)
    lock_file = lock_path(store)
    holder: Holder | None = current_holder(lock_file)
    lock = LockStatus(str(lock_file), holder is not None)
    if holder is not None:
        lock.pid, lock.command, lock.since = holder.pid, holder.command, holder.since
    return StatusReport(now, config.status.max_age, archive, lock, list(sources.values()), steps, alerts)


def when(epoch: int | None, now: int) -> str:
    """``5m ago`` (or ``in 5m``), or ``never``."""
    if epoch is None:
        return "never"
    delta = now - epoch
    return f"{_ago(delta)} ago" if delta >= 0 else f"in {_ago(-delta)}"


def _grid(*columns: str) -> Table:
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold", padding=(0, 2, 0, 0))
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def render(report: StatusReport, console: Console) -> None:
    """The human form of ``report``: two lines, a table of sources, a table of steps."""
    now, archive, lock = report.checked_at, report.archive, report.lock
    if not archive.exists:
        console.print(f"archive  {archive.path}: none yet (the first `newsdesk fetch` or `run` creates it)")
    else:
        langs = ", ".join(f"{lang} {n}" for lang, n in archive.languages.items()) or "none"
        console.print(f"archive  {archive.path}: {archive.stories} stories ({langs}), {archive.dirty} to "
                      f"publish, {archive.publish_errors} publish errors")
    if lock.held:
        console.print(f"lock     held by pid {lock.pid} ({lock.command}) since {when(lock.since, now)}")
    else:
        console.print("lock     free")
    sources = _grid("source", "health", "last success", "last error", "failed (gave up)", "deferred")
    for s in report.sources:
        error = "none" if s.last_error is None else f"{when(s.last_error_at, now)}: {_one_line(s.last_error, 80)}"
        deferred = "no"
        if s.deferred_until and s.deferred_until > now:
            deferred = f"{when(s.deferred_until, now)}" + (f" ({s.deferred_reason})" if s.deferred_reason else "")
        sources.add_row(s.source, "ok" if s.problem is None else f"UNHEALTHY: {s.problem}",
                        when(s.last_success, now), error, f"{s.failed_waiting} ({s.gave_up})", deferred)
    console.print(sources)
    if report.alerts:
        alerts = _grid("alert rule", "sent", "last sent", "waiting", "gave up", "last error")
        for a in report.alerts:
            error = "none" if a.last_error is None else \
                f"{when(a.last_error_at, now)}: {a.last_error_target}: {_one_line(a.last_error, 80)}"
            alerts.add_row(a.rule, str(a.sent), when(a.last_sent, now), str(a.waiting), str(a.gave_up), error)
        console.print(alerts)
    if not report.steps:
        console.print("steps    none recorded yet")
        return
    steps = _grid("step", "result", "started", "took", "summary")
    for step in report.steps:
        took = "-" if step.finished is None else _ago(step.finished - step.started)
        result = {True: "ok", False: "FAILED", None: "unfinished"}[step.ok]
        steps.add_row(step.step, result, when(step.started, now), took, step.summary)
    console.print(steps)
