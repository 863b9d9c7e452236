"""Hypothesis strategies for whole stories as the service delivers them, hostile ones included.

:func:`raw_records` draws what the archive keeps of one fetched story, ``{"api", "lang", "item",
"story"}``: a list item of either API generation (news-flow camel/snake mix, legacy headlines
camelCase) and, or not, a story answer (v1 snake_case, v2 camelCase, v3 partial), each field
present, missing, of the wrong type or holding hostile text (markup, shortcodes, script URLs,
controls, lone surrogates, path-like ids, very long strings), with a body tree from
:data:`trees` (shapes the renderer must survive: every node type, junk children, deep chains,
wide nodes).

``NEWSDESK_FUZZ=<factor>`` multiplies every property's example count (``make fuzz``); the
default keeps the suite fast.
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Example-count multiplier: 1 in the suite, larger under `make fuzz`.
FUZZ_FACTOR = max(1, int(os.environ.get("NEWSDESK_FUZZ", "1") or 1))


def fuzz_settings(examples: int) -> settings:
    """Settings for a property: ``examples`` examples (times :data:`FUZZ_FACTOR`), no deadline."""
    return settings(max_examples=examples * FUZZ_FACTOR, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- text ------------------------------------------------------------------------------------

HOSTILE_SNIPPETS = [
    "<script>alert('x')</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>',
    "{{< shortcode >}}", "{{% shortcode %}}", "{{ .Site.Title }}", "[link](javascript:alert(1))",
    "![img](data:image/png;base64,AAAA)", "**bold**", "_em_", "# heading", "- item", "1. item", "> quote",
    "`code`", "```", "    indented", "---", "| a | b |", "&amp;", "&#x3C;script&#x3E;", "\\", "*", "~~",
    "../../etc/passwd", "CON", "a/b\\c", "javascript:alert(1)", "vbscript:msgbox", "data:text/html,x",
    "\x00", "\x01", "\x1b[31m", "\x7f", "\x85", "\u2028", "\ufeff", "\ufffe", "\ud800", "\udfff", "🚀",
    "\u202e", "é", "日本", "ق", " ", "\n", "\t", "\r\n",
]
ALPHABET = st.characters(codec=None, exclude_categories=())  # every code point, lone surrogates too
TEXT = st.one_of(
    st.text(alphabet=ALPHABET, max_size=20),
    st.lists(st.sampled_from(HOSTILE_SNIPPETS) | st.text(max_size=6), max_size=6).map("".join),
)
LONG_TEXT = st.builds(lambda piece, count: piece * count, st.sampled_from(["a", "é ", "<b>", "x" * 97]),
                      st.integers(min_value=100, max_value=3000))
STRINGS = st.one_of(TEXT, TEXT, LONG_TEXT)
IDS = st.one_of(
    st.sampled_from(["tag:x.example,2026:1", "../../etc/passwd:0", "CON", "a/b\\c", "nul\x00id", " ", "",
                     "x" * 2000, "..", ".", "id with spaces", "\ud800", "🚀"]),
    TEXT, st.integers(min_value=-5, max_value=10**20),
)
ODD = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.just([]), st.just({}),
                st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


def maybe(strategy: st.SearchStrategy[Any], odd_weight: int = 1) -> st.SearchStrategy[Any]:
    """Mostly ``strategy``; sometimes an odd type (None, number, list, dict ...)."""
    return st.one_of(*([strategy] * 4), *([ODD] * odd_weight))


# --- body trees ------------------------------------------------------------------------------

NODE_TYPES = ["root", "p", "b", "i", "strong", "em", "s", "u", "span", "br", "hr", "list", "*", "li", "list-item",
              "h1", "h2", "h4", "quote", "blockquote", "table", "table-row", "table-data-cell",
              "table-header-cell", "url", "a", "symbol", "story-ref", "news-image", "image", "x-unknown"]
URLS = ["https://example.com/x", "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:x", "java\tscript:x",
        "vbscript:x", "data:text/html;base64,PHNjcmlwdD4=", "data:image/png;base64,AAAA", "//evil.example/x",
        "/news/x", "mailto:a@example.com", "https://example.com/\"onmouseover=\"alert(1)", "{{< x >}}", ""]


def _node(kind: Any, children: Any, params: Any) -> dict[str, Any]:
    node: dict[str, Any] = {"type": kind, "children": children}
    if params is not None:
        node["params"] = params
    return node


PARAMS = st.one_of(
    st.none(),
    st.fixed_dictionaries({}, optional={
        "url": maybe(st.sampled_from(URLS) | TEXT), "href": maybe(st.sampled_from(URLS)),
        "linkText": maybe(TEXT), "text": maybe(TEXT), "symbol": maybe(st.sampled_from(["NASDAQ:AMZN", "X:<b>"]) | TEXT),
        "id": maybe(IDS), "storyPath": maybe(st.sampled_from(URLS) | TEXT), "alt": maybe(TEXT),
        "caption": maybe(TEXT),
        "image": maybe(st.fixed_dictionaries({"id": maybe(TEXT | st.sampled_from(["tradingview:ab-1"]))},
                                             optional={"alt": maybe(TEXT)})),
    }),
    ODD,
)


def _extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.builds(_node, maybe(st.sampled_from(NODE_TYPES), 1),
                     st.one_of(st.lists(children, max_size=4), children, ODD), PARAMS)


def _chain(depth: int, kinds: list[str], leaf: str) -> dict[str, Any]:
    node: Any = leaf
    for level in range(depth):
        node = {"type": kinds[level % len(kinds)], "children": [node, " "]}
    return {"type": "root", "children": [node]}


DEEP = st.builds(_chain, st.integers(min_value=40, max_value=700),
                 st.lists(st.sampled_from(NODE_TYPES), min_size=1, max_size=3), TEXT)
WIDE = st.builds(lambda kids, count: {"type": "root", "children": [{"type": "p", "children": kids * count}]},
                 st.lists(st.recursive(TEXT, _extend, max_leaves=3), min_size=1, max_size=3),
                 st.integers(min_value=50, max_value=400))
trees = st.one_of(
    st.recursive(TEXT, _extend, max_leaves=25).map(lambda node: {"type": "root", "children": [node]}),
    st.recursive(TEXT, _extend, max_leaves=25), DEEP, WIDE, ODD,
)


# --- list items and story answers --------------------------------------------------------------

PUBLISHED = st.one_of(st.integers(min_value=0, max_value=2_000_000_000), st.integers(), st.floats(),
                      st.sampled_from([1.7e12, -1, 253_402_300_800, 10**30]))
PROVIDER_OBJECT = st.fixed_dictionaries({}, optional={"id": maybe(TEXT), "name": maybe(STRINGS),
                                                      "logo_id": maybe(TEXT)})
SYMBOLS = st.lists(st.one_of(st.fixed_dictionaries({"symbol": maybe(TEXT | st.just("NASDAQ:AMZN"))},
                                                   optional={"logoid": maybe(TEXT)}), TEXT, ODD), max_size=4)
TAGS = st.lists(st.one_of(st.fixed_dictionaries({"title": maybe(STRINGS)},
                                                optional={"args": st.just([{"id": "provider", "value": "x"}])}),
                          TEXT, ODD), max_size=4)
LANGUAGES = st.one_of(st.sampled_from(["en", "de", "zh-Hans", "pt_BR", "../../x", "en/../x", "", "e"]), TEXT)

_COMMON: dict[str, st.SearchStrategy[Any]] = {
    "id": maybe(IDS), "title": maybe(STRINGS, 1), "published": maybe(PUBLISHED, 1), "urgency": maybe(st.integers(0, 3)),
    "permission": maybe(st.sampled_from(["headline", "preview", "full", ""])), "paywall": maybe(st.booleans()),
    "link": maybe(st.sampled_from(URLS) | TEXT),
}
NEWS_FLOW_ITEM = st.fixed_dictionaries({}, optional={
    **_COMMON, "provider": maybe(PROVIDER_OBJECT | TEXT), "storyPath": maybe(TEXT | st.sampled_from(URLS)),
    "relatedSymbols": maybe(SYMBOLS), "is_flash": maybe(st.booleans())})
HEADLINES_ITEM = st.fixed_dictionaries({}, optional={
    **_COMMON, "provider": maybe(TEXT), "source": maybe(STRINGS), "sourceLogoId": maybe(TEXT),
    "storyPath": maybe(TEXT), "relatedSymbols": maybe(SYMBOLS), "isFlash": maybe(st.booleans())})
V1_STORY = st.fixed_dictionaries({}, optional={
    **_COMMON, "provider": maybe(PROVIDER_OBJECT | TEXT), "short_description": maybe(STRINGS),
    "ast_description": maybe(trees), "story_path": maybe(TEXT), "language": maybe(LANGUAGES),
    "tags": maybe(TAGS), "copyright": maybe(TEXT), "related_symbols": maybe(SYMBOLS), "read_time": maybe(st.integers())})
V2_STORY = st.fixed_dictionaries({}, optional={
    **_COMMON, "provider": maybe(TEXT), "source": maybe(STRINGS), "shortDescription": maybe(STRINGS),
    "astDescription": maybe(trees), "storyPath": maybe(TEXT), "language": maybe(LANGUAGES), "tags": maybe(TAGS),
    "relatedSymbols": maybe(SYMBOLS)})
V3_STORY = st.fixed_dictionaries({}, optional={"title": maybe(STRINGS), "shortDescription": maybe(STRINGS),
                                               "astDescription": maybe(trees)})


def _usable(item: dict[str, Any]) -> dict[str, Any]:
    """Most drawn items get a plausible id, title and time, so rendering is reached often."""
    item.setdefault("id", "tag:x.example,2026:1")
    item.setdefault("title", "A title")
    item.setdefault("published", 1_790_000_000)
    return item


raw_records = st.one_of(
    st.builds(lambda item, story, lang: {"api": "news-flow", "lang": lang, "item": item, "story": story},
              st.one_of(NEWS_FLOW_ITEM.map(_usable), NEWS_FLOW_ITEM), st.one_of(V1_STORY, st.none(), ODD),
              st.sampled_from(["en", "de"])),
    st.builds(lambda item, story, lang: {"api": "headlines", "lang": lang, "item": item, "story": story},
              st.one_of(HEADLINES_ITEM.map(_usable), HEADLINES_ITEM), st.one_of(V2_STORY, V3_STORY, st.none(), ODD),
              st.sampled_from(["en", "es"])),
    st.builds(lambda item, story: {"item": item, "story": story}, ODD, ODD),
)
