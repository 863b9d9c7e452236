"""How the replayed news service reads a query: its vocabularies, its validation and error answers,
and its paging cursors (used by :mod:`newsdesk.replay`).

Why hand-written: it is part of the replay server's test double of the service (see
:mod:`newsdesk.replay`); only the stdlib.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from newsdesk.faults import Answer

__all__ = ["AREA_CODES", "CATEGORIES", "FILTER_KEYS", "LANGS", "MARKETS", "SECTIONS", "Query", "Reject",
           "cursor_offset", "cursor_signature", "decode_cursor", "flow_filters", "json_answer", "make_cursor", "one"]

Query = dict[str, list[str]]

LANGS = frozenset({"en", "en_IN", "de", "es", "fr", "it", "pt", "ru", "tr", "pl", "ar", "he", "ja", "ko", "vi",
                   "th", "ms", "id", "zh-Hans", "zh-Hant"})
MARKETS = frozenset({"stock", "etf", "crypto", "forex", "index", "futures", "bond", "corp_bond", "economic"})
FILTER_KEYS = frozenset({"corp_activity", "economic_category", "lang", "market", "market_country", "priority",
                         "provider", "sector", "symbol"})
CATEGORIES = frozenset({"base", *MARKETS} - {"corp_bond"})
AREA_CODES = frozenset({"WLD", "AME", "EUR", "ASI", "OCN", "AFR"})
SECTIONS = [{"id": "latest", "title": "Latest"}, {"id": "top_stories", "title": "Top stories"},
            {"id": "press_release", "title": "Press releases"}]


class Reject(Exception):
    """A JSON error answer (400, 404, 422) with the service's ``{"status": "error"}`` shape."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def cursor_offset(cursor: str) -> int:
    """The item offset a ``pagination.cursor`` of this server points at (tests compare these)."""
    return int(_cursor_data(cursor)["o"])


def cursor_signature(cursor: str) -> str:
    """The signature of the query a cursor belongs to."""
    return str(_cursor_data(cursor)["s"])


def _cursor_data(cursor: str) -> dict[str, Any]:
    data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    if not isinstance(data, dict):
        raise TypeError("not a cursor of this server")
    return data


def make_cursor(offset: int, signature: str) -> str:
    token = json.dumps({"o": offset, "s": signature}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(token).decode().rstrip("=")


def flow_filters(query: Query) -> dict[str, list[str]]:
    """Validate a news-flow query like the service: ``client``, key order, value order, known values."""
    if not one(query, "client"):
        raise Reject(400, "parameter 'client' is required")
    parsed: list[tuple[str, list[str]]] = []
    for raw in query.get("filter", []):
        key, sep, rest = raw.partition(":")
        values = rest.split(",")
        if not sep or not key or not all(values):
            raise Reject(400, f"malformed filter {raw!r}: expected key:value1,value2")
        parsed.append((key, values))
    keys = [key for key, _ in parsed]
    for key in keys:
        if key not in FILTER_KEYS:
            raise Reject(400, f"unknown filter key {key!r}")
    if keys != sorted(set(keys)):
        raise Reject(400, f"filter keys must be in alphabetical order, each once: got {', '.join(keys)}")
    for key, values in parsed:
        if values != sorted(set(values)):
            raise Reject(400, f"values of filter {key!r} must be sorted and unique: got {','.join(values)}")
    filters = dict(parsed)
    if "lang" not in filters:
        raise Reject(400, "filter 'lang' is required")
    if len(filters["lang"]) != 1:
        raise Reject(400, f"filter 'lang' takes one language, got {','.join(filters['lang'])}")
    for key, known in (("lang", LANGS), ("market", MARKETS)):
        for value in filters.get(key, []):
            if value not in known:
                raise Reject(400, f"unknown value {value!r} of filter {key!r}")
    for value in filters.get("symbol", []):
        if ":" not in value.strip(":"):
            raise Reject(422, f"symbol {value!r} needs an exchange prefix (EXCHANGE:TICKER)")
    return filters


def decode_cursor(cursor: str, signature: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        offset = data["o"]
        valid = data["s"] == signature and isinstance(offset, int) and offset >= 0
    except (ValueError, TypeError, KeyError, binascii.Error):
        valid = False
    if not valid:
        raise Reject(400, "invalid cursor: send back the pagination.cursor of the same query")
    return int(offset)


def one(query: Query, name: str) -> str | None:
    values = query.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise Reject(400, f"parameter {name!r} given {len(values)} times")
    return values[0]


def json_answer(status: int, body: object) -> Answer:
    return status, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(body, ensure_ascii=False).encode()
