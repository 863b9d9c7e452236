"""The bundled sample archive: its size and the coverage every later stage relies on.

Each edge case the sources, renderers and site must survive is asserted here, so that editing or
regenerating the archive cannot silently drop one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsdesk.errors import ConfigError
from newsdesk.model import BLOCK_TYPES, plain_text
from newsdesk.sample import iter_nodes, load_archive, record_problem, sample_archive_path

Record = dict[str, Any]

INLINE_TYPES = {"b", "i", "url", "a", "symbol", "story-ref", "strong", "em", "u", "s"}
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF]")
CJK = re.compile("[\u3400-\u9fff]")
IMAGE_ID = re.compile(r"^[A-Za-z0-9:._-]+-[0-9a-f]{32}$")


@pytest.fixture(scope="module")
def records() -> list[Record]:
    return load_archive()


def versions(records: list[Record]) -> Iterator[tuple[Record, str, dict[str, Any]]]:
    for record in records:
        for lang, version in record["versions"].items():
            yield record, lang, version


def all_nodes(records: list[Record]) -> Iterator[tuple[Record, dict[str, Any]]]:
    for record, _lang, version in versions(records):
        for node in iter_nodes(version["ast_description"]):
            yield record, node


def text_leaves(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for child in node.get("children") or ():
            yield from text_leaves(child)


def test_archive_is_bundled_in_the_package_with_enough_stories(records: list[Record]) -> None:
    path = sample_archive_path()
    assert path.parts[-3:] == ("newsdesk", "data", "sample")
    files = sorted((path / "stories").glob("*.json"))
    assert len(files) == len(records) >= 44
    assert all(re.fullmatch(r"\d{3}\.json", f.name) for f in files)
    assert len({r["id"] for r in records}) == len(records)
    assert all(record_problem(r) is None for r in records)


def test_records_come_newest_first(records: list[Record]) -> None:
    assert [r["published"] for r in records] == sorted((r["published"] for r in records), reverse=True)


def test_dates_are_fixed_past_and_spread_over_weeks(records: list[Record]) -> None:
    start = dt.datetime(2026, 10, 1, tzinfo=dt.timezone.utc).timestamp()
    cutoff = dt.datetime(2026, 11, 24, tzinfo=dt.timezone.utc).timestamp()
    published = [r["published"] for r in records]
    assert all(start <= p < cutoff for p in published)
    assert max(published) - min(published) >= 5 * 7 * 86400
    assert len({dt.datetime.fromtimestamp(p, dt.timezone.utc).date() for p in published}) >= 25


def test_several_providers_including_the_house_one(records: list[Record]) -> None:
    providers = {r["provider"]["id"]: r["provider"] for r in records}
    assert len(providers) >= 4
    assert providers["tradingview"]["name"] == "TradingView"
    assert all(p.get("logo_id") for p in providers.values())


def test_languages_and_real_translations(records: list[Record]) -> None:
    trilingual = [r for r in records if {"en", "de", "es"} <= set(r["versions"])]
    assert len(trilingual) >= 3
    for record in trilingual:
        titles = {lang: record["versions"][lang]["title"] for lang in ("en", "de", "es")}
        assert len(set(titles.values())) == 3, titles
        words = {lang: plain_text(record["versions"][lang]["ast_description"]) for lang in titles}
        assert len(set(words.values())) == 3
    assert any("en" not in r["versions"] for r in records)  # a story only in another language
    assert any("zh-Hans" in r["versions"] for r in records)


def test_every_body_node_type_is_covered(records: list[Record]) -> None:
    kinds = Counter(node["type"] for _, node in all_nodes(records))
    required = {"root", "p", "list", "*", "b", "i", "url", "a", "symbol", "news-image", "image", "table",
                "table-header", "table-head", "table-body", "table-row", "table-header-cell", "table-data-cell",
                "story-ref", "h2", "h3", "quote", "br", "hr"}
    assert required <= set(kinds), required - set(kinds)
    unknown = set(kinds) - BLOCK_TYPES - INLINE_TYPES
    assert unknown, "an unknown node type must stay in the archive"


def test_node_shapes(records: list[Record]) -> None:
    nodes = [node for _, node in all_nodes(records)]
    assert any(n["type"] == "*" and any(isinstance(c, dict) and c["type"] == "list" for c in n["children"])
               for n in nodes), "a nested list"
    assert any(n["type"] == "*" and any(isinstance(c, dict) and c["type"] == "p" for c in n["children"])
               for n in nodes), "a list item holding p blocks"
    assert any(n["type"] == "quote" and any(isinstance(c, dict) for c in n["children"]) for n in nodes)
    for node in nodes:
        params = node.get("params", {})
        if node["type"] == "url":
            assert params["url"].startswith("https://") and params["linkText"]
        elif node["type"] == "a":
            assert params["href"].startswith("https://") and node["children"]
        elif node["type"] == "symbol":
            assert re.fullmatch(r"[A-Z]+:[A-Z0-9!.]+", params["symbol"]) and params["text"]
    assert any(v["ast_description"] and " " in v["ast_description"]["children"] for _, _, v in versions(records)), \
        "bare ' ' strings between root blocks"


def test_images_keep_stable_ids(records: list[Record]) -> None:
    images = [node for _, node in all_nodes(records) if node["type"] == "news-image"]
    captions = [bool(node["children"]) for node in images]
    assert True in captions and False in captions
    for node in images:
        image = node["params"]["image"]
        assert set(image) == {"id", "alt", "source-width", "source-height", "bg-color"}
        assert IMAGE_ID.fullmatch(image["id"]), image["id"]
        assert image["source-width"] > 0 and image["source-height"] > 0
    legacy = [node["params"] for _, node in all_nodes(records) if node["type"] == "image"]
    assert any("url" in p for p in legacy) and any(isinstance(p.get("image"), str) for p in legacy)
    assert all(IMAGE_ID.fullmatch(p["image"]) for p in legacy if "image" in p)


def test_story_refs_point_at_other_sample_stories(records: list[Record]) -> None:
    by_id = {r["id"]: r for r in records}
    refs = [(record, node) for record, node in all_nodes(records) if node["type"] == "story-ref"]
    assert len(refs) >= 3
    for record, node in refs:
        target = by_id[node["params"]["id"]]
        assert target is not record
        assert node["params"]["story_path"] == target["story_path"]
        assert "".join(text_leaves(node)).strip()


def test_gated_flash_and_withheld_stories(records: list[Record]) -> None:
    assert any(r.get("paywall") is True for r in records)
    assert any(r.get("permission") == "preview" for r in records)
    flashes = [r for r in records if r.get("is_flash")]
    assert len(flashes) >= 2 and all(r["urgency"] == 1 for r in flashes)
    assert any(v["ast_description"] is None for r in flashes for v in r["versions"].values())
    withheld = [v for r, _, v in versions(records)
                if v["ast_description"] is None and not r.get("is_flash") and not r.get("paywall")]
    assert withheld and all(v["short_description"] for v in withheld)


def test_long_and_short_bodies(records: list[Record]) -> None:
    counts = [len(plain_text(v["ast_description"]).split()) for _, _, v in versions(records)
              if v["ast_description"]]
    assert max(counts) >= 2000
    assert min(counts) <= 10


def test_awkward_titles(records: list[Record]) -> None:
    titles = [v["title"] for _, _, v in versions(records)]
    assert any('"' in t for t in titles) and any("'" in t for t in titles)
    assert any(":" in t for t in titles) and any("\n" in t for t in titles)
    assert any(EMOJI.search(t) and re.search("[A-Za-z]", t) for t in titles)
    assert any(re.fullmatch(r"[\s\U0001F000-\U0001FAFF]+", t) for t in titles), "an emoji-only title"
    assert any(CJK.search(t) and not re.search(r"[A-Za-z0-9]", t) for t in titles), "a CJK-only title"
    en_titles = Counter(r["versions"]["en"]["title"] for r in records if "en" in r["versions"])
    assert any(n >= 2 for n in en_titles.values()), "two stories with the same title"


def test_awkward_ids_symbols_and_paths(records: list[Record]) -> None:
    ids = [r["id"] for r in records]
    assert any("/" in i and "," in i and i.startswith("tag:") for i in ids)
    symbols = {s["symbol"] for r in records for s in r.get("related_symbols", [])}
    assert {"NASDAQ:AMZN", "HKEX:1810"} <= symbols
    assert any("related_symbols" not in r for r in records)
    for record in records:
        stem = "/news/" + record["id"].removeprefix("tag:")
        path = record["story_path"]
        assert path == stem + "/" or (path.startswith(stem + "-") and path.endswith("/")), path
    assert any(r["story_path"] == "/news/" + r["id"] + "/" for r in records), "a path without slug"
    linked = [r for r in records if r.get("link")]
    assert linked and all(r["link"].startswith("https://") for r in linked)


def test_text_with_markup_characters(records: list[Record]) -> None:
    leaves = [leaf for _, _, v in versions(records) for leaf in text_leaves(v["ast_description"])]
    text = "\n".join(leaves)
    for needle in ("*", "_", "<script", "[x]", "`"):
        assert needle in text, needle
    assert any(leaf.startswith("#") for leaf in leaves)
    assert any(re.match(r"1\. ", leaf) for leaf in leaves)


def test_markets_countries_and_tags(records: list[Record]) -> None:
    markets = {m for r in records for m in r["markets"]}
    assert {"stock", "etf", "crypto", "forex", "index", "futures", "corp_bond", "economic"} <= markets
    assert all(re.fullmatch(r"[A-Z]{2}", c) for r in records for c in r["countries"])
    for record, _lang, version in versions(records):
        assert isinstance(version["short_description"], str)
        assert version["tags"][0] == {"title": record["provider"]["name"],
                                      "args": [{"id": "provider", "value": record["provider"]["id"]}]}


def test_a_broken_archive_is_refused_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "stories").mkdir()
    (tmp_path / "stories" / "001.json").write_text('{"id": "x:1:0"}', encoding="utf-8")
    with pytest.raises(ConfigError, match="001.json"):
        load_archive(tmp_path)
    with pytest.raises(ConfigError, match="not a sample archive"):
        load_archive(tmp_path / "missing")
