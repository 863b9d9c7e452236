"""CLI behaviour that is not a whole pipeline run: render, watch, errors, filters, dates."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from newsdesk.cli import cli
from newsdesk.config import load_config
from newsdesk.fetch import keep_story, _words_pattern
from newsdesk.model import Story
from newsdesk.publish import publish
from newsdesk.replay import ReplayServer
from newsdesk.runner import build
from newsdesk.sample import sample_archive_path
from newsdesk.site.scaffold import config_text, init_site
from newsdesk.sources.tradingview import parse_raw
from newsdesk.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "stories"


def test_render_prints_the_same_post_for_both_story_shapes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no newsdesk.toml here: defaults apply
    runner = CliRunner()
    snake = runner.invoke(cli, ["render", str(FIXTURES / "story_v1_snake.json")])
    camel = runner.invoke(cli, ["render", str(FIXTURES / "story_v2_camel.json")])
    assert snake.exit_code == 0, snake.output
    assert snake.stdout == camel.stdout
    assert snake.stdout.startswith("---\ntitle: ")
    assert '\nsidebar: "right"\n' in snake.stdout


def test_render_uses_the_configs_post_settings(tmp_path: Path) -> None:
    init_site(tmp_path, text=config_text().replace('sidebar = "right"', "sidebar = false"))
    result = CliRunner().invoke(cli, ["-c", str(tmp_path / "newsdesk.toml"), "render",
                                      str(FIXTURES / "story_v1_snake.json")])
    assert "\nsidebar: false\n" in result.stdout


def test_render_rejects_a_file_that_is_not_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "story.json"
    bad.write_text("{not json")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["render", str(bad)])
    assert result.exit_code == 1
    assert "not valid JSON" in result.output


def test_render_reads_a_story_nested_10000_levels_deep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = '{"type": "p", "children": [' * 10_000 + '"the deepest words"' + "]}" * 10_000
    story = tmp_path / "story.json"
    story.write_text('{"id": "deep:1", "title": "Deep", "published": 1790000000, '
                     f'"provider": {{"id": "p", "name": "P"}}, "ast_description": {body}}}')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["render", str(story)])
    assert result.exit_code == 0 and "the deepest words" in result.output


def test_bad_config_exits_2_naming_the_key(tmp_path: Path) -> None:
    cfg = tmp_path / "newsdesk.toml"
    cfg.write_text('[post]\nsidebar = "middle"\n')
    result = CliRunner().invoke(cli, ["-c", str(cfg), "fetch"])
    assert result.exit_code == 2
    assert "post.sidebar" in result.output


def test_include_and_exclude_words() -> None:
    story = Story(id="x", lang="en", title="Bitcoin slides", published=0, provider_id="p", provider_name="P",
                  url="https://x.example/", tree={"type": "root", "children": [{"type": "p", "children": [
                      "Miners and exchanges fell."]}]})
    assert keep_story(story, _words_pattern(("bitcoin",)), None) is None
    assert keep_story(story, _words_pattern(("gold",)), None) == "include"
    assert keep_story(story, None, _words_pattern(("Miners",))) == "exclude:Miners"
    assert keep_story(story, None, _words_pattern(("mine",))) is None  # whole words only


def test_date_means_the_same_instant_in_the_sites_time_zone(tmp_path: Path) -> None:
    zone = "America/New_York"
    init_site(tmp_path, text=config_text(timezone=zone))
    config = load_config(tmp_path / "newsdesk.toml")
    published = int(time.time()) - 60  # a minute before the build
    item = {"id": "clock:1", "title": "Just in", "published": published,
            "provider": {"id": "wire", "name": "Wire"}, "storyPath": "/news/clock:1-just-in/"}
    raw = {"api": "news-flow", "lang": "en", "item": item,
           "story": {**item, "ast_description": {"type": "root", "children": ["Fresh."]}}}
    with Store(config.store_path) as store:
        store.upsert(parse_raw(raw), raw, "h", "test")
        [post] = publish(config, store).written
    local = datetime.fromtimestamp(published, ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S")
    assert f'date: "{local}"' in post.read_text()
    build(config)
    page = (tmp_path / "site" / "public" / "post" / post.name.rsplit(".", 2)[0] / "index.html").read_text()
    shown = page.split('<time datetime="', 1)[1].split('"', 1)[0]
    assert datetime.fromisoformat(shown).timestamp() == published


def test_run_watch_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    with ReplayServer(sample_archive_path()) as server:
        init_site(tmp_path, text=config_text(api_url=server.url, image_mirror=server.url))
        proc = subprocess.Popen([sys.executable, "-m", "newsdesk", "-c", str(tmp_path / "newsdesk.toml"),
                                 "run", "--watch", "30"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not (tmp_path / "site" / "public" / "index.html").exists():
                time.sleep(0.2)
            assert (tmp_path / "site" / "public" / "index.html").exists()
            time.sleep(0.5)
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert len(out.splitlines()) == len(list((tmp_path / "site" / "content" / "post").glob("*.md")))
    with Store(tmp_path / "newsdesk.db") as store:
        assert store.dirty_rows() == []
