"""Run the bridge: ``python -m bot.bridge``."""

from __future__ import annotations

import gc
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
    app = create_app(settings)
    # Thousands of open sockets are hundreds of thousands of long-lived objects,
    # and each full collection scans them all (hundreds of ms with 2,000 sockets).
    # Young collections 30 times rarer promote far fewer objects that were only
    # in flight, so full collections come rarely; what start-up made is never scanned.
    gc.set_threshold(20_000, 10, 10)
    gc.freeze()
    web.run_app(app, host=settings.host, port=settings.port, access_log=None, print=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
