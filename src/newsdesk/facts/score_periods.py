"""Periods as the scorer compares them: any spelling -> (kind, year), and when two agree.

``Q4 FY24``, ``4Q24``, ``fourth quarter 2024`` are all ``("Q4", 2024)``; ``fiscal 2026`` is
``("FY", 2026)``; ``annual`` is ``("FY", None)``; ``extended trading`` is ``("after-hours", None)``.
The year is compared only when both sides give one (docs/facts.md, "Scoring"). Spellings become
canonical tokens through :func:`newsdesk.facts.periods.normalise_period`, the normaliser the
extractor's period finder uses too; :data:`_EXTRA` adds the few spellings of the regular session
that it leaves unread.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from newsdesk.facts.periods import normalise_period

#: Spellings a prediction may use that ``normalise_period`` does not read (folded).
_EXTRA: dict[str, str] = {"regular session": "session", "regular trading": "session", "close": "session",
                          "at the close": "session", "today": "session", "on the day": "session",
                          "day": "session"}


def _fold(token: str) -> str:
    text = unicodedata.normalize("NFKD", token)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def canonical_period(token: object) -> str | None:
    """A period as written -> its canonical token; an unreadable one is kept folded (it can only
    equal the same spelling); None when the tuple gives no period."""
    if token is None or not str(token).strip():
        return None
    return _canonical(str(token).strip())


@lru_cache(maxsize=4096)
def _canonical(text: str) -> str:
    folded = _fold(text)
    return normalise_period(text) or _EXTRA.get(folded) or folded


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
