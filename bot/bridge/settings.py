"""Settings of the bridge, read once from the environment into a frozen dataclass.

Every value has a name (its environment variable) and a bad value fails at
start with that name in the message; nothing falls back silently.
"""

from __future__ import annotations

import ipaddress
import os
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.bridge.errors import ConfigError
from bot.bridge.hours import Hours

REPO_ROOT = Path(__file__).resolve().parents[2]

#: The longest message text a customer or an agent may send.
MAX_MESSAGE_CHARS = 4000


def _raw(env: Mapping[str, str], name: str, default: str | None) -> str:
    value = env.get(name, default)
    if value is None:
        raise ConfigError(name, "is required but not set")
    value = value.strip()
    if not value:
        raise ConfigError(name, "is set but empty")
    return value


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = _raw(env, name, str(default))
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(name, f"expected a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(name, f"expected a number from {low} to {high}, got {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    raw = _raw(env, name, str(default))
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(name, f"expected a number, got {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(name, f"expected a number from {low} to {high}, got {value}")
    return value


def _host(env: Mapping[str, str], name: str, default: str) -> str:
    raw = _raw(env, name, default)
    if raw == "localhost":
        return raw
    try:
        ipaddress.ip_address(raw)
    except ValueError:
        raise ConfigError(name, f"expected an IP address or 'localhost', got {raw!r}") from None
    return raw


def _database_url(env: Mapping[str, str], name: str, default: str) -> str:
    """Map plain SQLAlchemy URLs onto their asyncio drivers."""
    raw = _raw(env, name, default)
    scheme, sep, rest = raw.partition("://")
    if not sep:
        raise ConfigError(name, f"expected a URL such as sqlite:///var/calor.db, got {raw!r}")
    drivers = {
        "sqlite": "sqlite+aiosqlite",
        "sqlite+aiosqlite": "sqlite+aiosqlite",
        "postgresql": "postgresql+asyncpg",
        "postgres": "postgresql+asyncpg",
        "postgresql+asyncpg": "postgresql+asyncpg",
    }
    if scheme not in drivers:
        raise ConfigError(name, f"unsupported database {scheme!r}; use sqlite:// or postgresql://")
    return f"{drivers[scheme]}://{rest}"


def _hours(env: Mapping[str, str], name: str) -> Hours:
    raw = _raw(env, name, "always")
    try:
        return Hours.parse(raw)
    except ValueError as err:
        raise ConfigError(name, str(err)) from None


def _zone(env: Mapping[str, str], name: str) -> zoneinfo.ZoneInfo:
    raw = _raw(env, name, "UTC")
    try:
        return zoneinfo.ZoneInfo(raw)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(name, f"unknown time zone {raw!r}; use e.g. Europe/London") from None


def database_url(env: Mapping[str, str] | None = None) -> str:
    """Read CALOR_DATABASE_URL alone, for tools that need nothing else (e.g. agent-add)."""
    return _database_url(os.environ if env is None else env, "CALOR_DATABASE_URL",
                         f"sqlite:///{REPO_ROOT / 'var' / 'calor.db'}")


def _redis_url(env: Mapping[str, str], name: str) -> str | None:
    if name not in env:
        return None  # one bridge process: rooms and presence live in its memory
    raw = _raw(env, name, None)
    if not raw.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(name, f"expected a URL such as redis://127.0.0.1:6379/0, got {raw!r}")
    return raw


def _http_urls(env: Mapping[str, str], name: str, default: str, what: str) -> tuple[str, ...]:
    """A comma-separated list of distinct http(s) URLs, each without a trailing slash."""
    urls = tuple(u.strip().rstrip("/") for u in _raw(env, name, default).split(",") if u.strip())
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise ConfigError(name, f"each {what} must start with http:// or https://, got {url!r}")
    if len(set(urls)) != len(urls):
        raise ConfigError(name, f"lists the same {what} twice")
    return urls


@dataclass(frozen=True)
class Settings:
    """Everything the bridge needs to know, read once at start.

    Attributes:
        host: Interface the bridge listens on (CALOR_HOST).
        port: Port of the bridge (CALOR_PORT).
        rasa_port: Port of the Rasa server, always on loopback (CALOR_RASA_PORT).
        actions_port: Port of the action server, always on loopback (CALOR_ACTIONS_PORT).
        rasa_timeout: Seconds to wait for a bot turn before offering a person
            (CALOR_RASA_TIMEOUT).
        database_url: SQLAlchemy asyncio URL (CALOR_DATABASE_URL).
        secret_key: Key that signs customer tokens (CALOR_SECRET_KEY).
        allowed_origins: Origins allowed to open sockets (CALOR_ALLOWED_ORIGINS).
        agent_token_ttl: Lifetime of an agent token in seconds (CALOR_AGENT_TOKEN_TTL).
        agent_capacity: Concurrent conversations per agent (CALOR_AGENT_CAPACITY).
        rate_limit: Events a socket may send per 10 seconds (CALOR_RATE_LIMIT).
        hours: When agents are at their desks (CALOR_BUSINESS_HOURS, e.g.
            "mon-fri 08:00-20:00; sat 09:00-17:00", or "always").
        timezone: The zone those hours are in (CALOR_TIMEZONE).
        offer_seconds: How long a returning customer is offered only to the agent
            who helped them before (CALOR_OFFER_SECONDS).
        web_root: Folder with pages/, static/ and dist/ of the front-ends.
        redis_url: Redis that several bridge processes share rooms, events and
            presence through (CALOR_REDIS_URL); None for a single process.
        rasa_urls: Rasa servers, tried in turn when one cannot be reached
            (CALOR_RASA_URLS, comma-separated; default the one on CALOR_RASA_PORT).
    """

    host: str
    port: int
    rasa_port: int
    actions_port: int
    rasa_timeout: float
    database_url: str
    secret_key: str
    allowed_origins: tuple[str, ...]
    agent_token_ttl: int
    agent_capacity: int
    rate_limit: int
    hours: Hours
    timezone: zoneinfo.ZoneInfo
    offer_seconds: int
    web_root: Path
    redis_url: str | None
    rasa_urls: tuple[str, ...]

    @property
    def rasa_url(self) -> str:
        """Base URL of the first Rasa server."""
        return self.rasa_urls[0]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read and check every setting.

        Args:
            env: The environment to read; ``os.environ`` when omitted.

        Returns:
            The settings.

        Raises:
            ConfigError: A value is missing or bad; the message names it.
        """
        env = os.environ if env is None else env
        host = _host(env, "CALOR_HOST", "127.0.0.1")
        port = _int(env, "CALOR_PORT", 8080, 1, 65535)
        rasa_port = _int(env, "CALOR_RASA_PORT", 5005, 1, 65535)
        secret = _raw(env, "CALOR_SECRET_KEY", None)
        if len(secret) < 32:
            raise ConfigError("CALOR_SECRET_KEY", "must be at least 32 characters long")
        default_origins = f"http://{host}:{port},http://localhost:{port}"
        return cls(
            host=host,
            port=port,
            rasa_port=rasa_port,
            actions_port=_int(env, "CALOR_ACTIONS_PORT", 5055, 1, 65535),
            rasa_timeout=_float(env, "CALOR_RASA_TIMEOUT", 10.0, 0.1, 120.0),
            database_url=database_url(env),
            secret_key=secret,
            allowed_origins=_http_urls(env, "CALOR_ALLOWED_ORIGINS", default_origins, "origin"),
            agent_token_ttl=_int(env, "CALOR_AGENT_TOKEN_TTL", 7200, 60, 86400),
            agent_capacity=_int(env, "CALOR_AGENT_CAPACITY", 3, 1, 50),
            rate_limit=_int(env, "CALOR_RATE_LIMIT", 60, 1, 10000),
            hours=_hours(env, "CALOR_BUSINESS_HOURS"),
            timezone=_zone(env, "CALOR_TIMEZONE"),
            offer_seconds=_int(env, "CALOR_OFFER_SECONDS", 60, 0, 3600),
            web_root=Path(_raw(env, "CALOR_WEB_ROOT", str(REPO_ROOT / "web-widget"))),
            redis_url=_redis_url(env, "CALOR_REDIS_URL"),
            rasa_urls=_http_urls(env, "CALOR_RASA_URLS", f"http://127.0.0.1:{rasa_port}",
                                 "Rasa URL"),
        )
