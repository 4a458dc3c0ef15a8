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

from pipeline.models import CATEGORIES, Annotation
from pipeline.rules import criminal_sentence, rule_scores

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
    subject threshold, met by the best score), a costly member (the transformer, ~10 times slower than the others)
    runs only on the units where its vote can still move a score across one of them. Elsewhere the cheap members'
    weighted mean, renormalised over their weights, is the score: every decision is the one the full ensemble would
    make, only the confidence shown differs.
    """

    name = "ensemble"

    def __init__(self, members: dict[str, Scorer], weights: dict[str, float]) -> None:
        self.members = members
        self.weights = weights

    def scores(self, texts: Sequence[str], gates: tuple[float, float] | None = None) -> list[dict[str, float]]:
        total = sum(self.weights.values())
        cheap = [name for name in self.members if name not in COSTLY or not gates]
        costly = [name for name in self.members if name not in cheap]
        combined = self._add(cheap, texts, [dict.fromkeys(CATEGORIES, 0.0) for _ in texts], total)
        if not gates or not costly:
            return combined
        reach = sum(self.weights[name] for name in costly) / total
        threshold, best = gates

        def open_question(row: dict[str, float]) -> bool:
            top = max(row.values(), default=0.0)
            return top < best <= top + reach or any(score < threshold <= score + reach for score in row.values())

        undecided = [index for index, row in enumerate(combined) if open_question(row)]
        if undecided:
            for index, row in zip(undecided, self._add(costly, [texts[i] for i in undecided],
                                                       [combined[i] for i in undecided], total), strict=True):
                combined[index] = row
        decided = set(range(len(texts))) - set(undecided)
        for index in decided:
            combined[index] = {category: score / (1 - reach) for category, score in combined[index].items()}
        return combined

    def _add(self, names: list[str], texts: Sequence[str], rows: list[dict[str, float]],
             total: float) -> list[dict[str, float]]:
        """`rows` plus the weighted votes of the members `names` on `texts`."""
        rows = [dict(row) for row in rows]
        for name in names:
            for row, scores in zip(rows, self.members[name].scores(texts), strict=True):
                for category, score in scores.items():
                    row[category] += self.weights[name] * score / total
        return rows


@dataclass(frozen=True)
class Classifier:
    """A scorer with the threshold that turns its scores into predicted categories."""

    scorer: Scorer
    threshold: float
    subject_threshold: float | None = None

    @property
    def name(self) -> str:
        return self.scorer.name

    def acting(self, scores: dict[str, float]) -> bool:
        """Whether a unit is power-like enough to name its acting bodies: the subject threshold (chosen on dev for
        subject F1) may sit below the category threshold, since a body is worth showing on a doubtful unit too."""
        gate = self.threshold if self.subject_threshold is None else self.subject_threshold
        return max(scores.values(), default=0.0) >= gate

    def classify(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Scores for all ten categories; a unit with no Chinese text (empty, numbers only) or that sets a criminal
        punishment and no administrative sanction (criminal liability: no category by the guidelines) scores zero."""
        scorable = [
            index for index, text in enumerate(texts) if CHINESE.search(text or "") and not criminal_sentence(text)
        ]
        results = [dict.fromkeys(CATEGORIES, 0.0) for _ in texts]
        chosen = [texts[index] for index in scorable]
        if isinstance(self.scorer, EnsembleScorer) and self.subject_threshold is not None:  # a shipped, whole model
            found = self.scorer.scores(chosen, gates=(self.threshold, self.subject_threshold))
        else:
            found = self.scorer.scores(chosen)
        for index, scores in zip(scorable, found, strict=True):
            results[index] = scores
        return results

    def annotate(self, units: Sequence[Annotation]) -> list[Annotation]:
        """The classifier's labels for units (gold ones, say), as Annotations that `evaluate` compares."""
        rows = self.classify([unit.text for unit in units])
        return [
            replace(unit, categories=tuple(str(item["label"]) for item in self.predicted(row)), scores=row,
                    subjects=(), penalties=(), adjudication=None)
            for unit, row in zip(units, rows, strict=True)
        ]

    def predicted(self, scores: dict[str, float]) -> list[dict[str, float | str]]:
        """The categories at or above the threshold, in the guidelines' order, with their scores."""
        return [
            {"label": category, "score": round(scores[category], 4)}
            for category in CATEGORIES
            if scores[category] >= self.threshold
        ]


def load_classifier(name: str = DEFAULT_MODEL, models: Path = MODELS) -> Classifier:
    """A shipped model by name; its threshold and, for the ensemble, its members come from `meta.json`."""
    if name not in MODEL_NAMES:
        raise ValueError(f"unknown model {name!r}: choose one of {', '.join(MODEL_NAMES)}")
    meta = read_meta(models / name)
    return Classifier(load_scorer(name, models), meta.get("threshold", 0.5), meta.get("subject_threshold"))


def load_scorer(name: str, models: Path = MODELS) -> Scorer:
    if name == "rules":
        return RuleScorer()
    if name == "linear":
        from pipeline.linear import LinearClassifier

        return LinearClassifier.load(models / "linear")
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
