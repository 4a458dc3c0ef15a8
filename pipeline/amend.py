"""An amendment → the adjustments of a power list: entries to add (新增), cancel (取消) and change (变更).

From the alignment of the two versions, only the articles that changed (modified, split, merged, added, deleted, or
renumbered) are classified and proposed again, in each version, with their statute around them so that acting
bodies still resolve through the general clauses. The entries of each group of aligned articles are then paired
(same category and name first, then the closest name); a pair that differs in basis, range, body, category or text
is a change, an entry left over in the old version is cancelled and one left over in the new version is added.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scipy.optimize import linear_sum_assignment

from pipeline.align import align, articles, canonical_label, diff
from pipeline.classify import Classifier
from pipeline.export import Sheet, write_csv, write_entries, write_xlsx
from pipeline.extract import read_powers
from pipeline.models import Adjustment, ArticlePair, Entry, Power, Statute
from pipeline.propose import propose
from pipeline.tiers import Scheme, describe
from pipeline.write import atomic_open

PAIRED = 0.5
"""The least score (name similarity 0.5, same category 0.3, same body 0.2) at which two entries are one entry."""
CITED_ARTICLE = re.compile(r"》(第[^条》]+条(?:之[^第]+)?)")
ALIGNMENT_COLUMNS = ("old_article", "new_article", "relation", "similarity", "old_label", "new_label")
ADJUSTMENT_COLUMNS = ("序号", "调整类型", "变更内容", "事项名称", "职权类型", "原实施主体", "现实施主体", "原设定依据",
                      "现设定依据", "原依据原文", "现依据原文", "编号")
ADJUSTMENT_WIDTHS = (6, 8, 30, 40, 12, 24, 24, 36, 36, 60, 60, 18)
ACTIONS = ("新增", "取消", "变更")
HTML_MARKS = {"-": "del", "+": "ins"}
RELATION_LABELS = {"same": "未变", "modified": "修改", "split": "拆分", "merged": "合并", "deleted": "删除",
                   "added": "新增"}


@dataclass(frozen=True)
class Amendment:
    """One version pair with its alignment and the adjustments it calls for."""

    old: Statute
    new: Statute
    pairs: tuple[ArticlePair, ...]
    adjustments: tuple[Adjustment, ...]
    powers: tuple[Power, ...] = ()
    """The 款 of the changed articles, in both versions, as the classifier read them: what review tasks show."""


def amend(old: Statute, new: Statute, classifier: Classifier, scheme: Scheme) -> Amendment:
    """Align two versions and propose the adjustments, classifying only the articles that changed."""
    pairs = tuple(align(old, new))
    changed = [pair for pair in pairs if pair.relation != "same" or pair.renumbered]
    old_powers, old_entries = _proposed(old, {pair.old_label for pair in changed}, classifier, scheme)
    new_powers, new_entries = _proposed(new, {pair.new_label for pair in changed}, classifier, scheme)
    adjustments: list[Adjustment] = []
    for old_labels, new_labels in _groups(changed):
        adjustments += _adjust(
            [entry for entry in old_entries if _article_label(entry) in old_labels],
            [entry for entry in new_entries if _article_label(entry) in new_labels],
        )
    return Amendment(old, new, pairs, tuple(adjustments), (*old_powers, *new_powers))


def _proposed(
    statute: Statute, labels: set[str | None], classifier: Classifier, scheme: Scheme
) -> tuple[list[Power], list[Entry]]:
    """The 款 of the articles named by `labels`, classified, and their entries; the rest of the statute is read but
    not classified."""
    chosen = [canonical_label(provision.article_label) in labels for provision in statute.provisions]
    powers = read_powers(statute, classifier, chosen)
    classified = [power for power, keep in zip(powers, chosen, strict=True) if keep]
    return classified, propose(statute, powers, scheme)


def _groups(pairs: Sequence[ArticlePair]) -> list[tuple[set[str], set[str]]]:
    """The pairs joined into groups of articles that exchange text (an old article and its pieces, say)."""
    groups: list[tuple[set[str], set[str]]] = []
    for pair in pairs:
        olds = {pair.old_label} if pair.old_label else set()
        news = {pair.new_label} if pair.new_label else set()
        touching = [group for group in groups if group[0] & olds or group[1] & news]
        for group in touching:
            olds |= group[0]
            news |= group[1]
            groups.remove(group)
        groups.append((olds, news))
    return groups


def _article_label(entry: Entry) -> str | None:
    found = CITED_ARTICLE.search(entry.citation)
    return found.group(1) if found else None


def _adjust(old: list[Entry], new: list[Entry]) -> list[Adjustment]:
    """Pair the entries of one group of articles and say what each pair, and each one left over, calls for."""
    matched: dict[int, int] = {}
    if old and new:
        scores = [[_likeness(a, b) for b in new] for a in old]
        rows, columns = linear_sum_assignment([[-score for score in line] for line in scores])
        matched = {int(i): int(j) for i, j in zip(rows, columns, strict=True) if scores[i][j] >= PAIRED}
    adjustments = []
    for i, j in sorted(matched.items(), key=lambda pair: pair[1]):
        changes = _changes(old[i], new[j])
        if changes:
            adjustments.append(Adjustment("变更", changes, old[i], new[j]))
    adjustments += [Adjustment("取消", (), entry, None) for i, entry in enumerate(old) if i not in matched]
    taken = set(matched.values())
    adjustments += [Adjustment("新增", (), None, entry) for j, entry in enumerate(new) if j not in taken]
    return adjustments


def _likeness(old: Entry, new: Entry) -> float:
    name = difflib.SequenceMatcher(None, old.name, new.name, autojunk=False).ratio()
    return 0.5 * name + 0.3 * (old.category == new.category) + 0.2 * (old.subject == new.subject)


def _changes(old: Entry, new: Entry) -> tuple[str, ...]:
    """What differs between two entries of one power, in the words of a list's adjustment notice."""
    changes = []
    if _article_label(old) != _article_label(new):
        changes.append(f"依据条文序号变更：{_article_label(old)}→{_article_label(new)}")
    elif (old.paragraph, old.item) != (new.paragraph, new.item):
        changes.append("依据款项变更")
    if old.category != new.category:
        changes.append(f"职权类型变更：{old.category}→{new.category}")
    if old.subject != new.subject:
        changes.append(f"实施主体变更：{old.subject or '未确定'}→{new.subject or '未确定'}")
    if old.penalties != new.penalties:
        changes.append("处罚幅度变更")
    if old.quote != new.quote and not changes:
        changes.append("依据原文修改")
    return tuple(changes)


def write_amendment(amendment: Amendment, directory: Path) -> list[Path]:
    """alignment.csv, the adjustments (report.md, report.html, adjustments.csv/.xlsx) and the adjusted entries as
    entries.jsonl/.csv/.xlsx for review; every file written atomically."""
    directory = Path(directory)
    alignment = directory / "alignment.csv"
    write_csv(alignment, Sheet("alignment", ALIGNMENT_COLUMNS, (), [
        [pair.old_article or "", pair.new_article or "", pair.relation, pair.similarity, pair.old_label or "",
         pair.new_label or ""] for pair in amendment.pairs
    ]))
    table = Sheet("调整建议", ADJUSTMENT_COLUMNS, ADJUSTMENT_WIDTHS, _adjustment_rows(amendment.adjustments))
    write_csv(directory / "adjustments.csv", table)
    write_xlsx(directory / "adjustments.xlsx", [table])
    paths = [alignment, directory / "adjustments.csv", directory / "adjustments.xlsx"]
    for name, text in (("report.md", markdown_report(amendment)), ("report.html", html_report(amendment))):
        with atomic_open(directory / name) as handle:
            handle.write(text)
        paths.append(directory / name)
    return paths + list(write_entries([adjustment.entry for adjustment in amendment.adjustments], directory).values())


def _adjustment_rows(adjustments: Sequence[Adjustment]) -> list[list[str | int]]:
    rows: list[list[str | int]] = []
    for number, adjustment in enumerate(adjustments, 1):
        old, new = adjustment.old, adjustment.new
        shown = new or old
        assert shown is not None
        rows.append([
            number, adjustment.action, "；".join(adjustment.changes), shown.name, shown.category,
            (old.subject or "") if old else "", (new.subject or "") if new else "",
            old.citation if old else "", new.citation if new else "", old.quote if old else "",
            new.quote if new else "", shown.id,
        ])
    return rows


def counts(amendment: Amendment) -> dict[str, int]:
    """Articles by relation, renumbered ones, and adjustments by action: the line of the batch summary."""
    relations = {name: sum(1 for pair in amendment.pairs if pair.relation == name) for name in RELATION_LABELS}
    actions = {name: sum(1 for item in amendment.adjustments if item.action == name) for name in ACTIONS}
    return {**relations, "renumbered": sum(1 for pair in amendment.pairs if pair.renumbered), **actions}


def _changed(amendment: Amendment) -> list[tuple[ArticlePair, str, list[tuple[str, str]]]]:
    """The pairs a report shows (all but unchanged articles under their old number): each with its relation in
    words and the character diff of a modified, split or merged pair."""
    old_text = {article.label: article.text for article in articles(amendment.old)}
    new_text = {article.label: article.text for article in articles(amendment.new)}
    shown = []
    for pair in amendment.pairs:
        if pair.relation == "same" and not pair.renumbered:
            continue
        runs = diff(old_text[pair.old_label], new_text[pair.new_label]) if pair.old_label and pair.new_label \
            and pair.relation != "same" else []
        shown.append((pair, RELATION_LABELS[pair.relation] + ("，序号变更" if pair.renumbered else ""), runs))
    return shown


def _heading(amendment: Amendment) -> str:
    old, new = amendment.old.header, amendment.new.header
    return f"{old.title}（{old.published or '日期不详'}）→ {new.title}（{new.published or '日期不详'}）"


def markdown_report(amendment: Amendment) -> str:
    """The report legal staff read: what changed article by article (with the wording changed), then the list's
    adjustments by kind."""
    found = counts(amendment)
    lines = [f"# 修订比对与清单调整建议：{_heading(amendment)}", "",
             "条文对照：" + "，".join(f"{label} {found[relation]} 条" for relation, label in RELATION_LABELS.items())
             + f"，其中条文序号变更 {found['renumbered']} 条。", "",
             "调整建议：" + "，".join(f"{action} {found[action]} 项" for action in ACTIONS) + "。", "",
             "## 条文对照（未变且序号未变的条文从略）", "", "| 原条文 | 现条文 | 关系 | 相似度 | 文字变化 |",
             "| --- | --- | --- | --- | --- |"]
    for pair, relation, runs in _changed(amendment):
        change = "".join(
            _cell(text) if op == "=" else f"~~{_cell(text)}~~" if op == "-" else f"**{_cell(text)}**"
            for op, text in runs
        )
        lines.append(f"| {pair.old_label or '—'} | {pair.new_label or '—'} | {relation} | {pair.similarity:.2f} | "
                     f"{change} |")
    for action in ACTIONS:
        chosen = [a for a in amendment.adjustments if a.action == action]
        lines += ["", f"## {action}（{len(chosen)} 项）", ""]
        for adjustment in chosen:
            shown = adjustment.new or adjustment.old
            assert shown is not None
            lines.append(f"- **{shown.name}**（{shown.category}，{shown.subject or '实施主体未确定'}）")
            if adjustment.changes:
                lines.append(f"  - 变更：{'；'.join(adjustment.changes)}")
            for side, entry in (("原", adjustment.old), ("现", adjustment.new)):
                if entry is not None:
                    ranges = "；".join(describe(tier) for tier in entry.tiers)
                    lines.append(f"  - {side}依据：{entry.citation}：{_cell(entry.quote)}" + (f"（{ranges}）" if ranges
                                                                                            else ""))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text inside a Markdown table cell or list line: no pipes or line breaks."""
    return text.replace("|", "｜").replace("\n", " ")


def html_report(amendment: Amendment) -> str:
    """The same report as a standalone HTML page, deletions struck through and insertions underlined."""
    rows = []
    for pair, relation, runs in _changed(amendment):
        change = "".join(
            html.escape(text) if op == "=" else f"<{HTML_MARKS[op]}>{html.escape(text)}</{HTML_MARKS[op]}>"
            for op, text in runs
        )
        rows.append(f"<tr><td>{pair.old_label or '—'}</td><td>{pair.new_label or '—'}</td><td>{relation}</td>"
                    f"<td>{pair.similarity:.2f}</td><td>{change}</td></tr>")
    adjustments = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>"
        for row in _adjustment_rows(amendment.adjustments)
    )
    head = "".join(f"<th>{name}</th>" for name in ADJUSTMENT_COLUMNS)
    found = counts(amendment)
    summary = "，".join(f"{action} {found[action]} 项" for action in ACTIONS)
    return (
        "<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(_heading(amendment))}</title><style>"
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #999;"
        "padding:4px;vertical-align:top}del{color:#b00}ins{color:#070}</style></head><body>"
        f"<h1>修订比对与清单调整建议</h1><p>{html.escape(_heading(amendment))}</p><p>调整建议：{summary}。</p>"
        "<h2>条文对照</h2><table><tr><th>原条文</th><th>现条文</th><th>关系</th><th>相似度</th><th>文字变化</th></tr>"
        f"{''.join(rows)}</table><h2>调整建议</h2><table><tr>{head}</tr>{adjustments}</table></body></html>\n"
    )
