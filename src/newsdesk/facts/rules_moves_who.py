"""Who a share move belongs to when the mention nearest its number is not the mover (for
``rules_moves``): an index named only as where a company ranks ("the top gainer in the Dow"), an
exchange prefix ("(NASDAQ: INTC)"), a list item no table names ("... y Talgo un 0,9%"), a company
named after a noun-phrase move ("a 17% gain for Alphabet"), and the scope cues a move needs (a sector
index, a move since an event). Kept apart from ``rules_moves`` so that neither module grows past the
size the project allows."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

from newsdesk.facts.entities import COMPANY, INDEX, fold
from newsdesk.facts.model import CURRENCIES
from newsdesk.facts.numbers import Quantity
from newsdesk.facts.rules import compile_fast
from newsdesk.facts.rules_sentence import Sentence

#: an index named as where a company ranks: "the top gainer in the Dow", "the DAX's best performer",
#: "el valor más alcista del Ibex 35", "war im Dax mit plus 3 Prozent Spitzenreiter"
_IN_INDEX = compile_fast(r"(?:\b(?:in|on|of|off|among|across)\s+the|\b(?:im|unter den \w+ im|del|dentro del|entre los "
                         r"valores del|de los valores del))\s+$")
_INDEX_OWNS = compile_fast(r"(?:'s|’s)\s")
#: the index only says where the shares are listed: "die im Dax notierte Aktie", "die im MDax gelisteten Papiere"
_LISTED_SHARE = compile_fast(r"\s+(?:notierte|gelistete|geführte|enthaltene)\w*\s+(?:Aktie|Papier|Titel|Wert|Anteilsschein)\w*")
_RELATIVE_AFTER = compile_fast(r",\s*(?:which|that|where|que|el cual|la cual|der|die|das|welcher|welche|wo)\b")


_EXCHANGE_COLON = compile_fast(r"\s*:\s*([A-Z0-9.]{1,8})\s*\)", 0)


def listed_on(s: Sentence, q: Quantity, index: str) -> str | None:
    """"Intel (NASDAQ: INTC) shares rose 2%": an exchange prefix, not the index; the company before it."""
    for m in s.mentions:
        if m.end <= q.start and s.code(m) == index and s.text.startswith("(", max(0, m.start - 1)) \
                and (ticker := _EXCHANGE_COLON.match(s.text, m.end)):
            before = [c for c in s.mentions if c.kind == COMPANY and c.end <= m.start]
            return s.code(before[-1]) if before else ticker.group(1)
    return None


def placed_in_index(s: Sentence, q: Quantity, index: str) -> str | None:
    """The company a move belongs to when the index before it only says where the company ranks."""
    text = s.text
    marks = [m for m in s.mentions if m.kind == INDEX and s.code(m) == index and m.end <= q.start]
    if not marks:
        return None
    m = marks[-1]
    if not (_IN_INDEX.search(text, max(0, m.start - 30), m.start) or _INDEX_OWNS.match(text, m.end)
            or text.endswith(("'s", "’s"), m.start, m.end)):
        return None
    if _RELATIVE_AFTER.search(text, m.end, q.start) or ";" in text[m.end:q.start]:
        return None  # "... on the S&P 500, which slipped 0.3%": the index's own move
    companies = [c for c in s.mentions if c.kind == COMPANY and c.end <= m.start and ";" not in text[c.end:m.start]]
    if not companies and _LISTED_SHARE.match(text, m.end):
        return s.ctx.prev_company or s.ctx.subject  # "Die im Dax notierte Aktie gewann 1,9 Prozent"
    if not companies:
        return None
    c = companies[-1]
    if any(c.end <= x.start < m.start and x.unit in ("%", *CURRENCIES) for x in s.qs):
        return None  # "BASF fiel um 2 Prozent, im Dax ging es um 0,5 Prozent nach unten": the company had its own
    return s.code(c)


_LIST_SEP = compile_fast(r",\s+|;\s+|\s(?:and|und|sowie|y|e)\s+", 0)
_ITEM = re.compile(r"((?-i:[A-ZÄÖÜÁÉÍÓÚÑ][\w&.'’-]*(?: (?:de |& )?[A-ZÄÖÜÁÉÍÓÚÑ][\w&.'’-]*){0,3}))\s*(?:\(|,)?\s*"
                   r"(?:um|mit|un|el|by|up|down|plus|minus)?\s*[(+−–-]*\s*")
_NOT_ITEMS = frozenset(["vorzuge", "stammaktien", "vorzugsaktien", "aktien", "papiere", "titel", "anteilsscheine", "index",
                        "leitindex", "werte", "nebenwerte", "branche", "sektor", "euro", "dollar", "handel", "plus",
                        "minus", "the", "it", "its", "shares", "friday", "monday", "tuesday", "wednesday", "thursday",
                        "el", "la", "los", "las", "der", "die", "das", "wall", "bolsa", "futures", "stocks", "nasdaq",
                        "dow", "ibex", "dax", "mdax", "sdax", "tecdax", "stoxx", "ftse", "s&p"])


#: "ahead of a 17% gain for Alphabet", "una subida del 17% para Alphabet", "ein Plus von 17 Prozent bei Alphabet"
_FOR_NAME = {"en": compile_fast(r"\s*(?:gain|rise|jump|drop|fall|decline|loss|advance|increase|climb|slide|rally|surge|"
                                r"slump|move)s?\s+(?:for|in|at)\s+(?:shares of\s+)?$"),
             "es": compile_fast(r"\s*(?:de|para)\s+(?:las acciones de\s+|los títulos de\s+)?$"),
             "de": compile_fast(r"\s*(?:bei|für)\s+(?:der |den |die )?(?:Aktien? von\s+)?$")}
_NOUN_BEFORE = {"en": compile_fast(r"\b(?:an?|its|their)\s+(?:[\w-]+\s+)?$"),
                "es": compile_fast(r"\b(?:del|de un|un|una|el)\s+$"),
                "de": compile_fast(r"\b(?:Plus|Minus|Kursplus|Kursminus|Anstieg|Rückgang|Gewinn|Verlust) von\s+$")}
SECTOR_INDEX = compile_fast(r"\s+(?-i:Banks|Banken|Insurance|Automobiles|Autos|Utilities|Basic Resources|Oil|Health|"
                             r"Media|Retail|Telecom\w*|Travel|Chemicals|Food|Real Estate|Construction|Industrial\w*|"
                             r"Financial\w*|Energy)\b")
SINCE_EVENT = compile_fast(r"\b(?:[Dd]esde que|[Ss]ince (?:the (?:deal|offer|bid|announcement|takeover|merger|IPO|listing)|it "
                            r"(?:was|announced|listed|agreed))|[Ss]eit (?:der|dem) (?:Bekanntgabe|Ankündigung|Börsengang|"
                            r"Übernahme\w*|Angebot)|[Dd]esde (?:el anuncio|la opa|la oferta|su salida))\b")
INDEX_WORD = compile_fast(r"\s+(?:index|indices|Index|Indizes|índice)\b", 0)


def after_move_of(s: Sentence, entity: str) -> bool:
    """Whether the story has told a move or price of ``entity`` before ("En los últimos doce meses suben un
    64%" after "los títulos del Sabadell se dispararon un 8,7%")."""
    return any(f.entity == entity and f.metric in ("price_move", "share_price") for f in s.ctx.facts)


def named_after(s: Sentence, q: Quantity) -> str | None:
    """The company a noun-phrase move names after its figure ("ahead of a 17% gain for Alphabet")."""
    lang = s.ctx.lex.lang
    text = s.text
    nxt = next((m for m in s.mentions if m.start >= q.end), None)
    if nxt is None or nxt.kind != COMPANY or nxt.start - q.end > 40 or not _NOUN_BEFORE[lang].search(
            text, max(0, q.start - 40), q.start):
        return None
    return s.code(nxt) if _FOR_NAME[lang].fullmatch(text, q.end, nxt.start) else None


def unlisted_name(s: Sentence, q: Quantity) -> str | None:
    """"Repsol ganó un 2%, Iberdrola un 1,3% y Talgo un 0,9%": a list item no table names is a company
    of its own (named as written), not the one listed before it."""
    text = s.text
    last = max((m.end for m in s.mentions if m.end <= q.start), default=-1)
    if last < 0:
        return None
    sep = None
    for sep in _LIST_SEP.finditer(text, last, q.start):
        pass
    if sep is None:
        return None
    item = _ITEM.fullmatch(text, sep.end(), q.start)
    if item is None or fold(item.group(1).split()[0]) in _NOT_ITEMS:
        return None
    return item.group(1)


#: a fund named as written: "the Renaissance IPO ETF", "the SPDR S&P 500 ETF Trust", "the iShares Biotechnology ETF"
_FUND = re.compile(r"\b((?:[A-Z][\w&.'’-]*|iShares)(?:\s+[A-Z0-9][\w&.'’-]*){0,5}\s+(?:ETF|ETN|Fund|Trust)(?:\s+Trust)?)\b")


def named_fund(s: Sentence, q: Quantity) -> str | None:
    """A fund no table names is the mover when it is the last name before the move (an ETF's move is a
    share move; its name may contain an index or company the move is not about)."""
    text = s.text
    last = None
    for last in _FUND.finditer(text, 0, q.start):
        pass
    if last is None or any(last.end() <= m.start < q.start or m.start < last.end() <= m.end for m in s.mentions) or \
            any(last.end() <= x.start < q.start for x in s.qs):
        return None
    return re.sub(r"^The\s+", "", last.group(1))


_SHARED_UNIT = compile_fast(r"\s*(?:und|and|y|e|beziehungsweise|bzw\.)\s*(?:un|el|um|by)?\s*$")
_PAIRED = compile_fast(r"\s*(?:beziehungsweise|bzw\.|und|and|y|e)\s*(?:um\s+|un\s+|el\s+)?$")
_NAMES_JOINED = compile_fast(r"^\s*(?:und|and|y|e|sowie)\s*$")


def shared_unit(s: Sentence, free: list[Quantity]) -> list[Quantity]:
    """"um 4,2 beziehungsweise 1,3 Prozent": the first number of a pair takes the unit of the second."""
    out = list(free)
    for i, q in enumerate(out[:-1]):
        nxt = out[i + 1]
        if q.unit is None and nxt.unit == "%" and not isinstance(q.value, tuple) and \
                _SHARED_UNIT.match(s.text[q.end:nxt.start]):
            out[i] = replace(q, unit="%")
    return out


def paired(s: Sentence, free: list[Quantity]) -> dict[int, str]:
    """"Siemens Energy und Siemens legten um 4,2 beziehungsweise 1,3 Prozent zu": two names joined
    before two moves joined, in the same order."""
    text = s.text
    pcts = [q for q in free if q.unit == "%"]
    for a, b in pairwise(pcts):
        if not _PAIRED.fullmatch(text, a.end, b.start):
            continue
        names = [m for m in s.mentions if m.kind == COMPANY and m.end <= a.start]
        if len(names) < 2 or not _NAMES_JOINED.match(text[names[-2].end:names[-1].start]):
            continue
        first, second = s.code(names[-2]), s.code(names[-1])
        if first and second:
            return {a.start: first, b.start: second}
    return {}


_REL_OPEN = compile_fast(r",\s*(?:die|der|das|welche[rs]?|que|which|that)\s")


def antecedent(s: Sentence, q: Quantity, index: str) -> str | None:
    """"Schwach waren SAP, die 1,8 Prozent nachgaben und den Dax damit 30 Punkte kosteten": a move in a
    relative clause belongs to the company the clause hangs on, not to an index named after the number."""
    lo, hi = s.clause(q.start)
    if not _REL_OPEN.match(s.text, lo) or not any(s.code(m) == index and q.end <= m.start < hi for m in s.mentions):
        return None
    before = [c for c in s.mentions if c.kind == COMPANY and c.end <= lo and not s.text[c.end:lo].strip()]
    return s.code(before[-1]) if before else None
