"""Two bridge processes behave as one: rooms, queue, presence and assignment are shared."""

from __future__ import annotations

import asyncio

from tests.cluster.conftest import Running, texts


async def test_customer_on_one_bridge_and_agent_on_the_other_talk_both_ways(up: Running) -> None:
    agent = await up.agent(up.bridge(2), "Noor")
    customer = await up.customer_on(1)
    try:
        session = await customer.wait_for("session")
        conversation_id = session["conversation_id"]
        # Presence is shared: bridge 1 knows that an agent (on bridge 2) can answer.
        await customer.call("request_human", {})
        status = await customer.wait_for("status", lambda s: s["state"] == "queued")
        assert status["agents_available"] is True
        entry = await agent.queued(conversation_id)
        assert entry["reason"] == "customer_request"

        accepted = await agent.call("accept", {"conversation_id": conversation_id})
        assert accepted["ok"] is True
        await customer.wait_for("status", lambda s: s["state"] == "agent" and s["agent_name"] == "Noor")

        assert (await customer.say("my router keeps dropping"))["ok"] is True
        await agent.wait_for("message", lambda m: m["text"] == "my router keeps dropping")
        assert (await agent.say(conversation_id, "I'll reset it from here"))["ok"] is True
        await customer.wait_for("message", lambda m: m["text"] == "I'll reset it from here")
        assert texts(agent.of("message"), "customer").count("my router keeps dropping") == 1
        assert texts(customer.of("message"), "agent") == ["I'll reset it from here"]
    finally:
        await customer.disconnect()
        await agent.disconnect()


async def test_two_agents_on_different_bridges_accept_at_once_and_exactly_one_wins(up: Running) -> None:
    first = await up.agent(up.bridge(1), "Ana")
    second = await up.agent(up.bridge(2), "Ben")
    customers = []
    try:
        for _ in range(5):
            customer = await up.customer_on(1)
            customers.append(customer)
            conversation_id = (await customer.wait_for("session"))["conversation_id"]
            await customer.call("request_human", {})
            await first.queued(conversation_id)
            await second.queued(conversation_id)

            acks = await asyncio.gather(
                first.call("accept", {"conversation_id": conversation_id}),
                second.call("accept", {"conversation_id": conversation_id}))
            winners = [a for a in acks if a.get("ok") is True]
            losers = [a for a in acks if a.get("ok") is not True]
            assert len(winners) == 1, acks
            assert losers[0]["error"] == "taken", acks
            winner = "Ana" if acks[0].get("ok") else "Ben"
            status = await customer.wait_for("status", lambda s: s["state"] == "agent")
            assert status["agent_name"] == winner
            # Room membership follows the winner only, across processes.
            other = second if winner == "Ana" else first
            mine = first if winner == "Ana" else second
            await customer.say("thanks")
            await mine.wait_for("message", lambda m, c=conversation_id: m["text"] == "thanks"
                                and m["conversation_id"] == c)
            await asyncio.sleep(0.5)
            assert not [m for m in other.of("message") if m["conversation_id"] == conversation_id
                        and m["text"] == "thanks"]
            await mine.call("close", {"conversation_id": conversation_id, "next_steps": "All done."})
    finally:
        for customer in customers:
            await customer.disconnect()
        await first.disconnect()
        await second.disconnect()
