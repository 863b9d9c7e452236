"""Periods in newswire text (English, German, Spanish) as the canonical tokens of the fact tuple:
``Q3``, ``Q4 2025``, ``H1 2025``, ``9M``, ``FY``, ``FY2026``, ``current quarter``, ``next quarter``,
``pre-market``, ``session``, ``after-hours``, ``week``, ``month``, ``YTD``, ``12M`` and the payout
kinds ``quarterly``, ``interim``, ``final``, ``special``, ``annual``.

Hand-written (see :mod:`newsdesk.facts.periods_words` for why). A year is appended only when the
text gives it next to the period; fiscal periods keep the company's numbering ("Q4 FY24" is
``Q4 2024``), and a fiscal year is named by the year it ends in ("Geschäftsjahr 2025/26" is
``FY2026``). "This year" is ``YTD`` as the fact rules say; the engine decides whether a guidance
"this year" means the fiscal year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.facts.numbers_patterns import fast_alternation
from newsdesk.facts.periods_words import CODE_HEAD, RULES


@dataclass(frozen=True, slots=True)
class PeriodMention:
    """A period named in a text: its span and canonical token."""

    start: int
    end: int
    token: str


class _Rules:
    """The compiled rules of one language: a scan for head words, and per head word one pattern of
    the rules that can start there (compiled on first use)."""

    def __init__(self, lang: str) -> None:
        self.rules = RULES[lang]
        self.kinds = [kind for kind, _, _ in self.rules]
        self.by_head: dict[str, tuple[int, ...]] = {}
        for k, (_, heads, _) in enumerate(self.rules):
            for word in heads:
                self.by_head[word.lower()] = (*self.by_head.get(word.lower(), ()), k)
        self.headless = tuple(k for k, (_, heads, _) in enumerate(self.rules) if not heads)
        # One leading character class (space or punctuation) lets the regex engine skip to word
        # starts without entering the matcher; the text is searched with a space in front.
        words = fast_alternation(self.by_head)
        self.head = re.compile(rf"[\s(\"'“”„«¿¡/–—-](?P<h>{words}|(?i:{CODE_HEAD})|(?:19|20)\d\d)")
        self._patterns: dict[tuple[int, ...], re.Pattern[str]] = {}

    def pattern(self, head: str) -> re.Pattern[str]:
        """The rules that may start at ``head`` (a head word, or a code or year)."""
        ks = self.by_head.get(head.lower(), self.headless)
        pat = self._patterns.get(ks)
        if pat is None:
            pat = self._patterns[ks] = re.compile(
                "|".join(f"(?P<r{k}>{self.rules[k][2]})" for k in ks), re.IGNORECASE)
        return pat


_COMPILED: dict[str, _Rules] = {}
_ORDINAL = re.compile(r"first|1st|second|2nd|third|3rd|fourth|4th|final|back|erst|zweit|dritt|viert|primer|"
                      r"segund|tercer|cuarto|[úu]ltimo|schluss|auftakt", re.IGNORECASE)
_ORDINAL_VALUE = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
                  "final": 4, "back": 2, "erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "primer": 1,
                  "segund": 2, "tercer": 3, "cuarto": 4, "último": 4, "ultimo": 4, "schluss": 4, "auftakt": 1}
_DIGIT = re.compile(r"(?<=[QHTSqhts])[1-4]|[1-4](?=[QHTSqhts.])")
_YEAR = re.compile(r"((?:19|20)\d\d)(?:/((?:19|20)?\d\d))?(?!\d)|(?:FY|fiscal|[QHTSM1-9'’])\s?(\d\d)(?![\d%])",
                   re.IGNORECASE)
_SIX_MONTHS = re.compile(r"six|sechs|seis|26 weeks", re.IGNORECASE)
_CANONICAL = re.compile(r"(?:Q[1-4]|H[12]|9M)(?: (?:19|20)\d\d)?|FY(?:(?:19|20)\d\d)?")
_FIXED = {t.lower(): t for t in ("pre-market", "session", "after-hours", "week", "month", "YTD", "12M",
                                 "quarterly", "interim", "final", "special", "annual", "current quarter",
                                 "next quarter", "FY", "9M")}
_FIXED.update({"close": "session", "the close": "session", "today": "session", "day": "session",
               "on the day": "session", "regular session": "session", "regular trading": "session",
               "daily": "session", "yearly": "annual", "per year": "annual", "full-year": "FY"})
#: Words a verbose period may carry around its mention ("the past 12 months", "in the session").
_FILLER = frozenset((
    "fiscal", "regular",
    "the", "in", "on", "at", "by", "for", "of", "past", "last", "this", "12", "twelve", "trailing", "previous",
    "so", "far", "during", "over", "am", "im", "zum", "bei", "seit", "den", "der", "die", "das", "des", "dem",
    "vergangenen", "letzten", "zwölf", "el", "la", "los", "las", "en", "de", "del", "al", "lo", "que", "va",
    "últimos", "doce", "a", "desde", "tras", "después", "posterior", "y", "and", "und",
))


def _compiled(lang: str) -> _Rules:
    got = _COMPILED.get(lang)
    if got is None:
        got = _COMPILED[lang] = _Rules(lang)
    return got


def _year(text: str) -> str:
    """The year a period's words give, as ``" 2025"`` (a fiscal split gives its end year), or ``""``."""
    m = _YEAR.search(text)
    if m is None:
        return ""
    if m.group(1) is not None:
        end = m.group(2)
        if end is None:
            return " " + m.group(1)
        return " " + (end if len(end) == 4 else m.group(1)[:2] + end)
    return " 20" + m.group(3)


def _number(text: str) -> int | None:
    m = _ORDINAL.search(text)
    if m is not None:
        return _ORDINAL_VALUE.get(m.group().lower())
    d = _DIGIT.search(text)
    return int(d.group()) if d is not None else None


def _token(kind: str, text: str) -> str | None:
    if kind in ("q", "q1", "q2", "q3", "q4"):
        n = int(kind[1]) if len(kind) == 2 else _number(text)
        return None if n is None else f"Q{n}{_year(text)}"
    if kind == "h":
        n = 1 if _SIX_MONTHS.search(text) else _number(text)
        return None if n not in (1, 2) else f"H{n}{_year(text)}"
    if kind == "9m":
        return "9M" + _year(text)
    if kind == "fy":
        return "FY" + _year(text).strip()
    return {"ytd": "YTD", "12m": "12M"}.get(kind, kind)


def find_periods(text: str, lang: str) -> list[PeriodMention]:
    """Every period named in ``text``, in text order, non-overlapping (``lang``: en, de, es; others
    read as English)."""
    rules = _compiled(lang if lang in RULES else "en")
    head, kinds = rules.head, rules.kinds
    out: list[PeriodMention] = []
    pos = 0
    padded = " " + text  # positions in ``padded`` are one more than in ``text``
    while True:
        h = head.search(padded, pos)
        if h is None:
            break
        m = rules.pattern(h.group("h")).match(text, h.start("h") - 1)
        if m is None or m.end() == m.start():
            pos = h.end()
            continue
        token = _token(kinds[int((m.lastgroup or "r0")[1:])], m.group())
        if token is not None:
            out.append(PeriodMention(m.start(), m.end(), token))
        pos = m.end()  # in ``padded``: one character before the end, so a head right after is found
    return out


def normalise_period(token: str) -> str | None:
    """Any spelling of a period ("4Q24", "fourth quarter 2024", "fiscal 2026", "nine months",
    "extended trading", "year to date", "past 12 months", "full year", "Geschäftsjahr 2025/26")
    -> its canonical token; None when it is not one period."""
    text = " ".join(token.split())
    if not text:
        return None
    fixed = _FIXED.get(text.lower())
    if fixed is not None:
        return fixed
    if _CANONICAL.fullmatch(text):
        return text
    for lang in ("en", "de", "es"):
        found = find_periods(text, lang)
        if len(found) != 1:
            continue
        rest = (text[:found[0].start] + " " + text[found[0].end:]).lower()
        if all(w.strip(".,;:()'’-") in _FILLER or not w.strip(".,;:()'’-") for w in rest.split()):
            return found[0].token
    return None
