"""Hostile text from either side shows up as text: nothing runs, nothing is injected.

Both pages are opened with the CSP bypassed: the bridge's CSP would stop most
of these on its own, and this test is about the widget and the console never
turning text into markup in the first place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Dialog, Page, expect

from tests.browser.conftest import Site
from tests.browser.pages import DESKTOP, agent_says, handed_off, open_widget, say, sign_in

CORPUS = Path(__file__).parent / "xss_payloads.txt"
PAYLOADS = [line for line in CORPUS.read_text("utf-8").split("\n") if line]
BATCH_CHARS = 1500  # well under the 4,000-character limit; ~10 messages per side

# Everything the message lists may contain (plus `extra` tags), and which links are allowed.
AUDIT = """(root, extra) => {
  const allowed = new Set(['DIV', 'P', 'SPAN', 'TIME', 'BUTTON', 'A', ...(extra || [])]);
  const bad = [];
  for (const el of root.querySelectorAll('*')) {
    if (!allowed.has(el.tagName)) bad.push(el.tagName);
    for (const a of el.attributes) {
      if (/^on/i.test(a.name) || a.name === 'style' || a.name === 'src') bad.push(`${el.tagName}[${a.name}]`);
    }
    const href = el.getAttribute('href') || '';
    if (el.tagName === 'A' && !/^(https?:\\/\\/|mailto:)/.test(href)) bad.push(`A[href=${href}]`);
  }
  return bad;
}"""
# The summary card and the queue are built from the customer's words too.
SUMMARY_TAGS = ["ARTICLE", "SECTION", "H2", "H3", "H4", "FIGURE", "BLOCKQUOTE", "FIGCAPTION",
                "UL", "OL", "LI", "DL", "DT", "DD"]
DANGEROUS = "script, iframe, img, svg, math, object, embed, video, audio, style, link, meta, base, " \
    "form, frame, frameset, template, marquee, details, dialog, portal, applet, a[href^='javascript' i]"


def batches(payloads: list[str]) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    for p in payloads:
        if current and sum(len(x) + 1 for x in current) + len(p) > BATCH_CHARS:
            out.append("\n".join(current))
            current = []
        current.append(p)
    out.append("\n".join(current))
    return out


async def dangerous_count(page: Page) -> int:
    return int(await page.evaluate("(sel) => document.body.querySelectorAll(sel).length", DANGEROUS))


async def texts(page: Page, selector: str) -> list[str]:
    return list(await page.locator(selector).evaluate_all("els => els.map(e => e.textContent)"))


def test_the_corpus_is_big_and_varied() -> None:
    assert len(PAYLOADS) >= 100
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    assert all(p == p.strip() for p in PAYLOADS), "the widget trims; payloads must survive as typed"
    for needle in ("<script", "onerror", "onload", "javascript:", "<iframe", "style", "&#", "${", "](",
                   "\u202e", "\u200d", "＜"):
        assert any(needle.lower() in p.lower() for p in PAYLOADS), needle


async def test_no_payload_runs_or_injects_on_either_side(site: Site, browser: Browser) -> None:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> Any:
        dialogs.append(dialog.message)
        return dialog.dismiss()

    contexts = [await browser.new_context(viewport=DESKTOP, bypass_csp=True) for _ in range(2)]
    for context in contexts:
        await context.add_init_script("window.__xss = 0;")
    username, password = site.add_agent("Maria")
    customer = await open_widget(contexts[0], site.url)
    console = await sign_in(contexts[1], site.url, username, password)
    for page in (customer, console):
        page.on("dialog", on_dialog)

    groups = batches(PAYLOADS)
    half = len(groups) // 2
    # The first batch goes to the bot, so it also lands in the summary and the queue headline.
    await say(customer, groups[0])
    _, panel = await handed_off(customer, console)
    baseline = {"customer": await dangerous_count(customer), "console": await dangerous_count(console)}

    for text in groups[1:half]:
        await say(customer, text)
    for text in groups[half:]:
        await agent_says(panel, text)
    for text in groups[1:half]:
        seen = panel.locator(".cc-msg--customer").filter(has_text=text.splitlines()[0])
        await expect(seen.last).to_be_visible()
    for text in groups[half:]:
        seen = customer.locator(".calor-msg--agent").filter(has_text=text.splitlines()[0])
        await expect(seen.last).to_be_visible()
    await customer.wait_for_timeout(500)  # give anything injected a moment to fire

    # Every payload is on both screens, exactly as written.
    widget_texts = await texts(customer, "#calor-messages .calor-msg__text")
    console_texts = await texts(console, ".cc-transcript :is(.cc-msg--customer, .cc-msg--agent) p")
    for text in groups:
        assert text in widget_texts, text.splitlines()[0]
        assert text in console_texts, text.splitlines()[0]

    assert dialogs == []
    for page in (customer, console):
        assert await page.evaluate("window.__xss") == 0
    assert await customer.locator("#calor-messages").evaluate(AUDIT) == []
    assert await console.locator(".cc-transcript").first.evaluate(AUDIT) == []
    assert await console.evaluate(
        f"(extra) => [...document.querySelectorAll('.cc-summary, #cc-queue, .cc-tablist')]"
        f".flatMap(root => ({AUDIT})(root, extra))", SUMMARY_TAGS) == []
    assert await dangerous_count(customer) == baseline["customer"]
    assert await dangerous_count(console) == baseline["console"]

    # The harness itself can see an injection: with the CSP bypassed, a real one runs and is caught.
    await customer.evaluate("""() => {
        const probe = document.createElement('div');
        probe.innerHTML = '<img src="data:," onerror="window.__xss = 1">';
        document.body.appendChild(probe);
    }""")
    await customer.wait_for_function("window.__xss === 1")
