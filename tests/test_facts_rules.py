"""The extractor against the regression sentences of tests/facts/rules-{lang}.jsonl, at the strict level.

Every line must give exactly its expected tuples (the scorer's strict matching: key fields plus every
attribute the label states; no extra tuple). Lines the engine does not handle yet are listed in
NOT_YET (``lang:rule:n``, n counting that rule's lines in the file from 0) and expected to fail
(xfail strict): a listed line that starts passing fails the suite until it is taken off the list.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsdesk.facts import extract
from newsdesk.facts.score_match import max_matching, strict
from newsdesk.facts.score_norm import AliasIndex, normalise

FACTS = Path(__file__).parent / "facts"
LANGS = ("en", "de", "es")

#: Lines the engine does not get right yet (the list must only shrink).
NOT_YET: frozenset[str] = frozenset({
    "es:case-ipo:0",
    "es:metric-segment_revenue:1",
    "es:period-half-nine-months:0",
})


def _rules() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for line in (FACTS / "rules.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith(("#", "id\t")) or not line.strip():
            continue
        rule, langs, _ = line.split("\t", 2)
        out[rule] = set(langs.split())
    return out


def _lines() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for lang in LANGS:
        path = FACTS / f"rules-{lang}.jsonl"
        if not path.exists():
            continue
        seen: dict[str, int] = {}
        for raw in path.read_text(encoding="utf-8").splitlines():
            if raw.strip():
                case = json.loads(raw)
                n = seen[case["rule"]] = seen.get(case["rule"], -1) + 1
                out.append((f"{lang}:{case['rule']}:{n}", case))
    return out


CASES = _lines()


def strict_equal(case: dict[str, Any]) -> tuple[bool, list[dict[str, Any]]]:
    """(every expected tuple matched strictly and nothing else predicted, the predictions)."""
    predicted = [f.to_json() for f in extract(case.get("title") or "", case["text"], case["lang"],
                                              tuple(case.get("symbols") or ()))]
    nobody = AliasIndex.of({})
    gold = [normalise(f, nobody, nobody, label=True) for f in case["facts"]]
    pred = [normalise(f, nobody, nobody, label=False) for f in predicted]
    matched = max_matching(gold, pred, strict)
    return len(matched) == len(gold) == len(pred), predicted


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=k, marks=[pytest.mark.xfail(strict=True, reason="not handled yet")] if k in NOT_YET else [])
     for k, c in CASES])
def test_rule_sentence(case: dict[str, Any]) -> None:
    ok, predicted = strict_equal(case)
    assert ok, f"{case['text']}\nexpected {case['facts']}\ngot      {predicted}"


def test_not_yet_lists_only_existing_lines() -> None:
    assert NOT_YET <= {k for k, _ in CASES}


@pytest.mark.parametrize("lang", LANGS)
def test_every_rule_has_a_sentence_in_each_of_its_languages(lang: str) -> None:
    path = FACTS / f"rules-{lang}.jsonl"
    if not path.exists():
        pytest.skip(f"{path.name} not written yet")
    covered = {json.loads(line)["rule"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    rules = _rules()
    missing = sorted(rule for rule, langs in rules.items() if lang in langs and rule not in covered)
    assert not missing, f"rules without a {lang} sentence: {missing}"
    unknown = sorted(covered - set(rules))
    assert not unknown, f"rule ids not in rules.tsv: {unknown}"
