"""Bench: a poll of unchanged feeds -- every feed answers 304 -- as the user runs it.

A site with N feed sources (default 100) on the loopback feed server (newsdesk.feedserver), each
feed with 20 entries of full content. One `newsdesk fetch` fills the archive and keeps each feed's
ETag and Last-Modified; then `newsdesk fetch` runs again, as a whole process, and its CPU time
(user + system, from os.wait4) and wall clock are measured; the server's log must show exactly one
304 per feed and nothing else. The baseline: the same process with no sources at all (start-up,
config, archive), measured in the same run, so the poll's own cost shows too.

    .venv/bin/python bench/bench_feed_poll.py [--feeds 100] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from newsdesk.feedserver import FeedServer  # noqa: E402
from newsdesk.site.scaffold import init_site  # noqa: E402


def feed(number: int, base: str) -> bytes:
    items = []
    for entry in range(20):
        items.append(
            f"<item><title>Feed {number} story {entry}: results for the quarter</title>"
            f"<link>{base}/{number}/{entry}.html</link><guid>f{number}-{entry}</guid>"
            f"<pubDate>Mon, 30 Nov 2026 {entry:02d}:00:00 +0000</pubDate>"
            f"<content:encoded><![CDATA[<p>Company {number}-{entry} reported revenue for the quarter and "
            f"kept its outlook for the year unchanged, citing steady demand in its main markets.</p>"
            f"<p>The shares closed little changed.</p>]]></content:encoded></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>Bench feed {number}</title><link>{base}/</link><language>en</language>"
            + "".join(items) + "</channel></rss>").encode()


def site(root: Path, urls: list[str]) -> Path:
    sources = "".join(f'[[sources]]\ntype = "feed"\nurl = "{url}"\n\n' for url in urls)
    init_site(root, text=f'[site]\npath = "site"\n\n{sources}[images]\nprocess = false\n'
                         if urls else '[site]\npath = "site"\n\n[images]\nprocess = false\n')
    return root / "newsdesk.toml"


def run(config: Path, command: str = "fetch") -> tuple[float, float, int]:
    """(wall s, CPU s, exit status) of one `newsdesk COMMAND` process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "newsdesk", "-q", "-c", str(config), command],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if proc.stderr is not None:
        proc.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with FeedServer() as server, tempfile.TemporaryDirectory() as tmp:
        paths = [f"/feeds/{n}.xml" for n in range(args.feeds)]
        for n, path in enumerate(paths):
            server.set(path, feed(n, server.url), "application/rss+xml")
        config = site(Path(tmp) / "poll", [server.url_for(p) for p in paths])
        empty = site(Path(tmp) / "empty", [])
        wall, cpu, code = run(config)
        assert code == 0, "the first fetch failed"
        print(f"first fetch: {args.feeds} feeds, {args.feeds * 20} stories in {wall:.2f}s ({cpu:.2f}s CPU)")
        run(empty)
        polls, bases = [], []
        for _ in range(args.repeat):
            server.clear_log()
            polls.append(run(config))
            assert sorted(server.statuses().items()) == [(304, args.feeds)], server.statuses()
            bases.append(run(empty))
        poll_wall, poll_cpu = min(p[0] for p in polls), min(p[1] for p in polls)
        base_cpu = min(b[1] for b in bases)
        print("| feeds | poll wall s | poll CPU s | no-source process CPU s | poll's own CPU s |")
        print("|---:|---:|---:|---:|---:|")
        print(f"| {args.feeds} | {poll_wall:.2f} | {poll_cpu:.2f} | {base_cpu:.2f} | {poll_cpu - base_cpu:.2f} |")
        print(f"requests: {args.feeds} conditional GETs, all 304; target: under 1 s of CPU in total: "
              f"{'met' if poll_cpu < 1.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
