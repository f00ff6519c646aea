"""Crisis resources stay on the customer's screen: not closable, not scrolled away, back after a reload."""

from __future__ import annotations

import json
import sqlite3

from playwright.async_api import Browser, expect

from tests.browser.conftest import Site
from tests.browser.pages import PHONE, open_widget, reload_widget, say, shoot, stored

RESOURCES = [{"label": "988 Suicide & Crisis Lifeline", "contact": "Call or text 988"},
             {"label": "Samaritans", "contact": "Call 116 123, free, any time"}]


async def test_crisis_resources_stay_put(site: Site, browser: Browser) -> None:
    context = await browser.new_context(viewport=PHONE)
    page = await open_widget(context, site.url)
    for i in range(6):
        await say(page, f"message number {i} to fill the screen")
    conversation_id = await stored(page, "conversation_id")
    # What the bridge stores when the bot flags a crisis; it re-sends it on every reconnect.
    with sqlite3.connect(site.database) as db:
        db.execute("UPDATE conversations SET crisis = ? WHERE id = ?",
                   (json.dumps(RESOURCES), conversation_id))
    await reload_widget(page)

    region = page.get_by_role("region", name="Help right now")
    await expect(region).to_be_visible()
    await expect(region.locator(".calor-crisis__label")).to_have_text([r["label"] for r in RESOURCES])
    await expect(region.locator(".calor-crisis__contact")).to_have_text([r["contact"] for r in RESOURCES])
    await expect(region.locator("button")).to_have_count(0)
    await shoot(page, "widget-crisis-phone")
    assert json.loads(await page.evaluate("localStorage.getItem('calor.crisis')")) == RESOURCES

    messages = page.locator("#calor-messages")
    for top in ("0", "el.scrollHeight"):
        await messages.evaluate(f"el => {{ el.scrollTop = {top}; }}")
        box = await region.bounding_box()
        assert box is not None and 0 <= box["y"] < 200, box
    await page.click("#calor-close")  # closing the chat and opening it again keeps it
    await expect(region).to_be_hidden()
    await page.click("#calor-launcher")
    await expect(region).to_be_visible()
