"""`powers train` as the team retrains a model: from the gold train split, scored on dev and test, with a card."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO

from pipeline.classify import load_classifier
from pipeline.cli import TRAINABLE, main
from pipeline.evaluate import evaluate
from pipeline.gold import load_annotations, load_splits, split
from pipeline.train import TRAINERS


def test_the_linear_model_retrains_beats_the_rules_on_dev_and_writes_its_card(tmp_path: Path) -> None:
    assert set(TRAINABLE) == set(TRAINERS)
    assert main(["train", "linear", "--into", str(tmp_path)]) == 0

    meta = json.loads((tmp_path / "linear" / "meta.json").read_text(encoding="utf-8"))
    card = (tmp_path / "linear" / "README.md").read_text(encoding="utf-8")
    assert (tmp_path / "linear" / "model.joblib").is_file()
    assert "dev" in meta and "test" in meta and 0.15 <= meta["threshold"] <= 0.7
    assert f"| dev | {meta['dev']['units']} | {meta['dev']['micro_f1']:.3f}" in card
    assert "powers train linear" in card

    dev = split(load_annotations(REPO / "annotations" / "gold"), load_splits())["dev"]
    assert not {unit.file for unit in dev} & set(meta["train_statutes"])
    rules = load_classifier("rules").annotate(dev)
    assert meta["dev"]["micro_f1"] > evaluate(dev, rules).categories.f1
