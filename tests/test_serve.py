"""`newsdesk serve`: the built site on 127.0.0.1, built first when it never was, refreshed on --watch."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.cli import cli
from newsdesk.config import Config, SiteConfig
from newsdesk.errors import BuildError
from newsdesk.site.serve import DEFAULT_PORT, HOST, SiteServer, refresh_loop, serve


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), b""


@pytest.fixture
def public(tmp_path: Path) -> Path:
    folder = tmp_path / "site" / "public"
    (folder / "post" / "a").mkdir(parents=True)
    (folder / "index.html").write_text("<!DOCTYPE html><title>home</title>", encoding="utf-8")
    (folder / "post" / "a" / "index.html").write_text("<p>story</p>", encoding="utf-8")
    (folder / "feed.json").write_text("{}", encoding="utf-8")
    (folder / "pagefind").mkdir()
    (folder / "pagefind" / "wasm.en.pagefind").write_bytes(b"\0asm")
    return folder


def test_the_default_port_matches_the_demo_base_url() -> None:
    from newsdesk.demo import DEMO_BASE_URL

    assert DEMO_BASE_URL == f"http://{HOST}:{DEFAULT_PORT}/"


def test_site_server_answers_on_loopback(public: Path) -> None:
    with SiteServer(public, 0) as server:
        assert server.url.startswith("http://127.0.0.1:") and server.port != 0
        status, kind, body = fetch(server.url)
        assert (status, kind) == (200, "text/html") and b"home" in body
        assert fetch(server.url + "post/a/")[0] == 200
        assert fetch(server.url + "feed.json")[1] == "application/json"
        assert fetch(server.url + "pagefind/wasm.en.pagefind")[1] == "application/octet-stream"
        assert fetch(server.url + "missing/")[0] == 404


def test_a_port_in_use_is_a_clear_error(public: Path) -> None:
    with SiteServer(public, 0) as first:
        with pytest.raises(BuildError, match="--port"):
            SiteServer(public, first.port)


def test_serve_builds_a_never_built_site_then_serves_until_stopped(tmp_path: Path, public: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    config = Config(site=SiteConfig(path=Path("site")), root=tmp_path)
    (public / "index.html").unlink()
    built: list[Config] = []

    def fake_build(cfg: Config) -> None:
        built.append(cfg)
        (public / "index.html").write_text("built", encoding="utf-8")

    monkeypatch.setattr("newsdesk.runner.build", fake_build)
    stop = threading.Event()
    answers: list[tuple[int, str, bytes]] = []

    def ready(server: SiteServer) -> None:
        answers.append(fetch(server.url))
        stop.set()

    thread = threading.Thread(target=serve, args=(config,), kwargs={"port": 0, "ready": ready, "stop": stop})
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert built == [config]
    assert answers[0][0] == 200 and answers[0][2] == b"built"


def test_refresh_loop_runs_every_period_and_survives_a_failing_run() -> None:
    stop = threading.Event()
    runs: list[int] = []

    def once() -> None:
        runs.append(len(runs))
        if len(runs) == 1:
            raise RuntimeError("network down")
        if len(runs) == 3:
            stop.set()

    refresh_loop(0.01, stop, once)
    assert runs == [0, 1, 2]


def test_serve_with_watch_refreshes_in_the_background(tmp_path: Path, public: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    config = Config(site=SiteConfig(path=Path("site")), root=tmp_path)
    stop = threading.Event()
    runs: list[object] = []

    def fake_run_once(cfg: Config, store: object, *, stop: threading.Event) -> None:
        runs.append(store)
        stop.set()

    monkeypatch.setattr("newsdesk.runner.run_once", fake_run_once)
    serve(config, port=0, watch=0.01, stop=stop)
    assert len(runs) == 1 and (tmp_path / "newsdesk.db").exists()


def test_cli_serve_help() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--port" in result.output and "--watch" in result.output and "127.0.0.1" in result.output


def test_the_demo_ends_by_saying_how_to_serve_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["demo", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    last = result.stdout.strip().splitlines()[-1]
    assert last == (f"View it: newsdesk -c {(tmp_path / 'demo' / 'newsdesk.toml').resolve()} serve  "
                    f"then open http://127.0.0.1:8000/")
