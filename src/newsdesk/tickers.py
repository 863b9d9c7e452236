"""Tickers in story text: cashtags, exchange notations and ``Company (TICKER)``, checked against a list.

:func:`find_symbols` returns TradingView-style ``EXCHANGE:TICKER`` symbols (the shape of
TradingView's related symbols, so both feed the same ticker pages) in order of first appearance.
Three forms count, and only when the ticker is in the bundled list of listed companies
(``data/symbols/symbols.tsv``, written by ``tools/make_symbols.py``; see docs/tickers.md):

- a cashtag, ``$AMZN``: the company's home listing (``$SAP`` -> ``XETR:SAP``);
- an exchange notation, ``NASDAQ: AMZN``, ``(NYSE:IBM)``, ``Xetra: SAP``, ``LSE: BP.``: that listing;
- a bare ticker in parentheses right after the company's name, ``Apple Inc. (AAPL)``: the home listing.

Tickers are upper case, whole words; a bare upper-case word never counts ("IT", "CEO", "A").

Hand-written rather than a library: no maintained package extracts tickers from prose against
an offline list. One compiled regex finds every candidate in one pass; its branches use only
bounded repeats and fixed-width look-behinds, so time is linear in the text (no backtracking
blow-up), and the only I/O is the one lazy read of the bundled list.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

__all__ = ["SymbolInfo", "canonical_exchange", "companies", "data_source", "find_symbols", "lookup"]

US_EXCHANGES = frozenset({"NASDAQ", "NYSE", "AMEX"})
#: Listings that are the same market for validation: a notation naming one finds the others.
FAMILIES = (US_EXCHANGES, frozenset({"XETR", "FWB"}))

#: Exchange names as press releases and news write them -> TradingView prefix. Matched with this
#: exact case or all upper case (never lower case: "six: ..." is a word, not SIX).
EXCHANGE_ALIASES: dict[str, str] = {
    **{a: "NASDAQ" for a in ("NASDAQ", "Nasdaq", "NasdaqGS", "NasdaqGM", "NasdaqCM", "Nasdaq GS",
                              "Nasdaq Global Select Market", "Nasdaq Global Market",
                              "Nasdaq Capital Market", "Nasdaq Stock Market")},
    **{a: "NYSE" for a in ("NYSE", "New York Stock Exchange")},
    **{a: "AMEX" for a in ("AMEX", "Amex", "NYSE American", "NYSE Arca", "NYSE MKT", "NYSEAMERICAN",
                            "NYSEARCA", "NYSE Amex")},
    **{a: "OTC" for a in ("OTC", "OTCQX", "OTCQB", "OTCPK", "OTC Pink", "OTC Markets", "OTCMKTS")},
    **{a: "XETR" for a in ("XETR", "Xetra", "XETRA", "ETR")},
    **{a: "FWB" for a in ("FWB", "FRA", "Frankfurt", "Frankfurt Stock Exchange", "Börse Frankfurt")},
    **{a: "LSE" for a in ("LSE", "LON", "London", "London Stock Exchange", "AIM", "LSE AIM")},
    **{a: "EURONEXT" for a in ("EURONEXT", "Euronext", "Euronext Paris", "Euronext Amsterdam",
                                "Euronext Brussels", "Euronext Lisbon", "Euronext Dublin", "EPA", "AMS",
                                "EBR", "ELI", "ENXTPA", "ENXTAM", "ENXTBR", "ENXTLS")},
    **{a: "BME" for a in ("BME", "BMAD", "Bolsa de Madrid", "Madrid Stock Exchange", "MCE")},
    **{a: "SIX" for a in ("SIX", "SWX", "SIX Swiss Exchange", "VTX")},
    **{a: "TSE" for a in ("TSE", "TYO", "Tokyo Stock Exchange")},
    **{a: "TSX" for a in ("TSX", "Toronto Stock Exchange")},
    **{a: "TSXV" for a in ("TSXV", "TSX Venture", "TSX-V")},
    **{a: "OMXSTO" for a in ("OMXSTO", "Nasdaq Stockholm", "STO")},
    **{a: "OMXHEX" for a in ("OMXHEX", "Nasdaq Helsinki", "HEL")},
    **{a: "OMXCOP" for a in ("OMXCOP", "Nasdaq Copenhagen", "CPH")},
    **{a: "OSL" for a in ("OSL", "Oslo Børs", "Euronext Oslo")},
    **{a: "MIL" for a in ("MIL", "BIT", "Borsa Italiana", "Euronext Milan")},
}
EXCHANGE_ALIASES.update({alias.upper(): ex for alias, ex in list(EXCHANGE_ALIASES.items())})

_TICKER = r"[A-Z0-9]{1,6}+(?:[._\-/][A-Z0-9]{1,3}+)?"
_BLANK = r"[ \t\u00a0]"
_SPACE = _BLANK + "{0,3}+"
#: Every branch starts with one literal character class ($, an upper-case letter, "("), so the
#: regex engine skips the rest of the text quickly; checks on the character before a match are
#: look-behinds after that first character, or done in Python (exchange names, which are matched
#: as up to four words before a colon and then looked up, not as ~200 alternatives).
_PATTERN = re.compile(
    r"\$(?<![\w$&/.@#=?%+\-]\$)(?P<cash>[A-Z]{1,6}+(?:[.\-/][A-Z]{1,2}+)?)(?![\w$])"
    rf"|(?P<ex>[A-Z][\w\-]{{1,12}}+(?:{_BLANK}{{1,3}}+[\w\-]{{1,12}}+){{0,3}}+){_SPACE}:"
    rf"(?P<sp>{_SPACE})(?P<xt>{_TICKER})\.?(?![\w&])"
    rf"|\((?<![\w/]\()(?P<pt>{_TICKER})\.?\)")
#: Characters that may not stand right before an exchange name ("PETR:", "/NASDAQ:" in a URL).
_NOT_BEFORE_EXCHANGE = frozenset("/.@#=?%&-_$")
_LIST_TAIL = re.compile(rf"(?:{_SPACE}(?:,|;|and|&){_SPACE}{_TICKER}\.?){{1,20}}+{_SPACE}\)")
_TAIL_TICKER = re.compile(_TICKER)
_WORD_AFTER = re.compile(r"[ \t\u00a0]+\w")
_NAME_JUNK = re.compile(r"[^\w&]+|_")
_LEGAL_WORDS = frozenset(
    "inc incorporated corp corporation co company plc p l c ag se sa s a nv n v ltd limited llc lp "
    "holdings holding group gmbh kgaa spa asa ab oyj oy com the".split())
#: Reuters/Yahoo suffixes a parenthesised ticker may carry ("AAPL.O", "BP.L", "SAP.DE").
_QUOTE_SUFFIXES = frozenset("O OQ N K L DE F PA AS BR MC S SW T HE ST MI TO".split())


class SymbolInfo(NamedTuple):
    """One listed company of the bundled list.

    ``symbol`` is its home listing (``EXCHANGE:TICKER``) -- or, for the few companies whose home
    listing the source does not give (``home`` False), its first US or other listing. ``adrs``
    are US depositary/OTC codes of a non-US company, ``listings`` its other listings. ``guessed``
    marks a US home exchange inferred from the ticker's length (see docs/tickers.md).
    """

    symbol: str
    name: str
    aliases: tuple[str, ...]
    country: str
    isins: tuple[str, ...]
    adrs: tuple[str, ...]
    listings: tuple[str, ...]
    indices: tuple[str, ...]
    home: bool
    guessed: bool

    @property
    def exchange(self) -> str:
        return self.symbol.partition(":")[0]

    @property
    def ticker(self) -> str:
        return self.symbol.partition(":")[2]

    @property
    def all_symbols(self) -> tuple[str, ...]:
        """Every listing of the company, home first."""
        return (self.symbol, *self.adrs, *self.listings)


class _Table(NamedTuple):
    source: str
    companies: tuple[SymbolInfo, ...]
    by_listing: dict[str, tuple[str, SymbolInfo]]  # "EXCHANGE:KEY" -> (listed symbol, company)
    by_cashtag: dict[str, SymbolInfo]  # ticker key -> company (ambiguous tickers left out)
    by_ticker: dict[str, tuple[SymbolInfo, ...]]  # ticker key -> every company listing it
    names: dict[int, tuple[str, ...]]  # id(company) -> its name forms, normalised (filled lazily)


def _key(ticker: str) -> str:
    """A ticker as the list and the text may both spell it: ``BP.``, ``BRK-B``, ``VOLV_B``."""
    return ticker.upper().rstrip(".").replace("_", ".").replace("-", ".").replace("/", ".")


def _name_key(text: str) -> str:
    """Lower-case words of a name, legal-form words at the end and "the" in front dropped."""
    words = _NAME_JUNK.sub(" ", text.casefold()).split()
    while words and words[-1] in _LEGAL_WORDS:
        words.pop()
    while words and words[0] == "the":
        words.pop(0)
    return " ".join(words)


def _split(cell: str, sep: str) -> tuple[str, ...]:
    return tuple(cell.split(sep)) if cell else ()


def _parse(text: str) -> _Table:
    lines = text.splitlines()
    source = lines[0].lstrip("# ").strip() if lines and lines[0].startswith("#") else ""
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")][1:]
    companies = []
    for cells in rows:
        symbol, name, aliases, country, isins, adrs, listings, indices, flags = (cells + [""] * 9)[:9]
        adr_t, other_t = _split(adrs, " "), _split(listings, " ")
        if not symbol:
            if not (adr_t or other_t):
                continue
            symbol = (adr_t or other_t)[0]
            adr_t, other_t = adr_t[1:] if adr_t else adr_t, other_t if adr_t else other_t[1:]
        companies.append(SymbolInfo(symbol, name, _split(aliases, "|"), country, _split(isins, " "), adr_t,
                                    other_t, _split(indices, "|"), flags.startswith("home"), "~" in flags))
    return _index(source, tuple(companies))


def _index(source: str, companies: tuple[SymbolInfo, ...]) -> _Table:
    by_listing: dict[str, tuple[str, SymbolInfo]] = {}
    by_ticker: dict[str, dict[int, SymbolInfo]] = {}
    cash: dict[str, dict[int, tuple[int, SymbolInfo]]] = {}
    for info in companies:  # home listings first, so they win a listing shared with another row
        by_listing.setdefault(f"{info.exchange}:{_key(info.ticker)}", (info.symbol, info))
    for info in companies:
        ident = id(info)
        for listed in info.all_symbols:
            exchange, _, ticker = listed.partition(":")
            key = _key(ticker)
            by_listing.setdefault(f"{exchange}:{key}", (listed, info))
            by_ticker.setdefault(key, {})[ident] = info
            # a cashtag is US usage: a US listing first, then OTC, then a home listing elsewhere if
            # 3+ characters long ("$AI" is C3.ai to its writers, not Air Liquide's EURONEXT:AI)
            rank = 0 if exchange in US_EXCHANGES else 1 if exchange == "OTC" else \
                2 if listed == info.symbol and len(key) >= 3 else 3
            if rank < 3:
                ranks = cash.setdefault(key, {})
                if ident not in ranks or ranks[ident][0] > rank:
                    ranks[ident] = (rank, info)
    by_cashtag = {}
    for key, found in cash.items():
        best = min(rank for rank, _ in found.values())
        winners = [info for rank, info in found.values() if rank == best]
        if len(winners) == 1:
            by_cashtag[key] = winners[0]
    return _Table(source, companies, by_listing, by_cashtag,
                  {k: tuple(v.values()) for k, v in by_ticker.items()}, {})


def _forms(table: _Table, info: SymbolInfo) -> tuple[str, ...]:
    """The company's name and aliases, normalised (computed on first use)."""
    forms = table.names.get(id(info))
    if forms is None:
        forms = tuple(f for f in dict.fromkeys(_name_key(n) for n in (info.name, *info.aliases)) if f)
        table.names[id(info)] = forms
    return forms


@lru_cache(maxsize=1)
def _table() -> _Table:
    from importlib import resources  # here, not at import: most importers never look a ticker up

    text = resources.files("newsdesk").joinpath("data/symbols/symbols.tsv").read_text(encoding="utf-8")
    return _parse(text)


def data_source() -> str:
    """The list's header line: its source, version and generation date."""
    return _table().source


def companies() -> tuple[SymbolInfo, ...]:
    """Every company of the bundled list (for entity tables)."""
    return _table().companies


def canonical_exchange(name: str) -> str | None:
    """The TradingView prefix of an exchange name as text writes it (``Xetra`` -> ``XETR``)."""
    if not isinstance(name, str):
        return None
    return EXCHANGE_ALIASES.get(" ".join(name.split()))


def _listed(table: _Table, exchange: str, ticker: str) -> tuple[str, SymbolInfo] | None:
    """The listed symbol of ``ticker`` on ``exchange`` (or its family) and its company, or None.

    A notation naming another exchange of the family (NYSE for a NASDAQ listing, Frankfurt for a
    Xetra one) finds the listed symbol, except where the list only guessed the company's US
    exchange: there the text's exchange is taken.
    """
    key = _key(ticker)
    hit = table.by_listing.get(f"{exchange}:{key}")
    if hit:
        return hit
    for family in FAMILIES:
        if exchange in family:
            for other in sorted(family - {exchange}):
                hit = table.by_listing.get(f"{other}:{key}")
                if hit and hit[1].guessed and hit[0] == hit[1].symbol:
                    return f"{exchange}:{hit[1].ticker}", hit[1]
                if hit:
                    return hit
    return None


def lookup(ticker_or_symbol: str) -> SymbolInfo | None:
    """The company of ``AMZN``, ``$AMZN``, ``NYSE:SAP`` or ``Nasdaq: AMZN``; None when not listed."""
    if not isinstance(ticker_or_symbol, str) or len(ticker_or_symbol) > 80:
        return None
    table = _table()
    exchange_name, colon, ticker = ticker_or_symbol.strip().rpartition(":")
    if colon:
        exchange = canonical_exchange(exchange_name) or exchange_name.strip().upper()
        hit = _listed(table, exchange, ticker.strip())
        return hit[1] if hit else None
    return table.by_cashtag.get(_key(ticker.removeprefix("$")))


def _after_name(table: _Table, text: str, start: int, raw: str) -> SymbolInfo | None:
    """The company whose name ends right before ``(`` at ``start`` and lists ``raw``, if any."""
    keys = [_key(raw)]
    base, dot, suffix = raw.rpartition(".")
    if dot and suffix in _QUOTE_SUFFIXES:
        keys.append(_key(base))
    candidates = [info for key in keys for info in table.by_ticker.get(key, ())]
    if not candidates:
        return None
    before = _name_key(text[max(0, start - 120):start])
    if not before:
        return None
    for info in candidates:
        for form in _forms(table, info):
            if before == form or before.endswith(" " + form):
                return info
    return None


def find_symbols(text: str) -> tuple[str, ...]:
    """``EXCHANGE:TICKER`` symbols of the listed companies named in ``text``, first appearance first."""
    if not isinstance(text, str) or not ("$" in text or ":" in text or "(" in text):
        return ()
    table = _table()
    found: dict[str, None] = {}
    for match in _PATTERN.finditer(text):
        cash, exchange_name, paren = match.group("cash"), match.group("ex"), match.group("pt")
        if cash is not None:
            info = table.by_cashtag.get(_key(cash))
            if info:
                found.setdefault(info.symbol)
        elif exchange_name is not None:
            for symbol in _notation(text, match):
                found.setdefault(symbol)
        elif paren is not None:
            info = _after_name(table, text, match.start(), paren)
            if info:
                found.setdefault(info.symbol)
    return tuple(found)


@lru_cache(maxsize=1024)
def _exchange_name(raw: str) -> tuple[str, int] | None:
    """The exchange named at the end of ``raw`` (up to four words before a colon) and its offset."""
    words = raw.split()
    for i in range(len(words)):
        exchange = EXCHANGE_ALIASES.get(" ".join(words[i:]))
        if exchange is not None:
            return exchange, raw.rindex(words[i]) if i else 0
    return None


@lru_cache(maxsize=8192)
def _listing(exchange: str, ticker: str) -> str | None:
    hit = _listed(_table(), exchange, ticker)
    return hit[0] if hit else None


def _notation(text: str, match: re.Match[str]) -> list[str]:
    """Listed symbols of an exchange notation: ``NASDAQ: AMZN``, ``(NYSE: BRK.A, BRK.B)``."""
    named = _exchange_name(match.group("ex"))
    if named is None:
        return []
    exchange, offset = named
    start = match.start() + offset
    before = text[start - 1] if start else " "
    if before.isalnum() or before in _NOT_BEFORE_EXCHANGE:
        return []  # "PETR: X", a URL's "/NASDAQ:AMZN"
    in_parens = text[max(0, start - 4):start].rstrip(" \t\u00a0").endswith("(")
    if not in_parens and match.group("sp") and _WORD_AFTER.match(text, match.end("xt")):
        return []  # "Nasdaq: AI stocks rally": a heading, not a notation
    tickers = [match.group("xt")]
    if in_parens:
        tail = _LIST_TAIL.match(text, match.end())
        if tail:
            tickers += _TAIL_TICKER.findall(tail.group(0))
    return [symbol for symbol in (_listing(exchange, ticker) for ticker in tickers) if symbol]
