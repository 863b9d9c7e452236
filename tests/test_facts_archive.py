"""Market facts kept in the archive: extracted once per story version and extractor version."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from newsdesk.config import load_config
from newsdesk.facts import Fact, archive, extract
from newsdesk.publish import publish
from newsdesk.render.facts_front import facts_front_matter
from newsdesk.site.scaffold import config_text, init_site
from newsdesk.sources.tradingview import parse_raw
from newsdesk.store import Store

SENTENCE = "Shares of Nvidia fell 4% after hours after the chipmaker's outlook disappointed investors."
OTHER = "Shares of Nvidia rose 2.5% after hours as the chipmaker lifted its outlook."


def raw_story(n: int, sentence: str = SENTENCE) -> dict[str, Any]:
    item = {"id": f"wire:{n}/x:0", "title": "Nvidia moves late", "published": 1_793_000_000 + n,
            "provider": {"id": "wire", "name": "Example Wire"}, "storyPath": f"/news/wire:{n}/x:0-nvidia/",
            "relatedSymbols": [{"symbol": "NASDAQ:NVDA"}]}
    return {"api": "news-flow", "lang": "en", "item": item,
            "story": {**item, "language": "en", "short_description": "Short.",
                      "ast_description": {"type": "root", "children": [{"type": "p", "children": [sentence]}]}}}


class Counting:
    """The real extractor, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, title: str, text: str, lang: str, symbols: Sequence[str] = ()) -> list[Fact]:
        self.calls += 1
        return extract(title, text, lang, symbols)


@pytest.fixture()
def counting(monkeypatch: pytest.MonkeyPatch) -> Counting:
    spy = Counting()
    monkeypatch.setattr(archive, "extract", spy)
    return spy


def facts_in(path: Path) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1]).get("facts") or [])


def test_fill_extracts_each_story_once_and_publish_reads_them(tmp_path: Path, counting: Counting) -> None:
    init_site(tmp_path, text=config_text(languages=("en",)))
    config = load_config(tmp_path / "newsdesk.toml")
    with Store(config.store_path) as store:
        for n in range(3):
            store.upsert(parse_raw(raw_story(n)), raw_story(n), f"h{n}", "test")
        assert archive.fill(store, facts_front_matter) == 3 and counting.calls == 3
        assert archive.fill(store, facts_front_matter) == 0 and counting.calls == 3  # nothing left to do
        written = publish(config, store, everything=True).written
        assert counting.calls == 3  # publish read them from the archive
        assert [f["metric"] for f in facts_in(written[0])] == ["price_move"]
        publish(config, store, everything=True)
        assert counting.calls == 3

        changed = raw_story(1, OTHER)  # a new version of one story: its facts are extracted again
        store.upsert(parse_raw(changed), changed, "h1b", "test")
        assert archive.fill(store, facts_front_matter) == 1 and counting.calls == 4
        path = next(p for p in publish(config, store).written)
        assert facts_in(path)[0]["value"] == 2.5


def test_publish_extracts_what_the_archive_lacks_and_keeps_it(tmp_path: Path, counting: Counting) -> None:
    init_site(tmp_path, text=config_text(languages=("en",)))
    config = load_config(tmp_path / "newsdesk.toml")
    with Store(config.store_path) as store:
        store.upsert(parse_raw(raw_story(0)), raw_story(0), "h0", "test")  # as `import` leaves it: no facts
        path = publish(config, store).written[0]
        assert counting.calls == 1 and facts_in(path)[0]["value"] == -4
        assert archive.fill(store, facts_front_matter) == 0  # publish kept what it extracted
        publish(config, store, everything=True)
        assert counting.calls == 1


def test_a_new_extractor_means_extracting_again(tmp_path: Path, counting: Counting,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(tmp_path / "newsdesk.db") as store:
        store.upsert(parse_raw(raw_story(0)), raw_story(0), "h0", "test")
        assert archive.fill(store, facts_front_matter) == 1
        story = parse_raw(raw_story(0))
        cached = archive.Cached(store, facts_front_matter)
        first = cached(story)
        assert (cached.hits, cached.misses) == (1, 0) and "key_figures:\n  - \"Shares -4% after hours\"\n" in first
        assert first == facts_front_matter(extract(story.title, SENTENCE, "en", story.symbols), "en")
        kept = archive.kept_facts(store, story.id, "en")
        assert kept is not None and kept[0].value == -4
        store.db.execute("UPDATE story_facts SET facts = '[{\"entity\": 1'")
        assert archive.kept_facts(store, story.id, "en") is None  # damaged
        monkeypatch.setattr(archive, "engine_version", lambda: "another-engine")
        assert archive.kept_facts(store, story.id, "en") is None  # another extractor
        assert archive.fill(store, facts_front_matter) == 1 and counting.calls == 2
        again = archive.Cached(store, facts_front_matter)
        assert again(story) == first and again.hits == 1
        assert archive.kept_facts(store, story.id, "en") == kept


def test_the_engine_version_follows_the_extractors_files() -> None:
    version = archive.engine_version()
    assert len(version) == 16 and version == archive.engine_version()
    files = {p.name for p in Path(archive.__file__).parent.glob("*.py")}
    assert "engine.py" in files  # the digest covers the engine; scoring and phrases are left out
    assert not any(name.startswith(archive._NOT_ENGINE) for name in ("engine.py", "numbers.py", "rules.py"))


def test_a_story_that_no_longer_parses_gets_no_facts_and_does_not_stop_fill(tmp_path: Path) -> None:
    with Store(tmp_path / "newsdesk.db") as store:
        good = raw_story(0)
        store.upsert(parse_raw(good), good, "h0", "test")
        bad = copy.deepcopy(raw_story(1))
        store.upsert(parse_raw(bad), bad, "h1", "test")
        store.db.execute("UPDATE stories SET raw = '{\"api\": 42}' WHERE id = ?", ("wire:1/x:0",))
        assert archive.fill(store, facts_front_matter) == 2
        rows = {r[0]: r[1:] for r in store.db.execute("SELECT id, facts, front FROM story_facts")}
        assert rows["wire:1/x:0"] == ("[]", "") and rows["wire:0/x:0"][1].startswith("facts:\n")


def test_the_fetch_step_keeps_the_facts_unless_they_are_switched_off(tmp_path: Path, counting: Counting) -> None:
    import dataclasses

    from newsdesk.runner import keep_facts

    init_site(tmp_path, text=config_text(languages=("en",)))
    config = load_config(tmp_path / "newsdesk.toml")
    with Store(config.store_path) as store:
        store.upsert(parse_raw(raw_story(0)), raw_story(0), "h0", "test")
        keep_facts(dataclasses.replace(config, facts=dataclasses.replace(config.facts, enabled=False)), store)
        assert counting.calls == 0 and archive.kept_facts(store, "wire:0/x:0", "en") is None
        keep_facts(config, store)
        assert counting.calls == 1 and archive.kept_facts(store, "wire:0/x:0", "en") is not None


def test_alerts_read_the_kept_facts(tmp_path: Path, counting: Counting) -> None:
    from newsdesk.alerts_match import Facts

    with Store(tmp_path / "newsdesk.db") as store:
        store.upsert(parse_raw(raw_story(0)), raw_story(0), "h0", "test")
        archive.fill(store, facts_front_matter)
        facts = Facts(parse_raw(raw_story(0)), "test", store=store)
        assert [f.metric for f in facts.market_facts] == ["price_move"] and counting.calls == 1
        assert Facts(parse_raw(raw_story(0)), "test").market_facts == facts.market_facts  # no archive: extracted
        assert counting.calls == 2


def test_a_long_fill_logs_its_progress_and_ends_between_batches_when_asked_to_stop(
        tmp_path: Path, counting: Counting, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(archive, "FILL_BATCH", 2)
    ticks = iter(range(0, 1000, 20))  # every batch is 20 s after the one before: a progress line each
    with Store(tmp_path / "newsdesk.db") as store:
        for n in range(7):
            store.upsert(parse_raw(raw_story(n)), raw_story(n), f"h{n}", "test")
        asked = iter([False, False, True])
        with caplog.at_level("INFO", logger="newsdesk.facts"):
            done = archive.fill(store, facts_front_matter, stop=lambda: next(asked), clock=lambda: next(ticks))
        assert done == 4 and counting.calls == 4  # two batches, then the stop
        lines = [r.getMessage() for r in caplog.records]
        assert "market facts: extracted 2 of 7 stories" in lines and "market facts: extracted 4 of 7 stories" in lines
        assert any("stopped after 4 stories" in line for line in lines)
        assert archive.fill(store, facts_front_matter) == 3 and counting.calls == 7  # the next run does the rest
