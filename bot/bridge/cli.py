"""Administration from the command line: ``python -m bot.bridge.cli agent-add NAME``."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import re
import sys
import time

from sqlalchemy.exc import IntegrityError

from bot.bridge.errors import ConfigError, StorageError
from bot.bridge.security import hash_password
from bot.bridge.settings import database_url
from bot.bridge.storage import Storage

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
MIN_PASSWORD = 10


def read_password() -> str:
    """Read a password: from a prompt (twice) on a terminal, else the first line of stdin."""
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise ValueError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


async def add_agent(url: str, username: str, display_name: str, password: str) -> int:
    """Create an agent with a hashed password and return its id."""
    storage = Storage(url)
    try:
        await storage.start()
        return await storage.add_agent(username, display_name, hash_password(password), time.time())
    finally:
        await storage.close()


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="calor")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("agent-add", help="create an agent account")
    add.add_argument("username")
    add.add_argument("--display-name", help="the name customers see (default: the username)")
    args = parser.parse_args(argv)
    username = args.username.strip().lower()
    if not USERNAME.match(username):
        print("calor: a username is 1-64 of a-z, 0-9, '.', '_' or '-'", file=sys.stderr)
        return 2
    try:
        password = read_password()
    except (ValueError, EOFError) as err:
        print(f"calor: {err}", file=sys.stderr)
        return 2
    if len(password) < MIN_PASSWORD:
        print(f"calor: the password must have at least {MIN_PASSWORD} characters", file=sys.stderr)
        return 2
    display = (args.display_name or args.username).strip()[:128] or username
    try:
        asyncio.run(add_agent(database_url(), username, display, password))
    except ConfigError as err:
        print(f"calor: bad configuration: {err}", file=sys.stderr)
        return 2
    except IntegrityError:
        print(f"calor: an agent named {username!r} exists already", file=sys.stderr)
        return 1
    except StorageError as err:
        print(f"calor: {err}", file=sys.stderr)
        return 1
    print(f"agent {username!r} created")
    return 0


if __name__ == "__main__":
    sys.exit(main())
