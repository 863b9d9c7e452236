"""SIGKILL at 25 moments of `newsdesk fetch`, `publish` and `run` (real processes), then a clean run:
it completes, the archive passes ``PRAGMA integrity_check``, every story has exactly one post per
language, each equal to a clean run's (none partial, duplicated or missing), no temp file is left.

Moments: the n-th story, list or image request (the replay server's hook kills the process when
the request arrives; images are downloaded by publish), the k-th post write just before or just after its rename (the
process kills itself: a wrapper around ``os.replace``), k posts on disk (the test polls the posts
folder), and during the site build (Hugo running).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from newsgen import (
    integrity,
    make_site,
    newsdesk_logging_kept,
    parse_post,
    posts,
    posts_by_story,
    temp_files,
    write_archive,
)

from newsdesk.cli import cli
from newsdesk.replay import Query, ReplayServer
from newsdesk.site.scaffold import remove_stale_temp_files
from newsdesk.store import Store

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="SIGKILL and /proc: Linux")

STORIES = 60  # 80 story-languages: every third story also in German
PAGE = 5  # 12 English and 4 German list pages
SOURCE = "timeout = 5.0\nretries = 1\nconcurrency = 2"
#: every sixth story has an image: 10, downloaded by publish; one small version each keeps Hugo quick
IMAGES = 'timeout = 5.0\nconcurrency = 2\nwidths = [320]\nformat = "original"'

#: Runs newsdesk's CLI; NEWSDESK_TEST_KILL="before:K" / "after:K" SIGKILLs the process itself
#: just before / just after the K-th rename onto a post file (``*.md``); "slow:MS" makes every
#: such rename wait MS milliseconds (so that a poll sees publish at work).
WRAPPER = """
import os, signal, sys, time
when, _, k = os.environ.get("NEWSDESK_TEST_KILL", ":0").partition(":")
k, count, real = int(k), [0], os.replace
def replace(src, dst, *args, **kwargs):
    if not str(dst).endswith(".md"):
        return real(src, dst, *args, **kwargs)
    count[0] += 1
    if when == "slow":
        time.sleep(k / 1000)
    if count[0] == k and when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    real(src, dst, *args, **kwargs)
    if count[0] == k and when == "after":
        os.kill(os.getpid(), signal.SIGKILL)
os.replace = replace
from newsdesk.cli import cli
cli(prog_name="newsdesk")
"""


@dataclass(frozen=True)
class Moment:
    command: str  # fetch, publish or run
    at: str  # story, list, image (n-th request), before, after (k-th post rename), files (k posts), build
    n: int = 0
    fetched: bool = False  # the site's archive is fetched (not published) before the kill
    built_before: int = 0  # stories served, fetched, published and built before the killed run

    def __str__(self) -> str:
        return f"{self.command}-{self.at}-{self.n}" + ("-built" if self.built_before else "")


MOMENTS = [
    *(Moment("fetch", "story", n) for n in (1, 7, 18, 33, 50, 71)),
    *(Moment("fetch", "list", n) for n in (1, 3, 8, 14)),
    *(Moment("publish", "before", k, fetched=True) for k in (1, 9, 27, 80)),
    *(Moment("publish", "after", k, fetched=True) for k in (1, 40, 80)),
    Moment("publish", "files", 25, fetched=True),
    Moment("publish", "image", 2, fetched=True),
    Moment("run", "story", 20),
    Moment("run", "list", 5),
    Moment("run", "before", 30),
    Moment("run", "image", 6),
    Moment("run", "build", 0),
    Moment("run", "build", 0, built_before=40),  # the build owed by the killed run is done by the next
]


class Killer:
    """The replay server's hook: SIGKILLs the process group ``pgid`` at the chosen request."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.arm(None, "", 0)

    def arm(self, pgid: int | None, kind: str, n: int) -> None:
        with self.lock:
            self.pgid, self.kind, self.n, self.count, self.fired = pgid, kind, n, 0, False

    def __call__(self, path: str, query: Query) -> None:
        kind = ("story" if path.endswith("/story") else "list" if path.endswith("/news")
                else "image" if path.startswith("/news/image/") else "")
        with self.lock:
            if kind and kind == self.kind and not self.fired:
                self.count += 1
                if self.count == self.n and self.pgid is not None:
                    os.killpg(self.pgid, signal.SIGKILL)
                    self.fired = True



@pytest.fixture(scope="module", autouse=True)
def _logging_kept() -> Iterator[None]:
    with newsdesk_logging_kept():
        yield

@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ReplayServer, Killer]]:
    folder = tmp_path_factory.mktemp("archive")
    write_archive(folder, STORIES, images_every=6)
    killer = Killer()
    with ReplayServer(folder, page_size=PAGE, hook=killer) as server:
        yield server, killer


def newsdesk(config: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["-q", "-c", str(config), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def fetched_site(served: tuple[ReplayServer, Killer], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site whose archive holds every story, nothing published yet."""
    root = tmp_path_factory.mktemp("fetched")
    newsdesk(make_site(root, served[0].url, source=SOURCE, images=IMAGES), "fetch")
    return root


@pytest.fixture(scope="module")
def reference(fetched_site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The posts of a clean run."""
    root = tmp_path_factory.mktemp("reference") / "site"
    shutil.copytree(fetched_site, root)
    newsdesk(root / "newsdesk.toml", "publish")
    return posts(root)


def start(config: Path, command: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", WRAPPER, "-q", "-c", str(config), command],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})}, start_new_session=True)


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def kill_when(proc: subprocess.Popen[str], ready: Any, timeout: float = 60) -> None:
    """SIGKILL ``proc``'s process group once ``ready()`` holds (polled every 5 ms)."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        if ready():
            os.killpg(proc.pid, signal.SIGKILL)
            return
        time.sleep(0.005)


@pytest.mark.parametrize("moment", MOMENTS, ids=str)
def test_sigkill_then_a_clean_run_completes(moment: Moment, served: tuple[ReplayServer, Killer],
                                            fetched_site: Path, reference: dict[str, str], tmp_path: Path) -> None:
    server, killer = served
    root = tmp_path / "site"
    if moment.fetched:
        shutil.copytree(fetched_site, root)
        config = root / "newsdesk.toml"
    else:
        config = make_site(root, server.url, source=SOURCE, images=IMAGES)
    all_records = server.records
    if moment.built_before:  # an earlier complete run saw only the oldest stories
        server.records = all_records[-moment.built_before:]
        try:
            newsdesk(config, "run")
        finally:
            server.records = all_records
    kill_env = {"before": f"before:{moment.n}", "after": f"after:{moment.n}", "files": "slow:20"}
    env = {"NEWSDESK_TEST_KILL": kill_env[moment.at]} if moment.at in kill_env else None
    proc = start(config, moment.command, env)
    try:
        if moment.at in ("story", "list", "image"):
            killer.arm(proc.pid, moment.at, moment.n)
        elif moment.at == "files":
            content = root / "site" / "content" / "post"
            kill_when(proc, lambda: content.is_dir() and len(os.listdir(content)) >= moment.n)
        elif moment.at == "build":
            kill_when(proc, lambda: bool(children(proc.pid)))  # Hugo started
        _, err = proc.communicate(timeout=120)
    finally:
        killer.arm(None, "", 0)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == -signal.SIGKILL, f"not killed at {moment}: exit {proc.returncode}\n{err[-2000:]}"

    if moment.command == "run":
        newsdesk(config, "run")
    else:
        newsdesk(config, "fetch")
        newsdesk(config, "publish")

    assert integrity(root / "newsdesk.db") == "ok"
    mine = posts(root)
    assert sorted(mine) == sorted(reference), "missing or extra posts"
    assert mine == reference, "a post differs from the clean run's"
    for text in mine.values():
        parse_post(text)
    assert len(posts_by_story(root)) == len(reference)  # the manifest: one post per story-language
    with Store(root / "newsdesk.db") as store:
        assert store.count() == 80 and not store.dirty_rows()  # story-languages
        assert store.db.execute("SELECT count(*) FROM failures").fetchone()[0] == 0
        assert store.db.execute("SELECT status, count(*) FROM images GROUP BY 1").fetchall() == [("ok", 10)]
    assert len(list((root / "site" / "assets" / "newsdesk" / "images").iterdir())) == 10
    assert not temp_files(root), "temp files left"
    if moment.command == "run":  # the site was built again: every post has its page
        public = root / "site" / "public"
        pages = {p.parent.name for p in public.glob("**/post/*/index.html")}
        assert pages == {name.split(".")[0] for name in mine}, "posts missing from the built site"


def test_stale_temp_files_are_removed_where_publish_starts(fetched_site: Path, tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(fetched_site, root)
    site = root / "site"
    stale = [site / "content" / "post" / ".a-story.en.md.k2j4_x9q.tmp",
             site / "config" / "_default" / ".hugo.toml.abcdefgh.tmp",
             site / "data" / "newsdesk" / ".tickers.json.0a1b2c3d.tmp",
             site / "layouts" / "_markup" / ".render-image.html.zz99yy88.tmp",
             site / "assets" / "newsdesk" / "images" / ".0123456789abcdef0123456789abcdef.3f2a9c1e.tmp",
             site / ".hugo.toml.q1w2e3r4.tmp"]
    kept = [site / "content" / "post" / ".notes.tmp", site / "content" / "post" / "draft.tmp"]
    for path in stale + kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half a file")
    newsdesk(root / "newsdesk.toml", "publish")
    assert [p for p in stale if p.exists()] == []
    assert all(p.exists() for p in kept)  # not newsdesk's temp-name pattern: the user's
    assert remove_stale_temp_files(site) == []
