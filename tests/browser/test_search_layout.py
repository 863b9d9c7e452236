"""The search page in a real browser (issue 14): results load without pushing the page around
(cumulative layout shift near 0, measured as Lighthouse does, from the browser's 'layout-shift'
entries) and the result count speaks each theme language's plural ("1 result", "2 results").

Uses the session's sample site and headless Debian chromium (tests/browser/conftest.py). CLS here is
the sum of every shift without recent input, at least what Lighthouse reports (its largest
window of shifts).
"""

from __future__ import annotations

from typing import Any

import pytest
from browserkit import SampleSite

#: Installed before any script of the page runs.
CLS_OBSERVER = """
window.__cls = 0; window.__shifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__cls += entry.value;
    window.__shifts.push({value: entry.value, sources: (entry.sources || []).map(s =>
      s.node ? (s.node.className || s.node.nodeName) : '?')});
  }
}).observe({type: 'layout-shift', buffered: true});
"""
#: Most text is wider than no shift at all: Lighthouse rates CLS under 0.1 as good.
NEAR_ZERO = 0.01


def layout_shift(tab: Any, url: str, ready: str) -> tuple[float, list[dict]]:
    """Open ``url``, wait until ``ready`` (a JS condition) holds and a second more; the CLS."""
    tab.add_init_script(CLS_OBSERVER)
    response = tab.goto(url, wait_until="load")
    assert response is not None and response.ok, url
    tab.wait_for_function(ready, timeout=15_000)
    tab.wait_for_timeout(1_000)
    return tab.evaluate("window.__cls"), tab.evaluate("window.__shifts")


def ticker_counts(tab: Any, site: SampleSite) -> dict[str, int]:
    """Stories per ticker, from the site's own search index."""
    tab.goto(site.url("search/"), wait_until="load")
    return tab.evaluate("""async bundle => {
        const pf = await import(bundle); await pf.init();
        return (await pf.filters()).ticker; }""", site.url("pagefind/pagefind.js"))


RESULTS_SHOWN = "document.querySelectorAll('.search-result').length > 0 && !!document.querySelector('.search-status').textContent"


@pytest.mark.parametrize("device", ["page", "phone"])
def test_search_results_load_without_layout_shift(sample_site: SampleSite, device: str,
                                                  request: pytest.FixtureRequest) -> None:
    tab = request.getfixturevalue(device)
    cls, shifts = layout_shift(tab, sample_site.url("search/?q=shares&language="), RESULTS_SHOWN)
    assert tab.locator(".search-result").count() >= 5, "a query with several results"
    assert cls < NEAR_ZERO, shifts


@pytest.mark.parametrize("device", ["page", "phone"])
def test_an_empty_search_page_and_filters_do_not_shift(sample_site: SampleSite, device: str,
                                                       request: pytest.FixtureRequest) -> None:
    tab = request.getfixturevalue(device)
    ready = "document.querySelectorAll('select[data-filter] option').length > 3"
    cls, shifts = layout_shift(tab, sample_site.url("search/"), ready)
    assert cls < NEAR_ZERO, shifts


@pytest.mark.parametrize("path", ["", "de/", "tags/vltr/"])
def test_other_pages_stay_without_layout_shift(sample_site: SampleSite, phone: Any, path: str) -> None:
    cls, shifts = layout_shift(phone, sample_site.url(path), "document.readyState === 'complete'")
    assert cls < NEAR_ZERO, shifts


def test_a_story_page_stays_without_layout_shift(sample_site: SampleSite, phone: Any) -> None:
    post = next(p for p in sample_site.posts if p.lang == "en" and p.front.get("thumbnail"))
    cls, shifts = layout_shift(phone, post.url, "document.readyState === 'complete'")
    assert cls < NEAR_ZERO, shifts


@pytest.mark.parametrize(("lang", "one", "two"), [
    ("en", "1 result", "{n} results"), ("de", "1 Treffer", "{n} Treffer"), ("es", "1 resultado", "{n} resultados")])
def test_the_result_count_is_pluralised(sample_site: SampleSite, page: Any, lang: str, one: str, two: str) -> None:
    counts = ticker_counts(page, sample_site)
    single = min(t for t, n in counts.items() if n == 1)
    several, n = max(((t, c) for t, c in counts.items() if c >= 2), key=lambda tc: (tc[1], tc[0]))
    prefix = "" if lang == "en" else f"{lang}/"
    status = page.locator(".search-status")
    for ticker, text in ((single, one), (several, two.format(n=n))):
        page.goto(sample_site.url(f"{prefix}search/?ticker={ticker}&language="), wait_until="load")
        page.wait_for_function(RESULTS_SHOWN, timeout=15_000)
        assert status.text_content() == text, ticker
