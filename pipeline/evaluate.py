"""Score predicted annotations against gold ones, with the metrics that every evaluation of the project reports.

A held-out evaluation and an evaluator's run must give the same numbers for the same labels, so every metric is
defined here once:

Pairing. A prediction is paired with the gold unit of the same `Annotation.key` (file name, citation); when either
side has no file, with the gold unit of the same citation (several such gold units make the prediction ambiguous: a
ValueError). Every gold unit is scored; one without a prediction is scored as if predicted with nothing, so all its
labels are missed, and is listed in `unmatched_gold`. Predictions with no gold unit are not scored and are listed
in `unmatched_predicted`. Two gold units with one key, two predictions for one gold unit, a category outside
CATEGORIES or a score outside [0, 1] are a ValueError: each would make the numbers mean something else.

Counting. Each metric counts items: TP (in gold and predicted), FP (predicted only), FN (gold only), summed over all
units before dividing (micro). Precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2TP / (2TP + FP + FN). A
ratio with a zero denominator is None (printed "n/a"), never 0 or 1: F1 is None exactly when neither side has an
item, so a metric that nothing exercised does not look perfect or failed.

- categories: items are (unit, category) pairs. Per category the same counts give precision, recall, F1, support
  (gold count) and predicted count, for all ten categories. Macro-F1 is the mean of the per-category F1 over the
  categories that occur in the gold (support > 0), None when the gold has none.
- power-vs-none: one item per unit, present when the unit has at least one category.
- subject overlap: items are (unit, character position) pairs, a position being present when any subject span of
  that side covers it: partial credit for a span that is a character short.
- subject exact: items are (unit, start, end) of subject spans; a span listed twice counts once.
- penalties: items are (unit, kind, min, max) as a multiset; numbers are equal within 1e-9 relative, None equals
  only None; base, unit and condition are not compared. Equal items are paired greedily in gold order.
- calibration: one (score, gold has the label) point per category in a paired prediction's `scores`; a prediction
  without scores gives (1.0, correct) per label it predicts. Scores fall into ten equal-width bins [k/10, (k+1)/10),
  the last one closed. ECE = sum over bins of count / N * |mean score - observed frequency|; Brier = the mean of
  (score - outcome)^2, outcome 1 or 0. Both None without points.
- confusion matrix over the ten categories and 无 (none), rows gold, columns predicted, per unit: each label in both
  counts on the diagonal; each missed gold label counts once with each spurious predicted label, or with 无 when
  there is none; each spurious label of a unit with no missed label counts with gold 无; a unit with no label on
  either side counts at (无, 无).
"""

from __future__ import annotations

import logging
import math
import subprocess
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font

from pipeline.models import CATEGORIES, Annotation, Penalty, Span
from pipeline.write import atomic_open

NONE = "无"
CONFUSION_LABELS: tuple[str, ...] = (*CATEGORIES, NONE)
ENGLISH: dict[str, str] = {
    "行政许可": "licensing",
    "行政处罚": "penalty",
    "行政强制": "coercion",
    "行政征收": "levy",
    "行政给付": "benefit",
    "行政检查": "inspection",
    "行政确认": "confirmation",
    "行政奖励": "reward",
    "行政裁决": "adjudication",
    "其他行政权力": "other",
    NONE: "none",
}
"""The labels plotted when no font on the machine can draw Chinese."""
BINS = 10
RELATIVE_TOLERANCE = 1e-9
TEXT_SHOWN = 60

logger = logging.getLogger(__name__)

Counts = tuple[int, int, int]


@dataclass(frozen=True)
class Scores:
    """The counts of one metric and the ratios that follow; a ratio over zero is None, not 0 or 1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp


@dataclass(frozen=True)
class Pair:
    """A gold unit and the prediction paired with it; `predicted` is None when the model gave none."""

    gold: Annotation
    predicted: Annotation | None


@dataclass(frozen=True)
class CalibrationBin:
    """One bin of the reliability diagram; the means are None for an empty bin."""

    lower: float
    upper: float
    count: int
    mean_score: float | None
    frequency: float | None


@dataclass(frozen=True)
class Calibration:
    """How well scores match frequencies; `units_from_labels` says how many units had no scores to offer."""

    bins: tuple[CalibrationBin, ...]
    ece: float | None
    brier: float | None
    points: int
    units_from_labels: int


@dataclass(frozen=True)
class Evaluation:
    """Every number of an evaluation, with the pairs they were computed from (one per gold unit, in gold order)."""

    pairs: tuple[Pair, ...]
    unmatched_gold: tuple[str, ...]
    unmatched_predicted: tuple[str, ...]
    categories: Scores
    macro_f1: float | None
    macro_categories: tuple[str, ...]
    per_category: dict[str, Scores]
    power: Scores
    subject_overlap: Scores
    subject_exact: Scores
    penalties: Scores
    calibration: Calibration
    confusion: tuple[tuple[int, ...], ...]

    @property
    def matched(self) -> int:
        return len(self.pairs) - len(self.unmatched_gold)


def evaluate(gold: Sequence[Annotation], predicted: Sequence[Annotation]) -> Evaluation:
    """Score `predicted` against `gold` by the definitions of the module docstring."""
    pairs, unmatched_predicted = _pair(gold, predicted)
    labelled = [(_labels(pair.gold, "gold"), _labels(_guess(pair), "predicted")) for pair in pairs]
    per_category = {category: _category_scores(category, labelled) for category in CATEGORIES}
    present = tuple(category for category, scores in per_category.items() if scores.support)
    macro = [per_category[category].f1 or 0.0 for category in present]
    return Evaluation(
        pairs=tuple(pairs),
        unmatched_gold=tuple(pair.gold.citation for pair in pairs if pair.predicted is None),
        unmatched_predicted=tuple(unmatched_predicted),
        categories=_total(_set_counts(g, p) for g, p in labelled),
        macro_f1=sum(macro) / len(macro) if macro else None,
        macro_categories=present,
        per_category=per_category,
        power=_total(_set_counts({True} if g else set(), {True} if p else set()) for g, p in labelled),
        subject_overlap=_total(
            _set_counts(_positions(pair.gold.subjects), _positions(_guess(pair).subjects)) for pair in pairs
        ),
        subject_exact=_total(
            _set_counts(_bounds(pair.gold.subjects), _bounds(_guess(pair).subjects)) for pair in pairs
        ),
        penalties=_total(_penalty_counts(pair.gold.penalties, _guess(pair).penalties) for pair in pairs),
        calibration=_calibration(pairs),
        confusion=_confusion(labelled),
    )


def format_report(evaluation: Evaluation, worst: int = 20) -> str:
    """The report a person reads: headline, the per-category table, then the errors most worth a look."""
    lines = [*_headline(evaluation), "", *_category_table(evaluation), ""]
    errors = _errors(evaluation)
    false_positives = sorted((e for e in errors if e.kind == "FP"), key=lambda e: -e.score)[:worst]
    false_negatives = sorted((e for e in errors if e.kind == "FN"), key=lambda e: e.score)[:worst]
    lines += _section("False positives, highest score first", [str(e) for e in false_positives])
    lines += _section("False negatives, lowest score first", [str(e) for e in false_negatives])
    lines += _section("Gold units without a prediction", list(evaluation.unmatched_gold[:worst]))
    lines += _section("Penalty mismatches (gold | predicted)", _penalty_mismatches(evaluation)[:worst])
    lines += _section("Subject mismatches (gold | predicted)", _subject_mismatches(evaluation)[:worst])
    font = cjk_font()
    if font is None:
        lines.append(
            "Plots: no CJK font on this machine, so plot labels use English names: "
            + ", ".join(f"{label} = {english}" for label, english in ENGLISH.items())
        )
    else:
        lines.append(f"Plots: Chinese labels drawn with {font}")
    return "\n".join(lines) + "\n"


def to_json(evaluation: Evaluation) -> dict[str, Any]:
    """Every number of the evaluation as plain JSON values, for machines and for comparing runs."""
    calibration = evaluation.calibration
    return {
        "units": {
            "gold": len(evaluation.pairs),
            "matched": evaluation.matched,
            "unmatched_gold": list(evaluation.unmatched_gold),
            "unmatched_predicted": list(evaluation.unmatched_predicted),
        },
        "categories": {
            "micro": _scores_json(evaluation.categories),
            "macro_f1": evaluation.macro_f1,
            "macro_categories": list(evaluation.macro_categories),
            "per_category": [
                {"category": category, **_scores_json(scores)} for category, scores in evaluation.per_category.items()
            ],
        },
        "power_vs_none": _scores_json(evaluation.power),
        "subjects": {
            "overlap": _scores_json(evaluation.subject_overlap),
            "exact": _scores_json(evaluation.subject_exact),
        },
        "penalties": _scores_json(evaluation.penalties),
        "calibration": {
            "ece": calibration.ece,
            "brier": calibration.brier,
            "points": calibration.points,
            "units_from_labels": calibration.units_from_labels,
            "bins": [vars(bin_) for bin_ in calibration.bins],
        },
        "confusion": {"labels": list(CONFUSION_LABELS), "matrix": [list(row) for row in evaluation.confusion]},
    }


def write_plots(evaluation: Evaluation, directory: Path) -> list[Path]:
    """Write confusion.png and reliability.png into `directory`, each atomically; returns their paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    font = cjk_font()
    if font is None:
        logger.warning("no CJK font found; the confusion matrix is labelled with English category names")
    confusion, reliability = directory / "confusion.png", directory / "reliability.png"
    _save(_confusion_figure(evaluation, font), confusion)
    _save(_reliability_figure(evaluation), reliability)
    return [confusion, reliability]


@cache
def cjk_font() -> str | None:
    """The path of a font that can draw every category label, or None: matplotlib's own fonts cannot.

    Any failure to list or open a font means that font is not used: a report never fails for want of a font.
    """
    needed = {ord(character) for character in "".join(CONFUSION_LABELS)}
    for path in _font_files():
        try:
            glyphs = FT2Font(path).get_charmap()
            # A last-resort font maps every character of a script to one placeholder glyph: not a font that draws it.
            if needed <= glyphs.keys() and len({glyphs[code] for code in needed}) == len(needed):
                return path
        except Exception:  # a broken or unreadable font file is skipped, whatever the error
            continue
    return None


def _font_files() -> list[str]:
    """Fonts that fontconfig says cover Chinese first, then every font matplotlib knows of."""
    paths: list[str] = []
    try:
        listed = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
        paths += [line.split(":")[0].strip() for line in listed.splitlines() if line.strip()]
    except (OSError, subprocess.SubprocessError):
        pass
    paths += sorted(entry.fname for entry in font_manager.fontManager.ttflist)
    return list(dict.fromkeys(paths))


def _pair(gold: Sequence[Annotation], predicted: Sequence[Annotation]) -> tuple[list[Pair], list[str]]:
    """One pair per gold unit in gold order, and the citations of the predictions that have no gold unit."""
    by_key: dict[tuple[str, str], Annotation] = {}
    for unit in gold:
        if unit.key in by_key:
            raise ValueError(f"two gold units have the key {unit.key}")
        by_key[unit.key] = unit
    by_citation: dict[str, list[tuple[str, str]]] = {}
    for key in by_key:
        by_citation.setdefault(key[1], []).append(key)
    found: dict[tuple[str, str], Annotation] = {}
    unmatched: list[str] = []
    for unit in predicted:
        key = unit.key if unit.key in by_key else _key_by_citation(unit, by_citation)
        if key is None:
            unmatched.append(unit.citation)
        elif key in found:
            raise ValueError(f"two predictions for the gold unit {key}")
        else:
            found[key] = unit
    return [Pair(unit, found.get(key)) for key, unit in by_key.items()], unmatched


def _key_by_citation(unit: Annotation, by_citation: dict[str, list[tuple[str, str]]]) -> tuple[str, str] | None:
    """The gold key a prediction matches by citation alone, allowed only when one side has no file."""
    keys = [key for key in by_citation.get(unit.citation, []) if not unit.file or not key[0]]
    if len(keys) > 1:
        raise ValueError(f"the prediction {unit.citation} has no file and matches {len(keys)} gold units")
    return keys[0] if keys else None


def _guess(pair: Pair) -> Annotation:
    """The prediction of a pair, an empty one when the model gave none: its gold labels all count as missed."""
    return pair.predicted or Annotation(pair.gold.citation, pair.gold.text)


def _labels(unit: Annotation, side: str) -> frozenset[str]:
    unknown = set(unit.categories) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"{side} unit {unit.citation} has unknown categories: {', '.join(sorted(unknown))}")
    return frozenset(unit.categories)


def _category_scores(category: str, labelled: Iterable[tuple[frozenset[str], frozenset[str]]]) -> Scores:
    return _total(_set_counts({category} & g, {category} & p) for g, p in labelled)


def _set_counts(gold: Iterable[Any], predicted: Iterable[Any]) -> Counts:
    gold, predicted = set(gold), set(predicted)
    return len(gold & predicted), len(predicted - gold), len(gold - predicted)


def _total(counts: Iterable[Counts]) -> Scores:
    tp = fp = fn = 0
    for unit_tp, unit_fp, unit_fn in counts:
        tp, fp, fn = tp + unit_tp, fp + unit_fp, fn + unit_fn
    return Scores(tp, fp, fn)


def _positions(spans: Iterable[Span]) -> set[int]:
    return {position for span in spans for position in range(span.start, span.end)}


def _bounds(spans: Iterable[Span]) -> set[tuple[int, int]]:
    return {(span.start, span.end) for span in spans}


def _penalty_counts(gold: Sequence[Penalty], predicted: Sequence[Penalty]) -> Counts:
    left = list(predicted)
    tp = 0
    for wanted in gold:
        match = next((index for index, given in enumerate(left) if _same_range(wanted, given)), None)
        if match is not None:
            del left[match]
            tp += 1
    return tp, len(left), len(gold) - tp


def _same_range(a: Penalty, b: Penalty) -> bool:
    return a.kind == b.kind and _same_number(a.min, b.min) and _same_number(a.max, b.max)


def _same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=RELATIVE_TOLERANCE, abs_tol=0.0)


def _calibration(pairs: Iterable[Pair]) -> Calibration:
    points: list[tuple[float, bool]] = []
    from_labels = 0
    for pair in pairs:
        if pair.predicted is None:
            continue
        gold = _labels(pair.gold, "gold")
        scores = pair.predicted.scores
        if not scores:
            from_labels += 1
            scores = dict.fromkeys(_labels(pair.predicted, "predicted"), 1.0)
        for label, score in scores.items():
            if label not in CATEGORIES or not 0.0 <= score <= 1.0:
                raise ValueError(f"prediction {pair.predicted.citation} has a bad score {label}: {score}")
            points.append((float(score), label in gold))
    binned: list[list[tuple[float, bool]]] = [[] for _ in range(BINS)]
    for score, outcome in points:
        binned[min(int(score * BINS), BINS - 1)].append((score, outcome))
    bins = tuple(
        CalibrationBin(
            lower=index / BINS,
            upper=(index + 1) / BINS,
            count=len(members),
            mean_score=sum(score for score, _ in members) / len(members) if members else None,
            frequency=sum(outcome for _, outcome in members) / len(members) if members else None,
        )
        for index, members in enumerate(binned)
    )
    total = len(points)
    gaps = sum(
        len(members) * abs(sum(s for s, _ in members) - sum(o for _, o in members)) / len(members)
        for members in binned
        if members
    )
    ece = gaps / total if total else None
    brier = sum((score - outcome) ** 2 for score, outcome in points) / total if total else None
    return Calibration(bins, ece, brier, total, from_labels)


def _confusion(labelled: Iterable[tuple[frozenset[str], frozenset[str]]]) -> tuple[tuple[int, ...], ...]:
    index = {label: position for position, label in enumerate(CONFUSION_LABELS)}
    matrix = [[0] * len(CONFUSION_LABELS) for _ in CONFUSION_LABELS]
    for gold, predicted in labelled:
        missed, spurious = _ordered(gold - predicted), _ordered(predicted - gold)
        for label in gold & predicted:
            matrix[index[label]][index[label]] += 1
        for label in missed:
            for other in spurious or [NONE]:
                matrix[index[label]][index[other]] += 1
        if not missed:
            for other in spurious:
                matrix[index[NONE]][index[other]] += 1
        if not gold and not predicted:
            matrix[index[NONE]][index[NONE]] += 1
    return tuple(tuple(row) for row in matrix)


def _ordered(labels: Iterable[str]) -> list[str]:
    chosen = set(labels)
    return [category for category in CATEGORIES if category in chosen]


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class _Error:
    """One wrong category of one unit, with the score the model gave it."""

    citation: str
    kind: str
    category: str
    score: float
    text: str

    def __str__(self) -> str:
        text = self.text.replace("\n", " ")[:TEXT_SHOWN]
        return f"{self.citation}  {self.kind} {self.category} {self.score:.2f}  {text}"


def _errors(evaluation: Evaluation) -> list[_Error]:
    """False positives scored as given (1.0 without scores) and false negatives (0 without a score).

    Units with no prediction are left to their own section, where they are not counted once per label.
    """
    errors = []
    for pair in evaluation.pairs:
        if pair.predicted is None:
            continue
        gold, predicted = set(pair.gold.categories), set(pair.predicted.categories)
        scores = pair.predicted.scores
        for category in _ordered(predicted - gold):
            errors.append(_Error(pair.gold.citation, "FP", category, scores.get(category, 1.0), pair.gold.text))
        for category in _ordered(gold - predicted):
            errors.append(_Error(pair.gold.citation, "FN", category, scores.get(category, 0.0), pair.gold.text))
    return errors


def _headline(evaluation: Evaluation) -> list[str]:
    calibration = evaluation.calibration
    present = len(evaluation.macro_categories)
    rows = [
        ("category micro-F1", evaluation.categories.f1, _precision_recall(evaluation.categories)),
        ("category macro-F1", evaluation.macro_f1, f"mean F1 of the {present} categories that occur in the gold"),
        ("power-vs-none F1", evaluation.power.f1, _precision_recall(evaluation.power)),
        ("subject overlap F1", evaluation.subject_overlap.f1, _precision_recall(evaluation.subject_overlap)),
        ("subject exact F1", evaluation.subject_exact.f1, _precision_recall(evaluation.subject_exact)),
        ("penalty F1", evaluation.penalties.f1, _precision_recall(evaluation.penalties)),
        (
            "ECE",
            calibration.ece,
            f"Brier {_number(calibration.brier)}; {calibration.points} (score, label) points in {BINS} bins; "
            f"{calibration.units_from_labels} units without scores count 1.0 per predicted label",
        ),
    ]
    return [
        f"Evaluation of {len(evaluation.pairs)} gold units: {evaluation.matched} matched, "
        f"{len(evaluation.unmatched_gold)} without a prediction (all labels missed), "
        f"{len(evaluation.unmatched_predicted)} predictions without a gold unit (ignored)",
        *(f"{name:<20}{_number(value):>6}  {detail}" for name, value, detail in rows),
    ]


def _category_table(evaluation: Evaluation) -> list[str]:
    header = ["category", "P", "R", "F1", "support", "predicted"]
    rows = [
        [category, _number(s.precision), _number(s.recall), _number(s.f1), str(s.support), str(s.predicted)]
        for category, s in evaluation.per_category.items()
    ]
    widths = [max(_width(row[column]) for row in [header, *rows]) for column in range(len(header))]
    return [
        "  ".join(
            cell + " " * (width - _width(cell)) if column == 0 else " " * (width - _width(cell)) + cell
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in [header, *rows]
    ]


def _penalty_mismatches(evaluation: Evaluation) -> list[str]:
    return [
        f"{pair.gold.citation}  {_ranges(pair.gold.penalties)} | {_ranges(_guess(pair).penalties)}"
        for pair in evaluation.pairs
        if _penalty_counts(pair.gold.penalties, _guess(pair).penalties)[1:] != (0, 0)
    ]


def _subject_mismatches(evaluation: Evaluation) -> list[str]:
    return [
        f"{pair.gold.citation}  {_spans(pair.gold.subjects)} | {_spans(_guess(pair).subjects)}"
        for pair in evaluation.pairs
        if _bounds(pair.gold.subjects) != _bounds(_guess(pair).subjects)
    ]


def _ranges(penalties: Sequence[Penalty]) -> str:
    return ", ".join(f"{p.kind}[{_end(p.min)}, {_end(p.max)}]" for p in penalties) or "none"


def _end(value: float | None) -> str:
    return "open" if value is None else f"{value:g}"


def _spans(spans: Sequence[Span]) -> str:
    return ", ".join(f"{span.text}@{span.start}-{span.end}" for span in spans) or "none"


def _section(title: str, lines: list[str]) -> list[str]:
    return [f"{title}:", *(f"  {line}" for line in lines or ["none"]), ""]


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _precision_recall(scores: Scores) -> str:
    return f"P {_number(scores.precision)}  R {_number(scores.recall)}"


def _width(text: str) -> int:
    """Columns a terminal gives `text`: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


def _scores_json(scores: Scores) -> dict[str, Any]:
    return {
        "tp": scores.tp,
        "fp": scores.fp,
        "fn": scores.fn,
        "precision": scores.precision,
        "recall": scores.recall,
        "f1": scores.f1,
        "support": scores.support,
        "predicted": scores.predicted,
    }


def _save(figure: Figure, path: Path) -> None:
    with atomic_open(path, "wb") as handle:
        figure.savefig(handle, format="png", dpi=100)


def _figure(width: float, height: float) -> Figure:
    """A figure drawn by Agg whatever backend pyplot was set to: plots are written on headless machines."""
    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _confusion_figure(evaluation: Evaluation, font: str | None) -> Figure:
    figure = _figure(9, 8)
    labels = list(CONFUSION_LABELS) if font else [ENGLISH[label] for label in CONFUSION_LABELS]
    properties = FontProperties(fname=font) if font else None
    axes = figure.add_subplot()
    matrix = evaluation.confusion
    axes.imshow(matrix, cmap="Blues")
    peak = max(max(row) for row in matrix)
    for row, counts in enumerate(matrix):
        for column, count in enumerate(counts):
            colour = "white" if peak and count > peak / 2 else "black"
            axes.text(column, row, str(count), ha="center", va="center", color=colour, fontsize=8)
    ticks = range(len(labels))
    axes.set_xticks(ticks, labels, rotation=45, ha="right", fontproperties=properties)
    axes.set_yticks(ticks, labels, fontproperties=properties)
    axes.set_xlabel("predicted")
    axes.set_ylabel("gold")
    axes.set_title(f"Category confusion ({len(evaluation.pairs)} gold units)")
    return figure


def _reliability_figure(evaluation: Evaluation) -> Figure:
    """Observed frequency per bin as bars, each bin's mean score against it as points, counts above the plot."""
    figure = _figure(7, 6.5)
    calibration = evaluation.calibration
    axes = figure.add_subplot()
    axes.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    filled = [b for b in calibration.bins if b.count]
    centres = [(b.lower + b.upper) / 2 for b in filled]
    frequencies = [b.frequency or 0.0 for b in filled]
    axes.bar(centres, frequencies, width=1 / BINS, edgecolor="black", alpha=0.4, label="observed frequency per bin")
    axes.plot([b.mean_score for b in filled], frequencies, "o", color="tab:red", label="mean score of the bin")
    for centre, b in zip(centres, filled, strict=True):
        axes.text(centre, 1.03, f"n={b.count}", ha="center", va="bottom", fontsize=8)
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1.1)
    axes.set_xticks([index / BINS for index in range(BINS + 1)])
    axes.set_xlabel("predicted score")
    axes.set_ylabel("observed frequency")
    axes.set_title(f"Reliability ({calibration.points} points, ECE {_number(calibration.ece)})")
    figure.legend(loc="outside lower center", ncols=3, fontsize=8)
    return figure
