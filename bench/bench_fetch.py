"""Fetch throughput of TradingViewSource at concurrency 1, 4 and 16 against a loopback server.

The server (threaded, on 127.0.0.1) speaks both API generations for a generated catalogue and
sleeps ``--latency`` seconds (default 50 ms) before every answer, so the figures measure how well
story requests overlap, not how fast Python parses JSON. Lists come in large pages so the list
requests do not dominate. Prints a Markdown table; the target is concurrency 16 >= 10x concurrency 1.

    .venv/bin/python bench/bench_fetch.py [--stories 200] [--latency 0.05] [--api news-flow|headlines]
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from newsdesk.config import SourceConfig
from newsdesk.sources import Fetched, TradingViewSource

CONCURRENCIES = (1, 4, 16)
TARGET = 10.0


def make_catalogue(count: int) -> dict[str, dict[str, Any]]:
    stories = {}
    for n in range(count):
        sid = f"tradingview:{n:013x}:0"
        stories[sid] = {
            "id": sid, "title": f"Benchmark story {n}", "published": 1_777_000_000 - n,
            "storyPath": f"/news/{sid}-benchmark-story-{n}/", "urgency": 2,
            "relatedSymbols": [{"symbol": "NASDAQ:BNCH"}],
            "tree": {"type": "root", "children": [{"type": "p", "children": [f"Paragraph {i} of story {n}. " * 8]}
                                                  for i in range(6)]},
        }
    return stories


class BenchServer:
    """A threaded loopback server: news-flow and legacy lists (one big page) and stories."""

    def __init__(self, stories: dict[str, dict[str, Any]], latency: float) -> None:
        self.stories, self.latency = stories, latency
        bench = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body are written apart: no 40 ms delayed-ACK stall

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                status, body = bench.answer(parts.path, dict(parse_qsl(parts.query)))
                time.sleep(bench.latency)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def answer(self, path: str, params: dict[str, str]) -> tuple[int, Any]:
        items = [{k: v for k, v in s.items() if k != "tree"} for s in self.stories.values()]
        if path == "/public/news-flow/v2/news":
            return 200, {"items": [dict(i, provider={"id": "bench", "name": "Bench Wire"}) for i in items]}
        if path == "/v2/headlines":
            return 200, {"items": [dict(i, provider="bench", source="Bench Wire") for i in items]}
        story = self.stories.get(params.get("id", ""))
        if story is None:
            return 404, {"message": "not found"}
        if path == "/public/news/v1/story":
            return 200, {"id": story["id"], "title": story["title"], "published": story["published"],
                         "language": params.get("lang", "en"), "provider": {"id": "bench", "name": "Bench Wire"},
                         "story_path": story["storyPath"], "ast_description": story["tree"],
                         "short_description": f"Paragraph 0 of {story['title']}…", "tags": [{"title": "Bench"}]}
        if path in ("/v2/story", "/v3/story"):
            return 200, {"id": story["id"], "title": story["title"], "published": story["published"],
                         "provider": "bench", "source": "Bench Wire", "storyPath": story["storyPath"],
                         "astDescription": story["tree"], "tags": [{"title": "Bench"}]}
        return 404, {"message": "not found"}

    def __enter__(self) -> BenchServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


def no_archive(keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
    return {}


def measure(url: str, api: str, concurrency: int, expected: int) -> tuple[float, int, int]:
    """(seconds, stories fetched, requests made) for one full run."""
    config = SourceConfig(api=api, api_url=url, concurrency=concurrency, max_pages=1, retries=0, timeout=30)
    started = time.perf_counter()
    with TradingViewSource(config) as source:
        got = sum(isinstance(result, Fetched) for result in source.fetch(no_archive))
        requests = source.requests_made
    elapsed = time.perf_counter() - started
    if got != expected:
        raise SystemExit(f"expected {expected} stories at concurrency {concurrency}, got {got}")
    return elapsed, got, requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added to every answer")
    parser.add_argument("--api", choices=("news-flow", "headlines"), default="news-flow")
    args = parser.parse_args()

    rows = []
    with BenchServer(make_catalogue(args.stories), args.latency) as server:
        for concurrency in CONCURRENCIES:
            rows.append((concurrency, *measure(server.url, args.api, concurrency, args.stories)))

    base_rate = rows[0][2] / rows[0][1]
    print(f"Fetch throughput, {args.api} API, {args.stories} stories, {args.latency * 1000:.0f} ms latency "
          "per request (loopback, threaded server)\n")
    print("| concurrency | requests | seconds | stories/s | vs concurrency 1 |")
    print("|---:|---:|---:|---:|---:|")
    for concurrency, seconds, stories, requests in rows:
        rate = stories / seconds
        print(f"| {concurrency} | {requests} | {seconds:.2f} | {rate:.1f} | {rate / base_rate:.1f}x |")
    ratio = (rows[-1][2] / rows[-1][1]) / base_rate
    verdict = "met" if ratio >= TARGET else "MISSED"
    print(f"\nconcurrency {CONCURRENCIES[-1]} vs 1: {ratio:.1f}x (target >= {TARGET:.0f}x: {verdict})")


if __name__ == "__main__":
    main()
