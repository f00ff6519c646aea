"""Socket.IO handlers: parse what arrives, call the hub or the desk, return the ack.

Handlers hold no logic of their own. Every event gets exactly one ack, and no
exception escapes into python-socketio.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import socketio

from bot.bridge import protocol, security
from bot.bridge.core import RateLimiter
from bot.bridge.desk import Desk
from bot.bridge.errors import ClientError, StorageError, Unauthorized
from bot.bridge.hub import Hub
from bot.bridge.relay import AGENT, CUSTOMER, room
from bot.bridge.storage import Agent
from bot.bridge.storage.base import iso

log = logging.getLogger(__name__)

Ack = dict[str, Any]

UNAVAILABLE = ClientError("unavailable", "We can't save messages right now. "
                          "Please try again in a moment; nothing you sent is lost.")
INTERNAL = ClientError("internal", "Something went wrong on our side. Please try again.")
RATE_LIMITED = ClientError("rate_limited", "That's a lot of messages at once. "
                           "Please wait a few seconds and try again.")
UNAUTHORIZED = ClientError("unauthorized", "Your session has ended. Please log in again.")


async def _guard(event: str, sid: str, call: Callable[[], Awaitable[Ack]]) -> Ack:
    # Refusals are logged by code only: never the message body.
    try:
        return await call()
    except ClientError as err:
        log.info("refused %s from %s: %s", event, sid, err.code)
        return err.ack()
    except StorageError as err:
        log.warning("storage unavailable during %s from %s: %s", event, sid, err)
        return UNAVAILABLE.ack()
    except Exception:
        log.exception("unexpected error during %s from %s", event, sid)
        return INTERNAL.ack()


class _Limits:
    """One token bucket per socket."""

    def __init__(self, clock: Callable[[], float], per_10s: int) -> None:
        self.clock = clock
        self.per_10s = per_10s
        self.buckets: dict[str, RateLimiter] = {}

    def check(self, sid: str) -> None:
        bucket = self.buckets.get(sid)
        if bucket is None:
            bucket = self.buckets[sid] = RateLimiter(self.per_10s, 10.0, self.clock())
        if not bucket.allow(self.clock()):
            raise RATE_LIMITED

    def forget(self, sid: str) -> None:
        self.buckets.pop(sid, None)


class _InOrder:
    """Handles one socket's events one at a time, in the order they arrived.

    python-socketio runs every event in its own task; without this, two
    messages sent back to back could be stored in the opposite order. Taking
    the lock is the first thing a handler does, before any await, so tasks
    queue up in arrival order, and asyncio.Lock wakes waiters first in, first out.
    """

    def __init__(self) -> None:
        self.locks: dict[str, asyncio.Lock] = {}

    def lock(self, sid: str) -> asyncio.Lock:
        return self.locks.setdefault(sid, asyncio.Lock())

    def forget(self, sid: str) -> None:
        self.locks.pop(sid, None)


CatchUp = Callable[[float], Coroutine[Any, Any, None]]


def register(sio: socketio.AsyncServer, hub: Hub, desk: Desk, rate_limit: int) -> CatchUp:
    """Attach the customer and agent handlers to ``sio``.

    Returns:
        What to run when the link to the other bridge processes is back: it
        sends this process's sockets every message stored since a given time.
    """
    limits = _Limits(hub.relay.clock, rate_limit)
    in_order = _InOrder()
    conversations: dict[str, str] = {}
    welcomes: dict[str, asyncio.Task[None]] = {}
    #: Agent sockets: the digest of the token each connected with, and its agent.
    agents: dict[str, tuple[str, int]] = {}

    # Customers ---------------------------------------------------------------

    async def welcome(sid: str, auth: protocol.CustomerAuth) -> None:
        try:
            session = await hub.open(auth.token, auth.last_seq)
            conversations[sid] = session.conversation_id
            await sio.enter_room(sid, room(session.conversation_id), namespace=CUSTOMER)
            await sio.emit("session", {"conversation_id": session.conversation_id,
                                       "token": session.token, "state": session.state.value,
                                       "last_seq": session.last_seq},
                           to=sid, namespace=CUSTOMER)
            for message in session.replay:
                await sio.emit("message", message, to=sid, namespace=CUSTOMER)
            if session.crisis:
                await sio.emit("crisis", {"resources": session.crisis}, to=sid, namespace=CUSTOMER)
            await sio.emit("status", await hub.relay.current_status(session.conversation_id),
                           to=sid, namespace=CUSTOMER)
        except Exception:
            log.exception("could not open a session for %s", sid)
            await sio.disconnect(sid, namespace=CUSTOMER)
        finally:
            # Done: later events need not wait for it (no await from here to the end).
            welcomes.pop(sid, None)

    async def customer_connect(sid: str, environ: dict[str, Any], auth: Any) -> None:
        # The session is sent once the connection is accepted, so it arrives after it.
        welcomes[sid] = asyncio.create_task(welcome(sid, protocol.customer_auth(auth)))

    async def customer_disconnect(sid: str, reason: Any = None) -> None:
        conversations.pop(sid, None)
        welcomes.pop(sid, None)
        limits.forget(sid)
        in_order.forget(sid)

    async def conversation_of(sid: str) -> str:
        limits.check(sid)
        pending = welcomes.get(sid)
        if pending is not None:
            # A client may send before its 'session' arrived (e.g. an outbox on reconnect).
            await asyncio.shield(pending)
        conversation_id = conversations.get(sid)
        if conversation_id is None:
            raise ClientError("unknown_conversation", "There is no conversation on this connection.")
        return conversation_id

    def customer_event(name: str, handler: Callable[[str, str, Any], Awaitable[Ack]]) -> None:
        async def on_event(sid: str, data: Any = None) -> Ack:
            async def call() -> Ack:
                return await handler(sid, await conversation_of(sid), data)
            async with in_order.lock(sid):
                return await _guard(name, sid, call)
        sio.on(name, on_event, namespace=CUSTOMER)

    async def customer_message(sid: str, conversation_id: str, data: Any) -> Ack:
        msg = protocol.customer_message(data)
        title = data.get("title") if isinstance(data, dict) else None
        return await hub.message(conversation_id, msg,
                                 title[:200] if isinstance(title, str) and title.strip() else None,
                                 sender=sid)

    async def leave_message(sid: str, conversation_id: str, data: Any) -> Ack:
        left = protocol.left_message(data)
        return await hub.leave_message(conversation_id, left.id, left.text, left.callback)

    sio.on("connect", customer_connect, namespace=CUSTOMER)
    sio.on("disconnect", customer_disconnect, namespace=CUSTOMER)
    customer_event("message", customer_message)
    customer_event("request_human", lambda sid, cid, _: hub.request_human(cid))
    customer_event("leave_message", leave_message)
    customer_event("typing", lambda sid, cid, data: hub.typing(cid, protocol.typing(data)))
    customer_event("feedback", lambda sid, cid, data: hub.feedback(cid, protocol.felt_heard(data)))

    # Agents ------------------------------------------------------------------

    async def agent_connect(sid: str, environ: dict[str, Any], auth: Any) -> None:
        token = protocol.agent_token(auth)
        try:
            agent = await desk.authenticate(token)
        except Unauthorized as err:
            raise socketio.exceptions.ConnectionRefusedError("unauthorized") from err
        except StorageError as err:
            raise socketio.exceptions.ConnectionRefusedError("unavailable") from err
        assert token is not None
        # Digested once here rather than on every event of the socket.
        agents[sid] = (security.token_digest(token), agent.id)
        sio.start_background_task(desk.connected, sid, token, agent)

    async def agent_disconnect(sid: str, reason: Any = None) -> None:
        _, agent_id = agents.pop(sid, ("", None))
        limits.forget(sid)
        in_order.forget(sid)
        try:
            await desk.disconnected(sid, agent_id)
        except StorageError as err:
            # Presence is already updated; only the queue broadcast could not be read.
            log.warning("queue not refreshed after agent %s left: %s", agent_id, err)

    def agent_event(name: str, handler: Callable[[str, Agent, Any], Awaitable[Ack]]) -> None:
        async def on_event(sid: str, data: Any = None) -> Ack:
            async def call() -> Ack:
                limits.check(sid)
                digest, _ = agents.get(sid, (None, None))
                try:
                    # Checked on every event, so an expired or revoked token stops working at once.
                    agent = await desk.check(digest)
                except Unauthorized:
                    sio.start_background_task(sio.disconnect, sid, namespace=AGENT)
                    raise UNAUTHORIZED from None
                return await handler(sid, agent, data)
            async with in_order.lock(sid):
                return await _guard(name, sid, call)
        sio.on(name, on_event, namespace=AGENT)

    sio.on("connect", agent_connect, namespace=AGENT)
    sio.on("disconnect", agent_disconnect, namespace=AGENT)
    agent_event("accept", lambda sid, agent, data: desk.accept(agent, protocol.conversation_id(data)))
    agent_event("message", lambda sid, agent, data: desk.message(agent, protocol.agent_message(data),
                                                                   sender=sid))
    agent_event("close", lambda sid, agent, data: desk.close(agent, *protocol.close_request(data)))
    agent_event("handback", lambda sid, agent, data: desk.handback(agent, *protocol.handback_request(data)))
    agent_event("presence", lambda sid, agent, data: desk.presence(agent, protocol.presence(data)))
    agent_event("typing", lambda sid, agent, data: desk.typing(agent, protocol.conversation_id(data),
                                                          protocol.typing(data)))
    agent_event("followup_done",
                lambda sid, agent, data: desk.followup_done(agent, protocol.followup_id(data)))

    # After a lost link to the other bridge processes ----------------------------

    async def since(conversation_id: str, after: str) -> list[dict[str, Any]]:
        return [m for m in await hub.storage.messages_after(conversation_id) if m["ts"] >= after]

    async def catch_up(stamp: float) -> None:
        # Clients keep messages by seq, so whatever they already have is dropped there.
        after = iso(stamp)
        sent = 0
        for sid, conversation_id in list(conversations.items()):
            try:
                for message in await since(conversation_id, after):
                    await sio.emit("message", message, to=sid, namespace=CUSTOMER, ignore_queue=True)
                    sent += 1
                await sio.emit("status", await hub.relay.current_status(conversation_id),
                               to=sid, namespace=CUSTOMER, ignore_queue=True)
            except StorageError as err:
                log.warning("catch-up for customer socket %s failed: %s", sid, err)
        for sid, (_, agent_id) in list(agents.items()):
            try:
                for conversation_id in await hub.storage.assigned_to(agent_id):
                    # A room entry sent from another process may have been lost too.
                    await sio.enter_room(sid, room(conversation_id), namespace=AGENT)
                    for message in await since(conversation_id, after):
                        await sio.emit("message", {**message, "conversation_id": conversation_id},
                                       to=sid, namespace=AGENT, ignore_queue=True)
                        sent += 1
            except StorageError as err:
                log.warning("catch-up for agent socket %s failed: %s", sid, err)
        await hub.relay.queue_changed()
        log.info("caught up %d message(s) for %d customer and %d agent socket(s)", sent,
                 len(conversations), len(agents))

    return catch_up
