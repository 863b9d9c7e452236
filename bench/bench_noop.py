"""A no-op `newsdesk run` (nothing new at the source) on archives of growing size.

Usage: .venv/bin/python bench/bench_noop.py [--sizes 2000,20000] [--repeat 5]

Each size: a fresh site whose archive holds the bundled sample (fetched from the replay server)
plus synthetic stories up to the size; one full publish and Hugo build; then the median of
`--repeat` no-op runs (fetch list page -> nothing new -> publish nothing -> no build).
Target: under 2 s and independent of archive size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from newsdesk.config import load_config
from newsdesk.fetch import fetch_all
from newsdesk.model import Story
from newsdesk.publish import publish
from newsdesk.replay import ReplayServer, sample_archive_path
from newsdesk.runner import build, run_once
from newsdesk.site.scaffold import config_text, init_site
from newsdesk.store import Store


def synthetic(i: int) -> tuple[Story, dict]:
    tree = {"type": "root", "children": [
        {"type": "p", "children": [f"Synthetic story number {i} about quarterly results and guidance."]},
        {"type": "list", "children": [{"type": "*", "children": ["Revenue rose"]},
                                      {"type": "*", "children": ["Margins held"]}]},
    ]}
    item = {"id": f"bench:{i}:0", "title": f"Bench story {i}", "published": 1_700_000_000 + i,
            "provider": {"id": "bench", "name": "Bench Wire"}, "storyPath": f"/news/bench:{i}:0-bench/"}
    story_json = {**item, "ast_description": tree, "short_description": "", "language": "en",
                  "tags": [{"title": "Bench Wire"}], "story_path": item["storyPath"]}
    raw = {"api": "news-flow", "item": item, "story": story_json}
    from newsdesk.sources.tradingview import parse_raw

    return parse_raw(raw), raw


def one_size(size: int, repeat: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, ReplayServer(sample_archive_path()) as server:
        root = Path(tmp)
        init_site(root, text=config_text(api_url=server.url, image_mirror=server.url))  # images from loopback too
        config = load_config(root / "newsdesk.toml")
        with Store(config.store_path) as store:
            fetch_all(config, store)
            with store.atomic():
                for i in range(max(0, size - store.count())):
                    story, raw = synthetic(i)
                    store.upsert(story, raw, f"h{i}", "bench")
            t = time.perf_counter()
            publish(config, store)
            publish_s = time.perf_counter() - t
            build_s = build(config).seconds
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                report = run_once(config, store)
                times.append(time.perf_counter() - t)
                assert not report.published.written and report.built is None, "the no-op run did work"
            return {"archive": store.count(), "publish_s": publish_s, "build_s": build_s,
                    "noop_median_s": statistics.median(times), "noop_max_s": max(times)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2000,20000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows = [one_size(int(s), args.repeat) for s in args.sizes.split(",")]
    print("| archive stories | first publish (s) | Hugo build (s) | no-op run median (s) | no-op run max (s) |")
    print("|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['archive']:,} | {r['publish_s']:.1f} | {r['build_s']:.1f} | {r['noop_median_s']:.3f} |"
              f" {r['noop_max_s']:.3f} |")
    if len(rows) > 1:
        print(f"\nno-op ratio largest/smallest archive: {rows[-1]['noop_median_s'] / rows[0]['noop_median_s']:.2f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
