"""SQLite: every transaction run on the event loop's thread; appends that wait are committed together.

Each transaction is one piece of work run start to commit on the process's
only SQLite connection, directly on the event loop's thread, at once when the
connection is free. SQLite calls are short (a commit writes to the WAL file,
which the operating system caches; nothing waits on the disk there) and would
hold the interpreter lock anyway, so running them here costs less than
handing them to a thread and back: no thread wake-up, no contention for the
lock, no round trip through the event loop's self-pipe, and no pass of the
event loop between a message and its delivery. Transactions never interleave.

Group commit: while the connection is held (see checkpoints below), work
waits in memory, in order, and the event loop goes on; then the works
submitted with ``grouped=True`` (message appends, the hot path) are run in ONE
transaction with one commit, and every caller is answered after that commit,
so each message is still durable before it is acknowledged. If any of them
fails, the transaction is rolled back and each is run again on its own, so
one failure never affects another caller. A grouped work is one statement;
run on its own, it is not wrapped in BEGIN and COMMIT: SQLite makes the
statement a transaction by itself (autocommit), with the write lock taken
when it starts, and commits it before the driver returns the last row. Two
driver calls fewer per message, on the hot path.

What does wait on the disk is a checkpoint (copying the WAL into the database
file and syncing both). The connection never checkpoints; a thread of its own
with its own connection does, every ``CHECKPOINT_SECONDS``, beside the writer
(``PASSIVE``), and the event loop never waits for it. A WAL that is being
written all the time is never wholly copied at any one moment, so it would
only grow: once it passes ``RESTART_FRAMES``, the thread holds the writer
back between two transactions (work waits in memory; the event loop goes on)
while it copies the rest and starts the WAL over (``RESTART``), a pause of
two disk syncs every few seconds under heavy load.

Durability: WAL with ``synchronous=NORMAL`` keeps every committed transaction
across a crash of the process (an operating-system crash or power cut may
lose the last few).
"""

from __future__ import annotations

import asyncio
import logging
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

#: Seconds between two checkpoints of the WAL into the database file.
CHECKPOINT_SECONDS = 0.5

#: WAL frames (pages, about 4 KB each) after which the WAL is started over.
RESTART_FRAMES = 8192

#: Seconds to wait for the writer to step aside, or readers of other processes to finish, per restart.
RESTART_WAIT_SECONDS = 0.1

#: How long a transaction waits for another process's write lock (e.g. ``make
#: agent-add``) before it fails with a StorageError; the event loop waits with it.
BUSY_TIMEOUT_SECONDS = 5.0


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
        """Run the statement on ``conn``'s driver connection; ``values`` by bind parameter name.

        Outside a transaction it is one by itself (autocommit), committed once
        its last row has been fetched.
        """
        params = [values[name] if name in values else self._defaults[name] for name in self._names]
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        try:
            return raw.execute(self.sql, params)
        except sqlite3.Error as err:
            raise sa.exc.DBAPIError.instance(self.sql, params, err, sqlite3.Error) from err


def _say(raw: sqlite3.Connection, sql: str) -> None:
    # Raised as SQLAlchemy's error, like every statement's (see ``wrap``).
    try:
        raw.execute(sql)
    except sqlite3.Error as err:
        raise sa.exc.DBAPIError.instance(sql, [], err, sqlite3.Error) from err


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


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.done():
        return  # the caller gave up waiting (cancelled); the work was done anyway
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


class SqliteRunner:
    """Runs transactions on the process's SQLite connection, on the event loop's thread.

    Args:
        url: The database URL; its driver part is ignored (the standard ``sqlite3`` runs here).
    """

    def __init__(self, url: str | sa.URL) -> None:
        self.url = sa.make_url(url).set(drivername="sqlite")
        self.engine = sa.create_engine(self.url, poolclass=sa.pool.StaticPool,
                                       connect_args={"timeout": BUSY_TIMEOUT_SECONDS,
                                                     "check_same_thread": False})
        sa.event.listen(self.engine, "connect", _on_connect)
        self._conn: sa.Connection | None = None
        self._pending: list[_Job[Any]] = []
        self._scheduled = False
        self._checkpoints: _Checkpoints | None = None

    def submit(self, work: Work[T], write: bool, grouped: bool) -> asyncio.Future[T]:
        """Run a transaction now if the connection is free, else queue it behind those waiting.

        Returns:
            A future resolved after the transaction's commit (or failure).
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        job = _Job(work, write, grouped, future)
        held = self._checkpoints.writer if self._checkpoints is not None else None
        if not self._pending and (held is None or held.acquire(blocking=False)):
            try:
                _settle(*self._run_alone(job))
            finally:
                if held is not None:
                    held.release()
            return future
        self._pending.append(job)
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._flush)
        return future

    async def stop(self) -> None:
        """Finish every transaction queued so far, stop checkpointing, close the connection."""
        if self._checkpoints is not None:
            self._checkpoints.stop()
            self._checkpoints = None
        self._run_pending()
        if self._conn is not None:
            self._conn.close()  # the last connection to close checkpoints and removes the WAL
            self._conn = None
        self.engine.dispose()

    def _flush(self) -> None:
        held = self._checkpoints.writer if self._checkpoints is not None else None
        if held is not None and not held.acquire(blocking=False):
            # The WAL is being started over: try again shortly; the event loop goes on.
            asyncio.get_running_loop().call_later(0.002, self._flush)
            return
        try:
            self._run_pending()
        finally:
            if held is not None:
                held.release()

    def _run_pending(self) -> None:
        self._scheduled = False
        jobs, self._pending = self._pending, []
        grouped = [job for job in jobs if job.grouped]
        for start in range(0, len(grouped), GROUP_LIMIT):
            self._run_group(grouped[start:start + GROUP_LIMIT])
        for job in jobs:
            if not job.grouped:
                _settle(*self._run_alone(job))

    def _connection(self) -> sa.Connection:
        if self._conn is None:
            self._conn = self.engine.connect()
            database = self.url.database
            if database and database != ":memory:" and self._checkpoints is None:
                self._checkpoints = _Checkpoints(database)
        return self._conn

    @contextmanager
    def _transaction(self, write: bool) -> Iterator[sa.Connection]:
        conn = self._connection()
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        # The driver's own transaction handling is off (see _on_connect), and
        # SQLAlchemy's begin and commit would do nothing more at the driver than
        # what is said here, straight to it, at a cost above that of an append's
        # statements (the hot path runs no SQLAlchemy statement at all). A write
        # transaction takes SQLite's write lock at once, so another process can
        # never make it fail halfway on a lock upgrade.
        _say(raw, "BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield conn
            _say(raw, "COMMIT")
        except BaseException:
            try:
                if raw.in_transaction:
                    raw.execute("ROLLBACK")
            except sqlite3.Error as err:
                # E.g. the connection is gone; SQLite ends its transaction with it.
                log.warning("rollback failed: %s", err)
            raise
        finally:
            if conn.in_transaction():
                # A SQLAlchemy statement began SQLAlchemy's own bookkeeping (nothing
                # at the driver, which is out of its transaction now): end that too.
                try:
                    conn.rollback()
                except SQLAlchemyError as err:
                    log.warning("could not reset the connection after a transaction: %s", err)

    def _run_alone(self, job: _Job[Any]) -> tuple[asyncio.Future[Any], Any, BaseException | None]:
        try:
            if job.grouped:
                # One statement: SQLite's autocommit makes it a transaction (see the module's notes).
                result = job.work(self._connection())
            else:
                with self._transaction(job.write) as conn:
                    result = job.work(conn)
        except Exception as err:  # handed to the caller
            self._reset_after(err)
            return job.future, None, wrap(err)
        return job.future, result, None

    def _run_group(self, jobs: list[_Job[Any]]) -> None:
        if len(jobs) == 1:
            _settle(*self._run_alone(jobs[0]))
            return
        try:
            with self._transaction(True) as conn:
                results = [job.work(conn) for job in jobs]
        except Exception as err:
            # Rolled back as a whole; each runs again alone, so only its own failure is its.
            self._reset_after(err)
            for job in jobs:
                _settle(*self._run_alone(job))
            return
        for job, result in zip(jobs, results, strict=True):
            _settle(job.future, result, None)

    def _reset_after(self, err: BaseException) -> None:
        # After a connection-level failure, open a new connection for the next transaction.
        if isinstance(err, sa.exc.DBAPIError) and err.connection_invalidated and self._conn is not None:
            self._conn.close()
            self._conn = None


class _Checkpoints:
    """A thread that checkpoints the WAL with a connection of its own (see the module's notes).

    Attributes:
        writer: Held by the event loop while it runs transactions, and by this
            thread while it starts the WAL over.
    """

    def __init__(self, database: str) -> None:
        self.database = database
        self.writer = threading.Lock()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="calor-sqlite-checkpoints", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        conn = sqlite3.connect(self.database, timeout=RESTART_WAIT_SECONDS, isolation_level=None,
                               check_same_thread=False)
        try:
            while not self._stopping.wait(CHECKPOINT_SECONDS):
                try:
                    self._checkpoint(conn)
                except sqlite3.Error as err:
                    log.warning("WAL checkpoint failed; trying again: %s", err)
        finally:
            conn.close()

    def _checkpoint(self, conn: sqlite3.Connection) -> None:
        _, frames, _ = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if frames < RESTART_FRAMES or not self.writer.acquire(timeout=RESTART_WAIT_SECONDS):
            return
        try:
            # Most of the WAL is copied already: this copies the rest and starts it over.
            conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
        finally:
            self.writer.release()

    def stop(self) -> None:
        """Stop after the checkpoint under way, if any."""
        self._stopping.set()
        self._thread.join()


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    # isolation_level None: the driver leaves transactions to us (see _transaction).
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    # WAL lets readers go on while one writer writes; NORMAL syncs at checkpoints,
    # and committed transactions survive a crash of the process.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Checkpoints are the checkpoint thread's (see _Checkpoints), never a commit's;
    # a WAL started over is cut back to a bounded size.
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.execute(f"PRAGMA journal_size_limit={2 * RESTART_FRAMES * 4096}")
    cursor.close()
