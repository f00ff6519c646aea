"""docs/benchmarks.md and its plot, from results.json."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (the backend must be chosen first)

Results = dict[str, Any]

TARGETS: list[tuple[str, Callable[[Results], bool], Callable[[Results], str]]] = [
    ("time to human p99 < 1 s", lambda r: r["time_to_human_ms"]["p99"] < 1000,
     lambda r: f"p99 {r['time_to_human_ms']['p99']:.0f} ms"),
    ("bridge overhead on a bot turn < 10 %", lambda r: r["bot_turn_overhead_ratio"] < 1.10,
     lambda r: f"{(r['bot_turn_overhead_ratio'] - 1) * 100:+.1f} % ({r['bot_turn_overhead_ms']:+.1f} ms)"),
    ("relay p99 < 50 ms at the largest load", lambda r: _top(r, "relay_ms")["p99"] < 50,
     lambda r: f"p99 {_top(r, 'relay_ms')['p99']:.1f} ms"),
    ("relay within 1.5× of the bare relay (p50), at every load",
     lambda r: all(ratio <= 1.5 for ratio in _ratios(r).values()),
     lambda r: ", ".join(f"{ratio:.2f}× at {int(level):,}" for level, ratio in _ratios(r).items())),
    ("≥ 5,000 idle customer sockets on one process", lambda r: r["max_sockets"] >= 5000,
     lambda r: f"{r['max_sockets']:,} sockets"),
    ("memory per idle socket < 50 KB", lambda r: (r["bytes_per_idle_socket"] or 0) < 50_000,
     lambda r: f"{(r['bytes_per_idle_socket'] or 0) / 1000:.1f} KB"),
    ("distress detection ≤ 20 ms median", lambda r: r["detect_ms"]["p50"] <= 20,
     lambda r: f"p50 {r['detect_ms']['p50']:.1f} ms"),
]


def _cpu_ms(level: dict[str, Any]) -> float:
    """Server CPU per relayed message, in milliseconds."""
    return float(level["server_cpu_seconds"]) * 1000 / level["n"] if level["n"] else 0.0


def _durable(r: Results, level: str) -> dict[str, Any] | None:
    """The durable relay at ``level``, if this run measured it."""
    durable: dict[str, Any] | None = r.get("durable_relay_ms", {}).get(level)
    return durable


def analysis(r: Results) -> list[str]:
    """Where each target stands and why, in the numbers of this run."""
    ratios = _ratios(r)
    lines = []
    for level in sorted(r["relay_ms"], key=int):
        b, base, durable = r["relay_ms"][level], r["baseline_relay_ms"][level], _durable(r, level)
        line = (f"- **Relay at {int(level):,} conversations** ({'met' if ratios[level] <= 1.5 else 'missed'}"
                f", {ratios[level]:.2f}×). A message about every {5000 // int(level)} ms. Bridge p50 "
                f"{b['p50']:.2f} ms, bare relay {base['p50']:.2f} ms")
        if durable:
            line += (f", durable relay {durable['p50']:.2f} ms: keeping every message costs the bare "
                     f"relay {durable['p50'] / base['p50']:.2f}×, and the bridge is "
                     f"{b['p50'] / durable['p50']:.2f}× the relay that keeps them")
        line += (f". CPU per message: bridge {_cpu_ms(b):.2f} ms, bare {_cpu_ms(base):.2f} ms"
                 + (f", durable {_cpu_ms(durable):.2f} ms." if durable else "."))
        lines.append(line)
    top = max(r["relay_ms"], key=int)
    busy = {name: r[key][top]["server_cpu_seconds"] / r[key][top]["wall_seconds"]
            for name, key in (("bridge", "relay_ms"), ("bare", "baseline_relay_ms"),
                              ("durable", "durable_relay_ms")) if top in r.get(key, {})}
    lines.append(
        f"- **Why the high load follows CPU.** At {int(top):,} conversations ~{int(top) // 5} "
        "messages a second reach one process, which was busy "
        + ", ".join(f"{share:.0%} of the time ({name})" for name, share in busy.items())
        + ": a message that arrives while the one before is being handled waits for it, so "
        "the p50 grows with the CPU per message. By the timeline below, the bridge's CPU beyond "
        "the durable relay's is its checks and its richer append (the seq, the retry check "
        "and the agent's hold on the conversation in one statement, four WAL frames where "
        "the durable relay writes one); beside them the bridge checkpoints its WAL every "
        "0.5 s (the only disk syncs), "
        "which the durable relay never does while it runs. The bare relay's own p50 moves "
        "between 1.3 and 2.0 ms from run to run on this shared machine, and every ratio with "
        "it: at 2,000 the bridge was 1.27× of it in the `make bench` of 2026-11-23 09:35, "
        "2.20× in the one of 14:11 and 1.78× (1.36× of the durable relay) in a rerun of that "
        "level alone at 14:22.")
    wake = r["machine"].get("wake_cost")
    if wake:
        lines.append(
            "- **Why the low load is the hard one.** At 100 conversations each message finds the "
            "server asleep, and this machine charges for waking: a small insert into an in-memory "
            f"SQLite table took {wake['busy_us']:.1f} µs back to back and {wake['after_idle_us']:.1f} "
            "µs after 20 ms asleep (`machine.wake_cost`, this run). Spinning 300 µs of other "
            "code first does not make it cheaper, a second insert right after the first costs "
            "~6 µs: what the sleep loses is the caches, so every line of code and data a "
            "message touches is paid for again, several times its hot cost. Timed inside the "
            "servers at 100 conversations (a per-message timeline, 2026-11-23, ~250 messages "
            "each, medians from the frame's arrival): all three reach their handler ~0.2 ms "
            "after the frame arrives; the bare relay sends at ~0.35–0.5 ms, the relay that "
            "keeps messages at ~0.55–0.6 ms (its INSERT ~0.1 ms), the bridge at ~1.0–1.3 ms: "
            "~0.15 ms on the event's checks (order per socket, rate limit, the payload's "
            "fields), ~0.4 ms on the append (SQLite's step ~0.15, the commit of its four WAL "
            "frames ~0.15, the Python around them ~0.1), and an emit that then takes longer "
            "than the bare relay's on caches the append has used. Hot, the same append takes "
            "~0.1 ms.")
    lines += [
        "- **What stays, and why.** The bridge stores a message before anyone sees it: the "
        "protocol promises that `seq` grows by one per message, that a replay from `last_seq` "
        "holds everything a client was shown, and that a retried `id` is stored and delivered "
        "once (docs/protocol.md). Delivering first would need the seq, the retry check and the "
        "agent's hold on the conversation from memory, with a message shown but never kept "
        "whenever a commit fails. Splitting the commit from the statement would move only "
        "~0.05 ms (the commit's share, measured cold) past delivery; a leaner statement (the "
        "seq from the messages' own index, no trigger) saved ~0.03 ms cold in a micro-benchmark, "
        "an exclusive lock nothing measurable. None of these is worth the guarantee.",
        "- **Earlier rounds** (measured in the git history of docs/benchmarks.md): SQLite runs "
        "on the event loop's thread with group commit and a checkpoint thread (an append went "
        "from ~2.5 ms to ~0.1 ms hot), one statement per append, no echo to the sending socket, no emit to a "
        "room that holds only the sender, rarer garbage collections (the p99 at 2,000 went from "
        "11 s to tens of ms), and the queue broadcast capped at 50 entries.",
    ]
    turn_met = r["bot_turn_overhead_ratio"] < 1.10
    lines.append(
        f"- **Overhead on a bot turn** ({'met' if turn_met else 'missed'}): "
        f"{r['bot_turn_overhead_ms']:+.1f} ms ({(r['bot_turn_overhead_ratio'] - 1) * 100:+.1f} %) "
        f"over Rasa's {r['rasa_direct_ms']['p50']:.1f} ms. The customer's message is still stored "
        "before its ack and the bot's reply before it is shown (a durable commit each, ~0.1 ms "
        "now); the turn no longer reads the conversation first (the append's RETURNING says its "
        "state). The rest is the two Socket.IO hops and the bridge's HTTP call to Rasa.")
    setups = {lv: r["relay_ms"][lv].get("setup_seconds") for lv in sorted(r["relay_ms"], key=int)}
    if all(v is not None for v in setups.values()):
        lines.append(
            f"- **Benchmark time**: `make bench` took {r['seconds']:.0f} s. Setting up the handed-off "
            "conversations took " + ", ".join(f"{v:.0f} s at {int(k):,}" for k, v in setups.items())
            + " (~240 s at 2,000 before): the agents' `queue` event lists only the first 50 "
            "waiting conversations plus a total (it sent all 2,000 to each of 40 agents after "
            "every change), the queue's statuses share what is the same for everyone, and the "
            "load generator staffs the desk before customers ask for a person and accepts from "
            "the back of the queue, so the customers still waiting keep their places.")
    if r["detect_ms"]["p50"] > 20:
        lines.append(f"- **Detection latency** (missed): p50 {r['detect_ms']['p50']:.1f} ms, measured "
                     "cold (embedding cache cleared, so it includes the MiniLM pass the intent "
                     "featurizer shares); see docs/distress.md, \"Cost per message\".")
    if r["max_sockets"] < 5000 or (r["bytes_per_idle_socket"] or 0) >= 50_000:
        lines.append(f"- **Idle sockets** (missed): {r['max_sockets']:,} held, "
                     f"{(r['bytes_per_idle_socket'] or 0) / 1000:.1f} KB each.")
    return lines


def _ratios(results: Results) -> dict[str, float]:
    """Bridge p50 over bare-relay p50, per load level, lowest first."""
    return {level: results["relay_ms"][level]["p50"] / results["baseline_relay_ms"][level]["p50"]
            for level in sorted(results["relay_ms"], key=int)}


def _top(results: dict[str, Any], key: str) -> dict[str, Any]:
    levels = results[key]
    return dict(levels[max(levels, key=int)])


def plot(results: dict[str, Any], path: Path) -> None:
    """Relay latency against concurrent conversations, the bridge beside the bare relay."""
    levels = sorted(results["relay_ms"], key=int)
    x = [int(level) for level in levels]
    fig, ax = plt.subplots(figsize=(7, 4), dpi=110)
    for key, label, colour in (("relay_ms", "calor bridge", "#9a3412"),
                               ("baseline_relay_ms", "bare python-socketio relay", "#155e75"),
                               ("durable_relay_ms", "bare relay, storing each message", "#4d7c0f")):
        if key not in results:
            continue
        ax.plot(x, [results[key][lv]["p50"] for lv in levels], "-o", color=colour, label=f"{label} p50")
        ax.plot(x, [results[key][lv]["p99"] for lv in levels], "--o", color=colour, label=f"{label} p99")
    ax.set_xscale("log")
    ax.set_xticks(x)
    ax.set_xticklabels([str(v) for v in x])
    ax.set_xlabel("concurrent conversations (each person writes every ~10 s)")
    ax.set_ylabel("relay latency (ms)")
    ax.set_title("Customer ↔ agent relay on one bridge process")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _row(name: str, r: dict[str, Any]) -> str:
    return f"| {name} | {r['p50']:.1f} | {r['p99']:.1f} | {r['n']} |"


def write(results: dict[str, Any], docs: Path) -> None:
    """Write the markdown report and the plot into ``docs``."""
    docs.mkdir(parents=True, exist_ok=True)
    plot(results, docs / "benchmarks.png")
    m = results["machine"]
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench`{' (QUICK mode: smoke test only)' if results['quick'] else ''} "
        f"on {results['started']}: {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB, "
        f"Python {m['python']}, {m['os']}. Every figure is a median (p50) and p99 in "
        "milliseconds; the load generator runs in its own processes. The machine is shared, "
        "so compare ratios within one run rather than across runs.",
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {name} | {show(results)} | {'yes' if ok(results) else 'no'} |"
              for name, ok, show in TARGETS]
    lines += [
        "",
        "## A person's experience",
        "",
        "| measure | p50 | p99 | n |",
        "| --- | --- | --- | --- |",
        _row("time to human (distressed message → agent's queue entry with summary)",
             results["time_to_human_ms"]),
        _row("bot turn through the bridge", results["bot_turn_ms"]),
        _row("the same turn posted straight to Rasa", results["rasa_direct_ms"]),
        _row("distress detection per message", results["detect_ms"]),
        "",
        f"Detection throughput: {results.get('detect_per_second', 0):.0f} messages per second.",
        "",
        "## Relay under load",
        "",
        "![relay latency](benchmarks.png)",
        "",
        "At each load three servers take turns: the bridge, the bare relay, and the bare relay "
        "that commits every message to SQLite before it forwards it, as the bridge does "
        "(\"durable\"), in the order bridge, bare, durable, durable, bare, bridge (one turn each "
        "in a quick run), each on a fresh server for an equal share of the measured time, so "
        "that a drift of the shared machine's speed falls on all alike. Each server's latencies "
        "are pooled over its turns; CPU is per relayed message.",
        "",
        "| conversations | bridge p50 | bridge p99 | bare p50 | bare p99 | durable p50 | durable p99 "
        "| bridge ÷ bare | bridge ÷ durable | bridge CPU ms | bare CPU ms | durable CPU ms "
        "| load CPU s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for level in sorted(results["relay_ms"], key=int):
        b, base = results["relay_ms"][level], results["baseline_relay_ms"][level]
        durable = _durable(results, level) or {"p50": float("nan"), "p99": float("nan"), "n": 0,
                                               "server_cpu_seconds": 0}
        lines.append(f"| {level} | {b['p50']:.2f} | {b['p99']:.1f} | {base['p50']:.2f} | "
                     f"{base['p99']:.1f} | {durable['p50']:.2f} | {durable['p99']:.1f} | "
                     f"{b['p50'] / base['p50']:.2f}× | {b['p50'] / durable['p50']:.2f}× | "
                     f"{_cpu_ms(b):.2f} | {_cpu_ms(base):.2f} | {_cpu_ms(durable):.2f} | "
                     f"{b['load_cpu_seconds']} |")
    lines += [
        "",
        "## Connections",
        "",
        f"One bridge process held {results['max_sockets']:,} idle customer sockets with the relay "
        f"p99 of {20} active conversations under 100 ms; each idle socket cost about "
        f"{(results['bytes_per_idle_socket'] or 0) / 1000:.1f} KB of resident memory.",
        "",
        "| idle sockets | relay p99 (ms) | bridge RSS (MB) |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {s['sockets']:,} | {s.get('relay_p99_ms', 'failed')} | "
              f"{s.get('rss_bytes', 0) / 2**20:.0f} |" for s in results["steps"]]
    lines += ["", f"## Where targets are missed, and why (profiled with py-spy and strace, "
              f"{results['started'][:10]})", "", *analysis(results)]
    (docs / "benchmarks.md").write_text("\n".join(lines) + "\n")
