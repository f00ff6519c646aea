"""action_check_in: say what was heard, ask directly, let the answer decide."""

from __future__ import annotations

from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.check_in import ActionCheckIn, opening
from tests.actions.support import make_tracker, user

CLAUSE = "I won't be needing the phone after sunday"


async def _check_in(entities: dict[str, str], slots: dict[str, str] | None = None,
                    active_loop: str | None = None) -> tuple[CollectingDispatcher, list[dict]]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker([user("check_in", "…", **entities)], {**entities, **(slots or {})},
                           active_loop)
    return dispatcher, await ActionCheckIn().run(dispatcher, tracker, {})


async def test_a_routine_looking_message_is_quoted_back_then_asked_about_directly() -> None:
    dispatcher, events = await _check_in({"distress_check_in": CLAUSE, "task_intent": "change_plan"})
    first, ask = dispatcher.messages
    assert first["text"] == f"Before we go on, I want to check in with you. You said \u201c{CLAUSE}\u201d."
    assert "ending their life" in ask["text"] and "not safe" in ask["text"]
    assert [b["payload"] for b in ask["buttons"]] == ["/crisis", "/request_human", "/change_plan"]
    assert events == [SlotSet("task_intent", "change_plan"), SlotSet("distress_cue", CLAUSE)]


async def test_a_mood_is_acknowledged_first_and_an_earlier_mood_is_not_reused() -> None:
    dispatcher, _ = await _check_in({"distress_category": "grief", "distress_subject": "your husband",
                                     "distress_check_in": "I just want to be where he is"})
    assert dispatcher.messages[0]["text"].startswith("I'm so sorry about your husband.")
    # The slot still says grief from an earlier message; this one read as routine.
    dispatcher, _ = await _check_in({"distress_check_in": CLAUSE}, {"distress_category": "grief"})
    assert dispatcher.messages[0]["text"].startswith("Before we go on")


async def test_without_a_task_the_third_button_is_im_okay_and_a_form_is_paused() -> None:
    dispatcher, events = await _check_in({"distress_check_in": CLAUSE}, active_loop="account_task_form")
    assert [b["payload"] for b in dispatcher.messages[1]["buttons"]] == ["/crisis", "/request_human",
                                                                          "/deny"]
    assert ActiveLoop(None) in events and SlotSet("requested_slot", None) in events


def test_a_long_clause_is_not_quoted() -> None:
    assert opening(None, None, None, "x " * 60) == (
        "Before we go on, I want to check in with you about something you said.")
    assert opening(None, None, None, None).endswith("something you said.")
