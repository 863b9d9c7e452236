"""Render + publish throughput of newsdesk against an HTML-and-markdownify baseline, one core.

    .venv/bin/python bench/bench_render.py [--n N ...] [--seed S]

Both sides turn the same synthetic stories (about 600 words: paragraphs, bold headings with
emoji, lists, two images with captions, links, symbols and a table) into one post file each in
a temporary folder:

* baseline: body tree -> HTML (a plain walker below) -> ``markdownify``; front matter through
  ``yaml.safe_dump``; summary from BeautifulSoup's ``get_text``; a plain file write.
* newsdesk: ``render_post`` (direct tree walk, hand-written YAML quoter) and an atomic write
  (temporary file + ``os.replace``).

Prints a Markdown table: stories/s for both, their ratio, and the peak traced memory
(tracemalloc, in a second untimed pass) so one can see it does not grow with N.

Then the same comparison as whole processes, the way users run them (``--process-n``, default
5,000 and 50,000 stories): a site made by ``newsdesk init`` whose archive holds the synthetic
stories (archived through ``Store.upsert`` as a fetch would), copied fresh for every run, posts
folder empty. Timed from process start to exit (wall clock, imports included), peak RSS from
``os.wait4``:

* naive baseline: one ``python bench_render.py --baseline-publish CONFIG`` process: read every
  archived row, decode its raw JSON, ``parse_raw``, the baseline post above, a plain write;
* newsdesk: one ``newsdesk -q -c CONFIG publish`` process.

The baseline runs only up to ``--baseline-max`` stories (it shows the speed ratio; the bigger
sizes show newsdesk's peak memory against the archive size). Runs are interleaved, the fastest
of ``--repeat`` counted.
"""

from __future__ import annotations

import argparse
import dataclasses
import html
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup
from markdownify import markdownify

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from newsdesk.config import PostSettings  # noqa: E402
from newsdesk.model import Story  # noqa: E402
from newsdesk.render.post import format_date, post_name, render_post  # noqa: E402
from newsdesk.sources.tv_parse import TV_LINKS  # noqa: E402

WORDS = ("shares revenue quarter guidance margin freight demand outlook analysts estimates growth "
         "carrier volumes pricing investors session earnings dividend buyback capacity contracts "
         "orders backlog inventory costs fuel rates routes ports customers forecast management "
         "consensus premarket futures index yields bonds currency rally slump rebound record").split()
EMOJI = ["📦", "🚀", "⚠️", "🔥", "📉", "📈", "✂️", "💡"]
SYMBOLS = ["NASDAQ:HLLX", "NYSE:BRVN", "NASDAQ:ARDM", "HKEX:1810", "XETR:CSTL"]
POOL = 64  # distinct synthetic stories, cycled with distinct ids


# --- synthetic stories ----------------------------------------------------------------------

def _sentence(rng: random.Random, size: int) -> str:
    words = [rng.choice(WORDS) for _ in range(size)]
    return " ".join(words).capitalize() + rng.choice([".", ".", ".", ",", ";"]) + " "


def _paragraph(rng: random.Random) -> dict[str, Any]:
    children: list[Any] = [_sentence(rng, rng.randint(9, 18)) for _ in range(rng.randint(3, 4))]
    if rng.random() < 0.5:
        children.insert(1, {"type": "symbol", "params": {"symbol": rng.choice(SYMBOLS), "text": "the stock"}})
    if rng.random() < 0.3:
        children.append({"type": "url", "params": {"url": "https://example.com/report?id=7&lang=en",
                                                   "linkText": "the filing"}})
    if rng.random() < 0.3:
        children.insert(0, {"type": "b", "children": [_sentence(rng, 3)]})
    return {"type": "p", "children": children}


def _list(rng: random.Random) -> dict[str, Any]:
    return {"type": "list", "children": [{"type": "*", "children": [_sentence(rng, rng.randint(12, 22))]}
                                         for _ in range(rng.randint(2, 4))]}


def _image(rng: random.Random, n: int) -> dict[str, Any]:
    return {"type": "news-image", "children": [f"Illustration {n} by the desk"],
            "params": {"image": {"id": f"tradingview:{rng.getrandbits(48):x}-{rng.getrandbits(128):032x}",
                                 "alt": "", "source-width": 1200, "source-height": 630}}}


def _table(rng: random.Random) -> dict[str, Any]:
    def row(kind: str, cells: list[str]) -> dict[str, Any]:
        return {"type": "table-row", "children": [{"type": kind, "children": [c]} for c in cells]}

    body = [row("table-data-cell", [rng.choice(WORDS), f"{rng.uniform(1, 99):.2f}", f"{rng.uniform(-9, 9):+.1f}%"])
            for _ in range(4)]
    return {"type": "table", "children": [
        {"type": "table-header", "children": [row("table-header-cell", ["Item", "Value", "Change"])]},
        {"type": "table-body", "children": body}]}


def synthetic_story(rng: random.Random, n: int) -> Story:
    children: list[Any] = [{"type": "p", "children": ["Key points:"]}, " ", _list(rng), _image(rng, 1), " "]
    for section in range(5):
        children.append({"type": "p", "children": [f"{rng.choice(EMOJI)} ",
                                                   {"type": "b", "children": [_sentence(rng, 4).strip(" .,;")]}]})
        children.append(_list(rng) if section % 2 else _paragraph(rng))
        children.append(_paragraph(rng))
        if section == 1:
            children.append(_table(rng))
        if section == 2:
            children.append(_image(rng, 2))
    title = _sentence(rng, 9).strip(" .,;")
    return Story(id=f"tradingview:{n:013x}:0", lang="en", title=title, published=1_761_000_000 + n * 60,
                 provider_id="tradingview", provider_name="TradingView",
                 url=f"https://www.tradingview.com/news/tradingview:{n:013x}:0/",
                 symbols=tuple(rng.sample(SYMBOLS, 2)), tags=("TradingView", "Stocks"),
                 tree={"type": "root", "children": children}, links=TV_LINKS)


def stories(pool: list[Story], count: int) -> Iterator[Story]:
    for n in range(count):
        base = pool[n % len(pool)]
        yield dataclasses.replace(base, id=f"{base.id}-{n}")


# --- baseline: tree -> HTML -> markdownify, PyYAML, BeautifulSoup ---------------------------

_HTML_TAGS = {"p": "p", "list": "ul", "*": "li", "b": "strong", "i": "em", "table": "table",
              "table-header": "thead", "table-body": "tbody", "table-row": "tr", "table-header-cell": "th",
              "table-data-cell": "td"}


def tree_html(node: Any, out: list[str], site_url: str) -> None:
    if isinstance(node, str):
        out.append(html.escape(node))
        return
    kind = node.get("type")
    params = node.get("params") or {}
    children = node.get("children") or []
    if kind == "news-image":
        out.append(f'<p><img src="{html.escape(TV_LINKS.image_url(params["image"]["id"]))}" alt=""></p><p>')
        for child in children:
            tree_html(child, out, site_url)
        out.append("</p>")
        return
    if kind == "url":
        out.append(f'<a href="{html.escape(params["url"])}">{html.escape(params.get("linkText", ""))}</a>')
        return
    if kind == "symbol":
        out.append(f'<a href="{html.escape(TV_LINKS.symbol_url(params["symbol"], site_url))}">'
                   f'{html.escape(params.get("text", ""))}</a>')
        return
    tag = _HTML_TAGS.get(kind)
    if tag:
        out.append(f"<{tag}>")
    for child in children:
        tree_html(child, out, site_url)
    if tag:
        out.append(f"</{tag}>")


def baseline_post(story: Story, settings: PostSettings) -> str:
    parts: list[str] = []
    tree_html(story.tree, parts, story.site_url)
    body_html = "".join(parts)
    soup = BeautifulSoup(body_html, "html.parser")
    words = soup.get_text(" ").split()
    summary = " ".join(words[:50]) + ("..." if len(words) > 50 else "")
    image = soup.find("img")
    meta = {
        "title": story.title, "date": format_date(story.published, "UTC"), "summary": summary,
        "categories": [story.provider_name], "lang": [story.lang], "translations": [story.lang],
        "tags": list(dict.fromkeys(story.tags + story.tickers)), "menu": settings.menu,
        "thumbnail": image["src"] if image is not None else "", "lead": settings.lead,
        "comments": settings.comments, "authorbox": settings.authorbox, "pager": settings.pager,
        "toc": settings.toc, "mathjax": settings.mathjax, "sidebar": settings.sidebar,
        "widgets": list(settings.widgets),
    }
    head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=False)
    body = markdownify(body_html, heading_style="ATX", bullets="*")
    return f"---\n{head}---\n\n{body.strip()}\n\n[{story.provider_name}]({story.url})\n"


def run_baseline(pool: list[Story], count: int, folder: Path) -> None:
    settings = PostSettings()
    for story in stories(pool, count):
        text = baseline_post(story, settings)
        (folder / f"{post_name(story.id, story.title)}.md").write_text(text, encoding="utf-8")


# --- newsdesk: render_post + atomic write ---------------------------------------------------

def atomic_write(path: Path, data: bytes) -> None:
    temp = path.with_name(f".{path.name}.tmp")
    with open(temp, "wb") as handle:
        handle.write(data)
    os.replace(temp, path)


def run_newsdesk(pool: list[Story], count: int, folder: Path) -> None:
    settings = PostSettings()
    for story in stories(pool, count):
        text = render_post(story, settings=settings)
        atomic_write(folder / f"{post_name(story.id, story.title)}.md", text.encode("utf-8"))


# --- measuring ------------------------------------------------------------------------------

def timed(run: Callable[[list[Story], int, Path], None], pool: list[Story], count: int, base: str) -> float:
    with tempfile.TemporaryDirectory(dir=base) as folder:
        start = time.perf_counter()
        run(pool, count, Path(folder))
        return count / (time.perf_counter() - start)


def peak_mib(run: Callable[[list[Story], int, Path], None], pool: list[Story], count: int, base: str) -> float:
    with tempfile.TemporaryDirectory(dir=base) as folder:
        tracemalloc.start()
        try:
            run(pool, count, Path(folder))
            return tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()


# --- whole processes: `newsdesk publish` against the naive baseline over the same archive ---------

def raw_record(story: Story) -> dict[str, Any]:
    """The archived record (``{"api", "lang", "item", "story"}``) that ``parse_raw`` reads back as ``story``."""
    item = {"id": story.id, "title": story.title, "published": story.published,
            "provider": {"id": story.provider_id, "name": story.provider_name},
            "storyPath": f"/news/{story.id}/"}
    answer = {**item, "language": story.lang, "short_description": "", "ast_description": story.tree,
              "tags": [{"title": t} for t in story.tags], "relatedSymbols": [{"symbol": s} for s in story.symbols]}
    return {"api": "news-flow", "lang": story.lang, "item": item, "story": answer}


def make_site(pool: list[Story], count: int, root: Path, *, scanned: bool = False) -> Path:
    """A `newsdesk init` site whose archive holds ``count`` synthetic stories; its config file.
    ``scanned``: the images module's one-time scan of the posts folder counts as done (as for
    every publish after an archive's first)."""
    from newsdesk.config import load_config
    from newsdesk.site.scaffold import config_text, init_site
    from newsdesk.sources.tradingview import parse_raw
    from newsdesk.store import Store

    # images off: this measures rendering and writing; the baseline downloads nothing either
    init_site(root, text=config_text().replace("\nprocess = true", "\nprocess = false", 1))
    config = load_config(root / "newsdesk.toml")
    with Store(config.store_path) as store, store.atomic():
        for n, story in enumerate(stories(pool, count)):
            raw = raw_record(story)
            store.upsert(parse_raw(raw), raw, f"bench-{n}", "bench")
        if scanned:
            store.set_meta("images_posts_scanned", "1")
    return root / "newsdesk.toml"


def baseline_publish(config_file: Path) -> None:
    """The naive baseline as a whole process: every archived row -> ``baseline_post`` -> a file."""
    from newsdesk.config import load_config
    from newsdesk.sources.tradingview import parse_raw

    config = load_config(config_file)
    folder = config.content_dir
    folder.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(config.store_path)
    for (raw,) in db.execute("SELECT raw FROM stories ORDER BY published, id, lang"):
        story = parse_raw(json.loads(raw))
        text = baseline_post(story, config.post)
        (folder / f"{post_name(story.id, story.title)}.{story.lang}.md").write_text(text, encoding="utf-8")
    db.close()


@dataclasses.dataclass
class Process:
    wall: float  # seconds from start to exit
    cpu: float  # user + system seconds
    peak_mib: float  # peak resident set size


def run_process(command: list[str]) -> Process:
    """Run one process, which must succeed; its times and peak RSS (``os.wait4``)."""
    # byte code cached, as after any install (some sandboxes set PYTHONDONTWRITEBYTECODE)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{command} failed (wait status {status})")
    return Process(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)  # KiB on Linux


def whole_processes(pool: list[Story], count: int, base: str, repeat: int, with_baseline: bool,
                    scanned: bool = False) -> tuple[list[Process], list[Process]]:
    """(baseline runs, `newsdesk publish` runs) on fresh copies of one site, interleaved."""
    newsdesk = str(Path(sys.executable).with_name("newsdesk"))
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        template = Path(tmp) / "template"
        make_site(pool, count, template, scanned=scanned)
        baseline: list[Process] = []
        ours: list[Process] = []
        for side in ("baseline", "newsdesk"):  # an untimed run of each: byte code written
            warm = make_site(pool, 20, Path(tmp) / f"warm-{side}")
            run_process([sys.executable, __file__, "--baseline-publish", str(warm)] if side == "baseline"
                        else [newsdesk, "-q", "-c", str(warm), "publish"])
            shutil.rmtree(warm.parent)
        for round_ in range(repeat):
            for side in ("baseline", "newsdesk") if with_baseline else ("newsdesk",):
                site = Path(tmp) / f"{side}-{round_}"
                shutil.copytree(template, site)
                config = str(site / "newsdesk.toml")
                if side == "baseline":
                    baseline.append(run_process([sys.executable, __file__, "--baseline-publish", config]))
                else:
                    ours.append(run_process([newsdesk, "-q", "-c", config, "publish"]))
                    posts = len(list((site / "site" / "content" / "post").glob("*.md")))
                    assert posts == count, f"newsdesk wrote {posts} posts of {count}"
                shutil.rmtree(site)
    return baseline, ours


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="*", default=[1000, 5000], help="stories per in-process run")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", default=_default_dir(),
                        help="where the temporary output folders go (default: a RAM disk when there is one, "
                             "so disk noise from other processes does not swamp the CPU cost)")
    parser.add_argument("--process-n", type=int, nargs="*", default=[5000, 50000],
                        help="stories per whole-process run (none: skip that table)")
    parser.add_argument("--baseline-max", type=int, default=5000,
                        help="run the whole-process baseline only up to this many stories")
    parser.add_argument("--repeat", type=int, default=3, help="whole-process runs per side (fastest counts)")
    parser.add_argument("--images-scanned", action="store_true",
                        help="count the images module's one-time scan of a fresh archive's posts folder as done")
    parser.add_argument("--baseline-publish", type=Path, metavar="CONFIG", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.baseline_publish:
        baseline_publish(args.baseline_publish)
        return
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rng = random.Random(args.seed)
    pool = [synthetic_story(rng, n) for n in range(POOL)]
    words = sum(len(" ".join(s for s in _texts(story.tree)).split()) for story in pool) / len(pool)
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        run_newsdesk(pool, 50, Path(folder))  # warm caches and imports
        run_baseline(pool, 20, Path(folder))
    print(f"Synthetic stories: {POOL} distinct, about {words:.0f} words each; Python {sys.version.split()[0]}, "
          f"one core; files written under {args.dir}.\n")
    print("| N | baseline stories/s | newsdesk stories/s | ratio | baseline peak MiB | newsdesk peak MiB |")
    print("|---:|---:|---:|---:|---:|---:|")
    for count in args.n:
        base = timed(run_baseline, pool, count, args.dir)
        ours = timed(run_newsdesk, pool, count, args.dir)
        base_mem = peak_mib(run_baseline, pool, count, args.dir)
        our_mem = peak_mib(run_newsdesk, pool, count, args.dir)
        print(f"| {count} | {base:,.0f} | {ours:,.0f} | {ours / base:.1f}x | {base_mem:.2f} | {our_mem:.2f} |",
              flush=True)
    if not args.process_n:
        return
    print("\nWhole processes (`newsdesk publish` vs the naive baseline; fresh site copy, empty posts "
          f"folder; fastest of {args.repeat} by wall clock, and by CPU time (user + system), which other "
          "load on the machine disturbs less):\n")
    print("| N | baseline stories/s | `newsdesk publish` stories/s | ratio | baseline CPU s | newsdesk CPU s "
          "| CPU ratio | `newsdesk publish` peak RSS MiB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    peaks: list[float] = []
    for count in args.process_n:
        baseline, ours = whole_processes(pool, count, args.dir, args.repeat, count <= args.baseline_max,
                                         args.images_scanned)
        peaks.append(max(p.peak_mib for p in ours))
        wall, cpu = min(p.wall for p in ours), min(p.cpu for p in ours)
        cells = ["not run", f"{count / wall:,.0f}", "", "", f"{cpu:.2f}", ""]
        if baseline:
            base_wall, base_cpu = min(p.wall for p in baseline), min(p.cpu for p in baseline)
            cells = [f"{count / base_wall:,.0f}", f"{count / wall:,.0f}", f"{base_wall / wall:.1f}x",
                     f"{base_cpu:.2f}", f"{cpu:.2f}", f"{base_cpu / cpu:.1f}x"]
        print(f"| {count:,} | {' | '.join(cells)} | {peaks[-1]:.0f} |", flush=True)
    if len(peaks) > 1:
        print(f"\npeak RSS, {args.process_n[-1]:,} vs {args.process_n[0]:,} stories: {peaks[-1] / peaks[0]:.2f}x")


def _default_dir() -> str:
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else tempfile.gettempdir()


def _texts(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for child in node.get("children") or []:
            yield from _texts(child)


if __name__ == "__main__":
    main()
