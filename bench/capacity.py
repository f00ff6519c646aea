"""How many idle customer sockets one bridge process holds, and what each one costs."""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import resource
from multiprocessing.connection import Connection
from typing import Any

import socketio

from bench.load import CONNECT_AT_ONCE, Job, run
from bench.servers import Server, agent_tokens
from bench.stats import percentile

#: The relay latency an idle crowd may push the active conversations to.
P99_LIMIT_MS = 100.0
PROBE_CONVERSATIONS = 20


def _hold(url: str, count: int, pipe: Connection) -> None:
    """Process entry point: open ``count`` idle customer sockets, report, hold until told."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    async def main() -> None:
        gate = asyncio.Semaphore(CONNECT_AT_ONCE)
        clients: list[socketio.AsyncClient] = []
        failed = 0

        async def one() -> None:
            nonlocal failed
            client = socketio.AsyncClient(reconnection=False, handle_sigint=False)
            async with gate:
                try:
                    await client.connect(url, namespaces=["/customer"], transports=["websocket"],
                                         wait_timeout=30)
                    clients.append(client)
                except socketio.exceptions.ConnectionError:
                    failed += 1

        await asyncio.gather(*(one() for _ in range(count)))
        pipe.send({"connected": len(clients), "failed": failed})
        await asyncio.get_running_loop().run_in_executor(None, pipe.recv)
        await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)

    asyncio.run(main())


def measure(server: Server, step: int, limit: int, duration: float) -> dict[str, Any]:
    """Add idle sockets ``step`` at a time until relay p99 passes the limit or ``limit`` is reached.

    Returns:
        ``max_sockets`` (the most idle sockets held with p99 under the limit),
        ``bytes_per_idle_socket``, and the p99 after each step.
    """
    ctx = mp.get_context("spawn")
    # A fresh agent for every probe: each probe's conversations stay assigned to its agent.
    tokens = agent_tokens(server, -(-limit // step) + 1)
    base_rss = server.rss_bytes()
    holders: list[tuple[Any, Connection]] = []
    held, steps, rss = 0, [], base_rss
    try:
        while held < limit:
            parent, child = ctx.Pipe()
            process = ctx.Process(target=_hold, args=(server.url, min(step, limit - held), child))
            process.start()
            holders.append((process, parent))
            report = parent.recv()
            if report["failed"]:
                steps.append({"sockets": held + report["connected"], "failed": report["failed"]})
                break
            held += report["connected"]
            rss = server.rss_bytes()
            with ctx.Pool(1) as pool:
                probe = pool.apply(run, (Job("bridge", server.url, PROBE_CONVERSATIONS,
                                             [tokens[len(steps)]],
                                             duration=duration, interval=1.0),))
            latencies = probe["to_agent"] + probe["to_customer"]
            p99 = percentile(latencies, 99)
            steps.append({"sockets": held, "relay_p99_ms": round(p99, 2), "rss_bytes": rss})
            if p99 > P99_LIMIT_MS:
                break
        ok = [s["sockets"] for s in steps if s.get("relay_p99_ms", 1e9) <= P99_LIMIT_MS]
        return {
            "max_sockets": max(ok) if ok else 0,
            "bytes_per_idle_socket": int((rss - base_rss) / held) if held else None,
            "steps": steps,
        }
    finally:
        for _, parent in holders:
            parent.send("stop")
        for process, _ in holders:
            process.join(60)
