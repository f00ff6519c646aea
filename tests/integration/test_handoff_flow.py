"""The walking skeleton over real sockets: customer, bot (real Rasa), queue, agent, close."""

from __future__ import annotations

from aiohttp.test_utils import TestServer

from tests.support import AgentClient, Customer


async def test_hello_then_person_then_agent_then_close(
    bridge: TestServer, customer: Customer, agent: AgentClient
) -> None:
    session = await customer.start()
    conversation_id = session["conversation_id"]
    assert session["state"] == "bot"
    assert len(conversation_id) == 32

    ack = await customer.say("hello")
    assert ack == {"ok": True, "seq": 1}
    greeting = await customer.wait_for("message", lambda m: m["from"] == "bot")
    assert greeting["seq"] == 2
    assert greeting["text"]

    asked = await customer.say("I want to talk to a person")
    assert asked["ok"] is True
    entry = await agent.queued(conversation_id)
    assert entry["reason"] == "customer_request"
    assert entry["headline"]
    await customer.wait_for("status", lambda s: s["state"] == "queued" and s["position"] == 1)

    accepted = await agent.call("accept", {"conversation_id": conversation_id})
    assert accepted["ok"] is True
    assert accepted["summary"]["reason"] == "customer_request"
    assert accepted["summary"]["headline"]
    assert [m["text"] for m in accepted["transcript"]][:2] == ["hello", greeting["text"]]
    joining = await customer.wait_for("message", lambda m: m["from"] == "system"
                                      and "Maria is joining" in m["text"])
    assert "won't need to repeat yourself" in joining["text"]
    await customer.wait_for("status", lambda s: s["state"] == "agent" and s["agent_name"] == "Maria")

    a1 = await agent.say(conversation_id, "Hi, I'm Maria. I can see your order question.")
    c1 = await customer.say("Thank you, Maria")
    a2 = await agent.say(conversation_id, "It ships tomorrow.")
    assert a1["ok"] and c1["ok"] and a2["ok"]
    assert a1["seq"] < c1["seq"] < a2["seq"]
    from_agent = await customer.wait_for("message", lambda m: m["seq"] == a2["seq"])
    assert from_agent["from"] == "agent" and from_agent["agent_name"] == "Maria"
    at_agent = await agent.wait_for("message", lambda m: m["seq"] == c1["seq"])
    assert at_agent["conversation_id"] == conversation_id
    assert at_agent["text"] == "Thank you, Maria"

    closed = await agent.call("close", {"conversation_id": conversation_id,
                                        "next_steps": "Your order ships tomorrow by courier."})
    assert closed == {"ok": True}
    recap = await customer.wait_for("message", lambda m: m["text"].startswith("Here's what happens next"))
    assert "ships tomorrow by courier" in recap["text"]
    await customer.wait_for("status", lambda s: s["state"] == "closed")

    # Everything else arrived once, in order; the customer's own messages came as acks.
    seqs = [m["seq"] for m in customer.of("message")]
    assert seqs == sorted(set(seqs))
    assert sorted(seqs + [ack["seq"], asked["seq"], c1["seq"]]) == list(range(1, len(seqs) + 4))


async def test_typing_indicators_both_ways_and_from_the_bot(
    bridge: TestServer, customer: Customer, agent: AgentClient
) -> None:
    session = await customer.start()
    cid = session["conversation_id"]
    await customer.say("hello")
    await customer.wait_for("typing", lambda t: t["from"] == "bot" and t["typing"] is True)
    await customer.wait_for("typing", lambda t: t["from"] == "bot" and t["typing"] is False)

    # Before accepting, the agent may not signal typing into the conversation.
    assert (await agent.call("typing", {"conversation_id": cid, "typing": True}))["ok"] is False
    await customer.call("request_human", {})
    await agent.queued(cid)
    await agent.call("accept", {"conversation_id": cid})
    assert (await agent.call("typing", {"conversation_id": cid, "typing": True}))["ok"]
    shown = await customer.wait_for("typing", lambda t: t["from"] == "agent")
    assert shown == {"from": "agent", "typing": True, "agent_name": "Maria"}
    assert (await customer.call("typing", {"typing": True}))["ok"]
    assert await agent.wait_for("typing") == {"conversation_id": cid, "typing": True}
    assert (await customer.call("typing", {"typing": "yes"}))["error"] == "invalid"
