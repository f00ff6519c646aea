"""Helpers for the account-task tests: reading the demo store and running the last steps."""

from __future__ import annotations

import sqlite3
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.store_accounts import AccountStore
from actions.task_asks import ActionAskConfirmChange
from actions.task_complete import ActionCompleteTask
from actions.task_form import ValidateAccountTaskForm
from tests.actions.support import TODAY, make_tracker

VERIFIED = {"account_ref": "ACC-1003", "account_id": "ACC-1003", "postcode": "53703"}
GRIEF = {"distress_category": "grief", "distress_cue": "my mum died",
         "distress_subject": "your mum"}


def db(store: AccountStore, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(store._path) as conn:
        return conn.execute(sql, args).fetchall()


def snapshot(store: AccountStore) -> list[list[tuple[Any, ...]]]:
    store.find_order("A1001")  # creates and seeds the store on first use
    tables = ("lines", "addresses", "line_addons", "plan_changes", "account_requests",
              "account_holders")
    return [db(store, f"SELECT * FROM {t} ORDER BY 1") for t in tables]  # noqa: S608


def validator(store: AccountStore) -> ValidateAccountTaskForm:
    return ValidateAccountTaskForm(lambda: store, today=lambda: TODAY)


async def complete(store: AccountStore, slots: dict[str, Any]) -> tuple[list[str], list[Any]]:
    dispatcher = CollectingDispatcher()
    result = await ActionCompleteTask(lambda: store).run(dispatcher, make_tracker([], slots), {})
    return [m["text"] for m in dispatcher.messages], result


async def confirmation(store: AccountStore, slots: dict[str, Any]) -> dict[str, Any]:
    dispatcher = CollectingDispatcher()
    await ActionAskConfirmChange(lambda: store).run(dispatcher, make_tracker([], slots), {})
    (message,) = dispatcher.messages
    return message
