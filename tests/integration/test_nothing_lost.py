"""Nothing lost: replay after reconnect, restart of the bridge, order of 50 back-to-back messages."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestServer

from bot.bridge.app import create_app
from bot.bridge.keys import HUB, SETTINGS
from bot.bridge.settings import Settings
from tests.integration.conftest import RASA_API_TOKEN
from tests.support import AgentClient, Customer, base_url, make_agent, make_settings


async def test_reconnect_with_last_seq_replays_only_what_was_missed(
    bridge: TestServer, customer: Customer
) -> None:
    session = await customer.start()
    await customer.say("hello")
    await customer.wait_for("message", lambda m: m["from"] == "bot")
    seen = max(m["seq"] for m in customer.of("message"))
    await customer.disconnect()

    # While the customer is away, the bot's answer to a queued handoff arrives.
    await bridge.app[HUB].handoff(session["conversation_id"], "customer_request", None)

    back = Customer(base_url(bridge))
    try:
        again = await back.start(token=session["token"], last_seq=seen)
        assert again["conversation_id"] == session["conversation_id"]
        replayed = [m["seq"] for m in back.of("message")]
        assert replayed and min(replayed) == seen + 1
        assert replayed == sorted(set(replayed))
        # A reload (no last_seq) restores the whole visible conversation.
        full = Customer(base_url(bridge))
        await full.start(token=session["token"])
        assert [m["seq"] for m in full.of("message")] == list(range(1, max(replayed) + 1))
        await full.disconnect()
    finally:
        await back.disconnect()


async def test_restarting_the_bridge_loses_no_message_and_no_queued_conversation(
    rasa_ports: dict[str, str], database_url: str, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, CALOR_RASA_PORT=rasa_ports["CALOR_RASA_PORT"],
                             CALOR_DATABASE_URL=database_url)
    server = TestServer(create_app(settings), host="127.0.0.1", port=settings.port)
    await server.start_server()
    customer = Customer(base_url(server))
    session = await customer.start()
    acks = [await customer.say(f"note {i}") for i in range(5)]
    await customer.call("request_human", {})
    await customer.disconnect()
    await server.close()

    server = TestServer(create_app(settings), host="127.0.0.1", port=settings.port)
    await server.start_server()
    customer = Customer(base_url(server))
    agent = await make_agent(server, "after", "Ari")
    try:
        await customer.start(token=session["token"])
        texts = customer.texts("customer")
        assert [f"note {i}" for i in range(5)] == [t for t in texts if t.startswith("note")]
        assert {a["seq"] for a in acks} <= {m["seq"] for m in customer.of("message")}
        assert (await agent.queued(session["conversation_id"]))["reason"] == "customer_request"
        await customer.wait_for("status", lambda s: s["state"] == "queued")
    finally:
        await customer.disconnect()
        await agent.disconnect()
        await server.close()


async def _rasa_user_texts(port: str, conversation_id: str) -> list[str]:
    url = f"http://127.0.0.1:{port}/conversations/{conversation_id}/tracker"
    async with aiohttp.ClientSession() as http, http.get(url, params={"token": RASA_API_TOKEN}) as r:
        assert r.status == 200
        tracker = await r.json()
    return [e["text"] for e in tracker["events"] if e["event"] == "user"]


async def test_fifty_messages_back_to_back_arrive_in_order_at_rasa(
    bridge: TestServer, customer: Customer, rasa_ports: dict[str, str]
) -> None:
    session = await customer.start()
    tab = await customer.another_tab()
    texts = [f"order A10{i:02d}" for i in range(50)]
    acks = await asyncio.gather(*(customer.say(t) for t in texts))
    assert [a["seq"] for a in acks] == sorted(a["seq"] for a in acks)
    await tab.wait_for("message", lambda m: m["text"] == texts[-1])
    assert tab.texts("customer") == texts
    await tab.disconnect()
    for _ in range(120):
        seen = await _rasa_user_texts(rasa_ports["CALOR_RASA_PORT"], session["conversation_id"])
        if len(seen) >= 50:
            break
        await asyncio.sleep(0.5)
    assert seen == texts


async def test_fifty_messages_back_to_back_arrive_in_order_both_ways(
    bridge: TestServer, customer: Customer, agent: AgentClient
) -> None:
    session = await customer.start()
    cid = session["conversation_id"]
    await bridge.app[HUB].handoff(cid, "customer_request", None)
    await agent.queued(cid)
    assert (await agent.call("accept", {"conversation_id": cid}))["ok"]

    to_agent = [f"c{i}" for i in range(50)]
    to_customer = [f"a{i}" for i in range(50)]
    await asyncio.gather(*(customer.say(t) for t in to_agent))
    await asyncio.gather(*(agent.say(cid, t, msg_id=uuid.uuid4().hex) for t in to_customer))
    await agent.wait_for("message", lambda m: m["text"] == "c49")
    await customer.wait_for("message", lambda m: m["text"] == "a49")
    assert [m["text"] for m in agent.of("message") if m["from"] == "customer"] == to_agent
    assert [m["text"] for m in customer.of("message") if m["from"] == "agent"] == to_customer
    assert bridge.app[SETTINGS].rate_limit >= 50


async def test_a_turn_cut_off_by_a_restart_is_answered_after_it(
    rasa_ports: dict[str, str], tmp_path: Path
) -> None:
    hung: list[asyncio.StreamWriter] = []

    async def never_answer(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        hung.append(writer)

    silent = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    settings = make_settings(tmp_path, CALOR_RASA_PORT=str(silent.sockets[0].getsockname()[1]))
    server = TestServer(create_app(settings), host="127.0.0.1", port=settings.port)
    await server.start_server()
    customer = Customer(base_url(server))
    session = await customer.start()
    assert (await customer.say("what are your store hours"))["ok"]
    await customer.disconnect()
    await server.close()  # the bot turn was in flight
    for writer in hung:
        writer.close()
    silent.close()

    env = {"CALOR_SECRET_KEY": settings.secret_key,
           "CALOR_DATABASE_URL": f"sqlite:///{tmp_path / 'calor.db'}",
           "CALOR_PORT": str(settings.port), "CALOR_RASA_PORT": rasa_ports["CALOR_RASA_PORT"]}
    server = TestServer(create_app(Settings.from_env(env)), host="127.0.0.1", port=settings.port)
    await server.start_server()
    customer = Customer(base_url(server))
    try:
        await customer.start(token=session["token"])
        answer = await customer.wait_for("message", lambda m: m["from"] == "bot")
        assert answer["seq"] == 2
    finally:
        await customer.disconnect()
        await server.close()


async def test_messages_sent_before_the_session_arrives_are_stored_in_order(
    bridge: TestServer, customer: Customer
) -> None:
    # An outbox flushed on reconnect: the events go out before 'session' comes back.
    await customer.connect({})
    texts = [f"early {i}" for i in range(5)]
    acks = await asyncio.gather(*(customer.say(t) for t in texts))
    session = await customer.wait_for("session")

    seqs = [ack["seq"] for ack in acks]
    assert all(ack["ok"] for ack in acks) and seqs == sorted(seqs)
    late = await customer.say("after the session")
    assert late["ok"] and late["seq"] > seqs[-1]
    stored = await bridge.app[HUB].storage.messages_after(session["conversation_id"])
    assert [m["text"] for m in stored if m["from"] == "customer"] == [*texts, "after the session"]
