"""The story model every source produces and every later stage consumes.

Pure data: no I/O and no imports from the rest of newsdesk. A body tree is kept as the
source's own JSON shape (``{"type": ..., "children": [...], "params": {...}}`` with plain
strings as text leaves) because the renderer walks it directly; sources normalise everything
else (field-name styles, provider shapes, symbol lists) into :class:`Story`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Union
from urllib.parse import quote

#: A node of a body tree: a text string, or a dict with "type", "children" and "params".
Node = Union[str, dict[str, Any]]

DEFAULT_SITE_URL = "https://www.tradingview.com"


#: Image ids that percent-encoding leaves as they are.
_PLAIN_ID = re.compile(r"[A-Za-z0-9_.~:-]*")


@dataclass(frozen=True, slots=True)
class Links:
    """How a source's symbols and image ids become URLs: templates its module fills in.

    ``symbol`` may use ``{site}`` (the story's ``site_url``), ``{exchange}``, ``{ticker}``,
    ``{symbol}`` and ``{dashed}`` (the symbol with ``-`` for every ``:``); ``image`` uses ``{id}``.
    Fields are percent-encoded. An empty template means the source has no such pages: symbols
    render as plain text, image ids as nothing.
    """

    symbol: str = ""
    image: str = ""

    def symbol_url(self, symbol: str, site_url: str = "") -> str:
        """The page of ``EXCHANGE:TICKER`` at the source, or "" when it has none."""
        if not self.symbol or not symbol:
            return ""
        exchange, _, ticker = symbol.rpartition(":")
        return self.symbol.format(site=site_url.rstrip("/"), exchange=quote(exchange, safe="-._~"),
                                  ticker=quote(ticker, safe="-._~"), symbol=quote(symbol, safe="-._~:"),
                                  dashed=quote(symbol.replace(":", "-"), safe="-._~"))

    def image_url(self, image_id: str) -> str:
        """The file URL of an image id, or "" when the source has no image ids."""
        if not self.image or not image_id:
            return ""
        return self.image.format(id=image_id if _PLAIN_ID.fullmatch(image_id) else quote(image_id, safe=":"))


@dataclass(frozen=True, slots=True)
class Story:
    """One story in one language, as every source delivers it."""

    id: str
    lang: str
    title: str
    published: int  # epoch seconds, UTC
    provider_id: str
    provider_name: str
    url: str  # the story's page at its source: site_url + story path, or the external link
    symbols: tuple[str, ...] = ()  # "EXCHANGE:TICKER", in the source's order, no duplicates
    tags: tuple[str, ...] = ()  # tag titles given by the source, in order
    tree: dict[str, Any] | None = None  # body tree (root node); None when the body is withheld
    digest: str = ""  # plain-text short description, "" when unknown
    gated: bool = False  # paywall/permission-gated: published as a short post
    flash: bool = False
    site_url: str = DEFAULT_SITE_URL  # base of symbol pages (and story pages) at the source
    links: Links = Links()  # the source's URL shapes of symbols and image ids
    extra: dict[str, Any] = field(default_factory=dict, compare=False)  # source-specific facts

    @property
    def tickers(self) -> tuple[str, ...]:
        """Tickers of the related symbols: ``NASDAQ:AMZN`` -> ``AMZN``, without duplicates."""
        seen: dict[str, None] = {}
        for symbol in self.symbols:
            seen.setdefault(ticker_of(symbol), None)
        return tuple(seen)


def ticker_of(symbol: str) -> str:
    """The ticker part of an ``EXCHANGE:TICKER`` symbol (the whole string when there is no colon)."""
    return symbol.rsplit(":", 1)[-1]


#: Node types whose content is a block of its own: plain text puts a space between blocks.
BLOCK_TYPES = frozenset({
    "root", "p", "list", "*", "li", "list-item", "news-image", "image", "table", "table-header",
    "table-head", "table-body", "table-row", "table-header-cell", "table-data-cell", "h1", "h2", "h3",
    "h4", "h5", "h6", "quote", "blockquote", "br", "hr",
})


def plain_text(tree: Node | None) -> str:
    """The words of a body tree: text leaves in order, blocks separated by one space.

    Image captions count as text (they are shown on the page); whitespace runs collapse to one
    space, so ``"points:"`` followed by a list item never glues into ``"points:Amazon"``. The walk
    keeps its own stack, so any depth and any number of children are fine.
    """
    if tree is None:
        return ""
    parts: list[str] = []
    stack: list[Any] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            parts.append(node)
            continue
        if not isinstance(node, dict):
            continue
        kind = node.get("type")
        block = isinstance(kind, str) and kind in BLOCK_TYPES
        if block:
            parts.append(" ")
            stack.append(" ")
        children = node.get("children")
        params = node.get("params")
        if kind in ("url", "a", "symbol") and not children and isinstance(params, dict):
            text = (params.get("linkText") or params.get("text")) if kind != "symbol" else \
                (params.get("text") or params.get("symbol"))
            if isinstance(text, str):
                parts.append(text)
        if isinstance(children, list):
            stack.extend(reversed(children))
    return " ".join("".join(parts).split())
