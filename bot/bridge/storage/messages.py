"""Messages: each gets the conversation's next seq; a retried client id is stored once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.bridge.core import State
from bot.bridge.errors import NotFound, StorageError
from bot.bridge.storage.base import Database, iso
from bot.bridge.storage.schema import conversations, messages
from bot.bridge.storage.sqlite import Prepared

c, m = conversations.c, messages.c

# Built once: the hot path only binds values to them.
_BUMP = (conversations.update().where(c.id == sa.bindparam("cid"))
         .values(last_seq=c.last_seq + 1, updated_at=sa.bindparam("now"))
         .returning(c.last_seq, c.state))
_BUMP_IF_AGENT = (conversations.update()
                  .where(c.id == sa.bindparam("cid"), c.agent_id == sa.bindparam("agent"),
                         c.state == State.AGENT.value)
                  .values(last_seq=c.last_seq + 1, updated_at=sa.bindparam("now"))
                  .returning(c.last_seq, c.state))
_INSERT = messages.insert()
_COLUMNS = ["conversation_id", "seq", "client_id", "sender", "text", "buttons", "agent_name", "ts"]
# The same, compiled once for SQLite's driver (the hot path).
_SQLITE_BUMP = Prepared(_BUMP)
_SQLITE_BUMP_IF_AGENT = Prepared(_BUMP_IF_AGENT)
_SQLITE_INSERT = Prepared(_INSERT, _COLUMNS)
_BY_CLIENT_ID = messages.select().where(m.conversation_id == sa.bindparam("cid"),
                                        m.client_id == sa.bindparam("key"))
_AFTER = (messages.select()
          .where(m.conversation_id == sa.bindparam("cid"), m.seq > sa.bindparam("after"))
          .order_by(m.seq))


def as_message(row: Any) -> dict[str, Any]:
    """A stored row as the protocol's ``message``."""
    return _message(row.seq, row.client_id, row.sender, row.text, row.buttons, row.agent_name, row.ts)


def _message(seq: int, client_id: str | None, sender: str, text: str, buttons: Any,
             agent_name: str | None, ts: float) -> dict[str, Any]:
    return {
        "seq": seq,
        "id": client_id.partition(":")[2] if client_id else f"s{seq}",
        "from": sender,
        "text": text,
        "buttons": buttons,
        "agent_name": agent_name,
        "ts": iso(ts),
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
        """Store a message with the conversation's next seq; durable when this returns.

        Two statements in one transaction, which on SQLite is committed
        together with the other appends waiting at that moment (group commit).

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
        buttons = buttons or []
        where = {"cid": conversation_id, "now": now, "agent": only_agent}

        def work(conn: sa.Connection) -> Appended:
            # The UPDATE comes first: it takes the next seq and says the state in one statement.
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                bump = _SQLITE_BUMP if only_agent is None else _SQLITE_BUMP_IF_AGENT
                row = bump.execute(conn, where).fetchone()
            else:
                row = conn.execute(_BUMP if only_agent is None else _BUMP_IF_AGENT, where).first()
            if row is None:
                raise NotFound(conversation_id)
            seq, state = row
            stored = {"conversation_id": conversation_id, "seq": seq, "client_id": key,
                      "sender": sender, "text": text, "buttons": buttons,
                      "agent_name": agent_name, "ts": now}
            if sqlite:
                # The driver takes JSON encoded; most messages have no buttons.
                stored["buttons"] = json.dumps(buttons) if buttons else "[]"
                _SQLITE_INSERT.execute(conn, stored)
            else:
                conn.execute(_INSERT, stored)
            return Appended(_message(seq, key, sender, text, buttons, agent_name, now), False,
                            State(state))
        try:
            return await self.run_grouped(work)
        except IntegrityError:
            # The same sender sent the same client id before: a retry.
            existing = await self._by_client_id(conversation_id, key)
            if existing is None:
                raise StorageError("could not store the message") from None
            return Appended(existing, True, None)

    async def _by_client_id(self, conversation_id: str, key: str | None) -> dict[str, Any] | None:
        if key is None:
            return None

        def work(conn: sa.Connection) -> dict[str, Any] | None:
            row = conn.execute(_BY_CLIENT_ID, {"cid": conversation_id, "key": key}).first()
            return as_message(row) if row else None
        return await self.run(work, write=False)

    async def unanswered(self, since: float, before: float | None = None) -> list[tuple[str, str]]:
        """Conversations with the bot whose last word, between ``since`` and ``before``, is the customer's.

        After a restart these are the turns that were stored and acknowledged
        but never answered; they are handed to the bot again.

        Returns:
            (conversation id, what the customer said) pairs.
        """
        query = (sa.select(c.id, m.text)
                 .join(messages, sa.and_(m.conversation_id == c.id, m.seq == c.last_seq))
                 .where(c.state == State.BOT.value, m.sender == "customer", m.ts > since))
        if before is not None:
            query = query.where(m.ts <= before)

        def work(conn: sa.Connection) -> list[tuple[str, str]]:
            return [(r.id, r.text) for r in conn.execute(query)]
        return await self.run(work, write=False)

    async def messages_after(self, conversation_id: str, after_seq: int = 0) -> list[dict[str, Any]]:
        """The conversation's messages with seq greater than ``after_seq``, in order."""
        def work(conn: sa.Connection) -> list[dict[str, Any]]:
            return [as_message(r) for r in conn.execute(_AFTER, {"cid": conversation_id,
                                                                 "after": after_seq})]
        return await self.run(work, write=False)
