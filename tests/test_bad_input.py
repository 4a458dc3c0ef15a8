"""Bad input gets a clear message naming the file and the line, and never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import statute

from pipeline.cli import main
from pipeline.lines import to_chinese
from pipeline.models import StatuteError
from pipeline.segment import read_statute

FIRE_LAW = "行政法/消防法(2021-04-29).md"


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.touch()
    with pytest.raises(StatuteError, match=r"empty\.md: error: file is empty"):
        read_statute(empty)


def test_binary_file_names_the_line_of_its_first_binary_byte(tmp_path: Path) -> None:
    picture = tmp_path / "scan.txt"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02" * 200)
    with pytest.raises(StatuteError) as raised:
        read_statute(picture)
    assert raised.value.diagnostic.line == 2
    assert str(raised.value).startswith(f"{picture}:2: error: binary content")


def test_file_with_no_articles(tmp_path: Path) -> None:
    notice = tmp_path / "通知.txt"
    notice.write_text("关于做好有关工作的通知\n各有关单位：\n请认真贯彻执行。\n", encoding="utf-8")
    with pytest.raises(StatuteError, match=r"通知\.txt: error: no article \(第…条\) found in 4 line"):
        read_statute(notice)


def damaged_fire_law(path: Path, *replacements: tuple[str, str]) -> Path:
    """The fire law written to `path` with each (old, new) replaced once: a file damaged as files come."""
    text = statute(FIRE_LAW).read_text(encoding="utf-8")
    for old, new in replacements:
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, start: str) -> int:
    """The number of the first line of `path` that starts with `start`."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1)
                if line.startswith(start))


def test_duplicate_and_skipped_articles_are_warned_with_their_lines(tmp_path: Path) -> None:
    text = statute(FIRE_LAW).read_text(encoding="utf-8")
    damaged = text.replace("第十一条 ", "第十条 ", 1).replace("第二十条 ", "第二十二条 ", 1)
    path = tmp_path / "damaged.md"
    path.write_text(damaged, encoding="utf-8")
    first, second = [n for n, line in enumerate(damaged.split("\n"), start=1) if line.startswith("第十条 ")]

    result = read_statute(path)
    messages = [str(d) for d in result.diagnostics]
    assert f"{path}:{second}: warning: duplicate article 第十条 (first at line {first})" in messages
    assert any("article numbers skip from 第十九条 to 第二十二条" in m for m in messages)
    assert len(result.provisions) == len(read_statute(statute(FIRE_LAW)).provisions)


def test_a_number_written_with_a_slip_of_the_pen_is_warned_and_the_statute_still_proposed(tmp_path: Path) -> None:
    """第十十二条 and （十十） are no numerals (cn2an refuses them): the article is cited as the one after the article
    before it, the 项 by its place, each with a warning naming its line, and 违反第十十二条 points nowhere."""
    path = damaged_fire_law(tmp_path / "slips.md", ("第十二条 ", "第十十二条 "), ("（二）", "（十十）"),
                            ("违反本法规定", "违反第十十二条规定"))

    result = read_statute(path)
    messages = [str(d) for d in result.diagnostics]
    assert messages == [
        f"{path}:{line_of(path, '第十十二条 ')}: warning: article number 第十十二条 cannot be read: cited as 第十二条, "
        "the number after the one before",
        f"{path}:{line_of(path, '（十十）')}: warning: item number （十十） cannot be read: numbered by its place",
    ]
    slipped = next(p for p in result.provisions if p.article_label == "第十十二条")
    assert slipped.citation == "《中华人民共和国消防法》第十二条"
    assert [found.number for found in next(p for p in result.provisions if p.items).items][:3] == [1, 2, 3]
    assert main(["propose", str(path), "-o", str(tmp_path / "list"), "--formats", "jsonl"]) == 0


def test_articles_that_lost_their_numbers_are_warned_not_dropped_unseen(tmp_path: Path) -> None:
    """The shared corpus's 浙江省无人驾驶航空器公共安全管理规定 starts at 第五条: its first four articles lost 第…条."""
    path = damaged_fire_law(tmp_path / "lost-start.md", ("第一条 ", ""), ("第二条 ", ""))

    result = read_statute(path)
    [warning] = [str(d) for d in result.diagnostics]
    assert warning.startswith(f"{path}:{line_of(path, '第三条 ')}: warning: the first article is 第三条, not 第一条: ")
    assert f"(from line {line_of(path, '为了预防火灾')}) belong to no article" in warning
    assert result.provisions[0].citation == "《中华人民共和国消防法》第三条第一款"


def test_unterminated_header_warns_and_still_reads_the_body(tmp_path: Path) -> None:
    text = statute(FIRE_LAW).read_text(encoding="utf-8").replace("<!-- INFO END -->", "", 1)
    path = tmp_path / "no-end.md"
    path.write_text(text, encoding="utf-8")
    result = read_statute(path)
    [warning] = result.diagnostics
    assert warning.line == 1 and "header is not closed by <!-- INFO END -->" in warning.message
    assert result.title == "中华人民共和国消防法"
    assert [p.citation for p in result.provisions] == [p.citation for p in read_statute(statute(FIRE_LAW)).provisions]


def test_a_20_mb_statute_is_read_whole_with_a_warning(tmp_path: Path) -> None:
    articles = [p.text for p in read_statute(statute(FIRE_LAW)).provisions if "\n" not in p.text]
    body, size, number = [], 0, 0
    while size < 20 * 2**20:
        number += 1
        line = f"第{to_chinese(number)}条 {articles[number % len(articles)]}\n"
        body.append(line)
        size += len(line.encode("utf-8"))
    path = tmp_path / "huge.md"
    path.write_text("# 超大条例\n\n<!-- INFO END -->\n\n" + "".join(body), encoding="utf-8")

    result = read_statute(path)
    assert len(result.provisions) == number
    assert [d.message for d in result.diagnostics] == ["file is 20.0 MB, far larger than a statute; "
                                                       "check that it holds one statute"]
    assert result.provisions[-1].citation == f"《超大条例》第{to_chinese(number)}条"
