"""Account reads and the changes the bot may make, on the demo store.

Every write here is called only after the customer said yes to a summary of
exactly that change (see task_complete.py), and runs in one transaction.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from actions.settings import get_settings
from actions.store import DemoStore

_ACCOUNT = re.compile(r"\bacc(?:ount)?[\s#:-]*(\d{4})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Plan:
    """A plan or travel pass. Prices are in cents per month or per day."""

    code: str
    name: str
    kind: str
    price_cents: int
    billing_period: str
    description: str


@dataclass(frozen=True)
class Line:
    """One active line (phone number or home internet) on an account."""

    id: str
    phone_number: str
    user_name: str
    plan: Plan


@dataclass(frozen=True)
class Account:
    """An account as the bot needs it: who holds it and its active lines."""

    id: str
    owner_name: str
    owner_deceased: bool
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Address:
    """A postal address, as typed by the customer and parsed."""

    line1: str
    city: str
    region: str
    postal_code: str


def digits(text: str) -> str:
    """Keep only the digits of a text: "+1 555 0103" -> "15550103"."""
    return re.sub(r"\D", "", text)


_PLAN_COLUMNS = "p.code, p.name, p.kind, p.price_cents, p.billing_period, p.description"


class AccountStore(DemoStore):
    """The demo store with account reads and confirmed writes."""

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def find_account_id(self, ref: str) -> str | None:
        """Find an account from an account number or one of its phone numbers.

        Args:
            ref: What the customer typed, e.g. "ACC-1003", "acc 1003" or "555 0103".

        Returns:
            The account id, or None when nothing matches.
        """
        match = _ACCOUNT.search(ref)
        with self._connect() as conn:
            if match:
                row = conn.execute("SELECT id FROM accounts WHERE id = ?",
                                   (f"ACC-{match.group(1)}",)).fetchone()
                return row[0] if row else None
            wanted = digits(ref)
            if len(wanted) < 7:
                return None
            for account_id, number in conn.execute(
                "SELECT account_id, phone_number FROM lines WHERE status = 'active'"
            ):
                if digits(number).endswith(wanted[-7:]):
                    return str(account_id)
        return None

    def postcode_matches(self, account_id: str, postcode: str) -> bool:
        """Check a ZIP code against the addresses of the account's holders.

        Args:
            account_id: The account.
            postcode: The five digits the customer gave.

        Returns:
            True when any current address of a holder has that ZIP code.
        """
        with self._connect() as conn:
            row = conn.execute(
                "SELECT 1 FROM addresses a JOIN account_holders h ON h.customer_id = a.customer_id"
                " WHERE h.account_id = ? AND h.until IS NULL AND a.valid_to IS NULL"
                " AND a.postal_code = ?",
                (account_id, postcode.strip()),
            ).fetchone()
        return row is not None

    def account(self, account_id: str) -> Account | None:
        """Read an account with its owner and active lines.

        Args:
            account_id: The account.

        Returns:
            The account, or None when it does not exist.
        """
        with self._connect() as conn:
            owner = conn.execute(
                "SELECT c.full_name, c.deceased_on FROM account_holders h"
                " JOIN customers c ON c.id = h.customer_id"
                " WHERE h.account_id = ? AND h.role = 'owner' AND h.until IS NULL",
                (account_id,),
            ).fetchone()
            if owner is None:
                return None
            rows = conn.execute(
                f"SELECT l.id, l.phone_number, l.user_name, {_PLAN_COLUMNS} FROM lines l"
                " JOIN plans p ON p.code = l.plan_code"
                " WHERE l.account_id = ? AND l.status = 'active' ORDER BY l.id",
                (account_id,),
            ).fetchall()
        lines = tuple(Line(r[0], r[1], r[2], Plan(*r[3:])) for r in rows)
        return Account(account_id, owner[0], owner[1] is not None, lines)

    def plans(self, kind: str) -> list[Plan]:
        """List the plans on sale of one kind, cheapest first.

        Args:
            kind: mobile, internet or roaming_addon.

        Returns:
            The plans.
        """
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT {_PLAN_COLUMNS} FROM plans p WHERE p.kind = ? AND p.available = 1"
                " ORDER BY p.price_cents",
                (kind,),
            ).fetchall()
        return [Plan(*row) for row in rows]

    def travel_pass_for(self, country: str) -> tuple[str, Plan] | None:
        """Find the travel pass that covers a country, by name or code.

        Args:
            country: E.g. "Spain", "spain" or "ES".

        Returns:
            The country's proper name and its pass, or None if not covered.
        """
        with self._connect() as conn:
            row = conn.execute(
                f"SELECT z.country_name, {_PLAN_COLUMNS} FROM roaming_zone_countries z"
                " JOIN plans p ON p.roaming_zone = z.zone_code AND p.kind = 'roaming_addon'"
                " WHERE lower(z.country_name) = lower(?) OR upper(z.country_code) = upper(?)",
                (country.strip(), country.strip()),
            ).fetchone()
        return (row[0], Plan(*row[1:])) if row else None

    def recent_plan_change(self, line_id: str, within_days: int = 14) -> tuple[str, date] | None:
        """The plan a line was on before a change in the last few days.

        Args:
            line_id: The line.
            within_days: How recent counts as "recent".

        Returns:
            The previous plan's code and the day of the change, or None.
        """
        since = (self._today() - timedelta(days=within_days)).isoformat()
        with self._connect() as conn:
            row = conn.execute(
                "SELECT from_plan, changed_on FROM plan_changes WHERE line_id = ?"
                " AND changed_on >= ? ORDER BY changed_on DESC, id DESC LIMIT 1",
                (line_id, since),
            ).fetchone()
        return (row[0], date.fromisoformat(row[1])) if row else None

    def remove_line(self, line_id: str) -> None:
        """Close a line from today; nothing more is billed for it."""
        with self._transaction() as conn:
            conn.execute(
                "UPDATE lines SET status = 'removed', removed_on = ? WHERE id = ?"
                " AND status = 'active'",
                (self._today().isoformat(), line_id),
            )

    def change_plan(self, line_id: str, plan_code: str, kind: str = "change") -> None:
        """Move a line to another plan from today and record the change."""
        with self._transaction() as conn:
            (old,) = conn.execute("SELECT plan_code FROM lines WHERE id = ?", (line_id,)).fetchone()
            conn.execute("UPDATE lines SET plan_code = ? WHERE id = ?", (plan_code, line_id))
            conn.execute(
                "INSERT INTO plan_changes (line_id, from_plan, to_plan, changed_on, kind)"
                " VALUES (?, ?, ?, ?, ?)",
                (line_id, old, plan_code, self._today().isoformat(), kind),
            )

    def change_address(self, account_id: str, address: Address) -> None:
        """Replace the owner's billing and mailing address from today."""
        today = self._today().isoformat()
        with self._transaction() as conn:
            (owner,) = conn.execute(
                "SELECT customer_id FROM account_holders WHERE account_id = ? AND role = 'owner'"
                " AND until IS NULL",
                (account_id,),
            ).fetchone()
            conn.execute(
                "UPDATE addresses SET valid_to = ? WHERE customer_id = ? AND valid_to IS NULL"
                " AND kind IN ('billing', 'mailing')",
                (today, owner),
            )
            for kind in ("billing", "mailing"):
                conn.execute(
                    "INSERT INTO addresses (customer_id, kind, line1, city, region, postal_code,"
                    " valid_from) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (owner, kind, address.line1, address.city, address.region,
                     address.postal_code, today),
                )

    def add_travel_pass(self, line_id: str, plan_code: str, starts: date, ends: date) -> None:
        """Put a travel pass on a line for the days of a trip."""
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO line_addons VALUES (?, ?, ?, ?)",
                (line_id, plan_code, starts.isoformat(), ends.isoformat()),
            )

    def request_transfer(self, account_id: str, new_holder: str, reason: str,
                         documents: str) -> None:
        """Open a transfer of ownership that completes once documents arrive."""
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO account_requests (account_id, kind, status, new_holder, reason,"
                " documents, created_on) VALUES (?, 'transfer_ownership', 'awaiting_documents',"
                " ?, ?, ?, ?)",
                (account_id, new_holder, reason, documents, self._today().isoformat()),
            )


@functools.lru_cache(maxsize=1)
def get_account_store() -> AccountStore:
    """Return the process-wide account store, at the path the settings name.

    Returns:
        The shared store.
    """
    return AccountStore(get_settings().demo_store_path)
