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

    def transform(self, texts: Sequence[str]) -> FloatArray:
        """One dense row per text, shape (len(texts), vocabulary size): for training."""
        out = np.zeros((len(texts), len(self.idf)), dtype=np.float32)
        for i, text in enumerate(texts):
            cols, vals = self.row(text)
            out[i, cols] = vals
        return out
