"""The summary a person from the team reads before taking a conversation over.

Two pure steps, each unit-tested on plain event dicts:
:func:`read_conversation` replays the tracker's events into a small
:class:`ConversationView`, and :func:`build_summary` turns that view into the
``calor.handoff`` payload of docs/protocol.md (wording in handoff_words.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from actions.handoff_words import (
    OUT_OF_SCOPE_OFFER,
    STUCK_OFFERS,
    ConversationView,
    Distress,
    Progress,
    Reason,
    TaskState,
    headline,
    opening,
    progress_note,
)
from actions.needs import unstated_needs
from actions.tasks import ACCOUNT_FORM, TASKS, TaskSpec

__all__ = ["ConversationView", "Distress", "TaskState", "build_summary", "read_conversation"]

_OFFERS = STUCK_OFFERS | {OUT_OF_SCOPE_OFFER}

# Only a form that belongs to one task names it; the shared account form
# says which task it is doing through the `task` slot instead.
_FORM_SPECS: dict[str, list[TaskSpec]] = {}
for _spec in TASKS.values():
    if _spec.form:
        _FORM_SPECS.setdefault(_spec.form, []).append(_spec)
_TASK_BY_FORM = {form: specs[0] for form, specs in _FORM_SPECS.items() if len(specs) == 1}

_DISTRESS_SLOTS = ("distress_category", "distress_cue", "distress_subject")


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
            # Account tasks start when action_start_task sets `task`, not on
            # the intent: a third repeat starts nothing.
            if isinstance(intent, str) and intent in TASKS and TASKS[intent].form != ACCOUNT_FORM:
                state.start(TASKS[intent])
        elif kind == "slot":
            name, value = str(event.get("name")), event.get("value")
            state.slots[name] = value
            current = state.spec.intent if state.spec else None
            fresh = value != current or state.answered_slots is not None
            if name == "task" and isinstance(value, str) and value in TASKS and fresh:
                state.start(TASKS[value])
        elif kind == "active_loop":
            # A form can start without its intent, e.g. when the customer
            # just types an order number; the form then names the task.
            spec = _TASK_BY_FORM.get(str(event.get("name")))
            if spec is not None and (spec is not state.spec or state.answered_slots is not None):
                state.start(spec)
        elif kind == "action":
            action_name = event.get("name")
            if action_name != "action_listen":
                state.last_bot_action = action_name
            if state.spec is not None and action_name == state.spec.done_action:
                state.answered_slots = dict(state.slots)
        elif kind == "restart":
            state = _Replay()
    return state


def _distress(slots: Mapping[str, Any], category: str | None) -> Distress | None:
    category = category or slots.get("distress_category")
    if not isinstance(category, str) or not category:
        return None
    cue, subject = (slots.get(name) for name in _DISTRESS_SLOTS[1:])
    return Distress(
        category=category,
        cue=cue if isinstance(cue, str) and cue else None,
        subject=subject if isinstance(subject, str) and subject else None,
    )


def read_conversation(
    events: Sequence[Mapping[str, Any]],
    active_form: str | None,
    requested_slot: str | None,
    category: str | None = None,
) -> ConversationView:
    """Replay a tracker's events into what the handoff summary needs.

    Args:
        events: The tracker's events as dicts (``tracker.events``).
        active_form: The form active right now (``tracker.active_loop``).
        requested_slot: The slot that form is asking for, if any.
        category: A distress category that overrides what the slots say
            (the crisis action knows it is a crisis even if no slot says so).

    Returns:
        The reason for the handoff, any distress and the state of the last
        routine task (or the task a distressed customer mentioned).
    """
    state = _replay(events)
    distress = _distress(state.slots, category)
    reason: Reason
    if distress is not None:
        reason = "distress"
    elif state.before_latest_user in STUCK_OFFERS:
        reason = "bot_stuck"
    else:
        reason = "customer_request"
    offer = state.before_latest_user if state.before_latest_user in _OFFERS else None
    if state.spec is None:
        mentioned = state.slots.get("task_intent")
        task = None
        if isinstance(mentioned, str) and mentioned in TASKS:
            task = TaskState(spec=TASKS[mentioned], slots={}, progress="not_started")
        return ConversationView(reason=reason, task=task, accepted_offer_after=offer,
                                distress=distress)
    spec = state.spec
    progress: Progress
    if spec.form is not None and active_form == spec.form:
        progress = "in_progress"
    elif state.answered_slots is not None:
        progress = "answered"
    elif spec.form is not None and state.last_bot_action == "action_acknowledge_distress":
        # The bot paused the form to acknowledge what the customer shared.
        progress = "paused"
    else:
        progress = "stopped"
    task = TaskState(
        spec=spec,
        slots=state.task_slots(),
        progress=progress,
        active_form=active_form if progress == "in_progress" else None,
        requested_slot=requested_slot if progress == "in_progress" else None,
    )
    return ConversationView(reason=reason, task=task, accepted_offer_after=offer,
                            distress=distress)


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
            "progress": progress_note(view.task),
        }
    distress = view.distress
    return {
        "reason": view.reason,
        "category": distress.category if distress else None,
        "cue": distress.cue if distress else None,
        "headline": headline(view),
        "task": task,
        "suggested_opening": opening(view),
        "unstated_needs": (
            unstated_needs(distress.category, distress.cue, distress.subject) if distress else []
        ),
    }
