"""python-socketio's Redis manager, told when its link to Redis was lost and is back.

Events for sockets on other bridge processes travel through Redis pub/sub,
which keeps nothing: whatever was published while a process was not
subscribed never reaches it. Every message is stored before it is emitted, so
when the link comes back the bridge sends its own sockets what they may have
missed (see ``sockets.catch_up``); clients drop what they already have by seq.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

import socketio
from redis.asyncio.client import PubSub

log = logging.getLogger(__name__)

#: Longest wait between two attempts to subscribe again (python-socketio's own goes up to 60 s).
MAX_RETRY_SECONDS = 2.0
#: How far back a catch-up reaches before the moment the link was seen lost:
#: a subscriber can lose its link some time before it notices.
MARGIN_SECONDS = 30.0

Restored = Callable[[float], Coroutine[Any, Any, None]]


class _WatchedPubSub(PubSub):
    """A pub/sub connection that reports when redis-py reconnects it by itself."""

    def __init__(self, *args: Any, on_link: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._on_link = on_link

    async def on_connect(self, connection: Any) -> None:
        """Subscribe again (redis-py's job), then report the link."""
        await super().on_connect(connection)
        self._on_link()


class RedisManager(socketio.AsyncRedisManager):  # type: ignore[misc]
    """Shares rooms and events between bridge processes through Redis.

    Args:
        url: The Redis URL (CALOR_REDIS_URL).
        clock: Seconds since the epoch, the clock stored messages are stamped with.
    """

    def __init__(self, url: str, clock: Callable[[], float] = time.time) -> None:
        super().__init__(url, channel="calor", redis_options={"socket_connect_timeout": 2})
        self.clock = clock
        #: Called with the time the link was lost, once it is back.
        self.on_restored: Restored | None = None
        self.lost_since: float | None = None
        self.connected: bool = False
        self._links = 0
        self._catch_ups: set[asyncio.Task[None]] = set()

    def _lost(self) -> None:
        if self.lost_since is None:
            self.lost_since = self.clock()
            log.warning("lost the link to Redis; events for other bridge processes wait")

    def _linked(self) -> None:
        self._links += 1
        if self._links == 1:
            return  # the first subscription, not a comeback
        since = (self.lost_since or self.clock()) - MARGIN_SECONDS
        self.lost_since = None
        log.info("the link to Redis is back; catching up")
        if self.on_restored is not None:
            task: asyncio.Task[None] = asyncio.get_running_loop().create_task(self.on_restored(since))
            self._catch_ups.add(task)
            task.add_done_callback(self._catch_ups.discard)

    def _redis_connect(self) -> None:
        super()._redis_connect()
        self.pubsub = _WatchedPubSub(self.redis.connection_pool, ignore_subscribe_messages=True,
                                     on_link=self._linked)

    async def _publish(self, data: Any) -> Any:
        for attempt in (1, 2):
            try:
                if not self.connected:
                    self._redis_connect()
                return await self.redis.publish(self.channel, self.json.dumps(data))
            except Exception as err:
                self.connected = False
                self._lost()
                log.warning("could not publish to Redis (attempt %d): %s", attempt, type(err).__name__)
        return None

    async def _redis_listen_with_retries(self) -> Any:
        retry = 0.25
        subscribed = False
        while True:
            try:
                if not subscribed:
                    self._redis_connect()
                    await self.pubsub.subscribe(self.channel)
                    subscribed = True
                    # redis-py reports only reconnections of a pub/sub it already had.
                    self._linked()
                    retry = 0.25
                async for message in self.pubsub.listen():
                    yield message
            except asyncio.CancelledError:
                raise
            except Exception as err:
                self._lost()
                log.warning("cannot receive from Redis, retrying in %.2f s: %s", retry, type(err).__name__)
                subscribed = False
                await asyncio.sleep(retry)
                retry = min(retry * 2, MAX_RETRY_SECONDS)
