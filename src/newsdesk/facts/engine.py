"""The extractor: a story's title and text -> its market facts (a rule engine; see docs/facts.md).

Hand-written rules rather than a model: the vocabulary is closed (22 metrics), the target is over
1,000 stories a second on one core with no model download, and every decision of the reference
(hedges, scope rules, borderline cases) is a rule a test can pin. The pipeline per story:

1. sentences (title first, then the text), each gated cheaply: no digit and no number word, no work;
2. per sentence: numbers (``numbers.find_quantities``), periods (``periods.find_periods``), entity
   mentions (``entities.Resolver``) and metric keywords (``rules.lexicon``), then the facts
   (``rules_sentence``);
3. story-level clean-up: the latest move or level per entity and period (scope rule S4), one tuple
   per (entity, metric, value, unit).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsdesk.facts.entities import COMPANY, Resolver
from newsdesk.facts.model import Fact
from newsdesk.facts.rules import LANGS, lexicon

#: stories longer than this are cut (content from sources is untrusted; facts live near the top)
MAX_CHARS = 60_000
#: titles longer than this are cut (a headline is a line; a hostile one should not cost a second pass)
MAX_TITLE = 1_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
_ABBREV = frozenset(
    ["inc", "corp", "co", "ltd", "plc", "mrd", "mio", "bzw", "ca", "vs", "no", "nr", "dr", "mr", "mrs", "ms", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "e.g", "i.e", "z.b", "rd", "tsd", "mill", "bn", "mn", "approx", "fig", "etc", "sr", "jr", "dic", "ene", "abr", "ago", "oct", "sa", "s.a", "ag", "cía", "vgl"])
_DIGIT = re.compile(r"\d")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")  # "D.R. Horton", "J.M. Smucker": initials, no sentence end
_SENT_END = re.compile(r"[.!?](?:[\"”’')\]]*)\s+|\n+")
_US_EXCHANGES = frozenset({"NASDAQ", "NYSE", "AMEX", "NYSEARCA", "NYSEAMERICAN", "BATS"})
_MOVES = frozenset({"price_move", "share_price", "index_move", "index_level"})


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; a full stop after a known abbreviation or before a lower-case word
    or a digit does not end a sentence."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        if m.group()[0] == ".":
            before = text[max(start, m.start() - 6):m.start()]
            word = before.rsplit(None, 1)[-1].lower() if before.strip() else ""
            word = word.rsplit("(", 1)[-1]
            nxt = text[m.end():m.end() + 1]
            if word.strip(".") in _ABBREV or (len(word) == 1 and word.isalpha()) or nxt[:1].islower() \
                    or _INITIALS.fullmatch(word) \
                    or nxt[:1].isdigit():
                continue
        piece = text[start:m.end()].strip()
        if piece:
            out.append((start, piece))
        start = m.end()
    piece = text[start:].strip()
    if piece:
        out.append((start, piece))
    return out


def _clean(text: object) -> str:
    if not isinstance(text, str):
        return ""
    return _CONTROL.sub(" ", text[:MAX_CHARS])


def _subject(resolver: Resolver, title: str, sentences: list[tuple[int, str]]) -> str | None:
    """The story's subject: its first related symbol, else the first company named in the title,
    else the first company of the text."""
    if resolver.related:
        return resolver.related[0]
    for text in (title, *(s for _, s in sentences[:6])):
        for m in resolver.find(text):
            if m.kind == COMPANY:
                return m.code
    return None


def extract(title: str, text: str, lang: str, symbols: Sequence[str] = ()) -> list[Fact]:
    """The facts a story states, in order of appearance.

    ``lang`` is the story's language (``en``, ``de``, ``es``; others give no facts), ``symbols``
    its related symbols (``NASDAQ:NVDA`` or ``NVDA``), which take precedence when entities resolve.
    """
    if lang not in LANGS:
        return []
    from newsdesk.facts.rules_sentence import SentenceContext, sentence_facts

    title, text = _clean(title)[:MAX_TITLE], _clean(text)
    lex = lexicon(lang)
    resolver = Resolver(lang, symbols if isinstance(symbols, (list, tuple)) else ())
    resolver.adopt(title)
    titles = [(0, s) for _, s in split_sentences(title)]
    sentences = titles + split_sentences(text)
    ctx = SentenceContext(lex=lex, resolver=resolver, subject=_subject(resolver, title, sentences))
    if lang != "en" and symbols and isinstance(symbols[0], str) and symbols[0].split(":", 1)[0] in _US_EXCHANGES:
        ctx.currency = "USD"  # "26 Cent je Aktie" about a US-listed subject are US cents
    previous_end = 0
    in_title = 0
    for i, (offset, sentence) in enumerate(sentences):
        if i == len(titles):
            in_title = len(ctx.facts)
        if offset and "\n" in text[previous_end:offset]:
            ctx.prev_company = ctx.prev_entity = None  # a new paragraph: the subject's until it names another
        previous_end = offset + len(sentence)
        if not (_DIGIT.search(sentence) or lex.gate.search(sentence)):  # a digit: no need to try the words
            ctx.note_entities(sentence)
            continue
        ctx.facts.extend(sentence_facts(sentence, ctx))
        if i < len(titles):
            in_title = len(ctx.facts)
    return _clean_up(_headline_roundings(ctx.facts, in_title))


def _headline_roundings(facts: list[Fact], in_title: int) -> list[Fact]:
    """A headline figure the body states more precisely ("up 5%" over "rose 5.2%") is the same fact."""
    body = facts[in_title:]
    if not in_title:
        return body
    values: dict[tuple[str, str, str], set[float]] = {}  # distinct body values per (entity, metric, unit):
    for b in body:  # the check stays linear when a long title and body repeat one figure
        if not isinstance(b.value, tuple):
            values.setdefault((b.entity, b.metric, b.unit), set()).add(b.value)
    keep = []
    for f in facts[:in_title]:
        if isinstance(f.value, tuple) or not any(
                v != f.value and abs(v - f.value) <= max(abs(v) * 0.06, 0.0051)
                for v in values.get((f.entity, f.metric, f.unit), ())):
            keep.append(f)
    return keep + body


def _tidy(x: float | None) -> float | None:
    """Scaling noise off a number (``33.2 * 1e9`` is 33200000000.000004): 12 significant digits."""
    return None if x is None else float(f"{x:.12g}")


def _tidied(f: Fact) -> Fact:
    value = f.value
    value = (_tidy(value[0]) or 0.0, _tidy(value[1]) or 0.0) if isinstance(value, tuple) else (_tidy(value) or 0.0)
    return Fact(f.entity, f.metric, value, f.unit, f.period, f.comparison, _tidy(f.reference), _tidy(f.change),
                f.segment)


def _richness(f: Fact) -> int:
    return sum(x is not None for x in (f.period, f.comparison, f.reference, f.change, f.segment))


def _clean_up(facts: list[Fact]) -> list[Fact]:
    """Latest move or level per (entity, metric, period); one tuple per (entity, metric, value, unit)."""
    last: dict[tuple[str, str, str | None], int] = {}
    for i, f in enumerate(facts):
        if f.metric in _MOVES:
            last[(f.entity, f.metric, f.period)] = i
    kept = [f for i, f in enumerate(facts) if f.metric not in _MOVES or last[(f.entity, f.metric, f.period)] == i]
    best: dict[tuple[str, str, object, str, str | None], int] = {}
    out: list[Fact | None] = []
    for f in kept:
        k = (f.entity, f.metric, f.value, f.unit, f.segment)
        if k in best:
            j = best[k]
            prev = out[j]
            if prev is not None and _richness(f) > _richness(prev):
                out[j] = f
            continue
        best[k] = len(out)
        out.append(f)
    return [_tidied(f) for f in out if f is not None]
