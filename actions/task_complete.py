"""Confirming and making the change of an account task, or stopping it.

Nothing in the store changes unless ``confirm_change`` is true, which only a
"yes" to the exact summary from :func:`confirmation` can set.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, Tracker  # type: ignore[import-untyped]
from rasa_sdk.events import SlotSet  # type: ignore[import-untyped]
from rasa_sdk.executor import CollectingDispatcher  # type: ignore[import-untyped]

from actions.buttons import TALK_TO_A_PERSON
from actions.needs import situation
from actions.store_accounts import Account, AccountStore, Line, get_account_store
from actions.task_parse import parse_address, read_trip
from actions.task_words import (
    NOTHING_CHANGED,
    STOPPED,
    UNAVAILABLE,
    care_offer,
    confirm_address,
    confirm_plan,
    confirm_remove,
    confirm_roaming,
    confirm_transfer,
    day,
    documents,
    first_name,
    format_address,
    money,
    price,
    trip_quote,
)

logger = logging.getLogger(__name__)

TASK_SLOTS = ("task", "line_choice", "new_plan", "new_address", "destination", "trip_dates",
              "new_holder_name", "confirm_change", "task_intent")


@dataclass(frozen=True)
class _Context:
    task: str
    account: Account
    line: Line | None
    gentle: bool
    bereaved: bool


def _context(tracker: Tracker, store: AccountStore, gentle: bool) -> _Context:
    account = store.account(str(tracker.get_slot("account_id")))
    if account is None:
        raise sqlite3.OperationalError("verified account has gone")
    line = next((ln for ln in account.lines if ln.id == tracker.get_slot("line_choice")), None)
    found = situation(tracker.get_slot("distress_category"), tracker.get_slot("distress_cue"),
                      tracker.get_slot("distress_subject"))
    return _Context(str(tracker.get_slot("task")), account, line, gentle,
                    found == "bereavement" or (gentle and account.owner_deceased))


def transfer_reason(tracker: Tracker, account: Account) -> str:
    """Why an account changes hands: bereavement, separation or other."""
    if account.owner_deceased:
        return "bereavement"
    found = situation(tracker.get_slot("distress_category"), tracker.get_slot("distress_cue"),
                      tracker.get_slot("distress_subject"))
    return found if found in ("bereavement", "separation") else "other"


def confirmation(tracker: Tracker, store: AccountStore, gentle: bool) -> str:
    """The exact change, said before asking for a yes.

    Args:
        tracker: The conversation, with the task's slots filled.
        store: The account store, for names and prices.
        gentle: Whether to word it softly.

    Returns:
        The summary, ending in a yes-or-no question.
    """
    ctx = _context(tracker, store, gentle)
    if ctx.task == "remove_line" and ctx.line:
        return confirm_remove(ctx.line, gentle)
    if ctx.task in ("change_plan", "exchange_purchase") and ctx.line:
        new = next(p for p in store.plans(ctx.line.plan.kind)
                   if p.code == tracker.get_slot("new_plan"))
        recent = store.recent_plan_change(ctx.line.id)
        return confirm_plan(ctx.line, new, ctx.task == "exchange_purchase" and recent is not None)
    if ctx.task == "change_address":
        address = parse_address(str(tracker.get_slot("new_address")))
        if address:
            return confirm_address(address)
    if ctx.task == "add_roaming" and ctx.line:
        found = store.travel_pass_for(str(tracker.get_slot("destination")))
        start, end = read_trip(str(tracker.get_slot("trip_dates")))
        if found:
            return confirm_roaming(ctx.line, trip_quote(found[0], found[1], start, end), start, end)
    if ctx.task == "transfer_account":
        return confirm_transfer(ctx.account, str(tracker.get_slot("new_holder_name")),
                                transfer_reason(tracker, ctx.account))
    raise sqlite3.OperationalError(f"cannot summarise task {ctx.task}")


def apply_change(tracker: Tracker, store: AccountStore, gentle: bool) -> tuple[str, str | None]:
    """Make the confirmed change and say what was done.

    Args:
        tracker: The conversation, with ``confirm_change`` true.
        store: The account store to change.
        gentle: Whether to word it softly.

    Returns:
        The reply, and the first name of the person who died when the
        bereavement needs should be offered after it (else None).
    """
    ctx = _context(tracker, store, gentle)
    line = ctx.line
    if ctx.task == "remove_line" and line:
        store.remove_line(line.id)
        who = f"{first_name(line)}'s line" if gentle else f"The line for {line.user_name}"
        lead = "It's done. " if gentle else "Done. "
        who = who[0].upper() + who[1:] if not gentle else who
        return (f"{lead}{who} ({line.phone_number}) is closed from today, and there'll be no "
                "more charges for it."), first_name(line) if ctx.bereaved else None
    if ctx.task in ("change_plan", "exchange_purchase") and line:
        new = next(p for p in store.plans(line.plan.kind) if p.code == tracker.get_slot("new_plan"))
        exchange = ctx.task == "exchange_purchase" and store.recent_plan_change(line.id)
        store.change_plan(line.id, new.code, "exchange" if exchange else "change")
        extra = (" As it was a recent purchase, there's no change fee, and the difference "
                 "shows as a credit on your next bill.") if exchange else \
            " You'll see it on your next bill."
        return f"Done. {line.phone_number} is now on {new.name} at {price(new)}.{extra}", None
    if ctx.task == "change_address":
        address = parse_address(str(tracker.get_slot("new_address")))
        if address:
            store.change_address(ctx.account.id, address)
            return (f"Done. Your billing and mailing address is now {format_address(address)}, "
                    "and your next bill will go there."), None
    if ctx.task == "add_roaming" and line:
        found = store.travel_pass_for(str(tracker.get_slot("destination")))
        start, end = read_trip(str(tracker.get_slot("trip_dates")))
        if found:
            store.add_travel_pass(line.id, found[1].code, start, end)
            days = (end - start).days + 1
            bye = "Safe travels." if gentle else "Have a wonderful trip!"
            return (f"You're all set: {found[1].name} is on {line.phone_number} from {day(start)} "
                    f"to {day(end)}, at most {money(found[1].price_cents * days)}. {bye}"), None
    if ctx.task == "transfer_account":
        holder = str(tracker.get_slot("new_holder_name"))
        reason = transfer_reason(tracker, ctx.account)
        owner = ctx.account.owner_name.split()[0]
        needed = documents(reason, owner, holder)
        store.request_transfer(ctx.account.id, holder, reason, needed)
        text = (f"I've started moving the account into {holder}'s name. To finish it, we'll need "
                f"{needed}. You can bring them to any of our stores, or reply to the email we'll "
                "send you. Everything keeps working as it is in the meantime.")
        return text, owner if reason == "bereavement" else None
    raise sqlite3.OperationalError(f"cannot apply task {ctx.task}")


def _reset() -> list[dict[str, Any]]:
    return [SlotSet(name, None) for name in TASK_SLOTS]


class ActionCompleteTask(Action):  # type: ignore[misc]
    """Make the change if the customer said yes; otherwise change nothing."""

    def __init__(self, store: Callable[[], AccountStore] = get_account_store) -> None:
        """Create the action.

        Args:
            store: Gives the account store.
        """
        super().__init__()
        self._store = store

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_complete_task"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        """Apply the confirmed change, or say nothing changed.

        Args:
            dispatcher: Sends the result.
            tracker: The conversation with the task's slots.
            domain: Unused.

        Returns:
            A reset of the task's slots; the verification stays, so the next
            task in this conversation doesn't ask again.
        """
        if tracker.get_slot("confirm_change") is not True:
            dispatcher.utter_message(text=NOTHING_CHANGED)
            return _reset()
        gentle = tracker.get_slot("distress_category") is not None
        try:
            text, late = apply_change(tracker, self._store(), gentle)
        except sqlite3.Error:
            logger.exception("Applying task %s failed", tracker.get_slot("task"))
            dispatcher.utter_message(text=UNAVAILABLE, buttons=[TALK_TO_A_PERSON])
            return _reset()
        logger.info("Applied task %s", tracker.get_slot("task"))
        dispatcher.utter_message(text=text)
        if late:
            dispatcher.utter_message(text=care_offer(late), buttons=[TALK_TO_A_PERSON])
        return _reset()


class ActionTaskStopped(Action):  # type: ignore[misc]
    """The customer said stop: leave everything as it was."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_task_stopped"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        """Say nothing changed and forget the task's details.

        Args:
            dispatcher: Sends the reply.
            tracker: Unused.
            domain: Unused.

        Returns:
            A reset of the task's slots.
        """
        dispatcher.utter_message(text=STOPPED)
        return _reset()
