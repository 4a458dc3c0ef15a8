"""Provision → power: each 款 with the categories a classifier gives it, who acts, and the sanctions it sets.

A record keeps every field of `powers segment` and adds `categories` (the predicted labels only, each with its score,
in the guidelines' order), `subjects`, `penalties`, `measures` and `warnings`. Subjects (the names the rule finder
delimits that the mention model, `pipeline/mentions.py`, reads as acting) are read only in a 款 with a predicted
category or whose subject gate opens (`classify.gate_score`: the linear model's probability that the 款 names its
acting body, or a best category score, reaches the model's subject threshold; chosen on dev): the guidelines give a
body only where it exercises a power. Penalty ranges are read only in a 款 that carries 行政处罚. Reading such records
back gives Annotations for scoring.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from pipeline.classify import Classifier
from pipeline.gold import PENALTY_KEYS
from pipeline.mentions import find_acting
from pipeline.models import (
    CATEGORIES,
    PENALTY,
    Annotation,
    Penalty,
    PenaltyFindings,
    Power,
    Provision,
    Span,
    Statute,
)
from pipeline.penalties import find_penalties
from pipeline.refer import sanction_referents
from pipeline.rules import criminal_sentence, sanction_by_reference


def extract(statutes: Iterable[Statute], classifier: Classifier) -> Iterator[dict[str, Any]]:
    """One record per 款, statute by statute (each statute is one batch for the model)."""
    for statute in statutes:
        for power in read_powers(statute, classifier):
            yield power.to_dict()


def read_powers(statute: Statute, classifier: Classifier, chosen: Sequence[bool] | None = None) -> list[Power]:
    """The 款 of one statute as Powers, in order; with `chosen` (one flag per 款), only the chosen 款 are classified
    and the others are Powers with nothing read (an amendment classifies only the articles that changed)."""
    provisions = statute.provisions
    chosen = [True] * len(provisions) if chosen is None else chosen
    read = iter(classifier.read([provision.text for provision, keep in zip(provisions, chosen, strict=True) if keep]))
    criminal = criminal_by_reference(provisions)
    powers = []
    for index, (provision, keep) in enumerate(zip(provisions, chosen, strict=True)):
        if not keep:
            powers.append(Power(provision))
            continue
        row, acting = next(read)
        labels = [] if index in criminal else classifier.predicted(row)
        powers.append(read_power(provision, labels, acting and index not in criminal))
    return powers


def criminal_by_reference(provisions: Sequence[Provision]) -> set[int]:
    """The 款 whose only sanction is taken from 款 that are all criminal liability (刑法: 犯前款罪的，依照前款的
    规定处罚), by index: criminal liability too, so no category, as the 款 they refer to get none
    (`criminal_sentence`)."""
    where = {id(provision): index for index, provision in enumerate(provisions)}
    criminal = {index for index, provision in enumerate(provisions) if criminal_sentence(provision.text)}
    referring = [index for index, provision in enumerate(provisions) if sanction_by_reference(provision.text)]
    found: set[int] = set()
    while True:  # a 款 may refer to one that is criminal only by reference (依照前两款的规定处罚)
        known = criminal | found
        new = {
            index
            for index in referring
            if index not in found
            and (referents := sanction_referents(provisions, index))
            and all(where[id(referent)] in known for referent in referents)
        }
        if not new:
            return found
        found |= new


def read_power(provision: Provision, categories: list[dict[str, Any]], acting: bool) -> Power:
    """What one 款 says, given the categories it carries and whether it is power-like enough to name bodies."""
    labels = tuple((str(item["label"]), float(item["score"])) for item in categories)
    subjects, findings = read_unit(provision.text, [label for label, _ in labels], acting)
    return Power(provision, labels, subjects, findings.ranges, findings.measures, findings.warnings)


Bodies = Callable[[str], tuple[Span, ...]]
"""What reads the acting bodies of a 款: the shipped mention model (`find_acting`), or the rules alone."""


def read_unit(text: str, labels: Sequence[str], acting: bool, bodies: Bodies = find_acting
              ) -> tuple[tuple[Span, ...], PenaltyFindings]:
    """The acting bodies of a power-like unit, and the sanctions of one that carries 行政处罚."""
    subjects = bodies(text) if acting or labels else ()
    return subjects, find_penalties(text) if PENALTY in labels else PenaltyFindings()


def annotate(units: Sequence[Annotation], classifier: Classifier, bodies: Bodies = find_acting) -> list[Annotation]:
    """Units (gold ones, say) labelled as `powers extract` would label them, for `evaluate`."""
    criminal = _criminal_units(units)
    labelled = []
    for index, (unit, (row, acting)) in enumerate(zip(units, classifier.read([unit.text for unit in units]),
                                                        strict=True)):
        if index in criminal:
            row, acting = dict.fromkeys(CATEGORIES, 0.0), False
        classified = classifier.labelled(unit, row)
        subjects, findings = read_unit(unit.text, classified.categories, acting, bodies)
        penalties = tuple(found.penalty for found in findings.ranges)
        labelled.append(replace(classified, subjects=subjects, penalties=penalties))
    return labelled


def _criminal_units(units: Sequence[Annotation]) -> set[int]:
    """`criminal_by_reference` over each statute's units (by file, in order), as indices into `units`."""
    by_file: dict[str | None, list[int]] = {}
    for index, unit in enumerate(units):
        by_file.setdefault(unit.file, []).append(index)
    found: set[int] = set()
    for indices in by_file.values():
        provisions = [_as_provision(units[index]) for index in indices]
        found |= {indices[position] for position in criminal_by_reference(provisions)}
    return found


def _as_provision(unit: Annotation) -> Provision:
    """A gold unit as the Provision it was cut as, with what reference resolution reads: number, label, text."""
    return Provision(
        source=unit.file or "", title="", article=unit.article or 0, article_label=unit.article_label or "",
        paragraph=unit.paragraph or 0, citation=unit.citation, chapters=(), items=(), text=unit.text, start=0,
        end=len(unit.text), line=0,
    )


def as_annotation(record: dict[str, Any]) -> Annotation:
    """An extract record as the labels it predicts (scores only for the predicted categories)."""
    categories = record.get("categories") or []
    return Annotation(
        citation=record["citation"],
        text=record["text"],
        file=Path(record["source"]).name if record.get("source") else record.get("file"),
        article=record.get("article"),
        article_label=record.get("article_label"),
        paragraph=record.get("paragraph"),
        categories=tuple(item["label"] for item in categories),
        scores={item["label"]: float(item["score"]) for item in categories},
        subjects=tuple(Span(span["text"], span["start"], span["end"]) for span in record.get("subjects") or ()),
        penalties=tuple(
            Penalty(**{key: penalty.get(key) for key in PENALTY_KEYS}) for penalty in record.get("penalties") or ()
        ),
    )
