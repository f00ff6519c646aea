"""The floor for this stack: a bare python-socketio relay between two rooms, nothing else.

Same namespaces and event names as the bridge, but no storage, no checks, no bot:
``python -m bench.baseline_relay PORT``.
"""

from __future__ import annotations

import sys
from typing import Any

import socketio
from aiohttp import web


def create_app() -> web.Application:
    """A relay: a customer's message goes to the agent's room and back."""
    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
    app = web.Application()
    sio.attach(app)

    async def join(sid: str, data: Any) -> dict[str, bool]:
        await sio.enter_room(sid, f"conv:{data['conversation_id']}", namespace=sio_namespace(sid))
        return {"ok": True}

    namespaces: dict[str, str] = {}

    def sio_namespace(sid: str) -> str:
        return namespaces[sid]

    def on(namespace: str, other: str) -> None:
        async def connect(sid: str, environ: Any, auth: Any = None) -> None:
            namespaces[sid] = namespace

        async def message(sid: str, data: Any) -> dict[str, Any]:
            await sio.emit("message", data, to=f"conv:{data['conversation_id']}", namespace=other)
            return {"ok": True}

        sio.on("connect", connect, namespace=namespace)
        sio.on("join", join, namespace=namespace)
        sio.on("message", message, namespace=namespace)

    on("/customer", "/agent")
    on("/agent", "/customer")
    return app


if __name__ == "__main__":
    web.run_app(create_app(), host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
