"""Fixtures of the integration tier.

The Rasa server and the action server are real: they run the model that
`make test` trained, on free loopback ports, once per test session.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

from bot.bridge.app import create_app
from bot.bridge.settings import Settings
from bot.launcher import MODEL, Stack, services
from tests.postgres import postgres_server, reset
from tests.support import ARTIFACTS, AgentClient, Customer, base_url, free_port, make_agent, make_settings

#: Rasa's HTTP API is on in the tests only, to read trackers (order of arrival at Rasa).
RASA_API_TOKEN = secrets.token_urlsafe(16)


@pytest.fixture(scope="session")
def rasa_ports() -> Iterator[dict[str, str]]:
    """Start the real Rasa server and action server once; yield their ports."""
    if not MODEL.exists():
        pytest.fail("no trained model: run the tests with `make test`, which trains it")
    ARTIFACTS.mkdir(exist_ok=True)
    log_dir = Path(tempfile.mkdtemp(prefix="rasa-logs-", dir=ARTIFACTS))
    ports = {"CALOR_RASA_PORT": str(free_port()), "CALOR_ACTIONS_PORT": str(free_port()),
             "CALOR_DEMO_STORE": str(log_dir / "demo_store.db")}
    settings = Settings.from_env({"CALOR_SECRET_KEY": "x" * 40, **ports})
    chosen = [s for s in services(settings, rasa_api_token=RASA_API_TOKEN) if s.name != "bridge"]
    stack = Stack(chosen, {**os.environ, **ports}, log_dir=log_dir)
    stack.start()
    try:
        stack.wait_ready(timeout=300)
        yield ports
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """A real PostgreSQL server for the whole session."""
    with postgres_server(free_port()) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every bridge test runs on the embedded default and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'calor.db'}"
    url: str = request.getfixturevalue("postgres")
    reset(url)
    return url


@pytest.fixture
async def bridge(rasa_ports: dict[str, str], database_url: str,
                 tmp_path: Path) -> AsyncIterator[TestServer]:
    """The bridge in-process, on a real loopback port, talking to the real Rasa."""
    settings = make_settings(tmp_path, CALOR_RASA_PORT=rasa_ports["CALOR_RASA_PORT"],
                             CALOR_DATABASE_URL=database_url)
    server = TestServer(create_app(settings), host="127.0.0.1", port=settings.port)
    await server.start_server()
    yield server
    await server.close()


@pytest.fixture
async def customer(bridge: TestServer) -> AsyncIterator[Customer]:
    client = Customer(base_url(bridge))
    yield client
    await client.disconnect()


@pytest.fixture
async def agent(bridge: TestServer) -> AsyncIterator[AgentClient]:
    client = await make_agent(bridge, "maria", "Maria")
    yield client
    await client.disconnect()
