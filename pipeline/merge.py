"""Keep what reviewers decided when the pipeline runs again: a merge of a fresh proposal with the last list.

An entry a reviewer accepted, corrected, rejected or cancelled (an amendment's 取消 adopted) is kept as the reviewer
left it, matched by its stable id, or, where only its proposed name changed, by its basis, category and acting body.
If the basis text changed since (an amendment, a corrected source), the entry is flagged for another look rather than
replaced; if the fresh run no longer proposes it, it stays in the list, flagged (unless it was cancelled), never
silently dropped.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import fields, replace
from itertools import groupby
from pathlib import Path
from typing import TypeVar

from pipeline.models import ADOPTED, CANCELLED, Diagnostic, Entry, ListedEntry, StatuteError

PROPOSED = "proposed"
BASIS_CHANGED = "审核后依据原文已变更，请复核"
NOT_PROPOSED = "本次运行未再提出该事项（依据可能已修改或删除），请复核"
T = TypeVar("T")
FIELDS = tuple(field.name for field in fields(Entry))
UNTOUCHED = '"status": "proposed", "changes": [], "comment": null}'
"""How the JSON line of a proposal that no reviewer touched ends (`Entry.to_dict`'s last three fields)."""


def read_entries(path: str | Path) -> list[Entry]:
    """Entries from a JSONL list written by `powers propose`; a bad line names the file and the line."""
    return [listed.entry for listed in _listed(path)]


def read_decisions(path: str | Path) -> dict[str, ListedEntry]:
    """The entries of a list that a reviewer decided, by id: all a re-run must keep (the rest it proposes afresh),
    so a whole corpus's list is never held in memory. A line that ends as every untouched proposal is written is
    passed over unread: a whole corpus's list has tens of thousands of them, and parsing them took seconds. A decision
    keeps its line, which a re-run writes back as it was."""
    return {listed.entry.id: listed for listed in _listed(path, skip=UNTOUCHED) if listed.entry.status != PROPOSED}


def _listed(path: str | Path, skip: str | None = None) -> Iterator[ListedEntry]:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip() or (skip is not None and line.rstrip().endswith(skip)):
                continue
            try:
                record = json.loads(line)
                yield ListedEntry(line.rstrip("\n") + "\n", record, Entry.from_dict(record))
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                message = f"not an entry of a power list: {error}"
                raise StatuteError(Diagnostic(str(path), number, "error", message)) from error


def keep_reviewed(proposed: Iterable[ListedEntry], reviewed: dict[str, ListedEntry]) -> Iterator[ListedEntry]:
    """The fresh entries with every reviewed one in its place, then the reviewed ones no longer proposed.

    A decision is placed by its entry's id or, where that id is gone because only the proposed name changed (a better
    name is a new id), on the one fresh entry of the same basis, quote, category and acting body: the reviewer's
    entry stands in for it rather than beside it. `reviewed` (from `read_decisions`) is emptied as its entries are
    placed. The fresh entries come one statute after another, and are matched a statute at a time.
    """
    by_title: dict[str, list[Entry]] = defaultdict(list)
    for listed in reviewed.values():
        by_title[listed.entry.title].append(listed.entry)
    for _, statute in groupby(proposed, key=lambda listed: listed.brief["source"]):
        fresh = list(statute)
        if reviewed:
            _rekey_renamed(fresh, reviewed, by_title[fresh[0].record["title"]])
        for listed in fresh:
            decision = reviewed.pop(listed.brief["id"], None)
            if decision is None:
                yield listed
            elif decision.entry.quote != listed.record["quote"]:
                yield ListedEntry.of(_basis_changed(decision.entry, listed.record["citation"]))
            else:
                yield _as_written(decision.entry, decision)
    for decision in reviewed.values():
        entry = decision.entry
        yield _as_written(entry if entry.status == CANCELLED else _flagged(entry, NOT_PROPOSED), decision)


def _as_written(entry: Entry, read: ListedEntry) -> ListedEntry:
    """`read`, the line as the last list had it, where `entry` is what it holds in the current fields (writing tens of
    thousands of decisions afresh took seconds); else `entry` written afresh."""
    return read if entry is read.entry and tuple(read.record) == FIELDS else ListedEntry.of(entry)


def _rekey_renamed(fresh: Sequence[ListedEntry], reviewed: dict[str, ListedEntry], decided: Sequence[Entry]) -> None:
    """File under a fresh id in `reviewed` each decision of one statute whose own id the fresh run no longer
    proposes, where `_carried` finds its power."""
    ids = {listed.brief["id"] for listed in fresh}
    gone = [entry for entry in decided if entry.id in reviewed and entry.id not in ids]
    if gone:
        _rekey(reviewed, _carried([listed.entry for listed in fresh if listed.brief["id"] not in reviewed], gone))


def _carried(undecided: Iterable[Entry], gone: Iterable[Entry]) -> dict[str, str]:
    """Ids of undecided entries → the id of the decision on the same power whose own id is gone: the same basis,
    quote, category and body as proposed (before a reviewer corrected it), where the match is one to one."""
    offered = _one_each((_power(entry), entry.id) for entry in undecided)
    decisions = _one_each((_power(entry), entry.id) for entry in gone)
    return {offered[key]: decided for key, decided in decisions.items() if key in offered}


def _power(entry: Entry) -> tuple[str, str, str, str | None]:
    return entry.citation, entry.quote, entry.category, entry.proposed_subject


def _one_each(pairs: Iterable[tuple[Hashable, str]]) -> dict[Hashable, str]:
    """The pairs whose key is not shared by another pair."""
    found: dict[Hashable, list[str]] = defaultdict(list)
    for key, value in pairs:
        found[key].append(value)
    return {key: values[0] for key, values in found.items() if len(values) == 1}


def _rekey(decisions: dict[str, T], renamed: dict[str, str]) -> None:
    for fresh_id, decided_id in renamed.items():
        decisions[fresh_id] = decisions.pop(decided_id)


def _basis_changed(decision: Entry, citation: str) -> Entry:
    return _flagged(decision, f"{BASIS_CHANGED}（现依据：{citation}）")


def _flagged(entry: Entry, warning: str) -> Entry:
    return entry if warning in entry.warnings else replace(entry, warnings=(*entry.warnings, warning))


def add_reviewed(listed: Sequence[Entry], reviewed: Sequence[Entry]) -> list[Entry]:
    """A list with fresh review decisions in it: a listed entry takes its decision (flagged if its basis changed
    since the task was pushed, unless the decision adopted an amendment's new basis), a cancellation marks the listed
    entry as it stands; a decision whose id the list lacks takes the place of the undecided entry of the same power
    (renamed by a run since the push), else it is added at the end."""
    decided: dict[str, Entry] = {}
    for entry in reviewed:  # a power cancelled at one basis and adopted at another (an article moved) stays listed
        if entry.status != CANCELLED or decided.get(entry.id, entry).status == CANCELLED:
            decided[entry.id] = entry
    ids = {entry.id for entry in listed}
    _rekey(decided, _carried((entry for entry in listed if entry.status == PROPOSED and entry.id not in decided),
                             [entry for entry in decided.values() if entry.id not in ids]))
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
