"""A metric group (a keyword and the numbers it governs) -> tuples: roles, signs, comparisons,
references, periods, segments (docs/facts.md, "Which comparison a tuple gets")."""

from __future__ import annotations

import re
from dataclasses import replace

from newsdesk.facts.entities import ANAPHOR, BANK, COMPANY, INDEX, Mention, index_codes
from newsdesk.facts.model import CURRENCIES, PERCENT_METRICS, Fact
from newsdesk.facts.numbers import Quantity
from newsdesk.facts.rules import compile_fast
from newsdesk.facts.rules_compare import (
    RESULTS,
    Record,
    _comparison,
    _nearest_direction,
    _signed,
    mid,
)
from newsdesk.facts.rules_periods import tuple_period
from newsdesk.facts.rules_segments import (
    _DE_NAMED_SEGMENT,
    record_segments,
    segment_of,
    segment_profit,
)
from newsdesk.facts.rules_sentence import BROKERS, LONG_RANGE, Group, Sentence

GUIDABLE = {"revenue": "guidance_revenue", "segment_revenue": "guidance_revenue", "eps": "guidance_eps",
            "net_income": "guidance_net_income", "operating_income": "guidance_operating_income",
            "operating_margin": "guidance_operating_margin", "gross_margin": "guidance_gross_margin"}
_LESS = compile_fast(r"\b(?:less|worse|lower|below|short|shy|weniger|niedriger|schlechter|unter|menos|debajo)\b")
_SHARES_AFTER = compile_fast(r"\s*(?:of (?:its |their )?(?:own )?)?(?:shares|Aktien|eigene Aktien|acciones|títulos)\b")
_DEFAULT_CURRENCY = {"en": "USD", "de": "EUR", "es": "EUR"}
#: a count after a number: units, vehicles, people (not an amount of money)
_COUNTED = compile_fast(r"\s*(?:units|vehicles|cars|consoles|devices|phones|handsets|smartphones|people|customers|"
                        r"subscribers|users|passengers|visitors|barrels|tonnes|tons|ounces|homes|stores|employees|"
                        r"Einheiten|Fahrzeuge|Autos|Kunden|unidades|vehículos|clientes)\b")
_IN_CASH = compile_fast(r"\b(?:in bar|in cash|en efectivo|al contado|in Aktien|in stock)\b")
_HARD_CUT = compile_fast(r";|\b(?:but|while|whereas|aber|doch|jedoch|während|pero|mientras|aunque)\b")
_VON = re.compile(r"\s*(?:Euro|Franken|Dollar)?\s*von\s*")
_UNIT_SHARED = re.compile(r"\s*(?:von|from|desde|de)\s+(?:(?:zuvor|bisher|previously|antes)\s+)?")
_STRONG_FROM = compile_fast(r"\b(?:up from|down from|from|desde(?: los| las| el| la)?|nach bisher)\s*$")
_OF_CAPITAL = compile_fast(r"\s*(?:of (?:its |the )?(?:(?:share )?capital|(?:outstanding |issued )?(?:shares|stock)(?: outstanding)?)|"
                           r"des (?:Grund)?kapitals|de(?:l| su) capital)\b")
_TARGET_OF = re.compile(r"\s*(?:de|del|para|sobre|on|for|of|für|auf)\s+(?:die |den |das |der )?", re.IGNORECASE)
_FRONT_FOR = re.compile(r"\s*(?:Für|Bei|For|Para)\s+(?:die |den |das |der |the |la |el )?")
_DE_LOSS_OF = compile_fast(r"\b(?:Minus|Verlust|Fehlbetrag)\s+(?:von|in Höhe von)\s+(?:rund |etwa |knapp |gut )?$", 0)
_DE_HALVED = compile_fast(r"\bhalbiert\w*", 0)
_DE_REPORTED = compile_fast(r"\b(?:gemeldet|ausgewiesen|erzielt|berichtet|verbucht|erwirtschaftet|eingefahren|verdient)\b", 0)
_DE_PLAIN_PROFIT = re.compile(r"(?:einem |einen |einer )?(?:Gewinn|Verlust|Fehlbetrag|Minus|Plus)")
_EN_HALVED = compile_fast(r"\b(?:halved|cut (?:[\w']+ ){0,3}?in half|fell by half|dropped by half)\b")
_COMPANY_FUTURE = compile_fast(r"\b(?:werde|wird|soll|sollen)\b", 0)
#: the object of a one-off investment (a plant, a project, a stake), or several years: not a period's capex
_ONE_OFF = compile_fast(
    r"\b(?:in|into|on|en|für)\s+(?:ein|eine|einen|das|a|an|the|un|una|el|la|den Bau)\s+(?:(?:neue[nsr]?|new|nuev[oa]|"
    r"weitere[nsr]?|second|segund[oa]|zweite[nsr]?|[A-Z]\w+)\s+){0,2}(?:[\wäöü-]*(?:[Ww]erk|[Ff]abrik|[Ss]tandort|[Ss]tart-?up|"
    r"[Pp]rojekt|[Rr]echenzentrum|[Bb]eteiligung|[Ff]onds|[Mm]ine)|plant|factory|facility|project|start-?up|stake|fund|"
    r"mine|site|campus|data cent(?:er|re)|planta|fábrica|proyecto|centro de datos|participación|mina)\b|"
    r"\b(?:Bau|construction|construcción) (?:der|des|eines|einer|of|de)\b|\b(?:next|nächsten|kommenden|próximos) "
    r"(?:\w+ )?(?:years|Jahren|años)\b|\binsgesamt\b")
_DOUBLED = compile_fast(r"\b(?:(?:more than )?doubled|(?:mehr als )?verdoppelt\w*|(?:más que )?duplic\w+)\b", 0)


_FROM = {"en": re.compile(r"\bfrom\s*$"), "de": re.compile(r"\bvon\s*$"), "es": re.compile(r"\b(?:de|desde)\s*$")}
_TO = {"en": re.compile(r"^\s*to\s*$"), "de": re.compile(r"^\s*(?:auf|bis auf)\s*$"), "es": re.compile(r"^\s*(?:a|hasta)\s*$")}


def _from_to(lang: str, before: str, after: str, q: Quantity, g: Group, i: int) -> bool:
    """``from X to Y`` / ``von X auf Y`` / ``de X a Y``: X is the prior value."""
    if i + 1 >= len(g.qs) or not _FROM[lang].search(before) or not _TO[lang].match(after):
        return False
    return g.qs[i + 1].unit == q.unit or q.unit is None


def _roles(s: Sentence, g: Group, metric: str, currency: str | None) -> tuple[list[Record], list[tuple[str, Quantity]]]:
    """Records (value + qualifiers) of a group, and qualifiers found before any value (orphans)."""
    lex, text = s.ctx.lex, s.text
    lo, _ = s.clause(g.start)
    hard = max([0, *(m.end() for m in _HARD_CUT.finditer(text, 0, g.start))])
    view = bool(lex.analyst_view.search(text, hard, g.qs[0].start)) if g.qs else False
    records: list[Record] = []
    pending: list[tuple[str, Quantity, float, int]] = []
    prev_end = g.end if g.end <= g.qs[0].start else max(lo, g.qs[0].start - 60)
    skip = -1
    for i, q in enumerate(g.qs):
        before = text[max(prev_end, q.start - 80):q.start]
        nxt = g.qs[i + 1].start if i + 1 < len(g.qs) else min(len(text), q.end + 60)
        after = text[q.end:nxt]
        pf = lex.postfix.match(after)
        if pf:
            after = after[pf.end():]
        prev_end = q.end
        if i == skip:
            continue
        if records and isinstance(records[-1].q.value, tuple) and not isinstance(q.value, tuple) and \
                _from_to(lex.lang, before, after, q, g, i) and not isinstance(g.qs[i + 1].value, tuple):
            # "to $12.35-$12.45, from $12.35 to $12.60": the previous range, judged by its midpoint
            records[-1].prior.append(replace(q, value=(q.value + g.qs[i + 1].value) / 2))  # type: ignore[operator]
            skip = i + 1
            continue
        unit = q.unit or (currency if mid(q.value) >= 1000 and not _COUNTED.match(text, q.end) else None)
        if q.unit is None and metric == "buyback" and _SHARES_AFTER.match(text, q.end):
            unit = "shares"
        if unit is None and q.value == 0 and metric in GUIDABLE:
            unit = s.ctx.currency or _DEFAULT_CURRENCY.get(lex.lang)
        elif unit is None and metric not in PERCENT_METRICS and mid(q.value) >= 1e5 and not _COUNTED.match(text, q.end):
            unit = s.ctx.currency  # "33.900 millones" after the story named its currency ("5.8 million units" no)
        elif q.unit is None and metric == "price_target" and mid(q.value) >= 100 and \
                any(m.kind == INDEX for m in s.mentions):
            unit = "points"  # a strategist's year-end target for an index
        elif unit is None and metric in ("price_target", "dividend") and i + 1 < len(g.qs) and \
                g.qs[i + 1].unit in CURRENCIES and _UNIT_SHARED.fullmatch(text, q.end, g.qs[i + 1].start):
            unit = g.qs[i + 1].unit  # "auf 92 von 88 Franken", "to 92 from 88 francs": the unit said once
        if isinstance(q.value, tuple) and metric in ("price_target", "dividend") and _FROM[lex.lang].search(before) \
                and lex.raise_.search(text, lo, q.start):  # "elevó su objetivo de 7.600 a 8.000 puntos": from, to
            records.append(Record(replace(q, value=q.value[1]), unit or ""))
            records[-1].prior.append(replace(q, value=q.value[0]))
            continue
        role, extra, sign = "value", 0.0, 0
        if metric == "buyback" and unit == "%" and records and _OF_CAPITAL.match(text, q.end):
            continue
        if metric == "buyback" and unit == "shares" and records and records[-1].unit in CURRENCIES:
            continue  # "up to 300 billion yen or 150 million shares": the same programme, the money its value
        if metric == "buyback" and unit in CURRENCIES and records and records[-1].unit == "shares":
            records[-1] = Record(q, unit)  # "up to 50 million shares, worth up to 250 billion yen"
            continue  # "100.000 millones de yenes, equivalente al 1,8% de su capital": the same programme
        if metric == "buyback" and unit == "%" and not records and _OF_CAPITAL.match(text, q.end):
            records.append(Record(q, unit))  # "bis zu 10 Prozent des Grundkapitals zurückkaufen": % of capital
            continue
        if q.unit in ("bp", "pp"):
            role = "change"
            d = _nearest_direction(s, text[max(lo, q.start - 60):q.start], after)
            if d == 2 and lex.lang == "de":  # "ging um 0,8 Prozentpunkte auf 16,3 Prozent zurück": the particle
                d = _nearest_direction(s, "", text[q.end:s.clause(q.start)[1]], True)
            extra = (q.value if q.unit == "bp" else q.value * 100) if not isinstance(q.value, tuple) else 0.0
            extra = -abs(extra) if d == -1 else extra
        elif records and lex.by_after.match(after) and unit in CURRENCIES and not re.search(
                r"\b(?:of|de|von|at|bei|en)\s*$", after):
            role = "by"
            sign = -1 if _LESS.search(lex.by_after.match(after).group()) else 1  # type: ignore[union-attr]
        elif (lex.prior_first.match(after) or _STRONG_FROM.search(before) or (
                metric == "price_target" and _VON.fullmatch(before))) and records:  # "auf 44 Euro von 52 Euro"
            role = "prior"
        elif view or lex.expect_before.search(before) or (
                lex.expect_after.match(after) and not _COMPANY_FUTURE.search(text, lo, q.start)):
            role = "expect"
        elif lex.by.search(before) and unit in CURRENCIES and (
                lex.beat.search(before) or lex.miss.search(before) or lex.beat.search(after[:25])
                or lex.miss.search(after[:25]) or (records and lex.lang == "de" and lex.expect_noun.search(before)
                                                   and (lex.beat.search(text, lo, q.start)
                                                        or lex.miss.search(text, lo, q.start)))):
            role = "by"
            sign = -1 if lex.miss.search(before) or lex.miss.search(after[:25]) else 1
        elif lex.prior.search(before) or lex.prior_after.match(after) or _from_to(lex.lang, before, after, q, g, i):
            role = "prior"
        elif unit == "%" and metric not in PERCENT_METRICS:
            role = "change"
            if isinstance(q.value, tuple):
                continue
            d = _nearest_direction(s, text[max(lo, q.start - 60):q.start], text[q.end:s.clause(q.start)[1]], True)
            extra = -abs(q.value) if d == -1 or q.value < 0 else q.value
        elif metric in PERCENT_METRICS and unit != "%" or unit is None or unit in ("bp", "pp"):
            continue
        if role == "value" and metric in ("price_target", "dividend", "buyback") and i + 1 < len(g.qs) and \
                lex.by.search(before) and (lex.raise_.search(text, max(lo, q.start - 80), q.start)
                                           or lex.cut.search(text, max(lo, q.start - 80), q.start)):
            continue  # "trimmed its target by $5 to $95": the step, not the target
        if role == "value":
            records.append(Record(q, unit or ""))
            for r, pq, ex, sg in pending:
                _attach(records[-1], r, pq, ex, sg)
            pending = []
        elif records:
            _attach(records[-1], role, q, extra, sign)
        else:
            pending.append((role, q, extra, sign))
    return records, [(role, pq) for role, pq, _, _ in pending]


def _attach(rec: Record, role: str, q: Quantity, extra: float, sign: int) -> None:
    if role == "expect":
        rec.expect.append(q)
    elif role == "prior":
        rec.prior.append(q)
    elif role == "by":
        rec.by.append((q, sign))
    elif role == "change":
        rec.change.append(extra)


def _currency(g: Group) -> str | None:
    for q in g.qs:
        if q.unit in CURRENCIES:
            return q.unit
    return None


def group_facts(s: Sentence, g: Group, made: list[tuple[Group, list[Fact]]]) -> list[Fact]:
    """The tuples of one metric group."""
    kind = g.kind
    if kind in ("excluded", "deal", "") or not g.qs:
        return []
    if kind == "rate":
        from newsdesk.facts.rules_rates import rate_facts
        return rate_facts(s, g)
    kind = kind.removeprefix("weak_")
    negative = kind.startswith("loss_")
    metric = kind[5:] if negative else kind
    lex, text = s.ctx.lex, s.text
    lo, hi = s.clause(g.start)
    if lex.hypothetical.search(text[lo:g.qs[-1].end]) or (metric == "price_target" and lex.median.search(text[lo:hi])):
        return []
    if metric in ("dividend", "buyback") and lex.executed.search(text[max([lo, *(q.end for q in s.qs if q.end <= g.start)]):
                                                                     g.qs[0].end]):
        return []  # not "repurchased $300 million of stock and kept its dividend at 11.5 cents": that figure's
    if metric == "capex" and (_ONE_OFF.search(text, lo, hi) or LONG_RANGE.search(text, lo, hi)):
        return []  # "investiert 500 Millionen Euro in ein neues Werk", "bis 2030 insgesamt": no period's capex
    if metric == "gross_margin" and lex.lang == "es" and any(q.unit in CURRENCIES or (q.unit is None and
                                                                  mid(q.value) >= 1e5) for q in g.qs):
        metric = "revenue"
    if lex.lang == "de" and metric in ("operating_income", "operating_margin") and \
            (seg := _DE_NAMED_SEGMENT.search(text, lo, g.start)) and (seg.group("name") or len(seg.group("pre")) > 1):
        return []  # "Im Segment Post & Paket Deutschland ging das Ebit auf 142 Mio. Euro zurück": a segment's profit
    if metric in ("net_income", "operating_income", "operating_margin") and segment_profit(s, g):
        return []  # "el beneficio de Brasil fue de 650 millones": a region's profit
    records, orphans = _roles(s, g, metric, _currency(g))
    if not records:
        _lend(s, g, metric, orphans, made)
        return []
    segment, elsewhere = segment_of(s, g) if metric in ("revenue", "segment_revenue") else (None, False)
    if metric == "segment_revenue" and segment is None:
        metric = "revenue"
    elif segment is not None:
        metric = "segment_revenue"
    if metric in RESULTS and lex.lang == "en" and lex.prior_after.match(text):
        _lend_prior(s, metric, records[0], negative)  # "A year earlier it lost 99 cents a share."
        return []
    out = []
    listed = record_segments(s, g, [r.q for r in records]) if metric in ("revenue", "segment_revenue") and \
        not elsewhere else [None] * len(records)
    for rec, named in zip(records, listed):  # "iPhone, $49.0 billion; Mac, $8.7 billion": each its own segment
        fact = _record_fact(s, g, rec, "segment_revenue" if named else metric, negative, named or segment, elsewhere)
        if fact is not None:
            out.append(fact)
    return out


def _lend_prior(s: Sentence, metric: str, rec: Record, negative: bool) -> None:
    """A sentence that opens with the prior period states the prior value of the story's latest
    figure of that metric: its reference (when nothing else compares it), not a tuple."""
    facts = s.ctx.facts
    q = rec.q
    negative = negative or bool(s.ctx.lex.loss.search(s.text[max(0, q.start - 30):q.start]))
    value = mid(_signed(q.value, -1 if negative else 1))
    for i in range(len(facts) - 1, max(-1, len(facts) - 6), -1):
        f = facts[i]
        if f.metric == metric and f.unit == rec.unit:
            if f.comparison is None and f.reference is None:
                v = mid(f.value)
                word = "up" if v > value else "down" if v < value else "flat"
                facts[i] = Fact(f.entity, f.metric, f.value, f.unit, f.period, word, value, f.change, f.segment)
            return


def _lend(s: Sentence, g: Group, metric: str, orphans: list[tuple[str, Quantity]],
          made: list[tuple[Group, list[Fact]]]) -> None:
    """An expectation stated in a later clause ("..., while analysts had expected $9.8 billion")
    qualifies the previous tuple of the same metric in the sentence."""
    if not orphans or not made:
        return
    lex = s.ctx.lex
    for prev_group, facts in reversed(made):
        for i, f in enumerate(facts):
            if (f.metric.removeprefix("guidance_") != metric.removeprefix("loss_") and not (
                    orphans[0][0] == "prior" and f.metric == "operating_income" and _DE_PLAIN_PROFIT.fullmatch(
                        s.text, g.start, g.end))) or f.reference is not None:
                continue  # (an operating loss "nach einem Gewinn von 237 Mio. Euro ein Jahr zuvor": its prior value)
            window = s.text[prev_group.start:g.qs[-1].end + 40]
            role, first = orphans[0]
            if role == "prior" and f.comparison is None and not f.metric.startswith("guidance_"):
                ref, value = mid(first.value), mid(f.value)  # "..., frente al beneficio de 410 millones de un año antes"
                if g.kind.removeprefix("weak_").startswith("loss_"):
                    ref = -abs(ref)  # "..., nach einem Fehlbetrag von 180 Millionen Euro ein Jahr zuvor"
                word = "up" if value > ref else "down" if value < ref else "flat"
                facts[i] = Fact(f.entity, f.metric, f.value, f.unit, f.period, word, ref, f.change, f.segment)
            elif lex.analyst_view.search(window) or lex.expect_before.search(window):
                ref = mid(first.value)
                value = mid(f.value)
                guidance = f.metric.startswith("guidance_")
                if lex.inline.search(window):
                    word = "inline"
                elif lex.beat.search(window) and not lex.miss.search(window):
                    word = "beat"
                elif lex.miss.search(window) and not lex.beat.search(window):
                    word = "miss"
                else:
                    word = "beat" if value > ref else "miss" if value < ref else "inline"
                if guidance:
                    word = {"beat": "above", "miss": "below"}.get(word, word)
                facts[i] = Fact(f.entity, f.metric, f.value, f.unit, f.period, word, ref, f.change, f.segment)
            return


def _is_guidance(s: Sentence, g: Group, rec: Record, metric: str) -> bool:
    if metric not in GUIDABLE:
        return False
    lex, text = s.ctx.lex, s.text
    _lo, hi = s.clause(min(g.start, rec.q.start))
    before = text[0:rec.q.start]
    m = None
    for m in lex.guidance.finditer(before):
        pass
    if m is not None and not lex.analyst_view.search(text[max(0, m.start() - 50):m.end() + 30]):
        return True
    late = lex.guidance_after.search(text, rec.q.end, hi)  # not "... einen Umsatz von X gemeldet und eine höhere
    return bool(late) and not (lex.lang == "de" and late is not None and  # Dividende in Aussicht gestellt"
                               _DE_REPORTED.search(text, rec.q.end, late.start()))


def _record_fact(s: Sentence, g: Group, rec: Record, metric: str, negative: bool, segment: str | None,
                 elsewhere: bool) -> Fact | None:
    lex, text = s.ctx.lex, s.text
    q = rec.q
    pos = min(g.start, q.start)
    if rec.q is not g.qs[0] and (any(pos < m.start < q.start and m.kind == COMPANY for m in s.mentions) or
                                 (metric in ("segment_revenue", "eps", "capex") and s.clause(q.start)[0] > s.clause(pos)[0])):
        pos = q.start  # a later segment of a list in a clause of its own: its own words give its direction
    lo, hi = s.clause(pos)
    window = text[lo:min(len(text), max(hi, q.end + 60))]
    cut = max([lo, *(x.end for x in s.qs if x.end <= min(g.start, q.start)),
               *(x.end for x in s.groups if x.qs and x.end <= min(g.start, q.start) and x is not g)])
    guidance = _is_guidance(s, g, rec, metric)
    if not guidance and metric in RESULTS and lex.preview.search(text[:q.start]):
        return None
    if guidance and LONG_RANGE.search(text):
        return None
    final = GUIDABLE[metric] if guidance else metric
    if metric == "capex" and rec.q is not g.qs[0] and _ONE_OFF.search(text, *s.clause(q.start)):
        return None  # "..., y destinará 1.200 millones a la construcción de un parque eólico": a project's amount
    if metric == "net_income" and rec.unit in CURRENCIES and 0 < mid(q.value) < 10_000:  # 0: break even, no EPS
        metric = "eps"
        final = GUIDABLE[metric] if guidance else metric
    if metric == "eps" and _IN_CASH.search(text, q.end, min(len(text), q.end + 40)):
        return None  # "38 euros a share in cash": an offer price
    if metric == "eps" and not negative and lex.loss.search(text[max(lo, q.start - 30):q.start]):
        negative = True
    own_end = q.start  # where the words that may give a direction end
    if metric in ("net_income", "operating_income") and not negative and lex.lang == "de" and \
            (loss_of := _DE_LOSS_OF.search(text, max(lo, q.start - 40), q.start)):
        negative, own_end = True, loss_of.start()  # "Unter dem Strich stand ein Minus von 1,26 Milliarden Euro"
    value = _signed(q.value, -1 if negative else 1)
    unit = rec.unit
    if unit not in ("USD", "EUR", "JPY", "GBP", "CHF", "HKD", "%", "points", "shares"):
        return None
    if metric == "dividend" and (unit not in CURRENCIES or mid(value) >= 1000 or
                                 lex.payout_total.search(text[max(lo, q.start - 40):q.start])):
        return None
    if metric == "price_target" and (unit not in CURRENCIES and unit != "points" or mid(value) >= 1e6):
        return None  # (a million a share is no target: "raised its target to $5 billion in annual savings")
    kinds = {COMPANY, INDEX} if metric == "price_target" and unit not in CURRENCIES else {COMPANY}
    if metric == "price_target" and unit == "points":
        kinds = {INDEX}  # "Bankinter fija un objetivo de 16.400 puntos para el selectivo": the index's target
    exclude = BROKERS | _agents(s, g.start) if metric == "price_target" else frozenset()
    entity = s.entity(pos, kinds, exclude=exclude) if not elsewhere else s.entity(g.end, kinds)
    of: re.Match[str] | None = None
    named: list[Mention] = []
    if metric == "price_target" and (of := _TARGET_OF.match(text, g.end)):
        named = [m for m in s.mentions if m.start == of.end() and m.kind in kinds]
        if not named and any(m.start == of.end() and m.kind == ANAPHOR for m in s.mentions) and (prev := [
                m for m in s.mentions if m.kind == COMPANY and m.end <= g.start]) and any(
                prev[-1].end <= x.start < g.start for x in s.qs):
            named = [prev[-1]]  # "Sabadell se dejó un 0,3% tras ... su precio objetivo para la entidad": the mover's
        entity = s.code(named[0]) or entity if named else entity  # "precio objetivo de BBVA": BBVA, broker or not
    if metric == "price_target" and not (of and named) and (fronted := [
            m for m in s.mentions if m.kind in kinds and m.end <= g.start and _FRONT_FOR.fullmatch(text, 0, m.start)]):
        entity = s.code(fronted[0]) or entity  # "Für die Commerzbank bestätigte Berenberg ihr Kursziel": broker or not
    if entity is None:
        return None
    if metric == "price_target" and entity in index_codes() and unit in CURRENCIES:
        return None
    change = rec.change[0] if rec.change else None
    if change is None and _DOUBLED.search(text, lo, hi if hi > q.end else q.end + 60):  # not ", while net income doubled"
        change = 100.0
    elif change in (None, 50.0) and lex.lang == "en" and _EN_HALVED.search(window):
        change = -50.0  # "net profit halved to 932 billion yen"
    elif change is None and lex.lang == "de" and _DE_HALVED.search(window):
        change = -50.0  # "der Gewinn halbierte sich auf ..."
    after = text[q.end:min(hi, q.end + 40)]
    comparison, reference = _comparison(s, rec, final, value, change, window, text[cut:own_end],
                                        text[max(min(g.end, q.start), lo if pos == q.start else 0):own_end], after,
                                        text[lo:own_end])
    if comparison == "flat" and change is None and (final in RESULTS or final == "dividend"):
        change = 0.0
    period = tuple_period(s, final, q.start)
    return Fact(entity, final, value, unit, period, comparison, reference, change,
                segment if final in ("segment_revenue", "guidance_revenue") else None)


def _agents(s: Sentence, keyword: int) -> frozenset[str]:
    """Companies right before the verb that sets the target ("Bankinter mantuvo una valoración de
    17,60 euros"): the firm that rates, not the covered security (unless it is the story's own symbol)."""
    lex = s.ctx.lex
    out = set()
    for m in s.mentions:
        code = s.code(m)
        if m.kind == COMPANY and code and code not in s.ctx.resolver.related and \
                not _FOR_NAME.search(s.text, max(0, m.start - 12), m.start):
            nxt = _NEXT_WORD.match(s.text, m.end)
            verb = nxt and next((v for p in (lex.raise_, lex.cut, lex.hold) if (v := p.match(s.text, nxt.end()))), None)
            if verb and 0 <= keyword - verb.end() <= 12:
                out.add(code)
    return frozenset(out)


_NEXT_WORD = re.compile(r"\s+(?:(?:now|also|ahora|también|nun|zudem)\s+)?")
_FOR_NAME = re.compile(r"\b(?:für|for|on|para|sobre|de|del|bei|von)\s+(?:die |der |den |the |la |el )?$", re.IGNORECASE)




__all__ = ["BANK", "RESULTS", "group_facts", "mid"]
