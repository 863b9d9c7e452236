"""The facts scorer's report: plain aligned text for the terminal, and the same figures as JSON.

The text ends with the line ``facts: key-match F1 … (P …, R …) over N labelled facts``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from newsdesk.facts.model import METRICS
from newsdesk.facts.score_match import ATTRIBUTES, LEVELS
from newsdesk.facts.score_norm import Norm

if TYPE_CHECKING:
    from newsdesk.facts.score import Counts, Report

_HEADER = f"{'gold':>6} {'pred':>6} {'tp':>6} {'P':>6} {'R':>6} {'F1':>6}"


def _row(label: str, counts: Counts, width: int) -> str:
    return (f"{label:<{width}} {counts.gold:>6} {counts.pred:>6} {counts.tp:>6} "
            f"{counts.precision:>6.3f} {counts.recall:>6.3f} {counts.f1:>6.3f}")


def _number(x: Any) -> str:
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return str(x)


def format_fact(fact: Norm) -> str:
    """One tuple as written: ``AAPL eps 1.86 USD Q4 beat ref=1.49 change=12``."""
    raw: Mapping[str, Any] = fact.raw or {}
    value = raw.get("value")
    if isinstance(value, Mapping):
        shown = f"{_number(value.get('low'))}..{_number(value.get('high'))}"
    elif isinstance(value, list):
        shown = "..".join(_number(v) for v in value)
    else:
        shown = _number(value)
    parts = [str(raw.get("entity")), str(raw.get("metric")), shown, str(raw.get("unit"))]
    if raw.get("period") is not None:
        parts.append(str(raw["period"]))
    parts.append(str(raw.get("comparison")) if raw.get("comparison") is not None else "-")
    for name in ("reference", "change", "segment"):
        if raw.get(name) is not None:
            parts.append(f"{name}={_number(raw[name])}")
    return " ".join(parts)


def _metric_order(report: Report) -> list[str]:
    known = [m for m in METRICS if m in report.metrics]
    return known + sorted(m for m in report.metrics if m not in METRICS)


def _tables(report: Report) -> list[str]:
    width = max([26, *(len(m) + 1 for m in report.metrics)])
    lines = ["per metric (key level)" + (", main entities only" if report.main_only else ""),
             f"{'metric':<{width}} {_HEADER}"]
    lines += [_row(m + ("" if m in METRICS else " (unknown)"), report.metrics[m], width)
              for m in _metric_order(report)]
    lines += ["", "per language (key level)", f"{'lang':<{width}} {_HEADER}"]
    lines += [_row(lang, levels["key"], width) for lang, levels in sorted(report.languages.items())]
    if len(report.sources) > 1:
        lines += ["", "per label file (key level)", f"{'file':<{width}} {_HEADER}"]
        lines += [_row(name, levels["key"], width) for name, levels in sorted(report.sources.items())]
    lines += ["", "main entities (the stories' subjects; passing mentions left out)",
              f"{'level':<{width}} {_HEADER}"]
    lines += [_row(level, report.main[level], width) for level in LEVELS]
    lines += ["", "attribute agreement on key matches (where the label states the attribute)"]
    for name in ATTRIBUTES:
        agree, stated = report.attributes.get(name, [0, 0])
        share = f"{agree / stated:.3f}" if stated else "-"
        lines.append(f"{name:<{width}} {agree:>6}/{stated:<6} {share}")
    return lines


def _stories(report: Report) -> list[str]:
    lines = ["", "misses and false positives per story (key level)"]
    if not report.stories:
        lines.append("  none")
    for outcome in report.stories:
        lines.append(outcome.id)
        for fact, comparison in outcome.misses:
            note = f"  (predicted with comparison {comparison})" if comparison else ""
            lines.append(f"  miss  {format_fact(fact)}{note}")
        lines += [f"  fp    {format_fact(fact)}" for fact in outcome.false_positives]
    return lines


def format_report(report: Report, *, stories: bool = True) -> str:
    """The report as text; ``stories=False`` leaves out the per-story misses and false positives."""
    lines = _tables(report)
    if stories:
        lines += _stories(report)
    if report.unknown_ids:
        shown = ", ".join(report.unknown_ids[:10]) + (" ..." if len(report.unknown_ids) > 10 else "")
        lines += ["", f"note: predictions for {len(report.unknown_ids)} unknown story id(s) ignored: {shown}"]
    lines += ["", "totals", f"{'level':<26} {_HEADER}"]
    lines += [_row(level, report.levels[level], 26) for level in LEVELS]
    key = report.levels["key"]
    lines.append(f"facts: key-match F1 {key.f1:.3f} (P {key.precision:.3f}, R {key.recall:.3f}) "
                 f"over {key.gold} labelled facts")
    return "\n".join(lines) + "\n"


def report_json(report: Report) -> dict[str, Any]:
    """The figures of :func:`format_report` as a JSON-ready dict."""
    return {
        "levels": {level: report.levels[level].to_json() for level in LEVELS},
        "metrics": {m: report.metrics[m].to_json() for m in _metric_order(report)},
        "languages": {lang: {level: levels[level].to_json() for level in LEVELS}
                      for lang, levels in sorted(report.languages.items())},
        "files": {name: {level: levels[level].to_json() for level in LEVELS}
                  for name, levels in sorted(report.sources.items())},
        "main": {level: report.main[level].to_json() for level in LEVELS},
        "main_only": report.main_only,
        "attributes": {name: {"agree": a, "labelled": s} for name, (a, s) in report.attributes.items()},
        "stories": [{"id": o.id,
                     "misses": [{"fact": dict(f.raw or {}), "predicted_comparison": c} for f, c in o.misses],
                     "false_positives": [dict(f.raw or {}) for f in o.false_positives]}
                    for o in report.stories],
        "unknown_ids": report.unknown_ids,
    }
