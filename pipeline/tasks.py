"""Review tasks: each proposed 款 as a Label Studio task with the pipeline's reading as its prediction, and the
reviewed entries read back from what a reviewer submitted.

A task carries everything its review needs, so that an export alone (from a server, or from an office with no
server) gives the reviewed list: the 款 as `to_label_studio` writes it, its stable key (`unit`), the proposed
entries in full (`proposed`) and as choices to keep or reject (`entries`), and a digest of the task and its
prediction that tells a re-run whether anything changed.

An amendment's adjustments are reviewed the same way: one task per 款 they cite, each adjustment (新增, 取消, 变更)
a choice to adopt or not, read back as the entries the list gains, keeps or cancels.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, replace
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from pipeline.classify import Classifier
from pipeline.extract import as_annotation, read_powers
from pipeline.gold import TEXT, ReviewedTask, to_label_studio
from pipeline.lines import to_chinese
from pipeline.models import (
    ADOPTED,
    CANCELLED,
    PENALTY,
    Adjustment,
    Entry,
    Penalty,
    Power,
    Provision,
    Statute,
    StatuteError,
    Tier,
    subject_change,
)
from pipeline.propose import propose
from pipeline.tiers import Scheme, describe, tiers

if TYPE_CHECKING:  # the aligner's scipy and scikit-learn load in a second: only when a command amends
    from pipeline.amend import Amendment

# The names of annotations/labeling-config.xml that gold does not read (pipeline/gold.py reads the rest).
ENTRIES, ENTRY_NAME, COMMENT = "entries", "entry_name", "comment"
ADJUSTMENTS = "adjustments"
"""The data of an amendment's task: the adjustment each proposed entry stands for (action, changes, old entry)."""
ACCEPTED, CORRECTED, REJECTED = "accepted", "corrected", "rejected"
NAMES_MISMATCH = "审核人填写的事项名称行数与事项数不符，未采用，请核对："


def unit_key(provision: Provision) -> str:
    """A 款's identity across runs and machines: its statute file's name, article label and paragraph."""
    key = "\u241f".join((PurePosixPath(provision.source).name, provision.article_label, str(provision.paragraph)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def review_tasks(statutes: Iterable[Statute], classifier: Classifier, scheme: Scheme) -> list[dict[str, Any]]:
    """One task per 款 that has a proposed entry, the least certain first (Label Studio shows tasks in id order)."""
    tasks = []
    for statute in statutes:
        powers = read_powers(statute, classifier)
        by_unit: dict[str, list[Entry]] = defaultdict(list)
        for entry in propose(statute, powers, scheme):
            by_unit[_unit_citation(entry)].append(entry)
        tasks += [
            task(power, [(entry, _label(entry)) for entry in by_unit[power.provision.citation]], classifier.name,
                 unit_key(power.provision))
            for power in powers
            if by_unit.get(power.provision.citation)
        ]
    return least_certain_first(tasks)


def adjustment_tasks(amendment: Amendment, model: str) -> list[dict[str, Any]]:
    """One task per 款 an amendment's adjustments cite, the least certain first: the new version's 款 for 新增 and
    变更, the old version's for 取消. Each adjustment is a choice, ticked = adopted; the 款's categories, spans and
    ranges are reviewed as in any task, so what the reviewer submits is gold for that version as well."""
    powers = {(power.provision.source, power.provision.citation): power for power in amendment.powers}
    by_unit: dict[tuple[str, str], list[Adjustment]] = defaultdict(list)
    for adjustment in amendment.adjustments:
        by_unit[(adjustment.entry.source, _unit_citation(adjustment.entry))].append(adjustment)
    versions = "\u241f".join(PurePosixPath(statute.source.path).name for statute in (amendment.old, amendment.new))
    tasks = []
    for key, adjustments in by_unit.items():
        power = powers[key]
        unit = hashlib.sha256(f"{versions}\u241f{unit_key(power.provision)}".encode()).hexdigest()[:16]
        records = [{"action": item.action, "changes": list(item.changes), "old": item.old and item.old.to_dict()}
                   for item in adjustments]
        choices = [(item.entry, _adjustment_label(item)) for item in adjustments]
        tasks.append(task(power, choices, model, unit, {ADJUSTMENTS: records}))
    return least_certain_first(tasks)


def least_certain_first(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tasks in the order to import them: Label Studio shows tasks in id order."""
    return sorted(tasks, key=lambda item: item["predictions"][0].get("score", 1.0))


def task(power: Power, choices: Sequence[tuple[Entry, str]], model: str, unit: str,
         extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The task of one 款: its reading by the pipeline as the prediction, and the entries proposed from it as
    choices, each (entry, what its choice says); `unit` is the task's key on the server, `extra` more data."""
    annotation = as_annotation(power.to_dict())
    entries = [entry for entry, _ in choices]
    names = "\n".join(entry.name for entry in entries)
    [made] = to_label_studio(
        [annotation], as_predictions=True, model_version=model,
        chapters={annotation.key: power.provision.chapters}, entry_names={annotation.key: names},
    )
    data = made["data"]
    data["unit"] = unit
    data[ENTRIES] = [{"value": entry.id, "html": html.escape(label)} for entry, label in choices]
    data["proposed"] = [entry.to_dict() for entry in entries]
    data.update(extra or {})
    prediction = made["predictions"][0]
    prediction["result"] += [
        {"id": ENTRIES, "from_name": ENTRIES, "to_name": TEXT, "type": "choices",
         "value": {"choices": [entry.id for entry in entries]}},
        {"id": ENTRY_NAME, "from_name": ENTRY_NAME, "to_name": TEXT, "type": "textarea", "value": {"text": [names]}},
    ]
    data["digest"] = digest(data, prediction)
    return made


def digest(data: dict[str, Any], prediction: dict[str, Any]) -> str:
    """What a re-push compares: the task's data (its digest left out) and its prediction."""
    content = {"data": {key: value for key, value in data.items() if key != "digest"}, "prediction": prediction}
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def reviewed_entries(reviewed: ReviewedTask, scheme: Scheme) -> list[Entry]:
    """What the task's review puts in the list: its proposed entries as the reviewer left them, or, for an
    amendment's task, the adjustments the reviewer adopted."""
    entries = _decided(reviewed, scheme)
    if ADJUSTMENTS not in reviewed.data:
        return entries
    return _adopted(entries, _adjustments(reviewed, len(entries)))


def _decided(reviewed: ReviewedTask, scheme: Scheme) -> list[Entry]:
    """The task's proposed entries as the reviewer left them: rejected (unticked, its category taken away, or its body
    struck out where another body keeps its own entry of that category and basis), corrected (name, acting body or
    range changed; `changes` says how) or accepted; the comment on each."""
    proposed = _proposed(reviewed)
    results = {result.get("from_name"): result.get("value") for result in reviewed.results if isinstance(result, dict)}
    kept = set(_strings(results.get(ENTRIES), "choices", reviewed.task_id)) if ENTRIES in results else set()
    comment = "\n".join(_strings(results[COMMENT], "text", reviewed.task_id)) if COMMENT in results else None
    names = _names(results, proposed, reviewed.task_id)
    annotation = reviewed.annotation
    penalties = _penalty_changes(proposed, annotation.penalties)
    entries = []
    for number, entry in enumerate(proposed):
        if entry.id not in kept or entry.category not in annotation.categories:
            why = () if entry.category in annotation.categories else (f"职权类型：审核人取消了{entry.category}",)
            entries.append(replace(entry, status=REJECTED, changes=why, comment=comment))
            continue
        changes, warnings = [], list(entry.warnings)
        corrected = entry
        if isinstance(names, list) and names[number] != entry.name:
            changes.append(f"事项名称：{entry.name} → {names[number]}")
            corrected = replace(corrected, name=names[number])
        elif isinstance(names, str):
            warnings.append(names)
        subject = _subject(entry, [span.text for span in annotation.subjects], proposed)
        if subject != entry.subject and any(_same_power(other, entry) and other.subject == subject and other.id in kept
                                            for other in proposed):
            # the reviewer struck this body out where the body left has its own entry (由A、B…: B was wrong)
            entries.append(replace(entry, status=REJECTED, changes=(f"实施主体：审核人删除了{entry.subject}",),
                                   comment=comment))
            continue
        if subject != entry.subject:
            changes.append(subject_change(entry.subject, subject))
            corrected = replace(corrected, subject=subject, subject_rule="named", subject_source=entry.citation)
        if entry.category == PENALTY:
            ranges = penalties(entry)
            if isinstance(ranges, str):
                warnings.append(ranges)
            elif ranges != entry.penalties:
                changes.append(f"处罚幅度：{_ranges(entry.penalties)} → {_ranges(ranges)}")
                corrected = replace(corrected, penalties=ranges, tiers=tiers(ranges, scheme))
        status = CORRECTED if changes else ACCEPTED
        entries.append(replace(corrected, status=status, changes=tuple(changes), warnings=tuple(warnings),
                               comment=comment))
    return entries


def _adopted(entries: Sequence[Entry], adjustments: Sequence[Adjustment]) -> list[Entry]:
    """The list's side of reviewed adjustments. An adopted 新增 or 变更 is its new entry as reviewed, replacing the
    listed entry of its id (a 变更 whose entry changed id also cancels the old one); an adopted 取消 cancels the old
    entry. An adjustment not adopted leaves the listed entry as it was; its new entry, if it has an id of its own,
    is recorded as rejected so that a re-run does not offer it again."""
    decided = []
    for entry, adjustment in zip(entries, adjustments, strict=True):
        note = ADOPTED + adjustment.described
        old = adjustment.old
        if entry.status == REJECTED:
            if adjustment.new is not None and (old is None or old.id != entry.id):
                decided.append(entry)
        elif adjustment.new is None:
            decided.append(replace(entry, status=CANCELLED, changes=(note,)))
        else:
            decided.append(replace(entry, changes=(note, *entry.changes)))
            if old is not None and old.id != entry.id:
                replaced = f"{ADOPTED}变更，由编号{entry.id}的事项替代"
                decided.append(replace(old, status=CANCELLED, changes=(replaced,), comment=entry.comment))
    return decided


def _adjustments(reviewed: ReviewedTask, count: int) -> list[Adjustment]:
    """The adjustments an amendment's task offered, one for each of its `count` proposed entries."""
    proposed, records = _proposed(reviewed), reviewed.data[ADJUSTMENTS]
    try:
        if not isinstance(records, list) or len(records) != count:
            raise TypeError(f"{count} proposed entries, adjustments {records!r}")
        return [
            Adjustment(record["action"], tuple(record["changes"]),
                       Entry.from_dict(record["old"]) if record["old"] else None,
                       None if record["action"] == "取消" else entry)
            for record, entry in zip(records, proposed, strict=True)
        ]
    except (KeyError, TypeError) as error:
        raise StatuteError(f"task {reviewed.task_id}: its adjustments do not pair up with its proposed entries: "
                           f"{error}") from error


def _adjustment_label(adjustment: Adjustment) -> str:
    """What an adjustment's choice says: the action and what changed, the entry, and for a 变更 the old basis."""
    label = f"{adjustment.described}｜{_label(adjustment.entry)}"
    old, new = adjustment.old, adjustment.new
    if old is not None and new is not None:
        label += f"｜原依据：{old.citation}" + (f"：{old.quote}" if old.quote != new.quote else "")
    return label


def _same_power(one: Entry, other: Entry) -> bool:
    return one.citation == other.citation and one.category == other.category


def _unit_citation(entry: Entry) -> str:
    """The citation of the 款 an entry was proposed from (a 项's entry cites the 款 and the 项)."""
    return entry.citation if entry.item is None else entry.citation.removesuffix(f"第{to_chinese(entry.item)}项")


def _label(entry: Entry) -> str:
    return f"{entry.category}｜{entry.name}｜{entry.subject or '实施主体未定'}｜{entry.citation}"


def _proposed(reviewed: ReviewedTask) -> list[Entry]:
    records = reviewed.data.get("proposed")
    if not isinstance(records, list):
        raise StatuteError(f"task {reviewed.task_id} ({reviewed.data.get('citation')}): no proposed entries in its "
                           "data: it was not made by `powers review`")
    try:
        return [Entry.from_dict(record) for record in records]
    except (KeyError, TypeError) as error:
        raise StatuteError(f"task {reviewed.task_id}: a proposed entry in its data is not an entry: {error}") from error


def _strings(value: Any, key: str, task_id: str) -> list[str]:
    items = value.get(key) if isinstance(value, dict) else None
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise StatuteError(f"task {task_id}: a {key} result is not a list of strings: {value!r}")
    return items


def _names(results: dict[str, Any], proposed: Sequence[Entry], task_id: str) -> list[str] | str | None:
    """The corrected names, one a line; a warning (the reviewer's text quoted) when the lines do not pair up."""
    if ENTRY_NAME not in results:
        return None
    lines = [line.strip() for text in _strings(results[ENTRY_NAME], "text", task_id) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) != len(proposed):
        return NAMES_MISMATCH + " / ".join(lines)
    return lines


def _subject(entry: Entry, reviewed: Sequence[str], proposed: Sequence[Entry]) -> str | None:
    """The body the reviewer marked for this entry: its own if still marked, else the one the reviewer added.

    An entry whose body came from elsewhere in the statute takes a body the reviewer marked in the 款; an entry
    keeps its body when the reviewer marked none.
    """
    if not reviewed or entry.subject in reviewed:
        return entry.subject
    added = [text for text in reviewed if text not in {other.subject for other in proposed}]
    return (added or list(reviewed))[0]


def _penalty_changes(
    proposed: Sequence[Entry], reviewed: Sequence[Penalty]
) -> Callable[[Entry], tuple[Penalty, ...] | str]:
    """For each entry, its ranges with the reviewer's corrections: the i-th range that the reviewer changed is
    the i-th one the reviewer entered; when ranges were added or removed, a 款 with one penalty entry takes the
    reviewer's ranges, and any other gets a warning that quotes them."""
    ours = [entry for entry in proposed if entry.category == PENALTY]
    before = list(dict.fromkeys(penalty for entry in ours for penalty in entry.penalties))
    gone = [penalty for penalty in before if penalty not in reviewed]
    added = [penalty for penalty in reviewed if penalty not in before]

    def ranges(entry: Entry) -> tuple[Penalty, ...] | str:
        if len(gone) == len(added):
            swap = dict(zip(gone, added, strict=True))
            return tuple(swap.get(penalty, penalty) for penalty in entry.penalties)
        if len(ours) == 1:
            return tuple(reviewed)
        return f"审核人增删了处罚幅度，未能对应到各项，请核对：{_ranges(reviewed)}"

    return ranges


def _ranges(penalties: Sequence[Penalty]) -> str:
    return "；".join(describe(Tier(name="", **asdict(penalty))).lstrip("：") for penalty in penalties) or "无"


def added_categories(reviewed: ReviewedTask) -> list[str]:
    """Categories the reviewer ticked that no proposed entry has: gold records them; the list needs a new run."""
    proposed = {entry.category for entry in _proposed(reviewed)}
    return [category for category in reviewed.annotation.categories if category not in proposed]
