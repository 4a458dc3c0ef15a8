"""Find the statute files that a command was given: files as named, folders walked in a stable order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pipeline.models import Diagnostic
from pipeline.read import SUFFIX_FORMATS

NOT_STATUTES = {"_index.md"}  # Hugo section pages of the LawRefBook site, not statutes


def find_statutes(paths: list[str], problems: list[Diagnostic]) -> Iterator[tuple[Path, str]]:
    """Yield (path, name as the user would write it); a missing path is added to `problems`, not raised."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                relative = found.relative_to(path)
                if _is_statute_file(found) and not any(part.startswith(".") for part in relative.parts):
                    yield found, str(Path(given) / relative)
        elif path.is_file():
            yield path, given
        else:
            problems.append(Diagnostic(given, None, "error", "no such file or folder"))


def _is_statute_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in SUFFIX_FORMATS and path.name not in NOT_STATUTES
