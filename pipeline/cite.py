"""A 设定依据 cell as people write it → citations: 《食品安全法》第一百二十二条第一款；《…实施条例》第七十五条.

Cells are free text: full-width and half-width punctuation, 《》 or 〈〉 or <> around titles (or none, when the
title ends in 法, 条例, 规定…), Chinese or Arabic numerals, traditional script, spaces inside a number
(第 一百二十二 条), several citations in one cell, a later article that inherits the title before it
(第一百二十二条、第一百二十四条), a 款 that inherits its article (第一款、第二款), numbers that share one 第
(第十、十一条; 第一、二款) and ranges (第十条至第十二条, 第十至十二条, 第（一）至（三）项: every number in between is
cited). A version named in brackets (（2018年修正）) is kept as `year`. A list number (1. 2、 ①) or the kind of a
source (【法律】, 行政法规：) before a citation only leads it. Whatever else is left that is not a joining word
(；、和 及 等 规定…) is a citation that could not be read, reported with its text rather than dropped.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Literal

from pipeline.lines import FULLWIDTH_DIGITS, HAN_NUMERAL, readable, to_chinese, to_number
from pipeline.models import Citation
from pipeline.read import to_simplified

NUMBER = rf"[{HAN_NUMERAL}]+|[0-9]+"
BRACKETS = str.maketrans({"<": "《", ">": "》", "〈": "《", "〉": "》", "(": "（", ")": "）", "＜": "《", "＞": "》"})
YEAR = re.compile(r"（\s*([0-9]{4})\s*年?[^）]*）")
SPACE_IN_NUMBER = re.compile(rf"(?<=[第条款项之{HAN_NUMERAL}0-9])\s+(?=[第条款项之{HAN_NUMERAL}0-9])")
RANGE = r"至|到|[-－—~～]"
SHARED = re.compile(rf"第((?:{NUMBER})(?:(?:[、，,和及或]|或者|{RANGE})(?:{NUMBER}))+)([条款项])")
TOKEN = re.compile(
    r"《(?P<title>[^《》]+)》(?:（\s*(?P<year>[0-9]{4})\s*年?[^）]*）)?"
    r"|(?P<bare>[\u4e00-\u9fff]{2,40}?(?:法|条例|规定|办法|细则|规则|决定))(?=\s*第)"
    rf"|第(?P<article>{NUMBER})条(?:之(?P<suffix>{NUMBER}))?"
    rf"|第(?P<paragraph>{NUMBER})款"
    rf"|第(?P<item>{NUMBER})项|第?（(?P<item_bracket>[{HAN_NUMERAL}]+)）项?"
)
JOINING = re.compile(
    r"^(?:[\s，,；;、。．.:：/和及或与等以暨]|以及|或者|相关|有关|之?规定|的|依据|根据|按照|条款|[0-9]{1,2}[.．、）]|[①-⑳]"
    r"|[【\[]?(?:法律|行政法规|地方性法规|自治条例|单行条例|部门规章|地方政府规章|政府规章|规章)[】\]]?)*$"
)
NUMBERED = ("article", "suffix", "paragraph", "item", "item_bracket")  # the groups of TOKEN that hold a number
RANGE_WORD = re.compile(rf"^\s*(?:{RANGE})\s*$")
MAX_RANGE = 50
"""A range over more numbers than this is read as a slip of the pen, not as that many citations."""
Level = Literal["article", "paragraph", "item"]
UNITS: dict[Level, str] = {"article": "条", "paragraph": "款", "item": "项"}


def parse_cell(cell: str, row: int) -> list[Citation]:
    """Every citation in one cell, in the cell's order; an empty cell is one unparsed citation (a basis is
    required), and so is every stretch that reads as no citation."""
    text = _normalised(cell)
    if not text.strip():
        return [Citation(row, cell, "", problem="设定依据为空")]
    citations: list[Citation] = []
    title: str | None = None
    year: int | None = None
    current: Citation | None = None
    position = 0
    for match in TOKEN.finditer(text):
        stretch = text[position : match.start()]
        position = match.end()
        level = _level(match)
        ranged = current is not None and level is not None and level == _last_level(current)
        ranged = ranged and RANGE_WORD.match(stretch) is not None
        if not ranged:
            citations += _leftover(stretch, row, cell)
        if not all(readable(match[name]) for name in NUMBERED if match[name]):  # 第十十八条: a slip of the pen
            citations += [current] if current is not None else []
            citations.append(Citation(row, cell, match.group(0), problem=f"无法识别的编号：{match.group(0)}"))
            current = None
        elif match["title"] or match["bare"]:
            citations += [current] if current is not None else []
            title, year = _title_and_year(match["title"] or match["bare"], match["year"])
            current = Citation(row, cell, match.group(0).strip(), title, year)
        elif match["article"]:
            lead = current.text if current is not None and current.article is None and current.title else ""
            number = to_number(match["article"])
            if current is not None and not lead:
                citations += [current, *(_between(current, "article", number) if ranged else [])]
            current = Citation(
                row, cell, lead + match.group(0), title, year, number,
                to_number(match["suffix"]) if match["suffix"] else 0, problem=None if title else "未写明法规名称",
            )
        elif current is None or current.article is None:
            citations.append(Citation(row, cell, match.group(0), problem="款或项之前未写明条"))
        else:
            paragraph, item = match["paragraph"], match["item"] or match["item_bracket"]
            number = to_number(paragraph or item)
            if (paragraph and current.paragraph is not None) or (item and current.item is not None):
                citations += [current, *(_between(current, level, number) if ranged and level else [])]
                current = replace(current, text=match.group(0), item=None,
                                  paragraph=None if paragraph else current.paragraph)
            else:
                current = replace(current, text=current.text + match.group(0))
            current = replace(current, paragraph=number) if paragraph else replace(current, item=number)
    citations += [current] if current is not None else []
    return citations + _leftover(text[position:], row, cell)


def _normalised(cell: str) -> str:
    """Simplified script, half-width digits and one kind of bracket, no spaces inside a number, and numbers that
    share one 第 spelt out one by one (第十、十一条 → 第十条、第十一条) so that each reads as its own token."""
    text = to_simplified(cell).translate(FULLWIDTH_DIGITS).translate(BRACKETS)
    text = SPACE_IN_NUMBER.sub("", text)
    return SHARED.sub(lambda m: re.sub(NUMBER, lambda n: f"第{n.group()}{m[2]}", m[1]), text)


def _level(match: re.Match[str]) -> Level | None:
    if match["article"]:
        return "article"
    if match["paragraph"]:
        return "paragraph"
    return "item" if match["item"] or match["item_bracket"] else None


def _last_level(citation: Citation) -> Level | None:
    """The finest part a citation names: a range continues it (第一款至第三款 ranges over 款)."""
    if citation.item is not None:
        return "item"
    if citation.paragraph is not None:
        return "paragraph"
    return "article" if citation.article is not None else None


def _between(first: Citation, level: Level, last: int) -> list[Citation]:
    """The citations a range names strictly between `first` and the number `last` at `level`."""
    start = getattr(first, level)
    unit = UNITS[level]
    if not start < last <= start + MAX_RANGE:
        written = f"第{to_chinese(start)}{unit}至第{to_chinese(last)}{unit}"
        return [Citation(first.row, first.cell, written, problem=f"无法识别的范围：{written}")]
    inner = {"article": {"article_suffix": 0, "paragraph": None, "item": None}, "paragraph": {"item": None},
             "item": {}}[level]
    return [replace(first, text=f"第{to_chinese(number)}{unit}", **inner, **{level: number})
            for number in range(start + 1, last)]


def _title_and_year(written: str, bracket_year: str | None) -> tuple[str, int | None]:
    """The title without spaces or a version bracket, and the year named inside the title or after it."""
    inner = YEAR.search(written)
    title = re.sub(r"\s+", "", YEAR.sub("", written))
    year = bracket_year or (inner.group(1) if inner else None)
    return title, int(year) if year else None


def _leftover(stretch: str, row: int, cell: str) -> list[Citation]:
    """A stretch between citations: joining words are fine, anything else is a citation that could not be read."""
    if JOINING.match(stretch):
        return []
    return [Citation(row, cell, stretch.strip(), problem=f"无法识别为法规条款：{stretch.strip()}")]
