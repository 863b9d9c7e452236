"""Fetch progress kept in the archive: failed stories retried by id, deferrals, watermarks (replay server)."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsdesk import fetchstate
from newsdesk.cli import cli
from newsdesk.config import Config, parse_config
from newsdesk.fetch import fetch_all
from newsdesk.replay import Answer, ReplayServer
from newsdesk.sample import load_archive, sample_archive_path
from newsdesk.store import Store

RECORDS = load_archive(sample_archive_path())
EN_IDS = [r["id"] for r in RECORDS if "en" in r["versions"]]


def make_config(tmp_path: Path, *urls: str, **fetch: Any) -> Config:
    sources = [{"name": f"replay{n}", "api_url": url, "languages": ["en"], "retries": 1, "timeout": 5.0,
                "max_pages": 50} for n, url in enumerate(urls)]
    data = {"site": {"path": "site"}, "store": {"path": "archive/newsdesk.db"}, "sources": sources,
            "fetch": {"retry_base": 0.0, **fetch}}
    return parse_config(data, root=tmp_path)


class Faulty:
    """A replay hook: answer 500 to story requests of the chosen ids (``left`` times, or for ever)."""

    def __init__(self, ids: set[str], times: int | None = None) -> None:
        self.ids = ids
        self.left = {i: times for i in ids}
        self.asked: list[str] = []

    def __call__(self, path: str, query: dict[str, list[str]]) -> Answer | None:
        if path.endswith("/story"):
            story_id = query.get("id", [""])[0]
            self.asked.append(story_id)
            left = self.left.get(story_id, 0)
            if story_id in self.ids and (left is None or left > 0):
                if left is not None:
                    self.left[story_id] = left - 1
                return 500, {"Content-Type": "application/json"}, b'{"message": "boom"}'
        return None


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "archive" / "newsdesk.db") as s:
        yield s


def archived(store: Store) -> set[str]:
    return {row[0] for row in store.db.execute("SELECT id FROM stories")}


def test_failed_story_is_recorded_then_retried_by_id(tmp_path: Path, store: Store) -> None:
    bad = EN_IDS[3]
    hook = Faulty({bad}, times=4)  # one run: two requests (retries = 1) in the sweep, two in the retry at its end
    with ReplayServer(hook=hook) as server:
        config = make_config(tmp_path, server.url)
        report = fetch_all(config, store)
        assert {f.id for f in report.failed} == {bad} and report.exit_code == 1
        [record] = fetchstate.list_failures(store)
        assert (record.id, record.lang, record.attempts, record.gave_up) == (bad, "en", 2, False)
        assert "500" in record.error and record.item.get("id") == bad
        assert bad not in archived(store)
        lists_before = sum("/news-flow/" in r for r in server.requests)
        hook.asked.clear()
        second = fetch_all(config, store)
        lists_after = sum("/news-flow/" in r for r in server.requests)
    assert second.exit_code == 0 and second.retried == 1
    assert hook.asked == [bad]  # requested by id; the rest is archived
    assert lists_after - lists_before == 1  # the head page only: nothing new, nothing re-paged
    assert bad in archived(store) and fetchstate.list_failures(store) == []


def test_backoff_keeps_a_failed_story_waiting(tmp_path: Path, store: Store) -> None:
    bad = EN_IDS[0]
    hook = Faulty({bad})
    with ReplayServer(hook=hook) as server:
        config = make_config(tmp_path, server.url, retry_base=3600.0)
        fetch_all(config, store)
        [record] = fetchstate.list_failures(store)
        assert record.next_try >= time.time() + 3500
        hook.asked.clear()
        fetch_all(config, store)
    assert hook.asked == []  # not due, and the unchanged item is left to the schedule


def test_a_story_is_given_up_after_the_retry_limit(tmp_path: Path, store: Store) -> None:
    bad = EN_IDS[1]
    with ReplayServer(hook=Faulty({bad})) as server:
        config = make_config(tmp_path, server.url, retry_limit=3)
        for _ in range(3):
            fetch_all(config, store)
    [record] = fetchstate.list_failures(store)
    assert record.attempts == 3 and record.gave_up  # 2 in the first run (the retry at its end), 1 more


def test_stories_failed_lists_them(tmp_path: Path) -> None:
    bad = EN_IDS[2]
    with ReplayServer(hook=Faulty({bad})) as server:
        config_file = tmp_path / "newsdesk.toml"
        config_file.write_text(f'[store]\npath = "newsdesk.db"\n[[sources]]\napi_url = "{server.url}"\n'
                               'retries = 0\n', encoding="utf-8")
        runner = CliRunner()
        assert runner.invoke(cli, ["-c", str(config_file), "fetch"]).exit_code == 1
        text = runner.invoke(cli, ["-c", str(config_file), "stories", "--failed"])
        as_json = runner.invoke(cli, ["-c", str(config_file), "stories", "--failed", "--json"])
    assert text.exit_code == 0 and bad in text.output and "500" in text.output
    [line] = as_json.output.splitlines()
    row = json.loads(line)
    assert row["id"] == bad and row["lang"] == "en" and row["attempts"] == 1 and "next_try" in row


def deferring(path: str, query: dict[str, list[str]]) -> Answer | None:
    if "/news-flow/" in path:
        return 429, {"Content-Type": "application/json", "Retry-After": "3600"}, b'{"message": "slow down"}'
    return None


def test_retry_after_defers_the_source_across_processes_and_others_go_on(tmp_path: Path) -> None:
    with ReplayServer(hook=deferring) as slow, ReplayServer() as good:
        config = make_config(tmp_path, slow.url, good.url)
        with Store(config.store_path) as store:
            report = fetch_all(config, store)
            assert report.exit_code == 1 and len(archived(store)) == len(EN_IDS)  # the other source went on
        asked = len(slow.requests)
        assert asked == 1  # a long Retry-After is not waited for in-process
        with Store(config.store_path) as store:  # a new process
            again = fetch_all(config, store)
            until = fetchstate.deferred_until(store, "replay0")
        assert len(slow.requests) == asked and again.deferred == ["replay0"] and again.exit_code == 0
        assert until is not None and until[0] >= time.time() + 3500 and "429" in until[1]


def test_a_changed_story_above_the_watermark_is_noticed(tmp_path: Path, store: Store) -> None:
    changed_id = EN_IDS[2]
    with ReplayServer(page_size=5) as server:
        config = make_config(tmp_path, server.url)
        fetch_all(config, store)
        record = next(r for r in server.records if r["id"] == changed_id)
        record["versions"]["en"]["title"] = "A corrected headline"
        second = fetch_all(config, store)
    assert second.changed == 1
    title = store.db.execute("SELECT title FROM stories WHERE id = ? AND lang = 'en'", (changed_id,)).fetchone()[0]
    assert title == "A corrected headline"


def test_a_sweep_cut_short_by_max_pages_resumes_next_run(tmp_path: Path, store: Store) -> None:
    with ReplayServer(page_size=4) as server:
        data = {"store": {"path": "archive/newsdesk.db"},
                "sources": [{"name": "r", "api_url": server.url, "languages": ["en"], "max_pages": 2}]}
        config = parse_config(data, root=tmp_path)
        counts = []
        while not counts or counts[-1] < len(EN_IDS):
            fetch_all(config, store)
            counts.append(len(archived(store)))
            assert len(counts) < 20
    # two pages a run: the first run two pages of stories; later ones the head page, then one more
    assert counts[0] == 8 and all(b - a == 4 for a, b in zip(counts, counts[1:-1]))
    state = json.loads(fetchstate.load_sweep(store, "r", "news-flow|filter=lang:en") or "{}")
    assert state["pending"] == [] and state["watermark"][1] == EN_IDS[0]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("kind", ["refused", "no answer"])
def test_an_unreachable_api_is_one_line_and_exit_1_within_seconds(tmp_path: Path, kind: str) -> None:
    holder = socket.socket()
    try:
        if kind == "refused":
            url = f"http://127.0.0.1:{closed_port()}"
        else:  # accepts connections, never answers
            holder.bind(("127.0.0.1", 0))
            holder.listen(8)
            url = f"http://127.0.0.1:{holder.getsockname()[1]}"
        config_file = tmp_path / "newsdesk.toml"
        config_file.write_text(f'[store]\npath = "newsdesk.db"\n[[sources]]\napi_url = "{url}"\ntimeout = 1.0\n'
                               'retries = 1\n', encoding="utf-8")
        started = time.monotonic()
        result = CliRunner().invoke(cli, ["-c", str(config_file), "fetch"])
        elapsed = time.monotonic() - started
    finally:
        holder.close()
    assert result.exit_code == 1 and elapsed < 15
    errors = [line for line in result.stderr.splitlines() if line.startswith(("ERROR", "error"))]
    assert len(errors) == 1, result.stderr
    assert url in errors[0] and ("ConnectError" in errors[0] or "Timeout" in errors[0])
    assert "Traceback" not in result.output + result.stderr


def test_one_lists_bad_answer_leaves_the_other_lists_to_run(tmp_path: Path, store: Store) -> None:
    def html_for_english(path: str, query: dict[str, list[str]]) -> Answer | None:
        if "/news-flow/" in path and "lang:en" in query.get("filter", []):
            return 200, {"Content-Type": "text/html"}, b"<html><body>maintenance</body></html>"
        return None

    with ReplayServer(hook=html_for_english) as server:
        data = {"store": {"path": "archive/newsdesk.db"},
                "sources": [{"name": "r", "api_url": server.url, "languages": ["en", "de"], "retries": 0}]}
        config = parse_config(data, root=tmp_path)
        report = fetch_all(config, store)
    langs = {row[0] for row in store.db.execute("SELECT DISTINCT lang FROM stories")}
    assert langs == {"de"} and report.exit_code == 1
    assert "expected JSON" in str(report.source_errors[0]) and "lang:en" in str(report.source_errors[0])
    last_error, last_success = store.db.execute(
        "SELECT last_error, last_success FROM source_state WHERE source = 'r'").fetchone()
    assert last_error and last_success is None
