"""PostgreSQL storage: a caller that goes away mid-transaction leaves nothing open."""

from __future__ import annotations

import asyncio
import gc
import warnings

import sqlalchemy as sa

from bot.bridge.errors import StorageError
from bot.bridge.storage import Storage
from tests.postgres import reset


async def test_a_cancelled_caller_neither_cancels_the_transaction_nor_leaks_its_connection(
    postgres: str,
) -> None:
    reset(postgres)
    store = Storage(postgres.replace("postgresql://", "postgresql+asyncpg://", 1))
    await store.start()
    finished: list[bool] = []

    def slow(conn: sa.Connection) -> None:
        conn.execute(sa.text("SELECT pg_sleep(0.3)"))
        finished.append(True)

    caller = asyncio.ensure_future(store.run(slow))
    await asyncio.sleep(0.1)
    caller.cancel()  # e.g. the socket's handler, when the server shuts down
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        await store.close()
        gc.collect()
    assert caller.cancelled()
    assert finished == [True], "close() waited for the transaction under way"
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []
    try:
        await store.run(slow)
    except StorageError as err:
        assert "closed" in str(err)
    else:
        raise AssertionError("a closed storage refuses work")
