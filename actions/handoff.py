"""The summary a person from the team reads before taking a conversation over.

Two pure steps, each unit-tested on plain event dicts:
:func:`read_conversation` replays the tracker's events into a small
:class:`ConversationView`, and :func:`build_summary` turns that view into the
``calor.handoff`` payload of docs/protocol.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

from actions.tasks import TASKS, TaskSpec

Reason = Literal["customer_request", "bot_stuck"]
Progress = Literal["in_progress", "answered", "stopped"]

# Bot turns that offer a person because the bot could not follow; accepting
# such an offer is a handoff for "bot_stuck", not a plain request.
STUCK_OFFERS = frozenset({"utter_offer_human"})
# The offer made when the customer wants something the bot does not do.
OUT_OF_SCOPE_OFFER = "utter_out_of_scope"
_OFFERS = STUCK_OFFERS | {OUT_OF_SCOPE_OFFER}


_TASK_BY_FORM = {spec.form: spec for spec in TASKS.values() if spec.form}


@dataclass(frozen=True)
class TaskState:
    """How far the last routine task got.

    Attributes:
        spec: Which task.
        slots: Its non-empty slot values (when answered: as they were then).
        progress: Whether it is under way, answered or stopped.
        active_form: The form still collecting details, if any.
        requested_slot: The slot the bot last asked for, if the form is active.
    """

    spec: TaskSpec
    slots: Mapping[str, Any]
    progress: Progress
    active_form: str | None = None
    requested_slot: str | None = None


@dataclass(frozen=True)
class ConversationView:
    """What the summary needs to know about a conversation.

    Attributes:
        reason: Why the customer is being handed to a person.
        task: The last routine task, or None if none was started.
        accepted_offer_after: The bot's offer of a person that the customer
            just answered (e.g. ``utter_out_of_scope``), if any.
    """

    reason: Reason
    task: TaskState | None = None
    accepted_offer_after: str | None = None


class TaskSummary(TypedDict):
    """The ``task`` part of the handoff summary."""

    intent: str
    slots: dict[str, Any]
    active_form: str | None
    progress: str


class HandoffSummary(TypedDict):
    """The ``calor.handoff`` payload; the bridge fills in anything missing."""

    reason: str
    category: str | None
    cue: str | None
    headline: str
    task: TaskSummary | None
    suggested_opening: str | None
    unstated_needs: list[str]


@dataclass
class _Replay:
    """Mutable state while walking the events; never leaves this module."""

    slots: dict[str, Any] = field(default_factory=dict)
    spec: TaskSpec | None = None
    answered_slots: dict[str, Any] | None = None
    last_bot_action: str | None = None
    before_latest_user: str | None = None

    def start(self, spec: TaskSpec) -> None:
        self.spec = spec
        self.answered_slots = None

    def task_slots(self) -> dict[str, Any]:
        if self.spec is None:
            return {}
        values = self.answered_slots if self.answered_slots is not None else self.slots
        return {name: values[name] for name in self.spec.slots if values.get(name) not in (None, "")}


def _replay(events: Sequence[Mapping[str, Any]]) -> _Replay:
    state = _Replay()
    for event in events:
        kind = event.get("event")
        if kind == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            state.before_latest_user = state.last_bot_action
            if isinstance(intent, str) and intent in TASKS:
                state.start(TASKS[intent])
        elif kind == "slot":
            state.slots[str(event.get("name"))] = event.get("value")
        elif kind == "active_loop":
            # A form can start without its intent, e.g. when the customer
            # just types an order number; the form then names the task.
            spec = _TASK_BY_FORM.get(str(event.get("name")))
            if spec is not None and (spec is not state.spec or state.answered_slots is not None):
                state.start(spec)
        elif kind == "action":
            name = event.get("name")
            if name != "action_listen":
                state.last_bot_action = name
            if state.spec is not None and name == state.spec.done_action:
                state.answered_slots = dict(state.slots)
        elif kind == "restart":
            state = _Replay()
    return state


def read_conversation(
    events: Sequence[Mapping[str, Any]],
    active_form: str | None,
    requested_slot: str | None,
) -> ConversationView:
    """Replay a tracker's events into what the handoff summary needs.

    Args:
        events: The tracker's events as dicts (``tracker.events``).
        active_form: The form active right now (``tracker.active_loop``).
        requested_slot: The slot that form is asking for, if any.

    Returns:
        The reason for the handoff and the state of the last routine task.
    """
    state = _replay(events)
    reason: Reason = "bot_stuck" if state.before_latest_user in STUCK_OFFERS else "customer_request"
    offer = state.before_latest_user if state.before_latest_user in _OFFERS else None
    if state.spec is None:
        return ConversationView(reason=reason, accepted_offer_after=offer)
    spec = state.spec
    progress: Progress
    if spec.form is not None and active_form == spec.form:
        progress = "in_progress"
    elif state.answered_slots is not None:
        progress = "answered"
    else:
        progress = "stopped"
    task = TaskState(
        spec=spec,
        slots=state.task_slots(),
        progress=progress,
        active_form=active_form if progress == "in_progress" else None,
        requested_slot=requested_slot if progress == "in_progress" else None,
    )
    return ConversationView(reason=reason, task=task, accepted_offer_after=offer)


def _progress_note(task: TaskState) -> str:
    if task.progress == "answered":
        return "answered by the bot"
    if task.progress == "stopped":
        return "stopped by the customer before the bot answered"
    if task.requested_slot:
        label = task.spec.slot_labels.get(task.requested_slot, task.requested_slot)
        return f"bot was asking for the {label}"
    return "in progress"


def _headline(view: ConversationView) -> str:
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
    return f"{lead} after stopping partway through {activity}."


def _opening(view: ConversationView) -> str:
    task = view.task
    if view.reason == "bot_stuck":
        start = "Hi, thanks for your patience. Our assistant got stuck, but I've read the chat"
    else:
        start = "Hi, thanks for waiting. I've read the chat"
    if task is None:
        return f"{start}. How can I help?"
    activity = task.spec.activity(task.slots)
    if task.progress == "answered":
        return f"{start} and I can see you were {activity}. Is there more I can do there?"
    return f"{start} and I can see you were {activity}. Let's sort that out together."


def build_summary(view: ConversationView) -> HandoffSummary:
    """Build the ``calor.handoff`` summary the bridge hands to a person.

    Args:
        view: What :func:`read_conversation` made of the tracker.

    Returns:
        The summary, shaped as the Summary object of docs/protocol.md plus
        ``task.active_form`` and ``task.progress``.
    """
    task: TaskSummary | None = None
    if view.task is not None:
        task = {
            "intent": view.task.spec.intent,
            "slots": dict(view.task.slots),
            "active_form": view.task.active_form,
            "progress": _progress_note(view.task),
        }
    return {
        "reason": view.reason,
        # Distress detection fills category and cue in a later slice.
        "category": None,
        "cue": None,
        "headline": _headline(view),
        "task": task,
        "suggested_opening": _opening(view),
        "unstated_needs": [],
    }
