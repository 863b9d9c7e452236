"""Numbers in newswire text (English, German, Spanish): amounts with their currency and scale,
percentages, percentage and basis points, index points, share counts, ranges, bands, hedges and
the few fractions written in words.

Hand-written (see :mod:`newsdesk.facts.numbers_words` for why): one combined regular expression per
language (:mod:`newsdesk.facts.numbers_patterns`), tried only where a digit or currency sign starts,
reads each number with its range and band; Python looks only at the matches. Years, dates, times,
durations, phone numbers, index names ("S&P 500"), quarter names ("Q3", "3Q24") and ordinals never
become quantities. A bare number keeps ``unit=None``: the engine decides what it is. Word numbers
("a third", "break even", "two cents") are looked for only around their key words.

Units besides the fact vocabulary: ``"bp"`` and ``"pp"`` (for ``change``), and ISO codes of other
currencies (``"CAD"``, ``"CNY"``, ``"MXN"`` ...) so that "C$5 billion" is not read as dollars; the
engine drops what it cannot use.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import TypeVar

from newsdesk.facts.numbers_patterns import GATE, back_regex, number_regex, words_regex
from newsdesk.facts.numbers_words import (
    BACK_LAST,
    DOLLAR_PREFIXES,
    ES_CHANGE_VERB,
    FROM_WORDS,
    INDEX_NUMBERS,
    LANGS,
    LETTER_SCALES,
    POST_UNITS,
    PREFIX_CURRENCIES,
    RANGE_AND,
    SCALES,
    SPELLED,
    WORD_KEYS,
    WORD_NUMBERS,
)

Value = float | tuple[float, float]
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number found in a text, with the span its words cover (hedge, currency, scale and unit)."""

    start: int
    end: int
    value: Value
    unit: str | None
    approx: bool = False
    band: bool = False


_Patterns = tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]
_PATTERNS: dict[str, _Patterns] = {}
_KEYS: dict[str, re.Pattern[str]] = {}  # the key words of WORD_KEYS, one case-sensitive pattern
_NUMBER_RE: dict[str, re.Pattern[str]] = {
    "en": re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"),
    "de": re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+\.\d+|\d+,\d+|\d+(?:\.\d+)?"),
}
_NUMBER_RE["es"] = _NUMBER_RE["de"]
_SPACE_GROUPS = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?")
_YEAR = re.compile(r"(?:19|20)\d\d")
_SMALL_INT = re.compile(r"\d{1,2}")
#: Cents written without their currency ("26 cents", "9 Cent", "35 céntimos") take the currency
#: of the last amount before them, when it is one of these.
_NOT_MONEY = frozenset({"%", "pp", "bp", "points", "shares"})
_CENT_CURRENCIES = frozenset({"USD", "EUR", "HKD", "CAD", "AUD", "SGD", "NZD"})
_BARE_CENTS = re.compile(r"\d\s?(?:cents?|c[ée]ntimos?|centavos?)$", re.IGNORECASE)


def _patterns(lang: str) -> _Patterns:
    """The compiled patterns of a language (number, reversed context, words), compiled on first use."""
    pats = _PATTERNS.get(lang)
    if pats is None:
        pats = _PATTERNS[lang] = (number_regex(lang), back_regex(lang), words_regex(lang))
    return pats


def _to_float(tok: str, lang: str) -> float:
    """A number token the pattern matched -> float, by the language's separators."""
    if lang not in ("de", "es"):
        return float(tok.replace(",", ""))
    if " " in tok or "\u00a0" in tok or "\u202f" in tok:  # "31 250": thousands written with spaces
        tok = re.sub(r"[ \u00a0\u202f]", "", tok)
    if "," in tok:
        if "." in tok and tok.rfind(".") > tok.rfind(","):  # 1,234.56 written English-style
            return float(tok.replace(",", ""))
        return float(tok.replace(".", "").replace(",", "."))
    dot = tok.find(".")
    if dot != -1 and dot <= 3 and (tok.count(".") > 1 or len(tok) - tok.rfind(".") == 4):
        return float(tok.replace(".", ""))  # 1.200 / 1.200.000: thousands dots
    return float(tok)


def parse_number(token: str, lang: str) -> float | None:
    """A written number -> its value, by the separators of ``lang``; None when it is not a number.

    ``"24.087,31"`` (de, es) is 24087.31, ``"1.200"`` (es) 1200, ``"1,212"`` and ``"1.5"`` (en) 1212
    and 1.5. A leading sign is kept; thousands written with (thin) spaces are accepted.
    """
    tok = token.strip()
    sign = 1.0
    if tok[:1] in ("-", "−", "+"):
        sign = -1.0 if tok[0] != "+" else 1.0
        tok = tok[1:].lstrip()
    key = lang if lang in _NUMBER_RE else "en"
    if _SPACE_GROUPS.fullmatch(tok):
        tok = re.sub(r"[ \u00a0\u202f]", "", tok)
        if key == "en" and "," in tok:
            return None
    if not _NUMBER_RE[key].fullmatch(tok):
        return None
    return sign * _to_float(tok, key)


def _norm(word: str) -> str:
    return " ".join(word.lower().split())


def _lookup(table: dict[str, _T], word: str) -> _T:
    """``table[word]`` by the lower-cased word, with runs of whitespace read as one space."""
    got = table.get(word.lower())
    return got if got is not None else table[_norm(word)]


def _part(groups: tuple[str | None, ...], lang: str, code: str | None) -> tuple[float, float | None, str | None, float]:
    """One number's groups (n, sg, sh, sc, sl, pre, pc, u) -> (signed number, scale or None, unit or
    None, subunit divisor). ``code`` is the currency a code before it gave ("USD 5", "HK$5")."""
    n, sg, sh, sc, sl, pre, pc, post = groups
    num = _to_float(n or "0", lang)
    if (sg is not None and sg != "+") or sh is not None:
        num = -num
    scale: float | None = None
    if sc is not None:
        scale = _lookup(SCALES[lang], sc.rstrip("."))
    elif sl is not None:
        sl = sl.lower()
        scale = 1e9 if sl == "bn" else 1e6 if sl == "mn" else LETTER_SCALES[sl]
    unit = code
    div = 1.0
    if pre is not None and unit is None:
        unit = PREFIX_CURRENCIES[pre.lower()]
    if pc is not None:
        unit, div = "GBP", 100.0
    elif post is not None:
        post_unit, post_div = _lookup(POST_UNITS[lang], post)
        if unit is None or (post_div != 1 and post_unit == unit):
            unit, div = post_unit, post_div
    return num, scale, unit, div


def _range_ok(text: str, m: re.Match[str], lang: str, between: bool, start: int,
              ends: tuple[float, float], units: tuple[str | None, str | None]) -> bool:
    """Whether "X - Y" / "X to Y" / "between X and Y" is a range rather than two numbers."""
    (low, high), (u1, u2) = ends, units
    if (u1 is not None and u2 is not None and u1 != u2) or low > high:
        return False
    word = m.group("rw")
    if word is None:  # a dash
        return True
    word = " ".join(word.lower().split())
    if word in RANGE_AND[lang]:
        return between
    if (u1 is not None and u2 is None) or (low > 0 and high / low > 3):
        return False
    before = text[max(0, start - 60):start]
    tail = before.rstrip().lower()
    if word == "hasta":
        return tail.endswith("desde")
    if any(tail.endswith(f) for f in FROM_WORDS[lang]):
        return False
    return not (lang == "es" and tail.endswith("de") and ES_CHANGE_VERB.search(before.rstrip() + " "))


def _context(text: str, m: re.Match[str], back: re.Pattern[str],
             lang: str) -> tuple[int, str | None, bool, bool, bool] | None:
    """What the words before a number say: (start, currency code, negative, between, hedged), or
    None when they make it a date, an index name or a rank ("March 31", "S&P 500", "No. 1").
    Called only when the word before the number is one that :func:`back_regex` reads."""
    s = m.start()
    b = back.match(text[max(0, s - 48):s][::-1])
    if b is None or b.end() == 0:
        return s, None, False, False, False
    if b.group("bd") is not None:
        # "plus or minus X" on its own: the band of an amount stated before ("..., más o menos
        # 1.000 millones") is no quantity; Spanish "subió más o menos un 2%" is a hedge.
        head = text[max(0, s - b.end() - 12):s - b.end()].rstrip().lower()
        if not head or head.endswith((",", "(", " de", " of", " von", "margen")) or lang != "es":
            return None
        return s - b.end(), None, False, False, True
    if b.group("bm") is not None or b.group("br") is not None or b.group("bi") is not None:
        n1 = m.group("n1")
        bare = m.group("u1") is None and m.group("pre1") is None and m.group("sc1") is None
        if b.group("bi") is not None:
            return None if bare and n1.isdigit() and int(n1) in INDEX_NUMBERS else (s, None, False, False, False)
        if bare and (_SMALL_INT.fullmatch(n1) or (b.group("br") is not None and n1.isdigit())):
            return None
        return s, None, False, False, False
    code = None
    dp, pre = b.group("dp"), b.group("pre")
    if dp is not None:
        if m.group("pre1") != "$":
            return s, None, False, False, False
        code = DOLLAR_PREFIXES[dp[::-1].lower()]
    elif pre is not None:
        if m.group("pre1") is not None:
            return s, None, False, False, False
        code = PREFIX_CURRENCIES[pre[::-1].lower()]
    return s - b.end(), code, b.group("sw") is not None, b.group("bt") is not None, b.group("h") is not None


def _needs_context(text: str, s: int, last_words: frozenset[str]) -> bool:
    """Whether the word before position ``s`` may be a hedge, code, sign word, month, index or rank."""
    if s == 0:
        return False
    before = text[s - 1]
    if before == " " or before == "\n":
        return text[text.rfind(" ", max(0, s - 24), s - 1) + 1:s - 1].lower() in last_words
    return before.isalpha() or before == "±"


def _amount(num: float, scale: float | None, div: float) -> float:
    """``num`` scaled and divided, rounded to 15 significant digits (34.2 bn is 34200000000, not
    34200000000.000004)."""
    if scale is None and div == 1.0:
        return num
    return float(f"{num * (scale or 1.0) / div:.15g}")


def _changes_from(text: str, start: int, lang: str) -> bool:
    """Whether "X to Y" at ``start`` is a change "from X to Y" (X then takes Y's unit and scale)."""
    tail = text[max(0, start - 8):start].rstrip().lower()
    return tail.endswith(FROM_WORDS[lang]) or (lang == "es" and tail.endswith(" de"))


_GROUPS = ("n1", "sg1", "sh1", "sc1", "sl1", "pre1", "pc1", "u1", "n2", "band")
_GROUPS2 = ("n2", "sg2", "sh2", "sc2", "sl2", "pre2", "pc2", "u2")


def _quantity(text: str, m: re.Match[str], lang: str, back: re.Pattern[str]) -> tuple[Quantity | None, int]:
    """The quantity of a number match and where the next search starts."""
    *first, n2, band_text = m.group(*_GROUPS)
    s, end = m.start(), m.end()
    start, code, negative, between, approx = s, None, False, False, False
    if _needs_context(text, s, BACK_LAST[lang]):
        ctx = _context(text, m, back, lang)
        if ctx is None:
            return None, end
        start, code, negative, between, approx = ctx
    sg1, sl1 = first[1], first[4]
    if (sl1 is not None and len(sl1) == 1 and code is None and first[5] is None
            and (first[7] is None or _lookup(POST_UNITS[lang], first[7])[0] in _NOT_MONEY)):
        return None, end  # "9M", "3M": a one-letter scale needs a currency ("$5M", "GBP450m")
    sign = -1.0 if negative and sg1 is None else 1.0
    band = band_text is not None
    n1, s1, u1, d1 = _part(tuple(first), lang, code)
    if n2 is None:
        if u1 is None and s1 is None and sg1 is None and not band and not negative and _YEAR.fullmatch(first[0] or ""):
            return None, end  # a year
        return Quantity(start, end, _amount(sign * n1, s1, d1), u1, approx, band), end
    n2v, s2, u2, d2 = _part(m.group(*_GROUPS2), lang, None)
    ru1, rd1, ru2, rd2 = u1, d1, u2, d2
    if u1 is None:
        ru1, rd1 = u2, d2
    elif u2 is None and m.group("rw") is None:
        ru2, rd2 = u1, d1
    low = _amount(sign * n1, s1 or s2, rd1)
    high = _amount(sign * n2v, s2, rd2)
    if _range_ok(text, m, lang, between, start, (low, high), (ru1, ru2)):
        value: Value = (low, high) if low != high else low
        return Quantity(start, end, value, ru1, approx, band), end
    # two numbers: the first alone ("from 40 to 45 cents" gives the first the second's unit)
    if u1 is None and s1 is None and m.group("rw") is not None and _changes_from(text, start, lang):
        u1, d1, s1 = u2, d2, s2
    if u1 is None and s1 is None and sg1 is None and not negative and _YEAR.fullmatch(first[0] or ""):
        return None, m.start("q2")
    return Quantity(start, m.end("q1"), _amount(sign * n1, s1, d1), u1, approx), m.start("q2")


def _word_quantity(m: re.Match[str], lang: str, text: str, back: re.Pattern[str]) -> Quantity:
    b = back.match(text[max(0, m.start() - 24):m.start()][::-1])
    hedged = b is not None and b.group("h") is not None and b.group("pre") is None and b.group("dp") is None
    start = m.start() - b.end() if hedged and b is not None else m.start()
    if m.group("spn") is not None:
        value = SPELLED[lang][m.group("spn").lower()]
        sps = m.group("sps")
        if sps is not None:
            value *= SCALES[lang][_norm(sps).rstrip(".")]
        unit, div = POST_UNITS[lang][_norm(m.group("spu"))]
        return Quantity(start, m.end(), value / div, unit, hedged)
    name = m.lastgroup or ""
    _, value, word_unit = WORD_NUMBERS[lang][int(name[1:])]
    return Quantity(start, m.end(), value, word_unit, hedged)


def _words(text: str, lang: str, pats: _Patterns, taken: list[Quantity]) -> list[Quantity]:
    """Word numbers, looked for only around their key words and outside the numbers found."""
    keys = _KEYS.get(lang)
    if keys is None:
        keys = _KEYS[lang] = re.compile("|".join(re.escape(k) for k in WORD_KEYS[lang]))
    low = text.lower()
    hits = [k.start() for k in keys.finditer(low)]
    if not hits:
        return []
    _, back, words = pats
    found: dict[int, Quantity] = {}
    n = len(text)
    starts = [q.start for q in taken]
    for i in hits:
        k = bisect_right(starts, i) - 1
        if (k < 0 or taken[k].end <= i) and not any(q.start <= i < q.end for q in found.values()):
            for wm in words.finditer(text, max(0, i - 24), min(n, i + 36)):
                if wm.start() <= i < wm.end() and wm.start() not in found:
                    found[wm.start()] = _word_quantity(wm, lang, text, back)
    return list(found.values())


def _recurrency(out: list[Quantity], pending: list[int], unit: str) -> None:
    """Give the cents at ``pending`` positions of ``out`` the currency ``unit``; empties ``pending``."""
    for k in pending:
        q = out[k]
        out[k] = Quantity(q.start, q.end, q.value, unit, q.approx, q.band)
    pending.clear()


def find_quantities(text: str, lang: str, *, currency: str | None = None) -> list[Quantity]:
    """Every quantity in ``text``, in text order, non-overlapping.

    ``lang`` (``en``, ``de``, ``es``) fixes the decimal separator and the words; others read as
    English. Values are scaled and subunits converted: "$1.2 billion" -> 1.2e9 USD, "26 cents" ->
    0.26 USD, "1,2 bis 1,4 Mrd. Euro" -> (1.2e9, 1.4e9) EUR, "ein Drittel" -> 33.33 %.

    Cents written without their currency ("9 Cent", "26 cents", "35 céntimos") take the currency of
    the last amount before them in ``text``, else of the first amount after them, else
    ``currency`` (e.g. the currency of the story's earlier sentences, when the caller reads a story
    sentence by sentence), else the language's default (en USD, de and es EUR).
    """
    if lang not in LANGS:
        lang = "en"
    pats = _patterns(lang)
    number, back, _ = pats
    out: list[Quantity] = []
    pos = 0
    last_currency: str | None = None  # "9 Cent" after dollars: US cents
    pending: list[int] = []  # cents seen before any amount in ``text``
    gate = GATE.search
    match = number.match
    while True:
        g = gate(text, pos)
        if g is None:
            break
        s = g.start()
        m = match(text, s)
        if m is None:
            pos = s + 1
            continue
        if m.group("skip") is not None:
            pos = m.end()
            continue
        q, pos = _quantity(text, m, lang, back)
        if q is not None:
            if out and q.start < out[-1].end:  # context reached back into the previous quantity
                q = Quantity(out[-1].end, q.end, q.value, q.unit, q.approx, q.band)
            unit = q.unit
            if unit is not None and unit in _CENT_CURRENCIES:
                if _BARE_CENTS.search(text, q.start, q.end):
                    if last_currency is None:
                        pending.append(len(out))
                    elif last_currency != unit:
                        q = Quantity(q.start, q.end, q.value, last_currency, q.approx, q.band)
                else:
                    last_currency = unit
                    if pending:  # cents before the first amount take its currency
                        _recurrency(out, pending, unit)
            out.append(q)
        pos = max(pos, s + 1)
    if pending and currency is not None and currency in _CENT_CURRENCIES:
        _recurrency(out, pending, currency)
    extra = _words(text, lang, pats, out)
    if not extra:
        return out
    merged: list[Quantity] = []
    for q in sorted((*out, *extra), key=lambda q: (q.start, -q.end)):
        if not merged or q.start >= merged[-1].end:
            merged.append(q)
    return merged
