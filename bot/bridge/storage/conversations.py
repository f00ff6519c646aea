"""Conversations and their handoff episodes: state changes are compare-and-set."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from bot.bridge.core import QueueEntry, State
from bot.bridge.storage.base import Database
from bot.bridge.storage.schema import conversations, episodes, state_changes


class _Lost(Exception):
    """A conditional update matched no row: somebody else changed the conversation first."""


@dataclass(frozen=True)
class Conversation:
    """A conversation as stored."""

    id: str
    state: State
    last_seq: int
    agent_id: int | None
    agent_name: str | None
    summary: dict[str, Any] | None
    episode_id: int | None
    last_agent_id: int | None
    crisis: list[dict[str, str]] | None


def _conversation(row: Any) -> Conversation:
    return Conversation(row.id, State(row.state), row.last_seq, row.agent_id, row.agent_name,
                        row.summary, row.episode_id, row.last_agent_id, row.crisis)


c = conversations.c
e = episodes.c

_BY_ID = conversations.select().where(c.id == sa.bindparam("cid"))
_QUEUED = (sa.select(c.id, c.priority, c.queued_at, c.reason, c.category, c.headline,
                     c.offer_agent_id, c.offer_until)
           .where(c.state == State.QUEUED.value))
_ASSIGNED = sa.select(c.id).where(c.agent_id == sa.bindparam("agent_id"),
                                  c.state == State.AGENT.value)


class ConversationStore(Database):
    """Creating, reading and moving conversations."""

    async def create_conversation(self, conversation_id: str, now: float) -> None:
        """Store a new conversation with the bot."""
        def work(conn: sa.Connection) -> None:
            conn.execute(conversations.insert().values(
                id=conversation_id, state=State.BOT.value, last_seq=0, created_at=now, updated_at=now))
        await self.run(work)

    async def conversation(self, conversation_id: str) -> Conversation | None:
        """Return a conversation, or None if there is none with that id."""
        def work(conn: sa.Connection) -> Conversation | None:
            row = conn.execute(_BY_ID, {"cid": conversation_id}).first()
            return _conversation(row) if row else None
        return await self.run(work, write=False)

    async def move(
        self,
        conversation_id: str,
        from_states: Iterable[State],
        to_state: State,
        now: float,
        fields: dict[str, Any] | None = None,
        new_episode: dict[str, Any] | None = None,
        episode: dict[str, Any] | None = None,
    ) -> bool:
        """Move a conversation to ``to_state`` only if it is in one of ``from_states``.

        One transaction checks the state, changes it, logs the change, and
        opens a new episode or updates the current one. Of two racing callers
        exactly one sees its conditional UPDATE match.

        Args:
            conversation_id: The conversation.
            from_states: States it may be in now.
            to_state: The state it goes to.
            now: The time of the change.
            fields: Other columns of the conversation to set.
            new_episode: Columns of a handoff episode to open (and make current).
            episode: Columns of the current episode to update.

        Returns:
            Whether this call made the change.
        """
        allowed = [s.value for s in from_states]

        def work(conn: sa.Connection) -> bool:
            return _move(conn, conversation_id, allowed, to_state, now, fields, new_episode, episode)
        try:
            return await self.run(work)
        except _Lost:
            return False

    async def set_fields(self, conversation_id: str, **fields: Any) -> None:
        """Set columns of a conversation without changing its state."""
        def work(conn: sa.Connection) -> None:
            conn.execute(conversations.update().where(c.id == conversation_id).values(**fields))
        await self.run(work)

    async def update_episode(self, episode_id: int, **fields: Any) -> None:
        """Set columns of a handoff episode."""
        def work(conn: sa.Connection) -> None:
            conn.execute(episodes.update().where(e.id == episode_id).values(**fields))
        await self.run(work)

    async def queued(self) -> list[QueueEntry]:
        """Every conversation waiting for a person."""
        def work(conn: sa.Connection) -> list[QueueEntry]:
            return [
                QueueEntry(r.id, r.priority if r.priority is not None else 3, r.queued_at or 0.0,
                           r.reason or "customer_request", r.category, r.headline or "",
                           r.offer_agent_id, r.offer_until)
                for r in conn.execute(_QUEUED)
            ]
        return await self.run(work, write=False)

    async def assigned_to(self, agent_id: int) -> list[str]:
        """The conversations an agent is handling now."""
        def work(conn: sa.Connection) -> list[str]:
            return [r.id for r in conn.execute(_ASSIGNED, {"agent_id": agent_id})]
        return await self.run(work, write=False)

    async def recent_handle_seconds(self, limit: int = 20) -> list[float]:
        """How long the last finished handoffs took, from accept to close or hand-back."""
        def work(conn: sa.Connection) -> list[float]:
            rows = conn.execute(
                sa.select(e.accepted_at, e.ended_at)
                .where(e.ended_at.is_not(None), e.accepted_at.is_not(None))
                .order_by(e.ended_at.desc()).limit(limit)).all()
            return [max(0.0, r.ended_at - r.accepted_at) for r in rows]
        return await self.run(work, write=False)

    async def history(self, conversation_id: str, before_episode: int | None) -> list[dict[str, Any]]:
        """The finished handoffs of a conversation, oldest first."""
        query = sa.select(e.queued_at, e.agent_name, e.headline, e.outcome, e.next_steps,
                          e.handback_note, e.felt_heard).where(e.conversation_id == conversation_id,
                                                 e.ended_at.is_not(None))
        if before_episode is not None:
            query = query.where(e.id != before_episode)

        def work(conn: sa.Connection) -> list[dict[str, Any]]:
            return [dict(r._mapping) for r in conn.execute(query.order_by(e.queued_at))]
        return await self.run(work, write=False)


def _move(conn: sa.Connection, conversation_id: str, allowed: list[str], to_state: State, now: float,
          fields: dict[str, Any] | None, new_episode: dict[str, Any] | None,
          episode: dict[str, Any] | None) -> bool:
    current = conn.execute(sa.select(c.state, c.episode_id).where(c.id == conversation_id)).first()
    if current is None or current.state not in allowed:
        return False
    values = dict(fields or {})
    if new_episode is not None:
        result = conn.execute(episodes.insert().values(conversation_id=conversation_id, **new_episode))
        key = result.inserted_primary_key
        values["episode_id"] = key[0] if key else None
    result = conn.execute(
        conversations.update()
        .where(c.id == conversation_id, c.state == current.state)
        .values(state=to_state.value, updated_at=now, **values))
    if result.rowcount != 1:
        raise _Lost  # another writer moved it first; roll back everything of ours
    if episode and current.episode_id is not None:
        conn.execute(episodes.update().where(e.id == current.episode_id).values(**episode))
    conn.execute(state_changes.insert().values(
        conversation_id=conversation_id, from_state=current.state, to_state=to_state.value, at=now))
    return True
