"""Run the Rasa CLI against the trained model, as subprocesses.

The session fixture trains with exactly the command of `make model`. Rasa
fingerprints its inputs, so when nothing changed it only restores the model
from its cache (about ten seconds) instead of training (about a minute).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
RASA = Path(sys.executable).parent / "rasa"
MODEL = REPO_ROOT / "models" / "calor.tar.gz"

# Outside the Rasa environment there is no CLI to run; collect nothing
# rather than fail (these tests belong to `.venv/rasa/bin/python -m pytest`).
if not RASA.exists():
    collect_ignore_glob = ["*"]


def run_rasa(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run a rasa subcommand from the repo root and capture its output."""
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    return subprocess.run(
        [str(RASA), *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def explain(result: subprocess.CompletedProcess[str]) -> str:
    """The tail of a failed command's output, for the assertion message."""
    return f"exit {result.returncode}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"


@functools.cache
def trained_model() -> Path:
    """The model `make model` builds, trained (or restored from Rasa's cache) once per session."""
    result = run_rasa(
        "train", "--config", "bot/config.yml", "--domain", "bot/domain.yml",
        "--data", "data", "--out", "models", "--fixed-model-name", "calor",
    )
    assert result.returncode == 0, explain(result)
    assert MODEL.is_file()
    return MODEL


@pytest.fixture(scope="session")
def model() -> Path:
    return trained_model()
