"""newsdesk.facts.numbers: amounts, percentages, points, ranges, bands, hedges and word numbers in
English, German and Spanish (sentences written for these tests, figures invented)."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.facts.numbers import Quantity, find_quantities, parse_number
from tests.strategies import fuzz_settings

Expected = tuple[str, "float | tuple[float, float]", "str | None"]


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _same(value: float | tuple[float, float], want: float | tuple[float, float]) -> bool:
    if isinstance(want, tuple):
        return isinstance(value, tuple) and _close(value[0], want[0]) and _close(value[1], want[1])
    return not isinstance(value, tuple) and _close(value, want)


def _one(text: str, lang: str, span: str) -> Quantity:
    """The quantity whose span is exactly ``span``."""
    found = find_quantities(text, lang)
    hits = [q for q in found if text[q.start:q.end] == span]
    assert hits, f"{span!r} not found in {[text[q.start:q.end] for q in found]}"
    return hits[0]


# (lang, sentence, exact span, value, unit)
CASES: list[tuple[str, str, str, float | tuple[float, float], str | None]] = [
    # scales and currencies, English
    ("en", "Revenue rose to $4.7 billion in the period.", "$4.7 billion", 4.7e9, "USD"),
    ("en", "It booked $3.9B of sales.", "$3.9B", 3.9e9, "USD"),
    ("en", "Net income came to 2.4bn dollars.", "2.4bn dollars", 2.4e9, "USD"),
    ("en", "Sales reached 1,300 million dollars.", "1,300 million dollars", 1.3e9, "USD"),
    ("en", "The unit earned $712m last year.", "$712m", 712e6, "USD"),
    ("en", "A loss of US$45 million was booked.", "US$45 million", 45e6, "USD"),
    ("en", "Profit was HK$8.1 billion.", "HK$8.1 billion", 8.1e9, "HKD"),
    ("en", "Profit was 8.1 billion Hong Kong dollars.", "8.1 billion Hong Kong dollars", 8.1e9, "HKD"),
    ("en", "Toyota made ¥1.3 trillion.", "¥1.3 trillion", 1.3e12, "JPY"),
    ("en", "Sony made 910 billion yen.", "910 billion yen", 910e9, "JPY"),
    ("en", "The group earned €2.2bn.", "€2.2bn", 2.2e9, "EUR"),
    ("en", "It earned 640 million euros.", "640 million euros", 640e6, "EUR"),
    ("en", "Revenue was EUR 3.1 billion.", "EUR 3.1 billion", 3.1e9, "EUR"),
    ("en", "Revenue was £5.6bn.", "£5.6bn", 5.6e9, "GBP"),
    ("en", "Revenue was 730 million pounds.", "730 million pounds", 730e6, "GBP"),
    ("en", "Nestle earned 4.4 billion Swiss francs.", "4.4 billion Swiss francs", 4.4e9, "CHF"),
    ("en", "Nestle earned CHF 4.4 billion.", "CHF 4.4 billion", 4.4e9, "CHF"),
    ("en", "The fund holds USD 900 million.", "USD 900 million", 900e6, "USD"),
    ("en", "A $2.3 trillion market.", "$2.3 trillion", 2.3e12, "USD"),
    ("en", "A payout of 26 cents a share.", "26 cents", 0.26, "USD"),
    ("en", "Shares ended at 1,212p in London.", "1,212p", 12.12, "GBP"),
    ("en", "Shares ended at 947.6p in London.", "947.6p", 9.476, "GBP"),
    ("en", "A dividend of 31.5 pence.", "31.5 pence", 0.315, "GBP"),
    ("en", "EPS of $1.86 beat forecasts.", "$1.86", 1.86, "USD"),
    ("en", "Some 12,500 staff work there.", "Some 12,500", 12500.0, None),
    ("en", "A 50,000 shares block.", "50,000 shares", 50000.0, "shares"),
    ("en", "It will buy back 40 million shares.", "40 million shares", 40e6, "shares"),
    ("en", "Operating costs of 3.5 thousand dollars.", "3.5 thousand dollars", 3500.0, "USD"),
    ("en", "Revenue was GBP 450 million.", "GBP 450 million", 450e6, "GBP"),
    ("en", "It borrowed 2 billion JPY.", "2 billion JPY", 2e9, "JPY"),
    ("en", "It borrowed JPY 2 trillion.", "JPY 2 trillion", 2e12, "JPY"),
    ("en", "A deal worth $5M closed.", "$5M", 5e6, "USD"),
    ("en", "A fine of 3mn euros.", "3mn euros", 3e6, "EUR"),
    ("en", "A fine of 5m euros.", "5m euros", 5e6, "EUR"),
    ("en", "It raised EUR1.2bn in bonds.", "EUR1.2bn", 1.2e9, "EUR"),
    ("en", "It raised GBP450m in bonds.", "GBP450m", 450e6, "GBP"),
    ("en", "It raised USD 450m in bonds.", "USD 450m", 450e6, "USD"),
    ("en", "About $5.2 bln was raised.", "About $5.2 bln", 5.2e9, "USD"),
    ("en", "It issued 120.5 mln shares.", "120.5 mln shares", 120.5e6, "shares"),
    ("en", "Spreads widened 3 bp.", "3 bp", 3.0, "bp"),
    ("en", "It sees revenue of $1.2-$1.4bn.", "$1.2-$1.4bn", (1.2e9, 1.4e9), "USD"),
    ("en", "Swiss Re made 1.1 billion dollars.", "1.1 billion dollars", 1.1e9, "USD"),
    # percent, points
    ("en", "Shares rose 4.2% on the news.", "4.2%", 4.2, "%"),
    ("en", "Sales fell 3 percent.", "3 percent", 3.0, "%"),
    ("en", "Sales fell 3 per cent.", "3 per cent", 3.0, "%"),
    ("en", "Sales fell 3pc in London.", "3pc", 3.0, "%"),
    ("en", "Sales fell 3 pct.", "3 pct", 3.0, "%"),
    ("en", "EPS was 26¢ a share.", "26¢", 0.26, "USD"),
    ("en", "Shares fell -2.5% in Tokyo.", "-2.5%", -2.5, "%"),
    ("en", "The margin widened 2.1 percentage points.", "2.1 percentage points", 2.1, "pp"),
    ("en", "The margin widened 2.1pp.", "2.1pp", 2.1, "pp"),
    ("en", "The bank cut rates by 25 basis points.", "25 basis points", 25.0, "bp"),
    ("en", "Spreads tightened 15bps.", "15bps", 15.0, "bp"),
    ("en", "The Dow lost 412.6 points.", "412.6 points", 412.6, "points"),
    ("en", "A rate of minus 0.25% stays.", "minus 0.25%", -0.25, "%"),
    # ranges and bands
    ("en", "It sees revenue of $198 billion to $206 billion.", "$198 billion to $206 billion", (198e9, 206e9), "USD"),
    ("en", "It sees EPS of $2.61-$2.66 next year.", "$2.61-$2.66", (2.61, 2.66), "USD"),
    ("en", "It sees EPS of $2.61-2.66 next year.", "$2.61-2.66", (2.61, 2.66), "USD"),
    ("en", "Revenue of $151-155.5 billion is expected.", "$151-155.5 billion", (151e9, 155.5e9), "USD"),
    ("en", "Margins of 44% to 45% are planned.", "44% to 45%", (44.0, 45.0), "%"),
    ("en", "Margins of 44-45% are planned.", "44-45%", (44.0, 45.0), "%"),
    ("en", "It expects between $1.1 billion and $1.3 billion.", "between $1.1 billion and $1.3 billion",
     (1.1e9, 1.3e9), "USD"),
    ("en", "EPS of 15 to 18 cents is expected.", "15 to 18 cents", (0.15, 0.18), "USD"),
    ("en", "Revenue of $54.0 billion, plus or minus 2%, is forecast.", "$54.0 billion, plus or minus 2%",
     54e9, "USD"),
    # word numbers
    ("en", "The stock lost a third of its value.", "a third", 33.33, "%"),
    ("en", "Profit fell by a quarter on weak demand.", "a quarter", 25.0, "%"),
    ("en", "A fifth of staff will go.", "A fifth", 20.0, "%"),
    ("en", "It cut the workforce by half.", "half", 50.0, "%"),
    ("en", "It expects to break even next year.", "break even", 0.0, None),
    ("en", "It expects breakeven results.", "breakeven", 0.0, None),
    ("en", "EPS missed by two cents.", "two cents", 0.02, "USD"),
    ("en", "EPS fell a penny short of estimates.", "a penny", 0.01, "USD"),
    ("en", "The Fed cut by a quarter point.", "a quarter point", 0.25, "pp"),
    ("en", "The bank raised rates by half a percentage point.", "half a percentage point", 0.5, "pp"),
    ("en", "The margin rose three percentage points.", "three percentage points", 3.0, "pp"),
    # German
    ("de", "Der Umsatz stieg auf 1,2 Mrd. Euro.", "1,2 Mrd. Euro", 1.2e9, "EUR"),
    ("de", "Der Umsatz stieg auf 1,2 Milliarden Euro.", "1,2 Milliarden Euro", 1.2e9, "EUR"),
    ("de", "Der Gewinn lag bei 845 Mio. Euro.", "845 Mio. Euro", 845e6, "EUR"),
    ("de", "Der Gewinn lag bei 845 Millionen Euro.", "845 Millionen Euro", 845e6, "EUR"),
    ("de", "Toyota verdiente 1,17 Billionen Yen.", "1,17 Billionen Yen", 1.17e12, "JPY"),
    ("de", "Der DAX schloss bei 24.087,31 Punkten.", "24.087,31 Punkten", 24087.31, "points"),
    ("de", "Die Dividende steigt auf 35 Cent.", "35 Cent", 0.35, "EUR"),
    ("de", "Die Dividende steigt auf 1,85 Euro je Aktie.", "1,85 Euro", 1.85, "EUR"),
    ("de", "Sie kaufte 1.234 Aktien.", "1.234 Aktien", 1234.0, "shares"),
    ("de", "Ein Plus von 2,5 Prozent.", "2,5 Prozent", 2.5, "%"),
    ("de", "Ein Plus von 2,5 %.", "2,5 %", 2.5, "%"),
    ("de", "Die Marge stieg um 0,25 Prozentpunkte.", "0,25 Prozentpunkte", 0.25, "pp"),
    ("de", "Die EZB senkte um 25 Basispunkte.", "25 Basispunkte", 25.0, "bp"),
    ("de", "Nestle verdiente 4,4 Mrd. Franken.", "4,4 Mrd. Franken", 4.4e9, "CHF"),
    ("de", "Der Umsatz betrug 3,2 Mrd. US-Dollar.", "3,2 Mrd. US-Dollar", 3.2e9, "USD"),
    ("de", "Der Umsatz betrug 900 Tsd. Euro.", "900 Tsd. Euro", 900e3, "EUR"),
    ("de", "Die Prognose: zwischen 1,2 und 1,4 Mrd. Euro.", "zwischen 1,2 und 1,4 Mrd. Euro", (1.2e9, 1.4e9), "EUR"),
    ("de", "Die Prognose: 1,2 bis 1,4 Mrd. Euro.", "1,2 bis 1,4 Mrd. Euro", (1.2e9, 1.4e9), "EUR"),
    ("de", "Umsatz von 16,0 Mrd. Euro, plus oder minus 1 Mrd., erwartet.", "16,0 Mrd. Euro, plus oder minus 1 Mrd.",
     16e9, "EUR"),
    ("de", "Die Aktie verlor ein Drittel ihres Wertes.", "ein Drittel", 33.33, "%"),
    ("de", "Ein Viertel des Umsatzes.", "Ein Viertel", 25.0, "%"),
    ("de", "Ein Fünftel der Stellen fällt weg.", "Ein Fünftel", 20.0, "%"),
    ("de", "Der Gewinn brach um die Hälfte ein.", "die Hälfte", 50.0, "%"),
    ("de", "Das Unternehmen will die Gewinnschwelle erreichen.", "Gewinnschwelle", 0.0, None),
    ("de", "Die Marge stieg um drei Prozentpunkte.", "drei Prozentpunkte", 3.0, "pp"),
    ("de", "Die Notenbank senkte um einen halben Prozentpunkt.", "einen halben Prozentpunkt", 0.5, "pp"),
    ("de", "Der Umsatz stieg auf 1,2 Mrd. €.", "1,2 Mrd. €", 1.2e9, "EUR"),
    ("de", "Der Umsatz stieg auf 450 Mio. GBP.", "450 Mio. GBP", 450e6, "GBP"),
    ("de", "Der Umsatz stieg auf HK$ 5,2 Mrd.", "HK$ 5,2 Mrd.", 5.2e9, "HKD"),
    ("de", "Der Umsatz stieg auf £3,1 Mrd.", "£3,1 Mrd.", 3.1e9, "GBP"),
    ("de", "Der Umsatz stieg auf 2 Mio. Dollar.", "2 Mio. Dollar", 2e6, "USD"),
    ("de", "Der Umsatz stieg auf 7 Milliarden Schweizer Franken.", "7 Milliarden Schweizer Franken", 7e9, "CHF"),
    ("de", "Toyota verdiente 900 Mrd. Yen.", "900 Mrd. Yen", 900e9, "JPY"),
    ("de", "Der Umsatz stieg auf 5 Mrd. Pfund.", "5 Mrd. Pfund", 5e9, "GBP"),
    ("de", "Der DAX stieg um 120 Punkte.", "120 Punkte", 120.0, "points"),
    # Spanish
    ("es", "Los ingresos sumaron 1.200 millones de euros.", "1.200 millones de euros", 1.2e9, "EUR"),
    ("es", "Invirtió 35 mil euros.", "35 mil euros", 35e3, "EUR"),
    ("es", "Una cartera de 1 billón de dólares.", "1 billón de dólares", 1e12, "USD"),
    ("es", "Ganó 35 millones €.", "35 millones €", 35e6, "EUR"),
    ("es", "Ganó US$ 5 millones.", "US$ 5 millones", 5e6, "USD"),
    ("es", "Ganó 450 millones de GBP.", "450 millones de GBP", 450e6, "GBP"),
    ("es", "Ganó 1.300 millones de yenes.", "1.300 millones de yenes", 1.3e9, "JPY"),
    ("es", "Ganó 1.300 millones de dólares de Hong Kong.", "1.300 millones de dólares de Hong Kong", 1.3e9, "HKD"),
    ("es", "Ganó 1,5 millones de dólares.", "1,5 millones de dólares", 1.5e6, "USD"),
    ("es", "El beneficio fue de 3.450 millones de dólares.", "3.450 millones de dólares", 3.45e9, "USD"),
    ("es", "Ganó 2,5 mil millones de euros.", "2,5 mil millones de euros", 2.5e9, "EUR"),
    ("es", "Ganó 2,5 miles de millones de euros.", "2,5 miles de millones de euros", 2.5e9, "EUR"),
    ("es", "Toyota ganó 1,17 billones de yenes.", "1,17 billones de yenes", 1.17e12, "JPY"),
    ("es", "El Ibex cerró en 15.321,4 puntos.", "15.321,4 puntos", 15321.4, "points"),
    ("es", "Pagará 35 céntimos por acción.", "35 céntimos", 0.35, "EUR"),
    ("es", "Pagará 0,35 euros por acción.", "0,35 euros", 0.35, "EUR"),
    ("es", "Subió un 3,4%.", "3,4%", 3.4, "%"),
    ("es", "Subió un 3,4 por ciento.", "3,4 por ciento", 3.4, "%"),
    ("es", "El margen mejoró 1,5 puntos porcentuales.", "1,5 puntos porcentuales", 1.5, "pp"),
    ("es", "El BCE bajó los tipos 25 puntos básicos.", "25 puntos básicos", 25.0, "bp"),
    ("es", "Recomprará 20 millones de acciones.", "20 millones de acciones", 20e6, "shares"),
    ("es", "Ganó 900 millones de francos suizos.", "900 millones de francos suizos", 900e6, "CHF"),
    ("es", "Ganó 610 millones de libras.", "610 millones de libras", 610e6, "GBP"),
    ("es", "Prevé ingresos de entre 35.000 y 36.000 millones de euros.",
     "de entre 35.000 y 36.000 millones de euros", (35e9, 36e9), "EUR"),
    ("es", "Prevé un BPA de 2,61 a 2,66 dólares.", "2,61 a 2,66 dólares", (2.61, 2.66), "USD"),
    ("es", "El tipo queda entre el 4,25% y el 4,50%.", "entre el 4,25% y el 4,50%", (4.25, 4.5), "%"),
    ("es", "Prevé un margen de entre el 20% y el 22%.", "de entre el 20% y el 22%", (20.0, 22.0), "%"),
    ("es", "Prevé ventas de 6.600-6.800 millones de euros.", "6.600-6.800 millones de euros", (6.6e9, 6.8e9), "EUR"),
    ("es", "Prevé ventas de 40.000 millones de euros, más o menos 500 millones.",
     "40.000 millones de euros, más o menos 500 millones", 40e9, "EUR"),
    ("es", "La acción perdió un tercio de su valor.", "un tercio", 33.33, "%"),
    ("es", "Una cuarta parte de las ventas.", "Una cuarta parte", 25.0, "%"),
    ("es", "Una quinta parte de la plantilla.", "Una quinta parte", 20.0, "%"),
    ("es", "El beneficio cayó a la mitad.", "la mitad", 50.0, "%"),
    ("es", "Espera alcanzar el punto de equilibrio.", "punto de equilibrio", 0.0, None),
    ("es", "Espera alcanzar el equilibrio en 2027.", "equilibrio", 0.0, None),
    ("es", "El banco subió los tipos medio punto porcentual.", "medio punto porcentual", 0.5, "pp"),
    ("es", "El margen subió dos puntos porcentuales.", "dos puntos porcentuales", 2.0, "pp"),
]


@pytest.mark.parametrize(("lang", "text", "span", "value", "unit"), CASES)
def test_quantity(lang: str, text: str, span: str, value: float | tuple[float, float], unit: str | None) -> None:
    q = _one(text, lang, span)
    assert _same(q.value, value), (q.value, value)
    assert q.unit == unit


BANDS = [
    ("en", "Revenue of $54.0 billion, plus or minus 2%, is forecast.", "$54.0 billion, plus or minus 2%"),
    ("de", "Umsatz von 16,0 Mrd. Euro, plus oder minus 1 Mrd., erwartet.", "16,0 Mrd. Euro, plus oder minus 1 Mrd."),
    ("es", "Prevé ventas de 40.000 millones de euros, más o menos 500 millones.",
     "40.000 millones de euros, más o menos 500 millones"),
]


@pytest.mark.parametrize(("lang", "text", "span"), BANDS)
def test_band_is_the_point(lang: str, text: str, span: str) -> None:
    q = _one(text, lang, span)
    assert q.band and not isinstance(q.value, tuple)
    assert len(find_quantities(text, lang)) == 1


HEDGED = [
    ("en", "Revenue of about $2 billion.", "about $2 billion"),
    ("en", "Revenue of roughly $2 billion.", "roughly $2 billion"),
    ("en", "Shares rose around 3%.", "around 3%"),
    ("en", "Shares fell nearly 9%.", "nearly 9%"),
    ("en", "Shares fell almost 9%.", "almost 9%"),
    ("en", "Profit of more than $1 billion.", "more than $1 billion"),
    ("en", "A buyback of at least $5 billion.", "at least $5 billion"),
    ("en", "A buyback of up to $10 billion.", "up to $10 billion"),
    ("en", "Some $300 million was spent.", "Some $300 million"),
    ("en", "Profit fell more than half.", "more than half"),
    ("de", "Ein Umsatz von rund 2 Mrd. Euro.", "rund 2 Mrd. Euro"),
    ("de", "Ein Plus von etwa 3 Prozent.", "etwa 3 Prozent"),
    ("de", "Ein Minus von knapp 9 Prozent.", "knapp 9 Prozent"),
    ("de", "Ein Plus von gut 4 Prozent.", "gut 4 Prozent"),
    ("de", "Ein Gewinn von mehr als 1 Mrd. Euro.", "mehr als 1 Mrd. Euro"),
    ("de", "Ein Minus von fast 9 Prozent.", "fast 9 Prozent"),
    ("de", "Rückkäufe von bis zu 10 Mrd. Euro.", "bis zu 10 Mrd. Euro"),
    ("de", "Die Aktie verlor knapp ein Drittel.", "knapp ein Drittel"),
    ("es", "Ingresos de cerca de 2.000 millones de euros.", "cerca de 2.000 millones de euros"),
    ("es", "Subió unos 3 puntos.", "unos 3 puntos"),
    ("es", "Subió alrededor de un 3%.", "alrededor de un 3%"),
    ("es", "Cayó casi un 9%.", "casi un 9%"),
    ("es", "Ganó más de 1.000 millones de euros.", "más de 1.000 millones de euros"),
    ("es", "Recompras de hasta 5.000 millones de euros.", "de hasta 5.000 millones de euros"),
    ("es", "La acción perdió casi un tercio.", "casi un tercio"),
]


@pytest.mark.parametrize(("lang", "text", "span"), HEDGED)
def test_hedged(lang: str, text: str, span: str) -> None:
    assert _one(text, lang, span).approx


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Revenue of $2 billion."), ("de", "Ein Plus von 3 Prozent."), ("es", "Subió un 3%."),
])
def test_not_hedged(lang: str, text: str) -> None:
    (q,) = find_quantities(text, lang)
    assert not q.approx


NOT_QUANTITIES = [
    ("en", "In 2025 the company moved."), ("en", "On March 31, the company said."),
    ("en", "The call starts at 10:30 a.m. on Tuesday."), ("en", "Call +1 212 555 0100 for details."),
    ("en", "Call (212) 555-0100 for details."), ("en", "Results for Q3 and 3Q24 are due."),
    ("en", "The third quarter was strong."), ("en", "It ranked 1st, with the S&P 500 and FTSE 100 up."),
    ("en", "It is No. 1 in the top 10."), ("en", "Fiscal 2025/26 and 2024-25 were good; FY24 too."),
    ("en", "The report from 2025-03-31 is out."), ("en", "The 1H25 and 9M25 figures."),
    ("en", "9M revenue rose while 3M shares fell and 5G spread."),
    ("de", "Am 31. März 2025 um 17.30 Uhr."), ("de", "Im 3. Quartal und im 2. Halbjahr."),
    ("de", "Der DAX 40 und der Euro Stoxx 50 stiegen."), ("de", "Das Datum 31.03.2025 gilt."),
    ("es", "El 31 de marzo de 2025 a las 17.30 horas."), ("es", "En el 3T25 y el 1S25."),
    ("es", "El Ibex 35 abrió."), ("de", "Rufen Sie +49 69 1234 5678 an; Platz 3; Nr. 1."),
    ("es", "Llame al +34 91 123 45 67; puesto 3; nº 1."), ("en", "The S&P 500 and the Nasdaq 100 opened."),
    ("de", "Das Ziel für 2026 gilt."), ("es", "El objetivo para 2026 sigue."),
]


@pytest.mark.parametrize(("lang", "text"), NOT_QUANTITIES)
def test_not_quantities(lang: str, text: str) -> None:
    assert find_quantities(text, lang) == [], [text[q.start:q.end] for q in find_quantities(text, lang)]


def test_bare_number_has_no_unit() -> None:
    (q,) = find_quantities("The company employs 12,500 people.", "en")
    assert q.unit is None and q.value == 12500.0


@pytest.mark.parametrize(("lang", "text", "spans"), [
    ("en", "It rose $2.50 to $45.10 in New York.", ["$2.50", "$45.10"]),
    ("en", "It cut the target to $150 from $180.", ["$150", "$180"]),
    ("en", "It raised the target from $40 to $45.", ["$40", "$45"]),
    ("en", "Shares rose 3% to $45.", ["3%", "$45"]),
    ("en", "The Dow fell 120 points to 44,012.5.", ["120 points", "44,012.5"]),
    ("en", "Shares rose 3% and 4% on two days.", ["3%", "4%"]),
    ("es", "Subió un 3% y el Ibex un 1%.", ["3%", "1%"]),
    ("es", "Elevó el dividendo de 0,40 a 0,45 euros.", ["0,40", "0,45 euros"]),
    ("de", "Die Dividende steigt von 1,20 auf 1,35 Euro.", ["1,20", "1,35 Euro"]),
])
def test_two_numbers_not_a_range(lang: str, text: str, spans: list[str]) -> None:
    found = find_quantities(text, lang)
    assert [text[q.start:q.end] for q in found] == spans
    assert not any(isinstance(q.value, tuple) for q in found)


def test_change_from_keeps_unit_of_the_second_number() -> None:
    first, second = find_quantities("Elevó el dividendo de 0,40 a 0,45 euros.", "es")
    assert (first.value, first.unit) == (0.4, "EUR") and second.unit == "EUR"


@pytest.mark.parametrize(("token", "lang", "value"), [
    ("24.087,31", "de", 24087.31), ("24.087,31", "es", 24087.31), ("1.200", "es", 1200.0),
    ("1.200", "de", 1200.0), ("1,212", "en", 1212.0), ("1.234", "en", 1.234), ("1.234", "de", 1234.0),
    ("1,5", "de", 1.5), ("1.5", "de", 1.5), ("0.25", "en", 0.25), ("-3.2", "en", -3.2), ("−3,2", "de", -3.2),
    ("1.000.000", "de", 1e6), ("1,000,000", "en", 1e6), ("12 345,6", "de", 12345.6), (".5", "en", 0.5),
    ("1,234.5", "es", 1234.5),
])
def test_parse_number(token: str, lang: str, value: float) -> None:
    got = parse_number(token, lang)
    assert got is not None and _close(got, value)


@pytest.mark.parametrize(("token", "lang"), [("", "en"), ("abc", "de"), ("1,2", "en"), ("1..2", "es"),
                                              ("12%", "en"), ("1,2,3", "de")])
def test_parse_number_rejects(token: str, lang: str) -> None:
    assert parse_number(token, lang) is None


def _format(x: float, lang: str, decimals: int, grouped: bool) -> str:
    text = f"{x:,.{decimals}f}" if grouped else f"{x:.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


@fuzz_settings(200)
@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=4),
       st.sampled_from(["en", "de", "es"]), st.booleans())
def test_parse_number_round_trip(cents: int, decimals: int, lang: str, grouped: bool) -> None:
    x = cents / 10**decimals
    text = _format(x, lang, decimals, grouped)
    got = parse_number(text, lang)
    assert got is not None and _close(got, x), (text, got, x)


@fuzz_settings(300)
@given(st.text(alphabet=st.sampled_from(list("0123456789 .,-–$€£¥%p+()/:abcdemnoprstuyBMQHT'")), max_size=80),
       st.sampled_from(["en", "de", "es", "fr"]))
def test_find_quantities_never_raises_spans_in_order(text: str, lang: str) -> None:
    found = find_quantities(text, lang)
    last = 0
    for q in found:
        assert 0 <= q.start < q.end <= len(text)
        assert q.start >= last
        last = q.end


@fuzz_settings(100)
@given(st.text(max_size=200), st.sampled_from(["en", "de", "es"]))
def test_find_quantities_any_text(text: str, lang: str) -> None:
    found = find_quantities(text, lang)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


@pytest.mark.parametrize(("lang", "text", "span", "unit"), [
    ("de", "Nvidia verdiente 1,85 Dollar je Aktie, 9 Cent mehr als erwartet.", "9 Cent", "USD"),
    ("de", "SAP zahlt 2,35 Euro je Aktie, 9 Cent mehr als im Vorjahr.", "9 Cent", "EUR"),
    ("de", "Evonik zahlt 2,35 Euro, Ford 15 US-Cent.", "15 US-Cent", "USD"),
    ("en", "BMW earned 2.10 euros a share, 5 cents more than expected.", "5 cents", "EUR"),
    ("en", "Shell pays 34 euro cents a share.", "34 euro cents", "EUR"),
    ("en", "Walmart earned $0.61, two cents more.", "$0.61", "USD"),
    ("es", "Iberdrola pagará 0,25 euros, 2 céntimos más.", "2 céntimos", "EUR"),
    ("es", "Apple ganó 1,85 dólares por acción, 9 centavos más.", "9 centavos", "USD"),
    ("es", "Apple ganó 1,85 dólares por acción, 9 céntimos más de lo previsto.", "9 céntimos", "USD"),
])
def test_cents_take_the_currency_around_them(lang: str, text: str, span: str, unit: str) -> None:
    assert _one(text, lang, span).unit == unit


@pytest.mark.parametrize(("lang", "text", "span", "value", "unit"), [
    ("de", "Der Leitzins liegt in einer Spanne von 3,75 bis 4,00 Prozent.", "3,75 bis 4,00 Prozent",
     (3.75, 4.0), "%"),
    ("en", "It raised its forecast for 2027 to 2.1%.", "2.1%", 2.1, "%"),
    ("en", "The year ending March 2027 to 3.6 trillion yen.", "3.6 trillion yen", 3.6e12, "JPY"),
    ("en", "Revenue rose to $34.2 billion.", "$34.2 billion", 34.2e9, "USD"),
    ("en", "It raised the dividend from 40 to 45 cents.", "40", 0.4, "USD"),
    ("en", "It sees revenue of 1.2 to 1.4 billion euros.", "1.2 to 1.4 billion euros", (1.2e9, 1.4e9), "EUR"),
])
def test_range_edges(lang: str, text: str, span: str, value: float | tuple[float, float], unit: str) -> None:
    q = _one(text, lang, span)
    assert _same(q.value, value) and q.unit == unit
    assert not any(q.value == 2027 or q.value == 2027.0 for q in find_quantities(text, lang))


def test_scaled_values_are_exact() -> None:
    (q,) = find_quantities("Revenue rose to $34.2 billion.", "en")
    assert q.value == 34_200_000_000


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "At one point the shares jumped."), ("es", "La acción subió un punto de inflexión."),
])
def test_spelled_points_are_not_quantities(lang: str, text: str) -> None:
    assert find_quantities(text, lang) == []


@pytest.mark.parametrize(("lang", "text", "span", "approx"), [
    ("es", "La acción subió hasta 8,46 euros.", "8,46 euros", False),
    ("es", "Recomprará acciones por un importe de hasta 500 millones de euros.", "de hasta 500 millones de euros",
     True),
    ("es", "Subió más o menos un 2%.", "más o menos un 2%", True),
    ("es", "Ganará al menos 500 millones de euros.", "al menos 500 millones de euros", True),
    ("es", "Ganó menos de 500 millones de euros.", "menos de 500 millones de euros", True),
])
def test_spanish_hasta(lang: str, text: str, span: str, approx: bool) -> None:
    q = _one(text, lang, span)
    assert q.approx is approx
    assert not isinstance(q.value, tuple) and q.value > 0


@pytest.mark.parametrize(("lang", "text", "spans"), [
    ("es", "Prevé ingresos de 86.000 millones de dólares en el trimestre, más o menos 1.000 millones.",
     ["86.000 millones de dólares"]),
    ("es", "Espera 68.000 millones de dólares en el trimestre, con un margen de más o menos un 2%.",
     ["68.000 millones de dólares"]),
    ("en", "It sees revenue of $54 billion in the quarter, plus or minus 2%.", ["$54 billion"]),
    ("de", "Umsatz von 16 Mrd. Euro im Jahr, plus oder minus 1 Mrd. Euro.", ["16 Mrd. Euro"]),
])
def test_band_apart_from_its_point_is_no_quantity(lang: str, text: str, spans: list[str]) -> None:
    assert [text[q.start:q.end] for q in find_quantities(text, lang)] == spans


def test_spanish_mas_o_menos_before_a_move_is_a_hedge() -> None:
    (q,) = find_quantities("Las acciones subieron más o menos un 2%.", "es")
    assert q.approx and not q.band and q.value == 2.0


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "It grew over the past 12 months, in the 12-month period, in a 3-year plan and within 5 days."),
    ("de", "In den vergangenen 12 Monaten, binnen 3 Jahren und 5 Wochen."),
    ("es", "En los últimos 12 meses, en 3 años y en 5 semanas."),
])
def test_durations_are_not_quantities(lang: str, text: str) -> None:
    assert find_quantities(text, lang) == []


@pytest.mark.parametrize(("lang", "text", "span", "value"), [
    ("es", "Cellnex ingresó 1.050 M€ en el trimestre.", "1.050 M€", 1.05e9),
    ("es", "Cellnex ingresó 3,5 M€ en el trimestre.", "3,5 M€", 3.5e6),
])
def test_spanish_million_euro_sign(lang: str, text: str, span: str, value: float) -> None:
    q = _one(text, lang, span)
    assert q.value == value and q.unit == "EUR"


@pytest.mark.parametrize(("lang", "text", "currency", "unit"), [
    ("de", "Die Quartalsdividende bleibt bei 26 Cent.", "USD", "USD"),
    ("de", "Die Quartalsdividende bleibt bei 26 Cent.", None, "EUR"),
    ("en", "The quarterly dividend stays at 26 cents.", "EUR", "EUR"),
    ("es", "El dividendo sube 2 céntimos, hasta 0,50 euros.", "USD", "EUR"),
    ("en", "The dividend rises 2 cents to 50 euro cents.", "USD", "EUR"),
    ("de", "Die Dividende steigt um 2 Cent auf 0,50 Dollar.", None, "USD"),
    ("de", "Die Dividende steigt auf 1,50 Euro, 10 Cent mehr.", "USD", "EUR"),
])
def test_cents_take_the_callers_currency(lang: str, text: str, currency: str | None, unit: str) -> None:
    q = next(q for q in find_quantities(text, lang, currency=currency) if "ent" in text[q.start:q.end]
             or "ntimo" in text[q.start:q.end])
    assert q.unit == unit
