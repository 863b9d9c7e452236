#!/usr/bin/env python3
"""Write the bundled symbol list ``src/newsdesk/data/symbols/symbols.tsv`` from pytickersymbols.

pytickersymbols (MIT, https://pypi.org/project/pytickersymbols/) bundles the constituents of
20 US, European and Japanese indices with company names, ISINs and several listings per company
(Yahoo and Google symbols). This tool turns them into one row per company with a TradingView-style
home listing (``EXCHANGE:TICKER``), the company's US depositary/OTC codes and its other listings.
It needs the package (``pip install -e .[bench]``) and is never run by tests::

    .venv/bin/python tools/make_symbols.py

How a home listing is found, in order: the Yahoo suffix of the company's main symbol (``SAP.DE``
-> XETR, ``BP.L`` -> LSE, ``MC.PA`` -> EURONEXT ...); for a US symbol, the Google prefix of that
listing, then the Wikipedia "traded as" text, then membership of the Nasdaq-100; the rest of the
US symbols get NYSE for 1-3 letters and NASDAQ for 4-5 (the old US convention: marked ``~`` in
the ``flags`` column). A company whose main symbol is only a Frankfurt or OTC code and whose
"traded as" names no home listing gets none (``home`` flag absent): its listings are kept.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "newsdesk" / "data" / "symbols" / "symbols.tsv"

US_EXCHANGES = ("NASDAQ", "NYSE", "AMEX")
US_INDICES = {"DOW JONES", "NASDAQ 100", "S&P 100", "S&P 500", "S&P 600"}

#: Yahoo suffix -> TradingView exchange.
YAHOO_SUFFIX = {
    "DE": "XETR", "F": "FWB", "L": "LSE", "MC": "BME", "AS": "EURONEXT", "PA": "EURONEXT",
    "BR": "EURONEXT", "LS": "EURONEXT", "IR": "EURONEXT", "SW": "SIX", "VX": "SIX", "T": "TSE",
    "HE": "OMXHEX", "ST": "OMXSTO", "CO": "OMXCOP", "OL": "OSL", "MI": "MIL", "VI": "VIE",
    "TO": "TSX",
}
#: Google Finance prefix -> TradingView exchange.
GOOGLE_PREFIX = {
    "NYSE": "NYSE", "NASDAQ": "NASDAQ", "NYSEAMERICAN": "AMEX", "NYSEARCA": "AMEX", "OTCMKTS": "OTC",
    "FRA": "FWB", "ETR": "XETR", "LON": "LSE", "BME": "BME", "AMS": "EURONEXT", "EPA": "EURONEXT",
    "EBR": "EURONEXT", "ELI": "EURONEXT", "SWX": "SIX", "STO": "OMXSTO", "HEL": "OMXHEX",
    "TYO": "TSE", "BIT": "MIL", "VIE": "VIE", "CPH": "OMXCOP", "OSL": "OSL", "TSE": "TSX",
}
#: Exchange names in Wikipedia's "traded as" text -> TradingView exchange (longest first).
TRADED_AS = {
    "Euronext Paris": "EURONEXT", "Euronext Amsterdam": "EURONEXT", "Euronext Brussels": "EURONEXT",
    "Euronext Lisbon": "EURONEXT", "Euronext Dublin": "EURONEXT", "Euronext": "EURONEXT",
    "Nasdaq Helsinki": "OMXHEX", "Nasdaq Stockholm": "OMXSTO", "Nasdaq Copenhagen": "OMXCOP",
    "NYSE American": "AMEX", "NYSE Arca": "AMEX", "NYSE": "NYSE", "Nasdaq": "NASDAQ",
    "NASDAQ": "NASDAQ", "FWB": "XETR", "Xetra": "XETR", "LSE": "LSE", "SIX": "SIX", "BMAD": "BME",
    "BME": "BME", "TYO": "TSE", "TSE": "TSE", "OMXH": "OMXHEX", "OMXS": "OMXSTO",
}
TRADED_AS_RE = re.compile(
    r"(" + "|".join(re.escape(k) for k in sorted(TRADED_AS, key=len, reverse=True)) + r")"
    r"\s*:\s*([A-Z0-9][A-Z0-9]{0,5}(?:[.\-][A-Z0-9]{1,2})?)(?![A-Za-z0-9])(\s*\(\s*ADR\s*\))?")
#: Index -> the exchange of its constituents' home listings.
INDEX_HOME = {
    "AEX": "EURONEXT", "BEL 20": "EURONEXT", "CAC_40": "EURONEXT", "CAC Mid 60": "EURONEXT",
    "DAX": "XETR", "MDAX": "XETR", "SDAX": "XETR", "TecDAX": "XETR", "FTSE 100": "LSE",
    "IBEX 35": "BME", "NIKKEI 225": "TSE", "OMX Helsinki 25": "OMXHEX",
    "OMX Stockholm 30": "OMXSTO", "Switzerland 20": "SIX",
}
EXCHANGE_COUNTRY = {
    "XETR": "DE", "FWB": "DE", "LSE": "GB", "BME": "ES", "SIX": "CH", "TSE": "JP", "OMXHEX": "FI",
    "OMXSTO": "SE", "OMXCOP": "DK", "OSL": "NO", "MIL": "IT", "VIE": "AT", "TSX": "CA",
    "NYSE": "US", "NASDAQ": "US", "AMEX": "US",
}
EURONEXT_COUNTRIES = {"FR", "NL", "BE", "PT", "IE", "LU", "IT", "NO"}
COUNTRIES = {
    "United States": "US", "Germany": "DE", "United Kingdom": "GB", "France": "FR", "Spain": "ES",
    "Netherlands": "NL", "Finland": "FI", "Sweden": "SE", "Switzerland": "CH", "Belgium": "BE",
    "Japan": "JP", "Luxembourg": "LU", "Ireland": "IE", "Italy": "IT", "Denmark": "DK",
    "Norway": "NO", "Austria": "AT", "Portugal": "PT", "Canada": "CA", "Bermuda": "BM",
    "Jersey": "JE", "Guernsey": "GG", "Isle of Man": "IM", "Israel": "IL", "China": "CN",
    "Australia": "AU", "Mexico": "MX", "Chile": "CL", "Russia": "RU", "South Africa": "ZA",
    "Greece": "GR", "Czech Republic": "CZ", "Poland": "PL", "Cyprus": "CY", "Singapore": "SG",
    "Hong Kong": "HK", "India": "IN", "Brazil": "BR", "Puerto Rico": "PR", "Panama": "PA",
    "Cayman Islands": "KY", "Taiwan": "TW", "South Korea": "KR", "Uruguay": "UY",
}
LEGAL = re.compile(
    r"(?:,?\s+(?:Inc\.?|Incorporated|Corporation|Corp\.?|Company|Co\.|plc|PLC|p\.l\.c\.|AG|SE|S\.A\.?|SA"
    r"|N\.V\.|NV|Ltd\.?|Limited|Holdings?|Group|GmbH|KGaA|& Co\.? KGaA|S\.p\.A\.|SpA|ASA|AB|Oyj|Oy"
    r"|A/S|S\.A\.B\. de C\.V\.|Co\., Ltd\.|Aktiengesellschaft|SE & Co\.|\(The\)))+$")


def tv_ticker(exchange: str, raw: str) -> str:
    """A Yahoo/Google ticker as TradingView spells it on ``exchange``."""
    ticker = raw.upper()
    if exchange in ("OMXSTO", "OMXHEX", "OMXCOP"):
        return ticker.replace("-", "_").replace(".", "_")
    ticker = ticker.replace("-", ".")
    if exchange == "LSE":
        ticker = ticker.rstrip(".")
        if "." not in ticker and len(ticker) < 3:
            ticker += "."
    return ticker


def from_yahoo(symbol: str) -> tuple[str, str] | None:
    """``(exchange, ticker)`` of a suffixed Yahoo symbol, or None (US symbols have no suffix)."""
    base, dot, suffix = symbol.rpartition(".")
    if dot and suffix in YAHOO_SUFFIX and re.fullmatch(r"[A-Z0-9&]{1,6}(-[A-Z0-9]{1,2})?", base):
        exchange = YAHOO_SUFFIX[suffix]
        return exchange, tv_ticker(exchange, base)
    return None


def from_google(symbol: str) -> tuple[str, str] | None:
    prefix, colon, ticker = symbol.partition(":")
    if colon and prefix in GOOGLE_PREFIX and re.fullmatch(r"[A-Z0-9]{1,6}([.\-][A-Z0-9]{1,2})?", ticker):
        if ticker.rpartition(".")[2] in YAHOO_SUFFIX and "." in ticker:
            return None  # a Yahoo symbol stored as a Google ticker ("ETR:AIR.PA")
        exchange = GOOGLE_PREFIX[prefix]
        return exchange, tv_ticker(exchange, ticker)
    return None


def traded_as(company: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """``(exchange, ticker, is_adr)`` pairs named in the company's "traded as" text."""
    text = str((company.get("metadata") or {}).get("traded_as") or "")
    out = []
    for name, ticker, adr in TRADED_AS_RE.findall(text):
        exchange = TRADED_AS[name]
        out.append((exchange, tv_ticker(exchange, ticker), bool(adr)))
    return out


def home_listing(company: dict[str, Any], indices: set[str]) -> tuple[str, str, str] | None:
    """``(exchange, ticker, flag)`` of the home listing; flag "~" when the US exchange is a guess."""
    main = str(company.get("symbol") or "")
    pairs = traded_as(company)
    if main and (hit := from_yahoo(main)) and hit[0] != "FWB":
        return hit[0], hit[1], ""
    index_home = {INDEX_HOME[i] for i in indices if i in INDEX_HOME}
    if main and "." not in main.strip(".") or re.fullmatch(r"[A-Z]{1,4}\.[A-Z]", main or ""):
        us = indices & US_INDICES
        ticker = tv_ticker("NYSE", main)
        for listing in company.get("symbols") or []:
            hit = from_google(str(listing.get("google"))) if listing.get("yahoo") == main else None
            if hit and hit[0] in US_EXCHANGES:
                return hit[0], ticker, ""
        for exchange, t, _ in pairs:
            if exchange in US_EXCHANGES and t == ticker and (us or not index_home):
                return exchange, ticker, ""
        if us and not index_home:
            if "NASDAQ 100" in indices:
                return "NASDAQ", ticker, ""
            if re.fullmatch(r"[A-Z]{1,5}(\.[A-Z])?", ticker):
                return ("NYSE" if len(ticker.split(".")[0]) <= 3 else "NASDAQ"), ticker, "~"
    for exchange, t, adr in pairs:  # a European/Japanese company named by its home exchange
        if not adr and exchange in index_home:
            return exchange, t, ""
    return None


def short_names(name: str) -> list[str]:
    """Shorter forms of a company name: legal suffixes dropped, ``Amazon.com`` -> ``Amazon``."""
    out: list[str] = []
    base = name.strip()
    for candidate in (LEGAL.sub("", base), re.sub(r"^The\s+", "", LEGAL.sub("", base))):
        candidate = candidate.strip(" ,")
        for form in (candidate, re.sub(r"\.com$", "", candidate), re.sub(r"\s*\(.*\)$", "", candidate)):
            form = form.strip(" ,")
            if len(form) >= 2 and form != base and form not in out:
                out.append(form)
    return out


def country_of(company: dict[str, Any], isins: list[str], exchange: str) -> str:
    raw = str(company.get("country") or "").strip()
    if raw in COUNTRIES:
        return COUNTRIES[raw]
    if re.fullmatch(r"[^,]+,\s*[A-Z][a-zA-Z .]+", raw):  # "Dearborn, Michigan": US headquarters
        tail = raw.rsplit(",", 1)[1].strip()
        return COUNTRIES.get(tail, "US")
    if isins and re.fullmatch(r"[A-Z]{2}", isins[0][:2]) and not isins[0].startswith("XS"):
        return isins[0][:2]
    return EXCHANGE_COUNTRY.get(exchange, "")


def clean(text: Any) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text or "")).replace("\t", " ").split())


def entries(indices_data: dict[str, Any]) -> list[dict[str, Any]]:
    """One record per distinct index member: its home listing (if any), listings, ISINs, indices."""
    members: dict[str, tuple[dict[str, Any], set[str]]] = {}
    for index_name, index in indices_data.items():
        for company in index.get("companies") or []:
            key = str(company.get("symbol") or company.get("name"))
            members.setdefault(key, (company, set()))[1].add(index_name)
    out = []
    for company, indices in members.values():
        listings: list[tuple[str, str]] = []
        for listing in company.get("symbols") or []:
            hit = from_google(str(listing.get("google") or "")) or from_yahoo(str(listing.get("yahoo") or ""))
            if hit and hit not in listings:
                listings.append(hit)
        listings += [(e, t) for e, t, _ in traded_as(company) if e in US_EXCHANGES and (e, t) not in listings]
        isins = [str(i) for i in company.get("isins") or [] if re.fullmatch(r"[A-Z]{2}[A-Z0-9]{9}[0-9]", str(i))]
        name = clean(company.get("name"))
        home = home_listing(company, indices)
        if name and (home or listings):
            out.append({"name": name, "home": home, "listings": listings, "isins": isins,
                        "indices": indices, "company": company})
    return out


def home_rank(home: tuple[str, str, str], country: str) -> tuple[int, int]:
    """Sort key of candidate home listings: the company's own country first, then not guessed."""
    exchange = home[0]
    own = country in (EURONEXT_COUNTRIES if exchange == "EURONEXT" else {EXCHANGE_COUNTRY.get(exchange)})
    return (0 if own else 1, 1 if home[2] else 0)


def company_rows(indices_data: dict[str, Any]) -> list[list[str]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for entry in entries(indices_data):
        home = entry["home"]
        key = entry["isins"][0] if entry["isins"] else (f"{home[0]}:{home[1]}" if home else entry["name"])
        groups.setdefault(key, []).append(entry)
    rows = []
    for group in groups.values():
        first = group[0]
        isins = list(dict.fromkeys(i for e in group for i in e["isins"]))
        homes = [e["home"] for e in group if e["home"]]
        country = country_of(first["company"], isins, homes[0][0] if homes else "")
        homes.sort(key=lambda h: home_rank(h, country))
        home = homes[0] if homes else None
        pairs = [h[:2] for h in homes[1:]] + [p for e in group for p in e["listings"]]
        pairs = [p for p in dict.fromkeys(pairs) if not home or p != home[:2]]
        foreign = bool(home) and home[0] not in US_EXCHANGES
        if home:
            adrs = [f"{e}:{t}" for e, t in pairs if foreign and e in US_EXCHANGES + ("OTC",)]
        else:
            adrs = [f"{e}:{t}" for e, t in pairs if e == "OTC" and t.endswith("Y")]
        others = [f"{e}:{t}" for e, t in pairs if f"{e}:{t}" not in adrs]
        indices = sorted(set().union(*(e["indices"] for e in group)))
        rows.append([f"{home[0]}:{home[1]}" if home else "", first["name"], "|".join(short_names(first["name"])),
                     country, " ".join(isins), " ".join(adrs), " ".join(others), "|".join(indices),
                     ("home" + home[2]) if home else ""])
    rows.sort(key=lambda r: (r[0] == "", r[0] or r[1]))
    return rows


def main() -> int:
    from pytickersymbols.indices_data import INDICES

    rows = company_rows(INDICES)
    header = (f"# newsdesk symbol list: {len(rows)} companies. Source: pytickersymbols "
              f"{version('pytickersymbols')} (MIT, index constituents from Wikipedia with Yahoo/Google "
              f"listings), generated {date.today().isoformat()} by tools/make_symbols.py.\n")
    columns = "symbol\tname\taliases\tcountry\tisins\tadrs\tlistings\tindices\tflags\n"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text(header + columns + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    tmp.replace(OUT)
    homes = sum(1 for r in rows if r[0])
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} companies, {homes} with a home listing", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
