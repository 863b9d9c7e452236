"""The fact tuple: its JSON spelling and its checks."""

from __future__ import annotations

import pytest

from newsdesk.facts import Fact


def test_range_and_integral_numbers_are_spelled_as_the_tuple() -> None:
    fact = Fact("AMZN", "guidance_revenue", (151e9, 155.5e9), "USD", "Q1", "below", 158.6e9)
    assert fact.to_json() == {
        "entity": "AMZN", "metric": "guidance_revenue", "value": {"low": 151000000000, "high": 155500000000},
        "unit": "USD", "period": "Q1", "comparison": "below", "reference": 158600000000, "change": None,
    }
    assert Fact.from_json(fact.to_json()) == fact


def test_segment_only_when_set_and_list_ranges_read() -> None:
    fact = Fact.from_json({"entity": "ECB", "metric": "rate_decision", "value": 2.0, "unit": "%",
                           "comparison": "down", "change": -25, "segment": "deposit rate"})
    assert fact.to_json()["segment"] == "deposit rate"
    assert fact.to_json()["value"] == 2 and fact.change == -25.0
    assert "segment" not in Fact("SPX", "index_move", -1.5, "%").to_json()
    assert Fact.from_json({"entity": "X", "metric": "eps", "value": [1, 2], "unit": "USD"}).value == (1.0, 2.0)


@pytest.mark.parametrize("kwargs", [
    {"metric": "deliveries"}, {"unit": "usd"}, {"comparison": "raised"}, {"value": float("nan")},
])
def test_out_of_vocabulary_is_refused(kwargs: dict[str, object]) -> None:
    base: dict[str, object] = {"entity": "AAPL", "metric": "eps", "value": 1.0, "unit": "USD"}
    with pytest.raises(ValueError):
        Fact(**{**base, **kwargs})  # type: ignore[arg-type]
