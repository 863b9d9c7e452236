"""Self-test of the facts scorer (newsdesk.facts.score): labels against themselves, known damage,
other spellings of the same facts, tolerance edges, the report and the command's exit status."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.cli import cli
from newsdesk.facts.score import (
    Report,
    ScoreInputError,
    Story,
    load_labels,
    load_predictions,
    score,
    score_files,
)
from newsdesk.facts.score_match import LEVELS, numbers_agree, segments_agree
from newsdesk.facts.score_norm import AliasIndex, norm_unit, norm_value, resolve_entity
from newsdesk.facts.score_periods import canonical_period, periods_agree
from newsdesk.facts.score_report import format_report

FACTS = Path(__file__).parent / "facts"
GOLD = FACTS / "score-fixture-gold.jsonl"
VARIANTS = FACTS / "score-fixture-variants.jsonl"
#: Every labelled file: the fixture, the dev, holdout and blind stories, the rule sentences (lines
#: without an id are named <file stem>:<line>).
LABEL_FILES = [GOLD, *sorted(FACTS.glob("dev-*.jsonl")), *sorted(FACTS.glob("holdout-*.jsonl")),
               *sorted(FACTS.glob("blind-*.jsonl")), *sorted(FACTS.glob("rules-*.jsonl"))]


def _stories(path: Path = GOLD) -> list[Story]:
    return load_labels([(str(path), path.read_text(encoding="utf-8"))])


def _figures(report: Report, level: str) -> tuple[int, int, int]:
    """(tp, fp, fn) at a level."""
    counts = report.levels[level]
    return counts.tp, counts.pred - counts.tp, counts.gold - counts.tp


def _fact(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"entity": "ACME", "metric": "eps", "value": 2.98, "unit": "USD", "period": "Q3",
                            "comparison": "beat", "reference": 2.97, "change": None}
    base.update(fields)
    return base


def _one(label: dict[str, Any], *predicted: dict[str, Any]) -> Report:
    """Score predictions against one labelled story about ACME."""
    story = Story(id="s1", lang="en", main=frozenset({"ACME"}), aliases={"ACME": ["Acme Corp", "Acme"]},
                  facts=(label,))
    return score([story], {"s1": list(predicted)})


def test_the_label_files_include_the_fixture() -> None:
    assert GOLD in LABEL_FILES and GOLD.exists()


@pytest.mark.parametrize("path", LABEL_FILES, ids=lambda p: p.name)
def test_labels_against_themselves_score_one_at_every_level(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    stories = load_labels([(str(path), text)])
    if path.name.startswith("rules-"):  # no ids: predict each line's own facts under its given name
        predictions = {story.id: [dict(fact) for fact in story.facts] for story in stories}
    else:  # the label lines themselves, read as predictions
        predictions = load_predictions(str(path), text)
    report = score(stories, predictions)
    assert report.levels["key"].gold > 0
    for level in LEVELS:
        counts = report.levels[level]
        assert (counts.precision, counts.recall, counts.f1) == (1.0, 1.0, 1.0), (path.name, level)
    assert report.stories == [] and report.unknown_ids == []


def test_other_spellings_of_the_same_facts_score_one() -> None:
    report = score_files([GOLD], VARIANTS)
    assert report.levels["strict"].gold == 27
    for level in LEVELS:
        assert _figures(report, level) == (27, 0, 0), level
    assert all(agree == stated for agree, stated in report.attributes.values())


def _damage(stories: list[Story]) -> tuple[dict[str, list[Any]], dict[str, int]]:
    """Predictions = labels with every sixth tuple dropped, one in six with a wrong value, one in six
    with a wrong comparison (a wrong period for levels), one in six with a wrong period, one in six
    duplicated. Returns the predictions and how many tuples each damage hit."""
    predictions: dict[str, list[Any]] = {}
    hits = {"drop": 0, "value": 0, "comparison": 0, "period": 0, "period_unchecked": 0, "duplicate": 0}
    k = 0
    for story in stories:
        out = predictions.setdefault(story.id, [])
        for raw in story.facts:
            fact = {key: value for key, value in copy.deepcopy(dict(raw)).items() if key != "alt"}
            op, k = k % 6, k + 1
            if op == 2 and fact["metric"] in ("share_price", "index_level"):
                op = 3  # a level's comparison is not part of the key
            if op == 0:
                hits["drop"] += 1
                continue
            if op == 1:
                value = fact["value"]
                fact["value"] = ({"low": value["low"] * 1.5, "high": value["high"] * 1.5}
                                 if isinstance(value, dict) else value * 1.5 + 1)
                hits["value"] += 1
            elif op == 2:
                fact["comparison"] = "inline" if fact["comparison"] != "inline" else "beat"
                hits["comparison"] += 1
            elif op == 3:
                hits["period" if fact["period"] is not None else "period_unchecked"] += 1
                fact["period"] = "month" if fact["period"] != "month" else "week"
            out.append(fact)
            if op == 4:
                out.append(dict(fact))
                hits["duplicate"] += 1
    return predictions, hits


def test_dropped_and_corrupted_tuples_give_the_expected_counts() -> None:
    stories = _stories()
    predictions, hits = _damage(stories)
    assert all(hits[name] >= 2 for name in ("drop", "value", "comparison", "period", "duplicate")), hits
    report = score(stories, predictions)
    n = report.levels["loose"].gold
    pred = n - hits["drop"] + hits["duplicate"]
    loose_tp = n - hits["drop"] - hits["value"]
    key_tp = loose_tp - hits["comparison"]
    strict_tp = key_tp - hits["period"]  # a period the label leaves null is not checked
    assert _figures(report, "loose") == (loose_tp, pred - loose_tp, n - loose_tp)
    assert _figures(report, "key") == (key_tp, pred - key_tp, n - key_tp)
    assert _figures(report, "strict") == (strict_tp, pred - strict_tp, n - strict_tp)
    assert (n, pred, loose_tp, key_tp, strict_tp) == (27, 26, 17, 12, 9)  # counted by hand on the fixture
    assert hits["period_unchecked"] == 1


def test_a_duplicate_prediction_is_a_false_positive() -> None:
    report = _one(_fact(), _fact(), _fact(), _fact())  # the label, then three equal predictions
    for level in LEVELS:
        assert _figures(report, level) == (1, 2, 0)


@pytest.mark.parametrize(("label", "predicted", "matches"), [
    (2.98, 2.97, False),      # a 2.97 consensus is not the reported 2.98
    (-33.33, -33.3, True),    # "a third" written with one decimal
    (41.3e9, 41.33e9, True),  # within 0.1%
    (41.3e9, 41.4e9, False),
    (0.0, 0.0004, True),      # 0.0005 absolute
    (0.0, 0.001, False),
])
def test_value_tolerance(label: float, predicted: float, matches: bool) -> None:
    assert numbers_agree(label, predicted) is matches
    report = _one(_fact(value=label, reference=None), _fact(value=predicted, reference=None))
    assert report.levels["loose"].tp == int(matches)


def test_reference_and_change_tolerance_at_strict() -> None:
    label = _fact(change=19)
    assert _figures(_one(label, _fact(change=19.05)), "strict") == (1, 0, 0)
    assert _figures(_one(label, _fact(change=19.06)), "strict") == (0, 1, 1)
    assert _figures(_one(label, _fact(change=19.06)), "key") == (1, 0, 0)
    assert _figures(_one(label, _fact(change=19, reference=2.98)), "strict") == (0, 1, 1)
    assert _figures(_one(label, _fact(change=19, reference="2.97")), "strict") == (1, 0, 0)


def test_a_point_never_matches_a_range_and_equal_ends_are_a_point() -> None:
    label = _fact(metric="guidance_eps", value={"low": 2.9, "high": 3.1}, comparison="above", reference=None)
    assert _one(label, _fact(**{**label, "value": 3.0})).levels["loose"].tp == 0
    assert _one(label, _fact(**{**label, "value": [2.9, 3.11]})).levels["loose"].tp == 0
    assert _one(label, _fact(**{**label, "value": [3.1, 2.9]})).levels["loose"].tp == 1
    point = _fact(reference=None)
    assert _one(point, _fact(reference=None, value={"low": 2.98, "high": 2.98})).levels["loose"].tp == 1
    assert norm_value([2.98, 2.98]) == 2.98 and norm_value({"low": 1, "high": 2}) == (1.0, 2.0)


def test_comparison_null_must_match_null_except_for_levels() -> None:
    revenue = _fact(metric="revenue", value=5e9, comparison=None, reference=None)
    report = _one(revenue, _fact(**{**revenue, "comparison": "up"}))
    assert _figures(report, "loose") == (1, 0, 0) and _figures(report, "key") == (0, 1, 1)
    level = _fact(metric="share_price", value=41.2, comparison="down", reference=None, period="session")
    report = _one(level, _fact(**{**level, "comparison": None}))
    assert _figures(report, "key") == (1, 0, 0) and _figures(report, "strict") == (0, 1, 1)
    unstated = {**level, "comparison": None}
    assert _figures(_one(unstated, _fact(**{**level, "comparison": "up"})), "strict") == (1, 0, 0)


def test_a_move_without_comparison_takes_the_direction_of_its_sign() -> None:
    move = _fact(metric="price_move", value=-4.0, unit="%", comparison="down", reference=None, period="session")
    assert _figures(_one(move, _fact(**{**move, "comparison": None})), "strict") == (1, 0, 0)
    assert _figures(_one(move, _fact(**{**move, "comparison": "up"})), "key") == (0, 1, 1)


def test_predictions_never_lend_alt_aliases_or_main() -> None:
    label = _fact(metric="price_move", value=-0.4, unit="%", comparison="down", reference=None,
                  alt=[{"value": -0.4, "unit": "USD"}])
    assert _one(label, _fact(**{**label, "value": -0.4, "unit": "USD"})).levels["loose"].tp == 1
    wrong = {**label, "value": -9.0, "alt": [{"value": -0.4, "unit": "%"}]}
    assert _one(label, wrong).levels["loose"].tp == 0
    story = Story(id="s1", lang="en", main=frozenset({"ACME"}), aliases={"ACME": ["Acme"]}, facts=(_fact(),))
    line = json.dumps({"id": "s1", "aliases": {"ACME": ["Roadrunner"]}, "main": ["ZZZ"],
                       "facts": [_fact(entity="Roadrunner")]})
    report = score([story], load_predictions("pred", line))
    assert _figures(report, "loose") == (0, 1, 1) and report.main["loose"].gold == 1


def test_unknown_ids_are_ignored_and_named_and_missing_stories_have_no_predictions() -> None:
    report = score(_stories(), {"nope-1": [_fact()], "fx-en-4": []})
    assert report.unknown_ids == ["nope-1"]
    assert _figures(report, "key") == (0, 0, 27)
    assert report.levels["key"].precision == 0.0
    assert "note: predictions for 1 unknown story id(s) ignored: nope-1" in format_report(report)


def test_the_main_entity_subset_leaves_passing_mentions_out() -> None:
    stories = _stories()
    predictions = load_predictions(str(GOLD), GOLD.read_text(encoding="utf-8"))
    for line in predictions.values():  # every passing mention put on the story's subject instead
        for fact in line:
            fact["entity"] = {"AMD": "NVDA", "9988": "VOD", "UKX": "VOD"}.get(fact["entity"], fact["entity"])
    report = score(stories, predictions)
    moved = 1 + 2 + 3  # AMD's move, Alibaba's move and target, three FTSE figures
    assert _figures(report, "key") == (27 - moved, moved, moved)
    main = report.main["key"]
    # the subjects' own figures all match; the misattributed ones are false positives about the subjects
    assert (main.gold, main.pred, main.tp) == (14, 14 + moved, 14)


@pytest.mark.parametrize(("written", "canonical"), [
    ("Q4 FY24", "Q4 2024"), ("4Q24", "Q4 2024"), ("fourth quarter 2024", "Q4 2024"), ("fiscal 2026", "FY2026"),
    ("1H25", "H1 2025"), ("nine months", "9M"), ("extended trading", "after-hours"), ("premarket", "pre-market"),
    ("year to date", "YTD"), ("past 12 months", "12M"), ("full year", "FY"), ("Q3", "Q3"), ("FY2026", "FY2026"),
    ("regular session", "session"), ("FY26", "FY2026"), ("annual", "FY"), ("after hours", "after-hours"),
])
def test_periods_are_parsed(written: str, canonical: str) -> None:
    assert periods_agree(canonical, canonical_period(written))


def test_period_years_count_only_when_both_sides_give_one() -> None:
    assert periods_agree("Q4 2025", "Q4") and periods_agree("Q4", "Q4 2024")
    assert not periods_agree("Q4 2025", "Q4 2024") and not periods_agree("Q4", "Q3")
    assert periods_agree("annual", "FY2025") and periods_agree("FY", "annual")
    assert not periods_agree("Q4", None)


def test_units_synonyms_and_subunits() -> None:
    assert norm_unit("GBp") == ("GBP", 0.01) and norm_unit("GBP") == ("GBP", 1.0)
    assert norm_unit("pence") == ("GBP", 0.01) and norm_unit("GBX") == ("GBP", 0.01)
    assert norm_unit("cents") == ("USD", 0.01) and norm_unit("USD/share") == ("USD", 1.0)
    assert norm_unit("percent") == ("%", 1.0) and norm_unit("pts") == ("points", 1.0)
    assert norm_unit("bps") == ("%", 0.01) and norm_unit("HK$") == ("HKD", 1.0)
    pence = _fact(entity="ACME", metric="share_price", value=12.12, unit="GBP", comparison=None, reference=None)
    assert _one(pence, {**pence, "value": "1,212", "unit": "p"}).levels["strict"].tp == 1


def test_entities_resolve_through_the_story_then_everyone() -> None:
    story = AliasIndex.of({"9988": ["Alibaba", "Alibaba Group"], "ITX": ["Industria de Diseño Textil"]})
    everyone = AliasIndex.of({"SAP": ["SAP SE", "SAP"], "AAPL": ["Apple Inc."]})
    assert resolve_entity("Alibaba Group's Hong Kong-listed shares", story, everyone) == "9988"
    assert resolve_entity("INDUSTRIA DE DISENO TEXTIL, S.A.", story, everyone) == "ITX"
    assert resolve_entity("XETRA:SAP", story, everyone) == "SAP"
    assert resolve_entity("apple", story, everyone) == "AAPL"
    assert resolve_entity("NYSE:XYZ", story, everyone) == "XYZ"
    indices = AliasIndex.of({"SPX": ["S&P 500"], "AMX": ["América Móvil, S.A.B. de C.V."]})
    assert resolve_entity("S&P500", indices, everyone) == "SPX"
    assert resolve_entity("America Movil", indices, everyone) == "AMX"
    assert resolve_entity("The S&P 500 index", indices, everyone) == "SPX"


def test_segments_agree_by_containment_initials_or_half_the_words() -> None:
    assert segments_agree("AWS", "Amazon Web Services") and segments_agree("Amazon Web Services", "AWS")
    assert segments_agree("Greater China", "China") and segments_agree("main refinancing rate", "refinancing rate")
    assert segments_agree("Intelligent Cloud", "Cloud segment")
    assert not segments_agree("Eliquis", "Opdivo")


def test_unknown_metric_is_a_false_positive() -> None:
    report = _one(_fact(), _fact(), _fact(metric="deliveries", value=400000, unit="units"))
    assert _figures(report, "key") == (1, 1, 0)
    assert "deliveries (unknown)" in format_report(report)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8)
_TUPLE = st.fixed_dictionaries({}, optional={
    name: _JSON | st.sampled_from(choices) for name, choices in {
        "entity": ["NVDA", "Nvidia", "AMD", "NASDAQ:NVDA"], "metric": ["eps", "revenue", "price_move"],
        "value": [0.96, [1, 2], {"low": 1}], "unit": ["USD", "$", "GBp", "%"], "period": ["Q4", "4Q24"],
        "comparison": ["beat", "in line", None], "reference": [0.91, "0.91"], "change": [1, "x"],
        "segment": ["Data Center", ""], "alt": [[{"value": -2.4, "unit": "USD"}]],
    }.items()})


@settings(max_examples=60, deadline=None)
@given(st.lists(_TUPLE | _JSON, max_size=6))
def test_any_predictions_are_scored_without_error(predicted: list[Any]) -> None:
    report = score(_stories(), {"fx-en-1": predicted})
    for level in LEVELS:
        counts = report.levels[level]
        assert (counts.gold, counts.pred) == (27, len(predicted)) and 0 <= counts.tp <= min(7, len(predicted))
    assert report.levels["strict"].tp <= report.levels["key"].tp <= report.levels["loose"].tp
    assert format_report(report).endswith("labelled facts\n")


# --- the command ------------------------------------------------------------------------------

FINAL = re.compile(r"facts: key-match F1 (\d\.\d{3}) \(P (\d\.\d{3}), R (\d\.\d{3})\) over (\d+) labelled facts\n\Z")


def test_command_prints_the_report_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    result = CliRunner().invoke(cli, ["facts-score", str(GOLD), str(VARIANTS), "--json", str(out)])
    assert result.exit_code == 0, result.output
    match = FINAL.search(result.stdout)
    assert match and match.groups() == ("1.000", "1.000", "1.000", "27")
    for heading in ("per metric (key level)", "per language (key level)", "main entities",
                    "attribute agreement on key matches", "totals"):
        assert heading in result.stdout
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["levels"]["strict"]["f1"] == 1.0 and figures["languages"]["de"]["key"]["gold"] == 4


def test_several_label_files_are_reported_file_by_file(tmp_path: Path) -> None:
    lines = GOLD.read_text(encoding="utf-8").splitlines(keepends=True)
    dev, holdout, out = tmp_path / "dev-xx.jsonl", tmp_path / "holdout-xx.jsonl", tmp_path / "f.json"
    dev.write_text("".join(lines[:2]), encoding="utf-8")
    holdout.write_text("".join(lines[2:]), encoding="utf-8")
    result = CliRunner().invoke(cli, ["facts-score", "--no-stories", str(dev), str(holdout), str(VARIANTS),
                                      "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert re.search(r"^dev-xx +14 +14 +14 +1\.000 +1\.000 +1\.000$", result.stdout, re.MULTILINE)
    assert re.search(r"^holdout-xx +13 +13 +13 ", result.stdout, re.MULTILINE)
    files = json.loads(out.read_text(encoding="utf-8"))["files"]
    assert {name: level["key"]["gold"] for name, level in files.items()} == {"dev-xx": 14, "holdout-xx": 13}


def test_command_lists_misses_with_the_comparison_predicted_loosely(tmp_path: Path) -> None:
    pred = tmp_path / "pred.jsonl"
    facts = [_fact(comparison="miss"), _fact(metric="revenue", value=1e9, reference=None)]
    pred.write_text(json.dumps({"id": "s1", "facts": facts}) + "\n{\"id\": \"elsewhere\", \"facts\": []}\n",
                    encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "s1", "lang": "en", "main": ["ACME"], "aliases": {"ACME": ["Acme"]},
                                "facts": [_fact()]}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["facts-score", str(gold), str(pred)])
    assert result.exit_code == 0, result.output
    assert "  miss  ACME eps 2.98 USD Q3 beat reference=2.97  (predicted with comparison miss)" in result.stdout
    assert "  fp    ACME revenue 1000000000 USD Q3 beat" in result.stdout
    assert "elsewhere" in result.stderr
    assert FINAL.search(result.stdout)
    short = CliRunner().invoke(cli, ["facts-score", "--no-stories", str(gold), str(pred)])
    assert "  miss  " not in short.stdout and FINAL.search(short.stdout)


def test_nothing_predicted_is_precision_zero_and_exit_zero(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    result = CliRunner().invoke(cli, ["facts-score", str(GOLD), str(empty)])
    assert result.exit_code == 0
    assert result.stdout.endswith("facts: key-match F1 0.000 (P 0.000, R 0.000) over 27 labelled facts\n")


def test_predictions_from_stdin() -> None:
    result = CliRunner().invoke(cli, ["facts-score", str(GOLD), "-"], input=VARIANTS.read_text(encoding="utf-8"))
    assert result.exit_code == 0 and "F1 1.000" in result.stdout.splitlines()[-1]


@pytest.mark.parametrize(("gold_text", "pred_text", "message"), [
    (None, "", "cannot read"),
    ('{"id": "a", "facts": []}\n', '{"id": "a", "facts": [}\n', "line 1 is not JSON"),
    ('{"id": "a", "facts": [{"entity": "X", "metric": "eps", "value": 1}]}\n', "", "has no 'unit'"),
    (('{"id": "a", "facts": [{"entity": "X", "metric": "eps", "value": 1, "unit": "USD"}]}\n'
      '{"id": "a", "facts": []}\n'), "", "labelled twice"),
    ('{"id": "a", "facts": []}\n', '{"facts": []}\n', "has no 'id'"),
])
def test_unreadable_input_is_exit_two(tmp_path: Path, gold_text: str | None, pred_text: str, message: str) -> None:
    gold, pred = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    if gold_text is not None:
        gold.write_text(gold_text, encoding="utf-8")
    pred.write_text(pred_text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["facts-score", str(gold), str(pred)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert result.stdout == ""
    with pytest.raises(ScoreInputError):
        score_files([gold], pred)
