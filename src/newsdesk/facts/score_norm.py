"""Normalisation of labelled and predicted fact tuples before the scorer matches them.

Every field of a tuple may come spelled in several ways (docs/facts.md, "Scoring"): entities as
tickers with an exchange prefix or as names, units as ``$`` or ``pence``, values as strings or
lists, comparisons as ``raised`` or ``in line``, periods as ``4Q24`` or ``fourth quarter 2024``.
This module turns one raw tuple (a JSON object) into a :class:`Norm`, in which equal facts have
equal fields, so that the matcher (``score_match``) only compares numbers within their tolerance.

Pure functions, no I/O.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from newsdesk.facts.model import METRICS

#: A normalised value: a number or a range (low, high); None when it cannot be read.
NValue = float | tuple[float, float] | None

#: Metrics whose ``comparison`` is not part of the key (a level's direction is checked at strict).
LEVEL_METRICS = frozenset({"share_price", "index_level"})
#: Metrics whose missing comparison is derived from the sign of the value.
MOVE_METRICS = frozenset({"price_move", "index_move"})


@dataclass(frozen=True, slots=True)
class Norm:
    """One tuple, normalised. ``raw`` is the tuple as read (for showing it)."""

    entity: str
    metric: str
    unit: str | None
    value: NValue
    period: str | None
    comparison: str | None
    reference: float | None
    change: float | None
    segment: str | None
    alts: tuple[tuple[str | None, NValue], ...] = ()
    raw: Mapping[str, Any] | None = None


# --- text -----------------------------------------------------------------------------------

_POSSESSIVE = re.compile(r"['\u2019]s\b")
_NON_WORD = re.compile(r"[^\w]+")
_CORPORATE = frozenset({
    "inc", "incorporated", "corp", "corporation", "co", "company", "cos", "ltd", "limited", "plc", "llc", "lp",
    "ag", "se", "sa", "nv", "bv", "spa", "ab", "asa", "oyj", "gmbh", "kgaa", "group", "holding", "holdings",
    "sab", "cv", "de", "the",
})


def fold(text: str) -> str:
    """Lower case, no accents, no possessive ``'s``, punctuation as spaces, single spaces."""
    text = _POSSESSIVE.sub("", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return _NON_WORD.sub(" ", text).replace("_", " ").strip()


def _letters_joined(words: list[str]) -> list[str]:
    """Runs of single letters become one word: ``s a de c v`` -> ``sa de cv`` (from S.A. de C.V.)."""
    out: list[str] = []
    in_run = False
    for word in words:
        single = len(word) == 1 and word.isalpha()
        if single and in_run:
            out[-1] += word
        else:
            out.append(word)
        in_run = single
    return out


def _strip_corporate(words: list[str]) -> str:
    """``alibaba group holding`` -> ``alibaba``, ``s&p 500`` -> ``sp500``: corporate suffixes (and a
    leading "the") dropped, never down to nothing, then the words joined without spaces."""
    words = _letters_joined(words)
    end = len(words)
    while end > 1 and words[end - 1] in _CORPORATE:
        end -= 1
    start = 1 if end > 1 and words[0] == "the" else 0
    return "".join(words[start:end])


def _alias_key(name: str) -> str:
    return _strip_corporate(fold(name).split())


# --- entities -------------------------------------------------------------------------------

class AliasIndex:
    """Names and codes of entities -> the entity code (codes win over names when they collide)."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._codes: dict[str, str] = {}

    def add(self, code: str, names: Iterable[str]) -> None:
        self._codes.setdefault(_alias_key(code), code)
        for name in names:
            if isinstance(name, str) and name.strip():
                self._names.setdefault(_alias_key(name), code)

    def get(self, key: str) -> str | None:
        return self._codes.get(key) or self._names.get(key)

    @classmethod
    def of(cls, aliases: Mapping[str, Any]) -> AliasIndex:
        index = cls()
        for code, names in aliases.items():
            index.add(str(code), names if isinstance(names, list) else [])
        return index


def _drop_exchange(entity: str) -> str:
    """``NASDAQ:AAPL`` -> ``AAPL``; ``XETR: SAP`` -> ``SAP``."""
    _, sep, tail = entity.rpartition(":")
    return tail.strip() if sep and tail.strip() else entity.strip()


def resolve_entity(entity: str, story: AliasIndex, everyone: AliasIndex) -> str:
    """The entity code of ``entity``: the story's aliases first, then all stories', then the
    longest leading run of words that is an alias; otherwise the string itself in upper case."""
    bare = _drop_exchange(entity)
    key = _alias_key(bare)
    for index in (story, everyone):
        found = index.get(key)
        if found:
            return found
    words = fold(bare).split()
    for length in range(len(words) - 1, 0, -1):
        prefix = _strip_corporate(words[:length])
        for index in (story, everyone):
            found = index.get(prefix)
            if found:
                return found
    dotted = re.fullmatch(r"([A-Za-z0-9]+)\.[A-Za-z]{1,3}", bare)  # AAPL.O, SAP.DE
    if dotted:
        for index in (story, everyone):
            found = index.get(_alias_key(dotted.group(1)))
            if found:
                return found
    return bare.upper()


# --- metric, unit, comparison ---------------------------------------------------------------

def norm_metric(metric: Any) -> str:
    """``Guidance Revenue`` / ``guidance-revenue`` -> ``guidance_revenue`` (unknown ones kept)."""
    return re.sub(r"[\s\-]+", "_", str(metric).strip().lower())


_CURRENCY_WORDS: dict[str, str] = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "us dollar": "USD",
    "us dollars": "USD", "eur": "EUR", "€": "EUR", "euro": "EUR", "euros": "EUR", "jpy": "JPY", "¥": "JPY",
    "yen": "JPY", "gbp": "GBP", "£": "GBP", "pound": "GBP", "pounds": "GBP", "sterling": "GBP", "chf": "CHF",
    "sfr": "CHF", "franc": "CHF", "francs": "CHF", "swiss franc": "CHF", "swiss francs": "CHF",
    "hkd": "HKD", "hk$": "HKD", "hong kong dollar": "HKD", "hong kong dollars": "HKD",
}
_SUBUNIT_WORDS: dict[str, str] = {
    "cent": "USD", "cents": "USD", "c": "USD", "¢": "USD", "usc": "USD", "us cents": "USD",
    "us cent": "USD", "gbx": "GBP", "p": "GBP", "pence": "GBP", "penny": "GBP", "pennies": "GBP",
    "euro cent": "EUR", "euro cents": "EUR", "eur cent": "EUR", "eur cents": "EUR", "eurocent": "EUR",
    "eurocents": "EUR", "centimo": "EUR", "centimos": "EUR", "rappen": "CHF",
}
_OTHER_UNITS: dict[str, tuple[str, float]] = {
    "%": ("%", 1.0), "percent": ("%", 1.0), "per cent": ("%", 1.0), "pct": ("%", 1.0), "pc": ("%", 1.0),
    "percentage": ("%", 1.0), "prozent": ("%", 1.0), "por ciento": ("%", 1.0), "pp": ("%", 1.0),
    "percentage points": ("%", 1.0), "percentage point": ("%", 1.0), "prozentpunkte": ("%", 1.0),
    "bp": ("%", 0.01), "bps": ("%", 0.01), "basis points": ("%", 0.01), "basis point": ("%", 0.01),
    "basispunkte": ("%", 0.01), "puntos basicos": ("%", 0.01),
    "points": ("points", 1.0), "point": ("points", 1.0), "pts": ("points", 1.0), "pt": ("points", 1.0),
    "index points": ("points", 1.0), "punkte": ("points", 1.0), "puntos": ("points", 1.0),
    "shares": ("shares", 1.0), "share": ("shares", 1.0), "shs": ("shares", 1.0), "aktien": ("shares", 1.0),
    "acciones": ("shares", 1.0),
}
_SCALES: dict[str, float] = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "mio": 1e6, "million": 1e6, "millions": 1e6,
    "b": 1e9, "bn": 1e9, "billion": 1e9, "billions": 1e9, "mrd": 1e9, "tn": 1e12, "trillion": 1e12,
}
_PER_SHARE = re.compile(r"\s*(?:/\s*(?:share|sh)|per share|a share)$")


def norm_unit(unit: Any) -> tuple[str | None, float]:
    """A unit as written -> (canonical unit, factor to multiply the value by); (None, 1) if absent.

    ``GBp`` (with a small p) is pence, ``GBP`` pounds; ``cents`` are USD cents. An unknown unit is
    kept in upper case (it can only match the same spelling)."""
    if unit is None or not str(unit).strip():
        return None, 1.0
    raw = str(unit).strip()
    if raw in ("GBp", "GBX", "GBx"):
        return "GBP", 0.01
    text = unicodedata.normalize("NFKD", raw)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _PER_SHARE.sub("", re.sub(r"\s+", " ", text)).strip()
    words = text.split(" ")
    scale = 1.0
    if len(words) > 1 and words[-1].rstrip(".") in _SCALES:
        scale = _SCALES[words[-1].rstrip(".")]
        text = " ".join(words[:-1])
    if text in _CURRENCY_WORDS:
        return _CURRENCY_WORDS[text], scale
    if text in _SUBUNIT_WORDS:
        return _SUBUNIT_WORDS[text], 0.01 * scale
    if text in _OTHER_UNITS:
        name, factor = _OTHER_UNITS[text]
        return name, factor * scale
    return raw.upper(), 1.0


_COMPARISONS: dict[str, str] = {
    "beat": "beat", "beats": "beat", "topped": "beat", "exceeded": "beat", "surpassed": "beat",
    "miss": "miss", "missed": "miss", "misses": "miss", "short": "miss", "fell short": "miss",
    "inline": "inline", "in line": "inline", "line": "inline", "met": "inline", "matched": "inline",
    "as expected": "inline", "above": "above", "over": "above", "below": "below", "under": "below",
    "up": "up", "raised": "up", "raise": "up", "increase": "up", "increased": "up", "hike": "up",
    "hiked": "up", "rose": "up", "higher": "up", "gain": "up", "gained": "up",
    "down": "down", "cut": "down", "lowered": "down", "lower": "down", "reduced": "down", "decrease": "down",
    "decreased": "down", "fell": "down", "declined": "down",
    "flat": "flat", "held": "flat", "hold": "flat", "reaffirmed": "flat", "reiterated": "flat",
    "confirmed": "flat", "maintained": "flat", "kept": "flat", "unchanged": "flat", "steady": "flat",
}


def norm_comparison(comparison: Any) -> str | None:
    """``In line`` -> ``inline``, ``raised`` -> ``up``, ``held`` -> ``flat``; null stays None."""
    if comparison is None:
        return None
    text = re.sub(r"[\s_\-]+", " ", str(comparison).strip().lower())
    if text in ("", "none", "null"):
        return None
    return _COMPARISONS.get(text, text)


# --- numbers ---------------------------------------------------------------------------------

def to_number(raw: Any) -> float | None:
    """A JSON number or numeric string (``"1.2e9"``, ``"1,212"``) -> float; None otherwise."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, (int, float)):
        return float(raw) if math.isfinite(raw) else None
    if isinstance(raw, str):
        text = raw.strip().replace("_", "").replace(" ", "").replace("\u2212", "-")
        if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", text):
            text = text.replace(",", "")
        try:
            number = float(text)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def norm_value(raw: Any, factor: float = 1.0) -> NValue:
    """A number, a numeric string, ``{"low","high"}`` or ``[low, high]`` -> float or (low, high);
    a range with equal ends is a point; None when it cannot be read."""
    if isinstance(raw, Mapping):
        ends = [to_number(raw.get("low")), to_number(raw.get("high"))]
    elif isinstance(raw, (list, tuple)):
        ends = [to_number(x) for x in raw]
    else:
        point = to_number(raw)
        return None if point is None else point * factor
    numbers = [end for end in ends if end is not None]
    if len(numbers) != len(ends) or not 1 <= len(numbers) <= 2:
        return None
    low, high = min(numbers) * factor, max(numbers) * factor
    return low if low == high else (low, high)


def _direction(value: NValue) -> str | None:
    if isinstance(value, float):
        return "up" if value > 0 else "down" if value < 0 else "flat"
    return None


def _segment(raw: Any) -> str | None:
    return str(raw).strip() if raw is not None and str(raw).strip() else None


def _alts(raw: Any, unit: str | None, factor: float) -> tuple[tuple[str | None, NValue], ...]:
    """A label's ``alt`` list -> (unit, value) pairs (an alt without a unit keeps the tuple's)."""
    out: list[tuple[str | None, NValue]] = []
    for alt in raw if isinstance(raw, list) else []:
        if isinstance(alt, Mapping) and "value" in alt:
            alt_unit, alt_factor = norm_unit(alt["unit"]) if alt.get("unit") else (unit, factor)
            out.append((alt_unit, norm_value(alt["value"], alt_factor)))
    return tuple(out)


def normalise(raw: Mapping[str, Any], story: AliasIndex, everyone: AliasIndex, *, label: bool) -> Norm:
    """One raw tuple -> :class:`Norm`. ``alt`` is read only from labels (``label=True``); a move
    without a comparison gets the direction of its sign; references are scaled like the value."""
    from newsdesk.facts.score_periods import canonical_period

    metric = norm_metric(raw.get("metric", ""))
    unit, factor = norm_unit(raw.get("unit"))
    value = norm_value(raw.get("value"), factor)
    comparison = norm_comparison(raw.get("comparison"))
    if comparison is None and metric in MOVE_METRICS:
        comparison = _direction(value)
    reference = to_number(raw.get("reference"))
    entity = raw.get("entity")
    return Norm(
        entity=resolve_entity(str(entity), story, everyone) if entity is not None else "",
        metric=metric, unit=unit, value=value, period=canonical_period(raw.get("period")),
        comparison=comparison, reference=None if reference is None else reference * factor,
        change=to_number(raw.get("change")), segment=_segment(raw.get("segment")),
        alts=_alts(raw.get("alt"), unit, factor) if label else (), raw=raw,
    )


def label_problem(raw: Any) -> str | None:
    """What makes a labelled tuple unusable (labels are checked; predictions are not), or None."""
    if not isinstance(raw, Mapping):
        return "a fact is not a JSON object"
    for field in ("entity", "metric", "value", "unit"):
        if raw.get(field) is None:
            return f"a fact has no {field!r}"
    if norm_metric(raw["metric"]) not in METRICS:
        return f"unknown metric {raw['metric']!r}"
    if norm_value(raw["value"]) is None:
        return f"value {raw['value']!r} is not a number or a range"
    return None
