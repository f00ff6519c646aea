"""Agent accounts and their login sessions (stored as token digests)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from bot.bridge.storage.base import Database
from bot.bridge.storage.schema import agent_sessions, agents


@dataclass(frozen=True)
class Agent:
    """An agent account."""

    id: int
    username: str
    display_name: str
    password_hash: str


_s = agent_sessions.c
_SESSION = (sa.select(agents.c.id, agents.c.username, agents.c.display_name, agents.c.password_hash,
                      _s.expires_at)
            .join(agents, agents.c.id == _s.agent_id)
            .where(_s.token_digest == sa.bindparam("digest"), _s.expires_at > sa.bindparam("now"),
                   _s.revoked.is_(False)))


class AgentStore(Database):
    """Agents and agent sessions."""

    async def add_agent(self, username: str, display_name: str, password_hash: str,
                        now: float) -> int:
        """Create an agent account and return its id."""
        def work(conn: sa.Connection) -> int:
            result = conn.execute(agents.insert().values(
                username=username, display_name=display_name,
                password_hash=password_hash, created_at=now))
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])
        return await self.run(work)

    async def agent_by_username(self, username: str) -> Agent | None:
        """Look an agent up by username."""
        return await self._agent(agents.c.username == username)

    async def agent_by_id(self, agent_id: int) -> Agent | None:
        """Look an agent up by id."""
        return await self._agent(agents.c.id == agent_id)

    async def _agent(self, where: Any) -> Agent | None:
        def work(conn: sa.Connection) -> Agent | None:
            row = conn.execute(agents.select().where(where)).first()
            return Agent(row.id, row.username, row.display_name, row.password_hash) if row else None
        return await self.run(work, write=False)

    async def agent_count(self) -> int:
        """How many agent accounts exist."""
        def work(conn: sa.Connection) -> int:
            return int(conn.execute(sa.select(sa.func.count()).select_from(agents)).scalar() or 0)
        return await self.run(work, write=False)

    async def add_session(self, digest: str, agent_id: int, expires_at: float) -> None:
        """Remember an agent token (by its digest) until it expires."""
        def work(conn: sa.Connection) -> None:
            conn.execute(agent_sessions.insert().values(
                token_digest=digest, agent_id=agent_id, expires_at=expires_at, revoked=False))
        await self.run(work)

    async def session(self, digest: str, now: float) -> tuple[Agent, float] | None:
        """The agent a token belongs to and when it expires, unless it expired or was revoked.

        One query for both, as every agent event may ask (see ``Desk.authenticate``).
        """
        def work(conn: sa.Connection) -> tuple[Agent, float] | None:
            row = conn.execute(_SESSION, {"digest": digest, "now": now}).first()
            if row is None:
                return None
            return Agent(row.id, row.username, row.display_name, row.password_hash), float(row.expires_at)
        return await self.run(work, write=False)

    async def revoke_session(self, digest: str) -> None:
        """Revoke an agent token."""
        def work(conn: sa.Connection) -> None:
            conn.execute(agent_sessions.update()
                         .where(agent_sessions.c.token_digest == digest).values(revoked=True))
        await self.run(work)
