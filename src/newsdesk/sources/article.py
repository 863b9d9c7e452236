"""Article pages -> :class:`Article`: main text as a body tree, title, date, author, images, kind.

One trafilatura pass per page (``bare_extraction`` on the tree parsed here, ``fast`` mode, with
formatting, links, images and tables, without comments and without trafilatura's metadata pass);
its element tree becomes newsdesk's body tree through :func:`newsdesk.sources.html_tree.tree_from_element`.

Fix-ups made here, cheaply, on the parsed page before trafilatura sees it:

* link and image URLs are made absolute against the document base (``<base href>`` resolved
  against the page URL, else the page URL); trafilatura would resolve them against the host only;
* ``figure``/``figcaption`` captions are noted per image URL (trafilatura drops captions) and put
  back on the tree's ``image`` nodes;
* short elements whose class or id names a newsletter/subscribe/sign-up box are removed
  (trafilatura keeps some of them as the last paragraph).

Metadata is read here from the page head (hand-written, for a reason: trafilatura's metadata pass
runs htmldate's date search, which cost as much as the text extraction itself on our pages, and
returns the day without time or zone):

* ``published``: ``article:published_time`` and similar meta tags, ``itemprop=datePublished``,
  JSON-LD ``datePublished``, a ``<time datetime>``; ISO 8601 or RFC 2822, the zone respected
  (a time without zone counts as UTC, a date alone as 00:00 UTC); only when none is found,
  htmldate (trafilatura's own date library) looks at the page;
* ``title``: og/twitter title, JSON-LD headline, the first ``h1``, else ``<title>`` without its
  `` | Site`` suffix; ``author``: author meta tags, JSON-LD author names, a ``rel=author`` link or a
  byline element (a leading "By" dropped); ``url``: ``<link rel=canonical>``, else ``og:url``,
  else the fetched URL; ``lang``: ``<html lang>``, ``content-language``, ``og:locale``, normalised
  (``en``, ``pt-BR``); ``images``: the tree's images in order, ``og:image`` first when the body
  does not hold it.

``kind`` -- the caller publishes only ``"article"`` and falls back to the feed entry otherwise:

* ``"empty"``: no markup, no text at all, or a few words asking for JavaScript (an app shell);
* ``"error"``: the title (its ``<title>`` or the one chosen) or first heading reads like an error page (``404``, "page not found",
  "Seite nicht gefunden", "access denied", "service unavailable"...) and the text is short
  (under :data:`SHORT_WORDS` words);
* ``"consent"``: short text (under :data:`SHORT_WORDS` words) and one of: a title naming
  cookies/consent/privacy choices over fewer than 60 words; an element whose class or id says
  consent/cmp/gdpr/cookie/privacy holding 60% or more of the page's text; or first-person
  consent wording ("we and our partners", "wir verwenden Cookies"...) with half or more of the
  sentences about cookies and consent. A short press release *about* cookie banners is no wall;
* ``"paywall"``: subscription wording in a short text (under :data:`SHORT_WORDS` words:
  "subscribe to continue reading", "already a subscriber"...), or a paywall sign in the markup
  (JSON-LD ``isAccessibleForFree: false``, ``article:content_tier`` locked, an element whose class
  or id says paywall) with under :data:`TEASER_WORDS` words. A longer text with such markup is an
  article: the full text was served.

The module is a little over ~400 lines: the metadata reading and the page-kind rules are small
pieces that only :func:`extract` uses, kept next to it.

For consent, error and empty pages the tree is an empty root (their text is not the story); a
paywall teaser keeps its extracted tree.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

import trafilatura
from lxml import etree

from newsdesk.model import plain_text
from newsdesk.sources.html_tree import safe_url, tree_from_element

__all__ = ["SHORT_WORDS", "TEASER_WORDS", "Article", "decode_html", "extract"]

SHORT_WORDS = 300
TEASER_WORDS = 200


@dataclass(frozen=True)
class Article:
    url: str  # canonical: <link rel=canonical> / og:url resolved against the page, else the fetched URL
    title: str
    published: int | None  # epoch seconds UTC; None when the page gives no date
    author: str
    lang: str | None  # "en", "de", "pt-BR"
    tree: dict[str, Any]  # root node of the body tree
    images: tuple[str, ...]  # absolute image URLs, lead image first
    text: str  # plain text of the main content
    kind: str  # "article" | "consent" | "paywall" | "error" | "empty"


# --- decoding -----------------------------------------------------------------------------------

_LATIN1 = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819", "iso-ir-100",
                     "us-ascii", "ascii", "windows-1252", "cp1252", "x-cp1252", "iso_8859-1", "csisolatin1"})
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.+-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.+-]+)", re.I)


def _c1(error: UnicodeError) -> tuple[str, int]:
    """windows-1252's five unassigned bytes decode to the C1 controls, as browsers do."""
    assert isinstance(error, UnicodeDecodeError)
    return "".join(chr(b) for b in error.object[error.start:error.end]), error.end


codecs.register_error("newsdesk.c1", _c1)


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    if label in _LATIN1:
        return "cp1252"  # browsers read ISO-8859-1 and ASCII as windows-1252
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "utf-8" if name.startswith("utf-16") or name.startswith("utf-32") else name


def decode_html(page: bytes, content_type: str | None) -> str:
    """The page as text: charset from its BOM, the Content-Type header, a ``<meta>`` in its first
    4 KiB, else UTF-8; undecodable bytes become U+FFFD."""
    if page.startswith(codecs.BOM_UTF8):
        return page[3:].decode("utf-8", "replace")
    if page.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return page.decode("utf-16", "replace")
    found = _HEADER_CHARSET.search(content_type or "")
    codec = _codec(found.group(1)) if found else None
    if codec is None:
        meta = _META_CHARSET.search(page, 0, 4096)
        codec = _codec(meta.group(1).decode("ascii", "replace")) if meta else None
    codec = codec or "utf-8"
    return page.decode(codec, "newsdesk.c1" if codec == "cp1252" else "replace")


# --- page metadata ------------------------------------------------------------------------------

_DATE_META = ("article:published_time", "og:article:published_time", "datepublished", "published_time",
              "pubdate", "publishdate", "publish-date", "publish_date", "dc.date.issued", "dcterms.issued",
              "dc.date", "dcterms.date", "dcterms.created", "date", "sailthru.date", "parsely-pub-date",
              "article.published", "citation_publication_date", "release_date")
_DATE_RANK = {name: rank for rank, name in enumerate(_DATE_META)}
_AUTHOR_META = ("author", "article:author", "byl", "parsely-author", "sailthru.author", "dc.creator",
                "citation_author")
_BYLINE = re.compile(r"^\s*(?:by|von|par|por|door|di)\s+", re.I)


@dataclass
class _Facts:
    base: str
    canonical: str = ""
    og_url: str = ""
    image: str = ""
    lang: str | None = None
    meta_title: str = ""
    head_title: str = ""
    author: str = ""
    date: tuple[int, str] | None = None  # (rank, value)
    ld_date: str = ""
    time_date: str = ""
    ld: dict[str, Any] | None = None
    locked: bool = False


def _page_facts(root: etree._Element, url: str) -> _Facts:
    facts = _Facts(base=url)
    facts.lang = _norm_lang(root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang"))
    authors: dict[str, str] = {}
    for el in root.iter("base", "meta", "link", "title", "script", "time"):
        tag = el.tag
        if tag == "meta":
            _meta(el, facts, authors)
        elif tag == "link":
            rel = (el.get("rel") or "").lower().split()
            if "canonical" in rel and not facts.canonical:
                facts.canonical = el.get("href") or ""
        elif tag == "base":
            if el.get("href") and facts.base == url:
                facts.base = safe_url(el.get("href"), url) or url
        elif tag == "title":
            if not facts.head_title:
                facts.head_title = _clean(el.text_content() if hasattr(el, "text_content") else el.text or "")
        elif tag == "script":
            if "ld+json" in (el.get("type") or "").lower() and el.text and len(el.text) < 500_000:
                _json_ld(el.text, facts)
        elif not facts.time_date and el.get("datetime"):
            facts.time_date = el.get("datetime") or ""
    facts.author = _BYLINE.sub("", next((authors[k] for k in _AUTHOR_META if authors.get(k)), ""))
    return facts


def _meta(el: etree._Element, facts: _Facts, authors: dict[str, str]) -> None:
    name = (el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or "").lower()
    content = (el.get("content") or "").strip()
    if not name or not content:
        return
    if name in ("og:title", "twitter:title") and not facts.meta_title:
        facts.meta_title = _clean(content)
    elif name == "og:url":
        facts.og_url = facts.og_url or content
    elif name in ("og:image", "og:image:url", "og:image:secure_url", "twitter:image"):
        facts.image = facts.image or content
    elif name in ("content-language", "og:locale", "language", "dc.language"):
        facts.lang = facts.lang or _norm_lang(content)
    elif name in _DATE_RANK:
        rank = _DATE_RANK[name]
        if facts.date is None or rank < facts.date[0]:
            facts.date = (rank, content)
    elif name in _AUTHOR_META and "://" not in content:
        authors.setdefault(name, _clean(content))
    elif name in ("article:content_tier",) and content.lower() in ("locked", "premium"):
        facts.locked = True


def _json_ld(text: str, facts: _Facts) -> None:
    try:
        data = json.loads(text)
    except ValueError:
        return
    stack: list[Any] = [data]
    seen = 0
    while stack and seen < 2000:
        node = stack.pop()
        seen += 1
        if isinstance(node, list):
            stack.extend(reversed(node))
            continue
        if not isinstance(node, dict):
            continue
        if "datePublished" in node and not facts.ld_date and isinstance(node["datePublished"], str):
            facts.ld_date = node["datePublished"]
            facts.ld = node
        if str(node.get("isAccessibleForFree", "")).lower() == "false":
            facts.locked = True
        stack.extend(v for v in reversed(list(node.values())) if isinstance(v, (dict, list)))


def _ld_author(node: dict[str, Any] | None) -> str:
    if not node:
        return ""
    author = node.get("author")
    names = []
    for item in author if isinstance(author, list) else [author]:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip() and "://" not in name:
            names.append(_clean(name))
    return ", ".join(names[:5])


_LANG = re.compile(r"^([a-z]{2,3})(?:[-_]([a-z]{4}))?(?:[-_]([a-z]{2}|\d{3}))?(?:[-_]|$)", re.I)


def _norm_lang(value: str | None) -> str | None:
    """``en-us`` -> ``en-US``, ``pt_BR`` -> ``pt-BR``, ``zh-hant-tw`` -> ``zh-Hant-TW``; None when not a tag."""
    if not value:
        return None
    found = _LANG.match(value.split(",")[0].strip())
    if not found:
        return None
    parts = [found.group(1).lower()]
    if found.group(2):
        parts.append(found.group(2).title())
    if found.group(3):
        parts.append(found.group(3).upper())
    return "-".join(parts)


def _clean(text: str) -> str:
    return " ".join(text.split())


def _epoch(value: str) -> int | None:
    """ISO 8601 or RFC 2822 date -> epoch seconds (no zone: UTC); None when not a plausible date."""
    value = value.strip()
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    if not 1971 <= when.year <= 2100:
        return None
    return int(when.timestamp())


def _published(facts: _Facts, root: etree._Element) -> int | None:
    for value in (facts.date[1] if facts.date else "", facts.ld_date, facts.time_date):
        stamp = _epoch(value) if value else None
        if stamp is not None:
            return stamp
    try:
        import htmldate

        found = htmldate.find_date(root, extensive_search=True, original_date=True, url=facts.base)
    except Exception:  # noqa: BLE001 -- htmldate is a best-effort fallback
        return None
    return _epoch(found) if found else None


_TITLE_SPLIT = re.compile(r"\s+[|\-–—·:]\s+")


def _title(facts: _Facts, root: etree._Element) -> str:
    if facts.meta_title:
        return facts.meta_title
    if facts.ld and isinstance(facts.ld.get("headline"), str) and facts.ld["headline"].strip():
        return _clean(facts.ld["headline"])
    for h1 in root.iter("h1"):
        text = _clean(h1.text_content())
        if text:
            return text
    parts = _TITLE_SPLIT.split(facts.head_title)
    return parts[0] if len(parts) > 1 and len(parts[0]) >= 12 else facts.head_title


def _author(facts: _Facts, root: etree._Element) -> str:
    if facts.author:
        return facts.author
    if name := _ld_author(facts.ld):
        return name
    for el in root.xpath("//*[@rel='author' or @itemprop='author' or contains(@class,'byline')]")[:3]:
        text = _BYLINE.sub("", _clean(el.text_content()))
        if 2 <= len(text) <= 100:
            return text
    return ""


# --- the fix-ups before trafilatura ---------------------------------------------------------------

_SIGNUP_BOXES = etree.XPath(
    "//*[contains(@class,'newsletter') or contains(@class,'subscribe') or contains(@class,'signup')"
    " or contains(@class,'sign-up') or contains(@id,'newsletter') or contains(@id,'subscribe')]")
_SIGNUP_WORD = re.compile(r"(?:^|[\s_-])(?:newsletter|subscribe|signup|sign-up)(?:$|[\s_-])", re.I)


def _drop_signup_boxes(root: etree._Element) -> None:
    """Newsletter/subscribe boxes (short elements so named) go: trafilatura keeps some of them."""
    for el in _SIGNUP_BOXES(root):
        if _SIGNUP_WORD.search(f"{el.get('class') or ''} {el.get('id') or ''}") and el.getparent() is not None \
                and len(el.text_content()) < 500:
            el.drop_tree()


def _absolutise(root: etree._Element, base: str) -> dict[str, str]:
    """Make link and image URLs absolute; return figure captions by absolute image URL."""
    for el in root.iter("a", "img"):
        for attr, value in el.items():
            if (attr == "href" or attr == "src" or attr.startswith("data-src")) \
                    and not value.startswith(("https://", "http://")):
                try:
                    el.set(attr, urljoin(base, value.strip()))
                except ValueError:
                    el.set(attr, "")
    captions: dict[str, str] = {}
    for figure in root.iter("figure"):
        caption = next(figure.iter("figcaption"), None)
        text = _clean(caption.text_content()) if caption is not None else ""
        if text:
            for img in figure.iter("img"):
                for attr, value in img.items():
                    if attr == "src" or attr.startswith("data-src"):
                        captions.setdefault(value, text)
    return captions


# --- the kind of page -----------------------------------------------------------------------------

_ERROR = re.compile(
    r"^\s*(?:error\s*)?(?:404|410|500|502|503)\b|\b(?:404|410|500|502|503)\s*(?:error|fehler|erreur|[-–:|])"
    r"|page (?:not found|introuvable|non trouvée)|not found|seite nicht gefunden|nicht gefunden"
    r"|no encontrad[ao]|non trovat[ao]|niet gevonden|access denied|forbidden|server error"
    r"|service unavailable|temporarily unavailable|something went wrong|page (?:does not|doesn't) exist"
    r"|(?:couldn't|could not|can't|cannot) find (?:that|this|the) page", re.I)
_CONSENT_TITLE = re.compile(r"cookie|consent|privacy (?:choices|settings|preferences)|before you continue"
                            r"|datenschutz|einwilligung|consentement|zustimmung", re.I)
_CONSENT = re.compile(
    r"cookie|consent|accept all|reject all|agree and continue|we and our (?:\d+ )?partners|legitimate interest"
    r"|personali[sz]ed (?:ads|content)|manage (?:your )?(?:preferences|choices|options|settings)"
    r"|privacy (?:policy|settings|choices)|einwilligung|zustimm|akzeptieren|datenschutz|consentement"
    r"|accepter|partenaires|tracking technologies|store and/or access information", re.I)
_PAYWALL = re.compile(
    r"subscribe (?:now )?to (?:continue|read|keep reading|unlock)|to continue reading|continue reading with"
    r"|already (?:a subscriber|have an account)|subscribers? only|for subscribers|sign in to (?:read|continue)"
    r"|log in to (?:read|continue)|this (?:article|story|content) is (?:reserved|available|only available|exclusive)"
    r" (?:for|to) (?:subscribers|members)|premium (?:article|content)|jetzt abonnieren|abonnieren sie"
    r"|réservé aux abonnés|unlock this article|start your (?:free )?trial", re.I)
_NEEDS_SCRIPT = re.compile(r"enable javascript|javascript (?:is )?(?:required|disabled|turned off)"
                           r"|browser (?:is )?not supported|loading\.\.\.", re.I)
_WE_CONSENT = re.compile(r"we (?:and our (?:\d+ )?partners|use cookies)|this (?:site|website) uses cookies"
                         r"|wir und unsere partner|wir verwenden cookies|diese website verwendet cookies"
                         r"|nous et nos partenaires|nous utilisons des cookies", re.I)
_CONSENT_BOXES = etree.XPath(
    "//*[contains(@class,'consent') or contains(@id,'consent') or contains(@class,'cmp') or contains(@id,'cmp')"
    " or contains(@class,'gdpr') or contains(@id,'gdpr') or contains(@class,'cookie') or contains(@id,'cookie')"
    " or contains(@class,'privacy') or contains(@id,'privacy')]")
_CONSENT_WORD = re.compile(r"(?:^|[\s_-])(?:consent|cmp|gdpr|cookies?|privacy)(?:$|[\s_-])", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _kind(title: str, heading: str, text: str, facts: _Facts, root: etree._Element) -> str:
    words = len(text.split())
    if (words == 0 and not title) or (words < 40 and _NEEDS_SCRIPT.search(text)):
        return "empty"
    if words < SHORT_WORDS and any(_ERROR.search(t) for t in (title, heading, facts.head_title)):
        return "error"
    if words < SHORT_WORDS and _consent(title, text, words, root):
        return "consent"
    if words < SHORT_WORDS and _PAYWALL.search(text):
        return "paywall"
    if words < TEASER_WORDS and (facts.locked or root.xpath(
            "//*[contains(@class,'paywall') or contains(@id,'paywall') or contains(@class,'subscriber-only')"
            " or contains(@class,'premium-wall')][1]")):
        return "paywall"
    return "article" if words else "empty"


def _consent(title: str, text: str, words: int, root: etree._Element) -> bool:
    """A short page that is mostly a consent dialog (see the module docstring)."""
    if words < 60 and _CONSENT_TITLE.search(title):
        return True
    if not _CONSENT.search(text):  # the cheap test first: no consent word, no wall
        return False
    page = _page_text(root)
    if page:
        for el in _CONSENT_BOXES(root):
            if _CONSENT_WORD.search(f"{el.get('class') or ''} {el.get('id') or ''}") \
                    and len(_clean(el.text_content())) * 5 >= len(page) * 3:
                return True
    if not _WE_CONSENT.search(text):
        return False
    sentences = [s for s in _SENTENCE.split(text) if s.strip()]
    hits = sum(1 for s in sentences if _CONSENT.search(s))
    return hits >= 2 and hits * 2 >= len(sentences)


def _page_text(root: etree._Element) -> str:
    """Visible-ish text of the whole page (for pages trafilatura finds nothing in)."""
    body = root.find("body")
    if body is None:
        return ""
    parts = body.xpath(".//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)]")
    return _clean(" ".join(parts))[:20_000]


# --- extraction -----------------------------------------------------------------------------------

def _images(tree: dict[str, Any], lead: str) -> tuple[str, ...]:
    found: dict[str, None] = {}
    stack: list[Any] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == "image":
                found.setdefault(node["params"]["url"], None)
            stack.extend(reversed(node.get("children") or ()))
    urls = list(found)
    if lead and lead not in found:
        urls.insert(0, lead)
    return tuple(urls)


def _drop_title_heading(tree: dict[str, Any], title: str) -> None:
    """The page's own headline at the top of the body repeats the title: drop it."""
    children = tree["children"]
    if children and isinstance(children[0], dict) and children[0]["type"] in ("h1", "h2") \
            and plain_text(children[0]).casefold() == title.casefold():
        del children[0]


def extract(page: bytes | str, url: str, *, content_type: str | None = None) -> Article:
    """The article in a fetched page (see the module docstring); never raises on odd pages."""
    text = page if isinstance(page, str) else decode_html(page, content_type)
    root = trafilatura.load_html(text) if text.strip() else None
    if root is None:
        return Article(url=url, title="", published=None, author="", lang=None,
                       tree={"type": "root", "children": []}, images=(), text="", kind="empty")
    facts = _page_facts(root, url)
    captions = _absolutise(root, facts.base)
    _drop_signup_boxes(root)
    document = trafilatura.bare_extraction(
        root, url=facts.base, fast=True, output_format="xml", include_comments=False, include_tables=True,
        include_images=True, include_formatting=True, include_links=True)
    body = getattr(document, "body", None)
    tree = tree_from_element(body, facts.base, captions) if body is not None else {"type": "root", "children": []}
    title = _title(facts, root)
    _drop_title_heading(tree, title)
    main_text = plain_text(tree)
    heading = next((_clean(h.text_content()) for h in root.iter("h1")), "")
    kind = _kind(title, heading, main_text or _page_text(root), facts, root)
    if kind in ("consent", "error", "empty"):
        tree, main_text = {"type": "root", "children": []}, ""
    canonical = safe_url(facts.canonical, facts.base) or safe_url(facts.og_url, facts.base) or url
    lead = safe_url(facts.image, facts.base) or ""
    return Article(url=canonical, title=title, published=_published(facts, root), author=_author(facts, root),
                   lang=facts.lang, tree=tree, images=_images(tree, lead), text=main_text, kind=kind)
