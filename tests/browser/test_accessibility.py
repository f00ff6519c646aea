"""axe-core on the four screens people use: no serious or critical violations."""

from __future__ import annotations

from typing import Any

from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import WEB_ROOT, Site
from tests.browser.pages import DESKTOP, agent_says, handed_off, open_widget, say, sign_in

AXE = WEB_ROOT / "node_modules" / "axe-core" / "axe.min.js"


async def serious_violations(page: Page) -> list[dict[str, Any]]:
    # add_script_tag inserts an inline <script>, which the bridge's CSP (script-src 'self')
    # blocks; these contexts are opened with bypass_csp=True for that reason only.
    assert AXE.is_file(), "axe-core is missing: run `npm ci` in web-widget"
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""")
    return [v for v in result if v["impact"] in ("serious", "critical")]


async def test_widget_and_console_have_no_serious_violations(site: Site, browser: Browser) -> None:
    customer_context = await browser.new_context(viewport=DESKTOP, bypass_csp=True)
    page = await customer_context.new_page()
    await page.goto(site.url + "/")
    await expect(page.locator("#calor-launcher")).to_be_visible()
    found = {"widget closed": await serious_violations(page)}

    await page.close()
    page = await open_widget(customer_context, site.url)
    await say(page, "hello")
    await expect(page.locator(".calor-msg--bot").first).to_be_visible(timeout=30_000)
    found["widget open"] = await serious_violations(page)

    # Queued with nobody online: the "leave a message" form open.
    await page.click("#calor-human")
    await page.click("#calor-leave-toggle")
    await expect(page.locator("#calor-leave-form")).to_be_visible()
    found["widget queued, leave a message"] = await serious_violations(page)

    username, password = site.add_agent("Maria")
    agent_context = await browser.new_context(viewport=DESKTOP, bypass_csp=True)
    login = await agent_context.new_page()
    await login.goto(site.url + "/agent")
    await expect(login.locator("#cc-login-form")).to_be_visible()
    found["console login"] = await serious_violations(login)
    await login.close()

    console = await sign_in(agent_context, site.url, username, password)
    _, panel = await handed_off(page, console, click_talk=False)
    await agent_says(panel, "Hi, I'm Maria. How can I help?")
    await say(page, "Thanks, it's about my order.")
    await expect(panel.locator(".cc-msg--customer").filter(has_text="about my order")).to_be_visible()
    found["console with a conversation"] = await serious_violations(console)
    found["widget with an agent"] = await serious_violations(page)

    problems = [f"{screen}: {v['impact']} {v['id']} ({v['help']}) at {', '.join(v['nodes'])}"
                for screen, violations in found.items() for v in violations]
    assert problems == [], "\n".join(problems)
