"""Write outputs atomically, so that a crash or a kill never leaves a half-written file."""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from pipeline.models import Diagnostic, StatuteError

LOCK = ".lock"


@contextmanager
def atomic_open(
    path: str | Path, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None
) -> Iterator[IO[Any]]:
    """Open a temporary file beside `path`; it replaces `path` only when the block ends without error."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else _default_mode())
    try:
        text = "b" not in mode
        with os.fdopen(fd, mode, encoding=encoding if text else None, newline=newline if text else None) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _default_mode() -> int:
    """What `open` would give a new file: 0666 less the umask (mkstemp makes 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_jsonl(path: str | Path, records: Iterable[dict[str, Any]]) -> int:
    """Write one JSON object a line, atomically; returns how many were written."""
    count = 0
    with atomic_open(path) as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False))
            handle.write("\n")
            count += 1
    return count



class Busy(StatuteError):
    """Another run holds the output folder."""


@contextmanager
def held(directory: str | Path) -> Iterator[None]:
    """Hold an output folder for one run. Two runs writing one power list at once would lose work: a re-run reads
    the reviewers' decisions when it starts and rewrites the list when it ends, so a review merged in between would
    vanish. The lock (an flock on DIR/.lock) goes when the run ends, killed or not; a folder made only to hold it is
    removed again when nothing was written into it."""
    directory = Path(directory)
    made = not directory.exists()
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / LOCK, "w", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            message = "another powers run is writing this folder now; run again when it has finished"
            raise Busy(Diagnostic(str(directory), None, "error", message)) from None
        try:
            yield
        finally:
            if made and [path.name for path in directory.iterdir()] == [LOCK]:
                (directory / LOCK).unlink()
                directory.rmdir()
