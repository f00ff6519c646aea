"""The agents' ``queue`` event lists the first entries in serving order and counts them all."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import socketio

from bot.bridge.core import QueueEntry, order_queue
from bot.bridge.hours import Hours
from bot.bridge.relay import QUEUE_SHOWN, Relay
from bot.bridge.storage import Storage


def _relay(tmp_path: Path) -> Relay:
    return Relay(socketio.AsyncServer(async_mode="aiohttp"), Storage(f"sqlite:///{tmp_path / 'c.db'}"),
                 Hours.always(), dt.timezone.utc, clock=lambda: 1000.0)


def test_a_long_queue_sends_its_first_entries_in_serving_order_and_the_total(tmp_path: Path) -> None:
    waiting = [QueueEntry(f"c{i:04d}", 2, float(i), "customer_request", None, f"h{i}") for i in range(2000)]
    waiting.append(QueueEntry("crisis", 0, 999.0, "distress", "crisis", "urgent"))

    event = _relay(tmp_path).queue_event(order_queue(waiting), agent_id=1)

    assert event["total"] == 2001
    shown = [e["conversation_id"] for e in event["conversations"]]
    assert shown == ["crisis"] + [f"c{i:04d}" for i in range(QUEUE_SHOWN - 1)]


async def test_the_total_counts_only_what_this_agent_may_see(tmp_path: Path) -> None:
    # A returning customer is offered for a while only to agent 2, who helped before and is online.
    relay = _relay(tmp_path)
    offered = QueueEntry("back", 2, 1.0, "customer_request", None, "h", offer_agent_id=2,
                         offer_until=2000.0)
    await relay.shared.add(2, "sid-2")
    ordered = order_queue([offered, QueueEntry("new", 2, 2.0, "customer_request", None, "h")])

    assert relay.queue_event(ordered, agent_id=1)["total"] == 1
    mine = relay.queue_event(ordered, agent_id=2)
    assert mine["total"] == 2 and mine["conversations"][0]["helped_before"] is True
