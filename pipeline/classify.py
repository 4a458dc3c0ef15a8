"""Give each 款 its power categories with a score: one signature for every model, so they can be swapped.

Every classifier maps unit texts to a probability per category; a category is predicted when its score
reaches the model's threshold (chosen on the dev split and kept beside the model). The ensemble
averages its members' probabilities.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from pipeline.models import CATEGORIES, NAMES_BODY, Annotation
from pipeline.rules import confers_nothing, criminal_sentence, rule_scores

MODELS = Path(__file__).resolve().parent.parent / "models"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
DEFAULT_MODEL = "ensemble"
MODEL_NAMES = ("rules", "linear", "transformer", "ensemble")
COSTLY = frozenset({"transformer"})  # ensemble members run only where they can change a decision


class Scorer(Protocol):
    name: str

    def scores(self, texts: Sequence[str]) -> list[dict[str, float]]: ...


class RuleScorer:
    """The rule layer as a model: each category scored by the strongest rule that fired."""

    name = "rules"

    def scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        return [rule_scores(text) for text in texts]


class EnsembleScorer:
    """The weighted mean of its members' probabilities.

    Given where its scores will be cut (`gates`: the category threshold, met by each category's score, and the
    subject threshold, met by the best score, when the ensemble's own best score decides that), a costly member (the
    transformer, ~10 times slower than the others) runs only on the units where its vote can still move a score
    across one of them. Elsewhere the mean is taken over the cheap members: every decision is the one the full
    ensemble would make, only the confidence shown differs.
    """

    name = "ensemble"

    def __init__(self, members: dict[str, Scorer], weights: dict[str, float]) -> None:
        self.members = members
        self.weights = weights

    def scores(self, texts: Sequence[str], gates: tuple[float, float | None] | None = None) -> list[dict[str, float]]:
        return self.combine(self.member_scores(texts, gates))

    def member_scores(self, texts: Sequence[str], gates: tuple[float, float | None] | None = None
                      ) -> dict[str, list[dict[str, float] | None]]:
        """Each member's scores of `texts`; with `gates`, a costly member's only where it can change a decision (None
        elsewhere)."""
        cheap = [name for name in self.members if name not in COSTLY or not gates]
        found: dict[str, list[dict[str, float] | None]] = {
            name: list(self.members[name].scores(texts)) for name in cheap
        }
        costly = [name for name in self.members if name not in cheap]
        if not gates or not costly:
            return found
        reach = sum(self.weights[name] for name in costly) / sum(self.weights.values())
        threshold, best = gates

        def open_question(mean: dict[str, float]) -> bool:
            scores = [score * (1 - reach) for score in mean.values()]  # the final score lies in [score, score + reach]
            top = max(scores, default=0.0)
            return (best is not None and top < best <= top + reach) or any(
                score < threshold <= score + reach for score in scores
            )

        undecided = [index for index, mean in enumerate(self.combine(found)) if open_question(mean)]
        for name in costly:
            rows: list[dict[str, float] | None] = [None] * len(texts)
            if undecided:
                for index, row in zip(undecided, self.members[name].scores([texts[i] for i in undecided]), strict=True):
                    rows[index] = row
            found[name] = rows
        return found

    def combine(self, found: dict[str, list[dict[str, float] | None]]) -> list[dict[str, float]]:
        """Unit by unit, the weighted mean over the members that scored it."""
        combined = []
        for index in range(len(next(iter(found.values()), []))):
            voting = [(self.weights[name], rows[index]) for name, rows in found.items()
                      if rows[index] is not None and self.weights[name]]
            total = sum(weight for weight, _ in voting)
            combined.append({
                category: sum(weight * row[category] for weight, row in voting) / total if total else 0.0
                for category in CATEGORIES
            })
        return combined


@dataclass(frozen=True)
class Classifier:
    """A scorer with the threshold that turns its scores into predicted categories, and the subject gate: whose
    `gate_score` (`subject_gate`, an ensemble member; None: the scorer's own) must reach `subject_threshold` for the
    acting bodies of a unit without a predicted category to be named."""

    scorer: Scorer
    threshold: float
    subject_threshold: float | None = None
    subject_gate: str | None = None

    @property
    def name(self) -> str:
        return self.scorer.name

    def read(self, texts: Sequence[str]) -> list[tuple[dict[str, float], bool]]:
        """Each unit's scores for all ten categories, and whether its subject gate opens (`gate_score` reaches the
        subject threshold, chosen on dev for subject F1), so that its acting bodies are named without a category
        too. A unit with no Chinese text (empty, numbers only), one that sets a criminal punishment and no
        administrative sanction (criminal liability: no category by the guidelines) and one that confers nothing by
        its form (`confers_nothing`: definitions, a field's supervision allocated, a system set up, a scope) score
        zero."""
        scorable = [
            index for index, text in enumerate(texts)
            if CHINESE.search(text or "") and not criminal_sentence(text) and not confers_nothing(text)
        ]
        results = [(dict.fromkeys(CATEGORIES, 0.0), False) for _ in texts]
        chosen = [texts[index] for index in scorable]
        gate = self.threshold if self.subject_threshold is None else self.subject_threshold
        if isinstance(self.scorer, EnsembleScorer) and self.subject_threshold is not None:  # a shipped, whole model
            found = self.scorer.member_scores(chosen, gates=(self.threshold, None if self.subject_gate else gate))
            rows = self.scorer.combine(found)
            gating = [row or {} for row in found[self.subject_gate]] if self.subject_gate else rows
        else:
            gating = self.scorer.scores(chosen)
            rows = [{category: row[category] for category in CATEGORIES} for row in gating]
        for index, row, gate_row in zip(scorable, rows, gating, strict=True):
            results[index] = (row, gate_score(gate_row) >= gate)
        return results

    def classify(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Scores for all ten categories (see `read`)."""
        return [row for row, _ in self.read(texts)]

    def annotate(self, units: Sequence[Annotation]) -> list[Annotation]:
        """The classifier's labels for units (gold ones, say), as Annotations that `evaluate` compares."""
        rows = self.classify([unit.text for unit in units])
        return [self.labelled(unit, row) for unit, row in zip(units, rows, strict=True)]

    def labelled(self, unit: Annotation, scores: dict[str, float]) -> Annotation:
        """`unit` with the categories these scores give it, and nothing else of a labeller's."""
        categories = tuple(str(item["label"]) for item in self.predicted(scores))
        return replace(unit, categories=categories, scores=scores, subjects=(), penalties=(), adjudication=None)

    def predicted(self, scores: dict[str, float]) -> list[dict[str, float | str]]:
        """The categories at or above the threshold, in the guidelines' order, with their scores."""
        return [
            {"label": category, "score": round(scores[category], 4)}
            for category in CATEGORIES
            if scores[category] >= self.threshold
        ]


def gate_score(row: dict[str, float]) -> float:
    """How strongly a unit's scores call for naming its acting bodies: the scorer's names-body probability where it
    gives one (the linear model learns it from the gold subjects), else its best category score."""
    if NAMES_BODY in row:
        return row[NAMES_BODY]
    return max((row[category] for category in CATEGORIES if category in row), default=0.0)


def load_classifier(name: str = DEFAULT_MODEL, models: Path = MODELS) -> Classifier:
    """A shipped model by name; its threshold and, for the ensemble, its members come from `meta.json`."""
    if name not in MODEL_NAMES:
        raise ValueError(f"unknown model {name!r}: choose one of {', '.join(MODEL_NAMES)}")
    meta = read_meta(models / name)
    return Classifier(load_scorer(name, models), meta.get("threshold", 0.5), meta.get("subject_threshold"),
                      meta.get("subject_gate"))


def load_scorer(name: str, models: Path = MODELS) -> Scorer:
    if name == "rules":
        return RuleScorer()
    if name == "linear":
        from pipeline.linear import LinearScorer

        return LinearScorer.load(models / "linear")
    if name == "transformer":
        from pipeline.transformer import TransformerClassifier

        return TransformerClassifier(models / "transformer")
    weights = {member: weight for member, weight in read_meta(models / "ensemble")["weights"].items() if weight}
    members: dict[str, Scorer] = {
        member: _Deferred(member, models) if member in COSTLY else load_scorer(member, models) for member in weights
    }
    return EnsembleScorer(members, weights)


class _Deferred:
    """A costly ensemble member loaded on its first use: a run whose units the cheap members decide (a one-statute
    re-run, often) never imports torch, which alone takes seconds."""

    def __init__(self, name: str, models: Path) -> None:
        self.name = name
        self._models = models
        self._scorer: Scorer | None = None

    def scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        if self._scorer is None:
            self._scorer = load_scorer(self.name, self._models)
        return self._scorer.scores(texts)


def read_meta(directory: Path) -> dict:
    path = directory / "meta.json"
    if not path.is_file():
        if directory.name == "rules":
            return {"threshold": 0.5}
        raise FileNotFoundError(f"{path}: no trained model here; train it with `powers train {directory.name}`")
    return json.loads(path.read_text(encoding="utf-8"))
