"""Screenshots of the widget and the console at desktop and phone widths, for people to look at
(tests/artifacts/screenshots/), with the layout checks a screenshot alone would not enforce."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import Site
from tests.browser.pages import DESKTOP, PHONE, agent_says, handed_off, open_widget, say, shoot, sign_in
from tests.support import running_stack


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    """A stack of its own: these tests need nobody online, whatever other tests left behind."""
    with running_stack("browser-alone-") as (env, tmp):
        yield Site(f"http://127.0.0.1:{env['CALOR_PORT']}", env, tmp / "calor.db")


async def inside_viewport(page: Page, selector: str, within: str | None = None) -> None:
    """The element is wholly on screen, and not cut off by the panel it sits in."""
    box = await page.locator(selector).bounding_box()
    size = page.viewport_size
    assert box is not None and size is not None, selector
    outer = {"x": 0.0, "y": 0.0, "width": float(size["width"]), "height": float(size["height"])}
    if within:
        clip = await page.locator(within).bounding_box()
        assert clip is not None, within
        outer = clip
    assert box["x"] >= outer["x"] - 0.5 and box["y"] >= outer["y"] - 0.5, (selector, box, outer)
    assert box["x"] + box["width"] <= outer["x"] + outer["width"] + 0.5, (selector, box, outer)
    assert box["y"] + box["height"] <= outer["y"] + outer["height"] + 0.5, (selector, box, outer)
    if within:
        await inside_viewport(page, within)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
async def test_screenshots(site: Site, browser: Browser, size: dict[str, int]) -> None:
    tag = "desktop" if size == DESKTOP else "phone"
    customer_context = await browser.new_context(viewport=size)
    page = await customer_context.new_page()
    await page.goto(site.url + "/")
    await inside_viewport(page, "#calor-launcher")
    await shoot(page, f"widget-closed-{tag}")

    await page.close()
    page = await open_widget(customer_context, site.url)
    await say(page, "hello")
    await expect(page.locator(".calor-msg--bot").first).to_be_visible(timeout=30_000)
    for selector in ("#calor-human", "#calor-input", "#calor-send", "#calor-close"):
        await inside_viewport(page, selector, within="#calor-panel")
    if size == PHONE:
        await expect(page.locator("#calor-launcher")).to_be_hidden()  # the panel is full screen
    await shoot(page, f"widget-open-{tag}")

    await page.click("#calor-human")
    await expect(page.locator("#calor-away")).to_be_visible()
    await page.click("#calor-leave-toggle")
    await shoot(page, f"widget-queued-{tag}")
    for selector in ("#calor-leave-text", "#calor-input", "#calor-send", "#calor-title"):
        await inside_viewport(page, selector, within="#calor-panel")
    await page.locator("#calor-leave-send").scroll_into_view_if_needed()
    await inside_viewport(page, "#calor-leave-send", within="#calor-away")

    username, password = site.add_agent("Maria")
    agent_context = await browser.new_context(viewport=size)
    login = await agent_context.new_page()
    await login.goto(site.url + "/agent")
    await shoot(login, f"console-login-{tag}")
    await login.close()
    console = await sign_in(agent_context, site.url, username, password)
    _, panel = await handed_off(page, console, click_talk=False)
    await agent_says(panel, "Hi, I'm Maria. I've read everything you wrote. How can I help?")
    await say(page, "It's about my order, it hasn't arrived.")
    await expect(panel.locator(".cc-msg--customer").filter(has_text="hasn't arrived")).to_be_visible()
    await panel.locator(".cc-input").press_sequentially("Let me look")
    await expect(page.locator("#calor-typing")).to_be_visible()
    await console.evaluate("window.scrollTo(0, 0)")
    await shoot(console, f"console-conversation-{tag}", full_page=size == PHONE)
    await shoot(page, f"widget-agent-{tag}")
