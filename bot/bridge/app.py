"""The application factory: wires settings, storage, Rasa, sockets and routes together."""

from __future__ import annotations

from collections.abc import AsyncIterator

import socketio
from aiohttp import web

from bot.bridge.desk import Desk
from bot.bridge.http import add_routes, security_headers
from bot.bridge.hub import Hub
from bot.bridge.keys import DESK, HUB, RASA, SETTINGS, STORAGE
from bot.bridge.rasa_client import RasaClient
from bot.bridge.relay import Relay
from bot.bridge.settings import Settings
from bot.bridge.sockets import register
from bot.bridge.storage import Storage

#: Largest Engine.IO packet: a 4,000-character message, fully escaped, fits with room.
MAX_PACKET_BYTES = 64 * 1024


async def _lifecycle(app: web.Application) -> AsyncIterator[None]:
    await app[STORAGE].start()
    await app[RASA].start()
    yield
    await app[HUB].stop()
    await app[RASA].close()
    await app[STORAGE].close()


def create_app(settings: Settings) -> web.Application:
    """Build the bridge: one aiohttp application with the Socket.IO server attached.

    Args:
        settings: Everything configurable, read once.

    Returns:
        The application, ready for ``web.run_app`` or a test server.
    """
    app = web.Application(client_max_size=64 * 1024, middlewares=[security_headers])
    sio = socketio.AsyncServer(
        async_mode="aiohttp",
        cors_allowed_origins=list(settings.allowed_origins),
        max_http_buffer_size=MAX_PACKET_BYTES,
        logger=False,
        engineio_logger=False,
    )
    sio.attach(app)
    storage = Storage(settings.database_url)
    rasa = RasaClient(settings.rasa_url, settings.rasa_timeout)
    relay = Relay(sio, storage)
    hub = Hub(relay, rasa, settings.secret_key)
    desk = Desk(relay, settings.agent_token_ttl, settings.agent_capacity)
    register(sio, hub, desk, settings.rate_limit)
    app[SETTINGS] = settings
    app[STORAGE] = storage
    app[RASA] = rasa
    app[HUB] = hub
    app[DESK] = desk
    app.cleanup_ctx.append(_lifecycle)
    add_routes(app)
    return app
