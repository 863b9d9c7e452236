"""`newsdesk run --watch` for many cycles: resident memory and open file descriptors stay flat.

Usage: .venv/bin/python bench/bench_watch.py [--cycles 1000] [--interval 0.1] [--sample-every 50]
                                             [--new-every 100]

A fresh site (the `init` config, images on) fed by the replay server on 127.0.0.1 with the bundled
sample; `newsdesk run --watch INTERVAL` runs as a real process, as a user runs it. Every
`--new-every` cycles a new story appears at the source (a copy of a sample story under a new id,
added to the running replay server), so some cycles fetch, publish and build while most find
nothing new. Every `--sample-every` cycles (counted from the process's "run done" log lines) the
bench reads VmRSS from /proc/<pid>/status and counts /proc/<pid>/fd. The baseline is the process's
own first sample, after cycle 1 (first fetch, publish and build done), in the same run: the figures
are last/first and max/first. Ends with SIGTERM and checks the clean exit.
"""

from __future__ import annotations

import argparse
import copy
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from newsdesk.replay import ReplayServer, sample_archive_path
from newsdesk.site.scaffold import config_text, init_site

NEWSDESK = Path(sys.executable).parent / "newsdesk"


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def fd_count(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def add_story(server: ReplayServer, n: int) -> str:
    """A new story at the top of the source's lists: a sample story under a new id."""
    template = server.records[n % len(server.records)]
    record = copy.deepcopy(template)
    story_id = f"benchwatch{n}"
    record["id"] = story_id
    record["story_path"] = template["story_path"].replace(template["id"], story_id)
    record["published"] = max(r["published"] for r in server.records) + 60
    server._by_id[story_id] = record  # the running server serves it from the next request on
    server.records.insert(0, record)
    return story_id


def run(cycles: int, interval: float, sample_every: int, new_every: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp, ReplayServer(sample_archive_path()) as server:
        root = Path(tmp)
        init_site(root, text=config_text(api_url=server.url, image_mirror=server.url))
        out = (root / "stdout.txt").open("w")
        proc = subprocess.Popen([str(NEWSDESK), "-c", str(root / "newsdesk.toml"), "run", "--watch", str(interval)],
                                stdout=out, stderr=subprocess.PIPE, text=True)
        done = 0
        failed: list[str] = []
        samples: list[tuple[int, int, int]] = []  # (cycle, rss KiB, fds)
        added = 0
        started = time.perf_counter()
        first_cycle_s = 0.0
        assert proc.stderr is not None
        try:
            for line in proc.stderr:
                if "cycle failed" in line or "cycle skipped" in line:
                    failed.append(line.strip())
                if not ("run done" in line or "cycle failed" in line or "cycle skipped" in line):
                    continue
                done += 1
                if done == 1:
                    first_cycle_s = time.perf_counter() - started
                if done == 1 or done % sample_every == 0:
                    samples.append((done, rss_kib(proc.pid), fd_count(proc.pid)))
                if new_every and done % new_every == 0 and done < cycles:
                    add_story(server, added)
                    added += 1
                if done >= cycles:
                    break
            seconds = time.perf_counter() - started
            proc.send_signal(signal.SIGTERM)
            drain = threading.Thread(target=proc.stderr.read, daemon=True)
            drain.start()
            code = proc.wait(timeout=300)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            out.close()
        posts = len(list((root / "site" / "content" / "post").glob("*.md")))
        written = len((root / "stdout.txt").read_text().splitlines())
        return {"cycles": done, "seconds": seconds, "first_cycle_s": first_cycle_s, "samples": samples,
                "failed": failed, "exit": code, "added": added, "posts": posts, "written": written,
                "requests": len(server.requests)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument("--sample-every", type=int, default=50)
    parser.add_argument("--new-every", type=int, default=100)
    args = parser.parse_args()
    r = run(args.cycles, args.interval, args.sample_every, args.new_every)
    samples: list[tuple[int, int, int]] = r["samples"]  # type: ignore[assignment]
    first, last = samples[0], samples[-1]
    warm = samples[1] if len(samples) > 1 else first
    max_rss, max_fd = max(s[1] for s in samples), max(s[2] for s in samples)
    print(f"newsdesk run --watch {args.interval:g}: {r['cycles']} cycles in {r['seconds']:.0f}s "
          f"(first cycle {r['first_cycle_s']:.1f}s), {r['added']} new stories added, {r['written']} posts written "
          f"({r['posts']} on disk), {r['requests']} requests, {len(r['failed'])} failed cycles, "
          f"exit {r['exit']} after SIGTERM")
    for line in r["failed"][:5]:  # type: ignore[index]
        print("  ", line)
    print()
    print(f"| figure | after cycle 1 (baseline) | after cycle {warm[0]} | after cycle {last[0]} (last) | max "
          f"| last / baseline | last / cycle {warm[0]} |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(f"| resident memory (VmRSS, MiB) | {first[1] / 1024:.1f} | {warm[1] / 1024:.1f} | {last[1] / 1024:.1f} "
          f"| {max_rss / 1024:.1f} | {last[1] / first[1]:.2f} | {last[1] / warm[1]:.2f} |")
    print(f"| open file descriptors | {first[2]} | {warm[2]} | {last[2]} | {max_fd} | {last[2] / first[2]:.2f} "
          f"| {last[2] / warm[2]:.2f} |")
    print()
    print("samples (cycle, VmRSS KiB, fds):", " ".join(f"{c}:{m}:{f}" for c, m, f in samples))
    if r["exit"] != 0 or r["failed"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
