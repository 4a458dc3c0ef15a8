"""`powers train` as the team retrains a model: from the gold train split, scored on dev and test, with a card."""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, SAMPLE

from pipeline.classify import EnsembleScorer, load_classifier, load_scorer
from pipeline.cli import TRAINABLE, main
from pipeline.dataset import labelled_dataset
from pipeline.evaluate import evaluate
from pipeline.gold import load_annotations, load_splits, split
from pipeline.linear import SCORED, LinearClassifier, LinearScorer
from pipeline.mentions import fit, load_mention_model
from pipeline.models import CATEGORIES, NAMES_BODY
from pipeline.train import TRAINERS, choose_threshold, in_fold, load_config, readings, train_folds, weight_grid


def test_the_linear_model_retrains_beats_the_rules_on_dev_and_writes_its_card(tmp_path: Path) -> None:
    """Trained into a folder that holds its own mention model (`powers train mentions --into DIR` first), the subject
    gate is chosen behind that model's threshold, not the shipped one's."""
    assert set(TRAINABLE) == set(TRAINERS)
    shipped = load_mention_model()
    (tmp_path / "mentions").mkdir()
    replace(shipped, threshold=shipped.threshold + 0.1).save(tmp_path / "mentions" / "model.json")
    assert main(["train", "linear", "--into", str(tmp_path)]) == 0

    meta = json.loads((tmp_path / "linear" / "meta.json").read_text(encoding="utf-8"))
    card = (tmp_path / "linear" / "README.md").read_text(encoding="utf-8")
    assert (tmp_path / "linear" / "model.npz").is_file()
    assert "dev" in meta and "test" in meta and 0.15 <= meta["threshold"] <= 0.7
    assert f"| dev | {meta['dev']['units']} | {meta['dev']['micro_f1']:.3f}" in card
    assert "powers train linear" in card
    assert meta["mention_threshold"] == shipped.threshold + 0.1 != load_mention_model().threshold
    assert f"likelihood\n{meta['mention_threshold']} or more" in card

    dev = split(load_annotations(REPO / "annotations" / "gold"), load_splits())["dev"]
    assert not {unit.file for unit in dev} & set(meta["train_statutes"])
    rules = load_classifier("rules").annotate(dev)
    assert meta["dev"]["micro_f1"] > evaluate(dev, rules).categories.f1


def test_the_shipped_linear_model_scores_as_scikit_learn_does(tmp_path: Path) -> None:
    """What ships is the fitted arithmetic, scored with numpy alone: the same probabilities as scikit-learn's, for
    every category and for whether a unit names its acting body, also for a category the training units never carry
    (a constant) and for a unit of unknown words."""
    gold = split(load_annotations(REPO / "annotations" / "gold"), load_splits())
    train = [unit for unit in gold["train"] if unit.file in {"消防法(2021-04-29).md", "工伤保险条例(2010-12-20).md"}]
    classifier = LinearClassifier(load_config()["linear"])
    classifier.fit(labelled_dataset(train)).save(tmp_path)
    shipped = LinearScorer.load(tmp_path)
    texts = [unit.text for unit in gold["dev"][:200]] + ["ZZZ 123", ""]

    ours = np.array([[row[name] for name in SCORED] for row in shipped.scores(texts)])
    features = classifier.features(texts)
    theirs = np.column_stack([
        classifier.models[name].predict_proba(features)[:, 1] if name in classifier.models
        else np.zeros(len(texts))  # no train unit carries it
        for name in SCORED
    ])
    assert NAMES_BODY in classifier.models and not set(CATEGORIES) <= set(classifier.models)  # both cases exercised
    assert np.abs(ours - theirs).max() < 1e-9


def test_reviewed_gold_joins_training_but_never_from_dev_or_test_and_eval_compares(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The learning loop offline: reviewers accept every proposal of a train and a dev statute (as an export from
    Label Studio records it), the reviewed 款 become gold, and the linear model is retrained with them."""
    fire, food = SAMPLE / "行政法" / "消防法(2021-04-29).md", SAMPLE / "行政法" / "食品安全法(2021-04-29).md"
    tasks_file, export = tmp_path / "tasks.json", tmp_path / "export.json"
    assert main(["review", "export", str(fire), str(food), "--model", "rules", "-o", str(tasks_file)]) == 0
    tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
    for number, task in enumerate(tasks, 1):
        task["id"] = number
        task["annotations"] = [{"result": task["predictions"][0]["result"], "was_cancelled": False}]
    export.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    reviewed = tmp_path / "reviewed"
    assert main(["review", "import", str(export), "-o", str(tmp_path / "list"), "--gold", str(reviewed)]) == 0
    assert sorted(path.stem for path in reviewed.iterdir()) == ["消防法(2021-04-29)", "食品安全法(2021-04-29)"]
    capsys.readouterr()

    assert main(["train", "linear", "--with-reviewed", str(reviewed), "--into", str(tmp_path / "models")]) == 0
    trained = capsys.readouterr()
    assert "reviewed units of dev/test statutes left out of training: 食品安全法(2021-04-29).md" in trained.err
    fire_units = sum(1 for task in tasks if task["data"]["source"] == fire.name)
    assert f"{fire_units} reviewed units:" in trained.err
    meta = json.loads((tmp_path / "models" / "linear" / "meta.json").read_text(encoding="utf-8"))
    assert "食品安全法(2021-04-29).md" not in meta["train_statutes"]

    scores = []
    for models in (REPO / "models", tmp_path / "models"):
        assert main(["eval", "--gold", str(REPO / "annotations" / "gold"), "--split", "dev", "--model", "linear",
                     "--models", str(models)]) == 0
        scores.append(capsys.readouterr().out)
    assert scores[0] != scores[1]


def test_the_encoder_pretrains_fine_tunes_and_scores_long_units_on_every_window(tmp_path: Path) -> None:
    """The transformer's training path at toy size: MLM pretraining on statute text, fine-tuning on gold units, and a
    unit longer than the window scored on all of it. On a GPU the same calls run in bf16 (pipeline.transformer)."""
    from pipeline.transformer import TransformerClassifier, finetune, pretrain

    gold = split(load_annotations(REPO / "annotations" / "gold"), load_splits())["train"][:64]
    settings = {"vocab_size": 800, "hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2,
                "intermediate_size": 64, "max_length": 32, "stride": 16}
    training = {"steps": 4, "checkpoint_every": 2, "batch_size": 4, "learning_rate": 1e-3, "warmup": 1,
                "mask_probability": 0.15}
    record = pretrain([unit.text for unit in gold], settings, training, tmp_path / "pretrained", seed=13)
    assert record["blocks"] > 4 and record["resumed_at"] == 0
    assert json.loads((tmp_path / "pretrained" / "progress.json").read_text(encoding="utf-8")) == {"steps": 4}

    finetuning = {"epochs": 1, "batch_size": 8, "learning_rate": 1e-3, "max_positive_weight": 8.0}
    result = finetune(tmp_path / "pretrained", labelled_dataset(gold, weight=3.0), settings, finetuning,
                      tmp_path / "transformer", seed=13)
    assert result == {"units": 64, "steps": 8, "seconds": result["seconds"]}

    classifier = TransformerClassifier(tmp_path / "transformer")
    long_unit = "".join(unit.text for unit in gold[:6])
    assert len(long_unit) > 3 * settings["max_length"]
    windows, owners = classifier.windows([long_unit])
    assert set(owners) == {0} and len(owners) > 3 and windows["input_ids"].shape[1] == settings["max_length"]
    scores = classifier.scores([long_unit, "", gold[0].text])
    assert all(set(row) == set(CATEGORIES) and all(0.0 <= value <= 1.0 for value in row.values()) for row in scores)


def test_the_ensemble_tries_each_proportion_of_its_members_once() -> None:
    grid = weight_grid(["rules", "linear"])
    assert len(grid) == 13  # 0, 1/4, 1/3, 1/2, 2/3, 3/4, 1 … of rules to linear, and rules alone
    assert {"rules": 0.0, "linear": 1.0} in grid and {"rules": 0.0, "linear": 0.25} not in grid
    assert {"rules": 0.5, "linear": 1.0} in grid and {"rules": 0.25, "linear": 0.5} not in grid


def test_the_subject_gate_reads_train_statutes_only_through_models_that_never_saw_them() -> None:
    """The train folds that join dev in choosing the ensemble's weights, threshold and subject gate and the mention
    threshold: whole statutes to a fold, every unit once, each scored by a linear model and read by a mention model
    fitted on the other folds alone."""
    config = load_config()
    config["ensemble"]["folds"] = 3
    names = {"消防法(2021-04-29).md", "工伤保险条例(2010-12-20).md", "价格法(1997-12-29).md",
             "产品质量法(2018-12-29).md", "个人所得税法(2018-08-31).md", "乡村医生从业管理条例(2003-08-05).md"}
    train = [unit for unit in split(load_annotations(REPO / "annotations" / "gold"), load_splits())["train"]
             if unit.file in names]
    assert {unit.file for unit in train} == names
    folds = train_folds(config, train)

    assert sorted(unit.key for fold in folds for unit in fold.units) == sorted(unit.key for unit in train)
    statutes = [{unit.file for unit in fold.units} for fold in folds]
    assert all(statutes) and not any(a & b for a, b in combinations(statutes, 2))
    held = folds[0].units
    others = LinearClassifier(config["linear"]).fit(labelled_dataset([unit for unit in train if unit not in held]))
    texts = [unit.text for unit in held]
    assert folds[0].members["linear"].scores(texts) == others.scores(texts)
    everything = LinearClassifier(config["linear"]).fit(labelled_dataset(train))
    assert folds[0].members["linear"].scores(texts) != everything.scores(texts)

    rest = [unit for unit in train if unit not in held]
    for threshold in (0.25, 0.5):  # the mention threshold is chosen on these readings too
        model = fit(rest, config["mentions"]["C"], config["mentions"]["none_weight"], threshold)
        assert [folds[0].bodies(threshold)(text) for text in texts] == [model.subjects(text) for text in texts]
    assert any(folds[0].bodies(0.25)(text) != folds[0].bodies(0.5)(text) for text in texts)

    shipped = load_classifier()
    folded = in_fold(shipped, folds[0])
    assert folded is not None and folded.scorer.scores(texts) != shipped.scorer.scores(texts)
    assert (folded.threshold, folded.subject_threshold, folded.subject_gate) == (
        shipped.threshold, shipped.subject_threshold, shipped.subject_gate)
    with_transformer = replace(shipped, scorer=EnsembleScorer(shipped.scorer.members, {"transformer": 0.25}))
    assert in_fold(with_transformer, folds[0]) is None  # no fold can refit it here: dev alone chooses

    dev = split(load_annotations(REPO / "annotations" / "gold"), load_splits())["dev"][:300]
    weights = {"rules": 0.25, "linear": 1.0}
    pooled = readings(EnsembleScorer({name: load_scorer(name) for name in weights}, weights), dev, folds)
    assert [units for _, units in pooled] == [dev, *(fold.units for fold in folds)]
    assert pooled[1][0].scores(texts) == EnsembleScorer(folds[0].members, weights).scores(texts)
    threshold, result = choose_threshold(pooled)
    assert 0.15 <= threshold <= 0.7 and result["units"] == len(dev) + len(train)
    assert len(readings(with_transformer.scorer, dev, folds)) == 1
