"""Ask, gently and directly, whether someone is safe.

DistressDetector asks for a check-in when a message reads close to a crisis
without being called one ("I won't be needing the phone after Sunday", with
no move or trip in sight). A good listener does not guess and does not look
away: they say what they heard and ask. Asking directly about thoughts of
ending one's life does not put the idea there; it lets the person say so.
The answer is theirs: yes brings a person at once, as any crisis does; no,
or carrying on with the task, is taken at its word.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker  # type: ignore[import-untyped]
from rasa_sdk.events import SlotSet  # type: ignore[import-untyped]
from rasa_sdk.executor import CollectingDispatcher  # type: ignore[import-untyped]

from actions.buttons import TALK_TO_A_PERSON
from actions.distress import acknowledgement, pause, task_to_resume
from actions.tasks import TaskSpec

logger = logging.getLogger(__name__)

YES = {"title": "Yes, I'm not okay", "payload": "/crisis"}
IM_OKAY = {"title": "I'm okay", "payload": "/deny"}
#: Longer clauses are not quoted back: the question should stay short.
_MOST_QUOTED = 90
_MOODS = ("grief", "overwhelm", "loneliness")


def opening(category: str | None, subject: str | None, cue: str | None, clause: str | None) -> str:
    """What is said first: the acknowledgement of a mood, or what we heard.

    Args:
        category: grief, overwhelm or loneliness, or None (the message read as routine).
        subject: Who or what the distress is about, e.g. "your wife".
        cue: The mood's cue, in the customer's words.
        clause: The words that asked for the check-in.

    Returns:
        One or two short sentences.
    """
    if category in _MOODS:
        return acknowledgement(category, subject, cue)
    if clause and len(clause) <= _MOST_QUOTED:
        return f"Before we go on, I want to check in with you. You said \u201c{clause.strip()}\u201d."
    return "Before we go on, I want to check in with you about something you said."


def question(task: TaskSpec | None) -> tuple[str, list[dict[str, str]]]:
    """The direct question, with a way to say yes, to talk to a person, or to carry on."""
    carry_on = {"title": task.carry_on, "payload": f"/{task.intent}"} if task else IM_OKAY
    return (
        "Sometimes when people say things like that, they are thinking about ending their life, "
        "or they are not safe at home. Is that true for you? If it is, tap yes and a person from "
        "our team will be with you right away. If I've got it wrong, that's okay too.",
        [YES, TALK_TO_A_PERSON, carry_on],
    )


class ActionCheckIn(Action):  # type: ignore[misc]
    """Say what we heard, then ask directly whether the person is safe."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_check_in"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Send the opening and the question; pause any form.

        Args:
            dispatcher: Sends both messages.
            tracker: The conversation; this message's distress entities shape the words.
            domain: The domain (unused).

        Returns:
            The events of :func:`actions.distress.pause`, and the clause that
            asked for the check-in as the cue a handoff after a "yes" shows.
        """
        # This message's own entities: a mood slot may still hold an earlier message's.
        category = next(tracker.get_latest_entity_values("distress_category"), None)
        clause = next(tracker.get_latest_entity_values("distress_check_in"), None)
        task = task_to_resume(tracker)
        logger.info("Checking in: category=%s task=%s", category, task.intent if task else None)
        dispatcher.utter_message(text=opening(category, tracker.get_slot("distress_subject"),
                                              tracker.get_slot("distress_cue"), clause))
        text, buttons = question(task)
        dispatcher.utter_message(text=text, buttons=buttons)
        events = pause(tracker, task)
        if clause:
            events.append(SlotSet("distress_cue", clause))
        return events
