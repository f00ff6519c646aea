"""A customer and an agent, each in their own browser, through a whole warm handoff."""

from __future__ import annotations

import re
import sqlite3

import pytest
from playwright.async_api import Browser, expect

from tests.browser.conftest import Site
from tests.browser.pages import (
    DESKTOP,
    IN_LINE,
    accept,
    agent_says,
    handed_off,
    open_widget,
    queue_item,
    reload_widget,
    say,
    shoot,
    sign_in,
    stored,
    tab_panel,
)

# The first thing the customer writes, the words the bot's first reply must hold
# (a grieving customer is acknowledged, specifically, before anything else), and
# how the agent's summary names the reason. Then the customer asks for a person.
FIRST_MESSAGES = [
    pytest.param("hello", None, "The customer asked for a person", id="routine"),
    pytest.param("My dad died last week and I need to sort out his phone contract",
                 re.compile(r"sorry.*your dad", re.IGNORECASE | re.DOTALL),
                 "The customer seems to be struggling", id="grief"),
]


def felt_heard(site: Site, conversation_id: str) -> list[object]:
    with sqlite3.connect(site.database) as db:
        rows = db.execute("SELECT felt_heard FROM episodes WHERE conversation_id = ? ORDER BY id",
                          (conversation_id,)).fetchall()
    return [r[0] for r in rows]


@pytest.mark.parametrize(("first_message", "acknowledgement", "reason"), FIRST_MESSAGES)
async def test_warm_handoff_from_hello_to_feeling_heard(
        site: Site, browser: Browser, first_message: str, acknowledgement: re.Pattern[str] | None,
        reason: str) -> None:
    username, password = site.add_agent("Maria")
    customer = await open_widget(await browser.new_context(viewport=DESKTOP), site.url)

    await say(customer, first_message)
    await expect(customer.locator(".calor-msg--bot").first).to_be_visible(timeout=30_000)
    if acknowledgement is not None:
        await expect(customer.locator(".calor-msg--bot").first).to_have_text(acknowledgement)
    await expect(customer.locator("#calor-human")).to_have_text("Talk to a person")
    await customer.click("#calor-human")
    await expect(customer.locator("#calor-panel")).to_have_attribute("data-state", "queued")
    await expect(customer.locator("#calor-status")).to_have_text(IN_LINE)
    await expect(customer.locator("#calor-human")).to_be_visible()
    conversation_id = await stored(customer, "conversation_id")

    console = await sign_in(await browser.new_context(viewport=DESKTOP), site.url, username, password)
    item = queue_item(console, conversation_id)
    await expect(item).to_be_visible()
    await expect(item.locator(".cc-accept")).to_have_attribute("aria-label", re.compile(r"^Accept: "))
    panel = await accept(console, conversation_id)
    await expect(panel.locator(".cc-summary__reason")).to_have_text(reason)
    await expect(panel.locator(".cc-summary__headline")).not_to_be_empty()
    await expect(panel.locator(".cc-msg--customer").filter(has_text=first_message)).to_be_visible()
    await expect(queue_item(console, conversation_id)).to_have_count(0)

    # The customer sees who joined, by name and initial, and "Talk to a person" stays.
    await expect(customer.locator("#calor-status")).to_have_text("Maria is here")
    await expect(customer.locator("#calor-human")).to_be_visible()

    await agent_says(panel, "Hi, I'm Maria. I've read everything you wrote. How can I help?")
    from_agent = customer.locator(".calor-msg--agent").filter(has_text="I'm Maria")
    await expect(from_agent).to_be_visible()
    await expect(from_agent.locator(".calor-msg__author")).to_have_text("Maria")
    await expect(from_agent.locator(".calor-avatar")).to_have_text("M")

    await say(customer, "My order A1001 still hasn't arrived.")
    await expect(panel.locator(".cc-msg--customer").filter(has_text="A1001 still")).to_be_visible()

    await panel.locator(".cc-next-steps").fill("The courier will call you tomorrow before 10:00.")
    await panel.locator(".cc-close").click()
    await expect(console.locator(f'.cc-tab[data-conversation-id="{conversation_id}"]')).to_have_class(
        re.compile(r"\bcc-tab--closed\b"))
    await expect(panel.locator(".cc-closed-note")).to_be_visible()

    recap = "Here's what happens next: The courier will call you tomorrow before 10:00."
    await expect(customer.locator(".calor-msg--system").filter(has_text=recap)).to_be_visible()
    await expect(customer.locator("#calor-panel")).to_have_attribute("data-state", "closed")
    await expect(customer.locator("#calor-feedback-question")).to_have_text("Did you feel heard?")
    # The prompt takes room from the list; the recap must still be in view above it.
    recap_box = await customer.locator(".calor-msg--system").filter(has_text=recap).bounding_box()
    list_box = await customer.locator("#calor-messages").bounding_box()
    assert recap_box and list_box
    assert recap_box["y"] + recap_box["height"] <= list_box["y"] + list_box["height"] + 1
    await shoot(customer, "widget-feel-heard-desktop")
    await customer.click("#calor-feedback-yes")
    await expect(customer.locator("#calor-feedback-thanks")).to_be_visible()
    await expect(customer.locator("#calor-feedback-yes")).to_be_hidden()
    assert felt_heard(site, conversation_id) == [1]

    # Never asked twice for the same close, not even after a reload.
    await reload_widget(customer)
    await expect(customer.locator("#calor-panel")).to_have_attribute("data-state", "closed")
    await expect(customer.locator("#calor-feedback")).to_be_hidden()


async def test_typing_shows_both_ways(site: Site, browser: Browser) -> None:
    username, password = site.add_agent("Maria")
    customer = await open_widget(await browser.new_context(viewport=DESKTOP), site.url)
    console = await sign_in(await browser.new_context(viewport=DESKTOP), site.url, username, password)
    _, panel = await handed_off(customer, console)

    await panel.locator(".cc-input").press_sequentially("Let me check")
    await expect(customer.locator("#calor-typing")).to_have_text("Maria is typing…")
    await expect(customer.locator("#calor-typing-live")).to_have_text("Maria is typing…")
    await panel.locator(".cc-input").press("Enter")
    await expect(customer.locator("#calor-typing")).to_be_hidden()

    await customer.locator("#calor-input").press_sequentially("Thank you")
    await expect(panel.locator(".cc-typing")).to_have_text("Customer is typing…")
    await expect(panel.locator(".cc-typing")).to_be_visible()
    await customer.locator("#calor-input").press("Enter")
    await expect(panel.locator(".cc-typing")).to_be_hidden()


async def test_hand_back_then_a_returning_customer_shows_history(site: Site, browser: Browser) -> None:
    username, password = site.add_agent("Maria")
    customer = await open_widget(await browser.new_context(viewport=DESKTOP), site.url)
    console = await sign_in(await browser.new_context(viewport=DESKTOP), site.url, username, password)
    conversation_id, panel = await handed_off(customer, console)

    await panel.locator(".cc-handback-note").fill("Found order A1001; they may ask about a refund.")
    await panel.locator(".cc-handback").click()
    tab = console.locator(f'.cc-tab[data-conversation-id="{conversation_id}"]')
    await expect(tab).to_have_class(re.compile(r"\bcc-tab--handed-back\b"))
    await expect(tab).to_have_text(re.compile(r"^Handed back: "))
    await expect(panel.locator(".cc-closed-note")).to_contain_text("handed this conversation back")
    await expect(customer.locator("#calor-panel")).to_have_attribute("data-state", "bot")
    await expect(customer.locator(".calor-msg--system").filter(has_text="handed you back")).to_be_visible()

    # The same customer asks for a person again: offered to Maria first, with the story so far.
    await panel.locator(".cc-dismiss").click()
    await customer.click("#calor-human")
    item = queue_item(console, conversation_id)
    await expect(item.locator(".cc-helped-before")).to_be_visible()
    await expect(item.locator(".cc-helped-before")).to_have_text("Helped before")
    panel = await accept(console, conversation_id)
    history = panel.locator(".cc-summary__history")
    await expect(history.locator("h4")).to_have_text("Earlier conversations")
    await expect(history.locator("li")).to_have_count(1)
    await expect(history.locator("li")).to_contain_text("Maria")
    await expect(history.locator("li")).to_contain_text("Found order A1001")
    assert await tab_panel(console, conversation_id).count() == 1
