from __future__ import annotations

from datetime import time, timedelta

import pytest

from actions.replies import (
    describe_day,
    not_an_order_id_reply,
    order_not_found_reply,
    order_status_reply,
    store_hours_reply,
    weekly_hours,
)
from actions.store import OpeningHours, Order, StoreHours
from tests.actions.support import TODAY


def _order(status: str, **changes: object) -> Order:
    fields: dict[str, object] = {
        "id": "A1001",
        "status": status,
        "carrier": "UPS",
        "tracking_number": "1Z999",
        "placed_on": TODAY - timedelta(days=3),
        "expected_delivery": TODAY + timedelta(days=2),
        "delivered_on": None,
    }
    fields.update(changes)
    return Order(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (0, "today"),
        (1, "tomorrow"),
        (-1, "yesterday"),
        (2, "on Monday, November 23"),
        (-4, "on Tuesday, November 17"),
        (30, "on December 21"),
    ],
)
def test_describe_day(offset: int, expected: str) -> None:
    assert describe_day(TODAY + timedelta(days=offset), TODAY) == expected


def test_shipped_order_names_carrier_tracking_and_date() -> None:
    reply = order_status_reply(_order("shipped"), TODAY)
    assert "A1001" in reply and "UPS" in reply and "1Z999" in reply
    assert "on Monday, November 23" in reply


def test_processing_order_has_no_carrier_but_a_date() -> None:
    reply = order_status_reply(_order("processing", carrier=None, tracking_number=None), TODAY)
    assert "hasn't shipped" in reply and "on Monday, November 23" in reply
    assert "None" not in reply


def test_processing_order_without_date_promises_one_later() -> None:
    reply = order_status_reply(
        _order("processing", carrier=None, tracking_number=None, expected_delivery=None), TODAY
    )
    assert "once it ships" in reply


def test_out_for_delivery_says_today() -> None:
    assert "end of today" in order_status_reply(_order("out_for_delivery"), TODAY)


def test_delivered_order_says_when_and_offers_a_person() -> None:
    reply = order_status_reply(_order("delivered", delivered_on=TODAY - timedelta(days=1)), TODAY)
    assert "delivered by UPS yesterday" in reply
    assert "person" in reply


def test_cancelled_order_says_nothing_is_coming() -> None:
    assert "nothing is on its way" in order_status_reply(_order("cancelled"), TODAY)


def test_unknown_status_is_said_plainly() -> None:
    assert "on hold" in order_status_reply(_order("on_hold"), TODAY)


def test_not_found_reply_repeats_the_number_and_says_where_to_look() -> None:
    reply = order_not_found_reply("Z9999")
    assert "Z9999" in reply and "confirmation email" in reply


def test_weekly_hours_groups_matching_days_and_shows_closed_days() -> None:
    hours = [OpeningHours(day, time(9), time(20)) for day in range(5)]
    hours.append(OpeningHours(5, time(10, 30), time(18)))
    assert weekly_hours(hours) == "Mon–Fri 9am–8pm, Sat 10:30am–6pm, Sun closed"


def test_weekly_hours_noon_and_midnight() -> None:
    assert weekly_hours([OpeningHours(0, time(0), time(12))]).startswith("Mon 12am–12pm")


def test_store_hours_reply_calls_out_today() -> None:
    stores = [
        StoreHours("Downtown", "120 Main Street", "+1", (OpeningHours(5, time(10), time(18)),)),
        StoreHours("Riverside", "45 River Road", "+1", (OpeningHours(0, time(10), time(21)),)),
    ]
    reply = store_hours_reply(stores, TODAY)  # a Saturday
    assert "Downtown, 120 Main Street: Mon–Fri closed, Sat 10am–6pm, Sun closed" in reply
    assert "(open today 10am–6pm)" in reply
    assert "(closed today)" in reply


def test_store_hours_reply_without_stores_points_to_a_person() -> None:
    assert "person" in store_hours_reply([], TODAY)


def test_replies_never_say_sorry_for_the_inconvenience() -> None:
    replies = [order_status_reply(_order(s), TODAY) for s in ("shipped", "processing",
               "out_for_delivery", "delivered", "cancelled", "returned")]
    replies += [order_not_found_reply("Z9999"), not_an_order_id_reply(), store_hours_reply([], TODAY)]
    for reply in replies:
        assert "inconvenience" not in reply.lower()
