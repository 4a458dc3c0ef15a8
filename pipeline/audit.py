"""Citations of an existing power list + the registry → one audit row per citation: is the legal basis still good?

The checks, in order, each stopping at the first that fails:

1. unparsed: the cell could not be read as 《title》第N条 (the stretch is quoted).
2. not_found: no statute in the registry has the title (full, or short without 中华人民共和国).
3. repealed: the statute's last version is repealed; the statute that repealed it is named, and the article that
   the alignment of the two texts pairs with the one cited is suggested.
4. The cited version: the one the cell names by year (the last version published in or before that year), else
   the one in force on the list's date (`as_of`, when given), else the current one.
5. article_missing / paragraph_missing: the cited version has no such article, 款 or 项.
6. When the cited version is not the current one, the article is followed through the alignment of the two texts:
   deleted → article_missing; under another number → renumbered (the new citation is suggested); its text differs
   → superseded when the cell named the old version's year, changed when the list's date selected it. A cell that
   names an old year is superseded even when the text is the same, since it cites a version no longer in force.
7. Otherwise ok. Without a year or a date, a citation is read against the current version: it cannot be
   "changed" then, only missing.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from openpyxl import load_workbook

from pipeline.align import Article, align, articles, canonical_label
from pipeline.cite import parse_cell
from pipeline.lines import to_chinese
from pipeline.models import (
    ArticlePair,
    AuditRow,
    AuditStatus,
    Citation,
    Diagnostic,
    RegistryEntry,
    Statute,
    StatuteError,
)
from pipeline.registry import Registry
from pipeline.segment import cited_title, read_statute

BASIS_COLUMN = "设定依据"
STATUS_LABELS = {
    "ok": "有效",
    "repealed": "已废止",
    "superseded": "版本已被替代",
    "renumbered": "条文序号已变更",
    "changed": "条文内容已修改",
    "article_missing": "条不存在",
    "paragraph_missing": "款或项不存在",
    "not_found": "未找到该法规",
    "unparsed": "无法识别",
}
ENCODINGS = ("utf-8-sig", "gb18030")


def read_basis_cells(path: Path, column: str = BASIS_COLUMN) -> list[tuple[int, str]]:
    """(row, cell) of the basis column of a CSV or XLSX list; rows count data rows from 1. Opened read-only."""
    rows = _xlsx_rows(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv_rows(path)
    header = next(rows, None)
    if header is None:
        raise StatuteError(Diagnostic(str(path), None, "error", "empty list: no header row"))
    names = [str(name or "").strip() for name in header]
    if column not in names:
        message = f"no {column} column in the header (columns: {', '.join(name for name in names if name)})"
        raise StatuteError(Diagnostic(str(path), 1, "error", message))
    index = names.index(column)
    return [
        (number, str(values[index]) if index < len(values) and values[index] is not None else "")
        for number, values in enumerate(rows, start=1)
        if any(value not in (None, "") for value in values)
    ]


def _csv_rows(path: Path) -> Iterator[list[str]]:
    for encoding in ENCODINGS:
        try:
            text = path.read_text(encoding=encoding)
        except UnicodeDecodeError:
            continue
        except OSError as error:
            raise StatuteError(Diagnostic(str(path), None, "error", f"cannot read: {error}")) from error
        return iter(list(csv.reader(text.splitlines())))
    raise StatuteError(Diagnostic(str(path), None, "error", "neither UTF-8 nor GB18030 text"))


def _xlsx_rows(path: Path) -> Iterator[list[object]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError) as error:
        raise StatuteError(Diagnostic(str(path), None, "error", f"cannot read workbook: {error}")) from error
    rows = [list(values) for values in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return iter(rows)


class Auditor:
    """Checks citations against a registry and the texts of its corpus; statutes and alignments are read once."""

    def __init__(self, registry: Registry, corpus: Path, as_of: str | None = None) -> None:
        self.registry = registry
        self.corpus = Path(corpus)
        self.as_of = as_of
        self._statute = lru_cache(maxsize=64)(self._read)
        self._alignment = lru_cache(maxsize=64)(self._align)

    def audit(self, cells: list[tuple[int, str]]) -> list[AuditRow]:
        return [self.check(citation) for row, cell in cells for citation in parse_cell(cell, row)]

    def check(self, citation: Citation) -> AuditRow:
        def result(status: AuditStatus, reason: str, suggestion: str | None = None) -> AuditRow:
            return AuditRow(citation.row, citation.text, status, reason, suggestion, citation.cell)

        if citation.problem or citation.title is None:
            return result("unparsed", citation.problem or "未写明法规名称")
        chains = {entry.versions for entry in self.registry.find(citation.title)}
        if len(chains) != 1:
            why = "名称对应多部法规" if chains else "法规库中没有该名称的法规"
            return result("not_found", f"{why}：{citation.title}")
        versions = [self.registry.get(version) for version in next(iter(chains))]
        current = versions[-1]
        if current.status == "repealed":
            return result("repealed", *self._repeal(citation, current))
        cited, how = self._cited_version(citation, versions)
        if citation.article is None:
            if how == "year" and cited is not current:
                reason = f"所引{_version(cited)}已被{_version(current)}替代"
                return result("superseded", reason, cited_title(current.title))
            return result("ok", f"{_version(current)}现行有效")
        article = self._article(cited, citation)
        if article is None:
            return result("article_missing", f"{_version(cited)}没有{_label(citation)}")
        missing = _missing_part(article, citation)
        if missing:
            return result("paragraph_missing", f"{_version(cited)}{_label(citation)}没有{missing}")
        if cited is current:
            return result("ok", f"{_version(current)}{_label(citation)}现行有效")
        return result(*self._followed(citation, cited, current, article, how))

    def _cited_version(self, citation: Citation, versions: list[RegistryEntry]) -> tuple[RegistryEntry, str]:
        """The version the citation means, and how it was chosen: by the year it names, the list's date, or none."""
        if citation.year is not None:
            earlier = [v for v in versions if (v.published or "")[:4] and int(v.published[:4]) <= citation.year]
            return (earlier[-1] if earlier else versions[0]), "year"
        if self.as_of is not None:
            started = [v for v in versions if (v.effective or v.published or "") <= self.as_of]
            return (started[-1] if started else versions[0]), "date"
        return versions[-1], "current"

    def _followed(
        self, citation: Citation, cited: RegistryEntry, current: RegistryEntry, article: Article, how: str
    ) -> tuple[AuditStatus, str, str | None]:
        """Status, reason and suggestion of an article of an older version followed into the current one."""
        pair = self._pair(cited, current, article.label)
        if pair is None or pair.new_label is None:
            return "article_missing", f"{_label(citation)}在{_version(current)}中已删除", None
        new = self._article_by_label(current, pair.new_label)
        suggestion = _citation(current.title, pair.new_label, citation) if new and not _missing_part(new, citation) \
            else _citation(current.title, pair.new_label, None)
        if pair.renumbered:
            moved = f"{_version(cited)}{_label(citation)}在{_version(current)}中为{pair.new_label}"
            return "renumbered", moved, suggestion
        if how == "year":
            change = "条文已修改" if pair.relation != "same" else "条文未变"
            return "superseded", f"所引{_version(cited)}已被{_version(current)}替代（{change}）", suggestion
        if pair.relation == "same" or _cited_text(article, citation) == _cited_text(new, citation):
            return "ok", f"{_label(citation)}自{self.as_of}以来未修改", None
        return "changed", f"{_label(citation)}的条文自{self.as_of}以来已被{_version(current)}修改", suggestion

    def _repeal(self, citation: Citation, repealed: RegistryEntry) -> tuple[str, str | None]:
        """Why a repealed statute's citation fails, and what to cite in the statute that repealed it."""
        if not repealed.successor:
            return f"{_version(repealed)}已废止，法规库中未找到替代法规", None
        successor = self.registry.get(repealed.successor)
        latest = self.registry.versions_of(successor)[-1]
        reason = f"{_version(repealed)}已废止，由{_version(successor)}替代"
        if citation.article is None:
            return reason, cited_title(latest.title)
        pair = self._pair(repealed, latest, _label(citation))
        if pair is None or pair.new_label is None:
            return f"{reason}；未找到对应条文", cited_title(latest.title)
        return f"{reason}；对应条文为{pair.new_label}（相似度{pair.similarity:.2f}，请核对）", _citation(
            latest.title, pair.new_label, None)

    def _pair(self, old: RegistryEntry, new: RegistryEntry, label: str) -> ArticlePair | None:
        """The pair that takes `label` of `old` into `new`; of a split article, the most similar piece."""
        pairs = [pair for pair in self._alignment(old.id, new.id) if pair.old_label == label]
        return max(pairs, key=lambda pair: pair.similarity, default=None)

    def _article(self, entry: RegistryEntry, citation: Citation) -> Article | None:
        return self._article_by_label(entry, _label(citation))

    def _article_by_label(self, entry: RegistryEntry, label: str) -> Article | None:
        return next((article for article in articles(self._statute(entry.id)) if article.label == label), None)

    def _read(self, entry_id: str) -> Statute:
        entry = self.registry.get(entry_id)
        if entry.path is None:
            raise StatuteError(Diagnostic(entry.title, None, "error", "the registry has no file for this version"))
        return read_statute(self.corpus / entry.path)

    def _align(self, old_id: str, new_id: str) -> tuple[ArticlePair, ...]:
        return tuple(align(self._statute(old_id), self._statute(new_id)))


def summary(rows: list[AuditRow]) -> list[tuple[str, str, int]]:
    """(status, 中文, count) for every status, in the order of STATUS_LABELS."""
    return [(status, label, sum(1 for row in rows if row.status == status)) for status, label in STATUS_LABELS.items()]


def _label(citation: Citation) -> str:
    suffix = f"之{to_chinese(citation.article_suffix)}" if citation.article_suffix else ""
    return canonical_label(f"第{citation.article}条{suffix}")


def _missing_part(article: Article, citation: Citation) -> str | None:
    """The 款 or 项 the citation names that the article does not have (第二款, 第一款第三项), or None."""
    provisions = article.provisions
    if citation.paragraph is not None:
        if citation.paragraph > len(provisions):
            return f"第{to_chinese(citation.paragraph)}款"
        provisions = (provisions[citation.paragraph - 1],)
    if citation.item is not None and not any(
        item.number == citation.item for provision in provisions for item in provision.items
    ):
        where = f"第{to_chinese(citation.paragraph)}款" if citation.paragraph else ""
        return f"{where}第{to_chinese(citation.item)}项"
    return None


def _cited_text(article: Article | None, citation: Citation) -> str | None:
    """The text the citation points at: its 款 when it names one, else the whole article."""
    if article is None:
        return None
    if citation.paragraph is not None and citation.paragraph <= len(article.provisions):
        return article.provisions[citation.paragraph - 1].text
    return article.text


def _citation(title: str, label: str, citation: Citation | None) -> str:
    """《title》第N条 with the cited 款 and 项 when given."""
    paragraph = f"第{to_chinese(citation.paragraph)}款" if citation and citation.paragraph else ""
    item = f"第{to_chinese(citation.item)}项" if citation and citation.item else ""
    return f"{cited_title(title)}{label}{paragraph}{item}"


def _version(entry: RegistryEntry) -> str:
    return f"{cited_title(entry.title)}（{entry.published or '日期不详'}）"
