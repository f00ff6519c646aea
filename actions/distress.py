"""Acknowledge what a customer shared before any task question.

The acknowledgement names what they told us (never a generic "sorry for the
inconvenience"), then offers a choice: a person, or carrying on together with
the task they came for. Someone lonely is offered a person with time first.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker  # type: ignore[import-untyped]
from rasa_sdk.events import ActiveLoop, SlotSet  # type: ignore[import-untyped]
from rasa_sdk.executor import CollectingDispatcher  # type: ignore[import-untyped]

from actions.needs import situation
from actions.tasks import TASKS, TaskSpec

logger = logging.getLogger(__name__)

TALK_TO_SOMEONE = {"title": "Talk to a person", "payload": "/request_human"}
TIME_TO_TALK = {"title": "Talk with someone who has time", "payload": "/request_human"}
NOT_NOW = {"title": "I'm okay for now", "payload": "/deny"}


def acknowledgement(category: str | None, subject: str | None, cue: str | None) -> str:
    """The first thing said back: what they shared, in their terms.

    Args:
        category: grief, overwhelm or loneliness.
        subject: Who or what it is about, e.g. "your wife".
        cue: The customer's own words.

    Returns:
        One or two short sentences.
    """
    found = situation(category or "overwhelm", cue, subject)
    if category == "loneliness":
        return (
            "I'm really glad you reached out. It sounds like things have felt lonely lately, "
            "and that's hard."
        )
    if category == "grief" and found == "bereavement":
        about = subject or "your loss"
        return f"I'm so sorry about {about}. Please take all the time you need."
    if found == "separation":
        about = f" with {subject}" if subject else ""
        return (
            f"I'm so sorry, that's a really hard thing to go through{about}. "
            "Please take all the time you need."
        )
    if found == "job_loss":
        return (
            "I'm sorry, losing work is a lot to deal with. That sounds like a lot to carry "
            "at once."
        )
    if category == "grief":
        about = f" about {subject}" if subject else ""
        return f"I'm so sorry{about}. Please take all the time you need."
    return "That sounds like a lot to carry at once. We can take it one step at a time."


def offer(category: str | None, task: TaskSpec | None) -> tuple[str, list[dict[str, str]]]:
    """The choice after the acknowledgement, with its buttons.

    Args:
        category: grief, overwhelm or loneliness.
        task: The task the customer came for, if any.

    Returns:
        The question and its quick replies. For loneliness a person with time
        to talk comes first; otherwise the customer chooses freely.
    """
    if category == "loneliness":
        buttons = [TIME_TO_TALK]
        buttons.append({"title": task.carry_on, "payload": f"/{task.intent}"} if task else NOT_NOW)
        later = f" Or, if you'd like, we can {task.wants} together." if task else ""
        return (
            "Someone from our team has time to talk, with no rush at all, if you'd like that."
            f"{later} I'm here either way.",
            buttons,
        )
    if task is None:
        return (
            "Whenever you're ready, just tell me what you need. If you'd rather talk it "
            "through with a person from our team, I can bring someone in.",
            [TALK_TO_SOMEONE, NOT_NOW],
        )
    return (
        f"Would you like to talk to a person from our team, or shall we {task.wants} together? "
        "Whatever is easier for you.",
        [TALK_TO_SOMEONE, {"title": task.carry_on, "payload": f"/{task.intent}"}],
    )


def task_to_resume(tracker: Tracker) -> TaskSpec | None:
    """The task the customer came for in this message, else the one a paused form was doing."""
    named = tracker.get_slot("task_intent")
    if isinstance(named, str) and named in TASKS:
        return TASKS[named]
    # No task in this message: the one the customer was in the middle of.
    active_form = (tracker.active_loop or {}).get("name")
    current = tracker.get_slot("task")
    if active_form == "account_task_form" and isinstance(current, str) and current in TASKS:
        return TASKS[current]
    if active_form == "order_status_form":
        return TASKS["order_status"]
    return None


class ActionAcknowledgeDistress(Action):  # type: ignore[misc]
    """Acknowledge first, then offer a person or carrying on together."""

    def name(self) -> str:
        """Return the action name used in the domain."""
        return "action_acknowledge_distress"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        """Send the acknowledgement and the choice; pause any form.

        Args:
            dispatcher: Sends both messages.
            tracker: The conversation; its distress_* slots shape the words.
            domain: The domain (unused).

        Returns:
            Events that pause an active form (its slots stay filled, so
            "carry on" resumes where it was) and name the task to resume.
        """
        category = tracker.get_slot("distress_category")
        task = task_to_resume(tracker)
        logger.info("Acknowledging distress: category=%s task=%s", category,
                    task.intent if task else None)
        dispatcher.utter_message(
            text=acknowledgement(category, tracker.get_slot("distress_subject"),
                                 tracker.get_slot("distress_cue"))
        )
        question, buttons = offer(category, task)
        dispatcher.utter_message(text=question, buttons=buttons)
        return pause(tracker, task)


def pause(tracker: Tracker, task: TaskSpec | None) -> list[dict[str, Any]]:
    """Events that name the task to resume and pause an active form (its slots stay filled)."""
    events: list[dict[str, Any]] = [SlotSet("task_intent", task.intent if task else None)]
    if (tracker.active_loop or {}).get("name"):
        events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    return events
