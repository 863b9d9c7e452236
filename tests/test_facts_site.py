"""Where market facts show on the built site: the story page's "Key figures" box (only with facts,
in the page's language, escaped), ticker pages (the latest facts about the ticker, newest first,
linked to their stories, at most 10; HKEX:700 finds 0700), the JSON feed's "_newsdesk" extension,
and a Mainroad-style theme through the managed partials. Posts are rendered by newsdesk's own
renderer with facts given to it (the extractor's output is not what these tests are about) and
built by the real Hugo."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import lxml.html
import pytest

from newsdesk.config import load_config
from newsdesk.facts import Fact
from newsdesk.facts.display import key_figures
from newsdesk.model import Story
from newsdesk.render import post_name, render_post
from newsdesk.site.hugo import run_hugo
from newsdesk.site.scaffold import config_text, init_site, sync_site, write_ticker_data

STANDIN = Path(__file__).parent / "fixtures" / "standin_theme"
HOSTILE = '<script>alert("x")</script> & <b>'

NVDA_EPS = Fact("NVDA", "eps", 1.86, "USD", "Q3", "beat", 1.49)
NVDA_AH = Fact("NVDA", "price_move", -4, "%", "after-hours", "down")
AMD_MOVE = Fact("AMD", "price_move", 1.2, "%", "session", "up")
NVDA_TARGET = Fact("NVDA", "price_target", 250, "USD", None, "up", 220)
NVDA_HOSTILE = Fact("NVDA", "segment_revenue", 30.8e9, "USD", "Q3", None, None, None, HOSTILE)
TENCENT = Fact("0700", "price_move", 2.5, "%", "session", "up")
NVDA_OLD = [Fact("NVDA", "price_move", float(n), "%", "session", "up") for n in range(1, 10)]

#: stem -> (day of November, language, symbols, facts)
STORIES: dict[str, tuple[int, str, tuple[str, ...], list[Fact]]] = {
    "old-moves": (1, "en", ("NASDAQ:NVDA",), NVDA_OLD),
    "earnings": (3, "en", ("NASDAQ:NVDA", "NASDAQ:AMD"), [NVDA_EPS, NVDA_AH, AMD_MOVE]),
    "quiet": (4, "en", ("NASDAQ:NVDA",), []),
    "passing": (5, "en", ("NYSE:XOM",), [NVDA_TARGET]),  # about NVDA, not tagged with it
    "hostile": (6, "en", ("NASDAQ:NVDA",), [NVDA_HOSTILE]),
    "tencent": (7, "en", ("HKEX:700",), [TENCENT]),
}


def fixed(found: Sequence[Fact]):  # type: ignore[no-untyped-def]
    def extract_facts(title: str, text: str, lang: str, symbols: Sequence[str] = ()) -> list[Fact]:
        return list(found)
    return extract_facts


def write_post(site: Path, stem: str, day: int, lang: str, symbols: tuple[str, ...], found: list[Fact],
               translations: tuple[str, ...] = ()) -> None:
    story = Story(id=f"wire:{stem}", lang=lang, title=f"Story {stem}", published=1_793_000_000 + day * 86400,
                  provider_id="wire", provider_name="Wire", url=f"https://example.com/{stem}", symbols=symbols,
                  tree={"type": "root", "children": [{"type": "p", "children": [f"Body of {stem}."]}]})
    text = render_post(story, translations=translations or (lang,), extract_facts=fixed(found))
    name = post_name(story.id, "Story " + stem)
    (site / "content" / "post" / f"{name}.{lang}.md").write_text(text, encoding="utf-8")


def url(stem: str, lang: str = "en") -> str:
    return ("" if lang == "en" else f"{lang}/") + f"post/{post_name('wire:' + stem, 'Story ' + stem)}/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("facts-site")
    init_site(root, text=config_text(languages=("en", "de")))
    config = load_config(root / "newsdesk.toml")
    sync_site(config)
    site = config.site_path
    (site / "content" / "post").mkdir(parents=True, exist_ok=True)
    for stem, (day, lang, symbols, found) in STORIES.items():
        write_post(site, stem, day, lang, symbols, found, ("en", "de") if stem == "earnings" else ())
    write_post(site, "earnings", 3, "de", ("NASDAQ:NVDA", "NASDAQ:AMD"), [NVDA_EPS, NVDA_AH, AMD_MOVE], ("en", "de"))
    write_ticker_data(site, {"NVDA": ["NASDAQ:NVDA"], "AMD": ["NASDAQ:AMD"], "XOM": ["NYSE:XOM"],
                             "700": ["HKEX:700"]})
    return site


@pytest.fixture(scope="module")
def public(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("facts-public")
    assert run_hugo(site, destination=out).warnings == []
    return out


def page(public: Path, rel: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((public / rel / "index.html").read_bytes())


def box(doc: lxml.html.HtmlElement) -> tuple[str, list[str]] | None:
    found = doc.xpath("//aside[@class='key-figures']")
    if not found:
        return None
    assert len(found) == 1
    return found[0].xpath("string(h2)"), [li.text_content() for li in found[0].xpath("ul/li")]


def test_the_box_shows_the_facts_above_the_body(public: Path) -> None:
    doc = page(public, url("earnings"))
    assert box(doc) == ("Key figures", key_figures([NVDA_EPS, NVDA_AH, AMD_MOVE], "en"))
    assert box(doc)[1][0] == "NVDA: Q3 EPS $1.86 vs $1.49 expected (beat)"  # type: ignore[index]
    aside = doc.xpath("//aside[@class='key-figures']")[0]
    assert aside.get("aria-labelledby") == aside.xpath("h2/@id")[0]  # a labelled landmark
    assert aside.getnext().get("class") == "story-body"  # right above the body


def test_the_box_in_german(public: Path) -> None:
    title, items = box(page(public, url("earnings", "de")))  # type: ignore[misc]
    assert title == "Kennzahlen"
    assert items == key_figures([NVDA_EPS, NVDA_AH, AMD_MOVE], "de")
    assert "NVDA: Aktie -4\u00a0% nachbörslich" in items


def test_no_facts_no_box(public: Path) -> None:
    assert box(page(public, url("quiet"))) is None
    assert b"key-figures" not in (public / url("quiet") / "index.html").read_bytes()


def test_untrusted_text_in_a_fact_stays_text(public: Path) -> None:
    raw = (public / url("hostile") / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in raw and "&lt;script&gt;alert" in raw
    _, items = box(page(public, url("hostile")))  # type: ignore[misc]
    assert items == [f"Q3 {HOSTILE} revenue $30.8 billion"]


def test_ticker_page_lists_the_latest_facts_newest_first(public: Path) -> None:
    doc = page(public, "tags/nvda")
    section = doc.xpath("//section[@class='ticker-figures']")
    assert len(section) == 1 and section[0].xpath("string(h2)") == "Latest figures"
    rows = section[0].xpath("ul/li")
    assert len(rows) == 10  # bounded
    figures = [row.xpath("string(span[@class='figure'])") for row in rows]
    links = [row.xpath("a/@href")[0] for row in rows]
    times = [row.xpath("time/@datetime")[0] for row in rows]
    assert times == sorted(times, reverse=True)
    assert figures[:4] == [f"Q3 {HOSTILE} revenue $30.8 billion", "Price target $250 (raised from $220)",
                           "NVDA: Q3 EPS $1.86 vs $1.49 expected (beat)", "NVDA: Shares -4% after hours"]
    assert not any("AMD" in f for f in figures)  # another company's fact of the same story
    assert links[:4] == ["/" + url("hostile"), "/" + url("passing"), "/" + url("earnings"), "/" + url("earnings")]
    assert figures[4:] == ["Shares +1%", "Shares +2%", "Shares +3%", "Shares +4%", "Shares +5%", "Shares +6%"]
    assert "<script>alert" not in (public / "tags/nvda/index.html").read_text(encoding="utf-8")


def test_a_hong_kong_ticker_finds_its_zero_padded_code(public: Path) -> None:
    rows = page(public, "tags/700").xpath("//section[@class='ticker-figures']/ul/li")
    assert [r.xpath("string(span)") for r in rows] == ["Shares +2.5%"]
    assert rows[0].xpath("a/@href") == ["/" + url("tencent")]


def test_a_ticker_without_facts_and_other_tags_show_none(public: Path) -> None:
    assert not page(public, "tags/xom").xpath("//section[@class='ticker-figures']")
    amd = page(public, "tags/amd").xpath("//section[@class='ticker-figures']/ul/li/span")
    assert [s.text for s in amd] == ["AMD: Shares +1.2%"]
    assert not page(public, "categories/wire").xpath("//section[@class='ticker-figures']")


def test_the_json_feed_carries_the_facts(public: Path) -> None:
    feed = json.loads((public / "feed.json").read_text(encoding="utf-8"))
    items = {item["url"].rstrip("/").rsplit("/", 1)[-1]: item for item in feed["items"]}
    earnings = items[post_name("wire:earnings", "Story earnings")]
    assert earnings["_newsdesk"]["facts"] == [f.to_json() for f in (NVDA_EPS, NVDA_AH, AMD_MOVE)]
    assert earnings["_newsdesk"]["key_figures"] == key_figures([NVDA_EPS, NVDA_AH, AMD_MOVE], "en")
    assert "_newsdesk" not in items[post_name("wire:quiet", "Story quiet")]
    hostile = items[post_name("wire:hostile", "Story hostile")]["_newsdesk"]["facts"][0]
    assert hostile["segment"] == HOSTILE and hostile["reference"] is None
    de = json.loads((public / "de" / "feed.json").read_text(encoding="utf-8"))
    assert de["items"][0]["_newsdesk"]["key_figures"] == key_figures([NVDA_EPS, NVDA_AH, AMD_MOVE], "de")


def build_with_theme(site: Path, theme_dir: Path, name: str, out: Path) -> Path:
    shutil.copytree(theme_dir, site / "themes" / name, dirs_exist_ok=True)
    hugo_toml = site / "hugo.toml"
    original = hugo_toml.read_text(encoding="utf-8")
    hugo_toml.write_text(original.replace('theme = "newsdesk"', f'theme = "{name}"'), encoding="utf-8")
    try:
        run_hugo(site, destination=out)
    finally:
        hugo_toml.write_text(original, encoding="utf-8")
    return out


def test_a_mainroad_style_theme_shows_the_box_through_the_thumbnail_partial(site: Path, tmp_path: Path) -> None:
    out = build_with_theme(site, STANDIN, "mainroad-standin", tmp_path / "public")
    doc = page(out, url("earnings"))
    assert box(doc) == ("Key figures", key_figures([NVDA_EPS, NVDA_AH, AMD_MOVE], "en"))
    assert doc.xpath("//aside[@class='key-figures']/following-sibling::div[@class='content']")
    assert box(page(out, url("earnings", "de")))[0] == "Kennzahlen"  # type: ignore[index]  # the theme has no string
    assert box(page(out, url("quiet"))) is None
    assert not page(out, "").xpath("//aside[@class='key-figures']")  # not in lists


@pytest.mark.skipif(not os.environ.get("NEWSDESK_MAINROAD"), reason="set NEWSDESK_MAINROAD to a Mainroad checkout")
def test_the_real_mainroad(site: Path, tmp_path: Path) -> None:
    """With NEWSDESK_MAINROAD=<a checkout of github.com/Vimux/Mainroad> the site builds with it too."""
    out = build_with_theme(site, Path(os.environ["NEWSDESK_MAINROAD"]), "mainroad", tmp_path / "public")
    doc = page(out, url("earnings"))
    assert box(doc) == ("Key figures", key_figures([NVDA_EPS, NVDA_AH, AMD_MOVE], "en"))
    assert doc.xpath("//article[@class='post']//aside[@class='key-figures']/following-sibling::div"
                     "[contains(@class,'post__content')]")
    assert box(page(out, url("quiet"))) is None


def test_an_odd_front_matter_does_not_break_the_build(site: Path, tmp_path: Path) -> None:
    """A post written by hand with facts that are not lists of the right shape builds without a box."""
    odd = site / "content" / "post" / "odd.en.md"
    odd.write_text('---\ntitle: "Odd"\ndate: "2026-11-09 10:00:00"\ntags: ["NVDA"]\nfacts: "x"\n'
                   'key_figures: "not a list"\n---\n\nBody.\n', encoding="utf-8")
    other = site / "content" / "post" / "odd2.en.md"
    other.write_text('---\ntitle: "Odd 2"\ndate: "2026-11-10 10:00:00"\ntags: ["NVDA"]\nfacts: [1, "x", {entity: 7}]\n'
                     'key_figures: ["a", "b"]\n---\n\nBody.\n', encoding="utf-8")
    try:
        out = tmp_path / "public"
        assert run_hugo(site, destination=out).warnings == []
        assert box(page(out, "post/odd")) is None
        assert box(page(out, "post/odd2")) == ("Key figures", ["a", "b"])
        json.loads((out / "feed.json").read_text(encoding="utf-8"))
        assert len(page(out, "tags/nvda").xpath("//section[@class='ticker-figures']/ul/li")) == 10
    finally:
        odd.unlink()
        other.unlink()



def test_the_latest_figures_only_on_a_ticker_pages_first_page(site: Path, tmp_path: Path) -> None:
    extra = [site / "content" / "post" / f"amd-{n}.en.md" for n in range(10)]
    for n, path in enumerate(extra):  # 11 AMD stories: two pages of ten
        path.write_text(f'---\ntitle: "AMD {n}"\ndate: "2026-10-0{1 + n % 9} 10:00:00"\ntags: ["AMD"]\n---\n\nBody.\n',
                        encoding="utf-8")
    try:
        out = tmp_path / "public"
        assert run_hugo(site, destination=out).warnings == []
        assert page(out, "tags/amd").xpath("//section[@class='ticker-figures']")
        assert (out / "tags/amd/page/2/index.html").exists()
        assert not page(out, "tags/amd/page/2").xpath("//section[@class='ticker-figures']")
    finally:
        for path in extra:
            path.unlink()


def raw_story(n: int, lang: str, title: str, text: str, symbols: tuple[str, ...]) -> dict:
    item = {"id": f"wire:{n}/x:0", "title": title, "published": 1_793_000_000 + n * 60,
            "provider": {"id": "wire", "name": "Example Wire"}, "storyPath": f"/news/wire:{n}/x:0-story/",
            "relatedSymbols": [{"symbol": s} for s in symbols]}
    story = {**item, "language": lang, "short_description": "Short.",
             "ast_description": {"type": "root", "children": [{"type": "p", "children": [text]}]}}
    return {"api": "news-flow", "lang": lang, "item": item, "story": story}


def test_publish_then_build_with_the_real_extractor(tmp_path: Path) -> None:
    """The whole way: archived stories -> `publish` (the extractor) -> Hugo: box, ticker pages, feed."""
    from newsdesk.publish import publish
    from newsdesk.sources.tradingview import parse_raw
    from newsdesk.store import Store

    init_site(tmp_path, text=config_text(languages=("en", "de")))
    config = load_config(tmp_path / "newsdesk.toml")
    stories = [raw_story(1, "en", "Nvidia slides late", "Shares of Nvidia fell 4% after hours.", ("NASDAQ:NVDA",)),
               raw_story(2, "de", "SAP schwächer", "Die Aktie von SAP fiel nachbörslich um 4 Prozent.", ("XETR:SAP",)),
               raw_story(3, "en", "Nvidia opens an office", "Nvidia opened an office in Lisbon.", ("NASDAQ:NVDA",))]
    with Store(config.store_path) as store:
        for n, record in enumerate(stories):
            store.upsert(parse_raw(record), record, f"h{n}", "test")
        assert not publish(config, store).failed
        names = store.names_of(["wire:1/x:0", "wire:2/x:0", "wire:3/x:0"])
        sync_site(config.with_archive(store.archived_languages()), store.db)
    out = tmp_path / "public"
    assert run_hugo(config.site_path, destination=out).warnings == []
    assert box(page(out, f"post/{names['wire:1/x:0']}")) == ("Key figures", ["Shares -4% after hours"])
    assert box(page(out, f"de/post/{names['wire:2/x:0']}")) == ("Kennzahlen", ["Aktie -4\u00a0% nachbörslich"])
    assert box(page(out, f"post/{names['wire:3/x:0']}")) is None
    rows = page(out, "tags/nvda").xpath("//section[@class='ticker-figures']/ul/li")
    assert [(r.xpath("string(span)"), r.xpath("a/@href")[0]) for r in rows] == [
        ("Shares -4% after hours", f"/post/{names['wire:1/x:0']}/")]
    assert page(out, "de/tags/sap").xpath("string(//section[@class='ticker-figures']//span)") == \
        "Aktie -4\u00a0% nachbörslich"
    feed = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    facts = [item.get("_newsdesk", {}).get("facts") for item in feed["items"]]
    assert facts == [None, [Fact("NVDA", "price_move", -4, "%", "after-hours", "down").to_json()]]
