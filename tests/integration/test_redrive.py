"""Which stored turns a restarted bridge answers again, on SQLite and PostgreSQL."""

from __future__ import annotations

import time

from bot.bridge.settings import database_url as driver_url
from bot.bridge.storage import Storage


async def test_unanswered_turns_leave_alone_the_young_ones_another_bridge_may_be_answering(
    database_url: str,
) -> None:
    storage = Storage(driver_url({"CALOR_DATABASE_URL": database_url}))
    await storage.start()
    try:
        now = time.time()
        for conversation_id, ts, answered in (("old", now - 100, False), ("young", now - 1, False),
                                              ("answered", now - 100, True), ("stale", now - 900, False)):
            await storage.create_conversation(conversation_id, ts)
            await storage.append(conversation_id, "customer", f"turn of {conversation_id}", ts)
            if answered:
                await storage.append(conversation_id, "bot", "an answer", ts + 1)

        everything = await storage.unanswered(now - 600)
        assert sorted(everything) == [("old", "turn of old"), ("young", "turn of young")]
        settled = await storage.unanswered(now - 600, before=now - 30)
        assert settled == [("old", "turn of old")]
    finally:
        await storage.close()
