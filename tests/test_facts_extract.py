"""The extractor (newsdesk.facts.extract) and its entity resolution: companies, indices, central banks, related symbols, anaphora."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.facts import extract
from newsdesk.facts.entities import (
    ANAPHOR,
    BANK,
    COMPANY,
    INDEX,
    Resolver,
    code_of_symbol,
)


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


# --- extraction: each metric in each language (sentences written for these tests, figures invented) ---

def _facts(lang: str, text: str, symbols: tuple[str, ...] = (), title: str = "") -> list[dict[str, object]]:
    return [f.to_json() for f in extract(title, text, lang, symbols)]


def _one(lang: str, text: str, symbols: tuple[str, ...] = ()) -> dict[str, object]:
    found = _facts(lang, text, symbols)
    assert len(found) == 1, found
    return found[0]


def _has(found: list[dict[str, object]], **want: object) -> bool:
    return any(all(f.get(k) == v for k, v in want.items()) for f in found)


EN = [
    (("Adobe reported quarterly revenue of $6.1 billion, up 11% from a year earlier and above the $6.0 billion "
     "analysts had expected."), {"entity": "ADBE", "metric": "revenue", "value": 6100000000, "unit": "USD",
                                    "comparison": "beat", "reference": 6000000000, "change": 11}),
    ("Adobe posted adjusted earnings of $5.08 per share, a penny short of estimates.",
     {"entity": "ADBE", "metric": "eps", "value": 5.08, "comparison": "miss", "reference": 5.09}),
    ("Adobe's adjusted EPS of $5.20 beat estimates by 8 cents.",
     {"metric": "eps", "value": 5.2, "comparison": "beat", "reference": 5.12}),
    ("Oracle's operating margin widened 1.2 percentage points to 31.4%.",
     {"entity": "ORCL", "metric": "operating_margin", "value": 31.4, "unit": "%", "comparison": "up", "change": 120}),
    ("Costco's gross margin was 12.9%, flat with a year earlier.",
     {"entity": "COST", "metric": "gross_margin", "value": 12.9, "comparison": "flat", "change": 0}),
    ("Airbnb forecast fourth-quarter revenue of $2.4 billion to $2.5 billion, below the consensus of $2.55 billion.",
     {"entity": "ABNB", "metric": "guidance_revenue", "value": {"low": 2400000000, "high": 2500000000},
          "comparison": "below", "reference": 2550000000, "period": "Q4"}),
    ("Deere raised its full-year net income forecast to $7.2 billion from $6.9 billion.",
     {"entity": "DE", "metric": "guidance_net_income", "value": 7200000000, "comparison": "up", "reference": 6900000000}),
    ("Walmart reaffirmed its fiscal 2026 EPS guidance of $2.50 to $2.60.",
     {"metric": "guidance_eps", "value": {"low": 2.5, "high": 2.6}, "comparison": "flat", "period": "FY2026"}),
    ("Meta said capital expenditures would total $70 billion in 2026, above analysts' estimates of $65 billion.",
     {"entity": "META", "metric": "capex", "value": 70000000000, "comparison": "above", "reference": 65000000000}),
    ("Visa raised its quarterly dividend 13% to 67 cents a share.",
     {"entity": "V", "metric": "dividend", "value": 0.67, "unit": "USD", "comparison": "up", "period": "quarterly"}),
    ("Alphabet authorized an additional $70 billion share repurchase program.",
     {"entity": "GOOGL", "metric": "buyback", "value": 70000000000, "unit": "USD"}),
    ("The Bank of England cut its Bank Rate by 25 basis points to 4%.",
     {"entity": "BOE", "metric": "rate_decision", "value": 4, "comparison": "down", "change": -25}),
    ("Globex shares jumped 7.5% on Tuesday.", {"entity": "AAPL", "metric": "price_move", "value": 7.5, "comparison": "up"}),
]


@pytest.mark.parametrize(("text", "want"), EN)
def test_english_metrics(text: str, want: dict[str, object]) -> None:
    got = _one("en", text, ("NASDAQ:AAPL",) if text.startswith("Globex") else ())
    assert {k: got.get(k) for k in want} == want


def test_english_loss_is_negative_and_eps_from_a_share() -> None:
    found = _facts("en", "Intel swung to a net loss of $1.6 billion, or 38 cents a share, in the third quarter.")
    assert _has(found, entity="INTC", metric="net_income", value=-1600000000, period="Q3")
    assert _has(found, entity="INTC", metric="eps", value=-0.38)


def test_price_target_on_the_covered_company_with_previous_target() -> None:
    got = _one("en", "Jefferies cut its price target on Nike to $60 from $75.", ("NYSE:NKE",))
    assert (got["entity"], got["metric"], got["value"], got["comparison"], got["reference"]) == \
        ("NKE", "price_target", 60, "down", 75)


def test_index_move_and_level() -> None:
    found = _facts("en", "The Nasdaq 100 rose 1.1% to 21,400.5 points, while the Stoxx 600 slipped 0.3%.")
    assert _has(found, entity="NDX", metric="index_move", value=1.1, comparison="up")
    assert _has(found, entity="NDX", metric="index_level", value=21400.5, unit="points")
    assert _has(found, entity="SXXP", metric="index_move", value=-0.3, comparison="down")


DE = [
    ("Die SAP-Aktie stieg um 3,2 Prozent auf 251,40 Euro.", {"entity": "SAP", "metric": "price_move", "value": 3.2}),
    (("Der Umsatz von Siemens stieg im dritten Quartal um 5 Prozent auf 19,5 Milliarden Euro und übertraf damit "
     "die Erwartungen der Analysten von 19,1 Milliarden Euro."),
     {"entity": "SIE", "metric": "revenue", "value": 19500000000, "unit": "EUR", "comparison": "beat", "reference": 19100000000,
          "change": 5, "period": "Q3"}),
    ("BASF senkte seine Prognose für das operative Ergebnis auf 7,0 bis 7,5 Milliarden Euro.",
     {"entity": "BAS", "metric": "guidance_operating_income", "value": {"low": 7000000000, "high": 7500000000},
          "comparison": "down"}),
    ("Die Allianz erhöht die Dividende auf 15,40 Euro je Aktie.",
     {"entity": "ALV", "metric": "dividend", "value": 15.4, "unit": "EUR", "comparison": "up"}),
    ("Die EZB senkte den Einlagensatz um 0,25 Prozentpunkte auf 2,0 Prozent.",
     {"entity": "ECB", "metric": "rate_decision", "value": 2, "comparison": "down", "change": -25}),
    ("Die Deutsche Bank erzielte einen Nettogewinn von 1,7 Milliarden Euro.",
     {"entity": "DBK", "metric": "net_income", "value": 1700000000}),
]

ES = [
    ("Iberdrola obtuvo un beneficio neto de 5.100 millones de euros, un 12% más que un año antes.",
     {"entity": "IBE", "metric": "net_income", "value": 5100000000, "comparison": "up", "change": 12}),
    ("La Reserva Federal mantuvo los tipos de interés en el rango del 4,25%-4,50%.",
     {"entity": "FED", "metric": "rate_decision", "value": {"low": 4.25, "high": 4.5}, "comparison": "flat", "change": 0}),
    ("Santander repartirá un dividendo de 0,12 euros por acción.",
     {"entity": "SAN", "metric": "dividend", "value": 0.12, "unit": "EUR"}),
    ("Repsol anunció un programa de recompra de acciones de 700 millones de euros.",
     {"entity": "REP", "metric": "buyback", "value": 700000000, "unit": "EUR"}),
]


@pytest.mark.parametrize(("lang", "text", "want"), [("de", t, w) for t, w in DE] + [("es", t, w) for t, w in ES])
def test_german_and_spanish_metrics(lang: str, text: str, want: dict[str, object]) -> None:
    found = _facts(lang, text)
    assert _has(found, **want), found


def test_moves_and_levels_in_german_and_spanish() -> None:
    de = _facts("de", "Der Leitindex DAX schloss 0,8 Prozent höher bei 24.310 Punkten.")
    assert _has(de, entity="DAX", metric="index_move", value=0.8) and _has(de, metric="index_level", value=24310)
    es = _facts("es", "Las acciones de Inditex subieron un 4,5%, hasta 48,20 euros.")
    assert _has(es, entity="ITX", metric="price_move", value=4.5) and _has(es, metric="share_price", value=48.2)
    es = _facts("es", "El Ibex 35 cerró con una caída del 0,7%, hasta los 15.200 puntos.")
    assert _has(es, entity="IBEX35", metric="index_move", value=-0.7, comparison="down")


# --- attribution ---

def test_each_move_goes_to_the_company_of_its_clause() -> None:
    found = _facts("en", "Apple shares rose 1.2%, while Microsoft fell 0.8% and the S&P 500 added 0.4%.")
    assert [(f["entity"], f["value"]) for f in found] == [("AAPL", 1.2), ("MSFT", -0.8), ("SPX", 0.4)]


def test_a_rival_mentioned_in_passing_keeps_its_own_figures() -> None:
    text = ("Nvidia shares rose 3% after rival AMD reported quarterly revenue of $6.8 billion. "
            "Broadcom, which reported a dividend of 59 cents a share last month, lost 1.3%.")
    found = _facts("en", text, ("NASDAQ:NVDA",))
    assert _has(found, entity="NVDA", metric="price_move", value=3)
    assert _has(found, entity="AMD", metric="revenue", value=6800000000)
    assert _has(found, entity="AVGO", metric="dividend", value=0.59)
    assert _has(found, entity="AVGO", metric="price_move", value=-1.3)
    assert not _has(found, entity="NVDA", metric="revenue")


def test_related_symbols_take_precedence_and_the_company_is_the_subject() -> None:
    text = "The company reported revenue of $12.3 billion. Its shares rose 4%."
    found = _facts("en", text, ("NASDAQ:ADBE",))
    assert [(f["entity"], f["metric"]) for f in found] == [("ADBE", "revenue"), ("ADBE", "price_move")]
    # a generic name matches only for a related symbol
    assert _has(_facts("en", "Target shares fell 2%.", ("NYSE:TGT",)), entity="TGT", metric="price_move")


def test_adr_symbol_resolves_to_the_home_code() -> None:
    assert _has(_facts("en", "Toyota shares rose 2%.", ("NYSE:TM",)), entity="7203", value=2)


# --- scope: no fact ---

@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Shares of Rivian could fall to $8 if demand weakens, an analyst said."),
    ("en", "Nvidia's market value topped $5 trillion and deliveries rose 12% to 400,000."),
    ("en", "Analysts expect Citi to earn $1.90 per share on revenue of $21 billion."),
    ("en", "Revenue topped estimates and the shares were little changed."),
    ("de", "Analysten erwarten einen Umsatz von 5 Milliarden Euro."),
    ("es", "El petróleo Brent subió un 1,2%, hasta 64 dólares por barril."),
])
def test_no_fact(lang: str, text: str) -> None:
    assert _facts(lang, text) == []


def test_intraday_extreme_dropped_close_kept() -> None:
    found = _facts("en", "Tesla shares rose as much as 6% before closing up 2% at $480.")
    assert _has(found, metric="price_move", value=2) and not _has(found, value=6)
    assert _has(found, metric="share_price", value=480)


# --- hostile input ---

@pytest.mark.parametrize("text", [
    "", " ", "\x00\x01\x02 rose 3%", "😀📈 shares rose 5% 🚀" * 20, "1" * 5000, "$" * 3000, "%" * 3000,
    "Apple rose 3%. " * 3000, "\u202e\u200b Apple \ufeff rose 2%", "(((((((" * 500, "1.2.3.4.5,6,7" * 300,
])
def test_hostile_text_gives_a_list_fast(text: str) -> None:
    import time

    start = time.perf_counter()
    for lang in ("en", "de", "es", "fr"):
        facts = extract(text, text, lang, ("NASDAQ:AAPL", "", "x" * 500))
        assert isinstance(facts, list)
    assert time.perf_counter() - start < 30  # linear work, even on a loaded machine; backtracking would take minutes


def test_wrong_types_give_no_facts() -> None:
    assert extract(None, None, "en") == []  # type: ignore[arg-type]
    assert extract("", "Apple rose 3%.", None) == []  # type: ignore[arg-type]


def test_scrambled_sentences_never_raise() -> None:
    """Sentences with numbers, currencies and cue words shuffled and spliced: always a list of valid facts."""
    import random

    rng = random.Random(5)
    pieces = [text for text, _ in EN] + [text for text, _ in DE] + [text for text, _ in ES]
    junk = ["$", "%", "€", "1,2", "3.4", "-", "(", ")", "bis", "to", "von", "de", "Prozent", "points", "Dow", "Fed",
            "—", ";", "\n", "por acción", "a share", "HK$", "¥", "p", "bn", "Mrd.", "millones", "from", "desde"]
    for _ in range(300):
        words = rng.choice(pieces).split()
        for _ in range(rng.randint(1, 8)):
            words.insert(rng.randrange(len(words) + 1), rng.choice(junk + words))
        if rng.random() < 0.3:
            rng.shuffle(words)
        text = " ".join(words)
        for lang in ("en", "de", "es"):
            for fact in extract(text[:40], text, lang, ("NASDAQ:NVDA",)):
                assert fact.to_json()["metric"]


# --- the `newsdesk facts` command ---

def test_cli_facts_reads_json_lines_and_reports_bad_lines(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsdesk.cli import cli

    lines = [
        json.dumps({"id": "a", "lang": "en", "title": "", "text": "Apple shares rose 2% to $231.50."}),
        "not json",
        json.dumps({"id": "b", "lang": "de", "title": "", "text": "Der DAX stieg um 1,2 Prozent.", "symbols": []}),
        json.dumps({"lang": "en", "text": "no id"}),
    ]
    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["facts", str(path)])
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert {"entity": "AAPL", "metric": "price_move", "value": 2, "unit": "%", "period": "session",
            "comparison": "up", "reference": None, "change": None} in out[0]["facts"]
    assert out[1]["facts"][0]["entity"] == "DAX"
    assert ":2:" in result.stderr and ":4:" in result.stderr and '"id"' in result.stderr


def test_cli_facts_stdin_and_unreadable_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsdesk.cli import cli

    story = json.dumps({"id": 7, "lang": "es", "title": "", "text": "El Ibex 35 subió un 1%."})
    result = CliRunner().invoke(cli, ["facts", "-"], input=story + "\n")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["facts"][0]["entity"] == "IBEX35"
    missing = CliRunner().invoke(cli, ["facts", str(tmp_path / "missing.jsonl")])
    assert missing.exit_code == 2 and "cannot read" in missing.stderr


def test_cli_facts_story_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsdesk.cli import cli

    data = json.loads((Path(__file__).parent / "fixtures" / "stories" / "story_v1_snake.json").read_text("utf-8"))
    data["related_symbols"] = [{"symbol": "NASDAQ:ADBE"}]
    data["ast_description"] = {"type": "root", "children": [{"type": "p", "children": [
        "The company reported quarterly revenue of $6.1 billion, above the $6.0 billion analysts had expected."]}]}
    story = tmp_path / "story.json"
    story.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["facts", "--story", str(story)])
    assert result.exit_code == 0, result.output
    line = json.loads(result.stdout)
    assert line["id"] == data["id"]
    assert line["facts"] == [{"entity": "ADBE", "metric": "revenue", "value": 6100000000, "unit": "USD",
                              "period": None, "comparison": "beat", "reference": 6000000000, "change": None}]
    assert CliRunner().invoke(cli, ["facts", "--story", str(story), str(story)]).exit_code == 2
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    assert CliRunner().invoke(cli, ["facts", "--story", str(tmp_path / "bad.json")]).exit_code == 2


def test_a_rounded_headline_figure_is_the_body_figure() -> None:
    found = _facts("en", "Adobe shares rose 5.2% to $402.10 on Friday.", ("NASDAQ:ADBE",),
                   title="Adobe shares up 5% as AI demand lifts outlook")
    moves = [f for f in found if f["metric"] == "price_move"]
    assert [(f["entity"], f["value"]) for f in moves] == [("ADBE", 5.2)]
