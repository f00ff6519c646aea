"""The agents' side: login sessions, presence, accepting, chatting and closing."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from bot.bridge import security
from bot.bridge.core import State
from bot.bridge.errors import ClientError, NotFound, Unauthorized
from bot.bridge.hub import Hub
from bot.bridge.protocol import AgentMessage
from bot.bridge.relay import AGENT, CUSTOMER, Relay, agent_room, room
from bot.bridge.storage import Agent
from bot.bridge.summary import history_lines

log = logging.getLogger(__name__)

JOINING_TEXT = "{name} is joining. {name} has read our conversation, " \
    "so you won't need to repeat yourself."
RECAP_TEXT = "Here's what happens next: {steps}"
HANDBACK_TEXT = "{name} has handed you back to our assistant. " \
    "You can ask for a person again at any time."

#: How long a verified agent token is trusted before the database is asked again.
RECHECK_SECONDS = 2.0

#: How the bot learns that a person helped: an intent with the agent's name and note.
HANDBACK_PAYLOAD = "/handback"


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
        hub: The customer side, which runs the bot after a hand-back.
        token_ttl: Lifetime of an agent token, in seconds.
        capacity: How many conversations one agent holds at once.
    """

    def __init__(self, relay: Relay, hub: Hub, token_ttl: int, capacity: int) -> None:
        self.relay = relay
        self.hub = hub
        self.storage = relay.storage
        self.sio = relay.sio
        self.token_ttl = token_ttl
        self.capacity = capacity
        #: Open agent sockets by token digest, so a logout can close them.
        self._sockets_by_token: dict[str, set[str]] = {}
        #: Tokens checked lately: digest → (agent, expires_at, checked_at). Expiry is
        #: exact; a revocation made by another bridge process is seen within
        #: RECHECK_SECONDS (one made here, at once).
        self._verified: dict[str, tuple[Agent, float, float]] = {}

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
        self._verified.pop(digest, None)
        await self.storage.revoke_session(digest)
        for sid in list(self._sockets_by_token.pop(digest, set())):
            await self.sio.disconnect(sid, namespace=AGENT)

    async def authenticate(self, token: str | None) -> Agent:
        """The agent a token belongs to; checked on connect and again on every event.

        Raises:
            Unauthorized: The token is missing, unknown, expired or revoked.
        """
        return await self.check(None if token is None else security.token_digest(token))

    async def check(self, digest: str | None) -> Agent:
        """Like :meth:`authenticate`, for a token already digested (a socket's, on each event).

        Raises:
            Unauthorized: No token, or it is unknown, expired or revoked.
        """
        if digest is None:
            raise Unauthorized("no token")
        now = self.relay.clock()
        cached = self._verified.get(digest)
        if cached is not None and now < cached[1] and now - cached[2] < RECHECK_SECONDS:
            return cached[0]
        session = await self.storage.session(digest, now)
        if session is None:
            self._verified.pop(digest, None)
            raise Unauthorized("invalid or expired token")
        agent, expires_at = session
        self._verified[digest] = (agent, expires_at, now)
        return agent

    async def connected(self, sid: str, token: str, agent: Agent) -> None:
        """Register an agent socket: presence, rooms, and the current queue."""
        if not self.sio.manager.is_connected(sid, AGENT):
            # It went away before this ran; counting it would leave a ghost "online" agent.
            return
        first = await self.relay.shared.add(agent.id, sid)
        if first:
            log.info("agent %s is online", agent.username)
        self._sockets_by_token.setdefault(security.token_digest(token), set()).add(sid)
        await self.sio.enter_room(sid, agent_room(agent.id), namespace=AGENT)
        for conversation_id in await self.storage.assigned_to(agent.id):
            await self.sio.enter_room(sid, room(conversation_id), namespace=AGENT)
        await self.sio.emit("presence", {"status": self._presence(agent.id)}, to=sid, namespace=AGENT)
        await self.relay.followups_changed(to=sid)
        if first:
            # One more agent changes every waiting customer's ETA and availability.
            await self.relay.queue_changed()
        else:
            await self.relay.send_queue(agent.id)

    async def disconnected(self, sid: str, agent_id: int | None) -> None:
        """Forget an agent socket; the last one going takes the agent offline."""
        for sids in self._sockets_by_token.values():
            sids.discard(sid)
        if agent_id is not None and await self.relay.shared.remove(sid):
            log.info("agent %d is offline", agent_id)
            await self.relay.queue_changed()

    def _presence(self, agent_id: int) -> str:
        return "away" if self.relay.shared.is_away(agent_id) else "online"

    async def presence(self, agent: Agent, status: str) -> dict[str, Any]:
        """Step away (no new conversations offered) or come back online."""
        if status not in ("online", "away"):
            raise ClientError("invalid", "'status' must be 'online' or 'away'.")
        await self.relay.shared.set_away(agent.id, status == "away")
        await self.sio.emit("presence", {"status": status}, to=agent_room(agent.id), namespace=AGENT)
        await self.relay.queue_changed()
        return {"ok": True, "status": status}

    def _agent_sids(self, agent_id: int) -> set[str]:
        # Sockets on other bridge processes too: python-socketio's Redis manager
        # moves those into (and out of) rooms on the process that holds them.
        return self.relay.shared.sids(agent_id)

    async def accept(self, agent: Agent, conversation_id: str) -> dict[str, Any]:
        """Give a queued conversation to this agent; of two at once, exactly one wins."""
        if len(await self.storage.assigned_to(agent.id)) >= self.capacity:
            raise ClientError("at_capacity", f"You already have {self.capacity} conversations open.")
        now = self.relay.clock()
        won = await self.storage.move(
            conversation_id, [State.QUEUED], State.AGENT, now,
            fields={"agent_id": agent.id, "agent_name": agent.display_name,
                    "last_agent_id": agent.id, "offer_agent_id": None, "offer_until": None},
            episode={"accepted_at": now, "agent_id": agent.id, "agent_name": agent.display_name},
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
        summary = dict(conversation.summary or {}) if conversation else {}
        summary["history"] = history_lines(
            await self.storage.history(conversation_id, conversation.episode_id if conversation
                                       else None), self.relay.zone)
        await self.relay.post(conversation_id, "system",
                              JOINING_TEXT.format(name=agent.display_name),
                              agent_name=agent.display_name)
        await self.relay.status(conversation_id, State.AGENT, agent_name=agent.display_name)
        await self.relay.queue_changed()
        log.info("agent %s accepted conversation %s", agent.username, conversation_id)
        return {"ok": True, "summary": summary, "transcript": transcript}

    async def _mine(self, agent: Agent, conversation_id: str) -> None:
        conversation = await self.storage.conversation(conversation_id)
        if conversation is None or (conversation.agent_id != agent.id
                                    and conversation.state is not State.AGENT):
            raise ClientError("unknown_conversation", "There is no such conversation.")
        if conversation.agent_id != agent.id or conversation.state is not State.AGENT:
            raise ClientError("forbidden", "This conversation is not assigned to you.")

    async def message(self, agent: Agent, msg: AgentMessage,
                      sender: str | None = None) -> dict[str, Any]:
        """Deliver an agent's message to the customer (and the agent's other windows).

        ``sender``, the sending socket, learns the seq from the ack, not an echo.
        """
        try:
            stored = await self.relay.post(msg.conversation_id, "agent", msg.text, msg.id,
                                           agent_name=agent.display_name, only_agent=agent.id,
                                           skip=sender)
        except NotFound:
            await self._mine(agent, msg.conversation_id)  # says precisely why
            raise ClientError("forbidden", "This conversation is not assigned to you.") from None
        return {"ok": True, "seq": stored.message["seq"]}

    async def typing(self, agent: Agent, conversation_id: str, typing: bool) -> dict[str, Any]:
        """Show the customer that the agent is (or stopped) typing."""
        await self._mine(agent, conversation_id)
        await self.sio.emit("typing", {"from": "agent", "typing": typing,
                                       "agent_name": agent.display_name},
                            to=room(conversation_id), namespace=CUSTOMER)
        return {"ok": True}

    async def close(self, agent: Agent, conversation_id: str, next_steps: str) -> dict[str, Any]:
        """Close a conversation, sending the customer the next steps as a recap."""
        await self._mine(agent, conversation_id)
        await self.relay.post(conversation_id, "system", RECAP_TEXT.format(steps=next_steps),
                              agent_name=agent.display_name)
        await self._release(agent, conversation_id, State.CLOSED,
                            {"outcome": "closed", "next_steps": next_steps})
        log.info("agent %s closed conversation %s", agent.username, conversation_id)
        return {"ok": True}

    async def handback(self, agent: Agent, conversation_id: str, note: str | None) -> dict[str, Any]:
        """Give the conversation back to the bot, which carries on knowing a person helped."""
        await self._mine(agent, conversation_id)
        await self.relay.post(conversation_id, "system", HANDBACK_TEXT.format(name=agent.display_name),
                              agent_name=agent.display_name)
        await self._release(agent, conversation_id, State.BOT,
                            {"outcome": "handback", "handback_note": note})
        self.hub.resume(conversation_id, HANDBACK_PAYLOAD + json.dumps(
            {"agent_name": agent.display_name, "handback_note": note or ""}))
        log.info("agent %s handed conversation %s back to the bot", agent.username, conversation_id)
        return {"ok": True}

    async def _release(self, agent: Agent, conversation_id: str, to_state: State,
                       episode: dict[str, Any]) -> None:
        now = self.relay.clock()
        if not await self.storage.move(conversation_id, [State.AGENT], to_state, now,
                                       fields={"agent_id": None, "agent_name": None},
                                       episode={"ended_at": now, **episode}):
            raise ClientError("forbidden", "This conversation is not assigned to you.")
        await self.relay.status(conversation_id, to_state)
        for sid in self._agent_sids(agent.id):
            await self.sio.leave_room(sid, room(conversation_id), namespace=AGENT)

    async def followup_done(self, agent: Agent, followup_id: int) -> dict[str, Any]:
        """Mark a follow-up done, for every agent's list."""
        if not await self.storage.complete_followup(followup_id, self.relay.clock(),
                                                    agent.display_name):
            raise ClientError("unknown_followup", "That follow-up is done already or does not exist.")
        await self.relay.followups_changed()
        return {"ok": True}
