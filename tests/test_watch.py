"""`run --watch` outlives failures: a failing cycle is logged with its cause and the next one runs;
the lock is held during cycles only; SIGTERM stops it cleanly."""

from __future__ import annotations

import errno
import logging
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newsdesk.config import load_config
from newsdesk.errors import BuildError
from newsdesk.fetch import FetchReport
from newsdesk.lock import current_holder, lock_path
from newsdesk.publish import PublishReport
from newsdesk.replay import ReplayServer
from newsdesk.runner import RunReport, watch
from newsdesk.sample import sample_archive_path
from newsdesk.site.hugo import hugo_binary
from newsdesk.site.scaffold import config_text, init_site
from newsdesk.status import gather
from newsdesk.store import Store

NEWSDESK = Path(sys.executable).parent / "newsdesk"


def test_failing_cycles_are_logged_and_the_next_cycle_runs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    init_site(tmp_path)
    config = load_config(tmp_path / "newsdesk.toml")
    lock = lock_path(config.store_path)
    failures: list[BaseException] = [
        BuildError("Hugo failed:\nERROR boom"),
        OSError(errno.ENOSPC, "No space left on device"),
        sqlite3.OperationalError("database or disk is full"),
        KeyError("surprise"),
    ]
    holders: list[int | None] = []

    def once() -> RunReport:
        holder = current_holder(lock)
        holders.append(holder.pid if holder else None)
        if failures:
            raise failures.pop(0)
        os.kill(os.getpid(), signal.SIGTERM)  # stop after this good cycle, as a service manager would
        return RunReport(FetchReport(new=2), PublishReport(), None)

    caplog.set_level(logging.INFO, logger="newsdesk")
    with Store(config.store_path) as store:
        code = watch(config, store, 0.01, once=once)
    assert code == 0  # the last cycle went well
    assert holders == [os.getpid()] * 5  # every cycle ran, each holding the lock
    assert current_holder(lock) is None
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 4
    assert errors[0].startswith("cycle failed: Hugo failed:")
    assert "OSError: [Errno 28] No space left on device" in errors[1]
    assert "OperationalError: database or disk is full" in errors[2]
    assert "KeyError: 'surprise'" in errors[3]
    assert any(r.getMessage().startswith("run done: 2 new") for r in caplog.records)
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # handlers restored


FLAKY_HUGO = """#!/bin/sh
# fails the first time (as if Hugo were broken or missing), then runs the real Hugo
if [ ! -e "{flag}" ]; then
  : > "{flag}"
  echo "ERROR flaky hugo: first build fails" >&2
  exit 1
fi
exec "{hugo}" "$@"
"""


def test_a_real_watch_survives_a_failed_build_and_holds_the_lock_only_in_cycles(tmp_path: Path) -> None:
    flaky = tmp_path / "hugo.sh"
    flaky.write_text(FLAKY_HUGO.format(flag=tmp_path / "failed-once", hugo=hugo_binary()))
    flaky.chmod(0o755)
    with ReplayServer(sample_archive_path()) as server:
        text = config_text(api_url=server.url, image_mirror=server.url).replace("process = true", "process = false")
        init_site(tmp_path / "s", text=text)
        config = tmp_path / "s" / "newsdesk.toml"
        proc = subprocess.Popen([str(NEWSDESK), "-c", str(config), "run", "--watch", "1"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env={**os.environ, "NEWSDESK_HUGO": str(flaky)})
        lines: queue.Queue[str] = queue.Queue()
        assert proc.stderr is not None
        reader = threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True)  # type: ignore[union-attr]
        reader.start()
        seen: list[str] = []
        free_between_cycles: list[bool] = []
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and sum("run done" in line for line in seen) < 1:
                try:
                    line = lines.get(timeout=1)
                except queue.Empty:
                    continue
                seen.append(line)
                if "cycle failed" in line or "run done" in line:
                    free_between_cycles.append(current_holder(lock_path(tmp_path / "s" / "newsdesk.db")) is None)
            proc.send_signal(signal.SIGTERM)
            out, _ = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        reader.join(timeout=10)
        while not lines.empty():
            seen.append(lines.get())
    err = "".join(seen)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert "cycle failed: Hugo failed:" in err and "flaky hugo: first build fails" in err
    assert err.index("cycle failed") < err.index("run done")
    assert free_between_cycles and all(free_between_cycles)
    assert (tmp_path / "s" / "site" / "public" / "index.html").exists()  # the next cycle built the site
    posts = list((tmp_path / "s" / "site" / "content" / "post").glob("*.md"))
    assert posts and len(out.splitlines()) == len(posts)  # each post written once, by the first cycle
    steps = {s.step: s for s in gather(load_config(config)).steps}
    assert steps["build"].ok is True and steps["fetch"].ok is True


def test_a_cycle_finding_the_lock_taken_is_skipped_and_the_next_one_runs(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from newsdesk.lock import RunLock

    init_site(tmp_path)
    config = load_config(tmp_path / "newsdesk.toml")
    other = RunLock(lock_path(config.store_path), wait=0)
    other.acquire()  # a manual `newsdesk publish`, say
    threading.Timer(0.5, other.release).start()
    ran: list[float] = []

    def once() -> RunReport:
        ran.append(time.monotonic())
        os.kill(os.getpid(), signal.SIGTERM)
        return RunReport(FetchReport(), PublishReport(), None)

    caplog.set_level(logging.INFO, logger="newsdesk")
    with Store(config.store_path) as store:
        code = watch(config, store, 0.05, once=once, wait=0)
    assert len(ran) == 1 and code == 0
    skipped = [r.getMessage() for r in caplog.records if r.getMessage().startswith("cycle skipped")]
    assert skipped and f"pid {os.getpid()}" in skipped[0]


def test_serve_watch_refreshes_under_the_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsdesk.site.serve import serve

    init_site(tmp_path)
    config = load_config(tmp_path / "newsdesk.toml")
    (config.site_path / "public").mkdir()
    (config.site_path / "public" / "index.html").write_text("built")
    stop = threading.Event()
    holders: list[int | None] = []

    def fake_run_once(cfg: object, store: object, *, stop: threading.Event) -> None:
        holder = current_holder(lock_path(config.store_path))
        holders.append(holder.pid if holder else None)
        stop.set()

    monkeypatch.setattr("newsdesk.runner.run_once", fake_run_once)
    serve(config, port=0, watch=0.01, stop=stop)
    assert holders == [os.getpid()]
    assert current_holder(lock_path(config.store_path)) is None
