"""Start the three processes (Rasa, the action server, the bridge) and stop them together.

``make run`` calls :func:`main`; the end-to-end tests use :class:`Stack` to
start the very same commands on free ports.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bot.bridge.errors import ConfigError
from bot.bridge.settings import REPO_ROOT, Settings

RASA_BIN = REPO_ROOT / ".venv" / "rasa" / "bin"
BRIDGE_PYTHON = REPO_ROOT / ".venv" / "bridge" / "bin" / "python"
MODEL = REPO_ROOT / "models" / "calor.tar.gz"
SECRET_FILE = REPO_ROOT / "var" / "secret_key"


@dataclass
class Service:
    """One child process and how to tell that it is ready (an HTTP URL, or ``tcp://host:port``)."""

    name: str
    argv: list[str]
    health_url: str
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None


def services(settings: Settings, model: Path = MODEL,
             rasa_api_token: str | None = None) -> list[Service]:
    """The three processes of calor, configured from ``settings``.

    Args:
        settings: Ports and the rest.
        model: The trained Rasa model.
        rasa_api_token: When given, Rasa's HTTP API is enabled (still on
            127.0.0.1) behind this token, so tests can read its trackers.
    """
    rasa = str(RASA_BIN / "rasa")
    api = ["--enable-api", "--auth-token", rasa_api_token] if rasa_api_token else []
    return [
        Service(
            "rasa",
            [rasa, "run", "--model", str(model), "--endpoints", "bot/endpoints.yml",
             "--credentials", "bot/credentials.yml", "--interface", "127.0.0.1",
             "--port", str(settings.rasa_port), *api],
            f"{settings.rasa_url}/",
        ),
        Service(
            "actions",
            [rasa, "run", "actions", "--actions", "actions", "--port", str(settings.actions_port)],
            f"http://127.0.0.1:{settings.actions_port}/health",
            # rasa-sdk reads its interface from here; keep the action server on loopback.
            {"SANIC_HOST": "127.0.0.1"},
        ),
        Service(
            "bridge",
            [str(BRIDGE_PYTHON), "-m", "bot.bridge"],
            f"http://127.0.0.1:{settings.port}/healthz",
        ),
    ]


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _ready(url: str) -> bool:
    if url.startswith("tcp://"):
        # Servers that speak no HTTP (PostgreSQL, Redis): ready once they accept connections.
        host, _, port = url.removeprefix("tcp://").rpartition(":")
        try:
            with socket.create_connection((host, int(port)), timeout=2):
                return True
        except OSError:
            return False
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback only)
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


class Stack:
    """A set of running services that start and stop together.

    Args:
        chosen: The services to run.
        env: The environment every child gets (plus its own extras).
        log_dir: Where each child's output goes; None lets it reach the terminal.
    """

    def __init__(self, chosen: Sequence[Service], env: Mapping[str, str],
                 log_dir: Path | None = None) -> None:
        self.services = list(chosen)
        # Rasa would otherwise try to report usage and crashes to an outside host.
        self.env = {**env, "RASA_TELEMETRY_ENABLED": "false"}
        self.log_dir = log_dir
        self._logs: list[IO[bytes]] = []

    def start(self) -> None:
        """Start every service, each in its own process group."""
        for service in self.services:
            self._spawn(service)

    def _spawn(self, service: Service) -> None:
        out: IO[bytes] | None = None
        if self.log_dir is not None:
            out = open(self.log_dir / f"{service.name}.log", "ab")  # noqa: SIM115
            self._logs.append(out)
        service.process = subprocess.Popen(
            service.argv, cwd=REPO_ROOT, env={**self.env, **service.env},
            stdout=out, stderr=subprocess.STDOUT if out else None, start_new_session=True,
        )

    def _named(self, name: str) -> Service:
        return next(s for s in self.services if s.name == name)

    def kill(self, name: str, sig: int = signal.SIGKILL, timeout: float = 60.0) -> None:
        """Send ``sig`` to one service's process group and wait until it has exited."""
        process = self._named(name).process
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        process.wait(timeout)

    def start_one(self, name: str, timeout: float = 120.0) -> None:
        """Start one (stopped) service again and wait until it is ready."""
        service = self._named(name)
        self._spawn(service)
        Stack([service], self.env).wait_ready(timeout)

    def wait_ready(self, timeout: float = 300.0) -> None:
        """Block until every service answers its health check.

        Raises:
            RuntimeError: A service exited or did not become ready in time.
        """
        deadline = time.monotonic() + timeout
        pending = list(self.services)
        while pending:
            for service in list(pending):
                assert service.process is not None
                if service.process.poll() is not None:
                    raise RuntimeError(f"{service.name} exited with code {service.process.returncode}")
                if _ready(service.health_url):
                    pending.remove(service)
            if pending and time.monotonic() > deadline:
                raise RuntimeError("not ready in time: " + ", ".join(s.name for s in pending))
            if pending:
                time.sleep(0.5)

    def failed(self) -> Service | None:
        """A service that has exited, if any."""
        return next((s for s in self.services if s.process and s.process.poll() is not None), None)

    def stop(self, grace: float = 10.0) -> None:
        """Ask every service to stop, then kill what is left after ``grace`` seconds."""
        running = [s.process for s in self.services if s.process and s.process.poll() is None]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in running:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for log in self._logs:
            log.close()


def secret_key() -> str:
    """The key that signs customer tokens: from the environment, or made once and kept in var/."""
    if os.environ.get("CALOR_SECRET_KEY"):
        return os.environ["CALOR_SECRET_KEY"]
    if not SECRET_FILE.exists():
        SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
        SECRET_FILE.write_text(secrets.token_urlsafe(48))
        SECRET_FILE.chmod(0o600)
    return SECRET_FILE.read_text().strip()


async def ensure_demo_agent(url: str) -> str | None:
    """Create the demo agent on an empty database; returns its password, or None if agents exist."""
    from bot.bridge.cli import add_agent
    from bot.bridge.storage import Storage

    storage = Storage(url)
    try:
        await storage.start()
        if await storage.agent_count() > 0:
            return None
    finally:
        await storage.close()
    password = secrets.token_urlsafe(12)
    await add_agent(url, "demo", "Sam", password)
    return password


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def demo_agent_line(password: str | None) -> str:
    """What to print about the demo agent: its password, on a fresh database only."""
    return f"\n  Demo agent: username 'demo', password '{password}' (shown only this once)" \
        if password else ""


def supervise(starting: str, start: Callable[[], str], failed: Callable[[], Service | None],
              stop: Callable[[], None]) -> int:
    """Start, say where to go, and stop everything on Ctrl-C or when any child dies.

    Args:
        starting: Printed before starting.
        start: Starts everything and returns what to print once it runs.
        failed: A child that has exited, if any.
        stop: Stops everything.

    Returns:
        The exit code: 0 after Ctrl-C, 1 when something failed.
    """
    # Set both explicitly: a shell that starts us in the background ignores SIGINT,
    # and Ctrl-C must still stop everything.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        print(starting)
        print(start())
        print("Press Ctrl-C to stop.\n", flush=True)
        while (dead := failed()) is None:
            time.sleep(0.5)
        print(f"calor: {dead.name} stopped unexpectedly; stopping the rest", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ncalor: stopping…")
        return 0
    except (RuntimeError, subprocess.CalledProcessError) as err:
        print(f"calor: {err}", file=sys.stderr)
        return 1
    finally:
        stop()


def main() -> int:
    """``make run``: start everything, print where to go, stop everything on Ctrl-C."""
    env = {**os.environ, "CALOR_SECRET_KEY": secret_key()}
    try:
        settings = Settings.from_env(env)
    except ConfigError as err:
        print(f"calor: bad configuration: {err}", file=sys.stderr)
        return 2
    env["CALOR_ACTIONS_PORT"] = str(settings.actions_port)
    if not MODEL.exists():
        print("calor: no trained model; run `make run` (it trains one)", file=sys.stderr)
        return 2
    busy = [p for p in (settings.port, settings.rasa_port, settings.actions_port) if not _port_free(p)]
    if busy:
        print(f"calor: port(s) {', '.join(map(str, busy))} already in use; "
              "set CALOR_PORT, CALOR_RASA_PORT or CALOR_ACTIONS_PORT", file=sys.stderr)
        return 2
    password = asyncio.run(ensure_demo_agent(settings.database_url))
    stack = Stack(services(settings), env)

    def start() -> str:
        stack.start()
        stack.wait_ready()
        base = f"http://{settings.host}:{settings.port}"
        return (f"\ncalor is running.\n  Demo page with the chat widget: {base}/\n"
                f"  Agent console:                  {base}/agent" + demo_agent_line(password))

    return supervise("calor: starting Rasa, the action server and the bridge "
                     "(loading the model takes a while)…", start, stack.failed, stack.stop)


if __name__ == "__main__":
    sys.exit(main())
