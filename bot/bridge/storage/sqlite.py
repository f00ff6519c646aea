"""SQLite on a thread of its own: one connection, every transaction run there, appends committed together.

SQLite lets one writer in at a time, and every call into it blocks. The bridge
gives it one thread that owns the process's only connection and runs each
transaction there as one piece of work, start to commit: one hop between the
event loop and the thread per transaction, where an asyncio driver makes one
per statement, fetch and commit. Transactions queue first in, first out, with
no busy handler sleeping between them.

Group commit: the works submitted with ``grouped=True`` (message appends, the
hot path) that are waiting when the thread comes round are run in ONE
transaction with one commit, and every caller is answered after that commit,
so each message is still durable before it is acknowledged. If any of them
fails, the transaction is rolled back and each is run again in a transaction
of its own, so one failure never affects another caller.

Durability: WAL with ``synchronous=NORMAL`` keeps every committed transaction
across a crash of the process (an operating-system crash or power cut may
lose the last few).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement

from bot.bridge.errors import StorageError

log = logging.getLogger(__name__)

T = TypeVar("T")

#: A transaction's work: runs on a synchronous connection inside the transaction.
Work = Callable[[sa.Connection], T]

#: Most works committed together; more that wait go into the next transaction.
GROUP_LIMIT = 256


class Prepared:
    """A statement compiled once for SQLite's own driver, run on the raw connection.

    On the hot path SQLAlchemy's work per execution (cache key, parameter and
    result processing) costs more than SQLite's; the driver keeps the statement
    prepared between executions. Values go to the driver as they are, so JSON
    must be passed encoded. Driver errors are raised as SQLAlchemy's (e.g.
    ``IntegrityError``), like every other statement's.

    Args:
        statement: The statement, with named bind parameters.
        columns: For an INSERT, the columns it sets.
    """

    _dialect = SQLiteDialect_pysqlite()

    def __init__(self, statement: ClauseElement, columns: list[str] | None = None) -> None:
        compiled = statement.compile(dialect=self._dialect, column_keys=columns)
        assert isinstance(compiled, SQLCompiler)
        self.sql = str(compiled)
        self._names = list(compiled.positiontup or [])
        self._defaults = dict(compiled.params)

    def execute(self, conn: sa.Connection, values: Mapping[str, Any]) -> sqlite3.Cursor:
        """Run the statement in ``conn``'s transaction; ``values`` by bind parameter name."""
        params = [values[name] if name in values else self._defaults[name] for name in self._names]
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        try:
            return raw.execute(self.sql, params)
        except sqlite3.Error as err:
            raise sa.exc.DBAPIError.instance(self.sql, params, err, sqlite3.Error) from err


def wrap(err: BaseException) -> BaseException:
    """A driver error as the bridge's own; anything else (a domain error) as it is.

    ``IntegrityError`` is passed through: callers decide what a unique
    constraint means (e.g. a retried follow-up).
    """
    if isinstance(err, IntegrityError):
        return err
    if isinstance(err, SQLAlchemyError):
        wrapped: BaseException = StorageError(f"database operation failed: {type(err).__name__}")
    elif isinstance(err, OSError):
        wrapped = StorageError(f"database unreachable: {type(err).__name__}")
    else:
        return err
    wrapped.__cause__ = err
    return wrapped


@dataclass
class _Job(Generic[T]):
    work: Work[T]
    write: bool
    grouped: bool
    future: asyncio.Future[T]


_Outcome = tuple["asyncio.Future[Any]", Any, "BaseException | None"]


def _settle(outcomes: list[_Outcome]) -> None:
    for future, result, error in outcomes:
        if future.done():
            continue  # the caller gave up waiting (cancelled); the work was done anyway
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)


class SqliteThread:
    """The thread that owns the SQLite connection.

    Args:
        url: The database URL; its driver part is ignored (the standard ``sqlite3`` runs here).
    """

    def __init__(self, url: str | sa.URL) -> None:
        self.url = sa.make_url(url).set(drivername="sqlite")
        self.engine = sa.create_engine(self.url, poolclass=sa.pool.StaticPool,
                                       connect_args={"timeout": 30})
        sa.event.listen(self.engine, "connect", _on_connect)
        sa.event.listen(self.engine, "begin", self._on_begin)
        self._begin = "BEGIN IMMEDIATE"
        self._jobs: queue.SimpleQueue[_Job[Any] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._conn: sa.Connection | None = None
        self._stopped: asyncio.Future[None] | None = None

    def _on_begin(self, conn: sa.Connection) -> None:
        # The standard driver's own transaction handling is off (see _on_connect);
        # a write transaction takes SQLite's write lock at BEGIN, so another
        # process can never make it fail halfway on a lock upgrade.
        conn.exec_driver_sql(self._begin)

    # Called on the event loop ---------------------------------------------------

    def submit(self, work: Work[T], write: bool, grouped: bool) -> asyncio.Future[T]:
        """Queue a transaction; the future is resolved after its commit (or failure)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._serve, name="calor-sqlite", daemon=True)
            self._thread.start()
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._jobs.put(_Job(work, write, grouped, future))
        return future

    async def stop(self) -> None:
        """Finish every transaction queued so far, then close the connection and end the thread."""
        if self._thread is None:
            self.engine.dispose()
            return
        self._stopped = asyncio.get_running_loop().create_future()
        self._jobs.put(None)
        await self._stopped
        self._thread.join()

    # On the thread ------------------------------------------------------------

    def _serve(self) -> None:
        while True:
            jobs: list[_Job[Any]] = []
            item = self._jobs.get()
            stop = item is None
            if item is not None:
                jobs.append(item)
            while not stop:
                try:
                    item = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stop = True
                else:
                    jobs.append(item)
            grouped = [job for job in jobs if job.grouped]
            for start in range(0, len(grouped), GROUP_LIMIT):
                self._run_group(grouped[start:start + GROUP_LIMIT])
            for job in jobs:
                if not job.grouped:
                    self._answer([self._run_alone(job)])
            if stop:
                break
        self._close()

    def _close(self) -> None:
        try:
            if self._conn is not None:
                self._conn.close()
            self.engine.dispose()
        except Exception:
            log.exception("could not close the SQLite connection cleanly")
        finally:
            stopped = self._stopped
            if stopped is not None:
                self._answer([(stopped, None, None)])

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[sa.Connection]:
        if self._conn is None:
            self._conn = self.engine.connect()
        self._begin = "BEGIN IMMEDIATE" if write else "BEGIN"
        with self._conn.begin():
            yield self._conn

    def _run_alone(self, job: _Job[Any]) -> _Outcome:
        try:
            with self._transaction(job.write) as conn:
                result = job.work(conn)
        except BaseException as err:  # handed to the caller, on its loop
            self._reset_after(err)
            return job.future, None, wrap(err)
        return job.future, result, None

    def _run_group(self, jobs: list[_Job[Any]]) -> None:
        if len(jobs) == 1:
            self._answer([self._run_alone(jobs[0])])
            return
        try:
            with self._transaction(True) as conn:
                results = [job.work(conn) for job in jobs]
        except BaseException as err:
            # Rolled back as a whole; each runs again alone, so only its own failure is its.
            self._reset_after(err)
            self._answer([self._run_alone(job) for job in jobs])
            return
        self._answer([(job.future, result, None) for job, result in zip(jobs, results, strict=True)])

    def _reset_after(self, err: BaseException) -> None:
        # After a connection-level failure, open a new connection for the next transaction.
        if isinstance(err, sa.exc.DBAPIError) and err.connection_invalidated and self._conn is not None:
            self._conn.close()
            self._conn = None

    @staticmethod
    def _answer(outcomes: list[_Outcome]) -> None:
        # One wake-up of each waiting event loop per transaction, however many callers.
        by_loop: dict[asyncio.AbstractEventLoop, list[_Outcome]] = {}
        for outcome in outcomes:
            by_loop.setdefault(outcome[0].get_loop(), []).append(outcome)
        for loop, mine in by_loop.items():
            # A closed loop raises RuntimeError: nobody is waiting any more.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_settle, mine)


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    # isolation_level None: the driver leaves transactions to us (see _on_begin).
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    # WAL lets readers go on while one writer writes; NORMAL syncs at checkpoints,
    # and committed transactions survive a crash of the process.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()

