"""Provision → power: the 款 records of the segmentation with the categories a classifier gives them.

A record keeps every field of `powers segment` and adds `categories`, the predicted labels only, each
with its score, in the guidelines' order. Reading such records back gives Annotations for scoring.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pipeline.classify import Classifier
from pipeline.models import Annotation, Penalty, Span, Statute


def extract(statutes: Iterable[Statute], classifier: Classifier) -> Iterator[dict[str, Any]]:
    """One record per 款, statute by statute (each statute is one batch for the model)."""
    for statute in statutes:
        scores = classifier.classify([provision.text for provision in statute.provisions])
        for provision, row in zip(statute.provisions, scores, strict=True):
            record = provision.to_dict()
            record["categories"] = classifier.predicted(row)
            yield record


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
        subjects=tuple(Span(**span) for span in record.get("subjects") or ()),
        penalties=tuple(Penalty(**penalty) for penalty in record.get("penalties") or ()),
    )
