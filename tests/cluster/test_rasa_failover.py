"""Rasa instances share one tracker store: one dies, the other carries on; both die, a person is offered.

Runs last of the cluster tests (it leaves both Rasa instances stopped).
"""

from __future__ import annotations

import signal
import subprocess
from typing import Any

from tests.cluster.conftest import Running
from tests.support import Customer


def _user_turns(up: Running, conversation_id: str) -> int:
    ports = up.cluster.ports
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(ports.postgres), "-U", "calor", "-d", "calor", "-tAc",
         f"SELECT count(*) FROM events WHERE sender_id = '{conversation_id}' AND type_name = 'user'"],
        check=True, capture_output=True, text=True).stdout
    return int(out.strip())


async def _answer(customer: Customer, text: str) -> dict[str, Any]:
    mark = customer.mark()
    await customer.say(text)
    reply: dict[str, Any] = await customer.wait_for(
        "message", lambda m: m["from"] in ("bot", "system"), timeout=60, since=mark)
    return reply


async def test_one_rasa_down_the_other_serves_the_same_conversation_both_down_a_person_is_offered(
    up: Running,
) -> None:
    customer = Customer(up.lb)
    session = await customer.start()
    conversation_id = session["conversation_id"]
    try:
        await customer.say("when are your stores open?")
        await customer.wait_for("message", lambda m: m["from"] == "bot", timeout=60)
        assert _user_turns(up, conversation_id) == 1

        up.cluster.kill("rasa1", signal.SIGKILL)
        reply = await _answer(customer, "and where is my order?")
        assert reply["from"] == "bot", reply
        # The second instance read the first one's tracker from PostgreSQL and added to it.
        assert _user_turns(up, conversation_id) == 2

        up.cluster.kill("rasa2", signal.SIGKILL)
        mark = customer.mark()
        offer = await _answer(customer, "hello?")
        assert offer["from"] == "system"
        assert any(b["title"] == "Talk to a person" for b in offer["buttons"]), offer
        # And the offer works: the conversation reaches the queue without any bot.
        assert (await customer.call("request_human", {}))["ok"] is True
        await customer.wait_for("status", lambda s: s["state"] == "queued", timeout=30, since=mark)
    finally:
        await customer.disconnect()
