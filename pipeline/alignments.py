"""Hand-checked alignments of real version pairs: read them, learn the link model from them, score it pair by pair.

`annotations/alignments/pairs.toml` names each editors' file and the two versions it aligns. The model of
`pipeline/link.py` learns which candidate pairs the editors linked; since every pair it could be tested on is also
one it learns from, its card reports each pair scored by a model trained on all the others (leave one pair out),
beside the rules alone and the shipped model on the pairs it saw.
"""

from __future__ import annotations

import csv
import json
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from pipeline.align import Article, agreement, articles, relate
from pipeline.link import FEATURES, NEAREST, Evidence, LinkModel, chosen, evidence
from pipeline.segment import read_statute
from pipeline.write import atomic_open

Link = tuple[int | None, int | None, str]
"""A row of an editors' file: old article, new article (None on the missing side), relation."""


@dataclass(frozen=True)
class CheckedPair:
    """Two versions of a statute and the editors' links between their articles."""

    name: str
    old: list[Article]
    new: list[Article]
    links: list[Link]
    checked: str


def read_links(path: Path) -> list[Link]:
    """An editors' file: `old_article,new_article,relation`, numbers as integers, empty on the missing side."""
    with path.open(encoding="utf-8") as handle:
        return [
            (int(row["old_article"]) if row["old_article"] else None,
             int(row["new_article"]) if row["new_article"] else None, row["relation"])
            for row in csv.DictReader(handle)
        ]


def checked_pairs(folder: Path) -> list[dict[str, str]]:
    """The entries of `folder/pairs.toml`: file, old and new (paths in the corpus), how they were checked."""
    return tomllib.loads((folder / "pairs.toml").read_text(encoding="utf-8"))["pair"]


def read_pairs(folder: Path, corpus: Path) -> list[CheckedPair]:
    """Every pair of `folder/pairs.toml`, its two versions read from `corpus`."""
    return [
        CheckedPair(entry["file"].removesuffix(".csv"), articles(read_statute(corpus / entry["old"])),
                    articles(read_statute(corpus / entry["new"])), read_links(folder / entry["file"]),
                    entry["checked"])
        for entry in checked_pairs(folder)
    ]


@dataclass(frozen=True)
class Examples:
    """A checked pair's evidence, its candidate links with their features, and whether the editors drew each."""

    evidence: Evidence
    candidates: list[tuple[int, int]]
    features: np.ndarray
    labels: np.ndarray


def examples(pair: CheckedPair) -> Examples:
    """The evidence of the pair's texts (computed once for every model scored on it) and the editors' verdicts."""
    found = evidence([a.paragraphs for a in pair.old], [a.paragraphs for a in pair.new])
    candidates = found.candidates()
    old_index = {article.number: index for index, article in reversed(list(enumerate(pair.old)))}
    new_index = {article.number: index for index, article in reversed(list(enumerate(pair.new)))}
    drawn = {(old_index[old], new_index[new]) for old, new, _ in pair.links if old is not None and new is not None}
    return Examples(found, candidates, found.features(candidates),
                    np.array([candidate in drawn for candidate in candidates]))


def fit(found: Sequence[Examples], C: float, threshold: float) -> LinkModel:
    """A logistic regression on the pairs' examples (scikit-learn fits it; the model keeps its arithmetic)."""
    matrix, labels = np.vstack([x.features for x in found]), np.concatenate([x.labels for x in found])
    scaler = StandardScaler().fit(matrix)
    regression = LogisticRegression(C=C, max_iter=5000).fit(scaler.transform(matrix), labels)
    return LinkModel(FEATURES, tuple(scaler.mean_.tolist()), tuple(scaler.scale_.tolist()),
                     tuple(regression.coef_[0].tolist()), float(regression.intercept_[0]), threshold)


def score(pair: CheckedPair, found: Examples, model: LinkModel | None) -> dict[str, float]:
    """`align.agreement` of the pair with `model`'s links, or with the rules' alone (None)."""
    edges = set(found.evidence.rules) if model is None else chosen(found.candidates, found.features, model)
    return agreement(relate(pair.old, pair.new, edges, found.evidence), pair.links)


def train_aligner(config: dict[str, Any]) -> dict[str, Any]:
    """Fit on every checked pair, score each pair left out, write `model.json`, `meta.json` and the model card."""
    settings = config["aligner"]
    folder, directory = config["data"]["alignments"], config["data"]["models"] / "aligner"
    started = time.perf_counter()
    pairs = read_pairs(folder, config["data"]["corpus"])
    found = {pair.name: examples(pair) for pair in pairs}
    model = fit(list(found.values()), settings["C"], settings["threshold"])
    scores = {}
    for pair in pairs:
        others = [example for name, example in found.items() if name != pair.name]
        left_out = fit(others, settings["C"], settings["threshold"])
        scores[pair.name] = {"checked": pair.checked, "rows": len(pair.links),
                             **{system: score(pair, found[pair.name], way) for system, way in
                                (("rules", None), ("left_out", left_out), ("shipped", model))}}
    meta = {"model": "aligner", "settings": settings, "pairs": scores,
            "pooled": {system: _pooled(scores, system) for system in ("rules", "left_out", "shipped")},
            "seconds": round(time.perf_counter() - started, 1)}
    model.save(directory / "model.json")
    with atomic_open(directory / "meta.json") as handle:
        json.dump(meta, handle, ensure_ascii=False, indent=2)
    with atomic_open(directory / "README.md") as handle:
        handle.write(model_card(meta, model))
    return meta["pooled"]


def _pooled(scores: dict[str, dict[str, Any]], system: str) -> float:
    """Accuracy over all pairs' rows together: rows right in both / rows in either, summed."""
    right = sum(pair[system]["right"] for pair in scores.values())
    return round(right / max(sum(pair[system]["either"] for pair in scores.values()), 1), 3)


def model_card(meta: dict[str, Any], model: LinkModel) -> str:
    """What the aligner's link model is, what it learnt from, how to remake it, and how well it does per pair."""
    rows = "\n".join(
        f"| {name} | {pair['checked']} | {pair['rows']} | {pair['rules']['accuracy']:.3f} "
        f"| **{pair['left_out']['accuracy']:.3f}** | {pair['shipped']['accuracy']:.3f} |"
        for name, pair in meta["pairs"].items()
    )
    pooled = meta["pooled"]
    weights = "\n".join(
        f"| {name} | {coef:+.2f} |" for name, coef in sorted(zip(model.features, model.coef, strict=True),
                                                             key=lambda item: -abs(item[1]))
    )
    settings = json.dumps(meta["settings"], ensure_ascii=False, indent=2)
    return f"""# Model card: aligner

Decides which articles of two versions of a statute carry the same provision (`powers amend`, `powers audit`).
For every candidate pair of articles (the rules' links, and each article's {NEAREST} most alike articles of the other
version) it weighs the evidence of `pipeline/link.py` — character bigrams, the global assignment, sentences and
款 rewritten from one article into the other, place between order-keeping anchors, and the rules' own verdict —
by a logistic regression over standardised features, and links the pair when the probability reaches
**{model.threshold}**. `pipeline/align.py` names the relations from the links (split, merged, same, modified).

## Data
Every hand-checked pair of `annotations/alignments/pairs.toml` ({len(meta['pairs'])} pairs,
{sum(pair['rows'] for pair in meta['pairs'].values())} rows), the versions read from `../shared/corpus/lawrefbook`.

## Retrain
`powers train aligner` (settings in `models/config.toml`, table `[aligner]`; {meta['seconds']:.0f} s on 2 cores);
the scores below are rewritten by the run.

## Scores
Accuracy as `pipeline.align.agreement` counts it (a row is right when old article, new article and relation all
equal the editors'; rows right / rows in either). `rules`: the threshold rules alone; `left out`: the model
trained on every other pair, the honest score; `shipped`: the shipped model, which learnt from this pair too.

| pair | checked | rows | rules | left out | shipped |
| --- | --- | --- | --- | --- | --- |
{rows}
| **pooled** | | | {pooled['rules']:.3f} | **{pooled['left_out']:.3f}** | {pooled['shipped']:.3f} |

## Weights (standardised features, largest first)
| feature | weight |
| --- | --- |
{weights}

## Settings
```json
{settings}
```
"""
