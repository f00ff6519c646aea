"""Shared helpers: a fixed day and builders for tracker events.

Tracker events are written as the action server receives them (plain dicts).
"""

from __future__ import annotations

from datetime import date
from typing import Any

# A Saturday, so "today" and weekend hours are both exercised.
TODAY = date(2026, 11, 21)

Event = dict[str, Any]


def user(intent: str, text: str = "", **entities: str) -> Event:
    return {
        "event": "user",
        "text": text,
        "parse_data": {
            "intent": {"name": intent, "confidence": 1.0},
            "entities": [{"entity": k, "value": v} for k, v in entities.items()],
        },
    }


def action(name: str) -> Event:
    return {"event": "action", "name": name}


def slot(name: str, value: Any) -> Event:
    return {"event": "slot", "name": name, "value": value}


def loop(name: str | None) -> Event:
    return {"event": "active_loop", "name": name}


def greeted() -> list[Event]:
    return [action("action_listen"), user("greet", "hi"), action("utter_greet"),
            action("action_listen")]


def asked_for_order() -> list[Event]:
    """The customer asked about an order and the form asked for its number."""
    return [user("order_status", "where is my order"), action("order_status_form"),
            loop("order_status_form"), slot("requested_slot", "order_id"),
            action("action_listen")]


def answered(order_id: str) -> list[Event]:
    """The customer gave a valid number and the bot answered."""
    return [user("inform", order_id, order_id=order_id), slot("order_id", order_id),
            action("order_status_form"), slot("order_id", order_id),
            slot("requested_slot", None), loop(None), action("action_order_status"),
            slot("order_id", None), action("action_listen")]


def make_tracker(
    events: list[Event] | None = None,
    slots: dict[str, Any] | None = None,
    active_loop: str | None = None,
) -> Any:
    """A rasa_sdk Tracker as the action server builds it, latest message from the events."""
    from rasa_sdk import Tracker

    events = events or []
    latest = next((e["parse_data"] for e in reversed(events) if e["event"] == "user"), {})
    latest = {**latest, "text": next((e.get("text") for e in reversed(events)
                                      if e["event"] == "user"), "")}
    return Tracker(
        sender_id="test",
        slots={"requested_slot": None, **(slots or {})},
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def distressed(category: str, cue: str, subject: str | None = None,
               task: str | None = None) -> list[Event]:
    """A share_distress (or crisis) turn with the slots DistressDetector's entities set."""
    entities = {"distress_category": category, "distress_cue": cue}
    if subject:
        entities["distress_subject"] = subject
    if task:
        entities["task_intent"] = task
    intent = "crisis" if category == "crisis" else "share_distress"
    return [user(intent, cue, **entities),
            *[slot(name, value) for name, value in entities.items()]]
