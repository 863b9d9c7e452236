"""Tickers in story text (newsdesk.tickers): cashtags, exchange notations, Company (TICKER)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import fuzz_settings

from newsdesk.tickers import (
    EXCHANGE_ALIASES,
    SymbolInfo,
    canonical_exchange,
    companies,
    data_source,
    find_symbols,
    lookup,
)

LISTED = frozenset(symbol for info in companies() for symbol in info.all_symbols)
SYMBOL_SHAPE = re.compile(r"[A-Z]+:[A-Z0-9]{1,6}(?:[._][A-Z0-9]{1,3})?\.?")


# --- the list ------------------------------------------------------------------------------------

def test_list_covers_the_major_us_and_european_exchanges() -> None:
    homes = [info for info in companies() if info.home]
    assert len(homes) >= 1500
    by_exchange = {ex: sum(1 for i in homes if i.exchange == ex) for ex in
                   ("NASDAQ", "NYSE", "XETR", "LSE", "EURONEXT", "BME", "SIX", "TSE")}
    assert by_exchange["NASDAQ"] >= 300 and by_exchange["NYSE"] >= 400
    assert by_exchange["LSE"] >= 90 and by_exchange["XETR"] >= 100 and by_exchange["EURONEXT"] >= 60
    assert by_exchange["BME"] >= 30 and by_exchange["SIX"] >= 15 and by_exchange["TSE"] >= 200


def test_every_listed_symbol_is_tradingview_shaped_and_found_again() -> None:
    for info in companies():
        for symbol in info.all_symbols:
            assert SYMBOL_SHAPE.fullmatch(symbol), symbol
        if info.home:
            assert lookup(info.symbol) is info


def test_list_rows_carry_what_entity_tables_need() -> None:
    sap = lookup("XETR:SAP")
    assert sap is not None and sap.name == "SAP" and sap.country == "DE"
    assert sap.isins[0] == "DE0007164600" and "NYSE:SAP" in sap.adrs and "DAX" in sap.indices
    apple = lookup("AAPL")
    assert apple is not None and apple.symbol == "NASDAQ:AAPL" and "Apple" in apple.aliases
    assert apple.country == "US" and apple.exchange == "NASDAQ" and apple.ticker == "AAPL"
    nestle = lookup("NSRGY")
    assert nestle is not None and nestle.symbol == "SIX:NESN" and "OTC:NSRGY" in nestle.adrs


def test_data_source_names_package_and_date() -> None:
    source = data_source()
    assert "pytickersymbols" in source and re.search(r"\d{4}-\d{2}-\d{2}", source)


# --- cashtags ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("$AMZN", ("NASDAQ:AMZN",)),
    ("Shares of $AAPL rose 2% while $MSFT slipped.", ("NASDAQ:AAPL", "NASDAQ:MSFT")),
    ("$F and $GM both reported", ("NYSE:F", "NYSE:GM")),
    ("Berkshire ($BRK.B) added", ("NYSE:BRK.B",)),
    ("Watching $TSLA, $TSLA and $tsla today", ("NASDAQ:TSLA",)),
    ("$AMZN's cloud unit grew", ("NASDAQ:AMZN",)),
    ("Top movers: $NVDA; $META.", ("NASDAQ:NVDA", "NASDAQ:META")),
    ("Is $IT cheap?", ("NYSE:IT",)),
])
def test_cashtags(text: str, expected: tuple[str, ...]) -> None:
    assert find_symbols(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("$SAP beat estimates", "XETR:SAP"),  # NYSE ADR too: the home listing wins
    ("$BP cut its dividend", "LSE:BP."),
    ("$NSRGY (Nestlé's ADR) fell", "SIX:NESN"),
    ("$TM sold more cars", "TSE:7203"),
    ("$ASML guided higher", "EURONEXT:ASML"),
    ("$SAN shares", "BME:SAN"),  # Santander's NYSE ADR outranks Sanofi's EURONEXT:SAN
    ("$AIR rallied", "NYSE:AIR"),  # AAR Corp. on NYSE, not Airbus on Euronext
    ("$ADS in Germany", "XETR:ADS"),
])
def test_cashtag_of_a_ticker_listed_on_several_exchanges_is_its_home_listing(text: str, expected: str) -> None:
    assert find_symbols(text) == (expected,)


@pytest.mark.parametrize("text", [
    "$FB fell after the earnings call",  # Facebook became Meta (META): $FB is gone
    "$TWTR was taken private",
    "$XYZQ and $QQQQQQQ",
    "It costs $5, or $1.5 billion, or $20M, or $ 7.",
    "Revenue of US$5 billion and A$10 and C$3 and HK$8 and R$2",
    "abc$AMZN x$AAPL 5$MSFT",
    "See https://example.com/$AMZN and https://t.co/x?s=$AAPL&u=$MSFT",
    "mail me at desk$AMZN@example.com",
    "lower case $amzn and $Aapl do not count",
    "$AMZNX is not Amazon",
    "$AI abroad and $RR",  # two-letter home tickers outside the US never by cashtag
    "$USD $EUR $BTC $CEO $EPS",
    "$$AMZN",
])
def test_cashtag_traps(text: str) -> None:
    assert find_symbols(text) == ()


# --- exchange notations --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Amazon.com, Inc. (NASDAQ: AMZN) today announced", ("NASDAQ:AMZN",)),
    ("(NASDAQ:AMZN)", ("NASDAQ:AMZN",)),
    ("IBM (NYSE:IBM) will report", ("NYSE:IBM",)),
    ("Amazon (Nasdaq: AMZN)", ("NASDAQ:AMZN",)),
    ("Apple Inc. (NasdaqGS: AAPL)", ("NASDAQ:AAPL",)),
    ("SAP SE (Xetra: SAP)", ("XETR:SAP",)),
    ("SAP (XETRA:SAP) and SAP (ETR: SAP)", ("XETR:SAP",)),
    ("BP p.l.c. (LSE: BP.)", ("LSE:BP.",)),
    ("BP (LSE: BP) and BP (LON:BP) and BP (London Stock Exchange: BP)", ("LSE:BP.",)),
    ("LVMH (Euronext Paris: MC)", ("EURONEXT:MC",)),
    ("LVMH (EPA: MC) and ASML (Euronext Amsterdam: ASML)", ("EURONEXT:MC", "EURONEXT:ASML")),
    ("Banco Santander (BME: SAN)", ("BME:SAN",)),
    ("Iberdrola (Bolsa de Madrid: IBE)", ("BME:IBE",)),
    ("Nestlé (SIX: NESN) and Novartis (SIX Swiss Exchange: NOVN)", ("SIX:NESN", "SIX:NOVN")),
    ("Toyota (TYO: 7203)", ("TSE:7203",)),
    ("Volvo (Nasdaq Stockholm: VOLV B) or (Nasdaq Stockholm: VOLV-B)", ("OMXSTO:VOLV_B",)),
    ("SAP's ADR (NYSE: SAP)", ("NYSE:SAP",)),  # the listing named, not the home one
    ("Berkshire Hathaway (NYSE: BRK.A, BRK.B)", ("NYSE:BRK.A", "NYSE:BRK.B")),
    ("Alphabet (Nasdaq: GOOGL, GOOG)", ("NASDAQ:GOOGL", "NASDAQ:GOOG")),
    ("Block (NYSE American: XYZ)", ("NYSE:XYZ",)),  # same US market: the listed exchange
    ("NASDAQ:AMZN NYSE:IBM XETR:SAP EURONEXT:MC", ("NASDAQ:AMZN", "NYSE:IBM", "XETR:SAP", "EURONEXT:MC")),
    ("Listed on the NYSE: IBM.", ("NYSE:IBM",)),
    ("Shares (NYSE : IBM ) rose", ("NYSE:IBM",)),
    ("Shares (NYSE:\u00a0IBM) rose", ("NYSE:IBM",)),
])
def test_exchange_notations(text: str, expected: tuple[str, ...]) -> None:
    assert find_symbols(text) == expected


def test_notation_of_a_guessed_us_exchange_keeps_the_texts_exchange() -> None:
    guessed = next(i for i in companies() if i.guessed and i.exchange == "NASDAQ" and "." not in i.ticker)
    assert find_symbols(f"{guessed.name} (NYSE: {guessed.ticker})") == (f"NYSE:{guessed.ticker}",)
    assert find_symbols(f"${guessed.ticker}") == (guessed.symbol,)


@pytest.mark.parametrize("text", [
    "(NYSE: FB)",  # delisted
    "Royal Bank of Canada (TSX: RY)",  # not in the list
    "nasdaq: amzn", "NASDAQ: amzn", "Nasdaq: Amazon rallied",
    "Nasdaq: AI stocks rally as NYSE: A record day closes",  # headings, not notations
    "EPA: NEW RULES",  # the agency
    "https://example.com/NASDAQ:AMZN and www.example.com/q=NYSE:IBM",
    "PETR: IBM", "ANYSE: IBM", "NYSE_IBM", "NYSE-IBM",
    "Note: IBM said", "Source: CEO interview", "Time: 10:30 ET",
    "(NASDAQ: AMZNX)", "(NYSE: IBM1)",
    "Ticker: AAPL", "Symbol: IBM", "ISIN: DE0007164600", "SAP (WKN: 716460)", "Q3 EPS (GAAP): $1.20",
    "(NYSE) IBM", "S&P 500: AAPL leads", "NYSE closed: IBM",
])
def test_notation_traps(text: str) -> None:
    assert find_symbols(text) == ()


def test_exchange_aliases_map_to_canonical_prefixes() -> None:
    assert canonical_exchange("Nasdaq") == "NASDAQ" and canonical_exchange("XETRA") == "XETR"
    assert canonical_exchange("NYSE  American") == "AMEX" and canonical_exchange("LON") == "LSE"
    assert canonical_exchange("six") is None and canonical_exchange(None) is None  # type: ignore[arg-type]
    assert set(EXCHANGE_ALIASES.values()) >= {"NASDAQ", "NYSE", "AMEX", "XETR", "LSE", "EURONEXT", "BME",
                                              "SIX", "TSX"}


# --- Company (TICKER) ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Apple Inc. (AAPL) unveiled", ("NASDAQ:AAPL",)),
    ("Apple (AAPL) unveiled", ("NASDAQ:AAPL",)),
    ("Amazon.com, Inc. (AMZN) said", ("NASDAQ:AMZN",)),
    ("Microsoft Corp (MSFT) and Alphabet Inc. (GOOGL)", ("NASDAQ:MSFT", "NASDAQ:GOOGL")),
    ("Ford Motor Co. (F) recalled", ("NYSE:F",)),
    ("Gartner, Inc. (IT) raised", ("NYSE:IT",)),
    ("Agilent Technologies (A) reported", ("NYSE:A",)),
    ("SAP SE (SAP) reported", ("XETR:SAP",)),
    ("Apple Inc (AAPL.O) and BP (BP.L)", ("NASDAQ:AAPL", "LSE:BP.")),
    ("shares of the Coca-Cola Company (KO)", ("NYSE:KO",)),
])
def test_bare_ticker_after_company_name(text: str, expected: tuple[str, ...]) -> None:
    assert find_symbols(text) == expected


@pytest.mark.parametrize("text", [
    "(AAPL)", "Shares rose (AAPL)", "Samsung (AAPL)", "Apple Inc. (MSFT)",
    "Apple (A) and Microsoft (B)", "earnings per share (EPS)", "artificial intelligence (AI)",
    "information technology (IT)", "the Federal Reserve (Fed)", "Apple Inc. ( AAPL )",
    "https://en.wikipedia.org/wiki/Apple_Inc._(AAPL)", "Apple Inc.(aapl)",
])
def test_bare_ticker_traps(text: str) -> None:
    assert find_symbols(text) == ()


# --- upper-case words that are not tickers -------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The Fed held rates; the internet boomed; NET income rose.",
    "A rally in IT stocks lifted the index. I think AI will matter, the CEO said.",
    "EPS of $1.86 beat; USD weakened; F-150 sales rose; GDP grew.",
    "F. Scott Fitzgerald wrote. IBM AAPL MSFT SAP NVDA in a bare list count for nothing.",
    "Share on Facebook Share on Twitter Share on LinkedIn Tweet Email Print FB TW LI",
    "SHARE: FACEBOOK TWITTER EMAIL",
])
def test_bare_upper_case_words_never_count(text: str) -> None:
    assert find_symbols(text) == ()


# --- realistic stories ---------------------------------------------------------------------------

def test_press_release() -> None:
    text = ("SEATTLE--(BUSINESS WIRE)--Amazon.com, Inc. (NASDAQ: AMZN) today announced financial results "
            "for its third quarter ended September 30. Net sales increased 11% to $158.9 billion, compared "
            "with $143.1 billion in the third quarter of 2023. Operating income increased to $17.4 billion. "
            "“We're seeing strong growth,” said Andy Jassy, President and CEO. Amazon.com, Inc. (NASDAQ: AMZN) "
            "will hold a conference call; see https://ir.aboutamazon.com/ for details. AWS segment EPS was "
            "not disclosed.")
    assert find_symbols(text) == ("NASDAQ:AMZN",)


def test_news_story_keeps_order_of_first_appearance() -> None:
    text = ("Stocks fell on Tuesday as the Fed signalled patience. Shares of Nvidia ($NVDA) dropped 3%, "
            "while Apple Inc. (AAPL) edged higher. In Europe, SAP SE (Xetra: SAP) gained after the German "
            "software maker raised its cloud outlook, and BP p.l.c. (LSE: BP.) slid with oil. $NVDA later "
            "recovered. Analysts at Goldman Sachs (NYSE: GS) said the AI trade was far from over; US$2 "
            "trillion has been added to IT stocks this year. The S&P 500 closed 0.4% lower.")
    assert find_symbols(text) == ("NASDAQ:NVDA", "NASDAQ:AAPL", "XETR:SAP", "LSE:BP.", "NYSE:GS")


def test_european_wire_story() -> None:
    text = ("PARIS, 23 octobre -- LVMH (Euronext Paris: MC) a publié un chiffre d'affaires en baisse. "
            "Nestlé S.A. (SIX: NESN) et Novartis (SIX: NOVN) ont progressé, Banco Santander (BME: SAN) "
            "a reculé. Siemens AG (XETRA: SIE) und Allianz (Xetra: ALV) legten zu.")
    assert find_symbols(text) == ("EURONEXT:MC", "SIX:NESN", "SIX:NOVN", "BME:SAN", "XETR:SIE", "XETR:ALV")


def test_social_post_with_share_buttons() -> None:
    text = ("$TSLA breaking out 🚀🚀 $AAPL next? Not financial advice. #stocks @trader $5 → $50 "
            "Share: Facebook | Twitter | $FB | Email")
    assert find_symbols(text) == ("NASDAQ:TSLA", "NASDAQ:AAPL")


# --- lookup --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "expected"), [
    ("AMZN", "NASDAQ:AMZN"), ("$AMZN", "NASDAQ:AMZN"), ("amzn", "NASDAQ:AMZN"),
    ("NASDAQ:AMZN", "NASDAQ:AMZN"), ("Nasdaq: AMZN", "NASDAQ:AMZN"), ("NYSE:SAP", "XETR:SAP"),
    ("LSE:BP.", "LSE:BP."), ("LSE:BP", "LSE:BP."), ("BRK-B", "NYSE:BRK.B"), ("OMXSTO:VOLV-B", "OMXSTO:VOLV_B"),
])
def test_lookup(query: str, expected: str) -> None:
    info = lookup(query)
    assert isinstance(info, SymbolInfo) and info.symbol == expected


@pytest.mark.parametrize("query", ["FB", "$FB", "NYSE:FB", "", ":", "NASDAQ:", "XX:AMZN", "x" * 10_000,
                                   None, 42, b"AMZN", "\ud800", "AMZN\x00"])
def test_lookup_misses(query: object) -> None:
    assert lookup(query) is None  # type: ignore[arg-type]


# --- hostile input -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "$" * 1_000_000, "(" * 1_000_000, "A " * 500_000, "Apple Inc. (" * 100_000, "$A" * 500_000,
    "\ud800$AMZN\x00" * 100_000, "x" * 1_000_000 + "$AMZN", "(NYSE: A" + ", A" * 300_000,
    # every piece a candidate match (linear, but each costs a look-up): 200 KB is enough to show it
    "NASDAQ: " * 25_000, "NYSE:" * 40_000, "(NYSE: A, A, A, A" * 12_000,
    "Nasdaq Stockholm Nasdaq Stockholm " * 6_000,
])
def test_huge_hostile_texts_return(text: str) -> None:
    result = find_symbols(text)
    assert isinstance(result, tuple) and set(result) <= LISTED


def test_non_text_input_gives_nothing() -> None:
    for value in (None, 42, b"$AMZN", ["$AMZN"], 1.5):
        assert find_symbols(value) == ()  # type: ignore[arg-type]


def test_controls_surrogates_and_emoji_around_tickers() -> None:
    text = "\x00$AMZN\x07 \ud83d (NYSE:\tIBM)\u200b 🚀$TSLA🚀 \ufeffApple Inc. (AAPL)\x1b[0m"
    assert find_symbols(text) == ("NASDAQ:AMZN", "NYSE:IBM", "NASDAQ:TSLA", "NASDAQ:AAPL")


PIECES = st.sampled_from([
    "$AMZN", "$FB", "$1.5", "US$5", "(NYSE: IBM)", "NASDAQ:AAPL", "Nasdaq: ", "Apple Inc. (AAPL)", "(",
    ")", "$", ":", " ", "Xetra: SAP", "LSE: BP.", "(NYSE: BRK.A, BRK.B)", "Fed", "CEO", "IT", "A", "\ud800",
    "🚀", "\x00", "https://x.com/", ", ", " and ", "NYSE American: ", "GDDY", "(TSX: RY)", "SAP SE (",
])
HOSTILE_TEXT = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join)


@fuzz_settings(300)
@given(HOSTILE_TEXT)
def test_property_never_raises_and_results_are_listed(text: str) -> None:
    result = find_symbols(text)
    assert isinstance(result, tuple) and len(result) == len(set(result))
    for symbol in result:
        info = lookup(symbol)
        assert info is not None
        assert symbol in LISTED or (info.guessed and symbol.endswith(":" + info.ticker))


@fuzz_settings(200)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=200))
def test_property_any_unicode(text: str) -> None:
    assert set(find_symbols(text)) <= LISTED | {f"{ex}:{i.ticker}" for i in companies() if i.guessed
                                                 for ex in ("NYSE", "NASDAQ", "AMEX")}
    lookup(text)
