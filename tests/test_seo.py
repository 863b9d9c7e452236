"""News SEO (issue 7): canonical and hreflang links, OpenGraph and Twitter cards, one JSON-LD
NewsArticle per story, sitemaps, the news sitemaps, robots.txt and feeds with absolute URLs.

One real Hugo build for the module: the bundled sample (fetched from the replay server, which also
serves its images) plus a few posts written here, dated relative to the test's clock and titled
to break naive escaping. Every story page of the build is checked.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import lxml.etree as etree
import lxml.html
import pytest
import yaml

from newsdesk.config import Config, load_config
from newsdesk.fetch import fetch_all
from newsdesk.publish import publish
from newsdesk.render.frontmatter import front_matter
from newsdesk.render.markdown import escape_inline
from newsdesk.replay import ReplayServer
from newsdesk.runner import build
from newsdesk.sample import sample_archive_path
from newsdesk.site.hugo import HugoResult
from newsdesk.site.scaffold import TICKER_DATA, config_text, init_site
from newsdesk.store import Store

BASE = "https://news.example.com/"
LANGS = ("en", "de", "es")
SITE_TITLE = "Market News"
SM = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
NS = {"sm": SM, "news": NEWS}

HOSTILE = 'He said "buy": AMZN </script><script>alert(1)</script> & HLXR <b>soar</b> \U0001F680 \'now\''
LONG = ("Amazon & Helixar: " + "a very long headline with emoji \U0001F4C8 and \"quotes\" " * 4).strip()
NEWLINE = "Two lines:\nampersand & <tag> and a backslash \\ end"


@dataclass
class Extra:
    """A post this module writes: its name, per-language title, age, tags, image."""
    name: str
    langs: tuple[str, ...]
    title: str
    age: timedelta
    tags: tuple[str, ...]
    image: bool


EXTRAS = (
    Extra("seo-hostile", ("en", "de"), HOSTILE, timedelta(hours=1), ("TradingView", "AMZN", "HLXR", "Stocks"), True),
    Extra("seo-long", ("en",), LONG, timedelta(hours=47), ("TradingView", "AMZN"), False),
    Extra("seo-old-two-days", ("en", "de"), NEWLINE, timedelta(hours=49), ("TradingView", "Markets"), True),
    Extra("seo-ten-days", ("de",), "Nur auf Deutsch: \"Zitat\" & Umlaute äöü", timedelta(days=10),
          ("TradingView", "HLXR"), False),
)
SUMMARY = 'Summary with "quotes", an ampersand & and <script>alert("x")</script> in it. \U0001F680'


@dataclass
class Site:
    config: Config
    public: Path
    built: HugoResult
    now: datetime


def url_of(post: Path) -> str:
    """Absolute URL of a post's page: default language at the root, the others under /<lang>/
    (percent-encoded, as Hugo writes permalinks)."""
    name, lang = post.name[:-3].rsplit(".", 1)
    return BASE + quote(f"post/{name}/" if lang == LANGS[0] else f"{lang}/post/{name}/")


def file_of(public: Path, url: str) -> Path:
    assert url.startswith(BASE), url
    rel = unquote(url[len(BASE):])
    return public / rel / "index.html" if rel.endswith("/") or not rel else public / rel


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n", 1)[0][4:])


def write_extra(content: Path, extra: Extra, now: datetime, thumbnail: str) -> None:
    date = (now - extra.age).replace(microsecond=0)
    for lang in extra.langs:
        title = extra.title if lang == "en" else f"{extra.title} (de)"
        text = front_matter([
            ("title", title),
            ("date", date.strftime("%Y-%m-%dT%H:%M:%SZ")),
            ("summary", escape_inline(SUMMARY)),
            ("categories", ["TradingView"]),
            ("tags", list(extra.tags)),
            ("thumbnail", thumbnail if extra.image else ""),
        ])
        body = f"Body of {extra.name} in {lang}.\n"
        if extra.image:
            body = f"![A chart]({thumbnail})\n\n{body}"
        (content / f"{extra.name}.{lang}.md").write_text(f"{text}\n{body}", encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("seo")
    with ReplayServer(sample_archive_path()) as server:
        text = config_text(api_url=server.url, languages=LANGS, image_mirror=server.url, base_url=BASE)
        init_site(root, text=text)
        config = load_config(root / "newsdesk.toml", required=True)
        with Store(config.store_path) as store:
            fetch_all(config, store)
            publish(config, store)
        thumbs = [t for p in sorted(config.content_dir.glob("*.md")) if isinstance(t := front(p).get("thumbnail"), str) and t]
        assert thumbs, "the sample has story images"
        now = datetime.now(UTC)
        for extra in EXTRAS:
            write_extra(config.content_dir, extra, now, thumbs[0])
        built = build(config)
    return Site(config, config.site_path / "public", built, now)


@pytest.fixture(scope="module")
def stories(site: Site) -> dict[Path, dict]:
    posts = {p: front(p) for p in sorted(site.config.content_dir.glob("*.md"))}
    assert len(posts) > 40
    return posts


@pytest.fixture(scope="module")
def tickers(site: Site) -> dict[str, list[str]]:
    return json.loads((site.config.site_path / TICKER_DATA).read_text(encoding="utf-8"))


def doc(site: Site, url: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(file_of(site.public, url).read_bytes())


def metas(page: lxml.html.HtmlElement, attr: str = "property") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for meta in page.xpath(f"//head/meta[@{attr}]"):
        out.setdefault(meta.get(attr), []).append(meta.get("content"))
    return out


def one(values: dict[str, list[str]], key: str) -> str:
    assert len(values.get(key, [])) == 1, (key, values.get(key))
    return values[key][0]


def plain_summary(post: dict) -> str:
    """The front-matter summary as a reader sees it (Markdown escapes gone, whitespace collapsed);
    the title for a story without one (gated stories)."""
    return " ".join(re.sub(r"\\(.)", r"\1", post["summary"] or post["title"]).split())


def headline(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= 110 else title[:109].rstrip() + "…"


def ticker_tags(post: dict, tickers: dict[str, list[str]]) -> dict[str, list[str]]:
    return {t: tickers[t.lower()] for t in post.get("tags") or [] if t.lower() in tickers}


def has_image(post: dict) -> bool:
    thumb = post.get("thumbnail")
    return bool(thumb) and isinstance(thumb, str)


def local_file(site: Site, url: str) -> Path:
    assert url.startswith(BASE), url
    path = site.public / unquote(urlsplit(url).path.lstrip("/"))
    assert path.is_file(), url
    return path


def parse_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, value
    return parsed


def test_the_site_builds_without_warnings(site: Site) -> None:
    assert site.built.warnings == []
    assert "WARN" not in site.built.output


def test_every_story_page_has_one_valid_news_article(site: Site, stories: dict[Path, dict],
                                                     tickers: dict[str, list[str]]) -> None:
    with_about = with_image = 0
    for path, post in stories.items():
        url = url_of(path)
        page = doc(site, url)
        scripts = page.xpath("//script[@type='application/ld+json']")
        assert len(scripts) == 1, url
        raw = scripts[0].text
        assert "<" not in raw and ">" not in raw, url  # jsonify escapes them: no way out of <script>
        ld = json.loads(raw)
        assert ld["@context"] == "https://schema.org" and ld["@type"] == "NewsArticle", url
        assert ld["headline"] == headline(post["title"]), url
        assert 0 < len(ld["headline"]) <= 110
        assert ld["description"] == plain_summary(post), url
        published, modified = parse_time(ld["datePublished"]), parse_time(ld["dateModified"])
        assert modified >= published
        date = post["date"]
        expected = (date if isinstance(date, datetime) else datetime.fromisoformat(str(date)))
        if expected.tzinfo is None:
            expected = expected.replace(tzinfo=UTC)  # the site's time zone
        assert published == expected, url
        assert ld["mainEntityOfPage"]["@id"] == url and ld["url"] == url
        assert ld["inLanguage"] == path.name[:-3].rsplit(".", 1)[1]
        publisher = ld["publisher"]
        assert publisher["@type"] == "Organization" and publisher["name"] == SITE_TITLE
        assert publisher["logo"]["@type"] == "ImageObject"
        local_file(site, publisher["logo"]["url"])
        assert ld["author"] and all(a["@type"] == "Organization" and a["name"] for a in ld["author"])
        if has_image(post):
            with_image += 1
            assert isinstance(ld["image"], list) and ld["image"], url
            for image in ld["image"]:
                local_file(site, image)
        else:  # a card drawn at build time (docs/site.md, "Preview cards")
            assert [urlsplit(i).path.startswith("/images/cards/") for i in ld["image"]] == [True], url
            local_file(site, ld["image"][0])
        expect = ticker_tags(post, tickers)
        if expect:
            with_about += 1
            about = {a["name"]: a["tickerSymbol"] for a in ld["about"]}
            assert all(a["@type"] == "Corporation" for a in ld["about"])
            assert about == {t: s[0] if len(s) == 1 else s for t, s in expect.items()}, url
        else:
            assert "about" not in ld, url
    assert with_about > 10 and with_image > 5


def test_hostile_titles_survive_escaping(site: Site) -> None:
    page = doc(site, f"{BASE}post/seo-hostile/")
    assert page.xpath("//h1")[0].text_content() == HOSTILE
    assert one(metas(page), "og:title") == HOSTILE
    assert one(metas(page, "name"), "twitter:title") == HOSTILE
    assert one(metas(page), "og:description") == SUMMARY
    assert not page.xpath("//script[not(@type='application/ld+json')][contains(., 'alert')]"), "a script got out"
    ld = json.loads(page.xpath("//script[@type='application/ld+json']")[0].text)
    assert ld["headline"] == HOSTILE and ld["description"] == SUMMARY
    long = json.loads(doc(site, f"{BASE}post/seo-long/").xpath("//script[@type='application/ld+json']")[0].text)
    assert len(LONG) > 110 and len(long["headline"]) == 110 and long["headline"].endswith("…")
    assert LONG.startswith(long["headline"][:-1])
    two = doc(site, f"{BASE}post/seo-old-two-days/")
    assert json.loads(two.xpath("//script[@type='application/ld+json']")[0].text)["headline"] == " ".join(NEWLINE.split())


def test_every_story_page_has_opengraph_twitter_and_canonical(site: Site, stories: dict[Path, dict],
                                                             tickers: dict[str, list[str]]) -> None:
    for path, post in stories.items():
        url = url_of(path)
        page = doc(site, url)
        canonical = page.xpath("//head/link[@rel='canonical']/@href")
        assert canonical == [url]
        og, tw = metas(page), metas(page, "name")
        assert one(og, "og:type") == "article"
        assert one(og, "og:url") == url
        assert one(og, "og:title") == post["title"]
        assert one(og, "og:description") == plain_summary(post)
        assert one(og, "og:site_name") == SITE_TITLE
        assert one(og, "og:locale") == path.name[:-3].rsplit(".", 1)[1]
        assert parse_time(one(og, "article:published_time")) <= parse_time(one(og, "article:modified_time"))
        assert one(og, "article:section") == post["categories"][0]
        assert sorted(og.get("article:tag", [])) == sorted(ticker_tags(post, tickers)), url
        assert one(tw, "twitter:title") == post["title"]
        assert one(tw, "twitter:description") == plain_summary(post)
        if has_image(post):
            image = one(og, "og:image")
            local_file(site, image)
            assert int(one(og, "og:image:width")) > 0 and int(one(og, "og:image:height")) > 0
            assert one(og, "og:image:type").startswith("image/")
            assert one(tw, "twitter:card") == "summary_large_image"
            assert one(tw, "twitter:image") == image
        else:  # a card drawn at build time
            assert urlsplit(one(og, "og:image")).path.startswith("/images/cards/"), url
            assert one(tw, "twitter:image") == one(og, "og:image") and one(tw, "twitter:card") == "summary_large_image"


def test_image_size_matches_the_published_file(site: Site) -> None:
    og = metas(doc(site, f"{BASE}post/seo-hostile/"))
    data = local_file(site, one(og, "og:image")).read_bytes()
    if one(og, "og:image:type") == "image/webp":  # VP8 / VP8L / VP8X: read the canvas size
        assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
        kind = data[12:16]
        if kind == b"VP8X":
            size = (int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1)
        elif kind == b"VP8L":
            bits = int.from_bytes(data[21:25], "little")
            size = ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        else:
            size = (int.from_bytes(data[26:28], "little") & 0x3FFF, int.from_bytes(data[28:30], "little") & 0x3FFF)
        assert size == (int(one(og, "og:image:width")), int(one(og, "og:image:height")))


def hreflangs(page: lxml.html.HtmlElement) -> dict[str, str]:
    links = page.xpath("//head/link[@rel='alternate'][@hreflang]")
    pairs = [(link.get("hreflang"), link.get("href")) for link in links]
    assert len(pairs) == len(dict(pairs)), pairs  # no language twice
    return dict(pairs)


def test_hreflang_sets_are_symmetric_with_x_default(site: Site, stories: dict[Path, dict]) -> None:
    groups: dict[str, set[str]] = {}
    for path in stories:
        groups.setdefault(path.name[:-3].rsplit(".", 1)[0], set()).add(path.name[:-3].rsplit(".", 1)[1])
    translated = 0
    for path in stories:
        name, lang = path.name[:-3].rsplit(".", 1)
        url = url_of(path)
        alternates = hreflangs(doc(site, url))
        langs = groups[name]
        expected = {code: url_of(path.with_name(f"{name}.{code}.md")) for code in langs}
        first = next(code for code in LANGS if code in langs)
        expected["x-default"] = expected[first]
        assert alternates == expected, url
        assert alternates[lang] == url
        for code, href in alternates.items():
            assert hreflangs(doc(site, href)) == alternates, (url, code)
        translated += len(langs) > 1
    assert translated > 5
    # a story only in German: x-default is the German page itself
    de_only = f"{BASE}de/post/seo-ten-days/"
    assert hreflangs(doc(site, de_only)) == {"de": de_only, "x-default": de_only}


def test_home_and_list_pages_have_website_basics_and_no_article(site: Site) -> None:
    urls = [BASE, f"{BASE}de/", f"{BASE}es/", f"{BASE}tags/amzn/", f"{BASE}categories/", f"{BASE}page/2/",
            f"{BASE}de/tags/hlxr/"]
    for url in urls:
        page = doc(site, url)
        canonical = page.xpath("//head/link[@rel='canonical']/@href")
        assert canonical == [url] or (url.endswith("/page/2/") and canonical[0].startswith(BASE)), url
        og = metas(page)
        assert one(og, "og:type") == "website"
        assert one(og, "og:url").startswith(BASE) and one(og, "og:site_name") == SITE_TITLE
        assert one(og, "og:title")
        assert not page.xpath("//script[@type='application/ld+json']"), url
        assert "article:published_time" not in og
        assert "x-default" in hreflangs(page)
    missing = lxml.html.fromstring((site.public / "404.html").read_bytes())
    assert not missing.xpath("//head/link[@rel='canonical'] | //head/meta[@property='og:url']")


def expected_news(stories: dict[Path, dict], now: datetime, lang: str) -> set[str]:
    out = set()
    for path, post in stories.items():
        if path.name[:-3].rsplit(".", 1)[1] != lang:
            continue
        date = post["date"] if isinstance(post["date"], datetime) else datetime.fromisoformat(str(post["date"]))
        if date.tzinfo is None:
            date = date.replace(tzinfo=UTC)
        if now - date <= timedelta(days=2):
            out.add(url_of(path))
    return out


def test_news_sitemaps_hold_exactly_the_stories_of_the_last_two_days(site: Site, stories: dict[Path, dict]) -> None:
    expected = {
        "en": {f"{BASE}post/seo-hostile/", f"{BASE}post/seo-long/"},
        "de": {f"{BASE}de/post/seo-hostile/"},
        "es": set(),
    }
    for lang in LANGS:
        assert expected_news(stories, site.now, lang) == expected[lang]  # the sample itself is older
        prefix = "" if lang == LANGS[0] else f"{lang}/"
        tree = etree.parse(str(site.public / prefix / "news-sitemap.xml"))
        entries = tree.xpath("/sm:urlset/sm:url", namespaces=NS)
        locs = [e.findtext(f"{{{SM}}}loc") for e in entries]
        assert set(locs) == expected[lang] and len(locs) == len(set(locs)), lang
        for entry, loc in zip(entries, locs, strict=True):
            post = front(site.config.content_dir / f"{unquote(loc).rstrip('/').rsplit('/', 1)[1]}.{lang}.md")
            assert entry.findtext("news:news/news:publication/news:name", namespaces=NS) == SITE_TITLE
            assert entry.findtext("news:news/news:publication/news:language", namespaces=NS) == lang
            assert entry.findtext("news:news/news:title", namespaces=NS) == post["title"]
            published = parse_time(entry.findtext("news:news/news:publication_date", namespaces=NS))
            assert site.now - published <= timedelta(days=2)


def test_sitemaps_are_complete_with_lastmod_and_absolute(site: Site, stories: dict[Path, dict]) -> None:
    index = etree.parse(str(site.public / "sitemap.xml"))
    children = index.xpath("/sm:sitemapindex/sm:sitemap/sm:loc/text()", namespaces=NS)
    assert sorted(children) == sorted(f"{BASE}{lang}/sitemap.xml" for lang in LANGS)
    seen = set()
    for child in children:
        tree = etree.parse(str(file_of(site.public, child)))
        for entry in tree.xpath("/sm:urlset/sm:url", namespaces=NS):
            loc = entry.findtext(f"{{{SM}}}loc")
            assert loc.startswith(BASE), loc
            assert entry.findtext(f"{{{SM}}}lastmod"), f"no lastmod: {loc}"
            parse_time(entry.findtext(f"{{{SM}}}lastmod"))
            seen.add(loc)
    assert {url_of(p) for p in stories} <= seen


def test_robots_txt_names_every_sitemap(site: Site) -> None:
    lines = (site.public / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    sitemaps = [line.split(":", 1)[1].strip() for line in lines if line.startswith("Sitemap:")]
    assert sitemaps == [f"{BASE}sitemap.xml", f"{BASE}news-sitemap.xml", f"{BASE}de/news-sitemap.xml",
                        f"{BASE}es/news-sitemap.xml"]
    for url in sitemaps:
        etree.parse(str(file_of(site.public, url)))
    assert not any(line.startswith("Disallow: /") and line.strip() == "Disallow: /" for line in lines)


def test_feeds_are_well_formed_with_absolute_urls(site: Site) -> None:
    feeds = sorted(site.public.rglob("index.xml"))
    assert len(feeds) > 20
    atom = "http://www.w3.org/2005/Atom"
    for feed in feeds:
        tree = etree.parse(str(feed))
        assert tree.getroot().tag == "rss"
        links = tree.xpath("/rss/channel/link/text() | /rss/channel/item/link/text() | /rss/channel/item/guid/text()")
        links += tree.xpath("/rss/channel/a:link/@href", namespaces={"a": atom})
        assert links, feed
        for link in links:
            assert link.startswith(BASE), (feed, link)
        self_link = tree.xpath("/rss/channel/a:link[@rel='self']/@href", namespaces={"a": atom})
        assert self_link == [BASE + quote(str(feed.relative_to(site.public)))], feed
    home = etree.parse(str(site.public / "index.xml"))
    assert f"{BASE}post/seo-hostile/" in home.xpath("/rss/channel/item/link/text()")
    assert HOSTILE in home.xpath("/rss/channel/item/title/text()")


def test_json_feeds_use_absolute_local_urls(site: Site) -> None:
    for lang in LANGS:
        prefix = "" if lang == LANGS[0] else f"{lang}/"
        feed = json.loads((site.public / prefix / "feed.json").read_text(encoding="utf-8"))
        assert feed["home_page_url"] == f"{BASE}{prefix}" and feed["feed_url"] == f"{BASE}{prefix}feed.json"
        assert feed["items"]
        images = 0
        for item in feed["items"]:
            assert item["url"].startswith(f"{BASE}{prefix}post/") and item["id"] == item["url"]
            if "image" in item:
                images += 1
                local_file(site, item["image"])
        assert images or lang == "es"
