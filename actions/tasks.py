"""The routine tasks the bot does, as the summary and the distress replies name them.

A new task is one more entry in :data:`TASKS`; the handoff summary then
reports its slots and progress, and a distressed customer can be offered to
carry on with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# The form shared by every task on a customer's account; which task it is
# doing is in the `task` slot.
ACCOUNT_FORM = "account_task_form"
ACCOUNT_DONE = "action_complete_task"


@dataclass(frozen=True)
class TaskSpec:
    """A routine task the bot can do, as the summary talks about it.

    Attributes:
        intent: The intent that starts the task.
        slots: The slots that hold the task's details.
        form: The form that collects those slots, if any.
        done_action: The action that answers the customer.
        slot_labels: Plain names of the slots, for progress notes.
        activity: Describes the task from its slots, e.g. "checking order A1001".
        wants: What the customer wants, after "wants to", e.g. "remove a line".
        carry_on: The button title that resumes the task.
    """

    intent: str
    slots: tuple[str, ...]
    form: str | None
    done_action: str
    slot_labels: Mapping[str, str]
    activity: Callable[[Mapping[str, Any]], str]
    wants: str = "get help"
    carry_on: str = "Carry on with me"


def _order_activity(slots: Mapping[str, Any]) -> str:
    order_id = slots.get("order_id")
    return f"checking order {order_id}" if order_id else "checking on an order"


def _with(base: str, slot: str, joiner: str) -> Callable[[Mapping[str, Any]], str]:
    def describe(slots: Mapping[str, Any]) -> str:
        value = slots.get(slot)
        if isinstance(value, str) and value.isupper() and "_" in value:
            # A plan code such as UNLIMITED_PLUS reads better as a name.
            value = value.replace("_", " ").title()
        return f"{base}{joiner}{value}" if value else base

    return describe


VERIFY = ("account_ref", "postcode")
VERIFY_LABELS = {
    "account_ref": "account number or phone number",
    "postcode": "ZIP code",
    "confirm_change": "final go-ahead",
}


def _account_task(
    intent: str, details: tuple[str, ...], labels: Mapping[str, str],
    activity: Callable[[Mapping[str, Any]], str], wants: str, carry_on: str,
) -> TaskSpec:
    return TaskSpec(
        intent=intent,
        slots=(*VERIFY, *details, "confirm_change"),
        form=ACCOUNT_FORM,
        done_action=ACCOUNT_DONE,
        slot_labels={**VERIFY_LABELS, **labels},
        activity=activity,
        wants=wants,
        carry_on=carry_on,
    )


TASKS: Mapping[str, TaskSpec] = {
    spec.intent: spec
    for spec in (
        TaskSpec(
            intent="order_status",
            slots=("order_id",),
            form="order_status_form",
            done_action="action_order_status",
            slot_labels={"order_id": "order number"},
            activity=_order_activity,
            wants="check on an order",
            carry_on="Check on my order",
        ),
        TaskSpec(
            intent="store_hours",
            slots=(),
            form=None,
            done_action="action_store_hours",
            slot_labels={},
            activity=lambda _slots: "asking about store hours",
            wants="look up our store hours",
            carry_on="Store hours",
        ),
        _account_task(
            "remove_line", ("line_choice",), {"line_choice": "line to remove"},
            _with("removing a line", "line_choice", ": "),
            "remove a line", "Carry on removing the line",
        ),
        _account_task(
            "transfer_account", ("new_holder_name",), {"new_holder_name": "new holder's name"},
            _with("moving the account into another name", "new_holder_name", ": "),
            "move the account into another name", "Carry on with the account",
        ),
        _account_task(
            "change_plan", ("line_choice", "new_plan"),
            {"line_choice": "line", "new_plan": "new plan"},
            _with("changing a plan", "new_plan", " to "),
            "change a plan", "Carry on changing the plan",
        ),
        _account_task(
            "exchange_purchase", ("line_choice", "new_plan"),
            {"line_choice": "line", "new_plan": "plan that fits better"},
            _with("swapping a recent plan purchase", "new_plan", " for "),
            "swap a recent purchase for something that fits better", "Carry on with the swap",
        ),
        _account_task(
            "change_address", ("new_address",), {"new_address": "new address"},
            _with("changing the billing and mailing address", "new_address", " to "),
            "change the billing address", "Carry on with the address",
        ),
        _account_task(
            "add_roaming", ("destination", "trip_dates", "line_choice"),
            {"destination": "destination", "trip_dates": "travel dates", "line_choice": "line"},
            _with("adding a travel pass", "destination", " for "),
            "add a travel pass for a trip", "Carry on with the travel pass",
        ),
    )
}

ACCOUNT_TASKS = tuple(name for name, spec in TASKS.items() if spec.form == ACCOUNT_FORM)
