"""What a person feels: time to reach a human, and a bot turn with and without the bridge."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import aiohttp
import socketio

#: A customer in crisis: the assistant hands off at once, without a question first.
DISTRESSED = "I can't do this anymore, I just want it all to end"
ROUTINE = "what time does the store open"


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _client() -> socketio.AsyncClient:
    return socketio.AsyncClient(reconnection=False, handle_sigint=False)


async def _customer(url: str, on_message: Any = None) -> socketio.AsyncClient:
    client = _client()
    ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    client.on("status", lambda _: _settle(ready), namespace="/customer")
    if on_message is not None:
        client.on("message", on_message, namespace="/customer")
    await client.connect(url, namespaces=["/customer"], transports=["websocket"], wait_timeout=30)
    await asyncio.wait_for(ready, 30)
    return client


async def time_to_human(url: str, token: str, repetitions: int, text: str = DISTRESSED) -> list[float]:
    """Milliseconds from a distressed message leaving the client to the agent's queue entry.

    The agent is connected throughout; each sample is a new customer.
    """
    agent = _client()
    arrivals: dict[str, float] = {}
    changed = asyncio.Event()

    def on_queue(data: Any) -> None:
        for entry in data["conversations"]:
            if entry.get("headline"):
                arrivals.setdefault(entry["conversation_id"], time.perf_counter())
        changed.set()

    agent.on("queue", on_queue, namespace="/agent")
    await agent.connect(url, namespaces=["/agent"], auth={"token": token},
                        transports=["websocket"], wait_timeout=30)
    samples = []
    try:
        for _ in range(repetitions):
            session: dict[str, str] = {}
            customer = _client()
            customer.on("session", session.update, namespace="/customer")
            ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            customer.on("status", lambda _, f=ready: _settle(f), namespace="/customer")
            await customer.connect(url, namespaces=["/customer"], transports=["websocket"],
                                   wait_timeout=30)
            await asyncio.wait_for(ready, 30)
            started = time.perf_counter()
            await customer.emit("message", {"id": uuid.uuid4().hex, "text": text},
                                namespace="/customer")
            cid = session["conversation_id"]
            while cid not in arrivals:
                changed.clear()
                await asyncio.wait_for(changed.wait(), 30)
            samples.append((arrivals[cid] - started) * 1000)
            await customer.disconnect()
    finally:
        await agent.disconnect()
    return samples


async def bot_turns(url: str, rasa_port: int, repetitions: int) -> tuple[list[float], list[float]]:
    """The same routine message through the bridge and straight to Rasa, interleaved.

    Returns:
        Milliseconds per turn through the bridge (message sent → first bot message
        received) and directly (REST request → response).
    """
    through, direct = [], []
    webhook = f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook"
    async with aiohttp.ClientSession() as http:
        for _ in range(repetitions):
            answered: asyncio.Future[float] = asyncio.get_running_loop().create_future()

            def on_message(data: Any, f: asyncio.Future[float] = answered) -> None:
                if data.get("from") == "bot" and not f.done():
                    f.set_result(time.perf_counter())

            customer = await _customer(url, on_message)
            started = time.perf_counter()
            await customer.emit("message", {"id": uuid.uuid4().hex, "text": ROUTINE},
                                namespace="/customer")
            through.append((await asyncio.wait_for(answered, 30) - started) * 1000)
            await customer.disconnect()

            started = time.perf_counter()
            async with http.post(webhook, json={"sender": uuid.uuid4().hex, "message": ROUTINE}) as r:
                await r.json()
            direct.append((time.perf_counter() - started) * 1000)
    return through, direct
