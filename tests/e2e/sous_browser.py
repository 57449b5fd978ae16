"""Debian's Chromium driven by Playwright, with a fake microphone playing a file.

Never `playwright install`: the browser is /usr/bin/chromium from the `chromium` package.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, Playwright, expect

CHROMIUM = "/usr/bin/chromium"

_BASE_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch_chromium(
    playwright: Playwright,
    *,
    microphone: Path | None,
    allow_microphone: bool = True,
) -> Browser:
    """Chromium whose microphone plays `microphone` once (None: a browser with no microphone).

    `allow_microphone=False` leaves the permission prompt up to the page's context, where
    Playwright answers "deny" unless the context was granted "microphone".
    """
    flags = list(_BASE_FLAGS)
    if allow_microphone:
        flags.append("--use-fake-ui-for-media-stream")
    if microphone is not None:
        flags += [
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={microphone}%noloop",
        ]
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=flags)


def open_app(
    browser: Browser, url: str, *, width: int = 1180, height: int = 820, scale: float = 1
) -> Page:
    """The cook's screen, loaded and ready for a click (in a fresh context: no shared state)."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=scale
    )
    page = context.new_page()
    page.goto(url)
    expect(page.get_by_test_id("session-state")).to_have_attribute("data-state", "idle")
    return page


def talk_button(page: Page) -> Locator:
    return page.get_by_test_id("talk-button")


def session_state(page: Page) -> Locator:
    return page.get_by_test_id("session-state")


def start_talking(page: Page) -> None:
    """Click "Start talking" and wait until Sous listens."""
    talk_button(page).click()
    expect(session_state(page)).to_have_attribute("data-state", "listening")


def stop_talking(page: Page) -> None:
    """Click "Stop" if a session is up or on its way, and wait until the page is back to Ready."""
    if talk_button(page).inner_text().strip() == "Stop":
        talk_button(page).click()
    expect(session_state(page)).to_have_attribute("data-state", re.compile("idle|error"))
