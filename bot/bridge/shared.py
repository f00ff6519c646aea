"""What every bridge process must agree on: who is online or away, and what each customer was told.

One process keeps it in memory (:class:`Shared`). Several processes share it
through Redis (:class:`RedisShared`): each process writes the agent sockets it
holds into a hash of its own that expires unless it is renewed, so the agents
of a process that died (kill -9) stop counting as online within ``TTL``
seconds. Questions asked on the hot path ("is anyone available?") are answered
from a snapshot that is refreshed after each change made here and every
``REFRESH`` seconds, so they never wait on the network.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from typing import Any

from redis import asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

#: Seconds between two snapshot refreshes from Redis.
REFRESH = 1.0
#: Seconds between two renewals of this process's own presence hash.
RENEW = 5.0
#: Seconds a process's presence outlives its last renewal.
TTL = 15

PREFIX = "calor:presence:"
AWAY = "calor:away"
TOLD = "calor:told"
#: Where a process says that presence changed, so the others refresh at once.
CHANGED = "calor:presence-changed"

# Compare-and-set in one round trip: only a status that differs from the last one
# told (by any process) is stored and reported as news.
_TELL = """
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
"""


class Shared:
    """Presence and the last status told, for a single bridge process."""

    def __init__(self) -> None:
        #: Every agent socket known, on any process: sid → agent id.
        self._sockets: dict[str, int] = {}
        #: The sockets held by this process: sid → agent id.
        self._mine: dict[str, int] = {}
        self._away: set[int] = set()
        self._told: dict[str, str] = {}

    # Answers from the snapshot ------------------------------------------------

    def online(self) -> set[int]:
        """Agents with at least one open socket."""
        return set(self._sockets.values())

    def available(self) -> set[int]:
        """Agents online and not away."""
        return self.online() - self._away

    def is_away(self, agent_id: int) -> bool:
        """Whether an agent stepped away."""
        return agent_id in self._away

    def sids(self, agent_id: int) -> set[str]:
        """Every socket of one agent, on any process."""
        return {sid for sid, agent in self._sockets.items() if agent == agent_id}

    # Changes ------------------------------------------------------------------

    async def add(self, agent_id: int, sid: str) -> bool:
        """Count a new agent socket held by this process.

        Returns:
            Whether the agent was offline everywhere until now.
        """
        first = agent_id not in self.online()
        self._mine[sid] = agent_id
        self._sockets[sid] = agent_id
        return first

    async def remove(self, sid: str) -> bool:
        """Forget an agent socket of this process.

        Returns:
            Whether its agent is now offline everywhere.
        """
        agent_id = self._mine.pop(sid, None)
        self._sockets.pop(sid, None)
        if agent_id is None or agent_id in self.online():
            return False
        self._away.discard(agent_id)
        return True

    async def set_away(self, agent_id: int, away: bool) -> None:
        """Step an agent away, or bring them back."""
        if away:
            self._away.add(agent_id)
        else:
            self._away.discard(agent_id)

    async def news(self, statuses: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """The statuses that differ from what each customer was told last; remembers them.

        Args:
            statuses: The status of every waiting conversation by id; conversations
                not in it are no longer waiting and are forgotten.
        """
        encoded = {cid: json.dumps(status, sort_keys=True) for cid, status in statuses.items()}
        self._told = {cid: text for cid, text in self._told.items() if cid in encoded}
        changed = {cid: statuses[cid] for cid, text in encoded.items() if self._told.get(cid) != text}
        self._told.update({cid: encoded[cid] for cid in changed})
        return changed

    # Lifecycle ----------------------------------------------------------------

    async def start(self) -> None:
        """Connect to what is shared; nothing to do in memory."""

    async def run(self) -> None:
        """Keep the snapshot fresh until cancelled; nothing to do in memory."""

    async def close(self) -> None:
        """Let go of what is shared; nothing to do in memory."""


class RedisShared(Shared):
    """Presence and the last status told, shared by every bridge process through Redis.

    While Redis cannot be reached, the snapshot keeps the last state seen plus
    this process's own changes, and statuses count as news (a customer hears
    twice rather than not at all); the next renewal writes this process's
    sockets back, also after Redis restarted empty.

    Args:
        url: The Redis URL (CALOR_REDIS_URL).
    """

    def __init__(self, url: str) -> None:
        super().__init__()
        self.node = uuid.uuid4().hex
        self._key = PREFIX + self.node
        self._redis: aioredis.Redis = aioredis.Redis.from_url(
            url, socket_timeout=2, socket_connect_timeout=2, decode_responses=True)
        self._tell = self._redis.register_script(_TELL)

    async def start(self) -> None:
        """Read the current state; a Redis that is down is logged, not fatal."""
        await self._write_mine()
        await self.refresh()

    async def close(self) -> None:
        """Take this process's sockets out of the shared presence, and disconnect."""
        try:
            await self._redis.delete(self._key)
        except (RedisError, OSError) as err:
            log.warning("could not remove this process's presence from Redis: %s", type(err).__name__)
        await self._redis.aclose()

    async def run(self) -> None:
        """Keep the snapshot fresh: on every change anywhere, and every ``REFRESH`` s."""
        await asyncio.gather(self._periodically(), self._on_changes())

    async def _on_changes(self) -> None:
        retry = 0.25
        while True:
            try:
                async with self._redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(CHANGED)
                    retry = 0.25
                    async for _ in pubsub.listen():
                        await self.refresh()
            except asyncio.CancelledError:
                raise
            except Exception as err:
                log.warning("presence changes not heard, retrying in %.2f s: %s", retry,
                            type(err).__name__)
                await asyncio.sleep(retry)
                retry = min(retry * 2, 2.0)

    async def _periodically(self) -> None:
        # Also renews this process's presence every RENEW s.
        since_renewal = 0.0
        while True:
            await asyncio.sleep(REFRESH)
            since_renewal += REFRESH
            try:
                if since_renewal >= RENEW:
                    since_renewal = 0.0
                    await self._write_mine()
                await self.refresh()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("presence refresh failed; trying again")

    async def refresh(self) -> None:
        """Read every process's agent sockets and the away set into the snapshot."""
        try:
            keys = [key async for key in self._redis.scan_iter(match=PREFIX + "*", count=100)]
            async with self._redis.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.hgetall(key)
                pipe.smembers(AWAY)
                results = await pipe.execute()
        except (RedisError, OSError) as err:
            log.warning("presence not refreshed, Redis unreachable: %s", type(err).__name__)
            return
        sockets: dict[str, int] = {}
        for found in results[:-1]:
            sockets.update({sid: int(agent) for sid, agent in found.items()})
        # Our own sockets count even if Redis lost them (it restarted empty).
        sockets.update(self._mine)
        self._sockets = sockets
        self._away = {int(agent) for agent in results[-1]}

    async def _write_mine(self, announce: bool = False) -> None:
        # Rewritten whole, so a socket that went while Redis was down goes too.
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.delete(self._key)
                if self._mine:
                    pipe.hset(self._key, mapping={sid: str(agent) for sid, agent in self._mine.items()})
                    pipe.expire(self._key, TTL)
                    away = [agent for agent in set(self._mine.values()) if agent in self._away]
                    if away:
                        pipe.sadd(AWAY, *away)
                if announce:
                    pipe.publish(CHANGED, self.node)
                await pipe.execute()
        except (RedisError, OSError) as err:
            log.warning("presence not written, Redis unreachable: %s", type(err).__name__)

    async def add(self, agent_id: int, sid: str) -> bool:
        """See :meth:`Shared.add`; also written to Redis."""
        await self.refresh()
        first = await super().add(agent_id, sid)
        await self._write_mine(announce=True)
        return first

    async def remove(self, sid: str) -> bool:
        """See :meth:`Shared.remove`; also written to Redis."""
        agent_id = self._mine.get(sid)
        await super().remove(sid)
        await self._write_mine(announce=True)
        await self.refresh()
        if agent_id is None or agent_id in self.online():
            return False
        await self.set_away(agent_id, False)
        return True

    async def set_away(self, agent_id: int, away: bool) -> None:
        """See :meth:`Shared.set_away`; also written to Redis."""
        await super().set_away(agent_id, away)
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                if away:
                    pipe.sadd(AWAY, agent_id)
                else:
                    pipe.srem(AWAY, agent_id)
                pipe.publish(CHANGED, self.node)
                await pipe.execute()
        except (RedisError, OSError) as err:
            log.warning("away status not shared, Redis unreachable: %s", type(err).__name__)

    async def news(self, statuses: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """See :meth:`Shared.news`; what was told is remembered in Redis for every process."""
        encoded = {cid: json.dumps(status, sort_keys=True) for cid, status in statuses.items()}
        try:
            told = await self._redis.hkeys(TOLD)
            async with self._redis.pipeline(transaction=False) as pipe:
                gone = [cid for cid in told if cid not in encoded]
                if gone:
                    pipe.hdel(TOLD, *gone)
                for cid, text in encoded.items():
                    await self._tell(keys=[TOLD], args=[cid, text], client=pipe)
                results = await pipe.execute()
        except (RedisError, OSError) as err:
            log.warning("statuses sent without checking, Redis unreachable: %s", type(err).__name__)
            return statuses
        flags = results[1:] if gone else results
        return {cid: statuses[cid] for cid, fresh in zip(encoded, flags, strict=True) if fresh}


def make_shared(redis_url: str | None) -> Shared:
    """Presence in memory for one process, or in Redis for several."""
    return RedisShared(redis_url) if redis_url else Shared()
