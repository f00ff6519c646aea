"""The SQLite write path on a real database file: group commit, failures kept apart, clean close.

Transactions run at once while the connection is free; while the checkpoint
thread holds it (to start the WAL over) they wait, and the appends among them
are then committed together. The tests hold the connection the same way.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path
from typing import Any, TypeVar

import pytest
import sqlalchemy as sa

from bot.bridge.errors import NotFound, StorageError
from bot.bridge.storage import Storage
from bot.bridge.storage.messages import Appended


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    store = Storage(f"sqlite+aiosqlite:///{tmp_path / 'calor.db'}")
    await store.start()
    yield store
    await store.close()


T = TypeVar("T")


async def _while_held(store: Storage, *calls: Awaitable[T]) -> list[T | BaseException]:
    """Start ``calls`` while the checkpoint thread holds the connection, then let them run."""
    assert store._sqlite is not None and store._sqlite._checkpoints is not None
    writer = store._sqlite._checkpoints.writer
    writer.acquire()
    try:
        tasks = [asyncio.ensure_future(call) for call in calls]
        await asyncio.sleep(0.01)
        assert not any(task.done() for task in tasks), "nothing runs while the connection is held"
    finally:
        writer.release()
    return list(await asyncio.gather(*tasks, return_exceptions=True))


def _driver(store: Storage) -> sqlite3.Connection:
    assert store._sqlite is not None and store._sqlite._conn is not None
    raw = store._sqlite._conn.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _statements(store: Storage) -> list[str]:
    # Seen at the driver: transactions begin and end there, not in SQLAlchemy.
    said: list[str] = []
    _driver(store).set_trace_callback(said.append)
    return said


def _count_commits(store: Storage) -> list[int]:
    commits = [0]

    def count(sql: str) -> None:
        commits[0] += sql == "COMMIT"
    _driver(store).set_trace_callback(count)
    return commits


async def test_appends_that_wait_are_committed_together_and_each_message_gets_its_seq(
    storage: Storage,
) -> None:
    conversations = [f"c{i}" for i in range(100)]
    for conversation_id in conversations:
        await storage.create_conversation(conversation_id, 1.0)
    commits = _count_commits(storage)

    async def talk(conversation_id: str) -> list[int]:
        return [(await storage.append(conversation_id, "customer", f"m{n}", 2.0, f"id{n}")).message["seq"]
                for n in range(5)]

    seqs: list[Any] = await _while_held(storage, *(talk(c) for c in conversations))

    assert all(s == [1, 2, 3, 4, 5] for s in seqs)
    # The 100 first appends waited together and shared one commit; the rest ran as they came.
    assert commits[0] <= 1 + 4 * 100
    for conversation_id in conversations:
        stored = await storage.messages_after(conversation_id)
        assert [(m["seq"], m["text"], m["id"]) for m in stored] == [
            (n + 1, f"m{n}", f"id{n}") for n in range(5)]


async def test_a_failing_append_fails_alone_and_a_retry_is_stored_once(storage: Storage) -> None:
    for conversation_id in ("a", "b", "c"):
        await storage.create_conversation(conversation_id, 1.0)
    first = await storage.append("a", "customer", "hello", 2.0, "same")

    # The five wait together, so they are tried in one transaction first.
    results = await _while_held(
        storage,
        storage.append("b", "customer", "one", 3.0, "x1"),
        storage.append("nowhere", "customer", "lost", 3.0, "x2"),
        storage.append("a", "customer", "hello", 3.0, "same"),
        storage.append("c", "agent", "not yours", 3.0, "x3", only_agent=7),
        storage.append("c", "customer", "two", 3.0, "x4"),
    )

    one, lost, retry, not_yours, two = results
    assert isinstance(one, Appended) and one.message["seq"] == 1 and not one.duplicate
    assert isinstance(lost, NotFound)
    assert isinstance(retry, Appended) and retry.duplicate
    assert retry.message["seq"] == first.message["seq"]
    assert isinstance(not_yours, NotFound)
    # The refused append took no seq: the next message in "c" is its first.
    assert isinstance(two, Appended) and two.message["seq"] == 1
    assert [m["text"] for m in await storage.messages_after("a")] == ["hello"]
    assert [m["text"] for m in await storage.messages_after("c")] == ["two"]


async def test_an_append_is_one_statement_committed_before_it_returns(
    storage: Storage, tmp_path: Path,
) -> None:
    await storage.create_conversation("a", 1.0)
    said = _statements(storage)

    first = await storage.append("a", "customer", "hello", 2.0, "m1")

    # One INSERT (traced again for its trigger), no BEGIN or COMMIT: SQLite
    # commits a lone statement itself.
    assert said and all(x.startswith("INSERT INTO messages") for x in said), said
    assert not _driver(storage).in_transaction
    # Another connection (another process, or this one after a crash) sees it,
    # and the trigger moved the conversation's last_seq and updated_at with it.
    other = sqlite3.connect(tmp_path / "calor.db")
    try:
        assert other.execute("SELECT seq, text FROM messages").fetchall() == [(1, "hello")]
        assert other.execute("SELECT last_seq, updated_at FROM conversations").fetchall() == [(1, 2.0)]
    finally:
        other.close()
    assert first.state is not None and first.state.value == "bot"
    second = await storage.append("a", "bot", "hi", 3.0)
    assert second.message["seq"] == 2 and (await storage.conversation("a")).last_seq == 2  # type: ignore[union-attr]


async def test_a_failed_transaction_leaves_nothing_and_the_next_one_runs(storage: Storage) -> None:
    await storage.create_conversation("a", 1.0)
    table = sa.table("conversations", sa.column("id"), sa.column("last_seq"))

    def fails(conn: sa.Connection) -> None:
        conn.execute(table.update().values(last_seq=99))
        raise ValueError("changed its mind")

    with pytest.raises(ValueError):
        await storage.run(fails)
    assert not _driver(storage).in_transaction

    def reads(conn: sa.Connection) -> int:
        return int(conn.execute(sa.select(table.c.last_seq)).scalar_one())

    assert await storage.run(reads, write=False) == 0  # rolled back
    stored = await storage.append("a", "customer", "hello", 2.0, "m1")
    assert stored.message["seq"] == 1
    assert await storage.run(reads, write=False) == 1


async def test_close_finishes_what_was_queued_and_then_refuses(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'calor.db'}"
    store = Storage(url)
    await store.start()
    await store.create_conversation("c", 1.0)
    pending = [asyncio.create_task(store.append("c", "customer", f"m{n}", 2.0, f"id{n}"))
               for n in range(50)]
    await asyncio.sleep(0)  # every append is queued before the close
    await store.close()

    assert sorted(a.message["seq"] for a in await asyncio.gather(*pending)) == list(range(1, 51))
    with pytest.raises(StorageError):
        await store.append("c", "customer", "too late", 3.0, "late")

    again = Storage(url)
    await again.start()
    try:
        assert len(await again.messages_after("c")) == 50
    finally:
        await again.close()
