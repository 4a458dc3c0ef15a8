"""Where the tests find real statutes: the bundled sample always, the shared corpus when it is beside the repo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "corpus" / "lawrefbook"
SHARED = REPO.parent / "shared" / "corpus" / "lawrefbook"
PROVISION_SCHEMA = json.loads((REPO / "pipeline" / "schemas" / "provision.schema.json").read_text(encoding="utf-8"))
NO_SHARED = f"the shared corpus is not beside this checkout ({SHARED}); a user's clone has only corpus/"


def statute(relative: str) -> Path:
    """A statute by its path inside LawRefBook: from the bundled sample if it is there, else the shared corpus."""
    for root in (SAMPLE, SHARED):
        if (root / relative).is_file():
            return root / relative
    pytest.skip(f"{relative} is not in the bundled sample and {NO_SHARED}")


@pytest.fixture
def shared_corpus() -> Path:
    if not SHARED.is_dir():
        pytest.skip(NO_SHARED)
    return SHARED


def as_npc_text(markdown: str) -> str:
    """A LawRefBook statute laid out as the National Database shows it for copying: title, history in
    parentheses, a table of contents, then one 款 a line indented by full-width spaces."""
    header, body = markdown.split("<!-- INFO END -->", 1)
    header_lines = [line.strip() for line in header.splitlines() if line.strip()]
    title = header_lines[0].removeprefix("# ")
    history = "　".join(line for line in header_lines[1:] if not line.startswith("#"))
    headings = [line.lstrip("#").strip() for line in body.splitlines() if line.startswith("#")]
    out = [title, f"（{history}）", "", "目　　录", *headings, ""]
    for line in body.splitlines():
        if line.startswith("#"):
            out.append(line.lstrip("#").strip())
        elif line.strip():
            out.append("　　" + line.strip())
    return "\n".join(out) + "\n"
