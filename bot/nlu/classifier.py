"""A multinomial logistic regression over MiniLM embeddings and word n-grams, and its folds.

Trained with scikit-learn (already a Rasa dependency), stored and applied as
plain numpy arrays so loading a model never unpickles anything.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from joblib import Parallel, delayed  # type: ignore[import-untyped]
from scipy import sparse  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from bot.nlu.data import CATEGORIES
from bot.nlu.ngrams import Ngrams

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class LinearModel:
    """Softmax(x @ weights.T + bias) over :data:`CATEGORIES`, in that order."""

    weights: FloatArray
    bias: FloatArray

    def proba(self, x: FloatArray) -> FloatArray:
        """Class probabilities for a batch (n, d) or one vector (d,)."""
        return softmax(x @ self.weights.T + self.bias)


def softmax(logits: FloatArray) -> FloatArray:
    """Row-wise softmax."""
    logits = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(logits)
    out: FloatArray = (e / e.sum(axis=-1, keepdims=True)).astype(np.float32)
    return out


def fit(x: FloatArray | sparse.csr_matrix, labels: list[str], c: float = 4.0) -> LinearModel:
    """Train on embeddings and category labels.

    Args:
        x: Features, shape (n, d): embeddings, or embeddings and n-grams as a sparse matrix.
        labels: One category per row.
        c: Inverse regularisation strength.

    Returns:
        The trained model (every category gets a row, even if absent).
    """
    y = np.array([CATEGORIES.index(label) for label in labels])
    # Balanced weights: 'none' examples outnumber each distress category.
    clf = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    # One BLAS thread: no slower than two at this size, and then the weights
    # do not depend on how many cores the machine that trains has.
    with threadpool_limits(1):
        clf.fit(x, y)
    weights = np.zeros((len(CATEGORIES), x.shape[1]), dtype=np.float32)
    bias = np.full(len(CATEGORIES), -30.0, dtype=np.float32)
    for row, cls in enumerate(clf.classes_):
        weights[cls] = clf.coef_[row]
        bias[cls] = clf.intercept_[row]
    return LinearModel(weights=weights, bias=bias)


@dataclass(frozen=True)
class TextModel:
    """A :class:`LinearModel` over a text's embedding followed by its n-gram row."""

    linear: LinearModel
    ngrams: Ngrams

    def proba(self, x: FloatArray, texts: Sequence[str]) -> FloatArray:
        """Class probabilities, one row per text (``x`` holds their embeddings, (n, 384) or (384,)).

        The n-gram half is summed over each text's few terms, never built as a
        dense row of the whole vocabulary.
        """
        x = np.atleast_2d(x)
        dims = x.shape[1]
        weights = self.linear.weights
        logits = x @ weights[:, :dims].T + self.linear.bias
        for row, text in enumerate(texts):
            cols, vals = self.ngrams.row(text)
            if cols.size:
                logits[row] += weights[:, dims + cols] @ vals
        return softmax(logits)


def fit_text(x: FloatArray, texts: Sequence[str], labels: list[str], c: float) -> TextModel:
    """Fit the n-gram vocabulary and the model on the same examples.

    Args:
        x: Embeddings of the examples, shape (n, 384).
        texts: The examples.
        labels: One category per example.
        c: Inverse regularisation strength.

    Returns:
        The trained model.
    """
    ngrams = Ngrams.fit(texts)
    features = sparse.hstack([sparse.csr_matrix(x), ngrams.transform(texts)], format="csr")
    return TextModel(fit(features, labels, c), ngrams)


def fit_with_folds(x: FloatArray, texts: Sequence[str], labels: list[str], c: float, n_folds: int = 5,
                   seed: int = 0) -> tuple[TextModel, list[tuple[IntArray, IntArray, TextModel]]]:
    """The model on every example, and one per stratified fold, fitted side by side on the cores.

    Args:
        x: Embeddings of the examples.
        texts: The examples (each fold fits its own vocabulary, so test rows are unseen).
        labels: Their categories.
        c: Inverse regularisation strength.
        n_folds: Number of folds.
        seed: Shuffle seed, for reproducible thresholds.

    Returns:
        The model on all examples, and ``(train_rows, test_rows, model)`` per fold;
        every row is a test row exactly once.
    """
    y = np.array([CATEGORIES.index(label) for label in labels])
    splits = list(StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed).split(x, y))
    subsets = [(x[rows], [texts[i] for i in rows], [labels[i] for i in rows]) for rows, _ in splits]
    subsets.append((x, list(texts), labels))
    # Each fit is single-threaded (see fit), so the six of them share the cores
    # as separate processes (in this one, on one core): half the time on two
    # cores, the same weights.
    workers = min(len(subsets), os.cpu_count() or 1)
    models: list[TextModel] = Parallel(n_jobs=workers, backend="loky")(
        delayed(fit_text)(*subset, c) for subset in subsets)
    *per_fold, everything = models
    return everything, [(train, test, model) for (train, test), model in zip(splits, per_fold, strict=True)]
