"""`newsdesk deploy` to a file:// web root: releases switched by a symlink, rollback, kills, the CLI."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from deploysite import changes, digests, grow_site, make_site, tree, with_target

from newsdesk.cli import cli
from newsdesk.config import load_config
from newsdesk.deploy import DEPLOYED_TO, DeployError, deploy, deploy_step, parse_target
from newsdesk.deploy.local import Layout
from newsdesk.deploy.s3 import target_url
from newsdesk.errors import ConfigError
from newsdesk.runner import build
from newsdesk.store import Store


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Site A (6 stories) and site B (A plus one story), each built once."""
    a = make_site(tmp_path_factory.mktemp("site-a"), 6)
    b = grow_site(a, tmp_path_factory.mktemp("parent") / "site-b", 6)
    return a, b


def public(config_file: Path) -> Path:
    return config_file.parent / "site" / "public"


def releases(webroot: Path) -> list[str]:
    return sorted(p.name for p in Layout.of(parse_target(f"file://{webroot}")).releases.iterdir()
                  if p.is_dir() and not p.is_symlink())


def test_first_deploy_then_an_unchanged_one_transfers_nothing(sites: tuple[Path, Path], tmp_path: Path) -> None:
    a, _ = sites
    webroot = tmp_path / "www" / "news"
    webroot.parent.mkdir()
    first = deploy(with_target(a, f"file://{webroot}"))
    assert webroot.is_symlink() and not os.path.isabs(os.readlink(webroot))
    assert digests(webroot) == digests(public(a))
    assert sorted(first.sent) == sorted(digests(public(a))) and first.deleted == []
    entries = tree(webroot)
    assert {e.mode for e in entries.values()} == {0o644}
    assert {os.stat(p).st_mode & 0o777 for p, _, _ in os.walk(webroot.resolve())} == {0o755}
    second = deploy(with_target(a, f"file://{webroot}"))
    assert (second.sent, second.deleted, second.release) == ([], [], first.release)
    assert second.unchanged == len(entries)
    assert releases(webroot) == [first.release]


def test_one_new_story_sends_only_what_changed_and_rollback_switches_back(sites: tuple[Path, Path],
                                                                          tmp_path: Path) -> None:
    a, b = sites
    webroot = tmp_path / "news"
    before, after = digests(public(a)), digests(public(b))
    changed, gone = changes(before, after)
    print(f"one new story: {len(changed)} of {len(after)} files new or changed, {len(gone)} gone")
    assert changed and len(changed) < len(after) / 2
    first = deploy(with_target(a, f"file://{webroot}"))
    old = tree(webroot)
    report = deploy(with_target(b, f"file://{webroot}"))
    assert set(report.sent) == changed and set(report.deleted) == gone
    assert digests(webroot) == after
    new = tree(webroot)
    for rel in set(after) - changed:  # unchanged files are the previous release's, hard linked
        assert new[rel].inode == old[rel].inode
    assert releases(webroot) == sorted([first.release, report.release])

    back = deploy(with_target(b, f"file://{webroot}"), rollback=True)
    assert back.rolled_back and back.release == first.release and digests(webroot) == before
    again = deploy(with_target(b, f"file://{webroot}"), rollback=True)
    assert again.release == report.release and digests(webroot) == after


def test_rollback_needs_a_previous_release_and_a_file_target(sites: tuple[Path, Path], tmp_path: Path) -> None:
    a, _ = sites
    webroot = tmp_path / "news"
    deploy(with_target(a, f"file://{webroot}"))
    with pytest.raises(DeployError, match="no previous release"):
        deploy(with_target(a, f"file://{webroot}"), rollback=True)
    with pytest.raises(ConfigError, match="file:// targets only"):
        deploy(with_target(a, f"rsync:{tmp_path}/x"), rollback=True)


def test_an_existing_folder_is_refused_and_an_empty_one_replaced(sites: tuple[Path, Path], tmp_path: Path) -> None:
    a, _ = sites
    webroot = tmp_path / "news"
    webroot.mkdir()
    (webroot / "index.html").write_text("hand-made site")
    with pytest.raises(ConfigError, match=r"existing folder with files.*mv "):
        deploy(with_target(a, f"file://{webroot}"))
    assert (webroot / "index.html").read_text() == "hand-made site" and not webroot.is_symlink()
    (webroot / "index.html").unlink()
    deploy(with_target(a, f"file://{webroot}"))
    assert webroot.is_symlink() and digests(webroot) == digests(public(a))
    other = tmp_path / "other"
    other.symlink_to(tmp_path)
    with pytest.raises(ConfigError, match="a link newsdesk did not make"):
        deploy(with_target(a, f"file://{other}"))
    with pytest.raises(ConfigError, match="does not exist"):
        deploy(with_target(a, f"file://{tmp_path}/missing/news"))


def test_more_deletes_than_max_deletes_changes_nothing(sites: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = sites
    webroot = tmp_path / "news"
    deploy(with_target(b, f"file://{webroot}"))
    live = os.readlink(webroot)
    _, gone = changes(digests(public(b)), digests(public(a)))
    pages = {p for p in gone if not p.startswith("pagefind/")}
    assert pages and pages != gone  # going back from B to A deletes the new story's page and index files
    with pytest.raises(DeployError, match=rf"would delete {len(pages)} files .*not counting the search index.*"
                                          rf"max_deletes = 0"):
        deploy(with_target(a, f"file://{webroot}", max_deletes=0))
    assert os.readlink(webroot) == live and digests(webroot) == digests(public(b))
    assert len(releases(webroot)) == 1
    report = deploy(with_target(a, f"file://{webroot}", max_deletes=len(pages)))  # the index's churn is not counted
    assert set(report.deleted) == gone


def test_a_release_that_cannot_be_written_leaves_the_site_as_it_was(sites: tuple[Path, Path],
                                                                     tmp_path: Path) -> None:
    a, _ = sites
    webroot = tmp_path / "news"
    deploy(with_target(a, f"file://{webroot}"))
    live = os.readlink(webroot)
    site = tmp_path / "broken"
    shutil.copytree(a.parent, site, symlinks=True)
    os.mkfifo(site / "site" / "public" / "pipe.html")  # a file that cannot be copied
    with pytest.raises(DeployError, match=r"cannot write the new release .*pipe\.html.*left as it was"):
        deploy(with_target(site / "newsdesk.toml", f"file://{webroot}"))
    assert os.readlink(webroot) == live and digests(webroot) == digests(public(a))
    layout = Layout.of(parse_target(f"file://{webroot}"))
    assert sorted(p.name for p in layout.releases.iterdir()) == sorted([".lock", live.rsplit("/", 1)[1]])


# -- a reader during deploys -----------------------------------------------------------------------

class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def web_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    webroot = tmp_path / "www" / "news"
    webroot.parent.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(webroot)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", webroot
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def versioned_tree(root: Path, version: str, pages: int) -> None:
    """A site whose every page is 20 kB of one version's letter (a mix would show)."""
    for i in range(pages):
        folder = root / "post" / f"p{i:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(version * (20_000 + i))
    (root / "index.html").write_text(version * 30_000)


def test_a_reader_never_sees_a_missing_or_mixed_page(web_server: tuple[str, Path], tmp_path: Path) -> None:
    url, webroot = web_server
    configs = {}
    for version in "xy":
        site = tmp_path / f"site-{version}"
        versioned_tree(site / "site" / "public", version, 40)
        (site / "newsdesk.toml").write_text('[site]\npath = "site"\n')
        configs[version] = with_target(site / "newsdesk.toml", f"file://{webroot}")
    deploy(configs["x"])
    paths = ["/"] + [f"/post/p{i:03d}/" for i in range(40)]
    stop = threading.Event()
    seen: dict[str, int] = {"x": 0, "y": 0}
    problems: list[str] = []

    def read() -> None:
        while not stop.is_set():
            for path in paths:
                try:
                    with urllib.request.urlopen(url + path, timeout=10) as answer:
                        body = answer.read().decode()
                except urllib.error.URLError as exc:
                    problems.append(f"{path}: {exc}")
                    continue
                letters = set(body)
                if len(letters) != 1:
                    problems.append(f"{path}: a mixed page {sorted(letters)}")
                else:
                    seen[letters.pop()] += 1

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for round_ in range(12):
            deploy(configs["y" if round_ % 2 == 0 else "x"])
            if round_ % 4 == 3:
                deploy(configs["x"], rollback=True)
    finally:
        stop.set()
        reader.join(30)
    assert not problems, problems[:5]
    assert seen["x"] and seen["y"]
    assert len(releases(webroot)) <= 2


# -- kill -9 in the middle -------------------------------------------------------------------------

KILLER = """
import os, signal, sys
from pathlib import Path
import newsdesk.deploy.local as local
sys.path.insert(0, {tests!r})
from deploysite import with_target
from newsdesk.deploy import deploy
where, after = sys.argv[1], int(sys.argv[2])
calls = [0]
def wrap(name):
    real = getattr(local, name)
    def fake(*args, **kwargs):
        calls[0] += 1
        if calls[0] > after:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    setattr(local, name, fake)
wrap(where)
deploy(with_target(Path(sys.argv[3]), sys.argv[4]))
"""


@pytest.mark.parametrize(("where", "after"), [("_copy", 3), ("_switch", 0), ("_set_previous", 0), ("_prune", 0)])
def test_a_deploy_killed_anywhere_leaves_the_site_whole_and_the_next_one_completes(
        sites: tuple[Path, Path], tmp_path: Path, where: str, after: int) -> None:
    a, b = sites
    webroot = tmp_path / "news"
    deploy(with_target(a, f"file://{webroot}"))
    script = KILLER.format(tests=str(Path(__file__).parent))
    proc = subprocess.run([sys.executable, "-c", script, where, str(after), str(b), f"file://{webroot}"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    live = digests(webroot)
    assert live in (digests(public(a)), digests(public(b)))  # whole: the old site or the new one
    report = deploy(with_target(b, f"file://{webroot}"))
    assert digests(webroot) == digests(public(b))
    assert report.release == os.readlink(webroot).rsplit("/", 1)[1]
    layout = Layout.of(parse_target(f"file://{webroot}"))
    leftovers = [p.name for p in layout.releases.iterdir() if p.name.startswith(".") and p.name != ".lock"]
    leftovers += [p.name for p in tmp_path.iterdir() if p.name.startswith(".news.link-")]
    assert leftovers == []
    assert len(releases(webroot)) <= 2


# -- the command -----------------------------------------------------------------------------------

def config_with(config_file: Path, target: str, folder: Path) -> Path:
    text = config_file.read_text(encoding="utf-8").replace('path = "site"', f'path = "{config_file.parent / "site"}"')
    out = folder / "newsdesk.toml"
    out.write_text(text + (f'\n[deploy]\ntarget = "{target}"\n' if target else ""), encoding="utf-8")
    return out


def test_cli_deploy_prints_what_it_sent_and_deleted_and_exits_by_outcome(sites: tuple[Path, Path],
                                                                         tmp_path: Path) -> None:
    a, b = sites
    webroot = tmp_path / "www"
    runner = CliRunner()
    first = runner.invoke(cli, ["-c", str(config_with(a, f"file://{webroot}", tmp_path)), "deploy"])
    assert first.exit_code == 0, first.output
    sent = [line.removeprefix("sent ") for line in first.stdout.splitlines()]
    assert sorted(sent) == sorted(digests(public(a)))
    assert "deployed to file://" in first.stderr and f"{len(sent)} sent, 0 deleted" in first.stderr
    second = runner.invoke(cli, ["-c", str(config_with(a, f"file://{webroot}", tmp_path)), "deploy"])
    assert second.exit_code == 0 and second.stdout == "" and "0 sent, 0 deleted" in second.stderr
    grown = runner.invoke(cli, ["-c", str(config_with(b, f"file://{webroot}", tmp_path)), "deploy"])
    changed, gone = changes(digests(public(a)), digests(public(b)))
    lines = grown.stdout.splitlines()
    assert grown.exit_code == 0 and {line.removeprefix("sent ") for line in lines if line.startswith("sent ")} == changed
    assert {line.removeprefix("deleted ") for line in lines if line.startswith("deleted ")} == gone
    back = runner.invoke(cli, ["-c", str(config_with(b, f"file://{webroot}", tmp_path)), "deploy", "--rollback"])
    assert back.exit_code == 0 and "rolled" in back.stderr and digests(webroot) == digests(public(a))

    unset = runner.invoke(cli, ["-c", str(config_with(a, "", tmp_path)), "deploy"])
    assert unset.exit_code == 2 and "deploy.target is not set" in unset.stderr
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "news").write_text("a file")
    failed = runner.invoke(cli, ["-c", str(config_with(a, f"file://{blocked}/news", tmp_path)), "deploy"])
    assert failed.exit_code == 2 and "is a file" in failed.stderr
    bad = runner.invoke(cli, ["-c", str(config_with(a, f"rsync:{tmp_path}/nowhere/deep/x", tmp_path)), "deploy"])
    assert bad.exit_code == 1 and bad.stderr.startswith("error: rsync to ") and len(bad.stderr.splitlines()) == 1


def test_a_rebuild_of_unchanged_content_deploys_nothing(sites: tuple[Path, Path], tmp_path: Path) -> None:
    """The real cycle: build, deploy, build again with nothing new, deploy (needs byte-identical builds)."""
    site = tmp_path / "site-copy"
    shutil.copytree(sites[0].parent, site, symlinks=True)
    webroot = tmp_path / "news"
    deploy(with_target(site / "newsdesk.toml", f"file://{webroot}"))
    build(load_config(site / "newsdesk.toml", required=True))
    report = deploy(with_target(site / "newsdesk.toml", f"file://{webroot}"))
    assert (report.sent, report.deleted) == ([], [])


@pytest.mark.parametrize(("text", "message"), [
    ("file://news", "three slashes"), ("file:///", "cannot be / itself"), ("rsync:www", "absolute"),
    ("ssh://host", "ssh://user@host/absolute/path"), ("ssh://host:port/x", "port is not a number"),
    ("s3://bucket/folder", "root"), ("s3://bucket?endpoint=127.0.0.1:9000", "http:// or https://"),
    ("ftp://host/x", "not a deploy target"),
])
def test_a_target_that_cannot_work_is_a_config_error(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_target(text)


def test_targets_parse() -> None:
    assert parse_target("ssh://deploy@web.example:2222/srv/www/news/").rsync_destination == \
        "deploy@web.example:/srv/www/news/"
    assert parse_target("rsync:/srv/www").rsync_destination == "/srv/www/"
    s3 = parse_target("s3://site?endpoint=http://127.0.0.1:9000&region=eu-1")
    assert (s3.bucket, dict(s3.query)) == ("site", {"endpoint": "http://127.0.0.1:9000", "region": "eu-1"})
    assert target_url(s3) == "s3://site?endpoint=http://127.0.0.1:9000&region=eu-1&use_path_style=true"
    assert target_url(parse_target("s3://site?region=eu-1")) == "s3://site?region=eu-1"


def test_nothing_built_is_exit_1_naming_the_fix(tmp_path: Path) -> None:
    (tmp_path / "newsdesk.toml").write_text(f'[site]\npath = "site"\n[deploy]\ntarget = "file://{tmp_path}/www"\n')
    result = CliRunner().invoke(cli, ["-c", str(tmp_path / "newsdesk.toml"), "deploy"])
    assert result.exit_code == 1 and "run `newsdesk build` first" in result.stderr


def test_deploy_step_is_recorded_for_status(sites: tuple[Path, Path], tmp_path: Path) -> None:
    a, _ = sites
    webroot = tmp_path / "news"
    with Store(tmp_path / "newsdesk.db") as store:
        deploy_step(with_target(a, f"file://{webroot}"), store)
        ok, summary = store.db.execute("SELECT ok, summary FROM steps WHERE step = 'deploy'").fetchone()
        assert ok == 1 and summary.startswith(f"deployed to file://{webroot}: ")
        assert store.get_meta(DEPLOYED_TO) == f"file://{webroot}"  # `run` has nothing left to deploy
        store.set_meta(DEPLOYED_TO, "")
        with pytest.raises(DeployError):
            deploy_step(with_target(a, f"file://{webroot}"), store, rollback=True)
        ok, summary = store.db.execute("SELECT ok, summary FROM steps WHERE step = 'deploy'").fetchone()
        assert ok == 0 and "no previous release" in summary
        assert store.get_meta(DEPLOYED_TO) == ""  # a failed deploy is owed to the next run


