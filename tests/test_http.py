"""newsdesk.http against scripted answers of the replay server over loopback (and MockTransport for
backoff timing only)."""

from __future__ import annotations

import dataclasses
import socket
import time
from collections.abc import Iterator
from email.utils import formatdate
from http import HTTPStatus
from typing import Any

import httpx
import pytest

from newsdesk.errors import FetchError
from newsdesk.http import (
    MAX_WAIT, ApiError, Deferred, HttpError, InvalidResponse, NotFound, ResponseTooLarge, backoff_delay,
    get_json, make_client, retry_after_seconds,
)
from newsdesk.replay import ReplayServer, Reply

CAPTCHA = b"<!DOCTYPE html><html><head><title>Captcha Challenge</title></head><body>prove it</body></html>"


def as_json(obj: Any, status: int = 200, **headers: str) -> Reply:
    return Reply.json(obj, status, headers=headers)


def script(server: ReplayServer, path: str, *replies: Reply) -> None:
    """``replies`` in order, the last one for every later request (as a misbehaving server keeps on)."""
    server.script(path, *replies[:-1], dataclasses.replace(replies[-1], times=None))


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with ReplayServer() as srv:
        yield srv


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with make_client(timeout=5.0, max_connections=4) as c:
        yield c


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def fetch(client: httpx.Client, url: str, params: Any = None, *, retries: int = 3,
          max_bytes: int = 1_000_000) -> tuple[Any, Sleeps]:
    sleeps = Sleeps()
    return get_json(client, url, params, retries=retries, max_bytes=max_bytes, sleep=sleeps), sleeps


def test_polite_headers_and_keep_alive(server: ReplayServer, client: httpx.Client) -> None:
    script(server, "/a", as_json({"ok": 1}))
    for _ in range(3):
        assert fetch(client, server.url + "/a")[0] == {"ok": 1}
    first = server.log[0].headers
    assert "origin" not in first and "referer" not in first  # a source adds its own (sources/tradingview.py)
    assert first["accept"] == "application/json"
    assert first["user-agent"].startswith("Mozilla/5.0")
    assert len({seen.port for seen in server.log}) == 1  # one kept-alive connection


def test_extra_headers_add_to_the_polite_ones(server: ReplayServer) -> None:
    script(server, "/a", as_json([]))
    with make_client(timeout=5, max_connections=1, headers={"X-Test": "1"}) as c:
        fetch(c, server.url + "/a")
    assert server.log[0].headers["x-test"] == "1"
    assert server.log[0].headers["user-agent"].startswith("Mozilla/5.0")


def test_repeated_params_keep_their_order(server: ReplayServer, client: httpx.Client) -> None:
    script(server, "/a", as_json({}))
    params = [("filter", "lang:en"), ("filter", "symbol:NASDAQ:AAPL"), ("id", "tag:x.com,2026:a/b:0")]
    fetch(client, server.url + "/a", params)
    assert list(server.log[0].query) == params
    fetch(client, server.url + "/a?client=web", params)  # a query in the URL is kept
    assert list(server.log[1].query) == [("client", "web"), *params]


def test_429_with_retry_after_then_200(server: ReplayServer, client: httpx.Client) -> None:
    script(server, "/a", as_json({"m": "slow"}, 429, **{"Retry-After": "7"}), as_json({"ok": True}))
    data, sleeps = fetch(client, server.url + "/a")
    assert data == {"ok": True}
    assert sleeps == [7.0]
    assert len(server.log) == 2


def test_a_long_retry_after_defers_at_once(server: ReplayServer, client: httpx.Client) -> None:
    script(server, "/a", as_json({}, 429, **{"Retry-After": "3600"}), as_json({"ok": True}))
    sleeps = Sleeps()
    before = time.time()
    with pytest.raises(Deferred) as info:
        get_json(client, server.url + "/a", retries=3, max_bytes=1000, sleep=sleeps)
    assert sleeps == [] and len(server.log) == 1
    assert before + 3600 <= info.value.until <= time.time() + 3600
    assert info.value.status == 429 and "Retry-After" in str(info.value)


def test_retry_after_still_refused_after_the_retries_defers(server: ReplayServer, client: httpx.Client) -> None:
    script(server, "/a", Reply(503, b"busy", "text/plain", {"Retry-After": "5"}))
    sleeps = Sleeps()
    with pytest.raises(Deferred) as info:
        get_json(client, server.url + "/a", retries=2, max_bytes=1000, sleep=sleeps)
    assert sleeps == [5.0, 5.0] and info.value.status == 503


def test_a_500_with_retry_after_is_not_a_deferral(server: ReplayServer, client: httpx.Client) -> None:
    script(server, "/a", Reply(500, b"oops", "text/plain", {"Retry-After": "5"}))
    with pytest.raises(HttpError) as info:
        fetch(client, server.url + "/a", retries=1)
    assert not isinstance(info.value, Deferred)


def test_retry_after_seconds_caps() -> None:
    assert retry_after_seconds("3600") == MAX_WAIT
    assert retry_after_seconds("3600", cap=None) == 3600.0
    assert retry_after_seconds("inf", cap=None) == 10.0 ** 9


def test_retry_after_as_http_date() -> None:
    now = 1_800_000_000.0
    assert retry_after_seconds(formatdate(now + 30, usegmt=True), now=now) == pytest.approx(30.0)
    assert retry_after_seconds(formatdate(now - 30, usegmt=True), now=now) == 0.0
    assert retry_after_seconds("12", now=now) == 12.0
    assert retry_after_seconds("soon", now=now) is None
    assert retry_after_seconds(None) is None


def test_503_captcha_page_is_transient(server: ReplayServer, client: httpx.Client) -> None:
    script(server, "/a", Reply(503, CAPTCHA, "text/html"), Reply(403, CAPTCHA, "text/html"), as_json({"ok": 2}))
    data, sleeps = fetch(client, server.url + "/a")
    assert data == {"ok": 2}
    assert len(sleeps) == 2 and 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0


def test_transient_fault_gives_up_after_the_retries(server: ReplayServer, client: httpx.Client) -> None:
    script(server, "/a", Reply(503, CAPTCHA, "text/html"))
    with pytest.raises(HttpError) as info:
        fetch(client, server.url + "/a", retries=2)
    assert len(server.log) == 3
    assert info.value.status == HTTPStatus.SERVICE_UNAVAILABLE
    assert server.url + "/a" in str(info.value) and "3 attempts" in str(info.value)
    assert isinstance(info.value, FetchError)


@pytest.mark.parametrize("status", [400, 422])
def test_client_errors_are_raised_at_once_with_the_service_message(
        server: ReplayServer, client: httpx.Client, status: int) -> None:
    script(server, "/a", as_json({"status": "error", "message": "filters must be sorted"}, status))
    with pytest.raises(ApiError) as info:
        fetch(client, server.url + "/a", [("filter", "lang:en")])
    assert not isinstance(info.value, NotFound)
    assert info.value.status == HTTPStatus(status) and isinstance(info.value.status, HTTPStatus)
    assert info.value.message == "filters must be sorted"
    assert info.value.url == server.url + "/a?filter=lang%3Aen"
    assert info.value.url in str(info.value) and "filters must be sorted" in str(info.value)
    assert len(server.log) == 1


def test_json_403_is_not_retried(server: ReplayServer, client: httpx.Client) -> None:
    script(server, "/a", as_json({"message": "forbidden"}, 403))
    with pytest.raises(ApiError, match="forbidden"):
        fetch(client, server.url + "/a")
    assert len(server.log) == 1


@pytest.mark.parametrize("status", [404, 410])
def test_not_found_and_gone(server: ReplayServer, client: httpx.Client, status: int) -> None:
    script(server, "/a", Reply(status, b"<html>nope</html>", "text/html"))
    with pytest.raises(NotFound) as info:
        fetch(client, server.url + "/a")
    assert info.value.status == status and info.value.message == ""
    assert len(server.log) == 1


def test_declared_oversized_answer_is_refused(server: ReplayServer, client: httpx.Client) -> None:
    script(server, "/a", as_json({"items": ["x" * 5000]}))
    with pytest.raises(ResponseTooLarge, match="1000-byte limit") as info:
        fetch(client, server.url + "/a", max_bytes=1000)
    assert server.url + "/a" in str(info.value)
    assert len(server.log) == 1


def test_streamed_oversized_answer_stops_reading(server: ReplayServer, client: httpx.Client) -> None:
    script(server, "/a", Reply(fault="oversize-chunked"))  # 9 MB, no Content-Length
    started = time.monotonic()
    with pytest.raises(ResponseTooLarge, match="reading stopped"):
        fetch(client, server.url + "/a", max_bytes=200_000)
    assert time.monotonic() - started < 5
    script(server, "/b", as_json({"after": True}))
    assert fetch(client, server.url + "/b")[0] == {"after": True}  # the client is still usable


@pytest.mark.parametrize("reply", [Reply(200, CAPTCHA, "text/html"), Reply(200, b"not json", "text/plain"),
                                   Reply(200, CAPTCHA, "application/json")])
def test_non_json_success_is_retried_then_an_error(server: ReplayServer, client: httpx.Client, reply: Reply) -> None:
    script(server, "/a", reply)
    with pytest.raises(InvalidResponse, match="expected JSON"):
        fetch(client, server.url + "/a", retries=2)
    assert len(server.log) == 3


def test_truncated_json_then_a_good_answer(server: ReplayServer, client: httpx.Client) -> None:
    script(server, "/a", Reply(200, b'{"items": [1, 2'), as_json({"items": [1, 2, 3]}))
    data, sleeps = fetch(client, server.url + "/a")
    assert data == {"items": [1, 2, 3]} and len(sleeps) == 1


def test_timeouts_are_retried(server: ReplayServer) -> None:
    script(server, "/a", Reply(200, b"{}", delay=0.6), as_json({"ok": 3}))
    with make_client(timeout=0.2, max_connections=2) as c:
        data, sleeps = fetch(c, server.url + "/a")
    assert data == {"ok": 3} and len(sleeps) == 1


def test_connection_refused_is_retried_then_reported() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with make_client(timeout=1, max_connections=1) as c, pytest.raises(HttpError) as info:
        _, sleeps = fetch(c, f"http://127.0.0.1:{port}/gone", [("id", "a")], retries=4)
    assert "gave up after 2 attempts" in str(info.value)  # CONNECT_RETRIES, not the whole budget
    assert info.value.status is None
    assert f"http://127.0.0.1:{port}/gone?id=a" in str(info.value)
    assert "ConnectError" in str(info.value)


def test_backoff_grows_exponentially_with_jitter_mock_transport() -> None:
    """Unit test of the timing logic only: MockTransport answers, an injected sleep records."""
    calls = 0

    def answer(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(502) if calls <= 4 else httpx.Response(200, json={"n": calls})

    sleeps = Sleeps()
    with make_client(timeout=1, max_connections=1, transport=httpx.MockTransport(answer)) as c:
        assert get_json(c, "http://api.test/x", retries=5, max_bytes=1000, backoff_base=1.0, sleep=sleeps) == {"n": 5}
    assert len(sleeps) == 4
    for attempt, wait in enumerate(sleeps):
        full = 2.0 ** attempt
        assert full / 2 <= wait <= full
    assert backoff_delay(20, 1.0) <= MAX_WAIT
