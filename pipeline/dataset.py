"""Training and evaluation data as `datasets` datasets, built from 款 records and gold, for every model.

The sklearn and the transformer models read the same columns: `text`, `labels` (one 0/1 per category
in CATEGORIES order), `weight`, `statute` and `citation`. Statutes of the dev and test splits are kept
out of corpus data by name, every version of them, so that no score is measured on text a model saw.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from datasets import Dataset

from pipeline.find import find_statutes
from pipeline.models import CATEGORIES, Annotation, Diagnostic, StatuteError
from pipeline.segment import read_statute

VERSION_DATE = re.compile(r"[（(]\d{4}-\d{2}-\d{2}[)）]$")


def statute_name(file: str) -> str:
    """The name that all versions of a statute share: the file name without its suffix and version date."""
    return VERSION_DATE.sub("", Path(file).stem)


def corpus_units(root: Path, exclude: set[str]) -> Iterator[dict[str, str]]:
    """Every 款 of the statutes under `root` whose name is not in `exclude`; unreadable files are skipped."""
    problems: list[Diagnostic] = []
    for path, _ in find_statutes([str(root)], problems):
        if statute_name(path.name) in exclude:
            continue
        try:
            statute = read_statute(path)
        except StatuteError:
            continue
        for provision in statute.provisions:
            yield {"statute": path.name, "citation": provision.citation, "text": provision.text}


def multi_hot(categories: Iterable[str]) -> list[float]:
    given = set(categories)
    return [1.0 if category in given else 0.0 for category in CATEGORIES]


def labelled_dataset(annotations: Sequence[Annotation], weight: float = 1.0) -> Dataset:
    """Gold or weakly labelled units as the models' training and evaluation table; `names_body` is whether the unit
    names its acting body (gold subjects), which the linear model's subject gate learns."""
    return Dataset.from_dict(
        {
            "text": [a.text for a in annotations],
            "labels": [multi_hot(a.categories) for a in annotations],
            "names_body": [1.0 if a.subjects else 0.0 for a in annotations],
            "weight": [weight] * len(annotations),
            "statute": [a.file or "" for a in annotations],
            "citation": [a.citation for a in annotations],
        }
    )
