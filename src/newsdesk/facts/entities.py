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
visited, and what a token may begin is cached per language; this finder code is why the module
runs a little over 400 lines.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

COMPANY, INDEX, BANK, ANAPHOR = "company", "index", "bank", "anaphor"

_TOKEN = re.compile(r"[^\W_]+(?:[&'’.\-/+][^\W_]+)*")
#: single-word company names that are also ordinary words: matched only for related symbols
_GENERIC = frozenset(
    ["alarm", "ball", "block", "booking", "box", "cars", "city", "compass", "employers", "everest", "evolution", "fox", "gates", "hub", "integer", "interface", "investor", "match", "now", "news", "next", "noble", "partners", "phoenix", "pool", "progressive", "rational", "southern", "sto", "stride", "target", "universal", "orange", "sharp", "mitsubishi", "sumitomo", "deutsche", "united", "general", "first", "national", "american", "international", "energy", "global", "digital", "dana", "toho", "enact", "insperity", "stepan", "cewe", "dover", "indus", "wiley", "weir", "sage", "loews", "brady", "buckle", "deluxe", "hawkins", "scholastic", "elis", "sixt", "douglas", "rogers", "plexus", "match", "ventas", "resona", "norma", "moog", "besi", "hella", "investor", "kone", "zurich"])
#: names that belong to an index rather than the company sharing them
_INDEX_FIRST = frozenset({"nasdaq", "dow"})

#: Each pattern opens with a character class rather than ``\b`` (the word boundary is the lookbehind
#: after it), so that the regex engine skips to candidates without entering the matcher.
_ANAPHORA = {
    "en": r"[TtIi](?<!\w\w)(?:(?<=[Tt])he|(?<=[Ii])ts) (?:company|group|firm|bank|lender|carrier|retailer|chipmaker|chip maker|automaker|"
          r"carmaker|insurer|airline|giant|conglomerate|manufacturer|producer|miner|operator|brewer|drugmaker|"
          r"software maker|maker|utility|conglomerate|e-commerce giant|iPhone maker)(?!\w)",
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


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity named in a text: ``text[start:end]``, resolved to ``code`` (``""`` for an anaphor)."""

    start: int
    end: int
    code: str
    kind: str


@dataclass(frozen=True, slots=True)
class _Entry:
    words: tuple[str, ...]
    code: str
    kind: str
    cap: bool      # the text must capitalise the first word
    exact: str     # non-empty: the text must spell the first word exactly so (short all-caps names)


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """A word as names are compared: case-folded, accents dropped, typographic apostrophe plain
    (cached: the same words recur in every story)."""
    word = word.casefold().replace("’", "'")
    if not word.isascii():
        word = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    return word


def _words(name: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in _TOKEN.findall(name))


def _rows(filename: str) -> list[list[str]]:
    text = resources.files("newsdesk").joinpath(f"data/facts/{filename}").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return rows[1:]


def code_of_symbol(symbol: str) -> str:
    """``NASDAQ:NVDA`` -> ``NVDA``, ``NYSE:TM`` -> ``7203``, ``HKEX:700`` -> ``0700``, ``LSE:BP.`` -> ``BP``."""
    from newsdesk.tickers import lookup

    symbol = symbol.strip()
    bare = symbol.rpartition(":")[2].strip().lstrip("$")
    if bare in _extra_codes().values():  # the extra table knows this home code (TSE:9984 is SoftBank Group)
        return bare
    info = lookup(symbol) if ":" in symbol else None
    if info is not None:
        return _company_code(info.symbol)
    exchange, _, ticker = symbol.rpartition(":")
    ticker = ticker.strip().lstrip("$")
    extra = _extra_codes().get(ticker.upper())
    if extra:
        return extra
    return _company_code(f"{exchange}:{ticker}")


def _company_code(symbol: str) -> str:
    exchange, _, ticker = symbol.rpartition(":")
    ticker = ticker.rstrip(".")
    if exchange.upper() in {"HKEX", "HKG"} and ticker.isdigit():
        return ticker.zfill(4)
    return ticker


@lru_cache(maxsize=1)
def _extra_codes() -> dict[str, str]:
    """ADR and other codes of the extra table -> the home code."""
    out: dict[str, str] = {}
    for cells in _rows("companies.tsv"):
        code = cells[0]
        for alias in (cells[2].split("|") if len(cells) > 2 and cells[2] else ()):
            out.setdefault(alias.upper(), code)
        out.setdefault(code.upper(), code)
    return out


def _entry(name: str, code: str, kind: str) -> _Entry | None:
    words = _words(name)
    if not words:
        return None
    first = _TOKEN.findall(name)[0]
    exact = first if first.isupper() and len(first) <= 3 and kind == COMPANY else ""
    return _Entry(words, code, kind, cap=first[:1].isupper() or first[:1].isdigit(), exact=exact)


@lru_cache(maxsize=4)
def _base_table(lang: str) -> dict[str, tuple[_Entry, ...]]:
    """First word -> entries starting with it, longest first (companies, then indices and banks win ties)."""
    from newsdesk.tickers import companies

    entries: dict[tuple[str, ...], _Entry] = {}
    col = {"en": 1, "de": 2, "es": 3}.get(lang, 1)
    for filename, kind in (("indices.tsv", INDEX), ("central_banks.tsv", BANK)):
        for cells in _rows(filename):
            names = set(cells[col].split("|")) | set(cells[1].split("|"))
            for name in names:
                e = _entry(name, cells[0], kind)
                if e:
                    entries.setdefault(e.words, e)
    for cells in _rows("companies.tsv"):
        for name in cells[1].split("|"):
            e = _entry(name, cells[0], COMPANY)
            if e and not (len(e.words) == 1 and e.words[0] in _GENERIC):
                entries.setdefault(e.words, e)
    for info in companies():
        code = _company_code(info.symbol)
        for name in (info.name, *info.aliases):
            e = _entry(name, code, COMPANY)
            if e is None or (len(e.words) == 1 and e.words[0] in _GENERIC | _INDEX_FIRST):
                continue
            entries.setdefault(e.words, e)
    if lang == "de":  # "Aktien der Deutschen Pfandbriefbank": the name's leading adjective declines
        for words, e in list(entries.items()):
            if e.kind == COMPANY and len(words) > 1 and words[0] == "deutsche":
                entries.setdefault(("deutschen", *words[1:]), replace(e, words=("deutschen", *words[1:])))
    return _by_first(entries.values())


def _by_first(entries: Iterable[_Entry]) -> dict[str, tuple[_Entry, ...]]:
    table: dict[str, list[_Entry]] = {}
    for e in entries:
        table.setdefault(e.words[0], []).append(e)
    return {k: tuple(sorted(v, key=lambda e: -len(e.words))) for k, v in table.items()}


@lru_cache(maxsize=4)
def _lower_firsts(lang: str) -> frozenset[str]:
    """First words of the names a text may write in lower case ("selectivo español", "índice Nasdaq")."""
    out: set[str] = set()
    for entries in _base_table(lang).values():
        for e in entries:
            if not e.cap:
                out.add(e.words[0])
    return frozenset(out)


@lru_cache(maxsize=8)
def _starts(lang: str, digits: bool = False) -> re.Pattern[str]:
    """Where a token that may begin a name starts: a token start (not after a word character, nor
    after a joiner glued to one) whose first character is not an ASCII lower-case letter, or is the
    first letter of a name written in lower case followed by its second (any case) or a non-ASCII
    letter. The finder checks each start exactly; this only skips the tokens that cannot match.
    Unless ``digits`` (a related or learned name begins with a digit), a token led by an ASCII
    digit is visited only when the table has a name it may begin ("3M", "1&1"): numbers are not."""
    seconds: dict[str, set[str]] = {}
    for word in _lower_firsts(lang):
        if "a" <= word[0] <= "z":
            second = word[1:2]
            seconds.setdefault(word[0], set()).update((second, second.upper()) if second else ())
    lows = "|".join(
        re.escape(c) + (f"(?=[{re.escape(''.join(sorted(v)))}]|[^\\x00-\\x7f])" if v else "")
        for c, v in sorted(seconds.items()))
    if not digits:
        led = sorted({k[:2] for k in _base_table(lang) if "0" <= k[:1] <= "9"})
        lows = "|".join([*(re.escape(k[0]) + (f"(?=[{re.escape(k[1] + k[1].upper())}]|[^\\x00-\\x7f])"
                                                if len(k) > 1 else "") for k in led), *([lows] if lows else [])])
    first = "[^\\W_a-z]" if digits else "[^\\W_a-z0-9]"
    head = r"(?<![^\W_])(?<![^\W_][&'’.\-/+])(?=" + first + (f"|{lows}" if lows else "") + ")"
    return re.compile(head + _TOKEN.pattern)


@lru_cache(maxsize=65536)
def _candidates(lang: str, raw: str) -> tuple[str, ...]:
    """The table keys a token may stand for: its folded form, without a possessive or German
    genitive "s", and (German) the part before a hyphen ("SAP-Aktie")."""
    if not (raw[:1].isalpha() or raw[:1].isdigit()):
        return ()
    key = fold(raw)
    candidates = [key]
    if key.endswith("'s"):
        candidates.append(key[:-2])
    elif lang == "de" and len(key) > 4 and key.endswith("s"):
        candidates.append(key[:-1])
    if "-" in key and lang == "de":  # "SAP-Aktie", "Siemens-Chef"
        candidates.append(key.split("-", 1)[0])
    return tuple(candidates)


def _usable(table: dict[str, tuple[_Entry, ...]], candidates: tuple[str, ...], raw: str) -> tuple[_Entry, ...]:
    """The entries of ``table`` a token ``raw`` may begin, in the order they are tried (the checks
    that need only the token itself are done here)."""
    cap = raw[:1].isupper() or raw[:1].isdigit()
    return tuple(e for c in candidates for e in table.get(c, ())
                 if (not e.exact or raw.startswith(e.exact)) and (cap or not e.cap) and e.words[0] == c)


_Plan = tuple[tuple[_Entry, ...], tuple[str, ...]]
_PLANS: dict[str, dict[str, _Plan]] = {}  # per language: token -> (table entries it may begin, candidates)
_NO_PLAN: _Plan = ((), ())


def _base_plan(lang: str, raw: str) -> _Plan:
    """What the bundled table says about token ``raw``: the entries it may begin and its candidate
    keys (both empty for a lower-case word no name starts with). Cached per language (bounded)."""
    plans = _PLANS.setdefault(lang, {})
    got = plans.get(raw)
    if got is None:
        if raw[0].islower() and raw.lower() not in _lower_firsts(lang) and (
                raw.isascii() or fold(raw) not in _lower_firsts(lang)):
            got = _NO_PLAN
        else:
            candidates = _candidates(lang, raw)
            got = (_usable(_base_table(lang), candidates, raw), candidates)
        if len(plans) > 100_000:
            plans.clear()
        plans[raw] = got
    return got


@lru_cache(maxsize=256)
def _related(symbols: tuple[str, ...]) -> tuple[tuple[str, ...], dict[str, tuple[_Entry, ...]]]:
    """The related symbols' codes and an overlay table of their names and tickers."""
    from newsdesk.tickers import lookup

    codes: list[str] = []
    entries: dict[tuple[str, ...], _Entry] = {}
    extra_names = {cells[0]: cells[1].split("|") for cells in _rows("companies.tsv")}
    for symbol in symbols:
        if not isinstance(symbol, str) or not symbol.strip() or len(symbol) > 80:
            continue
        code = code_of_symbol(symbol)
        if not code or code in codes:
            continue
        codes.append(code)
        info = lookup(symbol) if ":" in symbol else None
        names = [*extra_names.get(code, ())]
        tickers = [code, symbol.rpartition(":")[2].strip().lstrip("$")]
        if info is not None:
            names += [info.name, *info.aliases]
            tickers += [s.rpartition(":")[2] for s in info.all_symbols]
        for name in names:
            e = _entry(name, code, COMPANY)
            if e:
                entries[e.words] = _Entry(e.words, code, COMPANY, cap=True, exact="")
        for ticker in tickers:
            ticker = ticker.rstrip(".")
            if len(ticker) >= 2 and ticker.upper() == ticker:
                words = _words(ticker)
                if words:
                    entries.setdefault(words, _Entry(words, code, COMPANY, cap=True, exact=ticker))
    return tuple(codes), _by_first(entries.values())


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


@lru_cache(maxsize=1)
def index_codes() -> frozenset[str]:
    """The codes of the named indices."""
    return frozenset(cells[0] for cells in _rows("indices.tsv"))


@lru_cache(maxsize=1)
def bank_codes() -> frozenset[str]:
    """The codes of the central banks."""
    return frozenset(cells[0] for cells in _rows("central_banks.tsv"))
