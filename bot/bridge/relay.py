"""Stores a message and delivers it to everyone in the conversation; keeps everyone's status true.

The customer's sockets sit in room ``conv:<id>`` of ``/customer``, the
assigned agent's sockets in room ``conv:<id>`` of ``/agent``, and every
agent in room ``agents`` of ``/agent``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import socketio

from bot.bridge.core import QueueEntry, State, estimate_wait, order_queue
from bot.bridge.storage import Storage

CUSTOMER = "/customer"
AGENT = "/agent"
AGENTS_ROOM = "agents"


def room(conversation_id: str) -> str:
    """The room of one conversation, in either namespace."""
    return f"conv:{conversation_id}"


class Relay:
    """Delivery of messages, statuses and the queue.

    Args:
        sio: The Socket.IO server.
        storage: The database.
        clock: Returns the time in seconds since the epoch.
    """

    def __init__(self, sio: socketio.AsyncServer, storage: Storage,
                 clock: Callable[[], float] = time.time) -> None:
        self.sio = sio
        self.storage = storage
        self.clock = clock
        #: Connected agent sockets by agent id: who is online.
        self.online: dict[int, set[str]] = {}

    @property
    def agents_online(self) -> int:
        """How many agents have at least one socket open."""
        return sum(1 for sids in self.online.values() if sids)

    async def post(
        self,
        conversation_id: str,
        sender: str,
        text: str,
        client_id: str | None = None,
        buttons: list[dict[str, str]] | None = None,
        agent_name: str | None = None,
    ) -> tuple[dict[str, Any], bool]:
        """Store a message and deliver it, unless it is a retry of one already delivered.

        Returns:
            The message and whether it was a duplicate.
        """
        message, duplicate = await self.storage.append(
            conversation_id, sender, text, self.clock(), client_id, buttons, agent_name
        )
        if not duplicate:
            await self.sio.emit("message", message, to=room(conversation_id), namespace=CUSTOMER)
            await self.sio.emit(
                "message", {**message, "conversation_id": conversation_id},
                to=room(conversation_id), namespace=AGENT,
            )
        return message, duplicate

    async def status(self, conversation_id: str, state: State, position: int | None = None,
                     eta_seconds: int | None = None, agent_name: str | None = None) -> None:
        """Tell the customer, and an assigned agent, where the conversation stands."""
        payload = {
            "state": state.value, "position": position,
            "eta_seconds": eta_seconds, "agent_name": agent_name,
        }
        await self.sio.emit("status", payload, to=room(conversation_id), namespace=CUSTOMER)
        await self.sio.emit("status", {**payload, "conversation_id": conversation_id},
                            to=room(conversation_id), namespace=AGENT)

    async def queue(self) -> list[QueueEntry]:
        """The queue in serving order."""
        return order_queue(await self.storage.queued())

    def queue_event(self, ordered: list[QueueEntry]) -> dict[str, Any]:
        """The agents' ``queue`` event for an ordered queue."""
        now = self.clock()
        return {"conversations": [entry.public(now) for entry in ordered]}

    async def queue_changed(self) -> None:
        """Send the new queue to every agent and each waiting customer their new place."""
        ordered = await self.queue()
        await self.sio.emit("queue", self.queue_event(ordered), to=AGENTS_ROOM, namespace=AGENT)
        handle_times = await self.storage.recent_handle_seconds()
        for position, entry in enumerate(ordered, start=1):
            await self.sio.emit(
                "status",
                {"state": State.QUEUED.value, "position": position,
                 "eta_seconds": estimate_wait(position, handle_times, self.agents_online),
                 "agent_name": None},
                to=room(entry.conversation_id), namespace=CUSTOMER,
            )

    async def current_status(self, conversation_id: str) -> dict[str, Any]:
        """The ``status`` payload for one conversation as it stands now."""
        conversation = await self.storage.conversation(conversation_id)
        state = conversation.state if conversation else State.BOT
        position = eta = None
        if state is State.QUEUED:
            ordered = await self.queue()
            position = next((i for i, e in enumerate(ordered, 1)
                             if e.conversation_id == conversation_id), None)
            if position is not None:
                eta = estimate_wait(position, await self.storage.recent_handle_seconds(),
                                    self.agents_online)
        return {
            "state": state.value, "position": position, "eta_seconds": eta,
            "agent_name": conversation.agent_name
            if conversation and state is State.AGENT else None,
        }
