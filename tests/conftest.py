"""Where the tests find real statutes: the bundled sample always, the shared corpus when it is beside the repo."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from label_studio_server import Server

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


def index_of(provisions: Sequence[Any], citation: str) -> int:
    """Where the provision cited `citation` is among a statute's `provisions`."""
    return next(index for index, provision in enumerate(provisions) if provision.citation == citation)


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


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A real Label Studio server for the session (about 35 s to start; installed on first use)."""
    folder = tmp_path_factory.mktemp("label-studio")
    server = Server(folder / "data", folder / "server.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def reviewer_env(label_studio: Server, monkeypatch: pytest.MonkeyPatch) -> Server:
    """The environment `powers review` reads: the server's URL and its token."""
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", label_studio.token)
    return label_studio
