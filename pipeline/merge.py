"""Keep what reviewers decided when the pipeline runs again: a merge of a fresh proposal with the last list.

An entry a reviewer accepted, corrected or rejected is kept as the reviewer left it, matched by its stable id. If
the basis text changed since (an amendment, a corrected source), the entry is flagged for another look rather than
replaced; if the fresh run no longer proposes it, it stays in the list, flagged, never silently dropped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from pipeline.models import Entry, StatuteError

PROPOSED = "proposed"
BASIS_CHANGED = "审核后依据原文已变更，请复核"
NOT_PROPOSED = "本次运行未再提出该事项（依据可能已修改或删除），请复核"


def read_entries(path: str | Path) -> list[Entry]:
    """Entries from a JSONL list written by `powers propose`; a bad line names the file and the line."""
    entries = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                entries.append(Entry.from_dict(json.loads(line)))
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                raise StatuteError(f"{path}:{number}: not an entry of a power list: {error}") from error
    return entries


def keep_reviewed(proposed: Sequence[Entry], previous: Sequence[Entry]) -> tuple[list[Entry], int]:
    """The fresh entries with every reviewed one of `previous` in its place; and how many reviewed were kept."""
    reviewed = {entry.id: entry for entry in previous if entry.status != PROPOSED}
    merged = []
    for entry in proposed:
        decision = reviewed.pop(entry.id, None)
        if decision is None:
            merged.append(entry)
        elif decision.quote != entry.quote:
            merged.append(_flagged(decision, f"{BASIS_CHANGED}（现依据：{entry.citation}）"))
        else:
            merged.append(decision)
    merged += [_flagged(entry, NOT_PROPOSED) for entry in reviewed.values()]
    return merged, sum(1 for entry in merged if entry.status != PROPOSED)


def _flagged(entry: Entry, warning: str) -> Entry:
    return entry if warning in entry.warnings else replace(entry, warnings=(*entry.warnings, warning))


def add_reviewed(listed: Sequence[Entry], reviewed: Sequence[Entry]) -> list[Entry]:
    """A list with fresh review decisions in it: a listed entry takes its decision (flagged if its basis changed
    since the task was pushed); a decided entry the list lacks is added at the end."""
    ids = {entry.id for entry in listed}
    merged, _ = keep_reviewed(listed, [entry for entry in reviewed if entry.id in ids])
    return merged + [entry for entry in reviewed if entry.id not in ids]
