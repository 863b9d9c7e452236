"""The extractor (newsdesk.facts.extract) and its entity resolution: companies, indices, central banks, related symbols, anaphora."""

from __future__ import annotations

import pytest

from newsdesk.facts.entities import ANAPHOR, BANK, COMPANY, INDEX, Resolver, code_of_symbol


@pytest.mark.parametrize(("symbol", "code"), [
    ("NASDAQ:NVDA", "NVDA"), ("NYSE:TM", "7203"), ("HKEX:700", "0700"), ("LSE:BP.", "BP"), ("XETR:SAP", "SAP"),
    ("NYSE:BABA", "9988"), ("NYSE:TSM", "2330"), ("TSE:7203", "7203"), ("NVDA", "NVDA"),
])
def test_symbols_resolve_to_home_codes(symbol: str, code: str) -> None:
    assert code_of_symbol(symbol) == code


def _found(lang: str, text: str, symbols: tuple[str, ...] = ()) -> list[tuple[str, str, str]]:
    return [(text[m.start:m.end], m.code, m.kind) for m in Resolver(lang, symbols).find(text)]


def test_english_names_indices_banks_and_anaphora() -> None:
    text = ("Nvidia's shares rose as the S&P 500 and the Nasdaq Composite gained; the Dow slipped. "
            "Toyota Motor and TSMC reported, the Federal Reserve waited, and the company said Apple held.")
    assert _found("en", text) == [
        ("Nvidia's", "NVDA", COMPANY), ("S&P 500", "SPX", INDEX), ("Nasdaq Composite", "IXIC", INDEX),
        ("Dow", "DJI", INDEX), ("Toyota Motor", "7203", COMPANY), ("TSMC", "2330", COMPANY),
        ("Federal Reserve", "FED", BANK), ("the company", "", ANAPHOR), ("Apple", "AAPL", COMPANY)]


def test_german_and_spanish_names() -> None:
    de = "Der Leitindex DAX stieg, die US-Notenbank hielt still und der Softwarekonzern SAP legte zu; die EZB wartet."
    assert [c for _, c, _ in _found("de", de)] == ["DAX", "FED", "SAP", "ECB"]
    es = "El selectivo español subió, la Reserva Federal esperó y Telefónica cayó; la compañía dijo que el BCE actuará."
    assert [c for _, c, _ in _found("es", es)] == ["IBEX35", "FED", "TEF", "", "ECB"]


def test_generic_names_only_for_related_symbols() -> None:
    text = "Target raised its outlook while the target of the plan was missed."
    assert _found("en", text) == []
    assert _found("en", text, ("NYSE:TGT",))[0] == ("Target", "TGT", COMPANY)


def test_related_symbol_ticker_in_text() -> None:
    assert _found("en", "NVDA rose; nvda is lower case.", ("NASDAQ:NVDA",)) == [("NVDA", "NVDA", COMPANY)]


def test_lower_case_common_word_is_not_a_company() -> None:
    assert _found("en", "an apple a day and a shell on the beach") == []


@pytest.mark.parametrize("text", ["", "\x00\x01", "😀" * 50, "S&P " * 2000, "'" * 100])
def test_hostile_text(text: str) -> None:
    assert isinstance(Resolver("en").find(text), list)
