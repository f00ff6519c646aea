"""The database and the one way to run a transaction, with driver errors wrapped.

Every store method hands :meth:`Database.run` a function that does its work on
a synchronous SQLAlchemy connection inside one transaction. On SQLite that
function runs on the process's one SQLite connection, on the event loop's
thread, with message appends committed together (see
:mod:`bot.bridge.storage.sqlite`); on PostgreSQL it runs on the asyncio
engine (asyncpg) through ``run_sync``. Store code is the same for both.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.bridge.errors import StorageError
from bot.bridge.storage.schema import SQLITE_SEQ_TRIGGER, metadata
from bot.bridge.storage.sqlite import SqliteRunner, Work

T = TypeVar("T")


def iso(ts: float) -> str:
    """Seconds since the epoch as an ISO 8601 UTC string."""
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).isoformat(timespec="milliseconds")


def _create_tables(conn: sa.Connection) -> None:
    if conn.dialect.name == "postgresql":
        # Several bridge processes start at once; one creates the tables, the
        # others wait for it and then find them there.
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(7301)"))
    metadata.create_all(conn)
    if conn.dialect.name == "sqlite":
        # Also on a database made before the trigger existed.
        conn.execute(SQLITE_SEQ_TRIGGER)


class Database:
    """The bridge's database connection(s).

    Args:
        url: ``sqlite+aiosqlite://…`` (or ``sqlite://…``) or ``postgresql+asyncpg://…``.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self._sqlite: SqliteRunner | None = None
        self._engine: AsyncEngine | None = None
        if self.is_sqlite:
            self._sqlite = SqliteRunner(url)
        else:
            self._engine = create_async_engine(
                url,
                # A server that is down or stuck makes a call fail within seconds
                # with a clear error, never hang the customer's send.
                connect_args={"timeout": 5, "command_timeout": 15},
                pool_pre_ping=True,
            )
        self.closed = False
        # PostgreSQL transactions under way: close() waits for them, so no
        # connection is left checked out (and unclosed) when the pool goes.
        self._pending: set[asyncio.Future[Any]] = set()

    async def start(self) -> None:
        """Create the database file's folder and the tables that do not exist yet."""
        if self._sqlite is not None:
            database = self._sqlite.url.database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
        await self.run(_create_tables)

    async def close(self) -> None:
        """Finish what is under way, release every connection; any later use fails fast."""
        self.closed = True
        if self._sqlite is not None:
            await self._sqlite.stop()
        if self._engine is not None:
            if self._pending:
                await asyncio.wait(self._pending)
            await self._engine.dispose()

    async def run(self, work: Work[T], write: bool = True) -> T:
        """Run ``work`` in one transaction and return what it returns; commits on success.

        Args:
            work: Does the transaction's statements on the connection it is given.
            write: False for a transaction that only reads (on SQLite it then
                does not take the write lock).

        Raises:
            IntegrityError: A unique constraint was hit (callers decide what it means).
            StorageError: Any other database failure, or the storage is closed.
        """
        return await self._run(work, write, grouped=False)

    async def run_grouped(self, work: Work[T]) -> T:
        """Like :meth:`run`, but on SQLite ``work`` may share its transaction and commit with others.

        For short writes on the hot path (message appends): the works that had
        to wait for the SQLite connection are committed at once, and each
        caller is answered after that commit. If one raises, the shared transaction is rolled back
        and each work runs again on its own, so one failure never affects
        another caller; a work must therefore do nothing but its statements.
        On SQLite it must run exactly ONE statement: alone, that statement is
        its own transaction (SQLite's autocommit), durable when it returns.
        """
        return await self._run(work, True, grouped=True)

    async def _run(self, work: Work[T], write: bool, grouped: bool) -> T:
        if self.closed:
            raise StorageError("the storage is closed")
        if self._sqlite is not None:
            return await self._sqlite.submit(work, write, grouped)
        # A caller cancelled mid-transaction (a socket that went away, shutdown)
        # must not cancel the transaction itself: asyncpg would then drop the
        # connection without closing it. The transaction finishes on its own
        # task, which is bounded by command_timeout, and close() waits for it.
        task: asyncio.Future[T] = asyncio.ensure_future(self._transaction(work))
        self._pending.add(task)
        task.add_done_callback(self._settled)
        return await asyncio.shield(task)

    def _settled(self, task: asyncio.Future[Any]) -> None:
        self._pending.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved here when the caller had gone away

    async def _transaction(self, work: Work[T]) -> T:
        assert self._engine is not None
        try:
            async with self._engine.begin() as conn:
                return await conn.run_sync(work)
        except IntegrityError:
            raise
        except SQLAlchemyError as err:
            raise StorageError(f"database operation failed: {type(err).__name__}") from err
        except (OSError, asyncio.TimeoutError) as err:
            raise StorageError(f"database unreachable: {type(err).__name__}") from err
