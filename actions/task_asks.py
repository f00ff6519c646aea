"""The questions of the account task form, one action per slot.

Each question knows the conversation: it is gentler after the customer
shared something hard, shorter when it is asked again (the validator has
already said what was wrong), and always has a way out.
"""

from __future__ import annotations

import logging
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, Tracker  # type: ignore[import-untyped]
from rasa_sdk.executor import CollectingDispatcher  # type: ignore[import-untyped]

from actions.buttons import NEVER_MIND, TALK_TO_A_PERSON
from actions.store_accounts import AccountStore, get_account_store
from actions.task_complete import confirmation
from actions.task_form import relevant_lines
from actions.task_parse import read_trip
from actions.task_words import (
    UNAVAILABLE,
    ask_account_ref,
    ask_address,
    ask_holder,
    ask_line,
    ask_plan,
    ask_postcode,
    line_label,
    price,
    trip_quote,
)

logger = logging.getLogger(__name__)

Button = dict[str, str]
YES = {"title": "Yes, go ahead", "payload": "/affirm"}
NO = {"title": "No, leave it", "payload": "/deny"}


def _rejected(segment: list[dict[str, Any]], slot: str) -> bool:
    values = [e.get("value") for e in segment if e.get("event") == "slot" and e.get("name") == slot]
    return len(values) >= 2 and values[-1] is None and any(v is not None for v in values[:-1])


def rejections_in_a_row(events: list[dict[str, Any]], slot: str) -> int:
    """Count the customer's latest answers to this slot that were turned down, in a row.

    A rejection shows as the slot being filled from the message and then
    emptied again before the next message. After an interruption (a
    store-hours question, say) or a fresh start the count is zero, so the full
    question comes back.
    """
    count, segment = 0, []
    for event in reversed(events):
        if event.get("event") != "user":
            segment.append(event)
            continue
        if not _rejected(list(reversed(segment)), slot):
            break
        count, segment = count + 1, []
    return count


def asked_before(events: list[dict[str, Any]], slot: str) -> bool:
    """Whether the customer's last message answered this slot and was turned down."""
    return rejections_in_a_row(events, slot) > 0


RETRY = "Could you try once more? Or say stop and we'll leave it."
STUCK = ("I'm not getting this right, and I don't want to keep you going round in circles. "
         "Would you like a person from our team to sort it out with you? Or you can try once "
         "more.")


class _AskTaskSlot(Action, ABC):  # type: ignore[misc]
    """Base of the questions: builds text and buttons, adds the ways out."""

    slot = ""

    def __init__(self, store: Callable[[], AccountStore] = get_account_store) -> None:
        """Create the question.

        Args:
            store: Gives the account store, for lines, plans and prices.
        """
        super().__init__()
        self._store = store

    @abstractmethod
    def name(self) -> str:
        """Return ``action_ask_<slot>``."""

    @abstractmethod
    def question(self, tracker: Tracker, gentle: bool) -> tuple[str, list[Button]]:
        """The question and its own buttons (the ways out are added after)."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        """Ask the question.

        Args:
            dispatcher: Sends it.
            tracker: The conversation.
            domain: Unused.

        Returns:
            No events.
        """
        gentle = tracker.get_slot("distress_category") is not None
        try:
            text, buttons = self.question(tracker, gentle)
        except sqlite3.Error:
            logger.exception("Store unavailable while asking for %s", self.slot)
            dispatcher.utter_message(text=UNAVAILABLE, buttons=[TALK_TO_A_PERSON])
            return []
        tries = rejections_in_a_row(list(tracker.events), self.slot)
        ways_out = [NEVER_MIND, TALK_TO_A_PERSON]
        if tries >= 2:
            # Two answers in a row turned down: a person, not a third lap.
            text, ways_out = STUCK, [TALK_TO_A_PERSON, NEVER_MIND]
        elif tries:
            text = RETRY
        dispatcher.utter_message(text=text, buttons=[*buttons, *ways_out])
        return []

    def _account(self, tracker: Tracker) -> Any:
        account = self._store().account(str(tracker.get_slot("account_id")))
        if account is None:
            raise sqlite3.OperationalError("verified account has gone")
        return account


class ActionAskAccountRef(_AskTaskSlot):
    """Ask for the account number or a phone number on it."""

    slot = "account_ref"

    def name(self) -> str:
        """Return the action name."""
        return "action_ask_account_ref"

    def question(self, tracker: Tracker, gentle: bool) -> tuple[str, list[Button]]:
        """Ask; for roaming, quote the price first."""
        quote = None
        destination, dates = tracker.get_slot("destination"), tracker.get_slot("trip_dates")
        if tracker.get_slot("task") == "add_roaming" and destination and dates:
            found = self._store().travel_pass_for(destination)
            if found:
                quote = trip_quote(found[0], found[1], *read_trip(dates))
        return ask_account_ref(gentle, quote), []


class ActionAskPostcode(_AskTaskSlot):
    """Ask for the ZIP code on the account."""

    slot = "postcode"

    def name(self) -> str:
        """Return the action name."""
        return "action_ask_postcode"

    def question(self, tracker: Tracker, gentle: bool) -> tuple[str, list[Button]]:
        """Ask."""
        return ask_postcode(gentle), []


class ActionAskLineChoice(_AskTaskSlot):
    """Ask which line, with one button per line."""

    slot = "line_choice"

    def name(self) -> str:
        """Return the action name."""
        return "action_ask_line_choice"

    def question(self, tracker: Tracker, gentle: bool) -> tuple[str, list[Button]]:
        """Ask, listing the lines the task can be about."""
        account = self._account(tracker)
        task = str(tracker.get_slot("task"))
        lines = relevant_lines(task, account, self._store())
        buttons = [{"title": line_label(line), "payload": f'/inform{{"option": "{line.id}"}}'}
                   for line in lines]
        return ask_line(task, gentle, account), buttons


class ActionAskNewPlan(_AskTaskSlot):
    """Ask which plan, with one button per plan of the same kind."""

    slot = "new_plan"

    def name(self) -> str:
        """Return the action name."""
        return "action_ask_new_plan"

    def question(self, tracker: Tracker, gentle: bool) -> tuple[str, list[Button]]:
        """Ask, showing what the line has now and each option's price."""
        account = self._account(tracker)
        line = next(ln for ln in account.lines if ln.id == tracker.get_slot("line_choice"))
        store = self._store()
        recent = (store.recent_plan_change(line.id)
                  if tracker.get_slot("task") == "exchange_purchase" else None)
        options = [p for p in store.plans(line.plan.kind) if p.code != line.plan.code]
        buttons = [{"title": f"{p.name} · {price(p)}", "payload": f'/inform{{"option": "{p.code}"}}'}
                   for p in options]
        return ask_plan(line, recent), buttons


class ActionAskNewAddress(_AskTaskSlot):
    """Ask for the new billing and mailing address."""

    slot = "new_address"

    def name(self) -> str:
        """Return the action name."""
        return "action_ask_new_address"

    def question(self, tracker: Tracker, gentle: bool) -> tuple[str, list[Button]]:
        """Ask."""
        return ask_address(gentle), []


class ActionAskDestination(_AskTaskSlot):
    """Ask where the customer is travelling."""

    slot = "destination"

    def name(self) -> str:
        """Return the action name."""
        return "action_ask_destination"

    def question(self, tracker: Tracker, gentle: bool) -> tuple[str, list[Button]]:
        """Ask."""
        lead = "" if gentle else "Happy to sort out a travel pass. "
        return f"{lead}Which country are you going to?", []


class ActionAskTripDates(_AskTaskSlot):
    """Ask for the first and last day of the trip."""

    slot = "trip_dates"

    def name(self) -> str:
        """Return the action name."""
        return "action_ask_trip_dates"

    def question(self, tracker: Tracker, gentle: bool) -> tuple[str, list[Button]]:
        """Ask."""
        return ("What are the first and last days of your trip? For example: Dec 3 to Dec 10.",
                [])


class ActionAskNewHolderName(_AskTaskSlot):
    """Ask whose name the account should move into."""

    slot = "new_holder_name"

    def name(self) -> str:
        """Return the action name."""
        return "action_ask_new_holder_name"

    def question(self, tracker: Tracker, gentle: bool) -> tuple[str, list[Button]]:
        """Ask, more softly when the holder has died."""
        return ask_holder(self._account(tracker), gentle), []


class ActionAskConfirmChange(_AskTaskSlot):
    """Say exactly what will change and ask for a yes before doing it."""

    slot = "confirm_change"

    def name(self) -> str:
        """Return the action name."""
        return "action_ask_confirm_change"

    def question(self, tracker: Tracker, gentle: bool) -> tuple[str, list[Button]]:
        """Summarise the change for the current task."""
        return confirmation(tracker, self._store(), gentle), [YES, NO]
