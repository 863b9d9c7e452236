"""safejson: any depth decodes (or fails cleanly), depth is clamped with the text kept, no lone surrogates."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import fuzz_settings

from newsdesk import safejson
from newsdesk.safejson import MAX_DEPTH, MAX_NESTING, JSONDepthError


def depth(obj: Any) -> int:
    deepest, stack = 0, [(obj, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def deep_tree(levels: int) -> str:
    return ('{"type":"root","children":[' + '{"type":"p","children":["w ",' * levels + '"end"'
            + "]}" * levels + "]}")


def test_ten_thousand_levels_decode_clamped_with_every_word_kept() -> None:
    obj = safejson.loads(deep_tree(10_000).encode())
    assert depth(obj) <= MAX_DEPTH
    words = safejson.flat_text(obj).split()
    assert words.count("w") == 10_000 and words[-1] == "end"
    json.dumps(obj)  # downstream json.dumps no longer recurses too deep


def test_a_million_brackets_fail_cleanly() -> None:
    with pytest.raises(JSONDepthError, match=f"deeper than {MAX_NESTING}"):
        safejson.loads(b"[" * 1_000_000)


@pytest.mark.parametrize("bad", [b"[" * 5000 + b"]" * 4999, b"[" * 5000 + b"]" * 5000 + b"x", b'{"a":' * 3000,
                                 b"[" * 3000 + b"tru" + b"]" * 3000, b"[" * 3000 + b"1,]" + b"]" * 2999])
def test_deep_malformed_documents_raise_value_error(bad: bytes) -> None:
    with pytest.raises(ValueError):
        safejson.loads(bad)


def test_lone_surrogates_become_replacement_characters_everywhere() -> None:
    obj = safejson.loads(b'{"title": "a\\ud800b", "\\udc00k": ["\\ud83d\\ude80", "\\udfff"]}')
    assert obj == {"title": "a\ufffdb", "\ufffdk": ["\U0001f680", "\ufffd"]}
    json.dumps(obj, ensure_ascii=False).encode("utf-8")


def test_deep_document_with_a_surrogate_is_both_clamped_and_fixed() -> None:
    obj = safejson.loads("[" * 3000 + '"\\ud800"' + "]" * 3000)
    assert depth(obj) <= MAX_DEPTH and "\ud800" not in json.dumps(obj, ensure_ascii=False)


def test_dumps_always_encodes() -> None:
    deep: Any = "x"
    for _ in range(5000):
        deep = [deep]
    text = safejson.dumps({"a": "\ud800", "deep": deep, "when": {1, 2}.__class__.__name__})
    text.encode("utf-8")
    assert json.loads(text)["a"] == "\ufffd"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=30)


@fuzz_settings(100)
@given(json_values, st.integers(min_value=0, max_value=3))
def test_explicit_stack_parser_agrees_with_json(value: Any, indent: int) -> None:
    text = json.dumps(value, indent=indent or None)
    parsed = safejson._Parser(text).parse()
    assert parsed == json.loads(text) or (isinstance(value, float) and math.isnan(value))


@fuzz_settings(100)
@given(st.text(max_size=40))
def test_parser_rejects_what_json_rejects(text: str) -> None:
    try:
        expected: Any = json.loads(text)
    except ValueError:
        with pytest.raises(ValueError):
            safejson._Parser(text).parse()
        return
    assert repr(safejson._Parser(text).parse()) == repr(expected)
