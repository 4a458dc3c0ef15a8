"""Gold files read, written and converted without loss; bad gold named by file and line or task; splits by statute."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO

from pipeline.cli import main
from pipeline.gold import (
    load_annotations,
    load_splits,
    split,
    to_label_studio,
    write_flat,
    write_label_studio,
)
from pipeline.models import CATEGORIES, Annotation, Diagnostic, Penalty, Span, StatuteError

GOLD = REPO / "annotations" / "gold"
FOOD = GOLD / "食品安全法(2021-04-29).jsonl"
TEXT = (
    "违反本规定，由县级以上人民政府市场监督管理部门责令改正，处货值金额十倍以上二十倍以下罚款；"
    "情节严重的，处五日以下拘留。"
)
SUBJECT = "县级以上人民政府市场监督管理部门"
GOOD = {
    "file": "示例条例(2020-01-01).md",
    "article": 12,
    "article_label": "第十二条",
    "paragraph": 1,
    "citation": "《示例条例》第十二条",
    "text": TEXT,
    "categories": ["行政处罚"],
    "subjects": [{"text": SUBJECT, "start": TEXT.index(SUBJECT), "end": TEXT.index(SUBJECT) + len(SUBJECT)}],
    "penalties": [{"kind": "fine", "min": 200, "max": 2000, "unit": "元", "base": None, "condition": None}],
    "adjudication": None,
}


def write_lines(path: Path, *records: object) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records))
    return path


def example() -> Annotation:
    start = TEXT.index(SUBJECT)
    return Annotation(
        citation="《示例条例》第十二条",
        text=TEXT,
        categories=("行政处罚", "其他行政权力"),
        subjects=(Span(SUBJECT, start, start + len(SUBJECT)),),
        penalties=(
            Penalty("fine_multiple", 10, 20, "倍", base="货值金额"),
            Penalty("detention", None, 5, "日", condition="情节严重的"),
            Penalty("fine", 500, None, "元", condition="在本款中没有写出的幅度"),
        ),
        file="示例条例(2020-01-01).md",
        article=12,
        article_label="第十二条",
        paragraph=1,
        adjudication="责令改正 with a sanction is 行政处罚 only.\nSecond line of the note.",
    )


def test_real_gold_survives_label_studio_and_flat(tmp_path: Path) -> None:
    gold = load_annotations(FOOD)
    assert gold and any(annotation.penalties for annotation in gold)
    write_label_studio(gold, tmp_path / "tasks.json")
    assert load_annotations(tmp_path / "tasks.json") == gold
    write_flat(gold, tmp_path / "flat.jsonl")
    assert load_annotations(tmp_path / "flat.jsonl") == gold


def test_flat_file_is_written_as_annotators_write_it(tmp_path: Path) -> None:
    write_flat(load_annotations(FOOD), tmp_path / "flat.jsonl")
    original = [json.loads(line) for line in FOOD.read_text(encoding="utf-8").splitlines() if line.strip()]
    written = [json.loads(line) for line in (tmp_path / "flat.jsonl").read_text(encoding="utf-8").splitlines()]
    for record in original:
        record["categories"] = sorted(record["categories"], key=CATEGORIES.index)
    assert [list(record) for record in written] == [list(record) for record in original]
    assert written == original


def test_penalty_regions_mark_the_range_that_the_unit_states() -> None:
    gold = [annotation for annotation in load_annotations(FOOD) if annotation.penalties]
    for task in to_label_studio(gold):
        results = task["annotations"][0]["result"]
        regions = [r["value"] for r in results if r["type"] == "labels" and r["value"]["labels"] != ["实施主体"]]
        assert regions
        for region in regions:
            assert region["text"] == task["data"]["text"][region["start"] : region["end"]]
            assert region["text"].endswith(("罚款", "拘留")) and len(region["text"]) > 2


def test_a_range_the_text_does_not_state_still_round_trips(tmp_path: Path) -> None:
    annotation = example()
    (task,) = to_label_studio([annotation], chapters={annotation.key: ("第五章 法律责任",)})
    labels = {r["id"]: r["value"]["text"] for r in task["annotations"][0]["result"] if r["type"] == "labels"}
    assert labels == {
        "subject-1": SUBJECT,
        "penalty-1": "货值金额十倍以上二十倍以下罚款",
        "penalty-2": "五日以下拘留",
        "penalty-3": "罚款",
    }
    assert task["data"]["chapters"] == "第五章 法律责任"
    write_label_studio([annotation], tmp_path / "tasks.json")
    assert load_annotations(tmp_path / "tasks.json") == [annotation]


def test_predictions_carry_model_version_and_score() -> None:
    scores = {category: 0.0 for category in CATEGORIES} | {"行政处罚": 0.9, "其他行政权力": 0.6}
    annotation = Annotation(citation="《示例条例》第十二条", text=TEXT, categories=("行政处罚",), scores=scores)
    (task,) = to_label_studio([annotation], as_predictions=True, model_version="linear-1")
    assert "annotations" not in task
    (prediction,) = task["predictions"]
    assert prediction["model_version"] == "linear-1"
    assert prediction["score"] == pytest.approx(0.6)
    assert prediction["result"][0]["score"] == pytest.approx(0.6)


def test_a_directory_reads_its_gold_files_by_name(tmp_path: Path) -> None:
    write_lines(tmp_path / "b.jsonl", GOOD | {"citation": "b1"})
    write_lines(tmp_path / "a.jsonl", GOOD | {"citation": "a1"}, GOOD | {"citation": "a2"})
    write_label_studio([example()], tmp_path / "c.json")
    write_lines(tmp_path / ".a.jsonl.123.part", "{half a line")
    (tmp_path / "notes.txt").write_text("not gold")
    assert [a.citation for a in load_annotations(tmp_path)] == ["a1", "a2", "b1", example().citation]


def test_the_real_gold_directory_reads_whole() -> None:
    lines = sum(
        1 for path in GOLD.glob("*.jsonl") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    )
    assert len(load_annotations(GOLD)) == lines


def reviewed_task(result: list[dict[str, object]], **task: object) -> dict[str, object]:
    """A task as Label Studio exports it after a reviewer has worked on it."""
    return {
        "id": 41,
        "data": {
            "text": TEXT, "citation": "《示例条例》第十二条", "source": "示例条例(2020-01-01).md", "article": 12,
            "article_label": "第十二条", "paragraph": 1, "chapters": "第五章 法律责任",
            "entry_name": "对无证经营的处罚",
        },
        "annotations": [
            {"id": 7, "was_cancelled": False, "created_at": "2024-03-01T10:00:00.000000Z",
             "updated_at": "2024-03-01T10:00:00.000000Z", "result": []},
            {"id": 9, "was_cancelled": False, "created_at": "2024-03-02T09:00:00.000000Z",
             "updated_at": "2024-03-02T09:30:00.000000Z", "result": result},
            {"id": 12, "was_cancelled": True, "created_at": "2024-03-03T09:00:00.000000Z",
             "updated_at": "2024-03-03T09:00:00.000000Z", "result": []},
        ],
        "predictions": [{"model_version": "linear-1", "score": 0.6, "result": []}],
        **task,
    }


def region(region_id: str, text: str, label: str) -> dict[str, object]:
    start = TEXT.index(text)
    value = {"start": start, "end": start + len(text), "text": text, "labels": [label]}
    return {"id": region_id, "from_name": "spans", "to_name": "text", "type": "labels", "origin": "manual",
            "value": value}


def per_region(region_id: str, text: str, name: str, value: dict[str, object]) -> dict[str, object]:
    start = TEXT.index(text)
    kind = "number" if "number" in value else "textarea"
    return {"id": region_id, "from_name": name, "to_name": "text", "type": kind, "origin": "manual",
            "value": {"start": start, "end": start + len(text)} | value}


def reviewer_result() -> list[dict[str, object]]:
    fine, jail = "货值金额十倍以上二十倍以下罚款", "五日以下拘留"
    return [
        {"id": "Xq1", "from_name": "categories", "to_name": "text", "type": "choices",
         "value": {"choices": ["其他行政权力", "行政处罚"]}},
        region("aB3", SUBJECT, "实施主体"),
        region("cD4", "违反本规定", "违法行为"),
        region("eF5", fine, "倍数罚款"),
        per_region("eF5", fine, "min", {"number": 10}),
        per_region("eF5", fine, "max", {"number": 20}),
        per_region("eF5", fine, "base", {"text": ["货值金额"]}),
        region("gH6", jail, "拘留"),
        per_region("gH6", jail, "max", {"number": 5}),
        per_region("gH6", jail, "condition", {"text": ["情节严重的"]}),
        {"from_id": "aB3", "to_id": "eF5", "type": "relation", "direction": "right", "labels": []},
        {"id": "iJ7", "from_name": "entry_name", "to_name": "text", "type": "textarea",
         "value": {"text": ["对生产经营不符合标准食品的处罚"]}},
        {"id": "kL8", "from_name": "decision", "to_name": "text", "type": "choices", "value": {"choices": ["correct"]}},
        {"id": "mN9", "from_name": "comment", "to_name": "text", "type": "textarea", "value": {"text": ["看第二款"]}},
        {"id": "oP0", "from_name": "adjudication", "to_name": "text", "type": "textarea",
         "value": {"text": ["责令改正 with a sanction is 行政处罚 only."]}},
    ]


def test_a_reviewed_export_reads_back_field_by_field(tmp_path: Path) -> None:
    export = [reviewed_task(reviewer_result()), reviewed_task([], id=42, annotations=[])]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, ensure_ascii=False, indent=2), encoding="utf-8")
    diagnostics: list[Diagnostic] = []
    (annotation,) = load_annotations(path, diagnostics)
    assert annotation.citation == "《示例条例》第十二条"
    assert annotation.text == TEXT
    assert annotation.file == "示例条例(2020-01-01).md"
    assert (annotation.article, annotation.article_label, annotation.paragraph) == (12, "第十二条", 1)
    assert annotation.categories == ("行政处罚", "其他行政权力")
    assert annotation.subjects == (Span(SUBJECT, TEXT.index(SUBJECT), TEXT.index(SUBJECT) + len(SUBJECT)),)
    assert annotation.penalties == (
        Penalty("fine_multiple", 10, 20, "倍", base="货值金额", condition=None),
        Penalty("detention", None, 5, "日", base=None, condition="情节严重的"),
    )
    assert annotation.adjudication == "责令改正 with a sanction is 行政处罚 only."
    assert annotation.scores == {}
    assert [(d.path, d.level) for d in diagnostics] == [(str(path), "warning")]
    assert "1 tasks" in diagnostics[0].message and "42" in diagnostics[0].message


FLAT_ERRORS = {
    "invalid JSON": ('{"citation": ', "invalid JSON"),
    "unknown category": (GOOD | {"categories": ["行政指导"]}, "unknown categories ['行政指导']"),
    "subject not at its offsets": (
        GOOD | {"subjects": [{"text": SUBJECT, "start": 0, "end": len(SUBJECT)}]}, f"subject '{SUBJECT}' is not"
    ),
    "penalty missing a key": (
        GOOD | {"penalties": [{"kind": "fine", "min": 200, "max": 2000, "unit": "元", "base": None}]},
        "missing keys ['condition']",
    ),
    "non-numeric min": (
        GOOD | {"penalties": [{"kind": "fine", "min": "二百", "max": 2000, "unit": "元", "base": None,
                               "condition": None}]},
        "penalty min is not a number: '二百'",
    ),
}


@pytest.mark.parametrize("case", FLAT_ERRORS)
def test_bad_flat_gold_names_file_and_line(tmp_path: Path, case: str) -> None:
    bad, message = FLAT_ERRORS[case]
    path = write_lines(tmp_path / "gold.jsonl", GOOD, bad)
    with pytest.raises(StatuteError) as caught:
        load_annotations(path)
    assert (caught.value.diagnostic.path, caught.value.diagnostic.line) == (str(path), 2)
    assert message in caught.value.diagnostic.message
    assert f"{path}:2: error:" in str(caught.value)


def replaced(results: list[dict[str, object]], index: int, value: dict[str, object]) -> list[dict[str, object]]:
    return [result | {"value": result["value"] | value} if i == index else result for i, result in enumerate(results)]


EXPORT_ERRORS = {
    "unknown category": (lambda r: replaced(r, 0, {"choices": ["行政指导"]}), "unknown categories ['行政指导']"),
    "subject not at its offsets": (lambda r: replaced(r, 1, {"start": 0}), f"subject '{SUBJECT}' is not"),
    "non-numeric min": (lambda r: replaced(r, 4, {"number": "10"}), "min is not a number: '10'"),
    "range on a subject": (lambda r: [*r, per_region("aB3", SUBJECT, "max", {"number": 1})], "no penalty label"),
}


@pytest.mark.parametrize("case", EXPORT_ERRORS)
def test_bad_export_names_file_and_task(tmp_path: Path, case: str) -> None:
    spoil, message = EXPORT_ERRORS[case]
    path = tmp_path / "export.json"
    path.write_text(json.dumps([reviewed_task(reviewer_result(), id=40), reviewed_task(spoil(reviewer_result()))]))
    with pytest.raises(StatuteError) as caught:
        load_annotations(path)
    assert caught.value.diagnostic.path == str(path)
    assert caught.value.diagnostic.message.startswith("task 41: ")
    assert message in caught.value.diagnostic.message


def test_a_broken_export_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('[\n  {"id": 1,\n   "data": {"text": }\n]\n')
    with pytest.raises(StatuteError) as caught:
        load_annotations(path)
    assert (caught.value.diagnostic.path, caught.value.diagnostic.line) == (str(path), 3)


def test_no_statute_is_in_two_splits_and_every_gold_statute_is_in_one() -> None:
    splits = load_splits()
    assert set(splits) == {"train", "dev", "test"}
    files = [file for names in splits.values() for file in names]
    assert len(files) == len(set(files))
    assert splits["test"] == [
        "道路交通安全法(2021-04-29).md", "社会保险法(2018-12-29).md", "嘉兴市建筑垃圾管理条例(2021-04-13).md"
    ]
    gold_statutes = {path.stem + ".md" for path in GOLD.glob("*.jsonl")}
    assert gold_statutes <= set(files)


def test_units_go_to_the_split_of_their_statute() -> None:
    splits = {"test": ["甲法(2020-01-01).md"], "dev": ["乙法(2020-01-01).md"]}
    units = [
        Annotation(citation=f"《{name}》第{n}条", text="……", file=f"{name}(2020-01-01).md")
        for name in ("甲法", "乙法", "丙法") for n in range(3)
    ]
    result = split(units, splits)
    assert {name: {a.file for a in group} for name, group in result.items()} == {
        "test": {"甲法(2020-01-01).md"}, "dev": {"乙法(2020-01-01).md"}, "unassigned": {"丙法(2020-01-01).md"},
    }
    assert sum(len(group) for group in result.values()) == len(units)


def test_a_statute_in_two_splits_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "splits.toml"
    path.write_text('test = ["甲法.md"]\ntrain = ["乙法.md", "甲法.md"]\n', encoding="utf-8")
    with pytest.raises(StatuteError, match=r"甲法\.md is in two splits: test and train"):
        load_splits(path)
    with pytest.raises(ValueError, match="two splits"):
        split([], {"test": ["甲法.md"], "train": ["甲法.md"]})


def test_the_shipped_label_studio_export_is_the_gold_as_it_is_now(tmp_path: Path) -> None:
    """annotations/label-studio/gold.json is remade by `powers gold annotations/gold -o …`; a stale copy fails."""
    fresh = tmp_path / "gold.json"
    assert main(["gold", str(GOLD), "-o", str(fresh)]) == 0
    shipped = GOLD.parent / "label-studio" / "gold.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == json.loads(fresh.read_text(encoding="utf-8"))
    assert load_annotations(shipped) == load_annotations(GOLD)
