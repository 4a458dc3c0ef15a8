"""Which articles of two versions of a statute carry the same provision: the evidence, and the model that weighs it.

The text gives several kinds of evidence, none enough alone. Character bigrams (Dice, how much of each article lies
in the other, TF-IDF cosine), jieba words (TF-IDF cosine), one global assignment that pairs each old article with at
most one new one, sentences and 款 rewritten from one article into another, and place (two articles between the same
two order-keeping anchors).
The rules of `rule_links` turn that evidence into links by thresholds; a logistic regression trained on
hand-checked version pairs (`annotations/alignments/`) weighs the same evidence, the rules' verdict among it, for
every candidate pair, and decides. Articles are given as their 款 texts, so this module knows nothing of statutes.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from pipeline.linear import words
from pipeline.write import atomic_open

MODEL = Path(__file__).resolve().parent.parent / "models" / "aligner" / "model.json"

MATCH = 0.3
"""The least Dice similarity at which the rules call two articles one article in two versions."""
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
"""The least Dice at which two articles left over between the same two anchors are one article rewritten."""
GAP_SIZE = 2
"""At most this many articles left over on each side of a gap: in a wider one, place no longer says which is which
(of the first twelve hand-checked pairs' gap pairs, 8 of 8 were right in gaps of one or two, 7 of 18 wrong in wider
ones)."""
PARAGRAPH_MATCH = 0.2
"""The least Dice at which a 款's closest 款 in the other version counts as where it went (or came from)."""
NEAREST = 3
"""Candidates: each article's few most alike articles of the other version, by Dice."""
LEAST_DICE = 0.08
"""Below this Dice two articles share little more than the statute's common words: never a candidate."""

FEATURES = (
    "dice", "share_of_old", "share_of_new", "bigram_cosine", "rank_in_old_row", "rank_in_new_column",
    "cosine_rank_in_old_row", "cosine_rank_in_new_column", "margin_over_old_row", "margin_over_new_column",
    "assigned", "rule_link", "drawn_sentences", "sent_sentences", "position_gap", "same_gap",
    "old_assigned_elsewhere", "new_assigned_elsewhere", "rest_of_old_in_new", "rest_of_new_in_old",
    "old_covered_by_its_match", "new_covered_by_its_match", "log_old_bigrams", "log_new_bigrams",
    "old_paragraphs_going_to_new", "new_paragraphs_coming_from_old", "best_paragraph_dice", "word_cosine",
)
"""What the model weighs for each candidate pair (old article i, new article j); see `Evidence.features`."""

Article = Sequence[str]
"""An article as its 款 texts, simplified script without whitespace."""


@dataclass(frozen=True)
class Evidence:
    """What the texts of two versions say about every pair of articles, and the rules' links."""

    dice: np.ndarray  # [old article, new article]: Dice of their bigram sets
    shared: np.ndarray  # how many bigrams they share
    sizes_old: np.ndarray  # how many bigrams each old article has
    sizes_new: np.ndarray
    match: dict[int, int]  # the global assignment's pairs (Dice ≥ MATCH)
    rules: frozenset[tuple[int, int]]  # the links `rule_links` draws
    drawn: np.ndarray  # see _sentence_flows
    sent: np.ndarray
    anchors: tuple[tuple[int, int], ...]  # one-to-one links kept in order on both sides
    bigram_cosine: np.ndarray  # TF-IDF cosine over character bigrams
    word_cosine: np.ndarray  # TF-IDF cosine over jieba words
    paragraphs_out: np.ndarray  # see _paragraph_flows
    paragraphs_in: np.ndarray
    best_paragraph: np.ndarray
    bigrams_old: tuple[frozenset[str], ...]
    bigrams_new: tuple[frozenset[str], ...]

    def candidates(self) -> list[tuple[int, int]]:
        """The rules' links and each article's NEAREST most alike articles on the other side, above LEAST_DICE."""
        found = set(self.rules)
        found |= {(i, int(j)) for i, row in enumerate(self.dice) for j in np.argsort(-row)[:NEAREST]}
        found |= {(int(i), j) for j, column in enumerate(self.dice.T) for i in np.argsort(-column)[:NEAREST]}
        return sorted((i, j) for i, j in found if self.dice[i, j] >= LEAST_DICE)

    def features(self, pairs: Sequence[tuple[int, int]]) -> np.ndarray:
        """One row of FEATURES per pair."""
        dice, shared = self.dice, self.shared
        rank_row, rank_column = _ranks(dice)
        cosine_row, cosine_column = _ranks(self.bigram_cosine)
        assigned_to = {j: i for i, j in self.match.items()}
        gaps_old = [bisect_left([a for a, _ in self.anchors], i) for i in range(dice.shape[0])]
        gaps_new = [bisect_left([b for _, b in self.anchors], j) for j in range(dice.shape[1])]
        position = _position(*dice.shape)
        rows = []
        for i, j in pairs:
            size_old, size_new = max(self.sizes_old[i], 1), max(self.sizes_new[j], 1)
            mate_of_old, mate_of_new = self.match.get(i, j), assigned_to.get(j, i)
            # what of each article its own match elsewhere does not hold: the piece that may have come here
            old_bigrams, new_bigrams = self.bigrams_old[i], self.bigrams_new[j]
            rest_of_old = old_bigrams - self.bigrams_new[mate_of_old] if mate_of_old != j else old_bigrams
            rest_of_new = new_bigrams - self.bigrams_old[mate_of_new] if mate_of_new != i else new_bigrams
            rows.append([
                dice[i, j], shared[i, j] / size_old, shared[i, j] / size_new, self.bigram_cosine[i, j],
                min(rank_row[i, j], NEAREST), min(rank_column[i, j], NEAREST),
                min(cosine_row[i, j], NEAREST), min(cosine_column[i, j], NEAREST),
                dice[i, j] - _best_other(dice[i, :], j), dice[i, j] - _best_other(dice[:, j], i),
                float(self.match.get(i) == j), float((i, j) in self.rules),
                self.drawn[i, j] / size_new, self.sent[i, j] / size_old, position[i, j],
                float(gaps_old[i] == gaps_new[j]), float(mate_of_old != j), float(mate_of_new != i),
                len(new_bigrams & rest_of_old) / size_new, len(old_bigrams & rest_of_new) / size_old,
                shared[i, mate_of_old] / size_old if mate_of_old != j else 0.0,
                shared[mate_of_new, j] / size_new if mate_of_new != i else 0.0,
                np.log1p(self.sizes_old[i]), np.log1p(self.sizes_new[j]),
                self.paragraphs_out[i, j], self.paragraphs_in[i, j], self.best_paragraph[i, j],
                self.word_cosine[i, j],
            ])
        return np.array(rows, dtype=float).reshape(len(pairs), len(FEATURES))


@dataclass(frozen=True)
class LinkModel:
    """A logistic regression over standardised FEATURES, shipped as its arithmetic (no scikit-learn at run time)."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float

    def probabilities(self, matrix: np.ndarray) -> np.ndarray:
        z = (matrix - np.array(self.mean)) / np.array(self.scale) @ np.array(self.coef) + self.intercept
        return 1 / (1 + np.exp(-z))

    def save(self, path: Path) -> None:
        with atomic_open(path) as handle:
            json.dump(asdict(self), handle, indent=2)


def load_link_model(path: Path = MODEL) -> LinkModel:
    """The model in `path`; its features must be this code's FEATURES (else: retrain, `powers train aligner`)."""
    return _load(path.resolve())


@cache
def _load(path: Path) -> LinkModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    model = LinkModel(**{key: tuple(value) if isinstance(value, list) else value for key, value in data.items()})
    if model.features != FEATURES:
        raise ValueError(f"{path}: trained on other features than pipeline/link.py computes; "
                         "retrain it with `powers train aligner`")
    return model


def links(old: Sequence[Article], new: Sequence[Article], model: LinkModel) -> tuple[set[tuple[int, int]], Evidence]:
    """The pairs (old index, new index) the model links, and the evidence it weighed."""
    found = evidence(old, new)
    pairs = found.candidates()
    return chosen(pairs, found.features(pairs), model), found


def chosen(pairs: Sequence[tuple[int, int]], matrix: np.ndarray, model: LinkModel) -> set[tuple[int, int]]:
    """The candidate pairs whose features (rows of `matrix`) the model finds likely enough to link."""
    keep = model.probabilities(matrix) >= model.threshold
    return {pair for pair, kept in zip(pairs, keep, strict=True) if kept}


def evidence(old: Sequence[Article], new: Sequence[Article]) -> Evidence:
    """Everything the texts say about the pairs of articles, the rules' links among it."""
    old_texts, new_texts = ["".join(article) for article in old], ["".join(article) for article in new]
    shared, sizes_old, sizes_new = bigram_overlap(old_texts, new_texts)
    dice = _dice(shared, sizes_old, sizes_new)
    position = _position(len(old), len(new))
    rows, columns = linear_sum_assignment(-(dice - POSITION * position))
    match = {int(i): int(j) for i, j in zip(rows, columns, strict=True) if dice[i, j] >= MATCH}
    drawn, sent = _sentence_flows(old_texts, new_texts)
    rules = rule_links(dice, shared, sizes_old, sizes_new, match, drawn, sent)
    out, into, best = _paragraph_flows(old, new)
    bigram_tfidf = TfidfVectorizer(analyzer="char", ngram_range=(2, 2), lowercase=False, sublinear_tf=True)
    word_tfidf = TfidfVectorizer(tokenizer=_terms, lowercase=False, token_pattern=None, sublinear_tf=True)
    return Evidence(
        dice=dice, shared=shared, sizes_old=sizes_old, sizes_new=sizes_new, match=match, rules=frozenset(rules),
        drawn=drawn, sent=sent, anchors=tuple(_in_order(rules, match)),
        bigram_cosine=_cosine(old_texts, new_texts, bigram_tfidf),
        word_cosine=_cosine(old_texts, new_texts, word_tfidf),
        paragraphs_out=out, paragraphs_in=into, best_paragraph=best,
        bigrams_old=tuple(frozenset(_bigrams(text)) for text in old_texts),
        bigrams_new=tuple(frozenset(_bigrams(text)) for text in new_texts),
    )


def rule_links(dice: np.ndarray, shared: np.ndarray, sizes_old: np.ndarray, sizes_new: np.ndarray,
               match: dict[int, int], drawn: np.ndarray, sent: np.ndarray) -> set[tuple[int, int]]:
    """The links the rules draw: the assignment's matches; a leftover article most of which lies in a matched one
    (a piece of it, or merged into it); articles that sentences moved between; a pair left over in a small gap
    between order-keeping anchors (a provision rewritten where it stood)."""
    matched_new = set(match.values())
    edges = set(match.items())
    for j in set(range(dice.shape[1])) - matched_new:  # most of a new article inside a matched old one: a piece
        i = int(np.argmax(shared[:, j]))
        if (sizes_new[j] >= MIN_BIGRAMS and i in match and shared[i, j] >= CONTAINED * sizes_new[j]
                and shared[i, match[i]] < COVERED * sizes_old[i]):
            edges.add((i, j))
    for i in set(range(dice.shape[0])) - set(match):  # most of an old article inside a matched new one: merged
        j = int(np.argmax(shared[i, :]))
        if sizes_old[i] >= MIN_BIGRAMS and j in matched_new and shared[i, j] >= CONTAINED * sizes_old[i]:
            edges.add((i, j))
    unmatched = ~np.isin(np.arange(dice.shape[0]), list(match))[:, None] | ~np.isin(
        np.arange(dice.shape[1]), list(matched_new))
    large = (sizes_old[:, None] >= MIN_BIGRAMS) & (sizes_new[None, :] >= MIN_BIGRAMS)
    # Between two articles the assignment both matched elsewhere, moved sentences link them only when the articles are
    # also as alike as a match: a sentence of a rewritten formula (按照职责分工，负责…) can move into an unrelated one.
    flowed = (drawn >= PART * sizes_new[None, :]) | (sent >= PART * sizes_old[:, None])
    moved = (unmatched | (dice >= MATCH)) & large & flowed
    edges |= {(int(i), int(j)) for i, j in zip(*np.nonzero(moved), strict=True)}
    return edges | _gap_pairs(dice, edges, _in_order(edges, match), large)


def bigram_overlap(old: list[str], new: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """How many distinct bigrams each old text shares with each new one, and how many each has."""
    vectorizer = CountVectorizer(analyzer="char", ngram_range=(2, 2), binary=True, lowercase=False)
    matrix = _fitted(vectorizer, [*old, *new])
    left, right = matrix[: len(old)], matrix[len(old):]
    shared = (left @ right.T).toarray().astype(float)
    return shared, np.asarray(left.sum(axis=1)).ravel(), np.asarray(right.sum(axis=1)).ravel()


def _dice(shared: np.ndarray, sizes_old: np.ndarray, sizes_new: np.ndarray) -> np.ndarray:
    """Dice of every old text with every new one, from the bigrams they share and how many each has."""
    return 2 * shared / np.maximum(sizes_old[:, None] + sizes_new[None, :], 1)


def _position(old: int, new: int) -> np.ndarray:
    """How far apart each old article and each new one stand, as shares of their statutes' length."""
    return np.abs(np.linspace(0, 1, old)[:, None] - np.linspace(0, 1, new)[None, :])


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
    shared, sizes_old, sizes_new = bigram_overlap([s for _, s in old_sentences], [s for _, s in new_sentences])
    dice = _dice(shared, sizes_old, sizes_new)
    close = dice >= SENTENCE_MATCH
    alone = close & (close.sum(axis=0) == 1)[None, :] & (close.sum(axis=1) == 1)[:, None]
    for row, column in zip(*np.nonzero(alone), strict=True):
        drawn[old_sentences[row][0], new_sentences[column][0]] += sizes_new[column]
        sent[old_sentences[row][0], new_sentences[column][0]] += sizes_old[row]
    return drawn, sent


def _paragraph_flows(old: Sequence[Article], new: Sequence[Article]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """out[i, j]: the share of old article i's bigrams in 款 whose closest new 款 (Dice ≥ PARAGRAPH_MATCH) is in new
    article j; into[i, j]: the share of j's bigrams in 款 whose closest old 款 is in i; best[i, j]: the highest Dice
    between a 款 of i and a 款 of j. Editors follow a rewrite 款 by 款 (第五条第一款 → 第二十七条第一款)."""
    old_owner = np.array([i for i, article in enumerate(old) for _ in article])
    new_owner = np.array([j for j, article in enumerate(new) for _ in article])
    out, into, best = (np.zeros((len(old), len(new))) for _ in range(3))
    if not len(old_owner) or not len(new_owner):
        return out, into, best
    shared, sizes_old, sizes_new = bigram_overlap([p for a in old for p in a], [p for a in new for p in a])
    dice = _dice(shared, sizes_old, sizes_new)
    for row, column in enumerate(dice.argmax(axis=1)):
        if dice[row, column] >= PARAGRAPH_MATCH:
            out[old_owner[row], new_owner[column]] += sizes_old[row]
    for column, row in enumerate(dice.argmax(axis=0)):
        if dice[row, column] >= PARAGRAPH_MATCH:
            into[old_owner[row], new_owner[column]] += sizes_new[column]
    np.maximum.at(best, (old_owner[:, None], new_owner[None, :]), dice)
    out /= np.maximum(np.bincount(old_owner, weights=sizes_old, minlength=len(old)), 1)[:, None]
    into /= np.maximum(np.bincount(new_owner, weights=sizes_new, minlength=len(new)), 1)[None, :]
    return out, into, best


def _cosine(old: list[str], new: list[str], vectorizer: TfidfVectorizer) -> np.ndarray:
    """Cosine of each old text with each new one, as TF-IDF vectors fitted on the two versions: a term the statute
    uses everywhere (人民政府, 应当) weighs little, a rare one the two articles share (排污许可证) much."""
    vectors = _fitted(vectorizer, [*old, *new])
    return (vectors[: len(old)] @ vectors[len(old):].T).toarray()


def _fitted(vectorizer: CountVectorizer, texts: list[str]) -> sparse.csr_matrix:
    """The texts' term vectors; all zero where no text has a term at all (two versions whose articles are one
    character, 略), which scikit-learn refuses as an empty vocabulary."""
    if any(vectorizer.build_analyzer()(text) for text in texts):
        return vectorizer.fit_transform(texts)
    return sparse.csr_matrix((len(texts), 1))


def _terms(text: str) -> list[str]:
    """jieba's words of two characters or more: the terms of a provision, without its particles."""
    return [word for word in words(text) if len(word) > 1]


def _ranks(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each pair's rank (0: best) among its old article's row and among its new article's column."""
    return np.argsort(np.argsort(-scores, axis=1), axis=1), np.argsort(np.argsort(-scores, axis=0), axis=0)


def _best_other(scores: np.ndarray, index: int) -> float:
    return float(np.delete(scores, index).max()) if len(scores) > 1 else 0.0


def _bigrams(text: str) -> set[str]:
    return {text[k:k + 2] for k in range(len(text) - 1)}
