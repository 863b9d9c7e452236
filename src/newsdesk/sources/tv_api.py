"""The TradingView news API's URL shapes and list answers (both generations), for the source.

Plain functions and data: which path each generation lists and serves stories at, one list
request sequence (:class:`Query`) at one base URL (:class:`Endpoint`), reading a list answer into
items and a cursor, a list item's place in its list, and which filters a 400/422 message blames.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from newsdesk.errors import FetchError
from newsdesk.sources.sweep import Mark
from newsdesk.sources.tv_parse import API_HEADLINES, API_NEWS_FLOW, item_id

__all__ = ["EXTRA_STORY_PATHS", "LIST_PATHS", "STORY_PATHS", "Endpoint", "Query", "blame", "list_items", "mark_of"]

LIST_PATHS = {API_NEWS_FLOW: "/public/news-flow/v2/news", API_HEADLINES: "/v2/headlines"}
STORY_PATHS = {API_NEWS_FLOW: "/public/news/v1/story", API_HEADLINES: "/v2/story"}
#: Story paths tried under ``story_url`` after the generation's own endpoint answered 404.
EXTRA_STORY_PATHS = ("/v3/story", "/v2/story")


@dataclass(frozen=True)
class Endpoint:
    """One API generation at one base URL."""

    api: str
    base: str

    @property
    def list_url(self) -> str:
        return self.base + LIST_PATHS[self.api]

    @property
    def story_url(self) -> str:
        return self.base + STORY_PATHS[self.api]


@dataclass(frozen=True)
class Query:
    """One list request sequence: a language, optionally a symbol; legacy: a category and provider."""

    lang: str
    symbol: str | None = None
    category: str | None = None
    provider: str | None = None


def mark_of(item: Any) -> Mark | None:
    """(published, id) of a list item; None without an id."""
    if not isinstance(item, Mapping):
        return None
    sid = item_id(item)
    if sid is None:
        return None
    published = item.get("published")
    if isinstance(published, (int, float)) and not isinstance(published, bool) and abs(published) < 1e15:
        return (int(published), sid)  # NaN fails the comparison above
    return (None, sid)


def list_items(data: Any, url: str) -> tuple[list[Any], str | None]:
    """``{"items": [...], "pagination": {"cursor": ...}}`` or a bare array -> (items, next cursor)."""
    if isinstance(data, list):
        return data, None
    if not isinstance(data, Mapping) or not isinstance(data.get("items"), list):
        raise FetchError(f"{url}: unexpected answer, expected {{\"items\": [...]}}: {str(data)[:120]}")
    pagination = data.get("pagination")
    cursor = pagination.get("cursor") if isinstance(pagination, Mapping) else None
    return data["items"], cursor if isinstance(cursor, str) and cursor else None


def blame(filters: list[str], message: str, status: int) -> list[str]:
    """The filters a service error message points at; a symbol for an unexplained 422; else all."""
    text = message.lower()

    def mentioned(word: str) -> bool:
        return bool(word) and re.search(rf"(?<![\w-]){re.escape(word.lower())}(?![\w-])", text) is not None

    named = [f for f in filters if mentioned(f.split(":", 1)[0])
             or any(mentioned(v) for v in f.split(":", 1)[1].split(","))]
    if named:
        return named
    if status == 422:
        symbols = [f for f in filters if f.startswith("symbol:")]
        if symbols:
            return symbols
    return filters
