"""A fact as a short phrase for readers, in each of the site's languages (en, de, es, fr, it, pt).

``describe(fact, lang)`` gives "EPS $1.86 vs $1.49 expected (beat)", "Q1 revenue guidance
$151–155.5 billion vs $158.6 billion consensus (below)", "Shares -4% after hours" and in German
"EPS 1,86 $ vs. 1,49 $ erwartet (übertroffen)". Numbers follow the language: a decimal comma and
a thousands dot (a narrow no-break space in French) outside English, scale words (billion, Mrd.,
mil millones, milliards, miliardi, mil milhões), the currency symbol before the number in
English and after it elsewhere. Pure functions, no I/O; any valid :class:`Fact` gives a phrase
(an unknown language falls back to English). The output is plain text: pages escape it.

Hand-written rather than Babel: the phrases need a dozen words per language and a number format
(grouping, decimal sign, scale word) that Babel does not choose for us either; a table here is
shorter than the glue around a library and adds no dependency to `publish`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from newsdesk.facts.model import PERCENT_METRICS, Fact

__all__ = ["LANGUAGES", "describe", "format_number", "key_figures"]

LANGUAGES = ("en", "de", "es", "fr", "it", "pt")

INDEX_NAMES = {
    "SPX": "S&P 500", "IXIC": "Nasdaq Composite", "NDX": "Nasdaq 100", "DJI": "Dow Jones", "RUT": "Russell 2000",
    "SOX": "PHLX Semiconductor", "NBI": "Nasdaq Biotechnology", "BKX": "KBW Bank", "XAL": "NYSE Arca Airline",
    "VIX": "VIX", "SXXP": "STOXX 600", "SX5E": "Euro STOXX 50", "SX8P": "STOXX 600 Technology", "DAX": "DAX",
    "MDAX": "MDAX", "TECDAX": "TecDAX", "CAC40": "CAC 40", "UKX": "FTSE 100", "MCX": "FTSE 250",
    "IBEX35": "IBEX 35", "SMI": "SMI", "NI225": "Nikkei 225", "TOPIX": "TOPIX", "HSI": "Hang Seng",
    "SHCOMP": "Shanghai Composite", "KOSPI": "KOSPI", "XJO": "S&P/ASX 200", "MEXBOL": "S&P/BMV IPC",
}
#: Central banks: the short name readers know, per language where it differs.
BANK_NAMES = {
    "FED": {"en": "Fed"}, "ECB": {"en": "ECB", "de": "EZB", "es": "BCE", "fr": "BCE", "it": "BCE", "pt": "BCE"},
    "BOE": {"en": "BoE"}, "BOJ": {"en": "BoJ"}, "SNB": {"en": "SNB", "fr": "BNS", "es": "BNS", "it": "BNS"},
    "BANXICO": {"en": "Banxico"},
}
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "HKD": "HK$", "CHF": "CHF"}
#: Metrics whose per-share amounts are shown with cents even when whole ($2.00).
_CENTS = frozenset({"eps", "guidance_eps", "dividend"})
_MOVES = frozenset({"price_move", "index_move"})
_LEVELS = frozenset({"share_price", "index_level"})
_ACTIONS = frozenset({"dividend", "buyback", "price_target", "rate_decision"})

# Per language: (decimal sign, group sign, space before %, scale words 1e6/1e9/1e12, and words).
_NUMBER = {
    "en": (".", ",", ""), "de": (",", ".", "\u00a0"), "es": (",", ".", "\u00a0"),
    "fr": (",", "\u202f", "\u00a0"), "it": (",", ".", ""), "pt": (",", ".", ""),
}
_SCALES = {
    "en": ("million", "billion", "trillion"), "de": ("Mio.", "Mrd.", "Bio."),
    "es": ("millones", "mil millones", "billones"), "fr": ("millions", "milliards", "billions"),
    "it": ("milioni", "miliardi", "mila miliardi"), "pt": ("milhões", "mil milhões", "biliões"),
}
_LABELS = {
    "en": {"price_move": "shares", "share_price": "share price", "revenue": "revenue",
           "segment_revenue": "{segment} revenue", "eps": "EPS", "net_income": "net income",
           "operating_income": "operating income", "operating_margin": "operating margin",
           "gross_margin": "gross margin", "capex": "capex", "guidance_revenue": "revenue guidance",
           "guidance_eps": "EPS guidance", "guidance_net_income": "net income guidance",
           "guidance_operating_income": "operating income guidance",
           "guidance_operating_margin": "operating margin guidance", "guidance_gross_margin": "gross margin guidance",
           "dividend": "dividend", "buyback": "buyback", "rate_decision": "rate", "price_target": "price target"},
    "de": {"price_move": "Aktie", "share_price": "Aktienkurs", "revenue": "Umsatz",
           "segment_revenue": "Umsatz {segment}", "eps": "EPS", "net_income": "Nettogewinn",
           "operating_income": "Operatives Ergebnis", "operating_margin": "Operative Marge",
           "gross_margin": "Bruttomarge", "capex": "Investitionen", "guidance_revenue": "Umsatzprognose",
           "guidance_eps": "EPS-Prognose", "guidance_net_income": "Gewinnprognose",
           "guidance_operating_income": "Prognose operatives Ergebnis",
           "guidance_operating_margin": "Margenprognose", "guidance_gross_margin": "Prognose Bruttomarge",
           "dividend": "Dividende", "buyback": "Aktienrückkauf", "rate_decision": "Leitzins",
           "price_target": "Kursziel"},
    "es": {"price_move": "Acciones", "share_price": "Cotización", "revenue": "Ingresos",
           "segment_revenue": "Ingresos {segment}", "eps": "BPA", "net_income": "Beneficio neto",
           "operating_income": "Resultado operativo", "operating_margin": "Margen operativo",
           "gross_margin": "Margen bruto", "capex": "Inversiones", "guidance_revenue": "Previsión de ingresos",
           "guidance_eps": "Previsión de BPA", "guidance_net_income": "Previsión de beneficio",
           "guidance_operating_income": "Previsión de resultado operativo",
           "guidance_operating_margin": "Previsión de margen operativo",
           "guidance_gross_margin": "Previsión de margen bruto", "dividend": "Dividendo",
           "buyback": "Recompra", "rate_decision": "tipo de interés", "price_target": "Precio objetivo"},
    "fr": {"price_move": "Action", "share_price": "Cours", "revenue": "Chiffre d'affaires",
           "segment_revenue": "Chiffre d'affaires {segment}", "eps": "BPA", "net_income": "Résultat net",
           "operating_income": "Résultat opérationnel", "operating_margin": "Marge opérationnelle",
           "gross_margin": "Marge brute", "capex": "Investissements", "guidance_revenue": "Prévision de CA",
           "guidance_eps": "Prévision de BPA", "guidance_net_income": "Prévision de résultat net",
           "guidance_operating_income": "Prévision de résultat opérationnel",
           "guidance_operating_margin": "Prévision de marge opérationnelle",
           "guidance_gross_margin": "Prévision de marge brute", "dividend": "Dividende",
           "buyback": "Rachat d'actions", "rate_decision": "taux directeur", "price_target": "Objectif de cours"},
    "it": {"price_move": "Azioni", "share_price": "Prezzo dell'azione", "revenue": "Ricavi",
           "segment_revenue": "Ricavi {segment}", "eps": "EPS", "net_income": "Utile netto",
           "operating_income": "Utile operativo", "operating_margin": "Margine operativo",
           "gross_margin": "Margine lordo", "capex": "Investimenti", "guidance_revenue": "Previsione ricavi",
           "guidance_eps": "Previsione EPS", "guidance_net_income": "Previsione utile netto",
           "guidance_operating_income": "Previsione utile operativo",
           "guidance_operating_margin": "Previsione margine operativo",
           "guidance_gross_margin": "Previsione margine lordo", "dividend": "Dividendo",
           "buyback": "Buyback", "rate_decision": "tasso di riferimento", "price_target": "Prezzo obiettivo"},
    "pt": {"price_move": "Ações", "share_price": "Cotação", "revenue": "Receita",
           "segment_revenue": "Receita {segment}", "eps": "LPA", "net_income": "Lucro líquido",
           "operating_income": "Resultado operacional", "operating_margin": "Margem operacional",
           "gross_margin": "Margem bruta", "capex": "Investimentos", "guidance_revenue": "Previsão de receita",
           "guidance_eps": "Previsão de LPA", "guidance_net_income": "Previsão de lucro líquido",
           "guidance_operating_income": "Previsão de resultado operacional",
           "guidance_operating_margin": "Previsão de margem operacional",
           "guidance_gross_margin": "Previsão de margem bruta", "dividend": "Dividendo",
           "buyback": "Recompra de ações", "rate_decision": "taxa de juro", "price_target": "Preço-alvo"},
}
# Words: expected / consensus / previously (with {ref}), the comparisons, units.
_WORDS = {
    "en": {"expected": "vs {ref} expected", "consensus": "vs {ref} consensus", "from": "from {ref}",
           "beat": "beat", "miss": "miss", "inline": "in line", "above": "above", "below": "below",
           "up": "up", "down": "down", "flat": "flat", "raised": "raised", "cut": "cut", "kept": "unchanged",
           "reaffirmed": "reaffirmed", "hike": "hike", "rate_cut": "cut", "hold": "hold", "bp": "bp",
           "per_share": "per share", "points": "points", "shares": "shares", "capital": "of capital",
           "rate": "{bank} {rate}"},
    "de": {"expected": "vs. {ref} erwartet", "consensus": "vs. {ref} Konsens", "from": "von {ref}",
           "beat": "übertroffen", "miss": "verfehlt", "inline": "wie erwartet", "above": "darüber",
           "below": "darunter", "up": "gestiegen", "down": "gesunken", "flat": "unverändert", "raised": "erhöht",
           "cut": "gesenkt", "kept": "unverändert", "reaffirmed": "bestätigt", "hike": "Anhebung",
           "rate_cut": "Senkung", "hold": "unverändert", "bp": "Bp.", "per_share": "je Aktie", "points": "Punkte",
           "shares": "Aktien", "capital": "des Kapitals", "rate": "{bank}-{rate}"},
    "es": {"expected": "frente a {ref} esperados", "consensus": "frente a {ref} de consenso",
           "from": "desde {ref}", "beat": "supera", "miss": "no alcanza", "inline": "en línea",
           "above": "por encima", "below": "por debajo", "up": "sube", "down": "baja", "flat": "estable",
           "raised": "elevado", "cut": "recortado", "kept": "sin cambios", "reaffirmed": "confirmada",
           "hike": "subida", "rate_cut": "recorte", "hold": "sin cambios", "bp": "pb", "per_share": "por acción",
           "points": "puntos", "shares": "acciones", "capital": "del capital", "rate": "{bank}: {rate}"},
    "fr": {"expected": "contre {ref} attendus", "consensus": "contre {ref} de consensus", "from": "contre {ref}",
           "beat": "supérieur aux attentes", "miss": "inférieur aux attentes", "inline": "conforme",
           "above": "au-dessus", "below": "en dessous", "up": "en hausse", "down": "en baisse", "flat": "stable",
           "raised": "relevé", "cut": "abaissé", "kept": "inchangé", "reaffirmed": "confirmée", "hike": "hausse",
           "rate_cut": "baisse", "hold": "inchangé", "bp": "pb", "per_share": "par action", "points": "points",
           "shares": "actions", "capital": "du capital", "rate": "{bank} : {rate}"},
    "it": {"expected": "contro {ref} attesi", "consensus": "contro {ref} di consenso", "from": "da {ref}",
           "beat": "sopra le attese", "miss": "sotto le attese", "inline": "in linea", "above": "sopra",
           "below": "sotto", "up": "in crescita", "down": "in calo", "flat": "stabile", "raised": "alzato",
           "cut": "tagliato", "kept": "invariato", "reaffirmed": "confermata", "hike": "rialzo",
           "rate_cut": "taglio", "hold": "invariato", "bp": "pb", "per_share": "per azione", "points": "punti",
           "shares": "azioni", "capital": "del capitale", "rate": "{bank}: {rate}"},
    "pt": {"expected": "vs. {ref} esperados", "consensus": "vs. {ref} de consenso", "from": "de {ref}",
           "beat": "acima do esperado", "miss": "abaixo do esperado", "inline": "em linha", "above": "acima",
           "below": "abaixo", "up": "em alta", "down": "em queda", "flat": "estável", "raised": "elevado",
           "cut": "reduzido", "kept": "inalterado", "reaffirmed": "confirmada", "hike": "alta", "rate_cut": "corte",
           "hold": "inalterada", "bp": "pb", "per_share": "por ação", "points": "pontos", "shares": "ações",
           "capital": "do capital", "rate": "{bank}: {rate}"},
}
_PERIODS = {  # period token -> words; quarters and years are built in _period()
    "en": {"pre-market": "pre-market", "after-hours": "after hours", "week": "this week", "month": "this month",
           "YTD": "year to date", "12M": "over 12 months", "quarterly": "Quarterly", "interim": "Interim",
           "final": "Final", "special": "Special", "annual": "Annual", "current quarter": "Current-quarter",
           "next quarter": "Next-quarter", "FY": "FY", "Q": "Q", "H": "H"},
    "de": {"pre-market": "vorbörslich", "after-hours": "nachbörslich", "week": "in der Woche",
           "month": "im Monat", "YTD": "seit Jahresbeginn", "12M": "in 12 Monaten", "quarterly": "quartalsweise",
           "interim": "Zwischendividende", "final": "Schlussdividende", "special": "Sonderdividende",
           "annual": "jährlich", "current quarter": "laufendes Quartal", "next quarter": "nächstes Quartal",
           "FY": "GJ ", "Q": "Q", "H": "H"},
    "es": {"pre-market": "antes de la apertura", "after-hours": "tras el cierre", "week": "en la semana",
           "month": "en el mes", "YTD": "en el año", "12M": "en 12 meses", "quarterly": "trimestral",
           "interim": "a cuenta", "final": "complementario", "special": "extraordinario", "annual": "anual",
           "current quarter": "trimestre en curso", "next quarter": "próximo trimestre", "FY": "ejercicio ",
           "Q": "T", "H": "S"},
    "fr": {"pre-market": "avant-Bourse", "after-hours": "après-Bourse", "week": "sur la semaine",
           "month": "sur le mois", "YTD": "depuis le 1er janvier", "12M": "sur 12 mois", "quarterly": "trimestriel",
           "interim": "acompte", "final": "solde", "special": "exceptionnel", "annual": "annuel",
           "current quarter": "trimestre en cours", "next quarter": "prochain trimestre", "FY": "exercice ",
           "Q": "T", "H": "S"},
    "it": {"pre-market": "pre-mercato", "after-hours": "dopo la chiusura", "week": "nella settimana",
           "month": "nel mese", "YTD": "da inizio anno", "12M": "in 12 mesi", "quarterly": "trimestrale",
           "interim": "acconto", "final": "saldo", "special": "straordinario", "annual": "annuale",
           "current quarter": "trimestre in corso", "next quarter": "prossimo trimestre", "FY": "esercizio ",
           "Q": "T", "H": "S"},
    "pt": {"pre-market": "pré-mercado", "after-hours": "após o fecho", "week": "na semana", "month": "no mês",
           "YTD": "no ano", "12M": "em 12 meses", "quarterly": "trimestral", "interim": "intercalar",
           "final": "final", "special": "extraordinário", "annual": "anual", "current quarter": "trimestre atual",
           "next quarter": "próximo trimestre", "FY": "exercício ", "Q": "T", "H": "S"},
}
#: The rates a central bank sets at once (a rate decision's segment), in the other languages.
RATE_NAMES = {
    "deposit rate": {"de": "Einlagensatz", "es": "tipo de depósito", "fr": "taux de dépôt",
                     "it": "tasso sui depositi", "pt": "taxa de depósito"},
    "main refinancing rate": {"de": "Hauptrefinanzierungssatz", "es": "tipo de refinanciación",
                              "fr": "taux de refinancement", "it": "tasso di rifinanziamento",
                              "pt": "taxa de refinanciamento"},
    "marginal lending rate": {"de": "Spitzenrefinanzierungssatz", "es": "tipo de la facilidad marginal",
                              "fr": "taux de prêt marginal", "it": "tasso sui prestiti marginali",
                              "pt": "taxa de cedência marginal"},
}
_PERIOD = re.compile(r"(?:(Q[1-4]|H[12]|9M)(?: (\d{4}))?|FY ?(\d{4})?)")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _clean(text: str, limit: int = 60) -> str:
    """One short line of untrusted text (a segment, an entity code)."""
    line = " ".join(_UNSAFE.sub(" ", text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def format_number(x: float, lang: str, decimals: int = 2, keep: int = 0, sign: bool = False) -> str:
    """``x`` rounded to ``decimals`` places, trailing zeros dropped down to ``keep`` places, grouped
    and with the decimal sign of ``lang``; ``sign``: ``+`` before positive numbers."""
    point, group, _ = _NUMBER.get(lang, _NUMBER["en"])
    text = f"{abs(x):,.{decimals}f}"
    if "." in text:
        whole, frac = text.split(".")
        frac = frac.rstrip("0").ljust(keep, "0")
        text = f"{whole}.{frac}" if frac else whole
    zero = text.strip("0,.") == ""
    text = text.translate({ord(","): group, ord("."): point})
    if x < 0 and not zero:
        return "-" + text
    return ("+" + text) if sign and x > 0 and not zero else text


def _scaled(x: float, size: float, lang: str) -> tuple[str, str]:
    """The number and its scale word for a size (the larger end of a range)."""
    for power, word in zip((1e12, 1e9, 1e6), reversed(_SCALES.get(lang, _SCALES["en"]))):
        if size >= power:
            return format_number(x / power, lang), word
    return "", ""


def _amount(fact: Fact, x: float | tuple[float, float], lang: str, sign: bool = False) -> str:
    """A value or a range in the fact's unit: "$1.86", "151–155,5 Mrd. $", "-4%", "5,980.87 points"."""
    ends = x if isinstance(x, tuple) else (x,)
    words = _WORDS.get(lang, _WORDS["en"])
    unit = fact.unit
    if unit == "%":
        space = _NUMBER.get(lang, _NUMBER["en"])[2]
        return "–".join(format_number(v, lang, sign=sign) for v in ends) + space + "%"
    size = max(abs(v) for v in ends)
    scale = ""
    if size >= 1e6 and unit != "points":
        numbers = [_scaled(v, size, lang)[0] for v in ends]
        scale = _scaled(size, size, lang)[1]
    elif unit in SYMBOLS and (fact.metric in _CENTS or any(not float(v).is_integer() for v in ends)):
        numbers = [format_number(v, lang, decimals=4 if size < 1 else 2, keep=2, sign=sign) for v in ends]
    else:
        numbers = [format_number(v, lang, sign=sign) for v in ends]
    if unit in SYMBOLS:
        symbol = SYMBOLS[unit]
        tail = f" {scale}" if scale else ""
        if lang != "en":
            return "–".join(numbers) + f"{tail} {symbol}"
        pre = symbol + (" " if symbol.isalpha() else "")
        if len(numbers) == 2 and not any(n[:1] in "+-" for n in numbers):
            return f"{pre}{numbers[0]}–{numbers[1]}{tail}"
        return "–".join(f"{n[0]}{pre}{n[1:]}" if n[:1] in "+-" else pre + n for n in numbers) + tail
    word = words["points"] if unit == "points" else words["shares"] if unit == "shares" else ""
    joined = "–".join(numbers) + (f" {scale}" if scale else "")
    if unit == "shares" and scale and lang in ("es", "fr", "pt", "it"):
        word = {"es": "de ", "fr": "d'", "pt": "de ", "it": "di "}[lang] + word
        return f"{joined} {word}".replace("d' ", "d'")
    return f"{joined} {word}".strip()


def _period(token: str | None, lang: str) -> str:
    if not token:
        return ""
    table = _PERIODS.get(lang, _PERIODS["en"])
    if token in table:
        return table[token]
    match = _PERIOD.fullmatch(token)
    if match is None:
        return _clean(token, 20)
    if match.group(1):
        name = match.group(1)
        if name[0] in "QH":
            name = table[name[0]] + name[1]
        return f"{name} {match.group(2)}" if match.group(2) else name
    return (table["FY"] + (match.group(3) or "")).strip()


def _subject(fact: Fact, lang: str) -> str:
    """Who and what: "Shares", "S&P 500", "ECB deposit rate", "Q1 revenue guidance"."""
    labels = _LABELS.get(lang, _LABELS["en"])
    words = _WORDS.get(lang, _WORDS["en"])
    segment = _clean(fact.segment or "")
    if fact.metric in ("index_move", "index_level") or (fact.metric == "price_target" and fact.unit == "points"):
        name = INDEX_NAMES.get(fact.entity) or _clean(fact.entity, 20) or "?"
        return name if fact.metric != "price_target" else f"{labels['price_target']} {name}"
    if fact.metric == "rate_decision":
        names = BANK_NAMES.get(fact.entity, {})
        bank = names.get(lang) or names.get("en") or _clean(fact.entity, 20) or "?"
        rate = RATE_NAMES.get(segment.lower(), {}).get(lang, segment) if segment else labels["rate_decision"]
        return _upper_first(words["rate"].format(bank=bank, rate=rate))
    label = labels[fact.metric].format(segment=segment or "?").strip()
    period = "" if fact.metric in _MOVES | _LEVELS else _period(fact.period, lang)
    if not period:
        return _upper_first(label)
    return _upper_first(f"{period} {label}" if lang == "en" else f"{label} {period}")


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def describe(fact: Fact, lang: str) -> str:
    """One short phrase for ``fact`` in ``lang`` (English for a language the site has no words for)."""
    lang = lang if lang in LANGUAGES else "en"
    words = _WORDS[lang]
    head = _subject(fact, lang)
    metric = fact.metric
    value = _amount(fact, fact.value, lang, sign=metric in _MOVES)
    if metric == "dividend":
        value += f" {words['per_share']}"
    elif metric == "buyback" and fact.unit == "%":
        value += f" {words['capital']}"
    separator = ": " if lang != "en" and fact.period and metric not in _MOVES | _LEVELS and \
        _period(fact.period, lang)[-1:].isdigit() else " "
    text = f"{head}{separator}{value}"
    if metric in _MOVES:
        period = _period(fact.period, lang) if fact.period not in (None, "session") else ""
        return f"{text} {period}".rstrip()
    notes = _notes(fact, lang)
    reference = _reference(fact, lang)
    if reference:
        text += f" {reference}"
    return f"{text} ({', '.join(notes)})" if notes else text


def _ref(fact: Fact, lang: str) -> str:
    assert fact.reference is not None
    return _amount(fact, fact.reference, lang)


def _reference(fact: Fact, lang: str) -> str:
    """"vs $1.49 expected", "vs $158.6 billion consensus" (up/down references go into the notes)."""
    if fact.reference is None or not math.isfinite(fact.reference):
        return ""
    words = _WORDS[lang]
    if fact.comparison in ("beat", "miss") or (fact.comparison == "inline" and not fact.metric.startswith(
            ("guidance", "capex"))):
        return words["expected"].format(ref=_ref(fact, lang))
    if fact.comparison in ("above", "below", "inline"):
        return words["consensus"].format(ref=_ref(fact, lang))
    return ""


def _change(fact: Fact, lang: str) -> str:
    if fact.change is None:
        return ""
    if fact.metric in PERCENT_METRICS:
        return f"{format_number(fact.change, lang, decimals=1, sign=True)} {_WORDS[lang]['bp']}"
    space = _NUMBER[lang][2]
    return format_number(fact.change, lang, decimals=2, sign=True) + space + "%"


def _notes(fact: Fact, lang: str) -> list[str]:
    """What goes in the parentheses: the comparison's word (with the previous value) and the change."""
    words = _WORDS[lang]
    comparison, metric = fact.comparison, fact.metric
    change = _change(fact, lang)
    since = f" {words['from'].format(ref=_ref(fact, lang))}" if fact.reference is not None else ""
    if comparison is None:
        return [change] if change else []
    if metric in _LEVELS:
        return [words[comparison]] if comparison in ("up", "down") else []
    if metric == "rate_decision" and comparison in ("up", "down", "flat"):
        word = words[{"up": "hike", "down": "rate_cut", "flat": "hold"}[comparison]]
        if fact.change is not None and comparison != "flat":
            return [f"{word} {format_number(abs(fact.change), lang, decimals=1)} {words['bp']}"]
        return [word + (since if comparison != "flat" else "")]
    if (metric in _ACTIONS or metric.startswith("guidance")) and comparison in ("up", "down", "flat"):
        flat = "reaffirmed" if metric.startswith("guidance") or metric == "buyback" else "kept"
        word = words[{"up": "raised", "down": "cut", "flat": flat}[comparison]]
        notes = [word + (since if comparison != "flat" else "")]
        return notes + ([change] if change else [])
    if comparison in ("up", "down", "flat"):
        if change:
            return [change]
        return [words[comparison] + since]
    return [words[comparison]] + ([change] if change else [])


def key_figures(facts: Sequence[Fact], lang: str) -> list[str]:
    """The phrases of a story's facts, in order; when they are about several companies, each
    company's phrase starts with its code ("NVDA: Shares -4% after hours")."""
    named = {"index_move", "index_level", "rate_decision"}
    companies = {f.entity for f in facts if f.metric not in named and f.unit != "points"}
    several = len(companies) > 1
    out: list[str] = []
    for fact in facts:
        phrase = describe(fact, lang)
        if several and fact.entity in companies:
            phrase = f"{_clean(fact.entity, 20) or '?'}: {phrase}"
        out.append(phrase)
    return out
