"""`powers segment` as a user runs it: folders, bad files among good ones, and outputs that are never half-written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from conftest import PROVISION_SCHEMA, statute

from pipeline.cli import main
from pipeline.write import write_jsonl

FIRE_LAW = "行政法/消防法(2021-04-29).md"
PENALTY_LAW = "行政法/行政处罚法(2021-01-22).md"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_folder_run_reports_bad_files_and_carries_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "statutes"
    folder.mkdir()
    shutil.copy(statute(FIRE_LAW), folder / "消防法(2021-04-29).md")
    (folder / "empty.md").touch()
    (folder / "notice.txt").write_text("通知\n请遵照执行。\n", encoding="utf-8")
    out = tmp_path / "provisions.jsonl"

    assert main(["segment", str(folder), "-o", str(out)]) == 0

    errors = capsys.readouterr().err
    assert f"{folder / 'empty.md'}: error: file is empty" in errors
    assert f"{folder / 'notice.txt'}: error: no article" in errors
    records = read_jsonl(out)
    assert {r["source"] for r in records} == {str(folder / "消防法(2021-04-29).md")}
    assert records[0]["citation"] == "《中华人民共和国消防法》第一条"
    assert main(["segment", str(folder), "-o", str(out), "--strict"]) == 1


def test_records_follow_the_schema_in_document_order(tmp_path: Path) -> None:
    paths = [statute(FIRE_LAW), statute(PENALTY_LAW)]
    out = tmp_path / "provisions.jsonl"
    assert main(["segment", *map(str, paths), "-o", str(out)]) == 0

    records = read_jsonl(out)
    for record in records:
        jsonschema.validate(record, PROVISION_SCHEMA)
    assert [r["source"] for r in records] == sorted((r["source"] for r in records), key=[str(p) for p in paths].index)
    for path in paths:
        own = [r for r in records if r["source"] == str(path)]
        assert [r["start"] for r in own] == sorted(r["start"] for r in own)
        text = path.read_text(encoding="utf-8")
        assert all(text[r["start"]:r["end"]] == r["text"] for r in own)


def test_when_nothing_can_be_read_an_existing_output_is_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "provisions.jsonl"
    out.write_text("yesterday's records\n", encoding="utf-8")
    empty = tmp_path / "empty.md"
    empty.touch()

    assert main(["segment", str(empty), str(tmp_path / "missing.md"), "-o", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == "yesterday's records\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.md", "provisions.jsonl"]


def test_a_write_that_fails_midway_leaves_the_old_file_and_no_debris(tmp_path: Path) -> None:
    out = tmp_path / "provisions.jsonl"
    out.write_text("old\n", encoding="utf-8")

    def records():
        yield {"n": 1}
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_jsonl(out, records())
    assert out.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["provisions.jsonl"]


def test_registry_commands_on_the_bundled_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample = Path(__file__).parents[1] / "corpus"
    built = tmp_path / "registry.jsonl"
    assert main(["registry", "build", str(sample / "lawrefbook"), "-o", str(built)]) == 0
    assert built.read_text(encoding="utf-8") == (sample / "registry.jsonl").read_text(encoding="utf-8")
    capsys.readouterr()

    assert main(["registry", "list", "噪声", "--registry", str(built)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "中华人民共和国噪声污染防治法  2021-12-24  法律  现行有效",
        "中华人民共和国环境噪声污染防治法  2018-12-29  法律  已废止",
    ]
    assert main(["registry", "show", "环境噪声污染防治法", "--on", "2020-01-01", "--registry", str(built)]) == 0
    assert "repealed by 中华人民共和国噪声污染防治法  2021-12-24" in capsys.readouterr().out
    assert main(["registry", "show", "野生动物保护法", "--on", "2020-01-01", "--registry", str(built)]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("中华人民共和国野生动物保护法  2018-10-26  法律  已被修改")
    assert "    version 2022-12-30  现行有效  经济法/野生动物保护法(2022-12-30).md" in shown
    assert main(["registry", "show", "环境噪声污染防治法", "--registry", str(built)]) == 1
