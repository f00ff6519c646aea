"""A new conversation is hard to miss (a beep and a count in the title), and the beep can be muted."""

from __future__ import annotations

import re

from playwright.async_api import Browser, expect

from tests.browser.conftest import Site
from tests.browser.pages import DESKTOP, open_widget, queue_item, sign_in, stored


async def test_new_conversation_beeps_counts_and_mute_sticks(site: Site, browser: Browser) -> None:
    username, password = site.add_agent("Maria")
    console = await sign_in(await browser.new_context(viewport=DESKTOP), site.url, username, password)
    root = console.locator("#calor-console")
    await expect(root).to_have_attribute("data-beeps", "0")
    waiting = int(await console.locator("#cc-queue-count").inner_text())
    await console.click("#cc-queue-title")  # a user gesture, so the browser allows sound

    customers = await browser.new_context(viewport=DESKTOP)
    first = await open_widget(customers, site.url)
    await first.click("#calor-human")
    await expect(queue_item(console, await stored(first, "conversation_id"))).to_be_visible()
    await expect(root).to_have_attribute("data-beeps", "1")
    await expect(console).to_have_title(f"({waiting + 1}) Calor agent console")
    await expect(console.locator(".cc-queue-item").first.locator(".cc-priority")).to_have_text(
        re.compile(r"^(Urgent|High|Normal)$"))

    mute = console.locator("#cc-mute")
    await expect(mute).to_have_attribute("aria-pressed", "false")
    await mute.click()
    await expect(mute).to_have_attribute("aria-pressed", "true")
    second = await open_widget(await browser.new_context(viewport=DESKTOP), site.url)
    await second.click("#calor-human")
    await expect(queue_item(console, await stored(second, "conversation_id"))).to_be_visible()
    await expect(console).to_have_title(f"({waiting + 2}) Calor agent console")
    await expect(root).to_have_attribute("data-beeps", "1")

    await console.reload()
    await expect(console.locator("#cc-mute")).to_have_attribute("aria-pressed", "true")
