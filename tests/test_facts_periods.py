"""newsdesk.facts.periods: period mentions in English, German and Spanish and the canonical tokens
(sentences written for these tests)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.facts.periods import find_periods, normalise_period
from tests.strategies import fuzz_settings

# (lang, sentence, the words of the mention, canonical token)
CASES: list[tuple[str, str, str, str]] = [
    # quarters
    ("en", "Revenue rose in Q3 as expected.", "Q3", "Q3"),
    ("en", "Revenue rose in Q4 2025.", "Q4 2025", "Q4 2025"),
    ("en", "Revenue rose in Q4 FY24.", "Q4 FY24", "Q4 2024"),
    ("en", "Revenue rose in 3Q24.", "3Q24", "Q3 2024"),
    ("en", "Revenue rose in Q4 of 2025.", "Q4 of 2025", "Q4 2025"),
    ("en", "Revenue rose in Q1 of fiscal 2026.", "Q1 of fiscal 2026", "Q1 2026"),
    ("en", "Revenue rose in the third quarter.", "third quarter", "Q3"),
    ("en", "Third-quarter revenue rose.", "Third-quarter", "Q3"),
    ("en", "Fiscal first-quarter revenue rose.", "Fiscal first-quarter", "Q1"),
    ("en", "Revenue rose in the fourth quarter of 2025.", "fourth quarter of 2025", "Q4 2025"),
    ("en", "Revenue rose in the fourth quarter of fiscal 2026.", "fourth quarter of fiscal 2026", "Q4 2026"),
    ("en", "Its 2025 fourth quarter was weak.", "2025 fourth quarter", "Q4 2025"),
    ("en", "It sees current-quarter revenue of $5 billion.", "current-quarter", "current quarter"),
    ("en", "It sees revenue this quarter of $5 billion.", "this quarter", "current quarter"),
    ("en", "It sees next quarter revenue of $5 billion.", "next quarter", "next quarter"),
    # halves, nine months, years
    ("en", "Revenue rose in H1 2025.", "H1 2025", "H1 2025"),
    ("en", "Revenue rose in 1H25.", "1H25", "H1 2025"),
    ("en", "Revenue rose in the first half.", "first half", "H1"),
    ("en", "Revenue rose in the second half of 2025.", "second half of 2025", "H2 2025"),
    ("en", "Revenue rose in the first nine months.", "first nine months", "9M"),
    ("en", "Revenue rose in 9M 2025.", "9M 2025", "9M 2025"),
    ("en", "It raised its full-year outlook.", "full-year", "FY"),
    ("en", "It sees full-year 2025 revenue.", "full-year 2025", "FY2025"),
    ("en", "It sees fiscal 2026 revenue.", "fiscal 2026", "FY2026"),
    ("en", "For the fiscal year ending March 2026 it sees growth.", "fiscal year ending March 2026", "FY2026"),
    ("en", "FY2026 guidance was raised.", "FY2026", "FY2026"),
    ("en", "FY26 guidance was raised.", "FY26", "FY2026"),
    ("en", "It sees 2026 revenue of $9 billion.", "2026", "FY2026"),
    # moves
    ("en", "Shares rose 2% premarket.", "premarket", "pre-market"),
    ("en", "Shares rose 2% in pre-market trading.", "pre-market trading", "pre-market"),
    ("en", "Shares rose 2% before the bell.", "before the bell", "pre-market"),
    ("en", "Shares fell 4% on Tuesday.", "Tuesday", "session"),
    ("en", "Shares fell 4% Tuesday.", "Tuesday", "session"),
    ("en", "Shares fell 4% at Tuesday's close.", "Tuesday's close", "session"),
    ("en", "Shares fell 4% by the close.", "close", "session"),
    ("en", "Shares fell 4% in aftermarket trading.", "aftermarket trading", "after-hours"),
    ("en", "Shares fell 4% so far in 2025.", "2025", "YTD"),
    ("en", "Shares fell 4% over the last year.", "year", "12M"),
    ("en", "It reported 2025 results.", "2025", "FY2025"),
    ("en", "Shares fell 4% by midday.", "midday", "session"),
    ("en", "Shares closed at $41.20.", "closed", "session"),
    ("en", "Shares fell 4% in extended trading.", "extended trading", "after-hours"),
    ("en", "Shares fell 4% after hours.", "after hours", "after-hours"),
    ("en", "Shares fell 4% after the bell.", "after the bell", "after-hours"),
    ("en", "Shares fell 4% in late trading.", "late trading", "after-hours"),
    ("en", "Shares fell 4% this week.", "week", "week"),
    ("en", "Shares fell 4% this month.", "month", "month"),
    ("en", "Shares fell 4% so far this month.", "month", "month"),
    ("en", "Shares fell 4% week-to-date.", "week-to-date", "week"),
    ("en", "Shares fell 4% over the past year.", "year", "12M"),
    ("en", "Shares fell 4% this year.", "year", "YTD"),
    ("en", "Shares fell 4% year to date.", "year to date", "YTD"),
    ("en", "Shares fell 4% since January.", "since January", "YTD"),
    ("en", "Shares fell 4% over the past 12 months.", "months", "12M"),
    # payouts
    ("en", "It declared a quarterly dividend.", "quarterly", "quarterly"),
    ("en", "It declared an interim dividend.", "interim", "interim"),
    ("en", "It declared a final dividend.", "final", "final"),
    ("en", "It declared a special dividend.", "special", "special"),
    ("en", "It pays 2 dollars annually.", "annually", "annual"),
    # German
    ("de", "Im dritten Quartal stieg der Umsatz.", "dritten Quartal", "Q3"),
    ("de", "Im 3. Quartal stieg der Umsatz.", "3. Quartal", "Q3"),
    ("de", "Das vierte Quartal 2025 war schwach.", "vierte Quartal 2025", "Q4 2025"),
    ("de", "Ein viertes Quartal wie nie.", "viertes Quartal", "Q4"),
    ("de", "Ein drittes Quartal wie nie.", "drittes Quartal", "Q3"),
    ("de", "Im Schlussquartal stieg der Umsatz.", "Schlussquartal", "Q4"),
    ("de", "Im laufenden Quartal erwartet der Konzern mehr.", "laufenden Quartal", "current quarter"),
    ("de", "Im kommenden Quartal erwartet der Konzern mehr.", "kommenden Quartal", "next quarter"),
    ("de", "Im ersten Halbjahr stieg der Umsatz.", "ersten Halbjahr", "H1"),
    ("de", "Ein erstes Halbjahr wie nie.", "erstes Halbjahr", "H1"),
    ("de", "Das zweite Halbjahr 2025 war schwach.", "zweite Halbjahr 2025", "H2 2025"),
    ("de", "Die neun Monate brachten mehr Umsatz.", "neun Monate", "9M"),
    ("de", "Die Aktie fiel im Monatsverlauf um 4 Prozent.", "Monatsverlauf", "month"),
    ("de", "Die Aktie fiel auf Monatssicht um 4 Prozent.", "Monatssicht", "month"),
    ("de", "Die Aktie fiel in diesem Jahr um 4 Prozent.", "Jahr", "YTD"),
    ("de", "Im Q3 2025 stieg der Umsatz.", "Q3 2025", "Q3 2025"),
    ("de", "Im Geschäftsjahr 2026 stieg der Umsatz.", "Geschäftsjahr 2026", "FY2026"),
    ("de", "Im ersten Halbjahr 2025 stieg der Umsatz.", "ersten Halbjahr 2025", "H1 2025"),
    ("de", "In den ersten neun Monaten stieg der Umsatz.", "ersten neun Monaten", "9M"),
    ("de", "Für das Geschäftsjahr 2025/26 erwartet SAP mehr.", "Geschäftsjahr 2025/26", "FY2026"),
    ("de", "Im Gesamtjahr 2025 erwartet SAP mehr.", "Gesamtjahr 2025", "FY2025"),
    ("de", "Im Gesamtjahr erwartet SAP mehr.", "Gesamtjahr", "FY"),
    ("de", "Die Aktie stieg vorbörslich um 2 Prozent.", "vorbörslich", "pre-market"),
    ("de", "Die Aktie fiel nachbörslich um 4 Prozent.", "nachbörslich", "after-hours"),
    ("de", "Die Aktie fiel am Dienstag um 4 Prozent.", "Dienstag", "session"),
    ("de", "Die Aktie fiel zum Handelsschluss um 4 Prozent.", "Handelsschluss", "session"),
    ("de", "Die Aktie fiel auf Wochensicht um 4 Prozent.", "Wochensicht", "week"),
    ("de", "Die Aktie fiel seit Jahresbeginn um 4 Prozent.", "Jahresbeginn", "YTD"),
    ("de", "Die Aktie fiel in den vergangenen zwölf Monaten um 4 Prozent.", "Monaten", "12M"),
    ("de", "Der Konzern zahlt eine Quartalsdividende.", "Quartalsdividende", "quarterly"),
    ("de", "Der Konzern zahlt eine Zwischendividende.", "Zwischendividende", "interim"),
    ("de", "Der Konzern zahlt eine Schlussdividende.", "Schlussdividende", "final"),
    ("de", "Der Konzern zahlt eine Sonderdividende.", "Sonderdividende", "special"),
    ("de", "Der Konzern zahlt jährlich 2 Euro.", "jährlich", "annual"),
    # Spanish
    ("es", "En el tercer trimestre crecieron las ventas.", "tercer trimestre", "Q3"),
    ("es", "En el tercer trimestre de 2025 crecieron las ventas.", "tercer trimestre de 2025", "Q3 2025"),
    ("es", "En el 3T25 crecieron las ventas.", "3T25", "Q3 2025"),
    ("es", "En el último trimestre crecieron las ventas.", "último trimestre", "Q4"),
    ("es", "En el segundo semestre de 2025 crecieron las ventas.", "segundo semestre de 2025", "H2 2025"),
    ("es", "En el conjunto del año crecerán las ventas.", "conjunto del año", "FY"),
    ("es", "En el conjunto de 2025 crecerán las ventas.", "conjunto de 2025", "FY2025"),
    ("es", "Para 2026 espera más ventas.", "2026", "FY2026"),
    ("es", "Cayó en el mes un 4%.", "mes", "month"),
    ("es", "Cayó este año un 4%.", "año", "YTD"),
    ("es", "En el Q3 2025 crecieron las ventas.", "Q3 2025", "Q3 2025"),
    ("es", "En el 3TR crecieron las ventas.", "3TR", "Q3"),
    ("es", "En el trimestre en curso crecerán las ventas.", "trimestre en curso", "current quarter"),
    ("es", "En el próximo trimestre crecerán las ventas.", "próximo trimestre", "next quarter"),
    ("es", "En el primer semestre crecieron las ventas.", "primer semestre", "H1"),
    ("es", "En el 1S25 crecieron las ventas.", "1S25", "H1 2025"),
    ("es", "En los primeros nueve meses crecieron las ventas.", "primeros nueve meses", "9M"),
    ("es", "En los nueve meses crecieron las ventas.", "nueve meses", "9M"),
    ("es", "En el ejercicio 2025 crecieron las ventas.", "ejercicio 2025", "FY2025"),
    ("es", "Para el ejercicio 2025/26 espera más.", "ejercicio 2025/26", "FY2026"),
    ("es", "Subió en la preapertura un 2%.", "preapertura", "pre-market"),
    ("es", "Subió antes de la apertura un 2%.", "antes de la apertura", "pre-market"),
    ("es", "Cayó fuera de hora un 4%.", "fuera de hora", "after-hours"),
    ("es", "Cayó tras el cierre un 4%.", "cierre", "after-hours"),
    ("es", "Cayó un 6% en las operaciones posteriores al cierre.", "cierre", "after-hours"),
    ("es", "Cayó al cierre un 4%.", "cierre", "session"),
    ("es", "Cayó en la sesión un 4%.", "sesión", "session"),
    ("es", "Cayó el martes un 4%.", "martes", "session"),
    ("es", "Cayó en la semana un 4%.", "semana", "week"),
    ("es", "Cayó en lo que va de año un 4%.", "año", "YTD"),
    ("es", "Cayó desde enero un 4%.", "enero", "YTD"),
    ("es", "Cayó en los últimos doce meses un 4%.", "meses", "12M"),
    ("es", "Pagará un dividendo trimestral.", "trimestral", "quarterly"),
    ("es", "Pagará un dividendo a cuenta.", "cuenta", "interim"),
    ("es", "Pagará un dividendo complementario.", "complementario", "final"),
    ("es", "Pagará un dividendo extraordinario.", "extraordinario", "special"),
    ("es", "Pagará un dividendo anual.", "anual", "annual"),
]


@pytest.mark.parametrize(("lang", "text", "words", "token"), CASES)
def test_period(lang: str, text: str, words: str, token: str) -> None:
    found = [(text[p.start:p.end], p.token) for p in find_periods(text, lang)]
    assert (words, token) in found, found


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Revenue rose a quarter earlier."), ("en", "The company said so."),
    ("en", "It reports next Tuesday."), ("en", "Revenue rose last year."),
    ("en", "It expects growth in the second half a point lower."),
    ("de", "Der Konzern sagte das."), ("es", "La empresa lo dijo."),
])
def test_no_period(lang: str, text: str) -> None:
    assert [p.token for p in find_periods(text, lang) if p.token not in ("session",)] == []


def test_in_text_order() -> None:
    text = "Q3 revenue rose; shares fell 4% after hours and 2% year to date; full-year 2025 outlook kept."
    assert [p.token for p in find_periods(text, "en")] == ["Q3", "after-hours", "YTD", "FY2025"]


@pytest.mark.parametrize(("spelling", "token"), [
    ("Q4 FY24", "Q4 2024"), ("4Q24", "Q4 2024"), ("fourth quarter 2024", "Q4 2024"), ("fiscal 2026", "FY2026"),
    ("1H25", "H1 2025"), ("nine months", "9M"), ("extended trading", "after-hours"), ("premarket", "pre-market"),
    ("year to date", "YTD"), ("past 12 months", "12M"), ("full year", "FY"), ("Q3", "Q3"), ("Q4 2025", "Q4 2025"),
    ("FY2026", "FY2026"), ("fy2026", "FY2026"), ("H1 2025", "H1 2025"), ("after hours", "after-hours"),
    ("after-hours", "after-hours"), ("pre-market", "pre-market"), ("session", "session"), ("YTD", "YTD"),
    ("12M", "12M"), ("annual", "annual"), ("quarterly", "quarterly"), ("third quarter", "Q3"),
    ("Geschäftsjahr 2025/26", "FY2026"), ("tercer trimestre", "Q3"), ("nachbörslich", "after-hours"),
    ("current quarter", "current quarter"), ("the current quarter", "current quarter"), ("week", "week"),
    ("H1 FY26", "H1 2026"), ("9M FY2025", "9M 2025"), ("Q1 FY2026", "Q1 2026"), ("regular session", "session"),
    ("at the close", "session"), ("1Q 2026", "Q1 2026"), ("fiscal year 2025", "FY2025"), ("FY 2025", "FY2025"),
    ("FY25", "FY2025"), ("trailing twelve months", "12M"), ("TTM", "12M"), ("year-to-date", "YTD"),
    ("q3 2025", "Q3 2025"), ("2H25", "H2 2025"), ("nine months 2025", "9M 2025"), ("full-year 2025", "FY2025"),
    ("first half of fiscal 2025", "H1 2025"), ("post-market", "after-hours"), ("pre market", "pre-market"),
    ("fourth quarter of fiscal year 2024", "Q4 2024"), ("fiscal Q3 2025", "Q3 2025"), ("Q3 fiscal 2025", "Q3 2025"),
    ("3T25", "Q3 2025"), ("primer semestre de 2025", "H1 2025"), ("ersten neun Monaten", "9M"),
])
def test_normalise_period(spelling: str, token: str) -> None:
    assert normalise_period(spelling) == token


@pytest.mark.parametrize("spelling", ["", "quarter", "hello", "revenue", "Q3 and Q4", "2025 revenue growth", "fiscal",
                                      "quarterly dividend"])
def test_normalise_period_rejects(spelling: str) -> None:
    assert normalise_period(spelling) is None


@fuzz_settings(200)
@given(st.text(max_size=200), st.sampled_from(["en", "de", "es", "fr"]))
def test_find_periods_any_text(text: str, lang: str) -> None:
    found = find_periods(text, lang)
    assert all(0 <= p.start < p.end <= len(text) for p in found)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    assert all(normalise_period(p.token) == p.token for p in found)


def test_next_weekday_is_no_session() -> None:
    assert find_periods("The company reports next Tuesday.", "en") == []


@pytest.mark.parametrize(("text", "tokens"), [
    ("Der Konzern zahlt eine Quartals- und eine Sonderdividende.", ["quarterly", "special"]),
    ("Der Konzern zahlt eine Zwischen- und eine Schlussdividende.", ["interim", "final"]),
])
def test_german_payout_prefixes(text: str, tokens: list[str]) -> None:
    assert [p.token for p in find_periods(text, "de")] == tokens
