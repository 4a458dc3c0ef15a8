"""Segmentation agrees with a hand count of twelve statutes of the shared corpus.

The counts in data/hand_counts.json were made by a second annotator reading the files, without
the segmenter; `notes` records how each unclear place was decided, `deviation` the two places
where the segmenter reads a line differently and why.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import statute

from pipeline.segment import read_statute

HAND_COUNTS = json.loads((Path(__file__).parent / "data" / "hand_counts.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("expected", HAND_COUNTS, ids=[Path(e["file"]).stem for e in HAND_COUNTS])
def test_counts_match_the_hand_count(expected: dict) -> None:
    provisions = read_statute(statute(expected["file"])).provisions
    articles: dict[str, list[int]] = {}
    for provision in provisions:
        articles.setdefault(provision.article_label, []).append(len(provision.items))

    assert len(articles) == expected["articles"]
    assert (provisions[0].article_label, provisions[-1].article_label) == (expected["first"], expected["last"])
    assert len(provisions) == expected["paragraphs"]
    for label, items in expected["items_per_paragraph"].items():
        assert articles[label] == items, label
