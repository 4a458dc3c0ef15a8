"""The scikit-learn classifier: jieba words, character n-grams, the rule layer's hits and the subject finder's
reading, one logistic regression per category, and one for whether the 款 names its acting body (the subject gate:
a category score ranks how power-like a unit is, not whether a body acting in it is named there).

Words carry the legal terms (罚款, 许可证, 监督检查); character n-grams carry what jieba splits badly
(吊销, 滞纳金 inside longer runs) and need no dictionary; the rule hits add the statutes' own
definitions as features, so the model learns when to trust each rule; the finder says whether a body acts here
(由X责令, X应当) or is only mentioned, which words alone blur.

scikit-learn fits the model; what ships is its arithmetic (vocabularies, IDF weights, coefficients) in one `.npz`,
scored here with numpy alone. A fresh `powers` process that re-runs one amended statute then skips importing
scikit-learn and unpickling its objects (~2.4 s of a ~5 s command); `tests/test_train.py` checks that both give the
same scores.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jieba
import numpy as np

from pipeline.models import CATEGORIES, NAMES_BODY
from pipeline.rules import RULES, rule_hits
from pipeline.subjects import acting_counts
from pipeline.write import atomic_open

if TYPE_CHECKING:  # `datasets` and scikit-learn take seconds to import, and only training needs them
    from datasets import Dataset
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

jieba.setLogLevel(logging.WARNING)

SCORED = (*CATEGORIES, NAMES_BODY)  # the model's columns: ten categories, then whether the unit names its body


def words(text: str) -> list[str]:
    return [word for word in jieba.lcut(text) if word.strip()]


def word_terms(text: str) -> list[str]:
    """jieba words and word bigrams: the terms of the word vocabulary."""
    tokens = words(text)
    return tokens + [f"{first} {second}" for first, second in pairwise(tokens)]


WHITESPACE_RUN = re.compile(r"\s\s+")


def char_terms(text: str, longest: int) -> list[str]:
    """Character 1- to `longest`-grams of the lower-cased text, runs of white space made one space (as
    scikit-learn's `char` analyser reads a text)."""
    text = WHITESPACE_RUN.sub(" ", text.lower())
    return [text[start:start + size] for size in range(1, longest + 1) for start in range(len(text) - size + 1)]


BODY = r"(?:人民政府|部门|机关|机构|委员会|交通警察|海关|税务|管理局|所|站)"
# Who does what, beyond the words: the guidelines ask whether a body acts on a party, or the unit is a
# party's duty, internal work, or procedure. Each is a column, so the model weighs it per category.
CONTEXT: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("body-acts", BODY + r"[^。；]{0,30}(?:应当|可以|有权|依法|予以|给予|决定|责令|对)"),
        ("by-body", r"由[^。；]{0,30}" + BODY),
        ("violation", r"违反[^。；]{0,40}的，|有下列(?:行为|情形)之一的"),
        ("party-duty", r"^[^。；，]{0,30}(?:应当|不得|禁止|必须)"),
        ("internal", r"负责|统筹|规划|组织|协调|经费|预算|纳入|宣传|培训|指导"),
        ("procedure", r"日内|期限|材料|申请书|送达|听证|工作日|逾期"),
        ("officials", r"处分|直接负责的主管人员"),
        ("criminal-civil", r"刑事责任|民事责任|赔偿责任"),
    )
)


def rule_features(texts: Sequence[str]) -> np.ndarray:
    """One column per rule (its confidence where it fires) and one per context pattern (1 where it matches)."""
    index = {rule.name: column for column, rule in enumerate(RULES)}
    columns = np.zeros((len(texts), len(RULES) + len(CONTEXT)))
    for row, text in enumerate(texts):
        for rule in rule_hits(text):
            columns[row, index[rule.name]] = rule.confidence
        for offset, (_, pattern) in enumerate(CONTEXT):
            if pattern.search(text):
                columns[row, len(RULES) + offset] = 1.0
    return columns


def finder_features(texts: Sequence[str], weight: float) -> np.ndarray:
    """Four columns from the subject finder, each at most `weight`: bodies acting directly, bodies acting on a party's
    application or report (both counted up to three), whether the finder names a body, and whether it names one
    that acts directly. The weight sets how much the regularised model may lean on them against the words."""
    rows = []
    for text in texts:
        acting, weak, named = acting_counts(text)
        rows.append([min(acting, 3) / 3, min(weak, 3) / 3, float(named > 0), float(acting > 0 and named > 0)])
    return np.array(rows, dtype=float).reshape(len(texts), 4) * weight


def dense_features(texts: Sequence[str], settings: dict[str, Any]) -> np.ndarray:
    """The rule and finder columns that follow the word and character columns."""
    return np.hstack([rule_features(texts), finder_features(texts, settings["finder_weight"])])


class LinearClassifier:
    """Fits one logistic regression per category with scikit-learn; `fit` returns the `LinearScorer` that ships (the
    fitted vectorizers and `models` stay here, to check the shipped arithmetic against)."""

    def __init__(self, settings: dict[str, Any]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.settings = settings
        self.word_vectorizer = TfidfVectorizer(analyzer=word_terms, min_df=2, sublinear_tf=True)
        longest = settings["char_ngrams"]
        self.char_vectorizer = TfidfVectorizer(
            analyzer=lambda text: char_terms(text, longest), min_df=2, sublinear_tf=True,
            max_features=settings["max_char_features"],
        )
        self.models: dict[str, LogisticRegression] = {}

    def features(self, texts: Sequence[str]) -> csr_matrix:
        """The fitted vectorizers' TF-IDF columns, then the rule and finder columns."""
        from scipy.sparse import csr_matrix, hstack

        return hstack([self.word_vectorizer.transform(texts), self.char_vectorizer.transform(texts),
                       csr_matrix(dense_features(texts, self.settings))]).tocsr()

    def fit(self, data: Dataset) -> LinearScorer:
        """One regression per category (balanced, `C`) and one for whether the unit names its acting body
        (`body_C`, unweighted: its probability is read against a threshold as it comes)."""
        from sklearn.linear_model import LogisticRegression

        texts = data["text"]
        self.word_vectorizer.fit(texts)
        self.char_vectorizer.fit(texts)
        features = self.features(texts)
        labels, weights = np.array(data["labels"], dtype=int), np.array(data["weight"])
        targets = {category: (labels[:, column], self.settings["C"], self.settings["class_weight"])
                   for column, category in enumerate(CATEGORIES)}
        targets[NAMES_BODY] = (np.array(data["names_body"], dtype=int), self.settings["body_C"], None)
        coefficients = np.zeros((features.shape[1], len(SCORED)))
        intercepts = np.zeros(len(SCORED))
        for column, name in enumerate(SCORED):
            target, strength, class_weight = targets[name]
            if target.min() == target.max():  # a target the data never (or always) has: a constant score
                intercepts[column] = np.inf if len(target) and target[0] else -np.inf
                continue
            model = LogisticRegression(C=strength, max_iter=2000, class_weight=class_weight)
            self.models[name] = model.fit(features, target, sample_weight=weights)
            coefficients[:, column], intercepts[column] = model.coef_[0], model.intercept_[0]
        return LinearScorer(
            self.settings, _vocabulary(self.word_vectorizer), self.word_vectorizer.idf_,
            _vocabulary(self.char_vectorizer), self.char_vectorizer.idf_, coefficients, intercepts,
        )


def _vocabulary(vectorizer: TfidfVectorizer) -> list[str]:
    """The vectorizer's terms in column order."""
    terms = [""] * len(vectorizer.vocabulary_)
    for term, column in vectorizer.vocabulary_.items():
        terms[column] = term
    return terms


class LinearScorer:
    """Scores every category of a 款, and whether it names its acting body, with a probability from its own logistic
    regression: TF-IDF of the unit's word and character terms (sublinear counts, each block scaled to unit length),
    the rule and finder columns, then a sigmoid of each linear score."""

    name = "linear"

    def __init__(self, settings: dict[str, Any], word_vocabulary: list[str], word_idf: np.ndarray,
                 char_vocabulary: list[str], char_idf: np.ndarray, coefficients: np.ndarray,
                 intercepts: np.ndarray) -> None:
        self.settings = settings
        self.word_vocabulary, self.char_vocabulary = word_vocabulary, char_vocabulary
        self.word_index = {term: column for column, term in enumerate(word_vocabulary)}
        self.char_index = {term: column for column, term in enumerate(char_vocabulary)}
        self.word_idf, self.char_idf = word_idf, char_idf
        self.coefficients, self.intercepts = coefficients, intercepts

    def scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        if not texts:
            return []
        texts = list(texts)
        chars_start = len(self.word_vocabulary)
        dense_start = chars_start + len(self.char_vocabulary)
        linear = dense_features(texts, self.settings) @ self.coefficients[dense_start:] + self.intercepts
        for row, text in enumerate(texts):
            for terms, index, idf, start in (
                (word_terms(text), self.word_index, self.word_idf, 0),
                (char_terms(text, self.settings["char_ngrams"]), self.char_index, self.char_idf, chars_start),
            ):
                columns, values = _tfidf(terms, index, idf)
                linear[row] += values @ self.coefficients[start + columns]
        with np.errstate(over="ignore"):
            probabilities = 1.0 / (1.0 + np.exp(-linear))
        return [dict(zip(SCORED, map(float, row), strict=True)) for row in probabilities]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        with atomic_open(directory / "model.npz", "wb") as handle:
            np.savez_compressed(
                handle, word_terms=np.array(self.word_vocabulary), word_idf=self.word_idf,
                char_terms=np.array(self.char_vocabulary), char_idf=self.char_idf, coefficients=self.coefficients,
                intercepts=self.intercepts, settings=np.array(json.dumps(self.settings)),
            )

    @staticmethod
    def load(directory: Path) -> LinearScorer:
        path = directory / "model.npz"
        with np.load(path) as saved:
            if saved["intercepts"].shape != (len(SCORED),):
                raise ValueError(f"{path}: {saved['intercepts'].shape[0]} scores, not the {len(SCORED)} of this "
                                 "version (ten categories and whether a unit names its body); retrain it with "
                                 "`powers train linear`")
            return LinearScorer(
                json.loads(str(saved["settings"])), saved["word_terms"].tolist(), saved["word_idf"],
                saved["char_terms"].tolist(), saved["char_idf"], saved["coefficients"], saved["intercepts"],
            )


def _tfidf(terms: list[str], index: dict[str, int], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The known terms' columns and their weights: (1 + log count) × IDF, scaled to unit length."""
    counts = Counter(index[term] for term in terms if term in index)
    columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
    values = (1.0 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))) * idf[columns]
    norm = np.sqrt(values @ values)
    return columns, values / norm if norm else values
