"""Fixtures for the distress tests (run in the Rasa env: `.venv/rasa/bin/python -m pytest tests/distress`).

The detector is the one inside the trained Rasa model (trained with the
command of `make model`, or restored from Rasa's cache when nothing changed),
checked to have been trained on exactly the examples the tests read.
"""

from __future__ import annotations

import os
import sys
import tarfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

try:
    import tokenizers  # noqa: F401

    from bot.nlu.encoder import model_dir

    model_dir()
except (ImportError, FileNotFoundError):  # not the Rasa env, or `make setup` not run
    collect_ignore_glob = ["*"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Rasa and TensorFlow raise deprecation warnings on import that the
    # repo-wide "error" filter would turn into failures; they are not ours.
    for item in items:
        item.add_marker(pytest.mark.filterwarnings("ignore::DeprecationWarning"))
        item.add_marker(pytest.mark.filterwarnings("ignore::PendingDeprecationWarning"))
        item.add_marker(pytest.mark.filterwarnings("ignore::UserWarning"))
        item.add_marker(pytest.mark.filterwarnings("ignore::FutureWarning"))


@pytest.fixture(scope="session")
def training_examples() -> list[tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    from bot.nlu import data
    from bot.nlu.distress import _label

    examples = data.load_examples(REPO_ROOT / "data" / "distress")
    for file in sorted((REPO_ROOT / "data").glob("nlu_*.yml")):
        for message in load_data(str(file)).intent_examples:
            label = _label(message)
            if label is not None:
                examples.append((str(message.get("text")), label))
    return data.dedupe(examples)


@pytest.fixture(scope="session")
def detector(training_examples: list[tuple[str, str]],  # type: ignore[no-untyped-def]
             tmp_path_factory: pytest.TempPathFactory):
    """The detector inside the trained Rasa model: the one the assistant runs and `make detect` uses."""
    from bot.nlu import data
    from bot.nlu.detector import DistressModel
    from tests.rasa.conftest import trained_model

    target = tmp_path_factory.mktemp("model")
    with tarfile.open(trained_model()) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and ".DistressDetector" in m.name]
        assert members, "the trained model has no DistressDetector"
        tar.extractall(target, members=members, filter="data")
    (directory,) = {target / Path(m.name).parent for m in members}
    loaded = DistressModel.load(directory)
    # What these tests report is only true of the data they read.
    assert loaded.trained_on == data.digest(training_examples), (
        "the model's detector was trained on other examples than data/ holds now")
    return loaded


@pytest.fixture(scope="session")
def python() -> str:
    return sys.executable


@pytest.fixture(scope="session")
def env() -> dict[str, str]:
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
