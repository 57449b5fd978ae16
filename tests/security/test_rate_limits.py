"""Per-client limits, kept in Redis so every signaling instance enforces the same numbers:
requests per window (429 + Retry-After) and open sessions per client (a client that opens 100)."""

from __future__ import annotations

import secrets
import shutil
import time
from collections.abc import Iterator

import httpx
import pytest
from stack_fixtures import RedisServer
from voice_client import VoiceClient

from stack import Service, Stack, free_port
from tests.conftest import StackLog, start_stack

pytestmark = pytest.mark.slow

REQUESTS_PER_WINDOW = 150
SESSIONS_PER_CLIENT = 5
LIMITS = {
    "RATE_LIMIT_REQUESTS": str(REQUESTS_PER_WINDOW),
    "RATE_LIMIT_WINDOW_SECONDS": "3600",
    "MAX_SESSIONS_PER_CLIENT": str(SESSIONS_PER_CLIENT),
    "CAPACITY": "10",
    # Clients are told apart by X-Forwarded-For, as behind the load balancer.
    "TRUSTED_PROXIES": "127.0.0.1/32",
}


def client(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


@pytest.fixture(scope="module")
def limited() -> Iterator[tuple[Stack, StackLog, str]]:
    """A stack with tight limits and a second signaling instance on the same Redis."""
    server = RedisServer()
    server.start()
    stack, log = start_stack(server.url, model="echo", extra_env=LIMITS)
    first = stack.service("signaling")
    port = free_port()
    second = Service(
        "signaling2", first.command, {**first.env, "PORT": str(port)}, f"http://127.0.0.1:{port}"
    )
    second.start(log)
    deadline = time.monotonic() + 30
    while not _up(port):
        assert time.monotonic() < deadline, "the second signaling instance did not start"
        time.sleep(0.1)
    yield stack, log, f"http://127.0.0.1:{port}"
    second.stop()
    stack.stop()
    server.stop()
    shutil.rmtree(server.dir, ignore_errors=True)


def _up(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).is_success
    except httpx.TransportError:
        return False


async def test_requests_over_the_limit_get_429_on_every_instance(
    limited: tuple[Stack, StackLog, str],
) -> None:
    stack, _, second_url = limited
    noisy, quiet = client("198.51.100.7"), client("198.51.100.8")
    async with (
        httpx.AsyncClient(base_url=stack.url, timeout=30) as one,
        httpx.AsyncClient(base_url=second_url, timeout=30) as two,
    ):
        for number in range(REQUESTS_PER_WINDOW):
            instance = one if number % 2 else two
            unknown = await instance.get(
                f"/api/sessions/{secrets.token_urlsafe(32)}/ice", headers=noisy
            )
            assert unknown.status_code == 404, (number, unknown.text)
        for instance in (one, two):
            limited_answer = await instance.get(
                f"/api/sessions/{secrets.token_urlsafe(32)}/ice", headers=noisy
            )
            assert limited_answer.status_code == 429
            assert int(limited_answer.headers["retry-after"]) > 0
            assert f"the limit is {REQUESTS_PER_WINDOW}" in limited_answer.json()["detail"]
        other = await two.get(f"/api/sessions/{secrets.token_urlsafe(32)}/ice", headers=quiet)
        assert other.status_code == 404  # another client is not affected


async def test_a_client_that_opens_100_sessions_gets_five_and_others_still_get_in(
    limited: tuple[Stack, StackLog, str],
) -> None:
    stack, _, second_url = limited
    hog = client("198.51.100.9")
    async with (
        httpx.AsyncClient(base_url=stack.url, timeout=30) as one,
        httpx.AsyncClient(base_url=second_url, timeout=30) as two,
    ):
        answers = [
            await (one if number % 2 else two).post("/api/sessions", headers=hog)
            for number in range(100)
        ]
        created = [a.json()["session_id"] for a in answers if a.status_code == 201]
        refused = [a for a in answers if a.status_code != 201]
        assert len(created) == SESSIONS_PER_CLIENT
        assert {a.status_code for a in refused} == {429}
        assert all(int(a.headers["retry-after"]) > 0 for a in refused)
        assert f"already has {SESSIONS_PER_CLIENT} open sessions" in refused[0].json()["detail"]

        async with httpx.AsyncClient(
            base_url=stack.url, headers=client("198.51.100.10"), timeout=30
        ) as elsewhere:
            neighbour = VoiceClient(elsewhere)
            await neighbour.connect()  # another cook still gets in
            await neighbour.close()

        # Closing one of its sessions gives the hog exactly one slot back.
        assert (await one.delete(f"/api/sessions/{created[0]}", headers=hog)).status_code == 204
        assert (await two.post("/api/sessions", headers=hog)).status_code == 201
        assert (await one.post("/api/sessions", headers=hog)).status_code == 429
