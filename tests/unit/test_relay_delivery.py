"""A relayed message is stored, then emitted to each side that has someone to receive it."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import socketio

from bot.bridge.core import State
from bot.bridge.hours import Hours
from bot.bridge.relay import AGENT, CUSTOMER, Relay, room
from bot.bridge.storage import Storage


class _Recorded:
    """Stands in for ``sio.emit``: keeps what would have been sent."""

    def __init__(self) -> None:
        self.emits: list[tuple[str, dict[str, Any], str, str | None]] = []

    async def __call__(self, event: str, data: dict[str, Any], to: str, namespace: str,
                       skip_sid: str | None = None) -> None:
        self.emits.append((event, data, namespace, skip_sid))


async def _relay(tmp_path: Path, manager: Any = None) -> tuple[Relay, _Recorded]:
    sio = socketio.AsyncServer(async_mode="aiohttp", client_manager=manager)
    recorded = _Recorded()
    sio.emit = recorded
    storage = Storage(f"sqlite:///{tmp_path / 'c.db'}")
    await storage.start()
    await storage.create_conversation("c1", 1.0)
    await storage.move("c1", [State.BOT], State.AGENT, 2.0, fields={"agent_id": 7, "agent_name": "Ana"})
    return Relay(sio, storage, Hours.always(), dt.timezone.utc, clock=lambda: 1000.0), recorded


Factory = Callable[..., Awaitable[tuple[Relay, _Recorded]]]


@pytest.fixture
async def make_relay(tmp_path: Path) -> AsyncIterator[Factory]:
    """A relay on a fresh database with ``sockets`` (sid, namespace) in conversation c1's rooms."""
    relays: list[Relay] = []

    async def make(*sockets: tuple[str, str], manager: Any = None) -> tuple[Relay, _Recorded]:
        relay, recorded = await _relay(tmp_path, manager)
        relays.append(relay)
        for sid, namespace in sockets:
            relay.sio.manager.basic_enter_room(sid, namespace, room("c1"), eio_sid=f"eio-{sid}")
        return relay, recorded
    yield make
    for relay in relays:
        await relay.storage.close()


async def test_the_senders_side_is_not_emitted_to_when_the_sender_is_alone_there(
        make_relay: Factory) -> None:
    relay, recorded = await make_relay(("customer-tab", CUSTOMER), ("agent-window", AGENT))

    stored = await relay.post("c1", "customer", "hello", "m1", skip="customer-tab")

    assert stored.message["seq"] == 1  # stored first, as always
    assert [(e[0], e[2]) for e in recorded.emits] == [("message", AGENT)]
    assert recorded.emits[0][1]["conversation_id"] == "c1"


async def test_another_tab_of_the_sender_still_gets_the_message(make_relay: Factory) -> None:
    relay, recorded = await make_relay(("customer-tab", CUSTOMER), ("customer-tab-2", CUSTOMER),
                                       ("agent-window", AGENT))

    await relay.post("c1", "customer", "hello", "m1", skip="customer-tab")

    assert [(e[2], e[3]) for e in recorded.emits] == [(CUSTOMER, "customer-tab"),
                                                      (AGENT, "customer-tab")]


async def test_a_message_with_no_sender_socket_goes_to_both_sides(make_relay: Factory) -> None:
    relay, recorded = await make_relay(("customer-tab", CUSTOMER), ("agent-window", AGENT))

    await relay.post("c1", "system", "Ana is joining.")

    assert [e[2] for e in recorded.emits] == [CUSTOMER, AGENT]


async def test_with_rooms_shared_between_processes_every_side_is_emitted_to(
        make_relay: Factory) -> None:
    # Nobody is in the rooms here, but other bridge processes may hold the sockets.
    manager = socketio.AsyncRedisManager("redis://127.0.0.1:1", write_only=True)
    relay, recorded = await make_relay(manager=manager)

    await relay.post("c1", "customer", "hello", "m1", skip="customer-tab")

    assert [e[2] for e in recorded.emits] == [CUSTOMER, AGENT]
