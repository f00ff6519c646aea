"""Store hours, read from the demo store."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker  # type: ignore[import-untyped]
from rasa_sdk.executor import CollectingDispatcher  # type: ignore[import-untyped]

from actions.replies import HOURS_UNAVAILABLE, store_hours_reply
from actions.store import DemoStore, get_store

logger = logging.getLogger(__name__)


class ActionStoreHours(Action):  # type: ignore[misc]
    """Tell the customer when our stores are open."""

    def __init__(
        self,
        store: Callable[[], DemoStore] = get_store,
        today: Callable[[], date] = date.today,
    ) -> None:
        """Create the action.

        Args:
            store: Gives the store to read hours from.
            today: The clock, to say which stores are open today.
        """
        super().__init__()
        self._store = store
        self._today = today

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_store_hours"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Reply with every store's weekly hours.

        Args:
            dispatcher: Sends the reply.
            tracker: The conversation (unused).
            domain: The domain (unused).

        Returns:
            No events.
        """
        try:
            stores = self._store().store_hours()
        except sqlite3.Error:
            logger.exception("Reading store hours failed")
            dispatcher.utter_message(text=HOURS_UNAVAILABLE)
            return []
        dispatcher.utter_message(text=store_hours_reply(stores, self._today()))
        return []
