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


def _reading(p: list[float], cue_p: list[list[float]] | None = None, lexical: bool = False,
             crisis_hit: bool = False, hyperbole: bool = False, crisis_p: float | None = None,
             knn: float = float("-inf"), warning: bool = False) -> Any:
    import numpy as np

    from bot.nlu.crisis import CrisisHit
    from bot.nlu.detector import Reading
    from bot.nlu.text import Clause

    return Reading(
        p=np.array(p, dtype=np.float32),
        cue_p=np.array(cue_p or [], dtype=np.float32).reshape(-1, 5),
        lexical={"grief": Clause("my dad died", 0, 11)} if lexical else {},
        crisis_hit=CrisisHit(rule="suicide", cue="x", start=0) if crisis_hit else None,
        hyperbole=hyperbole,
        crisis_p=crisis_p,
        knn=knn,
        warning=CrisisHit(rule="giving_away", cue="x", start=0) if warning else None,
    )


def test_verdict_rules() -> None:
    from bot.nlu.detector import Thresholds, verdict

    th = Thresholds(distress=0.9, lexical=0.4, crisis=0.7)
    sure_crisis = [0.05, 0.0, 0.0, 0.0, 0.95]
    assert verdict(_reading(sure_crisis), th)[0] == "crisis"
    # Hyperbole overrules the model's crisis vote, and its crisis share is not distress either...
    assert verdict(_reading(sure_crisis, hyperbole=True), th) == ("none", 1.0)
    # ...but never the lexicon.
    assert verdict(_reading(sure_crisis, crisis_hit=True, hyperbole=True), th) == ("crisis", 1.0)
    # A cue word needs the model to lean that way on the message or on the cue's own clause.
    leaning = [0.7, 0.2, 0.05, 0.05, 0.0]
    assert verdict(_reading(leaning), th)[0] == "none"
    assert verdict(_reading(leaning, lexical=True), th)[0] == "none"
    assert verdict(_reading(leaning, cue_p=[[0.3, 0.6, 0.05, 0.05, 0.0]], lexical=True), th) == ("grief", 0.7)
    # A lone cue word names the mood unless the model clearly prefers another.
    mixed = [0.02, 0.3, 0.6, 0.08, 0.0]
    assert verdict(_reading(mixed), th)[0] == "overwhelm"
    assert verdict(_reading(mixed, lexical=True), th)[0] == "grief"
    assert verdict(_reading([0.02, 0.1, 0.8, 0.08, 0.0], lexical=True), th)[0] == "overwhelm"


def test_crisis_vote_reads_clauses_and_neighbours() -> None:
    from bot.nlu.detector import Thresholds, verdict

    th = Thresholds(distress=0.9, lexical=0.4, crisis=0.7, knn=0.05)
    routine = [0.6, 0.0, 0.0, 0.0, 0.4]
    assert verdict(_reading(routine), th)[0] == "none"
    # One clause sure of crisis is enough ("I need the PUK code. also I've been cutting again").
    assert verdict(_reading(routine, crisis_p=0.8), th) == ("crisis", 0.8)
    # So is a message close to crisis examples when the model leans that way at all...
    assert verdict(_reading(routine, knn=0.06), th)[0] == "crisis"
    # ...but not when it does not, nor for hyperbole.
    assert verdict(_reading([0.9, 0.0, 0.0, 0.0, 0.1], knn=0.2), th)[0] == "none"
    assert verdict(_reading(routine, knn=0.2, crisis_p=0.9, hyperbole=True), th)[0] == "none"


def test_a_warning_sign_lowers_the_bar_for_the_crisis_vote() -> None:
    from bot.nlu.detector import _WARNING_FLOOR, Thresholds, verdict

    th = Thresholds(distress=0.9, lexical=0.4, crisis=0.9)
    leaning = [0.5, 0.0, 0.0, 0.0, 0.5]
    assert _WARNING_FLOOR < 0.5 < th.crisis
    assert verdict(_reading(leaning), th)[0] == "none"
    assert verdict(_reading(leaning, warning=True), th) == ("crisis", 0.5)
    # The model must still lean that way, and hyperbole still overrules it.
    assert verdict(_reading([0.9, 0.0, 0.0, 0.0, 0.1], warning=True), th)[0] == "none"
    assert verdict(_reading(leaning, warning=True, hyperbole=True), th)[0] == "none"


def test_a_check_in_is_asked_near_the_crisis_bar_but_never_instead_of_crisis() -> None:
    from bot.nlu.detector import Thresholds, verdict

    th = Thresholds(distress=0.9, lexical=0.4, crisis=0.9, check_in=0.6)
    near = [0.3, 0.0, 0.0, 0.0, 0.7]
    assert _reading(near).check_in(th)
    assert verdict(_reading(near), th)[0] == "none"  # the verdict does not change
    assert not _reading([0.5, 0.0, 0.0, 0.0, 0.5]).check_in(th)
    # Crisis is crisis, not a question: the model's vote, a warning sign, the lexicon.
    assert not _reading([0.05, 0.0, 0.0, 0.0, 0.95]).check_in(th)
    assert not _reading(near, warning=True).check_in(th)
    assert not _reading(near, crisis_hit=True).check_in(th)
    # Hyperbole is a joke, not a hint; a clause can ask for a check-in as it can vote crisis.
    assert not _reading(near, hyperbole=True).check_in(th)
    assert _reading([0.9, 0.0, 0.0, 0.0, 0.1], crisis_p=0.65).check_in(th)
    # A model saved before check-ins existed never asks.
    assert not _reading(near).check_in(Thresholds(distress=0.9, lexical=0.4, crisis=0.9))


def test_the_check_in_threshold_lies_between_the_warning_floor_and_the_crisis_bar(  # type: ignore[no-untyped-def]
        detector, training_examples) -> None:
    from bot.nlu.detector import _WARNING_FLOOR

    th = detector.thresholds
    assert _WARNING_FLOOR <= th.check_in <= th.crisis
    asked = 0
    for text, _ in training_examples[::11]:
        result, reading = detector.predict(text), detector.read(text)
        assert (result["check_in"] is not None) == reading.check_in(th)
        if result["check_in"] is not None:
            asked += 1
            assert result["category"] != "crisis"
            assert result["check_in"] in text
    assert asked > 0


@pytest.mark.parametrize("text", ["night night", "night night, thanks for your help"])
def test_a_plain_farewell_is_neither_crisis_nor_a_check_in(detector, text: str) -> None:  # type: ignore[no-untyped-def]
    result = detector.predict(text)
    assert result["category"] == "none" and result["check_in"] is None, result


def test_flags_agree_with_verdict(detector, training_examples) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from bot.nlu.detector import flags, verdict

    readings = [detector.read(text) for text, _ in training_examples[::7]]
    for th in (detector.thresholds, type(detector.thresholds)(distress=0.6, lexical=0.3, crisis=0.5),
               type(detector.thresholds)(distress=0.6, lexical=0.3, crisis=0.9, knn=0.0)):
        expected = np.array([verdict(r, th)[0] != "none" for r in readings])
        assert np.array_equal(flags(readings, th), expected)


def test_neighbours_are_measured_only_where_they_can_count(detector, training_examples) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    from bot.nlu.detector import _KNN_FLOOR, verdict
    from bot.nlu.encoder import cached_encode

    th = detector.thresholds
    measured = 0
    for text, _ in training_examples[::40]:
        reading = detector.read(text)
        if reading.crisis_score() < _KNN_FLOOR:
            assert reading.knn == float("-inf"), text
            # Measured anyway, the margin would not change the verdict.
            full = dataclasses.replace(reading, knn=detector.prototypes.margin(cached_encode(text)))
            assert verdict(full, th) == verdict(reading, th), text
        else:
            measured += 1
            assert reading.knn > float("-inf"), text
    assert measured > 0


def test_warning_signs_are_looked_for_only_where_they_can_count(  # type: ignore[no-untyped-def]
        detector, training_examples) -> None:
    import dataclasses

    from bot.nlu.detector import _WARNING_FLOOR, verdict
    from bot.nlu.signs import find_warning

    th = detector.thresholds
    signed = [(t, w) for t, _ in training_examples if (w := find_warning(t)) is not None]
    skipped = 0
    for text, sign in signed:
        reading = detector.read(text)
        if reading.crisis_score() < _WARNING_FLOOR:
            skipped += 1
            assert reading.warning is None, text
            # Looked for anyway, the sign would not change the verdict.
            assert verdict(dataclasses.replace(reading, warning=sign), th) == verdict(reading, th), text
        else:
            assert reading.warning == sign, text
    assert 0 < skipped < len(signed)


@pytest.mark.parametrize("text", [
    "I'm gonna kill my husband, he's used the whole data allowance on football",
    "my daughter will murder me if her phone isn't fixed before the party",
    "I could throttle the engineer, he never turned up",
])
def test_hyperbole_is_not_crisis(detector, text: str) -> None:  # type: ignore[no-untyped-def]
    assert detector.predict(text)["category"] == "none"


@pytest.mark.parametrize(("text", "cue"), [
    ("I've just got back from the hospital, my husband didn't make it. sorry. can you cancel the engineer "
     "visit tomorrow", "my husband didn't make it"),
    ("we had to have our old dog put to sleep this morning, the vet was so kind. anyway I wanted to ask "
     "about my bill", "we had to have our old dog put to sleep this morning"),
])
def test_a_loss_is_not_diluted_by_the_request_after_it(detector, text: str, cue: str) -> None:  # type: ignore[no-untyped-def]
    result = detector.predict(text)
    assert (result["category"], result["cue"]) == ("grief", cue)


def test_a_crisis_found_through_a_warning_sign_shows_the_sign_as_cue(  # type: ignore[no-untyped-def]
        detector, training_examples) -> None:
    from bot.nlu.crisis import find_crisis
    from bot.nlu.signs import find_warning

    signed = [t for t, label in training_examples
              if label == "crisis" and find_crisis(t) is None and find_warning(t) is not None]
    assert len(signed) >= 20
    found = [(text, out) for text in signed if (out := detector.predict(text))["category"] == "crisis"]
    assert len(found) >= 0.9 * len(signed)
    for text, out in found:
        warning = find_warning(text)
        assert warning is not None and out["cue"] == warning.cue, text
