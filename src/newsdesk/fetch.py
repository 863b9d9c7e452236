"""Run every configured source into the archive, keeping its progress there.

Per source: unless it is deferred (it asked to wait with Retry-After), first the failed stories
whose next try has come are requested again by id, then its list sequences are swept down to
their watermarks (:mod:`newsdesk.sources.sweep`), saving each sequence's state after every page.
Per item: drop it when the include/exclude words say so (remembered, so it is not fetched again),
else archive it; a story that cannot be read is recorded as failed (:mod:`newsdesk.fetchstate`)
and retried in later runs. A source that cannot be read, or whose filters the service rejects, is
reported and the other sources still run.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from newsdesk import carriers, fetchstate
from newsdesk.config import Config, FetchConfig, SourceConfig
from newsdesk.errors import ConfigError, NewsdeskError, SourceDeferred
from newsdesk.model import Story, plain_text
from newsdesk.sources import Checkpoint, Failed, Fetched, make_source
from newsdesk.store import Store

log = logging.getLogger("newsdesk.fetch")


@dataclass
class FetchReport:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    filtered: int = 0
    carried: int = 0  # delivered by this source, archived earlier by another (listed on its post)
    requests: int = 0
    retried: int = 0  # failed stories requested again by id
    failed: list[Failed] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)  # sources skipped: still deferred
    source_errors: list[NewsdeskError] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if any(isinstance(e, ConfigError) for e in self.source_errors):
            return 2
        return 1 if self.failed or self.source_errors else 0


def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in words if w.strip())
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE) if alternatives else None


def keep_story(story: Story, include: re.Pattern[str] | None, exclude: re.Pattern[str] | None) -> str | None:
    """None when the story is kept; else the reason it is dropped."""
    if include is None and exclude is None:
        return None
    text = f"{story.title}\n{plain_text(story.tree)}\n{story.digest}"
    if include is not None and not include.search(text):
        return "include"
    if exclude is not None and (match := exclude.search(text)):
        return f"exclude:{match.group(0)}"
    return None


class _Archiver:
    """Takes one source's results into the store: archive, filter or record the failure."""

    def __init__(self, source_cfg: SourceConfig, fetch_cfg: FetchConfig, store: Store, report: FetchReport,
                 others: frozenset[str] = frozenset()) -> None:
        self.label = source_cfg.label
        self.others = others - {self.label}  # the labels of the other configured sources
        self.fetch_cfg = fetch_cfg
        self.store = store
        self.report = report
        self.include = _words_pattern(source_cfg.include)
        self.exclude = _words_pattern(source_cfg.exclude)

    def known(self, keys: Sequence[tuple[str, str]]) -> Mapping[tuple[str, str], str]:
        found = fetchstate.failed_hashes(self.store, self.label, keys)
        found.update(self.store.known(keys))
        found.update(carriers.carried_hashes(self.store, self.label, keys))
        return found

    def sweep_state(self, sequence: str) -> str | None:
        return fetchstate.load_sweep(self.store, self.label, sequence)

    def take(self, result: Fetched | Failed | Checkpoint) -> None:
        if isinstance(result, Checkpoint):
            fetchstate.save_sweep(self.store, self.label, result.sequence, result.state.to_json())
        elif isinstance(result, Failed):
            self.failed(result)
        else:
            self.archive(result)

    def failed(self, result: Failed) -> None:
        record = fetchstate.record_failure(self.store, self.fetch_cfg, self.label, result.id, result.lang,
                                           result.item, result.item_hash, result.message, retry=result.retry)
        when = ("given up" if record.gave_up else
                "next try " + time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(record.next_try)))
        log.error("story %r (%s) failed (attempt %d, %s): %s", result.id, result.lang, record.attempts, when,
                  result.message)
        self.report.failed.append(result)

    def archive(self, result: Fetched) -> None:
        story, store = result.story, self.store
        reason = keep_story(story, self.include, self.exclude)
        with store.atomic():
            fetchstate.clear_failure(store, self.label, story.id, story.lang)
            asked = result.raw.get("lang")
            if isinstance(asked, str) and asked != story.lang:
                fetchstate.clear_failure(store, self.label, story.id, asked)
            if reason is not None:
                store.mark_seen(story.id, story.lang, result.item_hash, reason)
                self.report.filtered += 1
                return
            archived_by = carriers.owner(store, story.id, story.lang)
            # A story of another configured source stays that source's; one of a source no longer
            # configured (renamed, its URL changed) is taken over.
            target = (story.id, story.lang) if archived_by in self.others else None
            if archived_by is None:
                target = carriers.near_duplicate(store, story, self.others)
            if target is not None:  # another source's story: this one is listed on its post
                carriers.add_carrier(store, target, self.label, story, result.item_hash)
                self.report.carried += 1
                return
            status = store.upsert(story, result.raw, result.item_hash, self.label).status
            if status != "unchanged":
                carriers.remember(store, story)
            carriers.save_documents(store, result.documents)
            if isinstance(asked, str) and asked != story.lang:
                # The service answered another language than asked: remember the asked
                # (id, lang) too, or the next run would fetch it again.
                store.mark_seen(story.id, asked, result.item_hash, f"served-as:{story.lang}")
        setattr(self.report, status, getattr(self.report, status) + 1)


def _retry_due(source: Any, archiver: _Archiver) -> None:
    """Request again, by id, the failed stories of this source whose next try has come."""
    due = fetchstate.due_failures(archiver.store, archiver.label)
    if not due:
        return
    log.info("source %s: retrying %d failed stories", archiver.label, len(due))
    archiver.report.retried += len(due)
    for result in source.retry([(f.id, f.lang, f.item) for f in due]):
        archiver.take(result)


def fetch_source(source_cfg: SourceConfig, store: Store, report: FetchReport, *,
                 fetch_cfg: FetchConfig | None = None, client: httpx.Client | None = None,
                 on_item: Callable[[], None] | None = None, others: frozenset[str] = frozenset()) -> None:
    """Retry the due failed stories of one source, then sweep its lists; see the module docstring.
    ``others``: the labels of the other configured sources (whose stories this one only carries)."""
    fetch_cfg = fetch_cfg or FetchConfig()
    label = source_cfg.label
    deferral = fetchstate.deferred_until(store, label)
    if deferral is not None:
        when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(deferral[0]))
        log.warning("source %s: deferred until %s (it asked to wait: %s)", label, when, deferral[1])
        report.deferred.append(label)
        return
    fetchstate.source_attempted(store, label)
    archiver = _Archiver(source_cfg, fetch_cfg, store, report, others)
    with make_source(source_cfg, client) as source:
        try:
            _retry_due(source, archiver)
            for event in source.fetch(archiver.known, on_item, state=archiver.sweep_state):
                archiver.take(event)
            _retry_due(source, archiver)  # what failed in this run and is already due (retry_base = 0)
        except SourceDeferred as exc:
            until = min(exc.until, time.time() + fetch_cfg.max_defer)
            fetchstate.defer_source(store, label, until, str(exc))
            fetchstate.source_failed(store, label, str(exc))
            raise
        except NewsdeskError as exc:
            fetchstate.source_failed(store, label, str(exc))
            raise
        else:
            fetchstate.source_succeeded(store, label)
        finally:
            report.requests += source.requests_made


def fetch_all(config: Config, store: Store, *, client: httpx.Client | None = None,
              on_item: Callable[[], None] | None = None) -> FetchReport:
    """Pull new and changed stories from every configured source into ``store``."""
    report = FetchReport()
    labels = frozenset(source.label for source in config.sources)
    for source_cfg in config.sources:
        try:
            fetch_source(source_cfg, store, report, fetch_cfg=config.fetch, client=client, on_item=on_item,
                         others=labels)
        except NewsdeskError as exc:
            log.error("source %s: %s", source_cfg.label, exc)
            report.source_errors.append(exc)
    return report


def add_pages(config: Config, store: Store, urls: Sequence[str], *, client: httpx.Client | None = None) -> FetchReport:
    """``newsdesk add``: fetch, extract and archive single article pages (source label ``add``)."""
    from newsdesk.sources.feed import page_source

    report = FetchReport()
    source, items = page_source(urls, client=client)
    archiver = _Archiver(source.config, config.fetch, store, report,
                         frozenset(s.label for s in config.sources))
    with source:
        for result in source.pages(items):
            if isinstance(result, Failed):
                log.error("%s: %s", result.id, result.message)
                report.failed.append(result)
            else:
                archiver.archive(result)
        report.requests += source.requests_made
    return report
