"""Starting an account task, or noticing the customer is going round in circles."""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, Tracker  # type: ignore[import-untyped]
from rasa_sdk.events import SlotSet  # type: ignore[import-untyped]
from rasa_sdk.executor import CollectingDispatcher  # type: ignore[import-untyped]

from actions.store_accounts import AccountStore, get_account_store
from actions.tasks import ACCOUNT_TASKS

logger = logging.getLogger(__name__)

DETAIL_SLOTS = ("line_choice", "new_plan", "new_address", "destination", "trip_dates",
                "new_holder_name", "confirm_change")
# Bot turns after which a request starts counting afresh.
_RESOLVED = frozenset({"action_complete_task", "utter_offer_human_repeat", "action_handback"})
REPEAT_LIMIT = 3


def times_asked(events: list[dict[str, Any]], intent: str) -> int:
    """How often the customer asked for this task since it was last resolved.

    Args:
        events: The tracker's events.
        intent: The task intent.

    Returns:
        The number of user turns with that intent after the last completion,
        repeat offer or hand-back.
    """
    count = 0
    for event in reversed(events):
        if event.get("event") == "action" and event.get("name") in _RESOLVED:
            break
        if event.get("event") == "user":
            name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            count += name == intent
    return count


class ActionStartTask(Action):  # type: ignore[misc]
    """Name the task for the form, or notice the customer is going round in circles."""

    def __init__(self, store: Callable[[], AccountStore] = get_account_store) -> None:
        """Create the action.

        Args:
            store: Gives the account store, to spot a destination in the message.
        """
        super().__init__()
        self._store = store

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_start_task"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Set ``task``; clear the details of a different earlier task.

        Args:
            dispatcher: Unused: the form or the repeat offer speaks next.
            tracker: The conversation; its latest intent is the task.
            domain: The domain (unused).

        Returns:
            ``repeated_request`` true when this is the third ask without a
            resolution (a rule then offers a person); otherwise ``task`` and,
            for a new task, cleared details. The same task keeps its details,
            so "carry on" resumes where it stopped.
        """
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if intent not in ACCOUNT_TASKS:
            intent = tracker.get_slot("task")
        if times_asked(list(tracker.events), str(intent)) >= REPEAT_LIMIT:
            logger.info("Task asked for %d times without resolution; offering a person",
                        REPEAT_LIMIT)
            return [SlotSet("repeated_request", True)]
        events = [SlotSet("repeated_request", False), SlotSet("task", intent)]
        if tracker.get_slot("task") != intent:
            events += [SlotSet(name, None) for name in DETAIL_SLOTS]
            country = self._country_in((tracker.latest_message or {}).get("text") or "")
            if intent == "add_roaming" and country:
                # "I'm going to Spain next month": don't ask where they're going.
                events.append(SlotSet("destination", country))
        return events

    def _country_in(self, text: str) -> str | None:
        words = re.findall(r"[A-Za-z]+", text)
        candidates = [" ".join(words[i:i + 2]) for i in range(len(words))] + words
        try:
            store = self._store()
            return next((found[0] for word in candidates
                         if (found := store.travel_pass_for(word))), None)
        except sqlite3.Error:
            logger.exception("Country lookup failed; the form will ask instead")
            return None
