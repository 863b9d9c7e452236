"""The replay server's fault mode over real loopback HTTP (httpx): every fault as specified."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from newsdesk.faults import FAULTS, FaultPlan, Rule
from newsdesk.http import HttpError, InvalidResponse, NotFound, ResponseTooLarge, get_json, make_client
from newsdesk.replay import ReplayServer
from newsdesk.sample import load_archive, sample_archive_path

HEADERS = {"Origin": "https://www.tradingview.com", "Referer": "https://www.tradingview.com/"}
FLOW = "/public/news-flow/v2/news"
STORY = "/public/news/v1/story"
RECORDS = load_archive()
STORY_PARAMS = {"id": RECORDS[0]["id"], "lang": "en"}
LIST_PARAMS = [("filter", "lang:en"), ("client", "web")]
IMAGE = "/news/image/" + min(p.name for p in (sample_archive_path() / "images").iterdir())
PAGE = 5


@pytest.fixture(scope="module", autouse=True)
def _close_client() -> Iterator[None]:
    yield
    _HTTP.close()


def faulty(*rules: Rule, **plan: Any) -> ReplayServer:
    return ReplayServer(page_size=PAGE, faults=FaultPlan(rules=list(rules), **plan))


@pytest.fixture
def clean() -> Iterator[httpx.Client]:
    with ReplayServer(page_size=PAGE) as server, httpx.Client(base_url=server.url, headers=HEADERS) as http:
        yield http


_HTTP = httpx.Client(headers=HEADERS, verify=False)  # one client: making one costs ~0.1 s (TLS set-up)


def get(server: ReplayServer, path: str, params: Any, timeout: float = 5.0) -> httpx.Response:
    """GET on a fresh connection (a fault may have closed the previous one)."""
    return _HTTP.get(server.url + path, params=params, timeout=timeout, headers={"Connection": "close"})


@pytest.mark.parametrize(("fault", "status", "kind", "retry_after"), [
    ("429", 429, "application/json", None), ("429-retry-after", 429, "application/json", "1"),
    ("500", 500, "application/json", None), ("502", 502, "text/html", None),
    ("503", 503, "application/json", None), ("503-retry-after", 503, "application/json", "1"),
    ("html-200", 200, "text/html", None), ("html-403", 403, "text/html", None),
])
@pytest.mark.parametrize("endpoint", ["list", "story", "image"])
def test_error_answers_fault_only_the_matching_request(fault: str, status: int, kind: str, retry_after: str | None,
                                                       endpoint: str) -> None:
    path, params = {"list": (FLOW, LIST_PARAMS), "story": (STORY, STORY_PARAMS), "image": (IMAGE, None)}[endpoint]
    with faulty(Rule(fault, kind=endpoint)) as server:  # type: ignore[arg-type]
        first, second = get(server, path, params), get(server, path, params)
        other = get(server, STORY if endpoint != "story" else FLOW, STORY_PARAMS if endpoint != "story" else LIST_PARAMS)
    assert first.status_code == status
    assert first.headers["content-type"].startswith(kind)
    assert first.headers.get("retry-after") == retry_after
    if kind == "text/html":
        assert first.text.lstrip().startswith("<")
    assert second.status_code == 200 and other.status_code == 200  # the rule faulted only the first match
    assert server.faults is not None and server.faults.log == [(first.request.url.raw_path.decode(), fault)]


def test_latency_delays_an_otherwise_normal_answer(clean: httpx.Client) -> None:
    with faulty(Rule("latency", kind="story"), latency=0.4) as server:
        started = time.perf_counter()
        slow = get(server, STORY, STORY_PARAMS)
        took = time.perf_counter() - started
        started = time.perf_counter()
        fast = get(server, STORY, STORY_PARAMS)
        took_fast = time.perf_counter() - started
    assert took >= 0.4 > took_fast
    assert slow.json() == fast.json() == clean.get(STORY, params=STORY_PARAMS).json()


def test_reset_cuts_the_connection_mid_body(clean: httpx.Client) -> None:
    full = clean.get(STORY, params=STORY_PARAMS).content
    received = bytearray()
    with faulty(Rule("reset", kind="story")) as server, httpx.Client(base_url=server.url, headers=HEADERS) as http:
        with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)), \
                http.stream("GET", STORY, params=STORY_PARAMS) as response:
            assert response.status_code == 200
            assert int(response.headers["content-length"]) == len(full)
            for chunk in response.iter_raw():
                received += chunk
        assert len(received) < len(full) and full.startswith(bytes(received))
        with make_client(timeout=5, max_connections=1, headers=HEADERS) as client, pytest.raises(HttpError) as info:
            server.faults.rules.append(Rule("reset", kind="story", times=None))  # type: ignore[union-attr]
            get_json(client, server.url + STORY, STORY_PARAMS, retries=1, max_bytes=10**6, backoff_base=0.01)
    assert "gave up after 2 attempts" in str(info.value)


def test_truncated_json_is_a_complete_answer_that_does_not_parse(clean: httpx.Client) -> None:
    full = clean.get(FLOW, params=LIST_PARAMS).content
    with faulty(Rule("truncated", kind="list")) as server:
        cut = get(server, FLOW, LIST_PARAMS)
        with make_client(timeout=5, max_connections=1, headers=HEADERS) as client, pytest.raises(InvalidResponse):
            # every attempt truncated: get_json retries a non-JSON answer, then gives up
            server.faults.rules.append(Rule("truncated", kind="list", times=None))  # type: ignore[union-attr]
            get_json(client, server.url + FLOW, LIST_PARAMS, retries=2, max_bytes=10**6, sleep=lambda _s: None)
    assert cut.status_code == 200 and int(cut.headers["content-length"]) == len(cut.content)
    assert 0 < len(cut.content) < len(full) and full.startswith(cut.content)
    with pytest.raises(ValueError):
        json.loads(cut.content)


@pytest.mark.parametrize("fault", ["oversize", "oversize-chunked"])
def test_oversize_body_passes_the_cap(fault: str) -> None:
    size = 300_000
    with faulty(Rule(fault, kind="story", times=2), oversize_bytes=size) as server:
        whole = get(server, STORY, STORY_PARAMS)
        with make_client(timeout=5, max_connections=1, headers=HEADERS) as client, pytest.raises(ResponseTooLarge) as info:
            get_json(client, server.url + STORY, STORY_PARAMS, retries=2, max_bytes=100_000)
        normal = get(server, STORY, STORY_PARAMS)
    assert whole.status_code == 200 and len(whole.content) == size
    assert json.loads(whole.content)["items"] == []  # valid JSON: only the cap stops it
    if fault == "oversize":
        assert int(whole.headers["content-length"]) == size
        assert "exceeds the 100000-byte limit" in str(info.value) and "reading stopped" not in str(info.value)
    else:
        assert "content-length" not in whole.headers and whole.headers["transfer-encoding"] == "chunked"
        assert "reading stopped" in str(info.value)
    assert normal.status_code == 200 and len(normal.content) < 100_000


def test_hang_holds_until_the_client_gives_up() -> None:
    with faulty(Rule("hang", kind="list"), hang_seconds=20) as server:
        started = time.perf_counter()
        with pytest.raises(httpx.ReadTimeout):
            get(server, FLOW, LIST_PARAMS, timeout=0.5)
        assert time.perf_counter() - started < 3
        assert get(server, FLOW, LIST_PARAMS).status_code == 200
        started = time.perf_counter()
    assert time.perf_counter() - started < 2  # stop() does not wait for the hang's bound


def test_hang_is_bounded_when_the_client_waits() -> None:
    with faulty(Rule("hang", kind="list"), hang_seconds=0.5) as server:
        started = time.perf_counter()
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            get(server, FLOW, LIST_PARAMS, timeout=10)
        assert 0.5 <= time.perf_counter() - started < 5


def test_story_404_for_the_first_requests_of_one_story() -> None:
    other = {"id": RECORDS[1]["id"], "lang": "en"}
    with faulty(Rule("404", kind="story", story_id=RECORDS[0]["id"], times=2)) as server, \
            make_client(timeout=5, max_connections=1, headers=HEADERS) as client:
        for _ in range(2):
            with pytest.raises(NotFound):
                get_json(client, server.url + STORY, STORY_PARAMS, retries=3, max_bytes=10**6)
        assert get_json(client, server.url + STORY, other, retries=0, max_bytes=10**6)["id"] == RECORDS[1]["id"]
        assert get_json(client, server.url + STORY, STORY_PARAMS, retries=0, max_bytes=10**6)["id"] == RECORDS[0]["id"]
    assert [fault for _, fault in server.faults.log] == ["404", "404"]  # type: ignore[union-attr]


def test_skip_lets_the_first_matches_through() -> None:
    with faulty(Rule("500", path=FLOW, skip=2, times=1)) as server:
        statuses = [get(server, FLOW, LIST_PARAMS).status_code for _ in range(4)]
    assert statuses == [200, 200, 500, 200]


def test_cursor_loop_points_back_to_an_earlier_page(clean: httpx.Client) -> None:
    def page(http: httpx.Client, cursor: str | None) -> dict[str, Any]:
        response = http.get(FLOW, params=LIST_PARAMS + ([("cursor", cursor)] if cursor else []))
        assert response.status_code == 200
        return response.json()  # type: ignore[no-any-return]

    first = page(clean, None)
    second = page(clean, first["pagination"]["cursor"])
    third = page(clean, second["pagination"]["cursor"])
    with faulty(Rule("cursor-loop", kind="list", skip=2, times=None)) as server, \
            httpx.Client(base_url=server.url, headers=HEADERS) as http:
        a = page(http, None)
        b = page(http, a["pagination"]["cursor"])
        looped = page(http, b["pagination"]["cursor"])  # the third page, pointing back to the second
        again = page(http, looped["pagination"]["cursor"])
        back_to_start = page(http, None)
    assert a == first and b == second and looped["items"] == third["items"]
    assert looped["pagination"]["cursor"] == first["pagination"]["cursor"]
    assert again["items"] == second["items"]
    assert back_to_start["items"] == first["items"]  # the first page loops onto itself ...
    assert back_to_start["pagination"]["cursor"] != first["pagination"]["cursor"]
    assert again["pagination"]["cursor"] == back_to_start["pagination"]["cursor"]  # ... as the second does
    assert page(clean, back_to_start["pagination"]["cursor"])["items"] == first["items"]


def test_rate_is_seeded_deterministic_and_fits_each_endpoint() -> None:
    targets = [f"{STORY}?id=s{i}&lang=en" for i in range(600)] + [f"{FLOW}?cursor=c{i}" for i in range(600)]

    def draw(seed: int) -> list[str | None]:
        plan = FaultPlan(rate=0.2, seed=seed, hang_seconds=1)
        return [plan.decide("story" if t.startswith(STORY) else "list", t) for t in targets]

    once, twice, other = draw(7), draw(7), draw(8)
    assert once == twice and once != other
    faulted = [f for f in once if f is not None]
    assert 0.16 * len(targets) < len(faulted) < 0.24 * len(targets)
    assert set(faulted) == set(FAULTS)
    assert "cursor-loop" not in once[:600] and "404" not in once[600:]
    plan = FaultPlan(rate=0.5, seed=1)
    repeated = [plan.decide("story", targets[0]) for _ in range(40)]  # each repeat is a new draw
    assert 5 < sum(f is not None for f in repeated) < 35


def test_rate_applies_only_to_the_chosen_kinds_and_mix() -> None:
    plan = FaultPlan(rate=1.0, mix=("500", "cursor-loop"), kinds=frozenset({"list"}))
    assert plan.decide("story", f"{STORY}?id=a") is None
    assert {plan.decide("list", f"{FLOW}?cursor={i}") for i in range(50)} == {"500", "cursor-loop"}
    with pytest.raises(ValueError):
        FaultPlan(rate=1.5)
    with pytest.raises(ValueError):
        Rule("teapot")


def test_replay_command_faults_as_its_seed_says() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "newsdesk", "replay", "--port", "0", "--faults", "0.5",
                             "--seed", "3"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(5)]
        url = re.search(r"http://127\.0\.0\.1:\d+", lines[0]).group(0)  # type: ignore[union-attr]
        assert any("Faulting 50% of requests (seed 3)" in line for line in lines)
        predicted = FaultPlan(rate=0.5, seed=3)  # the same draw, in this process
        outcomes: list[tuple[str | None, bool]] = []  # (predicted fault, answered with the story)
        with httpx.Client(base_url=url, headers=HEADERS, timeout=1.0) as http:
            target = http.build_request("GET", STORY, params=STORY_PARAMS).url.raw_path.decode()
            for _ in range(16):
                fault = predicted.decide("story", target)
                try:
                    outcomes.append((fault, _is_story(http.get(STORY, params=STORY_PARAMS))))
                except httpx.HTTPError:  # reset, hang (timeout), ...
                    outcomes.append((fault, False))
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
    assert any(f is None for f, _ in outcomes) and any(f not in (None, "latency") for f, _ in outcomes)
    assert all(story == (fault in (None, "latency")) for fault, story in outcomes), outcomes


def _is_story(response: httpx.Response) -> bool:
    """A 200 JSON answer holding the whole story."""
    try:
        return (response.status_code == 200 and response.headers["content-type"].startswith("application/json")
                and response.json().get("id") == RECORDS[0]["id"])
    except ValueError:
        return False
