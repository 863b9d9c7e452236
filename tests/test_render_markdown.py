"""Body tree -> Markdown: one example per node type, junk input, and each escaping helper."""

from __future__ import annotations

from typing import Any

import pytest
from markdown_it import MarkdownIt

from newsdesk.model import Links
from newsdesk.render.markdown import (
    escape_cell,
    escape_heading_end,
    escape_inline,
    escape_line_start,
    link_destination,
    render_markdown,
)
from newsdesk.sources.tv_parse import TV_LINKS

#: A TradingView story's URL shapes (``Story.site_url`` and ``Story.links`` of its stories).
TV: dict[str, Any] = {"site_url": "https://www.tradingview.com", "links": TV_LINKS}

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def node(kind: str, *children: Any, **params: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": kind, "children": list(children)}
    if params:
        out["params"] = params
    return out


def root(*children: Any) -> dict[str, Any]:
    return node("root", *children)


def render(*children: Any, **kwargs: Any) -> str:
    return render_markdown(root(*children), **{**TV, **kwargs})


def html(*children: Any, **kwargs: Any) -> str:
    return str(MD.render(render(*children, **kwargs)))


# --- blocks ---------------------------------------------------------------------------------

def test_none_and_empty_trees_render_nothing() -> None:
    assert render_markdown(None) == ""
    assert render_markdown(root()) == ""
    assert render_markdown(root(" ", "\n", node("p", "  "))) == ""


def test_paragraphs_are_separated_by_blank_lines_and_end_in_one_newline() -> None:
    assert render(node("p", "First."), " ", node("p", "Second.")) == "First.\n\nSecond.\n"


def test_loose_inline_text_at_root_forms_a_paragraph() -> None:
    assert render("Loose ", node("b", "bold"), " text", node("p", "Then a block.")) == \
        "Loose **bold** text\n\nThen a block.\n"


def test_list_items_use_stars_and_follow_a_colon_paragraph() -> None:
    out = render(node("p", "Points:"), node("list", node("*", "one"), node("*", "two")))
    assert out == "Points:\n\n* one\n* two\n"


def test_an_image_after_a_list_stays_outside_the_list() -> None:
    tree = root(node("list", node("*", "item")),
                node("news-image", "Caption", image={"id": "tradingview:abc"}))
    out = render_markdown(tree, **TV)
    assert out == ("* item\n\n![](https://s3.tradingview.com/news/image/tradingview:abc-resized.jpeg)"
                   "\n\n*Caption*\n")
    assert "<li>item</li>\n</ul>\n<p><img" in MD.render(out)


def test_nested_lists_are_indented_so_they_nest() -> None:
    tree = root(node("list", node("*", node("p", "outer"), node("list", node("li", "inner"))), node("*", "next")))
    out = render_markdown(tree)
    assert out == "* outer\n  * inner\n* next\n"
    assert MD.render(out) == "<ul>\n<li>outer\n<ul>\n<li>inner</li>\n</ul>\n</li>\n<li>next</li>\n</ul>\n"


def test_an_item_may_hold_several_paragraphs() -> None:
    out = render(node("list", node("list-item", node("p", "one"), node("p", "two"))))
    assert out == "* one\n\n  two\n"
    assert "<li>\n<p>one</p>\n<p>two</p>\n</li>" in MD.render(out)


def test_adjacent_lists_alternate_bullets_so_they_stay_two_lists() -> None:
    out = render(node("list", node("*", "a")), node("list", node("*", "b")), node("list", node("*", "c")))
    assert out == "* a\n\n- b\n\n* c\n"
    assert MD.render(out).count("<ul>") == 3


def test_text_directly_inside_a_list_becomes_an_item() -> None:
    assert render(node("list", " ", "stray", node("*", "real"))) == "* stray\n* real\n"


def test_headings_h1_to_h6() -> None:
    for level in range(1, 7):
        assert render(node(f"h{level}", "Title")) == f"{'#' * level} Title\n"


def test_heading_keeps_a_trailing_hash() -> None:
    out = render(node("h2", "Ranked #"))
    assert out == "## Ranked \\#\n"
    assert MD.render(out) == "<h2>Ranked #</h2>\n"


def test_quote_and_blockquote() -> None:
    out = render(node("quote", node("p", "one"), node("p", "two")), node("blockquote", "three"))
    assert out == "> one\n>\n> two\n\n> three\n"
    assert MD.render(out).count("<blockquote>") == 2


def test_hr_is_an_unambiguous_thematic_break() -> None:
    out = render(node("p", "above"), node("hr"), node("list", node("*", node("hr"))))
    assert out == "above\n\n___\n\n* ___\n"
    assert MD.render(out) == "<p>above</p>\n<hr />\n<ul>\n<li>\n<hr />\n</li>\n</ul>\n"


def test_br_is_a_hard_break_and_the_next_line_is_escaped() -> None:
    out = render(node("p", "one", node("br"), "- two", node("br")))
    assert out == "one\\\n\\- two\n"
    assert MD.render(out) == "<p>one<br />\n- two</p>\n"


# --- tables ---------------------------------------------------------------------------------

def _table(*rows: list[str], header: bool = True) -> dict[str, Any]:
    def row(cells: list[str], kind: str) -> dict[str, Any]:
        return node("table-row", *[node(kind, cell) for cell in cells])

    if not header:
        return node("table", node("table-body", *[row(r, "table-data-cell") for r in rows]))
    return node("table", node("table-header", row(rows[0], "table-header-cell")),
                node("table-body", *[row(r, "table-data-cell") for r in rows[1:]]))


def test_table_with_header_and_body() -> None:
    out = render_markdown(root(_table(["Ticker", "Move"], ["HLLX", "-6%"])))
    assert out == "| Ticker | Move |\n| --- | --- |\n| HLLX | -6% |\n"
    assert "<th>Ticker</th>" in MD.render(out) and "<td>-6%</td>" in MD.render(out)


def test_table_cells_escape_pipes_and_newlines_and_rows_are_padded() -> None:
    out = render_markdown(root(_table(["a|b", "c"], ["line\none"])))
    assert out == "| a\\|b | c |\n| --- | --- |\n| line one |  |\n"
    rendered = MD.render(out)
    assert "<th>a|b</th>" in rendered and "<td>line one</td>\n<td></td>" in rendered


def test_table_without_header_uses_its_first_row_and_table_head_works() -> None:
    assert render_markdown(root(_table(["x", "y"], ["1", "2"], header=False))) == \
        "| x | y |\n| --- | --- |\n| 1 | 2 |\n"
    tree = root(node("table", node("table-head", node("table-row", node("table-header-cell", "h")))))
    assert render_markdown(tree) == "| h |\n| --- |\n"


def test_table_cell_with_break_and_bold() -> None:
    tree = root(node("table", node("table-row", node("table-data-cell", node("b", "up"), node("br"), "3%"))))
    assert render_markdown(tree) == "| **up** 3% |\n| --- |\n"


def test_empty_table_renders_nothing() -> None:
    assert render(node("table", node("table-body", node("table-row", " ")))) == ""


# --- inline ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "expected"), [
    ("b", "**x**"), ("strong", "**x**"), ("i", "*x*"), ("em", "*x*"), ("s", "~~x~~"), ("u", "x"),
])
def test_inline_styles(kind: str, expected: str) -> None:
    assert render(node("p", "a ", node(kind, "x"), " b")) == f"a {expected} b\n"


def test_spaces_inside_emphasis_move_outside_the_markers() -> None:
    out = render(node("p", "Shares", node("b", " rose "), "today"))
    assert out == "Shares **rose** today\n"
    assert MD.render(out) == "<p>Shares <strong>rose</strong> today</p>\n"


def test_punctuation_at_emphasis_edges_moves_outside_next_to_letters() -> None:
    out = render(node("p", "a", node("b", "(b)"), "c"))
    assert out == "a(**b**)c\n"
    assert MD.render(out) == "<p>a(<strong>b</strong>)c</p>\n"


def test_emphasis_inside_a_word_is_dropped_rather_than_broken() -> None:
    assert render(node("p", "un", node("i", "break"), "able")) == "unbreakable\n"


def test_empty_emphasis_renders_nothing() -> None:
    assert render(node("p", "a", node("b"), node("i", " "), "b")) == "a b\n"


def test_nested_bold_and_italic() -> None:
    out = render(node("p", node("b", "bold ", node("i", "both"), " bold")))
    assert out == "**bold *both* bold**\n"
    assert MD.render(out) == "<p><strong>bold <em>both</em> bold</strong></p>\n"


def test_url_link_uses_params_and_children() -> None:
    assert render(node("p", node("url", url="https://example.com/a", linkText="Example"))) == \
        "[Example](https://example.com/a)\n"
    assert render(node("p", node("url", "kids", url="https://example.com/"))) == "[kids](https://example.com/)\n"


def test_a_link_uses_params_href_or_node_href() -> None:
    assert render(node("p", node("a", "one", href="/x"))) == "[one](/x)\n"
    assert render(node("p", {"type": "a", "href": "mailto:desk@example.com", "children": ["mail"]})) == \
        "[mail](mailto:desk@example.com)\n"


def test_bold_inside_a_link_and_a_link_inside_bold() -> None:
    assert render(node("p", node("b", node("url", "x", url="https://e.com/")))) == "[**x**](https://e.com/)\n"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:x", " java\nscript:x", "data:text/html,x",
                                 "vbscript:x", "file:///etc/passwd", ""])
def test_unsafe_links_render_just_their_text(url: str) -> None:
    assert render(node("p", "see ", node("url", "this", url=url))) == "see this\n"


def test_links_keep_the_spaces_around_their_text() -> None:
    assert render(node("p", "see", node("a", " here ", href="/x"), "now")) == "see [here](/x) now\n"


def test_a_bang_before_a_link_is_not_an_image() -> None:
    out = render(node("p", "Wow!", node("a", "x", href="/x")))
    assert out == "Wow\\![x](/x)\n"
    assert "<img" not in MD.render(out)


def test_symbol_links_to_its_page() -> None:
    out = render(node("p", node("symbol", symbol="NASDAQ:AMZN", text="Amazon")), site_url="https://tv.example/")
    assert out == "[Amazon](https://tv.example/symbols/NASDAQ-AMZN/)\n"
    assert render(node("p", node("symbol", symbol="HKEX:1810"))) == \
        "[HKEX:1810](https://www.tradingview.com/symbols/HKEX-1810/)\n"


def test_story_ref_prefers_the_resolver_then_the_story_path() -> None:
    ref = node("story-ref", "earlier story", id="tradingview:1:0", storyPath="/news/tradingview:1:0-x/")
    assert render(node("p", ref), resolve_ref=lambda i: f"/post/{i.split(':')[1]}/") == "[earlier story](/post/1/)\n"
    assert render(node("p", ref), resolve_ref=lambda i: None) == \
        "[earlier story](https://www.tradingview.com/news/tradingview:1:0-x/)\n"
    assert render(node("p", node("story-ref", "t", story_path="news/y/")), site_url="https://s.example") == \
        "[t](https://s.example/news/y/)\n"
    assert render(node("p", node("story-ref", "t", url="https://other.example/s"))) == "[t](https://other.example/s)\n"
    assert render(node("p", node("story-ref", "no target", id="x"))) == "no target\n"


def test_unknown_nodes_render_their_children() -> None:
    assert render(node("fancy", "inline ", node("b", "text")), node("wrapper", node("p", "block"))) == \
        "inline **text**\n\nblock\n"


# --- images ---------------------------------------------------------------------------------

def test_news_image_with_alt_and_caption_paragraph() -> None:
    image = {"id": "tradingview:1a2-b3", "alt": "A chart", "source-width": 800, "source-height": 400}
    out = render(node("news-image", "Source: desk", image=image))
    assert out == ("![A chart](https://s3.tradingview.com/news/image/tradingview:1a2-b3-resized.jpeg)\n\n"
                   "*Source: desk*\n")


def test_image_id_is_percent_encoded() -> None:
    assert render(node("news-image", image={"id": "a b/c%"})) == \
        "![](https://s3.tradingview.com/news/image/a%20b%2Fc%25-resized.jpeg)\n"


def test_a_source_without_link_templates_shows_symbols_as_text_and_no_image_ids() -> None:
    tree = root(node("p", "See ", node("symbol", symbol="NASDAQ:AMZN", text="Amazon"), " and ",
                     node("symbol", symbol="HKEX:1810"), "."),
                node("news-image", "Caption", image={"id": "tradingview:abc"}),
                node("image", image="tradingview:z", title="T"),
                node("news-image", image={"id": "x"}, url="https://img.example/own.png"))
    out = render_markdown(tree, site_url="https://feed.example")
    assert out == "See Amazon and HKEX:1810.\n\n*Caption*\n\n*T*\n\n![](https://img.example/own.png)\n"
    assert render_markdown(tree, site_url="https://feed.example", links=Links()) == out


def test_a_source_s_own_link_templates_shape_its_urls() -> None:
    links = Links(symbol="{site}/quote/{ticker}?x={exchange}", image="https://img.example/{id}.png")
    tree = root(node("p", node("symbol", symbol="NYSE:BRK.B", text="Berkshire")),
                node("news-image", image={"id": "a b"}))
    assert render_markdown(tree, site_url="https://q.example/", links=links) == \
        "[Berkshire](https://q.example/quote/BRK.B?x=NYSE)\n\n![](https://img.example/a%20b.png)\n"


def test_image_with_url_or_string_id_and_caption_params() -> None:
    assert render(node("image", url="https://e.com/p.png", caption="From params")) == \
        "![](https://e.com/p.png)\n\n*From params*\n"
    assert render(node("image", image="tradingview:z", title="T")) == \
        "![](https://s3.tradingview.com/news/image/tradingview:z-resized.jpeg)\n\n*T*\n"


def test_image_with_unsafe_or_missing_url_keeps_only_the_caption() -> None:
    assert render(node("image", "cap", url="javascript:x")) == "*cap*\n"
    assert render(node("news-image", "cap", image={"alt": "no id"})) == "*cap*\n"


def test_image_inside_a_paragraph_splits_it() -> None:
    out = render(node("p", "before ", node("news-image", image={"id": "i"}), " after"))
    assert out == "before\n\n![](https://s3.tradingview.com/news/image/i-resized.jpeg)\n\nafter\n"


# --- junk -----------------------------------------------------------------------------------

@pytest.mark.parametrize("tree", [
    {"type": "root", "children": "just a string"},
    {"type": "root", "children": None},
    {"type": "root", "children": [None, 5, 2.5, True, ["nested", "list"], {"no": "type"}]},
    {"type": "root", "children": [{"type": "url", "params": "not a dict", "children": ["t"]}]},
    {"type": "root", "children": [{"type": ["list"], "children": ["x"]}]},
    {"type": "news-image", "params": {"image": {"id": 5}}},
    {"type": "table", "children": [{"type": "table-row", "children": [None, 3]}]},
    {"type": "symbol", "params": {"symbol": None, "text": 7}},
    {"type": "story-ref", "params": {"id": ["x"], "storyPath": {}}},
])
def test_junk_never_crashes(tree: dict[str, Any]) -> None:
    out = render_markdown(tree)
    assert out == "" or out.endswith("\n")


def test_junk_keeps_the_text_it_can_find() -> None:
    assert render_markdown({"type": "root", "children": "just a string"}) == "just a string\n"
    assert render_markdown({"type": "root", "children": [None, 5, {"no": "type", "children": ["kept"]}]}) == "kept\n"


def test_very_deep_trees_render_as_text() -> None:
    tree: Any = "deep"
    for _ in range(5000):
        tree = {"type": "b", "children": [tree]}
    assert render_markdown(root(node("p", tree))) == "**deep**\n"


def test_lone_surrogates_are_replaced() -> None:
    assert render(node("p", "bad \ud800 char")) == "bad \ufffd char\n"


# --- escaping -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "# not a heading", "1. not a list", "2) not a list", "- not a bullet", "+ not a bullet",
    "* not a bullet", "> not a quote", "=====", "---", "***", "___", "    four spaces",
    "<script>alert(1)</script>", "a < b & c", "&amp; &#35; &copy;", "*star* _under_", "[x](y) [z]",
    "`code`", "a | b", "~~gone~~", "![img](u)", "back\\slash\\", "{{< shortcode >}}", "~~~",
    "```", ": definition", "[^1]: footnote", "<http://autolink.example>", "10.5% drop", "C# & F#",
])
def test_text_shows_as_written(text: str) -> None:
    out = render(node("p", text))
    tokens = MD.parse(out)
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"], out
    children = tokens[1].children or []
    assert all(t.type == "text" for t in children), out
    assert "".join(t.content for t in children) == text.strip()


def test_no_raw_html_reaches_the_page() -> None:
    out = html(node("p", "<script>alert(1)</script>"), node("h2", "<b>x</b>"),
               node("table", node("table-row", node("table-data-cell", "<img src=x>"))))
    assert "<script" not in out and "<b>" not in out and "<img" not in out


def test_escape_inline() -> None:
    assert escape_inline("plain text") == "plain text"
    assert escape_inline("*a* _b_ [c] `d` <e> ~f~ |g| \\h {i}") == \
        "\\*a\\* \\_b\\_ \\[c\\] \\`d\\` \\<e> \\~f\\~ \\|g\\| \\\\h \\{i}"
    assert escape_inline("AT&T &amp; R & D &") == "AT\\&T \\&amp; R & D \\&"
    assert escape_inline("two\nlines\r\u2028x\x00") == "two lines  x\ufffd"


def test_escape_line_start() -> None:
    assert escape_line_start("# x") == "\\# x"
    assert escape_line_start("12. x") == "12\\. x"
    assert escape_line_start("3) x") == "3\\) x"
    assert escape_line_start("1234567890. x") == "1234567890. x"
    assert [escape_line_start(c + "x") for c in ">+-=:"] == ["\\>x", "\\+x", "\\-x", "\\=x", "\\:x"]
    assert escape_line_start("plain # text") == "plain # text"


def test_escape_cell() -> None:
    assert escape_cell("a\\\nb\nc") == "a b c"
    assert escape_cell("x | y \\| z") == "x \\| y \\| z"
    assert escape_cell("\\\\|") == "\\\\\\|"


def test_escape_heading_end() -> None:
    assert escape_heading_end("Rank #1") == "Rank #1"
    assert escape_heading_end("C#") == "C#"
    assert escape_heading_end("Rank ##") == "Rank \\##"
    assert escape_heading_end("#") == "\\#"


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.com/a b", "https://example.com/a%20b"),
    ("https://example.com/(x)", "https://example.com/%28x%29"),
    ("https://example.com/<x>\"", "https://example.com/%3Cx%3E%22"),
    ("https://example.com/caf\u00e9", "https://example.com/caf%C3%A9"),
    ("https://example.com/50%-off%2F", "https://example.com/50%25-off%2F"),
    ("https://example.com/%zz%4", "https://example.com/%25zz%254"),
    ("https://b\u00fccher.example/x", "https://xn--bcher-kva.example/x"),
    ("https://example.com/?a=1&b=2#frag", "https://example.com/?a=1&b=2#frag"),
    ("https://example.com/?x=&amp;&#58;&#x3A;", "https://example.com/?x=%26amp;%26#58;%26#x3A;"),
    ("javascript&#58;alert(1)", "javascript%26#58;alert%281%29"),
    ("  /relative/path  ", "/relative/path"),
    ("//cdn.example/x", "//cdn.example/x"),
    ("mailto:desk@example.com", "mailto:desk@example.com"),
    ("HTTPS://EXAMPLE.COM", "HTTPS://EXAMPLE.COM"),
    ("https://example.com/a\\b`{}|^", "https://example.com/a%5Cb%60%7B%7D%7C%5E"),
])
def test_link_destination_encodes(url: str, expected: str) -> None:
    assert link_destination(url) == expected


@pytest.mark.parametrize("url", ["javascript:alert(1)", "jav\tascript:x", "\x00javascript:x", "data:x",
                                 "ftp://x", "", "   "])
def test_link_destination_refuses_other_schemes(url: str) -> None:
    assert link_destination(url) is None


def test_link_destination_survives_markdown_parsing() -> None:
    url = "https://example.com/a b/(c)/%zz?q=\u00e9&x=&amp;"
    out = render(node("p", node("url", "t", url=url)))
    token = [t for t in MD.parse(out)[1].children or [] if t.type == "link_open"][0]
    assert token.attrGet("href") == "https://example.com/a%20b/%28c%29/%25zz?q=%C3%A9&x=%26amp;"


def test_a_bang_before_a_link_after_an_empty_piece_is_not_an_image() -> None:
    # Found by hypothesis: an image caption "!" then "" then a link inside another image's caption.
    tree = {"type": "root", "children": [{"type": "news-image", "params": {"image": {"id": "a"}}, "children": [
        {"type": "news-image", "params": {"image": {"id": "b"}}, "children": ["!", ""]},
        {"type": "url", "params": {"url": "https://example.com/x"}, "children": ["0"]}]}]}
    out = render_markdown(tree, **TV)
    assert out.count("![](") == 2  # the two images, and no third made of the bang and the link
    assert "\\![*0*](https://example.com/x)" in out


# --- emphasis keeps its own punctuation (issue 12) ------------------------------------------

@pytest.mark.parametrize(("children", "markdown", "shown"), [
    ([node("p", node("b", "Stocks:"), " rose")], "**Stocks:** rose", "<strong>Stocks:</strong> rose"),
    ([node("p", node("b", "Stocks: "), "rose")], "**Stocks:** rose", "<strong>Stocks:</strong> rose"),
    ([node("p", "See ", node("i", '"Deal" (draft).'))], 'See *"Deal" (draft).*',
     "See <em>&quot;Deal&quot; (draft).</em>"),
    ([node("p", node("b", "Wow!"))], "**Wow!**", "<strong>Wow!</strong>"),
    ([node("p", node("s", "old,"), " new")], "~~old,~~ new", "<s>old,</s> new"),
    # punctuation touching another word stays outside, where a marker could not close
    ([node("p", node("b", "Stocks:"), "rose")], "**Stocks**:rose", "<strong>Stocks</strong>:rose"),
    ([node("p", "x", node("i", "(note)"))], "x(*note)*", "x(<em>note)</em>"),
])
def test_emphasis_keeps_edge_punctuation_where_flanking_allows(children: list[Any], markdown: str,
                                                               shown: str) -> None:
    assert render(*children) == markdown + "\n"
    assert html(*children) == f"<p>{shown}</p>\n"


def test_control_characters_go_and_nul_shows_as_replacement() -> None:
    text = render(node("p", "a\x01b\x00c\x1b[31m ", node("b", "\x02bold\x7f"), "\ufffe"))
    assert text == "ab\ufffdc\\[31m **bold\x7f**\n"


def test_deep_and_wide_trees_keep_every_word() -> None:
    deep: Any = "end"
    for level in range(10_000):
        deep = node("p" if level % 2 else "b", f"w{level} ", deep)
    words = render(deep).replace("*", " ").split()
    assert len(words) == 10_001 and words[0] == "w9999" and words[-1] == "end"
    wide = render(node("p", *[f"x{i} " for i in range(100_000)]))
    assert wide.split()[-1] == "x99999" and len(wide.split()) == 100_000


@pytest.mark.parametrize("children", [["\x01", "\t0"], ["\x01", " #"], ["\x01 #"], [node("p", "\x02 - x")],
                                      [node("li", "\x03 > q")]])
def test_a_dropped_control_never_bares_a_block_marker(children: list[Any]) -> None:
    """Found by `make fuzz`: text was stripped before its controls were dropped."""
    assert "<p>" in html(*children) and "<code>" not in html(*children) and "<h1>" not in html(*children)
