"""Kitchen timers in a real browser: set by voice, counting down, ringing, cancelled from the page.

The fake microphone asks for a five-second egg timer at the start of every session, short enough
to watch it fire; the tools service fires it and the agent tells the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from playwright.sync_api import Browser, Locator, Page, Playwright, expect
from sous_browser import launch_chromium, start_talking
from stack_state import eventually, timer_pending

pytestmark = pytest.mark.timeout(180)

QUESTION = "Set a timer for five seconds for the eggs."


@pytest.fixture(scope="module")
def browser(playwright: Playwright, question_wav: Callable[[str], Path]) -> Iterator[Browser]:
    browser = launch_chromium(playwright, microphone=question_wav(QUESTION))
    yield browser
    browser.close()


def timer_row(page: Page, label: str) -> Locator:
    return page.get_by_test_id("timer").filter(
        has=page.get_by_test_id("timer-label").get_by_text(label, exact=True)
    )


def remaining_seconds(row: Locator) -> int:
    return int(row.get_attribute("data-remaining-seconds") or "-1")


def test_spoken_timer_counts_down_then_rings_until_dismissed(app: Page) -> None:
    start_talking(app)

    eggs = timer_row(app, "Eggs")
    expect(eggs).to_have_attribute("data-status", "running")
    first = remaining_seconds(eggs)
    assert 2 <= first <= 5  # the countdown starts when the page hears the timer was set
    expect(eggs.get_by_test_id("timer-remaining")).to_have_text(re.compile(r"^0:0[1-5]$"))
    # Counting down: a lower number shows while it still runs.
    expect(eggs).to_have_attribute("data-remaining-seconds", re.compile(f"^[1-{first - 1}]$"))
    expect(app.locator('[data-testid="tool-card"][data-kind="timer"]')).to_contain_text(
        "Eggs timer set for 5 s"
    )

    expect(eggs).to_have_attribute("data-status", "ringing")
    alert = app.get_by_test_id("timer-alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Eggs timer is done")
    expect(app).to_have_title(re.compile("Eggs", re.IGNORECASE))
    # Sous also says so: the tools service fired it and the agent announced it.
    said = app.locator('[data-testid="transcript-entry"][data-role="assistant"][data-final="true"]')
    expect(said.last).to_have_text(re.compile(r"eggs timer is done", re.IGNORECASE))

    alert.get_by_role("button", name="Dismiss").click()
    expect(alert).to_be_hidden()
    expect(eggs).to_be_hidden()


def test_cancel_button_cancels_the_timer(app: Page, stack_redis: redis.Redis) -> None:
    start_talking(app)
    expect(timer_row(app, "Eggs")).to_be_visible()  # the spoken request is done
    app.get_by_test_id("text-input").fill("Set a timer for ten minutes for the rice")
    app.get_by_test_id("send-text").click()
    rice = timer_row(app, "Rice")
    expect(rice).to_have_attribute("data-status", "running")
    expect(rice.get_by_test_id("timer-remaining")).to_have_text(re.compile(r"^(10:00|9:[0-5]\d)$"))
    timer_id = rice.get_attribute("data-timer-id") or ""
    assert timer_pending(stack_redis, timer_id)

    app.get_by_role("button", name="Cancel Rice timer").click()

    expect(rice).to_be_hidden()
    assert eventually(lambda: not timer_pending(stack_redis, timer_id))
