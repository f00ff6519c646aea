"""The numpy MiniLM: tokenizer, shapes, norms, determinism, semantics."""

from __future__ import annotations

import numpy as np

from bot.nlu.encoder import DIM, MAX_TOKENS, MiniLMEncoder, cached_encode, cached_encoding, shared_encoder


def test_tokenizer_adds_cls_and_sep_and_truncates() -> None:
    enc = shared_encoder()
    ids = enc.token_ids("hello world")
    assert ids[0] == 101 and ids[-1] == 102 and len(ids) == 4
    assert len(enc.token_ids("word " * 1000)) == MAX_TOKENS


def test_embedding_shape_norm_and_determinism() -> None:
    enc = shared_encoder()
    a = enc.encode("Where is my parcel?")
    assert a.shape == (DIM,) and a.dtype == np.float32
    assert abs(float(np.linalg.norm(a)) - 1.0) < 1e-5
    assert np.array_equal(a, enc.encode("Where is my parcel?"))
    assert enc.encode_many(["a", "b"]).shape == (2, DIM)
    assert enc.encode_many([]).shape == (0, DIM)
    assert abs(float(np.linalg.norm(enc.encode(""))) - 1.0) < 1e-5


def test_paraphrases_are_closer_than_unrelated() -> None:
    v = {t: cached_encode(t) for t in [
        "my wife passed away last week", "my husband died recently",
        "where is my order", "has my parcel been shipped yet", "what time does the store open",
    ]}
    sim = lambda a, b: float(v[a] @ v[b])  # noqa: E731
    assert sim("my wife passed away last week", "my husband died recently") > 0.6
    order = "where is my order"
    assert sim(order, "has my parcel been shipped yet") > sim(order, "my husband died recently")
    assert sim("my wife passed away last week", "what time does the store open") < 0.3


def test_cached_vectors_are_read_only_and_shared() -> None:
    a = cached_encode("hello there")
    assert a is cached_encode("hello there")
    assert not a.flags.writeable


def test_a_second_encoder_gives_the_same_vectors() -> None:
    # Loading twice must not depend on state (e.g. a mutated shared array).
    fresh = MiniLMEncoder().encode("signal is bad")
    assert np.allclose(fresh, shared_encoder().encode("signal is bad"), atol=1e-6)


def test_gelu_matches_the_exact_erf_form() -> None:
    from scipy.special import erf

    from bot.nlu.encoder import gelu

    x = np.linspace(-12, 12, 21000, dtype=np.float32).reshape(7, -1)
    exact = 0.5 * x.astype(np.float64) * (1.0 + erf(x.astype(np.float64) / np.sqrt(2.0)))
    got = gelu(x.copy())
    assert got.dtype == np.float32
    assert float(np.abs(got - exact).max()) < 2e-6


def test_one_pass_gives_token_states_and_pools_spans() -> None:
    text = "My dog died this morning, where is my order"
    enc = cached_encoding(text)
    assert enc.tokens.shape == (len(enc.offsets), DIM) and enc.tokens.dtype == np.float32
    assert enc.offsets[0] == (0, 0) and enc.offsets[-1] == (0, 0)
    assert not enc.tokens.flags.writeable and not enc.sentence.flags.writeable
    # The whole text pooled is the sentence vector.
    whole = enc.pool(0, len(text))
    assert whole is not None and np.allclose(whole, enc.sentence, atol=1e-6)
    first, second = enc.pool(0, 24), enc.pool(26, len(text))
    assert first is not None and second is not None
    assert abs(float(np.linalg.norm(first)) - 1.0) < 1e-5
    # In context, each clause stays closest to what it says on its own.
    alone_first, alone_second = cached_encode("My dog died this morning"), cached_encode("where is my order")
    assert float(first @ alone_first) > float(first @ alone_second)
    assert float(second @ alone_second) > float(second @ alone_first)
    assert enc.pool(5, 5) is None


def test_texts_passed_together_get_what_a_pass_alone_gives() -> None:
    enc = shared_encoder()
    # Two lengths shared by several texts, one text alone, an empty text and a truncated one.
    texts = ["my wife died", "my dad died", "where is it", "can you help me with my bill please",
             "", "word " * 300]
    together = enc.encodings(texts)
    assert len(together) == len(texts)
    for text, joint in zip(texts, together, strict=True):
        alone = enc.encoding(text)
        assert joint.offsets == alone.offsets
        assert np.allclose(joint.tokens, alone.tokens, atol=1e-4)
        assert np.allclose(joint.sentence, alone.sentence, atol=1e-5)
    assert enc.encodings([]) == []
