"""An image host that accepts connections and never answers: `newsdesk publish` and `newsdesk build`.

Usage: .venv/bin/python bench/bench_image_host.py [--posts 10000] [--rounds 3] [--dir DIR] [--keep]

A fresh `newsdesk init` site (English) gets ``--posts`` synthetic posts in the seed's format
(bench_build.py's corpus), each with its own story image (body image and thumbnail, as
bench_images.py writes them; every URL distinct). ``[images.mirrors]`` sends the downloads to a
socket on 127.0.0.1 that accepts every connection and never sends a byte (the issue's dead host).

Then, in one run, each step a fresh process:

1. `newsdesk publish` twice: the first registers the posts' images (the one-time scan of posts
   written before newsdesk downloaded images) and tries them; the second is "a later run". The
   per-host circuit breaker must keep both bounded: a few timeouts (``[images] timeout``, 5 s),
   then the host's other images are skipped until the next run.
2. ``--rounds`` times, alternating: `newsdesk build` with ``[images] process = true`` (no image
   has a file: every page shows alt text and a link) and with ``process = false`` (the hook links
   the source URL, no image work at all). Medians; the target (issue 12): the dead host's build
   takes no longer than the build with images off.

Wall time and peak resident memory come from ``os.wait4`` on the whole `newsdesk` process.
The site goes to /dev/shm (when there) so that the disk's noise stays out of the figures.
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import BASE_URL, Corpus, Run, measure
from bench_images import set_process, with_image

from newsdesk.config import load_config
from newsdesk.sources.tradingview import IMAGE_PREFIX as TRADINGVIEW_IMAGE_PREFIX
from newsdesk.images import BREAKER_THRESHOLD, register_post_images
from newsdesk.site.scaffold import config_text, init_site, write_ticker_data
from newsdesk.store import Store


class DeadHost:
    """Accepts connections on 127.0.0.1 and never answers (holds at most 4,096 of them)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.sock.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set() and len(self.accepted) < 4096:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.accepted.append(conn)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        for conn in self.accepted:
            conn.close()
        self.sock.close()


def make_site(root: Path, posts: int, mirror: str) -> Path:
    init_site(root, text=config_text(languages=("en",), base_url=BASE_URL, image_mirror=mirror))
    config = load_config(root / "newsdesk.toml", required=True)
    content = config.content_dir
    corpus = Corpus()
    with Store(config.store_path) as store, store.atomic():
        for i in range(posts):
            name, text = corpus.post(i, 1_790_000_000 + i * 600)
            url = f"{TRADINGVIEW_IMAGE_PREFIX}bench:{i:013x}-resized.jpeg"
            text = with_image(text, url, i)
            (content / name).write_text(text, encoding="utf-8")
            register_post_images(store, text)  # as `newsdesk publish` does for each post it writes
    write_ticker_data(config.site_path, {t: [f"{corpus.exchange[t]}:{t}"] for t in corpus.tickers})
    return root / "newsdesk.toml"


def statuses(config_file: Path) -> dict[str, int]:
    with sqlite3.connect(config_file.parent / "newsdesk.db") as db:
        return dict(db.execute("SELECT status, count(*) FROM images GROUP BY status").fetchall())


def newsdesk(config_file: Path, *args: str) -> Run:
    return measure([sys.executable, "-m", "newsdesk", "-c", str(config_file), *args])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000, help="posts in the site (1000 for a quick check)")
    parser.add_argument("--rounds", type=int, default=3, help="dead-host / images-off build pairs (medians)")
    parser.add_argument("--dir", type=Path, help="where the work folder goes (default: /dev/shm when there)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    where = args.dir if args.dir is not None else (Path("/dev/shm") if Path("/dev/shm").is_dir() else None)
    work = Path(tempfile.mkdtemp(prefix="bench-image-host-", dir=where))
    host = DeadHost()
    try:
        run(work, host, args.posts, max(1, args.rounds))
    finally:
        host.close()
        if args.keep:
            print(f"# kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(work: Path, host: DeadHost, posts: int, rounds: int) -> None:
    t = time.perf_counter()
    config_file = make_site(work / "site", posts, host.url)
    print(f"# {posts:,} posts written in {time.perf_counter() - t:.1f}s; dead image host {host.url}",
          file=sys.stderr, flush=True)
    publishes: list[tuple[Run, int, dict[str, int]]] = []
    for _ in range(2):
        before = len(host.accepted)
        result = newsdesk(config_file, "publish")
        publishes.append((result, len(host.accepted) - before, statuses(config_file)))
        print(f"# publish {result.seconds:.1f}s, {publishes[-1][1]} connections, {publishes[-1][2]}",
              file=sys.stderr, flush=True)
    dead_runs: list[Run] = []
    off_runs: list[Run] = []
    connections = len(host.accepted)
    for r in range(rounds):
        set_process(config_file, True)
        dead_runs.append(newsdesk(config_file, "build"))
        check_page(config_file, processed=True)
        set_process(config_file, False)
        off_runs.append(newsdesk(config_file, "build"))
        check_page(config_file, processed=False)
        print(f"# round {r + 1}: dead host {dead_runs[-1].seconds:.1f}s, images off {off_runs[-1].seconds:.1f}s",
              file=sys.stderr, flush=True)
    set_process(config_file, True)
    if len(host.accepted) != connections:
        raise SystemExit(f"the builds connected to the image host {len(host.accepted) - connections} times")
    report(posts, publishes, dead_runs, off_runs)


def check_page(config_file: Path, processed: bool) -> None:
    """A story page: with the dead host, its image is alt text linking to the source (no <img>);
    with images off, an <img> of the source's URL."""
    page = next((config_file.parent / "site" / "public" / "post").glob("*/index.html"))
    html = page.read_text(encoding="utf-8")
    if processed and not re.search(r'story-image-missing.*?<a class="image-link" href="https://s3', html, re.DOTALL):
        raise SystemExit(f"{page}: no missing-image link although the host never answered")
    if not processed and not re.search(r'<img src="https://s3\.tradingview\.com/', html):
        raise SystemExit(f"{page}: images off, but the source's image is not linked")


def report(posts: int, publishes: list[tuple[Run, int, dict[str, int]]], dead_runs: list[Run],
           off_runs: list[Run]) -> None:
    dead = statistics.median(r.seconds for r in dead_runs)
    off = statistics.median(r.seconds for r in off_runs)
    dead_mib = statistics.median(r.peak_mib for r in dead_runs)
    off_mib = statistics.median(r.peak_mib for r in off_runs)
    print(f"{posts:,} posts, each with its own image on a host that accepts connections and never answers "
          f"([images] timeout 5 s, concurrency 4, breaker after {BREAKER_THRESHOLD} consecutive failures)\n")
    print("| step | s | peak MiB | connections to the dead host | images afterwards |")
    print("|---|---:|---:|---:|---|")
    for label, (run, connections, state) in zip(("`newsdesk publish`, first run", "`newsdesk publish`, next run"),
                                                 publishes, strict=True):
        summary = ", ".join(f"{n:,} {status}" for status, n in sorted(state.items()))
        print(f"| {label} | {run.seconds:.1f} | {run.peak_mib:,.0f} | {connections} | {summary} |")
    print(f"| `newsdesk build`, dead host (median of {len(dead_runs)}) | {dead:.1f} | {dead_mib:,.0f} | 0 | |")
    print(f"| `newsdesk build`, images off (median of {len(off_runs)}) | {off:.1f} | {off_mib:,.0f} | 0 | |")
    print(f"\ndead host / images off: `newsdesk build` {dead / off:.2f}x time, {dead_mib / off_mib:.2f}x peak memory "
          f"(target: no longer)")
    print("rounds (s): " + "; ".join(f"dead {d.seconds:.1f} off {o.seconds:.1f}" for d, o in zip(dead_runs, off_runs)))


if __name__ == "__main__":
    main()
