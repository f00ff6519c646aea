"""`make bench QUICK=1` as a smoke test: the benchmark itself works (not how fast things are)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot.bridge.settings import REPO_ROOT


def test_quick_benchmark_measures_every_phase(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--out", str(tmp_path), "--docs", str(tmp_path)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text())

    for key in ("time_to_human_ms", "bot_turn_ms", "rasa_direct_ms", "detect_ms", "nlu_parse_ms"):
        assert 0 < results[key]["p50"] <= results[key]["p99"], key
        assert results[key]["n"] >= 5, key
    assert results["bot_turn_overhead_ratio"] > 0
    for key in ("relay_ms", "baseline_relay_ms", "durable_relay_ms"):
        assert len(results[key]) == 2  # two loads in a quick run, three in a full one
        for level in results[key].values():
            assert level["n"] > 0 and 0 < level["p50"] <= level["p99"]
            assert level["lost"] == 0
            assert level["runs"] == 1  # a full run takes two turns each
            assert level["server_cpu_seconds"] >= 0 and level["load_cpu_seconds"] > 0
    assert results["max_sockets"] > 0
    assert results["bytes_per_idle_socket"] > 0
    assert results["detect_per_second"] > 0
    assert {"cores", "memory_gb", "python"} <= results["machine"].keys()

    report = (tmp_path / "benchmarks.md").read_text()
    assert "## Targets" in report and "time to human" in report
    assert (tmp_path / "benchmarks.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
