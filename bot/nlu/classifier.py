"""A multinomial logistic regression over MiniLM embeddings, and its cross-validation folds.

Trained with scikit-learn (already a Rasa dependency), stored and applied as
plain numpy arrays so loading a model never unpickles anything.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]

from bot.nlu.data import CATEGORIES

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class LinearModel:
    """Softmax(x @ weights.T + bias) over :data:`CATEGORIES`, in that order."""

    weights: FloatArray
    bias: FloatArray

    def proba(self, x: FloatArray) -> FloatArray:
        """Class probabilities for a batch (n, 384) or one vector (384,)."""
        logits = x @ self.weights.T + self.bias
        logits = logits - logits.max(axis=-1, keepdims=True)
        e = np.exp(logits)
        out: FloatArray = (e / e.sum(axis=-1, keepdims=True)).astype(np.float32)
        return out


def fit(x: FloatArray, labels: list[str], c: float = 4.0) -> LinearModel:
    """Train on embeddings and category labels.

    Args:
        x: Embeddings, shape (n, 384).
        labels: One category per row.
        c: Inverse regularisation strength.

    Returns:
        The trained model (every category gets a row, even if absent).
    """
    y = np.array([CATEGORIES.index(label) for label in labels])
    # Balanced weights: 'none' examples outnumber each distress category.
    clf = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    clf.fit(x, y)
    weights = np.zeros((len(CATEGORIES), x.shape[1]), dtype=np.float32)
    bias = np.full(len(CATEGORIES), -30.0, dtype=np.float32)
    for row, cls in enumerate(clf.classes_):
        weights[cls] = clf.coef_[row]
        bias[cls] = clf.intercept_[row]
    return LinearModel(weights=weights, bias=bias)


def folds(x: FloatArray, labels: list[str], c: float, n_folds: int = 5,
          seed: int = 0) -> list[tuple[IntArray, IntArray, LinearModel]]:
    """Stratified folds: each fold's training and test rows, with the model fitted on its training rows.

    Args:
        x: Embeddings of the examples.
        labels: Their categories.
        c: Inverse regularisation strength.
        n_folds: Number of folds.
        seed: Shuffle seed, for reproducible thresholds.

    Returns:
        ``(train_rows, test_rows, model)`` per fold; every row is a test row exactly once.
    """
    y = np.array([CATEGORIES.index(label) for label in labels])
    splitter = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    return [(train_idx, test_idx, fit(x[train_idx], [labels[i] for i in train_idx], c))
            for train_idx, test_idx in splitter.split(x, y)]

