"""The state the sentence rules share: a metric keyword's group of numbers (``Group``), what
carries from sentence to sentence within a story (``SentenceContext``), and a sentence under
analysis (``Sentence``: its mentions, clause cuts and periods, and which mention governs a
position), with the cue patterns those need. Split from ``rules_sentence`` (which runs the rules
over one sentence) so that neither module passes the size the project allows.
"""


from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsdesk.facts.entities import (
    ANAPHOR,
    BANK,
    COMPANY,
    INDEX,
    INDEX_ANAPHOR,
    Mention,
    Resolver,
)
from newsdesk.facts.model import Fact
from newsdesk.facts.numbers import Quantity
from newsdesk.facts.rules import Lexicon, compile_fast

#: brokers: a price target is on the covered security, and "the company" is not the firm that rates it
BROKERS = frozenset(["GS", "MS", "JPM", "UBSG", "DBK", "BARC", "C", "BAC", "WFC", "HSBA", "CBK", "BNP", "GLE", "JEF", "EVR", "RJF", "PIPR", "SF", "8411", "8604", "MQG", "KEY", "SAN", "BBVA", "CABK", "SAB"])
#: a group keyword whose "per share" after the number does not make the number an EPS
STICKY = frozenset({"dividend", "buyback", "price_target", "excluded", "deal", "capex", "rate"})
#: the owner of the company a clause is about ("la eléctrica controlada por Enel", "Hochtief, la filial alemana de ACS")
_OWNER = compile_fast(r"\b(?:controlad[oa]|participad[oa]|propiedad|filial|dueñ[oa]|matriz)(?: \w+)? (?:de|por|del)"
                      r"(?: (?:la|el|los|las))?(?: \w+)?\s+$")
RELATIVE = re.compile(r",\s*(?:which|who|whose|(?:owned|controlled|backed|run) by|die|der|das|welche\w*|deren|dessen|que|quien|"
                       r"la cual|el cual|cuyo|cuya)\b")
#: an appositive after a name: "SK Hynix, the main supplier of HBM to Nvidia, closed 1.8% higher"
_APPOSITIVE = re.compile(r",\s*(?:the|an?)\s+(?!(?:same|day|week|month|year|quarter|session|first|second|third|last)\b)[\w-]+")
#: after a comma inside a relative clause, a qualifier of its number ("..., unchanged from a year earlier, lost")
_QUALIFIER = re.compile(r",\s*(?:unchanged|flat|steady|up|down|compared|versus|against|in line|above|below|ahead|short)\b")


def rel_close(text: str, start: int) -> int:
    """Where a relative clause opened before ``start`` closes: its next comma that does not open a
    qualifier of the clause's number (-1 when none)."""
    close = text.find(",", start)
    while close >= 0 and (_QUALIFIER.match(text, close) and text.find(",", close + 1) > 0 or
                          0 < close < len(text) - 1 and text[close - 1].isdigit() and text[close + 1].isdigit()):
        close = text.find(",", close + 1)  # (nor a decimal comma: "der MDax um 0,3 Prozent")
    return close


LONG_RANGE = compile_fast(r"\b(?:by|bis|hasta|para|until|through|bis zum Jahr|für das Jahr|en|By|Bis|Hasta|Until)\s+"
                        r"(?:(?:the )?end of |(?:fiscal |Ende |finales de |el año |el ejercicio ))?20(?:2[89]|[3-9]\d)\b|"
                        r"\b(?:[Mm]ittelfristig|[Ll]angfristig|auf mittlere Sicht|auf lange Sicht)\b", 0)


@dataclass
class Group:
    """Numbers governed by one metric keyword (``kind``) in a sentence."""

    kind: str
    start: int
    end: int
    qs: list[Quantity] = field(default_factory=list)


@dataclass
class SentenceContext:
    """What carries from sentence to sentence within a story."""

    lex: Lexicon
    resolver: Resolver
    subject: str | None
    last_bank: str | None = None
    currency: str | None = None
    facts: list[Fact] = field(default_factory=list)  # the story's facts so far
    last_index: str | None = None
    prev_company: str | None = None
    prev_entity: str | None = None  # the first company or index the previous sentence named
    story_period: str | None = None
    prev_plain: str | None = None  # the previous sentence when it had no number (its metric may carry over)
    plain_before: str | None = None  # while a sentence is read: the sentence before it when that had no number

    def note(self, mentions: list[Mention], text: str = "") -> None:
        """Remember the last central bank and index named, and the sentence's first company."""
        first = None
        entity = None
        for m in mentions:
            if text and _OWNER.search(text, max(0, m.start - 40), m.start):
                continue  # "La eléctrica controlada por Enel ...": Enel is not what the next sentence is about
            if entity is None and m.kind in (COMPANY, INDEX) and m.code != INDEX_ANAPHOR:
                entity = m.code
            if m.kind == BANK:
                self.last_bank = m.code
            elif m.kind == INDEX and m.code != INDEX_ANAPHOR:
                self.last_index = m.code
            elif m.kind == COMPANY and first is None:
                first = m.code
        if first is not None:
            self.prev_company = first
        if entity is not None:
            self.prev_entity = entity

    def note_entities(self, sentence: str) -> None:
        """The entities of a sentence without numbers (for the sentences after it)."""
        self.note(self.resolver.find(sentence), sentence)
        self.prev_plain = sentence


@dataclass
class Sentence:
    """A sentence under analysis: its text, mentions, clause cuts and periods."""

    text: str
    ctx: SentenceContext
    mentions: list[Mention]
    cuts: list[int]
    periods: list[tuple[int, int, str]]
    qs: list[Quantity] = field(default_factory=list)
    shares: list[int] = field(default_factory=list)  # where "shares"/"die Aktie" is said
    groups: list[Group] = field(default_factory=list)

    def clause(self, pos: int) -> tuple[int, int]:
        i = bisect_right(self.cuts, pos)
        return (self.cuts[i - 1] if i else 0), (self.cuts[i] if i < len(self.cuts) else len(self.text))

    def code(self, m: Mention) -> str | None:
        if m.kind == ANAPHOR:
            earlier = [x for x in self.mentions if x.kind == COMPANY and x.end <= m.start]
            if earlier:
                return earlier[-1].code
            return self.ctx.prev_company or self.ctx.subject
        return self.ctx.last_index if m.code == INDEX_ANAPHOR else m.code

    def entity(self, pos: int, kinds: Iterable[str], exclude: frozenset[str] = frozenset(),
               right: bool = True) -> str | None:
        """The mention governing ``pos``: nearest before it in its clause, else after it in the clause,
        else the sentence's first mention, else the story's subject (a company)."""
        kinds = frozenset(kinds) | {ANAPHOR}
        lo, hi = self.clause(pos)
        ok = [m for m in self.mentions if m.kind in kinds and self.code(m) not in exclude and self.code(m)
              and not _OWNER.search(self.text, max(0, m.start - 40), m.start)]
        left = [m for m in ok if lo <= m.start and m.end <= pos and not self._enclosed(m, pos)]
        if left:
            return self.code(left[-1])
        after = [m for m in ok if pos <= m.start < hi] if right else []
        if after:
            return self.code(after[0])
        earlier = [m for m in ok if m.end <= lo and not self._enclosed(m, pos)]
        if earlier:
            return self.code(earlier[-1])
        if ok and right:
            return self.code(ok[0])
        if INDEX in kinds and self.ctx.prev_entity and self.ctx.prev_entity not in exclude:
            return self.ctx.prev_entity
        prev = self.ctx.prev_company
        if COMPANY in kinds and prev and prev not in exclude and (prev not in BROKERS or prev in self.ctx.resolver.related):
            return prev
        subject = self.ctx.subject
        return subject if COMPANY in kinds and (subject not in exclude or subject in self.ctx.resolver.related) else None

    def _enclosed(self, m: Mention, pos: int) -> bool:
        """Whether ``m`` sits in a relative clause that closed before ``pos`` ("X, which owns Y, rose")."""
        apposed = [a for a in _APPOSITIVE.finditer(self.text, 0, m.start) if any(  # right after a name, not
            n.end == a.start() for n in self.mentions) and not any(n.start <= a.end() for n in self.mentions  # one
                                                                     if n.start >= a.start())]  # itself
        for rel in [*RELATIVE.finditer(self.text, 0, m.start), *apposed]:
            close = rel_close(self.text, rel.end())
            if rel.end() <= m.start and 0 <= close < pos and close >= m.end:
                return True
        return False

    def in_clause(self, pos: int, kinds: tuple[str, ...]) -> bool:
        """Whether the clause of ``pos`` names an entity of ``kinds`` (or the company by anaphor)."""
        lo, hi = self.clause(pos)
        return any(lo <= m.start < hi and (m.kind in kinds or m.kind == ANAPHOR) for m in self.mentions)

    def period(self, pos: int, tokens: frozenset[str] | None = None, prefixes: tuple[str, ...] = (),
               clause_only: bool = False) -> str | None:
        """The period mention nearest ``pos`` (its clause first) among the allowed tokens."""
        found = [p for p in self.periods if (tokens is not None and p[2] in tokens) or
                 (prefixes and p[2].startswith(prefixes))]
        if not found:
            return None
        lo, hi = self.clause(pos)
        inside = [p for p in found if lo <= p[0] < hi] or ([] if clause_only else found)
        if not inside:
            return None
        return min(inside, key=lambda p: abs(p[0] - pos))[2]
