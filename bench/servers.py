"""Servers under test, each in its own process: the bridge, the bare relay, Rasa."""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import psutil

from bot.bridge.cli import add_agent
from bot.bridge.settings import REPO_ROOT, Settings, database_url
from bot.launcher import BRIDGE_PYTHON, Stack, services
from tests.support import free_port


class Server:
    """A running server process and its address."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, env: dict[str, str],
                 kind: str) -> None:
        self.kind = kind
        self.process = process
        self.port = port
        self.env = env
        self.url = f"http://127.0.0.1:{port}"
        self.ps = psutil.Process(process.pid)

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server has used so far."""
        times = self.ps.cpu_times()
        return float(times.user + times.system)

    def rss_bytes(self) -> int:
        """Resident memory of the server now."""
        return int(self.ps.memory_info().rss)


def _wait(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 (loopback only)
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} not ready in time")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def bridge(rasa_port: int | None, work: Path, **extra: str) -> Iterator[Server]:
    """A bridge process on a fresh SQLite database; with ``rasa_port`` None, Rasa is unreachable."""
    port = free_port()
    env = {
        **os.environ,
        "CALOR_SECRET_KEY": secrets.token_urlsafe(40),
        "CALOR_PORT": str(port),
        "CALOR_RASA_PORT": str(rasa_port or free_port()),
        "CALOR_DATABASE_URL": f"sqlite:///{Path(tempfile.mkdtemp(dir=work)) / 'calor.db'}",
        "CALOR_AGENT_CAPACITY": "50",
        # The load is many people on few connections; the per-socket limit is not under test.
        "CALOR_RATE_LIMIT": "10000",
        **extra,
    }
    log = open(work / f"bridge-{port}.log", "wb")  # noqa: SIM115
    process = subprocess.Popen([str(BRIDGE_PYTHON), "-m", "bot.bridge"], cwd=REPO_ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait(f"http://127.0.0.1:{port}/healthz", process)
        yield Server(process, port, env, "bridge")
    finally:
        _stop(process)
        log.close()


@contextmanager
def baseline(work: Path, durable: bool = False) -> Iterator[Server]:
    """The bare python-socketio relay; ``durable``: it commits every message to SQLite first."""
    port = free_port()
    kind = "durable" if durable else "baseline"
    log = open(work / f"{kind}-{port}.log", "wb")  # noqa: SIM115
    store = ["--store", str(Path(tempfile.mkdtemp(dir=work)) / "relay.db")] if durable else []
    process = subprocess.Popen([str(BRIDGE_PYTHON), "-m", "bench.baseline_relay", str(port), *store],
                               cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait(f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=polling", process)
        yield Server(process, port, dict(os.environ), kind)
    finally:
        _stop(process)
        log.close()


@contextmanager
def rasa(work: Path) -> Iterator[int]:
    """The Rasa server and the action server, as `make run` starts them; yields Rasa's port."""
    env = {**os.environ, "CALOR_SECRET_KEY": "x" * 40, "CALOR_RASA_PORT": str(free_port()),
           "CALOR_ACTIONS_PORT": str(free_port()), "CALOR_DEMO_STORE": str(work / "demo.db")}
    settings = Settings.from_env(env)
    stack = Stack([s for s in services(settings) if s.name != "bridge"], env, log_dir=work)
    stack.start()
    try:
        stack.wait_ready(timeout=300)
        yield settings.rasa_port
    finally:
        stack.stop()


def agent_tokens(server: Server, count: int) -> list[str]:
    """Create ``count`` agents (as `make agent-add` does) and log each in over HTTP."""

    async def make() -> list[str]:
        url = database_url(server.env)
        tokens = []
        async with aiohttp.ClientSession() as http:
            for number in range(count):
                username, password = f"bench{number}", secrets.token_urlsafe(12)
                await add_agent(url, username, username, password)
                async with http.post(f"{server.url}/api/login",
                                     json={"username": username, "password": password}) as response:
                    tokens.append((await response.json())["token"])
        return tokens

    return asyncio.run(make())
