"""Numbers no metric keyword claims -> moves and levels of shares and named indices
(price_move, share_price, index_move, index_level), with the scope rules that drop intraday
extremes, thresholds, moves from a peak and an index contribution."""

from __future__ import annotations

import re

from newsdesk.facts.entities import COMPANY, INDEX, index_codes
from newsdesk.facts.model import CURRENCIES, Fact
from newsdesk.facts.numbers import Quantity
from newsdesk.facts.rules import compile_fast
from newsdesk.facts.rules_compare import _nearest_direction
from newsdesk.facts.rules_moves_who import (
    INDEX_WORD,
    SECTOR_INDEX,
    SINCE_EVENT,
    after_move_of,
    antecedent,
    listed_on,
    named_after,
    named_fund,
    paired,
    placed_in_index,
    shared_unit,
    unlisted_name,
)
from newsdesk.facts.rules_sentence import Sentence

_LEAD = re.compile(r"(?:[^\W\d_]+\s+)*")  # words a number's span starts with ("hasta 14,2 puntos")
_CONTRIBUTOR = compile_fast(r"\b(?:kostete|kosteten|steuerte|steuerten|brachte|took|added|knocked|sliced|shaved|"
                         r"lopped|contributed|restó|aportó|sumó|quitó)\b")
_GROWTH = compile_fast(r"\b(?:grew|grow|grows|growth|wuchs|wächst|gewachsen|Wachstum|creció|crecen|crece|crecimiento)\b")
_FROM_EXTREME = compile_fast(
    r"^(?:\s*[\w']+){0,3}?\s+(?:from|since|off|desde|seit|vom|von)\s+(?:its|their|the|su|sus|el|la|dem|ihrem|seinem|"
    r"einem)?\s*(?:[\w-]+\s+){0,2}?(?:lows?|highs?|record|bottom|peak|mínimos?|máximos?|Tief\w*|Hoch|Rekord\w*)\b")
#: a move over a span no period token names ("1,200% over the past three years", "since its IPO")
_LONG_SPAN = compile_fast(r"^\s*(?:(?:over|in|during) the (?:past|last) (?:two|three|four|five|six|seven|eight|nine|ten|"
                          r"\d+) years|since (?:its |the |their )?(?:IPO|listing|debut|market debut|(?:19|20)\d\d))\b")
_OF_INDEX = compile_fast(r"\s*(?:of|in|on|des|im|del|en el)\s+(?:the\s+)?(?-i:[A-Z])")
_OF_THING = compile_fast(r"\s*(?:del?|of|des|der)\s+")
_ELLIPSIS = compile_fast(r"^[^,;]{0,25}\b(?:y|e|and|und|sowie)\s+(?:del?|un|una|el|um|by|of)?\s*$|"
                         r"^[^,;\d]{0,12}\b(?:y|e|and|und|sowie)\s+(?:[^\W\d]+\s+){1,3}$")  # "und auf Wochensicht 4,5 %"
_PRONOUN = compile_fast(r"\b(?:it|they|its|their|sie|er|es|ihr|ihre|ella|ellas|él|ellos|sus?)\b")
#: "Seit Jahresbeginn summiert sich das Plus auf 84 Prozent": the shares' cumulative move, named before
_CUMULATIVE = compile_fast(r"\b(?:das|ein|einem) (?:Kurs)?(?:Plus|Minus)\b|\bder Kurs(?:gewinn|verlust|anstieg|rückgang)\b", 0)
#: "fell 40 cents, or 0.4%": the second spelling of one move has no verb of its own
_OR_ALT = compile_fast(r"^\s*,?\s*(?:or|or about|o|o sea|es decir|un|oder|bzw\.|beziehungsweise|das sind|entsprechend)\s*$")
#: verbs that give a share's direction only (not a result's: "sumaron 4.720 millones" is no rise)
_MOVE_UP = {"en": compile_fast(r"\b(?:recovered|recovers|bounced|bounces|recouped|rebounded)\b"),
            "de": compile_fast(r"\b(?:befestigt\w*|Kursplus|Kursgewinn\w*|Kurssprung|Satz|Kursanstieg|Aufschläge?)\b"),
            "es": compile_fast(r"\b(?:sum[óo]|sumaron|sumaba|sumaban|rebot\w*|salt[óo]|saltaron|se encareci\w*|"
                               r"encareci\w*|se dispar\w*|se apreci\w*|apreci[óo]\w*|alzas|repuntes)\b")}
_MOVE_DOWN = {"en": compile_fast(r"\b(?:(?:was|were|is|are) off|loss|losses|declines?|drop|slide)\b"),
              "de": compile_fast(r"\b(?:ermäßigt\w*|bröckelt\w*|Kursminus|Kursverlust\w*|Kursrutsch|Kurseinbruch|"
                                 r"Abschläge|Kursabschl\w*|Einbußen)\b"),
              "es": compile_fast(r"\b(?:se abarat\w*|abarat\w*|se desinfl\w*|desinfl\w*|caer|descensos|retrocesos|"
                                 r"recortes)\b")}
_DE_AGENT = compile_fast(r"\b(?:durch|laut|seitens)\s+(?:die |den |der |das |US-Bank |Bank )?$", 0)
_DE_SINCE_PEAK = compile_fast(r"\b[Ss]eit (?:dem|ihrem|seinem|einem) (?:\w+ )?(?:Rekord\w*|Allzeithoch|Hoch|Tief\w*|"
                              r"Jahreshoch|Jahrestief|Höchst\w*|Tiefst\w*|Zwischenhoch)\b", 0)
MOVE_PERIODS = frozenset({"pre-market", "session", "after-hours", "week", "month", "YTD", "12M"})


def _distance(text: str, period: tuple[int, int, str], start: int, end: int) -> int:
    lo, hi = (period[1], start) if period[1] <= start else (end, period[0])
    gap = text[lo:hi]
    return max(0, hi - lo) + (60 if "," in gap else 0) + (30 if _AND.search(gap) else 0)


_AND = compile_fast(r"\b(?:and|und|sowie|y|e|while|mientras)\b")


def _in_apposition(s: Sentence, p: tuple[int, int, str], pos: int) -> bool:
    """A period inside an apposition before the number ("X, the DAX's best performer this year, fell 1.2%")."""
    if p[1] > pos or s.text.count(",", p[1], pos) != 1:
        return False
    return any(m.end <= p[0] and s.text.startswith(",", m.end) and s.text.count(",", m.end, p[0]) == 1
               for m in s.mentions)


_WEAK_SESSION = frozenset({"zuletzt", "last"})
_THIS_YEAR = compile_fast(r"\s*(?:so far\s+)?(?:(?:in|en|im Jahr|im)\s+20\d\d\b(?!\s*(?:,|\.|;)?\s*(?:compared|frente|"
                         r"gegenüber))|(?:for|on)\s+the\s+year\b(?![\s-]+(?:earlier|ago|before)))")
_REGULAR = compile_fast(r"\b(?:regul\w+|closed|close|schloss|schlossen|Schluss|cerr[óo]|cerraron|cierre|Xetra-Handel|session|"
                        r"sesión)\b")


def _move_period(s: Sentence, pos: int) -> str:
    lex = s.ctx.lex
    lo, hi = s.clause(pos)
    # a period of the number's clause, or one after it before the next number ("fell 4.1% after the bell")
    # (beyond the clause only right after the number: not "plunged 11% after the drugmaker cut its
    # outlook for the second time this year")
    nxt = min([q.start for q in s.qs if q.start > pos] + [len(s.text)])
    end = next((q.end for q in s.qs if q.start == pos), pos)
    near = [p for p in s.periods if p[2] in MOVE_PERIODS and (lo <= p[0] < hi or pos < p[0] < nxt and (
        p[0] < hi or p[0] - end <= 30))]
    # a period belongs to the number nearest it, a comma between them counting as distance
    # ("2.3% this week and 21.4% this year"; "lost a fifth this week, on Friday it fell 2.5%"), unless
    # that number is another move ("rose 1.4% on the day and 3.9% for the week")
    near = [p for p in near if not _in_apposition(s, p, pos)]
    nearest = {p: min(s.qs, key=lambda q: _distance(s.text, p, q.start, q.end)) for p in near}
    near = [p for p in near if nearest[p].start == pos] or [
        p for p in near if nearest[p].unit != "%" or nearest[p].start < lo or nearest[p].start >= hi]
    if near:
        best = min(near, key=lambda p: _distance(s.text, p, pos, pos))
        if best[2] != "session" or s.text[best[0]:best[1]].casefold() not in _WEAK_SESSION:
            return best[2]
    clause = s.text[lo:hi]
    if lex.after_hours.search(clause):
        return "after-hours"
    if lex.pre_market.search(clause):
        return "pre-market"
    if _THIS_YEAR.match(s.text, next((q.end for q in s.qs if q.start == pos), pos)):
        return "YTD"  # "the S&P 500 is up 9.2% in 2026": a move over the year so far
    plain = getattr(s.ctx, "plain_before", None)  # "... ist die Aktie nachbörslich unter Druck geraten. Das
    if plain and not _REGULAR.search(s.text):      # Papier verlor zuletzt 3,2 Prozent": the sentence before's
        if lex.after_hours.search(plain):
            return "after-hours"
        if lex.pre_market.search(plain):
            return "pre-market"
    lead = [p for p in s.periods if p[2] in MOVE_PERIODS and p[0] < 25 and not any(q.start < p[0] for q in s.qs)]
    if lead:  # "For the week, the S&P 500 is up 1.6%, and the Nasdaq has gained 2.4%": the sentence's period
        return lead[0][2]
    return "session"


_AFTERWARDS = compile_fast(r"\b(?:before|then|to close|to end|closing|ending|ended|settled|finished|schloss|"
                         r"beendete|ging|bevor|danach|cerró|terminó|antes de|para cerrar|acabó)\b")


def _move_direction(s: Sentence, q: Quantity, before: str, after: str) -> int:
    """The direction of a share's or index's move: the nearest direction word, else an explicit sign
    ("Barclays (+1.9%)"), else a verb that only moves of prices use ("Talgo sumó un 2%")."""
    d = _nearest_direction(s, before, after, True)
    lang = s.ctx.lex.lang
    up, down = _MOVE_UP.get(lang), _MOVE_DOWN.get(lang)
    if up is not None and down is not None:
        near = before[-60:]
        hits = [(m.end(), 1) for m in up.finditer(near)] + [(m.end(), -1) for m in down.finditer(near)]
        if hits and (d == 2 or max(hits)[0] > len(near) - 30 and not _DIRECTION_NEAR[lang].search(near, max(hits)[0])):
            d = max(hits)[1]
    if d == 2 and s.text.startswith("+", q.start):
        d = 1
    if d == 2 and lang == "de" and _DE_AB.match(after):
        d = -1  # "Die Aktie von BASF gab 2 Prozent ab"
    return d


_DE_AB = compile_fast(r"[^.;,]{0,25}?\bab\b(?=\s*(?:[.,;:]|und\b|$))")
#: price levels the lexicon's level cues miss: "auf ein Rekordhoch von 45,10 Euro", "kostete zuletzt 45,10 Euro"
_LEVEL_MORE = {
    "en": compile_fast(r"\bto\s+(?:a\s+)?(?:new\s+|fresh\s+)?(?:record|all-time|52-week|multi-year)\s+(?:high\s+|low\s+)?of\s*$"),
    "de": compile_fast(r"\b(?:auf|bei)\s+(?:ein(?:em|en)?\s+)?(?:neues?\s+|neuen\s+)?(?:Rekord\w*|Hoch|Höchststand|"
                       r"Allzeithoch|Jahreshoch|Jahrestief|Tief|Mehrjahreshoch)\s+von\s*$|\bkostete\w*\s+(?:zuletzt\s+)?$"),
    "es": compile_fast(r"\b(?:hasta|en)\s+(?:un\s+|el\s+|los\s+)?(?:nuevo\s+)?(?:máximo|mínimo|récord)\w*\s+(?:histórico\s+)?"
                       r"de\s*(?:los\s+)?$")}


_DIRECTION_NEAR = {"en": compile_fast(r"\b(?:rose|fell|gained|lost|up|down|higher|lower)\b"),
                   "de": compile_fast(r"\b(?:stieg\w*|fiel\w*|gewann\w*|verlor\w*|Plus|Minus|höher|tiefer)\b"),
                   "es": compile_fast(r"\b(?:subi\w*|baj\w*|gan\w*|perdi\w*|cay\w*)\b")}


def _intraday(s: Sentence, before: str) -> bool:
    """An intraday extreme ("as much as 11%"), unless the text moves on to the close after it."""
    m = None
    for m in s.ctx.lex.intraday.finditer(before):
        pass
    return m is not None and not _AFTERWARDS.search(before, m.end()) and not (
        _LEVEL_MORE[s.ctx.lex.lang].search(before) and m.end() > len(before) - 40)  # "hasta un máximo histórico de"


def _respectively(s: Sentence, free: list[Quantity]) -> dict[int, str]:
    """"Coinbase and Robinhood rose 4.4% and 3.9%, respectively": the moves in the names' order."""
    m = _RESPECTIVELY.search(s.text)
    if m is None:
        return {}
    pcts = [q for q in free if q.unit == "%" and q.end <= m.start()]
    if len(pcts) < 2 or any(pcts[0].end <= x.start < pcts[-1].start for x in s.mentions):
        return {}
    lo = s.clause(pcts[0].start)[0]
    names = [x for x in s.mentions if x.kind in (COMPANY, INDEX) and x.end <= pcts[0].start
             and x.start >= min(lo, pcts[0].start - 120)]
    if len(names) < len(pcts):
        return {}
    names = names[-len(pcts):]
    return {q.start: s.code(x) or "" for q, x in zip(pcts, names) if s.code(x)}


_RESPECTIVELY = compile_fast(r"\b(?:respectively|respectivamente)\b")


#: English: the direction stated right after a price level ("closed at $112.40 on its first day, up 275%")
_LEVEL_TAIL = re.compile(r"[^.;,]{0,30},\s*(up|down|higher|lower)\s+[\d$]")


def move_facts(s: Sentence, free: list[Quantity]) -> list[Fact]:
    """Moves and levels among the free numbers of a sentence."""
    lex, text = s.ctx.lex, s.text
    free = shared_unit(s, free)
    respectively = _respectively(s, free) or paired(s, free)
    indices = index_codes()
    out: list[Fact] = []
    amounts: list[tuple[tuple[int, int], Fact]] = []
    pct_clauses: set[tuple[tuple[int, int], str]] = set()
    prev_end = 0
    last_direction = 2
    agents = frozenset(c for m in s.mentions if lex.lang == "de" and (c := s.code(m)) and
                       _DE_AGENT.search(text, max(0, m.start - 20), m.start))  # "nach einer Abstufung durch X"
    for q in free:
        lo, hi = s.clause(q.start)
        prev_start = max(lo, prev_end, q.start - 80)
        before = text[prev_start:q.start]
        lead_words = _LEAD.match(text, q.start, q.end)
        lead = before + (lead_words.group() if lead_words else "")  # "hasta 14,2 puntos" spans its cue
        prev_end = q.end
        after = text[q.end:q.end + 40]
        head = text[lo:q.start]
        if lex.hypothetical.search(text[lo:q.end]) or _intraday(s, before) or isinstance(q.value, tuple) or (
                lex.lang == "de" and lex.hypothetical.search(text, q.end, hi)):  # "... auf 15 Euro denkbar"
            continue
        if lex.lang == "de" and _DE_SINCE_PEAK.search(text, lo, q.start):
            continue  # "Seit dem Rekordhoch im März hat die Aktie 35 Prozent verloren": a move from a peak
        if (q.unit in ("points", None) and lex.contribution.match(after)) or lex.from_peak.match(after[:60]) \
                or _FROM_EXTREME.match(after[:70]) or _LONG_SPAN.match(after[:60]):
            continue
        # "Die Aktie legte 2,6 % zu und gehörte zu den Gewinnern im DAX": an index after the number is
        # not the subject when "the shares" came before it without a name
        # ("The shares, which have lost 38% since January, ...": the sentence's "shares" with no name
        # between them and the number)
        said = max((p for p in s.shares if p < q.start), default=-1)
        bare_shares = said >= 0 and not any(min(lo, said) <= m.start < q.start for m in s.mentions)
        owner = _OF_THING.match(text, q.end)
        if owner and (kw := lex.keywords.match(text, owner.end())) and \
                lex.keyword_kinds.get(kw.lastgroup or "") == "excluded":
            continue  # "la caída del 1,3% del Brent": the move of something else
        named_index = any(m.kind == INDEX and m.start < q.start for m in s.mentions)
        entity = s.entity(q.start, {COMPANY} if bare_shares and not named_index else {COMPANY, INDEX},
                          exclude=agents, right=not bare_shares)  # "Seit Jahresbeginn hat das Papier 30 % verloren": a company's
        entity = respectively.get(q.start, entity)
        if entity in indices:
            entity = placed_in_index(s, q, entity) or listed_on(s, q, entity) or antecedent(s, q, entity) or entity
        if q.start not in respectively:
            entity = unlisted_name(s, q) or named_after(s, q) or named_fund(s, q) or entity
        if entity not in indices and any(s.code(m) == entity and INDEX_WORD.match(text, m.end) for m in s.mentions):
            continue  # "The MSCI index of Asia-Pacific shares": an index no code names
        if entity in indices and any(s.code(m) == entity and SECTOR_INDEX.match(text, m.end) for m in s.mentions):
            continue  # "Stoxx Europe 600 Banks": a sector index the table does not name
        if SINCE_EVENT.search(text, lo, min(hi, q.end + 40)) and not any(
                p[2] in MOVE_PERIODS and p[0] < q.start for p in s.periods):
            continue  # "Desde que se anunció la oferta, ... más de un 100%": since an event, no period
        if entity is None:
            continue
        fund = named_fund(s, q) if q.start not in respectively else None
        if not (s.in_clause(q.start, (COMPANY, INDEX)) or any(m.start < q.start for m in s.mentions) or entity == fund
                or any(p < q.start for p in s.shares) or _PRONOUN.search(text, 0, q.start)
                or (entity in indices and entity == s.ctx.prev_entity) or _CUMULATIVE.search(text, lo, q.start)
                and any(p[2] in ("YTD", "week", "month", "12M") for p in s.periods)
                or not s.mentions and after_move_of(s, entity) and any(p[2] in MOVE_PERIODS for p in s.periods)):
            continue  # "the business grew 50%": no one's shares
        if not s.in_clause(q.start, (COMPANY, INDEX)) and lex.sector.search(text[lo:q.start]):
            continue  # "European bank shares rose 1.5%": a sector, not a named entity
        sector = None
        for sector in lex.sector.finditer(text, max(lo, prev_start), q.start):
            pass
        if sector is not None and not any(sector.start() <= m.start < q.start for m in s.mentions):
            continue
        if sector is not None and entity in indices and _OF_INDEX.match(text, sector.end()):
            continue  # "The health-care sector of the S&P 500 fell 1.4%": a sector, not the index
        is_index = entity in indices
        if q.unit == "%":
            if _GROWTH.search(before[-30:]) and not any(lo <= p < q.start for p in s.shares):
                continue  # "Azure grew 39%": a business, not a share price
            d = _move_direction(s, q, before, after)
            if d == 2 and last_direction != 2 and (any(prev_start <= m.start < q.start for m in s.mentions)
                                                   or _ELLIPSIS.search(before) or _OR_ALT.match(before)
                                                   or any(prev_start <= p[0] < q.start and p[2] in MOVE_PERIODS
                                                          for p in s.periods)):
                d = last_direction  # "Santander rose 2.4% and BBVA, 1.9%": the verb is left out ("..., auf Wochensicht 3,1 %")
            if q.value < 0:
                d = -1
            last_direction = d
            if d not in (1, -1, 0):
                continue
            value = -abs(q.value) if d == -1 else abs(q.value)
            metric = "index_move" if is_index else "price_move"
            comparison = "up" if value > 0 else "down" if value < 0 else "flat"
            out.append(Fact(entity, metric, value, "%", _move_period(s, q.start), comparison))
            pct_clauses.add(((lo, hi), entity))
        elif q.unit in CURRENCIES and not is_index:
            if lex.threshold.search(lead):
                continue
            if (lex.level.search(lead) or _LEVEL_MORE[lex.lang].search(lead)) and q.value < 1e6:
                d = _nearest_direction(s, head[-50:], "")
                if d == 2 and (tail := _LEVEL_TAIL.match(text, q.end, hi)):
                    d = 1 if tail.group(1).lower() in ("up", "higher") else -1  # "closing at $112.40 ..., up 275%"
                level_cmp = "up" if d == 1 else "down" if d == -1 else None
                out.append(Fact(entity, "share_price", q.value, q.unit, _move_period(s, q.start), level_cmp))
            else:
                d = last_direction = _nearest_direction(s, before[-30:], after)
                if d == 2 and lex.lang == "de":  # "gab 12 Cent auf 34,88 Euro nach": the particle ends the clause
                    d = last_direction = _nearest_direction(s, before, text[q.end:hi], True)
                if d in (1, -1) and q.value < 1e5:
                    value = -abs(q.value) if d == -1 else abs(q.value)
                    amounts.append(((lo, hi), Fact(entity, "price_move", value, q.unit, _move_period(s, q.start),
                                                   "up" if d == 1 else "down")))
        elif q.unit in ("points", None) and is_index:
            if lex.threshold.search(lead) or q.value <= 0:
                continue
            nxt = min([x.start for x in s.qs if x.start >= q.end] + [hi])
            nxt = nxt if "," in text[q.end:nxt] else hi
            d = _nearest_direction(s, before, text[q.end:nxt], True)  # not "..., un 0,3% más": the % move's
            if _CONTRIBUTOR.search(text, lo, q.start) and any(
                    m.kind == COMPANY and lo <= m.start < q.start for m in s.mentions):
                continue  # "Siemens kostete den DAX rund 70 Punkte": a stock's contribution
            if (lex.level.search(lead) or (q.unit == "points" and d not in (1, -1))) and not (
                    q.unit == "points" and _OR_ALT.match(before)):  # not "rose 1.05%, or 497.46 points"
                d = _nearest_direction(s, head[-50:], "")
                index_cmp = "up" if d == 1 else "down" if d == -1 else None
                out.append(Fact(entity, "index_level", q.value, "points", _move_period(s, q.start), index_cmp))
            else:
                d = last_direction = _nearest_direction(s, before[-30:], after)
                if d == 2 and lex.lang == "de":  # "ging es um 21,4 Punkte auf 5.688 Punkte nach oben": the particle ends the clause
                    d = last_direction = _nearest_direction(s, before, text[q.end:hi], True)
                if d in (1, -1):
                    value = -abs(q.value) if d == -1 else abs(q.value)
                    amounts.append(((lo, hi), Fact(entity, "index_move", value, "points", _move_period(s, q.start),
                                                   "up" if d == 1 else "down")))
    for (clause, fact) in amounts:
        if (clause, fact.entity) not in pct_clauses and not any(
                f.entity == fact.entity and f.metric == fact.metric and f.unit == "%" for f in out):
            out.append(fact)
    return out
