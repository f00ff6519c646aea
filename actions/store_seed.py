"""Demo rows for a fresh account store.

Order dates are relative to the day the store is seeded so a new demo always
has an order on its way, one being prepared and one delivered, instead of a
pile of parcels that "should have arrived" last year.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from typing import Any

CUSTOMERS = [
    # id, full_name, email, phone, deceased_on (days before seeding), created_on
    ("C001", "Maria Lopez", "maria.lopez@example.com", "+1 555 0101", None, "2019-03-14"),
    ("C002", "James Carter", "james.carter@example.com", "+1 555 0102", None, "2021-07-02"),
    ("C003", "Eleanor Walsh", "eleanor.walsh@example.com", "+1 555 0103", 12, "2012-11-20"),
    ("C004", "Thomas Walsh", "thomas.walsh@example.com", "+1 555 0104", None, "2016-05-09"),
    ("C005", "Priya Nair", "priya.nair@example.com", "+1 555 0105", None, "2022-01-17"),
]

ADDRESSES = [
    # customer_id, kind, line1, line2, city, region, postal_code, valid_from
    ("C001", "billing", "18 Elm Street", None, "Springfield", "IL", "62701", "2019-03-14"),
    ("C001", "mailing", "18 Elm Street", None, "Springfield", "IL", "62701", "2019-03-14"),
    ("C002", "billing", "7 Harbor View", "Apt 3B", "Portland", "ME", "04101", "2021-07-02"),
    ("C003", "billing", "92 Oak Lane", None, "Madison", "WI", "53703", "2012-11-20"),
    ("C004", "mailing", "92 Oak Lane", None, "Madison", "WI", "53703", "2016-05-09"),
    ("C005", "billing", "301 Cedar Avenue", "Unit 5", "Austin", "TX", "78701", "2022-01-17"),
    ("C005", "service", "301 Cedar Avenue", "Unit 5", "Austin", "TX", "78701", "2022-01-17"),
]

ACCOUNTS = [
    ("ACC-1001", "active", "2019-03-14"),
    ("ACC-1002", "active", "2021-07-02"),
    ("ACC-1003", "active", "2012-11-20"),
    ("ACC-1004", "active", "2022-01-17"),
]

ACCOUNT_HOLDERS = [
    ("ACC-1001", "C001", "owner", "2019-03-14"),
    ("ACC-1002", "C002", "owner", "2021-07-02"),
    # A bereavement case: the owner has died and her son, already an
    # authorised user, will want the account moved to his name.
    ("ACC-1003", "C003", "owner", "2012-11-20"),
    ("ACC-1003", "C004", "authorized_user", "2016-05-09"),
    ("ACC-1004", "C005", "owner", "2022-01-17"),
]

ROAMING_ZONES = [
    ("EU", "Europe"),
    ("NA", "Canada and Mexico"),
    ("WORLD", "Rest of the world"),
]

ROAMING_ZONE_COUNTRIES = [
    ("EU", "FR", "France"),
    ("EU", "DE", "Germany"),
    ("EU", "ES", "Spain"),
    ("EU", "IT", "Italy"),
    ("EU", "GB", "United Kingdom"),
    ("NA", "CA", "Canada"),
    ("NA", "MX", "Mexico"),
    ("WORLD", "JP", "Japan"),
    ("WORLD", "IN", "India"),
    ("WORLD", "BR", "Brazil"),
]

PLANS = [
    # code, name, kind, price_cents, billing_period, data_gb, roaming_zone, description
    ("ESSENTIALS_10", "Essentials 10 GB", "mobile", 3500, "month", 10, None,
     "Talk, text and 10 GB of data."),
    ("UNLIMITED", "Unlimited", "mobile", 5500, "month", None, None,
     "Unlimited talk, text and data."),
    ("UNLIMITED_PLUS", "Unlimited Plus", "mobile", 6500, "month", None, None,
     "Unlimited everything plus 30 GB of hotspot."),
    ("FIBER_300", "Fiber 300", "internet", 4500, "month", None, None,
     "Home internet at 300 Mbps."),
    ("FIBER_1G", "Fiber 1 Gig", "internet", 7000, "month", None, None,
     "Home internet at 1 Gbps."),
    ("TRAVEL_NA", "Travel Pass Canada & Mexico", "roaming_addon", 500, "day", None, "NA",
     "Use your plan as at home, charged only on days you use it."),
    ("TRAVEL_EU", "Travel Pass Europe", "roaming_addon", 1000, "day", None, "EU",
     "Use your plan as at home, charged only on days you use it."),
    ("TRAVEL_WORLD", "Travel Pass World", "roaming_addon", 1200, "day", 2, "WORLD",
     "2 GB a day, calls and texts, charged only on days you use it."),
]

LINES = [
    # id, account_id, phone_number, plan_code, user_name, activated_on
    ("L-2001", "ACC-1001", "+1 555 0101", "UNLIMITED_PLUS", "Maria Lopez", "2019-03-14"),
    ("L-2002", "ACC-1001", "+1 555 0111", "ESSENTIALS_10", "Daniel Lopez", "2020-09-01"),
    ("L-2003", "ACC-1002", "+1 555 0102", "UNLIMITED", "James Carter", "2021-07-02"),
    ("L-2004", "ACC-1003", "+1 555 0103", "ESSENTIALS_10", "Eleanor Walsh", "2012-11-20"),
    ("L-2005", "ACC-1003", "+1 555 0104", "ESSENTIALS_10", "Thomas Walsh", "2016-05-09"),
    ("L-2006", "ACC-1004", "+1 555 0105", "UNLIMITED", "Priya Nair", "2022-01-17"),
    ("L-2007", "ACC-1004", "FIBER-78701-5", "FIBER_300", "Priya Nair", "2022-01-17"),
]

STORES = [
    ("S-DOWNTOWN", "Downtown", "120 Main Street", "+1 555 0199"),
    ("S-RIVERSIDE", "Riverside Mall", "45 River Road, Unit 12", "+1 555 0198"),
]

# weekday: 0 is Monday, matching date.weekday(). Missing days are closed.
STORE_HOURS = [
    *[("S-DOWNTOWN", day, "09:00", "20:00") for day in range(5)],
    ("S-DOWNTOWN", 5, "10:00", "18:00"),
    ("S-DOWNTOWN", 6, "11:00", "17:00"),
    *[("S-RIVERSIDE", day, "10:00", "21:00") for day in range(6)],
]


def _orders(today: date) -> list[tuple[Any, ...]]:
    def day(offset: int) -> str:
        return (today + timedelta(days=offset)).isoformat()

    # id, account, placed_on, status, carrier, tracking, expected, delivered,
    # cancellable_until, total_cents
    return [
        ("A1001", "ACC-1001", day(-3), "shipped", "UPS", "1Z999AA10123456784", day(2), None,
         None, 79900),
        ("A1002", "ACC-1002", day(-1), "processing", None, None, day(5), None, day(1), 2999),
        ("A1003", "ACC-1001", day(-10), "delivered", "FedEx", "612999AA10NA", day(-4), day(-4),
         None, 4999),
        ("A1004", "ACC-1004", day(-4), "out_for_delivery", "USPS", "9400111899223100012345",
         day(0), None, None, 12999),
        ("A1005", "ACC-1003", day(-6), "cancelled", None, None, None, None, None, 1999),
    ]


ORDER_ITEMS = [
    ("A1001", 1, "PH-GALAXY-S24", "Galaxy S24, 128 GB, black", 1, 79900),
    ("A1002", 1, "AC-CASE-CLEAR", "Clear phone case", 1, 2999),
    ("A1003", 1, "AC-CHARGER-30W", "30 W USB-C charger", 1, 4999),
    ("A1004", 1, "RT-WIFI6-MESH", "Wi-Fi 6 mesh router", 1, 12999),
    ("A1005", 1, "AC-CABLE-2M", "USB-C cable, 2 m", 1, 1999),
]


def seed(conn: sqlite3.Connection, today: date) -> None:
    """Insert the demo rows into an empty store.

    Args:
        conn: An open connection inside the caller's transaction.
        today: The day the demo starts; order dates are placed around it.
    """
    customers = [
        (cid, name, email, phone,
         None if died is None else (today - timedelta(days=died)).isoformat(), created)
        for cid, name, email, phone, died, created in CUSTOMERS
    ]
    conn.executemany("INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?)", customers)
    conn.executemany(
        "INSERT INTO addresses (customer_id, kind, line1, line2, city, region, postal_code,"
        " valid_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        ADDRESSES,
    )
    conn.executemany(
        "INSERT INTO accounts (id, status, opened_on) VALUES (?, ?, ?)", ACCOUNTS
    )
    conn.executemany(
        "INSERT INTO account_holders (account_id, customer_id, role, since) VALUES (?, ?, ?, ?)",
        ACCOUNT_HOLDERS,
    )
    conn.executemany("INSERT INTO roaming_zones VALUES (?, ?)", ROAMING_ZONES)
    conn.executemany("INSERT INTO roaming_zone_countries VALUES (?, ?, ?)", ROAMING_ZONE_COUNTRIES)
    conn.executemany(
        "INSERT INTO plans (code, name, kind, price_cents, billing_period, data_gb,"
        " roaming_zone, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        PLANS,
    )
    conn.executemany(
        "INSERT INTO lines (id, account_id, phone_number, plan_code, user_name, status,"
        " activated_on) VALUES (?, ?, ?, ?, ?, 'active', ?)",
        LINES,
    )
    conn.execute(
        "INSERT INTO line_addons VALUES ('L-2006', 'TRAVEL_EU', ?, ?)",
        ((today + timedelta(days=20)).isoformat(), (today + timedelta(days=34)).isoformat()),
    )
    conn.executemany(
        "INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _orders(today)
    )
    conn.executemany("INSERT INTO order_items VALUES (?, ?, ?, ?, ?, ?)", ORDER_ITEMS)
    conn.executemany("INSERT INTO stores VALUES (?, ?, ?, ?)", STORES)
    conn.executemany("INSERT INTO store_hours VALUES (?, ?, ?, ?)", STORE_HOURS)


def seed_v2(conn: sqlite3.Connection, today: date) -> None:
    """Insert the demo rows of schema version 2.

    Priya switched her phone to Unlimited five days ago, so the demo has a
    recent purchase she can swap for a plan that fits better.

    Args:
        conn: An open connection inside the caller's transaction.
        today: The day the demo starts.
    """
    conn.execute(
        "INSERT INTO plan_changes (line_id, from_plan, to_plan, changed_on, kind)"
        " VALUES ('L-2006', 'ESSENTIALS_10', 'UNLIMITED', ?, 'change')",
        ((today - timedelta(days=5)).isoformat(),),
    )
