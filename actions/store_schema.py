"""Schema of the demo account store.

The tables model the company as later features will need it, not only as
today's two lookups use it:

* trips abroad: ``roaming_zones``, ``roaming_zone_countries`` and plans of kind
  ``roaming_addon``, attached to a line for dates in ``line_addons``;
* plan changes with price differences: every plan has a price and billing
  period, and ``lines.plan_code`` says what a line pays today;
* cancelling a recent purchase: ``orders.cancellable_until`` and statuses;
* billing or mailing address changes: ``addresses`` keeps history through
  ``valid_from``/``valid_to`` instead of overwriting;
* removing a line: ``lines.status`` and ``removed_on``;
* transferring ownership, including when the holder has died:
  ``account_holders`` keeps who held which role when, and
  ``customers.deceased_on`` records a bereavement.

Money is in integer cents and dates are ISO 8601 text, so nothing depends on
SQLite's loose typing or float rounding.
"""

from __future__ import annotations

# Bump when the DDL changes; the store refuses a file with a newer version
# and migrates (today: creates) anything older.
SCHEMA_VERSION = 2

DDL = """
CREATE TABLE IF NOT EXISTS customers (
    id            TEXT PRIMARY KEY,
    full_name     TEXT NOT NULL,
    email         TEXT NOT NULL UNIQUE,
    phone         TEXT,
    deceased_on   TEXT,
    created_on    TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS addresses (
    id            INTEGER PRIMARY KEY,
    customer_id   TEXT NOT NULL REFERENCES customers(id),
    kind          TEXT NOT NULL CHECK (kind IN ('billing', 'mailing', 'service')),
    line1         TEXT NOT NULL,
    line2         TEXT,
    city          TEXT NOT NULL,
    region        TEXT NOT NULL,
    postal_code   TEXT NOT NULL,
    country       TEXT NOT NULL DEFAULT 'US',
    valid_from    TEXT NOT NULL,
    valid_to      TEXT
);

CREATE TABLE IF NOT EXISTS accounts (
    id            TEXT PRIMARY KEY,
    status        TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'closed')),
    opened_on     TEXT NOT NULL,
    closed_on     TEXT
);

CREATE TABLE IF NOT EXISTS account_holders (
    account_id    TEXT NOT NULL REFERENCES accounts(id),
    customer_id   TEXT NOT NULL REFERENCES customers(id),
    role          TEXT NOT NULL CHECK (role IN ('owner', 'authorized_user')),
    since         TEXT NOT NULL,
    until         TEXT,
    PRIMARY KEY (account_id, customer_id, role, since)
);

CREATE TABLE IF NOT EXISTS roaming_zones (
    code          TEXT PRIMARY KEY,
    name          TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS plans (
    code                TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    kind                TEXT NOT NULL CHECK (kind IN ('mobile', 'internet', 'roaming_addon')),
    price_cents         INTEGER NOT NULL CHECK (price_cents >= 0),
    -- Monthly plans bill per month; travel passes bill per day abroad.
    billing_period      TEXT NOT NULL CHECK (billing_period IN ('month', 'day')),
    data_gb             INTEGER,
    roaming_zone        TEXT REFERENCES roaming_zones(code),
    available           INTEGER NOT NULL DEFAULT 1 CHECK (available IN (0, 1)),
    description         TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS roaming_zone_countries (
    zone_code     TEXT NOT NULL REFERENCES roaming_zones(code),
    country_code  TEXT NOT NULL,
    country_name  TEXT NOT NULL,
    PRIMARY KEY (zone_code, country_code)
);

CREATE TABLE IF NOT EXISTS lines (
    id            TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL REFERENCES accounts(id),
    phone_number  TEXT NOT NULL UNIQUE,
    plan_code     TEXT NOT NULL REFERENCES plans(code),
    user_name     TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'removed')),
    activated_on  TEXT NOT NULL,
    removed_on    TEXT
);

CREATE TABLE IF NOT EXISTS line_addons (
    line_id       TEXT NOT NULL REFERENCES lines(id),
    plan_code     TEXT NOT NULL REFERENCES plans(code),
    starts_on     TEXT NOT NULL,
    ends_on       TEXT,
    PRIMARY KEY (line_id, plan_code, starts_on)
);

CREATE TABLE IF NOT EXISTS orders (
    id                 TEXT PRIMARY KEY,
    account_id         TEXT NOT NULL REFERENCES accounts(id),
    placed_on          TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN
                           ('processing', 'shipped', 'out_for_delivery', 'delivered',
                            'cancelled', 'returned')),
    carrier            TEXT,
    tracking_number    TEXT,
    expected_delivery  TEXT,
    delivered_on       TEXT,
    cancellable_until  TEXT,
    total_cents        INTEGER NOT NULL CHECK (total_cents >= 0)
);

CREATE TABLE IF NOT EXISTS order_items (
    order_id          TEXT NOT NULL REFERENCES orders(id),
    position          INTEGER NOT NULL,
    sku               TEXT NOT NULL,
    description       TEXT NOT NULL,
    quantity          INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents  INTEGER NOT NULL CHECK (unit_price_cents >= 0),
    PRIMARY KEY (order_id, position)
);

CREATE TABLE IF NOT EXISTS stores (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    address       TEXT NOT NULL,
    phone         TEXT NOT NULL
);

-- weekday follows Python's date.weekday(): 0 is Monday. A day with no row is
-- a day the store is closed.
CREATE TABLE IF NOT EXISTS store_hours (
    store_id      TEXT NOT NULL REFERENCES stores(id),
    weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    opens         TEXT NOT NULL,
    closes        TEXT NOT NULL,
    PRIMARY KEY (store_id, weekday)
);

-- Version 2: what the bot changed on an account, and what still needs a
-- person (a transfer of ownership waits for documents).
CREATE TABLE IF NOT EXISTS plan_changes (
    id            INTEGER PRIMARY KEY,
    line_id       TEXT NOT NULL REFERENCES lines(id),
    from_plan     TEXT NOT NULL REFERENCES plans(code),
    to_plan       TEXT NOT NULL REFERENCES plans(code),
    changed_on    TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('change', 'exchange'))
);

CREATE TABLE IF NOT EXISTS account_requests (
    id            INTEGER PRIMARY KEY,
    account_id    TEXT NOT NULL REFERENCES accounts(id),
    kind          TEXT NOT NULL CHECK (kind IN ('transfer_ownership')),
    status        TEXT NOT NULL CHECK (status IN ('awaiting_documents', 'done', 'cancelled')),
    new_holder    TEXT NOT NULL,
    reason        TEXT NOT NULL CHECK (reason IN ('bereavement', 'separation', 'other')),
    documents     TEXT NOT NULL,
    created_on    TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS orders_by_account ON orders(account_id);
CREATE INDEX IF NOT EXISTS lines_by_account ON lines(account_id);
CREATE INDEX IF NOT EXISTS holders_by_customer ON account_holders(customer_id);
"""
