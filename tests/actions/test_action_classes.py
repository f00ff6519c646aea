from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from actions.fallback import ActionCoreFallback
from actions.handoff_action import ActionHandoff
from actions.order_status import (
    ASK_AGAIN,
    FIRST_ASK,
    RETRY_ASK,
    ActionAskOrderId,
    ActionOrderStatus,
    ValidateOrderStatusForm,
)
from actions.store import DemoStore
from actions.store_hours import ActionStoreHours
from tests.actions.support import TODAY, Event, answered, asked_for_order, greeted, user


def _tracker(
    events: list[Event],
    slots: dict[str, Any] | None = None,
    active_loop: str | None = None,
) -> Tracker:
    latest = next((e["parse_data"] for e in reversed(events) if e["event"] == "user"), {})
    return Tracker(
        sender_id="test",
        slots={"order_id": None, "requested_slot": None, **(slots or {})},
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def _texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [m["text"] for m in dispatcher.messages if m.get("text")]


def _broken_store() -> DemoStore:
    class Broken(DemoStore):
        def find_order(self, order_id: str) -> None:
            raise sqlite3.OperationalError("disk I/O error")

        def store_hours(self) -> list[Any]:
            raise sqlite3.OperationalError("disk I/O error")

    return Broken(Path("/nonexistent/never-used.db"))


def test_domain_actions_match_the_registered_actions(domain: dict[str, Any]) -> None:
    # What `rasa run actions --actions actions` will serve, and nothing missing.
    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(executor.actions) == set(domain["actions"])


async def test_handoff_sends_warm_text_and_summary(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    events = [*greeted(), *asked_for_order(), *answered("A1001"), user("request_human", "agent")]
    result = await ActionHandoff().run(dispatcher, _tracker(events), domain)
    text, custom = dispatcher.messages
    assert "person from our team" in text["text"]
    assert "won't have to repeat yourself" in text["text"]
    summary = custom["custom"]["calor"]["handoff"]
    assert summary["reason"] == "customer_request"
    assert summary["task"]["slots"] == {"order_id": "A1001"}
    assert summary["headline"] == "Customer asked for a person after checking order A1001 with the bot."
    assert result == []


async def test_handoff_in_a_form_stops_the_form(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    events = [*asked_for_order(), user("request_human", "human please")]
    tracker = _tracker(events, {"requested_slot": "order_id"}, active_loop="order_status_form")
    result = await ActionHandoff().run(dispatcher, tracker, domain)
    assert result == [ActiveLoop(None), SlotSet("requested_slot", None)]
    summary = dispatcher.messages[1]["custom"]["calor"]["handoff"]
    assert summary["task"]["active_form"] == "order_status_form"
    assert summary["task"]["progress"] == "bot was asking for the order number"


async def test_handoff_when_stuck_thanks_for_patience(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    events = [user("nlu_fallback"), {"event": "action", "name": "utter_offer_human"},
              user("affirm", "yes")]
    await ActionHandoff().run(dispatcher, _tracker(events), domain)
    assert _texts(dispatcher)[0].startswith("Thanks for bearing with me.")
    assert dispatcher.messages[1]["custom"]["calor"]["handoff"]["reason"] == "bot_stuck"


async def test_store_hours_come_from_the_store(
    store_factory: Callable[[], DemoStore], domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    action = ActionStoreHours(store=store_factory, today=lambda: TODAY)
    assert await action.run(dispatcher, _tracker([user("store_hours")]), domain) == []
    (reply,) = _texts(dispatcher)
    assert "Downtown, 120 Main Street: Mon–Fri 9am–8pm, Sat 10am–6pm, Sun 11am–5pm" in reply
    assert "Riverside Mall" in reply and "(closed today)" not in reply.split("\n")[1]


async def test_store_hours_outage_is_explained(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    await ActionStoreHours(store=_broken_store).run(dispatcher, _tracker([]), domain)
    assert "person from our team" in _texts(dispatcher)[0]


async def test_order_status_reports_and_resets_the_slot(
    store_factory: Callable[[], DemoStore], domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    action = ActionOrderStatus(store=store_factory, today=lambda: TODAY)
    result = await action.run(dispatcher, _tracker([], {"order_id": "A1001"}), domain)
    assert result == [SlotSet("order_id", None)]
    (reply,) = _texts(dispatcher)
    assert "A1001" in reply and "UPS" in reply and "on Monday, November 23" in reply


async def test_order_status_outage_is_explained(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    result = await ActionOrderStatus(store=_broken_store).run(
        dispatcher, _tracker([], {"order_id": "A1001"}), domain
    )
    assert result == [SlotSet("order_id", None)]
    assert "can't reach our order system" in _texts(dispatcher)[0]


async def _validate(
    validator: ValidateOrderStatusForm, value: str, domain: dict[str, Any]
) -> tuple[list[Event], CollectingDispatcher]:
    events = [*asked_for_order(), user("inform", value, order_id=value),
              {"event": "slot", "name": "order_id", "value": value}]
    tracker = _tracker(events, {"order_id": value, "requested_slot": "order_id"},
                       active_loop="order_status_form")
    dispatcher = CollectingDispatcher()
    return await validator.run(dispatcher, tracker, domain), dispatcher


async def test_known_order_number_is_accepted_in_canonical_form(
    store_factory: Callable[[], DemoStore], domain: dict[str, Any]
) -> None:
    result, dispatcher = await _validate(ValidateOrderStatusForm(store_factory), "a-1002", domain)
    assert SlotSet("order_id", "A1002") in result
    assert dispatcher.messages == []


async def test_unknown_order_number_is_rejected_kindly(
    store_factory: Callable[[], DemoStore], domain: dict[str, Any]
) -> None:
    result, dispatcher = await _validate(ValidateOrderStatusForm(store_factory), "Z9999", domain)
    assert SlotSet("order_id", None) in result
    (reply,) = _texts(dispatcher)
    assert "couldn't find an order numbered Z9999" in reply


async def test_validation_fails_open_when_the_store_is_down(domain: dict[str, Any]) -> None:
    result, dispatcher = await _validate(ValidateOrderStatusForm(_broken_store), "A1001", domain)
    assert SlotSet("order_id", "A1001") in result
    assert dispatcher.messages == []


async def test_ask_order_id_first_time_retry_and_again(domain: dict[str, Any]) -> None:
    cases = [
        (user("order_status", "where is my order"), FIRST_ASK),
        (user("inform", "Z9999", order_id="Z9999"), RETRY_ASK),
        (user("order_status", "where is Z9999", order_id="Z9999"), RETRY_ASK),
        (user("bot_challenge", "are you a bot"), ASK_AGAIN),
    ]
    for message, expected in cases:
        dispatcher = CollectingDispatcher()
        await ActionAskOrderId().run(dispatcher, _tracker([message]), domain)
        (sent,) = dispatcher.messages
        assert sent["text"] == expected
        payloads = [b["payload"] for b in sent["buttons"]]
        assert payloads == ["/stop", "/request_human"]


async def test_core_fallback_offers_a_person_and_reverts(domain: dict[str, Any]) -> None:
    dispatcher = CollectingDispatcher()
    result = await ActionCoreFallback().run(dispatcher, _tracker([user("affirm")]), domain)
    assert result == [UserUtteranceReverted()]
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/request_human"


def test_domain_responses_sound_human(domain: dict[str, Any]) -> None:
    texts = [v["text"] for variants in domain["responses"].values() for v in variants]
    assert texts
    for text in texts:
        assert "inconvenience" not in text.lower()
    assert "person" in domain["responses"]["utter_greet"][0]["text"]
    assert "automated assistant" in domain["responses"]["utter_iamabot"][0]["text"]
    offer = domain["responses"]["utter_offer_human"][0]["buttons"]
    assert offer == [{"title": "Talk to a person", "payload": "/request_human"},
                     {"title": "Keep trying with the bot", "payload": "/deny"}]
