from __future__ import annotations

import sqlite3
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from actions.store import DemoStore, StoreError, normalize_order_id, split_statements
from actions.store_schema import DDL, SCHEMA_VERSION
from tests.actions.support import TODAY


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("A1001", "A1001"),
        ("a1001", "A1001"),
        ("A-1001", "A1001"),
        ("a 1001", "A1001"),
        (" #A1001 ", "A1001"),
        ("1001", None),
        ("AB1001", None),
        ("A10011", None),
        ("", None),
    ],
)
def test_normalize_order_id(raw: str, expected: str | None) -> None:
    assert normalize_order_id(raw) == expected


def test_first_use_creates_directory_schema_and_seed(store: DemoStore) -> None:
    order = store.find_order("A1001")
    assert order is not None
    assert order.status == "shipped"
    assert order.carrier == "UPS"
    assert order.expected_delivery == TODAY + timedelta(days=2)
    assert order.placed_on == TODAY - timedelta(days=3)


def test_unknown_order_is_none(store: DemoStore) -> None:
    assert store.find_order("Z9999") is None


def test_every_seeded_status_reads_back(store: DemoStore) -> None:
    statuses = {oid: store.find_order(oid) for oid in ("A1001", "A1002", "A1003", "A1004", "A1005")}
    assert {oid: o.status for oid, o in statuses.items() if o} == {
        "A1001": "shipped",
        "A1002": "processing",
        "A1003": "delivered",
        "A1004": "out_for_delivery",
        "A1005": "cancelled",
    }
    delivered = statuses["A1003"]
    assert delivered is not None and delivered.delivered_on == TODAY - timedelta(days=4)


def test_store_hours(store: DemoStore) -> None:
    stores = store.store_hours()
    assert [s.name for s in stores] == ["Downtown", "Riverside Mall"]
    downtown, riverside = stores
    assert len(downtown.hours) == 7
    assert downtown.hours[0].opens == time(9) and downtown.hours[0].closes == time(20)
    # Riverside is closed on Sundays: there is simply no row for weekday 6.
    assert [h.weekday for h in riverside.hours] == [0, 1, 2, 3, 4, 5]


def test_seeding_happens_once(store: DemoStore) -> None:
    store.find_order("A1001")
    again = DemoStore(store._path, today=lambda: date(2030, 1, 1))
    order = again.find_order("A1001")
    # Still the first seed's dates, and no duplicate rows.
    assert order is not None and order.placed_on == TODAY - timedelta(days=3)
    with sqlite3.connect(store._path) as conn:
        assert conn.execute("SELECT count(*) FROM orders").fetchone()[0] == 5
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_seed_respects_foreign_keys(store: DemoStore) -> None:
    store.store_hours()
    with sqlite3.connect(store._path) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_schema_has_room_for_later_features(store: DemoStore) -> None:
    store.store_hours()
    with sqlite3.connect(store._path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {
            "customers", "addresses", "accounts", "account_holders", "plans", "lines",
            "line_addons", "roaming_zones", "roaming_zone_countries", "orders", "order_items",
            "stores", "store_hours",
        } <= tables
        # A bereavement case and a roaming pass are seeded for later slices.
        assert conn.execute(
            "SELECT count(*) FROM customers WHERE deceased_on IS NOT NULL"
        ).fetchone()[0] == 1
        assert conn.execute(
            "SELECT count(*) FROM plans WHERE kind = 'roaming_addon' AND billing_period = 'day'"
        ).fetchone()[0] >= 1


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="schema version"):
        DemoStore(path).find_order("A1001")


def test_failed_seed_leaves_no_half_built_store(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"

    def exploding_clock() -> date:
        raise RuntimeError("clock broke")

    with pytest.raises(RuntimeError):
        DemoStore(path, today=exploding_clock).find_order("A1001")
    # The next start seeds cleanly instead of finding empty tables.
    assert DemoStore(path, today=lambda: TODAY).find_order("A1001") is not None


def test_split_statements_ignores_semicolons_in_comments() -> None:
    script = "-- a; b\nCREATE TABLE t (x INTEGER);\n-- c; d\nCREATE TABLE u (y TEXT);\n"
    assert split_statements(script) == [
        "-- a; b\nCREATE TABLE t (x INTEGER);",
        "-- c; d\nCREATE TABLE u (y TEXT);",
    ]


def test_split_statements_rejects_an_unfinished_statement() -> None:
    with pytest.raises(ValueError, match="unfinished"):
        split_statements("CREATE TABLE t (x INTEGER)")


def test_schema_splits_into_every_create() -> None:
    statements = split_statements(DDL)
    assert len(statements) == DDL.count("CREATE ")
