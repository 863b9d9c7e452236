"""Search: `newsdesk build` indexes the story pages (only them) with Pagefind, offline."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import lxml.html
import pytest
import yaml

from newsdesk.config import load_config
from newsdesk.demo import DemoReport, run_demo
from newsdesk.runner import build
from newsdesk.site import search
from newsdesk.site.search import BUNDLE_DIR, index_languages, pagefind_binary, run_pagefind, site_theme, wants_search


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoReport:
    return run_demo(tmp_path_factory.mktemp("search-demo"))


def fragments(public: Path) -> list[dict]:
    """Every page record of the Pagefind bundle (gzip'd JSON behind a signature)."""
    records = []
    for path in sorted((public / BUNDLE_DIR / "fragment").iterdir()):
        data = gzip.decompress(path.read_bytes())
        records.append(json.loads(data[data.index(b"{"):]))
    return records


def test_pagefind_binary_comes_from_the_pagefind_bin_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSDESK_PAGEFIND", raising=False)
    binary = pagefind_binary()
    assert binary.is_file() and "pagefind_bin" in str(binary)
    monkeypatch.setenv("NEWSDESK_PAGEFIND", "/opt/elsewhere/pagefind")
    assert pagefind_binary() == Path("/opt/elsewhere/pagefind")


def test_the_index_holds_every_story_page_and_nothing_else(demo: DemoReport) -> None:
    public = demo.config.site_path / "public"
    posts = sorted(demo.config.content_dir.glob("*.md"))
    records = fragments(public)
    assert len(records) == len(posts)
    expected = set()
    for post in posts:
        name, lang = post.name[:-3].rsplit(".", 1)
        expected.add(f"/post/{name}/" if lang == "en" else f"/{lang}/post/{name}/")
    assert {r["url"] for r in records} == expected
    # several languages: one combined index, so the language filter can narrow it
    assert index_languages(public) == {"en": len(posts)}


def test_each_story_carries_its_ticker_provider_and_language_filters(demo: DemoReport) -> None:
    public = demo.config.site_path / "public"
    known = json.loads((demo.config.site_path / "data" / "newsdesk" / "tickers.json").read_text(encoding="utf-8"))
    by_url = {r["url"]: r for r in fragments(public)}
    for post in sorted(demo.config.content_dir.glob("*.md")):
        fm = yaml.safe_load(post.read_text(encoding="utf-8").split("\n---\n", 1)[0][4:])
        name, lang = post.name[:-3].rsplit(".", 1)
        record = by_url[f"/post/{name}/" if lang == "en" else f"/{lang}/post/{name}/"]
        assert record["filters"]["language"] == [lang]
        assert record["filters"]["provider"] == fm["categories"]
        assert sorted(record["filters"].get("ticker", [])) == sorted(t for t in fm["tags"] if t.lower() in known)
        assert record["meta"]["title"] == " ".join(fm["title"].split())
        assert record["meta"]["date"]


def test_search_page_and_widget_use_the_local_bundle(demo: DemoReport) -> None:
    public = demo.config.site_path / "public"
    for prefix in ("", "de/"):
        doc = lxml.html.fromstring((public / prefix / "search" / "index.html").read_bytes())
        assert doc.xpath("//input[@type='search'][@name='q']")
        config = json.loads(doc.xpath("//script[@id='search-config']")[0].text)
        assert config["bundle"] == "/pagefind/" and config["base"] == "/"
        assert config["lang"] == (prefix.strip("/") or "en")
        assert set(config["strings"]["languages"]) == {"en", "de", "es"}
        script = doc.xpath("//script[@src]")[0].get("src")
        assert script.startswith("/js/search") and (public / script.lstrip("/")).exists()
        home = lxml.html.fromstring((public / prefix / "index.html").read_bytes())
        form = home.xpath("//section[contains(@class,'widget-search')]//form")[0]
        assert form.get("action") == f"/{prefix}search/"
        assert form.xpath(".//input[@type='search'][@name='q']")
    assert (public / BUNDLE_DIR / "pagefind.js").exists()


def test_a_site_under_a_sub_path_finds_its_bundle_and_results(demo: DemoReport, tmp_path: Path) -> None:
    from newsdesk.site.hugo import run_hugo
    from newsdesk.site.scaffold import MANAGED_CONFIG

    site = tmp_path / "site"
    shutil.copytree(demo.config.site_path, site, ignore=shutil.ignore_patterns("public"))
    managed = (site / MANAGED_CONFIG).read_text(encoding="utf-8")
    (site / MANAGED_CONFIG).write_text(managed.replace('baseURL = "http://127.0.0.1:8000/"',
                                                       'baseURL = "https://example.org/news/"'), encoding="utf-8")
    assert run_hugo(site).warnings == []
    doc = lxml.html.fromstring((site / "public" / "de" / "search" / "index.html").read_bytes())
    config = json.loads(doc.xpath("//script[@id='search-config']")[0].text)
    assert (config["bundle"], config["base"]) == ("/news/pagefind/", "/news/")
    assert doc.xpath("//script[@src]")[0].get("src").startswith("/news/js/")
    assert json.loads((site / "public" / "de" / "feed.json").read_text(encoding="utf-8"))["feed_url"] == \
        "https://example.org/news/de/feed.json"


def test_a_single_language_site_keeps_pagefinds_own_language(demo: DemoReport, tmp_path: Path) -> None:
    public = tmp_path / "public"
    shutil.copytree(demo.config.site_path / "public", public, ignore=shutil.ignore_patterns(BUNDLE_DIR))
    for lang in ("de", "es"):
        shutil.rmtree(public / lang)
    index = run_pagefind(public, languages=("en",))
    assert index.languages == {"en": index.pages}
    assert all(r["url"].startswith("/post/") for r in fragments(public))


def test_stories_under_other_permalinks_are_found_too(demo: DemoReport, tmp_path: Path) -> None:
    public = tmp_path / "public"
    shutil.copytree(demo.config.site_path / "public", public, ignore=shutil.ignore_patterns(BUNDLE_DIR))
    for prefix in ("", "de/", "es/"):
        (public / prefix / "post").rename(public / prefix / "news")
    index = run_pagefind(public, languages=("en", "de", "es"))
    assert index.pages == len(list(demo.config.content_dir.glob("*.md")))
    assert all("/news/" in r["url"] for r in fragments(public))


def test_build_indexes_only_with_the_bundled_theme(demo: DemoReport, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(demo.config.site_path, site, ignore=shutil.ignore_patterns("public"))
    assert site_theme(site) == "newsdesk" and wants_search(site)
    text = (site / "hugo.toml").read_text(encoding="utf-8").replace('theme = "newsdesk"', 'theme = ["other"]')
    (site / "hugo.toml").write_text(text, encoding="utf-8")
    assert site_theme(site) == "other" and not wants_search(site)
    (site / "hugo.toml").write_text("not = [toml", encoding="utf-8")
    assert site_theme(site) is None


def test_a_site_without_stories_gets_no_index(tmp_path: Path) -> None:
    from newsdesk.site.scaffold import init_site

    init_site(tmp_path)
    config = load_config(tmp_path / "newsdesk.toml", required=True)
    assert build(config).warnings == []
    public = config.site_path / "public"
    assert (public / "search" / "index.html").exists() and not (public / BUNDLE_DIR).exists()


def test_newsdesk_build_runs_pagefind_after_hugo(demo: DemoReport, monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(demo.config.file, required=True)
    public = config.site_path / "public"
    shutil.rmtree(public / BUNDLE_DIR)
    calls: list[tuple[Path, tuple[str, ...]]] = []
    real = search.run_pagefind

    def spy(path: Path, *, languages: tuple[str, ...] = ("en",)) -> search.SearchIndex:
        calls.append((path, tuple(languages)))
        return real(path, languages=languages)

    monkeypatch.setattr("newsdesk.runner.run_pagefind", spy)
    result = build(config)
    assert result.warnings == []
    assert calls == [(public, ("en", "de", "es"))]
    assert (public / BUNDLE_DIR / "pagefind-entry.json").exists()
