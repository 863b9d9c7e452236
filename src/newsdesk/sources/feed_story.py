"""Feed entries -> archived records -> :class:`~newsdesk.model.Story`, for :mod:`newsdesk.sources.feed`.

A record (``source_type = "feed"``) holds everything the story needs, already extracted: the
entry's fields, the feed's, what the article page gave (title, date, author, canonical URL,
language, kind), the body tree, the summary text and the tickers found in the text. Reading it
back (:func:`story_of`, every publish) is plain field mapping: no HTML is parsed again.

Mapping: title = the entry's, else the page's; date = the entry's, else the page's, else the
fetch time; categories = the source's name (``name``, else the feed's title); tags = that name,
the entry's categories, then (added by the renderer) the tickers; symbols = the tickers found in
title and text (:func:`newsdesk.tickers.find_symbols`); url = the page's canonical URL, else the
entry's link; the renderer's last line links it.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any
from urllib.parse import urlsplit

from newsdesk.errors import StoryError
from newsdesk.http import Page
from newsdesk.model import Story, plain_text
from newsdesk.sources.base import Document

__all__ = ["build_record", "entry_hash", "entry_record", "item_language", "story_of"]

RECORD_VERSION = 1
_LATEST = 253_402_300_799  # the end of year 9999: dates a calendar can show
_EMPTY_TREE: dict[str, Any] = {"type": "root", "children": []}
#: What the closing note says when the page could not be used (shown in the post, in italics).
_NOTES = {
    "consent": "The article page showed a cookie-consent notice instead of the article; this post shows the "
               "feed's text.",
    "paywall": "The article page is behind a paywall; this post shows the feed's text.",
    "error": "The article page showed an error instead of the article; this post shows the feed's text.",
    "empty": "The article page held no readable text; this post shows the feed's text.",
}


def entry_record(entry: Any) -> dict[str, Any]:
    """A parsed entry as plain JSON data."""
    record = asdict(entry)
    for key, value in record.items():
        if isinstance(value, tuple):
            record[key] = list(value)
    return record


def entry_hash(record: Mapping[str, Any]) -> str:
    """A stable hash of what an entry says (so a changed entry is read again)."""
    text = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def item_language(configured: Sequence[str], record: Mapping[str, Any], feed: Mapping[str, Any]) -> str:
    """The configured language (the first), else the entry's or feed's, else detected from its words."""
    from newsdesk.sources.feed import detect_language

    if configured:
        return configured[0]
    for value in (record.get("lang"), feed.get("lang")):
        if isinstance(value, str) and value:
            return value.split("-")[0].lower() if "-" in value and len(value.split("-")[0]) == 2 else value
    sample = f"{record.get('title') or ''} {record.get('summary_html') or ''} {record.get('content_html') or ''}"
    return detect_language(_text_of_html(sample[:20_000]))


def _text_of_html(html: str) -> str:
    import re

    return re.sub(r"<[^>]*>", " ", html)


def build_record(item: Mapping[str, Any], page: Page | None, problem: str) -> tuple[dict[str, Any], tuple[Document, ...]]:
    """The archived record of one entry (and the page kept with it), extracting the page when given."""
    from newsdesk.sources.html_tree import html_to_tree
    from newsdesk.tickers import find_symbols

    entry, feed = item["entry"], item["feed"]
    base = entry.get("link") or feed.get("link") or feed.get("url") or ""
    article: dict[str, Any] | None = None
    documents: tuple[Document, ...] = ()
    tree: dict[str, Any] | None = None
    note = ""
    if page is not None:
        from newsdesk.sources.article import extract

        found = extract(page.body, page.url, content_type=page.content_type or None)
        article = {"url": found.url, "title": found.title, "published": found.published, "author": found.author,
                   "lang": found.lang, "kind": found.kind, "images": list(found.images)}
        documents = (Document(page.url, page.content_type, page.body),)
        if found.kind == "article" and found.text.strip():
            tree = found.tree
        else:
            note = _NOTES.get(found.kind, _NOTES["error"])
    elif problem:
        note = f"The full article could not be read ({problem}); this post shows the feed's text."
    if tree is None:
        tree = html_to_tree(entry.get("content_html") or entry.get("summary_html") or "", base)
    summary = plain_text(html_to_tree(entry.get("summary_html") or "", base)) if entry.get("summary_html") else ""
    title = entry.get("title") or (article or {}).get("title") or ""
    words = f"{title}\n{plain_text(tree)}"
    lang = item["lang"] or _page_language(article, words)
    raw = {
        "source_type": "feed", "v": RECORD_VERSION, "id": item["id"], "lang": lang,
        "feed": dict(feed), "entry": dict(entry), "article": article, "tree": tree, "digest": summary,
        "note": note, "symbols": list(find_symbols(words)), "fetched_at": int(time.time()),
    }
    return raw, documents


def _page_language(article: Mapping[str, Any] | None, words: str) -> str:
    """A single page's language (``newsdesk add``): the page's own, else detected from its words."""
    from newsdesk.sources.feed import detect_language

    declared = (article or {}).get("lang")
    if isinstance(declared, str) and declared:
        return declared.split("-")[0].lower()
    return detect_language(words)


def story_of(raw: Mapping[str, Any]) -> Story:
    """An archived feed record read back into its Story."""
    sid = raw.get("id")
    if not isinstance(sid, str) or not sid:
        raise StoryError("<no id>", "archived feed record has no id")
    entry = raw.get("entry") if isinstance(raw.get("entry"), Mapping) else {}
    feed = raw.get("feed") if isinstance(raw.get("feed"), Mapping) else {}
    article = raw.get("article") if isinstance(raw.get("article"), Mapping) else {}
    title = _str(entry.get("title")) or _str(article.get("title"))
    if not title.strip():
        raise StoryError(sid, "the entry has no title")
    published = next((value for value in (entry.get("published"), article.get("published"), raw.get("fetched_at"))
                      if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _LATEST), None)
    if published is None:
        raise StoryError(sid, "the entry has no usable date and no fetch time")
    name = _str(feed.get("name")) or _str(feed.get("title")) or "Feed"
    url = (_str(article.get("url")) if article.get("kind") == "article" else "") or _str(entry.get("link")) \
        or _str(feed.get("link"))
    tree = raw.get("tree") if isinstance(raw.get("tree"), dict) else None
    note = _str(raw.get("note"))
    if note:
        tree = {"type": "root", "children": [*(tree or _EMPTY_TREE).get("children", []),
                                             {"type": "p", "children": [{"type": "i", "children": [note]}]}]}
    parts = urlsplit(url) if url.startswith(("http://", "https://")) else None
    site = f"{parts.scheme}://{parts.netloc}" if parts and parts.netloc else ""
    tags = [name, *(c for c in entry.get("categories") or [] if isinstance(c, str))]
    symbols = tuple(s for s in raw.get("symbols") or [] if isinstance(s, str))
    extra: dict[str, Any] = {"feed": _str(feed.get("url"))}
    author = _str(entry.get("author")) or _str(article.get("author"))
    if author:
        extra["author"] = author
    return Story(
        id=sid, lang=_str(raw.get("lang")) or "en", title=" ".join(title.split()), published=published,
        provider_id=(urlsplit(_str(feed.get("url"))).hostname or "feed"), provider_name=name, url=url,
        symbols=symbols, tags=tuple(dict.fromkeys(t.strip() for t in tags if t.strip())), tree=tree,
        digest=_str(raw.get("digest")), site_url=site, extra=extra,
    )


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""
