"""Article extraction on the fixture pages (tests/fixtures/pages/*.html, each with a sidecar JSON).

A sidecar names the fetched ``url`` (and optionally ``content_type``) and what :func:`extract`
must find: ``kind``, ``title``, ``published`` (ISO 8601 UTC or null), ``author``, ``canonical``,
``lang``, ``images`` (exact, in order); ``keep`` sentences must be in the article text, ``drop``
sentences (page chrome: navigation, ads, cookie banners, related lists, comments, share
buttons, footers) must not be.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from newsdesk.model import plain_text
from newsdesk.sources.article import Article, decode_html, extract

PAGES = Path(__file__).parent / "fixtures" / "pages"
SIDECARS = sorted(PAGES.glob("*.json"))


def _norm(text: str) -> str:
    return " ".join(text.split())


def _load(sidecar: Path) -> tuple[dict[str, Any], Article]:
    spec = json.loads(sidecar.read_text(encoding="utf-8"))
    page = sidecar.with_suffix(".html").read_bytes()
    return spec, extract(page, spec["url"], content_type=spec.get("content_type"))


def test_enough_fixture_pages() -> None:
    kinds = [json.loads(p.read_text(encoding="utf-8"))["kind"] for p in SIDECARS]
    assert len(kinds) >= 22
    assert {"article", "consent", "paywall", "error", "empty"} <= set(kinds)


@pytest.mark.parametrize("sidecar", SIDECARS, ids=[p.stem for p in SIDECARS])
def test_fixture_page(sidecar: Path) -> None:
    spec, article = _load(sidecar)
    assert article.kind == spec["kind"]
    if "title" in spec:
        assert article.title == spec["title"]
    if "published" in spec:
        expected = spec["published"]
        assert article.published == (None if expected is None else int(datetime.fromisoformat(expected).timestamp()))
    if "author" in spec:
        assert article.author == spec["author"]
    assert article.url == spec.get("canonical", spec["url"])
    if "lang" in spec:
        assert article.lang == spec["lang"]
    if "images" in spec:
        assert list(article.images) == spec["images"]
    text = _norm(article.text)
    assert text == _norm(plain_text(article.tree))
    for sentence in spec.get("keep", []):
        assert _norm(sentence) in text, sentence
    for sentence in spec.get("drop", []):
        assert _norm(sentence).casefold() not in text.casefold(), sentence
    if article.kind in ("consent", "error", "empty"):
        assert article.tree == {"type": "root", "children": []} and article.text == ""


@pytest.mark.parametrize("sidecar", SIDECARS, ids=[p.stem for p in SIDECARS])
def test_fixture_renders(sidecar: Path) -> None:
    """The tree goes through the Markdown writer; no markup or script URL reaches the page."""
    from newsdesk.render.markdown import render_body

    spec, article = _load(sidecar)
    markdown, first_image = render_body(article.tree)
    if spec["kind"] == "article":
        assert markdown.strip()
        for sentence in spec.get("keep", [])[:1]:
            assert _norm(sentence).split()[0] in markdown
    lowered = markdown.lower()
    assert "<script" not in lowered and "javascript:" not in lowered and "<iframe" not in lowered
    body_images = [i for i in article.images if i in markdown]
    assert first_image == (body_images[0] if body_images else "")


def _nodes(tree: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    found, stack = [], [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == kind:
                found.append(node)
            stack.extend(reversed(node.get("children", [])))
    return found


def test_captions_and_relative_urls_with_base_href() -> None:
    _spec, article = _load(PAGES / "base_href.json")
    images = _nodes(article.tree, "image")
    assert images and all(i["params"]["url"].startswith("https://static.lanternbay.test/en/") for i in images)
    assert images[0]["params"]["caption"] == "The new container terminal seen from the harbour wall."
    links = [n["params"]["url"] for n in _nodes(article.tree, "url")]
    assert "https://static.lanternbay.test/en/reports/annual-2023.html" in links
    assert "https://static.lanternbay.test/tariffs/" in links


def test_figures_keep_captions_lazy_images() -> None:
    _spec, article = _load(PAGES / "figures_captions.json")
    captions = {i["params"]["url"]: i["params"]["caption"] for i in _nodes(article.tree, "image")}
    assert captions["https://cdn.orchardwire.test/photos/press-floor.jpg"] == \
        "Traders on the floor after the opening bell."
    assert captions["https://www.orchardwire.test/photos/chart-q4.png"] == \
        "Quarterly volumes, in millions of contracts."


def test_tables_lists_headings_quotes_survive() -> None:
    _spec, article = _load(PAGES / "tables_lists.json")
    assert _nodes(article.tree, "table") and _nodes(article.tree, "table-header-cell")
    assert len(_nodes(article.tree, "li")) >= 4
    _spec, article = _load(PAGES / "quotes_headings.json")
    assert _nodes(article.tree, "quote") or _nodes(article.tree, "blockquote")
    assert _nodes(article.tree, "h2")


def test_links_are_safe_and_absolute() -> None:
    for sidecar in SIDECARS:
        _spec, article = _load(sidecar)
        for node in _nodes(article.tree, "url") + _nodes(article.tree, "image"):
            assert node["params"]["url"].startswith(("http://", "https://")), sidecar.stem


def test_string_input_and_empty_inputs() -> None:
    page = (PAGES / "news_nav_ads.html").read_text(encoding="utf-8")
    article = extract(page, "https://www.quaysidecourier.test/x")
    assert article.kind == "article" and "Harbourline" in article.text
    for empty in (b"", "", b"   \n", "<html></html>", b"\xef\xbb\xbf"):
        assert extract(empty, "https://x.test/").kind == "empty"


@pytest.mark.parametrize(("page", "header", "expected"), [
    (b"caf\xe9", "text/html; charset=ISO-8859-1", "café"),
    (b"\x93quoted\x94 \x80", "text/html; charset=iso-8859-1", "\u201cquoted\u201d \u20ac"),
    (b"<meta charset='windows-1252'>\x96", None, "<meta charset='windows-1252'>\u2013"),
    (b'<meta http-equiv="Content-Type" content="text/html; charset=latin1">\xe9', None, "\xe9"),
    ("é".encode(), None, "é"),
    (b"\xef\xbb\xbfBOM \xc3\xa9", "text/html; charset=latin1", "BOM é"),
    (b"\xff\xfeh\x00i\x00", None, "hi"),
    (b"bad \xff byte", "text/html; charset=utf-8", "bad \ufffd byte"),
    (b"x \x81", "text/html; charset=windows-1252", "x \x81"),
    (b"<meta charset=utf-16>ok", None, "<meta charset=utf-16>ok"),
    (b"<meta charset=no-such-codec>ok \xc3\xa9", None, "<meta charset=no-such-codec>ok é"),
])
def test_decode_html(page: bytes, header: str | None, expected: str) -> None:
    assert decode_html(page, header).endswith(expected)


def test_header_charset_beats_meta() -> None:
    page = "<meta charset='utf-8'><p>é</p>".encode("cp1252")
    assert "é" in decode_html(page, "text/html; charset=windows-1252")
