"""The whole path with all three processes as `make run` starts them, on free ports."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import aiohttp
import pytest

from tests.support import AgentClient, Customer, add_agent_with_cli, running_stack


@pytest.fixture(scope="module")
def stack_env() -> Iterator[dict[str, str]]:
    with running_stack("e2e-") as (env, _):
        yield env


async def test_walking_skeleton_end_to_end(stack_env: dict[str, str]) -> None:
    url = f"http://127.0.0.1:{stack_env['CALOR_PORT']}"
    password = secrets.token_urlsafe(16)
    add_agent_with_cli(stack_env, "ana", "Ana", password)

    async with aiohttp.ClientSession() as http:
        for path in ("/", "/agent", "/healthz"):
            async with http.get(url + path) as response:
                assert response.status == 200, path
                assert "script-src 'self'" in response.headers["Content-Security-Policy"]

    customer, agent = Customer(url), AgentClient(url)
    try:
        session = await customer.start()
        conversation_id = session["conversation_id"]
        await agent.login("ana", password)

        assert (await customer.say("hello"))["seq"] == 1
        await customer.wait_for("message", lambda m: m["from"] == "bot")
        ack = await customer.say("I want to talk to a person")
        assert ack["ok"] is True

        entry = await agent.queued(conversation_id)
        assert entry["reason"] == "customer_request"
        accepted = await agent.call("accept", {"conversation_id": conversation_id})
        assert accepted["ok"] is True
        summary = accepted["summary"]
        assert {"reason", "category", "cue", "headline", "task"} <= summary.keys()
        assert summary["reason"] == "customer_request"
        assert any(m["text"] == "I want to talk to a person" for m in accepted["transcript"])

        to_customer = await agent.say(conversation_id, "Hi, it's Ana. How can I help?")
        to_agent = await customer.say("I just wanted to say thanks")
        assert to_customer["ok"] and to_agent["ok"] and to_agent["seq"] > to_customer["seq"]
        await customer.wait_for("message", lambda m: m["seq"] == to_customer["seq"]
                                and m["from"] == "agent" and m["agent_name"] == "Ana")
        await agent.wait_for("message", lambda m: m["seq"] == to_agent["seq"])

        assert (await agent.call("close", {"conversation_id": conversation_id,
                                           "next_steps": "Nothing more to do."}))["ok"]
        await customer.wait_for("status", lambda s: s["state"] == "closed")
        await customer.wait_for("message", lambda m: "Here's what happens next" in m["text"])
    finally:
        await customer.disconnect()
        await agent.disconnect()
