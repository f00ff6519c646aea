"""Browser tests: the real stack (Rasa, actions, bridge) once per session, Debian's Chromium
driven by Playwright's async API."""

from __future__ import annotations

import os
import secrets
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from bot.bridge.settings import Settings
from bot.launcher import BRIDGE_PYTHON, REPO_ROOT, Stack, services
from tests.support import ARTIFACTS, free_port

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
        result = subprocess.run(
            [str(BRIDGE_PYTHON), "-m", "bot.bridge.cli", "agent-add", username,
             "--display-name", display_name],
            input=password + "\n", capture_output=True, text=True, env=self.env, cwd=REPO_ROOT,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert password not in result.stdout + result.stderr
        return username, password


@pytest.fixture(scope="session")
def site() -> Iterator[Site]:
    for bundle in ("calor-widget.js", "calor-console.js"):
        if not (WEB_ROOT / "dist" / bundle).is_file():
            pytest.fail(f"web-widget/dist/{bundle} is missing; run `make setup` (it builds the widget)")
    ARTIFACTS.mkdir(exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="browser-", dir=ARTIFACTS))
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "CALOR_SECRET_KEY": secrets.token_urlsafe(40),
        "CALOR_PORT": str(free_port()),
        "CALOR_RASA_PORT": str(free_port()),
        "CALOR_ACTIONS_PORT": str(free_port()),
        "CALOR_DATABASE_URL": f"sqlite:///{tmp / 'calor.db'}",
        "CALOR_DEMO_STORE": str(tmp / "demo_store.db"),
    }
    stack = Stack(services(Settings.from_env(env)), env, log_dir=tmp)
    stack.start()
    try:
        stack.wait_ready(timeout=300)
        yield Site(f"http://127.0.0.1:{env['CALOR_PORT']}", env, tmp / "calor.db")
    finally:
        stack.stop()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()
