"""Word n-grams of a message as TF-IDF features, the lexical half of the detector's input.

The sentence embedding carries meaning; the words a writer chose carry what
an embedding averages away ("won't need", "after I'm gone", "the garage").
On the training data's out-of-fold readings, adding them raised crisis
recall at the same false-alarm rate (docs/distress.md). Stored as a term list
and an idf vector, applied with numpy: nothing is unpickled.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse  # type: ignore[import-untyped]

from bot.nlu.text import normalise

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.intp]

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# A term must occur in this many training messages to be kept.
_MIN_DF = 2


def terms(text: str) -> list[str]:
    """The message's lower-cased words and word pairs."""
    words = _TOKEN.findall(normalise(text))
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


@dataclass(frozen=True)
class Ngrams:
    """A fitted vocabulary: term → column, and each column's idf."""

    vocabulary: dict[str, int]
    idf: FloatArray

    @classmethod
    def fit(cls, texts: Sequence[str]) -> Ngrams:
        """Keep the terms of at least ``_MIN_DF`` texts, with smoothed idf (as scikit-learn's)."""
        df: Counter[str] = Counter()
        for text in texts:
            df.update(set(terms(text)))
        kept = sorted(term for term, n in df.items() if n >= _MIN_DF)
        n = len(texts)
        idf = np.array([math.log((1 + n) / (1 + df[term])) + 1.0 for term in kept], dtype=np.float32)
        return cls(vocabulary={term: i for i, term in enumerate(kept)}, idf=idf)

    @classmethod
    def of(cls, kept: Sequence[str], idf: FloatArray) -> Ngrams:
        """Rebuild from what :meth:`terms_in_order` and :attr:`idf` saved."""
        return cls(vocabulary={term: i for i, term in enumerate(kept)}, idf=idf)

    def terms_in_order(self) -> list[str]:
        """The vocabulary, column by column."""
        return sorted(self.vocabulary, key=self.vocabulary.__getitem__)

    def row(self, text: str) -> tuple[IntArray, FloatArray]:
        """The text's non-zero columns and their L2-normalised sublinear TF-IDF values."""
        counts = Counter(i for i in map(self.vocabulary.get, terms(text)) if i is not None)
        cols = np.fromiter(counts, dtype=np.intp, count=len(counts))
        vals = np.array([(1.0 + math.log(n)) for n in counts.values()], dtype=np.float32) * self.idf[cols]
        norm = float(np.linalg.norm(vals))
        return cols, (vals / norm if norm else vals)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """One sparse row per text, shape (len(texts), vocabulary size): for training.

        Sparse because a message has a few dozen terms among thousands; a dense
        matrix made training take minutes once the data passed a few thousand
        examples.
        """
        rows = [self.row(text) for text in texts]
        indptr = np.cumsum([0, *(cols.size for cols, _ in rows)])
        indices = np.concatenate([cols for cols, _ in rows]) if rows else np.zeros(0, np.intp)
        data = np.concatenate([vals for _, vals in rows]) if rows else np.zeros(0, np.float32)
        return sparse.csr_matrix((data, indices, indptr), shape=(len(texts), len(self.idf)),
                                 dtype=np.float32)
