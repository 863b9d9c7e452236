"""The words around numbers in English, German and Spanish: scales, currencies, units, hedges, spelled
numbers, fractions, dates and ranks (the patterns built from them are in
:mod:`newsdesk.facts.numbers_patterns`).

Hand-written because no maintained library reads newswire amounts in these three languages with
their scales ("1,2 Mrd.", "mil millones", "bn"), subunits ("1,212p"), ranges and hedges: libraries
such as ``price-parser`` (one price per string) or ``number-parser`` (spelled numbers) each cover
one piece and would need a pass of their own over every sentence. Only vocabulary lives here; the
matching logic is in :mod:`newsdesk.facts.numbers`.
"""

from __future__ import annotations

import re

LANGS = ("en", "de", "es")

#: Scale words (lower case, dots removed) -> factor, per language. German "Billion" and Spanish
#: "billón" are 1e12; "mil millones" is 1e9.
SCALES: dict[str, dict[str, float]] = {
    "en": {"trillion": 1e12, "trillions": 1e12, "tn": 1e12, "tln": 1e12, "billion": 1e9, "billions": 1e9,
           "bn": 1e9, "bln": 1e9, "million": 1e6, "millions": 1e6, "mn": 1e6, "mln": 1e6, "thousand": 1e3},
    "de": {"billion": 1e12, "billionen": 1e12, "bio": 1e12, "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9,
           "mia": 1e9, "bn": 1e9, "million": 1e6, "millionen": 1e6, "mio": 1e6, "tausend": 1e3, "tsd": 1e3},
    "es": {"billones": 1e12, "billón": 1e12, "billon": 1e12, "mil millones": 1e9, "miles de millones": 1e9,
           "millardos": 1e9, "millardo": 1e9, "millones": 1e6, "millón": 1e6, "millon": 1e6, "mill": 1e6,
           "mil": 1e3},
}
#: Scales that must be written without a dot-less abbreviation dot being part of a word ("Mrd.").
DOTTED_SCALES = {"mrd", "mio", "bio", "tsd", "mia", "mill"}
#: One-letter scales, accepted only right after a number that has a currency sign ("$5.2B", "£40m").
LETTER_SCALES: dict[str, float] = {"t": 1e12, "b": 1e9, "m": 1e6, "k": 1e3}

#: Currency signs and codes written before the number.
PREFIX_CURRENCIES: dict[str, str] = {
    "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "us$": "USD", "hk$": "HKD",
    "usd": "USD", "eur": "EUR", "gbp": "GBP", "jpy": "JPY", "chf": "CHF", "hkd": "HKD",
    "cny": "CNY", "cad": "CAD", "aud": "AUD", "sek": "SEK", "nok": "NOK", "dkk": "DKK", "inr": "INR",
    "krw": "KRW", "brl": "BRL", "mxn": "MXN", "sgd": "SGD", "sfr.": "CHF", "fr.": "CHF",
}
#: Letters glued before "$": "HK$" is HKD, "C$" CAD.
DOLLAR_PREFIXES: dict[str, str] = {
    "us": "USD", "u.s.": "USD", "hk": "HKD", "c": "CAD", "ca": "CAD", "a": "AUD", "au": "AUD", "nz": "NZD",
    "s": "SGD", "r": "BRL", "mx": "MXN",
}

#: Units written after the number (lower case, single spaces) -> (unit, divisor). A divisor of 100
#: marks a subunit (cents, pence, céntimos).
_COMMON_POST: dict[str, tuple[str, float]] = {
    "%": ("%", 1), "usd": ("USD", 1), "eur": ("EUR", 1), "gbp": ("GBP", 1), "jpy": ("JPY", 1),
    "chf": ("CHF", 1), "hkd": ("HKD", 1), "cny": ("CNY", 1), "€": ("EUR", 1), "$": ("USD", 1), "£": ("GBP", 1),
    "¥": ("JPY", 1), "yen": ("JPY", 1), "yuan": ("CNY", 1), "renminbi": ("CNY", 1), "pence": ("GBP", 100),
    "p": ("GBP", 100), "bp": ("bp", 1), "bps": ("bp", 1), "pp": ("pp", 1), "ppt": ("pp", 1), "ppts": ("pp", 1),
    "pts": ("points", 1),
}
_POST: dict[str, dict[str, tuple[str, float]]] = {
    "en": {
        "percent": ("%", 1), "per cent": ("%", 1), "pct": ("%", 1), "pc": ("%", 1), "¢": ("USD", 100),
        "percentage points": ("pp", 1), "percentage point": ("pp", 1), "basis points": ("bp", 1),
        "basis point": ("bp", 1),
        "points": ("points", 1), "point": ("points", 1), "shares": ("shares", 1), "dollars": ("USD", 1),
        "dollar": ("USD", 1), "us dollars": ("USD", 1), "u.s. dollars": ("USD", 1), "euros": ("EUR", 1),
        "euro": ("EUR", 1), "pounds": ("GBP", 1), "pounds sterling": ("GBP", 1), "sterling": ("GBP", 1),
        "swiss francs": ("CHF", 1), "francs": ("CHF", 1), "hong kong dollars": ("HKD", 1),
        "hk dollars": ("HKD", 1), "canadian dollars": ("CAD", 1), "australian dollars": ("AUD", 1),
        "cents": ("USD", 100), "cent": ("USD", 100), "us cents": ("USD", 100), "euro cents": ("EUR", 100),
        "u.s. cents": ("USD", 100), "u.s. cent": ("USD", 100),
        "pennies": ("USD", 100), "rupees": ("INR", 1), "kronor": ("SEK", 1), "pesos": ("MXN", 1),
    },
    "de": {
        "prozent": ("%", 1), "v.h.": ("%", 1), "prozentpunkte": ("pp", 1), "prozentpunkten": ("pp", 1),
        "prozentpunkt": ("pp", 1), "basispunkte": ("bp", 1), "basispunkten": ("bp", 1), "basispunkt": ("bp", 1),
        "punkte": ("points", 1), "punkten": ("points", 1), "punkt": ("points", 1), "zähler": ("points", 1),
        "zählern": ("points", 1), "aktien": ("shares", 1), "euro": ("EUR", 1), "euros": ("EUR", 1),
        "dollar": ("USD", 1), "us-dollar": ("USD", 1), "us dollar": ("USD", 1), "pfund": ("GBP", 1),
        "pfund sterling": ("GBP", 1), "franken": ("CHF", 1), "schweizer franken": ("CHF", 1),
        "hongkong-dollar": ("HKD", 1), "hongkong dollar": ("HKD", 1), "hk-dollar": ("HKD", 1), "hk$": ("HKD", 1),
        "cent": ("EUR", 100),
        "cents": ("EUR", 100), "eurocent": ("EUR", 100), "us-cent": ("USD", 100), "us-cents": ("USD", 100),
        "kronen": ("SEK", 1), "rupien": ("INR", 1), "fr.": ("CHF", 1), "sfr.": ("CHF", 1), "sfr": ("CHF", 1),
    },
    "es": {
        "por ciento": ("%", 1), "puntos porcentuales": ("pp", 1), "punto porcentual": ("pp", 1),
        "p.p.": ("pp", 1), "puntos básicos": ("bp", 1), "punto básico": ("bp", 1), "pb": ("bp", 1),
        "pbs": ("bp", 1), "puntos": ("points", 1), "punto": ("points", 1), "enteros": ("points", 1),
        "acciones": ("shares", 1), "títulos": ("shares", 1), "euros": ("EUR", 1), "euro": ("EUR", 1),
        "dólares": ("USD", 1), "dólar": ("USD", 1), "dólares estadounidenses": ("USD", 1),
        "libras": ("GBP", 1), "libras esterlinas": ("GBP", 1), "yenes": ("JPY", 1), "francos suizos": ("CHF", 1),
        "francos": ("CHF", 1), "dólares de hong kong": ("HKD", 1), "dólares hongkoneses": ("HKD", 1),
        "céntimos": ("EUR", 100), "céntimo": ("EUR", 100), "céntimos de euro": ("EUR", 100),
        "céntimos de dólar": ("USD", 100), "centavos de dólar": ("USD", 100), "centavos": ("USD", 100),
        "peniques": ("GBP", 100), "pesos": ("MXN", 1), "pesos mexicanos": ("MXN", 1), "yuanes": ("CNY", 1),
        # "1.050 M€" is 1,050 million euros (a divisor below 1 multiplies)
        "m€": ("EUR", 1e-6), "mm€": ("EUR", 1e-6), "m$": ("USD", 1e-6),
    },
}
POST_UNITS: dict[str, dict[str, tuple[str, float]]] = {
    lang: {**_COMMON_POST, **words} for lang, words in _POST.items()
}

#: Hedges on a number (the number stays; approx=True).
HEDGES: dict[str, tuple[str, ...]] = {
    "en": ("about", "roughly", "around", "nearly", "almost", "more than", "at least", "up to", "some", "over",
           "approximately", "approx.", "close to", "just over", "just under", "well over", "less than",
           "fewer than", "under", "an estimated", "an additional", "as many as", "as much as", "circa", "c."),
    "de": ("rund", "etwa", "knapp", "gut", "mehr als", "fast", "bis zu", "über", "ungefähr", "circa", "ca.",
           "zirka", "mindestens", "nahezu", "annähernd", "beinahe", "weniger als", "unter", "gut und gern"),
    "es": ("cerca de", "unos", "unas", "alrededor de", "casi", "más de", "de hasta", "por hasta",
           "aproximadamente", "en torno a", "al menos", "menos de", "por encima de", "por debajo de",
           "algo más de", "poco más de", "más o menos"),
}
#: Words that open a range "between X and Y".
BETWEEN: dict[str, tuple[str, ...]] = {
    "en": ("between",), "de": ("zwischen",), "es": ("de entre", "entre", "entre el", "de entre el"),
}
#: Range separators in words: "to"-like (X to Y) and "and"-like (between X and Y).
RANGE_TO: dict[str, tuple[str, ...]] = {"en": ("to",), "de": ("bis",), "es": ("a", "hasta")}
RANGE_AND: dict[str, tuple[str, ...]] = {"en": ("and",), "de": ("und",), "es": ("y", "e", "y el")}
#: Words before "X to Y" that make it a change, not a range ("from $40 to $45").
FROM_WORDS: dict[str, tuple[str, ...]] = {"en": ("from",), "de": (), "es": ("desde",)}
#: "de X a Y" in Spanish is a change when a verb of change comes shortly before it.
ES_CHANGE_VERB = re.compile(
    r"(?:elev|sub|baj|rebaj|recort|aument|reduj|reduc|red[uú]c|pas|mejor|revis|increment|dispar|"
    r"hund|desplom|ca[yíi]|retroced|gan|perd|avanz)\w*\s+(?:\w+\s+){0,6}de\s*$", re.IGNORECASE)
#: Bands after a number: "plus or minus 2%".
BANDS: dict[str, tuple[str, ...]] = {
    "en": ("plus or minus", "plus-or-minus", "give or take", "+/-", "±"),
    "de": ("plus oder minus", "plus/minus", "+/-", "±"),
    "es": ("más o menos", "más/menos", "+/-", "±"),
}
#: Sign words before a number.
SIGN_WORDS: dict[str, tuple[str, ...]] = {"en": ("minus", "negative"), "de": ("minus",), "es": ("menos",)}

#: Spelled small numbers, used only when a unit follows ("two cents", "drei Prozentpunkte").
SPELLED: dict[str, dict[str, float]] = {
    "en": {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "fifty": 50},
    "de": {"ein": 1, "eine": 1, "einen": 1, "einem": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
           "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "fünfzehn": 15,
           "zwanzig": 20, "dreißig": 30, "fünfzig": 50},
    "es": {"un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
           "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "quince": 15, "veinte": 20,
           "treinta": 30, "cincuenta": 50},
}

#: Fractions and fixed phrases: (pattern, value, unit). Patterns are matched case-insensitively at a
#: word boundary; the hedge before them ("more than half") sets approx.
_NOT_PERIOD_EN = r"(?![\s-]+(?:earlier|ago|later|before|after|of\s+(?:the|this|last|next)\s+(?:year|fiscal)))"
WORD_NUMBERS: dict[str, list[tuple[str, float, str | None]]] = {
    "en": [
        (r"(?:a|one)[\s-]quarter(?:[\s-]of\s+a)?[\s-](?:percentage[\s-])?point", 0.25, "pp"),
        (r"quarter[\s-](?:percentage[\s-])?point", 0.25, "pp"),
        (r"(?:half\s+a|a\s+half|one[\s-]half)[\s-](?:percentage[\s-])?point", 0.5, "pp"),
        (r"half[\s-](?:percentage[\s-])?point", 0.5, "pp"),
        (r"(?:a|one)\s+percentage\s+point", 1.0, "pp"),
        (r"two[\s-]thirds", 66.67, "%"), (r"three[\s-]quarters(?!\s+of\s+a\s+point)", 75.0, "%"),
        (r"(?:a|one)[\s-]third(?![\s-]quarter)", 33.33, "%"),
        (r"(?:a|one)[\s-]quarter(?=\s+of\b)" + _NOT_PERIOD_EN, 25.0, "%"),
        (r"(?<=\bby\s)a\s+quarter" + _NOT_PERIOD_EN, 25.0, "%"),
        (r"(?:a|one)[\s-]fifth", 20.0, "%"), (r"(?:a|one)[\s-]tenth", 10.0, "%"),
        ((r"(?<!first\s)(?<!second\s)(?<!back\s)(?<!front\s)(?<!first-)(?<!second-)half"
         r"(?![\s-]+(?:year|yearly|time|hour|day|dozen|of\s+(?:the\s+)?(?:year|fiscal|20\d\d))\b)(?!-)"), 50.0, "%"),
        (r"break[\s-]?even", 0.0, None),
        (r"(?:a|one)\s+(?:penny|cent)", 0.01, "USD"),
    ],
    "de": [
        (r"(?:einen|ein)\s+Viertelprozentpunkt|(?:einen|ein)\s+viertel\s+Prozentpunkt", 0.25, "pp"),
        (r"(?:einen|ein)\s+halben?\s+Prozentpunkt", 0.5, "pp"),
        (r"(?:einen|ein)\s+Prozentpunkt", 1.0, "pp"),
        (r"zwei\s+Drittel", 66.67, "%"), (r"drei\s+Viertel", 75.0, "%"),
        (r"(?:ein|einem|eines|um\s+ein)\s+Drittel", 33.33, "%"),
        (r"(?:ein|einem|eines)\s+Viertel(?!\s*jahr)", 25.0, "%"),
        (r"(?:ein|einem|eines)\s+Fünftel", 20.0, "%"), (r"(?:ein|einem|eines)\s+Zehntel", 10.0, "%"),
        (r"(?:die|der)\s+Hälfte", 50.0, "%"),
        (r"Gewinnschwelle|schwarze\s+Null|ausgeglichenes\s+Ergebnis", 0.0, None),
        (r"(?:einen|ein)\s+(?:Euro-?)?Cent", 0.01, "EUR"),
    ],
    "es": [
        (r"un\s+cuarto\s+de\s+punto(?:\s+porcentual)?", 0.25, "pp"),
        (r"medio\s+punto(?:\s+porcentual)?", 0.5, "pp"),
        (r"un\s+punto\s+porcentual", 1.0, "pp"),
        (r"dos\s+tercios", 66.67, "%"), (r"tres\s+cuartas\s+partes", 75.0, "%"),
        (r"un\s+tercio|una\s+tercera\s+parte", 33.33, "%"),
        (r"una\s+cuarta\s+parte|un\s+cuarto(?!\s+trimestre)(?=\s+de\b)", 25.0, "%"),
        (r"una\s+quinta\s+parte|un\s+quinto(?=\s+de\b)", 20.0, "%"),
        (r"una\s+d[eé]cima\s+parte", 10.0, "%"),
        (r"la\s+mitad", 50.0, "%"),
        (r"punto\s+de\s+equilibrio|(?<=el\s)equilibrio|(?<=al\s)equilibrio", 0.0, None),
        (r"un\s+c[eé]ntimo", 0.01, "EUR"),
    ],
}

MONTHS: dict[str, str] = {
    "en": r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?",
    "de": r"(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)",
    "es": r"(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|"
          r"diciembre)",
}

EN_MONTH_WORDS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December", "Jan", "Jan.", "Feb", "Feb.", "Mar", "Mar.", "Apr", "Apr.",
                  "Jun", "Jun.", "Jul", "Jul.", "Aug", "Aug.", "Sep", "Sep.", "Sept", "Sept.", "Oct", "Oct.", "Nov",
                  "Nov.", "Dec", "Dec.")

#: Numbers that are dates, times or phone numbers (these start with a digit, "+" or "(").
SKIP_COMMON = (
    r"\d{4}-\d{2}-\d{2}",                                         # ISO dates
    r"\d{1,2}[./]\d{1,2}[./]\d{2,4}(?!\d)",                        # 31.03.2025, 3/31/25
    r"(?:19|20)\d\d\s?[-–/]\s?(?:19|20)?\d\d(?![\d.,])",           # 2024-25, 2025/26
    r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?",                # 10:30, 4:05 p.m.
    r"\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]\d{2,5}){2,4}",        # +1 212 555 0100
    r"\(\d{3}\)\s?\d{3}[\s.-]\d{4}",                               # (212) 555-0100
    r"\d{3}[.-]\d{3}[.-]\d{4}",                                    # 212-555-0100
    r"\d{3}-\d{4}(?!\d)",                                          # 555-0100
)
SKIP_LANG: dict[str, tuple[str, ...]] = {
    "en": (
        r"\d{1,3}[\s-](?:months?|weeks?|days?|years?|hours?|decades?)\b",
        r"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + MONTHS["en"] + r"(?:,?\s+\d{4})?(?!\w)",
        r"\d{1,2}(?:\.\d{2})?\s*[ap]\.m\.|\d{1,2}\s?[ap]m\b",
    ),
    "de": (
        r"\d{1,3}[\s-](?:Monaten?|Monats|Wochen|Tagen?|Jahren?|Stunden|Jahrzehnten?)\b",
        r"\d{1,2}\.\s*" + MONTHS["de"] + r"(?:\s+\d{4})?",
        r"\d{1,2}[.:]\d{2}\s*Uhr|\d{1,2}\s*Uhr",
        (r"\d{1,2}\.\s*(?:Quartals?|Geschäftsquartals?|Halbjahr(?:es)?|Platz|Stelle|Rang|Monat|Jahrhundert"
        r"|Jahreshälfte)"),
    ),
    "es": (
        r"\d{1,3}\s(?:meses|semanas|días|años|horas|décadas)\b",
        r"\d{1,2}\s+de\s+" + MONTHS["es"] + r"(?:\s+(?:de|del)\s+\d{4})?",
        r"\d{1,2}[.:]\d{2}\s*(?:horas|h)\b|\d{1,2}\s*horas",
    ),
}
#: Words right before a number that make it a name, a date or a rank ("S&P 500", "March 31", "No. 1").
INDEX_WORDS = ("S&P", "FTSE", "Stoxx", "Euro Stoxx", "STOXX Europe", "Nikkei", "IBEX", "CAC", "DAX", "Russell",
               "Nasdaq", "ASX", "KOSPI", "Nifty", "MSCI", "Dow Jones", "Dow")
INDEX_NUMBERS = frozenset({500, 400, 600, 100, 250, 350, 50, 225, 35, 40, 1000, 2000, 3000, 200, 30})
RANK_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("No.", "no.", "number", "top", "Top", "rank", "ranked", "Section", "Article", "Form", "Boeing",
           "Airbus", "iPhone", "Windows", "Series", "Class"),
    "de": ("Nr.", "Platz", "Rang", "Top", "Paragraf", "Artikel", "Boeing", "Airbus", "iPhone"),
    "es": ("n.º", "nº", "no.", "número", "puesto", "Top", "top", "artículo", "Boeing", "Airbus", "iPhone"),
}
#: Words that make a word-number or spelled-number match worth looking for (lower case).
WORD_KEYS: dict[str, tuple[str, ...]] = {
    "en": ("a third", "one third", "one-third", "thirds", "a quarter", "one quarter", "quarter point",
           "quarter-point", "quarter percentage", "quarters", "fifth", "tenth", "half", "break even", "break-even",
           "breakeven", "penny", "pennies", "a cent", "one cent", "cents", "percent", "per cent", " point",
           "-point"),
    "de": ("drittel", "viertel", "fünftel", "zehntel", "hälfte", "gewinnschwelle", "schwarze null",
           "ausgeglichen", "prozent", "cent", "prozentpunkt"),
    "es": ("tercio", "tercera parte", "cuarta", "un cuarto", "quinta parte", "un quinto", "cima parte", "mitad", "equilibrio",
           "ntimo", "porcentual", "medio punto", "ciento"),
}


def _last_words(lang: str) -> frozenset[str]:
    words = [*HEDGES[lang], *BETWEEN[lang], *SIGN_WORDS[lang], *BANDS[lang], *INDEX_WORDS, *RANK_WORDS[lang],
             *(k for k in PREFIX_CURRENCIES if k[0].isalpha() and "$" not in k)]
    if lang == "en":
        words += EN_MONTH_WORDS
    if lang == "es":
        words += ("un", "una")
    return frozenset(w.split()[-1].lower() for w in words)


#: The last word of every phrase :func:`back_regex` reads: the reversed context is matched only
#: after one of these (or right after letters glued to the number, "HK$").
BACK_LAST: dict[str, frozenset[str]] = {lang: _last_words(lang) for lang in LANGS}
