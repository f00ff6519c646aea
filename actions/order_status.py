"""Order status: validating the order number and telling the customer."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker  # type: ignore[import-untyped]
from rasa_sdk.events import SlotSet  # type: ignore[import-untyped]
from rasa_sdk.executor import CollectingDispatcher  # type: ignore[import-untyped]

from actions.buttons import NEVER_MIND, TALK_TO_A_PERSON
from actions.replies import (
    ORDER_UNAVAILABLE,
    not_an_order_id_reply,
    order_not_found_reply,
    order_status_reply,
)
from actions.store import DemoStore, get_store, normalize_order_id

logger = logging.getLogger(__name__)

FORM = "order_status_form"
ORDER_ID = "order_id"

FIRST_ASK = (
    "Sure, I can check that. What's the order number? It's a letter and four digits, "
    "like A1001, and it's in your order confirmation email. If you'd rather leave it, "
    "just say stop."
)
RETRY_ASK = (
    "Could you check the number and send it again? If it's easier, I can bring in a "
    "person from our team, or just say stop and we'll leave it."
)
# After an interruption (a question, a misunderstanding) the customer already
# heard the introduction, so only the question itself comes back.
ASK_AGAIN = (
    "What's the order number? It's a letter and four digits, like A1001. "
    "If you'd rather leave it, just say stop."
)

def _first_text(value: Any) -> str | None:
    # An entity found twice ("A1001 or A1002?") arrives as a list; the first
    # one is what the customer led with.
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None


class ValidateOrderStatusForm(FormValidationAction):  # type: ignore[misc]
    """Accept an order number only when the demo store knows it."""

    def __init__(self, store: Callable[[], DemoStore] = get_store) -> None:
        """Create the validator.

        Args:
            store: Gives the store to look orders up in.
        """
        super().__init__()
        self._store = store

    def name(self) -> str:
        """Return the action name Rasa calls before each form turn."""
        return "validate_order_status_form"

    def validate_order_id(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> dict[str, Any]:
        """Check that the order number exists; explain kindly when it does not.

        Args:
            slot_value: What the entity extractor found.
            dispatcher: Sends the explanation to the customer.
            tracker: The conversation (unused).
            domain: The domain (unused).

        Returns:
            The canonical order number, or None so the form asks again.
        """
        raw = _first_text(slot_value)
        order_id = normalize_order_id(raw) if raw else None
        if order_id is None:
            dispatcher.utter_message(text=not_an_order_id_reply())
            return {ORDER_ID: None}
        try:
            order = self._store().find_order(order_id)
        except sqlite3.Error:
            # Fail open: the final action reports the outage, which beats
            # asking the customer again for a number that may be right.
            logger.exception("Order lookup failed while validating the order number")
            return {ORDER_ID: order_id}
        if order is None:
            logger.info("Order number not found; asking again")
            dispatcher.utter_message(text=order_not_found_reply(order_id))
            return {ORDER_ID: None}
        return {ORDER_ID: order_id}


class ActionOrderStatus(Action):  # type: ignore[misc]
    """Tell the customer where their order is, then forget the number."""

    def __init__(
        self,
        store: Callable[[], DemoStore] = get_store,
        today: Callable[[], date] = date.today,
    ) -> None:
        """Create the action.

        Args:
            store: Gives the store to look orders up in.
            today: The clock, for "arrives tomorrow".
        """
        super().__init__()
        self._store = store
        self._today = today

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_order_status"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Look the order up and reply with status, carrier and date.

        Args:
            dispatcher: Sends the reply.
            tracker: The conversation; its order_id slot names the order.
            domain: The domain (unused).

        Returns:
            A reset of order_id, so the next question about an order asks
            for its number afresh instead of reusing this one.
        """
        order_id = _first_text(tracker.get_slot(ORDER_ID))
        try:
            order = self._store().find_order(order_id) if order_id else None
        except sqlite3.Error:
            logger.exception("Order lookup failed")
            dispatcher.utter_message(text=ORDER_UNAVAILABLE)
            return [SlotSet(ORDER_ID, None)]
        if order is None:
            # Validation normally prevents this; say something useful anyway.
            dispatcher.utter_message(text=ORDER_UNAVAILABLE)
        else:
            dispatcher.utter_message(text=order_status_reply(order, self._today()))
        return [SlotSet(ORDER_ID, None)]


def ask_order_id_text(latest_message: dict[str, Any]) -> str:
    """Choose how to ask for the order number, given the customer's last message.

    Args:
        latest_message: The tracker's ``latest_message`` parse data.

    Returns:
        The retry wording when that message tried to give an order number (so
        it was rejected), the full introduction when it asked about an order,
        and the bare question otherwise (after an interruption).
    """
    intent = (latest_message.get("intent") or {}).get("name")
    entities = latest_message.get("entities") or []
    if intent == "inform" or any(e.get("entity") == ORDER_ID for e in entities):
        return RETRY_ASK
    if intent == "order_status":
        return FIRST_ASK
    return ASK_AGAIN


class ActionAskOrderId(Action):  # type: ignore[misc]
    """Ask for the order number, differently when the last one was not found."""

    def name(self) -> str:
        """Return the name the form calls to ask for order_id."""
        return "action_ask_order_id"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Ask for the order number, always with a way out.

        Args:
            dispatcher: Sends the question.
            tracker: The conversation, to tell a first ask from a retry.
            domain: The domain (unused).

        Returns:
            No events.
        """
        dispatcher.utter_message(
            text=ask_order_id_text(tracker.latest_message or {}),
            buttons=[NEVER_MIND, TALK_TO_A_PERSON],
        )
        return []
