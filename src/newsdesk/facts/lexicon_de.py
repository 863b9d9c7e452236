"""German cue words of the fact rules (regex fragments; compiled once by ``rules.lexicon``).
Names and meanings as in lexicon_en.py. German compounds ("Quartalsumsatz", "Umsatzprognose")
are matched by their parts (``\\w*umsatz``)."""

from __future__ import annotations

_W = r"[\wäöüÄÖÜß-]*"

KEYWORDS: list[tuple[str, str]] = [
    ("excluded", (r"Vorsteuer\w*|Ergebnis vor Steuern|Gewinn vor Steuern|vor Steuern|EBITDA|Ebitda|"
                 r"(?:freie[rn]? )?(?:Free )?Cash-?[Ff]low|Mittelzufluss|Auslieferungen|ausgeliefert|Abonnenten|Nutzer|"
                 r"Kunden|[\w-]*Auftragseingang\w*|Provisions(?:überschuss|ertr(?:ag|äge))\w*|Aufträge|[\w-]*Auftragsbestand\w*|[\w-]*Auftragsvolumen|Zinsüberschuss|Zinsertrag|Kernkapitalquote|CET1|"
                 r"Nettoverschuldung|Schulden|Marktwert|Börsenwert|Marktkapitalisierung|Bewertung|Umsatzvolumen|"
                 r"Handelsvolumen|Rendite(?!\w)|Renditen|(?:Umlauf|Anleihe|Anleihen|Dividenden)rendite\w*|Anleihe\w*|Bund\w*rendite|Ölpreis\w*|Öl|Brent|WTI|Gold\w*|"
                 r"Bitcoin|Dollar(?:kurs|index)?|Euro(?:kurs)?(?= (?:stieg|fiel|legte|gab|notierte|kostete))|"
                 r"Yen|Pfund|Inflation\w*|Teuerung\w*|BIP|Bruttoinlandsprodukt|Wirtschaftswachstum|Arbeitslos\w*|"
                 r"Mitarbeite\w*|Beschäftigte\w*|Stellen|Filialen|Geschäfte|Märkte|vergleichbare\w* Umsatz\w*|"
                 r"flächenbereinigt\w*|organisch\w*|Bruttogewinn|Segmentergebnis|(?<!vor )(?<!ohne )(?<!um )Sonder(?!dividende|ausschüttung)\w*|Abschreibung\w*|"
                 r"Kosten|Aufwendungen|Steuerquote|Angebotspreis|Ausgabepreis|Emissionspreis|Übernahme\w*|"
                 r"Kaufangebot|Angebot|Offerte|je Aktie in bar|in bar|übernehmen|Beteiligung|Anteil|Stimmrechte|"
                 r"Wahrscheinlichkeit|eingepreist|\w*[Pp]otenzial\w*")),
    ("segment_revenue", (r"(?:Umsatz|Erlöse|Umsätze) (?:der|in der|im|des) (?:Sparte|Division|Segment|Bereich|Geschäft"
                        r"sbereich|Region)s? (?=(?-i:[A-Z]))|Geschäft (?:in|mit) (?=(?-i:[A-ZÄÖÜ]))|"
                        r"(?:Umsatz|Umsätze|Erlöse) in (?!(?-i:Höhe|Milliarden|Millionen|Mrd|Mio|Euro|Dollar|Franken|Summe|"
                        r"Landeswährung|Lokalwährung|Konzernwährung|Prozent)\b)(?=(?-i:[A-ZÄÖÜ]))|"
                        r"(?:Umsatz|Umsätze|Erlöse|Einnahmen) mit (?!(?-i:Abstand|Blick|Hilfe))(?=(?-i:[A-ZÄÖÜ]))")),
    ("loss_eps", r"(?:Verlust|Fehlbetrag) (?:je|pro) (?:Aktie|Titel|Anteilsschein)"),
    ("eps", (r"(?:bereinigte[srn]? |verwässerte[srn]? )?\w*(?:[Gg]ewinn|Ergebnis|Überschuss) (?:je|pro) (?:Aktie|Titel|Genussschein|Anteilsschein|Vorzugsaktie|Stammaktie)|"
            r"(?:bereinigte[srn]? )?EPS|\w*Ergebnis je Aktie")),
    ("operating_margin", (r"(?:bereinigte[rn]? )?(?:operative[rn]? (?:Umsatz)?(?:Marge|Rendite|Umsatzrendite)|"
                         r"EBIT-Marge|Ebit-Marge|EBIT-(?:Umsatz)?[Rr]endite|Umsatzrendite|operative Marge)")),
    ("gross_margin", r"Bruttomarge|Rohertragsmarge|Bruttogewinnmarge"),
    ("loss_operating_income", r"operative[rn]? Verlust\w*|operative[ns]? Minus|Betriebsverlust\w*"),
    ("operating_income", (r"(?:bereinigte[sn]? )?(?:operative[sn]? (?:Ergebnis(?:ses|se)?|Gewinn(?:s|es)?)|EBIT|Ebit|Betriebsergebnis|"
                         r"Betriebsgewinn|bereinigte[sn]? Ergebnis vor Zinsen und Steuern|Ergebnis vor Zinsen und Steuern|"
                         r"(?:Konzern|Quartals|Gruppen)-?EBIT|Ergebnis des laufenden Geschäftsbetriebs)(?![-\w])")),
    ("loss_net_income", (r"Nettoverlust\w*|Fehlbetrag|Konzernverlust\w*|(?:(?:einen |den )?Verlust(?!\w)|Verluste)"
                        r"(?![^.;]{0,60}?\bauf\s+(?:rund |knapp |gut |nur noch |noch )?\d[\d,]*\s*(?:Prozent|%)\s*(?:ein|zurück|[.,;]|$))|"
                        r"rote Zahlen")),
    ("net_income", (r"Nettogewinn\w*|Konzerngewinn\w*|Überschuss|(?:Konzern)?[Ee]rgebnis nach (?:Steuern|Minderheiten|Anteilen Dritter)|Nettoergebnis|Konzernergebnis|Konzernüberschuss|"
                   r"Jahresüberschuss|(?:Perioden|Quartals|Halbjahres)überschuss|Quartalsgewinn|Gewinn(?!\w)|Gewinnziel\w*|Gewinnprognose\w*|Reingewinn|unterm Strich|[Uu]nter dem Strich|den Aktionären "
                   r"zurechenbare\w* \w+|verdiente")),
    ("revenue", (r"[\w-]*[Uu]msatz(?:es|erlöse|prognose\w*|ziel\w*|ausblick\w*|spanne|korridor)?|[\w-]*[Uu]msätzen?|(?:Netto|Gesamt|Konzern)?[Ee]rlösen?|Erträgen?|Betriebserträgen?|Gesamterträgen?|Nettoerträgen?|Einnahmen|"
                r"Konzernumsatz|Quartalsumsatz|Jahresumsatz|Nettoumsatz|(?:Konzern|Netto)?[Vv]erkäufe|erlöst\w*")),
    ("revenue", r"setzte\w*(?=(?:[^.;]|(?<=Mrd|Mio)\.){0,90}\bum\s*[.,;])|setzt(?=(?:[^.;]|(?<=Mrd|Mio)\.){0,90}\bum\s*[.,;])"),
    ("capex", r"Investitionen|Investitionsausgaben|Sachinvestitionen|Capex|investier\w+|Investitionsbudget"),
    ("dividend", r"\w*[Dd]ividende\w*|Ausschüttung(?:en)?(?= (?:je|pro|auf|von))|Gewinnbeteiligung"),
    ("buyback", (r"(?:Aktien)?[Rr]ückkauf\w*|Rückkaufprogramm\w*|eigene Aktien zurück\w*|zurückzukaufen|zurückkaufen|"
                r"eigene Aktien(?= (?:im (?:Gesamt)?[Ww]ert von|für|über) [^.;]{0,60}\b(?:zu )?(?:erwerben|zurück(?:zu)?(?:kaufen|"
                r"erwerben))\b)|zurück(?:zu)?erwerben")),
    ("price_target", (r"Kursziel\w*|Preisziel\w*|Jahresendziel\w*|Indexziel\w*|(?:das )?Ziel für (?:die [\w-]*Aktie|"
                     r"die Papiere|den Titel)|Ziel für (?=(?-i:[A-Z]))|"
                     r"(?:das|ihr|sein) Ziel(?= (?:auf|von|um) (?:rund |etwa )?\d[\d.,]*\s*(?:Euro|Franken|Dollar|US-Dollar)\b)")),
    ("rate", (r"Leitzins\w*|Fed(?:eral)?[- ]Funds[- ]Rate|Zielkorridor(?= für (?:den|die) (?:Leitzins|Fed|Federal))|(?:EZB|SNB|Fed|BoE|BoJ|US|Banxico)-Leitzins\w*|Einlagen(?:zins|satz)\w*|Hauptrefinanzierungssatz\w*|Refinanzierungssatz|Hauptrefinanzierungszins\w*|(?:Zins)?[Ss]atz für (?:das |die )?Hauptrefinanzierung\w*|Zinsen|"
             r"Zins(?:satz|spanne|band|korridor)?|Leitzinsspanne|Einlagenzins")),
    ("shares", (r"Aktien?|Aktienkurs\w*|Papiere?|Titel|Anteilsscheine?|Vorzugsaktien?|Stammaktien?|ADRs?|Hinterlegungsscheine|"
               r"Wertpapiere?|Genussscheine?|Kurs(?!ziel)")),
]

POSTFIX: list[tuple[str, str]] = [
    ("eps", r"(?:je|pro) (?:Aktie|Anteilsschein|Stammaktie|Vorzugsaktie|Genussschein|Titel)"),
    ("revenue", r"(?:Umsatz|Umsätze|Erlöse|umsetzte\w*|umgesetzt|umsetzt|erlöste\w*)(?!\w)"),
    ("net_income", r"(?:Nettogewinn|Gewinn|Überschuss)"),
    ("loss_net_income", r"(?:Nettoverlust|Verlust)"),
    ("operating_income", r"(?:operatives Ergebnis|operativer Gewinn|EBIT)"),
    ("buyback", r"(?:(?:für|in) )?(?:schweres |großes |neues |weitere )?(?:Aktienrückk[aä]uf\w*|Rückk[aä]uf\w*)|"
                r"(?:(?:des|ihres|seines) (?:Grund)?[Kk]apitals |(?:an )?eigenen? (?:Aktien|Anteile|Titel) )?zurück(?:zu)?(?:kaufen|erwerben)|"
                r"zurück(?:gekauft|erworben) werden"),
    ("price_target", r"(?:als )?Kursziel\w*"),
    ("capex", r"(?:in|für) (?:Investitionen|Sachanlagen)|investieren|investiert"),
]

GUIDANCE = (r"(?<!\w)(?:\b(?:soll|sollen|werde|Spanne|Zielspanne|Zielkorridor)\b|\w+(?:spanne|korridor)\b|\w*[Pp]rognose\w*|\w*[Aa]usblick\w*|\w*[Zz]iel(?:e|en)?(?!\w)|erwartet|erwarte|rechnet|rechne|"
            r"peilt|peile|plant|plane|geht von|gehe von|geh(?:t|en) (?:[\wäöü-]+ ){1,3}?von (?:einem|einer)|strebt|stellt\w* in Aussicht|in Aussicht|prognostiziert\w*|"
            r"sieht|sehe|veranschlagt|budgetiert|kalkuliert|soll(?:en)? (?:der|die|das)?\s*\w*\s*(?:auf|zwischen|bei)|"
            r"Jahresziel\w*|Planung|angepeilt\w*)")
EXPECT_BEFORE = (r"(?:Analysten|Experten)(?: im Schnitt| im Mittel| zuvor| bislang)? mit|"
                 r"(?:Analysten|Experten|Beobachter)\w* hatten(?: (?:aber|zwar|nur|lediglich|im Schnitt|im Mittel|sogar|bereits|schon|eigentlich|dagegen|hingegen))+|"
                 r"Konsens\w*(?: \w+){0,3}? (?:von|bei)|"
                 r"(?:Analysten|Experten|Marktbeobachter|Beobachter)(?:[^.;]{0,40}?)(?:erwartet|gerechnet|kalkuliert|veranschlagt|taxiert|"
                 r"(?:waren|sind|gingen|gehen|hatten) (?:\w+ ){0,3}?von|"
                 r"geschätzt|prognostiziert|im Schnitt erwartet|im Mittel erwartet|hatten mit|rechneten mit|"
                 r"erwarteten|hatten|auf dem Zettel|gingen von|schätzten|sahen)|(?:Erwartung|Schätzung|Prognose)en?"
                 r"(?: der Analysten| von Analysten)?(?: von| über| bei| in Höhe von| lagen bei| hatten bei)?|"
                 r"Konsens\w*(?: von| bei| lag bei)?|Markterwartung\w*(?: von)?|erwartet(?:e[nrs]?)? (?:worden )?(?:waren |war )?|"
                 r"gerechnet worden (?:war|waren)|"
                 r"Analystenschätzung\w*(?: von)?|(?:im )?Schnitt erwartet\w*|Durchschnittsschätzung(?: von)?|"
                 r"gerechnet|geschätzt\w*|LSEG|FactSet|Bloomberg|Vara|Visible Alpha|Konsensschätzung\w*(?: von)?|"
                 r"erwarteten|erwarteter")
EXPECT_AFTER = (r"(?:erwartet|gerechnet|geschätzt|prognostiziert|kalkuliert|veranschlagt|taxiert|ausgegangen|"
                r"eingeplant|vorhergesagt|angesetzt|zugetraut)(?: worden)?|(?:hatten|haben) (?:Analysten|Experten)"
                r"|(?:die |wie )?(?:Analysten|Experten)(?: im Schnitt| im Mittel)?(?: erwartet| gerechnet| geschätzt)|"
                r"(?:lautete|war) die (?:Erwartung|Prognose|Schätzung)")
BEAT = (r"\b(?:übertr\w*|übertroffen|über (?:den |dem |der )?(?:Erwartung|Prognose|Schätzung|Konsens)\w*|"
        r"besser als|mehr als erwartet|höher als|oberhalb|übersteigt|überstieg|geschlagen|schlug|schlägt|"
        r"über den Markterwartungen|leicht über|deutlich über|über)\b")
MISS = (r"\b(?:verfehl\w*|unter (?:den |dem |der )?(?:Erwartung|Prognose|Schätzung|Konsens)\w*|schwächer als|"
        r"schlechter als|weniger als erwartet|niedriger als|unterhalb|enttäusch\w*|blieb\w* hinter|zurückgeblieben|zurückblieb\w*|"
        r"leicht unter|deutlich unter|unter)\b")
INLINE = (r"\b(?:im Rahmen|entsprach\w*|entspricht|wie erwartet|erwartungsgemäß|im Einklang|deckt\w* sich|"
          r"traf\w*|getroffen|in etwa im Rahmen|auf dem Niveau der|genau)\b")
RAISE = r"\b(?:weitere[nm]?(?=\s+(?:(?:bis zu|rund|etwa|knapp)\s+)?(?:\d|$))|erhöh\w*|hob\w*|angehoben|anheben|hebt\w*|aufgestockt|stockt\w*|stockte\w*|ausgeweitet|weitet\w*|heraufgesetzt|setzte\w* herauf|setzte\w*(?=[^.;]{0,60}\bherauf\b)|(?<=\w )herauf(?=\s*(?:[.,;:]|$))|verbessert\w*|nach oben)\b"
CUT = r"\b(?:senk\w*|gesenkt|kappt\w*|gekappt|reduz\w*|kürz\w*|gekürzt|nahm\w* zurück|(?<=\w )zurück(?=\s*(?:[.,;:]|$))|zurückgenommen|strich\w*|gestrichen|nach unten|setzte\w* herab|setzte\w*(?=[^.;]{0,60}\bherab\b)|(?<=\w )herab(?=\s*(?:[.,;:]|$))|herabgesetzt|verringert\w*)\b"
HOLD = (r"\b(?:nicht (?:angetastet|angerührt|verändert)|läuft\w*(?: \w+)? weiter|weiterhin|fortgesetzt|fortsetzen|setzt\w* [^.;]{0,40}fort|fortgeführt|fortführen|nach wie vor|bestätig\w*|bekräftig\w*|hält\w*|hielt\w*|gehalten|behält|behielt|beibehalten|belässt|belassen|beließ\w*|"
        r"unverändert|stabil|halten|festgehalten|hält an|hielt an|bleibt|blieb|bleiben)\b")
NARROW = r"\b(?:eingeengt|engt\w*|präzisiert\w*|präzisierte\w*|konkretisiert\w*|verengt\w*)\b"
UP = (r"\b(?:legte\w*|legt|gewonnen|zuleg\w*|zunahm\w*|anzog\w*|stieg\w*|steig\w*|gestiegen|legt\w* zu|zugelegt|gewann\w*|gewinn(?:t|en)|kletter\w*|geklettert|zog\w* an|"
      r"angezogen|sprang\w*|gesprungen|verteuer\w*|höher|Plus|plus|Anstieg|Zuwachs|wuchs|wächst|gewachsen|"
      r"erholt\w*|rückte\w* vor|vorgerückt|vorn|vorne|über (?:dem )?Vorjahres(?:wert|niveau)|schoss\w*|haussiert\w*|zulegen|Kurssprung|Aufschlag|fester|"
      r"verbessert\w*|aufwärts|im Plus|verdoppelt\w*|Steigerung|steigerte\w*|gesteigert|erhöht\w*|"
      r"über de[mn] (?:Ausgabe|Emissions|Angebots|Platzierungs)(?:preis|kurs)|(?<=Prozent )mehr(?! als erwartet)|(?<=% )mehr(?! als erwartet)|mehr(?= als (?:ein Jahr|vor einem Jahr|im Vorjahr|im Jahr|in der Vorjahres)))\b")
DOWN = (r"\b(?:gab(?:en)?(?=[^.;]{0,50}\bnach\b)|nachgab\w*|einbrach\w*|abrutscht\w*|absackte\w*|fiel\w*(?!(?: (?!um\b|auf\b)\w+){0,3} (?:ein|eine|einen) \w*(?:verlust|gewinn|fehlbetrag|überschuss|ergebnis)|"
        r"(?: (?!um\b|auf\b)\w+){0,3} (?:ein|eine|einen) (?:Minus|Plus) von (?:[^.;]|(?<=Mio|Mrd)\.){0,30}?(?:Euro|Dollar|Franken))|fällt(?! (?:ein|eine|einen)\b)|gefallen|sank\w*|sinkt|gesunken|verlor\w*|verliert|verloren|gab\w* nach|nachgegeben|"
        r"gibt\w* nach|(?:dämmt|grenzt)\w*(?= (?:\w+ ){0,2}Verlust)|rutscht\w*|gerutscht|brach\w* ein|eingebrochen|bü(?:ß|ss)t\w*|eingebü(?:ß|ss)t|(?<=Prozent )weniger|(?<=% )weniger|weniger(?= als (?:ein Jahr|vor einem Jahr|im Vorjahr|im Jahr|in der Vorjahres))|verbillig\w*|tiefer|Minus|minus|"
        r"Rückgang|Abschlag|ging\w* zurück|unter (?:dem )?Vorjahres(?:wert|niveau)|zurückgegangen|geht zurück|schrumpf\w*|geschrumpft|sackte\w*|"
        r"abgesackt|stürzt\w*|gestürzt|schwächer|leichter|abwärts|im Minus|halbiert\w*|Einbruch|rückläufig|"
        r"niedriger|verringert\w*|fallen|sinken|unter de[mn] (?:Ausgabe|Emissions|Angebots|Platzierungs)(?:preis|kurs))\b")
FLAT = r"\b(?:unverändert|stabil|stagnier\w*|kaum verändert|auf Vorjahresniveau|seitwärts)\b"
PRIOR = (r"\b(?:nach (?:bisher|zuvor|bislang)(?: \w+)?|nach|gegenüber|verglichen mit|im Vergleich zu|vs\.?|nach zuvor|zuvor|bisher|bislang|vorher|"
         r"nach bisher|statt|statt bisher|Vorjahreswert|im Vorjahr|Vorjahr(?:esquartal)?|"
         r"(?:bisher|bislang|zuvor) (?:waren|war|hatte|hatten)(?: \w+){0,3}?(?: mit)?|(?:bisher|bislang|zuvor|vorher) bei)\b")
PRIOR_AFTER = (r"(?:im Vorjahr\w*|vor einem Jahr|im Vorjahreszeitraum|im Vorjahresquartal|im gleichen Zeitraum des "
               r"Vorjahres|ein Jahr (?:zuvor|davor)|im Jahr (?:zuvor|davor)|im vergangenen Jahr|(?:zuvor|bislang|bisher)(?! +(?:waren|war|hatte\w*|lag\w*|\d))|"
               r"im Vorquartal|"
               r"in der Vorjahresperiode)")
LEVEL = (r"\b(?:auf|bei|zu|mit|schloss\w* bei|schloss\w* auf|notiert\w*(?: bei| mit| zu)?|kostete\w*|"
         r"endete\w* bei|ging\w* mit|beendete\w* den Handel (?:bei|mit)|Schlusskurs(?: vom \w+)? von|Stand von|"
         r"stand\w* bei|(?:kostete|notierte|schloss|endete|stand)\w*\s+(?:die|das|der)\s+[\wäöüÄÖÜß-]+"
         r"(?:\s+(?:von|der|des)\s+[\wäöüÄÖÜß&.-]+){0,2}(?:\s+(?:bei|auf|mit|zu))?)\s*$")
HYPOTHETICAL = (r"\b(?:könnte\w*|würde\w*|falls|sofern|wenn|Szenario\w*|Kurspotenzial|Aufwärtspotenzial|"
                r"Abwärtspotenzial|Potenzial|impliziert\w*|sollte\w*|dürfte\w*|hätte\w*|wäre\w*|könne|denkbar)\b")
PREVIEW = (r"\b(?:(?:wird|werden) (?:am \w+ )?(?:seine |ihre )?(?:Zahlen|Bilanz|Quartalszahlen|Ergebnisse) "
           r"(?:vorlegen|veröffentlichen)|vor (?:der|den) (?:Zahlen|Bilanz|Quartalszahlen)|sollen|soll (?:der|die|das) "
           r"(?:Umsatz|Gewinn)|legt am|vorlegen wird|erwarten Analysten|erwarteten Analysten|rechnen Analysten|"
           r"Analysten erwarten|Analysten rechnen)\b")
INTRADAY = (r"\b(?:zeitweise|zwischenzeitlich|in der Spitze|zunächst|anfangs|"
            r"eröffnete\w*|Eröffnung|Eröffnungskurs|Erstnotiz|erste[nr]? (?:Kurs|Notierung)|(?:zum|zu|bei) (?:Handelsstart|Handelsbeginn|Handelsauftakt|Börsenstart|Börsenbeginn|Sitzungsbeginn)|bis zu|bis auf|kurzzeitig|vorübergehend|Tageshoch|Tagestief|Verlaufshoch|Verlaufstief)\b")
THRESHOLD = (r"\b(?:unter|über|oberhalb|unterhalb|jenseits|Marke von|Schwelle von|die Marke|Marke|Schwelle|"
             r"Hürde)\s*(?:die |der |den )?(?:Marke (?:von )?)?$")
FROM_PEAK = (r"^\s*(?:unter|über|vom|von|unterhalb|oberhalb|entfernt vom)\s+(?:dem|ihrem|seinem|einem|den|ihren|seinen)?"
             r"\s*(?:[\w-]+\s+){0,2}?(?:Rekord\w*|Allzeithoch|Hoch|Tief\w*|Höchst\w*|Jahreshoch|Jahrestief|Zwischenhoch)")
CONTRIBUTION = (r"^\s*(?:Punkte? )?(?:zum|vom|zu|am) (?=(?-i:[A-Z]))|"
                r"^\s*(?:(?:Index)?[Pp]unkte?\s+)?(?:gekostet|kostete\w*|beisteuerte\w*|beigesteuert|bescherte\w*)\b")
CURRENT_RATE = r"\b(?:derzeit|aktuell|liegt|liegen|zurzeit|momentan|steht|stehen)\b"
EXECUTED = (r"\b(?:zurückgekauft|kaufte\w* [^.;]{0,30}zurück|ausgeschüttet|zurückgegeben|zurückgeführt|"
            r"schüttete\w* [^.;]{0,30}aus|abgeschlossen|durchgeführt)\b")
MEDIAN = r"\b(?:Median\w*|Durchschnitt\w*|durchschnittlich\w*|Konsens\w*|im Schnitt|im Mittel|mittlere\w*)\b"
DEPOSIT = r"Einlage\w*"
REFI = r"Hauptrefinanzierung\w*|Refinanzierung\w*|Leitzins für Hauptrefinanzierungsgeschäfte"
AFTER_HOURS = r"\b(?:nachbörslich\w*|im nachbörslichen Handel|nach Börsenschluss|nach Handelsschluss)\b"
PRE_MARKET = r"\b(?:vorbörslich\w*|vor Börsenbeginn|vor Handelsbeginn|im vorbörslichen Handel)\b"
CLAUSE = (r";|\sund (?=(?:gewann|verlor|legte|stieg|fiel(?![^.;]{0,40}?\baus\b)|sank|gab|büßte|kletterte|rutschte|zog|sackte|brach|schloss)\w*\b)|\s[–—]\s|,\s*(?:während|wobei|aber|doch|jedoch|nachdem|als|wohingegen|und|sodass|so dass|"
          r"weil|da|womit|was|die|der|das)\s|\s(?:während|wohingegen|nachdem)\s")
ANY_WORD_NUMBER = (r"\b(?:Hälfte|halb\w*|Drittel|Viertel|Fünftel|verdoppel\w*|verdreifach\w*|halbiert\w*|"
                   r"Gewinnschwelle|ausgeglichen\w*|schwarze Null)\b")
BY = r"\bum\s*(?:rund |etwa |knapp |gut )?$"
RELATIVE_SHORT = (r"\b(?:einen Cent|ein Cent|zwei Cent)\s+(?:unter|über|mehr als|weniger als|hinter)")
ANALYSTS = r"\b(?:Analyst\w*|Experte\w*|Strategen|Volkswirte\w*|Ökonomen)\b"
ANALYST_VIEW = (r"\b(?:Analyst\w*|Experten|Marktbeobachter|Konsens\w*|Schätzung\w*|Börsianer|Anleger)\b[^.;]{0,40}?"
                r"\b(?:erwart\w*|rechne\w*|gerechnet|schätz\w*|geschätzt|prognostizier\w*|sehen|sahen|gehen von|"
                r"gingen von|auf dem Zettel)\b|\b(?:erwarten|erwarteten|rechnen|rechneten|schätzen|schätzten) "
                r"(?:die )?(?:Analysten|Experten)\b|\b(?:erwarten|erwarteten|rechnen|rechneten|schätzen|schätzten|kalkulieren|"
                r"veranschlagen|prognostizieren) sie\b")
PAYOUT_TOTAL = (r"\b(?:Ausschüttungssumme|insgesamt [^.;]{0,20}ausschütten|Gesamtausschüttung|Dividendenrendite|"
                r"Rendite|Ausschüttungsquote|Dividendensumme|insgesamt)\b")
LOSS = r"\b(?:Verlust\w*|Fehlbetr\w*|Minus|verlor\w*|negativ\w*)\b"
SEGMENT_LOWER = r"(?!x)x"
BY_AFTER = (r"(?:mehr|weniger|höher|niedriger|besser|schlechter)(?: aus)?,? als (?:(?:die |von )?(?:Analysten|Experten)\w*"
            r"(?: \w+){0,3}? )?(?:erwartet|prognostiziert|geschätzt|veranschlagt|kalkuliert|gerechnet)|"
            r"(?:über|unter) (?:den |der )?(?:Erwartungen|Prognosen|Schätzungen|Konsens\w*|Analystenschätzung\w*)")
EXPECT_NOUN = (r"(?:den |der |die )?(?:Erwartungen?|Prognosen?|Schätzungen?|Konsens\w*|Analystenschätzung\w*|"
               r"Markterwartung\w*)")
SECTOR = (r"\b(?!(?:Vorzugs|Stamm|Namens|Inhaber|Genuss)\w)[A-ZÄÖÜ][a-zäöüß]+(?:werte|titel|aktien|papiere|branche|sektor)\b|\b(?:Bank|Auto|Chip|Tech|Öl|"
          r"Versorger|Pharma|Rüstungs)(?:werte|titel|aktien)\b")
GUIDANCE_AFTER = (r"\bin Aussicht\b|\b(?:(?:peil|strebt|visiert)\w*\b[^.;]{0,60}?\ban|anpeilen|erreichen|"
                  r"liegen)(?=\s*[.,;]|\s*$)")
PRIOR_FIRST = r"^[\s,\"“]*(?:\w+\s+){0,2}?(?:bisher|bislang|zuvor)\b"
#: a sentence whose figure is the metric the sentence before named ("Schwächer entwickelte sich der
#: Umsatz. Er sank um 5 Prozent auf 15,2 Milliarden Euro.")
CARRY = (r"^(?:Er|Sie|Es|Dieser|Diese|Dieses)\s+(?:stieg|sank|fiel|wuchs|kletterte|lag|betrug|erreichte|ging|legte|"
         r"summierte|belief|erhöhte|verringerte|schrumpfte|brach|kam|verbesserte|verschlechterte|gab|rutschte|"
         r"zog|sackte|erhöht|verringert)\w*\b")
