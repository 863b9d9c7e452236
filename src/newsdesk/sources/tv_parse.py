"""TradingView JSON -> :class:`~newsdesk.model.Story`, for both API generations.

One normaliser reads every shape seen: news-mediator v1 stories (snake_case, provider object),
news-headlines v2/v3 stories and list items (camelCase, provider string id plus ``source``),
and the news-flow list items in between. It reads *layers*: the story answer first, then the
list item, so a v3 answer carrying only title, digest and tree is completed by the list item.

Unknown fields never reach the model; the raw JSON is never modified. Malformed input raises
:class:`~newsdesk.errors.StoryError` naming the story id and the field -- and nothing else, whatever
the JSON holds: a language must look like a language code (it becomes part of a file name), a
publication time must be a date a calendar can show, and lone surrogates in strings become U+FFFD
so every field can be stored and written as UTF-8. A story without tags (a gated list item, a
v3 answer) gets its provider's name as its one tag, as every other story's tags begin with it.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import reprlib
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from newsdesk.errors import StoryError
from newsdesk.model import DEFAULT_SITE_URL, Links, Story

__all__ = ["API_HEADLINES", "API_NEWS_FLOW", "is_gated", "item_hash", "item_id", "parse_raw", "story_from_json"]

API_NEWS_FLOW = "news-flow"
API_HEADLINES = "headlines"
_GATED_PERMISSIONS = frozenset({"headline", "preview"})
_NO_ID = "<no id>"
#: A language code as the services use them (en, de_DE, zh-Hans): it becomes part of a file name.
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3}")
#: Publication times a calendar can show on every OS: 1970 up to the end of year 9999.
_LATEST = 253_402_300_799
_SURROGATE = re.compile("[\ud800-\udfff]")
_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 60
#: TradingView's URL shapes: symbol pages on the story's site, story images on its image host.
TV_LINKS = Links(symbol="{site}/symbols/{dashed}/",
                 image="https://s3.tradingview.com/news/image/{id}-resized.jpeg")

#: Facts kept in ``Story.extra`` (not compared): output key -> field names in both styles.
_EXTRA_FIELDS: dict[str, tuple[str, ...]] = {
    "urgency": ("urgency",),
    "permission": ("permission",),
    "copyright": ("copyright",),
    "read_time": ("read_time", "readTime"),
    "distributor": ("distributor",),
    "source_url": ("sourceUrl", "source_url"),
    "story_path": ("storyPath", "story_path"),
}


def item_hash(item: Mapping[str, Any]) -> str:
    """A stable hash of a list item (canonical JSON, keys sorted): equal items, equal hashes."""
    text = json.dumps(item, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def item_id(item: Mapping[str, Any]) -> str | None:
    """The story id of a list item or story (a non-empty string; numbers are accepted), else None."""
    value = item.get("id")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value)
    return text if text.strip() else None


def is_gated(*objs: Mapping[str, Any] | None) -> bool:
    """True when any of ``objs`` is paywalled or only a headline/preview is permitted."""
    for obj in objs:
        if obj is None:
            continue
        permission = obj.get("permission")
        if obj.get("paywall") is True or (isinstance(permission, str) and permission in _GATED_PERMISSIONS):
            return True
    return False


def story_from_json(obj: Mapping[str, Any], *, lang: str | None = None,
                    site_url: str = DEFAULT_SITE_URL) -> Story:
    """Normalise one story or list item of any shape (v1 snake_case, v2/v3 camelCase).

    ``lang`` is used when the JSON carries no ``language``; without either, ``en``.
    """
    if not isinstance(obj, Mapping):
        raise StoryError(_NO_ID, f"expected a JSON object, got {type(obj).__name__}")
    return _normalise([obj], lang=lang, site_url=site_url, api=None)


def parse_raw(raw: Mapping[str, Any], site_url: str = DEFAULT_SITE_URL, *, lang: str | None = None) -> Story:
    """Re-read an archived ``{"api", "item", "story"[, "lang"]}`` record into the same Story.

    The story answer's fields win over the list item's; ``lang`` (or the record's ``lang``, the
    language that was requested) applies only when neither carries a ``language``.
    """
    if not isinstance(raw, Mapping):
        raise StoryError(_NO_ID, f"archived record is not a JSON object ({type(raw).__name__})")
    item = raw.get("item")
    story = raw.get("story")
    if not isinstance(item, Mapping):
        sid = item_id(story) if isinstance(story, Mapping) else None
        raise StoryError(sid or _NO_ID, "archived record has no list item object")
    sid = item_id(item) or _NO_ID
    if story is not None and not isinstance(story, Mapping):
        raise StoryError(sid, f"story answer is not a JSON object ({type(story).__name__})")
    layers = [story, item] if story is not None else [item]
    requested = raw.get("lang") if isinstance(raw.get("lang"), str) else None
    api = raw.get("api") if isinstance(raw.get("api"), str) else None
    return _normalise(layers, lang=requested or lang, site_url=site_url, api=api, id_layer=item)


def _absent(value: Any) -> bool:
    return value is None or (isinstance(value, (str, list, dict)) and len(value) == 0)


class _Layers:
    """Field lookup over story-then-item layers, both naming styles; '', [] and {} count as absent."""

    def __init__(self, layers: Sequence[Mapping[str, Any]], sid: str) -> None:
        self.layers = layers
        self.sid = sid

    def get(self, *names: str) -> Any:
        for layer in self.layers:
            for name in names:
                value = layer.get(name)
                if not _absent(value):
                    return value
        return None

    def text(self, *names: str) -> str | None:
        value = self.get(*names)
        if value is None:
            return None
        if not isinstance(value, str):
            raise StoryError(self.sid, f"{names[0]} is not a string: {_show(value)}")
        return value

    def error(self, message: str) -> StoryError:
        return StoryError(self.sid, message)


def _normalise(layers: Sequence[Mapping[str, Any]], *, lang: str | None, site_url: str, api: str | None,
               id_layer: Mapping[str, Any] | None = None) -> Story:
    sid = None
    for layer in ([id_layer] if id_layer is not None else []) + list(layers):
        sid = item_id(layer)
        if sid:
            break
    if not sid:
        raise StoryError(_NO_ID, "missing story id")
    sid = _utf8(sid)
    get = _Layers(layers, sid)

    title = get.get("title")
    if title is None:
        raise get.error("missing title")
    if not isinstance(title, str):
        raise get.error(f"title is not a string: {_show(title)}")
    if not title.strip():
        raise get.error("empty title")

    published = get.get("published")
    if published is None:
        raise get.error("missing published time")
    if isinstance(published, bool) or not isinstance(published, (int, float)) or not math.isfinite(published):
        raise get.error(f"published is not a number: {_show(published)}")
    if not 0 <= published <= _LATEST:
        raise get.error(f"published is not a time between 1970 and 9999 (epoch seconds): {_show(published)}")

    tree = get.get("ast_description", "astDescription")
    if tree is not None and not isinstance(tree, dict):
        raise get.error(f"body tree (ast_description) is not an object: {_show(tree)}")

    provider_id, provider_name = _provider(get)
    language = get.text("language") or lang or "en"
    if _LANGUAGE.fullmatch(language) is None:
        raise get.error(f"language is not a language code: {_show(language)}")
    digest = get.text("short_description", "shortDescription") or ""
    flash = bool(get.get("is_flash", "isFlash")) or get.get("urgency") == 1
    extra = {key: value for key, names in _EXTRA_FIELDS.items() if (value := get.get(*names)) is not None}
    if api:
        extra["api"] = api
    provider = get.get("provider")
    if isinstance(provider, Mapping) and isinstance(provider.get("logo_id"), str):
        extra["provider_logo_id"] = provider["logo_id"]
    elif isinstance(get.get("sourceLogoId"), str):
        extra["provider_logo_id"] = get.get("sourceLogoId")

    tags = _tags(get)
    if not tags and provider_name.strip():
        tags = (_utf8(provider_name.strip()),)
    return Story(
        id=sid, lang=language, title=_utf8(title.strip()), published=int(published),
        provider_id=_utf8(provider_id), provider_name=_utf8(provider_name),
        url=_url(get, sid, site_url), symbols=_symbols(get), tags=tags, tree=tree, digest=_utf8(digest),
        gated=is_gated(*layers), flash=flash, site_url=site_url.rstrip("/"), links=TV_LINKS, extra=extra,
    )


def _utf8(text: str) -> str:
    """``text`` with lone surrogates as U+FFFD (it can then be stored and written as UTF-8)."""
    return text if text.isascii() or _SURROGATE.search(text) is None else _SURROGATE.sub("\ufffd", text)


def _provider(get: _Layers) -> tuple[str, str]:
    """(id, display name) from ``provider`` as object ``{id, name}`` or string id plus ``source``."""
    provider = get.get("provider")
    pid: Any = None
    name: Any = None
    if isinstance(provider, Mapping):
        pid, name = provider.get("id"), provider.get("name")
    elif isinstance(provider, str):
        pid = provider
    elif provider is not None:
        raise get.error(f"provider is neither an object nor a string: {_show(provider)}")
    if pid is not None and not isinstance(pid, str):
        raise get.error(f"provider id is not a string: {_show(pid)}")
    if _absent(name) or not isinstance(name, str):
        source = get.get("source")
        name = source if isinstance(source, str) else None
    pid = pid or ""
    return pid, (name or pid)


def _url(get: _Layers, sid: str, site_url: str) -> str:
    """``link`` when present, else ``site_url`` + story path, else ``site_url/news/<id>/``."""
    link = get.get("link")
    if isinstance(link, str) and link.strip():
        return link.strip()
    base = site_url.rstrip("/")
    path = get.text("storyPath", "story_path")
    if path is None:
        return f"{base}/news/{quote(sid, safe=':,.-_~')}/"
    if path.startswith(("http://", "https://")):
        return path
    return base + (path if path.startswith("/") else "/" + path)


def _symbols(get: _Layers) -> tuple[str, ...]:
    value = get.get("related_symbols", "relatedSymbols")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise get.error(f"related symbols are not a list: {_show(value)}")
    seen: dict[str, None] = {}
    for entry in value:
        symbol = entry.get("symbol") if isinstance(entry, Mapping) else entry
        if isinstance(symbol, str) and symbol.strip():
            seen.setdefault(_utf8(symbol.strip()), None)
    return tuple(seen)


def _tags(get: _Layers) -> tuple[str, ...]:
    value = get.get("tags")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise get.error(f"tags are not a list: {_show(value)}")
    seen: dict[str, None] = {}
    for entry in value:
        title = entry.get("title") if isinstance(entry, Mapping) else entry
        if isinstance(title, str) and title.strip():
            seen.setdefault(_utf8(title.strip()), None)
    return tuple(seen)


def _show(value: Any, limit: int = 60) -> str:
    """A short repr for messages (bounded work however big or deep ``value`` is)."""
    text = _REPR.repr(value)
    return _utf8(text if len(text) <= limit else text[: limit - 1] + "…")
