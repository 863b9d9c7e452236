"""The keyword prefilter (facts/rules_prefix.py) finds what the full keyword alternation finds.

At every word start of the regression and dev sentences, and of texts written here with odd
spellings, the alternation of only the keywords a word start may begin (tried only where the
scanner stops) must give the same match, span and keyword as the alternation of all keywords.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newsdesk.facts.rules import lexicon
from newsdesk.facts.rules_prefix import fold, prefixes, split

FACTS = Path(__file__).parent / "facts"
_WORD_START = re.compile(r"(?<![\w-])[^\W\d_]")
ODD = {
    "en": ["ADJUSTED EPS and Net Income rose; the Dividend, REVENUES and ſales", "pre-tax profit, Pretax Income"],
    "de": ["Der QUARTALSUMSATZ und das bereinigte Konzernergebnis je Aktie; die Sonderdividende",
           "Bereinigtes Quartalsergebnis je Vorzugsaktie, Nettoumsätze, ÜBERSCHUSS pro Aktie"],
    "es": ["El BENEFICIO NETO y los ingresos; el Dividendo y la RECOMPRA", "Beneficio por acción, pérdidas"],
}


def _texts(lang: str) -> list[str]:
    out = list(ODD[lang])
    for name in sorted(FACTS.glob(f"*-{lang}.jsonl")):
        if name.name.startswith(("rules-", "dev-")):
            lines = [line for line in name.read_text(encoding="utf-8").splitlines() if line.strip()]
            out += [json.loads(line)["text"] for line in lines[:40]]
    return out


@pytest.mark.parametrize("lang", ["en", "de", "es"])
def test_prefiltered_keywords_match_as_the_full_alternation(lang: str) -> None:
    lex = lexicon(lang)
    checked = 0
    for text in _texts(lang):
        stops = {m.start() for m in lex.keyword_starts.finditer(text)}
        for w in _WORD_START.finditer(text):
            p = w.start()
            full = lex.keywords.match(text, p)
            pattern = lex.keyword_prefix.get(text, p) if p in stops else None
            fast = pattern.match(text, p) if pattern is not None else None
            assert (full and (full.span(), full.lastgroup)) == (fast and (fast.span(), fast.lastgroup)), \
                f"{lang} at {p}: {text[p:p + 40]!r}"
            checked += full is not None
    assert checked > 50  # the texts do name keywords


def test_leading_strings_of_patterns() -> None:
    assert prefixes(r"\b(?:net |adjusted )?(?:income|profit)") == {"net ", "adju", "inco", "prof"}
    assert prefixes(r"[Uu]msatz") == {"umsa"}
    assert prefixes(r"\w+ rose") is None  # may begin anywhere
    assert split(r"(?:bereinigte )?\w*Ergebnis je Aktie|EPS") == ({"bere", "eps"}, {"erge"})
    assert fold("ſ") == "s" and fold("\u212a") == "k"  # as re.IGNORECASE compares them
