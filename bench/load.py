"""The load generator: customers and agents as real Socket.IO clients, in their own process.

A worker owns a slice of the conversations (each with one customer socket and
a share of an agent socket), so both ends of every message are timed on one
clock, and the generator's CPU is never the server's.
"""

from __future__ import annotations

import asyncio
import random
import resource
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import socketio

CONNECT_AT_ONCE = 50


@dataclass
class Job:
    """What one worker process does.

    Attributes:
        kind: "bridge" (the product) or "baseline" (the bare relay).
        url: The server.
        conversations: How many conversations this worker carries.
        agent_tokens: Agent tokens (bridge only); conversation i goes to agent i % (number of agents).
        per_agent: Conversations per agent (at most).
        duration: Seconds of measured traffic.
        interval: Seconds between messages of one person, on average.
    """

    kind: str
    url: str
    conversations: int
    agent_tokens: list[str] = field(default_factory=list)
    per_agent: int = 50
    duration: float = 10.0
    interval: float = 10.0


def _client() -> socketio.AsyncClient:
    return socketio.AsyncClient(reconnection=False, handle_sigint=False)


async def _connect(client: socketio.AsyncClient, url: str, namespace: str, auth: Any) -> None:
    await client.connect(url, namespaces=[namespace], auth=auth, transports=["websocket"],
                         wait_timeout=30)


class Worker:
    """Sets up the conversations of a :class:`Job`, then times messages both ways."""

    def __init__(self, job: Job) -> None:
        self.job = job
        # One pending map per direction, so only the other side's arrival is timed.
        self.sent: dict[str, dict[str, float]] = {"to_agent": {}, "to_customer": {}}
        self.to_agent: list[float] = []
        self.to_customer: list[float] = []
        self.customers: list[tuple[socketio.AsyncClient, str]] = []
        self.agents: list[socketio.AsyncClient] = []
        self.errors = 0

    def _arrived(self, direction: str) -> Any:
        bucket = getattr(self, direction)
        pending = self.sent[direction]

        async def on_message(data: Any) -> None:
            started = pending.pop(str(data.get("id")), None) if isinstance(data, dict) else None
            if started is not None:
                bucket.append((time.perf_counter() - started) * 1000)
        return on_message

    async def _customer(self, index: int) -> tuple[socketio.AsyncClient, str]:
        client = _client()
        session: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        if self.job.kind == "bridge":
            def on_session(data: Any) -> None:
                if not session.done():
                    session.set_result(data["conversation_id"])
            client.on("session", on_session, namespace="/customer")
        client.on("message", self._arrived("to_customer"), namespace="/customer")
        await _connect(client, self.job.url, "/customer", {})
        if self.job.kind == "bridge":
            conversation_id = await asyncio.wait_for(session, 30)
            await client.call("request_human", {}, namespace="/customer", timeout=60)
        else:
            conversation_id = uuid.uuid4().hex
            await client.call("join", {"conversation_id": conversation_id}, namespace="/customer")
        return client, conversation_id

    async def setup(self) -> None:
        """Staff the desk, then connect every customer and hand each conversation to its agent.

        Through the product's own events, ordered to keep setup short: the
        agents are online before anyone asks for a person (no broadcast of a
        growing queue to each newcomer), and the conversations are accepted
        from the back of the queue, several agents at once, so that the
        customers still waiting keep their places (no new status for each of
        them after every accept).
        """
        agent_count = -(-self.job.conversations // self.job.per_agent)

        async def agent(number: int) -> socketio.AsyncClient:
            client = _client()
            client.on("message", self._arrived("to_agent"), namespace="/agent")
            token = self.job.agent_tokens[number] if self.job.kind == "bridge" else ""
            await _connect(client, self.job.url, "/agent", {"token": token})
            return client

        self.agents = list(await asyncio.gather(*(agent(n) for n in range(agent_count))))
        gate = asyncio.Semaphore(CONNECT_AT_ONCE)

        async def customer(index: int) -> tuple[socketio.AsyncClient, str]:
            async with gate:
                return await self._customer(index)

        self.customers = list(await asyncio.gather(*(customer(i)
                                                     for i in range(self.job.conversations))))

        # Neighbours in the queue belong to different agents, so they are taken in parallel.
        window = asyncio.Semaphore(agent_count)

        async def take(index: int) -> None:
            async with window:
                ack = await self._agent_of(index).call(
                    "accept" if self.job.kind == "bridge" else "join",
                    {"conversation_id": self.customers[index][1]}, namespace="/agent", timeout=120)
            if not ack.get("ok"):
                raise RuntimeError(f"could not take conversation {index}: {ack}")

        await asyncio.gather(*(take(i) for i in reversed(range(len(self.customers)))))

    def _agent_of(self, index: int) -> socketio.AsyncClient:
        return self.agents[index % len(self.agents)]

    async def _talk(self, index: int, until: float) -> None:
        customer, conversation_id = self.customers[index]
        agent = self._agent_of(index)
        rng = random.Random(index)
        # Start spread over the first interval, so the load is even rather than in waves.
        await asyncio.sleep(rng.uniform(0, min(self.job.interval, self.job.duration / 2)))
        while True:
            for sender, namespace, direction in ((customer, "/customer", "to_agent"),
                                                 (agent, "/agent", "to_customer")):
                if time.perf_counter() >= until:
                    return  # the measuring window ends for everyone at the same time
                message_id = uuid.uuid4().hex
                self.sent[direction][message_id] = time.perf_counter()
                try:
                    await sender.emit("message", {"conversation_id": conversation_id,
                                                  "id": message_id, "text": "How are things going?"},
                                      namespace=namespace)
                except socketio.exceptions.SocketIOError:
                    self.errors += 1
                pause = rng.uniform(0.5, 1.5) * self.job.interval / 2
                await asyncio.sleep(max(0.0, min(pause, until - time.perf_counter())))

    async def measure(self) -> None:
        """Every conversation talks both ways for ``duration`` seconds."""
        until = time.perf_counter() + self.job.duration
        await asyncio.gather(*(self._talk(i, until) for i in range(len(self.customers))))
        await asyncio.sleep(1.0)  # let the last messages land

    async def close(self) -> None:
        """Disconnect everyone."""
        for client in [c for c, _ in self.customers] + self.agents:
            await client.disconnect()


def run(job: Job, start: Any = None, end: Any = None) -> dict[str, Any]:
    """Process entry point: set up, measure, and report latencies and this process's CPU.

    Args:
        job: What to do.
        start: A barrier passed once every worker is set up, so nobody measures
            while another still connects; the parent waits on it too.
        end: A barrier passed once every worker has measured.
    """
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    async def gate(barrier: Any) -> None:
        if barrier is not None:
            await asyncio.get_running_loop().run_in_executor(None, barrier.wait)

    async def main() -> dict[str, Any]:
        worker = Worker(job)
        try:
            await worker.setup()
            await gate(start)
            before = time.process_time()
            await worker.measure()
            cpu = time.process_time() - before
            await gate(end)
        finally:
            await worker.close()
        return {"to_agent": worker.to_agent, "to_customer": worker.to_customer,
                "lost": sum(len(p) for p in worker.sent.values()), "errors": worker.errors,
                "cpu_seconds": cpu}

    return asyncio.run(main())


def entry(job: Job, start: Any, end: Any, results: Any) -> None:
    """A worker process: run ``job`` and put its report on ``results``."""
    try:
        results.put(run(job, start, end))
    except BaseException as err:
        # Release the others and the parent rather than leave them waiting forever.
        for barrier in (start, end):
            barrier.abort()
        results.put({"error": repr(err)})
