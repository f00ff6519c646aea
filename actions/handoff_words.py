"""The sentences of the handoff summary: headline, progress and opening line.

Pure functions over a :class:`ConversationView`. The headline is written for
an agent glancing at a queue: one sentence, who the customer is right now,
what they want and how far they got.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from actions.needs import short_cue, situation
from actions.tasks import TaskSpec

Reason = Literal["distress", "customer_request", "bot_stuck"]
Progress = Literal["in_progress", "answered", "stopped", "paused", "not_started"]

# Bot turns that offer a person because the bot could not follow; accepting
# such an offer is a handoff for "bot_stuck", not a plain request.
STUCK_OFFERS = frozenset({"utter_offer_human", "utter_offer_human_repeat"})
# The offer made when the customer wants something the bot does not do.
OUT_OF_SCOPE_OFFER = "utter_out_of_scope"

_WHO = {
    "grief": "Grieving customer",
    "overwhelm": "Overwhelmed customer",
    "loneliness": "Lonely customer",
}


@dataclass(frozen=True)
class TaskState:
    """How far the last routine task got.

    Attributes:
        spec: Which task.
        slots: Its non-empty slot values (when answered: as they were then).
        progress: Whether it is under way, answered, stopped, paused by the
            bot to listen, or only mentioned.
        active_form: The form still collecting details, if any.
        requested_slot: The slot the bot last asked for, if the form is active.
    """

    spec: TaskSpec
    slots: Mapping[str, Any]
    progress: Progress
    active_form: str | None = None
    requested_slot: str | None = None


@dataclass(frozen=True)
class Distress:
    """What the customer shared, as DistressDetector read it.

    Attributes:
        category: grief, overwhelm, loneliness or crisis.
        cue: The customer's own words, verbatim.
        subject: Who or what it is about, e.g. "your wife".
    """

    category: str
    cue: str | None = None
    subject: str | None = None


@dataclass(frozen=True)
class ConversationView:
    """What the summary needs to know about a conversation.

    Attributes:
        reason: Why the customer is being handed to a person.
        task: The last routine task, or None if none was started or mentioned.
        accepted_offer_after: The bot's offer of a person that the customer
            just answered (e.g. ``utter_out_of_scope``), if any.
        distress: What the customer shared, if anything.
    """

    reason: Reason
    task: TaskState | None = None
    accepted_offer_after: str | None = None
    distress: Distress | None = None


def progress_note(task: TaskState) -> str:
    """Say how far a task got, for the summary's ``task.progress``.

    Args:
        task: The task.

    Returns:
        A short phrase such as "bot was asking for the ZIP code".
    """
    if task.progress == "answered":
        return "answered by the bot"
    if task.progress == "stopped":
        return "stopped by the customer before the bot answered"
    if task.progress == "paused":
        return "paused by the bot to listen; nothing changed yet"
    if task.progress == "not_started":
        return "mentioned by the customer; not started yet"
    if task.requested_slot:
        label = task.spec.slot_labels.get(task.requested_slot, task.requested_slot)
        return f"bot was asking for the {label}"
    return "in progress"


def _distress_headline(view: ConversationView, distress: Distress) -> str:
    cue = short_cue(distress.cue)
    if distress.category == "crisis":
        said = f' (said "{cue}")' if cue else ""
        return f"Customer in crisis{said}; crisis resources shown, needs a person now."
    who = _WHO.get(distress.category, "Distressed customer")
    if cue:
        who = f"{who} ({cue})"
    task = view.task
    if task is None:
        return f"{who} shared what's going on; no task started."
    wants = task.spec.wants
    if task.progress == "answered":
        return f"{who} wanted to {wants}; the bot has done it."
    if task.progress == "in_progress" and task.requested_slot == "confirm_change":
        return f"{who} wants to {wants}; hasn't confirmed yet."
    if task.progress in ("in_progress", "paused"):
        return f"{who} wants to {wants}; nothing changed yet."
    if task.progress == "not_started":
        return f"{who} wants to {wants}; not started yet."
    return f"{who} wanted to {wants} but stopped partway."


def headline(view: ConversationView) -> str:
    """One sentence an agent can read in two seconds.

    Args:
        view: The conversation.

    Returns:
        The headline, ending in a single full stop.
    """
    if view.distress is not None:
        return _distress_headline(view, view.distress)
    if view.reason == "bot_stuck":
        lead = "The bot couldn't understand the customer twice in a row"
    elif view.accepted_offer_after == OUT_OF_SCOPE_OFFER:
        lead = "Customer asked for something the bot can't do and wants a person"
    else:
        lead = "Customer asked for a person"
    task = view.task
    if task is None:
        plain = view.reason == "customer_request" and view.accepted_offer_after is None
        return f"{lead} before starting anything with the bot." if plain else f"{lead}."
    activity = task.spec.activity(task.slots)
    if task.progress == "in_progress":
        return f"{lead} while {activity}."
    if task.progress == "answered":
        return f"{lead} after {activity} with the bot."
    if task.progress == "not_started":
        return f"{lead} and wants to {task.spec.wants}."
    return f"{lead} after stopping partway through {activity}."


def _distress_opening(view: ConversationView, distress: Distress) -> str:
    wants = f" When you're ready, I can help you {view.task.spec.wants}." if view.task else ""
    if distress.category == "crisis":
        return (
            "Hi, I'm here with you now, and I've read what you wrote. "
            "Are you safe right now?"
        )
    if distress.category == "loneliness":
        return (
            "Hi, I'm really glad you reached out, and I've got time, so there's no rush at all. "
            "How are you doing today?"
        )
    if situation(distress.category, distress.cue, distress.subject) == "bereavement":
        about = distress.subject or "your loss"
        return (
            f"Hi, I'm so sorry about {about}. I've read the chat, so you don't need to "
            f"repeat anything. Please take all the time you need.{wants}"
        )
    return (
        "Hi, I've read the chat, and it sounds like you've got a lot on right now. "
        f"We'll take it one step at a time.{wants}"
    )


def opening(view: ConversationView) -> str:
    """A line the agent can start with: the person first, then the task.

    Args:
        view: The conversation.

    Returns:
        The suggested opening line.
    """
    if view.distress is not None:
        return _distress_opening(view, view.distress)
    task = view.task
    if view.reason == "bot_stuck":
        start = "Hi, thanks for your patience. Our assistant got stuck, but I've read the chat"
    else:
        start = "Hi, thanks for waiting. I've read the chat"
    if task is None:
        return f"{start}. How can I help?"
    if task.progress == "not_started":
        return f"{start} and I can see you'd like to {task.spec.wants}. Let's sort that out together."
    activity = task.spec.activity(task.slots)
    if task.progress == "answered":
        return f"{start} and I can see you were {activity}. Is there more I can do there?"
    return f"{start} and I can see you were {activity}. Let's sort that out together."
