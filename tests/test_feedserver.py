"""FeedServer over real loopback HTTP (httpx): conditional GET, content swaps, the log, faults, bounds."""

from __future__ import annotations

import threading
import time
from collections import Counter
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

import httpx
import pytest

from newsdesk.feedserver import Fault, FeedServer, Logged
from newsdesk.sources.feed_parse import parse_feed

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
RSS = b"<rss version='2.0'><channel><title>One</title><item><title>A</title><link>/a</link></item></channel></rss>"


def test_conditional_get_with_etag_and_last_modified() -> None:
    with FeedServer({"/feed.xml": RSS}) as server, httpx.Client(base_url=server.url) as client:
        first = client.get("/feed.xml")
        assert first.status_code == 200 and first.content == RSS
        assert first.headers["content-type"] == "application/rss+xml"
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        assert etag.startswith('"') and not etag.startswith("W/")
        for headers in ({"If-None-Match": etag}, {"If-None-Match": f'"other", W/{etag}'}, {"If-None-Match": "*"},
                        {"If-Modified-Since": modified}, {"If-None-Match": etag, "If-Modified-Since": "garbage"}):
            again = client.get("/feed.xml", headers=headers)
            assert (again.status_code, again.content) == (304, b""), headers
            assert (again.headers["etag"], again.headers["last-modified"]) == (etag, modified)
        earlier = formatdate(time.time() - 86400 * 2, usegmt=True)
        for headers in ({"If-None-Match": '"stale"'}, {"If-Modified-Since": earlier},
                        {"If-None-Match": '"stale"', "If-Modified-Since": modified}):  # If-None-Match decides
            assert client.get("/feed.xml", headers=headers).status_code == 200, headers
        head = client.head("/feed.xml")
        assert (head.status_code, head.content, head.headers["content-length"]) == (200, b"", str(len(RSS)))


def test_the_log_and_the_status_counter() -> None:
    with FeedServer({f"/f{i}.xml": RSS for i in range(3)}) as server, httpx.Client(base_url=server.url) as client:
        etags = {i: client.get(f"/f{i}.xml", headers={"User-Agent": "newsdesk-test"}).headers["etag"] for i in range(3)}
        assert server.statuses() == Counter({200: 3})
        first = server.log[0]
        assert (first.method, first.target, first.path, first.status, first.fault) == ("GET", "/f0.xml", "/f0.xml", 200, None)
        assert first.headers["user-agent"] == "newsdesk-test"
        server.clear_log()
        for i in range(3):
            client.get(f"/f{i}.xml", headers={"If-None-Match": etags[i]})
        assert server.statuses() == Counter({304: 3})  # one 304 per feed and nothing else
        assert server.statuses("/f1.xml") == Counter({304: 1})
        assert [entry.headers["if-none-match"] for entry in server.log] == [etags[0], etags[1], etags[2]]


def test_a_hundred_unchanged_feeds_cost_a_hundred_304s() -> None:
    with FeedServer({f"/feeds/{i}.xml": RSS + str(i).encode() for i in range(100)}) as server, \
            httpx.Client(base_url=server.url) as client:
        validators = {}
        for i in range(100):
            answer = client.get(f"/feeds/{i}.xml")
            validators[i] = {"If-None-Match": answer.headers["etag"], "If-Modified-Since": answer.headers["last-modified"]}
        server.clear_log()
        assert {client.get(f"/feeds/{i}.xml", headers=validators[i]).status_code for i in range(100)} == {304}
        assert server.statuses() == Counter({304: 100})


def test_content_swap_changes_the_validators_even_within_a_second() -> None:
    with FeedServer({"/feed.xml": RSS}) as server, httpx.Client(base_url=server.url) as client:
        old = client.get("/feed.xml")
        server.set("/feed.xml", RSS.replace(b"One", b"Two"))
        by_etag = client.get("/feed.xml", headers={"If-None-Match": old.headers["etag"]})
        by_date = client.get("/feed.xml", headers={"If-Modified-Since": old.headers["last-modified"]})
        assert by_etag.status_code == by_date.status_code == 200
        assert by_etag.content == RSS.replace(b"One", b"Two")
        assert by_etag.headers["etag"] != old.headers["etag"]
        assert parsedate_to_datetime(by_etag.headers["last-modified"]) > parsedate_to_datetime(old.headers["last-modified"])
        assert client.get("/feed.xml", headers={"If-None-Match": by_etag.headers["etag"]}).status_code == 304
        server.remove("/feed.xml")
        assert client.get("/feed.xml").status_code == 404
        server.set("/new/page.html", b"<html></html>")
        page = client.get("/new/page.html")
        assert (page.status_code, page.headers["content-type"]) == (200, "text/html")


def test_a_folder_with_types_from_extension_and_content_and_query_fallback() -> None:
    with FeedServer(FEEDS) as server, httpx.Client(base_url=server.url) as client:
        types = {name: client.get(f"/{name}").headers["content-type"]
                 for name in ("rss20_excerpts.xml", "atom_full.xml", "rss10.rdf", "page.html")}
        assert types == {"rss20_excerpts.xml": "application/rss+xml", "atom_full.xml": "application/atom+xml",
                         "rss10.rdf": "application/rdf+xml", "page.html": "text/html"}
        assert client.get("/dates.xml?since=2026").content == (FEEDS / "dates.xml").read_bytes()
        assert client.get("/missing.xml").status_code == 404
        assert client.post("/dates.xml", content=b"x").status_code == 405
        assert [entry.status for entry in server.log][-2:] == [404, 405]


def test_fetched_feeds_parse_with_their_content_type_and_url() -> None:
    with FeedServer(FEEDS) as server, httpx.Client() as client:
        url = server.url_for("/relative.xml")
        answer = client.get(url)
        feed = parse_feed(answer.content, url, content_type=answer.headers["content-type"])
        assert feed.entries[0].link == "https://www.copperline.example/newsroom/2026/red-creek"
        server.set("/latin.xml", (FEEDS / "latin1_undeclared.xml").read_bytes(),
                   "application/rss+xml; charset=ISO-8859-1")
        answer = client.get(server.url_for("/latin.xml"))
        feed = parse_feed(answer.content, str(answer.url), content_type=answer.headers["content-type"])
        assert feed.entries[0].title == "Résultats annuels : hausse de 5 %"


def test_status_fault_with_retry_after_for_a_number_of_requests() -> None:
    with FeedServer({"/feed.xml": RSS, "/other.xml": RSS}) as server, httpx.Client(base_url=server.url) as client:
        server.fault("/feed.xml", Fault(status=503, retry_after=120, times=2))
        answers = [client.get("/feed.xml") for _ in range(3)]
        assert [a.status_code for a in answers] == [503, 503, 200]
        assert answers[0].headers["retry-after"] == "120"
        assert client.get("/other.xml").status_code == 200  # per path
        assert [(e.status, e.fault) for e in server.log] == [(503, "503"), (503, "503"), (200, None), (200, None)]
        server.fault("/feed.xml", Fault(status=429))
        assert {client.get("/feed.xml").status_code for _ in range(3)} == {429}  # until cleared
        server.clear_faults("/feed.xml")
        assert client.get("/feed.xml").status_code == 200


def test_redirect_fault() -> None:
    with FeedServer({"/old.xml": b"", "/new.xml": RSS}) as server, httpx.Client(base_url=server.url) as client:
        server.fault("/old.xml", Fault(status=301, location="/new.xml"))
        answer = client.get("/old.xml", follow_redirects=True)
        assert (answer.status_code, answer.content) == (200, RSS)
        assert [(e.path, e.status) for e in server.log] == [("/old.xml", 301), ("/new.xml", 200)]


def test_delay_fault() -> None:
    with FeedServer({"/feed.xml": RSS}) as server, httpx.Client(base_url=server.url) as client:
        server.fault("/feed.xml", Fault(delay=0.3, times=1))
        started = time.monotonic()
        assert client.get("/feed.xml").status_code == 200
        assert time.monotonic() - started >= 0.3
        assert server.log[0].fault == "delay"


def test_reset_fault_cuts_the_body() -> None:
    body = RSS * 200
    with FeedServer({"/feed.xml": body}) as server, httpx.Client(base_url=server.url) as client:
        server.fault("/feed.xml", Fault(reset=True, times=1))
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            client.get("/feed.xml")
        assert client.get("/feed.xml").content == body  # a new connection, a whole answer
        assert [(e.status, e.fault) for e in server.log] == [(200, "reset"), (200, None)]


def test_hang_fault_is_bounded_and_stop_ends_it() -> None:
    server = FeedServer({"/feed.xml": RSS}).start()
    try:
        server.fault("/feed.xml", Fault(hang=30))
        with httpx.Client(base_url=server.url, timeout=0.3) as client, pytest.raises(httpx.ReadTimeout):
            client.get("/feed.xml")
        assert server.log == [Logged("GET", "/feed.xml", 0, server.log[0].headers, "hang")]
        server.fault("/feed.xml", Fault(hang=0.2, times=1))  # the server gives up by itself
        with httpx.Client(base_url=server.url, timeout=5) as client, pytest.raises(httpx.RemoteProtocolError):
            client.get("/feed.xml")
        server.fault("/feed.xml", Fault(hang=30))
        hanging = threading.Thread(target=_swallow, args=(server.url_for("/feed.xml"),), daemon=True)
        hanging.start()
        time.sleep(0.2)
    finally:
        started = time.monotonic()
        server.stop()
    assert time.monotonic() - started < 2.0
    hanging.join(timeout=5)
    assert not hanging.is_alive()


def _swallow(url: str) -> None:
    try:
        httpx.get(url, timeout=10)
    except httpx.HTTPError:
        pass


def test_connections_are_bounded() -> None:
    with FeedServer({"/slow.xml": RSS}, max_connections=2) as server:
        server.fault("/slow.xml", Fault(delay=0.3))
        results: list[int] = []

        def fetch() -> None:
            results.append(httpx.get(server.url_for("/slow.xml"), timeout=10).status_code)

        threads = [threading.Thread(target=fetch) for _ in range(4)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        assert results == [200] * 4
        assert time.monotonic() - started >= 0.6  # two at a time: at least two rounds of 0.3 s


def test_fault_validation_and_lifecycle() -> None:
    with pytest.raises(ValueError, match="one of status, reset or hang"):
        Fault(status=503, reset=True)
    with pytest.raises(ValueError, match="times"):
        Fault(status=503, times=0)
    server = FeedServer()
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.url
    with server, pytest.raises(RuntimeError, match="already running"):
        server.start()
    server.stop()  # stopping twice is harmless
