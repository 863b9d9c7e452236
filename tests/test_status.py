"""`newsdesk status`: health for monitors, read without the lock; the steps it reports."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from newsdesk.cli import cli
from newsdesk.config import load_config
from newsdesk.lock import lock_path
from newsdesk.replay import ReplayServer
from newsdesk.sample import sample_archive_path
from newsdesk.site.scaffold import config_text, init_site
from newsdesk.status import gather, record_step
from newsdesk.store import Store

NEWSDESK = Path(sys.executable).parent / "newsdesk"


@pytest.fixture(scope="module")
def server() -> Iterator[ReplayServer]:
    with ReplayServer(sample_archive_path()) as srv:
        yield srv


def make_site(root: Path, url: str, max_age: int | None = None) -> Path:
    text = config_text(api_url=url, image_mirror=url).replace("process = true", "process = false")
    if max_age is not None:
        text = text.replace("max_age = 7200", f"max_age = {max_age}")
    init_site(root, text=text)
    return root / "newsdesk.toml"


def newsdesk(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-c", str(config), *args])


def label(config: Path) -> str:
    return load_config(config).sources[0].label


def set_source(config: Path, **values: object) -> None:
    """What the fetch code writes into source_state, written directly to stage a situation."""
    with Store(config.parent / "newsdesk.db") as store, store.atomic():
        store.db.execute("INSERT OR IGNORE INTO source_state (source) VALUES (?)", (label(config),))
        for key, value in values.items():
            store.db.execute(f"UPDATE source_state SET {key} = ? WHERE source = ?", (value, label(config)))


@pytest.fixture
def fetched(tmp_path: Path, server: ReplayServer) -> Path:
    config = make_site(tmp_path, server.url)
    result = newsdesk(config, "fetch")
    assert result.exit_code == 0, result.output
    return config


# -- steps ------------------------------------------------------------------------------------------

def test_record_step_keeps_start_end_result_and_summary(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        before = int(time.time())
        with record_step(store, "publish") as step:
            row = store.db.execute("SELECT finished, ok FROM steps WHERE step = 'publish'").fetchone()
            assert row == (None, None)  # running
            step.summary = "3 written,\n0 failed"
        with pytest.raises(RuntimeError, match="disk on fire"), record_step(store, "build"):
            raise RuntimeError("disk on fire")
        rows = {r[0]: r[1:] for r in store.db.execute("SELECT step, started, finished, ok, summary FROM steps")}
    assert rows["publish"][2:] == (1, "3 written, 0 failed") and rows["publish"][0] >= before
    assert rows["build"][2:] == (0, "disk on fire") and rows["build"][1] >= rows["build"][0]


def test_the_commands_record_their_steps(fetched: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert newsdesk(fetched, "publish").exit_code == 0
    monkeypatch.setenv("NEWSDESK_HUGO", str(fetched.parent / "no-hugo-here"))
    failed = newsdesk(fetched, "build")
    assert failed.exit_code == 1 and "cannot run Hugo" in failed.stderr and "Traceback" not in failed.output
    report = gather(load_config(fetched))
    steps = {s.step: s for s in report.steps}
    assert steps["fetch"].ok is True and steps["fetch"].summary.startswith(f"{report.archive.stories} new")
    assert steps["publish"].ok is True and steps["publish"].summary.startswith(f"{report.archive.stories} written")
    assert steps["build"].ok is False and "cannot run Hugo" in steps["build"].summary
    text = newsdesk(fetched, "status").stdout
    assert "FAILED" in text and "cannot run Hugo" in text


# -- health and exit status -------------------------------------------------------------------------

def test_a_fresh_source_is_healthy(fetched: Path) -> None:
    set_source(fetched, last_attempt=int(time.time()), last_success=int(time.time()) - 60)
    result = newsdesk(fetched, "status")
    assert result.exit_code == 0, result.output
    assert "ok" in result.stdout and "1m ago" in result.stdout and result.stderr == ""


def test_no_success_for_longer_than_max_age_exits_1(tmp_path: Path, server: ReplayServer) -> None:
    config = make_site(tmp_path, server.url, max_age=600)
    assert newsdesk(config, "fetch").exit_code == 0
    now = int(time.time())
    set_source(config, last_attempt=now, last_success=now - 601, last_error="connection refused",
               last_error_at=now - 5)
    result = newsdesk(config, "status")
    assert result.exit_code == 1
    assert f"unhealthy: source {label(config)}: no successful fetch for 10m (status.max_age = 600s)" in result.stderr
    assert "connection refused" in result.stdout
    set_source(config, last_success=now - 500)
    assert newsdesk(config, "status").exit_code == 0


def test_attempted_but_never_succeeded_exits_1(tmp_path: Path, server: ReplayServer) -> None:
    config = make_site(tmp_path, server.url)
    Store(tmp_path / "newsdesk.db").close()
    set_source(config, last_attempt=int(time.time()), last_error="HTTP 503", last_error_at=int(time.time()))
    result = newsdesk(config, "status", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["sources"][0]["problem"] == "attempted but never fetched successfully"


def test_never_attempted_is_not_unhealthy(tmp_path: Path, server: ReplayServer) -> None:
    config = make_site(tmp_path, server.url)
    Store(tmp_path / "newsdesk.db").close()
    result = newsdesk(config, "status")
    assert result.exit_code == 0 and "never" in result.stdout


def test_a_missing_archive_says_so_and_is_not_created(tmp_path: Path, server: ReplayServer) -> None:
    config = make_site(tmp_path, server.url)
    result = newsdesk(config, "status")
    assert result.exit_code == 0
    assert "none yet" in result.stdout and "lock     free" in result.stdout
    assert not (tmp_path / "newsdesk.db").exists()
    data = json.loads(newsdesk(config, "status", "--json").stdout)
    assert data["archive"]["exists"] is False and data["lock"]["held"] is False


def test_json_has_sources_failures_deferral_counts_and_steps(fetched: Path) -> None:
    now = int(time.time())
    source = label(fetched)
    set_source(fetched, last_attempt=now, last_success=now, deferred_until=now + 900,
               deferred_reason="HTTP 429 Retry-After: 900")
    with Store(fetched.parent / "newsdesk.db") as store, store.atomic():
        for n, gave_up in enumerate((0, 0, 1)):
            store.db.execute("INSERT INTO failures (source, id, lang, item, error, attempts, first_failed, "
                             "last_failed, next_try, gave_up) VALUES (?, ?, 'en', '{}', 'HTTP 500', 3, ?, ?, ?, ?)",
                             (source, f"gone-{n}", now, now, now + 60, gave_up))
        store.db.execute("UPDATE stories SET publish_error = 'disk full' WHERE (id, lang) IN "
                         "(SELECT id, lang FROM stories ORDER BY id, lang LIMIT 2)")
        stories = store.count()
    result = newsdesk(fetched, "status", "--json")
    assert result.exit_code == 0
    assert len(result.stdout.strip().splitlines()) == 1
    data = json.loads(result.stdout)
    src = data["sources"][0]
    assert (src["source"], src["failed_waiting"], src["gave_up"]) == (source, 2, 1)
    assert src["deferred_until"] == now + 900 and "Retry-After" in src["deferred_reason"]
    archive = data["archive"]
    assert archive["stories"] == stories and sum(archive["languages"].values()) == stories
    assert archive["dirty"] == stories  # fetched, not yet published
    assert archive["publish_errors"] == 2
    assert [s["step"] for s in data["steps"]] == ["fetch"] and data["steps"][0]["ok"] is True
    text = newsdesk(fetched, "status").stdout
    # "in 15m", or "in 14m" when a loaded machine took a second or more since the deferral was set
    assert "2 (1)" in text and re.search(r"in 1[45]m \(HTTP 429 Retry-After: 900\)", text) and "2 publish errors" in text


HOLDER = """
import sys, time
from newsdesk.lock import RunLock
from newsdesk.store import Store
store = Store(sys.argv[1])
with RunLock(__import__("pathlib").Path(sys.argv[1] + ".lock"), wait=0), store.atomic():
    store.db.execute("INSERT INTO meta (key, value) VALUES ('busy', 'yes')")  # a write transaction left open
    print("holding", flush=True)
    time.sleep(60)
"""


def test_status_works_while_another_run_holds_the_lock_and_a_write(fetched: Path) -> None:
    db = fetched.parent / "newsdesk.db"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        started = time.monotonic()
        result = subprocess.run([str(NEWSDESK), "-c", str(fetched), "status", "--json"], capture_output=True,
                                text=True, timeout=60, check=False)
        took = time.monotonic() - started
        human = subprocess.run([str(NEWSDESK), "-c", str(fetched), "status"], capture_output=True, text=True,
                               timeout=60, check=False)
    finally:
        holder.kill()
        holder.communicate()
    assert result.returncode == 0, result.stderr
    assert took < 30  # it did not wait for the lock or the write
    data = json.loads(result.stdout)
    assert data["lock"]["held"] is True and data["lock"]["pid"] == holder.pid
    assert data["archive"]["stories"] > 0
    assert f"held by pid {holder.pid} (-c" in human.stdout
    assert lock_path(db).exists()
    after = json.loads(newsdesk(fetched, "status", "--json").stdout)
    assert after["lock"]["held"] is False  # killed: released at once


def test_status_max_age_is_validated(tmp_path: Path) -> None:
    config = tmp_path / "newsdesk.toml"
    config.write_text("[status]\nmax_age = 0\n")
    result = newsdesk(config, "status")
    assert result.exit_code == 2 and "status.max_age: must be greater than 0" in result.stderr
