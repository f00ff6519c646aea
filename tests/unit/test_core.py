import pytest

from bot.bridge.core import (
    DEFAULT_HANDLE_SECONDS,
    Event,
    QueueEntry,
    RateLimiter,
    State,
    estimate_wait,
    order_queue,
    position_in,
    priority_for,
    transition,
)
from bot.bridge.errors import InvalidTransition


@pytest.mark.parametrize(
    ("state", "event", "expected"),
    [
        (State.BOT, Event.HANDOFF, State.QUEUED),
        (State.QUEUED, Event.ACCEPT, State.AGENT),
        (State.AGENT, Event.CLOSE, State.CLOSED),
        (State.AGENT, Event.HANDBACK, State.BOT),
        (State.CLOSED, Event.REOPEN, State.BOT),
        (State.CLOSED, Event.HANDOFF, State.QUEUED),
    ],
)
def test_allowed_transitions(state: State, event: Event, expected: State) -> None:
    assert transition(state, event) is expected


@pytest.mark.parametrize(
    ("state", "event"),
    [
        (State.BOT, Event.ACCEPT),
        (State.BOT, Event.CLOSE),
        (State.QUEUED, Event.HANDOFF),
        (State.QUEUED, Event.CLOSE),
        (State.AGENT, Event.ACCEPT),
        (State.AGENT, Event.HANDOFF),
        (State.CLOSED, Event.ACCEPT),
        (State.CLOSED, Event.CLOSE),
    ],
)
def test_forbidden_transitions_raise(state: State, event: Event) -> None:
    with pytest.raises(InvalidTransition) as info:
        transition(state, event)
    assert info.value.state == state.value
    assert info.value.event == event.value


def test_priorities_put_crisis_first_and_stuck_bot_last() -> None:
    crisis = priority_for("distress", "crisis")
    grief = priority_for("distress", "grief")
    asked = priority_for("customer_request", None)
    unavailable = priority_for("bot_unavailable", None)
    stuck = priority_for("bot_stuck", None)
    assert crisis < grief < asked < stuck
    assert asked == unavailable
    # A grieving customer who also asked for a person ranks as grieving.
    assert priority_for("customer_request", "loneliness") == grief


def _entry(cid: str, priority: int, queued_at: float) -> QueueEntry:
    return QueueEntry(cid, priority, queued_at, "customer_request", None, "h")


def test_queue_orders_by_priority_then_arrival() -> None:
    entries = [_entry("late-ask", 2, 30.0), _entry("crisis", 0, 50.0),
               _entry("early-ask", 2, 10.0), _entry("stuck", 3, 1.0)]
    ordered = order_queue(entries)
    assert [e.conversation_id for e in ordered] == ["crisis", "early-ask", "late-ask", "stuck"]
    assert position_in(ordered, "late-ask") == 3
    assert position_in(ordered, "nobody") is None


def test_queue_entry_public_view_counts_waiting_time() -> None:
    view = _entry("c1", 2, 100.0).public(now=161.9)
    assert view == {"conversation_id": "c1", "priority": 2, "reason": "customer_request",
                    "category": None, "headline": "h", "waiting_seconds": 61,
                    "helped_before": False}


def test_returning_customer_is_offered_to_their_agent_first() -> None:
    entry = QueueEntry("c1", 2, 100.0, "customer_request", None, "h",
                       offer_agent_id=7, offer_until=160.0)
    online = {7, 8}
    assert entry.visible_to(7, 110.0, online)
    assert not entry.visible_to(8, 110.0, online)
    assert entry.visible_to(8, 160.0, online)  # the offer ran out
    assert entry.visible_to(8, 110.0, {8})  # their agent went offline
    assert entry.public(110.0, agent_id=7)["helped_before"] is True
    assert entry.public(110.0, agent_id=8)["helped_before"] is False


def test_eta_uses_median_handling_time_and_agents() -> None:
    assert estimate_wait(1, [], 1) == int(DEFAULT_HANDLE_SECONDS)
    assert estimate_wait(3, [60.0, 120.0, 6000.0], 1) == 360
    assert estimate_wait(4, [100.0], 2) == 200
    # Nobody online: estimate as for one agent rather than dividing by zero.
    assert estimate_wait(2, [100.0], 0) == 200


def test_rate_limiter_allows_bursts_then_refills() -> None:
    limiter = RateLimiter(capacity=3, period=3.0, now=0.0)
    assert [limiter.allow(0.0) for _ in range(4)] == [True, True, True, False]
    assert limiter.allow(0.5) is False
    assert limiter.allow(1.01) is True
    assert limiter.allow(100.0) is True
