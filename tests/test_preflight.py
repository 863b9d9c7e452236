"""Bad paths in the config: one line naming the key, exit 2, nothing changed, no request sent."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.cli import cli
from newsdesk.config import load_config
from newsdesk.preflight import check_paths
from newsdesk.replay import ReplayServer
from newsdesk.sample import sample_archive_path
from newsdesk.site.scaffold import config_text, init_site
from newsdesk.store import Store

WORK = ("fetch", "publish", "build", "run")


@pytest.fixture(scope="module")
def server() -> Iterator[ReplayServer]:
    with ReplayServer(sample_archive_path()) as srv:
        yield srv


@pytest.fixture
def site(tmp_path: Path, server: ReplayServer) -> Path:
    """A fresh site with an archive (so "the archive is not modified" can be checked)."""
    init_site(tmp_path, text=config_text(api_url=server.url, image_mirror=server.url))
    Store(tmp_path / "newsdesk.db").close()
    server.requests.clear()
    return tmp_path / "newsdesk.toml"


def set_path(config: Path, section: str, value: str) -> None:
    text = config.read_text()
    pattern = rf"(\[{section}\]\npath = )\"[^\"]*\""
    assert re.search(pattern, text)
    config.write_text(re.sub(pattern, lambda m: f'{m.group(1)}"{value}"', text, count=1))


def snapshot(root: Path) -> dict[str, tuple[bool, int, int]]:
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            info = path.lstat()
            found[str(path.relative_to(root))] = (path.is_dir(), info.st_size, info.st_mtime_ns)
    return found


def refused(config: Path, server: ReplayServer, *args: str) -> str:
    """Run the command; assert exit 2, one line, nothing changed and nothing requested."""
    before = snapshot(config.parent)
    result = CliRunner().invoke(cli, ["-c", str(config), *args])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert result.stdout == ""
    assert snapshot(config.parent) == before
    assert server.requests == []
    return lines[0]


@pytest.mark.parametrize("command", WORK)
def test_a_site_path_that_is_a_file(site: Path, server: ReplayServer, command: str) -> None:
    (site.parent / "site.txt").write_text("not a site\n")
    set_path(site, "site", "site.txt")
    line = refused(site, server, command)
    assert "site.path:" in line and "site.txt is a file, not a folder" in line


@pytest.mark.parametrize("command", WORK)
def test_a_store_in_a_missing_folder(site: Path, server: ReplayServer, command: str) -> None:
    set_path(site, "store", "nowhere/newsdesk.db")
    line = refused(site, server, command)
    assert "store.path:" in line and "nowhere does not exist" in line
    assert not (site.parent / "nowhere").exists()


@pytest.mark.parametrize("command", WORK)
def test_a_store_path_that_is_a_folder(site: Path, server: ReplayServer, command: str) -> None:
    (site.parent / "archive").mkdir()
    set_path(site, "store", "archive")
    line = refused(site, server, command)
    assert "store.path:" in line and "is a folder, not an archive file" in line


def test_a_store_whose_parent_is_a_file(site: Path, server: ReplayServer) -> None:
    (site.parent / "data").write_text("x")
    set_path(site, "store", "data/newsdesk.db")
    line = refused(site, server, "fetch")
    assert "store.path:" in line and "data is a file, not a folder" in line


def test_a_store_that_is_not_an_archive(site: Path, server: ReplayServer) -> None:
    set_path(site, "store", "newsdesk.toml")
    line = refused(site, server, "run")
    assert "store.path:" in line and "not a newsdesk archive" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder anyway")
def test_a_store_in_a_read_only_folder(site: Path, server: ReplayServer) -> None:
    folder = site.parent / "ro"
    folder.mkdir()
    set_path(site, "store", "ro/newsdesk.db")
    folder.chmod(0o555)
    try:
        line = refused(site, server, "fetch")
    finally:
        folder.chmod(0o755)
    assert "store.path:" in line and "is not writable" in line


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
@pytest.mark.parametrize("command", WORK)
def test_a_store_where_nobody_can_create_files(site: Path, server: ReplayServer, command: str) -> None:
    """/proc takes no new files, not even from root: caught when the lock file cannot be made."""
    set_path(site, "store", "/proc/newsdesk-test.db")
    line = refused(site, server, command)
    assert "store.path:" in line and "cannot create the lock file /proc/newsdesk-test.db.lock" in line


def test_a_lock_file_that_is_a_folder(site: Path, server: ReplayServer) -> None:
    (site.parent / "newsdesk.db.lock").mkdir()
    line = refused(site, server, "publish")
    assert "store.path:" in line and "lock file" in line


@pytest.mark.parametrize("command", ["publish", "run"])
def test_a_posts_folder_blocked_by_a_file(site: Path, server: ReplayServer, command: str) -> None:
    posts = site.parent / "site" / "content" / "post"
    shutil.rmtree(posts)
    posts.write_text("in the way\n")
    line = refused(site, server, command)
    assert "site.path:" in line and "content/post is a file where the posts folder should be" in line


def test_a_site_below_a_file(site: Path, server: ReplayServer) -> None:
    (site.parent / "sites").write_text("x")
    set_path(site, "site", "sites/news")
    line = refused(site, server, "fetch")
    assert "site.path:" in line and "sites is a file, not a folder" in line


@pytest.mark.parametrize("command", ["build", "run"])
def test_a_site_without_hugo(site: Path, server: ReplayServer, command: str) -> None:
    (site.parent / "empty").mkdir()
    set_path(site, "site", "empty")
    line = refused(site, server, command)
    assert "site.path:" in line and "is not a Hugo site (no hugo.toml)" in line


def test_public_blocked_by_a_file(site: Path, server: ReplayServer) -> None:
    (site.parent / "site" / "public").write_text("x")
    line = refused(site, server, "build")
    assert "site.path:" in line and "public is a file where Hugo writes the site" in line


def test_status_refuses_a_store_path_that_is_a_folder(site: Path, server: ReplayServer) -> None:
    (site.parent / "archive").mkdir()
    set_path(site, "store", "archive")
    assert "store.path:" in refused(site, server, "status")


def test_the_checks_pass_on_a_fresh_site_and_change_nothing(site: Path) -> None:
    config = load_config(site)
    before = snapshot(site.parent)
    for command in ("fetch", "publish", "build", "run", "serve", "serve-watch", "status", "stories"):
        check_paths(config, command)
    assert snapshot(site.parent) == before


def test_a_missing_site_is_fine_for_fetch_and_publish_but_not_for_build(tmp_path: Path) -> None:
    config = load_config(_write(tmp_path, '[site]\npath = "later"\n'))
    check_paths(config, "fetch")
    check_paths(config, "publish")
    with pytest.raises(Exception, match="site.path: .* is not a Hugo site"):
        check_paths(config, "build")


def _write(folder: Path, text: str) -> Path:
    path = folder / "newsdesk.toml"
    path.write_text(text)
    return path
