"""Hypothesis strategies for market facts: every valid :class:`~newsdesk.facts.Fact`, hostile text
in the fields that come from story text (entity, segment, period)."""

from __future__ import annotations

from hypothesis import strategies as st

from newsdesk.facts.model import COMPARISONS, METRICS, UNITS, Fact

PERIODS = ["Q1", "Q4 2025", "FY2026", "FY", "H1 2025", "H2", "9M", "current quarter", "next quarter",
           "pre-market", "session", "after-hours", "week", "month", "YTD", "12M", "quarterly", "interim",
           "final", "special", "annual"]
ENTITIES = ["NVDA", "AAPL", "SAP", "7203", "0700", "HSBA", "SPX", "DAX", "IBEX35", "FED", "ECB", "BOJ", "SNB"]

numbers = st.floats(allow_nan=False, allow_infinity=False)
hostile_text = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ['<script>alert(1)</script>', '"quoted" \\ back', "a: b", "- x", "{x: 1}", "#x", "\n\r\t", "null", "\u2028"])


def facts(text: st.SearchStrategy[str] = hostile_text) -> st.SearchStrategy[Fact]:
    """Any valid fact; ``text`` draws the free-text fields (entity, segment, odd periods)."""
    value = numbers | st.tuples(numbers, numbers)
    return st.builds(
        Fact,
        entity=st.sampled_from(ENTITIES) | text,
        metric=st.sampled_from(METRICS),
        value=value,
        unit=st.sampled_from(UNITS),
        period=st.none() | st.sampled_from(PERIODS) | text,
        comparison=st.none() | st.sampled_from(COMPARISONS),
        reference=st.none() | numbers,
        change=st.none() | numbers,
        segment=st.none() | st.sampled_from(["AWS", "deposit rate", "Greater China"]) | text,
    )
