"""TradingViewSource against the replay server serving both API generations (real HTTP on 127.0.0.1).

Most tests serve their own small catalogue (``records=``), shaped to the case; scripted answers stand
for what the catalogue cannot say (a 429, a captcha page, a story that answers 404 or garbage).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from newsdesk.errors import ConfigError, FetchError
from newsdesk.http import make_client
from newsdesk.replay import ReplayServer, Reply, cursor_offset
from newsdesk.sample import Record, headlines_item, newsflow_item
from newsdesk.sources import Checkpoint, Failed, Fetched, make_source
from newsdesk.sources.sweep import SweepState
from newsdesk.sources.tradingview import TradingViewConfig, TradingViewSource, item_hash, parse_raw

ODD_ID = "tag:wire.example,2026-05-04:newsml_Q7/ab,c:0"  # holds / , : and .
NEWS_FLOW_LIST = "/public/news-flow/v2/news"
NEWS_FLOW_STORY = "/public/news/v1/story"
HEADLINES = "/v2/headlines"
NEWS_FLOW, LEGACY = ("news-flow",), ("headlines",)
CAPTCHA = b"<html><head><title>Captcha Challenge</title></head><body>...</body></html>"
ORIGIN = {"Origin": "https://www.tradingview.com", "Referer": "https://www.tradingview.com/"}


# -- the service: the replay server with a catalogue of its own ---------------------------------


def catalogue(count: int, *, gated: Sequence[int] = (), flash: Sequence[int] = ()) -> list[Record]:
    """Story records as a replay archive holds them, newest first; story 0 has the awkward id. Each is
    in English and in German (titles "[de] ..."), in the markets stock and crypto, from the US."""
    records = []
    for n in range(count):
        sid = ODD_ID if n == 0 else f"tradingview:{n:013x}:0"
        provider = ("examplewire", "Example Wire") if n % 2 else ("samplejournal", "Sample Journal")
        tree = {"type": "root", "children": [{"type": "p", "children": [f"Body of story {n}."]}]}
        english = {"title": f"Sample market story number {n}", "short_description": f"Body of story {n}.",
                   "ast_description": None if n in flash else tree,
                   "tags": [{"title": "Stocks"}, {"title": f"Theme {n % 4}"}]}
        record: Record = {
            "id": sid, "published": 1_777_900_000 - 60 * n, "urgency": 1 if n in flash else 2,
            "provider": {"id": provider[0], "name": provider[1]},
            "related_symbols": [{"symbol": ["NASDAQ:LTRN", "NYSE:CRTE", "XETR:BRKW"][n % 3]}],
            "story_path": f"/news/{sid.replace('tag:', '')}-sample-story-{n}/",
            "markets": ["crypto", "stock"], "countries": ["US"],
            "versions": {"en": english, "de": dict(english, title=f"[de] {english['title']}")},
        }
        if n in gated:
            record["permission"] = "preview"
        if n in flash:
            record["is_flash"] = True
        records.append(record)
    return records


def service(records: list[Record], *, generations: tuple[str, ...] = ("news-flow", "headlines"),
            page_size: int = 4, latency: float = 0.0) -> ReplayServer:
    return ReplayServer(records=records, generations=generations, page_size=page_size, latency=latency)


def requests(replay: ReplayServer, path: str) -> list[dict[str, list[str]]]:
    """The query of every request of ``path``, in order."""
    return [request.params for request in replay.seen(path)]


def story_ids(replay: ReplayServer, path: str) -> list[str]:
    return [params["id"][0] for params in requests(replay, path)]


def offsets(lists: list[dict[str, list[str]]]) -> list[int | None]:
    """The item offset each list request's cursor asked for (None: no cursor, the first page)."""
    return [cursor_offset(params["cursor"][0]) if "cursor" in params else None for params in lists]


# -- helpers ---------------------------------------------------------------------------------


class Archive:
    """A ``known`` lookup over a dict, recording every call."""

    def __init__(self, hashes: Mapping[tuple[str, str], str] | None = None) -> None:
        self.hashes = dict(hashes or {})
        self.calls: list[list[tuple[str, str]]] = []

    def __call__(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
        self.calls.append(list(keys))
        return {key: self.hashes[key] for key in keys if key in self.hashes}


def config(replay: ReplayServer, **kw: Any) -> TradingViewConfig:
    kw.setdefault("api_url", replay.url)
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


# -- news-flow -------------------------------------------------------------------------------


def test_news_flow_pages_through_the_cursor_and_yields_every_story() -> None:
    with service(catalogue(10), page_size=4) as replay:
        results, source = run(config(replay, markets=("stock", "crypto"), countries=("US", "DE"),
                                     providers=("samplejournal", "examplewire")))
        lists = requests(replay, NEWS_FLOW_LIST)
    stories = fetched(results)
    assert [f.story.id for f in stories] == [r["id"] for r in catalogue(10)]
    assert len(lists) == 3
    assert lists[0]["filter"] == ["lang:en", "market:crypto,stock", "market_country:DE,US",
                                  "provider:examplewire,samplejournal"]
    assert lists[0]["client"] == ["web"] and lists[0]["user_prostatus"] == ["non_pro"]
    assert lists[0]["streaming"] == ["false"]
    assert offsets(lists) == [None, 4, 8]
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
    with service(catalogue(6)) as replay:
        results, _ = run(config(replay, languages=("en", "de"), symbols=("NYSE:CRTE", "NASDAQ:LTRN")))
        lists = requests(replay, NEWS_FLOW_LIST)
    assert [p["filter"] for p in lists] == [
        ["lang:en", "symbol:NYSE:CRTE"], ["lang:en", "symbol:NASDAQ:LTRN"],
        ["lang:de", "symbol:NYSE:CRTE"], ["lang:de", "symbol:NASDAQ:LTRN"],
    ]
    stories = fetched(results)
    assert len(stories) == 8  # 2 symbols x 2 stories x 2 languages
    german = [f.story for f in stories if f.story.lang == "de"]
    assert german and all(s.title.startswith("[de] ") for s in german)


def test_items_of_a_page_are_yielded_before_the_next_page_is_requested() -> None:
    with service(catalogue(9), page_size=3) as replay:
        pages_when_yielded = []
        with TradingViewSource(config(replay)) as source:
            for result in source.fetch(Archive()):
                if not isinstance(result, Checkpoint):
                    pages_when_yielded.append(len(requests(replay, NEWS_FLOW_LIST)))
    assert pages_when_yielded == [1, 1, 1, 2, 2, 2, 3, 3, 3]


def test_known_item_is_skipped_and_paging_stops_at_the_watermark() -> None:
    stories = catalogue(12)
    with service(stories, page_size=4) as replay:
        archived_item = newsflow_item(stories[5], "en")
        archive = Archive({(stories[5]["id"], "en"): item_hash(archived_item)})
        watermark = (archived_item["published"], stories[6]["id"])
        ticks = []
        state = SweepState(watermark=watermark)
        with TradingViewSource(config(replay)) as source:
            events = list(source.fetch(archive, on_item=lambda: ticks.append(1), state=lambda _seq: state.to_json()))
        story_requests = story_ids(replay, NEWS_FLOW_STORY)
        lists = requests(replay, NEWS_FLOW_LIST)
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
    assert checkpoints[-1].state.watermark == (stories[0]["published"], stories[0]["id"])
    assert checkpoints[-1].state.pending == []


def test_without_a_watermark_the_first_sweep_reads_the_whole_list() -> None:
    stories = catalogue(12)
    with service(stories, page_size=4) as replay:
        archive = Archive({(c["id"], "en"): item_hash(newsflow_item(c, "en")) for c in stories[:6]})
        results, _ = run(config(replay), archive)
        assert len(requests(replay, NEWS_FLOW_LIST)) == 3
    assert [f.story.id for f in fetched(results)] == [c["id"] for c in stories[6:]]


def test_changed_item_is_fetched_again() -> None:
    stories = catalogue(4)
    with service(stories) as replay:
        archive = Archive({(stories[2]["id"], "en"): "hash-of-an-older-version"})
        results, _ = run(config(replay), archive)
        story_requests = story_ids(replay, NEWS_FLOW_STORY)
    assert stories[2]["id"] in story_requests
    assert [f.story.id for f in fetched(results)] == [c["id"] for c in stories]


def test_max_pages_bounds_the_sequence() -> None:
    with service(catalogue(20), page_size=3) as replay:
        results, _ = run(config(replay, max_pages=2))
        assert len(requests(replay, NEWS_FLOW_LIST)) == 2
    assert len(results) == 6


def test_429_with_retry_after_then_200_on_the_list() -> None:
    with service(catalogue(3)) as replay:
        replay.script(NEWS_FLOW_LIST, Reply.json({"message": "slow down"}, 429, headers={"Retry-After": "0"}))
        started = time.monotonic()
        results, _ = run(config(replay))
        assert time.monotonic() - started < 2
        assert len(requests(replay, NEWS_FLOW_LIST)) == 2
    assert len(fetched(results)) == 3


def test_503_captcha_page_then_200_on_a_story() -> None:
    with service(catalogue(2)) as replay:
        replay.script(NEWS_FLOW_STORY, Reply(503, CAPTCHA, "text/html"))
        results, _ = run(config(replay, concurrency=1))
        assert len(requests(replay, NEWS_FLOW_STORY)) == 3
    assert all(f.story.tree is not None for f in fetched(results))


def test_unknown_filter_value_is_a_config_error_naming_the_filter() -> None:
    with service(catalogue(2)) as replay:
        replay.script(NEWS_FLOW_LIST, Reply.json({"status": "error", "message": "unknown provider nobody"}, 400,
                                                 times=None), query={"filter": "provider:examplewire,nobody"})
        with pytest.raises(ConfigError) as info:
            run(config(replay, providers=("nobody", "examplewire")))
        assert len(requests(replay, NEWS_FLOW_LIST)) == 1  # never retried
    message = str(info.value)
    assert "provider:examplewire,nobody" in message and "unknown provider nobody" in message
    assert "lang:en" not in message.split("(")[0]
    assert info.value.exit_code == 2


def test_symbol_without_exchange_422_is_a_config_error() -> None:
    with service(catalogue(2)) as replay:
        with pytest.raises(ConfigError, match=r"symbol:AAPL .*HTTP 422: symbol 'AAPL' needs an exchange prefix"):
            run(config(replay, symbols=("AAPL",)))
        assert len(replay.requests) == 1


def test_the_service_rejects_unsorted_filters() -> None:
    """The validation every other test relies on: unsorted filters get a 400 from the replay server."""
    with service(catalogue(1)) as replay, make_client(timeout=5, max_connections=1, headers=ORIGIN) as client:
        answer = client.get(replay.url + NEWS_FLOW_LIST, params=[("filter", "market:stock"), ("filter", "lang:en"),
                                                                 ("client", "web"), ("user_prostatus", "non_pro")])
        assert answer.status_code == 400 and "alphabetical order" in answer.json()["message"]


# -- stories: gated, flash, failures, story_url ----------------------------------------------


def test_gated_item_is_not_requested_and_yields_a_short_story() -> None:
    stories = catalogue(4, gated=[1])
    with service(stories) as replay:
        items = [newsflow_item(r, "en") for r in stories]
        items[1]["shortDescription"] = "Body of story 1."  # a preview item carries its summary
        replay.script(NEWS_FLOW_LIST, Reply.json({"items": items}))
        results, _ = run(config(replay))
        requested = story_ids(replay, NEWS_FLOW_STORY)
    assert stories[1]["id"] not in requested and len(requested) == 3
    gated = fetched(results)[1]
    assert gated.raw["story"] is None
    assert gated.story.gated and gated.story.tree is None
    assert gated.story.digest == "Body of story 1."
    assert parse_raw(gated.raw) == gated.story


def test_gated_item_is_requested_when_allowed() -> None:
    stories = catalogue(2, gated=[0])
    with service(stories) as replay:
        results, _ = run(config(replay, fetch_gated=True))
        assert stories[0]["id"] in story_ids(replay, NEWS_FLOW_STORY)
    first = fetched(results)[0].story
    assert first.gated and first.tree is not None


def test_flash_item_without_body_has_no_tree() -> None:
    with service(catalogue(2, flash=[1])) as replay:
        results, _ = run(config(replay))
    flash = fetched(results)[1].story
    assert flash.flash and flash.tree is None


def test_failing_stories_yield_failed_and_the_run_goes_on() -> None:
    stories = catalogue(5)
    with service(stories, page_size=5) as replay:
        for n, answer, status in [(1, {"message": f"story {stories[1]['id']} not found"}, 404),  # listed, but gone
                                  (3, {"id": stories[3]["id"], "title": "", "published": 1}, 200),
                                  (4, ["not", "an", "object"], 200)]:
            replay.script(NEWS_FLOW_STORY, Reply.json(answer, status, times=None), query={"id": stories[n]["id"]})
        results, _ = run(config(replay))
    kinds = [type(r).__name__ for r in results]
    assert kinds == ["Fetched", "Failed", "Fetched", "Fetched", "Failed"]
    missing = results[1]
    assert isinstance(missing, Failed) and missing.id == stories[1]["id"] and missing.lang == "en"
    assert "404" in missing.message and NEWS_FLOW_STORY in missing.message
    # An empty title in the answer falls back to the list item's title: a merged, valid story.
    assert isinstance(results[3], Fetched) and results[3].story.title == stories[3]["versions"]["en"]["title"]
    broken = results[4]
    assert isinstance(broken, Failed) and stories[4]["id"] in broken.message
    assert "not a JSON object" in broken.message


def test_story_url_is_tried_after_a_404_and_v3_is_merged_with_the_item() -> None:
    stories = catalogue(3)
    with service(stories) as replay:
        replay.script(NEWS_FLOW_STORY, Reply.json({"message": "Not Found"}, 404, times=None))
        results, _ = run(config(replay, story_url=replay.url))
        assert len(requests(replay, NEWS_FLOW_STORY)) == 3
        assert len(requests(replay, "/v3/story")) == 3 and not requests(replay, "/v2/story")
    for f, c in zip(fetched(results), stories):
        en = c["versions"]["en"]
        assert f.raw["story"] == {"title": en["title"], "shortDescription": en["short_description"],
                                  "astDescription": en["ast_description"]}
        assert f.story.tree == en["ast_description"] and f.story.provider_name == c["provider"]["name"]
        assert f.story.url == "https://www.tradingview.com" + c["story_path"]
        assert f.story.symbols == tuple(s["symbol"] for s in c["related_symbols"])
        assert f.story.published == c["published"]


def test_oversized_list_is_a_fetch_error_and_oversized_story_a_failure() -> None:
    with service(catalogue(30), page_size=30) as replay:
        with pytest.raises(FetchError, match="byte limit"):
            run(config(replay, max_response_bytes=2000))
    with service(catalogue(2)) as replay:
        replay.script(NEWS_FLOW_STORY, Reply.json({"id": "x", "title": "t", "published": 1, "pad": "z" * 5000},
                                                  times=None), query={"id": catalogue(2)[1]["id"]})
        results, _ = run(config(replay, max_response_bytes=4000))
    assert isinstance(results[0], Fetched)
    assert isinstance(results[1], Failed) and "byte limit" in results[1].message


def test_stories_are_requested_concurrently_within_the_pool_limit() -> None:
    with service(catalogue(12), page_size=12, latency=0.1) as replay:
        started = time.monotonic()
        results, _ = run(config(replay, concurrency=4))
        elapsed = time.monotonic() - started
        assert replay.max_in_flight == 4
    assert len(fetched(results)) == 12
    assert elapsed < 1.0  # 1 list + 12 stories / 4 workers = 4 rounds of 0.1 s, not 13


# -- legacy and fallback ---------------------------------------------------------------------


def test_legacy_api_lists_per_category_and_uses_v2_story() -> None:
    stories = catalogue(4)
    with service(stories, generations=LEGACY) as replay:
        results, _ = run(config(replay, api="headlines", markets=("stock", "crypto"), symbols=("NYSE:CRTE",)))
        lists = requests(replay, "/v2/headlines")
        assert [p["category"] for p in lists] == [["stock"], ["crypto"]]
        assert all(p["symbol"] == ["NYSE:CRTE"] and p["client"] == ["web"] and p["streaming"] == ["false"]
                   for p in lists)
        assert story_ids(replay, "/v2/story") == [stories[1]["id"]]  # the second category repeats it: not refetched
    only = fetched(results)
    assert len(only) == 1 and only[0].raw["api"] == "headlines"
    assert only[0].story.provider_name == "Example Wire" and only[0].story.tags == ("Stocks", "Theme 1")


def test_legacy_bare_array_and_cursor() -> None:
    stories = catalogue(3)
    with service(stories, generations=LEGACY) as replay:
        replay.script(HEADLINES, Reply.json([headlines_item(r, "en") for r in stories]))  # no object, no cursor
        results, _ = run(config(replay, api="headlines"))
    assert len(fetched(results)) == 3
    with service(catalogue(5), generations=LEGACY, page_size=2) as replay:
        results, _ = run(config(replay, api="headlines"))
        assert offsets(requests(replay, "/v2/headlines")) == [None, 2, 4]
    assert len(fetched(results)) == 5


def test_legacy_only_server_falls_back_once_for_the_whole_run(caplog: pytest.LogCaptureFixture) -> None:
    stories = catalogue(5)
    caplog.set_level(logging.DEBUG, logger="newsdesk.sources")
    with service(stories, generations=LEGACY, page_size=10) as replay:
        results, source = run(config(replay, languages=("en", "de")))
        assert len(requests(replay, NEWS_FLOW_LIST)) == 1  # tried once, never again
        assert len(requests(replay, "/v2/headlines")) == 2  # one per language (the probe is reused)
        assert not requests(replay, NEWS_FLOW_STORY)
        assert len(requests(replay, "/v2/story")) == 10
    assert source.api == "headlines"
    assert len(fetched(results)) == 10
    assert all(f.raw["api"] == "headlines" for f in fetched(results))
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and r.name.startswith("newsdesk.sources")]
    assert len(warnings) == 1
    assert NEWS_FLOW_LIST in warnings[0].getMessage() and "headlines" in warnings[0].getMessage()
    assert fetched(results)[0].story == parse_raw(dict(fetched(results)[0].raw, api="news-flow"))


def test_news_flow_only_server_serves_a_legacy_config() -> None:
    with service(catalogue(3), generations=NEWS_FLOW) as replay:
        results, source = run(config(replay, api="headlines"))
        assert len(requests(replay, NEWS_FLOW_STORY)) == 3
    assert source.api == "news-flow" and len(fetched(results)) == 3


def test_both_generations_missing_is_a_fetch_error_listing_the_urls() -> None:
    with service(catalogue(3), generations=()) as replay, pytest.raises(FetchError) as info:
        url = replay.url
        run(config(replay))
    message = str(info.value)
    assert url + NEWS_FLOW_LIST in message and url + "/v2/headlines" in message


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
