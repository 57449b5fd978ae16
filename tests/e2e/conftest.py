"""Browser end-to-end fixtures: Playwright driving Debian's Chromium against the real local stack.

Each test module launches one browser (its `browser` fixture) whose fake microphone plays that
module's question: the audio file is a launch flag. Each test gets a fresh page in its own
context. The stack is the session-scoped `local_stack` (tests/conftest.py): signaling serving
`frontend/dist`, one media agent on the offline model, tools, Redis.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

# Test modules import the helpers beside this file (pytest runs with --import-mode=importlib).
sys.path.insert(0, str(Path(__file__).parent))

from sous_browser import open_app, stop_talking
from spoken_question import write_question_wav

DIST_INDEX = Path(__file__).resolve().parents[2] / "frontend" / "dist" / "index.html"

# Two shared cores: Whisper, piper and Chromium compete, so waits are long but bounded.
expect.set_options(timeout=60_000)

# Chromium plays the file from the moment the page has the microphone; the connection is up
# well within this lead (about half a second on an idle machine).
LEAD_SECONDS = 5.0
# Longer than the agent's end-of-turn silence (0.5 s), with room for a slow VAD.
TAIL_SECONDS = 2.5

_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember a failed test so its page fixture can show what the cook saw."""
    report = yield
    if report.failed:
        item.stash[_FAILED] = True
    return report


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    # Module scope: Playwright's sync API keeps an event loop running in this thread while it
    # is open, which would break every asyncio test that runs after the browser tests.
    if not DIST_INDEX.exists():
        pytest.fail("frontend/dist is missing: run `cd frontend && npm run build` first")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def app_url(local_stack: Any) -> str:
    stack, _log = local_stack
    return str(stack.url)


@pytest.fixture(scope="session")
def question_wav(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Text → a WAV of it spoken, ready for `--use-file-for-fake-audio-capture`."""
    directory = tmp_path_factory.mktemp("questions")

    def write(text: str) -> Path:
        return write_question_wav(
            text, directory, lead_seconds=LEAD_SECONDS, tail_seconds=TAIL_SECONDS
        )

    return write


@pytest.fixture(scope="session")
def stack_redis(redis_url: str) -> Iterator[redis.Redis]:
    """The stack's Redis, only read by the tests (never flushed: the stack lives in it)."""
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    client.close()


@pytest.fixture
def open_page(
    app_url: str, local_stack: Any, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[..., Page]]:
    """Opens the cook's screen in a fresh context of a browser; after the test, stops any session
    and closes it (on failure, first prints what the page showed and the stack's log)."""
    pages: list[Page] = []

    def open_one(browser: Browser, url: str = app_url) -> Page:
        page = open_app(browser, url)
        pages.append(page)
        return page

    yield open_one
    if request.node.stash.get(_FAILED, False):
        _stack, log = local_stack
        for index, page in enumerate(pages):
            shot = tmp_path / f"page-{index}.png"
            page.screenshot(path=str(shot), full_page=True)
            print(f"\n--- screenshot: {shot}\n--- page:\n{page.locator('body').inner_text()}")
        print(f"--- stack log:\n{log.tail(150)}")
    for page in pages:
        stop_talking(page)
        page.context.close()


@pytest.fixture
def app(browser: Browser, open_page: Callable[..., Page]) -> Page:
    """The cook's screen in the module's `browser` (its microphone plays the module's question)."""
    return open_page(browser)
