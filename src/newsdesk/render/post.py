"""Story -> the whole post file: front matter in the seed's key order, blank line, body.

The body is the rendered tree followed by a last line linking the provider's name to the
story's page. A story whose body is withheld (no tree; gated stories are not requested unless
``fetch_gated`` is on) gets a short post: its digest, then the source link; a gated short post
carries one extra front-matter key at the end, ``gated: true``. A story with market facts
(``newsdesk.facts``, from its title and plain text) gets ``facts:`` (the tuples, one flow mapping
a line) and ``key_figures:`` (a phrase per fact in the story's language, same order) after
``thumbnail``; a story without facts gets neither key. Tags and the category (the
provider) are cut to :data:`TERM_MAX` characters and hold no path separator, as Hugo names a
folder after each. Hugo renders a front-matter
``summary`` as Markdown, so the summary is written
Markdown-escaped (``<script>`` or ``*`` in a story's first words show as written)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from newsdesk.config import PostSettings
from newsdesk.facts import extract
from newsdesk.facts.archive import FactsFn, facts_of_story
from newsdesk.model import Story, plain_text
from newsdesk.render.facts_front import facts_front_matter
from newsdesk.render.frontmatter import FrontMatterValue, front_matter_entries
from newsdesk.render.markdown import (
    escape_inline,
    escape_line_start,
    link_destination,
    render_body,
)

SLUG_MAX = 60
SLUG_SOURCE_MAX = 1000
TERM_MAX = 60
_SEPARATORS = {ord("/"): " ", ord("\\"): " "}
HASH_LENGTH = 10
DEFAULT_SETTINGS = PostSettings()

_SURROGATE = re.compile("[\ud800-\udfff]")


def post_name(story_id: str, title: str) -> str:
    """A stable file name stem for a story: readable slug of ``title`` + ``-`` + 10 hex of
    sha256(id).

    Lowercase Unicode letters, digits and marks are kept (CJK stays readable), emoji become
    their Unicode names (🚀 -> ``rocket``), flags their letters, anything else separates words.
    The slug is cut to at most 60 characters at a word boundary where possible and falls back
    to ``story``. The result holds no path separators, reserved or control characters, and no
    leading/trailing dot or space, so it is safe on every OS; pass the same title for every
    language of a story (the name does not depend on the language). Only the title's first
    :data:`SLUG_SOURCE_MAX` characters are read, so a 1 MB title costs no more than a long one.
    """
    digest = hashlib.sha256(story_id.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_LENGTH]
    return f"{_slug(title[:SLUG_SOURCE_MAX]) or 'story'}-{digest}"


def _slug(title: str) -> str:
    words: list[str] = []
    word: list[str] = []
    flag = False  # the current word is made of flag letters
    for char in unicodedata.normalize("NFKC", _SURROGATE.sub(" ", title)).lower():
        code = ord(char)
        if 0x1F1E6 <= code <= 0x1F1FF:  # regional indicators: a flag's two letters
            if word and not flag:
                words.append("".join(word))
                word = []
            flag = True
            word.append(chr(code - 0x1F1E6 + ord("a")))
            continue
        if char.isalnum() or (word and not flag and _is_mark(char)):
            if flag:
                words.append("".join(word))
                word, flag = [], False
            word.append(char)
            continue
        if word:
            words.append("".join(word))
            word, flag = [], False
        if code >= 0x2300 and code != 0xFFFD and unicodedata.category(char) == "So":  # emoji, pictographs
            words.extend(unicodedata.name(char, "").lower().replace("-", " ").split())
    if word:
        words.append("".join(word))
    slug = "-".join(words)
    if len(slug) > SLUG_MAX:
        cut = slug.rfind("-", 0, SLUG_MAX + 1)
        slug = slug[:cut] if cut >= SLUG_MAX // 2 else slug[:SLUG_MAX]
    return unicodedata.normalize("NFC", slug.strip("-"))


def _is_mark(char: str) -> bool:
    """A combining mark that belongs to the letter before it (not a variation selector)."""
    return unicodedata.category(char) in ("Mn", "Mc") and not (
        0xFE00 <= ord(char) <= 0xFE0F or 0xE0100 <= ord(char) <= 0xE01EF)


def summary_text(story: Story, words: int) -> str:
    """The first ``words`` words of the body's plain text then ``...``, or the whole text when
    it is no longer. Without a body the digest is used the same way (a
    trailing ``…``, the digest's own cut mark, counts as truncation)."""
    truncated = False
    if story.tree is not None:
        if words <= 0:
            return "..." if plain_text(story.tree) else ""
        parts = _leading_words(story.tree, words)
        return " ".join(parts[:words]) + "..." if len(parts) > words else " ".join(parts)
    else:
        text = story.digest.strip()
        for mark in ("…", "..."):
            if text.endswith(mark):
                text, truncated = text[: -len(mark)].rstrip(), True
                break
    if words <= 0:
        return "..." if text.strip() else ""
    parts = text.split(None, words)
    if len(parts) > words:
        return " ".join(parts[:words]) + "..."
    summary = " ".join(parts)
    return summary + "..." if truncated and summary else summary


def _leading_words(tree: dict[str, Any], words: int) -> list[str]:
    """``plain_text(tree).split(None, words + 1)``, or the same split of a prefix of the text
    that surely holds more than ``words`` whole words (``words`` > 0).

    Only the root's first children are read (4, then 8, 16, ...: a story's first paragraphs
    usually hold the summary): once their text has at least ``words + 2`` words, the first
    ``words + 1`` are whole and final whatever follows.
    """
    children = tree.get("children") if isinstance(tree, dict) else None
    if isinstance(children, list):
        count = 4
        while count < len(children):
            parts = plain_text({"type": tree.get("type"), "children": children[:count]}).split(None, words + 1)
            if len(parts) == words + 2:
                return parts
            count *= 2
    return plain_text(tree).split(None, words + 1)


_ZONES: dict[str, ZoneInfo] = {}


def format_date(epoch: int, timezone: str) -> str:
    """``YYYY-MM-DD HH:MM:SS`` of an epoch (seconds) in the IANA time zone ``timezone``."""
    zone = _ZONES.get(timezone)
    if zone is None:
        zone = _ZONES.setdefault(timezone, ZoneInfo(timezone))
    moment = datetime.fromtimestamp(epoch, zone)
    if moment.year >= 1000:  # isoformat starts with the same 19 characters, at a fraction of the cost
        return moment.isoformat(" ")[:19]
    return moment.strftime("%Y-%m-%d %H:%M:%S")  # glibc writes years before 1000 unpadded


def render_post(story: Story, *, settings: PostSettings = DEFAULT_SETTINGS,
                translations: Sequence[str] = (), timezone: str = "UTC", summary_words: int = 50,
                resolve_ref: Callable[[str], str | None] | None = None,
                carriers: Sequence[tuple[str, str]] = (), extract_facts: FactsFn | None = extract,
                facts_front: Callable[[Story], str] | None = None) -> str:
    """The whole post file for ``story``: front matter, a blank line, the body, one final
    newline. ``carriers``: (name, URL) of the other sources that carried the story, linked after
    its own source on the last line. ``extract_facts``: where the story's market facts come from
    (None: no facts); ``facts_front``, when given, gives their front-matter entries instead
    (publish: kept in the archive, see :mod:`newsdesk.facts.archive`)."""
    if story.tree is None:  # withheld or gated body: digest and source link only
        body, first_image = _digest_body(story.digest), ""
    else:
        body, first_image = render_body(story.tree, site_url=story.site_url, links=story.links,
                                        resolve_ref=resolve_ref)
    source = _source_line(story, carriers)
    body = f"{body}\n{source}" if body else source
    thumbnail = first_image if settings.thumbnail == "first-image" else settings.thumbnail
    provider = story.provider_name or story.provider_id
    items: list[tuple[str, FrontMatterValue]] = [
        ("title", story.title),
        ("date", format_date(story.published, timezone)),
        ("summary", escape_line_start(escape_inline(summary_text(story, summary_words)).strip())),
        ("categories", [category] if (category := _term(provider)) else []),
        ("lang", [story.lang]),
        ("translations", _unique(translations) or [story.lang]),
        ("tags", _unique([_term(tag) for tag in story.tags + (story.tickers if settings.ticker_tags else ())],
                         fold=True)),
        *((("menu", settings.menu),) if settings.menu is not False else ()),
        ("thumbnail", thumbnail),
    ]
    if facts_front is not None:
        facts = facts_front(story)
    elif extract_facts is not None:
        facts = facts_front_matter(facts_of_story(story, extract_facts), story.lang)
    else:
        facts = ""
    gated = "gated: true\n" if story.gated and story.tree is None else ""
    return f"---\n{front_matter_entries(items)}{facts}{_switches(settings)}{gated}---\n\n{body}"


def _switches(settings: PostSettings) -> str:
    """The front-matter entries of the Mainroad switches (the same in every post of a run)."""
    try:
        return _cached_switches(settings)
    except TypeError:  # unhashable values: written each time
        return _cached_switches.__wrapped__(settings)


@lru_cache(maxsize=16)
def _cached_switches(settings: PostSettings) -> str:
    return front_matter_entries([
        ("lead", settings.lead),
        ("comments", settings.comments),
        ("authorbox", settings.authorbox),
        ("pager", settings.pager),
        ("toc", settings.toc),
        ("mathjax", settings.mathjax),
        ("sidebar", settings.sidebar),
        ("widgets", list(settings.widgets)),
    ])


@lru_cache(maxsize=4096)  # tags, tickers and providers recur from story to story
def _term(value: str) -> str:
    """A tag or category as Hugo may name a folder after it (public/tags/<term>/): path
    separators become spaces and leading dots go, so ``../../x`` stays inside its folder; a term without a letter or
    digit (``..``) is dropped (""); at most :data:`TERM_MAX` characters (at most 240 bytes of
    UTF-8, under every file system's 255), cut at a space if one is near."""
    value = value.translate(_SEPARATORS).strip().lstrip(". ")  # no hidden (dot) folder either
    if not any(char.isalnum() for char in value):
        return ""
    if len(value) <= TERM_MAX:
        return value
    cut = value.rfind(" ", 0, TERM_MAX + 1)
    return value[:cut if cut >= TERM_MAX // 2 else TERM_MAX].rstrip()


def _unique(values: Sequence[str], fold: bool = False) -> list[str]:
    """Non-empty values in order without duplicates (case-insensitively when ``fold``)."""
    seen: dict[str, str] = {}
    for value in values:
        if isinstance(value, str) and value.strip():
            seen.setdefault(value.casefold() if fold else value, value)
    return list(seen.values())


def _digest_body(digest: str) -> str:
    paragraphs = [escape_line_start(escape_inline(line).strip()) for line in digest.splitlines()]
    text = "\n\n".join(p for p in paragraphs if p)
    return _SURROGATE.sub("\ufffd", text) + "\n" if text else ""


def _source_line(story: Story, carriers: Sequence[tuple[str, str]] = ()) -> str:
    """The last line: the provider linked to the story's page, then every other source that
    carried it (`` · `` between them), each once."""
    name = (story.provider_name or story.provider_id or "Source").strip() or "Source"
    links = [_source_link(name, story.url)]
    seen = {story.url}
    for other_name, url in carriers:
        if url not in seen and isinstance(other_name, str) and isinstance(url, str):
            seen.add(url)
            links.append(_source_link(other_name.strip() or "Source", url))
    line = " · ".join(link for link in links if link)
    return _SURROGATE.sub("\ufffd", escape_line_start(line) if not line.startswith("[") else line) + "\n"


def _source_link(name: str, url: str) -> str:
    label = escape_inline(name).strip() or "Source"
    dest = link_destination(url)
    return f"[{label}]({dest})" if dest else label
