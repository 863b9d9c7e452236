"""One sentence -> its facts: numbers grouped under the metric keyword that governs them, each
number given a role (value, expectation, prior value, change), each group attributed to the entity
mention governing its clause. Numbers no metric keyword claims are moves and levels
(``rules_moves``); a group becomes tuples in ``rules_groups``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from newsdesk.facts.entities import (
    ANAPHOR,
    BANK,
    COMPANY,
    INDEX,
    Mention,
)
from newsdesk.facts.model import Fact
from newsdesk.facts.numbers import Quantity, find_quantities
from newsdesk.facts.periods import find_periods
from newsdesk.facts.rules import Lexicon, compile_fast
from newsdesk.facts.rules_state import (
    BROKERS,
    LONG_RANGE,
    RELATIVE,
    STICKY,
    Group,
    Sentence,
    SentenceContext,
    rel_close,
)

_COMPLEMENT = re.compile(r"(?:%|Prozent|por ciento)\s+(?:of|de(?: la| las| los| el)?|del|des|der|vom)\s+(?:\w+\s+)?$")
_PER = compile_fast(r"\b(?:je|pro|per|a|por|each|on the|for the|auf die|für die|sobre la|para la)\s+$")
_DOUBLED_WORD = compile_fast(r"\b(?:doubled|verdoppelt\w*|duplic[óa]\w*)\b")
_DE_INDEX_COMPOUND = re.compile(r"-(?:Spitze|Ende|Konzern\w*|Schwergewicht\w*|Wert\w*|Mitglied\w*|Unternehmen|Titel|"
                                r"Neuling\w*|Aufsteiger|Absteiger|Liste|Gewinner|Verlierer|Favorit\w*|Firmen|Aktie\w*|"
                                r"Papier\w*)$")
_ES_NOT_OWNER = re.compile(
    r"(?:(?:consenso|estimaciones|previsiones|datos|media|promedio)(?: de(?: los)? analistas)?(?: (?:elaborad|compilad|"
    r"recopilad|recogid)[oa]s? por| de)|(?:consultad|sondead|encuestad)[oa]s por|según(?: (?:datos|el consenso|"
    r"estimaciones) de)?(?= (?:FactSet|LSEG|Bloomberg|Refinitiv|Visible Alpha|S&P Global|Morningstar))|"
    r"(?:que )?(?:cotiza|cotizan|cotizaba|cotizaban|listad[oa]s?|cotizad[oa]s?) en (?:el |la )?(?:mercado |bolsa )?)\s*$")
#: "analysts polled by FactSet", "the FactSet consensus", "according to LSEG": a data source, not the figure's owner
_EN_SOURCE = re.compile(r"(?:FactSet|LSEG|Bloomberg|Refinitiv|Visible Alpha|S&P Global|Morningstar|Zacks)(?:'s)?\b")
_EN_NOT_OWNER = re.compile(r"(?:\b(?:by|to|from|of|with|per)|\bthe)\s+$")
#: "Shares of the Dow Jones Industrial Average component slid": the company, named by its index
_EN_INDEX_MEMBER = re.compile(r"(?:'s)?[ -]+(?:components?|members?|constituents?|heavyweights?|stocks?|listed)\b")
_EN_SOURCE_NOUN = re.compile(r"(?:'s)?\s+(?:consensus|data|estimates?|polls?|surveys?|compilation)\b")
_OF_NAME = re.compile(r"\s*(?:von|der|des|of|in|de|del)\s+(?:der\s+|dem\s+|den\s+|the\s+|la\s+|el\s+)?")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
#: a loss keyword right after these is the reference of the figure before it, not a metric of its own
_VERSUS = compile_fast(r"\b(?:than|versus|vs\.?|compared (?:with|to)|from|against|over)\s+(?:(?:the|an?|its|year-ago|"
                       r"year-earlier|expected|estimated|forecast|adjusted)\s+)*$")

__all__ = ["BROKERS", "LONG_RANGE", "STICKY", "Group", "Sentence", "SentenceContext", "rel_close", "sentence_facts"]


def _inside(q: Quantity, spans: list[tuple[int, int]]) -> bool:
    return any(s <= q.start < e or s < q.end <= e for s, e in spans)


def _quantities(text: str, lang: str, mentions: list[Mention], currency: str | None = None) -> list[Quantity]:
    spans = [(m.start, m.end) for m in mentions if m.kind in (INDEX, COMPANY)]
    out = []
    for q in find_quantities(text, lang):
        if spans and _inside(q, spans):
            continue
        if q.unit is None and not isinstance(q.value, tuple) and _YEAR.match(text[q.start:q.end].strip()):
            continue
        if not isinstance(q.value, tuple) and q.value < 0 and text[q.start:q.start + 5].lower() == "menos" \
                and text[max(0, q.start - 3):q.start].lower() == "al ":
            q = replace(q, value=-q.value, approx=True)  # "al menos 0,66 euros" is at least 0.66, not minus
        if q.unit == "EUR" and text[q.start:q.end].rstrip().endswith(("Cent", "Cents", "céntimos")) and \
                currency == "USD":
            q = replace(q, unit="USD")  # "26 Cent je Aktie" in a story about a dollar company
        out.append(q)
    return out


def _periods(text: str, lang: str) -> list[tuple[int, int, str]]:
    return [(p.start, p.end, p.token) for p in find_periods(text, lang)]


def _groups(s: Sentence, qs: list[Quantity]) -> tuple[list[Group], list[Quantity]]:
    """Numbers under the keyword that governs them; the rest are free (moves, levels)."""
    lex, text = s.ctx.lex, s.text
    events: list[tuple[int, int, str | None, Quantity | None]] = []
    pos = 0
    table = lex.keyword_prefix.get
    for w in lex.keyword_starts.finditer(text):  # at word starts where a keyword can match, against those
        if w.start() < pos:
            continue
        pattern = table(text, w.start())
        m = pattern.match(text, w.start()) if pattern is not None else None
        if m and any(x.start < m.end() and m.start() < x.end and x.kind != ANAPHOR and not (
                x.kind == BANK and lex.keyword_kinds[m.lastgroup or ""] == "rate") for x in s.mentions):
            m = None  # "The Euro STOXX 50" is an index, not the euro
        if m:
            events.append((m.start(), m.end(), lex.keyword_kinds[m.lastgroup or ""], None))
            pos = m.end()
    events += [(q.start, q.end, None, q) for q in qs]
    events.sort(key=lambda e: (e[0], e[2] is None))
    groups: list[Group] = []
    free: list[Quantity] = []
    current: Group | None = None
    last_end = 0
    negate_next = False
    for start, end, kind, q in events:
        if q is None:
            if start < last_end:  # a keyword inside a number's span ("Mrd. Euro Umsatz" is fine, "points" not)
                continue
            if current is not None and current.qs and start < current.end and kind == current.kind:
                continue  # the keyword of the postfix that made the group ("un 6% su dividendo, hasta 0,25 euros")
            if current is not None and current.qs and _COMPLEMENT.search(text, max(0, start - 12), start):
                continue  # "58,4% of sales", "Prozent des Umsatzes": the figure's complement
            if current is not None and not current.qs and start - current.end <= 12 and kind and \
                    kind.removeprefix("weak_").removeprefix("loss_") == \
                    current.kind.removeprefix("weak_").removeprefix("loss_"):
                if "loss_" in kind and "loss_" not in current.kind:  # "el resultado neto fue una pérdida de"
                    current.kind, current.end = "loss_" + current.kind.removeprefix("weak_"), end
                continue  # "operating loss (EBIT)": one metric named twice
            if current is not None and current.qs and kind and kind.startswith("loss_") and lex.lang == "en" and \
                    _VERSUS.search(text, max(0, start - 40), start) and current.kind not in STICKY:
                negate_next = True  # "from a loss of £41 million", "than the loss of 72 cents expected": a reference
                continue
            if current is not None and current.qs and current.kind.startswith("loss_") and lex.lang == "en" and \
                    kind in ("net_income", "operating_income") and _VERSUS.search(text, max(0, start - 40), start):
                continue  # "an operating loss of X, compared with a profit of Y a year earlier": the prior value
            if current is not None and current.kind == "excluded" and not current.qs and 0 <= start - current.end <= 3:
                current.end = end  # "Vor Steuern verdiente": the qualifier makes the metric an excluded one
                continue
            if kind == "shares":
                if _PER.search(text, max(0, start - 9), start):
                    continue  # "je Aktie", "per share": a unit, not the shares
                s.shares.append(start)
                if current is not None and current.kind == "price_target" and not current.qs and \
                        start - current.end <= 30:
                    continue  # "raised its target price for Nvidia shares to $245": still the target's
            current = None if kind == "shares" else Group(kind or "", start, end)
            if current is not None:
                groups.append(current)
            continue
        last_end = end
        if negate_next:
            negate_next = False
            if not isinstance(q.value, tuple) and q.value > 0:
                q = replace(q, value=-q.value)
        pf = lex.postfix.match(text[q.end:q.end + 40])
        if current is not None and _reset(s, current, q):
            current = None
        pkind = lex.postfix_kinds[pf.lastgroup or ""] if pf else ""
        if pkind == "eps" and lex.level.search(text, max(0, q.start - 12), q.start) and \
                (lex.up.search(text, max(0, q.start - 60), q.start) or lex.down.search(text, max(0, q.start - 60), q.start)):
            pf, pkind = None, ""  # "rose 9.2% to 19.66 euros a share": a share price
        if pf and (current is None or current.kind not in STICKY or pkind in STICKY):
            if current is not None and current.kind == pkind:
                current.qs.append(q)
            else:
                current = Group(pkind, q.start, q.end + pf.end(), [q])
                groups.append(current)
            continue
        if current is not None and current.kind.startswith("weak_") and not current.qs and \
                q.unit not in ("USD", "EUR", "JPY", "GBP", "CHF", "HKD") and not (
                    q.unit is None and not isinstance(q.value, tuple) and q.value >= 1e5):
            current = None  # "ganó un 0,9%": the verb of a move, not a profit
        if current is not None:
            current.qs.append(q)
        else:
            free.append(q)
    return groups, free


def _reset(s: Sentence, g: Group, q: Quantity) -> bool:
    """A group ends at a clause boundary followed by another entity or a move verb."""
    last = g.qs[-1].end if g.qs else g.end
    if g.kind == "excluded" and any(last <= m.start < q.start and m.kind != ANAPHOR and not (
            not g.qs and _OF_NAME.fullmatch(s.text, g.end, m.start)) for m in s.mentions):  # not "Auftragseingang von X"
        return True
    cuts = [c for c in s.cuts if last <= c < q.start]
    if cuts and g.kind in ("excluded", "deal") and not RELATIVE.match(s.text, cuts[0]):
        return True
    if "," in s.text[last:q.start] and RELATIVE.search(s.text, 0, g.start):
        rel = list(RELATIVE.finditer(s.text, 0, g.start))[-1]
        tail = s.text[s.text.rfind(",", 0, q.start):q.start]
        lex = s.ctx.lex
        if "," in s.text[rel.end():q.start] and "," not in s.text[rel.end():g.start] and (
                lex.up.search(tail) or lex.down.search(tail)) and not lex.prior.search(tail):
            return True  # "BHP, which declared a dividend of 60 cents, lost 1.3%": the relative clause ended
    if not cuts:
        return False
    between = s.text[cuts[0]:q.start]
    if any(cuts[0] <= m.start < q.start and m.kind != ANAPHOR for m in s.mentions):
        return True
    lex = s.ctx.lex
    return bool(lex.up.search(between) or lex.down.search(between)) and not (
        lex.expect_before.search(between) or lex.analyst_view.search(between) or lex.prior.search(between)
        or lex.expect_after.match(s.text[q.end:q.end + 60]))  # ", por encima de los 30.000 millones que esperaba"


def sentence_facts(text: str, ctx: SentenceContext) -> list[Fact]:
    """The facts one sentence states."""
    from newsdesk.facts.rules_groups import group_facts
    from newsdesk.facts.rules_moves import move_facts

    lex = ctx.lex
    mentions = ctx.resolver.find(text)
    if lex.lang == "de":  # "an der DAX-Spitze", "der DAX-Konzern": a place in the index, not the index
        mentions = [m for m in mentions if m.kind != INDEX or not _DE_INDEX_COMPOUND.search(text, m.start, m.end)]
    elif lex.lang == "en":
        mentions = [m for m in mentions if not _EN_SOURCE.fullmatch(text, m.start, m.end) or not (
            _EN_NOT_OWNER.search(text[max(0, m.start - 20):m.start]) or _EN_SOURCE_NOUN.match(text, m.end))]
        mentions = [Mention(m.start, _EN_INDEX_MEMBER.match(text, m.end).end(), "", ANAPHOR)  # type: ignore[union-attr]
                    if m.kind == INDEX and text[max(0, m.start - 4):m.start] == "the " and _EN_INDEX_MEMBER.match(text, m.end)
                    else m for m in mentions]
    elif lex.lang == "es":  # "el consenso de FactSet", "que cotizan en el Nasdaq": a source or a market, not the figure's
        mentions = [m for m in mentions if not _ES_NOT_OWNER.search(text, max(0, m.start - 45), m.start)]
    qs = _quantities(text, lex.lang, mentions, ctx.currency)
    if not qs and (doubled := _DOUBLED_WORD.search(text)):  # "the stock has more than doubled this year"
        qs = [Quantity(doubled.end(), doubled.end(), 100.0, "%")]
    plain, ctx.prev_plain = ctx.prev_plain, None
    ctx.plain_before = plain
    if not qs:
        ctx.note(mentions, text)
        ctx.prev_plain = text
        return []
    for q in qs:
        if q.unit in ("USD", "EUR", "JPY", "GBP", "CHF", "HKD"):
            ctx.currency = q.unit
            break
    cuts = [m.start() for m in lex.clause.finditer(text)]
    for rel in RELATIVE.finditer(text):  # a relative clause ends at its closing comma
        close = rel_close(text, rel.end())
        if close > 0:
            cuts.append(close)
    cuts.sort()
    s = Sentence(text, ctx, mentions, cuts, _periods(text, lex.lang), qs)
    if ctx.story_period is None:
        ctx.story_period = s.period(0, prefixes=("Q", "H", "9M", "FY"))
    groups, free = _groups(s, qs)
    if plain and free and not groups and not s.shares and lex.carry is not None and lex.carry.match(text):
        kind = _carried_kind(plain, lex)
        if kind:  # "Revenue came in strong. It reached $4.1 billion": the figure is that revenue
            groups, free = [Group(kind, 0, 0, list(free))], []
    elif not groups and len(free) == 1 and free[0].unit == "%" and not s.shares and lex.carry is not None and \
            lex.carry.match(text) and _lend_change(s, free[0]):
        free = []  # "Revenue was $11.3 billion. That was up 46% from a year ago."
    elif not groups and free and lex.lang == "es" and _continues_segments(s, free):
        groups, free = [Group("segment_revenue", 0, 0, list(free))], []  # "... México, 2.150 millones. Argentina sumó 1.100"
    s.groups = groups
    facts: list[Fact] = []
    made: list[tuple[Group, list[Fact]]] = []
    for g in groups:
        got = group_facts(s, g, made)
        made.append((g, got))
    from newsdesk.facts.rules_lend import lend_group_expectations
    lend_group_expectations(s, made)  # "Analysts had expected earnings of $4.85 a share.": a reference
    facts.extend(f for _, got in made for f in got)  # a later group may have qualified an earlier tuple (_lend)
    base = len(ctx.facts)  # this sentence's tuples are the latest ones an expectation in it can qualify:
    ctx.facts.extend(facts)  # "..., un 12% menos por el abaratamiento del petróleo, pero por encima de los
    free = _lend_expectations(s, free)  # 1.050 millones que esperaba el consenso" (the commodity word cut the group)
    facts = ctx.facts[base:]
    del ctx.facts[base:]
    facts.extend(move_facts(s, free))
    ctx.note(mentions, text)
    return facts


def _continues_segments(s: Sentence, free: list[Quantity]) -> bool:
    from newsdesk.facts.rules_segments import continues_segments

    return continues_segments(s, free)


_CARRIED = frozenset({"revenue", "net_income", "operating_income", "eps", "loss_net_income", "loss_operating_income",
                      "loss_eps", "operating_margin", "gross_margin", "capex"})


_PRIOR_PERIOD = re.compile(r"\b(?:a year (?:earlier|ago|before)|year[- ](?:ago|earlier)|the (?:prior|previous|same) "
                           r"(?:year|quarter|period)|last year)\b")


def _lend_change(s: Sentence, q: Quantity) -> bool:
    """A sentence that only gives the change of the figure before it, against the prior period: the
    change of the story's latest reported figure (when it has none)."""
    lex, text = s.ctx.lex, s.text
    if isinstance(q.value, tuple) or not _PRIOR_PERIOD.search(text, q.end):
        return False
    d = -1 if lex.down.search(text, 0, q.start) else 1 if lex.up.search(text, 0, q.start) else 0
    facts = s.ctx.facts
    if not d or not facts or facts[-1].metric not in _CARRIED or facts[-1].change is not None:
        return False
    f = facts[-1]
    change = d * abs(q.value)
    comparison = f.comparison or ("up" if d > 0 else "down")
    facts[-1] = Fact(f.entity, f.metric, f.value, f.unit, f.period, comparison, f.reference, change, f.segment)
    return True


def _carried_kind(sentence: str, lex: Lexicon) -> str | None:
    """The reported metric a sentence without a number names first (None when it names another kind)."""
    m = lex.keywords.search(sentence)
    kind = lex.keyword_kinds[m.lastgroup or ""] if m else None
    return kind if kind in _CARRIED else None


_LENDABLE = frozenset({"revenue", "segment_revenue", "eps", "net_income", "operating_income", "operating_margin",
                       "gross_margin", "capex", "guidance_revenue", "guidance_eps", "guidance_net_income",
                       "guidance_operating_income", "guidance_operating_margin", "guidance_gross_margin"})


def _lend_expectations(s: Sentence, free: list[Quantity]) -> list[Quantity]:
    """"Analysts had expected 22.1 billion." after the figure's sentence: the expectation becomes the
    reference of the latest such figure of the story (same unit, similar size, no reference yet)."""
    lex, text = s.ctx.lex, s.text
    rest = []
    for q in free:
        before, after = text[max(0, q.start - 80):q.start], text[q.end:q.end + 40]
        if isinstance(q.value, tuple) or (q.unit is None and q.value < 1e5) or not (
                lex.analyst_view.search(text, s.clause(q.start)[0] if q.unit == "%" else 0, q.start)
                or lex.expect_before.search(before) or lex.expect_after.match(after)):
            rest.append(q)
            continue
        facts = s.ctx.facts
        for i in range(len(facts) - 1, max(-1, len(facts) - 9), -1):
            f = facts[i]
            value = (f.value[0] + f.value[1]) / 2 if isinstance(f.value, tuple) else f.value
            if f.metric in _LENDABLE and (f.unit == q.unit or q.unit is None) and value and \
                    (f.reference is None or f.comparison in ("up", "down", "flat")) and \
                    0.5 <= q.value / value <= 2:
                guidance = f.metric.startswith("guidance_") or f.metric == "capex"
                word = "beat" if value > q.value else "miss" if value < q.value else "inline"
                if lex.inline.search(text):
                    word = "inline"
                if guidance:
                    word = {"beat": "above", "miss": "below"}.get(word, word)
                facts[i] = Fact(f.entity, f.metric, f.value, f.unit, f.period, word, q.value, f.change, f.segment)
                break
    return rest
