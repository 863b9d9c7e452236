"""What market-fact extraction adds to `newsdesk publish`, as a whole process.

    .venv/bin/python bench/bench_facts_publish.py [--n 5000] [--repeat 3] [--dir DIR]

The bundled sample archive (every language version of every story: market news in English,
German, Spanish and one Chinese story, 40 to 400 words, full of figures) is scaled the way
bench/bench_render.py scales its pool: its stories cycled with distinct ids until there are N of
them, archived through ``Store.upsert`` as a fetch would, in a site made by ``newsdesk init``
(images off: this measures rendering and writing), and their market facts extracted into the
archive as the fetch step does (``newsdesk.facts.archive.fill``, timed: what fetch pays for them). The
same archive is then published by ``newsdesk -q -c CONFIG publish`` three ways, each on a fresh
copy of the site (empty posts folder), interleaved, after one untimed run of each (byte code
written):

* ``[facts] enabled = false``: no facts (the baseline);
* ``enabled = true``: the facts read from the archive (what publish costs in a site's life);
* ``enabled = true``, facts not kept (deleted from the copy's archive): publish extracts them all
  (an archive imported from elsewhere, or the first publish after an extractor upgrade).

The fastest of ``--repeat`` runs counts, by wall clock and by CPU time (user + system, which other
load disturbs less). Target: facts add under 25%. The facts found are counted from the posts
written, so the table says how much extraction there was.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from newsdesk.sample import load_archive, newsflow_item, v1_story


def raw_records(count: int) -> list[dict[str, Any]]:
    """``count`` archived records ({"api", "lang", "item", "story"}) cycled from the sample
    archive's story versions, each with its own id."""
    versions = [(record, lang) for record in load_archive() for lang in sorted(record["versions"])]
    out: list[dict[str, Any]] = []
    for n in range(count):
        record, lang = versions[n % len(versions)]
        item, story = newsflow_item(record, lang), v1_story(record, lang)
        suffix = f"-{n // len(versions)}"
        for part in (item, story):
            part["id"] = record["id"] + suffix
            part["published"] = record["published"] + n
        item["storyPath"] = story["story_path"] = record["story_path"].rstrip("/") + f"{suffix}/"
        out.append({"api": "news-flow", "lang": lang, "item": item, "story": story})
    return out


def make_site(count: int, root: Path) -> tuple[Path, int, float]:
    """A `newsdesk init` site whose archive holds ``count`` stories and their facts; its config
    file, the average words of a story's text and the CPU seconds the facts took."""
    from newsdesk.config import load_config
    from newsdesk.facts.archive import fill
    from newsdesk.render.facts_front import facts_front_matter
    from newsdesk.model import plain_text
    from newsdesk.site.scaffold import config_text, init_site
    from newsdesk.sources.tradingview import parse_raw
    from newsdesk.store import Store

    init_site(root, text=config_text(languages=("en", "de", "es", "zh-Hans"))
              .replace("\nprocess = true", "\nprocess = false", 1))
    config = load_config(root / "newsdesk.toml")
    words = 0
    with Store(config.store_path) as store, store.atomic():
        for n, raw in enumerate(raw_records(count)):
            story = parse_raw(raw)
            words += len(plain_text(story.tree).split()) if story.tree is not None else 0
            store.upsert(story, raw, f"bench-{n}", "bench")
    with Store(config.store_path) as store:
        start = time.process_time()
        fill(store, facts_front_matter)
        seconds = time.process_time() - start
    return root / "newsdesk.toml", round(words / max(count, 1)), seconds


def forget_facts(config_file: Path) -> None:
    from newsdesk.config import load_config
    from newsdesk.store import Store

    with Store(load_config(config_file).store_path) as store:
        store.db.execute("DELETE FROM story_facts")


def set_facts(config_file: Path, enabled: bool) -> None:
    text = config_file.read_text(encoding="utf-8")
    text = re.sub(r"\n\[facts\]\nenabled = (true|false)\n", "\n", text)
    config_file.write_text(text + f"\n[facts]\nenabled = {'true' if enabled else 'false'}\n", encoding="utf-8")


@dataclass
class Run:
    wall: float
    cpu: float


def publish(config_file: Path) -> Run:
    """One `newsdesk publish` process, which must succeed."""
    newsdesk = str(Path(sys.executable).with_name("newsdesk"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    proc = subprocess.Popen([newsdesk, "-q", "-c", str(config_file), "publish"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"newsdesk publish failed (wait status {status}): {err.decode(errors='replace')[-2000:]}")
    return Run(seconds, usage.ru_utime + usage.ru_stime)


def count_facts(site: Path) -> tuple[int, int, int]:
    """(posts, posts with facts, facts) of a published site."""
    posts = with_facts = facts = 0
    for path in (site / "site" / "content" / "post").glob("*.md"):
        posts += 1
        head = path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        if "\nfacts:\n" in head:
            with_facts += 1
            block = head.split("\nfacts:\n", 1)[1].split("\nkey_figures:", 1)[0]
            facts += sum(1 for line in block.splitlines() if line.startswith("  - {"))
    return posts, with_facts, facts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="stories in the archive")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side (fastest counts)")
    parser.add_argument("--dir", default=_default_dir(), help="where the sites go (default: a RAM disk when there is one)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):  # one core, as the other publish benchmarks
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    sides = ("off", "kept", "cold")
    runs: dict[str, list[Run]] = {side: [] for side in sides}
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        template = Path(tmp) / "template"
        _, words, fill_cpu = make_site(args.n, template)
        counted = (0, 0, 0)
        for round_ in range(args.repeat + 1):  # round 0: untimed, byte code written
            for side in sides:
                site = Path(tmp) / f"site-{side}-{round_}"
                shutil.copytree(template, site)
                set_facts(site / "newsdesk.toml", side != "off")
                if side == "cold":
                    forget_facts(site / "newsdesk.toml")
                run = publish(site / "newsdesk.toml")
                posts, with_facts, facts = count_facts(site)
                assert posts == args.n, f"publish wrote {posts} posts of {args.n}"
                assert side != "off" or facts == 0, "facts written with [facts] enabled = false"
                if side != "off":
                    assert counted in ((0, 0, 0), (posts, with_facts, facts)), "kept and extracted facts differ"
                    counted = (posts, with_facts, facts)
                if round_:
                    runs[side].append(run)
                shutil.rmtree(site)
    wall = {side: min(r.wall for r in runs[side]) for side in sides}
    cpu = {side: min(r.cpu for r in runs[side]) for side in sides}
    posts, with_facts, facts = counted
    print(f"Sample archive scaled to {args.n:,} stories (about {words} words each); {with_facts:,} posts with "
          f"facts, {facts:,} facts; Python {sys.version.split()[0]}, one core; fastest of {args.repeat}.\n")
    print("| `newsdesk publish` | wall s | stories/s | CPU s | vs no facts (CPU) |")
    print("|---|---:|---:|---:|---:|")
    labels = {"off": "`[facts] enabled = false`", "kept": "`enabled = true`, facts kept in the archive by fetch",
              "cold": "`enabled = true`, no facts kept (all extracted by publish)"}
    for side in sides:
        print(f"| {labels[side]} | {wall[side]:.2f} | {args.n / wall[side]:,.0f} | {cpu[side]:.2f} "
              f"| {100 * (cpu[side] / cpu['off'] - 1):+.1f}% |")
    print(f"\nfacts kept in the archive add {100 * (wall['kept'] / wall['off'] - 1):+.1f}% wall clock, "
          f"{100 * (cpu['kept'] / cpu['off'] - 1):+.1f}% CPU to publish (target: under 25%); fetch paid "
          f"{fill_cpu:.2f} s CPU to extract them ({args.n / fill_cpu:,.0f} stories/s)")
    if args.json:
        args.json.write_text(json.dumps({
            "n": args.n, "words": words, "posts_with_facts": with_facts, "facts": facts, "fill_cpu": fill_cpu,
            "wall": wall, "cpu": cpu}, indent=1) + "\n")


def _default_dir() -> str:
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else tempfile.gettempdir()


if __name__ == "__main__":
    main()
