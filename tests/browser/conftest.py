"""Browser tests: the real stack (Rasa, actions, bridge) once per session, Debian's Chromium
driven by Playwright's async API."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from bot.launcher import REPO_ROOT
from tests.support import add_agent_with_cli, running_stack

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WEB_ROOT = REPO_ROOT / "web-widget"


@dataclass
class Site:
    """The running stack as a browser sees it."""

    url: str
    env: dict[str, str]
    database: Path

    def add_agent(self, display_name: str = "Maria") -> tuple[str, str]:
        """Create an agent exactly as `make agent-add` does (password on stdin); return its login."""
        username = f"{display_name.lower()}-{uuid.uuid4().hex[:6]}"
        password = secrets.token_urlsafe(16)
        add_agent_with_cli(self.env, username, display_name, password)
        return username, password


@pytest.fixture(scope="session")
def site() -> Iterator[Site]:
    for bundle in ("calor-widget.js", "calor-console.js"):
        if not (WEB_ROOT / "dist" / bundle).is_file():
            pytest.fail(f"web-widget/dist/{bundle} is missing; run `make setup` (it builds the widget)")
    with running_stack("browser-") as (env, tmp):
        yield Site(f"http://127.0.0.1:{env['CALOR_PORT']}", env, tmp / "calor.db")


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()
