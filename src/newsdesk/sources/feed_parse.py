"""RSS 0.9x/1.0/2.0 and Atom bytes -> plain :class:`Feed` / :class:`Entry` values, with feedparser.

feedparser does the parsing (formats, declared and HTTP encodings, BOMs, dates in every zone,
``xml:base``); this module decides what it lets through and flattens its dictionaries into frozen
dataclasses the feed source maps to stories. feedparser runs with ``sanitize_html=False`` (the
HTML is sanitised once, downstream, when it becomes a body tree) and with relative-URI resolution on.

Rules (each one is tested in tests/test_feed_parse.py):

* **Broken or not a feed** -> :class:`FeedError` naming the URL and what is wrong: an empty body;
  an HTML page (sniffed from the first bytes: ``<!doctype html`` / ``<html``); JSON; no RSS/Atom root
  element; XML that is not well-formed, unless feedparser's lenient parser recovered at least one
  entry *and* the document ends with its root's closing tag (``</rss>``, ``</feed>``, ``</rdf:RDF>``)
  -- that keeps whole feeds with HTML entities or bare ``&`` (common, harmless) and refuses
  truncated or garbled ones, whose last entries would be cut. Encoding complaints (declared charset
  overridden, no content type) are not errors when the document parsed.
* **Base of relative links**: ``xml:base`` where given (feedparser), else for RSS the channel's
  ``<link>`` (an RSS item's relative link points into the site, not the feed host), else ``url``.
* **guid**: the entry's id/guid (feedparser resolves a permalink guid like a link), else the
  canonical link, else ``sha1:`` of title and date. A guid repeated inside one feed keeps its first
  entry. Entries with no title, link, summary or content are dropped.
* **published**: the published date, else the updated one (``dc:date``), in epoch seconds UTC with
  the written zone applied; a date without a zone counts as UTC; an unreadable or missing date: None.
* **excerpt_only**: True when there is no content (``content:encoded`` / Atom ``content``), or the
  content is a teaser: its plain text is at most :data:`TEASER_MAX_CHARS` characters and either ends
  with an ellipsis / "[…]" / a "Read more"-style link (:data:`TEASER_END`) or equals the summary's
  text. A short content that says something of its own (a two-line trading update) is content.
* **images**: image enclosures (``type="image/*"``, or no type and an image file extension),
  ``media:content`` of medium/type image, ``media:thumbnail``; absolute, canonical, in feed order.
* **lang**: the entry's ``xml:lang`` (inherited), else the feed's ``<language>``/``dc:language``,
  as a BCP 47 tag (``en-us`` -> ``en-US``); None if absent or malformed.
* Text fields (title, author, categories) are plain text: tags removed, entities decoded, whitespace
  collapsed. ``summary_html``/``content_html`` are HTML as the feed gave it (plain-text parts escaped).
"""

from __future__ import annotations

import calendar
import email.utils
import hashlib
import html
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.sax import SAXParseException

import feedparser  # type: ignore[import-untyped]

from newsdesk.sources.urls import canonical_url, is_http_url

__all__ = ["TEASER_END", "TEASER_MAX_CHARS", "Entry", "Feed", "FeedError", "parse_feed"]

#: Longest plain-text content still judged a teaser when it ends like one or repeats the summary.
TEASER_MAX_CHARS = 1000
#: How a teaser ends: an ellipsis, "[…]", or a read-more link text (trailing punctuation ignored).
TEASER_END = re.compile(
    r"(?:\.\.\.|…|\[(?:…|\.\.\.)\]|read more|continue reading|weiterlesen|lire la suite|leer más|leggi tutto)"
    r"[\s\W]*$", re.IGNORECASE)

_TAG = re.compile(r"<[A-Za-z/!?][^>]*>")
_SPACE = re.compile(r"\s+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_IMAGE_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)(?:$|\?)", re.IGNORECASE)
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])",
                         re.IGNORECASE | re.DOTALL)
_ROOT_END = re.compile(rb"</(?:[\w.-]+:)?(?:rss|feed|rdf)\s*>\s*$", re.IGNORECASE)
_RSS_HEAD_END = re.compile(rb"<(?:item|image|textinput|entry)[\s>/]", re.IGNORECASE)
_CHANNEL_LINK = re.compile(rb"<channel[\s>].*?<link>\s*([^<\s]+)\s*</link>", re.IGNORECASE | re.DOTALL)
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


class FeedError(Exception):
    """A document that is no usable feed; the message names the URL and what is wrong."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason = url, reason


@dataclass(frozen=True)
class Entry:
    """One feed entry, flattened (see the module docstring for each field's rule)."""

    guid: str
    link: str
    title: str
    published: int | None
    summary_html: str
    content_html: str
    excerpt_only: bool
    categories: tuple[str, ...]
    author: str
    images: tuple[str, ...]
    lang: str | None


@dataclass(frozen=True)
class Feed:
    title: str
    link: str
    lang: str | None
    entries: tuple[Entry, ...]


def parse_feed(data: bytes, url: str, *, content_type: str | None = None) -> Feed:
    """Parse feed bytes fetched from ``url`` (``content_type``: the HTTP header, for its charset).

    Raises :class:`FeedError` for a document that is not a usable feed (module docstring).
    """
    if not data.strip():
        raise FeedError(url, "empty document: the server sent no feed")
    head = data[:1024].lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(head):
        raise FeedError(url, "not a feed (HTML page): point the source at the site's RSS or Atom feed URL")
    if head.lstrip().startswith((b"{", b"[")):
        raise FeedError(url, "not a feed (JSON): only RSS and Atom feeds are supported")
    base = _base_for(data, url)
    headers = {"content-location": base}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=False,
                                  resolve_relative_uris=True)
    except Exception as error:  # hostile bytes crash feedparser in places (a NUL in the encoding
        # declaration: ValueError; an undecodable one: UnicodeDecodeError): one source's error, not a crash
        raise FeedError(url, f"unreadable document ({type(error).__name__}: {error})") from error
    _check(parsed, data, url, content_type)
    feed_info = parsed.feed
    feed_lang = _lang(feed_info.get("language"))
    entries: list[Entry] = []
    seen: set[str] = set()
    for raw in parsed.entries:
        entry = _entry(raw, base, feed_lang)
        if entry is not None and entry.guid not in seen:
            seen.add(entry.guid)
            entries.append(entry)
    link = feed_info.get("link") or ""
    return Feed(title=_text(feed_info.get("title")), link=canonical_url(link) if is_http_url(link) else "",
                lang=feed_lang, entries=tuple(entries))


def _base_for(data: bytes, url: str) -> str:
    """``url``, or for RSS the channel's ``<link>`` (resolved against ``url``) when it is http(s)."""
    end = _RSS_HEAD_END.search(data, 0, 65536)
    match = _CHANNEL_LINK.search(data, 0, end.start() if end else 65536)
    if match is None:
        return url
    link = canonical_url(html.unescape(match.group(1).decode("latin-1")), url)
    return link if is_http_url(link) else url


def _check(parsed: Any, data: bytes, url: str, content_type: str | None) -> None:
    if not parsed.get("version"):
        if content_type and content_type.split(";")[0].strip().lower() == "text/html":
            raise FeedError(url, "not a feed (HTML page): point the source at the site's RSS or Atom feed URL")
        raise FeedError(url, "not a feed: no RSS or Atom root element (<rss>, <rdf:RDF> or <feed>)")
    error = parsed.get("bozo_exception")
    if isinstance(error, SAXParseException):
        whole = _ROOT_END.search(data[-256:].rstrip(b"\x00")) is not None
        if not parsed.entries or not whole:
            what = error.getMessage()
            raise FeedError(url, f"broken XML at line {error.getLineNumber()}, column {error.getColumnNumber()}: "
                                 f"{what}{'' if whole else ' (the document is cut off or garbled)'}")


def _entry(raw: Mapping[str, Any], base: str, feed_lang: str | None) -> Entry | None:
    link_raw = raw.get("link") or ""
    link = canonical_url(link_raw) if is_http_url(link_raw) else ""
    title = _text(raw.get("title"))
    summary = _html_of(raw.get("summary_detail"))  # no detail: feedparser copied the content, no summary
    content = _content(raw.get("content"))
    if not (title or link or summary or content):
        return None
    published = _epoch(raw)
    guid = str(raw.get("id") or "").strip() or link
    if not guid:
        guid = "sha1:" + hashlib.sha1(f"{title}\0{published}".encode()).hexdigest()
    return Entry(guid=guid, link=link, title=title, published=published, summary_html=summary,
                 content_html=content, excerpt_only=_excerpt_only(summary, content),
                 categories=_categories(raw.get("tags")), author=_author(raw.get("author")),
                 images=_images(raw, _entry_base(raw, base)), lang=_entry_lang(raw) or feed_lang)


def _text(value: object) -> str:
    """Plain text: tags removed, entities decoded, whitespace collapsed."""
    if not isinstance(value, str):
        return ""
    if "<" in value:
        value = _TAG.sub(" ", value)
    if "&" in value:
        value = html.unescape(value)
    return _SPACE.sub(" ", value).strip()


def _escape(value: object) -> str:
    return html.escape(value) if isinstance(value, str) and value.strip() else ""


def _html_of(detail: Mapping[str, Any] | None) -> str:
    if not detail:
        return ""
    value = detail.get("value") or ""
    return value if detail.get("type") in _HTML_TYPES else _escape(value)


def _content(contents: list[Mapping[str, Any]] | None) -> str:
    if not contents:
        return ""
    chosen = next((c for c in contents if c.get("type") in _HTML_TYPES and (c.get("value") or "").strip()),
                  contents[0])
    return _html_of(chosen).strip()


def _excerpt_only(summary: str, content: str) -> bool:
    if not content:
        return True
    text = _text(content)
    if len(text) > TEASER_MAX_CHARS:
        return False
    return bool(TEASER_END.search(text)) or _loose(text) == _loose(_text(summary))


def _loose(text: str) -> str:
    return text.translate(_QUOTES).casefold()


def _epoch(raw: Mapping[str, Any]) -> int | None:
    for key in ("published", "updated", "created"):  # dict.get: feedparser's own get() maps them to each other
        parsed = dict.get(raw, f"{key}_parsed")  # type: ignore[call-overload]
        if parsed:
            return calendar.timegm(parsed)
        value = dict.get(raw, key)  # type: ignore[call-overload]
        if isinstance(value, str) and value.strip():
            seconds = _parse_date(value.strip())
            if seconds is not None:
                return seconds
    return None


def _parse_date(value: str) -> int | None:
    """Dates feedparser leaves unparsed: RFC 822 or ISO 8601 without a zone (taken as UTC)."""
    parts = email.utils.parsedate_tz(value)
    if parts is not None:
        return calendar.timegm(parts[:9]) - (parts[9] or 0)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return int((moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp())


def _categories(tags: list[Mapping[str, Any]] | None) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for tag in tags or ():
        term = _text(tag.get("term") or tag.get("label"))
        if term:
            found.setdefault(term)
    return tuple(found)


def _author(value: object) -> str:
    """``Name``, ``Name (email)``, ``email (Name)`` or ``Name <email>`` -> the name; a bare email -> ""."""
    text = _text(value)
    if "@" in text:
        text = _EMAIL.sub("", text).replace("()", "").replace("<>", "").strip()
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1].strip()
    return _SPACE.sub(" ", text)


def _entry_base(raw: Mapping[str, Any], base: str) -> str:
    """The base URI in effect inside the entry (its ``xml:base``, as feedparser tracked it)."""
    for key in ("content", "summary_detail", "title_detail"):
        detail = raw.get(key)
        if isinstance(detail, list):
            detail = detail[0] if detail else None
        if detail and is_http_url(detail.get("base") or ""):
            return str(detail["base"])
    return base


def _images(raw: Mapping[str, Any], base: str) -> tuple[str, ...]:
    found: dict[str, None] = {}
    candidates: list[tuple[str, str, str]] = []  # (url, type, medium)
    for enclosure in raw.get("enclosures") or ():
        candidates.append((enclosure.get("href") or "", enclosure.get("type") or "", ""))
    for media in raw.get("media_content") or ():
        candidates.append((media.get("url") or "", media.get("type") or "", media.get("medium") or ""))
    for thumb in raw.get("media_thumbnail") or ():
        candidates.append((thumb.get("url") or "", "", "image"))
    for address, kind, medium in candidates:
        is_image = medium == "image" or kind.startswith("image/") or (
            not kind and not medium and _IMAGE_EXT.search(address) is not None)
        address = canonical_url(address, base) if address.strip() else ""
        if is_image and is_http_url(address):
            found.setdefault(address)
    return tuple(found)


def _entry_lang(raw: Mapping[str, Any]) -> str | None:
    for key in ("content", "summary_detail", "title_detail"):
        detail = raw.get(key)
        if isinstance(detail, list):
            detail = detail[0] if detail else None
        if detail and detail.get("language"):
            return _lang(detail.get("language"))
    return None


def _lang(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    tag = value.strip().replace("_", "-")
    if not _LANG.match(tag):
        return None
    first, *rest = tag.split("-")
    return "-".join([first.lower(), *(part.upper() if len(part) == 2 else part for part in rest)])

