"""DistressModel behaviour beyond the held-out numbers: cost per message, cues."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture()
def forward_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count MiniLM forward passes (their token counts), starting from a cold cache."""
    from bot.nlu import encoder

    enc = encoder.shared_encoder()
    original = enc._forward  # noqa: SLF001 - counting the real pass
    calls: list[int] = []

    def counted(ids: list[int]) -> Any:
        calls.append(len(ids))
        return original(ids)

    monkeypatch.setattr(enc, "_forward", counted)
    encoder.clear_cache()
    return calls


def test_one_minilm_pass_per_message(detector, forward_calls: list[int]) -> None:  # type: ignore[no-untyped-def]
    texts = [
        # Flagged by the model alone, several clauses: the cue is found by pooling, not re-encoding.
        "everyone at work has someone. I sit at home every night with the telly. can you check my bill",
        "I'm sorry to everyone, I can't keep going, please cancel my contract",
        "My wife died, I need to take her off the plan",
        "where is my order A1001, it was due on monday, and can I change the address",
    ]
    results = [detector.predict(t) for t in texts]
    assert len(forward_calls) == len(texts)
    for text, result in zip(texts, results, strict=True):
        assert result["cue"] is None or result["cue"] in text
