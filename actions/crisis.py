"""A customer in crisis: resources at once, a person at once, and presence after."""

from __future__ import annotations

import functools
import json
import logging
from typing import Any

from rasa_sdk import Action, Tracker  # type: ignore[import-untyped]
from rasa_sdk.events import ActiveLoop, SlotSet  # type: ignore[import-untyped]
from rasa_sdk.executor import CollectingDispatcher  # type: ignore[import-untyped]

from actions.handoff import build_summary, read_conversation
from actions.settings import CRISIS_RESOURCES_FILE, get_settings

logger = logging.getLogger(__name__)

CRISIS_TEXT = (
    "I'm really glad you told me. You don't have to go through this alone. I'm bringing in "
    "a person from our team right now, and I'll stay here with you."
)

Resource = dict[str, str]


@functools.lru_cache(maxsize=8)
def crisis_resources(locale: str) -> tuple[Resource, ...]:
    """Read the crisis lines for a locale from actions/crisis_resources.json.

    Args:
        locale: A key of the file, e.g. ``en-US`` (settings check it exists).

    Returns:
        The resources, each with a ``label`` and a ``contact``.
    """
    with CRISIS_RESOURCES_FILE.open(encoding="utf-8") as handle:
        data: dict[str, list[Resource]] = json.load(handle)
    return tuple(dict(item) for item in data[locale])


def presence_text(resources: tuple[Resource, ...], times_before: int = 0) -> str:
    """What the bot says to anything after a crisis: it stays, it never closes.

    Args:
        resources: The crisis resources on the customer's screen.
        times_before: How often the bot has already said it, so it doesn't
            repeat itself word for word.

    Returns:
        A short, gentle reply pointing at the first resource.
    """
    first = resources[0] if resources else None
    contact = f"{first['contact'][:1].lower()}{first['contact'][1:]}" if first else ""
    if times_before % 2:
        line = f" The {first['label']} is there any time too ({contact})." if first else ""
        return f"I'm still here. You're not on your own, and a person from our team is coming.{line}"
    line = (f" If you want to talk to someone right now, you can {contact} for the "
            f"{first['label']}.") if first else ""
    return (
        "I'm right here with you, and someone from our team is on their way."
        f"{line} You can keep writing to me as much as you like."
    )


class ActionCrisis(Action):  # type: ignore[misc]
    """Show crisis resources, say a few warm words and bring in a person."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_crisis"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Send resources, text and a ``distress`` handoff; no choice, no task.

        Args:
            dispatcher: Sends the three messages.
            tracker: The conversation, for the handoff summary.
            domain: The domain (unused).

        Returns:
            Events that stop any form and mark the conversation as a crisis,
            so every later message gets presence rather than task questions.
        """
        resources = crisis_resources(get_settings().locale)
        active_form = (tracker.active_loop or {}).get("name")
        view = read_conversation(
            tracker.events, active_form, tracker.get_slot("requested_slot"), category="crisis"
        )
        summary = build_summary(view)
        logger.warning("Crisis: handing off at once (form=%s)", active_form)
        dispatcher.utter_message(json_message={"calor": {"crisis": {"resources": list(resources)}}})
        dispatcher.utter_message(text=CRISIS_TEXT)
        dispatcher.utter_message(json_message={"calor": {"handoff": summary}})
        events: list[dict[str, Any]] = [
            SlotSet("distress_category", "crisis"),
            SlotSet("crisis_mode", True),
        ]
        if active_form:
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
        return events


class ActionStayPresent(Action):  # type: ignore[misc]
    """Answer anything said after a crisis with presence, never a task or a goodbye."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_stay_present"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Say the bot is still here and a person is coming.

        Args:
            dispatcher: Sends the reply.
            tracker: The conversation (unused).
            domain: The domain (unused).

        Returns:
            Events that stop a form, in case one was started anyway.
        """
        said = sum(1 for e in tracker.events
                   if e.get("event") == "action" and e.get("name") == self.name())
        dispatcher.utter_message(
            text=presence_text(crisis_resources(get_settings().locale), said))
        if (tracker.active_loop or {}).get("name"):
            return [ActiveLoop(None), SlotSet("requested_slot", None)]
        return []
