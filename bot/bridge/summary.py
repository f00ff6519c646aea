"""The handoff summary an agent reads before saying a word.

The assistant builds most of it from its tracker and sends it along with the
handoff; this module checks what arrived and fills every gap from the
transcript, so an agent always gets a complete summary, even when the bot
was unreachable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from bot.bridge.core import CATEGORIES, REASONS

_HEADLINES = {
    "distress": "The customer is going through something hard",
    "customer_request": "The customer asked for a person",
    "bot_stuck": "The assistant could not understand the customer",
    "bot_unavailable": "The assistant was unavailable",
}

_OPENINGS = {
    "distress": "I'm here now, and I've read what you shared. Take your time.",
    "customer_request": "Hi, thanks for waiting. I've read your conversation, "
    "so let's pick it up from there.",
    "bot_stuck": "Hi, sorry the assistant couldn't help. I've read your conversation; "
    "let's sort this out together.",
    "bot_unavailable": "Hi, thanks for your patience. Our assistant had a problem, "
    "so I'm here to help directly.",
}

_MAX_TEXT = 300
_EXCERPT = 80


def _clean_text(value: Any, limit: int = _MAX_TEXT) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = " ".join(value.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _last_customer_words(transcript: Sequence[Mapping[str, Any]]) -> str | None:
    for message in reversed(transcript):
        text = message.get("text")
        if message.get("from") == "customer" and isinstance(text, str) and not text.startswith("/"):
            return _clean_text(text, _EXCERPT)
    return None


def _task(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, Mapping) or not isinstance(value.get("intent"), str):
        return None
    slots = value.get("slots")
    task: dict[str, Any] = {
        "intent": value["intent"],
        "slots": {
            str(k): v
            for k, v in (slots.items() if isinstance(slots, Mapping) else [])
            if isinstance(v, str | int | float | bool)
        },
    }
    for key in ("active_form", "progress"):
        text = _clean_text(value.get(key))
        if text:
            task[key] = text
    return task


def build_summary(
    reason: str,
    transcript: Sequence[Mapping[str, Any]],
    from_bot: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Return a complete, well-formed handoff summary.

    Args:
        reason: Why the bridge is handing off, used when the bot gave none.
        transcript: The conversation so far, oldest first, as protocol messages.
        from_bot: The summary the assistant sent with its handoff, if any; it
            is trusted for content but checked for shape.

    Returns:
        A summary with every field that docs/protocol.md names.
    """
    bot = from_bot or {}
    chosen_reason = bot.get("reason") if bot.get("reason") in REASONS else reason
    if chosen_reason not in REASONS:
        chosen_reason = "customer_request"
    category = bot.get("category") if bot.get("category") in CATEGORIES else None
    if category and chosen_reason != "distress":
        # A customer who is grieving and also asked for a person is first of all grieving.
        chosen_reason = "distress"
    headline = _clean_text(bot.get("headline"), 200)
    if headline is None:
        words = _last_customer_words(transcript)
        headline = _HEADLINES[chosen_reason] + (f', last saying "{words}".' if words else ".")
    needs = bot.get("unstated_needs")
    return {
        "reason": chosen_reason,
        "category": category,
        "cue": _clean_text(bot.get("cue")),
        "headline": headline,
        "task": _task(bot.get("task")),
        "suggested_opening": _clean_text(bot.get("suggested_opening"))
        or _OPENINGS[chosen_reason],
        "unstated_needs": [n for n in (_clean_text(x) for x in needs) if n]
        if isinstance(needs, list)
        else [],
    }


def history_lines(episodes: Sequence[Mapping[str, Any]], zone: dt.tzinfo) -> list[str]:
    """Earlier handoffs of this customer, one line each, so the agent sees the story so far.

    Args:
        episodes: Finished handoffs, oldest first, with ``queued_at``, ``agent_name``,
            ``headline``, ``outcome``, ``next_steps``, ``handback_note`` and
            ``felt_heard`` (the customer's answer to "Did you feel heard?", or None).
        zone: The zone to show dates in.
    """
    lines = []
    for episode in episodes:
        when = dt.datetime.fromtimestamp(episode["queued_at"], zone).strftime("%d %b %Y")
        who = episode.get("agent_name") or "nobody (left in the queue)"
        outcome = episode.get("next_steps") if episode.get("outcome") == "closed" \
            else episode.get("handback_note")
        line = f"{when} · {who} · {_clean_text(episode.get('headline'), 120) or 'no summary'}"
        if outcome:
            line += f" → {_clean_text(outcome, 120)}"
        if episode.get("felt_heard") is not None:
            line += " · felt heard" if episode["felt_heard"] else " · did not feel heard"
        lines.append(line)
    return lines
