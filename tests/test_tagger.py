"""The subject tagger as the pipeline uses it: acting bodies of a 款 as exact spans, read by the shipped model."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
import torch
from conftest import REPO, statute

from pipeline.gold import load_annotations, load_splits, split
from pipeline.models import Annotation, Span
from pipeline.segment import read_statute
from pipeline.tagger import BEGIN, INSIDE, OUTSIDE, SubjectTagger, character_labels, compare, decode, fit, windows

SHIPPED = REPO / "models" / "tagger"


@cache
def tagger() -> SubjectTagger:
    return SubjectTagger(SHIPPED)


@cache
def gold() -> dict[str, list[Annotation]]:
    return split(load_annotations(REPO / "annotations" / "gold"), load_splits())


def train_unit(citation: str) -> Annotation:
    return next(unit for unit in gold()["train"] if unit.citation == citation)


def test_the_shipped_tagger_finds_the_traffic_police_where_they_act() -> None:
    # No train statute names 公安机关交通管理部门, so the sentence comes from a corpus statute outside the gold.
    air = read_statute(statute("行政法/大气污染防治法(2018-10-26).md"))
    text = next(p.text for p in air.provisions if p.article == 113)
    # 违反本法规定，机动车驾驶人驾驶排放检验不合格的机动车上道路行驶的，由公安机关交通管理部门依法予以处罚。
    assert text.startswith("违反本法规定，机动车驾驶人") and text.endswith("由公安机关交通管理部门依法予以处罚。")

    (spans,) = tagger().spans([text])

    start = text.index("公安机关交通管理部门")
    assert Span("公安机关交通管理部门", start, start + 10) in spans
    assert all(text[span.start : span.end] == span.text for span in spans)


def test_a_long_unit_is_tagged_past_the_first_window() -> None:
    unit = train_unit("《中华人民共和国动物防疫法》第三十八条")  # 343 characters, five bodies, three past 128
    assert len(unit.text) > 300

    (spans,) = tagger().spans([unit.text])

    late = {(span.start, span.end) for span in spans if span.start > 128}
    assert late & {(span.start, span.end) for span in unit.subjects if span.start > 128}
    assert all(unit.text[span.start : span.end] == span.text for span in spans)


def test_windows_cover_every_character_of_a_long_unit() -> None:
    text = train_unit("《中华人民共和国动物防疫法》第三十八条").text

    cut = windows(tagger().tokenizer, [text], 128, 64)

    assert len(cut.ids) > 2 and max(len(ids) for ids in cut.ids) == 128
    covered = {position for window in cut.offsets for start, end in window for position in range(start, end)}
    assert covered == {position for position, character in enumerate(text) if not character.isspace()}


def test_empty_text_gives_no_spans_beside_a_real_one() -> None:
    unit = train_unit("《中华人民共和国安全生产法》第一百一十五条")

    empty, real = tagger().spans(["", unit.text])

    assert empty == ()
    assert real


def test_rules_confirmed_by_the_tagger_keep_the_rules_edges() -> None:
    unit = train_unit("《中华人民共和国广告法》第五十五条第一款")  # 市场监督管理部门 … 广告审查机关

    (combined,) = tagger().combined([unit.text])

    assert set(unit.subjects) <= set(combined)


def test_decoding_gold_labels_gives_back_the_gold_spans() -> None:
    unit = train_unit("《中华人民共和国动物防疫法》第三十八条")
    labels = character_labels(unit.text, unit.subjects)
    assert labels[unit.subjects[0].start] == BEGIN and labels[unit.subjects[0].start + 1] == INSIDE
    probabilities = torch.nn.functional.one_hot(torch.tensor(labels), 3).float() * 0.9 + 0.1 / 3

    assert decode(unit.text, probabilities) == unit.subjects


def test_an_unsure_character_does_not_cut_a_name_and_a_repeated_name_is_listed_once() -> None:
    text = "由税务机关责令限期缴纳；逾期仍未缴纳的，税务机关可以采取强制执行措施。"
    labels = character_labels(text, [Span("税务机关", 1, 5), Span("税务机关", 20, 24)])
    probabilities = torch.nn.functional.one_hot(torch.tensor(labels), 3).float()
    probabilities[3] = torch.tensor([0.45, 0.25, 0.30])  # 机: O is the single likeliest label
    probabilities[20:24, OUTSIDE] += 0.3  # the second mention is less sure
    probabilities /= probabilities.sum(dim=1, keepdim=True)

    assert decode(text, probabilities) == (Span("税务机关", 1, 5),)


def test_fit_writes_a_tagger_that_loads_and_scores_every_character(tmp_path: Path) -> None:
    units = [(unit.text, unit.subjects, 1.0) for unit in gold()["train"] if unit.subjects][:8]
    training = {"epochs": 1, "batch_size": 4, "learning_rate": 1e-3, "fresh_layers": 1}

    result = fit(REPO / "models" / "transformer", units, {"max_length": 128, "stride": 64}, training, tmp_path, 13)

    assert result["units"] == 8 and result["windows"] >= 8
    probabilities = SubjectTagger(tmp_path).probabilities([units[0][0]])[0]
    assert probabilities.shape == (len(units[0][0]), 3)
    assert torch.allclose(probabilities.sum(dim=1), torch.ones(len(units[0][0])))


@cache
def dev_scores() -> dict[str, dict[str, float | None]]:
    return compare(tagger(), gold()["dev"])


@pytest.mark.parametrize("system, floor", [("tagger", 0.75), ("combined", 0.85)])
def test_dev_subject_overlap_f1_stays_above_its_floor(system: str, floor: float) -> None:
    scores = dev_scores()[system]

    assert scores["overlap_f1"] is not None and scores["overlap_f1"] >= floor


def test_the_model_card_reports_the_shipped_scores() -> None:
    meta = json.loads((SHIPPED / "meta.json").read_text(encoding="utf-8"))
    card = (SHIPPED / "README.md").read_text(encoding="utf-8")

    trained_on = set(meta["train_statutes"])  # the train split when it was trained (the split may have grown since)
    used = [unit for unit in gold()["train"] if unit.file in trained_on]
    assert meta["fit"]["gold_units"] == sum(1 for unit in used if unit.categories)
    assert not set(meta["train_statutes"]) & {unit.file for unit in gold()["dev"] + gold()["test"]}
    assert f"| dev | {meta['dev']['units']} | tagger | " in card
    assert meta["size_bytes"] < 8e6
