"""The fact rules' cue words per language, compiled once (``lexicon(lang)``).

Each ``lexicon_<lang>.py`` holds regex fragments under the same names; this module compiles them
into one ``Lexicon``: a single alternation with named groups for the metric keywords (so one scan
finds them all), and anchored patterns for the windows the engine looks at just before a number
(``…$``) or just after it (``^…``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

LANGS = ("en", "de", "es")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Compiled cue patterns of one language (see lexicon_en.py for what each one means)."""

    lang: str
    keywords: re.Pattern[str]
    keyword_kinds: dict[str, str]
    postfix: re.Pattern[str]
    postfix_kinds: dict[str, str]
    guidance: re.Pattern[str]
    expect_before: re.Pattern[str]
    expect_after: re.Pattern[str]
    beat: re.Pattern[str]
    miss: re.Pattern[str]
    inline: re.Pattern[str]
    raise_: re.Pattern[str]
    cut: re.Pattern[str]
    hold: re.Pattern[str]
    narrow: re.Pattern[str]
    up: re.Pattern[str]
    down: re.Pattern[str]
    flat: re.Pattern[str]
    prior: re.Pattern[str]
    prior_after: re.Pattern[str]
    level: re.Pattern[str]
    hypothetical: re.Pattern[str]
    preview: re.Pattern[str]
    intraday: re.Pattern[str]
    threshold: re.Pattern[str]
    from_peak: re.Pattern[str]
    contribution: re.Pattern[str]
    current_rate: re.Pattern[str]
    executed: re.Pattern[str]
    median: re.Pattern[str]
    deposit: re.Pattern[str]
    refi: re.Pattern[str]
    after_hours: re.Pattern[str]
    pre_market: re.Pattern[str]
    clause: re.Pattern[str]
    gate: re.Pattern[str]
    by: re.Pattern[str]
    relative: re.Pattern[str]
    analysts: re.Pattern[str]
    analyst_view: re.Pattern[str]
    payout_total: re.Pattern[str]
    loss: re.Pattern[str]
    by_after: re.Pattern[str]
    guidance_after: re.Pattern[str]
    expect_noun: re.Pattern[str]
    sector: re.Pattern[str]
    segment_lower: str


def _alternation(pairs: list[tuple[str, str]], prefix: str, anchor: str = "") -> tuple[re.Pattern[str], dict[str, str]]:
    kinds: dict[str, str] = {}
    parts = []
    for i, (kind, pattern) in enumerate(pairs):
        name = f"{prefix}{i}"
        kinds[name] = kind
        parts.append(f"(?P<{name}>{pattern})")
    return re.compile(anchor + r"(?<![\w-])(?:" + "|".join(parts) + r")(?:(?<=\s)|(?!\w))", re.I), kinds


def _module(lang: str) -> ModuleType:
    if lang == "de":
        from newsdesk.facts import lexicon_de as mod
    elif lang == "es":
        from newsdesk.facts import lexicon_es as mod
    else:
        from newsdesk.facts import lexicon_en as mod
    return mod


@lru_cache(maxsize=4)
def lexicon(lang: str) -> Lexicon:
    """The compiled lexicon of ``lang`` (English for an unknown language)."""
    m = _module(lang)
    keywords, keyword_kinds = _alternation(m.KEYWORDS, "k")
    postfix, postfix_kinds = _alternation(m.POSTFIX, "p", anchor=r"^[\s,]*")

    def c(pattern: str) -> re.Pattern[str]:
        return re.compile(pattern, re.I)

    def end(pattern: str) -> re.Pattern[str]:  # matches at the end of the window before a number
        return re.compile(r"(?:" + pattern + r")[\s:,]*(?:(?:about|roughly|around|nearly|almost|some|just|"
                          r"more than|less than|over|under|rund|etwa|knapp|fast|gut|mehr als|über|unter|"
                          r"cerca de|alrededor de|casi|unos|unas|más de|menos de|de|von|of|an?|the|los|las|"
                          r"el|la|die|der|den)\s+)*$", re.I)

    def start(pattern: str) -> re.Pattern[str]:  # matches at the start of the window after a number
        return re.compile(r"^[\s,)]*(?:" + pattern + r")", re.I)

    gate = r"\d|" + m.ANY_WORD_NUMBER
    return Lexicon(
        lang=lang, keywords=keywords, keyword_kinds=keyword_kinds, postfix=postfix, postfix_kinds=postfix_kinds,
        guidance=c(m.GUIDANCE), expect_before=end(m.EXPECT_BEFORE), expect_after=start(m.EXPECT_AFTER),
        beat=c(m.BEAT), miss=c(m.MISS), inline=c(m.INLINE), raise_=c(m.RAISE), cut=c(m.CUT), hold=c(m.HOLD),
        narrow=c(m.NARROW), up=c(m.UP), down=c(m.DOWN), flat=c(m.FLAT), prior=end(m.PRIOR),
        prior_after=start(m.PRIOR_AFTER), level=c(m.LEVEL), hypothetical=c(m.HYPOTHETICAL),
        preview=c(m.PREVIEW), intraday=c(m.INTRADAY), threshold=c(m.THRESHOLD),
        from_peak=c(m.FROM_PEAK), contribution=c(m.CONTRIBUTION), current_rate=c(m.CURRENT_RATE),
        executed=c(m.EXECUTED), median=c(m.MEDIAN), deposit=c(m.DEPOSIT), refi=c(m.REFI),
        after_hours=c(m.AFTER_HOURS), pre_market=c(m.PRE_MARKET), clause=c(m.CLAUSE), gate=c(gate),
        by=c(m.BY), relative=c(m.RELATIVE_SHORT), analysts=c(m.ANALYSTS), analyst_view=c(m.ANALYST_VIEW),
        payout_total=c(m.PAYOUT_TOTAL), loss=c(m.LOSS), by_after=start(m.BY_AFTER), guidance_after=c(m.GUIDANCE_AFTER),
        expect_noun=re.compile(r"[\s,]*(?:[\w']+\s+){0,2}?(?:" + m.EXPECT_NOUN + ")", re.I),
        sector=re.compile(m.SECTOR), segment_lower=m.SEGMENT_LOWER,
    )
