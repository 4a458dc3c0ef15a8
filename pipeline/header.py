"""Read what a statute says about itself before its body: title, legislative history, dates.

LawRefBook Markdown closes its header with `<!-- INFO END -->`; plain text and .docx
exports from the National Database have the title on the first line and the history
in parentheses below it, then an optional table of contents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from pipeline.lines import BLANK, Kind, Line, to_number
from pipeline.models import Diagnostic, Header, HistoryEvent, Source

INFO_END = "<!-- INFO END -->"
TABLE_OF_CONTENTS = "目录"
DATE = re.compile(
    r"([0-9]{4}|[〇零一二三四五六七八九]{4})\s*年\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"\s*([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
DATE_IN_FILE_NAME = re.compile(r"\s*[（(]\d{4}-\d{2}-\d{2}[)）]$")
EVENT_TRIM = BLANK + "（）()，,。根据"
VERSION_KINDS = ("adopted", "amended", "revised", "published")


@dataclass(frozen=True)
class HeaderResult:
    header: Header
    body_start: int
    diagnostics: tuple[Diagnostic, ...]


def parse_header(source: Source, lines: list[Line]) -> HeaderResult:
    """The header of a statute, and the index of the first line of its body."""
    diagnostics: list[Diagnostic] = []
    first = next((i for i, line in enumerate(lines) if line.kind is not Kind.BLANK), len(lines))
    title, subtitle, after_title = _title(source, lines, first, diagnostics)
    end = _info_end(lines, after_title) if source.format == "markdown" else None
    if end is not None:
        body_start = end + 1
    else:
        body_start = next(
            (i for i in range(after_title, len(lines)) if lines[i].kind in (Kind.ARTICLE, Kind.HEADING)), after_title
        )
        if source.format == "markdown" and first < len(lines):
            diagnostics.append(
                Diagnostic(source.path, lines[first].number, "warning",
                           f"header is not closed by {INFO_END}; the body is taken to start at line "
                           f"{lines[body_start].number if body_start < len(lines) else len(lines)}")
            )
    history = _history([line for line in lines[after_title:end if end is not None else body_start]
                        if line.kind is not Kind.BLANK and INFO_END not in line.content
                        and "".join(line.content.split()) != TABLE_OF_CONTENTS])
    header = Header(
        title=title,
        subtitle=subtitle,
        history=history,
        published=_latest(history, VERSION_KINDS),
        effective=_latest(history, ("effective",)),
    )
    return HeaderResult(header, body_start, tuple(diagnostics))


def _title(source: Source, lines: list[Line], first: int, diagnostics: list[Diagnostic]) -> tuple[str, str | None, int]:
    """Title and subtitle (Markdown `# ` lines, or the first line of plain text), and the index after them."""
    if first < len(lines):
        line = lines[first]
        if source.format == "markdown" and line.content.startswith("# "):
            title = _clean(line.content[2:])
            following = next((i for i in range(first + 1, len(lines)) if lines[i].kind is not Kind.BLANK), len(lines))
            if following < len(lines) and lines[following].content.startswith("# "):
                return title, _clean(lines[following].content[2:]), following + 1
            return title, None, first + 1
        if source.format != "markdown" and line.kind is Kind.TEXT:
            return _clean(line.content), None, first + 1
    title = DATE_IN_FILE_NAME.sub("", PurePath(source.path).stem)
    diagnostics.append(
        Diagnostic(source.path, lines[first].number if first < len(lines) else None, "warning",
                   f"no title line; the title is taken from the file name: {title}")
    )
    return title, None, first


def _clean(text: str) -> str:
    return re.sub(r"<!--.*?-->", "", text).strip(BLANK)


def _info_end(lines: list[Line], start: int) -> int | None:
    return next((i for i in range(start, len(lines)) if INFO_END in lines[i].content), None)


def _history(lines: list[Line]) -> tuple[HistoryEvent, ...]:
    """Events of the legislative history: each starts at a date; lines without one continue the event before."""
    events: list[tuple[str, str | None, int]] = []
    for line in lines:
        content = _clean(line.content)
        position = 0
        for match in DATE.finditer(content):
            _extend(events, content[position:match.start()], line.number)
            events.append(("", _iso_date(match), line.number))
            position = match.start()
        _extend(events, content[position:], line.number)
    return tuple(
        HistoryEvent(text=text, date=date, kind=_event_kind(text), line=number)
        for text, date, number in events
        if text.strip(EVENT_TRIM)
    )


def _extend(events: list[tuple[str, str | None, int]], text: str, number: int) -> None:
    if not text.strip(EVENT_TRIM):
        return
    if events:
        previous, date, line = events[-1]
        events[-1] = ((previous + text).strip(EVENT_TRIM), date, line)
    else:
        events.append((text.strip(EVENT_TRIM), None, number))


def _iso_date(match: re.Match[str]) -> str | None:
    year, month, day = match.groups()
    try:
        return f"{int(year.translate(YEAR_DIGITS)):04d}-{to_number(month):02d}-{to_number(day):02d}"
    except ValueError:
        return None


def _event_kind(text: str) -> str:
    for word, kind in (("修订", "revised"), ("修正", "amended"), ("修改", "amended"), ("通过", "adopted"),
                       ("施行", "effective"), ("公布", "published"), ("发布", "published")):
        if word in text:
            return kind
    return "other"


def _latest(history: tuple[HistoryEvent, ...], kinds: tuple[str, ...]) -> str | None:
    dates = [event.date for event in history if event.kind in kinds and event.date]
    return max(dates) if dates else None
