"""Gold labels in their two forms: the flat JSON Lines that annotators write, and Label Studio tasks that reviewers
correct; and the split of gold statutes into train, dev and test.

Both forms read into the same `Annotation` records that predictions use, so that scoring compares like with like.
A task written by `to_label_studio` reads back equal to the annotation it came from: every label travels in the
result items (a penalty's range in per-region values), never in the position of a span.
"""

from __future__ import annotations

import json
import logging
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import cn2an

from pipeline.models import CATEGORIES, Annotation, Diagnostic, Penalty, Span, StatuteError
from pipeline.write import atomic_open, write_jsonl

SPLITS = Path(__file__).resolve().parents[1] / "annotations" / "splits.toml"
UNASSIGNED = "unassigned"
GOLD_SUFFIXES = (".jsonl", ".json")

# The names of annotations/labeling-config.xml: results are read by from_name, so these must match it.
TEXT = "text"
CATEGORY_CHOICES = "categories"
SPANS = "spans"
MIN, MAX, BASE, CONDITION = "min", "max", "base", "condition"
ADJUDICATION = "adjudication"
READ = (CATEGORY_CHOICES, SPANS, MIN, MAX, BASE, CONDITION, ADJUDICATION)
SUBJECT = "实施主体"
PENALTY_LABELS = {"fine": "罚款", "fine_multiple": "倍数罚款", "detention": "拘留"}
KINDS = {label: kind for kind, label in PENALTY_LABELS.items()}
UNITS = {"fine": "元", "fine_multiple": "倍", "detention": "日"}

FLAT_REQUIRED = ("citation", "text", "categories", "subjects", "penalties")
FLAT_OPTIONAL = ("file", "article", "article_label", "paragraph", "adjudication", "scores")
PENALTY_KEYS = ("kind", "min", "max", "unit", "base", "condition")
SPAN_KEYS = ("text", "start", "end")

AMOUNT = r"(?:百分之)?[零〇一二两三四五六七八九十百千万亿点\d.０-９]+"
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
RANGES = {
    kind: re.compile(
        rf"(?:(?P<low>{AMOUNT}){unit}?以上(?:(?P<high>{AMOUNT}){unit}以下)?|(?P<upto>{AMOUNT}){unit}以下"
        rf"|(?P<fixed>{AMOUNT}){unit}{'|(?P<same>等额)' if unit == '倍' else ''})(?:的?(?:罚款|拘留))?"
    )
    for kind, unit in UNITS.items()
}

logger = logging.getLogger(__name__)


class _Invalid(Exception):
    """A record that breaks the format; the reader adds the file and the line or task."""


def load_annotations(path: Path, diagnostics: list[Diagnostic] | None = None) -> list[Annotation]:
    """Annotations from a flat gold file, a Label Studio JSON export, or a directory of them (by file name).

    The form is told by content: an export is one JSON array, a flat file one object a line. Export tasks that no
    one has submitted are skipped and reported in `diagnostics` when a list is given, else logged as a warning.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(
            child for child in path.iterdir()
            if child.is_file() and child.suffix in GOLD_SUFFIXES and not child.name.startswith(".")
        )
        if not files:
            raise StatuteError(Diagnostic(str(path), None, "error", f"no {' or '.join(GOLD_SUFFIXES)} files"))
        return [annotation for file in files for annotation in load_annotations(file, diagnostics)]
    try:
        content = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise StatuteError(Diagnostic(str(path), None, "error", f"cannot read gold file: {error}")) from error
    if content.lstrip().startswith("["):
        return _load_export(path, content, diagnostics)
    return _load_flat(path, content)


def to_label_studio(
    annotations: Sequence[Annotation],
    *,
    as_predictions: bool = False,
    model_version: str | None = None,
    chapters: Mapping[tuple[str, str], Sequence[str]] | None = None,
    entry_names: Mapping[tuple[str, str], str] | None = None,
) -> list[dict[str, Any]]:
    """One Label Studio task per unit, labels as a submitted annotation, or as a model's prediction to review.

    `chapters` and `entry_names`, keyed by `Annotation.key`, fill the task fields that an annotation does not
    carry; a chapter path is joined with " / ". A prediction's score is the model's confidence in its least
    certain category, so that Label Studio can show the doubtful units first.
    """
    tasks = []
    for annotation in annotations:
        results = _results(annotation)
        data = {
            "text": annotation.text,
            "citation": annotation.citation,
            "source": annotation.file,
            "article": annotation.article,
            "article_label": annotation.article_label,
            "paragraph": annotation.paragraph,
            "chapters": " / ".join((chapters or {}).get(annotation.key, ())),
            "entry_name": (entry_names or {}).get(annotation.key, ""),
            "entries": [],
        }
        if not as_predictions:
            tasks.append({"data": data, "annotations": [{"result": results, "was_cancelled": False}]})
            continue
        prediction: dict[str, Any] = {"result": results}
        if model_version is not None:
            prediction["model_version"] = model_version
        if annotation.scores:
            score = min(max(value, 1 - value) for value in annotation.scores.values())
            prediction["score"] = score
            for result in results:
                if result["from_name"] == CATEGORY_CHOICES:
                    result["score"] = score
        tasks.append({"data": data, "predictions": [prediction]})
    return tasks


def write_flat(annotations: Iterable[Annotation], path: Path) -> int:
    """Write annotations as a flat gold file, fields in the gold files' order, atomically; returns the count."""
    return write_jsonl(path, (_flat_record(annotation) for annotation in annotations))


def add_gold(annotations: Iterable[Annotation], directory: Path) -> list[Path]:
    """Add units to a folder of flat gold files, one file per statute as in annotations/gold; returns the files written.

    A unit already in the folder (same file and citation) is replaced in its place: the reviewer's latest word.
    """
    by_file: dict[str, list[Annotation]] = defaultdict(list)
    for annotation in annotations:
        by_file[PurePosixPath(annotation.file or "unknown").stem].append(annotation)
    written = []
    for stem, units in sorted(by_file.items()):
        path = Path(directory) / f"{stem}.jsonl"
        merged = {unit.key: unit for unit in (load_annotations(path) if path.exists() else [])}
        merged.update((unit.key, unit) for unit in units)
        write_flat(merged.values(), path)
        written.append(path)
    return written


def write_label_studio(annotations: Sequence[Annotation], path: Path, **options: Any) -> int:
    """Write `to_label_studio(annotations, **options)` as one JSON array, atomically; returns the task count."""
    tasks = to_label_studio(annotations, **options)
    with atomic_open(path) as handle:
        json.dump(tasks, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    return len(tasks)


def load_splits(path: Path = SPLITS) -> dict[str, list[str]]:
    """The split names and the statute file names in each, as annotations/splits.toml lists them."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise StatuteError(Diagnostic(str(path), None, "error", f"cannot read splits: {error}")) from error
    splits = {}
    for name, files in raw.items():
        if not isinstance(files, list) or not all(isinstance(file, str) for file in files):
            message = f"split {name!r} is not a list of statute file names"
            raise StatuteError(Diagnostic(str(path), None, "error", message))
        splits[name] = files
    try:
        _owners(splits)
    except ValueError as error:
        raise StatuteError(Diagnostic(str(path), None, "error", str(error))) from error
    return splits


def split(annotations: Iterable[Annotation], splits: Mapping[str, Sequence[str]]) -> dict[str, list[Annotation]]:
    """Units by split, a statute's units all in the split that lists its file; the rest under "unassigned".

    Splitting by statute, never by unit, keeps the near-identical clauses of one statute out of two splits.
    """
    owners = _owners(splits)
    result: dict[str, list[Annotation]] = {name: [] for name in splits}
    result[UNASSIGNED] = []
    for annotation in annotations:
        name = PurePosixPath(annotation.file).name if annotation.file else ""
        result[owners.get(name, UNASSIGNED)].append(annotation)
    if result[UNASSIGNED]:
        statutes = sorted({annotation.file or "(no file)" for annotation in result[UNASSIGNED]})
        logger.warning("%d units of statutes in no split: %s", len(result[UNASSIGNED]), ", ".join(statutes))
    return result


def _owners(splits: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """The split of each statute; a statute listed twice is an error, since its units would leak between splits."""
    if UNASSIGNED in splits:
        raise ValueError(f"{UNASSIGNED!r} is reserved for statutes in no split")
    owners: dict[str, str] = {}
    for name, files in splits.items():
        for file in files:
            if file in owners:
                raise ValueError(f"{file} is in two splits: {owners[file]} and {name}")
            owners[file] = name
    return owners


def _error(path: Path, line: int | None, message: str) -> StatuteError:
    return StatuteError(Diagnostic(str(path), line, "error", message))


def _load_flat(path: Path, content: str) -> list[Annotation]:
    annotations = []
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            annotations.append(_from_flat(json.loads(line)))
        except json.JSONDecodeError as error:
            raise _error(path, number, f"invalid JSON: {error.msg} (column {error.colno})") from error
        except _Invalid as error:
            raise _error(path, number, str(error)) from error
    return annotations


def _from_flat(record: Any) -> Annotation:
    if not isinstance(record, dict):
        raise _Invalid("not a JSON object")
    missing = [key for key in FLAT_REQUIRED if key not in record]
    unknown = [key for key in record if key not in FLAT_REQUIRED + FLAT_OPTIONAL]
    if missing or unknown:
        raise _Invalid(f"not a gold record: missing {missing}, unknown {unknown}")
    text = _typed(record["text"], str, "text")
    return Annotation(
        citation=_typed(record["citation"], str, "citation"),
        text=text,
        categories=_categories(_typed(record["categories"], list, "categories")),
        subjects=tuple(_span(item, text) for item in _typed(record["subjects"], list, "subjects")),
        penalties=tuple(_flat_penalty(item) for item in _typed(record["penalties"], list, "penalties")),
        scores=_scores(record.get("scores", {})),
        file=_optional(record.get("file"), str, "file"),
        article=_optional(record.get("article"), int, "article"),
        article_label=_optional(record.get("article_label"), str, "article_label"),
        paragraph=_optional(record.get("paragraph"), int, "paragraph"),
        adjudication=_note(_optional(record.get("adjudication"), str, "adjudication")),
    )


def _flat_penalty(item: Any) -> Penalty:
    if not isinstance(item, dict):
        raise _Invalid(f"penalty is not an object: {item!r}")
    missing = [key for key in PENALTY_KEYS if key not in item]
    unknown = [key for key in item if key not in PENALTY_KEYS]
    if missing or unknown:
        raise _Invalid(f"penalty {item!r}: missing keys {missing}, unknown keys {unknown}")
    kind = item["kind"]
    if kind not in UNITS:
        raise _Invalid(f"unknown penalty kind {kind!r} (kinds: {', '.join(UNITS)})")
    if item["unit"] != UNITS[kind]:
        raise _Invalid(f"penalty of kind {kind} has unit {item['unit']!r}, not {UNITS[kind]!r}")
    return _penalty(
        kind, _amount(item["min"], "min"), _amount(item["max"], "max"),
        _note(_optional(item["base"], str, "penalty base")),
        _note(_optional(item["condition"], str, "penalty condition")),
    )


def _penalty(kind: str, low: float | None, high: float | None, base: str | None, condition: str | None) -> Penalty:
    if low is not None and high is not None and low > high:
        raise _Invalid(f"penalty range {low}–{high} runs backwards")
    return Penalty(kind=kind, min=low, max=high, unit=UNITS[kind], base=base, condition=condition)


def _span(item: Any, text: str) -> Span:
    if not isinstance(item, dict) or sorted(item) != sorted(SPAN_KEYS):
        raise _Invalid(f"subject is not {{text, start, end}}: {item!r}")
    start, end = _typed(item["start"], int, "subject start"), _typed(item["end"], int, "subject end")
    if not 0 <= start < end <= len(text) or text[start:end] != item["text"]:
        raise _Invalid(f"subject {item['text']!r} is not the unit's text[{start}:{end}] ({text[start:end]!r})")
    return Span(text=item["text"], start=start, end=end)


def _categories(values: list[Any]) -> tuple[str, ...]:
    """The categories in CATEGORIES order, so that equal label sets compare equal."""
    unknown = [value for value in values if value not in CATEGORIES]
    if unknown:
        raise _Invalid(f"unknown categories {unknown} (the ten are {', '.join(CATEGORIES)})")
    return tuple(category for category in CATEGORIES if category in values)


def _scores(value: Any) -> dict[str, float]:
    scores = _typed(value, dict, "scores")
    _categories(list(scores))
    return {category: _typed(score, float, f"score of {category}") for category, score in scores.items()}


def _amount(value: Any, name: str) -> float | None:
    return None if value is None else _typed(value, float, f"penalty {name}")


def _typed(value: Any, kind: type, name: str) -> Any:
    """`value` if it is of `kind` (an int counts as a float, a bool as neither); why not, otherwise."""
    kinds = (int, float) if kind is float else (kind,)
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise _Invalid(f"{name} is not {'a number' if kind is float else f'of type {kind.__name__}'}: {value!r}")
    return value


def _optional(value: Any, kind: type, name: str) -> Any:
    return None if value is None else _typed(value, kind, name)


def _note(value: str | None) -> str | None:
    """A blank note is no note: Label Studio saves no result for an empty field."""
    return value if value else None


def _load_export(path: Path, content: str, diagnostics: list[Diagnostic] | None) -> list[Annotation]:
    return [reviewed.annotation for reviewed in _reviewed_tasks(path, content, diagnostics)]


@dataclass(frozen=True)
class ReviewedTask:
    """A task of a Label Studio export with its last submitted annotation: the labels read as gold, and the raw
    task data and results for what gold does not record (the entries kept, their corrected names, a comment)."""

    task_id: str
    data: dict[str, Any]
    results: list[dict[str, Any]]
    annotation: Annotation


def read_reviewed(path: Path, diagnostics: list[Diagnostic] | None = None) -> list[ReviewedTask]:
    """The submitted tasks of one Label Studio JSON export, by the same reader as `load_annotations`."""
    try:
        content = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise StatuteError(Diagnostic(str(path), None, "error", f"cannot read export: {error}")) from error
    if not content.lstrip().startswith("["):
        raise _error(Path(path), 1, "not a Label Studio JSON export (a JSON array of tasks)")
    return _reviewed_tasks(Path(path), content, diagnostics)


def _reviewed_tasks(path: Path, content: str, diagnostics: list[Diagnostic] | None) -> list[ReviewedTask]:
    try:
        tasks = json.loads(content)
    except json.JSONDecodeError as error:
        raise _error(path, error.lineno, f"invalid JSON: {error.msg} (column {error.colno})") from error
    reviewed, skipped = [], []
    for index, task in enumerate(tasks, start=1):
        task_id = str(task.get("id", f"#{index}") if isinstance(task, dict) else f"#{index}")
        try:
            if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
                raise _Invalid("not a Label Studio task with data")
            submitted = _latest(task.get("annotations") or [])
            if submitted is None:
                skipped.append(task_id)
                continue
            results = _typed(submitted.get("result", []), list, "result")
            reviewed.append(ReviewedTask(task_id, task["data"], results, _from_task(task["data"], results)))
        except _Invalid as error:
            raise _error(path, None, f"task {task_id}: {error}") from error
    if skipped:
        shown = ", ".join(skipped[:10]) + (", …" if len(skipped) > 10 else "")
        problem = Diagnostic(str(path), None, "warning", f"{len(skipped)} tasks with no submitted annotation "
                             f"skipped: {shown}")
        if diagnostics is None:
            logger.warning("%s", problem)
        else:
            diagnostics.append(problem)
    return reviewed


def _latest(annotations: list[Any]) -> dict[str, Any] | None:
    """The last annotation submitted and not cancelled (skipped): what the reviewer's last word on the task is."""
    submitted = [
        (str(item.get("updated_at") or item.get("created_at") or ""), position, item)
        for position, item in enumerate(annotations)
        if isinstance(item, dict) and not item.get("was_cancelled")
    ]
    return max(submitted, key=lambda entry: entry[:2])[2] if submitted else None


def _from_task(data: dict[str, Any], results: list[Any]) -> Annotation:
    """The labels of one task: results are matched to the config by from_name and to their region by id.

    Labels and fields that the guidelines do not record (违法行为, 许可事项, entry_name, decision, comment) and the
    relations a reviewer may draw are left out of the annotation.
    """
    text = _typed(data.get("text"), str, "data.text")
    categories: list[Any] = []
    regions: list[dict[str, Any]] = []
    per_region: dict[str, dict[str, Any]] = defaultdict(dict)
    notes = []
    for result in results:
        name = result.get("from_name") if isinstance(result, dict) else None
        if name not in READ:
            continue
        value = result.get("value")
        if not isinstance(value, dict):
            raise _Invalid(f"{name} result has no value: {result!r}")
        if name == CATEGORY_CHOICES:
            categories.extend(_typed(value.get("choices"), list, "categories choices"))
        elif name == SPANS:
            regions.append(result)
        elif name in (MIN, MAX):
            per_region[str(result.get("id"))][name] = _amount(value.get("number"), name)
        elif name in (BASE, CONDITION):
            per_region[str(result.get("id"))][name] = _note(_textarea(value, name))
        elif name == ADJUDICATION:
            notes.append(_textarea(value, name))
    subjects, penalties = [], []
    for region in regions:
        region_id, value = str(region.get("id")), region["value"]
        labels = _typed(value.get("labels"), list, "labels")
        kinds = [KINDS[label] for label in labels if label in KINDS]
        if per_region.get(region_id) and not kinds:
            raise _Invalid(f"region {region_id} ({', '.join(labels)}) has a penalty range but no penalty label")
        if SUBJECT in labels:
            subjects.append(_region_span(value, text))
        fields = per_region.pop(region_id, {})
        penalties.extend(
            _penalty(kind, fields.get(MIN), fields.get(MAX), fields.get(BASE), fields.get(CONDITION)) for kind in kinds
        )
    if per_region:
        raise _Invalid(f"penalty range for no region: {', '.join(per_region)}")
    return Annotation(
        citation=_typed(data.get("citation"), str, "data.citation"),
        text=text,
        categories=_categories(categories),
        subjects=tuple(subjects),
        penalties=tuple(penalties),
        file=_optional(data.get("source"), str, "data.source"),
        article=_optional(data.get("article"), int, "data.article"),
        article_label=_optional(data.get("article_label"), str, "data.article_label"),
        paragraph=_optional(data.get("paragraph"), int, "data.paragraph"),
        adjudication=_note("\n".join(note for note in notes if note)),
    )


def _region_span(value: dict[str, Any], text: str) -> Span:
    """A region as a span; Label Studio may leave out the region's text, which is then the unit's own."""
    start, end = _typed(value.get("start"), int, "region start"), _typed(value.get("end"), int, "region end")
    return _span({"text": value.get("text", text[start:end]), "start": start, "end": end}, text)


def _textarea(value: dict[str, Any], name: str) -> str:
    """A TextArea's entries, one a line: Label Studio saves each submitted entry as an item of a list."""
    entries = _typed(value.get("text"), list, f"{name} text")
    return "\n".join(_typed(entry, str, f"{name} text") for entry in entries)


def _flat_record(annotation: Annotation) -> dict[str, Any]:
    record = annotation.to_dict()
    keys = ["file", "article", "article_label", "paragraph", *FLAT_REQUIRED, "adjudication"]
    return {key: record[key] for key in keys} | ({"scores": record["scores"]} if annotation.scores else {})


def _results(annotation: Annotation) -> list[dict[str, Any]]:
    """The result items of one unit: categories, a region per subject and per penalty, the adjudication note."""
    results = []
    if annotation.categories:
        results.append(_result(CATEGORY_CHOICES, CATEGORY_CHOICES, "choices", {"choices": list(annotation.categories)}))
    for number, subject in enumerate(annotation.subjects, start=1):
        region = {"start": subject.start, "end": subject.end, "text": subject.text, "labels": [SUBJECT]}
        results.append(_result(f"subject-{number}", SPANS, "labels", region))
    taken: set[tuple[int, int]] = set()
    for number, penalty in enumerate(annotation.penalties, start=1):
        if penalty.kind not in UNITS or penalty.unit != UNITS[penalty.kind]:
            raise ValueError(f"{annotation.citation}: penalty {penalty} is not a kind of the guidelines with its unit")
        start, end = _penalty_span(annotation.text, penalty, taken)
        region_id, where = f"penalty-{number}", {"start": start, "end": end}
        label = {**where, "text": annotation.text[start:end], "labels": [PENALTY_LABELS[penalty.kind]]}
        results.append(_result(region_id, SPANS, "labels", label))
        for name, amount in ((MIN, penalty.min), (MAX, penalty.max)):
            if amount is not None:
                results.append(_result(region_id, name, "number", {**where, "number": amount}))
        for name, note in ((BASE, penalty.base), (CONDITION, penalty.condition)):
            if note:
                results.append(_result(region_id, name, "textarea", {**where, "text": [note]}))
    if annotation.adjudication:
        results.append(_result(ADJUDICATION, ADJUDICATION, "textarea", {"text": [annotation.adjudication]}))
    return results


def _result(result_id: str, from_name: str, kind: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"id": result_id, "from_name": from_name, "to_name": TEXT, "type": kind, "value": value}


def _penalty_span(text: str, penalty: Penalty, taken: set[tuple[int, int]]) -> tuple[int, int]:
    """Where the unit states this range (处货值金额十倍以上二十倍以下罚款), for the reviewer's eye only.

    The first phrase not taken by an earlier penalty whose amounts are the range's; failing that, the first
    罚款 or 拘留, or the whole unit: a region may not be empty, and the range travels in its per-region values.
    """
    for match in RANGES[penalty.kind].finditer(text):
        found = _stated_range(match)
        if found is None or (match.start(), match.end()) in taken:
            continue
        if _same(found[0], penalty.min) and _same(found[1], penalty.max):
            start = match.start()
            if penalty.base and text[:start].endswith(penalty.base):
                start -= len(penalty.base)
            taken.add((match.start(), match.end()))
            return start, match.end()
    word = text.find("拘留" if penalty.kind == "detention" else "罚款")
    if word >= 0:
        return word, word + 2
    if not text:
        raise ValueError("a penalty needs a unit text to point into")
    return 0, len(text)


def _stated_range(match: re.Match[str]) -> tuple[float | None, float | None] | None:
    try:
        if match["fixed"]:
            return _number(match["fixed"]), _number(match["fixed"])
        if match.groupdict().get("same"):
            return 1, 1
        if match["upto"]:
            return None, _number(match["upto"])
        return _number(match["low"]), _number(match["high"]) if match["high"] else None
    except ValueError:
        return None


def _number(numeral: str) -> float:
    """一万五千 / 15000 / 1.5万 / 百分之五十 as a number; ValueError when it is none."""
    if numeral.startswith("百分之"):
        return _number(numeral.removeprefix("百分之")) / 100
    return cn2an.cn2an(numeral.translate(FULLWIDTH_DIGITS), "smart")


def _same(found: float | None, wanted: float | None) -> bool:
    return found == wanted if found is None or wanted is None else abs(found - wanted) < 1e-9
