"""Typed keys of the application state."""

from __future__ import annotations

import socketio
from aiohttp import web

from bot.bridge.desk import Desk
from bot.bridge.hub import Hub
from bot.bridge.rasa_client import RasaClient
from bot.bridge.settings import Settings
from bot.bridge.storage import Storage

SETTINGS = web.AppKey("settings", Settings)
STORAGE = web.AppKey("storage", Storage)
RASA = web.AppKey("rasa", RasaClient)
HUB = web.AppKey("hub", Hub)
DESK = web.AppKey("desk", Desk)
SIO = web.AppKey("sio", socketio.AsyncServer)
