"""html_to_tree: sanitised (and hostile) HTML fragments -> body tree."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
import lxml.html
from lxml import etree
from markdown_it import MarkdownIt

from newsdesk.model import plain_text
from newsdesk.render.markdown import render_body
from newsdesk.sources.html_tree import MAX_DEPTH, MAX_NODES, html_to_tree, safe_url, tree_from_element
from strategies import HOSTILE_SNIPPETS, fuzz_settings

BASE = "https://news.example.test/section/story.html"
ALLOWED = {"root", "p", "h1", "h2", "h3", "h4", "h5", "h6", "list", "li", "quote", "hr", "table", "table-row",
           "table-header-cell", "table-data-cell", "image", "b", "i", "s", "br", "url"}


def _walk(tree: dict[str, Any]) -> list[tuple[Any, int]]:
    out, stack = [], [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        out.append((node, depth))
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in reversed(node["children"]))
    return out


def _types(tree: dict[str, Any]) -> list[str]:
    return [n["type"] for n, _d in _walk(tree) if isinstance(n, dict)]


def _check_safe(tree: dict[str, Any]) -> None:
    assert tree["type"] == "root"
    for node, _depth in _walk(tree):
        if isinstance(node, str):
            continue
        assert node["type"] in ALLOWED
        assert isinstance(node["children"], list)
        params = node.get("params", {})
        assert set(params) <= {"url", "alt", "caption", "linkText"}
        if node["type"] in ("url", "image"):
            assert params["url"].startswith(("http://", "https://"))
            assert "javascript" not in params["url"].lower() or params["url"].startswith(("http://", "https://"))


def test_paragraphs_inline_styles_and_whitespace() -> None:
    tree = html_to_tree("<p>Hello \n\t  <b>bold </b> world</p><p>two<br>lines</p>", BASE)
    assert tree["children"] == [
        {"type": "p", "children": ["Hello ", {"type": "b", "children": ["bold "]}, "world"]},
        {"type": "p", "children": ["two", {"type": "br", "children": []}, "lines"]},
    ]
    assert render_body(tree)[0] == "Hello **bold** world\n\ntwo\\\nlines\n"


def test_loose_text_gets_paragraphs_and_divs_split_them() -> None:
    tree = html_to_tree("loose <i>text</i><div>block one</div><div>block two</div>tail", BASE)
    assert [plain_text(c) for c in tree["children"]] == ["loose text", "block one", "block two", "tail"]
    assert all(c["type"] == "p" for c in tree["children"])


def test_pre_keeps_lines() -> None:
    tree = html_to_tree("<pre>a  b\nc\n</pre>", BASE)
    assert tree["children"] == [{"type": "p", "children": ["a  b", {"type": "br", "children": []}, "c"]}]


def test_lists_tables_quotes_headings_rule() -> None:
    html = ("<h2>Head</h2><ul><li>one</li><li>two<ol><li>nested</li></ol></li></ul>"
            "<blockquote><p>quoted</p></blockquote><hr>"
            "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>")
    tree = html_to_tree(html, BASE)
    assert [c["type"] for c in tree["children"]] == ["h2", "list", "quote", "hr", "table"]
    assert _types(tree).count("li") == 3
    table = tree["children"][-1]
    assert table["children"][0]["children"][0]["type"] == "table-header-cell"
    assert table["children"][1]["children"][0] == {"type": "table-data-cell", "children": ["1"]}
    markdown = render_body(tree)[0]
    assert "## Head" in markdown and "> quoted" in markdown and "| A |" in markdown


def test_blocks_inside_cells_are_flattened_with_breaks() -> None:
    tree = html_to_tree("<table><tr><td><p>x</p><ul><li>y</li><li>z</li></ul></td></tr></table>", BASE)
    cell = tree["children"][0]["children"][0]["children"][0]
    assert [c if isinstance(c, str) else c["type"] for c in cell["children"]] == ["x", "br", "y", "br", "z"]


def test_stray_items_and_cells_get_their_containers() -> None:
    tree = html_to_tree("<li>a</li><li>b</li>", BASE)
    assert tree["children"][0]["type"] == "list" and len(tree["children"][0]["children"]) == 2
    tree = html_to_tree("<ul>loose<li>b</li></ul>", BASE)
    assert [plain_text(li) for li in tree["children"][0]["children"]] == ["loose", "b"]


def test_links_resolved_and_unsafe_schemes_dropped() -> None:
    html = ('<p><a href="../other.html">rel</a> <a href="javascript:alert(1)">js</a> '
            '<a href="  JaVa&#x09;Script:alert(1)">tab</a> <a href="vbscript:x">vb</a> '
            '<a href="data:text/html,x">data</a> <a href="//cdn.test/x">proto</a> <a href="mailto:a@b.test">mail</a>'
            ' <a href="https://x.test/a b">space</a></p>')
    tree = html_to_tree(html, BASE)
    links = [n for n, _d in _walk(tree) if isinstance(n, dict) and n["type"] == "url"]
    assert [(n["params"]["url"], n["params"]["linkText"]) for n in links] == [
        ("https://news.example.test/other.html", "rel"), ("https://cdn.test/x", "proto"),
        ("https://x.test/a%20b", "space")]
    assert plain_text(tree) == "rel js tab vb data proto mail space"


def test_nested_links_do_not_nest() -> None:
    tree = html_to_tree('<p><a href="/a">one <a href="/b">two</a></a></p>', BASE)
    assert all(d <= 3 for n, d in _walk(tree) if isinstance(n, dict) and n["type"] == "url")


def test_scripts_styles_frames_handlers_dropped() -> None:
    html = ("<script>alert('x')</script><style>p{}</style><iframe src='https://evil.test'>in</iframe>"
            "<object data='x'>obj</object><noscript>nos</noscript><template>tpl</template>"
            "<svg><text>svg</text></svg><p onclick='steal()' style='x'>kept</p><div hidden>hid</div>"
            "<form><input value='inp'><button>btn</button><textarea>ta</textarea></form>")
    tree = html_to_tree(html, BASE)
    assert plain_text(tree) == "kept"
    assert tree["children"] == [{"type": "p", "children": ["kept"]}]


def test_images_captions_and_hoisting() -> None:
    html = ('<figure><img src="/i.png" alt="A"><figcaption>The <b>caption</b></figcaption></figure>'
            '<p>text <img src="j.jpg"> more</p><img src="javascript:x"><img src="data:image/png;base64,AA">'
            '<img data-src="/lazy.jpg" src="data:image/gif;base64,R0">')
    tree = html_to_tree(html, BASE)
    images = [n for n, _d in _walk(tree) if isinstance(n, dict) and n["type"] == "image"]
    assert [i["params"]["url"] for i in images] == [
        "https://news.example.test/i.png", "https://news.example.test/section/j.jpg",
        "https://news.example.test/lazy.jpg"]
    assert images[0]["params"]["caption"] == "The caption" and images[0]["children"] == ["The caption"]
    assert [c["type"] for c in tree["children"]] == ["image", "p", "image", "image"]
    assert plain_text(tree["children"][1]) == "text more"


def test_figure_without_image_keeps_caption_text() -> None:
    tree = html_to_tree("<figure><blockquote>Said</blockquote><figcaption>Someone</figcaption></figure>", BASE)
    assert plain_text(tree) == "Said Someone"


def test_entities_and_controls() -> None:
    tree = html_to_tree("<p>a &amp; b &lt;script&gt; \x00 c\ud800d &nbsp;e</p>", BASE)
    text = plain_text(tree)
    assert text.startswith("a & b <script>") and "\x00" not in text and "\ud800" not in text


@pytest.mark.parametrize("fragment", ["", "   ", "<!-- x -->", "<p></p>", "<b></b>", "<br><br>", "<hr>"[:0]])
def test_empty_fragments(fragment: str) -> None:
    assert html_to_tree(fragment, BASE) == {"type": "root", "children": []}


def test_non_string_input_is_an_empty_tree() -> None:
    assert html_to_tree(None, BASE) == {"type": "root", "children": []}  # type: ignore[arg-type]


def test_deep_nesting_is_bounded_and_keeps_text() -> None:
    for tag in ("div", "b", "blockquote", "ul", "table", "span", "a href='/x'"):
        close = tag.split()[0]
        html = f"<{tag}>" * 10_000 + "deep" + f"</{close}>" * 10_000 + "<p>after</p>"
        tree = html_to_tree(html, BASE)
        depth = max(d for _n, d in _walk(tree))
        assert depth <= MAX_DEPTH + 4, tag
        assert "deep" in plain_text(tree) and "after" in plain_text(tree), tag
        render_body(tree)


def test_huge_fan_out_is_bounded() -> None:
    tree = html_to_tree("<b>x</b> " * 25_000, BASE)
    assert len(_walk(tree)) <= MAX_NODES + 5
    tree = html_to_tree("<p>y</p>" * 12_000, BASE)
    assert len(_walk(tree)) <= MAX_NODES + 5


def test_safe_url() -> None:
    assert safe_url("/a?b=1#c", BASE) == "https://news.example.test/a?b=1#c"
    assert safe_url("http://[::1", BASE) is None
    assert safe_url("java\nscript:alert(1)", BASE) is None
    assert safe_url("https:///nohost", "") is None
    assert safe_url("ftp://x.test/f", BASE) is None
    assert safe_url("x", "") is None
    assert safe_url(None, BASE) is None


def test_tree_from_trafilatura_element() -> None:
    body = etree.fromstring(
        '<body><head rend="h2">Title</head><p>See <ref target="https://x.test/r">this</ref> and'
        ' <hi rend="#i">that</hi><lb/>next</p><list rend="ul"><item>one</item></list>'
        '<graphic src="https://x.test/i.png" alt="alt"/><quote>a\nb</quote>'
        '<table><row><cell role="head">H</cell></row><row><cell>D</cell></row></table>tail</body>')
    tree = tree_from_element(body, BASE, {"https://x.test/i.png": "Cap"})
    assert [c["type"] for c in tree["children"]] == ["h2", "p", "list", "image", "p", "table", "p"]
    assert tree["children"][3]["params"] == {"url": "https://x.test/i.png", "alt": "alt", "caption": "Cap"}
    assert _types(tree["children"][4]).count("br") == 1
    assert plain_text(tree) == "Title See this and that next one Cap a b H D tail"


HTML_TAGS = ["p", "div", "b", "i", "a", "ul", "ol", "li", "table", "tr", "td", "th", "pre", "br", "img",
             "blockquote", "h1", "h3", "figure", "figcaption", "script", "style", "iframe", "span", "hr", "svg",
             "em", "strong", "s", "q", "noscript", "textarea", "title", "body", "html", "head", "x-y"]
ATTRS = st.sampled_from(['', ' href="javascript:alert(1)"', ' href="/rel"', ' src="x.png"', ' onclick="x()"',
                         ' href="https://ok.test/"', ' src="data:image/png;base64,AA"', ' hidden', ' href="&#106;avascript:x"',
                         ' href="java\tscript:x"', ' data-src="//cdn.test/i.jpg"'])
PIECES = st.one_of(
    st.builds(lambda t, a: f"<{t}{a}>", st.sampled_from(HTML_TAGS), ATTRS),
    st.builds(lambda t: f"</{t}>", st.sampled_from(HTML_TAGS)),
    st.sampled_from(HOSTILE_SNIPPETS + ["<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "&", "&#0;",
                                        "&#xD800;", "<?php ?>", "<", ">", "\n", "  "]),
    st.text(max_size=8),
)


@fuzz_settings(300)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_hostile_markup_never_raises_and_stays_safe(fragment: str) -> None:
    tree = html_to_tree(fragment, BASE)
    _check_safe(tree)
    _check_rendered(render_body(tree)[0])


def _check_rendered(markdown: str) -> None:
    """The Markdown as HTML (raw HTML allowed, as a lax renderer would): no active element or URL."""
    html = MarkdownIt("commonmark").render(markdown)
    if not html.strip():
        return
    for el in lxml.html.fragment_fromstring(html, create_parent="div").iter():
        if not isinstance(el.tag, str):
            continue
        assert el.tag not in ("script", "style", "iframe", "object", "embed", "svg"), html
        for name, value in el.items():
            assert not name.startswith("on"), html
            if name in ("href", "src"):
                assert value.startswith(("http://", "https://")), html


@fuzz_settings(200)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=200), st.text(max_size=30))
def test_any_string_never_raises(fragment: str, base: str) -> None:
    _check_safe(html_to_tree(fragment, base))
