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
_ANY = (c.id == sa.bindparam("cid"),)
_IF_AGENT = (*_ANY, c.agent_id == sa.bindparam("agent"), c.state == State.AGENT.value)
_INSERT = messages.insert()
_COLUMNS = ["conversation_id", "seq", "client_id", "sender", "text", "buttons", "agent_name", "ts"]


def _bump(where: tuple[sa.ColumnElement[bool], ...]) -> sa.Update:
    # PostgreSQL: the UPDATE takes the next seq (and the row's lock, so
    # concurrent appends queue) and says the state; the INSERT follows.
    return (conversations.update().where(*where)
            .values(last_seq=c.last_seq + 1, updated_at=sa.bindparam("now"))
            .returning(c.last_seq, c.state))


def _sqlite_append(where: tuple[sa.ColumnElement[bool], ...]) -> Prepared:
    # SQLite: ONE statement, so that alone it needs no BEGIN or COMMIT. The
    # row comes from the conversation's (none: unknown, or not this agent's,
    # so nothing is stored), a trigger moves last_seq on (schema.py), and
    # RETURNING says the seq and the state. The write lock is the process's
    # alone, so nobody can take the same seq between the read and the write.
    # The values are bound by their column's name, as the PostgreSQL INSERT's are.
    values: list[sa.BindParameter[Any]] = [sa.bindparam(name) for name in _COLUMNS[2:]]
    source = sa.select(c.id, c.last_seq + 1, *values).where(*where)
    state = sa.select(c.state).where(c.id == sa.bindparam("cid")).scalar_subquery()
    return Prepared(messages.insert().from_select(_COLUMNS, source).returning(m.seq, state))


_BUMP, _BUMP_IF_AGENT = _bump(_ANY), _bump(_IF_AGENT)
_SQLITE_APPEND, _SQLITE_APPEND_IF_AGENT = _sqlite_append(_ANY), _sqlite_append(_IF_AGENT)
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

        On SQLite one statement, committed by itself or together with the
        other appends waiting at that moment (group commit); on PostgreSQL two
        in one transaction.

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
        stored = {"client_id": key, "sender": sender, "text": text, "buttons": buttons,
                  "agent_name": agent_name, "ts": now}

        def work(conn: sa.Connection) -> Appended:
            if conn.dialect.name == "sqlite":
                append = _SQLITE_APPEND if only_agent is None else _SQLITE_APPEND_IF_AGENT
                # The driver takes JSON encoded; most messages have no buttons. fetchall
                # runs the statement to its end, which commits it when it stands alone.
                rows = append.execute(conn, {**where, **stored,
                                             "buttons": json.dumps(buttons) if buttons else "[]"}).fetchall()
                if not rows:
                    raise NotFound(conversation_id)
                seq, state = rows[0]
            else:
                row = conn.execute(_BUMP if only_agent is None else _BUMP_IF_AGENT, where).first()
                if row is None:
                    raise NotFound(conversation_id)
                seq, state = row
                conn.execute(_INSERT, {**stored, "conversation_id": conversation_id, "seq": seq})
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
