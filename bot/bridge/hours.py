"""Business hours: when people are at their desks, and when they next will be. Pure."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_PART = re.compile(
    r"^(?P<d1>[a-z]{3})(?:-(?P<d2>[a-z]{3}))?\s+"
    r"(?P<h1>\d{2}):(?P<m1>\d{2})-(?P<h2>\d{2}):(?P<m2>\d{2})$"
)


@dataclass(frozen=True)
class Hours:
    """Opening times per weekday (0 = Monday) as (start, end) minutes after midnight."""

    week: tuple[tuple[tuple[int, int], ...], ...]

    @classmethod
    def always(cls) -> Hours:
        """Open around the clock."""
        return cls(tuple(((0, 24 * 60),) for _ in DAYS))

    @classmethod
    def parse(cls, text: str) -> Hours:
        """Parse e.g. ``"mon-fri 08:00-20:00; sat 09:00-17:00"`` or ``"always"``.

        Raises:
            ValueError: The text does not follow that form; the message says where.
        """
        text = text.strip().lower()
        if text == "always":
            return cls.always()
        week: list[list[tuple[int, int]]] = [[] for _ in DAYS]
        for part in filter(None, (p.strip() for p in text.split(";"))):
            match = _PART.match(part)
            if not match or match["d1"] not in DAYS or (match["d2"] and match["d2"] not in DAYS):
                raise ValueError(f"cannot read {part!r}; write e.g. 'mon-fri 08:00-20:00'")
            start = int(match["h1"]) * 60 + int(match["m1"])
            end = int(match["h2"]) * 60 + int(match["m2"])
            if not 0 <= start < end <= 24 * 60 or int(match["m1"]) > 59 or int(match["m2"]) > 59:
                raise ValueError(f"bad times in {part!r}")
            first = DAYS.index(match["d1"])
            last = DAYS.index(match["d2"]) if match["d2"] else first
            day = first
            while True:
                week[day].append((start, end))
                if day == last:
                    break
                day = (day + 1) % 7
        if not any(week):
            raise ValueError("no opening times given")
        return cls(tuple(tuple(sorted(day)) for day in week))

    def is_open(self, local: dt.datetime) -> bool:
        """Whether ``local`` (a time in the business's zone) is inside opening hours."""
        minute = local.hour * 60 + local.minute
        return any(start <= minute < end for start, end in self.week[local.weekday()])

    def next_opening(self, local: dt.datetime) -> dt.datetime | None:
        """The next time the desk opens after ``local``, or None if it is open now."""
        if self.is_open(local):
            return None
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        for offset in range(8):
            day = midnight + dt.timedelta(days=offset)
            for start, _ in self.week[day.weekday()]:
                opening = day + dt.timedelta(minutes=start)
                if opening > local:
                    return opening
        return None


def describe_opening(opening: dt.datetime, local: dt.datetime) -> str:
    """Say when the desk opens, as a person would: "today at 09:00", "Monday at 08:00"."""
    clock = opening.strftime("%H:%M")
    if opening.date() == local.date():
        return f"today at {clock}"
    if opening.date() == local.date() + dt.timedelta(days=1):
        return f"tomorrow at {clock}"
    return f"{opening.strftime('%A')} at {clock}"
