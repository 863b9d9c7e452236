"""A fact as a reader's phrase (newsdesk.facts.display): a table of facts in the six site languages,
and properties over every valid fact."""

from __future__ import annotations

import re

import pytest
from fact_strategies import facts
from hypothesis import given
from hypothesis import strategies as st
from strategies import fuzz_settings

from newsdesk.facts.display import LANGUAGES, describe, format_number, key_figures
from newsdesk.facts.model import Fact

EPS = Fact("NVDA", "eps", 1.86, "USD", None, "beat", 1.49)
GUIDANCE = Fact("AMZN", "guidance_revenue", (151e9, 155.5e9), "USD", "Q1", "below", 158.6e9)
AFTER_HOURS = Fact("NVDA", "price_move", -4, "%", "after-hours", "down")
DIVIDEND = Fact("SAP", "dividend", 0.35, "EUR", None, "up", 0.30)
ECB = Fact("ECB", "rate_decision", 2.25, "%", None, "down", None, -25, "deposit rate")
TARGET = Fact("AAPL", "price_target", 250, "USD", None, "up", 220)
SPX_MOVE = Fact("SPX", "index_move", 0.9, "%", "session", "up")
SPX_LEVEL = Fact("SPX", "index_level", 5980.87, "points", "session")

TABLE = [
    (EPS, "en", "EPS $1.86 vs $1.49 expected (beat)"),
    (GUIDANCE, "en", "Q1 revenue guidance $151–155.5 billion vs $158.6 billion consensus (below)"),
    (AFTER_HOURS, "en", "Shares -4% after hours"),
    (DIVIDEND, "en", "Dividend €0.35 per share (raised from €0.30)"),
    (ECB, "en", "ECB deposit rate 2.25% (cut 25 bp)"),
    (TARGET, "en", "Price target $250 (raised from $220)"),
    (SPX_MOVE, "en", "S&P 500 +0.9%"),
    (SPX_LEVEL, "en", "S&P 500 5,980.87 points"),
    (Fact("7203", "revenue", 1.17e12, "JPY", "Q2 2025", "up", None, 4.8), "en", "Q2 2025 revenue ¥1.17 trillion (+4.8%)"),
    (Fact("AMZN", "segment_revenue", 28.8e9, "USD", "Q3", "beat", 28.1e9, 19, "AWS"), "en",
     "Q3 AWS revenue $28.8 billion vs $28.1 billion expected (beat, +19%)"),
    (Fact("MSFT", "operating_margin", 45.6, "%", "Q2", "up", None, 630), "en", "Q2 operating margin 45.6% (+630 bp)"),
    (Fact("INTC", "eps", -0.12, "USD", "Q3", "miss", -0.05), "en", "Q3 EPS -$0.12 vs -$0.05 expected (miss)"),
    (Fact("FED", "rate_decision", (4.25, 4.5), "%", None, "flat", None, 0), "en", "Fed rate 4.25–4.5% (hold)"),
    (Fact("7203", "buyback", 50e6, "shares"), "en", "Buyback 50 million shares"),
    (Fact("NVDA", "price_move", -0.03, "USD", "session", "down"), "en", "Shares -$0.03"),
    (Fact("TSLA", "guidance_gross_margin", (18, 20), "%", "FY2026", "flat"), "en",
     "FY2026 gross margin guidance 18–20% (reaffirmed)"),
    (Fact("HSBA", "share_price", 12.12, "GBP", "session", "down"), "en", "Share price £12.12 (down)"),
    (Fact("0700", "share_price", 412.2, "HKD"), "en", "Share price HK$412.20"),
    (Fact("NESN", "capex", 6e9, "CHF", "FY2026", "above", 5.5e9), "en",
     "FY2026 capex CHF 6 billion vs CHF 5.5 billion consensus (above)"),
    (EPS, "de", "EPS 1,86 $ vs. 1,49 $ erwartet (übertroffen)"),
    (GUIDANCE, "de", "Umsatzprognose Q1: 151–155,5 Mrd. $ vs. 158,6 Mrd. $ Konsens (darunter)"),
    (AFTER_HOURS, "de", "Aktie -4\u00a0% nachbörslich"),
    (DIVIDEND, "de", "Dividende 0,35 € je Aktie (erhöht von 0,30 €)"),
    (ECB, "de", "EZB-Einlagensatz 2,25\u00a0% (Senkung 25 Bp.)"),
    (SPX_LEVEL, "de", "S&P 500 5.980,87 Punkte"),
    (Fact("DAX", "index_move", -1.25, "%", "week", "down"), "de", "DAX -1,25\u00a0% in der Woche"),
    (EPS, "es", "BPA 1,86 $ frente a 1,49 $ esperados (supera)"),
    (GUIDANCE, "es", ("Previsión de ingresos T1: 151–155,5 mil millones $ frente a 158,6 mil millones $ de consenso "
                     "(por debajo)")),
    (ECB, "es", "BCE: tipo de depósito 2,25\u00a0% (recorte 25 pb)"),
    (Fact("SAN", "net_income", 3.4e9, "EUR", "Q3 2025", "up", None, 12.5), "es",
     "Beneficio neto T3 2025: 3,4 mil millones € (+12,5\u00a0%)"),
    (SPX_LEVEL, "fr", "S&P 500 5\u202f980,87 points"),
    (TARGET, "fr", "Objectif de cours 250 $ (relevé contre 220 $)"),
    (AFTER_HOURS, "it", "Azioni -4% dopo la chiusura"),
    (DIVIDEND, "it", "Dividendo 0,35 € per azione (alzato da 0,30 €)"),
    (GUIDANCE, "pt", "Previsão de receita T1: 151–155,5 mil milhões $ vs. 158,6 mil milhões $ de consenso (abaixo)"),
    (EPS, "pt", "LPA 1,86 $ vs. 1,49 $ esperados (acima do esperado)"),
    (EPS, "xx", "EPS $1.86 vs $1.49 expected (beat)"),  # a language without words: English
]


@pytest.mark.parametrize(("fact", "lang", "phrase"), TABLE)
def test_phrases(fact: Fact, lang: str, phrase: str) -> None:
    assert describe(fact, lang) == phrase


def test_numbers_per_language() -> None:
    assert format_number(24087.31, "en") == "24,087.31"
    assert format_number(24087.31, "de") == "24.087,31"
    assert format_number(24087.31, "fr") == "24\u202f087,31"
    assert format_number(-0.001, "en") == "0"  # no "-0"
    assert format_number(0.9, "es", sign=True) == "+0,9"
    assert format_number(2.0, "en", keep=2) == "2.00"


def test_key_figures_name_the_company_when_a_story_has_several() -> None:
    peer = Fact("AMD", "price_move", 1.2, "%", "session", "up")
    assert key_figures([AFTER_HOURS, SPX_MOVE], "en") == ["Shares -4% after hours", "S&P 500 +0.9%"]
    assert key_figures([AFTER_HOURS, peer, SPX_MOVE], "en") == [
        "NVDA: Shares -4% after hours", "AMD: Shares +1.2%", "S&P 500 +0.9%"]


_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@fuzz_settings(400)
@given(facts(), st.sampled_from([*LANGUAGES, "xx", ""]))
def test_any_fact_gives_one_short_line(fact: Fact, lang: str) -> None:
    phrase = describe(fact, lang)
    assert phrase and phrase == phrase.strip()
    assert _CONTROLS.search(phrase) is None  # one line, whatever the segment or entity holds


@fuzz_settings(300)
@given(facts(st.text("ABCXYZ0123 .-", min_size=1, max_size=8)), st.sampled_from(LANGUAGES))
def test_no_markup_from_the_phrase_itself(fact: Fact, lang: str) -> None:
    phrase = describe(fact, lang)
    assert not set("<>\"'`") & set(phrase.replace("d'", "").replace("'s", "").replace("dell'", ""))
