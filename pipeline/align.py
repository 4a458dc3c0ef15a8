"""Two versions of one statute → their articles aligned: same, modified, renumbered, split, merged, added, deleted.

Articles are matched on their text, never on their numbers, so that a revision which inserts chapters (行政复议法
2017 → 2023 moves almost every article) aligns as well as one that edits a few words. Each article is a bag of
character bigrams; two articles score the Dice coefficient of their bags. One global assignment (scipy's
linear_sum_assignment) pairs each old article with at most one new one; a faint preference for the same relative
position only breaks ties between near-identical articles (施行 clauses, 由…规定 referrals). What the assignment leaves
over is then tested for containment: a new article most of whose bigrams sit in an old article that another new
article already took is a piece of it; an old article most of whose bigrams sit in a new one went into it. A rewrite
can change an article too much for either test and still move its sentences: so an article left over is also linked
to each article of the other version that at least PART of its text (or of that article's) moved to or from,
sentence matched to sentence; two articles both matched elsewhere are linked so only when they are also as alike
as a match (a sentence moved out of one article into the continuation of another). Last, place: where the articles
kept in order on both sides leave a gap of one or two articles linked to nothing on each side, those are paired at a
lower similarity (a provision rewritten where it stood). The links decide the relation
as a reviewer names it: an old article linked to several new ones was split (every piece), a new article linked to
several old ones merged them, one to one is the same article or a modified one. The rest was added or deleted.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

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
PART = 0.3
"""The share of an unmatched article's bigrams (or of those of the article it is linked to) that must have moved
sentence by sentence between the two for them to be pieces of one provision."""
SENTENCE_MATCH = 0.5
"""The least Dice at which a new sentence is an old one rewritten."""
SENTENCE = re.compile(r"[^。；]+[。；]?")
POSITION = 0.02
"""Weight of the relative-position prior: enough to break ties, too little to override text."""
GAP_MATCH = 0.15
"""The least Dice at which two articles left over between the same two anchors (articles matched in order on both
sides) are one article rewritten: their place in the text is the evidence the lower similarity lacks."""
GAP_SIZE = 2
"""At most this many articles left over on each side of a gap: in a wider one, place no longer says which is which
(of the hand-checked pairs' gap pairs, 8 of 8 were right in gaps of one or two, 7 of 18 wrong in wider ones)."""
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
    edges = set(match.items())
    for j in set(range(len(new))) - matched_new:  # most of a new article inside a matched old one: a piece of it
        i = int(np.argmax(shared[:, j]))
        if (sizes_new[j] >= MIN_BIGRAMS and i in match and shared[i, j] >= CONTAINED * sizes_new[j]
                and shared[i, match[i]] < COVERED * sizes_old[i]):
            edges.add((i, j))
    for i in set(range(len(old))) - set(match):  # most of an old article inside a matched new one: merged into it
        j = int(np.argmax(shared[i, :]))
        if sizes_old[i] >= MIN_BIGRAMS and j in matched_new and shared[i, j] >= CONTAINED * sizes_old[i]:
            edges.add((i, j))
    drawn, sent = _sentence_flows([a.text for a in old], [a.text for a in new])
    unmatched = ~np.isin(np.arange(len(old)), list(match))[:, None] | ~np.isin(np.arange(len(new)), list(matched_new))
    large = (sizes_old[:, None] >= MIN_BIGRAMS) & (sizes_new[None, :] >= MIN_BIGRAMS)
    # Between two articles the assignment both matched elsewhere, moved sentences link them only when the articles are
    # also as alike as a match: a sentence of a rewritten formula (按照职责分工，负责…) can move into an unrelated one.
    flowed = (drawn >= PART * sizes_new[None, :]) | (sent >= PART * sizes_old[:, None])
    moved = (unmatched | (dice >= MATCH)) & large & flowed
    edges |= {(int(i), int(j)) for i, j in zip(*np.nonzero(moved), strict=True)}
    edges |= _gap_pairs(dice, edges, _in_order(edges, match), large)
    old_degree = Counter(i for i, _ in edges)
    new_degree = Counter(j for _, j in edges)
    pairs: list[tuple[int | None, int | None, Relation, float]] = []
    for i, j in edges:
        relation: Relation = (
            "split" if old_degree[i] > 1 else "merged" if new_degree[j] > 1
            else "same" if old[i].text == new[j].text else "modified"
        )
        pairs.append((i, j, relation, float(dice[i, j])))
    pairs += [(i, None, "deleted", 0.0) for i in range(len(old)) if i not in old_degree]
    pairs += [(None, j, "added", 0.0) for j in range(len(new)) if j not in new_degree]
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


def _in_order(edges: set[tuple[int, int]], match: dict[int, int]) -> list[tuple[int, int]]:
    """The longest chain of one-to-one matches in the same order in both versions: the anchors a revision kept in
    place (a moved article is not one)."""
    old_degree, new_degree = Counter(i for i, _ in edges), Counter(j for _, j in edges)
    pairs = sorted((i, j) for i, j in match.items() if old_degree[i] == new_degree[j] == 1)
    tails: list[int] = []  # tails[k]: the least new index that ends a chain of k + 1 pairs
    ends: list[int] = []  # ends[k]: which pair that is
    before: list[int | None] = []  # the pair ahead of each pair in its chain
    for index, (_, j) in enumerate(pairs):
        length = bisect_left(tails, j)
        tails[length:length + 1], ends[length:length + 1] = [j], [index]
        before.append(ends[length - 1] if length else None)
    chain, at = [], ends[-1] if ends else None
    while at is not None:
        chain.append(pairs[at])
        at = before[at]
    return chain[::-1]


def _gap_pairs(dice: np.ndarray, edges: set[tuple[int, int]], anchors: list[tuple[int, int]],
               large: np.ndarray) -> set[tuple[int, int]]:
    """Articles linked to nothing that lie between the same two anchors in both versions, at most GAP_SIZE on each
    side, paired by one assignment within each gap where their Dice reaches GAP_MATCH (a provision rewritten in
    place: 职业教育法 1996 → 2022, 第十二条 → 第十四条 at 0.28)."""
    linked_old, linked_new = {i for i, _ in edges}, {j for _, j in edges}
    bounds = [(-1, -1), *anchors, dice.shape]
    found = set()
    for (first_old, first_new), (last_old, last_new) in pairwise(bounds):
        rows = [i for i in range(first_old + 1, last_old) if i not in linked_old]
        columns = [j for j in range(first_new + 1, last_new) if j not in linked_new]
        if not rows or not columns or max(len(rows), len(columns)) > GAP_SIZE:
            continue
        within = dice[np.ix_(rows, columns)]
        for row, column in zip(*linear_sum_assignment(-within), strict=True):
            i, j = rows[row], columns[column]
            if within[row, column] >= GAP_MATCH and large[i, j]:
                found.add((i, j))
    return found


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


def _sentence_flows(old: list[str], new: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """drawn[i, j]: how many bigrams of new article j lie in sentences rewritten from old article i's; sent[i, j]: how
    many bigrams of old article i lie in sentences that went on into new article j.

    Two sentences are one rewritten when their Dice reaches SENTENCE_MATCH and neither comes that close to any other
    sentence of the other version: a sentence with several such partners is a formula the statute repeats
    (…依法追究刑事责任) or a pattern its penalty articles share, no evidence of a move."""
    old_sentences = [(i, s) for i, text in enumerate(old) for s in SENTENCE.findall(text)]
    new_sentences = [(j, s) for j, text in enumerate(new) for s in SENTENCE.findall(text)]
    drawn, sent = np.zeros((len(old), len(new))), np.zeros((len(old), len(new)))
    if not old_sentences or not new_sentences:
        return drawn, sent
    shared, sizes_old, sizes_new = _bigram_overlap([s for _, s in old_sentences], [s for _, s in new_sentences])
    dice = 2 * shared / np.maximum(sizes_old[:, None] + sizes_new[None, :], 1)
    close = dice >= SENTENCE_MATCH
    alone = close & (close.sum(axis=0) == 1)[None, :] & (close.sum(axis=1) == 1)[:, None]
    for row, column in zip(*np.nonzero(alone), strict=True):
        drawn[old_sentences[row][0], new_sentences[column][0]] += sizes_new[column]
        sent[old_sentences[row][0], new_sentences[column][0]] += sizes_old[row]
    return drawn, sent


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
