"""The Rasa client against the real Rasa server: failover to the next instance, and when none is left."""

from __future__ import annotations

import uuid

import pytest

from bot.bridge.errors import RasaUnavailable
from bot.bridge.rasa_client import RasaClient
from tests.support import free_port


async def test_a_turn_that_cannot_reach_one_rasa_goes_to_the_next(rasa_ports: dict[str, str]) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    live = f"http://127.0.0.1:{rasa_ports['CALOR_RASA_PORT']}"
    client = RasaClient((dead, live), timeout=30)
    await client.start()
    try:
        reply = await client.send(uuid.uuid4().hex, "what time do your stores open?")
        assert reply.messages, "the live Rasa answered"
        # The dead one is skipped from now on: the next turn starts with the live one.
        assert client.urls[client._first].startswith(live)
        assert (await client.send(uuid.uuid4().hex, "hello")).messages
    finally:
        await client.close()


async def test_with_every_rasa_down_the_turn_is_unavailable() -> None:
    client = RasaClient((f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"), timeout=5)
    await client.start()
    try:
        with pytest.raises(RasaUnavailable):
            await client.send(uuid.uuid4().hex, "hello")
    finally:
        await client.close()
