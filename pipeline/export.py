"""Entry → files: the power list as JSONL (for programs), CSV and XLSX (for legal staff), each written atomically.

The spreadsheet columns are the ones a published list has (序号, 事项名称, 职权类型, 实施主体, 设定依据, 自由裁量基准,
置信度, 状态), then what a reviewer needs to check them (编号, 依据原文, 主体来源, 提示) and what the reviewer
changed and said (审核修改, 审核意见). A cell that a spreadsheet would run as a formula (it starts with = + - @, or a
tab or carriage return that hides one) gets a leading apostrophe, so a statute's text can never execute in Excel.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from pipeline.models import Entry
from pipeline.tiers import describe
from pipeline.write import atomic_open, write_jsonl

COLUMNS = ("序号", "事项名称", "职权类型", "实施主体", "设定依据", "自由裁量基准", "置信度", "状态", "编号", "依据原文",
           "主体来源", "提示", "审核修改", "审核意见")
WIDTHS = (6, 40, 12, 28, 40, 50, 8, 10, 18, 60, 30, 30, 40, 30)
STATUS_LABELS = {"proposed": "待审核", "accepted": "已确认", "corrected": "已修改", "rejected": "已驳回"}
SUBJECT_RULES = {
    "named": "依据条款载明",
    "referenced": "援引条款载明",
    "general_clause": "本法规总则条款",
    "competent_department": "本法规主管部门条款",
    "unresolved": "未能确定，请补充",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NAMES = {"jsonl": "entries.jsonl", "csv": "entries.csv", "xlsx": "entries.xlsx"}


def write_entries(entries: Sequence[Entry], directory: str | Path) -> dict[str, Path]:
    """Write the list in every format into `directory`; returns the paths by format."""
    directory = Path(directory)
    paths = {fmt: directory / name for fmt, name in NAMES.items()}
    write_jsonl(paths["jsonl"], (entry.to_dict() for entry in entries))
    rows = [row(number, entry) for number, entry in enumerate(entries, 1)]
    with atomic_open(paths["csv"], newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    with atomic_open(paths["xlsx"], "wb") as handle:
        _workbook(rows).save(handle)
    return paths


def row(number: int, entry: Entry) -> list[str | int | float]:
    """One spreadsheet row, every text cell neutralised."""
    source = SUBJECT_RULES.get(entry.subject_rule, entry.subject_rule)
    if entry.subject_source and entry.subject_rule != "named":
        source = f"{source}：{entry.subject_source}"
    cells: list[str | int | float] = [
        number,
        entry.name,
        entry.category,
        entry.subject or "",
        entry.citation,
        "\n".join(describe(tier) for tier in entry.tiers),
        round(entry.confidence, 2),
        STATUS_LABELS.get(entry.status, entry.status),
        entry.id,
        entry.quote,
        source,
        "\n".join(entry.warnings),
        "\n".join(entry.changes),
        entry.comment or "",
    ]
    return [neutralised(cell) if isinstance(cell, str) else cell for cell in cells]


def neutralised(text: str) -> str:
    """`text` as a spreadsheet shows it but never evaluates it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _workbook(rows: list[list[str | int | float]]) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "权力清单"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append(values)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip(sheet.columns, WIDTHS, strict=True):
        sheet.column_dimensions[column[0].column_letter].width = width
    sheet.freeze_panes = "B2"
    return workbook
