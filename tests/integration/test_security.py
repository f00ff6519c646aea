"""Origins, token lifetimes, oversized packets, and logs that never hold what people wrote."""

from __future__ import annotations

import logging
import time
import uuid

import aiohttp
import pytest
import socketio
from aiohttp.test_utils import TestServer

from bot.bridge.keys import HUB, SETTINGS
from tests.support import AgentClient, Customer, base_url, make_agent


async def test_sockets_from_a_foreign_origin_are_refused(bridge: TestServer) -> None:
    client = socketio.AsyncClient(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.connect(base_url(bridge), namespaces=["/customer"],
                             headers={"Origin": "http://evil.example"}, transports=["websocket"],
                             wait_timeout=5)
    await client.disconnect()
    allowed = bridge.app[SETTINGS].allowed_origins[0]
    ok = socketio.AsyncClient(reconnection=False)
    await ok.connect(base_url(bridge), namespaces=["/customer"], headers={"Origin": allowed},
                     transports=["websocket"], wait_timeout=5)
    assert ok.connected
    await ok.disconnect()


async def test_an_expired_agent_token_stops_working_on_the_next_event(
    bridge: TestServer, agent: AgentClient
) -> None:
    assert agent.client.connected
    assert (await agent.call("presence", {"status": "online"}))["ok"]
    # Three hours pass: the token (two hours by default) has expired.
    relay = bridge.app[HUB].relay
    relay.clock = lambda: time.time() + 3 * 3600
    ack = await agent.call("accept", {"conversation_id": "whatever"})
    assert ack["error"] == "unauthorized"
    for _ in range(50):
        if not agent.client.connected:
            break
        await agent.client.sleep(0.1)
    assert not agent.client.connected


async def test_oversized_packets_drop_only_that_socket(bridge: TestServer, customer: Customer) -> None:
    session = await customer.start()
    await customer.client.emit("message", {"id": "big", "text": "x" * 200_000}, namespace="/customer")
    for _ in range(50):
        if not customer.client.connected:
            break
        await customer.client.sleep(0.1)
    assert not customer.client.connected
    again = Customer(base_url(bridge))
    try:
        resumed = await again.start(token=session["token"])
        assert resumed["conversation_id"] == session["conversation_id"]
        assert (await again.say("still here"))["ok"]
    finally:
        await again.disconnect()


async def test_logs_never_hold_message_bodies_tokens_or_passwords(
    bridge: TestServer, customer: Customer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="bot")
    secret_words = f"my card number is {uuid.uuid4().hex}"
    session = await customer.start()
    await customer.say(secret_words)
    await customer.call("message", {"id": "e", "text": secret_words + "x" * 4001})
    await customer.wait_for("message", lambda m: m["from"] == "bot")
    agent = await make_agent(bridge, "logcheck", "Lou")
    await agent.call("accept", {"conversation_id": session["conversation_id"]})
    await agent.disconnect()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "refused message" in logged  # the too-long message was logged, by code only
    for leak in (secret_words, session["token"], agent.token or "missing"):
        assert leak not in logged


async def test_a_revoked_token_stops_working_at_once(bridge: TestServer) -> None:
    agent = await make_agent(bridge, "revoked", "Rae")
    try:
        assert (await agent.call("presence", {"status": "online"}))["ok"]
        async with aiohttp.ClientSession() as http, http.post(
            f"{base_url(bridge)}/api/logout", headers={"Authorization": f"Bearer {agent.token}"}
        ) as response:
            assert response.status == 200
        client = socketio.AsyncClient(reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await client.connect(base_url(bridge), namespaces=["/agent"], auth={"token": agent.token},
                                 transports=["websocket"], wait_timeout=5)
    finally:
        await agent.disconnect()
