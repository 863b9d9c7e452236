"""Preview cards: what drawing a card for every story without an image costs the site build.

Usage: .venv/bin/python bench/bench_cards.py [--size 10000] [--dir DIR] [--keep]

One `newsdesk init` site (English only) with ``size`` synthetic posts from bench_build.py's corpus,
their images taken out (no post has an image of its own, so every story page gets a card). Then,
in the same run, each as a whole `newsdesk build` process (Hugo and Pagefind, as users run it)
whose wall time and peak resident memory are taken (bench_build.measure):

* no cards: the same site with ``params.newsdesk.cards = false``, Hugo's resource cache empty;
* cards, cold: cards on, the cache empty: every card is drawn (and written to the cache);
* cards, warm: the next build: every card comes from Hugo's resource cache (what `run --watch`
  pays per cycle once the cards exist).

The figures go to docs/benchmarks.md as ratios against "no cards". The work folder goes to
/dev/shm (10,000 cards are about 0.6 GB in public/ and as much in the cache).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

_spec = importlib.util.spec_from_file_location("bench_build", Path(__file__).with_name("bench_build.py"))
assert _spec is not None and _spec.loader is not None
bench_build = importlib.util.module_from_spec(_spec)
sys.modules["bench_build"] = bench_build
_spec.loader.exec_module(bench_build)

_IMAGE_BLOCK = re.compile(r"\n\n!\[[^\n]*\n\n\*Illustration by [^\n]*\*")


def make_site(root: Path, size: int) -> Path:
    """The bench site with ``size`` posts, none with an image; returns its newsdesk.toml."""
    config_file: Path = bench_build.make_bundled_site(root, size, bench_build.Corpus())
    content = root / "site" / "content" / "post"
    for post in content.iterdir():
        text = post.read_text(encoding="utf-8")
        stripped = _IMAGE_BLOCK.sub("", text)
        if stripped != text:
            post.write_text(stripped, encoding="utf-8")
    assert not any("![" in p.read_text(encoding="utf-8") for p in content.iterdir())
    return config_file


def set_cards(site: Path, on: bool) -> None:
    hugo_toml = site / "hugo.toml"
    text = re.sub(r"(?m)^cards = (true|false)\n", "", hugo_toml.read_text(encoding="utf-8"))
    text = text.replace("[params.newsdesk]\n", f"[params.newsdesk]\ncards = {'true' if on else 'false'}\n")
    hugo_toml.write_text(text, encoding="utf-8")


def build(config_file: Path, resources: Path) -> Any:  # bench_build.Run
    newsdesk = Path(sys.executable).with_name("newsdesk")
    env = {**os.environ, "NO_COLOR": "1", "HUGO_RESOURCEDIR": str(resources)}
    return bench_build.measure([str(newsdesk), "-q", "-c", str(config_file), "build"], env)


def cards_in(public: Path) -> tuple[int, int]:
    files = list((public / "images" / "cards").glob("*.png")) if (public / "images" / "cards").is_dir() else []
    return len(files), sum(f.stat().st_size for f in files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="posts (default 10,000)")
    parser.add_argument("--dir", type=Path, help="where the work folder goes (default /dev/shm)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    base = args.dir or (Path("/dev/shm") if Path("/dev/shm").is_dir() else None)
    work = Path(tempfile.mkdtemp(prefix="bench-cards-", dir=base))
    try:
        config_file = make_site(work / "site-root", args.size)
        site, public = work / "site-root" / "site", work / "site-root" / "site" / "public"
        set_cards(site, on=False)
        plain = build(config_file, work / "resources-off")
        assert cards_in(public)[0] == 0, "cards = false still drew cards"
        set_cards(site, on=True)
        cold = build(config_file, work / "resources-on")
        count, size = cards_in(public)
        assert count == args.size, f"{count} cards for {args.size} stories"
        warm = build(config_file, work / "resources-on")
        print(f"`newsdesk build` of {args.size:,} posts without images (English only; Hugo and Pagefind):\n")
        print("| build | s | peak MiB | vs no cards |")
        print("|---|---:|---:|---:|")
        for name, run in (("no cards (`params.newsdesk.cards = false`)", plain), ("cards, cold cache (all drawn)", cold),
                          ("cards, warm cache (none drawn)", warm)):
            print(f"| {name} | {run.cells()} | {run.seconds / plain.seconds:.2f}x |")
        per_card = (cold.seconds - plain.seconds) / count * 1000
        print(f"\n{count:,} cards, {size / 2**20:,.0f} MiB in public/images/cards ({size / count / 1024:.0f} KiB each); "
              f"drawing costs {per_card:.1f} ms a card (wall, {os.cpu_count()} cores)")
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
