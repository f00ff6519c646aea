"""The pure core of the bridge: conversation states, priorities, queue order, ETA.

Nothing here does I/O or reads the clock; callers pass the time in, so every
rule can be tested without sockets or a database.
"""

from __future__ import annotations

import enum
import statistics
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from bot.bridge.errors import InvalidTransition


class State(str, enum.Enum):
    """Where a conversation is: with the bot, waiting, with a person, or done."""

    BOT = "bot"
    QUEUED = "queued"
    AGENT = "agent"
    CLOSED = "closed"


class Event(str, enum.Enum):
    """What can happen to a conversation."""

    HANDOFF = "handoff"
    ACCEPT = "accept"
    HANDBACK = "handback"
    CLOSE = "close"
    REOPEN = "reopen"


_TRANSITIONS: dict[tuple[State, Event], State] = {
    (State.BOT, Event.HANDOFF): State.QUEUED,
    # A customer who writes again after a close is asking for help again.
    (State.CLOSED, Event.HANDOFF): State.QUEUED,
    (State.CLOSED, Event.REOPEN): State.BOT,
    (State.QUEUED, Event.ACCEPT): State.AGENT,
    (State.AGENT, Event.HANDBACK): State.BOT,
    (State.AGENT, Event.CLOSE): State.CLOSED,
}


def transition(state: State, event: Event) -> State:
    """Return the state that ``event`` leads to from ``state``.

    Raises:
        InvalidTransition: The event is not allowed in that state.
    """
    try:
        return _TRANSITIONS[(state, event)]
    except KeyError:
        raise InvalidTransition(state.value, event.value) from None


REASONS = ("distress", "customer_request", "bot_stuck", "bot_unavailable")
CATEGORIES = ("grief", "overwhelm", "loneliness", "crisis")


def priority_for(reason: str, category: str | None) -> int:
    """Rank a handoff: 0 is served first.

    Crisis comes before everything, other distress before explicit requests,
    and a stuck bot last, because the customer did not ask for anyone yet.
    """
    if category == "crisis":
        return 0
    if category in CATEGORIES:
        return 1
    if reason in ("customer_request", "bot_unavailable"):
        return 2
    return 3


@dataclass(frozen=True)
class QueueEntry:
    """A conversation waiting for a person.

    Attributes:
        conversation_id: The conversation.
        priority: From :func:`priority_for`.
        queued_at: When it joined the queue, in seconds since the epoch.
        reason: Why it was handed off.
        category: The distress category, if any.
        headline: One sentence an agent can read in two seconds.
        offer_agent_id: The agent who helped this customer before, offered it first.
        offer_until: Until when only that agent sees it.
    """

    conversation_id: str
    priority: int
    queued_at: float
    reason: str
    category: str | None
    headline: str
    offer_agent_id: int | None = None
    offer_until: float | None = None

    def visible_to(self, agent_id: int, now: float, online: Collection[int]) -> bool:
        """Whether an agent sees this entry now.

        A returning customer is offered to the agent who helped them before,
        for a short while, as long as that agent is online; then to everyone.
        """
        if self.offer_agent_id is None or self.offer_agent_id == agent_id:
            return True
        return self.offer_until is None or now >= self.offer_until \
            or self.offer_agent_id not in online

    def public(self, now: float, agent_id: int | None = None) -> dict[str, object]:
        """Return this entry as the agents' ``queue`` event describes it."""
        return {
            "helped_before": agent_id is not None and agent_id == self.offer_agent_id,
            "conversation_id": self.conversation_id,
            "priority": self.priority,
            "reason": self.reason,
            "category": self.category,
            "headline": self.headline,
            "waiting_seconds": max(0, int(now - self.queued_at)),
        }


def order_queue(entries: Iterable[QueueEntry]) -> list[QueueEntry]:
    """Most urgent first; first come, first served within a priority."""
    return sorted(entries, key=lambda e: (e.priority, e.queued_at, e.conversation_id))


def position_in(ordered: Sequence[QueueEntry], conversation_id: str) -> int | None:
    """One-based place of a conversation in an ordered queue, or None."""
    for index, entry in enumerate(ordered):
        if entry.conversation_id == conversation_id:
            return index + 1
    return None


#: Assumed handling time before any conversation has been handled.
DEFAULT_HANDLE_SECONDS = 300.0


def estimate_wait(position: int, recent_handle_seconds: Sequence[float], agents_online: int) -> int:
    """An honest estimate of the wait, in whole seconds.

    Each online agent frees a slot roughly every median handling time, so the
    customer in ``position`` waits about ``position / agents`` handling times.
    With no agent online the estimate is still based on one agent, and the
    caller says plainly that nobody is online.
    """
    typical = (
        statistics.median(recent_handle_seconds) if recent_handle_seconds else DEFAULT_HANDLE_SECONDS
    )
    return int(round(typical * position / max(1, agents_online)))


class RateLimiter:
    """A token bucket: ``capacity`` events, refilled evenly over ``period`` seconds."""

    def __init__(self, capacity: int, period: float, now: float) -> None:
        self.capacity = float(capacity)
        self.rate = capacity / period
        self.tokens = float(capacity)
        self.updated = now

    def allow(self, now: float) -> bool:
        """Take one token if there is one; return whether the event may go ahead."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False
