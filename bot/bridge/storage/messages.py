"""Messages: each gets the conversation's next seq; a retried client id is stored once."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.bridge.errors import StorageError
from bot.bridge.storage.base import Database, iso
from bot.bridge.storage.schema import conversations, messages


def as_message(row: Any) -> dict[str, Any]:
    """A stored row as the protocol's ``message``."""
    client_id = row.client_id
    return {
        "seq": row.seq,
        "id": client_id.partition(":")[2] if client_id else f"s{row.seq}",
        "from": row.sender,
        "text": row.text,
        "buttons": row.buttons,
        "agent_name": row.agent_name,
        "ts": iso(row.ts),
    }


class MessageStore(Database):
    """Appending and replaying messages."""

    async def append(
        self,
        conversation_id: str,
        sender: str,
        text: str,
        now: float,
        client_id: str | None = None,
        buttons: list[dict[str, str]] | None = None,
        agent_name: str | None = None,
    ) -> tuple[dict[str, Any], bool]:
        """Store a message with the conversation's next seq.

        Returns:
            The message as the protocol shows it, and whether it was stored
            before (same sender and client id), in which case nothing changed.
        """
        key = f"{sender}:{client_id}" if client_id else None
        try:
            async with self.tx() as conn:
                # The UPDATE comes first so SQLite takes its write lock at once,
                # instead of failing a read lock's upgrade under concurrency.
                seq = (
                    await conn.execute(
                        conversations.update()
                        .where(conversations.c.id == conversation_id)
                        .values(last_seq=conversations.c.last_seq + 1, updated_at=now)
                        .returning(conversations.c.last_seq)
                    )
                ).scalar()
                if seq is None:
                    raise StorageError("no such conversation")
                values = {"conversation_id": conversation_id, "seq": seq, "client_id": key,
                          "sender": sender, "text": text, "buttons": buttons or [],
                          "agent_name": agent_name, "ts": now}
                await conn.execute(messages.insert().values(**values))
        except IntegrityError:
            existing = await self._by_client_id(conversation_id, key)
            if existing is None:
                raise StorageError("could not store the message") from None
            return existing, True
        return as_message(_Row(values)), False

    async def _by_client_id(self, conversation_id: str, key: str | None) -> dict[str, Any] | None:
        if key is None:
            return None
        m = messages.c
        async with self.tx() as conn:
            row = (await conn.execute(
                messages.select().where(m.conversation_id == conversation_id, m.client_id == key)
            )).first()
        return as_message(row) if row else None

    async def messages_after(self, conversation_id: str, after_seq: int = 0) -> list[dict[str, Any]]:
        """The conversation's messages with seq greater than ``after_seq``, in order."""
        m = messages.c
        async with self.tx() as conn:
            rows = (await conn.execute(
                messages.select()
                .where(m.conversation_id == conversation_id, m.seq > after_seq)
                .order_by(m.seq)
            )).all()
        return [as_message(r) for r in rows]


class _Row:
    """Attribute access over the values just inserted, so they render like a row."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)
