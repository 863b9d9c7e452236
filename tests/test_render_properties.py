"""Properties of the renderer over generated trees, titles and tags."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from strategies import fuzz_settings

from newsdesk.model import Links, Story, plain_text
from newsdesk.render.frontmatter import front_matter, yaml_str
from newsdesk.render.inline import _INLINE_HAZARD, escape_inline, hazard_free
from newsdesk.render.markdown import render_markdown
from newsdesk.render.post import _term, post_name, render_post, summary_text
from newsdesk.sources.tv_parse import TV_LINKS

PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])

# Letters, digits, spaces and every character that means something in Markdown, plus some
# non-ASCII letters, a combining mark, an emoji and control characters.
ALPHABET = "ab Z09 *_[]#<>!|~\\`&;:.()-+={}\"'/\n\t\r" + "é日ق\u0301🚀\x00\x01\x0b\x85\u200d\u2028\xa0"
TEXT = st.text(alphabet=ALPHABET, max_size=12)
WORD = st.text(alphabet=ALPHABET, min_size=1, max_size=8).filter(lambda s: not s.isspace())
BLOCK_TYPES = ["root", "p", "list", "*", "li", "h1", "h3", "h6", "quote", "blockquote", "table",
               "table-header", "table-head", "table-body", "table-row", "table-header-cell",
               "table-data-cell", "hr", "br", "x-unknown"]
INLINE_TYPES = ["b", "i", "strong", "em", "u", "s", "span"]
URLS = ["https://example.com/a b", "javascript:alert(1)", "/news/x", "mailto:desk@example.com",
        "http://example.com/%zz(1)", "data:text/html,hi", ""]


def _node(kind: str, children: list[Any], params: dict[str, Any] | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"type": kind, "children": children}
    if params is not None:
        node["params"] = params
    return node


def _extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    kids = st.lists(children, max_size=4)
    return st.one_of(
        st.builds(_node, st.sampled_from(BLOCK_TYPES + INLINE_TYPES), kids),
        st.builds(lambda word, rest, url, kind: _node(kind, [word, *rest], {"url": url, "href": url}),
                  WORD, kids, st.sampled_from(URLS), st.sampled_from(["url", "a"])),
        st.builds(lambda word, rest, sym: _node("symbol", [word, *rest], {"symbol": sym}),
                  WORD, kids, st.sampled_from(["NASDAQ:AMZN", "HKEX:1810", "X:a b"])),
        st.builds(lambda word, rest, path: _node("story-ref", [word, *rest], {"id": "x:1", "storyPath": path}),
                  WORD, kids, st.sampled_from(["/news/x:1-a/", "javascript:x", ""])),
        st.builds(lambda rest, image_id, kind: _node(kind, rest, {"image": {"id": image_id, "alt": ""}}),
                  kids, st.sampled_from(["tradingview:ab-12", "a b%/c"]), st.sampled_from(["news-image", "image"])),
    )


TREES = st.recursive(TEXT, _extend, max_leaves=24).map(lambda node: _node("root", [node, " "]))
#: The URL shapes of TradingView, of a source without symbol pages or image ids, and of another.
LINKS = st.sampled_from([TV_LINKS, Links(), Links(symbol="{site}/q/{symbol}", image="/img/{id}.png")])


def _leaves(node: Any, out: list[str]) -> None:
    if isinstance(node, str):
        out.append(node)
    elif isinstance(node, dict):
        for child in node.get("children", []):
            _leaves(child, out)


#: C0 controls but tab, line breaks and NUL, and U+FFFE/U+FFFF: no XML document may hold them.
DROPPED = {c: None for c in [*range(1, 9), *range(14, 32), 0xFFFE, 0xFFFF]}


def _squash(text: str) -> str:
    return "".join(text.replace("\x00", "\ufffd").translate(DROPPED).split())


def _shown_text(tokens: list[Token], out: list[str]) -> None:
    for token in tokens:
        assert token.type not in ("html_block", "html_inline", "code_block", "fence"), token
        if token.type == "link_open":
            href = token.attrGet("href")
            assert isinstance(href, str)
            assert not href.lower().startswith(("javascript:", "data:")), href
        if token.type == "image":
            continue  # alt text: the generated trees have none
        if token.type in ("text", "code_inline"):
            out.append(token.content)
        if token.children:
            _shown_text(token.children, out)


@fuzz_settings(400)
@given(TREES, LINKS)
def test_every_text_leaf_shows_exactly_once(tree: dict[str, Any], links: Links) -> None:
    """The text markdown-it shows (text tokens, outside image alt) is the tree's text leaves in
    order, compared without whitespace: whitespace at block edges is not content, while a stray
    ``*``, a swallowed ``<...>`` or a line turned into a code block all change the sequence. Link
    and symbol nodes always carry a text leaf, so no fallback text from params appears."""
    markdown = render_markdown(tree, site_url="https://www.tradingview.com", links=links)
    expected: list[str] = []
    _leaves(tree, expected)
    shown: list[str] = []
    _shown_text(PARSER.parse(markdown), shown)
    assert _squash("".join(shown)) == _squash("".join(expected)), markdown


JUNK = st.recursive(
    st.one_of(st.text(max_size=6), st.integers(), st.none(), st.booleans(), st.floats(allow_nan=True)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["type", "children", "params", "href"]), inner, max_size=4),
        st.builds(lambda kind, children, params: {"type": kind, "children": children, "params": params},
                  st.sampled_from(BLOCK_TYPES + INLINE_TYPES + ["url", "a", "symbol", "story-ref",
                                                                "news-image", "image", 5]),
                  st.one_of(st.lists(inner, max_size=3), inner),
                  st.one_of(st.dictionaries(st.sampled_from(["url", "href", "image", "symbol", "id", "storyPath",
                                                             "text", "linkText", "alt", "caption"]), inner),
                            inner)),
    ),
    max_leaves=20,
)


@fuzz_settings(300)
@given(JUNK, LINKS)
def test_any_junk_tree_renders_without_error(tree: Any, links: Links) -> None:
    markdown = render_markdown(tree, site_url="https://www.tradingview.com", links=links)
    assert markdown == "" or (markdown.endswith("\n") and not markdown.endswith("\n\n"))
    markdown.encode("utf-8")


ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40)


@fuzz_settings(300)
@given(ANY_TEXT)
def test_yaml_str_round_trips_through_pyyaml(value: str) -> None:
    assert yaml.safe_load(f"key: {yaml_str(value)}\n") == {"key": _scrub(value)}


def _scrub(value: str) -> str:
    """What survives UTF-8 and XML: lone surrogates become U+FFFD, XML-invalid controls go."""
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in value).translate(XML_DROPPED)


XML_DROPPED = {c: None for c in [*range(0x20), 0xFFFE, 0xFFFF] if chr(c) not in "\t\n\r"}


@fuzz_settings(200)
@given(ANY_TEXT, st.lists(ANY_TEXT, max_size=4), ANY_TEXT)
def test_post_front_matter_round_trips_title_and_tags(title: str, tags: list[str], digest: str) -> None:
    story = Story(id="x:1", lang="en", title=title, published=0, provider_id="p", provider_name="P",
                  url="https://example.com/", tags=tuple(tags), digest=digest)
    text = render_post(story)
    head, body = text[4:].split("\n---\n\n", 1)
    data = yaml.safe_load(head)
    assert data["title"] == _scrub(title)
    wanted = list(dict.fromkeys(_scrub(term) for t in tags if (term := _term(t))))
    assert [t.casefold() for t in data["tags"]] == list(dict.fromkeys(t.casefold() for t in wanted))
    assert text.endswith("\n") and not text.endswith("\n\n")
    text.encode("utf-8")


@fuzz_settings(200)
@given(st.lists(st.tuples(st.sampled_from(["a", "b_c", "d-e"]),
                          st.one_of(ANY_TEXT, st.booleans(), st.lists(ANY_TEXT, max_size=3))),
                max_size=5, unique_by=lambda item: item[0]))
def test_front_matter_parses_to_the_same_items(items: list[tuple[str, Any]]) -> None:
    text = front_matter(items)
    assert text.startswith("---\n") and text.endswith("\n---\n")
    data = yaml.safe_load(text[4:-4]) or {}
    expected = {key: (value if isinstance(value, bool) else
                      [_scrub(v) for v in value] if isinstance(value, list) else _scrub(value))
                for key, value in items}
    assert data == expected


FORBIDDEN = set('/\\:*?"<>|')


@fuzz_settings(300)
@given(st.text(max_size=8), ANY_TEXT)
def test_post_name_is_safe_on_every_os(story_id: str, title: str) -> None:
    name = post_name(story_id, title)
    assert name and not FORBIDDEN & set(name)
    assert all(ord(c) >= 32 and not 0xD800 <= ord(c) <= 0xDFFF and c.isprintable() for c in name)
    assert name == name.strip(". ") and len(name) <= 60 + 11
    assert name == post_name(story_id, title)


LONG_TEXT = st.text(alphabet=st.one_of(st.sampled_from(ALPHABET + "\ufffe\uffff\u2029\x1f\x7f"),
                                       st.characters(codec=None, exclude_categories=())), max_size=200)


@fuzz_settings(300)
@given(LONG_TEXT)
def test_hazard_free_is_the_regex_answer_at_every_length(text: str) -> None:
    """The bytes scan of long texts answers exactly as the hazard regex (and escaping is then a no-op)."""
    for value in (text, text * 8, "plain words " * 8 + text):
        assert hazard_free(value) == (_INLINE_HAZARD.search(value) is None)
        if hazard_free(value):
            assert escape_inline(value) is value


@fuzz_settings(200)
@given(TREES, st.integers(min_value=-1, max_value=40))
def test_summary_is_the_first_words_of_the_plain_text(tree: dict[str, Any], words: int) -> None:
    """Reading only the first blocks gives what cutting the whole text would."""
    tree = _node("root", [tree, *tree["children"] * 3])  # more root children than the first look reads
    story = Story(id="x:1", lang="en", title="t", published=0, provider_id="p", provider_name="P",
                  url="https://example.com/", tree=tree)
    all_words = plain_text(tree).split()
    if words <= 0:
        expected = "..." if all_words else ""
    else:
        expected = " ".join(all_words[:words]) + ("..." if len(all_words) > words else "")
    assert summary_text(story, words) == expected
