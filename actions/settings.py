"""Settings of the action server, read once from the environment."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_STORE_VAR = "CALOR_DEMO_STORE"
DEFAULT_DEMO_STORE = REPO_ROOT / "var" / "demo_store.db"
LOCALE_VAR = "CALOR_LOCALE"
DEFAULT_LOCALE = "en-US"
CRISIS_RESOURCES_FILE = Path(__file__).resolve().parent / "crisis_resources.json"


class SettingsError(ValueError):
    """An environment variable holds a value the action server cannot use."""


@dataclass(frozen=True)
class Settings:
    """Everything the actions read from the environment.

    Attributes:
        demo_store_path: The SQLite file of the demo account store.
        locale: Which crisis resources to show, e.g. ``en-US``; always a key
            of actions/crisis_resources.json.
    """

    demo_store_path: Path
    locale: str = DEFAULT_LOCALE


def known_locales() -> frozenset[str]:
    """The locales actions/crisis_resources.json has resources for.

    Returns:
        Locale names such as ``en-US``.
    """
    with CRISIS_RESOURCES_FILE.open(encoding="utf-8") as handle:
        return frozenset(json.load(handle))


def _load_locale(environ: Mapping[str, str]) -> str:
    raw = environ.get(LOCALE_VAR)
    if raw is None:
        return DEFAULT_LOCALE
    locale = raw.strip()
    # Refuse rather than fall back: showing the wrong country's crisis
    # numbers to someone in crisis is worse than not starting.
    if locale not in known_locales():
        raise SettingsError(
            f"{LOCALE_VAR}={raw!r} has no crisis resources; use one of "
            f"{', '.join(sorted(known_locales()))}"
        )
    return locale


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
    locale = _load_locale(environ)
    raw = environ.get(DEMO_STORE_VAR)
    if raw is None:
        return Settings(demo_store_path=DEFAULT_DEMO_STORE, locale=locale)
    if not raw.strip():
        raise SettingsError(f"{DEMO_STORE_VAR} is set but empty; unset it or give a file path")
    path = Path(raw).expanduser()
    # Relative paths are taken from the repo root, not the working directory,
    # so the launcher, the tests and `rasa run actions` all find the same file.
    if not path.is_absolute():
        path = REPO_ROOT / path
    if path.is_dir():
        raise SettingsError(f"{DEMO_STORE_VAR}={raw!r} is a directory; it must name a file")
    return Settings(demo_store_path=path, locale=locale)


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, reading the environment on first use.

    Returns:
        The settings of this process.
    """
    return load_settings(os.environ)
