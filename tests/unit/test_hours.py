import datetime as dt

import pytest

from bot.bridge.hours import Hours, describe_opening

# 2026-11-23 is a Monday.
MON_0730 = dt.datetime(2026, 11, 23, 7, 30)


def test_always_is_always_open() -> None:
    hours = Hours.parse("always")
    assert hours.is_open(MON_0730)
    assert hours.next_opening(MON_0730) is None


def test_weekday_hours() -> None:
    hours = Hours.parse("mon-fri 08:00-20:00; sat 09:00-17:00")
    assert not hours.is_open(MON_0730)
    assert hours.next_opening(MON_0730) == dt.datetime(2026, 11, 23, 8, 0)
    assert hours.is_open(dt.datetime(2026, 11, 23, 8, 0))
    assert not hours.is_open(dt.datetime(2026, 11, 23, 20, 0))
    friday_night = dt.datetime(2026, 11, 27, 21, 0)
    assert hours.next_opening(friday_night) == dt.datetime(2026, 11, 28, 9, 0)
    saturday_night = dt.datetime(2026, 11, 28, 18, 0)
    assert hours.next_opening(saturday_night) == dt.datetime(2026, 11, 30, 8, 0)


def test_day_ranges_wrap_around_the_week() -> None:
    hours = Hours.parse("sat-mon 10:00-12:00")
    assert hours.is_open(dt.datetime(2026, 11, 29, 11, 0))  # Sunday
    assert not hours.is_open(dt.datetime(2026, 11, 25, 11, 0))  # Wednesday


@pytest.mark.parametrize("text", ["", "weekdays 9-5", "mon 09:00", "xyz 09:00-10:00",
                                  "mon 10:00-09:00", "mon 09:00-25:00", "mon 09:61-10:00"])
def test_bad_hours_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        Hours.parse(text)


def test_openings_are_said_plainly() -> None:
    assert describe_opening(dt.datetime(2026, 11, 23, 8, 0), MON_0730) == "today at 08:00"
    assert describe_opening(dt.datetime(2026, 11, 24, 8, 0), MON_0730) == "tomorrow at 08:00"
    assert describe_opening(dt.datetime(2026, 11, 26, 8, 0), MON_0730) == "Thursday at 08:00"
