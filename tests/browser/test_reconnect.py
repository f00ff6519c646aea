"""Reloads and dropped connections: the conversation comes back whole, and nothing twice."""

from __future__ import annotations

import asyncio
import re

from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import Site
from tests.browser.pages import DESKTOP, open_widget, reload_widget, say, seqs


async def settled(page: Page, quiet: float = 1.2, limit: float = 20.0) -> None:
    """Wait until no new message has arrived for ``quiet`` seconds (the bot may answer in parts)."""
    last, still, waited = await seqs(page), 0.0, 0.0
    while still < quiet and waited < limit:
        await asyncio.sleep(0.3)
        waited += 0.3
        now = await seqs(page)
        still = still + 0.3 if now == last else 0.0
        last = now


async def assert_nothing_twice(page: Page) -> list[int]:
    await settled(page)
    shown = await seqs(page)
    assert shown, "no confirmed messages on screen"
    assert shown == sorted(set(shown)), f"duplicated or out of order: {shown}"
    keys = await page.locator("#calor-messages .calor-msg").evaluate_all("els => els.map(e => e.dataset.key)")
    assert len(keys) == len(set(keys)), keys
    return shown


async def test_reload_and_reconnect_lose_nothing_and_repeat_nothing(site: Site, browser: Browser) -> None:
    context = await browser.new_context(viewport=DESKTOP)
    page = await open_widget(context, site.url)
    await say(page, "hello")
    await expect(page.locator(".calor-msg--bot").first).to_be_visible(timeout=30_000)
    await say(page, "where is my order?")
    await expect(page.locator(".calor-msg--bot")).not_to_have_count(1, timeout=30_000)
    before = await assert_nothing_twice(page)

    # A reload restores the same conversation, each message once.
    await reload_widget(page)
    assert await assert_nothing_twice(page) == before

    # The connection drops; what is typed meanwhile waits, then goes exactly once.
    await context.set_offline(True)
    await expect(page.locator("#calor-connection")).to_be_visible()
    await expect(page.locator("#calor-connection")).to_have_text("Reconnecting…")
    await expect(page.locator("#calor-panel")).to_have_attribute("data-connection", "reconnecting")
    await page.fill("#calor-input", "Are you still there?")
    await page.press("#calor-input", "Enter")
    waiting = page.locator(".calor-msg--customer").filter(has_text="Are you still there?")
    await expect(waiting).to_have_class(re.compile(r"\bcalor-msg--pending\b"))
    await expect(waiting).to_contain_text("Waiting for connection…")
    await page.wait_for_timeout(1500)  # a few reconnect attempts fail while offline
    await context.set_offline(False)

    await expect(page.locator("#calor-connection")).to_be_hidden(timeout=20_000)
    confirmed = page.locator(".calor-msg--customer[data-seq]").filter(has_text="Are you still there?")
    await expect(confirmed).to_have_count(1)
    await expect(page.locator(".calor-msg--pending")).to_have_count(0)
    after = await assert_nothing_twice(page)
    assert after[: len(before)] == before

    # What the server kept: forget the local copy and let it replay everything.
    await page.evaluate("() => ['calor.messages', 'calor.last_seq'].forEach(k => localStorage.removeItem(k))")
    await reload_widget(page)
    await expect(page.locator("#calor-messages .calor-msg[data-seq]")).to_have_count(len(after))
    assert await assert_nothing_twice(page) == after
    again = page.locator(".calor-msg--customer").filter(has_text="Are you still there?")
    await expect(again).to_have_count(1)
