"""Market facts in a post's front matter: ``facts:`` (the tuples) and ``key_figures:`` (their phrases),
valid YAML for any content; the ``[facts] enabled`` switch; what publish hands the extractor."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import yaml
from fact_strategies import facts
from hypothesis import given
from hypothesis import strategies as st
from strategies import fuzz_settings

from newsdesk.config import load_config, parse_config
from newsdesk.errors import ConfigError
from newsdesk.facts import Fact, extract
from newsdesk.facts.display import key_figures
from newsdesk.model import Story
from newsdesk.publish import fingerprint, publish
from newsdesk.render import render_post
from newsdesk.site.scaffold import config_text, init_site
from newsdesk.sources.tradingview import parse_raw
from newsdesk.store import Store

#: What no XML 1.0 document may hold: yaml_str drops it (see test_frontmatter.py).
XML_INVALID = {c: None for c in [*range(0x20), 0xFFFE, 0xFFFF] if chr(c) not in "\t\n\r"}

NVDA_AH = Fact("NVDA", "price_move", -4, "%", "after-hours", "down")
NVDA_EPS = Fact("NVDA", "eps", 1.86, "USD", "Q3", "beat", 1.49)


def story(**changes: object) -> Story:
    base = Story(id="desk:1:0", lang="en", title="Nvidia slides late", published=0, provider_id="desk",
                 provider_name="Desk Wire", url="https://example.com/story", symbols=("NASDAQ:NVDA",),
                 tree={"type": "root", "children": [{"type": "p", "children": ["Shares of Nvidia fell 4% after hours."]},
                                                    {"type": "p", "children": ["Second ", {"type": "b", "children": ["para"]}]}]})
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def fixed(found: Sequence[Fact]) -> Callable[..., list[Fact]]:
    """An extractor with known output."""
    def extract_facts(title: str, text: str, lang: str, symbols: Sequence[str] = ()) -> list[Fact]:
        return list(found)
    return extract_facts


def front(text: str) -> dict:
    assert text.startswith("---\n")
    return yaml.safe_load(text[4:].split("\n---\n\n", 1)[0])


def shown(value: object) -> object:
    """What a value reads back as from the front matter (strings lose what XML cannot hold)."""
    if isinstance(value, str):
        return value.translate(XML_INVALID)
    if isinstance(value, dict):
        return {k: shown(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shown(v) for v in value]
    return value


def test_facts_and_their_phrases_after_the_thumbnail() -> None:
    text = render_post(story(), extract_facts=fixed([NVDA_EPS, NVDA_AH]))
    assert ('thumbnail: ""\nfacts:\n  - {"entity": "NVDA", "metric": "eps", "value": 1.86, "unit": "USD", '
            '"period": "Q3", "comparison": "beat", "reference": 1.49, "change": null}\n') in text
    data = front(text)
    assert data["facts"] == [NVDA_EPS.to_json(), NVDA_AH.to_json()]
    assert data["key_figures"] == ["Q3 EPS $1.86 vs $1.49 expected (beat)", "Shares -4% after hours"]
    assert list(data).index("key_figures") == list(data).index("facts") + 1 == list(data).index("thumbnail") + 2


def test_phrases_in_the_story_language() -> None:
    data = front(render_post(story(lang="de"), extract_facts=fixed([NVDA_AH])))
    assert data["key_figures"] == ["Aktie -4\u00a0% nachbörslich"]


def test_no_facts_no_keys_and_switched_off_no_extraction() -> None:
    assert "facts" not in front(render_post(story(), extract_facts=fixed([])))
    assert "key_figures" not in front(render_post(story(), extract_facts=fixed([])))
    called: list[str] = []

    def counting(title: str, text: str, lang: str, symbols: Sequence[str] = ()) -> list[Fact]:
        called.append(title)
        return [NVDA_AH]

    assert "facts" not in front(render_post(story(), extract_facts=None))
    assert called == []
    assert render_post(story(), extract_facts=None) == render_post(story(), extract_facts=fixed([]))


def test_the_extractor_reads_title_plain_text_language_and_symbols() -> None:
    seen: list[tuple[str, str, str, tuple[str, ...]]] = []

    def recording(title: str, text: str, lang: str, symbols: Sequence[str] = ()) -> list[Fact]:
        seen.append((title, text, lang, tuple(symbols)))
        return []

    render_post(story(), extract_facts=recording)
    render_post(story(tree=None, digest="Withheld body, digest only."), extract_facts=recording)
    assert seen == [("Nvidia slides late", "Shares of Nvidia fell 4% after hours. Second para", "en", ("NASDAQ:NVDA",)),
                    ("Nvidia slides late", "Withheld body, digest only.", "en", ("NASDAQ:NVDA",))]


def test_a_failing_extractor_costs_the_facts_not_the_post(caplog: pytest.LogCaptureFixture) -> None:
    def broken(title: str, text: str, lang: str, symbols: Sequence[str] = ()) -> list[Fact]:
        raise ValueError("cannot parse 1,2,3")

    with caplog.at_level(logging.WARNING, logger="newsdesk.render"):
        text = render_post(story(), extract_facts=broken)
    assert "facts" not in front(text) and text == render_post(story(), extract_facts=None)
    assert "the extractor failed: cannot parse 1,2,3" in caplog.text


@fuzz_settings(200)
@given(st.lists(facts(), max_size=4), st.sampled_from(["en", "de", "es", "fr", "it", "pt"]))
def test_any_facts_give_valid_yaml_that_reads_back_as_the_tuples(found: list[Fact], lang: str) -> None:
    data = front(render_post(story(lang=lang), extract_facts=fixed(found)))
    if not found:
        assert "facts" not in data
        return
    assert data["facts"] == [shown(f.to_json()) for f in found]
    assert data["key_figures"] == [shown(p) for p in key_figures(found, lang)]
    assert data["title"] == "Nvidia slides late" and data["thumbnail"] == ""  # nothing broke out of the list


def test_config_switch(tmp_path: Path) -> None:
    assert parse_config({}).facts.enabled is True
    assert parse_config({"facts": {"enabled": False}}).facts.enabled is False
    with pytest.raises(ConfigError, match="facts.enabled: expected true or false"):
        parse_config({"facts": {"enabled": "no"}})
    with pytest.raises(ConfigError, match=r"facts.engine: unknown key \(known keys of \[facts\]: enabled\)"):
        parse_config({"facts": {"engine": "x"}})
    on, off = parse_config({}), parse_config({"facts": {"enabled": False}})
    assert fingerprint(on) != fingerprint(off)  # switching re-renders every post once


SENTENCE = "Shares of Nvidia fell 4% after hours after the chipmaker's outlook disappointed investors."


def test_publish_gives_the_posts_what_the_extractor_finds_unless_switched_off(tmp_path: Path) -> None:
    init_site(tmp_path, text=config_text(languages=("en",)))
    config = load_config(tmp_path / "newsdesk.toml")
    item = {"id": "wire:1/x:0", "title": "Nvidia slides late", "published": 1_793_000_000,
            "provider": {"id": "wire", "name": "Example Wire"}, "storyPath": "/news/wire:1/x:0-nvidia/",
            "relatedSymbols": [{"symbol": "NASDAQ:NVDA"}]}
    raw = {"api": "news-flow", "lang": "en", "item": item,
           "story": {**item, "language": "en", "short_description": "Short.",
                     "ast_description": {"type": "root", "children": [{"type": "p", "children": [SENTENCE]}]}}}
    with Store(config.store_path) as store:
        parsed = parse_raw(raw)
        store.upsert(parsed, raw, "h1", "test")
        path = publish(config, store).written[0]
        expected = extract(parsed.title, SENTENCE, "en", parsed.symbols)
        assert expected == [Fact("NVDA", "price_move", -4, "%", "after-hours", "down")]
        data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        assert data["facts"] == [f.to_json() for f in expected]
        assert data["key_figures"] == ["Shares -4% after hours"]
        off = dataclasses.replace(config, facts=dataclasses.replace(config.facts, enabled=False))
        publish(off, store)
        data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        assert "facts" not in data and "key_figures" not in data
