from __future__ import annotations

from actions.handoff import build_summary, read_conversation
from tests.actions.support import action, distressed, loop, slot, user


def _remove_line_asking(slot_name: str) -> list[dict[str, object]]:
    return [user("remove_line", "/remove_line"), action("action_start_task"),
            slot("repeated_request", False), slot("task", "remove_line"),
            action("account_task_form"), loop("account_task_form"),
            slot("account_ref", "ACC-1003"), slot("account_id", "ACC-1003"),
            slot("postcode", "53703"), slot("line_choice", "L-2004"),
            slot("requested_slot", slot_name), action("action_listen")]


def test_grieving_customer_before_confirming() -> None:
    events = [*distressed("grief", "my wife died", "your wife", "remove_line"),
              action("action_acknowledge_distress"), action("action_listen"),
              *_remove_line_asking("confirm_change"), user("request_human", "agent")]
    summary = build_summary(read_conversation(events, "account_task_form", "confirm_change"))
    assert summary["reason"] == "distress"
    assert summary["category"] == "grief"
    assert summary["cue"] == "my wife died"
    assert summary["headline"] == "Grieving customer (wife died) wants to remove a line; " \
                                  "hasn't confirmed yet."
    assert summary["task"] == {
        "intent": "remove_line",
        "slots": {"account_ref": "ACC-1003", "postcode": "53703", "line_choice": "L-2004"},
        "active_form": "account_task_form",
        "progress": "bot was asking for the final go-ahead",
    }
    opening = summary["suggested_opening"] or ""
    # The loss comes before the plan change.
    assert opening.startswith("Hi, I'm so sorry about your wife.")
    assert opening.index("sorry") < opening.index("remove a line")
    needs = " ".join(summary["unstated_needs"]).lower()
    assert "card" in needs and "mail" in needs and "bereavement discount" in needs


def test_task_only_mentioned_is_not_started() -> None:
    events = [*distressed("overwhelm", "I just lost my job", "your job", "change_plan"),
              action("action_acknowledge_distress"), action("action_listen"),
              user("request_human", "/request_human")]
    summary = build_summary(read_conversation(events, None, None))
    assert summary["task"] is not None
    assert summary["task"]["intent"] == "change_plan"
    assert summary["task"]["progress"] == "mentioned by the customer; not started yet"
    assert summary["headline"] == ("Overwhelmed customer (I just lost my job) wants to change a "
                                   "plan; not started yet.")
    assert any("payment plan" in n.lower() for n in summary["unstated_needs"])


def test_paused_task_after_distress_mid_form() -> None:
    events = [*_remove_line_asking("line_choice"),
              *distressed("grief", "he passed away", "your husband"),
              action("action_acknowledge_distress"), loop(None), slot("requested_slot", None),
              action("action_listen"), user("request_human", "/request_human")]
    summary = build_summary(read_conversation(events, None, None))
    assert summary["task"] is not None
    assert summary["task"]["progress"] == "paused by the bot to listen; nothing changed yet"
    assert summary["headline"].endswith("wants to remove a line; nothing changed yet.")


def test_lonely_customer_gets_time_not_a_task() -> None:
    events = [*distressed("loneliness", "I don't have anyone to talk to"),
              action("action_acknowledge_distress"), user("request_human")]
    summary = build_summary(read_conversation(events, None, None))
    assert summary["headline"] == ("Lonely customer (I don't have anyone to talk to) shared "
                                   "what's going on; no task started.")
    assert summary["unstated_needs"][0].startswith("Time to talk")
    assert "no rush" in (summary["suggested_opening"] or "")


def test_crisis_category_overrides_and_headline_is_one_sentence() -> None:
    events = [user("crisis", "I can't go on. I really can't.")]
    summary = build_summary(read_conversation(events, None, None, category="crisis"))
    assert summary["reason"] == "distress" and summary["category"] == "crisis"
    assert summary["headline"].count(".") == 1 and summary["headline"].endswith(".")
    assert "Are you safe" in (summary["suggested_opening"] or "")


def test_answered_account_task_keeps_its_slots() -> None:
    events = [*_remove_line_asking("confirm_change"), user("affirm", "yes"),
              slot("confirm_change", True), action("account_task_form"),
              slot("requested_slot", None), loop(None), action("action_complete_task"),
              slot("task", None), slot("line_choice", None), action("action_listen"),
              user("request_human")]
    summary = build_summary(read_conversation(events, None, None))
    assert summary["reason"] == "customer_request"
    assert summary["task"] is not None
    assert summary["task"]["progress"] == "answered by the bot"
    assert summary["task"]["slots"]["line_choice"] == "L-2004"
    assert summary["headline"] == ("Customer asked for a person after removing a line: L-2004 "
                                   "with the bot.")
