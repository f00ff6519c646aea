"""Bad input gets a clear error in the ack, never a crash or a silent drop."""

from __future__ import annotations

import uuid

import aiohttp
import pytest
import socketio
from aiohttp.test_utils import TestServer

from tests.support import AgentClient, Customer, base_url, make_agent


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"id": "m1", "text": ""}, "empty"),
        ({"id": "m1", "text": "   "}, "empty"),
        ({"id": "m1", "text": "x" * 4001}, "too_long"),
        ({"text": "no id"}, "invalid"),
        ("just a string", "invalid"),
        (None, "invalid"),
        ({"id": "m1", "text": ["a"]}, "invalid"),
    ],
)
async def test_customer_bad_messages_are_refused_clearly(
    customer: Customer, payload: object, code: str
) -> None:
    await customer.start()
    ack = await customer.call("message", payload)
    assert ack["ok"] is False
    assert ack["error"] == code
    assert ack["detail"]
    # The connection survives, and the next good message is stored as seq 1.
    assert await customer.say("hello again") == {"ok": True, "seq": 1}


async def test_retry_with_the_same_id_is_stored_and_delivered_once(customer: Customer) -> None:
    await customer.start()
    tab = await customer.another_tab()
    try:
        first = await customer.say("where is my order", msg_id="same-id")
        second = await customer.say("where is my order", msg_id="same-id")
        assert first == second == {"ok": True, "seq": 1}
        await tab.wait_for("message", lambda m: m["from"] == "bot")
        await customer.wait_for("message", lambda m: m["from"] == "bot")
        assert tab.texts("customer") == ["where is my order"]
        # The sending tab has the seq from its ack and is not sent its message again.
        assert customer.texts("customer") == []
    finally:
        await tab.disconnect()


async def test_forged_or_garbage_tokens_start_a_new_conversation(bridge: TestServer) -> None:
    first = Customer(base_url(bridge))
    session = await first.start()
    await first.say("my secret order question")
    await first.disconnect()

    forged = session["conversation_id"] + ".AAAA"
    for token in (forged, "garbage", session["conversation_id"]):
        other = Customer(base_url(bridge))
        new_session = await other.start(token=token, last_seq=0)
        assert new_session["conversation_id"] != session["conversation_id"]
        assert "my secret order question" not in other.texts()
        await other.disconnect()


async def test_agent_cannot_touch_unknown_or_foreign_conversations(
    bridge: TestServer, customer: Customer, agent: AgentClient
) -> None:
    session = await customer.start()
    conversation_id = session["conversation_id"]
    ack = await agent.call("accept", {"conversation_id": "nope"})
    assert ack["error"] == "unknown_conversation"
    # Still with the bot: not in the queue, so no agent can take it or write to it.
    ack = await agent.call("accept", {"conversation_id": conversation_id})
    assert ack["error"] == "unknown_conversation"
    ack = await agent.say(conversation_id, "hello?")
    assert ack["error"] in {"unknown_conversation", "forbidden"}

    await customer.call("request_human", {})
    await agent.queued(conversation_id)
    assert (await agent.call("accept", {"conversation_id": conversation_id}))["ok"] is True

    other = await make_agent(bridge, "li", "Li")
    try:
        assert (await other.say(conversation_id, "I'm not assigned"))["error"] == "forbidden"
        assert (await other.call("close", {"conversation_id": conversation_id,
                                            "next_steps": "x"}))["error"] == "forbidden"
        assert (await other.call("accept", {"conversation_id": conversation_id}))["error"] == "taken"
    finally:
        await other.disconnect()
    assert "I'm not assigned" not in customer.texts()


async def test_agent_namespace_refuses_connections_without_a_valid_token(bridge: TestServer) -> None:
    for auth in (None, {}, {"token": "not-a-token"}, {"token": 42}):
        client = socketio.AsyncClient(reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect(base_url(bridge), namespaces=["/agent"], auth=auth,
                                 transports=["websocket"], wait_timeout=5)
        await client.disconnect()


async def test_login_errors_and_logout_disconnects(bridge: TestServer) -> None:
    url = base_url(bridge)
    async with aiohttp.ClientSession() as http:
        for body in ({"username": "maria", "password": "wrong"}, {"username": "ghost", "password": "x"}):
            async with http.post(f"{url}/api/login", json=body) as response:
                assert response.status == 401
        async with http.post(f"{url}/api/login", data=b"{not json") as response:
            assert response.status == 400
        async with http.post(f"{url}/api/login", json={"username": 5}) as response:
            assert response.status == 400

    agent = await make_agent(bridge, "omar", "Omar")
    assert agent.client.connected
    async with aiohttp.ClientSession() as http, http.post(
        f"{url}/api/logout", headers={"Authorization": f"Bearer {agent.token}"}
    ) as response:
        assert response.status == 200
    for _ in range(50):
        if not agent.client.connected:
            break
        await agent.client.sleep(0.1)
    assert not agent.client.connected
    client = socketio.AsyncClient(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.connect(url, namespaces=["/agent"], auth={"token": agent.token},
                             transports=["websocket"], wait_timeout=5)


async def test_flooding_customer_is_rate_limited_but_keeps_its_conversation(customer: Customer) -> None:
    await customer.start()
    acks = [await customer.say(f"message {i}", msg_id=uuid.uuid4().hex) for i in range(100)]
    refused = [a for a in acks if not a["ok"]]
    assert refused and all(a["error"] == "rate_limited" for a in refused)
    accepted = [a["seq"] for a in acks if a["ok"]]
    assert len(accepted) >= 60
    assert accepted == sorted(accepted)
