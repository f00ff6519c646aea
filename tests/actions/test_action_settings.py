from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from actions.settings import (
    DEFAULT_DEMO_STORE,
    DEMO_STORE_VAR,
    REPO_ROOT,
    SettingsError,
    load_settings,
)


def test_default_path_is_var_demo_store_under_the_repo_root() -> None:
    settings = load_settings({})
    assert settings.demo_store_path == DEFAULT_DEMO_STORE
    assert settings.demo_store_path == REPO_ROOT / "var" / "demo_store.db"


def test_absolute_path_is_used_as_given(tmp_path: Path) -> None:
    target = tmp_path / "store.db"
    assert load_settings({DEMO_STORE_VAR: str(target)}).demo_store_path == target


def test_relative_path_is_taken_from_the_repo_root() -> None:
    settings = load_settings({DEMO_STORE_VAR: "var/other.db"})
    assert settings.demo_store_path == REPO_ROOT / "var" / "other.db"


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_value_fails_naming_the_variable(value: str) -> None:
    with pytest.raises(SettingsError, match=DEMO_STORE_VAR):
        load_settings({DEMO_STORE_VAR: value})


def test_directory_fails_naming_the_variable(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=DEMO_STORE_VAR):
        load_settings({DEMO_STORE_VAR: str(tmp_path)})


def test_settings_are_frozen(tmp_path: Path) -> None:
    settings = load_settings({DEMO_STORE_VAR: str(tmp_path / "a.db")})
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.demo_store_path = tmp_path / "b.db"  # type: ignore[misc]


def test_action_server_refuses_to_start_with_a_bad_value() -> None:
    # Importing the package is what `rasa run actions --actions actions` does first.
    env = {**os.environ, DEMO_STORE_VAR: ""}
    result = subprocess.run(
        [sys.executable, "-c", "import actions"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode != 0
    assert f"SettingsError: {DEMO_STORE_VAR} is set but empty" in result.stderr
