"""The shared form for account tasks: which slots a task needs, and checking each answer.

One form, ``account_task_form``, serves every task on a customer's account;
the ``task`` slot says which, and :meth:`ValidateAccountTaskForm.required_slots`
asks only for what that task needs. Verification (account number or phone,
then ZIP code) is kept across tasks in one conversation.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from datetime import date
from typing import Any

from rasa_sdk import FormValidationAction, Tracker  # type: ignore[import-untyped]
from rasa_sdk.executor import CollectingDispatcher  # type: ignore[import-untyped]

from actions.store_accounts import Account, AccountStore, Line, get_account_store
from actions.task_parse import (
    clean_name,
    format_trip,
    parse_address,
    parse_trip,
    pick_line,
    pick_plan,
    read_trip,
)
from actions.task_words import UNAVAILABLE
from actions.tasks import ACCOUNT_TASKS, TASKS

logger = logging.getLogger(__name__)

# Roaming quotes a price before asking who the customer is.
ORDER = {"add_roaming": ("destination", "trip_dates", "account_ref", "postcode", "line_choice",
                         "confirm_change")}
_ZIP = re.compile(r"\b(\d{5})(?:-\d{4})?\b")

StoreFactory = Callable[[], AccountStore]


def task_slots(task: str | None) -> list[str]:
    """The slots a task asks for, in order.

    Args:
        task: An account task's intent name.

    Returns:
        The slot names; empty for anything that is not an account task.
    """
    if task not in ACCOUNT_TASKS:
        return []
    return list(ORDER.get(task, TASKS[task].slots))


def relevant_lines(task: str | None, account: Account, store: AccountStore) -> list[Line]:
    """The lines a task can be about: mobile lines for roaming, recent changes for a swap."""
    if task == "add_roaming":
        return [line for line in account.lines if line.plan.kind == "mobile"]
    if task == "exchange_purchase":
        recent = [line for line in account.lines if store.recent_plan_change(line.id)]
        return recent or list(account.lines)
    return list(account.lines)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


class ValidateAccountTaskForm(FormValidationAction):  # type: ignore[misc]
    """Check each answer against the demo store and explain kindly when it's off."""

    def __init__(self, store: StoreFactory = get_account_store,
                 today: Callable[[], date] = date.today) -> None:
        """Create the validator.

        Args:
            store: Gives the account store.
            today: The clock, for trip dates.
        """
        super().__init__()
        self._store = store
        self._today = today

    def name(self) -> str:
        """Return the action name Rasa calls before each form turn."""
        return "validate_account_task_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: dict[str, Any]) -> list[str]:
        """Ask only for what the current task needs.

        Args:
            domain_slots: Every slot the form could ask for.
            dispatcher: Unused.
            tracker: The conversation; its ``task`` slot picks the slots.
            domain: Unused.

        Returns:
            The task's slots, in the order they are asked.
        """
        return task_slots(tracker.get_slot("task"))

    def _account(self, tracker: Tracker) -> Account | None:
        account_id = tracker.get_slot("account_id")
        return self._store().account(account_id) if account_id else None

    def validate_account_ref(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        """Find the account from an account number or a phone number on it."""
        if value and value == tracker.get_slot("account_id"):
            # Re-checked when a second task's form starts: already verified,
            # so the ZIP code stays.
            return {"account_ref": value}
        try:
            account_id = self._store().find_account_id(_text(value))
        except sqlite3.Error:
            logger.exception("Account lookup failed")
            dispatcher.utter_message(text=UNAVAILABLE)
            return {"account_ref": None}
        if account_id is None:
            dispatcher.utter_message(
                text="I couldn't find an account with that. The account number is on the bill "
                     "and looks like ACC-1001, or you can give me any phone number on the account.")
            return {"account_ref": None, "account_id": None}
        return {"account_ref": account_id, "account_id": account_id, "postcode": None}

    def validate_postcode(self, value: Any, dispatcher: CollectingDispatcher,
                          tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        """Check the ZIP code; on success, pick the line when there is only one."""
        match = _ZIP.search(_text(value))
        account_id = tracker.get_slot("account_id")
        # Re-checked when a second task's form starts: the customer was
        # verified already, even if this conversation has since changed the
        # address and so the ZIP code.
        again = bool(account_id and tracker.get_slot("requested_slot") != "postcode")
        try:
            ok = bool(match and account_id and (again or self._store().postcode_matches(
                account_id, match.group(1))))
            account = self._account(tracker) if ok else None
        except sqlite3.Error:
            logger.exception("Verification failed")
            dispatcher.utter_message(text=UNAVAILABLE)
            return {"postcode": None}
        if not ok or account is None or match is None:
            dispatcher.utter_message(
                text="That ZIP code doesn't match what we have for this account. Could you "
                     "check it? It's the five digits on the bill's address.")
            return {"postcode": None}
        result: dict[str, Any] = {"postcode": match.group(1)}
        task = tracker.get_slot("task")
        if "line_choice" in task_slots(task) and not tracker.get_slot("line_choice"):
            lines = relevant_lines(task, account, self._store())
            if len(lines) == 1:
                result["line_choice"] = lines[0].id
        return result

    def validate_line_choice(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        """Match the answer to one of the account's lines."""
        account = self._account(tracker)
        if account is None:
            return {"line_choice": None}
        lines = relevant_lines(tracker.get_slot("task"), account, self._store())
        line = pick_line(_text(value), lines)
        if line is None:
            dispatcher.utter_message(text="Sorry, I couldn't tell which line you mean. You can "
                                          "tap one of the buttons, or type the phone number.")
            return {"line_choice": None}
        return {"line_choice": line.id}

    def validate_new_plan(self, value: Any, dispatcher: CollectingDispatcher,
                          tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        """Match the answer to a plan of the same kind as the line's."""
        account = self._account(tracker)
        line = next((ln for ln in account.lines if ln.id == tracker.get_slot("line_choice")),
                    None) if account else None
        if line is None:
            return {"new_plan": None}
        options = [p for p in self._store().plans(line.plan.kind) if p.code != line.plan.code]
        plan = pick_plan(_text(value), options)
        if plan is None:
            dispatcher.utter_message(text="Sorry, I didn't catch which plan. You can tap one of "
                                          "the buttons, or type its name.")
            return {"new_plan": None}
        return {"new_plan": plan.code}

    def validate_new_address(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        """Accept an address with street, city, state and ZIP code."""
        address = parse_address(_text(value))
        if address is None:
            dispatcher.utter_message(text="I couldn't quite read that as an address. Could you "
                                          "write it like this: 12 Pine Road, Springfield, IL "
                                          "62704?")
            return {"new_address": None}
        return {"new_address": f"{address.line1}, {address.city}, {address.region} "
                               f"{address.postal_code}"}

    def validate_destination(self, value: Any, dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        """Find the country and check a travel pass covers it."""
        text = _text(value)
        words = re.findall(r"[A-Za-z]+", text)
        candidates = [text, *[" ".join(words[i:i + 2]) for i in range(len(words))], *words]
        store = self._store()
        for candidate in candidates:
            found = store.travel_pass_for(candidate) if candidate.strip() else None
            if found:
                return {"destination": found[0]}
        dispatcher.utter_message(text="I couldn't find a travel pass for that place. Which "
                                      "country are you going to? A person from our team can "
                                      "also check anywhere I don't know.")
        return {"destination": None}

    def validate_trip_dates(self, value: Any, dispatcher: CollectingDispatcher,
                            tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        """Read the first and last day of the trip."""
        try:
            # Already read (the form re-checks filled slots when it resumes).
            read_trip(_text(value))
            return {"trip_dates": value}
        except ValueError:
            pass
        trip = parse_trip(_text(value), self._today())
        if trip is None:
            dispatcher.utter_message(text="Sorry, I couldn't read those dates. Could you give me "
                                          "the first and last day, like: Dec 3 to Dec 10?")
            return {"trip_dates": None}
        return {"trip_dates": format_trip(*trip)}

    def validate_new_holder_name(self, value: Any, dispatcher: CollectingDispatcher,
                                 tracker: Tracker, domain: dict[str, Any]) -> dict[str, Any]:
        """Accept a full name."""
        name = clean_name(_text(value))
        if name is None:
            dispatcher.utter_message(text="Could you type the full name, first and last, as "
                                          "it should appear on the account?")
            return {"new_holder_name": None}
        return {"new_holder_name": name}
