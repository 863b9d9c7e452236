"""News sources: each turns a remote API into :class:`~newsdesk.model.Story` objects.

Only TradingView exists today (both of its API generations); :func:`make_source` picks the
class for a :class:`~newsdesk.config.SourceConfig`'s ``type``.
"""

from __future__ import annotations

import httpx

from newsdesk.config import SourceConfig
from newsdesk.errors import ConfigError
from newsdesk.sources.sweep import Checkpoint
from newsdesk.sources.tradingview import (
    Failed, Fetched, KnownLookup, TradingViewSource, item_hash, parse_raw, story_from_json,
)

__all__ = [
    "Checkpoint", "Failed", "Fetched", "KnownLookup", "TradingViewSource", "item_hash", "make_source",
    "parse_raw", "story_from_json",
]


def make_source(config: SourceConfig, client: httpx.Client | None = None) -> TradingViewSource:
    """The source object for ``config.type``; ``client`` (optional) is shared, not closed by it."""
    if config.type == "tradingview":
        return TradingViewSource(config, client)
    raise ConfigError(f"{config.label}: unknown source type {config.type!r} (known: \"tradingview\")")
