"""What a distressed customer may also need, read from their own words.

Pure functions shared by the handoff summary (so the agent sees the needs)
and the bot's replies (so the bot can offer them, never push them).
"""

from __future__ import annotations

import re
from typing import Final, Literal

Situation = Literal["bereavement", "separation", "job_loss", "loneliness", "crisis", "other"]

_SEPARATION = re.compile(
    r"divorc|separat|left me|walked out|broke up|break ?up|split up|moved out|my ex\b|ex-",
    re.IGNORECASE,
)
_JOB_LOSS = re.compile(
    r"lost my job|laid off|made redundant|redundan|unemployed|fired|out of work|"
    r"can'?t afford|can'?t pay|money is tight|behind on",
    re.IGNORECASE,
)
_BEREAVEMENT = re.compile(
    r"\bdied\b|passed|death|funeral|lost my (wife|husband|mum|mom|dad|father|mother|partner|son"
    r"|daughter|brother|sister)|widow|\blate\b",
    re.IGNORECASE,
)

NEEDS: Final[dict[Situation, tuple[str, ...]]] = {
    "bereavement": (
        "Remove the late account holder's card from the account",
        "Stop bills and mail in their name",
        "Bereavement discount",
        "Move the account into the customer's name",
    ),
    "separation": (
        "Separate the accounts",
        "Change the billing and mailing address",
        "Remove the partner as an authorised user",
    ),
    "job_loss": (
        "Payment plan or hardship options",
        "A cheaper plan that still fits",
    ),
    "loneliness": ("Time to talk, not a rushed task",),
    "crisis": (
        "Stay with the customer until they are safe; crisis resources are already on screen",
    ),
    "other": (),
}


def situation(category: str | None, cue: str | None, subject: str | None) -> Situation | None:
    """Name the life event behind a distressed message.

    Args:
        category: The detector's category (grief, overwhelm, loneliness, crisis).
        cue: The customer's own words.
        subject: Who or what it is about, e.g. "your wife".

    Returns:
        The situation, or None when there is no distress at all. Separation
        is checked before bereavement: "my husband left" is not a death.
    """
    if category is None:
        return None
    if category == "crisis":
        return "crisis"
    words = f"{cue or ''} {subject or ''}"
    if _SEPARATION.search(words):
        return "separation"
    if _JOB_LOSS.search(words):
        return "job_loss"
    if category == "grief" or _BEREAVEMENT.search(words):
        return "bereavement"
    if category == "loneliness":
        return "loneliness"
    return "other"


def unstated_needs(category: str | None, cue: str | None, subject: str | None) -> list[str]:
    """List what the customer may also need, for the agent to offer.

    Args:
        category: The detector's category.
        cue: The customer's own words.
        subject: Who or what it is about.

    Returns:
        Needs in the order an agent would bring them up; empty without distress.
    """
    found = situation(category, cue, subject)
    needs = list(NEEDS[found]) if found else []
    # Someone lonely who is also grieving still wants time more than tasks.
    if category == "loneliness" and found != "loneliness":
        needs.insert(0, NEEDS["loneliness"][0])
    return needs


def short_cue(cue: str | None, limit: int = 40) -> str | None:
    """Shorten the customer's words for a headline: "my wife died" -> "wife died".

    Args:
        cue: The customer's own words.
        limit: The longest result, in characters.

    Returns:
        The shortened cue without sentence punctuation, or None.
    """
    if not cue or not cue.strip():
        return None
    text = re.sub(r"[.!?;]+", "", cue.strip())
    text = re.sub(r"^(my|our)\s+", "", text, flags=re.IGNORECASE)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
