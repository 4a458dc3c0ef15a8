"""Which body mentions of a 款 name its acting bodies: a logistic regression over the words around each mention.

The rule finder (`pipeline.subjects`) delimits every body name of a 款 and says, from the words around it, how
directly the body acts (由X责令, 经X批准, 向X申请, 按照X的规定). Which mentions the guidelines count is a finer call
than its rules make: a second body the 款 sends a party to (到有关部门办理手续) or has a report sent to
(报本级人民政府备案) is named but exercises no power here, and a body whose 核定的 standard a party must follow can be
the one that fixes a fee. This model learns that call from the gold: for every mention, the finder's verdict, the
characters before and after it in its clause, its head and its core name, and whether its sentence sets a sanction
or a licence. A name is kept once, where it is likeliest, when that likelihood reaches the model's threshold.

Trained on the train split (every mention of a gold unit with a category; mentions in units without one count for
`none_weight` each, so that the model also learns what a body does in a 款 that confers no power):
`powers train mentions`. Shipped as its arithmetic (feature names, weights), read without scikit-learn.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from pipeline.models import Annotation, Span
from pipeline.subjects import (
    HEAD,
    ITEM,
    LEVELLED,
    SENTENCE_END,
    SUBJECT_START,
    Role,
    clause_after,
    clause_before,
    find_roles,
    listed_condition,
    not_a_body,
    sentence_start,
    short_for,
)
from pipeline.write import atomic_open

MODEL = Path(__file__).resolve().parent.parent / "models" / "mentions" / "model.json"
SANCTION = re.compile(r"罚款|警告|没收|吊销|暂扣|拘留|责令停产|责令关闭")
LICENCE = re.compile(r"批准|许可|审批|核准|登记|备案")
VAGUE = re.compile(r"有关|相关|其他|等")
CORE_BEFORE_HEAD = 4  # characters of the name kept before its head as its core: 交通管理部门, 生态环境主管部门


def features(text: str, found: Sequence[Role], index: int) -> dict[str, float]:
    """What the model reads of mention `index` among all the mentions `found` in `text`."""
    role = found[index]
    before, after = clause_before(text, role.start), clause_after(text, role.end)
    heads = list(HEAD.finditer(role.name))
    head = heads[-1] if heads else None
    same = [other for other in found if other.name == role.name]
    stop = SENTENCE_END.search(text, role.end)
    sentence = text[sentence_start(text, role.start) : stop.start() if stop else len(text)]
    out = {
        f"finder={role.score}": 1.0,
        f"head={head.group() if head else ''}": 1.0,
        f"core={role.name[max(0, head.start() - CORE_BEFORE_HEAD) if head else 0 :]}": 1.0,
        f"length={min(len(role.name) // 3, 6)}": 1.0,
        f"occurrence={min(same.index(role), 2)}": 1.0,
        f"mentions={min(len(found), 5)}": 1.0,
        "not_a_body": float(not_a_body(role.name)),
        "vague": float(VAGUE.search(role.name) is not None),
        "relative": float("的" in role.name),
        "levelled": float(LEVELLED.search(role.name) is not None),
        "first": float(index == 0),
        "opens_clause": float(SUBJECT_START.match(before) is not None),
        "most_direct": float(role.score >= max(other.score for other in same)),
        "short_for_another": float(any(short_for(role.name, other.name) for other in found if other.name != role.name)),
        "in_item": float(ITEM.search(text, 0, role.start) is not None),
        "listed_condition": float(listed_condition(text, role.start)),
        "sentence_sanction": float(SANCTION.search(sentence) is not None),
        "sentence_licence": float(LICENCE.search(sentence) is not None),
        "unit_sanction": float(SANCTION.search(text) is not None),
    }
    for size in (1, 2, 3):
        out[f"before{size}={before[-size:] if len(before) >= size else '^' + before}"] = 1.0
    for size in (1, 2, 3, 4):
        out[f"after{size}={after[:size] if len(after) >= size else after + '$'}"] = 1.0
    for start in range(len(before) - 1):
        out[f"before_bigram={before[start : start + 2]}"] = 1.0
    for start in range(min(len(after), 10) - 1):
        out[f"after_bigram={after[start : start + 2]}"] = 1.0
    return out


@dataclass(frozen=True)
class MentionModel:
    """A logistic regression over `features`, shipped as its arithmetic (no scikit-learn at run time)."""

    weights: dict[str, float]
    intercept: float
    threshold: float

    def probabilities(self, text: str, found: Sequence[Role]) -> np.ndarray:
        """How likely each mention in `found` names an acting body of `text`."""
        z = np.array([
            self.intercept
            + sum(value * self.weights.get(name, 0.0) for name, value in features(text, found, index).items())
            for index in range(len(found))
        ])
        return 1 / (1 + np.exp(-z))

    def likeliest(self, text: str) -> list[tuple[Role, float]]:
        """Each body name of `text` once, at its likeliest mention, with that likelihood."""
        found = find_roles(text)
        best: dict[str, tuple[Role, float]] = {}
        for role, probability in zip(found, self.probabilities(text, found) if found else (), strict=True):
            if role.name not in best or probability > best[role.name][1]:
                best[role.name] = (role, float(probability))
        return list(best.values())

    def subjects(self, text: str) -> tuple[Span, ...]:
        """The acting bodies of `text`: each name once, at its likeliest mention, when likely enough."""
        return kept(self.likeliest(text), self.threshold)

    def save(self, path: Path) -> None:
        with atomic_open(path) as handle:
            json.dump({"intercept": self.intercept, "threshold": self.threshold,
                       "weights": {name: round(weight, 5) for name, weight in self.weights.items()}}, handle,
                      ensure_ascii=False, indent=0, separators=(",", ":"))


def kept(likeliest: Sequence[tuple[Role, float]], threshold: float) -> tuple[Span, ...]:
    """The names of `likeliest` whose likelihood reaches `threshold`, less those short for another kept, in text
    order: apart from `MentionModel.likeliest`, so that training reads each text once whatever the threshold tried."""
    chosen = [role for role, probability in likeliest if probability >= threshold]
    chosen = [role for role in chosen if not any(short_for(role.name, o.name) for o in chosen if o.name != role.name)]
    return tuple(Span(role.name, role.start, role.end) for role in sorted(chosen, key=lambda role: role.start))


def load_mention_model(path: Path = MODEL) -> MentionModel:
    """The model in `path` (default: the shipped one)."""
    return _load(path.resolve())


@cache
def _load(path: Path) -> MentionModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    return MentionModel(data["weights"], float(data["intercept"]), float(data["threshold"]))


def find_acting(text: str) -> tuple[Span, ...]:
    """The acting bodies of one 款 as the shipped model reads them."""
    return _load(MODEL).subjects(text)


def examples(units: Sequence[Annotation], none_weight: float) -> tuple[list[dict[str, float]], list[int], list[float]]:
    """Every mention in `units` with its label (it covers more than half of a gold subject's span: the gold may
    take a longer or shorter name than the finder) and its weight (`none_weight` in a unit without a category)."""
    rows, labels, weights = [], [], []
    for unit in units:
        if not unit.categories and not none_weight:
            continue
        found = find_roles(unit.text)
        for index, role in enumerate(found):
            covered = sum(max(0, min(span.end, role.end) - max(span.start, role.start)) for span in unit.subjects)
            rows.append(features(unit.text, found, index))
            labels.append(int(2 * covered > role.end - role.start))
            weights.append(1.0 if unit.categories else none_weight)
    return rows, labels, weights


def fit(units: Sequence[Annotation], C: float, none_weight: float, threshold: float) -> MentionModel:
    """A logistic regression on the mentions of `units` (scikit-learn fits it; the model keeps its arithmetic)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows, labels, weights = examples(units, none_weight)
    vectorizer = DictVectorizer()
    regression = LogisticRegression(C=C, max_iter=5000).fit(vectorizer.fit_transform(rows), labels,
                                                           sample_weight=weights)
    coef = regression.coef_[0].tolist()
    return MentionModel(dict(zip(vectorizer.get_feature_names_out().tolist(), coef, strict=True)),
                        float(regression.intercept_[0]), threshold)
