"""Story images: `newsdesk publish` downloading them, then `newsdesk build` with a cold cache of resized
images, a warm one, and image processing off.

Usage: .venv/bin/python bench/bench_images.py [--posts 10000] [--images 300] [--rounds 3] [--dir DIR] [--keep]

A fresh `newsdesk init` site (English) gets ``--posts`` synthetic posts in the seed's format
(bench_build.py's corpus: about 470 words, headings, lists, symbol links, tables in 10%), each
with one story image: a body image (``![alt](url)`` on its own line, the caption in italics below)
and the same URL as its ``thumbnail``, as `newsdesk publish` writes them. The URLs have the
source's shape (``https://s3.tradingview.com/news/image/<id>-resized.jpeg``) and point at
``--images`` distinct JPEG charts (1200x675 or 1600x900, drawn by tools/make_images.py's chart
drawer), so every image is shared by about posts/images stories. ``[images.mirrors]`` sends the
downloads to newsdesk's replay server on loopback, which serves the charts from a temporary archive.

Then, in one run, each step a fresh process:

0. `newsdesk publish`: newsdesk registers the posts' images and downloads each distinct one once
   from the replay server into the site's image cache (``assets/newsdesk/images``); the replay
   server is stopped after it (Hugo fetches nothing);
1. first `newsdesk build` (theme sync, Hugo, Pagefind), cold cache: every image resized (a webp
   srcset of up to four widths and two list thumbnails per image);
2. ``--rounds`` times, alternating: a rebuild with the warm cache, and the same build with
   ``[images] process = false`` (the hook links the source URL, no image work at all).

Wall time and peak resident memory come from ``os.wait4`` on the ``newsdesk build`` process (the
peak is that of its largest process: Hugo or Pagefind). Hugo and Pagefind are also measured on
their own: ``NEWSDESK_HUGO`` and ``NEWSDESK_PAGEFIND`` point at a small wrapper that runs the real
binary and records its wall time and peak memory. Warm and off rows are the medians of the rounds.
Target (issue 7): the warm rebuild within 1.3x of the build without image processing.
The site goes to /dev/shm (when there) so that the disk's noise stays out of the figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import BASE_URL, Corpus, measure  # noqa: E402  (bench/ on the path first)

from newsdesk.config import load_config  # noqa: E402
from newsdesk.sources.tradingview import IMAGE_PREFIX as TRADINGVIEW_IMAGE_PREFIX  # noqa: E402
from newsdesk.replay import ReplayServer, image_file_name  # noqa: E402
from newsdesk.sample import sample_archive_path  # noqa: E402
from newsdesk.site.hugo import hugo_binary  # noqa: E402
from newsdesk.site.scaffold import config_text, init_site, write_ticker_data  # noqa: E402
from newsdesk.site.search import pagefind_binary  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SIZES = ((1200, 675), (1600, 900))
BACKGROUNDS = ("#ffffff", "#f4f6fa", "#131722", "#1e222d", "#fdfdfd")
IMAGE_LINE = re.compile(r"(?m)^!\[([^\]]*)\]\(https://s3\.tradingview\.com/news/image/[^)]*\)$")

WRAPPER = """#!{python}
# bench_images.py: run {binary} and record its wall time and peak memory (os.wait4) in {stats}
import json, os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen([{binary!r}, *sys.argv[1:]])
_, status, usage = os.wait4(proc.pid, 0)
seconds = time.perf_counter() - start
with open({stats!r}, "w") as out:
    json.dump({{"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024}}, out)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def load_chart():  # type: ignore[no-untyped-def]
    """tools/make_images.py's chart drawer (tools/ is no package)."""
    spec = importlib.util.spec_from_file_location("make_images", ROOT / "tools" / "make_images.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.chart


def make_archive(archive: Path, count: int) -> list[str]:
    """``count`` distinct chart JPEGs in ``archive/images`` (plus one story record, which the replay
    server needs); returns their URLs as the posts have them."""
    chart = load_chart()
    (archive / "images").mkdir(parents=True)
    (archive / "stories").mkdir()
    sample = sorted((sample_archive_path() / "stories").glob("*.json"))[0]
    shutil.copy(sample, archive / "stories" / sample.name)
    urls = []
    for k in range(count):
        name = f"bench:{k:013x}-{k * 2654435761 % 2**128:032x}-resized.jpeg"
        width, height = SIZES[k % len(SIZES)]
        picture: Image.Image = chart(name, width, height, BACKGROUNDS[k % len(BACKGROUNDS)])
        picture.save(archive / "images" / image_file_name(name), format="JPEG", quality=82, optimize=True,
                     progressive=True)
        urls.append(TRADINGVIEW_IMAGE_PREFIX + name)
    return urls


def with_image(text: str, url: str, i: int) -> str:
    """bench_build's post ``text`` with exactly one story image, ``url``, also as the thumbnail."""
    head, sep, body = text.partition("\n---\n\n")
    assert sep, "unexpected post shape"
    head = head.replace('\nthumbnail: ""', f"\nthumbnail: {json.dumps(url)}")
    if IMAGE_LINE.search(body):
        body = IMAGE_LINE.sub(lambda m: f"![{m.group(1)}]({url})", body, count=1)
    else:  # after the first paragraph, captioned like the seed's images
        first, _, rest = body.partition("\n\n")
        body = f"{first}\n\n![Chart {i}]({url})\n\n*Chart {i}*\n\n{rest}"
    return f"{head}\n---\n\n{body}"


def make_site(root: Path, posts: int, urls: list[str], mirror: str) -> Path:
    """A `newsdesk init` site whose images come from ``mirror``; returns its newsdesk.toml."""
    init_site(root, text=config_text(languages=("en",), base_url=BASE_URL, image_mirror=mirror))
    config = load_config(root / "newsdesk.toml", required=True)
    content = config.content_dir
    content.mkdir(parents=True, exist_ok=True)
    corpus = Corpus()
    start = 1_790_000_000
    for i in range(posts):
        name, text = corpus.post(i, start + i * 600)
        (content / name).write_text(with_image(text, urls[i % len(urls)], i), encoding="utf-8")
    write_ticker_data(config.site_path, {t: [f"{corpus.exchange[t]}:{t}"] for t in corpus.tickers})
    return root / "newsdesk.toml"


def set_process(config_file: Path, on: bool) -> None:
    text = config_file.read_text(encoding="utf-8")
    new = re.sub(r"(?m)^process = (true|false)", f"process = {'true' if on else 'false'}", text, count=1)
    assert new != text or f"process = {'true' if on else 'false'}" in text
    config_file.write_text(new, encoding="utf-8")


@dataclass
class Build:
    """One `newsdesk build`: the whole process, and Hugo and Pagefind within it."""

    seconds: float
    peak_mib: float
    hugo_s: float
    hugo_cpu: float  # Hugo's user + system CPU seconds (less sensitive to other load than wall time)
    hugo_mib: float
    pagefind_s: float
    pagefind_mib: float
    warnings: int  # image warnings ("... not used")
    webp: int  # processed image files in public/
    output: str


def wrappers(work: Path) -> tuple[dict[str, str], dict[str, Path]]:
    """Environment that routes Hugo and Pagefind through recording wrappers, and their stats files."""
    env, stats = {**os.environ, "NO_COLOR": "1"}, {}
    for tool, binary, var in (("hugo", hugo_binary(), "NEWSDESK_HUGO"),
                              ("pagefind", pagefind_binary(), "NEWSDESK_PAGEFIND")):
        stats[tool] = work / f"{tool}-stats.json"
        script = work / f"{tool}-wrapper"
        script.write_text(WRAPPER.format(python=sys.executable, binary=str(binary), stats=str(stats[tool])),
                          encoding="utf-8")
        script.chmod(0o755)
        env[var] = str(script)
    return env, stats


def build(config_file: Path, env: dict[str, str], stats: dict[str, Path]) -> Build:
    for path in stats.values():
        path.unlink(missing_ok=True)
    run = measure([sys.executable, "-m", "newsdesk", "-c", str(config_file), "build"], env)
    got = {tool: json.loads(path.read_text()) if path.exists() else {"seconds": 0.0, "cpu": 0.0, "peak_mib": 0.0}
           for tool, path in stats.items()}
    public = config_file.parent / "site" / "public"
    return Build(run.seconds, run.peak_mib, got["hugo"]["seconds"], got["hugo"]["cpu"], got["hugo"]["peak_mib"],
                 got["pagefind"]["seconds"], got["pagefind"]["peak_mib"],
                 len(re.findall(r"image \S+ not used", run.output)), sum(1 for _ in public.rglob("*.webp")),
                 run.output)


def median(builds: list[Build]) -> Build:
    """Field-by-field medians of repeated builds."""
    def m(key: str) -> float:
        return statistics.median(getattr(b, key) for b in builds)
    return Build(m("seconds"), m("peak_mib"), m("hugo_s"), m("hugo_cpu"), m("hugo_mib"), m("pagefind_s"), m("pagefind_mib"),
                 max(b.warnings for b in builds), max(b.webp for b in builds), "")


def check_pages(public: Path, processed: bool) -> str:
    """One story page's first image ``src``: local when processed, the source's URL when not."""
    page = next((public / "post").glob("*/index.html"))
    html = page.read_text(encoding="utf-8")
    srcs = re.findall(r'<img src="([^"]+)"', html)
    if not srcs:
        raise SystemExit(f"{page}: no <img> at all")
    local = all(not s.startswith("http") for s in srcs)
    if local != processed:
        raise SystemExit(f"{page}: image sources {srcs[:3]} are not what process={processed} should give")
    return srcs[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000, help="posts in the site (1000 for a quick check)")
    parser.add_argument("--images", type=int, default=300, help="distinct image files the posts share")
    parser.add_argument("--rounds", type=int, default=3, help="warm / off build pairs (medians reported)")
    parser.add_argument("--dir", type=Path, help="where the work folder goes (default: /dev/shm when there)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    where = args.dir if args.dir is not None else (Path("/dev/shm") if Path("/dev/shm").is_dir() else None)
    work = Path(tempfile.mkdtemp(prefix="bench-images-", dir=where))
    try:
        run(work, args.posts, args.images, max(1, args.rounds))
    finally:
        if args.keep:
            print(f"# kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(work: Path, posts: int, images: int, rounds: int) -> None:
    t = time.perf_counter()
    urls = make_archive(work / "archive", images)
    image_bytes = sum(p.stat().st_size for p in (work / "archive" / "images").iterdir())
    print(f"# {images} images ({image_bytes / 2**20:.1f} MiB) in {time.perf_counter() - t:.1f}s", file=sys.stderr)
    env, stats = wrappers(work)
    server = ReplayServer(work / "archive")
    server.start()
    try:
        t = time.perf_counter()
        config_file = make_site(work / "site", posts, urls, server.url)
        print(f"# {posts:,} posts written in {time.perf_counter() - t:.1f}s", file=sys.stderr, flush=True)
        published = measure([sys.executable, "-m", "newsdesk", "-c", str(config_file), "publish"], env)
        fetched = sum(1 for r in server.requests if r.startswith("/news/image/"))
    finally:
        server.stop()
    print(f"# publish {published.seconds:.1f}s: {fetched} image downloads", file=sys.stderr, flush=True)
    first = build(config_file, env, stats)
    public = config_file.parent / "site" / "public"
    src = check_pages(public, True)
    print(f"# first build {first.seconds:.1f}s: {first.webp} webp files, e.g. {src}", file=sys.stderr, flush=True)
    warm_runs, off_runs = [], []
    for r in range(rounds):
        set_process(config_file, True)
        warm_runs.append(build(config_file, env, stats))
        check_pages(public, True)
        set_process(config_file, False)
        off_runs.append(build(config_file, env, stats))
        check_pages(public, False)
        print(f"# round {r + 1}: warm {warm_runs[-1].seconds:.1f}s (Hugo {warm_runs[-1].hugo_s:.1f}s), "
              f"off {off_runs[-1].seconds:.1f}s (Hugo {off_runs[-1].hugo_s:.1f}s)", file=sys.stderr, flush=True)
    set_process(config_file, True)
    if any(b.warnings for b in [first, *warm_runs]):
        raise SystemExit("a build warned about images: a downloaded file was not usable\n" + first.output[-3000:])
    report(posts, images, fetched, published.seconds, first, warm_runs, off_runs)


def report(posts: int, images: int, fetched: int, publish_s: float, first: Build, warm_runs: list[Build],
           off_runs: list[Build]) -> None:
    warm, off = median(warm_runs), median(off_runs)
    print(f"{posts:,} posts, {images} distinct images ({fetched} downloads by `newsdesk publish` in "
          f"{publish_s:.1f}s), {len(warm_runs)} warm/off rounds (medians)\n")
    print("| build | `newsdesk build` s | peak MiB | Hugo s | Hugo CPU s | Hugo peak MiB | Pagefind s | Pagefind peak MiB "
          "| webp files | image warnings |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, b in (("first, cold cache", first), ("rebuild, warm cache", warm), ("image processing off", off)):
        print(f"| {label} | {b.seconds:.1f} | {b.peak_mib:,.0f} | {b.hugo_s:.1f} | {b.hugo_cpu:.1f} | {b.hugo_mib:,.0f} "
              f"| {b.pagefind_s:.1f} | {b.pagefind_mib:,.0f} | {b.webp:,} | {b.warnings} |")
    print(f"\nwarm / off: `newsdesk build` {warm.seconds / off.seconds:.2f}x time, {warm.peak_mib / off.peak_mib:.2f}x "
          f"peak memory; Hugo alone {warm.hugo_s / off.hugo_s:.2f}x time, {warm.hugo_cpu / off.hugo_cpu:.2f}x CPU time, "
          f"{warm.hugo_mib / off.hugo_mib:.2f}x memory "
          f"(target: within 1.3x)")
    print(f"first / off: `newsdesk build` {first.seconds / off.seconds:.2f}x, Hugo alone {first.hugo_s / off.hugo_s:.2f}x")
    print("\nrounds (s, `newsdesk build` / Hugo): " + "; ".join(
        f"warm {w.seconds:.1f}/{w.hugo_s:.1f} off {o.seconds:.1f}/{o.hugo_s:.1f}" for w, o in zip(warm_runs, off_runs)))


if __name__ == "__main__":
    main()
