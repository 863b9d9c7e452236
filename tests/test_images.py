"""Story images are served by the site itself (issues 7 and 12): newsdesk downloads them during
`publish` (newsdesk.images) from the replay server on 127.0.0.1 (an `[images.mirrors]` entry, as
`newsdesk demo` does) into the site's image cache, and Hugo only reads those files. Faulty image
hosts are bare sockets on 127.0.0.1: one that never answers, one that floods."""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Self
from urllib.parse import unquote, urlsplit

import pytest
from lxml import html as lxml_html

from newsdesk.config import load_config, parse_config
from newsdesk.sources.tradingview import IMAGE_PREFIX as TRADINGVIEW_IMAGE_PREFIX
from newsdesk.errors import ConfigError
from newsdesk.fetch import fetch_all
from newsdesk.images import (
    BACKOFF_CAP,
    BREAKER_THRESHOLD,
    CACHE_DIR,
    MAX_ATTEMPTS,
    backoff,
    download_pending,
    image_key,
    post_image_urls,
    register_post_images,
    sniff,
)
from newsdesk.publish import publish
from newsdesk.replay import IMAGE_ROUTE, ReplayServer, image_file_name
from newsdesk.runner import build
from newsdesk.sample import load_archive, sample_archive_path
from newsdesk.site.hugo import HugoResult
from newsdesk.site.scaffold import config_text, init_site
from newsdesk.store import Store

PREFIX = TRADINGVIEW_IMAGE_PREFIX
IMAGE_LINE = re.compile(r"^!\[([^\]]*)\]\((\S+)\)$", re.MULTILINE)
SOURCE_IMAGES = sample_archive_path() / "images"
PNG_1X1 = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


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

    def page(self, stem: str) -> lxml_html.HtmlElement:
        return lxml_html.fromstring((self.public / "post" / stem / "index.html").read_bytes())


class SilentHost:
    """Accepts connections on 127.0.0.1 and never answers; holds at most 64 of them until stopped."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def prefix(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _serve(self) -> None:
        while not self._stop.is_set() and len(self.accepted) < 64:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.accepted.append(conn)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        for conn in self.accepted:
            conn.close()
        self.sock.close()


class FloodHost(SilentHost):
    """Answers each request with 200 image/jpeg, no Content-Length, and JPEG-looking bytes until the
    client hangs up or ``limit`` bytes are sent (at most 8 connections); ``sent`` counts per connection."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.sent: list[int] = []

    def _serve(self) -> None:
        while not self._stop.is_set() and len(self.sent) < 8:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(5)
                request = b""
                while b"\r\n\r\n" not in request and len(request) < 65536:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    request += chunk
                sent = 0
                try:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nConnection: close\r\n\r\n"
                                 b"\xff\xd8\xff\xe0")
                    block = bytes(65536)
                    while sent < self.limit and not self._stop.is_set():
                        conn.sendall(block)
                        sent += len(block)
                except OSError:
                    pass
                self.sent.append(sent)


def make_site(root: Path, server: ReplayServer, extra: str = "", posts: dict[str, str] | None = None) -> Path:
    """init + fetch + publish (which downloads the images); ``posts`` are written before publish."""
    text = config_text(api_url=server.url, languages=("en", "de", "es"), image_mirror=server.url,
                       base_url="https://news.example.com/")
    init_site(root, text=with_images(text, extra))
    config = load_config(root / "newsdesk.toml", required=True)
    with Store(config.store_path) as store:
        fetch_all(config, store)
        for name, body in (posts or {}).items():
            path = config.content_dir / name
            path.write_text(body, encoding="utf-8")
            register_post_images(store, body)
        publish(config, store)
    return root / "newsdesk.toml"


def with_images(text: str, keys: str) -> str:
    """newsdesk.toml ``text`` with the ``[images]`` keys of ``keys`` ("key = value" lines) set."""
    for line in keys.splitlines():
        key = line.split(" = ", 1)[0]
        text, found = re.subn(rf"(?m)^{key} = .*$", line.replace("\\", "\\\\"), text, count=1)
        assert found, key
    return text


def built(root: Path, config_file: Path) -> Site:
    result = build(load_config(config_file, required=True))
    return Site(root, root / "site" / "public", config_file, result)


def candidates(img: lxml_html.HtmlElement) -> list[str]:
    urls = [img.get("src") or ""]
    for part in (img.get("srcset") or "").split(","):
        if part.strip():
            urls.append(part.split()[0])
    return urls


def image_rows(root: Path) -> dict[str, tuple[str, str | None, int, str | None, int | None]]:
    with sqlite3.connect(root / "newsdesk.db") as db:
        return {url: (status, file, attempts, error, next_try) for url, status, file, attempts, error, next_try
                in db.execute("SELECT url, status, file, attempts, last_error, next_try FROM images")}


def hand_post(title: str, url: str, alt: str) -> str:
    return f'---\ntitle: "{title}"\ndate: 2026-11-20 10:00:00\n---\n\n![{alt}]({url})\n\nText.\n'


def sample_image_urls(count: int) -> list[str]:
    """The first ``count`` distinct image URLs of the sample's English bodies."""
    urls: list[str] = []
    for record in load_archive():
        for node in (record["versions"].get("en", {}).get("ast_description") or {}).get("children", []):
            if isinstance(node, dict) and node.get("type") == "news-image":
                url = f"{PREFIX}{node['params']['image']['id']}-resized.jpeg"
                if url not in urls:
                    urls.append(url)
    return urls[:count]


def stem_of(site: Site, url: str) -> str:
    return next(n.rsplit(".", 2)[0] for n, text in site.posts().items() if url in text)


def missing_link(page: lxml_html.HtmlElement, url: str) -> lxml_html.HtmlElement:
    figures = [f for f in page.cssselect("figure.story-image-missing") if f.cssselect(f'a[href="{url}"]')]
    assert len(figures) == 1, f"no missing-image figure linking to {url}"
    assert figures[0].find(".//img") is None
    return figures[0].cssselect("figcaption a")[0]


# -- the sample site, its images downloaded by publish, built with the image server stopped --------

@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, ReplayServer]]:
    root = tmp_path_factory.mktemp("images-site")
    with ReplayServer() as server:
        config_file = make_site(root, server)
    yield built(root, config_file), server  # the server is gone: the build cannot download


def test_posts_keep_the_source_image_urls(site: tuple[Site, ReplayServer]) -> None:
    """`newsdesk render`'s output is unchanged: the posts link the source's image files."""
    posts = site[0].posts()
    urls = [url for text in posts.values() for _, url in IMAGE_LINE.findall(text)]
    assert urls and all(url.startswith(PREFIX) for url in urls)
    thumbs = [m for text in posts.values() for m in re.findall(r'^thumbnail: "(.+)"$', text, re.MULTILINE)]
    assert thumbs and all(t.startswith(PREFIX) for t in thumbs)


def test_publish_downloads_each_image_once_into_the_cache(site: tuple[Site, ReplayServer]) -> None:
    built_site, server = site
    fetched = [r for r in server.requests if r.startswith(IMAGE_ROUTE)]
    assert len(fetched) == len(set(fetched)) >= 20, "an image was downloaded twice"
    posted = {url for text in built_site.posts().values() for _, url in IMAGE_LINE.findall(text)}
    assert {unquote(r.removeprefix(IMAGE_ROUTE)) for r in fetched} == {unquote(u.removeprefix(PREFIX)) for u in posted}
    rows = image_rows(built_site.root)
    assert set(rows) == posted and all(row[0] == "ok" for row in rows.values())
    cache = built_site.root / "site" / CACHE_DIR
    for url in posted:
        source = SOURCE_IMAGES / image_file_name(unquote(url.removeprefix(PREFIX)))
        file = rows[url][1]
        assert file == f"{image_key(url)}.{sniff(source.read_bytes()[:12])}"  # by content, not name
        assert (cache / file).read_bytes() == source.read_bytes()
    assert not [p for p in cache.iterdir() if p.name.startswith(".")], "a temp file was left"
    assert built_site.result.warnings == []


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
        assert imgs[0].get("loading") is None and imgs[0].get("fetchpriority") == "high"
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
        assert (thumb.get("width"), thumb.get("height")) == ("160", "100")  # 16:10
        for local in candidates(thumb):
            assert (site[0].public / unquote(local).lstrip("/")).is_file()


def test_hugo_may_fetch_nothing_and_no_template_asks_it_to(site: tuple[Site, ReplayServer]) -> None:
    managed = (site[0].root / "site/config/_default/hugo.toml").read_text(encoding="utf-8")
    block = managed.split("[security.http]", 1)[1].split("\n\n", 1)[0]
    assert re.search(r"^urls = \['none'\]$", block, re.MULTILINE), block
    assert "getresource" not in managed and "127.0.0.1" not in managed
    templates = [p for folder in ("layouts", "themes") for p in (site[0].root / "site" / folder).rglob("*")
                 if p.is_file() and p.suffix in (".html", ".xml", ".json", ".txt")]
    assert len(templates) > 20
    assert not [p for p in templates if "GetRemote" in p.read_text(encoding="utf-8")]


# -- the build never waits on the network -----------------------------------------------------------

def test_the_build_makes_no_request_and_gives_the_same_images_without_the_server(tmp_path: Path) -> None:
    with ReplayServer() as server:
        config_file = make_site(tmp_path, server)
        before_build = len(server.requests)
        first = built(tmp_path, config_file)
        assert len(server.requests) == before_build, "the build sent a request"
    assert first.result.warnings == []
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (first.public / "images/story").iterdir()}
    assert before
    shutil.rmtree(first.public)
    again = built(tmp_path, config_file)  # the server is gone
    assert again.result.warnings == []
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (again.public / "images/story").iterdir()}
    assert after == before


# -- failures: 404, wrong type, unreadable, oversize, a host that never answers; a later run --------

def test_failed_images_show_alt_and_link_with_one_warning_each_and_a_later_run_gets_them(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    missing, html, broken = sample_image_urls(3)
    fixed = threading.Event()

    def hook(path: str, query: object) -> tuple[int, dict[str, str], bytes] | None:
        name = unquote(path.removeprefix(IMAGE_ROUTE))
        if PREFIX + name == missing and not fixed.is_set():
            return 404, {"Content-Type": "text/html"}, b"<h1>404 Not Found</h1>"
        if PREFIX + name == html:
            return 200, {"Content-Type": "image/jpeg"}, b"<html>not an image</html>"
        if PREFIX + name == broken:
            return 200, {"Content-Type": "image/jpeg"}, b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 10
        return None

    with ReplayServer(hook=hook) as server, SilentHost() as silent, FloodHost(64 * 2**20) as flood:
        slow, big = silent.prefix + "slow.jpeg", flood.prefix + "big.jpeg"
        hosts = f'hosts = ["{PREFIX}", "{silent.prefix}", "{flood.prefix}"]\ntimeout = 1.0\nmax_bytes = 200000\n'
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="newsdesk"):
            config_file = make_site(tmp_path, server, hosts, {"slow.en.md": hand_post("Slow", slow, "A slow chart"),
                                                              "big.en.md": hand_post("Big", big, "A big chart")})
        took = time.monotonic() - started
        assert flood.sent and max(flood.sent) < 16 * 2**20, "the client read on past max_bytes"
    assert took < 60  # the never-answering host costs its timeout (1 s here), not minutes
    failed = {missing: "404", html: "not an image", slow: "no answer", big: "max_bytes"}
    warned = [r.getMessage() for r in caplog.records if r.name == "newsdesk.images"]
    for url, reason in failed.items():
        mine = [w for w in warned if url in w]
        assert len(mine) == 1 and reason in mine[0], (url, warned)
    rows = image_rows(tmp_path)
    for url, reason in failed.items():
        status, file, attempts, error, next_try = rows[url]
        assert (status, file, attempts) == ("failed", None, 1) and reason in (error or "")
        assert next_try is not None and next_try > time.time() + 60
    assert rows[broken][0] == "ok"  # the right first bytes: newsdesk keeps it, Hugo cannot read it

    site = built(tmp_path, config_file)
    story_warnings = [w for w in site.result.warnings if "newsdesk: story" in w]
    assert len(story_warnings) == 1 and "not a readable image" in story_warnings[0]
    for url in (missing, html, broken):
        page = site.page(stem_of(site, url))
        link = missing_link(page, url)
        assert link.text_content().strip()
    assert missing_link(site.page("slow"), slow).text_content().strip() == "A slow chart"
    assert missing_link(site.page("big"), big).text_content().strip() == "A big chart"

    # A later run, once the retry is due and the image is back: the next build shows it.
    fixed.set()
    with ReplayServer(hook=hook) as server2:
        config = load_config(config_file, required=True)
        mirror = (f'"{PREFIX}" = "{server2.url}/news/image/"')
        config_file.write_text(re.sub(rf'^"{re.escape(PREFIX)}" = .*$', mirror, config_file.read_text(), flags=re.MULTILINE))
        config = load_config(config_file, required=True)
        with Store(config.store_path) as store:
            assert download_pending(config, store).downloaded == 0  # not due yet: nothing asked
            assert not [r for r in server2.requests if r.startswith(IMAGE_ROUTE)]
            report = download_pending(config, store, now=time.time() + backoff(1) + 1)
        assert report.downloaded == 1  # the 404 is back; the HTML one is still no image, the hosts are gone
        assert {url for url, _ in report.failed} == {html, slow, big}
    assert image_rows(tmp_path)[missing][0] == "ok"
    again = built(tmp_path, config_file)
    figure = again.page(stem_of(again, missing)).cssselect("figure.story-image img")
    assert figure and all(c.startswith("/images/story/") for img in figure for c in candidates(img))


def test_process_off_downloads_nothing_and_links_the_source_files(tmp_path: Path) -> None:
    with ReplayServer() as server:
        config_file = make_site(tmp_path, server, "process = false\n")
        site = built(tmp_path, config_file)
        assert not [r for r in server.requests if r.startswith(IMAGE_ROUTE)]
    assert site.result.warnings == []
    assert not (tmp_path / "site" / CACHE_DIR).exists()
    assert {row[0] for row in image_rows(tmp_path).values()} == {"pending"}  # registered for later
    srcs = [img.get("src") for _, tree in site.pages() for img in tree.cssselect(".story-body img")]
    assert srcs and all(s.startswith(PREFIX) for s in srcs)


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


# -- the downloader on its own (no Hugo) ------------------------------------------------------------

@pytest.fixture
def bare(tmp_path: Path) -> Path:
    """A site with no posts; tests register their URLs and write the [images] table."""
    init_site(tmp_path)
    return tmp_path / "newsdesk.toml"


def configure(config_file: Path, images: str = "", mirror: str = "") -> None:
    text = with_images(config_file.read_text(encoding="utf-8"), images)
    if mirror:
        text = re.sub(r"(?m)^\[images\.mirrors\].*$", lambda m: f'{m.group(0)}\n"{PREFIX}" = "{mirror}"', text, count=1)
    config_file.write_text(text, encoding="utf-8")


def test_the_breaker_skips_a_dead_host_for_the_rest_of_the_run_and_tries_it_next_run(
        bare: Path, caplog: pytest.LogCaptureFixture) -> None:
    with SilentHost() as silent:
        configure(bare, f'hosts = ["{silent.prefix}"]\ntimeout = 0.5\nconcurrency = 1\n')
        config = load_config(bare, required=True)
        urls = [f"{silent.prefix}chart-{k}.jpeg" for k in range(7)]
        with Store(config.store_path) as store:
            assert register_post_images(store, "\n\n".join(f"![c{k}]({u})" for k, u in enumerate(urls))) == 7
            with caplog.at_level(logging.WARNING, logger="newsdesk"):
                first = download_pending(config, store)
            time.sleep(0.2)
            assert len(silent.accepted) == BREAKER_THRESHOLD
            assert len(first.failed) == BREAKER_THRESHOLD and first.skipped == 7 - BREAKER_THRESHOLD
            assert first.broken_hosts == [f"127.0.0.1:{silent.port}"]
            assert sum("failed 3 times in a row" in r.getMessage() for r in caplog.records) == 1
            rows = image_rows(bare.parent)
            assert sorted(row[0] for row in rows.values()) == ["failed"] * 3 + ["pending"] * 4
            second = download_pending(config, store)  # the next run: the skipped ones are tried
            time.sleep(0.2)
            assert len(silent.accepted) == 2 * BREAKER_THRESHOLD
            assert len(second.failed) == BREAKER_THRESHOLD and second.skipped == 1
    assert {row[2] for row in image_rows(bare.parent).values()} == {0, 1}  # skipped ones spent no attempt


def test_type_comes_from_the_content_and_the_file_is_keyed_by_the_original_url(bare: Path) -> None:
    def hook(path: str, query: object) -> tuple[int, dict[str, str], bytes] | None:
        return (200, {"Content-Type": "image/jpeg"}, PNG_1X1) if path.endswith("png-as-jpeg.jpeg") else None

    with ReplayServer(hook=hook) as server:
        configure(bare, mirror=f"{server.url}/news/image/")
        config = load_config(bare, required=True)
        url = PREFIX + "png-as-jpeg.jpeg"
        with Store(config.store_path) as store:
            register_post_images(store, f"![x]({url})")
            report = download_pending(config, store)
    assert report.downloaded == 1
    assert server.requests == [IMAGE_ROUTE + "png-as-jpeg.jpeg"]  # from the mirror
    assert (bare.parent / "site" / CACHE_DIR / f"{image_key(url)}.png").read_bytes() == PNG_1X1


def test_a_host_not_allowed_is_never_asked_and_is_fetched_once_allowed(
        bare: Path, caplog: pytest.LogCaptureFixture) -> None:
    def hook(path: str, query: object) -> tuple[int, dict[str, str], bytes] | None:
        return 200, {"Content-Type": "image/png"}, PNG_1X1

    with ReplayServer(hook=hook) as server:
        url = f"{server.url}/elsewhere/a.png"
        config = load_config(bare, required=True)
        with Store(config.store_path) as store:
            register_post_images(store, f"![x]({url})")
            with caplog.at_level(logging.WARNING, logger="newsdesk"):
                assert download_pending(config, store).blocked == 1
                assert download_pending(config, store).blocked == 1
            assert sum(url in r.getMessage() and "not allowed" in r.getMessage() for r in caplog.records) == 1
            assert not server.requests and image_rows(bare.parent)[url][0] == "blocked"
            configure(bare, f'hosts = ["{server.url}/elsewhere/"]\n')
            assert download_pending(load_config(bare, required=True), store).downloaded == 1
    assert image_rows(bare.parent)[url][0] == "ok"


def test_post_image_urls_reads_images_and_an_http_thumbnail() -> None:
    text = ('---\ntitle: "T"\nthumbnail: "https://img.example.com/t.png"\n---\n\n'
            "![a \\] b](https://img.example.com/a.jpeg)\n\n\\![not](https://img.example.com/escaped.jpeg)\n\n"
            "[a link](https://img.example.com/link.jpeg) ![rel](/local.png) ![again](https://img.example.com/a.jpeg)\n")
    assert post_image_urls(text) == ["https://img.example.com/t.png", "https://img.example.com/a.jpeg"]
    assert post_image_urls('---\nthumbnail: "images/x.svg"\n---\n\nno images\n') == []


def test_sniff_knows_four_types_and_nothing_else() -> None:
    assert sniff(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00") == "jpg"
    assert sniff(PNG_1X1) == "png"
    assert sniff(b"GIF89a\x01\x00\x01\x00\x00\x00") == "gif"
    assert sniff(b"RIFF\x24\x00\x00\x00WEBPVP8 ") == "webp"
    assert sniff(b"RIFF\x24\x00\x00\x00WAVEfmt ") is None
    assert sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None
    assert sniff(b"") is None


def test_backoff_doubles_and_is_capped() -> None:
    waits = [backoff(n) for n in range(1, MAX_ATTEMPTS + 1)]
    assert waits == sorted(waits) and waits[1] == 2 * waits[0] and max(waits) <= BACKOFF_CAP


@pytest.mark.parametrize(("key", "value"), [("timeout", 0), ("timeout", "5"), ("concurrency", 0), ("concurrency", 1.5)])
def test_download_settings_are_checked(key: str, value: object) -> None:
    with pytest.raises(ConfigError, match=rf"^images\.{key}: "):
        parse_config({"images": {key: value}})
    assert parse_config({}).images.timeout == 5.0 and parse_config({}).images.concurrency == 4


def test_with_several_workers_a_dead_host_costs_one_round_of_timeouts(bare: Path) -> None:
    with SilentHost() as silent:
        configure(bare, f'hosts = ["{silent.prefix}"]\ntimeout = 0.5\nconcurrency = 4\n')
        config = load_config(bare, required=True)
        with Store(config.store_path) as store:
            register_post_images(store, "\n\n".join(f"![c{k}]({silent.prefix}{k}.jpeg)" for k in range(40)))
            started = time.monotonic()
            report = download_pending(config, store)
            took = time.monotonic() - started
        time.sleep(0.2)
    assert BREAKER_THRESHOLD <= len(silent.accepted) <= 4  # the first requests in flight, then none
    assert len(report.failed) == len(silent.accepted) and report.skipped == 40 - len(silent.accepted)
    assert took < 10 * 0.5  # one round of timeouts (0.5 s), not one per image


def test_posts_written_before_images_were_downloaded_are_scanned_once(tmp_path: Path) -> None:
    from newsdesk import images
    from newsdesk.config import parse_config
    from newsdesk.store import Store

    config = parse_config({"site": {"path": "site"}, "store": {"path": "a.db"}}, root=tmp_path)
    config.content_dir.mkdir(parents=True)
    with Store(config.store_path) as store:
        images.note_new_archive(store)  # no post yet: nothing to scan later
        assert store.get_meta(images.SCAN_META) == "1"
        store.set_meta(images.SCAN_META, "0")  # an archive whose posts predate the images table
        store.db.execute("INSERT INTO posts (path, id, lang, hash) VALUES ('old.en.md', 'old', 'en', 'h')")
        (config.content_dir / "old.en.md").write_text(
            '---\ntitle: "Old"\nthumbnail: "https://img.example/t.png"\n---\n\n![chart](https://img.example/a.jpeg)\n',
            encoding="utf-8")
        (config.content_dir / "notes.txt").write_text("![x](https://img.example/no.jpeg)", encoding="utf-8")
        images.note_new_archive(store)  # it has posts: the scan stays to be done
        images._scan_posts(config, store)
        urls = {row[0] for row in store.db.execute("SELECT url FROM images WHERE status = 'pending'")}
        assert urls == {"https://img.example/a.jpeg", "https://img.example/t.png"}
        assert store.get_meta(images.SCAN_META) == "1"
