"""Auditing the 设定依据 of an existing power list: a real list mixing every status, in CSV and in XLSX."""

from __future__ import annotations

import csv
import hashlib
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO

from pipeline.audit import STATUS_LABELS, Auditor
from pipeline.cite import parse_cell
from pipeline.cli import main
from pipeline.registry import Registry, load_registry

DATA = Path(__file__).parent / "data" / "audit"
REGISTRY = REPO / "corpus" / "registry.jsonl"
CORPUS = REPO / "corpus" / "lawrefbook"


def expected() -> list[tuple[int, str, str]]:
    with (DATA / "expected.csv").open(encoding="utf-8") as handle:
        return [(int(row["row"]), row["citation"], row["status"]) for row in csv.DictReader(handle)]


def per_status(found: list[tuple[int, str, str]], truth: list[tuple[int, str, str]]) -> dict[str, tuple[float, float]]:
    """Precision and recall of each status, counting a citation as right when its row, text and status agree."""
    right = Counter(status for *_, status in set(found) & set(truth))
    said, real = Counter(status for *_, status in found), Counter(status for *_, status in truth)
    return {status: (right[status] / said[status] if said[status] else 1.0,
                     right[status] / real[status] if real[status] else 1.0) for status in STATUS_LABELS}


@pytest.mark.parametrize("name", ["power-list.csv", "power-list.xlsx"])
def test_every_citation_gets_its_status(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = DATA / name
    before = hashlib.sha256(listing.read_bytes()).hexdigest()
    output = tmp_path / "audit.csv"
    assert main(["audit", str(listing), "-o", str(output), "--xlsx", "--registry", str(REGISTRY),
                 "--corpus", str(CORPUS)]) == 0
    assert hashlib.sha256(listing.read_bytes()).hexdigest() == before, "an audit never modifies its input"
    with output.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[:6] == ["row", "citation", "status", "状态", "reason", "suggestion"]
    found = [(int(row["row"]), row["citation"], row["status"]) for row in rows]
    scores = per_status(found, expected())
    print(name, {status: score for status, score in scores.items()})
    assert all(score == (1.0, 1.0) for score in scores.values()), scores
    assert (tmp_path / "audit.xlsx").is_file()
    assert "repealed\t已废止\t1" in capsys.readouterr().out


def test_suggestions_name_the_new_citation() -> None:
    auditor = Auditor(Registry(load_registry(REGISTRY)), CORPUS)
    rows = auditor.audit([(1, "《野生动物保护法》（2018年修正）第四十八条第一款"),
                          (2, "《中华人民共和国环境噪声污染防治法》第五十六条")])
    assert rows[0].suggestion == "《中华人民共和国野生动物保护法》第五十二条第一款"
    assert "噪声污染防治法" in rows[1].reason and rows[1].suggestion.startswith("《中华人民共和国噪声污染防治法》第")


def test_a_date_reads_citations_in_the_versions_then_in_force() -> None:
    """On 2020-01-01 道路运输条例 2019 was in force; its 第六十三条 was rewritten in 2022/2023 under the same number."""
    auditor = Auditor(Registry(load_registry(REGISTRY)), CORPUS, as_of="2020-01-01")
    (row,) = auditor.audit([(1, "《道路运输条例》第六十三条")])
    assert (row.status, row.suggestion) == ("changed", "《中华人民共和国道路运输条例》第六十三条")


def test_cells_as_people_write_them() -> None:
    read = parse_cell("<食品安全法>第122条第1款、第一百二十四条;《行政许可法》第十二条第（一）项 等", 7)
    assert [(c.title, c.article, c.paragraph, c.item) for c in read] == [
        ("食品安全法", 122, 1, None), ("食品安全法", 124, None, None), ("行政许可法", 12, None, 1)]
    assert all(citation.row == 7 and citation.problem is None for citation in read)
    (unread,) = parse_cell("参照上级文件执行", 3)
    assert unread.problem and unread.text == "参照上级文件执行"


def test_numbers_sharing_one_第_ranges_and_list_numbers() -> None:
    cell = "1.【法律】《食品安全法》第十、十一条；第一百二十二条第一、二款\n2.《行政许可法》第十二条第（一）至（三）项"
    read = parse_cell(cell, 4)
    assert [(c.title, c.article, c.paragraph, c.item) for c in read] == [
        ("食品安全法", 10, None, None), ("食品安全法", 11, None, None),
        ("食品安全法", 122, 1, None), ("食品安全法", 122, 2, None),
        ("行政许可法", 12, None, 1), ("行政许可法", 12, None, 2), ("行政许可法", 12, None, 3)]
    spanned = parse_cell("《道路运输条例》第六十三条至第六十五条、第70-71条", 1)
    assert [c.article for c in spanned] == [63, 64, 65, 70, 71] and all(c.problem is None for c in spanned)


def test_traditional_script_spaces_and_reversed_ranges() -> None:
    (read,) = parse_cell("《中華人民共和國食品安全法》 第 一百二十二 條 第一款", 1)
    assert (read.title, read.article, read.paragraph, read.problem) == ("中华人民共和国食品安全法", 122, 1, None)
    reversed_range = parse_cell("《食品安全法》第十三条至第十条", 2)
    assert [c.article for c in reversed_range] == [13, None, 10]
    assert reversed_range[1].problem == "无法识别的范围：第十三条至第十条"
    # a number no one can read is reported, and the 款 after it is not given to the article before
    slips = parse_cell("《食品安全法》第十条、第十十二条第二款", 3)
    assert [(c.text, c.article, c.problem) for c in slips] == [
        ("《食品安全法》第十条", 10, None), ("第十十二条", None, "无法识别的编号：第十十二条"),
        ("第二款", None, "款或项之前未写明条"),
    ]


def test_a_corpus_named_without_a_registry_is_checked_against_its_own(tmp_path: Path) -> None:
    """The bundled statutes copied elsewhere: the registry is built from that folder, not taken from the sample."""
    corpus = tmp_path / "lawrefbook"
    shutil.copytree(CORPUS, corpus)
    listing = tmp_path / "list.csv"
    listing.write_text("序号,设定依据\n1,《食品安全法》第一百二十二条第一、二款\n", encoding="utf-8")
    output = tmp_path / "audit.csv"
    assert main(["audit", str(listing), "-o", str(output), "--corpus", str(corpus)]) == 0
    with output.open(encoding="utf-8-sig") as handle:
        rows = [(row["citation"], row["status"]) for row in csv.DictReader(handle)]
    assert rows == [("《食品安全法》第一百二十二条第一款", "ok"), ("第二款", "ok")]
    assert main(["audit", str(listing), "-o", str(output), "--corpus", str(tmp_path / "absent")]) == 1


def test_a_list_without_the_basis_column_is_an_error_naming_the_file(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "list.csv"
    listing.write_text("序号,事项名称\n1,某事项\n", encoding="utf-8")
    assert main(["audit", str(listing), "-o", str(tmp_path / "out.csv")]) == 2
    error = capsys.readouterr().err
    assert str(listing) in error and "设定依据" in error
    assert not (tmp_path / "out.csv").exists()
