"""Wording of the replies built from store data.

Pure functions, so every sentence a customer can see is unit-tested without
a tracker or a database. Replies are written the way a helpful person at the
counter would say them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

from actions.store import OpeningHours, Order, StoreHours

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

HOURS_UNAVAILABLE = (
    "I can't get to our store hours right now. A person from our team can tell you, "
    "just say you'd like to talk to someone."
)

ORDER_UNAVAILABLE = (
    "I can't reach our order system right now. A person from our team can look it up "
    "for you, just say you'd like to talk to someone."
)


def describe_day(day: date, today: date) -> str:
    """Say a date the way people do, relative to today.

    Args:
        day: The date to describe.
        today: The reference date.

    Returns:
        "today", "tomorrow", "yesterday", "on Thursday, November 27" within a
        week either side, or "on November 27" further out.
    """
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    if abs(delta) < 7:
        return f"on {day:%A}, {day:%B} {day.day}"
    return f"on {day:%B} {day.day}"


def order_status_reply(order: Order, today: date) -> str:
    """Tell the customer where their order is.

    Args:
        order: The order found in the store.
        today: The current date, for "tomorrow" and friends.

    Returns:
        One or two sentences with the status, carrier and expected date.
    """
    carrier = order.carrier or "our delivery partner"
    tracking = f" (tracking number {order.tracking_number})" if order.tracking_number else ""
    if order.status == "processing":
        when = (
            f" It should reach you {describe_day(order.expected_delivery, today)}."
            if order.expected_delivery
            else " I'll have a delivery date for you once it ships."
        )
        return f"Order {order.id} is being packed right now and hasn't shipped yet.{when}"
    if order.status == "shipped":
        when = (
            f" It should arrive {describe_day(order.expected_delivery, today)}."
            if order.expected_delivery
            else ""
        )
        return f"Good news: order {order.id} is on its way with {carrier}{tracking}.{when}"
    if order.status == "out_for_delivery":
        return (
            f"Order {order.id} is out for delivery with {carrier}{tracking}, "
            "so it should be with you by the end of today."
        )
    if order.status == "delivered":
        when = f" {describe_day(order.delivered_on, today)}" if order.delivered_on else ""
        return (
            f"Order {order.id} was delivered by {carrier}{when}. If you can't find it, "
            "a person from our team can help track it down."
        )
    if order.status == "cancelled":
        return (
            f"Order {order.id} was cancelled, so nothing is on its way. If that's a surprise, "
            "a person from our team can look into it with you."
        )
    if order.status == "returned":
        return f"Order {order.id} came back to us as a return."
    return f"Order {order.id} is marked as {order.status.replace('_', ' ')}."


def order_not_found_reply(order_id: str) -> str:
    """Explain kindly that an order number matched nothing.

    Args:
        order_id: The canonical number the customer gave.

    Returns:
        The explanation, with a hint where to find the right number.
    """
    return (
        f"I couldn't find an order numbered {order_id}. The right number is in your "
        "order confirmation email."
    )


def not_an_order_id_reply() -> str:
    """Explain what an order number looks like.

    Returns:
        The explanation.
    """
    return (
        "That doesn't look like an order number to me. They're a letter and four digits, "
        "like A1001, and you'll find yours in your order confirmation email."
    )


def _clock(moment: time) -> str:
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{suffix}"


def _span(hours: OpeningHours | None) -> str:
    return "closed" if hours is None else f"{_clock(hours.opens)}–{_clock(hours.closes)}"


def weekly_hours(hours: Sequence[OpeningHours]) -> str:
    """Summarise a week of hours, grouping neighbouring days that match.

    Args:
        hours: The days a store opens; missing days are closed.

    Returns:
        Text such as "Mon–Fri 9am–8pm, Sat 10am–6pm, Sun closed".
    """
    by_day = {h.weekday: h for h in hours}
    spans = [_span(by_day.get(day)) for day in range(7)]
    groups: list[tuple[int, int, str]] = []
    for day, span in enumerate(spans):
        if groups and groups[-1][2] == span:
            groups[-1] = (groups[-1][0], day, span)
        else:
            groups.append((day, day, span))
    parts = []
    for first, last, span in groups:
        days = _DAY_NAMES[first] if first == last else f"{_DAY_NAMES[first]}–{_DAY_NAMES[last]}"
        parts.append(f"{days} {span}")
    return ", ".join(parts)


def store_hours_reply(stores: Sequence[StoreHours], today: date) -> str:
    """List every store's hours, with today's called out.

    Args:
        stores: The stores from the demo store.
        today: The current date, to say whether each store is open today.

    Returns:
        A short message with one line per store.
    """
    if not stores:
        return HOURS_UNAVAILABLE
    lines = ["Here are our store hours:"]
    for store in stores:
        todays = next((h for h in store.hours if h.weekday == today.weekday()), None)
        note = "closed today" if todays is None else f"open today {_span(todays)}"
        lines.append(f"• {store.name}, {store.address}: {weekly_hours(store.hours)} ({note})")
    lines.append("Anything else I can help with?")
    return "\n".join(lines)
