"""Cut a statute into provisions: 条 → 款 → 项 → 目, with headings as context.

The unit follows the annotation guidelines: an article starts with 第…条; each further
line of running text inside it starts a new 款; lines that open with （一） are 项 of
the 款 before them, and lines that open with 1. （1） ① are 目 of the 项 before them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.header import parse_header
from pipeline.lines import (
    ARTICLE,
    BLANK,
    ITEM,
    SUBITEM,
    Kind,
    Line,
    heading_rank,
    heading_text,
    split_lines,
    to_chinese,
    to_number,
)
from pipeline.models import Diagnostic, Item, Provision, Source, Statute, StatuteError
from pipeline.read import read_source


@dataclass
class _Paragraph:
    """A 款 being collected: its lead line and the item lines under it."""

    lead: Line
    items: list[tuple[Line, list[Line]]] = field(default_factory=list)
    loose_subitems: list[Line] = field(default_factory=list)

    @property
    def end(self) -> int:
        lines = [self.lead, *self.loose_subitems]
        for item, subitems in self.items:
            lines += [item, *subitems]
        return max(line.end for line in lines)


@dataclass
class _Article:
    label: str
    number: int
    suffix: int
    line: Line
    chapters: tuple[str, ...]
    paragraphs: list[_Paragraph] = field(default_factory=list)


def read_statute(path: str | Path, display: str | None = None) -> Statute:
    """Read and segment one file; raises `StatuteError` when nothing can be read from it."""
    return segment(read_source(path, display))


def segment(source: Source) -> Statute:
    lines = split_lines(source.simplified, markdown=source.format == "markdown")
    result = parse_header(source, lines)
    diagnostics = [*source.diagnostics, *result.diagnostics]
    articles = _articles(source, lines[result.body_start:], diagnostics)
    if not articles:
        raise StatuteError(
            Diagnostic(source.path, None, "error", f"no article (第…条) found in {len(lines)} line(s)")
        )
    title = result.header.title
    provisions = tuple(provision for article in articles for provision in _provisions(source, title, article))
    return Statute(source, result.header, provisions, tuple(diagnostics))


def _articles(source: Source, body: list[Line], diagnostics: list[Diagnostic]) -> list[_Article]:
    """Group body lines into articles and 款, keeping the heading path each article sits under."""
    headings: list[tuple[int, str]] = []
    articles: list[_Article] = []
    seen: dict[tuple[int, int], int] = {}
    for line in body:
        if line.kind is Kind.BLANK:
            continue
        if line.kind is Kind.HEADING:
            rank = heading_rank(line.content)
            headings = [(r, text) for r, text in headings if r < rank] + [(rank, heading_text(line.content))]
            continue
        if line.kind is Kind.ARTICLE:
            article = _start_article(source, line, tuple(text for _, text in headings))
            _check_numbering(source, article, articles[-1] if articles else None, seen, diagnostics)
            articles.append(article)
            continue
        if not articles:
            continue
        paragraphs = articles[-1].paragraphs
        if line.kind is Kind.TEXT and len(paragraphs) == 1 and not (paragraphs[0].lead.content or paragraphs[0].items):
            paragraphs[0].lead = line  # the article label stood alone on its line
        elif line.kind is Kind.TEXT:
            paragraphs.append(_Paragraph(line))
        elif line.kind is Kind.ITEM:
            paragraphs[-1].items.append((line, []))
        elif paragraphs[-1].items:
            paragraphs[-1].items[-1][1].append(line)
        else:
            paragraphs[-1].loose_subitems.append(line)
    return articles


def _start_article(source: Source, line: Line, chapters: tuple[str, ...]) -> _Article:
    match = ARTICLE.match(line.content)
    assert match is not None
    rest = len(line.content) - len(line.content[match.end():].lstrip(BLANK))
    lead = Line(line.number, line.start + rest, line.end, line.content[rest:], Kind.TEXT)
    article = _Article(
        label=match.group(0),
        number=to_number(match.group(1)),
        suffix=to_number(match.group(2)) if match.group(2) else 0,
        line=line,
        chapters=chapters,
    )
    article.paragraphs.append(_Paragraph(lead))
    return article


def _check_numbering(
    source: Source, article: _Article, previous: _Article | None, seen: dict[tuple[int, int], int],
    diagnostics: list[Diagnostic],
) -> None:
    """Warn on a repeated, skipped or backward article number: a sign of a damaged or merged file."""
    key = (article.number, article.suffix)
    if key in seen:
        diagnostics.append(Diagnostic(source.path, article.line.number, "warning",
                                      f"duplicate article {article.label} (first at line {seen[key]})"))
        return
    seen[key] = article.line.number
    if previous is None:
        return
    expected = {(previous.number + 1, 0), (previous.number, previous.suffix + 1)}
    if key in expected:
        return
    if article.number > previous.number + 1 and article.suffix == 0:
        message = f"article numbers skip from {previous.label} to {article.label}"
    else:
        message = f"article {article.label} follows {previous.label} out of order"
    diagnostics.append(Diagnostic(source.path, article.line.number, "warning", message))


def _provisions(source: Source, title: str, article: _Article) -> list[Provision]:
    count = len(article.paragraphs)
    canonical = f"第{to_chinese(article.number)}条" + (f"之{to_chinese(article.suffix)}" if article.suffix else "")
    provisions = []
    for index, paragraph in enumerate(article.paragraphs, start=1):
        start, end = paragraph.lead.start, paragraph.end
        simplified = source.simplified[start:end]
        text = source.text[start:end]
        provisions.append(
            Provision(
                source=source.path,
                title=title,
                article=article.number,
                article_label=article.label,
                paragraph=index,
                citation=f"《{title}》{canonical}" + (f"第{to_chinese(index)}款" if count > 1 else ""),
                chapters=article.chapters,
                items=_items(source, paragraph),
                text=text,
                start=start,
                end=end,
                line=paragraph.lead.number,
                text_simplified=simplified if simplified != text else None,
            )
        )
    return provisions


def _items(source: Source, paragraph: _Paragraph) -> tuple[Item, ...]:
    loose = tuple(_subitem(source, line) for line in paragraph.loose_subitems)
    return loose + tuple(_item(source, line, subitems) for line, subitems in paragraph.items)


def _item(source: Source, line: Line, subitems: list[Line]) -> Item:
    match = ITEM.match(line.content)
    assert match is not None
    return Item(label=match.group(0), number=to_number(match.group(1)), text=source.text[line.start:line.end],
                start=line.start, end=line.end, subitems=tuple(_subitem(source, sub) for sub in subitems))


def _subitem(source: Source, line: Line) -> Item:
    match = SUBITEM.match(line.content)
    assert match is not None
    numeral = match.group(1) or match.group(2)
    number = to_number(numeral) if numeral else ord(match.group(3)) - ord("①") + 1
    return Item(label=match.group(0), number=number, text=source.text[line.start:line.end],
                start=line.start, end=line.end, subitems=())
