"""A story's thumbnail in every template that shows it (newsdesk/story-thumbnail.html): the
bundled theme's lists and story pages, a Mainroad-style theme's post_thumbnail.html, the link
previews -- for the front matter forms the remote-image tests do not cover: a site path, Mainroad's
{src, visibility} map, a protocol-relative URL, a map without src. A small hand-written site, built
by Hugo directly (no fetch, no image processing)."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from newsdesk.site.hugo import run_hugo
from newsdesk.site.scaffold import init_site

POSTS = {  # stem -> thumbnail front matter
    "plain-path": 'thumbnail: "images/plain.png"',
    "post-only": 'thumbnail:\n  src: "/images/post-only.png"\n  visibility: ["post"]',
    "list-and-post": 'thumbnail:\n  src: "images/both.png"\n  visibility: ["list", "post"]',
    "protocol-relative": 'thumbnail: "//cdn.example/x.png"',
    "no-src": 'thumbnail:\n  visibility: ["list", "post"]',
}
PLAIN_THEME = {  # a theme calling Mainroad's partial, as Mainroad does
    "baseof.html": '<!DOCTYPE html><html><head>{{ partial "newsdesk/seo.html" . }}</head>'
                   '<body>{{ block "main" . }}{{ end }}</body></html>\n',
    "single.html": '{{ define "main" }}{{ partial "post_thumbnail.html" (dict "page" . "class" "post") }}'
                   "{{ .Content }}{{ end }}\n",
    "list.html": '{{ define "main" }}{{ range .Pages }}{{ partial "post_thumbnail.html" (dict "page" . "class" "list") }}'
                 "{{ end }}{{ end }}\n",
    "home.html": '{{ define "main" }}{{ range site.RegularPages }}<div class="item" id="{{ .File.ContentBaseName }}">'
                 '{{ partial "post_thumbnail.html" (dict "page" . "class" "list") }}</div>{{ end }}{{ end }}\n',
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("thumbnails")
    init_site(root)
    site = root / "site"
    for number, (stem, thumbnail) in enumerate(POSTS.items()):
        (site / "content" / "post" / f"{stem}.en.md").write_text(
            f'---\ntitle: "Story {stem}"\ndate: "2026-11-0{number + 1} 10:00:00"\ncategories:\n  - "Wire"\n'
            f"{thumbnail}\n---\n\nThe body of {stem}.\n", encoding="utf-8")
    return site


def page(public: Path, rel: str = "") -> lxml.html.HtmlElement:
    return lxml.html.fromstring((public / rel / "index.html").read_bytes())


def og_image(public: Path, stem: str) -> str | None:
    found = page(public, f"post/{stem}").xpath("//meta[@property='og:image']/@content")
    return str(found[0]) if found else None


def test_the_bundled_theme(site: Path, tmp_path: Path) -> None:
    public = tmp_path / "public"
    assert run_hugo(site, destination=public).warnings == []
    summaries = {a.xpath(".//h2/a/@href")[0].split("/")[-2]: a for a in page(public).xpath("//article[@class='summary']")}
    thumbs = {stem: (a.xpath(".//figure//img/@src"), a.xpath(".//figure/@class")) for stem, a in summaries.items()}
    assert thumbs["plain-path"] == (["/images/plain.png"], ["thumbnail"])
    assert thumbs["list-and-post"] == (["/images/both.png"], ["thumbnail"])
    assert thumbs["post-only"] == ([], [])  # its own visibility leaves the lists out
    fallback = (["/images/newsdesk-thumbnail.svg"], ["thumbnail thumbnail-fallback"])
    assert thumbs["protocol-relative"] == fallback and thumbs["no-src"] == fallback

    def story_thumb(stem: str) -> list[str]:
        return [str(s) for s in page(public, f"post/{stem}").xpath("//article//figure[@class='thumbnail']/img/@src")]

    assert story_thumb("post-only") == ["/images/post-only.png"] and story_thumb("list-and-post") == ["/images/both.png"]
    assert story_thumb("plain-path") == []  # the site shows thumbnails in lists only
    assert story_thumb("protocol-relative") == story_thumb("no-src") == []
    base = page(public).xpath("//link[@rel='canonical']/@href")[0].rstrip("/")
    assert og_image(public, "plain-path") == f"{base}/images/plain.png"
    assert og_image(public, "post-only") == f"{base}/images/post-only.png"  # previews ignore visibility
    assert "cdn.example" not in (og_image(public, "protocol-relative") or "")


def test_a_mainroad_style_theme(site: Path, tmp_path: Path) -> None:
    theme = site / "themes" / "plain" / "layouts"
    theme.mkdir(parents=True)
    for name, text in PLAIN_THEME.items():
        (theme / name).write_text(text, encoding="utf-8")
    hugo_toml = site / "hugo.toml"
    original = hugo_toml.read_text(encoding="utf-8")
    hugo_toml.write_text(original.replace('theme = "newsdesk"', 'theme = "plain"'), encoding="utf-8")
    try:
        public = tmp_path / "public"
        assert run_hugo(site, destination=public).warnings == []
    finally:
        hugo_toml.write_text(original, encoding="utf-8")
    home = page(public)

    def listed(stem: str) -> list[str]:
        return [str(s) for s in home.xpath(f"//div[@id='{stem}']//figure[@class='list__thumbnail thumbnail']"
                                           "/a[@class='thumbnail__link']/img/@src")]

    assert listed("plain-path") == ["/images/plain.png"] and listed("list-and-post") == ["/images/both.png"]
    assert listed("post-only") == listed("protocol-relative") == listed("no-src") == []

    def shown(stem: str) -> list[str]:
        return [str(s) for s in page(public, f"post/{stem}").xpath("//figure[@class='post__thumbnail thumbnail']/img/@src")]

    assert shown("plain-path") == []  # the site's [params.thumbnail] visibility: lists only
    assert shown("post-only") == ["/images/post-only.png"] and shown("list-and-post") == ["/images/both.png"]
    assert shown("no-src") == []
    img = page(public, "post/post-only").xpath("//img")[0]
    assert img.get("alt") == "Story post-only" and img.get("class") == "thumbnail__image"
