"""Nobody is left in silence: slow bot, closed desk, crisis alone, messages left for later."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

from bot.bridge.app import create_app
from bot.bridge.keys import HUB
from tests.support import Customer, base_url, free_port, make_agent, make_settings


async def _serve(settings_overrides: dict[str, str], tmp_path: Path) -> TestServer:
    settings = make_settings(tmp_path, **settings_overrides)
    server = TestServer(create_app(settings), host="127.0.0.1", port=settings.port)
    await server.start_server()
    return server


@pytest.fixture
async def silent_rasa() -> AsyncIterator[int]:
    """A TCP peer that accepts connections and never answers, like a hung Rasa."""
    hung: list[asyncio.StreamWriter] = []

    async def accept(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        hung.append(writer)

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    for writer in hung:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_slow_bot_is_not_waited_on_forever(silent_rasa: int, tmp_path: Path) -> None:
    server = await _serve({"CALOR_RASA_PORT": str(silent_rasa), "CALOR_RASA_TIMEOUT": "1"}, tmp_path)
    customer = Customer(base_url(server))
    try:
        await customer.start()
        assert (await customer.say("where is my order"))["ok"]
        notice = await customer.wait_for("message", lambda m: m["from"] == "system", timeout=10)
        assert "trouble answering" in notice["text"]
        assert notice["buttons"][0]["payload"] == "/request_human"
        # "Talk to a person" still works while the bot hangs.
        assert (await customer.call("request_human", {}))["state"] == "queued"
    finally:
        await customer.disconnect()
        await server.close()


async def test_outside_business_hours_says_when_and_takes_a_message(tmp_path: Path) -> None:
    # Open one minute a week, so it is closed now whatever the day.
    server = await _serve({"CALOR_RASA_PORT": str(free_port()),
                           "CALOR_BUSINESS_HOURS": "sun 03:00-03:01"}, tmp_path)
    customer = Customer(base_url(server))
    agent = await make_agent(server, "night", "Nadia")
    try:
        await customer.start()
        await customer.call("request_human", {})
        honest = await customer.wait_for("message", lambda m: "Our team is away right now" in m["text"])
        assert "back" in honest["text"] and "03:00" in honest["text"]
        status = await customer.wait_for("status", lambda s: s["state"] == "queued")
        assert status["agents_available"] is False and "03:00" in status["opens"]

        ack = await customer.call("leave_message", {"id": "lm1", "text": "Please call me about my bill",
                                                    "callback": "+1 555 0100"})
        assert ack == {"ok": True}
        again = await customer.call("leave_message", {"id": "lm1", "text": "Please call me about my bill",
                                                      "callback": "+1 555 0100"})
        assert again == {"ok": True}
        bad = await customer.call("leave_message", {"id": "lm2", "text": "x", "callback": "<script>"})
        assert bad["error"] == "invalid"
        followups = await agent.wait_for("followups", lambda f: len(f["followups"]) == 1)
        item = followups["followups"][0]
        assert (item["kind"], item["callback"], item["urgent"]) == ("callback", "+1 555 0100", False)
        assert any("get back to you on +1 555 0100" in t for t in customer.texts("system"))

        assert (await agent.call("followup_done", {"followup_id": item["followup_id"]}))["ok"]
        await agent.wait_for("followups", lambda f: f["followups"] == [])
        assert (await agent.call("followup_done", {"followup_id": item["followup_id"]}))["error"] \
            == "unknown_followup"
    finally:
        await customer.disconnect()
        await agent.disconnect()
        await server.close()


async def test_crisis_with_nobody_online_stays_open_and_is_urgent(tmp_path: Path) -> None:
    server = await _serve({"CALOR_RASA_PORT": str(free_port())}, tmp_path)
    customer = Customer(base_url(server))
    try:
        session = await customer.start()
        cid = session["conversation_id"]
        hub = server.app[HUB]
        await hub.crisis(cid, [{"label": "988 Suicide & Crisis Lifeline", "contact": "Call or text 988"}])
        await hub.handoff(cid, "distress", {"category": "crisis", "cue": "I don't want to be here"})
        await customer.wait_for("crisis")
        await customer.wait_for("message", lambda m: "flagged this as urgent" in m["text"])
        status = await customer.wait_for("status", lambda s: s["state"] == "queued")
        assert status["position"] == 1

        # The first agent to log in sees it at the top of the follow-up list, marked urgent.
        agent = await make_agent(server, "late", "Lee")
        followups = await agent.wait_for("followups")
        assert followups["followups"][0]["urgent"] is True
        assert followups["followups"][0]["text"] == "I don't want to be here"
        queue = await agent.wait_for("queue", lambda q: q["conversations"])
        assert queue["conversations"][0]["category"] == "crisis"
        await agent.disconnect()

        # A reload brings the resources back.
        await customer.disconnect()
        customer = Customer(base_url(server))
        await customer.start(token=session["token"])
        crisis = await customer.wait_for("crisis")
        assert crisis["resources"][0]["contact"] == "Call or text 988"
    finally:
        await customer.disconnect()
        await server.close()


async def test_the_bot_keeps_helping_while_nobody_can_answer(
    rasa_ports: dict[str, str], tmp_path: Path
) -> None:
    server = await _serve({"CALOR_RASA_PORT": rasa_ports["CALOR_RASA_PORT"]}, tmp_path)
    customer = Customer(base_url(server))
    try:
        await customer.start()
        assert (await customer.call("request_human", {}))["state"] == "queued"
        bots = len(customer.texts("bot"))
        await customer.say("what are your store hours")
        await customer.wait_for("message", lambda m: m["from"] == "bot" and
                                len(customer.texts("bot")) > bots)
        status = customer.of("status")[-1]
        assert status["state"] == "queued"

        # Once a person is online, the bot steps back and the customer waits for them.
        agent = await make_agent(server, "back", "Bea")
        await customer.wait_for("status", lambda s: s["agents_available"] is True)
        bots = len(customer.texts("bot"))
        await customer.say("are you still there?")
        await asyncio.sleep(2)
        assert len(customer.texts("bot")) == bots
        await agent.disconnect()
    finally:
        await customer.disconnect()
        await server.close()
