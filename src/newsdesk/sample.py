"""The bundled sample archive: where it lives, how it is read, how a stored story looks in each API.

The archive holds every story once, in one canonical form (described in :mod:`newsdesk.replay`),
and this module renders a story into the JSON shapes of both TradingView API generations: the
news-flow list item and the ``/public/news/v1/story`` answer (snake_case, provider object), and
the legacy headlines item and ``/v2/story`` / ``/v3/story`` answers (camelCase, provider string id
plus ``source``). Rendering from one record guarantees that the same story carries the same title
and body tree in both generations, which is what the source tests compare.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterator, Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any

from newsdesk.errors import ConfigError

Record = dict[str, Any]
JsonObject = dict[str, Any]

#: countries of the sample archive -> the legacy API's ``area`` codes (``WLD`` means everywhere)
AREAS: dict[str, str] = {
    "US": "AME", "CA": "AME", "MX": "AME", "BR": "AME", "AR": "AME",
    "DE": "EUR", "ES": "EUR", "GB": "EUR", "FR": "EUR", "IT": "EUR", "NL": "EUR", "CH": "EUR", "SE": "EUR",
    "HK": "ASI", "JP": "ASI", "CN": "ASI", "KR": "ASI", "IN": "ASI", "SG": "ASI", "TW": "ASI",
    "AU": "OCN", "NZ": "OCN", "ZA": "AFR", "NG": "AFR", "EG": "AFR", "KE": "AFR",
}


def sample_archive_path() -> Path:
    """The archive bundled inside the installed package (``newsdesk/data/sample``)."""
    resource = files("newsdesk").joinpath("data", "sample")
    if not isinstance(resource, Path):  # e.g. imported from a zip: not supported, say so plainly
        raise ConfigError(f"the bundled sample archive is not a folder on disk ({resource}); "
                          "install newsdesk unpacked or pass an archive folder")
    return resource


def load_archive(archive_dir: Path | None = None) -> list[Record]:
    """Every story record of an archive folder (``<dir>/stories/*.json``), newest first.

    Raises :class:`ConfigError` naming the file when the folder or a record is unusable, so a
    hand-edited archive fails at start-up rather than as odd answers later.
    """
    directory = Path(archive_dir) if archive_dir is not None else sample_archive_path()
    stories = directory / "stories"
    if not stories.is_dir():
        raise ConfigError(f"{directory}: not a sample archive (no stories/ folder)")
    records: list[Record] = []
    seen: dict[str, str] = {}
    for path in sorted(stories.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: not a readable JSON story record: {exc}") from None
        problem = record_problem(record)
        if problem:
            raise ConfigError(f"{path}: {problem}")
        if record["id"] in seen:
            raise ConfigError(f"{path}: story id {record['id']!r} is also in {seen[record['id']]}")
        seen[record["id"]] = path.name
        records.append(record)
    if not records:
        raise ConfigError(f"{stories}: no *.json story records")
    records.sort(key=lambda r: (-r["published"], r["id"]))
    return records


def record_problem(record: Any) -> str | None:
    """What is wrong with a canonical story record, or None when it is usable."""
    if not isinstance(record, Mapping):
        return "a story record must be a JSON object"
    expected: dict[str, type | tuple[type, ...]] = {
        "id": str, "published": int, "urgency": int, "provider": dict, "story_path": str, "versions": dict,
        "markets": list, "countries": list,
    }
    for key, kind in expected.items():
        if not isinstance(record.get(key), kind) or isinstance(record.get(key), bool):
            return f"field {key!r} missing or not a {getattr(kind, '__name__', kind)}"
    provider = record["provider"]
    if not all(isinstance(provider.get(k), str) for k in ("id", "name")):
        return "provider needs string 'id' and 'name'"
    if not record["versions"]:
        return "versions is empty: a story needs at least one language"
    for lang, version in record["versions"].items():
        if not isinstance(version, Mapping) or not isinstance(version.get("title"), str):
            return f"version {lang!r} needs a string 'title'"
        tree = version.get("ast_description")
        if tree is not None and not (isinstance(tree, Mapping) and tree.get("type") == "root"):
            return f"version {lang!r}: ast_description must be a root node or null"
    symbols = record.get("related_symbols", [])
    if not isinstance(symbols, list) or not all(isinstance(s, Mapping) and isinstance(s.get("symbol"), str)
                                                for s in symbols):
        return "related_symbols must be a list of {symbol, logoid} objects"
    facets = record.get("facets", {})
    if not isinstance(facets, Mapping) or not all(isinstance(v, list) for v in facets.values()):
        return "facets must map a filter key to a list of values"
    return None


def iter_nodes(tree: Any) -> Iterator[JsonObject]:
    """Every node (dict) of a body tree, depth first, the root included."""
    if isinstance(tree, Mapping):
        yield dict(tree)
        for child in tree.get("children") or ():
            yield from iter_nodes(child)


def symbols_of(record: Record) -> list[str]:
    """The record's related symbols (``EXCHANGE:TICKER``), in order."""
    return [s["symbol"] for s in record.get("related_symbols", [])]


def areas_of(record: Record) -> set[str]:
    """The legacy ``area`` codes the record's countries belong to."""
    return {AREAS.get(country, "WLD") for country in record["countries"]}


# ----------------------------------------------------------------------------- what a filter means

def flow_match(record: Record, filters: dict[str, list[str]]) -> bool:
    """Whether a record passes every news-flow filter (the values of one key are alternatives).

    ``lang``: the record has that version; ``market``/``market_country``/``symbol``/``provider``: its
    markets, countries, related symbols, provider id; other keys: its ``facets`` (``priority:flash``
    also matches ``is_flash`` records).
    """
    for key, values in filters.items():
        wanted = set(values)
        if key == "lang":
            have = set(record["versions"])
        elif key == "market":
            have = set(record["markets"])
        elif key == "market_country":
            have = set(record["countries"])
        elif key == "symbol":
            have = set(symbols_of(record))
        elif key == "provider":
            have = {record["provider"]["id"]}
        else:  # corp_activity, economic_category, sector, priority: the record's optional facets
            have = set(record.get("facets", {}).get(key, []))
            if key == "priority" and record.get("is_flash"):
                have.add("flash")
        if not wanted & have:
            return False
    return True


def headlines_match(record: Record, *, lang: str, symbol: str | None = None, category: str | None = None,
                    provider: str | None = None, area: str | None = None) -> bool:
    """Whether a record answers a legacy headlines query (``category`` base and ``area`` WLD: all)."""
    markets = {category, "corp_bond"} if category == "bond" else {category}
    return (lang in record["versions"]
            and (not symbol or symbol in symbols_of(record))
            and (not category or category == "base" or bool(markets & set(record["markets"])))
            and (not provider or record["provider"]["id"] == provider)
            and (not area or area == "WLD" or area in areas_of(record)))


# ----------------------------------------------------------------------------- news-flow (current)

def newsflow_item(record: Record, lang: str) -> JsonObject:
    """A news-flow list item in the version ``lang``: the reference's item field names exactly."""
    item: JsonObject = {
        "id": record["id"],
        "title": record["versions"][lang]["title"],
        "published": record["published"],
        "urgency": record["urgency"],
        "provider": dict(record["provider"]),
        "storyPath": record["story_path"],
    }
    if record.get("related_symbols"):
        item["relatedSymbols"] = [dict(s) for s in record["related_symbols"]]
    item.update(_flags(record, flash_key="is_flash"))
    return item


def v1_story(record: Record, lang: str) -> JsonObject:
    """The ``/public/news/v1/story`` answer: snake_case fields, provider object."""
    version = record["versions"][lang]
    story: JsonObject = {
        "id": record["id"],
        "title": version["title"],
        "published": record["published"],
        "urgency": record["urgency"],
        "provider": dict(record["provider"]),
        "short_description": version.get("short_description", ""),
        "ast_description": version.get("ast_description"),
        "story_path": record["story_path"],
        "language": lang,
        "tags": list(version.get("tags", [])),
        "copyright": f"{record['provider']['name']} {_year(record)}",
    }
    if record.get("related_symbols"):
        story["related_symbols"] = [dict(s) for s in record["related_symbols"]]
    story.update(_flags(record, flash_key="is_flash"))
    return story


# ----------------------------------------------------------------------------- headlines (legacy)

def headlines_item(record: Record, lang: str) -> JsonObject:
    """A legacy ``/v2/headlines`` item: camelCase, provider as a string id plus ``source``."""
    item: JsonObject = {
        "id": record["id"],
        "title": record["versions"][lang]["title"],
        "published": record["published"],
        "urgency": record["urgency"],
        "provider": record["provider"]["id"],
        "source": record["provider"]["name"],
        "sourceLogoId": record["provider"].get("logo_id", record["provider"]["id"]),
        "storyPath": record["story_path"],
    }
    if record.get("related_symbols"):
        item["relatedSymbols"] = [dict(s) for s in record["related_symbols"]]
    item.update(_flags(record, flash_key="isFlash"))
    return item


def v2_story(record: Record, lang: str) -> JsonObject:
    """The legacy ``/v2/story`` answer: the full story in camelCase."""
    version = record["versions"][lang]
    story = headlines_item(record, lang)
    story.update({
        "shortDescription": version.get("short_description", ""),
        "astDescription": version.get("ast_description"),
        "language": lang,
        "tags": list(version.get("tags", [])),
    })
    return story


def v3_story(record: Record, lang: str) -> JsonObject:
    """The legacy ``/v3/story`` answer: only title, digest and tree (the client keeps the item's rest)."""
    version = record["versions"][lang]
    return {
        "title": version["title"],
        "shortDescription": version.get("short_description", ""),
        "astDescription": version.get("ast_description"),
    }


def _flags(record: Record, *, flash_key: str) -> JsonObject:
    """``link``, ``paywall``, ``permission`` and the flash flag, each only when set (as the service does)."""
    flags: JsonObject = {}
    if record.get("link"):
        flags["link"] = record["link"]
    if record.get("paywall"):
        flags["paywall"] = True
    if record.get("permission"):
        flags["permission"] = record["permission"]
    if record.get("is_flash"):
        flags[flash_key] = True
    return flags


def _year(record: Record) -> int:
    return _dt.datetime.fromtimestamp(record["published"], _dt.timezone.utc).year
