"""Distress detection without Rasa: train, save, load, predict.

A message is read once by MiniLM (:func:`bot.nlu.encoder.cached_encoding`)
and scored by a logistic regression over its sentence vector. Crisis is
decided first: the lexicon (bot.nlu.crisis), or the model's crisis vote
unless the message is everyday hyperbole ("my teenager will murder me if the
xbox is offline") or only a farewell ("night night"); the lexicon itself is
never overruled. The vote has two
nets: P(crisis) of the message or of any one of its clauses (pooled from the
same pass, so "I need the PUK code. also I've been cutting again" is read
where the crisis is), and the message's nearest training examples (its
similarity to the closest crisis examples against the closest others), which
catches indirect wordings a linear model averages away. A warning sign of
suicide in the message (bot.nlu.signs.find_warning: giving away a pet,
arranging things for after one's death, "it won't matter soon") lowers the
P(crisis) the vote needs to ``_WARNING_FLOOR``. A message the vote leaves out
whose P(crisis) still reaches the ``check_in`` threshold is not called crisis,
but it asks for a check-in: the assistant asks gently and directly whether
the person is safe (veiled crisis written by others often lands here, and a
person who is asked can say so). Otherwise the message is
distressed when the model is very sure on its own (``1 - P(none) >=
distress``), or when a cue word of grief, overwhelm or loneliness is there
and the model leans that way (``>= lexical``) on the whole message or on the
clause that holds the cue. That clause is embedded from the same pass
(its tokens pooled), so a loss followed by a routine request ("our dog was
put to sleep this morning, sorry, I can hardly type. anyway, about my
bill") is read where the loss is, not diluted by the request.
The thresholds are picked on out-of-fold readings of the training data (the
dev split), never on the held-out test sets.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import NamedTuple, TypedDict

import numpy as np
import numpy.typing as npt

from bot.nlu import classifier, data
from bot.nlu.classifier import FloatArray, LinearModel, TextModel
from bot.nlu.crisis import CrisisHit, find_crisis, hyperbole, idiom
from bot.nlu.cues import lexical_category, subject
from bot.nlu.data import CATEGORIES, Example
from bot.nlu.encoder import Encoding, cached_encoding, shared_encoder
from bot.nlu.ngrams import Ngrams
from bot.nlu.signs import farewell_only, find_warning
from bot.nlu.text import Clause, clauses

logger = logging.getLogger(__name__)

# Share of routine dev messages we accept flagging: the target (3%).
_MAX_FALSE_ALARM = 0.03
# How much dev recall the threshold search may give up for fewer false alarms.
_RECALL_SLACK = 0.005
# How far the model may prefer another mood before a lone cue word stops deciding it.
_CUE_AGREEMENT = 0.25
_C = 8.0
# The model's crisis vote fires above these quantiles of the non-crisis dev
# messages' out-of-fold readings: P(crisis) (message or clause), and the
# nearest-neighbour margin. A false crisis alarm costs a person's time; a miss
# can cost a life, so the vote is allowed about 1.5% of routine dev messages.
_CRISIS_QUANTILE = 0.99
_KNN_QUANTILE = 0.99
# Nearest neighbours averaged on each side of the margin.
_K = 3
# The neighbours vote only when the model leans towards crisis at least this
# much: a routine request that shares its words with a crisis example ("I need
# the PUK code. also I've been cutting again") is near it, but not crisis.
_KNN_FLOOR = 0.3
# With a warning sign of suicide in the message (bot.nlu.signs.find_warning:
# giving away a pet, arranging things for after one's death), the model's
# crisis vote needs only this P(crisis) instead of the tuned threshold. The
# signs are common in ordinary lives too, so the model must still lean that way.
_WARNING_FLOOR = 0.4
# A check-in is asked above this quantile of the non-crisis dev messages'
# out-of-fold P(crisis): a gentle question costs little, so it may reach more
# of them than the crisis vote does, never below the warning floor.
_CHECK_IN_QUANTILE = 0.96
_MOOD = ("grief", "overwhelm", "loneliness")
_NONE = CATEGORIES.index("none")
_CRISIS = CATEGORIES.index("crisis")
_MOOD_ROWS = [CATEGORIES.index(c) for c in _MOOD]

BoolArray = npt.NDArray[np.bool_]
Float64Array = npt.NDArray[np.float64]


class Distress(TypedDict):
    """What the detector says about one message (``message.data["distress"]``)."""

    category: str
    confidence: float
    cue: str | None
    subject: str | None
    check_in: str | None


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds (see the module docstring)."""

    distress: float
    lexical: float
    crisis: float
    knn: float = float("inf")
    check_in: float = float("inf")


@dataclass(frozen=True)
class Reading:
    """Everything the decision looks at for one message, before any threshold.

    Attributes:
        p: The model's probabilities for the whole message, over CATEGORIES.
        cue_p: The model's probabilities for each clause holding a cue word,
            shape (k, 5); k is 0 when there is no cue or the message is one clause.
        lexical: Category → the clause holding its first cue word.
        crisis_hit: The crisis lexicon's match, if any.
        warning: A warning sign of suicide (:func:`bot.nlu.signs.find_warning`), if
            any (None too where P(crisis) is below ``_WARNING_FLOOR``: not looked for).
        hyperbole: Whether the model's crisis reading is overruled: violent words
            as everyday exaggeration, or a message that is only a farewell
            ("night night"; :func:`bot.nlu.signs.farewell_only`).
        crisis_p: The highest P(crisis) of the message and its clauses
            (None: the message's own).
        knn: Mean similarity to the nearest crisis training examples minus
            that to the nearest others (-inf: not measured).
    """

    p: FloatArray
    cue_p: FloatArray
    lexical: dict[str, Clause]
    crisis_hit: CrisisHit | None
    hyperbole: bool
    crisis_p: float | None = None
    knn: float = float("-inf")
    warning: CrisisHit | None = None

    def score(self, p: FloatArray | None = None) -> float:
        """How distressed (any category) ``p`` (default: the message) reads.

        ``1 - P(none)``; for hyperbole the crisis share does not count either,
        since the words it rests on are a joke.
        """
        p = self.p if p is None else p
        out = 1.0 - float(p[_NONE])
        return out - float(p[_CRISIS]) if self.hyperbole else out

    def cue_score(self) -> float:
        """The best :meth:`score` of the message and its cue clauses."""
        return max([self.score(), *(self.score(row) for row in self.cue_p)])

    def crisis_score(self) -> float:
        """P(crisis) of the message or, if higher, of one of its clauses."""
        return float(self.p[_CRISIS]) if self.crisis_p is None else self.crisis_p

    def check_in(self, th: Thresholds) -> bool:
        """Whether to ask if the person is safe: P(crisis) near the bar, not hyperbole, not crisis."""
        return (not self.hyperbole and self.crisis_hit is None and self.crisis_score() >= th.check_in
                and not self.model_crisis(th.crisis, th.knn))

    def model_crisis(self, threshold: float, knn: float = float("inf")) -> bool:
        """The model's crisis vote: P(crisis) or the neighbours' margin high enough, and not hyperbole.

        A warning sign lowers the P(crisis) it takes to ``_WARNING_FLOOR``.
        """
        score = self.crisis_score()
        if self.warning is not None:
            threshold = min(threshold, _WARNING_FLOOR)
        return (score >= threshold or (self.knn >= knn and score >= _KNN_FLOOR)) and not self.hyperbole


class Inputs(NamedTuple):
    """What the model reads of one message: its pass, its cue words, its clauses."""

    encoding: Encoding
    lexical: dict[str, Clause]
    clause_vectors: FloatArray
    cue_vectors: FloatArray
    clause_texts: list[str]
    cue_texts: list[str]


def _inputs(text: str, encoding: Encoding | None = None) -> Inputs:
    """One MiniLM pass, the cue words, and every clause's and the cue clauses' vectors and texts.

    Every clause and the cue clauses are pooled from the message's pass (none
    for a message of one clause). ``encoding`` is the pass, if already made.
    """
    if encoding is None:
        encoding = cached_encoding(text)
    lexical = lexical_category(text)
    empty = np.zeros((0, encoding.sentence.shape[0]), dtype=np.float32)
    parts = clauses(text)
    if len(parts) <= 1:
        return Inputs(encoding, lexical, empty, empty, [], [])
    spans = {(c.start, c.end): c.text for c in parts}
    for c in lexical.values():
        spans.setdefault((c.start, c.end), c.text)
    # A span without a token of its own has no vector and is not read alone.
    pooled = {span: v for span in spans if (v := encoding.pool(*span)) is not None}
    # A clause that is an everyday idiom ("I want to die of embarrassment") is
    # not read on its own for crisis; the message still is.
    every = [(c.start, c.end) for c in parts if not idiom(c.text) and (c.start, c.end) in pooled]
    cue = [span for span in sorted({(c.start, c.end) for c in lexical.values()}) if span in pooled]

    def stack(chosen: list[tuple[int, int]]) -> FloatArray:
        return np.stack([pooled[span] for span in chosen]) if chosen else empty
    return Inputs(encoding, lexical, stack(every), stack(cue),
                  [spans[x] for x in every], [spans[x] for x in cue])


@dataclass(frozen=True)
class Prototypes:
    """The training embeddings the nearest-neighbour margin compares a message with."""

    crisis: FloatArray
    other: FloatArray

    def margin(self, x: FloatArray) -> float:
        """Mean cosine to the ``_K`` nearest crisis examples minus that to the ``_K`` nearest others."""
        def top(m: FloatArray) -> float:
            sims = m @ x
            k = min(_K, len(sims))
            return float(np.partition(sims, len(sims) - k)[-k:].mean()) if k else 0.0
        return top(self.crisis) - top(self.other)

    @classmethod
    def of(cls, x: FloatArray, labels: list[str]) -> Prototypes:
        """Split ``x`` by whether its label is crisis."""
        is_crisis = np.array([label == "crisis" for label in labels], dtype=np.bool_)
        return cls(crisis=np.ascontiguousarray(x[is_crisis]), other=np.ascontiguousarray(x[~is_crisis]))


def _arrays(readings: list[Reading], crisis: float,
            knn: float) -> tuple[BoolArray, Float64Array, Float64Array]:
    """Per reading: crisis at these thresholds, its score, its cue score (-inf: no cue word)."""
    is_crisis = np.array([r.crisis_hit is not None or r.model_crisis(crisis, knn) for r in readings],
                         dtype=np.bool_)
    score = np.array([r.score() for r in readings], dtype=np.float64)
    cue = np.array([r.cue_score() if r.lexical else -np.inf for r in readings], dtype=np.float64)
    return is_crisis, score, cue


def flags(readings: list[Reading], th: Thresholds) -> BoolArray:
    """Which readings :func:`verdict` flags (crisis included), vectorised.

    Args:
        readings: The messages' readings.
        th: The thresholds.

    Returns:
        True where the verdict is not none.
    """
    is_crisis, score, cue = _arrays(readings, th.crisis, th.knn)
    out: BoolArray = is_crisis | (score >= th.distress) | (cue >= th.lexical)
    return out


def verdict(r: Reading, th: Thresholds) -> tuple[str, float]:
    """The category of a reading and the confidence in it.

    Args:
        r: The message's reading.
        th: The thresholds.

    Returns:
        ``(category, confidence)``: crisis (1.0 from the lexicon, else the
        model's P(crisis)), a mood (how distressed it reads) or none (how
        routine it reads).
    """
    if r.crisis_hit is not None:
        return "crisis", 1.0
    if r.model_crisis(th.crisis, th.knn):
        return "crisis", round(r.crisis_score(), 4)
    score = r.score()
    if score < th.distress:
        cue_score = r.cue_score() if r.lexical else 0.0
        if cue_score < th.lexical:
            return "none", round(1.0 - score, 4)
        score = cue_score
    return _mood(r), round(min(1.0, score), 4)


def _mood(r: Reading) -> str:
    """Grief, overwhelm or loneliness: the model's choice, unless the cue words say otherwise.

    When cue words of exactly one category are present and the model gives
    that category at least ``_CUE_AGREEMENT`` of its top category's
    probability, the cue words decide: the cue shown to the agent then names
    the same thing as the category.
    """
    p = r.p[_MOOD_ROWS]
    cued = [m for m in _MOOD if m in r.lexical]
    if len(cued) == 1 and float(p[_MOOD.index(cued[0])]) >= _CUE_AGREEMENT * float(p.max()):
        return cued[0]
    return _MOOD[int(np.argmax(p))]


def choose_thresholds(readings: list[Reading], labels: list[str]) -> Thresholds:
    """Grid-search thresholds on out-of-fold readings.

    The crisis thresholds sit just above high quantiles (``_CRISIS_QUANTILE``,
    ``_KNN_QUANTILE``) of the crisis score and the nearest-neighbour margin
    over non-crisis dev messages (the lexicon carries explicit crisis; the
    model is the net for wordings it does not know, and hyperbole is left in
    so that overruling it never lowers the bar for everything else). The
    other two maximise recall of distressed messages while they flag at most
    ``_MAX_FALSE_ALARM`` of routine dev messages (besides those the crisis
    layer already flags: dev's routine messages are rich in hard negatives
    that share the crisis words, so charging them to the moods would leave
    the moods no budget at all), preferring the
    fewest false alarms among near-best recalls (``_RECALL_SLACK``).

    Args:
        readings: One out-of-fold reading per dev message.
        labels: Their categories.

    Returns:
        The thresholds.
    """
    y = np.array(labels)
    routine = y == "none"
    # A high quantile rather than the maximum: one odd routine example should
    # not switch the model's crisis vote off for everything else.
    others = [r for r, label in zip(readings, labels, strict=True) if label != "crisis"]
    not_crisis = np.array([r.crisis_score() for r in others])
    t_crisis = round(min(0.9, max(0.5, float(np.quantile(not_crisis, _CRISIS_QUANTILE)) + 1e-3)), 3)
    margins = np.array([r.knn if r.crisis_score() >= _KNN_FLOOR else -1.0 for r in others])
    t_knn = (round(float(np.quantile(margins, _KNN_QUANTILE)) + 1e-3, 4) if np.isfinite(margins).all()
             else float("inf"))
    t_check = round(min(t_crisis, max(_WARNING_FLOOR,
                                      float(np.quantile(not_crisis, _CHECK_IN_QUANTILE)) + 1e-3)), 3)
    is_crisis, score, cue = _arrays(readings, t_crisis, t_knn)
    # (recall, false-alarm rate, distress, lexical) of every grid point within budget.
    options: list[tuple[float, float, float, float]] = []
    for t in (round(float(v), 3) for v in np.arange(0.5, 0.97, 0.02)):
        for lo in (round(float(v), 3) for v in np.arange(0.1, t, 0.05)):
            moods = (score >= t) | (cue >= lo)
            flagged = is_crisis | moods
            # The crisis layer is set for recall by its own rule above; the
            # budget is for what the moods add to it.
            false_alarm = float((moods & ~is_crisis)[routine].mean())
            if false_alarm <= _MAX_FALSE_ALARM:
                options.append((float(flagged[~routine].mean()), false_alarm, t, lo))
    if not options:
        return Thresholds(distress=0.97, lexical=0.9, crisis=t_crisis, knn=t_knn, check_in=t_check)
    # Of the points within _RECALL_SLACK of the best recall, the one that
    # flags the fewest routine messages: false alarms are not spent on a
    # message or two of dev recall, which unseen messages would not repay.
    top = max(o[0] for o in options)
    _, _, t, lo = min((o for o in options if o[0] >= top - _RECALL_SLACK), key=lambda o: (o[1], -o[0]))
    return Thresholds(distress=t, lexical=lo, crisis=t_crisis, knn=t_knn, check_in=t_check)


class DistressModel:
    """The trained detector."""

    def __init__(self, model: TextModel, thresholds: Thresholds, prototypes: Prototypes,
                 trained_on: str = "") -> None:
        """Wrap a trained classifier, its thresholds and its nearest-neighbour prototypes.

        ``trained_on`` is the :func:`bot.nlu.data.digest` of its training examples.
        """
        self.model = model
        self.thresholds = thresholds
        self.prototypes = prototypes
        self.trained_on = trained_on

    @staticmethod
    def _reading(model: TextModel, prototypes: Prototypes, text: str, inputs: Inputs) -> Reading:
        """The reading of ``text`` by ``model`` (a fold's model and prototypes during training)."""
        empty = np.zeros((0, len(CATEGORIES)), dtype=np.float32)
        sentence = inputs.encoding.sentence
        cue_p = model.proba(inputs.cue_vectors, inputs.cue_texts) if inputs.cue_texts else empty
        p = model.proba(sentence, [text])[0]
        clause_p = model.proba(inputs.clause_vectors, inputs.clause_texts) if inputs.clause_texts else empty
        crisis_p = max([float(p[_CRISIS]), *(float(v) for v in clause_p[:, _CRISIS])])
        # The margin only counts from _KNN_FLOOR up (model_crisis, choose_thresholds), and
        # most messages are far below it: they skip its ~2 ms over every training example.
        knn = prototypes.margin(sentence) if crisis_p >= _KNN_FLOOR else float("-inf")
        # Likewise a warning sign counts only from _WARNING_FLOOR up (and, as the cue, only for crisis).
        warning = find_warning(text) if crisis_p >= _WARNING_FLOOR else None
        return Reading(p=p, cue_p=cue_p, lexical=inputs.lexical, crisis_hit=find_crisis(text),
                       hyperbole=hyperbole(text) or farewell_only(text), crisis_p=crisis_p,
                       knn=knn, warning=warning)

    @classmethod
    def train(cls, examples: list[Example]) -> DistressModel:
        """Pick thresholds on 5-fold out-of-fold readings, then fit on all.

        Args:
            examples: ``(text, category)`` pairs; every category must occur.

        Returns:
            The trained detector.
        """
        texts = [t for t, _ in examples]
        labels = [c for _, c in examples]
        # Passes over many messages at once: most of training's time otherwise.
        inputs = [_inputs(t, e) for t, e in zip(texts, shared_encoder().encodings(texts), strict=True)]
        x = np.stack([i.encoding.sentence for i in inputs])
        readings: list[Reading | None] = [None] * len(texts)
        model, folds = classifier.fit_with_folds(x, texts, labels, _C)
        for train_rows, rows, fold_model in folds:
            fold_protos = Prototypes.of(x[train_rows], [labels[i] for i in train_rows])
            for i in rows:
                readings[i] = cls._reading(fold_model, fold_protos, texts[i], inputs[i])
        thresholds = choose_thresholds([r for r in readings if r is not None], labels)
        logger.info("distress thresholds %s on %d examples", thresholds, len(texts))
        return cls(model, thresholds, Prototypes.of(x, labels), data.digest(examples))

    def save(self, directory: Path) -> None:
        """Write the weights and prototypes (npz, no pickle) and thresholds (json)."""
        np.savez(directory / "distress.npz", weights=self.model.linear.weights, bias=self.model.linear.bias,
                 idf=self.model.ngrams.idf, crisis=self.prototypes.crisis, other=self.prototypes.other)
        (directory / "thresholds.json").write_text(json.dumps(asdict(self.thresholds)))
        (directory / "terms.json").write_text(json.dumps(self.model.ngrams.terms_in_order()))
        (directory / "trained_on.txt").write_text(self.trained_on)

    @classmethod
    def load(cls, directory: Path) -> DistressModel:
        """Read what :meth:`save` wrote."""
        kept = json.loads((directory / "terms.json").read_text())
        with np.load(directory / "distress.npz", allow_pickle=False) as arrays:
            model = TextModel(LinearModel(weights=arrays["weights"], bias=arrays["bias"]),
                              Ngrams.of(kept, arrays["idf"]))
            prototypes = Prototypes(crisis=arrays["crisis"], other=arrays["other"])
        thresholds = Thresholds(**json.loads((directory / "thresholds.json").read_text()))
        trained_on = directory / "trained_on.txt"
        return cls(model, thresholds, prototypes, trained_on.read_text() if trained_on.exists() else "")

    def read(self, text: str) -> Reading:
        """Everything the decision looks at for ``text`` (one MiniLM pass, cached)."""
        return self._reading(self.model, self.prototypes, text, _inputs(text))

    def predict(self, text: str) -> Distress:
        """Detect distress in one message.

        Args:
            text: The customer's message.

        Returns:
            Category, confidence, cue (verbatim substring or None), subject, and
            the clause that asks for a check-in (see :meth:`Reading.check_in`), if any.
        """
        if not text.strip():
            return Distress(category="none", confidence=1.0, cue=None, subject=None, check_in=None)
        r = self.read(text)
        category, confidence = verdict(r, self.thresholds)
        check_in = None
        if r.check_in(self.thresholds):
            best = self._best_clause(text, "crisis")
            check_in = best.text if best else text
        if category == "none":
            return Distress(category="none", confidence=confidence, cue=None, subject=None,
                            check_in=check_in)
        # The clause that decided crisis: the lexicon's, else a warning sign's.
        hit = r.crisis_hit or (r.warning if category == "crisis" else None)
        if hit is not None:
            cue: Clause | None = Clause(hit.cue, hit.start, hit.start + len(hit.cue))
        else:
            cue = r.lexical.get(category) or self._best_clause(text, category)
        return Distress(category=category, confidence=confidence, cue=cue.text if cue else None,
                        subject=subject(text, cue), check_in=check_in)

    def _best_clause(self, text: str, category: str) -> Clause | None:
        # Each clause is pooled from the message's own (cached) forward pass,
        # so finding the cue costs no further encoding.
        parts = clauses(text)
        if len(parts) <= 1:
            return parts[0] if parts else None
        encoding = cached_encoding(text)
        pooled = [(c, encoding.pool(c.start, c.end)) for c in parts]
        scored = [(c, v) for c, v in pooled if v is not None]
        if not scored:
            return parts[0]
        probs = self.model.proba(np.stack([v for _, v in scored]), [c.text for c, _ in scored])
        return scored[int(np.argmax(probs[:, CATEGORIES.index(category)]))][0]
