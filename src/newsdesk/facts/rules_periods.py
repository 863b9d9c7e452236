"""Which period a tuple gets (docs/facts.md): payouts by their kind or year, guidance and plans by
the quarter or fiscal year they cover (a year the sentence names), results by their own period or
the story's. Split from ``rules_groups`` so that neither module passes the size the project allows.
"""

from __future__ import annotations

import re

from newsdesk.facts.rules_sentence import Sentence

RESULT_PERIODS = ("Q", "H", "9M", "FY")
PAYOUT_PERIODS = frozenset({"quarterly", "interim", "final", "special", "annual", "next quarter"})
_IN_YEAR = re.compile(r"\b(?:in|for|im Jahr|für|en|para|durante|en el ejercicio|im Geschäftsjahr)\s+"
                      r"(?:el\s+|das\s+|fiscal\s+)?(20[2-3]\d)\b")
_SPLIT_YEAR = re.compile(r"\b20\d\d/(\d\d)\b")
_BARE_YEAR = re.compile(r"(?<![\d.,/])\b(20[2-3]\d)\b(?![\d.,/%])")
_PAYOUT_YEAR = re.compile(r"\b(?:con cargo a(?:l ejercicio)?|für das (?:Geschäfts)?jahr|for (?:fiscal )?(?:year )?|"
                          r"del ejercicio)\s+(20[2-3]\d)\b")


def tuple_period(s: Sentence, metric: str, pos: int) -> str | None:
    """The period of a tuple of ``metric`` whose figure is at ``pos``: a payout's kind or year, a
    guidance or plan's quarter or fiscal year (a year named in the sentence), a result's period or
    the story's; none for rates and targets."""
    if metric in ("rate_decision", "price_target"):
        return None
    if metric in ("dividend", "buyback"):
        found = s.period(pos, PAYOUT_PERIODS, ("FY",))
        m = _PAYOUT_YEAR.search(s.text) if found is None else None
        return f"FY{m.group(1)}" if m else found
    if metric.startswith("guidance_") or metric == "capex":
        found = s.period(pos, frozenset({"current quarter", "next quarter", "annual", "YTD"}), RESULT_PERIODS)
        if found in ("annual", "YTD"):
            found = "FY"  # "its annual revenue forecast", "expects capex of $2.5 billion this year"
        if found is not None and found.startswith("9M") and metric.startswith("guidance_"):
            found = None  # the nine months of the results the sentence also reports: guidance is for a year
        if found is None:
            m = _SPLIT_YEAR.search(s.text)
            if m:
                return f"FY20{m.group(1)}"
            m = _IN_YEAR.search(s.text) or _BARE_YEAR.search(s.text)
            found = f"FY{m.group(1)}" if m else None
        return found
    return s.period(pos, None, RESULT_PERIODS) or s.ctx.story_period
