"""A person from the team hands the conversation back to the bot."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker  # type: ignore[import-untyped]
from rasa_sdk.events import SlotSet  # type: ignore[import-untyped]
from rasa_sdk.executor import CollectingDispatcher  # type: ignore[import-untyped]

logger = logging.getLogger(__name__)


def handback_text(agent_name: str | None) -> str:
    """What the bot says when it takes over again: no second greeting.

    Args:
        agent_name: The agent's display name, if the bridge sent one.

    Returns:
        A short thank-you that carries on the conversation.
    """
    who = agent_name.strip() if agent_name and agent_name.strip() else "My colleague"
    return f"Thanks for your patience. {who} has filled me in. Is there anything else I can help with?"


class ActionHandback(Action):  # type: ignore[misc]
    """Carry on after an agent's hand-back, without greeting again."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_handback"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Thank the customer and note that a person has helped.

        Args:
            dispatcher: Sends the reply.
            tracker: The conversation; agent_name comes from the bridge.
            domain: The domain (unused).

        Returns:
            ``helped_by_person`` set, and crisis mode ended: a person has been
            with the customer and decided the bot may carry on. The note is
            kept in ``handback_note`` for a later handoff, never read out.
        """
        dispatcher.utter_message(text=handback_text(tracker.get_slot("agent_name")))
        logger.info("Handed back by an agent; carrying on")
        return [SlotSet("helped_by_person", True), SlotSet("crisis_mode", False),
                SlotSet("repeated_request", False)]
