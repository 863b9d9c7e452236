"""The feed source end to end through the CLI, against the loopback feed server (newsdesk.feedserver).

The site under tests/fixtures/feedsite holds feeds and article pages written for these tests;
``{base}`` in them becomes the server's address.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from newsdesk.cli import cli
from newsdesk.feedserver import Fault, FeedServer
from newsdesk.site.scaffold import init_site
from newsdesk.store import Store

SITE = Path(__file__).parent / "fixtures" / "feedsite"
TYPES = {".xml": "application/rss+xml", ".atom": "application/atom+xml", ".html": "text/html; charset=utf-8"}


def serve(server: FeedServer) -> None:
    for path in sorted(SITE.rglob("*")):
        if path.is_file():
            body = path.read_bytes().replace(b"{base}", server.url.encode())
            kind = TYPES[path.suffix]
            if path.name == "latin1.xml":
                kind = "text/xml"  # the encoding comes from the XML declaration
            server.set("/" + path.relative_to(SITE).as_posix(), body, kind)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        serve(srv)
        yield srv


def make_site(root: Path, server: FeedServer, feeds: list[str], extra: str = "") -> Path:
    sources = "".join(f'[[sources]]\ntype = "feed"\nurl = "{server.url}/{feed}"\n{extra}\n' for feed in feeds)
    text = f'[site]\npath = "site"\nbase_url = "https://news.example.org/"\n\n{sources}\n[images]\nprocess = false\n'
    init_site(root, text=text)
    return root / "newsdesk.toml"


def newsdesk(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-q", "-c", str(config), *args], catch_exceptions=False)


def posts(config: Path) -> dict[str, str]:
    folder = config.parent / "site" / "content" / "post"
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))}


def front(text: str) -> dict:
    return yaml.safe_load(text.split("\n---\n", 1)[0][4:])


def body(text: str) -> str:
    return text.split("\n---\n", 1)[1]


def by_title(config: Path) -> dict[str, str]:
    return {front(text)["title"]: text for text in posts(config).values()}


def test_two_runs_second_costs_one_304_per_feed(tmp_path: Path, server: FeedServer) -> None:
    config = make_site(tmp_path, server, ["wire.xml", "press.atom", "latin1.xml"])
    first = newsdesk(config, "run")
    assert first.exit_code == 0, first.output
    written = posts(config)
    assert len(written) >= 6
    pages = [r for r in server.log if r.path.startswith("/articles/")]
    assert {r.path for r in pages} == {"/articles/quillon-outlook.html", "/articles/harbor-cfo.html",
                                       "/articles/chipmakers.html", "/articles/brightwater-dividend.html"}
    stamps = {p.name: p.stat().st_mtime_ns for p in (config.parent / "site/content/post").glob("*.md")}
    server.clear_log()
    second = newsdesk(config, "run")
    assert second.exit_code == 0, second.output
    assert sorted((r.path, r.status) for r in server.log) == [
        ("/latin1.xml", 304), ("/press.atom", 304), ("/wire.xml", 304)]
    assert posts(config) == written
    assert {p.name: p.stat().st_mtime_ns for p in (config.parent / "site/content/post").glob("*.md")} == stamps


def test_mapping_of_an_excerpt_entry_with_its_page(tmp_path: Path, server: FeedServer) -> None:
    config = make_site(tmp_path, server, ["wire.xml"])
    assert newsdesk(config, "fetch").exit_code == 0
    result = newsdesk(config, "publish")
    assert result.exit_code == 0, result.output
    post = by_title(config)["Quillon Freight lifts its full-year outlook"]
    meta, text = front(post), body(post)
    assert meta["date"] == "2026-11-30 12:05:00"  # the entry's date (13:05 +01:00), in UTC
    assert meta["categories"] == ["Lakeside Wire"]
    assert meta["lang"] == ["en"]
    assert meta["tags"][:2] == ["Lakeside Wire", "Transport"]
    # the page's main text, not its chrome
    assert "between 410 and 430 million euros" in text and "cautious" in text
    for chrome in ("Accept all", "Sign in", "Related stories", "Great news for shareholders", "All rights reserved",
                   "Share this story"):
        assert chrome not in text
    # the last line links the canonical article URL, tracking parameters removed
    last = text.rstrip("\n").rsplit("\n", 1)[-1]
    assert last == f"[Lakeside Wire]({server.url}/articles/quillon-outlook.html)"


def test_tickers_in_the_text_become_symbols_and_tags(tmp_path: Path, server: FeedServer) -> None:
    config = make_site(tmp_path, server, ["wire.xml"])
    assert newsdesk(config, "fetch").exit_code == 0
    newsdesk(config, "publish")
    meta = front(by_title(config)["Chipmakers slip as $NVDA and AMD give back gains"])
    assert {"NVDA", "AMD"} <= set(meta["tags"])
    assert "F" not in meta["tags"]  # "Fed" in the text is no ticker
    with Store(config.parent / "newsdesk.db") as store:
        symbols = {s for (s,) in store.db.execute("SELECT symbol FROM story_symbols")}
    assert {"NASDAQ:NVDA", "NASDAQ:AMD"} <= symbols


def test_consent_page_is_not_published_as_the_article(tmp_path: Path, server: FeedServer) -> None:
    config = make_site(tmp_path, server, ["wire.xml"])
    newsdesk(config, "fetch")
    newsdesk(config, "publish")
    text = body(by_title(config)["Harbor Textiles names a new finance chief"])
    assert "appointed its treasurer" in text  # the entry's own text
    assert "cookies" not in text.replace("cookie-consent notice", "")
    assert "cookie-consent notice" in text  # and the post says so


def test_a_page_that_fails_is_retried_next_run(tmp_path: Path, server: FeedServer) -> None:
    config = make_site(tmp_path, server, ["wire.xml"], extra="retries = 0")
    (config.parent / "newsdesk.toml").write_text(
        config.read_text() + "\n[fetch]\nretry_base = 0\nretry_max = 0\n", encoding="utf-8")
    server.fault("/articles/brightwater-dividend.html", Fault(status=503, times=2))
    first = newsdesk(config, "fetch")
    assert first.exit_code == 1
    assert "Brightwater Utilities sets its dividend" not in {front(t)["title"] for t in posts(config).values()}
    listed = newsdesk(config, "stories", "--failed", "--json")
    failed = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(failed) == 1 and "503" in failed[0]["last_error"] and failed[0]["attempts"] == 2
    second = newsdesk(config, "fetch")
    assert second.exit_code == 0, second.output
    newsdesk(config, "publish")
    post = by_title(config)["Brightwater Utilities sets its dividend"]
    assert "1.12 euros a share" in body(post)


def test_latin1_feed_and_language_from_the_words(tmp_path: Path, server: FeedServer) -> None:
    config = make_site(tmp_path, server, ["latin1.xml"])
    assert newsdesk(config, "fetch").exit_code == 0
    newsdesk(config, "publish")
    (name, post), = posts(config).items()
    assert name.endswith(".de.md")  # no language declared: detected from the words
    assert front(post)["title"] == "Müller Maschinenbau erhöht die Prognose"
    assert "Geschäftsjahr" in body(post)


def test_broken_feed_is_one_clear_error_and_the_others_go_on(tmp_path: Path, server: FeedServer) -> None:
    config = make_site(tmp_path, server, ["broken.xml", "latin1.xml"])
    result = newsdesk(config, "fetch")
    assert result.exit_code == 1
    assert "broken.xml" in result.output and "Traceback" not in result.output
    newsdesk(config, "publish")
    assert len(posts(config)) == 1


def test_same_article_in_two_feeds_is_one_post_listing_both(tmp_path: Path, server: FeedServer) -> None:
    config = make_site(tmp_path, server, ["wire.xml", "press.atom"])
    assert newsdesk(config, "fetch").exit_code == 0
    newsdesk(config, "publish")
    titles = [front(t)["title"] for t in posts(config).values()]
    assert titles.count("Quillon Freight lifts its full-year outlook") == 1
    with Store(config.parent / "newsdesk.db") as store:
        carried = store.db.execute("SELECT name, url FROM carriers").fetchall()
    assert carried == [("Quillon Freight Newsroom", f"{server.url}/newsroom/2026/outlook")]
    post = by_title(config)["Quillon Freight lifts its full-year outlook"]
    assert body(post).rstrip("\n").rsplit("\n", 1)[-1] == (
        f"[Lakeside Wire]({server.url}/articles/quillon-outlook.html) · "
        f"[Quillon Freight Newsroom]({server.url}/newsroom/2026/outlook)")


@pytest.mark.parametrize("extra, message", [
    ("", "sources[0].url: a feed source needs"),
    ('url = "ftp://x/feed"', "sources[0].url: 'ftp://x/feed' is not an http(s) URL"),
    ('url = "https://x/feed"\nfull_text = "sometimes"', "sources[0].full_text"),
    ('url = "https://x/feed"\nlanguages = ["../x"]', "sources[0].languages"),
    ('url = "https://x/feed"\napi = "headlines"', "sources[0].api: unknown key"),
])
def test_bad_feed_config_exits_2_before_any_request(tmp_path: Path, extra: str, message: str) -> None:
    config = tmp_path / "newsdesk.toml"
    config.write_text(f'[[sources]]\ntype = "feed"\n{extra}\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["-c", str(config), "fetch"])
    assert result.exit_code == 2
    assert message in result.output


def test_add_fetches_extracts_and_publishes_single_pages(tmp_path: Path, server: FeedServer) -> None:
    config = make_site(tmp_path, server, ["latin1.xml"])
    url = f"{server.url}/articles/chipmakers.html?utm_campaign=x"
    result = newsdesk(config, "add", url, f"{server.url}/articles/brightwater-dividend.html")
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 2  # the two posts written
    post = by_title(config)["Chipmakers slip as $NVDA and AMD give back gains"]
    meta = front(post)
    assert meta["date"] == "2026-12-02 21:45:00"  # the page's date
    assert meta["lang"] == ["en"] and "NVDA" in meta["tags"]
    assert "richly valued" in body(post) and "Sign up for our daily" not in body(post)
    assert body(post).rstrip().endswith(f"({server.url}/articles/chipmakers.html)")
    assert server.statuses("/latin1.xml") == {}  # add reads only the pages asked for
    again = newsdesk(config, "add", url)
    assert again.exit_code == 0 and again.stdout == ""  # unchanged: nothing rewritten


def test_add_rejects_a_non_http_url_before_any_work(tmp_path: Path, server: FeedServer) -> None:
    config = make_site(tmp_path, server, ["latin1.xml"])
    result = newsdesk(config, "add", "file:///etc/passwd")
    assert result.exit_code == 2 and "not an http(s) URL" in result.output
    assert not (tmp_path / "newsdesk.db").exists() and server.log == []


RELEASE = [
    "Quillon Freight said on Monday that it now expects operating profit for the year to land between 410 and "
    "430 million euros, up from the range of 380 to 400 million euros it gave in August.",
    "The company pointed to stronger container volumes on its Baltic routes and lower fuel costs in the third "
    "quarter, and said that bookings for the winter season were running ahead of last year.",
    "Chief executive Marta Lindgren said the network changes made in the spring had started to pay off and that "
    "the group would keep investing in its rail terminals.",
]


def test_a_release_on_tradingview_and_in_a_feed_is_published_once(tmp_path: Path, server: FeedServer) -> None:
    from newsdesk.replay import ReplayServer
    from newsgen import make_site as make_tv_site

    archive = tmp_path / "replay"
    (archive / "stories").mkdir(parents=True)
    paragraphs = [{"type": "p", "children": [text]} for text in RELEASE]
    record = {
        "id": "tag:wire.example,2026:quillon-outlook", "published": 1_796_040_000, "urgency": 2,
        "provider": {"id": "wirecast", "name": "Wirecast"}, "related_symbols": [],
        "story_path": "/news/quillon-outlook/", "markets": ["stock"], "countries": ["SE"],
        "versions": {"en": {"title": "Quillon Freight raises 2026 profit forecast", "short_description": RELEASE[0],
                            "ast_description": {"type": "root", "children": paragraphs},
                            "tags": [{"title": "Wirecast"}]}},
    }
    (archive / "stories" / "0000.json").write_text(json.dumps(record), encoding="utf-8")
    with ReplayServer(archive) as replay:
        config = make_tv_site(tmp_path / "site", replay.url, source='languages = ["en"]',
                              extra=f'[[sources]]\ntype = "feed"\nurl = "{server.url}/press.atom"\n')
        result = newsdesk(config, "fetch")
        assert result.exit_code == 0, result.output
    newsdesk(config, "publish")
    titles = [front(t)["title"] for t in posts(config).values()]
    assert "Quillon Freight raises 2026 profit forecast" in titles
    assert "Quillon Freight lifts its full-year outlook" not in titles  # the newsroom's copy of it
    assert "Quillon Freight opens rail terminal in Gdansk" in titles  # a story of its own
    with Store(config.parent / "newsdesk.db") as store:
        carried = store.db.execute("SELECT id, name, url FROM carriers").fetchall()
    assert carried == [(record["id"], "Quillon Freight Newsroom", f"{server.url}/newsroom/2026/outlook")]
    last = body(by_title(config)["Quillon Freight raises 2026 profit forecast"]).rstrip("\n").rsplit("\n", 1)[-1]
    assert last.endswith(f" · [Quillon Freight Newsroom]({server.url}/newsroom/2026/outlook)")
    assert last.startswith("[Wirecast](")


def test_include_max_age_relative_links_and_kept_pages(tmp_path: Path, server: FeedServer) -> None:
    config = make_site(tmp_path, server, ["wire.xml"], extra='include = ["DIVIDEND", "treasurer"]')
    (config.parent / "newsdesk.toml").write_text(config.read_text() + (
        f'[[sources]]\ntype = "feed"\nurl = "{server.url}/press.atom"\nmax_age_days = 1\n'), encoding="utf-8")
    result = newsdesk(config, "fetch")
    assert result.exit_code == 0, result.output
    newsdesk(config, "publish")
    titles = {front(t)["title"]: t for t in posts(config).values()}
    # include: whole words in title and body, any case
    assert {"Brightwater Utilities sets its dividend", "Harbor Textiles names a new finance chief"} <= set(titles)
    assert "Chipmakers slip as $NVDA and AMD give back gains" not in titles
    # max_age_days: the newsroom's entries are from November 2026, older than a day
    assert not any("Quillon" in title for title in titles)
    assert not [r for r in server.log if r.path.startswith("/newsroom/")]
    with Store(config.parent / "newsdesk.db") as store:
        kept = {url for (url,) in store.db.execute("SELECT url FROM documents")}
    assert f"{server.url}/articles/brightwater-dividend.html" in kept  # the page HTML is archived


def test_relative_images_in_entries_are_resolved(tmp_path: Path, server: FeedServer) -> None:
    config = make_site(tmp_path, server, ["press.atom"])
    assert newsdesk(config, "fetch").exit_code == 0
    newsdesk(config, "publish")
    text = body(by_title(config)["Quillon Freight opens rail terminal in Gdansk"])
    assert f"![Terminal at dusk]({server.url}/img/gdansk.jpg)" in text
    assert "**forty trains a week**" in text
