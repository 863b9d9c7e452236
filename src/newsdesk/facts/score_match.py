"""When a predicted tuple matches a labelled one, at each level, and the one-to-one matching.

Levels (docs/facts.md, "Scoring"): *loose* -- entity, metric, unit and value (or one of the
label's alternative spellings) agree; *key* -- loose, and the comparison agrees (except for the
levels ``share_price`` and ``index_level``; null must match null); *strict* -- key, and every
attribute the label states agrees (period, reference, change, segment, a level's direction).

The matching is a maximum bipartite matching per story and level, so a duplicate prediction is a
false positive. It is hand-written (Kuhn's augmenting paths, O(V*E)) rather than taken from
networkx: a story has fewer than ~60 tuples, the function is 20 lines, and networkx would be a
large dependency for it. Because an edge needs the same entity and metric, the matching falls
apart into independent pieces per entity and per metric: counting its pairs per metric or for
the main entities gives the maximum matching of that subset too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from newsdesk.facts.score_norm import LEVEL_METRICS, Norm, NValue, fold
from newsdesk.facts.score_periods import periods_agree

LEVELS: tuple[str, ...] = ("loose", "key", "strict")
#: Attributes checked at strict, in the order the report lists them.
ATTRIBUTES: tuple[str, ...] = ("period", "reference", "change", "segment", "direction")

_REL, _ABS, _CHANGE, _EPS = 0.001, 0.0005, 0.051, 1e-9
_STOPWORDS = frozenset({"of", "the", "and", "for", "in", "de", "del", "la", "las", "los", "el", "y", "und",
                        "der", "die", "das"})


def numbers_agree(gold: float, pred: float) -> bool:
    """Within 0.1% of the label's number, or 0.0005 absolute."""
    diff = abs(gold - pred)
    return diff <= _ABS + _EPS or diff <= _REL * abs(gold) * (1 + _EPS)


def values_agree(gold: NValue, pred: NValue) -> bool:
    """Points agree within tolerance, ranges at both ends; a point never matches a range."""
    if gold is None or pred is None:
        return False
    if isinstance(gold, tuple) or isinstance(pred, tuple):
        if not (isinstance(gold, tuple) and isinstance(pred, tuple)):
            return False
        return numbers_agree(gold[0], pred[0]) and numbers_agree(gold[1], pred[1])
    return numbers_agree(gold, pred)


def change_agrees(gold: float, pred: float | None) -> bool:
    return pred is not None and abs(gold - pred) <= _CHANGE + _EPS


def segments_agree(gold: str, pred: str | None) -> bool:
    """One contains the other, one is the other's initials, or half the label's words appear."""
    if pred is None:
        return False
    gold_words = [w for w in fold(gold).split() if w not in _STOPWORDS] or fold(gold).split()
    pred_words = [w for w in fold(pred).split() if w not in _STOPWORDS] or fold(pred).split()
    gold_text, pred_text = " ".join(gold_words), " ".join(pred_words)
    if not gold_text or not pred_text:
        return gold_text == pred_text
    if gold_text in pred_text or pred_text in gold_text:
        return True
    squeezed_gold, squeezed_pred = gold_text.replace(" ", ""), pred_text.replace(" ", "")
    if squeezed_gold == "".join(w[0] for w in pred_words) or squeezed_pred == "".join(w[0] for w in gold_words):
        return True
    shared = sum(1 for w in gold_words if w in pred_words)
    return 2 * shared >= len(gold_words)


def loose(gold: Norm, pred: Norm) -> bool:
    if gold.entity != pred.entity or gold.metric != pred.metric:
        return False
    spellings = ((gold.unit, gold.value), *gold.alts)
    return any(unit == pred.unit and values_agree(value, pred.value) for unit, value in spellings)


def key(gold: Norm, pred: Norm) -> bool:
    if not loose(gold, pred):
        return False
    return gold.metric in LEVEL_METRICS or gold.comparison == pred.comparison


def attribute_agreement(gold: Norm, pred: Norm) -> dict[str, bool]:
    """For each attribute the label states: does the prediction agree?"""
    out: dict[str, bool] = {}
    if gold.period is not None:
        out["period"] = periods_agree(gold.period, pred.period)
    if gold.reference is not None:
        out["reference"] = pred.reference is not None and numbers_agree(gold.reference, pred.reference)
    if gold.change is not None:
        out["change"] = change_agrees(gold.change, pred.change)
    if gold.segment is not None:
        out["segment"] = segments_agree(gold.segment, pred.segment)
    if gold.metric in LEVEL_METRICS and gold.comparison is not None:
        out["direction"] = gold.comparison == pred.comparison
    return out


def strict(gold: Norm, pred: Norm) -> bool:
    return key(gold, pred) and all(attribute_agreement(gold, pred).values())


PREDICATES: dict[str, Callable[[Norm, Norm], bool]] = {"loose": loose, "key": key, "strict": strict}


def max_matching(gold: Sequence[Norm], pred: Sequence[Norm], agree: Callable[[Norm, Norm], bool]) -> dict[int, int]:
    """A maximum one-to-one matching {gold index: prediction index} (Kuhn's augmenting paths)."""
    edges = [[j for j, p in enumerate(pred) if agree(g, p)] for g in gold]
    owner: dict[int, int] = {}  # prediction index -> gold index

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(gold)):
        if edges[i]:
            augment(i, set())
    return {i: j for j, i in owner.items()}
