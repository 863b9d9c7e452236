"""parse_feed on the feeds in tests/fixtures/feeds: every field of every entry, and the FeedError cases."""

from __future__ import annotations

import calendar
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.sources.feed_parse import Entry, Feed, FeedError, parse_feed

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def parse(name: str, *, url: str | None = None, content_type: str | None = None) -> Feed:
    return parse_feed((FEEDS / name).read_bytes(), url or f"https://feeds.example.com/feeds/{name}",
                      content_type=content_type)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> int:
    return calendar.timegm((year, month, day, hour, minute, second))


def test_rss091() -> None:
    feed = parse("rss091.xml")
    assert (feed.title, feed.link, feed.lang) == ("Port of Westhaven Notices", "https://port.example.org/", "en-GB")
    first, second = feed.entries
    assert first == Entry(
        guid="https://port.example.org/notices/42", link="https://port.example.org/notices/42",
        title="Dredging & berth closures in the east basin", published=None,
        summary_html="Berths 4 to 6 close for maintenance dredging from 3 March.", content_html="",
        excerpt_only=True, categories=(), author="", images=(), lang="en-GB")
    # whitespace collapsed; host lower-cased, default port and tracking parameters gone
    assert second.title == "Tariff schedule 2027 published"
    assert second.link == second.guid == "https://port.example.org/notices/43"
    assert second.summary_html == "The <b>new</b> tariff schedule takes effect on 1 January..."


def test_rss092_title_less_item_image_enclosure_and_categories() -> None:
    feed = parse("rss092.xml")
    assert feed.lang == "en"
    dividend, branches = feed.entries
    assert dividend.title == ""
    assert dividend.link == "https://bank.example.net/news/dividend-q3"
    assert dividend.categories == ("Dividends",)
    assert dividend.images == ("https://bank.example.net/img/dividend.jpg",)
    assert branches.link == "https://bank.example.net/news/branches"  # fragment dropped
    assert branches.categories == ("Corporate",)  # repeated category once
    assert branches.images == ()  # an audio enclosure is no image


def test_rss10_rdf() -> None:
    feed = parse("rss10.rdf")
    assert (feed.title, feed.link, feed.lang) == ("Autorité fictive des marchés", "https://regulator.example.fr/", "fr")
    sanction, consultation = feed.entries
    assert sanction.guid == sanction.link == "https://regulator.example.fr/communiques/2026-101"
    assert sanction.published == utc(2026, 10, 5, 7, 15)  # dc:date 09:15+02:00
    assert sanction.author == "Service de presse"
    assert sanction.categories == ("Sanctions",)
    assert sanction.excerpt_only
    assert consultation.published == utc(2026, 10, 6, 16)
    assert consultation.categories == ("Consultations", "Gestion d'actifs")
    assert consultation.content_html.startswith("<p>L'autorité ouvre une consultation publique")
    assert not consultation.excerpt_only  # short, but complete and not the summary
    assert consultation.lang == "fr"


def test_rss20_excerpts() -> None:
    feed = parse("rss20_excerpts.xml")
    assert (feed.title, feed.link, feed.lang) == ("Harborline Wire – Markets", "https://www.harborline.example/markets/", "en-US")
    northwind, fed, osprey = feed.entries
    assert northwind == Entry(
        guid="hlw-2026-0001", link="https://www.harborline.example/markets/northwind-q3?id=881",
        title="Northwind Goods beats third-quarter estimates", published=utc(2026, 11, 3, 12, 30),
        summary_html="<p>Northwind Goods (NYSE: NWGD) reported revenue of $4.1 billion&hellip;</p>",
        content_html="", excerpt_only=True, categories=("Earnings", "Retail"), author="Jane Okafor",
        images=("https://img.harborline.example/2026/northwind-store.jpg",
                "https://img.harborline.example/2026/northwind-store-thumb.jpg"),
        lang="en-US")
    # a permalink guid is the link; EST applied; "email (Name)" -> the name; only the image enclosure
    assert fed.guid == fed.link == "https://www.harborline.example/markets/fed-minutes"
    assert fed.published == utc(2026, 11, 4, 13)
    assert fed.author == "Max Lindqvist"
    assert fed.images == ("https://img.harborline.example/2026/fed.png",)
    assert fed.categories == ("Central banks",)
    # an HTML-escaped title becomes plain text; no guid: the canonical link; video media skipped
    assert osprey.title == "Profit & loss: Q3 at Osprey Air"
    assert osprey.guid == osprey.link == "http://www.harborline.example/markets/osprey-q3"
    assert osprey.published == utc(2026, 11, 5, 23, 59, 59)
    assert osprey.images == ("https://img.harborline.example/2026/osprey.webp",)


def test_rss20_content_encoded_and_the_teaser_rule() -> None:
    by_title = {e.title: e for e in parse("rss20_full.xml").entries}
    full = by_title["Ridgeway Capital completes acquisition of Fenmore Partners"]
    assert full.content_html.startswith("<p>Ridgeway Capital today announced")
    assert full.summary_html == "Ridgeway Capital has completed its acquisition of Fenmore Partners."
    assert full.guid == "https://press.ridgeway.example/releases/fenmore"
    assert not full.excerpt_only  # long content
    assert by_title["Ridgeway appoints new chief risk officer"].excerpt_only  # ends with "Read more"
    assert by_title["Ridgeway fund reports monthly NAV"].excerpt_only  # content == summary (quotes aside)
    assert by_title["Ridgeway outlook 2027"].excerpt_only  # ends with "[…]"
    assert not by_title["Trading update"].excerpt_only  # short but complete
    # a guid without isPermaLink="false" is a permalink: feedparser resolves it like a link
    assert by_title["Ridgeway appoints new chief risk officer"].guid == "https://press.ridgeway.example/cro-2026"


def test_atom_full_content_xml_base_and_languages() -> None:
    feed = parse("atom_full.xml", url="https://feeds.example.com/nordbank.atom")
    assert (feed.title, feed.link, feed.lang) == ("Nordbank Presse", "https://www.nordbank.example/presse/", "de-DE")
    results, branch, cdo = feed.entries
    assert results.guid == "tag:nordbank.example,2026:pm-117"
    assert results.link == "https://www.nordbank.example/presse/2026/zinsueberschuss.html"  # xml:base, no utm
    assert results.published == utc(2026, 11, 5, 7, 30)  # published wins over updated
    assert results.author == "Erika Brandt"
    assert results.categories == ("Finanzen", "Quartalszahlen")
    assert results.summary_html == "Der Zinsüberschuss stieg im dritten Quartal deutlich."
    assert 'src="https://www.nordbank.example/presse/bilder/grafik-q3.png"' in results.content_html
    assert 'href="https://www.nordbank.example/investoren/q3.pdf"' in results.content_html
    assert not results.excerpt_only
    assert results.lang == "de-DE"
    # the entry's own xml:base; xhtml title and content; updated only
    assert branch.title == "Neue Filiale in Kiel"
    assert branch.link == "https://cdn.nordbank.example/mitteilungen/kiel.html"
    assert branch.published == utc(2026, 11, 4, 12)
    assert branch.images == ("https://cdn.nordbank.example/mitteilungen/kiel-filiale.png",)
    assert 'src="https://cdn.nordbank.example/mitteilungen/kiel-innen.jpg"' in branch.content_html
    assert branch.summary_html == ""
    assert not branch.excerpt_only
    assert cdo.lang == "en"
    assert cdo.published == utc(2026, 11, 3, 20, 45)  # 15:45-05:00
    assert cdo.excerpt_only and cdo.content_html == ""


@pytest.mark.parametrize("content_type", [None, "application/rss+xml", "text/xml", "text/xml; charset=ISO-8859-1",
                                          "application/rss+xml; charset=utf-8"])
def test_declared_encodings(content_type: str | None) -> None:
    latin = parse("latin1.xml", content_type=content_type)
    assert latin.title == "Börse Süd - Mitteilungen"
    assert latin.entries[0].title == "Änderung der Handelszeiten für Exchange Traded Funds"
    assert "£ 2 oder ¥ 300" in latin.entries[0].summary_html
    assert latin.entries[0].published == utc(2026, 11, 9, 16, 5)
    cp = parse("cp1252.xml", content_type=content_type)
    assert cp.title == "Greyfield “Investor” News"
    assert cp.entries[0].title == "Greyfield raises dividend – €0.45 per share"
    assert cp.entries[0].summary_html == "The board’s proposal… in full."
    bom = parse("bom.xml", content_type=content_type)
    assert bom.title == "Kōyō Securities — 市場ニュース"
    assert (bom.entries[0].title, bom.lang) == ("日経平均、3日続伸", "ja")
    assert bom.entries[0].published == utc(2026, 11, 11, 6, 30)


def test_the_http_charset_decides_for_a_document_without_a_declaration() -> None:
    data = (FEEDS / "latin1_undeclared.xml").read_bytes()
    assert parse_feed(data, "https://x.example/f").entries[0].title == "Résultats annuels : hausse de 5 %"
    russian = ("<rss version='2.0'><channel><title>Банк</title><item><title>Годовые результаты</title>"
               "<link>https://bank.example.ru/1</link></item></channel></rss>").encode("cp1251")
    header = "application/rss+xml; charset=windows-1251"
    assert parse_feed(russian, "https://x.example/f", content_type=header).entries[0].title == "Годовые результаты"
    assert parse_feed(russian, "https://x.example/f").entries[0].title != "Годовые результаты"  # guessed wrong


def test_relative_links_and_images_resolve_against_the_channel_link() -> None:
    feed = parse("relative.xml", url="https://feeds.copperline.example/rss")
    drilling, agm = feed.entries
    assert drilling.link == "https://www.copperline.example/newsroom/2026/red-creek"
    assert drilling.images == ("https://www.copperline.example/media/red-creek-rig.jpg",
                               "https://www.copperline.example/newsroom/thumbs/red-creek.jpg")
    assert 'src="https://www.copperline.example/media/red-creek.jpg"' in drilling.summary_html
    assert 'src="https://www.copperline.example/newsroom/images/red-creek-map.png"' in drilling.content_html
    assert (agm.guid, agm.link) == ("cm-agm-2026", "https://www.copperline.example/newsroom/agm-2026")


def test_relative_links_resolve_against_the_fetched_url_without_a_channel_link() -> None:
    data = (FEEDS / "relative.xml").read_bytes().replace(b"<link>https://www.copperline.example/newsroom/</link>", b"")
    feed = parse_feed(data, "https://feeds.copperline.example/rss/main.xml")
    assert feed.link == ""
    assert [e.link for e in feed.entries] == ["https://feeds.copperline.example/newsroom/2026/red-creek",
                                              "https://feeds.copperline.example/rss/agm-2026"]


def test_dates_in_many_zones_and_formats() -> None:
    published = {e.title: e.published for e in parse("dates.xml").entries}
    noon = utc(2026, 11, 3, 12, 30)
    assert published == {
        "rfc822 plus two": noon, "rfc822 minus five thirty": utc(2026, 11, 3, 20), "rfc822 PST": noon,
        "rfc822 GMT without weekday": noon, "rfc822 two-digit year": noon, "iso8601 Z": noon,
        "iso8601 offset": noon, "iso8601 fractional seconds": noon, "date only": utc(2026, 11, 3),
        "no zone": noon, "garbage date": None, "missing date": None,
    }


def test_duplicates_across_two_feeds_share_the_canonical_link() -> None:
    a, b = parse("dup_a.xml"), parse("dup_b.xml")
    assert [e.guid for e in a.entries] == ["hlw-pr-77310", "hlw-pr-77311"]  # the repeated item once
    assert a.entries[0].link == b.entries[0].link == "https://www.harborline.example/press/osprey-bluewing"
    assert a.entries[0].guid != b.entries[0].guid
    assert a.entries[0].published == b.entries[0].published == utc(2026, 11, 6, 13)
    assert b.entries[1].link == "https://greyfield.example/ir/dividend"  # gclid, mc_cid, mc_eid gone
    assert b.lang == "en" and b.entries[1].lang == "en"


def test_recoverable_xml_faults_parse() -> None:
    feed = parse("recoverable_entities.xml")
    assert feed.title == "Sloppy Wire"
    (entry,) = feed.entries
    assert entry.title == "Smith & Sons: Q3 results – better than feared"
    assert entry.link == "https://sloppy.example/story?id=5&page=1"
    assert entry.published == utc(2026, 11, 12, 10)


def test_a_feed_without_items_is_an_empty_feed() -> None:
    assert parse("empty.xml") == Feed(title="Quiet Wire", link="https://quiet.example/", lang=None, entries=())


def test_entry_without_guid_link_gets_a_stable_hash() -> None:
    data = b"""<rss version="2.0"><channel><title>T</title>
      <item><title>Only a title</title><pubDate>Tue, 03 Nov 2026 12:30:00 +0000</pubDate></item>
      <item></item></channel></rss>"""
    (entry,) = parse_feed(data, "https://x.example/f").entries  # the empty item is dropped
    again = parse_feed(data, "https://x.example/f").entries[0]
    assert entry.guid.startswith("sha1:") and entry.guid == again.guid
    assert entry.link == ""


@pytest.mark.parametrize(("name", "content_type", "message"), [
    ("broken_truncated.xml", None, "broken XML at line 13, column 0: no element found (the document is cut off"),
    ("broken_garbage.xml", None, "broken XML at line 5, column 35: mismatched tag"),
    ("page.html", "text/html; charset=utf-8", "not a feed (HTML page)"),
    ("page.html", None, "not a feed (HTML page)"),
])
def test_broken_documents_raise_feed_error(name: str, content_type: str | None, message: str) -> None:
    url = f"https://feeds.example.com/feeds/{name}"
    with pytest.raises(FeedError) as caught:
        parse(name, url=url, content_type=content_type)
    assert str(caught.value).startswith(f"{url}: {message}")
    assert caught.value.url == url


@pytest.mark.parametrize(("data", "content_type", "message"), [
    (b"", None, "empty document"),
    (b"   \n", None, "empty document"),
    (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "application/json", "not a feed (JSON)"),
    (b"<?xml version='1.0'?><catalog><book>x</book></catalog>", None, "not a feed: no RSS or Atom root element"),
    (b"<p>Service unavailable</p>", "text/html", "not a feed (HTML page)"),
    (b"\xef\xbb\xbf<!DOCTYPE html><html><body>Just a moment...</body></html>", None, "not a feed (HTML page)"),
    (b"plain words, no markup at all", "text/plain", "not a feed: no RSS or Atom root element"),
])
def test_not_a_feed(data: bytes, content_type: str | None, message: str) -> None:
    with pytest.raises(FeedError, match="^" + "https://x.example/f: " + message.replace("(", r"\(").replace(")", r"\)")):
        parse_feed(data, "https://x.example/f", content_type=content_type)


ALL = sorted(p.name for p in FEEDS.iterdir())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ALL), st.integers(min_value=0, max_value=4000), st.binary(max_size=40))
def test_cut_or_spliced_feeds_give_a_feed_or_a_feed_error(name: str, cut: int, junk: bytes) -> None:
    data = (FEEDS / name).read_bytes()
    data = data[:cut] + junk + data[cut + len(junk):]
    try:
        feed = parse_feed(data, "https://x.example/f")
    except FeedError as error:
        assert str(error).startswith("https://x.example/f: ")
        return
    for entry in feed.entries:
        assert entry.guid
        assert entry.link == "" or entry.link.startswith(("http://", "https://"))
        assert all(image.startswith(("http://", "https://")) for image in entry.images)
