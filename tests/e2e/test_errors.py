"""When Sous cannot start, the cook reads why and what to do, and the way forward works.

The signaling service here is a second, real one on its own port (the shared stack's keeps
running): the page is loaded from it, then it is stopped, so the page's requests find nobody
listening. It shares the stack's Redis, so once restarted it routes to the stack's agent.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, Playwright, expect
from sous_browser import launch_chromium, session_state, talk_button

from stack import Service, free_port

pytestmark = pytest.mark.timeout(180)

QUESTION = "How many teaspoons are in a tablespoon?"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def browser(playwright: Playwright, question_wav: Callable[[str], Path]) -> Iterator[Browser]:
    browser = launch_chromium(playwright, microphone=question_wav(QUESTION))
    yield browser
    browser.close()


class Signaling:
    """A signaling service of our own that the test can stop and start again on the same port."""

    def __init__(self, redis_url: str, sink: Callable[[str, str], None]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._sink = sink
        self._env = dict(os.environ) | {
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "REDIS_URL": redis_url,
            "ROUTER": "local",
            "FRONTEND_DIR": str(ROOT / "frontend" / "dist"),
            "PYTHONUNBUFFERED": "1",
        }
        self._service: Service | None = None

    def start(self) -> None:
        command = [str(Path(sys.executable).parent / "sous-signaling")]
        self._service = Service("signaling2", command, self._env, f"{self.url}/health")
        self._service.start(self._sink)
        deadline = time.monotonic() + 60
        while not self._healthy():
            assert self._service.alive, "the second signaling service exited"
            assert time.monotonic() < deadline, "the second signaling service did not start"
            time.sleep(0.1)

    def stop(self) -> None:
        if self._service is not None:
            self._service.stop()

    def _healthy(self) -> bool:
        try:
            return httpx.get(f"{self.url}/health", timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False


@pytest.fixture
def signaling(redis_url: str, local_stack: Any) -> Iterator[Signaling]:
    _stack, log = local_stack
    service = Signaling(redis_url, log)
    service.start()
    yield service
    service.stop()


def error_box(page: Page) -> Locator:
    return page.get_by_test_id("session-error")


def test_signaling_down_says_sous_is_unreachable_and_try_again_reconnects(
    browser: Browser, signaling: Signaling, open_page: Callable[..., Page]
) -> None:
    page = open_page(browser, signaling.url)
    signaling.stop()

    talk_button(page).click()

    expect(session_state(page)).to_have_text(re.compile("Connecting"))
    # Every try (four, with waits between them) finds nobody listening.
    error = error_box(page)
    expect(error).to_have_attribute("data-cause", "signaling-down")
    expect(error.get_by_role("heading")).to_have_text("Can't reach Sous")
    expect(error).to_contain_text("isn't answering")
    expect(session_state(page)).to_have_text("Not connected")
    expect(talk_button(page)).to_have_text("Start talking")

    signaling.start()
    error.get_by_role("button", name="Try again").click()

    expect(session_state(page)).to_have_attribute("data-state", "listening")
    expect(error).to_be_hidden()
    heard = page.locator('[data-testid="transcript-entry"][data-role="user"][data-final="true"]')
    expect(heard.first).to_contain_text(re.compile("tablespoon", re.IGNORECASE))


@pytest.fixture(scope="module")
def browser_asking_for_permission(
    playwright: Playwright, question_wav: Callable[[str], Path]
) -> Iterator[Browser]:
    """Chromium with a microphone whose permission is the page context's (denied by default)."""
    browser = launch_chromium(playwright, microphone=question_wav(QUESTION), allow_microphone=False)
    yield browser
    browser.close()


def test_denied_microphone_says_how_to_allow_it_and_try_again_connects(
    browser_asking_for_permission: Browser, open_page: Callable[..., Page]
) -> None:
    page = open_page(browser_asking_for_permission)

    talk_button(page).click()

    error = error_box(page)
    expect(error).to_have_attribute("data-cause", "permission-denied")
    expect(error.get_by_role("heading")).to_have_text("Microphone blocked")
    expect(error).to_contain_text("Allow it for this page")
    expect(session_state(page)).to_have_text("Not connected")

    page.context.grant_permissions(["microphone"])
    error.get_by_role("button", name="Try again").click()

    expect(session_state(page)).to_have_attribute("data-state", "listening")


@pytest.fixture(scope="module")
def browser_without_microphone(playwright: Playwright) -> Iterator[Browser]:
    browser = launch_chromium(playwright, microphone=None)
    yield browser
    browser.close()


def test_missing_microphone_says_to_plug_one_in(
    browser_without_microphone: Browser, open_page: Callable[..., Page]
) -> None:
    page = open_page(browser_without_microphone)

    talk_button(page).click()

    error = error_box(page)
    expect(error).to_have_attribute("data-cause", "no-microphone")
    expect(error.get_by_role("heading")).to_have_text("No microphone found")
    expect(error).to_contain_text("Plug in or switch on a microphone")
    expect(error.get_by_role("button", name="Try again")).to_be_visible()
