"""Reading real statutes in the forms offices hold them: encodings, scripts, plain text, Word."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from conftest import as_npc_text, statute
from opencc import OpenCC

from pipeline.models import StatuteError
from pipeline.read import read_source
from pipeline.segment import read_statute

PENALTY_LAW = "行政法/行政处罚法(2021-01-22).md"


def units(path: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """Citation, text without layout (line breaks and indents differ between forms) and chapter path."""
    return [(p.citation, compact(p.text), p.chapters) for p in read_statute(path).provisions]


def compact(text: str) -> str:
    return "".join(text.split())


def test_gb18030_and_bom_files_read_like_the_utf8_original(tmp_path: Path) -> None:
    original = statute(PENALTY_LAW)
    text = original.read_text(encoding="utf-8")
    for encoding in ("gb18030", "gbk", "utf-8-sig"):
        copy = tmp_path / f"{encoding}.md"
        copy.write_bytes(text.encode(encoding))
        source = read_source(copy)
        assert source.encoding == {"gbk": "gb18030"}.get(encoding, encoding)
        assert source.text == text
        assert units(copy) == units(original)


def test_mixed_encodings_are_decoded_line_by_line_and_named(tmp_path: Path) -> None:
    lines = statute(PENALTY_LAW).read_text(encoding="utf-8").split("\n")
    in_gb18030 = range(40, 46)  # 0-based: lines 41 to 46 of the file
    data = b"\n".join(line.encode("gb18030" if n in in_gb18030 else "utf-8") for n, line in enumerate(lines))
    named = [n + 1 for n in in_gb18030 if not lines[n].isascii()]  # an ASCII line is the same in both
    mixed = tmp_path / "mixed.md"
    mixed.write_bytes(data)
    source = read_source(mixed)
    assert source.text == "\n".join(lines)
    [warning] = source.diagnostics
    assert len(named) >= 2 and warning.line == named[0]
    assert "mixed encodings" in warning.message and ", ".join(map(str, named)) in warning.message


def test_traditional_script_is_analysed_in_simplified_but_quoted_as_written(tmp_path: Path) -> None:
    simplified = statute(PENALTY_LAW)
    traditional_text = OpenCC("s2t").convert(simplified.read_text(encoding="utf-8"))
    traditional = tmp_path / "行政處罰法.md"
    traditional.write_text(traditional_text, encoding="utf-8")

    statute_t = read_statute(traditional)
    expected = read_statute(simplified)
    assert statute_t.title == "中华人民共和国行政处罚法"
    assert [p.citation for p in statute_t.provisions] == [p.citation for p in expected.provisions]
    fine = next(p for p in statute_t.provisions if p.citation.endswith("第九条"))
    assert "罰款" in fine.text and fine.text_simplified is not None and "罚款" in fine.text_simplified
    assert all(traditional_text[p.start:p.end] == p.text for p in statute_t.provisions)


def test_plain_text_from_the_national_database(tmp_path: Path) -> None:
    markdown = statute(PENALTY_LAW)
    text = tmp_path / "行政处罚法.txt"
    text.write_text(as_npc_text(markdown.read_text(encoding="utf-8")), encoding="utf-8")

    from_text = read_statute(text)
    assert from_text.source.format == "text"
    assert from_text.title == "中华人民共和国行政处罚法"
    assert from_text.header.published == "2021-01-22"
    history = [(e.date, e.kind, e.text) for e in from_text.header.history]
    assert history == [(e.date, e.kind, e.text) for e in read_statute(markdown).header.history]
    assert units(text) == units(markdown)
    assert not from_text.diagnostics


def test_word_export(tmp_path: Path) -> None:
    markdown = statute(PENALTY_LAW)
    document = docx.Document()
    for line in as_npc_text(markdown.read_text(encoding="utf-8")).splitlines():
        document.add_paragraph(line)
    path = tmp_path / "行政处罚法.docx"
    document.save(str(path))

    from_word = read_statute(path)
    assert from_word.source.format == "docx"
    assert units(path) == units(markdown)
    assert all(from_word.source.text[p.start:p.end] == p.text for p in from_word.provisions)


def test_word_file_that_is_not_one_says_so(tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(StatuteError, match=r"broken\.docx.*not a readable \.docx|broken\.docx.*binary"):
        read_statute(broken)
