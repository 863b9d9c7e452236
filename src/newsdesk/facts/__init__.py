"""Market facts: the numbers a story states (moves, results vs expectations, guidance, dividends,
buybacks, rate decisions, price targets), extracted, scored and shown. See docs/facts.md."""

from newsdesk.facts.engine import extract
from newsdesk.facts.model import COMPARISONS, METRICS, UNITS, Fact

__all__ = ["COMPARISONS", "METRICS", "UNITS", "Fact", "extract"]
