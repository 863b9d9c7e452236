"""Comparisons of a tuple (docs/facts.md, "Which comparison a tuple gets"): expectations and their
references (stated, relative, "a penny short"), prior periods, revisions of guidance and payouts,
and the direction words near a number."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from newsdesk.facts.numbers import Quantity
from newsdesk.facts.rules import compile_fast
from newsdesk.facts.rules_sentence import Sentence

RESULTS = frozenset({"revenue", "segment_revenue", "eps", "net_income", "operating_income", "operating_margin",
                     "gross_margin"})


_RELATIVE_AMOUNT = {"penny": 0.01, "cent": 0.01, "céntimo": 0.01, "nickel": 0.05, "dime": 0.10, "two cents": 0.02,
                    "zwei cent": 0.02, "dos céntimos": 0.02}

@dataclass
class Record:
    """One stated value and the numbers that qualify it."""

    q: Quantity
    unit: str
    expect: list[Quantity] = field(default_factory=list)
    by: list[tuple[Quantity, int]] = field(default_factory=list)  # (amount, +1 beat / -1 miss)
    prior: list[Quantity] = field(default_factory=list)
    change: list[float] = field(default_factory=list)

def mid(v: float | tuple[float, float]) -> float:
    return (v[0] + v[1]) / 2 if isinstance(v, tuple) else v

def _signed(v: float | tuple[float, float], sign: int) -> float | tuple[float, float]:
    if sign >= 0:
        return v
    if isinstance(v, tuple):
        return (-abs(v[1]), -abs(v[0])) if v[0] >= 0 else v
    return -abs(v)

def _nearest_direction(s: Sentence, before: str, after: str, late: bool = False) -> int:
    """+1 / -1 / 0 (flat) / None-as-2 from the direction word nearest a number."""
    lex = s.ctx.lex
    best, pos = 2, -1
    start = 0
    if lex.lang == "es" and (late_word := _ES_MORE_LESS.match(after)):
        return 1 if late_word.group(1).lower() == "más" else -1  # "ganó 1.210 millones, un 18% menos"
    for pattern, d in ((lex.up, 1), (lex.down, -1), (lex.flat, 0)):
        for m in pattern.finditer(before):
            if m.end() > pos or (m.end() == pos and m.start() < start):
                best, pos, start = d, m.end(), m.start()
    if best == 2:
        head = after[:25]
        flat = lex.flat.search(head)
        if flat and flat.start() < 12:
            return 0
        for pattern, d in ((lex.up, 1), (lex.down, -1)):
            hit = pattern.search(head)
            if hit and hit.start() < 12:
                return d
        if late and lex.lang == "de":  # the verb's particle or participle ends the clause ("ging ... zurück")
            last = _DE_LATE.search(after)
            if last:
                return -1 if last.group(1) else 1
            ups, downs = lex.up.search(after, 0, 60), lex.down.search(after, 0, 60)  # "..., die um 2 % stiegen"
            if ups or downs:
                return 1 if ups and (not downs or ups.start() < downs.start()) else -1
    return best

_DE_OUTLOOK = compile_fast(r"\b\w*(?:[Pp]rognose|[Zz]iele?|[Aa]usblick)\w*\b", 0)
_DE_NOUN_VERB = compile_fast(r"\b(?:Erwartungen|Prognosen|Schätzungen|Konsens\w*|Analystenschätzungen|"
                              r"Markterwartungen?)\s+(?:\w+\s+){0,2}?(übertroffen|übertraf|geschlagen|verfehlt\w*|"
                              r"getroffen|erfüllt)\b", 0)
_ES_MORE_LESS = re.compile(r"\s*(más|menos)\b(?! de lo)", re.IGNORECASE)
_DE_LATE = compile_fast(r"\b(?:(zurück\w*|gesunken|gefallen|geschrumpft|eingebrochen|verringert|gesenkt|verloren|"
                      r"nach unten|(?:ein|nach|ab)(?=\s*(?:[.,;:]|und\b|$)))|(gestiegen|gewachsen|zugelegt|erhöht|"
                      r"gesteigert|verbessert|gewonnen|nach oben|(?:zu|vor|an)(?=\s*(?:[.,;:]|und\b|$))))", 0)

def _loss_ref(s: Sentence, q: Quantity, value: float) -> float:
    """A reference of a loss is a loss too ("a loss of 65 cents, vs 72 cents expected"), unless the
    text calls it a profit ("against expectations of a profit of 2 cents")."""
    ref = mid(q.value)
    if value < 0 < ref and s.ctx.lex.lang == "en" and not _PROFIT_BEFORE.search(s.text, max(0, q.start - 30), q.start):
        return -ref
    return ref


_PROFIT_BEFORE = compile_fast(r"\b(?:profit|income|earnings|gain)s?\b[^.;]{0,15}$")


def _expect_comparison(s: Sentence, rec: Record, window: str, guidance: bool,
                       signed: float | None = None) -> tuple[str | None, float | None]:
    lex = s.ctx.lex
    value = mid(rec.q.value) if signed is None else signed
    ref: float | None = None
    if rec.expect:
        ref = _loss_ref(s, rec.expect[0], value)
    elif rec.by:
        by_amount, sign = rec.by[0]
        ref = value - mid(by_amount.value) if sign > 0 else value + mid(by_amount.value)
        word = "beat" if sign > 0 else "miss"
        return ({"beat": "above", "miss": "below"}.get(word, word) if guidance else word), ref
    else:
        m = lex.relative.search(window)
        near = lex.relative.search(s.text, rec.q.end, rec.q.end + 80) if m else None
        if m and (near is None or any(rec.q.end <= x.start < near.start() for x in s.qs)):
            m = None  # "revenue of $96.1 billion, up 6%, and earnings of $1.68 a share, a penny above": the EPS's
        if m:
            word = m.group().lower()
            amount = next((a for w, a in sorted(_RELATIVE_AMOUNT.items(), key=lambda x: -len(x[0])) if w in word),
                          0.01)  # the longest first: "two cents" is not "cent"
            short = lex.miss.search(word) or "short" in word or "shy" in word or "less" in word
            ref = value + amount if short else value - amount
    if ref is None:
        for pattern, word in ((lex.inline, "inline"), (lex.beat, "beat"), (lex.miss, "miss")):
            for m in pattern.finditer(window):
                if lex.expect_noun.match(window, m.end()):
                    if guidance:
                        word = {"beat": "above", "miss": "below"}.get(word, word)
                    return word, None
        if lex.lang == "de" and (late := _DE_NOUN_VERB.search(window)):  # "die Erwartungen knapp verfehlt"
            word = "miss" if late.group(1).lower().startswith("verfehl") else "beat" if late.group(1).lower().startswith(
                ("übertr", "geschlagen")) else "inline"
            return ({"beat": "above", "miss": "below"}.get(word, word) if guidance else word), None
        return None, None
    if lex.inline.search(window):
        word = "inline"
    elif lex.miss.search(window) and not lex.beat.search(window):
        word = "miss"
    elif lex.beat.search(window) and not lex.miss.search(window):
        word = "beat"
    else:
        word = "beat" if value > ref + 1e-9 else "miss" if value < ref - 1e-9 else "inline"
    if guidance:
        word = {"beat": "above", "miss": "below"}.get(word, word)
    return word, ref

def _revision(s: Sentence, window: str) -> str | None:
    lex = s.ctx.lex
    hits = []
    for pattern, word in ((lex.raise_, "up"), (lex.cut, "down"), (lex.hold, "flat"), (lex.narrow, "narrow")):
        m = None
        for m in pattern.finditer(window):
            pass
        if m is not None:
            hits.append((m.end(), word))
    return max(hits)[1] if hits else None

def _scaled(prior: float, value: float) -> float:
    """``4.2`` before ``3.8 billion``: the same scale as the value."""
    if prior and value and abs(value) >= 1e5 and abs(prior) < 1e4:
        ratio = abs(value / prior)
        scale = min((1e3, 1e6, 1e9, 1e12), key=lambda x: abs(math.log10(ratio) - math.log10(x)))
        return prior * scale
    return prior

def _comparison(s: Sentence, rec: Record, metric: str, value: float | tuple[float, float], change: float | None,
                window: str, before: str, own: str, after: str = "", clause: str = "") -> tuple[str | None, float | None]:
    prior = _scaled(_loss_ref(s, rec.prior[0], mid(value)), mid(value)) if rec.prior else None
    if prior and mid(value) and not 0.02 <= abs(prior / mid(value)) <= 50:
        prior = None  # "$4.50 a share, from $1.8 billion, or $4.04 a share": another figure's prior value
    if prior is not None and prior > 0 and s.ctx.lex.loss.search(s.text, rec.q.end, rec.prior[0].start):
        prior = -prior  # "..., frente a las pérdidas de 1.050 millones": the prior value was a loss
    if metric in RESULTS or metric == "capex" or metric.startswith("guidance_"):
        guidance = metric.startswith("guidance_") or metric == "capex"
        word, ref = _expect_comparison(s, rec, window, guidance, mid(value))
        if word is not None:
            return word, ref
        if metric.startswith("guidance_") or metric == "capex":
            rev = _revision(s, before) or (_revision(s, clause) if metric.startswith("guidance_") else None) or (
                _revision(s, after) if s.ctx.lex.lang == "de" else None)  # "... 7,4 Mrd. Euro bestätigte der Vorstand"
            plain = s.ctx.plain_before
            if rev is None and plain and s.ctx.lex.lang == "de" and metric.startswith("guidance_") and \
                    _DE_OUTLOOK.search(plain):
                rev = _revision(s, plain)  # "Der Konzern bestätigte seine Ziele. Demnach soll ... liegen."
            if rev == "narrow" and prior is not None:
                v = mid(value)
                return ("up" if v > prior else "down" if v < prior else "flat"), prior
            if rev in ("up", "down", "flat"):
                return rev, prior
            if metric.startswith("guidance_"):
                if prior is not None:
                    v = mid(value)
                    return ("up" if v > prior else "down" if v < prior else "flat"), prior
                return None, None
    else:  # dividend, buyback, price target
        rev = _revision(s, before) or _revision(s, after)
        if rev in ("up", "down", "flat"):
            return rev, prior
        if prior is not None:
            v = mid(value)
            return ("up" if v > prior else "down" if v < prior else "flat"), prior
        if change is not None:
            return ("up" if change > 0 else "down" if change < 0 else "flat"), None
        return None, None
    if change is not None:
        return ("up" if change > 0 else "down" if change < 0 else "flat"), prior
    if prior is not None:
        v = mid(value)
        return ("up" if v > prior else "down" if v < prior else "flat"), prior
    d = _nearest_direction(s, own[-60:], "")
    if d == 2 and s.ctx.lex.lang == "de":
        # "Im Segment X stieg der Umsatz auf ...": the verb comes first
        d = _nearest_direction(s, clause[-120 if metric == "segment_revenue" else -60:], "")
    if d == 2:
        d = _nearest_direction(s, "", after)
    if d == 0:
        return "flat", None
    if d in (1, -1):
        return ("up" if d == 1 else "down"), None
    return None, None
