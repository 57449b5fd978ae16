"""Takes the README's screenshots of the cook's screen against the real local stack.

Usage: uv run python scripts/screenshots.py [--out docs/screenshots] [--redis-url URL]
(build the frontend first: `cd frontend && npm run build`). Starts the stack on free ports with
the offline model, then for each screen size drives Debian's Chromium through one session: a
spoken question (the fake microphone plays it), typed follow-ups, a recipe opened, timers, one
ringing; and a second browser whose microphone is blocked, for the error state.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from stack import Stack, StackConfig, free_port

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from sous_browser import launch_chromium, open_app, start_talking  # noqa: E402
from spoken_question import write_question_wav  # noqa: E402

SPOKEN_QUESTION = "How many grams is two cups of flour?"
# Typed in the page's text box after the spoken question; answered like speech.
NUTRITION_QUESTION = "How many calories are in two large eggs?"
RECIPE_QUESTION = "Find me a vegetarian pasta recipe"
LONG_TIMER = "Set a timer for 8 minutes for the pasta"
SHORT_TIMER = "Set a timer for 15 seconds for the eggs"


@dataclass(frozen=True)
class Screen:
    name: str
    width: int
    height: int
    scale: int


SCREENS = [Screen("tablet", 1180, 820, 1), Screen("phone", 390, 844, 2)]


def final_entries(page: Page, role: str) -> int:
    selector = f'[data-testid="transcript-entry"][data-role="{role}"][data-final="true"]'
    return page.locator(selector).count()


def ask_by_typing(page: Page, question: str) -> None:
    """Type a question and wait until Sous has answered it and is listening again."""
    answers = final_entries(page, "assistant")
    page.get_by_test_id("text-input").fill(question)
    page.get_by_test_id("send-text").click()
    answered = page.locator('[data-testid="transcript-entry"][data-role="assistant"]')
    expect(answered.nth(answers)).to_have_attribute("data-final", "true")
    expect(page.get_by_test_id("session-state")).to_have_attribute("data-state", "listening")


def shoot(page: Page, out: Path, state: str, screen: Screen) -> None:
    path = out / f"{state}-{screen.name}.png"
    page.screenshot(path=str(path), animations="disabled", caret="hide")
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def conversation(browser: Browser, url: str, out: Path, screen: Screen) -> None:
    page = open_app(browser, url, width=screen.width, height=screen.height, scale=screen.scale)
    shoot(page, out, "idle", screen)

    start_talking(page)
    expect(page.locator('[data-testid="tool-card"][data-kind="conversion"]')).to_be_visible()
    expect(page.get_by_test_id("latency")).to_be_visible()
    expect(page.get_by_test_id("session-state")).to_have_attribute("data-state", "listening")
    shoot(page, out, "listening", screen)

    ask_by_typing(page, NUTRITION_QUESTION)
    if screen.width < 960:  # one column: the cards are below the conversation
        page.get_by_test_id("tool-card").first.scroll_into_view_if_needed()
    shoot(page, out, "conversion-nutrition", screen)

    ask_by_typing(page, RECIPE_QUESTION)
    recipe = page.locator('[data-testid="tool-card"][data-kind="recipes"]').get_by_test_id("recipe")
    recipe.first.get_by_text(re.compile(r"Show recipe")).click()
    # The open recipe is taller than the screen: start at its "Hide recipe" button so the
    # description, the ingredients and the first steps show.
    recipe.first.locator("summary").evaluate("e => e.scrollIntoView({block: 'start'})")
    shoot(page, out, "recipe", screen)

    ask_by_typing(page, LONG_TIMER)
    ask_by_typing(page, SHORT_TIMER)
    eggs = page.get_by_test_id("timer").filter(has_text="Eggs")
    page.get_by_test_id("timers").scroll_into_view_if_needed()
    expect(eggs).to_have_attribute("data-remaining-seconds", re.compile(r"^\d$"))
    shoot(page, out, "timer", screen)

    expect(page.get_by_test_id("timer-alert")).to_be_visible()
    announced = page.locator('[data-testid="transcript-entry"][data-role="assistant"]').last
    expect(announced).to_contain_text("timer is done")
    expect(announced).to_have_attribute("data-final", "true")
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, out, "timer-fired", screen)

    page.get_by_test_id("talk-button").click()
    expect(page.get_by_test_id("session-state")).to_have_attribute("data-state", "idle")
    page.context.close()


def blocked_microphone(browser: Browser, url: str, out: Path, screen: Screen) -> None:
    page = open_app(browser, url, width=screen.width, height=screen.height, scale=screen.scale)
    page.get_by_test_id("talk-button").click()
    expect(page.get_by_test_id("session-error")).to_be_visible()
    shoot(page, out, "error", screen)
    page.context.close()


def take_all(playwright: Playwright, url: str, out: Path, question: Path) -> None:
    talking = launch_chromium(playwright, microphone=question)
    blocked = launch_chromium(playwright, microphone=question, allow_microphone=False)
    try:
        for screen in SCREENS:
            conversation(talking, url, out, screen)
            blocked_microphone(blocked, url, out, screen)
    finally:
        talking.close()
        blocked.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    if not (ROOT / "frontend" / "dist" / "index.html").exists():
        sys.exit("frontend/dist is missing: run `cd frontend && npm run build` first")
    args.out.mkdir(parents=True, exist_ok=True)
    # Long waits: Whisper, piper and Chromium share the machine.
    expect.set_options(timeout=90_000)

    config = StackConfig(
        redis_url=args.redis_url,
        signaling_port=free_port(),
        tools_port=free_port(),
        agent_ports=[free_port()],
    )
    log: list[str] = []
    stack = Stack(config, lambda name, line: log.append(f"{name:>10} | {line}"))
    print("starting the stack (offline model)…")
    try:
        stack.start(timeout=240)
        with tempfile.TemporaryDirectory() as scratch:
            question = write_question_wav(
                SPOKEN_QUESTION, Path(scratch), lead_seconds=3.0, tail_seconds=2.5
            )
            with sync_playwright() as playwright:
                take_all(playwright, stack.url, args.out, question)
    except Exception:
        print("\n".join(log[-80:]), file=sys.stderr)
        raise
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
