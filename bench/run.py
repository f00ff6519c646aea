"""`make bench`: the system as a person experiences it, beside its baselines, in one run.

Writes bench/results.json and docs/benchmarks.md (with docs/benchmarks.png).
``QUICK=1`` runs every phase small, to check that the benchmark itself works.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import psutil

from bench import capacity, experience, report
from bench.load import Job, entry
from bench.servers import Server, agent_tokens, baseline, bridge, rasa
from bench.stats import summary
from bot.bridge.settings import REPO_ROOT
from bot.launcher import RASA_BIN

WORKERS = 2


def wake_cost(repetitions: int = 100, idle: float = 0.02) -> dict[str, float]:
    """Microseconds of one small piece of work done back to back, and after ``idle`` seconds asleep.

    The work (an insert into an in-memory SQLite table) does no I/O, so what
    the two differ by is what this machine charges a process that slept, as a
    socket server does between messages at low load: caches and the CPU's
    state lost while it waited.
    """
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)")
    timings: dict[str, list[float]] = {"busy_us": [], "after_idle_us": []}
    for key, pause in (("busy_us", 0.0), ("after_idle_us", idle)):
        for _ in range(repetitions):
            if pause:
                time.sleep(pause)
            started = time.perf_counter()
            conn.execute("INSERT INTO t (v) VALUES (?)", ("How are things going?",))
            timings[key].append((time.perf_counter() - started) * 1e6)
    conn.close()
    return {key: round(summary(values)["p50"], 1) for key, values in timings.items()}


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {"cores": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "cpu": cpu, "python": platform.python_version(), "os": platform.platform(),
            "wake_cost": wake_cost()}


def relay_run(server: Server, conversations: int, duration: float, interval: float) -> dict[str, Any]:
    """One run of relay traffic with ``conversations`` talking at once, split over worker processes.

    Returns the raw latencies (``to_agent``, ``to_customer``) and what the run cost.
    """
    share = [conversations // WORKERS + (1 if i < conversations % WORKERS else 0) for i in range(WORKERS)]
    jobs = []
    if server.kind == "bridge":
        tokens = agent_tokens(server, -(-conversations // 50) + WORKERS)
        offset = 0
        for count in share:
            need = -(-count // 50)
            jobs.append(Job("bridge", server.url, count, tokens[offset:offset + need],
                            duration=duration, interval=interval))
            offset += need
    else:
        jobs = [Job("baseline", server.url, count, duration=duration, interval=interval)
                for count in share]
    ctx = mp.get_context("spawn")
    start, end, queue = ctx.Barrier(len(jobs) + 1), ctx.Barrier(len(jobs) + 1), ctx.Queue()
    processes = [ctx.Process(target=entry, args=(job, start, end, queue)) for job in jobs]
    setting_up = time.monotonic()
    for process in processes:
        process.start()
    start.wait(timeout=600)
    setup = time.monotonic() - setting_up
    before, started = server.cpu_seconds(), time.monotonic()
    end.wait(timeout=600)
    cpu, wall = server.cpu_seconds() - before, time.monotonic() - started
    results = [queue.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(60)
    failed = [r["error"] for r in results if "error" in r]
    if failed:
        raise RuntimeError(f"load generator failed: {failed}")
    return {"to_agent": [x for r in results for x in r["to_agent"]],
            "to_customer": [x for r in results for x in r["to_customer"]],
            "lost": sum(r["lost"] for r in results), "server_cpu_seconds": cpu,
            "load_cpu_seconds": sum(r["cpu_seconds"] for r in results), "wall_seconds": wall,
            "setup_seconds": setup}


def pooled(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The runs of one server at one load as one result: latencies pooled, costs summed."""
    to_agent = [x for run in runs for x in run["to_agent"]]
    to_customer = [x for run in runs for x in run["to_customer"]]
    return {
        **summary(to_agent + to_customer),
        "to_agent": summary(to_agent),
        "to_customer": summary(to_customer),
        "lost": sum(run["lost"] for run in runs),
        "server_cpu_seconds": round(sum(run["server_cpu_seconds"] for run in runs), 2),
        "load_cpu_seconds": round(sum(run["load_cpu_seconds"] for run in runs), 2),
        "wall_seconds": round(sum(run["wall_seconds"] for run in runs), 1),
        # Connecting everyone and handing each conversation to its agent, before measuring (per run).
        "setup_seconds": round(max(run["setup_seconds"] for run in runs), 1),
        "runs": len(runs),
    }


#: The servers compared at each load: the bridge, the bare relay (the floor for
#: this stack), and the bare relay that commits every message before it forwards
#: it (the floor for a relay that keeps what it delivers).
KINDS = ("bridge", "baseline", "durable")

#: The order of their turns at each load, each for an equal share of the measured time.
TURNS = ("bridge", "baseline", "durable", "durable", "baseline", "bridge")


def _server(kind: str, work: Path) -> AbstractContextManager[Server]:
    return bridge(None, work) if kind == "bridge" else baseline(work, durable=kind == "durable")


def relay(level: int, duration: float, interval: float, work: Path,
          turns: tuple[str, ...] = TURNS) -> dict[str, dict[str, Any]]:
    """Every server of ``KINDS`` at one load, each over ``duration`` seconds in all.

    By default they take turns in the order of ``TURNS``, each on a fresh
    server, so that a drift of this shared machine's speed during the level
    (another tenant's load, CPU frequency) falls on all alike rather than on
    whichever ran last.

    Returns:
        Each kind's pooled result.
    """
    runs: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    share = duration * len(runs) / len(turns)
    for kind in turns:
        with _server(kind, work) as server:
            runs[kind].append(relay_run(server, level, share, interval))
    return {kind: pooled(kind_runs) for kind, kind_runs in runs.items()}


def detect(quick: bool) -> dict[str, Any]:
    """Distress detection per message, in the Rasa environment, through the trained model."""
    out = subprocess.run([str(RASA_BIN / "python"), "-m", "bench.detect", "--quick" if quick else "--full"],
                         cwd=REPO_ROOT, capture_output=True, text=True, check=True,
                         env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"})
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    """Run every phase and write the results and the report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "bench")
    parser.add_argument("--docs", type=Path, default=REPO_ROOT / "docs")
    args = parser.parse_args()
    quick = args.quick
    reps = 5 if quick else 40
    levels = [20, 100] if quick else [100, 500, 2000]
    duration = 3.0 if quick else 20.0
    # Each person writes every ~10 s; a smoke test wants a few messages from everyone quickly.
    interval = 2.0 if quick else 10.0
    work = Path(tempfile.mkdtemp(prefix="calor-bench-"))
    results: dict[str, Any] = {"quick": quick, "machine": machine(),
                               "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    began = time.monotonic()

    with rasa(work) as rasa_port, bridge(rasa_port, work) as server:
        token = agent_tokens(server, 1)[0]
        results["time_to_human_ms"] = summary(asyncio.run(
            experience.time_to_human(server.url, token, reps)))
        through, direct = asyncio.run(experience.bot_turns(server.url, rasa_port, reps))
        results["bot_turn_ms"], results["rasa_direct_ms"] = summary(through), summary(direct)
        results["bot_turn_overhead_ratio"] = round(
            results["bot_turn_ms"]["p50"] / results["rasa_direct_ms"]["p50"], 3)
        results["bot_turn_overhead_ms"] = round(
            results["bot_turn_ms"]["p50"] - results["rasa_direct_ms"]["p50"], 2)
        print("experience:", json.dumps({k: results[k] for k in ("time_to_human_ms", "bot_turn_ms",
                                                                  "rasa_direct_ms")}), flush=True)

    keys = {"bridge": "relay_ms", "baseline": "baseline_relay_ms", "durable": "durable_relay_ms"}
    for key in keys.values():
        results[key] = {}
    for level in levels:
        # A smoke test has no drift to cancel and two minutes in all: one turn each.
        pooled_runs = relay(level, duration, interval, work, KINDS if quick else TURNS)
        for kind, key in keys.items():
            results[key][str(level)] = pooled_runs[kind]
        print(f"relay {level} p50:", ", ".join(f"{kind} {pooled_runs[kind]['p50']}" for kind in KINDS),
              flush=True)

    with bridge(None, work) as server:
        held = capacity.measure(server, step=250 if quick else 2000, limit=500 if quick else 10000,
                                duration=2.0 if quick else 5.0)
    results.update(held)
    print("sockets:", held["max_sockets"], held["bytes_per_idle_socket"], flush=True)

    results.update(detect(quick))
    results["seconds"] = round(time.monotonic() - began, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    report.write(results, args.docs)
    print(f"bench: done in {results['seconds']} s; {args.out / 'results.json'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
