"""The application factory: wires settings, storage, Rasa, sockets and routes together."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import socketio
from aiohttp import web

from bot.bridge.desk import Desk
from bot.bridge.fanout import RedisManager
from bot.bridge.http import add_routes, security_headers
from bot.bridge.hub import Hub
from bot.bridge.keys import DESK, HUB, RASA, SETTINGS, SIO, STORAGE
from bot.bridge.rasa_client import RasaClient
from bot.bridge.relay import Relay
from bot.bridge.settings import Settings
from bot.bridge.shared import make_shared
from bot.bridge.sockets import register
from bot.bridge.storage import Storage

#: Largest Engine.IO packet: a 4,000-character message, fully escaped, fits with room.
MAX_PACKET_BYTES = 64 * 1024


#: How often the bridge looks for returning-customer offers that ran out.
TICK_SECONDS = 2.0

log = logging.getLogger(__name__)


async def _offers_loop(relay: Relay) -> None:
    """Show a returning customer to every agent once their own agent's offer runs out."""
    last = relay.clock()
    while True:
        await asyncio.sleep(TICK_SECONDS)
        try:
            now = relay.clock()
            if any(e.offer_until is not None and last < e.offer_until <= now
                   for e in await relay.storage.queued()):
                await relay.queue_changed()
            last = now
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("offer check failed; trying again")


async def _redrive_later(hub: Hub, rasa_timeout: float) -> None:
    """With several bridges, answer orphaned turns once no live process can still be on them.

    A turn lasts at most two Rasa timeouts (one per server tried) plus delivery.
    """
    settle = 2 * rasa_timeout + 5
    await asyncio.sleep(settle)
    try:
        await hub.redrive(settle=settle)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("could not look for unanswered turns")


async def _lifecycle(app: web.Application) -> AsyncIterator[None]:
    relay = app[HUB].relay
    await app[STORAGE].start()
    await app[RASA].start()
    await relay.shared.start()
    loops = [asyncio.create_task(_offers_loop(relay)), asyncio.create_task(relay.shared.run())]
    if app[SETTINGS].redis_url is None:
        await app[HUB].redrive()
    else:
        loops.append(asyncio.create_task(_redrive_later(app[HUB], app[SETTINGS].rasa_timeout)))
    yield
    for loop in loops:
        loop.cancel()
    await asyncio.gather(*loops, return_exceptions=True)
    await app[HUB].stop()
    await relay.close()
    await relay.shared.close()
    await app[RASA].close()
    await app[STORAGE].close()


async def _stop_sockets(app: web.Application) -> None:
    # python-socketio asks for this before the web server goes down.
    await app[SIO].shutdown()


def create_app(settings: Settings) -> web.Application:
    """Build the bridge: one aiohttp application with the Socket.IO server attached.

    Args:
        settings: Everything configurable, read once.

    Returns:
        The application, ready for ``web.run_app`` or a test server.
    """
    app = web.Application(client_max_size=64 * 1024, middlewares=[security_headers])
    manager = RedisManager(settings.redis_url) if settings.redis_url else None
    sio = socketio.AsyncServer(
        async_mode="aiohttp",
        client_manager=manager,
        cors_allowed_origins=list(settings.allowed_origins),
        max_http_buffer_size=MAX_PACKET_BYTES,
        logger=False,
        engineio_logger=False,
    )
    sio.attach(app)
    storage = Storage(settings.database_url)
    rasa = RasaClient(settings.rasa_urls, settings.rasa_timeout)
    relay = Relay(sio, storage, settings.hours, settings.timezone,
                  shared=make_shared(settings.redis_url))
    hub = Hub(relay, rasa, settings.secret_key, settings.offer_seconds)
    desk = Desk(relay, hub, settings.agent_token_ttl, settings.agent_capacity)
    catch_up = register(sio, hub, desk, settings.rate_limit)
    if manager is not None:
        manager.on_restored = catch_up
    app[SETTINGS] = settings
    app[STORAGE] = storage
    app[RASA] = rasa
    app[HUB] = hub
    app[DESK] = desk
    app[SIO] = sio
    app.on_shutdown.append(_stop_sockets)
    app.cleanup_ctx.append(_lifecycle)
    add_routes(app)
    return app
