from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.crisis import CRISIS_TEXT, ActionCrisis, ActionStayPresent, crisis_resources
from actions.distress import ActionAcknowledgeDistress, acknowledgement
from actions.handback import ActionHandback
from actions.settings import LOCALE_VAR, SettingsError, get_settings, load_settings
from tests.actions.support import action, distressed, greeted, loop, make_tracker, slot, user

TASK_QUESTION_WORDS = ("account number", "zip", "address", "which line")


def _slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


async def _acknowledge(events: list[dict[str, Any]], active_loop: str | None = None,
                       extra: dict[str, Any] | None = None
                       ) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(events, {**_slots(events), **(extra or {})}, active_loop)
    result = await ActionAcknowledgeDistress().run(dispatcher, tracker, {})
    return dispatcher, result


async def test_grief_is_acknowledged_specifically_before_any_question() -> None:
    dispatcher, result = await _acknowledge(
        distressed("grief", "my wife died", "your wife", "remove_line"))
    first, choice = dispatcher.messages
    assert first["text"] == "I'm so sorry about your wife. Please take all the time you need."
    assert not first.get("buttons")
    assert not any(word in first["text"].lower() for word in TASK_QUESTION_WORDS)
    assert [b["payload"] for b in choice["buttons"]] == ["/request_human", "/remove_line"]
    assert "remove a line together" in choice["text"]
    assert result == [SlotSet("task_intent", "remove_line")]


async def test_overwhelm_and_job_loss() -> None:
    dispatcher, _ = await _acknowledge(
        distressed("overwhelm", "I just lost my job and the bills keep coming", "your job",
                   "change_plan"))
    assert "a lot to carry at once" in dispatcher.messages[0]["text"]
    assert dispatcher.messages[1]["buttons"][1]["payload"] == "/change_plan"


def test_overwhelm_without_a_life_event() -> None:
    assert acknowledgement("overwhelm", None, "it's all too much") == (
        "That sounds like a lot to carry at once. We can take it one step at a time."
    )


def test_separation_is_not_treated_as_a_death() -> None:
    text = acknowledgement("grief", "your marriage", "my husband wants a divorce")
    assert text.startswith("I'm so sorry, that's a really hard thing to go through")
    assert "loss" not in text


async def test_loneliness_offers_a_person_with_time_first() -> None:
    dispatcher, _ = await _acknowledge(
        distressed("loneliness", "I don't have anyone to talk to", None, "store_hours"))
    first, choice = dispatcher.messages
    assert first["text"].startswith("I'm really glad you reached out.")
    assert "has time to talk" in choice["text"]
    assert choice["buttons"][0] == {"title": "Talk with someone who has time",
                                    "payload": "/request_human"}
    assert choice["buttons"][1]["payload"] == "/store_hours"


async def test_no_task_offers_a_person_or_not_now() -> None:
    dispatcher, result = await _acknowledge(distressed("overwhelm", "it's all too much"))
    assert [b["payload"] for b in dispatcher.messages[1]["buttons"]] == ["/request_human",
                                                                        "/deny"]
    assert result == [SlotSet("task_intent", None)]


async def test_distress_mid_form_pauses_it_and_resumes_the_same_task() -> None:
    events = [user("remove_line"), slot("task", "remove_line"), loop("account_task_form"),
              slot("requested_slot", "postcode"),
              *distressed("grief", "he passed away on sunday", "your husband")]
    dispatcher, result = await _acknowledge(events, "account_task_form",
                                            {"task": "remove_line"})
    assert result == [SlotSet("task_intent", "remove_line"), ActiveLoop(None),
                      SlotSet("requested_slot", None)]
    assert dispatcher.messages[0]["text"].startswith("I'm so sorry about your husband.")


async def test_crisis_sends_resources_text_and_handoff_and_stops_the_form() -> None:
    events = [user("change_address"), slot("task", "change_address"),
              loop("account_task_form"), slot("requested_slot", "new_address"),
              *distressed("crisis", "I don't want to be here anymore")]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(events, {**_slots(events), "requested_slot": "new_address"},
                           "account_task_form")
    result = await ActionCrisis().run(dispatcher, tracker, {})
    resources, text, handoff = dispatcher.messages
    listed = resources["custom"]["calor"]["crisis"]["resources"]
    assert {"label": "988 Suicide & Crisis Lifeline", "contact": "Call or text 988"} in listed
    assert any("741741" in r["contact"] for r in listed)
    assert any("911" in r["contact"] for r in listed)
    assert text["text"] == CRISIS_TEXT and not text.get("buttons")
    summary = handoff["custom"]["calor"]["handoff"]
    assert summary["reason"] == "distress" and summary["category"] == "crisis"
    assert summary["cue"] == "I don't want to be here anymore"
    assert summary["headline"].startswith("Customer in crisis")
    assert result == [SlotSet("distress_category", "crisis"), SlotSet("crisis_mode", True),
                      ActiveLoop(None), SlotSet("requested_slot", None)]


async def test_crisis_without_a_form_does_not_touch_loops() -> None:
    dispatcher = CollectingDispatcher()
    events = distressed("crisis", "I want to end my life")
    result = await ActionCrisis().run(dispatcher, make_tracker(events, _slots(events)), {})
    assert ActiveLoop(None) not in result and SlotSet("crisis_mode", True) in result


async def test_presence_after_a_crisis_never_closes() -> None:
    dispatcher = CollectingDispatcher()
    await ActionStayPresent().run(dispatcher, make_tracker([user("goodbye", "bye")]), {})
    (reply,) = dispatcher.messages
    assert "right here with you" in reply["text"] and "call or text 988" in reply["text"]
    assert "bye" not in reply["text"].lower()
    again = CollectingDispatcher()
    await ActionStayPresent().run(again, make_tracker(
        [action("action_stay_present"), user("thank", "thanks")]), {})
    assert again.messages[0]["text"] != reply["text"]
    assert "still here" in again.messages[0]["text"]


def test_locale_picks_the_resources(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings({LOCALE_VAR: "en-GB"}).locale == "en-GB"
    assert any("116 123" in r["contact"] for r in crisis_resources("en-GB"))
    assert get_settings().locale == "en-US"


def test_unknown_locale_refuses_to_start() -> None:
    with pytest.raises(SettingsError, match=LOCALE_VAR):
        load_settings({LOCALE_VAR: "xx-XX"})


async def test_handback_thanks_by_name_without_greeting() -> None:
    dispatcher = CollectingDispatcher()
    events = [*greeted(), user("request_human"), action("action_handoff"),
              user("handback", agent_name="Maria", handback_note="Waived the late fee")]
    tracker = make_tracker(events, {"agent_name": "Maria", "handback_note": "Waived the late fee"})
    result = await ActionHandback().run(dispatcher, tracker, {})
    (reply,) = dispatcher.messages
    assert reply["text"] == ("Thanks for your patience. Maria has filled me in. "
                             "Is there anything else I can help with?")
    assert "welcome" not in reply["text"].lower() and "late fee" not in reply["text"]
    assert SlotSet("helped_by_person", True) in result
    assert SlotSet("crisis_mode", False) in result


async def test_handback_without_a_name() -> None:
    dispatcher = CollectingDispatcher()
    await ActionHandback().run(dispatcher, make_tracker([user("handback")]), {})
    assert dispatcher.messages[0]["text"].startswith("Thanks for your patience. My colleague")
