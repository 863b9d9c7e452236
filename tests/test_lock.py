"""One run at a time: the flock beside the archive, with real `newsdesk` processes on one site."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk.lock import (
    LockBusy,
    RunLock,
    command_line,
    current_holder,
    is_held,
    lock_path,
    read_holder,
)
from newsdesk.replay import Query, ReplayServer
from newsdesk.sample import sample_archive_path
from newsdesk.site.scaffold import config_text, init_site
from newsdesk.store import Store

NEWSDESK = Path(sys.executable).parent / "newsdesk"


def make_site(root: Path, url: str) -> Path:
    text = config_text(api_url=url, image_mirror=url).replace("process = true", "process = false")
    init_site(root, text=text)
    return root / "newsdesk.toml"


def start(config: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([str(NEWSDESK), "-c", str(config), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_for_holder(lock: Path, pid: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        holder = current_holder(lock)
        if holder is not None and holder.pid == pid:
            return
        time.sleep(0.02)
    raise AssertionError(f"pid {pid} never took the lock {lock}")


def finish(proc: subprocess.Popen[str], timeout: float = 120) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, out, err


class Tagger:
    """A replay-server hook that notes, for every request, which pid held the run lock then."""

    def __init__(self) -> None:
        self.lock: Path | None = None
        self.seen: list[tuple[str, int | None]] = []

    def __call__(self, path: str, query: Query) -> None:
        holder = current_holder(self.lock) if self.lock is not None else None
        story = query.get("id", [""])[0] + "/" + query.get("lang", [""])[0] if "/story" in path else ""
        self.seen.append((story, holder.pid if holder else None))


@pytest.fixture
def tagged() -> Iterator[tuple[ReplayServer, Tagger]]:
    tagger = Tagger()
    with ReplayServer(sample_archive_path(), hook=tagger, latency=0.05) as server:
        yield server, tagger


# -- the lock itself -------------------------------------------------------------------------------

def test_a_second_holder_gives_up_naming_the_first(tmp_path: Path) -> None:
    path = tmp_path / "newsdesk.db.lock"
    with RunLock(path, wait=0):
        holder = current_holder(path)
        assert holder is not None and holder.pid == os.getpid() and holder.command == command_line()
        with pytest.raises(LockBusy) as busy:
            RunLock(path, wait=0).acquire()
        assert f"pid {os.getpid()} ({command_line()})" in str(busy.value)
        assert "\n" not in str(busy.value)
    assert current_holder(path) is None and not is_held(path)
    assert path.read_bytes() == b""  # a clean release leaves no name behind
    with RunLock(path, wait=0):  # free again
        pass


def test_a_waiter_gets_the_lock_when_the_holder_lets_go(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    first = RunLock(path, wait=0)
    first.acquire()
    threading.Timer(0.3, first.release).start()
    started = time.monotonic()
    with RunLock(path, wait=30):
        waited = time.monotonic() - started
    assert 0.2 < waited < 10


def test_a_stop_event_ends_the_wait(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    stop = threading.Event()
    with RunLock(path, wait=0):
        threading.Timer(0.2, stop.set).start()
        assert RunLock(path, wait=60, stop=stop).acquire() is False


def test_a_half_written_name_is_never_reported(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    path.write_bytes(b'{"pid": 12')
    assert read_holder(path, tries=2) is None
    path.write_bytes(b'{"pid": 12, "command": "newsdesk run", "since": 5}\n{"pid": 9')
    holder = read_holder(path)
    assert holder is not None and (holder.pid, holder.command) == (12, "newsdesk run")


def test_the_lock_file_sits_beside_the_archive(tmp_path: Path) -> None:
    assert lock_path(tmp_path / "newsdesk.db") == tmp_path / "newsdesk.db.lock"


def test_command_line_reads_like_the_user_typed_it() -> None:
    assert command_line(["/venv/bin/newsdesk", "-c", "my site.toml", "run"]) == "newsdesk -c 'my site.toml' run"
    assert command_line(["/x/newsdesk/__main__.py", "fetch"]) == "python -m newsdesk fetch"


# -- real processes ----------------------------------------------------------------------------------

def test_two_runs_at_once_take_turns(tmp_path: Path, tagged: tuple[ReplayServer, Tagger]) -> None:
    server, tagger = tagged
    config = make_site(tmp_path, server.url)
    tagger.lock = lock_path(tmp_path / "newsdesk.db")
    first = start(config, "run")
    try:
        wait_for_holder(tagger.lock, first.pid)
        second = start(config, "run", "--wait", "120")
    finally:
        code1, out1, err1 = finish(first)
    code2, out2, err2 = finish(second)
    assert (code1, code2) == (0, 0), err1 + err2
    assert f"waiting up to 120s for the run lock, held by pid {first.pid} (newsdesk -c {config} run)" in err2
    # every request was made while one of the two held the lock, the first's before the second's
    holders = [pid for _, pid in tagger.seen]
    assert None not in holders
    assert set(holders) == {first.pid, second.pid}
    switch = holders.index(second.pid)
    assert holders[:switch] == [first.pid] * switch and holders[switch:] == [second.pid] * (len(holders) - switch)
    # the second found nothing new: every story was requested once, by the first
    stories = [story for story, _ in tagger.seen if story]
    assert stories and len(stories) == len(set(stories))
    assert all(pid == first.pid for story, pid in tagger.seen if story)
    assert out2 == "" and len(out1.splitlines()) == len(list((tmp_path / "site" / "content" / "post").glob("*.md")))
    with Store(tmp_path / "newsdesk.db") as store:
        assert store.dirty_rows() == []


def test_with_wait_0_the_second_gives_up_naming_the_holder(tmp_path: Path,
                                                          tagged: tuple[ReplayServer, Tagger]) -> None:
    server, tagger = tagged
    config = make_site(tmp_path, server.url)
    lock = tagger.lock = lock_path(tmp_path / "newsdesk.db")
    first = start(config, "run")
    try:
        wait_for_holder(lock, first.pid)
        asked = len(server.requests)
        second = subprocess.run([str(NEWSDESK), "-c", str(config), "fetch", "--wait", "0"],
                                capture_output=True, text=True, timeout=60, check=False)
        holder = current_holder(lock)
    finally:
        finish(first)
    assert second.returncode == 1
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1, second.stderr
    assert lines[0].startswith("error: another newsdesk run holds the lock")
    assert f"pid {first.pid} (newsdesk -c {config} run)" in lines[0]
    assert holder is not None and holder.pid == first.pid  # the first was still at it: nothing sent by the second
    assert all(pid == first.pid for _, pid in tagger.seen[asked:])


def test_a_killed_holders_lock_is_free_at_once(tmp_path: Path, tagged: tuple[ReplayServer, Tagger]) -> None:
    server, _ = tagged
    config = make_site(tmp_path, server.url)
    lock = lock_path(tmp_path / "newsdesk.db")
    first = start(config, "run")
    wait_for_holder(lock, first.pid)
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=30)
    assert current_holder(lock) is None
    holder = read_holder(lock)  # its name stays in the file, but nobody holds the lock
    assert holder is not None and holder.pid == first.pid
    started = time.monotonic()
    after = subprocess.run([str(NEWSDESK), "-c", str(config), "fetch", "--wait", "0"],
                           capture_output=True, text=True, timeout=120, check=False)
    assert after.returncode == 0, after.stderr
    assert "waiting" not in after.stderr and time.monotonic() - started < 60
