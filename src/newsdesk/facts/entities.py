"""Entities of market facts: the companies, named indices and central banks a sentence mentions.

Hand-written rather than a named-entity model: the entities are a closed list (the bundled symbol
table, ``data/facts/*.tsv``), and a dictionary lookup over word n-grams finds them in microseconds
without a model download. A story's related symbols take precedence: their companies' names always
match (even generic ones such as "Target"), and their tickers match as written in the text.

Canonical codes follow docs/facts.md: a company is its home ticker without exchange prefix
(``7203``, ``SAP``, ``0700``; ADR codes are aliases), an index its code (``SPX``), a central bank
its code (``FED``). Nominal anaphora ("the company", "der Konzern", "la compañía") are mentions of
the story's subject (code ``""`` here; the engine fills in the subject).

Speed (the extractor's target is 1,000 stories a second): only tokens that may begin a name are
visited, and what a token may begin is cached per language (the tables and those plans are in
``entities_table``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsdesk.facts.entities_table import (
    _GENERIC,
    _PLANS,
    _TOKEN,
    ANAPHOR,
    BANK,
    COMPANY,
    INDEX,
    Mention,
    _base_plan,
    _base_table,
    _Entry,
    _entry,
    _related,
    _starts,
    _usable,
    _words,
    bank_codes,
    code_of_symbol,
    fold,
    index_codes,
)

__all__ = ["ANAPHOR", "BANK", "COMPANY", "INDEX", "INDEX_ANAPHOR", "Mention", "Resolver", "bank_codes", "code_of_symbol",
           "fold", "index_codes"]

#: Each pattern opens with a character class rather than ``\b`` (the word boundary is the lookbehind
#: after it), so that the regex engine skips to candidates without entering the matcher.
_ANAPHORA = {
    "en": r"[TtIi](?<!\w\w)(?:(?<=[Tt])he|(?<=[Ii])ts) (?:(?:oil|energy|online|mining|drinks|tech|technology|pharmaceutical|"
          r"pharma|luxury|insurance|defen[cs]e|engineering|media|telecoms?|steel|tobacco|fashion|property|investment|"
          r"consumer-goods|supermarket) )?"  # "the oil major", "the online grocer", "the drinks group"
          r"(?:company|group|firm|bank|lender|carrier|retailer|chipmaker|chip maker|automaker|"
          r"carmaker|insurer|airline|giant|conglomerate|manufacturer|producer|miner|operator|brewer|drugmaker|"
          r"software maker|maker|utility|conglomerate|e-commerce giant|iPhone maker|major|grocer|chain)(?!\w)",
    "de": r"[Dd](?<!\w\w)(?:er|es|em|en|ie|as) (?:[A-ZÄÖÜ][a-zäöüß]*-?)?(?:[Kk]onzern|[Uu]nternehmen|[Hh]ersteller|"
          r"[Bb]auer|[Rr]iese|[Vv]ersicherer|[Aa]nbieter|[Hh]ändler|[Pp]roduzent|[Ss]pezialist|[Kk]ette|[Bb]ank|"
          r"[Gg]ruppe|[Aa]utobauer|[Cc]hipriese)(?:s|es|en)?\b(?! [A-ZÄÖÜ0-9])",
    "es": r"[LlEe](?<!\w\w)(?:(?<=[Ll])a|(?<=[Ee])l) (?:compañía|empresa|grupo|firma|banco|entidad|aseguradora|tecnológica|eléctrica|"
          r"farmacéutica|petrolera|cadena|fabricante|textil|operadora|energética|constructora|aerolínea|"
          r"automovilística|multinacional|minera|cotizada|gestora|siderúrgica|hotelera|papelera|inmobiliaria|teleco|"
          r"socimi|acerera|gasista|naviera|química|cervecera|distribuidora|concesionaria|aseguradora|"
          r"compañía aérea|cadena hotelera|distribuidor|gigante|operador|productor|laboratorio|banco|valor)\b"
          r"(?! [A-ZÁÉÍÓÚ0-9])",
}
_ANAPHOR_RE = {lang: re.compile(p) for lang, p in _ANAPHORA.items()}
#: an index referred to without its name: the last index the story named (code ``@index``)
_INDEX_ANAPHORA = {
    "en": r"[Tt](?<!\w\w)he (?:benchmark(?: index| average| gauge)?|(?:broader |blue-chip |tech-heavy |small-cap )?index|"
          r"blue-chip (?:average|gauge)|tech-heavy (?:index|gauge)|broad market index)(?![\w-]| [A-Z0-9])",
    "de": r"[Dd](?<!\w\w)(?:er|es|em|en) (?:deutsche |breite |wichtigste |japanische |US-)?(?:Leitindex|Index|Auswahlindex|"
          r"Börsenbarometer|Leitindexes|Indexes)(?![\w-]| [A-Z0-9])",
    "es": r"[EeDdAa](?<!\w\w)(?:(?<=[Ee])l|(?<=[Dd])el|(?<=[Aa])l) (?:selectivo|índice|indicador|principal indicador|índice de referencia)"
          r"(?! [A-ZÁÉÍÓÚ0-9])(?! (?:español|madrileño|de referencia))",
}
_INDEX_ANAPHOR_RE = {lang: re.compile(p) for lang, p in _INDEX_ANAPHORA.items()}
INDEX_ANAPHOR = "@index"


_UNKNOWN_BEFORE_SHARES = re.compile(
    r"\b((?-i:[A-Z][\w&.-]+)(?: (?-i:[A-Z][\w&.-]+)){0,2})(?:'s|’s)? (?:shares|stock|ADRs|Aktien?|acciones|títulos)\b")
_RIVAL_WORD = re.compile(r"(?:(?:Smaller|Larger|Bigger|Fellow|U\.S\.|European|Chinese|Japanese) )?(?:Rival|Peer|Competitor)s? ")
_NOT_NAMES = frozenset(["the", "its", "their", "his", "her", "our", "this", "these", "those", "die", "der", "das", "los", "las", "el", "la", "its", "shares"])
_NAME = r"(?-i:[A-Z][\w&.'’-]*(?: (?:of |and |& )?[A-Z][\w&.'’-]*){0,3})"
#: English: an unknown name as the subject of a move ("Shares of Medline rose", "..., and Carlyle added
#: 0.9%", "Peloton — Shares sank"): a company no table knows, named by itself (the scorer and readers
#: resolve it by name) or, first, a related symbol no table names
_UNKNOWN_SUBJECT = re.compile(
    r"(?:\bShares (?:of|in) (?P<a>" + _NAME + r")(?=(?:, [^,;]{1,80},)? (?:rose|fell|gained|jumped|climbed|slid|slipped|"
    r"dropped|sank|tumbled|declined|advanced|surged|soared|plunged|lost|added|were|closed|ended|traded|retreated|slumped|"
    r"recovered|rebounded|rallied))|"
    r"(?:^|[;:]\s+|,\s+(?:and|while|but|whereas)\s+|\s(?:and|while)\s+|"
    r"\b(?:Rival|rival|Peer|peer|Separately,|Elsewhere,|Meanwhile,)\s+)"
    r"(?P<b>" + _NAME + r")(?:'s|’s)?(?P<s> shares| stock)?(?:, [^,;]{1,80},)? (?:rose|fell|gained|jumped|climbed|slid|slipped|"
    r"dropped|sank|tumbled|declined|advanced|surged|soared|plunged|lost|added|shed|eased|dipped|rallied|retreated|slumped|"
    r"recovered|rebounded|bounced|(?:was|were) off|"
    r"(?:was|were) (?:up|down)|edged (?:up|down|higher|lower)|closed (?:up|down|higher|lower|at)|has (?:gained|lost|risen|fallen))"
    r"\b(?=[^.;]{0,40}\d)|"
    r"^(?P<c>" + _NAME + r") [—–] )")
_NAME_ES_DE = (r"(?!(?-i:Ayer|Hoy|También|Además|Finalmente|Después|Luego|Así|Mientras|Sin|Por|Con|En|Entre|Tras|Bolsa|"
               r"Wall|Europa|Asia|Estados|España|Alemania|Francia|Londres|París|Fráncfort|Nueva|Tokio|Madrid|Auch|Dagegen|"
               r"México|Brasil|Argentina|Chile|Colombia|Perú|China|Japón|India|Italia|Portugal|Reino|Turquía|Polonia|"
               r"Canadá|Australia|Latinoamérica|Norteamérica|América|Oriente|Suiza|Resto|"
               r"Zudem|Damit|Danach|Aktien|Papiere|Titel|Anleger|Händler|Analysten|Investoren)\b)"
               r"(?-i:[A-ZÁÉÍÓÚÑÄÖÜ][\w&.'’-]*(?: (?:de |del |y |& )?[A-ZÁÉÍÓÚÑÄÖÜ][\w&.'’-]*){0,3})")
_ES_NATIONALITY = (r"(?:brasileñ|argentin|mexican|chilen|colombian|peruan|norteamerican|británic|alemana|alemán|"
                   r"frances|francés|italian|japones|japonés|chin|surcorean|holandes|neerlandes|suiz|suec|danes|"
                   r"norueg|español|australian|taiwanes|finlandes|irlandes|portugues|austriac|uruguay)[a-záéíóúñ]*|"
                   r"estadounidense|canadiense|belga|india|singapurense")
#: Spanish and German: an unknown name as the subject of a share move ("Talgo, que se disparó un 11,5%",
#: "... y Rovi se dejó un 1,7%", "los títulos de Ezentis subieron", "die Aktien von Palantir sackten",
#: "Im MDax sackten Aixtron um 6,2 Prozent ab", "Auch der Konkurrent About You legte")
_UNKNOWN_SUBJECT_ES = re.compile(
    r"(?:\b(?:[Ll]as acciones|[Ll]os títulos|[Ll]os papeles) de (?P<a>" + _NAME_ES_DE + r")(?=,? (?:que )?(?:se |sub|baj|"
    r"cay|gan|perd|avanz|ced|retroced|repunt|recort|sum|rebot|escal|rest))|"
    r"(?:^|[;:]\s+|,\s+(?:y |e |mientras que |pero |aunque )?|\s(?:y|e|mientras que)\s+)"
    # "La brasileña Nu Holdings, rival en pagos, cedió un 1,9%", "la tecnológica argentina Globant terminó con una subida"
    r"(?:(?:[Ll]a|[Ee]l) (?:(?:" + _ES_NATIONALITY + r"|firma|compañía|empresa|rival|tecnológica|fintech|farmacéutica|"
    r"petrolera|aerolínea|cadena|plataforma|operadora|eléctrica|minera|fabricante|aseguradora|gestora|grupo|banco|"
    r"entidad|dueña|dueño) ){1,2})?(?P<b>" + _NAME_ES_DE + r")(?P<s>)"
    r"(?:, que|, [^,;]{1,80},)? (?:(?:cerró|terminó|acabó|finalizó)(?: la sesión| la jornada)? con (?:una |un )?"
    r"(?:subida|caída|alza|descenso|avance|retroceso|ganancia|pérdida|repunte|desplome)|se (?:disparó|dispararon|desplomó|desplomaron|dejó|dejaron|revalorizó|revalorizaron|anotó|anotaron|"
    r"apuntó|apuntaron|hundió|hundieron|encareció|abarató|depreció)|subió|subieron|bajó|bajaron|cayó|cayeron|ganó|"
    r"ganaron|perdió|perdieron|avanzó|avanzaron|cedió|cedieron|retrocedió|retrocedieron|repuntó|repuntaron|recortó|"
    r"recortaron|sumó|rebotó|escaló|restó)\b(?=[^.;]{0,40}\d)(?P<c>))")
_UNKNOWN_SUBJECT_DE = re.compile(
    r"(?:\b(?:[Dd]ie (?:Aktien|Papiere|Titel|Anteilsscheine)|[Dd]as Papier|[Dd]ie Aktie) von (?P<a>" + _NAME_ES_DE + r")"
    r"(?= [a-zäöü])|"
    r"\b(?:(?:legten|gewannen|verloren|fielen|stiegen|sackten|rutschten|zogen|büßten|verteuerten sich|verbilligten sich|"
    r"gaben|kletterten|sprangen|schossen|brachen|sanken|rückten)(?: die Aktien von| die Papiere von)?|"
    r"[Kk]onkurrent|[Rr]ivale|(?:Schlusslicht|Spitzenreiter|Verlierer|Gewinner|[Ss]chwächster Wert|[Ss]tärkster Wert|[Bb]ester Wert|"
    r"[Ss]chwächster Titel|[Ss]tärkster Titel)(?: im [\w&-]+)? (?:waren|war)) "
    r"(?![\w-]*(?:werte|titel|aktien|papiere|branche|sektor)\b)(?P<b>" + _NAME_ES_DE + r")(?P<s>)(?= (?:um |mit |gar |sogar |legte|gewann|"
    r"verlor|fiel|stieg|sackte|rutschte|zog|büßte|verteuerte|verbilligte|gab|kletterte|sprang|schoss|brach|sank|rückte)?"
    r"[^.;]{0,30}\d)(?P<c>))")
_UNKNOWN_SUBJECTS = {"es": _UNKNOWN_SUBJECT_ES, "de": _UNKNOWN_SUBJECT_DE}
_NOT_SUBJECTS = frozenset(["it", "that", "there", "which", "what", "while", "but", "and", "also", "then", "still",
                           "even", "yet", "so", "now", "meanwhile", "elsewhere", "separately", "instead", "overall",
                           "each", "all", "most", "some", "many", "few", "one", "two", "three", "several", "shares",
                           "they", "stocks", "futures", "investors", "analysts", "traders", "he", "she", "we",
                           "europe", "asia", "u.s", "us", "wall", "markets", "prices", "sterling", "bonds", "treasuries",
                           "volume", "trading", "earlier", "overall", "together", "combined", "both", "others", "peers",
                           "rivals", "bank", "banks", "tech", "chip", "chipmakers", "miners", "insurers", "airlines",
                           "gold", "silver", "copper", "oil", "crude", "brent", "bitcoin", "ether", "platinum", "palladium",
                           "wheat", "corn", "natural", "euro", "yen", "pound", "dollar", "yuan", "treasury", "yields",
                           "revenue", "revenues", "sales", "profit", "profits", "earnings", "income", "margins", "net",
                           "operating", "orders", "deliveries", "shipments", "exports", "imports", "inflation", "output",
                           "demand", "spending", "costs", "capex", "bookings", "volumes", "services", "cloud",
                           "advertising", "dividends", "eps", "adjusted", "gross", "total", "quarterly", "annual",
                           "monday", "tuesday", "wednesday", "thursday", "friday", "index", "benchmark"])
#: generic one-word names that as the subject of a move are still no company ("Energy rose 2%")
_COMMON = frozenset(["first", "general", "national", "american", "international", "energy", "global", "digital", "united",
                     "now", "news", "city", "partners", "investor", "employers", "interface", "integer", "hub", "pool",
                     "deutsche", "mitsubishi", "sumitomo", "evolution", "rational", "stride", "investor"])
_SUFFIX_WORDS = frozenset(["industries", "group", "holdings", "inc", "corp", "technologies", "motors", "therapeutics",
                           "systems", "platforms", "networks", "pharmaceuticals", "automotive", "brands", "entertainment",
                           "international", "co", "plc", "ltd", "sa", "ag", "nv"])


class Resolver:
    """Finds entity mentions in the sentences of one story (its language and related symbols fixed)."""

    def __init__(self, lang: str, symbols: Sequence[str] = ()) -> None:
        self.lang = lang
        self.table = _base_table(lang)
        self.related, self.overlay = _related(tuple(s for s in symbols if isinstance(s, str))[:50])
        named = {e.code for entries in self.overlay.values() for e in entries if not e.exact}
        #: related symbols whose company no table names: the first unknown name before "shares" is theirs
        self.unnamed = [c for c in self.related if c not in named]
        self.learned: dict[str, tuple[_Entry, ...]] = {}
        self._keys = frozenset(self.overlay)  # first words of the related symbols' and learned names
        self._digits = any("0" <= k[:1] <= "9" for k in self._keys)  # a name led by a digit: visit numbers
        self._seen: dict[str, list[Mention]] = {}  # the story's sentences are looked at more than once
        self.anaphor = _ANAPHOR_RE.get(lang)
        self.index_anaphor = _INDEX_ANAPHOR_RE.get(lang)

    def find(self, text: str) -> list[Mention]:
        """Entity mentions of ``text`` in order, longest match first, non-overlapping."""
        found = self._seen.get(text)
        if found is None:
            found = self._seen[text] = self._find(text)
        return found

    def _find(self, text: str) -> list[Mention]:
        # Only the starts that may begin a name are visited (most words cannot), and what a token
        # may begin is cached: the result is that of trying every token in turn, longest first.
        lang = self.lang
        plans = _PLANS.get(lang) or {}
        keys = self._keys
        out: list[Mention] = []
        pos = 0  # where the last name found ends
        for t in _starts(lang, self._digits).finditer(text):
            if t.start() < pos:
                continue
            raw = t.group()
            got = plans.get(raw)
            if got is None:
                got = _base_plan(lang, raw)
                plans = _PLANS[lang]
            plan, candidates = got
            if keys and not keys.isdisjoint(candidates):
                plan = (*_usable(self.overlay, candidates, raw), *_usable(self.learned, candidates, raw), *plan)
            if not plan:
                continue
            hit = self._match(text, t, plan)
            if hit is not None:
                end, entry = hit
                out.append(Mention(t.start(), end, entry.code, entry.kind))
                pos = end
        if self.unnamed:
            out = self._learn(text, out)
        if (lang == "en" or lang in _UNKNOWN_SUBJECTS) and out is not None:
            out = self._learn_subjects(text, out)
        if self.anaphor is not None and out is not None:
            out = self._with_anaphora(text, out)
        return out

    def adopt(self, title: str) -> None:
        """The story's first related symbol that no table names is the company its title names when
        the table gives that company another code ("Tendam se dispara en su estreno" with the related
        BME:TDM): the news API's symbols take precedence."""
        if not self.related or self.related[0] not in self.unnamed:
            return
        for m in self.find(title):
            if m.kind == COMPANY and m.code not in self.related:
                e = _entry(title[m.start:m.end], self.related[0], COMPANY)
                if e is not None:
                    self.unnamed.remove(self.related[0])
                    self.learned[e.words[0]] = (e, *self.learned.get(e.words[0], ()))
                    self._keys = frozenset((*self.overlay, *self.learned))
                    self._digits = any("0" <= k[:1] <= "9" for k in self._keys)
                    self._seen.clear()
            return

    def _learn(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"Verona's shares rose": an unknown name before "shares" is the related symbol no table names."""
        for m in _UNKNOWN_BEFORE_SHARES.finditer(text):
            if any(x.start < m.end(1) and m.start(1) < x.end for x in mentions) or not self.unnamed:
                continue
            name = m.group(1)
            if fold(name.split()[0]) in _NOT_NAMES:
                continue
            code = self.unnamed.pop(0)
            e = _entry(name, code, COMPANY)
            if e is not None:
                self.learned.setdefault(e.words[0], (e,))
                self._keys = frozenset((*self.overlay, *self.learned))
                self._digits = any("0" <= k[:1] <= "9" for k in self._keys)
            mentions = sorted([*mentions, Mention(m.start(1), m.end(1), code, COMPANY)], key=lambda x: x.start)
        return mentions

    def _learn_subjects(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """English: an unknown name as the subject of a move is a company of its own (see _UNKNOWN_SUBJECT)."""
        for m in _UNKNOWN_SUBJECTS.get(self.lang, _UNKNOWN_SUBJECT).finditer(text):
            group = "a" if m.group("a") else "b" if m.group("b") else "c"
            start, end = m.start(group), m.end(group)
            name = m.group(group)
            if name.endswith(("'s", "’s")):
                name, end = name[:-2], end - 2
            lead = _RIVAL_WORD.match(name)  # "Rival Bristol-Myers Squibb": the rival is the name after the word
            if lead and lead.end() < len(name):
                name, start = name[lead.end():], start + lead.end()
            words = name.split()
            if any(x.start < end and start < x.end for x in mentions) or fold(words[0]) in _NOT_NAMES | _NOT_SUBJECTS \
                    or (fold(words[0]) in _GENERIC and (len(words) > 1 or m.group("s") or fold(name) in _COMMON)) \
                    or (len(words) == 1 and len(name) < 3):
                continue
            related = self.overlay.get(fold(words[0]))
            if related:  # "Shares of Exxon Mobil" for the related "Exxon Mobil Corp": that symbol
                code = related[0].code
                if code in self.unnamed:  # "Nu Holdings" for the related NU: named now, not the next unknown's
                    self.unnamed.remove(code)
            elif (m.group("a") or m.group("s")) and self.related and not self.unnamed:
                continue  # "Globex shares jumped" in a story with related symbols: the subject's other name
            else:
                code = self.unnamed.pop(0) if self.unnamed else name
            for key in {_words(name), _words(words[0]) if len(words) > 1 and fold(words[-1]) in _SUFFIX_WORDS else ()}:
                if key:
                    self.learned.setdefault(key[0], ())
                    self.learned[key[0]] = tuple(sorted({*self.learned[key[0]], _Entry(key, code, COMPANY, True, "")},
                                                        key=lambda e: -len(e.words)))
            self._keys = frozenset((*self.overlay, *self.learned))
            mentions = sorted([*mentions, Mention(start, end, code, COMPANY)], key=lambda x: x.start)
        return mentions

    @staticmethod
    def _match(text: str, t: re.Match[str], plan: tuple[_Entry, ...]) -> tuple[int, _Entry] | None:
        """The first entry of ``plan`` the tokens from ``t`` spell: (end of its last token, entry)."""
        following: list[tuple[int, int, str]] = []  # the tokens after ``t`` (start, end, folded), as needed
        last = t.end()
        for entry in plan:
            words = entry.words
            n = len(words)
            if n == 1:
                return last, entry
            while len(following) < n - 1:
                nxt = _TOKEN.search(text, following[-1][1] if following else last)
                if nxt is None:
                    break
                following.append((nxt.start(), nxt.end(), fold(nxt.group())))
            if len(following) < n - 1:
                continue
            prev = last
            for k in range(1, n):
                start, end, key = following[k - 1]
                word = words[k]
                if key != word and not (k == n - 1 and key.startswith(word) and key[len(word):] in ("'s", "s")):
                    break
                if start - prev > 3:  # words of a name are adjacent
                    break
                prev = end
            else:
                return prev, entry
        return None

    def _with_anaphora(self, text: str, mentions: list[Mention]) -> list[Mention]:
        assert self.anaphor is not None
        found = [Mention(m.start(), m.end(), "", ANAPHOR) for m in self.anaphor.finditer(text)]
        if self.index_anaphor is not None:
            found += [Mention(m.start(), m.end(), INDEX_ANAPHOR, INDEX) for m in self.index_anaphor.finditer(text)]
        if not found:
            return mentions
        spans = [(m.start, m.end) for m in mentions]
        keep = []
        for a in found:
            if any(s < a.end and a.start < e for s, e in spans):
                continue
            before = [m for m in mentions if m.end <= a.start]
            if before and text[before[-1].end:a.start].strip() in (",", "('s", "'s ,"):
                continue  # an apposition ("Safran, the French engine maker, ...") names the same company
            if a.kind == INDEX and any(m.kind == INDEX for m in before):
                continue  # "the VIX, the fear gauge, ...": the index this sentence named
            keep.append(a)
        return sorted([*mentions, *keep], key=lambda m: m.start)
