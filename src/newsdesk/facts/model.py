"""A market fact: the tuple every part of ``newsdesk.facts`` produces, scores and shows.

Pure data, no I/O. The vocabulary (metrics, units, comparisons, period tokens) is closed; see
docs/facts.md for what each one means.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Union

#: The 22 metrics, in the order docs/facts.md lists them.
METRICS: tuple[str, ...] = (
    "price_move", "share_price", "index_move", "index_level", "revenue", "segment_revenue", "eps",
    "net_income", "operating_income", "operating_margin", "gross_margin", "capex", "guidance_revenue",
    "guidance_eps", "guidance_net_income", "guidance_operating_income", "guidance_operating_margin",
    "guidance_gross_margin", "dividend", "buyback", "rate_decision", "price_target",
)
CURRENCIES: tuple[str, ...] = ("USD", "EUR", "JPY", "GBP", "CHF", "HKD")
UNITS: tuple[str, ...] = (*CURRENCIES, "%", "points", "shares")
COMPARISONS: tuple[str, ...] = ("beat", "miss", "inline", "above", "below", "up", "down", "flat")
#: Metrics whose value is a percentage: their ``change`` is in basis points.
PERCENT_METRICS = frozenset({"operating_margin", "gross_margin", "guidance_operating_margin",
                             "guidance_gross_margin", "rate_decision"})

#: A value: a number, or a range (low, high).
Value = Union[float, tuple[float, float]]


def _number(x: float) -> int | float:
    """``151000000000.0`` -> ``151000000000`` (integral values are written as integers)."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 2**53:
        return int(x)
    return x


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact: what (metric) of whom (entity), how much (value, unit), when, compared with what."""

    entity: str
    metric: str
    value: Value
    unit: str
    period: str | None = None
    comparison: str | None = None
    reference: float | None = None
    change: float | None = None
    segment: str | None = None

    def __post_init__(self) -> None:
        if self.metric not in METRICS:
            raise ValueError(f"unknown metric {self.metric!r}")
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r}")
        if self.comparison is not None and self.comparison not in COMPARISONS:
            raise ValueError(f"unknown comparison {self.comparison!r}")
        values = self.value if isinstance(self.value, tuple) else (self.value,)
        for x in (*values, self.reference, self.change):
            if x is not None and not math.isfinite(x):
                raise ValueError(f"not a finite number: {x!r}")

    def to_json(self) -> dict[str, Any]:
        """The tuple as docs/facts.md spells it (``segment`` only when set)."""
        value: Any = (
            {"low": _number(self.value[0]), "high": _number(self.value[1])}
            if isinstance(self.value, tuple) else _number(self.value)
        )
        out: dict[str, Any] = {
            "entity": self.entity, "metric": self.metric, "value": value, "unit": self.unit,
            "period": self.period, "comparison": self.comparison,
            "reference": None if self.reference is None else _number(self.reference),
            "change": None if self.change is None else _number(self.change),
        }
        if self.segment is not None:
            out["segment"] = self.segment
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fact:
        """The inverse of :meth:`to_json` (a range may be ``{"low","high"}`` or ``[low, high]``)."""
        raw = data["value"]
        value: Value
        if isinstance(raw, dict):
            value = (float(raw["low"]), float(raw["high"]))
        elif isinstance(raw, (list, tuple)):
            value = (float(raw[0]), float(raw[1]))
        else:
            value = float(raw)
        opt = {k: (None if data.get(k) is None else float(data[k])) for k in ("reference", "change")}
        return cls(entity=str(data["entity"]), metric=str(data["metric"]), value=value, unit=str(data["unit"]),
                   period=data.get("period"), comparison=data.get("comparison"), segment=data.get("segment"),
                   **opt)
