"""Settings of the action server, read once from the environment."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_STORE_VAR = "CALOR_DEMO_STORE"
DEFAULT_DEMO_STORE = REPO_ROOT / "var" / "demo_store.db"


class SettingsError(ValueError):
    """An environment variable holds a value the action server cannot use."""


@dataclass(frozen=True)
class Settings:
    """Everything the actions read from the environment.

    Attributes:
        demo_store_path: The SQLite file of the demo account store.
    """

    demo_store_path: Path


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Build settings from an environment mapping.

    Args:
        environ: The environment, usually ``os.environ``.

    Returns:
        The validated settings.

    Raises:
        SettingsError: A variable is set to a value that cannot work; the
            message names the variable.
    """
    raw = environ.get(DEMO_STORE_VAR)
    if raw is None:
        return Settings(demo_store_path=DEFAULT_DEMO_STORE)
    if not raw.strip():
        raise SettingsError(f"{DEMO_STORE_VAR} is set but empty; unset it or give a file path")
    path = Path(raw).expanduser()
    # Relative paths are taken from the repo root, not the working directory,
    # so the launcher, the tests and `rasa run actions` all find the same file.
    if not path.is_absolute():
        path = REPO_ROOT / path
    if path.is_dir():
        raise SettingsError(f"{DEMO_STORE_VAR}={raw!r} is a directory; it must name a file")
    return Settings(demo_store_path=path)


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, reading the environment on first use.

    Returns:
        The settings of this process.
    """
    return load_settings(os.environ)
