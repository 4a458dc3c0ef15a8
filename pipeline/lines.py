"""Cut a text into lines with exact offsets, and tell what kind of line each one is.

Both the header reader and the segmenter walk the same lines; the patterns that say
what a line is (a heading, an article, a 项, a 目) live here once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

import cn2an

HAN_NUMERAL = "零〇一二三四五六七八九十百千万两"
DIGIT = "0-9０-９"
BLANK = " \t\r\f\v\u3000\u00a0\u200b\ufeff\u2002\u2003"

ARTICLE = re.compile(rf"第([{HAN_NUMERAL}]+|[{DIGIT}]+)条(?:之([{HAN_NUMERAL}]+))?(?=[{BLANK}]|$)")
HEADING_NAME = re.compile(rf"第[{HAN_NUMERAL}{DIGIT}]+(编|分编|章|节)")
HEADING_PUNCTUATION = re.compile(r"[。，；：、]")
ITEM = re.compile(rf"[（(]([{HAN_NUMERAL}]+)[）)]")
SUBITEM = re.compile(rf"(?:[（(]([{DIGIT}]+)[）)]|([{DIGIT}]+)[.．、](?![{DIGIT}])|([①-⑳]))")
HTML_COMMENT = re.compile(r"<!--.*-->")
MAX_HEADING_CHARS = 40
HEADING_RANKS = {"编": 1, "分编": 2, "章": 3, "节": 4}


class Kind(Enum):
    BLANK = "blank"
    HEADING = "heading"
    ARTICLE = "article"
    ITEM = "item"
    SUBITEM = "subitem"
    TEXT = "text"


@dataclass(frozen=True)
class Line:
    """One line of a statute: `start`/`end` bound its content with surrounding blanks removed."""

    number: int
    start: int
    end: int
    content: str
    kind: Kind


def split_lines(simplified: str, markdown: bool) -> list[Line]:
    """Every line of the text with its kind, read from the simplified script (same offsets as the original)."""
    lines = []
    position = 0
    for number, raw in enumerate(simplified.split("\n"), start=1):
        stripped = raw.strip(BLANK)
        start = position + len(raw) - len(raw.lstrip(BLANK))
        lines.append(Line(number, start, start + len(stripped), stripped, classify(stripped, markdown)))
        position += len(raw) + 1
    return lines


def classify(content: str, markdown: bool) -> Kind:
    if not content or HTML_COMMENT.fullmatch(content):
        return Kind.BLANK
    if markdown and content.startswith("#"):
        return Kind.HEADING
    if ARTICLE.match(content):
        return Kind.ARTICLE
    if is_bare_heading(content):
        return Kind.HEADING
    if ITEM.match(content):
        return Kind.ITEM
    if SUBITEM.match(content):
        return Kind.SUBITEM
    return Kind.TEXT


def is_bare_heading(content: str) -> bool:
    """A 编/章/节 heading written without Markdown marks, as in plain text and .docx exports."""
    return (
        HEADING_NAME.match(content) is not None
        and len(content) <= MAX_HEADING_CHARS
        and HEADING_PUNCTUATION.search(content) is None
    )


def heading_text(content: str) -> str:
    """A heading without its Markdown marks and with its inner spacing collapsed: 第一章  总 则 → 第一章 总则."""
    text = content.lstrip("#").strip(BLANK)
    name = HEADING_NAME.match(text)
    if name is None:
        return re.sub(rf"[{BLANK}]+", "", text)
    rest = re.sub(rf"[{BLANK}]+", "", text[name.end():])
    return f"{name.group(0)} {rest}".strip()


def heading_rank(content: str) -> int:
    """编 above 分编 above 章 above 节; a named heading such as 附则 ranks by its Markdown depth."""
    text = content.lstrip("#").strip(BLANK)
    name = HEADING_NAME.match(text)
    if name is not None:
        return HEADING_RANKS[name.group(1)]
    depth = len(content) - len(content.lstrip("#"))
    return max(depth, 2) + 1


@lru_cache(maxsize=4096)
def to_number(numeral: str) -> int:
    """A Chinese or Arabic numeral (一百零二, 102, １０２) as an int, through cn2an; ValueError for a slip of the pen
    (十十八, 百百), which cn2an rejects with a ValueError or a KeyError."""
    try:
        return int(cn2an.cn2an(numeral.translate(FULLWIDTH_DIGITS), "smart"))
    except (ValueError, KeyError) as error:
        raise ValueError(f"not a numeral: {numeral}") from error


def readable(numeral: str) -> bool:
    """Whether `to_number` reads `numeral`."""
    try:
        to_number(numeral)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=4096)
def to_chinese(number: int) -> str:
    return cn2an.an2cn(number)


FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
