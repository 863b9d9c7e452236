"""The facts scorer: predicted tuples against labelled stories, at the loose, key and strict levels.

Labels are JSON Lines, one story a line (``id``, ``lang``, ``main``, ``aliases``, ``facts``);
predictions are JSON Lines ``{"id", "facts": [tuple, ...]}`` or the flat form, one tuple a line
with its story's ``id``. A story without a prediction line has no predictions; predictions for ids
that no label has are ignored and listed in :attr:`Report.unknown_ids`. ``main``, ``aliases`` and
``alt`` are read from labels only. See docs/facts.md ("Scoring") for the rules; normalisation is in
``score_norm`` and ``score_periods``, matching in ``score_match``, the printed report in
``score_report``.

An input that cannot be read (missing file, not JSON, a label without entity/metric/unit/value)
raises :class:`ScoreInputError` (exit status 2) before anything is scored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsdesk.errors import NewsdeskError
from newsdesk.facts.score_match import (
    LEVELS,
    PREDICATES,
    attribute_agreement,
    loose,
    max_matching,
)
from newsdesk.facts.score_norm import (
    AliasIndex,
    Norm,
    label_problem,
    normalise,
    resolve_entity,
)


class ScoreInputError(NewsdeskError):
    """A label or prediction file cannot be read; the message names the file and line."""

    exit_code = 2


@dataclass
class Counts:
    """Labelled (gold), predicted and matched (tp) tuples; precision is 0 when nothing is predicted."""

    gold: int = 0
    pred: int = 0
    tp: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, Any]:
        return {"gold": self.gold, "predicted": self.pred, "tp": self.tp, "fp": self.pred - self.tp,
                "fn": self.gold - self.tp, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass(frozen=True)
class Story:
    """One labelled story."""

    id: str
    lang: str
    main: frozenset[str]
    aliases: Mapping[str, Any]
    facts: tuple[Mapping[str, Any], ...]
    source: str = ""  # the label file's name without its extension (dev-en, holdout-de)


@dataclass
class StoryOutcome:
    """A story's key-level misses (with the comparison of a prediction that matched only loosely,
    if one did) and false positives."""

    id: str
    misses: list[tuple[Norm, str | None]] = field(default_factory=list)
    false_positives: list[Norm] = field(default_factory=list)


@dataclass
class Report:
    levels: dict[str, Counts] = field(default_factory=lambda: {level: Counts() for level in LEVELS})
    metrics: dict[str, Counts] = field(default_factory=dict)  # key level
    languages: dict[str, dict[str, Counts]] = field(default_factory=dict)
    sources: dict[str, dict[str, Counts]] = field(default_factory=dict)  # label file -> level -> counts
    main: dict[str, Counts] = field(default_factory=lambda: {level: Counts() for level in LEVELS})
    attributes: dict[str, list[int]] = field(default_factory=dict)  # name -> [agree, labelled]
    stories: list[StoryOutcome] = field(default_factory=list)
    unknown_ids: list[str] = field(default_factory=list)
    main_only: bool = False

    def to_json(self) -> dict[str, Any]:
        from newsdesk.facts.score_report import report_json

        return report_json(self)


# --- reading --------------------------------------------------------------------------------

def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScoreInputError(f"cannot read {path}: {exc}") from None


def _objects(name: str, text: str) -> list[tuple[int, dict[str, Any]]]:
    """(line number, JSON object) of each non-blank line."""
    out: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ScoreInputError(f"{name} line {number} is not JSON ({exc.msg}); "
                                  "write one JSON object per line") from None
        if not isinstance(data, dict):
            raise ScoreInputError(f"{name} line {number} is not a JSON object")
        out.append((number, data))
    return out


def _story(name: str, number: int, data: dict[str, Any]) -> Story:
    story_id = str(data["id"]) if data.get("id") is not None else f"{Path(name).stem}:{number}"
    facts = data.get("facts", [])
    if not isinstance(facts, list):
        raise ScoreInputError(f"{name} line {number} (story {story_id}): 'facts' is not a list")
    for raw in facts:
        problem = label_problem(raw)
        if problem:
            raise ScoreInputError(f"{name} line {number} (story {story_id}): {problem}; fix the label")
    aliases, main = data.get("aliases"), data.get("main")
    return Story(id=story_id, lang=str(data.get("lang") or "?"),
                 main=frozenset(str(m) for m in main) if isinstance(main, list) else frozenset(),
                 aliases=aliases if isinstance(aliases, dict) else {}, facts=tuple(facts), source=Path(name).stem)


def load_labels(sources: Iterable[tuple[str, str]]) -> list[Story]:
    """Stories from (name, text) pairs; a line without ``id`` is named ``<file stem>:<line>``."""
    stories: list[Story] = []
    seen: dict[str, str] = {}
    for name, text in sources:
        for number, data in _objects(name, text):
            story = _story(name, number, data)
            if story.id in seen:
                raise ScoreInputError(f"story id {story.id!r} is labelled twice ({seen[story.id]} and "
                                      f"{name} line {number}); ids must be unique")
            seen[story.id] = f"{name} line {number}"
            stories.append(story)
    return stories


_LABEL_ONLY = ("id", "main", "aliases", "alt")


def load_predictions(name: str, text: str) -> dict[str, list[Any]]:
    """Story id -> predicted tuples, from the nested or the flat form (lines of one id add up)."""
    out: dict[str, list[Any]] = {}
    for number, data in _objects(name, text):
        if data.get("id") is None:
            raise ScoreInputError(f"{name} line {number} has no 'id'; every prediction line names its story")
        facts = out.setdefault(str(data["id"]), [])
        if "facts" in data:
            if not isinstance(data["facts"], list):
                raise ScoreInputError(f"{name} line {number}: 'facts' is not a list")
            facts.extend(data["facts"])
        elif "metric" in data or "entity" in data:
            facts.append({k: v for k, v in data.items() if k not in _LABEL_ONLY})
    return out


# --- scoring --------------------------------------------------------------------------------

def _prediction(raw: Any, story: AliasIndex, everyone: AliasIndex) -> Norm:
    if not isinstance(raw, Mapping):
        raw = {"entity": None, "metric": "(not an object)", "value": raw}
    return normalise({k: v for k, v in raw.items() if k != "alt"}, story, everyone, label=False)


def _count(report: Report, story: Story, gold: list[Norm], pred: list[Norm],
           matchings: dict[str, dict[int, int]], main: frozenset[str]) -> None:
    languages = report.languages.setdefault(story.lang, {level: Counts() for level in LEVELS})
    sources = report.sources.setdefault(story.source, {level: Counts() for level in LEVELS})
    for level in LEVELS:
        pairs = matchings[level]
        for counts, in_main in ((report.levels[level], False), (languages[level], False),
                                (sources[level], False), (report.main[level], True)):
            counts.gold += sum(1 for g in gold if not in_main or g.entity in main)
            counts.pred += sum(1 for p in pred if not in_main or p.entity in main)
            counts.tp += sum(1 for i in pairs if not in_main or gold[i].entity in main)
    for g in gold:
        report.metrics.setdefault(g.metric, Counts()).gold += 1
    for p in pred:
        report.metrics.setdefault(p.metric, Counts()).pred += 1
    for i, j in matchings["key"].items():
        report.metrics[gold[i].metric].tp += 1
        for name, agreed in attribute_agreement(gold[i], pred[j]).items():
            tally = report.attributes.setdefault(name, [0, 0])
            tally[0] += int(agreed)
            tally[1] += 1


def _outcome(story: Story, gold: list[Norm], pred: list[Norm], key_pairs: dict[int, int]) -> StoryOutcome:
    outcome = StoryOutcome(story.id)
    used = set(key_pairs.values())
    for i, g in enumerate(gold):
        if i in key_pairs:
            continue
        near = [j for j, p in enumerate(pred) if loose(g, p)]
        near.sort(key=lambda j: j in used)  # a prediction left unmatched is the likelier culprit
        outcome.misses.append((g, (pred[near[0]].comparison or "null") if near else None))
    outcome.false_positives = [p for j, p in enumerate(pred) if j not in used]
    return outcome


def score(stories: list[Story], predictions: Mapping[str, list[Any]], *, main_only: bool = False) -> Report:
    """Score predictions (story id -> raw tuples) against labelled stories."""
    everyone = AliasIndex()
    for story in stories:
        for code, names in story.aliases.items():
            everyone.add(str(code), names if isinstance(names, list) else [])
    report = Report(main_only=main_only)
    known = {story.id for story in stories}
    report.unknown_ids = [story_id for story_id in predictions if story_id not in known]
    for story in stories:
        index = AliasIndex.of(story.aliases)
        main = frozenset(resolve_entity(m, index, everyone) for m in story.main)
        gold = [normalise(raw, index, everyone, label=True) for raw in story.facts]
        pred = [_prediction(raw, index, everyone) for raw in predictions.get(story.id, [])]
        if main_only:
            gold = [g for g in gold if g.entity in main]
            pred = [p for p in pred if p.entity in main]
        matchings = {level: max_matching(gold, pred, PREDICATES[level]) for level in LEVELS}
        _count(report, story, gold, pred, matchings, main)
        outcome = _outcome(story, gold, pred, matchings["key"])
        if outcome.misses or outcome.false_positives:
            report.stories.append(outcome)
    return report


def score_files(labels: Iterable[Path], predictions: Path | None, prediction_text: str | None = None,
                *, main_only: bool = False) -> Report:
    """Read the label files and the prediction file (or ``prediction_text``, e.g. stdin), score."""
    stories = load_labels((str(path), _read(path)) for path in labels)
    if prediction_text is None:
        if predictions is None:
            raise ScoreInputError("no predictions given")
        prediction_text = _read(predictions)
    name = str(predictions) if predictions is not None else "<stdin>"
    return score(stories, load_predictions(name, prediction_text), main_only=main_only)
