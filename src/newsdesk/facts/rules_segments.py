"""Segments of revenue: the business, region or product line a figure belongs to ("AWS revenue",
"revenue in the Intelligent Cloud segment", "Im Investmentbanking ... Erträge", "Cloud-Umsatz")."""

from __future__ import annotations

import re

from newsdesk.facts.lexicon_es import REGIONS as ES_REGIONS
from newsdesk.facts.numbers import Quantity
from newsdesk.facts.rules_sentence import Group, Sentence

_SEG_BEFORE = re.compile(r"((?:[A-Z][\w&.+'-]*|i[A-Z]\w*)(?:\s+(?:[A-Z][\w&.+'-]*|and|&))*)\s+(?:segment |division |"
                         r"unit |business |-)?$")

_SEG_STOP = frozenset(["the", "its", "their", "total", "net", "quarterly", "annual", "group", "company", "overall", "adjusted", "reported", "first", "second", "third", "fourth", "full-year", "fiscal", "gaap", "non-gaap", "and", "in", "of", "der", "die", "das", "el", "la", "los", "las", "its", "record", "consolidated", "organic", "comparable", "global", "core", "operating", "underlying", "higher", "lower", "strong", "weak", "gross", "sales", "such", "this", "that", "these", "those", "our", "your", "managed", "beim", "im",
                       "bei", "mit", "für", "nach", "laut", "por", "para", "con", "en"])

_ES_KEYWORD_HEAD = re.compile(r"^\S+(?: publicitari[oa]s| comerciales)? (?:de|del|en)(?: la| los| las| el)?\s*", re.IGNORECASE)
_ES_BRAND = re.compile(r"i[A-Z][\w-]*(?: [A-Z][\w-]*)*")
_SEG_AFTER = re.compile(r"^((?:[A-Z][\w&.+'-]*)(?:\s+(?:[A-Z][\w&.+'-]*|and|&|de|del))*)")

_DE_FRONT_SEGMENT = re.compile(r"\s*(?:In der Sparte|Im Geschäft mit|Im Bereich|In der Region|Im Segment|"
                               r"In der Division|Im)\s+((?:[A-ZÄÖÜ][\w-]*)(?:\s+(?:und|&)\s+[A-ZÄÖÜ][\w-]*)?)\b")

#: German: "Im Segment Gas Services", "die Netzsparte Grid Technologies", "Die Pharmadivision erzielte"
_DE_NAMED_SEGMENT = re.compile(
    r"[\s,;:\u2013-]*(?:(?:und|während|dagegen|hingegen|auch)\s+)?(?:[Ii]m|[Ii]n der|[Bb]ei der|[Bb]eim|[Dd]ie|[Dd]as|"
    r"[Dd]er)\s+(?P<pre>[\wäöüßÄÖÜ]*?)-?(?:[Ss]parte|[Dd]ivision|[Ss]egment|[Gg]eschäftsbereich)(?![\wäöüß-])"
    r"(?:\s+(?P<name>[A-ZÄÖÜ][\w&.+'-]*(?:\s+(?:[A-ZÄÖÜ][\w&.+'-]*|und|&)){0,3}))?(?=[\s,])")
_DE_NOT_SEGMENTS = frozenset(["Segment", "Quartal", "Vorjahr", "Vorjahreszeitraum", "Vorjahresquartal", "Gesamtjahr",
                              "Geschäftsjahr", "Halbjahr", "Jahresvergleich", "Vergleich", "Schnitt", "Mittel",
                              "Zeitraum", "Rahmen", "Vorfeld", "Handel", "Vorquartal", "Konzern", "Gegenzug",
                              "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
                              "Oktober", "November", "Dezember", "Ende", "Jahr"])

_SEG_AFTER_LOWER = re.compile(
    r" (?:from|at|in) (?:its |the )?((?:[a-z][\w-]*\s){1,4}?)(?:(?:segment|division|unit|business)\s?)?"
    r"(?:, (?:which|that) [^,;]{1,80}, )?"  # "at the cloud memory business unit, which sells HBM to ..., reached"
    r"(?:rose|fell|grew|jumped|climbed|increased|decreased|declined|was|were|came|totaled|reached|surged|slipped)\b")


#: English: "sales at the company's Azure cloud business rose"; "The energy business had sales of"
_SEG_AFTER_ANY = re.compile(
    r" (?:from|at|in) (?:the company's |the group's |its )((?:[\w&-]+\s){1,4}?)(?:segment |division |unit |business |"
    r"region |arm )(?:rose|fell|grew|jumped|climbed|increased|decreased|declined|was|were|came|totaled|reached|surged|"
    r"slipped)\b")
_SEG_SUBJECT = re.compile(
    r"(?:^|[,;]\s*|\b(?:while|and|but)\s+)(?:[Tt]he company's|[Tt]he group's|[Tt]he|[Ii]ts)\s+((?:[\w&-]+\s){1,4}?)"
    r"(?:region|business|segment|division|unit|arm)(?:, (?:which|that) [^,;]{1,60},)?\s+(?:posted|had|generated|"
    r"reported|recorded|brought in|booked|"
    r"delivered)\s+(?:(?:a |an )?(?:record |total )?)$")


#: English: a business named first and described as the company's arm: "Booker, the wholesale arm that supplies
#: convenience shops, increased its sales 2.1% to £4.6 billion"
_SEG_APPOSED = re.compile(r"\s*([A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,3}), (?:the|its) (?:[\w'’-]+ ){0,3}?(?:arm|unit|division|"
                          r"business|segment|subsidiary|chain)\b[^,;]{0,80}, (?:[a-z]\w* ){1,3}$")


def _segment(s: Sentence, g: Group) -> tuple[str | None, bool]:
    """(segment name, the keyword names another company instead) for a revenue group."""
    text = s.text
    if g.kind == "revenue" and s.ctx.lex.lang == "en":
        low = _SEG_AFTER_LOWER.match(text, g.end) or _SEG_AFTER_ANY.match(text, g.end)
        if low and not any(w in low.group(1).lower() for w in ("quarter", "year", "period", "half", "month", "fiscal",
                                                              "week", "months")) \
                and not any(low.start(1) <= x.start < low.end(1) for x in s.mentions):
            return low.group(1).strip(), False  # "revenue from cloud infrastructure rose 71%"
        subject = _SEG_SUBJECT.search(text, 0, g.start)
        if subject and not any(subject.start(1) <= x.start < subject.end(1) and x.kind != "anaphor" for x in s.mentions):
            return subject.group(1).strip(), False  # "The Greater China region posted revenue of $15.0 billion"
        apposed = _SEG_APPOSED.match(text[:g.start])
        if apposed and not any(x.start < apposed.end(1) for x in s.mentions):
            return apposed.group(1), False  # "Booker, the wholesale arm that supplies ..., increased its sales"
    if g.kind == "segment_revenue":
        start = g.end
        for x in s.mentions:
            if x.start == g.end and text.startswith(("'s ", "’s "), x.end):
                start = x.end + 3  # "revenue at Microsoft's Productivity and Business Processes segment"
            elif x.start == g.end and text[x.end - 2:x.end] in ("'s", "’s") and text.startswith(" ", x.end):
                start = x.end + 1  # the same when the name's token took the "'s"
        m = _SEG_AFTER.match(text[start:start + 60])
        if m:
            if any(start <= x.start < start + m.end() for x in s.mentions):
                return None, True
            return m.group(1).strip(), False
        if s.ctx.lex.lang == "es":  # the name inside the keyword ("ingresos de la actividad comercial")
            name = _ES_KEYWORD_HEAD.sub("", text[g.start:g.end]).strip()
            brand = None if name else _ES_BRAND.match(text, g.end)  # "las ventas de iPad"
            return (name or (brand.group() if brand else None)), False
        return None, False
    before = text[max(0, g.start - (90 if s.ctx.lex.lang == "es" else 50)):g.start]  # es: "La división de X, ..., facturó"
    if s.ctx.lex.lang == "de":
        lo, _ = s.clause(g.start)
        named = _DE_NAMED_SEGMENT.search(text, lo, g.start)  # "Bei Siemens steigerte die Sparte X den Umsatz"
        if named and named.end() <= g.start:
            name = re.sub(r"\s+(?:und|&)$", "", named.group("name") or "")
            if name and not any(x.start <= named.start("name") and x.end >= named.start("name") + len(name)
                                for x in s.mentions):  # "Mercedes-Benz Cars" is a segment, "Siemens" a company
                return name, False
            if not name and len(named.group("pre")) > 1:
                return named.group("pre")[:1].upper() + named.group("pre")[1:], False  # "Pharmadivision"
        front = _DE_FRONT_SEGMENT.match(text, lo)
        if front and front.end() <= g.start and front.group(1) not in _DE_NOT_SEGMENTS and \
                not any(front.start(1) <= x.start < front.end(1) for x in s.mentions):
            return front.group(1), False
        kw = text[g.start:g.end]
        if "-" in kw and kw.split("-", 1)[0][:1].isupper():
            return kw.split("-", 1)[0], False  # "Cloud-Umsatz"
    low = re.search(r"\b(" + s.ctx.lex.segment_lower + r")(?: segment| division| unit| business)?\s+$", before, re.IGNORECASE)
    if low:
        return low.group(1), False
    m = _SEG_BEFORE.search(before)
    if not m:
        return _segment_lower(s, before)
    words = m.group(1).split()
    while words and words[0].lower() in _SEG_STOP:
        words.pop(0)
    if not words or words[-1].lower() in _SEG_STOP or words[-1].endswith(("'s", "’s")) or \
            any("quarter" in w.lower() or w[:1].isdigit() or w in _DE_NOT_SEGMENTS for w in words):
        return None, False
    start = g.start - len(before) + m.start(1)
    if any(x.start < g.start and x.end > start for x in s.mentions):
        return None, False
    if (start == 0 or text[:start].strip() == "") and len(words) == 1 and s.ctx.lex.lang == "es":
        return None, False  # a sentence-initial capital is not a name
    return " ".join(words), False

_WORD = re.compile(r"([A-Za-z][\w&'-]*)\s*$")

_LOWER_STOP = frozenset(
    ["the", "its", "their", "his", "her", "our", "total", "net", "quarterly", "annual", "record", "adjusted", "reported", "first", "second", "third", "fourth", "fiscal", "full-year", "overall", "group", "company", "said", "says", "that", "as", "while", "and", "but", "with", "expects", "expected", "forecast", "forecasts", "sees", "reported", "posted", "raised", "cut", "lowered", "whose", "higher", "lower", "strong", "stronger", "weak", "weaker", "solid", "robust", "which", "where", "when", "its", "of", "in", "on", "for", "from", "at", "by", "to", "a", "an", "core", "organic", "underlying", "comparable", "same-store", "like-for-like", "gross", "operating", "consolidated", "combined", "global", "worldwide", "total-company", "companywide", "half-year", "nine-month", "year", "estimated", "projected", "expected", "consensus", "analysts", "analyst", "average", "boosted", "lifted", "hurt", "dragged", "drove", "rising", "falling", "slowing", "growing", "declining", "flat", "lifting", "boosting", "sales", "revenue", "and", "also", "is", "are", "was", "were", "has", "have", "had", "be", "been", "will", "would", "can", "could", "may", "might", "targeting", "aiming", "aims", "expects", "reports", "reported"])

def _segment_lower(s: Sentence, before: str) -> tuple[str | None, bool]:
    """A lower-case segment named right before the keyword ("markets revenue", "investment banking revenue")."""
    if s.ctx.lex.lang != "en":
        return None, False
    words: list[str] = []
    rest = before
    while len(words) < 4:
        m = _WORD.search(rest)
        if not m:
            break
        w = m.group(1)
        low = w.lower()
        if low in _LOWER_STOP or w.endswith("'s") or any(x in low for x in ("quarter", "half", "month", "-year")) \
                or (w[:1].isupper() and rest[:m.start()].strip() not in ("", ",")):
            if w.lower() == "and" and words:
                words.insert(0, w)
                rest = rest[:m.start()]
                continue
            break
        words.insert(0, w)
        rest = rest[:m.start()]
    while words and words[0] == "and":
        words.pop(0)
    if not words or any(w[:1].isdigit() for w in words):
        return None, False
    return " ".join(words), False


# -- segments named in front of the figure or listed with each figure ------------------------------
#: a name: capitalised words with connectors inside ("Data Center and AI", "Asia y resto del mundo")
_NAME = (r"(?:[A-ZÄÖÜÁÉÍÓÚÑ][\w&.+'’-]*|i[A-Z]\w*)(?:\s+(?:[A-ZÄÖÜÁÉÍÓÚÑ][\w&.+'’-]*|and|&|und|y|e|de|del|of|for|"
         r"resto del mundo|other))*")
#: words that start a capitalised phrase but are not segments (months, days, markets, periods)
_NOT_NAMES = frozenset(["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                        "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Q1", "Q2", "Q3",
                        "Q4", "Wall", "The", "It", "Its", "In", "This", "That", "Analysts", "Shares", "Revenue", "Sales",
                        "Total", "Overall", "Bolsa", "Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio",
                        "Agosto", "Septiembre", "Octubre", "Noviembre", "Diciembre", "Folge", "Summe", "Spitze",
                        "Vorwoche", "Bilanz", "Regel", "Zwischenzeit", "Tat", "Praxis", "Blick", "Abstand", "Vergleich",
                        "Hilfe", "Ausnahme", "Rückenwind", "Gegenwind", "Ergebnis", "Summa", "Consequently", "Meanwhile",
                        "Dagegen", "Zudem", "Außerdem", "Insgesamt", "Además", "Total", "Conjunto", "Así", "Grupo",
                        "Konzern", "Gesamtjahr", "Quartal", "Geschäftsjahr", "Kalenderjahr", "Vorjahr", "Analysten",
                        "Unternehmen", "Euro", "Dollar", "US-Dollar", "Franken", "Prozent", "Mrd", "Millionen", "Milliarden",
                        "Today", "Earlier", "Later", "Excluding", "Including", "Adjusted", "GAAP", "Sobre", "Según", "Por",
                        "Para", "Desde", "Hasta", "Frente", "Bis", "Nach", "Vor", "Seit", "Laut", "Gemessen", "So", "Wie", "Im",
                        "Mit", "Bei", "Beim", "En", "By", "For", "From", "At", "On", "Con", "Sin", "Entre"])
#: a list item before its figure: "; Mac, $8.7 billion", ", y Turquía, 900 millones", ", das Deutschlandgeschäft 6,5 Mrd."
_ITEM = re.compile(r"(?:^|[;,:]|\b(?:and|y|und|e)\b)\s*(?:(?:and|y|und|while|whereas|mientras que)\s+)?"
                   r"(?:(?:the|la|el|los|las|die|der|das)\s+(?:de\s+|del\s+)?)?(?P<name>" + _NAME + r")"
                   r"(?:\s*[,:]|\s+(?:auf|bei|mit|con)|\s+(?:aportó|generó|sumó|registró|facturó|ingresó|obtuvo|"
                   r"logró|contribuyó con)(?:\s+(?:unos|unas))?)?\s*$")
#: a region or business before a listed figure: "mientras que en Alemania se situaron en", ", in der Privatkundenbank bei"
_ITEM_IN = re.compile(r"(?:[;,]|\b(?:and|y|und|while|mientras que)\b)\s*(?:(?:and|y|und|while|mientras que)\s+)?"
                      r"(?:in|en|im|in der|in den|bei der|beim)\s+(?:the\s+)?(?P<name>" + _NAME + r")\b"
                      r"(?:\s+(?:[a-zäöüßáéíóúñ]+|[\d.,]+\s?(?:%|Prozent|por ciento))){0,5}\s*$")
#: the figure's subject heads the clause: "México aportó un margen bruto de", "The Client Computing Group posted"
_FIRST_SUBJECT = re.compile(r"\s*(?:(?:Por|By|Nach) \w+,\s*)?(?:The |El |La |Los |Las |Die |Der |Das )?(?P<name>" + _NAME + r")\s+(?:\S+\s+){1,4}$")
#: a fronted region or business: "In asset and wealth management, revenue was", "En Brasil, los ingresos",
#: "In der Unternehmensbank lagen die Erträge", "Mit Softwarelizenzen erzielte der Konzern Erlöse von"
_FRONT = {
    "en": re.compile(r"\s*In (?:the )?(?P<name>" + _NAME + r"|(?:[a-z-]+ (?:and )?){0,3}(?:management|banking|markets|"
                     r"trading|services|cloud|advertising|gaming|software|hardware|insurance|reinsurance|retail|"
                     r"wholesale|payments|devices|wearables)),\s*(?:\S+\s+){0,3}$"),
    "es": re.compile(r"\s*(?:En|Por su parte, en) (?:el |la )?(?P<name>" + _NAME + r"),\s*(?:\S+\s+){0,3}$"),
    "de": re.compile(r"\s*(?:In der|Im|Mit|In|Auf (?:die |das |den )?(?:(?:Region|Sparte|Segment|Bereich|Division) )?)"
                     r" ?(?!\S*(?:konzern|hersteller|unternehmen|bauer|riese|versorger|versicherer|"
                     r"händler|anbieter|zulieferer|gruppe|institut|Großbank|Bank)\b)(?P<name>[A-ZÄÖÜ][\wäöüß&-]*(?:\s+(?:[A-ZÄÖÜ][\wäöüß&-]*|und|&)"
                     r"){0,3})\s+(?:\S+\s+){1,4}$"),
}
#: German subjects that are businesses: "Die Investmentbank steigerte ihre Erträge", "Das US-Geschäft steuerte Umsätze"
_DE_BUSINESS = re.compile(r"(?:^\s*|,\s*)(?:Die|Das|Der|die|das|der)\s+(?P<name>[\wäöüßÄÖÜ-]{2,}(?:bank|[Gg]eschäft))"
                          r"\s+(?:\S+\s+){1,4}$")
#: an English business as the subject: "Sports, which houses ESPN, had revenue of", "The Client Computing Group posted"
_EN_BUSINESS = re.compile(
    r"(?:^|[,;]\s*|\b(?:while|and|but)\s+)(?P<the>[Tt]he\s+)?(?P<name>" + _NAME + r")(?P<rel>, which (?:includes|houses|"
    r"comprises|contains|covers|encompasses|oversees) [^,;]{1,60},)?\s+(?:posted|had|generated|reported|"
    r"recorded|brought in|booked|delivered|contributed)\s+(?:(?:a |an )?(?:record |total )?)$")
#: English: a business's revenue by the possessive: "The cloud unit's revenue rose", "its Azure business's sales"
_EN_POSSESSIVE = re.compile(r"\b(?:[Tt]he|[Ii]ts|the company's|the group's) (?P<name>(?:[\w&-]+ ){0,3}?[\w&-]+ (?:unit|"
                            r"division|segment|business|arm|region))['’]s\s+$")
#: a lower-case list item after a semicolon: "Gaming revenue was $4.3 billion; professional visualization, $760 million"
_ITEM_LOWER = re.compile(r";\s*(?:and\s+|y\s+)?(?P<name>[a-záéíóúñ][\w-]*(?: [a-záéíóúñ][\w-]*){0,3}),\s*$")
_BUSINESS_WORD = re.compile(r"\b(?:Group|Segment|Division|Unit|Business|Solutions|Services|Systems)$")
#: Spanish: a country or region as the clause's subject: "Brasil, su principal mercado, generó unos ingresos de",
#: "México, por su parte, registró unos", "mientras que en Estados Unidos la cifra de negocio"
_ES_REGION_SUBJECT = re.compile(
    r"(?:^\s*|[,;:]\s*|\b(?:y|e|mientras que|pero|aunque)\s+)(?:(?:Por|En cuanto a) (?:mercados|regiones|países|"
    r"geografías|áreas geográficas|zonas),\s*)?(?:[Ee]n\s+)?(?P<name>" + ES_REGIONS + r")(?:,\s*[^,;]{1,60},)?\s+"
    r"(?:(?:se\s+)?[a-záéíóúñ]+ó\s+)?(?:(?:unos|unas|los|las|la|el|sus|su)\s+)?$")


def _name_ok(s: Sentence, name: str, start: int) -> bool:
    """A captured name that may be a segment: not a company or index the text names, no digits, no stop word."""
    words = name.split()
    if not words or words[0] in _NOT_NAMES or words[0] in _DE_NOT_SEGMENTS or words[-1] in ("and", "&", "und", "y",
                                                                                           "de", "del", "of", "for"):
        return False
    if any(c.isdigit() for c in name) or words[0].lower() in _SEG_STOP:
        return False
    end = start + len(name)
    return not any(m.start < end and m.end > start and m.kind != "anaphor" for m in s.mentions)


def front_segment(s: Sentence, g: Group) -> str | None:
    """A segment named in front of a revenue keyword, in its own clause head or as the clause's subject."""
    lang = s.ctx.lex.lang
    text = s.text
    lo, _ = s.clause(g.start)
    head = text[0:g.start]
    m = _FRONT[lang].match(head)
    if m and _name_ok(s, m.group("name"), m.start("name")):
        return m.group("name")
    if lang == "de":
        b = _DE_BUSINESS.search(text, lo, g.start)
        if b and b.end() == g.start and _name_ok(s, b.group("name"), b.start("name")):
            return b.group("name")
    if lang == "es":
        b = _ES_REGION_SUBJECT.search(text, lo, g.start)
        if b and _name_ok(s, b.group("name"), b.start("name")):
            return b.group("name")
    if lang == "en" and (p := _EN_POSSESSIVE.search(text, max(0, g.start - 80), g.start)):
        return p.group("name")  # "The cloud unit's revenue rose 34% to $15.2 billion"
    if lang == "en":  # (from the sentence start: "Sports, which houses ESPN, had": the relative clause is a cut)
        b = _EN_BUSINESS.search(text, max(0, g.start - 160), g.start)
        if b and b.end() == g.start and _name_ok(s, b.group("name"), b.start("name")) and (
                b.group("rel") or _BUSINESS_WORD.search(b.group("name")) or
                (b.group("the") and len(b.group("name").split()) >= 2)):
            return b.group("name")
    return None


def record_segments(s: Sentence, g: Group, qs: list[Quantity]) -> list[str | None]:
    """The segment each figure of a revenue group is listed with ("By product, sales were: iPhone,
    $49.0 billion; Mac, $8.7 billion", "México aportó ... 3.800 millones; España, 2.300 millones")."""
    text = s.text
    out: list[str | None] = []
    for i, q in enumerate(qs):
        prev = qs[i - 1].end if i else max([g.end if g.end <= q.start else 0, *(x.end for x in s.qs if x.end <= q.start)])
        window = text[max(prev, q.start - 80):q.start]
        base = q.start - len(window)
        m = _ITEM.search(window)
        if not (m and (i or ":" in window[:m.start("name")] or ":" in window[m.end("name"):])):
            m = (_ITEM_IN.search(window) or _ITEM_LOWER.search(window)) if i else None  # "..., mientras que en Alemania"
        out.append(m.group("name") if m and _name_ok(s, m.group("name"), base + m.start("name")) else None)
    if len(qs) > 1 and out[0] is None and any(out[1:]):
        lo, _ = s.clause(g.start)
        m = _FIRST_SUBJECT.match(text, lo, g.start)
        if m and _name_ok(s, m.group("name"), m.start("name")):
            out[0] = m.group("name")  # "México aportó un margen bruto de 3.800 millones; España, 2.300 millones"
    return out


def segment_of(s: Sentence, g: Group) -> tuple[str | None, bool]:
    """(segment name, the keyword names another company instead) of a revenue group, with the
    segments named in front of the keyword."""
    if s.text.endswith(" fees", g.start, g.end):
        return s.text[g.start:g.end - 5], False  # "Investment-banking fees climbed 16% to $2.6 billion"
    name, elsewhere = _segment(s, g)
    if name is None and not elsewhere and g.kind.removeprefix("weak_") == "revenue":
        name = front_segment(s, g)
    return name, elsewhere


#: a sentence that goes on listing regions: "Argentina sumó 1.100 millones de dólares."
_ES_REGION_LEAD = re.compile(r"(?:(?:Y|Por su parte|Por último|Además),? )?(?:[Ee]n )?" + ES_REGIONS + r"(?:,\s*[^,;]{1,40},)?"
                             r"\s+(?:sumó|aportó|generó|registró|facturó|ingresó|alcanzó|obtuvo|logró|contribuyó con|"
                             r"se situó en|creció un [\d,]+\s?%,? hasta)\b")


def continues_segments(s: Sentence, free: list[Quantity]) -> bool:
    """A sentence led by a region and a figure, right after a sentence whose last figure was a
    segment's revenue in the same currency: the next segment of the list."""
    facts = s.ctx.facts
    return bool(facts and facts[-1].metric == "segment_revenue" and _ES_REGION_LEAD.match(s.text) and
                all(q.unit == facts[-1].unit or q.unit == "%" for q in free) and free[0].unit == facts[-1].unit)


#: a profit named by its region ("el beneficio de Brasil fue de 650 millones", "En México, el beneficio neto
#: creció"): a segment's profit, which the vocabulary leaves out
_ES_REGION_PROFIT = re.compile(r"\s*(?:de|en|del área de|del negocio en)\s+" + ES_REGIONS)
_ES_REGION_FRONT = re.compile(r"\s*(?:Por (?:países|regiones|mercados),\s*)?En\s+" + ES_REGIONS + r",\s*(?:\S+\s+){0,3}$")


def segment_profit(s: Sentence, g: Group) -> bool:
    """Whether a profit keyword is a region's profit (Spanish; German segments: rules_groups)."""
    if s.ctx.lex.lang == "en":
        unit = _EN_UNIT_SUBJECT.search(s.text[:g.start])
        if unit and unit.group(1).split()[0] not in _EN_NOT_UNITS and \
                not any(unit.start(1) <= x.start < unit.end(1) for x in s.mentions) and \
                (s.ctx.prev_company is not None or s.ctx.facts or any(x.kind == "company" for x in s.mentions)):
            return True  # "Reality Labs posted an operating loss": a unit no table names, the company known by name
        return bool(_EN_UNIT_AFTER.match(s.text, g.end) or _EN_UNIT_BEFORE.search(s.text[:g.start]))
    if s.ctx.lex.lang != "es":
        return False
    return bool(_ES_REGION_PROFIT.match(s.text, g.end) or _ES_REGION_FRONT.match(s.text[:g.start]))


#: English: a business's own profit ("Reality Labs posted an operating loss", "operating income at the cloud unit",
#: "the division's operating profit")
_EN_UNIT_SUBJECT = re.compile(r"(?:^|[,;]\s+|\b(?:while|and|but)\s+)([A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,3})"
                              r"(?:,\s+(?:the|its|an?)\s+[^,;]{1,80},)?\s+"
                              r"(?:posted|had|reported|recorded|generated|booked|delivered|swung to)\s+"
                              r"(?:an?\s+)?(?:adjusted\s+)?$")
_EN_NOT_UNITS = frozenset(["The", "It", "Its", "He", "She", "They", "We", "Shares", "Group", "Company", "Net", "Adjusted",
                           "Total", "This", "That", "Excluding", "Including", "Overall", "Analysts"])
_EN_UNIT_AFTER = re.compile(r"\s*(?:at|in|of|from)\s+(?:the|its)\s+(?:[\w&'’-]+\s+){0,3}?(?:segment|unit|division|"
                            r"business|arm)\b")
_EN_UNIT_BEFORE = re.compile(r"(?:segment|unit|division|business|arm)(?:'s|’s)\s+(?:adjusted\s+)?$")
