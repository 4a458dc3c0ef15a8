"""Two versions of one statute → their articles aligned: same, modified, renumbered, split, merged, added, deleted.

Articles are matched on their text, never on their numbers, so that a revision which inserts chapters (行政复议法
2017 → 2023 moves almost every article) aligns as well as one that edits a few words. Which articles carry the same
provision is decided in `pipeline/link.py` (the evidence of characters, sentences, 款 and place, weighed by a model
trained on hand-checked pairs). The links decide the relation as a reviewer names it: an old article linked to
several new ones was split (every piece), a new article linked to several old ones merged them, one to one is the
same article or a modified one. The rest was added or deleted.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.lines import ARTICLE, to_chinese, to_number
from pipeline.link import Evidence, LinkModel, links, load_link_model
from pipeline.models import ArticlePair, Provision, Relation, Statute

SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Article:
    """One article of a version: its number, canonical label, 款 and the text it is compared on."""

    number: int
    label: str
    provisions: tuple[Provision, ...]

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The article's 款 in simplified script without whitespace, as compared."""
        return tuple(SPACE.sub("", p.text_simplified or p.text) for p in self.provisions)

    @property
    def text(self) -> str:
        """The article's text as compared and diffed."""
        return "".join(self.paragraphs)


def articles(statute: Statute) -> list[Article]:
    """The statute's articles in order, each with its 款; the label is canonical (第四十五条, 第十条之一)."""
    grouped: dict[str, list[Provision]] = {}
    numbers: dict[str, int] = {}
    for provision in statute.provisions:
        label = canonical_label(provision.article_label)
        grouped.setdefault(label, []).append(provision)
        numbers[label] = provision.article
    return [Article(numbers[label], label, tuple(group)) for label, group in grouped.items()]


def canonical_label(label: str) -> str:
    """第45条 or 第四十五条 → 第四十五条; 第十条之一 keeps its suffix."""
    match = ARTICLE.match(label)
    if match is None:
        return label
    suffix = f"之{to_chinese(to_number(match.group(2)))}" if match.group(2) else ""
    return f"第{to_chinese(to_number(match.group(1)))}条{suffix}"


def align(old: Statute, new: Statute) -> list[ArticlePair]:
    """Every article of `old` and of `new` in at least one pair, in the new version's order (deleted ones where
    they stood in the old)."""
    return align_articles(articles(old), articles(new))


def align_articles(old: Sequence[Article], new: Sequence[Article], model: LinkModel | None = None) -> list[ArticlePair]:
    """Every article in at least one pair; the links are the model's (default: the shipped one, models/aligner)."""
    if not old or not new:
        return [_one_sided(article, "deleted") for article in old] + [_one_sided(article, "added") for article in new]
    edges, evidence = links([a.paragraphs for a in old], [a.paragraphs for a in new], model or load_link_model())
    return relate(old, new, edges, evidence)


def relate(old: Sequence[Article], new: Sequence[Article], edges: set[tuple[int, int]],
           evidence: Evidence) -> list[ArticlePair]:
    """The links (old index, new index) as pairs named as a reviewer names them, one-sided pairs for the rest."""
    old_degree = Counter(i for i, _ in edges)
    new_degree = Counter(j for _, j in edges)
    pairs: list[tuple[int | None, int | None, Relation, float]] = []
    for i, j in edges:
        relation: Relation = (
            "split" if old_degree[i] > 1 else "merged" if new_degree[j] > 1
            else "same" if old[i].text == new[j].text else "modified"
        )
        pairs.append((i, j, relation, float(evidence.dice[i, j])))
    pairs += [(i, None, "deleted", 0.0) for i in range(len(old)) if i not in old_degree]
    pairs += [(None, j, "added", 0.0) for j in range(len(new)) if j not in new_degree]
    pairs.sort(key=lambda pair: _order(pair[0], pair[1], evidence.match))
    return [
        ArticlePair(
            old[i].number if i is not None else None,
            new[j].number if j is not None else None,
            old[i].label if i is not None else None,
            new[j].label if j is not None else None,
            relation,
            round(similarity, 3),
        )
        for i, j, relation, similarity in pairs
    ]


def diff(old_text: str, new_text: str) -> list[tuple[str, str]]:
    """A character diff as (op, text) runs: op is '=', '-' (only in the old text) or '+' (only in the new)."""
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old_text, new_text, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("=", old_text[i1:i2]))
            continue
        if i2 > i1:
            runs.append(("-", old_text[i1:i2]))
        if j2 > j1:
            runs.append(("+", new_text[j1:j2]))
    return runs


def _order(i: int | None, j: int | None, match: dict[int, int]) -> tuple[float, float]:
    """New-version order; a deleted article sorts just after the new article its old predecessor went to."""
    if j is not None:
        return (j, i if i is not None else -1)
    before = [match[k] for k in match if i is not None and k < i]
    return (max(before, default=-1) + 0.5, i if i is not None else -1)


def _one_sided(article: Article, relation: Relation) -> ArticlePair:
    old = relation == "deleted"
    return ArticlePair(
        article.number if old else None, None if old else article.number,
        article.label if old else None, None if old else article.label, relation, 0.0,
    )


def agreement(
    predicted: Sequence[ArticlePair], checked: Sequence[tuple[int | None, int | None, str]]
) -> dict[str, float]:
    """How well an alignment reproduces a hand-checked one: rows are (old, new, relation) and count only when all
    three agree. `accuracy` is the share of all rows of either (|both| / |either|), `recall` of the checked rows,
    `precision` of the predicted rows."""
    ours = {(pair.old_article, pair.new_article, pair.relation) for pair in predicted}
    theirs = set(checked)
    both, either = len(ours & theirs), len(ours | theirs)
    return {
        "accuracy": both / max(either, 1),
        "precision": both / max(len(ours), 1),
        "recall": both / max(len(theirs), 1),
        "rows": len(theirs),
        "right": both,
        "either": either,
    }
