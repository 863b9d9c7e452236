"""`newsdesk run` after the build: deploy when a target is set (and owed), then alerts."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from newsgen import make_site, write_archive

from newsdesk.cli import cli
from newsdesk.replay import ReplayServer
from newsdesk.store import Store


def newsdesk(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-c", str(config), *args], catch_exceptions=False)


class Hook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:  # http.server's naming
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Hook.received.append(json.loads(body or b"{}"))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # the base class's signature
        pass


@pytest.fixture
def hook() -> Iterator[str]:
    Hook.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"json://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def test_run_deploys_once_per_build_then_alerts_new_stories(tmp_path: Path, hook: str) -> None:
    archive = tmp_path / "replay"
    records = write_archive(archive, 6)
    webroot = tmp_path / "www" / "news"
    webroot.parent.mkdir()
    first_ticker = records[0]["related_symbols"][0]["symbol"]
    extra = (f'[deploy]\ntarget = "file://{webroot}"\n\n[[alerts]]\nname = "watch"\n'
             f'tickers = ["{first_ticker}"]\nkeywords = ["outlook"]\nnotify = ["{hook}"]\ndigest_after = 50\n')
    with ReplayServer(archive) as server:
        config = make_site(tmp_path / "site", server.url, extra=extra)
        first = newsdesk(config, "run")
        assert first.exit_code == 0, first.output
        assert (webroot / "index.html").is_file()  # online
        assert Hook.received == []  # the first alerts run only starts the cursor: no flood
        with Store(tmp_path / "site" / "newsdesk.db") as store:
            steps = {step for (step,) in store.db.execute("SELECT step FROM steps")}
        assert {"deploy", "alerts"} <= steps
        live = (webroot / "index.html").resolve()
        again = newsdesk(config, "run")  # nothing new: no build, no deploy
        assert again.exit_code == 0 and (webroot / "index.html").resolve() == live
    time.sleep(1.1)  # alerts count in whole seconds: stories of the first run's second are the old ones
    more = write_archive(archive, 2, seed=7, start=6)
    with ReplayServer(archive) as server:
        config.write_text(config.read_text().replace(config.read_text().split('api_url = "')[1].split('"')[0],
                                                     server.url), encoding="utf-8")
        third = newsdesk(config, "run")
        assert third.exit_code == 0, third.output
    assert (webroot / "index.html").resolve() != live  # the new build went online
    titles = [m.get("title", "") + m.get("body", "") for m in Hook.received]
    wanted = [r for r in more if "outlook" in r["versions"]["en"]["title"].lower()
              or r["related_symbols"][0]["symbol"] == first_ticker]
    assert len(Hook.received) == len(wanted)
    for record in wanted:
        assert any(record["versions"]["en"]["title"] in text for text in titles)


def test_a_failed_deploy_exits_1_and_the_next_run_does_it(tmp_path: Path) -> None:
    archive = tmp_path / "replay"
    write_archive(archive, 3)
    parent = tmp_path / "www"  # missing: rsync cannot make the destination's parent
    with ReplayServer(archive) as server:
        config = make_site(tmp_path / "site", server.url, extra=f'[deploy]\ntarget = "rsync:{parent}/news"\n')
        failed = newsdesk(config, "run")
        assert failed.exit_code == 1, failed.output
        assert "Traceback" not in failed.output
        parent.mkdir()
        retried = newsdesk(config, "run")  # nothing new to fetch or build: the owed deploy is done
        assert retried.exit_code == 0, retried.output
    assert (parent / "news" / "index.html").is_file()


def test_run_checks_deploy_target_and_alert_urls_before_any_work(tmp_path: Path) -> None:
    with ReplayServer(write_archive_dir(tmp_path)) as server:
        config = make_site(tmp_path / "site", server.url, extra='[deploy]\ntarget = "file://relative/path"\n')
        result = newsdesk(config, "run")
        assert result.exit_code == 2 and "deploy.target" in result.output
        assert server.requests == []


def write_archive_dir(tmp_path: Path) -> Path:
    write_archive(tmp_path / "replay", 1)
    return tmp_path / "replay"
