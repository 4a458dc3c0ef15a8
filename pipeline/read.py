"""Read a statute file into a `Source`: detect its format and encoding, keep its exact text.

Offsets everywhere in the pipeline are character offsets into `Source.text`, so this
module never rewrites the text: no newline translation, no trimming. Only the BOM is
dropped, since it is not part of the statute.
"""

from __future__ import annotations

import re
import zipfile
from functools import lru_cache
from pathlib import Path

from opencc import OpenCC

from pipeline.models import Diagnostic, Format, Source, StatuteError

SUFFIX_FORMATS: dict[str, Format] = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".docx": "docx"}
LARGE_FILE_BYTES = 5 * 1024 * 1024
CONTROL_SHARE_LIMIT = 0.01
MAX_LINES_NAMED = 5
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def read_source(path: str | Path, display: str | None = None) -> Source:
    """Read one file; `display` is the name used in records and messages (the path as the user gave it)."""
    path = Path(path)
    name = display if display is not None else str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise StatuteError(Diagnostic(name, None, "error", f"cannot read file: {error.strerror}")) from error
    if not data:
        raise StatuteError(Diagnostic(name, None, "error", "file is empty (0 bytes)"))
    diagnostics: list[Diagnostic] = []
    if len(data) > LARGE_FILE_BYTES:
        diagnostics.append(
            Diagnostic(name, None, "warning", f"file is {len(data) / 2**20:.1f} MB, far larger than a statute; "
                       "check that it holds one statute")
        )
    fmt = _detect_format(path, data)
    if fmt == "docx":
        text, encoding = _docx_text(name, path), "docx"
    else:
        text, encoding = _decode(name, data, diagnostics)
        _reject_binary(name, text)
    return Source(name, text, to_simplified(text), encoding, fmt, tuple(diagnostics))


def _detect_format(path: Path, data: bytes) -> Format:
    if data.startswith(b"PK\x03\x04") and zipfile.is_zipfile(path):
        return "docx"
    if path.suffix.lower() in SUFFIX_FORMATS:
        return SUFFIX_FORMATS[path.suffix.lower()]
    return "markdown" if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"# ") else "text"


def _docx_text(name: str, path: Path) -> str:
    """The paragraphs of a Word file, one a line, as the National Database exports statutes."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise StatuteError(Diagnostic(name, None, "error", f"not a readable .docx file: {error}")) from error
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def _decode(name: str, data: bytes, diagnostics: list[Diagnostic]) -> tuple[str, str]:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030; line by line when a file mixes them."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise StatuteError(Diagnostic(name, _line_at(data, error.start), "error", "invalid UTF-16")) from error
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as error:
        utf8_before = data[: error.start].decode(encoding, errors="ignore")
        if utf8_before.isascii():
            try:
                return data.decode("gb18030"), "gb18030"
            except UnicodeDecodeError:
                pass
    return _decode_by_line(name, data, encoding, diagnostics), "mixed"


def _decode_by_line(name: str, data: bytes, encoding: str, diagnostics: list[Diagnostic]) -> str:
    """Decode each line on its own, naming the lines that were not in the file's main encoding."""
    lines = data.split(b"\n")
    decoded: list[str] = []
    gb_lines: list[int] = []
    bad_lines: list[int] = []
    for number, raw in enumerate(lines, start=1):
        try:
            decoded.append(raw.decode(encoding if number == 1 else "utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        try:
            decoded.append(raw.decode("gb18030"))
            gb_lines.append(number)
        except UnicodeDecodeError:
            decoded.append(raw.decode("gb18030", errors="replace"))
            bad_lines.append(number)
    if gb_lines:
        diagnostics.append(
            Diagnostic(name, gb_lines[0], "warning", f"mixed encodings: {len(gb_lines)} line(s) are GB18030 in a UTF-8 "
                       f"file (lines {_first_lines(gb_lines)}); each line was decoded in its own encoding")
        )
    if bad_lines:
        diagnostics.append(
            Diagnostic(name, bad_lines[0], "warning", f"{len(bad_lines)} line(s) are neither UTF-8 nor GB18030 "
                       f"(lines {_first_lines(bad_lines)}); their undecodable bytes are shown as U+FFFD")
        )
    return "\n".join(decoded)


def _reject_binary(name: str, text: str) -> None:
    """A statute is text: NUL bytes or many control characters mean the file is something else."""
    first = CONTROL_CHARACTER.search(text)
    if first and ("\x00" in text or len(CONTROL_CHARACTER.findall(text)) > CONTROL_SHARE_LIMIT * len(text)):
        line = text.count("\n", 0, first.start()) + 1
        raise StatuteError(Diagnostic(name, line, "error", "binary content: this is not a text file"))


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _first_lines(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:MAX_LINES_NAMED])
    return shown + (", …" if len(numbers) > MAX_LINES_NAMED else "")


@lru_cache(maxsize=1)
def _converter() -> OpenCC:
    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Simplified-script text of the same length, so that offsets into it are offsets into the original.

    OpenCC converts phrases, which may change length; where a line's length would
    change, that line is converted character by character instead.
    """
    converter = _converter()
    simplified = converter.convert(text)
    if len(simplified) == len(text):
        return simplified
    lines = []
    for line in text.split("\n"):
        converted = converter.convert(line)
        if len(converted) != len(line):
            converted = "".join(c if len(c := converter.convert(char)) == 1 else char for char in line)
        lines.append(converted)
    return "\n".join(lines)
