"""The scikit-learn classifier: jieba words, character n-grams, the rule layer's hits and the subject finder's
reading, one logistic regression per category.

Words carry the legal terms (罚款, 许可证, 监督检查); character n-grams carry what jieba splits badly
(吊销, 滞纳金 inside longer runs) and need no dictionary; the rule hits add the statutes' own
definitions as features, so the model learns when to trust each rule; the finder says whether a body acts here
(由X责令, X应当) or is only mentioned, which words alone blur.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jieba
import joblib
import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from pipeline.models import CATEGORIES
from pipeline.rules import RULES, rule_hits
from pipeline.subjects import acting_counts

if TYPE_CHECKING:  # `datasets` takes most of a second to import, and only training needs it
    from datasets import Dataset

jieba.setLogLevel(logging.WARNING)


def words(text: str) -> list[str]:
    return [word for word in jieba.lcut(text) if word.strip()]


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


def rule_features(texts: Sequence[str]) -> csr_matrix:
    """One column per rule (its confidence where it fires) and one per context pattern (1 where it matches)."""
    index = {rule.name: column for column, rule in enumerate(RULES)}
    rows, columns, values = [], [], []
    for row, text in enumerate(texts):
        for rule in rule_hits(text):
            rows.append(row)
            columns.append(index[rule.name])
            values.append(rule.confidence)
        for offset, (_, pattern) in enumerate(CONTEXT):
            if pattern.search(text):
                rows.append(row)
                columns.append(len(RULES) + offset)
                values.append(1.0)
    return csr_matrix((values, (rows, columns)), shape=(len(texts), len(RULES) + len(CONTEXT)))


def finder_features(texts: Sequence[str], weight: float) -> csr_matrix:
    """Four columns from the subject finder, each at most `weight`: bodies acting directly, bodies acting on a party's
    application or report (both counted up to three), whether the finder names a body, and whether it names one
    that acts directly. The weight sets how much the regularised model may lean on them against the words."""
    rows = []
    for text in texts:
        acting, weak, named = acting_counts(text)
        rows.append([min(acting, 3) / 3, min(weak, 3) / 3, float(named > 0), float(acting > 0 and named > 0)])
    return csr_matrix(np.array(rows, dtype=float).reshape(len(texts), 4) * weight)


class LinearClassifier:
    """Scores every category of a 款 with a probability from its own logistic regression."""

    name = "linear"

    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.word_vectorizer = TfidfVectorizer(
            tokenizer=words, token_pattern=None, lowercase=False, ngram_range=(1, 2), min_df=2, sublinear_tf=True
        )
        self.char_vectorizer = TfidfVectorizer(
            analyzer="char", ngram_range=(1, settings["char_ngrams"]), min_df=2, sublinear_tf=True,
            max_features=settings["max_char_features"],
        )
        self.models: dict[str, LogisticRegression | float] = {}

    def _features(self, texts: Sequence[str]) -> csr_matrix:
        return hstack(
            [self.word_vectorizer.transform(texts), self.char_vectorizer.transform(texts), rule_features(texts),
             finder_features(texts, self.settings["finder_weight"])]
        ).tocsr()

    def fit(self, data: Dataset) -> LinearClassifier:
        texts = data["text"]
        self.word_vectorizer.fit(texts)
        self.char_vectorizer.fit(texts)
        features, labels, weights = self._features(texts), np.array(data["labels"], dtype=int), np.array(data["weight"])
        for column, category in enumerate(CATEGORIES):
            target = labels[:, column]
            if target.min() == target.max():  # a category the data never (or always) has: a constant
                self.models[category] = float(target[0]) if len(target) else 0.0
                continue
            model = LogisticRegression(C=self.settings["C"], max_iter=2000, class_weight=self.settings["class_weight"])
            self.models[category] = model.fit(features, target, sample_weight=weights)
        return self

    def scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        if not texts:
            return []
        features = self._features(list(texts))
        columns = {
            category: model.predict_proba(features)[:, 1] if isinstance(model, LogisticRegression)
            else np.full(len(texts), model)
            for category, model in self.models.items()
        }
        return [{category: float(columns[category][row]) for category in CATEGORIES} for row in range(len(texts))]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        joblib.dump(self, directory / "model.joblib", compress=3)

    @staticmethod
    def load(directory: Path) -> LinearClassifier:
        return joblib.load(directory / "model.joblib")
