"""One real cluster for the fault tests: 2 bridges, 2 Rasa instances, the action server,
PostgreSQL, Redis and nginx (with docs/nginx.conf), started exactly as `make run-cluster` does."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pytest

from bot.bridge.cli import add_agent
from bot.cluster import Cluster, Ports
from tests.support import ARTIFACTS, AgentClient, Customer, free_port


@dataclass
class Running:
    """The cluster and how to reach its parts."""

    cluster: Cluster

    @property
    def lb(self) -> str:
        return self.cluster.base_url

    def bridge(self, n: int) -> str:
        """Straight to bridge ``n`` (1 or 2), bypassing nginx."""
        return f"http://127.0.0.1:{self.cluster.ports.bridges[n - 1]}"

    def sockets_on(self, n: int) -> int:
        """Open connections on bridge ``n``'s port: which bridge holds a new socket."""
        process = self.cluster.service(f"bridge{n}").process
        assert process is not None
        port = self.cluster.ports.bridges[n - 1]
        return sum(1 for c in psutil.Process(process.pid).net_connections(kind="tcp")
                   if c.status == psutil.CONN_ESTABLISHED and c.laddr and c.laddr.port == port)

    async def agent(self, base: str, name: str) -> AgentClient:
        username = f"{name.lower()}-{uuid.uuid4().hex[:6]}"
        password = secrets.token_urlsafe(12)
        await add_agent(self.cluster.storage_url, username, name, password)
        client = AgentClient(base)
        await client.login(username, password)
        await client.wait_for("queue")
        return client

    async def customer_on(self, n: int) -> Customer:
        """A customer who came in through nginx and landed on bridge ``n``."""
        # nginx skips a bridge for a few seconds after it failed (e.g. was just restarted).
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            before = self.sockets_on(n)
            customer = Customer(self.lb)
            await customer.start()
            if self.sockets_on(n) > before:
                return customer
            await customer.disconnect()
            await asyncio.sleep(0.5)
        raise AssertionError(f"nginx never sent a customer to bridge {n}")


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    ARTIFACTS.mkdir(exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="cluster-", dir=ARTIFACTS))
    ports = Ports(lb=free_port(), bridges=(free_port(), free_port()), rasa=(free_port(), free_port()),
                  actions=free_port(), redis=free_port(), postgres=free_port())
    env = {**os.environ, "CALOR_SECRET_KEY": secrets.token_urlsafe(40),
           "CALOR_DEMO_STORE": str(root / "demo_store.db"),
           # A turn that hangs counts as "bot unavailable" sooner than in production.
           "CALOR_RASA_TIMEOUT": "20"}
    running = Cluster(root, ports, env)
    try:
        running.start()
        yield running
    finally:
        running.stop()
        # Keep the logs for a look after a failure; the database files are large.
        shutil.rmtree(root / "pg", ignore_errors=True)


@pytest.fixture
async def up(cluster: Cluster) -> AsyncIterator[Running]:
    """The cluster, with whatever an earlier test broke started again."""
    for stack in (cluster.infra, cluster.apps):
        for service in stack.services:
            if service.process is None or service.process.poll() is not None:
                stack.start_one(service.name, timeout=180)
    yield Running(cluster)


def texts(events: list[Any], sender: str) -> list[str]:
    """Message texts from one sender, once per seq (as every client shows them)."""
    by_seq = {m["seq"]: m for m in events if m["from"] == sender}
    return [by_seq[seq]["text"] for seq in sorted(by_seq)]
