"""The agents' side: login sessions, presence, accepting, chatting and closing."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.bridge import security
from bot.bridge.core import State
from bot.bridge.errors import ClientError, Unauthorized
from bot.bridge.protocol import AgentMessage
from bot.bridge.relay import AGENT, AGENTS_ROOM, Relay, room
from bot.bridge.storage import Agent

log = logging.getLogger(__name__)

JOINING_TEXT = "{name} is joining. {name} has read our conversation, " \
    "so you won't need to repeat yourself."
RECAP_TEXT = "Here's what happens next: {steps}"


@dataclass(frozen=True)
class Login:
    """A successful login."""

    token: str
    expires_at: float
    agent: Agent


class Desk:
    """Runs the agents' side of every conversation.

    Args:
        relay: Delivery of messages and statuses.
        token_ttl: Lifetime of an agent token, in seconds.
        capacity: How many conversations one agent holds at once.
    """

    def __init__(self, relay: Relay, token_ttl: int, capacity: int) -> None:
        self.relay = relay
        self.storage = relay.storage
        self.sio = relay.sio
        self.token_ttl = token_ttl
        self.capacity = capacity
        #: Open agent sockets by token digest, so a logout can close them.
        self._sockets_by_token: dict[str, set[str]] = {}

    async def login(self, username: str, password: str) -> Login:
        """Check a username and password and issue a short-lived token.

        Raises:
            Unauthorized: Unknown username or wrong password (indistinguishable).
        """
        agent = await self.storage.agent_by_username(username)
        if not security.verify_password(agent.password_hash if agent else security.DUMMY_HASH,
                                        password) or agent is None:
            raise Unauthorized("wrong username or password")
        token = security.new_agent_token()
        expires_at = self.relay.clock() + self.token_ttl
        await self.storage.add_session(security.token_digest(token), agent.id, expires_at)
        log.info("agent %s logged in", agent.username)
        return Login(token, expires_at, agent)

    async def logout(self, token: str) -> None:
        """Revoke a token and disconnect every socket opened with it."""
        digest = security.token_digest(token)
        await self.storage.revoke_session(digest)
        for sid in list(self._sockets_by_token.pop(digest, set())):
            await self.sio.disconnect(sid, namespace=AGENT)

    async def authenticate(self, token: str | None) -> Agent:
        """The agent a token belongs to; checked on connect and again on every event.

        Raises:
            Unauthorized: The token is missing, unknown, expired or revoked.
        """
        if token is None:
            raise Unauthorized("no token")
        agent_id = await self.storage.session_agent(security.token_digest(token),
                                                    self.relay.clock())
        agent = await self.storage.agent_by_id(agent_id) if agent_id is not None else None
        if agent is None:
            raise Unauthorized("invalid or expired token")
        return agent

    async def connected(self, sid: str, token: str, agent: Agent) -> None:
        """Register an agent socket: presence, rooms, and the current queue."""
        self.relay.online.setdefault(agent.id, set()).add(sid)
        self._sockets_by_token.setdefault(security.token_digest(token), set()).add(sid)
        await self.sio.enter_room(sid, AGENTS_ROOM, namespace=AGENT)
        for conversation_id in await self.storage.assigned_to(agent.id):
            await self.sio.enter_room(sid, room(conversation_id), namespace=AGENT)
        await self.sio.emit("queue", self.relay.queue_event(await self.relay.queue()),
                            to=sid, namespace=AGENT)

    def disconnected(self, sid: str, agent_id: int | None) -> None:
        """Forget an agent socket."""
        if agent_id is not None:
            self.relay.online.get(agent_id, set()).discard(sid)
        for sids in self._sockets_by_token.values():
            sids.discard(sid)

    def _agent_sids(self, agent_id: int) -> set[str]:
        return set(self.relay.online.get(agent_id, set()))

    async def accept(self, agent: Agent, conversation_id: str) -> dict[str, Any]:
        """Give a queued conversation to this agent; of two at once, exactly one wins."""
        if len(await self.storage.assigned_to(agent.id)) >= self.capacity:
            raise ClientError("at_capacity", f"You already have {self.capacity} conversations open.")
        now = self.relay.clock()
        won = await self.storage.move(
            conversation_id, [State.QUEUED], State.AGENT, now,
            agent_id=agent.id, agent_name=agent.display_name, accepted_at=now,
        )
        if not won:
            conversation = await self.storage.conversation(conversation_id)
            if conversation is not None and conversation.state is State.AGENT \
                    and conversation.agent_id != agent.id:
                raise ClientError("taken", "Another agent accepted this conversation first.")
            raise ClientError("unknown_conversation", "This conversation is not in the queue.")
        for sid in self._agent_sids(agent.id):
            await self.sio.enter_room(sid, room(conversation_id), namespace=AGENT)
        conversation = await self.storage.conversation(conversation_id)
        transcript = await self.storage.messages_after(conversation_id)
        await self.relay.post(conversation_id, "system",
                              JOINING_TEXT.format(name=agent.display_name),
                              agent_name=agent.display_name)
        await self.relay.status(conversation_id, State.AGENT, agent_name=agent.display_name)
        await self.relay.queue_changed()
        log.info("agent %s accepted conversation %s", agent.username, conversation_id)
        return {"ok": True, "summary": conversation.summary if conversation else None,
                "transcript": transcript}

    async def _mine(self, agent: Agent, conversation_id: str) -> None:
        conversation = await self.storage.conversation(conversation_id)
        if conversation is None or (conversation.agent_id != agent.id
                                    and conversation.state is not State.AGENT):
            raise ClientError("unknown_conversation", "There is no such conversation.")
        if conversation.agent_id != agent.id or conversation.state is not State.AGENT:
            raise ClientError("forbidden", "This conversation is not assigned to you.")

    async def message(self, agent: Agent, msg: AgentMessage) -> dict[str, Any]:
        """Deliver an agent's message to the customer."""
        await self._mine(agent, msg.conversation_id)
        stored, _ = await self.relay.post(msg.conversation_id, "agent", msg.text, msg.id,
                                          agent_name=agent.display_name)
        return {"ok": True, "seq": stored["seq"]}

    async def close(self, agent: Agent, conversation_id: str, next_steps: str) -> dict[str, Any]:
        """Close a conversation, sending the customer the next steps as a recap."""
        await self._mine(agent, conversation_id)
        await self.relay.post(conversation_id, "system", RECAP_TEXT.format(steps=next_steps),
                              agent_name=agent.display_name)
        now = self.relay.clock()
        if not await self.storage.move(conversation_id, [State.AGENT], State.CLOSED, now,
                                       closed_at=now, next_steps=next_steps):
            raise ClientError("forbidden", "This conversation is not assigned to you.")
        await self.relay.status(conversation_id, State.CLOSED)
        for sid in self._agent_sids(agent.id):
            await self.sio.leave_room(sid, room(conversation_id), namespace=AGENT)
        log.info("agent %s closed conversation %s", agent.username, conversation_id)
        return {"ok": True}
