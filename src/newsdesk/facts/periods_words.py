"""The words of periods in English, German and Spanish, as (kind, head words, pattern) rules.

Hand-written for the same reason as :mod:`newsdesk.facts.numbers_words` (no library knows "3T25",
"Geschäftsjahr 2025/26" or "en lo que va de año", and the extractor must stay fast). Each pattern
starts at one of its head words, so that a cheap scan for head words finds every place where a
period can start; prepositions before a head ("on Tuesday", "al cierre") are lookbehinds.
"""

from __future__ import annotations

#: A year, and a year with a fiscal split ("2025/26").
Y = r"(?:19|20)\d\d(?:/(?:19|20)?\d\d)?(?![\d.,]?\d)"
#: Codes shared by the three languages: Q3, 3Q24, H1 2025, 1H25, 9M, FY24, FY 2025/26.
_CODES: list[tuple[str, tuple[str, ...], str]] = [
    ("q", (), r"Q[1-4](?:\s?(?:FY|fiscal)\s?(?:(?:19|20)?\d\d)|[\s/-]?" + Y + r"|['’]\d\d"
              r"|\s+of\s+(?:fiscal\s+)?" + Y + r")?(?![\w%])"),
    ("q", (), r"[1-4]Q(?:[\s/-]?" + Y + r"|['’]?\d\d)?(?![\w%])"),
    ("h", (), r"H[12](?:\s?(?:FY|fiscal)\s?(?:(?:19|20)?\d\d)|[\s/-]?" + Y + r"|['’]\d\d)?(?![\w%])"),
    ("h", (), r"[12]H(?:[\s/-]?" + Y + r"|['’]?\d\d)?(?![\w%])"),
    ("9m", (), r"9M(?:\s?(?:FY|fiscal)\s?(?:(?:19|20)?\d\d)|[\s/-]?" + Y + r"|['’]?\d\d)?(?![\w%])"),
    ("fy", (), r"FY\s?(?:" + Y + r"|\d\d(?:/\d\d)?(?![\d%]))?(?![\w%])"),
]
_CODE_HEAD = r"[QHT][1-4]|[1-4][QHTS]|S[12]|9M|FY"

_EN_ORD = r"(?:first|second|third|fourth|final|1st|2nd|3rd|4th)"
_EN_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
             r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?")
_EN_YEAR_AFTER = r"(?:,?\s+(?:of\s+)?(?:the\s+)?(?:fiscal\s+(?:year\s+)?|FY\s?)?" + Y + r")?"
_EN_DAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday)"

RULES: dict[str, list[tuple[str, tuple[str, ...], str]]] = {
    "en": [
        *_CODES,
        ("q", ("fiscal",), r"fiscal[\s-]+(?:" + Y + r"[\s-]+)?" + _EN_ORD + r"[\s-]+quarter" + _EN_YEAR_AFTER),
        ("q", ("first", "second", "third", "fourth", "final", "1st", "2nd", "3rd", "4th"),
         _EN_ORD + r"[\s-]+(?:fiscal[\s-]+)?quarter(?!\s+(?:earlier|ago))" + _EN_YEAR_AFTER),
        ("q", (), Y + r"[\s-]+(?:fiscal[\s-]+)?" + _EN_ORD + r"[\s-]+quarter"),
        ("current quarter", ("current", "this", "ongoing", "present"),
         r"(?:current|this|ongoing|present)[\s-]+(?:fiscal[\s-]+)?quarter"),
        ("next quarter", ("next", "coming", "following", "upcoming"),
         r"(?:next|coming|following|upcoming)[\s-]+(?:fiscal[\s-]+)?quarter"),
        ("fy", ("fiscal", "year"), r"(?:fiscal\s+)?year\s+(?:ending|ended|that\s+ends|to|through)\s+(?:in\s+)?"
         + _EN_MONTH + r"(?:\s+\d{1,2})?,?\s+" + Y),
        ("h", ("first", "second", "1st", "2nd", "back"),
         r"(?:first|second|1st|2nd|back)[\s-]+half(?![\s-]+(?:a\s+)?(?:point|percentage))"
         r"(?:,?\s+of\s+(?:the\s+)?(?:fiscal\s+(?:year\s+)?)?" + Y + r"|\s+" + Y + r")?"),
        ("h", ("first",), r"first\s+six\s+months" + _EN_YEAR_AFTER),
        ("h", ("six", "26"), r"(?:six\s+months|26\s+weeks)\s+(?:to|ended|ending|through)\s+(?:the\s+end\s+of\s+)?"
         + _EN_MONTH + r"(?!\s*\d)"),
        ("9m", ("first", "nine"), r"(?:first\s+)?nine[\s-]+months?" + _EN_YEAR_AFTER),
        ("fy", ("full", "whole"), r"(?:full|whole)[\s-]+(?:fiscal[\s-]+)?year" + _EN_YEAR_AFTER),
        ("fy", ("fiscal",), r"fiscal[\s-]+(?:year[\s-]+)?" + Y),
        ("fy", (), Y + r"\s+fiscal\s+year"),
        ("fy", ("fiscal",), r"fiscal[\s-]+year(?![\s-]+(?:end|ended|ending|earlier|ago))"),
        ("fy", (), r"(?<=\bfor\s)" + Y),
        ("fy", (), Y + r"(?=\s+(?:revenue|sales|earnings|EPS|profit|results|outlook|guidance|forecast|capex|capital\s+"
         r"(?:spending|expenditures?)|dividend|targets?)\b)"),
        ("pre-market", ("pre", "premarket", "before", "ahead"),
         (r"pre[\s-]?market(?:\s+trading)?|(?:before|ahead\s+of)\s+the\s+(?:opening\s+)?bell"
         r"|before\s+the\s+(?:market\s+)?open(?:ing)?\b")),
        ("after-hours", ("after", "extended", "late", "post", "postmarket"),
         (r"after[\s-]+hours(?:\s+trading)?|after\s+the\s+(?:closing\s+)?bell|after\s+the\s+close"
         r"|extended(?:[\s-]hours)?\s+(?:trading|session)|late\s+trading|post[\s-]?market(?:\s+trading)?"
         r"|after[\s-]?market(?:\s+trading)?")),
        ("session", ("monday", "tuesday", "wednesday", "thursday", "friday"),
         _EN_DAYS + r"['’]s\s+(?:session|trading|close)|(?<!\bnext\s)(?<!\buntil\s)" + _EN_DAYS + r"\b(?!['’])"),
        ("session", ("midday", "mid", "lunchtime", "noon", "close"),
         (r"(?:(?<=\bby\s)|(?<=\bat\s)|(?<=\baround\s))(?:midday|mid-?(?:morning|afternoon|session)|lunchtime"
         r"|noon)|(?:(?<=\bat\sthe\s)|(?<=\bby\sthe\s))close")),
        ("session", ("closed", "ended", "finished", "settled", "session", "early", "morning", "afternoon",
                     "regular", "intraday"),
         (r"(?:closed|ended|finished|settled)(?=\s+(?:at|up|down|higher|lower|flat|unchanged|the\s+(?:day|"
         r"session)|\d|[+-]))|session|(?:early|morning|afternoon|midday|regular)\s+trading")),
        ("week", ("week", "weekly", "week-to-date"),
         (r"(?:(?<=\bthis\s)|(?<=\bthe\s)|(?<=\bpast\s)|(?<=\blast\s))week(?![\s-]+(?:earlier|ago|before))"
         r"|week[\s-]to[\s-]date|weekly")),
        ("month", ("month", "monthly"),
         (r"(?:(?<=\bthis\s)|(?<=\bthe\s)|(?<=\bpast\s)|(?<=\blast\s))month(?![\s-]+(?:earlier|ago|before))"
         r"|month[\s-]to[\s-]date|monthly")),
        ("ytd", ("year", "ytd", "since"),
         (r"year[\s-]to[\s-]date|YTD|(?<=\bthis\s)year|since\s+(?:January|the\s+(?:start|beginning)\s+of\s+"
         r"(?:the\s+)?year)")),
        ("ytd", (), r"(?<=\bso\sfar\sin\s)(?:19|20)\d\d"),
        ("12m", ("months", "year", "ttm", "ltm"),
         (r"TTM|LTM|(?:(?<=\bpast\s12\s)|(?<=\blast\s12\s)|(?<=\bpast\stwelve\s)|(?<=\blast\stwelve\s)"
         r"|(?<=\btrailing\s12\s)|(?<=\btrailing\stwelve\s)|(?<=\bprevious\s12\s))months|(?<=\bpast\s)year"
         r"|(?:(?<=\bover\sthe\slast\s)|(?<=\bin\sthe\slast\s))year")),
        ("quarterly", ("quarterly",), r"quarterly"),
        ("interim", ("interim",), r"interim"),
        ("final", ("final",), r"final(?=\s+(?:cash\s+)?(?:dividend|payout|distribution))"),
        ("special", ("special", "one-off", "one-time"),
         r"(?:special|one-off|one-time)(?=\s+(?:cash\s+)?(?:dividend|payout|distribution))"),
        ("annual", ("annual", "annually", "annualized", "annualised", "per"),
         r"annual(?:ly|i[sz]ed)?|per\s+annum"),
    ],
    "de": [
        *_CODES,
        ("q", ("ersten", "erste", "erstes", "zweiten", "zweite", "zweites", "dritten", "dritte", "drittes",
               "vierten", "vierte", "viertes", "1.", "2.", "3.", "4."),
         r"(?:(?:erst|zweit|dritt|viert)e[nsm]?|[1-4]\.)\s*(?:Geschäfts)?(?:quartal|vierteljahr)(?:e?s)?"
         r"(?:\s+des\s+(?:neuen\s+|laufenden\s+|kommenden\s+)?(?:Geschäftsjahres|Jahres)(?:\s+" + Y + r")?|\s+" + Y
         + r")?"),
        ("q4", ("schlussquartal", "schlussquartals"), r"Schlussquartal(?:s)?(?:\s+" + Y + r")?"),
        ("q1", ("auftaktquartal", "auftaktquartals"), r"Auftaktquartal(?:s)?(?:\s+" + Y + r")?"),
        # "im Quartal bis Ende Juni", "von Juli bis September": a calendar quarter named by its months
        *((kind, ("quartal", "quartals", first.lower()), r"(?:Quartals?\s+bis\s+(?:Ende\s+)?" + last + r"|" + first
           + r"\s+bis\s+(?:Ende\s+)?" + last + r")(?:\s+" + Y + r")?")
          for kind, first, last in (("q1", "Januar", "März"), ("q2", "April", "Juni"), ("q3", "Juli", "September"),
                                    ("q4", "Oktober", "Dezember"))),
        ("9m", ("januar",), r"Januar\s+bis\s+(?:Ende\s+)?September(?:\s+" + Y + r")?"),
        ("current quarter", ("laufenden", "laufende", "aktuellen", "diesem", "dieses", "gegenwärtigen"),
         r"(?:laufenden?|aktuellen|diese[ms]|gegenwärtigen)\s+(?:Geschäfts)?quartals?"),
        ("next quarter", ("kommenden", "kommende", "nächsten", "nächste", "folgenden"),
         r"(?:kommenden?|nächsten?|folgenden)\s+(?:Geschäfts)?quartals?"),
        ("h", ("ersten", "erste", "erstes", "zweiten", "zweite", "zweites", "1.", "2."),
         r"(?:(?:erst|zweit)e[nsm]?|[12]\.)\s*(?:Geschäfts)?(?:Halbjahr(?:es|s)?|Jahreshälfte)(?:\s+" + Y + r")?"),
        ("h", ("ersten",), r"ersten\s+sechs\s+Monaten?(?:\s+(?:des\s+Jahres\s+)?" + Y + r")?"),
        ("9m", ("ersten", "neun"), r"(?:ersten\s+)?neun\s+Monaten?(?:\s+(?:des\s+(?:Jahres|Geschäftsjahres)\s+)?"
         + Y + r")?"),
        ("fy", ("geschäftsjahr", "geschäftsjahres", "geschäftsjahrs"),
         r"Geschäftsjahr(?:es|s)?,?\s+(?:das\s+(?:im|Ende)\s+)?(?:bis\s+(?:Ende\s+)?)?(?:Januar|Februar|März|April"
         r"|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\s+" + Y),
        ("fy", (), Y + r"\s+endende[nms]?\s+Geschäftsjahr(?:es|s)?"),
        ("fy", ("gesamtjahr", "gesamtjahres", "geschäftsjahr", "geschäftsjahres", "geschäftsjahrs",
                "gesamtjahresprognose", "jahresprognose", "laufenden", "laufende"),
         r"(?:Gesamtjahr(?:es)?|Geschäftsjahr(?:es|s)?)(?:\s+" + Y + r")?|(?:Gesamt)?jahresprognose"
         r"|laufenden?\s+Geschäftsjahr(?:es)?"),
        ("fy", (), r"(?:(?<=\bfür\s)|(?<=\bJahr\s))" + Y),
        ("pre-market", ("vorbörslich", "vorbörslichen", "vorbörsliche", "vor", "premarket", "pre"),
         (r"vorbörslich\w*|vor\s+(?:Handelsbeginn|Börsenbeginn|Börseneröffnung|(?:dem\s+)?Handelsstart)"
         r"|pre[\s-]?market")),
        ("after-hours", ("nachbörslich", "nachbörslichen", "nachbörsliche", "nach", "außerbörslich",
                         "außerbörslichen", "after"),
         (r"nachbörslich\w*|außerbörslich\w*|nach\s+(?:US-)?(?:Börsenschluss|Handelsschluss|Börsenende"
         r"|Handelsende)|after[\s-]hours")),
        ("session", ("montag", "dienstag", "mittwoch", "donnerstag", "freitag"),
         r"(?<=\bam\s)(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag)"),
        ("session", ("handelsschluss", "börsenschluss", "schluss", "mittag", "nachmittag", "vormittag",
                     "handelsverlauf", "tagesverlauf", "schloss", "schlossen", "zuletzt", "handel", "xetra-handel"),
         (r"(?:(?<=\bzum\s)|(?<=\bbei\s)|(?<=\bzu\s))(?:Handels|Börsen)?schluss|(?:(?<=\bam\s)|(?<=\bgegen\s)"
         r"|(?<=\bzum\s)|(?<=\bbis\s))(?:Mittag|Nachmittag|Vormittag)|(?:Handels|Tages)verlauf|schlossen?\b"
         r"|zuletzt|(?<=\bdem\s)Handel\b|Xetra-Handel")),
        ("week", ("wochensicht", "woche", "wochenverlauf", "wochenbeginn", "wöchentlich", "wochenplus",
                  "wochenminus", "wochenbilanz", "wochengewinn", "wochenverlust", "wochenvergleich"),
         (r"Wochensicht|Wochenvergleich|(?:(?<=\bdieser\s)|(?<=\bdiese\s)|(?<=\bvergangenen\s)|(?<=\babgelaufenen\s)"
         r"|(?<=\blaufenden\s)|(?<=\bder\s))Woche\b|Wochenverlauf|(?<=\bseit\s)Wochenbeginn|wöchentlich\w*"
         r"|Wochen(?:plus|minus|bilanz|gewinn|verlust)\w*")),
        ("month", ("monatssicht", "monat", "monatsverlauf", "monatsbeginn", "monatsplus", "monatsminus"),
         (r"Monatssicht|(?:(?<=\bdiesem\s)|(?<=\blaufenden\s)|(?<=\bvergangenen\s))Monat\b|Monatsverlauf"
         r"|(?<=\bseit\s)Monatsbeginn|Monats(?:plus|minus)\w*")),
        ("ytd", ("jahresbeginn", "jahresanfang", "jahresstart", "anfang", "beginn", "januar", "jänner", "jahresverlauf",
                 "jahr", "ytd"),
         (r"(?<=\bseit\s)(?:Jahresbeginn|Jahresanfang|Jahresstart|(?:Anfang\s+)?(?:Januar|Jänner)|(?:Anfang|Beginn)\s+des\s+Jahres)"
         r"|(?<=\bbisherigen\s)Jahresverlauf|(?:(?<=\bdiesem\s)|(?<=\bdieses\s)|(?<=\blaufenden\s))Jahr\b|YTD")),
        ("12m", ("monaten", "monate", "jahresfrist", "jahressicht", "eines"),
         (r"(?:(?<=\bvergangenen\s12\s)|(?<=\bletzten\s12\s)|(?<=\bvergangenen\szwölf\s)"
         r"|(?<=\bletzten\szwölf\s)|(?<=\bzurückliegenden\szwölf\s)|(?<=\b[Bb]innen\szwölf\s)|(?<=\b[Bb]innen\s12\s)"
         r"|(?<=\b[Ii]nnerhalb\svon\szwölf\s)|(?<=\bSicht\svon\szwölf\s)|(?<=\bSicht\svon\s12\s)"
         r"|(?<=\b[Ii]nnerhalb\svon\s12\s))Monaten?|(?<=\bbinnen\s)Jahresfrist"
         r"|Jahressicht|(?<=\binnerhalb\s)eines\s+Jahres")),
        ("quarterly", ("quartalsdividende", "quartalsausschüttung", "quartals-", "vierteljährlich",
                       "vierteljährliche", "vierteljährlichen", "quarterly"),
         r"Quartals(?:dividende|ausschüttung)|Quartals-(?=\s)|vierteljährlich\w*|quarterly"),
        ("interim", ("zwischendividende", "interimsdividende", "abschlagsdividende", "zwischen-",
                     "zwischenausschüttung", "interim"),
         r"(?:Zwischen|Interims|Abschlags)(?:dividende|ausschüttung)|Zwischen-(?=\s)|interim"),
        ("final", ("schlussdividende", "schlussausschüttung", "schluss-"),
         r"Schluss(?:dividende|ausschüttung)|Schluss-(?=\s)"),
        ("special", ("sonderdividende", "sonderausschüttung", "sonder-"),
         r"Sonder(?:dividende|ausschüttung)|Sonder-(?=\s)"),
        ("annual", ("jährlich", "jährliche", "jährlichen", "jahresdividende", "pro", "per"),
         r"jährlich\w*|Jahresdividende|pro\s+Jahr|per\s+annum"),
    ],
    "es": [
        *_CODES,
        ("q", ("primer", "segundo", "tercer", "tercero", "cuarto", "último", "ultimo"),
         r"(?:primer|segundo|tercer|tercero|cuarto|[úu]ltimo)\s+trimestre(?:\s+fiscal)?"
         r"(?:\s+(?:del?\s+)?(?:(?:año|ejercicio)\s+(?:fiscal\s+)?(?:de\s+)?)?" + Y + r")?"),
        ("q", (), r"[1-4]T(?:R)?(?:[\s/-]?" + Y + r"|\d\d)?(?![\w%])"),
        ("q", (), r"T[1-4](?:[\s/-]?" + Y + r"|\d\d)?(?![\w%])"),
        ("current quarter", ("trimestre", "actual", "presente", "este"),
         r"trimestre\s+(?:en\s+curso|actual)|(?:actual|presente|este)\s+trimestre"),
        ("next quarter", ("próximo", "proximo", "siguiente"), r"(?:pr[óo]ximo|siguiente)\s+trimestre"),
        ("h", ("primer", "segundo"),
         r"(?:primer|segundo)\s+semestre(?:\s+(?:del?\s+)?(?:(?:año|ejercicio)\s+(?:fiscal\s+)?(?:de\s+)?)?"
         + Y + r")?"),
        ("h", ("primera", "segunda"), r"(?:primera|segunda)\s+mitad\s+del\s+(?:año|ejercicio)(?:\s+" + Y + r")?"),
        ("h", ("primeros",), r"primeros\s+seis\s+meses(?:\s+del?\s+(?:año\s+|ejercicio\s+)?" + Y + r")?"),
        ("h", (), r"[12]S(?:[\s/-]?" + Y + r"|\d\d)?(?![\w%])"),
        ("9m", ("primeros", "nueve", "septiembre", "enero"),
         r"(?:(?:primeros\s+)?nueve\s+(?:primeros\s+)?meses|(?<=\bhasta\s)septiembre|(?<=\bentre\s)enero\s+y\s+"
         r"septiembre)(?:\s+del?\s+(?:año\s+|ejercicio\s+(?:fiscal\s+)?)?" + Y + r")?"),
        # "entre julio y septiembre": a calendar quarter named by its months
        *((kind, (first,), r"(?<=\bentre\s)" + first + r"\s+y\s+" + last + r"(?:\s+de(?:l\s+año)?\s+" + Y + r")?")
          for kind, first, last in (("q1", "enero", "marzo"), ("q2", "abril", "junio"), ("q3", "julio", "septiembre"),
                                    ("q4", "octubre", "diciembre"))),
        ("fy", ("ejercicio", "año"),
         r"(?:ejercicio|año)(?:\s+fiscal)?\s+que\s+(?:termina|concluye|finaliza|cierra|acaba|terminó|concluyó"
         r"|cerró)\s+(?:en\s+)?(?:el\s+)?(?:\d{1,2}\s+de\s+)?(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto"
         r"|septiembre|octubre|noviembre|diciembre)\s+(?:de\s+)?" + Y),
        ("fy", ("ejercicio", "año"),
         r"(?:ejercicio|año)\s+fiscal(?:\s+(?:de\s+)?" + Y + r")?|ejercicio(?:\s+(?:de\s+)?" + Y + r")?"),
        ("fy", ("conjunto", "año", "todo"),
         r"(?:conjunto\s+del\s+(?:año|ejercicio)|año\s+completo|todo\s+el\s+(?:año|ejercicio))(?:\s+" + Y + r")?"
         r"|conjunto\s+de(?:l)?\s+(?:(?:año|ejercicio)\s+(?:fiscal\s+)?)?" + Y),
        ("fy", (), r"(?<=\bpara\s)" + Y),
        ("pre-market", ("preapertura", "pre-apertura", "antes", "previa", "premercado", "pre"),
         r"pre-?apertura|antes\s+de\s+la\s+apertura|previa\s+a\s+la\s+apertura|premercado|pre[\s-]?market"),
        ("after-hours", ("fuera", "cierre", "negociación", "after"),
         (r"fuera\s+de(?:l)?\s+hora(?:rio|s)?(?:\s+(?:de\s+)?(?:mercado|negociación|cotización))?"
         r"|(?:(?<=\btras\sel\s)|(?<=\bdespués\sdel\s)|(?<=\bposterior\sal\s)|(?<=\bposteriores\sal\s))cierre"
         r"|negociación\s+electrónica|after[\s-]hours")),
        ("session", ("cierre", "sesión", "lunes", "martes", "miércoles", "jueves", "viernes", "media",
                     "mediodía", "jornada", "cerró", "cerraron", "rueda"),
         (r"(?<=\bal\s)cierre|sesión|(?:(?<=\bel\s)|(?<=\beste\s))(?:lunes|martes|miércoles|jueves|viernes)"
         r"|(?<=\ba\s)media\s+sesión|(?<=\ba\s)mediodía|(?<=\bla\s)jornada|cerr(?:ó|aron)"
         r"|(?<=\bla\s)rueda(?:\s+regular)?")),  # Latin American "la rueda (regular)": the session
        ("week", ("semana", "semanal", "semanales", "semanalmente"),
         r"(?:(?<=\bla\s)|(?<=\besta\s)|(?<=\bpasada\s)|(?<=\búltima\s)|(?<=\bde\s))semana\b|semanal\w*"),
        ("month", ("mes", "mensual", "mensuales"),
         r"(?:(?<=\bel\s)|(?<=\beste\s)|(?<=\bde\s)|(?<=\búltimo\s))mes\b|mensual\w*"),
        ("ytd", ("año", "enero", "principios", "comienzos", "inicios", "inicio", "acumulado"),
         (r"(?:(?<=\bva\sde\s)|(?<=\bva\sdel\s)|(?<=\bllevamos\sde\s)|(?<=\beste\s)|(?<=\bel\s))año\b(?!\s+"
         r"(?:completo|fiscal|pasado|anterior))|(?<=\bdesde\s)(?:enero|(?:principios|comienzos|inicios)\s+de(?:l)?"
         r"\s+año|el\s+inicio\s+del\s+año)|acumulado\s+(?:del\s+año|anual)")),
        ("12m", ("meses", "año"),
         r"(?:(?<=\búltimos\s12\s)|(?<=\búltimos\sdoce\s))meses|(?<=\búltimo\s)año"),
        ("quarterly", ("trimestral", "trimestrales", "quarterly"), r"trimestral(?:es)?|quarterly"),
        ("interim", ("cuenta",), r"(?<=\ba\s)cuenta"),
        ("final", ("complementario", "complementaria"), r"complementari[oa]s?"),
        ("special", ("extraordinario", "extraordinaria", "extraordinarios"), r"extraordinari[oa]s?"),
        ("annual", ("anual", "anuales", "año"), r"anual(?:es)?\b(?!\s+(?:de|del))|(?<=\bal\s)año\b"),
    ],
}
CODE_HEAD = _CODE_HEAD
