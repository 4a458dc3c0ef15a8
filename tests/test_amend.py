"""An amendment run on a real pair: 野生动物保护法 2018 → 2022, with the rule classifier (fast, no model files)."""

from __future__ import annotations

from pathlib import Path

from conftest import statute

from pipeline.amend import amend, write_amendment
from pipeline.classify import load_classifier
from pipeline.merge import read_entries
from pipeline.segment import read_statute
from pipeline.tiers import DEFAULT_SCHEME, load_scheme


def test_adjustments_of_a_real_amendment(tmp_path: Path) -> None:
    amendment = amend(read_statute(statute("经济法/野生动物保护法(2018-10-26).md")),
                      read_statute(statute("经济法/野生动物保护法(2022-12-30).md")),
                      load_classifier("rules"), load_scheme(DEFAULT_SCHEME))
    by_action = {name: [a for a in amendment.adjustments if a.action == name] for name in ("新增", "取消", "变更")}
    # 2022 added 第五十条: hunting or trading wild animals to eat them is a new penalty
    assert any(a.new.citation.startswith("《中华人民共和国野生动物保护法》第五十条") for a in by_action["新增"])
    # 2018 第四十八条 became 2022 第五十二条: the same penalty, renumbered, with a higher ceiling (十倍 → 二十倍)
    law = "《中华人民共和国野生动物保护法》"
    moved = [a for a in by_action["变更"] if a.old.citation.startswith(f"{law}第四十八条第一款")]
    assert moved and all(a.new.citation.startswith("《中华人民共和国野生动物保护法》第五十二条") for a in moved)
    assert any("依据条文序号变更：第四十八条→第五十二条" in a.changes for a in moved)
    # nothing is proposed for an article unchanged under its old number (第三条)
    assert not any(a.new and a.new.citation.startswith("《中华人民共和国野生动物保护法》第三条")
                   for a in amendment.adjustments)

    written = write_amendment(amendment, tmp_path)
    assert {path.name for path in written} >= {"alignment.csv", "report.md", "report.html", "adjustments.csv",
                                               "adjustments.xlsx", "entries.jsonl"}
    entries = read_entries(tmp_path / "entries.jsonl")
    assert len(entries) == len(amendment.adjustments)
    assert all(entry.warnings[0].startswith("调整建议：") for entry in entries)
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "| 第四十八条 | 第五十二条 | 修改，序号变更 |" in report and "## 新增" in report
    assert "<del>" in (tmp_path / "report.html").read_text(encoding="utf-8")
