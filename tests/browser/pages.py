"""What a customer and an agent do in the browser, by the hooks in web-widget/README.md."""

from __future__ import annotations

import json
import re
from typing import Any

from playwright.async_api import BrowserContext, Locator, Page, expect

from tests.support import ARTIFACTS

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SHOTS = ARTIFACTS / "screenshots"


async def open_widget(context: BrowserContext, url: str) -> Page:
    """The demo page with the chat open and connected."""
    page = await context.new_page()
    await page.goto(url + "/")
    await page.click("#calor-launcher")
    await expect(page.locator("#calor-panel")).to_have_attribute("data-connection", "connected")
    return page


async def reload_widget(page: Page) -> None:
    """Reload the page: a chat that was open opens again by itself and reconnects."""
    await page.reload()
    await expect(page.locator("#calor-panel")).to_be_visible()
    await expect(page.locator("#calor-launcher")).to_have_attribute("aria-expanded", "true")
    await expect(page.locator("#calor-panel")).to_have_attribute("data-connection", "connected")


async def say(page: Page, text: str) -> Locator:
    """The customer types and sends; returns their message once the server confirmed it."""
    await page.fill("#calor-input", text)
    await page.press("#calor-input", "Enter")
    sent = page.locator(".calor-msg--customer[data-seq]").filter(has_text=text.splitlines()[0]).last
    await expect(sent).to_be_visible()
    return sent


async def stored(page: Page, key: str) -> Any:
    """A value the widget keeps in localStorage (JSON)."""
    raw = await page.evaluate("(k) => localStorage.getItem(k)", f"calor.{key}")
    return None if raw is None else json.loads(raw)


async def seqs(page: Page) -> list[int]:
    """The seq of every confirmed message on screen, in order."""
    values = await page.locator("#calor-messages .calor-msg[data-seq]").evaluate_all(
        "els => els.map(e => Number(e.dataset.seq))")
    return [int(v) for v in values]


async def sign_in(context: BrowserContext, url: str, username: str, password: str) -> Page:
    page = await context.new_page()
    await page.goto(url + "/agent")
    await page.fill("#cc-username", username)
    await page.fill("#cc-password", password)
    await page.click("#cc-login-submit")
    await expect(page.locator("#cc-workspace")).to_be_visible()
    await expect(page.locator("#cc-presence")).to_be_enabled()
    return page


def queue_item(console: Page, conversation_id: str) -> Locator:
    return console.locator(f'.cc-queue-item[data-conversation-id="{conversation_id}"]')


def tab_panel(console: Page, conversation_id: str) -> Locator:
    return console.locator(f'.cc-tabpanel[data-conversation-id="{conversation_id}"]')


async def accept(console: Page, conversation_id: str) -> Locator:
    """Accept a conversation from the queue; returns its panel once the summary shows."""
    await queue_item(console, conversation_id).locator(".cc-accept").click()
    panel = tab_panel(console, conversation_id)
    await expect(panel.locator(".cc-summary")).to_be_visible()
    return panel


async def agent_says(panel: Locator, text: str) -> None:
    await panel.locator(".cc-input").fill(text)
    await panel.locator(".cc-input").press("Enter")
    await expect(panel.locator(".cc-msg--agent:not(.cc-msg--pending)")
                 .filter(has_text=text.splitlines()[0]).last).to_be_visible()


async def handed_off(customer: Page, console: Page, *, click_talk: bool = True) -> tuple[str, Locator]:
    """From an open widget to an accepted conversation; returns its id and the agent's panel."""
    if click_talk:
        await customer.click("#calor-human")
    await expect(customer.locator("#calor-panel")).to_have_attribute("data-state", "queued")
    conversation_id = await stored(customer, "conversation_id")
    panel = await accept(console, conversation_id)
    await expect(customer.locator("#calor-panel")).to_have_attribute("data-state", "agent")
    return conversation_id, panel


IN_LINE = re.compile(r"You're number \d+ in line")


async def shoot(page: Page, name: str, full_page: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 5_000, f"{path} looks empty"
    width = page.viewport_size["width"] if page.viewport_size else 0
    overflow = await page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= width, f"{name}: the page scrolls sideways ({overflow} > {width})"
