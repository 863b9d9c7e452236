"""The bundled theme on the demo site: markup contract, tickers, feeds, multilingual, assets.

The demo (``newsdesk.demo.run_demo``: replay server -> fetch -> publish -> build) is built once
for the module; every test reads its output.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree as etree
import lxml.html
import pytest
import yaml

from newsdesk.demo import DEMO_BASE_URL, DemoReport, run_demo
from newsdesk.site.scaffold import MANAGED_CONFIG, TICKER_DATA

LANGS = ("en", "de", "es")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoReport:
    return run_demo(tmp_path_factory.mktemp("theme-demo"))


@pytest.fixture(scope="module")
def public(demo: DemoReport) -> Path:
    return demo.config.site_path / "public"


def css(node: lxml.html.HtmlElement, selector: str) -> list[lxml.html.HtmlElement]:
    """Elements matching a small CSS selector: descendant steps of tag, .class and [attr] / [attr=v]."""
    xpath = "."
    for step in selector.split():
        match = re.fullmatch(r"([a-z0-9*]*)((?:\.[\w-]+)*)((?:\[[^\]]+\])*)", step)
        assert match, step
        tag, classes, attrs = match.group(1) or "*", match.group(2), match.group(3)
        tests = [f"contains(concat(' ', normalize-space(@class), ' '), ' {c} ')" for c in classes.split(".")[1:]]
        for attr in re.findall(r"\[([^\]]+)\]", attrs):
            name, _, value = attr.partition("=")
            tests.append(f"@{name}='{value}'" if value else f"@{name}")
        xpath += f"//{tag}" + "".join(f"[{t}]" for t in tests)
    return node.xpath(xpath)


def page(public: Path, rel: str) -> lxml.html.HtmlElement:
    path = public / rel.strip("/") / "index.html" if not rel.endswith(".html") else public / rel
    return lxml.html.fromstring(path.read_bytes())


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n", 1)[0][4:])


def posts(demo: DemoReport) -> dict[Path, dict]:
    return {p: front_matter(p) for p in sorted(demo.config.content_dir.glob("*.md"))}


def story_url(post: Path) -> str:
    """Site path of a post's page: /post/<name>/ in the first language, /<lang>/post/<name>/ else."""
    name, lang = post.name[:-3].rsplit(".", 1)
    return f"/post/{name}/" if lang == LANGS[0] else f"/{lang}/post/{name}/"


def tickers(demo: DemoReport) -> dict[str, list[str]]:
    return json.loads((demo.config.site_path / TICKER_DATA).read_text(encoding="utf-8"))


def test_the_demo_builds_with_zero_warnings(demo: DemoReport) -> None:
    assert demo.built.warnings == []
    assert not demo.published.failed


def test_every_page_declares_its_language_and_viewport_and_loads_nothing_from_elsewhere(public: Path) -> None:
    pages = sorted(public.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        doc = lxml.html.fromstring(path.read_bytes())
        if doc.xpath("//meta[@http-equiv='refresh']"):
            continue  # Hugo's redirect of /en/ to /
        assert doc.get("lang") in LANGS, path
        assert doc.xpath("//meta[@name='viewport']"), path
        own = doc.xpath("//script/@src | //link[@rel='stylesheet' or @rel='icon']/@href | //img/@src")
        story_images = set(doc.xpath("//div[@class='story-body']//img/@src | //figure[contains(@class,'thumbnail')]//img/@src"))
        for url in own:
            if url in story_images:
                continue  # the stories' own images (a later issue makes them local)
            assert not re.match(r"^(https?:)?//", url), f"{path}: {url}"
    css = next(public.glob("css/newsdesk*.css")).read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css and "@font-face" not in css


def test_home_lists_stories_newest_first_with_date_provider_tickers_and_summary(demo: DemoReport,
                                                                               public: Path) -> None:
    doc = page(public, "/")
    summaries = css(doc, "article.summary")
    assert len(summaries) == 10
    stamps = [datetime.fromisoformat(css(a, "time")[0].get("datetime")) for a in summaries]
    assert stamps == sorted(stamps, reverse=True)
    known = tickers(demo)
    by_url = {story_url(p): fm for p, fm in posts(demo).items()}
    for article in summaries:
        link = css(article, "h2.summary-title a")[0]
        fm = by_url[link.get("href")]
        assert link.text_content() == fm["title"]
        assert css(article, ".provider")[0].text_content() == fm["categories"][0]
        chips = [a.text_content() for a in css(article, "a.chip.ticker")]
        assert chips == [t for t in fm["tags"] if t.lower() in known]
        assert css(article, ".summary-text")[0].text_content().strip()
    assert css(doc, "nav.pagination a[rel=next]")


def test_a_translated_story_page_follows_the_markup_contract(demo: DemoReport, public: Path) -> None:
    translated = [(p, fm) for p, fm in posts(demo).items()
                  if p.name.endswith(".en.md") and len(fm["translations"]) == 3 and fm["thumbnail"]]
    post, fm = translated[0]
    doc = page(public, story_url(post))
    article = css(doc, "article.story")[0]
    assert "data-pagefind-body" in article.attrib
    assert css(article, "h1.story-title")[0].text_content() == fm["title"]
    assert css(article, "time")[0].get("datetime")
    provider = css(article, ".provider a")[0]
    assert (public / provider.get("href").strip("/") / "index.html").exists()
    chips = css(article, ".tickers a.chip.ticker")
    assert chips
    for chip in chips:
        assert re.fullmatch(r"(/[a-z]{2})?/tags/[^/]+/", chip.get("href"))
        assert (public / chip.get("href").strip("/") / "index.html").exists()
    body = css(article, ".story-body")[0]
    assert css(body, "img")
    source = css(css(body, "p")[-1], "a")[0]
    assert urlsplit(source.get("href")).netloc == "www.tradingview.com"
    others = {a.get("hreflang"): a.get("href") for a in css(doc, "nav.translations a[hreflang]")}
    assert set(others) == {"de", "es"}
    name = post.name.rsplit(".", 2)[0]
    assert others["de"] == f"/de/post/{name}/"


def test_tickers_are_told_from_other_tags_by_the_archive_data(demo: DemoReport, public: Path) -> None:
    known = tickers(demo)
    assert known["hlxr"] == ["NASDAQ:HLXR"]
    assert "stocks" not in known
    ticker_page = page(public, "/tags/hlxr/")
    assert "NASDAQ:HLXR" in css(ticker_page, ".symbols")[0].text_content()
    assert not css(page(public, "/tags/stocks/"), ".symbols")
    for article in css(page(public, "/tags/stocks/"), "article.summary"):
        assert all(a.text_content().lower() in known for a in css(article, "a.chip.ticker"))


def rss_items(path: Path) -> list[etree._Element]:
    root = etree.fromstring(path.read_bytes())
    assert root.tag == "rss"
    channel = root.find("channel")
    assert channel.findtext("title") and channel.findtext("link")
    return channel.findall("item")


def test_site_ticker_and_provider_feeds_parse_and_hold_their_stories(public: Path) -> None:
    site = rss_items(public / "index.xml")
    assert 0 < len(site) <= 50
    dates = [datetime.strptime(i.findtext("pubDate"), "%a, %d %b %Y %H:%M:%S %z") for i in site]
    assert dates == sorted(dates, reverse=True)
    assert all(i.findtext("link").startswith(DEMO_BASE_URL) for i in site)
    ticker = rss_items(public / "tags" / "hlxr" / "index.xml")
    assert ticker and all("HLXR" in [c.text for c in i.findall("category")] for i in ticker)
    provider = rss_items(public / "categories" / "tradingview" / "index.xml")
    assert provider and all("TradingView" in [c.text for c in i.findall("category")] for i in provider)
    german = etree.fromstring((public / "de" / "index.xml").read_bytes())
    assert german.findtext("channel/language") == "de"
    assert all("/de/post/" in i.findtext("link") for i in german.iter("item"))


def test_json_feed_per_language(demo: DemoReport, public: Path) -> None:
    for lang, rel in (("en", "feed.json"), ("de", "de/feed.json")):
        feed = json.loads((public / rel).read_text(encoding="utf-8"))
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["feed_url"] == f"{DEMO_BASE_URL}{rel}"
        assert feed["home_page_url"].startswith(DEMO_BASE_URL)
        assert feed["items"]
        for item in feed["items"]:
            assert item["language"] == lang
            assert item["id"] and item["url"].startswith(DEMO_BASE_URL) and item["title"]
            assert item["content_html"] and item["summary"]
            datetime.fromisoformat(item["date_published"])
            assert item["authors"][0]["name"]
        published = [datetime.fromisoformat(i["date_published"]) for i in feed["items"]]
        assert published == sorted(published, reverse=True)
    home = page(public, "/")
    assert css(home, "link[type=application/feed+json]")[0].get("href") == "/feed.json"


def test_multilingual_config_and_pages(demo: DemoReport, public: Path) -> None:
    managed = tomllib.loads((demo.config.site_path / MANAGED_CONFIG).read_text(encoding="utf-8"))
    assert managed["defaultContentLanguage"] == "en"
    assert {k: v["label"] for k, v in managed["languages"].items()} == {"en": "English", "de": "Deutsch",
                                                                       "es": "Español"}
    for lang, prefix in (("en", ""), ("de", "/de"), ("es", "/es")):
        home = page(public, prefix + "/")
        assert home.get("lang") == lang
        switch = {a.get("hreflang"): a.get("href") for a in css(home, "nav.language-switcher a")}
        assert switch == {"en": "/", "de": "/de/", "es": "/es/"}
        search = page(public, prefix + "/search/")
        assert search.get("lang") == lang
        assert css(search, "input[type=search]")
        assert not search.xpath("//*[@data-pagefind-body]")
    assert css(page(public, "/de/"), ".widget-search .widget-title")[0].text_content() == "Suche"
    assert css(page(public, "/es/"), ".widget-search .widget-title")[0].text_content() == "Buscar"
    assert (public / "de" / "post").is_dir() and (public / "es" / "post").is_dir()


def test_every_theme_string_is_translated_in_en_de_es_fr() -> None:
    from importlib import resources

    folder = resources.files("newsdesk").joinpath("data/theme/newsdesk/i18n")
    tables = {lang: tomllib.loads(folder.joinpath(f"{lang}.toml").read_text(encoding="utf-8"))
              for lang in ("en", "de", "es", "fr")}
    keys = set(tables["en"])
    theme = resources.files("newsdesk").joinpath("data/theme/newsdesk/layouts")
    used: set[str] = set()

    def walk(node: object) -> None:
        for child in node.iterdir():  # type: ignore[attr-defined]
            if child.is_dir():
                walk(child)
            else:
                used.update(re.findall(r'\bT "([a-z_]+)"', child.read_text(encoding="utf-8")))

    walk(theme)
    assert used <= keys, used - keys
    for lang, table in tables.items():
        assert set(table) == keys, (lang, keys ^ set(table))


def test_site_wide_widgets_render_once_per_language(demo: DemoReport) -> None:
    from newsdesk.site.hugo import run_hugo

    site = demo.config.site_path
    result = run_hugo(site, extra_args=["--templateMetrics", "--templateMetricsHints"],
                      destination=site.parent / "metrics-public")
    counts = {}  # template -> executions (total calls less those served from the cache)
    for line in result.output.splitlines():
        fields = line.split()
        if fields and fields[-1].startswith("_partials/"):
            counts[fields[-1]] = int(fields[-2]) - int(fields[-3])
    pages = len(list((site.parent / "metrics-public").rglob("*.html")))
    assert pages > 200
    # Each site-wide widget once per language; the sidebar itself and a story page's "recent" (the
    # stories before it, widgets/earlier.html) are per page.
    for name in ("widgets/recent.html", "widgets/taglist.html", "widgets/symbols.html", "header.html", "footer.html"):
        assert counts[f"_partials/{name}"] <= len(LANGS), (name, counts)
