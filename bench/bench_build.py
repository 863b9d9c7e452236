"""Site build cost: Hugo with the bundled theme against a minimal theme, and Pagefind indexing.

Usage: .venv/bin/python bench/bench_build.py [--sizes 1000,10000] [--repeat N] [--mainroad DIR] [--dir DIR] [--keep]

Each size N gets a fresh `newsdesk init` site (English only) holding N synthetic posts written
straight into ``content/post`` in the seed's format (front matter as `newsdesk publish` writes
it; bodies of about 350-700 words with headings, lists, symbol links, some images with captions
and tables, the source link last; 300 tickers and 40 providers as tags and categories, tickers
drawn Zipf-like so some term pages paginate deep). Then, in the same run, each in a fresh
process whose wall time and peak resident memory (``os.wait4``) are taken:

* floor: the same Hugo binary on the same posts (``contentDir`` points at them) with a theme of
  two templates written below (``single.html``, ``list.html``; lists in Hugo's default order,
  newest first, the home page paginating every post): what Hugo itself costs;
* bundled: Hugo on the newsdesk site with the bundled theme (the arguments `newsdesk build` uses);
* ``newsdesk build`` end to end (theme sync, Hugo, and Pagefind once search is part of the build);
* Pagefind: as `newsdesk build` runs it (only the story folders read, ``--glob``; only the story
  text indexed, the theme's ``data-pagefind-body``), with every file of the site read but still
  only story text indexed, and Pagefind's default whole-site indexing (the same pages with that
  attribute removed);
* real Mainroad (``--mainroad DIR``, a checkout of Vimux/Mainroad): informative only.

Targets: bundled/floor within 2x at 10,000 posts, and time growing linearly with N. The sites
go to /dev/shm (up to 10,000 posts) so that the disk's noise stays out of the figures.
Story images point at the source's image host; Hugo does not fetch them (no image hook yet).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from newsdesk.config import load_config
from newsdesk.site.hugo import hugo_binary
from newsdesk.site.scaffold import config_text, init_site

BASE_URL = "http://127.0.0.1:1313/"
TICKERS = 300
PROVIDERS = 40
SENTENCE_POOL = 6000
MARKETS = ["Stocks", "Crypto", "Forex", "Futures", "Bonds", "ETFs", "Economy"]
COUNTRIES = ["United States", "Germany", "Spain", "United Kingdom", "Japan", "China", "France", "Canada",
             "India", "Brazil", "Australia", "Switzerland"]
EXCHANGES = ["NASDAQ", "NYSE", "AMEX", "XETR", "BME", "LSE", "TSE", "HKEX"]
FLOOR_SINGLE = """<!DOCTYPE html>
<html lang="{{ site.Language.Lang }}"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2006-01-02 15:04" }}</time>
{{ range .GetTerms "categories" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}
{{ range .GetTerms "tags" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}
{{ .Content }}</body></html>
"""
FLOOR_LIST = """<!DOCTYPE html>
<html lang="{{ site.Language.Lang }}"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = site.RegularPages }}{{ end }}
{{ $paginator := .Paginate $pages }}
{{ range $paginator.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Summary | plainify }}</p></article>{{ end }}
{{ with $paginator.Prev }}<a href="{{ .URL }}">prev</a>{{ end }} {{ with $paginator.Next }}<a href="{{ .URL }}">next</a>{{ end }}
</body></html>
"""

FUNCTION_WORDS = ("the of to and a in that for on is said with as its by at from it was be has have are an "
                  "will were after than more about over year percent which but not this also had their").split()
WORDS = ("shares revenue quarter guidance margin freight demand outlook analysts estimates growth carrier "
         "volumes pricing investors session earnings dividend buyback capacity contracts orders backlog "
         "inventory costs fuel rates routes ports customers forecast management consensus premarket futures "
         "index yields bonds currency rally slump rebound record central bank inflation payrolls tariffs "
         "exports imports supply chain semiconductor retail consumer spending housing mortgage lender credit "
         "spread default refinancing acquisition merger regulator approval trial patent launch subscribers "
         "streaming advertising cloud software hardware robotics battery lithium copper crude refinery "
         "pipeline utility wholesale harvest shipping container airline bookings tourism hotel").split()


@dataclass
class Run:
    """One measured process: wall seconds, peak resident memory in MiB, its output."""

    seconds: float
    peak_mib: float
    output: str
    code: int = 0  # exit status (-9: killed, e.g. by the kernel when memory ran out)

    def cells(self) -> str:
        """``| s | MiB`` table cells, or the failure."""
        if self.code:
            return f"failed (exit {self.code}) | {self.peak_mib:,.0f}"
        return f"{self.seconds:.1f} | {self.peak_mib:,.0f}"


def measure(cmd: list[str], env: dict[str, str] | None = None, *, check: bool = True) -> Run:
    """Run ``cmd`` in a fresh process; its wall time and the peak RSS of it and its children.

    A failure ends the bench, or with ``check=False`` is returned as the run's ``code``."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    if proc.returncode != 0 and check:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output[-3000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, output, proc.returncode)  # ru_maxrss is in KiB on Linux


# --- synthetic posts ---------------------------------------------------------------------------

class Corpus:
    """Random but reproducible names, sentences and posts."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        tickers: set[str] = set()
        while len(tickers) < TICKERS:
            tickers.add("".join(rng.choice(letters) for _ in range(rng.randint(2, 5))))
        self.tickers = sorted(tickers)
        self.exchange = {t: rng.choice(EXCHANGES) for t in self.tickers}
        self.ticker_weights = [1 / (i + 1) ** 0.9 for i in range(TICKERS)]  # Zipf-like
        syllables = ["ar", "bel", "cor", "dan", "el", "fen", "gor", "hal", "is", "jun", "kel", "lor",
                     "mar", "nor", "or", "pel", "quin", "ros", "sel", "tor", "ul", "ven", "wes", "zan"]
        self.providers = [f"{''.join(rng.sample(syllables, 2)).capitalize()} {rng.choice(['Wire', 'Newswire', 'Markets', 'Desk', 'Press', 'Research'])}"
                          for _ in range(PROVIDERS)]
        self.companies = {t: "".join(rng.sample(syllables, 3)).capitalize() + rng.choice([" Inc.", " Group", " AG", " Holdings", ""])
                          for t in self.tickers}
        # Word frequencies fall off as in real text (Zipf): function words, then market words, then
        # thousands of rarer made-up words (names, places, jargon).
        vocabulary = FUNCTION_WORDS + WORDS + ["".join(rng.sample(syllables, rng.randint(2, 4))) for _ in range(8000)]
        cumulative, total = [], 0.0
        for rank in range(len(vocabulary)):
            total += 1 / (rank + 1)
            cumulative.append(total)
        self.sentences = [self._sentence(vocabulary, cumulative) for _ in range(SENTENCE_POOL)]

    def _sentence(self, vocabulary: list[str], cumulative: list[float]) -> str:
        rng = self.rng
        words = rng.choices(vocabulary, cum_weights=cumulative, k=rng.randint(10, 24))
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), f"{rng.randint(2, 99)}.{rng.randint(0, 9)}%")
        return " ".join(words).capitalize() + "."

    def _para(self, n: int) -> str:
        return " ".join(self.rng.choices(self.sentences, k=n))

    def post(self, i: int, when: float) -> tuple[str, str]:
        """The file name and text of post ``i``, published at ``when`` (Unix seconds)."""
        rng = self.rng
        tickers = list(dict.fromkeys(rng.choices(self.tickers, weights=self.ticker_weights, k=rng.randint(1, 3))))
        provider = rng.choice(self.providers)
        company = self.companies[tickers[0]]
        title = f"{company} {rng.choice(['shares', 'stock', 'outlook', 'earnings'])} " \
                f"{rng.choice(['jump', 'slide', 'steady', 'beat estimates', 'miss forecasts', 'rally'])} as " \
                + " ".join(self._para(1).rstrip(".").lower().split()[:rng.randint(4, 8)])
        blocks = [self._para(rng.randint(3, 5))]
        blocks.append(f"[{company}](https://www.tradingview.com/symbols/{self.exchange[tickers[0]]}-{tickers[0]}/) "
                      + self._para(rng.randint(2, 4)))
        if rng.random() < 0.3:
            blocks.append(f"![{company} illustration](https://s3.tradingview.com/news/image/bench:{i:x}-"
                          f"{rng.getrandbits(128):032x}-resized.jpeg)")
            blocks.append(f"*Illustration by {provider}*")
        blocks.append(f"### {self._para(1)[:50].rstrip('.')}")
        blocks.append("\n".join(f"* {self._para(1)}" for _ in range(rng.randint(2, 5))))
        blocks += [self._para(rng.randint(2, 5)) for _ in range(rng.randint(2, 5))]
        if rng.random() < 0.1:
            rows = [f"| {t} | {rng.randint(1, 999)}.{rng.randint(0, 99):02d} | {rng.choice(['+', '-'])}{rng.randint(0, 15)}% |"
                    for t in tickers * 3]
            blocks.append("| Ticker | Price | Change |\n| --- | --- | --- |\n" + "\n".join(rows))
        blocks.append(f"[{provider}](https://www.tradingview.com/news/bench:{i}:0-story/)")
        body = "\n\n".join(blocks)
        summary = " ".join(blocks[0].split()[:50]).rstrip(".") + "..."
        tags = [provider, rng.choice(MARKETS), rng.choice(COUNTRIES), *tickers]
        date = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(when))
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].rstrip("-")
        name = f"{slug}-{i:010x}"

        def quoted(value: str) -> str:
            return json.dumps(value, ensure_ascii=False)

        front = "\n".join([
            "---", f"title: {quoted(title)}", f"date: {quoted(date)}", f"summary: {quoted(summary)}",
            "categories:", f"  - {quoted(provider)}", "lang:", '  - "en"', "translations:", '  - "en"',
            "tags:", *(f"  - {quoted(t)}" for t in tags), 'menu: ""', 'thumbnail: ""', 'lead: ""',
            "comments: false", "authorbox: false", "pager: true", "toc: false", "mathjax: false",
            'sidebar: "right"', "widgets:", '  - "search"', '  - "recent"', '  - "taglist"', "---", "",
        ])
        return f"{name}.en.md", f"{front}\n{body}\n"


def write_posts(content: Path, size: int, corpus: Corpus) -> None:
    content.mkdir(parents=True, exist_ok=True)
    start = 1_790_000_000
    for i in range(size):
        name, text = corpus.post(i, start + i * 600)
        (content / name).write_text(text, encoding="utf-8")


# --- sites -------------------------------------------------------------------------------------

def make_bundled_site(root: Path, size: int, corpus: Corpus) -> Path:
    """A `newsdesk init` site with ``size`` posts; returns its newsdesk.toml."""
    init_site(root, text=config_text(languages=("en",), base_url=BASE_URL))
    config = load_config(root / "newsdesk.toml", required=True)
    write_posts(config.content_dir, size, corpus)
    try:  # which tags are tickers: `newsdesk build` writes this from the archive (the bench has none)
        from newsdesk.site.scaffold import write_ticker_data
    except ImportError:
        pass
    else:
        write_ticker_data(config.site_path, {t: [f"{corpus.exchange[t]}:{t}"] for t in corpus.tickers})
    return root / "newsdesk.toml"


def make_floor_site(root: Path, site: Path) -> Path:
    """A Hugo site on the same posts with a two-template theme (``site``'s Hugo config, theme swapped)."""
    layouts = root / "themes" / "floor" / "layouts"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(FLOOR_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(FLOOR_LIST, encoding="utf-8")
    own = (site / "hugo.toml").read_text(encoding="utf-8")
    own = re.sub(r'(?m)^theme = .*$', 'theme = "floor"', own)
    own = f"contentDir = {json.dumps(str(site / 'content'))}\n" + own
    (root / "hugo.toml").write_text(own, encoding="utf-8")
    managed = site / "config" / "_default" / "hugo.toml"
    if managed.exists():
        (root / "config" / "_default").mkdir(parents=True)
        shutil.copy(managed, root / "config" / "_default" / "hugo.toml")
    return root


def make_mainroad_site(root: Path, site: Path, mainroad: Path) -> Path:
    """The same posts with real Mainroad (its path given by --mainroad)."""
    root.mkdir(parents=True)
    (root / "themes").mkdir()
    (root / "themes" / "mainroad").symlink_to(mainroad.resolve(), target_is_directory=True)
    own = (site / "hugo.toml").read_text(encoding="utf-8")
    own = re.sub(r'(?m)^theme = .*$', 'theme = "mainroad"', own)
    own = f"contentDir = {json.dumps(str(site / 'content'))}\n" + own
    (root / "hugo.toml").write_text(own, encoding="utf-8")
    managed = site / "config" / "_default" / "hugo.toml"
    if managed.exists():
        (root / "config" / "_default").mkdir(parents=True)
        shutil.copy(managed, root / "config" / "_default" / "hugo.toml")
    return root


def hugo(site: Path) -> Run:
    """Hugo on ``site`` with the arguments `newsdesk build` passes."""
    env = {**os.environ, "NO_COLOR": "1"}
    return measure([str(hugo_binary()), "--source", str(site), "--logLevel", "warn", "--cleanDestinationDir"], env)


def pagefind_command() -> list[str] | None:
    """Pagefind as `newsdesk build` runs it, less its story glob (None before search existed)."""
    try:
        from newsdesk.site.search import BUNDLE_DIR, pagefind_binary
    except ImportError:
        return None
    return [str(pagefind_binary()), "--output-subdir", BUNDLE_DIR]


def story_glob() -> list[str]:
    """The ``--glob`` `newsdesk build` adds so that Pagefind reads only the story folders."""
    try:
        from newsdesk.site.search import STORY_GLOB
    except ImportError:
        return []
    return ["--glob", STORY_GLOB]


def pagefind(command: list[str], public: Path) -> tuple[Run, int]:
    """Pagefind on ``public`` (one language, as `newsdesk build` runs it for an English site)."""
    run = measure([*command, "--site", str(public)], {**os.environ, "NO_COLOR": "1"}, check=False)
    indexed = re.search(r"Indexed (\d+) pages?", run.output)
    return run, int(indexed.group(1)) if indexed else -1


def whole_site_copy(public: Path, target: Path) -> Path:
    """``public`` without ``data-pagefind-body``: Pagefind then indexes every page (its default)."""
    shutil.copytree(public, target, ignore=shutil.ignore_patterns("pagefind", "pagefind-*"))
    for page in target.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "data-pagefind-body" in text:
            page.write_text(text.replace(" data-pagefind-body", ""), encoding="utf-8")
    return target


def count_pages(public: Path) -> int:
    return sum(1 for _ in public.rglob("*.html"))


def fastest(runs: list[Run]) -> Run:
    """The quickest of repeated runs (the one least disturbed by other load); its own peak memory."""
    return min(runs, key=lambda run: run.seconds)


def one_size(size: int, work: Path, mainroad: Path | None, repeat: int, whole_site_max: int) -> dict[str, object]:
    root = work / f"n{size}"
    t = time.perf_counter()
    config_file = make_bundled_site(root / "bundled", size, Corpus())
    generate_s = time.perf_counter() - t
    site = root / "bundled" / "site"
    floor = make_floor_site(root / "floor", site)
    row: dict[str, object] = {"size": size, "generate_s": generate_s}
    floors, bundleds = [], []
    for _ in range(repeat):  # interleaved, so a burst of other load hits both alike
        floors.append(hugo(floor))
        bundleds.append(hugo(site))
    row["floor"], row["bundled"] = fastest(floors), fastest(bundleds)
    row["pages"] = count_pages(site / "public")
    row["floor_pages"] = count_pages(floor / "public")
    row["build"] = measure([sys.executable, "-m", "newsdesk", "-q", "-c", str(config_file), "build"], check=False)
    if mainroad is not None:
        mr = make_mainroad_site(root / "mainroad", site, mainroad)
        row["mainroad"] = hugo(mr)
    command = pagefind_command()
    if command is not None:
        public = site / "public"
        shutil.rmtree(public / "pagefind", ignore_errors=True)
        glob = story_glob()
        if glob:
            row["pf_glob"], row["pf_glob_pages"] = pagefind([*command, *glob], public)
            shutil.rmtree(public / "pagefind", ignore_errors=True)
        row["pf_body"], row["pf_body_pages"] = pagefind(command, public)
        if size <= whole_site_max:
            whole = whole_site_copy(public, root / "whole-public")
            row["pf_whole"], row["pf_whole_pages"] = pagefind(command, whole)
            shutil.rmtree(whole)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated post counts (50000 is slow)")
    parser.add_argument("--mainroad", type=Path, help="a checkout of Vimux/Mainroad to measure too (informative)")
    parser.add_argument("--dir", type=Path, help="where the work folder goes (default: /dev/shm up to 10,000 "
                                                   "posts, so disk noise stays out; else the temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--repeat", type=int, default=1, help="Hugo runs per theme (fastest counts)")
    parser.add_argument("--whole-site-max", type=int, default=10_000,
                        help="index the whole site with Pagefind only up to this many posts (it needs twice "
                             "the story-only run's memory: about 28 GiB at 50,000 posts)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    where = args.dir
    if where is None and max(sizes) <= 10_000 and Path("/dev/shm").is_dir():
        where = Path("/dev/shm")  # memory: the sites, their output and Pagefind's copy fit easily
    work = Path(tempfile.mkdtemp(prefix="bench-build-", dir=where))
    try:
        rows = []
        for size in sizes:
            rows.append(one_size(size, work, args.mainroad, max(1, args.repeat), args.whole_site_max))
            print(f"# {size:,} posts done", file=sys.stderr, flush=True)
    finally:
        if args.keep:
            print(f"# kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    report(rows, args.mainroad is not None)


def report(rows: list[dict[str, object]], with_mainroad: bool) -> None:
    def r(row: dict[str, object], key: str) -> Run:
        value = row[key]
        assert isinstance(value, Run)
        return value

    print("| posts | pages (bundled / floor) | floor Hugo s | bundled Hugo s | time ratio | floor MiB | bundled MiB "
          "| memory ratio | `newsdesk build` s |" + (" Mainroad Hugo s | Mainroad MiB |" if with_mainroad else ""))
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|---:|" if with_mainroad else ""))
    for row in rows:
        floor, bundled, build = r(row, "floor"), r(row, "bundled"), r(row, "build")
        line = (f"| {row['size']:,} | {row['pages']:,} / {row['floor_pages']:,} | {floor.seconds:.1f} | {bundled.seconds:.1f} "
                f"| {bundled.seconds / floor.seconds:.2f}x | {floor.peak_mib:,.0f} | {bundled.peak_mib:,.0f} "
                f"| {bundled.peak_mib / floor.peak_mib:.2f}x | {build.cells().split(' |')[0]} |")
        if with_mainroad:
            mr = r(row, "mainroad")
            line += f" {mr.seconds:.1f} ({mr.seconds / floor.seconds:.1f}x) | {mr.peak_mib:,.0f} |"
        print(line)
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        n = int(last["size"]) / int(first["size"])  # type: ignore[call-overload]
        print(f"\ngrowth {first['size']:,} -> {last['size']:,} posts ({n:g}x): floor {r(last, 'floor').seconds / r(first, 'floor').seconds:.1f}x, "
              f"bundled {r(last, 'bundled').seconds / r(first, 'bundled').seconds:.1f}x")
    if "pf_body" in rows[0]:
        print("\n| posts | as `newsdesk build` (story folders, story body): pages | s | MiB "
              "| whole folder walked, story body: pages | s | MiB | whole site: pages | s | MiB |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for row in rows:
            glob_cells = "not in this version | | " if "pf_glob" not in row else \
                f"{row['pf_glob_pages']:,} | {r(row, 'pf_glob').cells()} |"
            whole_cells = "not run (--whole-site-max) | | " if "pf_whole" not in row else \
                f"{row['pf_whole_pages']:,} | {r(row, 'pf_whole').cells()} |"
            print(f"| {row['size']:,} | {glob_cells} {row['pf_body_pages']:,} | {r(row, 'pf_body').cells()} | {whole_cells}")
    else:
        print("\nPagefind is not installed (no search in the build yet): Hugo only.")


if __name__ == "__main__":
    main()
