"""Stores a message and delivers it to everyone in the conversation; keeps everyone's status true.

Rooms: the customer's sockets are in ``conv:<id>`` of ``/customer``; the
assigned agent's sockets in ``conv:<id>`` of ``/agent``; each agent's
sockets also in ``agent:<agent id>``, where its own view of the queue goes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

import socketio

from bot.bridge.core import QueueEntry, State, estimate_wait, order_queue
from bot.bridge.hours import Hours, describe_opening
from bot.bridge.shared import Shared
from bot.bridge.storage import Storage
from bot.bridge.storage.messages import Appended

log = logging.getLogger(__name__)

#: Shortest time between two queue broadcasts; changes in between are folded together.
QUEUE_GAP = 0.1

#: Most conversations listed in one ``queue`` event; its ``total`` counts them all.
QUEUE_SHOWN = 50

CUSTOMER = "/customer"
AGENT = "/agent"


def room(conversation_id: str) -> str:
    """The room of one conversation, in either namespace."""
    return f"conv:{conversation_id}"


def agent_room(agent_id: int) -> str:
    """The room of all sockets of one agent."""
    return f"agent:{agent_id}"


class Relay:
    """Delivery of messages, statuses and the queue; presence of agents.

    Args:
        sio: The Socket.IO server.
        storage: The database.
        hours: Business hours.
        zone: The time zone of the business hours.
        clock: Returns the time in seconds since the epoch.
        shared: Presence and what customers were told, shared by every bridge
            process (in memory when there is one).
    """

    def __init__(self, sio: socketio.AsyncServer, storage: Storage, hours: Hours,
                 zone: dt.tzinfo, clock: Callable[[], float] = time.time,
                 shared: Shared | None = None) -> None:
        self.sio = sio
        self.storage = storage
        self.hours = hours
        self.zone = zone
        self.clock = clock
        self.shared = shared or Shared()
        #: Rooms may span processes (any manager but the plain in-process one,
        #: e.g. Redis pub/sub): then this process cannot tell who is in a room.
        self._shared_rooms = type(sio.manager) is not socketio.AsyncManager
        self._trailing: asyncio.Task[None] | None = None
        self._dirty = False
        self._last_flush = 0.0

    def available(self) -> set[int]:
        """Agents online and not away, on any bridge process."""
        return self.shared.available()

    def desk_open(self) -> bool:
        """Whether it is within business hours now."""
        return self.hours.is_open(dt.datetime.fromtimestamp(self.clock(), self.zone))

    def opens(self) -> str | None:
        """When the desk opens next, in words, or None while it is open."""
        local = dt.datetime.fromtimestamp(self.clock(), self.zone)
        opening = self.hours.next_opening(local)
        return describe_opening(opening, local) if opening else None

    async def post(
        self,
        conversation_id: str,
        sender: str,
        text: str,
        client_id: str | None = None,
        buttons: list[dict[str, str]] | None = None,
        agent_name: str | None = None,
        only_agent: int | None = None,
        skip: str | None = None,
    ) -> Appended:
        """Store a message and deliver it, unless it is a retry of one already delivered.

        ``skip`` is the socket that sent it: its ack carries the seq, so it is not
        sent the message again (one packet fewer per message, the relay's hot path).

        Raises:
            NotFound: See :meth:`Storage.append`.
        """
        stored = await self.storage.append(conversation_id, sender, text, self.clock(), client_id,
                                           buttons, agent_name, only_agent)
        if not stored.duplicate:
            message = stored.message
            to = room(conversation_id)
            # One side of every relayed message is usually only its sender (one
            # tab): on one process that emit would encode a packet for nobody.
            if self._may_reach(CUSTOMER, to, skip):
                await self.sio.emit("message", message, to=to, namespace=CUSTOMER, skip_sid=skip)
            if self._may_reach(AGENT, to, skip):
                await self.sio.emit("message", {**message, "conversation_id": conversation_id},
                                    to=to, namespace=AGENT, skip_sid=skip)
        return stored

    def _may_reach(self, namespace: str, to: str, skip: str | None) -> bool:
        """Whether an emit to room ``to``, leaving out socket ``skip``, can have a recipient.

        Always True with several bridge processes: the room's other members
        may be on another process, which only the manager's pub/sub reaches.
        """
        if self._shared_rooms:
            return True
        return any(sid != skip for sid, _ in self.sio.manager.get_participants(namespace, to))

    def _status(self, state: State, position: int | None = None, eta: int | None = None,
                agent_name: str | None = None) -> dict[str, Any]:
        waiting = state is State.QUEUED
        return {
            "state": state.value, "position": position, "eta_seconds": eta,
            "agent_name": agent_name,
            # Whether anyone can answer now, and if not, when someone will: the
            # widget offers to leave a message instead of a silent wait.
            "agents_available": bool(self.available()) and self.desk_open() if waiting else None,
            "opens": self.opens() if waiting else None,
        }

    async def status(self, conversation_id: str, state: State, agent_name: str | None = None) -> None:
        """Tell the customer, and an assigned agent, where the conversation stands."""
        payload = self._status(state, agent_name=agent_name)
        await self.sio.emit("status", payload, to=room(conversation_id), namespace=CUSTOMER)
        await self.sio.emit("status", {**payload, "conversation_id": conversation_id},
                            to=room(conversation_id), namespace=AGENT)

    async def queue(self) -> list[QueueEntry]:
        """The queue in serving order."""
        return order_queue(await self.storage.queued())

    def queue_event(self, ordered: list[QueueEntry], agent_id: int) -> dict[str, Any]:
        """One agent's ``queue`` event: the first of what that agent may see, in serving order.

        At most ``QUEUE_SHOWN`` entries (a console cannot show thousands), and
        ``total``, how many that agent may see in all.
        """
        now = self.clock()
        online = self.available()
        visible = [entry for entry in ordered if entry.visible_to(agent_id, now, online)]
        return {"conversations": [entry.public(now, agent_id) for entry in visible[:QUEUE_SHOWN]],
                "total": len(visible)}

    async def send_queue(self, agent_id: int, ordered: list[QueueEntry] | None = None) -> None:
        """Send one agent (all of its sockets) its view of the queue."""
        ordered = await self.queue() if ordered is None else ordered
        await self.sio.emit("queue", self.queue_event(ordered, agent_id),
                            to=agent_room(agent_id), namespace=AGENT)

    async def queue_changed(self) -> None:
        """Send every agent the new queue and each waiting customer their new place.

        The first change is sent at once; changes that follow within
        ``QUEUE_GAP`` seconds are folded into one trailing update, so a burst
        of handoffs costs a few broadcasts rather than one per change each.
        """
        if self._trailing is not None:
            self._dirty = True
            return
        if time.monotonic() - self._last_flush >= QUEUE_GAP:
            self._last_flush = time.monotonic()
            await self._flush_queue()
            return
        self._dirty = True
        self._trailing = asyncio.create_task(self._trailing_flush())

    async def _trailing_flush(self) -> None:
        try:
            while self._dirty:
                await asyncio.sleep(max(0.0, self._last_flush + QUEUE_GAP - time.monotonic()))
                self._dirty = False
                self._last_flush = time.monotonic()
                try:
                    await self._flush_queue()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("queue update failed; the next change sends it again")
        finally:
            self._trailing = None

    async def close(self) -> None:
        """Stop a pending queue update; used on shutdown."""
        if self._trailing is not None:
            self._trailing.cancel()
            await asyncio.gather(self._trailing, return_exceptions=True)

    async def _flush_queue(self) -> None:
        ordered = await self.queue()
        for agent_id in sorted(self.shared.online()):
            await self.send_queue(agent_id, ordered)
        handle_times = await self.storage.recent_handle_seconds()
        available = len(self.available())
        # Availability and opening hours are the same for everyone: worked out once.
        common = self._status(State.QUEUED)
        statuses = {entry.conversation_id: {
            **common, "position": position,
            "eta_seconds": estimate_wait(position, handle_times, available)}
            for position, entry in enumerate(ordered, start=1)}
        # Only the customers whose place, wait or prospects changed hear about it.
        for conversation_id, status in (await self.shared.news(statuses)).items():
            await self.sio.emit("status", status, to=room(conversation_id), namespace=CUSTOMER)

    async def followups_changed(self, to: str | None = None) -> None:
        """Send the open follow-ups to every agent (or to one socket)."""
        await self.sio.emit("followups", {"followups": await self.storage.open_followups()},
                            to=to, namespace=AGENT)

    async def current_status(self, conversation_id: str) -> dict[str, Any]:
        """The ``status`` payload for one conversation as it stands now."""
        conversation = await self.storage.conversation(conversation_id)
        state = conversation.state if conversation else State.BOT
        if state is not State.QUEUED:
            return self._status(state, agent_name=conversation.agent_name
                                if conversation and state is State.AGENT else None)
        ordered = await self.queue()
        position = next((i for i, e in enumerate(ordered, 1) if e.conversation_id == conversation_id),
                        None)
        eta = None if position is None else estimate_wait(
            position, await self.storage.recent_handle_seconds(), len(self.available()))
        return self._status(state, position, eta)
