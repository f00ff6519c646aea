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
