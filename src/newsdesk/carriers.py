"""One story, many sources: the other sources that carried an archived story, and its pages.

A story is archived once, by the first source that delivered it. When another source delivers
the same story -- the same id (two feeds listing one article URL) or a near-duplicate
(:mod:`newsdesk.dedup`: a press release syndicated by a feed and by TradingView) -- it is not
archived again: it becomes a *carrier* of the first one (its source, name, link and item hash, so
it is not fetched again while unchanged) and the first story's post lists it. Near-duplicates are
looked for only across sources: a source's own updates and series are its own business.

The pages stories were read from (an article's HTML) are kept in ``documents``, compressed.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Collection, Iterable, Mapping, Sequence

from newsdesk import dedup
from newsdesk.model import Story
from newsdesk.sources.base import Document
from newsdesk.store import Store

__all__ = ["add_carrier", "carried_hashes", "carriers_of", "document", "near_duplicate", "owner", "remember",
           "save_documents"]


def owner(store: Store, story_id: str, lang: str) -> str | None:
    """The source that archived (id, lang), or None when it is not archived."""
    row = store.db.execute("SELECT source FROM stories WHERE id = ? AND lang = ?", (story_id, lang)).fetchone()
    return str(row[0]) if row else None


def carried_hashes(store: Store, source: str, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Item hashes of the (id, lang) pairs that ``source`` delivered as a carrier of another story."""
    found: dict[tuple[str, str], str] = {}
    for start in range(0, len(keys), 400):
        chunk = keys[start:start + 400]
        marks = ",".join("(?, ?)" for _ in chunk)
        flat = [v for key in chunk for v in key]
        sql = f"SELECT other_id, lang, item_hash FROM carriers WHERE source = ? AND (other_id, lang) IN (VALUES {marks})"
        for other_id, lang, item_hash in store.db.execute(sql, [source, *flat]):
            found[(other_id, lang)] = item_hash
    return found


def add_carrier(store: Store, target: tuple[str, str], source: str, story: Story, item_hash: str) -> None:
    """Record that ``source`` carried ``target`` (as ``story``); its post is written again to list it."""
    story_id, lang = target
    store.db.execute(
        "INSERT INTO carriers (source, other_id, lang, item_hash, id, name, url) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (source, other_id, lang) DO UPDATE SET item_hash = excluded.item_hash, id = excluded.id, "
        "name = excluded.name, url = excluded.url",
        (source, story.id, story.lang, item_hash, story_id, story.provider_name or source, story.url))
    store.mark_dirty([(story_id, lang)])


def carriers_of(store: Store, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(name, url) of every other source that carried each story, by name."""
    wanted = list(dict.fromkeys(keys))
    found: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for start in range(0, len(wanted), 400):
        chunk = wanted[start:start + 400]
        marks = ",".join("(?, ?)" for _ in chunk)
        flat = [v for key in chunk for v in key]
        sql = f"SELECT id, lang, name, url FROM carriers WHERE (id, lang) IN (VALUES {marks}) ORDER BY name, url"
        for story_id, lang, name, url in store.db.execute(sql, flat):
            pairs = found.setdefault((story_id, lang), [])
            if (name, url) not in pairs:
                pairs.append((name, url))
    return found


def near_duplicate(store: Store, story: Story, others: Collection[str]) -> tuple[str, str] | None:
    """The (id, lang) of a story archived by one of the ``others`` sources that ``story``
    near-duplicates, or None."""
    if not others:
        return None
    fp = dedup.fingerprint_story(story)
    if fp is None:
        return None
    other = dedup.find_duplicate(store.db, story.lang, story.published, fp, exclude_id=story.id)
    if other is None:
        return None
    return (other, story.lang) if owner(store, other, story.lang) in others else None


def remember(store: Store, story: Story) -> None:
    """Index an archived story's fingerprint, so later copies from other sources find it."""
    fp = dedup.fingerprint_story(story)
    if fp is None:
        dedup.forget(store.db, story.id, story.lang)
    else:
        dedup.remember(store.db, story.id, story.lang, story.published, fp)


def save_documents(store: Store, documents: Iterable[Document]) -> None:
    """Keep fetched pages (compressed), replacing an older copy of the same URL."""
    now = int(time.time())
    store.db.executemany(
        "INSERT INTO documents (url, fetched_at, content_type, body) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (url) DO UPDATE SET fetched_at = excluded.fetched_at, "
        "content_type = excluded.content_type, body = excluded.body",
        [(d.url, now, d.content_type, zlib.compress(d.body, 6)) for d in documents])


def document(store: Store, url: str) -> Mapping[str, object] | None:
    """A kept page: its content type, fetch time and bytes; None when not kept."""
    row = store.db.execute("SELECT content_type, fetched_at, body FROM documents WHERE url = ?", (url,)).fetchone()
    if row is None:
        return None
    return {"content_type": row[0], "fetched_at": row[1], "body": zlib.decompress(row[2])}
