"""Whole hostile stories: parse -> render -> front matter raises nothing but StoryError.

The strategies (tests/strategies.py) draw the raw records both API generations deliver, with odd
types, missing fields and hostile text. ``make fuzz`` runs these with many more examples.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from hypothesis import given
from strategies import fuzz_settings, raw_records
from strategies import trees as body_trees

from newsdesk import safejson
from newsdesk.errors import StoryError
from newsdesk.model import Story, plain_text
from newsdesk.render import post_name, render_post
from newsdesk.render.markdown import render_markdown
from newsdesk.sources.tv_parse import TV_LINKS, parse_raw
from newsdesk.store import Store

#: What yaml_str drops (XML 1.0 cannot hold it) and what it replaces (lone surrogates).
XML_INVALID: dict[int, Any] = {c: None for c in [*range(0x20), 0xFFFE, 0xFFFF] if chr(c) not in "\t\n\r"}
XML_INVALID.update({c: "\ufffd" for c in range(0xD800, 0xE000)})


def _parse(raw: Any) -> Story | None:
    try:
        return parse_raw(raw)
    except StoryError:
        return None


def _check_post(story: Story) -> None:
    text = render_post(story)
    text.encode("utf-8")  # strict: no lone surrogate reaches a file
    assert text.startswith("---\n") and text.endswith("\n") and not text.endswith("\n\n")
    head, _body = text[4:].split("\n---\n\n", 1)
    data = yaml.safe_load(head)
    assert data["title"] == story.title.translate(XML_INVALID)
    assert isinstance(data["tags"], list) and all(isinstance(tag, str) for tag in data["tags"])
    name = post_name(story.id, story.title)
    assert name and len(name) <= 71 and name.isprintable() and not set(name) & set('/\\:*?"<>|')


@fuzz_settings(150)
@given(raw_records)
def test_any_raw_record_parses_to_a_story_or_a_story_error_and_renders(raw: Any) -> None:
    story = _parse(raw)
    if story is not None:
        _check_post(story)


@fuzz_settings(60)
@given(raw_records)
def test_archived_through_json_the_same_story_comes_back_and_renders(raw: Any) -> None:
    """What the fetch stores (safejson) reads back into the same story, and is stored without error."""
    text = safejson.dumps(raw)
    text.encode("utf-8")
    again = safejson.loads(text.encode("utf-8"))
    story = _parse(again)
    if story is None:
        return
    assert _parse(safejson.loads(safejson.dumps(again))) == story
    with Store(":memory:") as store:
        store.upsert(story, again, "hash", "tv")
        (row,) = store.all_rows()
        assert parse_raw(row.raw) == story
    _check_post(story)


@fuzz_settings(100)
@given(body_trees)
def test_any_tree_renders_and_gives_plain_text(tree: Any) -> None:
    markdown = render_markdown(tree if isinstance(tree, dict) else {"type": "root", "children": [tree]},
                               site_url="https://www.tradingview.com", links=TV_LINKS)
    markdown.encode("utf-8")
    assert isinstance(plain_text(tree if isinstance(tree, (dict, str)) else None), str)
    json.dumps(safejson.loads(safejson.dumps(tree)))
