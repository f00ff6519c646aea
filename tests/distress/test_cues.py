"""Clause splitting, lexical cues, subject extraction, and what the detector returns."""

from __future__ import annotations

import pytest

from bot.nlu.cues import lexical_category, subject
from bot.nlu.text import clauses


def test_clauses_keep_offsets() -> None:
    text = "My wife died, I need to take her off the plan."
    parts = clauses(text)
    assert [p.text for p in parts] == ["My wife died", "I need to take her off the plan"]
    assert all(text[p.start:p.end] == p.text for p in parts)
    assert clauses("   ") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("My wife died, I need to take her off the plan", "your wife"),
    ("Mum died in the hospice last night", "your mum"),
    ("our little boy passed away in May", "your little boy"),
    ("my late husband's phone is still on the account", "your husband"),
    ("I lost my job and I can't pay", "your job"),
    ("my dog had to be put down this morning", "your dog"),
    ("I'm so lonely", None),
])
def test_subject(text: str, expected: str | None) -> None:
    found = lexical_category(text)
    cue = next(iter(found.values()), None)
    assert subject(text, cue) == expected


def test_grief_cue_ignores_distant_and_technical_deaths() -> None:
    assert "grief" not in lexical_category("update the address, the previous owner passed away years ago")
    assert "grief" not in lexical_category("my battery died")
    assert lexical_category("My wife died, I need to take her off the plan")["grief"].text == "My wife died"


@pytest.mark.parametrize(("text", "category"), [
    ("I've just come back from identifying my brother's body. sorry", "grief"),
    ("the coroner has released him and I need to cancel his phone", "grief"),
    ("my late father's mobile is still on my bill", "grief"),
    ("we lost her in march", "grief"),
    ("my husband passed on sunday", "grief"),
    ("we might lose the house and the broadband is the least of it", "overwhelm"),
    ("I haven't slept for worrying about this bill", "overwhelm"),
    ("not one person rang me on my birthday", "loneliness"),
    ("my grandchildren never come round anymore", "loneliness"),
])
def test_cue_words_of_each_category(text: str, category: str) -> None:
    assert category in lexical_category(text)


@pytest.mark.parametrize("text", [
    "my grandad passed his old phone down to me, can I put it on my plan",
    "I passed my driving test, can I get a car charger",
    "she passed on her number to me",
    "the old tenant died a while back, take his name off",
    "I just want to be left alone by the sales team",
    "I'm alone on the account, is there a single person discount",
    "nobody ever calls back when they say they will",
    "nobody has replied to my email",
    "I'm drowning in notifications from your app",
    "struggling to connect the printer to the wifi",
    "I'm exhausted after work, just tell me my balance",
    "overwhelmed by all the phone choices, which is best",
    "I lost her number, can you help me find it",
    "my late payment was because of the bank",
])
def test_everyday_uses_of_cue_words_are_not_cues(text: str) -> None:
    assert lexical_category(text) == {}


@pytest.mark.parametrize(("text", "category", "cue", "subj"), [
    ("My wife died, I need to take her off the plan", "grief", "My wife died", "your wife"),
    ("hi. I just lost my job and I can't afford the bill, what can I do", "overwhelm", None, "your job"),
    ("you're the only one I've talked to all week", "loneliness", None, None),
    ("cancel my line please. I want to end my life", "crisis", "I want to end my life", None),
])
def test_detector_output(detector, text: str, category: str, cue: str | None, subj: str | None) -> None:  # type: ignore[no-untyped-def]
    result = detector.predict(text)
    assert result["category"] == category
    assert 0.0 <= result["confidence"] <= 1.0
    assert result["cue"] is not None and result["cue"] in text
    if cue is not None:
        assert result["cue"] == cue
    assert result["subject"] == subj


ROUTINE = ["where is my order A1001", "this plan is killing me", "the wifi is dead", "", " "]


@pytest.mark.parametrize("text", ROUTINE)
def test_detector_leaves_routine_alone(detector, text: str) -> None:  # type: ignore[no-untyped-def]
    result = detector.predict(text)
    assert result == {**result, "category": "none", "cue": None, "subject": None}
