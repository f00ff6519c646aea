"""Helpers for the bridge tests: real python-socketio clients that record what they receive,
free ports, settings and agents."""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiohttp
import socketio
from aiohttp.test_utils import TestServer

from bot.bridge.cli import add_agent
from bot.bridge.keys import SETTINGS
from bot.bridge.settings import REPO_ROOT, Settings
from bot.launcher import BRIDGE_PYTHON, Stack, services


class Recorder:
    """A Socket.IO client on one namespace that keeps what arrives, in order."""

    def __init__(self, base_url: str, namespace: str) -> None:
        self.base_url = base_url
        self.namespace = namespace
        self.client = socketio.AsyncClient(reconnection=False)
        self.events: list[tuple[str, Any]] = []
        self._changed = asyncio.Condition()
        for name in ("session", "message", "status", "queue", "followups", "crisis", "presence", "typing"):
            self.client.on(name, self._recorder(name), namespace=namespace)

    def _recorder(self, name: str) -> Callable[[Any], Any]:
        async def record(data: Any) -> None:
            async with self._changed:
                self.events.append((name, data))
                self._changed.notify_all()
        return record

    async def connect(self, auth: dict[str, Any] | None = None) -> None:
        await self.client.connect(self.base_url, namespaces=[self.namespace], auth=auth,
                                  transports=["websocket"], wait_timeout=10)

    async def disconnect(self) -> None:
        await self.client.disconnect()

    def of(self, name: str) -> list[Any]:
        return [data for event, data in self.events if event == name]

    def mark(self) -> int:
        """A point in the event history; pass it as ``since`` to look only at what came after."""
        return len(self.events)

    async def wait_for(self, name: str, predicate: Callable[[Any], bool] = lambda _: True,
                       timeout: float = 30.0, since: int = 0) -> Any:
        """The first event called ``name`` that satisfies ``predicate``, waiting if need be."""
        async def found() -> Any:
            async with self._changed:
                while True:
                    for event, data in self.events[since:]:
                        if event == name and predicate(data):
                            return data
                    await self._changed.wait()
        return await asyncio.wait_for(found(), timeout)

    async def call(self, event: str, data: Any = None, timeout: float = 30.0) -> Any:
        return await self.client.call(event, data, namespace=self.namespace, timeout=timeout)


class Customer(Recorder):
    def __init__(self, base_url: str) -> None:
        super().__init__(base_url, "/customer")
        self.session: dict[str, Any] = {}

    async def start(self, token: str | None = None, last_seq: int | None = None) -> dict[str, Any]:
        auth: dict[str, Any] = {}
        if token is not None:
            auth["token"] = token
        if last_seq is not None:
            auth["last_seq"] = last_seq
        await self.connect(auth)
        session: dict[str, Any] = await self.wait_for("session")
        if session["last_seq"] > (last_seq or 0):
            await self.wait_for("message", lambda m: m["seq"] >= session["last_seq"])
        await self.wait_for("status")
        self.session = session
        return session

    async def another_tab(self) -> Customer:
        """A second socket on this customer's conversation, as a second browser tab opens one."""
        tab = Customer(self.base_url)
        await tab.start(token=self.session["token"])
        return tab

    async def say(self, text: str, msg_id: str | None = None) -> Any:
        return await self.call("message", {"id": msg_id or uuid.uuid4().hex, "text": text})

    def texts(self, sender: str | None = None) -> list[str]:
        return [m["text"] for m in self.of("message") if sender is None or m["from"] == sender]


class AgentClient(Recorder):
    def __init__(self, base_url: str) -> None:
        super().__init__(base_url, "/agent")
        self.token: str | None = None

    async def login(self, username: str, password: str) -> None:
        async with aiohttp.ClientSession() as http, http.post(
            f"{self.base_url}/api/login", json={"username": username, "password": password}
        ) as response:
            assert response.status == 200, await response.text()
            self.token = (await response.json())["token"]
        await self.connect({"token": self.token})

    async def say(self, conversation_id: str, text: str, msg_id: str | None = None) -> Any:
        return await self.call("message", {"conversation_id": conversation_id,
                                           "id": msg_id or uuid.uuid4().hex, "text": text})

    async def queued(self, conversation_id: str, timeout: float = 30.0,
                     since: int = 0) -> dict[str, Any]:
        """Wait until ``conversation_id`` shows up in this agent's queue; return its entry."""
        event = await self.wait_for(
            "queue", lambda q: any(c["conversation_id"] == conversation_id
                                   for c in q["conversations"]), timeout, since)
        entry: dict[str, Any] = next(c for c in event["conversations"]
                                     if c["conversation_id"] == conversation_id)
        return entry


ARTIFACTS = Path(__file__).parent / "artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def make_settings(tmp: Path, **overrides: str) -> Settings:
    env = {
        "CALOR_SECRET_KEY": secrets.token_urlsafe(40),
        "CALOR_DATABASE_URL": f"sqlite:///{tmp / 'calor.db'}",
        "CALOR_PORT": str(free_port()),
        **overrides,
    }
    return Settings.from_env(env)


def base_url(server: TestServer) -> str:
    return f"http://127.0.0.1:{server.port}"



async def make_agent(server: TestServer, username: str, name: str) -> AgentClient:
    password = secrets.token_urlsafe(12)
    await add_agent(server.app[SETTINGS].database_url, username, name, password)
    agent = AgentClient(base_url(server))
    await agent.login(username, password)
    return agent




@contextmanager
def running_stack(prefix: str) -> Iterator[tuple[dict[str, str], Path]]:
    """All three processes, exactly as `make run` starts them, on free ports and a fresh database.

    Yields:
        The environment they run with, and the folder with their logs and databases.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=ARTIFACTS))
    env = {
        **os.environ,
        "CALOR_SECRET_KEY": secrets.token_urlsafe(40),
        "CALOR_PORT": str(free_port()),
        "CALOR_RASA_PORT": str(free_port()),
        "CALOR_ACTIONS_PORT": str(free_port()),
        "CALOR_DATABASE_URL": f"sqlite:///{tmp / 'calor.db'}",
        "CALOR_DEMO_STORE": str(tmp / "demo_store.db"),
    }
    stack = Stack(services(Settings.from_env(env)), env, log_dir=tmp)
    stack.start()
    try:
        stack.wait_ready(timeout=300)
        yield env, tmp
    finally:
        stack.stop()


def add_agent_with_cli(env: dict[str, str], username: str, display_name: str, password: str) -> None:
    """Create an agent exactly as `make agent-add` does, password on stdin."""
    result = subprocess.run(
        [str(BRIDGE_PYTHON), "-m", "bot.bridge.cli", "agent-add", username,
         "--display-name", display_name],
        input=password + "\n", capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert password not in result.stdout + result.stderr
