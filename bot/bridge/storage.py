"""Persistence of conversations, messages, agents and agent sessions (SQLAlchemy asyncio).

SQLite is the embedded default; a PostgreSQL URL works the same. Every
change that must not race (the next seq, accepting a conversation) is one
conditional SQL statement, so it stays correct with several bridge processes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bot.bridge.core import QueueEntry, State
from bot.bridge.errors import StorageError

log = logging.getLogger(__name__)

metadata = sa.MetaData()

conversations = sa.Table(
    "conversations",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("last_seq", sa.Integer, nullable=False, default=0),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
    sa.Column("priority", sa.Integer),
    sa.Column("reason", sa.String(32)),
    sa.Column("category", sa.String(32)),
    sa.Column("headline", sa.Text),
    sa.Column("summary", sa.JSON),
    sa.Column("queued_at", sa.Float),
    sa.Column("accepted_at", sa.Float),
    sa.Column("closed_at", sa.Float),
    sa.Column("agent_id", sa.Integer),
    sa.Column("agent_name", sa.String(128)),
    sa.Column("next_steps", sa.Text),
    sa.Index("ix_conversations_state", "state", "priority", "queued_at"),
)

messages = sa.Table(
    "messages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("client_id", sa.String(80)),
    sa.Column("sender", sa.String(16), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("buttons", sa.JSON, nullable=False),
    sa.Column("agent_name", sa.String(128)),
    sa.Column("ts", sa.Float, nullable=False),
    sa.UniqueConstraint("conversation_id", "seq"),
    sa.UniqueConstraint("conversation_id", "client_id"),
)

state_changes = sa.Table(
    "state_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), nullable=False, index=True),
    sa.Column("from_state", sa.String(16), nullable=False),
    sa.Column("to_state", sa.String(16), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
)

agents = sa.Table(
    "agents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.String(128), nullable=False),
    sa.Column("password_hash", sa.String(256), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
)

agent_sessions = sa.Table(
    "agent_sessions",
    metadata,
    sa.Column("token_digest", sa.String(64), primary_key=True),
    sa.Column("agent_id", sa.Integer, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False, default=False),
)


def iso(ts: float) -> str:
    """Seconds since the epoch as an ISO 8601 UTC string."""
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Conversation:
    """A conversation as stored."""

    id: str
    state: State
    last_seq: int
    agent_id: int | None
    agent_name: str | None
    summary: dict[str, Any] | None


@dataclass(frozen=True)
class Agent:
    """An agent account."""

    id: int
    username: str
    display_name: str
    password_hash: str


def _message(row: Any) -> dict[str, Any]:
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


def _conversation(row: Any) -> Conversation:
    return Conversation(
        row.id, State(row.state), row.last_seq, row.agent_id, row.agent_name, row.summary
    )


class Storage:
    """The bridge's database.

    Args:
        url: A SQLAlchemy asyncio URL (sqlite+aiosqlite:// or postgresql+asyncpg://).
    """

    def __init__(self, url: str) -> None:
        self.url = url
        is_sqlite = url.startswith("sqlite")
        self.engine: AsyncEngine = create_async_engine(
            url,
            connect_args={"timeout": 30} if is_sqlite else {},
            pool_pre_ping=not is_sqlite,
        )
        if is_sqlite:
            sa.event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)

    async def start(self) -> None:
        """Create the database file's folder and the tables that do not exist yet."""
        database = self.engine.url.database
        if self.engine.url.get_backend_name() == "sqlite" and database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        async with self._tx() as conn:
            await conn.run_sync(metadata.create_all)

    async def close(self) -> None:
        """Release every connection."""
        await self.engine.dispose()

    @asynccontextmanager
    async def _tx(self) -> AsyncIterator[AsyncConnection]:
        try:
            async with self.engine.begin() as conn:
                yield conn
        except IntegrityError:
            raise
        except SQLAlchemyError as err:
            raise StorageError(f"database operation failed: {type(err).__name__}") from err
        except OSError as err:
            raise StorageError(f"database unreachable: {type(err).__name__}") from err

    # Conversations ---------------------------------------------------------

    async def create_conversation(self, conversation_id: str, now: float) -> None:
        """Store a new conversation with the bot."""
        async with self._tx() as conn:
            await conn.execute(
                conversations.insert().values(
                    id=conversation_id, state=State.BOT.value, last_seq=0,
                    created_at=now, updated_at=now,
                )
            )

    async def conversation(self, conversation_id: str) -> Conversation | None:
        """Return a conversation, or None if there is none with that id."""
        async with self._tx() as conn:
            row = (
                await conn.execute(conversations.select().where(conversations.c.id == conversation_id))
            ).first()
        return _conversation(row) if row else None

    async def move(
        self,
        conversation_id: str,
        from_states: Iterable[State],
        to_state: State,
        now: float,
        **fields: Any,
    ) -> bool:
        """Move a conversation to ``to_state`` only if it is in one of ``from_states``.

        This compare-and-set is what makes two agents accepting at once safe:
        exactly one UPDATE matches.

        Returns:
            Whether this call made the change.
        """
        allowed = [s.value for s in from_states]
        async with self._tx() as conn:
            current = (
                await conn.execute(
                    sa.select(conversations.c.state).where(conversations.c.id == conversation_id)
                )
            ).scalar()
            if current not in allowed:
                return False
            result = await conn.execute(
                conversations.update()
                .where(conversations.c.id == conversation_id, conversations.c.state == current)
                .values(state=to_state.value, updated_at=now, **fields)
            )
            if result.rowcount != 1:
                return False
            await conn.execute(
                state_changes.insert().values(
                    conversation_id=conversation_id, from_state=current,
                    to_state=to_state.value, at=now,
                )
            )
            return True

    async def queued(self) -> list[QueueEntry]:
        """Every conversation waiting for a person."""
        c = conversations.c
        async with self._tx() as conn:
            rows = (
                await conn.execute(
                    sa.select(c.id, c.priority, c.queued_at, c.reason, c.category, c.headline)
                    .where(c.state == State.QUEUED.value)
                )
            ).all()
        return [
            QueueEntry(r.id, r.priority if r.priority is not None else 3, r.queued_at or 0.0,
                       r.reason or "customer_request", r.category, r.headline or "")
            for r in rows
        ]

    async def assigned_to(self, agent_id: int) -> list[str]:
        """The conversations an agent is handling now."""
        c = conversations.c
        async with self._tx() as conn:
            rows = await conn.execute(
                sa.select(c.id).where(c.agent_id == agent_id, c.state == State.AGENT.value)
            )
            return [r.id for r in rows]

    async def recent_handle_seconds(self, limit: int = 20) -> list[float]:
        """How long the last closed conversations took, from accept to close."""
        c = conversations.c
        async with self._tx() as conn:
            rows = (
                await conn.execute(
                    sa.select(c.accepted_at, c.closed_at)
                    .where(c.closed_at.is_not(None), c.accepted_at.is_not(None))
                    .order_by(c.closed_at.desc())
                    .limit(limit)
                )
            ).all()
        return [max(0.0, r.closed_at - r.accepted_at) for r in rows]

    # Messages --------------------------------------------------------------

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

        A message whose ``client_id`` was stored before is not stored again.

        Returns:
            The message as the protocol shows it, and whether it was a duplicate.
        """
        key = f"{sender}:{client_id}" if client_id else None
        try:
            async with self._tx() as conn:
                # Taking the write lock first (the UPDATE) keeps SQLite from
                # failing a read-then-write upgrade under concurrency.
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
                values = dict(
                    conversation_id=conversation_id, seq=seq, client_id=key, sender=sender,
                    text=text, buttons=buttons or [], agent_name=agent_name, ts=now,
                )
                await conn.execute(messages.insert().values(**values))
        except IntegrityError:
            existing = await self._by_client_id(conversation_id, key)
            if existing is None:
                raise StorageError("could not store the message") from None
            return existing, True
        return _message(_Values(values)), False

    async def _by_client_id(self, conversation_id: str, key: str | None) -> dict[str, Any] | None:
        if key is None:
            return None
        async with self._tx() as conn:
            row = (
                await conn.execute(
                    messages.select().where(
                        messages.c.conversation_id == conversation_id, messages.c.client_id == key
                    )
                )
            ).first()
        return _message(row) if row else None

    async def messages_after(self, conversation_id: str, after_seq: int = 0) -> list[dict[str, Any]]:
        """The conversation's messages with seq greater than ``after_seq``, in order."""
        m = messages.c
        async with self._tx() as conn:
            rows = (
                await conn.execute(
                    messages.select()
                    .where(m.conversation_id == conversation_id, m.seq > after_seq)
                    .order_by(m.seq)
                )
            ).all()
        return [_message(r) for r in rows]

    # Agents ----------------------------------------------------------------

    async def add_agent(self, username: str, display_name: str, password_hash: str, now: float) -> int:
        """Create an agent account and return its id."""
        async with self._tx() as conn:
            result = await conn.execute(
                agents.insert().values(
                    username=username, display_name=display_name,
                    password_hash=password_hash, created_at=now,
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    async def agent_by_username(self, username: str) -> Agent | None:
        """Look an agent up by username."""
        return await self._agent(agents.c.username == username)

    async def agent_by_id(self, agent_id: int) -> Agent | None:
        """Look an agent up by id."""
        return await self._agent(agents.c.id == agent_id)

    async def _agent(self, where: Any) -> Agent | None:
        async with self._tx() as conn:
            row = (await conn.execute(agents.select().where(where))).first()
        return Agent(row.id, row.username, row.display_name, row.password_hash) if row else None

    async def agent_count(self) -> int:
        """How many agent accounts exist."""
        async with self._tx() as conn:
            return int((await conn.execute(sa.select(sa.func.count()).select_from(agents))).scalar() or 0)

    async def add_session(self, digest: str, agent_id: int, expires_at: float) -> None:
        """Remember an agent token (by its digest) until it expires."""
        async with self._tx() as conn:
            await conn.execute(
                agent_sessions.insert().values(
                    token_digest=digest, agent_id=agent_id, expires_at=expires_at, revoked=False
                )
            )

    async def session_agent(self, digest: str, now: float) -> int | None:
        """The agent a token belongs to, if the token is neither expired nor revoked."""
        s = agent_sessions.c
        async with self._tx() as conn:
            return (
                await conn.execute(
                    sa.select(s.agent_id).where(
                        s.token_digest == digest, s.expires_at > now, s.revoked.is_(False)
                    )
                )
            ).scalar()

    async def revoke_session(self, digest: str) -> None:
        """Revoke an agent token."""
        async with self._tx() as conn:
            await conn.execute(
                agent_sessions.update()
                .where(agent_sessions.c.token_digest == digest)
                .values(revoked=True)
            )


class _Values:
    """Attribute access over a dict, so a freshly inserted message renders like a row."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets readers go on while one writer writes; foreign keys are off by default.
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
