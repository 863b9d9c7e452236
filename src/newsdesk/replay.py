"""A loopback replay server: the bundled sample archive served through both TradingView API generations.

Why hand-written: it is a test double of the real service's URL shapes, field names, paging and
error answers, for tests, benchmarks, ``newsdesk demo`` and ``newsdesk replay`` -- no network, no
third-party server, only the stdlib (:class:`http.server.ThreadingHTTPServer`, daemon threads).
Recording a real session would tie the project to text it may not redistribute; this serves
original fictional stories instead, rendered per request from one canonical record per story.

Archive format (``<archive>/stories/*.json``, one story per file; :mod:`newsdesk.sample` reads it)::

    {"id": "tag:harborline.example,2026-11-02:newsml_HLN5G2B6/1:0",  # any string, unique
     "published": 1793647200,                # epoch seconds, UTC
     "urgency": 2,                           # 1 flash, 2 standard
     "provider": {"id": "harborline", "name": "Harborline Wire", "logo_id": "harborline"},
     "related_symbols": [{"symbol": "NYSE:NWGD", "logoid": "sample-nwgd"}],   # optional
     "story_path": "/news/harborline.example,2026-11-02:newsml_HLN5G2B6/1:0-<slug>/",
     "link": "https://...",                  # optional: the story is hosted elsewhere
     "paywall": true, "permission": "preview", "is_flash": true,              # optional, only when set
     "markets": ["corp_bond", "bond"],       # news-flow `market` values; legacy `category`
     "countries": ["US"],                    # news-flow `market_country`; legacy `area` via sample.AREAS
     "facets": {"corp_activity": ["earnings"], "priority": ["top_stories"]},  # optional, other filter keys
     "versions": {                           # one entry per language (en, de, es, zh-Hans, ...)
       "en": {"title": "...", "short_description": "... (plain text, may end with …)",
              "ast_description": {"type": "root", "children": [...]},  # or null: body withheld
              "tags": [{"title": "Harborline Wire", "args": [{"id": "provider", "value": "harborline"}]}]}}}

Story images: ``<archive>/images/<file>`` is served at ``/news/image/<id>-resized.jpeg`` (the
service's image address shape; :func:`image_file_name` maps the name to a file), with the content
type its bytes show (JPEG, PNG, GIF or WebP), no Origin needed; a missing file is a 404.

Endpoints (all GET, newest first, ``page_size`` items a page, a ``pagination.cursor`` while more remain):

* news-flow: ``/public/news-flow/v2/news`` and ``/news-flow/v2/news`` -- ``client`` required, one
  ``filter=key:v1,v2`` per key, keys alphabetical and values sorted (else 400 JSON
  ``{"status": "error", "message": ...}``); ``lang`` required (one value); unknown keys and unknown
  ``lang``/``market`` values 400; a ``symbol`` without ``EXCHANGE:`` 422. ``/public/view/v1/symbol``:
  the same with exactly one symbol (several 422), plus ``sections``. ``/public/news/v1/story?id=&lang=``:
  the snake_case story; unknown id or language 404 JSON.
* headlines (legacy): ``/v2/headlines?lang=[&symbol=&category=&provider=&area=]`` and
  ``/v2/view/headlines/symbol?symbol=`` -- camelCase items; ``/v2/story`` (full camelCase story) and
  ``/v3/story`` (title, digest and tree only).

Every request without both ``Origin`` and ``Referer`` gets nginx's 403 HTML page; unknown paths (and
the paths of a generation left out of ``generations``) get a 404 HTML page. ``hook(path, query)`` runs
first and may answer instead (429 with Retry-After, 503 pages, ...). Lenient where the real legacy API
is undocumented: ``client`` is optional there and an unknown language simply matches nothing.

Faults: ``faults=FaultPlan(rate=0.2, seed=7)`` (or explicit :class:`~newsdesk.faults.Rule` s) makes
the server misbehave on chosen requests -- 429/5xx, resets, truncated or oversized bodies, HTML,
no answer, story 404s, looping cursors; see :mod:`newsdesk.faults`, which also owns the wire.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import threading
import time
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from newsdesk.faults import Answer, FaultPlan, Rule, WireServer, html_page
from newsdesk.sample import (
    Record, flow_match, headlines_item, headlines_match, load_archive, newsflow_item, sample_archive_path,
    v1_story, v2_story, v3_story,
)

__all__ = ["GENERATIONS", "Answer", "FaultPlan", "Hook", "ReplayServer", "Rule", "sample_archive_path", "serve"]

Query = dict[str, list[str]]
Hook = Callable[[str, Query], Answer | None]

NEWS_FLOW, HEADLINES = "news-flow", "headlines"
GENERATIONS = (NEWS_FLOW, HEADLINES)

LANGS = frozenset({"en", "en_IN", "de", "es", "fr", "it", "pt", "ru", "tr", "pl", "ar", "he", "ja", "ko", "vi",
                   "th", "ms", "id", "zh-Hans", "zh-Hant"})
MARKETS = frozenset({"stock", "etf", "crypto", "forex", "index", "futures", "bond", "corp_bond", "economic"})
FILTER_KEYS = frozenset({"corp_activity", "economic_category", "lang", "market", "market_country", "priority",
                         "provider", "sector", "symbol"})
CATEGORIES = frozenset({"base", *MARKETS} - {"corp_bond"})
AREA_CODES = frozenset({"WLD", "AME", "EUR", "ASI", "OCN", "AFR"})
SECTIONS = [{"id": "latest", "title": "Latest"}, {"id": "top_stories", "title": "Top stories"},
            {"id": "press_release", "title": "Press releases"}]

#: path -> (generation, handler method name)
ROUTES: dict[str, tuple[str, str]] = {
    "/public/news-flow/v2/news": (NEWS_FLOW, "_flow_list"),
    "/news-flow/v2/news": (NEWS_FLOW, "_flow_list"),
    "/public/view/v1/symbol": (NEWS_FLOW, "_flow_symbol"),
    "/public/news/v1/story": (NEWS_FLOW, "_flow_story"),
    "/v2/headlines": (HEADLINES, "_headlines"),
    "/v2/view/headlines/symbol": (HEADLINES, "_headlines_symbol"),
    "/v2/story": (HEADLINES, "_story_v2"),
    "/v3/story": (HEADLINES, "_story_v3"),
}
_STORY_HANDLERS = frozenset({"_flow_story", "_story_v2", "_story_v3"})


IMAGE_ROUTE = "/news/image/"
_IMAGE_TYPES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"GIF8", "image/gif"),
                (b"RIFF", "image/webp"))


def image_file_name(name: str) -> str:
    """The file of the image ``/news/image/<name>`` under ``<archive>/images`` (ids may hold ``:``,
    which not every file system allows)."""
    return name.replace(":", "_")


class _Reject(Exception):
    """A JSON error answer (400, 404, 422) with the service's ``{"status": "error"}`` shape."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class ReplayServer:
    """Serve an archive over loopback HTTP in both API generations; a context manager.

    ``url`` is ``http://HOST:PORT`` once started; ``requests`` lists ``path?query`` of every request
    received, in order. ``port=0`` picks a free port.
    """

    def __init__(self, archive_dir: Path | None = None, *, host: str = "127.0.0.1", port: int = 0,
                 latency: float = 0.0, generations: Collection[str] = GENERATIONS, page_size: int = 10,
                 hook: Hook | None = None, faults: FaultPlan | None = None) -> None:
        unknown = set(generations) - set(GENERATIONS)
        if unknown:
            raise ValueError(f"unknown API generation(s) {sorted(unknown)}; known: {', '.join(GENERATIONS)}")
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self.archive_dir = Path(archive_dir) if archive_dir is not None else sample_archive_path()
        self.records: list[Record] = load_archive(self.archive_dir)
        self._by_id = {record["id"]: record for record in self.records}
        self.host, self.port = host, port
        self.latency = max(0.0, latency)
        self.generations = frozenset(generations)
        self.page_size = page_size
        self.hook = hook
        self.faults = faults
        self.requests: list[str] = []
        self._lock = threading.Lock()
        self._httpd: WireServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """``http://HOST:PORT`` of the running server."""
        if self._httpd is None:
            raise RuntimeError("the replay server is not running: call start() first")
        return f"http://{self.host}:{self._httpd.server_address[1]}"

    def start(self) -> ReplayServer:
        if self._httpd is not None:
            raise RuntimeError("the replay server is already running")
        self._httpd = WireServer((self.host, self.port), self)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"replay:{self._httpd.server_address[1]}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, drop open keep-alive connections and close the listening socket."""
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        if thread is not None:
            thread.join()
        self._httpd = self._thread = None

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- answering ------------------------------------------------------------------------------

    def answer(self, target: str, headers: Mapping[str, str]) -> Answer:
        """The answer to ``GET target`` (path?query) with these request headers."""
        with self._lock:
            self.requests.append(target)
        if self.latency:
            time.sleep(self.latency)
        parts = urlsplit(target)
        query = parse_qs(parts.query, keep_blank_values=True)
        if self.hook is not None:
            override = self.hook(parts.path, query)
            if override is not None:
                return override
        if parts.path.startswith(IMAGE_ROUTE):
            return self._image(unquote(parts.path.removeprefix(IMAGE_ROUTE)))
        if not headers.get("Origin") and not headers.get("Referer"):
            return html_page(403, "403 Forbidden")
        route = ROUTES.get(parts.path)
        if route is None or route[0] not in self.generations:
            return html_page(404, "404 Not Found")
        try:
            body: dict[str, Any] = getattr(self, route[1])(query)
        except _Reject as reject:
            return _json(reject.status, {"status": "error", "message": reject.message})
        return _json(200, body)

    def kind(self, path: str) -> str:
        """The endpoint kind of ``path`` for fault rules: "list", "story", "image" or "other"."""
        if path.startswith(IMAGE_ROUTE):
            return "image"
        route = ROUTES.get(path)
        if route is None:
            return "other"
        return "story" if route[1] in _STORY_HANDLERS else "list"

    def loop_cursor(self, target: str, body: dict[str, Any]) -> None:
        """Point a list page's ``pagination.cursor`` back at the page before (the first page: itself)."""
        current = _one(parse_qs(urlsplit(target).query, keep_blank_values=True), "cursor")
        pagination = body.get("pagination")
        token = current or (pagination.get("cursor") if isinstance(pagination, dict) else None)
        if not token:
            return  # a lone page: no cursor of this query to loop with
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        offset = int(data["o"]) if current else 0
        body["pagination"] = {"cursor": _cursor(max(0, offset - self.page_size), str(data["s"]))}

    def _image(self, name: str) -> Answer:
        if not name or "/" in name or name.startswith("."):
            return html_page(404, "404 Not Found")
        try:
            data = (self.archive_dir / "images" / image_file_name(name)).read_bytes()
        except OSError:
            return html_page(404, "404 Not Found")
        kind = next((mime for magic, mime in _IMAGE_TYPES if data.startswith(magic)), "application/octet-stream")
        return 200, {"Content-Type": kind, "Cache-Control": "max-age=31536000"}, data

    def _flow_list(self, query: Query) -> dict[str, Any]:
        filters = _flow_filters(query)
        return self._page([r for r in self.records if flow_match(r, filters)], query,
                          ("flow", sorted(filters.items())), lambda r: newsflow_item(r, filters["lang"][0]))

    def _flow_symbol(self, query: Query) -> dict[str, Any]:
        filters = _flow_filters(query)
        if "symbol" not in filters:
            raise _Reject(400, "filter 'symbol' is required on the symbol view")
        if len(filters["symbol"]) != 1:
            raise _Reject(422, f"the symbol view takes exactly one symbol, got {','.join(filters['symbol'])}")
        body = self._page([r for r in self.records if flow_match(r, filters)], query,
                          ("symbol", sorted(filters.items())), lambda r: newsflow_item(r, filters["lang"][0]))
        body["sections"] = [dict(s) for s in SECTIONS]
        return body

    def _flow_story(self, query: Query) -> dict[str, Any]:
        record, lang = self._story(query, lang_required=True)
        return v1_story(record, lang)

    def _headlines(self, query: Query, *, symbol_required: bool = False) -> dict[str, Any]:
        lang = _one(query, "lang") or "en"
        symbol, category = _one(query, "symbol"), _one(query, "category")
        provider, area = _one(query, "provider"), _one(query, "area")
        if symbol_required and not symbol:
            raise _Reject(400, "parameter 'symbol' is required")
        if symbol and ":" not in symbol:
            raise _Reject(422, f"symbol {symbol!r} needs an exchange prefix (EXCHANGE:TICKER)")
        if category and category not in CATEGORIES:
            raise _Reject(400, f"unknown category {category!r}")
        if area and area not in AREA_CODES:
            raise _Reject(400, f"unknown area {area!r}")
        matches = [r for r in self.records
                   if headlines_match(r, lang=lang, symbol=symbol, category=category, provider=provider, area=area)]
        return self._page(matches, query, ("headlines", lang, symbol, category, provider, area),
                          lambda r: headlines_item(r, lang))

    def _headlines_symbol(self, query: Query) -> dict[str, Any]:
        return self._headlines(query, symbol_required=True)

    def _story_v2(self, query: Query) -> dict[str, Any]:
        return v2_story(*self._story(query, lang_required=False))

    def _story_v3(self, query: Query) -> dict[str, Any]:
        return v3_story(*self._story(query, lang_required=False))

    def _story(self, query: Query, *, lang_required: bool) -> tuple[Record, str]:
        story_id, lang = _one(query, "id"), _one(query, "lang")
        if not story_id:
            raise _Reject(400, "parameter 'id' is required")
        if not lang:
            if lang_required:
                raise _Reject(400, "parameter 'lang' is required")
            lang = "en"
        record = self._by_id.get(story_id)
        if record is None:
            raise _Reject(404, f"story {story_id!r} not found")
        if lang not in record["versions"]:
            raise _Reject(404, f"story {story_id!r} has no {lang!r} version")
        return record, lang

    def _page(self, matches: list[Record], query: Query, signature: object,
              render: Callable[[Record], dict[str, Any]]) -> dict[str, Any]:
        """One page of ``matches`` from the offset in ``cursor``; a cursor for the next page if any."""
        sig = hashlib.sha1(json.dumps(signature, default=str).encode()).hexdigest()[:12]
        cursor = _one(query, "cursor")
        offset = _decode_cursor(cursor, sig) if cursor else 0
        end = offset + self.page_size
        body: dict[str, Any] = {"items": [render(r) for r in matches[offset:end]]}
        if end < len(matches):
            body["pagination"] = {"cursor": _cursor(end, sig)}
        return body


def _cursor(offset: int, signature: str) -> str:
    token = json.dumps({"o": offset, "s": signature}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(token).decode().rstrip("=")


def _flow_filters(query: Query) -> dict[str, list[str]]:
    """Validate a news-flow query like the service: ``client``, key order, value order, known values."""
    if not _one(query, "client"):
        raise _Reject(400, "parameter 'client' is required")
    parsed: list[tuple[str, list[str]]] = []
    for raw in query.get("filter", []):
        key, sep, rest = raw.partition(":")
        values = rest.split(",")
        if not sep or not key or not all(values):
            raise _Reject(400, f"malformed filter {raw!r}: expected key:value1,value2")
        parsed.append((key, values))
    keys = [key for key, _ in parsed]
    for key in keys:
        if key not in FILTER_KEYS:
            raise _Reject(400, f"unknown filter key {key!r}")
    if keys != sorted(set(keys)):
        raise _Reject(400, f"filter keys must be in alphabetical order, each once: got {', '.join(keys)}")
    for key, values in parsed:
        if values != sorted(set(values)):
            raise _Reject(400, f"values of filter {key!r} must be sorted and unique: got {','.join(values)}")
    filters = dict(parsed)
    if "lang" not in filters:
        raise _Reject(400, "filter 'lang' is required")
    if len(filters["lang"]) != 1:
        raise _Reject(400, f"filter 'lang' takes one language, got {','.join(filters['lang'])}")
    for key, known in (("lang", LANGS), ("market", MARKETS)):
        for value in filters.get(key, []):
            if value not in known:
                raise _Reject(400, f"unknown value {value!r} of filter {key!r}")
    for value in filters.get("symbol", []):
        if ":" not in value.strip(":"):
            raise _Reject(422, f"symbol {value!r} needs an exchange prefix (EXCHANGE:TICKER)")
    return filters


def _decode_cursor(cursor: str, signature: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        offset = data["o"]
        valid = data["s"] == signature and isinstance(offset, int) and offset >= 0
    except (ValueError, TypeError, KeyError, binascii.Error):
        valid = False
    if not valid:
        raise _Reject(400, "invalid cursor: send back the pagination.cursor of the same query")
    return int(offset)


def _one(query: Query, name: str) -> str | None:
    values = query.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise _Reject(400, f"parameter {name!r} given {len(values)} times")
    return values[0]


def _json(status: int, body: object) -> Answer:
    return status, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(body, ensure_ascii=False).encode()


def serve(archive_dir: Path | None, port: int, host: str = "127.0.0.1", *,
          ready: Callable[[ReplayServer], None] | None = None, faults: FaultPlan | None = None) -> None:
    """Serve ``archive_dir`` (None: the bundled sample) until Ctrl-C; for ``newsdesk replay``.

    ``ready`` is called once the server listens (default: print its address and what it serves).
    """
    with ReplayServer(archive_dir, host=host, port=port, faults=faults) as server:
        try:
            (ready or _announce)(server)
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


def _announce(server: ReplayServer) -> None:
    print(f"Replaying {len(server.records)} stories from {server.archive_dir} at {server.url}\n"
          f"  news-flow: {server.url}/public/news-flow/v2/news?client=web&filter=lang:en\n"
          f"  headlines: {server.url}/v2/headlines?client=web&lang=en\n"
          "Requests need an Origin or Referer header. Ctrl-C stops.", flush=True)
    if server.faults is not None and server.faults.rate:
        print(f"Faulting {server.faults.rate:.0%} of requests (seed {server.faults.seed}).", flush=True)
