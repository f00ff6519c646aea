from __future__ import annotations

from datetime import date

import pytest

from actions.store_accounts import Line, Plan
from actions.task_parse import (
    clean_name,
    format_trip,
    option_of,
    parse_address,
    parse_trip,
    pick_line,
    pick_plan,
    read_trip,
)
from tests.actions.support import TODAY

ESS = Plan("ESSENTIALS_10", "Essentials 10 GB", "mobile", 3500, "month", "")
UNL = Plan("UNLIMITED", "Unlimited", "mobile", 5500, "month", "")
PLUS = Plan("UNLIMITED_PLUS", "Unlimited Plus", "mobile", 6500, "month", "")
LINES = [Line("L-2004", "+1 555 0103", "Eleanor Walsh", ESS),
         Line("L-2005", "+1 555 0104", "Thomas Walsh", ESS)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [('/inform{"option": "L-2005"}', "L-2005"), ("Eleanor's line", "L-2004"),
     ("the one ending 0104", "L-2005"), ("+1 555 0103", "L-2004"), ("the first one", "L-2004"),
     ("Walsh", None), ("the purple one", None), ('/inform{"option": "L-9999"}', None)],
)
def test_pick_line(text: str, expected: str | None) -> None:
    line = pick_line(text, LINES)
    assert (line.id if line else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("unlimited", "UNLIMITED"), ("Unlimited Plus please", "UNLIMITED_PLUS"),
     ("essentials", "ESSENTIALS_10"), ('/inform{"option": "UNLIMITED_PLUS"}', "UNLIMITED_PLUS"),
     ("the cheap one", None)],
)
def test_pick_plan(text: str, expected: str | None) -> None:
    plan = pick_plan(text, [ESS, UNL, PLUS])
    assert (plan.code if plan else None) == expected


def test_option_of() -> None:
    assert option_of('/inform{"option": "X"}') == "X"
    assert option_of("plain") is None


def test_parse_address() -> None:
    address = parse_address("12 pine road, springfield, il 62704.")
    assert address is not None
    assert (address.line1, address.city, address.region, address.postal_code) == (
        "12 Pine Road", "Springfield", "IL", "62704")
    assert parse_address("Springfield") is None
    assert parse_address("12 Pine Road, Springfield") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Dec 3 to Dec 10", (date(2026, 12, 3), date(2026, 12, 10))),
     ("3 to 10 December", (date(2026, 12, 3), date(2026, 12, 10))),
     ("Dec 3 to 10", (date(2026, 12, 3), date(2026, 12, 10))),
     ("2026-12-03 to 2026-12-10", (date(2026, 12, 3), date(2026, 12, 10))),
     ("12/28 - 1/4", (date(2026, 12, 28), date(2027, 1, 4))),
     ("January 5 until January 12", (date(2027, 1, 5), date(2027, 1, 12))),
     ("next week sometime", None), ("Dec 3 to Jun 10", None)],
)
def test_parse_trip(text: str, expected: tuple[date, date] | None) -> None:
    assert parse_trip(text, TODAY) == expected


def test_trip_round_trip() -> None:
    trip = (date(2026, 12, 3), date(2026, 12, 10))
    assert read_trip(format_trip(*trip)) == trip


@pytest.mark.parametrize(
    ("text", "expected"),
    [("it's thomas walsh", "Thomas Walsh"), ("Maria Lopez", "Maria Lopez"),
     ("to my name is Ana de la Cruz", None), ("Thomas", None), ("ACC-1003", None)],
)
def test_clean_name(text: str, expected: str | None) -> None:
    assert clean_name(text) == expected
