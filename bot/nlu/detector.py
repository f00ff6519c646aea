"""Distress detection without Rasa: train, save, load, predict.

A message is scored by a logistic regression over its MiniLM embedding.
It is flagged as distressed when the model is very sure on its own
(``1 - P(none) >= distress``), or when the model leans that way
(``>= lexical``) and a cue word of grief, overwhelm or loneliness is there.
Crisis is decided first: the lexicon (bot.nlu.crisis) or a very sure model.
The thresholds are picked on out-of-fold predictions over the training data
(the dev split), never on the held-out test set.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypedDict

import numpy as np
import numpy.typing as npt

from bot.nlu import classifier
from bot.nlu.classifier import FloatArray, LinearModel
from bot.nlu.crisis import find_crisis
from bot.nlu.cues import lexical_category, subject
from bot.nlu.data import CATEGORIES, Example
from bot.nlu.encoder import Encoding, cached_encode, cached_encoding
from bot.nlu.text import Clause, clauses

logger = logging.getLogger(__name__)

# Share of routine dev messages we accept flagging: the target (3%).
_MAX_FALSE_ALARM = 0.03
_C = 8.0
_MOOD = ("grief", "overwhelm", "loneliness")


class Distress(TypedDict):
    """What the detector says about one message (``message.data["distress"]``)."""

    category: str
    confidence: float
    cue: str | None
    subject: str | None


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds (see the module docstring)."""

    distress: float
    lexical: float
    crisis: float


BoolArray = npt.NDArray[np.bool_]


def _flags(p: FloatArray, lexical: BoolArray, crisis_lex: BoolArray, th: Thresholds) -> BoolArray:
    score = 1.0 - p[:, 0]
    out: BoolArray = (score >= th.distress) | (lexical & (score >= th.lexical)) | crisis_lex | (
        p[:, CATEGORIES.index("crisis")] >= th.crisis
    )
    return out


def choose_thresholds(p: FloatArray, texts: list[str], labels: list[str]) -> Thresholds:
    """Grid-search thresholds on out-of-fold probabilities.

    The crisis threshold sits just above the 99.5th percentile of P(crisis)
    over non-crisis dev messages (the lexicon carries explicit crisis). The other
    two maximise recall of distressed messages while at most
    ``_MAX_FALSE_ALARM`` of routine dev messages are flagged.
    """
    y = np.array(labels)
    routine = y == "none"
    lexical = np.array([bool(lexical_category(t)) for t in texts])
    crisis_lex = np.array([find_crisis(t) is not None for t in texts])
    # A high quantile rather than the maximum: one odd routine example should
    # not switch the model's crisis vote off for everything else.
    not_crisis = p[y != "crisis", CATEGORIES.index("crisis")]
    t_crisis = min(0.9, max(0.5, float(np.quantile(not_crisis, 0.995)) + 1e-3))
    best: tuple[float, float, float] | None = None
    for t in np.arange(0.5, 0.97, 0.02):
        for lo in np.arange(0.1, float(t), 0.05):
            th = Thresholds(distress=float(t), lexical=float(lo), crisis=t_crisis)
            flagged = _flags(p, lexical, crisis_lex, th)
            if flagged[routine].mean() <= _MAX_FALSE_ALARM:
                recall = float(flagged[~routine].mean())
                if best is None or recall > best[0]:
                    best = (recall, float(t), float(lo))
    if best is None:
        return Thresholds(distress=0.97, lexical=0.9, crisis=t_crisis)
    return Thresholds(distress=round(best[1], 3), lexical=round(best[2], 3), crisis=round(t_crisis, 3))


class DistressModel:
    """The trained detector."""

    def __init__(self, model: LinearModel, thresholds: Thresholds) -> None:
        """Wrap a trained classifier and its thresholds."""
        self.model = model
        self.thresholds = thresholds

    @classmethod
    def train(cls, examples: list[Example]) -> DistressModel:
        """Pick thresholds on 5-fold out-of-fold predictions, then fit on all.

        Args:
            examples: ``(text, category)`` pairs; every category must occur.

        Returns:
            The trained detector.
        """
        texts = [t for t, _ in examples]
        labels = [c for _, c in examples]
        x = np.stack([cached_encode(t) for t in texts])
        oof = classifier.out_of_fold(x, labels, _C)
        thresholds = choose_thresholds(oof, texts, labels)
        logger.info("distress thresholds %s on %d examples", thresholds, len(texts))
        return cls(classifier.fit(x, labels, _C), thresholds)

    def save(self, directory: Path) -> None:
        """Write the weights (npz, no pickle) and thresholds (json)."""
        np.savez(directory / "distress.npz", weights=self.model.weights, bias=self.model.bias)
        (directory / "thresholds.json").write_text(json.dumps(asdict(self.thresholds)))

    @classmethod
    def load(cls, directory: Path) -> DistressModel:
        """Read what :meth:`save` wrote."""
        with np.load(directory / "distress.npz", allow_pickle=False) as arrays:
            model = LinearModel(weights=arrays["weights"], bias=arrays["bias"])
        thresholds = Thresholds(**json.loads((directory / "thresholds.json").read_text()))
        return cls(model, thresholds)

    def predict(self, text: str) -> Distress:
        """Detect distress in one message.

        Args:
            text: The customer's message.

        Returns:
            Category, confidence, cue (verbatim substring or None) and subject.
        """
        if not text.strip():
            return Distress(category="none", confidence=1.0, cue=None, subject=None)
        encoding = cached_encoding(text)
        p = self.model.proba(encoding.sentence)
        th = self.thresholds
        hit = find_crisis(text)
        p_crisis = float(p[CATEGORIES.index("crisis")])
        if hit is not None or p_crisis >= th.crisis:
            cue = (Clause(hit.cue, hit.start, hit.start + len(hit.cue)) if hit
                   else self._best_clause(text, encoding, "crisis"))
            return Distress(category="crisis", confidence=1.0 if hit else round(p_crisis, 4),
                            cue=cue.text if cue else None, subject=subject(text, cue))
        score = 1.0 - float(p[0])
        lexical = lexical_category(text)
        if score < th.distress and not (lexical and score >= th.lexical):
            return Distress(category="none", confidence=round(float(p[0]), 4), cue=None, subject=None)
        # The most likely of the three non-crisis categories (crisis was ruled out above).
        mood = [float(p[CATEGORIES.index(c)]) for c in _MOOD]
        category = _MOOD[int(np.argmax(mood))]
        cue = lexical.get(category) or self._best_clause(text, encoding, category)
        return Distress(category=category, confidence=round(score, 4),
                        cue=cue.text if cue else None, subject=subject(text, cue))

    def _best_clause(self, text: str, encoding: Encoding, category: str) -> Clause | None:
        # Each clause is pooled from the message's own forward pass, so
        # finding the cue costs no further encoding.
        parts = clauses(text)
        if len(parts) <= 1:
            return parts[0] if parts else None
        pooled = [(c, encoding.pool(c.start, c.end)) for c in parts]
        scored = [(c, v) for c, v in pooled if v is not None]
        if not scored:
            return parts[0]
        probs = self.model.proba(np.stack([v for _, v in scored]))
        return scored[int(np.argmax(probs[:, CATEGORIES.index(category)]))][0]

