"""Scoring predictions against gold, on real 款 of the Food Safety Law; every expected number is worked out by hand."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline import evaluate as evaluation_module
from pipeline.evaluate import CONFUSION_LABELS, evaluate, format_report, to_json, write_plots
from pipeline.models import Annotation, Penalty, Span

FILE = "食品安全法(2021-04-29).md"
LAW = "《中华人民共和国食品安全法》"
AUTHORITY = "县级以上人民政府食品安全监督管理部门"

FINE = Penalty("fine", 50000, 100000, "元", condition="货值金额不足一万元的")
MULTIPLE = Penalty("fine_multiple", 10, 20, "倍", base="货值金额", condition="货值金额一万元以上的")
UNLICENSED = Annotation(
    citation=f"{LAW}第一百二十二条第一款",
    text=(
        "违反本法规定，未取得食品生产经营许可从事食品生产经营活动，或者未取得食品添加剂生产许可从事食品添加剂生产活动的，"
        "由县级以上人民政府食品安全监督管理部门没收违法所得和违法生产经营的食品、食品添加剂以及用于违法生产经营的工具、"
        "设备、原料等物品；违法生产经营的食品、食品添加剂货值金额不足一万元的，并处五万元以上十万元以下罚款；"
        "货值金额一万元以上的，并处货值金额十倍以上二十倍以下罚款。"
    ),
    categories=("行政处罚",),
    subjects=(Span(AUTHORITY, 57, 75),),
    penalties=(FINE, MULTIPLE),
    file=FILE,
)
LICENCE = Annotation(
    citation=f"{LAW}第三十五条第一款",
    text=(
        "国家对食品生产经营实行许可制度。从事食品生产、食品销售、餐饮服务，应当依法取得许可。但是，销售食用农产品和"
        "仅销售预包装食品的，不需要取得许可。仅销售预包装食品的，应当报所在地县级以上地方人民政府食品安全监督管理部门备案。"
    ),
    categories=("行政许可", "其他行政权力"),
    subjects=(Span("所在地县级以上地方人民政府食品安全监督管理部门", 84, 107),),
    file=FILE,
)
RELATED_PRODUCTS = Annotation(
    citation=f"{LAW}第四十一条",
    text=(
        "生产食品相关产品应当符合法律、法规和食品安全国家标准。对直接接触食品的包装材料等具有较高风险的食品相关产品，"
        "按照国家有关工业产品生产许可证管理的规定实施生产许可。食品安全监督管理部门应当加强对食品相关产品生产活动的监督管理。"
    ),
    categories=("行政许可", "行政检查"),
    subjects=(Span("食品安全监督管理部门", 81, 91),),
    file=FILE,
)
PURPOSE = Annotation(
    citation=f"{LAW}第一条", text="为了保证食品安全，保障公众身体健康和生命安全，制定本法。", file=FILE
)
HONOURS = Annotation(
    citation=f"{LAW}第十三条",
    text="对在食品安全工作中做出突出贡献的单位和个人，按照国家有关规定给予表彰、奖励。",
    categories=("行政奖励",),
    file=FILE,
)
GOLD = (UNLICENSED, LICENCE, RELATED_PRODUCTS, PURPOSE, HONOURS)


def predict(unit: Annotation, *categories: str, **changes: object) -> Annotation:
    """A model's output for `unit`: these categories, the gold subjects and penalties unless `changes` say otherwise."""
    return replace(unit, categories=categories, adjudication=None, **changes)


def mixed_predictions() -> list[Annotation]:
    """3 labels right, 2 spurious (行政强制 on 122-1, 其他 on 41), 3 missed (其他 on 35-1, 许可 on 41, 奖励 on 13)."""
    return [
        predict(UNLICENSED, "行政处罚", "行政强制", scores={"行政处罚": 0.95, "行政强制": 0.97, "行政检查": 0.2}),
        predict(LICENCE, "行政许可", scores={"行政许可": 0.9, "其他行政权力": 0.4}),
        predict(
            RELATED_PRODUCTS,
            "行政检查",
            "其他行政权力",
            scores={"行政许可": 0.12, "行政检查": 0.8, "其他行政权力": 0.6},
        ),
        predict(PURPOSE),
        predict(HONOURS),
    ]


def test_a_perfect_prediction_scores_one_everywhere() -> None:
    result = evaluate(GOLD, [predict(unit, *unit.categories) for unit in GOLD])

    scored = (result.categories, result.power, result.subject_overlap, result.subject_exact, result.penalties)
    assert [scores.f1 for scores in scored] == [1.0] * 5
    assert [(s.precision, s.recall) for s in scored] == [(1.0, 1.0)] * 5
    assert result.macro_f1 == 1.0
    assert result.macro_categories == ("行政许可", "行政处罚", "行政检查", "行政奖励", "其他行政权力")
    assert result.per_category["行政强制"].f1 is None
    assert (result.calibration.ece, result.calibration.brier, result.calibration.points) == (0.0, 0.0, 6)
    assert (result.unmatched_gold, result.unmatched_predicted, result.matched) == ((), (), 5)
    off_diagonal = [n for i, row in enumerate(result.confusion) for j, n in enumerate(row) if i != j]
    assert sum(result.confusion[i][i] for i in range(len(CONFUSION_LABELS))) == 7 and not any(off_diagonal)


def test_a_mix_of_errors_gives_the_hand_computed_micro_and_macro_scores() -> None:
    result = evaluate(GOLD, mixed_predictions())

    assert (result.categories.tp, result.categories.fp, result.categories.fn) == (3, 2, 3)
    assert result.categories.precision == pytest.approx(0.6)  # 3 / 5
    assert result.categories.recall == pytest.approx(0.5)  # 3 / 6
    assert result.categories.f1 == pytest.approx(0.5454545)  # 6 / 11
    # F1 of 许可 2/3, 处罚 1, 检查 1, 奖励 0, 其他 0 over the five gold categories; 行政强制 (no gold) is left out.
    assert result.macro_f1 == pytest.approx(0.5333333)  # 8 / 15
    licensing = result.per_category["行政许可"]
    assert (licensing.precision, licensing.recall, licensing.support, licensing.predicted) == (1.0, 0.5, 2, 1)
    coercion = result.per_category["行政强制"]
    assert (coercion.precision, coercion.recall, coercion.f1, coercion.support) == (0.0, None, 0.0, 0)
    assert (result.per_category["行政奖励"].precision, result.per_category["行政奖励"].recall) == (None, 0.0)
    # power-vs-none: 122-1, 35-1, 41 right; 13 missed; 第一条 rightly empty.
    assert (result.power.precision, result.power.recall) == (1.0, 0.75)
    assert result.power.f1 == pytest.approx(0.8571429)  # 6 / 7


def test_the_confusion_matrix_pairs_missed_with_spurious_labels_or_none() -> None:
    matrix = evaluate(GOLD, mixed_predictions()).confusion
    cell = {
        (gold, predicted): matrix[i][j]
        for i, gold in enumerate(CONFUSION_LABELS)
        for j, predicted in enumerate(CONFUSION_LABELS)
        if matrix[i][j]
    }
    assert cell == {
        ("行政处罚", "行政处罚"): 1,
        ("无", "行政强制"): 1,
        ("行政许可", "行政许可"): 1,
        ("其他行政权力", "无"): 1,
        ("行政检查", "行政检查"): 1,
        ("行政许可", "其他行政权力"): 1,
        ("无", "无"): 1,
        ("行政奖励", "无"): 1,
    }


def test_a_subject_one_character_short_gets_partial_credit_but_no_exact_match() -> None:
    short = Span(AUTHORITY[1:], 58, 75)
    result = evaluate([UNLICENSED], [predict(UNLICENSED, "行政处罚", subjects=(short,))])

    overlap = result.subject_overlap
    assert (overlap.tp, overlap.fp, overlap.fn) == (17, 0, 1)
    assert (overlap.precision, overlap.recall) == (1.0, pytest.approx(17 / 18))
    assert overlap.f1 == pytest.approx(0.9714286)  # 34 / 35
    assert (result.subject_exact.tp, result.subject_exact.fp, result.subject_exact.fn) == (0, 1, 1)
    assert result.subject_exact.f1 == 0.0


def test_a_penalty_with_the_wrong_maximum_is_one_miss_and_one_spurious_range() -> None:
    wrong_max = replace(FINE, max=200000)
    near = replace(MULTIPLE, min=10.000000000001)  # within 1e-9 relative: the same range
    result = evaluate([UNLICENSED], [predict(UNLICENSED, "行政处罚", penalties=(wrong_max, near))])

    assert (result.penalties.tp, result.penalties.fp, result.penalties.fn) == (1, 1, 1)
    assert result.penalties.f1 == 0.5
    open_min = replace(FINE, min=None)
    assert (
        evaluate(
            [replace(UNLICENSED, penalties=(open_min,))], [predict(UNLICENSED, penalties=(replace(FINE, min=0),))]
        ).penalties.tp
        == 0
    )
    report = format_report(result)
    assert f"{UNLICENSED.citation}  fine[50000, 100000], fine_multiple[10, 20] | fine[50000, 200000]," in report


def test_a_gold_unit_without_prediction_counts_as_missed() -> None:
    stray = Annotation(citation=f"{LAW}第九百条", text="", categories=("行政处罚",))
    result = evaluate([UNLICENSED, HONOURS], [predict(UNLICENSED, "行政处罚", file=None), stray])

    assert result.unmatched_gold == (HONOURS.citation,)
    assert result.unmatched_predicted == (stray.citation,)
    assert result.matched == 1
    assert (result.categories.tp, result.categories.fp, result.categories.fn) == (1, 0, 1)
    assert result.categories.recall == 0.5
    assert result.pairs[1].predicted is None
    assert HONOURS.citation in format_report(result)


def test_two_gold_units_with_one_key_are_an_error() -> None:
    with pytest.raises(ValueError, match="第一百二十二条第一款"):
        evaluate([UNLICENSED, replace(UNLICENSED, categories=())], [])


def test_ece_and_brier_of_a_hand_made_case() -> None:
    gold = [UNLICENSED, HONOURS]
    predictions = [
        predict(UNLICENSED, "行政处罚", "行政强制", scores={"行政处罚": 0.9, "行政强制": 0.88}),
        predict(HONOURS, "行政奖励", scores={"行政奖励": 0.82, "行政确认": 0.1}),
    ]
    calibration = evaluate(gold, predictions).calibration

    # bin 9: 0.9 right; bin 8: 0.82 right and 0.88 wrong (mean 0.85, frequency 0.5); bin 1: 0.1 wrong.
    assert calibration.ece == pytest.approx(0.225)  # (0.1 + 2 * 0.35 + 0.1) / 4
    assert calibration.brier == pytest.approx(0.2067)  # (0.01 + 0.0324 + 0.7744 + 0.01) / 4
    assert [(b.count, b.frequency) for b in calibration.bins if b.count] == [(1, 0.0), (2, 0.5), (1, 1.0)]
    assert calibration.bins[8].mean_score == pytest.approx(0.85)
    unscored = evaluate(gold, [predict(UNLICENSED, "行政处罚", "行政强制"), predict(HONOURS)]).calibration
    assert (unscored.points, unscored.units_from_labels, unscored.ece) == (2, 2, 0.5)


def test_metrics_that_nothing_exercised_are_reported_as_not_applicable() -> None:
    result = evaluate([PURPOSE, HONOURS], [predict(PURPOSE), predict(HONOURS, "行政奖励")])

    assert (result.subject_overlap.f1, result.subject_exact.f1, result.penalties.f1) == (None, None, None)
    assert result.calibration.ece == 0.0
    report = format_report(result)
    assert "subject overlap F1     n/a" in report and "penalty F1             n/a" in report
    assert json.loads(json.dumps(to_json(result)))["subjects"]["overlap"]["f1"] is None


def test_the_report_leads_with_the_most_confident_errors() -> None:
    report = format_report(evaluate(GOLD, mixed_predictions()), worst=1)

    assert f"{UNLICENSED.citation}  FP 行政强制 0.97  违反本法规定，未取得食品生产经营许可" in report
    assert f"{HONOURS.citation}  FN 行政奖励 0.00  对在食品安全工作中" in report
    assert "FP 其他行政权力" not in report  # the second false positive is cut by worst=1
    assert "mean F1 of the 5 categories that occur in the gold" in report
    table = report.split("\n\n")[1].splitlines()
    assert len({len(line.encode("gbk")) for line in table}) == 1  # GBK bytes = terminal columns: aligned
    assert table[1].startswith("行政许可") and "0.667" in table[1]


def test_json_output_holds_every_number() -> None:
    data = json.loads(json.dumps(to_json(evaluate(GOLD, mixed_predictions())), ensure_ascii=False))

    assert data["categories"]["micro"]["f1"] == pytest.approx(6 / 11)
    assert [row["category"] for row in data["categories"]["per_category"]] == list(CONFUSION_LABELS[:-1])
    assert len(data["calibration"]["bins"]) == 10 and data["units"]["matched"] == 5
    assert data["confusion"]["labels"][-1] == "无"


def test_plots_are_written_as_png_into_a_new_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluation_module, "cjk_font", lambda: None)
    result = evaluate(GOLD, mixed_predictions())
    directory = tmp_path / "eval" / "plots"

    paths = write_plots(result, directory)

    assert paths == [directory / "confusion.png", directory / "reliability.png"]
    for path in paths:
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 1024
    assert sorted(p.name for p in directory.iterdir()) == ["confusion.png", "reliability.png"]
    assert "plot labels use English names" in format_report(result)
