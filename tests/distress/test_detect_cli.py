"""`make detect`: pure JSON lines on stdout, through the trained model."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.distress.conftest import REPO_ROOT

MODEL = os.environ.get("CALOR_DETECT_MODEL", str(REPO_ROOT / "models" / "calor.tar.gz"))


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return [
        "My wife died, I need to take her off the plan",
        "",
        "where is my order A1001",
        "I want to kill myself",
        "this plan is killing me",
        "   ",
        "you're the only one I've talked to all week",
    ]


def _check(stdout: str, lines: list[str]) -> list[dict[str, object]]:
    out = stdout.splitlines()
    assert len(out) == len(lines), stdout[-2000:]
    rows = [json.loads(line) for line in out]  # fails on any non-JSON noise
    for row, text in zip(rows, lines, strict=True):
        assert set(row) == {"category", "confidence", "cue"}
        assert 0.0 <= float(row["confidence"]) <= 1.0  # type: ignore[arg-type]
        assert row["cue"] is None or str(row["cue"]) in text
    assert [r["category"] for r in rows] == ["grief", "none", "none", "crisis", "none", "none", "loneliness"]
    return rows


def test_detect_module(python: str, env: dict[str, str], lines: list[str]) -> None:
    result = subprocess.run([python, "-m", "bot.nlu.detect", "--model", MODEL], input="\n".join(lines) + "\n",
                            cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = _check(result.stdout, lines)
    assert rows[0]["cue"] == "My wife died"
    assert result.stderr == ""


@pytest.mark.skipif("CALOR_DETECT_MODEL" in os.environ, reason="make detect always uses models/calor.tar.gz")
def test_make_detect(env: dict[str, str], lines: list[str]) -> None:
    result = subprocess.run(["make", "-s", "detect"], input="\n".join(lines), cwd=REPO_ROOT, env=env,
                            capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    _check(result.stdout, lines)


def test_bad_model_fails_loudly(python: str, env: dict[str, str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = subprocess.run([python, "-m", "bot.nlu.detect", "--model", str(tmp_path / "nope.tar.gz")],
                            input="hello\n", cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode != 0
    assert result.stdout == ""
    assert "detect:" in result.stderr
