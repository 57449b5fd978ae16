"""Talking to Sous in a real browser: the question, the answer and the tool cards on the page.

The fake microphone asks "How many grams is two cups of flour?" at the start of every session;
the other questions are typed in the page's text box, which the agent handles like speech.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from playwright.sync_api import Browser, Locator, Page, Playwright, expect
from sous_browser import launch_chromium, session_state, start_talking, talk_button
from stack_state import agent_sessions, eventually, signaling_sessions

pytestmark = pytest.mark.timeout(180)

QUESTION = "How many grams is two cups of flour?"


@pytest.fixture(scope="module")
def browser(playwright: Playwright, question_wav: Callable[[str], Path]) -> Iterator[Browser]:
    browser = launch_chromium(playwright, microphone=question_wav(QUESTION))
    yield browser
    browser.close()


def entries(page: Page, role: str) -> Locator:
    return page.locator(f'[data-testid="transcript-entry"][data-role="{role}"][data-final="true"]')


def card(page: Page, kind: str) -> Locator:
    return page.locator(f'[data-testid="tool-card"][data-kind="{kind}"]')


def ask_by_typing(page: Page, question: str) -> None:
    page.get_by_test_id("text-input").fill(question)
    page.get_by_test_id("send-text").click()


def wait_for_spoken_answer(page: Page) -> None:
    """The microphone's question is heard and answered before the test types its own."""
    expect(entries(page, "assistant")).to_have_count(1)


def test_spoken_question_shows_the_question_the_answer_and_a_conversion_card(app: Page) -> None:
    start_talking(app)

    question = entries(app, "user").first
    expect(question).to_contain_text(re.compile(r"flour", re.IGNORECASE))
    expect(question).to_contain_text(re.compile(r"(two|2) cups", re.IGNORECASE))
    conversion = card(app, "conversion")
    expect(conversion).to_have_attribute("data-tool", "convert_units")
    expect(conversion.locator(".card-headline")).to_contain_text(re.compile(r"^\d+ g"))
    grams = conversion.locator(".card-headline").inner_text().split()[0]
    # The spoken answer says the number the card shows.
    expect(entries(app, "assistant").first).to_contain_text(f"{grams} g")
    expect(app.get_by_test_id("latency")).to_have_text(re.compile(r"Reply in [\d.,]+ m?s"))


def test_recipe_search_shows_recipes_that_open_to_their_steps(app: Page) -> None:
    start_talking(app)
    wait_for_spoken_answer(app)

    ask_by_typing(app, "Find me a vegetarian pasta recipe")

    expect(entries(app, "user").last).to_have_text(re.compile("vegetarian pasta recipe"))
    results = card(app, "recipes")
    expect(results).to_have_attribute("data-tool", "search_recipes")
    recipe = results.get_by_test_id("recipe").first
    expect(recipe.locator(".recipe-title")).to_contain_text(re.compile(r"\w"))
    expect(recipe.locator(".recipe-meta")).to_contain_text(re.compile(r"\d+ (min|h)"))
    steps = recipe.get_by_test_id("recipe-steps")
    expect(steps).to_be_hidden()
    opener = recipe.get_by_text(re.compile(r"Show recipe \((\d+) steps\)"))
    step_count = int(re.findall(r"\d+", opener.inner_text())[0])
    opener.click()
    expect(steps).to_be_visible()
    expect(steps.locator("li")).to_have_count(step_count)
    expect(entries(app, "assistant").last).to_contain_text(
        recipe.locator(".recipe-title").inner_text()
    )


def test_nutrition_question_shows_facts_per_portion_with_their_source(app: Page) -> None:
    start_talking(app)
    wait_for_spoken_answer(app)

    ask_by_typing(app, "How many calories are in two large eggs?")

    facts = card(app, "nutrition")
    expect(facts).to_have_attribute("data-tool", "lookup_nutrition")
    expect(facts.locator(".card-headline")).to_contain_text(re.compile(r"^\d+ kcal"))
    expect(facts.locator(".card-headline")).to_contain_text(re.compile("egg", re.IGNORECASE))
    expect(facts.locator("dt", has_text="Protein")).to_be_visible()
    expect(facts.locator(".card-source")).to_contain_text("USDA")
    kcal = facts.locator(".card-headline").inner_text().split()[0]
    expect(entries(app, "assistant").last).to_contain_text(kcal)


def test_space_starts_and_stop_closes_the_session(app: Page, stack_redis: redis.Redis) -> None:
    held_by_agents = agent_sessions(stack_redis)
    held_by_signaling = signaling_sessions(stack_redis)

    app.keyboard.press("Space")
    expect(session_state(app)).to_have_attribute("data-state", "listening")
    assert eventually(lambda: agent_sessions(stack_redis) == held_by_agents + 1)
    assert signaling_sessions(stack_redis) == held_by_signaling + 1
    wait_for_spoken_answer(app)

    talk_button(app).click()

    expect(session_state(app)).to_have_text("Ready")
    expect(talk_button(app)).to_have_text("Start talking")
    # The agent lets go of the session and signaling forgets it: capacity is free again.
    assert eventually(lambda: agent_sessions(stack_redis) == held_by_agents)
    assert eventually(lambda: signaling_sessions(stack_redis) == held_by_signaling)
    expect(app.get_by_test_id("text-input")).to_be_disabled()
