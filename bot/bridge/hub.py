"""The customer's side of a conversation: sessions, messages, bot turns and handoffs.

Bot turns of one conversation run one at a time, in the order the messages
were stored, on a per-conversation worker; different conversations run
concurrently.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from bot.bridge import security
from bot.bridge.core import Event, State, priority_for, transition
from bot.bridge.errors import ClientError, NotFound, RasaUnavailable
from bot.bridge.protocol import CustomerMessage
from bot.bridge.rasa_client import BotReply, RasaClient
from bot.bridge.relay import AGENT, CUSTOMER, Relay, room
from bot.bridge.summary import build_summary

log = logging.getLogger(__name__)

#: The payload of every "Talk to a person" button.
HUMAN_PAYLOAD = "/request_human"

#: How far back, after a restart, unanswered customer turns are still answered.
REDRIVE_SECONDS = 600.0

#: A handoff should not wait long on a slow assistant for its summary.
HANDOFF_TIMEOUT = 3.0

BOT_DOWN_TEXT = (
    "I'm sorry, I'm having trouble answering right now. "
    "I can bring in a person from our team instead."
)
HANDOFF_TEXT = "I'm bringing in a person from our team. They'll see our conversation, " \
    "so you won't need to repeat yourself."
NOBODY_ONLINE_TEXT = (
    "To be honest with you: nobody from our team is online at this moment. "
    "You're in line, and the first person back will see everything you've written here. "
    "You can leave a message or a number to call you back, and I'm still here for anything I can do."
)
CLOSED_TEXT = (
    "Our team is away right now; we're back {opens}. You're in line, and they'll see everything "
    "you've written here. You can leave a message or a number to call you back, "
    "and I'm still here for anything I can do."
)
CRISIS_ALONE_TEXT = (
    "I'm staying right here with you, and I've flagged this as urgent for our team. "
    "Please use the numbers above now: they can talk with you straight away."
)
LEFT_MESSAGE_TEXT = "Thank you. Your message is with our team, and someone will get back to you{how}."
TALK_BUTTON = {"title": "Talk to a person", "payload": HUMAN_PAYLOAD}


@dataclass(frozen=True)
class Session:
    """A customer's connection to one conversation."""

    conversation_id: str
    token: str
    state: State
    replay: list[dict[str, Any]]
    crisis: list[dict[str, str]] | None = None
    #: The conversation's newest seq when the session opened.
    last_seq: int = 0


@dataclass(frozen=True)
class _Turn:
    text: str
    handoff: bool
    done: asyncio.Future[None]
    #: The conversation's state as the customer's message was stored, when no
    #: turn before this one can have changed it since; None: read it again.
    state: State | None = None


class Hub:
    """Runs the customer's side of every conversation.

    Args:
        relay: Delivery of messages and statuses.
        rasa: The assistant.
        secret: Key that signs customer tokens.
        offer_seconds: How long a returning customer waits for the agent who helped before.
    """

    def __init__(self, relay: Relay, rasa: RasaClient, secret: str, offer_seconds: int) -> None:
        self.relay = relay
        self.offer_seconds = offer_seconds
        self.storage = relay.storage
        self.rasa = rasa
        self.secret = secret
        self._turns: dict[str, asyncio.Queue[_Turn]] = {}
        self._workers: set[asyncio.Task[None]] = set()

    async def open(self, token: str | None, last_seq: int | None) -> Session:
        """Resume the conversation a token belongs to, or start a new one."""
        conversation_id = security.conversation_of(self.secret, token) if token else None
        conversation = await self.storage.conversation(conversation_id) if conversation_id else None
        if conversation is None:
            conversation_id = security.new_conversation_id()
            await self.storage.create_conversation(conversation_id, self.relay.clock())
            log.info("conversation %s started", conversation_id)
            return Session(conversation_id, security.customer_token(self.secret, conversation_id),
                           State.BOT, [])
        replay = await self.storage.messages_after(conversation.id, last_seq or 0)
        return Session(conversation.id, security.customer_token(self.secret, conversation.id),
                       conversation.state, replay, conversation.crisis,
                       max([conversation.last_seq, *(m["seq"] for m in replay)]))

    async def message(self, conversation_id: str, msg: CustomerMessage,
                      title: str | None = None, sender: str | None = None) -> dict[str, Any]:
        """Store a customer's message, then let the bot answer if the bot has the conversation.

        Args:
            conversation_id: The customer's conversation.
            msg: The message as the customer sent it.
            title: What a button's payload is shown as.
            sender: The sending socket, which learns the seq from the ack, not an echo.
        """
        shown = (title or msg.text) if msg.is_payload else msg.text
        try:
            stored = await self.relay.post(conversation_id, "customer", shown, msg.id,
                                           skip=sender)
        except NotFound:
            raise ClientError("unknown_conversation", "This conversation no longer exists.") from None
        state = stored.state
        if state is State.CLOSED:
            # Writing again after a close opens the conversation with the bot again.
            await self._move(conversation_id, State.CLOSED, Event.REOPEN)
        if not stored.duplicate:
            if msg.is_payload and msg.text == HUMAN_PAYLOAD:
                self._schedule(conversation_id, HUMAN_PAYLOAD, handoff=True)
            elif state in (State.BOT, State.CLOSED) or (
                    state is State.QUEUED and not self._someone_can_answer()):
                # While nobody can answer, the bot keeps helping rather than leave a silence.
                # The append said the state; the turn need not read it again.
                self._schedule(conversation_id, msg.text, handoff=False,
                               state=State.BOT if state is State.BOT else None)
        return {"ok": True, "seq": stored.message["seq"]}

    def _someone_can_answer(self) -> bool:
        return bool(self.relay.available()) and self.relay.desk_open()

    async def leave_message(self, conversation_id: str, client_id: str, text: str,
                            callback: str | None) -> dict[str, Any]:
        """Put a message or a callback request on the follow-up list."""
        now = self.relay.clock()
        kind = "callback" if callback else "message"
        if await self.storage.add_followup(conversation_id, kind, text, now, callback=callback,
                                           client_id=client_id):
            await self.relay.post(conversation_id, "customer", text, f"followup-{client_id}")
            how = f" on {callback}" if callback else " here"
            await self.relay.post(conversation_id, "system", LEFT_MESSAGE_TEXT.format(how=how))
            await self.relay.followups_changed()
        return {"ok": True}

    async def request_human(self, conversation_id: str) -> dict[str, Any]:
        """Hand the conversation to a person; works in every state."""
        conversation = await self.storage.conversation(conversation_id)
        if conversation is None:
            raise ClientError("unknown_conversation", "This conversation no longer exists.")
        if conversation.state in (State.BOT, State.CLOSED):
            await self._schedule(conversation_id, HUMAN_PAYLOAD, handoff=True)
            conversation = await self.storage.conversation(conversation_id)
        state = conversation.state if conversation else State.BOT
        return {"ok": True, "state": state.value}

    async def _move(self, conversation_id: str, state: State, event: Event) -> bool:
        target = transition(state, event)
        moved = await self.storage.move(conversation_id, [state], target, self.relay.clock())
        if moved:
            await self.relay.status(conversation_id, target)
        return moved

    async def typing(self, conversation_id: str, typing: bool) -> dict[str, Any]:
        """Tell the assigned agent that the customer is (or stopped) typing."""
        await self.relay.sio.emit("typing", {"conversation_id": conversation_id, "typing": typing},
                                  to=room(conversation_id), namespace=AGENT)
        return {"ok": True}

    async def feedback(self, conversation_id: str, felt_heard: bool) -> dict[str, Any]:
        """Keep the customer's answer to "Did you feel heard?" with the last handoff."""
        conversation = await self.storage.conversation(conversation_id)
        if conversation is None or conversation.episode_id is None:
            raise ClientError("not_closed", "There is no finished conversation with a person to rate.")
        await self.storage.update_episode(conversation.episode_id, felt_heard=felt_heard)
        return {"ok": True}

    async def redrive(self, window: float = REDRIVE_SECONDS, settle: float = 0.0) -> int:
        """Answer the turns a previous run stored but never answered (e.g. it was restarted).

        Args:
            window: How far back to look, in seconds.
            settle: Leave alone turns younger than this: with several bridge
                processes, another one may be answering them right now.

        Returns:
            How many turns were handed to the bot again.
        """
        now = self.relay.clock()
        pending = await self.storage.unanswered(now - window, now - settle if settle else None)
        for conversation_id, text in pending:
            self._schedule(conversation_id, text, handoff=False)
        if pending:
            log.info("answering %d turn(s) left unanswered by the last run", len(pending))
        return len(pending)

    def resume(self, conversation_id: str, payload: str) -> None:
        """Let the bot take the conversation up again (after a hand-back) with ``payload``."""
        self._schedule(conversation_id, payload, handoff=False)

    # Bot turns -------------------------------------------------------------

    def _schedule(self, conversation_id: str, text: str, handoff: bool,
                  state: State | None = None) -> asyncio.Future[None]:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue = self._turns.get(conversation_id)
        if queue is None:
            queue = self._turns[conversation_id] = asyncio.Queue()
            task = asyncio.create_task(self._work(conversation_id, queue))
            self._workers.add(task)
            task.add_done_callback(self._workers.discard)
        else:
            state = None  # a turn before this one may change the state (e.g. hand off)
        queue.put_nowait(_Turn(text, handoff, done, state))
        return done

    async def _work(self, conversation_id: str, queue: asyncio.Queue[_Turn]) -> None:
        try:
            while not queue.empty():
                turn = queue.get_nowait()
                try:
                    await self._run(conversation_id, turn)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("bot turn failed in conversation %s", conversation_id)
                finally:
                    if not turn.done.done():
                        turn.done.set_result(None)
        finally:
            # No await since the last empty() check, so no turn can slip in unseen.
            if self._turns.get(conversation_id) is queue:
                del self._turns[conversation_id]

    async def _run(self, conversation_id: str, turn: _Turn) -> None:
        state = turn.state
        if state is None:
            conversation = await self.storage.conversation(conversation_id)
            if conversation is None:
                return
            state = conversation.state
        if state is State.AGENT:
            return
        if state is State.QUEUED and self._someone_can_answer():
            return  # a person is about to take over; the bot steps back
        # "The bot is typing" goes out while Rasa works (the request does not wait
        # for it), and "stopped" after the bot's messages, which the widget shows in
        # its place: neither adds a pass of the event loop to the turn.
        shown = asyncio.ensure_future(self._bot_typing(conversation_id, True))
        reply: BotReply | None = None
        try:
            try:
                reply = await self.rasa.send(
                    conversation_id, turn.text,
                    timeout=min(HANDOFF_TIMEOUT, self.rasa.timeout) if turn.handoff else None,
                )
            except RasaUnavailable:
                reply = None
            await shown
            if reply is not None:
                if reply.crisis is not None:
                    await self.crisis(conversation_id, reply.crisis)
                for text, buttons in reply.messages:
                    await self.relay.post(conversation_id, "bot", text, buttons=buttons)
        finally:
            await shown
            await self._bot_typing(conversation_id, False)
        if reply is not None and reply.handoff is not None:
            await self.handoff(conversation_id, "customer_request", reply.handoff)
            return
        if turn.handoff:
            if reply is None:
                await self.relay.post(conversation_id, "system", HANDOFF_TEXT)
            await self.handoff(conversation_id,
                               "customer_request" if reply else "bot_unavailable", None)
        elif reply is None:
            await self.relay.post(conversation_id, "system", BOT_DOWN_TEXT, buttons=[TALK_BUTTON])

    async def _bot_typing(self, conversation_id: str, typing: bool) -> None:
        await self.relay.sio.emit("typing", {"from": "bot", "typing": typing, "agent_name": None},
                                  to=room(conversation_id), namespace=CUSTOMER)

    async def handoff(self, conversation_id: str, reason: str,
                      from_bot: dict[str, Any] | None) -> bool:
        """Put a conversation in the queue with a complete summary.

        Returns:
            Whether it was queued now (False if it already was, or is with a person).
        """
        conversation = await self.storage.conversation(conversation_id)
        if conversation is None:
            return False
        transcript = await self.storage.messages_after(conversation_id)
        summary = build_summary(reason, transcript, from_bot)
        now = self.relay.clock()
        offer_to = conversation.last_agent_id \
            if conversation.last_agent_id in self.relay.available() else None
        moved = await self.storage.move(
            conversation_id, [State.BOT, State.CLOSED], State.QUEUED, now,
            fields={
                "priority": priority_for(summary["reason"], summary["category"]),
                "reason": summary["reason"], "category": summary["category"],
                "headline": summary["headline"], "summary": summary, "queued_at": now,
                "agent_id": None, "agent_name": None, "offer_agent_id": offer_to,
                "offer_until": now + self.offer_seconds if offer_to else None,
            },
            new_episode={"reason": summary["reason"], "category": summary["category"],
                         "headline": summary["headline"], "summary": summary, "queued_at": now},
        )
        if not moved:
            return False
        log.info("conversation %s queued (%s, %s)", conversation_id, summary["reason"],
                 summary["category"])
        await self.relay.queue_changed()
        if not self._someone_can_answer():
            opens = self.relay.opens()
            await self.relay.post(conversation_id, "system",
                                  CLOSED_TEXT.format(opens=opens) if opens else NOBODY_ONLINE_TEXT)
            if summary["category"] == "crisis":
                await self.storage.add_followup(
                    conversation_id, "crisis", summary["cue"] or summary["headline"], now,
                    urgent=True, client_id="crisis")
                await self.relay.post(conversation_id, "system", CRISIS_ALONE_TEXT)
                await self.relay.followups_changed()
        return True

    async def crisis(self, conversation_id: str, resources: list[dict[str, str]]) -> None:
        """Keep crisis resources on the customer's screen, from now on and after every reload."""
        await self.storage.set_fields(conversation_id, crisis=resources)
        await self.relay.sio.emit("crisis", {"resources": resources},
                                  to=room(conversation_id), namespace=CUSTOMER)

    async def stop(self, grace: float = 5.0) -> None:
        """On shutdown: let the bot turns in flight finish for ``grace`` seconds, then cancel them.

        Stopping a turn in the middle of a database statement would leave a
        connection behind; anything cut off is answered after the restart.
        """
        if self._workers:
            await asyncio.wait(set(self._workers), timeout=grace)
        for task in list(self._workers):
            task.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
