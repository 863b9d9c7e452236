"""Periods as the scorer compares them: any spelling -> (kind, year), and when two agree.

``Q4 FY24``, ``4Q24``, ``fourth quarter 2024`` are all ``("Q4", 2024)``; ``fiscal 2026`` is
``("FY", 2026)``; ``annual`` is ``("FY", None)``; ``extended trading`` is ``("after-hours", None)``.
The year is compared only when both sides give one (docs/facts.md, "Scoring").

The spelling -> canonical token step is ``newsdesk.facts.periods.normalise_period`` (the one the
extractor's period finder shares) when that module is present; :func:`_fallback` is a small
stand-in for the spellings a prediction file is likely to use, and also catches what the shared
normaliser leaves unread.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Callable


def _load_shared() -> Callable[[str], str | None] | None:
    """The shared ``normalise_period``, when the periods module exists."""
    try:
        module = importlib.import_module("newsdesk.facts.periods")
    except ImportError:
        return None
    found = getattr(module, "normalise_period", None)
    return found if callable(found) else None


_shared = _load_shared()

_WORDS: dict[str, str] = {
    "pre market": "pre-market", "premarket": "pre-market", "before the bell": "pre-market",
    "vorborslich": "pre-market", "session": "session", "regular session": "session", "day": "session",
    "today": "session", "daily": "session", "intraday": "session", "close": "session",
    "after hours": "after-hours", "afterhours": "after-hours", "extended trading": "after-hours",
    "after the bell": "after-hours", "late trading": "after-hours", "post market": "after-hours",
    "postmarket": "after-hours", "nachborslich": "after-hours", "week": "week", "this week": "week",
    "weekly": "week", "wtd": "week", "month": "month", "this month": "month", "mtd": "month",
    "ytd": "YTD", "year to date": "YTD", "this year": "YTD", "since january": "YTD",
    "seit jahresbeginn": "YTD", "en lo que va de ano": "YTD", "12m": "12M", "past 12 months": "12M",
    "last 12 months": "12M", "12 months": "12M", "twelve months": "12M", "past year": "12M",
    "ttm": "12M", "trailing 12 months": "12M", "quarterly": "quarterly", "interim": "interim",
    "final": "final", "special": "special", "annual": "FY", "yearly": "FY", "current quarter": "current quarter",
    "this quarter": "current quarter", "next quarter": "next quarter", "coming quarter": "next quarter",
}
_ORDINALS = {"first": "1", "1st": "1", "second": "2", "2nd": "2", "third": "3", "3rd": "3", "fourth": "4",
             "4th": "4"}
_COMPACT = (
    (re.compile(r"([1-4])q(?:fy)?(\d{2}|\d{4})?"), "Q"),  # 4q24, 4qfy24
    (re.compile(r"q([1-4])(?:fy)?(\d{2}|\d{4})?"), "Q"),  # q4 fy24, q4 2025
    (re.compile(r"([12])h(?:fy)?(\d{2}|\d{4})?"), "H"),   # 1h25
    (re.compile(r"h([12])(?:fy)?(\d{2}|\d{4})?"), "H"),   # h1 2025
)


def _fold(token: str) -> str:
    text = unicodedata.normalize("NFKD", token)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _year(digits: str | None) -> str:
    if not digits:
        return ""
    return " " + (digits if len(digits) == 4 else "20" + digits)


def _fallback(token: str) -> str | None:
    """The canonical token of the spellings a prediction is likely to use, or None."""
    text = _fold(token)
    if text in _WORDS:
        return _WORDS[text]
    squeezed = text.replace(" ", "")
    for pattern, kind in _COMPACT:
        match = pattern.fullmatch(squeezed)
        if match:
            return f"{kind}{match.group(1)}{_year(match.group(2))}"
    year_match = re.search(r"\b((?:19|20)\d{2})\b", text) or re.search(r"\bfy ?(\d{2})\b", text)
    year = _year(year_match.group(1) if year_match else None)
    if re.fullmatch(r"9m(?: \d{2,4})?|(?:first )?(?:nine|9) months(?: .*)?", text):
        return "9M" + year
    words = text.split()
    ordinal = next((_ORDINALS[w] for w in words if w in _ORDINALS), None)
    if ordinal and "quarter" in words:
        return f"Q{ordinal}{year}"
    if ordinal in ("1", "2") and "half" in words:
        return f"H{ordinal}{year}"
    if re.fullmatch(r"fy ?(\d{2}|\d{4})?", text) or {"fiscal", "full", "year"} & set(words) or text == year.strip():
        return "FY" + year.strip()
    return None


def canonical_period(token: object) -> str | None:
    """A period as written -> its canonical token; an unreadable one is kept folded (it can only
    equal the same spelling); None when the tuple gives no period."""
    if token is None or not str(token).strip():
        return None
    text = str(token).strip()
    found = _shared(text) if _shared is not None else None
    return found or _fallback(text) or _fold(text)


def period_key(token: str) -> tuple[str, int | None]:
    """``Q4 2025`` -> ("Q4", 2025); ``FY2026`` -> ("FY", 2026); ``annual`` -> ("FY", None)."""
    match = re.fullmatch(r"(Q[1-4]|H[12]|9M)(?: (\d{4}))?", token) or re.fullmatch(r"(FY) ?(\d{4})?", token)
    if match:
        return match.group(1), int(match.group(2)) if match.group(2) else None
    return ("FY", None) if token == "annual" else (token, None)


def periods_agree(gold: str, pred: str | None) -> bool:
    """Same kind, and the same year when both give one (both already canonical)."""
    if pred is None:
        return False
    (gold_kind, gold_year), (pred_kind, pred_year) = period_key(gold), period_key(pred)
    return gold_kind == pred_kind and (gold_year is None or pred_year is None or gold_year == pred_year)
