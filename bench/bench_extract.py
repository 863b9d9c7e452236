"""Article extraction throughput: newsdesk's ``extract`` against plain ``trafilatura.extract``.

    .venv/bin/python bench/bench_extract.py [--repeat R] [--rounds N]

Both sides get the same pages as bytes, the way the fetcher has them: the article pages of
tests/fixtures/pages (news sites, exchanges, regulators, central banks, press rooms, blogs; the
consent/paywall/error/empty pages are left out). The baseline is ``trafilatura.extract(page)``
with its defaults (plain text, its fallback extractors on, no metadata); newsdesk's side is
:func:`newsdesk.sources.article.extract`, which also decodes, reads the metadata, fixes up URLs
and captions, builds the body tree and classifies the page. Each round times every page on both
sides (interleaved), the fastest of ``--repeat`` rounds counts. Prints a Markdown table of
pages/s and the ratio (newsdesk / baseline; above 1 means newsdesk is faster).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from newsdesk.sources.article import extract  # noqa: E402

PAGES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "pages"


def _pages() -> list[tuple[bytes, str, str | None]]:
    pages = []
    for sidecar in sorted(PAGES.glob("*.json")):
        spec = json.loads(sidecar.read_text(encoding="utf-8"))
        if spec["kind"] == "article":
            pages.append((sidecar.with_suffix(".html").read_bytes(), spec["url"], spec.get("content_type")))
    return pages


def _time(func: Callable[[], object], rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        func()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=10, help="passes over all pages per timing")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # trafilatura logs every discarded page
    pages = _pages()

    def plain() -> None:
        for page, _url, _ctype in pages:
            trafilatura.extract(page)

    def ours() -> None:
        for page, url, ctype in pages:
            extract(page, url, content_type=ctype)

    plain(), ours()  # warm up imports and caches
    best_plain = best_ours = float("inf")
    for _ in range(args.repeat):
        best_plain = min(best_plain, _time(plain, args.rounds))
        best_ours = min(best_ours, _time(ours, args.rounds))
    count = len(pages) * args.rounds
    rate_plain, rate_ours = count / best_plain, count / best_ours
    print(f"{len(pages)} article pages x {args.rounds} rounds, fastest of {args.repeat}\n")
    print("| extraction | pages/s | ratio |")
    print("| --- | ---: | ---: |")
    print(f"| trafilatura.extract(page), plain | {rate_plain:,.0f} | 1.00x |")
    print(f"| newsdesk extract(page, url) | {rate_ours:,.0f} | {rate_ours / rate_plain:.2f}x |")


if __name__ == "__main__":
    main()
