"""Two versions of one statute → their articles aligned: same, modified, renumbered, split, merged, added, deleted.

Articles are matched on their text, never on their numbers, so that a revision which inserts chapters (行政复议法
2017 → 2023 moves almost every article) aligns as well as one that edits a few words. Each article is a bag of
character bigrams; two articles score the Dice coefficient of their bags. One global assignment (scipy's
linear_sum_assignment) pairs each old article with at most one new one; a faint preference for the same relative
position only breaks ties between near-identical articles (施行 clauses, 由…规定 referrals). What the assignment leaves
over is then tested for containment: a new article most of whose bigrams sit in an old article that another new
article already took is a piece of it (split); an old article most of whose bigrams sit in a new one is merged into
it. A rewrite can change an article too much for either test and still move its sentences: so an article left over
is also a piece of the article of the other version its sentences mostly come from, sentence matched to sentence.
The rest was added or deleted.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.feature_extraction.text import CountVectorizer

from pipeline.lines import ARTICLE, to_chinese, to_number
from pipeline.models import ArticlePair, Provision, Relation, Statute

MATCH = 0.3
"""The least Dice similarity at which two articles are one article in two versions (below it: deleted + added)."""
CONTAINED = 0.6
"""The share of an article's bigrams that must sit in another for it to be a piece of it (split) or merged into it."""
COVERED = 0.8
"""An old article whose match already holds this share of its bigrams was not split: its rest is boilerplate."""
MIN_BIGRAMS = 8
"""Shorter articles (本法自…起施行) are too generic to be called a piece of another."""
DRAWN = 0.5
"""The share of an unmatched article's bigrams that must come (sentence by sentence) from one article of the other
version for it to be a piece of that article (for an old article, counted in the new sentences it became)."""
SENTENCE_MATCH = 0.5
"""The least Dice at which a new sentence is an old one rewritten."""
SENTENCE = re.compile(r"[^。；]+[。；]?")
POSITION = 0.02
"""Weight of the relative-position prior: enough to break ties, too little to override text."""
SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Article:
    """One article of a version: its number, canonical label, 款 and the text it is compared on."""

    number: int
    label: str
    provisions: tuple[Provision, ...]

    @property
    def text(self) -> str:
        """The article's 款 in simplified script without whitespace, as compared and diffed."""
        return SPACE.sub("", "".join(p.text_simplified or p.text for p in self.provisions))


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


def align_articles(old: Sequence[Article], new: Sequence[Article]) -> list[ArticlePair]:
    if not old or not new:
        return [_one_sided(article, "deleted") for article in old] + [_one_sided(article, "added") for article in new]
    shared, sizes_old, sizes_new = _bigram_overlap([a.text for a in old], [a.text for a in new])
    dice = 2 * shared / np.maximum(sizes_old[:, None] + sizes_new[None, :], 1)
    position = np.abs(np.linspace(0, 1, len(old))[:, None] - np.linspace(0, 1, len(new))[None, :])
    rows, columns = linear_sum_assignment(-(dice - POSITION * position))
    match = {int(i): int(j) for i, j in zip(rows, columns, strict=True) if dice[i, j] >= MATCH}
    matched_new = set(match.values())
    pieces: list[tuple[int, int, Relation]] = []
    links = _sentence_links([a.text for a in old], [a.text for a in new])
    for j in range(len(new)):
        if j in matched_new or sizes_new[j] < MIN_BIGRAMS:
            continue
        i = int(np.argmax(shared[:, j]))
        if i in match and shared[i, j] >= CONTAINED * sizes_new[j] and shared[i, match[i]] < COVERED * sizes_old[i]:
            pieces.append((i, j, "split"))
            continue
        i = int(np.argmax(links[:, j]))
        if links[i, j] >= DRAWN * sizes_new[j] and sizes_old[i] >= MIN_BIGRAMS:
            pieces.append((i, j, "split"))
    pieced_old = {i for i, _, _ in pieces}
    for i in range(len(old)):
        if i in match or i in pieced_old or sizes_old[i] < MIN_BIGRAMS:
            continue
        j = int(np.argmax(shared[i, :]))
        if j in matched_new and shared[i, j] >= CONTAINED * sizes_old[i]:
            pieces.append((i, j, "merged"))
            continue
        j = int(np.argmax(links[i, :]))
        if j in matched_new and links[i, j] >= DRAWN * sizes_old[i]:
            pieces.append((i, j, "merged"))
    split_old = {i for i, _, relation in pieces if relation == "split"}
    merged_new = {j for _, j, relation in pieces if relation == "merged"}
    pairs: list[tuple[int | None, int | None, Relation, float]] = []
    for i, j in match.items():
        relation: Relation = (
            "split" if i in split_old else "merged" if j in merged_new
            else "same" if old[i].text == new[j].text else "modified"
        )
        pairs.append((i, j, relation, float(dice[i, j])))
    pairs += [(i, j, relation, float(dice[i, j])) for i, j, relation in pieces]
    paired_old = {i for i, _, _, _ in pairs}
    paired_new = {j for _, j, _, _ in pairs}
    pairs += [(i, None, "deleted", 0.0) for i in range(len(old)) if i not in paired_old]
    pairs += [(None, j, "added", 0.0) for j in range(len(new)) if j not in paired_new]
    pairs.sort(key=lambda pair: _order(pair[0], pair[1], match))
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


def _bigram_overlap(old: list[str], new: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """How many distinct bigrams each old article shares with each new one, and how many each has."""
    vectorizer = CountVectorizer(analyzer="char", ngram_range=(2, 2), binary=True, lowercase=False)
    matrix = vectorizer.fit_transform([*old, *new])
    left, right = matrix[: len(old)], matrix[len(old) :]
    shared = (left @ right.T).toarray().astype(float)
    return shared, np.asarray(left.sum(axis=1)).ravel(), np.asarray(right.sum(axis=1)).ravel()


def _sentence_links(old: list[str], new: list[str]) -> np.ndarray:
    """links[i, j]: how many bigrams of new article j lie in sentences rewritten from sentences of old article i.

    A rewrite that moves sentences between articles (行政复议法 2023 spread 2017's 第十条 over four articles) leaves
    each whole article too changed to match, but its sentences still find their old selves: each new sentence
    goes to its most similar old sentence when their Dice reaches SENTENCE_MATCH."""
    old_sentences = [(i, s) for i, text in enumerate(old) for s in SENTENCE.findall(text)]
    new_sentences = [(j, s) for j, text in enumerate(new) for s in SENTENCE.findall(text)]
    links = np.zeros((len(old), len(new)))
    if not old_sentences or not new_sentences:
        return links
    shared, sizes_old, sizes_new = _bigram_overlap([s for _, s in old_sentences], [s for _, s in new_sentences])
    dice = 2 * shared / np.maximum(sizes_old[:, None] + sizes_new[None, :], 1)
    best = np.argmax(dice, axis=0)
    sources = (dice >= SENTENCE_MATCH).sum(axis=0)
    for column, (j, _) in enumerate(new_sentences):
        if sources[column] == 1:  # several: a formula the statute repeats (…依法追究刑事责任), no evidence of a move
            links[old_sentences[best[column]][0], j] += sizes_new[column]
    return links


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
    both = len(ours & theirs)
    return {
        "accuracy": both / max(len(ours | theirs), 1),
        "precision": both / max(len(ours), 1),
        "recall": both / max(len(theirs), 1),
        "rows": len(theirs),
    }
