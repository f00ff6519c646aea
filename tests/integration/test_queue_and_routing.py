"""Queue order, positions, the accept race, returning customers, presence and capacity."""

from __future__ import annotations

import asyncio

from aiohttp.test_utils import TestServer

from bot.bridge.keys import HUB
from tests.support import AgentClient, Customer, base_url, make_agent


async def _queued(server: TestServer, reason: str, category: str | None) -> Customer:
    customer = Customer(base_url(server))
    session = await customer.start()
    await server.app[HUB].handoff(session["conversation_id"], reason,
                                  {"reason": reason, "category": category,
                                   "cue": "I can't go on" if category == "crisis" else None})
    customer.conversation_id = session["conversation_id"]  # type: ignore[attr-defined]
    return customer


async def test_priority_order_and_positions_follow_every_change(
    bridge: TestServer, agent: AgentClient
) -> None:
    stuck = await _queued(bridge, "bot_stuck", None)
    asked = await _queued(bridge, "customer_request", None)
    grief = await _queued(bridge, "distress", "grief")
    crisis = await _queued(bridge, "distress", "crisis")
    customers = [stuck, asked, grief, crisis]
    try:
        ids = [c.conversation_id for c in customers]  # type: ignore[attr-defined]
        queue = await agent.wait_for("queue", lambda q: len(q["conversations"]) == 4)
        assert [e["conversation_id"] for e in queue["conversations"]] == [ids[3], ids[2], ids[1], ids[0]]
        assert [e["category"] for e in queue["conversations"]] == ["crisis", "grief", None, None]
        await stuck.wait_for("status", lambda s: s["state"] == "queued" and s["position"] == 4)
        await crisis.wait_for("status", lambda s: s["state"] == "queued" and s["position"] == 1)

        assert (await agent.call("accept", {"conversation_id": ids[3]}))["ok"]
        # Everyone behind moves up, and is told so.
        await stuck.wait_for("status", lambda s: s["position"] == 3)
        await asked.wait_for("status", lambda s: s["position"] == 2)
        status = await grief.wait_for("status", lambda s: s["position"] == 1)
        assert status["eta_seconds"] > 0 and status["agents_available"] is True
    finally:
        for customer in customers:
            await customer.disconnect()


async def test_two_agents_accepting_at_once_exactly_one_wins(bridge: TestServer) -> None:
    first = await make_agent(bridge, "ada", "Ada")
    second = await make_agent(bridge, "ben", "Ben")
    try:
        for _ in range(5):
            customer = await _queued(bridge, "customer_request", None)
            cid = customer.conversation_id  # type: ignore[attr-defined]
            await first.queued(cid)
            await second.queued(cid)
            results = await asyncio.gather(first.call("accept", {"conversation_id": cid}),
                                           second.call("accept", {"conversation_id": cid}))
            assert sorted(r["ok"] for r in results) == [False, True]
            loser = next(r for r in results if not r["ok"])
            assert loser["error"] == "taken"
            joined = await customer.wait_for("message", lambda m: "is joining" in m["text"])
            assert sum("is joining" in t for t in customer.texts()) == 1
            winner = (first, second)[[r["ok"] for r in results].index(True)]
            await winner.call("close", {"conversation_id": cid, "next_steps": "Done."})
            assert joined["agent_name"] in ("Ada", "Ben")
            await customer.disconnect()
    finally:
        await first.disconnect()
        await second.disconnect()


async def test_returning_customer_is_offered_to_the_agent_who_helped(bridge: TestServer) -> None:
    maria = await make_agent(bridge, "maria2", "Maria")
    tom = await make_agent(bridge, "tom", "Tom")
    customer = Customer(base_url(bridge))
    try:
        session = await customer.start()
        cid = session["conversation_id"]
        await bridge.app[HUB].handoff(cid, "customer_request",
                                      {"headline": "Order A1001 is late."})
        assert (await maria.call("accept", {"conversation_id": cid}))["ok"]
        await maria.call("close", {"conversation_id": cid, "next_steps": "Courier calls tomorrow."})
        await customer.disconnect()

        # The customer comes back later with the same token and asks again.
        customer = Customer(base_url(bridge))
        again = await customer.start(token=session["token"])
        assert again["conversation_id"] == cid
        assert "Here's what happens next: Courier calls tomorrow." in customer.texts()
        mark = maria.mark()
        await customer.call("request_human", {})

        entry = await maria.queued(cid, since=mark)
        assert entry["helped_before"] is True
        await asyncio.sleep(0.5)
        tom_view = tom.of("queue")[-1]["conversations"]
        assert all(e["conversation_id"] != cid for e in tom_view)

        accepted = await maria.call("accept", {"conversation_id": cid})
        assert accepted["ok"]
        assert len(accepted["summary"]["history"]) == 1
        line = accepted["summary"]["history"][0]
        assert "Maria" in line and "Order A1001 is late." in line and "Courier calls tomorrow." in line
    finally:
        await customer.disconnect()
        await maria.disconnect()
        await tom.disconnect()


async def test_offer_runs_out_when_the_agent_goes_away(bridge: TestServer) -> None:
    maria = await make_agent(bridge, "maria3", "Maria")
    tom = await make_agent(bridge, "tom3", "Tom")
    customer = Customer(base_url(bridge))
    try:
        cid = (await customer.start())["conversation_id"]
        await bridge.app[HUB].handoff(cid, "customer_request", None)
        await maria.call("accept", {"conversation_id": cid})
        await maria.call("close", {"conversation_id": cid, "next_steps": "Done."})
        mark_maria, mark_tom = maria.mark(), tom.mark()
        await customer.call("request_human", {})
        assert (await maria.queued(cid, since=mark_maria))["helped_before"] is True
        await asyncio.sleep(0.3)
        assert not any(e["conversation_id"] == cid for name, q in tom.events[mark_tom:]
                       if name == "queue" for e in q["conversations"])
        mark_tom = tom.mark()
        assert (await maria.call("presence", {"status": "away"}))["status"] == "away"
        # Maria stepped away: everyone else sees the customer at once.
        await tom.queued(cid, since=mark_tom)
    finally:
        await customer.disconnect()
        await maria.disconnect()
        await tom.disconnect()


async def test_agent_capacity_is_enforced(bridge: TestServer, agent: AgentClient) -> None:
    customers = [await _queued(bridge, "customer_request", None) for _ in range(4)]
    try:
        results = [await agent.call("accept", {"conversation_id": c.conversation_id})  # type: ignore[attr-defined]
                   for c in customers]
        assert [r["ok"] for r in results] == [True, True, True, False]
        assert results[3]["error"] == "at_capacity"
    finally:
        for customer in customers:
            await customer.disconnect()
