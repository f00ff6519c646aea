"""The engine and the one way to run a transaction, with driver errors wrapped."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bot.bridge.errors import StorageError
from bot.bridge.storage.schema import metadata


def iso(ts: float) -> str:
    """Seconds since the epoch as an ISO 8601 UTC string."""
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).isoformat(timespec="milliseconds")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets readers go on while one writer writes.
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Database:
    """An asyncio SQLAlchemy engine.

    Args:
        url: ``sqlite+aiosqlite://…`` or ``postgresql+asyncpg://…``.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.engine: AsyncEngine = create_async_engine(
            url,
            # PostgreSQL: a server that is down or stuck makes a call fail within
            # seconds with a clear error, never hang the customer's send.
            connect_args={"timeout": 30} if self.is_sqlite else {"timeout": 5, "command_timeout": 15},
            pool_pre_ping=not self.is_sqlite,
        )
        if self.is_sqlite:
            sa.event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        # SQLite lets one writer in at a time and makes the others sleep and retry
        # (its busy handler backs off for up to 100 ms); under load that sleeping
        # is what customers wait on. Queueing transactions here instead keeps
        # them first in, first out, with no sleeping.
        self._one_at_a_time: asyncio.Lock | None = asyncio.Lock() if self.is_sqlite else None
        self.closed = False

    async def start(self) -> None:
        """Create the database file's folder and the tables that do not exist yet."""
        database = self.engine.url.database
        if self.is_sqlite and database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        async with self.tx() as conn:
            if not self.is_sqlite:
                # Several bridge processes start at once; one creates the tables, the
                # others wait for it and then find them there.
                await conn.execute(sa.text("SELECT pg_advisory_xact_lock(7301)"))
            await conn.run_sync(metadata.create_all)

    async def close(self) -> None:
        """Release every connection; any later use fails fast instead of opening new ones."""
        self.closed = True
        await self.engine.dispose()

    @asynccontextmanager
    async def tx(self) -> AsyncIterator[AsyncConnection]:
        """One transaction; commits on success.

        Raises:
            IntegrityError: A unique constraint was hit (callers decide what it means).
            StorageError: Any other database failure, or the storage is closed.
        """
        if self.closed:
            raise StorageError("the storage is closed")
        async with self._one_at_a_time or contextlib.nullcontext(), self._transaction() as conn:
            yield conn

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncConnection]:
        try:
            async with self.engine.begin() as conn:
                yield conn
        except IntegrityError:
            raise
        except SQLAlchemyError as err:
            raise StorageError(f"database operation failed: {type(err).__name__}") from err
        except OSError as err:
            raise StorageError(f"database unreachable: {type(err).__name__}") from err
