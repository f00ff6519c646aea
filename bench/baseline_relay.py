"""The floor for this stack: a bare python-socketio relay between two rooms, nothing else.

Same namespaces and event names as the bridge, but no checks, no bot:
``python -m bench.baseline_relay PORT``. With ``--store PATH`` it also
commits every message to SQLite before forwarding it, as the bridge does
(WAL, ``synchronous=NORMAL``, one autocommitted INSERT on the event loop's
thread, no checkpoint while it runs): the floor for a relay that keeps what it
delivers, which tells the cost of durability apart from the bridge's own.
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from typing import Any

import socketio
from aiohttp import web

_SCHEMA = ("CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, conversation_id TEXT "
           "NOT NULL, sender TEXT NOT NULL, client_id TEXT, text TEXT NOT NULL, ts REAL NOT NULL)")
_INSERT = "INSERT INTO messages (conversation_id, sender, client_id, text, ts) VALUES (?, ?, ?, ?, ?)"


def open_store(path: str) -> sqlite3.Connection:
    """The durable relay's database, set up as the bridge sets up its own."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "wal_autocheckpoint=0"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute(_SCHEMA)
    return conn


def create_app(store: sqlite3.Connection | None = None) -> web.Application:
    """A relay: a customer's message goes to the agent's room and back (stored first with ``store``)."""
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
            if store is not None:
                store.execute(_INSERT, (data["conversation_id"], namespace, data.get("id"),
                                        data["text"], time.time()))
            await sio.emit("message", data, to=f"conv:{data['conversation_id']}", namespace=other)
            return {"ok": True}

        sio.on("connect", connect, namespace=namespace)
        sio.on("join", join, namespace=namespace)
        sio.on("message", message, namespace=namespace)

    on("/customer", "/agent")
    on("/agent", "/customer")
    return app


def main() -> None:
    """Serve on 127.0.0.1 until interrupted."""
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--store", help="SQLite file to commit every message to before forwarding it")
    args = parser.parse_args()
    store = open_store(args.store) if args.store else None
    web.run_app(create_app(store), host="127.0.0.1", port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
