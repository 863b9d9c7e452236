"""Deploy cost: a no-change `newsdesk deploy` of a big site, per target kind, against `rsync --checksum`.

Usage: .venv/bin/python bench/bench_deploy.py [--posts 10000] [--repeat 3] [--kinds file,rsync,s3] [--dir DIR] [--keep]

One `newsdesk init` site with N synthetic posts (bench_build.py's generator), built once with
`newsdesk build`. Each target gets a first, full deploy (timed, informative); then the measured
runs, each a fresh `newsdesk deploy` process (fastest of --repeat), with nothing changed:

* ``file://``: a web root on the same file system (release folders switched by a symlink);
* ``rsync:``: a local folder (rsync's four runs: the delete count, assets, pages, deletes);
* ``s3://``: `hugo deploy` against moto's S3 server on 127.0.0.1 (a Python server: listing
  the bucket costs more than it would against a real store);

and the baseline, in the same run: ``rsync -rc --delete --itemize-changes`` of the same tree to a
folder it already matches. Objects transferred are the `sent` and `deleted` lines newsdesk prints
(the baseline's itemized lines). Targets: 0 objects, time within 2x the baseline.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_build import Corpus, Run, make_bundled_site, measure

NEWSDESK = [sys.executable, "-m", "newsdesk"]


def set_target(config: Path, target: str) -> Path:
    """A copy of ``config`` deploying to ``target`` (beside it)."""
    text = config.read_text(encoding="utf-8")
    text = text.replace('path = "site"', f'path = "{config.parent / "site"}"')
    kind = target.split(":", 1)[0]
    out = config.parent / f"deploy-{kind}.toml"
    out.write_text(text + f'\n[deploy]\ntarget = "{target}"\nmax_deletes = 256\ntimeout = 3600\n', encoding="utf-8")
    return out


def objects(run: Run) -> int:
    return sum(1 for line in run.output.splitlines() if line.startswith(("sent ", "deleted ")))


def fastest(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kinds", default="file,rsync,s3")
    parser.add_argument("--dir", type=Path, help="work folder's parent (default /dev/shm when there)")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    where = args.dir or (Path("/dev/shm") if Path("/dev/shm").is_dir() else None)
    work = Path(tempfile.mkdtemp(prefix="bench-deploy-", dir=where))
    server = None
    env = dict(os.environ, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_EC2_METADATA_DISABLED="true",
               AWS_CONFIG_FILE=str(work / "aws-config"), AWS_SHARED_CREDENTIALS_FILE=str(work / "aws-credentials"))
    try:
        config = make_bundled_site(work / "site", args.posts, Corpus())
        built = measure([*NEWSDESK, "-q", "-c", str(config), "build"])
        public = config.parent / "site" / "public"
        files = sum(len(names) for _, _, names in os.walk(public))
        print(f"# built {args.posts:,} posts: {files:,} files in {built.seconds:.1f}s", file=sys.stderr, flush=True)

        baseline_dest = work / "baseline"
        rsync = ["rsync", "-rc", "--delete", "--itemize-changes", f"{public}/", f"{baseline_dest}/"]
        measure(rsync)
        baselines = [measure(rsync) for _ in range(args.repeat)]
        baseline = fastest(baselines)
        base_objects = len([line for line in baseline.output.splitlines() if line.strip()])

        rows: list[tuple[str, Run, Run]] = []
        configs: dict[str, Path] = {}
        for kind in kinds:
            if kind == "file":
                (work / "www").mkdir(exist_ok=True)
                target = f"file://{work / 'www' / 'news'}"
            elif kind == "rsync":
                target = f"rsync:{work / 'rsync-dest'}"
            elif kind == "s3":
                import boto3
                from moto.server import ThreadedMotoServer

                logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's access log
                server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
                server.start()
                host, port = server.get_host_and_port()
                endpoint = f"http://{host}:{port}"
                boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="bench",
                             aws_secret_access_key="bench").create_bucket(Bucket="bench")
                target = f"s3://bench?endpoint={endpoint}&region=us-east-1"
            else:
                raise SystemExit(f"unknown kind {kind!r}")
            cfg = set_target(config, target)
            first = measure([*NEWSDESK, "-c", str(cfg), "deploy"], env)
            print(f"# {kind}: first deploy {objects(first):,} objects in {first.seconds:.1f}s", file=sys.stderr, flush=True)
            again = fastest([measure([*NEWSDESK, "-c", str(cfg), "deploy"], env) for _ in range(args.repeat)])
            rows.append((kind, first, again))
            configs[kind] = cfg
        report(args.posts, files, baseline, base_objects, rows)
        one_story(config, public, args.posts, configs, baseline_dest, env)
    finally:
        if server is not None:
            server.stop()
        if args.keep:
            print(f"# kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def one_story(config: Path, public: Path, posts: int, configs: dict[str, Path], baseline_dest: Path,
              env: dict[str, str]) -> None:
    """One more post, a rebuild, then one deploy per target: what one new story costs."""
    name, text = Corpus().post(posts, 1_790_000_000 + posts * 600)
    (config.parent / "site" / "content" / "post" / name).write_text(text, encoding="utf-8")
    measure([*NEWSDESK, "-q", "-c", str(config), "build"])
    rsync = measure(["rsync", "-rc", "--delete", "--itemize-changes", f"{public}/", f"{baseline_dest}/"])
    changed = [line for line in rsync.output.splitlines() if line.startswith((">f", "*deleting"))]
    print(f"\nAfter one new story and a rebuild: `rsync -rc --delete` sends/deletes {len(changed)} files "
          f"in {rsync.seconds:.2f}s\n")
    kinds: dict[str, int] = {}
    for line in changed:
        kind = kind_of(line.split(" ", 1)[1].strip())
        kinds[kind] = kinds.get(kind, 0) + 1
    print("| what changed | files |")
    print("|---|---:|")
    for kind, count in sorted(kinds.items(), key=lambda item: -item[1]):
        print(f"| {kind} | {count} |")
    print()
    print("| target | sent | deleted | s |")
    print("|---|---:|---:|---:|")
    for kind, cfg in configs.items():
        run = measure([*NEWSDESK, "-c", str(cfg), "deploy"], env)
        sent = sum(1 for line in run.output.splitlines() if line.startswith("sent "))
        deleted = sum(1 for line in run.output.splitlines() if line.startswith("deleted "))
        print(f"| {kind} | {sent} | {deleted} | {run.seconds:.2f} |")


def kind_of(path: str) -> str:
    """What a changed file of the built site is, for the one-story table."""
    if path.startswith("pagefind/"):
        return "search index (pagefind/)"
    if path.startswith("images/"):
        return "images and cards"
    if path.startswith("post/") and path.count("/") == 2 and path.endswith("/index.html"):
        return "story pages"
    if path.endswith((".xml", ".json")):
        return "feeds, sitemaps, JSON"
    if path.endswith(".html"):
        return "list pages (home, post/, tags, providers, tickers, pagination)"
    return "other"


def report(posts: int, files: int, baseline: Run, base_objects: int, rows: list[tuple[str, Run, Run]]) -> None:
    print(f"No-change deploy of a {posts:,}-post site ({files:,} files), fastest of the runs, whole processes:\n")
    print("| target | first deploy: objects | s | no-change deploy: objects | s | vs `rsync -rc` |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| `rsync -rc --delete` (baseline) | | | {base_objects} | {baseline.seconds:.2f} | 1.00x |")
    for kind, first, again in rows:
        print(f"| {kind} | {objects(first):,} | {first.seconds:.1f} | {objects(again)} | {again.seconds:.2f} "
              f"| {again.seconds / baseline.seconds:.2f}x |")


if __name__ == "__main__":
    main()
