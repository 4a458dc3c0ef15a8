"""Cut a statute into provisions: 条 → 款 → 项 → 目, with headings as context.

The unit follows the annotation guidelines: an article starts with 第…条; each further
line of running text inside it starts a new 款; lines that open with （一） are 项 of
the 款 before them, and lines that open with 1. （1） ① are 目 of the 项 before them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.header import parse_header
from pipeline.lines import (
    ARTICLE,
    BLANK,
    HEADING_RANKS,
    ITEM,
    SUBITEM,
    Kind,
    Line,
    heading_rank,
    heading_text,
    readable,
    split_lines,
    to_chinese,
    to_number,
)
from pipeline.models import Diagnostic, Item, Provision, Source, Statute, StatuteError
from pipeline.read import read_source

MAX_UNMARKED_HEADING_CHARS = 21  # 市人民代表大会常务委员会制定地方性法规程序 (菏泽, 德州) is 21
NOT_IN_HEADINGS = re.compile(r"[。；：，！？.;:,=＝×÷+＋%％]")


@dataclass
class _Block:
    """A 项 or 目 being collected: the line that opens it and where it ends (continuation lines extend it)."""

    line: Line
    end: int
    children: list[_Block] = field(default_factory=list)

    def extend_to(self, end: int) -> None:
        self.end = end
        if self.children:
            self.children[-1].extend_to(end)


@dataclass
class _Paragraph:
    """A 款 being collected: its lead line and the 项 under it (or 目 when it has no 项)."""

    lead: Line
    items: list[_Block] = field(default_factory=list)

    @property
    def end(self) -> int:
        return max(self.lead.end, self.items[-1].end) if self.items else self.lead.end

    def last_item_number(self) -> int | None:
        last = self.items[-1].line if self.items else None
        return _item_number(last) if last is not None and last.kind is Kind.ITEM else None


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
    provisions = tuple(
        provision for article in articles for provision in _provisions(source, result.header.title, article)
    )
    return Statute(source, result.header, provisions, tuple(diagnostics))


def _articles(source: Source, body: list[Line], diagnostics: list[Diagnostic]) -> list[_Article]:
    """Group body lines into articles and 款, keeping the heading path each article sits under.

    A heading closes the article before it: text between a heading and the next article (an annex,
    a list of repealed acts) belongs to no article.
    """
    headings: list[tuple[int, str]] = []
    articles: list[_Article] = []
    seen: dict[tuple[int, int], int] = {}
    open_article = False
    unnumbered: list[Line] = []  # running text before the first article
    lines = [line for line in body if line.kind is not Kind.BLANK]
    for index, line in enumerate(lines):
        if line.kind is Kind.HEADING or _is_unmarked_heading(line, lines[index + 1:index + 2]):
            if line.kind is Kind.TEXT and index and lines[index - 1].kind is Kind.HEADING and headings:
                rank, text = headings.pop()  # ## 第五章 / 法律责任: the title on the line below its number
                headings.append((rank, f"{text} {heading_text(line.content)}"))
            else:
                rank = heading_rank(line.content) if line.kind is Kind.HEADING else HEADING_RANKS["章"]
                headings = [(r, text) for r, text in headings if r < rank] + [(rank, heading_text(line.content))]
            open_article = False
        elif line.kind is Kind.ARTICLE:
            article = _start_article(source, line, tuple(text for _, text in headings), articles, diagnostics)
            _check_numbering(source, article, articles[-1] if articles else None, seen, diagnostics)
            articles.append(article)
            open_article = True
        elif open_article:
            if line.kind is Kind.ITEM and _item_number(line) is None:
                diagnostics.append(Diagnostic(source.path, line.number, "warning", f"item number "
                                              f"{_item_match(line).group(0)} cannot be read: numbered by its place"))
            _add_line(articles[-1].paragraphs, line)
        elif not articles:
            unnumbered.append(line)
    if articles and articles[0].number > 1:
        _warn_missing_start(source, articles[0], unnumbered, diagnostics)
    for article in articles:
        article.paragraphs = _join_interrupted_lists(article.paragraphs)
    return articles


def _warn_missing_start(source: Source, first: _Article, unnumbered: list[Line], diagnostics: list[Diagnostic]) -> None:
    """A statute whose first article is not 第一条 has lost its start; running text before it (a file whose article
    numbers were stripped) belongs to no article, so say where it is rather than drop it unseen."""
    message = f"the first article is {first.label}, not 第一条"
    if unnumbered:
        message += (f": {len(unnumbered)} line(s) of text before it (from line {unnumbered[0].number}) belong to no "
                    "article, perhaps articles whose 第…条 was lost")
    diagnostics.append(Diagnostic(source.path, first.line.number, "warning", message))


def _add_line(paragraphs: list[_Paragraph], line: Line) -> None:
    current = paragraphs[-1]
    if line.kind is Kind.TEXT and len(paragraphs) == 1 and not (current.lead.content or current.items):
        current.lead = line  # the article label stood alone on its line
    elif line.kind is Kind.TEXT:
        paragraphs.append(_Paragraph(line))
    elif line.kind is Kind.ITEM or not current.items:
        current.items.append(_Block(line, line.end))
    else:
        current.items[-1].children.append(_Block(line, line.end))


def _is_unmarked_heading(line: Line, following: list[Line]) -> bool:
    """A chapter title without Markdown marks (附 则): short, no punctuation or formula, and followed by an article."""
    return (
        line.kind is Kind.TEXT
        and len(line.content) <= MAX_UNMARKED_HEADING_CHARS
        and NOT_IN_HEADINGS.search(line.content) is None
        and bool(following)
        and following[0].kind in (Kind.ARTICLE, Kind.HEADING)
    )


def _join_interrupted_lists(paragraphs: list[_Paragraph]) -> list[_Paragraph]:
    """Lines of running text inside a list are not new 款 when the list goes on after them.

    海商法 第二百一十条 runs tonnage lines (501吨至3000吨的部分…) between （一） and （二）: the items that
    follow still continue the same lead-in, so the lines continue the item before them.
    """
    joined: list[_Paragraph] = []
    index = 0
    while index < len(paragraphs):
        current = paragraphs[index]
        index += 1
        while (number := current.last_item_number()) is not None:
            resumes = next((j for j in range(index, len(paragraphs)) if paragraphs[j].items), None)
            if resumes is None or _first_item_number(paragraphs[resumes]) != number + 1:
                break
            for between in paragraphs[index:resumes + 1]:
                current.items[-1].extend_to(between.lead.end)
                current.items += between.items
            index = resumes + 1
        joined.append(current)
    return joined


def _first_item_number(paragraph: _Paragraph) -> int | None:
    first = paragraph.items[0].line
    return _item_number(first) if first.kind is Kind.ITEM else None


def _item_number(line: Line) -> int | None:
    """The number of a 项's label; None for a slip of the pen (（十十）)."""
    numeral = _item_match(line).group(1)
    return to_number(numeral) if readable(numeral) else None


def _item_match(line: Line) -> re.Match[str]:
    match = ITEM.match(line.content)
    assert match is not None
    return match


def _start_article(source: Source, line: Line, chapters: tuple[str, ...], before: list[_Article],
                   diagnostics: list[Diagnostic]) -> _Article:
    """An article from its heading line; a number that cannot be read (第十十八条, a slip of the pen) is cited as the
    one after the article `before` it, with a warning naming the line, and its label kept as written."""
    match = ARTICLE.match(line.content)
    assert match is not None
    rest = len(line.content) - len(line.content[match.end():].lstrip(BLANK))
    lead = Line(line.number, line.start + rest, line.end, line.content[rest:], Kind.TEXT)
    numerals = [numeral for numeral in match.groups() if numeral]
    if all(readable(numeral) for numeral in numerals):
        number, suffix = to_number(match.group(1)), to_number(match.group(2)) if match.group(2) else 0
    else:
        number, suffix = (before[-1].number + 1 if before else 1), 0
        diagnostics.append(Diagnostic(source.path, line.number, "warning", f"article number {match.group(0)} cannot "
                                      f"be read: cited as 第{to_chinese(number)}条, the number after the one before"))
    article = _Article(label=match.group(0), number=number, suffix=suffix, line=line, chapters=chapters)
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


def cited_title(title: str) -> str:
    """《title》 with the title's own book marks turned inner: 《上海市实施〈中华人民共和国义务教育法〉办法》."""
    return "《" + title.replace("《", "〈").replace("》", "〉") + "》"


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
                citation=cited_title(title) + canonical + (f"第{to_chinese(index)}款" if count > 1 else ""),
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
    return tuple(_item(source, block, place) for place, block in enumerate(paragraph.items, start=1))


def _item(source: Source, block: _Block, place: int) -> Item:
    """A 项 （一） with its 目, or a 目 1. （1） ①; its text runs to its last continuation line. A 项 whose number
    cannot be read takes its `place` in the list."""
    line = block.line
    if line.kind is Kind.ITEM:
        read = _item_number(line)
        label, number = _item_match(line).group(0), place if read is None else read
    else:
        match = SUBITEM.match(line.content)
        assert match is not None
        numeral = match.group(1) or match.group(2)
        label, number = match.group(0), to_number(numeral) if numeral else ord(match.group(3)) - ord("①") + 1
    return Item(label=label, number=number, text=source.text[line.start:block.end], start=line.start,
                end=block.end, subitems=tuple(_item(source, child, place)
                                              for place, child in enumerate(block.children, start=1)))
