"""News sources as plug-ins: each module turns one kind of service into :class:`~newsdesk.model.Story`.

A source module (registered in :data:`TYPES` under its ``type`` name) provides:

* ``CONFIG``: its config class, a frozen subclass of :class:`newsdesk.config.SourceConfig` holding
  its own keys with their defaults; its ``check(key)`` validates them (ConfigError naming the key);
* ``make(config, client) -> Source``: the object that fetches (:class:`~newsdesk.sources.base.Source`);
* ``story_from_raw(raw, site_url) -> Story``: the archived raw record read back (by ``publish``);
* ``story_from_json(data, lang, config) -> Story``: a story file read by ``newsdesk render``.

Raw records name their type under :data:`RAW_TYPE_KEY` (records without it are TradingView's, the
first source). Modules are imported when first needed, so reading the config stays cheap. Adding a
source means one module plus its line in :data:`TYPES`.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from types import ModuleType
from typing import TYPE_CHECKING, Any

from newsdesk.errors import ConfigError
from newsdesk.sources.base import Checkpoint, Failed, Fetched, Source

if TYPE_CHECKING:
    import httpx

    from newsdesk.config import Config, SourceConfig
    from newsdesk.model import Story

__all__ = ["DEFAULT_TYPE", "RAW_TYPE_KEY", "TYPES", "Checkpoint", "Failed", "Fetched", "Source", "config_class",
           "make_source", "story_from_json", "story_from_raw"]

#: type name -> the module implementing it.
TYPES: dict[str, str] = {
    "tradingview": "newsdesk.sources.tradingview",
    "feed": "newsdesk.sources.feed",
}
#: The type of a [[sources]] table without ``type`` (and of the default config).
DEFAULT_TYPE = "tradingview"
#: Where a raw record names its source type; absent in TradingView's records.
RAW_TYPE_KEY = "source_type"

_loaded: dict[str, ModuleType] = {}


def _module(type_name: str, key: str = "type") -> ModuleType:
    module = _loaded.get(type_name)
    if module is None:
        path = TYPES.get(type_name) if isinstance(type_name, str) else None
        if path is None:
            known = ", ".join(f'"{name}"' for name in TYPES)
            raise ConfigError(f"{key}: unknown source type {type_name!r} (known: {known})")
        module = _loaded[type_name] = importlib.import_module(path)
    return module


def config_class(type_name: str, key: str = "type") -> type[SourceConfig]:
    """The config class of a source type (ConfigError naming ``key`` for an unknown type)."""
    cls: type[SourceConfig] = _module(type_name, key).CONFIG
    return cls


def make_source(config: SourceConfig, client: httpx.Client | None = None) -> Source:
    """The source object for ``config``; ``client`` (optional) is shared, not closed by it."""
    source: Source = _module(config.type, f"{config.label}: type").make(config, client)
    return source


def raw_type(raw: Mapping[str, Any]) -> str:
    """The source type an archived raw record belongs to."""
    value = raw.get(RAW_TYPE_KEY) if isinstance(raw, Mapping) else None
    return value if isinstance(value, str) else DEFAULT_TYPE


def story_from_raw(raw: Mapping[str, Any], site_url: str) -> Story:
    """An archived raw record read back into its Story, by the module of its type."""
    story: Story = _module(raw_type(raw), "archived record").story_from_raw(raw, site_url)
    return story


def story_from_json(data: Any, *, lang: str | None, config: Config) -> Story:
    """A story file (``newsdesk render``): an archived raw record of any type, else a story in the
    first configured source's own format."""
    if isinstance(data, Mapping) and RAW_TYPE_KEY in data:
        return story_from_raw(data, "")
    source = config.sources[0] if config.sources else config_class(DEFAULT_TYPE)()
    story: Story = _module(source.type).story_from_json(data, lang=lang, config=source)
    return story
