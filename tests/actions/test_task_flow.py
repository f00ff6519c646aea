"""The account tasks against a real demo store: nothing changes without a yes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.store_accounts import AccountStore
from actions.task_asks import (
    ActionAskAccountRef,
    ActionAskNewHolderName,
    ActionAskNewPlan,
)
from actions.task_complete import ActionTaskStopped
from tests.actions.support import TODAY, make_tracker
from tests.actions.task_support import (
    GRIEF,
    VERIFIED,
    complete,
    confirmation,
    db,
    snapshot,
)


async def test_remove_line_confirm_then_change_with_care_offer(accounts: AccountStore) -> None:
    slots = {**VERIFIED, **GRIEF, "task": "remove_line", "line_choice": "L-2004"}
    message = await confirmation(accounts, slots)
    assert message["text"].startswith("Just to check: I'll close Eleanor's line (+1 555 0103")
    assert [b["payload"] for b in message["buttons"]][:2] == ["/affirm", "/deny"]
    before = snapshot(accounts)
    # A "no" changes nothing.
    texts, _ = await complete(accounts, {**slots, "confirm_change": False})
    assert texts == ["Okay, I've left everything as it is. Nothing has been changed."]
    assert snapshot(accounts) == before
    texts, result = await complete(accounts, {**slots, "confirm_change": True})
    assert texts[0].startswith("It's done. Eleanor's line (+1 555 0103) is closed from today")
    assert "bereavement discount" in texts[1] and "card" in texts[1] and "mail" in texts[1]
    assert db(accounts, "SELECT status, removed_on FROM lines WHERE id = 'L-2004'") == [
        ("removed", TODAY.isoformat())]
    assert SlotSet("task", None) in result and SlotSet("account_id", None) not in result


async def test_stop_leaves_the_store_unchanged(accounts: AccountStore) -> None:
    before = snapshot(accounts)
    dispatcher = CollectingDispatcher()
    result = await ActionTaskStopped().run(dispatcher, make_tracker([], {
        **VERIFIED, "task": "remove_line", "line_choice": "L-2004"}), {})
    assert "nothing has been changed" in dispatcher.messages[0]["text"]
    assert SlotSet("line_choice", None) in result
    assert snapshot(accounts) == before


async def test_change_plan_shows_the_difference(accounts: AccountStore) -> None:
    slots = {**VERIFIED, "task": "change_plan", "line_choice": "L-2005",
             "new_plan": "UNLIMITED"}
    message = await confirmation(accounts, slots)
    assert "from Essentials 10 GB ($35 a month) to Unlimited ($55 a month)" in message["text"]
    assert "$20 a month more" in message["text"]
    texts, _ = await complete(accounts, {**slots, "confirm_change": True})
    assert texts[0].startswith("Done. +1 555 0104 is now on Unlimited at $55 a month.")
    assert db(accounts, "SELECT plan_code FROM lines WHERE id = 'L-2005'") == [("UNLIMITED",)]
    assert db(accounts, "SELECT from_plan, to_plan, kind FROM plan_changes WHERE line_id ="
                         " 'L-2005'") == [("ESSENTIALS_10", "UNLIMITED", "change")]


async def test_exchange_a_recent_purchase(accounts: AccountStore) -> None:
    slots = {"account_ref": "ACC-1004", "account_id": "ACC-1004", "postcode": "78701",
             "task": "exchange_purchase", "line_choice": "L-2006", "new_plan": "ESSENTIALS_10"}
    dispatcher = CollectingDispatcher()
    await ActionAskNewPlan(lambda: accounts).run(dispatcher, make_tracker([], slots), {})
    assert "recent change" in dispatcher.messages[0]["text"]
    message = await confirmation(accounts, slots)
    assert "$20 a month less with no change fee" in message["text"]
    texts, _ = await complete(accounts, {**slots, "confirm_change": True})
    assert "no change fee" in texts[0]
    assert ("UNLIMITED", "ESSENTIALS_10", "exchange") in db(
        accounts, "SELECT from_plan, to_plan, kind FROM plan_changes")


async def test_change_address(accounts: AccountStore) -> None:
    slots = {"account_ref": "ACC-1002", "account_id": "ACC-1002", "postcode": "04101",
             "task": "change_address", "new_address": "12 Pine Road, Springfield, IL 62704"}
    assert "becomes 12 Pine Road, Springfield, IL 62704" in (
        await confirmation(accounts, slots))["text"]
    await complete(accounts, {**slots, "confirm_change": True})
    current = db(accounts, "SELECT kind, line1, postal_code FROM addresses WHERE customer_id ="
                            " 'C002' AND valid_to IS NULL ORDER BY kind")
    assert current == [("billing", "12 Pine Road", "62704"), ("mailing", "12 Pine Road", "62704")]


async def test_travel_pass_quote_and_add(accounts: AccountStore) -> None:
    slots = {"task": "add_roaming", "destination": "Spain", "trip_dates": "2026-12-03/2026-12-10"}
    dispatcher = CollectingDispatcher()
    await ActionAskAccountRef(lambda: accounts).run(dispatcher, make_tracker([], slots), {})
    assert dispatcher.messages[0]["text"].startswith(
        "Travel Pass Europe covers Spain: $10 a day, charged only on days you use your phone "
        "there, so at most $80 for your 8 days.")
    slots.update({"account_ref": "ACC-1001", "account_id": "ACC-1001", "postcode": "62701",
                  "line_choice": "L-2001"})
    texts, _ = await complete(accounts, {**slots, "confirm_change": True})
    assert "Have a wonderful trip!" in texts[0]
    assert db(accounts, "SELECT * FROM line_addons WHERE line_id = 'L-2001'") == [
        ("L-2001", "TRAVEL_EU", "2026-12-03", "2026-12-10")]


async def test_transfer_after_a_death_names_the_documents(accounts: AccountStore) -> None:
    slots = {**VERIFIED, **GRIEF, "task": "transfer_account", "new_holder_name": "Thomas Walsh"}
    dispatcher = CollectingDispatcher()
    await ActionAskNewHolderName(lambda: accounts).run(dispatcher, make_tracker([], slots), {})
    assert "There's no rush" in dispatcher.messages[0]["text"]
    assert "death certificate" in (await confirmation(accounts, slots))["text"]
    texts, _ = await complete(accounts, {**slots, "confirm_change": True})
    assert "Thomas Walsh's name" in texts[0] and "bereavement discount" in texts[1]
    assert db(accounts, "SELECT status, reason, new_holder FROM account_requests") == [
        ("awaiting_documents", "bereavement", "Thomas Walsh")]


async def test_transfer_after_a_separation_needs_consent(accounts: AccountStore) -> None:
    slots = {"account_ref": "ACC-1001", "account_id": "ACC-1001", "postcode": "62701",
             "task": "transfer_account", "new_holder_name": "Sam Lopez",
             "distress_category": "grief", "distress_cue": "my wife wants a divorce"}
    assert "court order" in (await confirmation(accounts, slots))["text"]
    texts, _ = await complete(accounts, {**slots, "confirm_change": True})
    assert len(texts) == 1
    assert db(accounts, "SELECT reason FROM account_requests") == [("separation",)]


async def test_outage_changes_nothing_and_offers_a_person(tmp_path: Path) -> None:
    class Broken(AccountStore):
        def account(self, account_id: str) -> None:
            raise sqlite3.OperationalError("disk I/O error")

    broken = Broken(tmp_path / "x.db", today=lambda: TODAY)
    texts, _ = await complete(broken, {**VERIFIED, "task": "remove_line",
                                        "line_choice": "L-2004", "confirm_change": True})
    assert "can't reach our account system" in texts[0]


def test_version_1_store_is_migrated_without_reseeding(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    AccountStore(path, today=lambda: TODAY).find_order("A1001")
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE plan_changes")
        conn.execute("DROP TABLE account_requests")
        conn.execute("PRAGMA user_version = 1")
    store = AccountStore(path, today=lambda: TODAY)
    assert store.recent_plan_change("L-2006") is not None
    assert db(store, "SELECT count(*) FROM orders") == [(5,)]
