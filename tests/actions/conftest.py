"""Fixtures for the action tests: a throwaway demo store on a fixed day.

These tests need the Rasa environment (.venv/rasa). Run from any other
environment (the bridge's, say) they are not collected at all rather than
failing on a missing rasa_sdk.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from actions.store import DemoStore
from actions.store_accounts import AccountStore
from tests.actions.support import TODAY

REPO_ROOT = Path(__file__).resolve().parents[2]

if importlib.util.find_spec("rasa_sdk") is None:
    collect_ignore_glob = ["*"]


@pytest.fixture
def store(tmp_path: Path) -> DemoStore:
    """A fresh store in a directory that does not exist yet."""
    return DemoStore(tmp_path / "nested" / "demo.db", today=lambda: TODAY)


@pytest.fixture
def store_factory(store: DemoStore) -> Callable[[], DemoStore]:
    return lambda: store


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """bot/domain.yml as the action server receives it (close enough for forms)."""
    import yaml

    with (REPO_ROOT / "bot" / "domain.yml").open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


@pytest.fixture
def accounts(tmp_path: Path) -> AccountStore:
    return AccountStore(tmp_path / "demo.db", today=lambda: TODAY)
