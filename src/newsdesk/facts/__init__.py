"""Market facts: the numbers a story states (moves, results vs expectations, guidance, dividends,
buybacks, rate decisions, price targets), extracted, scored and shown. See docs/facts.md."""

from __future__ import annotations

from collections.abc import Sequence

from newsdesk.facts.model import COMPARISONS, METRICS, UNITS, Fact

__all__ = ["COMPARISONS", "METRICS", "UNITS", "Fact", "extract"]


def extract(title: str, text: str, lang: str, symbols: Sequence[str] = ()) -> list[Fact]:
    """The facts a story states (:func:`newsdesk.facts.engine.extract`). The engine's modules and
    tables load on the first call: a publish whose facts are all kept in the archive never loads them."""
    from newsdesk.facts.engine import extract as run

    return run(title, text, lang, symbols)
