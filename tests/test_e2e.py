"""End to end through the CLI: replay server on 127.0.0.1 -> fetch -> archive -> posts -> Hugo."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from newsdesk.cli import cli
from newsdesk.replay import ReplayServer
from newsdesk.sample import load_archive, sample_archive_path
from newsdesk.site.hugo import run_hugo
from newsdesk.site.scaffold import config_text, init_site
from newsdesk.store import Store

LANGS = ("en", "de", "es")


def expected_versions(archive: Path | None = None) -> set[tuple[str, str]]:
    return {(r["id"], lang) for r in load_archive(archive) for lang in r["versions"] if lang in LANGS}


def make_site(root: Path, url: str, api: str = "news-flow", **extra: str) -> Path:
    text = config_text(api=api, api_url=url, languages=LANGS, image_mirror=url)
    for key, value in extra.items():
        text = text.replace(f"\n{key} = []", f"\n{key} = {value}")
    init_site(root, text=text)
    return root / "newsdesk.toml"


def newsdesk(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-c", str(config), *args], catch_exceptions=False)


def posts(config: Path) -> dict[str, bytes]:
    folder = config.parent / "site" / "content" / "post"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.md"))}


def story_requests(server: ReplayServer) -> list[str]:
    return [r for r in server.requests if "/story" in r.split("?")[0]]


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with ReplayServer(sample_archive_path()) as srv:
        yield srv


@pytest.fixture
def first_run(tmp_path: Path, server: ReplayServer) -> tuple[Path, Result]:
    config = make_site(tmp_path / "flow", server.url)
    return config, newsdesk(config, "run")


def test_run_publishes_every_sample_story_exactly_once(first_run: tuple[Path, Result]) -> None:
    config, result = first_run
    assert result.exit_code == 0, result.output
    files = posts(config)
    with Store(config.parent / "newsdesk.db") as store:
        manifest = store.manifest()
    assert {(i, lang) for i, lang, _ in manifest.values()} == expected_versions()
    assert len(files) == len(manifest) == len(expected_versions())
    printed = [Path(line).name for line in result.stdout.splitlines()]
    assert sorted(printed) == sorted(files)
    for name, data in files.items():
        text = data.decode()
        assert text.startswith("---\n")
        meta = yaml.safe_load(text.split("\n---\n", 1)[0][4:])
        assert meta["lang"] == [name.rsplit(".", 2)[1]]
        assert meta["lang"][0] in meta["translations"]
    assert (config.parent / "site" / "public" / "index.html").exists()


def test_hugo_builds_the_published_sample_without_warnings(first_run: tuple[Path, Result]) -> None:
    config, _ = first_run
    result = run_hugo(config.parent / "site")
    assert result.warnings == []
    public = config.parent / "site" / "public"
    assert len(list((public / "post").glob("*/index.html"))) >= 40
    assert (public / "de" / "post").is_dir() and (public / "es" / "post").is_dir()


def test_second_run_fetches_headlines_only_and_writes_nothing(first_run: tuple[Path, Result],
                                                             server: ReplayServer) -> None:
    config, _ = first_run
    before = {p: p.stat().st_mtime_ns for p in (config.parent / "site" / "content").rglob("*.md")}
    server.requests.clear()
    again = newsdesk(config, "run")
    assert again.exit_code == 0, again.output
    assert again.stdout == ""
    assert story_requests(server) == []
    assert server.requests, "the second run asked the source for headlines"
    assert {p: p.stat().st_mtime_ns for p in (config.parent / "site" / "content").rglob("*.md")} == before


def test_translations_link_every_language(first_run: tuple[Path, Result]) -> None:
    config, _ = first_run
    multi = [r for r in load_archive() if {"en", "de", "es"} <= set(r["versions"])]
    assert multi
    files = posts(config)
    for name, data in files.items():
        meta = yaml.safe_load(data.decode().split("\n---\n", 1)[0][4:])
        stem = name.rsplit(".", 2)[0]
        siblings = sorted(n.rsplit(".", 2)[1] for n in files if n.rsplit(".", 2)[0] == stem)
        assert sorted(meta["translations"]) == siblings


def test_changed_story_is_republished(tmp_path: Path, first_run: tuple[Path, Result]) -> None:
    config, _ = first_run
    archive = tmp_path / "archive"
    shutil.copytree(sample_archive_path(), archive)
    newest = load_archive()[0]["id"]  # on the first list page, where a change is noticed
    record_file = next(p for p in (archive / "stories").glob("*.json") if json.loads(p.read_text())["id"] == newest)
    record = json.loads(record_file.read_text())
    lang = next(iter(record["versions"]))
    record["versions"][lang]["title"] += " (updated)"
    record_file.write_text(json.dumps(record))
    before = posts(config)
    with ReplayServer(archive) as changed:
        config.write_text(_point_at(config.read_text(), changed.url))
        result = newsdesk(config, "run")
    assert result.exit_code == 0, result.output
    written = [Path(line).name for line in result.stdout.splitlines()]
    assert len(written) == 1 and written[0].endswith(f".{lang}.md")
    after = posts(config)
    assert "(updated)" in after[written[0]].decode()
    assert {n: d for n, d in after.items() if n != written[0]} == {n: d for n, d in before.items() if n != written[0]}


def _point_at(text: str, url: str) -> str:
    lines = [f'api_url = "{url}"' if line.startswith("api_url =") else line for line in text.splitlines()]
    return "\n".join(lines) + "\n"


def test_both_generations_publish_byte_identical_posts(tmp_path: Path, first_run: tuple[Path, Result],
                                                       server: ReplayServer) -> None:
    flow_config, _ = first_run
    legacy = make_site(tmp_path / "legacy", server.url, api="headlines")
    result = newsdesk(legacy, "run")
    assert result.exit_code == 0, result.output
    assert posts(legacy) == posts(flow_config)


def test_news_flow_falls_back_to_legacy_paths(tmp_path: Path, first_run: tuple[Path, Result],
                                              caplog: pytest.LogCaptureFixture) -> None:
    flow_config, _ = first_run
    with ReplayServer(sample_archive_path(), generations=("headlines",)) as legacy_only:
        config = make_site(tmp_path / "fallback", legacy_only.url)
        result = newsdesk(config, "run")
    assert result.exit_code == 0, result.output
    assert posts(config) == posts(flow_config)


def test_gated_story_gets_a_short_post_without_a_body_request(first_run: tuple[Path, Result],
                                                              server: ReplayServer) -> None:
    config, _ = first_run
    gated = [r for r in load_archive() if r.get("paywall") or r.get("permission") in ("headline", "preview")]
    assert gated
    requested = " ".join(story_requests(server))
    from urllib.parse import quote

    for record in gated:
        assert quote(record["id"], safe="") not in requested
    gated_posts = [d.decode() for d in posts(config).values() if "\ngated: true\n" in d.decode()]
    assert len(gated_posts) >= len(gated)


def test_rejected_filter_is_a_configuration_error(tmp_path: Path, server: ReplayServer) -> None:
    config = make_site(tmp_path / "bad", server.url, markets='["stonks"]')
    result = newsdesk(config, "fetch")
    assert result.exit_code == 2
    assert "stonks" in result.output


def test_a_bad_story_is_skipped_and_the_run_exits_1(tmp_path: Path) -> None:
    victim = load_archive()[0]["id"]

    def hook(path: str, query: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes] | None:
        if path.endswith("/story") and query.get("id") == [victim]:
            return 200, {"Content-Type": "application/json"}, b'{"title": 42, "ast_description": "x"'
        return None

    with ReplayServer(sample_archive_path(), hook=hook) as broken:
        config = make_site(tmp_path / "broken", broken.url)
        result = newsdesk(config, "run")
    assert result.exit_code == 1
    assert victim in result.output
    published = {i for i, _, _ in Store(config.parent / "newsdesk.db").manifest().values()}
    assert victim not in published
    assert len(published) == len({i for i, _ in expected_versions()}) - 1
    with ReplayServer(sample_archive_path()) as healed:
        config.write_text(_point_at(config.read_text(), healed.url))
        again = newsdesk(config, "run")
    assert again.exit_code == 0, again.output
    assert len(again.stdout.splitlines()) >= 1
    assert victim in {i for i, _, _ in Store(config.parent / "newsdesk.db").manifest().values()}


def test_stories_command_lists_and_filters(first_run: tuple[Path, Result]) -> None:
    config, _ = first_run
    everything = newsdesk(config, "stories", "--json")
    rows = [json.loads(line) for line in everything.stdout.splitlines()]
    assert len(rows) == len(expected_versions())
    assert [r["published"] for r in rows] == sorted((r["published"] for r in rows), reverse=True)
    symbol = next(s for r in rows for s in r["symbols"])
    ticker = symbol.split(":")[1]
    filtered = [json.loads(line) for line in newsdesk(config, "stories", "--json", "--symbol", ticker).stdout.splitlines()]
    assert filtered and all(symbol in r["symbols"] or any(s.endswith(":" + ticker) for s in r["symbols"]) for r in filtered)
    german = newsdesk(config, "stories", "--lang", "de", "--limit", "2").stdout.splitlines()
    assert len(german) == 2 and all("  de " in line for line in german)
