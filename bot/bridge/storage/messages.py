"""Messages: each gets the conversation's next seq; a retried client id is stored once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.bridge.core import State
from bot.bridge.errors import NotFound, StorageError
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


@dataclass(frozen=True)
class Appended:
    """A stored message.

    Attributes:
        message: The message as the protocol shows it.
        duplicate: It had been stored before (same sender and client id); nothing changed.
        state: The conversation's state when it was stored (None for a duplicate).
    """

    message: dict[str, Any]
    duplicate: bool
    state: State | None


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
        only_agent: int | None = None,
    ) -> Appended:
        """Store a message with the conversation's next seq, in one round of statements.

        Args:
            conversation_id: The conversation.
            sender: "customer", "bot", "agent" or "system".
            text: What was said.
            now: When.
            client_id: The sender's id for the message; a retry with it is stored once.
            buttons: Quick replies offered with it.
            agent_name: The agent's name on agent and system messages.
            only_agent: Store only if this agent holds the conversation now.

        Raises:
            NotFound: No such conversation, or (with ``only_agent``) not that agent's.
        """
        key = f"{sender}:{client_id}" if client_id else None
        c = conversations.c
        where = [c.id == conversation_id]
        if only_agent is not None:
            where += [c.agent_id == only_agent, c.state == State.AGENT.value]
        try:
            async with self.tx() as conn:
                # The UPDATE comes first so SQLite takes its write lock at once,
                # instead of failing a read lock's upgrade under concurrency.
                row = (
                    await conn.execute(
                        conversations.update().where(*where)
                        .values(last_seq=c.last_seq + 1, updated_at=now)
                        .returning(c.last_seq, c.state)
                    )
                ).first()
                if row is None:
                    raise NotFound(conversation_id)
                seq = row.last_seq
                values = {"conversation_id": conversation_id, "seq": seq, "client_id": key,
                          "sender": sender, "text": text, "buttons": buttons or [],
                          "agent_name": agent_name, "ts": now}
                await conn.execute(messages.insert().values(**values))
        except IntegrityError:
            existing = await self._by_client_id(conversation_id, key)
            if existing is None:
                raise StorageError("could not store the message") from None
            return Appended(existing, True, None)
        return Appended(as_message(_Row(values)), False, State(row.state))

    async def _by_client_id(self, conversation_id: str, key: str | None) -> dict[str, Any] | None:
        if key is None:
            return None
        m = messages.c
        async with self.tx() as conn:
            row = (await conn.execute(
                messages.select().where(m.conversation_id == conversation_id, m.client_id == key)
            )).first()
        return as_message(row) if row else None

    async def unanswered(self, since: float, before: float | None = None) -> list[tuple[str, str]]:
        """Conversations with the bot whose last word, between ``since`` and ``before``, is the customer's.

        After a restart these are the turns that were stored and acknowledged
        but never answered; they are handed to the bot again.

        Returns:
            (conversation id, what the customer said) pairs.
        """
        c, m = conversations.c, messages.c
        query = (sa.select(c.id, m.text)
                 .join(messages, sa.and_(m.conversation_id == c.id, m.seq == c.last_seq))
                 .where(c.state == State.BOT.value, m.sender == "customer", m.ts > since))
        if before is not None:
            query = query.where(m.ts <= before)
        async with self.tx() as conn:
            rows = (await conn.execute(query)).all()
        return [(r.id, r.text) for r in rows]

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
