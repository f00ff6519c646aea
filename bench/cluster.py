"""``make bench-cluster``: relay latency and sockets held with 2 bridge processes vs 1.

Both setups are the same cluster (nginx from docs/nginx.conf, PostgreSQL,
Redis), measured in one run with the load generator of ``make bench``; only
the number of bridge processes differs. Writes bench/cluster.json and the
table in docs/scaling.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil

from bench import capacity
from bench.run import machine, pooled, relay_run
from bench.servers import Server
from bot.bridge.settings import REPO_ROOT
from bot.cluster import Cluster, Ports
from tests.support import free_port

DOC = REPO_ROOT / "docs" / "scaling.md"
BEGIN, END = "<!-- bench-cluster:begin -->", "<!-- bench-cluster:end -->"


class ClusterServer(Server):
    """Every bridge of a cluster, measured as one server reached through nginx."""

    def __init__(self, cluster: Cluster, bridges: int) -> None:
        processes = [cluster.service(f"bridge{i}").process for i in range(1, bridges + 1)]
        assert all(processes)
        super().__init__(processes[0], cluster.ports.lb, cluster.env, "bridge")  # type: ignore[arg-type]
        self.url = cluster.base_url
        self.parts = [psutil.Process(p.pid) for p in processes if p is not None]

    def cpu_seconds(self) -> float:
        """CPU time of all bridges together."""
        return float(sum(p.cpu_times().user + p.cpu_times().system for p in self.parts))

    def rss_bytes(self) -> int:
        """Resident memory of all bridges together."""
        return int(sum(p.memory_info().rss for p in self.parts))


@contextmanager
def running(work: Path, bridges: int) -> Iterator[ClusterServer]:
    """A cluster with ``bridges`` bridge processes and no Rasa (the relay needs none)."""
    ports = Ports(lb=free_port(), bridges=tuple(free_port() for _ in range(bridges)),
                  rasa=(free_port(),), actions=free_port(), redis=free_port(), postgres=free_port())
    env = {**os.environ, "CALOR_SECRET_KEY": secrets.token_urlsafe(40), "CALOR_AGENT_CAPACITY": "50",
           # The load is many people on few connections; the per-socket limit is not under test.
           "CALOR_RATE_LIMIT": "10000"}
    # A fresh database each time: every phase creates its own agents.
    cluster = Cluster(Path(tempfile.mkdtemp(prefix=f"cluster-{bridges}-", dir=work)), ports, env,
                      rasa=False)
    try:
        cluster.start(timeout=120)
        yield ClusterServer(cluster, bridges)
    finally:
        cluster.stop()


def _table(results: dict[str, Any]) -> str:
    levels = sorted({level for r in results["setups"].values() for level in r["relay_ms"]}, key=int)
    lines = ["| bridges | " + " | ".join(f"relay p50 / p99 at {lvl} (ms)" for lvl in levels)
             + " | bridge CPU s at largest | most idle sockets (p99 < 100 ms) |",
             "| --- |" + " --- |" * (len(levels) + 2)]
    for bridges, r in sorted(results["setups"].items()):
        cells = [f"{r['relay_ms'][lvl]['p50']} / {r['relay_ms'][lvl]['p99']}" for lvl in levels]
        lines.append(f"| {bridges} | " + " | ".join(cells)
                     + f" | {r['relay_ms'][levels[-1]]['server_cpu_seconds']} | {r['max_sockets']:,} |")
    m = results["machine"]
    return (f"Measured by `make bench-cluster` on {results['started']}: {m['cores']} cores, "
            f"{m['memory_gb']} GB, Python {m['python']}; the load generator, nginx, PostgreSQL and "
            f"Redis share the machine with the bridges.\n\n" + "\n".join(lines) + "\n")


def main() -> int:
    """Measure both setups and write the results."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    levels = [50] if args.quick else [500, 2000]
    duration = 4.0 if args.quick else 20.0
    work = Path(tempfile.mkdtemp(prefix="calor-bench-cluster-"))
    work.chmod(0o755)  # PostgreSQL runs as its own user and must reach its data folder
    results: dict[str, Any] = {"machine": machine(), "setups": {},
                               "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    began = time.monotonic()
    for bridges in (1, 2):
        setup: dict[str, Any] = {"relay_ms": {}}
        for level in levels:
            with running(work, bridges) as server:
                setup["relay_ms"][str(level)] = pooled([relay_run(server, level, duration, interval=10.0)])
            print(f"{bridges} bridge(s), relay {level}:", setup["relay_ms"][str(level)]["p99"], flush=True)
        with running(work, bridges) as server:
            setup.update(capacity.measure(server, step=250 if args.quick else 2500,
                                          limit=500 if args.quick else 12500,
                                          duration=2.0 if args.quick else 5.0))
        print(f"{bridges} bridge(s), sockets:", setup["max_sockets"], flush=True)
        results["setups"][str(bridges)] = setup
    results["seconds"] = round(time.monotonic() - began, 1)
    if args.quick:
        print(json.dumps(results, indent=2))
        return 0
    (REPO_ROOT / "bench" / "cluster.json").write_text(json.dumps(results, indent=2) + "\n")
    text = DOC.read_text()
    DOC.write_text(re.sub(f"{BEGIN}.*{END}", lambda _: f"{BEGIN}\n{_table(results)}{END}", text,
                          flags=re.S))
    print(f"bench-cluster: done in {results['seconds']} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
