"""Run every configured source into the archive.

Per item: drop it when the include/exclude words say so (remembered, so it is not fetched
again), else archive it. One bad story is logged with its id and skipped; a source that cannot
be read, or whose filters the service rejects, is reported and the other sources still run.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from newsdesk.config import Config, SourceConfig
from newsdesk.errors import ConfigError, NewsdeskError
from newsdesk.model import Story, plain_text
from newsdesk.sources.tradingview import Failed, TradingViewSource
from newsdesk.store import Store

log = logging.getLogger("newsdesk.fetch")


@dataclass
class FetchReport:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    filtered: int = 0
    requests: int = 0
    failed: list[Failed] = field(default_factory=list)
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


def fetch_source(source_cfg: SourceConfig, store: Store, report: FetchReport, *,
                 client: httpx.Client | None = None, on_item: Callable[[], None] | None = None) -> None:
    include, exclude = _words_pattern(source_cfg.include), _words_pattern(source_cfg.exclude)
    with TradingViewSource(source_cfg, client) as source:
        try:
            for result in source.fetch(store.known, on_item):
                if isinstance(result, Failed):
                    log.error("story %r (%s) skipped: %s", result.id, result.lang, result.message)
                    report.failed.append(result)
                    continue
                story = result.story
                reason = keep_story(story, include, exclude)
                if reason is not None:
                    store.mark_seen(story.id, story.lang, result.item_hash, reason)
                    report.filtered += 1
                    continue
                status = store.upsert(story, result.raw, result.item_hash, source_cfg.label).status
                asked = result.raw.get("lang")
                if isinstance(asked, str) and asked != story.lang:
                    # The service answered another language than asked: remember the asked
                    # (id, lang) too, or the next run would fetch it again.
                    store.mark_seen(story.id, asked, result.item_hash, f"served-as:{story.lang}")
                setattr(report, status, getattr(report, status) + 1)
        finally:
            report.requests += source.requests_made


def fetch_all(config: Config, store: Store, *, client: httpx.Client | None = None,
              on_item: Callable[[], None] | None = None) -> FetchReport:
    """Pull new and changed stories from every configured source into ``store``."""
    report = FetchReport()
    for source_cfg in config.sources:
        try:
            fetch_source(source_cfg, store, report, client=client, on_item=on_item)
        except NewsdeskError as exc:
            log.error("source %s: %s", source_cfg.label, exc)
            report.source_errors.append(exc)
    return report
