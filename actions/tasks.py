"""The routine tasks the bot does, as a handoff summary describes them.

A new task (a roaming pass, a plan change, ...) is one more entry in
:data:`TASKS`; the handoff summary then reports its slots and progress.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


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
    """

    intent: str
    slots: tuple[str, ...]
    form: str | None
    done_action: str
    slot_labels: Mapping[str, str]
    activity: Callable[[Mapping[str, Any]], str]


def _order_activity(slots: Mapping[str, Any]) -> str:
    order_id = slots.get("order_id")
    return f"checking order {order_id}" if order_id else "checking on an order"


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
        ),
        TaskSpec(
            intent="store_hours",
            slots=(),
            form=None,
            done_action="action_store_hours",
            slot_labels={},
            activity=lambda _slots: "asking about store hours",
        ),
    )
}
