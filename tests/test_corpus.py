"""Every statute of the shared corpus segments, and every offset round-trips (skipped without ../shared)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import jsonschema
import pytest
from conftest import PROVISION_SCHEMA

from pipeline.find import find_statutes
from pipeline.models import Diagnostic, StatuteError
from pipeline.segment import read_statute

# Documents in the corpus with no 第…条 at all: court cases, judicial interpretations numbered 一、二、,
# 刑法修正案 and NPC decisions written as numbered points, four local files whose body is empty.
DOCUMENTS_WITHOUT_ARTICLES = 154


@pytest.mark.corpus
def test_every_statute_segments_and_its_offsets_round_trip(shared_corpus: Path) -> None:
    validator = jsonschema.Draft202012Validator(PROVISION_SCHEMA)
    problems: list[Diagnostic] = []
    without_articles: Counter[str] = Counter()
    files = provisions = 0
    for path, name in find_statutes([str(shared_corpus)], problems):
        files += 1
        try:
            result = read_statute(path, name)
        except StatuteError as error:
            assert "no article (第…条) found" in error.diagnostic.message, str(error)
            without_articles[path.relative_to(shared_corpus).parts[0]] += 1
            continue
        text = result.source.text
        for provision in result.provisions:
            assert text[provision.start:provision.end] == provision.text, provision.citation
            for item in provision.items:
                assert text[item.start:item.end] == item.text, provision.citation
            validator.validate(provision.to_dict())
        provisions += len(result.provisions)
        assert all(d.level == "warning" for d in result.diagnostics)
    assert not problems
    assert files >= 3400 and provisions >= 230_000
    assert sum(without_articles.values()) == DOCUMENTS_WITHOUT_ARTICLES, without_articles
