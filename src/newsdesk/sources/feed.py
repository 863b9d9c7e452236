"""The feed source: an RSS/Atom feed and, where it carries only excerpts, the article pages.

``[[sources]] type = "feed"``, ``url = "..."``. One run: a conditional GET of the feed (the ETag
and Last-Modified of its last completed read are the source's saved state, so an unchanged feed
costs one 304 and nothing else); each entry newer than ``max_age_days`` whose (id, language) is
not archived with the same entry hash becomes a story. With ``full_text = "auto"`` (the default)
the article page is fetched when the entry carries only an excerpt (``"always"``: every entry;
``"never"``: none) and its main text extracted (:mod:`newsdesk.sources.article`). A page that is a
cookie-consent wall, a paywall teaser or an error page is not published as the article: the
entry's own content is, with a closing note saying so. A page that cannot be fetched for a
transient reason (timeout, 5xx, 429) records the story as failed, retried later by id.

Story ids are derived from the entry's canonical URL (tracking parameters removed), else from the
feed URL and the entry's id, so the same article listed by two feeds is one story. The language
is the configured one when one is given, else the entry's or the feed's, else detected from the
words (:func:`detect_language`). The archived raw record holds the entry and what was extracted
(never re-parsed at publish); the page HTML goes to the archive's documents table.

Page requests are polite: at most :data:`PER_HOST` at a time per host, and a host that asks to
wait (429/503 with Retry-After) gets no more requests in this run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import httpx

from newsdesk.config import SourceConfig, check_http_url
from newsdesk.errors import ConfigError, FetchError, SourceDeferred, StoryError
from newsdesk.http import ApiError, Deferred, HttpError, Page, ResponseTooLarge, get_bytes, make_client
from newsdesk.model import Story
from newsdesk.sources.base import Failed, Fetched, KnownLookup, Result, Retry, StateLookup
from newsdesk.sources.sweep import Checkpoint

__all__ = ["CONFIG", "FeedConfig", "FeedSource", "detect_language", "make", "story_from_json", "story_from_raw"]

log = logging.getLogger("newsdesk.sources")

TYPE = "feed"
#: Page requests at a time per host.
PER_HOST = 2
#: Entries read from one feed document (a feed of thousands of entries is cut here, newest first).
MAX_ENTRIES = 500
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, " \
              "text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_SEQUENCE = "feed"
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3}")


@dataclass(frozen=True)
class FeedConfig(SourceConfig):
    """``[[sources]] type = "feed"``."""

    type: str = TYPE
    url: str = ""
    full_text: str = "auto"  # "auto" (page when the entry is an excerpt), "always", "never"
    languages: tuple[str, ...] = ()  # () = the entry's or feed's language, else detected
    max_age_days: float = 0.0  # entries older than this are skipped; 0 = no limit

    def check(self, key: str) -> None:
        if not self.url:
            raise ConfigError(f'{key}.url: a feed source needs the feed\'s URL, e.g. url = "https://example.com/feed.xml"')
        check_http_url(f"{key}.url", self.url)
        if self.full_text not in ("auto", "always", "never"):
            raise ConfigError(f'{key}.full_text: {self.full_text!r} is not one of "auto", "always", "never"')
        if self.max_age_days < 0:
            raise ConfigError(f"{key}.max_age_days: must be 0 (no limit) or more, got {self.max_age_days:g}")
        for lang in self.languages:
            if _LANGUAGE.fullmatch(lang) is None:
                raise ConfigError(f'{key}.languages: {lang!r} is not a language code such as "en" or "pt-BR"')

    @property
    def where(self) -> str:
        return self.url

    @property
    def image_prefixes(self) -> tuple[str, ...]:
        return ("https://", "http://")  # articles' images live on any host ([images] hosts narrows it)


CONFIG = FeedConfig


@dataclass
class FeedState:
    """What the last completed read of the feed answered (for the next conditional GET)."""

    etag: str = ""
    last_modified: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | None) -> FeedState:
        try:
            data = json.loads(text) if text else {}
            return cls(str(data.get("etag") or ""), str(data.get("last_modified") or ""))
        except (ValueError, AttributeError):
            return cls()


def make(config: SourceConfig, client: httpx.Client | None = None) -> FeedSource:
    if not isinstance(config, FeedConfig):
        raise ConfigError(f"{config.label}: not a feed source config")
    return FeedSource(config, client)


def story_id(link: str, feed_url: str, guid: str) -> str:
    """A story's id: from the canonical article URL, else from the feed and the entry's id."""
    basis = link or f"{feed_url}\n{guid}"
    host = (urlsplit(link).hostname or "") if link else (urlsplit(feed_url).hostname or "")
    digest = hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return f"{host or 'feed'}:{digest}"


# --- language ---------------------------------------------------------------------------------

#: A few of each language's commonest words (written for this module): enough to tell news apart.
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to in is for on that with as by from at its said has are was will".split()),
    "de": frozenset("der die das und ist nicht mit von den dem für auf ein eine sich im zu des auch wird".split()),
    "es": frozenset("el la los las de que y en por con para una del al se es su más como ha".split()),
    "fr": frozenset("le la les des et en du une est pour dans que qui au sur par avec pas ses".split()),
    "it": frozenset("il la di che e per con del della una sono gli nel alla anche più dei è".split()),
    "pt": frozenset("o a os as de que e do da em um uma para com não no na por mais dos".split()),
}
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str, default: str = "en") -> str:
    """The language whose common words occur most in ``text`` (first 2,000 words); ``default``
    when none stands out. Hand-written: six word lists, no model to download."""
    counts = dict.fromkeys(_STOPWORDS, 0)
    for number, match in enumerate(_WORD.finditer(text[:20_000].lower())):
        if number >= 2000:
            break
        word = match.group(0)
        for lang, words in _STOPWORDS.items():
            if word in words:
                counts[lang] += 1
    best = max(counts, key=lambda lang: counts[lang])
    ranked = sorted(counts.values(), reverse=True)
    return best if ranked[0] >= 2 and ranked[0] > ranked[1] else default


# --- the source ---------------------------------------------------------------------------------

class FeedSource:
    """One feed during one run (see the module docstring)."""

    def __init__(self, config: FeedConfig, client: httpx.Client | None = None) -> None:
        self.config = config
        self._own_client = client is None
        self.client = client if client is not None else make_client(
            timeout=config.timeout, max_connections=max(config.concurrency, 1))
        self.requests_made = 0
        self._lock = threading.Lock()
        self._hosts: dict[str, threading.Semaphore] = {}
        self._waiting: dict[str, float] = {}  # host -> until (it asked to wait)

    # -- public -------------------------------------------------------------------------------

    def fetch(self, known: KnownLookup, on_item: Callable[[], None] | None = None,
              state: StateLookup | None = None) -> Iterator[Result | Checkpoint]:
        """Read the feed (conditionally); yield a result per new or changed entry, then a Checkpoint."""
        from newsdesk.sources.feed_parse import FeedError, parse_feed

        tick = on_item or (lambda: None)
        saved = FeedState.from_json(state(_SEQUENCE) if state is not None else None)
        answer = self._get(self.config.url, accept=FEED_ACCEPT, etag=saved.etag, last_modified=saved.last_modified)
        if answer.not_modified:
            return
        try:
            feed = parse_feed(answer.body, answer.url, content_type=answer.content_type)
        except FeedError as exc:
            raise FetchError(f"{self.config.label}: {exc}") from None
        meta = {"url": self.config.url, "title": feed.title, "link": feed.link, "lang": feed.lang,
                "name": self.config.name or feed.title or (urlsplit(self.config.url).hostname or "feed")}
        items = [self._item(entry, meta) for entry in feed.entries[:MAX_ENTRIES]]
        items = [item for item in items if item is not None]
        keys = [(item["id"], item["lang"]) for item in items]
        archived = known(keys) if keys else {}
        todo = []
        for item in items:
            if archived.get((item["id"], item["lang"])) == item["hash"]:
                tick()
            else:
                todo.append(item)
        for result in self._build_all(todo):
            tick()
            yield result
        yield Checkpoint(_SEQUENCE, FeedState(answer.etag, answer.last_modified))  # type: ignore[arg-type]

    def retry(self, failed: Sequence[Retry]) -> Iterator[Result]:
        """Build failed entries again from their saved item (their page is requested again)."""
        from newsdesk.sources.feed_story import entry_hash

        items = []
        for sid, lang, item in failed:
            entry = item.get("entry") if isinstance(item, Mapping) else None
            if isinstance(entry, Mapping) and isinstance(item.get("feed"), Mapping):
                items.append({"entry": dict(entry), "feed": dict(item["feed"]), "id": sid, "lang": lang,
                              "hash": entry_hash(entry)})
            else:
                yield Failed(sid, lang, "the failed entry's record is unreadable; it is listed again when the "
                             "feed changes", None, "", retry=False)
        yield from self._build_all(items)

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self) -> FeedSource:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- entries ------------------------------------------------------------------------------

    def _item(self, entry: Any, meta: dict[str, Any]) -> dict[str, Any] | None:
        """The list item of one entry: its fields, the feed's, id, language and hash; None when too old."""
        from newsdesk.sources.feed_story import entry_hash, entry_record, item_language

        limit = self.config.max_age_days
        if limit and entry.published is not None and entry.published < time.time() - limit * 86400:
            return None
        record = entry_record(entry)
        lang = item_language(self.config.languages, record, meta)
        return {"id": story_id(entry.link, self.config.url, entry.guid), "lang": lang, "entry": record,
                "feed": meta, "hash": entry_hash(record)}

    def pages(self, items: list[dict[str, Any]]) -> Iterator[Result]:
        """Build the stories of single article pages (``newsdesk add``; see :func:`page_source`)."""
        yield from self._build_all(items)

    def _build_all(self, items: list[dict[str, Any]]) -> Iterator[Result]:
        if not items:
            return
        workers = max(1, min(self.config.concurrency, len(items)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="newsdesk-page") as pool:
            try:
                yield from pool.map(self._build, items)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)

    def _build(self, item: dict[str, Any]) -> Result:
        """One entry's story (worker thread): its page when wanted, else the entry's own content."""
        from newsdesk.sources.feed_story import build_record

        sid, lang, entry = item["id"], item["lang"] or "en", item["entry"]
        listed = {"entry": entry, "feed": item["feed"]}
        page: Page | None = None
        problem = ""
        if self._wants_page(entry):
            try:
                page = self._page(entry["link"])
            except ApiError as exc:  # 4xx: the page is gone or refused; the entry's content is used
                problem = f"the article page answered HTTP {int(exc.status or 0)}"
            except ResponseTooLarge:
                problem = f"the article page is larger than {self.config.max_response_bytes} bytes"
            except HttpError as exc:  # transient (timeout, 5xx, 429): asked again in a later run
                return Failed(sid, lang, f"article page: {exc}", listed, item["hash"])
            except FetchError as exc:
                problem = f"the article page could not be read ({exc})"
        try:
            raw, documents = build_record(item, page, problem)
            story = story_from_raw(raw, "")
        except StoryError as exc:
            return Failed(sid, lang, str(exc), listed, item["hash"], retry=False)
        except Exception as exc:  # noqa: BLE001 - whatever one entry holds, it stays with that entry
            log.debug("entry %r: unexpected error", sid, exc_info=True)
            return Failed(sid, lang, f"cannot read the entry: {type(exc).__name__}: {exc}"[:500], listed,
                          item["hash"])
        return Fetched(story, raw, item["hash"], documents)

    def _wants_page(self, entry: Mapping[str, Any]) -> bool:
        link = entry.get("link")
        if not isinstance(link, str) or not link.startswith(("http://", "https://")):
            return False
        mode = self.config.full_text
        return mode == "always" or (mode == "auto" and bool(entry.get("excerpt_only")))

    def _page(self, url: str) -> Page:
        host = urlsplit(url).hostname or ""
        with self._lock:
            gate = self._hosts.setdefault(host, threading.Semaphore(PER_HOST))
            until = self._waiting.get(host, 0.0)
        if until > time.time():
            raise Deferred(url, f"{host} asked to wait (Retry-After) earlier in this run", 429, until)
        with gate:
            try:
                return self._get(url, accept=PAGE_ACCEPT)
            except Deferred as exc:
                with self._lock:
                    self._waiting[host] = max(self._waiting.get(host, 0.0), exc.until)
                raise

    def _get(self, url: str, *, accept: str, etag: str = "", last_modified: str = "") -> Page:
        with self._lock:
            self.requests_made += 1
        try:
            return get_bytes(self.client, url, retries=self.config.retries, max_bytes=self.config.max_response_bytes,
                             etag=etag, last_modified=last_modified, headers={"Accept": accept})
        except Deferred as exc:
            if url == self.config.url:
                raise SourceDeferred(f"{self.config.label}: {exc}", exc.until) from None
            raise


def page_source(urls: Sequence[str], languages: tuple[str, ...] = (), client: httpx.Client | None = None,
                timeout: float = 20.0) -> tuple[FeedSource, list[dict[str, Any]]]:
    """``newsdesk add``: a source reading single article pages (no feed), and their list items.
    Raises ConfigError naming a URL that is not http(s)."""
    from newsdesk.sources.feed_story import entry_hash
    from newsdesk.sources.urls import canonical_url, is_http_url

    items = []
    for url in urls:
        if not is_http_url(url):
            raise ConfigError(f"{url!r} is not an http(s) URL of an article page")
        link = canonical_url(url)
        host = (urlsplit(link).hostname or "").removeprefix("www.")
        entry = {"guid": link, "link": link, "title": "", "published": None, "summary_html": "", "content_html": "",
                 "excerpt_only": True, "categories": [], "author": "", "images": [], "lang": None}
        feed = {"url": "", "title": "", "link": "", "lang": None, "name": host or "Article"}
        items.append({"id": story_id(link, "", link), "lang": languages[0] if languages else None, "entry": entry,
                      "feed": feed, "hash": entry_hash(entry)})
    config = FeedConfig(name="add", url=urls[0] if urls else "https://invalid.example/", full_text="always",
                        languages=languages, timeout=timeout)
    return FeedSource(config, client), items


def story_from_raw(raw: Mapping[str, Any], site_url: str) -> Story:
    """An archived feed record read back (see :mod:`newsdesk.sources.feed_story`)."""
    from newsdesk.sources.feed_story import story_of

    return story_of(raw)


def story_from_json(data: Any, *, lang: str | None, config: SourceConfig) -> Story:
    """``newsdesk render`` of a feed story file: an archived record (``newsdesk export`` writes them)."""
    if not isinstance(data, Mapping):
        raise StoryError("<no id>", f"expected an archived feed record (a JSON object), got {type(data).__name__}")
    return story_from_raw(data, "")
