"""Entry → files: the power list as JSONL (for programs), CSV and XLSX (for legal staff), each written atomically.

The spreadsheet columns are the ones a published list has (序号, 事项名称, 职权类型, 实施主体, 设定依据, 自由裁量基准,
置信度, 状态), then what a reviewer needs to check them (编号, 依据原文, 主体来源, 提示) and what the reviewer
changed and said (审核修改, 审核意见). A cell that a spreadsheet would run as a formula (it starts with = + - @, or a
tab or carriage return that hides one) gets a leading apostrophe, so a statute's text can never execute in Excel.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from pipeline.models import Entry, ListedEntry
from pipeline.tiers import describe
from pipeline.write import atomic_open

if TYPE_CHECKING:  # openpyxl takes a third of a second to import: only when a workbook is written
    from openpyxl import Workbook

COLUMNS = ("序号", "事项名称", "职权类型", "实施主体", "设定依据", "自由裁量基准", "置信度", "状态", "编号", "依据原文",
           "主体来源", "提示", "审核修改", "审核意见")
WIDTHS = (6, 40, 12, 28, 40, 50, 8, 10, 18, 60, 30, 30, 40, 30)
STATUS_LABELS = {"proposed": "待审核", "accepted": "已确认", "corrected": "已修改", "rejected": "已驳回",
                 "cancelled": "已取消"}
SUBJECT_RULES = {
    "named": "依据条款载明",
    "public_order_law": "治安管理处罚法规定",
    "referenced": "援引条款载明",
    "general_clause": "本法规总则条款",
    "competent_department": "本法规主管部门条款",
    "breached": "所违反条款载明",
    "unresolved": "未能确定，请补充",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NAMES = {"jsonl": "entries.jsonl", "csv": "entries.csv", "xlsx": "entries.xlsx"}


def write_entries(entries: Iterable[Entry | ListedEntry], directory: str | Path,
                  formats: Iterable[str] = NAMES) -> dict[str, Path]:
    """Write the list into `directory` in one pass over `entries` (a whole corpus's list streams through and is never
    held in memory); returns the paths by format. The JSONL is always written: it is the list a re-run reads the
    reviewers' decisions from; an entry already listed is written as the line it was. The files appear together or
    none."""
    directory = Path(directory)
    paths = {fmt: directory / name for fmt, name in NAMES.items() if fmt == "jsonl" or fmt in set(formats)}
    with ExitStack() as files:
        jsonl = files.enter_context(atomic_open(paths["jsonl"]))
        sinks: list[Callable[[Sequence[Cell]], None]] = []
        if "csv" in paths:
            handle = files.enter_context(atomic_open(paths["csv"], newline="", encoding="utf-8-sig"))
            sinks.append(_csv_writer(handle, COLUMNS).writerow)
        workbook = _workbook() if "xlsx" in paths else None
        if workbook is not None:
            sinks.append(_sheet(workbook, "权力清单", COLUMNS, WIDTHS))
        for number, item in enumerate(entries, 1):
            listed = item if isinstance(item, ListedEntry) else ListedEntry.of(item)
            jsonl.write(listed.line)
            cells = row(number, listed.entry) if sinks else []
            for sink in sinks:
                sink(cells)
        if workbook is not None:
            workbook.save(files.enter_context(atomic_open(paths["xlsx"], "wb")))
    for fmt, name in NAMES.items():  # a format not asked for this time would be left out of date: gone
        if fmt not in paths:
            (directory / name).unlink(missing_ok=True)
    return paths


Cell = str | int | float | None


@dataclass(frozen=True)
class Sheet:
    """A table as legal staff open it: a title, column names and widths (in characters), rows of cells."""

    title: str
    columns: Sequence[str]
    widths: Sequence[int]
    rows: Sequence[Sequence[Cell]]


def write_csv(path: str | Path, sheet: Sheet) -> None:
    """The table as CSV in UTF-8 with BOM (so Excel reads it), text cells neutralised, written atomically."""
    with atomic_open(path, newline="", encoding="utf-8-sig") as handle:
        _csv_writer(handle, sheet.columns).writerows(sheet.rows)


def write_xlsx(path: str | Path, sheets: Sequence[Sheet]) -> None:
    """The tables as one workbook, one sheet each, written atomically."""
    workbook = _workbook()
    for table in sheets:
        append = _sheet(workbook, table.title, table.columns, table.widths)
        for values in table.rows:
            append(values)
    with atomic_open(path, "wb") as handle:
        workbook.save(handle)


def row(number: int, entry: Entry) -> list[Cell]:
    """One spreadsheet row, every text cell neutralised."""
    source = SUBJECT_RULES.get(entry.subject_rule, entry.subject_rule)
    if entry.subject_source and entry.subject_rule != "named":
        source = f"{source}：{entry.subject_source}"
    cells: list[Cell] = [
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


def _neutral(cell: Cell) -> Cell:
    return neutralised(cell) if isinstance(cell, str) else cell


class _NeutralWriter:
    """A csv writer whose text cells are neutralised."""

    def __init__(self, handle: IO[str]) -> None:
        self._writer = csv.writer(handle)

    def writerow(self, values: Sequence[Cell]) -> None:
        self._writer.writerow([_neutral(cell) for cell in values])

    def writerows(self, rows: Iterable[Sequence[Cell]]) -> None:
        for values in rows:
            self.writerow(values)


def _csv_writer(handle: IO[str], columns: Sequence[str]) -> _NeutralWriter:
    writer = _NeutralWriter(handle)
    writer.writerow(columns)
    return writer


def _workbook() -> Workbook:
    from openpyxl import Workbook

    return Workbook(write_only=True)


def _sheet(workbook: Workbook, title: str, columns: Sequence[str],
           widths: Sequence[int]) -> Callable[[Sequence[Cell]], None]:
    """A streamed sheet with its widths, frozen header and bold column names; returns what appends a row to it: text
    cells neutralised, stored as text (never a formula) and wrapped."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B2"
    header = []
    for name in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    wrapped = Alignment(wrap_text=True, vertical="top")

    def append(values: Sequence[Cell]) -> None:
        cells: list[WriteOnlyCell | Cell] = []
        for value in values:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=neutralised(value))
                cell.data_type = "s"
                cell.alignment = wrapped
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)

    return append
