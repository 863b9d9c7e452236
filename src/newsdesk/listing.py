"""What `newsdesk stories` prints: archived stories, or the failed ones, as lines or JSON Lines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone

from newsdesk.fetchstate import list_failures
from newsdesk.store import Store

__all__ = ["failed_lines", "story_lines"]


def story_lines(store: Store, *, symbol: str | None, lang: str | None, limit: int | None,
                as_json: bool) -> Iterator[str]:
    """Archived stories, newest first: one line (or JSON object) each."""
    for row in store.list_stories(symbol=symbol, lang=lang, limit=limit):
        if as_json:
            yield json.dumps({"id": row.id, "lang": row.lang, "published": row.published, "title": row.title,
                              "provider": row.provider, "symbols": store.symbols_of(row.id)}, ensure_ascii=False)
        else:
            when = datetime.fromtimestamp(row.published, timezone.utc).strftime("%Y-%m-%d %H:%M")
            title = " ".join(row.title.split())
            yield f"{when}  {row.lang:<5} {row.provider[:18]:<18} {title}  [{row.id}]"


def failed_lines(store: Store, *, lang: str | None, limit: int | None, as_json: bool) -> Iterator[str]:
    """Stories whose fetch failed (next try first), then those whose post could not be written."""
    records = [r for r in list_failures(store) if lang is None or r.lang == lang][:limit]
    for r in records:
        if as_json:
            yield json.dumps({"id": r.id, "lang": r.lang, "stage": "fetch", "source": r.source,
                              "attempts": r.attempts, "last_error": r.error, "first_failed": r.first_failed,
                              "last_failed": r.last_failed, "next_try": None if r.gave_up else r.next_try,
                              "gave_up": r.gave_up}, ensure_ascii=False)
        else:
            next_try = "given up" if r.gave_up else _utc(r.next_try)
            error = " ".join(r.error.split())[:160]
            yield f"{r.id}  {r.lang:<5} attempts {r.attempts}  next: {next_try}  last error: {error}"
    # stories archived but not published: retried by every publish
    rows = store.db.execute("SELECT id, lang, publish_error FROM stories WHERE publish_error IS NOT NULL "
                            "ORDER BY published DESC, id, lang").fetchall()
    for story_id, story_lang, error in [r for r in rows if lang is None or r[1] == lang][:limit]:
        if as_json:
            yield json.dumps({"id": story_id, "lang": story_lang, "stage": "publish", "last_error": error,
                              "next_try": "next publish"}, ensure_ascii=False)
        else:
            yield (f"{story_id}  {story_lang:<5} publish failed  next: next publish  last error: "
                   f"{' '.join(error.split())[:160]}")


def _utc(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
