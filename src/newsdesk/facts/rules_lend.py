"""Analysts' figures stated in a sentence after the result they qualify: "JPMorgan earned $5.07 a
share. Analysts had expected earnings of $4.85 a share." The second sentence's metric group gives no
tuple of its own (an expectation alone is not a fact, scope rule S2); its figure becomes the
reference of the story's latest tuple of that metric, which then beats or misses it."""

from __future__ import annotations

from newsdesk.facts.entities import COMPANY
from newsdesk.facts.model import CURRENCIES, Fact
from newsdesk.facts.rules import compile_fast
from newsdesk.facts.rules_sentence import Group, Sentence

#: analysts' view in the past: the figure was expected before the result came ("had expected", "hatten
#: ... gerechnet", "esperaban"); a present "analysts expect" is a preview of a coming period
_PAST_VIEW = {
    "en": compile_fast(r"\b(?:had (?:been )?(?:expected|expecting|forecast|estimated|projected|anticipated|"
                       r"pencil?led in|modell?ed)|were (?:looking for|expecting|forecasting)|(?:analysts|Wall Street|the Street)"
                       r"(?: polled by \w+| surveyed by \w+)? (?:expected|estimated|forecast|projected|anticipated|"
                       r"predicted|looked for|saw))\b"),
    "de": compile_fast(r"\b(?:hatten|hätten)\b[^.;]{0,60}\b(?:gerechnet|erwartet|prognostiziert|geschätzt|"
                       r"vorhergesagt|veranschlagt)\b"),
    "es": compile_fast(r"\b(?:esperaban|preveían|estimaban|anticipaban|pronosticaban|calculaban|habían (?:previsto|"
                       r"estimado|anticipado|pronosticado|calculado))\b"),
}
_METRICS = {"eps": ("eps", "guidance_eps"), "revenue": ("revenue", "guidance_revenue", "segment_revenue"),
            "net_income": ("net_income", "guidance_net_income"),
            "operating_income": ("operating_income", "guidance_operating_income")}
_GUIDANCE_WORDS = {"beat": "above", "miss": "below"}


def lend_group_expectations(s: Sentence, made: list[tuple[Group, list[Fact]]]) -> None:
    """Groups of this sentence that gave no tuple and state analysts' past figure: each becomes the
    reference of the story's latest tuple of its metric (same unit, similar size, no expectation yet)."""
    lex = s.ctx.lex
    past = _PAST_VIEW.get(lex.lang)
    if past is None or not past.search(s.text) or s.mentions and any(
            m.kind == COMPANY and m.code != s.ctx.prev_company and m.code != s.ctx.subject for m in s.mentions):
        return
    for g, got in made:
        kind = g.kind.removeprefix("weak_")
        loss = kind.startswith("loss_")
        kind = kind.removeprefix("loss_")
        if got or not g.qs or kind not in _METRICS:
            continue
        q = g.qs[0]
        if isinstance(q.value, tuple) or q.unit not in CURRENCIES and not (q.unit is None and q.value >= 1e5):
            continue  # ("unos ingresos de 9.300 millones": the currency of the figure it qualifies)
        if kind == "net_income" and q.value < 10_000:
            kind = "eps"  # "analysts had expected a profit of 1 cent": per share
        ref = -abs(q.value) if loss else q.value
        earlier = [got2 for g2, got2 in made if g2.start < g.start]  # this sentence's tuples first, then the story's
        for facts in [*reversed(earlier), s.ctx.facts]:
            if _qualify_latest(s, facts, kind, q.unit, ref):
                break


def _qualify_latest(s: Sentence, facts: list[Fact], kind: str, unit: str | None, ref: float) -> bool:
    """Whether the latest tuple of ``kind`` in ``facts`` was found (and qualified when it fits)."""
    for i in range(len(facts) - 1, max(-1, len(facts) - 9), -1):
        f = facts[i]
        if f.metric not in _METRICS[kind] or unit is not None and f.unit != unit:
            continue
        if f.comparison in ("beat", "miss", "inline", "above", "below"):
            return True  # already compared with expectations: this figure is not its reference
        value = (f.value[0] + f.value[1]) / 2 if isinstance(f.value, tuple) else f.value
        close = 0.5 <= ref / value <= 2 if value and ref and (ref > 0) == (value > 0) else \
            kind == "eps" and abs(value - ref) <= 0.5 or value == 0 and ref != 0  # break even against an expected loss
        if not close:
            return True
        lex = s.ctx.lex
        word = "inline" if lex.inline.search(s.text) else "beat" if value > ref else "miss" if value < ref else "inline"
        if f.metric.startswith("guidance_"):
            word = _GUIDANCE_WORDS.get(word, word)
        facts[i] = Fact(f.entity, f.metric, f.value, f.unit, f.period, word, ref, f.change, f.segment)
        return True
    return False
