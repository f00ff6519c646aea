"""What the bot says when it understood the words but not what to do next."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker  # type: ignore[import-untyped]
from rasa_sdk.events import UserUtteranceReverted  # type: ignore[import-untyped]
from rasa_sdk.executor import CollectingDispatcher  # type: ignore[import-untyped]

from actions.buttons import TALK_TO_A_PERSON

NOT_SURE_TEXT = (
    "I'm not sure what to do with that one. Could you put it another way? "
    "Or I can bring in a person from our team."
)


class ActionCoreFallback(Action):  # type: ignore[misc]
    """Ask the customer to rephrase when no policy is confident."""

    def name(self) -> str:
        """Return the action name the RulePolicy's core fallback uses."""
        return "action_core_fallback"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Ask to rephrase and offer a person.

        Args:
            dispatcher: Sends the reply.
            tracker: The conversation (unused).
            domain: The domain (unused).

        Returns:
            A revert of the customer's message, like Rasa's own default
            fallback, so the misunderstood turn does not steer what comes next.
        """
        dispatcher.utter_message(text=NOT_SURE_TEXT, buttons=[TALK_TO_A_PERSON])
        return [UserUtteranceReverted()]
