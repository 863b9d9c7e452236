"""No broken internal links in the built sample site.

The demo site is built once; every ``public/**/*.html`` page is parsed with lxml and every
internal ``href``/``src``/``srcset`` (relative, root-relative or absolute to the site's base URL)
is resolved to a file under ``public/``: query and fragment stripped, percent-decoded,
``/x/`` -> ``x/index.html``. A fragment must name an ``id`` (or ``<a name>``) of its target page.
The sitemap's URLs are checked the same way, and no page may repeat an ``id``.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.etree
import lxml.html
import pytest

from newsdesk.demo import run_demo

#: Elements and the attributes of theirs that hold one URL.
URL_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",), "area": ("href",), "link": ("href",), "img": ("src",), "script": ("src",),
    "iframe": ("src",), "source": ("src",), "audio": ("src",), "video": ("src", "poster"),
    "track": ("src",), "embed": ("src",), "form": ("action",), "input": ("src",),
}
NOT_FETCHED = ("mailto:", "tel:", "javascript:", "data:")


class Site:
    """A built site: its ``public`` folder and the base URL its absolute links start with."""

    def __init__(self, public: Path, base_url: str) -> None:
        self.public = public
        self.base = urlsplit(base_url if base_url.endswith("/") else base_url + "/")

    def page_url(self, file: Path) -> str:
        """The URL a file of ``public`` is served at (``x/index.html`` -> ``.../x/``)."""
        rel = file.relative_to(self.public).as_posix()
        if rel == "index.html" or rel.endswith("/index.html"):
            rel = rel[: -len("index.html")]
        return f"{self.base.scheme}://{self.base.netloc}{self.base.path}{rel}"

    def target(self, url: str) -> Path | None:
        """The file of ``public`` an absolute URL names, or None when the URL is not this site's."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != self.base.netloc:
            return None
        path = unquote(parts.path)
        if not path.startswith(self.base.path):
            return None
        rel = path[len(self.base.path):]
        candidate = self.public / rel
        if rel == "" or rel.endswith("/") or candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate


@cache
def ids_of(file: Path) -> frozenset[str]:
    """Every ``id`` and ``<a name>`` of an HTML page."""
    tree = lxml.html.parse(str(file))
    ids = {el.get("id") for el in tree.iter() if isinstance(el.tag, str) and el.get("id")}
    ids |= {el.get("name") for el in tree.iter("a") if el.get("name")}
    return frozenset(i for i in ids if i)


def urls_of(tree: lxml.etree._ElementTree) -> Iterator[tuple[str, str]]:
    """(where, URL) for every URL-bearing attribute of a parsed page."""
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in URL_ATTRIBUTES.get(el.tag, ()):
            value = el.get(attr)
            if value is not None:
                yield f"<{el.tag} {attr}>", value.strip()
        srcset = el.get("srcset")
        if srcset:
            for candidate in srcset.split(","):
                if candidate.strip():
                    yield f"<{el.tag} srcset>", candidate.split()[0]
        if el.tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            content = el.get("content") or ""
            if "url=" in content.lower():
                yield "<meta refresh>", content[content.lower().index("url=") + 4:].strip(" '\"")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    report = run_demo(tmp_path_factory.mktemp("links"))
    return Site(report.config.site_path / "public", report.config.site.base_url)


def test_every_internal_link_and_fragment_resolves(site: Site) -> None:
    pages = sorted(site.public.rglob("*.html"))
    assert len(pages) > 50, "the sample site should have many pages"
    broken: list[str] = []
    checked = 0
    for page in pages:
        tree = lxml.html.parse(str(page))
        base_href = tree.find(".//base[@href]")
        page_url = urljoin(site.page_url(page), base_href.get("href")) if base_href is not None \
            else site.page_url(page)
        for where, ref in urls_of(tree):
            if not ref or ref.lower().startswith(NOT_FETCHED):
                continue
            url = urljoin(page_url, ref)
            target = site.target(url)
            if target is None:
                continue
            checked += 1
            rel = page.relative_to(site.public)
            if not target.is_file():
                broken.append(f"{rel}: {where} {ref!r} -> missing {target.relative_to(site.public)}")
                continue
            fragment = unquote(urlsplit(url).fragment)
            if fragment and target.suffix == ".html" and fragment not in ids_of(target):
                broken.append(f"{rel}: {where} {ref!r} -> no id {fragment!r} in {target.relative_to(site.public)}")
    assert checked > len(pages), "expected several internal links per page"
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:40])


def test_sitemap_urls_exist(site: Site) -> None:
    sitemaps = sorted(site.public.rglob("sitemap.xml"))
    assert sitemaps
    missing: list[str] = []
    for sitemap in sitemaps:
        tree = lxml.etree.parse(str(sitemap))
        locs = [el.text.strip() for el in tree.iter("{*}loc") if el.text]
        locs += [el.get("href", "") for el in tree.iter("{http://www.w3.org/1999/xhtml}link")]
        for loc in locs:
            target = site.target(loc)
            if target is None or not target.is_file():
                missing.append(f"{sitemap.relative_to(site.public)}: {loc}")
    assert not missing, "sitemap URLs without a page:\n" + "\n".join(missing[:40])


def test_no_page_repeats_an_id(site: Site) -> None:
    repeated: list[str] = []
    for page in sorted(site.public.rglob("*.html")):
        seen: set[str] = set()
        for el in lxml.html.parse(str(page)).iter():
            ident = el.get("id") if isinstance(el.tag, str) else None
            if ident:
                if ident in seen:
                    repeated.append(f"{page.relative_to(site.public)}: id {ident!r}")
                seen.add(ident)
    assert not repeated, "\n".join(repeated[:40])
