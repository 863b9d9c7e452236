"""Feed parsing throughput: ``parse_feed`` against plain ``feedparser.parse`` on the same bytes, one core.

    .venv/bin/python bench/bench_feeds.py [--feeds 24] [--entries 40] [--repeat 5] [--polls 100]

Corpus: synthetic feeds written here (a third each RSS 2.0 with ``content:encoded``, Atom with HTML
content, RSS 2.0 with excerpts only), ``--entries`` entries each, article-sized HTML with
relative links and images, tracking parameters, media images, categories and dates; plus every
fixture feed of tests/fixtures/feeds that parses. Each side parses every document once per
round; rounds interleave the sides; the fastest round of ``--repeat`` counts (CPU time).

* plain feedparser: ``feedparser.parse(BytesIO(data), response_headers={content-location,
  content-type})`` -- its defaults: HTML sanitised, relative URIs resolved;
* parse_feed: newsdesk's whole parse (feedparser without sanitising -- done once downstream --
  then canonical URLs, plain-text titles, the teaser rule, images, languages);
* for reference, feedparser with ``sanitize_html=False`` (the parse parse_feed runs inside).

Then a poll of ``--polls`` unchanged feeds against :class:`newsdesk.feedserver.FeedServer`: one
httpx client, conditional GETs (If-None-Match + If-Modified-Since), all 304. Client and server
share this process, so the CPU time printed covers both: an upper bound of the wire's share of a
feed poll.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from email.utils import formatdate
from pathlib import Path

import feedparser  # type: ignore[import-untyped]
import httpx

from newsdesk.feedserver import FeedServer
from newsdesk.sources.feed_parse import FeedError, parse_feed

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "feeds"
WORDS = ["market", "shares", "revenue", "guidance", "quarter", "profit", "margin", "outlook", "dividend", "board",
         "investors", "analysts", "growth", "capital", "bank", "rates", "inflation", "bond", "yield", "trading",
         "volume", "index", "sector", "energy", "retail"]

Doc = tuple[bytes, str, str]  # data, url, content type


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def _article(rng: random.Random, n: int) -> str:
    parts = []
    for p in range(rng.randint(5, 9)):
        text = " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
        if p == 1:
            text += f' See <a href="/markets/related-{n}?utm_source=feed">related</a> &amp; more.'
        parts.append(f"<p>{text}</p>")
        if p == 2:
            parts.append(f'<p><img src="images/chart-{n}.png" alt="Chart {n}"></p>')
    return "\n".join(parts)


def _date(rng: random.Random, n: int) -> float:
    return 1_790_000_000 + n * 3600 + rng.randint(0, 3599)


def rss(rng: random.Random, index: int, entries: int, *, full: bool) -> bytes:
    items = []
    for n in range(entries):
        body = _article(rng, n)
        content = f"<content:encoded><![CDATA[{body}]]></content:encoded>" if full else ""
        items.append(
            f"<item><title>{_sentence(rng)[:-1]} &amp; co</title>"
            f"<link>https://news{index}.example/story/{n}?utm_source=rss&amp;utm_medium=feed&amp;id={n}</link>"
            f'<guid isPermaLink="false">feed{index}-{n}</guid>'
            f"<pubDate>{formatdate(_date(rng, n), localtime=False)}</pubDate>"
            f"<dc:creator>Reporter {n % 7}</dc:creator><category>Markets</category><category>Sector {n % 5}</category>"
            f"<description><![CDATA[<p>{_sentence(rng)} {_sentence(rng)}...</p>]]></description>{content}"
            f'<media:content url="https://img{index}.example/{n}.jpg" medium="image" type="image/jpeg"/>'
            "</item>")
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            f'xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Bench feed {index}</title>'
            f"<link>https://news{index}.example/</link><language>en-us</language>{''.join(items)}"
            "</channel></rss>").encode()


def atom(rng: random.Random, index: int, entries: int) -> bytes:
    items = []
    for n in range(entries):
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S+02:00", time.gmtime(_date(rng, n)))
        escaped = _article(rng, n).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        items.append(
            f"<entry><title>{_sentence(rng)[:-1]}</title><link href='story/{n}?fbclid=x{n}'/>"
            f"<id>tag:news{index}.example,2026:{n}</id><published>{stamp}</published><updated>{stamp}</updated>"
            f"<author><name>Reporter {n % 7}</name></author><category term='Markets'/>"
            f"<summary>{_sentence(rng)}</summary><content type='html'>{escaped}</content></entry>")
    return ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom' xml:lang='en' "
            f"xml:base='https://news{index}.example/'><title>Bench Atom {index}</title><link href='/'/>"
            f"<id>tag:news{index}.example,2026:feed</id><updated>2026-11-01T00:00:00Z</updated>"
            f"{''.join(items)}</feed>").encode()


def corpus(feeds: int, entries: int) -> list[Doc]:
    rng = random.Random(13)
    docs: list[Doc] = []
    for index in range(feeds):
        kind = index % 3
        data = (rss(rng, index, entries, full=True) if kind == 0 else atom(rng, index, entries) if kind == 1
                else rss(rng, index, entries, full=False))
        ctype = "application/atom+xml" if kind == 1 else "application/rss+xml"
        docs.append((data, f"https://feeds.example.com/bench/{index}.xml", ctype))
    for path in sorted(FIXTURES.iterdir()):
        try:
            parse_feed(path.read_bytes(), f"https://feeds.example.com/{path.name}")
        except FeedError:
            continue
        docs.append((path.read_bytes(), f"https://feeds.example.com/{path.name}", "application/xml"))
    return docs


def plain(doc: Doc) -> int:
    data, url, ctype = doc
    return len(feedparser.parse(io.BytesIO(data), response_headers={"content-location": url, "content-type": ctype}).entries)


def unsanitised(doc: Doc) -> int:
    data, url, ctype = doc
    return len(feedparser.parse(io.BytesIO(data), response_headers={"content-location": url, "content-type": ctype},
                                sanitize_html=False).entries)


def ours(doc: Doc) -> int:
    data, url, ctype = doc
    return len(parse_feed(data, url, content_type=ctype).entries)


def measure(docs: list[Doc], sides: dict[str, Callable[[Doc], int]], repeat: int) -> dict[str, tuple[float, int]]:
    best: dict[str, float] = {}
    counts: dict[str, int] = {}
    for _ in range(repeat):
        for name, side in sides.items():
            started = time.process_time()
            counts[name] = sum(side(doc) for doc in docs)
            elapsed = time.process_time() - started
            best[name] = min(best.get(name, elapsed), elapsed)
    return {name: (best[name], counts[name]) for name in sides}


def poll(polls: int, repeat: int) -> tuple[float, float, Counter[int]]:
    docs = corpus(max(1, polls // 3 + 1), 20)
    with FeedServer({f"/feeds/{i}.xml": docs[i % len(docs)][0] + b"<!-- %d -->" % i for i in range(polls)}) as server, \
            httpx.Client(base_url=server.url) as client:
        validators = {}
        for i in range(polls):
            answer = client.get(f"/feeds/{i}.xml")
            validators[i] = {"If-None-Match": answer.headers["etag"], "If-Modified-Since": answer.headers["last-modified"]}
        best_cpu = best_wall = float("inf")
        for _ in range(repeat):
            server.clear_log()
            wall, cpu = time.perf_counter(), time.process_time()
            for i in range(polls):
                client.get(f"/feeds/{i}.xml", headers=validators[i])
            best_cpu = min(best_cpu, time.process_time() - cpu)
            best_wall = min(best_wall, time.perf_counter() - wall)
        return best_cpu, best_wall, server.statuses()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=24)
    parser.add_argument("--entries", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--polls", type=int, default=100)
    args = parser.parse_args(argv)
    docs = corpus(args.feeds, args.entries)
    size = sum(len(doc[0]) for doc in docs)
    print(f"Corpus: {len(docs)} documents, {size / 1e6:.1f} MB; feedparser {feedparser.__version__}, "
          f"Python {sys.version.split()[0]}; fastest of {args.repeat} rounds, CPU time\n")
    results = measure(docs, {"plain feedparser.parse": plain, "feedparser, sanitize_html=False": unsanitised,
                             "parse_feed": ours}, args.repeat)
    base = results["plain feedparser.parse"]
    print("| parser | entries | CPU s | entries/s | vs plain feedparser |")
    print("|---|---:|---:|---:|---:|")
    for name, (seconds, count) in results.items():
        print(f"| {name} | {count:,} | {seconds:.3f} | {count / seconds:,.0f} | "
              f"{(count / seconds) / (base[1] / base[0]):.2f}x |")
    if args.polls:
        cpu, wall, statuses = poll(args.polls, args.repeat)
        print(f"\nPoll of {args.polls} unchanged feeds (FeedServer + httpx in one process, conditional GET): "
              f"{cpu:.3f} s CPU, {wall:.3f} s wall, answers {dict(statuses)} (fastest round)")


if __name__ == "__main__":
    main()
