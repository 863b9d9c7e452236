"""TradingViewSource against a loopback fake of both API generations (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from newsdesk.errors import ConfigError, FetchError
from newsdesk.http import make_client
from newsdesk.sources import Checkpoint, Failed, Fetched, make_source
from newsdesk.sources.tradingview import TradingViewConfig, TradingViewSource, item_hash, parse_raw
from newsdesk.sources.sweep import SweepState

ODD_ID = "tag:wire.example,2026-05-04:newsml_Q7/ab,c:0"  # holds / , : and .
NEWS_FLOW_LIST = "/public/news-flow/v2/news"
NEWS_FLOW_STORY = "/public/news/v1/story"
CAPTCHA = b"<html><head><title>Captcha Challenge</title></head><body>...</body></html>"


# -- the fake service ------------------------------------------------------------------------


def catalogue(count: int, *, gated: Sequence[int] = (), flash: Sequence[int] = ()) -> list[dict[str, Any]]:
    """Canonical stories, newest first; story 0 has the awkward id."""
    stories = []
    for n in range(count):
        sid = ODD_ID if n == 0 else f"tradingview:{n:013x}:0"
        symbol = ["NASDAQ:LTRN", "NYSE:CRTE", "XETR:BRKW"][n % 3]
        stories.append({
            "id": sid,
            "title": f"Sample market story number {n}",
            "published": 1_777_900_000 - 60 * n,
            "provider": ("examplewire", "Example Wire") if n % 2 else ("samplejournal", "Sample Journal"),
            "symbols": [symbol],
            "tags": ["Stocks", f"Theme {n % 4}"],
            "path": f"/news/{sid.replace('tag:', '')}-sample-story-{n}/",
            "tree": {"type": "root", "children": [{"type": "p", "children": [f"Body of story {n}."]}]},
            "digest": f"Body of story {n}.",
            "gated": n in gated,
            "flash": n in flash,
        })
    return stories


def localised(c: dict[str, Any], lang: str) -> dict[str, Any]:
    return c if lang == "en" else dict(c, title=f"[{lang}] {c['title']}")


def news_flow_item(c: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {"id": c["id"], "title": c["title"], "published": c["published"], "urgency": 2,
                            "storyPath": c["path"], "provider": {"id": c["provider"][0], "name": c["provider"][1]},
                            "relatedSymbols": [{"symbol": s} for s in c["symbols"]]}
    if c["gated"]:
        item.update(permission="preview", shortDescription=c["digest"])
    if c["flash"]:
        item.update(is_flash=True, urgency=1)
    return item


def legacy_item(c: dict[str, Any]) -> dict[str, Any]:
    item = news_flow_item(c)
    item["provider"], item["source"] = c["provider"]
    return item


def v1_story(c: dict[str, Any], lang: str) -> dict[str, Any]:
    story: dict[str, Any] = {"id": c["id"], "title": c["title"], "published": c["published"], "language": lang,
                             "story_path": c["path"], "provider": {"id": c["provider"][0], "name": c["provider"][1]},
                             "related_symbols": [{"symbol": s} for s in c["symbols"]],
                             "tags": [{"title": t} for t in c["tags"]], "short_description": c["digest"]}
    if not c["flash"]:
        story["ast_description"] = c["tree"]
    return story


def v2_story(c: dict[str, Any], lang: str) -> dict[str, Any]:
    story = {"id": c["id"], "title": c["title"], "published": c["published"], "language": lang,
             "storyPath": c["path"], "provider": c["provider"][0], "source": c["provider"][1],
             "relatedSymbols": [{"symbol": s} for s in c["symbols"]], "tags": [{"title": t} for t in c["tags"]],
             "shortDescription": c["digest"]}
    if not c["flash"]:
        story["astDescription"] = c["tree"]
    return story


@dataclass
class Reply:
    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


class FakeTradingView:
    """Both generations on one loopback host, validating requests the way the real service does."""

    def __init__(self, stories: list[dict[str, Any]], *, news_flow: bool = True, legacy: bool = True,
                 v1_story: bool = True, page_size: int = 4, legacy_page_size: int = 100,
                 legacy_bare_array: bool = False, latency: float = 0.0) -> None:
        self.stories = stories
        self.news_flow, self.legacy, self.v1_story = news_flow, legacy, v1_story
        self.page_size, self.legacy_page_size = page_size, legacy_page_size
        self.legacy_bare_array = legacy_bare_array
        self.latency = latency
        self.inject: dict[str, list[Reply]] = {}  # path -> replies served before the normal answer
        self.story_overrides: dict[str, Any] = {}  # id -> JSON served by every story endpoint
        self.log: list[tuple[str, list[tuple[str, str]]]] = []
        self.in_flight = self.max_in_flight = 0
        self.lock = threading.Lock()
        fake = self

        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = parse_qsl(parts.query, keep_blank_values=True)
                with fake.lock:
                    fake.log.append((parts.path, query))
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                    injected = fake.inject.get(parts.path)
                    reply = injected.pop(0) if injected else None
                try:
                    if fake.latency:
                        time.sleep(fake.latency)
                    reply = reply or fake.answer(parts.path, query)
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(reply.body)))
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True
                finally:
                    with fake.lock:
                        fake.in_flight -= 1

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> FakeTradingView:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)

    # requests seen
    def requests(self, path: str) -> list[dict[str, list[str]]]:
        out = []
        for seen_path, query in self.log:
            if seen_path == path:
                params: dict[str, list[str]] = {}
                for key, value in query:
                    params.setdefault(key, []).append(value)
                out.append(params)
        return out

    def story_ids(self, path: str) -> list[str]:
        return [params["id"][0] for params in self.requests(path)]

    # answers
    @staticmethod
    def json(obj: Any, status: int = 200) -> Reply:
        return Reply(status, json.dumps(obj).encode())

    def error(self, status: int, message: str) -> Reply:
        return self.json({"status": "error", "message": message}, status)

    def answer(self, path: str, query: list[tuple[str, str]]) -> Reply:
        params = dict(query)
        if self.news_flow and path == NEWS_FLOW_LIST:
            return self.news_flow_list(query)
        if self.legacy and path == "/v2/headlines":
            return self.legacy_list(params)
        if path in (NEWS_FLOW_STORY, "/v2/story", "/v3/story"):
            enabled = {NEWS_FLOW_STORY: self.news_flow and self.v1_story, "/v2/story": self.legacy,
                       "/v3/story": self.legacy}[path]
            if enabled:
                return self.story(path, params)
        return self.json({"message": "Not Found"}, 404)

    def page(self, items: list[dict[str, Any]], cursor: str | None, size: int) -> tuple[list[Any], str | None]:
        start = int(cursor.removeprefix("after-")) if cursor else 0
        chunk = items[start:start + size]
        more = start + size < len(items)
        return chunk, f"after-{start + size}" if more else None

    def news_flow_list(self, query: list[tuple[str, str]]) -> Reply:
        params = dict(query)
        if params.get("client") is None or params.get("user_prostatus") != "non_pro":
            return self.error(400, "client and user_prostatus are required")
        filters = [value for key, value in query if key == "filter"]
        parsed = [(f.split(":", 1)[0], f.split(":", 1)[1].split(",")) for f in filters]
        keys = [key for key, _values in parsed]
        if keys != sorted(keys) or any(values != sorted(values) for _key, values in parsed):
            return self.error(400, "filters must be sorted")
        wanted = dict(parsed)
        if "lang" not in wanted:
            return self.error(400, "lang filter is required")
        for symbol in wanted.get("symbol", []):
            if ":" not in symbol:
                return self.error(422, f"symbol {symbol} must name its exchange")
        if len(wanted.get("symbol", [])) > 1:
            return self.error(422, "only one symbol allowed")
        if "nobody" in wanted.get("provider", []):
            return self.error(400, "unknown provider nobody")
        lang = wanted["lang"][0]
        items = [news_flow_item(localised(c, lang)) for c in self.select(wanted.get("symbol"), wanted.get("provider"))]
        chunk, cursor = self.page(items, params.get("cursor"), self.page_size)
        body: dict[str, Any] = {"items": chunk}
        if cursor:
            body["pagination"] = {"cursor": cursor}
        return self.json(body)

    def legacy_list(self, params: dict[str, str]) -> Reply:
        if params.get("client") != "web" or "lang" not in params:
            return self.error(400, "client and lang are required")
        symbol, provider = params.get("symbol"), params.get("provider")
        lang = params["lang"]
        items = [legacy_item(localised(c, lang))
                 for c in self.select([symbol] if symbol else None, [provider] if provider else None)]
        chunk, cursor = self.page(items, params.get("cursor"), self.legacy_page_size)
        if self.legacy_bare_array:
            return self.json(chunk)
        body: dict[str, Any] = {"items": chunk}
        if cursor:
            body["pagination"] = {"cursor": cursor}
        return self.json(body)

    def select(self, symbols: list[str] | None, providers: list[str] | None) -> list[dict[str, Any]]:
        return [c for c in self.stories
                if (not symbols or set(symbols) & set(c["symbols"])) and (not providers or c["provider"][0] in providers)]

    def story(self, path: str, params: dict[str, str]) -> Reply:
        sid, lang = params.get("id"), params.get("lang", "en")
        if sid in self.story_overrides:
            return self.json(self.story_overrides[sid])
        found = [c for c in self.stories if c["id"] == sid]
        if not found:
            return self.json({"message": f"story {sid} not found"}, 404)
        c = localised(found[0], lang)
        if path == NEWS_FLOW_STORY:
            return self.json(v1_story(c, lang))
        if path == "/v3/story":
            return self.json({"title": c["title"], "shortDescription": c["digest"], "astDescription": c["tree"]})
        return self.json(v2_story(c, lang))


# -- helpers ---------------------------------------------------------------------------------


class Archive:
    """A ``known`` lookup over a dict, recording every call."""

    def __init__(self, hashes: Mapping[tuple[str, str], str] | None = None) -> None:
        self.hashes = dict(hashes or {})
        self.calls: list[list[tuple[str, str]]] = []

    def __call__(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
        self.calls.append(list(keys))
        return {key: self.hashes[key] for key in keys if key in self.hashes}


def config(fake: FakeTradingView, **kw: Any) -> TradingViewConfig:
    kw.setdefault("api_url", fake.url)
    kw.setdefault("concurrency", 4)
    kw.setdefault("retries", 2)
    kw.setdefault("timeout", 5.0)
    return TradingViewConfig(**kw)


def run(cfg: TradingViewConfig, known: Archive | None = None,
        state: SweepState | None = None) -> tuple[list[Fetched | Failed], TradingViewSource]:
    with TradingViewSource(cfg) as source:
        events = list(source.fetch(known or Archive(), state=(lambda _seq: state.to_json()) if state else None))
    return [e for e in events if not isinstance(e, Checkpoint)], source


def fetched(results: list[Fetched | Failed]) -> list[Fetched]:
    assert all(isinstance(r, Fetched) for r in results), [r for r in results if isinstance(r, Failed)]
    return [r for r in results if isinstance(r, Fetched)]


@pytest.fixture
def sources_log() -> Iterator[list[logging.LogRecord]]:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(logging.DEBUG)
    logger = logging.getLogger("newsdesk.sources")
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield records
    logger.removeHandler(handler)
    logger.setLevel(old_level)


# -- news-flow -------------------------------------------------------------------------------


def test_news_flow_pages_through_the_cursor_and_yields_every_story() -> None:
    with FakeTradingView(catalogue(10), page_size=4) as fake:
        results, source = run(config(fake, markets=("stock", "crypto"), countries=("US", "DE"),
                                     providers=("samplejournal", "examplewire")))
        lists = fake.requests(NEWS_FLOW_LIST)
    stories = fetched(results)
    assert [f.story.id for f in stories] == [c["id"] for c in catalogue(10)]
    assert len(lists) == 3
    assert lists[0]["filter"] == ["lang:en", "market:crypto,stock", "market_country:DE,US",
                                  "provider:examplewire,samplejournal"]
    assert lists[0]["client"] == ["web"] and lists[0]["user_prostatus"] == ["non_pro"]
    assert lists[0]["streaming"] == ["false"] and "cursor" not in lists[0]
    assert [p.get("cursor") for p in lists[1:]] == [["after-4"], ["after-8"]]
    assert source.requests_made == 3 + 10
    first = stories[0]
    assert first.raw["api"] == "news-flow" and first.raw["item"]["id"] == ODD_ID
    assert first.story.id == ODD_ID  # the awkward id survived the round trip
    assert first.story.tags == ("Stocks", "Theme 0") and first.story.tree is not None
    assert first.item_hash == item_hash(first.raw["item"])
    for f in stories:
        assert parse_raw(f.raw) == f.story
        assert parse_raw(json.loads(json.dumps(f.raw))) == f.story  # as archived


def test_one_sequence_per_language_and_symbol_with_the_symbol_filter() -> None:
    with FakeTradingView(catalogue(6)) as fake:
        results, _ = run(config(fake, languages=("en", "de"), symbols=("NYSE:CRTE", "NASDAQ:LTRN")))
        lists = fake.requests(NEWS_FLOW_LIST)
    assert [p["filter"] for p in lists] == [
        ["lang:en", "symbol:NYSE:CRTE"], ["lang:en", "symbol:NASDAQ:LTRN"],
        ["lang:de", "symbol:NYSE:CRTE"], ["lang:de", "symbol:NASDAQ:LTRN"],
    ]
    stories = fetched(results)
    assert len(stories) == 8  # 2 symbols x 2 stories x 2 languages
    german = [f.story for f in stories if f.story.lang == "de"]
    assert german and all(s.title.startswith("[de] ") for s in german)


def test_items_of_a_page_are_yielded_before_the_next_page_is_requested() -> None:
    with FakeTradingView(catalogue(9), page_size=3) as fake:
        pages_when_yielded = []
        with TradingViewSource(config(fake)) as source:
            for result in source.fetch(Archive()):
                if not isinstance(result, Checkpoint):
                    pages_when_yielded.append(len(fake.requests(NEWS_FLOW_LIST)))
    assert pages_when_yielded == [1, 1, 1, 2, 2, 2, 3, 3, 3]


def test_known_item_is_skipped_and_paging_stops_at_the_watermark() -> None:
    stories = catalogue(12)
    with FakeTradingView(stories, page_size=4) as fake:
        archived_item = news_flow_item(stories[5])
        archive = Archive({(stories[5]["id"], "en"): item_hash(archived_item)})
        watermark = (archived_item["published"], stories[6]["id"])
        ticks = []
        state = SweepState(watermark=watermark)
        with TradingViewSource(config(fake)) as source:
            events = list(source.fetch(archive, on_item=lambda: ticks.append(1), state=lambda _seq: state.to_json()))
        story_requests = fake.story_ids(NEWS_FLOW_STORY)
        lists = fake.requests(NEWS_FLOW_LIST)
    results = [e for e in events if not isinstance(e, Checkpoint)]
    ids = [f.story.id for f in fetched(results)]
    assert ids == [c["id"] for c in stories[:8] if c is not stories[5]]
    assert stories[5]["id"] not in story_requests
    assert len(lists) == 2  # the page holding the watermark item was the last one
    assert len(archive.calls) == 2
    assert archive.calls[0] == [(c["id"], "en") for c in stories[:4]]
    assert len(ticks) == 8  # every list item of the two pages, the skipped one included
    checkpoints = [e for e in events if isinstance(e, Checkpoint)]
    assert len(checkpoints) == 2
    assert checkpoints[-1].state.watermark == (news_flow_item(stories[0])["published"], stories[0]["id"])
    assert checkpoints[-1].state.pending == []


def test_without_a_watermark_the_first_sweep_reads_the_whole_list() -> None:
    stories = catalogue(12)
    with FakeTradingView(stories, page_size=4) as fake:
        archive = Archive({(c["id"], "en"): item_hash(news_flow_item(c)) for c in stories[:6]})
        results, _ = run(config(fake), archive)
        assert len(fake.requests(NEWS_FLOW_LIST)) == 3
    assert [f.story.id for f in fetched(results)] == [c["id"] for c in stories[6:]]


def test_changed_item_is_fetched_again() -> None:
    stories = catalogue(4)
    with FakeTradingView(stories) as fake:
        archive = Archive({(stories[2]["id"], "en"): "hash-of-an-older-version"})
        results, _ = run(config(fake), archive)
        story_requests = fake.story_ids(NEWS_FLOW_STORY)
    assert stories[2]["id"] in story_requests
    assert [f.story.id for f in fetched(results)] == [c["id"] for c in stories]


def test_max_pages_bounds_the_sequence() -> None:
    with FakeTradingView(catalogue(20), page_size=3) as fake:
        results, _ = run(config(fake, max_pages=2))
        assert len(fake.requests(NEWS_FLOW_LIST)) == 2
    assert len(results) == 6


def test_429_with_retry_after_then_200_on_the_list() -> None:
    with FakeTradingView(catalogue(3)) as fake:
        fake.inject[NEWS_FLOW_LIST] = [Reply(429, b'{"message": "slow down"}', headers={"Retry-After": "0"})]
        started = time.monotonic()
        results, _ = run(config(fake))
        assert time.monotonic() - started < 2
        assert len(fake.requests(NEWS_FLOW_LIST)) == 2
    assert len(fetched(results)) == 3


def test_503_captcha_page_then_200_on_a_story() -> None:
    with FakeTradingView(catalogue(2)) as fake:
        fake.inject[NEWS_FLOW_STORY] = [Reply(503, CAPTCHA, "text/html")]
        results, _ = run(config(fake, concurrency=1))
        assert len(fake.requests(NEWS_FLOW_STORY)) == 3
    assert all(f.story.tree is not None for f in fetched(results))


def test_unknown_filter_value_is_a_config_error_naming_the_filter() -> None:
    with FakeTradingView(catalogue(2)) as fake:
        with pytest.raises(ConfigError) as info:
            run(config(fake, providers=("nobody", "examplewire")))
        assert len(fake.requests(NEWS_FLOW_LIST)) == 1  # never retried
    message = str(info.value)
    assert "provider:examplewire,nobody" in message and "unknown provider nobody" in message
    assert "lang:en" not in message.split("(")[0]
    assert info.value.exit_code == 2


def test_symbol_without_exchange_422_is_a_config_error() -> None:
    with FakeTradingView(catalogue(2)) as fake:
        with pytest.raises(ConfigError, match=r"symbol:AAPL .*HTTP 422: symbol AAPL must name its exchange"):
            run(config(fake, symbols=("AAPL",)))
        assert len(fake.log) == 1


def test_fake_server_rejects_unsorted_filters() -> None:
    """The validation every other test relies on: unsorted filters get a 400 from the fake."""
    with FakeTradingView(catalogue(1)) as fake, make_client(timeout=5, max_connections=1) as client:
        answer = client.get(fake.url + NEWS_FLOW_LIST, params=[("filter", "market:stock"), ("filter", "lang:en"),
                                                               ("client", "web"), ("user_prostatus", "non_pro")])
        assert answer.status_code == 400 and answer.json()["message"] == "filters must be sorted"


# -- stories: gated, flash, failures, story_url ----------------------------------------------


def test_gated_item_is_not_requested_and_yields_a_short_story() -> None:
    stories = catalogue(4, gated=[1])
    with FakeTradingView(stories) as fake:
        results, _ = run(config(fake))
        requested = fake.story_ids(NEWS_FLOW_STORY)
    assert stories[1]["id"] not in requested and len(requested) == 3
    gated = fetched(results)[1]
    assert gated.raw["story"] is None
    assert gated.story.gated and gated.story.tree is None
    assert gated.story.digest == "Body of story 1."
    assert parse_raw(gated.raw) == gated.story


def test_gated_item_is_requested_when_allowed() -> None:
    stories = catalogue(2, gated=[0])
    with FakeTradingView(stories) as fake:
        results, _ = run(config(fake, fetch_gated=True))
        assert stories[0]["id"] in fake.story_ids(NEWS_FLOW_STORY)
    first = fetched(results)[0].story
    assert first.gated and first.tree is not None


def test_flash_item_without_body_has_no_tree() -> None:
    with FakeTradingView(catalogue(2, flash=[1])) as fake:
        results, _ = run(config(fake))
    flash = fetched(results)[1].story
    assert flash.flash and flash.tree is None


def test_failing_stories_yield_failed_and_the_run_goes_on() -> None:
    stories = catalogue(5)
    with FakeTradingView(stories) as fake:
        fake.stories = stories[:1] + stories[2:]  # story 1 is listed below, but its story answers 404
        fake.story_overrides[stories[3]["id"]] = {"id": stories[3]["id"], "title": "", "published": 1}
        fake.story_overrides[stories[4]["id"]] = ["not", "an", "object"]
        listed = [news_flow_item(c) for c in stories]
        fake.inject[NEWS_FLOW_LIST] = [fake.json({"items": listed})]
        results, _ = run(config(fake))
    kinds = [type(r).__name__ for r in results]
    assert kinds == ["Fetched", "Failed", "Fetched", "Fetched", "Failed"]
    missing = results[1]
    assert isinstance(missing, Failed) and missing.id == stories[1]["id"] and missing.lang == "en"
    assert "404" in missing.message and NEWS_FLOW_STORY in missing.message
    # An empty title in the answer falls back to the list item's title: a merged, valid story.
    assert isinstance(results[3], Fetched) and results[3].story.title == stories[3]["title"]
    broken = results[4]
    assert isinstance(broken, Failed) and stories[4]["id"] in broken.message
    assert "not a JSON object" in broken.message


def test_story_url_is_tried_after_a_404_and_v3_is_merged_with_the_item() -> None:
    stories = catalogue(3)
    with FakeTradingView(stories, v1_story=False) as fake:
        results, _ = run(config(fake, story_url=fake.url))
        assert len(fake.requests(NEWS_FLOW_STORY)) == 3
        assert len(fake.requests("/v3/story")) == 3 and not fake.requests("/v2/story")
    for f, c in zip(fetched(results), stories):
        assert f.raw["story"] == {"title": c["title"], "shortDescription": c["digest"], "astDescription": c["tree"]}
        assert f.story.tree == c["tree"] and f.story.provider_name == c["provider"][1]
        assert f.story.url == "https://www.tradingview.com" + c["path"]
        assert f.story.symbols == tuple(c["symbols"]) and f.story.published == c["published"]


def test_oversized_list_is_a_fetch_error_and_oversized_story_a_failure() -> None:
    with FakeTradingView(catalogue(30), page_size=30) as fake:
        with pytest.raises(FetchError, match="byte limit"):
            run(config(fake, max_response_bytes=2000))
    with FakeTradingView(catalogue(2)) as fake:
        fake.story_overrides[catalogue(2)[1]["id"]] = {"id": "x", "title": "t", "published": 1, "pad": "z" * 5000}
        results, _ = run(config(fake, max_response_bytes=4000))
    assert isinstance(results[0], Fetched)
    assert isinstance(results[1], Failed) and "byte limit" in results[1].message


def test_stories_are_requested_concurrently_within_the_pool_limit() -> None:
    with FakeTradingView(catalogue(12), page_size=12, latency=0.1) as fake:
        started = time.monotonic()
        results, _ = run(config(fake, concurrency=4))
        elapsed = time.monotonic() - started
        assert fake.max_in_flight == 4
    assert len(fetched(results)) == 12
    assert elapsed < 1.0  # 1 list + 12 stories / 4 workers = 4 rounds of 0.1 s, not 13


# -- legacy and fallback ---------------------------------------------------------------------


def test_legacy_api_lists_per_category_and_uses_v2_story() -> None:
    stories = catalogue(4)
    with FakeTradingView(stories, news_flow=False) as fake:
        results, _ = run(config(fake, api="headlines", markets=("stock", "crypto"), symbols=("NYSE:CRTE",)))
        lists = fake.requests("/v2/headlines")
        assert [p["category"] for p in lists] == [["stock"], ["crypto"]]
        assert all(p["symbol"] == ["NYSE:CRTE"] and p["client"] == ["web"] and p["streaming"] == ["false"]
                   for p in lists)
        assert fake.story_ids("/v2/story") == [stories[1]["id"]]  # the second category repeats it: not refetched
    only = fetched(results)
    assert len(only) == 1 and only[0].raw["api"] == "headlines"
    assert only[0].story.provider_name == "Example Wire" and only[0].story.tags == ("Stocks", "Theme 1")


def test_legacy_bare_array_and_cursor() -> None:
    with FakeTradingView(catalogue(3), news_flow=False, legacy_bare_array=True) as fake:
        results, _ = run(config(fake, api="headlines"))
    assert len(fetched(results)) == 3
    with FakeTradingView(catalogue(5), news_flow=False, legacy_page_size=2) as fake:
        results, _ = run(config(fake, api="headlines"))
        assert [p.get("cursor") for p in fake.requests("/v2/headlines")] == [None, ["after-2"], ["after-4"]]
    assert len(fetched(results)) == 5


def test_legacy_only_server_falls_back_once_for_the_whole_run(sources_log: list[logging.LogRecord]) -> None:
    stories = catalogue(5)
    with FakeTradingView(stories, news_flow=False) as fake:
        results, source = run(config(fake, languages=("en", "de")))
        assert len(fake.requests(NEWS_FLOW_LIST)) == 1  # tried once, never again
        assert len(fake.requests("/v2/headlines")) == 2  # one per language (the probe is reused)
        assert not fake.requests(NEWS_FLOW_STORY)
        assert len(fake.requests("/v2/story")) == 10
    assert source.api == "headlines"
    assert len(fetched(results)) == 10
    assert all(f.raw["api"] == "headlines" for f in fetched(results))
    warnings = [r for r in sources_log if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert NEWS_FLOW_LIST in warnings[0].getMessage() and "headlines" in warnings[0].getMessage()
    assert fetched(results)[0].story == parse_raw(dict(fetched(results)[0].raw, api="news-flow"))


def test_news_flow_only_server_serves_a_legacy_config() -> None:
    with FakeTradingView(catalogue(3), legacy=False) as fake:
        results, source = run(config(fake, api="headlines"))
        assert len(fake.requests(NEWS_FLOW_STORY)) == 3
    assert source.api == "news-flow" and len(fetched(results)) == 3


def test_both_generations_missing_is_a_fetch_error_listing_the_urls() -> None:
    with FakeTradingView(catalogue(3), news_flow=False, legacy=False) as fake:
        with pytest.raises(FetchError) as info:
            run(config(fake))
    message = str(info.value)
    assert fake.url + NEWS_FLOW_LIST in message and fake.url + "/v2/headlines" in message


# -- the object itself ---------------------------------------------------------------------------


def test_shared_client_is_left_open_and_own_client_is_closed() -> None:
    with make_client(timeout=5, max_connections=2) as client:
        with make_source(TradingViewConfig(), client) as source:
            assert source.client is client
        assert not client.is_closed
    own = TradingViewSource(TradingViewConfig())
    own.close()
    assert own.client.is_closed
    with pytest.raises(ConfigError):
        make_source(TradingViewConfig(type="rss"))


# -- end to end against newsdesk.replay (the bundled sample archive) ------------------------------


def replay_run(api: str, generations: tuple[str, ...] = ("news-flow", "headlines"),
               **kw: Any) -> tuple[dict[tuple[str, str], Fetched], TradingViewSource, list[str]]:
    from newsdesk.replay import ReplayServer

    with ReplayServer(generations=generations, page_size=7) as replay:
        cfg = TradingViewConfig(api=api, api_url=replay.url, concurrency=8, retries=1, timeout=10, **kw)
        results, source = run(cfg)
        requests = list(replay.requests)
    by_key = {(f.story.id, f.story.lang): f for f in fetched(results)}
    assert len(by_key) == len(results)
    return by_key, source, requests


@pytest.mark.parametrize("api", ["news-flow", "headlines"])
def test_replay_sample_archive_end_to_end(api: str) -> None:
    from newsdesk.sample import load_archive

    records = load_archive()
    langs = ("en", "de")
    got, source, requests = replay_run(api, languages=langs)
    expected = {(r["id"], lang) for r in records for lang in langs if lang in r["versions"]}
    assert set(got) == expected
    assert source.api == api
    story_path = "/public/news/v1/story" if api == "news-flow" else "/v2/story"
    by_id = {r["id"]: r for r in records}
    gated = {key for key in expected
             if by_id[key[0]].get("paywall") or by_id[key[0]].get("permission") in ("headline", "preview")}
    assert gated  # the sample has gated stories: their bodies are never requested
    assert sum(1 for target in requests if target.startswith(story_path)) == len(expected) - len(gated)
    for key, result in got.items():
        record = by_id[key[0]]
        version = record["versions"][key[1]]
        assert result.story.title == version["title"].strip()
        assert result.story.published == record["published"]
        assert result.story.gated == (key in gated)
        assert (result.story.tree is None) == (key in gated or version.get("ast_description") is None)
        assert parse_raw(json.loads(json.dumps(result.raw))) == result.story


def test_replay_both_generations_give_equal_stories() -> None:
    flow, _, _ = replay_run("news-flow", languages=("en", "de", "es"))
    legacy, _, _ = replay_run("headlines", languages=("en", "de", "es"))
    assert flow.keys() == legacy.keys()
    for key in flow:
        assert flow[key].story == legacy[key].story, key


def test_replay_legacy_only_falls_back() -> None:
    got, source, requests = replay_run("news-flow", generations=("headlines",))
    assert source.api == "headlines" and got
    assert sum(1 for target in requests if target.startswith("/public/news-flow/")) == 1
