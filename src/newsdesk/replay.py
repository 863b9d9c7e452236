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
the paths of a generation left out of ``generations``) get a 404 HTML page. Lenient where the real
legacy API is undocumented: ``client`` is optional there and an unknown language simply matches nothing.

Tests steer it three ways, checked in this order: scripted answers (``server.script(path, Reply(...),
query={...})``: status, headers, body, delay, or a wire fault such as ``reset``, on any path, see
:mod:`newsdesk.replay_script`); ``hook(path, query)``, which may answer instead (None: it does not);
``records=[...]`` served instead of the archive's stories. ``server.log`` records every request
(path, query pairs, headers, client port), ``server.requests`` its ``path?query``, and
``server.max_in_flight`` the most requests answered at once.

Faults: ``faults=FaultPlan(rate=0.2, seed=7)`` (or explicit :class:`~newsdesk.faults.Rule` s) makes
the server misbehave on chosen requests -- 429/5xx, resets, truncated or oversized bodies, HTML,
no answer, story 404s, looping cursors; see :mod:`newsdesk.faults`, which also owns the wire.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, unquote, urlsplit

from newsdesk.faults import Answer, FaultPlan, Rule, WireServer, html_page
from newsdesk.loopback import LoopbackServer
from newsdesk.replay_query import (
    AREA_CODES, CATEGORIES, SECTIONS, Query, Reject, cursor_offset, cursor_signature, decode_cursor, flow_filters,
    json_answer, make_cursor, one,
)
from newsdesk.replay_script import Reply, Request, Script
from newsdesk.sample import (
    Record, flow_match, headlines_item, headlines_match, load_archive, newsflow_item, record_problem,
    sample_archive_path, v1_story, v2_story, v3_story,
)

__all__ = ["GENERATIONS", "Answer", "FaultPlan", "Hook", "ReplayServer", "Reply", "Request", "Rule", "cursor_offset",
           "sample_archive_path", "serve"]

Hook = Callable[[str, Query], Answer | None]

NEWS_FLOW, HEADLINES = "news-flow", "headlines"
GENERATIONS = (NEWS_FLOW, HEADLINES)

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


class ReplayServer(LoopbackServer):
    """Serve an archive over loopback HTTP in both API generations; a context manager.

    ``url`` is ``http://HOST:PORT`` once started; ``requests`` lists ``path?query`` of every request
    received, in order, and ``log`` the same requests in full. ``port=0`` picks a free port.
    ``records`` (canonical story records, as in an archive) replace the archive's stories; images
    still come from ``archive_dir``.
    """

    server_name = "replay server"

    def __init__(self, archive_dir: Path | None = None, *, host: str = "127.0.0.1", port: int = 0,
                 latency: float = 0.0, generations: Collection[str] = GENERATIONS, page_size: int = 10,
                 hook: Hook | None = None, faults: FaultPlan | None = None,
                 records: Iterable[Record] | None = None) -> None:
        unknown = set(generations) - set(GENERATIONS)
        if unknown:
            raise ValueError(f"unknown API generation(s) {sorted(unknown)}; known: {', '.join(GENERATIONS)}")
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self.archive_dir = Path(archive_dir) if archive_dir is not None else sample_archive_path()
        self.records: list[Record] = load_archive(self.archive_dir) if records is None else _checked(records)
        self._by_id = {record["id"]: record for record in self.records}
        super().__init__(host, port)
        self.latency = max(0.0, latency)
        self.generations = frozenset(generations)
        self.page_size = page_size
        self.hook = hook
        self.faults = faults
        self.requests: list[str] = []
        self.log: list[Request] = []
        self.max_in_flight = 0
        self._in_flight = 0
        self._script = Script()
        self._lock = threading.Lock()

    def _make_server(self) -> WireServer:
        return WireServer((self.host, self.port), self)

    # -- scripting and the request log -------------------------------------------------------------

    def script(self, path: str, *replies: Reply, query: Mapping[str, str] | None = None) -> None:
        """Answer the next requests of ``path`` (whose query holds every ``query`` pair) with
        ``replies``, each for its ``times`` requests, in order; then as usual again."""
        self._script.add(path, replies, query)

    def seen(self, path: str) -> list[Request]:
        """The requests of ``path`` received so far, in order."""
        with self._lock:
            return [request for request in self.log if request.path == path]

    # -- answering ------------------------------------------------------------------------------

    def respond(self, target: str, headers: Mapping[str, str], port: int) -> tuple[Answer, str | None, FaultPlan]:
        """The wire's entry (see :class:`newsdesk.faults.Backend`): the answer to ``GET target``, the
        fault to serve it with (None: none) and the fault's parameters. ``headers``: names in lower case."""
        parts = urlsplit(target)
        request = Request(target, parts.path, tuple(parse_qsl(parts.query, keep_blank_values=True)), headers, port)
        with self._lock:
            self.requests.append(target)
            self.log.append(request)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            reply = self._script.take(request)
            if reply is not None:
                if reply.delay:
                    time.sleep(reply.delay)
                return reply.answer(), reply.fault, self.faults or FaultPlan()
            if self.latency:
                time.sleep(self.latency)
            answer = self.answer(target, headers)
            fault = self.faults.decide(self.kind(parts.path), target) if self.faults is not None else None
            return answer, fault, self.faults or FaultPlan()
        finally:
            with self._lock:
                self._in_flight -= 1

    def answer(self, target: str, headers: Mapping[str, str]) -> Answer:
        """The service's answer to ``GET target`` (path?query) with these request headers (the hook's
        answer if it gives one); no script, latency or fault."""
        headers = {name.lower(): value for name, value in headers.items()}
        parts = urlsplit(target)
        query = parse_qs(parts.query, keep_blank_values=True)
        if self.hook is not None:
            override = self.hook(parts.path, query)
            if override is not None:
                return override
        if parts.path.startswith(IMAGE_ROUTE):
            return self._image(unquote(parts.path.removeprefix(IMAGE_ROUTE)))
        if not headers.get("origin") and not headers.get("referer"):
            return html_page(403, "403 Forbidden")
        route = ROUTES.get(parts.path)
        if route is None or route[0] not in self.generations:
            return html_page(404, "404 Not Found")
        try:
            body: dict[str, Any] = getattr(self, route[1])(query)
        except Reject as reject:
            return json_answer(reject.status, {"status": "error", "message": reject.message})
        return json_answer(200, body)

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
        current = one(parse_qs(urlsplit(target).query, keep_blank_values=True), "cursor")
        pagination = body.get("pagination")
        token = current or (pagination.get("cursor") if isinstance(pagination, dict) else None)
        if not token:
            return  # a lone page: no cursor of this query to loop with
        offset, signature = cursor_offset(token) if current else 0, cursor_signature(token)
        body["pagination"] = {"cursor": make_cursor(max(0, offset - self.page_size), signature)}

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
        filters = flow_filters(query)
        return self._page([r for r in self.records if flow_match(r, filters)], query,
                          ("flow", sorted(filters.items())), lambda r: newsflow_item(r, filters["lang"][0]))

    def _flow_symbol(self, query: Query) -> dict[str, Any]:
        filters = flow_filters(query)
        if "symbol" not in filters:
            raise Reject(400, "filter 'symbol' is required on the symbol view")
        if len(filters["symbol"]) != 1:
            raise Reject(422, f"the symbol view takes exactly one symbol, got {','.join(filters['symbol'])}")
        body = self._page([r for r in self.records if flow_match(r, filters)], query,
                          ("symbol", sorted(filters.items())), lambda r: newsflow_item(r, filters["lang"][0]))
        body["sections"] = [dict(s) for s in SECTIONS]
        return body

    def _flow_story(self, query: Query) -> dict[str, Any]:
        record, lang = self._story(query, lang_required=True)
        return v1_story(record, lang)

    def _headlines(self, query: Query, *, symbol_required: bool = False) -> dict[str, Any]:
        lang = one(query, "lang") or "en"
        symbol, category = one(query, "symbol"), one(query, "category")
        provider, area = one(query, "provider"), one(query, "area")
        if symbol_required and not symbol:
            raise Reject(400, "parameter 'symbol' is required")
        if symbol and ":" not in symbol:
            raise Reject(422, f"symbol {symbol!r} needs an exchange prefix (EXCHANGE:TICKER)")
        if category and category not in CATEGORIES:
            raise Reject(400, f"unknown category {category!r}")
        if area and area not in AREA_CODES:
            raise Reject(400, f"unknown area {area!r}")
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
        story_id, lang = one(query, "id"), one(query, "lang")
        if not story_id:
            raise Reject(400, "parameter 'id' is required")
        if not lang:
            if lang_required:
                raise Reject(400, "parameter 'lang' is required")
            lang = "en"
        record = self._by_id.get(story_id)
        if record is None:
            raise Reject(404, f"story {story_id!r} not found")
        if lang not in record["versions"]:
            raise Reject(404, f"story {story_id!r} has no {lang!r} version")
        return record, lang

    def _page(self, matches: list[Record], query: Query, signature: object,
              render: Callable[[Record], dict[str, Any]]) -> dict[str, Any]:
        """One page of ``matches`` from the offset in ``cursor``; a cursor for the next page if any."""
        sig = hashlib.sha1(json.dumps(signature, default=str).encode()).hexdigest()[:12]
        cursor = one(query, "cursor")
        offset = decode_cursor(cursor, sig) if cursor else 0
        end = offset + self.page_size
        body: dict[str, Any] = {"items": [render(r) for r in matches[offset:end]]}
        if end < len(matches):
            body["pagination"] = {"cursor": make_cursor(end, sig)}
        return body


def _checked(records: Iterable[Record]) -> list[Record]:
    """``records`` as an archive serves them: each checked, newest first."""
    chosen = list(records)
    for record in chosen:
        problem = record_problem(record)
        if problem:
            raise ValueError(f"story record {record.get('id') if isinstance(record, dict) else record!r}: {problem}")
    return sorted(chosen, key=lambda r: (-r["published"], r["id"]))


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
