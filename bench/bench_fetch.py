"""Fetch throughput of TradingViewSource at concurrency 1, 4 and 16 against the replay server.

The replay server (:mod:`newsdesk.replay`, threaded, on 127.0.0.1) serves a synthetic archive of
``--stories`` stories cloned from the bundled sample (new ids, gating removed so every story is
requested) and sleeps ``--latency`` seconds (default 50 ms) before every answer, so the figures
measure how well story requests overlap, not how fast Python parses JSON. One page holds every
item, so the single list request does not dominate. Prints a Markdown table; the target is
concurrency 16 >= 10x concurrency 1.

    .venv/bin/python bench/bench_fetch.py [--stories 200] [--latency 0.05] [--api news-flow|headlines]
"""

from __future__ import annotations

import argparse
import copy
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from newsdesk.replay import ReplayServer
from newsdesk.sample import load_archive
from newsdesk.sources import Fetched
from newsdesk.sources.tradingview import TradingViewConfig, TradingViewSource

CONCURRENCIES = (1, 4, 16)
TARGET = 10.0


def write_archive(folder: Path, count: int) -> None:
    """``count`` English, ungated stories cloned from the bundled sample, with ids of their own."""
    templates = [r for r in load_archive() if "en" in r["versions"]]
    stories = folder / "stories"
    stories.mkdir(parents=True)
    for n in range(count):
        record = copy.deepcopy(templates[n % len(templates)])
        for key in ("paywall", "permission"):
            record.pop(key, None)
        record["id"] = f"tradingview:bench{n:08d}:0"
        record["story_path"] = f"/news/tradingview:bench{n:08d}:0-benchmark-story/"
        record["published"] -= n
        record["versions"] = {"en": record["versions"]["en"]}
        (stories / f"{n:05d}.json").write_text(json.dumps(record), encoding="utf-8")


def no_archive(keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
    return {}


def measure(url: str, api: str, concurrency: int, expected: int) -> tuple[float, int, int]:
    """(seconds, stories fetched, requests made) for one full run from an empty archive."""
    config = TradingViewConfig(api=api, api_url=url, concurrency=concurrency, max_pages=1, retries=0, timeout=30)
    started = time.perf_counter()
    with TradingViewSource(config) as source:
        got = sum(isinstance(result, Fetched) for result in source.fetch(no_archive))
        requests = source.requests_made
    elapsed = time.perf_counter() - started
    if got != expected:
        raise SystemExit(f"expected {expected} stories at concurrency {concurrency}, got {got}")
    return elapsed, got, requests


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--stories", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added to every answer")
    parser.add_argument("--api", choices=("news-flow", "headlines"), default="news-flow")
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as tmp:
        write_archive(Path(tmp), args.stories)
        with ReplayServer(Path(tmp), latency=args.latency, page_size=args.stories) as replay:
            for concurrency in CONCURRENCIES:
                rows.append((concurrency, *measure(replay.url, args.api, concurrency, args.stories)))

    base_rate = rows[0][2] / rows[0][1]
    print(f"Fetch throughput, {args.api} API, {args.stories} stories, {args.latency * 1000:.0f} ms latency "
          "per request (replay server on loopback)\n")
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
