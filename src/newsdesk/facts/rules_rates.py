"""Central-bank rate decisions: the level (or the Fed's range), hike/cut/hold, the change in basis
points, the previous rate, and which rate when several are set at once (``segment``)."""

from __future__ import annotations

import re

from newsdesk.facts.entities import BANK
from newsdesk.facts.model import Fact
from newsdesk.facts.rules import compile_fast
from newsdesk.facts.rules_sentence import Group, Sentence

_POINT_WORDS = re.compile(r"\b(?:a |one )?quarter[- ](?:of a )?(?:percentage[- ])?point|\bhalf[- ](?:a[- ])?"
                          r"(?:percentage[- ])?point|\bviertel Prozentpunkt|\bhalben Prozentpunkt|\bcuarto de punto|"
                          r"\bmedio punto")


_FROM_TO_RATE = compile_fast(r"\b(?:from|von|de|desde|del)\s*(?:the |el |la )?$")
_AND_RATE = compile_fast(r"\s*(?:%|Prozent|por ciento|percent)?\s*,?\s*(?:und|beziehungsweise|bzw\.|sowie|and|y|e)\s*", 0)
_NOW = compile_fast(r"\b(?:nun|jetzt|künftig|fortan|neu|damit|somit|weiter|weiterhin)\b", 0)  # "liegt nun bei": the new rate, not the current state
#: a decision still to come ("el BCE bajará los tipos", "the Fed will cut", "Die EZB dürfte ... senken"): a forecast
_FORECAST = compile_fast(r"\b(?:will|is (?:expected|likely|set) to|are (?:expected|likely) to|priced in|dürfte\w*|"
                         r"sollte\w*|würde\w*|eingepreist|\w+(?:ará|erá|irá|aría|ería|iría)|descuenta\w*|apuesta\w*|se espera)\b")
_TO_RATE = compile_fast(r"\s*%?\s*(?:to|auf|a|al|hasta)\s*(?:the |el |la |un )?$")


def _word_change(text: str) -> float | None:
    m = _POINT_WORDS.search(text)
    if not m:
        return None
    w = m.group().lower()
    return 50.0 if ("half" in w or "halb" in w or "medio" in w) else 25.0


def rate_facts(s: Sentence, g: Group) -> list[Fact]:
    """The rate decisions of a rate keyword group."""
    lex, text = s.ctx.lex, s.text
    banks = [m for m in s.mentions if m.kind == BANK]
    before_kw = [m for m in banks if m.start < g.start]
    entity = before_kw[-1].code if before_kw else banks[0].code if banks else s.ctx.last_bank
    if entity is None:
        return []
    lo, _hi = s.clause(g.start)
    if lex.hypothetical.search(text[lo:g.qs[-1].end]) or lex.analyst_view.search(text[:g.start]) or \
            _FORECAST.search(text, max(0, g.start - 80), g.qs[0].start):
        return []
    decision_window = text[:g.qs[-1].end]
    hits = []
    own = before_kw[-1].start if before_kw and before_kw[-1].code == entity else 0  # not another bank's verb
    for at in dict.fromkeys((own, 0)):
        for pattern, word in ((lex.raise_, "up"), (lex.cut, "down"), (lex.hold, "flat")):
            m = pattern.search(decision_window, at)
            if m:
                hits.append((m.start(), word))
        if hits:
            break
        if at == own and own and lex.lang == "de":  # "..., die den Leitzins ... auf 3,75 bis 4,00 Prozent gesenkt
            for pattern, word in ((lex.raise_, "up"), (lex.cut, "down"), (lex.hold, "flat")):  # hatte": its own
                m = pattern.search(text, g.qs[-1].end, _hi)  # participle, not a "weiterhin" before its name
                if m:
                    hits.append((m.start(), word))
            if hits:
                break
    if not hits and lex.lang == "de":  # "hat den Leitzins bei 0 Prozent belassen": the participle comes last
        for pattern, word in ((lex.raise_, "up"), (lex.cut, "down"), (lex.hold, "flat")):
            m = pattern.search(text, g.qs[-1].end, _hi)
            if m:
                hits.append((m.start(), word))
    plain = s.ctx.plain_before
    if not hits and lex.lang == "de" and plain and lex.keywords.search(plain) and _NOW.search(text, 0, g.qs[0].start):
        for pattern, word in ((lex.raise_, "up"), (lex.cut, "down"), (lex.hold, "flat")):
            m = pattern.search(plain)  # "Die Fed hat ihren Leitzins gesenkt. Der Zielkorridor liegt nun bei ..."
            if m:
                hits.append((m.start() - len(plain), word))
    if not hits:  # "Der Leitzins sinkt um 0,25 Prozentpunkte": a move verb decides too
        for pattern, word in ((lex.up, "up"), (lex.down, "down")):
            m = pattern.search(decision_window, g.start)
            if m and lex.lang != "en":
                hits.append((m.start(), word))
    if not hits:
        return []
    direction = min(hits)[1]
    word_change = _word_change(text)
    values: list[tuple[int, float | tuple[float, float]]] = []
    change: float | None = word_change
    prior: float | None = None
    for i, q in enumerate(g.qs):
        before = text[max(lo, q.start - 40):q.start]
        nxt = g.qs[i + 1] if i + 1 < len(g.qs) else None
        if nxt is not None and q.unit in ("%", None) and nxt.unit == "%" and _FROM_TO_RATE.search(before) and \
                _TO_RATE.match(text, q.end, nxt.start):
            prior = q.value[1] if isinstance(q.value, tuple) else q.value  # "von 2,0 auf 1,75 Prozent"
            continue
        if q.unit in ("bp", "pp") and not isinstance(q.value, tuple):
            change = q.value if q.unit == "bp" else q.value * 100
        elif q.unit == "%" or (q.unit is None and nxt is not None and nxt.unit == "%" and
                               _AND_RATE.fullmatch(text, q.end, nxt.start)):  # "auf 2,00 und 2,15 Prozent"
            if lex.prior.search(before) or lex.prior_after.match(text, q.end):
                prior = q.value[1] if isinstance(q.value, tuple) else q.value
            elif lex.current_rate.search(before) and not values and not (lex.lang == "de" and _NOW.search(before)):
                continue
            else:
                values.append((q.start, q.value))
    out = []
    named = sorted((m.start(), name) for pattern, name in ((lex.deposit, "deposit rate"),
                                                           (lex.refi, "main refinancing rate"))
                   if (m := pattern.search(text, 0, values[0][0] if values else 0)))
    for k, (start, value) in enumerate(values):
        seg = None
        last = -1
        for pattern, name in ((lex.deposit, "deposit rate"), (lex.refi, "main refinancing rate")):
            for m in pattern.finditer(text, 0, start):
                if m.start() > last:
                    last, seg = m.start(), name
        if len(values) == len(named) == 2:
            seg = named[k][1]  # "Einlagensatz und Hauptrefinanzierungssatz ... auf 2,00 und 2,15 Prozent": in order
        c = change
        if direction == "flat":
            c = 0.0
        elif c is not None:
            c = -abs(c) if direction == "down" else abs(c)
        out.append(Fact(entity, "rate_decision", value, "%", None, direction, prior, c,
                        seg if len(values) > 1 or seg and entity == "ECB" else None))
    return out
