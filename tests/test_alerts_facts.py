"""Alert rules with ``facts = ["eps:miss", ...]``: checked at config load (exit 2 naming the entry
and what is allowed), matched against a story's market facts (about the rule's tickers), and
delivered through Apprise to the loopback webhook receiver of test_alerts.py with the phrases of
the facts that matched."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_alerts import (  # noqa: F401 -- hook: fixture
    NVDA,
    Hook,
    add,
    cycle,
    hook,
    make_site,
    raw,
    rules_toml,
    start,
    titles,
)

from newsdesk.alerts_match import Facts, Matcher
from newsdesk.cli import cli
from newsdesk.config import AlertRule, parse_config
from newsdesk.errors import ConfigError
from newsdesk.facts import Fact, extract
from newsdesk.facts.filters import entity_key, parse_filter
from newsdesk.site.scaffold import config_text, init_site
from newsdesk.sources.tradingview import parse_raw
from newsdesk.store import Store

NVDA_MISS = Fact("NVDA", "eps", 0.81, "USD", "Q3", "miss", 0.85)
NVDA_BEAT = Fact("NVDA", "eps", 0.91, "USD", "Q3", "beat", 0.85)
AMD_MISS = Fact("AMD", "eps", 0.5, "USD", "Q3", "miss", 0.6)
GUIDE_BELOW = Fact("AMZN", "guidance_revenue", (151e9, 155.5e9), "USD", "Q1", "below", 158.6e9)
TENCENT_UP = Fact("0700", "price_move", 2.5, "%", "session", "up")


def fixed(found: Sequence[Fact]) -> Callable[..., list[Fact]]:
    """An extractor with known output (what these tests are about is the rule, not the extractor)."""
    def extract_facts(title: str, text: str, lang: str, symbols: Sequence[str] = ()) -> list[Fact]:
        return list(found)
    return extract_facts


def story(found: Sequence[Fact], title: str = "Quarterly results", lang: str = "en",
          symbols: tuple[str, ...] = ("NASDAQ:NVDA",)) -> Facts:
    return Facts(parse_raw(raw(1, title, "Results were out.", symbols, lang)), "wire", fixed(found))


@pytest.mark.parametrize(("rule", "found", "expected"), [
    (AlertRule(facts=("eps:miss",)), [NVDA_MISS], True),
    (AlertRule(facts=("eps:miss",)), [NVDA_BEAT], False),
    (AlertRule(facts=("eps:miss",)), [], False),
    (AlertRule(facts=("eps",)), [NVDA_BEAT], True),  # a metric alone: any comparison
    (AlertRule(facts=("EPS:Miss",)), [NVDA_MISS], True),  # any case
    (AlertRule(facts=("eps:miss", "guidance_revenue:below")), [GUIDE_BELOW], True),
    (AlertRule(facts=("guidance_revenue:above",)), [GUIDE_BELOW], False),
    (AlertRule(tickers=("NVDA",), facts=("eps:miss",)), [AMD_MISS], False),  # a peer's miss is not NVDA's
    (AlertRule(tickers=("NVDA",), facts=("eps:miss",)), [AMD_MISS, NVDA_MISS], True),
    (AlertRule(tickers=("NASDAQ:AMD",), facts=("eps:miss",)), [AMD_MISS], True),  # a fact about AMD, not tagged
    (AlertRule(tickers=("HKEX:700",), facts=("price_move:up",)), [TENCENT_UP], True),  # 700 = 0700
    (AlertRule(keywords=("results",), facts=("eps:miss",)), [NVDA_MISS], True),
    (AlertRule(keywords=("merger",), facts=("eps:miss",)), [NVDA_MISS], False),  # and its keywords
    (AlertRule(tickers=("NVDA",), facts=("eps:miss",), languages=("de",)), [NVDA_MISS], False),
])
def test_a_rule_with_facts_needs_a_matching_fact(rule: AlertRule, found: list[Fact], expected: bool) -> None:
    assert Matcher(rule).matches(story(found)) is expected


def test_rules_without_facts_never_extract() -> None:
    calls: list[str] = []

    def counting(title: str, text: str, lang: str, symbols: Sequence[str] = ()) -> list[Fact]:
        calls.append(title)
        return [NVDA_MISS]

    facts = Facts(parse_raw(raw(1, "Nvidia misses", symbols=("NASDAQ:NVDA",))), "wire", counting)
    assert Matcher(AlertRule(tickers=("NVDA",))).matches(facts) and calls == []
    assert Matcher(AlertRule(tickers=("NVDA",), facts=("eps",))).matches(facts)
    assert Matcher(AlertRule(facts=("eps:miss",))).matches(facts) and calls == ["Nvidia misses"]  # once a story


def test_filters_and_entity_keys() -> None:
    assert parse_filter("eps:miss") == ("eps", "miss") and parse_filter(" dividend ") == ("dividend", None)
    assert parse_filter("guidance_revenue:below") == ("guidance_revenue", "below")
    assert entity_key("HKEX:700") == entity_key("0700") == "700" and entity_key("$nvda") == "NVDA"
    assert entity_key("7203") == "7203" and entity_key("0") == "0"


@pytest.mark.parametrize(("entry", "message"), [
    ("deliveries:up", (r"alerts\[0\]\.facts: 'deliveries:up' names no metric; use METRIC or METRIC:COMPARISON "
                      r"with one of price_move, share_price, .*, price_target")),
    ("eps:below", (r"alerts\[0\]\.facts: 'eps:below': the comparison of eps facts is one of beat, miss, inline, "
                  r"up, down, flat")),
    ("guidance_revenue:beat", r"'guidance_revenue:beat': .* one of above, below, inline, up, down, flat"),
    ("eps:", r"'eps:': the comparison of eps facts is one of"),
    ("", r"'' names no metric"),
])
def test_a_bad_filter_is_a_config_error_naming_it_and_what_is_allowed(entry: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config({"alerts": [{"name": "x", "facts": [entry], "notify": ["json://127.0.0.1:9/x"]}]})


def test_a_rule_may_have_facts_only_and_the_cli_exits_2_on_a_bad_one(tmp_path: Path) -> None:
    config = parse_config({"alerts": [{"name": "misses", "facts": ["eps:miss"], "notify": ["json://127.0.0.1:9/x"]}]})
    assert config.alerts[0].facts == ("eps:miss",)
    init_site(tmp_path, text=config_text())
    (tmp_path / "newsdesk.toml").write_text(config_text() + rules_toml(
        {"name": "misses", "facts": ["eps:below"], "notify": ["json://127.0.0.1:9/x"]}), encoding="utf-8")
    result = CliRunner().invoke(cli, ["-c", str(tmp_path / "newsdesk.toml"), "publish"])
    assert result.exit_code == 2
    assert "alerts[0].facts: 'eps:below'" in result.stderr and "beat, miss, inline" in result.stderr
    assert not (tmp_path / "newsdesk.db").exists()  # checked before any work


MISS = "Nvidia earned $0.81 a share, missing the $0.85 analysts expected."
BEAT = "Nvidia earned $0.91 a share, topping the $0.85 analysts expected."


def test_only_misses_alert_with_their_figures(tmp_path: Path, hook: Hook) -> None:  # noqa: F811 -- the fixture
    config = make_site(tmp_path, {**NVDA, "facts": ["eps:miss"], "notify": [hook.apprise_url]})
    symbols = ("NASDAQ:NVDA",)
    with Store(config.store_path) as store:
        assert start(config, store).started
        add(store, 1, "Nvidia results", MISS, symbols)
        add(store, 2, "Nvidia results, again", BEAT, symbols)
        add(store, 3, "Nvidia news", "Nvidia opened an office.", symbols)
        report = cycle(config, store)
    assert report.matched == 1 and titles(hook) == ["Nvidia results"]  # the miss, not the beat nor the news
    assert "Key figures: EPS $0.81 vs $0.85 expected (miss)" in hook.received[0]["message"].splitlines()
    assert [f.comparison for f in extract("", BEAT, "en", symbols) if f.metric == "eps"] == ["beat"]
