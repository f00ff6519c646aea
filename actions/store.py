"""The demo account store: a SQLite file created and seeded on first use."""

from __future__ import annotations

import functools
import logging
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

from actions.settings import get_settings
from actions.store_schema import DDL, SCHEMA_VERSION
from actions.store_seed import seed, seed_v2

logger = logging.getLogger(__name__)

# A letter and four digits, as printed on order confirmations. Customers type
# "a1001", "A-1001" or "A 1001"; all of them mean A1001.
_ORDER_ID = re.compile(r"^\s*#?\s*([A-Za-z])[\s-]?(\d{4})\s*$")


class StoreError(RuntimeError):
    """The store file exists but cannot be used (for example, a newer schema)."""


@dataclass(frozen=True)
class Order:
    """What a customer can be told about one order.

    Attributes:
        id: The order number, such as ``A1001``.
        status: One of the ``orders.status`` values of the schema.
        carrier: The shipping company, once the parcel has left.
        tracking_number: The carrier's tracking number, once shipped.
        placed_on: The day the order was placed.
        expected_delivery: The promised delivery day, if there is one.
        delivered_on: The day the parcel arrived, once delivered.
    """

    id: str
    status: str
    carrier: str | None
    tracking_number: str | None
    placed_on: date
    expected_delivery: date | None
    delivered_on: date | None


@dataclass(frozen=True)
class OpeningHours:
    """The hours of one store on one day of the week.

    Attributes:
        weekday: 0 is Monday, as in ``date.weekday()``.
        opens: Opening time.
        closes: Closing time.
    """

    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True)
class StoreHours:
    """A store and its weekly hours.

    Attributes:
        name: The store's name, such as ``Downtown``.
        address: Its street address.
        phone: Its phone number.
        hours: Opening hours for the days it opens, Monday first.
    """

    name: str
    address: str
    phone: str
    hours: tuple[OpeningHours, ...]


def normalize_order_id(raw: str) -> str | None:
    """Turn what a customer typed into a canonical order number.

    Args:
        raw: Text such as ``"a1001"``, ``"A-1001"`` or ``"#A1001"``.

    Returns:
        The canonical form (``"A1001"``), or None when it does not look like
        an order number at all.
    """
    match = _ORDER_ID.match(raw)
    if match is None:
        return None
    return f"{match.group(1).upper()}{match.group(2)}"


def split_statements(script: str) -> list[str]:
    """Split an SQL script into single statements.

    ``executescript`` would commit the caller's transaction first, so the
    schema is run statement by statement instead. SQLite's own parser decides
    where a statement ends, so semicolons inside comments or strings are safe.

    Args:
        script: Statements separated by semicolons.

    Returns:
        The complete statements, in order.

    Raises:
        ValueError: The script ends inside an unfinished statement.
    """
    statements: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    leftover = [ln for ln in pending.splitlines() if ln.strip() and not ln.lstrip().startswith("--")]
    if leftover:
        raise ValueError("SQL script ends inside an unfinished statement")
    return statements


def _optional_date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


class DemoStore:
    """Read access to the demo account store, creating it when missing."""

    def __init__(self, path: Path, today: Callable[[], date] = date.today) -> None:
        """Point at a store file; nothing is opened until the first query.

        Args:
            path: The SQLite file. Its directory is created if needed.
            today: The clock used to date the seeded orders.
        """
        self._path = path
        self._today = today
        self._ready = False

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: transactions are opened explicitly where needed.
        conn = sqlite3.connect(self._path, isolation_level=None)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            if not self._ready:
                self._prepare(conn)
                self._ready = True
            yield conn
        finally:
            conn.close()

    def _prepare(self, conn: sqlite3.Connection) -> None:
        # BEGIN IMMEDIATE takes the write lock before reading the version, so
        # two processes starting together cannot both seed the same file.
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self._path} has schema version {version}; this code knows"
                    f" up to {SCHEMA_VERSION}"
                )
            if version < SCHEMA_VERSION:
                # Every CREATE is IF NOT EXISTS, so this also adds the tables
                # of newer versions to an older file without touching its rows.
                for statement in split_statements(DDL):
                    conn.execute(statement)
                if version == 0:
                    seed(conn, self._today())
                if version < 2:
                    seed_v2(conn, self._today())
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                logger.info("Created and seeded the demo store at %s", self._path)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def find_order(self, order_id: str) -> Order | None:
        """Look up one order by its canonical number.

        Args:
            order_id: A canonical order number, such as ``A1001``.

        Returns:
            The order, or None when there is no such order.
        """
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id, status, carrier, tracking_number, placed_on, expected_delivery,"
                " delivered_on FROM orders WHERE id = ?",
                (order_id,),
            ).fetchone()
        if row is None:
            return None
        return Order(
            id=row[0],
            status=row[1],
            carrier=row[2],
            tracking_number=row[3],
            placed_on=date.fromisoformat(row[4]),
            expected_delivery=_optional_date(row[5]),
            delivered_on=_optional_date(row[6]),
        )

    def store_hours(self) -> list[StoreHours]:
        """List every store with its weekly opening hours.

        Returns:
            The stores in name order, each with its open days Monday first.
        """
        with self._connect() as conn:
            stores = conn.execute("SELECT id, name, address, phone FROM stores ORDER BY name")
            result = []
            for store_id, name, address, phone in stores.fetchall():
                rows = conn.execute(
                    "SELECT weekday, opens, closes FROM store_hours WHERE store_id = ?"
                    " ORDER BY weekday",
                    (store_id,),
                ).fetchall()
                hours = tuple(
                    OpeningHours(day, time.fromisoformat(opens), time.fromisoformat(closes))
                    for day, opens, closes in rows
                )
                result.append(StoreHours(name, address, phone, hours))
        return result


@functools.lru_cache(maxsize=1)
def get_store() -> DemoStore:
    """Return the process-wide demo store, at the path the settings name.

    Returns:
        The shared store.
    """
    return DemoStore(get_settings().demo_store_path)
