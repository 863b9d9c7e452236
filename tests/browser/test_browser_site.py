"""The built sample site in a real browser (chromium through Playwright's sync API).

Markup the bundled theme promises (and these tests use): lists show ``article.summary`` newest
first with ``h2.summary-title a``, ``time[datetime]``, ``.provider`` and ``a.chip.ticker``; a story
is ``article.story[data-pagefind-body]`` with ``h1.story-title``, ``time[datetime]``,
``.provider``, ``.tickers a.chip.ticker`` (to ``/tags/<ticker>/``), ``.story-body`` and the
source link (``.source a``, else the body's last link); translations are
``nav.translations a[hreflang]``; search is an ``input[type=search]`` on ``/search/``.

Expectations come from the bundled sample archive (``newsdesk.sample.load_archive``) and the
posts the demo wrote, never from the pages themselves.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import pytest
from browserkit import PHONE, Post, Recorder, SampleSite

from newsdesk.model import plain_text, ticker_of


#: Selectors of the theme's markup contract.
SUMMARY = "article.summary"
SUMMARY_LINK = "article.summary h2.summary-title a"
STORY = "article.story[data-pagefind-body]"


def text(value: str) -> str:
    """Whitespace-normalised text, for comparing what a page shows with what a post holds."""
    return " ".join(value.split())


def tickers(record: dict[str, Any]) -> list[str]:
    return [ticker_of(s["symbol"]) for s in record.get("related_symbols") or []]


def has_node(tree: Any, kinds: set[str]) -> bool:
    if isinstance(tree, dict):
        return tree.get("type") in kinds or any(has_node(c, kinds) for c in tree.get("children") or [])
    if isinstance(tree, list):
        return any(has_node(c, kinds) for c in tree)
    return False


def image_story(site: SampleSite) -> dict[str, Any]:
    """The newest story with an image, tickers, and English plus German versions."""
    for record in site.records:
        en = record["versions"].get("en")
        if en and "de" in record["versions"] and tickers(record) \
                and has_node(en.get("ast_description"), {"news-image", "image"}):
            return record
    raise AssertionError("the sample archive has no story with an image, tickers and a translation")


def table_story(site: SampleSite) -> dict[str, Any]:
    """The English story with the widest table (most cells in its longest row)."""
    def width(tree: Any) -> int:
        if not isinstance(tree, dict):
            return 0
        own = len(tree.get("children") or []) if tree.get("type") == "table-row" else 0
        return max([own, *(width(c) for c in tree.get("children") or [])])

    return max((r for r in site.records if "en" in r["versions"]),
               key=lambda r: width(r["versions"]["en"].get("ast_description")))


def goto(page: Any, url: str) -> None:
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: {response and response.status}"


def story_links(page: Any, path: str) -> int:
    """How many links on the page lead to ``path`` (a story's URL path)."""
    return page.evaluate(
        "path => [...document.querySelectorAll('a[href]')]"
        ".filter(a => new URL(a.href, location.href).pathname === path).length", path)


def result_link_count(page: Any, path: str) -> int:
    """Links to ``path`` inside search results (Pagefind's UI or any search container)."""
    return page.evaluate(
        """path => [...document.querySelectorAll('a[href]')].filter(a =>
             new URL(a.href, location.href).pathname === path &&
             a.closest('[class*="pagefind"], [id*="search"], [class*="search"], [role="search"]')).length""",
        path)


def shoot(page: Any, artifacts: Any, name: str, *, full_page: bool = True) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=full_page)


def test_home_lists_the_newest_story_first(sample_site: SampleSite, page: Any, artifacts: Any) -> None:
    newest = next(r for r in sample_site.records if "en" in r["versions"])
    goto(page, sample_site.base_url)
    summaries = page.locator(SUMMARY)
    assert summaries.count() >= 5
    first = summaries.first
    assert text(first.locator("h2.summary-title a").inner_text()) == text(newest["versions"]["en"]["title"])
    assert text(first.locator(".provider").inner_text()) == newest["provider"]["name"]
    chips = [text(t) for t in first.locator("a.chip.ticker").all_inner_texts()]
    assert sorted(chips) == sorted(tickers(newest))
    stamps = summaries.locator("time[datetime]").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert len(stamps) == summaries.count()
    assert stamps == sorted(stamps, reverse=True), "home is not newest first"
    first.locator("h2.summary-title a").click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == sample_site.post(newest["id"]).path
    goto(page, sample_site.base_url)
    shoot(page, artifacts, "home-desktop")


def test_story_page_shows_body_image_caption_tickers_and_source(sample_site: SampleSite, page: Any,
                                                                 artifacts: Any) -> None:
    record = image_story(sample_site)
    post = sample_site.post(record["id"])
    en = record["versions"]["en"]
    goto(page, post.url)
    story = page.locator(STORY)
    assert story.count() == 1
    assert text(story.locator("h1.story-title").inner_text()) == text(en["title"])
    assert story.locator("time[datetime]").count() >= 1
    assert text(story.locator(".provider").first.inner_text()) == record["provider"]["name"]

    body = story.locator(".story-body")
    shown = text(body.inner_text())
    paragraphs = [text(plain_text(c)) for c in en["ast_description"]["children"] if c.get("type") == "p"]
    assert len(paragraphs) >= 2
    for paragraph in paragraphs:
        assert paragraph in shown, f"paragraph not on the page: {paragraph!r}"

    image_alt, image_url = re.search(r"!\[([^\]]*)\]\((\S+?)\)", post.body).groups()  # type: ignore[union-attr]
    image = body.locator("img").first
    assert image.get_attribute("alt") == image_alt
    assert urlsplit(image.get_attribute("src") or "").hostname in (None, "127.0.0.1"), "a story image is not local"
    assert image_url.startswith("https://s3.tradingview.com/")  # the post keeps the source's URL
    figure = body.locator("figure.story-image").first
    assert text(figure.locator("figcaption").inner_text()) == text(image_alt)
    caption = re.search(r"^!\[[^\]]*\]\(\S+?\)\n\n\*(.+)\*\n", post.body, re.M)
    caption_shown = page.evaluate(
        """fig => { const next = fig.nextElementSibling;
                    return next && next.tagName === 'P' && next.children.length === 1 && next.querySelector('em')
                           ? next.querySelector('em').innerText : ''; }""",
        figure.element_handle())
    assert text(caption_shown) == (text(caption.group(1)) if caption else "")

    chips = story.locator(".tickers a.chip.ticker")
    assert sorted(text(t) for t in chips.all_inner_texts()) == sorted(tickers(record))
    for href in chips.evaluate_all("els => els.map(e => new URL(e.href).pathname)"):
        assert re.fullmatch(r"/tags/[^/]+/", href), href

    source_href = re.findall(r"\]\((https://www\.tradingview\.com/news/\S+?)\)", post.body)[-1]
    source = story.locator(".source a")
    if source.count():
        assert source.first.get_attribute("href") == source_href
    else:
        assert body.locator("a").last.get_attribute("href") == source_href
    shoot(page, artifacts, "story-desktop")


def test_ticker_page_lists_only_that_tickers_stories(sample_site: SampleSite, page: Any) -> None:
    counts = Counter(t for r in sample_site.records if "en" in r["versions"] for t in set(tickers(r)))
    ticker = max((t for t, n in counts.items() if 2 <= n <= 10), key=lambda t: (counts[t], t))
    expected = {text(r["versions"]["en"]["title"]) for r in sample_site.records
                if "en" in r["versions"] and ticker in tickers(r)}
    story = next(r for r in sample_site.records if "en" in r["versions"] and ticker in tickers(r))
    goto(page, sample_site.post(story["id"]).url)
    page.locator(".tickers a.chip.ticker", has_text=re.compile(rf"^\s*{re.escape(ticker)}\s*$")).first.click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == f"/tags/{ticker.lower()}/"
    listed = [text(t) for t in page.locator(SUMMARY_LINK).all_inner_texts()]
    assert len(listed) == len(expected), listed
    assert set(listed) == expected


def search_word(site: SampleSite, record: dict[str, Any]) -> str:
    """A word of the story's English body that no other English story (nor its title) holds."""
    def words(value: str) -> set[str]:
        return {w.lower() for w in re.findall(r"[A-Za-z]{7,}", value)}

    en = record["versions"]["en"]
    others: set[str] = words(en["title"])
    for other in site.records:
        if other is not record and "en" in other["versions"]:
            version = other["versions"]["en"]
            others |= words(version["title"]) | words(plain_text(version.get("ast_description")))
    body_words = re.findall(r"[A-Za-z]{7,}", plain_text(en.get("ast_description")))
    unique = [w for w in body_words if w.lower() not in others]
    assert unique, "the story has no word of its own"
    return unique[0].lower()


def test_search_finds_a_story_by_a_word_of_its_body(sample_site: SampleSite, page: Any) -> None:
    record = image_story(sample_site)
    post = sample_site.post(record["id"])
    word = search_word(sample_site, record)
    goto(page, sample_site.url("search/"))
    box = page.locator("input[type=search]").first
    box.wait_for(state="visible")
    before = result_link_count(page, post.path)
    box.fill(word)
    page.wait_for_function(
        """([path, before]) => [...document.querySelectorAll('a[href]')].filter(a =>
             new URL(a.href, location.href).pathname === path &&
             a.closest('[class*="pagefind"], [id*="search"], [class*="search"], [role="search"]')).length > before""",
        arg=[post.path, before], timeout=15_000)


def test_search_widget_leads_to_results(sample_site: SampleSite, page: Any) -> None:
    record = image_story(sample_site)
    post = sample_site.post(record["id"])
    goto(page, sample_site.base_url)
    box = page.locator("input[type=search]").first
    box.fill(search_word(sample_site, record))
    box.press("Enter")
    page.wait_for_function(
        """path => [...document.querySelectorAll('a[href]')].some(a =>
             new URL(a.href, location.href).pathname === path &&
             a.closest('[class*="pagefind"], [id*="search"], [class*="search"], [role="search"]'))""",
        arg=post.path, timeout=15_000)


def test_pagefind_filters_ticker_provider_language(sample_site: SampleSite, page: Any) -> None:
    """The index carries the filters ``ticker``, ``provider`` and ``language`` of each story."""
    record = image_story(sample_site)
    post = sample_site.post(record["id"])
    word = search_word(sample_site, record)
    goto(page, sample_site.url("search/"))
    found = page.evaluate(
        """async ([bundle, word, ticker, provider]) => {
             const pf = await import(bundle);
             await pf.init();
             const urls = async filters => {
               const search = await pf.search(word, {filters});
               return Promise.all(search.results.map(async r => (await r.data()).url));
             };
             return {filters: await pf.filters(), plain: await urls({}),
                     ticker: await urls({ticker}), other: await urls({ticker: '__none__'}),
                     provider: await urls({provider}), language: await urls({language: 'en'})};
           }""", [sample_site.url("pagefind/pagefind.js"), word, tickers(record)[0], record["provider"]["name"]])
    assert {"ticker", "provider", "language"} <= set(found["filters"]), found["filters"]
    assert tickers(record)[0] in found["filters"]["ticker"]
    assert record["provider"]["name"] in found["filters"]["provider"]
    assert {"en", "de"} <= set(found["filters"]["language"])
    paths = {key: {urlsplit(u).path for u in found[key]} for key in ("plain", "ticker", "provider", "language")}
    for key, value in paths.items():
        assert post.path in value, f"{key}: {value}"
    assert not found["other"]


def test_language_switcher_leads_to_the_translation(sample_site: SampleSite, page: Any) -> None:
    record = image_story(sample_site)
    english, german = sample_site.post(record["id"], "en"), sample_site.post(record["id"], "de")
    goto(page, english.url)
    switch = page.locator('nav.translations a[hreflang="de"]')
    assert switch.count() == 1
    switch.click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == german.path
    assert (page.locator("html").get_attribute("lang") or "").startswith("de")
    assert text(page.locator("h1.story-title").inner_text()) == text(record["versions"]["de"]["title"])
    back = page.locator('nav.translations a[hreflang="en"]')
    assert back.count() == 1 and urlsplit(back.get_attribute("href") or "").path == english.path


def no_horizontal_scroll(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_phone_has_no_horizontal_scroll(sample_site: SampleSite, phone: Any, artifacts: Any) -> None:
    goto(phone, sample_site.base_url)
    assert no_horizontal_scroll(phone), "the home page scrolls sideways on a phone"
    shoot(phone, artifacts, "home-phone", full_page=False)
    record = table_story(sample_site)
    goto(phone, sample_site.post(record["id"]).url)
    assert phone.locator(".story-body table").count() >= 1
    assert no_horizontal_scroll(phone), "the story page scrolls sideways on a phone"
    # A table wider than the screen scrolls inside its own box (or a wrapper's), not the page.
    unscrollable = phone.evaluate(
        """() => [...document.querySelectorAll('.story-body table')].filter(t => {
             if (t.scrollWidth <= window.innerWidth) return false;
             for (let el = t; el && el !== document.body; el = el.parentElement) {
               const o = getComputedStyle(el).overflowX;
               if ((o === 'auto' || o === 'scroll') && el.clientWidth <= window.innerWidth) return false;
             }
             return true; }).length""")
    assert unscrollable == 0, "a wide table cannot be scrolled within its own box"
    phone.locator(".story-body table").first.scroll_into_view_if_needed()
    shoot(phone, artifacts, "story-table-phone", full_page=False)
    image_post = sample_site.post(image_story(sample_site)["id"])
    goto(phone, image_post.url)
    assert no_horizontal_scroll(phone), f"{image_post.path} scrolls sideways on a phone"
    shoot(phone, artifacts, "story-phone", full_page=False)
    assert phone.viewport_size == PHONE


def test_no_request_leaves_loopback(sample_site: SampleSite, page: Any, recorder: Recorder) -> None:
    """Only 127.0.0.1 is asked for anything: story images, thumbnails, fonts, scripts, styles.
    The posts keep the source's image URLs; the site serves its own copies."""
    record = image_story(sample_site)
    post: Post = sample_site.post(record["id"])
    for url in (sample_site.base_url, post.url, sample_site.post(record["id"], "de").url,
                sample_site.url(f"tags/{tickers(record)[0].lower()}/"), sample_site.url("search/")):
        goto(page, url)
    box = page.locator("input[type=search]").first
    if box.count():
        box.fill(search_word(sample_site, record))
        page.wait_for_timeout(1500)
    requested = [u for u in recorder.requested if urlsplit(u).scheme in ("http", "https")]
    assert any(urlsplit(u).hostname == "127.0.0.1" for u in requested)
    foreign = {u for u in requested if urlsplit(u).hostname != "127.0.0.1"}
    assert not foreign, f"requests to other hosts: {sorted(foreign)}"
    assert sample_site.image_urls(), "the sample's posts have no story images to check"
    assert any("/images/story/" in u for u in requested), "no local story image was loaded"


def test_phone_loads_story_images_no_wider_than_needed(sample_site: SampleSite, phone: Any,
                                                       recorder: Recorder) -> None:
    """At phone width each story image loads a srcset candidate at most twice its displayed
    width, and nothing comes from another host."""
    start = len(recorder.requested)
    checked = 0
    for record in sample_site.records:
        if not has_node((record["versions"].get("en") or {}).get("ast_description"), {"news-image", "image"}):
            continue
        goto(phone, sample_site.post(record["id"]).url)
        images = phone.locator(".story-body img")
        for index in range(images.count()):
            image = images.nth(index)
            image.scroll_into_view_if_needed()
            phone.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
            shown = image.evaluate("""img => {
                const chosen = new URL(img.currentSrc).pathname;
                const match = (img.getAttribute('srcset') || '').split(',').map(s => s.trim().split(/\\s+/))
                    .find(([url]) => new URL(url, location.href).pathname === chosen);
                return {displayed: img.clientWidth, candidate: match ? parseInt(match[1]) : img.naturalWidth,
                        host: new URL(img.currentSrc).hostname}; }""")
            assert shown["host"] == "127.0.0.1"
            assert 0 < shown["displayed"] <= PHONE["width"]
            assert shown["candidate"] <= 2 * shown["displayed"], (record["id"], shown)
            checked += 1
    assert checked >= 3
    foreign = [u for u in recorder.requested[start:] if urlsplit(u).hostname not in ("127.0.0.1", None)
               and urlsplit(u).scheme in ("http", "https")]
    assert not foreign, foreign
