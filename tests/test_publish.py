"""publish: only changed files are written, missing ones come back, foreign files are left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.config import Config, load_config
from newsdesk.publish import publish
from newsdesk.site.scaffold import config_text, init_site
from newsdesk.sources.tradingview import parse_raw
from newsdesk.store import Store


def raw_story(n: int, title: str | None = None, lang: str = "en") -> dict:
    item = {"id": f"wire:{n}/x:0", "title": title or f"Example Corp beats estimates, part {n}",
            "published": 1_793_000_000 + n, "provider": {"id": "wire", "name": "Example Wire"},
            "storyPath": f"/news/wire:{n}/x:0-example/"}
    story = {**item, "language": lang, "short_description": "Short.", "tags": [{"title": "Stocks"}],
             "ast_description": {"type": "root", "children": [{"type": "p", "children": [f"Body {n}."]}]}}
    return {"api": "news-flow", "lang": lang, "item": item, "story": story}


@pytest.fixture
def site(tmp_path: Path) -> tuple[Config, Store]:
    init_site(tmp_path, text=config_text(languages=("en", "de")))
    config = load_config(tmp_path / "newsdesk.toml")
    store = Store(config.store_path)
    for n in range(3):
        raw = raw_story(n)
        store.upsert(parse_raw(raw), raw, f"h{n}", "test")
    yield config, store
    store.close()


def test_first_publish_writes_all_then_nothing(site: tuple[Config, Store]) -> None:
    config, store = site
    first = publish(config, store)
    assert len(first.written) == 3 and not first.failed
    assert publish(config, store).written == []


def test_deleted_post_comes_back(site: tuple[Config, Store]) -> None:
    config, store = site
    victim = publish(config, store).written[0]
    text = victim.read_text()
    victim.unlink()
    again = publish(config, store)
    assert again.written == [victim]
    assert victim.read_text() == text


def test_foreign_file_in_the_way_is_left_alone(site: tuple[Config, Store]) -> None:
    config, store = site
    paths = publish(config, store, everything=True).written
    target = paths[1]
    store.db.execute("DELETE FROM posts WHERE path = ?", (target.name,))  # as if newsdesk never wrote it
    target.write_text("my own notes\n")
    report = publish(config, store, everything=True)
    assert [f[0] for f in report.failed] == ["wire:1/x:0"]
    assert "did not write" in report.failed[0][2]
    assert target.read_text() == "my own notes\n"


def test_settings_change_republishes_everything(site: tuple[Config, Store], tmp_path: Path) -> None:
    config, store = site
    publish(config, store)
    cfg_file = tmp_path / "newsdesk.toml"
    cfg_file.write_text(cfg_file.read_text().replace('sidebar = "right"', 'sidebar = "left"'))
    changed = publish(load_config(cfg_file), store)
    assert len(changed.written) == 3
    assert all('sidebar: "left"' in p.read_text() for p in changed.written)


def test_files_are_named_once_and_shared_by_languages(site: tuple[Config, Store]) -> None:
    config, store = site
    publish(config, store)
    raw = raw_story(0, title="Example Corp übertrifft die Erwartungen", lang="de")
    store.upsert(parse_raw(raw), raw, "hde", "test")
    written = sorted(p.name for p in publish(config, store).written)
    assert len(written) == 2  # the German post, and the English one whose translations grew
    stems = {name.rsplit(".", 2)[0] for name in written}
    assert len(stems) == 1 and "example-corp-beats-estimates" in stems.pop()
    assert 'translations:\n  - "de"\n  - "en"' in (config.content_dir / written[1]).read_text()


def test_crash_between_write_and_manifest_adopts_the_identical_file(site: tuple[Config, Store]) -> None:
    config, store = site
    written = publish(config, store).written
    target = written[0]
    store.db.execute("DELETE FROM posts WHERE path = ?", (target.name,))  # the manifest row never landed
    store.db.execute("UPDATE stories SET dirty = 1")  # nor the clean mark
    report = publish(config, store)
    assert report.written == [] and report.failed == []
    assert target.name in store.manifest()
