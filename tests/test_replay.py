"""The replay server over real loopback HTTP: both API generations, paging, filters, errors, knobs."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from newsdesk.replay import ReplayServer, Reply, cursor_offset, serve
from newsdesk.sample import load_archive

HEADERS = {"Origin": "https://www.tradingview.com", "Referer": "https://www.tradingview.com/"}
PAGE = 7
FLOW = "/public/news-flow/v2/news"
Record = dict[str, Any]
Params = list[tuple[str, str]]

RECORDS: list[Record] = load_archive()
BY_ID = {r["id"]: r for r in RECORDS}


@pytest.fixture(scope="module")
def server() -> Iterator[ReplayServer]:
    with ReplayServer(page_size=PAGE) as replay:
        yield replay


@pytest.fixture()
def client(server: ReplayServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, headers=HEADERS, timeout=10) as http:
        yield http


def flow_params(*filters: str, client: str = "web") -> Params:
    return [("filter", f) for f in filters] + [("client", client), ("user_prostatus", "non_pro"),
                                               ("streaming", "false")]


def follow(client: httpx.Client, path: str, params: Params) -> tuple[list[dict[str, Any]], int]:
    """Every item of a listing, following cursors; asserts full pages and no repeated cursor."""
    items: list[dict[str, Any]] = []
    cursors: list[str] = []
    pages = 0
    while True:
        response = client.get(path, params=params + ([("cursor", cursors[-1])] if cursors else []))
        assert response.status_code == 200, response.text
        body = response.json()
        pages += 1
        items.extend(body["items"])
        cursor = body.get("pagination", {}).get("cursor")
        if not cursor:
            return items, pages
        assert len(body["items"]) == PAGE and cursor not in cursors
        cursors.append(cursor)


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def expected(predicate: Any) -> list[str]:
    return [r["id"] for r in RECORDS if predicate(r)]


@pytest.mark.parametrize("lang", ["en", "de", "es", "zh-Hans"])
def test_both_generations_list_every_story_of_a_language(client: httpx.Client, lang: str) -> None:
    want = expected(lambda r: lang in r["versions"])
    flow, _ = follow(client, FLOW, flow_params(f"lang:{lang}"))
    legacy, _ = follow(client, "/v2/headlines", [("client", "web"), ("lang", lang), ("streaming", "false")])
    assert ids(flow) == want and ids(legacy) == want  # newest first, no duplicates
    for item in flow + legacy:
        assert item["title"] == BY_ID[item["id"]]["versions"][lang]["title"]


def test_paging_covers_everything_once_and_the_last_page_has_no_cursor(client: httpx.Client) -> None:
    items, pages = follow(client, "/news-flow/v2/news", flow_params("lang:en"))
    assert len(items) == len(set(ids(items))) == len(expected(lambda r: "en" in r["versions"]))
    assert pages == -(-len(items) // PAGE) > 2
    cursor = client.get(FLOW, params=flow_params("lang:en")).json()["pagination"]["cursor"]
    assert not cursor.isdigit()
    for bad in ("nonsense", cursor[:-3]):
        answer = client.get(FLOW, params=flow_params("lang:en") + [("cursor", bad)])
        assert answer.status_code == 400 and answer.json()["status"] == "error"
    other_query = client.get(FLOW, params=flow_params("lang:de") + [("cursor", cursor)])
    assert other_query.status_code == 400


@pytest.mark.parametrize(("filters", "predicate"), [
    (["lang:en", "symbol:NASDAQ:VLTR"], lambda r: any(s["symbol"] == "NASDAQ:VLTR" for s in r.get("related_symbols", []))),
    (["lang:en", "provider:harborline"], lambda r: r["provider"]["id"] == "harborline"),
    (["lang:en", "provider:kestrel,quillstone"], lambda r: r["provider"]["id"] in ("kestrel", "quillstone")),
    (["lang:en", "market:crypto,forex"], lambda r: {"crypto", "forex"} & set(r["markets"])),
    (["lang:de", "market_country:DE"], lambda r: "DE" in r["countries"]),
    (["corp_activity:earnings", "lang:en"], lambda r: "earnings" in r.get("facets", {}).get("corp_activity", [])),
    (["lang:en", "priority:flash"], lambda r: r.get("is_flash")),
])
def test_news_flow_filters(client: httpx.Client, filters: list[str], predicate: Any) -> None:
    lang = next(f for f in filters if f.startswith("lang:"))[5:]
    items, _ = follow(client, FLOW, flow_params(*filters))
    want = expected(lambda r: lang in r["versions"] and predicate(r))
    assert want and ids(items) == want


@pytest.mark.parametrize(("params", "predicate"), [
    ([("symbol", "HKEX:1810")], lambda r: "HKEX:1810" in [s["symbol"] for s in r.get("related_symbols", [])]),
    ([("provider", "meridian")], lambda r: r["provider"]["id"] == "meridian"),
    ([("category", "crypto")], lambda r: "crypto" in r["markets"]),
    ([("category", "bond")], lambda r: {"bond", "corp_bond"} & set(r["markets"])),
    ([("category", "base"), ("area", "WLD")], lambda r: True),
    ([("area", "EUR")], lambda r: {"DE", "ES"} & set(r["countries"])),
])
def test_headlines_filters(client: httpx.Client, params: Params, predicate: Any) -> None:
    items, _ = follow(client, "/v2/headlines", [("client", "web"), ("lang", "en"), *params])
    want = expected(lambda r: "en" in r["versions"] and predicate(r))
    assert want and ids(items) == want


def test_symbol_views(client: httpx.Client) -> None:
    want = expected(lambda r: "en" in r["versions"] and "NASDAQ:VLTR" in [s["symbol"] for s in r["related_symbols"]]
                    if "related_symbols" in r else False)
    body = client.get("/public/view/v1/symbol", params=flow_params("lang:en", "symbol:NASDAQ:VLTR")).json()
    assert ids(body["items"]) == want[:PAGE]
    assert body["sections"] and all(set(s) == {"id", "title"} for s in body["sections"])
    several = client.get("/public/view/v1/symbol", params=flow_params("lang:en", "symbol:NASDAQ:PCCF,NASDAQ:VLTR"))
    assert several.status_code == 422 and several.json()["status"] == "error"
    assert client.get("/public/view/v1/symbol", params=flow_params("lang:en")).status_code == 400
    legacy, _ = follow(client, "/v2/view/headlines/symbol", [("client", "web"), ("lang", "en"),
                                                             ("symbol", "NASDAQ:VLTR")])
    assert ids(legacy) == want
    assert client.get("/v2/view/headlines/symbol", params={"symbol": "VLTR"}).status_code == 422


@pytest.mark.parametrize(("filters", "status", "named"), [
    (["market:stock", "lang:en"], 400, "alphabetical"),
    (["lang:en", "market:stock,etf"], 400, "market"),
    (["lang:en", "lang:de"], 400, "alphabetical"),
    (["lang:en", "colour:blue"], 400, "colour"),
    (["market:stock"], 400, "lang"),
    (["lang:xx"], 400, "xx"),
    (["lang:en", "market:stocks"], 400, "stocks"),
    (["lang:en", "symbol:AAPL"], 422, "AAPL"),
    (["lang:en", "symbol"], 400, "symbol"),
])
def test_news_flow_validates_like_the_service(client: httpx.Client, filters: list[str], status: int,
                                              named: str) -> None:
    for path in (FLOW, "/public/view/v1/symbol"):
        answer = client.get(path, params=flow_params(*filters))
        assert answer.status_code == status
        assert answer.headers["content-type"].startswith("application/json")
        body = answer.json()
        assert body["status"] == "error" and named in body["message"]


def test_client_parameter_is_required_on_news_flow(client: httpx.Client) -> None:
    answer = client.get(FLOW, params=[("filter", "lang:en")])
    assert answer.status_code == 400 and "client" in answer.json()["message"]


def test_story_endpoints_have_each_generations_shape(client: httpx.Client) -> None:
    sid = "tag:harborline.example,2026-11-02:newsml_HLN5G2B6/1:0"  # '/', ',' and ':' percent-encoded by httpx
    record = BY_ID[sid]
    v1 = client.get("/public/news/v1/story", params={"id": sid, "lang": "en", "user_prostatus": "non_pro"}).json()
    assert {"id", "title", "published", "urgency", "provider", "short_description", "ast_description",
            "story_path", "related_symbols", "language", "tags"} <= set(v1)
    assert v1["provider"] == record["provider"] and v1["story_path"] == record["story_path"]
    assert v1["language"] == "en" and not any(k in v1 for k in ("astDescription", "storyPath"))
    v2 = client.get("/v2/story", params={"id": sid, "lang": "en"}).json()
    assert {"id", "title", "published", "provider", "source", "sourceLogoId", "shortDescription",
            "astDescription", "storyPath", "relatedSymbols", "language", "tags"} <= set(v2)
    assert v2["provider"] == "harborline" and v2["source"] == "Harborline Wire"
    assert not any("_" in key for key in v2)
    v3 = client.get("/v3/story", params={"id": sid, "lang": "en"}).json()
    assert set(v3) == {"title", "shortDescription", "astDescription"}


@pytest.mark.parametrize(("path", "params"), [
    ("/public/news/v1/story", {"id": "nope:1:0", "lang": "en"}),
    ("/public/news/v1/story", {"id": "tradingview:3f9c1a7e52b04:0", "lang": "fr"}),
    ("/v2/story", {"id": "nope:1:0", "lang": "en"}),
    ("/v3/story", {"id": "rheinblick:2026-11-12:a4c1e7:0", "lang": "en"}),
])
def test_unknown_story_or_language_is_a_json_404(client: httpx.Client, path: str, params: dict[str, str]) -> None:
    answer = client.get(path, params=params)
    assert answer.status_code == 404 and answer.json()["status"] == "error"


def test_every_story_carries_the_same_title_and_tree_in_both_generations(client: httpx.Client) -> None:
    for record in RECORDS:
        for lang, version in record["versions"].items():
            query = {"id": record["id"], "lang": lang}
            v1 = client.get("/public/news/v1/story", params=query).json()
            v2 = client.get("/v2/story", params=query).json()
            v3 = client.get("/v3/story", params=query).json()
            assert v1["title"] == v2["title"] == v3["title"] == version["title"]
            assert v1["ast_description"] == v2["astDescription"] == v3["astDescription"]
            assert v1["ast_description"] == version["ast_description"]
            assert v1["short_description"] == v2["shortDescription"] == version["short_description"]


def test_flags_appear_only_when_set(client: httpx.Client) -> None:
    flow = {i["id"]: i for i in follow(client, FLOW, flow_params("lang:en"))[0]}
    legacy = {i["id"]: i for i in follow(client, "/v2/headlines", [("lang", "en")])[0]}
    for sid, item in flow.items():
        record = BY_ID[sid]
        assert item.get("paywall") == record.get("paywall") == legacy[sid].get("paywall")
        assert item.get("permission") == record.get("permission") == legacy[sid].get("permission")
        assert item.get("is_flash") == record.get("is_flash") == legacy[sid].get("isFlash")
        assert item.get("link") == record.get("link") == legacy[sid].get("link")
        assert ("relatedSymbols" in item) == ("related_symbols" in record) == ("relatedSymbols" in legacy[sid])
        assert set(item) <= {"id", "title", "published", "urgency", "provider", "storyPath", "relatedSymbols",
                             "link", "paywall", "permission", "is_flash"}
    assert any(i.get("paywall") for i in flow.values()) and any(i.get("is_flash") for i in flow.values())


def test_missing_origin_and_referer_get_nginx_403_html(server: ReplayServer) -> None:
    with httpx.Client(base_url=server.url) as bare:
        answer = bare.get(FLOW, params=flow_params("lang:en"))
        assert answer.status_code == 403
        assert answer.headers["content-type"].startswith("text/html") and "nginx" in answer.text
        assert bare.get("/v2/headlines", headers={"Referer": HEADERS["Referer"]}).status_code == 200
        assert bare.get("/v2/headlines", headers={"Origin": HEADERS["Origin"]}).status_code == 200


def test_unknown_paths_are_404_html(client: httpx.Client) -> None:
    answer = client.get("/public/news-flow/v3/news")
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")


def test_generations_limit_the_endpoint_families() -> None:
    with ReplayServer(generations=("headlines",)) as replay, \
            httpx.Client(base_url=replay.url, headers=HEADERS) as http:
        for path in (FLOW, "/news-flow/v2/news", "/public/view/v1/symbol", "/public/news/v1/story"):
            assert http.get(path, params=flow_params("lang:en")).status_code == 404
        assert http.get("/v2/headlines", params={"lang": "en"}).status_code == 200
    with pytest.raises(ValueError, match="generation"):
        ReplayServer(generations=("news-flow", "graphql"))


def test_hook_overrides_answers_and_sees_decoded_queries() -> None:
    seen: list[tuple[str, dict[str, list[str]]]] = []

    def hook(path: str, query: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes] | None:
        seen.append((path, query))
        if len(seen) == 1:
            return 429, {"Retry-After": "2", "Content-Type": "application/json"}, b'{"status": "error"}'
        if len(seen) == 2:
            return 503, {"Content-Type": "text/html"}, b"<html><title>Captcha Challenge</title></html>"
        return None

    with ReplayServer(hook=hook) as replay, httpx.Client(base_url=replay.url, headers=HEADERS) as http:
        first = http.get(FLOW, params=flow_params("lang:en", "symbol:HKEX:1810"))
        assert first.status_code == 429 and first.headers["retry-after"] == "2"
        assert http.get(FLOW, params=flow_params("lang:en")).status_code == 503
        assert http.get(FLOW, params=flow_params("lang:en")).status_code == 200
        assert seen[0] == (FLOW, {"filter": ["lang:en", "symbol:HKEX:1810"], "client": ["web"],
                                  "user_prostatus": ["non_pro"], "streaming": ["false"]})
        assert len(replay.requests) == 3 and all(r.startswith(FLOW + "?") for r in replay.requests)


def test_latency_applies_to_every_request() -> None:
    with ReplayServer(latency=0.05) as replay, httpx.Client(base_url=replay.url, headers=HEADERS) as http:
        started = time.perf_counter()
        for _ in range(3):
            assert http.get("/v3/story", params={"id": RECORDS[0]["id"], "lang": "en"}).status_code == 200
        assert time.perf_counter() - started >= 0.15


def test_requests_are_recorded_in_order_across_threads(server: ReplayServer) -> None:
    before = len(server.requests)
    with httpx.Client(base_url=server.url, headers=HEADERS) as http:
        http.get("/v2/headlines", params={"lang": "de"})
        http.get("/v3/story", params={"id": "kestrel:fx-0a91c3:0", "lang": "en"})
    assert server.requests[before:] == ["/v2/headlines?lang=de", "/v3/story?id=kestrel%3Afx-0a91c3%3A0&lang=en"]


def test_lifecycle_and_open_keep_alive_connections() -> None:
    replay = ReplayServer()
    with pytest.raises(RuntimeError):
        _ = replay.url
    replay.start()
    http = httpx.Client(base_url=replay.url, headers=HEADERS)
    try:
        assert http.get("/v2/headlines").status_code == 200
        replay.stop()  # must not hang on the client's idle keep-alive connection
        replay.stop()
        with pytest.raises(httpx.TransportError):
            http.get("/v2/headlines")
    finally:
        http.close()


def test_serve_blocks_until_interrupted() -> None:
    answers: list[int] = []

    def ready(replay: ReplayServer) -> None:
        answers.append(httpx.get(replay.url + "/v2/headlines", headers=HEADERS).status_code)
        raise KeyboardInterrupt

    thread = threading.Thread(target=serve, args=(None, 0), kwargs={"ready": ready})
    thread.start()
    thread.join(10)
    assert not thread.is_alive() and answers == [200]


# -- scripted answers, the request log, records (what the tests of clients steer) --------------------


def test_scripted_replies_answer_in_order_then_the_service_again() -> None:
    with ReplayServer() as replay, httpx.Client(base_url=replay.url) as bare:  # no Origin: scripts answer anyway
        replay.script(FLOW, Reply.json({"status": "error"}, 429, headers={"Retry-After": "2"}, times=2),
                      Reply(503, b"<html><title>Captcha Challenge</title></html>", "text/html"))
        answers = [bare.get(FLOW, params=flow_params("lang:en")) for _ in range(4)]
        listed = bare.get(FLOW, params=flow_params("lang:en"), headers=HEADERS)
        replay.script("/anything", Reply(200, b"plain", "text/plain", times=None))
        anything = [bare.get("/anything").text for _ in range(3)]
    assert [a.status_code for a in answers] == [429, 429, 503, 403]  # the script used up: nginx's 403 again
    assert answers[0].headers["retry-after"] == "2" and answers[0].json() == {"status": "error"}
    assert answers[2].headers["content-type"] == "text/html" and "Captcha" in answers[2].text
    assert listed.status_code == 200 and listed.json()["items"]
    assert anything == ["plain"] * 3


def test_a_script_can_answer_only_requests_with_given_query_values(client: httpx.Client) -> None:
    gone, kept = RECORDS[0]["id"], RECORDS[1]["id"]
    with ReplayServer() as replay, httpx.Client(base_url=replay.url, headers=HEADERS) as http:
        replay.script("/public/news/v1/story", Reply.json({"status": "error", "message": "gone"}, 404, times=None),
                      query={"id": gone})
        statuses = [http.get("/public/news/v1/story", params={"id": sid, "lang": "en"}).status_code
                    for sid in (gone, kept, gone)]
        listed = http.get(FLOW, params=flow_params("lang:en"))
    assert statuses == [404, 200, 404] and listed.status_code == 200


def test_scripted_delay_and_wire_fault() -> None:
    with ReplayServer() as replay, httpx.Client(base_url=replay.url, headers=HEADERS) as http:
        replay.script("/v2/headlines", Reply.json({"slow": True}, delay=0.3), Reply(body=b'{"items": []}' * 50,
                                                                                    fault="reset"))
        started = time.perf_counter()
        slow = http.get("/v2/headlines")
        took = time.perf_counter() - started
        with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
            http.get("/v2/headlines", headers={"Connection": "close"})
        after = http.get("/v2/headlines")
    assert slow.json() == {"slow": True} and took >= 0.3
    assert after.status_code == 200 and "items" in after.json()
    with pytest.raises(ValueError, match="teapot"):
        Reply(fault="teapot")
    with pytest.raises(ValueError, match="times"):
        Reply(times=0)


def test_the_log_keeps_each_requests_query_pairs_headers_and_port() -> None:
    with ReplayServer() as replay, httpx.Client(base_url=replay.url, headers=HEADERS) as http:
        http.get(FLOW, params=flow_params("lang:en", "market:stock"), headers={"X-Probe": "1"})
        http.get("/v2/headlines", params={"lang": "de"})
        first, second = replay.log
        assert replay.seen("/v2/headlines") == [second] and replay.seen("/nowhere") == []
    assert first.path == FLOW and list(first.query) == flow_params("lang:en", "market:stock")
    assert first.params["filter"] == ["lang:en", "market:stock"] and first.params["client"] == ["web"]
    assert first.headers["x-probe"] == "1" and first.headers["origin"] == HEADERS["Origin"]
    assert first.port == second.port  # one kept-alive connection
    assert replay.requests == [first.target, second.target] and second.target == "/v2/headlines?lang=de"


def test_records_replace_the_archive_and_are_checked() -> None:
    newer, older = ({**RECORDS[0], "id": "t:new:0", "published": 2_000_000_000},
                    {**RECORDS[1], "id": "t:old:0", "published": 1_000_000_000})
    with ReplayServer(records=[older, newer]) as replay, \
            httpx.Client(base_url=replay.url, headers=HEADERS) as http:
        items = http.get("/v2/headlines", params={"lang": "en"}).json()["items"]
    assert ids(items) == ["t:new:0", "t:old:0"]
    with pytest.raises(ValueError, match="t:bad:0"):
        ReplayServer(records=[{**RECORDS[0], "id": "t:bad:0", "versions": {}}])


def test_max_in_flight_counts_requests_answered_at_once() -> None:
    with ReplayServer(latency=0.3) as replay, \
            httpx.Client(base_url=replay.url, headers=HEADERS, limits=httpx.Limits(max_connections=3)) as http:
        threads = [threading.Thread(target=http.get, args=("/v2/headlines",)) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert replay.max_in_flight == 3
        http.get("/v2/headlines")
        assert replay.max_in_flight == 3 and len(replay.requests) == 4


def test_cursor_offset_reads_a_cursor(client: httpx.Client) -> None:
    first = client.get(FLOW, params=flow_params("lang:en")).json()["pagination"]["cursor"]
    second = client.get(FLOW, params=flow_params("lang:en") + [("cursor", first)]).json()["pagination"]["cursor"]
    assert (cursor_offset(first), cursor_offset(second)) == (PAGE, 2 * PAGE)
