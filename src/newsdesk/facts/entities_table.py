"""The name tables behind ``entities``: companies (the bundled symbol list plus
``data/facts/companies.tsv``), named indices and central banks (``data/facts/*.tsv``), per language
and first word, the related symbols' overlay, and the per-token plans the finder follows.

Hand-written for speed (the extractor's target is 1,000 stories a second): a dictionary keyed by a
name's first folded word, tried longest name first, with what each token may begin cached per
language. Kept apart from ``entities`` (the finder and the story-level resolution) so that neither
module passes the size the project allows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

COMPANY, INDEX, BANK, ANAPHOR = "company", "index", "bank", "anaphor"

_TOKEN = re.compile(r"[^\W_]+(?:[&'’.\-/+][^\W_]+)*")
#: single-word company names that are also ordinary words: matched only for related symbols
_GENERIC = frozenset(
    ["alarm", "ball", "block", "booking", "box", "cars", "city", "compass", "employers", "everest", "evolution", "fox", "gates", "hub", "integer", "interface", "investor", "match", "now", "news", "next", "noble", "partners", "phoenix", "pool", "progressive", "rational", "southern", "sto", "stride", "target", "universal", "orange", "sharp", "mitsubishi", "sumitomo", "deutsche", "united", "general", "first", "national", "american", "international", "energy", "global", "digital", "dana", "toho", "enact", "insperity", "stepan", "cewe", "dover", "indus", "wiley", "weir", "sage", "loews", "brady", "buckle", "deluxe", "hawkins", "scholastic", "elis", "sixt", "douglas", "rogers", "plexus", "match", "ventas", "resona", "norma", "moog", "besi", "hella", "investor", "kone", "zurich"])
#: names that belong to an index rather than the company sharing them
_INDEX_FIRST = frozenset({"nasdaq", "dow"})


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity named in a text: ``text[start:end]``, resolved to ``code`` (``""`` for an anaphor)."""

    start: int
    end: int
    code: str
    kind: str


@dataclass(frozen=True, slots=True)
class _Entry:
    words: tuple[str, ...]
    code: str
    kind: str
    cap: bool      # the text must capitalise the first word
    exact: str     # non-empty: the text must spell the first word exactly so (short all-caps names)


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """A word as names are compared: case-folded, accents dropped, typographic apostrophe plain
    (cached: the same words recur in every story)."""
    word = word.casefold().replace("’", "'")
    if not word.isascii():
        word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return word


def _words(name: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in _TOKEN.findall(name))


def _rows(filename: str) -> list[list[str]]:
    text = resources.files("newsdesk").joinpath(f"data/facts/{filename}").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return rows[1:]


def code_of_symbol(symbol: str) -> str:
    """``NASDAQ:NVDA`` -> ``NVDA``, ``NYSE:TM`` -> ``7203``, ``HKEX:700`` -> ``0700``, ``LSE:BP.`` -> ``BP``."""
    from newsdesk.tickers import lookup

    symbol = symbol.strip()
    bare = symbol.rpartition(":")[2].strip().lstrip("$")
    if bare in _extra_codes().values():  # the extra table knows this home code (TSE:9984 is SoftBank Group)
        return bare
    info = lookup(symbol) if ":" in symbol else None
    if info is not None:
        return _company_code(info.symbol)
    exchange, _, ticker = symbol.rpartition(":")
    ticker = ticker.strip().lstrip("$")
    extra = _extra_codes().get(ticker.upper())
    if extra:
        return extra
    return _company_code(f"{exchange}:{ticker}")


def _company_code(symbol: str) -> str:
    exchange, _, ticker = symbol.rpartition(":")
    ticker = ticker.rstrip(".")
    if exchange.upper() in {"HKEX", "HKG"} and ticker.isdigit():
        return ticker.zfill(4)
    return ticker


@lru_cache(maxsize=1)
def _extra_codes() -> dict[str, str]:
    """ADR and other codes of the extra table -> the home code."""
    out: dict[str, str] = {}
    for cells in _rows("companies.tsv"):
        code = cells[0]
        for alias in (cells[2].split("|") if len(cells) > 2 and cells[2] else ()):
            out.setdefault(alias.upper(), code)
        out.setdefault(code.upper(), code)
    return out


def _entry(name: str, code: str, kind: str) -> _Entry | None:
    words = _words(name)
    if not words:
        return None
    first = _TOKEN.findall(name)[0]
    exact = first if first.isupper() and len(first) <= 3 and kind == COMPANY else ""
    return _Entry(words, code, kind, cap=first[:1].isupper() or first[:1].isdigit(), exact=exact)


@lru_cache(maxsize=4)
def _base_table(lang: str) -> dict[str, tuple[_Entry, ...]]:
    """First word -> entries starting with it, longest first (companies, then indices and banks win ties)."""
    from newsdesk.tickers import companies

    entries: dict[tuple[str, ...], _Entry] = {}
    col = {"en": 1, "de": 2, "es": 3}.get(lang, 1)
    for filename, kind in (("indices.tsv", INDEX), ("central_banks.tsv", BANK)):
        for cells in _rows(filename):
            names = set(cells[col].split("|")) | set(cells[1].split("|"))
            for name in names:
                e = _entry(name, cells[0], kind)
                if e:
                    entries.setdefault(e.words, e)
    for cells in _rows("companies.tsv"):
        for name in cells[1].split("|"):
            e = _entry(name, cells[0], COMPANY)
            if e and not (len(e.words) == 1 and e.words[0] in _GENERIC):
                entries.setdefault(e.words, e)
    for info in companies():
        code = _company_code(info.symbol)
        for name in (info.name, *info.aliases):
            e = _entry(name, code, COMPANY)
            if e is None or (len(e.words) == 1 and e.words[0] in _GENERIC | _INDEX_FIRST):
                continue
            entries.setdefault(e.words, e)
    if lang == "de":  # "Aktien der Deutschen Pfandbriefbank": the name's leading adjective declines
        for words, e in list(entries.items()):
            if e.kind == COMPANY and len(words) > 1 and words[0] == "deutsche":
                entries.setdefault(("deutschen", *words[1:]), replace(e, words=("deutschen", *words[1:])))
    return _by_first(entries.values())


def _by_first(entries: Iterable[_Entry]) -> dict[str, tuple[_Entry, ...]]:
    table: dict[str, list[_Entry]] = {}
    for e in entries:
        table.setdefault(e.words[0], []).append(e)
    return {k: tuple(sorted(v, key=lambda e: -len(e.words))) for k, v in table.items()}


@lru_cache(maxsize=4)
def _lower_firsts(lang: str) -> frozenset[str]:
    """First words of the names a text may write in lower case ("selectivo español", "índice Nasdaq")."""
    out: set[str] = set()
    for entries in _base_table(lang).values():
        for e in entries:
            if not e.cap:
                out.add(e.words[0])
    return frozenset(out)


@lru_cache(maxsize=8)
def _starts(lang: str, digits: bool = False) -> re.Pattern[str]:
    """Where a token that may begin a name starts: a token start (not after a word character, nor
    after a joiner glued to one) whose first character is not an ASCII lower-case letter, or is the
    first letter of a name written in lower case followed by its second (any case) or a non-ASCII
    letter. The finder checks each start exactly; this only skips the tokens that cannot match.
    Unless ``digits`` (a related or learned name begins with a digit), a token led by an ASCII
    digit is visited only when the table has a name it may begin ("3M", "1&1"): numbers are not."""
    seconds: dict[str, set[str]] = {}
    for word in _lower_firsts(lang):
        if "a" <= word[0] <= "z":
            second = word[1:2]
            seconds.setdefault(word[0], set()).update((second, second.upper()) if second else ())
    lows = "|".join(
        re.escape(c) + (f"(?=[{re.escape(''.join(sorted(v)))}]|[^\\x00-\\x7f])" if v else "")
        for c, v in sorted(seconds.items()))
    if not digits:
        led = sorted({k[:2] for k in _base_table(lang) if "0" <= k[:1] <= "9"})
        lows = "|".join([*(re.escape(k[0]) + (f"(?=[{re.escape(k[1] + k[1].upper())}]|[^\\x00-\\x7f])"
                                                if len(k) > 1 else "") for k in led), *([lows] if lows else [])])
    first = "[^\\W_a-z]" if digits else "[^\\W_a-z0-9]"
    head = r"(?<![^\W_])(?<![^\W_][&'’.\-/+])(?=" + first + (f"|{lows}" if lows else "") + ")"
    return re.compile(head + _TOKEN.pattern)


@lru_cache(maxsize=65536)
def _candidates(lang: str, raw: str) -> tuple[str, ...]:
    """The table keys a token may stand for: its folded form, without a possessive or German
    genitive "s", and (German) the part before a hyphen ("SAP-Aktie")."""
    if not (raw[:1].isalpha() or raw[:1].isdigit()):
        return ()
    key = fold(raw)
    candidates = [key]
    if key.endswith("'s"):
        candidates.append(key[:-2])
    elif lang == "de" and len(key) > 4 and key.endswith("s"):
        candidates.append(key[:-1])
    if "-" in key and lang == "de":  # "SAP-Aktie", "Siemens-Chef"
        candidates.append(key.split("-", 1)[0])
    return tuple(candidates)


def _usable(table: dict[str, tuple[_Entry, ...]], candidates: tuple[str, ...], raw: str) -> tuple[_Entry, ...]:
    """The entries of ``table`` a token ``raw`` may begin, in the order they are tried (the checks
    that need only the token itself are done here)."""
    cap = raw[:1].isupper() or raw[:1].isdigit()
    return tuple(e for c in candidates for e in table.get(c, ())
                 if (not e.exact or raw.startswith(e.exact)) and (cap or not e.cap) and e.words[0] == c)


_Plan = tuple[tuple[_Entry, ...], tuple[str, ...]]
_PLANS: dict[str, dict[str, _Plan]] = {}  # per language: token -> (table entries it may begin, candidates)
_NO_PLAN: _Plan = ((), ())


def _base_plan(lang: str, raw: str) -> _Plan:
    """What the bundled table says about token ``raw``: the entries it may begin and its candidate
    keys (both empty for a lower-case word no name starts with). Cached per language (bounded)."""
    plans = _PLANS.setdefault(lang, {})
    got = plans.get(raw)
    if got is None:
        if raw[0].islower() and raw.lower() not in _lower_firsts(lang) and (
                raw.isascii() or fold(raw) not in _lower_firsts(lang)):
            got = _NO_PLAN
        else:
            candidates = _candidates(lang, raw)
            got = (_usable(_base_table(lang), candidates, raw), candidates)
        if len(plans) > 100_000:
            plans.clear()
        plans[raw] = got
    return got


@lru_cache(maxsize=1)
def _extra_names() -> dict[str, list[str]]:
    """Home code -> names, from the extra table (read once: every story's related symbols look here)."""
    return {cells[0]: cells[1].split("|") for cells in _rows("companies.tsv")}


@lru_cache(maxsize=256)
def _related(symbols: tuple[str, ...]) -> tuple[tuple[str, ...], dict[str, tuple[_Entry, ...]]]:
    """The related symbols' codes and an overlay table of their names and tickers."""
    from newsdesk.tickers import lookup

    codes: list[str] = []
    entries: dict[tuple[str, ...], _Entry] = {}
    extra_names = _extra_names()
    for symbol in symbols:
        if not isinstance(symbol, str) or not symbol.strip() or len(symbol) > 80:
            continue
        code = code_of_symbol(symbol)
        if not code or code in codes:
            continue
        codes.append(code)
        info = lookup(symbol) if ":" in symbol else None
        names = [*extra_names.get(code, ())]
        tickers = [code, symbol.rpartition(":")[2].strip().lstrip("$")]
        if info is not None:
            names += [info.name, *info.aliases]
            tickers += [s.rpartition(":")[2] for s in info.all_symbols]
        for name in names:
            e = _entry(name, code, COMPANY)
            if e:
                entries[e.words] = _Entry(e.words, code, COMPANY, cap=True, exact="")
        for ticker in tickers:
            ticker = ticker.rstrip(".")
            if len(ticker) >= 2 and ticker.upper() == ticker:
                words = _words(ticker)
                if words:
                    entries.setdefault(words, _Entry(words, code, COMPANY, cap=True, exact=ticker))
    return tuple(codes), _by_first(entries.values())


@lru_cache(maxsize=1)
def index_codes() -> frozenset[str]:
    """The codes of the named indices."""
    return frozenset(cells[0] for cells in _rows("indices.tsv"))


@lru_cache(maxsize=1)
def bank_codes() -> frozenset[str]:
    """The codes of the central banks."""
    return frozenset(cells[0] for cells in _rows("central_banks.tsv"))
