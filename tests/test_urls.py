"""canonical_url / is_http_url: a table of cases, and properties over arbitrary text."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsdesk.sources.urls import canonical_url, is_http_url

BASE = "https://www.example.com/markets/today.html"

CASES = [
    # scheme, host, port
    ("HTTP://WWW.Example.COM/News/A", None, "http://www.example.com/News/A"),
    ("http://example.com:80/a", None, "http://example.com/a"),
    ("https://example.com:443/a", None, "https://example.com/a"),
    ("https://example.com:8443/a", None, "https://example.com:8443/a"),
    ("http://example.com:/a", None, "http://example.com/a"),
    ("http://example.com:0080/a", None, "http://example.com/a"),
    ("https://example.com", None, "https://example.com/"),
    ("http://[2001:DB8::1]:80/x", None, "http://[2001:db8::1]/x"),
    ("http://User:Secret@Example.com/x", None, "http://User:Secret@example.com/x"),
    # fragment, dot segments
    ("https://example.com/a#section-2", None, "https://example.com/a"),
    ("https://example.com/a/./b/../c", None, "https://example.com/a/c"),
    ("https://example.com/../../a", None, "https://example.com/a"),
    ("https://example.com/a/b/..", None, "https://example.com/a/"),
    ("https://example.com/a/%2E%2E/b", None, "https://example.com/b"),
    # percent-encoding
    ("https://example.com/%7Euser/%41bc", None, "https://example.com/~user/Abc"),
    ("https://example.com/caf%c3%a9", None, "https://example.com/caf%C3%A9"),
    ("https://example.com/café", None, "https://example.com/caf%C3%A9"),
    ("https://example.com/a b", None, "https://example.com/a%20b"),
    ("https://example.com/100%", None, "https://example.com/100%25"),
    ("https://example.com/a%2Fb", None, "https://example.com/a%2Fb"),
    ("https://example.com/s?q=a%2bb&x=%7e", None, "https://example.com/s?q=a%2Bb&x=~"),
    # tracking parameters
    ("https://example.com/a?utm_source=rss&utm_medium=feed&id=7", None, "https://example.com/a?id=7"),
    ("https://example.com/a?UTM_Campaign=x&id=7", None, "https://example.com/a?id=7"),
    ("https://example.com/a?fbclid=IwAR&gclid=1&dclid=2&msclkid=3", None, "https://example.com/a"),
    ("https://example.com/a?mc_cid=1&mc_eid=2&igshid=3&_hsenc=4&_hsmi=5&yclid=6", None, "https://example.com/a"),
    ("https://example.com/a?b=2&utm_term=x&a=1", None, "https://example.com/a?b=2&a=1"),
    ("https://example.com/a?ref=rss", None, "https://example.com/a"),
    ("https://example.com/a?ref=twitter&ref_src=twsrc", None, "https://example.com/a"),
    ("https://example.com/a?ref=feedburner", None, "https://example.com/a"),
    ("https://git.example.com/repo/file?ref=main", None, "https://git.example.com/repo/file?ref=main"),
    ("https://example.com/a?&&id=1&", None, "https://example.com/a?id=1"),
    ("https://example.com/a?", None, "https://example.com/a"),
    ("https://example.com/a?flag&x=", None, "https://example.com/a?flag&x="),
    ("https://example.com/a?page=2&page=3", None, "https://example.com/a?page=2&page=3"),
    # relative references
    ("/news/1?utm_source=x", BASE, "https://www.example.com/news/1"),
    ("story-2", BASE, "https://www.example.com/markets/story-2"),
    ("../about", BASE, "https://www.example.com/about"),
    ("//cdn.example.com/i.png", BASE, "https://cdn.example.com/i.png"),
    ("?page=2", BASE, "https://www.example.com/markets/today.html?page=2"),
    ("  https://example.com/a  ", None, "https://example.com/a"),
    ("", BASE, "https://www.example.com/markets/today.html"),
    # not http(s): resolved and stripped, otherwise untouched
    ("mailto:Desk@Example.com", None, "mailto:Desk@Example.com"),
    ("javascript:alert(1)", None, "javascript:alert(1)"),
    ("/relative/only", None, "/relative/only"),
    ("ftp://Example.com/File", None, "ftp://Example.com/File"),
    ("http://[broken/x", None, "http://[broken/x"),
]


@pytest.mark.parametrize(("url", "base", "expected"), CASES)
def test_canonical_url(url: str, base: str | None, expected: str) -> None:
    assert canonical_url(url, base) == expected


def test_same_article_through_two_feeds_is_one_url() -> None:
    a = canonical_url("HTTPS://Www.Example.com:443/press/2026/q3-results?utm_source=feedA&id=9#top")
    b = canonical_url("/press/2026/./q3-results?id=9&fbclid=XYZ", "https://www.example.com/feeds/b.xml")
    assert a == b == "https://www.example.com/press/2026/q3-results?id=9"


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.com/a", True), ("HTTP://example.com", True), ("  http://example.com/  ", True),
    ("ftp://example.com/", False), ("/a/b", False), ("http://", False), ("javascript:alert(1)", False),
    ("", False), ("http://[broken", False), ("mailto:a@example.com", False),
])
def test_is_http_url(url: str, expected: bool) -> None:
    assert is_http_url(url) is expected


URLISH = st.one_of(
    st.text(),
    st.builds(lambda scheme, host, rest: f"{scheme}://{host}{rest}",
              st.sampled_from(["http", "HTTPS", "https", "ftp", "Http"]),
              st.text(alphabet="abcXYZ.-:[]@0123456789%", max_size=20),
              st.text(alphabet="/?&=#.%~ abcé_-+utmref2F", max_size=40)),
)


@settings(max_examples=400, deadline=None)
@given(URLISH, st.one_of(st.none(), st.just(BASE), st.text(max_size=30)))
@example("\x08\x850", "0")  # urljoin dropped the control, leaving U+0085 (whitespace) in front
def test_canonical_url_never_raises_and_is_idempotent(url: str, base: str | None) -> None:
    once = canonical_url(url, base)
    assert isinstance(once, str)
    assert canonical_url(once) == once
    if is_http_url(once):
        assert "#" not in once
        assert "utm_" not in once.partition("?")[2].lower().split("=")[0]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["id", "page", "utm_source", "fbclid", "q", "gclid"]),
                          st.text(alphabet="abc123", max_size=4)), max_size=6))
def test_only_tracking_params_go_and_the_rest_keep_their_order(params: list[tuple[str, str]]) -> None:
    query = "&".join(f"{k}={v}" for k, v in params)
    kept = [f"{k}={v}" for k, v in params if k not in ("utm_source", "fbclid", "gclid")]
    expected = "https://example.com/a" + ("?" + "&".join(kept) if kept else "")
    assert canonical_url(f"https://example.com/a?{query}") == expected
