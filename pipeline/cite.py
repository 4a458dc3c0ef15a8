"""A 设定依据 cell as people write it → citations: 《食品安全法》第一百二十二条第一款；《…实施条例》第七十五条.

Cells are free text: full-width and half-width punctuation, 《》 or 〈〉 or <> around titles (or none, when the title
ends in 法, 条例, 规定…), Chinese or Arabic numerals, several citations in one cell, a later article that inherits the
title before it (第一百二十二条、第一百二十四条) and a 款 that inherits its article (第一款、第二款). A version named in
brackets (（2018年修正）) is kept as `year`. Whatever is left that is not a joining word (；、和 及 等 规定…) is a
citation that could not be read, reported with its text rather than dropped.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.lines import FULLWIDTH_DIGITS, HAN_NUMERAL, to_number
from pipeline.models import Citation

NUMBER = rf"[{HAN_NUMERAL}]+|[0-9]+"
BRACKETS = str.maketrans({"<": "《", ">": "》", "〈": "《", "〉": "》", "(": "（", ")": "）", "＜": "《", "＞": "》"})
YEAR = re.compile(r"（\s*([0-9]{4})\s*年?[^）]*）")
TOKEN = re.compile(
    r"《(?P<title>[^《》]+)》(?:（\s*(?P<year>[0-9]{4})\s*年?[^）]*）)?"
    r"|(?P<bare>[\u4e00-\u9fff]{2,40}?(?:法|条例|规定|办法|细则|规则|决定))(?=第)"
    rf"|第(?P<article>{NUMBER})条(?:之(?P<suffix>{NUMBER}))?"
    rf"|第(?P<paragraph>{NUMBER})款"
    rf"|第(?P<item>{NUMBER})项|第?（(?P<item_bracket>[{HAN_NUMERAL}]+)）项?"
)
JOINING = re.compile(r"^(?:[\s，,；;、。．.:：/和及或与等以暨]|以及|或者|相关|有关|之?规定|的|依据|根据|按照|条款)*$")


def parse_cell(cell: str, row: int) -> list[Citation]:
    """Every citation in one cell, in the cell's order; an empty cell is one unparsed citation (a basis is
    required), and so is every stretch that reads as no citation."""
    text = cell.translate(FULLWIDTH_DIGITS).translate(BRACKETS)
    if not text.strip():
        return [Citation(row, cell, "", problem="设定依据为空")]
    citations: list[Citation] = []
    title: str | None = None
    year: int | None = None
    current: Citation | None = None
    position = 0
    for match in TOKEN.finditer(text):
        citations += _leftover(text[position : match.start()], row, cell)
        position = match.end()
        if match["title"] or match["bare"]:
            citations += [current] if current is not None else []
            title, year = _title_and_year(match["title"] or match["bare"], match["year"])
            current = Citation(row, cell, match.group(0).strip(), title, year)
        elif match["article"]:
            lead = current.text if current is not None and current.article is None and current.title else ""
            if current is not None and not lead:
                citations.append(current)
            current = Citation(
                row, cell, lead + match.group(0), title, year, to_number(match["article"]),
                to_number(match["suffix"]) if match["suffix"] else 0, problem=None if title else "未写明法规名称",
            )
        elif current is None or current.article is None:
            citations.append(Citation(row, cell, match.group(0), problem="款或项之前未写明条"))
        else:
            paragraph, item = match["paragraph"], match["item"] or match["item_bracket"]
            if (paragraph and current.paragraph is not None) or (item and current.item is not None):
                citations.append(current)
                current = replace(current, text=match.group(0), item=None,
                                  paragraph=None if paragraph else current.paragraph)
            else:
                current = replace(current, text=current.text + match.group(0))
            current = replace(current, paragraph=to_number(paragraph)) if paragraph else replace(
                current, item=to_number(item))
    citations += [current] if current is not None else []
    return citations + _leftover(text[position:], row, cell)


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
