from __future__ import annotations

import json

from actions.handoff import build_summary, read_conversation
from tests.actions.support import action, answered, asked_for_order, greeted, loop, slot, user

PROTOCOL_KEYS = {"reason", "category", "cue", "headline", "task", "suggested_opening",
                 "unstated_needs"}


def test_plain_request_with_no_task() -> None:
    events = [*greeted(), user("request_human", "agent")]
    summary = build_summary(read_conversation(events, None, None))
    assert set(summary) == PROTOCOL_KEYS
    assert summary["reason"] == "customer_request"
    assert summary["task"] is None
    assert summary["category"] is None and summary["cue"] is None
    assert summary["unstated_needs"] == []
    assert summary["headline"] == (
        "Customer asked for a person before starting anything with the bot."
    )
    assert summary["suggested_opening"] == "Hi, thanks for waiting. I've read the chat. How can I help?"


def test_request_while_the_form_asks_for_the_number() -> None:
    events = [*greeted(), *asked_for_order(), user("request_human", "real person")]
    summary = build_summary(read_conversation(events, "order_status_form", "order_id"))
    assert summary["task"] == {
        "intent": "order_status",
        "slots": {},
        "active_form": "order_status_form",
        "progress": "bot was asking for the order number",
    }
    assert summary["headline"] == "Customer asked for a person while checking on an order."


def test_request_after_an_answered_order_keeps_the_order_number() -> None:
    # action_order_status resets order_id; the summary still names the order.
    events = [*asked_for_order(), *answered("A1001"), user("request_human", "human please")]
    summary = build_summary(read_conversation(events, None, None))
    assert summary["task"] is not None
    assert summary["task"]["slots"] == {"order_id": "A1001"}
    assert summary["task"]["progress"] == "answered by the bot"
    assert summary["task"]["active_form"] is None
    assert summary["headline"] == "Customer asked for a person after checking order A1001 with the bot."
    assert "order A1001" in (summary["suggested_opening"] or "")


def test_rejected_number_is_not_reported() -> None:
    events = [*asked_for_order(), user("inform", "Z9999", order_id="Z9999"),
              slot("order_id", "Z9999"), action("order_status_form"), slot("order_id", None),
              action("action_listen"), user("request_human", "agent")]
    summary = build_summary(read_conversation(events, "order_status_form", "order_id"))
    assert summary["task"] is not None and summary["task"]["slots"] == {}


def test_stopped_form() -> None:
    events = [*asked_for_order(), user("stop", "never mind"), action("action_deactivate_loop"),
              loop(None), slot("requested_slot", None), action("utter_order_stopped"),
              action("action_listen"), user("request_human", "agent")]
    summary = build_summary(read_conversation(events, None, None))
    assert summary["task"] is not None
    assert summary["task"]["progress"] == "stopped by the customer before the bot answered"
    assert summary["headline"] == (
        "Customer asked for a person after stopping partway through checking on an order."
    )


def test_order_number_typed_out_of_the_blue_starts_the_task() -> None:
    events = [*greeted(), user("inform", "A1002", order_id="A1002"), slot("order_id", "A1002"),
              action("order_status_form"), loop("order_status_form"), slot("order_id", "A1002"),
              slot("requested_slot", None), loop(None), action("action_order_status"),
              slot("order_id", None), action("action_listen"), user("request_human", "agent")]
    summary = build_summary(read_conversation(events, None, None))
    assert summary["task"] is not None
    assert summary["task"]["intent"] == "order_status"
    assert summary["task"]["slots"] == {"order_id": "A1002"}


def test_a_new_order_question_replaces_the_answered_one() -> None:
    events = [*asked_for_order(), *answered("A1001"), *asked_for_order(),
              user("request_human", "agent")]
    summary = build_summary(read_conversation(events, "order_status_form", "order_id"))
    assert summary["task"] is not None
    assert summary["task"]["slots"] == {}
    assert summary["task"]["progress"] == "bot was asking for the order number"


def test_store_hours_task() -> None:
    events = [user("store_hours", "when are you open"), action("action_store_hours"),
              action("action_listen"), user("request_human", "agent")]
    summary = build_summary(read_conversation(events, None, None))
    assert summary["task"] == {"intent": "store_hours", "slots": {}, "active_form": None,
                               "progress": "answered by the bot"}
    assert summary["headline"] == (
        "Customer asked for a person after asking about store hours with the bot."
    )


def test_accepting_the_offer_after_two_fallbacks_is_bot_stuck() -> None:
    events = [user("nlu_fallback", "flurble"), action("utter_please_rephrase"),
              action("action_listen"), user("nlu_fallback", "grommet"),
              action("utter_offer_human"), action("action_listen"),
              user("request_human", "/request_human")]
    summary = build_summary(read_conversation(events, None, None))
    assert summary["reason"] == "bot_stuck"
    assert summary["headline"] == "The bot couldn't understand the customer twice in a row."
    assert "got stuck" in (summary["suggested_opening"] or "")


def test_typed_yes_to_the_offer_is_also_bot_stuck() -> None:
    events = [*asked_for_order(), user("nlu_fallback", "x"), action("utter_didnt_catch_that"),
              action("order_status_form"), action("action_listen"), user("nlu_fallback", "y"),
              action("utter_offer_human"), action("action_listen"), user("affirm", "yes")]
    summary = build_summary(read_conversation(events, "order_status_form", "order_id"))
    assert summary["reason"] == "bot_stuck"
    assert summary["headline"] == (
        "The bot couldn't understand the customer twice in a row while checking on an order."
    )


def test_a_later_request_is_a_customer_request_again() -> None:
    events = [user("nlu_fallback", "x"), action("utter_offer_human"), action("action_listen"),
              user("deny", "/deny"), action("utter_keep_trying"), action("action_listen"),
              user("request_human", "agent")]
    assert read_conversation(events, None, None).reason == "customer_request"


def test_accepting_the_out_of_scope_offer() -> None:
    events = [user("out_of_scope", "change my plan"), action("utter_out_of_scope"),
              action("action_listen"), user("affirm", "yes")]
    summary = build_summary(read_conversation(events, None, None))
    assert summary["reason"] == "customer_request"
    assert summary["headline"] == (
        "Customer asked for something the bot can't do and wants a person."
    )


def test_restart_forgets_everything_before_it() -> None:
    events = [*asked_for_order(), *answered("A1001"), {"event": "restart"},
              user("request_human", "agent")]
    assert read_conversation(events, None, None).task is None


def test_summary_is_json_serialisable() -> None:
    events = [*asked_for_order(), *answered("A1001"), user("request_human", "agent")]
    summary = build_summary(read_conversation(events, None, None))
    assert json.loads(json.dumps(summary)) == summary


def test_headline_is_one_short_sentence() -> None:
    cases = [
        ([user("request_human")], None),
        ([*asked_for_order(), user("request_human")], "order_status_form"),
        ([*asked_for_order(), *answered("A1003"), user("request_human")], None),
    ]
    for events, form in cases:
        headline = build_summary(read_conversation(events, form, None))["headline"]
        assert headline.endswith(".") and headline.count(".") == 1
        assert len(headline) <= 120
