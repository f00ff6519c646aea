"""Run the bridge: ``python -m bot.bridge``."""

from __future__ import annotations

import logging
import sys

from aiohttp import web

from bot.bridge.app import create_app
from bot.bridge.errors import ConfigError
from bot.bridge.settings import Settings


def main() -> int:
    """Read the settings, then serve until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # These log SQL parameters (message bodies) at DEBUG; never let them.
    for noisy in ("aiosqlite", "sqlalchemy.engine", "asyncpg"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        settings = Settings.from_env()
    except ConfigError as err:
        print(f"calor bridge: bad configuration: {err}", file=sys.stderr)
        return 2
    web.run_app(create_app(settings), host=settings.host, port=settings.port,
                access_log=None, print=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
