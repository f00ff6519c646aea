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


class AgentStore(Database):
    """Agents and agent sessions."""

    async def add_agent(self, username: str, display_name: str, password_hash: str,
                        now: float) -> int:
        """Create an agent account and return its id."""
        async with self.tx() as conn:
            result = await conn.execute(agents.insert().values(
                username=username, display_name=display_name,
                password_hash=password_hash, created_at=now))
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
        async with self.tx() as conn:
            row = (await conn.execute(agents.select().where(where))).first()
        return Agent(row.id, row.username, row.display_name, row.password_hash) if row else None

    async def agent_count(self) -> int:
        """How many agent accounts exist."""
        async with self.tx() as conn:
            count = (await conn.execute(sa.select(sa.func.count()).select_from(agents))).scalar()
            return int(count or 0)

    async def add_session(self, digest: str, agent_id: int, expires_at: float) -> None:
        """Remember an agent token (by its digest) until it expires."""
        async with self.tx() as conn:
            await conn.execute(agent_sessions.insert().values(
                token_digest=digest, agent_id=agent_id, expires_at=expires_at, revoked=False))

    async def session(self, digest: str, now: float) -> tuple[int, float] | None:
        """The agent a token belongs to and when it expires, unless it expired or was revoked."""
        s = agent_sessions.c
        async with self.tx() as conn:
            row = (await conn.execute(sa.select(s.agent_id, s.expires_at).where(
                s.token_digest == digest, s.expires_at > now, s.revoked.is_(False)))).first()
            return (int(row.agent_id), float(row.expires_at)) if row is not None else None

    async def revoke_session(self, digest: str) -> None:
        """Revoke an agent token."""
        async with self.tx() as conn:
            await conn.execute(agent_sessions.update()
                               .where(agent_sessions.c.token_digest == digest).values(revoked=True))
