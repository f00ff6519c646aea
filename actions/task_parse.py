"""Reading what customers type for account tasks: lines, plans, addresses, dates.

Pure functions, so every way of saying "the second line" or "Dec 3 to 10"
is unit-tested without a tracker or a database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from dateutil import parser as dateparser  # type: ignore[import-untyped]

from actions.store_accounts import Address, Line, Plan, digits

_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2}
_OPTION = re.compile(r'"option"\s*:\s*"([^"]+)"')
_ADDRESS = re.compile(
    r"^\s*(?P<line1>\d+[^,]*?),\s*(?P<city>[^,]+?),?\s+(?P<region>[A-Za-z]{2})\.?,?\s+"
    r"(?P<zip>\d{5})(?:-\d{4})?\s*$"
)
_RANGE_SPLIT = re.compile(r"\s+(?:to|until|till|through|thru|and|-|–)\s+|\s*[–]\s*", re.IGNORECASE)
MAX_TRIP_DAYS = 90


def option_of(text: str) -> str | None:
    """The value of a button payload like ``/inform{"option": "L-2004"}``."""
    match = _OPTION.search(text)
    return match.group(1) if match else None


def pick_line(text: str, lines: Sequence[Line]) -> Line | None:
    """Find the line a customer means.

    Args:
        text: A button payload, a phone number (or its last digits), a name
            ("Eleanor's line") or an ordinal ("the first one").
        lines: The lines to choose from, in the order they were listed.

    Returns:
        The line, or None when the text matches none or several.
    """
    chosen = option_of(text) or text.strip().upper()
    by_id = next((line for line in lines if line.id == chosen), None)
    if by_id is not None or option_of(text):
        return by_id
    lowered = text.lower()
    wanted = digits(text)
    if len(wanted) >= 4:
        hits = [line for line in lines if digits(line.phone_number).endswith(wanted[-4:])]
        if len(hits) == 1:
            return hits[0]
    names = [line for line in lines
             if re.search(rf"\b{re.escape(line.user_name.split()[0].lower())}", lowered)]
    if len(names) == 1:
        return names[0]
    for word, index in _ORDINALS.items():
        if re.search(rf"\b{word}\b", lowered) and index < len(lines):
            return lines[index]
    return None


def pick_plan(text: str, plans: Sequence[Plan]) -> Plan | None:
    """Find the plan a customer means, by payload, code or name.

    Args:
        text: E.g. ``/inform{"option": "UNLIMITED"}``, "unlimited plus" or "essentials".
        plans: The plans on offer.

    Returns:
        The plan; for "unlimited" the exact name wins over "Unlimited Plus".
    """
    chosen = option_of(text)
    if chosen:
        return next((plan for plan in plans if plan.code == chosen), None)
    lowered = " ".join(text.lower().split())
    exact = [p for p in plans if p.name.lower() == lowered or p.code.lower() == lowered]
    if exact:
        return exact[0]
    contained = [p for p in plans if p.name.lower() in lowered]
    if contained:
        # The longest name contained wins: "unlimited plus" is not "unlimited".
        return max(contained, key=lambda p: len(p.name))
    first_words = [p for p in plans if p.name.lower().split()[0] in lowered.split()]
    return first_words[0] if len(first_words) == 1 else None


def parse_address(text: str) -> Address | None:
    """Parse "12 Pine Road, Springfield, IL 62704" into its parts.

    Args:
        text: A US address on one line.

    Returns:
        The address, or None when a part is missing.
    """
    match = _ADDRESS.match(text.strip().rstrip("."))
    if match is None:
        return None
    return Address(
        line1=match["line1"].strip().title(),
        city=match["city"].strip().title(),
        region=match["region"].upper(),
        postal_code=match["zip"],
    )


def _one_date(text: str, default: date) -> date | None:
    try:
        parsed = dateparser.parse(text, default=datetime(default.year, default.month, default.day),
                                  fuzzy=True, dayfirst=False)
    except (ValueError, OverflowError):
        return None
    return parsed.date() if parsed else None


def parse_trip(text: str, today: date) -> tuple[date, date] | None:
    """Read a trip's first and last day from "Dec 3 to Dec 10" and similar.

    Args:
        text: Two dates joined by "to", "until", "-" and so on; a missing
            month is taken from the other date ("3 to 10 December").
        today: Dates already past this year mean next year.

    Returns:
        The first and last day, or None when they can't be read, the trip
        is over, ends before it starts or is longer than 90 days.
    """
    if option_of(text):
        text = option_of(text) or text
    parts = [part for part in _RANGE_SPLIT.split(text.strip()) if part.strip()]
    if len(parts) != 2:
        return None
    end = _one_date(parts[1], today)
    if end is None:
        return None
    start = _one_date(parts[0], end)
    if start is None:
        return None
    if not re.search(r"[A-Za-z]{3}|/|\d{4}-", parts[1]):
        # "Dec 3 to 10": the end borrows the start's month.
        end = _one_date(parts[1], start) or end
    if start < today:
        start, end = start.replace(year=start.year + 1), end.replace(year=end.year + 1)
    if end < start:
        end = end.replace(year=end.year + 1)
    if start < today or (end - start) > timedelta(days=MAX_TRIP_DAYS):
        return None
    return start, end


def format_trip(start: date, end: date) -> str:
    """Store a trip in a slot as "2026-12-03/2026-12-10"."""
    return f"{start.isoformat()}/{end.isoformat()}"


def read_trip(value: str) -> tuple[date, date]:
    """Read back a trip stored by :func:`format_trip`."""
    first, last = value.split("/")
    return date.fromisoformat(first), date.fromisoformat(last)


def clean_name(text: str) -> str | None:
    """A person's full name from "It's Thomas Walsh" or "thomas walsh".

    Args:
        text: What the customer typed.

    Returns:
        The name in title case, or None unless it has two to five words of letters.
    """
    text = re.sub(r"^\s*(it'?s|it is|to|my name is|my name'?s|in|into|name is)\s+", "", text,
                  flags=re.IGNORECASE).strip(" .!")
    words = text.split()
    if not 2 <= len(words) <= 5 or not all(re.fullmatch(r"[A-Za-z'’-]+", w) for w in words):
        return None
    return " ".join(w[:1].upper() + w[1:] for w in words)
