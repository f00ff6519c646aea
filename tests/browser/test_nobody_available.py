"""When nobody can answer: the customer is told so, keeps the bot, and can leave a message
that lands on the agents' follow-up list."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.async_api import Browser, expect

from tests.browser.conftest import Site
from tests.browser.pages import DESKTOP, IN_LINE, open_widget, say, sign_in, stored
from tests.support import running_stack


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    """A stack of its own: these tests need nobody online, whatever other tests left behind."""
    with running_stack("browser-alone-") as (env, tmp):
        yield Site(f"http://127.0.0.1:{env['CALOR_PORT']}", env, tmp / "calor.db")


async def test_leave_a_message_then_an_agent_follows_up(site: Site, browser: Browser) -> None:
    customer = await open_widget(await browser.new_context(viewport=DESKTOP), site.url)
    await customer.click("#calor-human")
    await expect(customer.locator("#calor-panel")).to_have_attribute("data-state", "queued")
    await expect(customer.locator("#calor-status")).to_have_text(IN_LINE)
    await expect(customer.locator("#calor-status")).to_contain_text("Nobody is available right now.")
    await expect(customer.locator("#calor-away-text")).to_contain_text("Nobody from our team is available")
    conversation_id = await stored(customer, "conversation_id")

    # The chat stays open for writing meanwhile.
    await say(customer, "where is my order?")

    toggle = customer.locator("#calor-leave-toggle")
    await expect(toggle).to_have_attribute("aria-expanded", "false")
    await toggle.click()
    await expect(toggle).to_have_attribute("aria-expanded", "true")
    await customer.get_by_label("Your message for our team").fill("Please call me about my late order.")
    await customer.get_by_label("Phone number to call you back (optional)").fill("call me maybe")
    await customer.click("#calor-leave-send")
    await expect(customer.locator("#calor-leave-error")).to_contain_text("doesn't look like a phone number")
    await customer.get_by_label("Phone number to call you back (optional)").fill("+44 20 7946 0000")
    await customer.click("#calor-leave-send")
    await expect(customer.locator("#calor-leave-done")).to_have_text(
        "Sent. We'll call you back on +44 20 7946 0000.")
    await expect(customer.locator("#calor-leave-error")).to_be_hidden()
    await expect(customer.locator("#calor-leave-form")).to_be_hidden()
    left = customer.locator(".calor-msg--customer").filter(has_text="Please call me about")
    await expect(left).to_have_count(1)

    username, password = site.add_agent("Maria")
    console = await sign_in(await browser.new_context(viewport=DESKTOP), site.url, username, password)
    followup = console.locator(".cc-followup").filter(
        has=console.locator(f'.cc-followup__conversation[data-conversation-id="{conversation_id}"]'))
    await expect(followup).to_have_count(1)
    await expect(followup.locator(".cc-followup__kind")).to_have_text("Call back")
    await expect(followup.locator(".cc-followup__callback")).to_have_text("Call back on +44 20 7946 0000")
    await expect(followup.locator(".cc-followup__text")).to_have_text("Please call me about my late order.")
    await expect(followup.locator(".cc-followup__urgent")).to_be_hidden()

    # Someone is here now: the customer is no longer told nobody is.
    await expect(customer.locator("#calor-away")).to_be_hidden()
    await expect(customer.locator("#calor-status")).not_to_contain_text("Nobody")

    # Away counts as nobody; Online again brings the wait back.
    presence = console.locator("#cc-presence")
    await expect(presence).to_have_attribute("aria-checked", "true")
    await presence.click()
    await expect(presence).to_have_attribute("aria-checked", "false")
    await expect(console.locator("#cc-agent-name")).to_contain_text("away")
    await expect(customer.locator("#calor-away")).to_be_visible()
    await presence.click()
    await expect(presence).to_have_attribute("aria-checked", "true")
    await expect(customer.locator("#calor-away")).to_be_hidden()

    await followup.locator(".cc-followup-done").click()
    await expect(followup).to_have_count(0)
    await console.reload()
    await expect(console.locator("#cc-presence")).to_be_enabled()
    await expect(console.locator(f'.cc-followup__conversation[data-conversation-id="{conversation_id}"]')) \
        .to_have_count(0)
    await expect(console.locator("#cc-followups-count")).to_have_text(re.compile(r"^\d+$"))


async def test_the_bot_keeps_helping_while_nobody_can_answer(site: Site, browser: Browser) -> None:
    customer = await open_widget(await browser.new_context(viewport=DESKTOP), site.url)
    await customer.click("#calor-human")
    await expect(customer.locator("#calor-away")).to_be_visible()
    bots = await customer.locator(".calor-msg--bot").count()
    await say(customer, "where is my order?")
    await expect(customer.locator(".calor-msg--bot")).not_to_have_count(bots, timeout=5_000)
