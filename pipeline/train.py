"""Train the shipped models from `models/config.toml`: `powers train NAME`, NAME one of TRAINERS.

Every model learns from the train split only, picks its threshold (and the ensemble its weights) on the
dev split, the ensemble also on the train statutes read out of fold, and is scored on dev and test; the scores, the
data it saw and its size go into `meta.json` beside it, from which its model card is written.
"""

from __future__ import annotations

import json
import random
import sys
import time
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.alignments import train_aligner
from pipeline.classify import COSTLY, MODELS, Classifier, EnsembleScorer, Scorer, load_classifier, load_scorer
from pipeline.dataset import corpus_units, labelled_dataset, statute_name
from pipeline.evaluate import Evaluation, evaluate
from pipeline.extract import Bodies, annotate
from pipeline.gold import load_annotations, load_splits, split
from pipeline.mentions import MentionModel, fit, kept, load_mention_model
from pipeline.models import CATEGORIES, Annotation
from pipeline.rules import rule_scores
from pipeline.subjects import Role, find_subjects
from pipeline.write import atomic_open

THRESHOLDS = tuple(round(0.05 * step, 2) for step in range(3, 15))  # 0.15 … 0.70
SUBJECT_THRESHOLDS = tuple(round(0.05 * step, 2) for step in range(1, 20))  # 0.05 … 0.95
MENTION_THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
OUT_OF_FOLD = "train (out of fold)"  # scores on the train statutes, each fold read by models fitted without it


def load_config(path: Path = MODELS / "config.toml", models: Path | None = None) -> dict[str, Any]:
    """The training config; its paths are relative to the repository, `models` is where models are written."""
    config = tomllib.loads(path.read_text(encoding="utf-8"))
    root = path.resolve().parent.parent
    for key in ("corpus", "gold", "splits", "pretrained", "alignments"):
        config["data"][key] = (root / config["data"][key]).resolve()
    config["data"]["models"] = (models or MODELS).resolve()
    return config


def gold_splits(config: dict[str, Any]) -> dict[str, list[Annotation]]:
    """The gold by split; with `data.reviewed` (`powers train --with-reviewed DIR`), reviewed units join train."""
    splits = split(load_annotations(config["data"]["gold"]), load_splits(config["data"]["splits"]))
    if config["data"].get("reviewed"):
        splits["train"] = with_reviewed(splits, load_annotations(config["data"]["reviewed"]))
    return splits


def with_reviewed(splits: dict[str, list[Annotation]], reviewed: Sequence[Annotation]) -> list[Annotation]:
    """The train split with reviewed units added, a reviewed unit replacing the gold one of the same key.

    Units of a dev or test statute (any version, by name) are left out and reported: they would make the scores on
    dev and test measure memory.
    """
    held_out = held_out_names(splits)
    refused = sorted({unit.file or "" for unit in reviewed if statute_name(unit.file or "") in held_out})
    if refused:
        print(f"powers train: reviewed units of dev/test statutes left out of training: {', '.join(refused)}",
              file=sys.stderr)
    added = {unit.key: unit for unit in reviewed if statute_name(unit.file or "") not in held_out}
    replaced = sum(1 for unit in splits["train"] if unit.key in added)
    print(f"powers train: {len(added)} reviewed units: {replaced} replace gold units of the train split, "
          f"{len(added) - replaced} join it", file=sys.stderr)
    return [added.pop(unit.key, unit) for unit in splits["train"]] + list(added.values())


def held_out_names(splits: dict[str, list[Annotation]]) -> set[str]:
    """Names (every version) of the dev and test statutes: never in any training data."""
    return {statute_name(unit.file or "") for name in ("dev", "test") for unit in splits[name]}


def headline(evaluation: Evaluation) -> dict[str, float | None]:
    return {
        "micro_f1": evaluation.categories.f1,
        "macro_f1": evaluation.macro_f1,
        "power_f1": evaluation.power.f1,
        "subject_f1": evaluation.subject_overlap.f1,
        "penalty_f1": evaluation.penalties.f1,
        "ece": evaluation.calibration.ece,
        "units": len(evaluation.pairs),
    }


def category_objective(result: dict[str, float | None]) -> float:
    """What a threshold and an ensemble's weights are chosen to maximise: the mean of micro- and macro-F1."""
    return ((result["micro_f1"] or 0.0) + (result["macro_f1"] or 0.0)) / 2


Reading = tuple[Scorer, Sequence[Annotation]]  # units, and the scorer that reads them: dev, or a fold out of fold


def choose_threshold(readings: Sequence[Reading]) -> tuple[float, dict[str, float | None]]:
    """The threshold that maximises the mean of micro- and macro-F1 over the units of every reading pooled: dev, and
    the train folds where the model can be fitted fold by fold (19 dev statutes alone once chose a threshold that
    test did not keep)."""
    units = [unit for _, part in readings for unit in part]
    rows = [row for scorer, part in readings for row in Classifier(scorer, 0.5).classify([unit.text for unit in part])]
    best: tuple[float, float, dict[str, float | None]] | None = None
    for threshold in THRESHOLDS:
        classifier = Classifier(readings[0][0], threshold)  # only its threshold labels the rows
        labelled = [classifier.labelled(unit, row) for unit, row in zip(units, rows, strict=True)]
        result = headline(evaluate(units, labelled))
        objective = category_objective(result)
        if best is None or objective > best[1]:
            best = (threshold, objective, result)
    assert best is not None
    return best[0], best[2]


@dataclass(frozen=True)
class Fold:
    """The train statutes of one fold, as models fitted on the other folds read them: their scorers' scores
    replayed and the bodies their mention model reads. Dev alone (19 statutes) chose a subject gate at an isolated
    peak of its curve (0.35: dev 0.844 against 0.830 at 0.3 and 0.4); the folds add the 527 train statutes."""

    units: list[Annotation]
    members: dict[str, Scorer]
    likeliest: Callable[[str], Sequence[tuple[Role, float]]]  # the fold's mention model, each text read once

    def bodies(self, threshold: float) -> Bodies:
        """The acting bodies the fold's mention model reads at `threshold`."""
        return lambda text: kept(self.likeliest(text), threshold)


REFITTED = frozenset({"rules", "linear"})  # the members `train_folds` fits again fold by fold (rules need no fitting)


def statute_folds(units: Sequence[Annotation], folds: int) -> list[tuple[list[Annotation], list[Annotation]]]:
    """`units` in `folds` groups, whole statutes to a group (by file name, round robin in name order): each group
    held out, with the units of the other groups to fit on."""
    files = sorted({unit.file or "" for unit in units})
    fold = {name: order % folds for order, name in enumerate(files)}
    return [
        ([unit for unit in units if fold[unit.file or ""] == k], [unit for unit in units if fold[unit.file or ""] != k])
        for k in range(folds)
    ]


def train_folds(config: dict[str, Any], train: Sequence[Annotation]) -> list[Fold]:
    """Each fold of the train statutes read by the linear model and a mention model fitted on the other folds
    (about 2 minutes a fold on 2 cores), and by the rules."""
    from pipeline.linear import LinearClassifier

    folds = []
    for held, rest in statute_folds(train, config["ensemble"]["folds"]):
        texts = [unit.text for unit in held]
        linear = LinearClassifier(config["linear"]).fit(labelled_dataset(rest))
        mentions = fit(rest, config["mentions"]["C"], config["mentions"]["none_weight"], MENTION_THRESHOLDS[0])
        members: dict[str, Scorer] = {"rules": _Fixed("rules", texts, [rule_scores(text) for text in texts]),
                                      "linear": _Fixed("linear", texts, linear.scores(texts))}
        folds.append(Fold(held, members, cache(mentions.likeliest)))
    return folds


def fold_scorer(scorer: Scorer, fold: Fold) -> Scorer | None:
    """`scorer` as fitted without the fold's statutes, made of the fold's members; None where a member that counts
    cannot be fitted fold by fold (the transformer)."""
    if isinstance(scorer, EnsembleScorer):
        counted = {name for name, weight in scorer.weights.items() if weight}
        if not counted <= set(fold.members):
            return None
        return EnsembleScorer(fold.members, {**dict.fromkeys(fold.members, 0.0), **scorer.weights})
    return fold.members.get(scorer.name)


def in_fold(classifier: Classifier, fold: Fold) -> Classifier | None:
    """`classifier` as fitted without the fold's statutes (`fold_scorer`), thresholds and gate kept."""
    folded = fold_scorer(classifier.scorer, fold)
    return replace(classifier, scorer=folded) if folded is not None else None


def through_folds(classifier: Classifier, folds: Sequence[Fold]) -> list[tuple[Fold, Classifier]]:
    """Each fold with `classifier` as fitted without it (`in_fold`), the folds it cannot be fitted without left out."""
    return [(fold, folded) for fold in folds if (folded := in_fold(classifier, fold)) is not None]


def readings(scorer: Scorer, dev: Sequence[Annotation], folds: Sequence[Fold]) -> list[Reading]:
    """Dev as `scorer` reads it (each text scored once), then each fold as `scorer` fitted without it reads it."""
    pooled: list[Reading] = [(replayed(scorer, [unit.text for unit in dev]), dev)]
    return pooled + [(folded, fold.units) for fold in folds if (folded := fold_scorer(scorer, fold)) is not None]


def choose_subject_gate(classifier: Classifier, dev: Sequence[Annotation], mentions: MentionModel,
                        folds: Sequence[Fold] = ()) -> tuple[str | None, float]:
    """Whose `gate_score` must reach what for the bodies of a unit without a category to be shown: the classifier's
    own (None) or, for an ensemble, one of its cheap members', at the threshold that maximises subject F1 on dev and
    on the train `folds` (read out of fold) pooled. The ensemble's mean is tuned to separate categories; a member's
    score, above all the linear model's own regression for whether a unit names its body, can rank units better for
    naming bodies. An ensemble's own mean is no candidate: gating on it runs the costly member wherever that mean
    nears the subject threshold (1,785 of 10,487 units of 150 corpus statutes at 0.25, against 635 behind the linear
    member's gate), for dev subject F1 0.839 against 0.833 and test 0.783 against 0.788 (2026-11-23)."""
    scorer = classifier.scorer
    replay = replayed(scorer, [unit.text for unit in dev])
    gates: list[str | None] = (
        [name for name in scorer.members if name not in COSTLY] if isinstance(scorer, EnsembleScorer) else [None]
    )
    in_folds = through_folds(classifier, folds)
    gold = list(dev) + [unit for fold, _ in in_folds for unit in fold.units]
    dev_bodies = cache(mentions.subjects)  # read once, whatever the gate tried, as the folds' bodies are
    fold_bodies = [fold.bodies(mentions.threshold) for fold, _ in in_folds]
    best: tuple[float, str | None, float] | None = None
    for gate in gates:
        for threshold in (*SUBJECT_THRESHOLDS, classifier.threshold):
            candidate = Classifier(replay, classifier.threshold, threshold, gate)
            predicted = annotate(dev, candidate, dev_bodies)
            for (fold, folded), bodies in zip(in_folds, fold_bodies, strict=True):
                predicted += annotate(fold.units, replace(folded, subject_threshold=threshold, subject_gate=gate),
                                      bodies)
            f1 = evaluate(gold, predicted).subject_overlap.f1 or 0.0
            if best is None or f1 > best[0]:
                best = (f1, gate, threshold)
    assert best is not None
    return best[1], best[2]


def replayed(scorer: Scorer, texts: Sequence[str]) -> Scorer:
    """`scorer` with its scores of `texts` computed once, to be replayed for each threshold or gate tried; an ensemble
    member by member, so that its weights and its gating member still apply."""
    if isinstance(scorer, EnsembleScorer):
        return EnsembleScorer(
            {name: _Fixed(name, texts, member.scores(texts)) for name, member in scorer.members.items()}, scorer.weights
        )
    return _Fixed(scorer.name, texts, scorer.scores(texts))


class _Fixed:
    """A scorer's scores computed once and replayed, text by text, for each threshold or weighting tried."""

    def __init__(self, name: str, texts: Sequence[str], scores: list[dict[str, float]]) -> None:
        self.name = name
        self._scores = dict(zip(texts, scores, strict=True))

    def scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        return [self._scores[text] for text in texts]


def finish(name: str, scorer: Scorer, config: dict[str, Any], splits: dict[str, list[Annotation]], directory: Path,
           extra: dict[str, Any], files: Sequence[Path] = (), folds: Sequence[Fold] = ()) -> dict[str, Any]:
    """Pick the threshold and the subject gate on dev and the train `folds` pooled, score dev and test, time it, and
    write `meta.json` and the model card.

    `files` are the folders whose files make up the model (default: `directory`).
    """
    threshold, _ = choose_threshold(readings(scorer, splits["dev"], folds))
    classifier = Classifier(scorer, threshold)
    mentions = trained_mentions(config)
    gate, subject_threshold = choose_subject_gate(classifier, splits["dev"], mentions, folds)
    classifier = replace(classifier, subject_threshold=subject_threshold, subject_gate=gate)
    meta: dict[str, Any] = {
        "model": name, "threshold": threshold, "subject_threshold": subject_threshold, "subject_gate": gate,
        "mention_threshold": mentions.threshold, "folds": len(folds),
        "fold_statutes": len({unit.file for unit in splits["dev"]}
                             | {unit.file for fold in folds for unit in fold.units}),
        **extra,
    }
    for part in ("dev", "test"):
        meta[part] = headline(evaluate(splits[part], annotate(splits[part], classifier, mentions.subjects)))
    if read_out_of_fold := through_folds(classifier, folds):
        meta[OUT_OF_FOLD] = headline(evaluate(
            [unit for fold, _ in read_out_of_fold for unit in fold.units],
            [read for fold, folded in read_out_of_fold
             for read in annotate(fold.units, folded, fold.bodies(mentions.threshold))],
        ))
    texts = [unit.text for unit in splits["dev"] + splits["test"]]
    started = time.perf_counter()
    classifier.classify(texts)
    meta["units_per_second"] = round(len(texts) / (time.perf_counter() - started), 1)
    meta["size_bytes"] = sum(
        path.stat().st_size for folder in (files or [directory]) for path in folder.rglob("*")
        if path.is_file() and path.name not in ("meta.json", "README.md")
    )
    meta["train_statutes"] = sorted({unit.file or "" for unit in splits["train"]})
    with atomic_open(directory / "meta.json") as handle:
        json.dump(meta, handle, ensure_ascii=False, indent=2)
    with atomic_open(directory / "README.md") as handle:
        handle.write(model_card(meta))
    return meta


def trained_mentions(config: dict[str, Any]) -> MentionModel:
    """The mention model that reads the bodies behind the classifier being trained: the one in the models folder
    trained into (`powers train mentions --into DIR` before `powers train ensemble --into DIR`), else the shipped one,
    so that the subject gate is chosen at the mention threshold it will run with."""
    trained = config["data"]["models"] / "mentions" / "model.json"
    return load_mention_model(trained) if trained.is_file() else load_mention_model()


RETRAIN = {
    "rules": "nothing to train: patterns in pipeline/rules.py",
    "linear": "powers train linear",
    "transformer": "powers train pretrain && powers train transformer",
    "ensemble": "powers train linear && powers train transformer && powers train ensemble",
}
DESCRIPTION = {
    "linear": "One logistic regression per category over TF-IDF of jieba words and word bigrams, character "
              "1–3-grams, the rule layer's hits and a few context patterns (a body acting, a violation clause, "
              "a party's duty, procedure, internal work) and the subject finder's reading (bodies that act, bodies "
              "applied to); one more over the same columns for whether the unit names its acting body (the subject "
              "gate). `pipeline/linear.py`.",
    "transformer": "A character-level BERT pretrained here by masked-language modelling on the shared corpus "
                   "(dev and test statutes excluded, every version), then fine-tuned with a sigmoid per category; "
                   "long units are scored on overlapping windows, the maximum taken. `pipeline/transformer.py`.",
    "ensemble": "The weighted mean of the members' probabilities; weights chosen as the threshold is (a grid in "
                "quarters). `pipeline/classify.py`.",
}


def _gate(meta: dict[str, Any]) -> str:
    gate = meta.get("subject_gate")
    return f"its member **{gate}**" if gate else "this model"


def _gate_data(meta: dict[str, Any]) -> str:
    if not meta.get("folds"):
        return "dev"
    return (f"dev and on the train statutes, each read by models fitted on the other {meta['folds'] - 1} of "
            f"{meta['folds']} folds ({meta['fold_statutes']} statutes in all)")


def _out_of_fold(meta: dict[str, Any]) -> str:
    if OUT_OF_FOLD not in meta:
        return ""
    return (f" The train statutes are read out of fold: each of {meta['folds']} folds by a linear model and a mention "
            "model fitted on the other folds, the most statutes any estimate here rests on (the threshold and gate "
            "were chosen on them with dev).")


def model_card(meta: dict[str, Any]) -> str:
    """The model card: what the model is, what it learnt from, how to remake it, how good and fast it is."""
    name = meta["model"]
    rows = "\n".join(
        f"| {part} | {meta[part]['units']} | {meta[part]['micro_f1']:.3f} | {meta[part]['macro_f1']:.3f} "
        f"| {meta[part]['power_f1']:.3f} | {meta[part]['ece']:.3f} | {meta[part]['subject_f1']:.3f} "
        f"| {meta[part]['penalty_f1']:.3f} |"
        for part in ("dev", "test", OUT_OF_FOLD) if part in meta
    )
    statutes = "\n".join(f"- {statute}" for statute in meta["train_statutes"])
    recorded = ("settings", "weights", "finetune", "pretrain")
    settings = json.dumps({key: value for key, value in meta.items() if key in recorded}, ensure_ascii=False, indent=2)
    return f"""# Model card: {name}

{DESCRIPTION[name]}

Predicts a category when its probability reaches **{meta['threshold']}** (chosen to maximise the mean of micro-
and macro-F1 on {_gate_data(meta)}). Names the acting bodies (`pipeline/mentions.py`, mentions of likelihood
{meta['mention_threshold']} or more) of a unit with a predicted category, and of one where {_gate(meta)} scores
**{meta['subject_threshold']}** or more that the unit names its body (the linear model's own regression for it; for a
model without one, its best category probability), chosen to maximise subject character-overlap F1 on
{_gate_data(meta)}.

## Data
Gold units of the train split of `annotations/splits.toml` ({len(meta['train_statutes'])} statutes), labelled by
`../shared/annotation-guidelines.md`; the dev and test statutes never enter training.

{statutes}

## Retrain
`{RETRAIN[name]}` (settings in `models/config.toml`); scores below are rewritten by the run.

## Scores (category F1 over the ten categories; macro over the categories present in the gold)
Subject F1 is character overlap with the bodies `pipeline/mentions.py` reads behind this model's gate; penalty F1 is
on (kind, min, max) with `pipeline/penalties.py` in the units this model labels 行政处罚.{_out_of_fold(meta)}

| split | units | micro-F1 | macro-F1 | power-vs-none F1 | ECE | subject F1 | penalty F1 |
| --- | --- | --- | --- | --- | --- | --- | --- |
{rows}

Reproduce: `powers eval --gold annotations/gold --split dev --model {name}` (and `--split test`).

## Size and speed
{meta['size_bytes'] / 1e6:.1f} MB on disk; {meta['units_per_second']:.0f} units/s on this machine (2 CPU cores, no GPU),
classifying the dev and test units in one call.

## Settings
```json
{settings}
```
"""


def train_linear(config: dict[str, Any]) -> dict[str, Any]:
    from pipeline.linear import LinearClassifier, LinearScorer

    splits = gold_splits(config)
    directory = config["data"]["models"] / "linear"
    LinearClassifier(config["linear"]).fit(labelled_dataset(splits["train"])).save(directory)
    return finish("linear", LinearScorer.load(directory), config, splits, directory, {"settings": config["linear"]})


def train_pretrain(config: dict[str, Any]) -> dict[str, Any]:
    from pipeline.transformer import pretrain

    splits = gold_splits(config)
    excluded = held_out_names(splits)
    texts = [unit["text"] for unit in corpus_units(config["data"]["corpus"], excluded)]
    result = pretrain(texts, config["transformer"], config["pretrain"], config["data"]["pretrained"],
                      config["data"]["seed"])
    record = {**result, **config["pretrain"], "units": len(texts), "excluded_statutes": sorted(excluded)}
    with atomic_open(config["data"]["pretrained"] / "pretrain.json") as handle:
        json.dump(record, handle, ensure_ascii=False, indent=2)
    return record


def weak_units(config: dict[str, Any], excluded: set[str]) -> list[Annotation]:
    """Corpus units labelled by the rule layer: every unit with a confident rule, and as many without."""
    rng = random.Random(config["data"]["seed"])
    units = list(corpus_units(config["data"]["corpus"], excluded))
    rng.shuffle(units)
    labelled = []
    for unit in units[: config["finetune"]["weak_units"]]:
        scores = rule_scores(unit["text"])
        categories = tuple(category for category in CATEGORIES if scores[category] >= 0.5)
        labelled.append(Annotation(citation=unit["citation"], text=unit["text"], file=unit["statute"],
                                   categories=categories))
    return labelled


def train_transformer(config: dict[str, Any]) -> dict[str, Any]:
    from datasets import concatenate_datasets

    from pipeline.transformer import TransformerClassifier, finetune

    splits = gold_splits(config)
    training = config["finetune"]
    parts = [labelled_dataset(splits["train"], weight=training["gold_weight"])]
    if training["weak_units"]:
        parts.append(labelled_dataset(weak_units(config, held_out_names(splits))))
    directory = config["data"]["models"] / "transformer"
    result = finetune(config["data"]["pretrained"], concatenate_datasets(parts), config["transformer"], training,
                      directory, config["data"]["seed"])
    pretrained = json.loads((config["data"]["pretrained"] / "pretrain.json").read_text(encoding="utf-8"))
    progress = config["data"]["pretrained"] / "progress.json"
    if progress.is_file():  # the encoder as it was when fine-tuning started, possibly mid-schedule
        pretrained["steps_done"] = json.loads(progress.read_text(encoding="utf-8"))["steps"]
    return finish("transformer", TransformerClassifier(directory), config, splits, directory,
                  {"settings": {**config["transformer"], **training}, "finetune": result, "pretrain": pretrained})


def train_ensemble(config: dict[str, Any]) -> dict[str, Any]:
    """Weights over the trained members (a small grid), then the threshold as for any model, chosen on dev and on the
    train statutes read out of fold, pooled: 19 dev statutes alone took a weighting that folds did not keep. Where a
    member cannot be fitted fold by fold (the transformer), dev alone chooses."""
    splits = gold_splits(config)
    members = {name: load_scorer(name, config["data"]["models"]) for name in config["ensemble"]["members"]}
    folds: list[Fold] = []
    if set(members) <= REFITTED:
        folds = train_folds(config, splits["train"])
    else:
        print(f"powers train: {', '.join(sorted(set(members) - REFITTED))} cannot be fitted fold by fold here; the "
              "ensemble's weights, threshold and subject gate are chosen on dev alone", file=sys.stderr)
    dev_texts = [unit.text for unit in splits["dev"]]
    cached: dict[str, Scorer] = {
        name: _Fixed(name, dev_texts, member.scores(dev_texts)) for name, member in members.items()
    }
    best: tuple[float, dict[str, float]] | None = None
    for weights in weight_grid(list(members)):
        _, result = choose_threshold(readings(EnsembleScorer(cached, weights), splits["dev"], folds))
        objective = category_objective(result)
        if best is None or objective > best[0]:
            best = (objective, weights)
    assert best is not None
    directory = config["data"]["models"] / "ensemble"
    directory.mkdir(parents=True, exist_ok=True)
    used = [config["data"]["models"] / name for name, weight in best[1].items() if weight and name != "rules"]
    return finish("ensemble", EnsembleScorer(members, best[1]), config, splits, directory, {"weights": best[1]}, used,
                  folds)


def weight_grid(names: list[str]) -> list[dict[str, float]]:
    """Every weighting of the members in steps of a quarter, each member weighted at least once; of weightings in
    the same proportions (0.25 / 0.5 and 0.5 / 1), the one in the largest steps."""
    steps = (0.0, 0.25, 0.5, 0.75, 1.0)
    grid: list[dict[str, float]] = [{}]
    for name in names:
        grid = [{**weights, name: step} for weights in grid for step in steps]
    proportions: dict[tuple[float, ...], dict[str, float]] = {}
    for weights in grid:
        if total := sum(weights.values()):
            proportions[tuple(round(weight / total, 6) for weight in weights.values())] = weights
    return list(proportions.values())


def train_tagger(config: dict[str, Any]) -> dict[str, Any]:
    """The subject tagger (pipeline/tagger.py), compared with the rule finder on dev in its model card."""
    from pipeline import tagger  # torch and transformers: only when training it

    return tagger.train_tagger(config)


def train_mentions(config: dict[str, Any]) -> dict[str, Any]:
    """The mention model (pipeline/mentions.py): fitted on the train split, its threshold chosen behind the default
    classifier's gate on dev and on the train statutes read out of fold, pooled (each fold by a linear model and a
    mention model fitted on the other folds, as the ensemble's gate is chosen: dev alone is 19 statutes); the rule
    finder scored beside it in its model card."""
    settings, splits = config["mentions"], gold_splits(config)
    started = time.perf_counter()
    model = fit(splits["train"], settings["C"], settings["none_weight"], MENTION_THRESHOLDS[0])
    shipped = load_classifier(models=config["data"]["models"])
    scored = [unit.text for unit in splits["dev"] + splits["test"]]  # read once: dev for each threshold, then both
    classifier = replace(shipped, scorer=replayed(shipped.scorer, scored))
    folds = train_folds(config, splits["train"])
    read_out_of_fold = through_folds(classifier, folds)
    if not read_out_of_fold:
        print(f"powers train: the {classifier.scorer.name} classifier cannot be fitted fold by fold here; the "
              "mention threshold is chosen on dev alone", file=sys.stderr)
    dev_read = cache(model.likeliest)
    curve: dict[float, float] = {}
    for threshold in MENTION_THRESHOLDS:
        gold = list(splits["dev"])
        predicted = annotate(splits["dev"], classifier, lambda text, at=threshold: kept(dev_read(text), at))
        for fold, fold_classifier in read_out_of_fold:
            gold += fold.units
            predicted += annotate(fold.units, fold_classifier, fold.bodies(threshold))
        curve[threshold] = _overlap(gold, predicted)
    chosen = max(curve, key=lambda threshold: curve[threshold])
    model = replace(model, threshold=chosen)
    left_out = [_read_behind_gold(unit, fold.bodies(chosen)) for fold in folds for unit in fold.units]
    readers: dict[str, Bodies] = {"rules": find_subjects, "model": model.subjects}
    meta: dict[str, Any] = {
        "model": "mentions", "settings": settings, "threshold": chosen, "folds": len(folds),
        "through_folds": len(read_out_of_fold),
        "chosen_on": len({unit.file for unit in splits["dev"]} | {unit.file for fold, _ in read_out_of_fold
                                                                  for unit in fold.units}),
        "curve": {str(threshold): f1 for threshold, f1 in curve.items()}, "behind_gold": {}, "through_classifier": {},
    }
    meta["behind_gold"]["train (left out)"] = {
        "rules": _behind_gold(splits["train"], find_subjects),
        "model": _overlap([unit for fold in folds for unit in fold.units], left_out),
    }
    for part in ("dev", "test"):
        units = splits[part]
        meta["behind_gold"][part] = {name: _behind_gold(units, read) for name, read in readers.items()}
        meta["through_classifier"][part] = {name: _through(units, classifier, read) for name, read in readers.items()}
    meta["seconds"] = round(time.perf_counter() - started, 1)
    meta["features"] = len(model.weights)
    directory = config["data"]["models"] / "mentions"
    directory.mkdir(parents=True, exist_ok=True)
    model.save(directory / "model.json")
    with atomic_open(directory / "meta.json") as handle:
        json.dump(meta, handle, ensure_ascii=False, indent=2)
    with atomic_open(directory / "README.md") as handle:
        handle.write(mentions_card(meta, model))
    return {"threshold": chosen, **meta["through_classifier"]}


def _overlap(units: Sequence[Annotation], predicted: Sequence[Annotation]) -> float:
    return round(evaluate(units, predicted).subject_overlap.f1 or 0.0, 4)


def _through(units: Sequence[Annotation], classifier: Classifier, read: Bodies) -> float:
    """Subject overlap F1 of `read` behind the classifier's gate, as `powers eval` scores it."""
    return _overlap(units, annotate(units, classifier, read))


def _read_behind_gold(unit: Annotation, read: Bodies) -> Annotation:
    """`unit` with the bodies `read` finds if the gold gives it a category, none otherwise."""
    return replace(unit, subjects=read(unit.text) if unit.categories else ())


def _behind_gold(units: Sequence[Annotation], read: Bodies) -> float:
    """Subject overlap F1 of `read` in the units the gold gives a category: the reading alone, no classifier."""
    return _overlap(units, [_read_behind_gold(unit, read) for unit in units])


def mentions_card(meta: dict[str, Any], model: MentionModel) -> str:
    """What the mention model is, what it learnt from, how to remake it, and how it compares with the rules."""
    rows = "\n".join(
        f"| {reader} | " + " | ".join(f"{meta['behind_gold'][part][reader]:.3f}" for part in meta["behind_gold"])
        + " | " + " | ".join(f"{meta['through_classifier'][part][reader]:.3f}" for part in ("dev", "test")) + " |"
        for reader in ("rules", "model")
    )
    heaviest = "\n".join(f"| `{name}` | {weight:+.2f} |" for name, weight in
                         sorted(model.weights.items(), key=lambda item: -abs(item[1]))[:25])
    settings = json.dumps(meta["settings"], ensure_ascii=False, indent=2)
    curve = " | ".join(f"{threshold}: {f1:.4f}" for threshold, f1 in meta["curve"].items())
    chosen_on = (f"dev and the train statutes, each of {meta['folds']} folds read by a linear model and a mention "
                 "model fitted on the others" if meta["through_folds"] else "dev alone (the classifier has a member "
                 "that cannot be fitted fold by fold)")
    return f"""# Model card: mentions

Which of the body names in a 款 are its acting bodies (实施主体, guidelines section 2). The rule finder
(`pipeline/subjects.py`) delimits every name and says how directly each acts; this logistic regression weighs that
verdict with the characters around the mention, its head and core name, and whether its sentence sets a sanction or
a licence (`pipeline/mentions.py`), and keeps a name, once, where it is likeliest, when that reaches
**{meta['threshold']}**, chosen among {', '.join(map(str, MENTION_THRESHOLDS))} by subject overlap F1 behind the
default classifier's gate, on {meta['chosen_on']} statutes: {chosen_on} (threshold: F1 | {curve}).
{meta['features']:,} features; no scikit-learn at run time.

## Data
Every mention the finder delimits in the gold units of the train split of `annotations/splits.toml`: labelled a
body when it covers more than half of a gold subject's span; mentions in units without a category count
{meta['settings']['none_weight']} each (they teach what a body does in a 款 that confers no power).

## Retrain
`powers train mentions` (settings in `models/config.toml`, table `[mentions]`, folds `[ensemble] folds`;
{meta['seconds']:.0f} s on 2 cores), after the classifier it is tuned behind; the scores below are rewritten by the
run.

## Scores: subject character-overlap F1
Behind gold categories: the reading alone, in the units the gold gives a category (train: each fold of statutes
read by a model fitted on the others). Through the classifier: as `powers eval` scores it, behind the default
classifier's subject gate.

| reader | behind gold: {' | '.join(meta['behind_gold'])} | through classifier: dev | test |
| --- | {' | '.join('---' for _ in meta['behind_gold'])} | --- | --- |
{rows}

## Heaviest weights
| feature | weight |
| --- | --- |
{heaviest}

## Settings
```json
{settings}
```
"""


TRAINERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "pretrain": train_pretrain,
    "linear": train_linear,
    "transformer": train_transformer,
    "ensemble": train_ensemble,
    "tagger": train_tagger,
    "aligner": train_aligner,
    "mentions": train_mentions,
}
