"""Small text helpers shared by the crisis layer and cue extraction."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Clause boundaries: sentence punctuation, commas, semicolons, dashes and
# line breaks. "My wife died, I need to take her off the plan" → two clauses,
# so the cue is "My wife died" and not the request.
_BOUNDARY = re.compile(r"[.!?;,\n]+|\s+-+\s+|\s+(?:but|and so|so)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Clause:
    """A span of the message.

    Attributes:
        text: The span, verbatim (stripped of surrounding white space).
        start: Its offset in the message.
        end: Its end offset in the message.
    """

    text: str
    start: int
    end: int


def normalise(text: str) -> str:
    """Lower-case and straighten apostrophes without changing any offsets."""
    return text.replace("\u2019", "'").replace("\u2018", "'").lower()


def clauses(text: str) -> list[Clause]:
    """Split a message into non-empty clauses, keeping offsets.

    Args:
        text: The message.

    Returns:
        Its clauses in order; the whole (stripped) message if there is no
        boundary; an empty list for blank text.
    """
    out: list[Clause] = []
    pos = 0
    for match in [*_BOUNDARY.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[pos:end]
        stripped = piece.strip()
        if stripped:
            start = pos + piece.index(stripped)
            out.append(Clause(text=stripped, start=start, end=start + len(stripped)))
        if match:
            pos = match.end()
    return out
