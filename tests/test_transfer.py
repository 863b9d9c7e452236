"""export / import: JSON Lines of the archive, round trip to byte-identical posts, idempotent,
clear errors for bad lines, streaming both ways."""

from __future__ import annotations

import json
import sqlite3
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from newsdesk.cli import cli
from newsdesk.config import load_config
from newsdesk.replay import ReplayServer
from newsdesk.sample import sample_archive_path
from newsdesk.site.scaffold import config_text, init_site
from newsdesk.sources.tradingview import parse_raw
from newsdesk.store import Store
from newsdesk.transfer import export_archive, import_archive

LANGS = ("en", "de", "es")


def newsdesk(config: Path, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["-q", "-c", str(config), *args], input=stdin, catch_exceptions=False)


def make_site(root: Path, url: str = "http://127.0.0.1:9/") -> Path:
    init_site(root, text=config_text(api_url=url, languages=LANGS, image_mirror=url))
    return root / "newsdesk.toml"


def posts(config: Path) -> dict[str, bytes]:
    folder = load_config(config).content_dir
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.md"))}


def table(config: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(load_config(config).store_path) as db:
        return db.execute(sql).fetchall()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample archive fetched from the replay server and published; one story got a post name
    of its own first (as when its first language was another one). Returns (config, export file)."""
    root = tmp_path_factory.mktemp("origin")
    with ReplayServer(sample_archive_path()) as server:
        config = make_site(root, server.url)
        assert newsdesk(config, "fetch").exit_code == 0
        with Store(load_config(config).store_path) as store:
            first = store.list_stories(limit=1)[0]
            store.assign_names({first.id: "a-name-of-its-own"})
        assert newsdesk(config, "publish").exit_code == 0
    target = root / "archive.jsonl"
    result = newsdesk(config, "export", str(target))
    assert result.exit_code == 0, result.output
    return config, target


def test_export_is_json_lines_of_every_story_with_its_fetch_metadata(exported: tuple[Path, Path]) -> None:
    config, target = exported
    lines = target.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    rows = table(config, "SELECT id, lang, source, item_hash, fetched_at, updated_at, raw FROM stories "
                         "ORDER BY published, id, lang")
    assert len(records) == len(rows) > 20
    for record, (story_id, lang, source, item, fetched, updated, raw) in zip(records, rows, strict=True):
        assert (record["id"], record["lang"], record["source"], record["item_hash"]) == (story_id, lang, source, item)
        assert (record["fetched_at"], record["updated_at"]) == (fetched, updated)
        assert record["raw"] == json.loads(raw)
    assert "a-name-of-its-own" in {r["name"] for r in records}


def test_round_trip_publishes_every_post_byte_for_byte(exported: tuple[Path, Path], tmp_path: Path) -> None:
    config, target = exported
    fresh = make_site(tmp_path / "fresh")  # its API is never asked: no fetch here
    result = newsdesk(fresh, "import", str(target))
    assert result.exit_code == 0, result.output
    assert f"imported: {len(target.read_text().splitlines())} new, 0 changed, 0 unchanged" in result.stderr
    assert newsdesk(fresh, "publish").exit_code == 0
    before, after = posts(config), posts(fresh)
    assert len(after) == len(before) > 20 and after == before
    assert any(name.startswith("a-name-of-its-own.") for name in after)
    columns = "id, lang, source, published, title, provider, site_url, raw, item_hash, content_hash, fetched_at"
    assert table(fresh, f"SELECT {columns} FROM stories ORDER BY id, lang") == \
        table(config, f"SELECT {columns} FROM stories ORDER BY id, lang")
    assert table(fresh, "SELECT * FROM story_symbols ORDER BY id, symbol") == \
        table(config, "SELECT * FROM story_symbols ORDER BY id, symbol")


def test_import_twice_changes_nothing_and_stdout_stdin_work(exported: tuple[Path, Path], tmp_path: Path) -> None:
    config, target = exported
    fresh = make_site(tmp_path / "fresh")
    streamed = newsdesk(config, "export", "-")
    assert streamed.exit_code == 0 and streamed.stdout == target.read_text(encoding="utf-8")
    assert newsdesk(fresh, "import", "-", stdin=streamed.stdout).exit_code == 0
    assert newsdesk(fresh, "publish").exit_code == 0
    again = newsdesk(fresh, "import", str(target))
    count = len(target.read_text().splitlines())
    assert again.exit_code == 0 and f"imported: 0 new, 0 changed, {count} unchanged" in again.stderr
    assert table(fresh, "SELECT COUNT(*) FROM stories WHERE dirty = 1") == [(0,)]
    republished = newsdesk(fresh, "publish")
    assert republished.exit_code == 0 and republished.stdout == ""  # nothing to write


def test_a_changed_story_replaces_the_archived_one_unless_that_is_newer(tmp_path: Path) -> None:
    config = make_site(tmp_path / "site")
    raw = {"api": "news-flow", "lang": "en", "item": {"id": "x:1", "title": "Old title", "published": 1_790_000_000,
                                                      "provider": {"id": "p", "name": "P"}}, "story": None}
    record = {"id": "x:1", "lang": "en", "source": "tradingview", "site_url": "https://www.tradingview.com",
              "item_hash": "h", "fetched_at": 10, "updated_at": 10, "name": None, "raw": raw}
    newer = json.loads(json.dumps(record))
    newer["raw"]["item"]["title"], newer["updated_at"] = "New title", 20
    lines = tmp_path / "a.jsonl"
    with Store(load_config(config).store_path) as store:
        lines.write_text(json.dumps(record) + "\n")
        assert import_archive(store, lines).new == 1
        lines.write_text(json.dumps(newer) + "\n")
        assert import_archive(store, lines).changed == 1
        lines.write_text(json.dumps(record) + "\n")
        assert import_archive(store, lines).unchanged == 1  # older than the archived version: kept
        assert [r.title for r in store.list_stories()] == ["New title"]
        assert parse_raw(store.list_stories()[0].raw).title == "New title"


@pytest.mark.parametrize(("line", "problem"), [
    ("{not json", "line 2: Expecting property name"),
    ('["a list"]', "line 2: not a JSON object but list"),
    ('{"id": "x", "lang": "en"}', "line 2: 'source' is missing or not a non-empty string"),
    ("FIRST_WITH_OTHER_ID", "line 2: 'raw' holds story"),
    ("FIRST_WITH_BAD_TITLE", "line 2: story 'x:1': title is not a string"),
])
def test_a_bad_line_is_named_and_nothing_is_imported(exported: tuple[Path, Path], tmp_path: Path,
                                                      line: str, problem: str) -> None:
    _, target = exported
    first = json.loads(target.read_text(encoding="utf-8").splitlines()[0])
    if line == "FIRST_WITH_OTHER_ID":
        line = json.dumps({**first, "id": "someone-else"})
    elif line == "FIRST_WITH_BAD_TITLE":
        line = json.dumps({**first, "id": "x:1", "raw": {"api": "news-flow", "item": {"id": "x:1", "title": 5}}})
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(first) + "\n" + line + "\n", encoding="utf-8")
    fresh = make_site(tmp_path / "fresh")
    result = newsdesk(fresh, "import", str(bad))
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert message.startswith(f"error: {bad} {problem}") and message.endswith("; nothing was imported"), message
    assert table(fresh, "SELECT COUNT(*) FROM stories") == [(0,)]


def test_missing_input_and_missing_archive_are_usage_errors(tmp_path: Path) -> None:
    config = make_site(tmp_path / "site")
    result = newsdesk(config, "import", str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 2 and "cannot read" in result.stderr and "No such file" in result.stderr
    exported_ = newsdesk(config, "export", str(tmp_path / "out.jsonl"))
    assert exported_.exit_code == 2 and "there is no archive at" in exported_.stderr
    assert not (tmp_path / "out.jsonl").exists()


def big_story(n: int) -> dict:
    body = [{"type": "p", "children": [f"Paragraph {k} of story {n}: " + "words and more words " * 12]}
            for k in range(40)]
    item = {"id": f"big:{n}", "title": f"Story {n}", "published": 1_790_000_000 + n,
            "provider": {"id": "p", "name": "P"}, "storyPath": f"/news/big:{n}/"}
    return {"api": "news-flow", "lang": "en", "item": item,
            "story": {**item, "language": "en", "ast_description": {"type": "root", "children": body}}}


def test_export_and_import_stream(tmp_path: Path) -> None:
    """Peak traced memory stays far below the size of the data (1,500 stories, about 15 MB)."""
    source, target = make_site(tmp_path / "a"), make_site(tmp_path / "b")
    with Store(load_config(source).store_path) as store, store.atomic():
        for n in range(1500):
            raw = big_story(n)
            store.upsert(parse_raw(raw), raw, f"h{n}", "test")
    dump = tmp_path / "dump.jsonl"
    with Store(load_config(source).store_path) as store:
        tracemalloc.start()
        try:
            assert export_archive(store, dump) == 1500
            export_peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    with Store(load_config(target).store_path) as store:
        tracemalloc.start()
        try:
            assert import_archive(store, dump).new == 1500
            import_peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    size = dump.stat().st_size
    assert size > 14_000_000
    assert export_peak < size / 20 and import_peak < size / 20, (export_peak, import_peak, size)
