"""The regular expressions of :mod:`newsdesk.facts.numbers`, built once per language from the
vocabulary in :mod:`newsdesk.facts.numbers_words` (hand-written for the reasons given there).

Alternations of literal words are emitted as prefix trees, and each pattern starts where the regex
engine can skip cheaply to candidates (a digit or currency sign), because the extractor must read
about a thousand stories a second on one core.
"""

from __future__ import annotations

import re

from newsdesk.facts.numbers_words import (
    BANDS,
    BETWEEN,
    DOLLAR_PREFIXES,
    DOTTED_SCALES,
    EN_MONTH_WORDS,
    HEDGES,
    INDEX_WORDS,
    POST_UNITS,
    PREFIX_CURRENCIES,
    RANGE_AND,
    RANGE_TO,
    RANK_WORDS,
    SCALES,
    SIGN_WORDS,
    SKIP_COMMON,
    SKIP_LANG,
    SPELLED,
    WORD_NUMBERS,
)


def _trie(words: list[str]) -> str:
    """A regex alternation of literal words built as a prefix tree, so that the matcher tries one
    branch per first letter instead of one per word (the patterns run case-insensitively)."""
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = tree
        for ch in word.lower():
            node = node.setdefault(ch, {})
        node[""] = {}
    return _emit(tree)


def _emit(node: dict) -> str:  # type: ignore[type-arg]
    end = "" in node
    branches = []
    for ch in sorted(k for k in node if k):
        piece = r"\s+" if ch == " " else re.escape(ch)
        rest = node[ch]
        # a run of spaces in the text is one "\s+": skip the duplicate space children
        branches.append(piece + _emit(rest) if set(rest) != {""} else piece)
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if end:
        return "(?:" + body + ")?" if len(branches) > 1 or len(body) > 1 else body + "?"
    return body


def fast_alternation(words: object) -> str:
    """:func:`_alt` for a pattern compiled *without* IGNORECASE: the first letter is a class of both
    cases and the rest a case-insensitive group, so that the engine's quick first-character test
    (which only works for case-sensitive literals and classes) rejects most branches at once."""
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in sorted(set(words)):  # type: ignore[call-overload]
        node = tree
        for ch in word.lower():
            node = node.setdefault(ch, {})
        node[""] = {}
    branches = []
    for ch in sorted(k for k in tree if k):
        first = re.escape(ch) if ch.upper() == ch.lower() or len(ch.upper()) > 1 else f"[{ch}{ch.upper()}]"
        rest = _emit(tree[ch]) if set(tree[ch]) != {""} else ""
        branches.append(first + (f"(?i:{rest})" if rest else ""))
    return "(?:" + "|".join(branches) + ")"


def _alt(words: object) -> str:
    """An alternation of literal words (longest match preferred), inner spaces matching any whitespace."""
    return "(?:" + _trie(sorted(set(words))) + ")"  # type: ignore[call-overload]


#: for the other modules' literal alternations
alternation = _alt


def _rev_alt(words: object) -> str:
    """:func:`_alt` of the words written backwards (for matching the text before a number reversed)."""
    return _alt({w[::-1] for w in words})  # type: ignore[attr-defined]


def _num_pattern(lang: str) -> str:
    if lang == "en":
        return r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
    spaced = (r"(?<![\w.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?(?=\s?(?:Millionen|Milliarden|Mio\.|Mrd\.|"
              r"Euro|Franken|Dollar|Punkte|Zähler|millones|euros|dólares|puntos))|")  # "31 250 Millionen Franken"
    return spaced + r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3})+\.\d+|\d+,\d+|\d+(?:\.\d+)?"


def _scale_pattern(lang: str) -> str:
    words = list(SCALES[lang])
    return _alt([*words, *(w + "." for w in words if w in DOTTED_SCALES)])


def _post_pattern(lang: str) -> str:
    # "p" (pence) is matched separately: only glued to the number and not "p.m.".
    return _alt(w for w in POST_UNITS[lang] if w != "p")


_END = r"(?![\w$€£¥])"


def _quantity(lang: str, i: int) -> str:
    """One number with its sign, currency sign, scale and unit; group names end with ``i``."""
    de = r"(?:de\s+)?" if lang == "es" else ""
    pre = r"[$€£¥]" if i == 1 else r"(?:US|HK)?\$|[€£¥]"
    return (
        rf"(?P<q{i}>(?P<sg{i}>[-−+](?=[\d$€£¥.]))?"
        rf"(?:(?P<pre{i}>{pre})\s?)?(?P<sh{i}>[-−])?"
        rf"(?P<n{i}>{_num_pattern(lang)})"
        rf"(?:(?P<sl{i}>bn|mn|[tbmk]){_END}|\s?(?P<sc{i}>{_scale_pattern(lang)}){_END})?"
        rf"(?:(?P<pc{i}>p)(?!\w|\.\w)|(?:\s?|-(?=cents?\b)){de}(?P<u{i}>{_post_pattern(lang)}){_END})?"
        rf"(?![\w$€£¥]|[.,]\d))"
    )


def _band(lang: str) -> str:
    return (rf",?\s*(?:{_alt(BANDS[lang])})\s*(?:[$€£¥])?\s?(?:{_num_pattern(lang)})"
            rf"(?:\s?(?:{_scale_pattern(lang)}))?(?:\s?(?:{_post_pattern(lang)}))?(?![\w$€£¥]|[.,]\d)")


#: Where a number match can start: a digit, a currency sign, or a sign or "(" before one. It opens
#: with one character class, so that the regex engine skips to candidates without entering the
#: matcher; a hyphen inside a word ("third-quarter") is no candidate.
GATE = re.compile(r"[\d$€£¥+\-−(](?:(?<=[\d$€£¥])|(?=[\d$€£¥(.]))")


def number_regex(lang: str) -> re.Pattern[str]:
    """Matched at a :data:`GATE` position: a date/time/phone (``skip``) or a quantity with its range
    ("X - Y", "X to Y", "X and Y") and band ("plus or minus Z")."""
    skip = "|".join((*SKIP_COMMON, *SKIP_LANG[lang]))
    # an ISO code glued to the number ("EUR1.2bn"); the code itself is read by back_regex
    glued = "|".join(f"(?<={code})" for code in ("USD", "EUR", "GBP", "JPY", "CHF", "HKD"))
    seps = rf"(?P<rs>\s?[-–—]\s?|\s+(?P<rw>{_alt((*RANGE_TO[lang], *RANGE_AND[lang]))})\s+)"
    pattern = (
        rf"(?:(?<![\w$€£¥])(?<!\d[.,])|(?=[$€£¥])|{glued})(?:"
        rf"(?P<skip>{skip})"
        rf"|{_quantity(lang, 1)}(?:{seps}{_quantity(lang, 2)})?(?P<band>{_band(lang)})?"
        rf")"
    )
    return re.compile(pattern, re.IGNORECASE)


def back_regex(lang: str) -> re.Pattern[str]:
    """Matched at the start of the reversed text before a number: a month, index or rank word
    (``bm``, ``bi``, ``br``), else an optional currency code (``pre``), sign word (``sw``),
    "between" (``bt``) and hedge (``h``), in reverse order."""
    codes = _rev_alt(k for k in PREFIX_CURRENCIES if k[0].isalpha() and "$" not in k)
    month_words = EN_MONTH_WORDS if lang == "en" else ()
    article = r"(?:\s+(?:nu|anu))?" if lang == "es" else ""
    parts = [rf"{article}\s*(?P<bd>{_rev_alt(BANDS[lang])})(?!\w)",
             rf"\s+\.?(?P<bm>{_rev_alt(month_words) if month_words else '(?!)'})(?!\w)"]
    parts.append(rf"[\s-]?(?P<bi>{_rev_alt(INDEX_WORDS)})(?!\w)")
    parts.append(rf"\s*(?P<br>{_rev_alt(RANK_WORDS[lang])})(?!\w)")
    head = "|".join(parts)
    return re.compile(
        rf"(?:{head}"
        rf"|(?:(?:(?P<dp>{_rev_alt(DOLLAR_PREFIXES)})|\s?(?P<pre>{codes}))(?!\w))?"
        rf"(?:\s+(?P<sw>{_rev_alt(SIGN_WORDS[lang])})(?!\w)(?!\s+la(?!\w)))?"  # "al menos" is a hedge
        rf"(?:\s+(?P<bt>{_rev_alt(BETWEEN[lang])})(?!\w))?(?:{article}\s+(?P<h>{_rev_alt(HEDGES[lang])})(?![\w.]))?)",
        re.IGNORECASE)


def words_regex(lang: str) -> re.Pattern[str]:
    """Fractions, fixed phrases ("break even", "a penny") and spelled numbers with a unit (hedges
    before them are read with :func:`back_regex`)."""
    words = "|".join(f"(?P<w{k}>{pat})" for k, (pat, _, _) in enumerate(WORD_NUMBERS[lang]))
    de = r"(?:de\s+)?" if lang == "es" else ""
    units = _alt(w for w, (unit, _) in POST_UNITS[lang].items() if unit != "points" and len(w) > 2)
    spelled = (rf"(?P<spn>{_alt(SPELLED[lang])})\s+(?:(?P<sps>{_scale_pattern(lang)})\s+)?"
               rf"{de}(?P<spu>{units}){_END}")
    return re.compile(rf"(?<![\w])(?:(?:{words})(?!\w)|{spelled})", re.IGNORECASE)
