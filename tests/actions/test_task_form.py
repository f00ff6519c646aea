"""Starting account tasks, checking answers against the demo store, and asking."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.store_accounts import AccountStore
from actions.task_asks import (
    ActionAskAccountRef,
    ActionAskDestination,
    ActionAskLineChoice,
    ActionAskNewAddress,
    ActionAskPostcode,
    ActionAskTripDates,
    asked_before,
)
from actions.task_form import task_slots
from actions.task_start import REPEAT_LIMIT, ActionStartTask
from tests.actions.support import action, make_tracker, slot, user
from tests.actions.task_support import (
    GRIEF,
    VERIFIED,
    validator,
)


def test_each_task_asks_only_for_what_it_needs() -> None:
    assert task_slots("remove_line") == ["account_ref", "postcode", "line_choice",
                                         "confirm_change"]
    assert task_slots("add_roaming")[:2] == ["destination", "trip_dates"]
    assert task_slots(None) == []


async def test_start_task_keeps_details_of_the_same_task_and_clears_another() -> None:
    start = ActionStartTask()
    same = await start.run(CollectingDispatcher(), make_tracker(
        [user("remove_line")], {"task": "remove_line"}), {})
    assert same == [SlotSet("repeated_request", False), SlotSet("task", "remove_line")]
    other = await start.run(CollectingDispatcher(), make_tracker(
        [user("change_plan")], {"task": "remove_line"}), {})
    assert SlotSet("line_choice", None) in other and SlotSet("task", "change_plan") in other
    assert SlotSet("account_id", None) not in other


async def test_third_unresolved_ask_offers_a_person() -> None:
    events = []
    for _ in range(REPEAT_LIMIT - 1):
        events += [user("change_plan"), action("action_start_task"),
                   user("stop"), action("action_task_stopped")]
    events.append(user("change_plan"))
    result = await ActionStartTask().run(CollectingDispatcher(), make_tracker(events), {})
    assert result == [SlotSet("repeated_request", True)]
    # After the offer, asking again goes ahead.
    events += [action("utter_offer_human_repeat"), user("change_plan")]
    result = await ActionStartTask().run(CollectingDispatcher(), make_tracker(events), {})
    assert SlotSet("repeated_request", False) in result


def test_verification(accounts: AccountStore) -> None:
    checker, dispatcher = validator(accounts), CollectingDispatcher()
    tracker = make_tracker([], {"task": "remove_line"})
    assert checker.validate_account_ref("acc 1003", dispatcher, tracker, {})["account_id"] \
        == "ACC-1003"
    assert checker.validate_account_ref("555 0105", dispatcher, tracker, {})["account_id"] \
        == "ACC-1004"
    assert checker.validate_account_ref("ACC-9999", dispatcher, tracker, {})["account_id"] \
        is None
    tracker = make_tracker([], {"task": "remove_line", "account_id": "ACC-1003",
                                "requested_slot": "postcode"})
    assert checker.validate_postcode("it's 53703", dispatcher, tracker, {}) == {
        "postcode": "53703"}
    assert checker.validate_postcode("62701", dispatcher, tracker, {}) == {"postcode": None}
    assert "doesn't match" in dispatcher.messages[-1]["text"]


def test_single_line_is_picked_for_the_customer(accounts: AccountStore) -> None:
    tracker = make_tracker([], {"task": "change_plan", "account_id": "ACC-1002",
                                "requested_slot": "postcode"})
    result = validator(accounts).validate_postcode("04101", CollectingDispatcher(), tracker, {})
    assert result == {"postcode": "04101", "line_choice": "L-2003"}


def test_line_plan_address_destination_and_dates(accounts: AccountStore) -> None:
    checker, dispatcher = validator(accounts), CollectingDispatcher()
    tracker = make_tracker([], {**VERIFIED, "task": "change_plan", "line_choice": "L-2004"})
    assert checker.validate_line_choice("Thomas", dispatcher, tracker, {}) == {
        "line_choice": "L-2005"}
    assert checker.validate_new_plan("unlimited plus", dispatcher, tracker, {}) == {
        "new_plan": "UNLIMITED_PLUS"}
    # The plan the line already has is not an option.
    assert checker.validate_new_plan("essentials", dispatcher, tracker, {}) == {
        "new_plan": None}
    assert checker.validate_new_address("12 Pine Road, Springfield, IL 62704", dispatcher,
                                          tracker, {}) == {
        "new_address": "12 Pine Road, Springfield, IL 62704"}
    assert checker.validate_destination("I'm going to spain", dispatcher, tracker, {}) == {
        "destination": "Spain"}
    assert checker.validate_destination("Narnia", dispatcher, tracker, {}) == {
        "destination": None}
    assert checker.validate_trip_dates("Dec 3 to Dec 10", dispatcher, tracker, {}) == {
        "trip_dates": "2026-12-03/2026-12-10"}
    assert checker.validate_new_holder_name("Thomas Walsh", dispatcher, tracker, {}) == {
        "new_holder_name": "Thomas Walsh"}


async def test_line_buttons_and_retry(accounts: AccountStore) -> None:
    slots = {**VERIFIED, "task": "remove_line"}
    dispatcher = CollectingDispatcher()
    await ActionAskLineChoice(lambda: accounts).run(dispatcher, make_tracker([], slots), {})
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == ['/inform{"option": "L-2004"}', '/inform{"option": "L-2005"}', "/stop",
                        "/request_human"]
    events = [slot("requested_slot", "line_choice"), user("inform", "purple"),
              slot("line_choice", "purple"), slot("line_choice", None)]
    assert asked_before(events, "line_choice")
    # After an interruption the full question comes back.
    assert not asked_before([slot("requested_slot", "line_choice"), user("store_hours"),
                             action("action_store_hours")], "line_choice")
    # A fresh task clears the slot; that is not a rejected answer.
    assert not asked_before([user("change_plan"), slot("line_choice", None)], "line_choice")


async def test_trip_destination_is_taken_from_the_first_message(accounts: AccountStore) -> None:
    tracker = make_tracker([user("add_roaming", "I'm going to Spain next month")])
    result = await ActionStartTask(lambda: accounts).run(CollectingDispatcher(), tracker, {})
    assert SlotSet("destination", "Spain") in result


def test_postcode_is_not_checked_again_once_verified(accounts: AccountStore) -> None:
    # The address (and so the ZIP code) may have changed earlier in this chat.
    tracker = make_tracker([], {**VERIFIED, "task": "change_plan", "requested_slot": None})
    result = validator(accounts).validate_postcode("53703", CollectingDispatcher(), tracker, {})
    assert result == {"postcode": "53703"}
    tracker = make_tracker([], {"account_id": "ACC-1002", "postcode": "04101",
                                "task": "change_plan", "requested_slot": None})
    result = validator(accounts).validate_postcode("04101", CollectingDispatcher(), tracker, {})
    assert result == {"postcode": "04101", "line_choice": "L-2003"}


def test_filled_slots_survive_the_form_checking_them_again(accounts: AccountStore) -> None:
    # The form re-validates filled slots when it starts again (a second task,
    # or carrying on after a pause): nothing already settled may be lost.
    checker, dispatcher = validator(accounts), CollectingDispatcher()
    tracker = make_tracker([], {**VERIFIED, "task": "remove_line"})
    assert checker.validate_account_ref("ACC-1003", dispatcher, tracker, {}) == {
        "account_ref": "ACC-1003"}
    assert checker.validate_line_choice("L-2005", dispatcher, tracker, {}) == {
        "line_choice": "L-2005"}
    assert checker.validate_trip_dates("2026-12-03/2026-12-10", dispatcher, tracker, {}) == {
        "trip_dates": "2026-12-03/2026-12-10"}
    assert dispatcher.messages == []


async def test_two_rejected_answers_in_a_row_offer_a_person(accounts: AccountStore) -> None:
    def rejected(text: str) -> list[dict[str, Any]]:
        return [user("inform", text), slot("line_choice", text), slot("line_choice", None)]

    slots = {**VERIFIED, "task": "remove_line"}
    for answers, expected in ((1, "Could you try once more?"), (2, "I'm not getting this right")):
        events = [slot("requested_slot", "line_choice")]
        for n in range(answers):
            events += rejected(f"purple {n}")
        dispatcher = CollectingDispatcher()
        await ActionAskLineChoice(lambda: accounts).run(dispatcher, make_tracker(events, slots), {})
        message = dispatcher.messages[0]
        assert message["text"].startswith(expected)
    assert message["buttons"][-2]["payload"] == "/request_human"


@pytest.mark.parametrize(
    ("ask", "slots", "expected"),
    [
        (ActionAskPostcode, {"task": "remove_line"}, "what's the ZIP code on the account?"),
        (ActionAskPostcode, {"task": "remove_line", **GRIEF}, "Just to keep the account safe"),
        (ActionAskNewAddress, {"task": "change_address"}, "12 Pine Road, Springfield, IL 62704"),
        (ActionAskDestination, {"task": "add_roaming"}, "Which country are you going to?"),
        (ActionAskTripDates, {"task": "add_roaming"}, "first and last days of your trip"),
        (ActionAskAccountRef, {"task": "change_plan"}, "starts with ACC-"),
        (ActionAskAccountRef, {"task": "remove_line", **GRIEF}, "There's no rush at all."),
    ],
)
async def test_every_question_has_the_ways_out(accounts: AccountStore, ask: Any,
                                               slots: dict[str, Any], expected: str) -> None:
    dispatcher = CollectingDispatcher()
    assert await ask(lambda: accounts).run(dispatcher, make_tracker([], slots), {}) == []
    (message,) = dispatcher.messages
    assert expected in message["text"]
    assert [b["payload"] for b in message["buttons"]][-2:] == ["/stop", "/request_human"]


def test_plan_codes_read_as_names_in_the_summary() -> None:
    from actions.tasks import TASKS

    assert TASKS["change_plan"].activity({"new_plan": "UNLIMITED_PLUS"}) == (
        "changing a plan to Unlimited Plus")

