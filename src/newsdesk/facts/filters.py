"""Fact filters of alert rules: ``"eps:miss"``, ``"guidance_revenue:below"`` or just ``"eps"``.

A filter names a metric and, optionally, a comparison that metric can have (docs/facts.md: beat,
miss or inline for reported figures; above, below or inline for guidance and capex; up, down or
flat for changes, moves and actions). :func:`parse_filter` checks one at config load;
:func:`matching` picks the facts a rule's filters admit, about the rule's tickers when it has any.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from newsdesk.facts.model import METRICS, Fact

__all__ = ["COMPARISONS_OF", "entity_key", "matching", "parse_filter"]

_REPORTED = ("beat", "miss", "inline", "up", "down", "flat")
_PLANNED = ("above", "below", "inline", "up", "down", "flat")
_CHANGED = ("up", "down", "flat")

#: The comparisons a fact of each metric can have.
COMPARISONS_OF: dict[str, tuple[str, ...]] = {
    **{m: _REPORTED for m in ("revenue", "segment_revenue", "eps", "net_income", "operating_income",
                               "operating_margin", "gross_margin")},
    **{m: _PLANNED for m in METRICS if m.startswith("guidance_")},
    "capex": _PLANNED,
    "price_move": _CHANGED, "index_move": _CHANGED,
    "share_price": ("up", "down"), "index_level": ("up", "down"),
    **{m: _CHANGED for m in ("dividend", "buyback", "rate_decision", "price_target")},
}

Filter = tuple[str, "str | None"]


def parse_filter(text: str) -> Filter:
    """``"eps:miss"`` -> ``("eps", "miss")``, ``"eps"`` -> ``("eps", None)``; ValueError saying what
    is allowed otherwise."""
    metric, _, comparison = text.strip().lower().partition(":")
    metric, comparison = metric.strip(), comparison.strip()
    if metric not in COMPARISONS_OF:
        raise ValueError(f"{text!r} names no metric; use METRIC or METRIC:COMPARISON with one of "
                         f"{', '.join(METRICS)}")
    allowed = COMPARISONS_OF[metric]
    if ":" in text and comparison not in allowed:
        raise ValueError(f"{text!r}: the comparison of {metric} facts is one of {', '.join(allowed)}")
    return metric, comparison or None


def entity_key(code: str) -> str:
    """A fact's entity or a rule's ticker as they are compared: the ticker part, upper case, an
    all-digit code without leading zeros (``HKEX:700`` and ``0700`` are both ``700``)."""
    key = code.strip().lstrip("$").rpartition(":")[2].strip().upper()
    return (key.lstrip("0") or "0") if key.isdigit() else key


def matching(facts: Iterable[Fact], filters: Sequence[Filter], tickers: Iterable[str] = ()) -> list[Fact]:
    """The facts one of ``filters`` admits, in order; only those about ``tickers`` when any are given."""
    keys = {entity_key(t) for t in tickers}
    return [fact for fact in facts
            if (not keys or entity_key(fact.entity) in keys)
            and any(fact.metric == metric and (comparison is None or fact.comparison == comparison)
                    for metric, comparison in filters)]
