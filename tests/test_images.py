"""Story images are served by the site itself (issue 7): a real Hugo build of the sample site whose
image host is the replay server on 127.0.0.1 (an `[images.mirrors]` entry, as `newsdesk demo` does)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import html as lxml_html

from newsdesk.config import load_config
from newsdesk.fetch import fetch_all
from newsdesk.publish import publish
from newsdesk.replay import IMAGE_ROUTE, ReplayServer, image_file_name
from newsdesk.runner import build
from newsdesk.sample import load_archive, sample_archive_path
from newsdesk.site.hugo import HugoResult
from newsdesk.site.scaffold import config_text, init_site
from newsdesk.store import Store

PREFIX = "https://s3.tradingview.com/news/image/"
IMAGE_LINE = re.compile(r"^!\[([^\]]*)\]\((\S+)\)$", re.M)
SOURCE_IMAGES = sample_archive_path() / "images"


@dataclass
class Site:
    root: Path
    public: Path
    config_file: Path
    result: HugoResult

    def pages(self) -> Iterator[tuple[Path, lxml_html.HtmlElement]]:
        for path in sorted(self.public.rglob("*.html")):
            yield path, lxml_html.fromstring(path.read_bytes())

    def posts(self) -> dict[str, str]:
        return {p.name: p.read_text(encoding="utf-8") for p in (self.root / "site/content/post").glob("*.md")}


def make_site(root: Path, server: ReplayServer, extra: str = "") -> Path:
    text = config_text(api_url=server.url, languages=("en", "de", "es"), image_mirror=server.url,
                       base_url="https://news.example.com/")
    init_site(root, text=text + extra)
    config = load_config(root / "newsdesk.toml", required=True)
    with Store(config.store_path) as store:
        fetch_all(config, store)
        publish(config, store)
    return root / "newsdesk.toml"


def built(root: Path, config_file: Path) -> Site:
    result = build(load_config(config_file, required=True))
    return Site(root, root / "site" / "public", config_file, result)


def candidates(img: lxml_html.HtmlElement) -> list[str]:
    urls = [img.get("src") or ""]
    for part in (img.get("srcset") or "").split(","):
        if part.strip():
            urls.append(part.split()[0])
    return urls


def story_warnings(result: HugoResult) -> list[str]:
    return [w for w in result.warnings if "newsdesk: story" in w]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, ReplayServer]]:
    root = tmp_path_factory.mktemp("images-site")
    shared = os.environ.pop("HUGO_RESOURCEDIR", None)  # this site downloads everything itself
    try:
        with ReplayServer() as server:
            config_file = make_site(root, server)
            yield built(root, config_file), server
    finally:
        if shared is not None:
            os.environ["HUGO_RESOURCEDIR"] = shared


def test_posts_keep_the_source_image_urls(site: tuple[Site, ReplayServer]) -> None:
    """`newsdesk render`'s output is unchanged: the posts link the source's image files."""
    posts = site[0].posts()
    urls = [url for text in posts.values() for _, url in IMAGE_LINE.findall(text)]
    assert urls and all(url.startswith(PREFIX) for url in urls)
    thumbs = [m for text in posts.values() for m in re.findall(r'^thumbnail: "(.+)"$', text, re.M)]
    assert thumbs and all(t.startswith(PREFIX) for t in thumbs)


def test_the_build_fetches_each_image_once_and_warns_about_nothing(site: tuple[Site, ReplayServer]) -> None:
    built_site, server = site
    assert built_site.result.warnings == []
    fetched = [r for r in server.requests if r.startswith(IMAGE_ROUTE)]
    assert fetched, "Hugo fetched no image from the replay server"
    assert len(fetched) == len(set(fetched)), "an image was downloaded twice in one build"
    posted = {url for text in built_site.posts().values() for _, url in IMAGE_LINE.findall(text)}
    assert {unquote(r.removeprefix(IMAGE_ROUTE)) for r in fetched} == {unquote(u.removeprefix(PREFIX)) for u in posted}


def test_no_img_on_any_page_points_to_another_host(site: tuple[Site, ReplayServer]) -> None:
    checked = 0
    for path, tree in site[0].pages():
        for img in tree.iter("img", "source"):
            for url in candidates(img):
                if url:
                    parts = urlsplit(url)
                    assert not parts.scheme and not parts.netloc, f"{path}: remote image {url}"
                    checked += 1
    assert checked > 50


def test_story_images_are_local_resized_and_smaller_than_their_source(site: tuple[Site, ReplayServer]) -> None:
    built_site = site[0]
    seen = most = 0
    for name, text in built_site.posts().items():
        images = IMAGE_LINE.findall(text)
        if not images:
            continue
        stem, lang = name.removesuffix(".md").rsplit(".", 1)
        page = built_site.public / ("" if lang == "en" else lang) / "post" / stem / "index.html"
        tree = lxml_html.fromstring(page.read_bytes())
        figures = tree.cssselect(".story-body figure.story-image")
        assert len(figures) == len(images), page
        for figure, (alt, url) in zip(figures, images, strict=True):
            source = SOURCE_IMAGES / image_file_name(unquote(url.removeprefix(PREFIX)))
            img = figure.find(".//img")
            assert img is not None, f"{page}: no <img> for {url}"
            assert int(img.get("width")) > 0 and int(img.get("height")) > 0
            assert img.get("sizes")
            widths = [int(part.split()[1].removesuffix("w")) for part in img.get("srcset").split(",")]
            assert widths and widths == sorted(widths)
            most = max(most, len(widths))
            for local in candidates(img):
                file = built_site.public / unquote(local).lstrip("/")
                assert file.is_file(), f"{page}: {local} is not in the built site"
                assert file.stat().st_size < source.stat().st_size, f"{local} is not smaller than {source.name}"
            caption = figure.find(".//figcaption")
            if alt:
                assert caption is not None and caption.text_content().strip() == alt.replace("\\", "")
            seen += 1
        imgs = tree.cssselect(".story-body img")
        assert imgs[0].get("loading") is None  # the first image is above the fold
        assert all(i.get("loading") == "lazy" for i in imgs[1:])
    assert seen >= 5
    assert most >= 3, "no image got a srcset of several widths"


def test_list_pages_show_local_thumbnails(site: tuple[Site, ReplayServer]) -> None:
    tree = lxml_html.fromstring((site[0].public / "index.html").read_bytes())
    thumbs = tree.cssselect("article.summary figure.thumbnail img")
    assert len(thumbs) >= 5
    real = [t for t in thumbs if "/images/story/" in (t.get("src") or "")]
    fallback = [t for t in thumbs if t.get("src", "").endswith("newsdesk-thumbnail.svg")]
    assert real and fallback and len(real) + len(fallback) == len(thumbs)
    for thumb in real:
        assert re.fullmatch(r"\S+ 160w, \S+ 320w, \S+ 640w", thumb.get("srcset")) and thumb.get("sizes")
        for local in candidates(thumb):
            assert (site[0].public / unquote(local).lstrip("/")).is_file()


@pytest.mark.usefixtures("own_hugo_resources")
def test_a_rebuild_without_the_image_server_yields_the_same_images(tmp_path: Path) -> None:
    with ReplayServer() as server:
        config_file = make_site(tmp_path, server)
        first = built(tmp_path, config_file)
    assert first.result.warnings == []
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (first.public / "images/story").iterdir()}
    assert before
    shutil.rmtree(first.public)  # the server is gone: only Hugo's caches can give the images back
    again = built(tmp_path, config_file)
    assert again.result.warnings == []
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (again.public / "images/story").iterdir()}
    assert after == before


@pytest.mark.usefixtures("own_hugo_resources")
def test_a_missing_image_shows_caption_and_link_with_one_warning(tmp_path: Path) -> None:
    victim = next(image_file_name(f"{node['params']['image']['id']}-resized.jpeg") for record in load_archive()
                  for node in (record["versions"].get("en", {}).get("ast_description") or {}).get("children", [])
                  if isinstance(node, dict) and node.get("type") == "news-image")

    def hook(path: str, query: object) -> tuple[int, dict[str, str], bytes] | None:
        if path.startswith(IMAGE_ROUTE) and image_file_name(unquote(path.removeprefix(IMAGE_ROUTE))) == victim:
            return 404, {"Content-Type": "text/html"}, b"<h1>404 Not Found</h1>"
        return None

    with ReplayServer(hook=hook) as server:
        site = built(tmp_path, make_site(tmp_path, server))
    warnings = story_warnings(site.result)
    assert len(warnings) == 1, site.result.warnings  # one story, in three languages: one warning
    owners = [n for n, text in site.posts().items()
              if any(image_file_name(unquote(u.removeprefix(PREFIX))) == victim for _, u in IMAGE_LINE.findall(text))]
    assert owners
    stem = owners[0].rsplit(".", 2)[0]
    assert f'"{stem}"' in warnings[0] and "404" in warnings[0]
    page = lxml_html.fromstring((site.public / "post" / stem / "index.html").read_bytes())
    missing = page.cssselect("figure.story-image-missing")
    assert len(missing) == 1
    link = missing[0].cssselect("figcaption a")[0]
    assert link.get("href").startswith(PREFIX) and link.text_content().strip()
    assert missing[0].find(".//img") is None


@pytest.mark.usefixtures("own_hugo_resources")
def test_wrong_type_oversized_and_foreign_images_fall_back(tmp_path: Path) -> None:
    names = sorted(p.name for p in SOURCE_IMAGES.iterdir())

    def hook(path: str, query: object) -> tuple[int, dict[str, str], bytes] | None:
        name = image_file_name(unquote(path.removeprefix(IMAGE_ROUTE)))
        if name == names[0]:
            return 200, {"Content-Type": "text/html"}, b"<html>not an image</html>"
        if name == names[1]:
            return 200, {"Content-Type": "image/jpeg"}, b"not really a jpeg"
        return None

    with ReplayServer(hook=hook) as server:
        config_file = make_site(tmp_path, server)
        text = config_file.read_text(encoding="utf-8").replace("max_bytes = 10000000", "max_bytes = 20000")
        config_file.write_text(text, encoding="utf-8")
        foreign = tmp_path / "site/content/post/foreign.en.md"
        foreign.write_text('---\ntitle: "Foreign"\ndate: 2026-11-20 10:00:00\n---\n\n'
                           "![elsewhere](https://images.example.net/a.jpeg)\n", encoding="utf-8")
        site = built(tmp_path, config_file)
    warnings = "\n".join(site.result.warnings)
    assert "not an image" in warnings
    assert "not a readable image" in warnings
    assert "max_bytes" in warnings
    assert '"foreign"' in warnings and "not allowed" in warnings
    page = lxml_html.fromstring((site.public / "post/foreign/index.html").read_bytes())
    assert page.cssselect("figure.story-image-missing figcaption a")[0].get("href") == "https://images.example.net/a.jpeg"
    for _, tree in site.pages():
        for img in tree.iter("img"):
            assert all(not urlsplit(u).netloc for u in candidates(img))


@pytest.mark.usefixtures("own_hugo_resources")
def test_process_off_links_the_source_files(tmp_path: Path) -> None:
    with ReplayServer() as server:
        config_file = make_site(tmp_path, server)
        text = config_file.read_text(encoding="utf-8").replace("process = true", "process = false")
        config_file.write_text(text, encoding="utf-8")
        site = built(tmp_path, config_file)
        assert not [r for r in server.requests if r.startswith(IMAGE_ROUTE)]
    assert site.result.warnings == []
    srcs = [img.get("src") for _, tree in site.pages() for img in tree.cssselect(".story-body img")]
    assert srcs and all(s.startswith(PREFIX) for s in srcs)


def test_hugo_may_fetch_only_from_the_image_prefixes(site: tuple[Site, ReplayServer]) -> None:
    managed = (site[0].root / "site/config/_default/hugo.toml").read_text(encoding="utf-8")
    block = managed.split("[security.http]", 1)[1].split("\n\n", 1)[0]
    urls = re.search(r"^urls = \[(.*)\]$", block, re.M).group(1)  # type: ignore[union-attr]
    patterns = re.findall(r'"((?:[^"\\]|\\.)*)"', urls)
    assert patterns == ["^https://s3\\\\.tradingview\\\\.com/news/image/",
                        f"^{re.escape(site[1].url + '/news/image/')}".replace("\\", "\\\\")]


def test_a_mainroad_style_theme_gets_local_thumbnails(tmp_path: Path) -> None:
    """Another theme that calls Mainroad's `post_thumbnail.html` partial, as Mainroad does, gets
    the site's own copies too (newsdesk's managed override of that partial)."""
    theme = tmp_path / "site/themes/plain/layouts"
    (theme / "_partials").mkdir(parents=True)
    (theme / "baseof.html").write_text('<!DOCTYPE html><html><body>{{ block "main" . }}{{ end }}</body></html>\n')
    (theme / "single.html").write_text('{{ define "main" }}{{ partial "post_thumbnail.html" (dict "page" . "class" "post") }}'
                                       "{{ .Content }}{{ end }}\n")
    (theme / "list.html").write_text('{{ define "main" }}{{ range .Pages }}{{ partial "post_thumbnail.html" '
                                     '(dict "page" . "class" "list") }}{{ end }}{{ end }}\n')
    (theme / "home.html").write_text('{{ define "main" }}{{ range site.RegularPages }}{{ partial "post_thumbnail.html" '
                                     '(dict "page" . "class" "list") }}{{ end }}{{ end }}\n')
    with ReplayServer() as server:
        config_file = make_site(tmp_path, server)
        hugo_toml = tmp_path / "site/hugo.toml"
        hugo_toml.write_text(hugo_toml.read_text().replace('theme = "newsdesk"', 'theme = "plain"'))
        site = built(tmp_path, config_file)
    thumbs = lxml_html.fromstring((site.public / "index.html").read_bytes()).cssselect("figure.thumbnail img")
    assert len(thumbs) >= 5
    for _, tree in site.pages():
        for img in tree.iter("img"):
            for url in candidates(img):
                assert url.startswith("/images/story/"), url
