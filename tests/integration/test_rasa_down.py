"""With the assistant unreachable, the customer is told and still reaches a person."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

from bot.bridge.app import create_app
from tests.support import Customer, base_url, free_port, make_agent, make_settings


@pytest.fixture
async def bridge_without_rasa(tmp_path: Path) -> AsyncIterator[TestServer]:
    settings = make_settings(tmp_path, CALOR_RASA_PORT=str(free_port()), CALOR_RASA_TIMEOUT="2")
    server = TestServer(create_app(settings), host="127.0.0.1", port=settings.port)
    await server.start_server()
    yield server
    await server.close()


async def test_rasa_down_offers_a_person_and_hands_off(bridge_without_rasa: TestServer) -> None:
    customer = Customer(base_url(bridge_without_rasa))
    agent = await make_agent(bridge_without_rasa, "maria", "Maria")
    try:
        session = await customer.start()
        tab = await customer.another_tab()
        assert (await customer.say("hello"))["ok"] is True
        notice = await customer.wait_for("message", lambda m: m["from"] == "system")
        assert "trouble answering" in notice["text"]
        assert notice["buttons"] == [{"title": "Talk to a person", "payload": "/request_human"}]

        ack = await customer.call("message", {"id": "b1", "payload": "/request_human",
                                              "title": "Talk to a person"})
        assert ack["ok"] is True
        entry = await agent.queued(session["conversation_id"])
        assert entry["reason"] == "bot_unavailable"
        # The button press shows as its title (in the customer's other tabs too).
        await tab.wait_for("message", lambda m: m["from"] == "customer"
                           and m["text"] == "Talk to a person")
        await customer.wait_for("status", lambda s: s["state"] == "queued")
    finally:
        await tab.disconnect()
        await customer.disconnect()
        await agent.disconnect()


async def test_request_human_with_nobody_online_is_honest(bridge_without_rasa: TestServer) -> None:
    customer = Customer(base_url(bridge_without_rasa))
    try:
        await customer.start()
        ack = await customer.call("request_human", {})
        assert ack == {"ok": True, "state": "queued"}
        honest = await customer.wait_for("message", lambda m: "nobody from our team is online"
                                         in m["text"])
        assert honest["from"] == "system"
        status = await customer.wait_for("status", lambda s: s["state"] == "queued")
        assert status["position"] == 1 and status["eta_seconds"] > 0
    finally:
        await customer.disconnect()
