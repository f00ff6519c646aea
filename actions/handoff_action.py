"""The action that hands the conversation to a person from the team."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker  # type: ignore[import-untyped]
from rasa_sdk.events import ActiveLoop, SlotSet  # type: ignore[import-untyped]
from rasa_sdk.executor import CollectingDispatcher  # type: ignore[import-untyped]

from actions.handoff import build_summary, read_conversation

logger = logging.getLogger(__name__)

HANDOFF_TEXT = {
    "distress": (
        "Of course. I'm bringing in a person from our team now. They'll see what you've "
        "told me, so you won't have to go through it all again, and I'll stay here with you "
        "until they join."
    ),
    "customer_request": (
        "Of course. I'll bring in a person from our team now. They'll see our conversation, "
        "so you won't have to repeat yourself."
    ),
    "bot_stuck": (
        "Thanks for bearing with me. I'll bring in a person from our team now. They'll see "
        "our conversation, so you won't have to repeat yourself."
    ),
}


class ActionHandoff(Action):  # type: ignore[misc]
    """Tell the customer a person is coming and ask the bridge to queue them."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_handoff"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Send the warm text and the ``calor.handoff`` summary.

        Args:
            dispatcher: Sends both messages.
            tracker: The conversation the summary is built from.
            domain: The domain (unused).

        Returns:
            Events that stop any active form, so the bot does not keep asking
            for details while the customer waits for a person.
        """
        active_form = (tracker.active_loop or {}).get("name")
        view = read_conversation(tracker.events, active_form, tracker.get_slot("requested_slot"))
        summary = build_summary(view)
        logger.info(
            "Handing off: reason=%s task=%s progress=%s",
            summary["reason"],
            summary["task"]["intent"] if summary["task"] else None,
            summary["task"]["progress"] if summary["task"] else None,
        )
        dispatcher.utter_message(text=HANDOFF_TEXT[summary["reason"]])
        dispatcher.utter_message(json_message={"calor": {"handoff": summary}})
        if active_form:
            return [ActiveLoop(None), SlotSet("requested_slot", None)]
        return []
