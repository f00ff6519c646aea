"""Faults: a bridge killed, Redis restarted, PostgreSQL stopped. Nothing acknowledged is lost or doubled."""

from __future__ import annotations

import asyncio
import signal
import time
import uuid
from typing import Any

import socketio

from tests.cluster.conftest import Running, texts
from tests.support import AgentClient, Customer


async def _with_agent(up: Running, customer: Customer, agent: AgentClient) -> str:
    conversation_id: str = (await customer.wait_for("session"))["conversation_id"]
    await customer.call("request_human", {})
    await agent.queued(conversation_id)
    assert (await agent.call("accept", {"conversation_id": conversation_id}))["ok"] is True
    await customer.wait_for("status", lambda s: s["state"] == "agent")
    return conversation_id


class Widget:
    """What the widget's outbox does: resend with the same id until acked, reconnecting through nginx."""

    def __init__(self, up: Running, customer: Customer) -> None:
        self.up = up
        self.customer = customer
        self.session: dict[str, Any] = {}
        self.seen: dict[int, dict[str, Any]] = {}
        self.acked: dict[str, int] = {}

    def _keep(self) -> None:
        # Like the widget: messages are kept by seq, so one delivered twice shows once.
        for message in self.customer.of("message"):
            self.seen.setdefault(message["seq"], message)

    async def reconnect(self) -> None:
        self._keep()
        await self.customer.disconnect()
        last = max(self.seen, default=0)
        self.customer = Customer(self.up.lb)
        self.session = await self.customer.start(token=self.session["token"], last_seq=last)

    async def send(self, text: str, deadline: float = 60.0) -> None:
        msg_id = uuid.uuid4().hex
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            try:
                if not self.customer.client.connected:
                    await self.reconnect()
                ack = await self.customer.call("message", {"id": msg_id, "text": text}, timeout=5)
                if ack.get("ok") is True:
                    # The sending socket is not sent its own message; the ack confirms it.
                    self.acked[text] = ack["seq"]
                    self.seen.setdefault(ack["seq"], {"seq": ack["seq"], "id": msg_id,
                                                      "from": "customer", "text": text})
                    return
            except (socketio.exceptions.SocketIOError, OSError, asyncio.TimeoutError):
                pass
            await asyncio.sleep(0.5)
        raise AssertionError(f"{text!r} was never acknowledged")

    def shown(self) -> list[dict[str, Any]]:
        self._keep()
        return [self.seen[seq] for seq in sorted(self.seen)]


async def test_killing_the_bridge_that_holds_the_customer_loses_and_doubles_nothing(up: Running) -> None:
    agent = await up.agent(up.bridge(2), "Iris")
    widget = Widget(up, await up.customer_on(1))
    try:
        widget.session = await widget.customer.wait_for("session")
        conversation_id = await _with_agent(up, widget.customer, agent)
        for i in range(3):
            await widget.send(f"before {i}")

        sending = asyncio.create_task(widget.send("during"))
        up.cluster.kill("bridge1", signal.SIGKILL)
        await sending
        assert (await agent.say(conversation_id, "still here"))["ok"] is True
        for i in range(3):
            await widget.send(f"after {i}")

        # The customer now talks through bridge 2, the only one alive.
        assert up.sockets_on(2) >= 2
        sent = [f"before {i}" for i in range(3)] + ["during"] + [f"after {i}" for i in range(3)]
        await widget.customer.wait_for("message", lambda m: m["text"] == "still here")
        await agent.wait_for("message", lambda m: m["text"] == "after 2")
        assert texts(widget.shown(), "customer") == sent
        assert texts(widget.shown(), "agent") == ["still here"]
        assert texts(agent.of("message"), "customer") == sent
        # A reload shows each acknowledged message once, in order.
        fresh = Customer(up.lb)
        await fresh.start(token=widget.session["token"])
        assert texts(fresh.of("message"), "customer") == sent
        stored = {m["seq"] for m in fresh.of("message") if m["from"] == "customer"}
        assert stored == set(widget.acked.values())
        await fresh.disconnect()
    finally:
        await widget.customer.disconnect()
        await agent.disconnect()


async def test_after_redis_restarts_every_bridge_relays_again_and_nothing_sent_meanwhile_is_dropped(
    up: Running,
) -> None:
    agent = await up.agent(up.bridge(2), "Omar")
    customer = await up.customer_on(1)
    try:
        conversation_id = await _with_agent(up, customer, agent)
        up.cluster.kill("redis", signal.SIGKILL)
        # Both ends can still write; each message is stored, only the other process is cut off.
        assert (await customer.say("sent while redis was down"))["ok"] is True
        assert (await agent.say(conversation_id, "answer while redis was down"))["ok"] is True
        up.cluster.restart("redis")
        started = time.monotonic()
        await customer.wait_for("message", lambda m: m["text"] == "answer while redis was down", timeout=60)
        await agent.wait_for("message", lambda m: m["text"] == "sent while redis was down", timeout=60)
        caught_up = time.monotonic() - started
        assert caught_up < 60

        # And the relay works live again, both ways.
        assert (await customer.say("live again"))["ok"] is True
        await agent.wait_for("message", lambda m: m["text"] == "live again", timeout=10)
        assert (await agent.say(conversation_id, "hearing you"))["ok"] is True
        await customer.wait_for("message", lambda m: m["text"] == "hearing you", timeout=10)
        assert texts(customer.of("message"), "agent") == ["answer while redis was down", "hearing you"]
        assert texts(agent.of("message"), "customer") == ["sent while redis was down", "live again"]
    finally:
        await customer.disconnect()
        await agent.disconnect()


async def test_while_postgres_is_stopped_clients_get_clear_errors_and_no_acknowledged_message_is_lost(
    up: Running,
) -> None:
    agent = await up.agent(up.lb, "Lena")
    customer = Customer(up.lb)
    session = await customer.start()
    try:
        conversation_id = await _with_agent(up, customer, agent)
        acked = [(await customer.say("before the outage"))["seq"]]

        up.cluster.kill("postgres", signal.SIGINT)
        stopped = time.monotonic()
        refused: list[Any] = []
        while time.monotonic() - stopped < 10:
            began = time.monotonic()
            ack = await customer.say("during the outage", msg_id=f"outage-{len(refused)}")
            assert time.monotonic() - began < 10, "a send hung instead of failing"
            assert ack["ok"] is False and ack["error"] == "unavailable", ack
            refused.append(ack)
            agent_ack = await agent.say(conversation_id, "agent during the outage")
            assert agent_ack["ok"] is False and agent_ack["error"] == "unavailable", agent_ack
            await asyncio.sleep(1)
        up.cluster.restart("postgres")

        # The widget sends its unacknowledged message again, with the same id.
        deadline = time.monotonic() + 30
        while True:
            ack = await customer.say("during the outage", msg_id="outage-0")
            if ack["ok"] is True or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
        assert ack["ok"] is True, ack
        acked.append(ack["seq"])
        acked.append((await customer.say("after the outage"))["seq"])
        assert (await agent.say(conversation_id, "back again"))["ok"] is True

        fresh = Customer(up.lb)
        await fresh.start(token=session["token"])
        assert texts(fresh.of("message"), "customer") == [
            "before the outage", "during the outage", "after the outage"]
        assert set(acked) <= {m["seq"] for m in fresh.of("message")}
        assert "back again" in texts(fresh.of("message"), "agent")
        await fresh.disconnect()
        assert len(refused) >= 3
    finally:
        await customer.disconnect()
        await agent.disconnect()
