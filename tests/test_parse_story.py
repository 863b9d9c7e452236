"""Normalisation of TradingView JSON (both field styles, both generations) into Story."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from newsdesk.errors import StoryError
from newsdesk.sources.tradingview import item_hash, parse_raw
from newsdesk.sources.tv_parse import story_from_json

FIXTURES = Path(__file__).parent / "fixtures" / "stories"
STORY_ID = "tag:wire.example,2026-05-04:newsml_Q7/ab,c:0"
STORY_PAGE = "https://www.tradingview.com/news/wire.example,2026-05-04:newsml_Q7-lantern-robotics-raises-outlook/"


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def test_v1_snake_case_story_is_normalised() -> None:
    story = story_from_json(load("story_v1_snake"))
    assert story.id == STORY_ID
    assert story.lang == "en"
    assert story.title == "Lantern Robotics raises yearly outlook as warehouse orders climb"
    assert story.published == 1777890600
    assert (story.provider_id, story.provider_name) == ("examplewire", "Example Wire")
    assert story.url == STORY_PAGE
    assert story.symbols == ("NASDAQ:LTRN", "NYSE:CRTE")  # duplicate dropped, order kept
    assert story.tags == ("Example Wire", "Stocks")
    assert story.tree is not None and story.tree["type"] == "root"
    assert story.digest.startswith("Lantern Robotics lifted")
    assert not story.gated and not story.flash
    assert "a_field_nobody_knows" not in story.extra
    assert story.extra["copyright"] == "Example Wire 2026"


def test_v1_snake_and_v2_camel_shapes_of_one_story_are_equal() -> None:
    snake = story_from_json(load("story_v1_snake"))
    camel = story_from_json(load("story_v2_camel"))
    assert snake == camel
    assert camel.provider_name == "Example Wire"


def test_provider_string_without_source_falls_back_to_the_id() -> None:
    obj = load("story_v2_camel")
    del obj["source"]
    story = story_from_json(obj)
    assert (story.provider_id, story.provider_name) == ("examplewire", "examplewire")


def test_provider_object_without_name_uses_source_then_id() -> None:
    obj = load("story_v1_snake")
    obj["provider"] = {"id": "examplewire"}
    assert story_from_json(obj).provider_name == "examplewire"
    obj["source"] = "Example Wire"
    assert story_from_json(obj).provider_name == "Example Wire"


def test_symbols_absent_or_given_as_strings() -> None:
    obj = load("story_v2_camel")
    del obj["relatedSymbols"]
    assert story_from_json(obj).symbols == ()
    obj["relatedSymbols"] = ["NYSE:CRTE", {"symbol": "NASDAQ:LTRN"}, {"logoid": "no-symbol"}, "NYSE:CRTE"]
    assert story_from_json(obj).symbols == ("NYSE:CRTE", "NASDAQ:LTRN")


def test_link_wins_over_story_path_and_missing_path_builds_one() -> None:
    flash = story_from_json(load("item_flash"))
    assert flash.url == "https://markets.example.org/copper-two-month-high"
    assert flash.flash and flash.tree is None
    obj = load("story_v1_snake")
    del obj["story_path"]
    story = story_from_json(obj, site_url="https://mirror.example/")
    assert story.url == "https://mirror.example/news/tag:wire.example,2026-05-04:newsml_Q7%2Fab,c:0/"
    assert story.site_url == "https://mirror.example"


def test_language_comes_from_the_story_then_the_requested_lang() -> None:
    obj = load("item_news_flow")
    assert story_from_json(obj, lang="de").lang == "de"
    assert story_from_json(obj).lang == "en"
    obj["language"] = "zh-Hans"
    assert story_from_json(obj, lang="de").lang == "zh-Hans"


def test_gated_item_keeps_its_digest() -> None:
    story = parse_raw({"api": "news-flow", "lang": "en", "item": load("item_gated"), "story": None})
    assert story.gated and story.tree is None
    assert story.digest == "Harbourline Shipping is exploring a sale of its tanker business…"
    paywalled = dict(load("item_news_flow"), paywall=True)
    assert story_from_json(paywalled).gated


def test_v3_answer_is_merged_with_the_list_item() -> None:
    raw = {"api": "news-flow", "lang": "en", "item": load("item_news_flow"), "story": load("story_v3_partial")}
    merged = parse_raw(raw)
    full = story_from_json(load("story_v2_camel"))
    assert merged.tree == full.tree and merged.digest == full.digest
    assert merged.id == STORY_ID and merged.published == full.published
    assert (merged.provider_id, merged.provider_name, merged.url) == (full.provider_id, full.provider_name, full.url)
    assert merged.symbols == full.symbols
    assert merged.tags == ("Example Wire",)  # neither has tags: the provider tag, as on every post


@pytest.mark.parametrize(("item", "story"), [
    ("item_news_flow", "story_v1_snake"),
    ("item_headlines", "story_v2_camel"),
    ("item_headlines", "story_v3_partial"),
])
def test_both_generations_give_the_same_story(item: str, story: str) -> None:
    raw = {"api": "x", "lang": "en", "item": load(item), "story": load(story)}
    expected = story_from_json(load("story_v1_snake"))
    got = parse_raw(raw)
    if story == "story_v3_partial":
        expected = dataclasses.replace(expected, tags=(expected.provider_name,))  # the provider tag only
    assert got == expected


def test_parse_raw_leaves_the_raw_json_untouched() -> None:
    raw = {"api": "news-flow", "lang": "en", "item": load("item_news_flow"), "story": load("story_v1_snake")}
    before = copy.deepcopy(raw)
    parse_raw(raw)
    assert raw == before


def test_item_hash_is_stable_and_sensitive() -> None:
    item = load("item_news_flow")
    reordered = dict(reversed(list(item.items())))
    assert item_hash(item) == item_hash(reordered)
    assert item_hash(item) != item_hash(dict(item, title="Lantern Robotics raises outlook again"))
    assert len(item_hash(item)) == 64


@pytest.mark.parametrize(("change", "words"), [
    ({"title": None}, "missing title"),
    ({"title": "   "}, "empty title"),
    ({"title": 12}, "title is not a string"),
    ({"published": "yesterday"}, "published is not a number"),
    ({"published": None}, "missing published"),
    ({"published": float("inf")}, "published is not a number"),
    ({"published": True}, "published is not a number"),
    ({"ast_description": ["not", "a", "tree"]}, "body tree"),
    ({"ast_description": "<p>html</p>"}, "body tree"),
    ({"related_symbols": "NASDAQ:LTRN"}, "related symbols"),
    ({"provider": 7}, "provider"),
    ({"tags": "Stocks"}, "tags"),
])
def test_invalid_stories_raise_story_error_naming_the_id(change: dict[str, Any], words: str) -> None:
    obj = load("story_v1_snake")
    obj.update(change)
    with pytest.raises(StoryError) as info:
        story_from_json(obj)
    assert info.value.story_id == STORY_ID
    assert STORY_ID in str(info.value)
    assert words in str(info.value)


def test_non_dict_json_and_missing_id_raise_story_error() -> None:
    with pytest.raises(StoryError, match="expected a JSON object"):
        story_from_json(["a", "list"])  # type: ignore[arg-type]
    with pytest.raises(StoryError, match="missing story id"):
        story_from_json({"title": "No id here", "published": 1})
    item = load("item_news_flow")
    with pytest.raises(StoryError, match="story answer is not a JSON object") as info:
        parse_raw({"api": "news-flow", "item": item, "story": "oops"})
    assert info.value.story_id == STORY_ID


# --- hostile input (issue 12): only StoryError, and what is kept can be stored and written ----

def test_gated_list_item_carries_its_provider_tag_like_every_other_story() -> None:
    item = load("item_gated")
    story = parse_raw({"api": "news-flow", "lang": "en", "item": item, "story": None})
    assert story.gated and story.tree is None
    assert story.tags == (story.provider_name,) and story.provider_name


@pytest.mark.parametrize("language", ["../../etc", "en/../x", "e", "en\x00", "<script>", "x" * 40])
def test_a_language_that_is_no_language_code_is_a_story_error(language: str) -> None:
    obj = {**load("story_v1_snake"), "language": language}
    with pytest.raises(StoryError, match="language is not a language code"):
        story_from_json(obj)


@pytest.mark.parametrize("published", [-1, 1.7e15, 10**30, 253_402_300_800])
def test_a_time_no_calendar_shows_is_a_story_error(published: float) -> None:
    with pytest.raises(StoryError, match="published is not a time"):
        story_from_json({**load("story_v1_snake"), "published": published})


def test_lone_surrogates_become_replacement_characters_in_every_field() -> None:
    obj = {**load("story_v1_snake"), "id": "a\ud800b", "title": "T\udfff", "tags": [{"title": "\ud800"}],
           "short_description": "d\ud800", "related_symbols": [{"symbol": "X:\ud800"}]}
    story = story_from_json(obj)
    assert (story.id, story.title, story.tags, story.digest, story.symbols) == (
        "a\ufffdb", "T\ufffd", ("\ufffd",), "d\ufffd", ("X:\ufffd",))


@pytest.mark.parametrize("permission", [[], {}, ["preview"], 3])
def test_odd_permission_types_are_not_gated_and_raise_nothing(permission: Any) -> None:
    story = story_from_json({**load("story_v1_snake"), "permission": permission})
    assert not story.gated


def test_error_messages_stay_short_for_huge_values() -> None:
    with pytest.raises(StoryError) as caught:
        story_from_json({**load("story_v1_snake"), "title": ["x" * 1_000_000] * 1000})
    assert len(str(caught.value)) < 300
