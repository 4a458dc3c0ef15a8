"""Keep what reviewers decided when the pipeline runs again: a merge of a fresh proposal with the last list.

An entry a reviewer accepted, corrected, rejected or cancelled (an amendment's 取消 adopted) is kept as the reviewer
left it, matched by its stable id. If the basis text changed since (an amendment, a corrected source), the entry is
flagged for another look rather than replaced; if the fresh run no longer proposes it, it stays in the list, flagged
(unless it was cancelled), never silently dropped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from pipeline.models import ADOPTED, CANCELLED, Diagnostic, Entry, ListedEntry, StatuteError

PROPOSED = "proposed"
BASIS_CHANGED = "审核后依据原文已变更，请复核"
NOT_PROPOSED = "本次运行未再提出该事项（依据可能已修改或删除），请复核"
UNTOUCHED = '"status": "proposed", "changes": [], "comment": null}'
"""How the JSON line of a proposal that no reviewer touched ends (`Entry.to_dict`'s last three fields)."""


def read_entries(path: str | Path) -> list[Entry]:
    """Entries from a JSONL list written by `powers propose`; a bad line names the file and the line."""
    return list(_entries(path))


def read_decisions(path: str | Path) -> dict[str, Entry]:
    """The entries of a list that a reviewer decided, by id: all a re-run must keep (the rest it proposes afresh),
    so a whole corpus's list is never held in memory. A line that ends as every untouched proposal is written is
    passed over unread: a whole corpus's list has tens of thousands of them, and parsing them took seconds."""
    return {entry.id: entry for entry in _entries(path, skip=UNTOUCHED) if entry.status != PROPOSED}


def _entries(path: str | Path, skip: str | None = None) -> Iterator[Entry]:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip() or (skip is not None and line.rstrip().endswith(skip)):
                continue
            try:
                yield Entry.from_dict(json.loads(line))
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                message = f"not an entry of a power list: {error}"
                raise StatuteError(Diagnostic(str(path), number, "error", message)) from error


def keep_reviewed(proposed: Iterable[ListedEntry], reviewed: dict[str, Entry]) -> Iterator[ListedEntry]:
    """The fresh entries with every reviewed one in its place, then the reviewed ones no longer proposed.

    `reviewed` (from `read_decisions`) is emptied as its entries are placed.
    """
    for listed in proposed:
        decision = reviewed.pop(listed.brief["id"], None)
        if decision is None:
            yield listed
        elif decision.quote != listed.record["quote"]:
            yield ListedEntry.of(_basis_changed(decision, listed.record["citation"]))
        else:
            yield ListedEntry.of(decision)
    for entry in reviewed.values():
        yield ListedEntry.of(entry if entry.status == CANCELLED else _flagged(entry, NOT_PROPOSED))


def _basis_changed(decision: Entry, citation: str) -> Entry:
    return _flagged(decision, f"{BASIS_CHANGED}（现依据：{citation}）")


def _flagged(entry: Entry, warning: str) -> Entry:
    return entry if warning in entry.warnings else replace(entry, warnings=(*entry.warnings, warning))


def add_reviewed(listed: Sequence[Entry], reviewed: Sequence[Entry]) -> list[Entry]:
    """A list with fresh review decisions in it: a listed entry takes its decision (flagged if its basis changed
    since the task was pushed, unless the decision adopted an amendment's new basis), a cancellation marks the listed
    entry as it stands; a decided entry the list lacks is added at the end."""
    decided: dict[str, Entry] = {}
    for entry in reviewed:  # a power cancelled at one basis and adopted at another (an article moved) stays listed
        if entry.status != CANCELLED or decided.get(entry.id, entry).status == CANCELLED:
            decided[entry.id] = entry
    merged = [_decide(entry, decided.pop(entry.id)) if entry.id in decided else entry for entry in listed]
    return merged + list(decided.values())


def _decide(listed: Entry, decision: Entry) -> Entry:
    if decision.status == CANCELLED:
        if decision.citation != listed.citation:  # the power was adopted at a new basis since: not this one's to cancel
            return listed
        changes = tuple(dict.fromkeys((*listed.changes, *decision.changes)))
        return replace(listed, status=CANCELLED, changes=changes, comment=decision.comment or listed.comment)
    if decision.quote != listed.quote and not any(change.startswith(ADOPTED) for change in decision.changes):
        return _basis_changed(decision, listed.citation)
    return decision
