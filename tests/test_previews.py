"""A preview image for every story page (issue 14): og:image, twitter:image and the JSON-LD image
are the story's own image when it has one, else a 1200x630 card drawn at build time with Hugo's
image functions and the theme's font (newsdesk/card.html), kept in Hugo's resource cache.

One demo build for the module (real Hugo; the sample's images from the replay server), plus a few
posts written here whose titles the card's font cannot draw.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
import yaml

from newsdesk.demo import DEMO_BASE_URL, DemoReport, run_demo
from newsdesk.runner import build
from newsdesk.site.hugo import run_hugo

CARD = (1200, 630)
FONT = Path("themes/newsdesk/assets/newsdesk/card/DejaVuSansCondensed-Bold.ttf")
#: Posts whose titles the card leaves off (scripts the font cannot draw, emoji only): each card is
#: then the same as that of a post with the same date, provider and tickers and no title at all.
UNDRAWABLE = {"preview-japanese": "日本語の見出し：株価が上昇", "preview-arabic": "ارتفاع أسهم الشركة",
              "preview-emoji": "\U0001F680\U0001F4C8", "preview-blank": "\u200b"}
DRAWABLE = {"preview-long-word": "Supercalifragilisticexpialidocious" * 3 + " & <b>bold</b> \"quotes\" 🚀",
            "preview-greek": "Ελληνικά: μετοχές σε άνοδο — Кириллица тоже"}


def write_post(content: Path, name: str, title: str) -> None:
    front = {"title": title, "date": "2026-11-20 08:00:00", "summary": "A summary.",
             "categories": ["Preview Wire"], "tags": ["Preview Wire", "VLTR"], "thumbnail": ""}
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\nBody.\n"
    (content / f"{name}.en.md").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoReport:
    report = run_demo(tmp_path_factory.mktemp("previews-demo"))
    for name, title in {**UNDRAWABLE, **DRAWABLE}.items():
        write_post(report.config.content_dir, name, title)
    report.built = build(report.config)
    return report


def posts(demo: DemoReport) -> dict[Path, dict]:
    return {p: yaml.safe_load(p.read_text(encoding="utf-8").split("\n---\n", 1)[0][4:])
            for p in sorted(demo.config.content_dir.glob("*.md"))}


def page_of(demo: DemoReport, post: Path) -> Path:
    name, lang = post.name[:-3].rsplit(".", 1)
    public = demo.config.site_path / "public"
    return public / ("" if lang == "en" else lang) / "post" / name / "index.html"


def local(demo: DemoReport, url: str) -> Path:
    assert url.startswith(DEMO_BASE_URL), url
    path = demo.config.site_path / "public" / unquote(urlsplit(url).path.lstrip("/"))
    assert path.is_file(), url
    return path


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG, JPEG or WebP file's header."""
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return struct.unpack(">II", data[16:24])
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = data[12:16]
        if kind == b"VP8X":
            return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
        if kind == b"VP8L":
            bits = int.from_bytes(data[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        return int.from_bytes(data[26:28], "little") & 0x3FFF, int.from_bytes(data[28:30], "little") & 0x3FFF
    if data[:2] == b"\xff\xd8":
        at = 2
        while at < len(data):
            marker, length = data[at + 1], int.from_bytes(data[at + 2:at + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[at + 5:at + 9])
                return width, height
            at += 2 + length
    raise AssertionError("not a PNG, JPEG or WebP file")


def previews(page: Path) -> tuple[dict[str, list[str]], list[str]]:
    doc = lxml.html.fromstring(page.read_bytes())
    metas: dict[str, list[str]] = {}
    for meta in doc.xpath("//head/meta[@property or @name]"):
        metas.setdefault(meta.get("property") or meta.get("name"), []).append(meta.get("content"))
    (script,) = doc.xpath("//script[@type='application/ld+json']")
    return metas, json.loads(script.text).get("image", [])


def test_every_story_page_has_a_preview_image_of_its_own_or_a_card(demo: DemoReport) -> None:
    assert demo.built.warnings == []
    own = cards = 0
    for post, front in posts(demo).items():
        metas, ld_images = previews(page_of(demo, post))
        (og,) = metas["og:image"]
        assert metas["twitter:image"] == [og] and ld_images == [og], post.name
        assert metas["twitter:card"] == ["summary_large_image"]
        data = local(demo, og).read_bytes()
        size = image_size(data)
        assert size == (int(metas["og:image:width"][0]), int(metas["og:image:height"][0])), post.name
        if "/images/cards/" in og:
            cards += 1
            assert size == CARD and data[:4] == b"\x89PNG" and metas["og:image:type"] == ["image/png"], post.name
        else:
            own += 1
            assert "/images/story/" in og and front.get("thumbnail"), post.name  # the story's own image
    sample = 58
    assert own == 30 and cards == sample - own + len(UNDRAWABLE) + len(DRAWABLE)


def test_titles_the_font_cannot_draw_are_left_off_the_card(demo: DemoReport) -> None:
    content = demo.config.content_dir
    urls = {name: previews(page_of(demo, content / f"{name}.en.md"))[0]["og:image"][0] for name in {**UNDRAWABLE, **DRAWABLE}}
    assert len({urls[name] for name in UNDRAWABLE}) == 1  # the same card: date, provider, ticker, no title
    assert len(set(urls.values())) == 1 + len(DRAWABLE)  # drawable titles are on their cards


def test_cards_come_from_hugos_cache_on_the_next_build(demo: DemoReport) -> None:
    resources = Path(os.environ.get("HUGO_RESOURCEDIR") or demo.config.site_path / "resources")  # see conftest.py
    cache = resources / "_gen" / "images" / "images" / "cards"
    before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(before) >= 30
    build(demo.config)
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == before  # nothing drawn again


def test_the_font_ships_with_its_licence_and_is_not_published(demo: DemoReport) -> None:
    site = demo.config.site_path
    assert (site / FONT).is_file() and "Bitstream Vera" in (site / FONT.parent / "LICENSE-DejaVu.txt").read_text()
    assert not list((site / "public").rglob("*.ttf"))


def test_a_theme_without_the_font_draws_cards_with_hugos_own(demo: DemoReport, tmp_path: Path) -> None:
    """A theme that calls the managed seo partial but ships no font (as a Mainroad-style theme
    could): the cards use Hugo's built-in font, and the build still succeeds."""
    site = tmp_path / "site"
    shutil.copytree(demo.config.site_path, site, ignore=shutil.ignore_patterns("public", "resources"))
    (site / FONT).unlink()
    public = tmp_path / "public"
    assert run_hugo(site, destination=public).warnings == []
    post = next(p for p in sorted((site / "content" / "post").glob("*.en.md")) if "preview-greek" in p.name)
    metas, _ = previews(public / "post" / post.name[:-6] / "index.html")
    card = public / unquote(urlsplit(metas["og:image"][0]).path.lstrip("/"))
    assert image_size(card.read_bytes()) == CARD


def test_cards_can_be_turned_off(demo: DemoReport, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(demo.config.site_path, site, ignore=shutil.ignore_patterns("public", "resources"))
    hugo_toml = site / "hugo.toml"
    hugo_toml.write_text(hugo_toml.read_text(encoding="utf-8").replace("[params.newsdesk]\n", "[params.newsdesk]\ncards = false\n"),
                         encoding="utf-8")
    public = tmp_path / "public"
    assert run_hugo(site, destination=public).warnings == []
    assert not (public / "images" / "cards").exists()
    metas, ld_images = previews(public / "post" / "preview-greek" / "index.html")
    assert "og:image" not in metas and ld_images == [] and metas["twitter:card"] == ["summary"]
